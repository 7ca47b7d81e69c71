// The real UI of the mail checks, driven like a person would: the built extension installed in
// code-server, against a real BIND serving test/fixtures/mail-zones (blocklists: only the fixture's
// bl.example). Explain bounce message from the palette with its hint as you paste and the
// notification's button that runs the matching check, and the paste editor; Check mail server's
// five input boxes, its DKIM and DMARC rows and the sender requirements table; a saved server
// re-checked with its inline button. Screenshots go to test-results/.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { startBind, type BindServer } from '../harness/bind';
import { REPO_ROOT } from '../paths';
import { acceptInput, openWorkbench, type Workbench } from './ui';

let bind: BindServer | undefined;
let wb: Workbench | undefined;
before(async () => {
  bind = await startBind({ zoneDir: path.join(REPO_ROOT, 'test', 'fixtures', 'mail-zones') });
  wb = await openWorkbench({
    settings: {
      'mailDns.resolvers': [bind.server],
      'mailDns.dnsbl.zones': ['bl.example'],
      'mailDns.servers': [{ name: 'web6 as newco', ip: '203.0.113.60', helo: 'web6.dynatron.example', fromDomain: 'newco.example' }],
    },
    viewport: { width: 1500, height: 950 },
  });
});
after(async () => {
  await wb?.close();
  await bind?.stop();
});

test('Explain bounce message: a hint as you paste, the report, and the button that runs the matching check', { timeout: 5 * 60_000 }, async () => {
  assert.ok(wb);
  const { page } = wb;
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('input.input');
  await wb.runCommand('Mail DNS: Explain bounce message');
  await widget.getByText(/Paste the receiver's reply from the bounce/).waitFor();
  await input.fill('thanks, see you');
  await widget.getByText(/no known rejection text yet/).waitFor();
  await input.fill('504 5.5.2 <DYNA-WEB>: Helo command rejected: need fully-qualified hostname');
  await widget.getByText('recognised: HELO name is not fully qualified (Postfix)').waitFor();
  await acceptInput(page);

  await page.locator('.tab', { hasText: 'Bounce 504 5.5.2' }).waitFor();
  const report = page.frameLocator('iframe.webview').frameLocator('iframe#active-frame');
  await report.getByText('Why it bounced: HELO name is not fully qualified').waitFor();
  const toast = page.locator('.notification-toast', { hasText: 'Run the matching check with the values from the bounce?' });
  const button = toast.getByRole('button', { name: 'Check HELO name DYNA-WEB' });
  await button.waitFor();
  await wb.screenshot('ui-bounce-offer');

  await button.click();
  await page.locator('.tab', { hasText: 'HELO DYNA-WEB' }).waitFor();
  await report.getByText('HELO name: rejected').waitFor();
  assert.ok(await report.getByText('504 5.5.2 <DYNA-WEB>: Helo command rejected: need fully-qualified hostname').first().isVisible());
});

test('Check mail server from the palette: five boxes, validated as you type; a row per check, the sender requirements table', { timeout: 5 * 60_000 }, async () => {
  assert.ok(wb);
  const { page } = wb;
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('input.input');
  await wb.runCommand('Mail DNS: Check mail server');

  await widget.getByText(/\(1\/5\): sending IP/).waitFor();
  await input.fill('203.0.113');
  await widget.getByText(/is not an IPv4 address/).waitFor();
  await input.fill('203.0.113.100');
  await acceptInput(page);

  await widget.getByText(/\(2\/5\): HELO name/).waitFor();
  await input.fill('DYNA-WEB');
  // A name receivers refuse is what the check is for: a warning saying what they do, and Enter still works.
  await widget.getByText(/a one-word name: Postfix's reject_non_fqdn_helo_hostname replies 504/).waitFor();
  await acceptInput(page);

  await widget.getByText(/\(3\/5\): From domain/).waitFor();
  await input.fill('not a domain');
  await widget.getByText(/is not a valid domain name/).waitFor();
  await input.fill('webmaster@dynatron.example');
  await acceptInput(page);

  // The DKIM selector is optional: empty tries the common ones; a whole key name asks for the selector alone.
  await widget.getByText(/\(4\/5\): DKIM selector \(optional\)/).waitFor();
  await widget.getByText(/DKIM selectors cannot be listed from DNS/).waitFor();
  await input.fill('s2024._domainkey.dynatron.example');
  await widget.getByText(/give the selector alone/).waitFor();
  await input.fill('s2024');
  await acceptInput(page);

  await widget.getByText(/\(5\/5\): SMTP probe/).waitFor();
  await widget.getByText('Probe 203.0.113.100 port 25').waitFor();
  await input.fill('No SMTP');
  await acceptInput(page);

  await page.locator('.tab', { hasText: 'Mail server 203.0.113.100, HELO DYNA-WEB, @dynatron.example' }).waitFor();
  const report = page.frameLocator('iframe.webview').frameLocator('iframe#active-frame');
  await report.getByText('Will receivers take its mail: no: 3 checks fail').waitFor();
  const rows = report.locator('section.section-rows tbody > tr');
  assert.equal(await rows.count(), 8);
  assert.match(await rows.nth(1).innerText(), /HELO name\s+fail\s+"DYNA-WEB": not fully qualified/);
  assert.match(await rows.nth(1).innerText(), /Fix: Give the server a fully-qualified name/);
  await report.locator('section.section-rows').evaluate((el) => el.scrollIntoView({ block: 'start' }));
  // The progress notification goes once the check is done.
  await page.locator('.notification-toast', { hasText: 'checking mail server 203.0.113.100' }).waitFor({ state: 'detached' });
  await wb.screenshot('ui-mail-server-rows');
  // The DKIM and DMARC rows, read from the fixture zone's records.
  assert.match(await rows.nth(4).innerText(), /DKIM key \(s2024\._domainkey\.dynatron\.example\)\s+pass\s+s2024\._domainkey\.dynatron\.example: rsa, 2048 bits/);
  assert.match(await rows.nth(5).innerText(), /DMARC policy of dynatron\.example\s+pass\s+p=reject from _dmarc\.dynatron\.example/);

  // The sender requirements table: each provider's rule with its words and page, and where this server stands.
  const table = report.locator('section', { has: report.getByRole('heading', { name: 'Sender requirements: Gmail, Yahoo, Outlook.com (published rules)' }) });
  await table.waitFor();
  await table.evaluate((el) => el.scrollIntoView({ block: 'start' }));
  const head = await table.locator('thead th').allInnerTexts();
  assert.deepEqual(head.map((x) => x.trim()), ['Requirement', 'Gmail', 'Yahoo', 'Outlook.com', 'This server']);
  const reqRows = table.locator('tbody > tr');
  assert.equal(await reqRows.count(), 8);
  const fcrdns = reqRows.filter({ hasText: 'Forward and reverse DNS of the sending IP (FCrDNS)' });
  assert.match(await fcrdns.innerText(), /not listed\s+no\s+203\.0\.113\.100 → mail\.dynatron\.example/);
  assert.equal(await fcrdns.locator('a', { hasText: 'reference' }).first().getAttribute('href'), 'https://support.google.com/a/answer/81126');
  assert.match(await reqRows.filter({ hasText: 'A DMARC record (p=none is enough)' }).innerText(), /\byes\s+p=reject from _dmarc\.dynatron\.example/);
  await report.getByText('Where the requirements come from').waitFor();
  await wb.screenshot('ui-mail-requirements');
});

test('Saved Servers: the inline button re-checks a saved server and the view shows the outcome', { timeout: 5 * 60_000 }, async () => {
  assert.ok(wb);
  const { page } = wb;
  await page.locator('.activitybar .action-item a[aria-label^="Mail DNS"]').click();
  const pane = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Saved Servers' }) });
  const row = pane.locator('.monaco-list-row', { hasText: 'web6 as newco' });
  await row.waitFor();
  await row.hover();
  await row.locator('.action-label[aria-label="Check Saved Server"]').click();

  await page.locator('.tab', { hasText: 'Mail server 203.0.113.60, HELO web6.dynatron.example, @newco.example' }).waitFor();
  const report = page.frameLocator('iframe.webview').frameLocator('iframe#active-frame');
  await report.getByText('Will receivers take its mail: no: 2 checks fail').waitFor();
  // The fix for sending as another domain: the TXT record to publish in that domain.
  assert.ok(await report.getByText('newco.example. 3600 IN TXT "v=spf1 ip4:203.0.113.200 ip4:203.0.113.60 -all"').first().isVisible());
  // newco.example has no DMARC record: the record to publish, p=none to start with.
  assert.ok(await report.getByText('_dmarc.newco.example. 3600 IN TXT "v=DMARC1; p=none; rua=mailto:dmarc-reports@newco.example"').first().isVisible());
  await row.getByText(/2 fail · 1 warning · 5 pass/).waitFor();
  await page.waitForFunction(() => !Array.from(document.querySelectorAll('.notification-toast')).some((t) => t.textContent?.includes('checking mail server')));
  await wb.screenshot('ui-saved-server');
});

test('Explain bounce message with nothing selected: Enter on the empty box opens an editor, the pasted bounce is explained', { timeout: 5 * 60_000 }, async () => {
  assert.ok(wb);
  const { page } = wb;
  const widget = page.locator('.quick-input-widget');
  await page.keyboard.press('Escape');
  await wb.runCommand('Mail DNS: Explain bounce message');
  await widget.getByText(/leave this empty and press Enter/).waitFor();
  await acceptInput(page);
  await page.locator('.tab', { hasText: 'Untitled' }).waitFor();
  await page.locator('.notification-toast', { hasText: 'paste the bounce into this editor' }).waitFor();
  const bounce = fs.readFileSync(path.join(REPO_ROOT, 'test', 'fixtures', 'bounces', 'sendmail-bogus-helo.txt'), 'utf8');
  await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
  await page.keyboard.insertText(bounce);
  await page.locator('.tab', { hasText: 'Bounce 550 5.7.1 from mx1.spsdfw.example' }).waitFor();
  const report = page.frameLocator('iframe.webview').frameLocator('iframe#active-frame');
  await report.getByText('Why it bounced: "BOGUS HELO": the HELO name does not match the sending address').waitFor();
  // Both values are in the bounce: the HELO check runs without asking.
  await page.locator('.notification-toast').getByRole('button', { name: 'Check HELO name dynatron.example' }).waitFor();
});

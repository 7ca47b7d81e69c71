// Apply from a row of "Check mail server", as a person does it: the built extension in code-server
// on a copy of demo/ that also holds newco.example's zone (its SPF record in an $INCLUDEd file),
// against the mail-zones BIND. The SPF row's "Apply to newco-mail.inc" opens the preview of both
// files (the record and the serial) under a modal Apply; one more click applies it, and the report
// shows the mail-server check against the edited zones with the SPF row passing.
// Screenshots of the preview and of the re-check go to test-results/.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { startBind, type BindServer } from '../harness/bind';
import { REPO_ROOT } from '../paths';
import { acceptInput, openWorkbench, type Workbench } from './ui';

let bind: BindServer | undefined;
let wb: Workbench | undefined;
let folder: string | undefined;
before(async () => {
  bind = await startBind({ zoneDir: path.join(REPO_ROOT, 'test', 'fixtures', 'mail-zones') });
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'maildns-apply-mail-'));
  fs.cpSync(path.join(REPO_ROOT, 'demo'), folder, { recursive: true });
  fs.mkdirSync(path.join(folder, 'newco'));
  fs.writeFileSync(
    path.join(folder, 'newco', 'newco.example.zone'),
    `$ORIGIN newco.example.\n$TTL 3600\n@               IN SOA  ns1.newco.example. hostmaster.newco.example. (\n                        2026010101 7200 3600 1209600 300 )\n                IN NS   ns1.newco.example.\n                IN MX   10 mail.newco.example.\n$INCLUDE newco-mail.inc\nns1             IN A    203.0.113.53\nmail            IN A    203.0.113.200\n`,
  );
  fs.writeFileSync(path.join(folder, 'newco', 'newco-mail.inc'), `@               IN TXT  "v=spf1 ip4:203.0.113.200 -all"\n`);
  wb = await openWorkbench({
    workspace: folder,
    settings: { 'mailDns.resolvers': [bind.server], 'mailDns.dnsbl.zones': ['bl.example'] },
    viewport: { width: 1500, height: 1000 },
  });
});
after(async () => {
  await wb?.close();
  await bind?.stop();
  if (folder) fs.rmSync(folder, { recursive: true, force: true });
});

test('Check mail server: Apply on the SPF row, Apply in the preview of both files; the row passes against the edited zones', { timeout: 5 * 60_000 }, async () => {
  assert.ok(wb);
  const { page } = wb;
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('input.input');
  await wb.runCommand('Mail DNS: Check mail server');
  await widget.getByText(/\(1\/5\): sending IP/).waitFor();
  await input.fill('203.0.113.60');
  await acceptInput(page);
  await widget.getByText(/\(2\/5\): HELO name/).waitFor();
  await input.fill('web6.dynatron.example');
  await acceptInput(page);
  await widget.getByText(/\(3\/5\): From domain/).waitFor();
  await input.fill('newco.example');
  await acceptInput(page);
  await widget.getByText(/\(4\/5\): DKIM selector \(optional\)/).waitFor();
  await acceptInput(page);
  await widget.getByText(/\(5\/5\): SMTP probe/).waitFor();
  await input.fill('No SMTP');
  await acceptInput(page);

  const subject = 'Mail server 203.0.113.60, HELO web6.dynatron.example, @newco.example';
  await page.locator('.tab', { hasText: subject }).first().waitFor();
  const report = page.frameLocator('iframe.webview').frameLocator('iframe#active-frame');
  const spfRow = report.locator('section.section-rows tbody > tr', { hasText: 'SPF for the From domain (newco.example)' });
  const apply = spfRow.getByRole('button', { name: 'Apply to newco-mail.inc' });
  await apply.waitFor();
  assert.match(await spfRow.innerText(), /newco\.example\. 3600 IN TXT "v=spf1 ip4:203\.0\.113\.200 ip4:203\.0\.113\.60 -all"/);
  await page.locator('.notification-toast', { hasText: 'checking mail server 203.0.113.60' }).waitFor({ state: 'detached' });
  await apply.click();

  // Click 1 done. Two files change (the record in the $INCLUDEd file, the serial beside the SOA):
  // both in one preview, under a modal that names both.
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.getByText('Apply the fix to newco-mail.inc and newco.example.zone?').waitFor();
  assert.match(await dialog.innerText(), /Change newco\.example TXT .* in newco-mail\.inc; serial 2026010101 → 20\d{8} in newco\.example\.zone\./s);
  await page.locator('.tab', { hasText: 'with the fix' }).first().waitFor();
  await wb.screenshot('ui-apply-mail-preview');
  // Click 2: Apply.
  await dialog.getByRole('button', { name: 'Apply', exact: true }).click();
  await page.locator('.tab', { hasText: 'with the fix' }).first().waitFor({ state: 'detached' });

  await page.locator('.tab', { hasText: `${subject} (edited zones)` }).waitFor();
  await report.getByText(/Fixed in the edited zones: SPF for the From domain \(newco\.example\): pass/).first().waitFor();
  await page.locator('.notification-toast', { hasText: 'against the edited zones' }).waitFor({ state: 'detached' });
  await wb.screenshot('ui-apply-mail-recheck');
});

// The real UI of Check SPF and "Can this server send for a domain?", driven like a person would:
// the built extension installed in code-server, the palette (F1), the input boxes validating as you
// type, the report tab, against a real BIND serving test/fixtures/spf-zones. Screenshots of the
// side-by-side evaluation and of the record to publish go to test-results/.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { startBind, type BindServer } from '../harness/bind';
import { startFaultDns } from '../harness/fault-dns';
import { REPO_ROOT } from '../paths';
import { acceptInput, openWorkbench, type Workbench } from './ui';

let bind: BindServer | undefined;
let wb: Workbench | undefined;
before(async () => {
  bind = await startBind({ zoneDir: path.join(REPO_ROOT, 'test', 'fixtures', 'spf-zones') });
  wb = await openWorkbench({ settings: { 'mailDns.resolvers': [bind.server] }, viewport: { width: 1600, height: 1000 } });
});
after(async () => {
  await wb?.close();
  await bind?.stop();
});

test('Check SPF from the palette: each box validates as you type; two addresses come out side by side', { timeout: 5 * 60_000 }, async () => {
  assert.ok(wb);
  const { page } = wb;
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('input.input');
  await wb.runCommand('Mail DNS: Check SPF');

  await widget.getByText(/\(1\/3\): sending IP/).waitFor();
  await input.fill('192.0.2.10, 999.1.1.1');
  await widget.getByText(/999 is larger than 255/).waitFor();
  await input.fill('192.0.2.10, 192.0.2.11, 2001:db8::10');
  await widget.getByText(/3 addresses given/).waitFor();
  await input.fill('192.0.2.10, 2001:db8::10');
  await acceptInput(page);

  await widget.getByText(/\(2\/3\): domain or sender/).waitFor();
  await input.fill('localhost');
  await widget.getByText(/not a fully qualified domain name/).waitFor();
  await input.fill('chain.example.com');
  await acceptInput(page);

  await widget.getByText(/\(3\/3\): HELO name \(optional\)/).waitFor();
  await input.fill('mail');
  await widget.getByText(/HELO name: .*one label/).waitFor();
  await input.fill('');
  await acceptInput(page);

  await page.locator('.tab', { hasText: 'SPF chain.example.com from 192.0.2.10 and 2001:db8::10' }).waitFor();
  const report = page.frameLocator('iframe.webview').frameLocator('iframe#active-frame');
  await report.getByText('SPF: pass / fail').waitFor();

  // The two evaluations sit in two columns, beside each other.
  const columns = report.locator('ul.tree.side-by-side > li');
  assert.equal(await columns.count(), 2);
  await report.locator('section.section-tree').evaluate((el) => el.scrollIntoView({ block: 'start' }));
  const [left, right] = [await columns.nth(0).boundingBox(), await columns.nth(1).boundingBox()];
  assert.ok(left && right);
  assert.ok(right.x > left.x + left.width - 1, `the IPv6 column is right of the IPv4 one: ${JSON.stringify({ left, right })}`);
  assert.ok(Math.abs(right.y - left.y) < 2, 'both columns start at the same height');
  assert.match(await columns.nth(0).locator('.node').first().innerText(), /192\.0\.2\.10 IPv4 pass/);
  assert.match(await columns.nth(1).locator('.node').first().innerText(), /2001:db8::10 IPv6 fail/);
  // Each term links to its section of RFC 7208 and lists its queries with a Copy dig button.
  assert.ok(await report.locator('a[href="https://www.rfc-editor.org/rfc/rfc7208#section-5.2"]').first().isVisible());
  assert.ok((await report.locator('ul.queries button', { hasText: 'Copy dig' }).count()) > 0);
  await wb.screenshot('ui-spf-side-by-side');
});

test('Can this server send for a domain? from the palette, with the TXT record to copy', { timeout: 5 * 60_000 }, async () => {
  assert.ok(wb);
  const { page } = wb;
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('input.input');
  await wb.runCommand('Mail DNS: Can this server send for a domain?');
  await widget.getByText(/\(1\/2\): the server's IP/).waitFor();
  await input.fill('203.0.113.60');
  await acceptInput(page);
  await widget.getByText(/\(2\/2\): the From domain/).waitFor();
  await input.fill('<>');
  await widget.getByText(/null sender has no domain/).waitFor();
  await input.fill('sales@example.org');
  await acceptInput(page);

  await page.locator('.tab', { hasText: 'Send-as @example.org from 203.0.113.60' }).waitFor();
  const report = page.frameLocator('iframe.webview').frameLocator('iframe#active-frame');
  await report.getByText('May 203.0.113.60 send as @example.org: no').waitFor();
  const record = report.locator('section.section-rows pre.record');
  assert.equal(await record.innerText(), 'example.org. 3600 IN TXT "v=spf1 mx ip4:203.0.113.60 -all"');
  await report.locator('section.section-rows').getByRole('button', { name: 'Copy record' }).click();
  await page.locator('.statusbar').getByText('Copied record to publish').waitFor();
  // The progress notification is gone once the check is done; it names the domain, not the address.
  await page.locator('.notification-toast', { hasText: 'can 203.0.113.60 send as example.org?' }).waitFor({ state: 'detached' });
  // The notification offers the record too.
  await page.locator('.notification-toast').getByText(/example\.org's SPF does not authorize 203\.0\.113\.60/).waitFor();
  await wb.screenshot('ui-send-as-record');
});

test('Cancel on the progress notification stops a check that DNS never answers', { timeout: 5 * 60_000 }, async () => {
  // A DNS server that never replies, and a reply timeout longer than this test waits for the cancel.
  const silent = await startFaultDns({ behaviours: { '*': { kind: 'silent' } } });
  const own = await openWorkbench({ settings: { 'mailDns.resolvers': [silent.server], 'mailDns.timeoutMs': 30_000 }, viewport: { width: 1400, height: 900 } });
  try {
    const { page } = own;
    const widget = page.locator('.quick-input-widget');
    const input = widget.locator('input.input');
    await own.runCommand('Mail DNS: Check SPF');
    await widget.getByText(/\(1\/3\)/).waitFor();
    await input.fill('192.0.2.1');
    await acceptInput(page);
    await widget.getByText(/\(2\/3\)/).waitFor();
    await input.fill('slow.example.com');
    await acceptInput(page);
    await widget.getByText(/\(3\/3\)/).waitFor();
    await acceptInput(page);

    const toast = page.locator('.notification-toast', { hasText: 'checking SPF of slow.example.com for 192.0.2.1' });
    await toast.waitFor();
    await silent.waitForQueries(1);
    await toast.getByRole('button', { name: 'Cancel' }).click();
    await toast.waitFor({ state: 'detached' });
    assert.equal(await page.locator('.tab', { hasText: 'SPF slow.example.com' }).count(), 0, 'a cancelled check shows no report');
  } finally {
    await own.close();
    await silent.stop();
  }
});

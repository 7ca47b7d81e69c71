// The real UI of Check DMARC, driven like a person would: the built extension installed in
// code-server, against a real BIND serving test/fixtures/dmarc-zones. The palette's input box says
// what is wrong as you type, takes a From header, and the report explains every tag. Screenshots go
// to test-results/.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { startBind, type BindServer } from '../harness/bind';
import { REPO_ROOT } from '../paths';
import { acceptInput, openWorkbench, type Workbench } from './ui';

let bind: BindServer | undefined;
let wb: Workbench | undefined;
before(async () => {
  bind = await startBind({ zoneDir: path.join(REPO_ROOT, 'test', 'fixtures', 'dmarc-zones') });
  wb = await openWorkbench({ settings: { 'mailDns.resolvers': [bind.server] }, viewport: { width: 1500, height: 1000 } });
});
after(async () => {
  await wb?.close();
  await bind?.stop();
});

test('Check DMARC from the palette: validated as you type, a From header taken, every tag explained', { timeout: 5 * 60_000 }, async () => {
  assert.ok(wb);
  const { page } = wb;
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('input.input');
  await wb.runCommand('Mail DNS: Check DMARC');
  await widget.getByText(/The domain of the From address, or the address itself/).waitFor();
  await input.fill('203.0.113.7');
  await widget.getByText(/is an IP address, not a domain/).waitFor();
  await input.fill('From: Alice <alice@own.example.org>');
  await acceptInput(page);

  await page.locator('.tab', { hasText: 'DMARC own.example.org' }).waitFor();
  const report = page.frameLocator('iframe.webview').frameLocator('iframe#active-frame');
  await report.getByText('DMARC: p=none (monitoring only)').waitFor();
  const tags = report.locator('section', { has: report.getByRole('heading', { name: 'Tags, in plain words' }) });
  await tags.waitFor();
  const text = await tags.innerText();
  assert.match(text, /deliver it as usual and only send reports/);
  assert.match(text, /RFC 7489 §6\.3/);
  await tags.evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await page.locator('.notification-toast', { hasText: 'checking DMARC of own.example.org' }).waitFor({ state: 'detached' });
  await wb.screenshot('ui-dmarc-tags');
});

// The real UI of Check a received message, driven like a person would: the built extension
// installed in code-server, against a real BIND serving test/fixtures/dmarc-zones. A hostile .eml
// (test/fixtures/verify-message: markup in the From name and the Subject, a signature whose key is
// not published, an Authentication-Results that says everything passed) is opened in the editor and
// checked from the palette; the report shows DMARC's verdict and the receiver's verdicts beside ours,
// and the message's markup as text. Screenshots go to test-results/.
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
  wb = await openWorkbench({ workspace: path.join(REPO_ROOT, 'test', 'fixtures', 'verify-message'), settings: { 'mailDns.resolvers': [bind.server] }, viewport: { width: 1500, height: 1000 } });
});
after(async () => {
  await wb?.close();
  await bind?.stop();
});

test('Check a received message from the palette on an open .eml: verdicts beside the receiver’s, markup stays text', { timeout: 5 * 60_000 }, async () => {
  assert.ok(wb);
  const { page } = wb;
  const widget = page.locator('.quick-input-widget');
  await wb.runCommand('Go to File...');
  await widget.locator('input.input').fill('message.eml');
  await widget.locator('.quick-input-list .monaco-list-row', { hasText: 'message.eml' }).first().waitFor();
  await acceptInput(page);
  await page.locator('.tab', { hasText: 'message.eml' }).waitFor();
  // The editor shows the message (so it is the active text editor the command reads).
  await page.locator('.monaco-editor .view-lines', { hasText: 'Return-Path' }).first().waitFor();
  await wb.runCommand('Mail DNS: Check a received message');

  await page
    .locator('.tab', { hasText: 'Message alice@mail.example.org' })
    .waitFor()
    .catch(async (e: unknown) => {
      await wb?.screenshot('ui-message-failed');
      throw e;
    });
  const report = page.frameLocator('iframe.webview').frameLocator('iframe#active-frame');
  await report.getByText('DMARC: fail').first().waitFor();
  const body = await report.locator('body').innerText();
  // The Subject and the From name are on the page as characters, not as elements.
  assert.ok(body.includes('<script>alert(document.cookie)</script> Quarterly report'), 'the Subject is text');
  assert.equal(await report.locator('img').count(), 0, 'no image element from the From name');
  const scripted = await report.locator('body').evaluate((b) => Array.from(b.querySelectorAll('script')).some((s) => (s.textContent ?? '').includes('document.cookie')));
  assert.equal(scripted, false, 'no script element from the Subject');
  assert.match(body, /sp=quarantine/);
  assert.match(body, /no key at s1\._domainkey\.mail\.example\.org/);
  assert.match(body, /passed when the receiver got it/);
  const theirs = report.locator('section', { has: report.getByRole('heading', { name: "The message's own Authentication-Results beside ours" }) });
  await theirs.evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await page.locator('.notification-toast', { hasText: 'checking the message' }).waitFor({ state: 'detached' });
  await wb.screenshot('ui-message-report');
});

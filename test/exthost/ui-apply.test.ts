// The seed's loop fixed from the rDNS report as a person would: the built extension in
// code-server on a copy of demo/, against a real BIND serving the fixture zones. Apply to
// 113.0.203.in-addr.arpa.zone in the report opens the preview (a diff of the file against the text
// with the fix, and a modal "Apply"); one more click applies it: two clicks in all. The report then
// shows the check against the edited zones, passing, and its "Check live again" button runs the
// check against the resolvers again.
// Screenshots of the preview and of the re-check go to test-results/.
import * as assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startBind, type BindServer } from '../harness/bind';
import { FIXTURE_ZONES } from '../paths';
import { acceptInput, openWorkbench, type Workbench } from './ui';

let bind: BindServer | undefined;
let wb: Workbench | undefined;
before(async () => {
  bind = await startBind({ zoneDir: FIXTURE_ZONES });
  wb = await openWorkbench({ settings: { 'mailDns.resolvers': [bind.server] }, viewport: { width: 1500, height: 1000 } });
});
after(async () => {
  await wb?.close();
  await bind?.stop();
});

test('the seed loop in two clicks: Apply to the reverse zone, Apply in the preview; the re-check passes', { timeout: 5 * 60_000 }, async () => {
  assert.ok(wb);
  const { page } = wb;
  await wb.runCommand('Mail DNS: Check rDNS for IP');
  await page.locator('.quick-input-widget input.input').fill('203.0.113.100');
  await acceptInput(page);
  await page.locator('.tab', { hasText: 'rDNS 203.0.113.100' }).waitFor();
  const report = page.frameLocator('iframe.webview').frameLocator('iframe#active-frame');
  // The finding on 203.0.113.100's own PTR (the chain's other hops have fixes of their own).
  const fix = report.locator('article', { hasText: 'ptr-name-mismatch' });
  const apply = fix.getByRole('button', { name: 'Apply to 113.0.203.in-addr.arpa.zone' });
  await apply.waitFor();
  assert.match(await fix.innerText(), /100\.113\.0\.203\.in-addr\.arpa\. 3600 IN PTR web6\.example\.net\./);
  await apply.click();

  // Click 1 done. The preview: a diff of the file against the text with the fix (the PTR line and
  // the serial marked), under a modal that asks to apply.
  const diff = page.locator('.monaco-diff-editor');
  await page.locator('.tab', { hasText: 'with the fix' }).waitFor();
  await diff.locator('.modified-in-monaco-diff-editor .view-line', { hasText: 'web6.example.net.' }).first().waitFor();
  await diff.locator('.original-in-monaco-diff-editor .view-line', { hasText: 'mail.example.net.' }).first().waitFor();
  assert.ok((await diff.locator('.line-insert, .char-insert').count()) > 0, 'the diff marks the change');
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.getByText('Apply the fix to 113.0.203.in-addr.arpa.zone?').waitFor();
  assert.match(await dialog.innerText(), /PTR from mail\.example\.net to web6\.example\.net .*; serial 2026030401 → 20\d{8}\./s);
  await wb.screenshot('ui-apply-preview');
  // Click 2: Apply.
  await dialog.getByRole('button', { name: 'Apply', exact: true }).click();
  await page.locator('.tab', { hasText: 'with the fix' }).waitFor({ state: 'detached' });

  await page.locator('.tab', { hasText: 'rDNS 203.0.113.100 (edited zones)' }).waitFor();
  const passed = report.getByText(/Fixed in the edited zones: 203\.0\.113\.100 → web6\.example\.net → 203\.0\.113\.100/).first();
  await passed.waitFor();
  await page.locator('.notification-toast', { hasText: 'against the edited zones' }).waitFor({ state: 'detached' });
  // The edit is in the editor, unsaved: the reverse zone's tab or the Explorer shows it dirty.
  await wb.screenshot('ui-apply-recheck');

  // The report's own "Check live again" button: the rDNS check again against the resolvers (the
  // zone is not published, so nothing changed there), compared with the first run record by record.
  await report.getByRole('button', { name: 'Check live again' }).click();
  await page.locator('.tab', { hasText: 'rDNS 203.0.113.100 (live again)' }).waitFor();
  await report.getByText(/What changed in live DNS since the first run/).first().waitFor();
  await report.getByText(/No answer changed since the first run/).first().waitFor();
});

// The real UI of DMARC and DKIM records in a zone file: the built extension installed in code-server,
// a workspace holding one zone file, opened from Quick Open as a person would. The squiggles, the
// lenses over the records and the hover on a DMARC tag are on screen, and a quick fix goes through
// VS Code's refactoring preview (the fix and the SOA serial bump); the screenshots go to
// test-results/. No DNS: live lookups off.
import * as assert from 'node:assert/strict';
import * as fsp from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { openWorkbench, type Workbench } from './ui';

const ZONE = [
  '$ORIGIN example.com.',
  '$TTL 3600',
  '@ IN SOA ns1 hostmaster 1 7200 3600 1209600 300',
  '  IN NS ns1',
  '  IN MX 10 mail',
  '  IN TXT "v=spf1 mx -all"',
  'ns1 IN A 192.0.2.53',
  'mail IN A 192.0.2.25',
  '; the key as opendkim-genkey prints it: v, h, k, then p= in two strings',
  's1._domainkey IN TXT ( "v=DKIM1; h=sha1; k=rsa; "',
  '    "p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDSTP2cYJmHqOulNeXxd7adUwbRIRjXkK/yHAx0NO30BMoTdy4wHes8NsZSlUEyWl1PWU7iDjCMH3aoIhmZ"',
  '    "w1JsmYmY7MXBdPPlM8pg7NtT0aWZg5Bce/1IgxPT0huWgMSUiFWZnfWZXutsq3WpgwEhVn1w50Cdg/Klvm7J7geiNwIDAQAB" )',
  '_dmarc IN TXT ( "v=DMARC1; p=rejct; "',
  '    "sp=quarantine; rua=dmarc@example.com" )',
  '',
].join('\n');

let wb: Workbench | undefined;
let folder: string | undefined;
before(async () => {
  folder = await fsp.mkdtemp(path.join(os.tmpdir(), 'maildns-zone-mail-'));
  await fsp.mkdir(path.join(folder, 'zones'));
  await fsp.writeFile(path.join(folder, 'zones', 'example.com.zone'), ZONE);
  wb = await openWorkbench({ workspace: folder, settings: { 'mailDns.zone.liveLookups': false }, viewport: { width: 1500, height: 900 } });
});
after(async () => {
  await wb?.close();
  if (folder) await fsp.rm(folder, { recursive: true, force: true });
});

test('a zone file\'s DMARC and DKIM records: squiggles, lenses, and the hover on a tag', { timeout: 5 * 60_000 }, async () => {
  assert.ok(wb);
  const { page } = wb;
  await wb.runCommand('Go to File...');
  const input = page.locator('.quick-input-widget input.input');
  await input.fill('example.com.zone');
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'example.com.zone' }).first().waitFor();
  await input.press('Enter');
  const editor = page.locator('.editor-instance .monaco-editor').first();
  await editor.locator('.view-line', { hasText: '_dmarc IN TXT' }).waitFor();

  // The lint's squiggles and the lenses over the two records.
  await editor.locator('.squiggly-warning').first().waitFor();
  await editor.locator('.codelens-decoration', { hasText: 'DMARC: unusable, receivers apply no policy' }).waitFor();
  const dkimLens = editor.locator('.codelens-decoration', { hasText: /^DKIM key s1: / });
  await dkimLens.waitFor();
  assert.equal(await dkimLens.innerText(), 'DKIM key s1: rsa, 1024 bits');

  // The hover on sp=: line 14, in the second string of the record.
  await wb.runCommand('Go to Line/Column...');
  await input.fill(':14:10');
  await input.press('Enter');
  await wb.runCommand('Show or Focus Hover');
  const hover = page.locator('.monaco-hover').filter({ hasText: 'DMARC tag "sp": Policy for subdomains' });
  await hover.waitFor();
  const text = await hover.innerText();
  assert.match(text, /Mail From its subdomains that fails DMARC: treat it as suspicious/);
  assert.match(text, /RFC 7489 §6\.3/);
  const shot = await wb.screenshot('ui-zone-dmarc-hover');
  assert.ok((await fsp.stat(shot)).size > 10_000);
});

test('a quick fix previewed in the refactoring preview: the fix and the SOA serial bump, then applied', { timeout: 5 * 60_000 }, async () => {
  assert.ok(wb);
  const { page } = wb;
  const input = page.locator('.quick-input-widget input.input');
  const editor = page.locator('.editor-instance .monaco-editor').first();
  await editor.locator('.view-line', { hasText: '_dmarc IN TXT' }).waitFor();
  // On "rejct" (line 13); the status bar says when the cursor is there.
  await wb.runCommand('Go to Line/Column...');
  await input.fill(':13:31');
  await input.press('Enter');
  await page.locator('.statusbar-item', { hasText: 'Ln 13, Col 31' }).waitFor();
  // The quick-fix menu; Ctrl+Enter previews the focused fix instead of applying it.
  await wb.runCommand('Quick Fix...');
  const item = page.locator('.action-widget .monaco-list-row', { hasText: 'Replace with reject; serial 1 → 2' });
  await item.waitFor();
  await item.hover();
  await page.keyboard.press('Control+Enter');
  // The Refactor Preview lists both edits of the fix: the tag's value and the SOA serial.
  const rows = page.locator('.monaco-tl-row');
  await rows.filter({ hasText: '@ IN SOA ns1 hostmaster 12 7200 3600 1209600 300' }).waitFor();
  await rows.filter({ hasText: '_dmarc IN TXT ( "v=DMARC1; p=rejctreject; "' }).waitFor();
  await wb.screenshot('ui-zone-quickfix-preview');
  await page.getByRole('button', { name: 'Apply', exact: true }).click();
  await editor.locator('.view-line', { hasText: '_dmarc IN TXT ( "v=DMARC1; p=reject; "' }).waitFor();
  await editor.locator('.view-line', { hasText: '@ IN SOA ns1 hostmaster 2 7200 3600 1209600 300' }).waitFor();
  assert.equal(await rows.filter({ hasText: 'hostmaster 12 7200' }).count(), 0, 'the preview closed');
});

// The real UI of Audit address range, driven like a person would: the built extension installed in
// code-server, against a real BIND serving generated reverse zones (test/harness/audit-zones.ts).
// The palette's input box says what is wrong with a block as you type; the table fills, filters by
// verdict, sorts by a column, and a row opens as the full rDNS report. Screenshots go to test-results/.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { startBind, type BindServer } from '../harness/bind';
import { writeAuditZones } from '../harness/audit-zones';
import { acceptInput, openWorkbench, type Workbench } from './ui';

let bind: BindServer | undefined;
let wb: Workbench | undefined;
let dir: string | undefined;
before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'maildns-ui-audit-'));
  writeAuditZones(dir, { prefix: '10.20', thirds: [0], classless: true });
  bind = await startBind({ zoneDir: dir });
  wb = await openWorkbench({ settings: { 'mailDns.resolvers': [bind.server] }, viewport: { width: 1500, height: 1000 } });
});
after(async () => {
  await wb?.close();
  await bind?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test('Audit address range from the palette: the table fills, filters, sorts, and a row opens as its rDNS report', { timeout: 5 * 60_000 }, async () => {
  assert.ok(wb);
  const { page } = wb;
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('input.input');
  await wb.runCommand('Mail DNS: Audit address range');
  await widget.getByText(/A CIDR block: every address gets its PTR/).waitFor();
  await input.fill('10.0.0.0/8');
  await widget.getByText(/an audit takes at most a \/16/).waitFor();
  await input.fill('10.20.0.0/25');
  await acceptInput(page);

  await page.locator('.tab', { hasText: 'Audit 10.20.0.0/25' }).waitFor();
  const table = page.frameLocator('iframe.webview').frameLocator('iframe#active-frame');
  await table.getByText(/^128 addresses — /).waitFor({ timeout: 120_000 });
  await table.getByText('128 matching rows.', { exact: false }).waitFor();

  // Only the failures: every row shown says fail.
  await table.locator('select.verdict-filter').selectOption('fail');
  await table.getByText(/^\d+ matching rows\./).waitFor();
  const verdicts = await table.locator('tbody tr td:nth-child(2)').allInnerTexts();
  assert.ok(verdicts.length > 0);
  assert.ok(verdicts.every((v) => v.trim() === 'fail'), verdicts.join(','));

  // Every verdict, sorted by address descending: the last address first.
  await table.locator('select.verdict-filter').selectOption('all');
  await table.getByRole('button', { name: /^Address/ }).click();
  await table.getByRole('button', { name: /^Address ▲/ }).click();
  await table.getByRole('button', { name: /^Address ▼/ }).waitFor();
  assert.equal((await table.locator('tbody tr td:first-child').first().innerText()).trim(), '10.20.0.127');
  await wb.screenshot('ui-audit-table');

  // A row through the RFC 2317 delegation, opened as the full rDNS report.
  await table.locator('input.text-filter').fill('10.20.0.70');
  await table.getByText(/^1 matching rows\./).waitFor();
  await table.locator('tbody tr').first().dblclick();
  await page.locator('.tab', { hasText: 'rDNS 10.20.0.70' }).waitFor();
});

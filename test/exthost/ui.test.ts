// The real UI, driven like a person would: the built extension installed in code-server, the
// palette (F1), the input box, the Mail DNS view and the report tab, against a real BIND.
// Screenshots of the tree and the report go to test-results/.
import * as assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startBind, type BindServer } from '../harness/bind';
import { FIXTURE_ZONES } from '../paths';
import { acceptInput, openWorkbench, type Workbench } from './ui';

let bind: BindServer;
let wb: Workbench;
before(async () => {
  bind = await startBind({ zoneDir: FIXTURE_ZONES });
  wb = await openWorkbench({ settings: { 'mailDns.resolvers': [bind.server] }, viewport: { width: 1400, height: 900 } });
});
after(async () => {
  await wb?.close();
  await bind?.stop();
});

test('Check rDNS for IP from the palette fills the tree and opens the report', { timeout: 5 * 60_000 }, async () => {
  const { page } = wb;
  await wb.runCommand('Mail DNS: Check rDNS for IP');
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible' });
  // Validation as you type names what is wrong.
  await input.fill('999.1.1.1');
  await page.locator('.quick-input-widget').getByText(/999 is larger than 255/).waitFor();
  await input.fill('203.0.113.100');
  await acceptInput(page);

  // The report tab opens and renders the verdict (its content lives in a webview iframe).
  await page.locator('.tab', { hasText: 'rDNS 203.0.113.100' }).waitFor();
  const report = page.frameLocator('iframe.webview').frameLocator('iframe#active-frame');
  await report.getByText('iprev: fail').waitFor();
  assert.ok(await report.getByText('reject_unknown_client_hostname').first().isVisible());

  // The Mail DNS view in the activity bar shows the check with its chain.
  await page.locator('.activitybar .action-item a[aria-label^="Mail DNS"]').click();
  const tree = page.locator('.pane-body .monaco-list[aria-label*="Results"], .pane-body .monaco-list').first();
  await tree.getByText('203.0.113.100').first().waitFor();
  await tree.getByText('mail.example.net').first().waitFor();
  const rows = await tree.locator('.monaco-list-row').allInnerTexts();
  assert.ok(rows.some((r) => /goes wrong/.test(r)), `no row marks where the chain goes wrong: ${rows.join(' | ')}`);
  await wb.screenshot('ui-rdns-tree-and-report');

  // Further down the same report: the chain with the hop where it goes wrong, and the findings.
  await report.locator('section.section-tree').evaluate((el) => el.scrollIntoView({ block: 'start' }));
  const wrong = report.locator('section.section-tree .node.wrong');
  assert.ok(await wrong.isVisible());
  assert.match(await wrong.innerText(), /mail\.example\.net .*goes wrong here/);
  assert.ok(await report.getByRole('button', { name: 'Copy dig' }).first().isVisible());
  await wb.screenshot('ui-rdns-chain-and-findings');
});

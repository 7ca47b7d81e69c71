// `npm start`'s demo as a newcomer meets it: scripts/start-demo.mjs starts BIND and code-server and
// prints an address; the workbench opens on demo/try-me.md (no generic Welcome page), and a report
// opens as a full editor tab, not squeezed into a split.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { importRepoModule } from './harness';
import { REPO_ROOT } from '../paths';
import { acceptInput, runCommandOn } from './ui';

let demo: ChildProcess | undefined;
let browser: { page: Page; close(): Promise<void> } | undefined;
let url: string;

before(async () => {
  demo = spawn(process.execPath, [path.join(REPO_ROOT, 'scripts', 'start-demo.mjs')], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  demo.stderr!.on('data', (d) => (stderr += d));
  url = await new Promise<string>((resolve, reject) => {
    readline.createInterface({ input: demo!.stdout! }).on('line', (line) => {
      const m = /^\s*Open: (\S+)/.exec(line);
      if (m) resolve(m[1]);
    });
    demo!.once('exit', (code) => reject(new Error(`the demo exited (${code}) before printing its address: ${stderr.slice(-2000)}`)));
  });
  const wb = await importRepoModule('test/exthost/workbench.mjs');
  browser = await wb.launchBrowser({ viewport: { width: 1400, height: 900 } });
  await browser!.page.goto(url, { waitUntil: 'domcontentloaded' });
  browser!.page.setDefaultTimeout(60_000);
  await browser!.page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible' });
});

after(async () => {
  await browser?.close();
  if (demo && demo.exitCode === null) {
    const exited = once(demo, 'exit');
    demo.kill('SIGTERM');
    await exited;
  }
});

test('the demo opens on try-me.md and nothing generic', { timeout: 5 * 60_000 }, async () => {
  const page = browser!.page;
  await page.locator('.tab', { hasText: 'try-me.md' }).waitFor();
  await page.locator('.editor-instance').getByText('Try Mail DNS Doctor on this demo').first().waitFor();
  const tabs = await page.locator('.tabs-container .tab').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? e.textContent ?? ''));
  assert.equal(tabs.length, 1, `tabs at start: ${tabs.join(' | ')}`);
  assert.match(tabs[0], /try-me\.md/);
});

test('a report opens as a full editor tab, not in a split', { timeout: 5 * 60_000 }, async () => {
  const page = browser!.page;
  await runCommandOn(page, 'Mail DNS: Check rDNS for IP');
  await page.locator('.quick-input-widget input.input').fill('203.0.113.100');
  await acceptInput(page);
  await page.locator('.tab', { hasText: 'rDNS 203.0.113.100' }).waitFor();
  const report = page.frameLocator('iframe.webview').frameLocator('iframe#active-frame');
  await report.getByText('iprev: fail').waitFor();
  assert.equal(await page.locator('.editor-group-container').count(), 1, 'the report opened a second editor group');
  const editorPart = await page.locator('.part.editor').boundingBox();
  const frame = await page.locator('iframe.webview').boundingBox();
  assert.ok(editorPart && frame && frame.width > 0.9 * editorPart.width, `the report is ${frame?.width} px wide in an editor area of ${editorPart?.width} px`);
  // The demo answers from its own BIND: the seed's loop is there.
  assert.ok(await report.getByText('mail.example.net').first().isVisible());
});

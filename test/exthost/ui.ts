// Real-UI tests, driven from the Node side: code-server with the BUILT extension installed in a
// temporary --extensions-dir (as a user would have it: notifications, webviews, views — nothing
// of the extension-development mode), opened in headless Chromium through playwright-core.
//
//   const wb = await openWorkbench({ settings: { 'mailDns.resolvers': ['127.0.0.1:5353'] } });
//   try {
//     await wb.runCommand('Mail DNS: Check rDNS for IP');
//     await wb.page.keyboard.type('192.0.2.1');
//     await wb.page.keyboard.press('Enter');
//     await wb.page.getByText('…').waitFor();
//     await wb.screenshot('check-rdns');          // test-results/check-rdns.png
//   } finally {
//     await wb.close();
//   }
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { REPO_ROOT, ensureCodeServer, importRepoModule, prepareWorkspace } from './harness';

export interface OpenWorkbenchOptions {
  /** Folder to copy and open: default demo/ (if it exists, else an empty folder); null = empty folder. */
  workspace?: string | null;
  /** Workspace settings, merged into `<workspace copy>/.vscode/settings.json`. */
  settings?: Record<string, unknown>;
  /** User settings on top of the tier's quiet defaults. */
  userSettings?: Record<string, unknown>;
  /** Install the built extension (package.json, dist/, media/) into the extensions dir. Default true. */
  installExtension?: boolean;
  /** The extension folder to install (default: the repository root). */
  extensionDir?: string;
  /** Install this .vsix with `code-server --install-extension` instead of copying a folder. */
  vsix?: string;
  /** Environment for code-server and so for the extension host. */
  env?: Record<string, string>;
  viewport?: { width: number; height: number };
  /** Keep the run folder after close() (also MAILDNS_EXTHOST_KEEP=1). */
  keep?: boolean;
}

export interface Workbench {
  page: Page;
  context: BrowserContext;
  /** http://127.0.0.1:PORT of this code-server. */
  origin: string;
  /** The workspace copy that is open. */
  workspace: string;
  /** The run's temporary folder: workspace, user-data, extensions, logs. */
  runDir: string;
  /** Where the extension is installed (`<runDir>/extensions`). */
  extensionsDir: string;
  /** code-server.log and browser-console.log. */
  logDir: string;
  /**
   * Runs a command from the Command Palette (F1, its title, Enter), e.g. 'Mail DNS: Check rDNS for IP'.
   * Retries until the command is listed (the extension's contributions may still be loading).
   */
  runCommand(title: string, options?: { timeoutMs?: number }): Promise<void>;
  /** Saves `<test-results>/<name>.png` of the page and returns its path. */
  screenshot(name: string): Promise<string>;
  /** Closes Chromium, stops code-server, deletes the run folder unless kept. */
  close(options?: { keep?: boolean }): Promise<void>;
}

/** Starts code-server with the extension installed and opens the workbench on a workspace copy. */
export async function openWorkbench(opts: OpenWorkbenchOptions = {}): Promise<Workbench> {
  const wb = await importRepoModule('test/exthost/workbench.mjs');
  wb.installSignalCleanup();
  const codeServer = await ensureCodeServer((line) => process.stderr.write(`[ensure-code-server] ${line}\n`));

  const runDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'maildns-ui-'));
  const logDir = path.join(runDir, 'logs');
  const userDataDir = path.join(runDir, 'user-data');
  const extensionsDir = path.join(runDir, 'extensions');
  await fsp.mkdir(logDir, { recursive: true });
  await fsp.mkdir(extensionsDir, { recursive: true });
  const workspace = await prepareWorkspace(path.join(runDir, 'workspace'), opts.workspace, opts.settings);
  await wb.writeUserSettings(userDataDir, opts.userSettings ?? {});
  if (opts.vsix) {
    await wb.installVsix({ codeServer, vsix: opts.vsix, userDataDir, extensionsDir });
  } else if (opts.installExtension !== false) {
    await wb.installExtensionFolder({ extensionsDir, sourceDir: path.resolve(opts.extensionDir ?? REPO_ROOT) });
  }

  let server: { origin: string; stop(): Promise<unknown> } | undefined;
  let browser: { page: Page; context: BrowserContext; close(): Promise<void> } | undefined;
  let closed = false;
  const close = async (o: { keep?: boolean } = {}): Promise<void> => {
    if (closed) return;
    closed = true;
    await browser?.close().catch(() => {});
    await server?.stop().catch(() => {});
    if (o.keep || opts.keep || process.env.MAILDNS_EXTHOST_KEEP === '1') {
      process.stderr.write(`[ui] run folder kept: ${runDir}\n`);
    } else {
      await fsp.rm(runDir, { recursive: true, force: true });
    }
  };

  try {
    server = await wb.startCodeServer({
      codeServer,
      userDataDir,
      extensionsDir,
      smokeTestDriver: false,
      env: opts.env ?? {},
      logFile: path.join(logDir, 'code-server.log'),
    });
    browser = await wb.launchBrowser({ viewport: opts.viewport });
    const { page, context } = browser!;
    const consoleLog = fs.createWriteStream(path.join(logDir, 'browser-console.log'));
    page.on('console', (m) => consoleLog.write(`[${m.type()}] ${m.text()}\n`));
    page.on('pageerror', (e) => consoleLog.write(`[pageerror] ${e.stack ?? String(e)}\n`));
    page.on('close', () => consoleLog.end());

    await page.goto(wb.workbenchUrl({ origin: server!.origin, folder: workspace }), { waitUntil: 'domcontentloaded', timeout: 60_000 });
    await page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: 60_000 });

    // Every wait below is a safety net on an event, never an expectation of speed: two loaded cores
    // can make any step take many seconds.
    page.setDefaultTimeout(60_000);
    const runCommand = (title: string, o: { timeoutMs?: number } = {}) => runCommandOn(page, title, { ...o, logDir });

    return {
      page,
      context,
      origin: server!.origin,
      workspace,
      runDir,
      extensionsDir,
      logDir,
      runCommand,
      screenshot: (name: string) => wb.saveScreenshot(page, name) as Promise<string>,
      close,
    };
  } catch (err) {
    await close({ keep: true });
    throw err;
  }
}

/**
 * Runs a command from the Command Palette of `page` (F1, its title, Enter).
 *
 * F1 is pressed again while the palette has not opened: a key pressed before the workbench has
 * registered its keybindings is dropped, which under load happens well after the status bar shows.
 * The list is reopened while the command is not listed: it does not refresh by itself when the
 * extension's contributions arrive.
 */
export async function runCommandOn(page: Page, title: string, o: { timeoutMs?: number; logDir?: string } = {}): Promise<void> {
  const deadline = Date.now() + (o.timeoutMs ?? 120_000);
  const left = () => Math.max(500, deadline - Date.now());
  const input = page.locator('.quick-input-widget input.input');
  const rows = page.locator('.quick-input-widget .monaco-list-row');
  const fail = (what: string) => new Error(`command "${title}": ${what}${o.logDir ? ` (see ${o.logDir})` : ''}`);
  // F1 replaces whatever quick input is open (a command's own input box) with the palette.
  for (let first = true; ; first = false) {
    if (first || !(await input.isVisible())) {
      await page.keyboard.press('F1');
      try {
        await input.waitFor({ state: 'visible', timeout: Math.min(2_000, left()) });
      } catch {
        if (Date.now() >= deadline) throw fail('the Command Palette did not open');
        continue;
      }
    }
    await input.fill(`>${title}`);
    const row = rows.filter({ hasText: title }).first();
    try {
      await row.waitFor({ state: 'visible', timeout: Math.min(2_000, left()) });
    } catch {
      await input.press('Escape');
      await input.waitFor({ state: 'hidden', timeout: left() });
      if (Date.now() >= deadline) throw fail('not in the Command Palette');
      continue;
    }
    // Enter in the palette's own input runs the focused row; a click runs any other.
    const focused = rows.filter({ hasText: title }).and(page.locator('.focused')).first();
    if (await focused.count()) await input.press('Enter');
    else await row.click();
    // The palette has taken it once its row is gone (the widget itself may stay: a command
    // can reuse it for its own input box).
    await row.waitFor({ state: 'hidden', timeout: left() });
    return;
  }
}

/**
 * Accepts the input box that is showing: Enter with the keyboard focus in its input (a key sent to
 * the page goes wherever the focus is, and a notification or a webview can hold it).
 */
export async function acceptInput(page: Page): Promise<void> {
  await page.locator('.quick-input-widget input.input').press('Enter');
}

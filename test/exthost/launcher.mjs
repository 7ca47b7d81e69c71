#!/usr/bin/env node
// A stand-in for VS Code's executable, for @vscode/test-electron's runTests({ vscodeExecutablePath }):
// it takes VS Code's desktop arguments, runs the extension tests in code-server's real Node
// extension host (driven by headless Chromium) and exits with the tests' exit code.
//
//   node test/exthost/launcher.mjs --extensionDevelopmentPath=/repo \
//        --extensionTestsPath=/repo/out/test/exthost/suite/index.js [--user-data-dir=…] \
//        [--extensions-dir=…] [--disable-extensions] [--extensionEnvironment='{"K":"V"}'] [folder]
//
// stdout: the extension host's console (what the tests print). stderr: the launcher's own lines.
// Both also go to <log dir>/output.log, which the harness reads back (runTests() only forwards them).
// Environment:
//   MAILDNS_EXTHOST_TIMEOUT_MS  overall limit (default 300000); past it: exit 1 with a message
//   MAILDNS_EXTHOST_VERBOSE=1   also copy code-server's own log lines and the page console to stderr
//   MAILDNS_EXTHOST_LOG_DIR     where logs go (default <user-data-dir>/launcher-logs)
//   MAILDNS_EXTHOST_ENV         JSON object: extra environment for the extension host
//   MAILDNS_TEST_RESULTS_DIR    where screenshots go (default <repo>/test-results)
//   MAILDNS_CHROMIUM            Chromium binary (default /usr/bin/chromium)
//
// Screenshot channel: an extension-host line `@@maildns:screenshot <name>` makes the launcher save
// <results dir>/<name>.png of the page (temporary name, then rename).

import { appendFileSync, mkdirSync, createWriteStream, existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  REPO_ROOT,
  SCREENSHOT_MARKER,
  killAllCodeServers,
  launchBrowser,
  remoteUri,
  saveScreenshot,
  saveWindowLogs,
  startCodeServer,
  testResultsDir,
  workbenchUrl,
  writeUserSettings,
} from './workbench.mjs';

const started = Date.now();
/** <log dir>/output.log once the log folder is known: a copy of everything printed. */
let outputLog;
function emit(stream, text) {
  (stream === 'stderr' ? process.stderr : process.stdout).write(text);
  if (outputLog) appendFileSync(outputLog, text);
}
const say = (msg) => emit('stderr', `[exthost-launcher] ${msg}\n`);
const seconds = () => ((Date.now() - started) / 1000).toFixed(1);

// --- arguments ----------------------------------------------------------------------------------
/** Options of VS Code's CLI that take a value (`--name value` or `--name=value`). */
const VALUE_OPTIONS = new Set([
  'extensionDevelopmentPath',
  'extensionTestsPath',
  'extensionEnvironment',
  'user-data-dir',
  'extensions-dir',
  'locale',
  'log',
  'inspect-extensions',
  'inspect-brk-extensions',
  'folder-uri',
  'file-uri',
  'profile',
  'sync',
]);
/** Flags the desktop runner passes that mean nothing here. */
const IGNORED_FLAGS = new Set([
  'no-sandbox',
  'disable-gpu-sandbox',
  'disable-gpu',
  'disable-updates',
  'skip-welcome',
  'skip-release-notes',
  'no-cached-data',
  'disable-workspace-trust',
  'disable-telemetry',
  'disable-crash-reporter',
  'disable-chromium-sandbox',
  'new-window',
  'n',
  'reuse-window',
  'r',
  'wait',
  'verbose',
  'disable-extension',
  'enable-proposed-api',
  'crash-reporter-directory',
]);

export function parseArgs(argv) {
  const o = { extensionDevelopmentPath: [], positional: [], disableExtensions: false, unknown: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      o.positional.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('-')) {
      o.positional.push(a);
      continue;
    }
    const body = a.replace(/^--?/, '');
    const eq = body.indexOf('=');
    const name = eq >= 0 ? body.slice(0, eq) : body;
    let value = eq >= 0 ? body.slice(eq + 1) : undefined;
    if (VALUE_OPTIONS.has(name) && value === undefined) value = argv[++i];
    switch (name) {
      case 'extensionDevelopmentPath':
        o.extensionDevelopmentPath.push(value);
        break;
      case 'extensionTestsPath':
        o.extensionTestsPath = value;
        break;
      case 'extensionEnvironment':
        o.extensionEnvironment = value;
        break;
      case 'user-data-dir':
        o.userDataDir = value;
        break;
      case 'extensions-dir':
        o.extensionsDir = value;
        break;
      case 'folder-uri':
        o.positional.push(value.startsWith('file://') ? new URL(value).pathname : value);
        break;
      case 'disable-extensions':
        o.disableExtensions = true;
        break;
      case 'help':
      case 'h':
        o.help = true;
        break;
      default:
        if (!IGNORED_FLAGS.has(name) && !VALUE_OPTIONS.has(name)) o.unknown.push(a);
    }
  }
  return o;
}

function usage() {
  process.stdout.write(
    'usage: launcher.mjs --extensionDevelopmentPath=DIR --extensionTestsPath=FILE [--user-data-dir=DIR]\n' +
      '                    [--extensions-dir=DIR] [--disable-extensions] [--extensionEnvironment=JSON] [FOLDER]\n' +
      'Runs VS Code extension tests in code-server + headless Chromium; exits with their exit code.\n',
  );
}

// --- lifecycle ----------------------------------------------------------------------------------
let server;
let browser;
let logDir;
const tempDirs = [];
let finishing;

async function cleanup() {
  const steps = [];
  if (browser) steps.push(browser.close().catch(() => {}));
  await Promise.all(steps);
  if (server) await server.stop().catch(() => {});
  killAllCodeServers();
  for (const d of tempDirs) await rm(d, { recursive: true, force: true }).catch(() => {});
}

/** Ends the launcher once, whatever called it: cleans up (bounded) and exits with `code`. */
function finish(code, message) {
  if (finishing) return finishing;
  if (message) say(message);
  const hardStop = setTimeout(() => {
    say('cleanup took over 20 s; killing code-server and exiting');
    killAllCodeServers();
    process.exit(code);
  }, 20_000);
  hardStop.unref();
  finishing = cleanup().finally(() => {
    clearTimeout(hardStop);
    process.exit(code);
  });
  return finishing;
}

const SIGNAL_CODES = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
for (const sig of Object.keys(SIGNAL_CODES)) {
  process.on(sig, () => finish(SIGNAL_CODES[sig], `received ${sig}; stopping code-server and Chromium`));
}
process.on('uncaughtException', (err) => finish(1, `error: ${err?.stack ?? err}`));
process.on('unhandledRejection', (err) => finish(1, `error: ${err?.stack ?? err}`));

// --- main ---------------------------------------------------------------------------------------
async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.help) {
    usage();
    return finish(0);
  }
  if (!opts.extensionTestsPath) {
    usage();
    return finish(2, 'no --extensionTestsPath: this launcher only runs extension tests');
  }
  if (opts.unknown.length) say(`ignoring unsupported arguments: ${opts.unknown.join(' ')}`);

  const timeoutMs = Number(process.env.MAILDNS_EXTHOST_TIMEOUT_MS || 300_000);
  const verbose = process.env.MAILDNS_EXTHOST_VERBOSE === '1';
  const overall = setTimeout(() => {
    const shot = browser?.page
      ? saveScreenshot(browser.page, 'exthost-timeout', logDir).then((p) => say(`screenshot at timeout: ${p}`), () => {})
      : Promise.resolve();
    shot.finally(() =>
      finish(1, `TIMEOUT: the extension tests did not finish within ${timeoutMs} ms (MAILDNS_EXTHOST_TIMEOUT_MS)${logDir ? `; logs in ${logDir}` : ''}`),
    );
  }, timeoutMs);
  overall.unref();

  const { ensureCodeServer } = await import(pathToFileURL(path.join(REPO_ROOT, 'scripts', 'ensure-code-server.mjs')).href);
  const codeServer = await ensureCodeServer({ progress: (l) => say(l) });

  const userDataDir = opts.userDataDir ? path.resolve(opts.userDataDir) : await mkdtemp(path.join(os.tmpdir(), 'maildns-ud-'));
  if (!opts.userDataDir) tempDirs.push(userDataDir);
  const extensionsDir = opts.extensionsDir ? path.resolve(opts.extensionsDir) : await mkdtemp(path.join(os.tmpdir(), 'maildns-ext-'));
  if (!opts.extensionsDir) tempDirs.push(extensionsDir);
  logDir = process.env.MAILDNS_EXTHOST_LOG_DIR ? path.resolve(process.env.MAILDNS_EXTHOST_LOG_DIR) : path.join(userDataDir, 'launcher-logs');
  mkdirSync(logDir, { recursive: true });
  outputLog = path.join(logDir, 'output.log');
  if (!existsSync(path.join(userDataDir, 'User', 'settings.json'))) await writeUserSettings(userDataDir);
  const resultsDir = testResultsDir();

  const folder = opts.positional[0] ? path.resolve(opts.positional[0]) : undefined;
  const devPaths = opts.extensionDevelopmentPath.map((p) => path.resolve(p));
  const testsPath = path.resolve(opts.extensionTestsPath);
  let extEnv;
  for (const src of [process.env.MAILDNS_EXTHOST_ENV, opts.extensionEnvironment]) {
    if (!src) continue;
    try {
      extEnv = { ...extEnv, ...JSON.parse(src) };
    } catch {
      return finish(2, `extension environment is not a JSON object: ${src}`);
    }
  }

  // Screenshots requested by the tests, one at a time.
  let shots = Promise.resolve();
  const requestShot = (name) => {
    shots = shots.then(async () => {
      try {
        if (!browser) throw new Error('no page yet');
        const file = await saveScreenshot(browser.page, name, resultsDir);
        say(`screenshot saved: ${path.relative(process.cwd(), file) || file}`);
      } catch (err) {
        say(`screenshot "${name}" failed: ${err instanceof Error ? err.message : err}`);
      }
    });
  };

  const onExtHostLine = (line, stream) => {
    emit(stream, line + '\n');
    const t = line.trim();
    if (t.startsWith(SCREENSHOT_MARKER + ' ')) requestShot(t.slice(SCREENSHOT_MARKER.length + 1).trim());
  };

  const tStart = Date.now();
  server = await startCodeServer({
    codeServer,
    userDataDir,
    extensionsDir,
    smokeTestDriver: true,
    env: { MAILDNS_TEST_RESULTS_DIR: resultsDir },
    logFile: path.join(logDir, 'code-server.log'),
    onExtHostLine,
    onServerLine: verbose ? (l) => process.stderr.write(`[code-server] ${l}\n`) : undefined,
  });
  say(`code-server ${codeServer.codeServerVersion} (VS Code ${codeServer.vscodeVersion}) listening on ${server.origin} after ${((Date.now() - tStart) / 1000).toFixed(1)} s`);
  server.exited.then((e) => {
    if (!finishing) finish(1, `code-server exited unexpectedly (${e.code ?? e.signal}); see ${path.join(logDir, 'code-server.log')}`);
  });

  browser = await launchBrowser();
  const { page } = browser;
  const consoleLog = createWriteStream(path.join(logDir, 'browser-console.log'));
  page.on('console', (m) => {
    const line = `[${m.type()}] ${m.text()}`;
    consoleLog.write(line + '\n');
    if (verbose) process.stderr.write(`[page] ${line}\n`);
  });
  page.on('pageerror', (e) => consoleLog.write(`[pageerror] ${e.stack ?? e}\n`));
  page.on('crash', () => finish(1, 'the workbench page crashed'));

  // The workbench calls window.codeAutomationExit(code, logs) when the extension tests end.
  let testsExited;
  const testsDone = new Promise((resolve) => (testsExited = resolve));
  await page.exposeFunction('codeAutomationExit', (code, logs) => {
    try {
      saveWindowLogs(path.join(logDir, 'window'), logs);
    } catch {
      /* best effort */
    }
    testsExited(typeof code === 'number' ? code : 1);
  });

  const payload = [
    ...devPaths.map((p) => ['extensionDevelopmentPath', remoteUri(server.port, p)]),
    ['extensionTestsPath', remoteUri(server.port, testsPath)],
    // Makes the server copy the extension host's console to its stdout (which we forward).
    ['debugId', 'maildns-exthost'],
  ];
  if (opts.disableExtensions) payload.push(['disableExtensions', 'true']);
  if (extEnv) payload.push(['extensionEnvironment', JSON.stringify(extEnv)]);

  const url = workbenchUrl({ origin: server.origin, folder, payload });
  say(`opening the workbench${folder ? ` on ${folder}` : ''} (logs: ${logDir})`);
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });

  const code = await testsDone;
  await shots;
  clearTimeout(overall);
  return finish(code, `extension tests exited with code ${code} after ${seconds()} s`);
}

main().catch((err) => finish(1, `error: ${err instanceof Error ? err.stack ?? err.message : err}`));

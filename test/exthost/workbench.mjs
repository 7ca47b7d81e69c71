// Shared core of the extension-host tier: starts code-server (VS Code server + web workbench)
// from the cache that scripts/ensure-code-server.mjs fills, and headless Chromium through
// playwright-core. Used by launcher.mjs (extension tests, `payload` URL) and by ui.ts (real-UI
// tests with the extension installed).
//
// Plain ESM for Node 20: not compiled. TS files load it with a real dynamic import().
//
// Network: code-server binds 127.0.0.1 only; its extension gallery points at a closed loopback
// port and its HTTP(S) proxy at another, and Chromium resolves no name and sends everything
// that is not loopback to a closed loopback proxy. Nothing leaves 127.0.0.0/8.

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** An extension-host test prints this followed by a name; the launcher saves a screenshot. */
export const SCREENSHOT_MARKER = '@@maildns:screenshot';

/** Where screenshots go (and where the in-host helper waits for them). */
export function testResultsDir() {
  return process.env.MAILDNS_TEST_RESULTS_DIR
    ? path.resolve(process.env.MAILDNS_TEST_RESULTS_DIR)
    : path.join(REPO_ROOT, 'test-results');
}

/** A closed port on loopback: connections to it are refused at once. */
const DEAD_LOOPBACK = 'http://127.0.0.1:9';

/** code-server's extension gallery, moved to a closed loopback port (default is open-vsx.org). */
export const LOOPBACK_GALLERY = {
  serviceUrl: `${DEAD_LOOPBACK}/gallery`,
  itemUrl: `${DEAD_LOOPBACK}/item`,
  extensionUrlTemplate: `${DEAD_LOOPBACK}/gallery/{publisher}/{name}/latest`,
  resourceUrlTemplate: `${DEAD_LOOPBACK}/asset/{publisher}/{name}/{version}/Microsoft.VisualStudio.Code.WebResources/{path}`,
  controlUrl: '',
  recommendationsUrl: '',
};

/** Flags for headless Chromium as root; the user-data-dir is added by launchBrowser. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
  // No name is resolved except loopback, and whatever is not loopback goes to a closed proxy.
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1',
  `--proxy-server=${DEAD_LOOPBACK}`,
  '--proxy-bypass-list=127.0.0.1;localhost;[::1]',
];

/** User settings for every test profile: quiet, offline, nothing opening by itself. */
export const DEFAULT_USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'chat.disableAIFeatures': true,
  'git.autofetch': false,
  'git.openRepositoryInParentFolders': 'never',
  'npm.fetchOnlinePackageInfo': false,
  'json.schemaDownload.enable': false,
  'typescript.disableAutomaticTypeAcquisition': true,
  'window.restoreWindows': 'none',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  // In a browser, VS Code saves a changed file after 1 s by default (desktop: never). A test's unsaved edit
  // then reached the disk or not depending on the machine's load, and a later revert found it there.
  'files.autoSave': 'off',
};

export async function writeJson(file, value) {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify(value, null, 2) + '\n');
}

/** Writes `<userDataDir>/User/settings.json` = defaults + `settings`. */
export async function writeUserSettings(userDataDir, settings = {}) {
  await writeJson(path.join(userDataDir, 'User', 'settings.json'), { ...DEFAULT_USER_SETTINGS, ...settings });
}

/** A port that was free on 127.0.0.1 a moment ago. */
export async function freePort() {
  const srv = net.createServer();
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const { port } = /** @type {net.AddressInfo} */ (srv.address());
  srv.close();
  await once(srv, 'close');
  return port;
}

// --- process groups: every code-server we start is killed when this process exits ---------------
const liveGroups = new Set();

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

let exitHookInstalled = false;
function installExitHook() {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Last resort, synchronous: whatever path leads to exit, no code-server outlives us.
  process.on('exit', () => {
    for (const pid of liveGroups) killGroup(pid, 'SIGKILL');
  });
}

let signalHookInstalled = false;
/**
 * For processes that keep default signal behaviour (test files): on SIGINT/SIGTERM/SIGHUP, kill
 * our code-servers, then die of the same signal as before. The launcher has its own handlers.
 */
export function installSignalCleanup() {
  if (signalHookInstalled) return;
  signalHookInstalled = true;
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    const handler = () => {
      for (const pid of liveGroups) killGroup(pid, 'SIGKILL');
      process.removeListener(sig, handler);
      if (process.listenerCount(sig) === 0) process.kill(process.pid, sig);
    };
    process.on(sig, handler);
  }
}

/** Kills every code-server process group this process started (synchronous). */
export function killAllCodeServers(signal = 'SIGKILL') {
  for (const pid of liveGroups) killGroup(pid, signal);
}

/**
 * Splits code-server's stdout into its own log lines and the extension host's console.
 * The server logs each chunk the extension host writes as
 *   `[hh:mm:ss] [127.0.0.1][id][ExtensionHostConnection] <pid> <chunk>` (or `<pid><stderr> `),
 * where the chunk goes on over the following unprefixed lines and console.* output is wrapped in
 * START_NATIVE_LOG / END_NATIVE_LOG markers.
 * @param {(line: string, stream: 'stdout' | 'stderr') => void} onExtHostLine
 * @param {(line: string) => void} onServerLine
 */
export function extHostOutputParser(onExtHostLine, onServerLine) {
  const exthostPrefix = /^\[[\d:.TZ-]+\] \[[^\]]*\]\[[^\]]*\]\[ExtensionHostConnection\] <\d+>(<stderr>)? ?/;
  const serverLine = /^(\[\d{2}:\d{2}:\d{2}\]|\[\d{4}-\d{2}-\d{2}T[^\]]*\]|\[IPC Library)/;
  const lifecycle = /^(Launched Extension Host Process\.|Extension Host Process exited with code|\[reconnection-grace-time\]|New connection established\.|Starting extension host process\.\.\.|Extension Host Process had an error|Unknown reconnection token|The client has disconnected|The client has reconnected)/;
  let inExtHost = false;
  let inBlock = false;
  /** @type {string[]} */
  let block = [];
  /** @type {string[]} */
  let echo = [];
  let stream = /** @type {'stdout' | 'stderr'} */ ('stdout');
  return (raw) => {
    const line = raw.replace(/\r$/, '');
    const m = exthostPrefix.exec(line);
    let text;
    if (m) {
      text = line.slice(m[0].length);
      if (lifecycle.test(text)) {
        inExtHost = false;
        onServerLine(line);
        return;
      }
      inExtHost = true;
      stream = m[1] ? 'stderr' : 'stdout';
    } else if (serverLine.test(line)) {
      inExtHost = false;
      onServerLine(line);
      return;
    } else if (inExtHost) {
      text = line;
    } else {
      onServerLine(line);
      return;
    }
    const t = text.trim();
    if (t === 'START_NATIVE_LOG') {
      inBlock = true;
      block = [];
      echo = [];
      return;
    }
    if (t === 'END_NATIVE_LOG') {
      inBlock = false;
      echo = block;
      return;
    }
    if (t === '') return;
    if (inBlock) {
      block.push(text);
    } else if (echo.length && echo[0] === text) {
      // A direct process.stdout.write comes twice: in a marker block, then raw. Keep one.
      echo.shift();
      return;
    } else {
      echo = [];
    }
    onExtHostLine(text, stream);
  };
}

function sanitizedEnv(base) {
  const env = { ...base };
  for (const k of Object.keys(env)) {
    // Inside a VS Code / code-server terminal these make code-server hand the request to that
    // instance instead of starting; NODE_TEST_CONTEXT belongs to a surrounding `node --test`.
    if (k.startsWith('VSCODE_') || k === 'ELECTRON_RUN_AS_NODE' || k === 'NODE_TEST_CONTEXT') delete env[k];
  }
  return env;
}

function httpGetStatus(url) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.setTimeout(10_000, () => req.destroy(new Error(`GET ${url} timed out`)));
    req.on('error', reject);
  });
}

/** The environment code-server runs in: no outside network, its own data under the profile. */
function codeServerEnv(codeServer, userDataDir, extra = {}) {
  return {
    ...sanitizedEnv(process.env),
    PATH: `${codeServer.nodeBinDir}${path.delimiter}${process.env.PATH ?? ''}`,
    // code-server's own logs (coder-logs) and heartbeat file go under the profile, not ~.
    XDG_DATA_HOME: path.join(userDataDir, 'xdg-data'),
    EXTENSIONS_GALLERY: JSON.stringify(LOOPBACK_GALLERY),
    // Any HTTP(S) request the server or an extension makes through a proxy-aware client goes
    // to a closed loopback port instead of the outside; loopback itself is direct.
    HTTP_PROXY: DEAD_LOOPBACK,
    HTTPS_PROXY: DEAD_LOOPBACK,
    http_proxy: DEAD_LOOPBACK,
    https_proxy: DEAD_LOOPBACK,
    NO_PROXY: '127.0.0.1,localhost,::1',
    no_proxy: '127.0.0.1,localhost,::1',
    ...extra,
  };
}

/**
 * Installs a .vsix the way a user does, `code-server --install-extension <file>`, into
 * `extensionsDir`. Resolves with what code-server printed; rejects when it did not install.
 * @param {{ codeServer: { nodeBin: string, nodeBinDir: string, entry: string }, vsix: string, userDataDir: string, extensionsDir: string }} o
 */
export async function installVsix(o) {
  await mkdir(o.userDataDir, { recursive: true });
  await mkdir(o.extensionsDir, { recursive: true });
  const args = [o.codeServer.entry, '--user-data-dir', o.userDataDir, '--extensions-dir', o.extensionsDir, '--install-extension', o.vsix];
  const child = spawn(o.codeServer.nodeBin, args, { env: codeServerEnv(o.codeServer, o.userDataDir), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const [code, signal] = await once(child, 'close');
  if (code !== 0 || !/successfully installed/i.test(output)) {
    throw new Error(`code-server --install-extension ${o.vsix} failed (${code ?? signal}): ${output.trim().slice(0, 2000)}`);
  }
  return output;
}

/**
 * Starts code-server on a free loopback port, in its own process group.
 * @param {object} o
 * @param {{ nodeBin: string, nodeBinDir: string, entry: string }} o.codeServer  from ensureCodeServer()
 * @param {string} o.userDataDir
 * @param {string} o.extensionsDir
 * @param {boolean} [o.smokeTestDriver]  honour the `payload` URL parameter (extension tests)
 * @param {Record<string, string>} [o.env]  extra environment (the extension host inherits it)
 * @param {string[]} [o.extraArgs]
 * @param {string} [o.logFile]  raw stdout+stderr of code-server
 * @param {(line: string, stream: 'stdout' | 'stderr') => void} [o.onExtHostLine]
 * @param {(line: string) => void} [o.onServerLine]
 * @param {number} [o.readyTimeoutMs]
 */
export async function startCodeServer(o) {
  installExitHook();
  const readyTimeoutMs = o.readyTimeoutMs ?? 60_000;
  await mkdir(o.userDataDir, { recursive: true });
  await mkdir(o.extensionsDir, { recursive: true });
  const configFile = path.join(o.userDataDir, 'code-server-config.yaml');
  await writeFile(configFile, 'auth: none\n');
  const log = o.logFile ? createWriteStream(o.logFile, { flags: 'a' }) : undefined;
  const parse = extHostOutputParser(o.onExtHostLine ?? (() => {}), o.onServerLine ?? (() => {}));

  let lastError;
  for (let attempt = 1; attempt <= 3; attempt++) {
    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    const args = [
      o.codeServer.entry,
      '--auth', 'none',
      '--bind-addr', `127.0.0.1:${port}`,
      '--user-data-dir', o.userDataDir,
      '--extensions-dir', o.extensionsDir,
      '--config', configFile,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--ignore-last-opened',
      // A safety net: with no client for this long, code-server shuts itself down.
      '--idle-timeout-seconds', '120',
      ...(o.smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
      ...(o.extraArgs ?? []),
    ];
    const env = codeServerEnv(o.codeServer, o.userDataDir, o.env);
    log?.write(`\n===== code-server attempt ${attempt}: ${o.codeServer.nodeBin} ${args.join(' ')}\n`);
    const child = spawn(o.codeServer.nodeBin, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const pid = child.pid;
    if (pid === undefined) {
      await once(child, 'error').catch(() => {});
      throw new Error(`could not start code-server (${o.codeServer.nodeBin})`);
    }
    liveGroups.add(pid);
    const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    let exitInfo;
    exited.then((e) => {
      exitInfo = e;
    });

    let output = '';
    const listening = new Promise((resolve) => {
      const onLine = (stream) => (line) => {
        log?.write(`${stream === 'stderr' ? '[stderr] ' : ''}${line}\n`);
        if (output.length < 20_000) output += line + '\n';
        if (line.includes(`HTTP server listening on ${origin}`)) resolve(true);
        if (stream === 'stderr') o.onServerLine?.(line);
        else parse(line);
      };
      readline.createInterface({ input: child.stdout }).on('line', onLine('stdout'));
      readline.createInterface({ input: child.stderr }).on('line', onLine('stderr'));
    });

    let timer;
    const timedOut = new Promise((resolve) => {
      timer = setTimeout(() => resolve('timeout'), readyTimeoutMs);
    });
    const first = await Promise.race([listening.then(() => 'listening'), exited.then(() => 'exited'), timedOut]);
    clearTimeout(timer);

    const stop = async () => {
      if (!liveGroups.has(pid)) return exitInfo;
      killGroup(pid, 'SIGTERM');
      let t;
      const r = await Promise.race([exited, new Promise((res) => (t = setTimeout(() => res(undefined), 5_000)))]);
      clearTimeout(t);
      // The group may hold helpers (extension host, pty host) even after the main process left.
      killGroup(pid, 'SIGKILL');
      liveGroups.delete(pid);
      if (!r) await exited;
      await new Promise((res) => (log ? log.end(res) : res(undefined)));
      return exitInfo;
    };

    if (first === 'listening') {
      // The log line comes right after listen(); confirm that HTTP answers.
      const status = await httpGetStatus(`${origin}/healthz`).catch((e) => e);
      if (status === 200) {
        return { port, origin, pid, child, exited, stop, logFile: o.logFile };
      }
      lastError = new Error(`code-server listens on ${origin} but GET /healthz answered ${status instanceof Error ? status.message : status}`);
      await stop();
      break;
    }
    if (first === 'timeout') {
      await stop();
      lastError = new Error(`code-server did not report listening on ${origin} within ${readyTimeoutMs} ms; its output:\n${output.slice(-3000)}`);
      break;
    }
    // Exited before listening: retry on a port race, give up otherwise.
    await stop();
    lastError = new Error(
      `code-server exited (${exitInfo?.code ?? exitInfo?.signal}) before listening on ${origin}; its output:\n${output.slice(-3000)}`,
    );
    if (!/EADDRINUSE/.test(output)) break;
  }
  throw lastError;
}

/**
 * Headless Chromium (Debian's, never a download) with a fresh profile.
 * @param {{ viewport?: { width: number, height: number }, executablePath?: string }} [o]
 */
export async function launchBrowser(o = {}) {
  const { chromium } = await import('playwright-core');
  const profile = await mkdtemp(path.join(os.tmpdir(), 'maildns-chromium-'));
  const executablePath = o.executablePath ?? process.env.MAILDNS_CHROMIUM ?? '/usr/bin/chromium';
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      chromiumSandbox: false,
      args: CHROMIUM_ARGS,
      viewport: o.viewport ?? { width: 1280, height: 800 },
      // Chromium puts its crash database under $HOME/.config unless told otherwise.
      env: { ...process.env, XDG_CONFIG_HOME: path.join(profile, 'xdg-config'), XDG_CACHE_HOME: path.join(profile, 'xdg-cache') },
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
      timeout: 60_000,
    });
  } catch (err) {
    await rm(profile, { recursive: true, force: true });
    throw new Error(`could not start headless Chromium at ${executablePath}: ${err instanceof Error ? err.message : err}`);
  }
  const page = context.pages()[0] ?? (await context.newPage());
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await context.close().catch(() => {});
    await rm(profile, { recursive: true, force: true }).catch(() => {});
  };
  return { context, page, close };
}

/** Encodes an absolute path for a URI (each segment on its own). */
function encodePath(p) {
  return p.split('/').map(encodeURIComponent).join('/');
}

/** `vscode-remote://127.0.0.1:PORT/abs/path`: a path on the code-server machine. */
export function remoteUri(port, absPath) {
  return `vscode-remote://127.0.0.1:${port}${encodePath(path.resolve(absPath))}`;
}

/**
 * The workbench URL: a folder (or .code-workspace) to open, and optionally a `payload` (honoured
 * when code-server runs with enable-smoke-test-driver).
 * @param {{ origin: string, folder?: string, payload?: [string, string][] }} o
 */
export function workbenchUrl(o) {
  const q = new URLSearchParams();
  if (o.folder) {
    const abs = path.resolve(o.folder);
    q.set(abs.endsWith('.code-workspace') ? 'workspace' : 'folder', abs);
  } else {
    q.set('ew', 'true');
  }
  if (o.payload) q.set('payload', JSON.stringify(o.payload));
  return `${o.origin}/?${q.toString()}`;
}

/**
 * Saves a PNG of the page as `<dir>/<name>.png`: written under a temporary name and renamed, so
 * whoever waits for the file never sees half of it.
 */
export async function saveScreenshot(page, name, dir = testResultsDir()) {
  if (!/^[A-Za-z0-9._-]+$/.test(name) || name.startsWith('.')) {
    throw new Error(`screenshot name "${name}" must match [A-Za-z0-9._-]+ and not start with a dot`);
  }
  mkdirSync(dir, { recursive: true });
  const target = path.join(dir, `${name}.png`);
  const tmp = path.join(dir, `.${name}.${process.pid}.partial`);
  await page.screenshot({ path: tmp, type: 'png' });
  await rename(tmp, target);
  return target;
}

/** Saves the workbench's own logs that codeAutomationExit hands over. */
export function saveWindowLogs(dir, logs) {
  if (!Array.isArray(logs)) return;
  for (const l of logs) {
    if (!l || typeof l.relativePath !== 'string' || typeof l.contents !== 'string') continue;
    const file = path.join(dir, l.relativePath.replace(/\.\.+/g, '_'));
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, l.contents);
  }
}

/**
 * Copies an extension folder as an installed extension into `extensionsDir` and registers it in
 * `extensions.json` (what the server reads to know what is installed).
 * @param {{ extensionsDir: string, sourceDir: string, include?: string[] }} o
 * @returns {Promise<{ id: string, version: string, dir: string }>}
 */
export async function installExtensionFolder(o) {
  const { cp, readFile, access } = await import('node:fs/promises');
  const pkg = JSON.parse(await readFile(path.join(o.sourceDir, 'package.json'), 'utf8'));
  const id = `${pkg.publisher}.${pkg.name}`.toLowerCase();
  const folder = `${id}-${pkg.version}`;
  const dir = path.join(o.extensionsDir, folder);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const include = o.include ?? ['package.json', 'dist', 'media', 'README.md', 'LICENSE', 'CHANGELOG.md', 'package.nls.json'];
  for (const name of include) {
    const src = path.join(o.sourceDir, name);
    try {
      await access(src);
    } catch {
      if (name === 'package.json') throw new Error(`${src} is missing`);
      continue;
    }
    await cp(src, path.join(dir, name), { recursive: true });
  }
  if (pkg.main) {
    const main = path.join(dir, pkg.main.endsWith('.js') ? pkg.main : `${pkg.main}.js`);
    try {
      await access(main);
    } catch {
      throw new Error(`the extension's main ${pkg.main} is not built (${main} is missing): run npm run build`);
    }
  }
  const manifest = path.join(o.extensionsDir, 'extensions.json');
  let entries = [];
  try {
    entries = JSON.parse(await readFile(manifest, 'utf8'));
  } catch {
    entries = [];
  }
  entries = entries.filter((e) => e?.identifier?.id?.toLowerCase() !== id);
  entries.push({
    identifier: { id },
    version: pkg.version,
    location: { $mid: 1, path: dir, scheme: 'file' },
    relativeLocation: folder,
    metadata: { installedTimestamp: Date.now(), source: 'vsix', pinned: true },
  });
  await writeJson(manifest, entries);
  return { id, version: pkg.version, dir };
}

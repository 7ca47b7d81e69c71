// Runs a real BIND (named) on 127.0.0.1, authoritative for a directory of zone files, for
// integration tests and the offline demo.
//
//   const bind = await startBind({ zoneDir: 'test/fixtures/zones' });
//   // dig @127.0.0.1 -p <bind.port> -x 192.0.2.10
//   await bind.stop();
//
// zoneDir holds the zone files and, unless `zones` is given, a manifest `zones.json`:
//   [{ "name": "example.com", "file": "example.com.zone" }, …]   (file relative to zoneDir)
//
// named runs in the foreground (-g, log to stderr) as the current user, with a named.conf written
// into a fresh temp dir: authoritative only (recursion no), no rndc (controls { }), no NOTIFY,
// no DNSSEC validation, IPv4 loopback only, and every source address pinned to 127.0.0.1 so it
// cannot send anything off the machine. Each zone is checked with named-checkzone first.

import { execFile, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LOOPBACK, freeUdpTcpPort } from './ports';

export interface BindZone {
  /** Zone origin, e.g. `example.com` or `64/26.100.51.198.in-addr.arpa`. */
  name: string;
  /** Zone file, relative to zoneDir (or absolute). */
  file: string;
}

export interface BindOptions {
  zoneDir: string;
  /** Zones to serve; default: read `zones.json` in zoneDir. */
  zones?: BindZone[];
  /** How long to wait for named to report it is running (default 20000 ms). */
  startTimeoutMs?: number;
}

export interface BindServer {
  host: '127.0.0.1';
  port: number;
  /** `127.0.0.1:PORT` */
  server: string;
  /** Milliseconds from spawning named to its "running" line (the successful attempt). */
  startupMs: number;
  /** Stops named (SIGTERM, then SIGKILL after 5 s) and waits for it to exit. Idempotent. */
  stop(): Promise<void>;
  /** Everything named wrote to stderr so far. */
  logs(): string;
}

const NAMED_CANDIDATES = ['/usr/sbin/named', '/usr/local/sbin/named'];
const CHECKZONE_CANDIDATES = ['/usr/bin/named-checkzone', '/usr/sbin/named-checkzone', '/usr/local/bin/named-checkzone'];
const MAX_PORT_ATTEMPTS = 5;
const MAX_LOG_CHARS = 1_000_000;

function findBinary(candidates: string[], name: string): string {
  for (const candidate of candidates) {
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // try the next one
    }
  }
  return name; // let PATH lookup decide (spawn reports ENOENT if missing)
}

function readManifest(zoneDir: string): BindZone[] {
  const manifest = path.join(zoneDir, 'zones.json');
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(manifest, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read zone manifest ${manifest}: ${(err as Error).message}`);
  }
  if (!Array.isArray(parsed)) throw new Error(`${manifest}: expected an array of { name, file }`);
  return parsed.map((entry, i) => {
    const e = entry as Partial<BindZone>;
    if (typeof e?.name !== 'string' || typeof e?.file !== 'string') {
      throw new Error(`${manifest}: entry ${i} needs string "name" and "file"`);
    }
    return { name: e.name, file: e.file };
  });
}

/** A string safe to put between double quotes in named.conf. */
function confString(value: string, what: string): string {
  if (/["\\\n\r;{}]/.test(value)) throw new Error(`${what} has characters named.conf cannot quote: ${value}`);
  return `"${value}"`;
}

function checkZone(checkzone: string, zone: BindZone, file: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(checkzone, [zone.name, file], { timeout: 20_000 }, (err, stdout, stderr) => {
      if (!err) return resolve();
      const text = `${stdout}${stderr}`.trim() || err.message;
      reject(new Error(`named-checkzone ${zone.name} ${file} failed:\n${text}`));
    });
  });
}

function namedConf(dir: string, port: number, zones: { name: string; file: string }[]): string {
  const q = (v: string, what: string) => confString(v, what);
  const lines = [
    '// Written by test/harness/bind.ts; authoritative only, loopback only.',
    'options {',
    `  directory ${q(dir, 'temp dir')};`,
    `  pid-file ${q(path.join(dir, 'named.pid'), 'pid file')};`,
    `  session-keyfile ${q(path.join(dir, 'session.key'), 'session key file')};`,
    `  managed-keys-directory ${q(dir, 'temp dir')};`,
    `  dump-file ${q(path.join(dir, 'named_dump.db'), 'dump file')};`,
    `  statistics-file ${q(path.join(dir, 'named.stats'), 'stats file')};`,
    `  listen-on port ${port} { ${LOOPBACK}; };`,
    '  listen-on-v6 { none; };',
    '  recursion no;',
    '  dnssec-validation no;',
    '  notify no;',
    '  allow-transfer { none; };',
    `  query-source address ${LOOPBACK};`,
    `  notify-source ${LOOPBACK};`,
    `  transfer-source ${LOOPBACK};`,
    '};',
    'controls { };',
    // -g sends everything to stderr and ignores this; it is here for runs with -f.
    'logging { channel to_stderr { stderr; severity info; }; category default { to_stderr; }; category lame-servers { null; }; };',
  ];
  for (const zone of zones) {
    lines.push(`zone ${q(zone.name, 'zone name')} { type primary; file ${q(zone.file, 'zone file')}; };`);
  }
  return lines.join('\n') + '\n';
}

// --- every named we started, so they die with this process --------------------------------------

interface Running {
  child: ChildProcess;
  dir: string;
}

const running = new Set<Running>();
let hooksInstalled = false;
const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

function killAllSync(): void {
  for (const r of running) {
    try {
      r.child.kill('SIGKILL');
    } catch {
      // already gone
    }
    try {
      fs.rmSync(r.dir, { recursive: true, force: true });
    } catch {
      // best effort
    }
  }
  running.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  killAllSync();
  uninstallHooks();
  // If nobody else handles this signal, do what Node would have done without our handler.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function installHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', killAllSync);
  for (const s of SIGNALS) process.on(s, onSignal);
}

function uninstallHooks(): void {
  if (!hooksInstalled) return;
  hooksInstalled = false;
  process.off('exit', killAllSync);
  for (const s of SIGNALS) process.off(s, onSignal);
}

function track(r: Running): void {
  running.add(r);
  installHooks();
}

function untrack(r: Running): void {
  running.delete(r);
  if (running.size === 0) uninstallHooks();
}

// --- one attempt at starting named on one port ---------------------------------------------------

type Attempt =
  | { ok: true; child: ChildProcess; logs: () => string; startupMs: number }
  | { ok: false; portConflict: boolean; error: Error };

const RUNNING_LINE = /(^|\s)running\s*$/;
const PORT_CONFLICT = /address in use|unable to listen on any configured interfaces/i;
const ZONE_FAILED = /not loaded due to errors|loading from master file .* failed/i;

function attempt(named: string, conf: string, dir: string, port: number, timeoutMs: number): Promise<Attempt> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const child = spawn(named, ['-g', '-4', '-c', conf], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    const entry: Running = { child, dir };
    track(entry);
    let log = '';
    let partial = '';
    let settled = false;
    let portConflict = false;
    let zoneError = false;
    /** Why we are killing named, reported once it has exited. */
    let killedFor: (Attempt & { ok: false }) | undefined;
    const logs = () => log;

    const finish = (result: Attempt) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const failAndKill = (result: Attempt & { ok: false }) => {
      if (settled || killedFor) return;
      killedFor = result;
      clearTimeout(timer);
      if (child.exitCode !== null || child.signalCode !== null) {
        untrack(entry);
        finish(result);
        return;
      }
      child.kill('SIGKILL'); // the 'exit' handler below reports `killedFor`
    };

    const timer = setTimeout(() => {
      failAndKill({
        ok: false,
        portConflict: false,
        error: new Error(`named did not report "running" within ${timeoutMs} ms on port ${port}:\n${log}`),
      });
    }, timeoutMs);

    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      log += chunk;
      if (log.length > MAX_LOG_CHARS) log = log.slice(log.length - MAX_LOG_CHARS);
      if (settled || killedFor) return;
      partial += chunk;
      const lines = partial.split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        if (PORT_CONFLICT.test(line)) portConflict = true;
        if (ZONE_FAILED.test(line)) zoneError = true;
        if (RUNNING_LINE.test(line)) {
          if (portConflict) {
            failAndKill({ ok: false, portConflict: true, error: new Error(`port ${port} taken:\n${log}`) });
          } else if (zoneError) {
            failAndKill({ ok: false, portConflict: false, error: new Error(`named could not load a zone:\n${log}`) });
          } else {
            finish({ ok: true, child, logs, startupMs: Date.now() - t0 });
          }
          return;
        }
      }
    });

    child.once('error', (err) => {
      untrack(entry);
      finish({ ok: false, portConflict: false, error: new Error(`cannot run ${named}: ${err.message}`) });
    });
    child.once('exit', (code, signal) => {
      untrack(entry);
      if (settled) return;
      if (killedFor) return finish(killedFor);
      const how = signal ? `signal ${signal}` : `code ${code}`;
      finish({
        ok: false,
        portConflict: portConflict || PORT_CONFLICT.test(log),
        error: new Error(`named exited (${how}) before it was running:\n${log}`),
      });
    });
  });
}

/** Starts named on a free 127.0.0.1 port, authoritative for the given zones. */
export async function startBind(opts: BindOptions): Promise<BindServer> {
  const zoneDir = path.resolve(opts.zoneDir);
  const zones = (opts.zones ?? readManifest(zoneDir)).map((z) => ({
    name: z.name.replace(/\.$/, ''),
    file: path.resolve(zoneDir, z.file),
  }));
  if (zones.length === 0) throw new Error(`no zones to serve in ${zoneDir}`);

  const checkzone = findBinary(CHECKZONE_CANDIDATES, 'named-checkzone');
  await Promise.all(zones.map((z) => checkZone(checkzone, z, z.file)));

  const named = findBinary(NAMED_CANDIDATES, 'named');
  const timeoutMs = opts.startTimeoutMs ?? 20_000;
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'maildns-bind-'));
  const conf = path.join(dir, 'named.conf');

  let lastError: Error | undefined;
  for (let i = 0; i < MAX_PORT_ATTEMPTS; i++) {
    const port = await freeUdpTcpPort();
    await fs.promises.writeFile(conf, namedConf(dir, port, zones));
    const result = await attempt(named, conf, dir, port, timeoutMs);
    if (result.ok) return serverFor(result.child, dir, port, result.logs, result.startupMs);
    lastError = result.error;
    if (!result.portConflict) break;
  }
  await fs.promises.rm(dir, { recursive: true, force: true });
  throw lastError ?? new Error('named did not start');
}

function serverFor(child: ChildProcess, dir: string, port: number, logs: () => string, startupMs: number): BindServer {
  // A test that forgets stop() must not keep the process alive; the exit hook still kills named.
  child.unref();
  (child.stderr as unknown as { unref?: () => void } | null)?.unref?.();
  const entry = [...running].find((r) => r.child === child);

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(killTimer);
        if (entry) untrack(entry);
        fs.promises.rm(dir, { recursive: true, force: true }).then(resolve, () => resolve());
      };
      let killTimer: NodeJS.Timeout | undefined;
      if (child.exitCode !== null || child.signalCode !== null) return done();
      child.ref();
      (child.stderr as unknown as { ref?: () => void } | null)?.ref?.();
      child.once('exit', done);
      killTimer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      child.kill('SIGTERM');
    });
    return stopping;
  };

  return { host: LOOPBACK, port, server: `${LOOPBACK}:${port}`, startupMs, stop, logs };
}

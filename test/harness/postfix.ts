// Runs a real Postfix (Debian's `postfix` package) on 127.0.0.1 for the SMTP probe and HELO tests,
// with its own configuration, queue and data directories in a fresh temp dir; the system's
// /etc/postfix is never read for configuration and never written.
//
//   const pf = await startPostfix({ dns: bind.server });
//   // pf.ports.helo: smtpd with smtpd_delay_reject = no (HELO restrictions answer HELO/EHLO)
//   // pf.ports.rcpt: smtpd with the default smtpd_delay_reject = yes (they answer RCPT TO)
//   // pf.ports.delay: postscreen: "220-" at once, the final "220 " after greetDelaySeconds
//   // pf.ports.plain: smtpd greeting as "dynatron.example", no STARTTLS (the seed's wrong name)
//   // pf.ports.clientReverse / clientName: smtpd with smtpd_delay_reject = no and
//   //   smtpd_client_restrictions = reject_unknown_reverse_client_hostname / reject_unknown_client_hostname
//   //   (the client rules answer the connection); clientReverse550 / clientName550: the same with
//   //   unknown_client_reject_code = 550, which tells a permanent "unknown" (550) from a temporary one (450)
//   await pf.stop();
//
// How it runs: `master -c <conf> -d` as root (master must start as root; smtpd then runs as the
// `postfix` user), unchrooted, in its own process group, logging through postlogd to <dir>/maillog.
// Readiness is master's "daemon started" log line, which it writes after binding its listeners.
//
// DNS: Postfix resolves through the C library, which reads /etc/resolv.conf and asks port 53 only.
// When `dns` is given, the harness runs a small UDP/TCP relay on a random 127.x.y.z:53 that
// forwards to that server (the BIND fixture), and starts master under `unshare --mount` with a
// private resolv.conf bind-mounted over /etc/resolv.conf, visible to this Postfix only. If that is
// not possible (no root, no unshare), `dnsIsolated` is false and Postfix uses the system resolver.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import * as dgram from 'node:dgram';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as dnsPacket from 'dns-packet';

export const MASTER = '/usr/lib/postfix/sbin/master';
const UNSHARE_CANDIDATES = ['/usr/bin/unshare', '/bin/unshare'];
const MAX_LOG_CHARS = 1_000_000;

export interface PostfixOptions {
  /** DNS server (`host:port`) Postfix should resolve through, e.g. the BIND fixture. */
  dns?: string;
  /** myhostname: the name in the greeting and EHLO reply (default smtp-ok.dynatron.example). */
  myhostname?: string;
  /** smtpd_helo_restrictions (default: all three HELO hostname rules). */
  heloRestrictions?: string;
  /** postscreen_greet_wait in seconds for the `delay` listener (default 1). */
  greetDelaySeconds?: number;
  /** Extra SAN names for the test certificate. */
  certNames?: string[];
  startTimeoutMs?: number;
  /**
   * Extra smtpd listeners, by name: each gets its own port (`extraPorts[name]`) and these `-o` settings
   * (written as `-o { name = value }`, so values may hold blanks), plus XCLIENT from 127.0.0.1, so a
   * test can present any client address, name and HELO (www.postfix.org/XCLIENT_README.html).
   */
  extraServices?: Record<string, Record<string, string>>;
  /** Extra master.cf lines (e.g. a `spawn` policy service such as policyd-spf). */
  extraMaster?: string[];
}

export interface DnsRelay {
  /** The loopback address it listens on, port 53. */
  address: string;
  /** Every query relayed, in arrival order. */
  queries: { name: string; type: string }[];
  setUpstream(server: string): void;
  stop(): Promise<void>;
}

export interface PostfixServer {
  host: '127.0.0.1';
  ports: {
    helo: number;
    rcpt: number;
    delay: number;
    plain: number;
    clientReverse: number;
    clientName: number;
    clientReverse550: number;
    clientName550: number;
  };
  myhostname: string;
  /** The test certificate: PEM, names, expiry. */
  certificate: { pem: string; names: string[]; notAfter: Date };
  /** Postfix resolves through `dns` (the relay in a private mount namespace). */
  dnsIsolated: boolean;
  relay?: DnsRelay;
  greetDelaySeconds: number;
  /** The ports of PostfixOptions.extraServices, by name. */
  extraPorts: Record<string, number>;
  /** The whole maillog so far. */
  logs(): string;
  /** Resolves with the first maillog line matching `pattern`, once there is one. */
  waitForLog(pattern: RegExp, timeoutMs?: number): Promise<string>;
  stop(): Promise<void>;
}

/** Why this machine cannot run the test Postfix, or undefined when it can. */
/**
 * node:test options for a suite that needs a real Postfix. `npm test` installs it
 * (scripts/ensure-test-deps.mjs), so a missing Postfix fails the suite (startPostfix throws the
 * reason); only MAILDNS_ALLOW_SKIP=1, for machines where root is not to be had, turns it into a skip.
 */
export function postfixSuiteOptions(unavailable: string | undefined): { skip?: string } {
  return unavailable && process.env.MAILDNS_ALLOW_SKIP === '1' ? { skip: `real Postfix not available: ${unavailable}` } : {};
}

export function postfixUnavailable(): string | undefined {
  if (process.platform !== 'linux') return 'not Linux';
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return 'not running as root (Postfix master must start as root)';
  try {
    fs.accessSync(MASTER, fs.constants.X_OK);
  } catch {
    return `${MASTER} not found (apt-get install postfix)`;
  }
  if (!lookupId('/etc/passwd', 'postfix')) return 'no postfix user';
  return undefined;
}

function lookupId(file: string, name: string): { id: number; gid: number } | undefined {
  try {
    for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
      const f = line.split(':');
      if (f[0] === name) return { id: Number(f[2]), gid: Number(f[3] ?? f[2]) };
    }
  } catch {
    // no such file
  }
  return undefined;
}

function run(cmd: string, args: string[], timeoutMs = 20_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: timeoutMs }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd} ${args.join(' ')} failed: ${stderr || err.message}`));
      else resolve(stdout);
    });
  });
}

function freeTcpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen({ host: '127.0.0.1', port: 0, exclusive: true }, () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

// --- the DNS relay ------------------------------------------------------------------------------

function parseServer(server: string): { host: string; port: number } {
  const i = server.lastIndexOf(':');
  return { host: server.slice(0, i), port: Number(server.slice(i + 1)) };
}

/** A dumb UDP/TCP forwarder on <random 127.x.y.z>:53 to `upstream`. */
export async function startDnsRelay(upstream: string): Promise<DnsRelay> {
  let target = parseServer(upstream);
  const queries: DnsRelay['queries'] = [];
  const note = (msg: Buffer) => {
    try {
      const q = dnsPacket.decode(msg).questions?.[0];
      if (q) queries.push({ name: q.name.toLowerCase(), type: String(q.type) });
    } catch {
      // not DNS: still relayed
    }
  };
  const sockets = new Set<dgram.Socket | net.Socket>();
  for (let attempt = 0; attempt < 20; attempt++) {
    const address = `127.${1 + Math.floor(Math.random() * 254)}.${Math.floor(Math.random() * 256)}.${1 + Math.floor(Math.random() * 254)}`;
    const udp = dgram.createSocket('udp4');
    const tcp = net.createServer();
    try {
      await new Promise<void>((resolve, reject) => {
        udp.once('error', reject);
        udp.bind({ address, port: 53, exclusive: true }, () => {
          udp.off('error', reject);
          resolve();
        });
      });
      await new Promise<void>((resolve, reject) => {
        tcp.once('error', reject);
        tcp.listen({ host: address, port: 53, exclusive: true }, () => {
          tcp.off('error', reject);
          resolve();
        });
      });
    } catch (e) {
      udp.close();
      tcp.close();
      if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') continue;
      throw e;
    }
    udp.on('error', () => undefined);
    udp.on('message', (msg, rinfo) => {
      note(msg);
      const out = dgram.createSocket('udp4');
      sockets.add(out);
      let closed = false;
      const done = () => {
        clearTimeout(timer);
        if (closed || !sockets.delete(out)) return;
        closed = true;
        out.close();
      };
      const timer = setTimeout(done, 10_000);
      timer.unref();
      out.on('error', done);
      out.on('message', (reply) => {
        udp.send(reply, rinfo.port, rinfo.address, () => undefined);
        done();
      });
      out.bind({ address: '127.0.0.1', port: 0 }, () => out.send(msg, target.port, target.host));
    });
    tcp.on('connection', (client) => {
      sockets.add(client);
      const server = net.connect({ host: target.host, port: target.port, localAddress: '127.0.0.1' });
      sockets.add(server);
      let pending = Buffer.alloc(0);
      client.on('data', (d: Buffer) => {
        pending = Buffer.concat([pending, d]);
        while (pending.length >= 2 && pending.length >= 2 + pending.readUInt16BE(0)) {
          note(pending.subarray(2, 2 + pending.readUInt16BE(0)));
          pending = pending.subarray(2 + pending.readUInt16BE(0));
        }
        server.write(d);
      });
      server.pipe(client);
      const end = () => {
        client.destroy();
        server.destroy();
        sockets.delete(client);
        sockets.delete(server);
      };
      client.on('error', end).on('close', end);
      server.on('error', end).on('close', end);
    });
    tcp.on('error', () => undefined);
    return {
      address,
      queries,
      setUpstream(server) {
        target = parseServer(server);
      },
      async stop() {
        const open = [...sockets];
        sockets.clear();
        for (const s of open) {
          if (s instanceof net.Socket) s.destroy();
          else s.close();
        }
        await Promise.all([new Promise<void>((r) => udp.close(() => r())), new Promise<void>((r) => tcp.close(() => r()))]);
      },
    };
  }
  throw new Error('no free 127.x.y.z:53 for the DNS relay after 20 tries');
}

// --- every master we started, so it dies with this process ----------------------------------------

const running = new Set<ChildProcess>();
let hooked = false;
function killAll(): void {
  for (const c of running) {
    try {
      if (c.pid) process.kill(-c.pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  running.clear();
}
function hook(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', killAll);
}

// --- configuration ---------------------------------------------------------------------------------

function mainCf(dir: string, o: { myhostname: string; helo: string; greetWait: number }): string {
  return [
    '# Written by test/harness/postfix.ts: a loopback-only test instance.',
    'compatibility_level = 3.6',
    `queue_directory = ${dir}/queue`,
    `data_directory = ${dir}/data`,
    'mail_owner = postfix',
    'inet_interfaces = 127.0.0.1',
    'inet_protocols = ipv4',
    `myhostname = ${o.myhostname}`,
    'mydomain = dynatron.example',
    'myorigin = $myhostname',
    'mydestination =',
    'local_recipient_maps =',
    'alias_maps =',
    'alias_database =',
    'relay_domains =',
    'mynetworks = 127.0.0.0/8',
    `maillog_file = ${dir}/maillog`,
    `maillog_file_prefixes = ${dir}`,
    'smtpd_banner = $myhostname ESMTP Postfix (test)',
    `smtpd_tls_cert_file = ${dir}/conf/cert.pem`,
    `smtpd_tls_key_file = ${dir}/conf/key.pem`,
    'smtpd_tls_security_level = may',
    'smtpd_helo_required = yes',
    `smtpd_helo_restrictions = ${o.helo}`,
    // RCPT TO from loopback is accepted once the HELO rules pass, so that a deferral (defer_if_permit)
    // shows; the client then quits, and cleanup drops the unfinished queue file.
    'smtpd_relay_restrictions = permit_mynetworks, reject',
    'smtpd_error_sleep_time = 0s',
    // No qmgr hands out flow-control tokens, so cleanup would pause in_flow_delay on every message.
    'in_flow_delay = 0s',
    'postscreen_access_list =',
    `postscreen_greet_wait = ${o.greetWait}s`,
    // No cache: every connection gets the PREGREET test, so every greeting on `delay` is delayed.
    'postscreen_cache_map =',
    '',
  ].join('\n');
}

function masterCf(ports: PostfixServer['ports'], extra: { port: number; settings: Record<string, string> }[] = [], extraLines: string[] = []): string {
  return [
    ...extraLines,
    ...extra.map((e) => `127.0.0.1:${e.port} inet n - n - - smtpd -o smtpd_authorized_xclient_hosts=127.0.0.1 ${Object.entries(e.settings).map(([k, v]) => `-o { ${k} = ${v} }`).join(' ')}`),
    '# service type private unpriv chroot wakeup maxproc command',
    `127.0.0.1:${ports.helo} inet n - n - - smtpd -o smtpd_delay_reject=no`,
    `127.0.0.1:${ports.rcpt} inet n - n - - smtpd`,
    `127.0.0.1:${ports.delay} inet n - n - 1 postscreen`,
    `127.0.0.1:${ports.plain} inet n - n - - smtpd -o myhostname=dynatron.example -o smtpd_tls_security_level=none -o smtpd_delay_reject=no`,
    `127.0.0.1:${ports.clientReverse} inet n - n - - smtpd -o smtpd_delay_reject=no -o smtpd_client_restrictions=reject_unknown_reverse_client_hostname`,
    `127.0.0.1:${ports.clientName} inet n - n - - smtpd -o smtpd_delay_reject=no -o smtpd_client_restrictions=reject_unknown_client_hostname`,
    `127.0.0.1:${ports.clientReverse550} inet n - n - - smtpd -o smtpd_delay_reject=no -o smtpd_client_restrictions=reject_unknown_reverse_client_hostname -o unknown_client_reject_code=550`,
    `127.0.0.1:${ports.clientName550} inet n - n - - smtpd -o smtpd_delay_reject=no -o smtpd_client_restrictions=reject_unknown_client_hostname -o unknown_client_reject_code=550`,
    'smtpd pass - - n - - smtpd',
    'dnsblog unix - - n - 0 dnsblog',
    'tlsproxy unix - - n - 0 tlsproxy',
    'anvil unix - - n - 1 anvil',
    'rewrite unix - - n - - trivial-rewrite',
    'cleanup unix n - n - 0 cleanup',
    'tlsmgr unix - - n 1000? 1 tlsmgr',
    'postlog unix-dgram n - n - 1 postlogd',
    '',
  ].join('\n');
}

async function makeCertificate(dir: string, names: string[]): Promise<{ pem: string; notAfter: Date }> {
  await run('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'), '-days', '30',
    '-subj', `/CN=${names[0]}`, '-addext', `subjectAltName=${names.map((n) => `DNS:${n}`).join(',')}`,
  ]);
  await fs.promises.chmod(path.join(dir, 'key.pem'), 0o600);
  const pem = await fs.promises.readFile(path.join(dir, 'cert.pem'), 'utf8');
  const end = await run('openssl', ['x509', '-noout', '-enddate', '-in', path.join(dir, 'cert.pem')]);
  return { pem, notAfter: new Date(end.replace(/^notAfter=/, '').trim()) };
}

// --- start / stop ------------------------------------------------------------------------------------------

export async function startPostfix(opts: PostfixOptions = {}): Promise<PostfixServer> {
  const why = postfixUnavailable();
  if (why) throw new Error(`cannot run the test Postfix: ${why}`);
  const pf = lookupId('/etc/passwd', 'postfix')!;
  const myhostname = opts.myhostname ?? 'smtp-ok.dynatron.example';
  const greetWait = opts.greetDelaySeconds ?? 1;
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'maildns-postfix-'));
  await fs.promises.chmod(dir, 0o755);
  const conf = path.join(dir, 'conf');
  const queue = path.join(dir, 'queue');
  await fs.promises.mkdir(conf);
  await fs.promises.mkdir(path.join(dir, 'data'));
  await fs.promises.chown(path.join(dir, 'data'), pf.id, pf.gid);
  const queueDirs = [['pid', 0o755, false], ['private', 0o700, true], ['public', 0o711, true], ['incoming', 0o700, true], ['active', 0o700, true], ['deferred', 0o700, true], ['defer', 0o700, true], ['bounce', 0o700, true], ['hold', 0o700, true], ['corrupt', 0o700, true], ['trace', 0o700, true], ['saved', 0o700, true], ['flush', 0o700, true]] as const;
  for (const [sub, mode, owned] of queueDirs) {
    await fs.promises.mkdir(path.join(queue, sub), { recursive: true, mode });
    if (owned) await fs.promises.chown(path.join(queue, sub), pf.id, pf.gid);
  }
  const names = [myhostname, ...(opts.certNames ?? [])];
  const cert = await makeCertificate(conf, names);

  let relay: DnsRelay | undefined;
  const unshare = UNSHARE_CANDIDATES.find((p) => fs.existsSync(p));
  if (opts.dns && unshare) {
    relay = await startDnsRelay(opts.dns);
    // timeout:1 attempts:1 so that a silent server costs one second, as in the tests' own resolver.
    await fs.promises.writeFile(path.join(dir, 'resolv.conf'), `nameserver ${relay.address}\noptions timeout:1 attempts:1\n`);
  }
  await fs.promises.writeFile(path.join(conf, 'main.cf'), mainCf(dir, { myhostname, helo: opts.heloRestrictions ?? 'reject_invalid_helo_hostname, reject_non_fqdn_helo_hostname, reject_unknown_helo_hostname', greetWait }));

  const logFile = path.join(dir, 'maillog');
  let lastError: Error | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    const ports = {
      helo: await freeTcpPort(),
      rcpt: await freeTcpPort(),
      delay: await freeTcpPort(),
      plain: await freeTcpPort(),
      clientReverse: await freeTcpPort(),
      clientName: await freeTcpPort(),
      clientReverse550: await freeTcpPort(),
      clientName550: await freeTcpPort(),
    };
    const extraPorts: Record<string, number> = {};
    for (const name of Object.keys(opts.extraServices ?? {})) extraPorts[name] = await freeTcpPort();
    const all = [...Object.values(ports), ...Object.values(extraPorts)];
    if (new Set(all).size !== all.length) continue;
    await fs.promises.writeFile(path.join(conf, 'master.cf'), masterCf(ports, Object.entries(opts.extraServices ?? {}).map(([name, settings]) => ({ port: extraPorts[name], settings })), opts.extraMaster));
    const args = relay
      ? [unshare!, ['--mount', '--propagation', 'private', '--', '/bin/sh', '-c', 'mount --bind "$1" /etc/resolv.conf && exec "$2" -c "$3" -d', 'sh', path.join(dir, 'resolv.conf'), MASTER, conf]] as const
      : [MASTER, ['-c', conf, '-d']] as const;
    // detached: master gets its own process group, so its "kill the process group" on exit cannot
    // reach the test runner.
    const child = spawn(args[0], [...args[1]], { cwd: dir, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    hook();
    let stderr = '';
    child.stdout!.on('data', (d) => (stderr += d));
    child.stderr!.on('data', (d) => (stderr += d));
    const server = makeServer(child, dir, logFile, ports, myhostname, cert, names, relay, greetWait, extraPorts);
    try {
      await server.waitForLog(/daemon started/, opts.startTimeoutMs ?? 20_000, child, () => stderr);
      child.unref();
      (child.stdout as unknown as { unref?: () => void }).unref?.();
      (child.stderr as unknown as { unref?: () => void }).unref?.();
      return server.api;
    } catch (e) {
      lastError = e as Error;
      await server.api.stop(true);
      await fs.promises.rm(logFile, { force: true });
    }
  }
  await relay?.stop();
  await fs.promises.rm(dir, { recursive: true, force: true });
  throw lastError ?? new Error('postfix did not start');
}

function makeServer(
  child: ChildProcess,
  dir: string,
  logFile: string,
  ports: PostfixServer['ports'],
  myhostname: string,
  cert: { pem: string; notAfter: Date },
  names: string[],
  relay: DnsRelay | undefined,
  greetDelaySeconds: number,
  extraPorts: Record<string, number>,
) {
  const readLog = () => {
    try {
      const t = fs.readFileSync(logFile, 'utf8');
      return t.length > MAX_LOG_CHARS ? t.slice(t.length - MAX_LOG_CHARS) : t;
    } catch {
      return '';
    }
  };

  /** Waits for a log line: fs.watch on the directory wakes us on every write, no polling sleeps. */
  const waitForLog = (pattern: RegExp, timeoutMs = 10_000, proc?: ChildProcess, extra?: () => string): Promise<string> =>
    new Promise((resolve, reject) => {
      const watcher = fs.watch(dir, () => check());
      const timer = setTimeout(() => finish(new Error(`no log line ${pattern} within ${timeoutMs} ms; maillog:\n${readLog()}${extra ? `\noutput:\n${extra()}` : ''}`)), timeoutMs);
      const onExit = (code: number | null, sig: string | null) =>
        finish(new Error(`postfix master exited (${sig ?? `code ${code}`}) before ${pattern}; maillog:\n${readLog()}${extra ? `\noutput:\n${extra()}` : ''}`));
      proc?.once('exit', onExit);
      let done = false;
      function finish(err: Error | undefined, line?: string) {
        if (done) return;
        done = true;
        clearTimeout(timer);
        watcher.close();
        proc?.off('exit', onExit);
        if (err) reject(err);
        else resolve(line!);
      }
      function check() {
        const line = readLog().split('\n').find((l) => pattern.test(l));
        if (line) finish(undefined, line);
      }
      check();
    });

  let stopping: Promise<void> | undefined;
  const stop = (quiet = false): Promise<void> => {
    stopping ??= new Promise<void>((resolve) => {
      const done = async () => {
        clearTimeout(killTimer);
        running.delete(child);
        if (!quiet) {
          await relay?.stop();
          await fs.promises.rm(dir, { recursive: true, force: true });
        }
        resolve();
      };
      let killTimer: NodeJS.Timeout | undefined;
      if (child.exitCode !== null || child.signalCode !== null) {
        void done();
        return;
      }
      child.ref();
      child.once('exit', () => void done());
      // master stops its children on SIGTERM; if it hangs, kill its whole (own) process group.
      killTimer = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // gone
        }
      }, 5_000);
      child.kill('SIGTERM');
    });
    return stopping;
  };

  const api: PostfixServer = {
    host: '127.0.0.1',
    ports,
    myhostname,
    certificate: { pem: cert.pem, names, notAfter: cert.notAfter },
    dnsIsolated: relay !== undefined,
    ...(relay ? { relay } : {}),
    greetDelaySeconds,
    extraPorts,
    logs: readLog,
    waitForLog: (p, t) => waitForLog(p, t),
    stop: () => stop(false),
  };
  return { api: Object.assign(api, { stop: (quiet?: boolean) => stop(quiet) }) as PostfixServer & { stop(quiet?: boolean): Promise<void> }, waitForLog };
}

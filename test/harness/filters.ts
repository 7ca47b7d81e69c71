// The content filters of the receiver tests, each with a private configuration in a temporary
// directory and all its DNS going to the test BIND: Debian's spamassassin (the package's rules, its
// *.pre plugin list, under `unshare --mount` with a private resolv.conf, because Mail::DMARC resolves
// through /etc/resolv.conf) and rspamd (`rspamd -f` with /etc/rspamd and an override directory:
// its DNS = the test BIND, workers on free loopback ports, the modules that fetch lists from the
// Internet off, rbl keeping only Debian's `spamhaus` rule). Used by test/integration/receivers-dkim.test.ts;
// test/integration/receivers-real.test.ts sets up the same by itself.
import { execFile, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { freeUdpTcpPort } from './ports';

export interface RunResult {
  code: number;
  out: string;
  err: string;
}

export function run(cmd: string, args: string[], input: string, env: NodeJS.ProcessEnv, cwd: string): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = execFile(cmd, args, { cwd, env, timeout: 120_000, maxBuffer: 16 << 20 }, (e, out, err) =>
      resolve({ code: e ? (typeof e.code === 'number' ? e.code : 1) : 0, out: String(out), err: String(err) }),
    );
    child.stdin?.end(input);
  });
}

/** Why the filters cannot run here, or undefined. */
export function filtersUnavailable(): string | undefined {
  if (process.platform !== 'linux') return 'not Linux';
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return 'not root (SpamAssassin needs a private /etc/resolv.conf: unshare --mount)';
  for (const f of ['/usr/bin/spamassassin', '/usr/share/perl5/Mail/SPF.pm', '/usr/share/perl5/Mail/DMARC/PurePerl.pm', '/usr/share/perl5/Mail/DKIM/Verifier.pm', '/usr/bin/rspamd', '/usr/bin/rspamc', '/usr/bin/unshare'])
    if (!fs.existsSync(f)) return `${f} is missing (scripts/ensure-test-deps.mjs installs it)`;
  return undefined;
}

/** SpamAssassin's site configuration in `<dir>/sa` and the private resolv.conf `<dir>/resolv.conf` (naming `relay`). */
export async function setUpSpamAssassin(dir: string, dnsServer: string, relay: string): Promise<void> {
  const sa = path.join(dir, 'sa');
  await fs.promises.mkdir(sa, { recursive: true });
  for (const f of await fs.promises.readdir('/etc/spamassassin')) if (f.endsWith('.pre')) await fs.promises.copyFile(path.join('/etc/spamassassin', f), path.join(sa, f));
  await fs.promises.writeFile(
    path.join(sa, 'local.cf'),
    [`dns_server ${dnsServer}`, 'dns_available yes', 'trusted_networks 127.0.0.1', 'internal_networks 127.0.0.1', 'envelope_sender_header Return-Path', 'use_bayes 0', 'skip_rbl_checks 0', 'add_header all Tests _TESTSSCORES(,)_', ''].join('\n'),
  );
  await fs.promises.writeFile(path.join(dir, 'resolv.conf'), `nameserver ${relay}\noptions timeout:1 attempts:2\n`);
}

/** `spamassassin` on one message, with a home of its own (SpamAssassin keeps state there); its X-Spam-Tests as rule → score. */
export async function runSpamAssassin(dir: string, name: string, message: string): Promise<{ tests: Map<string, number>; result: RunResult }> {
  const home = await fs.promises.mkdtemp(path.join(dir, `home-${name}-`));
  const passwd = path.join(home, 'passwd');
  await fs.promises.writeFile(passwd, (await fs.promises.readFile('/etc/passwd', 'utf8')).replace(/^root:([^:]*):0:0:([^:]*):[^:]*:/m, `root:$1:0:0:$2:${home}:`));
  const result = await run(
    'unshare',
    ['--mount', '--propagation', 'private', '--', '/bin/sh', '-c', 'mount --bind "$1" /etc/resolv.conf && mount --bind "$2" /etc/passwd && shift 2 && exec "$@"', 'sh', path.join(dir, 'resolv.conf'), passwd,
      'spamassassin', `--siteconfigpath=${path.join(dir, 'sa')}`, '--configpath=/usr/share/spamassassin', '-p', path.join(dir, 'sa', 'user_prefs')],
    message,
    { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home },
    dir,
  );
  return { tests: saTests(result.out), result };
}

/** `RULE=score,RULE=score` from X-Spam-Tests (folded header unfolded); empty when there is none. */
export function saTests(out: string): Map<string, number> {
  const m = /^X-Spam-Tests: ?((?:.*)(?:\r?\n[ \t].*)*)/m.exec(out);
  const map = new Map<string, number>();
  if (!m) return map;
  for (const item of m[1].replace(/\s+/g, '').split(',')) {
    if (item === '' || item === 'none') continue;
    const [rule, score] = item.split('=');
    map.set(rule, Number(score));
  }
  return map;
}

export interface Rspamd {
  normalPort: number;
  stop(): Promise<void>;
}

/** Starts rspamd in the foreground with its data under `dir`; resolves once its normal worker runs (its log says so). */
export async function startRspamd(dir: string, dnsServer: string): Promise<Rspamd> {
  const normalPort = await freeUdpTcpPort();
  const controllerPort = await freeUdpTcpPort();
  const o = path.join(dir, 'local', 'override.d');
  for (const d of [o, path.join(dir, 'db'), path.join(dir, 'run'), path.join(dir, 'log')]) await fs.promises.mkdir(d, { recursive: true });
  const files: Record<string, string> = {
    'worker-normal.inc': `bind_socket = "127.0.0.1:${normalPort}";\n`,
    'worker-controller.inc': `bind_socket = "127.0.0.1:${controllerPort}";\nsecure_ip = "127.0.0.1";\n`,
    'worker-proxy.inc': 'count = 0;\n',
    'options.inc': `dns { nameserver = ["${dnsServer}"]; timeout = 1s; retransmits = 2; }\ncontrol_socket = "$DBDIR/rspamd.sock mode=0600";\n`,
    'logging.inc': 'type = "console"; level = "info";\n',
    // rbl: only Debian's `spamhaus` rule (rbl.conf, copied), its zone a stand-in in the test BIND.
    'rbl.conf': [
      'default_exclude_users = true;', 'default_unknown = true;', 'rbls {', '  spamhaus {', '    symbol = "SPAMHAUS";', '    rbl = "zen.spamhaus.org";', "    checks = ['received', 'from'];",
      "    symbols_prefixes = { received = 'RECEIVED', from = 'RBL' }",
      '    returncodes {', '      SPAMHAUS_SBL = "127.0.0.2";', '      SPAMHAUS_CSS = "127.0.0.3";', '      SPAMHAUS_XBL = ["127.0.0.4", "127.0.0.5", "127.0.0.6", "127.0.0.7"];',
      '      SPAMHAUS_PBL = ["127.0.0.10", "127.0.0.11"];', '      SPAMHAUS_DROP = "127.0.0.9";', '      SPAMHAUS_BLOCKED_OPENRESOLVER = "127.255.255.254";', '      SPAMHAUS_BLOCKED = "127.255.255.255";',
      '    }', '  }', '}', '',
    ].join('\n'),
  };
  for (const m of ['fuzzy_check', 'phishing', 'multimap', 'whitelist', 'url_redirector', 'asn']) files[`${m}.conf`] = 'enabled = false;\n';
  for (const [f, text] of Object.entries(files)) await fs.promises.writeFile(path.join(o, f), text);
  const child = spawn(
    'rspamd',
    ['-f', '-i', '-c', '/etc/rspamd/rspamd.conf', `--var=LOCAL_CONFDIR=${dir}/local`, `--var=DBDIR=${dir}/db`, `--var=RUNDIR=${dir}/run`, `--var=LOGDIR=${dir}/log`],
    { cwd: dir, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (d: Buffer) => {
      log = (log + d.toString()).slice(-200_000);
      if (new RegExp(`starting normal process \\d+ \\(0\\); listen on: 127\\.0\\.0\\.1:${normalPort}`).test(log)) {
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        child.stderr?.resume();
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`rspamd exited (${code}) before its worker started (controller port ${controllerPort}):\n${log.slice(-3000)}`)));
  });
  return {
    normalPort,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.pid === undefined) return resolve();
        child.once('exit', () => resolve());
        try {
          process.kill(-child.pid, 'SIGTERM');
        } catch {
          resolve();
        }
      }),
  };
}

export interface RspamdReply {
  action: string;
  score: number;
  symbols: Record<string, { score: number; options?: string[] }>;
}

/** `rspamc` on one message as the MTA would hand it over (client address, HELO, verified host name, envelope, TLS). */
export async function rspamc(
  r: Rspamd,
  dir: string,
  o: { ip: string; helo: string; hostname?: string; from: string; rcpt: string; tls: boolean },
  message: string,
): Promise<{ reply: RspamdReply; result: RunResult }> {
  const args = ['-h', `127.0.0.1:${r.normalPort}`, '-t', '60', '--ip', o.ip, '--helo', o.helo, '--from', o.from, '--rcpt', o.rcpt, '-j'];
  if (o.hostname) args.push('--hostname', o.hostname);
  if (o.tls) args.push('--header', 'TLS-Cipher=TLS_AES_256_GCM_SHA384', '--header', 'TLS-Version=TLSv1.3');
  const result = await run('rspamc', args, message, { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir }, dir);
  return { reply: (result.code === 0 ? JSON.parse(result.out) : { action: '', score: NaN, symbols: {} }) as RspamdReply, result };
}

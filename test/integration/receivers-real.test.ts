// The receiver matrix against the real software: Debian 12's exim4 4.96 (unpacked by
// scripts/ensure-exim.mjs), spamassassin 4.0.1 and rspamd 3.4, each with a private configuration and data directory in a temporary directory, resolving through the
// test BIND (test/fixtures/receiver-zones). Each scenario (docs/receivers.md) is a client at
// 198.51.100.N (RFC 5737 documentation addresses: SpamAssassin counts 127/8 as trusted whatever it is
// told, and rspamd's hfilter skips local addresses; no packet goes to these addresses — the two
// filters read the connection from the message and the envelope, and ask only the test BIND).
// For each scenario the model's input is what the project's own checks found (checkRdns, checkHelo,
// checkHost, checkDmarc + evaluateDmarc, checkMx); the message carries the Received header Postfix
// would write from that rDNS result. The model's rules and scores must be the real ones, rule by rule.
//
// SpamAssassin runs as `spamassassin` with the package's rules (/usr/share/spamassassin), Debian's
// plugin list (/etc/spamassassin/*.pre copied), dns_server = the test BIND, Bayes off, DNSBLs on (the
// test BIND serves stand-ins for zen.spamhaus.org and bl.spamcop.net; other lists get REFUSED), and
// under `unshare --mount` with a private resolv.conf naming a DNS relay to BIND, because Mail::DMARC
// resolves through /etc/resolv.conf. rspamd runs as `rspamd -f` with /etc/rspamd and a local
// override directory (its DNS = the test BIND, workers on free loopback ports, the modules that
// fetch lists from the Internet off: fuzzy_check, phishing, multimap, whitelist, url_redirector, asn;
// rbl keeps only Debian's `spamhaus` rule, asking the stand-in zone); messages go in with `rspamc --ip --helo [--hostname] --from --rcpt`.
// Exim runs as `exim -C <conf> -bh <ip>` (its SMTP session on stdin as if from that address: every
// ACL and DNS lookup real) with Debian's ACL files included, under `unshare --mount` with the same
// resolv.conf and a private passwd/group naming its compiled-in user Debian-exim.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createResolver } from '../../src/core/dns/resolver';
import type { Resolver } from '../../src/core/dns/types';
import { checkDmarc } from '../../src/core/dmarc/check';
import { checkDnsbl } from '../../src/core/dnsbl/check';
import { evaluateDmarc } from '../../src/core/dmarc/evaluate';
import { checkHelo } from '../../src/core/helo/check';
import { checkMx } from '../../src/core/mx/check';
import { checkRdns } from '../../src/core/rdns/check';
import { connectionOf, domainExistsOf, postfixReceived } from '../../src/core/receivers/connection';
import { eximRows } from '../../src/core/receivers/exim';
import { RSPAMD_MODELLED, rspamdAction, rspamdRows } from '../../src/core/receivers/rspamd';
import { SA_MODELLED, spamassassinRows } from '../../src/core/receivers/spamassassin';
import { receiverMatrix } from '../../src/core/receivers';
import { receiverRowsOfHelo, receiverRowsOfRdns, receiverRowsOfSpf } from '../../src/core/receivers/partial';
import type { ReceiverInput, ReceiverRow } from '../../src/core/receivers/types';
import { checkHost } from '../../src/core/spf/check';
import { startBind, type BindServer } from '../harness/bind';
import { run, saTests, setUpSpamAssassin, startRspamd, type Rspamd } from '../harness/filters';
import { type DnsRelay, startDnsRelay } from '../harness/postfix';
import { REPO_ROOT } from '../paths';
import { DNSBL_ZONES, SCENARIOS, type Scenario } from './receiver-scenarios';

const ZONES = path.join(REPO_ROOT, 'test', 'fixtures', 'receiver-zones');
// Where scripts/ensure-exim.mjs unpacks Debian's Exim.
const EXIM_DIR = process.env.MAILDNS_EXIM_CACHE ? path.resolve(process.env.MAILDNS_EXIM_CACHE) : path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'mail-dns-doctor', 'exim-4.96');
const EXIM = path.join(EXIM_DIR, 'root', 'usr', 'sbin', 'exim4');
const EXIM_ACL = path.join(EXIM_DIR, 'root', 'etc', 'exim4', 'conf.d', 'acl');
// The uid the unpacked exim runs as (its compiled-in user Debian-exim, added to a private passwd).
const EXIM_UID = 64990;
/** The Exim configurations: Debian's ACLs, alone and with each hardening line. */
const EXIM_VARIANTS: Record<string, string | undefined> = {
  'acl_check_rcpt (Debian default)': undefined,
  'deny !verify = reverse_host_lookup': '  deny\n    !verify = reverse_host_lookup\n',
  'deny !verify = helo': '  deny\n    !verify = helo\n',
  // The DNSBL check's zones (stand-ins in the test BIND), one deny per list.
  ...Object.fromEntries(DNSBL_ZONES.map((z) => [`deny dnslists = ${z}`, `  deny\n    dnslists = ${z}\n`])),
};

function unavailable(): string | undefined {
  if (process.platform !== 'linux') return 'not Linux';
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return 'not root (SpamAssassin needs a private /etc/resolv.conf: unshare --mount)';
  for (const f of [EXIM, '/usr/bin/spamassassin', '/usr/share/perl5/Mail/SPF.pm', '/usr/share/perl5/Mail/DMARC/PurePerl.pm', '/usr/bin/rspamd', '/usr/bin/rspamc', '/usr/bin/unshare'])
    if (!fs.existsSync(f)) return `${f} is missing (scripts/ensure-test-deps.mjs installs it)`;
  if (fs.readFileSync('/etc/passwd', 'utf8').includes(`:${EXIM_UID}:`)) return `uid ${EXIM_UID} is taken on this machine`;
  return undefined;
}
const SKIP = unavailable();
const suiteOptions = SKIP && process.env.MAILDNS_ALLOW_SKIP === '1' ? { skip: SKIP } : {};

/** SpamAssassin's X-Spam-Tests as rule → score; the header must be there. */
function saTestsOf(out: string): Map<string, number> {
  assert.match(out, /^X-Spam-Tests:/m, `no X-Spam-Tests header in SpamAssassin's output:\n${out.slice(0, 2000)}`);
  return saTests(out);
}

// Non-default knobs (mailDns.receivers.*), set the same way on the real software: SpamAssassin gets
// `--cf "required_score …"`, rspamd a `Settings` header with the action thresholds (rspamd's per-message
// settings). Chosen away from every scenario's score, so that the content's own small share (rspamd
// MIME_GOOD -0.1 …) moves no verdict.
const SA_REQUIRED = 3.5;
const RSPAMD_THRESHOLDS = { greylist: 2.5, addHeader: 3.8, reject: 5 };

const scoreMap = (rows: ReceiverRow[], skip: string) => new Map(rows.filter((r) => r.rule !== skip).map((r) => [r.rule, r.score ?? 0]));
const sorted = (m: Map<string, number>) => [...m.entries()].sort(([a], [b]) => a.localeCompare(b));

describe('receiver matrix against the real SpamAssassin and rspamd', suiteOptions, () => {
  let bind: BindServer;
  let relay: DnsRelay;
  let resolver: Resolver;
  let dir: string;
  let rspamd: Rspamd | undefined;
  let normalPort: number;
  const inputs = new Map<number, ReceiverInput>();
  const eximConfs = new Map<string, string>();

  before(async () => {
    if (SKIP) throw new Error(`the receivers cannot run: ${SKIP}`);
    bind = await startBind({ zoneDir: ZONES });
    relay = await startDnsRelay(bind.server);
    resolver = createResolver({ servers: [bind.server], timeoutMs: 1000 });
    dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'maildns-receivers-'));
    await fs.promises.chmod(dir, 0o755); // Exim reads its configuration as its own user
    // SpamAssassin: Debian's plugin list, our local.cf; the private resolv.conf names the relay.
    await setUpSpamAssassin(dir, bind.server, relay.address);
    // rspamd: /etc/rspamd with our overrides (Debian's spamhaus rule, its zone in the test BIND).
    const started = startRspamd(dir, bind.server);
    // Exim: Debian's ACL files included from the unpacked package; a private passwd naming its user.
    const ex = path.join(dir, 'exim');
    for (const d of ['spool', 'log']) {
      await fs.promises.mkdir(path.join(ex, d), { recursive: true });
      await fs.promises.chown(path.join(ex, d), EXIM_UID, EXIM_UID);
    }
    await fs.promises.writeFile(path.join(ex, 'passwd'), `${await fs.promises.readFile('/etc/passwd', 'utf8')}Debian-exim:x:${EXIM_UID}:${EXIM_UID}:exim:${ex}:/usr/sbin/nologin\n`);
    await fs.promises.writeFile(path.join(ex, 'group'), `${await fs.promises.readFile('/etc/group', 'utf8')}Debian-exim:x:${EXIM_UID}:\n`);
    // Exim reads its configuration as its own user: copy the ACL files out of the (root-only) cache.
    const acl = path.join(ex, 'acl');
    await fs.promises.mkdir(acl);
    const ACL_FILES = ['20_exim4-config_local_deny_exceptions', '30_exim4-config_check_mail', '30_exim4-config_check_rcpt'];
    for (const f of ACL_FILES) await fs.promises.copyFile(path.join(EXIM_ACL, f), path.join(acl, f));
    let i = 0;
    for (const [rule, hardening] of Object.entries(EXIM_VARIANTS)) {
      const conf = path.join(ex, `exim-${i++}.conf`);
      eximConfs.set(rule, conf);
      if (hardening) await fs.promises.writeFile(`${conf}.acl`, hardening);
      await fs.promises.writeFile(conf, [
        `CONFDIR = ${ex}`,
        ...(hardening ? [`CHECK_RCPT_LOCAL_ACL_FILE = ${conf}.acl`] : []),
        'domainlist local_domains = receiver.test',
        'domainlist relay_to_domains =',
        'hostlist relay_from_hosts = 127.0.0.1 : ::::1',
        'primary_hostname = mx.receiver.test',
        `spool_directory = ${ex}/spool`,
        `log_file_path = ${ex}/log/%slog`,
        'acl_smtp_mail = acl_check_mail',
        'acl_smtp_rcpt = acl_check_rcpt',
        'host_lookup = *',
        'dns_dnssec_ok = 1',
        'begin acl',
        ...ACL_FILES.map((f) => `.include ${path.join(acl, f)}`),
        'begin routers',
        'local_user:', '  driver = accept', '  domains = +local_domains', '  transport = null_delivery',
        'begin transports',
        'null_delivery:', '  driver = appendfile', '  file = /dev/null', '',
      ].join('\n'), { mode: 0o644 });
    }
    // The model's input: what the project's own checks say about each scenario.
    for (const s of SCENARIOS) {
      const ip = `198.51.100.${s.n}`;
      const domain = s.from.slice(s.from.indexOf('@') + 1);
      const [rdns, heloCheck, spf, dmarc, mx, dnsbl] = await Promise.all([
        checkRdns(ip, { resolver }),
        checkHelo(s.helo, { ip, resolver }),
        checkHost({ ip, domain, sender: s.from, helo: s.helo }, { resolver }),
        checkDmarc(domain, { resolver }),
        checkMx(domain, { resolver }),
        checkDnsbl(ip, { resolver, zones: DNSBL_ZONES }),
      ]);
      const evaluation = evaluateDmarc({ fromDomain: domain, spf: { result: spf.result, domain }, dkim: [] }, dmarc);
      // The test messages are unsigned (rspamd: R_DKIM_NA).
      inputs.set(s.n, { ip, helo: s.helo, rdns, heloCheck, spf, dmarc: evaluation, fromDomainExists: domainExistsOf(mx), tls: s.tls, dnsbl, dkim: [] });
    }
    rspamd = await started;
    normalPort = rspamd.normalPort;
  });
  after(async () => {
    await rspamd?.stop();
    await relay?.stop();
    await bind?.stop();
    if (dir) await fs.promises.rm(dir, { recursive: true, force: true });
  });

  const message = (s: Scenario, input: ReceiverInput, withReceived: boolean) =>
    [
      `Return-Path: <${s.from}>`,
      ...(withReceived ? [postfixReceived(connectionOf(input), { by: 'mx.receiver.test', id: `4ABC12${s.n}`, to: 'user@receiver.test', date: 'Wed, 2 Dec 2026 07:00:00 +0000 (UTC)', tls: s.tls })] : []),
      `Received: by sender.rcv.example.net (Postfix, from userid 1000)\r\n\tid 7DEF4${s.n}; Wed, 2 Dec 2026 06:59:00 +0000 (UTC)`,
      `From: Sender <${s.from}>`,
      'To: user@receiver.test',
      `Subject: scenario ${s.n} of the receiver matrix`,
      'Date: Wed, 2 Dec 2026 06:59:00 +0000',
      `Message-ID: <scenario-${s.n}.20261202065900@receiver-matrix.rcv.example.net>`,
      '',
      `Hello, this is scenario ${s.n}.`,
      '',
    ].join('\r\n');

  it("the rDNS, HELO and SPF reports' receiver rows are the full matrix's rows (checked above) for every scenario", () => {
    const key = (r: ReceiverRow) => `${r.receiver} ${r.rule} ${r.verdict} ${r.score ?? ''} ${r.reply ?? ''}`;
    for (const s of SCENARIOS) {
      const input = inputs.get(s.n)!;
      const full = new Set(receiverMatrix(input).map(key));
      const partial = [...receiverRowsOfRdns(input.rdns), ...receiverRowsOfHelo(input.heloCheck!), ...receiverRowsOfSpf(input.spf!)];
      assert.ok(partial.length > 0, `scenario ${s.n}: no partial rows`);
      // A listed address takes rspamd's R_SPF_ALLOW weight off (BAD_REP_POLICIES): the SPF report's row
      // says so; compare it without the score then.
      const composite = receiverMatrix(input).some((r) => r.rule === 'BAD_REP_POLICIES');
      const fullNoScore = new Set(receiverMatrix(input).map((r) => key({ ...r, score: undefined })));
      for (const r of partial) assert.ok(full.has(key(r)) || (composite && r.rule === 'R_SPF_ALLOW' && fullNoScore.has(key({ ...r, score: undefined }))), `scenario ${s.n}: ${key(r)} is not in the full matrix`);
    }
  });

  for (const s of SCENARIOS) {
    it(`SpamAssassin, scenario ${s.n} (${s.what}): the model's rules and scores are the real ones`, async () => {
      const input = inputs.get(s.n)!;
      const rows = spamassassinRows(input);
      // A home per scenario, through a private passwd: SpamAssassin keeps its state (dns_block_rule's
      // "this list refused us" files) in the home directory getpwuid names, not $HOME.
      const home = await fs.promises.mkdtemp(path.join(dir, `home-${s.n}-`));
      const passwd = path.join(home, 'passwd');
      await fs.promises.writeFile(passwd, (await fs.promises.readFile('/etc/passwd', 'utf8')).replace(/^root:([^:]*):0:0:([^:]*):[^:]*:/m, `root:$1:0:0:$2:${home}:`));
      const r = await run(
        'unshare',
        ['--mount', '--propagation', 'private', '--', '/bin/sh', '-c', 'mount --bind "$1" /etc/resolv.conf && mount --bind "$2" /etc/passwd && shift 2 && exec "$@"', 'sh', path.join(dir, 'resolv.conf'), passwd,
          'spamassassin', `--siteconfigpath=${path.join(dir, 'sa')}`, '--configpath=/usr/share/spamassassin', '-p', path.join(dir, 'sa', 'user_prefs'), `--cf=required_score ${SA_REQUIRED}`],
        message(s, input, true),
        { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home },
        dir,
      );
      assert.ok(fs.existsSync(path.join(home, '.spamassassin')), "SpamAssassin's state is in the scenario's home");
      assert.equal(r.code, 0, r.err.slice(-2000));
      const real = saTestsOf(r.out);
      const realModelled = new Map([...real].filter(([rule]) => SA_MODELLED.has(rule)));
      assert.deepEqual(sorted(scoreMap(rows, 'total')), sorted(realModelled), `all real hits: ${JSON.stringify(sorted(real))}`);
      const total = rows.find((x) => x.rule === 'total')!;
      const realSum = Math.round([...realModelled.values()].reduce((a, b) => a + b * 1000, 0)) / 1000;
      assert.equal(total.score, realSum);
      // The knob: required_score, on both sides.
      const status = /^X-Spam-Status: (Yes|No), score=(-?[\d.]+) required=([\d.]+)/m.exec(r.out);
      assert.ok(status, `no X-Spam-Status in SpamAssassin's output:\n${r.out.slice(0, 2000)}`);
      assert.equal(Number(status[3]), SA_REQUIRED);
      const knobbed = spamassassinRows({ ...input, knobs: { spamassassin: { requiredScore: SA_REQUIRED } } }).at(-1)!;
      assert.equal(knobbed.verdict, status[1] === 'Yes' ? 'spam' : 'ham', `required_score ${SA_REQUIRED}: SpamAssassin said ${status[1]} at ${status[2]}, the model ${knobbed.verdict} at ${knobbed.score}`);
    });

    it(`Exim, scenario ${s.n} (${s.what}): each ACL's answer to RCPT TO is the model's`, async () => {
      const input = inputs.get(s.n)!;
      const rows = eximRows(input);
      assert.equal(rows.length, eximConfs.size);
      for (const row of rows) {
        const conf = eximConfs.get(row.rule);
        assert.ok(conf, `no Exim configuration for ${row.rule}`);
        const ex = path.join(dir, 'exim');
        // exim -bh: an SMTP session on stdin as if from the address, every ACL and DNS lookup real.
        const r = await run(
          'unshare',
          ['--mount', '--propagation', 'private', '--', '/bin/sh', '-c',
            'mount --bind "$1" /etc/passwd && mount --bind "$2" /etc/group && mount --bind "$3" /etc/resolv.conf && shift 3 && exec "$@"', 'sh',
            path.join(ex, 'passwd'), path.join(ex, 'group'), path.join(dir, 'resolv.conf'), EXIM, '-C', conf, '-bh', input.ip],
          `EHLO ${s.helo}\r\nMAIL FROM:<${s.from}>\r\nRCPT TO:<user@receiver.test>\r\nQUIT\r\n`,
          { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: ex, LD_LIBRARY_PATH: path.join(EXIM_DIR, 'root', 'usr', 'lib', 'x86_64-linux-gnu') },
          dir,
        );
        assert.equal(r.code, 0, r.err.slice(-2000));
        // The last line of each reply, in order: greeting, EHLO, MAIL, RCPT, QUIT.
        const finals = r.out.split(/\r?\n/).filter((l) => /^\d{3} /.test(l));
        assert.ok(finals.length >= 4, `Exim's replies: ${JSON.stringify(finals)}\n${r.err.slice(-1000)}`);
        assert.equal(finals[2].slice(0, 3), '250', `MAIL FROM: ${finals[2]}`);
        assert.equal(finals[3], row.reply, `${row.rule}: Exim said ${finals[3]}, the model ${row.verdict} (${row.why})`);
      }
    });

    it(`rspamd, scenario ${s.n} (${s.what}): the model's symbols, weights and action are the real ones`, async () => {
      const input = inputs.get(s.n)!;
      const rows = rspamdRows(input);
      const c = connectionOf(input);
      const args = ['-h', `127.0.0.1:${normalPort}`, '-t', '60', '--ip', input.ip, '--helo', s.helo, '--from', s.from, '--rcpt', 'user@receiver.test', '-j'];
      // Postfix's milter passes its verified name, or "unknown", which rspamd drops.
      if (c.clientName) args.push('--hostname', c.clientName);
      if (s.tls) args.push('--header', 'TLS-Cipher=TLS_AES_256_GCM_SHA384', '--header', 'TLS-Version=TLSv1.3');
      const r = await run('rspamc', args, message(s, input, false), { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir }, dir);
      assert.equal(r.code, 0, r.err + r.out.slice(0, 2000));
      const reply = JSON.parse(r.out) as { action: string; score: number; symbols: Record<string, { score: number }> };
      const real = new Map(Object.entries(reply.symbols).map(([k, v]) => [k, Math.round(v.score * 100) / 100]));
      const realModelled = new Map([...real].filter(([sym]) => RSPAMD_MODELLED.has(sym)));
      const action = rows.find((x) => x.rule === 'action')!;
      const unmodelledSpf = /not modelled/.test(action.why);
      if (unmodelledSpf) for (const sym of [...realModelled.keys()]) if (/^(R_SPF_|DMARC_|AUTH_NA|VIOLATED_DIRECT_SPF)/.test(sym)) realModelled.delete(sym);
      assert.deepEqual(sorted(scoreMap(rows, 'action')), sorted(realModelled), `all real symbols: ${JSON.stringify(sorted(real))}`);
      // The action of the connection's own score is the action the real total got: the rest of the
      // test message (MIME_GOOD -0.1 and 0-weight symbols) moves no threshold here.
      if (!unmodelledSpf) assert.equal(action.verdict, reply.action);
      assert.equal(rspamdAction(reply.score), reply.action);
      // The knob: the same message with non-default action thresholds (a Settings header).
      const t = RSPAMD_THRESHOLDS;
      const settings = `{"actions": {"greylist": ${t.greylist}, "add header": ${t.addHeader}, "reject": ${t.reject}}}`;
      const k = await run('rspamc', [...args, '--header', `Settings=${settings}`], message(s, input, false), { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir }, dir);
      assert.equal(k.code, 0, k.err + k.out.slice(0, 2000));
      const kr = JSON.parse(k.out) as { action: string; score: number };
      assert.equal(rspamdAction(kr.score, t), kr.action, `rspamd with ${settings} gave ${kr.action} at ${kr.score}`);
      const knobbed = rspamdRows({ ...input, knobs: { rspamd: t } }).at(-1)!;
      if (!unmodelledSpf) assert.equal(knobbed.verdict, kr.action, `thresholds ${settings}: rspamd ${kr.action} at ${kr.score}, the model ${knobbed.verdict} at ${knobbed.score}`);
    });
  }
});

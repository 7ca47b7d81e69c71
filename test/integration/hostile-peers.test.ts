// Every DNS-using command of the built CLI (dist/cli.js, as a user runs it) against hostile DNS
// servers and hostile SMTP servers (issue 9): a server that attacks its client rather than just
// failing. Each run must end on its own within its own small timeouts (the test's timeout is only
// the safety net), with bounded memory (a capped heap, the child's max RSS, the output's size), as
// a result or a one-line message: never a stack trace, never exit 1 ("fail") for DNS trouble.
//
// The DNS modes are test/harness/fault-dns.ts's HOSTILE_MODES, each a server that answers every
// name that way. The SMTP modes are test/harness/smtp-peer.ts scripts with certificates from
// test/harness/certs.ts. All traffic stays on 127.0.0.1: an SMTP probe is only ever pointed at a
// loopback peer by address, never at a name a hostile server resolves.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startFaultDns, HOSTILE_MODES, type FaultDnsServer } from '../harness/fault-dns';
import { makeCertificate } from '../harness/certs';
import { startSmtpPeer, type PeerStep, type SmtpPeer } from '../harness/smtp-peer';
import { REPO_ROOT } from '../paths';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');
const TIME = '/usr/bin/time';
/** The child's V8 heap is capped here: a command that does not bound its memory dies of it (and fails the test). */
const HEAP_MB = 96;
/** Most resident memory a run may use, when /usr/bin/time can tell. */
const MAX_RSS_KB = 256 * 1024;
/** Most output a run may print (a hostile zone must not turn into megabytes of report). */
const MAX_OUTPUT = 1024 * 1024;
/** The safety net: each run ends long before this, by its own timeouts. */
const SAFETY_NET_MS = 30_000;

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  out: string;
  err: string;
  outBytes: number;
  maxRssKb?: number;
}

let tmp: string;

async function maildns(args: string[]): Promise<Run> {
  const rssFile = path.join(tmp, `rss-${process.hrtime.bigint()}`);
  const node = [`--max-old-space-size=${HEAP_MB}`, CLI, ...args];
  const timed = fs.existsSync(TIME);
  const child = spawn(timed ? TIME : process.execPath, timed ? ['-f', '%M', '-o', rssFile, process.execPath, ...node] : node, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let outBytes = 0;
  child.stdout.on('data', (d: Buffer) => {
    outBytes += d.length;
    if (out.length < MAX_OUTPUT * 2) out += d.toString('utf8');
  });
  child.stderr.on('data', (d: Buffer) => {
    if (err.length < 65536) err += d.toString('utf8');
  });
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('close', (c, s) => resolve([c, s])));
  let maxRssKb: number | undefined;
  if (timed && fs.existsSync(rssFile)) {
    // GNU time adds "Command exited with non-zero status N" before the number.
    const n = Number(fs.readFileSync(rssFile, 'utf8').trim().split('\n').pop());
    if (Number.isFinite(n)) maxRssKb = n;
  }
  return { code, signal, out, err, outBytes, ...(maxRssKb !== undefined ? { maxRssKb } : {}) };
}

/** What every run must satisfy, whatever the peer did. */
function assertContained(r: Run, what: string): void {
  assert.equal(r.signal, null, `${what}: killed by ${r.signal}`);
  assert.ok(r.code !== null && [0, 1, 2].includes(r.code), `${what}: exit ${r.code}\n${r.err}`);
  assert.doesNotMatch(r.err, /^\s+at .+\(.*:\d+:\d+\)$|internal error|FATAL ERROR|heap out of memory/m, `${what}: a stack trace or a crash on stderr:\n${r.err}`);
  assert.ok(r.outBytes <= MAX_OUTPUT, `${what}: ${r.outBytes} bytes of output`);
  if (r.maxRssKb !== undefined) assert.ok(r.maxRssKb <= MAX_RSS_KB, `${what}: max RSS ${r.maxRssKb} kB`);
  if (r.code === 2 && r.out === '') assert.equal(r.err.trim().split('\n').length, 1, `${what}: exit 2 says why in one line:\n${r.err}`);
}

function codesIn(json: unknown): Set<string> {
  const found = new Set<string>();
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.code === 'string' && typeof o.severity === 'string') found.add(o.code);
      Object.values(o).forEach(walk);
    }
  };
  walk(json);
  return found;
}

const IP = '198.51.100.7';

describe('issue 9: hostile DNS servers, every command', { concurrency: 4 }, () => {
  const servers = new Map<string, FaultDnsServer>();
  let smtp: SmtpPeer;
  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'maildns-hostile-'));
    for (const [mode, behaviour] of Object.entries(HOSTILE_MODES)) servers.set(mode, await startFaultDns({ behaviours: { '*': behaviour } }));
    // A sound SMTP peer: here only the DNS is hostile (the probe looks up the peer's PTR and names).
    smtp = await startSmtpPeer([{ send: '220 peer.example ESMTP' }, { expect: /^EHLO / }, { send: '250 peer.example' }, { expect: /^QUIT$/ }, { send: '221 bye' }, { close: true }]);
  });
  after(async () => {
    await Promise.all([...servers.values()].map((s) => s.stop()));
    await smtp.stop();
  });

  const commands: Record<string, () => string[]> = {
    rdns: () => ['rdns', IP],
    spf: () => ['spf', IP, 'example.org'],
    'send-as': () => ['send-as', IP, 'example.org'],
    helo: () => ['helo', 'mail.example.org', '--ip', IP],
    smtp: () => ['smtp', `127.0.0.1:${smtp.port}`, '--ehlo', 'probe.example.net', '--smtp-timeout', '2000'],
    mx: () => ['mx', 'example.org'],
    dnsbl: () => ['dnsbl', IP, '--zone', 'bl.example.org'],
    check: () => ['check', IP, '--helo', 'mail.example.org', '--from', 'example.org', '--zone', 'bl.example.org', '--smtp-host', `127.0.0.1:${smtp.port}`, '--smtp-timeout', '2000'],
  };

  for (const mode of Object.keys(HOSTILE_MODES)) {
    for (const [command, args] of Object.entries(commands)) {
      it(`maildns ${command} against a DNS server that answers with ${mode}`, { timeout: SAFETY_NET_MS }, async () => {
        const dns = servers.get(mode)!;
        // A flood's replies are sound, only large: give them time to arrive, so the budgets are what stops the work.
        const r = await maildns([...args(), '--resolver', dns.server, '--timeout', mode === 'flood-64k' ? '3000' : '100', '--json']);
        const what = `${command} / ${mode}`;
        assertContained(r, what);
        const json = JSON.parse(r.out) as unknown;
        const codes = codesIn(json);
        // issue 9 #11: a record that does not decode is never handed on as data.
        assert.doesNotMatch(r.out, /undefined|NaN/, `${what}: decoded garbage in the output`);
        if (mode === 'flood-64k') {
          // Thousands of sound records: a verdict may be reached (exit 0 or 1); the budgets bound the work.
          if (command === 'mx' || command === 'check') assert.ok(codes.has('mx-rdns-budget') && codes.has('mx-host-budget'), `${what}: ${[...codes].join(', ')}`);
          return;
        }
        // Anything else is DNS trouble: undecided (exit 2), shown as a dns-* finding.
        if (command !== 'smtp') {
          assert.equal(r.code, 2, `${what}: exit ${r.code}: ${[...codes].join(', ')}`);
          assert.ok([...codes].some((c) => /^(dns|spf|dnsbl)-/.test(c)), `${what}: no DNS trouble named: ${[...codes].join(', ')}`);
        }
        // The smtp probe only looks up its peer's PTR and names beside the SMTP dialogue: it need not name DNS trouble.
        if ((mode.startsWith('pointer') || mode === 'bad-rdata') && command !== 'smtp') {
          assert.match(r.out, /malformed reply/, what);
          assert.ok(r.out.includes('BADREPLY'), `${what}: rcode BADREPLY`);
        }
      });
    }
  }
});

describe('issue 9: hostile SMTP servers, maildns smtp and check', { concurrency: 4 }, () => {
  let dns: FaultDnsServer;
  const peers = new Map<string, SmtpPeer>();
  const ehlo: PeerStep[] = [{ send: '220 peer.example ESMTP' }, { expect: /^EHLO / }, { send: '250-peer.example\r\n250 STARTTLS' }, { expect: /^STARTTLS$/ }, { send: '220 2.0.0 go ahead' }];
  const afterTls: PeerStep[] = [{ expect: /^EHLO / }, { send: '250 peer.example' }, { expect: /^QUIT$/ }, { send: '221 bye' }, { close: true }];
  const day = 86_400_000;
  const utc = (ms: number) => new Date(ms).toISOString().replace(/[-:T]/g, '').replace(/\.\d+Z$/, 'Z');
  // `wait`: the probe's --smtp-timeout. Small where only the timeout ends the dialogue; elsewhere the
  // peer's own misbehaviour ends it, and a busy machine must not turn a slow handshake into a failure.
  const modes: Record<string, { script: () => PeerStep[]; expect: string; wait?: number }> = {
    silence: { script: () => [{ silence: true }], expect: 'smtp-greeting-timeout', wait: 400 },
    'slow drip': { script: () => [{ drip: { text: '220 peer.example ESMTP\r\n', ms: 100 } }], expect: 'smtp-greeting-timeout', wait: 400 },
    'endless line': { script: () => [{ endless: { chunk: 'A' } }], expect: 'smtp-line-too-long' },
    'endless multiline reply': { script: () => [{ endless: { chunk: '220-flood\r\n' } }], expect: 'smtp-reply-too-large' },
    'binary garbage': { script: () => [{ garbage: { bytes: 8192 } }, { silence: true }], expect: 'smtp-line-too-long|smtp-bad-reply|smtp-reply-too-large' },
    'STARTTLS then TLS garbage': { script: () => [...ehlo, { raw: Buffer.from([0x16, 0x03, 0x03, 0x40, 0x00]) }, { garbage: { bytes: 16384 } }, { silence: true }], expect: 'smtp-starttls-failed' },
    'a self-signed certificate': { script: () => [...ehlo, { tls: makeCertificate() }, ...afterTls], expect: 'smtp-cert-self-signed' },
    'an expired certificate': { script: () => [...ehlo, { tls: makeCertificate({ notBefore: utc(Date.now() - 400 * day), notAfter: utc(Date.now() - 30 * day) }) }, ...afterTls], expect: 'smtp-cert-expired' },
    // issue 9 #12: OpenSSL gives the date as "Bad time value"; the probe used to crash on it.
    'a certificate whose notAfter is not a date': { script: () => [...ehlo, { tls: makeCertificate({ notAfter: 'ZZZZZZZZZZZZZ' }) }, ...afterTls], expect: 'smtp-cert-bad-date' },
  };

  before(async () => {
    tmp ??= fs.mkdtempSync(path.join(os.tmpdir(), 'maildns-hostile-'));
    dns = await startFaultDns({
      records: {
        '1.0.0.127.in-addr.arpa': { PTR: ['peer.example'] },
        'peer.example': { A: ['127.0.0.1'] },
        '7.100.51.198.in-addr.arpa': { PTR: ['mail.example.org'] },
        'mail.example.org': { A: [IP] },
        'example.org': { MX: [{ preference: 10, exchange: 'mail.example.org' }], TXT: [`v=spf1 ip4:${IP} -all`] },
      },
    });
    for (const [mode, m] of Object.entries(modes)) {
      peers.set(`${mode}/smtp`, await startSmtpPeer(m.script()));
      peers.set(`${mode}/check`, await startSmtpPeer(m.script()));
    }
  });
  after(async () => {
    await Promise.all([...peers.values()].map((p) => p.stop()));
    await dns.stop();
  });

  for (const [mode, m] of Object.entries(modes)) {
    it(`maildns smtp against an SMTP server with ${mode}`, { timeout: SAFETY_NET_MS }, async () => {
      const peer = peers.get(`${mode}/smtp`)!;
      const r = await maildns(['smtp', `127.0.0.1:${peer.port}`, '--ehlo', 'probe.example.net', '--smtp-timeout', String(m.wait ?? 5000), '--resolver', dns.server, '--timeout', '1000', '--json']);
      assertContained(r, `smtp / ${mode}`);
      const j = JSON.parse(r.out) as { findings: { code: string }[]; bytesRead: number };
      assert.ok(j.findings.some((f) => new RegExp(`^(${m.expect})$`).test(f.code)), `${mode}: ${j.findings.map((f) => f.code).join(', ')}`);
      assert.ok(j.bytesRead <= 65536 + 65536, `read ${j.bytesRead} octets`);
    });
    it(`maildns check --smtp-host against an SMTP server with ${mode}`, { timeout: SAFETY_NET_MS }, async () => {
      const peer = peers.get(`${mode}/check`)!;
      const r = await maildns(['check', IP, '--helo', 'mail.example.org', '--from', 'example.org', '--zone', 'bl.example.org', '--smtp-host', `127.0.0.1:${peer.port}`, '--smtp-timeout', String(m.wait ?? 5000), '--resolver', dns.server, '--timeout', '1000', '--json']);
      assertContained(r, `check / ${mode}`);
      const j = JSON.parse(r.out) as { rows: { id: string }[]; results: { smtp?: { findings: { code: string }[] } } };
      // The whole combined check survives: every row is there, the SMTP row with its finding.
      assert.deepEqual(j.rows.map((x) => x.id), ['rdns', 'helo', 'spf-from', 'spf-helo', 'dkim', 'dmarc', 'mx', 'dnsbl', 'smtp']);
      assert.ok(j.results.smtp?.findings.some((f) => new RegExp(`^(${m.expect})$`).test(f.code)), `${mode}: ${j.results.smtp?.findings.map((f) => f.code).join(', ')}`);
    });
  }
});

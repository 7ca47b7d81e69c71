// The SMTP probe against a scripted peer (test/harness/smtp-peer.ts) for faults a real server does
// not produce on demand: silence, a 554 greeting, an endless line, a flood of lines, a reset in the
// middle of a reply, garbage, a closed port, an EHLO-less server, a failed STARTTLS. None may crash
// the probe; each is a finding, and memory stays bounded.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import * as net from 'node:net';
import * as readline from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { smtpCommand } from '../../src/cli/commands/smtp';
import { UsageError } from '../../src/cli/shared';
import { createResolver } from '../../src/core/dns/resolver';
import type { Resolver } from '../../src/core/dns/types';
import { parseHostPort, probeSmtp } from '../../src/core/smtp/probe';
import { smtpToText } from '../../src/core/smtp/text';
import { makeCertificate } from '../harness/certs';
import { startFaultDns, type FaultDnsServer } from '../harness/fault-dns';
import { startSmtpPeer, type PeerStep, type SmtpPeer } from '../harness/smtp-peer';

let dns: FaultDnsServer;
let resolver: Resolver;
const peers: SmtpPeer[] = [];

async function peer(script: PeerStep[]): Promise<SmtpPeer> {
  const p = await startSmtpPeer(script);
  peers.push(p);
  return p;
}

const probe = (p: SmtpPeer, o: { timeoutMs?: number; signal?: AbortSignal; starttls?: boolean } = {}) =>
  probeSmtp('127.0.0.1', p.port, { resolver, ehloName: 'web6.dynatron.example', timeoutMs: o.timeoutMs ?? 2000, ...(o.signal ? { signal: o.signal } : {}), ...(o.starttls === false ? { starttls: false } : {}) });

const codes = (r: { findings: { code: string }[] }) => r.findings.map((f) => f.code);

before(async () => {
  dns = await startFaultDns({
    records: {
      '1.0.0.127.in-addr.arpa': { PTR: ['peer.example'] },
      'peer.example': { A: ['127.0.0.1'] },
      'dynatron.example': { A: ['203.0.113.51'] },
    },
  });
  resolver = createResolver({ servers: [dns.server], timeoutMs: 500 });
});
after(async () => {
  await Promise.all(peers.map((p) => p.stop()));
  await dns.stop();
});

describe('SMTP probe faults', () => {
  it('a silent port: greeting timeout, never a crash', async () => {
    const p = await peer([{ silence: true }]);
    const r = await probe(p, { timeoutMs: 200 });
    assert.equal(r.connected, true);
    assert.deepEqual(codes(r).filter((c) => c.startsWith('smtp-greeting')), ['smtp-greeting-timeout']);
    assert.match(r.findings[0].message, /a silent port can also be a firewall or proxy/);
    assert.equal(r.ehlo, undefined);
    await p.waitForClosed(1);
  });

  it('a 554 greeting: "no SMTP service here", then QUIT', async () => {
    const p = await peer([{ send: '554 5.7.1 peer.example No SMTP service for you' }, { expect: /^QUIT$/ }, { send: '221 2.0.0 Bye' }, { close: true }]);
    const r = await probe(p);
    assert.equal(r.greeting?.code, 554);
    const f = r.findings.find((x) => x.code === 'smtp-greeting-refused');
    assert.match(f?.message ?? '', /refuses SMTP service to this client \(RFC 5321 §3\.1\)/);
    assert.equal(r.quit?.code, 221);
    assert.ok(p.received.includes('QUIT'));
    assert.ok(!p.received.some((l) => l.startsWith('EHLO')));
  });

  it('an endless line: given up at the line bound, reading stays bounded', async () => {
    const p = await peer([{ endless: { chunk: 'A' } }]);
    const r = await probe(p);
    assert.ok(codes(r).includes('smtp-line-too-long'), JSON.stringify(r.findings));
    assert.ok(r.bytesRead <= 65536 + 16384, `read ${r.bytesRead} bytes`);
    await p.waitForClosed(1);
    assert.ok(p.endlessBytes < 64 * 1024 * 1024, 'the probe hung up long before the peer ran out');
  });

  it('a flood of continuation lines: stopped at the reply bound', async () => {
    const p = await peer([{ endless: { chunk: '220-flood\r\n' } }]);
    const r = await probeSmtp('127.0.0.1', p.port, { resolver, timeoutMs: 2000, limits: { maxLines: 50 } });
    assert.ok(codes(r).includes('smtp-reply-too-large'), JSON.stringify(r.findings));
    assert.ok(r.transcript.length <= 500);
    await p.waitForClosed(1);
  });

  it('a reset in the middle of the EHLO reply', async () => {
    const p = await peer([{ send: '220 peer.example ESMTP' }, { expect: /^EHLO / }, { raw: '250-peer.example\r\n250-PIPE' }, { reset: true }]);
    const r = await probe(p);
    const f = r.findings.find((x) => x.code === 'smtp-connection-reset' || x.code === 'smtp-connection-closed');
    assert.ok(f, JSON.stringify(r.findings));
    assert.match(f.message, /Reply to EHLO/);
    assert.match(f.message, /250-peer\.example/);
    assert.equal(r.greeting?.name, 'peer.example');
  });

  it('garbage instead of a greeting, and replies whose codes change mid-way', async () => {
    const http = await peer([{ raw: 'HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n' }, { close: true }]);
    assert.ok(codes(await probe(http)).includes('smtp-bad-reply'));
    const mixed = await peer([{ send: '220-peer.example\r\n250 surprise' }, { silence: true }]);
    const r = await probe(mixed);
    assert.match(r.findings.find((x) => x.code === 'smtp-bad-reply')?.message ?? '', /different codes/);
  });

  it('a closed port: connection refused', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    const r = await probeSmtp('127.0.0.1', port, { resolver, timeoutMs: 1000 });
    assert.equal(r.connected, false);
    assert.deepEqual(codes(r), ['smtp-connect-refused']);
  });

  it('a port that drops connection attempts: "port 25 blocked?"', async () => {
    // A listener with backlog 0 whose one queue slot is taken and never accepted: the kernel drops
    // further SYNs, as a firewall that DROPs does. Node accepts by itself, so Python holds it.
    const holder = spawn('python3', ['-c', [
      'import socket, sys',
      's = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(0)',
      'port = s.getsockname()[1]',
      'fill = socket.create_connection(("127.0.0.1", port), timeout=5)',
      'print(port, flush=True)',
      'sys.stdin.read()',
    ].join('\n')], { stdio: ['pipe', 'pipe', 'inherit'] });
    try {
      const [line] = (await once(readline.createInterface({ input: holder.stdout! }), 'line')) as [string];
      const port = Number(line);
      assert.ok(port > 0, `holder said ${JSON.stringify(line)}`);
      const r = await probeSmtp('127.0.0.1', port, { resolver, timeoutMs: 400 });
      assert.equal(r.connected, false);
      const f = r.findings.find((x) => x.code === 'smtp-connect-timeout');
      assert.ok(f, codes(r).join(','));
      assert.match(f.message, new RegExp(`Port ${port} blocked\\?`));
    } finally {
      holder.stdin!.end();
      if (holder.exitCode === null) await once(holder, 'exit');
    }
  });

  it("falls back to HELO, and catches the seed's \"250 dynatronsoftware.com Hello [216.x]\"", async () => {
    const p = await peer([
      { send: '220 peer.example Microsoft ESMTP MAIL Service ready' },
      { expect: /^EHLO / },
      { send: '502 5.5.1 Command not implemented' },
      { expect: /^HELO / },
      { send: '250 dynatron.example Hello [203.0.113.9]' },
      { expect: /^QUIT$/ },
      { send: '221 2.0.0 closing' },
      { close: true },
    ]);
    const r = await probe(p);
    assert.equal(r.ehlo?.command, 'HELO');
    assert.equal(r.ehlo?.name, 'dynatron.example');
    assert.equal(r.ehlo?.clientAddress, '203.0.113.9');
    assert.ok(codes(r).includes('smtp-ehlo-unsupported'));
    const m = r.findings.find((f) => f.code === 'smtp-ehlo-name-mismatch');
    assert.match(m?.message ?? '', /calls itself dynatron\.example in its EHLO reply \(the seed's "250 dynatronsoftware\.com Hello \[216\.x\]"\), but dynatron\.example resolves to 203\.0\.113\.51, not to 127\.0\.0\.1/);
    assert.equal(m?.fix?.proposed, 'peer.example');
    assert.match(r.findings.find((f) => f.code === 'smtp-client-address')?.message ?? '', /sees this client at 203\.0\.113\.9 \(the connection leaves here from 127\.0\.0\.1: NAT in between\)/);
  });

  it('a STARTTLS the server offers but refuses, and one whose handshake fails', async () => {
    const ehlo: PeerStep[] = [{ send: '220 peer.example ESMTP' }, { expect: /^EHLO / }, { send: '250-peer.example\r\n250 STARTTLS' }, { expect: /^STARTTLS$/ }];
    const refused = await peer([...ehlo, { send: '454 4.7.0 TLS not available due to local problem' }, { expect: /^QUIT$/ }, { send: '221 bye' }, { close: true }]);
    const r1 = await probe(refused);
    assert.ok(codes(r1).includes('smtp-starttls-refused'));
    const broken = await peer([...ehlo, { send: '220 2.0.0 Ready to start TLS' }, { raw: 'this is not TLS\r\n' }, { close: true }]);
    const r2 = await probe(broken);
    assert.equal(r2.starttls.ok, false);
    assert.ok(codes(r2).includes('smtp-starttls-failed'), JSON.stringify(r2.findings));
    assert.ok(codes(r2).includes('smtp-starttls-extra-data'), 'plaintext after "220 Ready" is reported (RFC 3207 §4.2)');
    const skipped = await peer([...ehlo.slice(0, 3), { expect: /^QUIT$/ }, { send: '221 bye' }, { close: true }]);
    const r3 = await probe(skipped, { starttls: false });
    assert.equal(r3.starttls.offered, true);
    assert.equal(r3.starttls.attempted, false);
  });

  describe('certificates after STARTTLS (made at test time, ../harness/certs.ts)', () => {
    const tlsPeer = (cert: { cert: string; key: string }) =>
      peer([
        { send: '220 peer.example ESMTP' },
        { expect: /^EHLO / },
        { send: '250-peer.example\r\n250 STARTTLS' },
        { expect: /^STARTTLS$/ },
        { send: '220 2.0.0 go ahead' },
        { tls: cert },
        { expect: /^EHLO / },
        { send: '250-peer.example\r\n250 PIPELINING' },
        { expect: /^QUIT$/ },
        { send: '221 bye' },
        { close: true },
      ]);
    const day = 86_400_000;
    const asn1 = (ms: number) => new Date(ms).toISOString().replace(/[-:T]/g, '').replace(/\.\d+Z$/, 'Z');

    it('self-signed: reported, and the probe goes on inside TLS', async () => {
      const r = await probe(await tlsPeer(makeCertificate({ names: ['peer.example'] })));
      assert.equal(r.starttls.ok, true);
      assert.equal(r.starttls.certificate?.selfSigned, true);
      assert.deepEqual(r.starttls.certificate?.names, ['peer.example']);
      assert.ok(codes(r).includes('smtp-cert-self-signed'));
      assert.deepEqual(r.starttls.extensionsAfter?.map((x) => x.keyword), ['PIPELINING']);
      assert.equal(r.quit?.code, 221);
    });

    it('expired: an error finding with the date', async () => {
      const r = await probe(await tlsPeer(makeCertificate({ notBefore: asn1(Date.now() - 400 * day), notAfter: asn1(Date.now() - 30 * day) })));
      assert.equal(r.starttls.certificate?.expired, true);
      assert.match(r.findings.find((f) => f.code === 'smtp-cert-expired')?.message ?? '', /expired on \d{4}-\d\d-\d\d \((30|31) days ago\)/);
    });

    it('issue 9 #12: a notAfter that is not a date is a finding, not a crash of the probe', async () => {
      // OpenSSL prints it as "Bad time value"; new Date() of that is invalid, and toISOString() threw.
      const r = await probe(await tlsPeer(makeCertificate({ notAfter: 'ZZZZZZZZZZZZZ' })));
      const c = r.starttls.certificate;
      assert.ok(c);
      assert.equal(c.validTo, '');
      assert.equal(c.daysLeft, null);
      assert.equal(c.expired, false);
      assert.match(c.unreadableDates ?? '', /notAfter "Bad time value"/);
      assert.match(r.findings.find((f) => f.code === 'smtp-cert-bad-date')?.message ?? '', /validity is not a date \(notAfter "Bad time value"; RFC 5280 §4\.1\.2\.5\)/);
      // The probe went on: EHLO again inside TLS, then QUIT.
      assert.equal(r.quit?.code, 221);
      assert.match(smtpToText(r), /unreadable dates/);
    });
  });

  it('escapes control characters the server sends', async () => {
    const p = await peer([{ send: '220 peer.example \x1b[2J\x1b]0;pwned\x07 ESMTP' }, { close: true }]);
    const r = await probe(p);
    assert.equal(r.greeting?.lines[0], 'peer.example \\x1b[2J\\x1b]0;pwned\\x07 ESMTP');
    assert.ok(!JSON.stringify(r).includes('\x1b'));
  });

  it('stops when aborted, with AbortError', async () => {
    const p = await peer([{ silence: true }]);
    const ac = new AbortController();
    const pending = probe(p, { timeoutMs: 60_000, signal: ac.signal });
    await p.waitForConnections(1);
    ac.abort();
    await assert.rejects(pending, (e: Error) => e.name === 'AbortError');
    await p.waitForClosed(1);
  });
});

describe('maildns smtp arguments', () => {
  async function cli(args: string[]) {
    let out = '';
    try {
      return { code: await smtpCommand.run(args, { out: (t) => (out += t), err: () => undefined }), out, err: '' };
    } catch (e) {
      if (e instanceof UsageError || (e instanceof TypeError && String((e as { code?: string }).code).startsWith('ERR_PARSE_ARGS'))) return { code: 2, out, err: (e as Error).message };
      throw e;
    }
  }
  it('parses host[:port] forms', () => {
    assert.deepEqual(parseHostPort('mail.example.com'), { host: 'mail.example.com', port: 25 });
    assert.deepEqual(parseHostPort('203.0.113.5:587'), { host: '203.0.113.5', port: 587 });
    assert.deepEqual(parseHostPort('[2001:db8::1]:2525'), { host: '2001:db8::1', port: 2525 });
    assert.deepEqual(parseHostPort('2001:db8::1'), { host: '2001:db8::1', port: 25 });
  });
  for (const [args, pattern] of [
    [[], /smtp needs a host/],
    [['mail.example.com:99999'], /port "99999" must be a number from 1 to 65535/],
    [['bad host!'], /neither an IP address nor a host name/],
    [['127.0.0.1', '--ehlo', 'two words'], /one word/],
    [['127.0.0.1', '--smtp-timeout', 'soon'], /--smtp-timeout must be a positive whole number/],
  ] as const) {
    it(`maildns smtp ${args.join(' ')} → exit 2, one line`, async () => {
      const r = await cli([...args, '--resolver', dns.server]);
      assert.equal(r.code, 2);
      assert.match(r.err, pattern);
      assert.equal(r.out, '');
    });
  }
});

// Tests for the DNS test harness itself: BIND on the fixture zones (asked with dig), and the
// scripted fault server (asked with raw dns-packet queries over UDP and TCP).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as dgram from 'node:dgram';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as dnsPacket from 'dns-packet';
import { startBind, type BindServer } from '../harness/bind';
import { startFaultDns, type FaultDnsServer } from '../harness/fault-dns';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'zones');
const DEMO = path.join(ROOT, 'demo', 'zones');

// --- dig ---------------------------------------------------------------------------------------

interface DigResult {
  status: string;
  flags: string[];
  /** `+short`-style answer data, one per record. */
  answers: string[];
}

function run(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: 15_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd} ${args.join(' ')}: ${err.message}\n${stdout}${stderr}`));
      else resolve(stdout);
    });
  });
}

async function dig(port: number, ...args: string[]): Promise<DigResult> {
  const out = await run('dig', ['@127.0.0.1', '-p', String(port), '+time=2', '+tries=1', '+noall', '+comments', '+answer', ...args]);
  const status = /status: ([A-Z]+)/.exec(out)?.[1] ?? 'NONE';
  const flags = (/;; flags: ([a-z ]*);/.exec(out)?.[1] ?? '').trim().split(/\s+/);
  const answers = out
    .split('\n')
    .filter((line) => line && !line.startsWith(';'))
    .map((line) => line.split(/\s+/).slice(4).join(' '));
  return { status, flags, answers };
}

async function digShort(port: number, ...args: string[]): Promise<string[]> {
  const out = await run('dig', ['@127.0.0.1', '-p', String(port), '+time=2', '+tries=1', '+short', ...args]);
  return out.split('\n').filter(Boolean);
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

describe('startBind on the fixture zones', () => {
  let bind: BindServer;

  before(async () => {
    bind = await startBind({ zoneDir: FIXTURES });
  });
  after(async () => {
    await bind?.stop();
  });

  test('reports where it listens and that it started', () => {
    assert.equal(bind.host, '127.0.0.1');
    assert.equal(bind.server, `127.0.0.1:${bind.port}`);
    assert.ok(bind.port > 0);
    assert.match(bind.logs(), /running/);
    assert.ok(bind.startupMs >= 0 && bind.startupMs < 20_000);
  });

  test('forward-confirmed pass, IPv4 and IPv6', async () => {
    assert.deepEqual(await digShort(bind.port, '-x', '192.0.2.10'), ['mail.example.com.']);
    assert.deepEqual(await digShort(bind.port, 'mail.example.com', 'A'), ['192.0.2.10']);
    const ptr6 = await dig(bind.port, '-x', '2001:db8::25');
    assert.equal(ptr6.status, 'NOERROR');
    assert.ok(ptr6.flags.includes('aa'), 'authoritative answer');
    assert.deepEqual(ptr6.answers, ['mail6.example.com.']);
    assert.deepEqual(await digShort(bind.port, 'mail6.example.com', 'AAAA'), ['2001:db8::25']);
    assert.equal((await dig(bind.port, '-x', '2001:db8::26')).status, 'NXDOMAIN');
  });

  test('the seed loop walks back to mail.example.net', async () => {
    const seen: string[] = [];
    let ip = '203.0.113.100';
    for (let i = 0; i < 3; i++) {
      const [name] = await digShort(bind.port, '-x', ip);
      seen.push(name);
      [ip] = await digShort(bind.port, name, 'A');
      seen.push(ip);
    }
    assert.deepEqual(seen, [
      'mail.example.net.',
      '203.0.113.244',
      'example.net.',
      '203.0.113.51',
      'mail.example.net.',
      '203.0.113.244',
    ]);
    assert.deepEqual(await digShort(bind.port, 'web6.example.net', 'A'), ['203.0.113.100']);
  });

  test('RFC 2317 classless delegation: CNAME, then the PTR in the child zone', async () => {
    const first = await dig(bind.port, '-x', '198.51.100.70');
    assert.equal(first.status, 'NOERROR');
    assert.deepEqual(first.answers, ['70.64/26.100.51.198.in-addr.arpa.'], 'only the CNAME: BIND does not chase it across zones');
    assert.match((await run('dig', ['@127.0.0.1', '-p', String(bind.port), '+noall', '+answer', '-x', '198.51.100.70'])), /\sCNAME\s/);
    const second = await dig(bind.port, '70.64/26.100.51.198.in-addr.arpa', 'PTR');
    assert.equal(second.status, 'NOERROR');
    assert.deepEqual(second.answers, ['classless.example.org.']);
    assert.deepEqual(await digShort(bind.port, 'classless.example.org', 'A'), ['198.51.100.70']);
    // A classless address with no PTR in the child zone: NXDOMAIN after the CNAME.
    assert.equal((await dig(bind.port, '71.64/26.100.51.198.in-addr.arpa', 'PTR')).status, 'NXDOMAIN');
    assert.deepEqual(await digShort(bind.port, '64/26.100.51.198.in-addr.arpa', 'NS'), ['ns1.example.org.']);
  });

  test('every address in CASES.md has the PTR names the table says', async () => {
    const expected: Record<string, string[] | 'NXDOMAIN' | 'NODATA'> = {
      '192.0.2.10': ['mail.example.com.'],
      '203.0.113.100': ['mail.example.net.'],
      '203.0.113.244': ['example.net.'],
      '203.0.113.51': ['mail.example.net.'],
      '192.0.2.20': 'NXDOMAIN',
      '192.0.2.21': 'NODATA',
      '192.0.2.30': ['noaddr.example.com.'],
      '192.0.2.31': ['nxdomain-host.example.com.'],
      '192.0.2.40': ['elsewhere.example.com.'],
      '192.0.2.41': 'NXDOMAIN',
      '192.0.2.50': ['a.example.com.', 'b.example.com.'],
      '198.51.100.7': ['198-51-100-7.dyn.isp.example.org.'],
      '192.0.2.12': ['alias12.example.com.'],
      '192.0.2.60': ['fanout.example.com.'],
      '192.0.2.61': ['fanout-miss.example.com.'],
      '192.0.2.101': ['h1.chain.example.com.'],
      '192.0.2.112': ['h12.chain.example.com.'],
      '192.0.2.113': 'NXDOMAIN',
    };
    for (const [ip, want] of Object.entries(expected)) {
      const got = await dig(bind.port, '-x', ip);
      if (want === 'NXDOMAIN') {
        assert.equal(got.status, 'NXDOMAIN', ip);
      } else if (want === 'NODATA') {
        assert.equal(got.status, 'NOERROR', ip);
        assert.deepEqual(got.answers, [], ip);
      } else {
        assert.equal(got.status, 'NOERROR', ip);
        assert.deepEqual([...got.answers].sort(), want, ip);
      }
    }
  });

  test('forward-side cases: NODATA, NXDOMAIN, elsewhere, CNAMEs', async () => {
    const noaddr = await dig(bind.port, 'noaddr.example.com', 'A');
    assert.equal(noaddr.status, 'NOERROR');
    assert.deepEqual(noaddr.answers, []);
    assert.equal((await dig(bind.port, 'nxdomain-host.example.com', 'A')).status, 'NXDOMAIN');
    assert.deepEqual(await digShort(bind.port, 'elsewhere.example.com', 'A'), ['192.0.2.41']);
    assert.deepEqual(await digShort(bind.port, 'a.example.com', 'A'), ['192.0.2.50']);
    assert.deepEqual(await digShort(bind.port, 'b.example.com', 'A'), ['192.0.2.51']);
    assert.deepEqual(await digShort(bind.port, 'mx-alias.example.com', 'A'), ['mail.example.com.', '192.0.2.10']);
    assert.deepEqual(await digShort(bind.port, 'alias12.example.com', 'A'), ['host12.example.com.', '192.0.2.12']);
    assert.deepEqual(await digShort(bind.port, '198-51-100-7.dyn.isp.example.org', 'A'), ['198.51.100.7']);
    assert.deepEqual(await digShort(bind.port, 'example.com', 'MX'), ['10 mail.example.com.']);
  });

  test('fan-out: 30 A records, truncated over UDP without EDNS, whole over TCP', async () => {
    const udp = await digShort(bind.port, 'fanout.example.com', 'A');
    assert.equal(udp.length, 30);
    assert.ok(udp.includes('192.0.2.60'));
    const noedns = await dig(bind.port, '+noedns', '+ignore', 'fanout.example.com', 'A');
    assert.ok(noedns.flags.includes('tc'), `flags: ${noedns.flags.join(' ')}`);
    const tcp = await dig(bind.port, '+tcp', '+noedns', 'fanout.example.com', 'A');
    assert.equal(tcp.answers.length, 30);
    const miss = await digShort(bind.port, 'fanout-miss.example.com', 'A');
    assert.equal(miss.length, 30);
    assert.ok(!miss.includes('192.0.2.61'));
  });

  test('long chain: 12 PTR hops without a loop', async () => {
    const names: string[] = [];
    let ip = '192.0.2.101';
    for (;;) {
      const ptr = await dig(bind.port, '-x', ip);
      if (ptr.status !== 'NOERROR') break;
      names.push(ptr.answers[0]);
      [ip] = await digShort(bind.port, ptr.answers[0], 'A');
    }
    assert.equal(names.length, 12);
    assert.equal(new Set(names).size, 12);
    assert.equal(names[11], 'h12.chain.example.com.');
    assert.equal(ip, '192.0.2.113');
  });
});

describe('startBind errors and shutdown', () => {
  test('a broken zone fails with named-checkzone output, before named starts', async () => {
    const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'maildns-badzone-'));
    try {
      await fs.promises.writeFile(
        path.join(dir, 'bad.zone'),
        '$TTL 300\n@ IN SOA ns1.example.com. h.example.com. 1 2 3 4 5\n@ IN NS ns1.example.com.\nwww IN A 999.1.1.1\n',
      );
      await fs.promises.writeFile(path.join(dir, 'zones.json'), JSON.stringify([{ name: 'example.com', file: 'bad.zone' }]));
      await assert.rejects(startBind({ zoneDir: dir }), (err: Error) => {
        assert.match(err.message, /named-checkzone example\.com/);
        assert.match(err.message, /bad dotted quad|not loaded|error/i);
        return true;
      });
    } finally {
      await fs.promises.rm(dir, { recursive: true, force: true });
    }
  });

  test('a missing manifest is reported', async () => {
    const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'maildns-nozones-'));
    try {
      await assert.rejects(startBind({ zoneDir: dir }), /zones\.json/);
    } finally {
      await fs.promises.rm(dir, { recursive: true, force: true });
    }
  });

  test('explicit zones, the demo zones, and stop() frees the port', async () => {
    const bind = await startBind({ zoneDir: DEMO });
    try {
      assert.deepEqual(await digShort(bind.port, '-x', '203.0.113.100'), ['mail.example.net.']);
      assert.deepEqual(await digShort(bind.port, '-x', '203.0.113.25'), ['smtp.example.net.']);
      assert.deepEqual(await digShort(bind.port, '-x', '2001:db8:113::25'), ['smtp.example.net.']);
      assert.equal((await dig(bind.port, '-x', '203.0.113.77')).status, 'NXDOMAIN');
      assert.deepEqual(await digShort(bind.port, '70.64/26.100.51.198.in-addr.arpa', 'PTR'), ['relay.example.net.']);
      const spf = await digShort(bind.port, 'example.net', 'TXT');
      assert.equal(spf.length, 1);
      assert.match(spf[0], /^"v=spf1 .*ip4:203\.0\.113\.100 .*~all"$/);
      assert.deepEqual((await digShort(bind.port, 'example.net', 'MX')).sort(), ['10 mail.example.net.', '20 smtp.example.net.']);
    } finally {
      await bind.stop();
    }
    assert.equal(await portIsFree(bind.port), true, 'named released its port');
    await bind.stop(); // idempotent

    const one = await startBind({ zoneDir: FIXTURES, zones: [{ name: 'example.net', file: 'example.net.zone' }] });
    try {
      assert.deepEqual(await digShort(one.port, 'web6.example.net', 'A'), ['203.0.113.100']);
      assert.equal((await dig(one.port, '-x', '192.0.2.10')).status, 'REFUSED', 'zone not served');
    } finally {
      await one.stop();
    }
  });
});

// --- raw DNS clients for the fault server ------------------------------------------------------

/** Collects every datagram or frame a client receives, in order. */
class Inbox {
  private readonly items: Buffer[] = [];
  private readonly waiters: ((b: Buffer) => void)[] = [];
  push(b: Buffer): void {
    const w = this.waiters.shift();
    if (w) w(b);
    else this.items.push(b);
  }
  next(): Promise<Buffer> {
    const b = this.items.shift();
    if (b) return Promise.resolve(b);
    return new Promise((resolve) => this.waiters.push(resolve));
  }
  get pending(): number {
    return this.items.length;
  }
}

class UdpClient {
  readonly inbox = new Inbox();
  private readonly socket = dgram.createSocket('udp4');
  private constructor(private readonly port: number) {
    this.socket.on('message', (msg) => this.inbox.push(msg));
  }
  static async open(port: number): Promise<UdpClient> {
    const c = new UdpClient(port);
    await new Promise<void>((resolve) => c.socket.bind(0, '127.0.0.1', () => resolve()));
    return c;
  }
  send(buf: Buffer): void {
    this.socket.send(buf, this.port, '127.0.0.1');
  }
  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }
}

class TcpClient {
  readonly inbox = new Inbox();
  private pending: Buffer = Buffer.alloc(0);
  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.pending = Buffer.concat([this.pending, chunk]);
      while (this.pending.length >= 2 && this.pending.length >= 2 + this.pending.readUInt16BE(0)) {
        const len = this.pending.readUInt16BE(0);
        this.inbox.push(Buffer.from(this.pending.subarray(2, 2 + len)));
        this.pending = this.pending.subarray(2 + len);
      }
    });
  }
  static open(port: number): Promise<TcpClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: '127.0.0.1', port }, () => resolve(new TcpClient(socket)));
      socket.once('error', reject);
    });
  }
  write(buf: Buffer): void {
    this.socket.write(buf);
  }
  send(buf: Buffer): void {
    this.write(frame(buf));
  }
  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.socket.destroyed) return resolve();
      this.socket.once('close', () => resolve());
      this.socket.destroy();
    });
  }
}

function frame(buf: Buffer): Buffer {
  const out = Buffer.alloc(2 + buf.length);
  out.writeUInt16BE(buf.length, 0);
  buf.copy(out, 2);
  return out;
}

function query(id: number, name: string, type: dnsPacket.RecordType = 'A', edns = false): Buffer {
  return dnsPacket.encode({
    type: 'query',
    id,
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ name, type, class: 'IN' }],
    additionals: edns
      ? [{ name: '.', type: 'OPT', udpPayloadSize: 4096, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] }]
      : [],
  });
}

const rcodeOf = (p: dnsPacket.DecodedPacket) => (p.flags ?? 0) & 0xf;
const dataOf = (p: dnsPacket.DecodedPacket) => (p.answers ?? []).map((a) => String((a as dnsPacket.StringAnswer).data));

describe('startFaultDns', () => {
  let dns: FaultDnsServer;
  let udp: UdpClient;

  before(async () => {
    dns = await startFaultDns({
      records: {
        'mail.example.com': { A: ['192.0.2.10'], TTL: 300 },
        'Alias.Example.com.': { CNAME: 'mail.example.com' },
        '10.2.0.192.in-addr.arpa': { PTR: ['mail.example.com.'] },
        'txt-only.example.com': { TXT: ['hello'] },
        'fanout.example.com': { A: Array.from({ length: 30 }, (_, i) => `192.0.2.${170 + i}`) },
      },
      behaviours: {
        'silent.example.com': { kind: 'silent' },
        'truncate.example.com': { kind: 'truncate' },
        'servfail.example.com': { kind: 'rcode', rcode: 'SERVFAIL' },
        'refused.example.com': { kind: 'rcode', rcode: 'REFUSED' },
        'notimp.example.com': { kind: 'rcode', rcode: 'NOTIMP' },
        'formerr.example.com': { kind: 'rcode', rcode: 'FORMERR' },
        'wrong-id.example.com': { kind: 'wrong-id' },
        'wrong-question.example.com': { kind: 'wrong-question' },
        'garbage.example.com': { kind: 'garbage' },
        'slow.example.com': { kind: 'delay', ms: 300 },
        'slow-fail.example.com': { kind: 'delay', ms: 50, then: { kind: 'rcode', rcode: 'SERVFAIL' } },
      },
    });
    udp = await UdpClient.open(dns.port);
  });
  after(async () => {
    await udp?.close();
    await dns?.stop();
  });

  test('listens on 127.0.0.1, UDP and TCP on one port', async () => {
    assert.equal(dns.host, '127.0.0.1');
    assert.equal(dns.server, `127.0.0.1:${dns.port}`);
    assert.equal(await portIsFree(dns.port), false);
  });

  test('answer: records, CNAME chase, NXDOMAIN, NODATA', async () => {
    udp.send(query(1, 'MAIL.example.com.'));
    let r = dnsPacket.decode(await udp.inbox.next());
    assert.equal(r.id, 1);
    assert.equal(r.flag_qr, true);
    assert.equal(r.flag_aa, true);
    assert.equal(rcodeOf(r), 0);
    assert.deepEqual(dataOf(r), ['192.0.2.10']);
    assert.equal(r.answers?.[0].type === 'A' && r.answers[0].ttl, 300);

    udp.send(query(2, '10.2.0.192.in-addr.arpa', 'PTR'));
    r = dnsPacket.decode(await udp.inbox.next());
    assert.deepEqual(dataOf(r), ['mail.example.com']);

    udp.send(query(3, 'alias.example.com', 'A'));
    r = dnsPacket.decode(await udp.inbox.next());
    assert.deepEqual(
      (r.answers ?? []).map((a) => a.type),
      ['CNAME', 'A'],
    );
    assert.deepEqual(dataOf(r), ['mail.example.com', '192.0.2.10']);

    udp.send(query(4, 'nothing.example.com'));
    r = dnsPacket.decode(await udp.inbox.next());
    assert.equal(rcodeOf(r), 3, 'NXDOMAIN');

    udp.send(query(5, 'txt-only.example.com', 'A'));
    r = dnsPacket.decode(await udp.inbox.next());
    assert.equal(rcodeOf(r), 0, 'NODATA is NOERROR');
    assert.equal(r.answers?.length, 0);

    udp.send(query(6, 'in-addr.arpa', 'PTR'));
    r = dnsPacket.decode(await udp.inbox.next());
    assert.equal(rcodeOf(r), 0, 'empty non-terminal is NODATA');
  });

  test('answer: a large answer is truncated over UDP unless EDNS allows it', async () => {
    udp.send(query(10, 'fanout.example.com'));
    let r = dnsPacket.decode(await udp.inbox.next());
    assert.equal(r.flag_tc, true);
    assert.equal(r.answers?.length, 0);
    udp.send(query(11, 'fanout.example.com', 'A', true));
    r = dnsPacket.decode(await udp.inbox.next());
    assert.equal(r.flag_tc, false);
    assert.equal(r.answers?.length, 30);
    assert.ok(r.additionals?.some((a) => a.type === 'OPT'), 'EDNS in, EDNS out');
  });

  test('silent: never replies (a later query on the same socket is answered first)', async () => {
    const before = dns.queries.length;
    udp.send(query(20, 'silent.example.com'));
    await dns.waitForQueries(before + 1);
    udp.send(query(21, 'mail.example.com'));
    const r = dnsPacket.decode(await udp.inbox.next());
    assert.equal(r.id, 21);
    assert.equal(udp.inbox.pending, 0);
    assert.deepEqual(dns.queries[before], { name: 'silent.example.com', type: 'A', transport: 'udp' });
  });

  test('truncate: TC=1 and no answers over UDP, full answer over TCP', async () => {
    udp.send(query(30, 'truncate.example.com'));
    const r = dnsPacket.decode(await udp.inbox.next());
    assert.equal(r.id, 30);
    assert.equal(r.flag_tc, true);
    assert.equal(r.answers?.length, 0);
    assert.equal(r.questions?.[0].name, 'truncate.example.com');

    // A name with records under 'truncate': TC over UDP, the whole answer over TCP.
    dns.setBehaviour('mail.example.com', { kind: 'truncate' });
    const tcp = await TcpClient.open(dns.port);
    try {
      tcp.send(query(31, 'mail.example.com'));
      const t = dnsPacket.decode(await tcp.inbox.next());
      assert.equal(t.id, 31);
      assert.equal(t.flag_tc, false);
      assert.deepEqual(dataOf(t), ['192.0.2.10']);
      udp.send(query(32, 'mail.example.com'));
      const u = dnsPacket.decode(await udp.inbox.next());
      assert.equal(u.flag_tc, true);
      assert.equal(dns.queries.at(-2)?.transport, 'tcp');
    } finally {
      dns.setBehaviour('mail.example.com', null);
      await tcp.close();
    }
  });

  test('rcode: SERVFAIL, REFUSED, NOTIMP, FORMERR', async () => {
    const cases: [string, number][] = [
      ['servfail.example.com', 2],
      ['refused.example.com', 5],
      ['notimp.example.com', 4],
      ['formerr.example.com', 1],
    ];
    for (const [name, code] of cases) {
      udp.send(query(40 + code, name));
      const r = dnsPacket.decode(await udp.inbox.next());
      assert.equal(r.id, 40 + code);
      assert.equal(rcodeOf(r), code, name);
      assert.equal(r.answers?.length, 0);
      assert.equal(r.questions?.[0].name, name);
    }
  });

  test('wrong-id: a well-formed reply under another ID, never the right one', async () => {
    udp.send(query(50, 'wrong-id.example.com'));
    const r = dnsPacket.decode(await udp.inbox.next());
    assert.notEqual(r.id, 50);
    assert.equal(r.flag_qr, true);
    assert.equal(r.questions?.[0].name, 'wrong-id.example.com');
    udp.send(query(51, 'mail.example.com'));
    const next = dnsPacket.decode(await udp.inbox.next());
    assert.equal(next.id, 51, 'no reply with the right ID came before the next answer');
  });

  test('wrong-question: right ID, another question name', async () => {
    udp.send(query(60, 'wrong-question.example.com'));
    const r = dnsPacket.decode(await udp.inbox.next());
    assert.equal(r.id, 60);
    assert.notEqual(r.questions?.[0].name, 'wrong-question.example.com');
  });

  test('garbage: ID-matched bytes that do not parse', async () => {
    udp.send(query(70, 'garbage.example.com'));
    const raw = await udp.inbox.next();
    assert.equal(raw.readUInt16BE(0), 70);
    assert.throws(() => dnsPacket.decode(raw));
  });

  test('delay: the delayed reply comes later and does not hold up others', async () => {
    const t0 = performance.now();
    udp.send(query(80, 'slow.example.com'));
    udp.send(query(81, 'mail.example.com'));
    const first = dnsPacket.decode(await udp.inbox.next());
    assert.equal(first.id, 81);
    const second = dnsPacket.decode(await udp.inbox.next());
    assert.equal(second.id, 80);
    assert.ok(performance.now() - t0 >= 295, `delayed ${performance.now() - t0} ms`);
    assert.equal(rcodeOf(second), 3, 'then: answer (no records, so NXDOMAIN)');

    udp.send(query(82, 'slow-fail.example.com'));
    const third = dnsPacket.decode(await udp.inbox.next());
    assert.equal(third.id, 82);
    assert.equal(rcodeOf(third), 2, 'then: SERVFAIL');
  });

  test('setBehaviour changes and clears a name at run time; "*" sets a default', async () => {
    dns.setBehaviour('MAIL.example.com.', { kind: 'rcode', rcode: 'REFUSED' });
    udp.send(query(90, 'mail.example.com'));
    assert.equal(rcodeOf(dnsPacket.decode(await udp.inbox.next())), 5);
    dns.setBehaviour('mail.example.com', null);
    udp.send(query(91, 'mail.example.com'));
    assert.deepEqual(dataOf(dnsPacket.decode(await udp.inbox.next())), ['192.0.2.10']);
    dns.setBehaviour('*', { kind: 'rcode', rcode: 'SERVFAIL' });
    try {
      udp.send(query(92, 'mail.example.com'));
      assert.equal(rcodeOf(dnsPacket.decode(await udp.inbox.next())), 2);
      udp.send(query(93, 'refused.example.com'));
      assert.equal(rcodeOf(dnsPacket.decode(await udp.inbox.next())), 5, 'a name’s own behaviour wins');
    } finally {
      dns.setBehaviour('*', null);
    }
  });

  test('TCP: several queries on one connection, in one write and split across writes', async () => {
    const tcp = await TcpClient.open(dns.port);
    try {
      tcp.write(Buffer.concat([frame(query(100, 'mail.example.com')), frame(query(101, '10.2.0.192.in-addr.arpa', 'PTR'))]));
      const a = dnsPacket.decode(await tcp.inbox.next());
      const b = dnsPacket.decode(await tcp.inbox.next());
      assert.deepEqual([a.id, b.id].sort(), [100, 101]);
      const split = frame(query(102, 'fanout.example.com'));
      for (let i = 0; i < split.length; i += 5) tcp.write(split.subarray(i, i + 5));
      const c = dnsPacket.decode(await tcp.inbox.next());
      assert.equal(c.id, 102);
      assert.equal(c.flag_tc, false);
      assert.equal(c.answers?.length, 30, 'no 512-byte limit over TCP');
      tcp.send(query(103, 'servfail.example.com'));
      assert.equal(rcodeOf(dnsPacket.decode(await tcp.inbox.next())), 2);
      tcp.send(query(104, 'garbage.example.com'));
      const g = await tcp.inbox.next();
      assert.equal(g.readUInt16BE(0), 104);
      assert.throws(() => dnsPacket.decode(g));
      const tcpQueries = dns.queries.filter((q) => q.transport === 'tcp').map((q) => q.name);
      assert.ok(tcpQueries.includes('fanout.example.com'));
    } finally {
      await tcp.close();
    }
  });

  test('garbage input: FORMERR when there is a header, silence when not, and the server lives on', async () => {
    const junk = Buffer.from('this is not a dns message at all', 'ascii');
    udp.send(junk);
    const r = await udp.inbox.next();
    assert.equal(r.readUInt16BE(0), junk.readUInt16BE(0));
    assert.equal(r.readUInt16BE(2) & 0xf, 1, 'FORMERR');
    udp.send(Buffer.from([1, 2, 3]));
    udp.send(query(110, 'mail.example.com'));
    assert.equal(dnsPacket.decode(await udp.inbox.next()).id, 110, 'the 3-byte datagram got no reply');

    const tcp = await TcpClient.open(dns.port);
    try {
      tcp.write(frame(junk));
      tcp.send(query(111, 'mail.example.com'));
      const f = await tcp.inbox.next();
      assert.equal(f.readUInt16BE(2) & 0xf, 1, 'FORMERR over TCP');
      assert.equal(dnsPacket.decode(await tcp.inbox.next()).id, 111, 'connection still usable');
    } finally {
      await tcp.close();
    }
  });
});

describe('startFaultDns with delayMs', () => {
  test('every reply is delayed, each on its own timer', async () => {
    const dns = await startFaultDns({ records: [{ name: 'mail.example.com', type: 'A', ttl: 60, data: '192.0.2.10' }], delayMs: 200 });
    const udp = await UdpClient.open(dns.port);
    try {
      const t0 = performance.now();
      for (let id = 1; id <= 5; id++) udp.send(query(id, 'mail.example.com'));
      const ids: number[] = [];
      for (let i = 0; i < 5; i++) {
        const r = dnsPacket.decode(await udp.inbox.next());
        assert.ok(performance.now() - t0 >= 195, 'not before the delay');
        assert.deepEqual(dataOf(r), ['192.0.2.10']);
        assert.equal((r.answers?.[0] as dnsPacket.StringAnswer).ttl, 60);
        ids.push(r.id ?? 0);
      }
      const elapsed = performance.now() - t0;
      assert.deepEqual(ids.sort(), [1, 2, 3, 4, 5]);
      assert.ok(elapsed < 800, `5 replies delayed 200 ms each took ${elapsed} ms: they queued`);
      assert.equal(dns.queries.length, 5);
    } finally {
      await udp.close();
      await dns.stop();
    }
    await assert.rejects(dns.waitForQueries(6), /stopped/);
    assert.equal(await portIsFree(dns.port), true, 'stop() released the port');
  });
});

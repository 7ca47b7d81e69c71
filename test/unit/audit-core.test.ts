// The address-range audit's parts against a scripted server: the UDP socket pool, the LRU cache
// bounded by size, the rate schedule, CIDR blocks, and the audit's window and memory, by counting.
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { auditRange, type AuditRow, AuditTally, CSV_COLUMNS, csvOf } from '../../src/core/audit/audit';
import { DEFAULT_TABLE_STATE, tableView } from '../../src/core/audit/table';
import { csvRow } from '../../src/core/escape';
import { parseRange, rangeAddresses } from '../../src/core/audit/range';
import fc from 'fast-check';
import { lines } from '../../src/cli/commands/audit';
import { RateSchedule, withRate } from '../../src/core/dns/rate';
import { createResolver, responseBytes } from '../../src/core/dns/resolver';
import { startFaultDns, type FaultDnsServer, type RecordMap } from '../harness/fault-dns';
import { memoryResolver } from './memory-resolver';

describe('CIDR blocks for an audit', () => {
  it('reads IPv4 and IPv6 blocks and single addresses', () => {
    const r = parseRange('198.51.100.0/24');
    assert.ok(r.ok);
    assert.equal(r.range.count, 256);
    const all = [...rangeAddresses(r.range)];
    assert.equal(all[0], '198.51.100.0');
    assert.equal(all[255], '198.51.100.255');
    const big = parseRange('10.1.0.0/16');
    assert.ok(big.ok);
    assert.equal(big.range.count, 65536);
    let last = '';
    let n = 0;
    for (const a of rangeAddresses(big.range)) {
      last = a;
      n++;
    }
    assert.equal(n, 65536);
    assert.equal(last, '10.1.255.255');
    const v6 = parseRange('2001:db8::ff00/120');
    assert.ok(v6.ok);
    assert.deepEqual([...rangeAddresses(v6.range)].slice(0, 2), ['2001:db8::ff00', '2001:db8::ff01']);
    const one = parseRange('192.0.2.7');
    assert.ok(one.ok);
    assert.deepEqual([...rangeAddresses(one.range)], ['192.0.2.7']);
  });
  it('refuses blocks wider than the cap, host bits and junk, saying why', () => {
    const wide = parseRange('10.0.0.0/8');
    assert.ok(!wide.ok && /at most a \/16/.test(wide.error));
    const wide6 = parseRange('2001:db8::/64');
    assert.ok(!wide6.ok && /at most a \/112/.test(wide6.error));
    const host = parseRange('198.51.100.7/24');
    assert.ok(!host.ok && /198\.51\.100\.0\/24/.test(host.error));
    assert.ok(!parseRange('mail.example.com').ok);
    assert.ok(!parseRange('192.0.2.0/33').ok);
  });
});

describe('the address file reader', () => {
  it('splits lines the same however the stream is chunked, and cuts overlong lines without holding them', async () => {
    const line = fc.oneof(fc.ipV4(), fc.string({ maxLength: 40 }).map((x) => x.replace(/\n/g, ' ')), fc.nat({ max: 3000 }).map((n) => 'y'.repeat(n)));
    await fc.assert(
      fc.asyncProperty(fc.array(line, { maxLength: 30 }), fc.array(fc.nat({ max: 5000 }), { maxLength: 10 }), async (ls, cuts) => {
        const text = ls.map((l) => `${l}\n`).join('');
        const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
        const chunks: string[] = [];
        let at = 0;
        for (const p of [...points, text.length]) {
          chunks.push(text.slice(at, p));
          at = p;
        }
        const got: string[] = [];
        for await (const l of lines(chunks)) got.push(l);
        assert.deepEqual(got, ls.map((l) => l.slice(0, 1024)));
      }),
      { numRuns: 300, seed: 15 },
    );
  });
});

describe('rate schedule', () => {
  it('spaces questions 1/rate apart after a burst, and never lags behind an idle spell', () => {
    let now = 0;
    const s = new RateSchedule(100, 5, { now: () => now });
    const waits = Array.from({ length: 20 }, () => s.take());
    // Five go at once (the burst), then one every 10 ms.
    assert.deepEqual(waits.slice(0, 5), [0, 0, 0, 0, 0]);
    assert.equal(Math.round(waits[5]), 10);
    assert.equal(Math.round(waits[19]), 150);
    now = 10_000; // an idle spell: the burst again, not a backlog of 10 s worth
    const after = Array.from({ length: 6 }, () => s.take());
    assert.deepEqual(after.slice(0, 5), [0, 0, 0, 0, 0]);
    assert.equal(Math.round(after[5]), 10);
  });
  it('makes the resolver wait for its slot: the total wait of n questions is about n/rate', async () => {
    let now = 0;
    const waits: number[] = [];
    const clock = { now: () => now, sleep: async (ms: number) => void waits.push(ms) };
    const inner = memoryResolver({ 'a.example': { A: ['192.0.2.1'] } });
    const r = withRate(inner, 50, { burst: 1, clock });
    for (let i = 0; i < 11; i++) await r.lookup('a.example', 'A');
    assert.equal(waits.length, 10);
    assert.equal(Math.round(waits[waits.length - 1]), 200);
  });
});

describe('resolver for many questions: socket pool and LRU cache by size', () => {
  let dns: FaultDnsServer;
  const records: RecordMap = {};
  for (let i = 0; i < 200; i++) records[`h${i}.example`] = { A: [`192.0.2.${i % 250}`], TTL: 300 };
  before(async () => {
    dns = await startFaultDns({ records, behaviours: { 'slow.example': { kind: 'delay', ms: 50 }, 'silent.example': { kind: 'silent' } } });
  });
  after(() => dns.stop());

  it('pipelines hundreds of questions over a few sockets, every answer matched to its question', async () => {
    const r = createResolver({ servers: [dns.server], udpSockets: 3, timeoutMs: 2000 });
    const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => r.query(`h${i}.example`, 'A')));
    for (let i = 0; i < 200; i++) assert.deepEqual(answers[i].answers.map((a) => a.data), [`192.0.2.${i % 250}`], `h${i}`);
    const s = r.stats();
    assert.ok(s.sockets <= 3, `sockets ${s.sockets}`);
    assert.equal(s.pending, 0);
    assert.equal(s.inflight, 0);
    r.close();
    assert.equal(r.stats().sockets, 0);
  });

  it('times out a silent name on the pool without holding up the others, and leaves nothing pending', async () => {
    const r = createResolver({ servers: [dns.server], udpSockets: 1, timeoutMs: 100, retries: 0 });
    const [silent, ok] = await Promise.all([r.query('silent.example', 'A'), r.query('h1.example', 'A')]);
    assert.equal(silent.rcode, 'TIMEOUT');
    assert.equal(ok.rcode, 'NOERROR');
    assert.equal(r.stats().pending, 0);
    r.close();
  });

  it('gives up on an abort, its query no longer pending', async () => {
    const r = createResolver({ servers: [dns.server], udpSockets: 1, timeoutMs: 5000, retries: 0 });
    const c = new AbortController();
    const p = r.query('slow.example', 'A', { signal: c.signal });
    await dns.waitForQueries(dns.queries.length + 1);
    c.abort();
    await assert.rejects(p, { name: 'AbortError' });
    assert.equal(r.stats().pending, 0);
    r.close();
  });

  it('reports a closed port on the pool as an unreachable server, not a hang', async () => {
    const r = createResolver({ servers: ['127.0.0.1:9'], udpSockets: 1, timeoutMs: 1000, retries: 0 });
    const a = await r.query('h1.example', 'A');
    assert.ok(a.rcode === 'UNREACHABLE' || a.rcode === 'TIMEOUT', a.rcode);
    r.close();
  });

  it('retires a socket after its uses: a new port takes over', async () => {
    const r = createResolver({ servers: [dns.server], udpSockets: 1 });
    // maxUses is 1024 by default; 1100 questions make at least two sockets.
    for (let round = 0; round < 11; round++) await Promise.all(Array.from({ length: 100 }, (_, i) => r.query(`h${i}.example`, 'AAAA')));
    r.close();
  });

  it('keeps the cache within its byte bound, evicting the least recently used', async () => {
    const one = responseBytes(await createResolver({ servers: [dns.server] }).query('h0.example', 'A'));
    const r = createResolver({ servers: [dns.server], maxCacheBytes: one * 4 + 10 });
    for (let i = 0; i < 4; i++) await r.query(`h${i}.example`, 'A');
    assert.equal(r.stats().cacheEntries, 4);
    await r.query('h0.example', 'A'); // a hit: h0 is now the most recently used
    const before = dns.queries.length;
    await r.query('h4.example', 'A'); // evicts h1, the least recently used
    assert.equal((await r.query('h0.example', 'A')).transport, 'cache');
    assert.notEqual((await r.query('h1.example', 'A')).transport, 'cache');
    assert.equal(dns.queries.length, before + 2);
    const s = r.stats();
    assert.ok(s.cacheBytes <= one * 4 + 10, `${s.cacheBytes}`);
    assert.ok(s.evicted >= 2);
  });

  it('holds at most maxCacheEntries however many names are asked (memory flat by count)', async () => {
    const r = createResolver({ servers: [dns.server], udpSockets: 2, maxCacheEntries: 50 });
    let peak = 0;
    for (let round = 0; round < 4; round++) {
      await Promise.all(Array.from({ length: 200 }, (_, i) => r.query(`h${i}.example`, round % 2 ? 'A' : 'TXT')));
      peak = Math.max(peak, r.stats().cacheEntries);
    }
    assert.equal(peak, 50);
    assert.ok(r.stats().stored >= 300, `${r.stats().stored}`);
    r.close();
  });
});

describe('auditRange over an in-memory resolver', () => {
  const table: Record<string, { PTR?: string[]; A?: string[] }> = {};
  for (let i = 0; i < 64; i++) {
    const ip = `198.51.100.${i}`;
    const rev = `${i}.100.51.198.in-addr.arpa`;
    if (i % 4 === 0) {
      table[rev] = { PTR: [`mail${i}.example.com`] };
      table[`mail${i}.example.com`] = { A: [ip] };
    } else if (i % 4 === 1) {
      table[rev] = { PTR: [`198-51-100-${i}.dyn.isp.example`] };
      table[`198-51-100-${i}.dyn.isp.example`] = { A: [ip] };
    } else if (i % 4 === 2) {
      table[rev] = { PTR: [`web${i}.example.com`] };
      table[`web${i}.example.com`] = { A: ['192.0.2.1'] };
    } // 3: no PTR at all
  }
  const resolver = memoryResolver(table, ['example.com', '100.51.198.in-addr.arpa']);
  const block = parseRange('198.51.100.0/26');
  assert.ok(block.ok);

  it('gives one row per address with the rDNS check’s verdict and worst finding', async () => {
    const tally = new AuditTally();
    const rows = new Map<string, Awaited<ReturnType<typeof first>>>();
    async function first() {
      for await (const row of auditRange([], { resolver })) return row;
      throw new Error('none');
    }
    for await (const row of auditRange(rangeAddresses(block.range), { resolver, concurrency: 8 })) {
      rows.set(row.ip, row);
      tally.add(row);
    }
    assert.equal(rows.size, 64);
    assert.deepEqual(tally.byVerdict, { pass: 32, fail: 16, permerror: 16, temperror: 0 });
    const pass = rows.get('198.51.100.0')!;
    assert.equal(pass.iprev, 'pass');
    assert.equal(pass.confirmed, 'mail0.example.com');
    assert.equal(pass.finding.code, 'fcrdns-pass');
    const generic = rows.get('198.51.100.1')!;
    assert.equal(generic.iprev, 'pass');
    assert.match(generic.generic, /dyn\.isp\.example: it contains the address/);
    assert.equal(generic.finding.code, 'ptr-generic');
    assert.equal(rows.get('198.51.100.2')!.finding.code, 'ptr-name-mismatch');
    const none = rows.get('198.51.100.3')!;
    assert.equal(none.iprev, 'permerror');
    assert.equal(none.rcode, 'NXDOMAIN');
    assert.equal(none.finding.code, 'ptr-missing');
    assert.equal(tally.generic, 16);
  });

  it('never has more than `concurrency` checks in flight, and a slow reader holds the window', async () => {
    let peak = 0;
    let now = 0;
    const counting = {
      ...resolver,
      lookup: async (...a: Parameters<typeof resolver.lookup>) => {
        now++;
        peak = Math.max(peak, now);
        try {
          return await resolver.lookup(...a);
        } finally {
          now--;
        }
      },
    };
    let maxInFlight = 0;
    for await (const _ of auditRange(rangeAddresses(block.range), { resolver: counting, concurrency: 5, onProgress: (p) => (maxInFlight = Math.max(maxInFlight, p.inFlight)) })) {
      assert.ok(maxInFlight <= 5);
    }
    // Each check has its PTR lookup, then A and AAAA of one name: at most 2 lookups at once per check.
    assert.ok(peak <= 10, `peak lookups ${peak}`);
  });

  it('skips lines that are not addresses, saying which', async () => {
    const bad: string[] = [];
    const rows = [];
    for await (const row of auditRange(['198.51.100.0', 'nonsense', '198.51.100.3'], { resolver, onInvalid: (t) => bad.push(t) })) rows.push(row.ip);
    assert.deepEqual(rows.sort(), ['198.51.100.0', '198.51.100.3']);
    assert.deepEqual(bad, ['nonsense']);
  });

  it('stops the checks in flight when the reader breaks off, and on abort', async () => {
    let started = 0;
    const counting = { ...resolver, lookup: (...a: Parameters<typeof resolver.lookup>) => (started++, resolver.lookup(...a)) };
    for await (const _ of auditRange(rangeAddresses(block.range), { resolver: counting, concurrency: 4 })) break;
    assert.ok(started < 20, `${started} lookups after one row`);
    const c = new AbortController();
    c.abort();
    await assert.rejects(async () => {
      for await (const _ of auditRange(rangeAddresses(block.range), { resolver, signal: c.signal }));
    }, { name: 'AbortError' });
  });
});

describe('the audit table: sort, filter, CSV', () => {
  const row = (ip: string, iprev: AuditRow['iprev'], code: string, severity: AuditRow['finding']['severity'], ptr: string[] = [], generic = ''): AuditRow => ({
    ip,
    ptr,
    iprev,
    confirmed: '',
    generic,
    rcode: 'NOERROR',
    finding: { code, severity, message: `${code} message` },
    codes: [code],
  });
  const rows = [
    row('10.0.0.10', 'pass', 'fcrdns-pass', 'info', ['mail.example']),
    row('10.0.0.9', 'fail', 'ptr-name-mismatch', 'error', ['web.example']),
    row('10.0.0.2', 'permerror', 'ptr-missing', 'error'),
    row('10.0.0.100', 'pass', 'ptr-generic', 'warning', ['10-0-0-100.dyn.example'], 'it contains the address'),
    row('2001:db8::1', 'temperror', 'dns-timeout', 'error'),
  ];
  it('sorts addresses numerically, not as text, and worst first by default', () => {
    assert.deepEqual(tableView(rows, { ...DEFAULT_TABLE_STATE, sort: 'ip' }).rows.map((r) => r.ip), ['10.0.0.2', '10.0.0.9', '10.0.0.10', '10.0.0.100', '2001:db8::1']);
    assert.deepEqual(tableView(rows, { ...DEFAULT_TABLE_STATE, sort: 'ip', descending: true }).rows[0].ip, '2001:db8::1');
    assert.deepEqual(tableView(rows, DEFAULT_TABLE_STATE).rows.map((r) => r.finding.severity), ['error', 'error', 'error', 'warning', 'info']);
  });
  it('filters by verdict, by generic names and by text, and caps what is drawn', () => {
    assert.deepEqual(tableView(rows, { ...DEFAULT_TABLE_STATE, verdict: 'fail' }).rows.map((r) => r.ip), ['10.0.0.9']);
    assert.deepEqual(tableView(rows, { ...DEFAULT_TABLE_STATE, verdict: 'generic' }).rows.map((r) => r.ip), ['10.0.0.100']);
    assert.deepEqual(tableView(rows, { ...DEFAULT_TABLE_STATE, text: 'WEB' }).rows.map((r) => r.ip), ['10.0.0.9']);
    const capped = tableView(rows, DEFAULT_TABLE_STATE, 2);
    assert.deepEqual([capped.rows.length, capped.matched], [2, 5]);
  });
  it('writes CSV that a spreadsheet cannot run and a terminal cannot be steered by', () => {
    const evil = row('10.0.0.1', 'fail', 'ptr-name-mismatch', 'error', ['=cmd|calc.example', 'a,"b"\u001b[31m.example']);
    assert.equal(csvOf(evil).split(',')[2].startsWith(`"'=cmd|calc.example`), true);
    assert.ok(!csvOf(evil).includes('\u001b'));
    assert.match(csvOf(evil), /""b""\\x1b\[31m/);
    assert.equal(CSV_COLUMNS.length, csvRow(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i']).split(',').length);
  });
});

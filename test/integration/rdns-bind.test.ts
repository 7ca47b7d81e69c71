// "Check rDNS for IP" end to end against a real BIND serving the fixture zones (see test/fixtures/zones/CASES.md).
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../../src/cli/main';
import { createResolver } from '../../src/core/dns/resolver';
import { checkRdns } from '../../src/core/rdns/check';
import type { HopNode, RdnsResult } from '../../src/core/rdns/types';
import { startBind, type BindServer } from '../harness/bind';
import { FIXTURE_ZONES } from '../paths';

function codes(r: RdnsResult): string[] {
  return r.findings.map((f) => f.code);
}

function find(node: HopNode, pred: (n: HopNode) => boolean): HopNode | undefined {
  if (pred(node)) return node;
  for (const c of node.children) {
    const f = find(c, pred);
    if (f) return f;
  }
  return undefined;
}

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

describe('rDNS check against BIND', () => {
  let bind: BindServer;
  let check: (ip: string) => Promise<RdnsResult>;
  before(async () => {
    bind = await startBind({ zoneDir: FIXTURE_ZONES });
    check = (ip) => checkRdns(ip, { resolver: createResolver({ servers: [bind.server], timeoutMs: 2000 }) });
  });
  after(() => bind.stop());

  it('passes a forward-confirmed IPv4 address', async () => {
    const r = await check('192.0.2.10');
    assert.equal(r.fcrdns, 'pass');
    assert.deepEqual(r.ptr, ['mail.example.com']);
    assert.deepEqual(r.confirmed, ['mail.example.com']);
    assert.equal(r.loop, false);
    assert.deepEqual(r.postfix, { reject_unknown_reverse_client_hostname: 'accept', reject_unknown_client_hostname: 'accept' });
    assert.deepEqual(r.chain.slice(0, 3).map((s) => [s.type, s.query, s.rcode]), [
      ['PTR', '10.2.0.192.in-addr.arpa', 'NOERROR'],
      ['A', 'mail.example.com', 'NOERROR'],
      ['AAAA', 'mail.example.com', 'NOERROR'],
    ]);
    assert.equal(r.chain[0].ttl, 3600);
    assert.equal(r.tree.children[0].children[0].end, 'closes');
    assert.ok(codes(r).includes('ip-special-purpose'), 'documentation address is flagged but still checked');
    assert.match(r.chain[0].dig, new RegExp(`^dig @127\\.0\\.0\\.1 -p ${bind.port} -x 192\\.0\\.2\\.10$`));
  });

  it('passes a forward-confirmed IPv6 address through ip6.arpa', async () => {
    const r = await check('2001:0db8:0:0::25');
    assert.equal(r.ip, '2001:db8::25');
    assert.equal(r.fcrdns, 'pass');
    assert.deepEqual(r.confirmed, ['mail6.example.com']);
    assert.match(r.reverseName, /^5\.2\.0\.0(\.0){20}\.8\.b\.d\.0\.1\.0\.0\.2\.ip6\.arpa$/);
  });

  it("walks the seed's loop, says receivers do not, and names the records to change", async () => {
    const r = await check('203.0.113.100');
    assert.equal(r.fcrdns, 'fail');
    assert.equal(r.loop, true);
    assert.deepEqual(r.ptr, ['mail.example.net']);
    const path = r.chain.filter((s) => s.answers.length > 0).map((s) => `${s.type} ${s.subject} → ${s.answers.join(',')}`);
    assert.deepEqual(path, [
      'PTR 203.0.113.100 → mail.example.net',
      'A mail.example.net → 203.0.113.244',
      'PTR 203.0.113.244 → example.net',
      'A example.net → 203.0.113.51',
      'PTR 203.0.113.51 → mail.example.net',
    ]);
    const wrong = find(r.tree, (n) => n.wrong === true);
    assert.equal(wrong?.value, 'mail.example.net');
    assert.equal(find(r.tree, (n) => n.end === 'loop')?.value, 'mail.example.net');
    const mismatch = r.findings.find((f) => f.code === 'ptr-name-mismatch');
    assert.ok(mismatch);
    assert.match(mismatch.message, /resolves to 203\.0\.113\.244, not to 203\.0\.113\.100/);
    assert.equal(mismatch.fix?.owner, '100.113.0.203.in-addr.arpa');
    assert.equal(mismatch.fix?.zone, '113.0.203.in-addr.arpa');
    const loop = r.findings.find((f) => f.code === 'chain-loop');
    assert.match(loop?.message ?? '', /Receivers do not walk chains/);
    assert.match(loop?.dig ?? '', /-x 203\.0\.113\.51$/, 'the loop finding shows the lookup that closes the loop');
    // The seed admin's own fix, put where it belongs: the PTR of .244, the address mail.example.net has.
    const hop = r.findings.find((f) => f.code === 'chain-hop-mismatch' && f.fix?.owner === '244.113.0.203.in-addr.arpa');
    assert.equal(hop?.fix?.proposed, 'mail.example.net');
    assert.equal(hop?.fix?.record, '244.113.0.203.in-addr.arpa. 3600 IN PTR mail.example.net.');
    assert.equal(r.postfix.reject_unknown_client_hostname, 'reject');
    assert.equal(r.postfix.reject_unknown_reverse_client_hostname, 'accept');
    assert.equal(r.receivers.find((v) => v.receiver === 'gmail')?.verdict, 'reject');
  });

  it('proposes the name that points back when the chain returns to the IP', async () => {
    // 203.0.113.244 PTR example.net → .51 → PTR mail.example.net → A .244: mail.example.net points back.
    const r = await check('203.0.113.244');
    assert.equal(r.fcrdns, 'fail');
    const f = r.findings.find((x) => x.code === 'ptr-name-mismatch');
    assert.equal(f?.fix?.proposed, 'mail.example.net');
    assert.equal(f?.fix?.current, 'example.net');
    assert.equal(f?.fix?.record, '244.113.0.203.in-addr.arpa. 3600 IN PTR mail.example.net.');
  });

  it('reports no PTR (NXDOMAIN and NODATA) as permerror with the zone to fix', async () => {
    for (const ip of ['192.0.2.20', '192.0.2.21']) {
      const r = await check(ip);
      assert.equal(r.fcrdns, 'permerror', ip);
      const f = r.findings.find((x) => x.code === 'ptr-missing');
      assert.ok(f, ip);
      assert.equal(f.fix?.zone, '2.0.192.in-addr.arpa');
      assert.equal(r.postfix.reject_unknown_reverse_client_hostname, 'reject');
      assert.equal(r.receivers[0].reply, `450 4.7.1 Client host rejected: cannot find your reverse hostname, [${ip}]`);
      assert.equal(r.tree.wrong, true);
    }
  });

  it('reports PTR names without address records', async () => {
    const noaddr = await check('192.0.2.30');
    assert.equal(noaddr.fcrdns, 'fail');
    const f = noaddr.findings.find((x) => x.code === 'ptr-name-no-address');
    assert.equal(f?.fix?.record, 'noaddr.example.com. 3600 IN A 192.0.2.30');
    assert.equal(f?.fix?.zone, 'example.com');
    const nx = await check('192.0.2.31');
    assert.ok(codes(nx).includes('ptr-name-no-address'));
    assert.match(nx.findings.find((x) => x.code === 'ptr-name-no-address')!.message, /NXDOMAIN/);
  });

  it('reports a name that resolves elsewhere', async () => {
    const r = await check('192.0.2.40');
    assert.equal(r.fcrdns, 'fail');
    assert.match(r.findings.find((x) => x.code === 'ptr-name-mismatch')!.message, /192\.0\.2\.41/);
  });

  it('says which of several PTR names match', async () => {
    const r = await check('192.0.2.50');
    assert.equal(r.fcrdns, 'pass');
    assert.deepEqual([...r.ptr].sort(), ['a.example.com', 'b.example.com']);
    const f = r.findings.find((x) => x.code === 'ptr-multiple');
    assert.match(f?.message ?? '', /a\.example\.com \(resolves back\)/);
    assert.match(f?.message ?? '', /b\.example\.com \(does not resolve back\)/);
    assert.equal(f?.fix?.proposed, 'a.example.com');
    assert.equal(r.postfix.reject_unknown_client_hostname, 'reject', 'worst case: Postfix may see b.example.com first');
  });

  it('follows an RFC 2317 classless delegation CNAME', async () => {
    const r = await check('198.51.100.70');
    assert.equal(r.fcrdns, 'pass');
    assert.deepEqual(r.chain[0].cnames.map((c) => c.target), ['70.64/26.100.51.198.in-addr.arpa']);
    assert.ok(codes(r).includes('ptr-via-cname'));
    const missing = await check('198.51.100.71');
    assert.equal(missing.fcrdns, 'permerror');
    assert.equal(missing.findings.find((x) => x.code === 'ptr-missing')?.fix?.owner, '71.64/26.100.51.198.in-addr.arpa');
    assert.equal(missing.findings.find((x) => x.code === 'ptr-missing')?.fix?.zone, '64/26.100.51.198.in-addr.arpa');
  });

  it('warns about generic names even when they confirm', async () => {
    const r = await check('198.51.100.7');
    assert.equal(r.fcrdns, 'pass');
    const f = r.findings.find((x) => x.code.includes('generic'));
    assert.equal(f?.severity, 'warning');
  });

  it('confirms through a CNAME on the forward side', async () => {
    const r = await check('192.0.2.12');
    assert.equal(r.fcrdns, 'pass');
  });

  it('cuts fan-out but keeps the step that closes', async () => {
    const r = await check('192.0.2.60');
    assert.equal(r.fcrdns, 'pass');
    const name = r.tree.children[0];
    assert.equal(name.end, 'fanout');
    assert.equal(name.children.length, 10);
    assert.equal(name.children[0].end, 'closes');
    assert.ok(r.chain.find((s) => s.type === 'A')!.answers.length === 30);
    const miss = await check('192.0.2.61');
    assert.equal(miss.fcrdns, 'fail');
  });

  it('stops a long chain at the step bound', async () => {
    const r = await check('192.0.2.101');
    assert.equal(r.fcrdns, 'fail');
    assert.equal(r.loop, false);
    assert.ok(codes(r).includes('chain-bound'));
    assert.ok(Math.max(...r.chain.map((s) => s.depth)) <= 8);
    const short = await checkRdns('192.0.2.101', { resolver: createResolver({ servers: [bind.server] }), maxSteps: 2 });
    assert.ok(Math.max(...short.chain.map((s) => s.depth)) <= 2);
  });

  it('maildns rdns --json prints the documented fields and exits 0/1/2', async () => {
    const pass = await cli(['rdns', '192.0.2.10', '--resolver', bind.server, '--json']);
    assert.equal(pass.code, 0, pass.err);
    const j = JSON.parse(pass.out);
    assert.equal(j.ip, '192.0.2.10');
    assert.deepEqual(j.ptr, ['mail.example.com']);
    assert.equal(j.fcrdns, 'pass');
    assert.equal(j.loop, false);
    for (const s of j.chain) for (const k of ['query', 'type', 'answers', 'ttl', 'rcode']) assert.ok(k in s, k);
    assert.deepEqual(Object.keys(j.postfix).sort(), ['reject_unknown_client_hostname', 'reject_unknown_reverse_client_hostname']);
    for (const f of j.findings) for (const k of ['code', 'severity', 'message']) assert.ok(k in f, k);
    const fail = await cli(['rdns', '203.0.113.100', `--resolver=${bind.server}`]);
    assert.equal(fail.code, 1);
    assert.match(fail.out, /iprev \(RFC 8601\): fail/);
    assert.match(fail.out, /\n {6}✗ mail\.example\.net {2}\[PTR 3600s\]/);
    assert.match(fail.out, /record: 244\.113\.0\.203\.in-addr\.arpa\. 3600 IN PTR mail\.example\.net\./);
  });
});

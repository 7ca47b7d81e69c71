// Blocklists against a fault DNS server only (never the real lists): listed, not listed, the list
// refused to answer (REFUSED, Spamhaus 127.255.255.x), no answer, answers that are no DNSBL answers,
// RFC 5782 test points, IPv6 nibble names, and the CLI's exit statuses.
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { dnsblCommand } from '../../src/cli/commands/dnsbl';
import { UsageError } from '../../src/cli/shared';
import { checkDnsbl, dnsblPrefix } from '../../src/core/dnsbl/check';
import { createResolver } from '../../src/core/dns/resolver';
import type { Resolver } from '../../src/core/dns/types';
import { startFaultDns, type Behaviour, type FaultDnsServer, type RecordMap } from '../harness/fault-dns';

const TP = (zone: string) => ({ [`2.0.0.127.${zone}`]: { A: ['127.0.0.2'], TXT: ['test point'] } });
const IP = '203.0.113.100';
const REV = '100.113.0.203';

let dns: FaultDnsServer;
let resolver: Resolver;

before(async () => {
  const records: RecordMap = {
    ...TP('zen.spamhaus.org'),
    [`${REV}.zen.spamhaus.org`]: { A: ['127.0.0.2', '127.0.0.4'], TXT: ['https://check.spamhaus.org/query/ip/203.0.113.100'] },
    // 203.0.113.60 asked through a "public resolver": Spamhaus answers its error code, test points too.
    '60.113.0.203.zen.spamhaus.org': { A: ['127.255.255.254'] },
    '2.0.0.127.sbl.spamhaus.org': { A: ['127.255.255.254'] },
    '60.113.0.203.sbl.spamhaus.org': { A: ['127.255.255.254'] },
    '7.113.0.203.zen.spamhaus.org': { A: ['127.0.0.10'] },
    ...TP('bl.spamcop.net'),
    ...TP('all.spamrats.com'),
    [`${REV}.all.spamrats.com`]: { A: ['127.0.0.37'] },
    // A list that has shut down and lists everything.
    '2.0.0.127.dead.example': { A: ['127.0.0.2'] },
    '1.0.0.127.dead.example': { A: ['127.0.0.2'] },
    [`${REV}.dead.example`]: { A: ['127.0.0.2'] },
    // A resolver that rewrites NXDOMAIN into an advertising server's address.
    [`${REV}.hijack.example`]: { A: ['198.51.100.1'] },
    ...TP('hijack.example'),
    // A list that answers nothing at all, test points included.
    'quiet.example': { TXT: ['exists'] },
    // A list that answers through a CNAME (as Spamhaus DQS does).
    ...TP('dqs.example'),
    [`${REV}.dqs.example`]: { CNAME: `${REV}.key.zen.dq.example` },
    [`${REV}.key.zen.dq.example`]: { A: ['127.0.0.3'] },
    // IPv6 (RFC 5782 §2.4): nibbles.
    [`${dnsblPrefix('2001:db8::25')}.zen.spamhaus.org`]: { A: ['127.0.0.3'] },
    [`${dnsblPrefix('::ffff:127.0.0.2')}.zen.spamhaus.org`]: { A: ['127.0.0.2'] },
  };
  const refused: Behaviour = { kind: 'rcode', rcode: 'REFUSED' };
  const behaviours: Record<string, Behaviour> = {};
  for (const n of [`${REV}.b.barracudacentral.org`, '2.0.0.127.b.barracudacentral.org', '1.0.0.127.b.barracudacentral.org']) behaviours[n] = refused;
  for (const n of [`${REV}.psbl.surriel.com`, '2.0.0.127.psbl.surriel.com', '1.0.0.127.psbl.surriel.com']) behaviours[n] = { kind: 'silent' };
  dns = await startFaultDns({ records, behaviours });
  resolver = createResolver({ servers: [dns.server], timeoutMs: 250, retries: 0 });
});
after(() => dns.stop());

describe('DNSBL check', () => {
  it('builds RFC 5782 query names for IPv4 and IPv6', () => {
    assert.equal(dnsblPrefix('203.0.113.100'), '100.113.0.203');
    assert.equal(dnsblPrefix('2001:db8::25'), '5.2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2');
  });

  it('tells listed, not listed, refused and no answer apart across the default lists', async () => {
    const r = await checkDnsbl(IP, { resolver });
    const by = Object.fromEntries(r.zones.map((z) => [z.zone, z]));
    assert.equal(by['zen.spamhaus.org'].status, 'listed');
    assert.deepEqual(by['zen.spamhaus.org'].codes.map((c) => c.address).sort(), ['127.0.0.2', '127.0.0.4']);
    assert.match(by['zen.spamhaus.org'].codes.find((c) => c.address === '127.0.0.4')!.meaning, /^XBL/);
    assert.equal(by['zen.spamhaus.org'].txt, 'https://check.spamhaus.org/query/ip/203.0.113.100');
    assert.deepEqual(by['zen.spamhaus.org'].testPoints, { listed2: true, listed1: false, ok: true });
    assert.equal(by['bl.spamcop.net'].status, 'not-listed');
    assert.equal(by['b.barracudacentral.org'].status, 'refused');
    assert.equal(by['psbl.surriel.com'].status, 'error');
    assert.equal(by['psbl.surriel.com'].rcode, 'TIMEOUT');
    assert.equal(by['all.spamrats.com'].status, 'listed');
    assert.match(by['all.spamrats.com'].codes[0].meaning, /RATS-NoPtr/);
    assert.deepEqual(r.listed.sort(), ['all.spamrats.com', 'zen.spamhaus.org']);
    const listed = r.findings.find((f) => f.code === 'dnsbl-listed');
    assert.match(listed?.message ?? '', /blocked using zen\.spamhaus\.org/);
    assert.match(listed?.fix?.description ?? '', /check\.spamhaus\.org/);
    assert.match(r.findings.find((f) => f.code === 'dnsbl-refused')?.message ?? '', /says nothing about 203\.0\.113\.100/);
    assert.ok(r.findings.some((f) => f.code === 'dnsbl-error'));
    assert.match(r.findings.find((f) => f.code === 'dnsbl-not-listed')?.message ?? '', /not listed on SpamCop/);
  });

  it("never reads Spamhaus's public-resolver code as a listing", async () => {
    const r = await checkDnsbl('203.0.113.60', { resolver, zones: ['zen.spamhaus.org', 'sbl.spamhaus.org'] });
    for (const z of r.zones) {
      assert.equal(z.status, 'refused', z.zone);
      assert.match(z.codes[0].meaning, /public or open resolver/);
    }
    assert.deepEqual(r.listed, []);
    assert.ok(!r.findings.some((f) => f.code === 'dnsbl-test-point'), 'no test-point noise on top of "refused"');
  });

  it('calls a PBL entry a policy listing, with the matching fix', async () => {
    const r = await checkDnsbl('203.0.113.7', { resolver, zones: ['zen.spamhaus.org'] });
    const f = r.findings.find((x) => x.code === 'dnsbl-policy-listed');
    assert.match(f?.message ?? '', /PBL \(ISP-maintained\)/);
    assert.match(f?.fix?.description ?? '', /smarthost/);
  });

  it('spots lists that list everything, rewriting resolvers, and lists that answer nothing', async () => {
    const r = await checkDnsbl(IP, { resolver, zones: ['dead.example', 'hijack.example', 'quiet.example'] });
    const by = Object.fromEntries(r.zones.map((z) => [z.zone, z]));
    assert.equal(by['dead.example'].testPoints?.listed1, true);
    assert.match(r.findings.find((f) => f.code === 'dnsbl-test-point' && f.message.includes('dead.example'))?.message ?? '', /lists the test point 127\.0\.0\.1/);
    assert.equal(by['hijack.example'].status, 'bogus');
    assert.match(r.findings.find((f) => f.code === 'dnsbl-bogus-answer')?.message ?? '', /198\.51\.100\.1: not a DNSBL answer/);
    assert.equal(by['quiet.example'].status, 'not-listed');
    assert.match(r.findings.find((f) => f.code === 'dnsbl-test-point' && f.message.includes('quiet.example'))?.message ?? '', /does not list its test point 127\.0\.0\.2/);
  });

  it('follows a CNAME to the answer', async () => {
    const r = await checkDnsbl(IP, { resolver, zones: ['dqs.example'] });
    assert.equal(r.zones[0].status, 'listed');
    assert.deepEqual(r.zones[0].codes.map((c) => c.address), ['127.0.0.3']);
  });

  it('asks IPv6 addresses with nibbles and the IPv6 test point', async () => {
    const r = await checkDnsbl('2001:db8::25', { resolver, zones: ['zen.spamhaus.org', 'bl.spamcop.net'] });
    assert.equal(r.zones[0].query, `${dnsblPrefix('2001:db8::25')}.zen.spamhaus.org`);
    assert.equal(r.zones[0].status, 'listed');
    assert.equal(r.zones[0].testPoints?.ok, true);
    assert.ok(r.findings.some((f) => f.code === 'dnsbl-no-ipv6' && f.message.includes('SpamCop')));
  });

  it('refuses bad input', async () => {
    await assert.rejects(checkDnsbl('203.0.113.999', { resolver }), /999 is larger than 255/);
    await assert.rejects(checkDnsbl(IP, { resolver, zones: ['bad zone!'] }), /zone "bad zone!"/);
    await assert.rejects(checkDnsbl(IP, { resolver, zones: ['192.0.2.1'] }), /IP address, not a domain/);
  });
});

describe('maildns dnsbl', () => {
  async function cli(args: string[]) {
    let out = '';
    try {
      return { code: await dnsblCommand.run([...args, '--resolver', dns.server, '--timeout', '250'], { out: (t) => (out += t), err: () => undefined }), out, err: '' };
    } catch (e) {
      if (e instanceof UsageError || (e instanceof TypeError && String((e as { code?: string }).code).startsWith('ERR_PARSE_ARGS'))) return { code: 2, out, err: (e as Error).message };
      throw e;
    }
  }
  it('exits 1 when listed, 0 when clean, 2 when no list answered', async () => {
    const listed = await cli([IP, '--zone', 'zen.spamhaus.org', '--zone', 'bl.spamcop.net', '--json']);
    assert.equal(listed.code, 1);
    assert.deepEqual(JSON.parse(listed.out).listed, ['zen.spamhaus.org']);
    const clean = await cli(['198.51.100.9', '--zone', 'bl.spamcop.net']);
    assert.equal(clean.code, 0);
    assert.match(clean.out, /✓ bl\.spamcop\.net\s+not-listed/);
    const refused = await cli(['203.0.113.60', '--zone', 'zen.spamhaus.org']);
    assert.equal(refused.code, 2);
    assert.match(refused.out, /! zen\.spamhaus\.org\s+refused/);
  });
  it('names the bad input in one line', async () => {
    const r = await cli(['mail.example.com']);
    assert.equal(r.code, 2);
    assert.match(r.err, /host name, not an IP address/);
    const z = await cli([IP, '--zone', '']);
    assert.equal(z.code, 2);
    assert.match(z.err, /zone ""/);
  });
});

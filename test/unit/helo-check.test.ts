// The HELO check on DNS trouble and odd names (fault DNS server), and its SPF seam.
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { heloCommand } from '../../src/cli/commands/helo';
import { UsageError } from '../../src/cli/shared';
import { createResolver } from '../../src/core/dns/resolver';
import type { Resolver } from '../../src/core/dns/types';
import { checkHelo, type SpfEvaluator } from '../../src/core/helo/check';
import { heloStatus } from '../../src/core/helo/text';
import type { SpfResult } from '../../src/core/spf/types';
import { startFaultDns, type FaultDnsServer } from '../harness/fault-dns';

let dns: FaultDnsServer;
let resolver: Resolver;
before(async () => {
  dns = await startFaultDns({
    records: {
      'mail6.example.net': { AAAA: ['2001:db8::25'] },
      '5.2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa': { PTR: ['mail6.example.net'] },
      'exch01.corp.local': { A: ['192.0.2.9'] },
      'v4only.example.net': { A: ['192.0.2.44'] },
    },
    behaviours: { 'broken.example.net': { kind: 'rcode', rcode: 'SERVFAIL' } },
  });
  resolver = createResolver({ servers: [dns.server], timeoutMs: 300, retries: 0 });
});
after(() => dns.stop());

describe('HELO check on DNS trouble and odd names', () => {
  it('DNS failure: warnings naming the query, Postfix defers, the CLI exits 2', async () => {
    const r = await checkHelo('broken.example.net', { resolver, spf: false });
    assert.equal(r.resolves, null);
    assert.equal(r.postfix.reject_unknown_helo_hostname, 'defer');
    const f = r.findings.filter((x) => x.code === 'dns-servfail');
    assert.equal(f.length, 3);
    assert.match(f[0].message, /The A query for broken\.example\.net failed/);
    assert.match(f[0].dig ?? '', /broken\.example\.net A$/);
    let out = '';
    const code = await heloCommand.run(['broken.example.net', '--resolver', dns.server, '--timeout', '300'], { out: (t) => (out += t), err: () => undefined });
    assert.equal(code, 2);
    assert.match(out, /reject_unknown_helo_hostname: defer {2}"450 4\.7\.1 <broken\.example\.net>: Helo command rejected: Host not found"/);
  });

  it('IPv6: the name must have the AAAA, and the PTR is found in ip6.arpa', async () => {
    const r = await checkHelo('mail6.example.net', { ip: '2001:db8::25', resolver, spf: false });
    assert.equal(r.matchesIp, true);
    assert.equal(r.matchesPtr, true);
    assert.deepEqual(r.confirmedPtr, ['mail6.example.net']);
    const wrong = await checkHelo('v4only.example.net', { ip: '2001:db8::25', resolver, spf: false });
    assert.match(wrong.findings.find((x) => x.code === 'helo-ip-mismatch')?.message ?? '', /has only IPv4 addresses \(192\.0\.2\.44\)/);
    assert.equal(wrong.proposedName, 'mail6.example.net');
  });

  it('internal and local names', async () => {
    const ad = await checkHelo('exch01.corp.local', { ip: '192.0.2.9', resolver, spf: false });
    assert.ok(ad.findings.some((f) => f.code === 'helo-internal-name'));
    const lh = await checkHelo('localhost.localdomain', { resolver, spf: false });
    assert.ok(lh.findings.some((f) => f.code === 'helo-localhost'));
    const lit = await checkHelo('[127.0.0.1]', { resolver, spf: false });
    assert.ok(lit.findings.some((f) => f.code === 'helo-localhost'));
    assert.equal(heloStatus(lit), 'fail');
  });

  it('uses the SPF evaluator it is given for the HELO identity (RFC 7208 §2.3)', async () => {
    const calls: unknown[] = [];
    const stub: SpfEvaluator = async (input) => {
      calls.push(input);
      return { result: 'softfail', reason: 'softfail: "~all" matched', receivedSpf: 'Received-SPF: softfail', tree: { record: 'v=spf1 ~all' } } as unknown as SpfResult;
    };
    const r = await checkHelo('v4only.example.net', { ip: '192.0.2.44', resolver, spf: stub });
    assert.deepEqual(calls, [{ ip: '192.0.2.44', domain: 'v4only.example.net', sender: 'postmaster@v4only.example.net', helo: 'v4only.example.net', identity: 'helo' }]);
    assert.equal(r.spf?.result, 'softfail');
    assert.equal(r.findings.find((f) => f.code === 'helo-spf-softfail')?.severity, 'warning');
    const none = await checkHelo('v4only.example.net', { ip: '192.0.2.44', resolver, spf: false });
    assert.equal(none.spf, undefined);
  });

  it('refuses input that is not a HELO name at all', async () => {
    await assert.rejects(checkHelo('   ', { resolver }), /no HELO name given/);
    await assert.rejects(checkHelo('a'.repeat(600), { resolver }), /at most 512 octets/);
    await assert.rejects(checkHelo('mail.example.net', { resolver, ip: 'mail.example.net' }), /--ip: .*host name, not an IP address/);
  });

  it('maildns helo: usage errors exit 2 with one line', async () => {
    for (const [args, re] of [
      [[], /helo needs the name/],
      [['a', 'b'], /helo takes one name, got 2 arguments/],
    ] as const) {
      try {
        await heloCommand.run([...args], { out: () => undefined, err: () => undefined });
        assert.fail('expected a usage error');
      } catch (e) {
        assert.ok(e instanceof UsageError);
        assert.match(e.message, re);
      }
    }
  });
});

// The MX check on DNS trouble (fault DNS server) and on bad input.
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { mxCommand } from '../../src/cli/commands/mx';
import { createResolver } from '../../src/core/dns/resolver';
import type { Resolver } from '../../src/core/dns/types';
import { checkMx, parseDomain } from '../../src/core/mx/check';
import { startFaultDns, type FaultDnsServer } from '../harness/fault-dns';

let dns: FaultDnsServer;
let resolver: Resolver;
before(async () => {
  dns = await startFaultDns({
    records: {
      'flaky.example.net': { MX: [{ preference: 10, exchange: 'mx.flaky.example.net' }] },
      'lan.example.net': { MX: [{ preference: 10, exchange: 'mx.lan.example.net' }] },
      'mx.lan.example.net': { A: ['10.1.2.3'] },
    },
    behaviours: {
      'broken.example.net': { kind: 'rcode', rcode: 'SERVFAIL' },
      'mx.flaky.example.net': { kind: 'silent' },
    },
  });
  resolver = createResolver({ servers: [dns.server], timeoutMs: 250, retries: 0 });
});
after(() => dns.stop());

describe('MX check on DNS trouble', () => {
  it('an MX query that fails: an error naming the query, the CLI exits 2', async () => {
    const r = await checkMx('broken.example.net', { resolver });
    assert.equal(r.receivesMail, false);
    assert.match(r.findings[0].message, /The MX query for broken\.example\.net failed: the server failed to answer \(SERVFAIL\)/);
    let out = '';
    assert.equal(await mxCommand.run(['broken.example.net', '--resolver', dns.server, '--timeout', '250'], { out: (t) => (out += t), err: () => undefined }), 2);
  });
  it("a host whose address lookup times out: a warning, not 'no address'", async () => {
    const r = await checkMx('flaky.example.net', { resolver });
    assert.ok(r.findings.some((f) => f.code === 'dns-timeout' && /mx\.flaky\.example\.net/.test(f.message)));
    assert.ok(!r.findings.some((f) => f.code === 'mx-host-no-address'));
  });
  it('a host on a private address cannot be reached from the Internet', async () => {
    const r = await checkMx('lan.example.net', { resolver, rdns: false });
    assert.match(r.findings.find((f) => f.code === 'mx-host-unreachable-address')?.message ?? '', /10\.1\.2\.3 \(Private-Use, RFC 1918\)/);
  });
  it('takes domains as typed, and refuses what is not one', () => {
    assert.deepEqual(parseDomain(' Sales@NewCo.Example. '), { ok: true, domain: 'newco.example' });
    assert.equal(parseDomain('[192.0.2.1]').ok, false);
    assert.equal(parseDomain('-bad.example').ok, false);
    assert.equal(parseDomain('a..b').ok, false);
  });
});

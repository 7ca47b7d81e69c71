// The combined check's shape, with the SPF rows switched off and a failing DNS, and its exit status.
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { createResolver } from '../../src/core/dns/resolver';
import type { Resolver } from '../../src/core/dns/types';
import { checkMailServer, mailCheckExit } from '../../src/core/mailcheck/check';
import { mailCheckToText } from '../../src/core/mailcheck/text';
import { startFaultDns, type FaultDnsServer } from '../harness/fault-dns';

let dns: FaultDnsServer;
let resolver: Resolver;
before(async () => {
  dns = await startFaultDns({ behaviours: { '*': { kind: 'rcode', rcode: 'SERVFAIL' } } });
  resolver = createResolver({ servers: [dns.server], timeoutMs: 250, retries: 0 });
});
after(() => dns.stop());

describe('combined check', () => {
  it('leaves the SPF rows out when SPF is switched off', async () => {
    const r = await checkMailServer({ ip: '192.0.2.10', helo: 'mail.example.com', fromDomain: 'example.com' }, { resolver, spf: false, dnsblZones: ['bl.example'] });
    assert.deepEqual(r.rows.map((x) => x.id), ['rdns', 'helo', 'mx', 'dnsbl']);
    assert.equal(r.results.spf, undefined);
  });
  it('with DNS down, nothing is decided: exit 2, and the answer says so', async () => {
    const r = await checkMailServer({ ip: '192.0.2.10', helo: 'mail.example.com', fromDomain: 'example.com' }, { resolver, dnsblZones: ['bl.example'] });
    assert.ok(r.rows.filter((x) => x.id !== 'spf-helo').every((x) => !x.decided), JSON.stringify(r.rows.map((x) => [x.id, x.decided])));
    assert.ok(r.rows.every((x) => x.status !== 'pass'));
    assert.equal(mailCheckExit(r), 2);
    assert.match(r.answer[r.answer.length - 1], /could not decide/);
    assert.match(mailCheckToText(r), /\(undecided\)/);
  });
  it('names the bad input', async () => {
    await assert.rejects(checkMailServer({ ip: '192.0.2', helo: 'a.example', fromDomain: 'example.com' }, { resolver }), /^InputError: ip: "192\.0\.2" is not an IPv4 address/);
    await assert.rejects(checkMailServer({ ip: '192.0.2.1', helo: ' ', fromDomain: 'example.com' }, { resolver }), /--helo/);
    await assert.rejects(checkMailServer({ ip: '192.0.2.1', helo: 'a.example', fromDomain: '192.0.2.1' }, { resolver }), /--from: "192\.0\.2\.1" is an IP address/);
  });
});

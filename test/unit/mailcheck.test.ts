// The combined check's shape, with the SPF rows switched off and a failing DNS, and its exit status.
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { createResolver } from '../../src/core/dns/resolver';
import type { Resolver } from '../../src/core/dns/types';
import { checkMailServer, mailCheckExit } from '../../src/core/mailcheck/check';
import { mailCheckToText } from '../../src/core/mailcheck/text';
import { startFaultDns, type FaultDnsServer } from '../harness/fault-dns';
import { memoryResolver } from './memory-resolver';

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
    assert.deepEqual(r.rows.map((x) => x.id), ['rdns', 'helo', 'dkim', 'dmarc', 'mx', 'dnsbl']);
    assert.equal(r.results.spf, undefined);
  });
  it('with DNS down, nothing is decided: exit 2, and the answer says so', async () => {
    const r = await checkMailServer({ ip: '192.0.2.10', helo: 'mail.example.com', fromDomain: 'example.com' }, { resolver, dnsblZones: ['bl.example'] });
    assert.ok(r.rows.filter((x) => x.id !== 'spf-helo').every((x) => !x.decided), JSON.stringify(r.rows.map((x) => [x.id, x.decided])));
    assert.ok(r.rows.every((x) => x.status !== 'pass'));
    assert.equal(mailCheckExit(r), 2);
    assert.match(r.answer[r.answer.length - 1], /could not decide/);
    assert.match(mailCheckToText(r), /\(undecided\)/);
    // Plain text lists the receivers too (the same rows as --json), each receiver with its version.
    const text = mailCheckToText(r);
    assert.ok(r.receivers && r.receivers.length > 0);
    assert.match(text, /^Receivers \(/m);
    assert.match(text, /^  Exim — Exim 4\.96 /m);
    assert.match(text, /^    [✓✗!·] deny !verify = reverse_host_lookup: defer/m);
  });
  it('names the bad input', async () => {
    await assert.rejects(checkMailServer({ ip: '192.0.2', helo: 'a.example', fromDomain: 'example.com' }, { resolver }), /^InputError: ip: "192\.0\.2" is not an IPv4 address/);
    await assert.rejects(checkMailServer({ ip: '192.0.2.1', helo: ' ', fromDomain: 'example.com' }, { resolver }), /--helo/);
    await assert.rejects(checkMailServer({ ip: '192.0.2.1', helo: 'a.example', fromDomain: '192.0.2.1' }, { resolver }), /--from: "192\.0\.2\.1" is an IP address/);
  });
});

describe('combined check: the PTR to publish', () => {
  it("proposes the HELO name as the PTR when it resolves to the IP and the PTR does not (the seed's fix)", async () => {
    const res = memoryResolver(
      {
        '100.113.0.203.in-addr.arpa': { PTR: ['mail.example.net'] },
        'mail.example.net': { A: ['203.0.113.244'] },
        'web6.example.net': { A: ['203.0.113.100'] },
        'example.net': { MX: [[10, 'mail.example.net']], TXT: ['v=spf1 ip4:203.0.113.100 -all'] },
      },
      ['example.net', '113.0.203.in-addr.arpa'],
    );
    const r = await checkMailServer({ ip: '203.0.113.100', helo: 'web6.example.net', fromDomain: 'example.net' }, { resolver: res, dnsblZones: ['bl.example'] });
    const row = r.rows.find((x) => x.id === 'rdns');
    assert.equal(row?.status, 'fail');
    assert.equal(row?.fix?.proposed, 'web6.example.net');
    assert.equal(row?.fix?.current, 'mail.example.net');
    assert.equal(row?.fix?.record, '100.113.0.203.in-addr.arpa. 3600 IN PTR web6.example.net.');
    assert.equal(row?.fix?.zone, '113.0.203.in-addr.arpa');
    assert.match(r.rows.find((x) => x.id === 'helo')?.summary ?? '', /but the PTR of 203\.0\.113\.100 is mail\.example\.net/);
  });
});

// The quick fix for SPF's deprecated `ptr`: the addresses it stands for, from the workspace's
// reverse zones and, when live, from DNS.
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { createResolver } from '../../src/core/dns/resolver';
import { applyEdits } from '../../src/core/zone/edits';
import { lintZones } from '../../src/core/zone/lint';
import { parseZone } from '../../src/core/zone/parser';
import { startFaultDns, type FaultDnsServer } from '../harness/fault-dns';

const FORWARD = `$ORIGIN example.test.
$TTL 3600
@        IN SOA ns1 hostmaster 1 3600 600 86400 300
@        IN NS  ns1
ns1      IN A   192.0.2.1
mail     IN A   192.0.2.5
mail     IN AAAA 2001:db8::5
web      IN A   192.0.2.6
cloud    IN A   198.51.100.9
@        IN TXT "v=spf1 mx -ptr ~all"
`;
const REVERSE = `$ORIGIN 2.0.192.in-addr.arpa.
$TTL 3600
@        IN SOA ns1.example.test. hostmaster.example.test. 1 3600 600 86400 300
@        IN NS  ns1.example.test.
5        IN PTR mail.example.test.
6        IN PTR www.other.example.
`;

function lintFiles(files: Record<string, string>, resolver?: ReturnType<typeof createResolver>) {
  const zones = Object.entries(files).map(([file, text]) => parseZone(text, { file, origin: file.replace(/\.zone$/, '') }));
  return lintZones(zones, resolver ? { resolver } : {});
}

describe('zone lint: replace ptr with the addresses it stands for', () => {
  let dns: FaultDnsServer;
  before(async () => {
    dns = await startFaultDns({
      records: {
        '9.100.51.198.in-addr.arpa': { PTR: ['cloud.example.test'] },
        '5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa': { PTR: ['elsewhere.example'] },
      },
    });
  });
  after(() => dns.stop());

  it('from the workspace alone: addresses whose PTR names a host below the domain that resolves back', async () => {
    const findings = await lintFiles({ 'example.test.zone': FORWARD, '2.0.192.in-addr.arpa.zone': REVERSE });
    const f = findings.find((x) => x.code === 'spf-ptr-discouraged');
    assert.ok(f?.fix, JSON.stringify(findings.map((x) => x.code)));
    // 192.0.2.6's PTR names a host outside example.test; 198.51.100.9 has no reverse zone here.
    assert.equal(f.fix.edits[0].newText, '-ip4:192.0.2.5');
    const fixed = applyEdits(FORWARD, f.fix.edits);
    assert.match(fixed, /"v=spf1 mx -ip4:192\.0\.2\.5 ~all"/);
    const again = await lintFiles({ 'example.test.zone': fixed, '2.0.192.in-addr.arpa.zone': REVERSE });
    assert.ok(!again.some((x) => x.code === 'spf-ptr-discouraged'));
  });

  it('live: asks DNS for the PTRs the workspace does not hold', async () => {
    const resolver = createResolver({ servers: [dns.server], timeoutMs: 500, retries: 0 });
    const findings = await lintFiles({ 'example.test.zone': FORWARD, '2.0.192.in-addr.arpa.zone': REVERSE }, resolver);
    const f = findings.find((x) => x.code === 'spf-ptr-discouraged');
    assert.equal(f?.fix?.edits[0].newText, '-ip4:192.0.2.5 -ip4:198.51.100.9');
  });
});

// From a report's fix to the zone file and back: the rDNS check names a concrete host name from
// the workspace's zones instead of a placeholder, the fix is planned where the record lives, and
// the same check run against the edited zones (before anything is published) passes.
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { checkRdns } from '../../src/core/rdns/check';
import { chooseHostName } from '../../src/core/rdns/hostName';
import { fsReader } from '../../src/core/zone/fsReader';
import { workspaceNamesFor } from '../../src/core/zone/hostNames';
import { zoneIndexResolver } from '../../src/core/zone/indexResolver';
import { parseZone } from '../../src/core/zone/parser';
import { oldAnswerTtl, planFix, ptrRequest, recheckAgainstZones, recheckRdns, rnameToAddress, withPtrRequests } from '../../src/core/zone/recheck';
import { checkMx } from '../../src/core/mx/check';
import { sendAs } from '../../src/core/spf/sendas';
import { checkDmarc } from '../../src/core/dmarc/check';
import type { ZoneReader } from '../../src/core/zone/types';
import { findZoneFiles, parseWorkspace } from '../../src/core/zone/workspace';
import { ZoneIndex } from '../../src/core/zone/zoneIndex';
import { REPO_ROOT } from '../paths';

const NOW = new Date('2026-12-02T07:00:00Z');

function demo() {
  const { files } = findZoneFiles([path.join(REPO_ROOT, 'demo', 'zones')]);
  const zones = parseWorkspace(files, fsReader());
  return { zones, index: new ZoneIndex(zones) };
}

function memZones(files: Record<string, string>, origins: Record<string, string>) {
  const reader: ZoneReader = { read: (f) => files[f], resolve: (_from, target) => target };
  const zones = Object.entries(origins).map(([file, origin]) => parseZone(files[file], { file, origin, reader }));
  return { zones, index: new ZoneIndex(zones) };
}

describe('a concrete name instead of the placeholder', () => {
  it('the seed loop (203.0.113.100): the PTR fix names web6.example.net and says it comes from example.net.zone', async () => {
    const { index } = demo();
    const resolver = zoneIndexResolver(index);
    // Without the workspace's names: the placeholder, as before.
    const before = await checkRdns('203.0.113.100', { resolver });
    const mismatch0 = before.findings.find((f) => f.code === 'ptr-name-mismatch');
    assert.match(mismatch0?.fix?.record ?? '', /<this server’s host name>/);
    const knownNames = workspaceNamesFor(index, '203.0.113.100');
    assert.deepEqual(knownNames.map((k) => k.name), ['web6.example.net']);
    const after = await checkRdns('203.0.113.100', { resolver, knownNames });
    const fix = after.findings.find((f) => f.code === 'ptr-name-mismatch')?.fix;
    assert.equal(fix?.proposed, 'web6.example.net');
    assert.equal(fix?.record, '100.113.0.203.in-addr.arpa. 3600 IN PTR web6.example.net.');
    assert.equal(fix?.proposedFrom, 'example.net.zone:35 (web6.example.net A 203.0.113.100)');
    assert.match(fix?.description ?? '', /web6\.example\.net has the A record 203\.0\.113\.100 \(example\.net\.zone:35/);
  });

  it('prefers the HELO name, then MX hosts, then SPF names; never a generic name', () => {
    const ip = '192.0.2.9';
    assert.equal(chooseHostName(ip, [{ name: 'a.example', source: 's' }, { name: 'mx.example', source: 's', mx: true }, { name: 'helo.example', source: 's', helo: true }])?.name, 'helo.example');
    assert.equal(chooseHostName(ip, [{ name: 'a.example', source: 's' }, { name: 'spf.example', source: 's', spf: true }, { name: 'mx.example', source: 's', mx: true }])?.name, 'mx.example');
    assert.equal(chooseHostName(ip, [{ name: '192-0-2-9.dyn.isp.example', source: 's', helo: true }]), undefined);
    const { index } = demo();
    const mail = workspaceNamesFor(index, '203.0.113.244');
    assert.deepEqual(mail.map((k) => [k.name, k.mx ?? false]), [['mail.example.net', true]]);
  });
});

describe('apply the fix, then check again against the edited zones', () => {
  it('the seed loop: planned in 113.0.203.in-addr.arpa.zone, and the re-check passes', async () => {
    const { zones, index } = demo();
    const result = await checkRdns('203.0.113.100', { resolver: zoneIndexResolver(index), knownNames: workspaceNamesFor(index, '203.0.113.100') });
    assert.equal(result.fcrdns, 'fail');
    const fix = result.findings.find((f) => f.code === 'ptr-name-mismatch')!.fix!;
    const planned = planFix(index, fix, NOW);
    assert.ok(planned?.ok, planned && !planned.ok ? planned.reason : 'no plan');
    assert.equal(path.basename(planned.plan.file), '113.0.203.in-addr.arpa.zone');
    const re = await recheckRdns('203.0.113.100', zones, planned.plan.edits);
    assert.equal(re.fixed, true, re.summary);
    assert.equal(re.summary, 'Fixed in the edited zones: 203.0.113.100 → web6.example.net → 203.0.113.100 (iprev pass), before anything is published.');
    assert.match(re.remaining[0], /rndc reload 113\.0\.203\.in-addr\.arpa/);
    // The plan without the change: still failing (the re-check really reads the edits).
    const unchanged = await recheckRdns('203.0.113.100', zones, []);
    assert.equal(unchanged.fixed, false);
  });

  it('a missing PTR in an RFC 2317 classless block, with the PTRs in an $INCLUDEd file', async () => {
    const files = {
      parent: `$TTL 3600
@ IN SOA ns1.example.org. noc.example.org. 2026030401 1 1 1 1
  IN NS ns1.example.org.
64/26 IN NS ns1.example.net.
$GENERATE 64-127 $ CNAME $.64/26.100.51.198.in-addr.arpa.
`,
      child: `$TTL 3600
@ IN SOA ns1.example.net. hostmaster.example.net. 2026120107 1 1 1 1
  IN NS ns1.example.net.
$INCLUDE child-ptrs
`,
      'child-ptrs': `70 IN PTR relay.example.net.
`,
      fwd: `$TTL 3600
@ IN SOA ns1 hostmaster 5 1 1 1 1
  IN NS ns1
ns1 IN A 192.0.2.1
relay IN A 198.51.100.70
newbox IN A 198.51.100.71
`,
    };
    const { zones, index } = memZones(files, { parent: '100.51.198.in-addr.arpa', child: '64/26.100.51.198.in-addr.arpa', fwd: 'example.net' });
    const result = await checkRdns('198.51.100.71', { resolver: zoneIndexResolver(index), knownNames: workspaceNamesFor(index, '198.51.100.71') });
    const fix = result.findings.find((f) => f.code === 'ptr-missing')?.fix;
    assert.equal(fix?.record, '71.64/26.100.51.198.in-addr.arpa. 3600 IN PTR newbox.example.net.');
    const planned = planFix(index, fix!, NOW);
    assert.ok(planned?.ok, planned && !planned.ok ? planned.reason : 'no plan');
    assert.equal(planned.plan.file, 'child-ptrs');
    assert.deepEqual(
      planned.plan.edits.map((e) => [e.file, e.newText]),
      [
        ['child-ptrs', '71 IN PTR newbox.example.net.\n'],
        ['child', '2026120200'],
      ],
    );
    const re = await recheckRdns('198.51.100.71', zones, planned.plan.edits);
    assert.equal(re.fixed, true, re.summary);
  });

  it('other reports: the send-as SPF fix (example.net.zone) and the DMARC starter record (example.org.zone), each re-checked against the edited zones', async () => {
    const { zones, index } = demo();
    const resolver = zoneIndexResolver(index);
    const spf = await sendAs('203.0.113.77', 'example.net', { resolver });
    const spfFix = spf.findings.find((f) => f.code === 'send-as-not-authorized')!.fix!;
    const spfPlan = planFix(index, spfFix, NOW);
    assert.ok(spfPlan?.ok, spfPlan && !spfPlan.ok ? spfPlan.reason : 'no plan');
    assert.equal(path.basename(spfPlan.plan.file), 'example.net.zone');
    assert.match(spfPlan.plan.description, /^Change example\.net TXT from "v=spf1 ip4:203\.0\.113\.25 .*~all" to v=spf1 .*ip4:203\.0\.113\.77.* in example\.net\.zone; serial 2026030401 → 2026120200\.$/);
    const spfRe = await recheckAgainstZones(spf, 'send-as-not-authorized', spfPlan.plan, 'TXT', zones);
    assert.ok(spfRe);
    assert.equal(spfRe.fixed, true, spfRe.summary);
    assert.equal(spfRe.summary, "Fixed in the edited zones: example.net's SPF gives pass for 203.0.113.77 (send-as-not-authorized is gone), before anything is published.");
    assert.match(spfRe.remaining[0], /rndc reload example\.net\)/);
    assert.match(spfRe.remaining[1], /old answer for example\.net may give it for up to 3600 seconds more \(its TTL\)/);
    // Without the edits the same re-check still fails: it reads the edited zones.
    const spfNot = await recheckAgainstZones(spf, 'send-as-not-authorized', { ...spfPlan.plan, edits: [] }, 'TXT', zones);
    assert.equal(spfNot?.fixed, false);
    assert.match(spfNot?.summary ?? '', /^Not fixed yet in the edited zones: example\.net's SPF gives (softfail|fail|neutral) for 203\.0\.113\.77\./);

    // example.net's demo zone has a _dmarc record already; example.org's has none.
    const dmarc = await checkDmarc('example.org', { resolver });
    const dmarcFix = dmarc.findings.find((f) => f.code === 'dmarc-none')!.fix!;
    const dmarcPlan = planFix(index, dmarcFix, NOW);
    assert.ok(dmarcPlan?.ok, dmarcPlan && !dmarcPlan.ok ? dmarcPlan.reason : 'no plan');
    assert.equal(path.basename(dmarcPlan.plan.file), 'example.org.zone');
    assert.match(dmarcPlan.plan.edits.find((e) => e.newText.startsWith('_dmarc'))!.newText, /^_dmarc {10}TXT {5}"v=DMARC1; p=none; /);
    const dmarcRe = await recheckAgainstZones(dmarc, 'dmarc-none', dmarcPlan.plan, 'TXT', zones);
    assert.equal(dmarcRe?.fixed, true, dmarcRe?.summary);
    assert.equal(dmarcRe?.summary, 'Fixed in the edited zones: DMARC of example.org: monitoring (dmarc-none is gone), before anything is published.');
    // No _dmarc record before: caches hold the NXDOMAIN for the zone's negative TTL (SOA MINIMUM 300 < TTL 3600).
    assert.match(dmarcRe?.remaining[1] ?? '', /old answer for _dmarc\.example\.org may give it for up to 300 seconds more \(no record there before: the zone's negative-caching TTL, RFC 2308 §5\)/);
  });

  it('the MX report: an MX naming an alias is pointed at the canonical name, and the re-check no longer finds mx-target-cname', async () => {
    const { zones, index } = memZones(
      {
        'example.com.zone': `$TTL 3600
@ IN SOA ns1 hostmaster 7 1 1 1 600
  IN NS ns1
  IN MX 10 mx
ns1 IN A 192.0.2.53
mx 1800 IN CNAME mail
mail IN A 192.0.2.25
`,
      },
      { 'example.com.zone': 'example.com.' },
    );
    const mx = await checkMx('example.com', { resolver: zoneIndexResolver(index), rdns: false });
    const f = mx.findings.find((x) => x.code === 'mx-target-cname');
    assert.ok(f?.fix, mx.findings.map((x) => x.code).join(', '));
    const planned = planFix(index, f.fix, NOW);
    assert.ok(planned?.ok, planned && !planned.ok ? planned.reason : 'no plan');
    assert.deepEqual(planned.plan.serial && [planned.plan.serial.from, planned.plan.serial.to], [7, 8]);
    const re = await recheckAgainstZones(mx, 'mx-target-cname', planned.plan, 'MX', zones);
    assert.equal(re?.fixed, true, re?.summary);
    assert.match(re?.summary ?? '', /^Fixed in the edited zones: MX of example\.com: \w+ \(mx-target-cname is gone\)/);
    assert.ok(re?.result.kind === 'mx' && re.result.hosts.some((h) => h.exchange === 'mail.example.com'));
    assert.match(re?.remaining[1] ?? '', /up to 3600 seconds more \(its TTL\)/);
  });

  it('how long caches keep the old answer: the records\' TTL, else the negative TTL min(SOA TTL, MINIMUM)', () => {
    const { index } = memZones(
      { z: '$TTL 600\n@ IN SOA ns1 h 1 1 1 1 3600\n  IN NS ns1\nns1 IN A 192.0.2.1\nwww 120 IN A 192.0.2.2\nwww 900 IN A 192.0.2.3\n' },
      { z: 'example.com.' },
    );
    assert.deepEqual(oldAnswerTtl(index, 'www.example.com.', 'A'), { seconds: 900, why: ' (its TTL)' });
    assert.equal(oldAnswerTtl(index, 'nope.example.com.', 'TXT')?.seconds, 600);
    assert.equal(oldAnswerTtl(index, 'example.org.', 'TXT'), undefined);
  });

  it('the reverse zone is not in the workspace: the PTR fix says whom to ask (the SOA RNAME) and what to write', async () => {
    const { zones } = demo();
    const forward = new ZoneIndex(zones.filter((z) => path.basename(z.file) === 'example.net.zone'));
    const isp = zoneIndexResolver(new ZoneIndex(zones.filter((z) => path.basename(z.file) === '113.0.203.in-addr.arpa.zone')));
    const resolver = zoneIndexResolver(forward, isp);
    const result = await checkRdns('203.0.113.100', { resolver, knownNames: workspaceNamesFor(forward, '203.0.113.100') });
    const withReq = await withPtrRequests(result, forward, NOW, resolver);
    const fix = withReq.findings.find((f) => f.code === 'ptr-name-mismatch')!.fix!;
    assert.equal(planFix(forward, fix, NOW)?.ok, false);
    assert.equal(fix.request?.to, 'hostmaster@example.net');
    assert.match(fix.request?.text ?? '', /set the reverse DNS \(PTR\) of 203\.0\.113\.100 to web6\.example\.net/);
    assert.match(fix.request?.text ?? '', /web6\.example\.net already resolves to 203\.0\.113\.100 \(example\.net\.zone:35/);
    // With the reverse zone in the workspace there is nothing to ask: the fix is applied there.
    const { index } = demo();
    assert.equal((await withPtrRequests(result, index, NOW, resolver)).findings.find((f) => f.code === 'ptr-name-mismatch')!.fix!.request, undefined);
  });

  it('a PTR outside the workspace: whom to ask and the text of the request', () => {
    assert.equal(rnameToAddress('noc.example.org.'), 'noc@example.org');
    assert.equal(rnameToAddress('first\\.last.example.org'), 'first.last@example.org');
    const req = ptrRequest('203.0.113.100', '100.113.0.203.in-addr.arpa', 'web6.example.net', 'example.net.zone:35', '113.0.203.in-addr.arpa', 'noc.hosting.example.');
    assert.equal(req.to, 'noc@hosting.example');
    assert.match(req.text, /please set the reverse DNS \(PTR\) of 203\.0\.113\.100 to web6\.example\.net:\n\n {4}100\.113\.0\.203\.in-addr\.arpa\. IN PTR web6\.example\.net\./);
  });
});

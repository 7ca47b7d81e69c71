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
import { planFix, ptrRequest, recheckRdns, rnameToAddress, withPtrRequests, zonesWithEdits } from '../../src/core/zone/recheck';
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

  it('other reports: the send-as SPF fix lands in example.net.zone and the DMARC starter record in example.org.zone (example.net publishes one), and the checks pass after', async () => {
    const { zones, index } = demo();
    const resolver = zoneIndexResolver(index);
    const spf = await sendAs('203.0.113.77', 'example.net', { resolver });
    const spfFix = spf.findings.find((f) => f.code === 'send-as-not-authorized')!.fix!;
    const spfPlan = planFix(index, spfFix, NOW);
    assert.ok(spfPlan?.ok, spfPlan && !spfPlan.ok ? spfPlan.reason : 'no plan');
    assert.equal(path.basename(spfPlan.plan.file), 'example.net.zone');
    assert.match(spfPlan.plan.description, /^Change example\.net TXT from "v=spf1 ip4:203\.0\.113\.25 .*~all" to v=spf1 .*ip4:203\.0\.113\.77.* in example\.net\.zone; serial 2026030401 → 2026120200\.$/);
    const dmarc = await checkDmarc('example.org', { resolver });
    const dmarcFix = dmarc.findings.find((f) => f.code === 'dmarc-none')!.fix!;
    const dmarcPlan = planFix(index, dmarcFix, NOW);
    assert.ok(dmarcPlan?.ok, dmarcPlan && !dmarcPlan.ok ? dmarcPlan.reason : 'no plan');
    assert.equal(path.basename(dmarcPlan.plan.file), 'example.org.zone');
    // example.org.zone writes most records without the class, in columns of 16 and 8: so does the edit.
    assert.ok(dmarcPlan.plan.edits.some((e) => /^_dmarc {10}TXT {5}"v=DMARC1; p=none; /.test(e.newText)), dmarcPlan.plan.edits.map((e) => e.newText).join(' | '));
    // Both applied (two files, each with its serial), then checked again.
    const edits = [...spfPlan.plan.edits, ...dmarcPlan.plan.edits];
    const after = new ZoneIndex(zonesWithEdits(zones, edits));
    const spfAfter = await sendAs('203.0.113.77', 'example.net', { resolver: zoneIndexResolver(after) });
    assert.ok(spfAfter.findings.some((f) => f.code === 'send-as-authorized'), spfAfter.findings.map((f) => f.code).join(', '));
    const dmarcAfter = await checkDmarc('example.org', { resolver: zoneIndexResolver(after) });
    assert.ok(!dmarcAfter.findings.some((f) => f.code === 'dmarc-none'));
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

// Apply on the combined "Check mail server" report, on DKIM fixes and on HELO fixes made zone
// edits (src/core/zone/offers.ts), each re-checked against the edited zones (recheck.ts); and the
// report document's part in it: rows with ids, fixAt, liveAgain. In-memory zones, answered by the
// zone index itself (zoneIndexResolver), so the "live" DNS is the zones before the edit.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { toReport } from '../../src/core/checks';
import { checkDkimKey } from '../../src/core/dkim/check';
import { checkHelo } from '../../src/core/helo/check';
import { checkMailServer } from '../../src/core/mailcheck/check';
import { fixAt } from '../../src/core/report/doc';
import { applyEdits } from '../../src/core/zone/edits';
import { zoneIndexResolver } from '../../src/core/zone/indexResolver';
import { offerFixes } from '../../src/core/zone/offers';
import { parseZone } from '../../src/core/zone/parser';
import { planFix, recheckAgainstZones, rerunCheck } from '../../src/core/zone/recheck';
import type { TextEdit, ZoneReader } from '../../src/core/zone/types';
import { ZoneIndex } from '../../src/core/zone/zoneIndex';
import { changedLines } from '../harness/lineDiff';

const NOW = new Date('2026-12-02T07:00:00Z');
const KEY = 'p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAn/MSizUIkJpHXTgPgQeAkGJQv0v1GU7zAB3xxDQiI4HGF4ZLCdjSB7nxquSSlhUUojhu3fJrM3KXKlFR/VGvRIe21TVXNnVMK4ufDJiQKRyORO2ZT3cxNRm4khjg/qX5B2JO1lPnJtluoHAPrIOfba7inx3lnnZSdySg779saNDmR2Ow1T7gnPRLV88upWCPnmShSfPOn1pW7OqRDcknhsUJvVGvN3vO3BeHSm0f66ROHxobve6Z2bQKPQ6qxOAPYDkSQ1fUY87x4WrwyVDStnTF/936NDeigBTgx1FZOGLrJjzr+MNbpxnGw2fyNhvsj/G/KMbtBOk0NHFl7EGEcwIDAQAB';

function memZones(files: Record<string, string>, origins: Record<string, string>) {
  const reader: ZoneReader = { read: (f) => files[f], resolve: (_from, target) => target };
  const zones = Object.entries(origins).map(([file, origin]) => parseZone(files[file], { file, origin, reader }));
  return { zones, index: new ZoneIndex(zones) };
}

/** The lines that differ between a file and its text after the edits. */
const changedBy = (text: string, edits: TextEdit[]) => changedLines(text, applyEdits(text, edits));

const FILES: Record<string, string> = {
  'newco.example.zone': `$TTL 3600
@               IN SOA  ns1.newco.example. hostmaster.newco.example. (
                        2026010101 7200 3600 1209600 300 )
                IN NS   ns1.newco.example.
                IN MX   10 mail.newco.example.
$INCLUDE newco-mail.inc
ns1             IN A    203.0.113.53
mail            IN A    203.0.113.200
`,
  'newco-mail.inc': `; mail records of newco.example, kept apart
@               IN TXT  "v=spf1 ip4:203.0.113.200 -all"
`,
  'dynatron.example.zone': `$TTL 3600
@               IN SOA  ns1.dynatron.example. hostmaster.dynatron.example. 2026120105 7200 3600 1209600 300
                IN NS   ns1.dynatron.example.
                IN TXT  "v=spf1 ip4:203.0.113.60 -all"
_dmarc          IN TXT  "v=DMARC1; p=reject"
ns1             IN A    203.0.113.53
web6            IN A    203.0.113.60
web6            IN TXT  "v=spf1 a -all"
nodata          IN TXT  "no address here"
old             IN A    203.0.113.99
legacy._domainkey IN TXT ( "v=DKIM1; h=sha1; k=rsa; "
                  "p=${KEY.slice(2, 200)}"
                  "${KEY.slice(200)}" )
`,
  'rev.zone': `$TTL 3600
@   IN SOA ns1.dynatron.example. hostmaster.dynatron.example. 7 7200 3600 1209600 300
    IN NS  ns1.dynatron.example.
60  IN PTR web6.dynatron.example.
`,
};
const ORIGINS = { 'newco.example.zone': 'newco.example', 'dynatron.example.zone': 'dynatron.example', 'rev.zone': '113.0.203.in-addr.arpa' };

describe('Apply on the combined mail-server report', () => {
  it('the SPF row (record in an $INCLUDEd file, serial in the parent) and the DMARC row offer Apply; the re-check of the row passes', async () => {
    const { zones, index } = memZones(FILES, ORIGINS);
    const resolver = zoneIndexResolver(index);
    const first = await checkMailServer({ ip: '203.0.113.60', helo: 'web6.dynatron.example', fromDomain: 'newco.example' }, { resolver, dnsblZones: [] });
    const result = offerFixes(first, index, NOW);
    const spfRow = result.rows.find((r) => r.id === 'spf-from')!;
    assert.equal(spfRow.status, 'fail');
    assert.equal(spfRow.fix?.applyTo, 'newco-mail.inc');
    // The starter record goes beside the other TXT record at the apex: the mail records' file.
    assert.equal(result.rows.find((r) => r.id === 'dmarc')?.fix?.applyTo, 'newco-mail.inc');
    // The document carries it: the rows section's row has its id and the offer; fixAt finds it.
    const doc = toReport(result);
    assert.equal(doc.liveAgain, true);
    const section = doc.sections.findIndex((s) => s.type === 'rows');
    const rows = doc.sections[section];
    assert.ok(rows.type === 'rows');
    const row = rows.rows.findIndex((r) => r.id === 'spf-from');
    const target = fixAt(doc, { section, row });
    assert.equal(target?.row, 'spf-from');
    assert.equal(target?.fix.applyTo, 'newco-mail.inc');

    const planned = planFix(index, target!.fix, NOW);
    assert.ok(planned?.ok, planned && !planned.ok ? planned.reason : 'no plan');
    // Two files: the record where it lives, the serial where the SOA is.
    assert.deepEqual(changedBy(FILES['newco-mail.inc'], planned.plan.edits.filter((e) => e.file === 'newco-mail.inc')), [
      ['@               IN TXT  "v=spf1 ip4:203.0.113.200 -all"', '@               IN TXT  "v=spf1 ip4:203.0.113.200 ip4:203.0.113.60 -all"'],
    ]);
    assert.deepEqual(changedBy(FILES['newco.example.zone'], planned.plan.edits.filter((e) => e.file === 'newco.example.zone')), [
      ['                        2026010101 7200 3600 1209600 300 )', '                        2026120200 7200 3600 1209600 300 )'],
    ]);
    const re = await recheckAgainstZones(result, target!.code ?? '', planned.plan, 'TXT', zones, { row: 'spf-from' });
    assert.equal(re?.fixed, true, re?.summary);
    assert.match(re!.summary, /^Fixed in the edited zones: SPF for the From domain \(newco\.example\): pass/);
    assert.match(re!.remaining[0], /rndc reload newco\.example/);
    assert.match(re!.remaining[1], /up to 3600 seconds more \(its TTL\)/);
    // Without the edit the row still fails: the re-check reads the edited zones.
    const unchanged = await recheckAgainstZones(result, '', { ...planned.plan, edits: [] }, 'TXT', zones, { row: 'spf-from' });
    assert.equal(unchanged?.fixed, false);

    // The DMARC row: the starter record added, and that row passes (p=none: monitoring is the DMARC row's info).
    const dmarc = planFix(index, result.rows.find((r) => r.id === 'dmarc')!.fix!, NOW);
    assert.ok(dmarc?.ok);
    const reDmarc = await recheckAgainstZones(result, '', dmarc.plan, 'TXT', zones, { row: 'dmarc' });
    assert.ok(reDmarc);
    assert.notEqual(reDmarc.result.kind === 'mailcheck' && reDmarc.result.rows.find((r) => r.id === 'dmarc')?.status, 'fail');
  });

  it('a HELO name without an address, its zone in the workspace: the HELO row\'s fix becomes its A record, and the row passes after it', async () => {
    const { zones, index } = memZones(FILES, ORIGINS);
    const resolver = zoneIndexResolver(index);
    const first = await checkMailServer({ ip: '203.0.113.60', helo: 'nodata.dynatron.example', fromDomain: 'dynatron.example' }, { resolver, dnsblZones: [] });
    const before = first.rows.find((r) => r.id === 'helo')!;
    // The check alone proposes sending another name (the PTR name that resolves back).
    assert.equal(before.fix?.proposed, 'web6.dynatron.example');
    assert.equal(before.fix?.owner, undefined);
    const result = offerFixes(first, index, NOW);
    const helo = result.rows.find((r) => r.id === 'helo')!;
    assert.deepEqual([helo.fix?.owner, helo.fix?.type, helo.fix?.proposed, helo.fix?.applyTo], ['nodata.dynatron.example', 'A', '203.0.113.60', 'dynatron.example.zone']);
    assert.match(helo.fix!.description, /Or send web6\.dynatron\.example in HELO\/EHLO instead/);
    // The row's finding carries the same fix (the findings list offers Apply too).
    assert.equal(helo.findings.find((f) => f.code === 'helo-no-address')?.fix?.applyTo, 'dynatron.example.zone');
    const planned = planFix(index, helo.fix!, NOW);
    assert.ok(planned?.ok);
    assert.deepEqual(changedBy(FILES['dynatron.example.zone'], planned.plan.edits), [
      ['@               IN SOA  ns1.dynatron.example. hostmaster.dynatron.example. 2026120105 7200 3600 1209600 300', '@               IN SOA  ns1.dynatron.example. hostmaster.dynatron.example. 2026120200 7200 3600 1209600 300'],
      // After nodata's own record, the owner left blank as the file writes repeated owners.
      [undefined, '                IN A    203.0.113.60'],
    ]);
    // The row's fix is its helo-no-address finding's: the document says so, and the re-check looks for that code.
    const doc = toReport(result);
    const section = doc.sections.findIndex((s) => s.type === 'rows');
    const rows = doc.sections[section];
    assert.ok(rows.type === 'rows');
    const target = fixAt(doc, { section, row: rows.rows.findIndex((r) => r.id === 'helo') });
    assert.deepEqual([target?.row, target?.code], ['helo', 'helo-no-address']);
    const re = await recheckAgainstZones(result, target!.code!, planned.plan, 'A', zones, { row: 'helo' });
    assert.equal(re?.fixed, true, re?.summary);
    assert.match(re!.summary, /^Fixed in the edited zones: HELO name: warning .*\(helo-no-address is gone\)/);
    // The row as a whole still warns (the HELO name is not the PTR name): by row status alone, not fixed.
    const byStatus = await recheckAgainstZones(result, '', planned.plan, 'A', zones, { row: 'helo' });
    assert.equal(byStatus?.fixed, false);
  });
});

describe('Apply on HELO fixes', () => {
  it('no address: an A record for the HELO name; the HELO re-check no longer finds helo-no-address', async () => {
    const { zones, index } = memZones(FILES, ORIGINS);
    const result = offerFixes(await checkHelo('nodata.dynatron.example', { ip: '203.0.113.60', resolver: zoneIndexResolver(index), spf: false }), index, NOW);
    const f = result.findings.find((x) => x.code === 'helo-no-address')!;
    assert.equal(f.fix?.applyTo, 'dynatron.example.zone');
    assert.equal(f.fix?.record, 'nodata.dynatron.example. 3600 IN A 203.0.113.60');
    const planned = planFix(index, f.fix!, NOW);
    assert.ok(planned?.ok);
    const re = await recheckAgainstZones(result, f.code, planned.plan, 'A', zones);
    assert.equal(re?.fixed, true, re?.summary);
    assert.match(re!.remaining[1], /up to 300 seconds more \(no record there before: the zone's negative-caching TTL, RFC 2308 §5\)/);
  });

  it('the wrong address: the A record changed to the sending IP (one line and the serial)', async () => {
    const { zones, index } = memZones(FILES, ORIGINS);
    const result = offerFixes(await checkHelo('old.dynatron.example', { ip: '203.0.113.60', resolver: zoneIndexResolver(index), spf: false }), index, NOW);
    const f = result.findings.find((x) => x.code === 'helo-ip-mismatch')!;
    assert.deepEqual([f.fix?.current, f.fix?.proposed, f.fix?.applyTo], ['203.0.113.99', '203.0.113.60', 'dynatron.example.zone']);
    const planned = planFix(index, f.fix!, NOW);
    assert.ok(planned?.ok);
    assert.deepEqual(changedBy(FILES['dynatron.example.zone'], planned.plan.edits).slice(1), [['old             IN A    203.0.113.99', 'old             IN A    203.0.113.60']]);
    const re = await recheckAgainstZones(result, f.code, planned.plan, 'A', zones);
    assert.equal(re?.fixed, true, re?.summary);
  });

  it('the HELO name\'s zone is not in the workspace: the fix stays as the check made it, without Apply', async () => {
    const { index } = memZones({ 'rev.zone': FILES['rev.zone'] }, { 'rev.zone': '113.0.203.in-addr.arpa' });
    const outside = memZones(FILES, ORIGINS).index;
    const before = await checkHelo('nodata.dynatron.example', { ip: '203.0.113.60', resolver: zoneIndexResolver(outside), spf: false });
    const result = offerFixes(before, index, NOW);
    assert.deepEqual(result.findings, before.findings);
  });
});

describe('Apply on DKIM fixes', () => {
  it('h=sha1 only: the key record gets h=sha256 where it lives; the DKIM re-check no longer finds dkim-key-no-sha256', async () => {
    const { zones, index } = memZones(FILES, ORIGINS);
    const result = offerFixes(await checkDkimKey('legacy', 'dynatron.example', { resolver: zoneIndexResolver(index) }), index, NOW);
    const f = result.findings.find((x) => x.code === 'dkim-key-no-sha256')!;
    assert.equal(f.fix?.applyTo, 'dynatron.example.zone');
    assert.equal(toReport(result).liveAgain, true);
    const planned = planFix(index, f.fix!, NOW);
    assert.ok(planned?.ok, planned && !planned.ok ? planned.reason : 'no plan');
    // Only the string with h= changes (the key's strings and the parentheses stay), and the serial.
    assert.deepEqual(changedBy(FILES['dynatron.example.zone'], planned.plan.edits).slice(1), [
      ['legacy._domainkey IN TXT ( "v=DKIM1; h=sha1; k=rsa; "', 'legacy._domainkey IN TXT ( "v=DKIM1; h=sha256; k=rsa; "'],
    ]);
    const re = await recheckAgainstZones(result, f.code, planned.plan, 'TXT', zones);
    assert.equal(re?.fixed, true, re?.summary);
    assert.match(re!.summary, /^Fixed in the edited zones: DKIM key legacy\._domainkey\.dynatron\.example: pass \(dkim-key-no-sha256 is gone\)/);
  });

  it('the mail-server report\'s DKIM row offers the same fix', async () => {
    const { index } = memZones(FILES, ORIGINS);
    const result = offerFixes(await checkMailServer({ ip: '203.0.113.60', helo: 'web6.dynatron.example', fromDomain: 'dynatron.example', dkimSelector: 'legacy' }, { resolver: zoneIndexResolver(index), dnsblZones: [] }), index, NOW);
    const dkim = result.rows.find((r) => r.id === 'dkim')!;
    assert.equal(dkim.fix?.proposed?.includes('h=sha256'), true);
    assert.equal(dkim.fix?.applyTo, 'dynatron.example.zone');
  });
});

describe('Check live again: every kind with Apply runs again from its result', () => {
  it('DKIM, HELO and the mail-server check run again with the same inputs', async () => {
    const { index } = memZones(FILES, ORIGINS);
    const resolver = zoneIndexResolver(index);
    const dkim = await checkDkimKey('legacy', 'dynatron.example', { resolver });
    assert.equal((await rerunCheck(dkim, resolver))?.kind, 'dkim');
    const mail = await checkMailServer({ ip: '203.0.113.60', helo: 'web6.dynatron.example', fromDomain: 'newco.example', dkimSelector: 'legacy' }, { resolver, dnsblZones: [] });
    const again = await rerunCheck(mail, resolver);
    assert.ok(again?.kind === 'mailcheck');
    assert.deepEqual(again.rows.map((r) => [r.id, r.status]), mail.rows.map((r) => [r.id, r.status]));
    assert.equal(again.dkimSelector, 'legacy');
  });
});

describe('the report page asks for Apply on a row and for Check live again', () => {
  it('accepts a finding or a section and row, never both or neither; liveAgain carries nothing', async () => {
    const { isWebviewMessage } = await import('../../src/webview/protocol');
    assert.equal(isWebviewMessage({ type: 'applyFix', finding: 2 }), true);
    assert.equal(isWebviewMessage({ type: 'applyFix', section: 0, row: 3 }), true);
    assert.equal(isWebviewMessage({ type: 'applyFix', section: 0 }), false);
    assert.equal(isWebviewMessage({ type: 'applyFix', finding: 1, section: 0, row: 1 }), false);
    assert.equal(isWebviewMessage({ type: 'applyFix', section: -1, row: 0 }), false);
    assert.equal(isWebviewMessage({ type: 'liveAgain' }), true);
  });

  it('fixAt: a finding\'s fix with its code; a row\'s with its id; nothing for a section that is not rows', () => {
    const fix = { description: 'd', owner: 'a.example', type: 'A', proposed: '192.0.2.1', applyTo: 'a.zone' };
    const doc = {
      kind: 'mailcheck', title: 't', shortTitle: 't', subject: 's', status: 'fail' as const, summary: '', verdict: { label: '', value: '', explanation: '' }, facts: [], footer: '',
      sections: [{ type: 'text' as const, title: 'x', paragraphs: [] }, { type: 'rows' as const, title: 'Checks', rows: [{ label: 'HELO', status: 'fail' as const, summary: '', fix, id: 'helo' }] }],
      findings: [{ code: 'helo-no-address', severity: 'error' as const, message: 'm', fix }],
    };
    assert.deepEqual(fixAt(doc, { finding: 0 }), { fix, code: 'helo-no-address' });
    assert.deepEqual(fixAt(doc, { section: 1, row: 0 }), { fix, row: 'helo' });
    assert.equal(fixAt(doc, { section: 0, row: 0 }), undefined);
    assert.equal(fixAt(doc, { finding: 5 }), undefined);
  });
});

describe('heloAddressFix: the HELO name\'s own address record', () => {
  const base = { kind: 'helo' as const, name: 'mail.example.com', fqdn: true, addresses: [] as string[], findings: [] };
  it('AAAA for an IPv6 sender; the other family\'s addresses are no "current"; none when it already has the IP, or for a one-word name', async () => {
    const { heloAddressFix } = await import('../../src/core/helo/check');
    const v6 = heloAddressFix({ ...base, ip: '2001:db8::25', addresses: ['192.0.2.1'] } as never, 'example.com');
    assert.deepEqual([v6?.type, v6?.current, v6?.proposed, v6?.record], ['AAAA', undefined, '2001:db8::25', 'mail.example.com. 3600 IN AAAA 2001:db8::25']);
    const moved = heloAddressFix({ ...base, ip: '192.0.2.9', addresses: ['192.0.2.1', '192.0.2.2'] } as never);
    assert.deepEqual([moved?.type, moved?.current, moved?.proposed], ['A', '192.0.2.1, 192.0.2.2', '192.0.2.9']);
    assert.match(moved!.description, /^Point mail\.example\.com at 192\.0\.2\.9: change its A record from 192\.0\.2\.1, 192\.0\.2\.2 to 192\.0\.2\.9/);
    assert.equal(heloAddressFix({ ...base, ip: '192.0.2.1', addresses: ['192.0.2.1'] } as never), undefined);
    assert.equal(heloAddressFix({ ...base, name: 'DYNA-WEB', fqdn: false, ip: '192.0.2.1' } as never), undefined);
    assert.equal(heloAddressFix({ ...base } as never), undefined);
  });

  it('a name with two old addresses: Apply makes the RRset the one address (both lines, the serial)', async () => {
    const files = { z: '$TTL 3600\n@ IN SOA ns1 hostmaster 5 1 1 1 1\n  IN NS ns1\nns1 IN A 192.0.2.53\nmail IN A 192.0.2.1\nmail IN A 192.0.2.2\n' };
    const { zones, index } = memZones(files, { z: 'example.com' });
    const result = offerFixes(await checkHelo('mail.example.com', { ip: '192.0.2.9', resolver: zoneIndexResolver(index), spf: false }), index, NOW);
    const f = result.findings.find((x) => x.code === 'helo-ip-mismatch')!;
    assert.equal(f.fix?.applyTo, 'z');
    const planned = planFix(index, f.fix!, NOW);
    assert.ok(planned?.ok);
    assert.equal(applyEdits(files.z, planned.plan.edits), '$TTL 3600\n@ IN SOA ns1 hostmaster 6 1 1 1 1\n  IN NS ns1\nns1 IN A 192.0.2.53\nmail IN A 192.0.2.9\n');
    const re = await recheckAgainstZones(result, f.code, planned.plan, 'A', zones);
    assert.equal(re?.fixed, true, re?.summary);
  });
});

// The pure helpers behind the editor's zone-file features: outline, folding, SPF hover text, the
// lookup-count lens, and the live branch count through check_host() against a loopback DNS.
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { createResolver } from '../../src/core/dns/resolver';
import { foldingLines, zoneOutline } from '../../src/core/zone/outline';
import { parseZone, type ParsedZone } from '../../src/core/zone/parser';
import { lookupLensText, spfTermInfo } from '../../src/core/zone/spfInfo';
import { spfSources, spfTermAt, staticLookupCount } from '../../src/core/zone/spfLint';
import { liveLookupCount, spfBranch } from '../../src/core/zone/spfLive';
import { ZoneIndex } from '../../src/core/zone/zoneIndex';
import { startFaultDns, type FaultDnsServer } from '../harness/fault-dns';

const NET = `; example.net
$TTL 3600
@       IN SOA  ns1 hostmaster (
                1 7200 3600
                1209600 300 )
        IN NS   ns1
        IN MX   10 mail
        IN TXT  "v=spf1 a mx include:_spf.example.net include:outside.example ~all"
ns1     IN A    192.0.2.1
; the mail server
; (two comment lines fold)
mail    IN A    192.0.2.2
mail    IN AAAA 2001:db8::2
_spf    IN TXT  "v=spf1 ip4:192.0.2.0/24 " "a:relay.example.net -all"
$GENERATE 10-12 host$ A 192.0.2.$
`;

function zone(text = NET, file = '/zones/example.net.zone'): ParsedZone {
  return parseZone(text, { file, origin: 'example.net' });
}

describe('zone outline and folding', () => {
  it('gives one node per owner with its records, and one per $GENERATE line', () => {
    const z = zone();
    const nodes = zoneOutline(z, z.file);
    assert.deepEqual(
      nodes.map((n) => `${n.kind} ${n.name} [${n.detail}]`),
      [
        'owner example.net [SOA, NS, MX, TXT]',
        'owner ns1.example.net [A]',
        'owner mail.example.net [A, AAAA]',
        'owner _spf.example.net [TXT]',
        'generate $GENERATE 10-12 host$ A 192.0.2.$ [3 A records]',
      ],
    );
    const apex = nodes[0];
    assert.deepEqual(apex.children.map((c) => c.name), ['SOA', 'NS', 'MX', 'TXT']);
    assert.equal(apex.children[2].detail, '10 mail');
    // The owner as written is what gets selected; the range holds every record.
    assert.equal(NET.slice(apex.selectionStart, apex.selectionEnd), '@');
    assert.ok(apex.start <= apex.children[0].start && apex.end >= apex.children[3].end);
    assert.equal(NET.slice(nodes[2].selectionStart, nodes[2].selectionEnd), 'mail');
    assert.equal(NET.slice(nodes[3].children[0].selectionStart, nodes[3].children[0].selectionEnd), 'TXT');
  });

  it('lists $INCLUDE lines and leaves the included records to their own file', () => {
    const files: Record<string, string> = { '/z/main.zone': '$TTL 60\n@ IN SOA ns h 1 2 3 4 5\n@ IN NS ns\n$INCLUDE inc.zone\nwww IN A 192.0.2.9\n', '/z/inc.zone': 'ns IN A 192.0.2.8\n' };
    const z = parseZone(undefined, { file: '/z/main.zone', origin: 'example.org', reader: { read: (f) => files[f] } });
    assert.deepEqual(zoneOutline(z, '/z/main.zone').map((n) => `${n.kind} ${n.name}`), ['owner example.org', 'include $INCLUDE inc.zone', 'owner www.example.org']);
    assert.deepEqual(zoneOutline(z, '/z/inc.zone').map((n) => `${n.kind} ${n.name}`), ['owner ns.example.org']);
  });

  it('folds multi-line records and comment blocks', () => {
    const z = zone();
    assert.deepEqual(foldingLines(z, z.file), [
      { startLine: 2, endLine: 4, kind: 'record' },
      { startLine: 9, endLine: 10, kind: 'comment' },
    ]);
  });
});

describe('SPF hover text and lens', () => {
  const z = zone();
  const index = new ZoneIndex([z]);
  const sources = spfSources(index);
  const at = (needle: string, skip = 0) => spfTermAt(sources, z.file, NET.indexOf(needle) + skip)!;

  it('says what a term means, with its RFC 7208 section', () => {
    const hit = at('~all', 1);
    assert.equal(NET.slice(hit.start, hit.end), '~all');
    const info = spfTermInfo(hit.source, hit.term, index);
    assert.equal(info.text, '~all');
    assert.match(info.what, /mechanism "all", qualifier "~": softfail/);
    assert.match(info.meaning, /Matches every address: gives softfail/);
    assert.equal(info.section, 'RFC 7208 §5.1');
    assert.equal(info.link, 'https://www.rfc-editor.org/rfc/rfc7208#section-5.1');
    assert.deepEqual(info.notes, []);

    const a = spfTermInfo(at(' a mx', 1).source, at(' a mx', 1).term, index);
    assert.match(a.meaning, /example\.net's A\/AAAA addresses/);
    assert.match(a.notes.join(' '), /Costs 1 of the 10 DNS-querying terms/);
    assert.equal(a.section, 'RFC 7208 §5.3');
  });

  it('follows include: into the workspace, and names targets outside it', () => {
    const inside = at('include:_spf', 3);
    const info = spfTermInfo(inside.source, inside.term, index);
    assert.equal(info.target, '_spf.example.net');
    assert.equal(info.workspace?.record, 'v=spf1 ip4:192.0.2.0/24 a:relay.example.net -all');
    assert.equal(info.workspace?.lookups.total, 1);
    const outside = spfTermInfo(at('include:outside', 3).source, at('include:outside', 3).term, index);
    assert.equal(outside.target, 'outside.example');
    assert.equal(outside.workspace, undefined);
  });

  it('describes the record itself on v=spf1', () => {
    const hit = at('v=spf1 a', 2);
    assert.equal(hit.term, undefined);
    const info = spfTermInfo(hit.source, undefined, index);
    assert.equal(info.section, 'RFC 7208 §4.5');
    assert.match(info.notes[0], /^5 of the 10 DNS-querying terms .*following _spf\.example\.net in the workspace; not counting what happens inside outside\.example\./);
  });

  it('titles the lens with the static count, then the live one', () => {
    const apex = sources.find((s) => s.record.owner === 'example.net.')!;
    const count = staticLookupCount(apex, index);
    assert.equal(lookupLensText(count).title, 'SPF: 5/10 DNS lookups (+ inside outside.example)');
    assert.match(lookupLensText(count).tooltip, /counted with live lookups on/);
    const live = { total: 8, static: count, branches: [{ domain: 'outside.example', record: 'v=spf1 a mx a:x.example -all', lookups: 3, complete: true, result: 'fail' as const }], uncounted: [] };
    assert.equal(lookupLensText(count, live).title, 'SPF: 8/10 DNS lookups (live)');
    assert.match(lookupLensText(count, live).tooltip, /outside\.example: 3 more lookups inside \(v=spf1 a mx a:x\.example -all\)/);
    const spf = sources.find((s) => s.record.owner === '_spf.example.net.')!;
    assert.equal(lookupLensText(staticLookupCount(spf, index)).title, 'SPF: 1/10 DNS lookups');
    const over = { ...live, total: 12 };
    assert.equal(lookupLensText(count, over).title, 'SPF: 12/10 DNS lookups, over the limit (live)');
  });
});

describe('live lookup counts through check_host()', () => {
  let dns: FaultDnsServer;
  before(async () => {
    dns = await startFaultDns({
      records: {
        'outside.example': { TXT: ['v=spf1 a mx include:deep.example -all'], A: ['192.0.2.50'] },
        'deep.example': { TXT: ['v=spf1 a:one.deep.example a:two.deep.example ~all'] },
        'none.example': { A: ['192.0.2.60'] },
      },
      behaviours: { 'broken.example': { kind: 'rcode', rcode: 'SERVFAIL' } },
    });
  });
  after(() => dns.stop());
  const options = () => ({ resolver: createResolver({ servers: [dns.server], timeoutMs: 1000, retries: 0 }) });

  it('gives a branch its record and every lookup inside it', async () => {
    const b = await spfBranch('outside.example.', options());
    assert.equal(b.domain, 'outside.example');
    assert.equal(b.record, 'v=spf1 a mx include:deep.example -all');
    assert.equal(b.lookups, 5); // a, mx, include, and deep's two a:
    assert.equal(b.complete, true);
    assert.match(b.dig ?? '', /dig @127\.0\.0\.1 -p \d+ outside\.example TXT/);
  });

  it('says why a branch has no record, and when a lookup failed', async () => {
    const none = await spfBranch('none.example', options());
    assert.equal(none.record, undefined);
    assert.equal(none.lookups, 0);
    assert.ok(none.note);
    const broken = await spfBranch('broken.example', options());
    assert.equal(broken.complete, false);
    assert.equal(broken.result, 'temperror');
  });

  it('adds the branches outside the workspace to the static count', async () => {
    const z = zone();
    const index = new ZoneIndex([z]);
    const apex = spfSources(index).find((s) => s.record.owner === 'example.net.')!;
    const live = await liveLookupCount(apex, index, options());
    assert.equal(live.static.total, 5);
    assert.deepEqual(live.branches.map((b) => b.domain), ['outside.example']);
    assert.equal(live.total, 10);
    assert.equal(lookupLensText(live.static, live).title, 'SPF: 10/10 DNS lookups (live)');
  });
});

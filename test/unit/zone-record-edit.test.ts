// The record edit engine: a report's fix put into the zone file that holds the record, in the
// file's own style, with the serial bumped the way the file bumps it. Expected outputs are
// byte-exact: the diff touches only the record's line and the serial.
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { applyEdits } from '../../src/core/zone/edits';
import { fsReader } from '../../src/core/zone/fsReader';
import { parseZone } from '../../src/core/zone/parser';
import { nextSerial, planRecordEdit, quoteTxt, serialGreater, type RecordChange } from '../../src/core/zone/recordEdit';
import type { TextEdit, ZoneReader } from '../../src/core/zone/types';
import { findZoneFiles, parseWorkspace } from '../../src/core/zone/workspace';
import { ZoneIndex } from '../../src/core/zone/zoneIndex';
import { REPO_ROOT } from '../paths';

const NOW = new Date('2026-12-02T07:00:00Z');

interface Zone {
  file: string;
  origin: string;
}

function memReader(files: Record<string, string>): ZoneReader {
  return { read: (f) => files[f], resolve: (_from, target) => target };
}

/** Plans `change` on zones held in memory and returns every file's text after the edits. */
function edit(files: Record<string, string>, zones: Zone[], change: RecordChange, now = NOW) {
  const reader = memReader(files);
  const parsed = zones.map((z) => parseZone(files[z.file], { file: z.file, origin: z.origin, reader }));
  const out = planRecordEdit(new ZoneIndex(parsed), change, { now });
  if (!out.ok) return { out, texts: files };
  const byFile = new Map<string, TextEdit[]>();
  for (const e of out.plan.edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
  const texts: Record<string, string> = { ...files };
  for (const [f, edits] of byFile) texts[f] = applyEdits(files[f], edits);
  return { out, texts };
}

/** The lines that differ between two texts of the same line count, as [before, after]. */
function changedLines(a: string, b: string): [string, string][] {
  const la = a.split('\n');
  const lb = b.split('\n');
  assert.equal(la.length, lb.length, 'same number of lines');
  return la.flatMap((l, i) => (l === lb[i] ? [] : [[l, lb[i]] as [string, string]]));
}

const REVERSE_RELATIVE = `$TTL 3600
@       IN SOA  ns1.example.net. hostmaster.example.net. (
                2026030401 7200 3600 1209600 300 )
        IN NS   ns1.example.net.
25      IN PTR  smtp.example.net.
100     IN PTR  mail.example.net.
244     IN PTR  example.net.
`;

describe('record edits: change a record where it lives', () => {
  it('changes the PTR and bumps a date serial to today: only those two lines differ', () => {
    const files = { 'rev.zone': REVERSE_RELATIVE };
    const { out, texts } = edit(files, [{ file: 'rev.zone', origin: '113.0.203.in-addr.arpa' }], {
      op: 'set',
      owner: '100.113.0.203.in-addr.arpa',
      type: 'PTR',
      data: 'web6.example.net.',
    });
    assert.ok(out.ok, out.ok ? '' : out.reason);
    assert.deepEqual(changedLines(files['rev.zone'], texts['rev.zone']), [
      ['                2026030401 7200 3600 1209600 300 )', '                2026120200 7200 3600 1209600 300 )'],
      ['100     IN PTR  mail.example.net.', '100     IN PTR  web6.example.net.'],
    ]);
    assert.deepEqual(out.plan.serial, { file: 'rev.zone', from: 2026030401, to: 2026120200, style: 'date' });
    assert.match(out.plan.description, /Change 100\.113\.0\.203\.in-addr\.arpa PTR from mail\.example\.net to web6\.example\.net in rev\.zone; serial 2026030401 → 2026120200\./);
  });

  it('writes the target relative when the record writes it relative', () => {
    const text = `$ORIGIN example.com.
$TTL 300
@ SOA ns hostmaster 7 3600 600 86400 300
@ NS ns
ns A 192.0.2.1
www CNAME web1
web1 A 192.0.2.10
web2 A 192.0.2.11
`;
    const { out, texts } = edit({ z: text }, [{ file: 'z', origin: 'example.com' }], { op: 'set', owner: 'www.example.com.', type: 'CNAME', data: 'web2.example.com.' });
    assert.ok(out.ok);
    assert.equal(texts.z, text.replace('www CNAME web1', 'www CNAME web2').replace(' 7 3600', ' 8 3600'));
    assert.equal(out.plan.serial?.style, 'counter');
  });

  it('keeps one record of a multi-record set and removes the rest; a blank-owner line after it gets the owner', () => {
    const text = `$TTL 3600
@\tIN\tSOA\tns1.example.net. hostmaster.example.net. 2026120205 7200 3600 1209600 300
\tIN\tNS\tns1.example.net.
7\tIN\tPTR\told.example.net.
\tIN\tPTR\tgood.example.net.
8\tIN\tPTR\tx.example.net.
`;
    const { out, texts } = edit({ r: text }, [{ file: 'r', origin: '2.0.192.in-addr.arpa' }], { op: 'set', owner: '7.2.0.192.in-addr.arpa', type: 'PTR', data: 'good.example.net' });
    assert.ok(out.ok, out.ok ? '' : out.reason);
    // Already today's serial: nn + 1.
    assert.equal(
      texts.r,
      `$TTL 3600
@\tIN\tSOA\tns1.example.net. hostmaster.example.net. 2026120206 7200 3600 1209600 300
\tIN\tNS\tns1.example.net.
7\tIN\tPTR\tgood.example.net.
8\tIN\tPTR\tx.example.net.
`,
    );
  });

  it('removes a record', () => {
    const text = `example.org. 3600 IN SOA ns.example.org. h.example.org. 41 1 1 1 1
example.org. 3600 IN NS ns.example.org.
example.org. 3600 IN MX 10 mail.example.org.
example.org. 3600 IN MX 20 old.example.org.
`;
    const { out, texts } = edit({ z: text }, [{ file: 'z', origin: 'example.org' }], { op: 'remove', owner: 'example.org', type: 'MX', data: '20 old.example.org.' });
    assert.ok(out.ok, out.ok ? '' : out.reason);
    assert.equal(texts.z, text.replace('example.org. 3600 IN MX 20 old.example.org.\n', '').replace(' 41 ', ' 42 '));
  });

  it('refuses a record made by $GENERATE, naming the line', () => {
    const text = `$TTL 3600
@ SOA ns.example.net. h.example.net. 1 1 1 1 1
@ NS ns.example.net.
$GENERATE 1-10 $ PTR host-$.example.net.
`;
    const { out } = edit({ z: text }, [{ file: 'z', origin: '2.0.192.in-addr.arpa' }], { op: 'set', owner: '5.2.0.192.in-addr.arpa', type: 'PTR', data: 'mail.example.net.' });
    assert.equal(out.ok, false);
    assert.match(out.ok ? '' : out.reason, /\$GENERATE line \(z:4\)/);
  });

  it('says when no zone of the workspace holds the name', () => {
    const { out } = edit({ r: REVERSE_RELATIVE }, [{ file: 'r', origin: '113.0.203.in-addr.arpa' }], { op: 'set', owner: '7.100.51.198.in-addr.arpa', type: 'PTR', data: 'a.example.' });
    assert.equal(out.ok, false);
    assert.ok(!out.ok && out.outside);
  });
});

describe('record edits: add a record in the file\'s style', () => {
  it('adds a PTR in numeric order, aligned to the columns, relative owner', () => {
    const files = { 'rev.zone': REVERSE_RELATIVE };
    const { out, texts } = edit(files, [{ file: 'rev.zone', origin: '113.0.203.in-addr.arpa' }], { op: 'set', owner: '77.113.0.203.in-addr.arpa.', type: 'PTR', data: 'backup.example.net.' });
    assert.ok(out.ok, out.ok ? '' : out.reason);
    assert.equal(texts['rev.zone'], REVERSE_RELATIVE.replace('2026030401', '2026120200').replace('100     IN PTR', '77      IN PTR  backup.example.net.\n100     IN PTR'));
  });

  it('RFC 2317 labels sort by their number among the addresses: 100 goes after 70.64/26, 8 after 7, 1 before 2', () => {
    const text = '$TTL 3600\n@ SOA ns1.example.net. h.example.net. 5 7200 3600 1209600 300\n@ NS ns1.example.net.\n2 PTR a.example.net.\n7 PTR b.example.net.\n200 PTR c.example.net.\n70.64/26 PTR d.example.net.\n';
    const add = (n: string) => edit({ r: text }, [{ file: 'r', origin: '100.51.198.in-addr.arpa' }], { op: 'add', owner: `${n}.100.51.198.in-addr.arpa`, type: 'PTR', data: `n${n}.example.net.` }).texts.r;
    assert.equal(add('100'), text.replace(' 5 ', ' 6 ').replace('d.example.net.\n', 'd.example.net.\n100 PTR n100.example.net.\n'));
    assert.equal(add('8'), text.replace(' 5 ', ' 6 ').replace('b.example.net.\n', 'b.example.net.\n8 PTR n8.example.net.\n'));
    assert.equal(add('1'), text.replace(' 5 ', ' 6 ').replace('2 PTR', '1 PTR n1.example.net.\n2 PTR'));
  });

  it('absolute owners, TTL and class columns: written the same way', () => {
    const text = `example.org.      3600  IN  SOA  ns.example.org. h.example.org. 2026120101 1 1 1 1
example.org.      3600  IN  NS   ns.example.org.
mail.example.org. 3600  IN  A    192.0.2.25
www.example.org.  3600  IN  A    192.0.2.80
`;
    const { out, texts } = edit({ z: text }, [{ file: 'z', origin: 'example.org' }], { op: 'add', owner: 'relay.example.org', type: 'A', data: '192.0.2.26', ttl: 300 });
    assert.ok(out.ok, out.ok ? '' : out.reason);
    assert.equal(
      texts.z,
      text
        .replace('2026120101', '2026120200')
        .replace('www.example.org.  3600', 'relay.example.org. 300  IN  A    192.0.2.26\nwww.example.org.  3600'),
    );
  });

  it('a second record at an owner written with blank owners: a blank owner after the group', () => {
    const text = `$TTL 1h
@  IN SOA ns hm 100 1 1 1 1
   IN NS  ns
mail IN A 192.0.2.25
     IN AAAA 2001:db8::25
www IN A 192.0.2.80
`;
    const { out, texts } = edit({ z: text }, [{ file: 'z', origin: 'example.com' }], { op: 'add', owner: 'mail.example.com', type: 'TXT', data: '"v=spf1 -all"' });
    assert.ok(out.ok, out.ok ? '' : out.reason);
    assert.equal(texts.z, text.replace(' 100 ', ' 101 ').replace('     IN AAAA 2001:db8::25\n', '     IN AAAA 2001:db8::25\n     IN TXT "v=spf1 -all"\n'));
  });

  it('keeps CRLF line ends', () => {
    const text = REVERSE_RELATIVE.replace(/\n/g, '\r\n');
    const { out, texts } = edit({ r: text }, [{ file: 'r', origin: '113.0.203.in-addr.arpa' }], { op: 'add', owner: '250.113.0.203.in-addr.arpa', type: 'PTR', data: 'z.example.net.' });
    assert.ok(out.ok);
    assert.equal(texts.r, text.replace('2026030401', '2026120200') + '250     IN PTR  z.example.net.\r\n');
  });
});

describe('record edits: $INCLUDE and RFC 2317', () => {
  it('changes the record in the included file and the serial in the file with the SOA', () => {
    const main = `$TTL 3600
@ IN SOA ns1.example.net. hostmaster.example.net. 2026120100 7200 3600 1209600 300
  IN NS ns1.example.net.
$INCLUDE ptrs.inc
`;
    const inc = `10 IN PTR a.example.net.
11 IN PTR b.example.net.
`;
    const files = { 'main.zone': main, 'ptrs.inc': inc };
    const { out, texts } = edit(files, [{ file: 'main.zone', origin: '2.0.192.in-addr.arpa' }], { op: 'set', owner: '11.2.0.192.in-addr.arpa', type: 'PTR', data: 'mail.example.net.' });
    assert.ok(out.ok, out.ok ? '' : out.reason);
    assert.equal(out.plan.file, 'ptrs.inc');
    assert.equal(texts['ptrs.inc'], inc.replace('b.example.net.', 'mail.example.net.'));
    assert.equal(texts['main.zone'], main.replace('2026120100', '2026120200'));
    assert.match(out.plan.description, /in ptrs\.inc; serial 2026120100 → 2026120200 in main\.zone\./);
  });

  it('a classless delegation: the PTR lands under the CNAME\'d name in the customer\'s zone', () => {
    const parent = `$TTL 3600
@ IN SOA ns1.example.org. noc.example.org. 2026030401 1 1 1 1
  IN NS ns1.example.org.
64/26 IN NS ns1.example.net.
$GENERATE 64-127 $ CNAME $.64/26.100.51.198.in-addr.arpa.
`;
    const child = `$TTL 3600
@ IN SOA ns1.example.net. hostmaster.example.net. 17 1 1 1 1
  IN NS ns1.example.net.
70 IN PTR relay.example.net.
`;
    const files = { parent, child };
    const zones = [
      { file: 'parent', origin: '100.51.198.in-addr.arpa' },
      { file: 'child', origin: '64/26.100.51.198.in-addr.arpa' },
    ];
    const { out, texts } = edit(files, zones, { op: 'set', owner: '100.100.51.198.in-addr.arpa', type: 'PTR', data: 'new.example.net.' });
    assert.ok(out.ok, out.ok ? '' : out.reason);
    assert.equal(out.plan.owner, '100.64/26.100.51.198.in-addr.arpa.');
    assert.deepEqual(out.plan.via, ['100.100.51.198.in-addr.arpa']);
    assert.equal(texts.parent, parent, 'the parent zone is not touched');
    assert.equal(texts.child, child.replace(' 17 ', ' 18 ').replace('70 IN PTR relay.example.net.\n', '70 IN PTR relay.example.net.\n100 IN PTR new.example.net.\n'));
    // And changing the existing one.
    const again = edit(files, zones, { op: 'set', owner: '70.100.51.198.in-addr.arpa', type: 'PTR', data: 'relay2.example.net.' });
    assert.ok(again.out.ok);
    assert.equal(again.texts.child, child.replace(' 17 ', ' 18 ').replace('relay.example.net.', 'relay2.example.net.'));
  });

  it('the demo workspace: the loop\'s PTR changed in place, exactly two lines', () => {
    const { files } = findZoneFiles([path.join(REPO_ROOT, 'demo', 'zones')]);
    const zones = parseWorkspace(files, fsReader());
    const out = planRecordEdit(new ZoneIndex(zones), { op: 'set', owner: '100.113.0.203.in-addr.arpa', type: 'PTR', data: 'web6.example.net.' }, { now: NOW });
    assert.ok(out.ok, out.ok ? '' : out.reason);
    assert.equal(path.basename(out.plan.file), '113.0.203.in-addr.arpa.zone');
    assert.equal(out.plan.edits.length, 2);
    const src = zones.find((z) => z.file === out.plan.file)!.sources.get(out.plan.file)!.text;
    const after = applyEdits(src, out.plan.edits);
    assert.deepEqual(changedLines(src, after), [
      ['                        2026030401 7200 3600 1209600 300 )', '                        2026120200 7200 3600 1209600 300 )'],
      ['100             IN PTR  mail.example.net.', '100             IN PTR  web6.example.net.'],
    ]);
  });
});

describe('record edits: the other reports\' fixes (SPF, DMARC, MX)', () => {
  const APEX = `$TTL 3600
@               IN SOA  ns1.example.net. hostmaster.example.net. (
                        2026030401 ; serial
                        7200 3600 1209600 300 )
                IN NS   ns1.example.net.
                IN MX   10 mail.example.net.
                IN MX   20 smtp.example.net.
                IN TXT  "google-site-verification=abc"
                IN TXT  "v=spf1 ip4:203.0.113.25 ~all"
                IN A    203.0.113.51
www             IN CNAME example.net.
`;
  const zones = [{ file: 'net', origin: 'example.net' }];

  it('SPF: changes the SPF TXT record only, not the other TXT at the name (send-as fix)', () => {
    const fix = { owner: 'example.net', type: 'TXT', current: 'v=spf1 ip4:203.0.113.25 ~all', proposed: 'v=spf1 ip4:203.0.113.25 ip4:203.0.113.100 ~all' };
    const { out, texts } = edit({ net: APEX }, zones, { op: 'set', owner: fix.owner, type: 'TXT', data: fix.proposed, current: fix.current });
    assert.ok(out.ok, out.ok ? '' : out.reason);
    assert.deepEqual(changedLines(APEX, texts.net), [
      ['                        2026030401 ; serial', '                        2026120200 ; serial'],
      ['                IN TXT  "v=spf1 ip4:203.0.113.25 ~all"', '                IN TXT  "v=spf1 ip4:203.0.113.25 ip4:203.0.113.100 ~all"'],
    ]);
  });

  it('DMARC: a new _dmarc record goes after the apex, relative owner, in the columns; quotes escaped', () => {
    const { out, texts } = edit({ net: APEX }, zones, { op: 'add', owner: '_dmarc.example.net', type: 'TXT', data: 'v=DMARC1; p=none; rua=mailto:dmarc@example.net' });
    assert.ok(out.ok, out.ok ? '' : out.reason);
    assert.equal(
      texts.net,
      APEX.replace('2026030401', '2026120200').replace('www             IN CNAME', '_dmarc          IN TXT  "v=DMARC1; p=none; rua=mailto:dmarc@example.net"\nwww             IN CNAME'),
    );
  });

  it('MX: one MX of two changed, names written as the file writes them', () => {
    const { out, texts } = edit({ net: APEX }, zones, { op: 'set', owner: 'example.net', type: 'MX', data: '20 relay.example.net.', current: '20 smtp.example.net.' });
    assert.ok(out.ok, out.ok ? '' : out.reason);
    assert.deepEqual(changedLines(APEX, texts.net)[1], ['                IN MX   20 smtp.example.net.', '                IN MX   20 relay.example.net.']);
    const gone = edit({ net: APEX }, zones, { op: 'set', owner: 'example.net', type: 'MX', data: '20 relay.example.net.', current: '30 none.example.net.' });
    assert.match(gone.out.ok ? '' : gone.out.reason, /no MX record holding 30 none\.example\.net\./);
  });

  it('never adds a second SPF record: DNS had none, the file has one', () => {
    const { out } = edit({ net: APEX }, zones, { op: 'add', owner: 'example.net', type: 'TXT', data: 'v=spf1 ip4:192.0.2.1 -all' });
    assert.match(out.ok ? '' : out.reason, /^net:9 already has a v=spf1 record at example\.net, unlike DNS/);
  });

  it('TXT over 255 octets is split into strings', () => {
    const long = `v=spf1 ${'ip4:192.0.2.1 '.repeat(20)}-all`;
    const q = quoteTxt(long);
    assert.equal(q.split('" "').length, 2);
    assert.equal(q.replace(/" "/g, '').replace(/^"|"$/g, ''), long);
    assert.equal(quoteTxt('a "b" \\c'), '"a \\"b\\" \\\\c"');
  });
});

describe('SOA serials (RFC 1982, RFC 1912 §2.2)', () => {
  it('date serials: today 00, or nn+1 when already today; a serial in the future goes +1', () => {
    assert.deepEqual(nextSerial(2026030401, NOW), { to: 2026120200, style: 'date' });
    assert.deepEqual(nextSerial(2026120200, NOW), { to: 2026120201, style: 'date' });
    assert.deepEqual(nextSerial(2026120299, NOW), { to: 2026120300, style: 'date' });
    assert.deepEqual(nextSerial(2027010100, NOW), { to: 2027010101, style: 'date' });
  });
  it('counters +1, wrapping by serial arithmetic; time serials take now', () => {
    assert.deepEqual(nextSerial(41, NOW), { to: 42, style: 'counter' });
    assert.deepEqual(nextSerial(4294967295, NOW), { to: 0, style: 'counter' });
    const secs = Math.floor(NOW.getTime() / 1000);
    assert.deepEqual(nextSerial(secs - 5000, NOW), { to: secs, style: 'unixtime' });
    // A time serial ahead of the clock never goes back.
    assert.deepEqual(nextSerial(secs + 5000, NOW), { to: secs + 5001, style: 'unixtime' });
  });
  it('serialGreater follows RFC 1982 §3.2', () => {
    assert.ok(serialGreater(0, 4294967295));
    assert.ok(!serialGreater(4294967295, 0));
    assert.ok(serialGreater(2026120200, 2026030401));
    assert.ok(!serialGreater(5, 5));
  });
});

describe('record edits on zones in many styles (the shared corpus: BIND\'s and Knot\'s zones BIND loads)', () => {
  const root = path.join(process.env.MAILDNS_CORPORA ?? '/work/shared/corpora', 'zones');
  const manifestFile = path.join(root, 'manifest.json');

  it('changing an A record or adding a TXT keeps every other record, re-parses to the change and adds no error', (t) => {
    if (!existsSync(manifestFile)) {
      if (process.env.MAILDNS_ALLOW_SKIP === '1') return t.skip('no shared corpus (MAILDNS_ALLOW_SKIP=1)');
      assert.fail(`the shared zone corpus is not on this machine (${manifestFile}); MAILDNS_ALLOW_SKIP=1 skips this test`);
    }
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { relpath: string; origin: string; gold: string }[];
    let tried = 0;
    for (const m of manifest.filter((x) => x.gold === 'accept')) {
      const file = path.join(root, m.relpath);
      const text = readFileSync(file, 'latin1');
      const parse = (src: string) => parseZone(src, { file, origin: m.origin });
      const zone = parse(text);
      const errors = (z: typeof zone) => z.diagnostics.filter((d) => d.severity === 'error').length;
      const index = new ZoneIndex([zone]);
      const a = zone.records.find((r) => r.type === 'A' && !r.generated && r.file === file && index.zoneFor(r.owner) && index.recordsOfType(r.owner, 'A').length === 1);
      const changes: RecordChange[] = [];
      if (a) changes.push({ op: 'set', owner: a.owner, type: 'A', data: '192.0.2.254' });
      const host = zone.records.find((r) => r.type !== 'SOA' && !r.generated && r.file === file && index.zoneFor(r.owner) && index.recordsOfType(r.owner, 'TXT').length === 0);
      if (host) changes.push({ op: 'add', owner: host.owner, type: 'TXT', data: 'maildns "edit" test' });
      for (const change of changes) {
        const out = planRecordEdit(index, change, { now: NOW });
        if (!out.ok) continue; // refused with a reason (a shared line, an odd serial): nothing written
        tried++;
        const edited = applyEdits(text, out.plan.edits.filter((e) => e.file === file));
        const after = parse(edited);
        const where = `${m.relpath}: ${change.op} ${change.owner} ${change.type}`;
        assert.equal(errors(after), errors(zone), `${where}: no new error\n${after.diagnostics.map((d) => d.message).join('\n')}`);
        assert.equal(after.records.length, zone.records.length + (change.op === 'add' ? 1 : 0), where);
        const now = new ZoneIndex([after]).recordsOfType(change.owner, change.type);
        if (change.type === 'A') assert.deepEqual(now.map((r) => r.address), ['192.0.2.254'], where);
        else assert.ok(now.some((r) => r.rdata.map((x) => x.text).join('') === 'maildns \\"edit\\" test'), where);
        // Only the record's line and the serial: at most one line more, at most two lines differ.
        const la = text.split('\n');
        const lb = edited.split('\n');
        assert.ok(lb.length - la.length === (change.op === 'add' ? 1 : 0), where);
        if (change.op === 'set') assert.ok(la.filter((l, i) => l !== lb[i]).length <= 2, where);
      }
    }
    // 27 zones BIND loads: most have an A record to change and a name to add a TXT to.
    assert.ok(tried >= 30, `only ${tried} edits tried`);
  });
});

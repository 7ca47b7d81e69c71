// The zone parser and linter do work proportional to their input: each test runs an input and the
// same input twice as big and checks that the work roughly doubles. Work is counted, never timed:
// the parser's own counter (ParseOptions.stats: characters read, each time read, and records
// made), and for the linter every read of a record's or a finding's fields, through proxies that
// count them.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { fixAllEdits } from '../../src/core/zone/edits';
import { lintZones, lintZonesStatic } from '../../src/core/zone/lint';
import { zoneOutline } from '../../src/core/zone/outline';
import { planRecordEdit } from '../../src/core/zone/recordEdit';
import { parseZone, type ParsedZone, type WorkStats } from '../../src/core/zone/parser';
import { spfSources, spfSourcesIn, staticLookupCount } from '../../src/core/zone/spfLint';
import type { ZoneFinding, ZoneReader } from '../../src/core/zone/types';
import { ZoneIndex } from '../../src/core/zone/zoneIndex';
import { parseKnotConf, parseNamedConf, parseNsdConf } from '../../src/core/zone/serverConfig';

const HEAD = '$TTL 60\n$ORIGIN example.com.\n@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n  NS ns1\nns1 A 192.0.2.1\n';

/** Twice the input, about twice the work: the ratio of the two counts. */
function ratio(work: (n: number) => number, n: number): { small: number; big: number; ratio: number } {
  const small = work(n);
  const big = work(2 * n);
  return { small, big, ratio: big / small };
}

function assertLinear(r: { small: number; big: number; ratio: number }, what: string, high = 2.3): void {
  assert.ok(r.small > 0, `${what}: no work counted`);
  assert.ok(r.ratio >= 1.6 && r.ratio <= high, `${what}: work ${r.small} → ${r.big} (×${r.ratio.toFixed(2)}) for twice the input`);
}

function parseWork(text: string, reader?: ZoneReader): number {
  const stats: WorkStats = { work: 0 };
  parseZone(text, { file: '/z/a.zone', origin: 'example.com', reader, stats });
  return stats.work;
}

const lines = (n: number, line: (i: number) => string) => Array.from({ length: n }, (_, i) => line(i)).join('\n') + '\n';

/** Counts reads of the fields of every object it wraps. */
function readCounter() {
  const counter = { reads: 0 };
  const wrap = <T extends object>(o: T): T =>
    new Proxy(o, {
      get(target, key) {
        counter.reads++;
        // The record itself as `this` for its getters: the parser's records make tokens from private fields.
        return Reflect.get(target, key);
      },
    });
  /** The zone with its records (and the array holding them) counted. */
  const zone = (z: ParsedZone): ParsedZone => ({ ...z, records: wrap(z.records.map(wrap)) });
  return { counter, wrap, zone };
}

/** Record reads of a static lint of the zone `text(n)` makes. */
function lintReads(text: (n: number) => string, extra?: (zones: ParsedZone[]) => void): (n: number) => number {
  return (n) => {
    const { counter, zone } = readCounter();
    const zones = [zone(parseZone(text(n), { file: '/z/a.zone', origin: 'example.com' }))];
    lintZonesStatic(zones);
    extra?.(zones);
    return counter.reads;
  };
}

describe('zone parser: work grows linearly with the input', () => {
  const shapes: [string, (n: number) => string][] = [
    ['records of every common kind', (n) => HEAD + lines(n, (i) => [`h${i} A 192.0.2.${i % 256}`, `  MX 10 mail${i}`, `t${i} TXT "a;b" "c" ; note`, `   AAAA 2001:db8::${i.toString(16)}`][i % 4])],
    ['issue 9 #6: lines that open a "(" and never close it', (n) => HEAD + lines(n, (i) => `h${i} TXT ( "x"`)],
    ['one "(" never closed, then ordinary records', (n) => HEAD + 'open TXT ( "x"\n' + lines(n, (i) => `h${i} A 192.0.2.1`)],
    ['"(" nested down the file, all closed at its end', (n) => HEAD + 'deep TXT ' + lines(n, () => '( "x"') + ')'.repeat(n) + '\n'],
    ['unclosed "(" with lone CR line ends', (n) => HEAD + lines(n, (i) => `h${i} TXT ( "x"`).replace(/\n/g, '\r')],
    ['")" without "(" on every line', (n) => HEAD + lines(n, (i) => `h${i} A 192.0.2.1 ) )`)],
    ['quoted strings not closed', (n) => HEAD + lines(n, (i) => `h${i} TXT "never closed ( ;`)],
    ['$GENERATE lines', (n) => HEAD + lines(n, (i) => `$GENERATE 1-4 g${i}-$ A 192.0.2.$`)],
  ];
  for (const [what, text] of shapes) {
    it(what, () => assertLinear(ratio((n) => parseWork(text(n)), 2000), what));
  }

  it('$INCLUDE of the same file on every line', () => {
    const reader: ZoneReader = { read: (f) => (f.endsWith('small.inc') ? 'a A 192.0.2.1\nb TXT ( "x"\n' : undefined) };
    assertLinear(
      ratio((n) => parseWork(HEAD + lines(n, () => '$INCLUDE small.inc'), reader), 1000),
      '$INCLUDE',
    );
  });

  it('issue 9 #6: 8,000 unclosed lines read each character a few times, not once per line', () => {
    const n = 8000;
    const text = HEAD + lines(n, (i) => `h${i} TXT ( "x"`);
    // Before: every such line read on to the end of the file, n²/2 lines' worth (about 480 M characters here).
    assert.ok(parseWork(text) < 3 * text.length, `${parseWork(text)} for ${text.length} characters`);
  });
});

describe('zone linter: work grows linearly with the input', () => {
  it('issue 9 #8: the duplicate-record rule (the same record n times)', () => {
    assertLinear(ratio(lintReads((n) => HEAD + lines(n, () => 'd A 192.0.2.7')), 1000), 'duplicates');
  });

  it('issue 9 #8: fix all over n duplicates', () => {
    const work = (n: number) => {
      const z = parseZone(HEAD + lines(n, () => 'd A 192.0.2.7'), { file: '/z/a.zone', origin: 'example.com' });
      const { counter, wrap } = readCounter();
      // Every finding, its fix and each edit counted.
      const findings = lintZonesStatic([z]).map((f) => wrap({ ...f, ...(f.fix ? { fix: wrap({ ...f.fix, edits: wrap(f.fix.edits.map(wrap)) }) } : {}) }));
      assert.equal(fixAllEdits(findings, '/z/a.zone').length, n - 1);
      return counter.reads;
    };
    assertLinear(ratio(work, 2000), 'fix all', 2.4);
  });

  it('fix all over n duplicates whose fixes each carry the serial bump: one bump, work still linear', () => {
    const work = (n: number) => {
      const { counter, wrap, zone } = readCounter();
      const z = zone(parseZone(HEAD + lines(n, () => 'd A 192.0.2.7'), { file: '/z/a.zone', origin: 'example.com' }));
      const findings = lintZonesStatic([z], { now: new Date('2026-12-02T00:00:00Z') }).map((f) => wrap({ ...f, ...(f.fix ? { fix: wrap({ ...f.fix, edits: wrap(f.fix.edits.map(wrap)) }) } : {}) }));
      const edits = fixAllEdits(findings, '/z/a.zone');
      assert.deepEqual([edits.length, edits.filter((e) => e.serial).map((e) => e.newText)], [n, ['2']]);
      return counter.reads;
    };
    assertLinear(ratio(work, 2000), 'fix all with serial bumps', 2.4);
  });

  it('fix all still takes the first of overlapping fixes, in order', () => {
    const f = (start: number, end: number, extra: Partial<ZoneFinding> = {}): ZoneFinding => ({
      code: 'x',
      severity: 'warning',
      message: 'm',
      file: '/z/a',
      start,
      end,
      fix: { description: 'd', edits: [{ file: '/z/a', start, end, newText: '' }] },
      ...extra,
    });
    const edits = fixAllEdits([f(10, 20), f(15, 25), f(20, 20), f(20, 20), f(5, 10), f(12, 12), f(30, 40, { fix: { description: 'two', edits: [{ file: '/z/a', start: 30, end: 35, newText: '' }, { file: '/z/a', start: 33, end: 40, newText: '' }] } }), f(40, 41)], '/z/a');
    assert.deepEqual(
      edits.map((e) => [e.start, e.end]),
      [
        [5, 10],
        [10, 20],
        [20, 20],
        [40, 41],
      ],
    );
  });

  it('issue 9 #7: the SPF rules over n SPF records', () => {
    assertLinear(ratio(lintReads((n) => HEAD + lines(n, (i) => `s${i} TXT "v=spf1 a mx include:s${i + 1}.example.com -all"`)), 1000), 'SPF records');
  });

  it('issue 9 #7: $GENERATE 0-n s$ TXT "v=spf1"', () => {
    assertLinear(ratio(lintReads((n) => `${HEAD}$GENERATE 0-${n - 1} s$ TXT "v=spf1"\n`), 1000), '$GENERATE SPF');
  });

  it('issue 9 #7: includes that fan out (each record includes the next two) are counted in bounded work', () => {
    const text = (n: number) => HEAD + lines(n, (i) => `r${i} TXT "v=spf1 include:r${i + 1}.example.com include:r${i + 2}.example.com -all"`);
    assertLinear(ratio(lintReads(text), 200), 'SPF include fan-out');
    const z = parseZone(text(40), { file: '/z/a.zone', origin: 'example.com' });
    const index = new ZoneIndex([z]);
    const first = spfSources(index).find((s) => s.record.owner === 'r0.example.com.')!;
    const count = staticLookupCount(first, index);
    assert.equal(count.partial, true);
    assert.ok(count.total > 100 && count.total < 110, String(count.total));
    const lint = lintZonesStatic([z]).find((f) => f.code === 'spf-too-many-lookups' && f.start === first.record.rdata[0].start)!;
    assert.match(lint.message, /^\d+ or more DNS-querying terms/);
  });

  it('issue 9 #7: the lens and hover reuse the lint\'s counts instead of counting again per record', () => {
    const { counter, zone } = readCounter();
    const z = zone(parseZone(HEAD + lines(500, (i) => `s${i} TXT "v=spf1 include:s${i + 1}.example.com -all"`), { file: '/z/a.zone', origin: 'example.com' }));
    const index = new ZoneIndex([z]);
    const counts = spfSourcesIn(index, '/z/a.zone').map((s) => staticLookupCount(s, index));
    assert.equal(counts.length, 500);
    const before = counter.reads;
    // The lens asks again for every record of the file: the same answers, no record read again.
    const again = spfSourcesIn(index, '/z/a.zone').map((s) => staticLookupCount(s, index));
    assert.equal(counter.reads, before);
    assert.ok(again.every((c, i) => c === counts[i]));
    assert.deepEqual(spfSourcesIn(index, '/z/other.zone'), []);
  });

  it('an owner with n records that n MX records point at', () => {
    assertLinear(ratio(lintReads((n) => HEAD + lines(n, (i) => `big TXT "t${i}"\nm${i} MX 10 big`)), 1000), 'MX targets');
  });

  it('n PTR records of one address, each to a name without it', async () => {
    const work = async (n: number) => {
      const { counter, zone } = readCounter();
      const reverse = `$TTL 60\n@ SOA ns1.example.com. h 1 2 3 4 5\n  NS ns1.example.com.\n${lines(n, (i) => `50 PTR b${i}.example.com.`)}`;
      const forward = HEAD + lines(n, (i) => `a${i} A 192.0.2.50`);
      const zones = [zone(parseZone(reverse, { file: '/z/r.zone', origin: '2.0.192.in-addr.arpa' })), zone(parseZone(forward, { file: '/z/a.zone', origin: 'example.com' }))];
      const findings = await lintZones(zones);
      assert.equal(findings.filter((f) => f.code === 'ptr-target-no-address').length, n);
      return counter.reads;
    };
    const small = await work(500);
    const big = await work(1000);
    assertLinear({ small, big, ratio: big / small }, 'PTR records of one address');
  });

  it('issue 13: n mail hosts without a PTR, each fix placed among a reverse zone of n PTRs (and its serial bumped)', async () => {
    // Mail host mx<i> has 10.0.<i/128>.<odd>; the reverse zone holds the even neighbours. Each fix
    // finds its neighbour through an index made once, not by going through the zone's records.
    const at = (i: number, odd: number) => `${2 * (i & 127) + odd}.${i >> 7}`;
    const work = async (n: number) => {
      const { counter, zone } = readCounter();
      const reverse = `$TTL 60\n@ SOA ns1.example.com. h 1 2 3 4 5\n  NS ns1.example.com.\n${lines(n, (i) => `${at(i, 0)} PTR h${i}.example.com.`)}`;
      const forward = HEAD + lines(n, (i) => `m${i} MX 10 mx${i}\nmx${i} A 10.0.${i >> 7}.${2 * (i & 127) + 1}\nh${i} A 10.0.${i >> 7}.${2 * (i & 127)}`);
      const zones = [zone(parseZone(reverse, { file: '/z/r.zone', origin: '0.10.in-addr.arpa' })), zone(parseZone(forward, { file: '/z/a.zone', origin: 'example.com' }))];
      const fixes = (await lintZones(zones, { now: new Date('2026-12-02T00:00:00Z') })).filter((f) => f.code === 'mailhost-no-ptr').map((f) => f.fix!);
      assert.equal(fixes.length, n);
      // The PTR of 10.0.0.1 goes right after the line of 0.0 (its nearest owner before it), with the bump.
      const first = fixes.find((f) => f.description.startsWith('Add a PTR record for 10.0.0.1:'))!;
      const line0 = reverse.indexOf('0.0 PTR');
      assert.deepEqual(
        first.edits.map((e) => [e.start, e.newText]),
        [
          [reverse.indexOf('\n', line0) + 1, '1.0 PTR mx0.example.com.\n'],
          [reverse.indexOf(' 1 2 3 4 5') + 1, '2'],
        ],
      );
      return counter.reads;
    };
    const small = await work(500);
    const big = await work(1000);
    assertLinear({ small, big, ratio: big / small }, 'missing PTR fixes', 2.4);
  });

  it('issue 13: n record edits planned against a zone of n records whose SOA comes last, each with its serial bump', () => {
    const work = (n: number) => {
      const { counter, zone } = readCounter();
      const text = '$TTL 60\n$ORIGIN example.com.\n' + lines(n, (i) => `h${2 * i} A 192.0.2.${i % 250}`) + '@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n  NS ns1\nns1 A 192.0.2.1\n';
      const index = new ZoneIndex([zone(parseZone(text, { file: '/z/a.zone', origin: 'example.com' }))]);
      for (let i = 0; i < n; i++) {
        const planned = planRecordEdit(index, { op: 'add', owner: `h${2 * i + 1}.example.com`, type: 'A', data: '192.0.2.9' }, { now: new Date('2026-12-02T00:00:00Z') });
        assert.ok(planned.ok && planned.plan.edits.length === 2, JSON.stringify(planned));
      }
      return counter.reads;
    };
    assertLinear(ratio(work, 500), 'record edits with serial bumps', 2.4);
  });

  it('issue 13: n PTR changes planned (a report\'s fixes) against a reverse zone of n owners with two PTRs each', () => {
    const work = (n: number) => {
      const { counter, zone } = readCounter();
      const text = `$TTL 60\n@ SOA ns1.example.com. h 1 2 3 4 5\n  NS ns1.example.com.\n${lines(n, (i) => `${i & 255}.${i >> 8} PTR a${i}\n${i & 255}.${i >> 8} PTR b${i}.example.com.`)}`;
      const index = new ZoneIndex([zone(parseZone(text, { file: '/z/r.zone', origin: '10.in-addr.arpa' }))]);
      for (let i = 0; i < n; i++) {
        const planned = planRecordEdit(index, { op: 'set', owner: `${i & 255}.${i >> 8}.10.in-addr.arpa`, type: 'PTR', data: `c${i}.example.com.` }, { now: new Date('2026-12-02T00:00:00Z') });
        // One changed, the other removed, the serial bumped.
        assert.ok(planned.ok && planned.plan.edits.length === 3, JSON.stringify(planned));
      }
      return counter.reads;
    };
    assertLinear(ratio(work, 500), 'PTR changes', 2.4);
  });

  it('the type 99 SPF rule and SPF records repeated at one owner', () => {
    assertLinear(ratio(lintReads((n) => HEAD + lines(n, (i) => `x SPF "v=spf1 ip4:192.0.2.${i % 256} -all"\nx TXT "v=spf1 ip4:192.0.2.${i % 256} -all"`)), 500), 'type 99 and multiple SPF', 2.4);
  });

  it('finding the zone for a name does not go through every zone (a workspace of 2,000 zones)', () => {
    const n = 2000;
    const zones = Array.from({ length: n }, (_, i) => parseZone(`$TTL 60\n@ SOA ns1 h 1 2 3 4 5\n NS ns1\nns1 A 192.0.2.1\n`, { file: `/z/${i}.zone`, origin: `z${i}.example` }));
    const index = new ZoneIndex(zones);
    const { counter, wrap } = readCounter();
    (index as { zones: unknown }).zones = wrap(index.zones);
    for (let i = 0; i < n; i++) assert.equal(index.zoneFor(`ns1.z${i}.example.`)?.origin, `z${i}.example.`);
    assert.equal(index.zoneFor('ns1.elsewhere.example.'), undefined);
    // Before: each question went down the list of zones (4 M reads here); now at most its length.
    assert.ok(counter.reads <= n + 1, String(counter.reads));
  });
});

describe('issue 12: server configurations are read in work linear in their size', () => {
  const named = (n: number) => `options { directory "/var/named"; };\n/* views */\n` + lines(n, (i) => (i % 3 === 0 ? `view "v${i}" { zone "z${i}.example" { type primary; file "db.z${i}"; }; };` : `zone "z${i}.example" IN { type master; file "db.z${i}"; }; // note`));
  const nsd = (n: number) =>
    // Every zone names the last of a chain of n patterns: each pattern is looked at once, not once per zone.
    lines(n, (i) => `pattern:\n  name: p${i}\n${i > 0 ? `  include-pattern: p${i - 1}\n` : '  zonefile: "%s.zone"\n'}`) + lines(n, (i) => `zone:\n  name: z${i}.example\n  include-pattern: p${n - 1}\n`);
  const knot = (n: number) => 'template:\n  - id: default\n    storage: /var/lib/knot\nzone:\n' + lines(n, (i) => `  - domain: z${i}.example\n    file: db.z${i}`);
  it('named.conf with n zones (views, comments, options)', () => assertLinear(ratio((n) => parseNamedConf(named(n)).work, 2000), 'named.conf'));
  it('nsd.conf with n zones, each through a chain of n patterns', () => {
    assertLinear(ratio((n) => parseNsdConf(nsd(n)).work, 1000), 'nsd.conf');
    assert.equal(parseNsdConf(nsd(50)).zones[49].file, 'z49.example.zone');
  });
  it('knot.conf with n zones', () => assertLinear(ratio((n) => parseKnotConf(knot(n)).work, 2000), 'knot.conf'));
});

describe('issue 12: the load rules of BIND over n records', () => {
  it('n name servers of the apex, each with its address', () => {
    assertLinear(ratio(lintReads((n) => HEAD + lines(n, (i) => `@ NS ns${i}\nns${i} A 192.0.2.${i % 250}`)), 500), 'apex NS');
  });
  it('n CDS records against n DNSKEYs', () => {
    const key = (i: number) => `@ DNSKEY 257 3 8 AwEAA${(i + 1000).toString(36).padStart(3, 'a')}`;
    assertLinear(ratio(lintReads((n) => HEAD + lines(n, key) + lines(n, (i) => `@ CDS ${i} 8 2 ${'00'.repeat(32)}`)), 300), 'CDS');
  });
});

describe('zone linter: large lists', () => {
  it('issue 9 #9: an owner with 150,000 records gets its outline entry and its findings (no call stack overflow)', () => {
    const n = 150_000;
    const text = HEAD + 'big A 10.0.0.0\n' + lines(n - 1, (i) => `    A 10.${((i + 1) >> 16) & 255}.${((i + 1) >> 8) & 255}.${(i + 1) & 255}`) + 'big MX 10 ns1\n';
    const z = parseZone(text, { file: '/z/a.zone', origin: 'example.com' });
    const big = zoneOutline(z, '/z/a.zone').find((o) => o.name === 'big.example.com')!;
    assert.equal(big.children.length, n + 1);
    assert.equal(text.slice(big.start, big.start + 3), 'big');
    assert.equal(big.end, text.length - 1);
    assert.deepEqual(lintZonesStatic([z]).map((f) => f.code), []);
  });
});

// Targets `zone` and `zone-incremental`: master files built from real record syntax (RFC 1035 §5,
// RFC 3597 generic form, RFC 2308 $TTL, BIND's $GENERATE and TTL units) with $ORIGIN, $INCLUDE
// (an in-memory ZoneReader, loops included), parentheses, quotes, escapes and comments, then
// mutated; and the shared corpus of BIND and Knot test zones, mutated. Through the parser, the
// linter (a forward and a reverse zone together, for the PTR ↔ A rules), the outline, folding,
// SPF-term lookup and its hover text, and fix-all (whose edits must apply and re-parse).
import * as fc from 'fast-check';
import { strict as assert } from 'node:assert';
import { applyEdits, fixAllEdits } from '../../src/core/zone/edits';
import { lintZones } from '../../src/core/zone/lint';
import { foldingLines, zoneOutline } from '../../src/core/zone/outline';
import { type ParsedZone, parseZone, ZoneDocument } from '../../src/core/zone/parser';
import { lookupLensText, spfTermInfo } from '../../src/core/zone/spfInfo';
import { spfSources, spfTermAt, staticLookupCount } from '../../src/core/zone/spfLint';
import { ZoneBudget } from '../../src/core/zone/limits';
import type { ZoneReader } from '../../src/core/zone/types';
import { ZoneIndex } from '../../src/core/zone/zoneIndex';
import { zoneTexts } from './corpus';
import type { Target } from './harness';
import { applyStringOps, INTERESTING, joined, mutated, type StringOp } from './mutate';
import { mutatedSpfArb } from './spf';

/** Records one lint run may make here ($GENERATE included): enough to exercise the budget, not to time the machine. */
const budget = () => new ZoneBudget({ records: 5000 });

const label = fc.oneof(
  { weight: 8, arbitrary: fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,5}[a-z0-9])?$/) },
  { weight: 4, arbitrary: fc.constantFrom('mail', 'www', 'ns1', 'mx', 'h1', 'spf', '100', '5') },
  { weight: 1, arbitrary: fc.constantFrom('*', '_spf', '_dmarc', 'xn--bcher-kva', 'a\\.b', 'a\\046b', '\\065', '\\999', '\\', 'a"b', 'ü', 'a'.repeat(63), 'a'.repeat(64), '-x', 'MiXeD') },
);
const relName = fc.array(label, { minLength: 1, maxLength: 4 }).map((ls) => ls.join('.'));
const nameArb = fc.oneof(
  { weight: 5, arbitrary: relName },
  { weight: 2, arbitrary: relName.map((n) => `${n}.example.com.`) },
  { weight: 1, arbitrary: fc.constantFrom('@', '.', 'example.com.', 'mail', 'mail.example.com', 'ns1', 'www', '..', 'a..b', `${'a.'.repeat(130)}`, '100.2.0.192.in-addr.arpa.', '7') },
);
const ttlArb = fc.oneof({ weight: 6, arbitrary: fc.nat({ max: 86400 }).map(String) }, { weight: 1, arbitrary: fc.constantFrom('1h', '1h30m', '1W2D', '0', '2147483647', '2147483648', '4294967296', '-1', '1x', '1h1h', '99999999999999999999', '1s1m1h1d1w') });
const classArb = fc.oneof({ weight: 8, arbitrary: fc.constant('IN') }, { weight: 1, arbitrary: fc.constantFrom('in', 'CH', 'HS', 'CLASS1', 'CLASS65535', 'CLASS99999', 'ANY', 'NONE') });
const ipv4Arb = fc.oneof(fc.constantFrom('192.0.2.1', '192.0.2.100', '203.0.113.5', '198.51.100.7'), fc.ipV4(), fc.constantFrom('256.1.1.1', '1.2.3', '01.2.3.4', '1.2.3.4.5', '::1'));
const ipv6Arb = fc.oneof(fc.constantFrom('2001:db8::1', '::1', '::ffff:192.0.2.1'), fc.ipV6(), fc.constantFrom('2001:db8::1::1', 'g::1', '1.2.3.4'));
const quoted = fc.oneof(
  mutatedSpfArb,
  fc.string({ maxLength: 30 }),
  fc.constantFrom('v=DMARC1; p=none', 'semi;colon', 'a\\"b', 'back\\\\slash', '\\255\\000', 'x'.repeat(300), '(paren)', 'tab\there'),
).map((s) => `"${s.replace(/\n/g, ' ')}"`);

const rdataArb: fc.Arbitrary<[string, string]> = fc.oneof(
  { weight: 5, arbitrary: ipv4Arb.map((a): [string, string] => ['A', a]) },
  { weight: 2, arbitrary: ipv6Arb.map((a): [string, string] => ['AAAA', a]) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom('NS', 'CNAME', 'PTR', 'DNAME'), nameArb).map(([t, n]): [string, string] => [t, n]) },
  { weight: 3, arbitrary: fc.tuple(fc.oneof(fc.nat({ max: 100 }).map(String), fc.constantFrom('65536', '-1', 'x')), nameArb).map(([p, n]): [string, string] => ['MX', `${p} ${n}`]) },
  { weight: 4, arbitrary: fc.array(quoted, { minLength: 1, maxLength: 3 }).map((qs): [string, string] => ['TXT', qs.join(' ')]) },
  { weight: 1, arbitrary: fc.array(quoted, { minLength: 1, maxLength: 2 }).map((qs): [string, string] => ['SPF', qs.join(' ')]) },
  { weight: 1, arbitrary: mutatedSpfArb.map((s): [string, string] => ['TXT', s.replace(/[\n;()"]/g, ' ')]) },
  { weight: 2, arbitrary: fc.tuple(nameArb, nameArb, fc.array(ttlArb, { minLength: 5, maxLength: 5 }), fc.boolean()).map(([m, r, n, multi]): [string, string] => ['SOA', multi ? `${m} ${r} (\n  ${n[0]} ; serial\n  ${n.slice(1).join('\n  ')} )` : `${m} ${r} ${n.join(' ')}`]) },
  { weight: 1, arbitrary: fc.tuple(fc.nat({ max: 70000 }), fc.nat({ max: 100 }), fc.nat({ max: 70000 }), nameArb).map(([a, b, c, n]): [string, string] => ['SRV', `${a} ${b} ${c} ${n}`]) },
  { weight: 1, arbitrary: fc.constantFrom<[string, string]>(['CAA', '0 issue "ca.example"'], ['TYPE65534', '\\# 3 abcdef'], ['TYPE1', '\\# 4 c0000201'], ['A', '\\# 4 c0000201'], ['TYPE65534', '\\# 0'], ['TYPE0', '\\# 2 ab'], ['TYPE99999', 'x'], ['BOGUS', 'x'], ['A', '\\# 3 c00002'], ['TXT', '\\# 1 00'], ['NSEC', 'a.example.com. A RRSIG'], ['DS', '1 8 2 ABCD'], ['HINFO', '"cpu" "os"'], ['A', ''], ['MX', '10'], ['SSHFP', '1 1 ' + 'ab'.repeat(20)]) },
);

const recordLine = fc
  .tuple(fc.oneof({ weight: 4, arbitrary: nameArb }, { weight: 1, arbitrary: fc.constant('') }), fc.option(ttlArb, { nil: undefined }), fc.option(classArb, { nil: undefined }), rdataArb, fc.boolean(), fc.option(fc.string({ maxLength: 20 }), { nil: undefined }))
  .map(([owner, ttl, cls, [type, rdata], classFirst, comment]) => {
    const parts = [owner === '' ? ' ' : owner];
    if (classFirst) parts.push(...[cls, ttl].filter((x): x is string => x !== undefined));
    else parts.push(...[ttl, cls].filter((x): x is string => x !== undefined));
    parts.push(type, rdata);
    return parts.join(' ') + (comment !== undefined ? ` ; ${comment.replace(/\n/g, ' ')}` : '');
  });

const generateLine = fc
  .tuple(
    fc.oneof(fc.tuple(fc.nat({ max: 300 }), fc.nat({ max: 300 })).map(([a, b]) => `${a}-${b}`), fc.constantFrom('1-10', '1-100/7', '10-1', '0-4294967295', '0-99999999999', '1-', 'x', '1-10/0', '5-5', '0-100000')),
    fc.constantFrom('host-$', 'h${0,3,d}', '$.2.0.192.in-addr.arpa.', '${-1,2,x}', '${0,0,n}.ip6', '\\$x$', '$$', '${', '${1,2,3,4}', '${99999999999}', 'a$b$c$'),
    fc.constantFrom('A 192.0.2.$', 'PTR host-$.example.com.', 'CNAME h$', 'AAAA 2001:db8::$', 'TXT "v=spf1 ip4:192.0.2.$ -all"', 'A 192.0.2.${0,3,d}', 'IN 60 A 10.0.0.$', 'MX 10 mx$'),
  )
  .map(([range, lhs, rhs]) => `$GENERATE ${range} ${lhs} ${rhs}`);

const directive = fc.oneof(
  nameArb.map((n) => `$ORIGIN ${n}`),
  fc.constantFrom('$ORIGIN example.com.', '$ORIGIN 2.0.192.in-addr.arpa.', '$ORIGIN', '$ORIGIN a b'),
  ttlArb.map((t) => `$TTL ${t}`),
  fc.constantFrom('$INCLUDE hosts.inc', '$INCLUDE sub/nested.inc', '$INCLUDE loop.inc', '$INCLUDE main.zone', '$INCLUDE missing.inc', '$INCLUDE hosts.inc sub.example.com.', '$INCLUDE', '$INCLUDE "hosts.inc"', '$include hosts.inc', '$FOO bar'),
  generateLine,
);

const lineArb = fc.oneof({ weight: 8, arbitrary: recordLine }, { weight: 2, arbitrary: directive }, { weight: 1, arbitrary: fc.constantFrom('', '; comment', '   ', '(', ')', '" unclosed', '\\', '( ; open', ' IN A 192.0.2.9 )') });

/** A zone file: often with $TTL, $ORIGIN and an SOA first, then lines; line ends of every kind. */
export const zoneTextArb: fc.Arbitrary<string> = fc
  .tuple(fc.boolean(), joined(fc.array(lineArb, { minLength: 0, maxLength: 30 }), fc.constantFrom('\n', '\n', '\n', '\r\n', '\r', '\n\n')), fc.constantFrom('', '\n'))
  .map(([header, body, end]) => (header ? '$TTL 3600\n$ORIGIN example.com.\n@ IN SOA ns1 hostmaster ( 1 7200 3600 1209600 300 )\n  IN NS ns1\n' : '') + body + end);

const REVERSE = '$TTL 3600\n@ IN SOA ns1.example.com. hostmaster.example.com. 1 2 3 4 5\n IN NS ns1.example.com.\n';

/** An $INCLUDE world: a few files, one of which includes itself, one the main file. */
function readerFor(files: Record<string, string>): ZoneReader {
  return { read: (f) => files[f] };
}

export interface ZoneInput {
  main: string;
  reverse: string;
  includes: { hosts: string; nested: string; loop: string };
  origin: string | undefined;
  /** Offsets (as fractions of the text) to ask spfTermAt about. */
  probes: number[];
}

function zoneInputArb(): fc.Arbitrary<ZoneInput> {
  const corpus = zoneTexts();
  const base = corpus.length > 0 ? fc.oneof({ weight: 3, arbitrary: zoneTextArb }, { weight: 1, arbitrary: fc.constantFrom(...corpus) }) : zoneTextArb;
  const text = mutated(base, { pool: fc.oneof(lineArb, fc.constantFrom(...INTERESTING)), maxOps: 5, maxRepeat: 200 });
  const small = mutated(joined(fc.array(lineArb, { maxLength: 6 }), fc.constant('\n')), { maxOps: 2 });
  return fc.record({
    main: text,
    reverse: mutated(joined(fc.array(fc.oneof(fc.tuple(fc.nat({ max: 255 }), nameArb).map(([n, t]) => `${n} IN PTR ${t}`), lineArb), { maxLength: 8 }), fc.constant('\n')).map((b) => REVERSE + b), { maxOps: 2, cleanWeight: 3 }),
    includes: fc.record({ hosts: small, nested: small, loop: small.map((s) => `${s}\n$INCLUDE loop.inc\n`) }),
    origin: fc.constantFrom('example.com', 'example.com.', undefined, '', 'bad..origin', '.'),
    probes: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 4 }),
  });
}

function files(input: ZoneInput): Record<string, string> {
  return {
    '/z/main.zone': input.main,
    '/z/hosts.inc': input.includes.hosts,
    '/z/sub/nested.inc': input.includes.nested,
    '/z/loop.inc': input.includes.loop,
    '/z/2.0.192.in-addr.arpa.zone': input.reverse,
  };
}

function checkRanges(zone: ParsedZone, ctx: Parameters<Target<ZoneInput>['run']>[1]): void {
  ctx.check('zone-ranges', () => {
    for (const r of zone.records) {
      const len = zone.sources.get(r.file)?.text.length;
      if (len === undefined) return `record in unknown file ${r.file}`;
      if (!(r.start >= 0 && r.start <= r.end && r.end <= len)) return `record ${r.owner} ${r.type} at ${r.start}-${r.end} outside 0-${len}`;
    }
    for (const d of zone.diagnostics) {
      const len = zone.sources.get(d.file)?.text.length;
      if (len !== undefined && !(d.start >= 0 && d.start <= d.end && d.end <= len)) return `${d.code} at ${d.start}-${d.end} outside 0-${len}`;
    }
    return undefined;
  });
}

export const zoneTarget: Target<ZoneInput> = {
  name: 'zone',
  what: 'zone files from record syntax and the BIND/Knot corpus, mutated, with $INCLUDE/$GENERATE → parse, lint (with a reverse zone), outline, folding, SPF hover, fix-all',
  arbitrary: zoneInputArb,
  // 10 of its 50 went to server-config (issue 12), so the run stays at 1,000 per thousand.
  weight: 40,
  slice: 300,
  async run(input, ctx) {
    const fs = files(input);
    const reader = readerFor(fs);
    // One budget for the run, shared by both files, as a lint run shares it.
    const run = budget();
    const main = parseZone(input.main, { file: '/z/main.zone', origin: input.origin, reader, budget: run });
    const reverse = parseZone(input.reverse, { file: '/z/2.0.192.in-addr.arpa.zone', origin: '2.0.192.in-addr.arpa', reader, budget: run });
    checkRanges(main, ctx);
    const zones = [main, reverse];
    const findings = await lintZones(zones);
    ctx.check('zone-ranges', () => {
      for (const f of findings) {
        const len = zones.find((z) => z.sources.has(f.file))?.sources.get(f.file)?.text.length;
        if (len === undefined) return `finding ${f.code} in unknown file ${f.file}`;
        if (!(f.start >= 0 && f.start <= f.end && f.end <= len)) return `finding ${f.code} at ${f.start}-${f.end} outside 0-${len}`;
      }
      return undefined;
    });
    zoneOutline(main, '/z/main.zone');
    foldingLines(main, '/z/main.zone');
    const index = new ZoneIndex(zones);
    const sources = spfSources(index);
    for (const s of sources) lookupLensText(staticLookupCount(s, index));
    for (const p of input.probes) {
      const at = spfTermAt(sources, '/z/main.zone', Math.floor(p * input.main.length));
      if (at) spfTermInfo(at.source, at.term, index);
    }
    // Fix all: the edits must fit the text they are for, and the fixed text must parse again.
    const edits = fixAllEdits(findings, '/z/main.zone');
    ctx.check('zone-fix-edits', () => {
      const sorted = [...edits].sort((a, b) => a.start - b.start);
      for (let i = 0; i < sorted.length; i++) {
        const e = sorted[i];
        if (!(e.start >= 0 && e.start <= e.end && e.end <= input.main.length)) return `edit ${e.start}-${e.end} outside 0-${input.main.length}`;
        if (i > 0 && e.start < sorted[i - 1].end) return `edits overlap at ${e.start}`;
      }
      return undefined;
    });
    const fixed = applyEdits(input.main, edits);
    parseZone(fixed, { file: '/z/main.zone', origin: input.origin, reader, budget: budget() });
  },
};

// --- incremental == full -----------------------------------------------------------------------------

const EDIT_PIECES = ['(', ')', '"', ';', '\n', ' ', 'x', '\\', '.', '$', '\r', '\n$ORIGIN sub.example.com.\n', '\n$TTL 60\n', '\nh IN A 192.0.2.1\n', ' IN TXT "a;b" (\n', '$INCLUDE hosts.inc\n', '$GENERATE 1-3 g$ A 192.0.2.$\n', '\n@ IN SOA ns1 h 1 2 3 4 5\n'];

export interface IncrementalInput {
  base: string;
  include: string;
  edits: StringOp[][];
}

function same(a: ParsedZone, b: ParsedZone): string | undefined {
  try {
    assert.deepEqual(a.records, b.records);
    assert.deepEqual(a.diagnostics, b.diagnostics);
    assert.deepEqual(a.includes, b.includes);
    return undefined;
  } catch (e) {
    return (e as Error).message.slice(0, 1500);
  }
}

export const zoneIncrementalTarget: Target<IncrementalInput> = {
  name: 'zone-incremental',
  what: 'a zone and a sequence of random edits → ZoneDocument.update after each equals parseZone of the same text; the earlier result stays unchanged',
  arbitrary: () => {
    const corpus = zoneTexts();
    const base = corpus.length > 0 ? fc.oneof({ weight: 25, arbitrary: zoneTextArb }, { weight: 1, arbitrary: fc.constantFrom(...corpus) }) : zoneTextArb;
    const op = fc.oneof(
      fc.record({ op: fc.constant('insert' as const), at: fc.nat({ max: 1 << 20 }), text: fc.oneof(fc.constantFrom(...EDIT_PIECES), lineArb.map((l) => `${l}\n`)) }),
      fc.record({ op: fc.constant('delete' as const), at: fc.nat({ max: 1 << 20 }), len: fc.integer({ min: 1, max: 40 }) }),
      fc.record({ op: fc.constant('replace' as const), at: fc.nat({ max: 1 << 20 }), len: fc.integer({ min: 1, max: 8 }), text: fc.constantFrom(...EDIT_PIECES, ...INTERESTING) }),
    );
    return fc.record({
      base,
      include: fc.constantFrom('inc IN A 192.0.2.1\n', '', '( unclosed\n', 'x IN TXT "open\n'),
      edits: fc.array(fc.array(op, { minLength: 1, maxLength: 2 }), { minLength: 1, maxLength: 12 }),
    });
  },
  weight: 25,
  slice: 250,
  run(input, ctx) {
    const reader: ZoneReader = { read: (f) => (f === '/z/hosts.inc' ? input.include : undefined) };
    const options = { file: '/z/main.zone', origin: 'example.com', reader };
    const full = (t: string) => parseZone(t, { ...options, budget: budget() });
    const doc = new ZoneDocument(options);
    let text = input.base;
    ctx.check('zone-incremental', () => same(doc.update(text, budget()), full(text)));
    for (const [n, ops] of input.edits.entries()) {
      const before = doc.zone!;
      const snapshot = JSON.stringify(before.records.slice(-3));
      text = applyStringOps(text, ops);
      const got = doc.update(text, budget());
      ctx.check('zone-incremental', () => {
        const d = same(got, full(text));
        return d ? `after edit ${n} (${doc.lastUpdate.mode}): ${d}` : undefined;
      });
      ctx.check('zone-incremental', () => (JSON.stringify(before.records.slice(-3)) === snapshot ? undefined : `edit ${n} changed the result returned before it`));
    }
  },
};

// --- floods: one line repeated hundreds of times ----------------------------------------------------------

/** Lines with `$i` for the copy's number: the shapes whose checks could grow faster than the file. */
const FLOOD_LINES = [
  'www IN A 192.0.2.$b',
  'www IN CNAME h$i',
  '@ IN TXT "v=spf1 ip4:192.0.2.$b -all"',
  's$i IN TXT "v=spf1 include:s$n.example.com. -all"',
  's$i IN TXT "v=spf1 include:s$n.example.com. include:s$i.example.com. -all"',
  '$b.2.0.192.in-addr.arpa. IN PTR h$i',
  '@ IN MX $b alias$i\nalias$i IN CNAME www',
  'h$i IN A 192.0.2.$b\n$b.2.0.192.in-addr.arpa. IN PTR h$i',
  'c$i IN CNAME c$n',
  '*.w$i IN A 192.0.2.1',
  '$ORIGIN s$i.example.com.\nx IN A 192.0.2.1',
  'h$i IN TXT "v=spf1 a:h$n.example.com mx:h$n.example.com exists:%{i}.h$n.example.com -all"',
  'mx$i IN MX 10 mx$n',
  '$INCLUDE hosts.inc',
];

export interface FloodInput {
  line: string;
  copies: number;
  tail: string;
}

export const zoneFloodTarget: Target<FloodInput> = {
  name: 'zone-flood',
  what: 'one record shape repeated 100–600 times (same owner, include chains, PTR/A pairs, CNAME chains, $ORIGIN, $INCLUDE) → parse and lint',
  arbitrary: () =>
    fc.record({
      line: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...FLOOD_LINES) }, { weight: 1, arbitrary: lineArb.map((l) => l.replace(/(\w)(\s)/, '$1$$i$2')) }),
      copies: fc.integer({ min: 100, max: 600 }),
      tail: fc.constantFrom('', 's600 IN TXT "v=spf1 include:s0.example.com -all"', 'c600 IN CNAME c0'),
    }),
  weight: 1,
  slice: 20,
  async run(input) {
    const lines = ['$TTL 3600', '$ORIGIN example.com.', '@ IN SOA ns1 hostmaster ( 1 7200 3600 1209600 300 )', '  IN NS ns1'];
    for (let i = 0; i < input.copies; i++) lines.push(input.line.replace(/\$i/g, String(i)).replace(/\$n/g, String(i + 1)).replace(/\$b/g, String(i % 250)));
    lines.push(input.tail);
    const reader = readerFor({ '/z/hosts.inc': 'inc IN A 192.0.2.1\n' });
    const main = parseZone(lines.join('\n') + '\n', { file: '/z/main.zone', origin: 'example.com', reader, budget: budget() });
    await lintZones([main]);
  },
};

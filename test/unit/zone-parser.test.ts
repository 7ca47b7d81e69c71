import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { applyTemplate, parseRange, parseTemplate } from '../../src/core/zone/generate';
import { LineIndex } from '../../src/core/zone/lineIndex';
import { canonicalName } from '../../src/core/zone/names';
import { parseZone, type ParsedZone } from '../../src/core/zone/parser';
import { charStringBytes, parseTtl, splitCharString } from '../../src/core/zone/rdata';
import type { ZoneReader, ZoneRecord } from '../../src/core/zone/types';

const SOA = '@ IN SOA ns1 hostmaster ( 1 7200 3600 1209600 300 )\n  IN NS ns1\n';

function parse(text: string, origin: string | null = 'example.com', reader?: ZoneReader): ParsedZone {
  return parseZone(text, { file: '/zones/test.zone', origin: origin ?? undefined, reader });
}

function rows(z: ParsedZone): string[] {
  return z.records.map((r) => `${r.owner} ${r.ttl} ${r.class} ${r.type} ${r.address ?? r.target ?? r.rdata.map((t) => (t.quoted ? `"${t.text}"` : t.text)).join(' ')}`);
}

function codes(z: ParsedZone): string[] {
  return z.diagnostics.map((d) => d.code);
}

function mapReader(files: Record<string, string>): ZoneReader {
  return { read: (f) => files[f] };
}

describe('zone parser: RFC 1035 §5 master files', () => {
  it('inherits the owner from the record before, and `@` is the origin', () => {
    const z = parse(`$TTL 300\n${SOA}www IN A 192.0.2.1\n    IN AAAA 2001:db8::1\n`);
    assert.deepEqual(codes(z), []);
    assert.deepEqual(rows(z).slice(2), ['www.example.com. 300 IN A 192.0.2.1', 'www.example.com. 300 IN AAAA 2001:db8::1']);
    assert.equal(z.records[0].owner, 'example.com.');
    assert.equal(z.records[1].owner, 'example.com.');
    assert.equal(z.records[1].ownerToken, undefined);
  });

  it('reads TTL and class in either order, TTL units, and $TTL (RFC 2308 §4)', () => {
    const z = parse(`$TTL 1h30m\n${SOA}a 60 IN A 192.0.2.1\nb IN 2w A 192.0.2.2\nc A 192.0.2.3\nd 1W2d3H4m5S IN A 192.0.2.4\n`);
    assert.deepEqual(codes(z), []);
    assert.deepEqual(
      z.records.slice(2).map((r) => r.ttl),
      [60, 1209600, 5400, 604800 + 2 * 86400 + 3 * 3600 + 4 * 60 + 5],
    );
    assert.equal(parseTtl('1h30'), -1, 'every number needs a unit once units are used');
    assert.equal(parseTtl('4294967296'), -1);
  });

  it('without $TTL, a record without TTL takes the last explicit one, and the first is warned about once', () => {
    const z = parse(`@ IN SOA ns1 hostmaster 1 2 3 4 300\n  IN NS ns1\na 60 A 192.0.2.1\nb A 192.0.2.2\n`);
    assert.deepEqual(codes(z), ['zone-no-ttl']);
    assert.deepEqual(z.records.map((r) => r.ttl), [300, 300, 60, 60]);
  });

  it('follows $ORIGIN, relative and absolute', () => {
    const z = parse(`$TTL 300\n${SOA}$ORIGIN sub\nhost A 192.0.2.1\n$ORIGIN other.example.\n@ A 192.0.2.2\nx.y. A 192.0.2.3\n`);
    assert.deepEqual(codes(z), []);
    assert.deepEqual(
      z.records.slice(2).map((r) => r.owner),
      ['host.sub.example.com.', 'other.example.', 'x.y.'],
    );
    assert.equal(z.records[2].origin, 'sub.example.com.');
  });

  it('keeps `;` inside quotes, reads `\\"` and `\\DDD`, and joins parenthesised lines', () => {
    const text = `$TTL 300\n${SOA}t IN TXT "a;b \\"c\\"" \\065x ( "d"\n  "e" ) ; comment "not a string\n`;
    const z = parse(text);
    assert.deepEqual(codes(z), []);
    const t = z.records[2];
    assert.deepEqual(t.rdata.map((x) => x.text), ['a;b \\"c\\"', '\\065x', 'd', 'e']);
    assert.deepEqual(t.rdata.map((x) => x.quoted), [true, false, true, true]);
    assert.equal(text.slice(t.start, t.end), `t IN TXT "a;b \\"c\\"" \\065x ( "d"\n  "e" )`);
  });

  it('gives every token its offset, and LineIndex its line and column', () => {
    const text = `$TTL 300\n${SOA}mail  IN  MX  10  mx.example.net.\n`;
    const z = parse(text);
    const r = z.records[2];
    const lines = z.sources.get('/zones/test.zone')!.lines;
    const at = (o: number) => {
      const p = lines.position(o);
      return `${p.line}:${p.column}`;
    };
    assert.equal(text.slice(r.ownerToken!.start, r.ownerToken!.end), 'mail');
    assert.equal(text.slice(r.classToken!.start, r.classToken!.end), 'IN');
    assert.equal(text.slice(r.typeToken.start, r.typeToken.end), 'MX');
    assert.deepEqual(r.rdata.map((t) => text.slice(t.start, t.end)), ['10', 'mx.example.net.']);
    assert.equal(at(r.ownerToken!.start), '3:0');
    assert.equal(at(r.typeToken.start), '3:10');
    assert.equal(at(r.rdata[1].start), '3:18');
    assert.equal(r.preference, 10);
    assert.equal(r.target, 'mx.example.net.');
  });

  it('counts lone CR and CRLF line breaks the way editors do', () => {
    const li = new LineIndex('a\r\nb\rc\nd');
    assert.deepEqual([0, 3, 5, 7].map((o) => li.position(o).line), [0, 1, 2, 3]);
    const z = parse(`$TTL 300\r\n${SOA.replace(/\n/g, '\r\n')}w\tIN\tA\t192.0.2.1\r\n`);
    assert.deepEqual(codes(z), []);
    assert.equal(z.records[2].address, '192.0.2.1');
  });

  it('reads RFC 3597 generic types and data, and TYPEnnn for known types', () => {
    const z = parse(`$TTL 300\n${SOA}g IN TYPE65534 \\# 4 0A000001\nh IN TYPE1 192.0.2.7\ni CLASS1 TYPE16 \\# 3 026869\nj TYPE99 "v=spf1 -all"\n`);
    assert.deepEqual(codes(z), []);
    assert.deepEqual(z.records.slice(2).map((r) => `${r.class} ${r.type}${r.generic ? ' generic' : ''}`), ['IN TYPE65534 generic', 'IN A', 'IN TXT generic', 'IN SPF']);
    assert.equal(z.records[3].address, '192.0.2.7');
  });

  it('compares names case-insensitively and escapes the same way', () => {
    const z = parse(`$TTL 300\n${SOA}MiXed A 192.0.2.1\nmi\\088ed A 192.0.2.2\n`);
    assert.deepEqual(z.records.slice(2).map((r) => r.owner), ['mixed.example.com.', 'mixed.example.com.']);
    assert.equal(canonicalName('A\\.B.c'), 'a\\.b.c');
  });

  it('recovers after an error and goes on with the next entry', () => {
    const z = parse(`$TTL 300\n${SOA}a IN A 999.0.0.1\nb IN A 192.0.2.2\nc IN BOGUS x\nd IN A 192.0.2.4\n`);
    assert.deepEqual(codes(z), ['zone-bad-rdata', 'zone-unknown-type']);
    assert.deepEqual(z.records.slice(2).map((r) => r.owner), ['b.example.com.', 'd.example.com.']);
  });

  it('ends an unclosed ( at its own line, so the records after it are still read', () => {
    const text = `$TTL 300\n${SOA}a IN TXT ( "x"\nb IN A 192.0.2.2\n`;
    const z = parse(text);
    assert.deepEqual(codes(z), ['zone-unbalanced-parens']);
    assert.equal(text.slice(z.diagnostics[0].start, z.diagnostics[0].end), '(');
    assert.deepEqual(rows(z).slice(2), ['a.example.com. 300 IN TXT "x"', 'b.example.com. 300 IN A 192.0.2.2']);
  });

  it('ends an unclosed quote at the end of its line', () => {
    const text = `$TTL 300\n${SOA}a IN TXT "x y\nb IN A 192.0.2.2\n`;
    const z = parse(text);
    assert.deepEqual(codes(z), ['zone-unterminated-string']);
    assert.equal(text.slice(z.diagnostics[0].start, z.diagnostics[0].end), '"x y');
    assert.equal(z.records[3].address, '192.0.2.2');
  });

  it('reports a missing origin once, not for every relative name', () => {
    const z = parse(`$TTL 300\n@ IN SOA ns1 hostmaster 1 2 3 4 5\na A 192.0.2.1\nb A 192.0.2.2\nc.example. A 192.0.2.3\n`, null);
    assert.deepEqual(codes(z), ['zone-no-origin']);
    assert.deepEqual(z.records.map((r) => r.owner), ['c.example.']);
  });

  it('reports a blank owner with nothing before it', () => {
    const z = parse(`$TTL 300\n   IN A 192.0.2.1\n`);
    assert.deepEqual(codes(z), ['zone-no-owner']);
  });

  it('says when the owner of a blank-owner line comes from before a $ORIGIN', () => {
    const z = parse(`$TTL 300\n${SOA}a A 192.0.2.1\n$ORIGIN sub.example.com.\n  A 192.0.2.2\n`);
    assert.deepEqual(codes(z), ['zone-inherited-owner']);
    assert.equal(z.records[3].owner, 'a.example.com.');
  });

  it('measures labels and names in octets (RFC 1035 §2.3.4)', () => {
    const ok = 'x'.repeat(63);
    assert.deepEqual(codes(parse(`$TTL 300\n${ok} A 192.0.2.1\n`)), []);
    assert.deepEqual(codes(parse(`$TTL 300\n${ok}x A 192.0.2.1\n`)), ['zone-label-too-long']);
    // 3 × 64 + 62 + 1 (root) = 255 octets fits; one more label octet does not.
    const fits = [ok, ok, ok, 'y'.repeat(61)].join('.') + '.';
    assert.deepEqual(codes(parse(`$TTL 300\n${fits} A 192.0.2.1\n`)), []);
    assert.deepEqual(codes(parse(`$TTL 300\n${'y.' + fits} A 192.0.2.1\n`)), ['zone-name-too-long']);
    assert.deepEqual(codes(parse(`$TTL 300\n\\256x A 192.0.2.1\n`)), ['zone-bad-escape']);
  });

  it('counts character-string bytes with escapes and UTF-8, and splits at 255', () => {
    assert.equal(charStringBytes('a\\"b\\255é'), 6);
    // A lone surrogate is one U+FFFD (3 octets) and does not swallow the escape after it (found by the fuzz suite).
    assert.equal(charStringBytes('\ud800\\065'), 4);
    assert.equal(charStringBytes('😀'), 4);
    const long = 'word '.repeat(120);
    const pieces = splitCharString(long);
    assert.equal(pieces.join(''), long);
    assert.ok(pieces.every((p) => charStringBytes(p) <= 255));
    const z = parse(`$TTL 300\nt TXT "${'x'.repeat(256)}"\n`);
    assert.deepEqual(codes(z), ['zone-string-too-long']);
    assert.equal(z.diagnostics[0].fix?.edits[0].newText, `"${'x'.repeat(255)}" "x"`);
  });

  it('skips a UTF-8 byte order mark', () => {
    assert.deepEqual(codes(parse(`\ufeff$TTL 300\n${SOA}`)), []);
  });
});

describe('zone parser: $GENERATE (as named expands it)', () => {
  it('substitutes $, ${offset,width,base}, $$ and \\$', () => {
    const t = (s: string, v: number) => {
      const p = parseTemplate(s);
      assert.ok(p.ok);
      return applyTemplate(p.template, v);
    };
    assert.equal(t('host$', 7), 'host7');
    assert.equal(t('${1,3}', 7), '008');
    assert.equal(t('w${0,8,X}', 10), 'w0000000A');
    assert.equal(t('o${0,0,o}.$$', 10), 'o12.$');
    assert.equal(t('\\$x$', 1), '\\$x1');
    // Nibbles, as named writes them (checked against named-checkzone -D).
    assert.equal(t('${0,3,n}', 1024), '0.0.4');
    assert.equal(t('${-2000,0,n}', 1024), '0.3.c.f.f.f.f.f');
    assert.equal(t('${0,7,N}', 1), '1.0.0.0');
    assert.equal(t('${0,8,N}', 1), '1.0.0.0.');
    assert.deepEqual(parseRange('1-10/3'), { ok: true, start: 1, stop: 10, step: 3 });
    assert.equal(parseRange('5-1').ok, false);
  });

  it('makes one record per step, each pointing at the $GENERATE line', () => {
    const text = `$TTL 300\n${SOA}$GENERATE 1-5/2 k\${0,3,x} 60 IN MX "10 m$"\n$GENERATE 1-2 c$ TXT "two words $"\n`;
    const z = parse(text);
    assert.deepEqual(codes(z), []);
    assert.deepEqual(rows(z).slice(2), [
      'k001.example.com. 60 IN MX m1.example.com.',
      'k003.example.com. 60 IN MX m3.example.com.',
      'k005.example.com. 60 IN MX m5.example.com.',
      'c1.example.com. 300 IN TXT two words 1',
      'c2.example.com. 300 IN TXT two words 2',
    ]);
    const r = z.records[2];
    assert.equal(r.generated, true);
    assert.equal(text.slice(r.ownerToken!.start, r.ownerToken!.end), 'k${0,3,x}');
    assert.equal(text.slice(r.rdata[0].start, r.rdata[0].end), '"10 m$"');
  });

  it('reports one error per bad line, not one per record', () => {
    const z = parse(`$TTL 300\n${SOA}$GENERATE 1-300 h$ A 192.0.2.$\n`);
    assert.deepEqual(codes(z), ['zone-bad-rdata']);
    assert.equal(z.records.filter((r) => r.generated).length, 255);
  });
});

describe('zone parser: $INCLUDE', () => {
  const main = '/zones/main.zone';
  it('reads the file relative to the including one, with its own origin, then restores origin and owner', () => {
    const reader = mapReader({
      [main]: `$TTL 300\n${SOA}ns1 A 192.0.2.53\n$INCLUDE inc/hosts.inc sub\n  TXT "after"\nx A 192.0.2.9\n`,
      '/zones/inc/hosts.inc': '$TTL 60\nh A 192.0.2.1\n',
    });
    const z = parseZone(undefined, { file: main, origin: 'example.com', reader });
    assert.deepEqual(codes(z), []);
    assert.deepEqual(rows(z).slice(2), ['ns1.example.com. 300 IN A 192.0.2.53', 'h.sub.example.com. 60 IN A 192.0.2.1', 'ns1.example.com. 60 IN TXT "after"', 'x.example.com. 60 IN A 192.0.2.9']);
    assert.equal(z.records[3].file, '/zones/inc/hosts.inc');
    assert.deepEqual([...z.sources.keys()], [main, '/zones/inc/hosts.inc']);
    assert.deepEqual(z.includes.map((i) => [i.file, i.from]), [['/zones/inc/hosts.inc', main]]);
  });

  it('stops an include loop and names it', () => {
    const reader = mapReader({
      [main]: `$TTL 300\n${SOA}$INCLUDE a.inc\n`,
      '/zones/a.inc': 'a A 192.0.2.1\n$INCLUDE b.inc\n',
      '/zones/b.inc': 'b A 192.0.2.2\n$INCLUDE a.inc\n',
    });
    const z = parseZone(undefined, { file: main, origin: 'example.com', reader });
    assert.deepEqual(codes(z), ['zone-include-cycle']);
    assert.equal(z.diagnostics[0].file, '/zones/b.inc');
    assert.match(z.diagnostics[0].message, /a\.inc → b\.inc → a\.inc/);
    assert.equal(z.records.length, 4);
  });

  it('reports a file it cannot read at the $INCLUDE line', () => {
    const text = `$TTL 300\n${SOA}$INCLUDE nothere.inc\n`;
    const z = parseZone(text, { file: main, origin: 'example.com', reader: mapReader({}) });
    assert.deepEqual(codes(z), ['zone-include-missing']);
    assert.equal(text.slice(z.diagnostics[0].start, z.diagnostics[0].end), 'nothere.inc');
  });

  it('uses the reader to resolve when it can', () => {
    const reader: ZoneReader = { read: (f) => (f === 'mem:hosts' ? 'h A 192.0.2.1\n' : undefined), resolve: (_from, target) => `mem:${target}` };
    const z = parseZone(`$TTL 300\n${SOA}$INCLUDE hosts\n`, { file: 'mem:main', origin: 'example.com', reader });
    assert.deepEqual(codes(z), []);
    assert.equal(z.records[2].file, 'mem:hosts');
    assert.equal(path.basename(z.records[2].file), 'mem:hosts');
  });
});

describe('zone parser: records carry what the linter needs', () => {
  it('fills in address, target and preference', () => {
    const z = parse(`$TTL 300\n${SOA}a A 192.0.2.1\nb AAAA 2001:DB8:0:0::1\nc CNAME a\nd MX 5 mail.example.net.\ne SRV 0 5 443 b\n`);
    const by = (o: string): ZoneRecord => z.records.find((r) => r.owner === o)!;
    assert.equal(by('a.example.com.').address, '192.0.2.1');
    assert.equal(by('b.example.com.').address, '2001:db8::1');
    assert.equal(by('c.example.com.').target, 'a.example.com.');
    assert.equal(by('d.example.com.').preference, 5);
    assert.equal(by('e.example.com.').target, 'b.example.com.');
    assert.equal(by('e.example.com.').targetIndex, 3);
  });
});

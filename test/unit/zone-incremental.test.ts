// ZoneDocument.update re-parses only around an edit: after every edit its result must equal a
// parse from scratch of the same text, and the result it gave before must stay as it was.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { parseZone, ZoneDocument, type ParsedZone } from '../../src/core/zone/parser';
import type { ZoneReader } from '../../src/core/zone/types';

/** mulberry32: a small seeded PRNG, so a failure can be replayed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SNIPPETS = [
  'h{n} IN A 192.0.2.{b}',
  '   IN AAAA 2001:db8::{n}',
  'h{n} 300 IN MX 10 mail{n}',
  'h{n} IN TXT "semi;colon {n}" "two"',
  'h{n} IN TXT ( "opens"',
  '   "continues" )',
  '$ORIGIN sub{b}.example.com.',
  '$ORIGIN example.com.',
  '$TTL {n}',
  'h{n} IN A 999.1.1.{b}',
  'h{n} IN TXT "never closed',
  ')',
  '; a comment with "quotes" and (parens)',
  '',
  '$GENERATE 1-3 g{n}-$ A 192.0.2.$',
  '$INCLUDE hosts.inc',
  'h{n} IN CNAME h{b}',
  '   IN TXT "blank owner"',
];

function snippet(r: () => number, n: number): string {
  return SNIPPETS[Math.floor(r() * SNIPPETS.length)].replace(/\{n\}/g, String(n)).replace(/\{b\}/g, String(Math.floor(r() * 256)));
}

function baseZone(records: number, r: () => number): string {
  const lines = ['$TTL 3600', '$ORIGIN example.com.', '@ IN SOA ns1 hostmaster ( 1 7200 3600 1209600 300 )', '  IN NS ns1'];
  for (let i = 0; i < records; i++) {
    const x = r();
    lines.push(x < 0.7 ? `h${i} IN A 192.0.2.${i % 256}` : x < 0.8 ? `h${i} IN TXT "t;${i}" ( "more"\n  "lines" )` : x < 0.85 ? `   IN AAAA 2001:db8::${i.toString(16)}` : x < 0.87 ? `$ORIGIN s${i}.example.com.` : x < 0.89 ? '$ORIGIN example.com.' : snippet(r, i));
  }
  return lines.join('\n') + '\n';
}

const reader: ZoneReader = { read: (f) => (f === '/z/hosts.inc' ? 'inc IN A 192.0.2.1\n' : undefined) };
const OPTIONS = { file: '/z/main.zone', origin: 'example.com', reader };

function edit(text: string, r: () => number, n: number): string {
  const lines = text.split('\n');
  const i = Math.floor(r() * lines.length);
  const kind = r();
  if (kind < 0.3) lines[i] = snippet(r, n);
  else if (kind < 0.5) lines.splice(i, 0, snippet(r, n));
  else if (kind < 0.65) lines.splice(i, 1);
  else {
    const o = Math.floor(r() * text.length);
    const ch = ['(', ')', '"', ';', '\n', ' ', 'x', '\\', '.', '$'][Math.floor(r() * 10)];
    return kind < 0.85 ? text.slice(0, o) + ch + text.slice(o) : text.slice(0, o) + text.slice(o + 1);
  }
  return lines.join('\n');
}

function same(a: ParsedZone, b: ParsedZone, what: string): void {
  assert.deepEqual(a.records, b.records, `${what}: records`);
  assert.deepEqual(a.diagnostics, b.diagnostics, `${what}: diagnostics`);
  assert.deepEqual(a.includes, b.includes, `${what}: includes`);
}

describe('zone parser: incremental re-parse', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    it(`equals a parse from scratch after each of 60 random edits (seed ${seed})`, () => {
      const r = rng(seed);
      let text = baseZone(1500, r);
      const doc = new ZoneDocument(OPTIONS);
      same(doc.update(text), parseZone(text, OPTIONS), 'first parse');
      let incremental = 0;
      for (let n = 0; n < 60; n++) {
        const before = doc.zone!;
        const snapshot = JSON.stringify(before.records.slice(-3));
        text = edit(text, r, 100000 + n);
        const got = doc.update(text);
        same(got, parseZone(text, OPTIONS), `seed ${seed} edit ${n}`);
        assert.equal(JSON.stringify(before.records.slice(-3)), snapshot, 'the previous result is left as it was');
        if (doc.lastUpdate.mode === 'incremental') incremental++;
      }
      assert.ok(incremental > 0, 'no update was incremental');
    });
  }

  it('re-reads a few lines, not the file, after a one-line edit in a large zone', () => {
    const lines = ['$TTL 3600', '$ORIGIN example.com.', '@ IN SOA ns1 hostmaster ( 1 7200 3600 1209600 300 )', '  IN NS ns1'];
    for (let i = 0; i < 100_000; i++) lines.push(`h${i} IN A 10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
    const text = lines.join('\n') + '\n';
    const doc = new ZoneDocument(OPTIONS);
    doc.update(text);
    const edited = text.replace('h50000 IN A 10.0.195.80', 'h50000 IN A 10.0.195.81');
    const z = doc.update(edited);
    assert.equal(doc.lastUpdate.mode, 'incremental');
    assert.ok(doc.lastUpdate.reparsed < 10_000, `re-read ${doc.lastUpdate.reparsed} characters`);
    assert.equal(z.records.find((r) => r.owner === 'h50000.example.com.')?.address, '10.0.195.81');
    same(z, parseZone(edited, OPTIONS), 'one-line edit');
    // An inserted line moves every offset after it.
    const inserted = edited.replace('h70000 IN A', 'new IN A 192.0.2.1\nh70000 IN A');
    same(doc.update(inserted), parseZone(inserted, OPTIONS), 'inserted line');
  });

  it('stays incremental after an unclosed ( while edits leave parentheses, quotes and lines alone', () => {
    const text = `$TTL 60\n@ SOA ns1 h 1 2 3 4 5\n NS ns1\nopen TXT ( "x"\n${Array.from({ length: 2000 }, (_, i) => `h${i} A 192.0.2.${i % 256}`).join('\n')}\n`;
    const doc = new ZoneDocument(OPTIONS);
    doc.update(text);
    const typed = text.replace('h1500 A', 'h1500x A');
    same(doc.update(typed), parseZone(typed, OPTIONS), 'typing a letter');
    assert.equal(doc.lastUpdate.mode, 'incremental');
    const closed = typed.replace('h1999 A 192.0.2.207', 'h1999 A 192.0.2.207 )');
    same(doc.update(closed), parseZone(closed, OPTIONS), 'closing the parenthesis');
    assert.equal(doc.lastUpdate.mode, 'full');
  });

  it('parses again from scratch when an $INCLUDEd file changed', () => {
    let inc = 'a IN A 192.0.2.1\n';
    const r: ZoneReader = { read: (f) => (f === '/z/hosts.inc' ? inc : undefined) };
    const doc = new ZoneDocument({ ...OPTIONS, reader: r });
    const text = '$TTL 60\n@ SOA ns1 h 1 2 3 4 5\n NS ns1\n$INCLUDE hosts.inc\n';
    doc.update(text);
    inc = 'b IN A 192.0.2.2\n';
    const z = doc.update(text);
    assert.equal(doc.lastUpdate.mode, 'full');
    assert.equal(z.records[2].owner, 'b.example.com.');
  });
});

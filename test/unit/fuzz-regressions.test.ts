// Inputs the fuzz suite (test/fuzz) found to break a property, each kept as a test named by it.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { explainBounce, MAX_INPUT } from '../../src/core/bounce/explain';
import { txtRecordLine } from '../../src/core/spf/fix';
import { receivedSpfHeader } from '../../src/core/spf/received';
import { parseZone, ZoneDocument } from '../../src/core/zone/parser';
import { charStringOctets } from '../../src/core/zone/rdata';

describe('fuzz regressions', () => {
  // fuzz target `zone-incremental` (seed 1, input 1110): a byte order mark typed at the start and taken
  // away again stayed as a finding, because a re-parse from the top kept what the old parse said there.
  it('a byte order mark added and removed again: the re-parse from the top equals a fresh parse', () => {
    const doc = new ZoneDocument({ file: '/z/main.zone', origin: 'example.com' });
    doc.update('');
    assert.deepEqual(doc.update('\ufeff').diagnostics.map((d) => d.code), parseZone('\ufeff', { file: '/z/main.zone', origin: 'example.com' }).diagnostics.map((d) => d.code));
    const after = doc.update('');
    assert.deepEqual(after.diagnostics, parseZone('', { file: '/z/main.zone', origin: 'example.com' }).diagnostics);
    assert.ok(!after.diagnostics.some((d) => d.code === 'zone-byte-order-mark'));
  });

  // fuzz target `inputs`, property received-spf-one-line: a receiver, sender or HELO name with a line
  // break (a typed --helo, a DNS error text) started a second header line inside the quoted-string.
  it('Received-SPF stays one line for receiver "\\n31" and a HELO name with CR LF and other controls', () => {
    const h = receivedSpfHeader({ result: 'pass', ip: '192.0.2.1', sender: ' 31', envelopeFrom: 'DYNA-WEB', helo: 'evil\r\nX-Injected: 1\u0000\u001b[2J', identity: 'mailfrom', receiver: '\n31', mechanism: 'DYNA-WEB' });
    assert.doesNotMatch(h, /[\r\n\u0000\u001b]/);
    assert.match(h, /^Received-SPF: pass \( 31: domain of  31 designates 192\.0\.2\.1 as permitted sender\) receiver=" 31"; /);
    assert.match(h, /helo="evil X-Injected: 1 \[2J";/);
  });

  it('Received-SPF keeps a problem text from DNS on the line: permerror with "a\\nb"', () => {
    const h = receivedSpfHeader({ result: 'permerror', ip: '2001:db8::1', sender: 'postmaster@example.test', envelopeFrom: '', identity: 'mailfrom', problem: 'CNAME loop at mail\n.example.test' });
    assert.doesNotMatch(h, /[\r\n]/);
    assert.match(h, /problem="CNAME loop at mail \.example\.test";$/);
  });

  /** The octets of the TXT record `line` holds, as a name server would serve it, and its parse errors. */
  const readBack = (line: string) => {
    const z = parseZone(`${line}\n`, { file: 'fix.zone', origin: 'example.org' });
    const rec = z.records.find((r) => r.type === 'TXT');
    return { octets: rec ? Buffer.concat(rec.rdata.map((t) => charStringOctets(t.text))) : undefined, errors: z.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code) };
  };

  // fuzz target `inputs`, property fix-record-roundtrip: the string was cut between the two halves of
  // a surrogate pair at octet 252, leaving a 256-octet string (zone-string-too-long) and, in a file,
  // two U+FFFD instead of the character.
  it('the TXT record of a fix keeps "v=spf1 " + 245 × "a" + "😀" whole: no string over 255 octets, the same octets back', () => {
    const text = `v=spf1 ${'a'.repeat(245)}\u{1F600}bbbbbbbbbb`;
    const line = txtRecordLine('example.org', text);
    assert.equal(line, `example.org. 3600 IN TXT "v=spf1 ${'a'.repeat(245)}" "\u{1F600}bbbbbbbbbb"`);
    const back = readBack(line);
    assert.deepEqual(back.errors, []);
    assert.ok(back.octets?.equals(Buffer.from(text, 'utf8')));
  });

  // Same property: a TXT record from DNS holding a line break made the proposed record two lines.
  it('the TXT record of a fix writes "v=spf1 -all\nexp=x" and a bidi override as \\DDD, on one line', () => {
    const text = 'v=spf1 -all\nexp=x \u202e"q"';
    const line = txtRecordLine('example.org.', text, 300);
    assert.equal(line, 'example.org. 300 IN TXT "v=spf1 -all\\010exp=x \\226\\128\\174\\"q\\""');
    const back = readBack(line);
    assert.deepEqual(back.errors, []);
    assert.ok(back.octets?.equals(Buffer.from(text, 'utf8')));
  });

  // Same property, seed 21: lone surrogates around a quote ("\uda97\"\udd01", text cut inside a
  // character) were written as they were; a file holds U+FFFD there, and the zone parser counted 256 octets.
  it('the TXT record of a fix writes lone surrogates in "v=spf1 …\uda97\"\udd01…" as U+FFFD', () => {
    const text = `v=spf1 ${'a'.repeat(240)}\uda97"\udd01 -all`;
    const line = txtRecordLine('example.org', text);
    assert.ok(!/[\ud800-\udfff]/.test(line));
    const back = readBack(line);
    assert.deepEqual(back.errors, []);
    assert.ok(back.octets?.equals(Buffer.from(text, 'utf8')));
  });

  // fuzz target `bounce`, a hang (over 2 s): every place a pattern matched was compared with every
  // place matched before, so a bounce repeating "blocked using " up to the 512 KiB cap was quadratic.
  it('"blocked using " repeated to 512 KiB: the work stays bounded as the flood doubles, at most one finding', async () => {
    const work = async (n: number) => {
      const counter = { comparisons: 0 };
      const r = await explainBounce('blocked using '.repeat(n), { work: counter });
      // "blocked using " names no list: at most one finding, never one per repetition.
      assert.ok(r.matches.length <= 1, JSON.stringify(r.matches.map((m) => m.id)));
      return counter.comparisons;
    };
    const half = await work(Math.floor(MAX_INPUT / 28));
    const full = await work(Math.floor(MAX_INPUT / 14));
    assert.ok(full <= half * 1.1 + 100, `${half} comparisons for half the flood, ${full} for all of it`);
    assert.ok(full < 20_000, `${full} comparisons`);
  });
});

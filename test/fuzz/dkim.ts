// Targets `dkim-key` and `dkim-message`.
//
// dkim-key: key records built from RFC 6376 §3.6.1's tags (real RSA and ed25519 keys, PEM, broken
// base64, flags, hash lists, unknown tags), split into character-strings anywhere, then mutated →
// parseDkimKey (offsets), and the key check on an in-memory resolver (a selector, or the common
// ones) → every renderer.
//
// dkim-message: raw messages (header fields with folding, tabs, non-ASCII; bodies with trailing
// whitespace and empty lines; CRLF or LF), signed by the test signer with one of the keys (both
// canonicalizations, l=, over-signed h=) or carrying a generated DKIM-Signature, then mutated →
// verifyDkimSignatures. A message signed and not changed must verify (the round trip through the
// message reader, CRLF/LF and the canonicalizations); every result has a known result and code.
import * as fc from 'fast-check';
import { checkDkimKey } from '../../src/core/dkim/check';
import { parseDkimKey } from '../../src/core/dkim/key';
import { parseSignature } from '../../src/core/dkim/signature';
import { verifyDkimSignatures } from '../../src/core/dkim/verify';
import { ed25519Key, rsaKey, signMessage, type TestKey } from '../unit/dkim-sign';
import { memoryResolver } from '../unit/memory-resolver';
import type { Target } from './harness';
import { mutated } from './mutate';
import { renderAll } from './render';

// Made once when the targets are loaded: key generation is too slow for every input.
const KEYS: { selector: string; key: TestKey }[] = [
  { selector: 'rsa', key: rsaKey(1024) },
  { selector: 'ed', key: ed25519Key() },
];
const pOf = (k: TestKey): string => k.record.replace(/^.*p=/, '');
const RESOLVER = memoryResolver(Object.fromEntries(KEYS.map((k) => [`${k.selector}._domainkey.example.test`, { TXT: [[k.key.record.slice(0, 200), k.key.record.slice(200)]] }])), ['example.test']);

const pValue = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...KEYS.map((k) => pOf(k.key))) },
  { weight: 1, arbitrary: fc.constantFrom('', 'AAAA', 'A', '====', 'MIGf', '-----BEGIN PUBLIC KEY-----', 'MIIB\\;IjAN', `${pOf(KEYS[0].key).slice(0, 40)} ${pOf(KEYS[0].key).slice(40)}`, 'x'.repeat(5000)) },
  { weight: 1, arbitrary: fc.base64String({ maxLength: 120 }) },
);
const tagArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: pValue.map((p) => `p=${p}`) },
  { weight: 2, arbitrary: fc.constantFrom('v=DKIM1', 'v=DKIM2', 'v=', 'V=DKIM1') },
  { weight: 2, arbitrary: fc.constantFrom('k=rsa', 'k=ed25519', 'k=dsa', 'k=') },
  { weight: 1, arbitrary: fc.constantFrom('t=y', 't=s', 't=y:s', 't=y : s', 't=x', 't=') },
  { weight: 1, arbitrary: fc.constantFrom('h=sha256', 'h=sha1', 'h=sha1:sha256', 'h=md5', 'h=') },
  { weight: 1, arbitrary: fc.constantFrom('s=*', 's=email', 's=tlsrpt', 's=email:tlsrpt') },
  { weight: 1, arbitrary: fc.string({ maxLength: 20 }).map((n) => `n=${n}`) },
  { weight: 1, arbitrary: fc.constantFrom('g=', 'g=*', 'x=1', '1x=2', '=v', 'novalue', ' ', '') },
);
const keyRecordArb: fc.Arbitrary<string> = fc
  .tuple(fc.array(tagArb, { minLength: 0, maxLength: 7 }), fc.constantFrom('; ', ';', ' ; ', ';\t', ';;'), fc.constantFrom('', ';', '; '))
  .map(([tags, sep, tail]) => tags.join(sep) + tail);

export interface DkimKeyInput {
  record: string;
  cuts: number[];
  common: boolean;
}

export const dkimKeyTarget: Target<DkimKeyInput> = {
  name: 'dkim-key',
  what: 'DKIM key records from RFC 6376 §3.6.1 tags (real RSA/ed25519 keys, broken base64), split into strings, mutated → parseDkimKey offsets; the key check on in-memory DNS → every renderer',
  arbitrary: () =>
    fc.record({
      record: mutated(keyRecordArb, { pool: tagArb, maxOps: 3 }),
      cuts: fc.array(fc.nat({ max: 600 }), { maxLength: 3 }),
      common: fc.boolean(),
    }),
  weight: 40,
  slice: 300,
  async run({ record, cuts, common }, ctx) {
    const points = [...new Set(cuts.filter((c) => c > 0 && c < record.length))].sort((a, b) => a - b);
    const strings = [0, ...points].map((start, i) => record.slice(start, points[i] ?? record.length));
    const k = parseDkimKey(strings);
    ctx.check('dkim-offsets', () => {
      if (k.text !== record) return 'the joined text is not the record';
      for (const t of k.tags) {
        if (record.slice(t.nameStart, t.nameEnd) !== t.name) return `tag ${JSON.stringify(t.name)} not at ${t.nameStart}`;
        if (record.slice(t.valueStart, t.valueEnd) !== t.value) return `value of ${t.name} not at ${t.valueStart}-${t.valueEnd}`;
      }
      for (const p of k.problems) if (!(p.start >= 0 && p.start <= p.end && p.end <= record.length)) return `${p.code} at ${p.start}-${p.end} outside 0-${record.length}`;
      for (const s of k.strings) if (record.slice(s.start, s.end) !== s.text) return `string at ${s.start}-${s.end}`;
      return undefined;
    });
    ctx.check('dkim-usable', () => (k.usable && k.publicKey === undefined ? 'usable without p=' : undefined));
    const resolver = memoryResolver({ 'sel._domainkey.example.test': { TXT: [strings] }, 'google._domainkey.example.test': { TXT: [strings] } }, ['example.test']);
    const result = await checkDkimKey(common ? undefined : 'sel', 'example.test', { resolver, ...(common ? { commonSelectors: ['google', 'selector1'] } : {}) });
    renderAll(result, ctx);
  },
};

const HEADER_NAMES = ['From', 'To', 'Subject', 'Date', 'Cc', 'Received', 'X-Mailer', 'SUBJECT', 'from', 'Reply-To', 'Message-ID'];
const valueText = fc.oneof(
  { weight: 4, arbitrary: fc.stringMatching(/^[ -~\t]{0,40}$/) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', '\t', '  a  b  ', 'Grüße', 'テスト', 'a\u202eb', '=?utf-8?q?x?=') },
);
/** A field value with folding (CRLF then WSP) in places. */
const foldedValue = fc.tuple(fc.array(valueText, { minLength: 1, maxLength: 3 }), fc.constantFrom('\r\n ', '\r\n\t', '\r\n   ')).map(([parts, fold]) => parts.join(fold));
const fieldArb = fc.tuple(fc.constantFrom(...HEADER_NAMES), fc.constantFrom(':', ': ', ' : ', ':\t'), foldedValue).map(([n, c, v]) => `${n}${c}${v}`);
const bodyLine = fc.oneof({ weight: 4, arbitrary: fc.stringMatching(/^[ -~\t]{0,60}$/) }, { weight: 1, arbitrary: fc.constantFrom('', ' ', '\t', 'x  ', 'ü', '.', 'From here') });

interface CleanMessage {
  message: string;
  signatures: number;
}

const cleanMessageArb: fc.Arbitrary<CleanMessage> = fc
  .record({
    fields: fc.array(fieldArb, { minLength: 0, maxLength: 8 }),
    from: fc.boolean(),
    body: fc.array(bodyLine, { maxLength: 8 }),
    trailing: fc.constantFrom('', '\r\n', '\r\n\r\n', '\r\n\r\n\r\n'),
    signs: fc.array(
      fc.record({
        key: fc.nat({ max: KEYS.length - 1 }),
        canon: fc.constantFrom<['simple' | 'relaxed', 'simple' | 'relaxed'][]>(['simple', 'simple'], ['relaxed', 'relaxed'], ['relaxed', 'simple'], ['simple', 'relaxed']),
        headers: fc.array(fc.constantFrom('from', 'to', 'subject', 'date', 'cc', 'received', 'x-mailer', 'reply-to'), { maxLength: 8 }),
        length: fc.boolean(),
      }),
      { minLength: 1, maxLength: 2 },
    ),
    lf: fc.boolean(),
  })
  .map(({ fields, from, body, trailing, signs, lf }) => {
    let message = `${from ? 'From: a@example.test\r\n' : ''}${fields.map((f) => `${f}\r\n`).join('')}\r\n${body.join('\r\n')}${trailing}`;
    for (const s of signs) {
      const k = KEYS[s.key];
      message = signMessage(message, k.key, { selector: k.selector, domain: 'example.test', canon: s.canon, headers: ['from', ...s.headers], length: s.length });
    }
    return { message: lf ? message.replace(/\r\n/g, '\n') : message, signatures: signs.length };
  });

/** DKIM-Signature values as a stranger writes them: tags from the grammar, in any order, broken. */
const sigValueArb: fc.Arbitrary<string> = mutated(
  fc
    .array(
      fc.oneof(
        fc.constantFrom('v=1', 'v=2', 'a=rsa-sha256', 'a=ed25519-sha256', 'a=rsa-sha1', 'a=x', 'c=relaxed/relaxed', 'c=simple', 'c=relaxed/', 'd=example.test', 'd=', 's=rsa', 's=ed', 's=', 'i=@example.test', 'i=x@other.test', 'q=dns/txt', 'q=x', 'l=0', 'l=99999999999999999999', 't=1', 'x=0', 'h=from:to', 'h=to', 'h=', 'bh=AAAA', 'b=AAAA', 'b=!!', 'z=x'),
        fc.base64String({ maxLength: 80 }).map((b) => `b=${b}`),
      ),
      { maxLength: 12 },
    )
    .map((tags) => ` ${tags.join('; ')}`),
  { maxOps: 3 },
);

export interface DkimMessageInput {
  clean?: CleanMessage;
  message: string;
}

export const dkimMessageTarget: Target<DkimMessageInput> = {
  name: 'dkim-message',
  what: 'raw messages (folded, LF or CRLF, non-ASCII) signed by the test signer (both canonicalizations, l=, over-signing) or with generated DKIM-Signature fields, mutated → verifyDkimSignatures; unchanged signed messages must pass',
  arbitrary: () =>
    fc.oneof(
      { weight: 2, arbitrary: cleanMessageArb.map((clean) => ({ clean, message: clean.message })) },
      { weight: 3, arbitrary: mutated(cleanMessageArb.map((c) => c.message), { maxOps: 4, cleanWeight: 0 }).map((message) => ({ message })) },
      { weight: 1, arbitrary: fc.tuple(sigValueArb, cleanMessageArb).map(([v, c]) => ({ message: `DKIM-Signature:${v}\r\n${c.message}` })) },
    ),
  weight: 30,
  slice: 150,
  async run({ clean, message }, ctx) {
    const results = await verifyDkimSignatures(message, { resolver: RESOLVER, now: 1_700_000_000_000 });
    ctx.check('dkim-result', () => {
      for (const r of results) {
        if (!['pass', 'fail', 'neutral', 'temperror', 'permerror', 'policy'].includes(r.result)) return `result ${r.result}`;
        if (!/^dkim-(sig|message)-[a-z0-9-]+$/.test(r.code) || r.reason === '') return `code ${JSON.stringify(r.code)}, reason ${JSON.stringify(r.reason)}`;
      }
      return undefined;
    });
    if (clean) {
      ctx.check('dkim-clean-pass', () => {
        if (results.length !== clean.signatures) return `${results.length} results for ${clean.signatures} signatures`;
        const bad = results.find((r) => r.result !== 'pass');
        return bad ? `signature ${bad.index}: ${bad.result} ${bad.code}: ${bad.reason}` : undefined;
      });
    }
    const sig = /^DKIM-Signature:([^\r\n]*)/i.exec(message);
    if (sig) parseSignature(sig[1]);
  },
};

// Target `spf`: SPF records built from RFC 7208's grammar (every mechanism, modifier, qualifier,
// CIDR form and macro, with transformers and escapes), then mutated, through the parser, the static
// lookup counter, the record linter, and the macro parser and expander with hostile macro values.
import * as fc from 'fast-check';
import { expandTokens, type MacroPlace, type MacroValues, parseMacroString, toQueryName, transform, unqueryable, urlEscape } from '../../src/core/spf/macro';
import { checkDomainSpec, countLookups, isIp4Network, isSpfRecord, lintSpf, parseSpf } from '../../src/core/spf/parse';
import type { Target } from './harness';
import { joined, mutated } from './mutate';

const LETTERS = ['s', 'l', 'o', 'd', 'i', 'p', 'h', 'c', 'r', 't', 'v', 'S', 'L', 'O', 'D', 'I', 'P', 'H', 'C', 'R', 'T', 'V', 'x', 'Z', '1'];

/** `%{…}` and the escapes, valid and not. */
export const macroArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc
      .record({
        letter: fc.constantFrom(...LETTERS),
        digits: fc.oneof(fc.constant(''), fc.constantFrom('1', '2', '0', '10', '128', '99999999999999999999'), fc.nat({ max: 300 }).map(String)),
        r: fc.constantFrom('', 'r', 'R'),
        delims: fc.oneof(fc.constant(''), fc.stringMatching(/^[.\-+,/_=]{1,4}$/), fc.constantFrom('.', '-', '+,', '=', '_/')),
      })
      .map(({ letter, digits, r, delims }) => `%{${letter}${digits}${r}${delims}}`) },
  { weight: 2, arbitrary: fc.constantFrom('%%', '%_', '%-') },
  { weight: 1, arbitrary: fc.constantFrom('%', '%{', '%{}', '%{d', '%x', '%{d}}', '%{ d}', '%{d1r.', '%{ir}.%{v}._spf.%{d2}', '%{l1r-}', '%{d0}') },
);

const labelArb = fc.oneof(
  { weight: 6, arbitrary: fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,10}$/) },
  { weight: 1, arbitrary: fc.constantFrom('_spf', '_x', 'xn--bcher-kva', 'a'.repeat(63), 'a'.repeat(64), '-bad', 'bad-', '123', '*') },
);

/** A domain-spec: labels and macros; mostly ending in a top label, sometimes not. */
export const domainSpecArb: fc.Arbitrary<string> = fc
  .tuple(fc.array(fc.oneof({ weight: 4, arbitrary: labelArb }, { weight: 2, arbitrary: macroArb }), { minLength: 1, maxLength: 5 }), fc.constantFrom('.example', '.com', '.test', '', '.', '.%{d}', '.123', '.example.'))
  .map(([parts, tail]) => parts.join('.') + tail);

const ip4Arb = fc.oneof(fc.ipV4(), fc.constantFrom('192.0.2', '1.2.3.4.5', '256.1.1.1', '01.2.3.4', '0.0.0.0', '255.255.255.255', '1.2.3.04'));
const ip6Arb = fc.oneof(fc.ipV6(), fc.constantFrom('::', '::1', '2001:db8::', '2001:db8::1::2', '::ffff:192.0.2.1', 'fe80::1%eth0', '2001:DB8:0:0:0:0:0:1', ':::', '1:2:3:4:5:6:7:8:9'));
const cidrArb = (max: number) => fc.oneof(fc.constant(''), fc.integer({ min: 0, max }).map((n) => `/${n}`), fc.constantFrom('/', `/${max + 1}`, '/08', '/-1', '/999999999999', '/a'));

/** One term, valid mostly, in every form RFC 7208 §4.6.1 and §5–§6 allow. */
export const termArb: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom('', '', '', '+', '-', '~', '?', '!', '++'),
    fc.oneof(
      { weight: 2, arbitrary: fc.constantFrom('all', 'ALL', 'all:x', 'all/24') },
      { weight: 3, arbitrary: domainSpecArb.map((d) => `include:${d}`) },
      { weight: 3, arbitrary: fc.tuple(fc.constantFrom('a', 'mx', 'A', 'MX'), fc.option(domainSpecArb, { nil: undefined }), cidrArb(32), fc.oneof(fc.constant(''), cidrArb(128).map((c) => (c ? `/${c}` : '')))).map(([m, d, c4, c6]) => `${m}${d !== undefined ? `:${d}` : ''}${c4}${c6}`) },
      { weight: 1, arbitrary: fc.option(domainSpecArb, { nil: undefined }).map((d) => (d !== undefined ? `ptr:${d}` : 'ptr')) },
      { weight: 3, arbitrary: fc.tuple(ip4Arb, cidrArb(32)).map(([ip, c]) => `ip4:${ip}${c}`) },
      { weight: 3, arbitrary: fc.tuple(ip6Arb, cidrArb(128)).map(([ip, c]) => `ip6:${ip}${c}`) },
      { weight: 2, arbitrary: domainSpecArb.map((d) => `exists:${d}`) },
      { weight: 1, arbitrary: fc.constantFrom('include', 'include:', 'exists:', 'ip4:', 'ip6', 'a:', 'mx:/24', 'foo', 'ptr:', 'a//64', 'a/24//') },
    ),
  )
  .map(([q, m]) => q + m);

const modifierArb: fc.Arbitrary<string> = fc.oneof(
  domainSpecArb.map((d) => `redirect=${d}`),
  domainSpecArb.map((d) => `exp=${d}`),
  fc.tuple(fc.stringMatching(/^[a-z][a-z0-9._-]{0,8}$/), fc.array(fc.oneof(labelArb, macroArb), { maxLength: 3 })).map(([n, v]) => `${n}=${v.join('')}`),
  fc.constantFrom('redirect=', 'exp=', '=x', 'redirect==x', 'v=spf1', 'x=%{'),
);

/** A whole record: the version, then terms and modifiers separated by spaces (and sometimes not). */
export const spfRecordArb: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom('v=spf1', 'v=spf1', 'v=spf1', 'V=SPF1', 'v=spf10', 'v=spf1\t', 'spf2.0/pra', 'v=spf'),
    joined(fc.array(fc.oneof({ weight: 4, arbitrary: termArb }, { weight: 1, arbitrary: modifierArb }), { maxLength: 14 }), fc.constantFrom(' ', ' ', ' ', '  ', '\t', '')),
    fc.constantFrom('', '', ' ', '  '),
  )
  .map(([v, body, tail]) => (body === '' ? v + tail : `${v} ${body}${tail}`));

/** Records as a zone's TXT or a DNS answer carries them: near-valid, often mutated. */
export const mutatedSpfArb: fc.Arbitrary<string> = mutated(spfRecordArb, { pool: fc.oneof(termArb, macroArb), maxOps: 3, cleanWeight: 2 });

// Macro values as a hostile sender, HELO name or DNS answer makes them.
const valueArb = fc.oneof(
  fc.domain(),
  fc.constantFrom('', '.', '..', 'a.b.c', 'user+tag', 'strange%{d}', 'x'.repeat(300), 'a.'.repeat(200), 'ü.example', 'a\u202eb', 'a\nb', '1.2.0.192.in-addr', 'unknown'),
  fc.string({ maxLength: 40, unit: 'binary' }),
);
const valuesArb: fc.Arbitrary<MacroValues> = fc.record({
  s: valueArb, l: valueArb, o: valueArb, d: valueArb, i: valueArb, p: fc.option(valueArb, { nil: undefined }), v: fc.constantFrom('in-addr', 'ip6'), h: valueArb, c: valueArb, r: valueArb, t: fc.constantFrom('0', '1700000000', '-1'),
});

export interface SpfInput {
  record: string;
  /** A macro-string on its own, parsed as each place would. */
  macro: string;
  values: MacroValues;
  delims: string;
  digits: number | undefined;
}

export const spfTarget: Target<SpfInput> = {
  name: 'spf',
  what: 'SPF records from the RFC 7208 grammar, mutated → parseSpf, countLookups, lintSpf; macro-strings → parse and expand with hostile values',
  arbitrary: () =>
    fc.record({
      record: mutatedSpfArb,
      macro: mutated(fc.array(fc.oneof(macroArb, labelArb, fc.constantFrom('.', ' ', '-')), { maxLength: 6 }).map((a) => a.join('')), { maxOps: 2 }),
      values: valuesArb,
      delims: fc.oneof(fc.constant(''), fc.string({ maxLength: 4 })),
      digits: fc.option(fc.oneof(fc.nat({ max: 300 }), fc.constantFrom(0, 2 ** 31, Number.MAX_SAFE_INTEGER)), { nil: undefined }),
    }),
  weight: 379,
  slice: 1200,
  run(input, ctx) {
    const { record } = input;
    isSpfRecord(record);
    const parsed = parseSpf(record);
    ctx.check('spf-offsets', () => {
      for (const t of parsed.terms) {
        if (record.slice(t.start, t.end) !== t.text) return `term ${t.index} ${JSON.stringify(t.text)} is not text[${t.start}, ${t.end})`;
        if (t.domainSpecStart !== undefined && t.domainSpec !== undefined && record.slice(t.domainSpecStart, t.domainSpecStart + t.domainSpec.length) !== t.domainSpec) {
          return `term ${t.index}: domain-spec ${JSON.stringify(t.domainSpec)} not at ${t.domainSpecStart}`;
        }
      }
      for (const p of parsed.problems) if (!(p.start >= 0 && p.start <= p.end && p.end <= record.length)) return `problem ${p.code} at ${p.start}-${p.end} outside 0-${record.length}`;
      return undefined;
    });
    const count = countLookups(parsed);
    ctx.check('spf-count', () => (count.dnsTerms >= 0 && count.dnsTerms <= parsed.terms.length ? undefined : `${count.dnsTerms} DNS terms of ${parsed.terms.length}`));
    for (const l of lintSpf(parsed)) {
      ctx.check('spf-offsets', () => (l.start >= 0 && l.start <= l.end && l.end <= record.length ? undefined : `lint ${l.code} at ${l.start}-${l.end}`));
    }
    // Every domain-spec and modifier value through the macro parser and expander, as check_host() does.
    for (const t of parsed.terms) {
      const spec = t.domainSpec ?? t.value;
      if (spec === undefined) continue;
      const place: MacroPlace = t.kind === 'modifier' && t.name !== 'redirect' && t.name !== 'exp' ? 'unknown-modifier' : 'domain';
      const m = parseMacroString(spec, place, t.domainSpecStart ?? 0);
      if (m.ok) {
        const name = toQueryName(expandTokens(m.tokens, input.values));
        unqueryable(name);
      }
      checkDomainSpec(spec, t.domainSpecStart ?? 0, t.name);
      if (t.network !== undefined) isIp4Network(t.network);
    }
    for (const place of ['domain', 'exp-text', 'unknown-modifier'] as const) {
      const m = parseMacroString(input.macro, place, 7);
      ctx.check('spf-offsets', () => {
        for (const tok of m.tokens) if (input.macro.slice(tok.start - 7, tok.end - 7) !== tok.text) return `macro token ${JSON.stringify(tok.text)} at ${tok.start}`;
        return m.ok || (m.problem.start >= 7 && m.problem.end <= input.macro.length + 7) ? undefined : `macro problem at ${m.problem.start}-${m.problem.end}`;
      });
      if (m.ok) {
        unqueryable(toQueryName(expandTokens(m.tokens, input.values)));
      }
    }
    transform(input.values.d, input.delims, true, input.digits);
    transform(input.values.s, input.delims, false, input.digits);
    urlEscape(input.values.l);
  },
};

// Target `dmarc`: DMARC records built from RFC 7489 §6.4's grammar (every tag, RFC 9091's np,
// DMARCbis' t and psd, URIs with sizes, lists, odd spacing and case), then mutated, through the
// parser, the tag explanations, the quick-fix replacements, the policy that applies and the
// evaluation with hostile SPF/DKIM domains. Properties: offsets inside the text, every tag's text at
// its offsets, a fix that stays a record, and linear work (the parser's own counter).
import * as fc from 'fast-check';
import { evaluateDmarc } from '../../src/core/dmarc/evaluate';
import { applyReplacement, parseDmarc } from '../../src/core/dmarc/parse';
import { policyFromRecord } from '../../src/core/dmarc/policy';
import { describeTag } from '../../src/core/dmarc/tags';
import type { Target } from './harness';
import { joined, mutated } from './mutate';

const domainArb = fc.oneof(fc.domain(), fc.constantFrom('example.org', 'mail.example.org', 'example.co.uk', 'a.b.example.co.uk', 'x.github.io', 'co.uk', 'com', '', '.', 'ex ample.org', 'EXAMPLE.ORG.', 'xn--bcher-kva.example'));
const uriArb = fc.oneof(
  { weight: 5, arbitrary: fc.tuple(fc.constantFrom('dmarc', 'a+b', 'r', ''), domainArb, fc.constantFrom('', '', '!10m', '!1', '!5x', '!', '!999999999999999t')).map(([l, d, s]) => `mailto:${l}@${d}${s}`) },
  { weight: 2, arbitrary: fc.constantFrom('dmarc@example.org', 'https://reports.example.net/x', 'mailto:', 'mailto:@', 'mailto:a@b', 'http://[::1]/', 'MAILTO:A@EXAMPLE.ORG', 'mailto:a@example.org?subject=x', 'ftp://x') },
);
const policyArb = fc.constantFrom('none', 'quarantine', 'reject', 'Reject', 'NONE', 'rejected', 'r', '', 'quarantaine');
const tagArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: policyArb.map((v) => `p=${v}`) },
  { weight: 2, arbitrary: policyArb.map((v) => `sp=${v}`) },
  { weight: 1, arbitrary: policyArb.map((v) => `np=${v}`) },
  { weight: 2, arbitrary: fc.oneof(fc.nat({ max: 120 }).map(String), fc.constantFrom('', '-1', '050', 'abc', '99999999999999999999')).map((v) => `pct=${v}`) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom('adkim', 'aspf'), fc.constantFrom('r', 's', 'R', 'strict', 'relaxed', 'x', '')).map(([t, v]) => `${t}=${v}`) },
  { weight: 3, arbitrary: fc.tuple(fc.constantFrom('rua', 'ruf'), joined(fc.array(uriArb, { maxLength: 5 }), fc.constantFrom(',', ' , ', ',,'))).map(([t, v]) => `${t}=${v}`) },
  { weight: 1, arbitrary: joined(fc.array(fc.constantFrom('0', '1', 'd', 's', 'x', ''), { maxLength: 5 }), fc.constantFrom(':', ' : ')).map((v) => `fo=${v}`) },
  { weight: 1, arbitrary: fc.constantFrom('rf=afrf', 'rf=iodef', 'rf=afrf:iodef', 'rf=', 'ri=86400', 'ri=0', 'ri=4294967296', 'ri=x', 't=y', 't=n', 't=maybe', 'psd=u', 'psd=y', 'v=DMARC1', 'x=y', 'rue=mailto:a@b.example', '=x', 'p', 'ptc=5', '1x=y', 'p reject') },
);

/** A record: mostly the version first, tags separated by ";" with odd spacing, sometimes broken. */
export const dmarcRecordArb: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom('v=DMARC1', 'v=DMARC1', 'v=DMARC1', 'v = DMARC1', 'v=dmarc1', 'V=DMARC1', 'v=DMARC2', 'v=spf1 -all', '', 'v=DMARC1 p=reject'),
    joined(fc.array(tagArb, { maxLength: 12 }), fc.constantFrom('; ', ';', ' ; ', ';;', ';\t', ' ')),
    fc.constantFrom('', ';', '; ', ' '),
  )
  .map(([v, body, tail]) => (body === '' ? v + tail : `${v}; ${body}${tail}`));

export interface DmarcInput {
  record: string;
  from: string;
  spfDomain: string;
  dkim: string[];
  /** Repeats of a tag for the linear-work check. */
  repeat: string;
}

export const dmarcTarget: Target<DmarcInput> = {
  name: 'dmarc',
  what: 'DMARC records from the RFC 7489 grammar (np, t, psd), mutated → parseDmarc, describeTag, quick-fix replacements, policyFromRecord, evaluateDmarc with hostile domains; linear work',
  arbitrary: () =>
    fc.record({
      record: mutated(dmarcRecordArb, { pool: tagArb, maxOps: 3, cleanWeight: 2 }),
      from: domainArb,
      spfDomain: domainArb,
      dkim: fc.array(domainArb, { maxLength: 3 }),
      repeat: tagArb,
    }),
  weight: 60,
  slice: 600,
  run(input, ctx) {
    const { record } = input;
    const parsed = parseDmarc(record);
    ctx.check('dmarc-offsets', () => {
      for (const t of parsed.tags) {
        if (record.slice(t.start, t.end) !== t.text) return `tag ${t.index} ${JSON.stringify(t.text)} is not text[${t.start}, ${t.end})`;
        if (record.slice(t.valueStart, t.valueEnd) !== t.value) return `tag ${t.name}: value not at ${t.valueStart}`;
        for (const u of t.uris ?? []) if (record.slice(u.start, u.end) !== u.text) return `uri ${JSON.stringify(u.text)} not at ${u.start}`;
      }
      for (const p of parsed.problems) if (!(p.start >= 0 && p.start <= p.end && p.end <= record.length)) return `problem ${p.code} at ${p.start}-${p.end} outside 0-${record.length}`;
      return undefined;
    });
    ctx.check('dmarc-policy', () => (parsed.policy.pct >= 0 && parsed.policy.pct <= 100 && (!parsed.usable || parsed.policy.p !== null) ? undefined : `pct ${parsed.policy.pct}, usable ${parsed.usable} with p ${parsed.policy.p}`));
    for (const t of parsed.tags) describeTag(t, parsed.policy);
    for (const p of parsed.problems) {
      const fixed = applyReplacement(record, p);
      if (fixed !== undefined) parseDmarc(fixed);
    }
    const discovered = policyFromRecord(input.from || 'example.org', record, 'example.org', null);
    const e = evaluateDmarc({ fromDomain: input.from, spf: { result: 'pass', domain: input.spfDomain }, dkim: input.dkim.map((d) => ({ result: 'pass', d })) }, discovered);
    ctx.check('dmarc-eval', () => (['pass', 'fail', 'none', 'temperror', 'permerror'].includes(e.result) ? undefined : `result ${e.result}`));
    // Linear: the same tag 200 and 400 times, counted by the parser's own work counter.
    const work = (n: number) => {
      const stats = { work: 0 };
      parseDmarc(`v=DMARC1; ${Array.from({ length: n }, () => input.repeat).join('; ')}`, stats);
      return stats.work;
    };
    const small = work(200);
    const big = work(400);
    ctx.check('dmarc-linear', () => (big <= 2.3 * small && big >= 1.5 * small ? undefined : `work ${small} → ${big} for twice the tags`));
  },
};

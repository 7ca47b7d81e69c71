// The DKIM rows of SpamAssassin and rspamd (docs/receivers.md, "DKIM and DMARC"), from the message's
// signatures as the project's verifier found them (verifyDkimSignatures). Checked against the real
// spamassassin and rspamd on signed messages in test/integration/receivers-dkim.test.ts.
//
// SpamAssassin 4.0.1, Mail::SpamAssassin::Plugin::DKIM with Mail::DKIM (25_dkim.cf, 50_scores.cf):
//   DKIM_SIGNED    a DKIM-Signature (valid or not)                                   0.1
//   DKIM_VALID     at least one signature verifies and has not expired              -0.1
//   DKIM_INVALID   DKIM_SIGNED && !DKIM_VALID                                        0.1
//   DKIM_VALID_AU  a valid signature whose SDID is the author's (From) domain,
//                  exactly, with a key of at least dkim_minimum_key_bits (1024)     -0.1
//   DKIM_VALID_EF  a valid signature whose SDID is the envelope sender's domain      -0.1
// The SDID is the domain of i= when the signature has one, else d= (_check_dkim_signed_by).
// A valid signature also makes the mail "not spoofed" for KHOP_HELO_FCRDNS (72_active.cf __NOT_SPOOFED).
//
// rspamd 3.4, the dkim module (scores.d/policies_group.conf): per signature R_DKIM_ALLOW (-0.2),
// R_DKIM_REJECT (1.0: the signature or body hash does not verify), R_DKIM_PERMFAIL (0: the key
// record is missing — NXDOMAIN — or revoked, seen in the tests), R_DKIM_TEMPFAIL (0: the key lookup
// failed), R_DKIM_NA (0: no signature). A signature whose x= has passed gets no symbol at all (rspamd
// drops it while parsing; seen in the tests). Composites
// (composites.conf): AUTH_NA_OR_FAIL and DMARC_POLICY_ALLOW_WITH_FAILURES, modelled in ./rspamd.ts.
//
// Modelled outcomes are the ones the tests produce with real signatures: a signature that verifies,
// one that does not (body or headers changed), a key that does not exist or is revoked, an expired
// signature. Others (malformed, rsa-sha1, short or unusable keys, DNS failures) leave the receiver's DKIM rows — and
// the DMARC rows built on its own DKIM result — out, and the total says so.
import type { DkimSignatureResult } from '../dkim/types';
import { alignmentOf, type DmarcEvaluation } from '../dmarc/evaluate';
import type { ReceiverInput, ReceiverRow } from './types';

/** What the receivers read of one verified signature. */
export type DkimSignatureInput = Pick<DkimSignatureResult, 'result' | 'code' | 'd'> & Partial<Pick<DkimSignatureResult, 'i' | 'key' | 's'>>;

export const SA_DKIM_SCORES: Record<string, number> = { DKIM_SIGNED: 0.1, DKIM_VALID: -0.1, DKIM_INVALID: 0.1, DKIM_VALID_AU: -0.1, DKIM_VALID_EF: -0.1 };

export const RSPAMD_DKIM_WEIGHTS: Record<string, number> = {
  R_DKIM_ALLOW: -0.2, R_DKIM_REJECT: 1.0, R_DKIM_TEMPFAIL: 0.0, R_DKIM_PERMFAIL: 0.0, R_DKIM_NA: 0.0,
  // composites.conf
  DMARC_POLICY_ALLOW_WITH_FAILURES: -0.5, AUTH_NA_OR_FAIL: 1.0, DKIM_MIXED: 0.0,
};

const FAIL_CODES = new Set(['dkim-sig-body-hash', 'dkim-sig-header-signature', 'dkim-sig-changed']);

/** The rspamd symbol of one signature; null: none (an expired signature); undefined: the outcome is not modelled. */
function rspamdSymbol(s: DkimSignatureInput): string | null | undefined {
  if (s.result === 'pass') return 'R_DKIM_ALLOW';
  if (s.result === 'fail' && FAIL_CODES.has(s.code)) return 'R_DKIM_REJECT';
  if (s.code === 'dkim-sig-key-missing' || s.code === 'dkim-sig-key-revoked') return 'R_DKIM_PERMFAIL';
  if (s.code === 'dkim-sig-expired') return null;
  return undefined;
}

/** Whether SpamAssassin's DKIM plugin (Mail::DKIM) is modelled for this outcome: pass, a failed check, no or a revoked key, expired. */
function saModelled(s: DkimSignatureInput): boolean {
  return s.result === 'pass' || (s.result === 'fail' && FAIL_CODES.has(s.code)) || ['dkim-sig-key-missing', 'dkim-sig-key-revoked', 'dkim-sig-expired'].includes(s.code);
}

const describeSig = (s: DkimSignatureInput) => `d=${s.d}${s.s ? ` s=${s.s}` : ''}`;

/** SpamAssassin's SDID: the domain of i= when given, else d= (lower case). */
function sdid(s: DkimSignatureInput): string {
  const at = s.i?.lastIndexOf('@') ?? -1;
  return (s.i !== undefined && at >= 0 ? s.i.slice(at + 1) : s.d).toLowerCase().replace(/\.$/, '');
}

const domainOf = (v: string | undefined) => (v ? v.slice(v.lastIndexOf('@') + 1).toLowerCase().replace(/\.$/, '') : undefined);

export interface DkimHits {
  hits: { rule: string; why: string }[];
  /** A signature's outcome is not modelled: no DKIM rows, and the DMARC rows are left out too. */
  unmodelled?: string;
}

/** SpamAssassin's DKIM rules for the message; undefined dkim (no message known) gives none. */
export function spamassassinDkimHits(input: ReceiverInput): DkimHits {
  const sigs = input.dkim;
  if (!sigs || sigs.length === 0) return { hits: [] };
  const odd = sigs.find((s) => !saModelled(s));
  if (odd) return { hits: [], unmodelled: `DKIM: a signature (${describeSig(odd)}) ends in ${odd.result} (${odd.code}); how Mail::DKIM takes that is not modelled, so the DKIM and DMARC rules are left out.` };
  const author = domainOf(input.authorDomain) ?? input.dmarc?.fromDomain.toLowerCase();
  const envelope = domainOf(input.mailFrom) ?? input.fromDomain?.toLowerCase() ?? (input.spf?.identity === 'mailfrom' ? input.spf.domain.toLowerCase() : undefined);
  const valid = sigs.filter((s) => s.result === 'pass');
  const hits = [{ rule: 'DKIM_SIGNED', why: `The message has ${sigs.length === 1 ? 'a DKIM signature' : `${sigs.length} DKIM signatures`} (${sigs.map(describeSig).join(', ')}).` }];
  if (valid.length > 0) hits.push({ rule: 'DKIM_VALID', why: `The signature ${describeSig(valid[0])} verifies.` });
  else hits.push({ rule: 'DKIM_INVALID', why: `No signature verifies (${sigs.map((s) => `${describeSig(s)}: ${s.result}`).join(', ')}).` });
  const au = valid.find((s) => author && sdid(s) === author && (s.key?.bits ?? 1024) >= 1024);
  if (au) hits.push({ rule: 'DKIM_VALID_AU', why: `The valid signature's domain ${sdid(au)} is the From domain.` });
  const ef = valid.find((s) => envelope && sdid(s) === envelope);
  if (ef) hits.push({ rule: 'DKIM_VALID_EF', why: `The valid signature's domain ${sdid(ef)} is the envelope sender's domain.` });
  return { hits };
}

/** rspamd's DKIM symbols: one per outcome (R_DKIM_NA for an unsigned message); undefined dkim gives none. */
export function rspamdDkimHits(input: ReceiverInput): DkimHits {
  const sigs = input.dkim;
  if (!sigs) return { hits: [] };
  if (sigs.length === 0) return { hits: [{ rule: 'R_DKIM_NA', why: 'The message has no DKIM signature.' }] };
  const symbols = sigs.map(rspamdSymbol);
  const odd = sigs.find((_, i) => symbols[i] === undefined);
  if (odd) return { hits: [], unmodelled: `DKIM: a signature (${describeSig(odd)}) ends in ${odd.result} (${odd.code}); rspamd's symbol for that is not modelled, so the DKIM and DMARC symbols are left out.` };
  // composites.conf DKIM_MIXED: -R_DKIM_ALLOW & (R_DKIM_TEMPFAIL | R_DKIM_PERMFAIL | R_DKIM_REJECT), remove_weight.
  // Seen beside R_DKIM_PERMFAIL (scenario D12: weights unchanged, both 0); beside R_DKIM_REJECT it would take
  // REJECT's 1.0 off: not seen, not modelled.
  const mixed = symbols.includes('R_DKIM_ALLOW') && symbols.some((s) => s === 'R_DKIM_PERMFAIL' || s === 'R_DKIM_REJECT');
  if (mixed && symbols.includes('R_DKIM_REJECT'))
    return { hits: [], unmodelled: 'DKIM: one signature verifies and another does not verify (composite DKIM_MIXED): not modelled, so the DKIM and DMARC symbols are left out.' };
  const hits: DkimHits['hits'] = [];
  for (const [i, s] of sigs.entries()) {
    const rule = symbols[i];
    if (!rule || hits.some((h) => h.rule === rule)) continue;
    const why =
      rule === 'R_DKIM_ALLOW' ? `The signature ${describeSig(s)} verifies.`
        : rule === 'R_DKIM_REJECT' ? `The signature ${describeSig(s)} does not verify (${s.code.replace(/^dkim-sig-/, '')}).`
          : s.code === 'dkim-sig-key-revoked' ? `The key of ${describeSig(s)} is revoked (empty p=).`
            : `The key of ${describeSig(s)} does not exist (${s.s ?? '?'}._domainkey.${s.d}).`;
    hits.push({ rule, why });
  }
  if (mixed) hits.push({ rule: 'DKIM_MIXED', why: 'One signature verifies and another fails (composite DKIM_MIXED).' });
  return { hits };
}

/** SpamAssassin's __NOT_SPOOFED (with the DKIM plugin): a valid signature counts. */
export function dkimValid(input: ReceiverInput): boolean {
  return (input.dkim ?? []).some((s) => s.result === 'pass');
}

/**
 * composites.conf DMARC_POLICY_ALLOW_WITH_FAILURES: DMARC_POLICY_ALLOW & (R_SPF_SOFTFAIL | R_SPF_FAIL |
 * R_DKIM_REJECT), policy remove_weight: DMARC passes on one method while the other fails. The
 * composite's weight (-0.5) replaces the weights of the symbols it matched (rows changed in place),
 * as the real rspamd did in scenarios D3, D6 and D9.
 */
export function dmarcAllowWithFailures(rows: ReceiverRow[], version: string): void {
  const allow = rows.find((r) => r.rule === 'DMARC_POLICY_ALLOW');
  const failures = rows.filter((r) => r.rule === 'R_SPF_SOFTFAIL' || r.rule === 'R_SPF_FAIL' || r.rule === 'R_DKIM_REJECT');
  if (!allow || failures.length === 0) return;
  // A symbol that is also in a matched composite with policy "leave" keeps its weight: VIOLATED_DIRECT_SPF
  // (R_SPF_FAIL | R_SPF_SOFTFAIL without TLS) keeps R_SPF_FAIL's (seen in the tests, scenario D9).
  const leave = rows.some((r) => r.rule === 'VIOLATED_DIRECT_SPF');
  for (const r of [allow, ...failures]) {
    if ((r.score ?? 0) === 0 || (leave && r.rule.startsWith('R_SPF_'))) continue;
    r.score = 0;
    r.why += ' Its weight is taken off by the composite DMARC_POLICY_ALLOW_WITH_FAILURES.';
  }
  rows.push({
    receiver: 'rspamd', version, rule: 'DMARC_POLICY_ALLOW_WITH_FAILURES', verdict: 'hit', score: RSPAMD_DKIM_WEIGHTS.DMARC_POLICY_ALLOW_WITH_FAILURES,
    why: `DMARC passes, but ${failures.map((r) => r.rule).join(' and ')} failed.`, docUrl: 'https://rspamd.com/doc/configuration/composites.html',
  });
}

/**
 * The DMARC result SpamAssassin's DMARC plugin gets from Mail::DMARC: it hands over the SPF result of
 * the MAIL FROM and of the HELO name, and Mail::DMARC (PurePerl is_spf_aligned) takes the MAIL FROM's
 * when it passed, else the HELO name's. So a HELO name that passes SPF and aligns with the From domain
 * passes DMARC for SpamAssassin where RFC 7489 says fail (seen in the tests, scenario D8). The DKIM
 * side is the RFC's (the signatures' own results).
 */
export function spamassassinDmarc(input: ReceiverInput, d: DmarcEvaluation): { result: DmarcEvaluation['result']; why?: string } {
  if (d.result !== 'fail' || input.spf?.result === 'pass') return { result: d.result };
  const helo = input.helo.trim().toLowerCase();
  const heloSpf = input.heloCheck?.spf;
  if (!heloSpf || heloSpf.result !== 'pass' || !helo.includes('.') || helo.startsWith('[')) return { result: d.result };
  const a = alignmentOf(d.fromDomain, helo, d.alignment?.spf.mode ?? 'r');
  if (!a.matches) return { result: d.result };
  return { result: 'pass', why: `DMARC passes for SpamAssassin on the HELO name's SPF pass (${helo}; ${a.why}): its DMARC plugin gives Mail::DMARC the HELO result when the MAIL FROM's SPF did not pass, which RFC 7489 does not.` };
}

// The DMARC result a receiver computes for one message (RFC 7489 §6.6.2, §3.1, §6.6.4), from the SPF
// and DKIM results it already has and the discovered policy. Pure: no DNS (the message verifier
// discovers the policy with checkDmarc or policyFromRecord and hands it in).
//
// DMARC passes when SPF passed for a domain aligned with the From domain, or any DKIM signature
// passed for an aligned d= domain. Relaxed alignment: the same organizational domain (Public Suffix
// List, RFC 7489 §3.2); strict: the same name (§3.1.1, §3.1.2).
import { appliedPolicy } from './policy';
import { organizationalDomain } from './psl';
import { weaker } from './tags';
import type { AlignmentMode, AppliedPolicy, DiscoveredPolicy, PolicyValue } from './types';

export interface DmarcAuthInput {
  /** The RFC 5322 From domain (RFC 7489 §6.6.1). */
  fromDomain: string;
  /** SPF's result for the envelope sender (MAIL FROM, or the HELO name for a null sender) and that domain. */
  spf: { result: string; domain: string };
  /** Each DKIM signature's verification result and its d= domain. */
  dkim: { result: string; d: string }[];
}

export interface AlignmentCheck {
  /** The authenticated domain (SPF's domain or a signature's d=). */
  domain: string;
  /** The SPF or DKIM result for it. */
  result: string;
  /** It passed and is aligned: it makes DMARC pass. */
  aligned: boolean;
  /** The domains match as the mode asks (whether or not the result passed). */
  matches: boolean;
  mode: AlignmentMode;
  why: string;
}

export type DmarcEvalResult = 'pass' | 'fail' | 'none' | 'temperror' | 'permerror';

export interface DmarcEvaluation {
  /** RFC 8601 §2.7.1 dmarc= result. */
  result: DmarcEvalResult;
  fromDomain: string;
  alignment: { spf: AlignmentCheck; dkim: AlignmentCheck[] };
  /** The policy that applies to the From domain (p, sp or np, and from which record); null without one. */
  policy: (AppliedPolicy & { recordDomain: string; source: 'domain' | 'organizational' }) | null;
  pct: number;
  /**
   * What the receiver does: none for pass (and for fail under p=none); for fail, the policy for the
   * sampled pct% of mail and `unsampled` for the rest (RFC 7489 §6.6.4), or the next weaker one
   * for t=y (DMARCbis).
   */
  disposition: PolicyValue;
  /** With pct < 100 on a fail: the weaker policy the rest of the failing mail gets. */
  unsampled?: PolicyValue;
  /** One paragraph: why the result is what it is. */
  why: string;
}

function clean(d: string): string {
  return d.trim().toLowerCase().replace(/\.$/, '');
}

/** RFC 7489 §3.1: does `authDomain` align with `fromDomain` in `mode`? With the reason in words. */
export function alignmentOf(fromDomain: string, authDomain: string, mode: AlignmentMode): { matches: boolean; why: string } {
  const from = clean(fromDomain);
  const auth = clean(authDomain);
  if (auth === '') return { matches: false, why: 'no domain to align' };
  if (from === auth) return { matches: true, why: `${auth} is the From domain itself` };
  if (mode === 's') return { matches: false, why: `strict alignment needs exactly ${from}, and ${auth} is another name` };
  const of = organizationalDomain(from);
  const oa = organizationalDomain(auth);
  return of === oa
    ? { matches: true, why: `relaxed: ${auth} and ${from} share the organizational domain ${of}` }
    : { matches: false, why: `relaxed alignment needs the same organizational domain: ${auth} is under ${oa}, ${from} under ${of}` };
}

function check(kind: 'SPF' | 'DKIM', fromDomain: string, domain: string, result: string, mode: AlignmentMode): AlignmentCheck {
  const a = alignmentOf(fromDomain, domain, mode);
  const passed = result.toLowerCase() === 'pass';
  const aligned = passed && a.matches;
  const modeWord = mode === 's' ? 'strict' : 'relaxed';
  const what = kind === 'SPF' ? `SPF ${result} for ${clean(domain) || '(no domain)'}` : `DKIM signature d=${clean(domain) || '(none)'} ${result}`;
  const why = aligned
    ? `${what}, aligned (${a.why})`
    : !passed
      ? `${what}: only a pass can align${a.matches ? ` (the domain would align ${modeWord}ly: ${a.why})` : ''}`
      : `${what}, but not aligned: ${a.why}`;
  return { domain: clean(domain), result, aligned, matches: a.matches, mode, why };
}

/** RFC 7489 §6.6.2: the DMARC result of a message with these SPF and DKIM results under `discovered`. */
export function evaluateDmarc(input: DmarcAuthInput, discovered: DiscoveredPolicy): DmarcEvaluation {
  const fromDomain = clean(input.fromDomain);
  const policy = discovered.policy;
  const adkim: AlignmentMode = policy?.adkim ?? 'r';
  const aspf: AlignmentMode = policy?.aspf ?? 'r';
  const spf = check('SPF', fromDomain, input.spf.domain, input.spf.result, aspf);
  const dkim = input.dkim.map((s) => check('DKIM', fromDomain, s.d, s.result, adkim));
  const alignment = { spf, dkim };
  const passed = spf.aligned || dkim.some((d) => d.aligned);
  const base = { fromDomain, alignment, pct: policy?.pct ?? 100 };

  if (discovered.outcome !== 'found' || !policy || !discovered.recordDomain || !discovered.source) {
    const result: DmarcEvalResult = discovered.outcome === 'temperror' ? 'temperror' : discovered.outcome === 'permerror' ? 'permerror' : 'none';
    const why =
      result === 'temperror'
        ? `The DMARC record of ${fromDomain} could not be looked up (DNS trouble): receivers defer the mail or deliver it without DMARC.`
        : result === 'permerror'
          ? `The DMARC record receivers find for ${fromDomain} cannot be used (no valid p=, no valid rua=): no policy is applied.`
          : `${fromDomain} publishes no DMARC policy (no record, or several): receivers apply none${passed ? ', though the message is aligned' : ''}.`;
    return { ...base, result, policy: null, disposition: 'none', why };
  }

  const applied = appliedPolicy(policy, fromDomain, discovered.recordDomain, discovered.domainExists) as AppliedPolicy;
  const source = discovered.recordDomain === fromDomain ? 'domain' : 'organizational';
  const withWhere = { ...applied, recordDomain: discovered.recordDomain, source } as DmarcEvaluation['policy'];
  const passBy = [spf.aligned ? 'SPF' : undefined, ...dkim.map((d) => (d.aligned ? `DKIM d=${d.domain}` : undefined))].filter(Boolean) as string[];
  if (passed) {
    return { ...base, result: 'pass', policy: withWhere, disposition: 'none', why: `DMARC pass: aligned ${passBy.join(' and ')}. The policy (${applied.tag}=${applied.value}) does not come into play.` };
  }
  // RFC 7489 §6.6.4: pct% of failing mail gets the policy, the rest the next weaker one; DMARCbis t=y weakens it always.
  let disposition = applied.value;
  let note = '';
  if (policy.t === 'y' && disposition !== 'none') {
    disposition = weaker(disposition);
    note = ` t=y (DMARCbis testing): receivers that know it apply ${disposition} instead.`;
  }
  const sampled = policy.pct < 100 && disposition !== 'none';
  const unsampled = sampled ? weaker(disposition) : undefined;
  const failWhy = [spf.why, ...dkim.map((d) => d.why)].join('; ');
  const sampleWhy = sampled ? ` pct=${policy.pct}: ${policy.pct}% of such mail gets ${disposition}, the rest ${unsampled} (RFC 7489 §6.6.4).` : '';
  return {
    ...base,
    result: 'fail',
    policy: withWhere,
    disposition,
    ...(unsampled ? { unsampled } : {}),
    why: `DMARC fail: neither SPF nor DKIM passed aligned with ${fromDomain} (${failWhy || 'no SPF domain and no DKIM signature'}). ${applied.tag}=${applied.value} applies: ${applied.why}.${note}${sampleWhy}`,
  };
}

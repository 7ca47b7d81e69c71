// The message's own verdicts beside ours: which Authentication-Results fields the receiver wrote
// (the ones above its border Received field, RFC 8601 §5: only those of the receiver's own
// authserv-id can be trusted), each of its spf/dkim/dmarc results compared with ours with the
// likely reason when they differ, and the ARC chain (RFC 8617) summarised: what each intermediary
// saw. ARC seals are listed, not verified cryptographically (said in the result).
import { unfoldedValue } from '../dkim/message';
import type { Finding } from '../model';
import { organizationalDomain } from '../dmarc/psl';
import { type ArcSet, type AuthResultClause, type AuthResults, sealTag } from './authres';
import type { MessageHeaders } from './headers';
import type { Comparison, VerifyDmarc, VerifyResult, VerifySpf } from './types';

interface Ours {
  spf: VerifySpf;
  dkim: VerifyResult['dkim'];
  dmarc: VerifyDmarc;
  receiverOrg?: string;
}

function orgOf(id: string): string {
  return id.includes('.') ? organizationalDomain(id.replace(/\.$/, '')) : id;
}

/**
 * The Authentication-Results fields the receiver wrote: above the Received field below its border
 * hop, with an authserv-id in the receiver's organization (RFC 8601 §5: receivers delete fields with
 * their own authserv-id from incoming mail, so those are theirs). Without a known organization, the
 * topmost field's.
 */
export function receiverFields(h: MessageHeaders): AuthResults[] {
  const inWindow = h.authResults.filter((a) => a.field < h.receiverWindow);
  if (inWindow.length === 0) return [];
  const org = h.receiverOrg ?? orgOf(inWindow[0].authservId);
  return inWindow.filter((a) => orgOf(a.authservId) === org);
}

/** Our lookup failed: the two cannot be compared, and nothing is said about the message. */
const DNS_HERE = 'not comparable: our DNS lookup failed here (temperror); check again when DNS answers';

const SPF_WHY =
  'the receiver checked SPF when the message arrived; SPF records can change since, and a different connecting address or identity gives a different result';

function describe(c: AuthResultClause): string {
  const props = Object.entries(c.props)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  return `${c.method}=${c.result}${props ? ` ${props}` : ''}`;
}

function spfComparison(a: AuthResults, c: AuthResultClause, spf: VerifySpf): Comparison {
  const theirDomain = (c.props['smtp.mailfrom'] ?? c.props['smtp.helo'] ?? '').replace(/^.*@/, '').toLowerCase();
  const agree = c.result === spf.result;
  let why = '';
  if (!agree && spf.result === 'temperror') {
    return { method: 'spf', theirs: describe(c), authservId: a.authservId, ours: `spf=temperror (${spf.domain})`, agree, why: DNS_HERE };
  }
  if (!agree) {
    const parts: string[] = [];
    if (!spf.checked) parts.push(`we did not check SPF (${spf.reason})`);
    if (theirDomain && spf.domain && theirDomain !== spf.domain.toLowerCase()) parts.push(`they checked ${theirDomain}, we checked ${spf.domain}`);
    const ip = /\b(\d{1,3}(?:\.\d{1,3}){3}|[0-9a-f]*:[0-9a-f:]+)\b/i.exec(c.comment ?? '')?.[1];
    if (ip && spf.ip && ip !== spf.ip) parts.push(`their comment names ${ip}, we used ${spf.ip}`);
    parts.push(SPF_WHY);
    why = parts.join('; ');
  }
  return { method: 'spf', theirs: describe(c), authservId: a.authservId, ours: `spf=${spf.result}${spf.domain ? ` (${spf.domain})` : ''}`, agree, why };
}

function dkimComparisons(a: AuthResults, c: AuthResultClause, dkim: VerifyResult['dkim'], bValues: readonly string[]): Comparison {
  const d = (c.props['header.d'] ?? c.props['header.i'] ?? '').replace(/^.*@/, '').toLowerCase();
  const s = c.props['header.s'];
  // RFC 6008: header.b is the start of the signature's b=, telling apart two signatures of one d=.
  const b = c.props['header.b'];
  const matches = (x: VerifyResult['dkim'][number]): boolean =>
    x.d.toLowerCase() === d && (s === undefined || x.s === s) && (b === undefined || b.length < 8 || (bValues[x.index] ?? '').startsWith(b));
  const ours = dkim.find(matches) ?? dkim.find((x) => x.d.toLowerCase() === d && (s === undefined || x.s === s)) ?? (d === '' && dkim.length === 1 ? dkim[0] : undefined);
  const oursText = ours ? `dkim=${ours.result} d=${ours.d} s=${ours.s}` : 'no signature with this d= in the message';
  const agree = ours !== undefined && ours.result === c.result;
  let why = '';
  if (!agree) {
    if (ours?.result === 'temperror') why = DNS_HERE;
    else if (!ours) why = `the message as given has no DKIM-Signature with d=${d || '?'}: it was removed after the receiver checked it, or the receiver reports a signature we cannot match`;
    else if (c.result === 'pass' && ours.result === 'fail')
      why = `it passed when the receiver got it and fails now (${ours.reason}): the copy checked here differs from the one received — a mail client or filter re-encoded or re-folded it, or it was saved with changed line ends — or the key at ${ours.keyName} changed since`;
    else if (c.result === 'pass' && ours.result === 'permerror')
      why = `it passed when the receiver got it; now: ${ours.reason} — the key was removed, revoked or rotated since`;
    else if (ours.result === 'pass') why = `it verifies here but not for the receiver: the receiver saw a different copy, its key lookup failed then, or its verifier is stricter (${ours.reason})`;
    else why = `both say it does not verify, for different reasons: ours is ${ours.reason}`;
  }
  return { method: 'dkim', theirs: describe(c), authservId: a.authservId, ours: oursText, agree, why };
}

function dmarcComparison(a: AuthResults, c: AuthResultClause, dmarc: VerifyDmarc, spfDiffers: boolean, dkimDiffers: boolean): Comparison {
  const agree = c.result === dmarc.result;
  const why = agree
    ? ''
    : dmarc.result === 'temperror'
      ? DNS_HERE
      : spfDiffers || dkimDiffers
      ? `follows from the ${[spfDiffers ? 'SPF' : '', dkimDiffers ? 'DKIM' : ''].filter(Boolean).join(' and ')} difference above`
      : `the same SPF and DKIM results, a different DMARC verdict: the DMARC record of ${dmarc.fromDomain} may have changed since, or the receiver uses another organizational-domain list (ours: the bundled Public Suffix List)`;
  return { method: 'dmarc', theirs: describe(c), authservId: a.authservId, ours: `dmarc=${dmarc.result}`, agree, why };
}

function arcSummary(sets: readonly ArcSet[], problems: readonly string[]): VerifyResult['arc'] {
  if (sets.length === 0 && problems.length === 0) return { sets: [], chain: 'none', why: 'The message has no ARC sets (no intermediary sealed it).' };
  const broken: string[] = [...problems];
  sets.forEach((s, k) => {
    if (s.instance !== k + 1) broken.push(`instance ${k + 1} is missing`);
    const missing = (['seal', 'signature', 'results'] as const).filter((p) => s.parts[p] === 0);
    if (missing.length > 0) broken.push(`instance ${s.instance} has no ${missing.join(', ')} field`);
    if (s.instance === 1 && s.cv !== undefined && s.cv !== 'none') broken.push(`instance 1 says cv=${s.cv}: the first seal must say cv=none (RFC 8617 §5.1.1)`);
    if (s.instance > 1 && s.cv !== undefined && s.cv !== 'pass') broken.push(`instance ${s.instance} says cv=${s.cv}: its sealer found the chain before it broken`);
  });
  const last = sets[sets.length - 1];
  return broken.length > 0
    ? { sets: [...sets], chain: 'broken', why: `The ARC chain is broken: ${broken.join('; ')}. Receivers ignore a broken chain (RFC 8617 §5.2).` }
    : {
        sets: [...sets],
        chain: 'present',
        why: `${sets.length} ARC set${sets.length === 1 ? '' : 's'}, the last sealed by ${last?.sealer ?? 'an unnamed domain'} (cv=${last?.cv ?? '?'}). The seals are listed as written, not verified here: a receiver that verifies them and trusts the sealers may use what they saw (RFC 8617 §7.2).`,
      };
}

export function compareResults(h: MessageHeaders, ours: Ours): { receiverFields: number[]; comparisons: Comparison[]; arc: VerifyResult['arc']; findings: Finding[] } {
  const findings: Finding[] = [];
  const mine = receiverFields(h);
  const comparisons: Comparison[] = [];
  const bValues = h.message.fields.filter((f) => f.key === 'dkim-signature').map((f) => sealTag(unfoldedValue(f), 'b') ?? '');
  for (const a of mine) {
    const spfC = a.clauses.filter((c) => c.method === 'spf').map((c) => spfComparison(a, c, ours.spf));
    const dkimC = a.clauses.filter((c) => c.method === 'dkim').map((c) => dkimComparisons(a, c, ours.dkim, bValues));
    const spfDiffers = spfC.some((c) => !c.agree);
    const dkimDiffers = dkimC.some((c) => !c.agree);
    const dmarcC = a.clauses.filter((c) => c.method === 'dmarc').map((c) => dmarcComparison(a, c, ours.dmarc, spfDiffers, dkimDiffers));
    comparisons.push(...spfC, ...dkimC, ...dmarcC);
  }
  if (h.authResults.length === 0) {
    findings.push({ code: 'verify-authres-none', severity: 'info', message: 'The message has no Authentication-Results field: no receiver recorded its verdicts (a copy from before delivery, or a receiver that does not add them).' });
  } else {
    const others = h.authResults.length - mine.length;
    if (others > 0) {
      findings.push({
        code: 'verify-authres-untrusted',
        severity: 'info',
        message: `${others} Authentication-Results field${others === 1 ? ' was' : 's were'} written by another host than the receiver (${mine[0]?.authservId ?? '?'}) or before it had the message: shown, but not compared — anyone can write them (RFC 8601 §5).`,
      });
    }
  }
  for (const c of comparisons) {
    if (c.agree) continue;
    findings.push({ code: 'verify-authres-differs', severity: c.why === DNS_HERE ? 'info' : 'warning', message: `${c.authservId} says ${c.theirs}; we find ${c.ours}: ${c.why}.` });
  }
  const arc = arcSummary(h.arc, h.arcProblems);
  if (arc.chain !== 'none') {
    const first = h.arc.find((s) => s.instance === 1)?.results;
    const saw = first ? first.clauses.filter((c) => ['spf', 'dkim', 'dmarc'].includes(c.method)).map(describe) : [];
    const rescue = ours.dmarc.result === 'fail' && first?.clauses.some((c) => (c.method === 'dmarc' || c.method === 'dkim') && c.result === 'pass');
    findings.push({
      code: arc.chain === 'broken' ? 'verify-arc-broken' : 'verify-arc-present',
      severity: arc.chain === 'broken' ? 'warning' : 'info',
      message:
        `${arc.why}${first ? ` The first intermediary (${first.authservId || 'unnamed'}) saw: ${saw.join('; ') || 'no SPF, DKIM or DMARC results'}.` : ''}` +
        (rescue ? ' DMARC fails now but passed when the first intermediary got it: the message was changed on the way (a list or forwarder); a receiver that trusts the sealer may deliver it anyway.' : ''),
    });
  }
  void ours.receiverOrg;
  return { receiverFields: mine.map((a) => a.field), comparisons, arc, findings };
}

// Gmail, Yahoo and Microsoft (Outlook.com) as receivers of the matrix: their published sender
// requirements, read from the combined check's requirements table (../mailcheck/requirements.ts),
// never re-derived. Each row is marked `basis: 'published-rule'`: what the provider's page says it
// requires, not what its servers were seen doing (no test can run them). A verdict is whether this
// server meets the rule: met / not met / cannot tell; the reply is the one the provider publishes for it.
import type { HeloResult } from '../helo/types';
import type { ProviderId, RequirementFacts, RequirementId, RequirementStanding, SenderRequirements } from '../mailcheck/requirements';
import { appliesLabel, PROVIDERS, senderRequirements, SOURCES } from '../mailcheck/requirements';
import { gmailVerdict } from '../rdns/receivers';
import type { RdnsResult } from '../rdns/types';
import type { SpfResult } from '../spf/types';
import type { ReceiverRow } from './types';

const VERDICT: Record<RequirementStanding['status'], ReceiverRow['verdict']> = { pass: 'met', fail: 'not met', warning: 'cannot tell', info: 'cannot tell' };

// Microsoft's page (its "April 29th Update"): non-compliant high-volume mail is rejected with this reply.
const MICROSOFT_REPLY = '550; 5.7.515 Access denied, sending domain [SendingDomain] does not meet the required authentication level.';

function reply(p: ProviderId, row: RequirementStanding, ip: string, fromDomain: string): string | undefined {
  if (row.status !== 'fail') return undefined;
  if (p === 'microsoft' && row.rules.microsoft.applies === 'bulk') return MICROSOFT_REPLY.replace('[SendingDomain]', fromDomain);
  if (p === 'gmail' && row.id === 'fcrdns') return gmailVerdict(ip, 'fail').reply;
  return undefined;
}

/** The published-rule rows of each provider: one per requirement it states (all or bulk senders) that a check can see. */
export function publishedRuleRows(req: SenderRequirements, ip: string, fromDomain: string): ReceiverRow[] {
  const rows: ReceiverRow[] = [];
  for (const p of PROVIDERS) {
    const src = SOURCES[p];
    for (const row of req.rows) {
      const rule = row.rules[p];
      if (!row.checked || (rule.applies !== 'all' && rule.applies !== 'bulk')) continue;
      const r = reply(p, row, ip, fromDomain);
      rows.push({
        receiver: p,
        basis: 'published-rule',
        version: `${src.name}'s published requirements (${src.title}; in force since ${src.inForce}; wording as of ${req.checked})`,
        rule: `${row.title} (${appliesLabel(p, rule.applies)})`,
        verdict: VERDICT[row.status],
        ...(r ? { reply: r } : {}),
        why: `${row.standing} ${src.name}: "${rule.wording}"`,
        docUrl: src.url,
      });
    }
  }
  return rows;
}

// The rDNS, HELO and SPF reports: the same table and the same standing (senderRequirements), with the
// facts that check has and every other fact "not part of this check", keeping only the requirements
// it speaks to. A requirement that also needs another check's fact (SPF *and* DKIM) is "cannot tell"
// unless this check's fact alone settles it (SPF fails: not met).
const NOT_HERE = 'is not part of this check (Check mail server looks at it)';

function partialFacts(fromDomain: string, facts: Partial<RequirementFacts>): RequirementFacts {
  return {
    fromDomain,
    spf: null,
    dkim: { usableSelectors: [], selectorGiven: false, undecided: true, summary: `DKIM ${NOT_HERE}` },
    dmarc: { outcome: 'temperror', summary: `DMARC ${NOT_HERE}` },
    alignment: { spf: null, dkim: null, summary: `Alignment ${NOT_HERE}` },
    fcrdns: { result: 'temperror', summary: `FCrDNS ${NOT_HERE}` },
    tls: { probed: false },
    ...facts,
  };
}

function partialRows(ids: readonly RequirementId[], facts: RequirementFacts, ip: string): ReceiverRow[] {
  const req = senderRequirements(facts);
  return publishedRuleRows({ ...req, rows: req.rows.filter((r) => ids.includes(r.id)) }, ip, facts.fromDomain);
}

/** Gmail's and Yahoo's FCrDNS rule (Outlook.com names none), from the rDNS check's iprev result. */
export function publishedRowsOfRdns(r: RdnsResult): ReceiverRow[] {
  const summary = r.confirmed.length > 0
    ? `${r.ip} has the PTR name ${r.confirmed[0]}, which resolves back to it (iprev pass).`
    : r.ptr.length > 0
      ? `None of the PTR names of ${r.ip} (${r.ptr.slice(0, 3).join(', ')}) resolves back to it (iprev ${r.fcrdns}).`
      : `${r.ip} has no PTR name (iprev ${r.fcrdns}).`;
  return partialRows(['fcrdns'], partialFacts('', { fcrdns: { result: r.fcrdns, summary } }), r.ip);
}

/**
 * The same FCrDNS rule from the HELO check's own PTR lookup of the sending IP (first hop, its first
 * PTR names): pass when one resolves back, cannot tell when the PTR lookup failed. Without an IP
 * (or a PTR lookup): none.
 */
export function publishedRowsOfHelo(h: HeloResult): ReceiverRow[] {
  if (!h.ip || !h.lookups.some((l) => l.type === 'PTR')) return [];
  const ptrFailed = h.matchesPtr === null;
  const result = h.confirmedPtr.length > 0 ? 'pass' : ptrFailed ? 'temperror' : 'fail';
  const summary =
    result === 'pass'
      ? `${h.ip} has the PTR name ${h.confirmedPtr[0]}, which resolves back to it.`
      : result === 'temperror'
        ? `The PTR lookup of ${h.ip} failed: whether it has forward and reverse DNS is unknown (Check rDNS for IP).`
        : h.ptr.length > 0
          ? `None of the PTR names of ${h.ip} (${h.ptr.slice(0, 3).join(', ')}) resolves back to it in the HELO check's lookups (Check rDNS for IP follows the whole chain).`
          : `${h.ip} has no PTR name.`;
  return partialRows(['fcrdns'], partialFacts('', { fcrdns: { result, summary } }), h.ip);
}

/** The SPF rules (SPF or DKIM; SPF and DKIM for bulk senders), for the MAIL FROM identity; the HELO identity's SPF is no provider's rule. */
export function publishedRowsOfSpf(s: SpfResult): ReceiverRow[] {
  if (s.identity === 'helo') return [];
  return partialRows(['spf-or-dkim', 'spf-and-dkim'], partialFacts(s.domain, { spf: { result: s.result, summary: `SPF ${s.result} for ${s.domain}` } }), s.ip);
}

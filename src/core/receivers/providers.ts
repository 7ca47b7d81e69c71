// Gmail, Yahoo and Microsoft (Outlook.com) as receivers of the matrix: their published sender
// requirements, read from the combined check's requirements table (../mailcheck/requirements.ts),
// never re-derived. Each row is marked `basis: 'published-rule'`: what the provider's page says it
// requires, not what its servers were seen doing (no test can run them). A verdict is whether this
// server meets the rule: met / not met / cannot tell; the reply is the one the provider publishes for it.
import type { ProviderId, RequirementStanding, SenderRequirements } from '../mailcheck/requirements';
import { appliesLabel, PROVIDERS, SOURCES } from '../mailcheck/requirements';
import { gmailVerdict } from '../rdns/receivers';
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

// Which policy applies, from a record: pure pieces shared by the DMARC check (./check.ts), the
// evaluation (./evaluate.ts) and, later, the zone-file features and the message verifier.
import { parseDmarc } from './parse';
import { organizationalDomain } from './psl';
import type { AppliedPolicy, DiscoveredPolicy, DmarcPolicy, ParsedDmarc } from './types';

/** A record in master-file form, with its text as one quoted string (split when longer than 255). */
export function txtRecord(owner: string, text: string): string {
  const chunks: string[] = [];
  for (let i = 0; i < text.length || i === 0; i += 255) chunks.push(text.slice(i, i + 255));
  return `${owner}. 3600 IN TXT ${chunks.map((c) => `"${c.replace(/(["\\])/g, '\\$1')}"`).join(' ')}`;
}

/** The record to publish when a domain has none: monitoring first, with reports to the domain itself. */
export function starterRecord(orgDomain: string): { owner: string; text: string; record: string } {
  const owner = `_dmarc.${orgDomain}`;
  const text = `v=DMARC1; p=none; rua=mailto:dmarc-reports@${orgDomain}`;
  return { owner, text, record: txtRecord(owner, text) };
}

/** The next step, in words: what to move to and when. */
export const NEXT_STEPS =
  'Read the aggregate reports for 2–4 weeks. When every service that sends as the domain (your servers, newsletters, CRM, ticketing) passes with aligned SPF or DKIM, change p=none to p=quarantine; after a few more weeks of clean reports, to p=reject.';

/**
 * RFC 7489 §6.6.3 and RFC 9091 §4.1: which of the record's policies applies to `domain`. The record's
 * own domain gets p; a subdomain without its own record gets sp (else p), and one that does not exist
 * gets np (else sp, else p).
 */
export function appliedPolicy(policy: DmarcPolicy, domain: string, recordDomain: string, domainExists: boolean | null): AppliedPolicy | null {
  if (!policy.p) return null;
  const d = domain.toLowerCase().replace(/\.$/, '');
  if (d === recordDomain) return { tag: 'p', value: policy.p, why: `the record is ${d}'s own, so p applies` };
  if (domainExists === false && policy.np) return { tag: 'np', value: policy.np, why: `${d} does not exist (no A, AAAA or MX record) and the record of ${recordDomain} has np= (RFC 9091 §4.1)` };
  if (policy.sp) return { tag: 'sp', value: policy.sp, why: `${d} has no record of its own, so the subdomain policy sp of ${recordDomain} applies (RFC 7489 §6.3)` };
  return { tag: 'p', value: policy.p, why: `${d} has no record of its own and ${recordDomain}'s record has no sp=, so its p applies to subdomains too (RFC 7489 §6.3)` };
}

/** The policy receivers apply from a parsed record: p=none when RFC 7489 §6.6.3 step 6 says so, null when none. */
export function effectivePolicy(parsed: ParsedDmarc): DmarcPolicy | null {
  if (parsed.usable) return parsed.policy;
  if (parsed.pNoneFallback) return { ...parsed.policy, p: 'none', sp: parsed.policy.sp ?? null };
  return null;
}

/**
 * A discovered policy from a record known without DNS (a zone file, a test): `recordText` published
 * at `_dmarc.<recordDomain>`, for mail From `domain`.
 */
export function policyFromRecord(domain: string, recordText: string, recordDomain: string, domainExists: boolean | null = null): DiscoveredPolicy {
  const d = domain.toLowerCase().replace(/\.$/, '');
  const rd = recordDomain.toLowerCase().replace(/\.$/, '');
  const parsed = parseDmarc(recordText);
  const policy = parsed.isDmarc ? effectivePolicy(parsed) : null;
  return {
    outcome: !parsed.isDmarc ? 'none' : policy ? 'found' : 'permerror',
    domain: d,
    orgDomain: organizationalDomain(d),
    recordDomain: parsed.isDmarc ? rd : null,
    source: parsed.isDmarc ? (rd === d ? 'domain' : 'organizational') : null,
    record: parsed.isDmarc ? recordText : null,
    policy,
    domainExists,
  };
}


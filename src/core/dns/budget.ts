// Query budgets: a bound on how many DNS questions one check may ask, whatever the zones it meets.
//
// A hostile or broken zone can make a check ask without end: thousands of MX hosts or addresses,
// PTR names that fan out, CNAME chains. Each check wraps its resolver with `withBudget`; every
// question it (and any check it runs inside it) asks is counted against that budget BEFORE it is
// sent, and once the budget is used up the question is not sent: its answer is rcode BUDGET, which
// every check already treats as DNS trouble (temperror, never a verdict). The check then says so in
// a finding that names the budget (`budgetFinding`). Like the RFC 7208 lookup limits in mailauth, a
// decorator around the injectable resolver, not a counter threaded through each check by hand.
import type { Finding } from '../model';
import type { DnsResponse, LookupResult, QueryBudget, QueryOptions, RecordType, Resolver } from './types';

/**
 * The budgets' values, in one place (docs/security.md explains each). They are far above
 * what a sound zone needs and far below what makes a check slow: a check that reaches one says so.
 */
export const LIMITS = {
  /** rDNS walk: lookups (one PTR, or one A and one AAAA, each), checked before each lookup. */
  rdnsLookups: 64,
  /** rDNS check: every DNS query, CNAME chasing and the zone lookups behind the fixes included. */
  rdnsQueries: 160,
  /** rDNS check: answers kept per lookup (the walk follows 10 per node; the rest are counted). */
  rdnsAnswersPerStep: 32,
  /** HELO and blocklist checks: answers listed per lookup (verdicts are taken from all of them). */
  answersListed: 32,
  /** MX check: hosts whose addresses are looked up (lowest preference first). */
  mxHosts: 10,
  /** MX check: hosts listed at all (each with its findings); the rest are counted in one finding. */
  mxListedHosts: 50,
  /** MX check: addresses listed per host; the rest are counted. */
  mxAddressesPerHost: 16,
  /** MX check: host addresses that get an rDNS check, over all hosts (MX hosts × addresses). */
  mxRdnsAddresses: 20,
  /** MX check: the rDNS check of one host address (two hops: its PTR, and A/AAAA of up to 3 names). */
  mxRdnsLookups: 7,
  mxRdnsQueries: 10,
  /** MX check: every DNS query, its rDNS checks included (1 MX + 10 hosts × 2 + 20 × 10 + 20 zones, with room). */
  mxQueries: 300,
  /** DMARC check: report hosts whose `_report._dmarc` authorization is looked up (RFC 7489 §7.1). */
  dmarcReportHosts: 10,
  /** DMARC check: every DNS query (2 policy lookups, 3 for np, a zone, the report hosts, CNAMEs), with room. */
  dmarcQueries: 40,
  /** DMARC check: TXT records at a _dmarc name that are not DMARC, listed one finding each; the rest in one. */
  dmarcOtherTxtListed: 5,
  /** Combined check: every DNS query of all its sub-checks together. */
  mailcheckQueries: 1000,
} as const;

export function createBudget(name: string, limit: number): QueryBudget {
  return { name, limit, used: 0, refused: 0 };
}

/**
 * Takes one question from every budget, or from none: returns the first used-up budget (nothing
 * taken), or undefined when the question may be sent.
 */
export function takeBudget(budgets: readonly QueryBudget[] | undefined): QueryBudget | undefined {
  if (!budgets || budgets.length === 0) return undefined;
  const over = budgets.find((b) => b.used >= b.limit);
  if (over) {
    for (const b of budgets) if (b.used >= b.limit) b.refused++;
    return over;
  }
  for (const b of budgets) b.used++;
  return undefined;
}

/** The answer to a question a used-up budget kept from being sent. */
export function budgetResponse(name: string, type: string, budget: QueryBudget, server: string): DnsResponse {
  return {
    question: { name, type },
    rcode: 'BUDGET',
    answers: [],
    authorities: [],
    server,
    transport: 'udp',
    authoritative: false,
    error: `not asked: the ${budget.name}'s budget of ${budget.limit} DNS queries is used up`,
    elapsedMs: 0,
  };
}

/**
 * The answer budget: at most `cap` of a lookup's answers are carried into a result, those in
 * `keep` (the values a verdict looks for) first; `omitted` counts the rest. Verdicts are taken
 * from all answers before this, so listing fewer never changes one.
 */
export function firstAnswers(all: readonly string[], keep: readonly string[] = [], cap: number = LIMITS.answersListed): { answers: string[]; omitted: number } {
  if (all.length <= cap) return { answers: [...all], omitted: 0 };
  const answers = [...all.filter((a) => keep.includes(a)), ...all.filter((a) => !keep.includes(a))].slice(0, cap);
  return { answers, omitted: all.length - answers.length };
}

/** The resolver as one check sees it: every question also counts against `budget`. */
export function withBudget(inner: Resolver, budget: QueryBudget): Resolver {
  const opts = (o: QueryOptions | undefined): QueryOptions => ({ ...o, budgets: [...(o?.budgets ?? []), budget] });
  return {
    query: (name: string, type: RecordType, o?: QueryOptions): Promise<DnsResponse> => inner.query(name, type, opts(o)),
    lookup: (name: string, type: RecordType, o?: QueryOptions): Promise<LookupResult> => inner.lookup(name, type, opts(o)),
    servers: () => inner.servers(),
    dig: (name: string, type: RecordType) => inner.dig(name, type),
  };
}

/** The finding a check adds when its budget kept questions from being asked; undefined when it did not. */
export function budgetFinding(budget: QueryBudget, consequence: string): Finding | undefined {
  if (budget.refused === 0) return undefined;
  return {
    code: 'dns-query-budget',
    severity: 'warning',
    message:
      `The ${budget.name} stopped asking DNS after ${budget.limit} queries (its query budget, a bound against hostile or broken zones); ` +
      `${budget.refused} more ${budget.refused === 1 ? 'query was' : 'queries were'} not sent. ${consequence}`,
  };
}

// The live half of SPF in zone files: what DNS says an include:/redirect= target's record is, and
// how many DNS-querying terms its branch costs, through check_host() (RFC 7208 §4.6.4) and the
// injected Resolver. Nothing here runs unless the caller has live lookups on.
import type { Resolver } from '../dns/types';
import { checkHost } from '../spf/check';
import type { SpfResultCode } from '../spf/types';
import { type LookupCount, type SpfSource, staticLookupCount } from './spfLint';
import type { ZoneIndex } from './zoneIndex';

// An address no record lists: check_host() then goes through every term up to `all`, the worst
// case a receiver pays for. (A branch that gives pass for everyone, `+all`, stops there.)
const PROBE_IP = '0.0.0.0';

export interface SpfBranch {
  /** The target, as check_host() was given it (no trailing dot). */
  domain: string;
  /** The SPF record DNS returned (strings joined), when there is one. */
  record?: string;
  /** DNS-querying terms inside the branch, nested includes counted; the include/redirect term itself not. */
  lookups: number;
  /** No lookup failed on the way: `lookups` is the whole branch, not a lower bound. */
  complete: boolean;
  result: SpfResultCode;
  /** Why there is no record, or what stopped the count, in words. */
  note?: string;
  /** The dig command for the target's TXT record. */
  dig?: string;
}

export interface LiveOptions {
  resolver: Resolver;
  signal?: AbortSignal;
  /** check_host()'s overall deadline (RFC 7208 §4.6.4 suggests at least 20 s; default 20000 ms). */
  deadlineMs?: number;
}

/** The record at `domain` and the lookups its branch costs, asked of DNS. */
export async function spfBranch(domain: string, options: LiveOptions): Promise<SpfBranch> {
  const name = domain.length > 1 && domain.endsWith('.') ? domain.slice(0, -1) : domain;
  const r = await checkHost({ ip: PROBE_IP, domain: name }, { resolver: options.resolver, signal: options.signal, ...(options.deadlineMs ? { deadlineMs: options.deadlineMs } : {}) });
  const tree = r.tree;
  const complete = r.result !== 'temperror';
  const note = tree.record === undefined ? (tree.note ?? r.reason) : complete ? undefined : r.reason.replace(/^temperror: /, '');
  return {
    domain: r.domain,
    ...(tree.record !== undefined ? { record: tree.record } : {}),
    lookups: r.totalLookups,
    complete,
    result: r.result,
    ...(note ? { note } : {}),
    ...(tree.query ? { dig: tree.query.dig } : {}),
  };
}

export interface LiveLookupCount {
  /** Own terms, workspace includes followed, and every branch outside the workspace as DNS answered. */
  total: number;
  /** The count without DNS this started from. */
  static: LookupCount;
  /** One per distinct include/redirect target outside the workspace. */
  branches: SpfBranch[];
  /** Targets built from macros: nothing to ask until a message is checked. */
  uncounted: string[];
}

/** RFC 7208 §4.6.4 lookup count of an SPF record in a zone file, with DNS asked about the targets outside the workspace. */
export async function liveLookupCount(source: SpfSource, index: ZoneIndex, options: LiveOptions): Promise<LiveLookupCount> {
  const count = staticLookupCount(source, index);
  const distinct = [...new Set(count.unknown)];
  const uncounted = distinct.filter((spec) => spec.includes('%'));
  const asked = distinct.filter((spec) => !spec.includes('%'));
  const branches = await Promise.all(asked.map((spec) => spfBranch(spec, options)));
  const bySpec = new Map(asked.map((spec, i) => [spec, branches[i]]));
  let total = count.total;
  // A target included twice is evaluated twice: each include costs its branch again.
  for (const spec of count.unknown) total += bySpec.get(spec)?.lookups ?? 0;
  return { total, static: count, branches, uncounted };
}

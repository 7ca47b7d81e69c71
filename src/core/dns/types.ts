import type { Rcode } from '../model';

export type RecordType = 'A' | 'AAAA' | 'PTR' | 'CNAME' | 'MX' | 'TXT' | 'NS' | 'SOA' | 'SPF' | 'DNAME';

export interface SoaData {
  mname: string;
  rname: string;
  serial: number;
  refresh: number;
  retry: number;
  expire: number;
  minimum: number;
}

export interface MxData {
  preference: number;
  exchange: string;
}

/** One resource record, names lower case without the trailing dot. */
export type DnsRecord =
  | { name: string; type: 'A' | 'AAAA' | 'PTR' | 'CNAME' | 'NS' | 'DNAME'; ttl: number; data: string }
  | { name: string; type: 'MX'; ttl: number; data: MxData }
  | { name: string; type: 'TXT' | 'SPF'; ttl: number; data: string[] }
  | { name: string; type: 'SOA'; ttl: number; data: SoaData }
  | { name: string; type: string; ttl: number; data: unknown };

/** One DNS exchange as data. Transport trouble is an rcode too (TIMEOUT, BADREPLY), never an exception. */
export interface DnsResponse {
  question: { name: string; type: string };
  rcode: Rcode;
  answers: DnsRecord[];
  authorities: DnsRecord[];
  /** `host:port` of the server that gave this answer (or the last one tried). */
  server: string;
  transport: 'udp' | 'tcp' | 'cache';
  /** The server said it is authoritative. */
  authoritative: boolean;
  /** What went wrong, in words, for TIMEOUT/BADREPLY and for rcodes other than NOERROR/NXDOMAIN. */
  error?: string;
  /** Answers of the reply past the answer budget (../dns/transport.ts MAX_RECORDS), counted but not kept. */
  omitted?: number;
  elapsedMs: number;
}

/** A lookup with its CNAME chain followed (RFC 1034 §3.6.2), as resolvers and receivers do. */
export interface LookupResult extends DnsResponse {
  /** Records of the asked type at the end of the CNAME chain. */
  records: DnsRecord[];
  cnames: { name: string; target: string; ttl: number }[];
  /** Smallest TTL of `records`, null when there are none. */
  ttl: number | null;
}

export interface QueryOptions {
  signal?: AbortSignal;
  /**
   * Budgets this question counts against (the check's and those of the checks around it). The
   * resolver takes one query from each before asking; when one is used up it asks nothing and
   * answers rcode BUDGET. Set by `withBudget` (./budget.ts), not by hand.
   */
  budgets?: readonly QueryBudget[];
}

/** A bound on the questions one check may ask (./budget.ts). */
export interface QueryBudget {
  /** What the budget is for, as findings name it: "rDNS check", "MX check". */
  readonly name: string;
  readonly limit: number;
  /** Questions asked against it. */
  used: number;
  /** Questions not asked because it was used up. */
  refused: number;
}

export interface Resolver {
  /** One question, answered from cache, a shared flight, or the network. Never throws but on abort. */
  query(name: string, type: RecordType, options?: QueryOptions): Promise<DnsResponse>;
  /** Like `query`, but follows CNAMEs to the asked type, with a bound. */
  lookup(name: string, type: RecordType, options?: QueryOptions): Promise<LookupResult>;
  /** The servers asked, as `host:port`. */
  servers(): string[];
  /** The dig command that asks the same question of the same server. */
  dig(name: string, type: RecordType): string;
}

export function normalizeName(name: string): string {
  const n = name.toLowerCase();
  return n.endsWith('.') && n.length > 1 ? n.slice(0, -1) : n;
}

export function isTemporary(rcode: Rcode): boolean {
  return rcode !== 'NOERROR' && rcode !== 'NXDOMAIN';
}

export function abortError(signal?: AbortSignal): Error {
  const reason = signal?.reason;
  if (reason instanceof Error && reason.name === 'AbortError') return reason;
  const err = new Error('The operation was aborted');
  err.name = 'AbortError';
  return err;
}

import type { Finding, Rcode } from '../model';
import type { CodeKind } from './lists';

export type DnsblStatus =
  /** The list has an entry for the address (reputation or policy). */
  | 'listed'
  | 'not-listed'
  /** The list refused to answer this asker (REFUSED, or a "refused" return code such as Spamhaus 127.255.255.254). */
  | 'refused'
  /** DNS trouble: timeout, SERVFAIL. */
  | 'error'
  /** An answer that is no DNSBL answer (outside 127.0.0.0/8, or 127.0.0.1): a rewriting resolver or a dead list. */
  | 'bogus';

export interface DnsblCode {
  address: string;
  meaning: string;
  kind: CodeKind | 'unknown';
}

export interface DnsblZoneResult {
  zone: string;
  /** Friendly name for well-known lists. */
  list?: string;
  /** The name queried (RFC 5782 §2.1 / §2.4). */
  query: string;
  status: DnsblStatus;
  rcode: Rcode;
  /** The answer's codes, those that decide the status first; at most LIMITS.answersListed. */
  codes: DnsblCode[];
  /** Codes beyond those listed (a bound for hostile lists; the status saw them all). */
  codesOmitted?: number;
  /** TXT record at the same name (the list's reason), escaped and bounded. */
  txt?: string;
  dig: string;
  error?: string;
  /** RFC 5782 §5 test points: 127.0.0.2 (or ::FFFF:7F00:2) must be listed, 127.0.0.1 must not. */
  testPoints?: { listed2: boolean | null; listed1: boolean | null; ok: boolean };
  lookupUrl?: string;
  note?: string;
}

export interface DnsblResult {
  kind: 'dnsbl';
  ip: string;
  family: 4 | 6;
  zones: DnsblZoneResult[];
  /** Zones that list the address. */
  listed: string[];
  findings: Finding[];
  resolvers: string[];
  startedAt: string;
  elapsedMs: number;
}

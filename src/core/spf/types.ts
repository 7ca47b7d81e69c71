// The SPF result model: plain, JSON-serialisable data. check_host() returns one SpfResult; the CLI
// prints it (--json as it is), the tree view and webview map it, the tests read it. Nothing
// downstream re-evaluates anything.
import type { Finding, Rcode } from '../model';
import type { RdnsResult } from '../rdns/types';
import type { Fix } from '../model';

/** RFC 7208 §2.6 results. */
export type SpfResultCode = 'pass' | 'fail' | 'softfail' | 'neutral' | 'none' | 'permerror' | 'temperror';

/** RFC 7208 §4.6.2 qualifiers. */
export type Qualifier = '+' | '-' | '~' | '?';

export type MechanismName = 'all' | 'include' | 'a' | 'mx' | 'ptr' | 'ip4' | 'ip6' | 'exists';

/** A syntax problem in a record, with offsets into the record text. */
export interface SpfProblem {
  /** Stable finding code, e.g. `spf-unknown-mechanism` (see docs/spf.md). */
  code: string;
  message: string;
  start: number;
  end: number;
  /** A replacement for `text.slice(start, end)` that fixes it, when one is certain. */
  replacement?: string;
}

/** One term of a parsed record. Offsets are into the whole record text (`v=spf1 …`). */
export interface SpfTerm {
  /** Position among the terms (0 = first term after `v=spf1`). */
  index: number;
  text: string;
  start: number;
  end: number;
  kind: 'mechanism' | 'modifier' | 'invalid';
  /** Lower-case mechanism or modifier name as written (`include`, `redirect`, `foo` for an unknown modifier). */
  name: string;
  /** Mechanisms only: the qualifier, `+` when none is written. */
  qualifier?: Qualifier;
  qualifierExplicit?: boolean;
  /** `include`, `a`, `mx`, `ptr`, `exists` targets and `redirect`/`exp` values, unexpanded. */
  domainSpec?: string;
  domainSpecStart?: number;
  /** `ip4`/`ip6`: the network address as written. */
  network?: string;
  /** CIDR prefix lengths as written (`a/24//64`); absent means the default (32, 128). */
  cidr4?: number;
  cidr6?: number;
  /** Modifiers: the value after `=`. */
  value?: string;
  /** RFC 7208 §4.6.4: counts toward the limit of 10 DNS-querying terms when evaluated. */
  dnsTerm: boolean;
  /** The domain-spec or value holds macros (`%{…}`). */
  hasMacros: boolean;
  /** Macro letters used (lower case), e.g. `['i', 'd']`. */
  macroLetters: string[];
  problem?: SpfProblem;
}

export interface ParsedSpf {
  text: string;
  /** Starts with `v=spf1` (any case) followed by a space or the end (RFC 7208 §4.5). */
  isSpf: boolean;
  terms: SpfTerm[];
  /** Syntax problems; any one makes check_host() return permerror (RFC 7208 §4.6). */
  problems: SpfProblem[];
  /** Index into `terms` of the redirect= / exp= modifier (the first, when repeated). */
  redirect?: number;
  exp?: number;
  /** An `all` mechanism is present: a redirect= is then ignored (RFC 7208 §6.1). */
  hasAll: boolean;
}

/** The static lookup count of one record: what its own terms cost, without following includes. */
export interface StaticLookupCount {
  /** DNS-querying terms this record evaluates at most (a redirect next to `all` is not counted). */
  dnsTerms: number;
  /** Indexes of those terms. */
  terms: number[];
  /** include targets, unexpanded, in order. */
  includes: string[];
  /** The redirect target, unless an `all` makes it dead. */
  redirect?: string;
  /** Terms after an `all` mechanism: never evaluated. */
  deadTerms: number[];
}

/** One DNS query a term made, as data. */
export interface SpfQuery {
  name: string;
  type: 'TXT' | 'A' | 'AAAA' | 'MX' | 'PTR';
  rcode: Rcode;
  /** Addresses, `pref exchange` for MX, names for PTR, each TXT record's strings joined. */
  answers: string[];
  ttl: number | null;
  cnames: { name: string; target: string }[];
  server: string;
  transport: 'udp' | 'tcp' | 'cache';
  elapsedMs: number;
  dig: string;
  error?: string;
  /** What the query was for, in words (`SPF record`, `address of MX host mail.example.org`). */
  purpose: string;
  /** NOERROR with no answer records, or NXDOMAIN (RFC 7208 §4.6.4 "void lookup"). */
  empty: boolean;
}

export type TermOutcome =
  /** The mechanism matched: its qualifier is the record's result. */
  | 'match'
  | 'no-match'
  /** The term produced permerror or temperror (see `result`). */
  | 'error'
  /** Never reached: a term before it decided, or an error stopped evaluation. */
  | 'not-evaluated'
  /** Modifiers: redirect followed, exp used. */
  | 'applied'
  /** Modifiers: unknown modifiers, a redirect next to `all`, an exp not used. */
  | 'ignored';

export interface SpfTermNode {
  index: number;
  text: string;
  /** Offsets into the record text of the record node that holds this term. */
  start: number;
  end: number;
  kind: 'mechanism' | 'modifier' | 'invalid';
  name: string;
  qualifier?: Qualifier;
  /** `RFC 7208 §5.2` */
  section: string;
  /** Link to the section. */
  link: string;
  /** What the term does, in plain words, for someone who never read RFC 7208. */
  description: string;
  /** The domain this term looked up, after macro expansion. */
  target?: string;
  /** For a mechanism that matches or errs: the result it gives (qualifier result, or the error). */
  result?: SpfResultCode;
  outcome: TermOutcome;
  /**
   * This term decided its record's result: the term that matched or erred, the redirect, or the
   * include/redirect a processing limit came up through. In a `diagnosticOnly` record, what decides
   * with the limits off; in a record a limit went through, see `decidedWithoutLimits` there.
   */
  decided: boolean;
  /** Evaluated only to show the whole tree: a processing limit had already decided the result. */
  diagnosticOnly: boolean;
  /** Running number of this DNS-querying term (1 = first), counted across the whole evaluation. */
  lookup?: number;
  /** This term's lookup came back empty (counted against the void limit when `voidNumber` is set). */
  voidLookup?: boolean;
  voidNumber?: number;
  /** The processing limit this term went over, if any. */
  limit?: 'dns-terms' | 'void-lookups' | 'mx-records';
  /** Domains of an include/redirect loop this term closes, first to last (`a → b → a`). */
  loop?: string[];
  /** One line on why the term came out as it did. */
  note?: string;
  queries: SpfQuery[];
  /** The record an include or redirect evaluated. */
  record?: SpfRecordNode;
}

export interface SpfRecordNode {
  domain: string;
  via: 'check' | 'include' | 'redirect';
  depth: number;
  /** The TXT query for the record. */
  query?: SpfQuery;
  /** The selected `v=spf1` record text, strings joined without separator (RFC 7208 §3.3). */
  record?: string;
  /** TXT records at this name that are not SPF records. */
  otherTxt: number;
  /** All `v=spf1` records found, when there is more than one. */
  candidates?: string[];
  /**
   * This check_host()'s result. For a record that was being evaluated when a processing limit was
   * exceeded below it, permerror (see `resultWithoutLimits`); for a `diagnosticOnly` record, what it
   * gives with the limits off.
   */
  result: SpfResultCode;
  /** Index of the term that decided, or null: default result, no record, or an error before the terms. */
  decidedBy: number | null;
  /** How the result came about. */
  how: 'match' | 'redirect' | 'default' | 'no-record' | 'syntax' | 'multiple-records' | 'dns-error' | 'invalid-domain' | 'error' | 'loop' | 'limit';
  /** When a limit went through this record: the result and deciding term with the limits off. */
  resultWithoutLimits?: SpfResultCode;
  decidedWithoutLimits?: number | null;
  diagnosticOnly: boolean;
  note?: string;
  problems: SpfProblem[];
  terms: SpfTermNode[];
}

/** A finding about SPF; offsets (`start`/`end`) are into the record of `domain`. */
export interface SpfFinding extends Finding {
  /** The domain whose record the offsets point into. */
  domain?: string;
  /** Index of the term within that record. */
  term?: number;
}

export interface SpfDecisionStep {
  domain: string;
  /** Term index in that domain's record, or null for the default result / an error before the terms. */
  term: number | null;
  text?: string;
}

export interface SpfResult {
  kind: 'spf';
  /** The address checked, canonical text. */
  ip: string;
  family: 4 | 6;
  /** IPv4-mapped IPv6 addresses are evaluated as IPv4 (RFC 7208 §5): the address used. */
  evaluatedIp: string;
  /** The <domain> argument of check_host(). */
  domain: string;
  /** The <sender>: MAIL FROM, or postmaster@<helo> for the null sender (RFC 7208 §2.4). */
  sender: string;
  helo?: string;
  /** RFC 7208 §2.3/§2.4: which identity was checked. */
  identity: 'mailfrom' | 'helo';
  result: SpfResultCode;
  /**
   * For `fail`: the explanation receivers give (RFC 7208 §6.2: the exp= text, or the default).
   * For other results: why, in words.
   */
  explanation: string;
  explanationSource: 'exp' | 'default' | 'reason';
  /** Why, in words, whatever the result. */
  reason: string;
  /** From the top record down to the term that decided. */
  decision: SpfDecisionStep[];
  /** DNS-querying terms evaluated, strict left-to-right (RFC 7208 §4.6.4); counts the term that went over. */
  lookups: number;
  lookupLimit: number;
  voidLookups: number;
  voidLimit: number;
  /** DNS-querying terms in the whole tree, including those evaluated for diagnosis only. */
  totalLookups: number;
  totalVoidLookups: number;
  /** The first processing limit exceeded. */
  limitExceeded?: { kind: 'dns-terms' | 'void-lookups' | 'mx-records'; domain: string; term: number; text: string };
  /** When a limit decided: the result evaluation would have had without it. */
  resultWithoutLimits?: SpfResultCode;
  tree: SpfRecordNode;
  findings: SpfFinding[];
  /** The RFC 7208 §9.1 header a receiver would add. */
  receivedSpf: string;
  /** The RFC 8601 Authentication-Results method clause, e.g. `spf=pass smtp.mailfrom=example.com`. */
  authResults: string;
  /** DNS queries sent (or answered from this check's memo), all terms. */
  queries: number;
  resolvers: string[];
  startedAt: string;
  elapsedMs: number;
}

/** "Can this server send for a domain?" */
export interface SendAsMx {
  /** MX hosts by preference (at most LIMITS.answersListed). */
  hosts: { preference: number; exchange: string }[];
  /** MX hosts (or implicit-MX addresses) beyond those listed: a bound for hostile zones. */
  omitted?: number;
  rcode: Rcode;
  /** No MX records: mail goes to the domain's own address (RFC 5321 §5.1). */
  implicit: boolean;
  /** RFC 7505 null MX: the domain accepts no mail. */
  nullMx: boolean;
  /** Implicit MX: the domain's addresses. */
  addresses: string[];
  dig: string;
  error?: string;
}

export interface SendAsResult {
  kind: 'send-as';
  ip: string;
  fromDomain: string;
  /** SPF of the From domain authorizes the IP (null when SPF could not decide: temperror). */
  authorized: boolean | null;
  spf: SpfResult;
  rdns: RdnsResult;
  mx: SendAsMx;
  /** The TXT record to publish in the From domain's DNS, when SPF does not authorize the IP. */
  fix?: Fix & { lookups: number; withinLimit: boolean };
  findings: SpfFinding[];
  /** One line per question: may it send, rDNS, replies, fix. */
  summary: string[];
  startedAt: string;
  elapsedMs: number;
}

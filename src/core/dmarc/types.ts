// The DMARC model: a parsed record with offsets (for the check, the zone-file linter and its hovers),
// the policy it states, what policy discovery found for a domain, and a DMARC evaluation. Plain data.
import type { Finding, Rcode, RecordProblem } from '../model';

export type PolicyValue = 'none' | 'quarantine' | 'reject';
export type AlignmentMode = 'r' | 's';

/** A problem or a piece of advice about a record, with offsets into the record's text. */
export interface DmarcProblem extends RecordProblem {
  /** The tag it is about (lower case), when it is about one. Codes: docs/dmarc-dkim.md, "DMARC" table. */
  tag?: string;
}

/** One part of a list value: a report URI of rua/ruf, an option of fo/rf. */
export interface DmarcItem {
  text: string;
  start: number;
  end: number;
}

/** A report URI of rua= or ruf= (RFC 7489 §6.2: URI ["!" size]). */
export interface DmarcUri extends DmarcItem {
  /** `mailto`, `https`, … lower case; absent when the text has no scheme. */
  scheme?: string;
  /** The mailbox of a mailto: URI (`dmarc@example.com`). */
  address?: string;
  /** The host the reports go to: the mailbox's domain, or the URL's host; lower case. */
  host?: string;
  /** The size limit after "!", as written (`10m`). */
  size?: string;
  /** Usable as a report destination (syntax only). */
  valid: boolean;
}

/** One `tag=value` of the record, with offsets of the whole part, the name and the value. */
export interface DmarcTag {
  index: number;
  /** Lower case (ABNF literals are case-insensitive, RFC 5234 §2.3). */
  name: string;
  /** The part as written, without the surrounding spaces. */
  text: string;
  start: number;
  end: number;
  nameStart: number;
  nameEnd: number;
  value: string;
  valueStart: number;
  valueEnd: number;
  /** A tag of RFC 7489, RFC 9091 or DMARCbis. */
  known: boolean;
  /** rua/ruf: the URIs. */
  uris?: DmarcUri[];
  /** fo/rf: the options. */
  items?: DmarcItem[];
  /** The value is not one the tag allows (the problem is in `problems`). */
  invalid?: boolean;
}

/** The policy a record states, defaults applied (RFC 7489 §6.3). */
export interface DmarcPolicy {
  /** null: missing or not a valid value. */
  p: PolicyValue | null;
  /** null: not given (subdomains get p). */
  sp: PolicyValue | null;
  /** RFC 9091 / DMARCbis: non-existent subdomains; null: not given (they get sp, else p). */
  np: PolicyValue | null;
  pct: number;
  adkim: AlignmentMode;
  aspf: AlignmentMode;
  rua: string[];
  ruf: string[];
  fo: string[];
  rf: string[];
  ri: number;
  /** DMARCbis `t=y`: testing, receivers treat reject as quarantine and quarantine as none. */
  t: 'y' | 'n' | null;
  /** DMARCbis `psd=`: y a public suffix domain's record, n an organizational domain's, u unknown. */
  psd: 'y' | 'n' | 'u' | null;
}

export interface ParsedDmarc {
  text: string;
  /** Starts with the version tag (`v=DMARC1`, any case): receivers treat it as a DMARC record (RFC 7489 §6.6.3 step 2). */
  isDmarc: boolean;
  tags: DmarcTag[];
  /** Errors, warnings and notes, sorted by offset. */
  problems: DmarcProblem[];
  policy: DmarcPolicy;
  /**
   * Receivers can apply it: a valid p (and sp when given). When not, RFC 7489 §6.6.3 step 6 applies:
   * with a valid rua, receivers act as if p=none (`pNoneFallback`); otherwise they apply no DMARC.
   */
  usable: boolean;
  pNoneFallback: boolean;
}

/** One DNS question the check asked. */
export interface DmarcLookup {
  /** `policy`: _dmarc of the domain; `organizational`: _dmarc of the org domain; `exists`: A/AAAA/MX for np; `report`: `_report._dmarc` authorization. */
  role: 'policy' | 'organizational' | 'exists' | 'report';
  name: string;
  type: 'TXT' | 'A' | 'AAAA' | 'MX';
  rcode: Rcode;
  /** TXT records, each with its strings joined without separator; other types: the data as text. */
  records: string[];
  cnames: { name: string; target: string }[];
  dig: string;
  error?: string;
}

/** RFC 7489 §7.1: may reports for this domain go to this host? */
export interface ReportAuthorization {
  /** The URIs (as written) whose reports go to `host`. */
  uris: string[];
  tags: ('rua' | 'ruf')[];
  host: string;
  /** The host's organizational domain differs from the record's: reports need its consent. */
  external: boolean;
  /** `<record domain>._report._dmarc.<host>`, when external. */
  name?: string;
  status: 'internal' | 'authorized' | 'not-authorized' | 'temperror' | 'not-checked';
  /** The authorizing record, when there is one. */
  record?: string;
  /** The authorizing record names other destinations (rua=/ruf= in it replace these, RFC 7489 §7.1 step 8). */
  override?: { rua?: string[]; ruf?: string[] };
  dig?: string;
}

/** Which of the record's policies applies to the domain checked, and why. */
export interface AppliedPolicy {
  tag: 'p' | 'sp' | 'np';
  value: PolicyValue;
  why: string;
}

/**
 * What policy discovery found (RFC 7489 §6.6.3), as the evaluation needs it. `found` with a record
 * receivers apply; `none` no record (or several: receivers then apply none either, RFC 7489 §6.6.3
 * step 5, and the check calls it broken); `permerror` a record receivers cannot use; `temperror` DNS
 * trouble.
 */
export interface DiscoveredPolicy {
  outcome: 'found' | 'none' | 'permerror' | 'temperror';
  /** The domain policy was discovered for (the From domain). */
  domain: string;
  orgDomain: string;
  /** Where the record that applies was found. */
  recordDomain: string | null;
  source: 'domain' | 'organizational' | null;
  record: string | null;
  /** The policy as receivers apply it (with RFC 7489 §6.6.3 step 6's p=none when that applies). */
  policy: DmarcPolicy | null;
  /** RFC 9091: whether the domain exists (A, AAAA or MX); null when not looked up or unknown. */
  domainExists: boolean | null;
}

/** The DMARC check of a domain: "Check DMARC" and `maildns dmarc`. */
export interface DmarcResult extends DiscoveredPolicy {
  kind: 'dmarc';
  /** What was asked, when it was an address or a From header rather than the domain. */
  input?: string;
  /** enforcing: p=quarantine/reject applies; monitoring: p=none; none: no record; broken: records receivers cannot use; temperror: DNS trouble. */
  verdict: 'enforcing' | 'monitoring' | 'none' | 'broken' | 'temperror';
  /** The policy that applies to `domain` (p, sp or np of the record). */
  applied: AppliedPolicy | null;
  /** The record parsed, with offsets; null without a record. */
  parsed: ParsedDmarc | null;
  /** Every TXT record at the _dmarc names asked (DMARC or not), in order. */
  lookups: DmarcLookup[];
  reports: ReportAuthorization[];
  findings: Finding[];
  /** The Public Suffix List behind `orgDomain`. */
  psl: PslInfo;
  pslDate: string;
  resolvers: string[];
  startedAt: string;
  elapsedMs: number;
}

export interface PslInfo {
  /** The npm package the list comes from, and its version. */
  package: string;
  version: string;
  /** When that version was published: the list is as of then at the latest. */
  date: string;
}

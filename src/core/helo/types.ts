import type { Finding, Rcode, Verdict } from '../model';
import type { SpfResultCode } from '../spf/types';
import type { PostfixHeloRule } from './postfix';
import type { HeloSyntax } from './syntax';

/** One DNS query the HELO check made. */
export interface HeloLookup {
  name: string;
  type: 'A' | 'AAAA' | 'MX' | 'PTR';
  /** What it was for, in words. */
  purpose: string;
  rcode: Rcode;
  /** Addresses, names, or `pref exchange` for MX; lower case, canonical. At most LIMITS.answersListed. */
  answers: string[];
  /** Answers beyond those listed (a bound for hostile zones; verdicts saw them all). */
  answersOmitted?: number;
  cnames: { name: string; target: string }[];
  ttl: number | null;
  dig: string;
  error?: string;
}

/** Where a sending program takes its HELO name from, so the fix can say where to change it. */
export interface NameSetting {
  /** The program, e.g. `Postfix`, `Microsoft Exchange`, `EasyMail SMTP Express`. */
  mta: string;
  /** The setting, e.g. `smtp_helo_name (main.cf; default $myhostname)`. */
  setting: string;
  /** What to type, with the proposed name filled in. */
  example: string;
}

/** The HELO identity's SPF check (RFC 7208 §2.3): a summary of check_host() with <domain> = the HELO name. */
export interface HeloSpf {
  result: SpfResultCode;
  /** Why, in words (the evaluator's reason). */
  reason: string;
  /** The record checked, when there is one. */
  record?: string;
  /** The RFC 7208 §9.1 header a receiver would add. */
  receivedSpf: string;
}

export interface HeloResult {
  kind: 'helo';
  /** The name as given (trimmed). */
  name: string;
  /** The sending IP, canonical, when given. */
  ip?: string;
  syntax: HeloSyntax;
  /** RFC 5321 §2.3.5: a fully-qualified domain name (two labels or more, valid syntax). */
  fqdn: boolean;
  /** The name has A or AAAA records; null when it was not looked up (literal, invalid) or DNS failed. */
  resolves: boolean | null;
  /** The name's A and AAAA records. */
  addresses: string[];
  /** The name's MX hosts (`pref exchange`). */
  mx: string[];
  /** The name's addresses include the IP; null without an IP or a usable lookup. */
  matchesIp: boolean | null;
  /** The IP's PTR names (first hop only). */
  ptr: string[];
  /** A PTR name of the IP is this name; null without an IP or when the PTR lookup failed. */
  matchesPtr: boolean | null;
  /** PTR names of the IP that resolve back to it: the names the server should say in HELO. */
  confirmedPtr: string[];
  /** The address literal is the IP; null unless the name is a literal and an IP was given. */
  literalMatchesIp: boolean | null;
  /** RFC 7208 §2.3 HELO identity; absent without an IP or when the name is not a domain. */
  spf?: HeloSpf;
  /** What Postfix's three HELO restrictions do with this name. */
  postfix: {
    reject_invalid_helo_hostname: Verdict;
    reject_non_fqdn_helo_hostname: Verdict;
    reject_unknown_helo_hostname: Verdict;
  };
  receivers: PostfixHeloRule[];
  /** The name this check proposes to send instead, when it found one. */
  proposedName?: string;
  /** Where common mail programs set the HELO name. */
  nameSettings: NameSetting[];
  lookups: HeloLookup[];
  findings: Finding[];
  resolvers: string[];
  startedAt: string;
  elapsedMs: number;
}

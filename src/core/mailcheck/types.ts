import type { DkimKeyResult } from '../dkim/types';
import type { AlignmentMode, DmarcResult } from '../dmarc/types';
import type { DnsblResult } from '../dnsbl/types';
import type { HeloResult } from '../helo/types';
import type { Finding, Fix, Status } from '../model';
import type { MxResult } from '../mx/types';
import type { RdnsResult } from '../rdns/types';
import type { SmtpProbeResult } from '../smtp/types';
import type { SpfResult } from '../spf/types';
import type { SenderRequirements } from './requirements';

export type MailCheckRowId = 'rdns' | 'helo' | 'spf-from' | 'spf-helo' | 'dkim' | 'dmarc' | 'mx' | 'dnsbl' | 'smtp';

/** One line of the combined report: a sub-check, its verdict, and the one change that fixes it. */
export interface MailCheckRow {
  id: MailCheckRowId;
  title: string;
  status: Status;
  /** False when DNS trouble (or a refusing list) kept the sub-check from deciding. */
  decided: boolean;
  /** One line: what the sub-check found. */
  summary: string;
  /** The most important fix of the sub-check, when something is wrong. */
  fix?: Fix;
  /** The sub-check's error and warning findings. */
  findings: Finding[];
}

/**
 * Could the From domain pass DMARC through this identifier (RFC 7489 §3.1)? Without a message only
 * the domains can be compared: SPF as this check evaluated it (the From domain as the envelope
 * sender's domain), DKIM as a signature with d= the From domain and a key found under it would be.
 */
export interface AlignmentPart {
  /** The authenticated domain compared with the From domain (SPF's domain, a signature's d=). */
  domain: string;
  /** The DMARC record's aspf / adkim, r (relaxed) by default. */
  mode: AlignmentMode;
  /** true: it passes and aligns; false: it cannot; null: cannot tell (DNS trouble, SPF not evaluated). */
  aligned: boolean | null;
  /** One sentence: why. */
  why: string;
}

export interface MailAlignment {
  fromDomain: string;
  /** Where the modes come from: `_dmarc.<domain>`, or null when no record applies (the defaults, r). */
  modesFrom: string | null;
  spf: AlignmentPart & { result: string | null };
  /** The DKIM selectors with a usable key under the From domain. */
  dkim: AlignmentPart & { selectors: string[] };
  /** What only a message can tell, and where to check one. */
  caveat: string;
}

export interface MailCheckResult {
  kind: 'mailcheck';
  ip: string;
  heloName: string;
  fromDomain: string;
  /** The DKIM selector given; null when the common selectors were tried. */
  dkimSelector: string | null;
  /** The worst row status. */
  status: Status;
  rows: MailCheckRow[];
  /** The answer to "why do my mails bounce, and what exactly do I change?", one line per change, most important first. */
  answer: string[];
  /** Could SPF and DKIM align with the From domain under its DMARC record? */
  alignment: MailAlignment;
  /** What Gmail, Yahoo and Outlook.com require of senders, and where this server stands on each. */
  requirements: SenderRequirements;
  /** Findings of the combined check itself (its query budget), beside the rows' own. */
  findings: Finding[];
  results: {
    rdns: RdnsResult;
    helo: HeloResult;
    /** check_host() for the From domain; absent when the SPF evaluator was switched off. */
    spf?: SpfResult;
    /** The DKIM key check: the selector given, or the common ones. */
    dkim: DkimKeyResult;
    /** The DMARC check of the From domain. */
    dmarc: DmarcResult;
    mx: MxResult;
    dnsbl: DnsblResult;
    smtp?: SmtpProbeResult;
  };
  resolvers: string[];
  startedAt: string;
  elapsedMs: number;
}

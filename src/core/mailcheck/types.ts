import type { DnsblResult } from '../dnsbl/types';
import type { HeloResult } from '../helo/types';
import type { Finding, Fix, Status } from '../model';
import type { MxResult } from '../mx/types';
import type { RdnsResult } from '../rdns/types';
import type { ReceiverRow } from '../receivers/types';
import type { SmtpProbeResult } from '../smtp/types';
import type { SpfResult } from '../spf/types';

export type MailCheckRowId = 'rdns' | 'helo' | 'spf-from' | 'spf-helo' | 'mx' | 'dnsbl' | 'smtp';

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

export interface MailCheckResult {
  kind: 'mailcheck';
  ip: string;
  heloName: string;
  fromDomain: string;
  /** The worst row status. */
  status: Status;
  rows: MailCheckRow[];
  /** The answer to "why do my mails bounce, and what exactly do I change?", one line per change, most important first. */
  answer: string[];
  /** Findings of the combined check itself (its query budget), beside the rows' own. */
  findings: Finding[];
  results: {
    rdns: RdnsResult;
    helo: HeloResult;
    /** check_host() for the From domain; absent when the SPF evaluator was switched off. */
    spf?: SpfResult;
    mx: MxResult;
    dnsbl: DnsblResult;
    smtp?: SmtpProbeResult;
  };
  /** What Exim, SpamAssassin and rspamd do with this connection (docs/receivers.md). */
  receivers?: ReceiverRow[];
  resolvers: string[];
  startedAt: string;
  elapsedMs: number;
}

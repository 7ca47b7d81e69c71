// "Check a received message": plain, JSON-serialisable data (the CLI's --json prints it as it is).
// `from`, `spf`, `dkim` and `dmarc` are the shape docs promise; the rest is how we got there.
import type { DkimSignatureResult } from '../dkim/types';
import type { AlignmentCheck } from '../dmarc/evaluate';
import type { PolicyValue } from '../dmarc/types';
import type { Finding } from '../model';
import type { SpfResultCode } from '../spf/types';
import type { ArcSet, AuthResults } from './authres';
import type { HopVerdict, ReceivedHop } from './received';

export type VerifyDmarcResult = 'pass' | 'fail' | 'none' | 'temperror' | 'permerror';

export interface VerifySpf {
  /** RFC 7208 §2.6; `none` also when it could not be checked (`checked` false: no connecting IP, or no identity). */
  result: SpfResultCode;
  /** The domain checked: the Return-Path's, or the HELO name's (RFC 7208 §2.4). '' when there is none. */
  domain: string;
  checked: boolean;
  /** mailfrom: the Return-Path's domain; helo: the HELO name (null Return-Path or none recorded). */
  identity: 'mailfrom' | 'helo';
  /** The <sender> check_host() was given. */
  sender: string;
  ip: string | null;
  helo: string | null;
  /** Why, in words (SPF's own reason, or why it was not checked). */
  reason: string;
  /** The term that decided, as written, when one did. */
  mechanism?: string;
  /** The Received-SPF header a receiver would add. */
  receivedSpf?: string;
}

export interface VerifyDkim extends DkimSignatureResult {}

export interface VerifyDmarc {
  result: VerifyDmarcResult;
  /** The From domain DMARC evaluated ('' without a usable one). */
  fromDomain: string;
  /** The policy that applies to the From domain, from which record and tag, with pct; null without one. */
  policy: {
    tag: 'p' | 'sp' | 'np';
    value: PolicyValue;
    recordDomain: string;
    source: 'domain' | 'organizational';
    record: string | null;
    pct: number;
    adkim: 'r' | 's';
    aspf: 'r' | 's';
    why: string;
  } | null;
  /** What a receiver does with the message: none for pass; the policy (or the weaker one for unsampled pct) on fail. */
  disposition: PolicyValue;
  unsampled?: PolicyValue;
  alignment: { spf: AlignmentCheck; dkim: AlignmentCheck[] };
  orgDomain: string;
  why: string;
}

/** Where the connecting address SPF was checked with came from. */
export interface VerifyConnection {
  ip: string | null;
  helo: string | null;
  /** given: --ip / the caller; received: the receiver's topmost trusted Received field; none: unknown. */
  source: 'given' | 'received' | 'none';
  /** The Received field it came from (0 = topmost), with source `received`. */
  hop?: number;
  why: string;
}

/** One of the message's own verdicts beside ours. */
export interface Comparison {
  method: 'spf' | 'dkim' | 'dmarc';
  /** What the message's Authentication-Results says, with its authserv-id. */
  theirs: string;
  authservId: string;
  ours: string;
  agree: boolean;
  /** Why they may differ, in plain words (empty when they agree). */
  why: string;
}

export interface VerifyResult {
  kind: 'verify';
  /** The From address (the first mailbox of the From field), null without one. */
  from: string | null;
  fromDomain: string;
  /** The Return-Path (envelope sender the final receiver recorded): '' null sender, null none recorded. */
  returnPath: string | null;
  subject: string | null;
  messageId: string | null;
  connection: VerifyConnection;
  received: (ReceivedHop & { role: HopVerdict['role']; why: string })[];
  spf: VerifySpf;
  dkim: VerifyDkim[];
  dmarc: VerifyDmarc;
  /** The message's own Authentication-Results fields, topmost first. */
  authResults: AuthResults[];
  /** Which of them the receiver wrote (its authserv-id matches the receiver's host or domain), by field index. */
  receiverAuthResults: number[];
  comparisons: Comparison[];
  arc: { sets: ArcSet[]; chain: 'none' | 'present' | 'broken'; why: string };
  /** Octets of the message, header fields read. */
  octets: number;
  headerFields: number;
  findings: Finding[];
  resolvers: string[];
  startedAt: string;
  elapsedMs: number;
}

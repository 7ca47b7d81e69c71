// Every kind of check the views can show, and the one place that maps a result to its report.
// Adding a kind: extend CheckResult with its result type (`| SpfResult`), write its pure
// `xToReport(result): ReportDoc` under report/, and add one line to CHECKS. The compiler points at
// the missing line: CHECKS must have an entry for every `kind`.
import type { BounceExplanation } from './bounce/types';
import type { DkimKeyResult } from './dkim/types';
import { dmarcStatus } from './dmarc/text';
import type { DmarcResult } from './dmarc/types';
import { dnsblStatus } from './dnsbl/text';
import type { DnsblResult } from './dnsbl/types';
import { heloStatus } from './helo/text';
import type { HeloResult } from './helo/types';
import { mailCheckStatus } from './mailcheck/text';
import type { MailCheckResult } from './mailcheck/types';
import type { Status } from './model';
import { mxStatus } from './mx/text';
import type { MxResult } from './mx/types';
import type { RdnsResult } from './rdns/types';
import { bounceStatus, bounceToReport } from './report/bounceDoc';
import { dkimStatus, dkimToReport } from './report/dkimDoc';
import { dmarcToReport } from './report/dmarcDoc';
import { dnsblToReport } from './report/dnsblDoc';
import type { ReportDoc } from './report/doc';
import { heloToReport } from './report/heloDoc';
import { mailCheckToReport } from './report/mailcheckDoc';
import { mxToReport } from './report/mxDoc';
import { rdnsToReport } from './report/rdnsDoc';
import { smtpToReport } from './report/smtpDoc';
import { smtpStatus } from './smtp/text';
import type { SmtpProbeResult } from './smtp/types';
import { sendAsStatus, sendAsToReport, spfPairStatus, spfPairToReport, spfStatus, spfToReport } from './report/spfDoc';
import type { SpfPairResult } from './spf/pair';
import type { SendAsResult, SpfResult } from './spf/types';
import { rdnsStatus } from './status';
import { verifyToReport } from './report/verifyDoc';
import { verifyStatus } from './verify/text';
import type { VerifyResult } from './verify/types';

/** The result of any check; `kind` tells them apart. */
export type CheckResult =
  | RdnsResult
  | SpfResult
  | SpfPairResult
  | SendAsResult
  | HeloResult
  | SmtpProbeResult
  | MxResult
  | DnsblResult
  | MailCheckResult
  | BounceExplanation
  | DkimKeyResult
  | DmarcResult
  | VerifyResult;

export type CheckKind = CheckResult['kind'];

/** The result type of one kind. */
export type ResultOf<K extends CheckKind> = Extract<CheckResult, { kind: K }>;

/** What the views need from each kind of check. */
export interface CheckSpec<K extends CheckKind> {
  /** The whole check's status, as icons and exit codes show it. */
  status(result: ResultOf<K>): Status;
  report(result: ResultOf<K>): ReportDoc;
}

export const CHECKS: { readonly [K in CheckKind]: CheckSpec<K> } = {
  rdns: { status: rdnsStatus, report: rdnsToReport },
  spf: { status: spfStatus, report: spfToReport },
  'spf-pair': { status: spfPairStatus, report: spfPairToReport },
  'send-as': { status: sendAsStatus, report: sendAsToReport },
  helo: { status: heloStatus, report: heloToReport },
  smtp: { status: smtpStatus, report: smtpToReport },
  mx: { status: mxStatus, report: mxToReport },
  dnsbl: { status: dnsblStatus, report: dnsblToReport },
  mailcheck: { status: mailCheckStatus, report: mailCheckToReport },
  bounce: { status: bounceStatus, report: bounceToReport },
  dkim: { status: dkimStatus, report: dkimToReport },
  dmarc: { status: dmarcStatus, report: dmarcToReport },
  verify: { status: verifyStatus, report: verifyToReport },
};

// TypeScript cannot tie `CHECKS[result.kind]` to `result`'s own type; the mapped type above does.
function specOf(result: CheckResult): CheckSpec<CheckKind> {
  return CHECKS[result.kind] as CheckSpec<CheckKind>;
}

/**
 * The kinds "Check live again" (and the re-check after Apply) can run again from their result
 * alone (src/core/zone/recheck.ts rerunCheck): the same inputs, another resolver.
 */
export const RERUN_KINDS: ReadonlySet<CheckKind> = new Set<CheckKind>(['rdns', 'send-as', 'spf', 'dmarc', 'mx', 'helo', 'dkim', 'mailcheck']);

/** The report document every view renders for `result` (with `liveAgain` when the kind can run again). */
export function toReport(result: CheckResult): ReportDoc {
  const doc = specOf(result).report(result);
  return RERUN_KINDS.has(result.kind) ? { ...doc, liveAgain: true } : doc;
}

export function statusOf(result: CheckResult): Status {
  return specOf(result).status(result);
}

/** A known check kind: for data from outside the type system (other extensions, messages). */
export function isCheckKind(kind: unknown): kind is CheckKind {
  return typeof kind === 'string' && Object.prototype.hasOwnProperty.call(CHECKS, kind);
}

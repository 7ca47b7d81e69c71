// Every kind of check the views can show, and the one place that maps a result to its report.
// Adding a kind: extend CheckResult with its result type (`| SpfResult`), write its pure
// `xToReport(result): ReportDoc` under report/, and add one line to CHECKS. The compiler points at
// the missing line: CHECKS must have an entry for every `kind`.
import type { Status } from './model';
import type { RdnsResult } from './rdns/types';
import type { ReportDoc } from './report/doc';
import { rdnsToReport } from './report/rdnsDoc';
import { sendAsStatus, sendAsToReport, spfPairStatus, spfPairToReport, spfStatus, spfToReport } from './report/spfDoc';
import type { SpfPairResult } from './spf/pair';
import type { SendAsResult, SpfResult } from './spf/types';
import { rdnsStatus } from './status';

/** The result of any check; `kind` tells them apart. */
export type CheckResult = RdnsResult | SpfResult | SpfPairResult | SendAsResult;

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
};

// TypeScript cannot tie `CHECKS[result.kind]` to `result`'s own type; the mapped type above does.
function specOf(result: CheckResult): CheckSpec<CheckKind> {
  return CHECKS[result.kind] as CheckSpec<CheckKind>;
}

/** The report document every view renders for `result`. */
export function toReport(result: CheckResult): ReportDoc {
  return specOf(result).report(result);
}

export function statusOf(result: CheckResult): Status {
  return specOf(result).status(result);
}

/** A known check kind: for data from outside the type system (other extensions, messages). */
export function isCheckKind(kind: unknown): kind is CheckKind {
  return typeof kind === 'string' && Object.prototype.hasOwnProperty.call(CHECKS, kind);
}

// Small pieces the mail-check report documents share (heloDoc, smtpDoc, mxDoc, dnsblDoc,
// mailcheckDoc, bounceDoc). Pure; all text stays text.
import type { Finding, Fix, Severity, Status } from '../model';
import { compact, type DocRow } from './doc';

const RANK: Record<Status, number> = { pass: 0, info: 1, warning: 2, fail: 3 };

export function worstStatus(statuses: readonly Status[], start: Status = 'pass'): Status {
  return statuses.reduce<Status>((a, b) => (RANK[b] > RANK[a] ? b : a), start);
}

const SEVERITY_RANK: Record<Severity, Status> = { error: 'fail', warning: 'warning', info: 'pass' };

/** The status a set of findings gives a row: error → fail, warning → warning, otherwise pass. */
export function findingsStatus(findings: readonly Finding[]): Status {
  return worstStatus(findings.map((f) => SEVERITY_RANK[f.severity]));
}

/** Findings as a document holds them: no `undefined` properties, fixes likewise. */
export function docFindings(findings: readonly Finding[]): Finding[] {
  return findings.map((f) => compact({ ...f, fix: f.fix && compact(f.fix) }));
}

/** The same findings once each (code and message), in order. */
export function uniqueFindings(findings: readonly Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.code}\u0000${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The fix of the most severe finding that has one. */
export function mainFix(findings: readonly Finding[]): Fix | undefined {
  const fix = findings.find((f) => f.severity === 'error' && f.fix)?.fix ?? findings.find((f) => f.severity === 'warning' && f.fix)?.fix;
  return fix && compact(fix);
}

/** A row whose status, detail and fix come from the findings about it. */
export function findingsRow(label: string, summary: string, findings: readonly Finding[], status?: Status): DocRow {
  const problems = findings.filter((f) => f.severity !== 'info');
  return compact({
    label,
    status: status ?? findingsStatus(findings),
    summary,
    detail: problems.length > 0 ? problems.map((f) => f.message).join(' ') : undefined,
    fix: mainFix(findings),
  });
}

export function yesNo(value: boolean | null | undefined, unknown = 'unknown'): string {
  return value === null || value === undefined ? unknown : value ? 'yes' : 'no';
}

export function footerLine(resolvers: readonly string[], startedAt: string, elapsedMs: number): string {
  const servers = resolvers.length === 0 ? 'system' : resolvers.join(', ');
  return `Resolvers: ${servers} · Started: ${startedAt} · Took: ${elapsedMs} ms · Mail DNS Doctor`;
}

/** `a, b +3`: the first few of a list, for one-line summaries. */
export function shortList(items: readonly string[], max = 2): string {
  if (items.length <= max) return items.join(', ');
  return `${items.slice(0, max).join(', ')} +${items.length - max}`;
}

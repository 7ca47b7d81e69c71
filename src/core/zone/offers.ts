// Which of a check's fixes the workspace's zone files can take: each such fix gets `applyTo` (the
// file "Apply to <file>" edits), on the findings of every kind and on the rows of the combined
// mail-server check. Where the workspace holds the HELO name's own zone, a HELO name without the
// sending IP's address is fixed there (an A/AAAA record for it) rather than by sending another
// name. Pure: the editor calls it with its zone index; the views only read the result.
import type { CheckResult } from '../checks';
import { HELO_ADDRESS_CODES, heloAddressFix } from '../helo/check';
import type { HeloResult } from '../helo/types';
import type { MailCheckResult, MailCheckRow } from '../mailcheck/types';
import type { Finding, Fix } from '../model';
import { planFix } from './recheck';
import type { ZoneIndex } from './zoneIndex';

function baseName(file: string): string {
  return file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
}

/** `fix` with `applyTo` when the workspace's zones can take it (unchanged otherwise, or when already offered). */
export function offerFix(fix: Fix, index: ZoneIndex, now: Date): Fix {
  if (fix.applyTo !== undefined) return fix;
  const planned = planFix(index, fix, now);
  return planned?.ok ? { ...fix, applyTo: baseName(planned.plan.file) } : fix;
}

function offerFindings(findings: readonly Finding[], index: ZoneIndex, now: Date): Finding[] {
  return findings.map((f) => (f.fix ? { ...f, fix: offerFix(f.fix, index, now) } : f));
}

/**
 * HELO findings an address record fixes: when the check proposed another name (or no record) but
 * the workspace holds the HELO name's zone, the fix becomes that record, offered for Apply.
 */
function heloZoneFixes(helo: HeloResult, index: ZoneIndex, now: Date): HeloResult {
  let changed = false;
  const findings = helo.findings.map((f) => {
    if (!HELO_ADDRESS_CODES.has(f.code) || (f.fix && f.fix.owner && f.fix.proposed)) return f;
    const record = heloAddressFix(helo, f.fix?.zone);
    if (!record) return f;
    const planned = planFix(index, record, now);
    if (!planned?.ok) return f;
    changed = true;
    return { ...f, fix: { ...record, zone: planned.plan.zone.replace(/\.$/, ''), applyTo: baseName(planned.plan.file) } };
  });
  return changed ? { ...helo, findings } : helo;
}

/** The same fix, offered or turned into a zone edit, as the row's findings now have it. */
function rowFix(row: MailCheckRow, before: readonly Finding[], after: readonly Finding[], index: ZoneIndex, now: Date): Fix | undefined {
  if (!row.fix) return undefined;
  const i = before.findIndex((f) => f.fix === row.fix);
  const fromFinding = i >= 0 ? after[i]?.fix : undefined;
  return fromFinding ?? offerFix(row.fix, index, now);
}

function offerMailCheck(r: MailCheckResult, index: ZoneIndex, now: Date): MailCheckResult {
  const helo = heloZoneFixes(r.results.helo, index, now);
  const rows = r.rows.map((row) => {
    // The HELO row's findings are the HELO check's own (filtered): take them from the result with its zone fixes.
    const converted = row.id === 'helo' ? row.findings.map((f) => helo.findings[r.results.helo.findings.indexOf(f)] ?? f) : row.findings;
    const findings = offerFindings(converted, index, now);
    const fix = row.id === 'helo' && row.fix ? rowFix(row, r.results.helo.findings, offerFindings(helo.findings, index, now), index, now) : rowFix(row, row.findings, findings, index, now);
    return { ...row, findings, ...(fix ? { fix } : {}) };
  });
  return { ...r, rows, findings: offerFindings(r.findings, index, now), results: { ...r.results, helo } };
}

/** Does `result` carry a fix not yet offered (so that the zones are worth reading)? */
export function hasUnofferedFixes(result: CheckResult): boolean {
  const open = (f: { fix?: Fix }) => f.fix !== undefined && f.fix.applyTo === undefined;
  if (result.kind === 'mailcheck') return result.rows.some((r) => open(r) || r.findings.some(open)) || result.findings.some(open);
  const findings = (result as { findings?: unknown }).findings;
  return Array.isArray(findings) && (findings as Finding[]).some(open);
}

/**
 * `result` with `applyTo` on every fix the workspace's zones can take (findings; the combined
 * check's rows too), and HELO fixes made zone edits where the HELO name's zone is in the workspace.
 */
export function offerFixes<T extends CheckResult>(result: T, index: ZoneIndex, now: Date): T {
  if (result.kind === 'mailcheck') return offerMailCheck(result, index, now) as T;
  const base = result.kind === 'helo' ? heloZoneFixes(result, index, now) : result;
  const findings = (base as { findings?: unknown }).findings;
  if (!Array.isArray(findings)) return base as T;
  return { ...base, findings: offerFindings(findings as Finding[], index, now) } as T;
}

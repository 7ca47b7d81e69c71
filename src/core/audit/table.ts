// The audit table as the editor shows it: which rows, in which order, for a sort column and a
// verdict/text filter. Pure, shared by the webview script (which renders it) and the tests.
import type { IprevResult, Severity } from '../model';
import { ipBytes } from '../ip';
import type { AuditRow } from './audit';

export type AuditSortKey = 'ip' | 'iprev' | 'ptr' | 'finding' | 'severity';

export interface AuditTableState {
  sort: AuditSortKey;
  descending: boolean;
  /** Only rows of this verdict; 'all' for every row. 'generic' for rows with a generic-looking name. */
  verdict: IprevResult | 'generic' | 'all';
  /** Only rows whose address, PTR names or finding code contain this (case-insensitive). */
  text: string;
}

export const DEFAULT_TABLE_STATE: AuditTableState = { sort: 'severity', descending: false, verdict: 'all', text: '' };

/** Rows drawn at most: the rest are counted ("showing 1,000 of 40,212: filter to narrow"). */
export const MAX_SHOWN_ROWS = 1000;

const VERDICT_ORDER: Record<IprevResult, number> = { fail: 0, permerror: 1, temperror: 2, pass: 3 };
const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Addresses in numeric order: IPv4 before IPv6, then byte by byte. */
export function compareIps(a: string, b: string): number {
  const x = ipBytes(a);
  const y = ipBytes(b);
  if (x.length !== y.length) return x.length - y.length;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return 0;
}

function compare(a: AuditRow, b: AuditRow, key: AuditSortKey): number {
  switch (key) {
    case 'ip':
      return compareIps(a.ip, b.ip);
    case 'iprev':
      return VERDICT_ORDER[a.iprev] - VERDICT_ORDER[b.iprev];
    case 'ptr':
      return (a.ptr[0] ?? '').localeCompare(b.ptr[0] ?? '');
    case 'finding':
      return a.finding.code.localeCompare(b.finding.code);
    case 'severity':
      return SEVERITY_ORDER[a.finding.severity] - SEVERITY_ORDER[b.finding.severity] || VERDICT_ORDER[a.iprev] - VERDICT_ORDER[b.iprev];
  }
}

export function matches(row: AuditRow, state: Pick<AuditTableState, 'verdict' | 'text'>): boolean {
  if (state.verdict === 'generic' ? !row.generic : state.verdict !== 'all' && row.iprev !== state.verdict) return false;
  const t = state.text.trim().toLowerCase();
  if (t === '') return true;
  return row.ip.includes(t) || row.ptr.some((p) => p.includes(t)) || row.finding.code.includes(t);
}

/** The rows to draw (at most `limit`), and how many match in all. Ties keep address order. */
export function tableView(rows: readonly AuditRow[], state: AuditTableState, limit = MAX_SHOWN_ROWS): { rows: AuditRow[]; matched: number } {
  const kept = rows.filter((r) => matches(r, state));
  const sign = state.descending ? -1 : 1;
  kept.sort((a, b) => sign * compare(a, b, state.sort) || compareIps(a.ip, b.ip));
  return { rows: kept.slice(0, limit), matched: kept.length };
}

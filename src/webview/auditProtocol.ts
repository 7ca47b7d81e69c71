// Messages between the audit panel (src/vscode/audit.ts) and its page (src/webview/audit.ts).
import type { AuditRow } from '../core/audit/audit';

export interface AuditSummary {
  /** What was audited: `198.51.100.0/24`. */
  subject: string;
  done: number;
  /** Addresses in the block; null when unknown. */
  total: number | null;
  running: boolean;
  cancelled: boolean;
}

/**
 * Host → page: rows new since the last message (`reset`: every row so far, after the page loaded
 * again) and where the run is. The page keeps them all and sorts and filters itself.
 */
export type AuditHostMessage = { type: 'rows'; reset: boolean; rows: AuditRow[]; summary: AuditSummary };

/** Page → host. */
export type AuditPageMessage =
  | { type: 'ready' }
  /** The table is drawn: shown rows, matching rows, and the page's visible text (for tests). */
  | { type: 'rendered'; shown: number; matched: number; text: string }
  | { type: 'exportCsv' }
  | { type: 'cancel' }
  /** Open this row's address as the full rDNS report. */
  | { type: 'openRow'; ip: string };

export function isAuditPageMessage(v: unknown): v is AuditPageMessage {
  if (typeof v !== 'object' || v === null) return false;
  const m = v as Record<string, unknown>;
  switch (m.type) {
    case 'ready':
    case 'exportCsv':
    case 'cancel':
      return true;
    case 'rendered':
      return typeof m.shown === 'number' && typeof m.matched === 'number' && typeof m.text === 'string';
    case 'openRow':
      return typeof m.ip === 'string' && m.ip.length <= 64;
    default:
      return false;
  }
}

export function isAuditHostMessage(v: unknown): v is AuditHostMessage {
  if (typeof v !== 'object' || v === null) return false;
  const m = v as Record<string, unknown>;
  return m.type === 'rows' && typeof m.reset === 'boolean' && Array.isArray(m.rows) && typeof m.summary === 'object' && m.summary !== null;
}

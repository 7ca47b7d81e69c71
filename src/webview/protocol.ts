// Messages between the extension host (src/vscode/report.ts) and the report webview
// (src/webview/main.ts). Both sides import these types; each side checks what it receives.
import type { ReportDoc } from '../core/report/doc';

/** Host → webview: the report document of one check, of any kind. */
export type HostMessage = { type: 'show'; doc: ReportDoc };

/** Webview → host. */
export type WebviewMessage =
  /** The script has loaded and listens; the host sends state only after this. */
  | { type: 'ready' }
  /** A report is on screen: the shown doc's `id`, `kind` and `subject`; `text` is the page's visible text. */
  | { type: 'rendered'; id: string; kind: string; subject: string; text: string }
  | { type: 'copyMarkdown' }
  /** Index into the shown doc's `findings`; the host copies that finding's dig command. */
  | { type: 'copyDig'; finding: number }
  /** A dig command or a record to publish shown in the doc; the host copies it only if the doc has it. */
  | { type: 'copy'; what: CopyWhat; text: string }
  /** "Apply to <file>" on the fix of the shown doc's finding at this index, or of row `row` of section `section`. */
  | { type: 'applyFix'; finding?: number; section?: number; row?: number }
  /** "Check live again" on the shown doc's check (it says `liveAgain`). */
  | { type: 'liveAgain' };

export type CopyWhat = 'dig' | 'record';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isIndex(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

export function isWebviewMessage(value: unknown): value is WebviewMessage {
  if (!isObject(value)) return false;
  switch (value.type) {
    case 'ready':
    case 'copyMarkdown':
    case 'liveAgain':
      return true;
    case 'rendered':
      return (
        typeof value.id === 'string' &&
        typeof value.kind === 'string' &&
        typeof value.subject === 'string' &&
        typeof value.text === 'string'
      );
    case 'copyDig':
      return isIndex(value.finding);
    case 'applyFix':
      return value.finding !== undefined ? isIndex(value.finding) && value.section === undefined && value.row === undefined : isIndex(value.section) && isIndex(value.row);
    case 'copy':
      return (value.what === 'dig' || value.what === 'record') && typeof value.text === 'string' && value.text !== '';
    default:
      return false;
  }
}

/** The shape the page relies on; the renderer checks each section's `type` as it goes. */
function isReportDoc(value: unknown): value is ReportDoc {
  return (
    isObject(value) &&
    typeof value.kind === 'string' &&
    typeof value.title === 'string' &&
    typeof value.subject === 'string' &&
    typeof value.status === 'string' &&
    isObject(value.verdict) &&
    Array.isArray(value.facts) &&
    Array.isArray(value.sections) &&
    Array.isArray(value.findings) &&
    typeof value.footer === 'string'
  );
}

export function isHostMessage(value: unknown): value is HostMessage {
  return isObject(value) && value.type === 'show' && isReportDoc(value.doc);
}

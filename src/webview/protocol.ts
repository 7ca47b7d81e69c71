// Messages between the extension host (src/vscode/report.ts) and the report webview
// (src/webview/main.ts). Both sides import these types; each side checks what it receives.
import type { RdnsResult } from '../core/rdns/types';

/** Host → webview. */
export type HostMessage = { type: 'show'; result: RdnsResult };

/** Webview → host. */
export type WebviewMessage =
  /** The script has loaded and listens; the host sends state only after this. */
  | { type: 'ready' }
  /** A result is on screen; `text` is the page's visible text. */
  | { type: 'rendered'; ip: string; text: string }
  | { type: 'copyMarkdown' }
  /** Index into the shown result's `findings`; the host copies that finding's dig command. */
  | { type: 'copyDig'; finding: number };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

export function isWebviewMessage(value: unknown): value is WebviewMessage {
  if (!isObject(value)) return false;
  switch (value.type) {
    case 'ready':
    case 'copyMarkdown':
      return true;
    case 'rendered':
      return typeof value.ip === 'string' && typeof value.text === 'string';
    case 'copyDig':
      return typeof value.finding === 'number' && Number.isInteger(value.finding) && value.finding >= 0;
    default:
      return false;
  }
}

export function isHostMessage(value: unknown): value is HostMessage {
  return isObject(value) && value.type === 'show' && isObject(value.result) && value.result.kind === 'rdns';
}

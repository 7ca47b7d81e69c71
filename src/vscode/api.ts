import type * as vscode from 'vscode';
import type { RdnsResult } from '../core/rdns/types';

/** A tree item as the Results view shows it, as plain data (for tests and screenshots). */
export interface TreeSnapshotNode {
  label: string;
  description?: string;
  tooltip?: string;
  /** Codicon id of the icon (`pass`, `warning`, `error`, `info`, …). */
  icon?: string;
  contextValue?: string;
  children: TreeSnapshotNode[];
}

/** What `activate()` returns: used by the extension-host tests and by other extensions. */
export interface MailDnsApi {
  /** Runs "Check rDNS for IP" for `ip` exactly as the command does (tree, report), without the input box. */
  checkRdns(ip: string): Promise<RdnsResult | undefined>;
  /** The Results tree as it is now, fully expanded. */
  treeSnapshot(): Promise<TreeSnapshotNode[]>;
  /** Fires when the report webview has rendered a result; `text` is its visible text. */
  onDidRenderReport: vscode.Event<{ ip: string; text: string }>;
}

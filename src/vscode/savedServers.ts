// The "Saved Servers" view: the servers of the `mailDns.servers` setting, each with an inline
// action that runs "Check mail server" on it again, and the outcome of its last check (icon and
// summary; a click shows that report). Entries that cannot be used are listed with what is wrong.
import * as vscode from 'vscode';
import type { MailCheckResult } from '../core/mailcheck/types';
import type { ReportDoc } from '../core/report/doc';
import { visible } from '../core/report/labels';
import { escapeMarkdown } from '../core/report/markdown';
import type { TreeSnapshotNode } from './api';
import { COMMANDS } from './commands';
import { readSavedServers } from './config';
import { type SavedServer, savedServerKey, type SavedServers } from './savedServersModel';
import type { Services } from './services';
import { STATUS_ICON } from './treeModel';

export const SAVED_SERVERS_VIEW_ID = 'mailDns.servers';

export const SAVED_SERVER_CONTEXT = {
  server: 'mailDns.savedServer',
  problem: 'mailDns.savedServerProblem',
} as const;

export type SavedServerNode =
  | { kind: 'server'; id: string; server: SavedServer }
  | { kind: 'problem'; id: string; index: number; message: string };

interface LastCheck {
  status: ReportDoc['status'];
  summary: string;
  /** The check's key in the results store, for Show Report. */
  checkKey: string;
}

function describe(s: SavedServer): string {
  const smtp = s.smtp === true ? ' · SMTP' : typeof s.smtp === 'object' ? ` · SMTP ${s.smtp.host}:${s.smtp.port}` : '';
  return `${s.ip} · HELO ${s.helo} · @${s.fromDomain}${s.dkimSelector ? ` · DKIM ${s.dkimSelector}` : ''}${smtp}`;
}

export class SavedServersProvider implements vscode.TreeDataProvider<SavedServerNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<SavedServerNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private nodes: SavedServerNode[] = [];
  private readonly last = new Map<string, LastCheck>();
  private readonly subscription: vscode.Disposable;

  constructor(private readonly read: () => SavedServers) {
    this.subscription = vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('mailDns.servers')) this.refresh();
    });
    this.refresh();
  }

  refresh(): void {
    const { servers, problems } = this.read();
    this.nodes = [
      ...servers.map((server, i): SavedServerNode => ({ kind: 'server', id: `server/${i}/${savedServerKey(server)}`, server })),
      ...problems.map((p): SavedServerNode => ({ kind: 'problem', id: `problem/${p.index}`, index: p.index, message: p.message })),
    ];
    this.changed.fire(undefined);
  }

  servers(): SavedServer[] {
    return this.nodes.flatMap((n) => (n.kind === 'server' ? [n.server] : []));
  }

  /** Remembers a finished check of a saved server (whichever command ran it). */
  record(result: MailCheckResult, doc: ReportDoc): void {
    const key = savedServerKey({ ip: result.ip, helo: result.heloName, fromDomain: result.fromDomain, ...(result.dkimSelector ? { dkimSelector: result.dkimSelector } : {}) });
    if (!this.servers().some((s) => savedServerKey(s) === key)) return;
    this.last.set(key, { status: doc.status, summary: doc.summary, checkKey: doc.id ?? '' });
    this.changed.fire(undefined);
  }

  private lastOf(server: SavedServer): LastCheck | undefined {
    return this.last.get(savedServerKey(server));
  }

  getTreeItem(node: SavedServerNode): vscode.TreeItem {
    if (node.kind === 'problem') {
      const item = new vscode.TreeItem(node.index >= 0 ? `Entry ${node.index + 1}` : 'mailDns.servers', vscode.TreeItemCollapsibleState.None);
      item.id = node.id;
      item.description = visible(node.message);
      item.tooltip = new vscode.MarkdownString(escapeMarkdown(node.message));
      item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground'));
      item.contextValue = SAVED_SERVER_CONTEXT.problem;
      item.command = { command: 'workbench.action.openSettings', title: 'Open Settings', arguments: ['mailDns.servers'] };
      return item;
    }
    const s = node.server;
    const last = this.lastOf(s);
    const item = new vscode.TreeItem(visible(s.name), vscode.TreeItemCollapsibleState.None);
    item.id = node.id;
    item.description = visible(last ? `${describe(s)} — ${last.summary}` : describe(s));
    item.tooltip = new vscode.MarkdownString(
      [
        `**${escapeMarkdown(s.name)}**`,
        `Sending IP: ${escapeMarkdown(s.ip)}  \nHELO name: ${escapeMarkdown(s.helo)}  \nFrom domain: ${escapeMarkdown(s.fromDomain)}  \nDKIM selector: ${s.dkimSelector ? escapeMarkdown(s.dkimSelector) : 'none (the common selectors are tried)'}  \nSMTP probe: ${s.smtp === true ? `${escapeMarkdown(s.ip)} port 25` : typeof s.smtp === 'object' ? `${escapeMarkdown(s.smtp.host)} port ${s.smtp.port}` : 'no'}`,
        last ? `Last check: ${last.status} — ${escapeMarkdown(last.summary)}` : 'Not checked yet in this session.',
      ].join('\n\n'),
    );
    const icon = last ? STATUS_ICON[last.status] : { id: 'server' };
    item.iconPath = new vscode.ThemeIcon(icon.id, 'color' in icon && icon.color ? new vscode.ThemeColor(icon.color) : undefined);
    item.contextValue = SAVED_SERVER_CONTEXT.server;
    if (last?.checkKey) item.command = { command: COMMANDS.showReport, title: 'Show Report', arguments: [{ checkKey: last.checkKey }] };
    return item;
  }

  getChildren(node?: SavedServerNode): SavedServerNode[] {
    return node ? [] : this.nodes;
  }

  snapshot(): TreeSnapshotNode[] {
    return this.nodes.map((n) => {
      const item = this.getTreeItem(n);
      const icon = item.iconPath instanceof vscode.ThemeIcon ? item.iconPath.id : undefined;
      return {
        label: typeof item.label === 'string' ? item.label : (item.label?.label ?? ''),
        description: typeof item.description === 'string' ? item.description : undefined,
        tooltip: item.tooltip instanceof vscode.MarkdownString ? item.tooltip.value : undefined,
        icon,
        contextValue: item.contextValue,
        children: [],
      };
    });
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

export interface SavedServersView {
  provider: SavedServersProvider;
  view: vscode.TreeView<SavedServerNode>;
}

export function registerSavedServers(services: Services): SavedServersView {
  const provider = new SavedServersProvider(() => readSavedServers());
  const view = vscode.window.createTreeView(SAVED_SERVERS_VIEW_ID, { treeDataProvider: provider });
  services.subscriptions.push(provider, view);
  return { provider, view };
}

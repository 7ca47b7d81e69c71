// The Results view: TreeItems are drawn from the plain nodes of treeModel.ts, built once per check
// when the results change, so getChildren does no work and getParent is a lookup.
import * as vscode from 'vscode';
import type { TreeSnapshotNode } from './api';
import { COMMANDS } from './commands';
import type { ResultsStore } from './results';
import type { Services } from './services';
import { checkToTreeNode, parentIndex, type ResultTreeNode, toSnapshot } from './treeModel';

export const RESULTS_VIEW_ID = 'mailDns.results';

function toTreeItem(node: ResultTreeNode, expanded: boolean): vscode.TreeItem {
  const state =
    node.children.length === 0
      ? vscode.TreeItemCollapsibleState.None
      : expanded
        ? vscode.TreeItemCollapsibleState.Expanded
        : vscode.TreeItemCollapsibleState.Collapsed;
  const item = new vscode.TreeItem(node.label, state);
  item.id = node.id;
  item.description = node.description;
  // Untrusted Markdown: no HTML, no command links; the text is escaped by the model.
  if (node.tooltip) item.tooltip = new vscode.MarkdownString(node.tooltip);
  item.iconPath = new vscode.ThemeIcon(node.icon.id, node.icon.color ? new vscode.ThemeColor(node.icon.color) : undefined);
  item.contextValue = node.contextValue;
  if (node.kind === 'check') {
    item.command = { command: COMMANDS.showReport, title: 'Show Report', arguments: [node] };
  }
  return item;
}

export class ResultsTreeProvider implements vscode.TreeDataProvider<ResultTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ResultTreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private roots: ResultTreeNode[] = [];
  private parents = new Map<ResultTreeNode, ResultTreeNode>();
  private readonly subscription: vscode.Disposable;

  constructor(private readonly results: ResultsStore) {
    this.subscription = results.onDidChange(() => this.rebuild());
    this.rebuild();
  }

  private rebuild(): void {
    // Results never change once stored, so a check's nodes are reused; only new checks are mapped.
    const known = new Map(this.roots.map((root) => [root.checkKey, root]));
    this.roots = this.results.list().map((e) => known.get(e.key) ?? checkToTreeNode(e.doc, e.key));
    this.parents = new Map();
    for (const root of this.roots) parentIndex(root, this.parents);
    this.changed.fire(undefined);
  }

  getTreeItem(node: ResultTreeNode): vscode.TreeItem {
    // The newest check opens expanded; older ones keep whatever state the user left them in.
    return toTreeItem(node, node.kind !== 'check' || node === this.roots[0]);
  }

  getChildren(node?: ResultTreeNode): ResultTreeNode[] {
    return node ? node.children : this.roots;
  }

  getParent(node: ResultTreeNode): ResultTreeNode | undefined {
    return this.parents.get(node);
  }

  root(checkKey: string): ResultTreeNode | undefined {
    return this.roots.find((r) => r.checkKey === checkKey);
  }

  snapshot(): TreeSnapshotNode[] {
    return this.roots.map(toSnapshot);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

export interface ResultsTree {
  provider: ResultsTreeProvider;
  view: vscode.TreeView<ResultTreeNode>;
}

export function registerResultsTree(services: Services): ResultsTree {
  const provider = new ResultsTreeProvider(services.results);
  const view = vscode.window.createTreeView(RESULTS_VIEW_ID, { treeDataProvider: provider, showCollapseAll: true });
  services.subscriptions.push(provider, view);
  return { provider, view };
}

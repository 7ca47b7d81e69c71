// The Results view as plain data: one pure function maps a check to nodes, and both the TreeItems
// (tree.ts) and the API's treeSnapshot() are read from those nodes. No vscode import here, so the
// mapping is unit-tested under plain Node.
import type { Finding, Status } from '../core/model';
import type { ChainStep, HopNode, RdnsResult } from '../core/rdns/types';
import {
  IPREV_EXPLANATION,
  SEVERITY_LABEL,
  SEVERITY_STATUS,
  STATUS_LABEL,
  STATUS_SYMBOL,
  WRONG_LABEL,
  deadEndSteps,
  formatTtl,
  hopDig,
  hopNoteLabel,
  hopRecordLabel,
  stepOf,
  visible,
} from '../core/report/labels';
import { codeBlock, escapeMarkdown, findingBodyMarkdown } from '../core/report/markdown';
import { rdnsStatus } from '../core/status';
import type { TreeSnapshotNode } from './api';

export const CONTEXT = {
  check: 'mailDns.check',
  step: 'mailDns.step',
  hop: 'mailDns.hop',
  findings: 'mailDns.findings',
  finding: 'mailDns.finding',
} as const;

/** A codicon and the theme colour to draw it in. */
export interface TreeIcon {
  id: string;
  color?: string;
}

export interface ResultTreeNode {
  /** Unique in the view and stable for the life of the check, so VS Code keeps expansion state. */
  id: string;
  kind: 'check' | 'hop' | 'findings' | 'finding';
  label: string;
  description?: string;
  /** Markdown (untrusted: no HTML, no command links). */
  tooltip?: string;
  icon: TreeIcon;
  contextValue: string;
  /** Key of the check in the results store; commands on any node find their result with it. */
  checkKey: string;
  /** What `mailDns.copyDig` copies. */
  dig?: string;
  children: ResultTreeNode[];
}

export const STATUS_ICON: Record<Status, TreeIcon> = {
  pass: { id: 'pass', color: 'testing.iconPassed' },
  warning: { id: 'warning', color: 'problemsWarningIcon.foreground' },
  fail: { id: 'error', color: 'testing.iconFailed' },
  info: { id: 'info', color: 'problemsInfoIcon.foreground' },
};

/** Where the chain goes wrong: a different shape from the fail icon, so it stands out in a failing chain. */
export const WRONG_ICON: TreeIcon = { id: 'circle-slash', color: 'testing.iconFailed' };

const FINDINGS_ICON: TreeIcon = { id: 'list-unordered' };

function paragraphs(parts: readonly (string | undefined)[]): string {
  return parts.filter((p): p is string => p !== undefined && p !== '').join('\n\n');
}

function joinDescription(parts: readonly (string | undefined)[]): string | undefined {
  const kept = parts.filter((p): p is string => p !== undefined && p !== '');
  return kept.length === 0 ? undefined : kept.join(' · ');
}

function stepMarkdown(title: string, s: ChainStep): string {
  const outcome = `${escapeMarkdown(s.rcode)}${s.error ? ` (${escapeMarkdown(s.error)})` : ''}`;
  const cnames = s.cnames.map((c) => `CNAME ${escapeMarkdown(c.name)} → ${escapeMarkdown(c.target)}`);
  return paragraphs([
    `**${title}:** ${escapeMarkdown(s.query)} ${s.type} → ${outcome}${s.ttl === null ? '' : `, TTL ${formatTtl(s.ttl)}`}, from ${escapeMarkdown(s.server)}`,
    cnames.length > 0 ? cnames.join('  \n') : undefined,
    codeBlock(s.dig, 'sh'),
  ]);
}

function hopTooltip(r: RdnsResult, node: HopNode): string {
  const incoming = stepOf(r.chain, node);
  const note = hopNoteLabel(node);
  return paragraphs([
    `${STATUS_SYMBOL[node.status]} **${escapeMarkdown(node.value)}** — ${STATUS_LABEL[node.status]}`,
    node.wrong ? `**✗ The chain ${WRONG_LABEL}.**` : undefined,
    note ? `Note: ${escapeMarkdown(note)}` : undefined,
    incoming ? stepMarkdown('Answer', incoming) : undefined,
    ...deadEndSteps(r.chain, node).map((s) => stepMarkdown('Next query', s)),
  ]);
}

function hopToNode(r: RdnsResult, node: HopNode, checkKey: string, path: string): ResultTreeNode {
  const dig = hopDig(r.chain, node);
  return {
    id: `${checkKey}/hop/${path}`,
    kind: 'hop',
    label: visible(node.value),
    description: joinDescription([
      node.wrong ? `✗ ${WRONG_LABEL}` : undefined,
      hopRecordLabel(node) ?? 'start',
      hopNoteLabel(node),
    ]),
    tooltip: hopTooltip(r, node),
    icon: node.wrong ? WRONG_ICON : STATUS_ICON[node.status],
    contextValue: dig ? CONTEXT.step : CONTEXT.hop,
    checkKey,
    dig,
    children: node.children.map((child, i) => hopToNode(r, child, checkKey, `${path}.${i}`)),
  };
}

function findingToNode(f: Finding, checkKey: string, index: number): ResultTreeNode {
  return {
    id: `${checkKey}/finding/${index}`,
    kind: 'finding',
    label: visible(f.message),
    description: `${SEVERITY_LABEL[f.severity]} · ${f.code}`,
    tooltip: paragraphs([`**${SEVERITY_LABEL[f.severity]}:** ${escapeMarkdown(f.message)}`, findingBodyMarkdown(f)]),
    icon: STATUS_ICON[SEVERITY_STATUS[f.severity]],
    contextValue: CONTEXT.finding,
    checkKey,
    dig: f.dig,
    children: [],
  };
}

function checkTooltip(r: RdnsResult, status: Status): string {
  const ptr = r.ptr.length === 0 ? '_none_' : r.ptr.map(escapeMarkdown).join(', ');
  const resolvers = r.resolvers.length === 0 ? 'system' : r.resolvers.map(escapeMarkdown).join(', ');
  return paragraphs([
    `${STATUS_SYMBOL[status]} **iprev: ${r.fcrdns}** — ${IPREV_EXPLANATION[r.fcrdns]}`,
    `PTR names: ${ptr}`,
    r.special ? `Special-purpose address: ${escapeMarkdown(r.special.name)} (${escapeMarkdown(r.special.rfc)})` : undefined,
    `Checked ${escapeMarkdown(r.startedAt)} in ${r.elapsedMs} ms with ${resolvers}`,
  ]);
}

/** Maps one check to its node: the hop tree from `result.tree`, then a Findings group. */
export function checkToTreeNode(r: RdnsResult, checkKey: string): ResultTreeNode {
  const status = rdnsStatus(r);
  const extraPtr = r.ptr.length > 1 ? ` +${r.ptr.length - 1}` : '';
  const findings: ResultTreeNode = {
    id: `${checkKey}/findings`,
    kind: 'findings',
    label: 'Findings',
    description: r.findings.length === 0 ? 'none' : String(r.findings.length),
    icon: FINDINGS_ICON,
    contextValue: CONTEXT.findings,
    checkKey,
    children: r.findings.map((f, i) => findingToNode(f, checkKey, i)),
  };
  return {
    id: checkKey,
    kind: 'check',
    label: visible(r.ip),
    description: `iprev ${r.fcrdns} · ${r.ptr.length === 0 ? 'no PTR' : visible(r.ptr[0]) + extraPtr}`,
    tooltip: checkTooltip(r, status),
    icon: STATUS_ICON[status],
    contextValue: CONTEXT.check,
    checkKey,
    children: [hopToNode(r, r.tree, checkKey, '0'), findings],
  };
}

/** Child → parent for every node under `root`, for TreeDataProvider.getParent. */
export function parentIndex(
  root: ResultTreeNode,
  into: Map<ResultTreeNode, ResultTreeNode> = new Map(),
): Map<ResultTreeNode, ResultTreeNode> {
  for (const child of root.children) {
    into.set(child, root);
    parentIndex(child, into);
  }
  return into;
}

export function toSnapshot(node: ResultTreeNode): TreeSnapshotNode {
  return {
    label: node.label,
    description: node.description,
    tooltip: node.tooltip,
    icon: node.icon.id,
    contextValue: node.contextValue,
    children: node.children.map(toSnapshot),
  };
}

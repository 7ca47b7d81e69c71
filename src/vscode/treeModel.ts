// The Results view as plain data: one pure function maps a check's report document to nodes, and
// both the TreeItems (tree.ts) and the API's treeSnapshot() are read from those nodes. No vscode
// import here, so the mapping is unit-tested under plain Node.
import type { Finding, Status } from '../core/model';
import { type DocNode, type DocQuery, type DocRow, type ReportDoc, type Section, verdictText } from '../core/report/doc';
import { SEVERITY_LABEL, SEVERITY_STATUS, STATUS_LABEL, STATUS_SYMBOL, WRONG_LABEL, visible } from '../core/report/labels';
import { codeBlock, escapeMarkdown, findingBodyMarkdown, fixLines, referenceLink } from '../core/report/markdown';
import type { TreeSnapshotNode } from './api';

// The values are what package.json's menus match on (`viewItem`), so they stay as they are.
export const CONTEXT = {
  check: 'mailDns.check',
  /** A node with a dig command to copy. */
  step: 'mailDns.step',
  /** A node without one. */
  hop: 'mailDns.hop',
  /** A group of nodes: a tree section when a check has several, or a combined check's rows. */
  group: 'mailDns.group',
  row: 'mailDns.row',
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
  kind: 'check' | 'group' | 'node' | 'row' | 'findings' | 'finding';
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
const GROUP_ICON: TreeIcon = { id: 'list-tree' };

function paragraphs(parts: readonly (string | undefined)[]): string {
  return parts.filter((p): p is string => p !== undefined && p !== '').join('\n\n');
}

function joinDescription(parts: readonly (string | undefined)[]): string | undefined {
  const kept = parts.filter((p): p is string => p !== undefined && p !== '');
  return kept.length === 0 ? undefined : kept.join(' · ');
}

function queryMarkdown(q: DocQuery): string {
  return paragraphs([
    `**${escapeMarkdown(q.role)}:** ${escapeMarkdown(q.summary)}`,
    q.lines && q.lines.length > 0 ? q.lines.map(escapeMarkdown).join('  \n') : undefined,
    codeBlock(q.dig, 'sh'),
  ]);
}

function nodeTooltip(node: DocNode): string {
  return paragraphs([
    `${STATUS_SYMBOL[node.status]} **${escapeMarkdown(node.label)}** — ${STATUS_LABEL[node.status]}`,
    node.wrong ? `**✗ It ${WRONG_LABEL}.**` : undefined,
    node.description ? escapeMarkdown(node.description) : undefined,
    node.note ? `Note: ${escapeMarkdown(node.note)}` : undefined,
    ...(node.queries ?? []).map(queryMarkdown),
    node.href ? `Reference: ${referenceLink(node.href)}` : undefined,
  ]);
}

function docNodeToNode(node: DocNode, checkKey: string, path: string): ResultTreeNode {
  return {
    id: `${checkKey}/${path}`,
    kind: 'node',
    label: visible(node.label),
    description: joinDescription([node.wrong ? `✗ ${WRONG_LABEL}` : undefined, node.badge, node.note].map((p) => p && visible(p))),
    tooltip: nodeTooltip(node),
    icon: node.wrong ? WRONG_ICON : STATUS_ICON[node.status],
    contextValue: node.dig ? CONTEXT.step : CONTEXT.hop,
    checkKey,
    dig: node.dig,
    children: node.children.map((child, i) => docNodeToNode(child, checkKey, `${path}.${i}`)),
  };
}

function rowToNode(row: DocRow, checkKey: string, path: string): ResultTreeNode {
  return {
    id: `${checkKey}/${path}`,
    kind: 'row',
    label: visible(row.label),
    description: visible(row.summary),
    tooltip: paragraphs([
      `${STATUS_SYMBOL[row.status]} **${escapeMarkdown(row.label)}** — ${STATUS_LABEL[row.status]}: ${escapeMarkdown(row.summary)}`,
      row.detail ? escapeMarkdown(row.detail) : undefined,
      row.fix ? fixLines(row.fix).join('\n').trim() : undefined,
    ]),
    icon: STATUS_ICON[row.status],
    contextValue: CONTEXT.row,
    checkKey,
    children: [],
  };
}

function findingToNode(f: Finding, checkKey: string, index: number): ResultTreeNode {
  return {
    id: `${checkKey}/finding/${index}`,
    kind: 'finding',
    label: visible(f.message),
    description: `${SEVERITY_LABEL[f.severity]} · ${visible(f.code)}`,
    tooltip: paragraphs([`**${SEVERITY_LABEL[f.severity]}:** ${escapeMarkdown(f.message)}`, findingBodyMarkdown(f)]),
    icon: STATUS_ICON[SEVERITY_STATUS[f.severity]],
    contextValue: CONTEXT.finding,
    checkKey,
    dig: f.dig,
    children: [],
  };
}

/** The sections the tree shows: trees (node for node) and rows; tables and text stay in the report. */
type TreeSection = Extract<Section, { type: 'tree' | 'rows' }>;

function isTreeSection(section: Section): section is TreeSection {
  return section.type === 'tree' || section.type === 'rows';
}

function sectionNodes(section: TreeSection, checkKey: string, path: string): ResultTreeNode[] {
  return section.type === 'tree'
    ? section.nodes.map((node, i) => docNodeToNode(node, checkKey, `${path}/${i}`))
    : section.rows.map((row, i) => rowToNode(row, checkKey, `${path}/${i}`));
}

/** One shown section's nodes go straight under the check; several get a group each, by title. */
function sectionsToNodes(doc: ReportDoc, checkKey: string): ResultTreeNode[] {
  const shown = doc.sections.map((section, index) => ({ section, index })).filter((s) => isTreeSection(s.section));
  if (shown.length === 1) {
    const { section, index } = shown[0] as { section: TreeSection; index: number };
    return sectionNodes(section, checkKey, `s${index}`);
  }
  return shown.map(({ section, index }) => {
    const children = sectionNodes(section as TreeSection, checkKey, `s${index}`);
    return {
      id: `${checkKey}/s${index}`,
      kind: 'group',
      label: visible(section.title),
      description: children.length === 0 ? 'none' : undefined,
      icon: GROUP_ICON,
      contextValue: CONTEXT.group,
      checkKey,
      children,
    };
  });
}

function checkTooltip(doc: ReportDoc): string {
  return paragraphs([
    `${STATUS_SYMBOL[doc.status]} **${escapeMarkdown(verdictText(doc))}** — ${escapeMarkdown(doc.verdict.explanation)}`,
    doc.facts.map((f) => `${escapeMarkdown(f.label)}: ${f.value === '' ? '_none_' : escapeMarkdown(f.value)}`).join('  \n'),
    escapeMarkdown(doc.footer),
  ]);
}

/** Maps one check's report to its node: what it checked, its tree sections, then a Findings group. */
export function checkToTreeNode(doc: ReportDoc, checkKey: string): ResultTreeNode {
  const findings: ResultTreeNode = {
    id: `${checkKey}/findings`,
    kind: 'findings',
    label: 'Findings',
    description: doc.findings.length === 0 ? 'none' : String(doc.findings.length),
    icon: FINDINGS_ICON,
    contextValue: CONTEXT.findings,
    checkKey,
    children: doc.findings.map((f, i) => findingToNode(f, checkKey, i)),
  };
  return {
    id: checkKey,
    kind: 'check',
    label: visible(doc.subject),
    description: visible(doc.summary),
    tooltip: checkTooltip(doc),
    icon: STATUS_ICON[doc.status],
    contextValue: CONTEXT.check,
    checkKey,
    children: [...sectionsToNodes(doc, checkKey), findings],
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

// Any report document as Markdown, for tickets and chat. Everything in a document may have come
// from DNS or a remote server (names can hold any byte), so all of it is escaped: the report
// renders as the data, not as markup.
import type { Finding, Fix } from '../model';
import type { RdnsResult } from '../rdns/types';
import { type Cell, cellObject, type DocNode, type DocRow, isWebLink, type ReportDoc, type Section, verdictText } from './doc';
import { rdnsToReport } from './rdnsDoc';
import { SEVERITY_LABEL, SEVERITY_STATUS, STATUS_LABEL, STATUS_SYMBOL, WRONG_LABEL, visible } from './labels';

// CommonMark §2.4: any ASCII punctuation may be backslash-escaped. These are the ones that start
// emphasis, code, links, raw HTML, entities, table cells and strikethrough (GFM) or math (GitHub).
const INLINE_SPECIAL = /[\\`*_{}[\]()<>#!|~&$]/g;

// GFM's autolink extension (GFM spec §6.9) links bare `www.` names, `scheme://` URLs and e-mail
// addresses in plain text; escaping the character each is recognised by keeps data as plain text:
// the `:` before `//`, the `.` after `www`, every `@`.
const AUTOLINK_TRIGGER = /:(?=\/\/)|(?<=\bwww)\.|@/gi;

/**
 * Escapes text for use inside a paragraph, list item, heading or table cell, after other text on
 * the same line: control characters are made visible, so the text cannot start a line of its own,
 * and nothing in it becomes a link (a TXT record's URL stays text, the reader decides).
 */
export function escapeMarkdown(text: string): string {
  return visible(text).replace(INLINE_SPECIAL, '\\$&').replace(AUTOLINK_TRIGGER, '\\$&');
}

function longestBacktickRun(text: string): number {
  return Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
}

/** An inline code span that no backtick in `text` can close (CommonMark §6.1). Not for table cells. */
export function inlineCode(text: string): string {
  const body = visible(text);
  const fence = '`'.repeat(longestBacktickRun(body) + 1);
  const pad = body === '' || body.startsWith('`') || body.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${body}${pad}${fence}`;
}

/**
 * A fenced code block that no line of `text` can close (CommonMark §4.5). Newlines and other
 * control characters are shown, not kept: a dig command or a record is one line, and a pasted
 * command must not carry a hidden second one.
 */
export function codeBlock(text: string, info = ''): string {
  const body = visible(text);
  const fence = '`'.repeat(Math.max(3, longestBacktickRun(body) + 1));
  return `${fence}${info}\n${body}\n${fence}`;
}

/** An autolink for a web URL that cannot break out of the angle brackets; anything else as text. */
export function referenceLink(url: string): string {
  return isWebLink(url) ? `<${url}>` : escapeMarkdown(url);
}

function verdictLines(doc: ReportDoc): string[] {
  const lines = [`${STATUS_SYMBOL[doc.status]} **${escapeMarkdown(verdictText(doc))}** — ${escapeMarkdown(doc.verdict.explanation)}`];
  if (doc.facts.length > 0) {
    lines.push('', ...doc.facts.map((f) => `- ${escapeMarkdown(f.label)}: ${f.value === '' ? '_none_' : escapeMarkdown(f.value)}`));
  }
  return lines;
}

function tableCell(cell: Cell): string {
  const text = cellObject(cell).text;
  // Inline code cannot hold a pipe inside a GFM table cell, so data is escaped like prose.
  return text === '' ? '—' : escapeMarkdown(text);
}

/** Details and references of a table's cells, as a list below it: `- <row>, <cell>: <detail> See <link>`. */
function tableNotes(rows: readonly Cell[][]): string[] {
  return rows.flatMap((row) =>
    row.flatMap((cell, i) => {
      const c = cellObject(cell);
      const note = [c.detail && escapeMarkdown(c.detail), c.href && `See ${referenceLink(c.href)}`].filter(Boolean).join(' ');
      if (note === '') return [];
      const where = i === 0 ? escapeMarkdown(c.text) : `${escapeMarkdown(cellObject(row[0]).text)}, ${escapeMarkdown(c.text)}`;
      return [`- ${where}: ${note}`];
    }),
  );
}

function tableLines(section: Extract<Section, { type: 'table' }>): string[] {
  if (section.rows.length === 0) return [`_${escapeMarkdown(section.empty ?? 'None.')}_`];
  const row = (cells: readonly string[]): string => `|${cells.map((c) => ` ${c} `).join('|')}|`;
  const notes = tableNotes(section.rows);
  return [
    row(section.columns.map(escapeMarkdown)),
    row(section.columns.map(() => '---')),
    ...section.rows.map((cells) => row(cells.map(tableCell))),
    ...(notes.length > 0 ? ['', ...notes] : []),
  ];
}

/** A node's DNS queries as list items under it: what was asked, the answer, the dig command. */
function queryLines(node: DocNode, depth: number): string[] {
  const indent = '  '.repeat(depth + 1);
  return (node.queries ?? []).map(
    (q) => `${indent}- ${escapeMarkdown(q.role)}: ${escapeMarkdown([q.summary, ...(q.lines ?? [])].join('; '))} — ${inlineCode(q.dig)}`,
  );
}

function nodeLines(node: DocNode, depth: number, showQueries = false): string[] {
  const parts = [`${STATUS_SYMBOL[node.status]} **${escapeMarkdown(node.label)}**`];
  if (node.badge) parts.push(escapeMarkdown(node.badge));
  parts.push(STATUS_LABEL[node.status]);
  if (node.description) parts.push(escapeMarkdown(node.description));
  if (node.note) parts.push(escapeMarkdown(node.note));
  if (node.wrong) parts.push(`**✗ ${WRONG_LABEL}**`);
  if (node.href) parts.push(referenceLink(node.href));
  const indent = '  '.repeat(depth);
  return [
    `${indent}- ${parts.join(' · ')}`,
    ...(showQueries ? queryLines(node, depth) : []),
    ...node.children.flatMap((child) => nodeLines(child, depth + 1, showQueries)),
  ];
}

function treeLines(section: Extract<Section, { type: 'tree' }>): string[] {
  if (section.nodes.length === 0) return [`_${escapeMarkdown(section.empty ?? 'None.')}_`];
  return section.nodes.flatMap((node) => nodeLines(node, 0, section.showQueries === true));
}

function rowDetailLines(row: DocRow): string[] {
  if (row.detail === undefined && row.fix === undefined) return [];
  const heading = `**${STATUS_SYMBOL[row.status]} ${escapeMarkdown(row.label)}:**`;
  const lines = ['', row.detail === undefined ? heading : `${heading} ${escapeMarkdown(row.detail)}`];
  if (row.fix) lines.push(...fixLines(row.fix));
  return lines;
}

function rowsLines(section: Extract<Section, { type: 'rows' }>): string[] {
  if (section.rows.length === 0) return [`_${escapeMarkdown(section.empty ?? 'None.')}_`];
  return [
    '| Check | Result | Summary |',
    '| --- | --- | --- |',
    ...section.rows.map(
      (r) => `| ${STATUS_SYMBOL[r.status]} ${escapeMarkdown(r.label)} | ${STATUS_LABEL[r.status]} | ${r.summary === '' ? '—' : escapeMarkdown(r.summary)} |`,
    ),
    ...section.rows.flatMap(rowDetailLines),
  ];
}

function sectionBody(section: Section): string[] {
  switch (section.type) {
    case 'table':
      return tableLines(section);
    case 'tree':
      return treeLines(section);
    case 'text':
      return section.paragraphs.flatMap((p, i) => (i === 0 ? [escapeMarkdown(p)] : ['', escapeMarkdown(p)]));
    case 'rows':
      return rowsLines(section);
  }
}

/** A fix as Markdown lines: what to do, where, and the record to publish. Starts with a blank line. */
export function fixLines(fix: Fix): string[] {
  const lines = ['', `**Fix:** ${escapeMarkdown(fix.description)}`];
  const facts: string[] = [];
  if (fix.zone) facts.push(`- Zone: ${escapeMarkdown(fix.zone)}`);
  if (fix.owner) facts.push(`- Owner: ${escapeMarkdown(fix.owner)}`);
  if (fix.type) facts.push(`- Type: ${escapeMarkdown(fix.type)}`);
  if (fix.current !== undefined && fix.proposed !== undefined) {
    facts.push(`- Change: ${escapeMarkdown(fix.current)} → ${escapeMarkdown(fix.proposed)}`);
  } else if (fix.current !== undefined) {
    facts.push(`- Current: ${escapeMarkdown(fix.current)}`);
  } else if (fix.proposed !== undefined) {
    facts.push(`- New: ${escapeMarkdown(fix.proposed)}`);
  }
  if (facts.length > 0) lines.push('', ...facts);
  if (fix.record) lines.push('', 'Record to publish:', '', codeBlock(fix.record, 'zone'));
  if (fix.request) lines.push('', `Ask ${escapeMarkdown(fix.request.to)}:`, '', codeBlock(fix.request.text, 'text'));
  return lines;
}

/** A finding without its heading: code, dig command, fix. Also the Results tree's tooltip. */
export function findingBodyMarkdown(f: Finding): string {
  const lines = [`Code: ${inlineCode(f.code)}` + (f.step !== undefined ? ` · step ${f.step + 1}` : '')];
  if (f.dig) lines.push('', 'Reproduce:', '', codeBlock(f.dig, 'sh'));
  if (f.fix) lines.push(...fixLines(f.fix));
  return lines.join('\n');
}

function findingLines(f: Finding, n: number): string[] {
  const status = SEVERITY_STATUS[f.severity];
  return [
    `### ${n}. ${STATUS_SYMBOL[status]} ${SEVERITY_LABEL[f.severity]}: ${escapeMarkdown(f.message)}`,
    '',
    findingBodyMarkdown(f),
  ];
}

function findingsSection(findings: readonly Finding[]): string[] {
  if (findings.length === 0) return ['## Findings', '', 'No findings.'];
  return ['## Findings', ...findings.flatMap((f, i) => ['', ...findingLines(f, i + 1)])];
}

function footerLines(doc: ReportDoc): string[] {
  return ['---', '', escapeMarkdown(doc.footer)];
}

/** The whole report: verdict and facts, each section, the findings with their fixes, the footer. */
export function reportToMarkdown(doc: ReportDoc): string {
  return [
    `# ${escapeMarkdown(doc.title)} report: ${escapeMarkdown(doc.subject)}`,
    '',
    ...verdictLines(doc),
    ...doc.sections.flatMap((section) => ['', `## ${escapeMarkdown(section.title)}`, '', ...sectionBody(section)]),
    '',
    ...findingsSection(doc.findings),
    '',
    ...footerLines(doc),
    '',
  ].join('\n');
}

export function rdnsToMarkdown(r: RdnsResult): string {
  return reportToMarkdown(rdnsToReport(r));
}

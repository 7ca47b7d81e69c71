// The whole rDNS result as a Markdown report, for tickets and chat. Everything that came from DNS
// (names can hold any byte) is escaped, so the report renders as the data, not as markup.
import type { Finding, Fix } from '../model';
import type { HopNode, RdnsResult, ReceiverVerdict } from '../rdns/types';
import { rdnsStatus } from '../status';
import {
  IPREV_EXPLANATION,
  RECEIVER_LABEL,
  SEVERITY_LABEL,
  SEVERITY_STATUS,
  STATUS_LABEL,
  STATUS_SYMBOL,
  VERDICT_LABEL,
  WRONG_LABEL,
  hopNoteLabel,
  hopRecordLabel,
  visible,
} from './labels';

// CommonMark §2.4: any ASCII punctuation may be backslash-escaped. These are the ones that start
// emphasis, code, links, raw HTML, entities, table cells and strikethrough (GFM) or math (GitHub).
const INLINE_SPECIAL = /[\\`*_{}[\]()<>#!|~&$]/g;

/**
 * Escapes text for use inside a paragraph, list item, heading or table cell, after other text on
 * the same line: control characters are made visible, so the text cannot start a line of its own.
 */
export function escapeMarkdown(text: string): string {
  return visible(text).replace(INLINE_SPECIAL, '\\$&');
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

function list(values: readonly string[]): string {
  return values.length === 0 ? '_none_' : values.map(escapeMarkdown).join(', ');
}

function verdictSection(r: RdnsResult): string[] {
  const status = rdnsStatus(r);
  const lines = [
    `${STATUS_SYMBOL[status]} **iprev: ${r.fcrdns}** — ${IPREV_EXPLANATION[r.fcrdns]}`,
    '',
    `- Reverse name: ${escapeMarkdown(r.reverseName)}`,
    `- PTR names: ${list(r.ptr)}`,
    `- Forward-confirmed: ${list(r.confirmed)}`,
  ];
  if (r.special) {
    const s = r.special;
    lines.push(
      `- Special-purpose address: ${escapeMarkdown(s.name)} (${escapeMarkdown(s.rfc)}, ${escapeMarkdown(s.network)})`,
    );
  }
  return lines;
}

function referenceLink(url: string): string {
  // An autolink only when the URL cannot break out of the angle brackets.
  return /^https?:\/\/[^\s<>\\`]+$/.test(url) ? `<${url}>` : escapeMarkdown(url);
}

function receiversSection(receivers: readonly ReceiverVerdict[]): string[] {
  if (receivers.length === 0) return ['## What receivers will do', '', '_No receiver rules apply._'];
  const rows = receivers.map((v) =>
    [RECEIVER_LABEL[v.receiver], escapeMarkdown(v.rule), VERDICT_LABEL[v.verdict], v.reply ? escapeMarkdown(v.reply) : '—']
      .map((cell) => ` ${cell} `)
      .join('|'),
  );
  const notes = receivers.map(
    (v) =>
      `- ${RECEIVER_LABEL[v.receiver]}, ${escapeMarkdown(v.rule)}: ${escapeMarkdown(v.explanation)}` +
      (v.reference ? ` See ${referenceLink(v.reference)}` : ''),
  );
  return [
    '## What receivers will do',
    '',
    '| Receiver | Rule | Verdict | Reply |',
    '| --- | --- | --- | --- |',
    ...rows.map((row) => `|${row}|`),
    '',
    ...notes,
  ];
}

function hopLines(r: RdnsResult, node: HopNode, depth: number): string[] {
  const parts = [`${STATUS_SYMBOL[node.status]} **${escapeMarkdown(node.value)}**`];
  const record = hopRecordLabel(node);
  parts.push(record ?? 'start');
  parts.push(STATUS_LABEL[node.status]);
  const note = hopNoteLabel(node);
  if (note) parts.push(escapeMarkdown(note));
  if (node.wrong) parts.push(`**✗ ${WRONG_LABEL}**`);
  const indent = '  '.repeat(depth);
  return [`${indent}- ${parts.join(' · ')}`, ...node.children.flatMap((child) => hopLines(r, child, depth + 1))];
}

function fixLines(fix: Fix): string[] {
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

function footer(r: RdnsResult): string[] {
  const resolvers = r.resolvers.length === 0 ? 'system' : r.resolvers.map(escapeMarkdown).join(', ');
  return [
    '---',
    '',
    `Resolvers: ${resolvers} · Started: ${escapeMarkdown(r.startedAt)} · Took: ${r.elapsedMs} ms · Mail DNS Doctor`,
  ];
}

export function rdnsToMarkdown(r: RdnsResult): string {
  return [
    `# Reverse DNS report: ${escapeMarkdown(r.ip)}`,
    '',
    ...verdictSection(r),
    '',
    ...receiversSection(r.receivers),
    '',
    '## Chain',
    '',
    ...hopLines(r, r.tree, 0),
    '',
    ...findingsSection(r.findings),
    '',
    ...footer(r),
    '',
  ].join('\n');
}

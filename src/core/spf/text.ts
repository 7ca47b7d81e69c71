// Plain-text reports of SPF results for the terminal: the evaluation tree indented, each term with
// its RFC 7208 section, and the sections' links listed once at the end. Records, TXT answers and
// names come from DNS: every line is escaped for the terminal at the end (escape.ts).
import { terminalLines, zoneText } from '../escape';
import { rfcLink } from './sections';
import type { SendAsResult, SpfFinding, SpfQuery, SpfRecordNode, SpfResult, SpfTermNode } from './types';

const MAX_ANSWERS = 6;

function quote(s: string): string {
  return JSON.stringify(s);
}

function queryLine(q: SpfQuery): string {
  let what: string;
  if (q.rcode !== 'NOERROR' && q.rcode !== 'NXDOMAIN') what = `${q.rcode}${q.error ? ` (${q.error})` : ''}`;
  else if (q.answers.length === 0) what = q.rcode === 'NXDOMAIN' ? 'NXDOMAIN' : 'no records';
  else {
    const shown = q.type === 'TXT' ? q.answers.map(quote) : q.answers;
    what = shown.slice(0, MAX_ANSWERS).join(', ') + (q.answers.length > MAX_ANSWERS ? `, … (${q.answers.length} in all)` : '');
  }
  const via = q.cnames.length > 0 ? ` (via CNAME ${q.cnames.map((c) => c.target).join(' → ')})` : '';
  const tcp = q.transport === 'tcp' ? ' [TCP]' : '';
  return `${q.type} ${q.name}${via} → ${what}${tcp}`;
}

function outcomeText(t: SpfTermNode): string {
  switch (t.outcome) {
    case 'match':
      return `match → ${t.result}`;
    case 'no-match':
      return 'no match';
    case 'error':
      return t.result ?? 'error';
    case 'not-evaluated':
      return 'not evaluated';
    case 'applied':
      return t.result ? `applied → ${t.result}` : 'applied';
    case 'ignored':
      return 'ignored';
  }
}

function flags(t: SpfTermNode, limit: number, voidLimit: number): string {
  const f: string[] = [];
  if (t.lookup !== undefined) f.push(`lookup ${t.lookup}/${limit}`);
  if (t.voidNumber !== undefined) f.push(`void ${t.voidNumber}/${voidLimit}`);
  if (t.limit) f.push('LIMIT EXCEEDED');
  if (t.loop) f.push(`loop ${t.loop.join(' → ')}`);
  if (t.diagnosticOnly) f.push('diagnostic only');
  return f.length > 0 ? `[${f.join(', ')}]` : '';
}

function recordLines(node: SpfRecordNode, indent: string, r: SpfResult, sections: Set<string>, out: string[]): void {
  const head = node.record !== undefined ? `TXT ${quote(node.record)}` : node.how === 'loop' ? '(loop: not followed again)' : '';
  const res = node.resultWithoutLimits !== undefined ? `${node.result} (without the limit: ${node.resultWithoutLimits})` : node.result;
  out.push(`${indent}${node.domain}  ${head}  → ${res}${node.diagnosticOnly ? '  [diagnostic only]' : ''}`);
  sections.add('4.5');
  if (node.record === undefined) {
    if (node.query) out.push(`${indent}    ${queryLine(node.query)}`);
    if (node.candidates) for (const c of node.candidates) out.push(`${indent}    candidate: ${quote(c)}`);
    if (node.note) out.push(`${indent}    ${node.note}`);
    return;
  }
  if (node.how === 'default') out.push(`${indent}    Nothing matched and there is no redirect=: neutral (RFC 7208 §4.7).`);
  const width = Math.min(36, Math.max(...node.terms.map((t) => t.text.length), 4));
  for (const t of node.terms) {
    sections.add(t.section.replace('RFC 7208 §', ''));
    const mark = t.decided ? '  ◀ decided' : node.decidedWithoutLimits === t.index ? '  ◁ would decide without the limit' : '';
    const fl = flags(t, r.lookupLimit, r.voidLimit);
    out.push(`${indent}  ${String(t.index + 1).padStart(2)}  ${t.text.padEnd(width)}  ${outcomeText(t).padEnd(16)} ${t.section}${fl ? '  ' + fl : ''}${mark}`);
    const sub = `${indent}        `;
    if (t.outcome !== 'not-evaluated' || t.note) {
      for (const q of t.queries) if (!(t.record && q === t.record.query)) out.push(`${sub}${queryLine(q)}`);
      if (t.note) out.push(`${sub}${t.note}`);
    }
    if (t.record) recordLines(t.record, sub, r, sections, out);
  }
}

function findingLines(findings: SpfFinding[], out: string[]): void {
  if (findings.length === 0) return;
  out.push('', 'Findings:');
  const order = { error: 0, warning: 1, info: 2 } as const;
  for (const f of [...findings].sort((a, b) => order[a.severity] - order[b.severity])) {
    out.push(`  ${f.severity.padEnd(7)}  ${f.code}: ${f.message}`);
    if (f.fix) {
      out.push(`           fix: ${f.fix.description}`);
      if (f.fix.record) out.push(`             ${zoneText(f.fix.record)}`);
      else if (f.fix.proposed) out.push(`             ${f.fix.owner ?? ''} TXT ${quote(f.fix.proposed)}`);
    }
    if (f.dig) out.push(`           check: ${f.dig}`);
  }
}

export function spfToText(r: SpfResult): string {
  return terminalLines(spfLines(r));
}

function spfLines(r: SpfResult): string[] {
  const out: string[] = [];
  const who = r.identity === 'helo' ? `HELO ${r.domain}` : `${r.sender}`;
  out.push(`SPF check_host(${r.ip}${r.evaluatedIp !== r.ip ? ` = ${r.evaluatedIp}` : ''}, ${r.domain}, ${who}): ${r.result.toUpperCase()}`);
  out.push(`  Why:          ${r.reason}`);
  if (r.explanationSource !== 'reason') out.push(`  Explanation:  ${r.explanation}${r.explanationSource === 'default' ? ' (default; no usable exp=)' : ' (from exp=)'}`);
  out.push(`  DNS lookups:  ${r.lookups} of ${r.lookupLimit}${r.totalLookups !== r.lookups ? ` (the whole tree: ${r.totalLookups})` : ''}; void lookups: ${r.voidLookups} of ${r.voidLimit}`);
  if (r.limitExceeded) out.push(`  Limit:        exceeded at "${r.limitExceeded.text}" in ${r.limitExceeded.domain}'s record; without the limits the result would be ${r.resultWithoutLimits}`);
  out.push(`  Header:       ${r.receivedSpf}`);
  out.push('', 'Evaluation tree (RFC 7208 section of each term; links below):');
  const sections = new Set<string>();
  recordLines(r.tree, '', r, sections, out);
  findingLines(r.findings, out);
  out.push('', 'RFC 7208 sections:');
  for (const s of [...sections].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))) out.push(`  §${s.padEnd(6)} ${rfcLink(s)}`);
  out.push(`  §4.6.4  ${rfcLink('4.6.4')}  (processing limits)`);
  return out;
}

export function sendAsToText(r: SendAsResult): string {
  const out: string[] = [];
  out.push(`Can ${r.ip} send mail as @${r.fromDomain}?`);
  for (const line of r.summary) out.push(`  ${line}`);
  if (r.fix) {
    out.push('', `Publish this in the DNS of ${r.fromDomain}${r.fix.zone ? ` (zone ${r.fix.zone})` : ''}:`);
    out.push(`  ${zoneText(r.fix.record ?? '')}`);
    if (r.fix.current) out.push(`  replacing: ${quote(r.fix.current)}`);
  }
  out.push('', '--- SPF ---', ...spfLines(r.spf));
  out.push('', '--- Reverse DNS ---');
  out.push(`  ${r.rdns.ip} PTR ${r.rdns.ptr.join(', ') || '(none)'}; forward-confirmed: ${r.rdns.fcrdns}${r.rdns.confirmed.length ? ` (${r.rdns.confirmed.join(', ')})` : ''}`);
  out.push('', '--- Replies ---');
  if (r.mx.nullMx) out.push(`  ${r.fromDomain} has a null MX: it accepts no mail.`);
  else if (r.mx.implicit) out.push(`  ${r.fromDomain} has no MX records; mail goes to its own address${r.mx.addresses.length ? ` (${r.mx.addresses.join(', ')})` : ' (it has none)'}.`);
  else for (const h of r.mx.hosts) out.push(`  MX ${h.preference} ${h.exchange}`);
  findingLines(r.findings, out);
  return terminalLines(out);
}

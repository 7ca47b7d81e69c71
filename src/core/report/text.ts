// The readable report the CLI prints: the chain as an indented tree, verdicts, findings, fixes.
// Every line is escaped for the terminal at the end (escape.ts): names come from DNS.
import { terminalLines, zoneText } from '../escape';
import type { Finding, Status } from '../model';
import type { HopNode, RdnsResult } from '../rdns/types';

const MARK: Record<Status, string> = { pass: '✓', warning: '!', fail: '✗', info: '·' };
const SEV: Record<Finding['severity'], string> = { error: 'error', warning: 'warning', info: 'info' };

function hopLine(n: HopNode): string {
  const via = n.type ? `${n.type}${n.ttl != null ? ` ${n.ttl}s` : ''}` : 'checked';
  const note = n.note ? `  (${n.note})` : '';
  const wrong = n.wrong ? '  <-- goes wrong here' : '';
  return `${MARK[n.status]} ${n.value}  [${via}]${note}${wrong}`;
}

function tree(n: HopNode, indent: string, out: string[]): void {
  out.push(indent + hopLine(n));
  for (const c of n.children) tree(c, indent + '    ', out);
}

export function rdnsToText(r: RdnsResult): string {
  const out: string[] = [];
  out.push(`rDNS check for ${r.ip}`);
  out.push(`  iprev (RFC 8601): ${r.fcrdns}`);
  out.push(`  PTR: ${r.ptr.length > 0 ? r.ptr.join(', ') : '(none)'}`);
  if (r.confirmed.length > 0) out.push(`  forward-confirmed: ${r.confirmed.join(', ')}`);
  if (r.loop) out.push('  the chain loops');
  out.push('');
  out.push('What receivers do:');
  for (const v of r.receivers) {
    out.push(`  ${v.receiver} ${v.rule}: ${v.verdict}${v.reply ? `  "${v.reply}"` : ''}`);
  }
  out.push('');
  out.push('Chain:');
  tree(r.tree, '  ', out);
  if (r.findings.length > 0) {
    out.push('');
    out.push('Findings:');
    for (const f of r.findings) {
      out.push(`  ${SEV[f.severity]} ${f.code}: ${f.message}`);
      if (f.dig) out.push(`      reproduce: ${f.dig}`);
      if (f.fix) {
        out.push(`      fix: ${f.fix.description}`);
        if (f.fix.zone) out.push(`      zone: ${f.fix.zone}`);
        if (f.fix.record) out.push(`      record: ${zoneText(f.fix.record)}`);
      }
    }
  }
  out.push('');
  out.push(`Asked ${r.resolvers.join(', ') || 'the system resolver'} in ${r.elapsedMs} ms.`);
  return terminalLines(out);
}

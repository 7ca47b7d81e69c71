// The readable report the CLI prints: the chain as an indented tree, verdicts, findings, fixes.
import type { Finding, Status } from '../model';
import type { HopNode, RdnsResult } from '../rdns/types';

const MARK: Record<Status, string> = { pass: '✓', warning: '!', fail: '✗', info: '·' };
const SEV: Record<Finding['severity'], string> = { error: 'error', warning: 'warning', info: 'info' };

/** Control characters from DNS data would move the terminal's cursor or worse: show them escaped. */
export function safeText(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

function hopLine(n: HopNode): string {
  const via = n.type ? `${n.type}${n.ttl != null ? ` ${n.ttl}s` : ''}` : 'checked';
  const note = n.note ? `  (${n.note})` : '';
  const wrong = n.wrong ? '  <-- goes wrong here' : '';
  return `${MARK[n.status]} ${safeText(n.value)}  [${via}]${note}${wrong}`;
}

function tree(n: HopNode, indent: string, out: string[]): void {
  out.push(indent + hopLine(n));
  for (const c of n.children) tree(c, indent + '    ', out);
}

export function rdnsToText(r: RdnsResult): string {
  const out: string[] = [];
  out.push(`rDNS check for ${r.ip}`);
  out.push(`  iprev (RFC 8601): ${r.fcrdns}`);
  out.push(`  PTR: ${r.ptr.length > 0 ? r.ptr.map(safeText).join(', ') : '(none)'}`);
  if (r.confirmed.length > 0) out.push(`  forward-confirmed: ${r.confirmed.map(safeText).join(', ')}`);
  if (r.loop) out.push('  the chain loops');
  out.push('');
  out.push('What receivers do:');
  for (const v of r.receivers) {
    out.push(`  ${v.receiver} ${v.rule}: ${v.verdict}${v.reply ? `  "${safeText(v.reply)}"` : ''}`);
  }
  out.push('');
  out.push('Chain:');
  tree(r.tree, '  ', out);
  if (r.findings.length > 0) {
    out.push('');
    out.push('Findings:');
    for (const f of r.findings) {
      out.push(`  ${SEV[f.severity]} ${f.code}: ${safeText(f.message)}`);
      if (f.dig) out.push(`      reproduce: ${safeText(f.dig)}`);
      if (f.fix) {
        out.push(`      fix: ${safeText(f.fix.description)}`);
        if (f.fix.zone) out.push(`      zone: ${safeText(f.fix.zone)}`);
        if (f.fix.record) out.push(`      record: ${safeText(f.fix.record)}`);
      }
    }
  }
  out.push('');
  out.push(`Asked ${r.resolvers.join(', ') || 'the system resolver'} in ${r.elapsedMs} ms.`);
  return out.join('\n');
}

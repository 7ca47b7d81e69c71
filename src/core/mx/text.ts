// The MX check as a plain-text report for the terminal, and its one status.
import { findingLines } from '../helo/text';
import type { Status } from '../model';
import { terminalLines } from '../escape';
import type { MxResult } from './types';

/** pass: mail can be delivered and nothing is wrong; fail: it cannot; warning otherwise. */
export function mxStatus(r: MxResult): Status {
  if (!r.receivesMail || r.findings.some((f) => f.severity === 'error')) return 'fail';
  if (r.findings.some((f) => f.severity === 'warning')) return 'warning';
  return 'pass';
}

export function mxToText(r: MxResult): string {
  const out: string[] = [];
  out.push(`MX check for ${r.domain}`);
  out.push(`  MX query: ${r.rcode}${r.cnames.length ? ` (via CNAME ${r.cnames.map((c) => c.target).join(' → ')})` : ''}`);
  out.push(`  receives mail: ${r.receivesMail ? 'yes' : 'no'}${r.nullMx ? ' (null MX, RFC 7505)' : r.implicit ? ' (implicit MX: the domain\'s own address)' : ''}`);
  if (r.hosts.length > 0) {
    out.push('');
    out.push('Hosts, in the order senders try them:');
    for (const h of r.hosts) {
      const mark = h.usable ? '✓' : '✗';
      const kind = h.kind === 'name' ? '' : ` [${h.kind}]`;
      const via = h.cnames.length ? ` (CNAME → ${h.cnames.map((c) => c.target).join(' → ')})` : '';
      out.push(`  ${mark} ${String(h.preference).padStart(5)} ${h.exchange}${kind}${via}`);
      for (const a of h.addresses) {
        out.push(a.rdnsSkipped ? `          ${a.ip}  iprev not checked (budget)` : `          ${a.ip}  PTR ${a.ptr.length ? a.ptr.join(', ') : '(none)'}  iprev ${a.fcrdns}`);
      }
      if (h.addressesOmitted) out.push(`          … and ${h.addressesOmitted} more addresses (not listed)`);
      if (h.skipped) out.push(`          ${h.skipped}`);
      else if (h.kind !== 'null' && h.kind !== 'ip-literal' && h.addresses.length === 0 && h.lookups.length) {
        out.push(`          no address (A: ${h.lookups[0].rcode}${h.lookups[1] ? `, AAAA: ${h.lookups[1].rcode}` : ''})`);
      }
    }
  }
  if (r.findings.length) {
    out.push('');
    out.push('Findings:');
    findingLines(r.findings, out);
  }
  out.push('');
  out.push(`Asked ${r.resolvers.join(', ') || 'the system resolver'} in ${r.elapsedMs} ms.  Reproduce: ${r.dig}`);
  return terminalLines(out);
}

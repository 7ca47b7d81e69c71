// The blocklist check as a plain-text report for the terminal, and its one status.
import { findingLines } from '../helo/text';
import type { Status } from '../model';
import { terminalLines } from '../escape';
import type { DnsblResult } from './types';

/** fail when listed; warning when some list could not be asked; pass otherwise. */
export function dnsblStatus(r: DnsblResult): Status {
  if (r.listed.length > 0) return 'fail';
  if (r.findings.some((f) => f.severity === 'warning' || f.severity === 'error')) return 'warning';
  return 'pass';
}

/** Whether any list gave a usable answer (listed, or not listed with its test points working). */
export function dnsblDecided(r: DnsblResult): boolean {
  return r.zones.some((z) => z.status === 'listed' || (z.status === 'not-listed' && (!z.testPoints || z.testPoints.ok)));
}

export function dnsblToText(r: DnsblResult): string {
  const out: string[] = [];
  out.push(`Blocklist check for ${r.ip}`);
  const width = Math.max(...r.zones.map((z) => z.zone.length));
  for (const z of r.zones) {
    const codes = z.codes.length ? `  ${z.codes.map((c) => `${c.address} (${c.meaning})`).join('; ')}` : '';
    const tp = z.testPoints && !z.testPoints.ok ? '  [test points wrong]' : '';
    out.push(`  ${z.status === 'listed' ? '✗' : z.status === 'not-listed' ? '✓' : '!'} ${z.zone.padEnd(width)}  ${z.status}${z.status === 'error' ? ` (${z.rcode})` : ''}${codes}${tp}`);
    if (z.txt) out.push(`      ${z.txt}`);
  }
  if (r.findings.length) {
    out.push('');
    out.push('Findings:');
    findingLines(r.findings, out);
  }
  out.push('');
  out.push(`Asked ${r.resolvers.join(', ') || 'the system resolver'} in ${r.elapsedMs} ms.`);
  return terminalLines(out);
}

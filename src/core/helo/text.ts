// The HELO check as a plain-text report for the terminal, and its one status.
import type { Finding, Status } from '../model';
import { terminalLines, zoneText } from '../escape';
import type { HeloResult } from './types';

const SEV: Record<Finding['severity'], string> = { error: 'error', warning: 'warning', info: 'info' };

/** The one status of a HELO check: fail on any error finding or Postfix reject, warning on warnings or defers. */
export function heloStatus(r: HeloResult): Status {
  if (r.findings.some((f) => f.severity === 'error') || Object.values(r.postfix).includes('reject')) return 'fail';
  if (r.findings.some((f) => f.severity === 'warning') || Object.values(r.postfix).includes('defer')) return 'warning';
  return 'pass';
}

export function findingLines(findings: Finding[], out: string[], indent = '  '): void {
  for (const f of findings) {
    out.push(`${indent}${SEV[f.severity]} ${f.code}: ${f.message}`);
    if (f.dig) out.push(`${indent}    reproduce: ${f.dig}`);
    if (f.fix) {
      out.push(`${indent}    fix: ${f.fix.description}`);
      if (f.fix.zone) out.push(`${indent}    zone: ${f.fix.zone}`);
      if (f.fix.record) out.push(`${indent}    record: ${zoneText(f.fix.record)}`);
    }
  }
}

function yn(v: boolean | null): string {
  return v === null ? 'unknown' : v ? 'yes' : 'no';
}

export function heloToText(r: HeloResult): string {
  const out: string[] = [];
  out.push(`HELO check for ${JSON.stringify(r.name)}${r.ip ? ` from ${r.ip}` : ''}`);
  out.push(`  syntax: ${r.syntax.form}${r.syntax.valid ? '' : ' (not valid)'}${r.syntax.literal ? ` [${r.syntax.literal.tag}${r.syntax.literal.address ? ' ' + r.syntax.literal.address : ''}]` : ''}`);
  out.push(`  fully qualified: ${r.fqdn ? 'yes' : 'no'}`);
  if (r.syntax.form !== 'address-literal') {
    out.push(`  resolves: ${yn(r.resolves)}${r.addresses.length ? ` (${r.addresses.join(', ')})` : ''}${r.mx.length ? `; MX ${r.mx.join(', ')}` : ''}`);
  }
  if (r.ip) {
    if (r.syntax.form === 'address-literal') out.push(`  literal is the sending IP: ${yn(r.literalMatchesIp)}`);
    else out.push(`  resolves to ${r.ip}: ${yn(r.matchesIp)}`);
    out.push(`  PTR of ${r.ip}: ${r.ptr.length ? r.ptr.join(', ') : '(none)'}; matches HELO name: ${yn(r.matchesPtr)}`);
  }
  if (r.spf) out.push(`  SPF (HELO identity, RFC 7208 §2.3): ${r.spf.result}`);
  out.push('');
  out.push('What Postfix does:');
  for (const v of r.receivers) {
    out.push(`  ${v.rule}: ${v.verdict}${v.reply ? `  "${v.reply}"` : ''}`);
  }
  if (r.receivers.some((v) => v.reply && v.replyAtHelo && v.reply !== v.replyAtHelo)) {
    out.push('  (replies as sent at RCPT TO with the default smtpd_delay_reject = yes; with "no" they answer HELO and show the name as sent)');
  }
  if (r.findings.length > 0) {
    out.push('');
    out.push('Findings:');
    findingLines(r.findings, out);
  }
  if (r.findings.some((f) => f.fix && f.fix.proposed !== undefined && f.fix.type === undefined) || r.findings.some((f) => /^helo-(not-fqdn|invalid|bare-address|ip-mismatch)/.test(f.code))) {
    out.push('');
    out.push('Where the HELO name is set:');
    for (const s of r.nameSettings) out.push(`  ${s.mta}: ${s.setting}`, `      ${s.example}`);
  }
  out.push('');
  out.push(`Asked ${r.resolvers.join(', ') || 'the system resolver'} in ${r.elapsedMs} ms.`);
  return terminalLines(out);
}

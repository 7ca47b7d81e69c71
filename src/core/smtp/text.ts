// The SMTP probe as a plain-text report for the terminal, and its one status.
import { findingLines } from '../helo/text';
import type { Status } from '../model';
import { terminalLines } from '../escape';
import type { SmtpProbeResult } from './types';

export function smtpStatus(r: SmtpProbeResult): Status {
  if (r.findings.some((f) => f.severity === 'error')) return 'fail';
  if (r.findings.some((f) => f.severity === 'warning')) return 'warning';
  return 'pass';
}

/**
 * The port stayed silent: no answer to the connection, or a connection that never greets and sent
 * nothing (a firewall or proxy may accept connections and never forward them). A broken server
 * cannot be told from a blocked network: undecided, not failed (docs/mail-checks.md).
 */
export function smtpSilent(r: SmtpProbeResult): boolean {
  return r.findings.some((f) => f.code === 'smtp-connect-timeout' || (f.code === 'smtp-greeting-timeout' && r.bytesRead === 0));
}

/** Whether `maildns smtp` has a verdict (exit 0 or 1): not for a silent port or a failed lookup (exit 2). */
export function smtpDecided(r: SmtpProbeResult): boolean {
  return !smtpSilent(r) && !r.findings.some((f) => f.code.startsWith('dns-'));
}

export function smtpToText(r: SmtpProbeResult): string {
  const out: string[] = [];
  out.push(`SMTP probe of ${r.host} port ${r.port}${r.hostIsName && r.address ? ` (${r.address})` : ''}`);
  out.push(`  connected: ${r.connected ? `yes, in ${r.connectMs} ms` : 'no'}`);
  if (r.greeting) out.push(`  greeting: ${r.greeting.code} after ${r.greeting.ms} ms${r.greeting.name ? `, name ${r.greeting.name}` : ''}`);
  if (r.ehlo) {
    out.push(`  ${r.ehlo.command} ${r.ehlo.sentName}: ${r.ehlo.reply.code}${r.ehlo.name ? `, name ${r.ehlo.name}` : ''}${r.ehlo.clientAddress ? `, sees us as ${r.ehlo.clientAddress}` : ''}`);
    if (r.ehlo.extensions.length) out.push(`  extensions: ${r.ehlo.extensions.map((x) => x.params ? `${x.keyword} ${x.params}` : x.keyword).join(', ')}`);
  }
  const t = r.starttls;
  out.push(`  STARTTLS: ${!t.offered ? 'not offered' : !t.attempted ? 'offered (not tried)' : t.ok ? `yes, ${t.protocol ?? ''} ${t.cipher ?? ''}`.trim() : `failed${t.error ? ': ' + t.error : ''}`}`);
  if (t.certificate) {
    const c = t.certificate;
    out.push(`  certificate: ${c.names.join(', ') || c.subject}; ${c.validTo ? `expires ${c.validTo.slice(0, 10)} (${c.daysLeft} days)` : `unreadable dates (${c.unreadableDates ?? ''})`}${c.selfSigned ? '; self-signed' : c.authorized ? '; trusted' : `; not trusted (${c.authorizationError ?? 'unknown'})`}`);
  }
  if (r.address) out.push(`  PTR of ${r.address}: ${r.serverPtr.length ? r.serverPtr.join(', ') : '(none)'}`);
  for (const n of r.names) {
    out.push(`  ${n.role} name ${n.name}: ${n.addresses.length ? `resolves to ${n.addresses.join(', ')}` : 'no address'}${n.resolvesToServer ? ' (the server)' : n.resolvesToServer === false ? ' (not the server)' : ''}${n.isPtr ? ', is the PTR name' : ''}`);
  }
  if (r.transcript.length) {
    out.push('');
    out.push('Transcript:');
    for (const l of r.transcript) out.push(`  ${String(l.ms).padStart(6)} ms ${l.dir === 'S' ? 'S:' : 'C:'}${l.tls ? '[tls]' : ''} ${l.text}`);
  }
  if (r.findings.length) {
    out.push('');
    out.push('Findings:');
    findingLines(r.findings, out);
  }
  out.push('');
  out.push(`Finished in ${r.elapsedMs} ms; read ${r.bytesRead} bytes.`);
  return terminalLines(out);
}

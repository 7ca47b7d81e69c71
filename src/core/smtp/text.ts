// The SMTP probe as a plain-text report for the terminal, and its one status.
import { findingLines } from '../helo/text';
import type { Status } from '../model';
import { safeText } from '../report/text';
import type { SmtpProbeResult } from './types';

export function smtpStatus(r: SmtpProbeResult): Status {
  if (r.findings.some((f) => f.severity === 'error')) return 'fail';
  if (r.findings.some((f) => f.severity === 'warning')) return 'warning';
  return 'pass';
}

export function smtpToText(r: SmtpProbeResult): string {
  const out: string[] = [];
  out.push(`SMTP probe of ${safeText(r.host)} port ${r.port}${r.hostIsName && r.address ? ` (${r.address})` : ''}`);
  out.push(`  connected: ${r.connected ? `yes, in ${r.connectMs} ms` : 'no'}`);
  if (r.greeting) out.push(`  greeting: ${r.greeting.code} after ${r.greeting.ms} ms${r.greeting.name ? `, name ${safeText(r.greeting.name)}` : ''}`);
  if (r.ehlo) {
    out.push(`  ${r.ehlo.command} ${safeText(r.ehlo.sentName)}: ${r.ehlo.reply.code}${r.ehlo.name ? `, name ${safeText(r.ehlo.name)}` : ''}${r.ehlo.clientAddress ? `, sees us as ${r.ehlo.clientAddress}` : ''}`);
    if (r.ehlo.extensions.length) out.push(`  extensions: ${r.ehlo.extensions.map((x) => safeText(x.params ? `${x.keyword} ${x.params}` : x.keyword)).join(', ')}`);
  }
  const t = r.starttls;
  out.push(`  STARTTLS: ${!t.offered ? 'not offered' : !t.attempted ? 'offered (not tried)' : t.ok ? `yes, ${t.protocol ?? ''} ${t.cipher ?? ''}`.trim() : `failed${t.error ? ': ' + safeText(t.error) : ''}`}`);
  if (t.certificate) {
    const c = t.certificate;
    out.push(`  certificate: ${c.names.map(safeText).join(', ') || safeText(c.subject)}; ${c.validTo ? `expires ${c.validTo.slice(0, 10)} (${c.daysLeft} days)` : `unreadable dates (${safeText(c.unreadableDates ?? '')})`}${c.selfSigned ? '; self-signed' : c.authorized ? '; trusted' : `; not trusted (${c.authorizationError ?? 'unknown'})`}`);
  }
  if (r.address) out.push(`  PTR of ${r.address}: ${r.serverPtr.length ? r.serverPtr.map(safeText).join(', ') : '(none)'}`);
  for (const n of r.names) {
    out.push(`  ${n.role} name ${safeText(n.name)}: ${n.addresses.length ? `resolves to ${n.addresses.join(', ')}` : 'no address'}${n.resolvesToServer ? ' (the server)' : n.resolvesToServer === false ? ' (not the server)' : ''}${n.isPtr ? ', is the PTR name' : ''}`);
  }
  if (r.transcript.length) {
    out.push('');
    out.push('Transcript:');
    for (const l of r.transcript) out.push(`  ${String(l.ms).padStart(6)} ms ${l.dir === 'S' ? 'S:' : 'C:'}${l.tls ? '[tls]' : ''} ${safeText(l.text)}`);
  }
  if (r.findings.length) {
    out.push('');
    out.push('Findings:');
    findingLines(r.findings, out);
  }
  out.push('');
  out.push(`Finished in ${r.elapsedMs} ms; read ${r.bytesRead} bytes.`);
  return out.join('\n');
}

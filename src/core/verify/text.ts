// "Check a received message" as plain text for the terminal, and its one status. Every line goes
// through terminalLines: the message's headers are written by strangers.
import { terminalLines } from '../escape';
import { findingLines } from '../helo/text';
import type { Status } from '../model';
import type { VerifyResult } from './types';

/** pass: DMARC passes; fail: DMARC fails (or there is no usable From); warning: no policy, DNS trouble, or undecided. */
export function verifyStatus(r: VerifyResult): Status {
  if (r.dmarc.result === 'pass') return 'pass';
  if (r.dmarc.result === 'fail' || r.dmarc.result === 'permerror' || r.fromDomain === '') return 'fail';
  return 'warning';
}

export function dmarcLine(r: VerifyResult): string {
  const d = r.dmarc;
  if (r.fromDomain === '') return 'not evaluated (no usable From domain)';
  const pol = d.policy ? `${d.policy.tag}=${d.policy.value}${d.policy.pct < 100 ? ` pct=${d.policy.pct}` : ''} from _dmarc.${d.policy.recordDomain}` : 'no policy';
  return `${d.result} (${pol}; a receiver's action: ${d.disposition}${d.unsampled ? `, ${d.unsampled} outside the pct sample` : ''})`;
}

export function verifyToText(r: VerifyResult): string {
  const out: string[] = [];
  out.push(`Message check${r.subject ? `: ${r.subject}` : ''}`);
  out.push(`  From: ${r.from ?? '(none)'}${r.fromDomain ? `  (organizational domain ${r.dmarc.orgDomain})` : ''}`);
  out.push(`  Return-Path: ${r.returnPath === null ? '(none recorded)' : r.returnPath === '' ? '<> (null sender)' : r.returnPath}`);
  out.push(`  connecting address: ${r.connection.ip ?? 'unknown'}${r.connection.helo ? `, HELO ${r.connection.helo}` : ''} — ${r.connection.source === 'given' ? 'given' : r.connection.source === 'received' ? `from Received #${(r.connection.hop ?? 0) + 1}` : 'not found'}`);
  out.push(`      ${r.connection.why}`);
  out.push('');
  out.push(`DMARC: ${dmarcLine(r)}`);
  out.push(`  ${r.dmarc.why}`);
  out.push('');
  out.push(`SPF: ${r.spf.result}${r.spf.checked ? ` for ${r.spf.domain} (${r.spf.identity === 'helo' ? 'HELO name' : 'envelope sender'}) from ${r.spf.ip}` : ''}`);
  out.push(`  ${r.spf.reason}`);
  out.push(`  alignment: ${r.dmarc.alignment.spf.why}`);
  out.push('');
  out.push(`DKIM: ${r.dkim.length === 0 ? 'no signatures' : `${r.dkim.length} signature${r.dkim.length === 1 ? '' : 's'}`}`);
  r.dkim.forEach((d, i) => {
    out.push(`  #${i + 1} d=${d.d || '(none)'} s=${d.s || '(none)'} a=${d.a || '?'}: ${d.result}`);
    out.push(`      ${d.reason}`);
    for (const n of d.notes) out.push(`      note: ${n}`);
    const a = r.dmarc.alignment.dkim[i];
    if (a) out.push(`      alignment: ${a.why}`);
  });
  if (r.comparisons.length > 0 || r.authResults.length > 0) {
    out.push('');
    out.push("The message's own Authentication-Results (the receiver's, beside ours):");
    for (const c of r.comparisons) out.push(`  ${c.agree ? 'same' : 'DIFFERENT'}: ${c.authservId} says ${c.theirs}; ours: ${c.ours}${c.why ? ` — ${c.why}` : ''}`);
    const others = r.authResults.filter((a) => !r.receiverAuthResults.includes(a.field));
    for (const a of others) out.push(`  not compared (another host): ${a.authservId || '(no authserv-id)'}: ${a.text}`);
  }
  if (r.arc.chain !== 'none') {
    out.push('');
    out.push(`ARC: ${r.arc.chain}. ${r.arc.why}`);
    for (const s of r.arc.sets) out.push(`  i=${s.instance} cv=${s.cv ?? '?'} sealed by ${s.sealer ?? '?'}${s.results ? `: ${s.results.text}` : ''}`);
  }
  if (r.received.length > 0) {
    out.push('');
    out.push('Received fields (topmost first):');
    for (const h of r.received) out.push(`  #${h.index + 1} ${h.role}: from ${h.helo ?? '?'}${h.ip ? ` [${h.ip}]` : ''} by ${h.by ?? '?'} — ${h.why}`);
  }
  if (r.findings.length > 0) {
    out.push('');
    out.push('Findings:');
    findingLines(r.findings, out);
  }
  out.push('');
  out.push(`Asked ${r.resolvers.join(', ') || 'the system resolver'} in ${r.elapsedMs} ms.`);
  return terminalLines(out);
}

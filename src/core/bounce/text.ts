// The bounce explanation as plain text for the terminal.
import { terminalLines } from '../escape';
import { SIDE_LABEL } from './labels';
import type { BounceExplanation } from './types';

const KIND: Record<BounceExplanation['messageKind'], string> = {
  bounce: 'a bounce',
  delay: 'a delay notice',
  delivered: 'a success notice',
  'auto-reply': 'an automatic reply',
  'feedback-report': 'a feedback report (ARF)',
  unknown: 'not recognised',
};
const FORMAT: Record<BounceExplanation['format'], string> = { dsn: 'its delivery status (RFC 3464)', arf: 'its feedback report (RFC 5965)', text: 'its text' };

export function bounceToText(r: BounceExplanation): string {
  const out: string[] = [];
  out.push(r.summary);
  out.push('', `Message: ${KIND[r.messageKind]}, read from ${FORMAT[r.format]}${r.recipients.length > 1 ? `; ${r.recipients.length} recipients` : ''}.`);
  for (const x of r.recipients) {
    out.push('');
    const mark = x.side.startsWith('sender-') ? '✗' : x.side === 'none' ? '✓' : '·';
    out.push(`${mark} ${x.address ?? 'recipient'}: ${x.cause?.title ?? (x.side === 'none' ? 'nothing to fix' : 'not recognised')}  [whose side: ${SIDE_LABEL[x.side]}]`);
    const head = [x.action ? `action ${x.action}` : '', x.status ? `status ${x.status}` : '', x.remoteMta ? `receiving server ${x.remoteMta}${x.remoteIp ? ` [${x.remoteIp}]` : ''}` : ''].filter(Boolean);
    if (head.length) out.push(`    ${head.join(', ')}`);
    if (x.reply) out.push(`    reply: ${x.reply}`);
    if (x.cause) out.push(`    checked: ${x.cause.checked}`);
    out.push(`    meaning: ${x.explanation}`);
    const v = x.values;
    const values = [v.ip ? `IP ${v.ip}` : '', v.helo ? `HELO ${v.helo}` : '', v.domain ? `sender domain ${v.domain}` : '', v.zone ? `list ${v.zone}` : '', v.selector ? `DKIM selector ${v.selector}` : ''].filter(Boolean);
    if (values.length) out.push(`    values: ${values.join(', ')}${x.valuesFromReturned?.length ? ` (${x.valuesFromReturned.join(', ')} from the returned message's Received-SPF)` : ''}`);
    for (const s of x.suggestions) out.push(`    run: ${s.cli}`);
  }
  const x = r.extracted;
  const line = (label: string, v: string[]) => {
    if (v.length) out.push(`  ${label}: ${v.join(', ')}`);
  };
  out.push('');
  out.push('Found in the bounce:');
  line('sending IP', x.senderIps);
  line('HELO name', x.heloNames);
  line('sender domain', x.senderDomains);
  line('recipient domain', x.recipientDomains);
  line('receiving server', x.remoteHosts.map((h, i) => (x.receiverIps[i] ? `${h} [${x.receiverIps[i]}]` : h)));
  if (x.reportingMta) line('bounce written by', [x.reportingMta]);
  line('blocklist', x.dnsblZones);
  line('status codes', x.enhancedCodes.map((c) => `${c.code} (${c.meaning})`));
  if (r.returned) {
    out.push('', 'The returned message (context: how a receiver saw it, not why this one refused):');
    if (r.returned.from) out.push(`  From: ${r.returned.from}`);
    if (r.returned.receivedSpf) out.push(`  Received-SPF: ${r.returned.receivedSpf}`);
    if (r.returned.authenticationResults) out.push(`  Authentication-Results: ${r.returned.authenticationResults}`);
    if (r.returned.dkim?.length) out.push(`  DKIM-Signature: ${r.returned.dkim.map((d) => `d=${d.domain} s=${d.selector}`).join(', ')}`);
  }
  if (r.feedback) {
    out.push('', 'Feedback report:');
    for (const [k, v] of Object.entries(r.feedback)) out.push(`  ${k}: ${v}`);
  }
  if (r.suggestions.length) {
    out.push('');
    out.push('Run:');
    for (const s of r.suggestions) out.push(`  ${s.cli}    # ${s.why}${s.complete ? '' : ' — fill in the <…> values'}`);
  }
  for (const n of r.notes) out.push('', n);
  if (r.truncated) out.push('', `(Only the first ${r.length} characters were read.)`);
  return terminalLines(out);
}

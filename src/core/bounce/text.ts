// The bounce explanation as plain text for the terminal.
import { terminalLines } from '../escape';
import type { BounceExplanation } from './types';

export function bounceToText(r: BounceExplanation): string {
  const out: string[] = [];
  out.push(r.summary);
  for (const m of r.matches) {
    out.push('');
    out.push(`${m.senderSide ? '✗' : '·'} ${m.title}  [${m.receiver}, ${m.category}]`);
    out.push(`    text: ${m.text}`);
    out.push(`    checked: ${m.checked}`);
    out.push(`    meaning: ${m.explanation}`);
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
  if (r.suggestions.length) {
    out.push('');
    out.push('Run:');
    for (const s of r.suggestions) out.push(`  ${s.cli}    # ${s.why}${s.complete ? '' : ' — fill in the <…> values'}`);
  }
  if (r.truncated) out.push('', `(Only the first ${r.length} characters were read.)`);
  return terminalLines(out);
}

// The combined check as a plain-text report: one row per check, then the changes to make, whether
// SPF and DKIM could align with the From domain, and the sender requirements of Gmail, Yahoo and
// Outlook.com with this server's standing on each (read from the result, never re-derived).
import type { Status } from '../model';
import { terminalLines, zoneText } from '../escape';
import { receiverLines } from '../receivers/text';
import { appliesLabel, PROVIDERS, SOURCES, standingLabel } from './requirements';
import type { MailCheckResult } from './types';

const MARK: Record<Status, string> = { pass: '✓', warning: '!', fail: '✗', info: '·' };

export function mailCheckStatus(r: MailCheckResult): Status {
  return r.status;
}

/** An alignment verdict in a word: `yes` (or `could`, for a signature not seen), `no`, `cannot tell`. */
export function alignedLabel(aligned: boolean | null, yes = 'yes'): string {
  return aligned === true ? yes : aligned === false ? 'no' : 'cannot tell';
}

export function alignedStatus(aligned: boolean | null): Status {
  return aligned === true ? 'pass' : aligned === false ? 'fail' : 'warning';
}

export function mailCheckToText(r: MailCheckResult): string {
  const out: string[] = [];
  out.push(`Mail server check: ${r.ip}, HELO ${JSON.stringify(r.heloName)}, From domain ${r.fromDomain}${r.dkimSelector ? `, DKIM selector ${r.dkimSelector}` : ''}`);
  out.push('');
  for (const row of r.rows) {
    out.push(`${MARK[row.status]} ${row.title}${row.decided ? '' : ' (undecided)'}`);
    out.push(`    ${row.summary}`);
    if (row.fix?.record) out.push(`    record: ${zoneText(row.fix.record)}`);
  }
  out.push('');
  out.push('What to change:');
  for (const a of r.answer) out.push(`  ${a}`);

  const a = r.alignment;
  out.push('');
  out.push(`Alignment with the From domain ${a.fromDomain} (DMARC${a.modesFrom ? `, modes from ${a.modesFrom}` : ', default modes'}):`);
  out.push(`  ${MARK[alignedStatus(a.spf.aligned)]} SPF  ${a.spf.domain} (aspf=${a.spf.mode}): ${alignedLabel(a.spf.aligned)}. ${a.spf.why}`);
  out.push(`  ${MARK[alignedStatus(a.dkim.aligned)]} DKIM ${a.dkim.domain} (adkim=${a.dkim.mode}): ${alignedLabel(a.dkim.aligned, 'could')}. ${a.dkim.why}`);
  out.push(`  ${a.caveat}`);

  const q = r.requirements;
  out.push('');
  out.push(`Sender requirements (${PROVIDERS.map((p) => SOURCES[p].name).join(', ')}; wording as of ${q.checked}):`);
  out.push(`  ${q.basisNote}`);
  for (const row of q.rows) {
    out.push(`  ${MARK[row.status]} ${row.title}: ${standingLabel(row)}`);
    out.push(`      ${PROVIDERS.map((p) => `${SOURCES[p].name}: ${appliesLabel(p, row.rules[p].applies)}`).join(' · ')}`);
    out.push(`      ${row.standing}`);
  }
  out.push('  Sources (each requirement in the provider\'s words: --json, or the report in VS Code):');
  for (const src of q.sources) out.push(`    ${src.name}: ${src.url} (in force since ${src.inForce})`);
  const receivers = receiverLines(r.receivers);
  if (receivers.length > 0) out.push('', ...receivers);
  out.push('');
  out.push(`Asked ${r.resolvers.join(', ') || 'the system resolver'} in ${r.elapsedMs} ms. Details: maildns rdns/helo/spf/dkim/dmarc/mx/dnsbl, or --json.`);
  return terminalLines(out);
}

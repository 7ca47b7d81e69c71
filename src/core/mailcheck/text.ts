// The combined check as a plain-text report: one row per check, then the changes to make.
import type { Status } from '../model';
import { terminalLines, zoneText } from '../escape';
import type { MailCheckResult } from './types';

const MARK: Record<Status, string> = { pass: '✓', warning: '!', fail: '✗', info: '·' };

export function mailCheckStatus(r: MailCheckResult): Status {
  return r.status;
}

export function mailCheckToText(r: MailCheckResult): string {
  const out: string[] = [];
  out.push(`Mail server check: ${r.ip}, HELO ${JSON.stringify(r.heloName)}, From domain ${r.fromDomain}`);
  out.push('');
  for (const row of r.rows) {
    out.push(`${MARK[row.status]} ${row.title}${row.decided ? '' : ' (undecided)'}`);
    out.push(`    ${row.summary}`);
    if (row.fix?.record) out.push(`    record: ${zoneText(row.fix.record)}`);
  }
  out.push('');
  out.push('What to change:');
  for (const a of r.answer) out.push(`  ${a}`);
  out.push('');
  out.push(`Asked ${r.resolvers.join(', ') || 'the system resolver'} in ${r.elapsedMs} ms. Details: maildns rdns/helo/mx/dnsbl/spf, or --json.`);
  return terminalLines(out);
}

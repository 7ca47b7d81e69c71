// The receiver matrix as plain-text lines for `maildns check` (the caller escapes them with
// terminalLines): per receiver its modelled version, then each rule with its verdict, score, reply and why.
import type { Status } from '../model';
import { receiverLabel, receiverStatus } from '../report/receiversDoc';
import type { ReceiverRow } from './types';

const MARK: Record<Status, string> = { pass: '✓', warning: '!', fail: '✗', info: '·' };

export function receiverLines(rows: readonly ReceiverRow[] | undefined): string[] {
  if (!rows || rows.length === 0) return [];
  const out = ['Receivers (Postfix, Exim, SpamAssassin, rspamd: checked against the real software; Gmail, Yahoo, Outlook.com: their published rules; the connection\'s share only, the message adds its own; docs/receivers.md):'];
  for (const receiver of [...new Set(rows.map((r) => r.receiver))]) {
    const mine = rows.filter((r) => r.receiver === receiver);
    out.push(`  ${receiverLabel(mine[0])} — ${mine[0].version}`);
    for (const r of mine) {
      const score = r.score === undefined ? '' : ` ${r.score}`;
      const reply = r.reply ? ` (${r.reply})` : '';
      out.push(`    ${MARK[receiverStatus(r)]} ${r.rule}: ${r.verdict}${score}${reply}`);
      out.push(`        ${r.why}`);
    }
  }
  return out;
}

// The Receivers section of a report: one row per rule of each modelled receiver (docs/receivers.md),
// its verdict, and the reply or score it gives; the rule's explanation and documentation under it.
// Everything is text: the renderers escape it.
import type { Status } from '../model';
import type { ReceiverRow } from '../receivers/types';
import type { Section } from './doc';

export const RECEIVER_NAMES: Record<ReceiverRow['receiver'], string> = { postfix: 'Postfix', exim: 'Exim', spamassassin: 'SpamAssassin', rspamd: 'rspamd' };

export function receiverStatus(r: ReceiverRow): Status {
  switch (r.verdict) {
    case 'accept':
    case 'ham':
    case 'no action':
      return 'pass';
    case 'reject':
    case 'spam':
      return 'fail';
    case 'defer':
    case 'greylist':
    case 'add header':
      return 'warning';
    default:
      // A scoring rule's hit: bad when it adds to the score.
      return (r.score ?? 0) > 0 ? 'warning' : 'info';
  }
}

/** The title of the one table the rDNS, HELO and SPF reports get (receiverSections with `partial`). */
export const PARTIAL_RECEIVERS_TITLE = 'Other receivers: the rules this check decides';

/** `partial`: the rows one check decides alone (rDNS, HELO, SPF reports): the table only, titled so. */
export function receiverSections(rows: readonly ReceiverRow[] | undefined, partial = false): Section[] {
  if (!rows || rows.length === 0) return [];
  const versions = [...new Set(rows.map((r) => r.version))];
  const sections: Section[] = [
    {
      type: 'table',
      title: partial ? PARTIAL_RECEIVERS_TITLE : 'Receivers',
      columns: ['Receiver', 'Rule', 'Verdict', 'Score', 'Reply'],
      rows: rows.map((r) => [
        RECEIVER_NAMES[r.receiver],
        { text: r.rule, mono: true, detail: r.why, href: r.docUrl },
        { text: r.verdict, status: receiverStatus(r) },
        r.score === undefined ? '' : String(r.score),
        r.reply ? { text: r.reply, mono: true } : '',
      ]),
    },
    {
      type: 'text',
      title: 'How the receivers are modelled',
      paragraphs: [
        ...versions.map((v) => `Modelled: ${v}.`),
        'Each verdict was checked against the real software on the scenarios of docs/receivers.md. Scores are the connection\'s share only; the message\'s content adds its own. Knobs that change them: Postfix\'s unknown_address_reject_code (450) and rbl_reply_maps, policyd-spf\'s HELO_reject and Mail_From_reject, Exim\'s ACL lines, SpamAssassin\'s required_score (5.0), rspamd\'s action thresholds (greylist 4, add header 6, reject 15).',
      ],
    },
  ];
  return partial ? sections.slice(0, 1) : sections;
}

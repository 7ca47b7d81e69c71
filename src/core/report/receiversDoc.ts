// The Receivers section of a report: one row per rule of each modelled receiver (docs/receivers.md),
// its verdict, and the reply or score it gives; the rule's explanation and documentation under it.
// Everything is text: the renderers escape it.
import type { Status } from '../model';
import type { ReceiverRow } from '../receivers/types';
import type { Section } from './doc';

export const RECEIVER_NAMES: Record<ReceiverRow['receiver'], string> = {
  postfix: 'Postfix', exim: 'Exim', spamassassin: 'SpamAssassin', rspamd: 'rspamd', gmail: 'Gmail', yahoo: 'Yahoo', microsoft: 'Outlook.com',
};

/** The receiver as a cell names it: a published rule says so (Gmail, Yahoo, Microsoft: not checked against their servers). */
export function receiverLabel(r: Pick<ReceiverRow, 'receiver' | 'basis'>): string {
  return r.basis === 'published-rule' ? `${RECEIVER_NAMES[r.receiver]} (published rule)` : RECEIVER_NAMES[r.receiver];
}

export function receiverStatus(r: ReceiverRow): Status {
  switch (r.verdict) {
    case 'accept':
    case 'ham':
    case 'no action':
    case 'met':
      return 'pass';
    case 'reject':
    case 'spam':
    case 'not met':
      return 'fail';
    case 'cannot tell':
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
        receiverLabel(r),
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
        'Each verdict of Postfix, Exim, SpamAssassin and rspamd was checked against the real software on the scenarios of docs/receivers.md. Gmail, Yahoo and Outlook.com rows are their published rules (met / not met / cannot tell), not behaviour seen from their servers. Scores are the connection\'s share only; the message\'s content adds its own. Knobs that change them (settings mailDns.receivers.*, maildns check --receivers <file>): Postfix\'s unknown_client_reject_code (450), unknown_address_reject_code (450), maps_rbl_reject_code (554) and its HELO codes unknown_hostname_reject_code (450), invalid_hostname_reject_code (501), non_fqdn_reject_code (504), postscreen\'s postscreen_dnsbl_sites weights, threshold (1) and action (enforce), SpamAssassin\'s required_score (5.0), rspamd\'s action thresholds (greylist 4, add header 6, reject 15); not yet: policyd-spf\'s HELO_reject and Mail_From_reject, Exim\'s ACL lines.',
      ],
    },
  ];
  return partial ? sections.slice(0, 1) : sections;
}

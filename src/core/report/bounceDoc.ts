// "Explain bounce message" as a report document: what the receiver said and checked, in plain
// words, the values the bounce names (sending IP, HELO name, domains), and the checks to run with
// them. A bounce is pasted text from anywhere: every part of it stays text.
import { SIDE_LABEL } from '../bounce/labels';
import type { BounceExplanation, BounceMatch, RecipientVerdict, SuggestedCheck } from '../bounce/types';
import type { Status } from '../model';
import { type Cell, compact, type DocRow, type ReportDoc } from './doc';

/** The editor's name of each check a bounce can suggest. */
export const SUGGESTED_CHECK_LABEL: Record<SuggestedCheck['check'], string> = {
  helo: 'Check HELO name',
  rdns: 'Check rDNS for IP',
  spf: 'Check SPF',
  dnsbl: 'Check blocklists for IP',
  mx: 'Check MX for domain',
  check: 'Check mail server',
  dmarc: 'Check DMARC',
  dkim: 'Check DKIM key',
};

const ARG_LABEL: Record<string, string> = { ip: 'IP', helo: 'HELO', domain: 'domain', zone: 'list', selector: 'selector' };

/** `HELO DYNA-WEB, domain dynatron.example`: the values a suggested check runs with. */
export function suggestionValues(s: SuggestedCheck): string {
  return Object.entries(s.args)
    .map(([k, v]) => `${ARG_LABEL[k] ?? k} ${v}`)
    .join(', ');
}

export function bounceStatus(r: BounceExplanation): Status {
  if (r.recipients.some((x) => x.side.startsWith('sender-'))) return 'fail';
  return r.recipients.some((x) => x.cause && x.side !== 'none') ? 'warning' : 'info';
}

/** The match the explanation leads with: the first the sender can fix, else the first. */
function primary(r: BounceExplanation): BounceMatch | undefined {
  return r.recipients.find((x) => x.cause?.senderSide)?.cause ?? r.recipients.find((x) => x.cause)?.cause ?? r.matches[0];
}

const KIND_LABEL: Record<BounceExplanation['messageKind'], string> = {
  bounce: 'a bounce (delivery failed)',
  delay: 'a delay notice (still being retried)',
  delivered: 'a success notice',
  'auto-reply': 'an automatic reply',
  'feedback-report': 'a feedback report (ARF)',
  unknown: 'not recognised',
};
const FORMAT_LABEL: Record<BounceExplanation['format'], string> = {
  dsn: 'read from its delivery status (RFC 3464)',
  arf: 'read from its feedback report (RFC 5965)',
  text: 'read from its text',
};

function subject(r: BounceExplanation): string {
  if (r.messageKind === 'delivered' || r.messageKind === 'auto-reply' || r.messageKind === 'feedback-report') return KIND_LABEL[r.messageKind];
  const m = primary(r);
  const code = m ? [m.values.code, m.values.enhanced].filter(Boolean).join(' ') : (r.extracted.smtpCodes[0] ?? '');
  const host = r.recipients.find((x) => x.cause === m)?.remoteMta ?? r.extracted.remoteHosts[0];
  return `${code || (m ? m.title : 'unrecognised bounce')}${host ? ` from ${host}` : ''}`;
}

function matchRow(m: BounceMatch): DocRow {
  const who = m.receiver === 'any' ? 'The receiver' : m.receiver;
  return {
    label: m.title,
    status: m.senderSide ? 'fail' : 'info',
    summary: m.text,
    detail: `${who} checked: ${m.checked} ${m.explanation}${m.senderSide ? '' : ' (Not a problem of the sending server.)'}`,
  };
}

function valuesText(x: RecipientVerdict): string {
  const v = x.values;
  const parts = [
    v.ip ? `sending IP ${v.ip}` : '',
    v.helo ? `HELO ${v.helo}` : '',
    v.domain ? `sender domain ${v.domain}` : '',
    v.zone ? `list ${v.zone}` : '',
    v.selector ? `DKIM selector ${v.selector}` : '',
  ].filter(Boolean);
  const seen = x.valuesFromReturned?.length ? ` (${x.valuesFromReturned.join(' and ')} from the returned message's Received-SPF: what the receiver saw)` : '';
  return parts.length ? `Values: ${parts.join(', ')}${seen}.` : '';
}

function recipientRow(x: RecipientVerdict): DocRow {
  const title = x.cause?.title ?? (x.side === 'none' ? 'nothing to fix' : 'not recognised');
  const status: Status = x.side.startsWith('sender-') ? 'fail' : x.side === 'none' ? 'pass' : x.cause ? 'warning' : 'info';
  const head = [x.action ? `Action: ${x.action}` : '', x.status ? `Status: ${x.status} (${x.statusMeaning ?? 'unknown'})` : '', x.remoteMta ? `Receiving server: ${x.remoteMta}${x.remoteIp ? ` [${x.remoteIp}]` : ''}` : ''].filter(Boolean);
  const checks = x.suggestions.map((sg) => `${SUGGESTED_CHECK_LABEL[sg.check]}${suggestionValues(sg) ? ` (${suggestionValues(sg)})` : ''}`);
  return {
    label: x.address ?? 'recipient',
    status,
    summary: `${title} — whose side must act: ${SIDE_LABEL[x.side]}`,
    detail: [
      head.join(' · '),
      x.reply ? `The receiver said: ${x.reply}` : '',
      x.explanation,
      valuesText(x),
      checks.length ? `Checks to run: ${checks.join('; ')}.` : '',
    ]
      .filter(Boolean)
      .join(' '),
  };
}

function suggestionRow(s: SuggestedCheck): Cell[] {
  return [
    compact({ text: SUGGESTED_CHECK_LABEL[s.check], detail: s.why }),
    suggestionValues(s),
    compact({ text: s.cli, mono: true, detail: s.complete ? undefined : 'The bounce does not say every value: fill in the <…> ones.' }),
  ];
}

function facts(r: BounceExplanation): ReportDoc['facts'] {
  const x = r.extracted;
  const list: ReportDoc['facts'] = [
    { label: 'Message', value: `${KIND_LABEL[r.messageKind]}, ${FORMAT_LABEL[r.format]}` },
    { label: 'Recipients', value: String(r.recipients.length) },
    { label: 'Sending IP', value: x.senderIps.join(', '), mono: true },
    { label: 'HELO name', value: x.heloNames.join(', '), mono: true },
    { label: 'Sender domain', value: x.senderDomains.join(', '), mono: true },
    { label: 'Recipient domain', value: x.recipientDomains.join(', '), mono: true },
    { label: 'Receiving server', value: x.remoteHosts.map((h, i) => (x.receiverIps[i] ? `${h} [${x.receiverIps[i]}]` : h)).join(', '), mono: true },
  ];
  if (x.reportingMta) list.push({ label: 'Bounce written by', value: x.reportingMta, mono: true });
  if (x.dnsblZones.length > 0) list.push({ label: 'Blocklist', value: x.dnsblZones.join(', '), mono: true });
  if (x.otherIps.length > 0) list.push({ label: 'Other addresses in the text', value: x.otherIps.join(', '), mono: true });
  return list;
}

function returnedSection(r: BounceExplanation): ReportDoc['sections'] {
  const c = r.returned;
  if (!c) return [];
  const paragraphs = [
    'The returned message is context: what it says is how a receiver saw it on the way, never why this receiver refused.',
    c.from ? `From: ${c.from}` : '',
    c.returnPath ? `Return-Path: ${c.returnPath}` : '',
    c.subject ? `Subject: ${c.subject}` : '',
    c.receivedSpf ? `Received-SPF (what a receiver saw): ${c.receivedSpf}` : '',
    c.authenticationResults ? `Authentication-Results (what a receiver saw): ${c.authenticationResults}` : '',
    c.dkim?.length ? `DKIM-Signature: ${c.dkim.map((d) => `d=${d.domain} s=${d.selector}`).join(', ')}` : '',
  ].filter(Boolean);
  return [{ type: 'text', title: 'The returned message (context)', paragraphs }];
}

export function bounceToReport(r: BounceExplanation): ReportDoc {
  const m = primary(r);
  const notBounce = r.messageKind === 'delivered' || r.messageKind === 'auto-reply' || r.messageKind === 'feedback-report';
  const sections: ReportDoc['sections'] = [
    {
      type: 'rows',
      title: 'What the receiver said',
      rows: r.matches.map(matchRow),
      empty: notBounce ? 'Nothing was refused.' : 'No known rejection text found. Paste the part of the bounce with the receiver\'s reply (the line with the 5xx or 4xx code).',
    },
    { type: 'rows', title: 'Recipients', rows: r.recipients.map(recipientRow), empty: 'The bounce names no recipient.' },
    { type: 'table', title: 'Checks to run', columns: ['Check', 'With', 'Command line'], rows: r.suggestions.map(suggestionRow), empty: 'No check to suggest.' },
    {
      type: 'table',
      title: 'Status codes',
      columns: ['Code', 'Meaning'],
      rows: r.extracted.enhancedCodes.map((c): Cell[] => [{ text: c.code, mono: true }, c.meaning]),
      empty: 'No enhanced status codes (RFC 3463) in the text.',
    },
    ...returnedSection(r),
  ];
  if (r.feedback) sections.push({ type: 'table', title: 'Feedback report', columns: ['Field', 'Value'], rows: Object.entries(r.feedback).map(([k, v]): Cell[] => [{ text: k, mono: true }, v]) });
  if (r.notes.length > 0) sections.push({ type: 'text', title: 'Notes', paragraphs: r.notes });
  return {
    kind: r.kind,
    title: 'Bounce explained',
    shortTitle: 'Bounce',
    subject: subject(r),
    status: bounceStatus(r),
    summary: notBounce ? KIND_LABEL[r.messageKind] : m ? `${m.title}${r.recipients.length > 1 ? ` (${r.recipients.length} recipients)` : ''}` : 'no known rejection text',
    // The summary ends with the first command line to run; the report lists every check to run instead.
    verdict: {
      label: notBounce ? 'What this is' : 'Why it bounced',
      value: notBounce ? KIND_LABEL[r.messageKind] : m ? m.title : 'not recognised',
      explanation: r.summary.replace(/ Next: maildns .*$/s, ''),
    },
    facts: facts(r),
    sections,
    findings: [],
    footer: `Read ${r.length} characters${r.truncated ? ' (the rest was cut off)' : ''} · Mail DNS Doctor`,
  };
}

// "Explain bounce message" as a report document: what the receiver said and checked, in plain
// words, the values the bounce names (sending IP, HELO name, domains), and the checks to run with
// them. A bounce is pasted text from anywhere: every part of it stays text.
import type { BounceExplanation, BounceMatch, SuggestedCheck } from '../bounce/types';
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
};

const ARG_LABEL: Record<string, string> = { ip: 'IP', helo: 'HELO', domain: 'domain', zone: 'list' };

/** `HELO DYNA-WEB, domain dynatron.example`: the values a suggested check runs with. */
export function suggestionValues(s: SuggestedCheck): string {
  return Object.entries(s.args)
    .map(([k, v]) => `${ARG_LABEL[k] ?? k} ${v}`)
    .join(', ');
}

export function bounceStatus(r: BounceExplanation): Status {
  if (r.matches.some((m) => m.senderSide)) return 'fail';
  return r.matches.length > 0 ? 'warning' : 'info';
}

/** The match the explanation leads with: the first the sender can fix, else the first. */
function primary(r: BounceExplanation): BounceMatch | undefined {
  return r.matches.find((m) => m.senderSide) ?? r.matches[0];
}

function subject(r: BounceExplanation): string {
  const m = primary(r);
  const code = m ? [m.values.code, m.values.enhanced].filter(Boolean).join(' ') : (r.extracted.smtpCodes[0] ?? '');
  const host = r.extracted.remoteHosts[0];
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

export function bounceToReport(r: BounceExplanation): ReportDoc {
  const m = primary(r);
  return {
    kind: r.kind,
    title: 'Bounce explained',
    shortTitle: 'Bounce',
    subject: subject(r),
    status: bounceStatus(r),
    summary: m ? `${m.title}${r.matches.length > 1 ? ` +${r.matches.length - 1}` : ''}` : 'no known rejection text',
    // The summary ends with the first command line to run; the report lists every check to run instead.
    verdict: { label: 'Why it bounced', value: m ? m.title : 'not recognised', explanation: r.summary.replace(/ Next: maildns .*$/s, '') },
    facts: facts(r),
    sections: [
      {
        type: 'rows',
        title: 'What the receiver said',
        rows: r.matches.map(matchRow),
        empty: 'No known rejection text found. Paste the part of the bounce with the receiver\'s reply (the line with the 5xx or 4xx code).',
      },
      { type: 'table', title: 'Checks to run', columns: ['Check', 'With', 'Command line'], rows: r.suggestions.map(suggestionRow), empty: 'No check to suggest.' },
      {
        type: 'table',
        title: 'Status codes',
        columns: ['Code', 'Meaning'],
        rows: r.extracted.enhancedCodes.map((c): Cell[] => [{ text: c.code, mono: true }, c.meaning]),
        empty: 'No enhanced status codes (RFC 3463) in the text.',
      },
    ],
    findings: [],
    footer: `Read ${r.length} characters${r.truncated ? ' (the rest was cut off)' : ''} · Mail DNS Doctor`,
  };
}

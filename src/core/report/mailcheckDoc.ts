// "Check mail server" as a report document: one row per check (rDNS, HELO, SPF for the From domain
// and for the HELO name, MX, blocklists, optionally the SMTP probe), each with its pass / warning /
// fail, a one-line summary and the change that fixes it; then the changes in order of importance,
// and what Postfix does with the client's name. The Results tree shows the same rows.
import { mailCheckStatus } from '../mailcheck/text';
import type { MailCheckResult, MailCheckRow } from '../mailcheck/types';
import type { Status } from '../model';
import { compact, type DocRow, type ReportDoc, type Section } from './doc';
import { heloToReport } from './heloDoc';
import { docFindings, footerLine, uniqueFindings } from './mailParts';
import { rdnsToReport } from './rdnsDoc';
import { receiverSections } from './receiversDoc';

const UNDECIDED = 'Not decided: DNS trouble (or a list that refused to answer) kept this check from a verdict; run it again, or from another network.';

function rowDetail(row: MailCheckRow): string | undefined {
  const problems = row.findings.filter((f) => f.severity !== 'info');
  // The finding behind the fix first: its message says what is wrong in full.
  const main = problems.find((f) => row.fix !== undefined && f.fix?.description === row.fix.description) ?? problems[0];
  const parts = [row.decided ? undefined : UNDECIDED, main?.message];
  const text = parts.filter((p): p is string => p !== undefined).join(' ');
  return text === '' ? undefined : text;
}

function toDocRow(row: MailCheckRow): DocRow {
  return compact({
    label: row.title,
    status: row.status,
    summary: row.summary,
    detail: rowDetail(row),
    fix: row.fix && compact(row.fix),
  });
}

const ORDER: Status[] = ['fail', 'warning', 'pass', 'info'];

function counts(r: MailCheckResult): string {
  return ORDER.map((s) => [s, r.rows.filter((row) => row.status === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`)
    .join(' · ');
}

/** The first sentence of a fix: the rest is in its row. */
function firstSentence(text: string): string {
  const m = /^.*?(?<!\b(?:e\.g|i\.e))[.:](?=\s|$)/s.exec(text);
  return (m ? m[0] : text).replace(/:$/, '.');
}

function verdict(r: MailCheckResult): ReportDoc['verdict'] {
  const label = 'Will receivers take its mail';
  const failing = r.rows.filter((row) => row.status === 'fail');
  const warning = r.rows.filter((row) => row.status === 'warning');
  const undecided = r.rows.some((row) => !row.decided);
  const first = failing[0] ?? warning[0];
  const change = first ? ` Change first — ${first.title}: ${first.fix ? firstSentence(first.fix.description) : `${first.summary}.`}` : '';
  const then = ' Each row below has its fix; "What to change" lists them in order.';
  if (failing.length > 0) {
    return {
      label,
      value: `no: ${failing.length} check${failing.length === 1 ? '' : 's'} fail${failing.length === 1 ? 's' : ''}`,
      explanation: `Failing: ${failing.map((row) => row.title).join(', ')}.${change}${then}`,
    };
  }
  if (undecided) return { label, value: 'cannot tell yet', explanation: r.answer[r.answer.length - 1] ?? UNDECIDED };
  if (warning.length > 0) return { label, value: 'yes, with warnings', explanation: `Warnings: ${warning.map((row) => row.title).join(', ')}.${change}${then}` };
  return { label, value: 'yes', explanation: r.answer[0] ?? '' };
}

/** One of another kind's tables, retitled for this report. */
function borrowedTable(sections: readonly Section[], title: string, newTitle: string): Section[] {
  const found = sections.find((s) => s.type === 'table' && s.title === title);
  return found ? [{ ...found, title: newTitle }] : [];
}

const SINGLE_CHECKS: Section = {
  type: 'text',
  title: 'The details',
  paragraphs: [
    'Each row is one check, and each has its own command with every detail: Mail DNS: Check rDNS for IP (the whole PTR chain), Check HELO name (Postfix\'s three HELO rules and where to set the name), Check SPF (the evaluation term by term), Check MX for domain (each host and its reverse DNS), Check blocklists for IP (each list\'s answer) and Probe SMTP server (the dialogue and the certificate).',
  ],
};

export function mailCheckToReport(r: MailCheckResult): ReportDoc {
  const helo = heloToReport(r.results.helo);
  const rdns = rdnsToReport(r.results.rdns);
  const smtp = r.results.smtp;
  return {
    kind: r.kind,
    title: 'Mail server check',
    shortTitle: 'Mail server',
    subject: `${r.ip}, HELO ${r.heloName}, @${r.fromDomain}`,
    status: mailCheckStatus(r),
    summary: counts(r),
    verdict: verdict(r),
    facts: [
      { label: 'Sending IP', value: r.ip, mono: true },
      { label: 'HELO name', value: r.heloName, mono: true },
      { label: 'From domain', value: r.fromDomain, mono: true },
      { label: 'Blocklists asked', value: r.results.dnsbl.zones.map((z) => z.zone).join(', '), mono: true },
      { label: 'SMTP probe', value: smtp ? `${smtp.host} port ${smtp.port}` : 'not run', mono: smtp !== undefined },
    ],
    sections: [
      { type: 'rows', title: 'Checks', rows: r.rows.map(toDocRow), empty: 'No checks ran.' },
      { type: 'text', title: 'What to change', paragraphs: r.answer },
      ...borrowedTable(rdns.sections, 'What receivers will do', `What receivers do with ${r.ip}'s reverse DNS`),
      ...borrowedTable(helo.sections, 'What Postfix does', `What Postfix does with HELO ${r.heloName}`),
      ...receiverSections(r.receivers),
      SINGLE_CHECKS,
    ],
    findings: docFindings(uniqueFindings([...r.rows.flatMap((row) => row.findings), ...(r.findings ?? [])])),
    footer: footerLine(r.resolvers, r.startedAt, r.elapsedMs),
  };
}

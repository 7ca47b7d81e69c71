// "Check mail server" as a report document: one row per check (rDNS, HELO, SPF for the From domain
// and for the HELO name, DKIM key, DMARC policy, MX, blocklists, optionally the SMTP probe), each
// with its pass / warning / fail, a one-line summary and the change that fixes it; then the changes
// in order of importance, whether SPF and DKIM could align with the From domain, the sender
// requirements of Gmail, Yahoo and Outlook.com with this server's standing on each (their wording
// and sources in the cells), and what Postfix does with the client's name. The Results tree shows
// the same rows. Everything is read from the result as the check made it; nothing is re-derived.
import { alignedLabel, alignedStatus, mailCheckStatus } from '../mailcheck/text';
import { appliesLabel, PROVIDERS, SOURCES, type SenderRequirements, standingLabel } from '../mailcheck/requirements';
import type { MailAlignment, MailCheckResult, MailCheckRow } from '../mailcheck/types';
import type { Status } from '../model';
import { type Cell, compact, type DocRow, type ReportDoc, type Section } from './doc';
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
    id: row.id,
    code: row.fix ? row.findings.find((f) => f.fix === row.fix)?.code : undefined,
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
    'Each row is one check, and each has its own command with every detail: Mail DNS: Check rDNS for IP (the whole PTR chain), Check HELO name (Postfix\'s three HELO rules and where to set the name), Check SPF (the evaluation term by term), Check DKIM key (every tag of the key, each selector tried), Check DMARC (policy discovery and every tag), Check MX for domain (each host and its reverse DNS), Check blocklists for IP (each list\'s answer) and Probe SMTP server (the dialogue and the certificate).',
  ],
};

const ALIGNED_WORDS = (a: boolean | null, could: string): { text: string; status: Status } => ({ text: alignedLabel(a, could), status: alignedStatus(a) });

/** RFC 7489 §3.1, as the check found it: one row per identifier, then what only a message can tell. */
function alignmentSections(a: MailAlignment): Section[] {
  const mode = (m: 'r' | 's'): string => `${m === 's' ? 'strict' : 'relaxed'} (${m})`;
  return [
    {
      type: 'table',
      title: `Alignment with the From domain ${a.fromDomain} (DMARC)`,
      columns: ['Identifier', 'Authenticated domain', 'Mode', 'Aligns'],
      rows: [
        ['SPF', { text: a.spf.domain, mono: true }, a.modesFrom ? `${mode(a.spf.mode)}, ${a.modesFrom}` : mode(a.spf.mode), { ...ALIGNED_WORDS(a.spf.aligned, 'yes'), detail: a.spf.why }],
        [
          a.dkim.selectors.length > 0 ? `DKIM (selector ${a.dkim.selectors.join(', ')})` : 'DKIM',
          { text: a.dkim.domain, mono: true },
          a.modesFrom ? `${mode(a.dkim.mode)}, ${a.modesFrom}` : mode(a.dkim.mode),
          { ...ALIGNED_WORDS(a.dkim.aligned, 'could'), detail: a.dkim.why },
        ],
      ],
    },
    { type: 'text', title: 'Alignment: what only a message shows', paragraphs: [a.caveat] },
  ];
}

/** What Gmail, Yahoo and Outlook.com require, each provider's words and page in its cell, and this server's standing. */
function requirementSections(q: SenderRequirements): Section[] {
  const rows: Cell[][] = q.rows.map((row) => [
    row.title,
    ...PROVIDERS.map((p): Cell => {
      const rule = row.rules[p];
      return compact({ text: appliesLabel(p, rule.applies), ...(rule.wording ? { detail: `"${rule.wording}"`, href: SOURCES[p].url } : {}) });
    }),
    { text: standingLabel(row), status: row.status, detail: row.standing },
  ]);
  return [
    {
      type: 'table',
      title: 'Sender requirements: Gmail, Yahoo, Outlook.com (published rules)',
      columns: ['Requirement', ...PROVIDERS.map((p) => SOURCES[p].name), 'This server'],
      rows,
    },
    {
      type: 'text',
      title: 'Where the requirements come from',
      paragraphs: [
        ...q.sources.map((src) => `${src.name}: "${src.title}", ${src.url} — in force since ${src.inForce}; bulk means ${src.bulk}; ${src.date}.`),
        q.basisNote,
        `Wording as on those pages when last compared, ${q.checked}. Providers change their pages: follow the links for the current text. One-click unsubscribe and the spam complaint rate are properties of the mail stream, not of DNS: not checked here.`,
      ],
    },
  ];
}

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
      { label: 'DKIM selector', value: r.dkimSelector ?? `none given: ${r.results.dkim.lookups.length} common selectors tried`, mono: r.dkimSelector !== null },
      { label: 'Blocklists asked', value: r.results.dnsbl.zones.map((z) => z.zone).join(', '), mono: true },
      { label: 'SMTP probe', value: smtp ? `${smtp.host} port ${smtp.port}` : 'not run', mono: smtp !== undefined },
    ],
    sections: [
      { type: 'rows', title: 'Checks', rows: r.rows.map(toDocRow), empty: 'No checks ran.' },
      { type: 'text', title: 'What to change', paragraphs: r.answer },
      ...alignmentSections(r.alignment),
      ...requirementSections(r.requirements),
      ...borrowedTable(rdns.sections, 'What receivers will do', `What receivers do with ${r.ip}'s reverse DNS`),
      ...borrowedTable(helo.sections, 'What Postfix does', `What Postfix does with HELO ${r.heloName}`),
      ...receiverSections(r.receivers),
      SINGLE_CHECKS,
    ],
    findings: docFindings(uniqueFindings([...r.rows.flatMap((row) => row.findings), ...(r.findings ?? [])])),
    footer: footerLine(r.resolvers, r.startedAt, r.elapsedMs),
  };
}

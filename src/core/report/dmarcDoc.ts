// "Check DMARC" as a report document: the verdict, how the policy was found (each _dmarc lookup),
// every tag of the record in plain words with the section that defines it, where reports go and
// whether those hosts agreed, the findings with their fixes, and what to do next. Pure; the record,
// URIs and TXT data are text from DNS and stay text.
import { NEXT_STEPS, starterRecord } from '../dmarc/policy';
import { describeTag, dmarcRef, TAGS, tagSource } from '../dmarc/tags';
import { dmarcStatus } from '../dmarc/text';
import type { DmarcLookup, DmarcResult, DmarcTag, ReportAuthorization } from '../dmarc/types';
import type { Status } from '../model';
import { type Cell, compact, type DocNode, type ReportDoc, type Section } from './doc';
import { docFindings, footerLine } from './mailParts';
import { receiverRowsOfDmarc } from '../receivers/dkimDmarcPartial';
import { receiverSections } from './receiversDoc';

const ROLE_BADGE: Record<DmarcLookup['role'], string> = {
  policy: 'the domain',
  organizational: 'organizational domain',
  exists: 'exists?',
  report: 'report authorization',
};

function lookupSummary(l: DmarcLookup): string {
  if (l.rcode !== 'NOERROR') return `${l.name} ${l.type} → ${l.rcode}${l.error ? ` (${l.error})` : ''}`;
  return `${l.name} ${l.type} → ${l.records.length === 0 ? 'no records' : `${l.records.length} record${l.records.length === 1 ? '' : 's'}`}`;
}

function discoveryNode(r: DmarcResult, l: DmarcLookup): DocNode {
  const dmarc = l.records.filter((t) => /^[ \t]*v[ \t]*=[ \t]*DMARC1[ \t]*(;|$)/i.test(t));
  const applies = r.record !== null && l.role === (r.source === 'organizational' ? 'organizational' : 'policy') && dmarc.length === 1;
  const status: Status = l.rcode !== 'NOERROR' && l.rcode !== 'NXDOMAIN' ? 'warning' : applies ? (r.verdict === 'enforcing' ? 'pass' : 'warning') : dmarc.length > 1 ? 'fail' : 'info';
  const note =
    l.rcode !== 'NOERROR' && l.rcode !== 'NXDOMAIN'
      ? 'the query failed: receivers cannot tell the policy'
      : dmarc.length > 1
        ? `${dmarc.length} DMARC records: receivers apply none (RFC 7489 §6.6.3 step 5)`
        : applies
          ? 'this record applies'
          : dmarc.length === 0
            ? l.role === 'policy' && r.orgDomain !== r.domain
              ? `no DMARC record: receivers go on to the organizational domain ${r.orgDomain}`
              : 'no DMARC record'
            : 'a DMARC record';
  const via = l.cnames.map((c) => `CNAME ${c.name} → ${c.target}`);
  return compact({
    label: l.name,
    mono: true,
    badge: `TXT · ${ROLE_BADGE[l.role]}`,
    status,
    description: l.role === 'policy' ? 'RFC 7489 §6.6.3 step 1: the From domain\'s own record.' : 'RFC 7489 §6.6.3 step 3: the organizational domain\'s record, for subdomains without their own.',
    note,
    wrong: dmarc.length > 1 || undefined,
    dig: l.dig,
    href: dmarcRef('6.6.3').href,
    queries: [compact({ role: 'TXT records', summary: lookupSummary(l), lines: [...via, ...l.records.map((t) => `"${t}"`)].length ? [...via, ...l.records.map((t) => `"${t}"`)] : undefined, dig: l.dig })],
    children: [],
  });
}

function tagRow(t: DmarcTag, r: DmarcResult): Cell[] {
  const info = TAGS[t.name];
  const problem = r.parsed?.problems.find((p) => p.tag === t.name && p.severity !== 'info' && p.start >= t.start && p.end <= t.end) ?? r.findings.find((f) => f.code === 'dmarc-sp-ignored' && t.name === 'sp');
  const status: Status | undefined = problem ? (problem.severity === 'error' ? 'fail' : 'warning') : undefined;
  return [
    { text: t.name, mono: true },
    compact({ text: t.value === '' ? '(empty)' : t.value, mono: true, status }),
    compact({ text: describeTag(t, r.parsed?.policy), detail: problem?.message }),
    info ? { text: tagSource(info), href: info.href } : 'not a DMARC tag',
  ];
}

const DEFAULTED = ['sp', 'np', 'pct', 'adkim', 'aspf', 'fo', 'rf', 'ri'];

function tagsSection(r: DmarcResult): Section {
  const rows: Cell[][] = [];
  if (r.parsed) {
    for (const t of r.parsed.tags) rows.push(tagRow(t, r));
    const present = new Set(r.parsed.tags.map((t) => t.name));
    for (const name of DEFAULTED) {
      if (present.has(name)) continue;
      const info = TAGS[name];
      const value = name === 'sp' ? `as p (${r.parsed.policy.p ?? '—'})` : name === 'np' ? `as sp, else p` : info.default ?? '';
      rows.push([{ text: name, mono: true }, { text: `not set: ${value}`, detail: 'the default' }, info.meaning, { text: tagSource(info), href: info.href }]);
    }
  }
  return { type: 'table', title: 'Tags, in plain words', columns: ['Tag', 'Value', 'What it does', 'Defined in'], rows, empty: 'No record to explain.' };
}

function reportRow(a: ReportAuthorization): Cell[] {
  const status: Status = a.status === 'internal' || a.status === 'authorized' ? 'pass' : a.status === 'not-authorized' ? 'fail' : 'warning';
  const text = a.status === 'internal' ? 'not needed: same organization' : a.status === 'authorized' ? 'authorized' : a.status === 'not-authorized' ? 'not authorized: no reports' : a.status === 'temperror' ? 'lookup failed' : 'not checked (budget)';
  return [
    { text: a.uris.join(', '), mono: true },
    a.tags.map((t) => (t === 'rua' ? 'aggregate' : 'failure')).join(', '),
    { text: a.host, mono: true },
    compact({ text, status, detail: a.name ? `${a.name} TXT${a.record ? ` → "${a.record}"` : ''}` : undefined }),
  ];
}

function nextSteps(r: DmarcResult): string[] {
  if (r.verdict === 'temperror') return ['Run the check again when DNS answers; receivers do the same.'];
  if (r.verdict === 'none' || r.verdict === 'broken') {
    const s = starterRecord(r.orgDomain);
    return [
      r.verdict === 'none' ? `Publish this record at ${s.owner} (it covers ${r.orgDomain} and its subdomains):` : `Replace what is at _dmarc.${r.recordDomain ?? r.orgDomain} by one valid record, for example:`,
      s.record,
      `Make sure dmarc-reports@${r.orgDomain} exists, or use another mailbox you read. ${NEXT_STEPS}`,
    ];
  }
  const p = r.applied?.value;
  if (p === 'none') return [NEXT_STEPS];
  if (r.policy && r.policy.pct < 100) return [`Raise pct to 100 (or remove it) once the reports show only spoofed mail failing: until then ${100 - r.policy.pct}% of failing mail gets the weaker policy.`];
  if (p === 'quarantine') return ['After a few weeks of reports without legitimate mail in quarantine, move to p=reject: spoofed mail is then refused instead of filed as spam.'];
  return ['Keep reading the aggregate reports: a new service that sends as the domain fails DMARC until its SPF or DKIM is aligned.'];
}

function verdict(r: DmarcResult): ReportDoc['verdict'] {
  const label = 'DMARC';
  switch (r.verdict) {
    case 'temperror':
      return { label, value: 'unknown (DNS trouble)', explanation: `The DMARC record of ${r.domain} could not be looked up; receivers defer mail or deliver it without DMARC until DNS answers.` };
    case 'none':
      return { label, value: 'no policy', explanation: `Receivers find no DMARC record for ${r.domain}: they apply no policy, and the big mailbox providers refuse or junk bulk mail From it.` };
    case 'broken':
      return { label, value: 'broken', explanation: `Receivers find DMARC records for ${r.domain} they cannot use, so they apply no policy.` };
    default: {
      const a = r.applied!;
      const where = r.source === 'organizational' ? `the organizational domain ${r.recordDomain}'s record` : 'its own record';
      const pct = r.policy && r.policy.pct < 100 && a.value !== 'none' ? `, for ${r.policy.pct}% of failing mail` : '';
      return {
        label,
        value: `${a.tag}=${a.value}${r.verdict === 'monitoring' ? ' (monitoring only)' : ''}`,
        explanation: `Mail From ${r.domain} that fails DMARC: ${a.value === 'none' ? 'delivered as usual (only reported)' : a.value === 'quarantine' ? 'treated as suspicious (spam folder)' : 'refused'}${pct}. From ${where}; ${a.why}.`,
      };
    }
  }
}

export function dmarcToReport(r: DmarcResult): ReportDoc {
  const policy = r.policy;
  const summary =
    r.verdict === 'temperror' ? 'DNS trouble' : r.verdict === 'none' ? 'no DMARC record' : r.verdict === 'broken' ? 'broken record' : `${r.applied!.tag}=${r.applied!.value}${r.source === 'organizational' ? ` via ${r.recordDomain}` : ''}${policy && policy.pct < 100 ? ` · pct=${policy.pct}` : ''}`;
  const discovery = r.lookups.filter((l) => l.role === 'policy' || l.role === 'organizational');
  const sections: Section[] = [
    { type: 'tree', title: 'Policy discovery (RFC 7489 §6.6.3)', nodes: discovery.map((l) => discoveryNode(r, l)), showQueries: true },
    tagsSection(r),
  ];
  if (r.reports.length > 0) {
    sections.push({ type: 'table', title: 'Report addresses (RFC 7489 §7.1)', columns: ['Address', 'Reports', 'Goes to', 'Agreed to receive them?'], rows: r.reports.map(reportRow) });
  }
  sections.push({ type: 'text', title: 'What to do next', paragraphs: nextSteps(r) });
  sections.push(...receiverSections(receiverRowsOfDmarc(r), true));
  return {
    kind: r.kind,
    title: 'DMARC',
    shortTitle: 'DMARC',
    subject: r.domain,
    status: dmarcStatus(r),
    summary,
    verdict: verdict(r),
    facts: [
      { label: 'Record', value: r.record ?? '', mono: true },
      { label: 'Found at', value: r.recordDomain ? `_dmarc.${r.recordDomain}${r.source === 'organizational' ? ' (organizational domain)' : ''}` : '', mono: true },
      { label: 'Organizational domain', value: `${r.orgDomain} (Public Suffix List: ${r.psl.package} ${r.psl.version}, ${r.pslDate})` },
      ...(policy ? [{ label: 'Alignment', value: `DKIM ${policy.adkim === 's' ? 'strict' : 'relaxed'}, SPF ${policy.aspf === 's' ? 'strict' : 'relaxed'}` }, { label: 'Aggregate reports to', value: policy.rua.join(', '), mono: true }] : []),
      { label: 'Reproduce', value: discovery[discovery.length - 1]?.dig ?? '', mono: true },
    ],
    sections,
    findings: docFindings(r.findings),
    footer: footerLine(r.resolvers, r.startedAt, r.elapsedMs),
  };
}

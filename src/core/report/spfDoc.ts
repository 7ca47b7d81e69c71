// SPF results as report documents: "Check SPF" for one address (spfToReport) or two side by side
// (spfPairToReport), and "Can this server send for a domain?" (sendAsToReport). The evaluation tree
// is every record and term in order, each term with its RFC 7208 section, what it does in plain
// words, how it came out, and the DNS queries it made. Pure: the result in, plain data out. All of
// it is text: TXT records and explanations come from DNS and may hold anything.
import { receiverRowsOfSpf } from '../receivers/partial';
import { publishedRowsOfSpf } from '../receivers/providers';
import { receiverSections } from './receiversDoc';
import type { Finding, Status } from '../model';
import type { SpfPairResult } from '../spf/pair';
import { rfcLink } from '../spf/sections';
import type { SendAsResult, SpfQuery, SpfRecordNode, SpfResult, SpfResultCode, SpfTermNode } from '../spf/types';
import { type Cell, compact, type DocNode, type DocQuery, type DocRow, type ReportDoc, type Section } from './doc';
import { rdnsToReport } from './rdnsDoc';

/** How each RFC 7208 §2.6 result shows: pass is good, fail and permerror stop mail, the rest is doubt. */
export const SPF_RESULT_STATUS: Record<SpfResultCode, Status> = {
  pass: 'pass',
  fail: 'fail',
  softfail: 'warning',
  neutral: 'warning',
  none: 'warning',
  permerror: 'fail',
  temperror: 'warning',
};

/** RFC 7208 §2.6 and §8: what each result means for mail from this address, in plain words. */
export const SPF_RESULT_MEANING: Record<SpfResultCode, string> = {
  pass: 'The domain lists this address as allowed to send its mail.',
  fail: 'The domain says this address may not send its mail: receivers reject it or file it as spam.',
  softfail: 'The domain says this address is probably not allowed to send its mail: receivers accept it, but usually as suspicious (often into spam).',
  neutral: 'The domain says nothing about this address, as if it had no SPF record for it.',
  none: 'There is no SPF record to check (or the name is no domain): receivers fall back to their other checks.',
  permerror: 'The SPF record cannot be evaluated (a syntax error, a processing limit, a loop): retrying does not help, and many receivers treat this like fail.',
  temperror: 'A DNS problem stopped the check: receivers defer the mail (4xx) and try again later.',
};

const STATUS_RANK: Record<Status, number> = { pass: 0, info: 1, warning: 2, fail: 3 };

function worst(statuses: readonly Status[]): Status {
  return statuses.reduce<Status>((a, b) => (STATUS_RANK[b] > STATUS_RANK[a] ? b : a), 'pass');
}

function hasProblems(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === 'error' || f.severity === 'warning');
}

/** The status of one check: the result's, and a pass with warnings (near the limit, `+all`) warns. */
export function spfStatus(r: SpfResult): Status {
  const status = SPF_RESULT_STATUS[r.result];
  return status === 'pass' && hasProblems(r.findings) ? 'warning' : status;
}

export function spfPairStatus(r: SpfPairResult): Status {
  return worst(r.results.map(spfStatus));
}

/** Pass only when SPF authorizes the address and its reverse DNS is forward-confirmed. */
export function sendAsStatus(r: SendAsResult): Status {
  if (r.authorized === false || r.rdns.fcrdns === 'fail' || r.rdns.fcrdns === 'permerror') return 'fail';
  if (r.authorized === null || r.rdns.fcrdns === 'temperror') return 'warning';
  return hasProblems(r.findings) ? 'warning' : 'pass';
}

// ---- the evaluation tree ---------------------------------------------------------------------------

const MAX_ANSWERS = 6;

function answersText(q: SpfQuery): string {
  if (q.rcode !== 'NOERROR' && q.rcode !== 'NXDOMAIN') return `${q.rcode}${q.error ? ` (${q.error})` : ''}`;
  if (q.answers.length === 0) return q.rcode === 'NXDOMAIN' ? 'NXDOMAIN (the name does not exist)' : 'no records';
  // TXT data is shown quoted, so where one record ends and the next begins stays visible.
  const shown = q.type === 'TXT' ? q.answers.map((a) => JSON.stringify(a)) : q.answers;
  const more = q.answers.length > MAX_ANSWERS ? `, … (${q.answers.length} in all)` : '';
  return shown.slice(0, MAX_ANSWERS).join(', ') + more;
}

function queryDoc(q: SpfQuery): DocQuery {
  const ttl = q.ttl !== null && q.answers.length > 0 ? `, TTL ${q.ttl}s` : '';
  const empty = q.empty ? ' (a void lookup: nothing found)' : '';
  const via =
    q.transport === 'tcp'
      ? ', over TCP (too big for a UDP reply)'
      : q.transport === 'cache'
        ? ', already fetched in this check'
        : '';
  const from = q.server && q.server !== '-' ? `, from ${q.server}` : '';
  const purpose = q.purpose === '' ? `${q.type} lookup` : q.purpose[0].toUpperCase() + q.purpose.slice(1);
  return compact({
    role: purpose,
    summary: `${q.name} ${q.type} → ${answersText(q)}${ttl}${empty}${from}${via}`,
    lines: q.cnames.length > 0 ? q.cnames.map((c) => `CNAME ${c.name} → ${c.target}`) : undefined,
    dig: q.dig,
  });
}

function sameQuery(a: SpfQuery | undefined, b: SpfQuery): boolean {
  return a !== undefined && a.name === b.name && a.type === b.type && a.dig === b.dig;
}

/** `§5.4`, from `RFC 7208 §5.4`. */
function shortSection(section: string): string {
  return section.replace(/^RFC 7208 /, '');
}

/** Walk state: the first term that closes an include loop is where it goes wrong; its repeats are not. */
interface Walk {
  result: SpfResult;
  /** The terms on the path from the checked record to the term that decided the whole result. */
  deciders: Set<SpfTermNode>;
  loopMarked: boolean;
}

function decidingTerms(r: SpfResult): Set<SpfTermNode> {
  const terms = new Set<SpfTermNode>();
  let record: SpfRecordNode | undefined = r.tree;
  for (const step of r.decision) {
    const term: SpfTermNode | undefined = step.term === null ? undefined : record?.terms[step.term];
    if (!term) break;
    terms.add(term);
    record = term.record;
  }
  return terms;
}

/** On the terms from the checked record down to the one whose result is the result. */
export const DECIDED_MARK = '◀ decided';

const LIMIT_WORDS: Record<NonNullable<SpfTermNode['limit']>, string> = {
  'dns-terms': 'DNS-querying terms',
  'void-lookups': 'void lookups',
  'mx-records': 'MX records for one mx',
};

function termStatus(t: SpfTermNode): Status {
  if (t.limit) return 'fail';
  if (t.diagnosticOnly) return 'info';
  if (t.outcome === 'error') return t.result === 'temperror' ? 'warning' : 'fail';
  if (t.decided && t.result) return SPF_RESULT_STATUS[t.result];
  return 'info';
}

function outcomeWords(t: SpfTermNode, walk: Walk): string {
  // The term that decided the whole result says so in its badge; one that decided only an included
  // record's result (which the include then weighs) says so here.
  const decided = !walk.deciders.has(t) && t.decided && !t.diagnosticOnly ? 'decided this record: ' : '';
  switch (t.outcome) {
    case 'match':
      return t.diagnosticOnly ? `would match → ${t.result ?? 'pass'}` : `${decided}match → ${t.result ?? 'pass'}`;
    case 'no-match':
      return 'no match';
    case 'error':
      return `${decided}${t.result ?? 'error'}`;
    case 'not-evaluated':
      return 'not evaluated';
    case 'applied':
      return t.name === 'redirect' ? `${decided}redirect followed${t.result ? ` → ${t.result}` : ''}` : 'used';
    case 'ignored':
      return 'ignored';
  }
}

function termNote(t: SpfTermNode, walk: Walk): string {
  const r = walk.result;
  const flags = [outcomeWords(t, walk)];
  if (t.limit) {
    const limit = t.limit === 'void-lookups' ? r.voidLimit : t.limit === 'dns-terms' ? r.lookupLimit : 10;
    flags.push(`over the limit of ${limit} ${LIMIT_WORDS[t.limit]}`);
  }
  if (t.loop) flags.push(`include loop: ${t.loop.join(' → ')}`);
  if (t.diagnosticOnly) flags.push('diagnostic only: receivers stop before this');
  return `${flags.join(' · ')}${t.note ? ` — ${t.note}` : ''}`;
}

/** The term's section, its place among the counted lookups, and the mark of the deciding term. */
function termBadge(t: SpfTermNode, walk: Walk): string {
  const r = walk.result;
  const parts = [shortSection(t.section)];
  if (t.lookup !== undefined) parts.push(`lookup ${t.lookup}/${r.lookupLimit}`);
  if (t.voidNumber !== undefined) parts.push(`void ${t.voidNumber}/${r.voidLimit}`);
  if (walk.deciders.has(t)) parts.push(DECIDED_MARK);
  return parts.join(' · ');
}

function hasProblem(t: SpfTermNode, record: SpfRecordNode): boolean {
  return t.kind === 'invalid' || record.problems.some((p) => p.start < t.end && p.end > t.start);
}

function termNode(t: SpfTermNode, record: SpfRecordNode, walk: Walk): DocNode {
  const firstLoop = t.loop !== undefined && !walk.loopMarked;
  if (firstLoop) walk.loopMarked = true;
  // Where it goes wrong: the limit's own term, the first include that closes a loop, a syntax error,
  // or an error that starts at this term (a failed lookup, an include of a domain without SPF).
  const errorHere = t.outcome === 'error' && t.decided && !t.diagnosticOnly && (!t.record || t.record.how === 'no-record');
  const wrong = t.limit !== undefined || firstLoop || hasProblem(t, record) || errorHere;
  // An include's or redirect's TXT query shows on the record it found.
  const queries = t.queries.filter((q) => !sameQuery(t.record?.query, q)).map(queryDoc);
  return compact({
    label: t.text,
    mono: true,
    badge: termBadge(t, walk),
    status: wrong ? 'fail' : termStatus(t),
    description: t.description,
    note: termNote(t, walk),
    wrong: wrong || undefined,
    dig: queries[0]?.dig ?? t.record?.query?.dig,
    href: t.link,
    queries: queries.length > 0 ? queries : undefined,
    children: t.record ? [recordNode(t.record, walk)] : [],
  });
}

const RECORD_BADGE: Record<SpfRecordNode['via'], string> = {
  check: 'SPF record',
  include: 'included record',
  redirect: 'redirect target',
};

function howWords(node: SpfRecordNode): string {
  const decider = node.decidedBy !== null ? node.terms[node.decidedBy] : undefined;
  switch (node.how) {
    case 'match':
      return decider ? `"${decider.text}" matched` : 'a mechanism matched';
    case 'redirect':
      return 'nothing matched, so the redirect= decided';
    case 'default':
      return 'nothing matched and there is no redirect=, so the result is neutral (RFC 7208 §4.7)';
    case 'no-record':
      return 'no SPF record (a TXT record starting with "v=spf1")';
    case 'syntax':
      return `a syntax error makes the whole record unusable: ${node.problems[0]?.message ?? 'see the terms'}`;
    case 'multiple-records':
      return 'more than one SPF record is an error (RFC 7208 §4.5)';
    case 'dns-error':
      return 'the DNS lookup for the record failed';
    case 'invalid-domain':
      return 'not a domain name that can be looked up';
    case 'error':
      return decider ? `"${decider.text}" gave an error` : 'an error stopped the evaluation';
    case 'loop':
      return 'already being evaluated: an include loop';
    case 'limit':
      return 'a processing limit was exceeded';
  }
}

function recordSection(node: SpfRecordNode): string {
  if (node.how === 'default') return '4.7';
  if (node.how === 'invalid-domain') return '4.3';
  if (node.how === 'syntax') return '4.6';
  return '4.5';
}

function recordNode(node: SpfRecordNode, walk: Walk): DocNode {
  const without = node.resultWithoutLimits !== undefined && node.resultWithoutLimits !== node.result ? ` (without the limits: ${node.resultWithoutLimits})` : '';
  const result = `gives ${node.result}${without}`;
  const why = node.note ?? howWords(node);
  const others = node.otherTxt > 0 ? ` (and ${node.otherTxt} other TXT record${node.otherTxt === 1 ? '' : 's'}, not SPF)` : '';
  let description: string | undefined;
  if (node.record !== undefined) description = `${JSON.stringify(node.record)}${others}`;
  else if (node.candidates && node.candidates.length > 0) description = `${node.candidates.length} SPF records: ${node.candidates.map((c) => JSON.stringify(c)).join(', ')}`;
  const terms = node.terms.map((t) => termNode(t, node, walk));
  const syntaxHere = node.how === 'syntax' && !terms.some((t) => t.wrong);
  const wrong = !node.diagnosticOnly && (node.how === 'multiple-records' || node.how === 'dns-error' || syntaxHere);
  const query = node.query ? queryDoc(node.query) : undefined;
  return compact({
    label: node.domain,
    mono: true,
    badge: RECORD_BADGE[node.via],
    status: node.diagnosticOnly ? 'info' : wrong ? 'fail' : SPF_RESULT_STATUS[node.result],
    description,
    note: `${result}: ${why}${node.diagnosticOnly ? ' · diagnostic only' : ''}`,
    wrong: wrong || undefined,
    dig: node.query?.dig,
    href: rfcLink(recordSection(node)),
    queries: query ? [query] : undefined,
    children: terms,
  });
}

/** The evaluation tree as document nodes: the checked domain's record, its terms, what they led to. */
export function spfTreeNodes(r: SpfResult): DocNode[] {
  return [recordNode(r.tree, { result: r, deciders: decidingTerms(r), loopMarked: false })];
}

// ---- the pieces of the report ------------------------------------------------------------------

/** `fail: "-all" in x's record matched …` → `"-all" in x's record matched …` */
function why(r: SpfResult): string {
  return r.reason.replace(/^(pass|fail|softfail|neutral|none|permerror|temperror): /, '');
}

function who(r: SpfResult | SpfPairResult): string {
  if (r.identity === 'helo') return `HELO ${r.domain}`;
  return r.sender.toLowerCase() === `postmaster@${r.domain}`.toLowerCase() ? r.domain : r.sender;
}

/** The path from the checked record to the term that decided: `include:_spf.x → ip4:192.0.2.1`. */
function decidedBy(r: SpfResult): string {
  const steps = r.decision.map((d) => d.text).filter((t): t is string => t !== undefined && t !== '');
  if (steps.length > 0) return steps.join(' → ');
  const howText: Partial<Record<SpfRecordNode['how'], string>> = {
    default: 'nothing matched: the default result (neutral)',
    'no-record': 'no SPF record',
    'multiple-records': 'more than one SPF record',
    'dns-error': 'a failed DNS lookup',
    'invalid-domain': 'the domain is not a usable name',
    syntax: 'a syntax error in the record',
  };
  return howText[r.tree.how] ?? r.tree.how;
}

function shortDecision(r: SpfResult): string {
  if (r.limitExceeded) return `limit at ${r.limitExceeded.text}`;
  const last = r.decision[r.decision.length - 1];
  return last?.text ?? decidedBy(r);
}

function lookupsText(r: SpfResult): string {
  const over = r.lookups > r.lookupLimit ? ' — over the limit' : '';
  const total = r.totalLookups !== r.lookups ? `; the whole tree needs ${r.totalLookups}` : '';
  return `${r.lookups} of ${r.lookupLimit}${over}${total}`;
}

function voidText(r: SpfResult): string {
  const over = r.voidLookups > r.voidLimit ? ' — over the limit' : '';
  return `${r.voidLookups} of ${r.voidLimit}${over}`;
}

function limitText(r: SpfResult): string {
  const l = r.limitExceeded;
  if (!l) return '';
  const kind = l.kind === 'dns-terms' ? `more than ${r.lookupLimit} DNS-querying terms` : l.kind === 'void-lookups' ? `more than ${r.voidLimit} void lookups` : 'more than 10 MX records';
  const without = r.resultWithoutLimits ? ` Without the limits the result would be ${r.resultWithoutLimits}.` : '';
  return `${kind}, at "${l.text}" (term ${l.term + 1} of ${l.domain}'s record): receivers stop there with permerror; the terms after it are shown for diagnosis only.${without}`;
}

function explanationFact(r: SpfResult): ReportDoc['facts'] {
  if (r.explanationSource === 'reason') return [];
  const label = r.explanationSource === 'exp' ? "Explanation (the domain's exp= text)" : 'Explanation (default: no usable exp=)';
  return [{ label, value: r.explanation }];
}

function spfFacts(r: SpfResult): ReportDoc['facts'] {
  const facts: ReportDoc['facts'] = [
    ...explanationFact(r),
    { label: 'Decided by', value: decidedBy(r), mono: r.decision.some((d) => d.text) },
    { label: 'DNS lookups', value: lookupsText(r) },
    { label: 'Void lookups', value: voidText(r) },
  ];
  if (r.limitExceeded) facts.push({ label: 'Limit exceeded', value: limitText(r) });
  facts.push(
    { label: 'IP address', value: r.evaluatedIp !== r.ip ? `${r.ip} (evaluated as ${r.evaluatedIp})` : r.ip, mono: true },
    { label: r.identity === 'helo' ? 'Domain (HELO identity)' : 'Domain', value: r.domain, mono: true },
    { label: 'Sender', value: r.sender, mono: true },
  );
  if (r.helo !== undefined) facts.push({ label: 'HELO name', value: r.helo, mono: true });
  facts.push({ label: 'Received-SPF header', value: r.receivedSpf, mono: true }, { label: 'Authentication-Results', value: r.authResults, mono: true });
  return facts;
}

const READING: Section = {
  type: 'text',
  title: 'Reading the evaluation',
  paragraphs: [
    'SPF (RFC 7208) lets a domain publish, in a TXT record that starts with "v=spf1", which servers may send mail using its name in the envelope sender (MAIL FROM, or the HELO name). A receiver looks up the record and tries its terms from left to right against the connecting IP address. The first mechanism that matches decides, and its qualifier is the result: + (or nothing) pass, - fail, ~ softfail, ? neutral. When nothing matches, a redirect= hands over to another domain\'s record; without one the result is neutral.',
    'include: runs another domain\'s record and matches only when that record gives pass. exp= names a TXT record whose text receivers quote when they reject mail with fail. Every term that needs DNS (include, a, mx, ptr, exists, redirect) counts towards a limit of 10 per check, and lookups that find nothing ("void") towards a limit of 2; going over either makes the result permerror (RFC 7208 §4.6.4). Each term above links to the section of RFC 7208 that defines it, and lists the DNS queries it made with the dig command that repeats them.',
  ],
};

/** The findings as the report shows them; an include loop is named once, not once per time round. */
function findingsOf(findings: readonly Finding[]): Finding[] {
  const seenLoops = new Set<string>();
  const out: Finding[] = [];
  for (const f of findings) {
    if (f.code === 'spf-include-loop') {
      // "Include loop: a → b → a. …": the same domains going round again are the same loop.
      const path = /^(?:Include|Redirect) loop: (.*?)\.(?: |$)/.exec(f.message)?.[1];
      const domains = path ? [...new Set(path.split(' → '))].sort().join(' ') : f.message;
      if (seenLoops.has(domains)) continue;
      seenLoops.add(domains);
    }
    out.push(compact({ code: f.code, severity: f.severity, message: f.message, dig: f.dig, fix: f.fix && compact(f.fix) }));
  }
  return out;
}

function footerText(resolvers: readonly string[], startedAt: string, elapsedMs: number, queries?: number): string {
  const servers = resolvers.length === 0 ? 'system' : resolvers.join(', ');
  const sent = queries === undefined ? '' : ` · DNS queries: ${queries}`;
  return `Resolvers: ${servers} · Started: ${startedAt} · Took: ${elapsedMs} ms${sent} · Mail DNS Doctor`;
}

function verdictExplanation(r: SpfResult): string {
  return `${SPF_RESULT_MEANING[r.result]} Why: ${why(r)}`;
}

export function spfToReport(r: SpfResult): ReportDoc {
  return {
    kind: r.kind,
    title: 'SPF',
    shortTitle: 'SPF',
    subject: `${who(r)} from ${r.ip}`,
    status: spfStatus(r),
    summary: `${r.result} · ${shortDecision(r)} · ${r.lookups}/${r.lookupLimit} lookups`,
    verdict: { label: 'SPF', value: r.result, explanation: verdictExplanation(r) },
    facts: spfFacts(r),
    sections: [{ type: 'tree', title: 'Evaluation', nodes: spfTreeNodes(r), showQueries: true }, READING, ...receiverSections([...receiverRowsOfSpf(r), ...publishedRowsOfSpf(r)], true)],
    findings: findingsOf(r.findings),
    footer: footerText(r.resolvers, r.startedAt, r.elapsedMs, r.queries),
  };
}

// ---- two addresses side by side ------------------------------------------------------------------

function pairRow(label: string, results: readonly SpfResult[], cell: (r: SpfResult) => Cell): Cell[] {
  return [label, ...results.map(cell)];
}

function sideBySideTable(p: SpfPairResult): Section {
  const rs = p.results;
  const rows: Cell[][] = [
    pairRow('Result', rs, (r) => ({ text: r.result, status: SPF_RESULT_STATUS[r.result], detail: SPF_RESULT_MEANING[r.result] })),
    pairRow('Why', rs, (r) => why(r)),
  ];
  if (rs.some((r) => r.explanationSource !== 'reason')) {
    rows.push(pairRow('Explanation', rs, (r) => (r.explanationSource === 'reason' ? '' : compact({ text: r.explanation, detail: r.explanationSource === 'exp' ? "the domain's exp= text" : 'the default: no usable exp=' }))));
  }
  rows.push(
    pairRow('Decided by', rs, (r) => ({ text: decidedBy(r), mono: r.decision.some((d) => d.text) })),
    pairRow('DNS lookups', rs, (r) => (r.lookups > r.lookupLimit ? { text: lookupsText(r), status: 'fail' } : lookupsText(r))),
    pairRow('Void lookups', rs, (r) => (r.voidLookups > r.voidLimit ? { text: voidText(r), status: 'fail' } : voidText(r))),
  );
  if (rs.some((r) => r.limitExceeded)) rows.push(pairRow('Limit exceeded', rs, (r) => (r.limitExceeded ? { text: limitText(r), status: 'fail' } : '')));
  rows.push(pairRow('Received-SPF', rs, (r) => ({ text: r.receivedSpf, mono: true })), pairRow('Authentication-Results', rs, (r) => ({ text: r.authResults, mono: true })));
  return { type: 'table', title: 'Side by side', columns: ['', ...rs.map((r) => `${r.ip} (IPv${r.family})`)], rows };
}

function pairFindings(p: SpfPairResult): Finding[] {
  const [a, b] = p.results.map((r) => findingsOf(r.findings));
  const key = (f: Finding) => `${f.code}\u0000${f.message}`;
  const inB = new Set(b.map(key));
  const inA = new Set(a.map(key));
  return [
    ...a.map((f) => (inB.has(key(f)) ? f : { ...f, message: `${p.results[0].ip}: ${f.message}` })),
    ...b.filter((f) => !inA.has(key(f))).map((f) => ({ ...f, message: `${p.results[1].ip}: ${f.message}` })),
  ];
}

export function spfPairToReport(p: SpfPairResult): ReportDoc {
  const rs = p.results;
  const values = [...new Set(rs.map((r) => r.result))];
  const nodes = rs.map((r) => ({
    label: r.ip,
    mono: true,
    badge: `IPv${r.family}`,
    status: spfStatus(r),
    note: `→ ${r.result}: ${why(r)}`,
    children: spfTreeNodes(r),
  }));
  const facts: ReportDoc['facts'] = [
    { label: p.identity === 'helo' ? 'Domain (HELO identity)' : 'Domain', value: p.domain, mono: true },
    { label: 'Sender', value: p.sender, mono: true },
  ];
  if (p.helo !== undefined) facts.push({ label: 'HELO name', value: p.helo, mono: true });
  const queries = rs.reduce((n, r) => n + r.queries, 0);
  return {
    kind: p.kind,
    title: 'SPF',
    shortTitle: 'SPF',
    subject: `${who(p)} from ${rs.map((r) => r.ip).join(' and ')}`,
    status: spfPairStatus(p),
    summary: rs.map((r) => `${r.ip} ${r.result}`).join(' · '),
    verdict: {
      label: 'SPF',
      value: values.join(' / '),
      explanation: rs.map((r) => `${r.ip}: ${r.result} — ${SPF_RESULT_MEANING[r.result]}`).join(' '),
    },
    facts,
    sections: [sideBySideTable(p), { type: 'tree', title: 'Evaluation', nodes, showQueries: true, sideBySide: true }, READING],
    findings: pairFindings(p),
    footer: footerText(rs[0].resolvers, p.startedAt, p.elapsedMs, queries),
  };
}

// ---- can this server send for a domain? -----------------------------------------------------------

function summaryLine(r: SendAsResult, prefix: string): string | undefined {
  return r.summary.find((s) => s.startsWith(prefix));
}

function spfRow(r: SendAsResult): DocRow {
  const status: Status = r.authorized === true ? 'pass' : r.authorized === null ? 'warning' : 'fail';
  return compact({
    label: `SPF: may it send as @${r.fromDomain}?`,
    status,
    summary: summaryLine(r, 'SPF:') ?? `SPF ${r.spf.result}`,
    fix: r.fix && compact({ description: r.fix.description, zone: r.fix.zone, owner: r.fix.owner, type: r.fix.type, current: r.fix.current, proposed: r.fix.proposed, record: r.fix.record }),
  });
}

function rdnsRow(r: SendAsResult): DocRow {
  const fc = r.rdns.fcrdns;
  const broken = r.findings.find((f) => f.code === 'send-as-rdns-broken');
  return compact({
    label: 'Reverse DNS: its PTR',
    status: fc === 'pass' ? 'pass' : fc === 'temperror' ? 'warning' : 'fail',
    summary: summaryLine(r, 'Reverse DNS:') ?? `iprev ${fc}`,
    detail: `The PTR may stay on the server's own domain as long as forward-confirmed reverse DNS holds (the PTR name resolves back to ${r.ip}): receivers do not compare it with the From domain. iprev: ${fc}.`,
    fix: broken?.fix && compact(broken.fix),
  });
}

function repliesRow(r: SendAsResult): DocRow {
  const trouble = r.mx.nullMx || (r.mx.implicit && r.mx.addresses.length === 0) || (r.mx.rcode !== 'NOERROR' && r.mx.rcode !== 'NXDOMAIN');
  return {
    label: 'Replies: where they go',
    status: trouble ? 'warning' : 'pass',
    summary: summaryLine(r, 'Replies:') ?? '',
  };
}

function mxText(r: SendAsResult): string {
  if (r.mx.nullMx) return 'nowhere: a null MX (RFC 7505)';
  if (r.mx.hosts.length > 0) return r.mx.hosts.map((h) => `${h.preference} ${h.exchange}`).join(', ');
  if (r.mx.rcode !== 'NOERROR' && r.mx.rcode !== 'NXDOMAIN') return `unknown: the MX lookup failed (${r.mx.rcode})`;
  return r.mx.addresses.length > 0 ? `no MX: to ${r.fromDomain}'s own address (${r.mx.addresses.join(', ')})` : 'nowhere: no MX and no address';
}

function mxTable(r: SendAsResult): Section {
  return {
    type: 'table',
    title: `Where replies to @${r.fromDomain} go`,
    columns: ['Preference', 'Mail host'],
    rows: r.mx.hosts.map((h) => [String(h.preference), { text: h.exchange, mono: true }]),
    empty: `${r.fromDomain} has no MX records: ${mxText(r)}.`,
  };
}

function sendAsVerdict(r: SendAsResult): ReportDoc['verdict'] {
  const label = `May ${r.ip} send as @${r.fromDomain}`;
  const spf = summaryLine(r, 'SPF:') ?? '';
  const rdns = summaryLine(r, 'Reverse DNS:') ?? '';
  if (r.authorized === null || r.rdns.fcrdns === 'temperror') return { label, value: 'cannot tell', explanation: `${spf} ${rdns}`.trim() };
  const rdnsOk = r.rdns.fcrdns === 'pass';
  if (r.authorized && rdnsOk) return { label, value: 'yes', explanation: `${spf} ${rdns}` };
  const parts: string[] = [];
  if (!r.authorized) parts.push(`${spf} Publish the TXT record below in ${r.fromDomain}'s DNS.`);
  if (!rdnsOk) parts.push(rdns);
  return { label, value: 'no', explanation: parts.join(' ') };
}

function sendAsFacts(r: SendAsResult): ReportDoc['facts'] {
  const decider = r.spf.decision[r.spf.decision.length - 1]?.text;
  const ptr = r.rdns.ptr.length === 0 ? 'no PTR' : `PTR ${r.rdns.ptr.join(', ')}`;
  const facts: ReportDoc['facts'] = [
    { label: `SPF of ${r.fromDomain}`, value: `${r.spf.result}${decider ? ` (decided by "${decider}")` : ''}` },
    { label: 'Reverse DNS', value: `${ptr}; forward-confirmed: iprev ${r.rdns.fcrdns}` },
    { label: 'Replies go to', value: mxText(r) },
  ];
  if (r.fix) {
    facts.push(
      { label: 'Publish in', value: `the DNS of ${r.fromDomain}${r.fix.zone ? ` (zone ${r.fix.zone})` : ''}` },
      { label: 'TXT record to publish', value: r.fix.record ?? r.fix.proposed ?? '', mono: true },
      { label: 'DNS lookups it needs', value: `${r.fix.lookups} of ${r.spf.lookupLimit}${r.fix.withinLimit ? '' : ' — over the limit'}` },
    );
  }
  return facts;
}

export function sendAsToReport(r: SendAsResult): ReportDoc {
  const rdnsTree = rdnsToReport(r.rdns).sections.find((s): s is Extract<Section, { type: 'tree' }> => s.type === 'tree');
  const seen = new Set(r.findings.map((f) => `${f.code}\u0000${f.message}`));
  const spfFindings = findingsOf(r.spf.findings).filter((f) => !seen.has(`${f.code}\u0000${f.message}`));
  return {
    kind: r.kind,
    title: 'Send-as check',
    shortTitle: 'Send-as',
    subject: `@${r.fromDomain} from ${r.ip}`,
    status: sendAsStatus(r),
    summary: `SPF ${r.spf.result} · iprev ${r.rdns.fcrdns}${r.fix ? ' · TXT record to publish' : ''}`,
    verdict: sendAsVerdict(r),
    facts: sendAsFacts(r),
    sections: [
      { type: 'rows', title: 'The three questions', rows: [spfRow(r), rdnsRow(r), repliesRow(r)] },
      { type: 'tree', title: `SPF evaluation of ${r.fromDomain}`, nodes: spfTreeNodes(r.spf), showQueries: true },
      { type: 'tree', title: `Reverse DNS of ${r.ip}`, nodes: rdnsTree?.nodes ?? [] },
      mxTable(r),
    ],
    findings: [...findingsOf(r.findings), ...spfFindings],
    footer: footerText(r.spf.resolvers, r.startedAt, r.elapsedMs),
  };
}

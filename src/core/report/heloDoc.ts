// "Check HELO name" as a report document: what receivers look at (one row each, with its fix),
// what Postfix's three HELO rules reply, the DNS lookups with their dig commands, and where the
// name is set in common mail programs. Pure; the name is whatever the user or a bounce gave, so
// it stays text.
import { receiverRowsOfHelo } from '../receivers/partial';
import { publishedRowsOfHelo } from '../receivers/providers';
import { receiverSections } from './receiversDoc';
import { heloStatus } from '../helo/text';
import type { HeloLookup, HeloResult } from '../helo/types';
import type { Finding, Status } from '../model';
import { type Cell, compact, type DocNode, type DocRow, type ReportDoc, type Section } from './doc';
import { VERDICT_LABEL } from './labels';
import { docFindings, findingsRow, findingsStatus, footerLine, shortList, worstStatus, yesNo } from './mailParts';
import { SPF_RESULT_STATUS } from './spfDoc';

const VERDICT_STATUS = { accept: 'pass', reject: 'fail', defer: 'warning' } as const;

function withCodes(r: HeloResult, test: (code: string) => boolean): Finding[] {
  return r.findings.filter((f) => test(f.code));
}

const isLiteral = (r: HeloResult) => r.syntax.form === 'address-literal';

/** What the name is, in a few words: `not fully qualified`, `resolves to 203.0.113.60, its PTR name`. */
export function heloWhat(r: HeloResult): string {
  if (!r.syntax.valid && !isLiteral(r)) return 'not a valid host name';
  if (isLiteral(r)) return r.literalMatchesIp === false ? 'an address literal of another address' : 'an address literal';
  if (!r.fqdn) return 'not fully qualified';
  if (r.matchesIp) return `resolves to ${r.ip}${r.matchesPtr ? ', its PTR name' : ''}`;
  if (r.resolves) return r.ip ? `resolves to ${shortList(r.addresses)}, not ${r.ip}` : `resolves to ${shortList(r.addresses)}`;
  if (r.resolves === false) return r.mx.length > 0 ? 'has only an MX record' : 'does not resolve';
  return 'DNS did not answer';
}

function postfixWords(r: HeloResult): string {
  const rejects = r.receivers.filter((v) => v.verdict === 'reject');
  if (rejects.length > 0) return `Postfix rejects (${[...new Set(rejects.map((v) => v.reply?.slice(0, 3) ?? '5xx'))].join(', ')})`;
  if (r.receivers.some((v) => v.verdict === 'defer')) return 'Postfix defers (450)';
  return 'Postfix accepts';
}

function syntaxRow(r: HeloResult): DocRow {
  const s = r.syntax;
  const form = s.form === 'address-literal' ? `address literal${s.literal ? ` [${s.literal.tag}${s.literal.address ? ` ${s.literal.address}` : ''}]` : ''}` : s.form === 'domain' ? 'a domain name' : 'neither a domain name nor an address literal';
  const summary = s.valid ? `${form}${s.trailingDot ? ' (ends with a dot)' : ''}` : `not valid: ${s.problems.join('; ') || form}`;
  const findings = withCodes(r, (c) => ['helo-invalid', 'helo-bare-address', 'helo-localhost', 'helo-internal-name', 'helo-trailing-dot', 'helo-address-literal'].includes(c));
  return findingsRow('Syntax (RFC 5321 §4.1.1.1)', summary, findings, worstStatus([s.valid ? 'pass' : 'fail', findingsStatus(findings)]));
}

function fqdnRow(r: HeloResult): DocRow {
  const findings = withCodes(r, (c) => c === 'helo-not-fqdn');
  return findingsRow('Fully qualified (RFC 5321 §2.3.5)', r.fqdn ? 'yes: a name with a dot' : 'no: a one-word name', findings, r.fqdn ? 'pass' : 'fail');
}

function existsRow(r: HeloResult): DocRow {
  const findings = withCodes(r, (c) => c === 'helo-nxdomain' || c === 'helo-no-address' || c.startsWith('dns-'));
  const parts: string[] = [];
  if (r.addresses.length > 0) parts.push(`A/AAAA ${shortList(r.addresses, 3)}`);
  if (r.mx.length > 0) parts.push(`MX ${shortList(r.mx, 2)}`);
  const summary = parts.length > 0 ? parts.join('; ') : r.resolves === null ? 'unknown: the lookups failed' : 'no A, AAAA or MX record';
  const fact: Status = r.resolves ? 'pass' : r.mx.length > 0 ? 'warning' : r.resolves === null ? 'warning' : 'fail';
  return findingsRow('Exists in DNS (A, AAAA or MX)', summary, findings, worstStatus([fact, findingsStatus(findings)]));
}

function matchesIpRow(r: HeloResult): DocRow {
  if (isLiteral(r)) {
    const findings = withCodes(r, (c) => c === 'helo-literal-mismatch');
    const ok = r.literalMatchesIp;
    return findingsRow(`The literal is ${r.ip}`, yesNo(ok), findings, ok === false ? 'fail' : ok ? 'pass' : 'warning');
  }
  const findings = withCodes(r, (c) => c === 'helo-ip-mismatch' || c === 'helo-resolves-to-ip');
  const m = r.matchesIp;
  const summary = m
    ? 'yes'
    : m === false
      ? r.addresses.length > 0
        ? `no: it resolves to ${shortList(r.addresses, 3)} ("BOGUS HELO" to some receivers)`
        : 'no: the name has no address'
      : 'unknown';
  return findingsRow(`Resolves to ${r.ip}`, summary, findings, m ? 'pass' : m === false ? 'fail' : 'warning');
}

function ptrRow(r: HeloResult): DocRow {
  const findings = withCodes(r, (c) => c === 'helo-ptr-mismatch' || c === 'helo-matches-ptr');
  const ptr = r.ptr.length > 0 ? shortList(r.ptr, 3) : 'no PTR';
  const m = r.matchesPtr;
  const summary = m ? `yes (${ptr})` : m === false ? `no: the PTR of ${r.ip} is ${ptr}` : `unknown (${ptr})`;
  return findingsRow(`Is the PTR name of ${r.ip}`, summary, findings, m ? 'pass' : 'warning');
}

function spfRow(r: HeloResult): DocRow | undefined {
  const s = r.spf;
  if (!s) return undefined;
  const findings = withCodes(r, (c) => c.startsWith('helo-spf-'));
  // No SPF record for a HELO name is common and harmless: shown as info, with the record to add.
  const status: Status = s.result === 'none' ? 'info' : SPF_RESULT_STATUS[s.result];
  return findingsRow('SPF for the HELO name (RFC 7208 §2.3)', s.reason.startsWith(s.result) ? s.reason : `${s.result}: ${s.reason}`, findings, status);
}

function checksSection(r: HeloResult): Section {
  const rows: (DocRow | undefined)[] = [syntaxRow(r)];
  if (!isLiteral(r)) rows.push(fqdnRow(r), existsRow(r));
  if (r.ip) rows.push(matchesIpRow(r), ptrRow(r));
  rows.push(spfRow(r));
  return { type: 'rows', title: 'What receivers check', rows: rows.filter((x): x is DocRow => x !== undefined) };
}

function postfixSection(r: HeloResult): Section {
  return {
    type: 'table',
    title: 'What Postfix does',
    columns: ['Rule', 'Verdict', 'Reply'],
    rows: r.receivers.map((v): Cell[] => [
      compact({ text: v.rule, mono: true, detail: v.explanation, href: v.reference || undefined }),
      { text: VERDICT_LABEL[v.verdict], status: VERDICT_STATUS[v.verdict] },
      v.reply
        ? compact({
            text: v.reply,
            mono: true,
            detail: v.replyAtHelo && v.replyAtHelo !== v.reply ? `With smtpd_delay_reject = no it answers HELO itself: ${v.replyAtHelo}` : 'Sent in answer to RCPT TO (the default smtpd_delay_reject = yes).',
          })
        : '',
    ]),
  };
}

function answersText(l: HeloLookup): string {
  if (l.rcode !== 'NOERROR') return `${l.rcode}${l.error ? ` (${l.error})` : ''}`;
  return l.answers.length === 0 ? 'no records' : `${l.answers.join(', ')}${l.answersOmitted ? ` and ${l.answersOmitted} more` : ''}`;
}

function lookupNode(l: HeloLookup): DocNode {
  const failed = l.rcode !== 'NOERROR' && l.rcode !== 'NXDOMAIN';
  return compact({
    label: `${l.name} ${l.type}`,
    mono: true,
    badge: l.ttl === null || l.answers.length === 0 ? l.rcode : `${l.rcode} · TTL ${l.ttl}s`,
    status: failed ? 'warning' : 'info',
    description: l.purpose,
    note: answersText(l),
    dig: l.dig,
    queries: [
      compact({
        role: l.purpose[0].toUpperCase() + l.purpose.slice(1),
        summary: `${l.name} ${l.type} → ${answersText(l)}`,
        lines: l.cnames.length > 0 ? l.cnames.map((c) => `CNAME ${c.name} → ${c.target}`) : undefined,
        dig: l.dig,
      }),
    ],
    children: [],
  });
}

function lookupsSection(r: HeloResult): Section {
  return {
    type: 'tree',
    title: 'DNS lookups',
    nodes: r.lookups.map(lookupNode),
    empty: isLiteral(r) && !r.ip ? 'An address literal is not looked up.' : 'No lookups: the name is not one DNS can look up.',
    showQueries: true,
  };
}

function nameIsTheProblem(r: HeloResult): boolean {
  return r.proposedName !== undefined || r.findings.some((f) => /^helo-(not-fqdn|invalid|bare-address|ip-mismatch|literal-mismatch|localhost|internal-name|nxdomain)$/.test(f.code));
}

function settingsSection(r: HeloResult): Section {
  return {
    type: 'table',
    title: `Where the HELO name is set${r.proposedName ? ` (shown with ${r.proposedName})` : ''}`,
    columns: ['Program', 'Setting', 'What to set'],
    rows: r.nameSettings.map((s): Cell[] => [s.mta, s.setting, { text: s.example, mono: true }]),
  };
}

function verdict(r: HeloResult, status: Status): ReportDoc['verdict'] {
  const first = r.findings.find((f) => f.severity === 'error') ?? r.findings.find((f) => f.severity === 'warning');
  const value = r.receivers.some((v) => v.verdict === 'reject') ? 'rejected' : status === 'fail' ? 'wrong' : status === 'warning' ? 'doubtful' : 'ok';
  const explanation = first?.message ?? r.findings.find((f) => f.code === 'helo-ok')?.message ?? `Receivers accept ${JSON.stringify(r.name)}: ${heloWhat(r)}.`;
  return { label: 'HELO name', value, explanation };
}

function facts(r: HeloResult): ReportDoc['facts'] {
  const list: ReportDoc['facts'] = [{ label: 'HELO name', value: r.name, mono: true }];
  if (r.ip) list.push({ label: 'Sending IP', value: r.ip, mono: true });
  if (!isLiteral(r)) {
    list.push({ label: 'Addresses (A/AAAA)', value: r.addresses.join(', '), mono: true }, { label: 'MX', value: r.mx.join(', '), mono: true });
  }
  if (r.ip) list.push({ label: `PTR of ${r.ip}`, value: r.ptr.join(', '), mono: true }, { label: 'PTR names that resolve back', value: r.confirmedPtr.join(', '), mono: true });
  if (r.proposedName) list.push({ label: 'Name to send instead', value: r.proposedName, mono: true });
  if (r.spf) {
    list.push({ label: 'SPF (HELO identity)', value: `${r.spf.result}${r.spf.record ? ` — ${r.spf.record}` : ''}` }, { label: 'Received-SPF header', value: r.spf.receivedSpf, mono: true });
  }
  return list;
}

export function heloToReport(r: HeloResult): ReportDoc {
  const status = heloStatus(r);
  const sections: Section[] = [checksSection(r), postfixSection(r)];
  if (nameIsTheProblem(r)) sections.push(settingsSection(r));
  sections.push(lookupsSection(r));
  sections.push(...receiverSections([...receiverRowsOfHelo(r), ...publishedRowsOfHelo(r)], true));
  return {
    kind: r.kind,
    title: 'HELO name',
    shortTitle: 'HELO',
    subject: r.ip ? `${r.name} from ${r.ip}` : r.name,
    status,
    summary: `${heloWhat(r)} · ${postfixWords(r)}`,
    verdict: verdict(r, status),
    facts: facts(r),
    sections,
    findings: docFindings(r.findings),
    footer: footerLine(r.resolvers, r.startedAt, r.elapsedMs),
  };
}

// The rDNS check as a report document: verdict, what receivers will do, the hop chain, findings.
import { receiverRowsOfRdns } from '../receivers/partial';
import { publishedRowsOfRdns } from '../receivers/providers';
import { receiverSections } from './receiversDoc';
import type { ChainStep, HopNode, RdnsResult, ReceiverVerdict } from '../rdns/types';
import { rdnsStatus } from '../status';
import { type Cell, compact, type DocNode, type DocQuery, type ReportDoc, type Section } from './doc';
import {
  IPREV_EXPLANATION,
  RECEIVER_LABEL,
  VERDICT_LABEL,
  deadEndSteps,
  formatTtl,
  hopDig,
  hopNoteLabel,
  hopRecordLabel,
  stepOf,
} from './labels';

const VERDICT_STATUS = { accept: 'pass', reject: 'fail', defer: 'warning' } as const;

function receiverRow(v: ReceiverVerdict): Cell[] {
  return [
    RECEIVER_LABEL[v.receiver],
    compact({ text: v.rule, mono: true, detail: v.explanation, href: v.reference || undefined }),
    { text: VERDICT_LABEL[v.verdict], status: VERDICT_STATUS[v.verdict] },
    v.reply ? { text: v.reply, mono: true } : '',
  ];
}

/** A published-rule row of a receiver "What receivers will do" already answers for (Gmail's FCrDNS rule) would say it twice. */
function notShownAbove(r: RdnsResult): (row: { receiver: string }) => boolean {
  return (row) => !r.receivers.some((v) => v.receiver === row.receiver);
}

function receiversSection(r: RdnsResult): Section {
  return {
    type: 'table',
    title: 'What receivers will do',
    columns: ['Receiver', 'Rule', 'Verdict', 'Reply'],
    rows: r.receivers.map(receiverRow),
    empty: 'No receiver rules apply.',
  };
}

function stepQuery(role: string, s: ChainStep): DocQuery {
  const outcome = `${s.rcode}${s.error ? ` (${s.error})` : ''}`;
  const ttl = s.ttl === null ? '' : `, TTL ${formatTtl(s.ttl)}`;
  return compact({
    role,
    summary: `${s.query} ${s.type} → ${outcome}${ttl}, from ${s.server}`,
    lines: s.cnames.length > 0 ? s.cnames.map((c) => `CNAME ${c.name} → ${c.target}`) : undefined,
    dig: s.dig,
  });
}

function hopToDocNode(r: RdnsResult, node: HopNode): DocNode {
  const incoming = stepOf(r.chain, node);
  const queries = [
    ...(incoming ? [stepQuery('Answer', incoming)] : []),
    ...deadEndSteps(r.chain, node).map((s) => stepQuery('Next query', s)),
  ];
  return compact({
    label: node.value,
    mono: true,
    badge: hopRecordLabel(node) ?? 'start',
    status: node.status,
    note: hopNoteLabel(node),
    wrong: node.wrong || undefined,
    dig: hopDig(r.chain, node),
    queries: queries.length > 0 ? queries : undefined,
    children: node.children.map((child) => hopToDocNode(r, child)),
  });
}

function summary(r: RdnsResult): string {
  const ptr = r.ptr.length === 0 ? 'no PTR' : r.ptr[0] + (r.ptr.length > 1 ? ` +${r.ptr.length - 1}` : '');
  return `iprev ${r.fcrdns} · ${ptr}`;
}

function facts(r: RdnsResult): ReportDoc['facts'] {
  const list: ReportDoc['facts'] = [
    { label: 'Reverse name', value: r.reverseName, mono: true },
    { label: 'PTR names', value: r.ptr.join(', '), mono: true },
    { label: 'Forward-confirmed', value: r.confirmed.join(', '), mono: true },
  ];
  if (r.special) {
    const s = r.special;
    list.push({ label: 'Special-purpose address', value: `${s.name} (${s.rfc}, ${s.network})` });
  }
  return list;
}

function footer(r: RdnsResult): string {
  const resolvers = r.resolvers.length === 0 ? 'system' : r.resolvers.join(', ');
  return `Resolvers: ${resolvers} · Started: ${r.startedAt} · Took: ${r.elapsedMs} ms · Mail DNS Doctor`;
}

export function rdnsToReport(r: RdnsResult): ReportDoc {
  return {
    kind: r.kind,
    title: 'Reverse DNS',
    shortTitle: 'rDNS',
    subject: r.ip,
    status: rdnsStatus(r),
    summary: summary(r),
    verdict: { label: 'iprev', value: r.fcrdns, explanation: IPREV_EXPLANATION[r.fcrdns] },
    facts: facts(r),
    sections: [receiversSection(r), { type: 'tree', title: 'Chain', nodes: [hopToDocNode(r, r.tree)] }, ...receiverSections([...receiverRowsOfRdns(r), ...publishedRowsOfRdns(r).filter(notShownAbove(r))], true)],
    findings: r.findings.map((f) => compact({ ...f, fix: f.fix && compact(f.fix) })),
    footer: footer(r),
  };
}

// "Check blocklists for IP" as a report document: one node per list, with what it answered and
// what that means — listed, not listed, or the list refused to answer (which says nothing about
// the address). A list's TXT reason comes from DNS: the check escaped and bounded it; it stays text.
import { dnsblDecided, dnsblStatus } from '../dnsbl/text';
import type { DnsblResult, DnsblStatus, DnsblZoneResult } from '../dnsbl/types';
import type { Status } from '../model';
import { compact, type DocNode, type DocQuery, type ReportDoc } from './doc';
import { docFindings, footerLine } from './mailParts';

export const DNSBL_STATUS_LABEL: Record<DnsblStatus, string> = {
  listed: 'listed',
  'not-listed': 'not listed',
  refused: 'refused to answer',
  error: 'no answer',
  bogus: 'unusable answer',
};

function zoneStatus(z: DnsblZoneResult): Status {
  if (z.status === 'listed') return 'fail';
  if (z.status === 'not-listed') return z.testPoints && !z.testPoints.ok ? 'warning' : 'pass';
  return 'warning';
}

function testPointsText(z: DnsblZoneResult): string | undefined {
  const t = z.testPoints;
  if (!t) return undefined;
  if (t.ok) return 'test points as they should be (127.0.0.2 listed, 127.0.0.1 not): the list answers this asker';
  const two = t.listed2 === null ? 'no answer' : t.listed2 ? 'listed' : 'not listed';
  const one = t.listed1 === null ? 'no answer' : t.listed1 ? 'listed' : 'not listed';
  return `test points wrong (127.0.0.2: ${two}; 127.0.0.1: ${one}): the list's answers here mean little (RFC 5782 §5)`;
}

function zoneNote(z: DnsblZoneResult): string {
  const words = DNSBL_STATUS_LABEL[z.status];
  const codes = z.codes.map((c) => `${c.address}: ${c.meaning}`).join('; ');
  if (z.status === 'error') return `${words}: ${z.error ?? z.rcode}`;
  if (z.status === 'refused' && codes === '') return `${words} (${z.rcode}): says nothing about the address`;
  return codes ? `${words} — ${codes}` : words;
}

function zoneQueries(z: DnsblZoneResult): DocQuery[] {
  const answer = z.rcode !== 'NOERROR' ? z.rcode : z.codes.length > 0 ? z.codes.map((c) => c.address).join(', ') : 'no records';
  const tp = testPointsText(z);
  return [compact({ role: 'Query', summary: `${z.query} A → ${answer}`, lines: tp ? [tp] : undefined, dig: z.dig })];
}

function zoneNode(z: DnsblZoneResult): DocNode {
  return compact({
    label: z.zone,
    mono: true,
    badge: z.list,
    status: zoneStatus(z),
    description: [z.txt ? `The list says: "${z.txt}"` : undefined, z.note].filter(Boolean).join(' ') || undefined,
    note: zoneNote(z),
    wrong: z.status === 'listed' || undefined,
    dig: z.dig,
    href: z.lookupUrl,
    queries: zoneQueries(z),
    children: [],
  });
}

function verdict(r: DnsblResult): ReportDoc['verdict'] {
  const label = `Is ${r.ip} on a blocklist`;
  if (r.listed.length > 0) {
    return {
      label,
      value: `yes, on ${r.listed.length} of ${r.zones.length}`,
      explanation: `Listed on ${r.listed.join(', ')}: receivers that use ${r.listed.length === 1 ? 'this list' : 'these lists'} refuse mail from ${r.ip} (Postfix: "554 5.7.1 Service unavailable; Client host [${r.ip}] blocked using …"). Stop the cause first, then ask each list for removal.`,
    };
  }
  if (!dnsblDecided(r)) {
    return { label, value: 'cannot tell', explanation: 'No list gave a usable answer (refused, no answer, or test points wrong). Ask through your own recursive resolver, not a public one: several lists refuse public resolvers.' };
  }
  const unanswered = r.zones.filter((z) => z.status !== 'not-listed').map((z) => z.zone);
  return {
    label,
    value: 'no',
    explanation: `Not listed on the lists that answered${unanswered.length > 0 ? `; ${unanswered.join(', ')} gave no usable answer, which says nothing about the address` : ''}.`,
  };
}

export function dnsblToReport(r: DnsblResult): ReportDoc {
  const answered = r.zones.filter((z) => z.status === 'listed' || z.status === 'not-listed');
  const unanswered = r.zones.filter((z) => z.status !== 'listed' && z.status !== 'not-listed');
  const summary = r.listed.length > 0 ? `listed on ${r.listed.join(', ')}` : `not listed on ${answered.length} of ${r.zones.length}${unanswered.length > 0 ? ` · ${unanswered.length} no answer` : ''}`;
  return {
    kind: r.kind,
    title: 'Blocklists',
    shortTitle: 'DNSBL',
    subject: r.ip,
    status: dnsblStatus(r),
    summary,
    verdict: verdict(r),
    facts: [
      { label: 'Listed on', value: r.listed.join(', '), mono: true },
      { label: 'Not listed on', value: r.zones.filter((z) => z.status === 'not-listed').map((z) => z.zone).join(', '), mono: true },
      { label: 'No usable answer from', value: unanswered.map((z) => `${z.zone} (${DNSBL_STATUS_LABEL[z.status]})`).join(', '), mono: true },
      { label: 'Query names', value: `${r.zones[0]?.query.slice(0, r.zones[0].query.length - r.zones[0].zone.length - 1) ?? ''}.<zone> (RFC 5782 §${r.family === 4 ? '2.1' : '2.4'})`, mono: true },
    ],
    sections: [{ type: 'tree', title: 'Lists', nodes: r.zones.map(zoneNode), empty: 'No lists were asked.', showQueries: true }],
    findings: docFindings(r.findings),
    footer: footerLine(r.resolvers, r.startedAt, r.elapsedMs),
  };
}

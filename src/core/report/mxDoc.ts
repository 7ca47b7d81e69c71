// "Check MX for domain" as a report document: the mail hosts in the order senders try them, each
// with its addresses and their forward-confirmed reverse DNS, null and implicit MX named as such.
import type { Status } from '../model';
import { mxStatus } from '../mx/text';
import type { MxAddress, MxHost, MxResult } from '../mx/types';
import { compact, type DocNode, type DocQuery, type ReportDoc } from './doc';
import { IPREV_EXPLANATION } from './labels';
import { docFindings, footerLine, shortList } from './mailParts';

const KIND_BADGE: Record<MxHost['kind'], string> = {
  name: '',
  null: 'null MX (RFC 7505)',
  'ip-literal': 'an address, not a name',
  implicit: 'implicit MX (RFC 5321 §5.1)',
};

function addressNode(a: MxAddress, host: MxHost): DocNode {
  if (a.rdnsSkipped) return compact({ label: a.ip, mono: true, badge: a.family === 4 ? 'A' : 'AAAA', status: 'info', note: a.rdnsSkipped, children: [] });
  const status: Status = a.fcrdns === 'pass' ? 'pass' : 'warning';
  const ptr = a.ptr.length > 0 ? `PTR ${shortList(a.ptr, 2)}` : 'no PTR';
  return compact({
    label: a.ip,
    mono: true,
    badge: a.family === 4 ? 'A' : 'AAAA',
    status,
    description: IPREV_EXPLANATION[a.fcrdns],
    note: `${ptr} · iprev ${a.fcrdns}${a.ptrIsHost ? '' : a.ptr.length > 0 ? ` · the PTR is not ${host.exchange}` : ''}`,
    children: [],
  });
}

function hostQueries(h: MxHost): DocQuery[] {
  return h.lookups.map((l) =>
    compact({
      role: `${l.type} of the host`,
      summary: `${h.exchange} ${l.type} → ${l.rcode !== 'NOERROR' ? `${l.rcode}${l.error ? ` (${l.error})` : ''}` : l.answers.length > 0 ? `${l.answers.join(', ')}${l.answersOmitted ? ` and ${l.answersOmitted} more` : ''}` : 'no records'}`,
      lines: l === h.lookups[0] && h.cnames.length > 0 ? h.cnames.map((c) => `CNAME ${c.name} → ${c.target}`) : undefined,
      dig: l.dig,
    }),
  );
}

function hostNote(h: MxHost): string {
  if (h.kind === 'null') return 'this domain accepts no mail';
  if (h.kind === 'ip-literal') return 'unusable: an MX names a host, never an address (RFC 1035 §3.3.9)';
  const via = h.cnames.length > 0 ? `via CNAME → ${h.cnames.map((c) => c.target).join(' → ')} (RFC 2181 §10.3: an MX must not name an alias) · ` : '';
  if (h.skipped) return h.skipped;
  if (!h.usable) return `${via}unusable: no address`;
  return `${via}${h.addresses.length} address${h.addresses.length === 1 ? '' : 'es'}${h.addressesOmitted ? ` listed, ${h.addressesOmitted} more not` : ''}`;
}

function hostNode(h: MxHost): DocNode {
  const fcrdnsOk = h.addresses.every((a) => a.fcrdns === 'pass' || a.rdnsSkipped);
  const status: Status = h.kind === 'null' ? 'warning' : h.skipped ? 'info' : !h.usable ? 'fail' : h.cnames.length > 0 || !fcrdnsOk ? 'warning' : 'pass';
  const queries = hostQueries(h);
  const badge = [h.kind === 'implicit' ? undefined : `MX ${h.preference}`, KIND_BADGE[h.kind] || undefined].filter(Boolean).join(' · ');
  return compact({
    label: h.exchange,
    mono: true,
    badge: badge || undefined,
    status,
    note: hostNote(h),
    wrong: (!h.usable && h.kind !== 'null' && !h.skipped) || undefined,
    dig: queries[0]?.dig,
    queries: queries.length > 0 ? queries : undefined,
    children: h.addresses.map((a) => addressNode(a, h)),
  });
}

function verdict(r: MxResult): ReportDoc['verdict'] {
  const label = `Mail to @${r.domain}`;
  if (r.nullMx) {
    return { label, value: r.receivesMail ? 'goes to the other MX hosts' : 'goes nowhere', explanation: `${r.domain} publishes a null MX (RFC 7505): it says it accepts no mail, so senders bounce mail to it at once.${r.receivesMail ? ' It also lists other MX hosts, which is an error.' : ''}` };
  }
  if (!r.receivesMail) {
    const dnsTrouble = r.rcode !== 'NOERROR' && r.rcode !== 'NXDOMAIN';
    return {
      label,
      value: dnsTrouble ? 'cannot tell' : 'cannot be delivered',
      explanation: dnsTrouble
        ? `The MX lookup failed (${r.rcode}): senders retry later.`
        : r.rcode === 'NXDOMAIN'
          ? `${r.domain} does not exist.`
          : `${r.domain} has no usable mail host: no MX record with a host that has an address, and no address of its own.`,
    };
  }
  const usable = r.hosts.filter((h) => h.usable);
  if (r.implicit) return { label, value: `goes to ${r.domain} itself`, explanation: `${r.domain} has no MX records, so senders deliver to its own address (implicit MX, RFC 5321 §5.1). That works, but an MX record says it on purpose.` };
  return {
    label,
    value: `goes to ${usable[0].exchange}`,
    explanation: `Senders try the hosts by preference, lowest first (equal ones in any order): ${usable.map((h) => `${h.preference} ${h.exchange}`).join(', ')}.`,
  };
}

export function mxToReport(r: MxResult): ReportDoc {
  const usable = r.hosts.filter((h) => h.usable);
  const summary = r.nullMx ? 'null MX: no mail' : !r.receivesMail ? `no usable host (${r.rcode})` : r.implicit ? 'implicit MX: its own address' : `${usable.length} usable host${usable.length === 1 ? '' : 's'} · ${usable[0].exchange}`;
  return {
    kind: r.kind,
    title: 'MX',
    shortTitle: 'MX',
    subject: r.domain,
    status: mxStatus(r),
    summary,
    verdict: verdict(r),
    facts: [
      { label: 'MX query', value: `${r.rcode}${r.cnames.length > 0 ? ` (through CNAME ${r.cnames.map((c) => c.target).join(' → ')})` : ''}` },
      { label: 'MX records', value: r.hosts.filter((h) => h.kind !== 'implicit').map((h) => `${h.preference} ${h.exchange}`).join(', '), mono: true },
      { label: 'Usable hosts', value: usable.map((h) => h.exchange).join(', '), mono: true },
      { label: 'Reproduce', value: r.dig, mono: true },
    ],
    sections: [
      {
        type: 'tree',
        title: 'Mail hosts, in the order senders try them',
        nodes: r.hosts.map(hostNode),
        empty: `${r.domain} has no MX records and no address of its own: mail to it cannot be delivered.`,
        showQueries: true,
      },
    ],
    findings: docFindings(r.findings),
    footer: footerLine(r.resolvers, r.startedAt, r.elapsedMs),
  };
}

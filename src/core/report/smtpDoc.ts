// "Probe SMTP server" as a report document: one row per step of the dialogue (connection,
// greeting, EHLO, STARTTLS, certificate, the names against DNS) with its fix, the names the server
// gives itself, and the transcript line by line. Everything the server sent is a stranger's text:
// the probe has already bounded it and escaped control characters; here it stays text.
import type { Finding, Status } from '../model';
import { smtpStatus } from '../smtp/text';
import type { SmtpProbeResult, TranscriptLine } from '../smtp/types';
import { type Cell, compact, type DocNode, type DocRow, type ReportDoc, type Section } from './doc';
import { docFindings, findingsRow, findingsStatus, footerLine, shortList, worstStatus, yesNo } from './mailParts';

/** Transcript lines shown; a session holds at most 64 KiB, but a tree of thousands of lines helps no one. */
export const MAX_TRANSCRIPT_NODES = 200;

type Step = 'connection' | 'greeting' | 'ehlo' | 'starttls' | 'certificate' | 'names' | 'dialogue';

function stepOf(code: string): Step | undefined {
  if (code === 'smtp-ok' || code === 'ip-special-purpose') return undefined;
  if (code.startsWith('smtp-connect-') || code === 'smtp-host-no-address' || code.startsWith('dns-')) return 'connection';
  if (/^smtp-(greeting|ehlo)-name-/.test(code) || code === 'smtp-server-no-ptr') return 'names';
  if (code.startsWith('smtp-greeting-')) return 'greeting';
  if (code.startsWith('smtp-ehlo-') || code === 'smtp-client-address') return 'ehlo';
  if (code === 'smtp-no-starttls' || code.startsWith('smtp-starttls-')) return 'starttls';
  if (code.startsWith('smtp-cert-')) return 'certificate';
  return 'dialogue';
}

function findingsOf(r: SmtpProbeResult, step: Step): Finding[] {
  return r.findings.filter((f) => stepOf(f.code) === step);
}

function stepRow(r: SmtpProbeResult, step: Step, label: string, summary: string, reached: boolean): DocRow {
  const findings = findingsOf(r, step);
  return findingsRow(label, summary, findings, reached ? findingsStatus(findings) : worstStatus([findingsStatus(findings)], 'info'));
}

function greetingText(r: SmtpProbeResult): string {
  const g = r.greeting;
  if (!g) return r.connected ? 'no complete greeting' : 'not reached';
  const delayed = g.firstByteMs !== undefined && g.ms - g.firstByteMs > 1000 ? ` (first line after ${g.firstByteMs} ms)` : '';
  return `${g.code}${g.enhanced ? ` ${g.enhanced}` : ''}${g.name ? ` as ${g.name}` : ''} after ${g.ms} ms${delayed}`;
}

function ehloText(r: SmtpProbeResult): string {
  const e = r.ehlo;
  if (!e) return 'not reached';
  const keywords = e.extensions.map((x) => x.keyword);
  return `${e.command} ${e.sentName} → ${e.reply.code}${e.name ? ` as ${e.name}` : ''}${e.clientAddress ? `, sees us as ${e.clientAddress}` : ''}${keywords.length ? `; ${keywords.join(', ')}` : ''}`;
}

function starttlsText(r: SmtpProbeResult): string {
  const t = r.starttls;
  if (!t.offered) return r.ehlo ? 'not offered' : 'not reached';
  if (!t.attempted) return 'offered, not tried';
  if (t.ok) return `${t.protocol ?? 'TLS'}${t.cipher ? `, ${t.cipher}` : ''}`;
  return `failed${t.reply ? ` (${t.reply.code})` : ''}${t.error ? `: ${t.error}` : ''}`;
}

function certificateText(r: SmtpProbeResult): string {
  const c = r.starttls.certificate;
  if (!c) return 'none seen';
  const trust = c.selfSigned ? 'self-signed' : c.authorized ? 'trusted' : `not trusted (${c.authorizationError ?? 'unknown reason'})`;
  const when = c.unreadableDates
    ? `dates unreadable: ${c.unreadableDates}`
    : c.expired
      ? `expired ${c.validTo.slice(0, 10)}`
      : c.notYetValid
        ? `valid only from ${c.validFrom.slice(0, 10)}`
        : `expires ${c.validTo.slice(0, 10)} (${c.daysLeft} days)`;
  return `${shortList(c.names.length > 0 ? c.names : [c.subject], 3)}; ${when}; ${trust}`;
}

function namesText(r: SmtpProbeResult): string {
  if (r.names.length === 0) return r.connected ? 'the server gave no name' : 'not reached';
  return r.names
    .map((n) => `${n.role} name ${n.name}: ${n.resolvesToServer ? 'resolves to the server' : n.resolvesToServer === false ? `does not resolve to ${r.address ?? 'the server'}` : 'not checked'}${n.isPtr ? ', is its PTR' : ''}`)
    .join('; ');
}

function stepsSection(r: SmtpProbeResult): Section {
  const rows: DocRow[] = [
    stepRow(r, 'connection', `Connection to port ${r.port}`, r.connected ? `connected to ${r.address ?? r.host} in ${r.connectMs ?? '?'} ms` : (findingsOf(r, 'connection').find((f) => f.severity !== 'info')?.message.split('. ')[0] ?? 'no connection'), true),
    stepRow(r, 'greeting', 'Greeting (RFC 5321 §3.1)', greetingText(r), r.connected),
    stepRow(r, 'ehlo', 'EHLO and extensions', ehloText(r), r.ehlo !== undefined),
    stepRow(r, 'starttls', 'STARTTLS (RFC 3207)', starttlsText(r), r.ehlo !== undefined),
    stepRow(r, 'certificate', 'TLS certificate', certificateText(r), r.starttls.certificate !== undefined),
    stepRow(r, 'names', 'Server names against DNS', namesText(r), r.names.length > 0),
  ];
  const dialogue = findingsOf(r, 'dialogue');
  if (dialogue.length > 0) rows.push(findingsRow('The dialogue', dialogue.map((f) => f.code).join(', '), dialogue));
  return { type: 'rows', title: 'Steps', rows };
}

function namesSection(r: SmtpProbeResult): Section {
  return {
    type: 'table',
    title: 'Names the server gives itself',
    columns: ['Where', 'Name', 'Its addresses', `Resolves to ${r.address ?? 'the server'}`, 'Is its PTR'],
    rows: r.names.map((n): Cell[] => [
      n.role === 'greeting' ? '220 greeting' : 'EHLO reply',
      compact({ text: n.name, mono: true, detail: n.fqdn ? undefined : 'not fully qualified' }),
      { text: n.addresses.length > 0 ? n.addresses.join(', ') : n.rcode, mono: true },
      { text: yesNo(n.resolvesToServer), status: n.resolvesToServer ? 'pass' : n.resolvesToServer === false ? 'warning' : 'info' },
      { text: yesNo(n.isPtr), status: n.isPtr ? 'pass' : 'info' },
    ]),
    empty: 'The server gave no name (no greeting or EHLO reply).',
  };
}

function lineStatus(l: TranscriptLine): Status {
  if (l.dir === 'C') return 'info';
  const code = /^([2345])\d\d[ -]/.exec(l.text)?.[1];
  return code === '2' || code === '3' ? 'pass' : code === '4' ? 'warning' : code === '5' ? 'fail' : 'info';
}

function transcriptSection(r: SmtpProbeResult): Section {
  const shown = r.transcript.slice(0, MAX_TRANSCRIPT_NODES);
  const nodes: DocNode[] = shown.map((l) => ({
    label: l.text,
    mono: true,
    badge: `${l.dir === 'S' ? 'server' : 'us'} · ${l.ms} ms${l.tls ? ' · TLS' : ''}`,
    status: lineStatus(l),
    children: [],
  }));
  if (r.transcript.length > shown.length) {
    nodes.push({ label: `… ${r.transcript.length - shown.length} more lines`, status: 'info', children: [] });
  }
  return { type: 'tree', title: 'Transcript', nodes, empty: 'Nothing was said: no connection.' };
}

function verdict(r: SmtpProbeResult, status: Status): ReportDoc['verdict'] {
  const first = r.findings.find((f) => f.severity === 'error') ?? r.findings.find((f) => f.severity === 'warning');
  let value: string;
  if (!r.connected) value = 'no connection';
  else if (r.greeting && r.greeting.code !== 220) value = `refused (${r.greeting.code})`;
  else value = status === 'fail' ? 'problems' : status === 'warning' ? 'works, with warnings' : 'works';
  const explanation = first?.message ?? r.findings.find((f) => f.code === 'smtp-ok')?.message ?? `${r.host} answers SMTP on port ${r.port}.`;
  return { label: 'SMTP', value, explanation };
}

function facts(r: SmtpProbeResult): ReportDoc['facts'] {
  const list: ReportDoc['facts'] = [];
  if (r.hostIsName) list.push({ label: 'Addresses of the host', value: r.addresses.join(', '), mono: true });
  list.push({ label: 'Connected to', value: r.connected ? `${r.address ?? r.host} port ${r.port}` : '' , mono: true });
  if (r.address) list.push({ label: `PTR of ${r.address}`, value: r.serverPtr.join(', '), mono: true });
  if (r.greeting) list.push({ label: 'Greeting', value: r.greeting.lines.length > 0 ? `${r.greeting.code} ${r.greeting.lines[0]}` : String(r.greeting.code), mono: true });
  if (r.ehlo) {
    list.push(
      { label: 'We said', value: `${r.ehlo.command} ${r.ehlo.sentName}`, mono: true },
      { label: 'EHLO reply', value: r.ehlo.reply.lines.length > 0 ? `${r.ehlo.reply.code} ${r.ehlo.reply.lines[0]}` : String(r.ehlo.reply.code), mono: true },
      { label: 'Extensions', value: r.ehlo.extensions.map((x) => (x.params ? `${x.keyword} ${x.params}` : x.keyword)).join(', '), mono: true },
    );
  }
  list.push({ label: 'STARTTLS', value: starttlsText(r) });
  if (r.starttls.certificate) {
    const c = r.starttls.certificate;
    list.push(
      { label: 'Certificate names', value: c.names.join(', '), mono: true },
      { label: 'Certificate', value: `${c.subject}; issuer ${c.issuer}; ${certificateText(r)}` },
    );
  }
  list.push({ label: 'Read', value: `${r.bytesRead} bytes` });
  return list;
}

export function smtpToReport(r: SmtpProbeResult): ReportDoc {
  const status = smtpStatus(r);
  const g = r.greeting;
  const summary = !r.connected
    ? 'no connection'
    : `${g ? `${g.code}${g.name ? ` ${g.name}` : ''}` : 'no greeting'} · STARTTLS ${r.starttls.ok ? 'ok' : r.starttls.offered ? 'failed' : 'not offered'}`;
  return {
    kind: r.kind,
    title: 'SMTP probe',
    shortTitle: 'SMTP',
    subject: `${r.host} port ${r.port}`,
    status,
    summary,
    verdict: verdict(r, status),
    facts: facts(r),
    sections: [stepsSection(r), namesSection(r), transcriptSection(r)],
    findings: docFindings(r.findings),
    footer: footerLine(r.resolvers, r.startedAt, r.elapsedMs),
  };
}

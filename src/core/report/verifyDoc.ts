// "Check a received message" as a report document: DMARC's verdict first, then each part in a
// table — the alignment of SPF and of every DKIM signature, every signature's result with its
// reason, the message's own Authentication-Results beside ours, the ARC sets, the Received hops
// with the one SPF was checked from. Pure. Everything from the message (addresses, header values,
// authserv-ids) is text in cells and stays text: the renderers escape it (labels.ts, markdown.ts).
import type { Status } from '../model';
import { verifyStatus } from '../verify/text';
import type { VerifyResult } from '../verify/types';
import { type Cell, compact, type ReportDoc, type Section } from './doc';
import { docFindings, footerLine } from './mailParts';
import { receiverRowsOfMessage } from '../receivers/dkimDmarcPartial';
import { receiverSections } from './receiversDoc';

const RESULT_STATUS = (r: string): Status => (r === 'pass' ? 'pass' : r === 'fail' || r === 'permerror' || r === 'policy' ? 'fail' : r === 'none' || r === 'neutral' ? 'info' : 'warning');

function alignmentSection(r: VerifyResult): Section {
  const a = r.dmarc.alignment;
  const rows: Cell[][] = [
    [
      'SPF',
      { text: a.spf.domain || '(none)', mono: true },
      { text: r.spf.result, status: RESULT_STATUS(r.spf.result) },
      a.spf.mode === 's' ? 'strict' : 'relaxed',
      { text: a.spf.aligned ? 'aligned' : 'not aligned', status: a.spf.aligned ? 'pass' : 'fail', detail: a.spf.why },
    ],
    ...a.dkim.map((d, i): Cell[] => [
      `DKIM #${i + 1}`,
      { text: d.domain || '(none)', mono: true },
      { text: r.dkim[i]?.result ?? d.result, status: RESULT_STATUS(r.dkim[i]?.result ?? d.result) },
      d.mode === 's' ? 'strict' : 'relaxed',
      { text: d.aligned ? 'aligned' : 'not aligned', status: d.aligned ? 'pass' : 'fail', detail: d.why },
    ]),
  ];
  return { type: 'table', title: `Alignment with the From domain ${r.fromDomain || '(none)'}`, columns: ['Check', 'Domain', 'Result', 'Mode', 'Aligned'], rows };
}

function dkimSection(r: VerifyResult): Section {
  const rows = r.dkim.map((d, i): Cell[] => [
    `#${i + 1}`,
    { text: `d=${d.d || '?'} s=${d.s || '?'}`, mono: true, detail: `${d.a || '?'} c=${d.canonicalization.header}/${d.canonicalization.body}${d.bodyLength !== undefined ? ` l=${d.bodyLength}` : ''}; h=${d.headerFieldsSigned.join(':')}` },
    compact({ text: d.result, status: RESULT_STATUS(d.result), detail: [d.reason, ...d.notes].join(' · ') }),
    { text: d.keyName || '(no key name)', mono: true, detail: d.key?.bits ? `${d.key.type ?? '?'} ${d.key.bits} bits${d.key.testing ? ', t=y testing' : ''}` : undefined } as Cell,
  ]);
  return { type: 'table', title: 'DKIM signatures', columns: ['#', 'Signature', 'Result', 'Key'], rows, empty: 'The message has no DKIM-Signature field.' };
}

function theirsSection(r: VerifyResult): Section {
  const rows: Cell[][] = r.comparisons.map((c): Cell[] => [
    c.method.toUpperCase(),
    { text: c.theirs, mono: true, detail: `by ${c.authservId}` },
    { text: c.ours, mono: true },
    compact<Exclude<Cell, string>>({ text: c.agree ? 'same' : 'different', status: c.agree ? 'pass' : 'warning', detail: c.why || undefined }),
  ]);
  for (const a of r.authResults) {
    if (r.receiverAuthResults.includes(a.field)) continue;
    rows.push(['—', { text: a.text, mono: true, detail: `by ${a.authservId || '(no authserv-id)'}: another host, or before the receiver had the message` }, 'not compared', { text: 'not trusted', status: 'info' }]);
  }
  return {
    type: 'table',
    title: "The message's own Authentication-Results beside ours",
    columns: ['Method', 'The message says', 'We find', 'Compared'],
    rows,
    empty: 'The message carries no Authentication-Results field.',
  };
}

function arcSection(r: VerifyResult): Section {
  const rows = r.arc.sets.map((s): Cell[] => [
    `i=${s.instance}`,
    { text: s.sealer ?? '(no d=)', mono: true, detail: s.selector ? `s=${s.selector}` : undefined } as Cell,
    { text: `cv=${s.cv ?? '?'}`, status: s.cv === 'fail' ? 'fail' : s.cv === 'pass' || (s.instance === 1 && s.cv === 'none') ? 'pass' : 'warning' },
    { text: s.results?.text ?? '(no ARC-Authentication-Results)', mono: true },
  ]);
  return { type: 'table', title: `ARC sets (${r.arc.chain}; seals not verified here)`, columns: ['Instance', 'Sealer', 'Chain', 'What it saw'], rows, empty: r.arc.why };
}

function receivedSection(r: VerifyResult): Section {
  const rows = r.received.map((h): Cell[] => [
    `#${h.index + 1}`,
    { text: `${h.helo ?? '?'}${h.ip ? ` [${h.ip}]` : ''}`, mono: true, detail: h.rdns ? `looked up as ${h.rdns}` : undefined } as Cell,
    { text: h.by ?? '?', mono: true },
    { text: h.role, status: h.role === 'border' ? 'pass' : 'info', detail: h.why },
  ]);
  return { type: 'table', title: 'Received fields (topmost first)', columns: ['#', 'From', 'By', 'Role'], rows, empty: 'The message has no Received field.' };
}

export function verifyToReport(r: VerifyResult): ReportDoc {
  const status = verifyStatus(r);
  const d = r.dmarc;
  const value = r.fromDomain === '' ? 'not evaluated' : d.result;
  const pol = d.policy ? `${d.policy.tag}=${d.policy.value}${d.policy.pct < 100 ? ` pct=${d.policy.pct}` : ''} (from _dmarc.${d.policy.recordDomain})` : 'none';
  return {
    kind: 'verify',
    title: 'Message check',
    shortTitle: 'Message',
    subject: r.from ?? r.subject ?? '(no From)',
    status,
    summary: `dmarc=${value} · spf=${r.spf.result} · dkim=${r.dkim.map((x) => x.result).join(',') || 'none'}`,
    verdict: { label: 'DMARC', value, explanation: d.why },
    facts: [
      { label: 'From', value: r.from ?? '', mono: true },
      { label: 'Return-Path', value: r.returnPath === null ? '(none recorded)' : r.returnPath === '' ? '<> (null sender)' : r.returnPath, mono: true },
      { label: 'Connecting address', value: r.connection.ip ? `${r.connection.ip} (${r.connection.source === 'given' ? 'given' : `Received #${(r.connection.hop ?? 0) + 1}`})` : 'unknown', mono: false },
      { label: 'HELO', value: r.connection.helo ?? '', mono: true },
      { label: 'SPF', value: `${r.spf.result}${r.spf.checked ? ` for ${r.spf.domain}` : ' (not checked)'}` },
      { label: 'Policy that applies', value: pol },
      { label: "Receiver's action", value: `${d.disposition}${d.unsampled ? ` (${d.unsampled} outside the pct sample)` : ''}` },
      { label: 'Subject', value: r.subject ?? '' },
    ],
    sections: [
      alignmentSection(r),
      dkimSection(r),
      { type: 'text', title: 'SPF', paragraphs: [r.spf.reason, `Connecting address: ${r.connection.why}`, ...(r.spf.receivedSpf ? [r.spf.receivedSpf] : [])] },
      theirsSection(r),
      arcSection(r),
      receivedSection(r),
      ...receiverSections(receiverRowsOfMessage(r), true),
    ],
    findings: docFindings(r.findings),
    footer: footerLine(r.resolvers, r.startedAt, r.elapsedMs),
  };
}

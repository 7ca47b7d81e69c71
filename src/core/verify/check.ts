// "Check a received message": the checks a receiver runs on a message it took, run again here and
// explained — every DKIM signature (RFC 6376), SPF for the envelope sender from the connecting
// address (RFC 7208), DMARC with the alignment of each (RFC 7489 §3.1, §6.6) — and the message's
// own Authentication-Results and ARC sets put beside ours. DNS trouble is data (temperror), never
// an exception; only abort throws. All DNS goes through one query budget on top of each check's own.
import { budgetFinding, createBudget, LIMITS, withBudget } from '../dns/budget';
import type { Resolver } from '../dns/types';
import { verifyDkimSignatures } from '../dkim/verify';
import { checkDmarc } from '../dmarc/check';
import { evaluateDmarc } from '../dmarc/evaluate';
import { organizationalDomain } from '../dmarc/psl';
import type { DiscoveredPolicy } from '../dmarc/types';
import { parseIp } from '../ip';
import type { Finding } from '../model';
import { checkHost, spfIdentity } from '../spf/check';
import type { SpfResult } from '../spf/types';
import { domainNameProblem } from './address';
import { compareResults } from './compare';
import { readHeaders } from './headers';
import type { VerifyConnection, VerifyDmarc, VerifyResult, VerifySpf } from './types';

export interface VerifyMessageOptions {
  resolver: Resolver;
  signal?: AbortSignal;
  /** The connecting client's address, when known: used instead of the one the Received fields give. */
  ip?: string;
  /** DNS queries for the whole check (default 200): DKIM keys, SPF, the DMARC policy. */
  budget?: number;
  /** The time to check DKIM x= against, in ms (default now). */
  now?: number;
}

export class VerifyInputError extends Error {}

const DMARC_REF = 'https://www.rfc-editor.org/rfc/rfc7489#section-6.6';

function connectionOf(h: ReturnType<typeof readHeaders>, given: string | undefined): VerifyConnection {
  const border = h.border.border !== undefined ? h.hops[h.border.border] : undefined;
  if (given !== undefined) {
    const p = parseIp(given);
    if (!p.ok) throw new VerifyInputError(p.error);
    // The HELO name still comes from the hop that names this address, when one does.
    const hop = h.hops.find((x) => x.ip === p.ip) ?? border;
    return { ip: p.ip, helo: hop?.helo ?? null, source: 'given', ...(hop ? { hop: hop.index } : {}), why: `the address given (--ip ${p.ip})${hop?.helo ? `; the HELO name from Received #${hop.index + 1}` : ''}` };
  }
  if (border?.ip) return { ip: border.ip, helo: border.helo ?? null, source: 'received', hop: border.index, why: h.border.why };
  return { ip: null, helo: null, source: 'none', why: h.border.why };
}

async function spfOf(h: ReturnType<typeof readHeaders>, conn: VerifyConnection, resolver: Resolver, signal: AbortSignal | undefined, findings: Finding[]): Promise<VerifySpf> {
  const rp = h.returnPath;
  // RFC 7208 §2.4: with a null reverse-path (or none recorded), SPF checks the HELO identity.
  const useHelo = rp === null || rp.address === '';
  const id = useHelo ? spfIdentity('', conn.helo ?? '') : spfIdentity(rp.address, conn.helo ?? undefined);
  const identity: VerifySpf['identity'] = useHelo ? 'helo' : 'mailfrom';
  const base = { domain: id.domain, identity, sender: id.sender, ip: conn.ip, helo: conn.helo };
  if (useHelo) {
    findings.push({
      code: rp === null ? 'verify-no-return-path' : 'verify-null-sender',
      severity: 'info',
      message:
        rp === null
          ? `The message has no Return-Path field, so the envelope sender is unknown: SPF is checked for the HELO name${conn.helo ? ` ${conn.helo}` : ''} instead (RFC 7208 §2.4). A message saved after delivery normally has one; a draft or a copy from the Sent folder does not.`
          : `The envelope sender is empty (Return-Path: <>, a bounce or auto-reply): SPF checks the HELO name${conn.helo ? ` ${conn.helo}` : ''} (RFC 7208 §2.4).`,
    });
  }
  if (conn.ip === null) {
    findings.push({ code: 'verify-ip-unknown', severity: 'warning', message: `SPF not checked: the connecting address is unknown. ${conn.why} Give it with --ip (the CLI) or as the IP to check.` });
    return { ...base, result: 'none', checked: false, reason: 'not checked: the connecting address is unknown' };
  }
  if (id.domain === '' || (useHelo && domainNameProblem(id.domain.toLowerCase()) !== undefined)) {
    const reason = useHelo ? `not checked: no usable HELO name${conn.helo ? ` (${conn.helo})` : ''} and no envelope sender` : 'not checked: the Return-Path has no domain';
    findings.push({ code: 'verify-spf-no-identity', severity: 'warning', message: `SPF ${reason}.` });
    return { ...base, result: 'none', checked: false, reason };
  }
  const r: SpfResult = await checkHost({ ip: conn.ip, domain: id.domain, sender: id.sender, helo: conn.helo ?? undefined, identity, envelopeFrom: id.envelopeFrom }, { resolver, signal });
  const last = r.decision[r.decision.length - 1];
  return { ...base, domain: r.domain, result: r.result, checked: true, reason: r.result === 'fail' ? `${r.reason} (${r.explanation})` : r.reason, ...(last?.text ? { mechanism: last.text } : {}), receivedSpf: r.receivedSpf };
}

function dmarcOf(fromDomain: string, spf: VerifySpf, dkim: VerifyResult['dkim'], discovered: DiscoveredPolicy): VerifyDmarc {
  const e = evaluateDmarc({ fromDomain, spf: { result: spf.result, domain: spf.checked ? spf.domain : '' }, dkim: dkim.map((d) => ({ result: d.result, d: d.d })) }, discovered);
  const p = discovered.policy;
  return {
    result: e.result,
    fromDomain: e.fromDomain,
    policy:
      e.policy && p
        ? { tag: e.policy.tag, value: e.policy.value, recordDomain: e.policy.recordDomain, source: e.policy.source, record: discovered.record, pct: p.pct, adkim: p.adkim, aspf: p.aspf, why: e.policy.why }
        : null,
    disposition: e.disposition,
    ...(e.unsampled ? { unsampled: e.unsampled } : {}),
    alignment: e.alignment,
    orgDomain: discovered.orgDomain,
    why: e.why,
  };
}

/** What the sender can change so DMARC passes: sign aligned, or send from an address SPF covers. */
function dmarcFix(d: VerifyDmarc, spf: VerifySpf): Finding['fix'] {
  const org = d.orgDomain || d.fromDomain;
  return {
    description:
      `Sign the message with DKIM under ${org} (d=${org} or a subdomain of it${d.policy?.adkim === 's' ? `; adkim=s asks for exactly d=${d.fromDomain}` : ''}), ` +
      `or send it with a Return-Path in ${org} from a server that domain's SPF record authorizes${spf.ip ? ` (this one came from ${spf.ip})` : ''}. ` +
      'Mail relayed by a list or a forwarder keeps only DKIM: sign it.',
  };
}

function dmarcFindings(d: VerifyDmarc, spf: VerifySpf, findings: Finding[]): void {
  const pol = d.policy ? `${d.policy.tag}=${d.policy.value} from _dmarc.${d.policy.recordDomain}` : 'no policy';
  switch (d.result) {
    case 'pass':
      findings.push({ code: 'verify-dmarc-pass', severity: 'info', message: d.why });
      break;
    case 'fail':
      findings.push({
        code: 'verify-dmarc-fail',
        severity: d.disposition === 'none' ? 'warning' : 'error',
        message: `${d.why} A receiver ${d.disposition === 'reject' ? 'rejects' : d.disposition === 'quarantine' ? 'puts in spam' : 'delivers (and reports)'} such mail (${pol}${d.unsampled ? `; ${d.unsampled} for the rest of the pct sample` : ''}).`,
        fix: dmarcFix(d, spf),
      });
      break;
    case 'none':
      findings.push({
        code: 'verify-dmarc-none',
        severity: 'warning',
        message: `${d.why} Gmail, Yahoo and Microsoft ask bulk senders for a DMARC record (at least p=none).`,
        fix: { description: `Publish a DMARC record at _dmarc.${d.orgDomain || d.fromDomain}: start with "v=DMARC1; p=none; rua=mailto:…" (maildns dmarc ${d.fromDomain} gives the record).` },
      });
      break;
    case 'temperror':
      findings.push({ code: 'verify-dmarc-temperror', severity: 'warning', message: d.why });
      break;
    case 'permerror':
      findings.push({ code: 'verify-dmarc-permerror', severity: 'error', message: `${d.why} See: ${DMARC_REF}`, fix: { description: `Fix the DMARC record of ${d.orgDomain || d.fromDomain} (maildns dmarc ${d.fromDomain} shows what is wrong).` } });
      break;
  }
}

/** Checks one raw message (a string is UTF-8; LF or CRLF). */
export async function verifyMessage(raw: string | Uint8Array, options: VerifyMessageOptions): Promise<VerifyResult> {
  const { signal } = options;
  signal?.throwIfAborted();
  const started = Date.now();
  const budget = createBudget('message check', options.budget ?? LIMITS.dmarcQueries * 5);
  const resolver = withBudget(options.resolver, budget);
  const h = readHeaders(raw);
  const findings: Finding[] = [];
  const conn = connectionOf(h, options.ip);

  for (const p of h.message.problems) findings.push({ code: p.code === 'dkim-message-too-large' ? 'verify-message-too-large' : 'verify-message-malformed', severity: p.code === 'dkim-message-too-large' ? 'error' : 'warning', message: p.message });

  // RFC 7489 §6.6.1: exactly one From field with one address; otherwise DMARC has no domain to evaluate.
  const mailboxes = h.fromFields.flatMap((f) => f.mailboxes);
  const first = mailboxes[0];
  let fromDomain = '';
  if (h.fromFields.length === 0) findings.push({ code: 'verify-no-from', severity: 'error', message: 'The message has no From field: DMARC has no domain to check, and receivers reject such mail (RFC 5322 §3.6 requires one).' });
  else if (h.fromFields.length > 1) findings.push({ code: 'verify-multiple-from', severity: 'error', message: `The message has ${h.fromFields.length} From fields: RFC 5322 allows one, and receivers reject or do not apply DMARC to such mail (RFC 7489 §6.6.1). Only the first is used here.` });
  if (first && h.fromFields[0].mailboxes.length > 1) {
    const domains = [...new Set(h.fromFields[0].mailboxes.map((m) => m.domain))];
    findings.push({ code: 'verify-multiple-from', severity: domains.length > 1 ? 'error' : 'warning', message: `The From field names ${h.fromFields[0].mailboxes.length} addresses${domains.length > 1 ? ` in different domains (${domains.join(', ')}): receivers may reject the message (RFC 7489 §6.6.1)` : ''}; the first, ${first.address}, is evaluated.` });
  }
  if (first?.problem || (h.fromFields.length > 0 && !first)) {
    findings.push({ code: 'verify-from-invalid', severity: 'error', message: `The From address has no usable domain (${first?.problem ?? h.fromFields[0].problems[0] ?? 'no address'}): DMARC cannot be evaluated, and receivers reject such mail.` });
  } else if (first) fromDomain = first.domain;

  // Which address SPF is checked with, and why (the receiver's topmost trusted Received field).
  findings.push({
    code: conn.source === 'given' ? 'verify-ip-given' : conn.source === 'received' ? 'verify-ip-received' : 'verify-ip-none',
    severity: 'info',
    message: conn.source === 'none' ? `Connecting address: unknown. ${conn.why}` : `Connecting address ${conn.ip}: ${conn.why}`,
  });

  signal?.throwIfAborted();
  const [spf, dkim, discovered] = await Promise.all([
    spfOf(h, conn, resolver, signal, findings),
    verifyDkimSignatures(raw, { resolver, ...(signal ? { signal } : {}), ...(options.now !== undefined ? { now: options.now } : {}) }),
    fromDomain !== ''
      ? checkDmarc(fromDomain, { resolver, ...(signal ? { signal } : {}), checkReports: false }).catch((e: unknown) => {
          // Only abort is an exception; a From domain checkDmarc refuses (InputError) is a finding.
          if (signal?.aborted || (e instanceof Error && e.name === 'AbortError')) throw e;
          findings.push({ code: 'verify-dmarc-not-checked', severity: 'warning', message: `DMARC not looked up for ${fromDomain}: ${e instanceof Error ? e.message : String(e)}` });
          return undefined;
        })
      : Promise.resolve(undefined),
  ]);

  if (spf.checked && spf.result !== 'pass') {
    const sev = spf.result === 'fail' || spf.result === 'permerror' ? 'warning' : 'info';
    findings.push({ code: `verify-spf-${spf.result}`, severity: sev, message: `SPF ${spf.result} for ${spf.domain} from ${spf.ip}: ${spf.reason}` });
  }
  if (dkim.length === 0) findings.push({ code: 'verify-dkim-none', severity: 'warning', message: 'The message has no DKIM signature: DMARC can pass only through SPF, which breaks when the message is forwarded. Gmail and Yahoo ask bulk senders to sign.' });
  for (const d of dkim) {
    if (d.result === 'pass') continue;
    findings.push({ code: `verify-${d.code.replace(/^dkim-(sig-)?/, 'dkim-')}`, severity: 'warning', message: `DKIM signature d=${d.d || '(none)'} s=${d.s || '(none)'}: ${d.result} — ${d.reason}` });
  }

  const emptyPolicy: DiscoveredPolicy = { outcome: 'none', domain: fromDomain, orgDomain: fromDomain ? organizationalDomain(fromDomain) : '', recordDomain: null, source: null, record: null, policy: null, domainExists: null };
  const dmarc = dmarcOf(fromDomain, spf, dkim, discovered ?? emptyPolicy);
  if (fromDomain !== '') dmarcFindings(dmarc, spf, findings);
  else dmarc.why = 'DMARC not evaluated: the message has no usable From domain.';

  const cmp = compareResults(h, { spf, dkim, dmarc, receiverOrg: h.border.receiverOrg });
  findings.push(...cmp.findings);
  const over = budgetFinding(budget, 'the rest of the lookups were not made: results that needed them are temperror');
  if (over) findings.push(over);

  return {
    kind: 'verify',
    from: first ? first.address : null,
    fromDomain,
    returnPath: h.returnPath ? h.returnPath.address : null,
    subject: h.subject,
    messageId: h.messageId,
    connection: conn,
    received: h.hops.map((hop, i) => ({ ...hop, role: h.border.verdicts[i]?.role ?? 'internal', why: h.border.verdicts[i]?.why ?? '' })),
    spf,
    dkim,
    dmarc,
    authResults: h.authResults,
    receiverAuthResults: cmp.receiverFields,
    comparisons: cmp.comparisons,
    arc: cmp.arc,
    octets: h.message.octets,
    headerFields: h.message.fields.length,
    findings,
    resolvers: options.resolver.servers(),
    startedAt: new Date(started).toISOString(),
    elapsedMs: Date.now() - started,
  };
}

// "Check mail server": the seed admin's whole checklist at once, for one sending IP, its HELO name
// and the From domain: rDNS chain (RFC 8601 iprev), HELO, SPF for the From domain (RFC 7208 §2.4)
// and for the HELO name (§2.3), the From domain's DKIM key (RFC 6376 §3.6.2.1; a selector given, or
// the common ones) and DMARC policy (RFC 7489 §6.6.3), MX of the From domain (replies and bounces go
// there), blocklists, and optionally an SMTP probe of the server itself. One row per check, each
// with its fix, and a short answer listing what to change, most important first; then whether SPF
// and DKIM could align with the From domain (RFC 7489 §3.1), and where the server stands on what
// Gmail, Yahoo and Outlook.com require of senders (./requirements.ts).
//
// All sub-checks run at once over one resolver (its cache and shared flights avoid asking twice).
// Each keeps its own query budget; together they also count against the combined check's
// (LIMITS.mailcheckQueries), so no zone can make the whole checklist ask without end.
import { checkDkimKey } from '../dkim/check';
import { selectorProblem } from '../dkim/selectors';
import { keyLabel } from '../dkim/text';
import type { DkimKeyResult, DkimSelectorLookup } from '../dkim/types';
import { checkDmarc } from '../dmarc/check';
import { alignmentOf } from '../dmarc/evaluate';
import { txtRecord } from '../dmarc/policy';
import { dmarcStatus, dmarcVerdictWords } from '../dmarc/text';
import type { DmarcResult } from '../dmarc/types';
import { budgetFinding, createBudget, LIMITS, withBudget } from '../dns/budget';
import { checkDnsbl } from '../dnsbl/check';
import { dnsblDecided, dnsblStatus } from '../dnsbl/text';
import { isTemporary, normalizeName, type Resolver } from '../dns/types';
import { checkHelo, type SpfEvaluator } from '../helo/check';
import type { HeloResult } from '../helo/types';
import { heloStatus } from '../helo/text';
import { parseIp } from '../ip';
import type { Finding, Fix, Status } from '../model';
import { checkMx, parseDomain } from '../mx/check';
import { receiversOfMailCheck } from '../receivers/fromChecks';
import { heloRejectCodes, type ReceiverKnobs } from '../receivers/knobs';
import { mxStatus } from '../mx/text';
import { checkRdns, InputError, ptrRecordOwner } from '../rdns/check';
import type { RdnsResult } from '../rdns/types';
import { probeSmtp } from '../smtp/probe';
import { smtpSilent, smtpStatus } from '../smtp/text';
import { checkHost } from '../spf/check';
import { authorizeIp, txtRecordLine } from '../spf/fix';
import type { SpfResult } from '../spf/types';
import { dkimStatus } from '../dkim/text';
import { rdnsStatus } from '../status';
import { senderRequirements } from './requirements';
import type { MailAlignment, MailCheckResult, MailCheckRow } from './types';

export { InputError };

export interface MailServerInput {
  /** The sending server's public IP address. */
  ip: string;
  /** The name it sends in HELO/EHLO. */
  helo: string;
  /** The domain in its From (and envelope) addresses. */
  fromDomain: string;
  /** The DKIM selector it signs with (s= of its DKIM-Signature); absent or empty: the common selectors are tried. */
  dkimSelector?: string;
  /** Also probe an SMTP server: `true` probes the IP itself on port 25. */
  smtp?: boolean | { host?: string; port?: number; ehloName?: string };
}

export interface MailCheckOptions {
  resolver: Resolver;
  signal?: AbortSignal;
  /** Blocklist zones (default: the well-known defaults). */
  dnsblZones?: string[];
  /** The receivers' settings that change the receiver matrix's verdicts (mailDns.receivers.*). */
  receivers?: ReceiverKnobs;
  /** SMTP probe wait per step (default 30000 ms). */
  smtpTimeoutMs?: number;
  /** The SPF evaluator (default: the SPF module's check_host()); `false` leaves both SPF rows out. */
  spf?: SpfEvaluator | false;
  /** DNS queries of all sub-checks together (default 1000): the combined check's query budget. */
  maxQueries?: number;
}

const RANK: Record<Status, number> = { info: 0, pass: 1, warning: 2, fail: 3 };

function worst(rows: { status: Status }[]): Status {
  return rows.reduce<Status>((w, r) => (RANK[r.status] > RANK[w] ? r.status : w), 'pass');
}

function problems(findings: Finding[]): Finding[] {
  return findings.filter((f) => f.severity !== 'info');
}

function firstFix(findings: Finding[]): Fix | undefined {
  return findings.find((f) => f.severity === 'error' && f.fix)?.fix ?? findings.find((f) => f.severity === 'warning' && f.fix)?.fix;
}

/**
 * When the PTR does not confirm but the HELO name resolves to the IP, that name is the one to put
 * in the PTR: then the PTR, the HELO name and the A record all agree (the whole seed story's fix).
 */
function ptrFromHelo(rdns: RdnsResult, helo: HeloResult): Fix | undefined {
  if (rdns.fcrdns === 'pass' || rdns.fcrdns === 'temperror' || !helo.fqdn || helo.matchesIp !== true || helo.syntax.form !== 'domain') return undefined;
  const name = normalizeName(helo.name);
  const owner = ptrRecordOwner(rdns);
  const zone = rdns.findings.find((f) => f.fix?.owner === owner && f.fix.zone)?.fix?.zone;
  return {
    description:
      `Set the PTR of ${rdns.ip} to ${name}, the name this server sends in HELO, whose address record is already ${rdns.ip}: ` +
      `then the PTR, the HELO name and the A record all agree.${zone ? ` The reverse zone ${zone} belongs to whoever holds the address block, usually the ISP or hosting provider.` : ''}`,
    ...(zone ? { zone } : {}),
    owner,
    type: 'PTR',
    ...(rdns.ptr.length > 0 ? { current: rdns.ptr.join(', ') } : {}),
    proposed: name,
    record: `${owner}. 3600 IN PTR ${name}.`,
  };
}

function spfStatus(result: SpfResult['result']): Status {
  return result === 'pass' ? 'pass' : result === 'fail' || result === 'permerror' ? 'fail' : 'warning';
}

export async function checkMailServer(input: MailServerInput, options: MailCheckOptions): Promise<MailCheckResult> {
  const ipParsed = parseIp(input.ip);
  if (!ipParsed.ok) throw new InputError(`ip: ${ipParsed.error}`);
  const ip = ipParsed.ip;
  const heloName = input.helo.trim();
  if (heloName === '') throw new InputError('--helo: give the name the server sends in HELO/EHLO');
  const dom = parseDomain(input.fromDomain);
  if (!dom.ok) throw new InputError(`--from: ${dom.error}`);
  const fromDomain = dom.domain;
  const selectorText = input.dkimSelector?.trim() ?? '';
  const selectorError = selectorText === '' ? undefined : selectorProblem(selectorText);
  if (selectorError) throw new InputError(`--dkim-selector: ${selectorError}`);
  const dkimSelector = selectorText === '' ? null : selectorText.toLowerCase();
  const { signal } = options;
  const budget = createBudget('combined check', options.maxQueries ?? LIMITS.mailcheckQueries);
  const resolver = withBudget(options.resolver, budget);
  signal?.throwIfAborted();
  const started = Date.now();
  const spfEval = options.spf === false ? undefined : (options.spf ?? checkHost);
  const smtpTarget = input.smtp ? (input.smtp === true ? { host: ip, port: 25 } : { host: input.smtp.host ?? ip, port: input.smtp.port ?? 25, ehloName: input.smtp.ehloName }) : undefined;

  const [rdns, helo, spf, dkim, dmarc, mx, dnsbl, smtp] = await Promise.all([
    checkRdns(ip, { resolver, signal, ...(options.receivers?.postfix?.unknownClientRejectCode ? { unknownClientRejectCode: options.receivers.postfix.unknownClientRejectCode } : {}) }),
    checkHelo(heloName, { ip, resolver, signal, spf: spfEval ?? false, postfixCodes: heloRejectCodes(options.receivers) }),
    spfEval ? spfEval({ ip, domain: fromDomain, sender: `postmaster@${fromDomain}`, helo: heloName, identity: 'mailfrom' }, { resolver, signal }) : Promise.resolve(undefined),
    // Each keeps its own budget (DKIM_LIMITS.keyQueries, LIMITS.dmarcQueries) inside the combined one.
    checkDkimKey(dkimSelector, fromDomain, { resolver, signal }),
    checkDmarc(fromDomain, { resolver, signal }),
    checkMx(fromDomain, { resolver, signal }),
    checkDnsbl(ip, { resolver, signal, ...(options.dnsblZones ? { zones: options.dnsblZones } : {}) }),
    smtpTarget
      ? probeSmtp(smtpTarget.host, smtpTarget.port, { resolver, signal, timeoutMs: options.smtpTimeoutMs ?? 30_000, ...(smtpTarget.ehloName ? { ehloName: smtpTarget.ehloName } : {}) })
      : Promise.resolve(undefined),
  ]);

  const rows: MailCheckRow[] = [];

  // rDNS (RFC 8601 iprev): the first thing receivers check.
  {
    // Documentation addresses (RFC 5737, RFC 3849) only appear in examples and demos, where the
    // rDNS check's "special-purpose address" warning would be noise; private ranges still warn.
    const docOnly = rdns.special && /^Documentation/.test(rdns.special.name);
    const rdnsFindings = docOnly ? rdns.findings.filter((f) => f.code !== 'ip-special-purpose') : rdns.findings;
    const status = rdnsStatus({ ...rdns, findings: rdnsFindings });
    const chain = rdns.ptr.length === 0 ? `${ip} has no PTR` : `${ip} → ${rdns.ptr.join(', ')}${rdns.confirmed.length ? ` → ${ip}` : ' → (not back to the IP)'}`;
    rows.push({
      id: 'rdns',
      title: 'Reverse DNS (PTR, forward-confirmed)',
      status,
      decided: rdns.fcrdns !== 'temperror',
      summary: `${chain}: iprev ${rdns.fcrdns}${rdns.loop ? ', the chain loops' : ''}; Postfix reject_unknown_client_hostname: ${rdns.postfix.reject_unknown_client_hostname}`,
      ...(ptrFromHelo(rdns, helo) ?? firstFix(rdnsFindings) ? { fix: ptrFromHelo(rdns, helo) ?? firstFix(rdnsFindings) } : {}),
      findings: problems(rdnsFindings),
    });
  }

  // HELO name.
  {
    const status = heloStatus(helo);
    const verdicts = helo.receivers.filter((r) => r.verdict !== 'accept');
    const what = !helo.syntax.valid
      ? 'not a valid host name'
      : !helo.fqdn && helo.syntax.form === 'domain'
        ? 'not fully qualified'
        : helo.syntax.form === 'address-literal'
          ? `an address literal${helo.literalMatchesIp === false ? ' of another address' : ''}`
          : helo.matchesIp
            ? `resolves to ${ip}${helo.matchesPtr ? ' and is its PTR name' : rdns.ptr.length > 0 ? `, but the PTR of ${ip} is ${rdns.ptr.join(', ')}, not this name` : ''}`
            : helo.resolves
              ? `resolves to ${helo.addresses.join(', ')}, not ${ip}`
              : 'does not resolve';
    rows.push({
      id: 'helo',
      title: 'HELO name',
      status,
      // A reject is certain whatever the DNS said; otherwise a defer means DNS trouble left it open.
      decided: Object.values(helo.postfix).includes('reject') || !Object.values(helo.postfix).includes('defer'),
      // Name the rules that reject; a defer next to a reject (DNS trouble for a name already refused) is noise.
      summary: `${JSON.stringify(heloName)}: ${what}${verdicts.length ? `; Postfix ${(verdicts.some((v) => v.verdict === 'reject') ? verdicts.filter((v) => v.verdict === 'reject') : verdicts).map((v) => `${v.rule} ${v.verdict}s${v.reply ? ` "${v.reply}"` : ''}`).join('; ')}` : ''}`,
      ...(firstFix(helo.findings) ? { fix: firstFix(helo.findings) } : {}),
      findings: problems(helo.findings),
    });
  }

  // SPF for the From domain (RFC 7208 §2.4, the MAIL FROM identity).
  if (spf) {
    const status = spfStatus(spf.result);
    let fix: Fix | undefined;
    if (spf.result !== 'pass' && spf.result !== 'temperror') {
      const record = spf.tree.record;
      if (spf.result === 'permerror' && record !== undefined) {
        fix = firstFix(spf.findings) ?? { description: `Repair the SPF record of ${fromDomain}: ${spf.reason}`, owner: fromDomain, type: 'TXT', current: record };
      } else {
        const edit = authorizeIp(record, ip, { hasMx: mx.hosts.some((h) => h.usable && h.kind === 'name') });
        fix = {
          description: record === undefined ? `Publish an SPF record for ${fromDomain} that lists ${ip}.` : `Add ${edit.added} to the SPF record of ${fromDomain}, so that it authorizes this server.`,
          owner: fromDomain,
          type: 'TXT',
          ...(record !== undefined ? { current: record } : {}),
          proposed: edit.record,
          record: txtRecordLine(fromDomain, edit.record),
        };
      }
    }
    rows.push({
      id: 'spf-from',
      title: `SPF for the From domain (${fromDomain})`,
      status,
      decided: spf.result !== 'temperror',
      summary: spf.reason.startsWith(spf.result) ? spf.reason : `${spf.result}: ${spf.reason}`,
      ...(fix ? { fix } : {}),
      findings: problems(spf.findings),
    });
  }

  // SPF for the HELO identity (RFC 7208 §2.3).
  if (spfEval) {
    const s = helo.spf;
    const f = helo.findings.filter((x) => x.code.startsWith('helo-spf-'));
    // Even "none" carries a fix (publish a record), though it is no failure.
    const fix = f.find((x) => x.fix)?.fix;
    rows.push({
      id: 'spf-helo',
      title: 'SPF for the HELO name',
      status: !s ? 'info' : s.result === 'none' ? 'info' : spfStatus(s.result),
      decided: !s || s.result !== 'temperror',
      summary: s ? (s.reason.startsWith(s.result) ? s.reason : `${s.result}: ${s.reason}`) : `not checked: ${JSON.stringify(heloName)} is not a domain name`,
      ...(fix ? { fix } : {}),
      findings: problems(f),
    });
  }

  rows.push(dkimRow(dkim, fromDomain));
  rows.push(dmarcRow(dmarc));

  // MX of the From domain: where replies and bounces go.
  {
    const usable = mx.hosts.filter((h) => h.usable);
    rows.push({
      id: 'mx',
      title: `MX of ${fromDomain} (where replies go)`,
      status: mxStatus(mx),
      decided: !problems(mx.findings).some((f) => f.code.startsWith('dns-')) || usable.length > 0,
      summary: mx.nullMx && !mx.receivesMail
        ? `${fromDomain} publishes a null MX: it accepts no replies`
        : usable.length
          ? `${usable.map((h) => `${h.preference} ${h.exchange}`).join(', ')}${mx.implicit ? ' (implicit: no MX record)' : ''}`
          : `${fromDomain} cannot receive mail`,
      ...(firstFix(mx.findings) ? { fix: firstFix(mx.findings) } : {}),
      findings: problems(mx.findings),
    });
  }

  // Blocklists.
  {
    const refused = dnsbl.zones.filter((z) => z.status === 'refused' || z.status === 'error').map((z) => z.zone);
    rows.push({
      id: 'dnsbl',
      title: 'Blocklists',
      status: dnsblStatus(dnsbl),
      decided: dnsblDecided(dnsbl),
      summary:
        dnsbl.listed.length > 0
          ? `listed on ${dnsbl.listed.join(', ')}`
          : `not listed on ${dnsbl.zones.filter((z) => z.status === 'not-listed').length} of ${dnsbl.zones.length} lists${refused.length ? `; no answer from ${refused.join(', ')}` : ''}`,
      ...(firstFix(dnsbl.findings) ? { fix: firstFix(dnsbl.findings) } : {}),
      findings: problems(dnsbl.findings),
    });
  }

  // SMTP probe of the server itself.
  if (smtp) {
    const g = smtp.greeting;
    rows.push({
      id: 'smtp',
      title: `SMTP probe (${smtp.host} port ${smtp.port})`,
      status: smtpStatus(smtp),
      decided: smtp.connected && !smtpSilent(smtp),
      summary: !smtp.connected
        ? problems(smtp.findings)[0]?.message ?? 'could not connect'
        : `greeting ${g?.code ?? '—'}${g?.name ? ` as ${g.name}` : ''}; ${smtp.ehlo ? `${smtp.ehlo.command} ${smtp.ehlo.reply.code}${smtp.ehlo.name ? ` as ${smtp.ehlo.name}` : ''}` : 'no EHLO'}; STARTTLS ${smtp.starttls.ok ? 'ok' : smtp.starttls.offered ? 'failed' : 'not offered'}`,
      ...(firstFix(smtp.findings) ? { fix: firstFix(smtp.findings) } : {}),
      findings: problems(smtp.findings),
    });
  }

  const status = worst(rows);
  const answer: string[] = [];
  for (const sev of ['fail', 'warning'] as const) {
    for (const r of rows.filter((x) => x.status === sev)) {
      const mark = sev === 'fail' ? '✗' : '!';
      answer.push(r.fix ? `${mark} ${r.title}: ${r.fix.description}${r.fix.record ? ` Record: ${r.fix.record}` : ''}` : `${mark} ${r.title}: ${r.summary}.`);
    }
  }
  const findings: Finding[] = [];
  const overBudget = budgetFinding(budget, 'The sub-checks show what it did not ask as DNS trouble (rcode BUDGET).');
  if (overBudget) {
    findings.push(overBudget);
    answer.push(`! ${overBudget.message}`);
  }
  if (answer.length === 0) answer.push(`Nothing found that makes receivers refuse mail from ${ip} as ${heloName} for ${fromDomain}.`);
  else if (rows.some((r) => !r.decided)) answer.push('Some checks could not decide (DNS trouble or a list that refused to answer): run the check again, or from another network.');

  const alignment = alignmentNote(fromDomain, spf, dkim, dmarc);
  const rowOf = (id: MailCheckRow['id']): MailCheckRow | undefined => rows.find((r) => r.id === id);
  const usable = usableKeys(dkim);
  const requirements = senderRequirements({
    fromDomain,
    spf: spf ? { result: spf.result, summary: rowOf('spf-from')?.summary ?? spf.reason } : null,
    dkim: {
      usableSelectors: usable.map((l) => l.selector),
      selectorGiven: dkimSelector !== null,
      // Without a selector, finding none proves nothing: the one in use may not be a common one.
      undecided: usable.length === 0 && (dkimSelector === null || !rowOf('dkim')!.decided),
      summary: rowOf('dkim')!.summary,
    },
    dmarc: {
      outcome: dmarc.verdict === 'enforcing' || dmarc.verdict === 'monitoring' ? 'found' : dmarc.verdict === 'temperror' ? 'temperror' : dmarc.verdict === 'none' ? 'none' : 'broken',
      summary: rowOf('dmarc')!.summary,
    },
    alignment: {
      spf: alignment.spf.aligned,
      dkim: alignment.dkim.aligned,
      summary: `SPF: ${alignment.spf.why} DKIM: ${alignment.dkim.why}`,
    },
    fcrdns: { result: rdns.fcrdns, summary: rowOf('rdns')!.summary },
    tls: smtp ? { probed: true, connected: smtp.connected, offered: smtp.starttls.offered, ok: smtp.starttls.ok === true, target: `${smtp.host} port ${smtp.port}` } : { probed: false },
  });

  return {
    kind: 'mailcheck',
    ip,
    heloName,
    fromDomain,
    dkimSelector,
    status,
    rows,
    answer,
    alignment,
    requirements,
    findings,
    results: { rdns, helo, ...(spf ? { spf } : {}), dkim, dmarc, mx, dnsbl, ...(smtp ? { smtp } : {}) },
    receivers: receiversOfMailCheck({ ip, heloName, fromDomain, results: { rdns, helo, spf, mx, dmarc, dnsbl, dkim }, dkimCanAlign: alignment.dkim.aligned, requirements, ...(options.receivers ? { knobs: options.receivers } : {}) }),
    resolvers: resolver.servers(),
    startedAt: new Date(started).toISOString(),
    elapsedMs: Date.now() - started,
  };
}

/** What the key parser reports for keys that verify but receivers must not accept (RFC 8301 §3.1, §3.2): the verifier's `policy`. */
const REFUSED_KEY = new Set(['dkim-key-too-small', 'dkim-key-no-sha256']);

/** The key records a verifier could use, as the key parser judged them: not discarded (RFC 6376 §3.6.1) nor refused. */
function usableKeys(dkim: DkimKeyResult): DkimSelectorLookup[] {
  return dkim.lookups.filter((l) => {
    const p = l.parsed;
    return p !== undefined && p.usable && p.key.type !== null && !p.problems.some((x) => REFUSED_KEY.has(x.code));
  });
}

/** The DKIM key row: the selector given, or the common ones tried (and that selectors cannot be listed). */
function dkimRow(dkim: DkimKeyResult, fromDomain: string): MailCheckRow {
  const lookups = dkim.lookups;
  const temporary = lookups.filter((l) => isTemporary(l.rcode));
  const shown = lookups.find((l) => l.name === dkim.name) ?? lookups[0];
  const via = (l: DkimSelectorLookup): string => (l.cnames.length > 0 ? ` (CNAME → ${l.cnames[l.cnames.length - 1].target})` : '');
  let summary: string;
  let fix: Fix | undefined = firstFix(dkim.findings);
  if (dkim.selector !== null) {
    summary = isTemporary(shown.rcode)
      ? `${dkim.name}: the lookup failed (${shown.rcode})`
      : dkim.record === null
        ? `no key at ${dkim.name}${via(shown)} (${shown.rcode === 'NXDOMAIN' ? 'no such name' : 'no TXT record'})`
        : `${dkim.name}${via(shown)}: ${keyLabel(dkim)}${dkim.testing ? ', testing (t=y)' : ''}`;
  } else {
    const tried = `${lookups.length} common selectors tried; DKIM selectors cannot be listed from DNS`;
    const found = lookups.filter((l) => l.records.length > 0);
    summary =
      found.length > 0
        ? `${found.map((l) => `${l.selector}${via(l)}: ${l.parsed ? keyLabel({ record: l.parsed.text, revoked: l.parsed.revoked, key: l.parsed.key }) : 'key record'}`).join('; ')} (${tried})`
        : `no key under the ${tried}: give the selector (s= of a DKIM-Signature of a message this server sent)`;
    if (found.length === 0) {
      fix = {
        description:
          `Give the selector this server signs with (the s= of a DKIM-Signature in a message it sent) and check again: DKIM selectors cannot be listed from DNS. ` +
          `If it does not sign, set up DKIM signing for ${fromDomain} (e.g. OpenDKIM with a 2048-bit key from opendkim-genkey) and publish its public key at <selector>._domainkey.${fromDomain}.`,
        owner: `<selector>._domainkey.${fromDomain}`,
        type: 'TXT',
      };
    }
  }
  return {
    id: 'dkim',
    title: dkim.selector !== null ? `DKIM key (${dkim.name})` : `DKIM key (common selectors of ${fromDomain})`,
    status: dkimStatus(dkim),
    decided: dkim.selector !== null ? !isTemporary(shown.rcode) : usableKeys(dkim).length > 0 || temporary.length === 0,
    summary,
    ...(fix ? { fix } : {}),
    findings: problems(dkim.findings),
  };
}

/** The DMARC row: the policy receivers find for the From domain, and the record to publish when there is none. */
function dmarcRow(dmarc: DmarcResult): MailCheckRow {
  const where = dmarc.recordDomain ? `_dmarc.${dmarc.recordDomain}${dmarc.source === 'organizational' ? ' (the organizational domain\'s)' : ''}` : '';
  const policy = dmarc.policy;
  const summary =
    dmarc.verdict === 'enforcing' || dmarc.verdict === 'monitoring'
      ? `${dmarc.applied ? `${dmarc.applied.tag}=${dmarc.applied.value}` : 'a policy'} from ${where}${policy && policy.pct < 100 ? `, pct=${policy.pct}` : ''}${policy ? `; adkim=${policy.adkim}, aspf=${policy.aspf}` : ''}${dmarc.verdict === 'monitoring' ? ': monitoring only' : ''}`
      : dmarc.verdict === 'none'
        ? `no DMARC record at _dmarc.${dmarc.domain}${dmarc.orgDomain !== dmarc.domain ? ` nor at _dmarc.${dmarc.orgDomain}` : ''}`
        : `${dmarcVerdictWords(dmarc)}${where ? ` (${where})` : ''}`;
  let fix = firstFix(dmarc.findings);
  // p=none: the next step, as a record to copy (after 2–4 weeks of clean reports).
  const p = dmarc.parsed?.tags.find((t) => t.name === 'p');
  if (!fix && dmarc.verdict === 'monitoring' && dmarc.record && dmarc.recordDomain && p && dmarc.applied?.tag === 'p') {
    const owner = `_dmarc.${dmarc.recordDomain}`;
    const proposed = dmarc.record.slice(0, p.valueStart) + 'quarantine' + dmarc.record.slice(p.valueEnd);
    fix = {
      description: `p=none only monitors. When the aggregate reports show every service that sends as ${dmarc.recordDomain} passing with aligned SPF or DKIM (after 2–4 weeks), change p=none to p=quarantine at ${owner}; a few weeks later, to p=reject.`,
      owner,
      type: 'TXT',
      current: dmarc.record,
      proposed,
      record: txtRecord(owner, proposed),
    };
  }
  return {
    id: 'dmarc',
    title: `DMARC policy of ${dmarc.domain}`,
    status: dmarcStatus(dmarc),
    decided: dmarc.verdict !== 'temperror',
    summary,
    ...(fix ? { fix } : {}),
    findings: problems(dmarc.findings),
  };
}

const MESSAGE_CAVEAT =
  'Without a message, only the domains can be compared: whether a message really carries a DKIM-Signature with d= the From domain that verifies, and which envelope sender (Return-Path) it used, shows only in the message itself. ' +
  'Run "Mail DNS: Check a received message" (maildns verify <message.eml>) on one this server sent.';

/** RFC 7489 §3.1: could SPF and a DKIM signature align with the From domain, under its record's aspf/adkim? */
function alignmentNote(fromDomain: string, spf: SpfResult | undefined, dkim: DkimKeyResult, dmarc: DmarcResult): MailAlignment {
  const aspf = dmarc.policy?.aspf ?? 'r';
  const adkim = dmarc.policy?.adkim ?? 'r';
  const word = (m: 'r' | 's'): string => (m === 's' ? 'strict' : 'relaxed');
  const modes = dmarc.policy && dmarc.recordDomain ? `(aspf=${aspf}, _dmarc.${dmarc.recordDomain})` : '(aspf=r: no DMARC record applies, so the default)';
  // SPF was evaluated for postmaster@<From domain>: the envelope sender's domain is the From domain.
  const spfMatch = alignmentOf(fromDomain, fromDomain, aspf);
  const spfPart: MailAlignment['spf'] = !spf
    ? { domain: fromDomain, mode: aspf, result: null, aligned: null, why: 'SPF was not evaluated.' }
    : spf.result === 'pass'
      ? {
          domain: fromDomain,
          mode: aspf,
          result: spf.result,
          aligned: spfMatch.matches,
          why: `${spf.ip} passes SPF of ${fromDomain}, the From domain itself: aligned in ${word(aspf)} mode ${modes}, as long as the envelope sender (Return-Path) is @${fromDomain} too. A bounce address in another domain (a mail service's) aligns only when it is ${aspf === 's' ? fromDomain + ' exactly' : `under ${fromDomain}'s organizational domain`}.`,
        }
      : {
          domain: fromDomain,
          mode: aspf,
          result: spf.result,
          aligned: spf.result === 'temperror' ? null : false,
          why: `SPF ${spf.result} for ${fromDomain}: only an SPF pass can align, so DMARC rests on DKIM alone.`,
        };
  const usable = usableKeys(dkim).map((l) => l.selector);
  const dkimMatch = alignmentOf(fromDomain, fromDomain, adkim);
  const dkimModes = dmarc.policy && dmarc.recordDomain ? `(adkim=${adkim}, _dmarc.${dmarc.recordDomain})` : '(adkim=r: the default)';
  const undecided = dkim.lookups.length > 0 && dkim.lookups.every((l) => isTemporary(l.rcode));
  const dkimPart: MailAlignment['dkim'] =
    usable.length > 0
      ? {
          domain: fromDomain,
          mode: adkim,
          selectors: usable,
          aligned: dkimMatch.matches,
          why: `A usable key is published under ${fromDomain} (selector ${usable.join(', ')}): a signature with d=${fromDomain} and that selector would align in ${word(adkim)} mode ${dkimModes}. A signature with d= a mail service's own domain would not${adkim === 'r' ? ' (unless it is under the same organizational domain)' : ''}.`,
        }
      : {
          domain: fromDomain,
          mode: adkim,
          selectors: [],
          // No selector given and none of the common ones found: the one in use may be another, so cannot tell.
          aligned: undecided || dkim.selector === null ? null : false,
          why: undecided
            ? `The DKIM key lookups failed (DNS trouble): whether a signature with d=${fromDomain} could verify is unknown.`
            : dkim.selector !== null
              ? `No usable key at ${dkim.name}: a signature with d=${fromDomain} and s=${dkim.selector} cannot verify, so it cannot align.`
              : `No usable key under the common selectors of ${fromDomain}, but the selector in use may be another: give it (the s= of a DKIM-Signature) to tell whether a signature with d=${fromDomain} could verify.`,
        };
  return { fromDomain, modesFrom: dmarc.policy && dmarc.recordDomain ? `_dmarc.${dmarc.recordDomain}` : null, spf: spfPart, dkim: dkimPart, caveat: MESSAGE_CAVEAT };
}

/** Exit status of the combined check: 0 pass, 1 something fails, 2 nothing fails but something could not decide. */
export function mailCheckExit(r: MailCheckResult): number {
  if (r.rows.some((x) => x.status === 'fail' && x.decided)) return 1;
  if (r.rows.some((x) => !x.decided)) return 2;
  return r.rows.some((x) => x.status === 'fail') ? 1 : 0;
}

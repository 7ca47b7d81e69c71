// "Check DMARC": the policy receivers find for a domain (RFC 7489 §6.6.3), every tag of it, and
// whether its report addresses may receive reports (RFC 7489 §7.1).
//
// Policy discovery, as receivers do it: TXT at _dmarc.<domain>; records not starting with v=DMARC1
// are discarded; when none is left, TXT at _dmarc.<organizational domain> (Public Suffix List,
// RFC 7489 §3.2); several records, or none, mean no DMARC at all. A record receivers cannot use (no
// valid p) counts as p=none when it has a valid rua (§6.6.3 step 6), else as none. DNS trouble is
// data (a `dns-*` finding, verdict temperror), never an exception; only bad input and abort throw.
// Every question counts against the check's query budget (../dns/budget.ts LIMITS.dmarcQueries).
import { budgetFinding, createBudget, LIMITS, withBudget } from '../dns/budget';
import { isTemporary, type LookupResult, type Resolver } from '../dns/types';
import { findZone } from '../dns/zone';
import type { Finding, Fix } from '../model';
import { InputError } from '../rdns/check';
import { dmarcTarget } from './input';
import { applyReplacement, isDmarcRecord, parseDmarc } from './parse';
import { appliedPolicy, effectivePolicy, NEXT_STEPS, starterRecord, txtRecord } from './policy';
import { organizationalDomain, PSL } from './psl';
import type { DmarcLookup, DmarcResult, ParsedDmarc, ReportAuthorization } from './types';

export { InputError };
export { appliedPolicy, effectivePolicy, NEXT_STEPS, policyFromRecord, starterRecord, txtRecord } from './policy';

export interface DmarcOptions {
  resolver: Resolver;
  signal?: AbortSignal;
  /** Look up the `_report._dmarc` authorization of report addresses in other domains (default true). */
  checkReports?: boolean;
  /** DNS queries in all (default LIMITS.dmarcQueries). */
  maxQueries?: number;
}

/** A TXT record as receivers read it: its character-strings joined with no separator. */
function txtOf(r: LookupResult): string[] {
  return r.records.filter((x) => x.type === 'TXT').map((x) => (x.data as string[]).join(''));
}

function dnsCode(rcode: string): string {
  return rcode === 'TIMEOUT' ? 'dns-timeout' : rcode === 'SERVFAIL' ? 'dns-servfail' : rcode === 'REFUSED' ? 'dns-refused' : `dns-${rcode.toLowerCase()}`;
}

export async function checkDmarc(inputText: string, options: DmarcOptions): Promise<DmarcResult> {
  const target = dmarcTarget(inputText);
  if (!target.ok) throw new InputError(target.error);
  const { domain } = target;
  const { signal } = options;
  signal?.throwIfAborted();
  const started = Date.now();
  const budget = createBudget('DMARC check', options.maxQueries ?? LIMITS.dmarcQueries);
  const resolver = withBudget(options.resolver, budget);
  const orgDomain = organizationalDomain(domain);
  const findings: Finding[] = [];
  const lookups: DmarcLookup[] = [];

  const lookupTxt = async (role: DmarcLookup['role'], name: string): Promise<{ r: LookupResult; l: DmarcLookup }> => {
    const r = await resolver.lookup(name, 'TXT', { signal });
    const l: DmarcLookup = {
      role,
      name,
      type: 'TXT',
      rcode: r.rcode,
      records: txtOf(r),
      cnames: r.cnames.map((c) => ({ name: c.name, target: c.target })),
      dig: resolver.dig(name, 'TXT'),
      ...(r.error && isTemporary(r.rcode) ? { error: r.error } : {}),
    };
    lookups.push(l);
    return { r, l };
  };

  // RFC 7489 §6.6.3 steps 1–2: the From domain's own records that start with v=DMARC1.
  let found = await lookupTxt('policy', `_dmarc.${domain}`);
  let source: DmarcResult['source'] = 'domain';
  let recordDomain = domain;
  let records = found.l.records.filter(isDmarcRecord);
  noteOtherTxt(found.l, findings);
  // Steps 3–4: none at the domain, so the organizational domain's.
  if (!isTemporary(found.r.rcode) && records.length === 0 && orgDomain !== domain) {
    found = await lookupTxt('organizational', `_dmarc.${orgDomain}`);
    source = 'organizational';
    recordDomain = orgDomain;
    records = found.l.records.filter(isDmarcRecord);
    noteOtherTxt(found.l, findings);
  }
  for (const l of lookups) noteCname(l, findings, records.length > 0 && l === found.l);

  const base = {
    kind: 'dmarc' as const,
    domain,
    ...(target.address ? { input: inputText.trim() } : {}),
    orgDomain,
    psl: PSL,
    pslDate: PSL.date,
    lookups,
    resolvers: resolver.servers(),
    startedAt: new Date(started).toISOString(),
  };
  const finish = (rest: Omit<DmarcResult, keyof typeof base | 'elapsedMs'>): DmarcResult => {
    const over = budgetFinding(budget, 'What it did not ask is shown as DNS trouble (rcode BUDGET).');
    if (over) rest.findings.push(over);
    return { ...base, ...rest, elapsedMs: Date.now() - started };
  };
  const none = { record: null, recordDomain: null, source: null, policy: null, parsed: null, applied: null, domainExists: null, reports: [] as ReportAuthorization[] };

  if (isTemporary(found.r.rcode)) {
    findings.unshift({
      code: dnsCode(found.r.rcode),
      severity: 'error',
      message: `The TXT query for ${found.l.name} failed: ${found.l.error ?? found.r.rcode}. Whether ${domain} has a DMARC policy is unknown; receivers defer the mail or deliver it without DMARC, as they choose (RFC 7489 §6.6.3).`,
      dig: found.l.dig,
    });
    return finish({ ...none, outcome: 'temperror', verdict: 'temperror', findings });
  }

  if (records.length === 0) {
    const starter = starterRecord(orgDomain);
    const zone = await findZone(resolver, starter.owner, signal).catch(() => undefined);
    const fix: Fix = {
      description: `Publish a DMARC record at ${starter.owner}, which covers ${orgDomain} and every subdomain without a record of its own. Start with p=none and a rua= mailbox you read (it must exist). ${NEXT_STEPS}`,
      ...(zone ? { zone } : {}),
      owner: starter.owner,
      type: 'TXT',
      proposed: starter.text,
      record: starter.record,
    };
    const where = orgDomain !== domain ? `_dmarc.${domain} nor at _dmarc.${orgDomain} (its organizational domain)` : `_dmarc.${domain}`;
    findings.unshift({
      code: 'dmarc-none',
      severity: 'error',
      message: `No DMARC record at ${where}: receivers apply no DMARC policy, anyone can send mail From ${domain}, and Gmail, Yahoo and Microsoft refuse or junk bulk mail From a domain without one (since 2024).`,
      dig: lookups[lookups.length - 1].dig,
      fix,
    });
    return finish({ ...none, outcome: 'none', verdict: 'none', findings });
  }

  const owner = `_dmarc.${recordDomain}`;
  if (records.length > 1) {
    findings.unshift({
      code: 'dmarc-multiple',
      severity: 'error',
      message: `${owner} has ${records.length} DMARC records (${records.map((r) => JSON.stringify(r)).join(', ')}). Receivers then apply no DMARC at all (RFC 7489 §6.6.3 step 5): keep exactly one.`,
      dig: found.l.dig,
      fix: { description: `Delete all but one DMARC record at ${owner}, and put what the others said into it.`, owner, type: 'TXT', current: records.join(' | ') },
    });
    return finish({ ...none, recordDomain, source, outcome: 'none', verdict: 'broken', findings });
  }

  const record = records[0];
  const parsed = parseDmarc(record);
  for (const p of parsed.problems) {
    const fixed = applyReplacement(record, p);
    findings.push({
      code: p.code,
      severity: p.severity,
      message: p.message,
      dig: found.l.dig,
      start: p.start,
      end: p.end,
      ...(fixed !== undefined ? { fix: { description: `Change the record at ${owner} to: ${fixed}`, owner, type: 'TXT', current: record, proposed: fixed, record: txtRecord(owner, fixed) } } : {}),
    });
  }
  const policy = effectivePolicy(parsed);
  if (!policy) {
    findings.unshift({
      code: 'dmarc-unusable',
      severity: 'error',
      message: `The record at ${owner} has no valid p= and no valid rua=: receivers apply no DMARC to mail From ${domain} (RFC 7489 §6.6.3 step 6).`,
      dig: found.l.dig,
    });
    return finish({ ...none, recordDomain, source, record, parsed, outcome: 'permerror', verdict: 'broken', findings });
  }
  if (!parsed.usable) {
    findings.unshift({
      code: 'dmarc-p-none-fallback',
      severity: 'error',
      message: `The record at ${owner} has no valid p= (or an invalid sp=), but a valid rua=: receivers act as if it said p=none (RFC 7489 §6.6.3 step 6). Your policy is not enforced.`,
      dig: found.l.dig,
    });
  }
  if (source === 'domain' && domain !== orgDomain && parsed.tags.some((t) => t.name === 'sp')) {
    const sp = parsed.tags.find((t) => t.name === 'sp')!;
    findings.push({
      code: 'dmarc-sp-ignored',
      severity: 'info',
      message: `sp= in the record of ${domain} does nothing: receivers look up a subdomain's record only at the subdomain itself and at ${orgDomain}, never at ${domain} (RFC 7489 §6.3, §6.6.3).`,
      dig: found.l.dig,
      start: sp.start,
      end: sp.end,
    });
  }

  // RFC 9091: np applies to non-existent subdomains; whether this one exists takes A, AAAA and MX.
  let domainExists: boolean | null = null;
  if (source === 'organizational' && policy.np && policy.np !== (policy.sp ?? policy.p)) domainExists = await exists(domain);
  const applied = appliedPolicy(policy, domain, recordDomain, domainExists);
  const reports = options.checkReports === false ? [] : await authorizeReports(parsed, recordDomain);

  const verdict = applied?.value === 'none' ? 'monitoring' : 'enforcing';
  if (!findings.some((f) => f.severity !== 'info')) {
    findings.push({ code: 'dmarc-ok', severity: 'info', message: `${domain}: ${applied ? `${applied.tag}=${applied.value}` : 'policy'} from ${owner}, applied to all failing mail; nothing to fix.`, dig: found.l.dig });
  }
  return finish({
    record,
    recordDomain,
    source,
    policy,
    parsed,
    applied,
    domainExists,
    reports,
    outcome: 'found',
    verdict,
    findings,
  });

  async function exists(name: string): Promise<boolean | null> {
    const rs = await Promise.all((['A', 'AAAA', 'MX'] as const).map((type) => resolver.lookup(name, type, { signal })));
    rs.forEach((r, i) => {
      const type = (['A', 'AAAA', 'MX'] as const)[i];
      lookups.push({ role: 'exists', name, type, rcode: r.rcode, records: r.records.map((x) => (typeof x.data === 'string' ? x.data : JSON.stringify(x.data))), cnames: r.cnames.map((c) => ({ name: c.name, target: c.target })), dig: resolver.dig(name, type) });
    });
    if (rs.some((r) => r.records.length > 0)) return true;
    if (rs.some((r) => isTemporary(r.rcode))) return null;
    return false;
  }

  async function authorizeReports(p: ParsedDmarc, recordDom: string): Promise<ReportAuthorization[]> {
    const byHost = new Map<string, ReportAuthorization>();
    for (const tag of p.tags) {
      if ((tag.name !== 'rua' && tag.name !== 'ruf') || !tag.uris) continue;
      for (const u of tag.uris) {
        if (!u.valid || !u.host) continue;
        let a = byHost.get(u.host);
        if (!a) {
          const external = organizationalDomain(u.host) !== organizationalDomain(recordDom);
          a = { uris: [], tags: [], host: u.host, external, status: external ? 'not-checked' : 'internal' };
          byHost.set(u.host, a);
        }
        a.uris.push(u.text);
        if (!a.tags.includes(tag.name)) a.tags.push(tag.name);
      }
    }
    const all = [...byHost.values()];
    const external = all.filter((a) => a.external);
    await Promise.all(
      external.map(async (a, i) => {
        // RFC 7489 §7.1: <domain the policy was retrieved from>._report._dmarc.<destination host>.
        a.name = `${recordDom}._report._dmarc.${a.host}`;
        a.dig = resolver.dig(a.name, 'TXT');
        if (i >= LIMITS.dmarcReportHosts) return;
        const { l } = await lookupTxt('report', a.name);
        const ok = l.records.filter(isDmarcRecord);
        if (isTemporary(l.rcode)) a.status = 'temperror';
        else if (ok.length > 0) {
          a.status = 'authorized';
          a.record = ok[0];
          const override = parseDmarc(ok[0]).policy;
          if (override.rua.length > 0 || override.ruf.length > 0) {
            a.override = { ...(override.rua.length ? { rua: override.rua } : {}), ...(override.ruf.length ? { ruf: override.ruf } : {}) };
          }
        } else a.status = 'not-authorized';
      }),
    );
    for (const a of external) {
      const what = a.tags.map((t) => (t === 'rua' ? 'aggregate' : 'failure')).join(' and ');
      if (a.status === 'not-authorized') {
        const rec = txtRecord(a.name!, 'v=DMARC1');
        findings.push({
          code: 'dmarc-report-unauthorized',
          severity: 'warning',
          message: `${a.uris.join(', ')} is in another organization's domain (${a.host}), which has not agreed to receive ${what} reports for ${recordDom}: there is no v=DMARC1 record at ${a.name}, so receivers send these reports nowhere (RFC 7489 §7.1).`,
          dig: a.dig,
          fix: { description: `Ask whoever runs ${a.host} (your DMARC report service) to publish the authorization record, or send reports to an address in ${recordDom}.`, owner: a.name, type: 'TXT', proposed: 'v=DMARC1', record: rec },
        });
      } else if (a.status === 'temperror') {
        findings.push({ code: 'dmarc-report-temperror', severity: 'warning', message: `The authorization of ${a.host} to receive reports for ${recordDom} could not be looked up (${a.name} TXT failed): receivers retry, or send no reports there meanwhile (RFC 7489 §7.1).`, dig: a.dig });
      } else if (a.status === 'not-checked') {
        findings.push({ code: 'dmarc-report-unchecked', severity: 'info', message: `The authorization of ${a.host} was not looked up: the check looks up at most ${LIMITS.dmarcReportHosts} report hosts (its budget).`, dig: a.dig });
      } else if (a.override) {
        findings.push({ code: 'dmarc-report-redirected', severity: 'info', message: `${a.host} agrees to receive reports for ${recordDom}, and its record at ${a.name} sends them on to ${[...(a.override.rua ?? []), ...(a.override.ruf ?? [])].join(', ')} (RFC 7489 §7.1 step 8).`, dig: a.dig });
      }
    }
    return all;
  }
}

/** TXT records at a _dmarc name that are not DMARC records: ignored by receivers, broken DMARC when they look like it. */
function noteOtherTxt(l: DmarcLookup, findings: Finding[]): void {
  let listed = 0;
  let unlisted = 0;
  for (const text of l.records) {
    if (isDmarcRecord(text)) continue;
    // A flood of unrelated TXT records: a few named, the rest counted in one finding.
    if (listed >= LIMITS.dmarcOtherTxtListed) {
      unlisted += 1;
      continue;
    }
    listed += 1;
    if (/dmarc/i.test(text)) {
      const first = parseDmarc(text).problems.find((p) => p.severity === 'error');
      const fixed = first ? applyReplacement(text, first) : undefined;
      findings.push({
        code: 'dmarc-not-dmarc',
        severity: 'error',
        message: `The TXT record ${JSON.stringify(text)} at ${l.name} looks like DMARC but receivers ignore it: ${first?.message ?? 'it does not start with v=DMARC1'}.`,
        dig: l.dig,
        ...(fixed !== undefined && isDmarcRecord(fixed) ? { fix: { description: `Change the record at ${l.name} to: ${fixed}`, owner: l.name, type: 'TXT', current: text, proposed: fixed, record: txtRecord(l.name, fixed) } } : {}),
      });
    } else {
      findings.push({ code: 'dmarc-other-txt', severity: 'info', message: `The TXT record ${JSON.stringify(text.length > 120 ? `${text.slice(0, 120)}…` : text)} at ${l.name} is not a DMARC record; receivers ignore it (RFC 7489 §6.6.3 step 2).`, dig: l.dig });
    }
  }
  if (unlisted > 0) {
    findings.push({ code: 'dmarc-other-txt', severity: 'info', message: `${unlisted} more TXT record${unlisted === 1 ? '' : 's'} at ${l.name} (not listed here) are not DMARC records either; receivers ignore them.`, dig: l.dig });
  }
}

/** A _dmarc name that is an alias: receivers follow it, so the policy lives where it points. */
function noteCname(l: DmarcLookup, findings: Finding[], applies: boolean): void {
  if (l.cnames.length === 0 || l.role === 'report') return;
  const target = l.cnames[l.cnames.length - 1].target;
  const dangling = l.rcode === 'NXDOMAIN' || l.records.length === 0;
  findings.push({
    code: 'dmarc-cname',
    severity: dangling ? 'warning' : 'info',
    message: dangling
      ? `${l.name} is an alias (CNAME) of ${target}, which has no TXT record${l.rcode === 'NXDOMAIN' ? ' (NXDOMAIN)' : ''}: the alias points nowhere, so there is no policy here. Remove the CNAME or have ${target} published.`
      : `${l.name} is an alias (CNAME) of ${target}: receivers follow it, so ${applies ? 'the policy that applies' : 'what is found here'} is whatever ${target} says. Whoever runs that zone (often a DMARC service) controls this domain's policy.`,
    dig: l.dig,
  });
}

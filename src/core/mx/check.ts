// "Check MX for domain": where mail for a domain goes, in the order senders try it, and whether each
// host can take it.
//
// RFC 5321 §5.1: senders look up MX, try hosts by preference (lowest first), and without MX records
// use the domain's own address ("implicit MX"). RFC 7505: a single MX `0 .` (null MX) says the domain
// accepts no mail, and must stand alone. RFC 2181 §10.3: an MX target must not be an alias (CNAME).
// RFC 1035 §3.3.9: the target is a domain name, never an address.
//
// Each host's addresses get the rDNS check (forward-confirmed reverse DNS): receiving does not need
// it, but the MX host is often the server that sends the domain's mail too (the seed's Exchange).
//
// A domain can list thousands of MX hosts with thousands of addresses each. The work is bounded by
// budgets (../dns/budget.ts LIMITS), each named in a finding when it stops something: hosts looked
// up, hosts listed, addresses listed per host, addresses rDNS-checked over all hosts (taken in turn
// from each host, so every host's first address is checked first), and DNS queries in all.
import { budgetFinding, createBudget, LIMITS, withBudget } from '../dns/budget';
import { isTemporary, type LookupResult, type Resolver } from '../dns/types';
import { canonicalIp, parseIp, specialPurpose } from '../ip';
import { findZone } from '../dns/zone';
import type { Finding, Fix } from '../model';
import { checkRdns, InputError, ptrRecordOwner } from '../rdns/check';
import type { RdnsResult } from '../rdns/types';
import type { MxAddress, MxHost, MxResult } from './types';

export { InputError };

export interface MxOptions {
  resolver: Resolver;
  signal?: AbortSignal;
  /** Run the rDNS check on each host address (default true). */
  rdns?: boolean;
  /** Hosts looked at (default 10); the rest are listed without lookups. */
  maxHosts?: number;
  /** Host addresses that get an rDNS check, over all hosts (default 20). */
  maxRdnsAddresses?: number;
  /** DNS queries in all, rDNS checks included (default 400): the check's query budget. */
  maxQueries?: number;
}

const UNREACHABLE_RANGES = /^(Private-Use|Loopback|Link Local|Link-Local Unicast|Shared Address Space|Unspecified Address|"This network"|Unique-Local)/;

/** A domain from what a user typed: `example.com`, `Example.COM.`, `user@example.com`. */
export function parseDomain(text: string): { ok: true; domain: string } | { ok: false; error: string } {
  let d = text.trim();
  const at = d.lastIndexOf('@');
  if (at >= 0) d = d.slice(at + 1);
  d = d.replace(/\.$/, '').toLowerCase();
  const shown = JSON.stringify(text.length > 80 ? text.slice(0, 80) + '…' : text);
  if (d === '') return { ok: false, error: `no domain in ${shown}` };
  if (parseIp(d).ok || /^\[.*\]$/.test(d)) return { ok: false, error: `${shown} is an IP address, not a domain` };
  if (d.length > 253 || !/^[a-z0-9_-]+(\.[a-z0-9_-]+)*$/.test(d) || d.split('.').some((l) => l.length > 63 || l.startsWith('-') || l.endsWith('-'))) {
    return { ok: false, error: `${shown} is not a valid domain name (letters, digits, "-", labels of 1–63 characters; internationalized names as xn--…)` };
  }
  return { ok: true, domain: d };
}

function dnsFinding(r: LookupResult, name: string, type: string, dig: string, severity: 'error' | 'warning', consequence: string): Finding {
  const code = r.rcode === 'TIMEOUT' ? 'dns-timeout' : r.rcode === 'SERVFAIL' ? 'dns-servfail' : r.rcode === 'REFUSED' ? 'dns-refused' : `dns-${r.rcode.toLowerCase()}`;
  return { code, severity, message: `The ${type} query for ${name} failed: ${r.error ?? r.rcode}. ${consequence}`, dig };
}

export async function checkMx(domainText: string, options: MxOptions): Promise<MxResult> {
  const parsed = parseDomain(domainText);
  if (!parsed.ok) throw new InputError(parsed.error);
  const { domain } = parsed;
  const { signal } = options;
  const maxHosts = options.maxHosts ?? LIMITS.mxHosts;
  const maxRdns = options.maxRdnsAddresses ?? LIMITS.mxRdnsAddresses;
  const budget = createBudget('MX check', options.maxQueries ?? LIMITS.mxQueries);
  const resolver = withBudget(options.resolver, budget);
  signal?.throwIfAborted();
  const started = Date.now();
  const findings: Finding[] = [];
  // rDNS results of host addresses, filled by checkAddresses(), reported in host order below.
  const rdnsOf: [{ exchange: string; preference: number }, MxAddress, RdnsResult][] = [];
  const mxDig = resolver.dig(domain, 'MX');
  const mx = await resolver.lookup(domain, 'MX', { signal });
  const records = mx.records.map((r) => r.data as { preference: number; exchange: string });
  let hosts: MxHost[] = [];
  let nullMx = false;
  let implicit = false;

  if (isTemporary(mx.rcode)) {
    findings.push(dnsFinding(mx, domain, 'MX', mxDig, 'error', 'Senders cannot tell where mail for this domain goes and retry later (4xx).'));
  } else if (mx.rcode === 'NXDOMAIN') {
    findings.push({ code: 'mx-domain-nxdomain', severity: 'error', message: `${domain} does not exist (NXDOMAIN): mail to it bounces, and receivers reject mail from it ("Sender address rejected: Domain not found").`, dig: mxDig });
  } else if (records.length === 0) {
    // RFC 5321 §5.1: no MX, so the domain itself is the mail host.
    const [a, aaaa] = await Promise.all([resolver.lookup(domain, 'A', { signal }), resolver.lookup(domain, 'AAAA', { signal })]);
    const addrs = [...a.records, ...aaaa.records].map((r) => canonicalIp(String(r.data)));
    if (addrs.length > 0) {
      implicit = true;
      hosts = [hostFor(0, domain, 'implicit', a, aaaa)];
      findings.push({
        code: 'mx-implicit',
        severity: 'warning',
        message: `${domain} has no MX record, so senders deliver to its own address (${addrs.join(', ')}) as an "implicit MX" (RFC 5321 §5.1). That works, but an explicit MX says which host takes mail, and some senders and filters treat domains without MX as suspicious.`,
        dig: mxDig,
        fix: {
          description: `Publish an MX record for ${domain} naming the host that receives its mail.`,
          owner: domain,
          type: 'MX',
          proposed: `10 ${domain}`,
          record: `${domain}. 3600 IN MX 10 ${domain}.`,
        },
      });
    } else if ([a, aaaa].some((r) => isTemporary(r.rcode))) {
      const bad = [a, aaaa].find((r) => isTemporary(r.rcode))!;
      findings.push(dnsFinding(bad, domain, bad === a ? 'A' : 'AAAA', resolver.dig(domain, bad === a ? 'A' : 'AAAA'), 'error', 'Whether the domain has an implicit MX is unknown.'));
    } else {
      findings.push({
        code: 'mx-none',
        severity: 'error',
        message: `${domain} has no MX record and no address: nobody can send mail to it. Replies and bounces to mail sent from ${domain} are lost, and receivers that check the sender's domain reject its mail.`,
        dig: mxDig,
        fix: { description: `Publish an MX record for ${domain} naming the host that receives its mail (and that host's A record).`, owner: domain, type: 'MX', record: `${domain}. 3600 IN MX 10 mail.${domain}.` },
      });
    }
  } else {
    const isNull = (e: string) => e === '' || e === '.';
    const nulls = records.filter((r) => isNull(r.exchange));
    nullMx = nulls.length > 0;
    if (nullMx && records.length > 1) {
      findings.push({
        code: 'mx-null-mixed',
        severity: 'error',
        message: `${domain} publishes a null MX ("0 .", RFC 7505) next to other MX records. RFC 7505 §3: a null MX must be the only MX; senders may treat the domain as accepting no mail, or try the other hosts.`,
        dig: mxDig,
        fix: { description: `Delete the null MX ("${nulls[0].preference} .") if ${domain} receives mail, or delete the other MX records if it does not.`, owner: domain, type: 'MX', current: `${nulls[0].preference} .` },
      });
    } else if (nullMx) {
      findings.push({
        code: 'mx-null',
        severity: 'warning',
        message: `${domain} publishes a null MX (RFC 7505): it accepts no mail. If it sends mail, replies and bounces to it fail, and receivers may reject its mail (RFC 7505 §4.2; "556 5.1.10" / "550 5.7.27").`,
        dig: mxDig,
      });
    }
    // Lowest preference first (RFC 5321 §5.1); equal preferences keep the order DNS gave.
    const sorted = records.map((r, i) => ({ r, i })).sort((x, y) => x.r.preference - y.r.preference || x.i - y.i).map((x) => x.r);
    const listed = sorted.slice(0, LIMITS.mxListedHosts);
    const total = sorted.length + (mx.omitted ?? 0);
    if (total > listed.length) {
      findings.push({
        code: 'mx-host-budget',
        severity: 'info',
        message: `${domain} has ${total} MX records; the MX check lists the first ${listed.length} (its budget of listed hosts, a bound against hostile zones) and looks up the addresses of the first ${maxHosts}. Senders try a handful at most.`,
        dig: mxDig,
      });
    } else if (sorted.length > maxHosts) {
      findings.push({
        code: 'mx-host-budget',
        severity: 'info',
        message: `${domain} has ${sorted.length} MX records; the MX check looks up the addresses of the first ${maxHosts} (its host budget) and lists the rest without lookups. Senders try a handful at most.`,
        dig: mxDig,
      });
    }
    const seen = new Set<string>();
    hosts = await Promise.all(
      listed.map(async (r, i): Promise<MxHost> => {
        const ex = isNull(r.exchange) ? '.' : r.exchange.toLowerCase();
        if (ex === '.') return { preference: r.preference, exchange: '.', kind: 'null', cnames: [], addresses: [], lookups: [], usable: false };
        const dup = seen.has(ex);
        seen.add(ex);
        if (dup) findings.push({ code: 'mx-duplicate', severity: 'info', message: `${ex} is listed more than once in the MX records of ${domain}.`, dig: mxDig });
        if (parseIp(ex).ok) {
          findings.push({
            code: 'mx-target-ip',
            severity: 'error',
            message: `The MX record "${r.preference} ${ex}" names an IP address where a host name belongs (RFC 1035 §3.3.9, RFC 5321 §5.1). Senders look "${ex}" up as a name, find nothing, and cannot deliver to this host.`,
            dig: mxDig,
            fix: { description: `Give the host a name with an A record ${canonicalIp(ex)} (e.g. mail.${domain}) and put that name in the MX record.`, owner: domain, type: 'MX', current: `${r.preference} ${ex}`, proposed: `${r.preference} mail.${domain}`, record: `${domain}. 3600 IN MX ${r.preference} mail.${domain}.` },
          });
          return { preference: r.preference, exchange: ex, kind: 'ip-literal', cnames: [], addresses: [], lookups: [], usable: false };
        }
        if (i >= maxHosts) return { preference: r.preference, exchange: ex, kind: 'name', cnames: [], addresses: [], lookups: [], usable: false, skipped: `not looked up: beyond the MX check's first ${maxHosts} hosts` };
        const [a, aaaa] = await Promise.all([resolver.lookup(ex, 'A', { signal }), resolver.lookup(ex, 'AAAA', { signal })]);
        return hostFor(r.preference, ex, 'name', a, aaaa);
      }),
    );
  }

  // Per-host findings (in preference order).
  for (const h of hosts) {
    if (h.kind === 'null' || h.kind === 'ip-literal') continue;
    const a = h.lookups.find((l) => l.type === 'A')!;
    if (!a) continue;
    if (h.cnames.length > 0) {
      findings.push({
        code: 'mx-target-cname',
        severity: 'warning',
        message: `The MX target ${h.exchange} is an alias (CNAME → ${h.cnames.map((c) => c.target).join(' → ')}). RFC 2181 §10.3 forbids it; most senders follow it anyway, some refuse.`,
        dig: a.dig,
        fix: { description: `Point the MX record at ${h.cnames[h.cnames.length - 1].target} (the canonical name) instead of ${h.exchange}.`, owner: domain, type: 'MX', current: `${h.preference} ${h.exchange}`, proposed: `${h.preference} ${h.cnames[h.cnames.length - 1].target}`, record: `${domain}. 3600 IN MX ${h.preference} ${h.cnames[h.cnames.length - 1].target}.` },
      });
    }
    const temp = h.lookups.find((l) => isTemporary(l.rcode));
    if (h.addresses.length > 0 && h.addressesOmitted) {
      findings.push({
        code: 'mx-address-budget',
        severity: 'info',
        message: `The MX host ${h.exchange} has ${h.addresses.length + h.addressesOmitted} addresses; the MX check lists the first ${h.addresses.length} (its budget of addresses per host).`,
        dig: a.dig,
      });
    }
    if (h.addresses.length === 0) {
      if (temp) {
        findings.push({ code: temp.rcode === 'TIMEOUT' ? 'dns-timeout' : temp.rcode === 'SERVFAIL' ? 'dns-servfail' : `dns-${temp.rcode.toLowerCase()}`, severity: 'warning', message: `The ${temp.type} query for the MX host ${h.exchange} failed: ${temp.error ?? temp.rcode}.`, dig: temp.dig });
      } else {
        findings.push({
          code: 'mx-host-no-address',
          severity: 'error',
          message: `The MX host ${h.exchange} (preference ${h.preference}) has no A or AAAA record (${a.rcode === 'NXDOMAIN' ? 'NXDOMAIN' : 'no data'}): senders skip it${hosts.filter((x) => x.usable).length === 0 ? ', and there is no other host' : ''}.`,
          dig: a.dig,
          fix: { description: `Publish the A record of ${h.exchange}, or remove it from the MX records of ${domain}.`, owner: h.exchange, type: 'A' },
        });
      }
    }
    for (const ad of h.addresses) {
      const sp = specialPurpose(ad.ip);
      if (sp && UNREACHABLE_RANGES.test(sp.name)) {
        findings.push({
          code: 'mx-host-unreachable-address',
          severity: 'error',
          message: `The MX host ${h.exchange} has the address ${ad.ip} (${sp.name}, ${sp.rfc}): senders on the Internet cannot reach it. Publish the public address (the NAT's outside address).`,
          dig: a.dig,
        });
      }
    }
  }
  await checkAddresses();
  const unchecked = hosts.reduce((n, h) => n + h.addresses.filter((a) => a.rdnsSkipped).length, 0);
  if (unchecked > 0 && options.rdns !== false) {
    findings.push({
      code: 'mx-rdns-budget',
      severity: 'info',
      message: `${unchecked} host address${unchecked === 1 ? ' got' : 'es got'} no reverse-DNS check: the MX check checks at most ${maxRdns} addresses over all hosts (its budget of MX hosts × addresses), each host's first address first.`,
      dig: mxDig,
    });
  }
  const overQueries = budgetFinding(budget, 'What it did not ask is shown as DNS trouble (rcode BUDGET).');
  if (overQueries) findings.push(overQueries);
  const order = (x: { exchange: string; preference: number }) => hosts.findIndex((h) => h.exchange === x.exchange && h.preference === x.preference);
  rdnsOf.sort((x, y) => order(x[0]) - order(y[0]));
  for (const [h, ad, r] of rdnsOf) {
    if (r.fcrdns === 'pass') continue;
    // The MX host's own name resolves to this address (that is how we got here), so it is the name
    // the PTR should carry: the seed's fix ("change the PTR of .244 to mail.dynatronsoftware.com").
    const owner = ptrRecordOwner(r);
    const zone = r.findings.find((f) => f.fix?.owner === owner && f.fix.zone)?.fix?.zone ?? (r.fcrdns === 'temperror' ? undefined : await findZone(resolver, owner, signal));
    const fix: Fix | undefined =
      r.fcrdns === 'temperror'
        ? undefined
        : {
            description: `Set the PTR of ${ad.ip} to ${h.exchange}, whose ${ad.family === 4 ? 'A' : 'AAAA'} record is ${ad.ip}${zone ? ` (zone ${zone}, run by whoever holds the address block, usually the ISP)` : ''}.`,
            ...(zone ? { zone } : {}),
            owner,
            type: 'PTR',
            ...(r.ptr.length ? { current: r.ptr.join(', ') } : {}),
            proposed: h.exchange,
            record: `${owner}. 3600 IN PTR ${h.exchange}.`,
          };
    findings.push({
      code: 'mx-host-fcrdns',
      severity: r.fcrdns === 'temperror' ? 'info' : 'warning',
      message:
        `The MX host ${h.exchange} (${ad.ip}) ${r.ptr.length === 0 ? 'has no PTR record' : `has the PTR ${r.ptr.join(', ')}, which does not resolve back to it`} (iprev ${r.fcrdns}). ` +
        `Receiving mail does not need it, but if this server also sends ${domain}'s mail, receivers reject or score it (run maildns rdns ${ad.ip}).`,
      dig: r.chain[0]?.dig,
      ...(fix ? { fix } : {}),
    });
  }

  const receivesMail = !(nullMx && records.length === 1) && hosts.some((h) => h.usable);
  if (findings.every((f) => f.severity === 'info') && receivesMail) {
    findings.push({ code: 'mx-ok', severity: 'info', message: `${domain} receives mail at ${hosts.filter((h) => h.usable).map((h) => `${h.exchange} (${h.preference})`).join(', ')}.`, dig: mxDig });
  }
  return {
    kind: 'mx',
    domain,
    rcode: mx.rcode,
    cnames: mx.cnames.map((c) => ({ name: c.name, target: c.target })),
    nullMx,
    implicit,
    hosts,
    receivesMail,
    dig: mxDig,
    findings,
    resolvers: resolver.servers(),
    startedAt: new Date(started).toISOString(),
    elapsedMs: Date.now() - started,
  };

  function hostFor(preference: number, exchange: string, kind: 'name' | 'implicit', a: LookupResult, aaaa: LookupResult): MxHost {
    const cap = LIMITS.mxAddressesPerHost;
    const lookups = ([['A', a], ['AAAA', aaaa]] as const).map(([type, r]) => {
      const answers = r.records.map((x) => canonicalIp(String(x.data)));
      return {
        type,
        rcode: r.rcode,
        answers: answers.slice(0, cap),
        ...(answers.length + (r.omitted ?? 0) > cap ? { answersOmitted: answers.length + (r.omitted ?? 0) - cap } : {}),
        dig: resolver.dig(exchange, type),
        ...(r.error && isTemporary(r.rcode) ? { error: r.error } : {}),
      };
    });
    const cnames = (a.cnames.length > 0 ? a.cnames : aaaa.cnames).map((c) => ({ name: c.name, target: c.target }));
    const all = new Set([...a.records, ...aaaa.records].map((x) => canonicalIp(String(x.data))));
    const ips = [...all].slice(0, cap);
    const addresses = ips.map((ip): MxAddress => ({ ip, family: ip.includes(':') ? 6 : 4, ptr: [], fcrdns: 'temperror', ptrIsHost: false }));
    const more = all.size - ips.length + (a.omitted ?? 0) + (aaaa.omitted ?? 0);
    return { preference, exchange, kind, cnames, addresses, ...(more > 0 ? { addressesOmitted: more } : {}), lookups, usable: addresses.length > 0 };
  }

  /**
   * The rDNS check of host addresses, within the budget of MX hosts × addresses: taken in turn from
   * each host (every host's first address, then every second one, …), each address checked once.
   */
  async function checkAddresses(): Promise<void> {
    const turns: [MxHost, MxAddress][] = [];
    for (let i = 0; hosts.some((h) => i < h.addresses.length); i++) {
      for (const h of hosts) if (i < h.addresses.length) turns.push([h, h.addresses[i]]);
    }
    const runs = new Map<string, Promise<RdnsResult>>();
    await Promise.all(
      turns.map(async ([h, entry]) => {
        if (options.rdns === false) return;
        let run = runs.get(entry.ip);
        if (!run) {
          if (runs.size >= maxRdns) {
            entry.rdnsSkipped = `not checked: the MX check's budget of ${maxRdns} addresses is used up`;
            return;
          }
          run = checkRdns(entry.ip, { resolver, signal, maxSteps: 2, maxLookups: LIMITS.mxRdnsLookups, maxQueries: LIMITS.mxRdnsQueries });
          runs.set(entry.ip, run);
        }
        const r = await run;
        entry.ptr = r.ptr;
        entry.fcrdns = r.fcrdns;
        entry.ptrIsHost = r.ptr.includes(h.exchange);
        rdnsOf.push([{ exchange: h.exchange, preference: h.preference }, entry, r]);
      }),
    );
  }
}

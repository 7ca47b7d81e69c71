// "Check HELO name": is the name a server sends in HELO/EHLO one that receivers accept?
//
// RFC 5321 §4.1.4: the client sends its fully-qualified primary host name, or an address literal when
// it has none. A server MAY check that the name matches the client's address but MUST NOT refuse
// mail on that basis alone; in practice many do anyway (Postfix's HELO restrictions, spam filters
// that call it "BOGUS HELO"), so this check reports what each receiver looks at: syntax, FQDN,
// DNS existence, name → IP, IP → PTR → name, the literal, the HELO identity's SPF (RFC 7208 §2.3),
// and what Postfix's three HELO rules reply.
//
// All lookups of one check go out at once; DNS trouble is a finding, never an exception.
import { findZone } from '../dns/zone';
import { firstAnswers } from '../dns/budget';
import { isTemporary, type LookupResult, type RecordType, type Resolver } from '../dns/types';
import { canonicalIp, parseIp, reverseName, specialPurpose } from '../ip';
import type { Finding, Fix } from '../model';
import { InputError } from '../rdns/check';
import { checkHost, type SpfCheckInput, type SpfOptions } from '../spf/check';
import type { SpfResult } from '../spf/types';
import { authorizeIp, txtRecordLine } from '../spf/fix';
import {
  type HeloRejectCodes,
  invalidHeloRule,
  nonFqdnHeloRule,
  postfixDnsStatus,
  unknownHeloRule,
  type LookupOutcome,
} from './postfix';
import { heloNameSettings, whereToSetName } from './settings';
import { parseHeloName, quoteName } from './syntax';
import type { HeloLookup, HeloResult, HeloSpf } from './types';

export { InputError };

/** check_host() as the SPF module exports it; injectable so the HELO check does not depend on its internals. */
export type SpfEvaluator = (input: SpfCheckInput, options: SpfOptions) => Promise<SpfResult>;

export interface HeloOptions {
  /** The sending server's IP address: enables name → IP, PTR and SPF checks. */
  ip?: string;
  resolver: Resolver;
  signal?: AbortSignal;
  /** The SPF evaluator for the HELO identity; `false` skips it (default: the SPF module's checkHost). */
  spf?: SpfEvaluator | false;
  /** The receiving Postfix's HELO reply codes (mailDns.receivers.postfix.*); unset: Postfix's defaults. */
  postfixCodes?: HeloRejectCodes;
}

const DEFAULT_TTL = 3600;
const MAX_PTR_NAMES = 5;
/** RFC 5321 §4.5.3.1.4: a command line is at most 512 octets; a longer "name" is not a HELO name. */
const MAX_NAME = 510;

// Names that exist only inside networks (RFC 6762 .local, RFC 8375 .home.arpa, common AD/LAN suffixes).
const INTERNAL_SUFFIXES = ['local', 'lan', 'localdomain', 'internal', 'intranet', 'corp', 'home', 'home.arpa', 'private', 'domain', 'localhost'];

/** A name Postfix and DNS would look up: host-name characters only, no address. */
/** The HELO codes whose problem an address record for the HELO name itself fixes. */
export const HELO_ADDRESS_CODES: ReadonlySet<string> = new Set(['helo-nxdomain', 'helo-no-address', 'helo-ip-mismatch']);

/**
 * The fix as a zone edit: the HELO name gets the A/AAAA record of the sending IP (added where it has
 * none of that family, changed where it has others). For when the HELO name's own zone is at hand
 * (the workspace holds it), where the check itself may have proposed sending another name.
 */
export function heloAddressFix(result: HeloResult, zone?: string): Fix | undefined {
  const owner = queryableName(result.name);
  if (!owner || !result.ip || !result.fqdn) return undefined;
  const type = result.ip.includes(':') ? 'AAAA' : 'A';
  const current = result.addresses.filter((a) => a.includes(':') === (type === 'AAAA'));
  if (current.includes(result.ip)) return undefined;
  const instead = result.proposedName && result.proposedName !== owner ? ` (Or send ${result.proposedName} in HELO/EHLO instead, which needs no DNS change.)` : '';
  return {
    description:
      (current.length > 0
        ? `Point ${owner} at ${result.ip}: change its ${type} record from ${current.join(', ')} to ${result.ip}, if ${owner} is this server's own name (anything else at ${current.join(', ')} that uses the name moves with it).`
        : `Publish the ${type} record ${owner} → ${result.ip}${zone ? ` in the zone ${zone}` : ''}: then the HELO name resolves to the sending IP.`) + instead,
    ...(zone ? { zone } : {}),
    owner,
    type,
    ...(current.length > 0 ? { current: current.join(', ') } : {}),
    proposed: result.ip,
    record: `${owner}. ${DEFAULT_TTL} IN ${type} ${result.ip}`,
  };
}

function queryableName(name: string): string | undefined {
  const n = name.endsWith('.') ? name.slice(0, -1) : name;
  if (n.length === 0 || n.length > 253) return undefined;
  if (!/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/.test(n)) return undefined;
  if (n.split('.').some((l) => l.length > 63)) return undefined;
  if (parseIp(n).ok) return undefined;
  return n.toLowerCase();
}

/** One lookup as the result shows it; `keep` are the answers a verdict looks for (kept when the list is cut). */
function toLookup(name: string, type: RecordType & HeloLookup['type'], purpose: string, r: LookupResult, resolver: Resolver, keep: (string | undefined)[] = []): HeloLookup {
  const all = r.records.map((x) => {
    if (type === 'A' || type === 'AAAA') return canonicalIp(String(x.data));
    if (type === 'MX') {
      const mx = x.data as { preference: number; exchange: string };
      return `${mx.preference} ${mx.exchange === '' ? '.' : mx.exchange}`;
    }
    return String(x.data);
  });
  // The answer budget: a zone's thousands of records are counted, not carried (../dns/budget.ts).
  const { answers, omitted } = firstAnswers(all, keep.filter((k): k is string => k !== undefined));
  return {
    name,
    type,
    purpose,
    rcode: r.rcode,
    answers,
    ...(omitted + (r.omitted ?? 0) > 0 ? { answersOmitted: omitted + (r.omitted ?? 0) } : {}),
    cnames: r.cnames.map((c) => ({ name: c.name, target: c.target })),
    ttl: r.ttl,
    dig: resolver.dig(name, type),
    ...(r.error && isTemporary(r.rcode) ? { error: r.error } : {}),
  };
}

function dnsTroubleCode(rcode: string): string {
  return rcode === 'TIMEOUT' ? 'dns-timeout' : rcode === 'UNREACHABLE' ? 'dns-unreachable' : rcode === 'SERVFAIL' ? 'dns-servfail' : rcode === 'REFUSED' ? 'dns-refused' : `dns-${rcode.toLowerCase()}`;
}

export async function checkHelo(nameText: string, options: HeloOptions): Promise<HeloResult> {
  const { resolver, signal } = options;
  const name = nameText.trim();
  if (name === '') throw new InputError('no HELO name given: give the name the server sends in HELO/EHLO (e.g. mail.example.com)');
  if (name.length > MAX_NAME) throw new InputError(`the HELO name is ${name.length} characters long; an SMTP command line is at most 512 octets (RFC 5321 §4.5.3.1.4)`);
  let ip: string | undefined;
  let family: 4 | 6 | undefined;
  if (options.ip !== undefined) {
    const p = parseIp(options.ip);
    if (!p.ok) throw new InputError(`--ip: ${p.error}`);
    ip = p.ip;
    family = p.family;
  }
  signal?.throwIfAborted();
  const started = Date.now();
  const syntax = parseHeloName(name);
  const dnsName = queryableName(name);
  const sameFamily = family === 6 ? 'AAAA' : 'A';

  // Every first-round lookup at once: the name's A, AAAA and MX, the IP's PTR.
  const look = (n: string, t: RecordType) => resolver.lookup(n, t, { signal });
  const [a, aaaa, mx, ptr] = await Promise.all([
    dnsName ? look(dnsName, 'A') : undefined,
    dnsName ? look(dnsName, 'AAAA') : undefined,
    dnsName ? look(dnsName, 'MX') : undefined,
    ip ? look(reverseName(ip), 'PTR') : undefined,
  ]);
  const lookups: HeloLookup[] = [];
  const aL = a && toLookup(dnsName!, 'A', 'address of the HELO name', a, resolver, [ip]);
  const aaaaL = aaaa && toLookup(dnsName!, 'AAAA', 'IPv6 address of the HELO name', aaaa, resolver, [ip]);
  const mxL = mx && toLookup(dnsName!, 'MX', 'MX of the HELO name (Postfix accepts an MX too)', mx, resolver);
  const ptrL = ptr && toLookup(reverseName(ip!), 'PTR', `PTR of ${ip}`, ptr, resolver, [dnsName]);
  for (const l of [aL, aaaaL, mxL, ptrL]) if (l) lookups.push(l);

  // Second round: which PTR names resolve back to the IP (those are the names to propose), and the
  // HELO identity's SPF, in parallel.
  const ptrNames = ptrL ? ptrL.answers.slice(0, MAX_PTR_NAMES) : [];
  // The HELO name's own MX hosts are candidates too: the seed's server said its domain's name, and
  // the right name was the domain's MX host, which resolved to the server's address.
  const mxHosts = ip && mxL ? mxL.answers.map((x) => x.split(' ')[1]).filter((h) => h !== '.' && h !== dnsName && !ptrNames.includes(h)).slice(0, MAX_PTR_NAMES) : [];
  const spfEval = options.spf === false ? undefined : (options.spf ?? checkHost);
  const spfDomain = dnsName && syntax.fqdn ? dnsName : undefined;
  const [backs, mxBacks, spfResult] = await Promise.all([
    Promise.all(ptrNames.map((n) => (n === dnsName ? Promise.resolve(sameFamily === 'A' ? a! : aaaa!) : look(n, sameFamily)))),
    Promise.all(mxHosts.map((n) => look(n, sameFamily))),
    ip && spfDomain && spfEval
      ? spfEval({ ip, domain: spfDomain, sender: `postmaster@${spfDomain}`, helo: name, identity: 'helo' }, { resolver, signal })
      : Promise.resolve(undefined),
  ]);
  const confirmedPtr: string[] = [];
  ptrNames.forEach((n, i) => {
    const r = backs[i];
    if (n !== dnsName) lookups.push(toLookup(n, sameFamily, `does the PTR name ${n} resolve back to ${ip}?`, r, resolver, [ip]));
    if (r.records.some((x) => canonicalIp(String(x.data)) === ip)) confirmedPtr.push(n);
  });
  const mxAtIp: string[] = [];
  mxHosts.forEach((n, i) => {
    const r = mxBacks[i];
    lookups.push(toLookup(n, sameFamily, `is the MX host ${n} at ${ip}?`, r, resolver, [ip]));
    if (r.records.some((x) => canonicalIp(String(x.data)) === ip)) mxAtIp.push(n);
  });

  const addresses = [...(aL?.answers ?? []), ...(aaaaL?.answers ?? [])];
  const addrTemp = (aL && isTemporary(aL.rcode)) || (aaaaL && isTemporary(aaaaL.rcode));
  const resolves: boolean | null = !dnsName ? null : addresses.length > 0 ? true : addrTemp ? null : false;
  const famL = sameFamily === 'A' ? aL : aaaaL;
  const matchesIp: boolean | null = !ip || !dnsName || !famL ? null : famL.answers.includes(ip) ? true : isTemporary(famL.rcode) ? null : false;
  const matchesPtr: boolean | null = !ip || !ptrL || isTemporary(ptrL.rcode) ? null : dnsName ? ptrL.answers.includes(dnsName) : false;
  const literalMatchesIp: boolean | null = ip && syntax.form === 'address-literal' && syntax.literal?.address ? syntax.literal.address === ip : null;
  const mxAnswers = mxL?.answers ?? [];

  // Postfix's view of the same lookups (dns_lookup_l stops at the first type that answers).
  const outcomes: LookupOutcome[] = [];
  if (aL) outcomes.push({ type: 'A', rcode: aL.rcode, records: aL.answers.length });
  if (aaaaL) outcomes.push({ type: 'AAAA', rcode: aaaaL.rcode, records: aaaaL.answers.length });
  if (mxL) outcomes.push({ type: 'MX', rcode: mxL.rcode, records: mxL.answers.length, nullMx: mxL.answers.length === 1 && mxL.answers[0].endsWith(' .') });
  const codes = options.postfixCodes ?? {};
  const receivers = [invalidHeloRule(name, codes), nonFqdnHeloRule(name, codes), unknownHeloRule(name, postfixDnsStatus(name, outcomes), codes)];
  const postfix = {
    reject_invalid_helo_hostname: receivers[0].verdict,
    reject_non_fqdn_helo_hostname: receivers[1].verdict,
    reject_unknown_helo_hostname: receivers[2].verdict,
  };

  let spf: HeloSpf | undefined;
  if (spfResult) {
    spf = { result: spfResult.result, reason: spfResult.reason, receivedSpf: spfResult.receivedSpf, ...(spfResult.tree.record !== undefined ? { record: spfResult.tree.record } : {}) };
  }

  // The name to propose: a PTR name that resolves back (what receivers expect), else the name itself
  // when it already resolves to the IP, else an MX host of the name that is at the IP (its PTR then
  // needs changing too).
  const proposedName = confirmedPtr[0] ?? (syntax.fqdn && matchesIp ? dnsName : mxAtIp[0]);
  const proposedWhy = (target: string) =>
    confirmedPtr.includes(target)
      ? `${target} is the PTR name of ${ip} and resolves back to it: name, address and PTR then agree.`
      : `${target} (an MX host of ${dnsName}) resolves to ${ip}; also set the PTR of ${ip} to ${target} (see maildns rdns ${ip}) so that name, address and PTR agree.`;
  const nameSettings = heloNameSettings(proposedName);

  const findings = await buildFindings();
  return {
    kind: 'helo',
    name,
    ...(ip ? { ip } : {}),
    syntax,
    fqdn: syntax.fqdn,
    resolves,
    addresses,
    mx: mxAnswers,
    matchesIp,
    ptr: ptrL?.answers ?? [],
    matchesPtr,
    confirmedPtr,
    literalMatchesIp,
    ...(spf ? { spf } : {}),
    postfix,
    receivers,
    ...(proposedName && proposedName !== dnsName ? { proposedName } : {}),
    nameSettings,
    lookups,
    findings,
    resolvers: resolver.servers(),
    startedAt: new Date(started).toISOString(),
    elapsedMs: Date.now() - started,
  };

  function renameFix(why: string): Fix {
    const target = proposedName && proposedName !== dnsName ? proposedName : undefined;
    return {
      description: `${target ? `Send ${target} in HELO/EHLO instead of ${name}` : `Give the server a fully-qualified name (e.g. mail.<your domain>) with an ${sameFamily} record${ip ? ` ${ip}` : ''} and a matching PTR, and send that name in HELO/EHLO`}: ${why} ${whereToSetName(target)}`,
      current: name,
      ...(target ? { proposed: target } : {}),
    };
  }

  async function addressFix(owner: string): Promise<Fix | undefined> {
    if (!ip) return undefined;
    const zone = await findZone(resolver, owner, signal);
    return {
      description: `Publish the ${sameFamily} record ${owner} → ${ip}${zone ? ` in the zone ${zone}` : ''}, if ${owner} is this server's own name; otherwise send a name that has it.`,
      ...(zone ? { zone } : {}),
      owner,
      type: sameFamily,
      proposed: ip,
      record: `${owner}. ${DEFAULT_TTL} IN ${sameFamily} ${ip}`,
    };
  }

  async function buildFindings(): Promise<Finding[]> {
    const out: Finding[] = [];
    const q = quoteName(name);
    const nonFqdnReply = receivers[1].reply;
    const lower = (dnsName ?? name).toLowerCase();

    // --- syntax -------------------------------------------------------------------------------------
    if (syntax.bareAddress) {
      out.push({
        code: 'helo-bare-address',
        severity: 'error',
        message: `The HELO name ${q} is an IP address without brackets. RFC 5321 §4.1.3 writes addresses as literals (${syntax.problems[0]?.replace(/^.*: /, '')}); Postfix's reject_non_fqdn_helo_hostname replies "${nonFqdnReply}".`,
        fix: renameFix('a name is better than an address literal, which many receivers score as spam.'),
      });
    } else if (syntax.form === 'invalid') {
      out.push({
        code: 'helo-invalid',
        severity: 'error',
        message: `The HELO name ${q} is not a valid host name or address literal: ${syntax.problems.join('; ')}.${receivers[0].verdict === 'reject' ? ` Postfix's reject_invalid_helo_hostname replies "${receivers[0].reply}".` : ''}`,
        fix: renameFix('receivers that check HELO syntax refuse this name.'),
      });
    } else if (syntax.form === 'domain' && !syntax.fqdn) {
      out.push({
        code: 'helo-not-fqdn',
        severity: 'error',
        message:
          `The HELO name ${q} is not fully qualified (it has no dot): RFC 5321 §4.1.4 asks for the server's fully-qualified host name. ` +
          `Postfix's reject_non_fqdn_helo_hostname replies "${nonFqdnReply}". A one-word name is usually the computer's own (Windows) name, which the mail program sends when nobody set one.`,
        fix: renameFix('receivers with reject_non_fqdn_helo_hostname refuse one-word names.'),
      });
    }
    if (syntax.form === 'domain' && syntax.trailingDot) {
      out.push({ code: 'helo-trailing-dot', severity: 'info', message: `The HELO name ${q} ends with a dot; RFC 5321's Domain has none. Postfix drops it for its syntax checks but then looks up the name as written.` });
    }
    if (syntax.form === 'address-literal') {
      if (literalMatchesIp === false) {
        out.push({
          code: 'helo-literal-mismatch',
          severity: 'error',
          message: `The HELO address literal ${q} is not the sending address ${ip}: receivers see a client that misstates its own address, a common spam sign.`,
          fix: renameFix('the literal must be the client\'s own public address, and a name is better still.'),
        });
      } else if (syntax.literal?.tag === 'IPv4' || syntax.literal?.tag === 'IPv6') {
        out.push({
          code: 'helo-address-literal',
          severity: 'warning',
          message: `The HELO name is an address literal ${q}. RFC 5321 §4.1.4 allows that only when the client has no name; many spam filters score it, and some receivers refuse it.${syntax.problems.length ? ' ' + syntax.problems.join('; ') + '.' : ''}`,
          fix: renameFix('a mail server should announce its own host name.'),
        });
      }
    }
    if (lower === 'localhost' || lower.startsWith('localhost.') || (syntax.literal?.address && specialPurpose(syntax.literal.address)?.name === 'Loopback')) {
      out.push({
        code: 'helo-localhost',
        severity: 'error',
        message: `The HELO name ${q} names the local machine itself; receivers treat "localhost" greetings as forged or misconfigured.`,
        fix: renameFix('"localhost" identifies nothing on the Internet.'),
      });
    } else if (dnsName && INTERNAL_SUFFIXES.some((s) => dnsName === s || dnsName.endsWith('.' + s))) {
      out.push({
        code: 'helo-internal-name',
        severity: 'warning',
        message: `The HELO name ${q} looks like an internal network name (Active Directory or LAN domain) that does not exist on the Internet; Exchange and Windows servers send it when their external FQDN was never set.`,
        fix: renameFix('receivers can only check names that exist in public DNS.'),
      });
    }

    // --- DNS --------------------------------------------------------------------------------------------
    if (dnsName && aL && aaaaL && mxL) {
      // A one-word name is not looked up by anyone but Postfix's unknown-name rule: its DNS errors are noise.
      const trouble = syntax.fqdn ? [aL, aaaaL, mxL].filter((l) => isTemporary(l.rcode)) : [];
      for (const l of trouble) {
        out.push({
          code: dnsTroubleCode(l.rcode),
          severity: 'warning',
          message: `The ${l.type} query for ${l.name} failed: ${l.error ?? l.rcode}. Receivers that look the HELO name up defer (4xx) while this lasts.`,
          dig: l.dig,
        });
      }
      const nx = aL.rcode === 'NXDOMAIN';
      if (nx && syntax.fqdn) {
        out.push({
          code: 'helo-nxdomain',
          severity: 'error',
          message: `The HELO name ${dnsName} does not exist in DNS (NXDOMAIN). Postfix's reject_unknown_helo_hostname replies "${receivers[2].reply}"; spam filters score names that do not resolve.`,
          dig: aL.dig,
          fix: proposedName && proposedName !== dnsName ? renameFix(proposedWhy(proposedName)) : await addressFix(dnsName),
        });
      } else if (resolves === false && syntax.fqdn) {
        const hasMx = mxAnswers.length > 0;
        out.push({
          code: 'helo-no-address',
          severity: hasMx ? 'warning' : 'error',
          message: hasMx
            ? `The HELO name ${dnsName} has no A or AAAA record, only MX (${mxAnswers.join(', ')}). Postfix's reject_unknown_helo_hostname accepts an MX, but receivers that compare the HELO name with the client's address cannot.`
            : `The HELO name ${dnsName} exists but has no A, AAAA or MX record. Postfix's reject_unknown_helo_hostname replies "${receivers[2].reply}".`,
          dig: aL.dig,
          fix: proposedName && proposedName !== dnsName ? renameFix(proposedWhy(proposedName)) : await addressFix(dnsName),
        });
      }
      if (ip && matchesIp === false && addresses.length > 0) {
        const famAnswers = (sameFamily === 'A' ? aL : aaaaL).answers;
        out.push({
          code: 'helo-ip-mismatch',
          severity: 'error',
          message:
            famAnswers.length > 0
              ? `The HELO name ${dnsName} resolves to ${famAnswers.join(', ')}, not to the sending IP ${ip}. RFC 5321 §4.1.4 says receivers must not refuse mail for this alone, but many do: spam filters call it a "BOGUS HELO" or forged HELO.`
              : `The HELO name ${dnsName} has only ${sameFamily === 'A' ? 'IPv6' : 'IPv4'} addresses (${addresses.join(', ')}), none in the family of the sending IP ${ip}.`,
          dig: (sameFamily === 'A' ? aL : aaaaL).dig,
          fix: proposedName && proposedName !== dnsName
            ? renameFix(proposedWhy(proposedName))
            : {
                description: `Send a name whose ${sameFamily} record is ${ip} (and make it the PTR of ${ip}), or, only if ${dnsName} is this server's own name, point it at ${ip}. ${whereToSetName(undefined)}`,
                current: dnsName,
              },
        });
      } else if (ip && matchesIp) {
        out.push({ code: 'helo-resolves-to-ip', severity: 'info', message: `The HELO name ${dnsName} resolves to the sending IP ${ip}.`, dig: (sameFamily === 'A' ? aL : aaaaL).dig });
      }
    }

    // --- PTR ----------------------------------------------------------------------------------------------
    if (ip && ptrL) {
      if (isTemporary(ptrL.rcode)) {
        out.push({ code: dnsTroubleCode(ptrL.rcode), severity: 'warning', message: `The PTR query for ${ip} failed: ${ptrL.error ?? ptrL.rcode}; whether the HELO name matches the IP's name is unknown.`, dig: ptrL.dig });
      } else if (matchesPtr) {
        out.push({
          code: 'helo-matches-ptr',
          severity: 'info',
          message: `The HELO name is the PTR name of ${ip}${confirmedPtr.includes(dnsName!) ? ', and it resolves back: name, address and PTR agree' : ''}.`,
          dig: ptrL.dig,
        });
      } else if (syntax.form !== 'address-literal') {
        const names = ptrL.answers;
        out.push({
          code: 'helo-ptr-mismatch',
          severity: 'warning',
          message:
            names.length === 0
              ? `${ip} has no PTR record, so receivers cannot match the HELO name ${q} to the address's name (run the rDNS check: maildns rdns ${ip}).`
              : `The HELO name ${q} is not the PTR name of ${ip} (${names.join(', ')}). Receivers and spam filters compare the two; the simplest consistent setup is HELO name = PTR name = a name whose ${sameFamily} record is ${ip}.` +
                (confirmedPtr.length === 0 ? ` None of the PTR names resolves back to ${ip} either (run maildns rdns ${ip}).` : ''),
          dig: ptrL.dig,
          ...(confirmedPtr.length > 0 ? { fix: renameFix(`${confirmedPtr[0]} is the PTR name of ${ip} and resolves back to it.`) } : {}),
        });
      }
    }

    // --- SPF for the HELO identity (RFC 7208 §2.3) ------------------------------------------------------------
    if (spf && spfDomain) {
      const rec = spf.record;
      if (spf.result === 'pass') {
        out.push({ code: 'helo-spf-pass', severity: 'info', message: `SPF for the HELO identity ${spfDomain} passes for ${ip} (RFC 7208 §2.3).` });
      } else if (spf.result === 'none') {
        out.push({
          code: 'helo-spf-none',
          severity: 'info',
          message: `${spfDomain} publishes no SPF record, so the HELO identity's SPF result is none. RFC 7208 §2.3 recommends checking HELO; a record for the server's own name costs nothing and helps bounces (empty MAIL FROM) pass SPF.`,
          fix: {
            description: `Publish "v=spf1 a -all" at ${spfDomain} (its own A record is the only sender), if ${spfDomain} sends only from itself.`,
            owner: spfDomain,
            type: 'TXT',
            proposed: 'v=spf1 a -all',
            record: txtRecordLine(spfDomain, 'v=spf1 a -all'),
          },
        });
      } else {
        const severe = spf.result === 'fail' || spf.result === 'permerror';
        const edit = severe && spf.result === 'fail' && rec !== undefined ? authorizeIp(rec, ip!) : undefined;
        out.push({
          code: `helo-spf-${spf.result}`,
          severity: severe ? 'error' : 'warning',
          message: `SPF for the HELO identity ${spfDomain} gives ${spf.result} for ${ip}: ${spf.reason}${spf.result === 'fail' ? ' Receivers that check the HELO identity reject the connection, and bounces (empty MAIL FROM) are checked by this identity.' : ''}`,
          ...(edit
            ? {
                fix: {
                  description: `Add ${edit.added} to the SPF record of ${spfDomain}.`,
                  owner: spfDomain,
                  type: 'TXT',
                  current: rec,
                  proposed: edit.record,
                  record: txtRecordLine(spfDomain, edit.record),
                },
              }
            : {}),
        });
      }
    }

    const verdicts = receivers.filter((r) => r.verdict !== 'accept');
    if (out.every((f) => f.severity === 'info') && verdicts.length === 0) {
      out.push({ code: 'helo-ok', severity: 'info', message: `${q} is a good HELO name${ip ? ` for ${ip}` : ''}: valid, fully qualified${resolves ? ', resolves' : ''}${matchesIp ? ' to the sending IP' : ''}${matchesPtr ? ' and matches its PTR' : ''}.` });
    }
    return out;
  }
}

// "Blocklists": is an IP on DNS blocklists, and — just as important — did each list actually answer?
//
// RFC 5782 §2.1: an IPv4 address is looked up as its octets reversed under the list's zone
// (203.0.113.7 → 7.113.0.203.zen.spamhaus.org); §2.4: IPv6 as 32 reversed nibbles. NXDOMAIN means
// not listed; an A record in 127.0.0.0/8 means listed, its value saying why; a TXT record at the same
// name gives the list's reason. §5: every list lists the test point 127.0.0.2 (IPv6 ::FFFF:7F00:2)
// and never 127.0.0.1, so asking for them shows whether a list is answering this asker at all.
//
// Lists refuse some askers: with REFUSED, with silence, or with special answers (Spamhaus
// 127.255.255.254 for public resolvers). Those are reported as "refused", never as listed or clean.
import { LIMITS } from '../dns/budget';
import { isTemporary, type DnsResponse, type LookupResult, type Resolver } from '../dns/types';
import { canonicalIp, inNetwork, parseIp, reverseName } from '../ip';
import type { Finding } from '../model';
import { parseDomain } from '../mx/check';
import { InputError } from '../rdns/check';
import { DEFAULT_ZONES, knownList } from './lists';
import type { DnsblCode, DnsblResult, DnsblStatus, DnsblZoneResult } from './types';

export { InputError, DEFAULT_ZONES };

export interface DnsblOptions {
  resolver: Resolver;
  /** Zones to ask (default DEFAULT_ZONES). */
  zones?: string[];
  /** Ask the RFC 5782 §5 test points too (default true). */
  testPoints?: boolean;
  signal?: AbortSignal;
}

const MAX_TXT = 300;

/** The RFC 5782 query name prefix for an address: reversed octets, or reversed nibbles. */
export function dnsblPrefix(ip: string): string {
  return reverseName(ip).replace(/\.(in-addr|ip6)\.arpa$/, '');
}

function escape(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

function classify(zone: string, address: string): DnsblCode {
  const known = knownList(zone)?.codes[address];
  if (known) return { address, meaning: known.meaning, kind: known.kind };
  if (!parseIp(address).ok || address.includes(':') || !inNetwork(address, '127.0.0.0/8')) {
    return { address, meaning: 'not a DNSBL answer (outside 127.0.0.0/8): a resolver that rewrites "not found" answers, or a list that has shut down', kind: 'unknown' };
  }
  if (address === '127.0.0.1') return { address, meaning: '127.0.0.1 must never be a listing (RFC 5782 §5); lists that have shut down answer it for everything', kind: 'unknown' };
  if (inNetwork(address, '127.255.255.0/24')) return { address, meaning: 'an error code (127.255.255.x): the list refuses or failed to answer this asker', kind: 'refused' };
  return { address, meaning: `listed (return code ${address})`, kind: 'listed' };
}

function statusOf(r: DnsResponse, codes: DnsblCode[]): DnsblStatus {
  if (r.rcode === 'REFUSED') return 'refused';
  if (isTemporary(r.rcode)) return 'error';
  if (codes.length === 0) return 'not-listed';
  if (codes.some((c) => c.kind === 'listed' || c.kind === 'policy')) return 'listed';
  if (codes.some((c) => c.kind === 'refused')) return 'refused';
  return 'bogus';
}

export async function checkDnsbl(ipText: string, options: DnsblOptions): Promise<DnsblResult> {
  const parsed = parseIp(ipText);
  if (!parsed.ok) throw new InputError(parsed.error);
  const { ip, family } = parsed;
  const { resolver, signal } = options;
  const zones: string[] = [];
  for (const z of options.zones && options.zones.length > 0 ? options.zones : DEFAULT_ZONES) {
    const d = parseDomain(z);
    if (!d.ok || z.includes('@')) throw new InputError(`zone ${JSON.stringify(z)}: ${d.ok ? 'a zone, not an address' : d.error}`);
    if (!zones.includes(d.domain)) zones.push(d.domain);
  }
  signal?.throwIfAborted();
  const started = Date.now();
  const prefix = dnsblPrefix(ip);
  const tp2 = family === 4 ? '2.0.0.127' : dnsblPrefix('::ffff:127.0.0.2');
  const tp1 = family === 4 ? '1.0.0.127' : dnsblPrefix('::ffff:127.0.0.1');
  const withTests = options.testPoints !== false;

  // Every zone's queries at once: the address, and the two test points.
  const results = await Promise.all(
    zones.map(async (zone): Promise<DnsblZoneResult> => {
      const query = `${prefix}.${zone}`;
      const [r, t2, t1] = await Promise.all([
        resolver.lookup(query, 'A', { signal }),
        withTests ? resolver.lookup(`${tp2}.${zone}`, 'A', { signal }) : undefined,
        withTests ? resolver.lookup(`${tp1}.${zone}`, 'A', { signal }) : undefined,
      ]);
      // lookup() follows CNAMEs (some lists answer through one, e.g. Spamhaus DQS).
      const answers = r.records.map((a) => canonicalIp(String(a.data)));
      const all = answers.map((a) => classify(zone, a));
      const status = statusOf(r, all);
      // The answer budget: a list answers with a few codes; thousands are counted, not carried. The
      // codes that decide the status go first.
      const decisive = (c: DnsblCode) => c.kind === 'listed' || c.kind === 'policy' || c.kind === 'refused';
      const codes = [...all.filter(decisive), ...all.filter((c) => !decisive(c))].slice(0, LIMITS.answersListed);
      const known = knownList(zone);
      let txt: string | undefined;
      if (status === 'listed') {
        const t = await resolver.lookup(query, 'TXT', { signal });
        const texts = t.records.map((a) => (a.data as string[]).join(''));
        if (texts.length > 0) {
          const joined = texts.join(' | ');
          txt = escape(joined.length > MAX_TXT ? joined.slice(0, MAX_TXT) + '…' : joined);
        }
      }
      const listedAt = (x: LookupResult | undefined): boolean | null => {
        if (!x || isTemporary(x.rcode)) return null;
        const a = x.records.map((y) => String(y.data));
        return a.some((v) => classify(zone, v).kind === 'listed' || classify(zone, v).kind === 'policy');
      };
      const testPoints = withTests ? { listed2: listedAt(t2), listed1: listedAt(t1), ok: listedAt(t2) === true && listedAt(t1) === false } : undefined;
      return {
        zone,
        ...(known ? { list: known.name } : {}),
        query,
        status,
        rcode: r.rcode,
        codes,
        ...(all.length + (r.omitted ?? 0) > codes.length ? { codesOmitted: all.length + (r.omitted ?? 0) - codes.length } : {}),
        ...(txt ? { txt } : {}),
        dig: resolver.dig(query, 'A'),
        ...(r.error && isTemporary(r.rcode) ? { error: r.error } : {}),
        ...(testPoints ? { testPoints } : {}),
        ...(known ? { lookupUrl: known.lookupUrl.replace('{ip}', encodeURIComponent(ip)) } : {}),
        ...(known?.note ? { note: known.note } : {}),
      };
    }),
  );

  const findings: Finding[] = [];
  for (const z of results) {
    const label = z.list ? `${z.list} (${z.zone})` : z.zone;
    if (z.status === 'listed') {
      const policy = z.codes.every((c) => c.kind !== 'listed');
      const meanings = z.codes.filter((c) => c.kind === 'listed' || c.kind === 'policy').map((c) => `${c.address}: ${c.meaning}`);
      findings.push({
        code: policy ? 'dnsbl-policy-listed' : 'dnsbl-listed',
        severity: 'error',
        message:
          `${ip} is listed on ${label} — ${meanings.join('; ')}.${z.txt ? ` The list says: "${z.txt}".` : ''} ` +
          `Receivers using this list refuse the connection (Postfix: "554 5.7.1 Service unavailable; Client host [${ip}] blocked using ${z.zone}").` +
          (z.testPoints && !z.testPoints.ok ? ' (The list\'s test points do not answer as they should, so this answer is doubtful.)' : ''),
        dig: z.dig,
        fix: {
          description: policy
            ? `This address is in a range the list marks as end-user or dynamic. A mail server on a static address: ask for removal${z.lookupUrl ? ` at ${z.lookupUrl}` : ''} (ISP-maintained entries need the ISP). Otherwise send through your provider's mail relay (smarthost).`
            : `Find and stop what sent the spam (an infected machine, a compromised account, an open relay or form), then ask for removal${z.lookupUrl ? ` at ${z.lookupUrl}` : ''}. Removal before the cause is fixed gets the address listed again.`,
        },
      });
    } else if (z.status === 'refused') {
      const why = z.codes.find((c) => c.kind === 'refused')?.meaning ?? 'the list\'s servers answered REFUSED';
      findings.push({
        code: 'dnsbl-refused',
        severity: 'warning',
        message: `${label} refused to answer (${why}). This says nothing about ${ip}: ask through your own recursive resolver (not a public one such as 8.8.8.8 or 1.1.1.1), or through the list's registered service (Spamhaus: DQS).`,
        dig: z.dig,
      });
    } else if (z.status === 'error') {
      findings.push({ code: 'dnsbl-error', severity: 'warning', message: `Asking ${label} failed: ${z.error ?? z.rcode}. Whether ${ip} is listed there is unknown.${z.note ? ' ' + z.note : ''}`, dig: z.dig });
    } else if (z.status === 'bogus') {
      findings.push({ code: 'dnsbl-bogus-answer', severity: 'warning', message: `${label} answered ${z.codes.map((c) => c.address).join(', ')}: ${z.codes[0].meaning}. Its answer cannot be used.`, dig: z.dig });
    }
    if (z.testPoints && z.status !== 'error' && z.status !== 'refused' && !z.testPoints.ok) {
      const t = z.testPoints;
      findings.push({
        code: 'dnsbl-test-point',
        severity: 'warning',
        message:
          t.listed1 === true
            ? `${label} lists the test point 127.0.0.1, which no working list does (RFC 5782 §5): it seems to list everything (a shut-down list). Ignore its answers and remove it from receivers' configurations.`
            : `${label} does not list its test point ${family === 4 ? '127.0.0.2' : '::ffff:127.0.0.2'} (RFC 5782 §5)${t.listed2 === null ? ' (the query failed)' : ''}: the list is not answering this asker properly, so its "not listed" means little.`,
        dig: resolver.dig(`${tp2}.${z.zone}`, 'A'),
      });
    }
    if (family === 6 && knownList(z.zone) && !knownList(z.zone)!.ipv6 && z.status === 'not-listed') {
      findings.push({ code: 'dnsbl-no-ipv6', severity: 'info', message: `${label} has no IPv6 entries: "not listed" there is no news for ${ip}.` });
    }
  }
  const clean = results.filter((z) => z.status === 'not-listed');
  if (clean.length > 0) {
    findings.push({ code: 'dnsbl-not-listed', severity: 'info', message: `${ip} is not listed on ${clean.map((z) => z.list ?? z.zone).join(', ')}.` });
  }
  return {
    kind: 'dnsbl',
    ip,
    family,
    zones: results,
    listed: results.filter((z) => z.status === 'listed').map((z) => z.zone),
    findings,
    resolvers: resolver.servers(),
    startedAt: new Date(started).toISOString(),
    elapsedMs: Date.now() - started,
  };
}

// A generated DNS world for the checks: records of every type the checks read, at names the checks
// will ask about (the IPs' reverse names, the domain, its MX hosts, SPF includes, blocklist query
// names), with hostile contents (names and TXT strings holding any character, CNAME chains and
// loops, odd TTLs, null MX) and faults (SERVFAIL, REFUSED, TIMEOUT, … on chosen questions).
//
// The same world is served two ways: as decoded data by `worldResolver` (an in-memory Resolver like
// test/unit/memory-resolver.ts, plus rcodes and CNAMEs), and as DNS reply packets, byte-mutated,
// through the real resolver's decode path (./dns.ts).
import * as fc from 'fast-check';
import { dnsblPrefix } from '../../src/core/dnsbl/check';
import { shellQuote } from '../../src/core/escape';
import type { DnsRecord, LookupResult, RecordType, Resolver } from '../../src/core/dns/types';
import { normalizeName } from '../../src/core/dns/types';
import { reverseName } from '../../src/core/ip';
import { dmarcRecordArb } from './dmarc';
import { mutated } from './mutate';
import { mutatedSpfArb } from './spf';

export const WORLD_IPS = ['192.0.2.1', '192.0.2.2', '203.0.113.5', '2001:db8::1', '2001:db8::25', '127.0.0.2', '10.0.0.1'];
export const WORLD_DOMAINS = ['example.test', 'other.test'];
export const WORLD_ZONES = ['bl.example', 'zen.spamhaus.org'];
const HOSTS = ['mail.example.test', 'mx.example.test', 'mx2.example.test', 'helo.example.test', 'mail.other.test', '_spf.example.test', 'spf.other.test', 'exp.example.test'];

/** Names the checks ask about, so records land where they look. */
export const WORLD_NAMES: string[] = [
  ...WORLD_DOMAINS,
  ...HOSTS,
  ...WORLD_IPS.map(reverseName),
  ...WORLD_IPS.flatMap((ip) => WORLD_ZONES.map((z) => `${dnsblPrefix(ip)}.${z}`)),
  ...WORLD_ZONES.map((z) => `2.0.0.127.${z}`),
  ...WORLD_ZONES.map((z) => `1.0.0.127.${z}`),
  // DMARC: the policy records and the report authorizations the DMARC check asks for.
  ...WORLD_DOMAINS.map((d) => `_dmarc.${d}`),
  ...WORLD_DOMAINS.map((d) => `${d}._report._dmarc.other.test`),
];

/** A name as DNS can deliver it: mostly from the world, sometimes anything a label can hold. */
const hostileName = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...WORLD_NAMES) },
  { weight: 1, arbitrary: fc.domain() },
  {
    weight: 1,
    arbitrary: fc.constantFrom('', '.', 'localhost', 'dyna-web', 'ex\u202eample.test', 'mail\n.example.test', 'a b.example.test', 'x\u0000y.test', '\u001b[31mred.test', 'ü.example.test', '-q.test', "it's.test", 'a'.repeat(70) + '.test', `${'a.'.repeat(130)}test`, 'MAIL.Example.TEST', 'mail.example.test.'),
  },
);

// dns-packet decodes an A record whose RDATA is cut short as "undefined.undefined.undefined.undefined";
// the resolver now refuses such replies (the dns-shape property of target dns-decode), but a Resolver
// of another make may not: the checks must cope.
const ipv4 = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...WORLD_IPS.filter((i) => !i.includes(':'))) },
  { weight: 2, arbitrary: fc.ipV4() },
  { weight: 2, arbitrary: fc.constantFrom('127.0.0.2', '127.0.0.10', '127.255.255.254', '127.0.1.2', '0.0.0.0') },
  { weight: 1, arbitrary: fc.constant('undefined.undefined.undefined.undefined') },
);
const ipv6 = fc.oneof({ weight: 3, arbitrary: fc.constantFrom('2001:db8::1', '2001:db8::25', '::ffff:192.0.2.1', '::1', '::') }, { weight: 1, arbitrary: fc.ipV6() });
const ttl = fc.oneof({ weight: 5, arbitrary: fc.nat({ max: 86400 }) }, { weight: 1, arbitrary: fc.constantFrom(0, 2147483647, 4294967295) });

/** TXT data as character-strings: SPF records (split at 255), DMARC, blocklist reasons, junk. */
const txtData = fc.oneof(
  { weight: 6, arbitrary: mutatedSpfArb },
  { weight: 2, arbitrary: mutated(dmarcRecordArb, { maxOps: 2, cleanWeight: 2 }) },
  { weight: 1, arbitrary: fc.constantFrom('v=DMARC1; p=reject', 'Listed by bl.example, see https://bl.example/q?ip=192.0.2.1', 'v=spf1 include:_spf.example.test -all', 'v=spf1 mx a:mail.example.test ~all', 'v=spf1 redirect=spf.other.test', 'v=spf1 exists:%{ir}.%{l1r+-}._spf.%{d} -all', 'v=spf1 -all exp=exp.example.test', 'v=spf1 ptr -all', 'v=spf1 include:example.test -all') },
  { weight: 1, arbitrary: fc.string({ maxLength: 80, unit: 'binary' }) },
  { weight: 1, arbitrary: fc.constantFrom('\u001b]52;c;cm0gLXJmIH4=\u0007', 'line1\nline2\rline3', '\u202eevil', 'x'.repeat(600)) },
).chain((s) => fc.oneof(fc.constant([s]), fc.nat({ max: 300 }).map((cut) => (cut < s.length ? [s.slice(0, cut), s.slice(cut)] : [s]))));

type RecordSpec = [RecordType | 'HINFO', fc.Arbitrary<unknown>];
const RECORD_TYPES: [number, RecordSpec][] = [
  [4, ['A', ipv4]],
  [2, ['AAAA', ipv6]],
  [3, ['PTR', hostileName]],
  [2, ['CNAME', hostileName]],
  [3, ['MX', fc.record({ preference: fc.oneof(fc.nat({ max: 20 }), fc.constantFrom(0, 65535)), exchange: fc.oneof({ weight: 5, arbitrary: hostileName }, { weight: 1, arbitrary: fc.constant('') }) })]],
  [5, ['TXT', txtData]],
  [1, ['SPF', txtData]],
  [1, ['NS', hostileName]],
  [1, ['DNAME', hostileName]],
  [1, ['HINFO', fc.constant({ cpu: 'x', os: 'y' })]],
];

export const recordArb: fc.Arbitrary<DnsRecord> = fc
  .tuple(hostileName, ttl, fc.oneof(...RECORD_TYPES.map(([weight, [type, data]]) => ({ weight, arbitrary: data.map((d) => [type, d] as const) }))))
  .map(([name, t, [type, data]]) => ({ name: normalizeName(name), type, ttl: t, data }) as DnsRecord);

export const RCODES = ['SERVFAIL', 'REFUSED', 'TIMEOUT', 'UNREACHABLE', 'FORMERR', 'NOTIMP', 'BADREPLY', 'NXDOMAIN', 'YXDOMAIN', 'RCODE_15'];

export interface World {
  records: DnsRecord[];
  /** `name|TYPE` → rcode to answer instead. */
  faults: Record<string, string>;
  /** Zone apexes whose SOA goes in the authority section. */
  zones: string[];
}

export const worldArb: fc.Arbitrary<World> = fc.record({
  records: fc.array(recordArb, { maxLength: 40 }),
  faults: fc.dictionary(
    fc.tuple(fc.constantFrom(...WORLD_NAMES), fc.constantFrom('A', 'AAAA', 'PTR', 'MX', 'TXT', 'SOA')).map(([n, t]) => `${n}|${t}`),
    fc.constantFrom(...RCODES),
    { maxKeys: 4 },
  ),
  zones: fc.subarray([...WORLD_DOMAINS, 'in-addr.arpa', '2.0.192.in-addr.arpa', 'ip6.arpa', ...WORLD_ZONES]),
});

/** The records of `world` at `name` and the SOA to put in the authority section. */
export function answersFor(world: World, name: string): { records: DnsRecord[]; exists: boolean; soa?: DnsRecord } {
  const records = world.records.filter((r) => r.name === name);
  const exists = records.length > 0 || world.records.some((r) => r.name.endsWith(`.${name}`));
  const apex = world.zones.filter((z) => name === z || name.endsWith(`.${z}`)).sort((a, b) => b.length - a.length)[0];
  const soa: DnsRecord | undefined = apex
    ? { name: apex, type: 'SOA', ttl: 300, data: { mname: `ns.${apex}`, rname: `hostmaster.${apex}`, serial: 1, refresh: 1, retry: 1, expire: 1, minimum: 300 } }
    : undefined;
  return { records, exists, ...(soa ? { soa } : {}) };
}

export const WORLD_SERVER = '127.0.0.1:5399';

/** The world as decoded data: no packets, answers at once. CNAMEs are followed as the real resolver does. */
export function worldResolver(world: World): Resolver {
  const query = async (nameIn: string, type: RecordType) => {
    const name = normalizeName(nameIn);
    const fault = world.faults[`${name}|${type}`];
    const { records, exists, soa } = answersFor(world, name);
    const answers = records.filter((r) => r.type === type || r.type === 'CNAME');
    const rcode = fault ?? (exists ? 'NOERROR' : 'NXDOMAIN');
    const bad = fault !== undefined && fault !== 'NXDOMAIN';
    return {
      question: { name, type },
      rcode,
      answers: bad ? [] : answers,
      authorities: soa && !bad ? [soa] : [],
      server: WORLD_SERVER,
      transport: 'udp' as const,
      authoritative: true,
      ...(bad ? { error: `fault ${fault} \u202e for ${name}` } : {}),
      elapsedMs: 0,
    };
  };
  const lookup = async (nameIn: string, type: RecordType): Promise<LookupResult> => {
    const cnames: LookupResult['cnames'] = [];
    let current = normalizeName(nameIn);
    const seen = new Set([current]);
    for (let hop = 0; hop < 9; hop++) {
      const r = await query(current, type);
      const records = r.answers.filter((a) => a.type === type);
      const c = r.answers.find((a) => a.type === 'CNAME');
      if (records.length > 0 || !c || type === 'CNAME' || r.rcode !== 'NOERROR') {
        return { ...r, records, cnames, ttl: records.length > 0 ? Math.min(...records.map((x) => x.ttl)) : null };
      }
      const target = String(c.data);
      cnames.push({ name: current, target, ttl: c.ttl });
      if (seen.has(target)) return { ...r, rcode: 'SERVFAIL', error: `CNAME loop at ${target}`, records: [], cnames, ttl: null };
      seen.add(target);
      current = target;
    }
    const r = await query(current, type);
    return { ...r, rcode: 'SERVFAIL', error: 'CNAME chain too long', records: [], cnames, ttl: null };
  };
  return {
    query,
    lookup,
    servers: () => [WORLD_SERVER],
    dig: (name, type) => `dig @127.0.0.1 -p 5399 ${shellQuote(normalizeName(name))} ${type}`,
  };
}

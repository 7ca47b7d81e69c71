// The offline audit: the workspace's zones answer as their servers would, and every PTR of its
// reverse zones is audited against its forward zones by the same rDNS check as a live audit. Names
// no zone of the workspace answers for are asked of DNS when a resolver is given, and otherwise
// answered REFUSED ("not in the workspace"): the row says iprev temperror, not a guess.
import type { DnsRecord, DnsResponse, LookupResult, QueryOptions, RecordType, Resolver } from '../dns/types';
import { normalizeName } from '../dns/types';
import type { ZoneRecord } from '../zone/types';
import { ipFromReverseName, isReverseName, type ZoneIndex } from '../zone/zoneIndex';

export const WORKSPACE_SERVER = 'workspace';

function toRecord(r: ZoneRecord, name: string, type: string, value: string): DnsRecord {
  return { name: normalizeName(name), type: type as 'A', ttl: r.ttl, data: type === 'A' || type === 'AAAA' ? value : normalizeName(value) };
}

/** A Resolver over the zones of a ZoneIndex (read only), falling back to `outside` for other names. */
export function zoneResolver(index: ZoneIndex, outside?: Resolver): Resolver {
  const answer = (nameIn: string, type: RecordType): LookupResult | undefined => {
    const name = `${normalizeName(nameIn)}.`;
    const f = index.lookup(name, type);
    if (f.status === 'outside' && f.cnames.length === 0) return undefined;
    const cnames = f.cnames.map((c) => ({ name: normalizeName(c.owner), target: normalizeName(c.target ?? ''), ttl: c.ttl }));
    const answers: DnsRecord[] = [
      ...f.cnames.map((c): DnsRecord => ({ name: normalizeName(c.owner), type: 'CNAME', ttl: c.ttl, data: normalizeName(c.target ?? '') })),
      ...(f.status === 'found' ? f.records.map((r, i) => toRecord(r, f.name, type, f.values[i])) : []),
    ];
    const records = answers.filter((a) => a.type === type);
    return {
      question: { name: normalizeName(nameIn), type },
      rcode: f.status === 'nxdomain' ? 'NXDOMAIN' : f.status === 'outside' ? 'REFUSED' : 'NOERROR',
      answers,
      authorities: [],
      server: WORKSPACE_SERVER,
      transport: 'cache',
      authoritative: true,
      ...(f.status === 'outside' ? { error: `a CNAME leads to ${f.name}, which no zone of the workspace answers for` } : {}),
      elapsedMs: 0,
      records,
      cnames,
      ttl: records.length > 0 ? Math.min(...records.map((r) => r.ttl)) : null,
    };
  };
  const notHere = (name: string, type: RecordType): LookupResult => ({
    question: { name: normalizeName(name), type },
    rcode: 'REFUSED',
    answers: [],
    authorities: [],
    server: WORKSPACE_SERVER,
    transport: 'cache',
    authoritative: false,
    error: `no zone of the workspace answers for ${normalizeName(name)} (offline: --resolver asks DNS for such names)`,
    elapsedMs: 0,
    records: [],
    cnames: [],
    ttl: null,
  });
  return {
    async query(name: string, type: RecordType, o?: QueryOptions): Promise<DnsResponse> {
      const a = answer(name, type);
      if (a) return a;
      return outside ? outside.query(name, type, o) : notHere(name, type);
    },
    async lookup(name: string, type: RecordType, o?: QueryOptions): Promise<LookupResult> {
      const a = answer(name, type);
      if (a) return a;
      return outside ? outside.lookup(name, type, o) : notHere(name, type);
    },
    servers: () => [WORKSPACE_SERVER, ...(outside?.servers() ?? [])],
    dig: (name: string, type: RecordType) => (outside ? outside.dig(name, type) : `dig ${normalizeName(name)} ${type}`),
  };
}

/** Every address with a PTR record in the workspace's reverse zones, once each, in zone order. */
export function* reverseZoneAddresses(index: ZoneIndex): Generator<string> {
  const seen = new Set<string>();
  for (const r of index.records()) {
    if (r.type !== 'PTR' || !isReverseName(r.owner)) continue;
    const ip = ipFromReverseName(r.owner);
    if (ip && !seen.has(ip)) {
      seen.add(ip);
      yield ip;
    }
  }
}

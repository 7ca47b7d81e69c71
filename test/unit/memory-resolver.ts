// A Resolver over an in-memory table, for tests of pure code that needs real check results (the
// report documents): no sockets, answers at once. Names not in the table are NXDOMAIN; a name in it
// without the asked type is NOERROR with no records. An SOA for the longest apex in `zones` is put in
// the authority section, so findZone() works.
import type { DnsRecord, LookupResult, RecordType, Resolver } from '../../src/core/dns/types';
import { normalizeName } from '../../src/core/dns/types';

export interface MemoryEntry {
  /** Each TXT record as its character-strings (joined without separator by SPF), or one string. */
  TXT?: (string | string[])[];
  A?: string[];
  AAAA?: string[];
  MX?: [number, string][];
  PTR?: string[];
}

export const MEMORY_SERVER = '127.0.0.1:5300';

export function memoryResolver(table: Record<string, MemoryEntry>, zones: string[] = []): Resolver {
  const entries = new Map(Object.entries(table).map(([name, entry]) => [normalizeName(name), entry]));
  const apex = (name: string) =>
    zones
      .map(normalizeName)
      .filter((z) => name === z || name.endsWith(`.${z}`))
      .sort((a, b) => b.length - a.length)[0];
  const lookup = async (nameIn: string, type: RecordType): Promise<LookupResult> => {
    const name = normalizeName(nameIn);
    const entry = entries.get(name);
    const raw: unknown[] = entry ? ((entry as Record<string, unknown[] | undefined>)[type] ?? []) : [];
    const records = raw.map((d): DnsRecord => {
      if (type === 'TXT') return { name, type: 'TXT', ttl: 300, data: Array.isArray(d) ? (d as string[]) : [d as string] };
      if (type === 'MX') {
        const [preference, exchange] = d as [number, string];
        return { name, type: 'MX', ttl: 300, data: { preference, exchange } };
      }
      return { name, type: type as 'A', ttl: 300, data: d as string };
    });
    const zone = apex(name);
    const authorities: DnsRecord[] = zone
      ? [{ name: zone, type: 'SOA', ttl: 300, data: { mname: `ns.${zone}`, rname: `hostmaster.${zone}`, serial: 1, refresh: 1, retry: 1, expire: 1, minimum: 300 } }]
      : [];
    return {
      question: { name, type },
      rcode: entry || [...entries.keys()].some((n) => n.endsWith(`.${name}`)) ? 'NOERROR' : 'NXDOMAIN',
      answers: records,
      authorities,
      server: MEMORY_SERVER,
      transport: 'udp',
      authoritative: true,
      elapsedMs: 0,
      records,
      cnames: [],
      ttl: records.length > 0 ? 300 : null,
    };
  };
  return {
    query: lookup,
    lookup,
    servers: () => [MEMORY_SERVER],
    dig: (name, type) => `dig @127.0.0.1 -p 5300 ${name} ${type}`,
  };
}

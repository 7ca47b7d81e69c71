// A Resolver that answers from the workspace's zones (a ZoneIndex) as their servers would once
// the files are loaded: so a check can run against edited zones before anything is published.
// Names no zone of the workspace holds go to `outside` (live DNS) when given, else REFUSED.
import type { DnsRecord, DnsResponse, LookupResult, QueryOptions, RecordType, Resolver } from '../dns/types';
import { normalizeName } from '../dns/types';
import { bare } from './names';
import { decodeCharString } from './rdata';
import type { ZoneRecord } from './types';
import type { ZoneIndex } from './zoneIndex';

export const WORKSPACE_SERVER = 'workspace zones';

const abs = (name: string) => (name.endsWith('.') ? name.toLowerCase() : `${name.toLowerCase()}.`);

function toDnsRecord(r: ZoneRecord): DnsRecord {
  const name = bare(r.owner);
  switch (r.type) {
    case 'A':
    case 'AAAA':
      return { name, type: r.type, ttl: r.ttl, data: r.address ?? '' };
    case 'PTR':
    case 'CNAME':
    case 'NS':
    case 'DNAME':
      return { name, type: r.type, ttl: r.ttl, data: bare(r.target ?? '') };
    case 'MX':
      return { name, type: 'MX', ttl: r.ttl, data: { preference: r.preference ?? 0, exchange: bare(r.target ?? '') } };
    case 'TXT':
    case 'SPF':
      return { name, type: r.type, ttl: r.ttl, data: r.rdata.map((t) => decodeCharString(t.text)) };
    case 'SOA': {
      const n = r.rdata.map((t) => Number(t.text));
      const names = r.rdata.map((t) => t.text);
      return { name, type: 'SOA', ttl: r.ttl, data: { mname: bare(abs(names[0] ?? '')), rname: bare(abs(names[1] ?? '')), serial: n[2], refresh: n[3], retry: n[4], expire: n[5], minimum: n[6] } };
    }
    default:
      return { name, type: r.type, ttl: r.ttl, data: r.rdata.map((t) => t.text).join(' ') };
  }
}

/** Answers from `index`; `outside` answers for names none of its zones holds. */
export function zoneIndexResolver(index: ZoneIndex, outside?: Resolver): Resolver {
  const soaOf = (origin: string): DnsRecord[] => {
    const z = index.zoneFor(origin);
    const soa = z ? index.recordsOfTypeIn(z, origin, 'SOA')[0] : undefined;
    return soa ? [toDnsRecord(soa)] : [];
  };
  const refused = (name: string, type: RecordType): LookupResult => ({
    question: { name, type },
    rcode: 'REFUSED',
    answers: [],
    authorities: [],
    server: WORKSPACE_SERVER,
    transport: 'cache',
    authoritative: false,
    error: `no zone of the workspace holds ${name}`,
    elapsedMs: 0,
    records: [],
    cnames: [],
    ttl: null,
  });
  const query = async (nameIn: string, type: RecordType, options?: QueryOptions): Promise<DnsResponse> => {
    options?.signal?.throwIfAborted();
    const name = normalizeName(nameIn);
    const z = index.zoneFor(abs(name));
    if (!z) return outside ? outside.query(name, type, options) : refused(name, type);
    const at = index.recordsAt(abs(name));
    const cname = type === 'CNAME' ? [] : at.filter((r) => r.type === 'CNAME');
    const answers = (cname.length > 0 ? cname : at.filter((r) => r.type === type)).map(toDnsRecord);
    const exists = index.exists(abs(name));
    return {
      question: { name, type },
      rcode: exists ? 'NOERROR' : 'NXDOMAIN',
      answers,
      // RFC 2308 §3: a negative answer carries the zone's SOA.
      authorities: answers.length === 0 ? soaOf(z.origin) : [],
      server: WORKSPACE_SERVER,
      transport: 'cache',
      authoritative: true,
      elapsedMs: 0,
    };
  };
  const lookup = async (nameIn: string, type: RecordType, options?: QueryOptions): Promise<LookupResult> => {
    options?.signal?.throwIfAborted();
    const name = normalizeName(nameIn);
    const found = index.lookup(abs(name), type);
    const cnames = found.cnames.map((c) => ({ name: bare(c.owner), target: bare(c.target ?? ''), ttl: c.ttl }));
    if (found.status === 'outside') {
      if (cnames.length === 0) return outside ? outside.lookup(name, type, options) : refused(name, type);
      const rest = outside ? await outside.lookup(bare(found.name), type, options) : refused(bare(found.name), type);
      return { ...rest, question: { name, type }, cnames: [...cnames, ...rest.cnames] };
    }
    const records = found.records.map(toDnsRecord);
    const answers = [...found.cnames.map(toDnsRecord), ...records];
    return {
      question: { name, type },
      rcode: found.status === 'nxdomain' ? 'NXDOMAIN' : 'NOERROR',
      answers,
      authorities: records.length === 0 ? soaOf(found.zone.origin) : [],
      server: WORKSPACE_SERVER,
      transport: 'cache',
      authoritative: true,
      elapsedMs: 0,
      records,
      cnames,
      ttl: records.length > 0 ? Math.min(...records.map((r) => r.ttl)) : null,
    };
  };
  return {
    query,
    lookup,
    servers: () => [WORKSPACE_SERVER, ...(outside ? outside.servers() : [])],
    // The same question, asked of a server that has loaded the edited files.
    dig: (name, type) => `dig @<your name server> ${name} ${type}`,
  };
}

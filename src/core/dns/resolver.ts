// A stub resolver that asks configured servers directly (normally recursive resolvers).
//
// Policy, per question:
// - Queries carry a random ID and EDNS(0) with a 1232-byte UDP payload (the DNS Flag Day 2020 size).
// - Attempt n (0 ≤ n ≤ retries) goes to server n mod N over UDP and waits `timeoutMs` for a reply
//   whose ID and question match; anything else is dropped while waiting.
// - A truncated reply (TC=1) is asked again over TCP of the same server (RFC 7766 §5).
// - FORMERR/NOTIMP to an EDNS query is asked again without EDNS (RFC 6891 §7).
// - SERVFAIL and REFUSED move on to the next server while attempts remain; the last answer stands.
// - Timeouts and network errors use up an attempt; when all are used the answer is rcode TIMEOUT.
// - Identical questions in flight share one exchange; answers are cached for their TTL
//   (negative answers for the SOA minimum, RFC 2308 §5), transport failures are not cached.
// - At most MAX_RECORDS records per section of a reply are decoded and kept (the answer budget);
//   further answers are counted in `omitted`.
// - A reply that matches but holds malformed records (./wire.ts) uses up an attempt like a timeout;
//   when every attempt fails and one of them was malformed, the answer is rcode BADREPLY.
// - Every wait honours the caller's AbortSignal; nothing else throws. A shared exchange stops (its
//   sockets closed) once every caller that asked for it has aborted, and not before.
// - A question asked with a used-up QueryBudget (./budget.ts) is not sent: its answer is rcode
//   BUDGET. The budget is checked before the cache, so a check's count does not depend on timing.
import { randomInt } from 'node:crypto';
import * as dns from 'node:dns';
import { setMaxListeners } from 'node:events';
import * as net from 'node:net';
import * as packet from 'dns-packet';
import { shellQuote, zoneText } from '../escape';
import { decimalPort } from '../ip';
import type { Rcode } from '../model';
import { budgetResponse, takeBudget } from './budget';
import { UdpPool } from './pool';
import { formatServer, type ServerAddress, tcpExchange, TransportError, udpExchange } from './transport';
import type { WireRecord } from './wire';
import {
  abortError,
  type DnsRecord,
  type DnsResponse,
  type LookupResult,
  normalizeName,
  type QueryOptions,
  type RecordType,
  type Resolver,
  type SoaData,
} from './types';

export interface ResolverOptions {
  /** `host`, `host:port` or `[v6]:port`; empty or absent means the system's servers. */
  servers?: string[];
  /** Wait for one reply, in ms. */
  timeoutMs?: number;
  /** Further attempts after the first. */
  retries?: number;
  /** Longest time an answer is cached, in seconds (answers are never kept past their TTL). */
  maxCacheTtl?: number;
  /** Maximum cached answers. */
  maxCacheEntries?: number;
  /**
   * Maximum size of the cache, in bytes as estimated by `responseBytes` (default 32 MiB). The cache
   * is least-recently-used: a hit moves an answer to the back, the front goes first.
   */
  maxCacheBytes?: number;
  /**
   * Ask over a pool of this many pipelined UDP sockets per server (./pool.ts) instead of one
   * socket per query: for clients that keep hundreds of questions in flight (the audit). 0 or
   * absent: one socket per query.
   */
  udpSockets?: number;
}

/** What a resolver holds now: bounded, whatever the number of questions asked (the audit's memory claim). */
export interface ResolverStats {
  cacheEntries: number;
  /** Estimated bytes of the cached answers (`responseBytes`). */
  cacheBytes: number;
  /** Questions in flight (shared flights count once). */
  inflight: number;
  /** Open UDP sockets of the pool (0 without one), and queries waiting on them. */
  sockets: number;
  pending: number;
  /** Answers put in the cache, and pushed out of it to stay within its bounds, so far. */
  stored: number;
  evicted: number;
}

/**
 * A cached answer's size in bytes, estimated from its strings and records: an upper bound of what
 * V8 holds for it (the cache entry, its key, the answer object, its records, each string at one
 * byte a character plus a header), used to bound the cache by size rather than by count, since one
 * answer can be a hundred times another. Calibrated against the heap: an audit's cache of PTR, A
 * and NXDOMAIN answers measured 800 bytes an answer, and this says 840 on average for them.
 */
export function responseBytes(r: DnsResponse): number {
  // The entry, its key (name|type) and Map slot; the answer object, its question, its two arrays.
  let n = 620 + 2 * r.question.name.length + r.server.length + (r.error?.length ?? 0);
  for (const rec of r.answers) n += recordBytes(rec);
  for (const rec of r.authorities) n += recordBytes(rec);
  return n;
}

function recordBytes(rec: DnsRecord): number {
  const d = rec.data;
  // The record object and its array slot, its owner name.
  let n = 80 + rec.name.length;
  if (typeof d === 'string') n += 32 + d.length;
  else if (Array.isArray(d)) for (const x of d) n += 40 + (typeof x === 'string' ? x.length : 64);
  // An object (SOA, MX): its fields and the names it holds.
  else n += 240;
  return n;
}

export type ParsedServer = { ok: true; host: string; port: number } | { ok: false; error: string };

/** Parses `host`, `host:port`, `[v6]:port` or a bare IPv6 address. The host must be an IP address (or localhost). */
export function parseServer(text: string): ParsedServer {
  const t = text.trim();
  let host = t;
  let portText: string | undefined;
  const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(t);
  if (bracket) {
    host = bracket[1];
    portText = bracket[2];
  } else if ((t.match(/:/g) ?? []).length === 1) {
    [host, portText] = t.split(':');
  }
  if (host === 'localhost') host = '127.0.0.1';
  if (!net.isIP(host)) {
    return { ok: false, error: `resolver ${JSON.stringify(text)}: the host must be an IP address (e.g. 127.0.0.1:5353 or [::1]:53)` };
  }
  const port = portText === undefined ? 53 : decimalPort(portText);
  if (port === undefined) {
    return { ok: false, error: `resolver ${JSON.stringify(text)}: port must be a number from 1 to 65535` };
  }
  return { ok: true, host, port };
}

/** The servers Node.js reports for this system (from /etc/resolv.conf on Linux). */
export function systemServers(): string[] {
  return dns.getServers();
}

/** A decoded record as checks see it: names lower case without the final dot, TXT strings as text. */
function normalizeRecord(a: WireRecord): DnsRecord | undefined {
  const name = normalizeName(a.name);
  const { ttl, data } = a;
  switch (a.type) {
    case 'A':
    case 'AAAA':
      return { name, type: a.type, ttl, data: data as string };
    case 'PTR':
    case 'CNAME':
    case 'NS':
    case 'DNAME':
      return { name, type: a.type, ttl, data: normalizeName(data as string) };
    case 'MX': {
      const mx = data as { preference: number; exchange: string };
      return { name, type: 'MX', ttl, data: { preference: mx.preference, exchange: normalizeName(mx.exchange) } };
    }
    case 'TXT':
    case 'SPF':
      return { name, type: a.type, ttl, data: (data as Buffer[]).map((p) => p.toString('utf8')) };
    case 'SOA': {
      const s = data as SoaData;
      return { name, type: 'SOA', ttl, data: { ...s, mname: normalizeName(s.mname), rname: normalizeName(s.rname) } };
    }
    case 'OPT':
      return undefined;
    default:
      return { name, type: a.type, ttl, data };
  }
}

const RCODE_WORDS: Record<string, string> = {
  SERVFAIL: 'the server failed to answer (SERVFAIL)',
  REFUSED: 'the server refused to answer (REFUSED)',
  NOTIMP: 'the server does not implement this query (NOTIMP)',
  FORMERR: 'the server could not parse the query (FORMERR)',
};

const MAX_CNAME_CHAIN = 8;

interface Flight {
  promise: Promise<DnsResponse>;
  controller: AbortController;
  /** Callers with a signal still waiting. */
  waiting: number;
  /** A caller without a signal is waiting: never abort. */
  pinned: boolean;
}

class CachingResolver implements Resolver {
  /** In least-recently-used order: Map keeps insertion order, and a hit re-inserts. */
  private readonly cache = new Map<string, { expires: number; response: DnsResponse; bytes: number }>();
  private cacheBytes = 0;
  private stored = 0;
  private evicted = 0;
  private readonly maxCacheBytes: number;
  private readonly pool: UdpPool | undefined;
  private readonly inflight = new Map<string, Flight>();
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly maxCacheTtl: number;
  private readonly maxCacheEntries: number;
  private readonly explicit: boolean;

  constructor(
    private readonly addresses: ServerAddress[],
    options: ResolverOptions,
  ) {
    this.timeoutMs = options.timeoutMs ?? 3000;
    this.retries = options.retries ?? 2;
    this.maxCacheTtl = options.maxCacheTtl ?? 3600;
    this.maxCacheEntries = options.maxCacheEntries ?? 10000;
    this.maxCacheBytes = options.maxCacheBytes ?? 32 * 1024 * 1024;
    this.pool = options.udpSockets && options.udpSockets > 0 ? new UdpPool({ sockets: options.udpSockets }) : undefined;
    this.explicit = (options.servers?.length ?? 0) > 0;
  }

  servers(): string[] {
    return this.addresses.map(formatServer);
  }

  stats(): ResolverStats {
    const p = this.pool?.stats();
    return {
      cacheEntries: this.cache.size,
      cacheBytes: this.cacheBytes,
      inflight: this.inflight.size,
      sockets: p?.sockets ?? 0,
      pending: p?.pending ?? 0,
      stored: this.stored,
      evicted: this.evicted,
    };
  }

  close(): void {
    this.pool?.close();
  }

  dig(name: string, type: RecordType): string {
    const s = this.addresses[0];
    const at = this.explicit && s ? `@${s.host}${s.port === 53 ? '' : ` -p ${s.port}`} ` : '';
    // A name from DNS may hold control characters: written as dig writes them (\DDD), never raw.
    const n = zoneText(normalizeName(name));
    const ptr = type === 'PTR' ? reverseToIp(n) : undefined;
    if (ptr) return `dig ${at}-x ${ptr}`;
    // A name starting with '-' would be read as an option: name it with -q instead.
    return n.startsWith('-') ? `dig ${at}-q ${shellQuote(n)} -t ${type}` : `dig ${at}${shellQuote(n)} ${type}`;
  }

  query(name: string, type: RecordType, options: QueryOptions = {}): Promise<DnsResponse> {
    const qname = normalizeName(name);
    const over = takeBudget(options.budgets);
    if (over) return Promise.resolve(budgetResponse(qname, type, over, this.servers()[0] ?? '-'));
    const key = `${qname}|${type}`;
    const now = Date.now();
    const cached = this.cache.get(key);
    if (cached && cached.expires > now) {
      // Least recently used goes first: a hit moves the answer to the back.
      this.cache.delete(key);
      this.cache.set(key, cached);
      return Promise.resolve({ ...cached.response, transport: 'cache', elapsedMs: 0 });
    }
    if (cached) this.drop(key, cached.bytes);
    let flight = this.inflight.get(key);
    if (!flight) {
      // The shared flight is not tied to any one caller's signal: one caller giving up must not
      // fail the others. It has its own controller, aborted when the last waiter has gone.
      const controller = new AbortController();
      const promise = this.resolveOnce(qname, type, controller.signal);
      const f: Flight = { promise, controller, waiting: 0, pinned: false };
      flight = f;
      this.inflight.set(key, f);
      promise.then(
        (r) => {
          this.inflight.delete(key);
          this.store(key, r);
        },
        () => this.inflight.delete(key),
      );
    }
    return this.wait(flight, options.signal);
  }

  private wait(flight: Flight, signal: AbortSignal | undefined): Promise<DnsResponse> {
    if (!signal) {
      // A caller that cannot abort keeps the exchange going to the end.
      flight.pinned = true;
      return flight.promise;
    }
    if (signal.aborted) return Promise.reject(abortError(signal));
    // Each waiting query listens on the caller's signal, and one check may have dozens waiting at
    // once: that is by design, not a leak, so lift Node's warning threshold for this signal.
    setMaxListeners(0, signal);
    flight.waiting++;
    return new Promise<DnsResponse>((resolve, reject) => {
      const onAbort = () => {
        flight.waiting--;
        if (flight.waiting === 0 && !flight.pinned) flight.controller.abort();
        reject(abortError(signal));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      flight.promise.then(
        (v) => {
          signal.removeEventListener('abort', onAbort);
          resolve(v);
        },
        (e) => {
          signal.removeEventListener('abort', onAbort);
          reject(e);
        },
      );
    });
  }

  async lookup(name: string, type: RecordType, options: QueryOptions = {}): Promise<LookupResult> {
    const cnames: LookupResult['cnames'] = [];
    let current = normalizeName(name);
    const seen = new Set<string>([current]);
    for (;;) {
      const r = await this.query(current, type, options);
      // Follow the chain inside this answer first (recursive servers return it whole).
      let owner = current;
      for (let i = 0; i < MAX_CNAME_CHAIN; i++) {
        const c = r.answers.find((a) => a.name === owner && a.type === 'CNAME');
        if (!c || type === 'CNAME') break;
        const target = c.data as string;
        cnames.push({ name: owner, target, ttl: c.ttl });
        if (seen.has(target)) return finish(r, [], cnames, `CNAME loop at ${target}`);
        seen.add(target);
        owner = target;
      }
      const records = r.answers.filter((a) => a.name === owner && a.type === type);
      if (records.length > 0 || owner === current || r.rcode !== 'NOERROR') return finish(r, records, cnames);
      if (cnames.length >= MAX_CNAME_CHAIN) return finish(r, [], cnames, `CNAME chain longer than ${MAX_CNAME_CHAIN}`);
      // The answer stopped at a CNAME whose target it did not include: ask for the target.
      current = owner;
    }
  }

  private store(key: string, r: DnsResponse): void {
    let ttl: number | undefined;
    if (r.rcode === 'NOERROR' && r.answers.length > 0) ttl = Math.min(...r.answers.map((a) => a.ttl));
    else if (r.rcode === 'NXDOMAIN' || r.rcode === 'NOERROR') {
      const soa = r.authorities.find((a) => a.type === 'SOA');
      if (soa && soa.type === 'SOA') ttl = Math.min(soa.ttl, (soa.data as { minimum: number }).minimum);
    }
    if (!ttl || ttl <= 0) return;
    const bytes = responseBytes(r);
    if (bytes > this.maxCacheBytes / 4) return;
    const old = this.cache.get(key);
    if (old) this.drop(key, old.bytes);
    while (this.cache.size > 0 && (this.cache.size >= this.maxCacheEntries || this.cacheBytes + bytes > this.maxCacheBytes)) {
      const [oldest, entry] = this.cache.entries().next().value as [string, { bytes: number }];
      this.drop(oldest, entry.bytes);
      this.evicted++;
    }
    this.cache.set(key, { expires: Date.now() + Math.min(ttl, this.maxCacheTtl) * 1000, response: r, bytes });
    this.cacheBytes += bytes;
    this.stored++;
  }

  private drop(key: string, bytes: number): void {
    this.cache.delete(key);
    this.cacheBytes -= bytes;
  }

  private async resolveOnce(name: string, type: RecordType, signal: AbortSignal): Promise<DnsResponse> {
    const started = Date.now();
    let last: DnsResponse | undefined;
    const errors: string[] = [];
    let timedOut = false;
    let malformed = false;
    if (this.addresses.length === 0) {
      return this.failure(name, type, 'TIMEOUT', 'no DNS servers configured (the system reports none)', '-', started);
    }
    for (let attempt = 0; attempt <= this.retries; attempt++) {
      const server = this.addresses[attempt % this.addresses.length];
      try {
        const r = await this.exchange(server, name, type, true, started, signal);
        if ((r.rcode === 'FORMERR' || r.rcode === 'NOTIMP') && r.ednsSent) {
          last = await this.exchange(server, name, type, false, started, signal);
        } else {
          last = r;
        }
        if (last.rcode === 'SERVFAIL' || last.rcode === 'REFUSED') {
          errors.push(`${formatServer(server)}: ${last.rcode}`);
          if (this.addresses.length > 1 && attempt < this.retries) continue;
        }
        return stripInternal(last);
      } catch (e) {
        if (!(e instanceof TransportError)) throw e;
        if (e.kind === 'timeout') timedOut = true;
        if (e.kind === 'malformed') malformed = true;
        if (!errors.includes(e.message)) errors.push(e.message);
        last = undefined;
      }
    }
    if (last) return stripInternal(last);
    const server = this.addresses[this.retries % this.addresses.length];
    const tries = this.retries + 1;
    return this.failure(name, type, malformed ? 'BADREPLY' : timedOut ? 'TIMEOUT' : 'UNREACHABLE', `${tries} ${tries === 1 ? 'try' : 'tries'}, no usable reply: ${errors.join('; ')}`, formatServer(server), started);
  }

  private async exchange(
    server: ServerAddress,
    name: string,
    type: RecordType,
    edns: boolean,
    started: number,
    signal: AbortSignal,
  ): Promise<DnsResponse & { ednsSent: boolean }> {
    const id = randomInt(0, 65536);
    const query = packet.encode({
      type: 'query',
      id,
      flags: packet.RECURSION_DESIRED,
      questions: [{ type: type as packet.RecordType, name, class: 'IN' }],
      additionals: edns ? [{ type: 'OPT', name: '.', udpPayloadSize: 1232, flags: 0 } as unknown as packet.Answer] : [],
    });
    let ex = this.pool ? await this.pool.exchange(server, query, name, type, this.timeoutMs, signal) : await udpExchange(server, query, id, name, type, this.timeoutMs, signal);
    let transport: 'udp' | 'tcp' = 'udp';
    if (ex.reply.truncated) {
      ex = await tcpExchange(server, query, id, name, type, this.timeoutMs, signal);
      transport = 'tcp';
    }
    const reply = ex.reply;
    const rcode: Rcode = reply.rcode;
    const answers = reply.answers.map(normalizeRecord).filter((r): r is DnsRecord => r !== undefined);
    const authorities = reply.authorities.map(normalizeRecord).filter((r): r is DnsRecord => r !== undefined);
    return {
      question: { name, type },
      rcode,
      answers,
      authorities,
      server: formatServer(server),
      transport,
      authoritative: reply.authoritative,
      error: RCODE_WORDS[rcode],
      ...(reply.omitted > 0 ? { omitted: reply.omitted } : {}),
      elapsedMs: Date.now() - started,
      ednsSent: edns,
    };
  }

  private failure(name: string, type: string, rcode: Rcode, error: string, server: string, started: number): DnsResponse {
    return { question: { name, type }, rcode, answers: [], authorities: [], server, transport: 'udp', authoritative: false, error, elapsedMs: Date.now() - started };
  }
}

function stripInternal(r: DnsResponse & { ednsSent?: boolean }): DnsResponse {
  const { ednsSent: _ignored, ...rest } = r;
  return rest;
}

function finish(r: DnsResponse, records: DnsRecord[], cnames: LookupResult['cnames'], error?: string): LookupResult {
  const ttl = records.length > 0 ? Math.min(...records.map((x) => x.ttl)) : null;
  return { ...r, records, cnames, ttl, ...(error ? { rcode: 'SERVFAIL', error } : {}) };
}

/** `7.113.0.203.in-addr.arpa` → `203.0.113.7`; undefined for other names (dig -x needs an address). */
function reverseToIp(name: string): string | undefined {
  const v4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\.in-addr\.arpa$/.exec(name);
  if (v4) return `${v4[4]}.${v4[3]}.${v4[2]}.${v4[1]}`;
  const v6 = /^((?:[0-9a-f]\.){32})ip6\.arpa$/.exec(name);
  if (v6) {
    const hex = v6[1].split('.').filter(Boolean).reverse().join('');
    return hex.match(/.{4}/g)!.join(':').replace(/\b0+(?=[0-9a-f])/g, '');
  }
  return undefined;
}

/** A resolver that says what it holds (`stats`) and can close its socket pool. */
export interface PooledResolver extends Resolver {
  stats(): ResolverStats;
  close(): void;
}

/** Creates a resolver; throws with a message naming the bad entry when a server is not valid. */
export function createResolver(options: ResolverOptions = {}): PooledResolver {
  const texts = options.servers && options.servers.length > 0 ? options.servers : systemServers();
  const addresses: ServerAddress[] = [];
  for (const t of texts) {
    const p = parseServer(t);
    if (!p.ok) throw new Error(p.error);
    addresses.push({ host: p.host, port: p.port });
  }
  return new CachingResolver(addresses, options);
}

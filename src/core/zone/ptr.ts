// PTR ↔ A consistency across a workspace (RFC 1912 §2.1, RFC 8601 §3 iprev):
// - every PTR in a reverse zone: does the name it points to have an A/AAAA record pointing back?
// - every address of a mail host (MX targets, SPF `a`/`mx` hosts, single SPF `ip4:`/`ip6:`
//   addresses): does its PTR point back (forward-confirmed reverse DNS)?
// Answers come from the workspace's zones first; names no zone there is authoritative for are
// asked of DNS when a resolver is given, and skipped otherwise. Chains that come back to a name
// or address already seen (the seed's loop) are reported with the whole cycle.
// What depends only on an address (its confirming PTR names, its loop, the names that could be its
// PTR) is worked out once per address, so an address with 150,000 PTR records costs no more per
// record than one with a single PTR.
import type { RecordType, Resolver } from '../dns/types';
import { canonicalIp, reverseName } from '../ip';
import { severityOf } from './codes';
import type { LintOptions } from './lint';
import { bare, isAtOrBelow } from './names';
import { addRecordFix, targetEdit } from './recordEdit';
import { spfSenders } from './spfLint';
import type { ZoneFinding, ZoneFix, ZoneRecord } from './types';
import { type IndexedZone, ipFromReverseName, isReverseName, type ZoneIndex } from './zoneIndex';

interface Answer {
  status: 'found' | 'nodata' | 'nxdomain' | 'outside' | 'error';
  /** Addresses (canonical) or names (absolute, with the trailing dot). */
  values: string[];
  /** The workspace records that gave the answer. */
  records: ZoneRecord[];
  source: 'workspace' | 'dns';
  /** The zone that answered (workspace answers). */
  zone?: IndexedZone;
  error?: string;
  /** `values` as a set, made on the first `holds` question. */
  set?: Set<string>;
}

/** Does the answer hold this value? One set per answer instead of a scan per question. */
function holds(a: Answer, value: string): boolean {
  return (a.set ??= new Set(a.values)).has(value);
}

/** A value worked out once per key (a promise, so concurrent askers share it). */
function memo<T>(fn: (key: string) => Promise<T>): (key: string) => Promise<T> {
  const m = new Map<string, Promise<T>>();
  return (key) => {
    let p = m.get(key);
    if (!p) m.set(key, (p = fn(key)));
    return p;
  };
}

/** "a, b, c, d and 5 more": at most `max` items of a list that may be long. */
function listed(items: string[], max = 4, sep = ', '): string {
  return items.length <= max ? items.join(sep) : `${items.slice(0, max).join(sep)} and ${items.length - max} more`;
}

const LIVE_CONCURRENCY = 16;

/** Answers from the workspace, then (when allowed) from DNS; each question asked once. */
class Lookups {
  private readonly cache = new Map<string, Promise<Answer>>();
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly index: ZoneIndex,
    private readonly resolver?: Resolver,
    private readonly signal?: AbortSignal,
  ) {}

  addresses(name: string, type: 'A' | 'AAAA'): Promise<Answer> {
    return this.ask(name, type);
  }

  ptr(ip: string): Promise<Answer> {
    return this.ask(reverseName(ip) + '.', 'PTR');
  }

  private ask(name: string, type: RecordType): Promise<Answer> {
    const key = `${type} ${name}`;
    let p = this.cache.get(key);
    if (!p) this.cache.set(key, (p = this.resolve(name, type)));
    return p;
  }

  private async resolve(name: string, type: RecordType): Promise<Answer> {
    const w = this.index.lookup(name, type);
    if (w.status !== 'outside') {
      const values = w.status === 'found' ? (type === 'PTR' ? w.values : w.values.map(canonicalIp)) : [];
      return { status: w.status, values, records: w.records, source: 'workspace', zone: w.zone };
    }
    if (!this.resolver) return { status: 'outside', values: [], records: [], source: 'workspace' };
    await this.slot();
    try {
      const r = await this.resolver.lookup(bare(w.name), type, { signal: this.signal });
      const values = r.records.map((x) => (type === 'PTR' ? String(x.data).toLowerCase() + '.' : canonicalIp(String(x.data))));
      const status = r.rcode === 'NXDOMAIN' ? 'nxdomain' : r.rcode !== 'NOERROR' ? 'error' : values.length > 0 ? 'found' : 'nodata';
      return { status, values, records: [], source: 'dns', ...(status === 'error' ? { error: r.error ?? r.rcode } : {}) };
    } finally {
      this.release();
    }
  }

  private slot(): Promise<void> {
    if (this.active < LIVE_CONCURRENCY) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(() => (this.active++, resolve())));
  }

  private release(): void {
    this.active--;
    this.waiting.shift()?.();
  }
}

function find(code: string, message: string, file: string, start: number, end: number, extra: Partial<ZoneFinding> = {}): ZoneFinding {
  return { code, severity: severityOf(code), message, file, start, end, ...extra };
}

function familyOf(ip: string): 'A' | 'AAAA' {
  return ip.includes(':') ? 'AAAA' : 'A';
}

/**
 * Walks IP → PTR names → their addresses → their PTRs … and returns the path when it comes back
 * to something already on it without confirming (RFC 8601 §3: only the first two hops count, so
 * such a chain never confirms). The walk is small: a few branches per node, a few dozen nodes.
 */
async function findLoop(start: string, look: Lookups): Promise<string[] | undefined> {
  const family = familyOf(start);
  let budget = 32;
  const path: string[] = [start];
  // Coming back to the node two steps up is a name and an address that confirm each other (the
  // walk went past a healthy pair): not a loop. A longer cycle is.
  const cycle = (node: string): string[] | undefined => (path.length - path.lastIndexOf(node) > 2 ? [...path, node] : undefined);
  const fromIp = async (ip: string): Promise<string[] | undefined> => {
    if (--budget < 0) return undefined;
    const p = await look.ptr(ip);
    for (const name of p.values.slice(0, 4)) {
      if (path.includes(name)) {
        const c = cycle(name);
        if (c) return c;
        continue;
      }
      path.push(name);
      const r = await fromName(name);
      path.pop();
      if (r) return r;
    }
    return undefined;
  };
  const fromName = async (name: string): Promise<string[] | undefined> => {
    if (--budget < 0) return undefined;
    const a = await look.addresses(name, family);
    for (const ip of a.values.slice(0, 4)) {
      if (ip === start && path.length === 2) continue;
      if (path.includes(ip)) {
        const c = cycle(ip);
        if (c) return c;
        continue;
      }
      path.push(ip);
      const r = await fromIp(ip);
      path.pop();
      if (r) return r;
    }
    return undefined;
  };
  return fromIp(start);
}

function showPath(path: string[]): string {
  return path.map(bare).join(' → ') + ' (again)';
}

function describeForward(name: string, family: 'A' | 'AAAA', a: Answer): string {
  const where = a.source === 'dns' ? ' (from DNS)' : a.zone ? ` (in ${bare(a.zone.origin)})` : '';
  if (a.status === 'found') return `${bare(name)} has ${family} ${a.values.length > 4 ? `${a.values.slice(0, 3).join(', ')} and ${a.values.length - 3} more` : a.values.join(', ')}${where}`;
  if (a.status === 'nodata') return `${bare(name)} has no ${family} record${where}`;
  return `${bare(name)} does not exist${where}`;
}

/** Names in the workspace whose A/AAAA holds `ip`: what its PTR could say instead, best first. */
function candidates(ip: string, index: ZoneIndex, prefer: Set<string>): string[] {
  const names = [...new Set(index.recordsWithAddress(ip).filter((r) => index.zoneFor(r.owner) !== undefined).map((r) => r.owner))];
  return names.sort((a, b) => Number(prefer.has(b)) - Number(prefer.has(a)) || a.length - b.length || (a < b ? -1 : 1));
}

/** The first `n` of a candidate list that are not `not`. */
function firstBut(list: string[], n: number, not: string): string[] {
  const out: string[] = [];
  for (const x of list) {
    if (out.length >= n) break;
    if (x !== not) out.push(x);
  }
  return out;
}

function ptrFix(ptr: ZoneRecord, name: string, ip: string, why: string): ZoneFix | undefined {
  const edit = targetEdit(ptr, name);
  if (!edit) return undefined;
  return {
    description: `Change the PTR of ${ip} to ${bare(name)}${why}`,
    zone: bare(ptr.origin),
    owner: bare(ptr.owner),
    type: 'PTR',
    current: bare(ptr.target ?? ''),
    proposed: bare(name),
    record: `${ptr.owner} ${ptr.ttl} IN PTR ${name}`,
    edits: [edit],
  };
}

/** A new PTR record in the reverse zone, beside its neighbours and written as they are (recordEdit.ts). */
function addPtrFix(index: ZoneIndex, zone: IndexedZone | undefined, ip: string, name: string): ZoneFix | undefined {
  if (!zone) return undefined;
  const owner = reverseName(ip) + '.';
  return addRecordFix(index, { owner, type: 'PTR', data: name }, `Add a PTR record for ${ip}: ${bare(name)}`, {
    zone: bare(zone.origin),
    owner: bare(owner),
    type: 'PTR',
    proposed: bare(name),
    record: `${owner} 3600 IN PTR ${name}`,
  });
}

export async function lintConsistency(index: ZoneIndex, options: LintOptions): Promise<ZoneFinding[]> {
  const look = new Lookups(index, options.resolver, options.signal);
  const out: ZoneFinding[] = [];
  const mailHosts = collectMailHosts(index);
  const hostNames = new Set(mailHosts.keys());
  const candidatesOf = (() => {
    const m = new Map<string, string[]>();
    return (ip: string) => {
      let c = m.get(ip);
      if (!c) m.set(ip, (c = candidates(ip, index, hostNames)));
      return c;
    };
  })();
  const loopOf = memo((ip: string) => findLoop(ip, look));
  /** PTR names of `ip` that point back to it, the first two (one may be the PTR being checked). */
  const confirmersOf = memo(async (ip: string): Promise<string[]> => {
    const out: string[] = [];
    for (const n of (await look.ptr(ip)).values) {
      if (holds(await look.addresses(n, familyOf(ip)), ip)) out.push(n);
      if (out.length === 2) break;
    }
    return out;
  });

  // RFC 2317 classless delegation: `70.100.51.198.in-addr.arpa CNAME 70.64/26…` says which
  // address the PTR at the CNAME's target is for.
  const aliasIp = new Map<string, string>();
  for (const iz of index.zones) {
    for (const r of iz.zone.records) {
      if (r.type !== 'CNAME' || !r.target || !isReverseName(r.owner)) continue;
      const ip = ipFromReverseName(r.owner);
      if (ip) aliasIp.set(r.target, ip);
    }
  }

  const jobs: Promise<void>[] = [];
  for (const iz of index.zones) {
    for (const r of iz.zone.records) {
      if (r.type !== 'PTR' || r.target === undefined || !isReverseName(r.owner) || !isAtOrBelow(r.owner, iz.origin)) continue;
      const ip = aliasIp.get(r.owner) ?? ipFromReverseName(r.owner);
      if (ip) jobs.push(checkPtr(r, ip));
    }
  }

  async function checkPtr(r: ZoneRecord, ip: string): Promise<void> {
    const family = familyOf(ip);
    const target = r.target!;
    const tok = r.rdata[r.targetIndex ?? 0];
    const fwd = await look.addresses(target, family);
    if (fwd.status === 'outside') return;
    if (fwd.status === 'error') {
      out.push(find('live-lookup-failed', `could not check that ${bare(target)} points back to ${ip}: the ${family} lookup failed (${fwd.error})`, r.file, tok.start, tok.end));
      return;
    }
    if (holds(fwd, ip)) return;
    // Another PTR name of the same address may confirm it (RFC 8601 §3 needs only one).
    const confirmedBy = (await confirmersOf(ip)).find((n) => n !== target);
    const loop = confirmedBy ? undefined : await loopOf(ip);
    const better = firstBut(candidatesOf(ip), 4, target);
    const fix = better.length > 0 ? ptrFix(r, better[0], ip, ` (it has ${family} ${ip})`) : undefined;
    const alternatives = better.slice(1, 4).flatMap((n) => ptrFix(r, n, ip, ` (it has ${family} ${ip})`) ?? []);
    const extra: Partial<ZoneFinding> = {
      ...(fix ? { fix } : {}),
      ...(alternatives.length > 0 ? { alternatives } : {}),
      related: fwd.records.slice(0, 5).map((x) => ({ file: x.file, start: x.start, end: x.end, message: `${bare(x.owner)} ${x.type} ${x.address ?? x.target ?? ''}` })),
    };
    const forward = describeForward(target, family, fwd);
    if (loop) {
      out.push(
        find('ptr-loop', `${ip} PTR ${bare(target)}, but ${forward}: the chain never comes back to ${ip} and loops: ${showPath(loop)}. Forward-confirmed reverse DNS (RFC 8601 iprev) fails for ${ip}${better.length > 0 ? `; ${bare(better[0])} has ${family} ${ip}` : ''}`, r.file, tok.start, tok.end, extra),
      );
    } else if (fwd.status === 'found') {
      const tail = confirmedBy ? `; ${ip} still passes iprev through its other PTR ${bare(confirmedBy)}` : `: forward-confirmed reverse DNS (RFC 8601 iprev) fails for ${ip}`;
      out.push(find('ptr-forward-mismatch', `${ip} PTR ${bare(target)}, but ${forward}, not ${ip}${tail}`, r.file, tok.start, tok.end, extra));
    } else {
      const tail = confirmedBy ? `; ${ip} still passes iprev through its other PTR ${bare(confirmedBy)}` : `: forward-confirmed reverse DNS (RFC 8601 iprev) fails for ${ip}`;
      out.push(find('ptr-target-no-address', `${ip} PTR ${bare(target)}, but ${forward}${tail}`, r.file, tok.start, tok.end, extra));
    }
  }

  /** What the PTR names of an address say, the same wherever the address is named: worked out once per address. */
  const forwardOf = memo(async (ip: string): Promise<{ ok: true } | { failed: string } | { seen: string; names: string }> => {
    const family = familyOf(ip);
    const seen: string[] = [];
    for (const n of (await look.ptr(ip)).values) {
      const a = await look.addresses(n, family);
      if (holds(a, ip)) return { ok: true };
      // A PTR name no zone here answers for (and no live lookups): cannot tell.
      if (a.status === 'outside') return { ok: true };
      if (a.status === 'error') return { failed: `could not check that ${bare(n)} points back to ${ip}: the ${family} lookup failed (${a.error})` };
      seen.push(describeForward(n, family, a));
    }
    return { seen: listed(seen, 4, '; '), names: listed((await look.ptr(ip)).values.map(bare)) };
  });

  const checked = new Set<string>();
  /** Forward-confirmation of one address of a mail host, reported at `where`. */
  async function checkMailAddress(ip: string, host: string | undefined, why: string, where: { file: string; start: number; end: number }): Promise<void> {
    const key = `${where.file}\u0000${where.start}\u0000${ip}`;
    if (checked.has(key)) return;
    checked.add(key);
    const family = familyOf(ip);
    const ptr = await look.ptr(ip);
    const subject = host ? `${bare(host)} is a mail host (${why}), and its address ${ip}` : `${ip} sends mail (${why}), and it`;
    if (ptr.status === 'outside') return;
    if (ptr.status === 'error') {
      out.push(find('live-lookup-failed', `could not look up the PTR of ${ip}: ${ptr.error}`, where.file, where.start, where.end));
      return;
    }
    const proposed = host ?? candidatesOf(ip)[0];
    if (ptr.status !== 'found') {
      const zone = ptr.zone ?? index.zoneFor(reverseName(ip) + '.');
      const fix = proposed && ptr.source === 'workspace' ? addPtrFix(index, zone, ip, proposed) : undefined;
      const place = ptr.source === 'dns' ? 'in DNS' : zone ? `in ${bare(zone.origin)}` : '';
      out.push(find('mailhost-no-ptr', `${subject} has no PTR record ${place}: many receivers refuse mail from addresses without reverse DNS (RFC 8601 iprev permerror)`, where.file, where.start, where.end, fix ? { fix } : {}));
      return;
    }
    const forward = await forwardOf(ip);
    if ('ok' in forward) return;
    if ('failed' in forward) {
      out.push(find('live-lookup-failed', forward.failed, where.file, where.start, where.end));
      return;
    }
    const { seen, names } = forward;
    const loop = await loopOf(ip);
    const fix = proposed && ptr.records[0] ? ptrFix(ptr.records[0], proposed, ip, host ? '' : ` (it has ${family} ${ip})`) : undefined;
    out.push(
      find(
        'mailhost-ptr-mismatch',
        `${subject} has PTR ${names}, which does not point back: ${seen}. Receivers that check forward-confirmed reverse DNS (RFC 8601 iprev) fail its mail${loop ? `. The chain loops: ${showPath(loop)}` : ''}`,
        where.file,
        where.start,
        where.end,
        {
          ...(fix ? { fix } : {}),
          related: ptr.records.slice(0, 5).map((x) => ({ file: x.file, start: x.start, end: x.end, message: `${bare(x.owner)} PTR ${bare(x.target ?? '')}` })),
        },
      ),
    );
  }

  for (const [host, info] of mailHosts) {
    for (const family of ['A', 'AAAA'] as const) {
      const w = index.lookup(host, family);
      if (w.status === 'found') {
        for (const rec of w.records) {
          if (rec.address) jobs.push(checkMailAddress(rec.address, host, info.why, { file: rec.file, start: rec.rdata[0].start, end: rec.rdata[0].end }));
        }
      } else if (w.status === 'outside' && options.resolver && info.refs[0]) {
        jobs.push(
          look.addresses(host, family).then(async (a) => {
            for (const ip of a.values) await checkMailAddress(ip, host, info.why, info.refs[0]);
          }),
        );
      }
    }
  }
  for (const s of spfSenders(index).addresses) jobs.push(checkMailAddress(s.ip, undefined, s.why, s));
  await Promise.all(jobs);
  return out;
}

/** MX targets and SPF `a`/`mx` hosts, with why each is a mail host and where it is named. */
function collectMailHosts(index: ZoneIndex): Map<string, { why: string; refs: { file: string; start: number; end: number }[] }> {
  const hosts = new Map<string, { why: string; refs: { file: string; start: number; end: number }[] }>();
  const add = (name: string, why: string, ref?: { file: string; start: number; end: number }) => {
    let h = hosts.get(name);
    if (!h) hosts.set(name, (h = { why, refs: [] }));
    if (ref) h.refs.push(ref);
  };
  const mxOf = new Map<string, ZoneRecord[]>();
  for (const iz of index.zones) {
    for (const r of iz.zone.records) {
      if (r.type !== 'MX' || !r.target || r.target === '.') continue;
      const tok = r.rdata[r.targetIndex ?? 1];
      add(r.target, `MX ${r.preference ?? ''} of ${bare(r.owner)}`.replace('  ', ' '), { file: r.file, start: tok.start, end: tok.end });
      let l = mxOf.get(r.owner);
      if (!l) mxOf.set(r.owner, (l = []));
      l.push(r);
    }
  }
  const senders = spfSenders(index);
  for (const h of senders.hosts) add(h.name, h.why, h);
  for (const d of senders.mxDomains) for (const mx of mxOf.get(d.name) ?? []) add(mx.target!, `${d.why}, MX of ${bare(d.name)}`);
  return hosts;
}


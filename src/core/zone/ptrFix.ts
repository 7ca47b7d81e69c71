// The quick fix for the deprecated `ptr` mechanism (RFC 7208 §5.5): replace it with the addresses
// it stands for. `ptr:<domain>` passes a client whose PTR names a host at or below <domain> that
// resolves back to it (§5.5 steps). The hosts we can know are the ones with address records below
// <domain> in the workspace; each address counts when its PTR (from a reverse zone in the workspace,
// else from DNS when a resolver is given) names a host below <domain> that has that address.
// A domain with more than PTR_FIX_MAX_ADDRESSES addresses below it gets no fix: the record would
// be too long to publish (RFC 7208 §3.4), and each address may cost a DNS question.
import type { Resolver } from '../dns/types';
import { canonicalIp, reverseName } from '../ip';
import { PTR_FIX_MAX_ADDRESSES } from './limits';
import { bare, parentName } from './names';
import { editable, sourceRange, spfSources } from './spfLint';
import type { SpfTerm } from '../spf/types';
import type { SpfSource } from './spfLint';
import type { ZoneFix } from './types';
import type { ZoneIndex } from './zoneIndex';

export interface PtrFixOptions {
  resolver?: Resolver;
  signal?: AbortSignal;
}

const abs = (name: string) => (name.endsWith('.') ? name.toLowerCase() : `${name.toLowerCase()}.`);

/** Fixes keyed by `file:start` of the `ptr` term's source range. */
export async function ptrReplacements(index: ZoneIndex, options: PtrFixOptions = {}): Promise<Map<string, ZoneFix>> {
  const out = new Map<string, ZoneFix>();
  const ptrNamesOf = memo((ip: string) => namesFor(index, ip, options));
  const addressesOf = memo(async (name: string) => new Set(await addressesFor(index, name, options)));
  // RFC 7208 §5.5: an address passes `ptr:<domain>` when one of its PTR names that resolves back to
  // it is at or below <domain>. The names at or above those, once per address: then each domain
  // is one look-up, however many PTR names the address has.
  const confirmedUnder = memo(async (ip: string): Promise<Set<string>> => {
    const set = new Set<string>();
    for (const n of await ptrNamesOf(ip)) {
      if (!(await addressesOf(n)).has(ip)) continue;
      for (let a: string | undefined = n; a !== undefined && !set.has(a); a = parentName(a)) set.add(a);
    }
    return set;
  });
  const terms: { s: SpfSource; t: SpfTerm; domain: string }[] = [];
  for (const s of spfSources(index)) {
    for (const t of s.parsed.terms) {
      if (t.kind !== 'mechanism' || t.name !== 'ptr' || t.problem || t.hasMacros || !editable(s, t.start, t.end)) continue;
      terms.push({ s, t, domain: abs(t.domainSpec ?? bare(s.record.owner)) });
    }
  }
  if (terms.length === 0) return out;
  // The addresses below each domain a `ptr` names, in one pass over the records (not one per term).
  const below = new Map<string, Set<string>>(terms.map((x) => [x.domain, new Set<string>()]));
  for (const r of index.records()) {
    if (r.address === undefined) continue;
    for (let n: string | undefined = r.owner; n !== undefined; n = parentName(n)) {
      const set = below.get(n);
      if (set && set.size <= PTR_FIX_MAX_ADDRESSES) set.add(canonicalIp(r.address));
    }
  }
  // What a domain's `ptr` stands for, worked out once per domain.
  const passingFor = memo(async (domain: string): Promise<string[] | undefined> => {
    const candidates = below.get(domain)!;
    if (candidates.size > PTR_FIX_MAX_ADDRESSES) return undefined;
    const passing: string[] = [];
    for (const ip of candidates) if ((await confirmedUnder(ip)).has(domain)) passing.push(ip);
    return passing.sort((a, b) => Number(a.includes(':')) - Number(b.includes(':')) || a.localeCompare(b, 'en', { numeric: true }));
  });
  for (const { s, t, domain } of terms) {
    const passing = await passingFor(domain);
    if (!passing || passing.length === 0) continue;
    const qualifier = /^[+?~-]/.test(t.text) ? t.text[0] : '';
    const newText = passing.map((ip) => `${qualifier}${ip.includes(':') ? 'ip6' : 'ip4'}:${ip}`).join(' ');
    const [start, end] = sourceRange(s, t.start, t.end);
    out.set(`${s.record.file}:${start}`, {
      description: `Replace ${t.text} with the addresses it stands for: ${newText}`,
      edits: [{ file: s.record.file, start, end, newText }],
    });
  }
  return out;
}

function memo<T>(fn: (key: string) => Promise<T>): (key: string) => Promise<T> {
  const m = new Map<string, Promise<T>>();
  return (key) => {
    let p = m.get(key);
    if (!p) m.set(key, (p = fn(key)));
    return p;
  };
}

/** PTR names of an address: from the workspace when it holds the reverse zone, else from DNS. */
async function namesFor(index: ZoneIndex, ip: string, options: PtrFixOptions): Promise<string[]> {
  const owner = abs(reverseName(ip));
  const found = index.lookup(owner, 'PTR');
  if (found.status === 'found') return found.values.map(abs);
  if (found.status !== 'outside' || !options.resolver) return [];
  const r = await options.resolver.lookup(owner, 'PTR', { signal: options.signal });
  return r.records.map((x) => abs(String(x.data)));
}

/** A and AAAA addresses of a name: from the workspace when it holds the zone, else from DNS. */
async function addressesFor(index: ZoneIndex, name: string, options: PtrFixOptions): Promise<string[]> {
  const out: string[] = [];
  for (const type of ['A', 'AAAA'] as const) {
    const found = index.lookup(name, type);
    if (found.status === 'found') for (const v of found.values) out.push(canonicalIp(v));
    else if (found.status === 'outside' && options.resolver) {
      const r = await options.resolver.lookup(name, type, { signal: options.signal });
      for (const x of r.records) out.push(canonicalIp(String(x.data)));
    }
  }
  return out;
}

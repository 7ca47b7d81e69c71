// The quick fix for the deprecated `ptr` mechanism (RFC 7208 §5.5): replace it with the addresses
// it stands for. `ptr:<domain>` passes a client whose PTR names a host at or below <domain> that
// resolves back to it (§5.5 steps). The hosts we can know are the ones with address records below
// <domain> in the workspace; each address counts when its PTR (from a reverse zone in the workspace,
// else from DNS when a resolver is given) names a host below <domain> that has that address.
import type { Resolver } from '../dns/types';
import { canonicalIp, reverseName } from '../ip';
import { bare } from './names';
import { editable, sourceRange, spfSources } from './spfLint';
import type { ZoneFix } from './types';
import type { ZoneIndex } from './zoneIndex';

export interface PtrFixOptions {
  resolver?: Resolver;
  signal?: AbortSignal;
}

const abs = (name: string) => (name.endsWith('.') ? name.toLowerCase() : `${name.toLowerCase()}.`);
const below = (name: string, domain: string) => name === domain || name.endsWith(`.${domain}`);

/** Fixes keyed by `file:start` of the `ptr` term's source range. */
export async function ptrReplacements(index: ZoneIndex, options: PtrFixOptions = {}): Promise<Map<string, ZoneFix>> {
  const out = new Map<string, ZoneFix>();
  const ptrNamesOf = memo((ip: string) => namesFor(index, ip, options));
  const addressesOf = memo((name: string) => addressesFor(index, name, options));
  for (const s of spfSources(index)) {
    for (const t of s.parsed.terms) {
      if (t.kind !== 'mechanism' || t.name !== 'ptr' || t.problem || t.hasMacros || !editable(s, t.start, t.end)) continue;
      const domain = abs(t.domainSpec ?? bare(s.record.owner));
      const candidates = new Set<string>();
      for (const r of index.records()) if (r.address !== undefined && below(r.owner, domain)) candidates.add(canonicalIp(r.address));
      const passing: string[] = [];
      for (const ip of candidates) {
        const names = (await ptrNamesOf(ip)).filter((n) => below(n, domain));
        for (const n of names) {
          if ((await addressesOf(n)).includes(ip)) {
            passing.push(ip);
            break;
          }
        }
      }
      if (passing.length === 0) continue;
      passing.sort((a, b) => Number(a.includes(':')) - Number(b.includes(':')) || a.localeCompare(b, 'en', { numeric: true }));
      const qualifier = /^[+?~-]/.test(t.text) ? t.text[0] : '';
      const newText = passing.map((ip) => `${qualifier}${ip.includes(':') ? 'ip6' : 'ip4'}:${ip}`).join(' ');
      const [start, end] = sourceRange(s, t.start, t.end);
      out.set(`${s.record.file}:${start}`, {
        description: `Replace ${t.text} with the addresses it stands for: ${newText}`,
        edits: [{ file: s.record.file, start, end, newText }],
      });
    }
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
    if (found.status === 'found') out.push(...found.values.map(canonicalIp));
    else if (found.status === 'outside' && options.resolver) {
      const r = await options.resolver.lookup(name, type, { signal: options.signal });
      out.push(...r.records.map((x) => canonicalIp(String(x.data))));
    }
  }
  return out;
}

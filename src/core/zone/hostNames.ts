// The names the workspace's zones give an address: owners of A/AAAA records holding it, with the
// file and line, and whether mail uses them already (an MX target, an SPF `a:` name).
import type { KnownName } from '../rdns/hostName';
import { canonicalIp } from '../ip';
import { bare } from './names';
import { spfSources } from './spfLint';
import type { ZoneIndex } from './zoneIndex';

export function workspaceNamesFor(index: ZoneIndex, ip: string, helo?: string): KnownName[] {
  const want = canonicalIp(ip);
  const heloName = helo?.toLowerCase().replace(/\.$/, '');
  const holders = index.recordsWithAddress(want);
  if (holders.length === 0) return [];
  const owners = new Set(holders.map((r) => r.owner));
  const mx = new Set<string>();
  for (const r of index.records()) if (r.type === 'MX' && r.target && owners.has(r.target)) mx.add(r.target);
  const spf = new Set<string>();
  for (const s of spfSources(index)) {
    for (const t of s.parsed.terms) {
      if (t.kind === 'mechanism' && t.name === 'a' && t.domainSpec) {
        const n = `${t.domainSpec.toLowerCase().replace(/\.$/, '')}.`;
        if (owners.has(n)) spf.add(n);
      } else if (t.kind === 'mechanism' && t.name === 'a' && owners.has(s.record.owner)) spf.add(s.record.owner);
    }
  }
  const out: KnownName[] = [];
  const seen = new Set<string>();
  for (const r of holders) {
    if (seen.has(r.owner)) continue;
    seen.add(r.owner);
    const zone = index.zoneFor(r.owner)?.zone;
    const line = zone?.sources.get(r.file)?.lines.position(r.start).line;
    const file = r.file.slice(Math.max(r.file.lastIndexOf('/'), r.file.lastIndexOf('\\')) + 1);
    const name = bare(r.owner);
    out.push({
      name,
      source: `${file}${line !== undefined ? `:${line + 1}` : ''} (${name} ${r.type} ${want})`,
      ...(heloName === name ? { helo: true } : {}),
      ...(mx.has(r.owner) ? { mx: true } : {}),
      ...(spf.has(r.owner) ? { spf: true } : {}),
    });
  }
  return out;
}

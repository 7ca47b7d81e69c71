// The offline audit: the workspace's zones answer as their servers would, and every PTR of its
// reverse zones is audited against its forward zones by the same rDNS check as a live audit. Names
// no zone of the workspace answers for are asked of DNS when a resolver is given, and otherwise
// answered REFUSED ("not in the workspace"): the row says iprev temperror, not a guess.
import { ipFromReverseName, isReverseName, type ZoneIndex } from '../zone/zoneIndex';

// The zones answer through the same resolver the re-check after Apply uses (src/core/zone/indexResolver.ts).
export { zoneIndexResolver as zoneResolver } from '../zone/indexResolver';

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

// Which name a PTR should say, when a fix needs one: a name whose A/AAAA record is the address
// (RFC 8601 §3: iprev confirms IP → PTR name → the same IP), from the workspace's zones or the
// chain walk. The HELO name comes first (receivers compare it too, RFC 5321 §4.1.1.1), then names
// mail already uses (MX hosts, SPF `a:` names), then any; generic and invalid names never.
import { genericNameReason, postfixHostnameProblem } from './names';

/** A name known to have the address, and where that is known from. */
export interface KnownName {
  /** Lower case, no trailing dot. */
  name: string;
  /** Where the name's address record is: `example.net.zone:35`, `DNS (the chain walk)`. */
  source: string;
  /** The server's HELO name. */
  helo?: boolean;
  /** An MX host of a domain in the workspace. */
  mx?: boolean;
  /** Named in an SPF record (`a:name`). */
  spf?: boolean;
}

/** The best name for the PTR of `ip`, or undefined when none of the known names will do. */
export function chooseHostName(ip: string, known: readonly KnownName[]): KnownName | undefined {
  const rank = (k: KnownName) => (k.helo ? 0 : k.mx ? 1 : k.spf ? 2 : 3);
  let best: KnownName | undefined;
  for (const k of known) {
    if (postfixHostnameProblem(k.name) || genericNameReason(k.name, ip)) continue;
    if (!best || rank(k) < rank(best)) best = k;
  }
  return best;
}

/** The same name known from several places, as one entry with every flag and the first source. */
export function mergeKnownNames(lists: readonly (readonly KnownName[])[]): KnownName[] {
  const byName = new Map<string, KnownName>();
  for (const list of lists) {
    for (const k of list) {
      const name = k.name.toLowerCase().replace(/\.$/, '');
      const had = byName.get(name);
      if (!had) byName.set(name, { ...k, name });
      else byName.set(name, { ...had, helo: had.helo || k.helo, mx: had.mx || k.mx, spf: had.spf || k.spf });
    }
  }
  return [...byName.values()];
}

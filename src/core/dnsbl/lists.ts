// Well-known IP blocklists (DNSBLs, RFC 5782) and what their answers mean.
//
// A DNSBL answers a query for <reversed IP>.<zone> with NXDOMAIN (not listed) or A records in
// 127.0.0.0/8 whose value says why the address is listed (RFC 5782 §2.1, §2.3). Some lists also
// use 127.x answers to say that they refuse to answer the asker: Spamhaus answers 127.255.255.254
// to queries that come through public or open resolvers and 127.255.255.255 to askers over their
// free-use volume (spamhaus.org news, 2019-09-30 "DNSBL return codes: technical update"); those
// say nothing about the address and must never be read as a listing.

export type CodeKind = 'listed' | 'policy' | 'refused';

export interface KnownList {
  /** Zone or zone suffix it applies to (matched on the zone or any zone under it). */
  zone: string;
  name: string;
  /** Where to look an address up / ask for removal; `{ip}` is replaced. */
  lookupUrl: string;
  /** The list has IPv6 entries (queried with nibbles, RFC 5782 §2.4). */
  ipv6: boolean;
  codes: Record<string, { meaning: string; kind: CodeKind }>;
  note?: string;
}

const SPAMHAUS_CODES: KnownList['codes'] = {
  '127.0.0.2': { meaning: 'SBL: a known spam source or spam operation', kind: 'listed' },
  '127.0.0.3': { meaning: 'SBL CSS: the address sent low-reputation mail (snowshoe, hijacked or misconfigured sender)', kind: 'listed' },
  '127.0.0.4': { meaning: 'XBL: a machine on this address is infected or exploited (bot, open proxy)', kind: 'listed' },
  '127.0.0.9': { meaning: 'DROP: a hijacked or criminal network', kind: 'listed' },
  '127.0.0.10': { meaning: 'PBL (ISP-maintained): an end-user address range whose ISP says it should not send mail directly', kind: 'policy' },
  '127.0.0.11': { meaning: 'PBL (Spamhaus-maintained): an address range that should not send mail directly (dynamic or end-user)', kind: 'policy' },
  '127.0.0.30': { meaning: 'BCL: a botnet controller', kind: 'listed' },
  '127.255.255.252': { meaning: 'error: the list name has a typo (the zone does not exist at Spamhaus)', kind: 'refused' },
  '127.255.255.254': { meaning: 'refused: the query came through a public or open resolver (e.g. 8.8.8.8, 1.1.1.1), which Spamhaus does not answer', kind: 'refused' },
  '127.255.255.255': { meaning: 'refused: too many queries from this resolver (over the free-use limit)', kind: 'refused' },
};

export const KNOWN_LISTS: KnownList[] = [
  { zone: 'zen.spamhaus.org', name: 'Spamhaus ZEN', lookupUrl: 'https://check.spamhaus.org/results/?query={ip}', ipv6: true, codes: SPAMHAUS_CODES },
  { zone: 'spamhaus.org', name: 'Spamhaus', lookupUrl: 'https://check.spamhaus.org/results/?query={ip}', ipv6: true, codes: SPAMHAUS_CODES },
  { zone: 'bl.spamcop.net', name: 'SpamCop', lookupUrl: 'https://www.spamcop.net/bl.shtml?{ip}', ipv6: false, codes: { '127.0.0.2': { meaning: 'SpamCop users reported spam from this address (entries expire 24 hours after the last report)', kind: 'listed' } } },
  {
    zone: 'b.barracudacentral.org',
    name: 'Barracuda',
    lookupUrl: 'https://www.barracudacentral.org/lookups/lookup-reputation',
    ipv6: false,
    codes: { '127.0.0.2': { meaning: 'poor reputation in Barracuda\'s data (spam seen from this address)', kind: 'listed' } },
    note: 'Barracuda answers only resolvers registered with it; others may get no answer at all.',
  },
  { zone: 'psbl.surriel.com', name: 'PSBL', lookupUrl: 'https://psbl.org/listing?ip={ip}', ipv6: false, codes: { '127.0.0.2': { meaning: 'spam from this address reached PSBL\'s spam traps', kind: 'listed' } } },
  {
    zone: 'all.spamrats.com',
    name: 'SpamRATS',
    lookupUrl: 'https://www.spamrats.com/lookup.php?ip={ip}',
    ipv6: false,
    codes: {
      '127.0.0.36': { meaning: 'RATS-Dyna: the address has a generic or dynamic-looking PTR and sent abusive traffic', kind: 'listed' },
      '127.0.0.37': { meaning: 'RATS-NoPtr: the address has no PTR record and sent abusive traffic', kind: 'listed' },
      '127.0.0.38': { meaning: 'RATS-Spam: spam seen from this address', kind: 'listed' },
      '127.0.0.43': { meaning: 'RATS-Auth: login attacks from this address', kind: 'listed' },
    },
  },
  { zone: 'dnsbl-1.uceprotect.net', name: 'UCEPROTECT level 1', lookupUrl: 'https://www.uceprotect.net/en/rblcheck.php', ipv6: false, codes: { '127.0.0.2': { meaning: 'spam from this single address reached UCEPROTECT\'s traps', kind: 'listed' } } },
];

/** The lists asked when none are given. */
export const DEFAULT_ZONES = ['zen.spamhaus.org', 'bl.spamcop.net', 'b.barracudacentral.org', 'psbl.surriel.com', 'all.spamrats.com'];

export function knownList(zone: string): KnownList | undefined {
  const z = zone.toLowerCase();
  return KNOWN_LISTS.find((l) => z === l.zone || z.endsWith('.' + l.zone));
}

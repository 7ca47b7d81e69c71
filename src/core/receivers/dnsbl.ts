// The receivers' DNSBL rules, from the answers the DNSBL check got for the zones it asked
// (mailDns.dnsbl.zones): a receiver's rule for a zone the check did not ask has no row (its answer
// is not known). RFC 5782 §2.1: a listing is an A record in 127.0.0.0/8 at <reversed address>.<zone>.
// Checked against the real software with stand-in zen.spamhaus.org and bl.spamcop.net zones in the
// test BIND (test/integration/receivers-real.test.ts, scenarios 10 and 11).
import type { DnsblZoneResult } from '../dnsbl/types';
import { inNetwork, parseIp } from '../ip';
import type { ReceiverInput } from './types';

export interface DnsblHit { rule: string; why: string; zone: string }

const ZEN = 'zen.spamhaus.org';
const SPAMCOP = 'bl.spamcop.net';

function zoneResult(input: ReceiverInput, zone: string): DnsblZoneResult | undefined {
  return input.dnsbl?.zones.find((z) => z.zone.toLowerCase().replace(/\.$/, '') === zone);
}

/** The 127.0.0.0/8 answers of a zone: what a receiver's DNSBL lookup reads as return codes. */
export function loopbackCodes(z: DnsblZoneResult): string[] {
  if (z.rcode !== 'NOERROR') return [];
  return z.codes.map((c) => c.address).filter((a) => { const p = parseIp(a); return p.ok && p.family === 4 && inNetwork(a, '127.0.0.0/8'); });
}

/**
 * Every IPv4 address of a zone's answer, 127/8 or not: what Postfix (reject_rbl_client, postscreen)
 * and rspamd read as listed (scenario 18: an answer outside 127/8 lists with them, not with Exim or SpamAssassin).
 */
export function answerAddresses(z: DnsblZoneResult): string[] {
  if (z.rcode !== 'NOERROR') return [];
  return z.codes.map((c) => c.address).filter((a) => { const p = parseIp(a); return p.ok && p.family === 4; });
}

const matchAny = (codes: string[], re: RegExp) => codes.filter((c) => re.test(c));

/**
 * SpamAssassin 4.0.1's shipped DNSBL rules for the zones it knows (20_dnsbl_tests.cf): Spamhaus ZEN
 * (`check_rbl_sub('zen', …)` on every untrusted relay, XBL and PBL on the last external one — here
 * the one relay) and SpamCop (`check_rbl_txt`: the TXT record must say "spamcop").
 */
export function spamassassinDnsblHits(input: ReceiverInput): DnsblHit[] {
  const out: DnsblHit[] = [];
  const zen = zoneResult(input, ZEN);
  if (zen) {
    const codes = loopbackCodes(zen);
    const rules: [string, RegExp, string][] = [
      ['RCVD_IN_SBL', /^127\.0\.0\.2$/, 'on the Spamhaus SBL (127.0.0.2)'],
      ['RCVD_IN_SBL_CSS', /^127\.0\.0\.3$/, 'on the Spamhaus CSS (127.0.0.3)'],
      ['RCVD_IN_XBL', /^127\.0\.0\.[4567]$/, 'on the Spamhaus XBL (127.0.0.4–7)'],
      ['RCVD_IN_PBL', /^127\.0\.0\.1[01]$/, 'on the Spamhaus PBL (127.0.0.10–11)'],
      ['RCVD_IN_ZEN_BLOCKED_OPENDNS', /^127\.255\.255\.254$/, 'refused by Spamhaus: the query came through an open resolver (127.255.255.254)'],
      ['RCVD_IN_ZEN_BLOCKED', /^127\.255\.255\.255$/, 'refused by Spamhaus: over the query limit (127.255.255.255)'],
    ];
    for (const [rule, re, what] of rules) if (matchAny(codes, re).length > 0) out.push({ rule, zone: ZEN, why: `${input.ip} is ${what}.` });
  }
  const spamcop = zoneResult(input, SPAMCOP);
  if (spamcop && spamcop.rcode === 'NOERROR' && spamcop.txt && /spamcop/i.test(spamcop.txt))
    out.push({ rule: 'RCVD_IN_BL_SPAMCOP_NET', zone: SPAMCOP, why: `${input.ip} is on SpamCop's list (bl.spamcop.net).` });
  return out;
}

/**
 * rspamd 3.4's `spamhaus` rule of Debian's rbl.conf, its `from` check (the connecting address):
 * one symbol per return code; any other address, in 127/8 or not, is RBL_SPAMHAUS (default_unknown = true;
 * scenarios 16 and 18).
 * Its `received` check (earlier hops' addresses in Received headers) is not modelled.
 */
export function rspamdDnsblHits(input: ReceiverInput): DnsblHit[] {
  const zen = zoneResult(input, ZEN);
  if (!zen) return [];
  const map: [string, RegExp][] = [
    ['RBL_SPAMHAUS_SBL', /^127\.0\.0\.2$/], ['RBL_SPAMHAUS_CSS', /^127\.0\.0\.3$/], ['RBL_SPAMHAUS_XBL', /^127\.0\.0\.[4567]$/],
    ['RBL_SPAMHAUS_PBL', /^127\.0\.0\.1[01]$/], ['RBL_SPAMHAUS_DROP', /^127\.0\.0\.9$/],
    ['RBL_SPAMHAUS_BLOCKED_OPENRESOLVER', /^127\.255\.255\.254$/], ['RBL_SPAMHAUS_BLOCKED', /^127\.255\.255\.255$/],
  ];
  const out: DnsblHit[] = [];
  const seen = new Set<string>();
  for (const code of answerAddresses(zen)) {
    const sym = map.find(([, re]) => re.test(code))?.[0] ?? 'RBL_SPAMHAUS';
    if (seen.has(sym)) continue;
    seen.add(sym);
    out.push({ rule: sym, zone: ZEN, why: `${input.ip} is listed on ${ZEN} with ${code}.` });
  }
  return out;
}

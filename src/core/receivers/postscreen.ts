// What Postfix's postscreen does with the client's DNSBL answers (Postfix 3.7, postscreen(8),
// POSTSCREEN_README "Tests before the 220 SMTP server greeting"): every postscreen_dnsbl_sites entry
// whose zone lists the address (and whose filter, if any, matches one of its A records) adds its
// weight; a total at or above postscreen_dnsbl_threshold fails the test, and postscreen_dnsbl_action
// says what follows: ignore (nothing), enforce (the dummy SMTP engine answers RCPT TO with 550),
// drop (521 instead of the greeting, then hang up). The reply names the site with the highest weight
// among those that matched (postscreen_dnsbl.c: the first to reply wins a tie). Only lists that answer
// within postscreen_greet_wait (6 s; 2 s under stress) count: a slow list is a list that did not list.
// Checked against a real postscreen in test/integration/receivers-postscreen.test.ts.
// Not modelled: postscreen_dnsbl_allowlist_threshold (skipping the other tests), postscreen_dnsbl_reply_map,
// the cache (postscreen_cache_map) and the other postscreen tests (pregreet, protocol tests).
import type { DnsblZoneResult } from '../dnsbl/types';
import { answerAddresses } from './dnsbl';
import { type DnsblSite, KNOB_DEFAULTS, parseDnsblSite, siteMatches } from './knobs';
import type { ReceiverInput, ReceiverRow } from './types';

export const POSTSCREEN_VERSION = 'Postfix 3.7 postscreen (Debian 12; postscreen_dnsbl_sites from mailDns.dnsbl.zones or mailDns.receivers.postscreen.sites)';
const DOC = 'https://www.postfix.org/postconf.5.html';

export interface PostscreenScore {
  /** Each configured site, with its zone's answer and whether it added its weight. */
  sites: { site: DnsblSite; zone?: DnsblZoneResult; matched: boolean; addresses: string[] }[];
  total: number;
  threshold: number;
  action: 'ignore' | 'enforce' | 'drop';
  /** The site names the reply may name: the matched sites with the highest weight (several on a tie). */
  names: string[];
  /** Configured zones the DNSBL check did not ask: their share is not known. */
  unknownZones: string[];
}

function zoneOf(input: ReceiverInput, zone: string): DnsblZoneResult | undefined {
  return input.dnsbl?.zones.find((z) => z.zone.toLowerCase().replace(/\.$/, '') === zone);
}

/** The postscreen DNSBL score of the client, from the DNSBL check's answers. Pure. */
export function postscreenScore(input: ReceiverInput): PostscreenScore | undefined {
  if (!input.dnsbl) return undefined;
  const k = input.knobs?.postscreen;
  const sites: DnsblSite[] = k?.sites
    ? k.sites.map(parseDnsblSite).filter((s): s is DnsblSite => !('error' in s))
    : input.dnsbl.zones.map((z) => ({ zone: z.zone.toLowerCase().replace(/\.$/, ''), weight: 1, text: z.zone }));
  if (sites.length === 0) return undefined;
  const out: PostscreenScore = { sites: [], total: 0, threshold: k?.threshold ?? KNOB_DEFAULTS.postscreen.threshold, action: k?.action ?? KNOB_DEFAULTS.postscreen.action, names: [], unknownZones: [] };
  let best: number | undefined;
  for (const site of sites) {
    const zone = zoneOf(input, site.zone);
    if (!zone) {
      if (!out.unknownZones.includes(site.zone)) out.unknownZones.push(site.zone);
      out.sites.push({ site, matched: false, addresses: [] });
      continue;
    }
    // dnsblog asks for A records; every address of a NOERROR answer counts (none outside 127/8 is dropped).
    const addresses = answerAddresses(zone);
    const matched = addresses.some((a) => siteMatches(site, a));
    out.sites.push({ site, zone, matched, addresses });
    if (!matched) continue;
    out.total += site.weight;
    if (best === undefined || site.weight > best) {
      best = site.weight;
      out.names = [site.zone];
    } else if (site.weight === best && !out.names.includes(site.zone)) out.names.push(site.zone);
  }
  return out;
}

/** The postscreen rows: one per configured site that matched, then the verdict of the total. */
export function postscreenRows(input: ReceiverInput): ReceiverRow[] {
  const s = postscreenScore(input);
  if (!s) return [];
  const base = { receiver: 'postfix' as const, version: POSTSCREEN_VERSION };
  const rows: ReceiverRow[] = s.sites
    .filter((x) => x.matched)
    .map((x) => ({
      ...base, rule: `postscreen_dnsbl_sites ${x.site.text}`, verdict: 'hit' as const, score: x.site.weight,
      why: `${input.ip} is on ${x.site.zone} (${x.addresses.join(', ')})${x.site.filter ? `, matching ${x.site.filter}` : ''}: weight ${x.site.weight}.`,
      docUrl: `${DOC}#postscreen_dnsbl_sites`,
    }));
  const rule = `postscreen_dnsbl_threshold ${s.threshold}, postscreen_dnsbl_action ${s.action}`;
  const unknown = s.unknownZones.length > 0 ? ` Not asked by the DNSBL check, so not counted: ${s.unknownZones.join(', ')} (add them to mailDns.dnsbl.zones).` : '';
  const tie = s.names.length > 1 ? ` The reply names whichever of ${s.names.join(', ')} answered first (a tie of weights).` : '';
  const ip = input.ip;
  if (s.total < s.threshold) {
    rows.push({ ...base, rule, verdict: 'accept', score: s.total, why: `DNSBL score ${s.total}, below the threshold ${s.threshold}: postscreen passes the client on to smtpd.${unknown}`, docUrl: `${DOC}#postscreen_dnsbl_threshold` });
  } else if (s.action === 'ignore') {
    rows.push({ ...base, rule, verdict: 'accept', score: s.total, why: `DNSBL score ${s.total} reaches the threshold ${s.threshold}, but postscreen_dnsbl_action = ignore only logs "DNSBL rank ${s.total}".${unknown}`, docUrl: `${DOC}#postscreen_dnsbl_action` });
  } else {
    const code = s.action === 'drop' ? '521' : '550';
    rows.push({
      ...base, rule, verdict: 'reject', score: s.total,
      reply: `${code} 5.7.1 Service unavailable; client [${ip}] blocked using ${s.names[0]}`,
      why: `DNSBL score ${s.total} reaches the threshold ${s.threshold}: ${s.action === 'drop' ? 'postscreen answers 521 instead of the greeting and hangs up' : 'postscreen lets the other tests finish, then answers every RCPT TO with 550'}.${tie}${unknown}`,
      docUrl: `${DOC}#postscreen_dnsbl_action`,
    });
  }
  return rows;
}

// What SpamAssassin scores for the connection, modelled on the rules and scores Debian 12's
// spamassassin 4.0.1 package ships (/usr/share/spamassassin, not sa-update's newer rules) with the
// plugins /etc/spamassassin/*.pre loads (SPF, DKIM, DMARC), network tests on and Bayes not yet
// trained: score set 1 (the second of a rule's four scores). Checked rule by rule against the real
// spamassassin in test/integration/receivers-real.test.ts (scenarios in docs/receivers.md).
//
// SpamAssassin reads the connection from the Received header the receiving MTA wrote; its rules
// match a line it builds per relay, `[ ip=… rdns=… helo=… by=… ident= envfrom= intl=0 id= auth= msa=0 ]`
// (X-Spam-Relays-External). The patterns below are those rules' patterns (20_dynrdns.cf,
// 20_head_tests.cf, 20_fake_helo_tests.cf, 72_active.cf), matched against the same line.
// DNSBL rules (RCVD_IN_SBL/XBL/PBL/…, RCVD_IN_BL_SPAMCOP_NET) come from the DNSBL check's answers
// (./dnsbl.ts). Not modelled: DNSWL and the other lists' RCVD_IN_* rules; rules that also read the
// message (e.g. NO_FM_NAME_IP_HOSTN). DKIM rules: ./dkimRows.ts, from the message's verified signatures.
import type { SpfResultCode } from '../spf/types';
import { connectionOf, type Connection } from './connection';
import { spamassassinDnsblHits } from './dnsbl';
import { dkimValid, SA_DKIM_SCORES, spamassassinDkimHits, spamassassinDmarc } from './dkimRows';
import type { ReceiverInput, ReceiverRow } from './types';

export const SPAMASSASSIN_VERSION = 'SpamAssassin 4.0.1 (Debian 12 rules and plugins, score set 1: network tests, Bayes untrained)';
const DOC = 'https://spamassassin.apache.org/old/tests_3_3_x.html';
/** required_score's default (Mail::SpamAssassin::Conf). */
export const SPAMASSASSIN_REQUIRED = 5.0;

/** Score set 1 of each modelled rule, as the Debian 12 package's rules give them (50_scores.cf, 72_scores.cf). */
export const SA_SCORES: Record<string, number> = {
  RDNS_NONE: 1.274,
  RDNS_DYNAMIC: 0.363,
  HELO_NO_DOMAIN: 1,
  HELO_LOCALHOST: 3.603,
  FSL_HELO_NON_FQDN_1: 0.001,
  KHOP_HELO_FCRDNS: 1,
  RCVD_ILLEGAL_IP: 1.3,
  SPF_PASS: -0.001,
  SPF_FAIL: 0.919,
  SPF_SOFTFAIL: 0.972,
  SPF_NEUTRAL: 0.652,
  SPF_NONE: 0.001,
  T_SPF_PERMERROR: 0.01,
  T_SPF_TEMPERROR: 0.01,
  SPF_HELO_PASS: -0.001,
  SPF_HELO_FAIL: 0.001,
  SPF_HELO_SOFTFAIL: 0.896,
  SPF_HELO_NEUTRAL: 0.001,
  SPF_HELO_NONE: 0.001,
  T_SPF_HELO_PERMERROR: 0.01,
  T_SPF_HELO_TEMPERROR: 0.01,
  DMARC_PASS: -0.001,
  DMARC_REJECT: 1.797,
  DMARC_QUAR: 1.198,
  DMARC_NONE: 0.898,
  DMARC_MISSING: 0.001,
  // 50_scores.cf, score set 1.
  RCVD_IN_SBL: 2.596,
  RCVD_IN_SBL_CSS: 3.558,
  RCVD_IN_XBL: 0.724,
  RCVD_IN_PBL: 3.558,
  RCVD_IN_ZEN_BLOCKED_OPENDNS: 0.001,
  RCVD_IN_ZEN_BLOCKED: 0.001,
  RCVD_IN_BL_SPAMCOP_NET: 1.246,
  ...SA_DKIM_SCORES,
};

/** The rules this model decides: a real run's hits outside this set are not the connection's doing. */
export const SA_MODELLED = new Set(Object.keys(SA_SCORES));

// 20_dynrdns.cf: RDNS_DYNAMIC is any of these (an authenticated relay and __RDNS_STATIC excepted).
const RDNS_DYNAMIC_PATTERNS: RegExp[] = [
  /^[^\]]+ rdns=(?![^\s\]]+[-.]static[-.])\S*\d+[^\d\s]\d+[^\d\s]\d+[^\d\s]\d+\S*\.\S+\.\S/i, // __RDNS_DYNAMIC_IPADDR
  /^[^\]]+ rdns=\S*(?:cm|catv|docsis|cable|dsl|dhcp|cpe|node)\S*\d+[^\d\s]+\d/i, // __RDNS_DYNAMIC_DHCP
  /^[^\]]+ rdns=\S*\d+[^\d\s]+\d+\S*\.(?:docsis|cable|dsl|adsl|dhcp|cpe)\./i, // __RDNS_DYNAMIC_HCC
  /^[^\]]+ rdns=\S+\d+\S+\.client2\.attbi\.com/i,
  /^[^\]]+ rdns=CPE\d+\S+\.rogers\.com/i,
  /^[^\]]+ rdns=[a-z]{2}-\S+-\d{1,3}\.[a-z]{3,8}\.adelphia\.net/i,
  /^[^\]]+ rdns=[a-z][A-F0-9]+\.dip\./,
  /^[^\]]+ rdns=0x[a-f0-9]{8}\./,
  /^[^\]]+ rdns=\d+\.\S+\d+[^\d\s]\d+[^\d\s]\d+[^\d\s]/, // __RDNS_DYNAMIC_SPLIT_IP
  /^[^\]]+ rdns=YahooBB/i,
  /^[^\]]+ rdns=\S+\.dyn\.optonline\.net/,
  /^[^\]]+ rdns=[a-z]+-\d{1,3}-\d{1,5}\.roadrunner/i,
  /^[^\]]+ rdns=[a-z-]+\d+[a-z]{3}\.[a-z0-9]+\...\.comcast/i,
  /^[^\]]+ rdns=h\d+n\d+fls\S+\.telia\.com/i,
  /^[^\]]+ rdns=cm-[a-z]+\d+-\d+-\d+\.cm\.vtr/i,
  /^[^\]]+ rdns=\S+\.cm\.chello\.no/i,
  /^[^\]]+ rdns=[a-z]\d+\.upc-[a-z]\.chello\.nl/i,
  /^[^\]]+ rdns=[a-z]{2}\d+\.user\.veloxzone\./i,
  /^[^\]]+ rdns=\S+\d+-\d+-cust\d+\.[a-z]{4,6}\.broadband\.ntl\.com/i,
  /^[^\]]+ rdns=\S+-[a-z]\d+\.[a-z]{6}\.tds\.net/i,
  /^[^\]]+ rdns=\d+\.cps\./i,
  /^[^\]]+ rdns=\S+-[a-z]\d+-\d+\./i, // __RDNS_DYNAMIC_SPACELAN
  /^[^\]]+ rdns=\S+[-.]dyn(?:amic)?[-.]/i, // __RDNS_INDICATOR_DYN
  /^[^\]]+ rdns=\S+[-.](?:res|resnet|client)[-.]/i, // __RDNS_INDICATOR_RES
  /^[^\]]+ rdns=\S+[-.](?:docsis|dhcp|cpe|catv)[-.]/i, // __RDNS_INDICATOR_TYPE2
  /^[^\]]+ rdns=\S+[-.]dyn(?:amic)?\d/i, // __RDNS_DYNAMIC_TTNET
  /^[^\]]+ rdns=[a-z][0-9]+\.ppp\.asahi-net\.or\.jp/i,
];
const RDNS_STATIC = /^[^\]]+ rdns=\S*(?:fix|static|fixip|dedicated|mail-mail|outbound-mail|smtp)/i;
// 20_head_tests.cf: documentation, multicast and reserved IPv4 addresses (and malformed ones).
const ILLEGAL_IP = / (?:by|ip)=(?=\d+\.\d+\.\d+\.\d+ )(?:(?:0|2(?:2[4-9]|[3-5]\d)|192\.0\.2|198\.51\.100|203\.0\.113)\.|(?:\d+\.){0,3}(?!(?:2(?:[0-4]\d|5[0-5])|[01]?\d\d?)\b))/;

/** SpamAssassin's line for the last external relay (Mail::SpamAssassin::Message::Metadata::Received). */
export function relayLine(c: Connection): string {
  // SpamAssassin's Received parser takes the HELO name up to the first blank; so does this line.
  return `[ ip=${c.ip} rdns=${c.clientName} helo=${c.helo.split(/\s/)[0]} by= ident= envfrom= intl=0 id= auth= msa=0 ]`;
}

const SPF_RULE: Record<SpfResultCode, string> = {
  pass: 'SPF_PASS', fail: 'SPF_FAIL', softfail: 'SPF_SOFTFAIL', neutral: 'SPF_NEUTRAL', none: 'SPF_NONE',
  permerror: 'T_SPF_PERMERROR', temperror: 'T_SPF_TEMPERROR',
};
const heloRule = (r: SpfResultCode) => SPF_RULE[r].replace(/^(T_)?SPF_/, '$1SPF_HELO_');

interface Hit { rule: string; why: string }

function hits(input: ReceiverInput): Hit[] {
  const c = connectionOf(input);
  const line = relayLine(c);
  const out: Hit[] = [];
  const helo = c.helo;
  if (c.clientName === '') out.push({ rule: 'RDNS_NONE', why: 'The receiving MTA recorded no client name: the address has no PTR name that resolves back to it.' });
  else if (!RDNS_STATIC.test(line) && RDNS_DYNAMIC_PATTERNS.some((p) => p.test(line)))
    out.push({ rule: 'RDNS_DYNAMIC', why: `The client name ${c.clientName} looks like a dynamic (dial-up, DSL, cable) address's name.` });
  if (/^localhost$/i.test(helo)) out.push({ rule: 'HELO_LOCALHOST', why: 'The HELO name is localhost.' });
  else if (/^[^.\s]+$/.test(helo)) out.push({ rule: 'HELO_NO_DOMAIN', why: `The HELO name ${helo} has no dot: it is not a domain.` });
  if (/^[a-zA-Z0-9\-_]+$/.test(helo)) out.push({ rule: 'FSL_HELO_NON_FQDN_1', why: `The HELO name ${helo} is a single label.` });
  if (ILLEGAL_IP.test(line)) out.push({ rule: 'RCVD_ILLEGAL_IP', why: `${c.ip} is a documentation, multicast or reserved address.` });

  const spfPass = input.spf?.result === 'pass';
  if (input.spf) out.push({ rule: SPF_RULE[input.spf.result], why: `SPF for the MAIL FROM domain ${input.spf.domain}: ${input.spf.result}.` });
  // The SPF plugin checks the HELO identity only for a name with a dot that is not an address literal.
  const heloSpf = input.heloCheck?.spf;
  if (heloSpf && helo.includes('.') && !helo.startsWith('[')) out.push({ rule: heloRule(heloSpf.result), why: `SPF for the HELO name ${helo}: ${heloSpf.result}.` });
  const dkim = spamassassinDkimHits(input);
  out.push(...dkim.hits);

  // KHOP_HELO_FCRDNS (72_active.cf): the HELO name is not the client name, the mail is not
  // "not spoofed" (SPF_PASS or a valid DKIM signature) and the client name is not 4 to 14 characters.
  // Mailing-list, freemail and DNSWL exceptions read the message or a list: assumed not to apply.
  const heloNotRdns = c.clientName !== '' && !helo.toLowerCase().startsWith(c.clientName.toLowerCase()) && helo !== '';
  const rdnsShort = c.clientName.length >= 4 && c.clientName.length <= 14;
  if (heloNotRdns && !spfPass && !dkimValid(input) && !rdnsShort) out.push({ rule: 'KHOP_HELO_FCRDNS', why: `The HELO name ${helo} is not the client name ${c.clientName}, and SPF did not pass.` });

  const d = input.dmarc;
  if (d && !dkim.unmodelled) {
    // Mail::SpamAssassin::Plugin::DMARC with Mail::DMARC: no record is "no policy available"; a fail
    // scores by the disposition.
    const sa = spamassassinDmarc(input, d);
    if (d.result === 'none' || !d.policy) out.push({ rule: 'DMARC_MISSING', why: `No DMARC record for ${d.fromDomain}.` });
    else if (sa.result === 'pass') out.push({ rule: 'DMARC_PASS', why: sa.why ?? 'DMARC passes (aligned SPF or DKIM).' });
    else if (d.result === 'fail') {
      const rule = d.disposition === 'reject' ? 'DMARC_REJECT' : d.disposition === 'quarantine' ? 'DMARC_QUAR' : 'DMARC_NONE';
      out.push({ rule, why: `DMARC fails and the policy says ${d.disposition}.` });
    }
  }
  for (const h of spamassassinDnsblHits(input)) out.push({ rule: h.rule, why: h.why });
  return out;
}

/** The rows for SpamAssassin: one per rule hit, then the total against required_score. */
export function spamassassinRows(input: ReceiverInput): ReceiverRow[] {
  const rows: ReceiverRow[] = hits(input).map((h) => ({
    receiver: 'spamassassin', version: SPAMASSASSIN_VERSION, rule: h.rule, verdict: 'hit', score: SA_SCORES[h.rule], why: h.why, docUrl: DOC,
  }));
  // SpamAssassin adds scores in thousandths; round the same way.
  const total = Math.round(rows.reduce((s, r) => s + (r.score ?? 0) * 1000, 0)) / 1000;
  const required = input.knobs?.spamassassin?.requiredScore ?? SPAMASSASSIN_REQUIRED;
  rows.push({
    receiver: 'spamassassin', version: SPAMASSASSIN_VERSION, rule: 'total', verdict: total >= required ? 'spam' : 'ham', score: total,
    why: [`The connection alone scores ${total} of the ${required} that marks a message as spam (required_score${required === SPAMASSASSIN_REQUIRED ? '' : ', from mailDns.receivers.spamassassin'}); the message's content adds its own.`, spamassassinDkimHits(input).unmodelled ?? ''].join(' ').trim(),
    docUrl: 'https://spamassassin.apache.org/full/4.0.x/doc/Mail_SpamAssassin_Conf.html',
  });
  return rows;
}

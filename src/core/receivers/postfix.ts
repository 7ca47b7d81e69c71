// What Postfix answers at RCPT TO for the sender-domain and DNSBL restrictions, modelled on Debian
// 12's Postfix 3.7 defaults (smtpd_delay_reject = yes: client and sender restrictions answer RCPT).
// Checked against a real Postfix (XCLIENT presenting each scenario's client) in
// test/integration/receivers-postfix.test.ts. The client/HELO hostname rules (reject_unknown_*) are
// in the rDNS and HELO reports.
import type { DnsblZoneResult } from '../dnsbl/types';
import { loopbackCodes } from './dnsbl';
import type { ReceiverInput, ReceiverRow } from './types';

export const POSTFIX_VERSION = 'Postfix 3.7 (Debian 12 defaults, smtpd_delay_reject = yes)';
const DOC = 'https://www.postfix.org/postconf.5.html';

// postconf(5) reject_unknown_sender_domain: no MX and no A/AAAA → unknown_address_reject_code (450)
// "Domain not found" (a null MX, RFC 7505, is its own reply: not seen in the tests, so not modelled).
function unknownSenderDomain(input: ReceiverInput): ReceiverRow | undefined {
  const domain = input.fromDomain ?? input.spf?.domain;
  if (!domain || input.fromDomainExists === undefined) return undefined;
  const sender = input.mailFrom ?? `postmaster@${domain}`;
  const base = { receiver: 'postfix' as const, version: POSTFIX_VERSION, rule: 'reject_unknown_sender_domain', docUrl: `${DOC}#reject_unknown_sender_domain` };
  if (input.fromDomainExists === true) return { ...base, verdict: 'accept', why: `${domain} has an MX or an address record.` };
  if (input.fromDomainExists === false)
    return { ...base, verdict: 'reject', reply: `450 4.1.8 <${sender}>: Sender address rejected: Domain not found`, why: `${domain} has no MX and no A or AAAA record; Postfix answers with unknown_address_reject_code (450 by default: set 550 to refuse outright).` };
  return { ...base, verdict: 'defer', why: `Looking up ${domain} failed: Postfix defers (unknown_address_tempfail_action = defer_if_permit).` };
}

// postconf(5) reject_rbl_client: any A record at <reversed address>.<zone> rejects with
// default_rbl_reply "$rbl_code Service unavailable; $rbl_class [$rbl_what] blocked using
// $rbl_domain${rbl_reason?; $rbl_reason}" (rbl_reason: the TXT record), rbl_reply_maps empty.
// Only the answers the tests saw are modelled: a listing in 127/8, and NXDOMAIN.
function rblClient(ip: string, z: DnsblZoneResult): ReceiverRow | undefined {
  const base = { receiver: 'postfix' as const, version: POSTFIX_VERSION, rule: `reject_rbl_client ${z.zone}`, docUrl: `${DOC}#reject_rbl_client` };
  const codes = loopbackCodes(z);
  if (codes.length > 0)
    return { ...base, verdict: 'reject', reply: `554 5.7.1 Service unavailable; Client host [${ip}] blocked using ${z.zone}${z.txt ? `; ${z.txt}` : ''}`, why: `${ip} is on ${z.zone} (${codes.join(', ')}).` };
  if (z.status === 'not-listed' && z.rcode === 'NXDOMAIN') return { ...base, verdict: 'accept', why: `${ip} is not on ${z.zone}.` };
  return undefined;
}

export function postfixRows(input: ReceiverInput): ReceiverRow[] {
  const rows: ReceiverRow[] = [];
  const sender = unknownSenderDomain(input);
  if (sender) rows.push(sender);
  for (const z of input.dnsbl?.zones ?? []) {
    const r = rblClient(input.ip, z);
    if (r) rows.push(r);
  }
  return rows;
}

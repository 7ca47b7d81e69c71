// What Postfix answers at RCPT TO for the sender-domain and DNSBL restrictions, modelled on Debian
// 12's Postfix 3.7 defaults (smtpd_delay_reject = yes: client and sender restrictions answer RCPT).
// Checked against a real Postfix (XCLIENT presenting each scenario's client) in
// test/integration/receivers-postfix.test.ts. The client/HELO hostname rules (reject_unknown_*) are
// in the rDNS and HELO reports.
import type { DnsblZoneResult } from '../dnsbl/types';
import { answerAddresses } from './dnsbl';
import { KNOB_DEFAULTS } from './knobs';
import type { ReceiverInput, ReceiverRow } from './types';

export const POSTFIX_VERSION = 'Postfix 3.7 (Debian 12 defaults, smtpd_delay_reject = yes)';
const DOC = 'https://www.postfix.org/postconf.5.html';

/** Postfix gives the enhanced status code the reply code's class (4.x.x for 4xx, 5.x.x for 5xx). */
const dsnClass = (code: number) => String(code).charAt(0);

// postconf(5) reject_unknown_sender_domain: no MX and no A/AAAA → unknown_address_reject_code (450)
// "Domain not found" (a null MX, RFC 7505, is its own reply: not seen in the tests, so not modelled).
function unknownSenderDomain(input: ReceiverInput): ReceiverRow | undefined {
  const domain = input.fromDomain ?? input.spf?.domain;
  if (!domain || input.fromDomainExists === undefined) return undefined;
  const sender = input.mailFrom ?? `postmaster@${domain}`;
  const base = { receiver: 'postfix' as const, version: POSTFIX_VERSION, rule: 'reject_unknown_sender_domain', docUrl: `${DOC}#reject_unknown_sender_domain` };
  if (input.fromDomainExists === true) return { ...base, verdict: 'accept', why: `${domain} has an MX or an address record.` };
  const code = input.knobs?.postfix?.unknownAddressRejectCode ?? KNOB_DEFAULTS.postfix.unknownAddressRejectCode;
  if (input.fromDomainExists === false)
    return { ...base, verdict: 'reject', reply: `${code} ${dsnClass(code)}.1.8 <${sender}>: Sender address rejected: Domain not found`, why: `${domain} has no MX and no A or AAAA record; Postfix answers with unknown_address_reject_code, ${code}${code === 450 ? ' (the default: the sender retries; set 550 to refuse outright)' : ''}.` };
  return { ...base, verdict: 'defer', why: `Looking up ${domain} failed: Postfix defers (unknown_address_tempfail_action = defer_if_permit).` };
}

// postconf(5) reject_rbl_client: any A record at <reversed address>.<zone> rejects with
// default_rbl_reply "$rbl_code Service unavailable; $rbl_class [$rbl_what] blocked using
// $rbl_domain${rbl_reason?; $rbl_reason}" (rbl_reason: the TXT record), rbl_reply_maps empty.
// Any A record lists, also one outside 127/8 (scenario 18: Postfix rejects on 192.0.2.18, where Exim,
// SpamAssassin and rspamd ignore it). Only the answers the tests saw are modelled: A records, and NXDOMAIN.
function rblClient(ip: string, z: DnsblZoneResult, code: number): ReceiverRow | undefined {
  const base = { receiver: 'postfix' as const, version: POSTFIX_VERSION, rule: `reject_rbl_client ${z.zone}`, docUrl: `${DOC}#reject_rbl_client` };
  const codes = answerAddresses(z);
  if (codes.length > 0)
    return { ...base, verdict: 'reject', reply: `${code} ${dsnClass(code)}.7.1 Service unavailable; Client host [${ip}] blocked using ${z.zone}${z.txt ? `; ${z.txt}` : ''}`, why: `${ip} is on ${z.zone} (${codes.join(', ')}).` };
  if (z.status === 'not-listed' && z.rcode === 'NXDOMAIN') return { ...base, verdict: 'accept', why: `${ip} is not on ${z.zone}.` };
  return undefined;
}

export const POLICYD_SPF_RULE = 'check_policy_service policyd-spf (HELO_reject = Fail, Mail_From_reject = Fail)';

// Debian's postfix-policyd-spf-python 3.0.4 with its shipped policyd-spf.conf: the HELO identity is
// checked first (as postmaster@<HELO>) and a Fail rejects; then the MAIL FROM identity, and a Fail
// rejects; every other result only prepends Received-SPF. Its reply is the Reason_Message with
// pyspf's explanation and r= the recipient's domain; Postfix puts "<recipient>: Recipient address rejected:" in front.
function policydSpf(input: ReceiverInput): ReceiverRow | undefined {
  const heloSpf = input.heloCheck?.spf;
  const spf = input.spf;
  if (!spf) return undefined;
  const base = { receiver: 'postfix' as const, version: POSTFIX_VERSION, rule: POLICYD_SPF_RULE, docUrl: 'https://manpages.debian.org/bookworm/postfix-policyd-spf-python/policyd-spf.conf.5.en.html' };
  // The recipient is not known to the mail check: the reply then names it as <recipient@receiver>.
  const rcpt = input.rcptTo ?? 'recipient@receiver';
  const reject = (scope: 'helo' | 'mfrom', id: string, why: string): ReceiverRow => ({
    ...base, verdict: 'reject', why,
    reply: `550 5.7.23 <${rcpt}>: Recipient address rejected: Message rejected due to: SPF fail - not authorized. Please see http://www.openspf.net/Why?s=${scope};id=${id};ip=${input.ip};r=${rcpt.slice(rcpt.lastIndexOf('@') + 1)}`,
  });
  const helo = input.helo.trim();
  if (heloSpf?.result === 'fail') return reject('helo', helo, `SPF for the HELO name ${helo} fails: policyd-spf rejects (HELO_reject = Fail).`);
  if (spf.result === 'fail') return reject('mfrom', input.mailFrom ?? `postmaster@${spf.domain}`, `SPF for ${spf.domain} fails: policyd-spf rejects (Mail_From_reject = Fail).`);
  return { ...base, verdict: 'accept', why: `SPF gives ${spf.result} for ${spf.domain}${heloSpf ? ` and ${heloSpf.result} for the HELO name` : ''}: policyd-spf only adds a Received-SPF header.` };
}

export function postfixRows(input: ReceiverInput): ReceiverRow[] {
  const rows: ReceiverRow[] = [];
  const sender = unknownSenderDomain(input);
  if (sender) rows.push(sender);
  const spf = policydSpf(input);
  if (spf) rows.push(spf);
  for (const z of input.dnsbl?.zones ?? []) {
    const r = rblClient(input.ip, z, input.knobs?.postfix?.rblRejectCode ?? KNOB_DEFAULTS.postfix.rblRejectCode);
    if (r) rows.push(r);
  }
  return rows;
}

// What receivers do with a connecting IP, from the same lookups the chain walk made.
//
// Postfix (smtpd_peer.c, smtpd_check.c, postconf(5)):
// - The reverse name is what getnameinfo() returns for the client IP: one PTR name (the first the
//   resolver returns), refused when malformed or numeric. Temporary DNS failure → TEMP, else PERM.
//   Temporary is the C library's TRY_AGAIN (EAI_AGAIN): SERVFAIL, REFUSED, NOTIMP, no reply. FORMERR
//   is NO_RECOVERY (EAI_FAIL), a permanent failure.
// - The verified name additionally needs the reverse name's addresses *of the client's address
//   family* to include the client IP; otherwise it is "forged" (treated like PERM), or TEMP when that
//   lookup failed temporarily.
// - reject_unknown_reverse_client_hostname rejects when the reverse name is unknown;
//   reject_unknown_client_hostname when the verified name is unknown. Both reply with
//   unknown_client_reject_code (default 450) for PERM, and always 450 for TEMP. The enhanced status
//   differs: 4.7.1 for the reverse rule ("Client host rejected: cannot find your reverse hostname,
//   [IP]"), 4.7.25 (RFC 7372) for the other ("… cannot find your hostname, [IP]"); 5.7.x with a 5xx
//   unknown_client_reject_code. (Checked against a real Postfix 3.7 in
//   test/integration/postfix-client.test.ts.)
// Gmail (support.google.com/a/answer/81126, "Set up PTR records"): the sending IP must have a PTR
// record whose name resolves back to that IP, else `550-5.7.25`.
import type { Verdict } from '../model';
import type { ReceiverVerdict } from './types';

const POSTCONF = 'https://www.postfix.org/postconf.5.html';

export type PeerStatus = 'ok' | 'temp' | 'perm';

export interface PeerLookup {
  /** Result of the reverse lookup as Postfix sees it. */
  reverse: PeerStatus;
  /** The name getnameinfo() would return (first PTR name), if any. */
  reverseName?: string;
  /** Result of the forward confirmation of that name (only meaningful when reverse is ok). */
  forward: PeerStatus;
  /** Why, in words, for each non-ok status. */
  reverseWhy?: string;
  forwardWhy?: string;
}

function verdictOf(s: PeerStatus): Verdict {
  return s === 'ok' ? 'accept' : s === 'temp' ? 'defer' : 'reject';
}

/** Whether the C library reports this rcode as TRY_AGAIN (Postfix: TEMP); FORMERR is NO_RECOVERY (PERM). */
export function postfixTemporary(rcode: string): boolean {
  return rcode !== 'NOERROR' && rcode !== 'NXDOMAIN' && rcode !== 'FORMERR';
}

// smtpd_check.c: reject_unknown_reverse_name() replies with "4.7.1", reject_unknown_client() with "4.7.25".
const DSN = { 'reverse hostname': '4.7.1', hostname: '4.7.25' } as const;

/** `code`: unknown_client_reject_code, for a permanent "unknown"; a temporary one is always 450. */
function reply(s: PeerStatus, what: 'hostname' | 'reverse hostname', ip: string, code: number): string | undefined {
  if (s === 'ok') return undefined;
  const c = s === 'temp' ? 450 : code;
  return `${c} ${DSN[what].replace(/^4/, String(c).charAt(0))} Client host rejected: cannot find your ${what}, [${ip}]`;
}

const permNote = (what: 'hostname' | 'reverse hostname', code: number) =>
  code === 450
    ? `Postfix answers with unknown_client_reject_code, 450 by default: the sender retries and the message bounces when its queue lifetime ends (typically 5 days). Many sites set it to 550, which bounces at once with "550 ${DSN[what].replace(/^4/, '5')}".`
    : `Postfix answers with unknown_client_reject_code, here ${code} (mailDns.receivers.postfix.unknownClientRejectCode)${code >= 500 ? ': the message bounces at once' : ''}.`;
const TEMP_NOTE = 'A temporary DNS failure always gets 450, whatever unknown_client_reject_code says: the sender retries later.';

/** `code`: the receiving Postfix's unknown_client_reject_code (default 450). */
export function postfixVerdicts(ip: string, p: PeerLookup, code = 450): ReceiverVerdict[] {
  const clientStatus: PeerStatus = p.reverse !== 'ok' ? p.reverse : p.forward;
  const clientWhy = p.reverse !== 'ok' ? p.reverseWhy : p.forwardWhy;
  const explain = (s: PeerStatus, why: string | undefined, okText: string, what: 'hostname' | 'reverse hostname') =>
    s === 'ok' ? okText : `${why ?? ''} ${s === 'temp' ? TEMP_NOTE : permNote(what, code)}`.trim();
  return [
    {
      receiver: 'postfix',
      rule: 'reject_unknown_reverse_client_hostname',
      verdict: verdictOf(p.reverse),
      reply: reply(p.reverse, 'reverse hostname', ip, code),
      explanation: explain(p.reverse, p.reverseWhy, `The address has a PTR name (${p.reverseName}); this rule does not check that it resolves back.`, 'reverse hostname'),
      reference: `${POSTCONF}#reject_unknown_reverse_client_hostname`,
    },
    {
      receiver: 'postfix',
      rule: 'reject_unknown_client_hostname',
      verdict: verdictOf(clientStatus),
      reply: reply(clientStatus, 'hostname', ip, code),
      explanation: explain(clientStatus, clientWhy, `The PTR name ${p.reverseName} resolves back to ${ip}: Postfix logs the client as ${p.reverseName}[${ip}].`, 'hostname'),
      reference: `${POSTCONF}#reject_unknown_client_hostname`,
    },
  ];
}

export function gmailVerdict(ip: string, fcrdns: 'pass' | 'fail' | 'temperror' | 'permerror'): ReceiverVerdict {
  const base = {
    receiver: 'gmail' as const,
    rule: 'PTR record whose name resolves back to the sending IP',
    reference: 'https://support.google.com/a/answer/81126',
  };
  if (fcrdns === 'pass') return { ...base, verdict: 'accept', explanation: 'The IP has a PTR name that resolves back to it, as Gmail requires of all senders.' };
  if (fcrdns === 'temperror')
    return {
      ...base,
      verdict: 'defer',
      explanation: 'The DNS lookups failed temporarily; a receiver cannot decide and defers (4xx), and the sender retries later.',
    };
  return {
    ...base,
    verdict: 'reject',
    reply: `550-5.7.25 [${ip}] The IP address sending this message does not have a PTR record setup, or the corresponding forward DNS entry does not point to the sending IP.`,
    explanation: 'Gmail rejects mail from IPs without a PTR record whose name resolves back to the IP.',
  };
}

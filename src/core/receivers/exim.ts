// What Exim answers at RCPT TO, modelled on Debian 12's exim4 4.96 with exim4-config's ACLs
// (acl_check_rcpt, conf.d/acl/30_exim4-config_check_rcpt, default macros, host_lookup = *), alone
// and with the two common hardening lines added through Debian's CHECK_RCPT_LOCAL_ACL_FILE hook:
//   deny !verify = reverse_host_lookup      deny !verify = helo
// Checked against the real exim4 binary (`exim -bh <ip>`, its SMTP session on stdin with every ACL
// and DNS lookup real) in test/integration/receivers-real.test.ts.
// Debian's default ACL looks at neither the client's name nor its HELO: the connection alone never
// makes it refuse mail for a local recipient. SPF (`spf =`) needs exim4-daemon-heavy: not modelled.
import type { DnsblZoneResult } from '../dnsbl/types';
import { loopbackCodes } from './dnsbl';
import type { ReceiverInput, ReceiverRow } from './types';

export const EXIM_VERSION = 'Exim 4.96 (Debian 12 exim4-daemon-light, exim4-config acl_check_rcpt; hardening through CHECK_RCPT_LOCAL_ACL_FILE)';
const SPEC = 'https://www.exim.org/exim-html-4.96/doc/html/spec_html/ch-access_control_lists.html';
/** Exim's reply to a `deny` without a `message`, at RCPT. */
export const EXIM_DENY = '550 Administrative prohibition';
export const EXIM_ACCEPT = '250 Accepted';

type Outcome = { verdict: 'accept' | 'reject' | 'defer'; why: string };

function reverseHostLookup(input: ReceiverInput): Outcome {
  const r = input.rdns;
  if (r.confirmed.length > 0) return { verdict: 'accept', why: `${r.confirmed[0]} resolves back to ${input.ip}.` };
  if (r.fcrdns === 'temperror') return { verdict: 'defer', why: 'The reverse lookup failed temporarily: Exim cannot verify the host name now.' };
  return { verdict: 'reject', why: r.ptr.length === 0 ? `${input.ip} has no PTR record.` : `No PTR name of ${input.ip} (${r.ptr.join(', ')}) resolves back to it.` };
}

// Exim spec "verify = helo": an address literal must be the client's address; a name must be the
// client's verified host name, or have an A/AAAA record that is the client's address.
function verifyHelo(input: ReceiverInput): Outcome {
  const helo = input.helo.trim();
  const h = input.heloCheck;
  if (helo.startsWith('[')) {
    return h?.literalMatchesIp ? { verdict: 'accept', why: `The address literal ${helo} is the client's address.` } : { verdict: 'reject', why: `The address literal ${helo} is not the client's address ${input.ip}.` };
  }
  if (input.rdns.confirmed.some((n) => n === helo.toLowerCase().replace(/\.$/, ''))) return { verdict: 'accept', why: `${helo} is the client's verified host name.` };
  if (h?.matchesIp) return { verdict: 'accept', why: `${helo} resolves to ${input.ip}.` };
  if (h && h.matchesIp === null && h.resolves === null && h.fqdn) return { verdict: 'defer', why: `Looking up ${helo} failed: Exim cannot verify the HELO name now.` };
  return { verdict: 'reject', why: `${helo} is neither the client's verified host name nor a name that resolves to ${input.ip}.` };
}

// Exim spec "DNS lists": an A record for <reversed address>.<zone> lists the host; Exim ignores
// answers outside 127.0.0.0/8, and a lookup that fails counts as "not listed" (no defer_unknown).
function dnslist(ip: string, z: DnsblZoneResult): Outcome {
  const codes = loopbackCodes(z);
  if (codes.length > 0) return { verdict: 'reject', why: `${ip} is on ${z.zone} (${codes.join(', ')}).` };
  if (z.status === 'error' || z.status === 'refused') return { verdict: 'accept', why: `${z.zone} gave no answer (${z.rcode}): Exim treats that as not listed.` };
  return { verdict: 'accept', why: `${ip} is not on ${z.zone}.` };
}

export function eximRows(input: ReceiverInput): ReceiverRow[] {
  const row = (rule: string, o: Outcome): ReceiverRow => ({
    receiver: 'exim', version: EXIM_VERSION, rule, verdict: o.verdict,
    // A deferral's reply is not modelled (the tests have no temporary DNS failure yet).
    reply: o.verdict === 'accept' ? EXIM_ACCEPT : o.verdict === 'reject' ? EXIM_DENY : undefined,
    why: o.why, docUrl: SPEC,
  });
  return [
    row('acl_check_rcpt (Debian default)', { verdict: 'accept', why: "Debian's default RCPT ACL checks neither the client's host name nor its HELO name." }),
    row('deny !verify = reverse_host_lookup', reverseHostLookup(input)),
    row('deny !verify = helo', verifyHelo(input)),
    ...(input.dnsbl?.zones ?? []).map((z) => row(`deny dnslists = ${z.zone}`, dnslist(input.ip, z))),
  ];
}

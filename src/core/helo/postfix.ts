// What Postfix's smtpd does with a HELO/EHLO name: its own syntax rules and the three HELO
// restrictions, emulated from Postfix 3.7's source (smtpd/smtpd_check.c, util/valid_hostname.c,
// global/valid_mailhost_addr.c, dns/dns_lookup.c, smtpd/smtpd.c) and checked against a real Postfix
// in test/integration/postfix-helo.test.ts.
//
// - reject_invalid_helo_hostname: a name starting with '[' must be `[a.b.c.d]` or `[IPv6:…]`
//   (valid_mailhost_addr), else "invalid ip address"; any other name must pass valid_hostname() or
//   be a bare address (valid_hostaddr, "back compat"), else "Invalid name". Code
//   invalid_hostname_reject_code (501), enhanced status 5.5.2.
// - reject_non_fqdn_helo_hostname: '[' names as above; others must pass valid_hostname() and hold
//   a dot, else "need fully-qualified hostname". Code non_fqdn_reject_code (504), 5.5.2. A bare
//   IPv4 address fails (valid_hostname refuses all-numeric names).
// - reject_unknown_helo_hostname: '[' names as above; others need an A, AAAA or MX record.
//   Not found (NXDOMAIN or no data, FORMERR, a name that is not a valid host name, an address, a
//   trailing dot) → unknown_hostname_reject_code (450), 4.7.1, "Host not found"; a temporary failure
//   (SERVFAIL, REFUSED, NOTIMP, no reply) → defer_if_permit: 450 4.7.1 at RCPT TO.
// Both name checks first drop one trailing dot (dup_if_truncate); the DNS check does not.
//
// With the default smtpd_delay_reject = yes the restrictions run at RCPT TO, on the name as smtpd
// stored it: non-printable characters and the characters ` <>()\";@` replaced by '?'. With
// smtpd_delay_reject = no they run at HELO time on the name as sent.
import type { Verdict } from '../model';

const POSTCONF = 'https://www.postfix.org/postconf.5.html';
export const INVALID_HOSTNAME_REJECT_CODE = 501;
export const NON_FQDN_REJECT_CODE = 504;
export const UNKNOWN_HOSTNAME_REJECT_CODE = 450;

/**
 * The receiving Postfix's HELO reply codes (postconf names in the comments); unset: Postfix's defaults.
 * The extension reads them from mailDns.receivers.postfix.* (src/core/receivers/knobs.ts).
 */
export interface HeloRejectCodes {
  /** invalid_hostname_reject_code (501). */
  invalidHostname?: number;
  /** non_fqdn_reject_code (504). */
  nonFqdn?: number;
  /** unknown_hostname_reject_code (450). */
  unknownHostname?: number;
}

/** "here 550", or "501 by default" when the code is the default. */
const codeNote = (code: number, dflt: number, knob: string) => (code === dflt ? `${dflt} by default` : `here ${code}, mailDns.receivers.postfix.${knob}`);

const VALID_LABEL_LEN = 63;
const VALID_HOSTNAME_LEN = 255;

const isAlnum = (c: string) => /^[A-Za-z0-9]$/.test(c);
const isDigit = (c: string) => c >= '0' && c <= '9';

/** util/valid_hostname.c valid_hostname(); returns why not, or undefined when valid. */
export function postfixValidHostname(name: string, wildcard = false): string | undefined {
  if (name.length === 0) return 'empty hostname';
  let labelLength = 0;
  let nonNumeric = false;
  for (let i = 0; i < name.length; i++) {
    const ch = name[i];
    const next = name[i + 1];
    if (isAlnum(ch) || ch === '_' || (wildcard && ch === '*' && labelLength === 0 && (next === '.' || next === undefined))) {
      labelLength++;
      if (labelLength > VALID_LABEL_LEN) return `label longer than ${VALID_LABEL_LEN} characters`;
      if (!isDigit(ch)) nonNumeric = true;
    } else if (ch === '.') {
      if (labelLength === 0 || next === undefined) return 'misplaced dot (empty label, or a trailing dot)';
      labelLength = 0;
    } else if (ch === '-') {
      nonNumeric = true;
      labelLength++;
      if (labelLength === 1 || next === undefined || next === '.') return 'misplaced hyphen (a label starts or ends with "-")';
    } else {
      return `invalid character ${JSON.stringify(ch)}`;
    }
  }
  if (!nonNumeric) return 'numeric hostname';
  if (name.length > VALID_HOSTNAME_LEN) return `longer than ${VALID_HOSTNAME_LEN} characters`;
  return undefined;
}

/** util/valid_hostname.c valid_ipv4_hostaddr(). */
export function postfixValidIpv4(addr: string): boolean {
  let inByte = false;
  let byteCount = 0;
  let byteVal = 0;
  for (let i = 0; i < addr.length; i++) {
    const ch = addr[i];
    if (isDigit(ch)) {
      if (!inByte) {
        inByte = true;
        byteVal = 0;
        byteCount++;
      }
      byteVal = byteVal * 10 + Number(ch);
      if (byteVal > 255) return false;
    } else if (ch === '.') {
      if (!inByte || i + 1 === addr.length) return false;
      // "Allow 0.0.0.0 but not 0.1.2.3"
      if (byteCount === 1 && byteVal === 0 && /[^0.]/.test(addr)) return false;
      inByte = false;
    } else {
      return false;
    }
  }
  return byteCount === 4;
}

/** util/valid_hostname.c valid_ipv6_hostaddr(): eight hex fields, or `::`-compressed, or IPv4 at the end. */
export function postfixValidIpv6(addr: string): boolean {
  let nullField = 0;
  let field = 0;
  let len = 0;
  let i = 0;
  for (;;) {
    const ch = addr[i];
    if (ch === undefined) {
      if (field < 2) return false;
      if (len === 0 && nullField !== field - 1) return false;
      return true;
    }
    if (ch === '.') {
      if (field < 2 || field > 6) return false;
      return postfixValidIpv4(addr.slice(i - len));
    }
    if (ch === ':') {
      if (field === 0 && len === 0 && addr[i + 1] !== undefined && isAlnum(addr[i + 1])) return false;
      field++;
      if (field > 7) return false;
      i++;
      len = 0;
      if (addr[i] === ':') {
        if (nullField > 0) return false;
        nullField = field;
      }
      continue;
    }
    const m = /^[0-9a-fA-F]*/.exec(addr.slice(i))![0];
    len = m.length;
    if (len > 4 || len === 0) return false;
    i += len;
  }
}

/** util/valid_hostname.c valid_hostaddr(). */
export function postfixValidHostaddr(addr: string): boolean {
  if (addr.length === 0) return false;
  return addr.includes(':') ? postfixValidIpv6(addr) : postfixValidIpv4(addr);
}

/** global/valid_mailhost_addr.c: `IPv6:` (any case) then an IPv6 address, or a plain IPv4 address. */
export function postfixValidMailhostAddr(addr: string): boolean {
  if (/^ipv6:/i.test(addr)) return postfixValidIpv6(addr.slice(5));
  return postfixValidIpv4(addr);
}

/** smtpd_check.c dup_if_truncate(): drop one trailing dot, but not from "x.." or ".". */
export function dropTrailingDot(name: string): string {
  return name.length > 1 && name.endsWith('.') && name[name.length - 2] !== '.' ? name.slice(0, -1) : name;
}

/**
 * The HELO name as smtpd stores it (smtpd.c helo_cmd): printable() then neuter() with
 * NEUTER_CHARACTERS " <>()\\\";@". Restrictions delayed to RCPT TO see this form.
 */
export function postfixStoredHeloName(name: string): string {
  return name.replace(/[\u0000-\u001f\u007f]/g, '?').replace(/[ <>()\\";@]/g, '?');
}

/** Postfix's view of the A, AAAA and MX lookups for reject_unknown_helo_hostname. */
export type PostfixDnsStatus = 'ok' | 'nullmx' | 'notfound' | 'retry' | 'fail' | 'inval';

/** One lookup's rcode and whether it returned records, as dns_query() maps it. */
export interface LookupOutcome {
  type: 'A' | 'AAAA' | 'MX';
  rcode: string;
  records: number;
  /** MX only: the only MX is the null MX `0 .` (RFC 7505). */
  nullMx?: boolean;
}

// dns.h: DNS_OK > DNS_POLICY > DNS_RETRY > DNS_INVAL > DNS_FAIL > DNS_NULLMX > DNS_NOTFOUND.
const PRECEDENCE: Record<PostfixDnsStatus, number> = { ok: 0, retry: -2, inval: -3, fail: -4, nullmx: -5, notfound: -7 };

/**
 * dns_lookup.c: NXDOMAIN and NOERROR/no data are DNS_NOTFOUND; the resolver's TRY_AGAIN is DNS_RETRY
 * and its NO_RECOVERY is DNS_FAIL. The C library (glibc res_send) moves on to the next server after
 * SERVFAIL, NOTIMP or REFUSED and reports TRY_AGAIN when none is left, as it does for no reply;
 * FORMERR comes back as NO_RECOVERY. (Checked against the real Postfix through a fault DNS server.)
 * dns_lookup_l() stops at the first OK and otherwise reports the highest-precedence status.
 */
export function postfixDnsStatus(name: string, outcomes: LookupOutcome[]): PostfixDnsStatus {
  if (postfixValidHostaddr(name) || (name !== '.' && postfixValidHostname(name, true) !== undefined)) return 'notfound';
  let best: PostfixDnsStatus | undefined;
  for (const o of outcomes) {
    let s: PostfixDnsStatus;
    if (o.rcode === 'NOERROR') s = o.records > 0 ? (o.nullMx ? 'nullmx' : 'ok') : 'notfound';
    else if (o.rcode === 'NXDOMAIN') s = 'notfound';
    else if (o.rcode === 'FORMERR') s = 'fail';
    else s = 'retry';
    if (s === 'ok') return 'ok';
    if (best === undefined || PRECEDENCE[s] > PRECEDENCE[best]) best = s;
  }
  return best ?? 'notfound';
}

export interface PostfixHeloRule {
  receiver: 'postfix';
  rule: 'reject_invalid_helo_hostname' | 'reject_non_fqdn_helo_hostname' | 'reject_unknown_helo_hostname';
  verdict: Verdict;
  /** The reply with the default smtpd_delay_reject = yes: sent in answer to RCPT TO. */
  reply?: string;
  /** The reply with smtpd_delay_reject = no: sent in answer to HELO/EHLO (for a defer, still at RCPT TO). */
  replyAtHelo?: string;
  explanation: string;
  reference: string;
}

function replies(code: number, dsn: string, name: string, text: string): { reply: string; replyAtHelo: string } {
  // smtpd_check_reject(): the enhanced status code's class follows the reply code's (4xx → 4.x.x, 5xx → 5.x.x).
  dsn = dsn.replace(/^[45]/, String(code).charAt(0));
  return {
    reply: `${code} ${dsn} <${postfixStoredHeloName(name)}>: Helo command rejected: ${text}`,
    replyAtHelo: `${code} ${dsn} <${name}>: Helo command rejected: ${text}`,
  };
}

/** reject_invalid_hostaddr() for names starting with '['. */
function literalRule(rule: PostfixHeloRule['rule'], name: string, codes: HeloRejectCodes): PostfixHeloRule | undefined {
  if (!name.startsWith('[')) return undefined;
  const inner = name.length > 2 && name.endsWith(']') ? name.slice(1, -1) : name;
  const ok = postfixValidMailhostAddr(inner);
  const code = codes.invalidHostname ?? INVALID_HOSTNAME_REJECT_CODE;
  return {
    receiver: 'postfix',
    rule,
    verdict: ok ? 'accept' : 'reject',
    ...(ok ? {} : replies(code, '5.5.2', name, 'invalid ip address')),
    explanation: ok
      ? `${name} is a well-formed address literal; Postfix checks only its form, not whether it is the client's address.`
      : `${name} starts with "[" but is not [a.b.c.d] or [IPv6:…]: Postfix checks it as an address literal and refuses it (invalid_hostname_reject_code, ${codeNote(code, INVALID_HOSTNAME_REJECT_CODE, 'invalidHostnameRejectCode')}).`,
    reference: `${POSTCONF}#${rule}`,
  };
}

export function invalidHeloRule(name: string, codes: HeloRejectCodes = {}): PostfixHeloRule {
  const rule = 'reject_invalid_helo_hostname' as const;
  const lit = literalRule(rule, name, codes);
  if (lit) return lit;
  const test = dropTrailingDot(name);
  const why = postfixValidHostname(test);
  const ok = why === undefined || postfixValidHostaddr(test);
  const code = codes.invalidHostname ?? INVALID_HOSTNAME_REJECT_CODE;
  return {
    receiver: 'postfix',
    rule,
    verdict: ok ? 'accept' : 'reject',
    ...(ok ? {} : replies(code, '5.5.2', name, 'Invalid name')),
    explanation: ok
      ? why === undefined
        ? 'The name passes Postfix\'s host name syntax check (letters, digits, "-" and "_", labels of 1–63 characters).'
        : 'A bare IP address passes this rule (Postfix accepts it "for backwards compatibility"), though not reject_non_fqdn_helo_hostname.'
      : `Postfix's host name syntax check fails: ${why}. It replies with invalid_hostname_reject_code (${codeNote(code, INVALID_HOSTNAME_REJECT_CODE, 'invalidHostnameRejectCode')}).`,
    reference: `${POSTCONF}#${rule}`,
  };
}

export function nonFqdnHeloRule(name: string, codes: HeloRejectCodes = {}): PostfixHeloRule {
  const rule = 'reject_non_fqdn_helo_hostname' as const;
  const lit = literalRule(rule, name, codes);
  if (lit) return lit;
  const test = dropTrailingDot(name);
  const why = postfixValidHostname(test);
  const ok = why === undefined && test.includes('.');
  const code = codes.nonFqdn ?? NON_FQDN_REJECT_CODE;
  const note = codeNote(code, NON_FQDN_REJECT_CODE, 'nonFqdnRejectCode');
  return {
    receiver: 'postfix',
    rule,
    verdict: ok ? 'accept' : 'reject',
    ...(ok ? {} : replies(code, '5.5.2', name, 'need fully-qualified hostname')),
    explanation: ok
      ? 'The name is a valid host name with a dot: Postfix counts it as fully qualified.'
      : why !== undefined
        ? `Postfix wants a valid host name with at least one dot; this one fails the syntax check (${why}). It replies with non_fqdn_reject_code (${note}).`
        : `The name has no dot: Postfix wants a fully-qualified host name (e.g. mail.example.com) and replies with non_fqdn_reject_code (${note}).`,
    reference: `${POSTCONF}#${rule}`,
  };
}

/** reject_unknown_helo_hostname, given Postfix's view of the A/AAAA/MX lookups (see postfixDnsStatus). */
export function unknownHeloRule(name: string, status: PostfixDnsStatus | undefined, codes: HeloRejectCodes = {}): PostfixHeloRule {
  const rule = 'reject_unknown_helo_hostname' as const;
  const lit = literalRule(rule, name, codes);
  if (lit) return lit;
  const base = { receiver: 'postfix' as const, rule, reference: `${POSTCONF}#${rule}` };
  const s = status ?? 'notfound';
  if (s === 'ok' || s === 'nullmx') {
    return {
      ...base,
      verdict: 'accept',
      explanation: s === 'ok' ? 'The name has an A, AAAA or MX record.' : 'The name has a null MX (RFC 7505), which Postfix allows for MTA names.',
    };
  }
  if (s === 'retry') {
    // DEFER_IF_PERMIT: the HELO is accepted, and the deferral is given at RCPT TO.
    const r = `450 4.7.1 <${postfixStoredHeloName(name)}>: Helo command rejected: Host not found`;
    return {
      ...base,
      verdict: 'defer',
      reply: r,
      replyAtHelo: r,
      explanation:
        'The A/AAAA/MX lookups failed temporarily (SERVFAIL, REFUSED or no reply): Postfix accepts HELO but defers the mail (unknown_helo_hostname_tempfail_action = defer_if_permit), answering RCPT TO with 450, and the sender retries.',
    };
  }
  const text = s === 'inval' ? 'Malformed DNS server reply' : 'Host not found';
  const code = codes.unknownHostname ?? UNKNOWN_HOSTNAME_REJECT_CODE;
  const why =
    postfixValidHostaddr(name)
      ? 'Postfix does not look up an address as a name'
      : postfixValidHostname(name, true) !== undefined
        ? `Postfix does not look up a name that fails its syntax check (${postfixValidHostname(name, true)})`
        : s === 'fail'
          ? 'the DNS server could not parse the query (FORMERR; Postfix treats that as not found)'
          : 'the name has no A, AAAA or MX record';
  return {
    ...base,
    verdict: 'reject',
    ...replies(code, '4.7.1', name, text),
    explanation:
      code === UNKNOWN_HOSTNAME_REJECT_CODE
        ? `Postfix rejects: ${why}. The code is unknown_hostname_reject_code, 450 by default: the sender retries until its queue lifetime ends (typically 5 days), then bounces; sites that set it to 550 bounce at once.`
        : `Postfix rejects: ${why}. The code is unknown_hostname_reject_code, here ${code} (mailDns.receivers.postfix.unknownHostnameRejectCode)${code >= 500 ? ': the message bounces at once' : ': the sender retries until its queue lifetime ends'}.`,
  };
}

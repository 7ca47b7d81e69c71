// Received header fields (RFC 5321 §4.4 Time-stamp-line, RFC 5322 §3.6.7): each hop's sending
// host as it said HELO, the address the receiving host saw, and the host that wrote the field; and
// which field is the receiver's own record of the connection it took the message from — the IP and
// HELO name SPF is checked with (RFC 7208 §2.1, §4.1).
//
// Real servers write the from-clause differently; all of these are read:
//   Postfix, Sendmail, Gmail:  from HELO (RDNS [IP])            (RDNS may be "unknown")
//   Exim:                      from RDNS ([IP] helo=HELO)  /  from [IP] (helo=HELO)
//   qmail:                     from RDNS (HELO name) (IP)
//   Microsoft:                 from HELO (IP) by … with Microsoft SMTP Server
//   Sendmail (old), IMail, Notes, MXLogic: from NAME [IP] (EHLO HELO) by …
// IPv6 as [IPv6:2001:db8::1], [2001:db8::1] or bare.
import { inNetwork, parseIp } from '../ip';
import type { Work } from '../dkim/tags';
import { organizationalDomain } from '../dmarc/psl';
import { lex, shortText, type Token } from './lex';
import { VERIFY_LIMITS } from './limits';

export interface ReceivedHop {
  /** Position among the Received fields, the topmost (newest) being 0. */
  index: number;
  /** Position among all header fields. */
  field: number;
  /** The field's value, unfolded and shortened. */
  text: string;
  /** The name after `from`: the HELO name (Postfix, Sendmail), or the verified name (Exim). */
  from?: string;
  /** The HELO/EHLO name the sending host gave. */
  helo?: string;
  /** The sending host's name as the receiving host looked it up (the name before [IP]). */
  rdns?: string;
  /** The sending host's address, canonical. */
  ip?: string;
  /** The host that wrote the field. */
  by?: string;
  /** `with`: the protocol (SMTP, ESMTPS, ESMTPSA, LMTP, …). */
  with?: string;
  id?: string;
  for?: string;
  /** The date after the last ";". */
  date?: string;
  /** The protocol says the client authenticated (RFC 3848: ESMTPA, ESMTPSA, …): a submission. */
  authenticated: boolean;
}

const KEYWORDS = new Set(['from', 'by', 'via', 'with', 'id', 'for']);

/** An address in a literal or a word: [1.2.3.4], [IPv6:2001:db8::1], 2001:db8::1, 1.2.3.4. */
export function ipOf(text: string): string | undefined {
  let t = text.trim();
  if (t.startsWith('[') && t.endsWith(']')) t = t.slice(1, -1);
  // IPv6 with a zone (fe80::1%eth0, Exchange writes %22): the zone is local to the host, drop it.
  t = t.replace(/^ipv6:/i, '').replace(/%[0-9a-zA-Z._-]{1,16}$/, '');
  // Gmail and others may add a port or a trailing dot; "1.2.3.4:25" is not read as IPv6.
  if (t.length > 45 || !/^[0-9a-fA-F:.]+$/.test(t) || !/[.:]/.test(t)) return undefined;
  const p = parseIp(t);
  return p.ok ? p.ip : undefined;
}

function hostWord(text: string): string {
  return text.replace(/\.$/, '').toLowerCase();
}

/** What the comments after `from X` say: the address, the looked-up name, the HELO name. */
function readTcpInfo(comments: Token[], hop: ReceivedHop, work?: Work): void {
  for (const c of comments) {
    const inner = lex(c.text, '=', work);
    for (let k = 0; k < inner.length; k++) {
      const t = inner[k];
      const ip = t.type === 'literal' || t.type === 'word' ? ipOf(t.text) : undefined;
      if (ip && !hop.ip) {
        hop.ip = ip;
        const before = inner[k - 1];
        if (t.type === 'literal' && before?.type === 'word' && !ipOf(before.text) && before.text.toLowerCase() !== 'unknown' && !/^(helo|ehlo)$/i.test(inner[k - 2]?.text ?? '')) {
          hop.rdns = hostWord(before.text);
        }
        continue;
      }
      if (t.type !== 'word') continue;
      const w = t.text.toLowerCase();
      // Exim: helo=NAME;  qmail and others: (HELO name)
      if (w === 'helo' && inner[k + 1]?.text === '=' && inner[k + 2]) {
        hop.helo = inner[k + 2].text;
        k += 2;
      } else if ((w === 'helo' || w === 'ehlo') && inner[k + 1]?.type === 'word' && inner[k + 1].text !== '=') {
        hop.helo = inner[k + 1].text;
        k += 1;
      }
    }
  }
}

/** Reads one Received field's value (unfolded). Never throws. */
export function parseReceived(value: string, index: number, field: number, work?: Work): ReceivedHop {
  const hop: ReceivedHop = { index, field, text: shortText(value, VERIFY_LIMITS.shownChars), authenticated: false };
  const tokens = lex(value, ';', work);
  // The date follows the last ";" (RFC 5321 §4.4); clauses come before it.
  let semi = -1;
  for (let k = tokens.length - 1; k >= 0; k--) {
    if (tokens[k].type === 'special') {
      semi = k;
      break;
    }
  }
  if (semi >= 0) {
    const date = value.slice(tokens[semi].end).trim();
    if (date !== '') hop.date = shortText(date, 80);
  }
  const clauses = semi >= 0 ? tokens.slice(0, semi) : tokens;
  let clause: string | undefined;
  let fromComments: Token[] = [];
  let fromLiteral: string | undefined;
  let expectValue = false;
  for (const t of clauses) {
    if (work) work.steps++;
    if (t.type === 'word' && KEYWORDS.has(t.text.toLowerCase()) && !expectValue) {
      clause = t.text.toLowerCase();
      expectValue = true;
      continue;
    }
    if (t.type === 'comment') {
      if (clause === 'from') fromComments.push(t);
      continue;
    }
    // Sendmail, IMail, Notes, MXLogic: from NAME [IP] by … — the literal after the name, outside a comment.
    if (clause === 'from' && !expectValue && t.type === 'literal' && fromLiteral === undefined) {
      fromLiteral = ipOf(t.text);
      continue;
    }
    if (!expectValue || clause === undefined) continue;
    expectValue = false;
    const text = t.text;
    switch (clause) {
      case 'from':
        hop.from = text;
        break;
      case 'by':
        hop.by = hostWord(text);
        break;
      case 'with':
        hop.with = text;
        break;
      case 'id':
        hop.id = text;
        break;
      case 'for':
        hop.for = text;
        break;
    }
  }
  readTcpInfo(fromComments, hop, work);
  fromComments = [];
  if (hop.from !== undefined) {
    const literal = ipOf(hop.from);
    // Exim without a verified name: from [IP] (helo=NAME); the literal is the address.
    if (literal && !hop.ip) hop.ip = literal;
    if (fromLiteral && !hop.ip) {
      hop.ip = fromLiteral;
      if (!literal && hop.from.toLowerCase() !== 'unknown') hop.rdns = hostWord(hop.from);
    }
    if (hop.helo === undefined) hop.helo = hop.from;
  }
  // RFC 3848: ESMTPA, ESMTPSA, LMTPA, UTF8SMTPA …: the client authenticated.
  if (hop.with && /^(E?SMTP|LMTP|UTF8SMTP|UTF8LMTP)S?A$/i.test(hop.with)) hop.authenticated = true;
  return hop;
}

// Addresses a message can only come from inside a network: private (RFC 1918), shared (RFC 6598),
// loopback, link-local, unique-local (RFC 4193), unspecified. Documentation ranges are not here:
// examples and tests use them as outside addresses.
const INTERNAL: [string, string][] = [
  ['10.0.0.0/8', 'private (RFC 1918)'],
  ['172.16.0.0/12', 'private (RFC 1918)'],
  ['192.168.0.0/16', 'private (RFC 1918)'],
  ['100.64.0.0/10', 'shared address space (RFC 6598)'],
  ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'link-local'],
  ['0.0.0.0/8', '"this network"'],
  ['::1/128', 'loopback'],
  ['::/128', 'unspecified'],
  ['fc00::/7', 'unique-local (RFC 4193)'],
  ['fe80::/10', 'link-local'],
];

/** Why the address is inside a network (and so not the connection from outside), or undefined. */
export function internalAddress(ip: string): string | undefined {
  // An IPv4-mapped IPv6 address is its IPv4 address (RFC 4291 §2.5.5.2).
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  const a = mapped ? mapped[1] : ip;
  return INTERNAL.find(([net]) => net.includes(':') === a.includes(':') && inNetwork(a, net))?.[1];
}

export type HopRole = 'internal' | 'border' | 'upstream' | 'submission';

export interface HopVerdict {
  role: HopRole;
  why: string;
}

export interface BorderChoice {
  /** Index of the border hop (the receiver's record of the connection from outside), when found. */
  border?: number;
  /** One verdict per hop, in order. */
  verdicts: HopVerdict[];
  /** The receiver's organizational domain, from the topmost `by` host. */
  receiverOrg?: string;
  /** Why this border, in one or two sentences. */
  why: string;
}

export function orgOf(name: string | undefined): string | undefined {
  if (!name || !name.includes('.') || ipOf(name)) return undefined;
  return organizationalDomain(name.replace(/\.$/, '').toLowerCase());
}

/**
 * Picks the receiver's topmost trustworthy Received field: the hop where the receiver took the
 * message from a host outside it. Fields above it were written by the receiver (trusted); fields
 * below it were written before the receiver had the message, by hosts it cannot vouch for.
 *
 * `statedIps` are addresses the receiver itself says it checked (its Received-SPF client-ip, its
 * Authentication-Results): a hop from one of them is the border, whatever else is true.
 */
export function chooseBorder(hops: readonly ReceivedHop[], statedIps: readonly string[] = []): BorderChoice {
  const verdicts: HopVerdict[] = [];
  // The receiver's organization: the first `by` that is a name (Gmail's topmost `by` is an address).
  const receiverOrg = hops.map((h) => orgOf(h.by)).find((o) => o !== undefined);
  const stated = statedIps.length > 0 ? hops.findIndex((h) => h.ip !== undefined && statedIps.includes(h.ip)) : -1;
  let border: number | undefined;
  let why = '';
  for (const h of hops) {
    if (border !== undefined) {
      verdicts.push({ role: 'upstream', why: `written before the receiver had the message (by ${h.by ?? 'an unnamed host'}): as the sender's side claims it, not checked` });
      continue;
    }
    if (stated >= 0) {
      if (h.index === stated) {
        border = h.index;
        why = `Received #${h.index + 1} (by ${h.by ?? 'an unnamed host'}) names ${h.ip}, the address the receiver's own Authentication-Results or Received-SPF says it checked.`;
        verdicts.push({ role: 'border', why: `the receiver took the message from ${h.ip} here (its own SPF record names this address)` });
      } else verdicts.push({ role: 'internal', why: 'written by the receiver after the hop its SPF record names: a step inside the receiver' });
      continue;
    }
    if (h.ip === undefined) {
      verdicts.push({ role: 'internal', why: h.from === undefined ? 'names no sending host: a local delivery step (LMTP, a filter, the mailbox server)' : 'names no sending address: an internal step' });
      continue;
    }
    const internal = internalAddress(h.ip);
    if (internal) {
      verdicts.push({ role: 'internal', why: `from ${h.ip}, a ${internal} address: a step inside a network` });
      continue;
    }
    if (h.authenticated) {
      verdicts.push({ role: 'submission', why: `${h.with}: the client authenticated, so this is the author's own submission, not a server handing the message on` });
      why = `Received #${h.index + 1} is an authenticated submission (${h.with}) from ${h.ip}: the message was submitted by its author, and no later hop from another server is recorded above it. SPF is not checked on a submission.`;
      border = undefined;
      // Nothing below a submission was a server-to-server hop the receiver saw.
      for (let k = h.index + 1; k < hops.length; k++) verdicts.push({ role: 'upstream', why: 'below the author’s submission: the author’s side' });
      return { verdicts, ...(receiverOrg ? { receiverOrg } : {}), why };
    }
    const fromOrg = orgOf(h.rdns) ?? orgOf(h.helo);
    const byOrg = orgOf(h.by);
    if (receiverOrg && fromOrg === receiverOrg && byOrg === receiverOrg && h.index + 1 < hops.length) {
      verdicts.push({ role: 'internal', why: `from ${h.rdns ?? h.helo} to ${h.by}: both in ${receiverOrg}, the receiver's own servers` });
      continue;
    }
    border = h.index;
    why =
      `Received #${h.index + 1}, written by ${h.by ?? 'an unnamed host'}, is the topmost one from an outside address (${h.ip}); ` +
      (h.index === 0 ? 'it is the first field, so the receiver wrote it.' : `the ${h.index} above it are the receiver's own steps.`);
    verdicts.push({ role: 'border', why: `the receiver took the message from ${h.ip} here` });
  }
  if (border === undefined && why === '') {
    why =
      hops.length === 0
        ? 'The message has no Received field (a draft, or a copy saved before it was sent): the connecting address is unknown.'
        : 'No Received field names an outside address (every hop is internal or names none): the connecting address is unknown.';
  }
  return { ...(border !== undefined ? { border } : {}), verdicts, ...(receiverOrg ? { receiverOrg } : {}), why };
}

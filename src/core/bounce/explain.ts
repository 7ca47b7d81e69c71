// "Explain bounce message": read the bounce's structure (MIME, RFC 3464 delivery status, RFC 5965
// feedback report, or the text of a non-MIME bounce), say what the message is (a bounce, a delay or
// success notice, an auto-reply, a feedback report), and per recipient: the receiver's reply, the
// cause in plain words, whose side must act, and the checks to run with every value the text gives.
// Pure text processing: no DNS, no network.
//
// Only the notification and the delivery status are judged. The returned message is context: its
// Received-SPF and Authentication-Results say what some receiver on the way saw, never why this
// one refused; its From and DKIM-Signature give values (the DMARC domain, the DKIM selector).
import { shellQuote } from '../escape';
import { parseIp, specialPurpose } from '../ip';
import { field, type HeaderField, MAX_MESSAGE, type MailMessage, normalizeLineEnds } from '../mail/message';
import { enhancedCodeMeaning } from './codes';
import { PATTERNS, type Values } from './patterns';
import { SIDE_LABEL } from './labels';
import { type BounceStructure, readBounce, type RecipientEntry, structureOf } from './read';
import type { BounceCategory, BounceExplanation, BounceMatch, BounceSide, MessageKind, RecipientVerdict, ReturnedContext, SuggestedCheck } from './types';

/** Longest input read: bounces carry the returned message, which can be large. */
export const MAX_INPUT = MAX_MESSAGE;
const MAX_MATCH_TEXT = 400;
const MAX_REPLY = 1000;
/**
 * Places one pattern is looked at in one text. A bounce quotes a rejection a few times; a text that
 * repeats one thousands of times is a flood, and checking every place against every other is
 * quadratic (a 512 KiB repetition of "blocked using " took seconds).
 */
const MAX_HITS = 64;

/** Whose side each category puts the fix on. */
export const SIDE_OF: Record<BounceCategory, BounceSide> = {
  helo: 'sender-dns',
  rdns: 'sender-dns',
  spf: 'sender-dns',
  dkim: 'sender-dns',
  dmarc: 'sender-dns',
  auth: 'sender-dns',
  'sender-domain': 'sender-dns',
  dnsbl: 'sender-reputation',
  blocked: 'sender-reputation',
  reputation: 'sender-reputation',
  rate: 'sender-reputation',
  sender: 'sender-policy',
  'not-permitted': 'sender-policy',
  relay: 'sender-setup',
  tls: 'sender-setup',
  'smtp-auth': 'sender-setup',
  security: 'sender-setup',
  syntax: 'sender-setup',
  recipient: 'recipient',
  'mailbox-full': 'recipient',
  'mailbox-disabled': 'recipient',
  moved: 'recipient',
  'recipient-filter': 'recipient',
  'recipient-rate': 'recipient',
  'recipient-domain': 'recipient',
  'recipient-server': 'delivery',
  spam: 'content',
  virus: 'content',
  policy: 'content',
  size: 'content',
  expired: 'delivery',
  network: 'delivery',
  other: 'unknown',
};

/** Between two matches of one rank, the category earlier here decides: the more specific cause first. */
const PRIORITY: BounceCategory[] = [
  'rdns',
  'helo',
  'dmarc',
  'dkim',
  'spf',
  'auth',
  'recipient-filter',
  'dnsbl',
  'rate',
  'blocked',
  'reputation',
  'sender-domain',
  'not-permitted',
  'smtp-auth',
  'tls',
  'relay',
  'recipient-domain',
  'mailbox-disabled',
  'mailbox-full',
  'moved',
  'recipient-rate',
  'recipient',
  'virus',
  'spam',
  'policy',
  'size',
  'sender',
  'security',
  'syntax',
  'network',
  // A notice that gives up on a queue lifetime (qmail's "I'm not going to try again; this message has been in
  // the queue too long", RFC 5321 §4.5.4.1) also quotes the last error: that error is why it never got through.
  'recipient-server',
  'expired',
  'other',
];

export interface ExplainOptions {
  /** Work done, for tests of the bounds: places compared (patterns) and characters stepped over (readers). */
  work?: { comparisons: number; steps?: number };
}

interface Flat {
  text: string;
  /** Offset in the input of each character of `text`. */
  map: number[];
}

/** Folds white space to single spaces and drops repeated `NNN-X.Y.Z ` continuation prefixes and transcript `<<<` marks. */
export function flatten(input: string): Flat {
  const chars: string[] = [];
  const map: number[] = [];
  let space = false;
  for (let i = 0; i < input.length; i++) {
    const c = input[i];
    // Sendmail transcripts mark the server's lines with "<<< " (RFC 3464 examples): not part of the reply.
    if (c === '<' && input.startsWith('<<< ', i) && (i === 0 || input[i - 1] === '\n')) {
      i += 3;
      continue;
    }
    if (c === ' ' || c === '\n' || c === '\t' || c === '\r' || c === '\f' || c === '\v' || /\s/.test(c)) {
      if (!space && chars.length > 0) {
        chars.push(' ');
        map.push(i);
      }
      space = true;
    } else {
      chars.push(c);
      map.push(i);
      space = false;
    }
  }
  const folded = chars.join('');
  // A multi-line reply (RFC 5321 §4.2) repeats its code on every line; once a reply has shown
  // `550-5.7.25`, later `550-5.7.25 ` / `550 5.7.25 ` within the same stretch of text are line prefixes.
  const drop = new Set<number>();
  const seen = new Map<string, number>();
  const prefix = /(?<=^| )([245]\d\d)([- ])([245]\.\d{1,3}\.\d{1,3}|(?=\S)) ?/g;
  for (const m of folded.matchAll(prefix)) {
    const key = `${m[1]} ${m[3]}`;
    const at = m.index ?? 0;
    const prev = seen.get(key);
    if (prev !== undefined && at - prev < 600 && (m[3] !== '' || m[2] === '-' || prev !== undefined)) {
      for (let k = at; k < at + m[0].length; k++) drop.add(k);
    }
    if (m[2] === '-' || prev !== undefined) seen.set(key, at);
  }
  if (drop.size === 0) return { text: folded, map };
  const out: string[] = [];
  const outMap: number[] = [];
  for (let k = 0; k < folded.length; k++) {
    if (drop.has(k)) continue;
    out.push(folded[k]);
    outMap.push(map[k]);
  }
  return { text: out.join(''), map: outMap };
}

function escape(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

function canonIp(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const p = parseIp(text.replace(/^IPv6:/i, '').replace(/^\[|\]$/g, ''));
  return p.ok ? p.ip : undefined;
}

/** An address a receiver on the Internet could have seen: not private, loopback, link-local or shared. */
function isPublic(ip: string): boolean {
  const sp = specialPurpose(ip);
  return !(sp && /Private|Loopback|Link|Shared|Unique-Local|This host|Unspecified/i.test(sp.name));
}

function push<T>(list: T[], v: T | undefined): void {
  if (v !== undefined && v !== '' && !list.includes(v)) list.push(v);
}

const DAEMONS = /^(mailer-daemon|postmaster|microsoftexchange[0-9a-f]*|mail delivery (sub)?system|mailer_daemon|maildaemon)$/i;
const ZONE_ALIASES: Record<string, string> = {
  spamhaus: 'zen.spamhaus.org',
  spamcop: 'bl.spamcop.net',
  barracuda: 'b.barracudacentral.org',
  barracudacentral: 'b.barracudacentral.org',
  sorbs: 'dnsbl.sorbs.net',
  abuseat: 'cbl.abuseat.org',
  psbl: 'psbl.surriel.com',
  spamrats: 'all.spamrats.com',
  uceprotect: 'dnsbl-1.uceprotect.net',
};
/** Words that follow "listed in" / "blocked by" but are no list: "blacklisted by recipient", "not listed in Domino Directory". */
const NOT_A_ZONE = /^(?:recipient|user|the|our|a|an|this|your|domino|public|policy|local|admin|administrator|postmaster|sender|rules?|filter|dnsbl|rbl)$/i;

function zoneOf(z: string | undefined): string | undefined {
  if (!z) return undefined;
  const low = z.replace(/\.$/, '').toLowerCase();
  if (ZONE_ALIASES[low]) return ZONE_ALIASES[low];
  if (NOT_A_ZONE.test(low) || !low.includes('.')) return undefined;
  return /^[a-z0-9-]{1,63}(\.[a-z0-9-]{1,63}){1,10}$/.test(low) ? low : undefined;
}

function domainOfAddress(addr: string | undefined): string | undefined {
  if (!addr) return undefined;
  const a = addr.trim().replace(/^<|>$/g, '').replace(/^[^;]{0,20};\s*/, '');
  const at = a.lastIndexOf('@');
  if (at <= 0) return undefined;
  if (DAEMONS.test(a.slice(0, at).replace(/^.*</, ''))) return undefined;
  return cleanDomain(a.slice(at + 1));
}

function cleanDomain(d: string | undefined): string | undefined {
  if (!d) return undefined;
  const x = d.toLowerCase().replace(/[.>\]),;:'"]+$/, '').replace(/^[[<("']+/, '');
  return /^[a-z0-9](?:[a-z0-9-]{0,62}\.){1,10}[a-z]{2,63}$/.test(x) ? x : undefined;
}

/** The first address in a header value: `"Name" <a@b>` → `a@b`. */
function addressIn(value: string | undefined): string | undefined {
  return value ? /[^\s<>"();,]{1,64}@[^\s<>"();,]{1,253}/.exec(value)?.[0] : undefined;
}

// --- what the text names around the rejection ---------------------------------------------------------------

// A section number after an RFC's name ("See RFC2821 4.1.1.1") is no address.
const IP_ANY = /(?<![\w.:])(?<!RFC ?\d{3,4},? (?:section |sec\. |§ ?)?)((?:\d{1,3}\.){3}\d{1,3})(?![\w]|\.\d)|\[(?:IPv6:)?([0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7})\]/g;
const RECEIVER_IP = [
  // "host <name> [ip]" names the receiver, unless the words after it refuse that host: then it is the client
  // (an access map's "host mail.example [192.0.2.1] black listed").
  /\bhost ([A-Za-z0-9][\w.-]{0,252}) ?\[((?:IPv6:)?[0-9A-Fa-f.:]{3,45})\](?! (?:black ?listed|blocked|banned|is (?:black|block)?listed))/gi,
  /([A-Za-z0-9][\w.-]{0,252}) \[((?:IPv6:)?[0-9A-Fa-f.:]{3,45})\]:? (?:did not like|said|refused|failed)/gi,
  /connect to ([A-Za-z0-9][\w.-]{0,252})\[((?:IPv6:)?[0-9A-Fa-f.:]{3,45})\]/gi,
  /\[([A-Za-z0-9][\w.-]{0,252}) ((?:\d{1,3}\.){3}\d{1,3}): timed out\]/gi,
  /()Connected to ((?:\d{1,3}\.){3}\d{1,3})/gi,
  /()(?:^|[\s>:])((?:\d{1,3}\.){3}\d{1,3}) (?:does not like|failed after|failed on|does not accept)/gi,
  /()Giving up on ((?:\d{1,3}\.){3}\d{1,3})/gi,
  /()Remote-MTA: ?dns; ?\[?((?:\d{1,3}\.){3}\d{1,3})\]?/gi,
];

function receiverOf(text: string): { hosts: string[]; ips: string[] } {
  const hosts: string[] = [];
  const ips: string[] = [];
  for (const re of RECEIVER_IP) {
    let n = 0;
    for (const m of text.matchAll(re)) {
      if (++n > MAX_HITS) break;
      if (m[1]) push(hosts, m[1].toLowerCase().replace(/\.$/, ''));
      push(ips, canonIp(m[2]));
    }
  }
  for (const m of text.matchAll(/(?:while talking to|talking to) ([A-Za-z0-9][\w.-]{0,252}?)\.?:/gi)) push(hosts, m[1].toLowerCase());
  return { hosts, ips };
}

function ipsIn(text: string, exclude: string[]): string[] {
  const out: string[] = [];
  let n = 0;
  for (const m of text.matchAll(IP_ANY)) {
    if (++n > MAX_HITS) break;
    const ip = canonIp(m[1] ?? m[2]);
    if (ip && !exclude.includes(ip)) push(out, ip);
  }
  return out;
}

// --- per recipient -----------------------------------------------------------------------------------------

interface Found {
  match: BounceMatch;
  at: number;
  len: number;
  pattern: (typeof PATTERNS)[number];
}

function valuesOf(g: Record<string, string | undefined>): Values {
  const values: Values = {};
  const ip = canonIp(g.ip ?? g.ip2 ?? g.ip3 ?? g.ip4);
  if (ip) values.ip = ip;
  if (g.helo) values.helo = g.helo.trim();
  const zone = zoneOf(g.zone ?? g.zone2 ?? g.zone3);
  if (zone) values.zone = zone;
  if (g.code) values.code = g.code;
  if (g.enh) values.enhanced = g.enh;
  if (g.sender) {
    values.sender = g.sender.includes('@') ? g.sender.toLowerCase() : g.sender;
    if (g.scope?.toLowerCase() === 'helo') values.helo = g.sender;
    else if (g.sender.includes('@')) {
      const d = cleanDomain(g.sender.slice(g.sender.lastIndexOf('@') + 1));
      if (d) values.domain = d;
    }
  }
  const d = cleanDomain(g.domain ?? g.d2 ?? g.d3 ?? g.d4 ?? g.d5);
  if (d) values.domain = d;
  return values;
}

/** Every family that matches one recipient's evidence, each looked at in at most MAX_HITS places. */
function findAll(text: string, options: ExplainOptions): Found[] {
  const found: Found[] = [];
  for (const p of PATTERNS) {
    p.re.lastIndex = 0;
    let hits = 0;
    for (const m of text.matchAll(p.re)) {
      if (++hits > MAX_HITS) break;
      if (options.work) options.work.comparisons += 1;
      const at = m.index ?? 0;
      const len = m[0].length;
      if (len === 0) continue;
      const values = valuesOf((m.groups ?? {}) as Record<string, string | undefined>);
      const matched = m[0].length > MAX_MATCH_TEXT ? m[0].slice(0, MAX_MATCH_TEXT) + '…' : m[0];
      const side = SIDE_OF[p.category];
      found.push({
        at,
        len,
        pattern: p,
        match: {
          id: p.id,
          receiver: p.receiver,
          category: p.category,
          side,
          rank: p.rank,
          title: p.title,
          explanation: p.explain(values),
          checked: p.checked,
          senderSide: side.startsWith('sender-'),
          text: escape(matched),
          start: at,
          end: at + len,
          values,
        },
      });
      // One place per family is enough to decide; more only matter for values and cost work.
      if (hits >= 4) break;
    }
  }
  return found;
}

function better(a: Found, b: Found): boolean {
  if (a.pattern.rank !== b.pattern.rank) return a.pattern.rank > b.pattern.rank;
  const pa = PRIORITY.indexOf(a.pattern.category);
  const pb = PRIORITY.indexOf(b.pattern.category);
  if (pa !== pb) return pa < pb;
  return a.at < b.at;
}

interface MessageContext {
  kind: MessageKind;
  /** What the receiver saw, from the returned message's Received-SPF (client-ip=, helo=): a fallback for values the rejection does not name. */
  seenIp?: string;
  seenHelo?: string;
  /** Envelope sender's domain, the From domain of the returned message, the bounce's own To. */
  envelopeDomain?: string;
  fromDomain?: string;
  dkim: { domain: string; selector: string }[];
}

interface Judged {
  found: Found[];
  best?: Found;
  flat: string;
  receiver: { hosts: string[]; ips: string[] };
}

function withReceiver(j: Judged, full: string | undefined): Judged {
  if (!full) return j;
  const r = receiverOf(flatten(full).text);
  return { ...j, receiver: { hosts: [...new Set([...j.receiver.hosts, ...r.hosts])], ips: [...new Set([...j.receiver.ips, ...r.ips])] } };
}

/** Causes whose words blame neither side (a server's trouble, the network, a queue timeout): the SMTP stage the reply came at says more. */
const VAGUE = new Set<BounceCategory>(['recipient-server', 'network', 'expired', 'other']);

/**
 * A refusal at the greeting came before any sender, recipient or message was named, so it is about
 * the connecting IP (RFC 5321 §3.1: a server unwilling to take mail from the client says 554 in
 * place of its 220 greeting). It decides over words that blame no one ("Service refused, try
 * later"), and over a quota when the refusal is permanent (5xx): a 4xx quota is a rate limit.
 */
function stageDecides(best: Found, greeting: Found, flat: string): boolean {
  if (VAGUE.has(best.pattern.category)) return true;
  if (best.pattern.category !== 'rate') return false;
  return /(?<![\w.])5\d\d(?![\w.])/.test(flat.slice(greeting.at, greeting.at + greeting.len + 300));
}

/**
 * Header fields of the returned message quoted in a notification's text (no separator line before
 * them): what a receiver on the way recorded (Received-SPF, Authentication-Results, spam scores),
 * never this receiver's reason. Removed, with their folded lines, before the text is judged.
 */
const QUOTED_FIELDS = /^(?:Received-SPF|(?:ARC-)?Authentication-Results|ARC-Seal|ARC-Message-Signature|DKIM-Signature|X-Spam-[\w-]{1,40}|X-Forefront-Antispam-Report|X-Microsoft-Antispam[\w-]{0,40}):[^\n]*(?:\n[ \t][^\n]*)*/gim;

function judge(evidence: string, options: ExplainOptions): Judged {
  const flat = flatten(evidence.replace(QUOTED_FIELDS, '')).text;
  const found = findAll(flat, options);
  let best: Found | undefined;
  for (const f of found) if (!best || better(f, best)) best = f;
  const greeting = found.find((f) => f.pattern.id === 'refused-at-greeting');
  if (best && greeting && best !== greeting && stageDecides(best, greeting, flat)) best = greeting;
  return { found, best, flat, receiver: receiverOf(flat) };
}

function q(v: string | undefined, placeholder: string): string {
  return v !== undefined ? shellQuote(v) : placeholder;
}

function args(o: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== '')) as Record<string, string>;
}

/** The checks for one cause, each with every value the bounce gives. */
function suggestFor(category: BounceCategory, v: RecipientVerdict['values'], sender: boolean): SuggestedCheck[] {
  const out: SuggestedCheck[] = [];
  const add = (s: Omit<SuggestedCheck, 'complete'>, needed: (string | undefined)[]) => {
    if (!out.some((o) => o.cli === s.cli)) out.push({ ...s, complete: needed.every((x) => x !== undefined) });
  };
  const { ip, helo, domain, zone, selector, recipientDomain } = v;
  const spf = (why: string) => add({ check: 'spf', args: args({ ip, domain }), cli: `maildns spf ${q(ip, '<sending IP>')} ${q(domain, '<sender domain>')}`, why }, [ip, domain]);
  const dmarc = () =>
    add({ check: 'dmarc', command: 'mailDns.checkDmarc', args: args({ domain }), cli: `maildns dmarc ${q(domain, '<From domain>')}`, why: 'the From domain\'s DMARC record: its policy, and which alignment SPF and DKIM must reach' }, [domain]);
  const dkim = () =>
    add(
      {
        check: 'dkim',
        command: 'mailDns.checkDkim',
        args: args({ selector, domain }),
        // Without a selector (the returned message carries no DKIM-Signature) the check tries the common ones.
        cli: `maildns dkim ${selector ? `${shellQuote(selector)} ` : ''}${q(domain, '<From domain>')}`,
        why: selector ? 'the DKIM key the signature points to (<selector>._domainkey.<domain>)' : 'the DKIM keys of the domain (the common selectors: the bounce names none)',
      },
      [domain],
    );
  const rdns = () => add({ check: 'rdns', args: args({ ip }), cli: `maildns rdns ${q(ip, '<sending IP>')}`, why: 'the PTR chain of the sending IP and the record to change' }, [ip]);
  const dnsbl = () =>
    add({ check: 'dnsbl', args: args({ ip, zone }), cli: `maildns dnsbl ${q(ip, '<sending IP>')}${zone ? ` --zone ${shellQuote(zone)}` : ''}`, why: 'which lists name the IP, and whether the lists answered at all' }, [ip]);
  switch (category) {
    case 'helo':
      add({ check: 'helo', args: args({ helo, ip }), cli: `maildns helo ${q(helo, '<HELO name>')} --ip ${q(ip, '<sending IP>')}`, why: 'what receivers make of the HELO name, and where to set it' }, [helo, ip]);
      break;
    case 'rdns':
      rdns();
      break;
    case 'spf':
      spf('which term of the SPF record decides, and the record that authorizes the IP');
      break;
    case 'dmarc':
      dmarc();
      spf('whether SPF passes for the domain (DMARC needs SPF or DKIM to pass, aligned)');
      dkim();
      break;
    case 'dkim':
      dkim();
      dmarc();
      break;
    case 'auth':
      spf('whether SPF passes for the sender domain');
      dkim();
      dmarc();
      break;
    case 'dnsbl':
    case 'reputation':
      dnsbl();
      break;
    case 'blocked':
      dnsbl();
      rdns();
      break;
    case 'sender-domain':
    case 'sender':
      add({ check: 'mx', args: args({ domain }), cli: `maildns mx ${q(domain, '<sender domain>')}`, why: 'whether the sender\'s domain exists and takes mail (replies and bounces go there)' }, [domain]);
      break;
    case 'relay':
    case 'recipient-domain':
      add(
        { check: 'mx', args: args({ domain: recipientDomain }), cli: `maildns mx ${q(recipientDomain, '<recipient domain>')}`, why: category === 'relay' ? 'whether the server that refused is the recipient domain\'s MX' : 'where mail for the recipient\'s domain goes, if anywhere' },
        [recipientDomain],
      );
      break;
    default:
      break;
  }
  if (sender && (SIDE_OF[category] === 'sender-dns' || SIDE_OF[category] === 'sender-reputation') && category !== 'rate') {
    add({ check: 'check', args: args({ ip, helo, domain }), cli: `maildns check ${q(ip, '<sending IP>')} --helo ${q(helo, '<HELO name>')} --from ${q(domain, '<From domain>')}`, why: 'everything receivers check about the sending server at once' }, [ip, helo, domain]);
  }
  return out;
}

const KIND_WORDS: Record<Exclude<MessageKind, 'bounce' | 'delay' | 'unknown'>, string> = {
  delivered: 'This is a success notice: the message was delivered (or relayed on). Nothing to fix.',
  'auto-reply': 'This is an automatic reply (an out-of-office or vacation message, RFC 3834), not a bounce: the message was delivered.',
  'feedback-report': 'This is a feedback report (RFC 5965 ARF: a complaint, an abuse or an authentication-failure report, or an unsubscribe request), not a bounce: the message was delivered and someone reported it.',
};

function verdictFor(entry: RecipientEntry, j: Judged | undefined, ctx: MessageContext, kind: MessageKind): RecipientVerdict {
  const reply = escape(clipText(flattenSimple(entry.diagnostic ?? replyNear(j) ?? ''), MAX_REPLY));
  const status = entry.status ?? (j?.best?.match.values.enhanced as string | undefined);
  const remote = j?.receiver ?? { hosts: [], ips: [] };
  const remoteMta = entry.remoteMta?.replace(/^\[|\]$/g, '').toLowerCase() ?? remote.hosts[0];
  const remoteIp = remote.ips[0];
  const recipientDomain = domainOfAddress(entry.address) ?? undefined;
  const base: RecipientVerdict = {
    ...(entry.address ? { address: entry.address } : {}),
    ...(entry.action ? { action: entry.action } : {}),
    ...(status ? { status, statusMeaning: enhancedCodeMeaning(status) ?? 'unknown' } : {}),
    ...(remoteMta ? { remoteMta } : {}),
    ...(remoteIp ? { remoteIp } : {}),
    reply,
    category: 'other',
    side: 'unknown',
    explanation: '',
    values: { ...(recipientDomain ? { recipientDomain } : {}) },
    suggestions: [],
  };
  const done = entry.action === 'delivered' || entry.action === 'relayed' || entry.action === 'expanded';
  if (kind === 'delivered' || kind === 'auto-reply' || kind === 'feedback-report' || done) {
    return { ...base, side: 'none', explanation: done && kind !== 'delivered' ? `Delivered to this recipient (Action: ${entry.action}). Nothing to fix.` : KIND_WORDS[kind === 'bounce' || kind === 'delay' || kind === 'unknown' ? 'delivered' : kind] };
  }
  const best = j?.best;
  if (!best) {
    const meaning = status ? enhancedCodeMeaning(status) : undefined;
    if (kind === 'delay' || entry.action === 'delayed') {
      return { ...base, category: 'expired', side: 'delivery', explanation: 'Delivery is delayed: the sending server is still trying and will say when it gives up. The notice does not say why.' };
    }
    return { ...base, explanation: meaning ? `No known rejection text. The status ${status} means: ${meaning}.` : 'No known rejection text about this recipient.' };
  }
  const m = best.match;
  // Values: those the deciding text names (or another wording of the same cause in it: "SPF check: fail,
  // 192.0.2.1 is not allowed to send for example.org"), then those around it, then the message's.
  const same = j!.found.filter((f) => f !== best && f.pattern.category === m.category).map((f) => f.match.values);
  const also = (k: 'ip' | 'helo' | 'domain' | 'zone') => m.values[k] ?? same.map((v) => v[k]).find((x) => x !== undefined && !(k === 'ip' && remote.ips.includes(x)));
  const near = j!.flat.slice(Math.max(0, best.at - 300), best.at + best.len + 300);
  const exclude = [...remote.ips];
  const ownIp = also('ip');
  const named = ownIp && !exclude.includes(ownIp) ? ownIp : ipsIn(near, exclude).find(isPublic);
  const ip = named ?? (m.senderSide ? ctx.seenIp : undefined);
  const ownHelo = also('helo');
  const helo = ownHelo ?? /(?:after (?:EHLO|HELO)|>>> (?:EHLO|HELO)|\bhelo=<?)\s?([A-Za-z0-9_.\-[\]:]{1,255}?)(?=[>;:,)\s]|$)/i.exec(j!.flat)?.[1] ?? (m.senderSide ? ctx.seenHelo : undefined);
  let domain = also('domain');
  if (!domain && (m.category === 'sender' || m.category === 'sender-domain' || m.category === 'spf')) {
    domain =
      domainOfAddress(/(?:MAIL FROM:?\s?<|Sender address rejected:?\s?<?|sender\s<|from\s<)([^<>\s]{1,320}@[^<>\s]{1,253})/i.exec(near)?.[1]) ??
      domainOfAddress(/<([^<>\s@]{1,64}@[^<>\s]{1,253})>(?:\.\.\.|:)? (?:Access denied|sender|Sender address)/i.exec(near)?.[1]);
  }
  if (!domain) domain = m.category === 'dmarc' || m.category === 'dkim' || m.category === 'auth' ? (ctx.fromDomain ?? ctx.envelopeDomain) : (ctx.envelopeDomain ?? ctx.fromDomain);
  const zone = also('zone') ?? (m.category === 'dnsbl' ? [...near.matchAll(/\b(spamhaus|spamcop|barracuda(?:central)?|sorbs|abuseat|psbl|spamrats|uceprotect)\b/gi)].map((x) => zoneOf(x[1])).find(Boolean) : undefined);
  const selector = (ctx.dkim.find((d) => d.domain === domain) ?? ctx.dkim[0])?.selector;
  const values = args({ ip, helo: helo ? escape(helo) : undefined, domain, zone, selector, recipientDomain }) as RecipientVerdict['values'];
  // A list of names (the sender's domain or the HELO name on a domain list such as Spamhaus DBL) says nothing of
  // the IP: the IP check then asks the usual address lists, not that zone.
  const nameListed = m.category === 'dnsbl' && m.values.ip === undefined && (m.values.domain !== undefined || m.values.helo !== undefined);
  const fromReturned = [ip && ip !== named && ip === ctx.seenIp ? 'ip' : undefined, helo && helo === ctx.seenHelo && !ownHelo ? 'helo' : undefined].filter((x): x is string => x !== undefined);
  return {
    ...base,
    category: m.category,
    side: m.side,
    cause: m,
    explanation: m.explanation,
    values,
    ...(fromReturned.length > 0 ? { valuesFromReturned: fromReturned } : {}),
    suggestions: suggestFor(best.pattern.checks ?? m.category, nameListed ? { ...values, zone: undefined } : values, m.senderSide && best.pattern.checks === undefined),
  };
}

function flattenSimple(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

function clipText(s: string, max: number): string {
  return s.length > max ? s.slice(0, max) + '…' : s;
}

/** Without a Diagnostic-Code, the reply is the text around the deciding match. */
function replyNear(j: Judged | undefined): string | undefined {
  if (!j?.best) return undefined;
  const start = j.flat.lastIndexOf(' ', Math.max(0, j.best.at - 120));
  return j.flat.slice(Math.max(0, start), j.best.at + j.best.len + 200);
}

// --- the message as a whole ------------------------------------------------------------------------------------

const BOUNCE_SUBJECT = /undeliver|undelivered|delivery (?:status notification|failure|failed|has failed|problem|notification)|returned mail|failure notice|mail delivery failed|could not be delivered|non remis|unzustellbar|nicht zugestellt|non recapitat|no entregado|rejected|error sending|mail system error|message delivery has failed|returning message|postmaster notify|see transcript|mail failure|delivery report|não entregue|no se ha podido entregar|onbestelbaar|niet (?:bezorgd|afgeleverd)|не доставлено|недоставлен|配信(?:に)?失敗|配信できません|送信エラー|退信|投递失败|无法投递|無法傳遞|전송 ?실패|반송/i;
const SUCCESS_SUBJECT = /\((?:success|relay(?:ed)?|delivered)\)|successful mail delivery|delivered successfully|delivery (?:receipt|confirmation|succeeded)|relayed successfully/i;
/** A notice that says the message went through (Exchange, Sendmail and Postfix wordings), read only when no rejection is. */
const SUCCESS_TEXT = /(?:has|have|was|were) been (?:successfully )?(?:delivered|relayed) to the following|(?:was|were) successfully (?:delivered|relayed)|successfully (?:delivered|relayed) to|delivery to (?:the following|these) recipients?(?: or groups)? (?:is complete|was successful|succeeded)/i;
const DELAY_SUBJECT = /\(delay(?:ed)?\)|delayed mail|warning: could not send|delivery delayed|has been delayed|still being retried|status notification: delayed|verzögert|retard[ée]|retrasad|ritardat|atrasad|vertraagd|задерж|遅延|延迟|延遲|지연/i;
const AUTOREPLY_SUBJECT = /^\s*\[?(?:auto(?:matic)?[ -]?(?:reply|response|respond|antwort)|automatische antwort|risposta automatica|resposta automática|automatisch antwoord|autosvar|自动回复|自動返信|不在通知|fuori sede|ausente|out of (?:the )?office|away\b|on vacation|vacation|abwesen|absence|réponse automatique|respuesta automática|自動応答|autoreply)/i;
const DAEMON_FROM = /mailer[-_]?daemon|postmaster|mail delivery (?:sub)?system|MAILER_DAEMON|^<>$/i;

function messageKind(s: BounceStructure, judged: (Judged | undefined)[]): MessageKind {
  if (s.format === 'arf') return 'feedback-report';
  if (s.sesType) return s.sesType === 'Delivery' ? 'delivered' : s.sesType === 'Complaint' ? 'feedback-report' : 'bounce';
  const subject = s.subject;
  if (/^\s*unsubscribe\s*$/i.test(subject)) return 'feedback-report';
  // A delivery status (or a sending service's events) says per recipient what happened.
  const actions = s.recipients.map((r) => r.action ?? '');
  if (s.format === 'dsn' || (actions.length > 0 && actions.every((a) => a !== ''))) {
    if (actions.length > 0 && actions.every((a) => a === 'delivered' || a === 'relayed' || a === 'expanded')) return 'delivered';
    if (actions.length > 0 && actions.every((a) => a === 'delayed')) return 'delay';
    return 'bounce';
  }
  const from = field(s.headers, 'from') ?? '';
  const bouncy = BOUNCE_SUBJECT.test(subject) || DAEMON_FROM.test(from);
  const recognised = judged.some((j) => j?.best && j.best.pattern.rank >= 2);
  if ((SUCCESS_SUBJECT.test(subject) || SUCCESS_TEXT.test(s.notification.slice(0, 4096))) && !recognised) return 'delivered';
  if (DELAY_SUBJECT.test(subject)) return 'delay';
  const autoHeader =
    /auto-replied|auto-generated/i.test(field(s.headers, 'auto-submitted') ?? '') ||
    field(s.headers, 'x-autoreply') !== undefined ||
    field(s.headers, 'x-autorespond') !== undefined ||
    /auto[_-]?reply/i.test(field(s.headers, 'precedence') ?? '');
  if (!bouncy && !recognised && (AUTOREPLY_SUBJECT.test(subject) || autoHeader)) return 'auto-reply';
  if (recognised || bouncy) return 'bounce';
  return judged.some((j) => j?.best) ? 'bounce' : 'unknown';
}

function contextOf(s: BounceStructure): { ctx: Omit<MessageContext, 'kind'>; returned?: ReturnedContext } {
  const r = s.returned ?? [];
  const dkim: { domain: string; selector: string }[] = [];
  for (const h of r) {
    if (h.name !== 'dkim-signature') continue;
    const d = /(?:^|;)\s*d=([^;\s]{1,253})/.exec(h.value)?.[1];
    const sel = /(?:^|;)\s*s=([^;\s]{1,253})/.exec(h.value)?.[1];
    const dd = cleanDomain(d);
    if (dd && sel && /^[A-Za-z0-9._-]{1,63}$/.test(sel) && dkim.length < 5) dkim.push({ domain: dd, selector: sel });
  }
  const returnedFrom = addressIn(field(r, 'from'));
  const returnPath = addressIn(field(r, 'return-path'));
  const postfixSender = addressIn(s.perMessage.find((f) => f.name === 'x-postfix-sender')?.value);
  const bounceTo = addressIn(field(s.headers, 'to'));
  const envelopeDomain = domainOfAddress(postfixSender) ?? domainOfAddress(returnPath) ?? domainOfAddress(returnedFrom) ?? domainOfAddress(bounceTo);
  const fromDomain = domainOfAddress(returnedFrom) ?? domainOfAddress(bounceTo) ?? envelopeDomain;
  const returned: ReturnedContext | undefined =
    r.length > 0
      ? {
          ...(returnedFrom ? { from: escape(returnedFrom) } : {}),
          ...(returnPath ? { returnPath: escape(returnPath) } : {}),
          ...(field(r, 'subject') ? { subject: escape(clipText(field(r, 'subject')!, 200)) } : {}),
          ...(field(r, 'received-spf') ? { receivedSpf: escape(clipText(field(r, 'received-spf')!, 400)) } : {}),
          ...(field(r, 'authentication-results') ? { authenticationResults: escape(clipText(field(r, 'authentication-results')!, 400)) } : {}),
          ...(dkim.length > 0 ? { dkim } : {}),
        }
      : undefined;
  // Received-SPF (RFC 7208 §9.1) in the returned message: the client IP and HELO name a receiver saw.
  const spf = field(r, 'received-spf') ?? '';
  const seenIp = canonIp(/\bclient-ip=([0-9A-Fa-f.:]{3,45})/i.exec(spf)?.[1]);
  const seenHelo = /\bhelo=([A-Za-z0-9_.-]{1,253})/i.exec(spf)?.[1];
  return {
    ctx: { ...(envelopeDomain ? { envelopeDomain } : {}), ...(fromDomain ? { fromDomain } : {}), ...(seenIp && isPublic(seenIp) ? { seenIp } : {}), ...(seenHelo ? { seenHelo } : {}), dkim },
    ...(returned ? { returned } : {}),
  };
}

function summarize(kind: MessageKind, recipients: RecipientVerdict[], s: BounceStructure): string {
  if (kind === 'delivered' || kind === 'auto-reply' || kind === 'feedback-report') return KIND_WORDS[kind];
  const first = recipients.find((r) => r.side.startsWith('sender-')) ?? recipients.find((r) => r.cause) ?? recipients[0];
  if (!first || !first.cause) {
    const code = first?.status;
    if (code && enhancedCodeMeaning(code)) return `No known rejection text found. The status code ${code} means: ${enhancedCodeMeaning(code)}.`;
    if (kind === 'delay') return 'A delay notice: the sending server is still trying. It does not say why.';
    return 'No known rejection text found in this text. Paste the whole bounce, including the lines after "said:" or "Remote Server returned".';
  }
  const where = first.remoteMta ? ` (${first.remoteMta})` : '';
  const who = recipients.length > 1 ? ` ${recipients.length} recipients;` : '';
  const lead = kind === 'delay' ? `Delivery is delayed${where} —` : `The receiving server${where} refused the mail —`;
  if (first.side.startsWith('sender-')) {
    const next = first.suggestions[0] ? ` Next: ${first.suggestions[0].cli}` : '';
    return `${lead}${who} ${first.cause.title}. ${first.explanation} Whose side must act: ${SIDE_LABEL[first.side]}.${next}`.replace(/ {2,}/g, ' ');
  }
  if (first.side === 'recipient') return `The mail was refused because of the recipient${where}, not your server: ${first.explanation}`;
  if (first.side === 'content') return `${lead} ${first.cause.title}. ${first.explanation} Whose side must act: ${SIDE_LABEL.content}.`.replace(/ {2,}/g, ' ');
  return `${lead} ${first.cause.title}. ${first.explanation}`.replace(/ {2,}/g, ' ') + (s.notes.length ? ` (${s.notes.join(' ')})` : '');
}

/** The explanation of a bounce whose structure is read. Synchronous, linear in the text. */
export function explainStructure(s: BounceStructure, inputLength: number, options: ExplainOptions = {}): BounceExplanation {
  const { ctx: partial, returned } = contextOf(s);
  // One judgement per distinct evidence: many recipients sharing one text are read once.
  const memo = new Map<string, Judged>();
  const judgeOnce = (evidence: string) => {
    let j = memo.get(evidence);
    if (!j) {
      j = judge(evidence, options);
      memo.set(evidence, j);
    }
    return j;
  };
  const judged = s.recipients.map((r) => {
    // The receiver's own words (Diagnostic-Code, and the status) decide when they say enough;
    // the notification's text around them is read when they do not.
    const own = [r.diagnostic, r.status ? `Status: ${r.status}` : undefined, r.bounceCategory ? `Bounce-Category: ${r.bounceCategory}` : undefined].filter((x): x is string => !!x).join('\n');
    if (own) {
      const j = judgeOnce(own);
      if (j.best && j.best.pattern.rank >= 2) {
        // Words that blame no one are read again with the text around them when that text says the reply came at the greeting.
        if (VAGUE.has(j.best.pattern.category) && r.segment) {
          const staged = judgeOnce([own, r.segment].join('\n'));
          if (staged.best?.pattern.id === 'refused-at-greeting') return staged;
        }
        return r.segment ? withReceiver(j, r.segment.slice(0, 16 * 1024)) : j;
      }
    }
    const evidence = [own, r.segment].filter((x): x is string => !!x).join('\n');
    if (evidence.trim() === '') return undefined;
    return judgeOnce(evidence);
  });
  const kind = messageKind(s, judged);
  const ctx: MessageContext = { ...partial, kind };
  const recipients = s.recipients.map((r, i) => verdictFor(r, judged[i], ctx, kind));

  // Every match over all recipients, once each (by id and values), in the order found.
  const matches: BounceMatch[] = [];
  const keys = new Set<string>();
  if (kind === 'bounce' || kind === 'delay' || kind === 'unknown') {
    for (const j of memo.values()) {
      const ordered = [...j.found].sort((a, b) => (better(a, b) ? -1 : better(b, a) ? 1 : 0));
      for (const f of ordered) {
        // A generic family adds nothing where a better one of its category already matched the same words.
        if (ordered.some((o) => o !== f && o.pattern.category === f.pattern.category && better(o, f) && o.at < f.at + f.len && f.at < o.at + o.len)) continue;
        const key = `${f.match.id}|${JSON.stringify(f.match.values)}`;
        if (keys.has(key)) continue;
        keys.add(key);
        matches.push(f.match);
      }
    }
    // The deciding matches first, in recipient order; then the rest.
    const deciding = recipients.map((r) => r.cause).filter((c): c is BounceMatch => c !== undefined);
    matches.sort((a, b) => {
      const da = deciding.indexOf(a);
      const db = deciding.indexOf(b);
      if (da >= 0 || db >= 0) return (da < 0 ? Infinity : da) - (db < 0 ? Infinity : db);
      return b.rank - a.rank;
    });
  }

  const extracted = extractedOf(s, recipients, [...memo.values()], ctx);
  const suggestions: SuggestedCheck[] = [];
  for (const r of recipients) for (const x of r.suggestions) if (!suggestions.some((o) => o.cli === x.cli)) suggestions.push(x);
  const feedback = s.feedback ? Object.fromEntries(s.feedback.slice(0, 40).map((f) => [f.name, escape(clipText(f.value, 400))])) : undefined;
  return {
    kind: 'bounce',
    messageKind: kind,
    format: s.format,
    ...(s.subject ? { subject: escape(clipText(s.subject, 300)) } : {}),
    recipients,
    matches: matches.filter((m) => m.rank >= 2 || recipients.some((r) => r.cause === m)),
    extracted,
    ...(returned ? { returned } : {}),
    ...(feedback ? { feedback } : {}),
    summary: summarize(kind, recipients, s),
    suggestions,
    notes: s.notes,
    length: Math.min(inputLength, MAX_INPUT),
    truncated: inputLength > MAX_INPUT,
  };
}

function extractedOf(s: BounceStructure, recipients: RecipientVerdict[], judged: Judged[], ctx: MessageContext): BounceExplanation['extracted'] {
  const senderIps: string[] = [];
  const receiverIps: string[] = [];
  const remoteHosts: string[] = [];
  const heloNames: string[] = [];
  const senderDomains: string[] = [];
  const recipientDomains: string[] = [];
  const dnsblZones: string[] = [];
  for (const r of recipients) {
    if (r.side.startsWith('sender-')) {
      push(senderIps, r.values.ip);
      push(heloNames, r.values.helo);
      push(senderDomains, r.values.domain);
      push(dnsblZones, r.values.zone);
    }
    push(remoteHosts, r.remoteMta);
    push(receiverIps, r.remoteIp);
    push(recipientDomains, r.values.recipientDomain);
  }
  for (const j of judged) {
    j.receiver.hosts.forEach((h) => push(remoteHosts, h));
    j.receiver.ips.forEach((ip) => push(receiverIps, ip));
  }
  push(senderDomains, ctx.envelopeDomain);
  push(senderDomains, ctx.fromDomain);
  const otherIps: string[] = [];
  for (const j of judged) for (const ip of ipsIn(j.flat, [...senderIps, ...receiverIps])) if (otherIps.length < 20) push(otherIps, ip);
  const smtpCodes: string[] = [];
  const enhanced: string[] = [];
  for (const j of judged) {
    let n = 0;
    for (const m of j.flat.matchAll(/(?<![\w.])([245]\d\d)[ -]([245]\.\d{1,3}\.\d{1,3})(?![\w.]*\d)/g)) {
      if (++n > MAX_HITS) break;
      push(smtpCodes, m[1]);
      push(enhanced, m[2]);
    }
  }
  for (const r of recipients) push(enhanced, r.status);
  const reportingMta = (s.perMessage.find((f) => f.name === 'reporting-mta')?.value ?? '').replace(/^[^;]{0,20};\s*/, '').trim() || /Generating server: ([A-Za-z0-9.-]{1,253})/i.exec(s.notification)?.[1];
  return {
    senderIps,
    receiverIps,
    otherIps,
    heloNames,
    senderDomains,
    recipientDomains,
    remoteHosts,
    ...(reportingMta ? { reportingMta: escape(reportingMta.toLowerCase()) } : {}),
    dnsblZones,
    smtpCodes,
    enhancedCodes: enhanced.slice(0, 20).map((code) => ({ code, meaning: enhancedCodeMeaning(code) ?? 'unknown' })),
  };
}

/** Whether the explainer recognised what the text is: a known cause for some recipient, or a notice that is no bounce. */
export function recognised(r: BounceExplanation): boolean {
  return r.messageKind === 'delivered' || r.messageKind === 'auto-reply' || r.messageKind === 'feedback-report' || r.recipients.some((x) => x.cause !== undefined);
}

/** Explains a bounce: the whole message (MIME read by postal-mime) or just the receiver's reply line. */
export async function explainBounce(inputText: string, options: ExplainOptions = {}): Promise<BounceExplanation> {
  const work = options.work ? { steps: 0 } : undefined;
  let s = await readBounce(inputText, work);
  // A bounce forwarded inside this message (one level deep): its report is what to explain.
  if (s.embedded && s.format === 'text') {
    const inner = await readBounce(s.embedded, work);
    if (inner.format === 'dsn') s = { ...inner, notes: [...inner.notes, 'This message forwards a bounce; the forwarded delivery report is explained.'] };
  }
  if (options.work && work) options.work.steps = (options.work.steps ?? 0) + work.steps;
  return explainStructure(s, inputText.length, options);
}

/** The same explanation without the MIME reading, for text that is not a message (the input box's reply line). Synchronous. */
export function explainBounceText(inputText: string, options: ExplainOptions = {}): BounceExplanation {
  const truncated = inputText.length > MAX_INPUT;
  const text = normalizeLineEnds(truncated ? inputText.slice(0, MAX_INPUT) : inputText);
  const msg: MailMessage = { hasHeader: false, headers: [] as HeaderField[], subject: '', text, parts: [], truncated };
  return explainStructure(structureOf(msg), inputText.length, options);
}

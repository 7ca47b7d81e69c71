// What a person types into "Check SPF" and "Can this server send for a domain?": one or two IP
// addresses, a domain or sender address, an optional HELO name. Pure parsing with errors that say
// what is wrong, for input-box validation as you type and for command arguments alike; and the
// values worth prefilling from a selection (a Received line, a bounce, a log line).
import { parseIp } from '../ip';
import { domainProblem, spfIdentity } from './check';

/** How many addresses one check compares side by side. */
export const MAX_SPF_IPS = 2;

export type ParsedIpList = { ok: true; ips: string[] } | { ok: false; error: string };

/** `192.0.2.1`, `192.0.2.1, 2001:db8::1` or `192.0.2.1 2001:db8::1`: canonical, without duplicates. */
export function parseIpList(text: string): ParsedIpList {
  const parts = text
    .split(/[\s,;]+/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (parts.length === 0) return { ok: false, error: 'no address given: expected an IPv4 or IPv6 address, or one of each separated by a comma' };
  if (parts.length > MAX_SPF_IPS) {
    return { ok: false, error: `${parts.length} addresses given: give one, or two to compare side by side (e.g. "192.0.2.1, 2001:db8::1")` };
  }
  const ips: string[] = [];
  for (const part of parts) {
    const parsed = parseIp(part);
    if (!parsed.ok) return { ok: false, error: parsed.error };
    if (ips.includes(parsed.ip)) return { ok: false, error: `${parsed.ip} is given twice` };
    ips.push(parsed.ip);
  }
  return { ok: true, ips };
}

/** check_host()'s `<domain>` and `<sender>` for what was typed, or why it cannot be checked. */
export interface SpfTarget {
  domain: string;
  sender: string;
  /** The MAIL FROM as given: '' for the null sender. */
  envelopeFrom: string;
  identity: 'mailfrom' | 'helo';
}

export type ParsedTarget = { ok: true; target: SpfTarget } | { ok: false; error: string };

const NULL_SENDER = /^(<>|<\s*>)$/;

/** Whether the text is the null reverse-path `<>` (bounces), checked through the HELO name (RFC 7208 §2.4). */
export function isNullSender(text: string): boolean {
  return NULL_SENDER.test(text.trim());
}

/** The HELO box: empty (none), or a name that can be checked. */
export function heloProblem(text: string): string | undefined {
  const helo = text.trim();
  if (helo === '') return undefined;
  // RFC 5321 §4.1.3: a client without a name says HELO [192.0.2.1]; SPF then has nothing to look up.
  if (/^\[[0-9a-fA-F:.]+\]$/.test(helo)) return undefined;
  const bad = domainProblem(helo);
  return bad ? `HELO name: ${bad}` : undefined;
}

/** The domain box alone: a domain, a sender address, or `<>`; undefined when it can be checked. */
export function targetProblem(text: string): string | undefined {
  const value = text.trim();
  if (value === '') return 'no domain given: expected a domain (example.com) or a sender address (alice@example.com)';
  if (isNullSender(value)) return undefined;
  const at = value.lastIndexOf('@');
  if (at === 0) return `${JSON.stringify(value)} has no local part: give a domain (example.com) or a whole address (alice@example.com)`;
  if (at > 0 && /\s/.test(value.slice(0, at))) return `${JSON.stringify(value)}: an address has no spaces`;
  const domain = (at >= 0 ? value.slice(at + 1) : value).replace(/\.$/, '');
  const bad = domainProblem(domain);
  return bad ? (at >= 0 ? `the domain of ${JSON.stringify(value)}: ${bad}` : bad) : undefined;
}

/**
 * The check_host() arguments for the domain box and the HELO box, as the `maildns spf` command line
 * takes them: an address is the sender; a bare domain is checked as postmaster@domain (RFC 7208
 * §4.3), and as the HELO identity when it is the HELO name (§2.3); `<>` is the null sender, checked
 * as postmaster@<HELO name> (§2.4).
 */
export function parseSpfTarget(text: string, heloText = ''): ParsedTarget {
  const problem = targetProblem(text) ?? heloProblem(heloText);
  if (problem) return { ok: false, error: problem };
  const value = text.trim();
  const helo = heloText.trim().replace(/\.$/, '');
  if (isNullSender(value)) {
    if (helo === '' || helo.startsWith('[')) {
      return { ok: false, error: 'the null sender <> is checked as postmaster@<HELO name> (RFC 7208 §2.4): give the HELO name the client used' };
    }
    const id = spfIdentity('', helo);
    return { ok: true, target: { domain: id.domain, sender: id.sender, envelopeFrom: '', identity: 'mailfrom' } };
  }
  if (value.includes('@')) {
    const id = spfIdentity(value, helo || undefined);
    return { ok: true, target: { domain: id.domain.replace(/\.$/, ''), sender: id.sender, envelopeFrom: id.envelopeFrom, identity: 'mailfrom' } };
  }
  const domain = value.replace(/\.$/, '');
  const identity = helo !== '' && helo.toLowerCase() === domain.toLowerCase() ? 'helo' : 'mailfrom';
  const sender = `postmaster@${domain}`;
  return { ok: true, target: { domain, sender, envelopeFrom: sender, identity } };
}

/** The domain of a From address or a bare domain, for "Can this server send…?" */
export function fromDomainProblem(text: string): string | undefined {
  const value = text.trim();
  if (value === '') return 'no domain given: expected the domain of the From address (example.org)';
  if (isNullSender(value)) return 'the null sender has no domain: give the domain of the From address';
  return targetProblem(value);
}

// ---- prefilling the input boxes from a selection -------------------------------------------------

const IPV4_TOKEN = /(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?!\d|\.\d)/g;
const IPV6_TOKEN = /(?<![0-9a-fA-F:])(?:[0-9a-fA-F]{0,4}:){2,7}(?:[0-9a-fA-F]{0,4}|(?:\d{1,3}\.){3}\d{1,3})(?![0-9a-fA-F:])/g;

/** Up to two distinct IP addresses in a piece of text, in the order they appear. */
export function findIpsInText(text: string): string[] {
  const found: { index: number; ip: string }[] = [];
  for (const re of [IPV4_TOKEN, IPV6_TOKEN]) {
    for (const m of text.matchAll(re)) {
      const parsed = parseIp(m[0]);
      if (parsed.ok) found.push({ index: m.index ?? 0, ip: parsed.ip });
    }
  }
  found.sort((a, b) => a.index - b.index);
  const ips: string[] = [];
  for (const f of found) {
    if (!ips.includes(f.ip)) ips.push(f.ip);
    if (ips.length === MAX_SPF_IPS) break;
  }
  return ips;
}

// Finding the sender scans the selection once, by hand: a regular expression that looks for an
// address anywhere (`[atext]+@…`) retries from every position of a long run without an `@`, and a
// selection of 80,000 such characters froze the editor for 25 s. Every loop below moves forward
// or stays within one run, and counts what it visits in `work`, so tests can check it is linear.

/** Work done by findSenderInText: characters visited, candidate lengths checked. */
export interface ScanWork {
  steps: number;
}

// RFC 5322 §3.2.3 atext plus the dot: the characters of a local part as people write it.
const ATEXT = charSet("A-Za-z0-9!#$%&'*+/=?^_`{|}~.-");
// Letters, digits, hyphen and dot: what a domain name in text is made of.
const NAME = charSet('A-Za-z0-9.-');

function charSet(spec: string): Uint8Array {
  const set = new Uint8Array(128);
  for (let i = 0; i < spec.length; i++) {
    if (spec[i + 1] === '-' && i + 2 < spec.length) {
      for (let c = spec.charCodeAt(i); c <= spec.charCodeAt(i + 2); c++) set[c] = 1;
      i += 2;
    } else set[spec.charCodeAt(i)] = 1;
  }
  return set;
}

function inSet(set: Uint8Array, text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return c < 128 && set[c] === 1;
}

const isLetter = (ch: string | undefined): boolean => ch !== undefined && /^[A-Za-z]$/.test(ch);

/**
 * The longest `label.label….label` at the start of `run` (labels of letters, digits and hyphens, at
 * least two, the last starting with a letter), as `(?:[A-Za-z0-9-]+\.)+[A-Za-z][A-Za-z0-9-]*` would
 * match it; undefined when there is none. Visits each character once.
 */
function dottedName(run: string, work: ScanWork): string | undefined {
  work.steps += run.length;
  const labels = run.split('.');
  let best: number | undefined;
  for (let j = 1; j < labels.length && labels[j - 1] !== ''; j++) if (isLetter(labels[j][0])) best = j;
  return best === undefined ? undefined : labels.slice(0, best + 1).join('.');
}

const ENVELOPE_KEYS = ['envelope-from=', 'smtp.mailfrom='];

/** The value after the first `envelope-from=` or `smtp.mailfrom=` (any case) that has one. */
function envelopeValue(text: string, work: ScanWork): string | undefined {
  // ASCII only: toLowerCase() can change the length ('İ' → 'i̇'), and offsets must match the text's.
  const lower = text.replace(/[A-Z]+/g, (w) => w.toLowerCase());
  work.steps += text.length;
  // Where each key occurs next; a key is searched for again only once the scan has passed it, so
  // each searches every part of the text once.
  const next = ENVELOPE_KEYS.map(() => -1);
  let from = 0;
  for (;;) {
    let hit = -1;
    let key = '';
    ENVELOPE_KEYS.forEach((k, n) => {
      if (next[n] !== Infinity && next[n] < from) {
        const at = lower.indexOf(k, from);
        work.steps += (at < 0 ? text.length : at) - from;
        next[n] = at < 0 ? Infinity : at;
      }
      if (next[n] !== Infinity && (hit < 0 || next[n] < hit)) {
        hit = next[n];
        key = k;
      }
    });
    if (hit < 0) return undefined;
    let i = hit + key.length;
    while (i < text.length && (text[i] === '"' || text[i] === '<')) i++;
    const begin = i;
    while (i < text.length && !/[\s;"<>]/.test(text[i])) i++;
    work.steps += i - hit;
    if (i > begin) return text.slice(begin, i);
    from = i;
  }
}

/** Every `local@domain` in the text, in order: the local part's run of atext, the dotted name after the `@`. */
function* addresses(text: string, work: ScanWork): Generator<string> {
  let previous = -1;
  for (let at = text.indexOf('@'); at >= 0; at = text.indexOf('@', at + 1)) {
    // The local part runs back from the `@` at most to the previous `@` (which is no atext).
    let start = at;
    while (start > previous + 1 && inSet(ATEXT, text, start - 1)) start--;
    let end = at + 1;
    while (end < text.length && inSet(NAME, text, end)) end++;
    work.steps += end - previous;
    previous = at;
    if (start === at) continue;
    const domain = dottedName(text.slice(at + 1, end), work);
    if (domain) yield `${text.slice(start, at)}@${domain}`;
  }
}

/** Every domain-looking run of the text (not touching `_` or `@`), without one trailing dot. */
function* domains(text: string, work: ScanWork): Generator<string> {
  let i = 0;
  while (i < text.length) {
    work.steps++;
    if (!inSet(NAME, text, i)) {
      i++;
      continue;
    }
    const start = i;
    while (i < text.length && inSet(NAME, text, i)) i++;
    work.steps += i - start;
    const touches = /[_@]/.test(text[start - 1] ?? '') || /[_@]/.test(text[i] ?? '');
    const run = text.slice(start, i).replace(/\.$/, '');
    if (touches || run.startsWith('.')) continue;
    if (dottedName(run, work) === run) yield run;
  }
}

/**
 * The sender worth checking in a piece of text: the envelope sender of a Received-SPF or
 * Authentication-Results line when there is one, else the first address, else the first name
 * that is a usable domain. Linear in the length of the text (`work` counts the steps).
 */
export function findSenderInText(text: string, work: ScanWork = { steps: 0 }): string | undefined {
  const envelope = envelopeValue(text, work);
  if (envelope !== undefined) {
    work.steps += envelope.length;
    if (!targetProblem(envelope)) return envelope;
  }
  for (const address of addresses(text, work)) {
    work.steps += address.length;
    if (!targetProblem(address)) return address;
  }
  for (const name of domains(text, work)) {
    work.steps += name.length;
    if (!domainProblem(name)) return name;
  }
  return undefined;
}

/** The HELO name in a Received-SPF (`helo=`) or SMTP (`EHLO name`) line, if any. */
export function findHeloInText(text: string): string | undefined {
  const m = /\bhelo=["]?([^\s;"]+)/i.exec(text) ?? /\b(?:HELO|EHLO)\s+([^\s;()]+)/.exec(text);
  return m && !heloProblem(m[1]) ? m[1] : undefined;
}

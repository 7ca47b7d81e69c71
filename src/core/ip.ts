// IP address parsing, canonical text, reverse names and the IANA special-purpose registries.
import type { SpecialPurpose } from './rdns/types';

export type ParsedIp = { ok: true; ip: string; family: 4 | 6 } | { ok: false; error: string };

/** Parses an IPv4 or IPv6 address; the error names what is wrong with the input. */
export function parseIp(text: string): ParsedIp {
  const input = text.trim();
  if (input === '') return { ok: false, error: 'no address given: expected an IPv4 or IPv6 address' };
  if (input.includes(':')) {
    const bytes = parseIpv6(input.replace(/^\[(.*)\]$/, '$1'));
    if (!bytes) return { ok: false, error: `${shown(input)} is not a valid IPv6 address` };
    return { ok: true, ip: formatIpv6(bytes), family: 6 };
  }
  if (/^[0-9.]+$/.test(input)) {
    const parts = input.split('.');
    if (parts.length !== 4) return { ok: false, error: `${shown(input)} is not an IPv4 address: it needs four numbers separated by dots` };
    for (const p of parts) {
      if (p === '') return { ok: false, error: `${shown(input)} is not an IPv4 address: an empty number` };
      if (p.length > 1 && p.startsWith('0')) return { ok: false, error: `${shown(input)} is not an IPv4 address: ${p} has a leading zero (ambiguous: octal or decimal?)` };
      if (Number(p) > 255) return { ok: false, error: `${shown(input)} is not an IPv4 address: ${p} is larger than 255` };
    }
    // Already canonical (no leading zeros, each at most 255): the input itself.
    return { ok: true, ip: input, family: 4 };
  }
  if (/^[a-z0-9.-]+\.?$/i.test(input) && /[a-z]/i.test(input)) {
    return { ok: false, error: `${shown(input)} is a host name, not an IP address: give the sending server's IP address (find it with \`dig +short ${input} A\`)` };
  }
  return { ok: false, error: `${shown(input)} is not an IP address` };
}

/** The input quoted for a message, made only when there is one (an audit parses each address many times). */
function shown(input: string): string {
  return JSON.stringify(input.length > 60 ? input.slice(0, 60) + '…' : input);
}

/** Parses IPv6 text (with optional embedded IPv4) to 16 bytes, or undefined. */
export function parseIpv6(text: string): Uint8Array | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(text) || text.length > 45) return undefined;
  let head = text;
  let v4: number[] | undefined;
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    const p = parseIp(text.slice(lastColon + 1));
    if (!p.ok || p.family !== 4) return undefined;
    v4 = p.ip.split('.').map(Number);
    head = text.slice(0, lastColon + 1) + '0:0';
  }
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const parseGroups = (s: string): number[] | undefined => {
    if (s === '') return [];
    const groups = s.split(':');
    const out: number[] = [];
    for (const g of groups) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const left = parseGroups(halves[0]);
  const right = halves.length === 2 ? parseGroups(halves[1]) : [];
  if (!left || !right) return undefined;
  let groups: number[];
  if (halves.length === 2) {
    const missing = 8 - left.length - right.length;
    if (missing < 1) return undefined;
    groups = [...left, ...new Array<number>(missing).fill(0), ...right];
  } else {
    groups = left;
  }
  if (groups.length !== 8) return undefined;
  const bytes = new Uint8Array(16);
  groups.forEach((g, i) => {
    bytes[i * 2] = g >> 8;
    bytes[i * 2 + 1] = g & 0xff;
  });
  if (v4) bytes.set(v4, 12);
  return bytes;
}

/** RFC 5952 text: lower case, leading zeros dropped, the longest run of two or more zero groups as `::`. */
export function formatIpv6(bytes: Uint8Array): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((bytes[i] << 8) | bytes[i + 1]);
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return hex.slice(0, bestStart).join(':') + '::' + hex.slice(bestStart + bestLen).join(':');
}

/** Address bytes (4 or 16) of canonical address text. */
export function ipBytes(ip: string): Uint8Array {
  if (ip.includes(':')) {
    const b = parseIpv6(ip);
    if (!b) throw new Error(`not an IPv6 address: ${ip}`);
    return b;
  }
  return Uint8Array.from(ip.split('.').map(Number));
}

/** Canonical text for an address as it came from DNS (so equal addresses compare equal). */
export function canonicalIp(ip: string): string {
  const p = parseIp(ip);
  return p.ok ? p.ip : ip.toLowerCase();
}

/** The PTR owner name: `7.113.0.203.in-addr.arpa` or the nibble form under `ip6.arpa` (RFC 3596 §2.5). */
export function reverseName(ip: string): string {
  const bytes = ipBytes(ip);
  if (bytes.length === 4) return `${bytes[3]}.${bytes[2]}.${bytes[1]}.${bytes[0]}.in-addr.arpa`;
  const nibbles: string[] = [];
  for (let i = 15; i >= 0; i--) nibbles.push((bytes[i] & 0xf).toString(16), (bytes[i] >> 4).toString(16));
  return `${nibbles.join('.')}.ip6.arpa`;
}

/** Whether `ip` lies in `network` (`203.0.113.0/24`, `2001:db8::/32`). */
export function inNetwork(ip: string, network: string): boolean {
  const [base, lenText] = network.split('/');
  const a = ipBytes(ip);
  const b = ipBytes(base);
  if (a.length !== b.length) return false;
  let bits = Number(lenText);
  for (let i = 0; i < a.length && bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((a[i] & mask) !== (b[i] & mask)) return false;
  }
  return true;
}

// IANA IPv4 and IPv6 Special-Purpose Address Registries (RFC 6890 and later additions).
const SPECIAL: SpecialPurpose[] = [
  { network: '0.0.0.0/8', name: '"This network"', rfc: 'RFC 791' },
  { network: '10.0.0.0/8', name: 'Private-Use', rfc: 'RFC 1918' },
  { network: '100.64.0.0/10', name: 'Shared Address Space (carrier-grade NAT)', rfc: 'RFC 6598' },
  { network: '127.0.0.0/8', name: 'Loopback', rfc: 'RFC 1122' },
  { network: '169.254.0.0/16', name: 'Link Local', rfc: 'RFC 3927' },
  { network: '172.16.0.0/12', name: 'Private-Use', rfc: 'RFC 1918' },
  { network: '192.0.0.0/24', name: 'IETF Protocol Assignments', rfc: 'RFC 6890' },
  { network: '192.0.2.0/24', name: 'Documentation (TEST-NET-1)', rfc: 'RFC 5737' },
  { network: '192.88.99.0/24', name: 'Deprecated 6to4 Relay Anycast', rfc: 'RFC 7526' },
  { network: '192.168.0.0/16', name: 'Private-Use', rfc: 'RFC 1918' },
  { network: '198.18.0.0/15', name: 'Benchmarking', rfc: 'RFC 2544' },
  { network: '198.51.100.0/24', name: 'Documentation (TEST-NET-2)', rfc: 'RFC 5737' },
  { network: '203.0.113.0/24', name: 'Documentation (TEST-NET-3)', rfc: 'RFC 5737' },
  { network: '224.0.0.0/4', name: 'Multicast', rfc: 'RFC 5771' },
  { network: '240.0.0.0/4', name: 'Reserved', rfc: 'RFC 1112' },
  { network: '::/128', name: 'Unspecified Address', rfc: 'RFC 4291' },
  { network: '::1/128', name: 'Loopback', rfc: 'RFC 4291' },
  { network: '::ffff:0:0/96', name: 'IPv4-mapped Address', rfc: 'RFC 4291' },
  { network: '64:ff9b::/96', name: 'IPv4-IPv6 Translation', rfc: 'RFC 6052' },
  { network: '64:ff9b:1::/48', name: 'IPv4-IPv6 Translation (local use)', rfc: 'RFC 8215' },
  { network: '100::/64', name: 'Discard-Only Address Block', rfc: 'RFC 6666' },
  { network: '2001:db8::/32', name: 'Documentation', rfc: 'RFC 3849' },
  { network: '3fff::/20', name: 'Documentation', rfc: 'RFC 9637' },
  { network: '2001::/23', name: 'IETF Protocol Assignments', rfc: 'RFC 2928' },
  { network: '2002::/16', name: '6to4', rfc: 'RFC 3056' },
  { network: 'fc00::/7', name: 'Unique-Local', rfc: 'RFC 4193' },
  { network: 'fe80::/10', name: 'Link-Local Unicast', rfc: 'RFC 4291' },
  { network: 'ff00::/8', name: 'Multicast', rfc: 'RFC 4291' },
];

/** The registry with each network's bytes and prefix length, parsed once (every check asks; an audit asks per address). */
const SPECIAL_PARSED: readonly { entry: SpecialPurpose; bytes: Uint8Array; length: number }[] = SPECIAL.map((entry) => {
  const [base, length] = entry.network.split('/');
  return { entry, bytes: ipBytes(base), length: Number(length) };
});

function prefixMatches(a: Uint8Array, b: Uint8Array, bits: number): boolean {
  for (let i = 0; i < a.length && bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((a[i] & mask) !== (b[i] & mask)) return false;
  }
  return true;
}

/** The special-purpose registry entry an address falls in, most specific first. */
export function specialPurpose(ip: string): SpecialPurpose | undefined {
  const a = ipBytes(ip);
  let best: SpecialPurpose | undefined;
  let bestLen = -1;
  for (const n of SPECIAL_PARSED) {
    if (n.length > bestLen && n.bytes.length === a.length && prefixMatches(a, n.bytes, n.length)) {
      best = n.entry;
      bestLen = n.length;
    }
  }
  return best;
}

// A trailing full stop ends a sentence, not the address ("from 203.0.113.7.").
const IPV4_IN_TEXT = /(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?!\d|\.\d)/;
const IPV6_IN_TEXT = /(?<![0-9a-fA-F:])(?:[0-9a-fA-F]{0,4}:){2,7}(?:[0-9a-fA-F]{0,4}|(?:\d{1,3}\.){3}\d{1,3})(?![0-9a-fA-F:])/g;

/** The first valid IPv4 or IPv6 literal in a piece of text (a selection, a bounce, a log line). */
export function findIpInText(text: string): string | undefined {
  const found: { index: number; ip: string }[] = [];
  const v4 = IPV4_IN_TEXT.exec(text);
  if (v4) {
    const p = parseIp(v4[0]);
    if (p.ok) found.push({ index: v4.index, ip: p.ip });
  }
  for (const m of text.matchAll(IPV6_IN_TEXT)) {
    const p = parseIp(m[0]);
    if (p.ok && p.family === 6) {
      found.push({ index: m.index ?? 0, ip: p.ip });
      break;
    }
  }
  found.sort((a, b) => a.index - b.index);
  return found[0]?.ip;
}

/** A TCP/UDP port written as plain decimal digits, 1–65535; undefined for anything else ('+53', '0x35', ' 53 ', '1e3'). */
export function decimalPort(text: string): number | undefined {
  if (!/^\d{1,5}$/.test(text)) return undefined;
  const port = Number(text);
  return port >= 1 && port <= 65535 ? port : undefined;
}

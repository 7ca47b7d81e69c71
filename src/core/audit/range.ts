// The addresses an audit covers: a CIDR block, written as admins write them.
import { formatIpv6, parseIp, parseIpv6 } from '../ip';

/** The widest blocks an audit takes: a /16 of IPv4, and as many IPv6 addresses (a /112). */
export const MAX_RANGE = { v4Prefix: 16, v6Prefix: 112 } as const;

export interface AddressRange {
  /** The block as written canonically: `198.51.0.0/16`. */
  cidr: string;
  family: 4 | 6;
  /** Number of addresses in it. */
  count: number;
  /** The first address's bytes (host bits cleared). */
  base: Uint8Array;
}

export type ParsedRange = { ok: true; range: AddressRange } | { ok: false; error: string };

/** `198.51.100.0/24`, `2001:db8::/120`, or one address (a /32 or /128). Host bits set are an error. */
export function parseRange(text: string): ParsedRange {
  const t = text.trim();
  const slash = t.indexOf('/');
  const addrText = slash < 0 ? t : t.slice(0, slash);
  const ip = parseIp(addrText);
  if (!ip.ok) return { ok: false, error: `${JSON.stringify(text)} is not an address or CIDR block (198.51.100.0/24, 2001:db8::/120)` };
  const bits = ip.family === 4 ? 32 : 128;
  let prefix = bits;
  if (slash >= 0) {
    const p = t.slice(slash + 1);
    prefix = /^\d{1,3}$/.test(p) ? Number(p) : NaN;
    if (!(prefix >= 0 && prefix <= bits)) return { ok: false, error: `${JSON.stringify(text)}: the prefix length must be a number from 0 to ${bits}` };
  }
  const min = ip.family === 4 ? MAX_RANGE.v4Prefix : MAX_RANGE.v6Prefix;
  if (prefix < min) {
    return { ok: false, error: `${JSON.stringify(text)} has ${2 ** (bits - prefix) > 1e15 ? `2^${bits - prefix}` : (2 ** (bits - prefix)).toLocaleString('en-US')} addresses; an audit takes at most a /${min} (65,536): split the block` };
  }
  const base = ip.family === 4 ? Uint8Array.from(ip.ip.split('.').map(Number)) : parseIpv6(ip.ip)!;
  for (let i = 0; i < base.length; i++) {
    const keep = Math.max(0, Math.min(8, prefix - i * 8));
    const mask = keep === 0 ? 0 : (0xff << (8 - keep)) & 0xff;
    if ((base[i] & ~mask & 0xff) !== 0) {
      return { ok: false, error: `${JSON.stringify(text)} has host bits set: the block is ${formatRange(maskBytes(base, prefix), prefix, ip.family)}` };
    }
  }
  return { ok: true, range: { cidr: formatRange(base, prefix, ip.family), family: ip.family, count: 2 ** (bits - prefix), base } };
}

function maskBytes(bytes: Uint8Array, prefix: number): Uint8Array {
  return bytes.map((b, i) => {
    const keep = Math.max(0, Math.min(8, prefix - i * 8));
    return keep === 0 ? 0 : b & ((0xff << (8 - keep)) & 0xff);
  });
}

function formatRange(bytes: Uint8Array, prefix: number, family: 4 | 6): string {
  return `${family === 4 ? Array.from(bytes).join('.') : formatIpv6(bytes)}/${prefix}`;
}

/** The block's addresses in order, one at a time (a /16 is never held as a list). */
export function* rangeAddresses(range: AddressRange): Generator<string> {
  const b = range.base;
  for (let i = 0; i < range.count; i++) {
    if (range.family === 4) {
      const n = ((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) + i;
      yield `${(n >>> 24) & 0xff}.${(n >>> 16) & 0xff}.${(n >>> 8) & 0xff}.${n & 0xff}`;
    } else {
      // At most 2^16 addresses: only the last two bytes change.
      const bytes = Uint8Array.from(b);
      const low = ((b[14] << 8) | b[15]) + i;
      bytes[14] = (low >> 8) & 0xff;
      bytes[15] = low & 0xff;
      yield formatIpv6(bytes);
    }
  }
}

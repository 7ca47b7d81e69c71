// Record types, classes, TTLs and RDATA text for the common types. Unknown RDATA is accepted in
// the RFC 3597 §5 generic form (`\# length hex`) for every type, known or not.
import { formatIpv6, parseIpv6 } from '../ip';
import type { Token, ZoneFix, ZoneRecord } from './types';

// IANA "Resource Record (RR) TYPEs" registry: mnemonic → number.
const TYPE_NUMBERS: [string, number][] = [
  ['A', 1], ['NS', 2], ['MD', 3], ['MF', 4], ['CNAME', 5], ['SOA', 6], ['MB', 7], ['MG', 8], ['MR', 9],
  ['NULL', 10], ['WKS', 11], ['PTR', 12], ['HINFO', 13], ['MINFO', 14], ['MX', 15], ['TXT', 16], ['RP', 17],
  ['AFSDB', 18], ['X25', 19], ['ISDN', 20], ['RT', 21], ['NSAP', 22], ['NSAP-PTR', 23], ['SIG', 24], ['KEY', 25],
  ['PX', 26], ['GPOS', 27], ['AAAA', 28], ['LOC', 29], ['NXT', 30], ['EID', 31], ['NIMLOC', 32], ['SRV', 33],
  ['ATMA', 34], ['NAPTR', 35], ['KX', 36], ['CERT', 37], ['A6', 38], ['DNAME', 39], ['SINK', 40], ['OPT', 41],
  ['APL', 42], ['DS', 43], ['SSHFP', 44], ['IPSECKEY', 45], ['RRSIG', 46], ['NSEC', 47], ['DNSKEY', 48],
  ['DHCID', 49], ['NSEC3', 50], ['NSEC3PARAM', 51], ['TLSA', 52], ['SMIMEA', 53], ['HIP', 55], ['NINFO', 56],
  ['RKEY', 57], ['TALINK', 58], ['CDS', 59], ['CDNSKEY', 60], ['OPENPGPKEY', 61], ['CSYNC', 62], ['ZONEMD', 63],
  ['SVCB', 64], ['HTTPS', 65], ['DSYNC', 66], ['SPF', 99], ['UINFO', 100], ['UID', 101], ['GID', 102], ['UNSPEC', 103],
  ['NID', 104], ['L32', 105], ['L64', 106], ['LP', 107], ['EUI48', 108], ['EUI64', 109], ['NXNAME', 128],
  ['TKEY', 249], ['TSIG', 250], ['IXFR', 251], ['AXFR', 252], ['MAILB', 253], ['MAILA', 254], ['ANY', 255],
  ['URI', 256], ['CAA', 257], ['AVC', 258], ['DOA', 259], ['AMTRELAY', 260], ['RESINFO', 261], ['WALLET', 262],
  ['CLA', 263], ['IPN', 264], ['TA', 32768], ['DLV', 32769],
];
const TYPE_BY_NAME = new Map(TYPE_NUMBERS);
const TYPE_BY_NUMBER = new Map(TYPE_NUMBERS.map(([n, v]) => [v, n]));
/** Query-only and transport types that cannot appear in zone data (RFC 6895 §3.1). */
const META_TYPES = new Set(['OPT', 'TKEY', 'TSIG', 'IXFR', 'AXFR', 'MAILB', 'MAILA', 'ANY', 'NXNAME']);

export type TypeLookup = { ok: true; type: string; number: number } | { ok: false; message: string };

/** A type mnemonic or `TYPEnnn` (RFC 3597 §5); `TYPE1` is `A`. */
export function lookupType(text: string): TypeLookup {
  let upper = text;
  let n = TYPE_BY_NAME.get(text);
  if (n === undefined) {
    upper = text.toUpperCase();
    n = TYPE_BY_NAME.get(upper);
  }
  if (n !== undefined) {
    if (META_TYPES.has(upper)) return { ok: false, message: `${upper} is a query or transport type and cannot appear in a zone file` };
    return { ok: true, type: upper, number: n };
  }
  if (upper.startsWith('TYPE') && upper.length > 4) {
    const v = parseUint(upper, 4, 65535);
    if (v >= 0) {
      const name = TYPE_BY_NUMBER.get(v);
      if (name && META_TYPES.has(name)) return { ok: false, message: `${upper} (${name}) is a query or transport type and cannot appear in a zone file` };
      return { ok: true, type: name ?? `TYPE${v}`, number: v };
    }
  }
  return { ok: false, message: `unknown record type ${JSON.stringify(text)} (write unknown types as TYPEnnn, RFC 3597 §5)` };
}

const CLASSES = new Map([['IN', 'IN'], ['CH', 'CH'], ['HS', 'HS'], ['CS', 'CS'], ['CLASS1', 'IN'], ['CLASS2', 'CS'], ['CLASS3', 'CH'], ['CLASS4', 'HS']]);

/** A class mnemonic or `CLASSnnn`, canonical; undefined when the token is not a class. */
export function lookupClass(text: string): string | undefined {
  const c = CLASSES.get(text) ?? CLASSES.get(text.toUpperCase());
  if (c) return c;
  const upper = text.toUpperCase();
  if (upper.startsWith('CLASS') && upper.length > 5) {
    const v = parseUint(upper, 5, 65535);
    if (v >= 0) return `CLASS${v}`;
  }
  return undefined;
}

/** Decimal digits from `from` to the end, at most `max`; -1 otherwise. */
export function parseUint(text: string, from: number, max: number): number {
  const n = text.length;
  if (from >= n || n - from > 10) return -1;
  let v = 0;
  for (let i = from; i < n; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v > max ? -1 : v;
}

export const MAX_TTL = 2147483647;

/**
 * A TTL: seconds, or BIND's units (`1w2d3h4m5s`, any case, every number with a unit).
 * Returns -1 when the text is not a TTL; values up to 2^32-1 are returned as they are (RFC 2181 §8
 * limits TTLs to 2^31-1; the caller warns).
 */
export function parseTtl(text: string): number {
  const n = text.length;
  if (n === 0) return -1;
  let total = 0;
  let cur = 0;
  let digits = 0;
  let units = false;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      cur = cur * 10 + (c - 48);
      digits++;
      if (cur > 4294967295) return -1;
      continue;
    }
    if (digits === 0) return -1;
    let mult: number;
    switch (c | 32) {
      case 119: mult = 604800; break; // w
      case 100: mult = 86400; break; // d
      case 104: mult = 3600; break; // h
      case 109: mult = 60; break; // m
      case 115: mult = 1; break; // s
      default: return -1;
    }
    total += cur * mult;
    cur = 0;
    digits = 0;
    units = true;
  }
  if (digits > 0) {
    if (units) return -1; // `1h30`: BIND wants a unit after every number
    total = cur;
  }
  return total > 4294967295 ? -1 : total;
}

/** Whether a token in the TTL/class position is meant as a TTL (starts with a digit). */
export function looksLikeTtl(text: string): boolean {
  const c = text.charCodeAt(0);
  return c >= 48 && c <= 57;
}

/** Dotted-quad IPv4, four decimal numbers, no leading zeros (as BIND's inet_pton); canonical text or undefined. */
export function parseIpv4(text: string): string | undefined {
  const n = text.length;
  if (n < 7 || n > 15) return undefined;
  let parts = 0;
  let v = 0;
  let digits = 0;
  let first = 0;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? text.charCodeAt(i) : 46;
    if (c === 46) {
      if (digits === 0 || v > 255 || (digits > 1 && first === 0)) return undefined;
      parts++;
      v = 0;
      digits = 0;
      continue;
    }
    const d = c - 48;
    if (d < 0 || d > 9) return undefined;
    if (digits === 0) first = d;
    v = v * 10 + d;
    digits++;
  }
  return parts === 4 ? text : undefined;
}

/** An IPv6 address in canonical (RFC 5952) text, or undefined. */
export function parseIpv6Text(text: string): string | undefined {
  const b = parseIpv6(text);
  return b ? formatIpv6(b) : undefined;
}

/** Bytes of a character-string as written (RFC 1035 §5.1: `\DDD` is one byte, `\X` is X). */
export function charStringBytes(raw: string): number {
  let bytes = 0;
  const n = raw.length;
  for (let i = 0; i < n; i++) {
    const c = raw.charCodeAt(i);
    if (c === 92 && i + 1 < n) {
      const d = raw.charCodeAt(i + 1);
      i += d >= 48 && d <= 57 && i + 3 < n && isDigit(raw, i + 2) && isDigit(raw, i + 3) ? 3 : 1;
      bytes++;
    } else if (c < 0x80) bytes++;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < n && (raw.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      // A surrogate pair: one code point, 4 octets. A lone surrogate is written as U+FFFD (3).
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

function isDigit(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c >= 48 && c <= 57;
}

/** Decodes a character-string to text: `\DDD` to the char with that code, `\X` to X. */
export function decodeCharString(raw: string): string {
  if (raw.indexOf('\\') < 0) return raw;
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === 92 && i + 1 < raw.length) {
      if (isDigit(raw, i + 1) && i + 3 < raw.length && isDigit(raw, i + 2) && isDigit(raw, i + 3)) {
        out += String.fromCharCode(Number(raw.slice(i + 1, i + 4)) & 0xff);
        i += 3;
      } else {
        out += raw[i + 1];
        i++;
      }
    } else out += raw[i];
  }
  return out;
}

/** The octets of a character-string (text as UTF-8, `\DDD` as the octet itself), as they go on the wire. */
export function charStringOctets(raw: string): Buffer {
  const parts: Buffer[] = [];
  let run = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === 92 && i + 1 < raw.length) {
      if (isDigit(raw, i + 1) && i + 3 < raw.length && isDigit(raw, i + 2) && isDigit(raw, i + 3)) {
        parts.push(Buffer.from(run, 'utf8'), Buffer.from([Number(raw.slice(i + 1, i + 4)) & 0xff]));
        run = '';
        i += 3;
      } else {
        run += raw[i + 1];
        i++;
      }
    } else run += raw[i];
  }
  parts.push(Buffer.from(run, 'utf8'));
  return Buffer.concat(parts);
}

/**
 * The decoded text of a character-string token with, for each decoded character, the source offset
 * it came from (one more entry: the offset just past the end), so ranges inside TXT text map back.
 */
export function decodeWithOffsets(token: Token): { text: string; offsets: number[] } {
  const raw = token.text;
  const base = token.quoted ? token.start + 1 : token.start;
  const offsets: number[] = [];
  let text = '';
  for (let i = 0; i < raw.length; i++) {
    offsets.push(base + i);
    const c = raw.charCodeAt(i);
    if (c === 92 && i + 1 < raw.length) {
      if (isDigit(raw, i + 1) && i + 3 < raw.length && isDigit(raw, i + 2) && isDigit(raw, i + 3)) {
        text += String.fromCharCode(Number(raw.slice(i + 1, i + 4)) & 0xff);
        i += 3;
      } else {
        text += raw[i + 1];
        i++;
      }
    } else text += raw[i];
  }
  offsets.push(base + raw.length);
  return { text, offsets };
}

/** Splits character-string source text into pieces of at most 255 bytes, never inside an escape, after a space when one is near. */
export function splitCharString(raw: string, limit = 255): string[] {
  const pieces: string[] = [];
  let start = 0;
  let bytes = 0;
  let lastSpace = -1;
  for (let i = 0; i < raw.length; ) {
    let len = 1;
    let b: number;
    const c = raw.charCodeAt(i);
    if (c === 92 && i + 1 < raw.length) {
      len = isDigit(raw, i + 1) && i + 3 < raw.length && isDigit(raw, i + 2) && isDigit(raw, i + 3) ? 4 : 2;
      b = 1;
    } else if (c >= 0xd800 && c <= 0xdbff) {
      len = 2;
      b = 4;
    } else b = c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
    if (bytes + b > limit) {
      // Cut after the last space if it keeps the piece at least three quarters full.
      const cut = lastSpace > start && lastSpace - start >= (limit * 3) / 4 ? lastSpace : i;
      pieces.push(raw.slice(start, cut));
      start = cut;
      bytes = charStringBytes(raw.slice(start, i));
      lastSpace = -1;
    }
    if (c === 32) lastSpace = i + 1;
    bytes += b;
    i += len;
  }
  pieces.push(raw.slice(start));
  return pieces;
}

/** What RDATA checking needs from the parser. */
export interface RdataSink {
  /** Completes a name token (relative to the record's origin); reports and returns undefined when malformed. */
  name(token: Token): string | undefined;
  error(code: string, message: string, start: number, end: number, fix?: ZoneFix): void;
  warning(code: string, message: string, start: number, end: number, fix?: ZoneFix): void;
  /** File of the record, for fixes. */
  file: string;
  /** Positions are synthetic (a `$GENERATE` line): offer no fixes. */
  synthetic: boolean;
}

type Field = 'name' | 'u8' | 'u16' | 'u32' | 'ttl' | 'string' | 'ipv4' | 'ipv6' | 'tag' | 'hex' | 'base64';
interface Shape {
  fields: Field[];
  /** The last field repeats (one or more tokens). */
  rest?: boolean;
  /** What the fields are, for messages. */
  help: string;
}

const SHAPES: Record<string, Shape> = {
  A: { fields: ['ipv4'], help: 'an IPv4 address' },
  AAAA: { fields: ['ipv6'], help: 'an IPv6 address' },
  NS: { fields: ['name'], help: 'a name server name' },
  CNAME: { fields: ['name'], help: 'the canonical name' },
  PTR: { fields: ['name'], help: 'a host name' },
  DNAME: { fields: ['name'], help: 'the target name' },
  MB: { fields: ['name'], help: 'a host name' },
  MG: { fields: ['name'], help: 'a mailbox name' },
  MR: { fields: ['name'], help: 'a mailbox name' },
  MX: { fields: ['u16', 'name'], help: 'preference and exchange (`10 mail.example.com.`)' },
  AFSDB: { fields: ['u16', 'name'], help: 'subtype and host name' },
  RT: { fields: ['u16', 'name'], help: 'preference and host name' },
  KX: { fields: ['u16', 'name'], help: 'preference and exchanger name' },
  SOA: { fields: ['name', 'name', 'u32', 'ttl', 'ttl', 'ttl', 'ttl'], help: 'MNAME RNAME serial refresh retry expire minimum' },
  MINFO: { fields: ['name', 'name'], help: 'RMAILBX EMAILBX' },
  RP: { fields: ['name', 'name'], help: 'mailbox and TXT name' },
  SRV: { fields: ['u16', 'u16', 'u16', 'name'], help: 'priority weight port target (RFC 2782)' },
  NAPTR: { fields: ['u16', 'u16', 'string', 'string', 'string', 'name'], help: 'order preference flags services regexp replacement (RFC 3403)' },
  TXT: { fields: ['string'], rest: true, help: 'one or more character-strings' },
  SPF: { fields: ['string'], rest: true, help: 'one or more character-strings' },
  HINFO: { fields: ['string', 'string'], help: 'CPU and OS' },
  CAA: { fields: ['u8', 'tag', 'string'], help: 'flags tag value (RFC 8659)' },
  SSHFP: { fields: ['u8', 'u8', 'hex'], rest: true, help: 'algorithm fingerprint-type fingerprint' },
  TLSA: { fields: ['u8', 'u8', 'u8', 'hex'], rest: true, help: 'usage selector matching-type data (RFC 6698)' },
  SMIMEA: { fields: ['u8', 'u8', 'u8', 'hex'], rest: true, help: 'usage selector matching-type data' },
  DS: { fields: ['u16', 'u8', 'u8', 'hex'], rest: true, help: 'key-tag algorithm digest-type digest' },
  CDS: { fields: ['u16', 'u8', 'u8', 'hex'], rest: true, help: 'key-tag algorithm digest-type digest' },
  DNSKEY: { fields: ['u16', 'u8', 'u8', 'base64'], rest: true, help: 'flags protocol algorithm key' },
  CDNSKEY: { fields: ['u16', 'u8', 'u8', 'base64'], rest: true, help: 'flags protocol algorithm key' },
};

/** Types whose RDATA holds domain names, and where: lint checks these for a missing final dot. */
export const NAME_FIELDS: Record<string, number[]> = Object.fromEntries(
  Object.entries(SHAPES)
    .map(([t, s]) => [t, s.fields.flatMap((f, i) => (f === 'name' ? [i] : []))] as const)
    .filter(([, idx]) => idx.length > 0),
);

/** Checks RDATA text and fills in `address`, `target` and `preference`. Returns false on an error. */
export function checkRdata(rec: ZoneRecord, sink: RdataSink): boolean {
  const rd = rec.rdata;
  if (rd.length > 0 && !rd[0].quoted && rd[0].text === '\\#') return checkGeneric(rec, sink);
  const shape = SHAPES[rec.type];
  if (!shape) {
    if (rd.length === 0 && rec.type !== 'APL' && rec.type !== 'NULL') {
      sink.error('zone-bad-rdata', `${rec.type} record without data`, rec.typeToken.start, rec.typeToken.end);
      return false;
    }
    return true;
  }
  const { fields } = shape;
  if (rd.length < fields.length) {
    const at = rd.length > 0 ? rd[rd.length - 1] : rec.typeToken;
    sink.error('zone-bad-rdata', `${rec.type} needs ${fields.length === 1 ? 'one field' : `${fields.length} fields`} (${shape.help}), found ${rd.length}`, at.start, at.end);
    return false;
  }
  if (rd.length > fields.length && !shape.rest) {
    const extra = rd[fields.length];
    sink.error('zone-bad-rdata', `unexpected ${JSON.stringify(extra.text)} after the ${rec.type} data (${shape.help})`, extra.start, rd[rd.length - 1].end);
    return false;
  }
  let ok = true;
  for (let i = 0; i < rd.length; i++) {
    const f = fields[Math.min(i, fields.length - 1)];
    const t = rd[i];
    switch (f) {
      case 'name': {
        if (t.quoted) {
          sink.error('zone-bad-rdata', `a ${rec.type} name field cannot be a quoted string`, t.start, t.end);
          ok = false;
          break;
        }
        const name = sink.name(t);
        if (name === undefined) {
          ok = false;
          break;
        }
        if (rec.target === undefined) {
          rec.target = name;
          rec.targetIndex = i;
        }
        break;
      }
      case 'u8':
      case 'u16':
      case 'u32': {
        const max = f === 'u8' ? 255 : f === 'u16' ? 65535 : 4294967295;
        const v = t.quoted ? -1 : parseUint(t.text, 0, max);
        if (v < 0) {
          sink.error('zone-bad-rdata', `${JSON.stringify(t.text)} is not a number from 0 to ${max} (${rec.type}: ${shape.help})`, t.start, t.end);
          ok = false;
        } else if (i === 0 && (rec.type === 'MX' || rec.type === 'RT' || rec.type === 'KX')) rec.preference = v;
        break;
      }
      case 'ttl': {
        const v = t.quoted ? -1 : parseTtl(t.text);
        if (v < 0) {
          sink.error('zone-bad-rdata', `${JSON.stringify(t.text)} is not a time value (seconds, or units like 1h30m) (${rec.type}: ${shape.help})`, t.start, t.end);
          ok = false;
        }
        break;
      }
      case 'string': {
        const bytes = charStringBytes(t.text);
        if (bytes > 255) {
          const fix = sink.synthetic ? undefined : splitFix(sink.file, t);
          sink.error('zone-string-too-long', `character-string of ${bytes} bytes; one string holds at most 255 (RFC 1035 §3.3): split it into several quoted strings`, t.start, t.end, fix);
          ok = false;
        }
        break;
      }
      case 'ipv4': {
        const ip = t.quoted ? undefined : parseIpv4(t.text);
        if (ip === undefined) {
          sink.error('zone-bad-rdata', `${JSON.stringify(t.text)} is not an IPv4 address (four numbers 0-255, no leading zeros)`, t.start, t.end);
          ok = false;
        } else rec.address = ip;
        break;
      }
      case 'ipv6': {
        const ip = t.quoted ? undefined : parseIpv6Text(t.text);
        if (ip === undefined) {
          sink.error('zone-bad-rdata', `${JSON.stringify(t.text)} is not an IPv6 address`, t.start, t.end);
          ok = false;
        } else rec.address = ip;
        break;
      }
      case 'tag':
        if (t.quoted || !/^[A-Za-z0-9]{1,255}$/.test(t.text)) {
          sink.error('zone-bad-rdata', `${JSON.stringify(t.text)} is not a CAA tag (letters and digits)`, t.start, t.end);
          ok = false;
        }
        break;
      case 'hex':
        if (t.quoted || !/^[0-9A-Fa-f]+$/.test(t.text)) {
          sink.error('zone-bad-rdata', `${JSON.stringify(t.text)} is not hexadecimal (${rec.type}: ${shape.help})`, t.start, t.end);
          ok = false;
        }
        break;
      case 'base64':
        if (t.quoted || !/^[A-Za-z0-9+/=]+$/.test(t.text)) {
          sink.error('zone-bad-rdata', `${JSON.stringify(t.text)} is not base64 (${rec.type}: ${shape.help})`, t.start, t.end);
          ok = false;
        }
        break;
    }
  }
  return ok;
}

/** RFC 3597 §5: `\# length hex…`, with exactly `length` octets of hex. */
function checkGeneric(rec: ZoneRecord, sink: RdataSink): boolean {
  const rd = rec.rdata;
  rec.generic = true;
  const lenTok = rd[1];
  if (!lenTok || lenTok.quoted) {
    sink.error('zone-bad-rdata', 'generic RDATA needs a length after \\# (RFC 3597 §5)', rd[0].start, rd[0].end);
    return false;
  }
  const len = parseUint(lenTok.text, 0, 65535);
  if (len < 0) {
    sink.error('zone-bad-rdata', `${JSON.stringify(lenTok.text)} is not an RDATA length (0-65535)`, lenTok.start, lenTok.end);
    return false;
  }
  let digits = 0;
  for (let i = 2; i < rd.length; i++) {
    const t = rd[i];
    if (t.quoted || !/^[0-9A-Fa-f]+$/.test(t.text)) {
      sink.error('zone-bad-rdata', `${JSON.stringify(t.text)} is not hexadecimal (RFC 3597 §5)`, t.start, t.end);
      return false;
    }
    digits += t.text.length;
  }
  if (digits !== len * 2) {
    const end = rd[rd.length - 1].end;
    sink.error('zone-bad-rdata', `generic RDATA says ${len} octets but has ${digits / 2} (RFC 3597 §5)`, lenTok.start, end);
    return false;
  }
  return true;
}

/** The fix for an over-long character-string: the same text as several quoted strings. */
export function splitFix(file: string, t: Token): ZoneFix {
  const pieces = splitCharString(t.text);
  return {
    description: `Split the string into ${pieces.length} strings of at most 255 bytes (they are joined without separator)`,
    edits: [{ file, start: t.start, end: t.end, newText: pieces.map((p) => `"${p}"`).join(' ') }],
  };
}

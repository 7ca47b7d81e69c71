// Record types, classes, TTLs and RDATA text for the common types. Unknown RDATA is accepted in
// the RFC 3597 §5 generic form (`\# length hex`) for every type, known or not.
import { formatIpv6, parseIpv6 } from '../ip';
import { base32hexLength, completeName, hexOctets, isMetaType, metaTypeCode, OctetCounter, type Octets, RdataError, TextFields, typeByName, typeName, WireFields } from './rdataTypes';
import type { Token, ZoneFix, ZoneRecord } from './types';

export type TypeLookup = { ok: true; type: string; number: number } | { ok: false; message: string };

/** A type mnemonic BIND 9.18 knows, or `TYPEnnn` (RFC 3597 §5); `TYPE1` is `A`. Meta and query types are refused. */
export function lookupType(text: string): TypeLookup {
  let upper = text;
  let t = typeByName(text);
  if (t === undefined) {
    upper = text.toUpperCase();
    t = typeByName(upper);
  }
  if (t !== undefined) return { ok: true, type: t.name, number: t.code };
  if (metaTypeCode(upper) !== undefined) return { ok: false, message: `${upper} is a query or transport type and cannot appear in a zone file (RFC 6895 §3.1)` };
  if (upper.startsWith('TYPE') && upper.length > 4) {
    const v = parseUint(upper, 4, 65535);
    if (v >= 0) {
      if (isMetaType(v)) return { ok: false, message: `${upper}${v === 0 ? '' : ` (${typeName(v)})`} is a ${v === 0 ? 'reserved' : 'meta or query'} type and cannot appear in a zone file (RFC 6895 §3.1)` };
      return { ok: true, type: typeName(v), number: v };
    }
  }
  return { ok: false, message: `unknown record type ${JSON.stringify(text)}: BIND 9.18 does not know it (write unknown types as TYPEnnn with \\# RDATA, RFC 3597 §5)` };
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

/** Said by `name` in a grammar when the parser already reported the malformed name. */
class Reported {}

/**
 * Reads a record's RDATA by its type's grammar (rdataTypes.ts), text or RFC 3597 generic form, and
 * fills in `address`, `target`, `targetIndex`, `preference` and `names`. Reports what BIND would
 * refuse and returns false then. `out` receives the RDATA's wire octets (names lower-cased).
 */
export function checkRdata(rec: ZoneRecord, sink: RdataSink, out: Octets = new OctetCounter(), key?: string[]): boolean {
  const rd = rec.rdata;
  const info = typeByName(rec.type);
  if (info?.obsolete) {
    // RFC 973 obsoleted MD and MF (MX replaced them); BIND refuses them.
    sink.error('zone-bad-type', `${rec.type} is obsolete (RFC 973): BIND refuses it; use MX`, rec.typeToken.start, rec.typeToken.end);
    return false;
  }
  if (rec.type === 'NSEC3' && !nsec3Owner(rec.owner)) {
    // RFC 5155 §3: an NSEC3 owner's first label is a hash in base32hex; BIND refuses anything else.
    const t = rec.ownerToken ?? rec.typeToken;
    sink.error('zone-bad-name', `an NSEC3 record's owner starts with the hashed name in base32hex without padding (RFC 5155 §3): ${rec.owner.split('.')[0]} is not`, t.start, t.end);
    return false;
  }
  try {
    if (isGeneric(rec)) {
      rec.generic = true;
      const data = genericOctets(rd);
      if (typeof data === 'string') throw new RdataError(data, rd[1] ?? rd[0]);
      if (info) {
        const f = new WireFields(data, out, rd[0]);
        info.grammar(f, { owner: rec.owner });
        f.end();
        takeNames(rec, f.names, true);
        if (rec.type === 'A' && data.length === 4) rec.address = [...data].join('.');
        if (rec.type === 'AAAA' && data.length === 16) rec.address = formatIpv6(data);
      } else out.bytes(data);
      key?.push(Buffer.from(data).toString('hex'));
      return true;
    }
    if (!info) {
      // RFC 3597 §5: a type without a known text form is written as \# RDATA.
      throw new RdataError(`${rec.type} has no text form BIND knows: write its RDATA as \\# length hex (RFC 3597 §5)`, rd[0] ?? rec.typeToken);
    }
    if (info.genericOnly) throw new RdataError(`BIND reads ${rec.type} RDATA only in the generic form \\# length hex (RFC 3597 §5)`, rd[0] ?? rec.typeToken);
    const complete = (t: Token): string => {
      const n = sink.name(t);
      if (n === undefined) throw new Reported();
      return n;
    };
    const f = new TextFields(rd, out, complete, rec.typeToken, key);
    info.grammar(f, { owner: rec.owner });
    f.end();
    takeNames(rec, f.names, false);
    if (rec.type === 'A') rec.address = rd[0].text;
    else if (rec.type === 'AAAA') rec.address = parseIpv6Text(rd[0].text);
    else if (rec.type === 'MX' || rec.type === 'RT' || rec.type === 'KX') rec.preference = Number(rd[0].text);
  } catch (e) {
    if (e instanceof Reported) return false;
    if (!(e instanceof RdataError)) throw e;
    const t = e.token ?? rd[rd.length - 1] ?? rec.typeToken;
    const fix = e.code === 'zone-string-too-long' && !sink.synthetic && t.quoted !== undefined ? splitFix(sink.file, t) : undefined;
    sink.error(e.code, e.token ? e.message : `${e.message} (${rec.type})`, t.start, t.end, fix);
    return false;
  }
  if (out.length > 65535) {
    sink.error('zone-bad-rdata', `the ${rec.type} RDATA is ${out.length} octets; a record holds at most 65535 (RFC 1035 §3.2.1)`, rec.typeToken.start, rec.end);
    return false;
  }
  return true;
}

/** The first label is base32hex without padding, at most 155 octets decoded (BIND's limit). */
function nsec3Owner(owner: string): boolean {
  const dot = owner.indexOf('.');
  const label = dot < 0 ? owner : owner.slice(0, dot);
  const n = base32hexLength(label);
  return n > 0 && n <= 155;
}

function takeNames(rec: ZoneRecord, names: { name: string; index: number }[], generic: boolean): void {
  if (names.length === 0) return;
  rec.target = names[0].name;
  if (!generic) {
    rec.targetIndex = names[0].index;
    if (names.length > 1) rec.names = names.map((n) => n.index);
  }
}

/**
 * `\#` opens generic RDATA (RFC 3597 §5). In TXT, BIND reads `\#` as the text "#" unless a
 * number follows it.
 */
function isGeneric(rec: ZoneRecord): boolean {
  const rd = rec.rdata;
  if (rd.length === 0 || rd[0].quoted || rd[0].text !== '\\#') return false;
  if (rec.type !== 'TXT') return true;
  return rd.length > 1 && !rd[1].quoted && /^\d+$/.test(rd[1].text);
}

/** The octets of `\# length hex…`, or what is wrong with it. */
function genericOctets(rd: Token[]): Uint8Array | string {
  const lenTok = rd[1];
  if (!lenTok || lenTok.quoted) return 'generic RDATA needs a length after \\# (RFC 3597 §5)';
  const len = parseUint(lenTok.text, 0, 65535);
  if (len < 0) return `${JSON.stringify(lenTok.text)} is not an RDATA length (0-65535)`;
  let hex = '';
  for (let i = 2; i < rd.length; i++) {
    const t = rd[i];
    if (t.quoted || !/^[0-9A-Fa-f]+$/.test(t.text)) throw new RdataError(`${JSON.stringify(t.text)} is not hexadecimal (RFC 3597 §5)`, t);
    hex += t.text;
  }
  if (hex.length !== len * 2) throw new RdataError(`generic RDATA says ${len} octets but has ${hex.length / 2} (RFC 3597 §5)`, rd[rd.length - 1]);
  return hexOctets(hex) ?? new Uint8Array(0);
}

/**
 * A record's RDATA in one canonical spelling (names canonical, numbers as values, strings and hex
 * as octets), so that two records compare equal exactly when a server would merge them (RFC 2181
 * §5: `MX 10 Mail` and `MX 010 mail.example.com.` are the same record); undefined when it does not parse.
 */
export function rdataKey(rec: ZoneRecord): string | undefined {
  const key: string[] = [];
  const quiet: RdataSink = {
    name: (t) => completeName(t.text, rec.origin),
    error: () => undefined,
    warning: () => undefined,
    file: rec.file,
    synthetic: true,
  };
  // checkRdata fills in fields: a copy takes them, the record stays as it is. Its tokens are asked
  // of the record only when needed (the parser's records make them from the text each time).
  const copy: ZoneRecord = {
    file: rec.file,
    owner: rec.owner,
    ttl: rec.ttl,
    class: rec.class,
    type: rec.type,
    rdata: rec.rdata,
    origin: rec.origin,
    start: rec.start,
    end: rec.end,
    get ownerToken() {
      return rec.ownerToken;
    },
    get ttlToken() {
      return rec.ttlToken;
    },
    get classToken() {
      return rec.classToken;
    },
    get typeToken() {
      return rec.typeToken;
    },
  };
  if (rec.generated) copy.generated = true;
  return checkRdata(copy, quiet, new OctetCounter(), key) ? key.join(' ') : undefined;
}
/** Character-string source text (escapes as written) as quoted strings of at most 255 bytes each. */
export function quotedStrings(raw: string): { text: string; count: number } {
  const pieces = splitCharString(raw);
  return { text: pieces.map((p) => `"${p}"`).join(' '), count: pieces.length };
}

/** The fix for an over-long character-string: the same text as several quoted strings. */
export function splitFix(file: string, t: Token): ZoneFix {
  const q = quotedStrings(t.text);
  return {
    description: `Split the string into ${q.count} strings of at most 255 bytes (they are joined without separator)`,
    edits: [{ file, start: t.start, end: t.end, newText: q.text }],
  };
}

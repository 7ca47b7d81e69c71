// Decoding DNS replies from strangers (RFC 1035 §4.1), strictly.
//
// dns-packet decodes whatever it is given: its record codecs read a fixed shape and ignore RDLENGTH,
// so an A record with RDLENGTH 3 comes out as "192.0.2.undefined" and every record after it is read
// out of step. Here every record is framed by its RDLENGTH, and its RDATA must fill exactly that many
// octets in the shape of its type (A 4 octets, AAAA 16, names, MX, TXT strings, SOA). Names are
// bounded (RFC 1035 §2.3.4: labels of at most 63 octets, names of at most 255) and compression
// pointers must point backwards (§4.1.4: "a prior occurrence"), at most MAX_POINTERS per name, so a
// pointer loop can neither spin nor run long. A record that fails is dropped and named in
// `malformed`; it is never handed on. A TXT record without strings (illegal, RFC 1035 §3.3.14) is
// read as none: it is well framed, and SPF must not fail on it (RFC 7208 test suite, null-text).
//
// Queries are still built with dns-packet (our own, well-formed); only replies come through here.
import { canonicalIp } from '../ip';
import type { MxData, SoaData } from './types';

export interface WireQuestion {
  name: string;
  type: string;
  class: string;
}

export type WireData = string | MxData | SoaData | Buffer[] | { udpPayloadSize: number; extendedRcode: number; version: number } | Buffer;

export interface WireRecord {
  /** Labels joined by dots (UTF-8, as dns-packet reads them); a dot inside a label is written `\.`. */
  name: string;
  type: string;
  class: string;
  ttl: number;
  /**
   * A/AAAA: the address; PTR/CNAME/NS/DNAME: a name; MX: MxData; TXT/SPF: the character-strings;
   * SOA: SoaData; OPT: the EDNS fields; other types: the RDATA octets.
   */
  data: WireData;
}

export interface WireMessage {
  id: number;
  /** QR: this is a response. */
  response: boolean;
  opcode: number;
  authoritative: boolean;
  truncated: boolean;
  recursionDesired: boolean;
  recursionAvailable: boolean;
  /** The rcode's name (RFC 6895 §2.3), the EDNS extended bits included; `RCODE<n>` when it has none. */
  rcode: string;
  questions: WireQuestion[];
  answers: WireRecord[];
  authorities: WireRecord[];
  additionals: WireRecord[];
  /** Records that failed validation, in words; they are not in the lists above. Empty for a sound message. */
  malformed: string[];
  /** Answers past `maxRecords`: framed and counted, neither decoded nor kept (other sections' are dropped uncounted). */
  omitted: number;
}

export type WireDecode = { ok: true; message: WireMessage } | { ok: false; error: string };

/** A name of 255 octets has at most 127 labels, so no sound name needs more pointers than that. */
const MAX_POINTERS = 127;
const MAX_NAME = 255;
const HEADER = 12;

const TYPES: Record<number, string> = {
  1: 'A',
  2: 'NS',
  5: 'CNAME',
  6: 'SOA',
  12: 'PTR',
  15: 'MX',
  16: 'TXT',
  28: 'AAAA',
  33: 'SRV',
  39: 'DNAME',
  41: 'OPT',
  43: 'DS',
  46: 'RRSIG',
  47: 'NSEC',
  48: 'DNSKEY',
  50: 'NSEC3',
  99: 'SPF',
  255: 'ANY',
  257: 'CAA',
};

const RCODES: Record<number, string> = {
  0: 'NOERROR',
  1: 'FORMERR',
  2: 'SERVFAIL',
  3: 'NXDOMAIN',
  4: 'NOTIMP',
  5: 'REFUSED',
  6: 'YXDOMAIN',
  7: 'YXRRSET',
  8: 'NXRRSET',
  9: 'NOTAUTH',
  10: 'NOTZONE',
  16: 'BADVERS',
};

const CLASSES: Record<number, string> = { 1: 'IN', 3: 'CH', 4: 'HS', 254: 'NONE', 255: 'ANY' };

/** RFC 3597 §5: a type without a mnemonic is written TYPE<n>. */
export function typeName(n: number): string {
  return TYPES[n] ?? `TYPE${n}`;
}

class Malformed extends Error {}

/**
 * One label as text: its octets as UTF-8, the way queries are written (so a reply's names compare
 * equal to the names asked), except that a dot inside a label is written `\.` (RFC 1035 §5.1), so
 * one label can never pass for two. Control characters stay: every view escapes them for its medium.
 */
function labelText(buf: Buffer, start: number, end: number): string {
  const s = buf.toString('utf8', start, end);
  return s.includes('.') ? s.replace(/\./g, '\\.') : s;
}

/** Names already read in one message, by the offset they start at, with their length in octets. */
type NameCache = Map<number, { name: string; octets: number }>;

/**
 * Reads a name at `offset`. `limit` is where the octets of the record holding it end (a name may
 * not run past its RDATA); pointers may go anywhere earlier in the message. Returns the name and
 * the offset just after it in the place it started. A pointer to a name read before takes it from
 * `cache`, so thousands of records that point at the question cost one decoding of it.
 */
function readName(buf: Buffer, offset: number, limit: number, cache: NameCache): { name: string; next: number } {
  const labels: string[] = [];
  let pos = offset;
  let end = limit;
  let next = -1;
  let length = 1; // the root label
  let pointers = 0;
  for (;;) {
    if (pos >= end) throw new Malformed('a name runs past the end of its record');
    const len = buf[pos];
    if (len === 0) {
      if (next < 0) next = pos + 1;
      break;
    }
    const kind = len & 0xc0;
    if (kind === 0xc0) {
      if (pos + 1 >= end) throw new Malformed('a compression pointer is cut off');
      const target = ((len & 0x3f) << 8) | buf[pos + 1];
      // RFC 1035 §4.1.4: a pointer names a prior occurrence; pointing forward or at itself would loop.
      if (target >= pos || target < HEADER) throw new Malformed(`a compression pointer at offset ${pos} points ${target >= pos ? 'forward or at itself (a loop)' : 'into the header'}`);
      if (++pointers > MAX_POINTERS) throw new Malformed(`a name follows more than ${MAX_POINTERS} compression pointers`);
      if (next < 0) next = pos + 2;
      const known = cache.get(target);
      if (known) {
        length += known.octets - 1;
        if (length > MAX_NAME) throw new Malformed(`a name longer than ${MAX_NAME} octets`);
        if (known.name !== '.') labels.push(known.name);
        break;
      }
      pos = target;
      end = buf.length;
      continue;
    }
    if (kind !== 0) throw new Malformed(`a label type 0x${kind.toString(16)} that RFC 1035 does not define`);
    if (pos + 1 + len > end) throw new Malformed('a label runs past the end of its record');
    length += len + 1;
    if (length > MAX_NAME) throw new Malformed(`a name longer than ${MAX_NAME} octets`);
    labels.push(labelText(buf, pos + 1, pos + 1 + len));
    pos += 1 + len;
  }
  const name = labels.length === 0 ? '.' : labels.join('.');
  cache.set(offset, { name, octets: length });
  return { name, next };
}

function ipv6Text(buf: Buffer, at: number): string {
  const groups: string[] = [];
  for (let i = 0; i < 8; i++) groups.push(buf.readUInt16BE(at + 2 * i).toString(16));
  return canonicalIp(groups.join(':'));
}

/** Decodes one RDATA of `type` that must fill [start, end) exactly. */
function readRdata(buf: Buffer, type: string, start: number, end: number, cache: NameCache): WireData {
  const size = end - start;
  const exact = (at: number, what: string) => {
    if (at !== end) throw new Malformed(`${what} ${at < end ? `leaves ${end - at} of its ${size} octets unused` : 'runs past its RDLENGTH'}`);
  };
  switch (type) {
    case 'A':
      if (size !== 4) throw new Malformed(`RDATA is ${size} octets; an A record holds 4`);
      return `${buf[start]}.${buf[start + 1]}.${buf[start + 2]}.${buf[start + 3]}`;
    case 'AAAA':
      if (size !== 16) throw new Malformed(`RDATA is ${size} octets; an AAAA record holds 16`);
      return ipv6Text(buf, start);
    case 'PTR':
    case 'CNAME':
    case 'NS':
    case 'DNAME': {
      const n = readName(buf, start, end, cache);
      exact(n.next, 'the name');
      return n.name;
    }
    case 'MX': {
      if (size < 3) throw new Malformed(`RDATA is ${size} octets; an MX record holds a preference and a name (at least 3)`);
      const preference = buf.readUInt16BE(start);
      const n = readName(buf, start + 2, end, cache);
      exact(n.next, 'the exchange name');
      return { preference, exchange: n.name };
    }
    case 'TXT':
    case 'SPF': {
      // RFC 1035 §3.3.14: <character-string>s, each a length octet and that many octets.
      const parts: Buffer[] = [];
      let at = start;
      while (at < end) {
        const len = buf[at];
        if (at + 1 + len > end) throw new Malformed(`a string of ${len} octets runs past the RDATA`);
        parts.push(Buffer.from(buf.subarray(at + 1, at + 1 + len)));
        at += 1 + len;
      }
      return parts;
    }
    case 'SOA': {
      const m = readName(buf, start, end, cache);
      const r = readName(buf, m.next, end, cache);
      if (r.next + 20 !== end) throw new Malformed(`the SOA's five numbers take ${end - r.next} octets, not 20`);
      const at = r.next;
      return {
        mname: m.name,
        rname: r.name,
        serial: buf.readUInt32BE(at),
        refresh: buf.readUInt32BE(at + 4),
        retry: buf.readUInt32BE(at + 8),
        expire: buf.readUInt32BE(at + 12),
        minimum: buf.readUInt32BE(at + 16),
      };
    }
    default:
      return Buffer.from(buf.subarray(start, end));
  }
}

type Section = 'answer' | 'authority' | 'additional';

/**
 * Decodes a reply. Fails only when the header or the question cannot be read; bad records go to
 * `malformed`. At most `maxRecords` records of each section are decoded and kept (the answer
 * budget: a 64 KB reply holds some 4,000 records, each a live object once decoded); the rest are
 * only framed, so the sections after them can still be read, and counted in `omitted`.
 */
export function decodeMessage(buf: Buffer, maxRecords = Infinity): WireDecode {
  if (buf.length < HEADER) return { ok: false, error: `${buf.length} octets, shorter than a DNS header` };
  const id = buf.readUInt16BE(0);
  const flags = buf.readUInt16BE(2);
  const counts = [buf.readUInt16BE(4), buf.readUInt16BE(6), buf.readUInt16BE(8), buf.readUInt16BE(10)];
  let pos = HEADER;
  const cache: NameCache = new Map();
  const questions: WireQuestion[] = [];
  try {
    for (let i = 0; i < counts[0]; i++) {
      const n = readName(buf, pos, buf.length, cache);
      if (n.next + 4 > buf.length) throw new Malformed('the question is cut off');
      questions.push({ name: n.name, type: typeName(buf.readUInt16BE(n.next)), class: CLASSES[buf.readUInt16BE(n.next + 2)] ?? `CLASS${buf.readUInt16BE(n.next + 2)}` });
      pos = n.next + 4;
    }
  } catch (e) {
    if (e instanceof Malformed) return { ok: false, error: `question ${questions.length + 1}: ${e.message}` };
    throw e;
  }
  const sections: Record<Section, WireRecord[]> = { answer: [], authority: [], additional: [] };
  const malformed: string[] = [];
  let omitted = 0;
  let extended = 0;
  const order: [Section, number][] = [
    ['answer', counts[1]],
    ['authority', counts[2]],
    ['additional', counts[3]],
  ];
  read: for (const [section, count] of order) {
    for (let i = 0; i < count; i++) {
      let owner: { name: string; next: number };
      // A record whose framing cannot be read leaves no way to find the next one: stop there.
      try {
        owner = readName(buf, pos, buf.length, cache);
      } catch (e) {
        if (!(e instanceof Malformed)) throw e;
        malformed.push(`${section} ${i + 1}: the owner name: ${e.message}`);
        break read;
      }
      const at = owner.next;
      if (at + 10 > buf.length) {
        malformed.push(`${section} ${i + 1} (${owner.name}): the record is cut off (the header says ${count} ${section} records)`);
        break read;
      }
      const type = typeName(buf.readUInt16BE(at));
      const klass = buf.readUInt16BE(at + 2);
      const rawTtl = buf.readUInt32BE(at + 4);
      const rdlength = buf.readUInt16BE(at + 8);
      const start = at + 10;
      const end = start + rdlength;
      if (end > buf.length) {
        malformed.push(`${section} ${i + 1} (${type} record for ${owner.name}): RDLENGTH ${rdlength} runs past the end of the message`);
        break read;
      }
      pos = end;
      if (sections[section].length >= maxRecords && type !== 'OPT') {
        if (section === 'answer') omitted++;
        continue;
      }
      if (type === 'OPT') {
        // RFC 6891 §6.1.3: the TTL field holds the upper rcode bits, the version and the flags.
        extended = rawTtl >>> 24;
        sections[section].push({ name: owner.name, type, class: String(klass), ttl: 0, data: { udpPayloadSize: klass, extendedRcode: extended, version: (rawTtl >>> 16) & 0xff } });
        continue;
      }
      try {
        const data = readRdata(buf, type, start, end, cache);
        // RFC 2181 §8: a TTL with the top bit set is treated as zero.
        sections[section].push({ name: owner.name, type, class: CLASSES[klass] ?? `CLASS${klass}`, ttl: rawTtl > 0x7fffffff ? 0 : rawTtl, data });
      } catch (e) {
        if (!(e instanceof Malformed)) throw e;
        malformed.push(`${section} ${i + 1} (${type} record for ${owner.name}): ${e.message}`);
      }
    }
  }
  const code = ((extended << 4) | (flags & 0x0f)) >>> 0;
  return {
    ok: true,
    message: {
      id,
      response: (flags & 0x8000) !== 0,
      opcode: (flags >> 11) & 0x0f,
      authoritative: (flags & 0x0400) !== 0,
      truncated: (flags & 0x0200) !== 0,
      recursionDesired: (flags & 0x0100) !== 0,
      recursionAvailable: (flags & 0x0080) !== 0,
      rcode: RCODES[code] ?? `RCODE${code}`,
      questions,
      answers: sections.answer,
      authorities: sections.authority,
      additionals: sections.additional,
      malformed,
      omitted,
    },
  };
}

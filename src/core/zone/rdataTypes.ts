// Every record type BIND 9.18 knows, with its RDATA read the way `named` reads it: the text form
// (RFC 1035 §5 and each type's RFC) and the RFC 3597 §5 generic form `\# length hex`, which BIND
// turns into wire format and checks as it would a record received from the network. A record is an
// error here exactly when `named-checkzone` refuses it (test/integration/zone-conformance.test.ts
// holds the two side by side).
//
// One grammar per type, written as a function over a field reader. The same function runs over
// presentation tokens (TextFields) and over wire octets (WireFields), so the text form and the
// generic form of a type cannot drift apart. Both write the RDATA's wire octets to an Octets sink:
// a counting one while parsing (no allocation per record), a collecting one when the linter needs
// the octets (duplicate records, DS/CDS digests).
import { parseIpv6 } from '../ip';
import { canonicalName, decimalEscape, scanName } from './names';

/** `what` with an article: "the flags", or as given when it has one ("an IPv4 address"). */
function the(what: string): string {
  return /^(a|an|the) /.test(what) ? what : `the ${what}`;
}
import type { Token } from './types';

// --- octets ------------------------------------------------------------------------------------

/** Where a grammar writes the RDATA's wire octets. */
export interface Octets {
  length: number;
  byte(v: number): void;
  bytes(b: ArrayLike<number>): void;
}

/** Counts octets only: the parse of every record. */
export class OctetCounter implements Octets {
  length = 0;
  byte(): void {
    this.length++;
  }
  bytes(b: ArrayLike<number>): void {
    this.length += b.length;
  }
}

/** Keeps the octets: for comparing records and computing digests. */
export class OctetBuffer implements Octets {
  private buf = new Uint8Array(64);
  length = 0;
  byte(v: number): void {
    if (this.length === this.buf.length) this.grow(1);
    this.buf[this.length++] = v & 0xff;
  }
  bytes(b: ArrayLike<number>): void {
    if (this.length + b.length > this.buf.length) this.grow(b.length);
    for (let i = 0; i < b.length; i++) this.buf[this.length++] = b[i] & 0xff;
  }
  private grow(n: number): void {
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.length + n));
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }
  result(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

// --- the fields a grammar reads ----------------------------------------------------------------

/** A rejected field: what is wrong, and which token (text form) it is about. */
export class RdataError {
  constructor(
    readonly message: string,
    /** The token BIND names ("near '…'"); undefined: the end of the record. */
    readonly token: Token | undefined,
    readonly code: string = 'zone-bad-rdata',
  ) {}
}

/** Names a grammar meets, with their role, so the linter can look at them. */
export interface NameUse {
  /** Absolute, canonical name. */
  name: string;
  /** Index of the token in the record's RDATA (text form only). */
  index: number;
}

/**
 * The fields of one RDATA, read in order. Each method reads its field, writes its wire octets and
 * returns what the grammar needs to go on; a field that does not fit throws an RdataError.
 */
export interface Fields {
  readonly generic: boolean;
  /** Whether anything is left to read. */
  more(): boolean;
  u8(what: string): number;
  u16(what: string): number;
  u32(what: string): number;
  /** A 32-bit period: seconds or BIND's units (SOA timers). */
  period(what: string): number;
  /** A domain name; returns it absolute and canonical. `quotedOk`: a quoted string is read as the name (SVCB). */
  name(what: string, quotedOk?: boolean): string;
  ipv4(what: string): void;
  ipv6(what: string): void;
  /** One character-string (RFC 1035 §3.3), at most 255 octets. */
  string(what: string): Uint8Array;
  /** A DNSSEC algorithm: a number or its mnemonic (RSASHA256, …). */
  algorithm(what: string): number;
  /** The key flags of KEY/DNSKEY: a number or mnemonics joined with `|`. */
  keyFlags(): number;
  /** The protocol of KEY/DNSKEY: a number or a mnemonic (DNSSEC, …). */
  keyProtocol(): number;
  /** A record type: mnemonic or TYPEnnn (RRSIG, DSYNC). */
  rrtype(what: string): number;
  /** RRSIG/SIG times: YYYYMMDDHHmmSS, or seconds unless `dateOnly`. */
  time(what: string, dateOnly?: boolean): void;
  /** A DS digest type: a number or a mnemonic (SHA-256, …). */
  digestType(): number;
  /** The rest as base64 (whitespace between tokens allowed); at least one token unless `optional`. */
  base64Rest(what: string, optional?: boolean): number;
  /** The rest as hex; at least one token unless `optional`. */
  hexRest(what: string, optional?: boolean): number;
  /** One token of hex (HIP's HIT), its octets. */
  hexToken(what: string): number;
  /** One token of base64 (HIP's public key), its octets. */
  base64Token(what: string): number;
  /** NSEC3 salt: `-` or hex, with its length octet. */
  salt(): void;
  /** NSEC3 next hashed owner: base32hex without padding, with its length octet; returns its octets. */
  base32(what: string): number;
  /** A type bitmap (NSEC, NSEC3, CSYNC): the rest; `nonEmpty` for NSEC. */
  bitmap(nonEmpty: boolean): void;
  /** The rest of the text as one or more character-strings. */
  strings(what: string): void;
  /** The next token's raw text, unread (for grammars that branch on it); undefined at the end. */
  peek(): Token | undefined;
  /** The rest as raw wire octets (wire form) or undefined (text form): for grammars that differ. */
  restOctets(): Uint8Array | undefined;
  /** Reads one token as it is (text form only). */
  token(what: string): Token;
  /** Fails unless everything was read. */
  end(): void;
  /** Records a name found in the RDATA (first one is the record's target). */
  readonly names: NameUse[];
  /** The octets written so far. */
  readonly out: Octets;
  fail(message: string, token?: Token): never;
}

// --- DNSSEC mnemonics (BIND's secalg, keyflags, secproto, dsdigest, cert tables) -------------

// RFC 8624 / IANA "DNS Security Algorithm Numbers", as BIND 9.18 spells them.
const ALGORITHMS = new Map<string, number>([
  ['RSAMD5', 1], ['DH', 2], ['DSA', 3], ['RSASHA1', 5], ['NSEC3DSA', 6], ['NSEC3RSASHA1', 7], ['RSASHA256', 8],
  ['RSASHA512', 10], ['ECCGOST', 12], ['ECDSAP256SHA256', 13], ['ECDSAP384SHA384', 14], ['ED25519', 15],
  ['ED448', 16], ['INDIRECT', 252], ['PRIVATEDNS', 253], ['PRIVATEOID', 254],
]);
// RFC 2535 §3.1.2 flag names, and SEP's BIND name KSK (RFC 4034 §2.1.1).
const KEY_FLAGS = new Map<string, number>([
  ['NOCONF', 0x4000], ['NOAUTH', 0x8000], ['NOKEY', 0xc000], ['FLAG2', 0x2000], ['EXTEND', 0x1000], ['FLAG4', 0x0800],
  ['FLAG5', 0x0400], ['USER', 0x0000], ['ZONE', 0x0100], ['HOST', 0x0200], ['NTYP3', 0x0300], ['FLAG8', 0x0080],
  ['FLAG9', 0x0040], ['FLAG10', 0x0020], ['FLAG11', 0x0010], ['SIG0', 0], ['SIG1', 1], ['SIG2', 2], ['SIG3', 3],
  ['SIG4', 4], ['SIG5', 5], ['SIG6', 6], ['SIG7', 7], ['SIG8', 8], ['SIG9', 9], ['SIG10', 10], ['SIG11', 11],
  ['SIG12', 12], ['SIG13', 13], ['SIG14', 14], ['SIG15', 15], ['KSK', 1],
]);
const KEY_PROTOCOLS = new Map<string, number>([['NONE', 0], ['TLS', 1], ['EMAIL', 2], ['DNSSEC', 3], ['IPSEC', 4], ['ALL', 255]]);
// RFC 4034 §5.1.3, RFC 4509, RFC 5933, RFC 6605.
const DIGEST_TYPES = new Map<string, number>([['SHA-1', 1], ['SHA1', 1], ['SHA-256', 2], ['SHA256', 2], ['GOST', 3], ['SHA-384', 4], ['SHA384', 4]]);
/** Digest lengths BIND checks (RFC 4034 §5.1.4, RFC 4509 §2.2, RFC 6605 §2). */
const DIGEST_LENGTHS = new Map<number, number>([[1, 20], [2, 32], [4, 48]]);
// RFC 4398 §2.1.
const CERT_TYPES = new Map<string, number>([
  ['PKIX', 1], ['SPKI', 2], ['PGP', 3], ['IPKIX', 4], ['ISPKI', 5], ['IPGP', 6], ['ACPKIX', 7], ['IACPKIX', 8], ['URI', 253], ['OID', 254],
]);

// --- the types ---------------------------------------------------------------------------------

/** What a type's grammar reads. */
export type Grammar = (f: Fields, ctx: GrammarContext) => void;

export interface GrammarContext {
  /** The record's owner, absolute and canonical. */
  owner: string;
}

export interface RrType {
  name: string;
  code: number;
  /** Only in class IN (RFC 3597 §4 class-specific types BIND defines for IN alone). */
  inOnly?: true;
  /** Refused by BIND whatever the data (MD, MF: RFC 973 obsoleted them). */
  obsolete?: true;
  /** Known, but with no text form: only `\#` RDATA is read (NULL, UINFO, UID, GID, UNSPEC). */
  genericOnly?: true;
  /** At most one record per name (RFC 2181 §10.1, RFC 6672 §2.4, RFC 1035 §5.2). */
  singleton?: true;
  grammar: Grammar;
}

const name1 = (what: string): Grammar => (f) => {
  f.name(what);
};
const prefName = (what: string): Grammar => (f) => {
  f.u16('preference');
  f.name(what);
};
const strings: Grammar = (f) => f.strings('character-string');

/** DS, CDS, TA, DLV: RFC 4034 §5.3. */
const dsLike: Grammar = (f) => {
  f.u16('key tag');
  f.algorithm('algorithm');
  const dt = f.digestType();
  const t = f.peek();
  const n = f.hexRest('digest');
  const want = DIGEST_LENGTHS.get(dt);
  if (want !== undefined && n !== want) f.fail(`a digest of type ${dt} is ${want} octets long, this one ${n}`, t);
};

/** KEY, DNSKEY, CDNSKEY, RKEY: RFC 4034 §2.2 (and RFC 2535 §7.1 for KEY's "no key"). */
const keyLike =
  (isKey: boolean, isRkey = false): Grammar =>
  (f) => {
    const at = f.peek();
    const flags = f.keyFlags();
    // draft-reid-dnsext-rkey: the RKEY flags field is reserved, zero.
    if (isRkey && flags !== 0) f.fail('the RKEY flags are reserved and must be 0', at);
    f.keyProtocol();
    f.algorithm('algorithm');
    // RFC 2535 §3.1.2: a KEY with both NOCONF and NOAUTH carries no key.
    if (isKey && (flags & 0xc000) === 0xc000) return;
    f.base64Rest('public key');
  };

/** RRSIG (RFC 4034 §3.2) and SIG (RFC 2535 §4.1, whose times are dates only). */
const sigLike =
  (dateOnly: boolean): Grammar =>
  (f) => {
    f.rrtype('type covered');
    f.algorithm('algorithm');
    const labels = f.u8('labels');
    f.u32('original TTL');
    f.time('signature expiration', dateOnly);
    f.time('signature inception', dateOnly);
    f.u16('key tag');
    const at = f.peek();
    const signer = f.name("signer's name");
    // RFC 4034 §3.1.3: the signer is the zone, an ancestor of the owner: never more labels than it.
    const signerLabels = signer === '.' ? 0 : signer.split(/(?<!\\)\./).length - 1;
    if (labels < signerLabels) f.fail(`the labels field says ${labels}, fewer than the ${signerLabels} of the signer ${signer}`, at);
    f.base64Rest('signature');
  };

const TYPES: RrType[] = [
  { name: 'A', code: 1, grammar: (f) => f.ipv4('an IPv4 address') },
  { name: 'NS', code: 2, grammar: name1('name server') },
  { name: 'MD', code: 3, obsolete: true, grammar: name1('host') },
  { name: 'MF', code: 4, obsolete: true, grammar: name1('host') },
  { name: 'CNAME', code: 5, singleton: true, grammar: name1('canonical name') },
  {
    name: 'SOA',
    code: 6,
    singleton: true,
    grammar: (f) => {
      f.name('MNAME');
      f.name('RNAME');
      f.u32('serial');
      f.period('refresh');
      f.period('retry');
      f.period('expire');
      f.period('minimum');
    },
  },
  { name: 'MB', code: 7, grammar: name1('host') },
  { name: 'MG', code: 8, grammar: name1('mailbox') },
  { name: 'MR', code: 9, grammar: name1('mailbox') },
  { name: 'NULL', code: 10, genericOnly: true, grammar: (f) => f.restOctets() },
  { name: 'WKS', code: 11, inOnly: true, grammar: wks },
  { name: 'PTR', code: 12, grammar: name1('host') },
  {
    name: 'HINFO',
    code: 13,
    grammar: (f) => {
      f.string('CPU');
      f.string('OS');
    },
  },
  {
    name: 'MINFO',
    code: 14,
    grammar: (f) => {
      f.name('RMAILBX');
      f.name('EMAILBX');
    },
  },
  { name: 'MX', code: 15, grammar: prefName('exchange') },
  { name: 'TXT', code: 16, grammar: strings },
  {
    name: 'RP',
    code: 17,
    grammar: (f) => {
      f.name('mailbox');
      f.name('TXT name');
    },
  },
  {
    name: 'AFSDB',
    code: 18,
    grammar: (f) => {
      f.u16('subtype');
      f.name('host');
    },
  },
  { name: 'X25', code: 19, grammar: x25 },
  {
    name: 'ISDN',
    code: 20,
    grammar: (f) => {
      f.string('ISDN address');
      if (f.more()) f.string('subaddress');
    },
  },
  { name: 'RT', code: 21, grammar: prefName('intermediate host') },
  { name: 'NSAP', code: 22, inOnly: true, grammar: nsap },
  { name: 'NSAP-PTR', code: 23, inOnly: true, grammar: name1('owner') },
  { name: 'SIG', code: 24, grammar: sigLike(true) },
  { name: 'KEY', code: 25, grammar: keyLike(true) },
  {
    name: 'PX',
    code: 26,
    inOnly: true,
    grammar: (f) => {
      f.u16('preference');
      f.name('MAP822');
      f.name('MAPX400');
    },
  },
  {
    name: 'GPOS',
    code: 27,
    grammar: (f) => {
      f.string('longitude');
      f.string('latitude');
      f.string('altitude');
    },
  },
  { name: 'AAAA', code: 28, inOnly: true, grammar: (f) => f.ipv6('an IPv6 address') },
  { name: 'LOC', code: 29, grammar: loc },
  {
    name: 'NXT',
    code: 30,
    grammar: (f) => {
      f.name('next domain name');
      nxtBitmap(f);
    },
  },
  { name: 'EID', code: 31, inOnly: true, grammar: (f) => void f.hexRest('endpoint identifier') },
  { name: 'NIMLOC', code: 32, inOnly: true, grammar: (f) => void f.hexRest('locator') },
  {
    name: 'SRV',
    code: 33,
    inOnly: true,
    grammar: (f) => {
      f.u16('priority');
      f.u16('weight');
      f.u16('port');
      f.name('target');
    },
  },
  { name: 'ATMA', code: 34, inOnly: true, grammar: atma },
  { name: 'NAPTR', code: 35, grammar: naptr },
  { name: 'KX', code: 36, inOnly: true, grammar: prefName('exchanger') },
  {
    name: 'CERT',
    code: 37,
    grammar: (f) => {
      certType(f);
      f.u16('key tag');
      f.algorithm('algorithm');
      f.base64Rest('certificate');
    },
  },
  { name: 'A6', code: 38, inOnly: true, grammar: a6 },
  { name: 'DNAME', code: 39, singleton: true, grammar: name1('target') },
  {
    name: 'SINK',
    code: 40,
    grammar: (f) => {
      f.u8('meaning');
      f.u8('coding');
      f.u8('subcoding');
      f.base64Rest('data', true);
    },
  },
  { name: 'APL', code: 42, inOnly: true, grammar: apl },
  { name: 'DS', code: 43, grammar: dsLike },
  { name: 'SSHFP', code: 44, grammar: sshfp },
  { name: 'IPSECKEY', code: 45, grammar: ipseckey },
  { name: 'RRSIG', code: 46, grammar: sigLike(false) },
  {
    name: 'NSEC',
    code: 47,
    grammar: (f) => {
      f.name('next domain name');
      f.bitmap(true);
    },
  },
  { name: 'DNSKEY', code: 48, grammar: keyLike(false) },
  { name: 'DHCID', code: 49, inOnly: true, grammar: (f) => void f.base64Rest('DHCID data') },
  {
    name: 'NSEC3',
    code: 50,
    grammar: (f) => {
      const alg = f.u8('hash algorithm');
      f.u8('flags');
      f.u16('iterations');
      const at = f.peek();
      f.salt();
      const n = f.base32('next hashed owner name');
      // RFC 5155 §3.1.5: with hash algorithm 1 (SHA-1) the hash is 20 octets.
      if (alg === 1 && n !== 20) f.fail(`a SHA-1 hashed owner name is 20 octets, this one ${n}`, f instanceof TextFields ? f.lastBase32 : at);
      f.bitmap(false);
    },
  },
  {
    name: 'NSEC3PARAM',
    code: 51,
    grammar: (f) => {
      f.u8('hash algorithm');
      f.u8('flags');
      f.u16('iterations');
      f.salt();
    },
  },
  { name: 'TLSA', code: 52, grammar: tlsaLike },
  { name: 'SMIMEA', code: 53, grammar: tlsaLike },
  { name: 'HIP', code: 55, grammar: hip },
  { name: 'NINFO', code: 56, grammar: strings },
  { name: 'RKEY', code: 57, grammar: keyLike(false, true) },
  {
    name: 'TALINK',
    code: 58,
    grammar: (f) => {
      f.name('previous name');
      f.name('next name');
    },
  },
  { name: 'CDS', code: 59, grammar: dsLike },
  { name: 'CDNSKEY', code: 60, grammar: keyLike(false) },
  { name: 'OPENPGPKEY', code: 61, grammar: (f) => void f.base64Rest('key') },
  {
    name: 'CSYNC',
    code: 62,
    grammar: (f) => {
      f.u32('SOA serial');
      f.u16('flags');
      f.bitmap(false);
    },
  },
  { name: 'ZONEMD', code: 63, grammar: zonemd },
  { name: 'SVCB', code: 64, inOnly: true, grammar: svcb },
  { name: 'HTTPS', code: 65, inOnly: true, grammar: svcb },
  {
    name: 'DSYNC',
    code: 66,
    grammar: (f) => {
      const t = f.peek();
      if (t && !t.quoted && /^\d+$/.test(t.text)) f.u16('RRtype');
      else f.rrtype('RRtype');
      dsyncScheme(f);
      f.u16('port');
      f.name('target');
    },
  },
  { name: 'HHIT', code: 67, grammar: (f) => void f.base64Rest('data') },
  { name: 'BRID', code: 68, grammar: (f) => void f.base64Rest('data') },
  { name: 'SPF', code: 99, grammar: strings },
  { name: 'UINFO', code: 100, genericOnly: true, grammar: (f) => f.restOctets() },
  { name: 'UID', code: 101, genericOnly: true, grammar: (f) => f.restOctets() },
  { name: 'GID', code: 102, genericOnly: true, grammar: (f) => f.restOctets() },
  { name: 'UNSPEC', code: 103, genericOnly: true, grammar: (f) => f.restOctets() },
  {
    name: 'NID',
    code: 104,
    grammar: (f) => {
      f.u16('preference');
      locator64(f);
    },
  },
  {
    name: 'L32',
    code: 105,
    grammar: (f) => {
      f.u16('preference');
      f.ipv4('locator');
    },
  },
  {
    name: 'L64',
    code: 106,
    grammar: (f) => {
      f.u16('preference');
      locator64(f);
    },
  },
  { name: 'LP', code: 107, grammar: prefName('FQDN') },
  { name: 'EUI48', code: 108, grammar: (f) => eui(f, 6) },
  { name: 'EUI64', code: 109, grammar: (f) => eui(f, 8) },
  { name: 'URI', code: 256, grammar: uri },
  { name: 'CAA', code: 257, grammar: caa },
  { name: 'AVC', code: 258, grammar: strings },
  { name: 'DOA', code: 259, grammar: doa },
  { name: 'AMTRELAY', code: 260, grammar: amtrelay },
  { name: 'RESINFO', code: 261, grammar: strings },
  { name: 'WALLET', code: 262, grammar: strings },
  { name: 'TA', code: 32768, grammar: dsLike },
  { name: 'DLV', code: 32769, grammar: dsLike },
  // RFC 5011 key state, kept by BIND in its managed-keys zone: read as it is.
  { name: 'KEYDATA', code: 65533, genericOnly: true, grammar: (f) => f.restOctets() },
];

/** Type mnemonics that are meta or query types (RFC 6895 §3.1): never zone data. */
const META_NAMES = new Map<string, number>([['OPT', 41], ['TKEY', 249], ['TSIG', 250], ['IXFR', 251], ['AXFR', 252], ['MAILB', 253], ['MAILA', 254], ['ANY', 255]]);

const BY_NAME = new Map(TYPES.map((t) => [t.name, t]));
const BY_CODE = new Map(TYPES.map((t) => [t.code, t]));

/** Meta and query types (RFC 6895 §3.1: 128–255, and OPT), and type 0. */
export function isMetaType(code: number): boolean {
  return code === 0 || code === 41 || (code >= 128 && code <= 255);
}

export function typeByName(name: string): RrType | undefined {
  return BY_NAME.get(name);
}

export function typeByCode(code: number): RrType | undefined {
  return BY_CODE.get(code);
}

export function metaTypeCode(name: string): number | undefined {
  return META_NAMES.get(name);
}

/** The mnemonic BIND prints for a type number, or TYPEnnn. */
export function typeName(code: number): string {
  return BY_CODE.get(code)?.name ?? [...META_NAMES].find(([, c]) => c === code)?.[0] ?? `TYPE${code}`;
}

/** A type mnemonic or TYPEnnn as BIND reads it in RDATA (RRSIG type covered, NSEC bitmaps). */
export function typeCodeOf(text: string): number | undefined {
  const upper = text.toUpperCase();
  const t = BY_NAME.get(upper);
  if (t) return t.code;
  const m = META_NAMES.get(upper);
  if (m !== undefined) return m;
  if (upper.startsWith('TYPE') && upper.length > 4 && upper.length <= 9) {
    let v = 0;
    for (let i = 4; i < upper.length; i++) {
      const d = upper.charCodeAt(i) - 48;
      if (d < 0 || d > 9) return undefined;
      v = v * 10 + d;
    }
    return v <= 65535 ? v : undefined;
  }
  return undefined;
}

// --- grammars of the types with their own syntax ----------------------------------------------

/** WKS (RFC 1035 §3.4.2): address, protocol, services (numbers or names) as a bitmap. */
function wks(f: Fields): void {
  f.ipv4('address');
  if (f.generic) {
    f.u8('protocol');
    const rest = f.restOctets();
    if (rest && rest.length > 8192) f.fail('the WKS bitmap is longer than 8192 octets');
    if (rest && rest.length > 0 && rest[rest.length - 1] === 0) f.fail('the WKS bitmap ends in a zero octet');
    return;
  }
  const p = f.token('protocol');
  const proto = /^\d+$/.test(p.text) ? Number(p.text) : PROTOCOLS.get(p.text.toLowerCase());
  if (proto === undefined || proto > 255 || p.quoted) f.fail(`${JSON.stringify(p.text)} is not a protocol (a number, tcp or udp)`, p);
  f.out.byte(proto);
  let max = -1;
  while (f.more()) {
    const s = f.token('service');
    const port = /^\d+$/.test(s.text) ? Number(s.text) : SERVICES.has(s.text.toLowerCase()) ? 0 : -1;
    if (port < 0 || port > 65535 || s.quoted) f.fail(`${JSON.stringify(s.text)} is not a port number or a known service name`, s);
    max = Math.max(max, port);
  }
  f.out.bytes(new Uint8Array((max >> 3) + 1));
}

const PROTOCOLS = new Map([['ip', 0], ['icmp', 1], ['tcp', 6], ['udp', 17]]);
// The names getservbyname(3) knows on any system for the services zones list in WKS records.
const SERVICES = new Set(['echo', 'discard', 'daytime', 'ftp-data', 'ftp', 'ssh', 'telnet', 'smtp', 'time', 'nameserver', 'whois', 'domain', 'tftp', 'gopher', 'finger', 'http', 'www', 'kerberos', 'pop3', 'sunrpc', 'auth', 'nntp', 'ntp', 'imap', 'imap2', 'snmp', 'ldap', 'https', 'submission', 'imaps', 'pop3s', 'smtps', 'rsync', 'syslog', 'printer', 'uucp', 'exec', 'login', 'shell']);

/** X25 (RFC 1183 §3.1): one character-string of at least four digits. */
function x25(f: Fields): void {
  const t = f.peek();
  const s = f.string('PSDN address');
  if (s.length < 4) f.fail('an X25 address has at least 4 digits', t);
  for (const c of s) if (c < 48 || c > 57) f.fail('an X25 address is digits only', t);
}

/** NSAP (RFC 1706 §5): `0x` then hex digits, dots allowed between them, whole octets. */
function nsap(f: Fields): void {
  if (f.generic) {
    if ((f.restOctets()?.length ?? 0) === 0) f.fail('an NSAP address has at least one octet');
    return;
  }
  const t = f.token('NSAP address');
  const s = t.text;
  if (t.quoted || s.length < 3 || s[0] !== '0' || (s[1] !== 'x' && s[1] !== 'X')) f.fail(`${JSON.stringify(s)} is not an NSAP address (0x and hex digits)`, t);
  let digits = 0;
  for (let i = 2; i < s.length; i++) {
    const c = s[i];
    if (c === '.') continue;
    if (hexValue(s.charCodeAt(i)) < 0) f.fail(`${JSON.stringify(s)} is not an NSAP address (0x and hex digits)`, t);
    digits++;
  }
  if (digits === 0 || digits % 2 !== 0) f.fail('an NSAP address is whole octets: an even number of hex digits, at least two', t);
  f.out.bytes(new Uint8Array(digits / 2));
}

/** ATMA (RFC-less ATM Forum spec): `+digits` (E.164) or hex digits (AESA, dots allowed). */
function atma(f: Fields): void {
  if (f.generic) {
    const rest = f.restOctets();
    if (!rest || rest.length < 2) f.fail('an ATMA record has a format octet and an address');
    if (rest[0] === 1) for (let i = 1; i < rest.length; i++) if (rest[i] < 48 || rest[i] > 57) f.fail('an E.164 ATM address is digits only');
    return;
  }
  const t = f.token('ATM address');
  const s = t.text;
  if (t.quoted || s.length === 0) f.fail('expected an ATM address', t);
  if (s[0] === '+') {
    if (s.length < 2 || !/^\+\d+$/.test(s)) f.fail(`${JSON.stringify(s)} is not an E.164 address (+ and digits)`, t);
    f.out.byte(1);
    f.out.bytes(new Uint8Array(s.length - 1));
    return;
  }
  let digits = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '.') continue;
    if (hexValue(s.charCodeAt(i)) < 0) f.fail(`${JSON.stringify(s)} is not an ATM address (hex digits)`, t);
    digits++;
  }
  if (digits === 0 || digits % 2 !== 0) f.fail('an ATM address in hex is whole octets', t);
  f.out.byte(0);
  f.out.bytes(new Uint8Array(digits / 2));
}

/** NAPTR (RFC 3403 §4.1), the regexp checked as BIND checks it. */
function naptr(f: Fields): void {
  f.u16('order');
  f.u16('preference');
  f.string('flags');
  f.string('services');
  const rt = f.peek();
  const re = f.string('regexp');
  const why = regexpProblem(re);
  if (why) f.fail(`the NAPTR regexp is not valid: ${why}`, rt);
  f.name('replacement');
}

/**
 * RFC 3402 §3.2 substitution expression `delim ERE delim replacement delim flags`: the checks
 * BIND makes (a delimiter that is no digit, backslash or `i`; three delimiters; `i` the only
 * flag; no `\0`; back-references no higher than the groups; a well-formed ERE).
 */
export function regexpProblem(re: Uint8Array): string | undefined {
  if (re.length === 0) return undefined;
  const delim = re[0];
  if ((delim >= 48 && delim <= 57) || delim === 92 || delim === 105) return 'the delimiter may not be a digit, a backslash or i';
  let regex = '';
  let replace = false;
  let flags = false;
  let refs = 0;
  for (let i = 1; i < re.length; i++) {
    let c = re[i];
    if (c === 0) return 'a NUL octet';
    if (c === delim && !replace) {
      replace = true;
      continue;
    }
    if (c === delim && !flags) {
      flags = true;
      continue;
    }
    if (c === delim) return 'more than three delimiters';
    if (flags) {
      if (c !== 105) return `unknown flag ${String.fromCharCode(c)} (only i)`;
      continue;
    }
    if (!replace) regex += String.fromCharCode(c);
    if (c === 92) {
      if (i + 1 >= re.length) return 'a backslash at the end';
      c = re[++i];
      if (c === 0) return 'a NUL octet';
      if (replace) {
        if (c === 48) return '\\0 is not a back-reference';
        if (c > 48 && c <= 57) refs = Math.max(refs, c - 48);
      } else regex += String.fromCharCode(c);
    }
  }
  if (!flags) return 'it needs three delimiters: delim regexp delim replacement delim';
  const groups = ereGroups(regex);
  if (groups < 0) return 'the regular expression is malformed';
  if (refs > groups) return `\\${refs} refers to a group the expression does not have`;
  return undefined;
}

/** Groups in a POSIX extended regular expression, or -1 when it is malformed. */
function ereGroups(re: string): number {
  let groups = 0;
  let depth = 0;
  // Whether the last thing read can take a repetition (`*`, `+`, `?`, `{…}`).
  let atom = false;
  for (let i = 0; i < re.length; i++) {
    const c = re[i];
    switch (c) {
      case '\\':
        if (i + 1 >= re.length) return -1;
        i++;
        atom = true;
        break;
      case '(':
        groups++;
        depth++;
        atom = false;
        break;
      case ')':
        if (depth === 0) return -1;
        depth--;
        atom = true;
        break;
      case '[': {
        let j = i + 1;
        if (re[j] === '^') j++;
        if (re[j] === ']') j++;
        for (; j < re.length && re[j] !== ']'; j++) {
          if (re[j] === '[' && (re[j + 1] === ':' || re[j + 1] === '.' || re[j + 1] === '=')) {
            const close = re.indexOf(re[j + 1] + ']', j + 2);
            if (close < 0) return -1;
            j = close + 1;
          }
        }
        if (j >= re.length) return -1;
        i = j;
        atom = true;
        break;
      }
      case '*':
      case '+':
      case '?':
        if (!atom) return -1;
        break;
      case '{': {
        const close = re.indexOf('}', i);
        if (!atom || close < 0) return -1;
        const m = /^(\d{1,3})(,(\d{1,3})?)?$/.exec(re.slice(i + 1, close));
        if (!m || Number(m[1]) > 255 || (m[3] !== undefined && (Number(m[3]) > 255 || Number(m[3]) < Number(m[1])))) return -1;
        i = close;
        break;
      }
      case '|':
      case '^':
        // An anchor or an alternation takes no repetition after it.
        atom = false;
        break;
      default:
        atom = true;
    }
  }
  return depth === 0 ? groups : -1;
}

/** CERT's type: a number or a mnemonic (RFC 4398 §2.1). */
function certType(f: Fields): void {
  if (f.generic) {
    f.u16('certificate type');
    return;
  }
  const t = f.peek();
  if (t && !t.quoted && !/^\d/.test(t.text)) {
    f.token('certificate type');
    if (!CERT_TYPES.has(t.text.toUpperCase())) f.fail(`${JSON.stringify(t.text)} is not a certificate type (PKIX, SPKI, PGP, …, or a number)`, t);
    f.out.bytes([0, 0]);
    return;
  }
  f.u16('certificate type');
}

/** A6 (RFC 2874 §3.1.1): prefix length, the address suffix, and the prefix name. */
function a6(f: Fields): void {
  const t = f.peek();
  const len = f.u8('prefix length');
  if (len > 128) f.fail('an A6 prefix length is at most 128', t);
  const suffix = 16 - (len >> 3);
  if (f.generic) {
    const rest = f.restOctets() ?? new Uint8Array(0);
    if (rest.length < suffix) f.fail('the A6 address suffix is cut short');
    // RFC 2874 §3.1.1: the bits of the suffix's first octet that the prefix covers are zero.
    if (suffix > 0 && len % 8 !== 0 && (rest[0] & ~(0xff >> len % 8) & 0xff) !== 0) f.fail('the A6 address suffix has bits set inside the prefix');
    if (len > 0 && wireNameLength(rest, suffix) !== rest.length - suffix) f.fail('an A6 record with a prefix length ends with the prefix name');
    if (len === 0 && rest.length > suffix) f.fail('extra data after the A6 address');
    return;
  }
  if (len < 128) {
    const a = f.token('address suffix');
    if (a.quoted || parseIpv6(a.text) === undefined) f.fail(`${JSON.stringify(a.text)} is not an IPv6 address`, a);
    f.out.bytes(new Uint8Array(suffix));
  }
  if (len > 0) f.name('prefix name');
}

/** APL (RFC 3123 §5): `[!]afi:address/prefix` items. */
function apl(f: Fields): void {
  if (f.generic) {
    const rest = f.restOctets() ?? new Uint8Array(0);
    let i = 0;
    while (i < rest.length) {
      if (i + 4 > rest.length) f.fail('an APL item is cut short');
      const afi = (rest[i] << 8) | rest[i + 1];
      const prefix = rest[i + 2];
      const len = rest[i + 3] & 0x7f;
      if ((afi === 1 && (prefix > 32 || len > 4)) || (afi === 2 && (prefix > 128 || len > 16))) f.fail('an APL item does not fit its address family');
      if (i + 4 + len > rest.length) f.fail('an APL item is cut short');
      // RFC 3123 §4: no trailing zero octets in the address part.
      if (len > 0 && rest[i + 3 + len] === 0) f.fail('an APL address part ends in a zero octet');
      i += 4 + len;
    }
    return;
  }
  while (f.more()) {
    const t = f.token('APL item');
    const m = /^(!?)(\d+):([^/]*)\/(\d+)$/.exec(t.text);
    if (t.quoted || !m) f.fail(`${JSON.stringify(t.text)} is not an APL item ([!]family:address/prefix)`, t);
    const afi = Number(m[2]);
    const prefix = Number(m[4]);
    if (afi > 65535 || m[2].length > 5) f.fail(`${m[2]} is not an address family`, t);
    let bytes: Uint8Array | undefined;
    if (afi === 1) {
      if (prefix > 32) f.fail('an IPv4 prefix is at most 32', t);
      bytes = ipv4Bytes(m[3]);
      if (!bytes) f.fail(`${JSON.stringify(m[3])} is not an IPv4 address`, t);
    } else if (afi === 2) {
      if (prefix > 128) f.fail('an IPv6 prefix is at most 128', t);
      bytes = parseIpv6(m[3]);
      if (!bytes) f.fail(`${JSON.stringify(m[3])} is not an IPv6 address`, t);
    } else f.fail(`address family ${afi} is neither 1 (IPv4) nor 2 (IPv6)`, t);
    let len = bytes.length;
    while (len > 0 && bytes[len - 1] === 0) len--;
    f.out.bytes(new Uint8Array(4 + len));
  }
}

/** SSHFP (RFC 4255 §3.2), fingerprint lengths as BIND checks them (RFC 6594). */
function sshfp(f: Fields): void {
  f.u8('algorithm');
  const type = f.u8('fingerprint type');
  const t = f.peek();
  // BIND reads the fingerprint as optional; its length is checked for SHA-1 and SHA-256 only.
  const n = f.hexRest('fingerprint', true);
  const want = type === 1 ? 20 : type === 2 ? 32 : undefined;
  if (want !== undefined && n !== want) f.fail(`a type ${type} fingerprint is ${want} octets long, this one ${n}`, t);
}

/** IPSECKEY (RFC 4025 §3.1). */
function ipseckey(f: Fields): void {
  f.u8('precedence');
  const tt = f.peek();
  const type = f.u8('gateway type');
  f.u8('algorithm');
  gateway(f, type, tt, 'gateway');
  f.base64Rest('public key');
}

/** The gateway/relay of IPSECKEY and AMTRELAY by its type: none (`.`), IPv4, IPv6, a name. */
function gateway(f: Fields, type: number, typeToken: Token | undefined, what: string): void {
  switch (type) {
    case 0:
      if (f.generic) return;
      {
        const g = f.token(what);
        if (g.text !== '.' || g.quoted) f.fail(`gateway type 0 means no ${what}: write "."`, g);
      }
      return;
    case 1:
      f.ipv4(what);
      return;
    case 2:
      f.ipv6(what);
      return;
    case 3:
      f.name(what);
      return;
    default:
      f.fail(`${what} type ${type} is not 0, 1, 2 or 3`, typeToken);
  }
}

/** TLSA, SMIMEA (RFC 6698 §2.2). */
function tlsaLike(f: Fields): void {
  f.u8('certificate usage');
  f.u8('selector');
  f.u8('matching type');
  f.hexRest('certificate association data');
}

/** HIP (RFC 8005 §3): algorithm, HIT (hex), public key (base64), rendezvous servers. */
function hip(f: Fields): void {
  if (f.generic) {
    const rest = f.restOctets() ?? new Uint8Array(0);
    if (rest.length < 4) f.fail('a HIP record is cut short');
    const hitLen = rest[0];
    const keyLen = (rest[2] << 8) | rest[3];
    if (hitLen === 0 || keyLen === 0 || 4 + hitLen + keyLen > rest.length) f.fail('a HIP record is cut short');
    let i = 4 + hitLen + keyLen;
    while (i < rest.length) {
      const n = wireNameLength(rest, i);
      if (n < 0) f.fail('a rendezvous server name is malformed');
      i += n;
    }
    return;
  }
  f.out.byte(0);
  f.u8('public key algorithm');
  f.out.bytes([0, 0]);
  const ht = f.peek();
  const hit = f.hexToken('HIT');
  if (hit > 255) f.fail('a HIT is at most 255 octets', ht);
  const kt = f.peek();
  const key = f.base64Token('public key');
  if (key > 65535) f.fail('the public key is too long', kt);
  while (f.more()) f.name('rendezvous server');
}

/** ZONEMD (RFC 8976 §2.2): digest lengths as BIND checks them. */
function zonemd(f: Fields): void {
  f.u32('serial');
  f.u8('scheme');
  const alg = f.u8('hash algorithm');
  const t = f.peek();
  const n = f.hexRest('digest');
  // RFC 8976 §2.2.4: SHA384 48 octets, SHA512 64; any digest is at least 12 octets.
  const want = alg === 1 ? 48 : alg === 2 ? 64 : undefined;
  if (want !== undefined && n !== want) f.fail(`a hash algorithm ${alg} digest is ${want} octets long, this one ${n}`, t);
  if (n < 12) f.fail('a ZONEMD digest is at least 12 octets long', t);
}

/** DSYNC (RFC 9859): the scheme, a number or NOTIFY. */
function dsyncScheme(f: Fields): void {
  const t = f.peek();
  if (!f.generic && t && !t.quoted && t.text.toUpperCase() === 'NOTIFY') {
    f.token('scheme');
    f.out.byte(1);
    return;
  }
  f.u8('scheme');
}

/** NID, L64 (RFC 6742 §2.1): a 64-bit locator written as four groups of hex. */
function locator64(f: Fields): void {
  if (f.generic) {
    const rest = f.restOctets();
    if (!rest || rest.length !== 8) f.fail('a 64-bit locator is 8 octets');
    return;
  }
  const t = f.token('locator');
  if (t.quoted || !/^[0-9A-Fa-f]{1,4}(:[0-9A-Fa-f]{1,4}){3}$/.test(t.text)) f.fail(`${JSON.stringify(t.text)} is not a 64-bit locator (four groups of 1-4 hex digits)`, t);
  f.out.bytes(new Uint8Array(8));
}

/** EUI48/EUI64 (RFC 7043 §3.2, §4.2): hex pairs joined by hyphens. */
function eui(f: Fields, octets: number): void {
  if (f.generic) {
    const rest = f.restOctets();
    if (!rest || rest.length !== octets) f.fail(`an EUI${octets * 8} is ${octets} octets`);
    return;
  }
  const t = f.token('address');
  // BIND reads it with sscanf("%2x-%2x-…"): what follows the last pair is not looked at.
  const re = octets === 6 ? /^[0-9A-Fa-f]{1,2}(-[0-9A-Fa-f]{1,2}){5}/ : /^[0-9A-Fa-f]{1,2}(-[0-9A-Fa-f]{1,2}){7}/;
  if (t.quoted || !re.test(t.text)) f.fail(`${JSON.stringify(t.text)} is not an EUI-${octets * 8} (${octets} hex pairs joined by -)`, t);
  f.out.bytes(new Uint8Array(octets));
}

/** URI (RFC 7553 §4.5): priority, weight and the target as one quoted string. */
function uri(f: Fields): void {
  f.u16('priority');
  f.u16('weight');
  if (f.generic) {
    f.restOctets();
    return;
  }
  const t = f.token('target');
  if (!t.quoted) f.fail('the URI target is a quoted string', t);
  f.out.bytes(new Uint8Array(stringOctets(f, t, 65535).length));
}

/** CAA (RFC 8659 §4.1): flags, tag (letters and digits), value (any length). */
function caa(f: Fields): void {
  f.u8('flags');
  if (f.generic) {
    const rest = f.restOctets();
    if (!rest || rest.length < 1 || rest[0] === 0 || 1 + rest[0] > rest.length) f.fail('a CAA tag is 1 to 255 letters and digits');
    for (let i = 1; i <= rest[0]; i++) if (!isAlnum(rest[i])) f.fail('a CAA tag is letters and digits');
    return;
  }
  const t = f.token('tag');
  if (t.quoted || t.text.length === 0 || t.text.length > 255 || !/^[A-Za-z0-9]+$/.test(t.text)) f.fail(`${JSON.stringify(t.text)} is not a CAA tag (letters and digits)`, t);
  f.out.byte(t.text.length);
  f.out.bytes(new Uint8Array(t.text.length));
  const v = f.token('value');
  f.out.bytes(new Uint8Array(stringOctets(f, v, 65535).length));
}

/** DOA (draft-durand-doa-over-dns): enterprise, type, location, media type, data (base64 or -). */
function doa(f: Fields): void {
  f.u32('enterprise');
  f.u32('type');
  f.u8('location');
  f.string('media type');
  if (f.generic) {
    f.restOctets();
    return;
  }
  const t = f.peek();
  if (t && t.text === '-' && !t.quoted) {
    f.token('data');
    return;
  }
  f.base64Rest('data');
}

/** AMTRELAY (RFC 8777 §4.2): precedence, discovery-optional bit, relay type, relay. */
function amtrelay(f: Fields): void {
  f.u8('precedence');
  if (f.generic) {
    const rest = f.restOctets() ?? new Uint8Array(0);
    if (rest.length < 1) f.fail('an AMTRELAY record is cut short');
    const type = rest[0] & 0x7f;
    const relay = rest.length - 1;
    // Types above 3 carry data BIND does not look into.
    if ((type === 0 && relay !== 0) || (type === 1 && relay !== 4) || (type === 2 && relay !== 16)) f.fail('the relay does not fit its type');
    if (type === 3 && wireNameLength(rest, 1) !== relay) f.fail('the relay name is malformed');
    return;
  }
  const dt = f.peek();
  const d = f.u8('discovery optional');
  if (d > 1) f.fail('the discovery-optional bit is 0 or 1', dt);
  const tt = f.peek();
  const type = f.u8('relay type');
  if (type > 127) f.fail('the relay type is at most 127', tt);
  // RFC 8777 §4.3.1: type 0 has no relay, written ".".
  if (type > 3) f.fail(`relay type ${type} is not 0, 1, 2 or 3`, tt);
  gateway(f, type, tt, 'relay');
}

/** NXT (RFC 2535 §5.2): the types present, each below 128. */
function nxtBitmap(f: Fields): void {
  if (f.generic) {
    const rest = f.restOctets() ?? new Uint8Array(0);
    // RFC 2535 §5.2: at most 16 octets, bit 0 clear, no trailing zero octet.
    if (rest.length > 16 || (rest.length > 0 && ((rest[0] & 0x80) !== 0 || rest[rest.length - 1] === 0))) f.fail('the NXT bitmap is malformed');
    return;
  }
  let max = -1;
  while (f.more()) {
    const t = f.token('type');
    const code = t.quoted ? undefined : typeCodeOf(t.text);
    if (code === undefined || code > 127 || code === 0) f.fail(`${JSON.stringify(t.text)} is not a type an NXT record can list (1 to 127)`, t);
    max = Math.max(max, code);
  }
  if (max >= 0) f.out.bytes(new Uint8Array((max >> 3) + 1));
}

/** SVCB, HTTPS (RFC 9460 §2.1): priority, target, and in ServiceMode the SvcParams. */
function svcb(f: Fields): void {
  f.u16('priority');
  // RFC 9460 §2.1: BIND reads the target as a possibly quoted string.
  f.name('target', true);
  // BIND 9.18 reads SvcParams in AliasMode too (RFC 9460 §2.4.2 says to ignore them there).
  if (f.generic) {
    svcParamsWire(f, f.restOctets() ?? new Uint8Array(0));
    return;
  }
  const params: { key: number; value: Uint8Array; token: Token }[] = [];
  while (f.more()) {
    let t = f.token('SvcParam');
    // key="quoted value": one SvcParam, although the quote starts a token of its own here.
    const next = f.peek();
    if (!t.quoted && t.text.endsWith('=') && next && next.quoted && next.start === t.end) {
      f.token('SvcParam value');
      t = { text: t.text + next.text, start: t.start, end: next.end, quoted: false };
    }
    const p = svcParamText(f, t);
    params.push({ ...p, token: t });
    f.out.bytes(new Uint8Array(4 + p.value.length));
  }
  const why = svcParamsProblem(params.map((p) => p.key).sort((a, b) => a - b), params);
  if (why) f.fail(why.message, why.token ?? params[params.length - 1]?.token);
}

// RFC 9460 §14.3.2, as BIND 9.18 knows them.
const SVC_KEYS = new Map<string, number>([['mandatory', 0], ['alpn', 1], ['no-default-alpn', 2], ['port', 3], ['ipv4hint', 4], ['ech', 5], ['ipv6hint', 6], ['dohpath', 7]]);

/** One `key=value` SvcParam in presentation form (RFC 9460 §2.1, Appendix A). */
function svcParamText(f: Fields, t: Token): { key: number; value: Uint8Array } {
  const raw = t.text;
  const eq = t.quoted ? -1 : raw.indexOf('=');
  const keyText = eq < 0 ? raw : raw.slice(0, eq);
  const valueText = eq < 0 ? undefined : raw.slice(eq + 1);
  let key = SVC_KEYS.get(keyText);
  let numeric = false;
  if (key === undefined) {
    const m = /^key(0|[1-9]\d{0,4})$/.exec(keyText);
    if (!m || Number(m[1]) > 65535) f.fail(`${JSON.stringify(keyText)} is not a SvcParamKey (mandatory, alpn, no-default-alpn, port, ipv4hint, ech, ipv6hint, dohpath or keyNNNNN)`, t);
    key = Number(m[1]);
    numeric = true;
  }
  if (t.quoted) f.fail('a SvcParam is key or key=value, not a quoted string', t);
  // The value as octets: escapes decoded once (RFC 9460 Appendix A.1).
  const decoded = valueText === undefined ? undefined : decodeEscapes(valueText);
  if (decoded === null) return f.fail(`bad escape in ${JSON.stringify(raw)}`, t);
  const value: Uint8Array | undefined = decoded;
  const bad: (why: string) => never = (why) => f.fail(`${keyText}: ${why}`, t);
  if (numeric) {
    // keyNNNNN=value: the value's octets as they are, checked as the wire form of that key.
    const v = value ?? new Uint8Array(0);
    const why = svcValueWireProblem(key, v);
    if (why) bad(why);
    return { key, value: v };
  }
  switch (key) {
    case 0: {
      // mandatory: a comma-separated list of keys, no duplicates, not itself.
      if (!value || value.length === 0) bad('needs a list of keys');
      const keys: number[] = [];
      for (const item of splitList(value)) {
        const name = String.fromCharCode(...item);
        let k = SVC_KEYS.get(name);
        if (k === undefined) {
          const m = /^key(0|[1-9]\d{0,4})$/.exec(name);
          if (!m || Number(m[1]) > 65535) bad(`${JSON.stringify(name)} is not a SvcParamKey`);
          k = Number(m[1]);
        }
        keys.push(k);
      }
      if (keys.some((k, i) => keys.indexOf(k) !== i)) bad('a key is listed twice');
      return { key, value: keyList(keys) };
    }
    case 1: {
      // alpn: a non-empty comma-separated list of non-empty ids (RFC 9460 §7.1.1).
      if (!value || value.length === 0) bad('needs a list of protocol ids');
      const items = splitList(value);
      if (items.some((i) => i.length === 0 || i.length > 255)) bad('an empty protocol id (two commas in a row, or a comma at an end)');
      return { key, value: new Uint8Array(items.reduce((n, i) => n + 1 + i.length, 0)) };
    }
    case 2:
      if (value !== undefined) bad('takes no value');
      return { key, value: new Uint8Array(0) };
    case 3: {
      const s = value ? String.fromCharCode(...value) : '';
      if (!/^\d+$/.test(s) || Number(s) > 65535) bad('needs a port number (0-65535)');
      return { key, value: new Uint8Array(2) };
    }
    case 4:
    case 6: {
      const s = value ? String.fromCharCode(...value) : '';
      const parts = s.split(',');
      for (const p of parts) if (!(key === 4 ? ipv4Bytes(p) : parseIpv6(p))) bad(`${JSON.stringify(p)} is not an ${key === 4 ? 'IPv4' : 'IPv6'} address`);
      return { key, value: new Uint8Array(parts.length * (key === 4 ? 4 : 16)) };
    }
    case 5: {
      const s = value ? String.fromCharCode(...value) : '';
      const n = s === '' ? 0 : base64Length(s);
      if (n < 0) bad('needs base64');
      return { key, value: new Uint8Array(n) };
    }
    case 7: {
      // RFC 9461 §5: a relative URI template with the "dns" variable.
      const s = value ? Buffer.from(value).toString('latin1') : '';
      if (!dohPathOk(s)) bad('needs a URI template starting with / that has the dns variable (/dns-query{?dns})');
      return { key, value: value ?? new Uint8Array(0) };
    }
    default:
      return { key, value: value ?? new Uint8Array(0) };
  }
}

/** RFC 9461 §5: `dohpath` is a relative URI template (RFC 6570) with a `dns` variable. */
function dohPathOk(s: string): boolean {
  if (!s.startsWith('/')) return false;
  for (const m of s.matchAll(/\{[+#./;?&]?([^}]*)\}/g)) {
    if (m[1].split(',').some((v) => v.replace(/(\*|:\d+)$/, '') === 'dns')) return true;
  }
  return false;
}

function keyList(keys: number[]): Uint8Array {
  const out = new Uint8Array(keys.length * 2);
  keys.forEach((k, i) => {
    out[2 * i] = k >> 8;
    out[2 * i + 1] = k & 0xff;
  });
  return out;
}

/** The SvcParams in wire form (RFC 9460 §2.2): ascending keys, each value the shape its key has. */
function svcParamsWire(f: Fields, rest: Uint8Array): void {
  const params: { key: number; value: Uint8Array }[] = [];
  let i = 0;
  let last = -1;
  while (i < rest.length) {
    if (i + 4 > rest.length) f.fail('a SvcParam is cut short');
    const key = (rest[i] << 8) | rest[i + 1];
    const len = (rest[i + 2] << 8) | rest[i + 3];
    if (i + 4 + len > rest.length) f.fail('a SvcParam value is cut short');
    if (key <= last) f.fail('SvcParams must be in ascending key order, each key once');
    last = key;
    const value = rest.subarray(i + 4, i + 4 + len);
    const why = svcValueWireProblem(key, value);
    if (why) f.fail(why);
    params.push({ key, value });
    i += 4 + len;
  }
  const why = svcParamsProblem(
    params.map((p) => p.key),
    params,
  );
  if (why) f.fail(why.message);
}

function svcValueWireProblem(key: number, v: Uint8Array): string | undefined {
  switch (key) {
    case 0:
      if (v.length === 0 || v.length % 2 !== 0) return 'mandatory: a list of keys';
      for (let i = 2; i < v.length; i += 2) if (((v[i - 2] << 8) | v[i - 1]) >= ((v[i] << 8) | v[i + 1])) return 'mandatory: keys in ascending order, each once';
      return undefined;
    case 1: {
      if (v.length === 0) return 'alpn: an empty list';
      let i = 0;
      while (i < v.length) {
        if (v[i] === 0 || i + 1 + v[i] > v.length) return 'alpn: a malformed protocol id';
        i += 1 + v[i];
      }
      return undefined;
    }
    case 2:
      return v.length === 0 ? undefined : 'no-default-alpn: takes no value';
    case 7:
      return dohPathOk(Buffer.from(v).toString('latin1')) ? undefined : 'dohpath: a URI template with the dns variable';
    case 3:
      return v.length === 2 ? undefined : 'port: two octets';
    case 4:
      return v.length > 0 && v.length % 4 === 0 ? undefined : 'ipv4hint: whole IPv4 addresses';
    case 6:
      return v.length > 0 && v.length % 16 === 0 ? undefined : 'ipv6hint: whole IPv6 addresses';
    default:
      return undefined;
  }
}

/**
 * The rules across SvcParams (RFC 9460 §8): each key once; `mandatory` not alone, not listing
 * itself, and every key it lists present; `no-default-alpn` only with `alpn`.
 */
function svcParamsProblem(sortedKeys: number[], params: { key: number; value: Uint8Array; token?: Token }[]): { message: string; token?: Token } | undefined {
  for (let i = 1; i < sortedKeys.length; i++) {
    if (sortedKeys[i] === sortedKeys[i - 1]) {
      const dup = params.filter((p) => p.key === sortedKeys[i])[1];
      return { message: `SvcParamKey ${sortedKeys[i]} appears twice`, token: dup?.token };
    }
  }
  const present = new Set(sortedKeys);
  if (present.has(2) && !present.has(1)) return { message: 'no-default-alpn needs an alpn SvcParam beside it', token: params.find((p) => p.key === 2)?.token };
  const man = params.find((p) => p.key === 0);
  if (man) {
    if (params.length === 1) return { message: 'mandatory lists keys that are not there', token: man.token };
    for (let i = 0; i + 1 < man.value.length; i += 2) {
      const k = (man.value[i] << 8) | man.value[i + 1];
      if (k === 0) return { message: 'mandatory may not list itself', token: man.token };
      if (!present.has(k)) return { message: `mandatory lists key ${k}, which is not there`, token: man.token };
    }
  }
  return undefined;
}

/** A value list (RFC 9460 Appendix A.1): items split at commas not escaped with a backslash. */
function splitList(v: Uint8Array): Uint8Array[] {
  const items: Uint8Array[] = [];
  let cur: number[] = [];
  for (let i = 0; i < v.length; i++) {
    const c = v[i];
    if (c === 92 && i + 1 < v.length) {
      cur.push(v[++i]);
    } else if (c === 44) {
      items.push(Uint8Array.from(cur));
      cur = [];
    } else cur.push(c);
  }
  items.push(Uint8Array.from(cur));
  return items;
}

// --- the text reader ---------------------------------------------------------------------------

/** Reads presentation-format RDATA tokens (RFC 1035 §5.1), as BIND's lexer hands them out. */
export class TextFields implements Fields {
  readonly generic = false;
  readonly names: NameUse[] = [];
  private i = 0;

  constructor(
    private readonly toks: Token[],
    readonly out: Octets,
    /** Completes a name token with the record's origin; throws an RdataError when malformed. */
    private readonly complete: (t: Token) => string,
    /** The token errors at the end of the record point at. */
    private readonly endToken: Token,
    /** When given, each field read adds its value in one canonical spelling: a key to compare records by. */
    readonly key?: string[],
  ) {}

  fail(message: string, token?: Token): never {
    throw new RdataError(message, token);
  }

  more(): boolean {
    return this.i < this.toks.length;
  }

  peek(): Token | undefined {
    return this.toks[this.i];
  }

  token(what: string): Token {
    const t = this.toks[this.i];
    if (!t) throw new RdataError(`the record ends where ${the(what)} should be`, this.last());
    this.i++;
    this.key?.push(t.quoted ? `"${t.text}"` : t.text);
    return t;
  }

  private last(): Token {
    return this.toks[this.toks.length - 1] ?? this.endToken;
  }

  private number(what: string, max: number): number {
    const t = this.token(what);
    if (t.quoted) this.fail(`the ${what} is a number, not a quoted string`, t);
    const s = t.text;
    if (s.length === 0 || !/^\d+$/.test(s)) this.fail(`${JSON.stringify(s)} is not a number (the ${what})`, t);
    const digits = s.replace(/^0+(?=\d)/, '');
    const v = digits.length > 10 ? Infinity : Number(digits);
    if (v > max) this.fail(`${s} is out of range: the ${what} is at most ${max}`, t);
    if (this.key) this.key[this.key.length - 1] = String(v);
    return v;
  }

  u8(what: string): number {
    const v = this.number(what, 255);
    this.out.byte(v);
    return v;
  }

  u16(what: string): number {
    const v = this.number(what, 65535);
    this.out.bytes([v >> 8, v & 0xff]);
    return v;
  }

  u32(what: string): number {
    const v = this.number(what, 4294967295);
    this.out.bytes([0, 0, 0, 0]);
    return v;
  }

  period(what: string): number {
    const t = this.token(what);
    const v = t.quoted ? -1 : parsePeriod(t.text);
    if (v < 0) this.fail(`${JSON.stringify(t.text)} is not a time value (seconds, or units like 1h30m) for the ${what}`, t);
    this.out.bytes([0, 0, 0, 0]);
    if (this.key) this.key[this.key.length - 1] = String(v);
    return v;
  }

  name(what: string, quotedOk = false): string {
    const t = this.token(what);
    if (t.quoted && !quotedOk) this.fail(`the ${what} is a domain name, not a quoted string`, t);
    // A quoted name: its spaces and specials are part of the labels, as if escaped.
    const name = this.complete(t.quoted ? { ...t, text: t.text.replace(/[ \t;()]/g, (c) => `\\${String(c.charCodeAt(0)).padStart(3, '0')}`), quoted: false } : t);
    this.names.push({ name, index: this.i - 1 });
    if (this.key) this.key[this.key.length - 1] = name;
    this.out.bytes(nameWire(name));
    return name;
  }

  ipv4(what: string): void {
    const t = this.token(what);
    const b = t.quoted ? undefined : ipv4Bytes(t.text);
    if (!b) this.fail(`${JSON.stringify(t.text)} is not ${what.startsWith('an ') ? what : 'an IPv4 address'} (four numbers 0-255, no leading zeros)`, t);
    this.out.bytes(b);
  }

  ipv6(what: string): void {
    const t = this.token(what);
    const b = t.quoted ? undefined : parseIpv6(t.text);
    if (!b) this.fail(`${JSON.stringify(t.text)} is not ${what.startsWith('an ') ? what : 'an IPv6 address'}`, t);
    this.out.bytes(b);
    if (this.key) this.key[this.key.length - 1] = Buffer.from(b).toString('hex');
  }

  string(what: string): Uint8Array {
    const t = this.token(what);
    const b = stringOctets(this, t, 255);
    this.out.byte(b.length);
    this.out.bytes(b);
    if (this.key) this.key[this.key.length - 1] = Buffer.from(b).toString('hex');
    return b;
  }

  strings(what: string): void {
    this.string(what);
    while (this.more()) this.string(what);
  }

  algorithm(what: string): number {
    const t = this.peek();
    if (t && !t.quoted && t.text.length > 0 && !/^\d/.test(t.text)) {
      this.i++;
      const v = ALGORITHMS.get(t.text.toUpperCase());
      if (v === undefined) this.fail(`${JSON.stringify(t.text)} is not a DNSSEC algorithm (a number, or RSASHA256, ECDSAP256SHA256, ED25519, …)`, t);
      this.out.byte(v);
      this.key?.push(String(v));
      return v;
    }
    return this.u8(what);
  }

  keyFlags(): number {
    const t = this.peek();
    // BIND reads a token that starts with a digit as a number, decimal or else hex ("0x" optional),
    // and anything else as flag names joined with `|`.
    if (t && !t.quoted && /^\d/.test(t.text) && t.text.length <= 12) {
      const v = /^\d+$/.test(t.text) ? Number(t.text) : /^(0[xX])?[0-9A-Fa-f]+$/.test(t.text) ? parseInt(t.text.replace(/^0[xX]/, ''), 16) : -1;
      if (v >= 0) {
        this.i++;
        if (v > 0xffff) this.fail(`${t.text} is out of range: the flags are at most 65535 (0xffff)`, t);
        this.out.bytes([v >> 8, v & 0xff]);
        this.key?.push(String(v));
        return v;
      }
    }
    if (t && !t.quoted) {
      this.i++;
      let v = 0;
      for (const part of t.text.split('|')) {
        // BIND takes the first flag whose name starts with what is written (`Z` is ZONE).
        const upper = part.toUpperCase();
        const f = [...KEY_FLAGS].find(([name]) => name.startsWith(upper))?.[1];
        if (f === undefined) this.fail(`${JSON.stringify(part)} is not a key flag (a number, or ZONE, KSK, NOKEY, …)`, t);
        v |= f;
      }
      this.out.bytes([v >> 8, v & 0xff]);
      this.key?.push(String(v));
      return v;
    }
    return this.u16('flags');
  }

  keyProtocol(): number {
    const t = this.peek();
    if (t && !t.quoted && t.text.length > 0 && !/^\d/.test(t.text)) {
      this.i++;
      const v = KEY_PROTOCOLS.get(t.text.toUpperCase());
      if (v === undefined) this.fail(`${JSON.stringify(t.text)} is not a key protocol (a number, or DNSSEC)`, t);
      this.out.byte(v);
      this.key?.push(String(v));
      return v;
    }
    return this.u8('protocol');
  }

  rrtype(what: string): number {
    const t = this.token(what);
    // BIND reads a plain number as the type's number here (not in type bitmaps).
    if (!t.quoted && /^\d+$/.test(t.text)) {
      const n = t.text.length > 5 ? 65536 : Number(t.text);
      if (n > 65535) this.fail(`${t.text} is out of range: a type is at most 65535`, t);
      this.out.bytes([n >> 8, n & 0xff]);
      if (this.key) this.key[this.key.length - 1] = String(n);
      return n;
    }
    const v = t.quoted ? undefined : typeCodeOf(t.text);
    if (v === undefined) this.fail(`${JSON.stringify(t.text)} is not a record type (the ${what})`, t);
    this.out.bytes([v >> 8, v & 0xff]);
    if (this.key) this.key[this.key.length - 1] = String(v);
    return v;
  }

  time(what: string, dateOnly = false): void {
    const t = this.token(what);
    if (t.quoted || !validTime(t.text) || (dateOnly && t.text.length !== 14)) this.fail(`${JSON.stringify(t.text)} is not a time (YYYYMMDDHHmmSS, or seconds since 1970) for the ${what}`, t);
    this.out.bytes([0, 0, 0, 0]);
  }

  digestType(): number {
    const t = this.peek();
    if (t && !t.quoted && t.text.length > 0 && !/^\d/.test(t.text)) {
      this.i++;
      const v = DIGEST_TYPES.get(t.text.toUpperCase());
      if (v === undefined) this.fail(`${JSON.stringify(t.text)} is not a digest type (a number, or SHA-1, SHA-256, SHA-384)`, t);
      this.out.byte(v);
      this.key?.push(String(v));
      return v;
    }
    return this.u8('digest type');
  }

  /** Tokens to the end, decoded together: BIND joins them (whitespace is allowed anywhere). */
  private rest(what: string, optional: boolean, decode: (s: string) => number, kind: string): number {
    if (!this.more()) {
      if (optional) return 0;
      this.fail(`the record ends where ${the(what)} (${kind}) should be`, this.last());
    }
    let text = '';
    const first = this.toks[this.i];
    while (this.more()) {
      const t = this.toks[this.i++];
      if (t.quoted) this.fail(`the ${what} is ${kind}, not a quoted string`, t);
      text += t.text;
    }
    const n = decode(text);
    if (n < 0) this.fail(`the ${what} is not valid ${kind}`, first);
    this.out.bytes(new Uint8Array(n));
    this.key?.push(kind === 'hex' ? text.toLowerCase() : text);
    return n;
  }

  base64Rest(what: string, optional = false): number {
    return this.rest(what, optional, base64Length, 'base64');
  }

  hexRest(what: string, optional = false): number {
    return this.rest(what, optional, hexLength, 'hex');
  }

  hexToken(what: string): number {
    const t = this.token(what);
    const n = t.quoted ? -1 : hexLength(t.text);
    if (n <= 0) this.fail(`${JSON.stringify(t.text)} is not hex (the ${what})`, t);
    if (this.key) this.key[this.key.length - 1] = t.text.toLowerCase();
    this.out.bytes(new Uint8Array(n));
    return n;
  }

  base64Token(what: string): number {
    const t = this.token(what);
    const n = t.quoted ? -1 : base64Length(t.text);
    if (n <= 0) this.fail(`${JSON.stringify(t.text)} is not base64 (the ${what})`, t);
    this.out.bytes(new Uint8Array(n));
    return n;
  }

  salt(): void {
    const t = this.token('salt');
    if (!t.quoted && t.text === '-') {
      this.out.byte(0);
      return;
    }
    const n = t.quoted ? -1 : hexLength(t.text);
    if (n <= 0 || n > 255) this.fail(`${JSON.stringify(t.text)} is not a salt (hex, at most 255 octets, or - for none)`, t);
    if (this.key) this.key[this.key.length - 1] = t.text.toLowerCase();
    this.out.byte(n);
    this.out.bytes(new Uint8Array(n));
  }

  base32(what: string): number {
    const t = this.token(what);
    this.lastBase32 = t;
    const n = t.quoted ? -1 : base32hexLength(t.text);
    if (n <= 0 || n > 255) this.fail(`${JSON.stringify(t.text)} is not base32hex without padding (the ${what}, RFC 5155 §3.3)`, t);
    if (this.key) this.key[this.key.length - 1] = t.text.toLowerCase();
    this.out.byte(n);
    this.out.bytes(new Uint8Array(n));
    return n;
  }

  /** The last base32 token read (errors about the hash point at it). */
  lastBase32: Token | undefined;

  bitmap(nonEmpty: boolean): void {
    const windows = new Map<number, number>();
    const codes: number[] = [];
    while (this.more()) {
      const t = this.toks[this.i++];
      const code = t.quoted ? undefined : typeCodeOf(t.text);
      if (code === undefined) this.fail(`${JSON.stringify(t.text)} is not a record type`, t);
      codes.push(code);
      const w = code >> 8;
      windows.set(w, Math.max(windows.get(w) ?? 0, ((code & 0xff) >> 3) + 1));
    }
    if (nonEmpty && windows.size === 0) this.fail('the type bitmap is empty: list at least the types at this name', this.last());
    this.key?.push([...new Set(codes)].sort((a, b) => a - b).join(','));
    for (const len of windows.values()) this.out.bytes(new Uint8Array(2 + len));
  }

  restOctets(): Uint8Array | undefined {
    return undefined;
  }

  end(): void {
    const t = this.toks[this.i];
    if (t) this.fail(`unexpected ${JSON.stringify(t.text)} after the RDATA`, t);
  }
}

/**
 * A character-string token's octets (RFC 1035 §5.1): `\DDD` is one octet (at most 255), `\X` is
 * X, everything else its UTF-8 octets; at most `max` octets.
 */
function stringOctets(f: Fields, t: Token, max: number): Uint8Array {
  const b = decodeEscapes(t.text);
  if (b === null) throw new RdataError(`bad escape in ${JSON.stringify(t.text)}: \\DDD needs three digits and is at most 255`, t, 'zone-bad-escape');
  if (b.length > max) throw new RdataError(`character-string of ${b.length} bytes; one string holds at most ${max} (RFC 1035 §3.3): split it into several quoted strings`, t, 'zone-string-too-long');
  void f;
  return b;
}

/** Escapes decoded to octets; null when a `\DDD` is malformed or over 255, or a backslash ends the text. */
export function decodeEscapes(raw: string): Uint8Array | null {
  if (raw.indexOf('\\') < 0 && !/[^\x00-\x7f]/.test(raw)) {
    const out = new Uint8Array(raw.length);
    for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
    return out;
  }
  const out: number[] = [];
  let run = '';
  const flush = () => {
    if (run !== '') for (const b of Buffer.from(run, 'utf8')) out.push(b);
    run = '';
  };
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c !== 92) {
      run += raw[i];
      continue;
    }
    flush();
    if (i + 1 >= raw.length) return null;
    const d = raw.charCodeAt(i + 1);
    if (d >= 48 && d <= 57) {
      const v = decimalEscape(raw, i);
      if (v < 0) return null;
      out.push(v);
      i += 3;
    } else {
      run += raw[i + 1];
      i++;
    }
  }
  flush();
  return Uint8Array.from(out);
}

// --- the wire reader ---------------------------------------------------------------------------

/** Reads RDATA in wire format (the RFC 3597 generic form), as BIND's fromwire does, uncompressed. */
export class WireFields implements Fields {
  readonly generic = true;
  readonly names: NameUse[] = [];
  private p = 0;

  constructor(
    private readonly b: Uint8Array,
    readonly out: Octets,
    /** The `\#` token: where every problem is pointed at. */
    private readonly at: Token,
  ) {}

  fail(message: string): never {
    throw new RdataError(`${message} (in the \\# generic RDATA, RFC 3597 §5)`, this.at);
  }

  more(): boolean {
    return this.p < this.b.length;
  }

  peek(): Token | undefined {
    return undefined;
  }

  token(): Token {
    this.fail('not readable in generic form');
  }

  private need(n: number, what: string): void {
    if (this.p + n > this.b.length) this.fail(`the data ends where ${the(what)} should be`);
  }

  u8(what: string): number {
    this.need(1, what);
    const v = this.b[this.p++];
    this.out.byte(v);
    return v;
  }

  u16(what: string): number {
    this.need(2, what);
    const v = (this.b[this.p] << 8) | this.b[this.p + 1];
    this.p += 2;
    this.out.bytes([v >> 8, v & 0xff]);
    return v;
  }

  u32(what: string): number {
    this.need(4, what);
    const v = ((this.b[this.p] << 24) >>> 0) + ((this.b[this.p + 1] << 16) | (this.b[this.p + 2] << 8) | this.b[this.p + 3]);
    this.out.bytes(this.b.subarray(this.p, this.p + 4));
    this.p += 4;
    return v;
  }

  period(what: string): number {
    return this.u32(what);
  }

  name(what: string): string {
    const n = wireNameLength(this.b, this.p);
    if (n < 0) this.fail(`the ${what} is not a well-formed uncompressed name`);
    const name = wireNameText(this.b, this.p);
    this.out.bytes(this.b.subarray(this.p, this.p + n));
    this.p += n;
    this.names.push({ name, index: -1 });
    return name;
  }

  ipv4(what: string): void {
    this.need(4, what);
    this.out.bytes(this.b.subarray(this.p, this.p + 4));
    this.p += 4;
  }

  ipv6(what: string): void {
    this.need(16, what);
    this.out.bytes(this.b.subarray(this.p, this.p + 16));
    this.p += 16;
  }

  string(what: string): Uint8Array {
    this.need(1, what);
    const n = this.b[this.p];
    this.need(1 + n, what);
    const s = this.b.subarray(this.p + 1, this.p + 1 + n);
    this.out.bytes(this.b.subarray(this.p, this.p + 1 + n));
    this.p += 1 + n;
    return s;
  }

  strings(what: string): void {
    this.string(what);
    while (this.more()) this.string(what);
  }

  algorithm(what: string): number {
    return this.u8(what);
  }

  keyFlags(): number {
    return this.u16('flags');
  }

  keyProtocol(): number {
    return this.u8('protocol');
  }

  rrtype(what: string): number {
    return this.u16(what);
  }

  time(what: string): void {
    this.u32(what);
  }


  digestType(): number {
    return this.u8('digest type');
  }

  private restLength(what: string, optional: boolean): number {
    const n = this.b.length - this.p;
    if (n === 0 && !optional) this.fail(`the data ends where ${the(what)} should be`);
    this.out.bytes(this.b.subarray(this.p));
    this.p = this.b.length;
    return n;
  }

  base64Rest(what: string, optional = false): number {
    return this.restLength(what, optional);
  }

  hexRest(what: string, optional = false): number {
    return this.restLength(what, optional);
  }

  hexToken(what: string): number {
    return this.restLength(what, false);
  }

  base64Token(what: string): number {
    return this.restLength(what, false);
  }

  salt(): void {
    this.string('salt');
  }

  base32(what: string): number {
    const s = this.string(what);
    if (s.length === 0) this.fail(`the ${what} is empty`);
    return s.length;
  }

  bitmap(nonEmpty: boolean): void {
    // RFC 4034 §4.1.2: windows in ascending order, each 1-32 octets, the last octet not zero.
    let last = -1;
    if (nonEmpty && !this.more()) this.fail('the type bitmap is empty');
    while (this.more()) {
      this.need(2, 'type bitmap window');
      const w = this.b[this.p];
      const len = this.b[this.p + 1];
      if (w <= last || len === 0 || len > 32) this.fail('the type bitmap is malformed');
      this.need(2 + len, 'type bitmap');
      if (this.b[this.p + 1 + len] === 0) this.fail('the type bitmap has a trailing zero octet');
      last = w;
      this.out.bytes(this.b.subarray(this.p, this.p + 2 + len));
      this.p += 2 + len;
    }
  }

  restOctets(): Uint8Array {
    const r = this.b.subarray(this.p);
    this.out.bytes(r);
    this.p = this.b.length;
    return r;
  }

  end(): void {
    if (this.more()) this.fail(`${this.b.length - this.p} octets left over after the RDATA`);
  }
}

// --- encodings ---------------------------------------------------------------------------------

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

function isAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** Octets of hex text (an even number of digits), or -1. */
export function hexLength(s: string): number {
  if (s.length % 2 !== 0) return -1;
  for (let i = 0; i < s.length; i++) if (hexValue(s.charCodeAt(i)) < 0) return -1;
  return s.length / 2;
}

/** The octets of hex text, or undefined. */
export function hexOctets(s: string): Uint8Array | undefined {
  if (hexLength(s) < 0) return undefined;
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = (hexValue(s.charCodeAt(2 * i)) << 4) | hexValue(s.charCodeAt(2 * i + 1));
  return out;
}

function b64Value(c: number): number {
  if (c >= 65 && c <= 90) return c - 65;
  if (c >= 97 && c <= 122) return c - 71;
  if (c >= 48 && c <= 57) return c + 4;
  if (c === 43) return 62;
  if (c === 47) return 63;
  return -1;
}

/**
 * Octets of base64 text (RFC 4648 §4) as BIND decodes it: whole quads, `=` only at the end, and
 * the bits padding leaves unused all zero; -1 otherwise.
 */
export function base64Length(s: string): number {
  if (s.length === 0 || s.length % 4 !== 0) return -1;
  let pad = 0;
  if (s.charCodeAt(s.length - 1) === 61) pad = s.charCodeAt(s.length - 2) === 61 ? 2 : 1;
  for (let i = 0; i < s.length - pad; i++) if (b64Value(s.charCodeAt(i)) < 0) return -1;
  if (pad > 0) {
    const last = b64Value(s.charCodeAt(s.length - pad - 1));
    if (pad === 2 && (last & 0x0f) !== 0) return -1;
    if (pad === 1 && (last & 0x03) !== 0) return -1;
    // "====" or "A===": not a quad.
    if (s.length - pad < s.length - 2) return -1;
  }
  return (s.length / 4) * 3 - pad;
}

/** The octets of base64 text, or undefined. */
export function base64Octets(s: string): Uint8Array | undefined {
  return base64Length(s) < 0 ? undefined : Uint8Array.from(Buffer.from(s, 'base64'));
}

function b32Value(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 86) return c - 55;
  if (c >= 97 && c <= 118) return c - 87;
  return -1;
}

/** Octets of base32hex text without padding (RFC 4648 §7, RFC 5155 §3.3), or -1. */
export function base32hexLength(s: string): number {
  const n = s.length;
  // Each 8 characters are 5 octets; a last group of 2, 4, 5 or 7 characters is 1, 2, 3 or 4.
  const tail = n % 8;
  const extra = [0, -1, 1, -1, 2, 3, -1, 4][tail];
  if (n === 0 || extra < 0) return -1;
  for (let i = 0; i < n; i++) if (b32Value(s.charCodeAt(i)) < 0) return -1;
  // The bits of the last character past the last whole octet are zero.
  if (tail > 0) {
    const unused = (tail * 5) % 8;
    if ((b32Value(s.charCodeAt(n - 1)) & ((1 << unused) - 1)) !== 0) return -1;
  }
  return Math.floor(n / 8) * 5 + extra;
}

/** BIND's SOA timers: seconds, or units after every number (`1w2d3h4m5s`). -1 otherwise. */
export function parsePeriod(text: string): number {
  let total = 0;
  let cur = 0;
  let digits = 0;
  let units = false;
  if (text.length === 0) return -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      cur = cur * 10 + (c - 48);
      if (++digits > 10) return -1;
      continue;
    }
    if (digits === 0) return -1;
    const mult = ({ 119: 604800, 100: 86400, 104: 3600, 109: 60, 115: 1 } as Record<number, number>)[c | 32];
    if (mult === undefined) return -1;
    total += cur * mult;
    cur = 0;
    digits = 0;
    units = true;
  }
  if (digits > 0) {
    if (units) return -1;
    total = cur;
  }
  return total > 4294967295 ? -1 : total;
}

/** RFC 4034 §3.2: YYYYMMDDHHmmSS (a real date and time) or an unsigned 32-bit number of seconds. */
function validTime(s: string): boolean {
  if (!/^\d+$/.test(s)) return false;
  if (s.length === 14) {
    const y = Number(s.slice(0, 4));
    const mo = Number(s.slice(4, 6));
    const d = Number(s.slice(6, 8));
    const h = Number(s.slice(8, 10));
    const mi = Number(s.slice(10, 12));
    const se = Number(s.slice(12, 14));
    // Years before 1970 and after 2106 are taken modulo 2^32 seconds (RFC 4034 §3.1.5).
    if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || se > 60) return false;
    const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
    const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1];
    return d <= days;
  }
  return s.length <= 10 && Number(s) <= 4294967295;
}

/** Dotted-quad IPv4, no leading zeros (inet_pton), as octets. */
export function ipv4Bytes(text: string): Uint8Array | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const p = parts[i];
    if (!/^(0|[1-9]\d{0,2})$/.test(p) || Number(p) > 255) return undefined;
    out[i] = Number(p);
  }
  return out;
}

/** The wire octets of an absolute canonical name (`mail.example.com.`). */
export function nameWire(name: string): number[] {
  if (name === '.') return [0];
  const out: number[] = [];
  let label: number[] = [];
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c === 92) {
      const v = decimalEscape(name, i);
      if (v >= 0) {
        label.push(v);
        i += 3;
      } else {
        label.push(name.charCodeAt(i + 1));
        i++;
      }
    } else if (c === 46) {
      out.push(label.length, ...label);
      label = [];
    } else label.push(c);
  }
  if (label.length > 0) out.push(label.length, ...label);
  out.push(0);
  return out;
}

/** Length of an uncompressed wire name at `p`, or -1 (a pointer, a label over 63, past 255 octets or the end). */
export function wireNameLength(b: Uint8Array, p: number): number {
  let i = p;
  for (;;) {
    if (i >= b.length) return -1;
    const len = b[i];
    if (len === 0) return i + 1 - p <= 255 ? i + 1 - p : -1;
    if (len > 63) return -1;
    i += 1 + len;
    if (i - p > 255) return -1;
  }
}

/** The presentation form of a wire name at `p` (known to be well formed), canonical. */
function wireNameText(b: Uint8Array, p: number): string {
  let out = '';
  let i = p;
  while (b[i] !== 0) {
    const len = b[i];
    let label = '';
    for (let k = 1; k <= len; k++) {
      const c = b[i + k];
      label += c >= 65 && c <= 90 ? String.fromCharCode(c + 32) : c > 32 && c < 127 && !'.\\"();'.includes(String.fromCharCode(c)) ? String.fromCharCode(c) : c > 32 && c < 127 ? '\\' + String.fromCharCode(c) : '\\' + String(c).padStart(3, '0');
    }
    out += label + '.';
    i += 1 + len;
  }
  return out === '' ? '.' : out;
}

/** Whether presentation text is a well-formed name (for `canonicalName` callers). */
export function completeName(raw: string, origin: string): string | undefined {
  if (raw === '@') return origin;
  const s = scanName(raw);
  if (s.error) return undefined;
  const c = canonicalName(raw);
  if (s.absolute) return c;
  return origin === '.' ? c + '.' : `${c}.${origin}`;
}

// --- LOC (RFC 1876 §3) ---------------------------------------------------------------------------

/** LOC: `d1 [m1 [s1]] {N|S} d2 [m2 [s2]] {E|W} alt[m] [siz[m] [hp[m] [vp[m]]]]`. */
function loc(f: Fields): void {
  if (f.generic) {
    const rest = f.restOctets() ?? new Uint8Array(0);
    if (rest.length < 1) f.fail('a LOC record is cut short');
    // Version 0 is 16 octets with sizes as mantissa/exponent pairs (each digit at most 9).
    if (rest[0] === 0) {
      if (rest.length !== 16) f.fail('a version 0 LOC record is 16 octets');
      for (let i = 1; i <= 3; i++) if (rest[i] >> 4 > 9 || (rest[i] & 0x0f) > 9) f.fail('a LOC size or precision is malformed');
    }
    return;
  }
  const coordinate = (max: number, hemis: string, what: string) => {
    const d = f.token(what);
    if (!/^\d+$/.test(d.text) || Number(d.text) > max) f.fail(`${JSON.stringify(d.text)} is not the degrees of a ${what} (0-${max})`, d);
    let t = f.token(what);
    let minutes = 0;
    let seconds = 0;
    if (/^\d+$/.test(t.text)) {
      minutes = Number(t.text);
      if (minutes > 59) f.fail(`${t.text} minutes: at most 59`, t);
      t = f.token(what);
      if (/^(\d+\.?\d{0,3}|\.\d{1,3})$/.test(t.text)) {
        seconds = Number(t.text);
        if (seconds >= 60) f.fail(`${t.text} seconds: less than 60`, t);
        t = f.token(what);
      } else if (/^[\d.]/.test(t.text)) f.fail(`${JSON.stringify(t.text)} is not seconds (at most three decimals)`, t);
    }
    if (t.text.length !== 1 || !hemis.includes(t.text)) f.fail(`expected ${hemis.split('').join(' or ')} (upper case) for the ${what}, found ${JSON.stringify(t.text)}`, t);
    if (Number(d.text) === max && (minutes > 0 || seconds > 0)) f.fail(`a ${what} of ${max} degrees has no minutes or seconds`, d);
  };
  coordinate(90, 'NS', 'latitude');
  coordinate(180, 'EW', 'longitude');
  const alt = f.token('altitude');
  if (!/^-?(\d+\.?\d{0,2}|\.\d{1,2})m?$/.test(alt.text) || Number(alt.text.replace(/m$/, '')) < -100000 || Number(alt.text.replace(/m$/, '')) > 42849672.95) f.fail(`${JSON.stringify(alt.text)} is not an altitude in meters (-100000.00 to 42849672.95)`, alt);
  for (const what of ['size', 'horizontal precision', 'vertical precision']) {
    if (!f.more()) break;
    const t = f.token(what);
    if (!/^(\d+\.?\d{0,2}|\.\d{1,2})m?$/.test(t.text) || Number(t.text.replace(/m$/, '')) > 90000000) f.fail(`${JSON.stringify(t.text)} is not a ${what} in meters (0 to 90000000.00)`, t);
  }
  f.out.bytes(new Uint8Array(16));
}

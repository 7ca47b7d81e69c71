// The DKIM key record (RFC 6376 §3.6.1; ed25519 keys RFC 8463 §4.2), parsed into plain data with
// offsets for every tag, value and problem, so the key check, the signature verifier and the
// zone-file linter share one reading. Never throws; linear in the record (`work` counts it).
import { createPublicKey, type KeyObject } from 'node:crypto';
import type { RecordProblem, Severity } from '../model';
import { decodeBase64, parseTagList, type Tag, type Work, withoutFws } from './tags';

/** RFC 1035 §3.3.14: one character-string holds at most 255 octets. */
export const MAX_STRING_OCTETS = 255;
/** The largest decoded p= we hand to the crypto library: a 16,384-bit RSA key with room. */
export const MAX_KEY_OCTETS = 2600;
/** RFC 8301 §3.2: verifiers must handle RSA keys of 1024 to 4096 bits; larger ones they may refuse. */
export const MAX_VERIFY_BITS = 4096;

export type DkimKeyType = 'rsa' | 'ed25519';

/** One character-string of the TXT record, with its place in the joined text. */
export interface DkimKeyString {
  text: string;
  start: number;
  end: number;
  /** Its length in octets (UTF-8), which RFC 1035 bounds to 255. */
  octets: number;
}

/** A problem with a key record: stable code, severity, offsets into the joined text, and a fix when one is certain. */
export type DkimProblem = RecordProblem;

export interface ParsedDkimKey {
  /** The record's text: its character-strings joined without separator (RFC 6376 §3.6.2.2). */
  text: string;
  strings: DkimKeyString[];
  tags: Tag[];
  /** v=, when present. */
  version?: string;
  /** k=: the key type as written (default `rsa`). */
  keyType: string;
  /** p= without folding whitespace; empty when revoked, undefined when there is no p=. */
  publicKey?: string;
  /** RFC 6376 §3.6.1: an empty p= means the key has been revoked. */
  revoked: boolean;
  /** h=: acceptable hash algorithms (undefined: all). */
  hashes?: string[];
  /** s=: service types (default `*`). */
  services: string[];
  /** t=: flags. */
  flags: string[];
  /** t=y: the domain is testing DKIM. */
  testing: boolean;
  /** t=s: the i= domain of a signature must be d= exactly, not a subdomain. */
  strictSubdomains: boolean;
  /** n=: notes for humans. */
  notes?: string;
  /** The decoded key: its type and size (RSA modulus bits; 256 for ed25519). */
  key: { type: DkimKeyType | null; bits: number | null };
  problems: DkimProblem[];
  /**
   * A verifier can check signatures with this record: none of the problems that make verifiers
   * discard it (BLOCKING). A key under 1024 bits is usable here; the verifier then says `policy`.
   */
  usable: boolean;
}

/** Problems that make a verifier discard the record (RFC 6376 §3.6.1, §6.1.2): PERMFAIL for every signature. */
export const BLOCKING = new Set([
  'dkim-key-empty',
  'dkim-key-syntax',
  'dkim-key-duplicate-tag',
  'dkim-key-version',
  'dkim-key-unknown-type',
  'dkim-key-no-p',
  'dkim-key-revoked',
  'dkim-key-bad-base64',
  'dkim-key-undecodable',
  'dkim-key-not-email',
]);

/** What each key tag is, for hovers and reports (RFC 6376 §3.6.1, RFC 8463 §4.2). */
export const DKIM_KEY_TAGS: Readonly<Record<string, { title: string; section: string }>> = {
  v: { title: 'version: DKIM1, and it must come first', section: 'RFC 6376 §3.6.1' },
  h: { title: 'hash algorithms signatures may use (sha256; sha1 is no longer accepted, RFC 8301)', section: 'RFC 6376 §3.6.1' },
  k: { title: 'key type: rsa (the default) or ed25519 (RFC 8463)', section: 'RFC 6376 §3.6.1' },
  n: { title: 'notes for humans, ignored by verifiers', section: 'RFC 6376 §3.6.1' },
  p: { title: 'the public key, base64; empty means the key is revoked', section: 'RFC 6376 §3.6.1' },
  s: { title: 'service types the key is for: * or email', section: 'RFC 6376 §3.6.1' },
  t: { title: 'flags: y = testing DKIM, s = no subdomains in i=', section: 'RFC 6376 §3.6.1' },
};

function stringsOf(input: string | readonly string[], work?: Work): { text: string; strings: DkimKeyString[] } {
  const parts = typeof input === 'string' ? [input] : input;
  const strings: DkimKeyString[] = [];
  let at = 0;
  for (const part of parts) {
    if (work) work.steps += part.length + 1;
    strings.push({ text: part, start: at, end: at + part.length, octets: Buffer.byteLength(part, 'utf8') });
    at += part.length;
  }
  return { text: parts.join(''), strings };
}

function list(value: string): string[] {
  return value
    .split(':')
    .map((v) => withoutFws(v))
    .filter((v) => v !== '');
}

/** A public key object from p= (SubjectPublicKeyInfo, or a bare PKCS#1 RSAPublicKey as some publish), or why not. */
export function publicKeyFrom(type: DkimKeyType, der: Buffer): { key: KeyObject; bits: number } | { error: string } {
  if (der.length > MAX_KEY_OCTETS) return { error: `the key is ${der.length} octets, more than the ${MAX_KEY_OCTETS} a key of 16,384 bits needs` };
  try {
    if (type === 'ed25519') {
      // RFC 8463 §4.2: p= is the raw 32-octet Ed25519 public key, not wrapped.
      if (der.length !== 32) return { error: `an ed25519 key is 32 octets, this one is ${der.length} (RFC 8463 §4.2: the raw key, not a SubjectPublicKeyInfo)` };
      const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), der]);
      return { key: createPublicKey({ key: spki, format: 'der', type: 'spki' }), bits: 256 };
    }
    let key: KeyObject;
    try {
      key = createPublicKey({ key: der, format: 'der', type: 'spki' });
    } catch {
      key = createPublicKey({ key: der, format: 'der', type: 'pkcs1' });
    }
    if (key.asymmetricKeyType !== 'rsa') return { error: `p= holds a ${key.asymmetricKeyType ?? 'non-RSA'} key, but k= says rsa` };
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    return { key, bits };
  } catch (e) {
    return { error: `p= is base64, but not ${type === 'rsa' ? 'an RSA public key (DER SubjectPublicKeyInfo)' : 'a key'}: ${(e as Error).message.split('\n')[0]}` };
  }
}

function keyHint(raw: string): string {
  if (raw.includes('-----')) return ': publish only the base64 between the BEGIN and END lines, without them';
  if (raw.includes('\\')) return ': it holds a backslash, as when a zone file escaped a ";" or quote that then became part of the record';
  if (raw.includes('"')) return ': it holds a quote, as when the record was pasted with the quotes of its character-strings';
  return '';
}

/**
 * Parses a DKIM key record given as its character-strings (as DNS or a zone file holds them) or as
 * one text (then no string is measured against the 255-octet limit). Offsets are into the strings
 * joined without separator.
 */
export function parseDkimKey(input: string | readonly string[], work?: Work): ParsedDkimKey {
  const { text, strings } = stringsOf(input, work);
  const problems: DkimProblem[] = [];
  const add = (code: string, severity: Severity, message: string, start: number, end: number, replacement?: string): void => {
    problems.push({ code, severity, message, start, end, ...(replacement !== undefined ? { replacement } : {}) });
  };
  // Given as one text, the record's split into strings is not known: only given strings are measured.
  for (const s of typeof input === 'string' ? [] : strings) {
    if (s.octets > MAX_STRING_OCTETS) {
      add('dkim-key-string-too-long', 'error', `a character-string of this TXT record is ${s.octets} octets; one string holds at most ${MAX_STRING_OCTETS} (RFC 1035 §3.3.14): split the key into several quoted strings, which DNS joins again`, s.start, s.end);
    }
  }
  if (text.trim() === '') {
    add('dkim-key-empty', 'error', 'the TXT record is empty: a DKIM key record needs at least p= (RFC 6376 §3.6.1)', 0, text.length);
  }
  const list_ = parseTagList(text, 'key record', work);
  for (const p of list_.problems) {
    if (p.kind === 'duplicate') add('dkim-key-duplicate-tag', 'error', p.message, p.start, p.end);
    else add('dkim-key-syntax', p.kind === 'empty-spec' ? 'warning' : 'error', p.message, p.start, p.end, p.kind === 'empty-spec' ? '' : undefined);
  }
  const tag = (name: string): Tag | undefined => list_.byName.get(name);

  const v = tag('v');
  if (v) {
    if (v.value !== 'DKIM1') add('dkim-key-version', 'error', `v=${v.value} is not a DKIM key version: it must be v=DKIM1 (RFC 6376 §3.6.1)`, v.valueStart, v.valueEnd, 'DKIM1');
    else if (list_.tags[0] !== v) add('dkim-key-version-order', 'warning', 'v=DKIM1 must be the first tag of the record (RFC 6376 §3.6.1); verifiers may discard the record otherwise', v.nameStart, v.valueEnd);
  }

  const k = tag('k');
  const keyType = k ? k.value : 'rsa';
  const knownType: DkimKeyType | null = keyType === 'rsa' || keyType === 'ed25519' ? keyType : null;
  if (k && !knownType) add('dkim-key-unknown-type', 'error', `k=${k.value} is not a key type verifiers know: rsa (RFC 6376 §3.6.1) or ed25519 (RFC 8463)`, k.valueStart, k.valueEnd);

  const p = tag('p');
  let publicKey: string | undefined;
  let revoked = false;
  let keyInfo: ParsedDkimKey['key'] = { type: null, bits: null };
  if (!p) {
    const looksOther = /^\s*v\s*=\s*(spf1|DMARC1)/i.exec(text);
    add('dkim-key-no-p', 'error', looksOther ? `this TXT record is ${looksOther[1].toUpperCase() === 'SPF1' ? 'an SPF' : 'a DMARC'} record, not a DKIM key: a key record holds p= (RFC 6376 §3.6.1)` : 'the record has no p= tag: a DKIM key record must hold the public key in p= (RFC 6376 §3.6.1)', 0, text.length);
  } else {
    publicKey = withoutFws(p.value);
    if (work) work.steps += p.value.length;
    if (publicKey === '') {
      revoked = true;
      add('dkim-key-revoked', 'error', 'p= is empty: this key has been revoked, and every signature made with it fails (RFC 6376 §3.6.1)', p.nameStart, p.valueEnd);
    } else {
      const der = decodeBase64(publicKey);
      if (!der) {
        add('dkim-key-bad-base64', 'error', `p= is not valid base64${keyHint(p.value)} (RFC 6376 §3.6.1)`, p.valueStart, p.valueEnd);
      } else if (knownType) {
        const decoded = publicKeyFrom(knownType, der);
        if ('error' in decoded) {
          add('dkim-key-undecodable', 'error', decoded.error, p.valueStart, p.valueEnd);
        } else {
          keyInfo = { type: knownType, bits: decoded.bits };
          if (knownType === 'rsa') {
            if (decoded.bits < 1024) {
              add('dkim-key-too-small', 'error', `the RSA key has ${decoded.bits} bits: verifiers refuse keys under 1024 bits (RFC 8301 §3.2), so signatures with it never pass. Make a 2048-bit key`, p.valueStart, p.valueEnd);
            } else if (decoded.bits < 2048) {
              add('dkim-key-weak', 'warning', `the RSA key has ${decoded.bits} bits: it still verifies, but signers should use at least 2048 (RFC 8301 §3.2), and 1024-bit keys have been factored in practice. Make a 2048-bit key and publish it under a new selector`, p.valueStart, p.valueEnd);
            } else if (decoded.bits > MAX_VERIFY_BITS) {
              add('dkim-key-too-large', 'warning', `the RSA key has ${decoded.bits} bits: verifiers need only handle up to ${MAX_VERIFY_BITS} (RFC 8301 §3.2), so some may not verify it`, p.valueStart, p.valueEnd);
            }
          }
        }
      }
    }
  }

  let hashes: string[] | undefined;
  const h = tag('h');
  if (h) {
    hashes = list(h.value);
    const unknown = hashes.filter((x) => x !== 'sha1' && x !== 'sha256');
    if (!hashes.includes('sha256')) {
      add('dkim-key-no-sha256', 'error', `h=${h.value} does not allow sha256: every signature this key accepts uses SHA-1, which verifiers must not accept (RFC 8301 §3.1). Remove h= or write h=sha256`, h.valueStart, h.valueEnd, 'sha256');
    }
    if (unknown.length > 0) add('dkim-key-unknown-hash', 'info', `h= lists ${unknown.join(', ')}, which verifiers ignore (known: sha256, and the retired sha1)`, h.valueStart, h.valueEnd);
  }

  const s = tag('s');
  const services = s ? list(s.value) : ['*'];
  if (s && !services.includes('*') && !services.includes('email')) {
    add('dkim-key-not-email', 'error', `s=${s.value}: this key is not for email, so verifiers refuse it for mail (RFC 6376 §3.6.1: s=* or s=email)`, s.valueStart, s.valueEnd, '*');
  }

  const t = tag('t');
  const flags = t ? list(t.value) : [];
  const testing = flags.includes('y');
  const strictSubdomains = flags.includes('s');
  if (t && testing) {
    add('dkim-key-testing', 'warning', 't=y: the domain is testing DKIM. Verifiers must not treat its mail differently from unsigned mail (RFC 6376 §3.6.1), and some give it no DKIM credit: remove t=y once signatures verify', t.nameStart, t.valueEnd);
  }
  if (t && strictSubdomains) add('dkim-key-strict', 'info', 't=s: signatures must have i= in exactly this domain, not a subdomain (RFC 6376 §3.6.1)', t.nameStart, t.valueEnd);
  const unknownFlags = flags.filter((f) => f !== 'y' && f !== 's');
  if (t && unknownFlags.length > 0) add('dkim-key-unknown-flag', 'info', `t= flag${unknownFlags.length === 1 ? '' : 's'} ${unknownFlags.join(', ')} ${unknownFlags.length === 1 ? 'is' : 'are'} unknown and ignored (RFC 6376 §3.6.1)`, t.valueStart, t.valueEnd);

  const g = tag('g');
  if (g) {
    add(
      'dkim-key-granularity',
      g.value === '' ? 'warning' : 'info',
      g.value === ''
        ? 'g= is empty: RFC 4871 read that as "no address may sign", and old verifiers still do; RFC 6376 removed g=: delete it'
        : `g=${g.value} is from RFC 4871 and was removed in RFC 6376: verifiers now ignore it`,
      g.nameStart,
      g.valueEnd,
    );
  }
  for (const x of list_.tags) {
    if (x !== list_.byName.get(x.name) || x.name in DKIM_KEY_TAGS || x.name === 'g') continue;
    add('dkim-key-unknown-tag', 'info', `${x.name}= is not a key tag: verifiers ignore it (RFC 6376 §3.6.1)`, x.nameStart, x.valueEnd);
  }

  const n = tag('n');
  problems.sort((a, b) => a.start - b.start);
  return {
    text,
    strings,
    tags: list_.tags,
    ...(v ? { version: v.value } : {}),
    keyType,
    ...(publicKey !== undefined ? { publicKey } : {}),
    revoked,
    ...(hashes ? { hashes } : {}),
    services,
    flags,
    testing,
    strictSubdomains,
    ...(n ? { notes: n.value } : {}),
    key: keyInfo,
    problems,
    usable: !problems.some((x) => x.severity === 'error' && BLOCKING.has(x.code)),
  };
}

/** The key object a verifier checks with, when p= decodes as a key of its type. */
export function keyObjectOf(parsed: ParsedDkimKey): KeyObject | undefined {
  if (parsed.publicKey === undefined || parsed.key.type === null) return undefined;
  const der = decodeBase64(parsed.publicKey);
  if (!der) return undefined;
  const k = publicKeyFrom(parsed.key.type, der);
  return 'key' in k ? k.key : undefined;
}

// The DKIM-Signature header field (RFC 6376 §3.5) read into plain data, every tag checked as
// §3.5 and §6.1.1 require of a verifier. Never throws; one pass over the field (tags.ts).
import { decodeBase64, parseTagList, type Tag, type Work, withoutFws } from './tags';
import type { Canon } from './canon';
import { DKIM_LIMITS } from './limits';

export type DkimAlgorithm = 'rsa-sha256' | 'rsa-sha1' | 'ed25519-sha256';

export interface ParsedSignature {
  tags: Tag[];
  d: string;
  s: string;
  a: string;
  i?: string;
  algorithm?: DkimAlgorithm;
  headerCanon: Canon;
  bodyCanon: Canon;
  /** h= names, lower case, in order. */
  signedFields: string[];
  bodyLength?: number;
  timestamp?: number;
  expires?: number;
  /** b= and bh= decoded. */
  signature?: Buffer;
  bodyHash?: Buffer;
  /** The b= tag, to empty its value when hashing the field itself (RFC 6376 §3.7). */
  bTag?: Tag;
  /** The first reason the signature cannot be used, with its code (RFC 8601 neutral). */
  problem?: { code: string; reason: string };
}

const ALGORITHMS = new Set<string>(['rsa-sha256', 'rsa-sha1', 'ed25519-sha256']);
const REQUIRED = ['v', 'a', 'b', 'bh', 'd', 'h', 's'];

/** Reads the value of a DKIM-Signature field (the text after its colon). */
export function parseSignature(value: string, work?: Work): ParsedSignature {
  const list = parseTagList(value, 'DKIM-Signature', work);
  const get = (n: string): string | undefined => list.byName.get(n)?.value;
  const sig: ParsedSignature = {
    tags: list.tags,
    d: get('d') ?? '',
    s: get('s') ?? '',
    a: get('a') ?? '',
    ...(get('i') !== undefined ? { i: get('i') } : {}),
    headerCanon: 'simple',
    bodyCanon: 'simple',
    signedFields: [],
  };
  const fail = (code: string, reason: string): ParsedSignature => ({ ...sig, problem: { code, reason } });
  const first = list.problems.find((p) => p.kind !== 'empty-spec');
  if (first) return fail('dkim-sig-syntax', `the signature is not a valid tag list: ${first.message}`);

  const missing = REQUIRED.filter((t) => !list.byName.has(t));
  if (missing.length > 0) return fail('dkim-sig-missing-tag', `the signature lacks ${missing.map((m) => `${m}=`).join(', ')}, which every DKIM signature must have (RFC 6376 §3.5)`);
  if (get('v') !== '1') return fail('dkim-sig-version', `v=${get('v')}: only version 1 exists (RFC 6376 §3.5)`);

  if (!ALGORITHMS.has(sig.a)) return fail('dkim-sig-algorithm', `a=${sig.a} is not an algorithm verifiers know: rsa-sha256, ed25519-sha256 (RFC 8463), or the retired rsa-sha1`);
  sig.algorithm = sig.a as DkimAlgorithm;

  const c = get('c');
  if (c !== undefined) {
    const m = /^(simple|relaxed)(?:\/(simple|relaxed))?$/.exec(c);
    if (!m) return fail('dkim-sig-canonicalization', `c=${c} is not a canonicalization: simple or relaxed, for the header then the body (RFC 6376 §3.5)`);
    sig.headerCanon = m[1] as Canon;
    sig.bodyCanon = (m[2] ?? 'simple') as Canon;
  }

  const q = get('q');
  if (q !== undefined && !withoutFws(q).split(':').includes('dns/txt')) return fail('dkim-sig-query-method', `q=${q}: the only query method is dns/txt (RFC 6376 §3.5)`);

  const d = sig.d.toLowerCase();
  if (!/^[a-z0-9_-]+(\.[a-z0-9_-]+)*\.?$/i.test(sig.d) || sig.d.length > 253) return fail('dkim-sig-syntax', `d=${sig.d} is not a domain name (RFC 6376 §3.5)`);
  if (!/^[a-z0-9_-]+(\.[a-z0-9_-]+)*$/i.test(sig.s) || sig.s.length > 253) return fail('dkim-sig-syntax', `s=${sig.s} is not a selector (RFC 6376 §3.1)`);
  if (sig.i !== undefined) {
    const at = sig.i.lastIndexOf('@');
    const idom = (at >= 0 ? sig.i.slice(at + 1) : '').toLowerCase();
    if (at < 0 || (idom !== d && !idom.endsWith(`.${d}`))) {
      return fail('dkim-sig-identity', `i=${sig.i} is not an identity in ${sig.d} or a subdomain of it (RFC 6376 §3.5, §6.1.1)`);
    }
  }

  const h = withoutFws(get('h') ?? '');
  const names = h.split(':');
  if (names.length > DKIM_LIMITS.signedFields) {
    return fail('dkim-sig-budget', `h= names ${names.length} header fields, more than the ${DKIM_LIMITS.signedFields} this tool reads`);
  }
  if (names.some((n) => n === '')) return fail('dkim-sig-syntax', `h=${get('h')} has an empty field name (RFC 6376 §3.5)`);
  sig.signedFields = names.map((n) => n.replace(/[A-Z]+/g, (m) => m.toLowerCase()));
  // RFC 6376 §5.4, §6.1.1: the From field must be signed, or the signature is ignored.
  if (!sig.signedFields.includes('from')) return fail('dkim-sig-from-not-signed', `h= does not list From: a signature must cover the From header field, so verifiers ignore it (RFC 6376 §6.1.1)`);

  const num = (tag: string, max: number): number | undefined | null => {
    const v = get(tag);
    if (v === undefined) return undefined;
    return new RegExp(`^\\d{1,${max}}$`).test(v) ? Number(v) : null;
  };
  const l = num('l', 16);
  if (l === null) return fail('dkim-sig-syntax', `l=${get('l')} is not a number of octets (RFC 6376 §3.5)`);
  if (l !== undefined) sig.bodyLength = l;
  const t = num('t', 12);
  if (t === null) return fail('dkim-sig-syntax', `t=${get('t')} is not a time in seconds (RFC 6376 §3.5)`);
  if (t !== undefined) sig.timestamp = t;
  const x = num('x', 12);
  if (x === null) return fail('dkim-sig-syntax', `x=${get('x')} is not a time in seconds (RFC 6376 §3.5)`);
  if (x !== undefined) sig.expires = x;
  if (t !== undefined && x !== undefined && x < t) return fail('dkim-sig-syntax', `x= (${x}) is before t= (${t}): the signature expires before it was made (RFC 6376 §3.5)`);

  sig.bTag = list.byName.get('b');
  const b = decodeBase64(get('b') ?? '');
  if (!b || b.length === 0) return fail('dkim-sig-syntax', 'b= is not base64 (RFC 6376 §3.5)');
  sig.signature = b;
  const bh = decodeBase64(get('bh') ?? '');
  if (!bh || bh.length === 0) return fail('dkim-sig-syntax', 'bh= is not base64 (RFC 6376 §3.5)');
  sig.bodyHash = bh;
  return sig;
}

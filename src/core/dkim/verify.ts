// DKIM signature verification (RFC 6376 §6; ed25519 RFC 8463; RFC 8301's rules on SHA-1 and key
// sizes): every DKIM-Signature of a raw message, each with an RFC 8601 result and the reason in plain
// words. Keys are looked up through the injected resolver (CNAMEs followed), within a query budget;
// DNS trouble is `temperror`, never an exception. Only abort throws.
import { createHash, type KeyObject, verify as cryptoVerify } from 'node:crypto';
import { budgetFinding, createBudget, withBudget } from '../dns/budget';
import { isTemporary, type Resolver } from '../dns/types';
import { type Canon, canonBody, canonHeader } from './canon';
import { keyName } from './check';
import { BLOCKING, keyObjectOf, MAX_VERIFY_BITS, parseDkimKey, type ParsedDkimKey } from './key';
import { CLOCK_SKEW_SECONDS, DKIM_LIMITS } from './limits';
import { type HeaderField, type RawMessage, readMessage } from './message';
import { type DkimAlgorithm, parseSignature, type ParsedSignature } from './signature';
import type { DkimResultCode, DkimSignatureResult } from './types';

export interface VerifyOptions {
  resolver: Resolver;
  signal?: AbortSignal;
  /** The time to check x= and t= against, in milliseconds since 1970 (default: now). */
  now?: number;
}

const HASH: Record<DkimAlgorithm, 'sha256' | 'sha1'> = { 'rsa-sha256': 'sha256', 'rsa-sha1': 'sha1', 'ed25519-sha256': 'sha256' };

function utc(seconds: number): string {
  const d = new Date(seconds * 1000);
  return Number.isNaN(d.getTime()) ? `${seconds}` : `${d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, '')} UTC`;
}

/** Picks the fields h= names, bottom-up per name (RFC 6376 §5.4.2); a name listed more often than present adds nothing. */
export function selectFields(fields: readonly HeaderField[], names: readonly string[]): { selected: HeaderField[]; overSigned: string[] } {
  const byKey = new Map<string, number[]>();
  fields.forEach((f, i) => {
    if (f.colon < 0) return;
    const list = byKey.get(f.key);
    if (list) list.push(i);
    else byKey.set(f.key, [i]);
  });
  const used = new Map<string, number>();
  const selected: HeaderField[] = [];
  const overSigned = new Set<string>();
  for (const n of names) {
    const list = byKey.get(n) ?? [];
    const u = used.get(n) ?? 0;
    used.set(n, u + 1);
    if (u < list.length) selected.push(fields[list[list.length - 1 - u]]);
    else overSigned.add(n);
  }
  return { selected, overSigned: [...overSigned] };
}

/** The DKIM-Signature field itself as it is hashed: b= emptied (with its whitespace), canonicalized, no final CRLF (RFC 6376 §3.7). */
function signatureFieldData(field: HeaderField, sig: ParsedSignature, canon: Canon): string {
  const b = sig.bTag!;
  const offset = field.colon + 1;
  const value = field.raw.slice(offset);
  let eq = b.nameEnd;
  while (eq < b.valueStart && value.charCodeAt(eq) !== 0x3d) eq++;
  const emptied = field.raw.slice(0, offset + eq + 1) + field.raw.slice(offset + b.specEnd);
  return canonHeader(field, canon, emptied).slice(0, -2);
}

interface KeyLookup {
  name: string;
  dig: string;
  rcode: string;
  error?: string;
  cnames: { name: string; target: string }[];
  parsed?: ParsedDkimKey;
}

async function fetchKey(resolver: Resolver, selector: string, domain: string, signal?: AbortSignal): Promise<KeyLookup> {
  const name = keyName(selector, domain.replace(/\.$/, ''));
  const dig = resolver.dig(name, 'TXT');
  const r = await resolver.lookup(name, 'TXT', { signal });
  const records = r.records.filter((x) => x.type === 'TXT').map((x) => x.data as string[]);
  const cnames = r.cnames.map((c) => ({ name: c.name, target: c.target }));
  const chosen = records.find((x) => /(^|;)\s*p\s*=/.test(x.join(''))) ?? records[0];
  return { name, dig, rcode: r.rcode, ...(r.error ? { error: r.error } : {}), cnames, ...(chosen ? { parsed: parseDkimKey(chosen) } : {}) };
}

function verifyCrypto(algorithm: DkimAlgorithm, key: KeyObject, data: Buffer, signature: Buffer): boolean {
  try {
    // RFC 8463 §3: Ed25519 signs the SHA-256 hash of the data (PureEdDSA over the digest).
    if (algorithm === 'ed25519-sha256') return cryptoVerify(null, createHash('sha256').update(data).digest(), key, signature);
    return cryptoVerify(HASH[algorithm], data, key, signature);
  } catch {
    return false;
  }
}

const CHANGED_BODY = (canon: Canon): string =>
  `body hash mismatch: the body changed in transit — a footer added by a list?${canon === 'simple' ? ' (simple body canonicalization also breaks on any change of whitespace; relaxed tolerates it)' : ''}`;

const CHANGED_HEADERS = (sig: ParsedSignature): string =>
  `signature over headers does not verify: a signed header was changed (Subject?) — h= signs ${[...new Set(sig.signedFields)].join(', ')}` +
  `${sig.headerCanon === 'simple' ? '; simple header canonicalization also breaks when a server refolds a header' : ''} — or the key at ${sig.s}._domainkey.${sig.d} is not the one that signed`;

/**
 * Verifies every DKIM-Signature of `rawMessage` (bytes, or a string taken as UTF-8; LF or CRLF
 * line ends), topmost first. One result per signature; an unsigned message gives [].
 */
export async function verifyDkimSignatures(rawMessage: string | Uint8Array, options: VerifyOptions): Promise<DkimSignatureResult[]> {
  const { signal } = options;
  signal?.throwIfAborted();
  const message = readMessage(rawMessage);
  const now = Math.floor((options.now ?? Date.now()) / 1000);
  const budget = createBudget('DKIM verification', DKIM_LIMITS.verifyQueries);
  const resolver = withBudget(options.resolver, budget);
  const sigFields = message.fields.filter((f) => f.key === 'dkim-signature');
  const bodies = new Map<string, Buffer>();
  const bodyOf = (canon: Canon): Buffer => {
    let b = bodies.get(canon);
    if (!b) bodies.set(canon, (b = canonBody(message.body, canon)));
    return b;
  };
  const results = await Promise.all(sigFields.map((field, index) => verifyOne(field, index, message, now, resolver, bodyOf, signal)));
  const over = budgetFinding(budget, '');
  if (over) {
    for (const r of results) if (r.code === 'dkim-sig-key-dns' && r.reason.includes('BUDGET')) r.notes.push(over.message);
  }
  return results;
}

async function verifyOne(
  field: HeaderField,
  index: number,
  message: RawMessage,
  now: number,
  resolver: Resolver,
  bodyOf: (canon: Canon) => Buffer,
  signal: AbortSignal | undefined,
): Promise<DkimSignatureResult> {
  const sig = parseSignature(field.raw.slice(field.colon + 1));
  const { selected, overSigned } = selectFields(message.fields, sig.signedFields);
  const notes: string[] = [];
  const result: DkimSignatureResult = {
    index,
    result: 'neutral',
    code: '',
    reason: '',
    d: sig.d,
    s: sig.s,
    a: sig.a,
    ...(sig.i !== undefined ? { i: sig.i } : {}),
    canonicalization: { header: sig.headerCanon, body: sig.bodyCanon },
    headerFieldsSigned: sig.signedFields,
    overSigned,
    ...(sig.bodyLength !== undefined ? { bodyLength: sig.bodyLength } : {}),
    ...(sig.timestamp !== undefined ? { timestamp: sig.timestamp } : {}),
    ...(sig.expires !== undefined ? { expires: sig.expires } : {}),
    keyName: sig.d && sig.s ? keyName(sig.s, sig.d.replace(/\.$/, '')) : '',
    notes,
  };
  const done = (r: DkimResultCode, code: string, reason: string): DkimSignatureResult => Object.assign(result, { result: r, code, reason });

  if (index >= DKIM_LIMITS.signatures) {
    return done('neutral', 'dkim-sig-budget', `not verified: the message has more than ${DKIM_LIMITS.signatures} DKIM signatures, and this tool verifies the first ${DKIM_LIMITS.signatures}`);
  }
  if (message.tooLarge) return done('neutral', 'dkim-message-too-large', `not verified: ${message.tooLarge}`);
  if (sig.problem) return done('neutral', sig.problem.code, sig.problem.reason);
  if (overSigned.length > 0) notes.push(`h= lists ${overSigned.join(', ')} more times than the message has ${overSigned.length === 1 ? 'it' : 'them'}: over-signed, so adding one breaks the signature (RFC 6376 §8.15)`);
  if (sig.timestamp !== undefined && sig.timestamp > now + CLOCK_SKEW_SECONDS) {
    notes.push(`t= says the message was signed on ${utc(sig.timestamp)}, in the future: the signer's clock is wrong (verifiers may ignore such signatures, RFC 6376 §3.5)`);
  }
  if (sig.expires !== undefined && now > sig.expires + CLOCK_SKEW_SECONDS) {
    return done('permerror', 'dkim-sig-expired', `signature expired on ${utc(sig.expires)} (x=${sig.expires}): verifiers ignore it after that (RFC 6376 §3.5)`);
  }

  signal?.throwIfAborted();
  const key = await fetchKey(resolver, sig.s, sig.d, signal);
  result.keyDig = key.dig;
  const parsed = key.parsed;
  result.key = { type: parsed?.key.type ?? parsed?.keyType ?? null, bits: parsed?.key.bits ?? null, testing: parsed?.testing ?? false, cnames: key.cnames };
  if (isTemporary(key.rcode)) {
    return done('temperror', 'dkim-sig-key-dns', `the key could not be looked up at ${key.name}: ${key.error ?? key.rcode} (${key.rcode}); receivers try again later`);
  }
  if (!parsed) {
    const via = key.cnames.length > 0 ? ` (through CNAME ${key.cnames.map((c) => c.target).join(' → ')})` : '';
    return done('permerror', 'dkim-sig-key-missing', `no key at ${key.name}${via}: ${key.rcode === 'NXDOMAIN' ? 'the name does not exist' : 'no TXT record there'}`);
  }
  if (parsed.revoked) return done('permerror', 'dkim-sig-key-revoked', `key revoked: ${key.name} has an empty p=, so every signature with selector ${sig.s} fails (RFC 6376 §3.6.1)`);
  const blocking = parsed.problems.find((p) => p.severity === 'error' && BLOCKING.has(p.code));
  if (blocking) return done('permerror', 'dkim-sig-key-invalid', `the key record at ${key.name} is unusable: ${blocking.message}`);
  const algorithm = sig.algorithm!;
  const keyType = algorithm === 'ed25519-sha256' ? 'ed25519' : 'rsa';
  if (parsed.key.type !== keyType) {
    return done('permerror', 'dkim-sig-key-mismatch', `a=${sig.a} needs an ${keyType} key, but ${key.name} publishes k=${parsed.keyType} (RFC 6376 §6.1.2)`);
  }
  if (parsed.hashes && !parsed.hashes.includes(HASH[algorithm])) {
    return done('permerror', 'dkim-sig-key-mismatch', `the key at ${key.name} allows only h=${parsed.hashes.join(':')}, not ${HASH[algorithm]} (RFC 6376 §3.6.1)`);
  }
  if (parsed.strictSubdomains && sig.i !== undefined) {
    const idom = sig.i.slice(sig.i.lastIndexOf('@') + 1).toLowerCase();
    if (idom !== sig.d.toLowerCase()) return done('permerror', 'dkim-sig-key-mismatch', `the key at ${key.name} has t=s, so i= must be in ${sig.d} itself, not ${idom} (RFC 6376 §3.6.1)`);
  }
  const keyObject = keyObjectOf(parsed);
  if (!keyObject) return done('permerror', 'dkim-sig-key-invalid', `the key at ${key.name} does not decode`);

  // Body hash (RFC 6376 §3.7), limited to l= octets when the signature says so.
  const body = bodyOf(sig.bodyCanon);
  result.bodyOctets = body.length;
  if (sig.bodyLength !== undefined && sig.bodyLength > body.length) {
    result.bodyHashMatches = false;
    return done('fail', 'dkim-sig-body-length', `l=${sig.bodyLength} says the signed body has ${sig.bodyLength} octets, but it has only ${body.length}: the body was cut short in transit (RFC 6376 §3.4.5)`);
  }
  const signedBody = sig.bodyLength !== undefined ? body.subarray(0, sig.bodyLength) : body;
  if (sig.bodyLength !== undefined && sig.bodyLength < body.length) {
    result.unsignedBodyOctets = body.length - sig.bodyLength;
    notes.push(`l=${sig.bodyLength}: only the first ${sig.bodyLength} octets of the body are signed; the ${body.length - sig.bodyLength} after them are not, so anyone could have added them (RFC 6376 §8.2)`);
  }
  const bodyHashMatches = createHash(HASH[algorithm]).update(signedBody).digest().equals(sig.bodyHash!);
  result.bodyHashMatches = bodyHashMatches;

  // The header hash input: the fields h= names, then this field with b= emptied (RFC 6376 §3.7).
  const data = Buffer.from(selected.map((f) => canonHeader(f, sig.headerCanon)).join('') + signatureFieldData(field, sig, sig.headerCanon), 'latin1');
  const signatureOk = verifyCrypto(algorithm, keyObject, data, sig.signature!);

  if (!bodyHashMatches && !signatureOk) {
    return done('fail', 'dkim-sig-changed', `neither the body hash nor the signature over the headers verifies: the message was changed in transit (body and headers), or it was signed with another key than the one at ${key.name}`);
  }
  if (!bodyHashMatches) return done('fail', 'dkim-sig-body-hash', CHANGED_BODY(sig.bodyCanon));
  if (!signatureOk) return done('fail', 'dkim-sig-header-signature', CHANGED_HEADERS(sig));
  if (parsed.testing) notes.push(`the key has t=y (testing): receivers must treat the message as if it were unsigned when the signature fails, and some give it no DKIM credit (RFC 6376 §3.6.1)`);
  // RFC 8301: verifiers must not accept SHA-1 signatures, nor RSA keys under 1024 bits.
  if (algorithm === 'rsa-sha1') {
    result.weak = 'rsa-sha1';
    return done('policy', 'dkim-sig-sha1', 'the signature verifies, but it uses rsa-sha1, which verifiers must not accept any more (RFC 8301 §3.1): to receivers the message is as good as unsigned. Sign with rsa-sha256');
  }
  if (keyType === 'rsa' && (parsed.key.bits ?? 0) < 1024) {
    result.weak = `rsa-${parsed.key.bits}`;
    return done('policy', 'dkim-sig-key-too-small', `the signature verifies, but the key at ${key.name} has ${parsed.key.bits} bits: verifiers must not accept keys under 1024 bits (RFC 8301 §3.2)`);
  }
  if (keyType === 'rsa' && (parsed.key.bits ?? 0) > MAX_VERIFY_BITS) notes.push(`the key has ${parsed.key.bits} bits: verifiers need only handle up to ${MAX_VERIFY_BITS} (RFC 8301 §3.2)`);
  return done('pass', 'dkim-sig-pass', `the signature verifies with the ${keyType} key at ${key.name}${parsed.key.bits ? ` (${parsed.key.bits} bits)` : ''}`);
}

// A small DKIM signer for unit tests and fuzzing only (node:crypto over our own canonicalization),
// so messages that reach every step of the verifier can be made without Python. Whether our
// canonicalization and verification are right is decided against real signers, in
// test/integration/dkim-real.test.ts, not here.
import { createHash, generateKeyPairSync, type KeyObject, sign as cryptoSign } from 'node:crypto';
import { canonBody, canonHeader } from '../../src/core/dkim/canon';
import { readMessage } from '../../src/core/dkim/message';
import { selectFields } from '../../src/core/dkim/verify';

export interface TestKey {
  privateKey: KeyObject;
  /** The key record to publish: `v=DKIM1; k=…; p=…`. */
  record: string;
  type: 'rsa' | 'ed25519';
}

export function rsaKey(bits = 2048): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  return { privateKey, type: 'rsa', record: `v=DKIM1; k=rsa; p=${publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}` };
}

export function ed25519Key(): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  // RFC 8463 §4.2: the raw 32-octet key, the last 32 octets of the SubjectPublicKeyInfo.
  const raw = publicKey.export({ type: 'spki', format: 'der' }).subarray(-32);
  return { privateKey, type: 'ed25519', record: `v=DKIM1; k=ed25519; p=${raw.toString('base64')}` };
}

export interface SignOptions {
  selector?: string;
  domain?: string;
  canon?: ['simple' | 'relaxed', 'simple' | 'relaxed'];
  headers?: string[];
  length?: boolean;
  extraTags?: string;
  sha1?: boolean;
}

/** The message with a DKIM-Signature field on top (CRLF line ends). */
export function signMessage(message: string, key: TestKey, o: SignOptions = {}): string {
  const crlf = message.replace(/\r?\n/g, '\r\n');
  const parsed = readMessage(crlf);
  const [hc, bc] = o.canon ?? ['relaxed', 'relaxed'];
  const hash = o.sha1 ? 'sha1' : 'sha256';
  const body = canonBody(parsed.body, bc);
  const bh = createHash(hash).update(body).digest('base64');
  const headers = o.headers ?? ['from', 'to', 'subject', 'date'];
  const a = key.type === 'ed25519' ? 'ed25519-sha256' : `rsa-${hash}`;
  const value = ` v=1; a=${a}; c=${hc}/${bc}; d=${o.domain ?? 'example.org'}; s=${o.selector ?? 'test'};${o.length ? ` l=${body.length};` : ''}${o.extraTags ?? ''} h=${headers.join(':')}; bh=${bh}; b=`;
  const field = { name: 'DKIM-Signature', key: 'dkim-signature', raw: `DKIM-Signature:${value}`, colon: 14 };
  const { selected } = selectFields(parsed.fields, headers);
  const data = Buffer.from(selected.map((f) => canonHeader(f, hc)).join('') + canonHeader(field, hc).slice(0, -2), 'latin1');
  const sig = key.type === 'ed25519' ? cryptoSign(null, createHash('sha256').update(data).digest(), key.privateKey) : cryptoSign(hash, data, key.privateKey);
  return `DKIM-Signature:${value}${sig.toString('base64')}\r\n${crlf}`;
}

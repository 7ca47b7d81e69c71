// Test certificates, made at test time with node:crypto: a small DER writer for an X.509 v3
// certificate (RFC 5280 §4.1), signed with a fresh P-256 key. Nothing is read from disk, and the
// validity dates are written exactly as asked, so a test can serve a certificate that expired, is
// not yet valid, or whose dates are not dates at all (an unparsable notAfter).
//
//   const cert = makeCertificate({ names: ['peer.example'], notAfter: '20200101000000Z' });
//   tls.createServer({ cert: cert.cert, key: cert.key })
import { createHash, generateKeyPairSync, sign } from 'node:crypto';

function der(tag: number, body: Buffer): Buffer {
  const n = body.length;
  const len = n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), len, body]);
}
const seq = (...parts: Buffer[]) => der(0x30, Buffer.concat(parts));
const oid = (hex: string) => der(0x06, Buffer.from(hex, 'hex'));
const utf8 = (s: string) => der(0x0c, Buffer.from(s, 'utf8'));

/** ecdsa-with-SHA256 (1.2.840.10045.4.3.2) */
const ECDSA_SHA256 = seq(oid('2a8648ce3d040302'));
/** id-at-commonName (2.5.4.3) */
const CN = '550403';
/** id-ce-subjectAltName (2.5.29.17) */
const SAN = '551d11';

function name(cn: string): Buffer {
  return seq(der(0x31, seq(oid(CN), utf8(cn))));
}

/**
 * A time as written: 13 characters are a UTCTime (YYMMDDHHMMSSZ), 15 a GeneralizedTime
 * (YYYYMMDDHHMMSSZ); anything else is written as a UTCTime of those characters, which no parser
 * can read as a date.
 */
function time(text: string): Buffer {
  return der(text.length === 15 ? 0x18 : 0x17, Buffer.from(text, 'latin1'));
}

function generalized(d: Date): string {
  return d.toISOString().replace(/[-:T]/g, '').replace(/\.\d+Z$/, 'Z');
}

export interface TestCertificate {
  /** PEM certificate and key, for tls.createServer / tls.TLSSocket. */
  cert: string;
  key: string;
  notBefore: string;
  notAfter: string;
}

export function makeCertificate(options: { names?: string[]; notBefore?: string; notAfter?: string } = {}): TestCertificate {
  const names = options.names ?? ['peer.example'];
  const now = Date.now();
  const notBefore = options.notBefore ?? generalized(new Date(now - 86_400_000));
  const notAfter = options.notAfter ?? generalized(new Date(now + 90 * 86_400_000));
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const serial = der(0x02, Buffer.concat([Buffer.from([0x01]), createHash('sha256').update(spki).digest().subarray(0, 8)]));
  const san = seq(oid(SAN), der(0x04, seq(...names.map((n) => der(0x82, Buffer.from(n, 'latin1'))))));
  const tbs = seq(
    der(0xa0, der(0x02, Buffer.from([2]))), // v3
    serial,
    ECDSA_SHA256,
    name(names[0]),
    seq(time(notBefore), time(notAfter)),
    name(names[0]),
    spki,
    der(0xa3, seq(san)),
  );
  const signature = sign('sha256', tbs, privateKey);
  const certDer = seq(tbs, ECDSA_SHA256, der(0x03, Buffer.concat([Buffer.from([0]), signature])));
  const pem = `-----BEGIN CERTIFICATE-----\n${certDer.toString('base64').replace(/.{1,64}/g, '$&\n')}-----END CERTIFICATE-----\n`;
  return { cert: pem, key: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, notBefore, notAfter };
}

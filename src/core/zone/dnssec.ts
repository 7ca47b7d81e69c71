// CDS and CDNSKEY at the apex against the zone's DNSKEYs (RFC 7344 §4, RFC 8078 §4). BIND 9.18
// refuses a zone where a CDS (CDNSKEY) names an algorithm no DNSKEY of the zone has, or where one
// stands beside the delete record (`CDS 0 0 0 00`, `CDNSKEY 0 3 0 AA==`, RFC 8078 §4): errors.
// That a CDS matches no key of its algorithm (its DS digest computed from each, RFC 4034 §5.1.4),
// or a CDNSKEY is no DNSKEY of the zone, BIND does not look at; it breaks the chain of trust once
// the parent follows it, so it is a warning here.
import { createHash } from 'node:crypto';
import { severityOf } from './codes';
import { bare } from './names';
import { rdataKey } from './rdata';
import { base64Octets, hexOctets, nameWire } from './rdataTypes';
import type { ZoneFinding, ZoneRecord } from './types';

interface KeyData {
  flags: number;
  protocol: number;
  algorithm: number;
  key: Uint8Array;
}

interface DsData {
  keyTag: number;
  algorithm: number;
  digestType: number;
  digest: Uint8Array;
}

/** The RDATA fields of a DNSKEY/CDNSKEY (text or generic form); undefined when they do not parse. */
function keyData(r: ZoneRecord): KeyData | undefined {
  const key = rdataKey(r);
  if (key === undefined) return undefined;
  if (r.generic) {
    const b = hexOctets(key);
    if (!b || b.length < 4) return undefined;
    return { flags: (b[0] << 8) | b[1], protocol: b[2], algorithm: b[3], key: b.subarray(4) };
  }
  const [flags, protocol, algorithm, b64 = ''] = key.split(' ');
  const bytes = base64Octets(b64);
  if (!bytes) return undefined;
  return { flags: Number(flags), protocol: Number(protocol), algorithm: Number(algorithm), key: bytes };
}

function dsData(r: ZoneRecord): DsData | undefined {
  const key = rdataKey(r);
  if (key === undefined) return undefined;
  if (r.generic) {
    const b = hexOctets(key);
    if (!b || b.length < 4) return undefined;
    return { keyTag: (b[0] << 8) | b[1], algorithm: b[2], digestType: b[3], digest: b.subarray(4) };
  }
  const [keyTag, algorithm, digestType, hex = ''] = key.split(' ');
  const digest = hexOctets(hex);
  if (!digest) return undefined;
  return { keyTag: Number(keyTag), algorithm: Number(algorithm), digestType: Number(digestType), digest };
}

function keyRdata(k: KeyData): Uint8Array {
  const out = new Uint8Array(4 + k.key.length);
  out[0] = k.flags >> 8;
  out[1] = k.flags & 0xff;
  out[2] = k.protocol;
  out[3] = k.algorithm;
  out.set(k.key, 4);
  return out;
}

/** RFC 4034 Appendix B: the key tag (algorithm 1 has its own, B.1). */
export function keyTag(rdata: Uint8Array): number {
  if (rdata[3] === 1) return rdata.length >= 4 ? (rdata[rdata.length - 3] << 8) | rdata[rdata.length - 2] : 0;
  let ac = 0;
  for (let i = 0; i < rdata.length; i++) ac += i & 1 ? rdata[i] : rdata[i] << 8;
  ac += (ac >> 16) & 0xffff;
  return ac & 0xffff;
}

const DIGESTS = new Map<number, string>([
  [1, 'sha1'],
  [2, 'sha256'],
  [4, 'sha384'],
]);

/** RFC 4034 §5.1.4: digest = hash(owner name in canonical wire form | DNSKEY RDATA). */
function matches(ds: DsData, owner: string, key: KeyData): boolean {
  if (ds.algorithm !== key.algorithm) return false;
  const hash = DIGESTS.get(ds.digestType);
  if (!hash) return false;
  const rdata = keyRdata(key);
  if (keyTag(rdata) !== ds.keyTag) return false;
  const h = createHash(hash);
  h.update(Uint8Array.from(nameWire(owner)));
  h.update(rdata);
  const d = h.digest();
  return d.length === ds.digest.length && d.equals(ds.digest);
}

function isDeleteCds(d: DsData): boolean {
  return d.keyTag === 0 && d.algorithm === 0 && d.digestType === 0 && d.digest.length === 1 && d.digest[0] === 0;
}

function isDeleteCdnskey(k: KeyData): boolean {
  return k.flags === 0 && k.protocol === 3 && k.algorithm === 0 && k.key.length === 1 && k.key[0] === 0;
}

function finding(code: string, message: string, r: ZoneRecord): ZoneFinding {
  return { code, severity: severityOf(code), message, file: r.file, start: r.typeToken.start, end: r.typeToken.end };
}

/** The CDS/CDNSKEY findings of a zone's apex records (given in file order). */
export function lintCdsConsistency(origin: string, apex: ZoneRecord[], out: ZoneFinding[]): void {
  const cds = apex.filter((r) => r.type === 'CDS');
  const cdnskey = apex.filter((r) => r.type === 'CDNSKEY');
  if (cds.length === 0 && cdnskey.length === 0) return;
  const keys = apex.filter((r) => r.type === 'DNSKEY').flatMap((r) => keyData(r) ?? []);
  // Looked up by key tag and by the whole key, so n CDS records against n keys cost n lookups.
  const byTag = new Map<number, KeyData[]>();
  const byRdata = new Set<string>();
  for (const k of keys) {
    const rdata = keyRdata(k);
    const tag = keyTag(rdata);
    const l = byTag.get(tag);
    if (l) l.push(k);
    else byTag.set(tag, [k]);
    byRdata.add(Buffer.from(rdata).toString('hex'));
  }
  check(cds, dsData, isDeleteCds, (d) => (byTag.get(d.keyTag) ?? []).slice(0, 8).some((k) => matches(d, origin, k)), 'CDS', '0 0 0 00', keys, origin, out);
  check(cdnskey, keyData, isDeleteCdnskey, (k) => byRdata.has(Buffer.from(keyRdata(k)).toString('hex')), 'CDNSKEY', '0 3 0 AA==', keys, origin, out);
}

function check<T extends { algorithm: number }>(
  records: ZoneRecord[],
  read: (r: ZoneRecord) => T | undefined,
  isDelete: (t: T) => boolean,
  matchesKey: (t: T) => boolean,
  type: string,
  deleteText: string,
  keys: KeyData[],
  origin: string,
  out: ZoneFinding[],
): void {
  if (records.length === 0) return;
  const parsed = records.flatMap((r) => {
    const t = read(r);
    return t ? [{ r, t }] : [];
  });
  const deletes = parsed.filter((p) => isDelete(p.t));
  const others = parsed.filter((p) => !isDelete(p.t));
  const code = type === 'CDS' ? 'zone-cds-mismatch' : 'zone-cdnskey-mismatch';
  if (deletes.length > 0) {
    // RFC 8078 §4: the delete record asks the parent to remove the DS set; nothing beside it.
    for (const p of others) out.push(finding(code, `a ${type} record beside the delete record ${type} ${deleteText} at ${bare(origin)}: the delete record must stand alone (RFC 8078 §4); BIND refuses the zone`, p.r));
    return;
  }
  if (keys.length === 0) {
    out.push(finding(code, `${type} records at ${bare(origin)}, but the zone has no DNSKEY for them to match (RFC 7344 §4.1); BIND refuses the zone`, parsed[0]?.r ?? records[0]));
    return;
  }
  const algorithms = new Set(keys.map((k) => k.algorithm));
  const noMatch = type === 'CDS' ? 'zone-cds-no-match' : 'zone-cdnskey-no-match';
  for (const p of others) {
    if (!algorithms.has(p.t.algorithm)) {
      out.push(finding(code, `the ${type} record at ${bare(origin)} is for algorithm ${p.t.algorithm}, which no DNSKEY of the zone has (RFC 7344 §4.1); BIND refuses the zone`, p.r));
    } else if (!matchesKey(p.t)) {
      const what = type === 'CDS' ? 'matches no DNSKEY of the zone (key tag and digest computed from each key of its algorithm)' : "is not one of the zone's DNSKEY records";
      out.push(finding(noMatch, `the ${type} record at ${bare(origin)} ${what}: a parent that follows it publishes a DS that breaks the chain of trust (RFC 7344 §4.1)`, p.r));
    }
  }
}

// The DKIM result model: plain, JSON-serialisable data. The key check returns a DkimKeyResult (the
// CLI's --json prints it as it is); verifyDkimSignatures returns one DkimSignatureResult per
// DKIM-Signature header field.
import type { Finding, Rcode } from '../model';
import type { ParsedDkimKey } from './key';

/** One selector looked up: `<selector>._domainkey.<domain>` TXT. */
export interface DkimSelectorLookup {
  selector: string;
  /** `<selector>._domainkey.<domain>`, lower case. */
  name: string;
  rcode: Rcode;
  error?: string;
  /** CNAMEs followed: a selector delegated to a mail provider (`s1._domainkey.example.com` → `s1.domainkey.u123.wl.sendgrid.net`). */
  cnames: { name: string; target: string }[];
  /** Each TXT record at the name, as its character-strings (at most DKIM_LIMITS.keyRecordsKept, the key record among them). */
  records: string[][];
  /** TXT records at the name past DKIM_LIMITS.keyRecordsKept, counted, not kept. */
  recordsOmitted?: number;
  /** The key record read (the first TXT record with a p= tag, else the first), parsed. */
  parsed?: ParsedDkimKey;
  dig: string;
  /** This selector's findings (included in the result's `findings`). */
  findings: Finding[];
}

/** "Check DKIM key": the key record of one selector, or the common selectors tried. */
export interface DkimKeyResult {
  kind: 'dkim';
  domain: string;
  /** The selector asked for; null when none was given and the common ones were tried. */
  selector: string | null;
  /** The name reported on: the selector's, or the first common selector with a key (else the first tried). */
  name: string;
  /** The key record's text (strings joined), null when there is none. */
  record: string | null;
  /** The key: its type (`rsa`, `ed25519`, or what k= says) and size in bits (null when it does not decode). */
  key: { type: string | null; bits: number | null };
  /** t=y. */
  testing: boolean;
  /** p= is empty. */
  revoked: boolean;
  cnames: { name: string; target: string }[];
  /** Every lookup: the one selector, or every common selector tried. */
  lookups: DkimSelectorLookup[];
  /** Selectors with a key record (any p=, revoked included). */
  found: string[];
  findings: Finding[];
  resolvers: string[];
  startedAt: string;
  elapsedMs: number;
}

/** RFC 8601 §2.7.1 DKIM results. */
export type DkimResultCode = 'pass' | 'fail' | 'neutral' | 'temperror' | 'permerror' | 'policy';

/** One DKIM-Signature header field, verified. */
export interface DkimSignatureResult {
  /** Position among the DKIM-Signature fields, the topmost (newest) being 0. */
  index: number;
  result: DkimResultCode;
  /** Stable code of the outcome (docs/dmarc-dkim.md, DKIM table): `dkim-sig-pass`, `dkim-sig-body-hash`, … */
  code: string;
  /** Why, in plain words. */
  reason: string;
  /** d=, s=, a= and i= as written (empty when missing). */
  d: string;
  s: string;
  a: string;
  i?: string;
  /** c=: header and body canonicalization (default simple/simple). */
  canonicalization: { header: string; body: string };
  /** h= names, lower case, in order (over-signed names repeated). */
  headerFieldsSigned: string[];
  /** Names listed in h= more times than the message has them: protected against being added (RFC 6376 §8.15). */
  overSigned: string[];
  /** l=: the body octets signed, when the signature limits them. */
  bodyLength?: number;
  /** Octets of the canonicalized body. */
  bodyOctets?: number;
  /** With l=: octets after the signed part (anyone could have added them). */
  unsignedBodyOctets?: number;
  /** The body hash computed equals bh=. Undefined when not computed. */
  bodyHashMatches?: boolean;
  /** t= and x=, seconds since 1970. */
  timestamp?: number;
  expires?: number;
  /** Where the key was looked up: `<s>._domainkey.<d>`. */
  keyName: string;
  keyDig?: string;
  /** The key used (type, bits, t=y) and any CNAMEs on the way to it. */
  key?: { type: string | null; bits: number | null; testing: boolean; cnames: { name: string; target: string }[] };
  /** rsa-sha1 (RFC 8301 §3.1) or an RSA key under 1024 bits: it may verify, receivers do not accept it. */
  weak?: string;
  /** Things worth knowing that do not change the result (t= in the future, l= with unsigned octets, testing key). */
  notes: string[];
}

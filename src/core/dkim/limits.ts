// The DKIM budgets, in one place (docs/security.md explains each). A message is written by a
// stranger: every loop over it is bounded here, checked before the work it bounds, and a bound
// that stops something is named in the result.

export const DKIM_LIMITS = {
  /** Key check: DNS queries for one selector, or for all the common selectors tried together. */
  keyQueries: 100,
  /** Key check: TXT records kept per key name (a sound one has one); the rest are counted (`recordsOmitted`). */
  keyRecordsKept: 8,
  /** Message: octets read at all (headers and body); past it the message is not verified. */
  messageOctets: 32 * 1024 * 1024,
  /** Message: header fields read. */
  headerFields: 1000,
  /** Message: octets of the header section. */
  headerOctets: 1024 * 1024,
  /** Message: octets of one header field, folded lines together (a DKIM-Signature with a 16,384-bit b= is ~3 KB). */
  fieldOctets: 64 * 1024,
  /** DKIM-Signature fields verified; the ones after them get `neutral` with code dkim-sig-budget. */
  signatures: 10,
  /** Header field names in one h= (over-signing repeats names; real lists have a few dozen). */
  signedFields: 200,
  /** Verification: DNS queries for all the signatures' keys together. */
  verifyQueries: 40,
} as const;

/** Clock skew allowed on x= (expiry) and t= (timestamp in the future), in seconds. */
export const CLOCK_SKEW_SECONDS = 300;

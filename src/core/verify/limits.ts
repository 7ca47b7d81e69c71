// The budgets of "Check a received message", in one place (docs/security.md explains each). The
// message is written by strangers: every loop over its header fields is bounded here, on top of the
// message reader's own budgets (../dkim/limits.ts: octets, fields, field length).

export const VERIFY_LIMITS = {
  /** Mailboxes read from one From field (RFC 7489 §6.6.1: more than one is already a finding). */
  addresses: 100,
  /** Received fields read, topmost first (RFC 5321 §6.3: a hundred hops means a mail loop). */
  received: 100,
  /** Authentication-Results and ARC-Authentication-Results fields read. */
  authResults: 50,
  /** Result clauses (resinfo) read from one Authentication-Results field. */
  resinfo: 50,
  /** ARC sets read (RFC 8617 §4.2.1: instances 1 to 50). */
  arcSets: 50,
  /** DNS queries for the ARC chain's keys (each seal and the newest message signature). */
  arcQueries: 30,
  /** Characters of one header value read (From, Received, Authentication-Results, ARC): real ones are under 2 KB. */
  valueChars: 16 * 1024,
  /** Characters of a header value kept for the report. */
  shownChars: 600,
} as const;

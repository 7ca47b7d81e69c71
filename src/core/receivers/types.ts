// The receiver matrix: what other mail software does with a server's mail, modelled from the results
// the checks already computed (rDNS, HELO, SPF, DMARC). Nothing here asks DNS again.
import type { DmarcEvaluation } from '../dmarc/evaluate';
import type { DkimSignatureInput } from './dkimRows';
import type { DnsblResult } from '../dnsbl/types';
import type { HeloResult } from '../helo/types';
import type { RdnsResult } from '../rdns/types';
import type { SpfResult } from '../spf/types';
import type { ReceiverKnobs } from './knobs';

export type ReceiverName = 'postfix' | 'spamassassin' | 'rspamd' | 'exim' | 'gmail' | 'yahoo' | 'microsoft';

/**
 * One cell of the matrix. `verdict` is what the rule does: `hit` / `no hit` for a scoring rule, the
 * action (`no action`, `greylist`, `add header`, `reject`) or the class (`ham`, `spam`) for a total.
 */
export interface ReceiverRow {
  receiver: ReceiverName;
  /** Which version's defaults are modelled, e.g. `SpamAssassin 4.0.1 (Debian 12 rules, score set 1)`. */
  version: string;
  /** The rule or symbol, e.g. `RDNS_NONE`; `total` / `action` for the receiver's sum. */
  rule: string;
  verdict: 'hit' | 'ham' | 'spam' | 'no action' | 'greylist' | 'add header' | 'reject' | 'accept' | 'defer' | 'met' | 'not met' | 'cannot tell';
  /**
   * `published-rule`: the provider's published requirement (Gmail, Yahoo, Microsoft; verdict met / not
   * met / cannot tell), not behaviour checked against its servers. Absent: checked against the real software.
   */
  basis?: 'published-rule';
  /** The rule's score (weight) in the modelled defaults; for a total, the sum. */
  score?: number;
  /** The SMTP reply the receiver gives, when it gives one. */
  reply?: string;
  /** Why the rule hits, in words. */
  why: string;
  docUrl: string;
}

/** What the receivers are shown: the connection and the results the checks already made. */
export interface ReceiverInput {
  /** The client address (canonical). */
  ip: string;
  /** The HELO/EHLO name as the client gives it. */
  helo: string;
  rdns: RdnsResult;
  /** The HELO check of that name from that IP (its `spf` is the HELO identity's SPF). */
  heloCheck?: HeloResult;
  /** check_host() for the MAIL FROM domain. */
  spf?: SpfResult;
  /** The DMARC evaluation for the From domain, with whether that domain exists (A, AAAA or MX). */
  dmarc?: DmarcEvaluation;
  /** The MAIL FROM domain, and the address when known (Postfix quotes it in its reply). */
  fromDomain?: string;
  mailFrom?: string;
  /** The recipient, when known (Postfix quotes it in a recipient restriction's reply). */
  rcptTo?: string;
  /** Whether the MAIL FROM domain has an A, AAAA or MX record (from the MX check); null when not known. */
  fromDomainExists?: boolean | null;
  /** The DNSBL check of the client address (the zones of mailDns.dnsbl.zones); its answers drive the DNSBL rows. */
  dnsbl?: DnsblResult;
  /** Whether the connection uses TLS (STARTTLS); undefined when not known (rspamd's rows then assume it does). */
  tls?: boolean;
  /**
   * The message's DKIM signatures as verified (verifyDkimSignatures), [] for an unsigned message;
   * undefined when no message is known: the DKIM rows are left out (./dkimRows.ts).
   */
  dkim?: DkimSignatureInput[];
  /** The RFC 5322 From domain (SpamAssassin's DKIM_VALID_AU); defaults to the DMARC evaluation's From domain. */
  authorDomain?: string;
  /** The receivers' settings that change verdicts (./knobs.ts); unset: the modelled defaults. */
  knobs?: ReceiverKnobs;
}

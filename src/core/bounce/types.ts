/** What a rejection text is about. Each maps to one side (`SIDE_OF` in explain.ts). */
export type BounceCategory =
  // the sender's DNS
  | 'helo'
  | 'rdns'
  | 'spf'
  | 'dkim'
  | 'dmarc'
  | 'auth'
  | 'sender-domain'
  // the sender's reputation
  | 'dnsbl'
  | 'blocked'
  | 'reputation'
  | 'rate'
  // the receiver's policy on this sender
  | 'sender'
  | 'not-permitted'
  // the sending server's setup
  | 'relay'
  | 'tls'
  | 'smtp-auth'
  | 'security'
  | 'syntax'
  // the recipient
  | 'recipient'
  | 'mailbox-full'
  | 'mailbox-disabled'
  | 'moved'
  | 'recipient-filter'
  | 'recipient-rate'
  | 'recipient-domain'
  | 'recipient-server'
  // the content
  | 'spam'
  | 'virus'
  | 'policy'
  | 'size'
  // the delivery itself
  | 'expired'
  | 'network'
  | 'other';

/**
 * Whose side must act. `sender-*`: the sending side (its DNS records, its IP's or domain's
 * reputation, the receiver's policy on this sender, the sending server's setup); `recipient`: the
 * recipient's mailbox or domain; `content`: the message itself; `delivery`: the connection or a
 * server on the way (timeouts, loops, the receiver's own errors); `none`: nothing failed (a success
 * notice, an auto-reply, a feedback report); `unknown`: the text says too little.
 */
export type BounceSide = 'sender-dns' | 'sender-reputation' | 'sender-policy' | 'sender-setup' | 'recipient' | 'content' | 'delivery' | 'none' | 'unknown';

/** What the message is, before what it says. */
export type MessageKind = 'bounce' | 'delay' | 'delivered' | 'auto-reply' | 'feedback-report' | 'unknown';

/** One rejection text recognised in the bounce. */
export interface BounceMatch {
  /** Stable id of the pattern, e.g. `postfix-helo-non-fqdn`. */
  id: string;
  /** Who sends this text: `Postfix`, `Exim`, `Microsoft`, `Gmail`, `Yahoo`, `Sendmail`, or `any` for generic texts. */
  receiver: string;
  category: BounceCategory;
  side: BounceSide;
  /** 4 a receiver's own sentence, 3 a specific wording, 2 a status code alone, 1 a generic refusal. */
  rank: number;
  title: string;
  /** What happened, in plain words. */
  explanation: string;
  /** What the receiver checked, in plain words. */
  checked: string;
  /** Whether the fix is on the sender's side (its DNS, its reputation, its setup, the receiver's policy on it). */
  senderSide: boolean;
  /** The matched text (whitespace folded, escaped, bounded). */
  text: string;
  /** Offsets of the match in the text it was found in (the recipient's evidence, decoded). */
  start: number;
  end: number;
  /** Values the text names. */
  values: { ip?: string; helo?: string; domain?: string; sender?: string; zone?: string; code?: string; enhanced?: string };
}

/** A check to run next, with the values found in the bounce. */
export interface SuggestedCheck {
  check: 'helo' | 'rdns' | 'spf' | 'dnsbl' | 'mx' | 'check' | 'dmarc' | 'dkim';
  /** Arguments by name (`ip`, `helo`, `domain`, `zone`, `selector`); missing values are absent. */
  args: Record<string, string>;
  /** The command line, with `<placeholders>` where the bounce did not say. */
  cli: string;
  /** All values it needs came from the bounce (no placeholders). */
  complete: boolean;
  why: string;
  /** The VS Code command that runs it with `args` (`mailDns.checkDmarc` `{domain}`, `mailDns.checkDkim` `{selector, domain}`). */
  command?: string;
}

/** What one recipient's delivery came to, and why. */
export interface RecipientVerdict {
  /** The recipient (Final-Recipient, or the address the text names); undefined when the bounce names none. */
  address?: string;
  /** RFC 3464 Action: failed, delayed, delivered, relayed, expanded (or read from the text). */
  action?: string;
  /** RFC 3463 status, e.g. `5.7.1`. */
  status?: string;
  statusMeaning?: string;
  /** The receiving server (Remote-MTA, `host … [IP]`) and its address. */
  remoteMta?: string;
  remoteIp?: string;
  /** The receiver's reply as the bounce gives it (Diagnostic-Code, or the reply in the text), folded, escaped, bounded. */
  reply: string;
  category: BounceCategory;
  side: BounceSide;
  /** The match that decided, with its wording; undefined when nothing was recognised. */
  cause?: BounceMatch;
  /** The cause in plain words. */
  explanation: string;
  /** The values this recipient's rejection names, and the ones the message gives around it. */
  values: { ip?: string; helo?: string; domain?: string; zone?: string; selector?: string; recipientDomain?: string };
  /** Values the rejection did not name, taken from what the receiver saw (the returned message's Received-SPF). */
  valuesFromReturned?: string[];
  suggestions: SuggestedCheck[];
}

/** What the returned message says about how the receiver saw it: context, never the rejection. */
export interface ReturnedContext {
  from?: string;
  returnPath?: string;
  subject?: string;
  /** Received-SPF / Authentication-Results in the returned message: what some receiver on the way saw. */
  receivedSpf?: string;
  authenticationResults?: string;
  /** DKIM-Signature d= and s= of the returned message (the selector a DKIM check needs). */
  dkim?: { domain: string; selector: string }[];
}

export interface BounceExplanation {
  kind: 'bounce';
  /** A bounce, a delay notice, a success notice, an auto-reply, a feedback report (ARF), or unknown. */
  messageKind: MessageKind;
  /** How the message was read: a MIME delivery report (RFC 3464), a feedback report (RFC 5965), plain text. */
  format: 'dsn' | 'arf' | 'text';
  subject?: string;
  /** One verdict per recipient (at most 100), in the order the bounce gives them. */
  recipients: RecipientVerdict[];
  /** Every rejection text recognised, over all recipients (no duplicates). */
  matches: BounceMatch[];
  extracted: {
    /** Addresses the receiver names as the sender's (the client it refused). */
    senderIps: string[];
    /** Addresses of the receiving servers (`host mx.example[198.51.100.25] said`). */
    receiverIps: string[];
    /** Other addresses in the text (headers, internal hops). */
    otherIps: string[];
    heloNames: string[];
    /** Domains of the sender (envelope sender, From, the domain a receiver names). */
    senderDomains: string[];
    /** Domains of the recipients. */
    recipientDomains: string[];
    /** The receiving server(s): `Remote-MTA`, `host … said`. */
    remoteHosts: string[];
    /** The server that wrote the bounce (`Reporting-MTA`, `Generating server`). */
    reportingMta?: string;
    dnsblZones: string[];
    smtpCodes: string[];
    enhancedCodes: { code: string; meaning: string }[];
  };
  /** The returned message's header, read as context. */
  returned?: ReturnedContext;
  /** A feedback report's fields (RFC 5965 §3.1): Feedback-Type, Source-IP, Reported-Domain, … */
  feedback?: Record<string, string>;
  /** One paragraph in plain words. */
  summary: string;
  /** Every recipient's suggestions, without repeats. */
  suggestions: SuggestedCheck[];
  /** What could not be read (a MIME structure past the limits, recipients past the cap). */
  notes: string[];
  /** Characters read (the input is cut at 512 KiB). */
  length: number;
  truncated: boolean;
}

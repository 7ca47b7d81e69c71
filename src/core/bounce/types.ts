export type BounceCategory =
  | 'helo'
  | 'rdns'
  | 'spf'
  | 'auth'
  | 'dnsbl'
  | 'reputation'
  | 'sender-domain'
  | 'recipient'
  | 'relay'
  | 'tls'
  | 'other';

/** One rejection text recognised in the bounce. */
export interface BounceMatch {
  /** Stable id of the pattern, e.g. `postfix-helo-non-fqdn`. */
  id: string;
  /** Who sends this text: `Postfix`, `Exim`, `Microsoft`, `Gmail`, `Yahoo`, `Sendmail`, or `any` for generic texts. */
  receiver: string;
  category: BounceCategory;
  title: string;
  /** What happened, in plain words. */
  explanation: string;
  /** What the receiver checked, in plain words. */
  checked: string;
  /** Whether the fix is on the sender's side (false: the recipient's address or mailbox). */
  senderSide: boolean;
  /** The matched text (whitespace folded, escaped, bounded). */
  text: string;
  /** Offsets of the match in the input text. */
  start: number;
  end: number;
  /** Values the text names. */
  values: { ip?: string; helo?: string; domain?: string; sender?: string; zone?: string; code?: string; enhanced?: string };
}

/** A check to run next, with the values found in the bounce. */
export interface SuggestedCheck {
  check: 'helo' | 'rdns' | 'spf' | 'dnsbl' | 'mx' | 'check';
  /** Arguments by name (`ip`, `helo`, `domain`, `zone`); missing values are absent. */
  args: Record<string, string>;
  /** The command line, with `<placeholders>` where the bounce did not say. */
  cli: string;
  /** All values came from the bounce (no placeholders). */
  complete: boolean;
  why: string;
}

export interface BounceExplanation {
  kind: 'bounce';
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
  /** One paragraph in plain words. */
  summary: string;
  suggestions: SuggestedCheck[];
  /** Characters read (the input is cut at 512 KiB). */
  length: number;
  truncated: boolean;
}

import type { Finding } from '../model';

/** One SMTP reply (RFC 5321 §4.2): the code and each line's text, escaped. */
export interface SmtpReplyData {
  code: number;
  /** RFC 3463 enhanced status code at the start of the text (e.g. `5.5.2`), when present. */
  enhanced?: string;
  /** The text after `NNN-`/`NNN ` of each line; control characters escaped as \xNN. */
  lines: string[];
  /** Milliseconds from sending the command (or from connecting, for the greeting) to the whole reply. */
  ms: number;
}

/** One line of the dialogue as it happened. */
export interface TranscriptLine {
  /** `S` server, `C` client (us). */
  dir: 'S' | 'C';
  /** The line, control characters escaped as \xNN, cut at the line bound. */
  text: string;
  /** Milliseconds since the connection was opened. */
  ms: number;
  /** Sent or received inside TLS. */
  tls: boolean;
}

export interface EhloExtension {
  /** Upper case, e.g. `STARTTLS`, `SIZE`, `PIPELINING`. */
  keyword: string;
  params: string;
}

export interface CertificateInfo {
  subject: string;
  issuer: string;
  /** DNS names from subjectAltName, else the subject CN. */
  names: string[];
  /** ISO 8601; empty when the certificate's date cannot be read (see `unreadableDates`). */
  validFrom: string;
  validTo: string;
  /** Whole days from now to validTo (negative once expired); null when validTo cannot be read. */
  daysLeft: number | null;
  /** The dates that are not dates, as the certificate has them (`notAfter "Bad time value"`). */
  unreadableDates?: string;
  expired: boolean;
  notYetValid: boolean;
  /** Signed by itself (issuer = subject, or OpenSSL says so). Reported, never a failure of the probe. */
  selfSigned: boolean;
  /** The chain verifies against the system's CAs. */
  authorized: boolean;
  /** OpenSSL's reason when it does not (e.g. `DEPTH_ZERO_SELF_SIGNED_CERT`). */
  authorizationError?: string;
  fingerprint256: string;
  /** Whether the certificate covers each name the server goes by. */
  matches: { name: string; role: 'host' | 'greeting' | 'ehlo'; ok: boolean }[];
}

export interface StartTlsInfo {
  /** The EHLO reply listed STARTTLS (RFC 3207 §4). */
  offered: boolean;
  attempted: boolean;
  /** The handshake completed. */
  ok?: boolean;
  reply?: SmtpReplyData;
  protocol?: string;
  cipher?: string;
  certificate?: CertificateInfo;
  error?: string;
  /** Extensions listed by the EHLO sent again inside TLS (RFC 3207 §4.2). */
  extensionsAfter?: EhloExtension[];
}

/** The greeting or EHLO name against DNS: does it resolve to the server's address, is it its PTR? */
export interface ServerNameCheck {
  role: 'greeting' | 'ehlo';
  name: string;
  fqdn: boolean;
  /** A/AAAA of the name. */
  addresses: string[];
  rcode: string;
  resolvesToServer: boolean | null;
  isPtr: boolean | null;
  dig: string;
}

export interface SmtpProbeResult {
  kind: 'smtp';
  /** Host as given (name or address). */
  host: string;
  port: number;
  /** The host was given as a name, not an address. */
  hostIsName: boolean;
  /** The host's addresses (for a name), or the address itself. */
  addresses: string[];
  /** The address connected to (the first). */
  address?: string;
  connected: boolean;
  connectMs?: number;
  greeting?: SmtpReplyData & {
    /** The first word of the greeting: the name the server calls itself (RFC 5321 §4.2). */
    name?: string;
    /** Milliseconds to the first byte of the greeting (a partial `220-` line counts). */
    firstByteMs?: number;
  };
  ehlo?: {
    command: 'EHLO' | 'HELO';
    /** The name we sent. */
    sentName: string;
    reply: SmtpReplyData;
    /** The first word of the reply: the name the server says in reply to EHLO. */
    name?: string;
    extensions: EhloExtension[];
    /** The address the server says it sees us at (`Hello [203.0.113.9]`), if it says. */
    clientAddress?: string;
  };
  starttls: StartTlsInfo;
  quit?: SmtpReplyData;
  /** PTR names of the connected address. */
  serverPtr: string[];
  names: ServerNameCheck[];
  transcript: TranscriptLine[];
  bytesRead: number;
  findings: Finding[];
  resolvers: string[];
  startedAt: string;
  elapsedMs: number;
}

// Reading SMTP replies from a stranger, with bounds.
//
// RFC 5321 §4.2: a reply is one or more lines `NNN-text` ending with `NNN text` (or `NNN`), all with
// the same code, each ended by CRLF. §4.5.3.1.5: a reply line is at most 512 octets with its CRLF.
// We accept bare LF (and say so), allow lines up to `maxLine` octets before giving up, and stop
// reading once `maxTotal` octets have arrived: whatever the server sends, memory stays bounded.

/** Replaces control characters (and DEL, C1, bidi controls) with visible escapes. */
export function escapeText(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

export interface ReaderLimits {
  /** Longest line accepted, in octets without the line end (default 2048). */
  maxLine: number;
  /** Most octets read in the whole session (default 65536). */
  maxTotal: number;
  /** Most lines in one reply (default 100). */
  maxLines: number;
}

export const DEFAULT_LIMITS: ReaderLimits = { maxLine: 2048, maxTotal: 65536, maxLines: 100 };

export interface ParsedReply {
  code: number;
  enhanced?: string;
  lines: string[];
  /** Raw lines as text (escaped), `NNN-…` included, for the transcript. */
  raw: string[];
  /** Some line ended with a bare LF. */
  bareLf: boolean;
  /** Some line was longer than RFC 5321's 512 octets. */
  overlong: boolean;
}

export type ReaderEvent =
  | { kind: 'reply'; reply: ParsedReply }
  | { kind: 'error'; error: 'line-too-long' | 'too-much-data' | 'malformed' | 'too-many-lines'; message: string; partial: string[] };

const REPLY_LINE = /^([2-5][0-9][0-9])([ -]|$)(.*)$/s;
const ENHANCED = /^([245]\.\d{1,3}\.\d{1,3})(?:\s|$)/;

/** Incremental reply parser: feed bytes, take complete replies. */
export class ReplyReader {
  private buf: Buffer = Buffer.alloc(0);
  private lines: { text: string; bareLf: boolean; length: number }[] = [];
  total = 0;
  /** Lines taken so far of a reply that is not complete yet (for error reports). */
  partial(): string[] {
    return this.lines.map((l) => l.text);
  }

  constructor(
    private readonly limits: ReaderLimits = DEFAULT_LIMITS,
    /** Called with each complete line (escaped) as it arrives, for transcripts. */
    private readonly onLine?: (text: string) => void,
  ) {}

  /** Octets received but not yet part of a complete reply. */
  pendingBytes(): number {
    return this.buf.length + this.lines.reduce((n, l) => n + l.length, 0);
  }

  /** Adds bytes; returns the events they complete (replies or one error, after which stop reading). */
  feed(chunk: Buffer): ReaderEvent[] {
    const events: ReaderEvent[] = [];
    this.total += chunk.length;
    if (this.total > this.limits.maxTotal) {
      return [{ kind: 'error', error: 'too-much-data', message: `the server sent more than ${this.limits.maxTotal} octets`, partial: this.partial() }];
    }
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    for (;;) {
      const nl = this.buf.indexOf(0x0a);
      if (nl < 0) {
        // A CR at the end may be the first half of this line's CRLF, its LF still to come.
        const pending = this.buf.length - (this.buf[this.buf.length - 1] === 0x0d ? 1 : 0);
        if (pending > this.limits.maxLine) {
          return [...events, { kind: 'error', error: 'line-too-long', message: `a line longer than ${this.limits.maxLine} octets with no end`, partial: this.partial() }];
        }
        return events;
      }
      const crlf = nl > 0 && this.buf[nl - 1] === 0x0d;
      const lineBytes = this.buf.subarray(0, crlf ? nl - 1 : nl);
      this.buf = this.buf.subarray(nl + 1);
      if (lineBytes.length > this.limits.maxLine) {
        return [...events, { kind: 'error', error: 'line-too-long', message: `a line of ${lineBytes.length} octets (RFC 5321 §4.5.3.1.5 allows 512)`, partial: this.partial() }];
      }
      const text = escapeText(lineBytes.toString('utf8'));
      this.onLine?.(text);
      this.lines.push({ text, bareLf: !crlf, length: lineBytes.length + (crlf ? 2 : 1) });
      const m = REPLY_LINE.exec(lineBytes.toString('latin1'));
      if (!m) {
        const partial = this.partial();
        this.lines = [];
        return [...events, { kind: 'error', error: 'malformed', message: `not an SMTP reply line: ${JSON.stringify(text.slice(0, 120))}`, partial }];
      }
      const first = this.lines[0];
      const firstCode = first ? /^(\d{3})/.exec(first.text)?.[1] : undefined;
      if (firstCode && firstCode !== m[1]) {
        const partial = this.partial();
        this.lines = [];
        return [...events, { kind: 'error', error: 'malformed', message: `reply lines with different codes (${firstCode} then ${m[1]}; RFC 5321 §4.2.1 wants the same code on every line)`, partial }];
      }
      if (this.lines.length > this.limits.maxLines) {
        return [...events, { kind: 'error', error: 'too-many-lines', message: `a reply of more than ${this.limits.maxLines} lines`, partial: this.partial() }];
      }
      if (m[2] !== '-') {
        const taken = this.lines;
        this.lines = [];
        const texts = taken.map((l) => l.text.slice(4));
        const enhanced = ENHANCED.exec(texts[0] ?? '')?.[1];
        events.push({
          kind: 'reply',
          reply: {
            code: Number(m[1]),
            ...(enhanced ? { enhanced } : {}),
            lines: texts,
            raw: taken.map((l) => l.text),
            bareLf: taken.some((l) => l.bareLf),
            overlong: taken.some((l) => l.length > 512),
          },
        });
      }
    }
  }
}

// Reading a raw mail message: its header fields and its parts, decoded. The MIME work (RFC 2045
// transfer encodings, RFC 2046 multipart boundaries, RFC 2047 encoded words, charsets) is done by
// postal-mime (docs/architecture.md and docs/modules.md say why that package); this module gives the rest of the core
// one small, plain-data view of a message and the RFC 5322 header-block reader that DSN fields
// (RFC 3464 §2.1), ARF fields (RFC 5965 §3.1) and returned headers (RFC 6522 text/rfc822-headers)
// need, which postal-mime leaves as opaque parts.
//
// Everything here is bounded and linear: the input is cut at `MAX_MESSAGE` characters, postal-mime
// runs with nesting and header-size limits, and each reader below looks at every character once.
import PostalMime from 'postal-mime';

/** Longest message read (characters): a bounce carries the returned message, which can be large. */
export const MAX_MESSAGE = 512 * 1024;
/** Header fields kept per block: a real header has dozens; a flood of fields is cut, not stored. */
export const MAX_FIELDS = 1000;
/** MIME nesting postal-mime follows (its default is 256); real bounces nest 3 or 4 deep. */
const MAX_NESTING = 32;
/** Header bytes across all parts (postal-mime's default is 2 MiB). */
const MAX_HEADER_BYTES = 256 * 1024;
/** Parts kept: a report has 2 or 3; a message of thousands of tiny parts is cut. */
export const MAX_PARTS = 200;

/** One header field: its name in lower case, its value unfolded (RFC 5322 §2.2.3) and not otherwise decoded. */
export interface HeaderField {
  name: string;
  value: string;
}

/** A part that is not inline text: a delivery status, a feedback report, a returned message or its headers, an attachment. */
export interface MessagePart {
  /** `message/delivery-status`, `message/rfc822`, `text/rfc822-headers`, … (lower case). */
  type: string;
  /** Its content, transfer encoding undone, read as UTF-8 (these parts are US-ASCII or UTF-8 by their RFCs). */
  text: string;
}

export interface MailMessage {
  /** Whether the text had a header block at all (a pasted reply line has none). */
  hasHeader: boolean;
  headers: HeaderField[];
  /** The Subject, encoded words decoded (RFC 2047). */
  subject: string;
  /** The inline text of the message: its text/plain parts (HTML made text when there is no plain part), decoded to Unicode. */
  text: string;
  /** The other leaf parts, in order. */
  parts: MessagePart[];
  /** Why the MIME structure could not be read (then `text` is the body as it stands); undefined when it was. */
  problem?: string;
  /** The input was longer than MAX_MESSAGE and was cut. */
  truncated: boolean;
}

/** CRLF and lone CR as LF: a bounce saved on any system reads the same (RFC 5322 §2.1 lines end in CRLF). */
export function normalizeLineEnds(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

const FIELD = /^([\x21-\x39\x3b-\x7e]{1,76}):[ \t]?(.*)$/;
const MBOX_FROM = /^From [^\n]{0,500}$/;

/**
 * Header fields at the start of `text` up to the first empty line (RFC 5322 §2.2, §2.2.3: a line
 * starting with white space continues the field before it). Stops at the first line that is
 * neither a field nor a continuation, and says where the body starts. One pass over the lines.
 */
export function readHeaderBlock(text: string, start = 0, work?: { steps: number }): { headers: HeaderField[]; end: number; ok: boolean } {
  const headers: HeaderField[] = [];
  let at = start;
  let ok = true;
  let current: { name: string; parts: string[] } | undefined;
  const flush = () => {
    if (current && headers.length < MAX_FIELDS) headers.push({ name: current.name, value: current.parts.join(' ').replace(/[ \t]+/g, ' ').trim() });
    current = undefined;
  };
  while (at < text.length) {
    let nl = text.indexOf('\n', at);
    if (nl < 0) nl = text.length;
    const line = text.slice(at, nl);
    if (work) work.steps += line.length + 1;
    if (line.trim() === '') {
      at = Math.min(nl + 1, text.length);
      break;
    }
    if (/^[ \t]/.test(line) && current) {
      if (current.parts.length < 200) current.parts.push(line.trim());
    } else {
      const m = FIELD.exec(line);
      if (!m) {
        ok = false;
        break;
      }
      flush();
      current = { name: m[1].toLowerCase(), parts: [m[2]] };
    }
    at = nl + 1;
  }
  flush();
  return { headers, end: Math.min(at, text.length), ok };
}

/**
 * Groups of fields, as in a delivery-status part (RFC 3464 §2.1: the per-message fields, then one
 * group per recipient, separated by empty lines) or a feedback report (RFC 5965 §3.1). A line that
 * is neither a field nor a continuation ends a group like an empty line does, so the groups can be
 * read out of prose too (a report pasted as text). One pass over the lines.
 */
export function readFieldGroups(text: string, work?: { steps: number }): HeaderField[][] {
  const groups: HeaderField[][] = [];
  let group: HeaderField[] = [];
  let current: { name: string; parts: string[] } | undefined;
  const flushField = () => {
    if (current && group.length < MAX_FIELDS) group.push({ name: current.name, value: current.parts.join(' ').replace(/[ \t]+/g, ' ').trim() });
    current = undefined;
  };
  const flushGroup = () => {
    flushField();
    if (group.length > 0 && groups.length < MAX_PARTS) groups.push(group);
    group = [];
  };
  for (const line of normalizeLineEnds(text).split('\n')) {
    if (work) work.steps += line.length + 1;
    if (line.trim() === '') {
      flushGroup();
    } else if (/^[ \t]/.test(line) && current) {
      if (current.parts.length < 200) current.parts.push(line.trim());
    } else {
      const m = FIELD.exec(line);
      if (m) {
        flushField();
        current = { name: m[1].toLowerCase(), parts: [m[2]] };
      } else flushGroup();
    }
  }
  flushGroup();
  return groups;
}

/** The value of the first field of this name (lower case), or undefined. */
export function field(headers: readonly HeaderField[], name: string): string | undefined {
  return headers.find((h) => h.name === name)?.value;
}

/** Whether the text starts as a message does: header fields (or an mbox `From ` line), not a pasted sentence. */
export function looksLikeMessage(text: string): boolean {
  const t = text.replace(/^\s+/, '');
  const firstLine = t.slice(0, Math.max(0, t.indexOf('\n')) || t.length);
  const start = MBOX_FROM.test(firstLine) ? firstLine.length + 1 : 0;
  const block = readHeaderBlock(t.slice(0, 64 * 1024), start);
  // Two fields make a header; one "Status: 5.1.1" line pasted alone does not.
  return block.headers.length >= 2 && (block.ok || block.headers.length >= 4);
}

const utf8 = new TextDecoder('utf-8');

function partText(content: ArrayBuffer | Uint8Array | string): string {
  return typeof content === 'string' ? content : utf8.decode(content);
}

/** ISO-2022-JP's two-byte runs (RFC 1468): ESC $ B (or ESC $ @) up to the ESC ( B / ESC ( J that ends them. */
const JIS_RUN = /\x1b\$[@B][^\x1b]{0,8192}(?:\x1b\([BJ])?/g;
const JIS_DECODER = new TextDecoder('iso-2022-jp');
/** windows-1252's characters for bytes 0x80–0x9F (what a us-ascii or ISO-8859-1 label decodes them to, per WHATWG), back to the byte. */
const CP1252_BYTES: ReadonlyMap<string, number> = new Map(Array.from({ length: 32 }, (_, i) => [new TextDecoder('windows-1252').decode(new Uint8Array([0x80 + i])), 0x80 + i] as [string, number]));

/** The byte each character of a single-byte decoding came from (ISO-8859-1, and windows-1252's 0x80–0x9F), or undefined. */
function byteOf(c: string): number | undefined {
  const code = c.charCodeAt(0);
  return code <= 0xff ? code : CP1252_BYTES.get(c);
}

/**
 * Text a charset label got wrong, decoded as what it is: ISO-2022-JP sent without a charset (old
 * Japanese mailer-daemons and carriers send it bare, or label it us-ascii), whose escape sequences
 * survive any ASCII-compatible decoding; and UTF-8 labelled us-ascii, ISO-8859-1 or unknown-8bit,
 * which came out as one character per byte. Bytes that are valid UTF-8 with 8-bit sequences are not
 * Latin-1 text in practice (an accented letter alone is never a valid UTF-8 sequence). Linear.
 */
export function repairCharset(text: string): string {
  let out = text;
  if (out.includes('\x1b$')) {
    out = out.replace(JIS_RUN, (run) => (/[^\x00-\x7f]/.test(run) ? run : JIS_DECODER.decode(Buffer.from(run, 'latin1'))));
  }
  if (/[\u00c2-\u00f4]/.test(out) && !/[^\x00-\xff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]/.test(out)) {
    const bytes = new Uint8Array(out.length);
    let ok = true;
    for (let i = 0; i < out.length && ok; i++) {
      const b = byteOf(out[i]);
      if (b === undefined) ok = false;
      else bytes[i] = b;
    }
    if (ok) {
      try {
        out = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      } catch {
        // not UTF-8: the label was right
      }
    }
  }
  return out;
}

/** HTML as text, roughly: a bounce that has only an HTML part still says its reply in words. Linear. */
export function htmlText(html: string): string {
  return html
    .replace(/<(script|style)\b[^>]{0,200}>[^<]{0,100000}<\/\1\s*>/gi, ' ')
    .replace(/<br\b[^>]{0,200}>|<\/(p|div|tr|li|h\d)>/gi, '\n')
    .replace(/<[^>]{0,2000}>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/[ \t]+/g, ' ')
    .replace(/\n\s*\n+/g, '\n\n');
}

/**
 * Reads a message: header, inline text, other parts. Text without a header block (a pasted reply
 * line, a bounce copied from a mail client's window) is all `text`. A MIME structure postal-mime
 * refuses (past its nesting or header limits) is read as plain text and the problem said.
 */
export async function readMessage(raw: string): Promise<MailMessage> {
  const truncated = raw.length > MAX_MESSAGE;
  const input = normalizeLineEnds(truncated ? raw.slice(0, MAX_MESSAGE) : raw);
  if (!looksLikeMessage(input)) {
    return { hasHeader: false, headers: [], subject: '', text: repairCharset(input), parts: [], truncated };
  }
  // An mbox `From ` line before the header is not a field; postal-mime would read it as one.
  const body = input.replace(/^\s*From [^\n]*\n/, '');
  const block = readHeaderBlock(body);
  try {
    const email = await PostalMime.parse(body, {
      forceRfc822Attachments: true,
      maxRfc822NestingDepth: 0,
      maxNestingDepth: MAX_NESTING,
      maxHeadersSize: MAX_HEADER_BYTES,
      attachmentEncoding: 'arraybuffer',
    });
    const parts = email.attachments.slice(0, MAX_PARTS).map((a) => ({ type: (a.mimeType || 'application/octet-stream').toLowerCase(), text: partText(a.content) }));
    let text = email.text ?? (email.html ? htmlText(email.html) : '');
    // A part whose Content-Type lost its ";" ("text/plain charset=…") is still text a person was meant to read.
    const odd = parts.filter((p) => /^text\/plain./.test(p.type)).map((p) => p.text);
    if (odd.length > 0) text = [...odd, text].join('\n');
    // A structure so broken that no text came out (a boundary parameter on a line of its own): read the body as it stands.
    if (!/\p{L}/u.test(text) && !parts.some((p) => p.type.includes('delivery-status') || p.type.includes('feedback-report'))) text = body.slice(block.end);
    text = repairCharset(text);
    return { hasHeader: true, headers: block.headers, subject: repairCharset(email.subject ?? field(block.headers, 'subject') ?? ''), text, parts, truncated };
  } catch (e) {
    return {
      hasHeader: true,
      headers: block.headers,
      subject: repairCharset(field(block.headers, 'subject') ?? ''),
      text: repairCharset(body.slice(block.end)),
      parts: [],
      problem: `the MIME structure could not be read (${e instanceof Error ? e.message : String(e)}); read as plain text`,
      truncated,
    };
  }
}

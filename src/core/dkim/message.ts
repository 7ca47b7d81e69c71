// A raw message read only as far as DKIM needs (RFC 6376 §3.4, §5.4): its header fields as the
// octets they are, folding kept, and its body. No MIME decoding: DKIM signs the message as sent.
// LF-only input (a saved .eml, a paste) is read as CRLF, as the message was on the wire; a lone CR
// stays what it is. One pass over the octets, every part bounded (./limits.ts).
import { trimEndWsp } from './canon';
import { DKIM_LIMITS } from './limits';
import type { Work } from './tags';

/** One header field. Octets are held as a latin1 string: one character per octet. */
export interface HeaderField {
  /** The field name as written, without whitespace before the colon. */
  name: string;
  /** The name in lower case (ASCII only), for matching h= (RFC 6376 §3.5: names compare case-insensitively). */
  key: string;
  /** The whole field, name to the end of its last line, folding CRLFs included, without the final CRLF. */
  raw: string;
  /** Offset of the colon in `raw`; -1 for a line without one (never matched by any h= name). */
  colon: number;
}

export interface MessageProblem {
  code: 'dkim-message-too-large' | 'dkim-message-malformed';
  message: string;
}

export interface RawMessage {
  fields: HeaderField[];
  /** The body after the blank line, CRLF line ends. */
  body: Buffer;
  /** How the input ended its lines. */
  lineEndings: 'crlf' | 'lf' | 'mixed' | 'none';
  /** Octets of the input. */
  octets: number;
  /** Something a verifier cannot work past: the message, its header section or one field is over its budget. */
  tooLarge?: string;
  problems: MessageProblem[];
}

function toOctets(input: string | Uint8Array): Buffer {
  if (typeof input === 'string') return Buffer.from(input, 'utf8');
  return Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
}

/** The input with every bare LF made CRLF, and which line ends it had. */
function crlf(buf: Buffer): { out: Buffer; lineEndings: RawMessage['lineEndings'] } {
  let lf = 0;
  let crlfs = 0;
  for (let i = 0; i < buf.length; i++) {
    if (buf[i] !== 0x0a) continue;
    if (i > 0 && buf[i - 1] === 0x0d) crlfs++;
    else lf++;
  }
  const lineEndings = lf === 0 && crlfs === 0 ? 'none' : lf === 0 ? 'crlf' : crlfs === 0 ? 'lf' : 'mixed';
  if (lf === 0) return { out: buf, lineEndings };
  const out = Buffer.allocUnsafe(buf.length + lf);
  let o = 0;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i];
    if (c === 0x0a && !(i > 0 && buf[i - 1] === 0x0d)) out[o++] = 0x0d;
    out[o++] = c;
  }
  return { out, lineEndings };
}

const asciiLower = (s: string): string => s.replace(/[A-Z]+/g, (m) => m.toLowerCase());

/** Reads a raw message (a string is taken as UTF-8). Never throws; over a budget it says so in `tooLarge`. */
export function readMessage(input: string | Uint8Array, limits: Partial<Record<keyof typeof DKIM_LIMITS, number>> = {}, work?: Work): RawMessage {
  const L = { ...DKIM_LIMITS, ...limits };
  const raw = toOctets(input);
  const problems: MessageProblem[] = [];
  let tooLarge: string | undefined;
  const octets = raw.length;
  // Over the budget, only the header section is read (to list the signatures), never the body.
  const over = raw.length > L.messageOctets;
  if (over) tooLarge = `the message is ${octets} octets, more than the ${L.messageOctets} this tool verifies`;
  const head = over ? raw.subarray(0, Math.min(raw.length, L.headerOctets + 4)) : raw;
  const { out: msg, lineEndings } = crlf(head);
  if (work) work.steps += head.length;

  // The header section ends at the first empty line (RFC 5322 §2.1).
  let end = -1;
  if (msg.length >= 2 && msg[0] === 0x0d && msg[1] === 0x0a) end = 0;
  else {
    const blank = msg.indexOf('\r\n\r\n', 0, 'latin1');
    if (blank >= 0) end = blank + 2;
  }
  const headerEnd = end < 0 ? msg.length : end;
  if (headerEnd > L.headerOctets) {
    tooLarge ??= `the header section is ${headerEnd} octets, more than the ${L.headerOctets} this tool reads`;
  }
  const header = msg.toString('latin1', 0, Math.min(headerEnd, L.headerOctets));
  const body = over || end < 0 ? Buffer.alloc(0) : msg.subarray(end + 2);

  const fields: HeaderField[] = [];
  let current: string[] | undefined;
  let currentOctets = 0;
  const flush = (): void => {
    if (!current) return;
    const text = current.join('\r\n');
    if (work) work.steps += text.length;
    current = undefined;
    if (fields.length >= L.headerFields) {
      tooLarge ??= `the message has more than ${L.headerFields} header fields`;
      return;
    }
    const colon = text.indexOf(':');
    if (colon < 0) {
      problems.push({ code: 'dkim-message-malformed', message: `a header line without a colon: ${JSON.stringify(text.slice(0, 60))}` });
      fields.push({ name: '', key: '', raw: text, colon: -1 });
      return;
    }
    const name = trimEndWsp(text.slice(0, colon));
    fields.push({ name, key: asciiLower(name), raw: text, colon });
  };
  let at = 0;
  let first = true;
  while (at < header.length) {
    let nl = header.indexOf('\r\n', at);
    if (nl < 0) nl = header.length;
    const line = header.slice(at, nl);
    if (work) work.steps += line.length + 2;
    at = nl + 2;
    if (first && line.startsWith('From ') && !/^From[ \t]*:/.test(line)) {
      // An mbox separator line ("From alice@example.org Mon Jan  1 00:00:00 2024"), as saved
      // mailboxes start messages: not a header field. "From : x" is one (RFC 5322 §4.5.3 obsolete syntax).
      first = false;
      continue;
    }
    first = false;
    const c = line.charCodeAt(0);
    if ((c === 0x20 || c === 0x09) && current) {
      currentOctets += line.length + 2;
      if (currentOctets > L.fieldOctets) {
        tooLarge ??= `a header field is longer than ${L.fieldOctets} octets`;
        continue;
      }
      current.push(line);
      continue;
    }
    flush();
    if (tooLarge && fields.length >= L.headerFields) break;
    current = [line];
    currentOctets = line.length;
    if (currentOctets > L.fieldOctets) tooLarge ??= `a header field is longer than ${L.fieldOctets} octets`;
  }
  flush();
  if (end < 0 && msg.length > 0) problems.push({ code: 'dkim-message-malformed', message: 'no empty line ends the header section: the message has no body' });
  if (tooLarge) problems.push({ code: 'dkim-message-too-large', message: tooLarge });
  return { fields, body, lineEndings, octets, ...(tooLarge ? { tooLarge } : {}), problems };
}

/** A field's value unfolded (RFC 5322 §2.2.3: CRLF before WSP removed), octets as latin1 characters. */
export function unfoldedValue(field: HeaderField): string {
  return field.colon < 0 ? '' : field.raw.slice(field.colon + 1).replace(/\r\n(?=[ \t])/g, '');
}

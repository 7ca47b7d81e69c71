// DKIM canonicalization (RFC 6376 §3.4): "simple" and "relaxed" for header fields and for the body.
// Each is one pass over its input; header octets are latin1 strings (one character per octet).
import type { HeaderField } from './message';

export type Canon = 'simple' | 'relaxed';

const asciiLower = (s: string): string => s.replace(/[A-Z]+/g, (m) => m.toLowerCase());

/** `s` without SP/HTAB at its end. A loop: /[ \t]+$/ backtracks quadratically on long inner runs. */
export function trimEndWsp(s: string): string {
  let end = s.length;
  while (end > 0 && (s.charCodeAt(end - 1) === 0x20 || s.charCodeAt(end - 1) === 0x09)) end--;
  return end === s.length ? s : s.slice(0, end);
}

/**
 * A header field canonicalized, with its CRLF (RFC 6376 §3.4.1, §3.4.2). `raw` overrides the
 * field's octets (the DKIM-Signature with b= emptied).
 */
export function canonHeader(field: HeaderField, canon: Canon, raw: string = field.raw): string {
  if (canon === 'simple') return `${raw}\r\n`;
  // §3.4.2: lower-case the name; unfold; every run of WSP to one SP; no WSP at the value's end, or
  // before or after the colon.
  const colon = raw.indexOf(':');
  const name = trimEndWsp(asciiLower(raw.slice(0, colon)));
  const value = raw
    .slice(colon + 1)
    .replace(/\r\n(?=[ \t])/g, '')
    .replace(/[ \t]+/g, ' ')
    .replace(/^ /, '')
    .replace(/ $/, '');
  return `${name}:${value}\r\n`;
}

/** The body canonicalized (RFC 6376 §3.4.3, §3.4.4 with erratum 1384: a last line without CRLF gets one). */
export function canonBody(body: Buffer, canon: Canon): Buffer {
  let out: Buffer;
  let len: number;
  if (canon === 'simple') {
    out = body;
    len = body.length;
  } else {
    // One pass: WSP at line ends dropped, inner runs of WSP written as one SP.
    out = Buffer.allocUnsafe(body.length + 2);
    len = 0;
    let wsp = false;
    for (let i = 0; i < body.length; i++) {
      const c = body[i];
      if (c === 0x20 || c === 0x09) {
        wsp = true;
        continue;
      }
      if (c === 0x0d && body[i + 1] === 0x0a) {
        wsp = false;
        out[len++] = 0x0d;
        out[len++] = 0x0a;
        i++;
        continue;
      }
      if (wsp) out[len++] = 0x20;
      wsp = false;
      out[len++] = c;
    }
  }
  // Empty lines at the end are ignored; the last line ends with CRLF.
  while (len >= 2 && out[len - 2] === 0x0d && out[len - 1] === 0x0a) len -= 2;
  if (canon === 'relaxed' && len === 0) return Buffer.alloc(0);
  if (canon === 'relaxed') {
    // `out` was made with room for the final CRLF: no second copy of a large body.
    out[len] = 0x0d;
    out[len + 1] = 0x0a;
    return out.subarray(0, len + 2);
  }
  const result = Buffer.allocUnsafe(len + 2);
  out.copy(result, 0, 0, len);
  result[len] = 0x0d;
  result[len + 1] = 0x0a;
  return result;
}

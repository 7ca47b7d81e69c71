// RFC 7208 §7: the macro language. Parsing is pure and keeps offsets; expansion is pure too: the
// caller resolves %{p} (a DNS walk) first and hands its value in.
import type { SpfProblem } from './types';

/**
 * Where a macro-string appears. RFC 7208 §7.1: c, r and t are allowed only in explanation text
 * (the TXT record exp= points at); unknown modifiers are never expanded, so any letter is kept.
 */
export type MacroPlace = 'domain' | 'exp-text' | 'unknown-modifier';

export type MacroLetter = 's' | 'l' | 'o' | 'd' | 'i' | 'p' | 'h' | 'c' | 'r' | 't' | 'v';

export type MacroToken =
  | { kind: 'literal'; text: string; start: number; end: number }
  /** `%%`, `%_`, `%-` */
  | { kind: 'escape'; text: string; value: string; start: number; end: number }
  | {
      kind: 'macro';
      text: string;
      letter: MacroLetter;
      /** Upper-case letter: the expansion is URL-escaped (RFC 7208 §7.3). */
      upper: boolean;
      /** Keep this many right-hand parts. */
      digits?: number;
      reverse: boolean;
      /** Split on these (default `.`). */
      delimiters: string;
      start: number;
      end: number;
    };

export type MacroParse = { ok: true; tokens: MacroToken[] } | { ok: false; problem: SpfProblem; tokens: MacroToken[] };

const LETTERS = 'slodiphcrtv';
const EXP_ONLY = 'crt';

function printable(code: number, place: MacroPlace): boolean {
  // RFC 7208 §7.1: macro-literal = %x21-24 / %x26-7E; explain-string also allows SP.
  if (code === 0x20) return place === 'exp-text';
  return code >= 0x21 && code <= 0x7e && code !== 0x25;
}

function describeChar(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  if (code < 0x20 || code === 0x7f) return `the control character U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  if (code > 0x7e) return `the non-ASCII character ${JSON.stringify(ch)} (U+${code.toString(16).toUpperCase().padStart(4, '0')})`;
  return JSON.stringify(ch);
}

/** Splits a macro-string into literals, escapes and macros; `offset` is added to every position. */
export function parseMacroString(text: string, place: MacroPlace, offset = 0): MacroParse {
  const tokens: MacroToken[] = [];
  let literalStart = -1;
  const flush = (end: number) => {
    if (literalStart >= 0) {
      tokens.push({ kind: 'literal', text: text.slice(literalStart, end), start: offset + literalStart, end: offset + end });
      literalStart = -1;
    }
  };
  const fail = (start: number, end: number, code: string, message: string): MacroParse => {
    flush(start);
    return { ok: false, tokens, problem: { code, message, start: offset + start, end: offset + end } };
  };
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch !== '%') {
      const code = text.codePointAt(i) ?? 0;
      if (!printable(code, place)) {
        const len = code > 0xffff ? 2 : 1;
        return fail(
          i,
          i + len,
          code > 0x7e ? 'spf-non-ascii' : 'spf-invalid-character',
          `${describeChar(text.slice(i, i + len))} is not allowed here: SPF records are visible ASCII only (RFC 7208 §7.1)`,
        );
      }
      if (literalStart < 0) literalStart = i;
      i++;
      continue;
    }
    flush(i);
    const next = text[i + 1];
    if (next === '%' || next === '_' || next === '-') {
      // RFC 7208 §7.1: "%%" is "%", "%_" a space, "%-" a URL-encoded space.
      tokens.push({ kind: 'escape', text: text.slice(i, i + 2), value: next === '%' ? '%' : next === '_' ? ' ' : '%20', start: offset + i, end: offset + i + 2 });
      i += 2;
      continue;
    }
    if (next !== '{') {
      return fail(i, Math.min(text.length, i + 2), 'spf-invalid-macro', `"%" must be followed by "{", "%", "_" or "-" (write "%%" for a literal percent sign) (RFC 7208 §7.1)`);
    }
    const close = text.indexOf('}', i + 2);
    if (close < 0) return fail(i, text.length, 'spf-invalid-macro', 'a macro "%{" is not closed with "}" (RFC 7208 §7.1)');
    const body = text.slice(i + 2, close);
    const m = /^([A-Za-z])(\d*)([rR]?)([.\-+,/_=]*)$/.exec(body);
    if (!m) return fail(i, close + 1, 'spf-invalid-macro', `${JSON.stringify(text.slice(i, close + 1))} is not a valid macro: %{letter, digits, optional r, delimiters} (RFC 7208 §7.1)`);
    const letter = m[1].toLowerCase();
    if (!LETTERS.includes(letter)) {
      return fail(i, close + 1, 'spf-invalid-macro', `%{${m[1]}…}: "${m[1]}" is not a macro letter (s, l, o, d, i, p, h, v; c, r, t in explanations only) (RFC 7208 §7.2)`);
    }
    if (EXP_ONLY.includes(letter) && place === 'domain') {
      return fail(i, close + 1, 'spf-macro-exp-only', `%{${m[1]}} is allowed only in explanation text, not in a domain name (RFC 7208 §7.2)`);
    }
    let digits: number | undefined;
    if (m[2] !== '') {
      digits = Number(m[2]);
      // RFC 7208 §7.3: "If a DIGIT is specified, the value MUST be nonzero."
      if (digits === 0) return fail(i, close + 1, 'spf-invalid-macro', `${JSON.stringify(text.slice(i, close + 1))}: the number of parts must not be zero (RFC 7208 §7.3)`);
    }
    tokens.push({
      kind: 'macro',
      text: text.slice(i, close + 1),
      letter: letter as MacroLetter,
      upper: m[1] !== letter,
      ...(digits !== undefined ? { digits } : {}),
      reverse: m[3] !== '',
      delimiters: m[4],
      start: offset + i,
      end: offset + close + 1,
    });
    i = close + 1;
  }
  flush(text.length);
  return { ok: true, tokens };
}

/** Values of the macro letters for one check_host() call (RFC 7208 §7.2). */
export interface MacroValues {
  s: string;
  l: string;
  o: string;
  d: string;
  i: string;
  /** Resolved by the caller when a %{p} is present; "unknown" when absent. */
  p?: string;
  v: string;
  h: string;
  c: string;
  r: string;
  t: string;
}

/** RFC 7208 §7.3: URL-escape everything outside the unreserved set (RFC 3986). */
export function urlEscape(s: string): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    const ch = String.fromCharCode(b);
    out += /[A-Za-z0-9\-._~]/.test(ch) ? ch : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** RFC 7208 §7.3 transformers: split on the delimiters, reverse, keep the right-hand parts, join with ".". */
export function transform(value: string, delimiters: string, reverse: boolean, digits?: number): string {
  if (!reverse && digits === undefined && delimiters === '') return value;
  const set = delimiters === '' ? '.' : delimiters;
  let parts: string[] = [];
  let cur = '';
  for (const ch of value) {
    if (set.includes(ch)) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  if (reverse) parts.reverse();
  if (digits !== undefined && digits < parts.length) parts = parts.slice(parts.length - digits);
  return parts.join('.');
}

export function expandTokens(tokens: MacroToken[], values: MacroValues): string {
  let out = '';
  for (const t of tokens) {
    if (t.kind === 'literal') out += t.text;
    else if (t.kind === 'escape') out += t.value;
    else {
      const raw = t.letter === 'p' ? (values.p ?? 'unknown') : values[t.letter];
      const v = transform(raw, t.delimiters, t.reverse, t.digits);
      out += t.upper ? urlEscape(v) : v;
    }
  }
  return out;
}

export function usesLetter(tokens: MacroToken[], letter: MacroLetter): boolean {
  return tokens.some((t) => t.kind === 'macro' && t.letter === letter);
}

/**
 * An expanded domain-spec as a name to query: the trailing dot dropped (RFC 7208 §7.3 examples),
 * and names over 253 characters cut from the left, whole labels at a time (RFC 7208 §7.3).
 */
export function toQueryName(expanded: string): string {
  let name = expanded.endsWith('.') ? expanded.slice(0, -1) : expanded;
  while (name.length > 253) {
    const dot = name.indexOf('.');
    if (dot < 0) break;
    name = name.slice(dot + 1);
  }
  return name;
}

/** Why a name cannot be put in a DNS query (RFC 1035 §2.3.4), or undefined when it can. */
export function unqueryable(name: string): string | undefined {
  if (name === '') return 'the name is empty';
  if (Buffer.byteLength(name) > 253) return 'the name is longer than 253 characters';
  for (const label of name.split('.')) {
    if (label === '') return 'the name has an empty label (two dots in a row, or a leading dot)';
    if (Buffer.byteLength(label) > 63) return `the label "${label.length > 20 ? label.slice(0, 20) + '…' : label}" is longer than 63 characters`;
  }
  return undefined;
}

/** The IPv6 %{i} form: 32 nibbles separated by dots (RFC 7208 §7.3). */
export function dottedNibbles(bytes: Uint8Array): string {
  const out: string[] = [];
  for (const b of bytes) out.push((b >> 4).toString(16), (b & 0xf).toString(16));
  // RFC 7208 leaves the case open; the openspf suite expects upper case (v-macro-ip6), and DNS
  // names compare case-insensitively, so upper case is right in both places.
  return out.join('.').toUpperCase();
}

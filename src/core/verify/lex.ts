// A lexer for structured header field values (RFC 5322 §3.2): words, quoted strings, comments
// (nested, RFC 5322 §3.2.2), domain literals and the special characters a caller names. The
// address, Received and Authentication-Results readers share it, so a stranger's header is cut
// into tokens the same way everywhere. One pass; `work.steps` counts the characters looked at.
import type { Work } from '../dkim/tags';

export type TokenType = 'word' | 'quoted' | 'comment' | 'literal' | 'special';

export interface Token {
  type: TokenType;
  /** word: as written; quoted: the content, quoted-pairs undone; comment: the content between the outer parentheses, as written; literal: with its brackets; special: the character. */
  text: string;
  start: number;
  end: number;
}

/** Deepest comment nesting read; deeper parentheses count as text of the comment. */
const MAX_COMMENT_DEPTH = 32;

const isSpace = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;

/**
 * Cuts `text` into tokens. `specials` are single characters that end a word and stand alone
 * (`<>:;@,` for addresses, `;=` for Authentication-Results). An unclosed quoted string, comment or
 * literal runs to the end of the text, as lenient readers take it.
 */
export function lex(text: string, specials: string, work?: Work): Token[] {
  const tokens: Token[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    const start = i;
    if (c === 0x28) {
      // ( comment ), nested; a backslash quotes the next character.
      let depth = 1;
      let j = i + 1;
      while (j < n && depth > 0) {
        const d = text.charCodeAt(j);
        if (d === 0x5c) j += 2;
        else {
          if (d === 0x28 && depth < MAX_COMMENT_DEPTH) depth++;
          else if (d === 0x29) depth--;
          j++;
        }
      }
      const end = Math.min(j, n);
      tokens.push({ type: 'comment', text: text.slice(i + 1, depth === 0 ? end - 1 : end), start, end });
      i = end;
    } else if (c === 0x22) {
      let j = i + 1;
      let out = '';
      let from = j;
      while (j < n && text.charCodeAt(j) !== 0x22) {
        if (text.charCodeAt(j) === 0x5c && j + 1 < n) {
          out += text.slice(from, j);
          from = j + 1;
          j += 2;
        } else j++;
      }
      out += text.slice(from, Math.min(j, n));
      const end = Math.min(j + 1, n);
      tokens.push({ type: 'quoted', text: out, start, end });
      i = end;
    } else if (c === 0x5b) {
      let j = i + 1;
      while (j < n && text.charCodeAt(j) !== 0x5d) j++;
      const end = Math.min(j + 1, n);
      tokens.push({ type: 'literal', text: text.slice(i, end), start, end });
      i = end;
    } else if (specials.includes(text[i])) {
      tokens.push({ type: 'special', text: text[i], start, end: i + 1 });
      i++;
    } else {
      let j = i + 1;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (isSpace(d) || d === 0x28 || d === 0x22 || specials.includes(text[j])) break;
        j++;
      }
      tokens.push({ type: 'word', text: text.slice(i, j), start, end: j });
      i = j;
    }
    if (work) work.steps += i - start;
  }
  if (work) work.steps += 1;
  return tokens;
}

/** Octets held as latin1 characters (how the message reader keeps them), read as UTF-8 where they are. */
export function utf8Text(latin1: string): string {
  // Pure ASCII needs no decoding (the usual header).
  if (!/[\u0080-\u00ff]/.test(latin1)) return latin1;
  return Buffer.from(latin1, 'latin1').toString('utf8');
}

/** A header value shortened for a report: at most `max` characters, whitespace runs as one space. */
export function shortText(text: string, max = 300): string {
  const t = (text.length > max * 4 ? text.slice(0, max * 4) : text).replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

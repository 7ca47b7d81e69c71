// Escaping for each medium a report reaches, in one place. Names, TXT strings, SMTP replies and
// bounces are written by strangers and may hold any character: a terminal obeys ESC, BEL, CR and
// OSC 8 links; bidi controls make text read differently from what it is (CVE-2021-42574); line and
// paragraph separators and zero-width characters hide or split text. Every renderer escapes its
// medium's way through these functions and never on its own:
//   terminal:  terminalLine / terminalLines (each text renderer), terminalText (the CLI's output)
//   JSON:      jsonText (the CLI's --json)
//   dig commands, records (on the clipboard, and the records a text report prints): zoneText
//     (RFC 1035 §5.1 \DDD, as dig and zone files write it), so what is pasted means what it says
//   Markdown and HTML: report/labels.ts `visible` (made-visible symbols) on this same set.
//   CSV:       csvRow (the audit's --csv and its export)

/**
 * The characters no medium gets raw: C0 controls, DEL, C1 controls, the Arabic letter mark, zero-width
 * characters and LRM/RLM, line and paragraph separators, bidi embeddings, overrides and isolates,
 * word joiner and invisible operators, the byte-order mark, interlinear annotation marks.
 */
export const UNSAFE_CHARS = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]/g;

// The same set without C0 controls: what JSON.stringify leaves raw (it escapes C0 itself, and the
// newlines of its indentation are structure, not data).
const UNSAFE_IN_JSON = /[\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]/g;

// Everything in UNSAFE_CHARS but the newline: the line breaks a text renderer made itself.
const UNSAFE_BUT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]/g;

function hexEscape(c: string): string {
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** One line for the terminal: every unsafe character, newline included, as `\xNN` or `\uNNNN`. */
export function terminalLine(text: string): string {
  return text.replace(UNSAFE_CHARS, hexEscape);
}

/** A text report's lines, each escaped for the terminal, joined: how every text renderer ends. */
export function terminalLines(lines: readonly string[]): string {
  return lines.map(terminalLine).join('\n');
}

/**
 * Text about to be written to a terminal, already split into lines by whoever made it: everything
 * unsafe but the newline escaped. The CLI writes all its output through this, so no renderer can
 * forget; renderers still escape line by line (terminalLines), so data cannot start a line of its own.
 */
export function terminalText(text: string): string {
  return text.replace(UNSAFE_BUT_NEWLINE, hexEscape);
}

/**
 * JSON.stringify, with the characters it leaves raw written as `\uNNNN` too: the same value, and a
 * text that is safe in a terminal, in a JavaScript string (U+2028/2029, ECMA-262 before ES2019) and
 * wherever it is pasted.
 */
export function jsonText(value: unknown, indent = 2): string {
  return JSON.stringify(value, null, indent).replace(UNSAFE_IN_JSON, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const utf8 = new TextEncoder();

/**
 * A name or record as dig and zone files write it (RFC 1035 §5.1): every unsafe character as
 * `\DDD`, the decimal value of each of its UTF-8 octets. dig reads the same name back from it, and a
 * pasted command or record carries no control character.
 */
export function zoneText(text: string): string {
  return text.replace(UNSAFE_CHARS, (c) => [...utf8.encode(c)].map((b) => `\\${String(b).padStart(3, '0')}`).join(''));
}

/**
 * One CSV record (RFC 4180 §2: fields with a comma, quote or line break quoted, quotes doubled),
 * unsafe characters as in a terminal line, and a field that a spreadsheet would run as a formula
 * (starting with = + - @, a tab or CR: OWASP "CSV injection") prefixed with an apostrophe.
 */
export function csvRow(fields: readonly (string | number)[]): string {
  return fields
    .map((f) => {
      let t = terminalLine(String(f));
      if (typeof f === 'string' && /^[=+\-@\t\r]/.test(f)) t = `'${t}`;
      return /[",\n\r]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
    })
    .join(',');
}

/** Names come from DNS, written by strangers: quote anything a shell would treat specially. */
export function shellQuote(word: string): string {
  if (/^[A-Za-z0-9._\/:@+-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

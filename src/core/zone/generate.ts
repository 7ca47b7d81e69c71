// BIND's `$GENERATE range lhs [ttl] [class] type rhs` (BIND 9 ARM, "BIND Primary File Extension:
// the $GENERATE Directive"). Not part of RFC 1035; named accepts it for any record type.
//
// In lhs and rhs: `$` is the iterator, `${offset[,width[,base]]}` formats it (base d, o, x, X,
// or n/N for reversed nibbles as in ip6.arpa names), `$$` and `\$` are a literal dollar.

type Part = string | { offset: number; width: number; base: string };

export interface GenerateTemplate {
  parts: Part[];
}

export type TemplateResult = { ok: true; template: GenerateTemplate } | { ok: false; message: string; from: number; to: number };

export function parseTemplate(text: string): TemplateResult {
  const parts: Part[] = [];
  let lit = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\' && i + 1 < text.length) {
      lit += c + text[i + 1];
      i++;
      continue;
    }
    if (c !== '$') {
      lit += c;
      continue;
    }
    if (text[i + 1] === '$') {
      lit += '$';
      i++;
      continue;
    }
    if (lit) parts.push(lit);
    lit = '';
    if (text[i + 1] !== '{') {
      parts.push({ offset: 0, width: 0, base: 'd' });
      continue;
    }
    const close = text.indexOf('}', i + 2);
    if (close < 0) return { ok: false, message: '${ without a closing }', from: i, to: text.length };
    const fields = text.slice(i + 2, close).split(',');
    const [off, width = '0', base = 'd'] = fields;
    if (fields.length > 3 || !/^[-+]?\d{1,10}$/.test(off) || !/^\d{1,3}$/.test(width) || !/^[doxXnN]$/.test(base)) {
      return { ok: false, message: `bad modifier ${JSON.stringify(text.slice(i, close + 1))}: expected \${offset[,width[,base]]} with base d, o, x, X, n or N`, from: i, to: close + 1 };
    }
    // named keeps the offset in a C int.
    if (Number(off) > 2147483647 || Number(off) < -2147483648) return { ok: false, message: `offset ${off} is out of range (a 32-bit signed number)`, from: i, to: close + 1 };
    parts.push({ offset: Number(off), width: Number(width), base });
    i = close;
  }
  if (lit || parts.length === 0) parts.push(lit);
  return { ok: true, template: { parts } };
}

/** Whether every value of the range, offset by the template, stays a 32-bit signed number (as named needs). */
export function fitsRange(t: GenerateTemplate, stop: number): boolean {
  for (const p of t.parts) if (typeof p !== 'string' && stop + p.offset > 2147483647) return false;
  return true;
}

export function applyTemplate(t: GenerateTemplate, value: number): string {
  let out = '';
  for (const p of t.parts) out += typeof p === 'string' ? p : format(value + p.offset, p.width, p.base);
  return out;
}

function format(v: number, width: number, base: string): string {
  switch (base) {
    case 'd':
      return v < 0 ? '-' + String(-v).padStart(Math.max(0, width - 1), '0') : String(v).padStart(width, '0');
    case 'o':
      return (v >>> 0).toString(8).padStart(width, '0');
    case 'x':
      return (v >>> 0).toString(16).padStart(width, '0');
    case 'X':
      return (v >>> 0).toString(16).toUpperCase().padStart(width, '0');
    default: {
      // Nibbles, least significant first, dot-separated; keep adding (zero) nibbles and dots
      // until the value is used up and the text is at least `width` long. A width that lands
      // on a dot leaves a trailing dot, as named does.
      let u = v >>> 0;
      let out = '';
      for (;;) {
        const d = (u & 0xf).toString(16);
        out += base === 'N' ? d.toUpperCase() : d;
        u >>>= 4;
        if (u === 0 && out.length >= width) break;
        out += '.';
        if (u === 0 && out.length >= width) break;
      }
      return out;
    }
  }
}

export type RangeResult = { ok: true; start: number; stop: number; step: number } | { ok: false; message: string };

/** `start-stop[/step]`, as named reads it. */
export function parseRange(text: string): RangeResult {
  const m = /^(\d{1,10})-(\d{1,10})(?:\/(\d{1,10}))?$/.exec(text);
  if (!m) return { ok: false, message: `bad $GENERATE range ${JSON.stringify(text)}: expected start-stop or start-stop/step` };
  const start = Number(m[1]);
  const stop = Number(m[2]);
  const step = m[3] === undefined ? 1 : Number(m[3]);
  if (start > stop || stop > 2147483647 || step < 1) return { ok: false, message: `invalid $GENERATE range ${JSON.stringify(text)}: start must not exceed stop, step must be at least 1` };
  return { ok: true, start, stop, step };
}

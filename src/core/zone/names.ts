// Domain names in master-file text (RFC 1035 §5.1): escapes, label and name length limits
// (RFC 1035 §2.3.4), completing relative names with the origin, and one canonical spelling so
// names compare equal however they were written (case-insensitive for ASCII, RFC 4343 §3).

/** What `scanName` found; one shared instance, read right after the call. */
export interface NameScan {
  /** Ends in an unescaped dot (or is `.`). */
  absolute: boolean;
  /** Wire length of the labels, each with its length byte, without the root byte. */
  wire: number;
  /** Has escapes or characters outside printable ASCII: needs `canonicalName`. */
  complex: boolean;
  /** Has ASCII upper case. */
  upper: boolean;
  /** The first problem, with offsets inside the text; undefined when the name is well formed. */
  error?: { code: 'zone-label-too-long' | 'zone-bad-name' | 'zone-bad-escape'; message: string; from: number; to: number };
}

const scan: NameScan = { absolute: false, wire: 0, complex: false, upper: false };

/** Reads presentation-format name text. Not reentrant: read the result before the next call. */
export function scanName(raw: string): NameScan {
  scan.absolute = false;
  scan.wire = 0;
  scan.complex = false;
  scan.upper = false;
  scan.error = undefined;
  const n = raw.length;
  if (n === 0) {
    scan.error = { code: 'zone-bad-name', message: 'empty name', from: 0, to: 0 };
    return scan;
  }
  if (n === 1 && raw.charCodeAt(0) === 46) {
    scan.absolute = true;
    return scan;
  }
  let label = 0;
  let labelStart = 0;
  let i = 0;
  while (i < n) {
    const c = raw.charCodeAt(i);
    if (c === 46) {
      if (label === 0) {
        scan.error = { code: 'zone-bad-name', message: `empty label in ${JSON.stringify(raw)} (two dots in a row, or a leading dot)`, from: i, to: i + 1 };
        return scan;
      }
      if (label > 63) return labelTooLong(raw, labelStart, i, label);
      scan.wire += label + 1;
      label = 0;
      i++;
      labelStart = i;
      if (i === n) scan.absolute = true;
      continue;
    }
    if (c === 92) {
      scan.complex = true;
      if (i + 1 >= n) {
        scan.error = { code: 'zone-bad-escape', message: 'a backslash at the end of a name escapes nothing', from: i, to: i + 1 };
        return scan;
      }
      const d1 = raw.charCodeAt(i + 1);
      if (d1 >= 48 && d1 <= 57) {
        const v = decimalEscape(raw, i);
        if (v < 0) {
          scan.error = { code: 'zone-bad-escape', message: `bad escape ${JSON.stringify(raw.slice(i, i + 4))}: \\DDD needs three decimal digits, at most 255`, from: i, to: Math.min(n, i + 4) };
          return scan;
        }
        i += 4;
      } else {
        i += 2;
      }
      label++;
      continue;
    }
    if (c >= 65 && c <= 90) scan.upper = true;
    else if (c > 126 || c < 33) scan.complex = true;
    label++;
    i++;
  }
  if (label > 0) {
    if (label > 63) return labelTooLong(raw, labelStart, n, label);
    scan.wire += label + 1;
  }
  return scan;
}

function labelTooLong(raw: string, from: number, to: number, len: number): NameScan {
  scan.error = { code: 'zone-label-too-long', message: `label ${JSON.stringify(raw.slice(from, Math.min(to, from + 20)) + '…')} is ${len} octets long; a label holds at most 63 (RFC 1035 §2.3.4)`, from, to };
  return scan;
}

/** Value of `\DDD` at `i` (the backslash), or -1 when it is not three digits ≤ 255. */
export function decimalEscape(text: string, i: number): number {
  if (i + 3 >= text.length) return -1;
  const a = text.charCodeAt(i + 1) - 48;
  const b = text.charCodeAt(i + 2) - 48;
  const c = text.charCodeAt(i + 3) - 48;
  if (!(a >= 0 && a <= 9 && b >= 0 && b <= 9 && c >= 0 && c <= 9)) return -1;
  const v = a * 100 + b * 10 + c;
  return v > 255 ? -1 : v;
}

const SPECIAL = new Set(['.', '\\', '"', '(', ')', ';']);

/** One spelling per name: escapes decoded, ASCII lower-cased, then re-escaped the same way every time. */
export function canonicalName(raw: string): string {
  if (raw === '.') return '.';
  let out = '';
  let i = 0;
  const n = raw.length;
  while (i < n) {
    let ch: number;
    let literal = false;
    const c = raw.charCodeAt(i);
    if (c === 92 && i + 1 < n) {
      const v = decimalEscape(raw, i);
      if (v >= 0) {
        ch = v;
        i += 4;
      } else {
        ch = raw.charCodeAt(i + 1);
        i += 2;
      }
      literal = true;
    } else {
      ch = c;
      i++;
    }
    if (ch === 46 && !literal) {
      out += '.';
      continue;
    }
    if (ch >= 65 && ch <= 90) ch += 32;
    if (ch > 126 && ch < 256 && literal) {
      out += '\\' + String(ch).padStart(3, '0');
    } else if (ch > 126) {
      for (const b of Buffer.from(String.fromCharCode(ch), 'utf8')) out += '\\' + String(b).padStart(3, '0');
    } else if (ch < 33) {
      out += '\\' + String(ch).padStart(3, '0');
    } else {
      const s = String.fromCharCode(ch);
      out += SPECIAL.has(s) ? '\\' + s : s;
    }
  }
  return out;
}

/** Wire length of an absolute canonical name (with the root byte): for origins. */
export function wireLength(absolute: string): number {
  if (absolute === '.') return 1;
  const s = scanName(absolute);
  return s.wire + 1;
}

/** `name` is `zone` or below it (both absolute, canonical). */
export function isAtOrBelow(name: string, zone: string): boolean {
  if (zone === '.') return true;
  return name === zone || (name.length > zone.length && name.endsWith(zone) && name.charCodeAt(name.length - zone.length - 1) === 46);
}

/** A name without its trailing dot, for messages and fixes (`.` stays `.`). */
export function bare(name: string): string {
  return name.length > 1 && name.endsWith('.') ? name.slice(0, -1) : name;
}

/** An absolute name as it would be written relative to `origin` (`mail` for `mail.example.com.` in `example.com.`). */
export function relativeTo(name: string, origin: string): string {
  if (name === origin) return '@';
  if (origin !== '.' && isAtOrBelow(name, origin)) return name.slice(0, name.length - origin.length - 1);
  return name;
}

/** Parent name (`example.com.` for `mail.example.com.`), undefined for the root. */
export function parentName(name: string): string | undefined {
  if (name === '.') return undefined;
  for (let i = 0; i < name.length - 1; i++) {
    const c = name.charCodeAt(i);
    if (c === 92) {
      i += decimalEscape(name, i) >= 0 ? 3 : 1;
      continue;
    }
    if (c === 46) return name.slice(i + 1);
  }
  return '.';
}

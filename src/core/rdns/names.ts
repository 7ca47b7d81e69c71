// Judging host names found in PTR records.
import { ipBytes, parseIp } from '../ip';

/**
 * Postfix's valid_hostname() (util/valid_hostname.c): at most 255 characters, labels of 1–63
 * letters, digits, '-' or '_', no label starting or ending with '-', and not all numeric.
 * A PTR name that fails it is treated by Postfix as "unknown".
 */
export function postfixHostnameProblem(name: string): string | undefined {
  if (name.length === 0) return 'the name is empty';
  if (name.length > 255) return 'the name is longer than 255 characters';
  const labels = name.split('.');
  let nonNumeric = false;
  for (const label of labels) {
    if (label.length === 0) return 'the name has an empty label (two dots in a row)';
    if (label.length > 63) return `the label "${label.slice(0, 20)}…" is longer than 63 characters`;
    if (!/^[A-Za-z0-9_-]+$/.test(label)) return `the label ${JSON.stringify(label)} has characters other than letters, digits, '-' and '_'`;
    if (label.startsWith('-') || label.endsWith('-')) return `the label "${label}" starts or ends with '-'`;
    if (/[^0-9]/.test(label)) nonNumeric = true;
  }
  if (!nonNumeric) return 'the name is all numeric (it looks like an address)';
  return undefined;
}

/** Whether a PTR name is an address literal (Postfix refuses these outright: "numeric hostname"). */
export function looksLikeAddress(name: string): boolean {
  // Most names have a letter past f: not an address, known without parsing (asked of every PTR name in an audit).
  return /^\s*[0-9a-fA-F:.[\]]+\s*$/.test(name) && parseIp(name).ok;
}

/** The words of dynamic and customer address pools in provider-made names (exported for the reference check in the tests). */
export const DYNAMIC_WORDS: readonly string[] = [
  'dyn',
  'dynamic',
  'dynip',
  'dhcp',
  'pool',
  'dsl',
  'adsl',
  'xdsl',
  'vdsl',
  'cable',
  'ppp',
  'pppoe',
  'dialup',
  'dial',
  'client',
  'clients',
  'cust',
  'customer',
  'broadband',
  'bb',
  'res',
  'resident',
  'residential',
  'user',
  'users',
  'home',
  'ip',
  'host',
  'unknown',
  'unassigned',
  'nat',
  'fttx',
  'ftth',
  'wireless',
  'mobile',
  'static',
];

const DYNAMIC_WORD_SET = new Set(DYNAMIC_WORDS);
const DYNAMIC_LABELS = new Set(['dyn', 'dynamic', 'dhcp', 'pool', 'dialup', 'ppp', 'pppoe', 'dsl', 'adsl', 'cable', 'broadband', 'residential']);

/**
 * Whether `text` holds `parts` one after another, each pair joined by one of `separators` (or by
 * nothing when `optional`), and with `digitBounded` not inside a longer run of digits: what the
 * regular expression `(^|[^0-9])a[-._]?b[-._]?c([^0-9]|$)` says, without building one per address
 * (an audit asks this of every address: a new RegExp each time is compiled each time).
 */
function hasSequence(text: string, parts: readonly string[], separators: string, optional: boolean, digitBounded: boolean): boolean {
  const isDigit = (i: number) => i >= 0 && i < text.length && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57;
  const from = (at: number, k: number): boolean => {
    if (!text.startsWith(parts[k], at)) return false;
    const end = at + parts[k].length;
    if (k === parts.length - 1) return !digitBounded || !isDigit(end);
    if (end < text.length && separators.includes(text[end]) && from(end + 1, k + 1)) return true;
    return optional && from(end, k + 1);
  };
  for (let i = 0; i < text.length; i++) {
    if (digitBounded && isDigit(i - 1)) continue;
    if (from(i, 0)) return true;
  }
  return false;
}

/**
 * Whether a PTR name looks like an ISP's generic or dynamic name for the address
 * (`203-0-113-7.dyn.isp.example`, `host7.pool.example`, `cb007107.example`). Receivers that score
 * rDNS (SpamAssassin RDNS_DYNAMIC, Spamhaus PBL-style policies, large mailbox providers) treat
 * such names as end-user connections. Returns the reason, or undefined.
 */
export function genericNameReason(name: string, ip: string): string | undefined {
  const lower = name.toLowerCase();
  const bytes = ipBytes(ip);
  if (bytes.length === 4) {
    const o = Array.from(bytes).map(String);
    // Each test below needs every octet it names somewhere in the name: a plain substring check
    // first skips the regular expressions for most names (an audit asks this of every address).
    if (o.every((x) => lower.includes(x))) {
      if (hasSequence(lower, o, '-._', true, true) || hasSequence(lower, [...o].reverse(), '-._', true, true)) return `it contains the address ${ip}`;
    }
    const hex = Array.from(bytes)
      .map((b) => b.toString(16).padStart(2, '0'))
      .join('');
    if (lower.includes(hex)) return `it contains the address ${ip} in hexadecimal (${hex})`;
    // The last two octets in the first label are a common generic pattern too (host-113-7.example).
    const first = lower.split('.')[0];
    if (first.includes(o[2]) && first.includes(o[3]) && hasSequence(first, [o[2], o[3]], '-_', false, true)) return `its first label contains the address's last octets (${o[2]}-${o[3]})`;
  } else {
    const groups: string[] = [];
    for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] << 8) | bytes[i + 1]).toString(16));
    if (hasSequence(lower, groups.slice(4), '-._', true, false)) return `it contains the address ${ip}`;
  }
  const labels = lower.split('.');
  // The registered domain (last two labels) does not count: "dsl.example" as a company name is fine.
  const hostPart = labels.slice(0, Math.max(1, labels.length - 2));
  const hasDigits = /\d/.test(hostPart.join('.'));
  for (const label of hostPart) {
    if (hasDigits) {
      for (const token of label.split(/[-_0-9]+/)) {
        if (token && DYNAMIC_WORD_SET.has(token)) {
          return `it has the word "${token}" and numbers, the usual shape of an ISP's name for a customer line`;
        }
      }
    }
    if (DYNAMIC_LABELS.has(label)) {
      return `it has the label "${label}", the usual shape of an ISP's name for a customer line`;
    }
  }
  return undefined;
}

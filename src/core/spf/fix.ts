// Pure edits of SPF records, for fixes and code actions: authorize one more address, and write a
// TXT record in master-file form.
import { countLookups, parseSpf } from './parse';

export interface AuthorizeEdit {
  /** The new record text. */
  record: string;
  /** The mechanism added, e.g. `ip4:203.0.113.60`. */
  added: string;
  /** Offset in the old record where it went (the old length when appended). */
  offset: number;
  /** The term it went before, when it did not go at the end. */
  before?: string;
  /** DNS-querying terms of the new record itself (unchanged: ip4/ip6 cost no lookup). */
  dnsTerms: number;
}

/** `ip4:a.b.c.d` or `ip6:…` for an address (an IPv4-mapped IPv6 address is listed as IPv4). */
export function ipMechanism(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return `ip4:${mapped[1]}`;
  return ip.includes(':') ? `ip6:${ip}` : `ip4:${ip}`;
}

/**
 * Adds `ip4:`/`ip6:` for `ip` to a record so that it matches before anything that decides otherwise:
 * before the term index `before` when given (the term that decided fail, the redirect, or an
 * include that errs), else before the first `all`, else before `redirect=`, else at the end.
 * Without a record, a new one: the domain's MX hosts (when it has them), the address, `~all`.
 */
export function authorizeIp(record: string | undefined, ip: string, options: { before?: number | null; hasMx?: boolean } = {}): AuthorizeEdit {
  const mech = ipMechanism(ip);
  if (record === undefined) {
    const text = `v=spf1 ${options.hasMx ? 'mx ' : ''}${mech} ~all`;
    return { record: text, added: mech, offset: 0, dnsTerms: options.hasMx ? 1 : 0 };
  }
  const parsed = parseSpf(record);
  const terms = parsed.terms;
  let at = options.before !== undefined && options.before !== null ? terms[options.before] : undefined;
  at ??= terms.find((t) => t.kind === 'mechanism' && t.name === 'all');
  at ??= parsed.redirect !== undefined ? terms[parsed.redirect] : undefined;
  let text: string;
  let offset: number;
  if (at) {
    offset = at.start;
    text = `${record.slice(0, offset)}${mech} ${record.slice(offset)}`;
  } else {
    const trimmed = record.replace(/ +$/, '');
    offset = trimmed.length;
    text = `${trimmed} ${mech}`;
  }
  return { record: text, added: mech, offset, ...(at ? { before: at.text } : {}), dnsTerms: countLookups(parseSpf(text)).dnsTerms };
}

// Characters a master-file line cannot hold raw (a line break ends the record) or that would read
// differently from what they are (bidi controls, zero-width): written as \DDD, one per UTF-8 octet
// (RFC 1035 §5.1), so the record means the same to a name server and shows what it holds.
const ESCAPED = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/;

function quoted(chunk: string): string {
  let out = '';
  for (const ch of chunk) {
    if (ch === '\\' || ch === '"') out += `\\${ch}`;
    else if (ESCAPED.test(ch)) out += [...Buffer.from(ch, 'utf8')].map((b) => `\\${String(b).padStart(3, '0')}`).join('');
    else out += ch;
  }
  return `"${out}"`;
}

/** `example.org. 3600 IN TXT "v=spf1 …"`, in character-strings of at most 255 octets (RFC 1035 §3.3.14). */
export function txtRecordLine(owner: string, text: string, ttl = 3600): string {
  const chunks: string[] = [];
  let chunk = '';
  let octets = 0;
  // Whole characters only: the UTF-8 octets of one character (a surrogate pair's too) stay in one
  // string. A lone surrogate has no UTF-8 form: it is written as U+FFFD, as any file would hold it.
  const wellFormed = text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
  for (const ch of wellFormed) {
    const n = Buffer.byteLength(ch);
    if (octets + n > 255) {
      chunks.push(chunk);
      chunk = '';
      octets = 0;
    }
    chunk += ch;
    octets += n;
  }
  chunks.push(chunk);
  return `${owner.replace(/\.$/, '')}. ${ttl} IN TXT ${chunks.map(quoted).join(' ')}`;
}

// The HELO/EHLO argument by RFC 5321's grammar.
//
// RFC 5321 §4.1.1.1: `ehlo = "EHLO" SP ( Domain / address-literal ) CRLF`.
// RFC 5321 §4.1.2:   Domain = sub-domain *("." sub-domain); sub-domain = Let-dig [Ldh-str]
//                    (letters, digits and inner hyphens; no underscores, no trailing dot).
// RFC 5321 §4.1.3:   address-literal = "[" ( IPv4-address-literal / IPv6-address-literal /
//                    General-address-literal ) "]"; IPv6 literals carry the tag "IPv6:".
// RFC 5321 §4.1.4:   the client sends its primary host name (an FQDN, §2.3.5), or an address
//                    literal when it has no name.
// RFC 1035 §2.3.4:   labels of at most 63 octets, names of at most 255.
import { parseIp, parseIpv6 } from '../ip';

export type HeloForm = 'domain' | 'address-literal' | 'invalid';

export interface HeloSyntax {
  form: HeloForm;
  /** RFC 5321 allows it (a Domain or an address literal). */
  valid: boolean;
  /** For address literals: the tag (`IPv4` for plain dotted quads) and the address, canonical. */
  literal?: { tag: string; address?: string; family?: 4 | 6 };
  /** A Domain with at least two labels (RFC 5321 §2.3.5: a fully-qualified domain name). */
  fqdn: boolean;
  /** The name ends with a dot: allowed in DNS, not in RFC 5321's Domain. */
  trailingDot: boolean;
  /** The argument is a bare IP address without brackets. */
  bareAddress: boolean;
  /** Each problem in words. */
  problems: string[];
}

const LDH_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/;

/** Shows a stranger's text safely in a sentence: quoted, controls escaped, bounded. */
export function quoteName(s: string, max = 80): string {
  const cut = s.length > max ? s.slice(0, max) + '…' : s;
  return JSON.stringify(cut).replace(/[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function parseHeloName(text: string): HeloSyntax {
  const problems: string[] = [];
  const base = { trailingDot: false, bareAddress: false, fqdn: false };
  if (text.length === 0) return { ...base, form: 'invalid', valid: false, problems: ['the name is empty (RFC 5321 §4.1.1.1 requires a domain or an address literal)'] };

  if (text.startsWith('[')) {
    if (!text.endsWith(']') || text.length < 3) {
      return { ...base, form: 'invalid', valid: false, problems: ['it starts with "[" but is not a complete address literal like [192.0.2.1] (RFC 5321 §4.1.3)'] };
    }
    const inner = text.slice(1, -1);
    const colon = inner.indexOf(':');
    if (colon < 0) {
      const p = parseIp(inner);
      if (p.ok && p.family === 4 && /^\d{1,3}(\.\d{1,3}){3}$/.test(inner)) {
        return { ...base, form: 'address-literal', valid: true, literal: { tag: 'IPv4', address: p.ip, family: 4 }, problems };
      }
      return { ...base, form: 'invalid', valid: false, literal: { tag: 'IPv4' }, problems: [`${quoteName(inner)} is not an IPv4 address (RFC 5321 §4.1.3: IPv4-address-literal is four numbers 0–255)`] };
    }
    const tag = inner.slice(0, colon);
    const rest = inner.slice(colon + 1);
    if (tag.toLowerCase() === 'ipv6') {
      const bytes = parseIpv6(rest);
      const p = bytes ? parseIp(rest) : undefined;
      if (p && p.ok) {
        if (tag !== 'IPv6') problems.push(`the tag is written ${quoteName(tag)}; RFC 5321 §4.1.3 spells it "IPv6:" (most servers accept any case)`);
        return { ...base, form: 'address-literal', valid: true, literal: { tag: 'IPv6', address: p.ip, family: 6 }, problems };
      }
      return { ...base, form: 'invalid', valid: false, literal: { tag: 'IPv6' }, problems: [`${quoteName(rest)} is not an IPv6 address (RFC 5321 §4.1.3)`] };
    }
    if (parseIpv6(inner)) {
      return {
        ...base,
        form: 'invalid',
        valid: false,
        literal: { tag: '' },
        problems: [`an IPv6 address literal needs the tag "IPv6:": write [IPv6:${inner}] (RFC 5321 §4.1.3)`],
      };
    }
    // General-address-literal = Standardized-tag ":" 1*dcontent; no such tags are registered.
    if (LDH_LABEL.test(tag) && /^[\x21-\x5a\x5e-\x7e]+$/.test(rest)) {
      return {
        ...base,
        form: 'address-literal',
        valid: true,
        literal: { tag },
        problems: [`${quoteName(tag)} is not a registered address-literal tag (RFC 5321 §4.1.3): receivers will not understand it`],
      };
    }
    return { ...base, form: 'invalid', valid: false, problems: [`${quoteName(text)} is not a valid address literal (RFC 5321 §4.1.3)`] };
  }

  const ip = parseIp(text);
  if (ip.ok && /^[0-9a-fA-F:.]+$/.test(text)) {
    return {
      ...base,
      bareAddress: true,
      form: 'invalid',
      valid: false,
      problems: [`an address must be written as an address literal in brackets: ${ip.family === 4 ? `[${ip.ip}]` : `[IPv6:${ip.ip}]`} (RFC 5321 §4.1.3)`],
    };
  }

  const trailingDot = text.endsWith('.') && text.length > 1;
  const name = trailingDot ? text.slice(0, -1) : text;
  if (trailingDot) problems.push('it ends with a dot: RFC 5321 §4.1.2 Domain has no trailing dot (most servers drop it)');
  if (/\s/.test(name)) problems.push('it contains white space: a HELO name is one word');
  if (name.length > 255) problems.push('it is longer than 255 characters (RFC 1035 §2.3.4)');
  const labels = name.split('.');
  let bad = false;
  for (const label of labels) {
    if (label.length === 0) {
      problems.push('it has an empty label (two dots in a row, or a leading dot)');
      bad = true;
      break;
    }
    if (label.length > 63) {
      problems.push(`the label ${quoteName(label.slice(0, 20) + '…')} is longer than 63 characters (RFC 1035 §2.3.4)`);
      bad = true;
      continue;
    }
    if (!LDH_LABEL.test(label)) {
      bad = true;
      if (label.includes('_')) problems.push(`the label ${quoteName(label)} has an underscore: RFC 5321 §4.1.2 allows letters, digits and inner hyphens only`);
      else if (/^-|-$/.test(label)) problems.push(`the label ${quoteName(label)} starts or ends with "-" (RFC 5321 §4.1.2)`);
      else if (/[^\x00-\x7f]/.test(label)) problems.push(`the label ${quoteName(label)} has non-ASCII characters: use the A-label (xn--…) form (RFC 5890)`);
      else problems.push(`the label ${quoteName(label)} has characters other than letters, digits and "-" (RFC 5321 §4.1.2)`);
    }
  }
  const valid = !bad && !/\s/.test(name) && name.length <= 255;
  const fqdn = valid && labels.length >= 2 && !labels.every((l) => /^\d+$/.test(l));
  return { ...base, trailingDot, form: valid ? 'domain' : 'invalid', valid, fqdn, problems };
}

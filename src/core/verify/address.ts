// Addresses in header fields (RFC 5322 §3.4): the From field's mailboxes, whose domain DMARC
// evaluates (RFC 7489 §6.6.1), and the Return-Path (RFC 5321 §4.4), the envelope sender the final
// receiver recorded. Display names, comments, quoted local parts, groups and the obsolete route
// syntax are read; what is left is a list of mailboxes with their domains. Never throws, linear.
import type { Work } from '../dkim/tags';
import { lex, type Token } from './lex';
import { VERIFY_LIMITS } from './limits';

export interface Mailbox {
  /** The address as written, without display name: `alice@example.org`. */
  address: string;
  /** The display name, when there is one. */
  display?: string;
  local: string;
  /** The domain, lower case, without a final dot; '' when the address has none. */
  domain: string;
  /** Why the domain is not one DMARC can use (an address literal, no @, bad characters). */
  problem?: string;
}

export interface AddressList {
  mailboxes: Mailbox[];
  /** Groups without members (`undisclosed-recipients:;`) and parts that are not addresses. */
  problems: string[];
  /** More addresses than VERIFY_LIMITS.addresses: the rest were not read. */
  truncated: boolean;
}

const LABEL = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/;

/** Why `domain` (lower case) is not a domain name, or undefined. U-labels (SMTPUTF8) are taken as they are. */
export function domainNameProblem(domain: string): string | undefined {
  if (domain === '') return 'no domain';
  if (domain.startsWith('[')) return `${domain} is an address literal, not a domain name`;
  if (domain.length > 253) return 'a domain name of more than 253 characters';
  const labels = domain.split('.');
  if (labels.length < 2) return `${domain} is not a fully qualified domain name`;
  for (const l of labels) {
    if (/[^\x00-\x7f]/.test(l)) {
      if (/[\s\u0000-\u001f\u007f-\u009f@]/.test(l) || l.length > 63) return `${JSON.stringify(domain)} holds characters a domain name cannot`;
      continue;
    }
    if (!LABEL.test(l)) return `${JSON.stringify(domain)} is not a valid domain name`;
  }
  return undefined;
}

function cleanDomain(text: string): string {
  return text.toLowerCase().replace(/\.$/, '');
}

/** The words and quoted strings of an addr-spec, joined as written (`"a b"@x`, `a.b@x`). */
function specText(tokens: Token[]): string {
  return tokens
    .filter((t) => t.type !== 'comment')
    .map((t) => (t.type === 'quoted' ? `"${t.text}"` : t.text))
    .join('');
}

function mailboxFrom(tokens: Token[], problems: string[]): Mailbox | undefined {
  const visible = tokens.filter((t) => t.type !== 'comment');
  if (visible.length === 0) return undefined;
  const open = visible.findIndex((t) => t.type === 'special' && t.text === '<');
  let spec: Token[];
  let display: string | undefined;
  if (open >= 0) {
    let close = visible.findIndex((t, k) => k > open && t.type === 'special' && t.text === '>');
    if (close < 0) close = visible.length;
    spec = visible.slice(open + 1, close);
    // RFC 5322 §4.4 obs-route: <@relay1,@relay2:alice@example.org>
    const colon = spec.map((t) => t.type === 'special' && t.text === ':').lastIndexOf(true);
    if (colon >= 0) spec = spec.slice(colon + 1);
    const name = visible
      .slice(0, open)
      .map((t) => t.text)
      .join(' ')
      .trim();
    if (name !== '') display = name;
  } else {
    spec = visible;
    // An old-style name in a comment: alice@example.org (Alice)
    const comment = tokens.find((t) => t.type === 'comment' && t.text.trim() !== '');
    if (comment) display = comment.text.trim();
  }
  const address = specText(spec);
  if (address === '') {
    if (open >= 0) return { address: '', local: '', domain: '', problem: 'the null address <>', ...(display ? { display } : {}) };
    problems.push(`${JSON.stringify(visible.map((t) => t.text).join(' '))} is not an address`);
    return undefined;
  }
  const at = spec.map((t) => t.type === 'special' && t.text === '@').lastIndexOf(true);
  if (at < 0) return { address, local: address, domain: '', problem: `${address} has no @domain`, ...(display ? { display } : {}) };
  const local = specText(spec.slice(0, at));
  const domainTokens = spec.slice(at + 1);
  const domainText = domainTokens.map((t) => t.text).join('');
  const domain = domainTokens.length === 1 && domainTokens[0].type === 'literal' ? domainText : cleanDomain(domainText);
  const problem = domainTokens.some((t) => t.type === 'special' || t.type === 'quoted') ? `${JSON.stringify(domainText)} is not a domain name` : domainNameProblem(domain);
  return { address, local, domain, ...(display ? { display } : {}), ...(problem ? { problem } : {}) };
}

/**
 * Reads an address-list (RFC 5322 §3.4): mailboxes separated by commas, and groups
 * (`name: a@x, b@y;`) whose members count as mailboxes.
 */
export function parseAddressList(value: string, work?: Work): AddressList {
  const tokens = lex(value, '<>:;@,', work);
  const mailboxes: Mailbox[] = [];
  const problems: string[] = [];
  let truncated = false;
  let current: Token[] = [];
  let inGroup = false;
  let inAngle = false;
  let groupMembers = 0;
  let groupName = '';
  // Whether `current` holds an "@": kept as a flag, so a colon never rescans the tokens.
  let hasAt = false;
  const flush = (): void => {
    hasAt = false;
    if (mailboxes.length >= VERIFY_LIMITS.addresses) {
      if (current.some((t) => t.type !== 'comment')) truncated = true;
      current = [];
      return;
    }
    const m = mailboxFrom(current, problems);
    if (m) {
      mailboxes.push(m);
      groupMembers++;
    }
    current = [];
  };
  for (const t of tokens) {
    if (work) work.steps++;
    if (t.type === 'special') {
      if (t.text === '<') inAngle = true;
      if (t.text === '>') inAngle = false;
      if (!inAngle && t.text === ',') {
        flush();
        continue;
      }
      // A colon outside <> ends a group's name; inside <> it ends an obsolete route.
      if (t.text === '@') hasAt = true;
      if (!inAngle && t.text === ':' && !inGroup && !hasAt) {
        inGroup = true;
        groupMembers = 0;
        groupName = current.map((x) => x.text).join(' ');
        current = [];
        continue;
      }
      if (!inAngle && t.text === ';' && inGroup) {
        flush();
        if (groupMembers === 0) problems.push(`the group ${JSON.stringify(groupName)} names no address`);
        inGroup = false;
        continue;
      }
    }
    current.push(t);
  }
  flush();
  return { mailboxes, problems, truncated };
}

/**
 * The Return-Path (RFC 5321 §4.4: `<reverse-path>`): the address, '' for the null sender `<>`, or
 * undefined when the value holds no path.
 */
export function parseReturnPath(value: string, work?: Work): { address: string; domain: string; problem?: string } | undefined {
  const list = parseAddressList(value, work);
  const m = list.mailboxes[0];
  if (!m) return /<\s*>/.test(value) ? { address: '', domain: '' } : undefined;
  if (m.address === '') return { address: '', domain: '' };
  return { address: m.address, domain: m.domain, ...(m.problem ? { problem: m.problem } : {}) };
}

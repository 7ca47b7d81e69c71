// What the mail-check input boxes say as you type (HELO name, SMTP host and port, domain; the bounce
// box's hint is bounce/input.ts), and what they take from a selection. Pure, like spf/input.ts: the
// editor turns a hint's severity into the box's message; only `error` stops the box from accepting.
import { parseHeloName } from '../helo/syntax';
import { parseIp } from '../ip';
import { parseDomain } from '../mx/check';
import { parseHostPort } from '../smtp/probe';
import { selectorProblem } from '../dkim/selectors';

export interface InputHint {
  severity: 'error' | 'warning' | 'info';
  message: string;
}

/** RFC 5321 §4.5.3.1.4: a command line is at most 512 octets, `EHLO ` and CRLF included. */
const MAX_HELO = 510;

/**
 * The HELO box. A bad name is what the check is for, so a name receivers refuse is a warning that
 * says what they will do, never a refusal; only text that is no name at all is an error.
 */
export function heloInputHint(text: string): InputHint | undefined {
  const name = text.trim();
  if (name === '') return undefined;
  if (name.length > MAX_HELO) return { severity: 'error', message: `${name.length} characters: an SMTP command line holds at most 512 (RFC 5321 §4.5.3.1.4)` };
  if (/[\u0000-\u001f\u007f]/.test(name)) return { severity: 'error', message: 'the name holds control characters; give the name as the server sends it' };
  const s = parseHeloName(name);
  if (!s.valid) return { severity: 'warning', message: `receivers refuse this name: ${s.problems[0] ?? 'not a valid host name'}. Check it to see what they reply and the fix.` };
  if (s.form === 'domain' && !s.fqdn) return { severity: 'warning', message: 'a one-word name: Postfix\'s reject_non_fqdn_helo_hostname replies 504 "need fully-qualified hostname". Check it to see the fix.' };
  if (s.form === 'address-literal') return { severity: 'info', message: 'an address literal: allowed when the server has no name, but many receivers score it' };
  return undefined;
}

/** The optional sending-IP box of the HELO check: empty is fine. */
export function optionalIpProblem(text: string): string | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  const p = parseIp(t);
  return p.ok ? undefined : p.error;
}

/** `host`, `host:port`, `[v6]:port`. */
export function hostPortProblem(text: string): string | undefined {
  if (text.trim() === '') return undefined;
  const hp = parseHostPort(text);
  return 'error' in hp ? hp.error : undefined;
}

/** The host box holds a port already (`mx.example.com:587`). */
export function hasPort(text: string): boolean {
  const t = text.trim();
  return /^\[[^\]]+\]:\d+$/.test(t) || (!t.startsWith('[') && (t.match(/:/g) ?? []).length === 1);
}

export function portProblem(text: string): string | undefined {
  const t = text.trim();
  if (t === '') return 'give a port: 25 (SMTP between servers), 587 (submission) or 465 (submissions, TLS at once)';
  const n = Number(t);
  return /^\d+$/.test(t) && n >= 1 && n <= 65535 ? undefined : `${JSON.stringify(t)} is not a port: a number from 1 to 65535`;
}

/**
 * The optional DKIM selector box of "Check mail server": empty tries the common selectors; the
 * selector alone otherwise (the From domain gives the rest of the key name).
 */
export function mailSelectorProblem(text: string): string | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  const at = t.toLowerCase().indexOf('._domainkey.');
  if (at > 0) return `give the selector alone (${JSON.stringify(t.slice(0, Math.min(at, 60)))}): the key is looked up under the From domain`;
  return selectorProblem(t);
}

/** A domain, or an address whose domain is meant. */
export function domainInputProblem(text: string): string | undefined {
  if (text.trim() === '') return undefined;
  const d = parseDomain(text);
  return d.ok ? undefined : d.error;
}


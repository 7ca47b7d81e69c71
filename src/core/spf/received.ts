// RFC 7208 §9.1 Received-SPF and the RFC 8601 Authentication-Results clause for an SPF result.
import type { SpfResultCode } from './types';

export interface ReceivedSpfInput {
  result: SpfResultCode;
  ip: string;
  sender: string;
  /** The MAIL FROM as given; '' for the null sender. */
  envelopeFrom: string;
  helo?: string;
  identity: 'mailfrom' | 'helo';
  /** The receiving host, when known. */
  receiver?: string;
  /** The mechanism that matched, as written. */
  mechanism?: string;
  /** For permerror/temperror: what went wrong. */
  problem?: string;
}

// RFC 5322 atext plus "." (dot-atom); anything else goes in a quoted-string.
const DOT_ATOM = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+(\.[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+)*$/;

// A header is one line (RFC 5322 §2.2: CRLF ends it, folding is CRLF + WSP), and a quoted-string or
// comment has no room for other controls (qtext, ctext and quoted-pair exclude them, §3.2). A sender,
// HELO name or DNS error text can hold any of them: each run becomes one space.
const CONTROLS = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]+/g;

function value(v: string): string {
  return DOT_ATOM.test(v) ? v : `"${v.replace(CONTROLS, ' ').replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

function comment(text: string): string {
  return text.replace(/[\\()]/g, (c) => `\\${c}`).replace(CONTROLS, ' ');
}

/** The comment RFC 7208 §9.1 suggests for each result. */
function words(r: ReceivedSpfInput): string {
  const who = r.identity === 'helo' ? `${r.helo ?? r.sender}` : `domain of ${r.sender}`;
  switch (r.result) {
    case 'pass':
      return `${who} designates ${r.ip} as permitted sender`;
    case 'fail':
      return `${who} does not designate ${r.ip} as permitted sender`;
    case 'softfail':
      return `transitioning ${who} does not designate ${r.ip} as permitted sender`;
    case 'neutral':
      return `${r.ip} is neither permitted nor denied by ${who}`;
    case 'none':
      return `${who} does not provide an SPF record`;
    case 'temperror':
      return `error in processing during lookup of ${r.sender}${r.problem ? `: ${r.problem}` : ''}`;
    case 'permerror':
      return `error in SPF record of ${r.sender}${r.problem ? `: ${r.problem}` : ''}`;
  }
}

export function receivedSpfHeader(r: ReceivedSpfInput): string {
  const pairs: string[] = [];
  if (r.receiver) pairs.push(`receiver=${value(r.receiver)}`);
  pairs.push(`client-ip=${r.ip}`);
  pairs.push(`envelope-from=${value(r.envelopeFrom === '' ? '' : r.envelopeFrom)}`);
  if (r.helo) pairs.push(`helo=${value(r.helo)}`);
  pairs.push(`identity=${r.identity}`);
  if (r.mechanism) pairs.push(`mechanism=${value(r.mechanism)}`);
  if (r.problem && (r.result === 'permerror' || r.result === 'temperror')) pairs.push(`problem=${value(r.problem)}`);
  const by = r.receiver ?? 'maildns';
  return `Received-SPF: ${r.result} (${comment(`${by}: ${words(r)}`)}) ${pairs.join('; ')};`;
}

/** RFC 8601 §2.7.2: `spf=pass smtp.mailfrom=example.com` (or smtp.helo for the HELO identity). */
export function authResultsClause(result: SpfResultCode, identity: 'mailfrom' | 'helo', domain: string): string {
  return `spf=${result} ${identity === 'helo' ? 'smtp.helo' : 'smtp.mailfrom'}=${domain}`;
}

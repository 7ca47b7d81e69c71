// The header fields "Check a received message" reads, in one pass over the message reader's fields
// (../dkim/message.ts): From (RFC 5322 §3.6.2), Return-Path (RFC 5321 §4.4), Received (the hops),
// Received-SPF (RFC 7208 §9.1), Authentication-Results (RFC 8601) and the ARC sets (RFC 8617).
// Pure and synchronous: no DNS. `work.steps` counts what was looked at, so the fuzz tests can check
// that doubling a message roughly doubles the work.
import { type HeaderField, type RawMessage, readMessage, unfoldedValue } from '../dkim/message';
import type { Work } from '../dkim/tags';
import { type AddressList, parseAddressList, parseReturnPath } from './address';
import { type ArcSet, type AuthResults, parseAuthResults, sealTag } from './authres';
import { shortText, utf8Text } from './lex';
import { VERIFY_LIMITS } from './limits';
import { type BorderChoice, chooseBorder, ipOf, orgOf, parseReceived, type ReceivedHop } from './received';

export interface MessageHeaders {
  message: RawMessage;
  /** Every From field's addresses (RFC 5322 allows one From field; more is a finding). */
  fromFields: AddressList[];
  returnPath: { address: string; domain: string; problem?: string } | null;
  /** Return-Path fields: more than one means the message was delivered, then sent on again. */
  returnPaths: number;
  subject: string | null;
  messageId: string | null;
  hops: ReceivedHop[];
  /** Received fields not read (over VERIFY_LIMITS.received). */
  hopsSkipped: number;
  border: BorderChoice;
  /** Addresses the receiver's own fields say it checked (its Authentication-Results, its Received-SPF client-ip=). */
  statedIps: string[];
  /** The receiver's organizational domain (from the Received fields' `by` hosts). */
  receiverOrg?: string;
  /** Header fields above this index were written by the receiver (all of them down to the Received field below the border). */
  receiverWindow: number;
  authResults: AuthResults[];
  arc: ArcSet[];
  /** ARC fields whose instance is missing, out of range or repeated. */
  arcProblems: string[];
}

// Values are cut at VERIFY_LIMITS.valueChars before they are read: the rest of a hostile field is never looked at.
const valueOf = (f: HeaderField): string => utf8Text(unfoldedValue(f).slice(0, VERIFY_LIMITS.valueChars));

/**
 * The receiver wrote every field above the Received field just below its border hop (its own
 * Received field, and what it adds under it: Received-SPF, Authentication-Results). Without a
 * border, the first hop that names an address stands in; without that, every field.
 */
function windowEnd(hops: readonly ReceivedHop[], border: number | undefined): number {
  const at = border ?? hops.findIndex((h) => h.ip !== undefined);
  const next = at >= 0 ? hops[at + 1] : undefined;
  return next ? next.field : Number.MAX_SAFE_INTEGER;
}

/** Reads the header fields a message check needs. Never throws; every loop is bounded. */
export function readHeaders(raw: string | Uint8Array, work?: Work): MessageHeaders {
  const message = readMessage(raw, {}, work);
  const fromFields: AddressList[] = [];
  let returnPath: MessageHeaders['returnPath'] = null;
  let returnPaths = 0;
  let subject: string | null = null;
  let messageId: string | null = null;
  const hops: ReceivedHop[] = [];
  let hopsSkipped = 0;
  const receivedSpf: { field: number; ip: string }[] = [];
  const authResults: AuthResults[] = [];
  const arcByInstance = new Map<number, ArcSet>();
  const arcProblems: string[] = [];
  const arcSet = (i: number): ArcSet => {
    let s = arcByInstance.get(i);
    if (!s) arcByInstance.set(i, (s = { instance: i, parts: { seal: 0, signature: 0, results: 0 } }));
    return s;
  };
  message.fields.forEach((f, index) => {
    if (work) work.steps++;
    switch (f.key) {
      case 'from':
        if (fromFields.length < 5) fromFields.push(parseAddressList(valueOf(f), work));
        break;
      case 'return-path':
        returnPaths++;
        // The topmost is the one the final delivery wrote (RFC 5321 §4.4).
        if (returnPaths === 1) returnPath = parseReturnPath(valueOf(f), work) ?? null;
        break;
      case 'subject':
        subject ??= shortText(valueOf(f), 200);
        break;
      case 'message-id':
        messageId ??= shortText(valueOf(f), 200);
        break;
      case 'received':
        if (hops.length < VERIFY_LIMITS.received) hops.push(parseReceived(valueOf(f), hops.length, index, work));
        else hopsSkipped++;
        break;
      case 'received-spf':
        // Only the topmost: the receiver's own (RFC 7208 §9.1 says it is prepended).
        if (receivedSpf.length === 0) {
          const ip = /client-ip\s*=\s*"?([0-9a-fA-F:.]{2,45})/i.exec(valueOf(f).slice(0, 2000));
          const parsed = ip ? ipOf(ip[1]) : undefined;
          if (parsed) receivedSpf.push({ field: index, ip: parsed });
        }
        break;
      case 'authentication-results':
        if (authResults.length < VERIFY_LIMITS.authResults) authResults.push(parseAuthResults(valueOf(f), index, f.name, false, work));
        break;
      case 'arc-authentication-results':
      case 'arc-seal':
      case 'arc-message-signature': {
        const value = valueOf(f);
        if (arcByInstance.size >= VERIFY_LIMITS.arcSets && !arcByInstance.has(-1)) {
          arcProblems.push(`more than ${VERIFY_LIMITS.arcSets} ARC sets: the rest were not read`);
          arcByInstance.set(-1, { instance: -1, parts: { seal: 0, signature: 0, results: 0 } });
          break;
        }
        if (arcByInstance.size > VERIFY_LIMITS.arcSets) break;
        const iText = sealTag(value, 'i');
        const i = iText !== undefined && /^\d{1,2}$/.test(iText) ? Number(iText) : NaN;
        if (!(i >= 1 && i <= 50)) {
          arcProblems.push(`${f.name} with ${iText === undefined ? 'no i= tag' : `i=${shortText(iText, 20)}`}: instances run from 1 to 50 (RFC 8617 §4.2.1)`);
          break;
        }
        const s = arcSet(i);
        if (f.key === 'arc-seal') {
          s.parts.seal++;
          const cv = sealTag(value, 'cv');
          if (cv !== undefined) s.cv = cv.toLowerCase();
          const d = sealTag(value, 'd');
          if (d !== undefined) s.sealer = d.toLowerCase();
          const sel = sealTag(value, 's');
          if (sel !== undefined) s.selector = sel;
        } else if (f.key === 'arc-message-signature') s.parts.signature++;
        else {
          s.parts.results++;
          s.results ??= parseAuthResults(value, index, f.name, true, work);
        }
        break;
      }
    }
  });
  // The border from the Received fields alone, then what the receiver's own fields say it checked: its
  // Authentication-Results (its authserv-id's organization) and its Received-SPF, if written above the
  // Received field below that border (Gmail writes them just under its own Received field).
  const natural = chooseBorder(hops);
  const receiverOrg = natural.receiverOrg;
  const end = windowEnd(hops, natural.border);
  const strong: string[] = [];
  for (const a of authResults) {
    if (a.field >= end || (receiverOrg !== undefined && orgOf(a.authservId) !== receiverOrg)) continue;
    for (const c of a.clauses) {
      for (const key of ['smtp.remote-ip', 'policy.iprev', 'smtp.client-ip']) {
        const ip = c.props[key] !== undefined ? ipOf(c.props[key]) : undefined;
        if (ip && !strong.includes(ip)) strong.push(ip);
      }
    }
  }
  const weak = receivedSpf.filter((r) => r.field < end && !strong.includes(r.ip)).map((r) => r.ip);
  let border = natural;
  if (strong.length + weak.length > 0) {
    const c = chooseBorder(hops, [...strong, ...weak]);
    // Never below the Received fields' own choice: a forged hop under the border, with a forged
    // verdict naming its address, must not choose the address SPF is checked with. Where no hop
    // names an outside address (a lab on private addresses), the receiver's word picks one.
    if (c.border !== undefined && (natural.border === undefined || c.border <= natural.border)) border = c;
  }
  const arc = [...arcByInstance.values()].filter((s) => s.instance > 0).sort((a, b) => a.instance - b.instance);
  for (const s of arc) {
    const extra = (['seal', 'signature', 'results'] as const).filter((p) => s.parts[p] > 1);
    if (extra.length > 0) arcProblems.push(`ARC instance ${s.instance} has more than one ${extra.join(', ')} field (RFC 8617 §4.2.1)`);
  }
  return {
    message,
    fromFields,
    returnPath,
    returnPaths,
    subject,
    messageId,
    hops,
    hopsSkipped,
    border,
    statedIps: [...strong, ...weak],
    ...(receiverOrg !== undefined ? { receiverOrg } : {}),
    receiverWindow: windowEnd(hops, border.border),
    authResults,
    arc,
    arcProblems,
  };
}

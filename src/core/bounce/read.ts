// A bounce's structure: which part is the notification a person reads, which the machine-readable
// delivery status (RFC 3464), which the returned message (RFC 3462 message/rfc822 or
// text/rfc822-headers), or a feedback report (RFC 5965); and one entry per recipient with the
// receiver's reply and the text about that recipient. Bounces that are not MIME reports (qmail,
// Exim, old Sendmail, Exchange, Gmail, Yahoo, Amazon SES notifications) give the same entries, read
// from their text. What the explainer then judges is only the notification and the delivery status:
// the returned message is context (its Received-SPF says what a receiver saw, not why this one refused).
import { field, type HeaderField, type MailMessage, readFieldGroups, readHeaderBlock, readMessage } from '../mail/message';

/** Recipients read from one bounce: a report listing thousands is cut (each is explained on its own). */
export const MAX_RECIPIENTS = 100;
/** Characters of text kept about one recipient. */
const MAX_SEGMENT = 16 * 1024;

export interface RecipientEntry {
  address?: string;
  action?: string;
  status?: string;
  remoteMta?: string;
  /** RFC 3464 Diagnostic-Code, its type (`smtp;`) removed. */
  diagnostic?: string;
  /** The sending MTA's own class of the failure, given beside the DSN fields (PowerMTA's `X-PowerMTA-BounceCategory: bad-mailbox`). */
  bounceCategory?: string;
  /** The notification's text about this recipient (or all of it, when it cannot be told apart). */
  segment: string;
}

export interface BounceStructure {
  format: 'dsn' | 'arf' | 'text';
  headers: HeaderField[];
  subject: string;
  /** The text a person reads, the returned message cut off. */
  notification: string;
  /** Per-message DSN fields (Reporting-MTA, X-Postfix-Sender, …). */
  perMessage: HeaderField[];
  recipients: RecipientEntry[];
  /** The returned message's header (from a message/rfc822 or text/rfc822-headers part, or after a "copy of the message" line). */
  returned?: HeaderField[];
  /** A feedback report's fields (RFC 5965 §3.1). */
  feedback?: HeaderField[];
  /** An Amazon SES notification's type (Bounce, Delivery, Complaint). */
  sesType?: string;
  /** A delivery report forwarded inside this message (as a message/rfc822 part, or pasted after an mbox `From ` line). */
  embedded?: string;
  notes: string[];
  truncated: boolean;
  length: number;
}

/**
 * The line where the notification stops and the returned message starts, in the wordings MTAs use:
 * Exim "------ This is a copy of the message, including all the headers. ------", qmail "--- Below
 * this line is a copy of the message.", Sendmail "----- Original message follows -----" / "-----
 * Unsent message follows -----", DragonFly "Message headers follow.", m-FILTER "-------original mail
 * info", Exchange "Original message headers:" (and its French, Italian, Swedish, German, Spanish,
 * Portuguese and Dutch NDRs' same line). Anchored at a line's start: prose that mentions
 * "the attached returned message" mid-sentence is not a separator.
 */
const RETURNED_LINE =
  /^[ \t>-]{0,20}(?:this is a copy of (?:the|your) (?:original )?message|(?:a )?copy of (?:the|your) (?:original )?message (?:follows|is (?:attached|below|enclosed))|below (?:this line )?is a copy of (?:the|your) (?:original )?message|below is a copy of the original message|(?:the )?original message (?:follows|was(?! received| sent)|headers?)|-{0,5} ?original message ?-{0,5}$|(?:the )?(?:unsent|undelivered|returned) message(?: follows)?|message headers follow|enclosed is a copy of the message|original mail info|headers of the original message|original message headers|en-têtes de message d'origine|intestazioni originali del messaggio|ursprungshuvuden|ursprüngliche nachrichtenkopfzeilen|encabezados del mensaje original|cabeçalhos da mensagem original|oorspronkelijke berichtkoppen)[^\n]{0,120}$/im;

// A local part may be UTF-8 (RFC 6531), but never CJK punctuation or full-width forms: "收件人：a@b" names a@b.
const ADDR = '[^\\s<>()"\\[\\],;:@\\u3000-\\u303f\\uff00-\\uffef]{1,64}@[A-Za-z0-9.-]{1,253}\\.[A-Za-z]{2,63}';
/**
 * Labels a notice puts before a recipient's address on its line: "Could not be delivered to: <a@b>"
 * (KDDI), "Failed recipient: a@b", and the same label in the languages mailer-daemons write in
 * ("Empfänger:", "Destinataire :", "宛先:", "收件人：", "수신자:").
 */
const RECIPIENT_LABEL =
  '(?:(?:could not be delivered|not delivered|undeliverable|delivery(?: has)? failed) to|(?:failed |original |final |intended )?recipient(?: address)?(?:\\(s\\))?|to address|empfänger(?:adresse)?|destinataire|destinatario|destinatário|ontvanger|получатель|адресат|宛先|受信者|收件人|收件者|收信人|수신자|받는 ?사람)[ \\t]{0,2}[:：][ \\t]{0,12}';
/**
 * A gateway's transcript line that names the recipient: Trend Micro InterScan's "Sent <<< RCPT
 * TO:<a@b>" and "Received >>> 550 5.1.1 <a@b>... user unknown" (its Japanese notices say 送信 and 受信).
 */
const TRANSCRIPT_LINE = '(?:(?:sent|送信)[ \\t]{0,4}<<<[ \\t]{0,4}RCPT TO: ?|(?:received|受信)[ \\t]{0,4}>>>[ \\t]{0,4}[245]\\d\\d[ -](?:[245]\\.\\d{1,3}\\.\\d{1,3} )?)';
/** An X.400 address that carries the SMTP one (Exchange 2003: "c=US;a= ;p=org;o=site;cat:SMTP=a@b; on <date>"). */
const X400_PREFIX = 'c=[^\\n]{0,200}?[;:]SMTP=';
/**
 * A line that names its recipient after the evidence about it, which stands above it: Trend Micro
 * InterScan's "Unable to deliver message to <a@b>." closes the transcript of that recipient.
 */
const BLOCK_CLOSE = new RegExp(`^[ \\t]{0,12}unable to deliver (?:the )?(?:message|mail) to <?(${ADDR})>?(?:[ \\t.]{1,8}[^\\n]{0,120})?$`, 'gim');
const HAS_BLOCK_CLOSE = new RegExp(BLOCK_CLOSE.source, 'im');
/** A section's rule line ("--- Transcript of session follows ---", a row of dashes or "="): it ends a recipient's block. */
const SECTION_LINE = /^[ \t]{0,12}(?:-{3,200}|={3,200}|\*{3,200}|_{3,200}|\+{3,200})[^\n]{0,100}$/gm;
/**
 * A line that starts a recipient's block: the address first, then `:`, `(`, `...` or the line's end;
 * in a Sendmail transcript after the reply code (`554 5.0.0 <a@b>... reason`: one line per recipient).
 */
const BLOCK_START = new RegExp(
  `^[ \\t]{0,12}(?:[245]\\d\\d[ -](?:[245]\\.\\d{1,3}\\.\\d{1,3} )?|${RECIPIENT_LABEL}|${TRANSCRIPT_LINE}|${X400_PREFIX}|(?:--?|\\*|•)[ \\t]{1,4})?(?:<(${ADDR})>|(${ADDR}))(?=[ \\t]{0,8}(?:$|:|：|\\(|\\[|\\.\\.\\.|,|\\.[ \\t]{0,8}$|;?[ \\t]{0,4}on [A-Z]?[a-z]{0,8},? ?\\d))`,
  'gim',
);

function clip(s: string, max: number): string {
  return s.length > max ? s.slice(0, max) : s;
}

/** `rfc822; a@b` → `a@b`; `<a@b>` → `a@b`. */
export function bareAddress(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const v = value.replace(/^[^;]{0,20};\s*/, '').trim().replace(/^<|>$/g, '').trim();
  const m = /[^\s<>"();,\u3000-\u303f\uff00-\uffef]{1,64}@[^\s<>"();,\u3000-\u303f\uff00-\uffef]{1,253}/.exec(v);
  return m ? m[0].toLowerCase().replace(/\.$/, '') : v ? v.toLowerCase() : undefined;
}

/** The notification split from the returned message that follows a separator line. */
function splitReturned(text: string): { notification: string; returned?: HeaderField[] } {
  const m = RETURNED_LINE.exec(text);
  if (!m || m.index === 0) return { notification: text };
  const rest = text.slice(m.index + m[0].length).replace(/^\s*\n/, '');
  const block = readHeaderBlock(rest);
  return { notification: text.slice(0, m.index), ...(block.headers.length > 0 ? { returned: block.headers } : {}) };
}

const BLOCK_END = /^[ \t]{0,12}(?:while talking to [^\s:]{1,253}:|[245]\d\d [A-Za-z0-9.-]{1,253} \([\w-]{1,20}\)\.\.\.)/gim;
/** A Sendmail transcript's section head (`While talking to host:`, `... while talking to host.:`), with the host. */
const TALKING_TO = /^[ \t.]{0,12}while talking to ([A-Za-z0-9][A-Za-z0-9.-]{0,252}?)\.?:/gim;
/** A Sendmail transcript's host line (`421 host (smtp)... Deferred: …`), with the host. */
const HOST_LINE = /^[ \t]{0,12}[245]\d\d ([A-Za-z0-9][A-Za-z0-9.-]{0,252}) \([\w-]{1,20}\)\.\.\./gim;
/** A command the sending server sent, in a transcript (`>>> DATA`, RFC 3464 §6 examples). */
const COMMAND_LINE = /^>>> ([^\n]{0,400})/gm;
/** The longest command-and-reply exchange a recipient line is judged with. */
const MAX_EXCHANGE = 4 * 1024;

function positions<T>(text: string, re: RegExp, value: (m: RegExpMatchArray) => T): { at: number; value: T }[] {
  const out: { at: number; value: T }[] = [];
  for (const m of text.matchAll(re)) {
    if (out.length >= MAX_RECIPIENTS * 4) break;
    out.push({ at: m.index ?? 0, value: value(m) });
  }
  return out;
}

/** The last entry before `at` (entries sorted by position), moving the cursor forward: linear over sorted queries. */
function lastBefore<T>(list: { at: number; value: T }[], cursor: { i: number }, at: number): { at: number; value: T } | undefined {
  while (cursor.i < list.length && list[cursor.i].at < at) cursor.i++;
  return cursor.i > 0 ? list[cursor.i - 1] : undefined;
}

/**
 * Sendmail's transcript: a recipient line (`554 <a@b>... Remote protocol error: Connection reset by
 * peer`) is Sendmail's own summary; the receiver's words are the `<<<` reply to the `>>>` command
 * above it. So a recipient line's evidence starts at the last command before it, when that command
 * belongs to the same conversation: after the section's `While talking to host:` head, and with no
 * host line of another host between (a host line of the same host, `421 host (smtp)... Deferred`,
 * is part of that conversation). The reply to `RCPT TO:<a@b>` is about that recipient alone (RFC 5321
 * §4.1.1.3); the reply to DATA is about every recipient of the transaction.
 */
function exchangeBefore(text: string, at: number, upTo: number, address: string, command: { at: number; value: string } | undefined, head: { at: number; value: string } | undefined, hosts: { at: number; value: string }[], from: number): string {
  if (!command || Math.min(at, upTo) - command.at > MAX_EXCHANGE) return '';
  const rcpt = /^RCPT TO: ?<?([^<>\s]{1,320}?)>?(?:\s|$)/i.exec(command.value);
  if (rcpt && rcpt[1].toLowerCase() !== address) return '';
  if (head && head.at > command.at) return '';
  const host = head?.value.toLowerCase();
  // At most the capped list of host lines (MAX_RECIPIENTS * 4) is stepped over, for at most as many recipient lines.
  for (let k = from; k < hosts.length; k++) {
    const h = hosts[k];
    if (h.at <= command.at) continue;
    if (h.at >= at) break;
    if (h.value.toLowerCase().replace(/\.$/, '') !== host) return '';
  }
  // The command and its reply, up to the first recipient line after them: the recipients of one DATA share it.
  return text.slice(command.at, Math.min(at, upTo));
}

/** Index of the first entry after `at` (entries sorted by position). */
function firstStartAfter(list: { at: number }[], at: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].at <= at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Recipients' blocks in the text: each starts at a line that starts with the address. */
export function textSegments(text: string): { address: string; segment: string }[] {
  const starts: { at: number; address: string; transcript: boolean; alone: boolean; lineEnd: number }[] = [];
  for (const m of text.matchAll(BLOCK_START)) {
    if (starts.length >= MAX_RECIPIENTS * 4) break;
    const at = m.index ?? 0;
    let lineEnd = text.indexOf('\n', at + m[0].length);
    if (lineEnd < 0) lineEnd = text.length;
    // The address alone on its line (a list item), not "<a@b>: reason" or "a@b on <date>".
    const alone = /^[ \t]{0,12}<?[^\s<>]{1,320}>?$/.test(text.slice(at, lineEnd).trimEnd());
    starts.push({ at, address: (m[1] ?? m[2]).toLowerCase(), transcript: /^\s*\d/.test(m[0]), alone, lineEnd });
  }
  // Lines that name their recipient below its evidence decide the layout when there are any.
  if (starts.length === 0 || HAS_BLOCK_CLOSE.test(text)) return closedSegments(text);
  // Lines that end a block without starting one: a Sendmail transcript's next host (`550 host (smtp)... reply`, `While talking to host:`), a section's rule line.
  const ends: number[] = [];
  for (const m of text.matchAll(BLOCK_END)) {
    if (ends.length >= MAX_RECIPIENTS * 4) break;
    ends.push(m.index ?? 0);
  }
  for (const m of text.matchAll(SECTION_LINE)) {
    if (ends.length >= MAX_RECIPIENTS * 8) break;
    ends.push(m.index ?? 0);
  }
  ends.sort((a, b) => a - b);
  // A list: two or more addresses alone on consecutive lines ("The following recipients were affected:",
  // BIGLOBE's "The following addresses had delivery problems"). The reason stands once, above or below
  // the list, for all of them (see below for members that have a block of their own elsewhere).
  const listed = new Set<number>();
  for (let i = 0; i + 1 < starts.length; i++) {
    if (starts[i].alone && starts[i + 1].alone && starts[i + 1].at === starts[i].lineEnd + 1) {
      listed.add(i);
      listed.add(i + 1);
    }
  }
  const commands = positions(text, COMMAND_LINE, (m) => m[1]);
  const heads = positions(text, TALKING_TO, (m) => m[1]);
  const hosts = positions(text, HOST_LINE, (m) => m[1]);
  // Past the last position a capped list recorded, a newer command, head or host line may be missing: no exchange is attached there.
  const capped = [commands, heads, hosts].filter((l) => l.length >= MAX_RECIPIENTS * 4);
  const reliableUntil = capped.length > 0 ? Math.min(...capped.map((l) => l[l.length - 1].at)) : Infinity;
  const commandCursor = { i: 0 };
  const headCursor = { i: 0 };
  let hostFrom = 0;
  let e = 0;
  const blocks: { address: string; from: number; end: number; own: string; listed: boolean }[] = [];
  starts.forEach((s, i) => {
    while (e < ends.length && ends[e] <= s.at) e++;
    let end = Math.min(i + 1 < starts.length ? starts[i + 1].at : text.length, e < ends.length ? ends[e] : text.length);
    const command = lastBefore(commands, commandCursor, s.at);
    // A transcript's recipient line (`550 <a@b>... User unknown`) ends where the next command starts the next exchange.
    const next = commands[commandCursor.i];
    if (s.transcript && next && next.at < end) end = next.at;
    const head = lastBefore(heads, headCursor, s.at);
    // Host lines before the command can no longer matter to this or any later recipient.
    while (hostFrom < hosts.length && command && hosts[hostFrom].at <= command.at) hostFrom++;
    const firstAfter = command ? starts[firstStartAfter(starts, command.at)]?.at ?? s.at : s.at;
    const exchange = s.at > reliableUntil ? '' : exchangeBefore(text, s.at, firstAfter, s.address, command, head, hosts, hostFrom);
    blocks.push({ address: s.address, from: s.at - exchange.length, end, own: clip(exchange + text.slice(s.at, Math.min(end, s.at + MAX_SEGMENT)), MAX_SEGMENT), listed: listed.has(i) });
  });
  // A listed address with a block of its own elsewhere (Sendmail lists the addresses, then gives each one's
  // transcript) is judged by that block. One with none shares the text no other recipient's block claims.
  const withOwn = new Set(blocks.filter((b) => !b.listed).map((b) => b.address));
  let shared: string | undefined;
  const sharedText = (): string => {
    if (shared === undefined) {
      const parts: string[] = [];
      let at = 0;
      for (const b of blocks) {
        if (b.listed) continue;
        if (b.from > at) parts.push(text.slice(at, b.from));
        at = Math.max(at, b.end);
      }
      parts.push(text.slice(at));
      shared = clip(parts.join('\n'), MAX_SEGMENT);
    }
    return shared;
  };
  const by = new Map<string, { parts: string[]; length: number }>();
  for (const b of blocks) if (!by.has(b.address)) by.set(b.address, { parts: [], length: 0 });
  for (const b of blocks) {
    if (b.listed && withOwn.has(b.address)) continue;
    const entry = by.get(b.address)!;
    if (entry.length >= MAX_SEGMENT) continue;
    const own = clip(b.listed ? sharedText() : b.own, MAX_SEGMENT);
    entry.parts.push(own);
    entry.length += own.length + 1;
  }
  return [...by].map(([address, e]) => ({ address, segment: e.parts.join('\n') }));
}

/**
 * Blocks that end with the line naming their recipient (BLOCK_CLOSE): each recipient's evidence is
 * the text from the line after the previous block up to its own line. Used when no line starts a block.
 */
function closedSegments(text: string): { address: string; segment: string }[] {
  const by = new Map<string, string[]>();
  let from = 0;
  let n = 0;
  for (const m of text.matchAll(BLOCK_CLOSE)) {
    if (++n > MAX_RECIPIENTS * 4) break;
    const end = (m.index ?? 0) + m[0].length;
    const address = m[1].toLowerCase();
    const list = by.get(address) ?? [];
    if (list.join('\n').length < MAX_SEGMENT) list.push(clip(text.slice(from, end), MAX_SEGMENT));
    by.set(address, list);
    from = end;
  }
  return [...by].map(([address, parts]) => ({ address, segment: parts.join('\n') }));
}

const DSN_KEYS = new Set(['final-recipient', 'original-recipient', 'action', 'status', 'diagnostic-code', 'remote-mta', 'x-actual-recipient']);

/** RFC 3464 §2.3: recipients' groups; a group that lists a second recipient without an empty line between is two. */
function dsnRecipients(groups: HeaderField[][]): { perMessage: HeaderField[]; recipients: HeaderField[][] } {
  const perMessage: HeaderField[] = [];
  const recipients: HeaderField[][] = [];
  for (const g of groups) {
    let current: HeaderField[] | undefined;
    for (const f of g) {
      if (!DSN_KEYS.has(f.name)) {
        if (!current) perMessage.push(f);
        else current.push(f);
        continue;
      }
      const starts = f.name === 'final-recipient' || f.name === 'original-recipient';
      // A recipient field seen twice in one group: the group lists a second recipient.
      if (!current || (starts && current.some((x) => x.name === f.name))) {
        current = [];
        recipients.push(current);
      }
      current.push(f);
    }
  }
  return { perMessage, recipients: recipients.filter((r) => r.some((f) => f.name === 'final-recipient' || f.name === 'original-recipient' || f.name === 'action' || f.name === 'status')) };
}

function stripType(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  return v.replace(/^[A-Za-z0-9-]{1,30};\s*/, '').trim();
}

/** Amazon SES notifications (JSON, often inside an SNS envelope with its quotes escaped). */
function sesNotification(text: string): { type: string; recipients: RecipientEntry[]; source?: string } | undefined {
  if (!/notificationType/.test(text)) return undefined;
  const t = clip(text, 256 * 1024).replace(/\\"/g, '"').replace(/\n[ \t]?/g, '');
  const type = /"notificationType"\s*:\s*"(\w{1,20})"/.exec(t)?.[1];
  if (!type) return undefined;
  const recipients: RecipientEntry[] = [];
  for (const m of t.matchAll(/\{"emailAddress"\s*:\s*"([^"]{1,320})"([^{}]{0,4000})\}/g)) {
    if (recipients.length >= MAX_RECIPIENTS) break;
    const get = (k: string) => new RegExp(`"${k}"\\s*:\\s*"([^"]{0,2000})"`).exec(m[2])?.[1];
    const diagnostic = stripType(get('diagnosticCode'));
    recipients.push({
      address: bareAddress(m[1]),
      ...(get('action') ? { action: get('action') } : {}),
      ...(get('status') ? { status: get('status') } : {}),
      ...(diagnostic ? { diagnostic } : {}),
      segment: diagnostic ?? '',
    });
  }
  if (recipients.length === 0 && type === 'Delivery') {
    for (const m of t.matchAll(/"recipients"\s*:\s*\[([^\]]{0,4000})\]/g)) {
      for (const a of m[1].matchAll(/"([^"]{1,320})"/g)) if (recipients.length < MAX_RECIPIENTS) recipients.push({ address: bareAddress(a[1]), action: 'delivered', segment: '' });
    }
  }
  const source = /"source"\s*:\s*"([^"]{1,320})"/.exec(t)?.[1];
  return { type, recipients, ...(source ? { source } : {}) };
}

/** Keys that name an event's recipient, and keys that hold the receiver's reply, best first (SES, SendGrid, Mailgun, Postmark, SparkPost). */
const JSON_RECIPIENT = ['emailAddress', 'email', 'Email', 'recipient', 'Recipient', 'rcpt_to', 'raw_rcpt_to'];
const JSON_REPLY = ['diagnosticCode', 'Details', 'raw_reason', 'reason', 'response', 'smtpResponse', 'message', 'description', 'Description', 'error'];
const JSON_STATUS = ['status', 'enhanced-code', 'enhancedCode'];
/** Objects looked at in one JSON text, and how deep. */
const MAX_JSON_NODES = 5000;
const MAX_JSON_DEPTH = 12;

/**
 * Bounce events as sending services deliver them by webhook, pasted as JSON (SendGrid's event list,
 * Mailgun's "failed" event, Postmark's bounce record): each object that names a recipient address is
 * one recipient; its reply is the first field among the reply keys that reads as a sentence, looked
 * for in the object and in its child objects (Mailgun's "delivery-status"). Bounded in nodes and depth.
 */
function jsonEvents(text: string): RecipientEntry[] | undefined {
  const t = text.trim();
  if (!/^[[{]/.test(t) || t.length > 256 * 1024) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(t);
  } catch {
    return undefined;
  }
  const out: RecipientEntry[] = [];
  let nodes = 0;
  const str = (o: Record<string, unknown>, keys: string[], sentence: boolean): string | undefined => {
    for (const k of keys) {
      const v = o[k];
      if (typeof v === 'string' && v.trim() !== '' && (!sentence || /\s/.test(v.trim()))) return v.trim();
    }
    return undefined;
  };
  const walk = (v: unknown, depth: number): void => {
    if (++nodes > MAX_JSON_NODES || depth > MAX_JSON_DEPTH || out.length >= MAX_RECIPIENTS || v === null || typeof v !== 'object') return;
    if (Array.isArray(v)) {
      for (const x of v) walk(x, depth + 1);
      return;
    }
    const o = v as Record<string, unknown>;
    const addressField = JSON_RECIPIENT.map((k) => o[k]).find((x): x is string => typeof x === 'string' && x.includes('@'));
    if (addressField) {
      const children = Object.values(o).filter((x): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x));
      let reply = str(o, JSON_REPLY, true);
      let status = str(o, JSON_STATUS, false);
      for (const c of children) {
        reply ??= str(c, JSON_REPLY, true);
        status ??= str(c, JSON_STATUS, false);
      }
      const diagnostic = stripType(reply);
      const event = ['event', 'RecordType', 'type', 'Type', 'severity'].map((k) => (typeof o[k] === 'string' ? (o[k] as string).slice(0, 40) : '')).join(' ').toLowerCase();
      const action = /deliver(?:ed|y)\b/.test(event) && !/^[45]\d\d\b/.test(diagnostic ?? '') ? 'delivered' : /defer|delay|temporary|soft/.test(event) ? 'delayed' : 'failed';
      const enhanced = /[245]\.\d{1,3}\.\d{1,3}/.exec(status ?? '')?.[0];
      out.push({ address: bareAddress(addressField), action, ...(enhanced ? { status: enhanced } : {}), ...(diagnostic ? { diagnostic } : {}), segment: diagnostic ?? '' });
      return;
    }
    for (const x of Object.values(o)) walk(x, depth + 1);
  };
  walk(data, 0);
  return out.length > 0 ? out : undefined;
}

/** The structure of a message already read (no MIME work left): synchronous and linear. */
export function structureOf(msg: MailMessage, work?: { steps: number }): BounceStructure {
  const notes: string[] = msg.problem ? [msg.problem] : [];
  const statusPart = msg.parts.find((p) => p.type === 'message/delivery-status' || p.type === 'message/global-delivery-status');
  const feedbackPart = msg.parts.find((p) => p.type === 'message/feedback-report');
  const returnedPart = msg.parts.find((p) => p.type === 'message/rfc822' || p.type === 'message/global' || p.type === 'text/rfc822-headers' || p.type === 'message/global-headers');

  const split = splitReturned(msg.text);
  let notification = split.notification;
  let returned = returnedPart ? readHeaderBlock(returnedPart.text.replace(/^\s+/, '')).headers : split.returned;
  if (returned && returned.length === 0) returned = undefined;

  // The delivery status: its part, or the same fields pasted among the text (a report copied from a mail client).
  let groups = statusPart ? readFieldGroups(statusPart.text, work) : [];
  if (groups.length === 0) {
    const inText = readFieldGroups(notification, work).filter((g) => g.some((f) => DSN_KEYS.has(f.name) || f.name === 'reporting-mta'));
    if (inText.some((g) => g.some((f) => f.name === 'final-recipient' || f.name === 'original-recipient'))) groups = inText;
  }
  const dsn = dsnRecipients(groups);
  const feedback = feedbackPart ? readFieldGroups(feedbackPart.text, work).flat() : undefined;
  const textFeedback = !feedback ? readFieldGroups(notification, work).find((g) => g.some((f) => f.name === 'feedback-type')) : undefined;

  const segments = textSegments(notification);
  const segmentOf = (address: string | undefined) => (address ? segments.find((s) => s.address === address)?.segment : undefined);

  let recipients: RecipientEntry[] = [];
  let sesType: string | undefined;
  let events: RecipientEntry[] | undefined;
  if (dsn.recipients.length > 0) {
    for (const r of dsn.recipients.slice(0, MAX_RECIPIENTS)) {
      const address = bareAddress(field(r, 'final-recipient') ?? field(r, 'original-recipient'));
      const actual = bareAddress(field(r, 'x-actual-recipient'));
      const diagnostic = stripType(field(r, 'diagnostic-code'));
      const action = field(r, 'action')?.toLowerCase().split(/\s/)[0];
      const status = /[245]\.\d{1,3}\.\d{1,3}/.exec(field(r, 'status') ?? '')?.[0];
      const remoteMta = stripType(field(r, 'remote-mta'));
      const bounceCategory = r.find((f) => /^x-[a-z0-9-]{0,40}bounce-?category$/.test(f.name))?.value.toLowerCase().slice(0, 40);
      recipients.push({
        ...(bounceCategory ? { bounceCategory } : {}),
        ...(address ? { address } : {}),
        ...(action ? { action } : {}),
        ...(status ? { status } : {}),
        ...(remoteMta ? { remoteMta } : {}),
        ...(diagnostic ? { diagnostic } : {}),
        segment: segmentOf(address) ?? segmentOf(actual) ?? (dsn.recipients.length === 1 || segments.length === 0 ? clip(notification, MAX_SEGMENT * 4) : ''),
      });
    }
    if (dsn.recipients.length > MAX_RECIPIENTS) notes.push(`The report lists ${dsn.recipients.length} recipients; the first ${MAX_RECIPIENTS} are explained.`);
  } else {
    const ses = sesNotification(notification);
    if (ses) {
      sesType = ses.type;
      recipients = ses.recipients;
      if (ses.source && !returned) returned = [{ name: 'from', value: ses.source }];
    } else if ((events = jsonEvents(notification))) {
      recipients = events;
    } else if (segments.length > 0) {
      recipients = segments.slice(0, MAX_RECIPIENTS).map((s) => ({ address: s.address, segment: segments.length === 1 ? clip(notification, MAX_SEGMENT * 4) : s.segment }));
    } else {
      const failed = field(msg.headers, 'x-failed-recipients');
      const list = (failed ?? '').split(',').map((a) => bareAddress(a)).filter((a): a is string => a !== undefined && a.includes('@'));
      recipients = (list.length > 0 ? list : [undefined]).slice(0, MAX_RECIPIENTS).map((address) => ({ ...(address ? { address } : {}), segment: clip(notification, MAX_SEGMENT * 4) }));
    }
  }
  // Segments read from the text name the receiver's reply inside them; a lone recipient gets the whole text.
  if (recipients.length === 1 && !recipients[0].segment) recipients[0].segment = clip(notification, MAX_SEGMENT * 4);
  // A lone recipient the text names only in a sentence ("… delivering your mail to <a@b>."): the first address that is not the sender's.
  if (recipients.length === 1 && !recipients[0].address && msg.hasHeader) {
    const sender = bareAddress(field(msg.headers, 'to'));
    for (const m of notification.matchAll(/<([^<>\s@]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,63})>/g)) {
      const a = m[1].toLowerCase();
      if (a !== sender && !/^(?:mailer-daemon|postmaster)@/i.test(a)) {
        recipients[0].address = a;
        break;
      }
    }
  }

  let embedded: string | undefined;
  if (dsn.recipients.length === 0) {
    const report = /report-type="?delivery-status|message\/delivery-status/i;
    const part = msg.parts.find((p) => p.type === 'message/rfc822' && report.test(p.text.slice(0, 64 * 1024)));
    if (part) embedded = part.text;
    else if (report.test(msg.text)) {
      const at = /^(?:From MAILER-DAEMON[^\n]{0,200}|Return-Path: ?<>)$/im.exec(msg.text);
      if (at) embedded = msg.text.slice(at.index);
    }
  }
  const isArf = feedback !== undefined || textFeedback !== undefined || sesType === 'Complaint';
  if (isArf && !feedbackPart) notification = notification.trim();
  return {
    format: isArf ? 'arf' : dsn.recipients.length > 0 ? 'dsn' : 'text',
    headers: msg.headers,
    subject: msg.subject,
    notification,
    perMessage: dsn.perMessage,
    recipients,
    ...(returned ? { returned } : {}),
    ...(feedback ? { feedback } : textFeedback ? { feedback: textFeedback } : {}),
    ...(sesType ? { sesType } : {}),
    ...(embedded ? { embedded } : {}),
    notes,
    truncated: msg.truncated,
    length: msg.text.length,
  };
}

/** Reads a bounce: the message's MIME structure (postal-mime), then its report's structure. */
export async function readBounce(raw: string, work?: { steps: number }): Promise<BounceStructure> {
  const msg = await readMessage(raw);
  return structureOf(msg, work);
}

// The bounce explainer on formats the development corpus does not hold: notices of other sending
// systems (PowerMTA, MailMarshal, Lotus Domino/Notes, InterScan, Barracuda, McAfee, MXLogic, GoDaddy,
// Mimecast, Facebook, the Japanese carriers, Courier, Exchange 2003/2007/Office 365, Amazon SES,
// SendGrid, Mailgun, Postmark), several recipients in one notice, and mailer-daemon notices in other
// languages and charsets. Every message is built here, in each system's layout as its documentation
// and MTA sources describe it (the start and end lines of its parts), with made-up addresses: each
// recipient must be found with its own address, its own reply, its cause and whose side must act.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { explainBounce } from '../../src/core/bounce/explain';
import type { BounceCategory, BounceExplanation, BounceSide, MessageKind } from '../../src/core/bounce/types';

// --- building messages ------------------------------------------------------------------------------------

const RETURNED = 'Return-Path: <alice@example.com>\nFrom: Alice <alice@example.com>\nTo: bob@example.org\nSubject: hello\nMessage-ID: <1@example.com>\n\nhi';

/** A message: header lines, an empty line, the body. */
function mail(headers: string[], body: string): string {
  return [...headers, 'MIME-Version: 1.0', '', body, ''].join('\n');
}

/** A multipart message of the given parts (each its header lines and body). */
function multipart(headers: string[], type: string, parts: { headers: string[]; body: string }[]): string {
  const b = '----=_Part_0123.4567';
  const body: string[] = ['This is a multi-part message in MIME format.', ''];
  for (const p of parts) body.push(`--${b}`, ...p.headers, '', p.body, '');
  body.push(`--${b}--`, '');
  return mail([...headers, `Content-Type: ${type}; boundary="${b}"`], body.join('\n'));
}

/** A delivery report (RFC 3462/3464): the text, the delivery status, the returned message. */
function report(o: { headers: string[]; text: string; perMessage: string[]; recipients: string[][]; textType?: string; returned?: boolean }): string {
  const parts = [
    { headers: [`Content-Type: ${o.textType ?? 'text/plain; charset=us-ascii'}`], body: o.text },
    { headers: ['Content-Type: message/delivery-status'], body: [o.perMessage.join('\n'), ...o.recipients.map((r) => r.join('\n'))].join('\n\n') },
  ];
  if (o.returned !== false) parts.push({ headers: ['Content-Type: message/rfc822'], body: RETURNED });
  return multipart(o.headers, 'multipart/report; report-type=delivery-status', parts);
}

const b64 = (bytes: Uint8Array) => {
  const s = Buffer.from(bytes).toString('base64');
  return s.replace(/.{76}/g, '$&\n');
};

/** Maps of a multi-byte charset, read back from the platform's decoder (Node has no encoder for them). */
const tables = new Map<string, Map<string, number[]>>();
function table(charset: string): Map<string, number[]> {
  let t = tables.get(charset);
  if (t) return t;
  t = new Map();
  const dec = new TextDecoder(charset, { fatal: true });
  for (let a = 0x80; a <= 0xff; a++) {
    try {
      const c = dec.decode(new Uint8Array([a]));
      if (c.length === 1 && !t.has(c)) t.set(c, [a]);
    } catch {
      // a lead byte alone
    }
    for (let b = 0x40; b <= 0xfe; b++) {
      try {
        const c = dec.decode(new Uint8Array([a, b]));
        if (c.length === 1 && !t.has(c)) t.set(c, [a, b]);
      } catch {
        // no character
      }
    }
  }
  tables.set(charset, t);
  return t;
}

/** Text in a legacy charset: US-ASCII as it is, the rest from the charset's table; ISO-2022-JP from EUC-JP. */
function encode(charset: string, text: string): Uint8Array {
  const jis = charset === 'iso-2022-jp';
  const t = table(jis ? 'euc-jp' : charset);
  const out: number[] = [];
  let kanji = false;
  for (const c of text) {
    const code = c.codePointAt(0)!;
    if (code < 0x80) {
      if (kanji) out.push(0x1b, 0x28, 0x42);
      kanji = false;
      out.push(code);
      continue;
    }
    const bytes = t.get(c);
    if (!bytes) throw new Error(`${c} is not in ${charset}`);
    if (jis) {
      if (!kanji) out.push(0x1b, 0x24, 0x42);
      kanji = true;
      out.push(bytes[0] & 0x7f, bytes[1] & 0x7f);
    } else out.push(...bytes);
  }
  if (kanji) out.push(0x1b, 0x28, 0x42);
  return new Uint8Array(out);
}

/** A single-part notice whose text is in `charset`: base64 (ISO-2022-JP as 7bit, as Japanese mail sends it). */
function localized(charset: string, subject: string, body: string, from = 'MAILER-DAEMON@mx.example.net'): string {
  const bytes = encode(charset, body);
  const jis = charset === 'iso-2022-jp';
  const encodedSubject = `=?${charset}?B?${Buffer.from(encode(charset, subject)).toString('base64')}?=`;
  return mail(
    [`From: ${from}`, 'To: alice@example.com', `Subject: ${encodedSubject}`, `Content-Type: text/plain; charset=${charset}`, `Content-Transfer-Encoding: ${jis ? '7bit' : 'base64'}`],
    jis ? Buffer.from(bytes).toString('latin1') : b64(bytes),
  );
}

// --- what each message must give --------------------------------------------------------------------------

interface Want {
  address: string;
  category: BounceCategory | BounceCategory[];
  side: BounceSide;
  /** The recipient's own reply (and not another recipient's). */
  reply?: RegExp;
  ip?: string;
  domain?: string;
}

interface Case {
  name: string;
  raw: string;
  kind?: MessageKind;
  want: Want[];
}

const UNKNOWN: Pick<Want, 'category' | 'side'> = { category: 'recipient', side: 'recipient' };
const BLOCKED: Pick<Want, 'category' | 'side'> = { category: ['blocked', 'dnsbl'], side: 'sender-reputation' };
const FULL: Pick<Want, 'category' | 'side'> = { category: 'mailbox-full', side: 'recipient' };

function check(r: BounceExplanation, c: Case): void {
  const show = JSON.stringify(r.recipients.map((v) => ({ a: v.address, c: v.category, s: v.side, id: v.cause?.id, reply: v.reply.slice(0, 160), v: v.values })));
  assert.equal(r.messageKind, c.kind ?? 'bounce', `kind: ${show}`);
  assert.equal(r.recipients.length, c.want.length, `recipients: ${show}`);
  for (const w of c.want) {
    const v = r.recipients.find((x) => x.address === w.address);
    assert.ok(v, `${w.address} not found: ${show}`);
    const cats = Array.isArray(w.category) ? w.category : [w.category];
    assert.ok(cats.includes(v.category), `${w.address}: category ${v.category}, wanted ${cats.join('|')}: ${show}`);
    assert.equal(v.side, w.side, `${w.address}: side: ${show}`);
    if (w.reply) assert.match(v.reply, w.reply, `${w.address}: reply: ${show}`);
    // A recipient's reply is its own: another recipient's different reply is not in it.
    for (const o of c.want) if (o !== w && o.reply && w.reply && o.reply.source !== w.reply.source) assert.doesNotMatch(v.reply, o.reply, `${w.address} has ${o.address}'s reply`);
    if (w.ip) assert.equal(v.values.ip, w.ip, `${w.address}: ip: ${show}`);
    if (w.domain) assert.equal(v.values.domain, w.domain, `${w.address}: domain: ${show}`);
  }
}

const IP = '203.0.113.10';
const daemon = (subject: string, from = 'Mail Delivery System <MAILER-DAEMON@mx.example.net>') => [`From: ${from}`, 'To: alice@example.com', `Subject: ${subject}`, 'Date: Thu, 29 Apr 2021 23:34:45 +0900'];
const plain = (headers: string[], body: string, type = 'text/plain; charset=us-ascii') => mail([...headers, `Content-Type: ${type}`], body);

// --- sending systems ----------------------------------------------------------------------------------------

const SYSTEMS: Case[] = [
  {
    name: 'PowerMTA: a delivery report with X-PowerMTA-BounceCategory per recipient',
    raw: report({
      headers: daemon('Delivery report', 'postmaster@mta1.example.com'),
      text: 'This is a delivery report. The message could not be delivered to some recipients.',
      perMessage: ['Reporting-MTA: dns; mta1.example.com', 'Received-From-MTA: dns; [192.0.2.5]', 'Arrival-Date: Thu, 29 Apr 2021 23:34:45 +0900'],
      recipients: [
        ['Final-Recipient: rfc822; bob@example.org', 'Action: failed', 'Status: 5.1.1 (bad destination mailbox address)', 'Remote-MTA: dns; mx.example.org (198.51.100.5)', 'Diagnostic-Code: smtp; 550 5.1.1 <bob@example.org>... User unknown', 'X-PowerMTA-BounceCategory: bad-mailbox'],
        ['Final-Recipient: rfc822; carol@example.net', 'Action: failed', 'Status: 5.0.0 (undefined status)', 'Remote-MTA: dns; mx.example.net (198.51.100.6)', `Diagnostic-Code: smtp; 554 Service unavailable; Client host [${IP}] blocked using zen.spamhaus.org`, 'X-PowerMTA-BounceCategory: spam-related'],
        ['Final-Recipient: rfc822; dave@example.info', 'Action: failed', 'Status: 5.0.0 (undefined status)', 'Remote-MTA: dns; mx.example.info (198.51.100.7)', 'Diagnostic-Code: smtp; 550 Requested action not taken', 'X-PowerMTA-BounceCategory: bad-mailbox'],
      ],
    }),
    want: [
      { address: 'bob@example.org', ...UNKNOWN, reply: /User unknown/ },
      { address: 'carol@example.net', ...BLOCKED, reply: /blocked using zen/, ip: IP },
      { address: 'dave@example.info', ...UNKNOWN, reply: /Requested action not taken/ },
    ],
  },
  {
    name: 'MailMarshal (Trustwave SEG): one reason, then the list of recipients it affected',
    raw: plain(
      daemon('Undeliverable Mail: "hello"', 'postmaster@relay.example.org'),
      [
        'Your message:',
        '   From:    alice@example.com',
        '   Subject: hello',
        '',
        'Could not be delivered because of',
        '',
        '550 5.1.1 User unknown',
        '',
        'The following recipients were affected: ',
        '    bob@example.org',
        '    carol@example.org',
        '',
        'Additional Information',
        '======================',
        '',
        'Original Sender:    <alice@example.com>',
        'Sender-MTA:         <192.0.2.5>',
        'Remote-MTA:         <198.51.100.5>',
        'Reporting-MTA:      <relay.example.org>',
        'MessageName:        <B0000000001.00000001.mml>',
        'Last-Attempt-Date:  <23:34:45 Thu, 29 Apr 2021>',
      ].join('\n'),
    ),
    want: [
      { address: 'bob@example.org', ...UNKNOWN, reply: /550 5\.1\.1 User unknown/ },
      { address: 'carol@example.org', ...UNKNOWN, reply: /550 5\.1\.1 User unknown/ },
    ],
  },
  {
    name: 'Lotus Domino: "was not delivered to: … because: …" per recipient',
    raw: plain(
      daemon('DELIVERY FAILURE: User bob (bob@example.org) not listed in Domino Directory', 'Postmaster@example.org'),
      [
        'Your message',
        '',
        '  Subject: hello',
        '',
        'was not delivered to:',
        '',
        '  bob@example.org',
        '',
        'because:',
        '',
        '  User bob (bob@example.org) not listed in Domino Directory',
        '',
        'was not delivered to:',
        '',
        '  carol@example.org',
        '',
        'because:',
        '',
        "  Unable to deliver message. The recipient's mailbox is full.",
        '',
        'What should you do?',
        '  You can check the address and send the message again.',
      ].join('\n'),
    ),
    want: [
      { address: 'bob@example.org', ...UNKNOWN, reply: /not listed in Domino Directory/ },
      { address: 'carol@example.org', ...FULL, reply: /mailbox is full/ },
    ],
  },
  {
    name: 'Lotus Notes: "Failure Reasons", the reason above the address',
    raw: plain(
      daemon('Undeliverable message', 'Postmaster@notes.example.org'),
      ['------- Failure Reasons  --------', '', 'User not listed in public Name & Address Book', 'bob@example.org', '', '------- Returned Message --------', RETURNED].join('\n'),
    ),
    want: [{ address: 'bob@example.org', ...UNKNOWN, reply: /User not listed in public Name & Address Book/ }],
  },
  {
    name: 'Trend Micro InterScan MSS: "Sent <<< RCPT TO" / "Received >>>" and "Unable to deliver message to <a>"',
    raw: plain(
      daemon('Mail could not be delivered', '"InterScan MSS for SMTP" <postmaster@relay.example.org>'),
      [
        'Sent <<< RCPT TO:<bob@example.org>',
        'Received >>> 550 5.1.1 <bob@example.org>... User unknown',
        '',
        'Unable to deliver message to <bob@example.org>.',
        '',
        'Sent <<< MAIL FROM:<alice@example.com>',
        `Received >>> 554 5.7.1 Your IP ${IP} is blocked due to poor reputation`,
        '',
        'Unable to deliver message to <carol@example.net>.',
      ].join('\n'),
    ),
    want: [
      { address: 'bob@example.org', ...UNKNOWN, reply: /User unknown/ },
      { address: 'carol@example.net', ...BLOCKED, reply: /is blocked due to poor reputation/, ip: IP },
    ],
  },
  {
    name: 'Barracuda: a delivery report, a recipient refused and the sending IP on its reputation list',
    raw: report({
      headers: daemon('Undelivered Mail Returned to Sender', 'MAILER-DAEMON@barracuda.example.org'),
      text: 'Your message to: bob@example.org, carol@example.net\nwas not delivered.',
      perMessage: ['Reporting-MTA: dns; barracuda.example.org'],
      recipients: [
        ['Final-Recipient: rfc822; bob@example.org', 'Action: failed', 'Status: 5.1.1', 'Diagnostic-Code: smtp; 550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown in virtual mailbox table'],
        ['Final-Recipient: rfc822; carol@example.net', 'Action: failed', 'Status: 5.7.1', `Diagnostic-Code: smtp; 554 Service unavailable; Client host [${IP}] blocked using Barracuda Reputation; http://www.barracudanetworks.com/reputation/?r=1&ip=${IP}`],
      ],
    }),
    want: [
      { address: 'bob@example.org', ...UNKNOWN, reply: /User unknown in virtual/ },
      { address: 'carol@example.net', ...BLOCKED, reply: /Barracuda Reputation/, ip: IP },
    ],
  },
  {
    name: 'McAfee Email Gateway: "--- The following addresses had delivery problems ---", one line each',
    raw: plain(
      [...daemon('Delivery Status Notification (Failure)', 'postmaster@gateway.example.org'), 'X-NAI-Header: Modified by McAfee Email Gateway'],
      [
        '--- The following addresses had delivery problems ---',
        '',
        '<bob@example.org>   (User unknown user: bob@example.org)',
        `<carol@example.net>   (550 5.7.1 Rejected: ${IP} listed at zen.spamhaus.org)`,
        '',
        '--- Transcript of session follows ---',
        '<<< 550 5.1.1 <bob@example.org>... User unknown',
      ].join('\n'),
    ),
    want: [
      { address: 'bob@example.org', ...UNKNOWN, reply: /User unknown/ },
      { address: 'carol@example.net', ...BLOCKED, reply: /listed at zen\.spamhaus\.org/, ip: IP },
    ],
  },
  {
    name: 'MXLogic (Exim): several recipients, each with its host and reply',
    raw: plain(
      daemon('Mail delivery failed: returning message to sender', 'Mail Delivery System <MAILER-DAEMON@p01c11m075.mxlogic.net>'),
      [
        'This message was created automatically by mail delivery software.',
        '',
        'A message that you sent could not be delivered to one or more of its',
        'recipients. This is a permanent error. The following address(es) failed:',
        '',
        '  bob@example.org',
        '    SMTP error from remote mail server after RCPT TO:<bob@example.org>:',
        '    host mx.example.org [198.51.100.5]: 550 5.1.1 <bob@example.org>... User unknown',
        '  carol@example.net',
        '    SMTP error from remote mail server after MAIL FROM:<alice@example.com> SIZE=1234:',
        `    host mx.example.net [198.51.100.6]: 554 5.7.1 Service unavailable; Client host [${IP}] blocked using bl.spamcop.net`,
        '',
        '------ This is a copy of the message, including all the headers. ------',
        RETURNED,
      ].join('\n'),
    ),
    want: [
      { address: 'bob@example.org', ...UNKNOWN, reply: /User unknown/ },
      { address: 'carol@example.net', ...BLOCKED, reply: /bl\.spamcop\.net/, ip: IP },
    ],
  },
  {
    name: 'GoDaddy (secureserver.net): "SMTP error from remote server for RCPT TO command, host: … reason: …"',
    raw: plain(
      [...daemon('Mail delivery failed: returning message to sender', 'Mail Delivery System <MAILER-DAEMON@p3plsmtp.secureserver.net>'), 'X-SECURESERVER-ACCT: alice@example.com'],
      [
        'This message was created automatically by mail delivery software.',
        '',
        'A message that you sent could not be delivered to one or more of its recipients. This is a permanent error. The following address(es) failed:',
        '',
        'bob@example.org',
        'SMTP error from remote server for RCPT TO command, host: mx.example.org (198.51.100.5) reason: 550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown',
        '',
        'carol@example.net',
        `SMTP error from remote server for MAIL FROM command, host: mx.example.net (198.51.100.6) reason: 550 5.7.1 The IP address ${IP} is blacklisted`,
      ].join('\n'),
    ),
    want: [
      { address: 'bob@example.org', ...UNKNOWN, reply: /User unknown/ },
      { address: 'carol@example.net', ...BLOCKED, reply: /is blacklisted/, ip: IP },
    ],
  },
  {
    name: 'Mimecast: a delivery report with its documented replies (421 "Sender address blocked": the IP is on a Blocked Senders policy)',
    raw: report({
      headers: daemon('Undelivered Mail Returned to Sender'),
      text: 'The mail system could not deliver your message.',
      perMessage: ['Reporting-MTA: dns; mx.example.net'],
      recipients: [
        ['Final-Recipient: rfc822; bob@example.org', 'Action: failed', 'Status: 5.0.0', 'Remote-MTA: dns; eu-smtp-inbound-1.mimecast.com', 'Diagnostic-Code: smtp; 550 Invalid Recipient - https://community.mimecast.com/docs/DOC-1369#550'],
        ['Final-Recipient: rfc822; carol@example.org', 'Action: failed', 'Status: 5.0.0', 'Remote-MTA: dns; eu-smtp-inbound-1.mimecast.com', 'Diagnostic-Code: smtp; 421 Sender address blocked - https://community.mimecast.com/docs/DOC-1369#421'],
      ],
    }),
    want: [
      { address: 'bob@example.org', ...UNKNOWN, reply: /Invalid Recipient/ },
      { address: 'carol@example.org', category: 'sender', side: 'sender-policy', reply: /Sender address blocked/ },
    ],
  },
  {
    name: 'Facebook: RCP-P1 (no such recipient) and POL-P2 (the sending IP refused)',
    raw: report({
      headers: daemon('Undelivered Mail Returned to Sender'),
      text: 'The mail system could not deliver your message.',
      perMessage: ['Reporting-MTA: dns; mx.example.net'],
      recipients: [
        ['Final-Recipient: rfc822; bob@facebook.com', 'Action: failed', 'Status: 5.1.1', 'Remote-MTA: dns; msgin.t.facebook.com', `Diagnostic-Code: smtp; 550 5.1.1 RCP-P1 http://postmaster.facebook.com/response_codes?ip=${IP}#rcp The attempted recipient address does not exist.`],
        ['Final-Recipient: rfc822; carol@facebook.com', 'Action: failed', 'Status: 5.0.0', 'Remote-MTA: dns; msgin.t.facebook.com', `Diagnostic-Code: smtp; 554 5.0.0 POL-P2 http://postmaster.facebook.com/response_codes?ip=${IP}#pol Your IP address ${IP} is blocked; Facebook will no longer accept mail from it.`],
      ],
    }),
    want: [
      { address: 'bob@facebook.com', ...UNKNOWN, reply: /RCP-P1/ },
      { address: 'carol@facebook.com', ...BLOCKED, reply: /POL-P2/, ip: IP },
    ],
  },
  {
    name: 'KDDI (au): "Could not be delivered to: <a>" then the reason',
    raw: plain(daemon('Mail System Error - Returned Mail', 'MAILER-DAEMON@ezweb.ne.jp'), ['Your mail sent on: Thu, 29 Apr 2021 23:34:45 +0900', '', 'Could not be delivered to: <bob@ezweb.ne.jp>', 'As their mailbox is full.'].join('\n')),
    want: [{ address: 'bob@ezweb.ne.jp', ...FULL, reply: /mailbox is full/ }],
  },
  {
    name: 'KDDI (au): two recipients, each "Could not be delivered to:" with its reason',
    raw: plain(
      daemon('Mail System Error - Returned Mail', 'MAILER-DAEMON@ezweb.ne.jp'),
      [
        'Your mail sent on: Thu, 29 Apr 2021 23:34:45 +0900',
        '',
        'Could not be delivered to: <bob@ezweb.ne.jp>',
        'As their mailbox is full.',
        '',
        'Could not be delivered to: <carol@ezweb.ne.jp>',
        'Due to the following SMTP relay error: 550 5.1.1 <carol@ezweb.ne.jp>: User unknown',
      ].join('\n'),
    ),
    want: [
      { address: 'bob@ezweb.ne.jp', ...FULL, reply: /mailbox is full/ },
      { address: 'carol@ezweb.ne.jp', ...UNKNOWN, reply: /User unknown/ },
    ],
  },
  {
    name: 'BIGLOBE: the addresses, then "Non-delivered information"',
    raw: plain(
      daemon('Returned mail: Delivery failed', 'postmaster@biglobe.ne.jp'),
      ['   ----- The following addresses had delivery problems -----', 'bob@biglobe.ne.jp', 'carol@biglobe.ne.jp', '', '   ----- Non-delivered information -----', "The number of messages in recipient's mailbox exceeded the local limit."].join('\n'),
    ),
    want: [
      { address: 'bob@biglobe.ne.jp', ...FULL, reply: /exceeded the local limit/ },
      { address: 'carol@biglobe.ne.jp', ...FULL, reply: /exceeded the local limit/ },
    ],
  },
  {
    name: 'NTT docomo: "550 Unknown user" from its receiving servers',
    raw: report({
      headers: daemon('Undelivered Mail Returned to Sender'),
      text: 'I\'m sorry to have to inform you that your message could not\nbe delivered to one or more recipients.\n\n<bob@docomo.ne.jp>: host mfsmax.docomo.ne.jp[203.138.181.112] said: 550 Unknown user bob@docomo.ne.jp (in reply to end of DATA command)',
      perMessage: ['Reporting-MTA: dns; mx.example.net'],
      recipients: [['Final-Recipient: rfc822; bob@docomo.ne.jp', 'Action: failed', 'Status: 5.0.0', 'Remote-MTA: dns; mfsmax.docomo.ne.jp', 'Diagnostic-Code: smtp; 550 Unknown user bob@docomo.ne.jp']],
    }),
    want: [{ address: 'bob@docomo.ne.jp', ...UNKNOWN, reply: /Unknown user/ }],
  },
  {
    name: 'EZweb: "<a>: 550 user unknown" lines, one per recipient',
    raw: plain(
      daemon('Mail System Error - Returned Mail', 'Postmaster@ezweb.ne.jp'),
      ['The user(s) account is disabled.', '', '<bob@ezweb.ne.jp>: 550 user unknown (in reply to RCPT TO command)', '<carol@ezweb.ne.jp>: 552 5.2.2 mailbox full (in reply to RCPT TO command)'].join('\n'),
    ),
    want: [
      { address: 'bob@ezweb.ne.jp', ...UNKNOWN, reply: /550 user unknown/ },
      { address: 'carol@ezweb.ne.jp', ...FULL, reply: /mailbox full/ },
    ],
  },
  {
    name: 'Courier: "<a>:" blocks with the host and the >>> / <<< exchange',
    raw: plain(
      daemon('NOTICE: mail delivery status.', 'Courier mail server at mx.example.net <@>'),
      [
        'This is a delivery status notification from mx.example.net,',
        'running the Courier mail server, version 1.1.0.',
        '',
        'The original message was received on Thu, 29 Apr 2021 23:34:45 +0900',
        'from localhost [127.0.0.1]',
        '',
        '---------------------------------------------------------------------------',
        '',
        '                           UNDELIVERABLE MAIL',
        '',
        'Your message to the following recipients cannot be delivered:',
        '',
        '<bob@example.org>:',
        '    mx.example.org [198.51.100.5]:',
        '>>> RCPT TO:<bob@example.org>',
        '<<< 550 5.1.1 <bob@example.org>... User Unknown',
        '',
        '<carol@example.net>:',
        '    mx.example.net [198.51.100.6]:',
        '>>> RCPT TO:<carol@example.net>',
        `<<< 554 5.7.1 Service unavailable; Client host [${IP}] blocked using zen.spamhaus.org`,
        '',
        '---------------------------------------------------------------------------',
      ].join('\n'),
    ),
    want: [
      { address: 'bob@example.org', ...UNKNOWN, reply: /User Unknown/ },
      { address: 'carol@example.net', ...BLOCKED, reply: /blocked using zen/, ip: IP },
    ],
  },
  {
    name: 'qmail: several "<a>:" blocks, each with "Remote host said"',
    raw: plain(
      daemon('failure notice', 'MAILER-DAEMON@mx.example.net'),
      [
        'Hi. This is the qmail-send program at mx.example.net.',
        "I'm afraid I wasn't able to deliver your message to the following addresses.",
        "This is a permanent error; I've given up. Sorry it didn't work out.",
        '',
        '<bob@example.org>:',
        '198.51.100.5 does not like recipient.',
        'Remote host said: 550 5.1.1 <bob@example.org>... User unknown',
        'Giving up on 198.51.100.5.',
        '',
        '<carol@example.net>:',
        'Connected to 198.51.100.6 but sender was rejected.',
        `Remote host said: 554 5.7.1 Client host [${IP}] blocked using bl.spamcop.net`,
        'Giving up on 198.51.100.6.',
        '',
        '<dave@example.info>:',
        '198.51.100.7 does not like recipient.',
        'Remote host said: 552 5.2.2 Mailbox full',
        'Giving up on 198.51.100.7.',
        '',
        '--- Below this line is a copy of the message.',
        '',
        RETURNED,
      ].join('\n'),
    ),
    want: [
      { address: 'bob@example.org', ...UNKNOWN, reply: /User unknown/ },
      { address: 'carol@example.net', ...BLOCKED, reply: /bl\.spamcop\.net/, ip: IP },
      { address: 'dave@example.info', ...FULL, reply: /Mailbox full/ },
    ],
  },
  {
    name: 'Sendmail: "had permanent fatal errors" with (reason: …) lines and the transcript',
    raw: plain(
      daemon('Returned mail: see transcript for details', 'Mail Delivery Subsystem <MAILER-DAEMON@mx.example.net>'),
      [
        'The original message was received at Thu, 29 Apr 2021 23:34:45 +0900',
        'from localhost [127.0.0.1]',
        '',
        '   ----- The following addresses had permanent fatal errors -----',
        '<bob@example.org>',
        '    (reason: 550 5.1.1 <bob@example.org>... User unknown)',
        '<carol@example.net>',
        `    (reason: 554 5.7.1 Client host [${IP}] blocked using zen.spamhaus.org)`,
        '',
        '   ----- Transcript of session follows -----',
        '... while talking to mx.example.org.:',
        '>>> RCPT To:<bob@example.org>',
        '<<< 550 5.1.1 <bob@example.org>... User unknown',
        '550 5.1.1 <bob@example.org>... User unknown',
        '... while talking to mx.example.net.:',
        '>>> MAIL From:<alice@example.com> SIZE=1234',
        `<<< 554 5.7.1 Client host [${IP}] blocked using zen.spamhaus.org`,
        '554 5.0.0 Service unavailable',
        '',
        '   ----- Original message follows -----',
        RETURNED,
      ].join('\n'),
    ),
    want: [
      { address: 'bob@example.org', ...UNKNOWN, reply: /User unknown/ },
      { address: 'carol@example.net', ...BLOCKED, reply: /blocked using zen/, ip: IP },
    ],
  },
  {
    name: 'Sendmail: a transcript only, one recipient line after each exchange',
    raw: plain(
      daemon('Returned mail: User unknown', 'Mail Delivery Subsystem <MAILER-DAEMON@mx.example.net>'),
      [
        '   ----- Transcript of session follows -----',
        '... while talking to mx.example.org.:',
        '>>> RCPT To:<bob@example.org>',
        '<<< 550 5.1.1 <bob@example.org>... User unknown',
        '550 5.1.1 <bob@example.org>... User unknown',
        '>>> RCPT To:<carol@example.org>',
        '<<< 552 5.2.2 <carol@example.org>... Mailbox full',
        '552 5.2.2 <carol@example.org>... Mailbox full',
        '',
        '   ----- Unsent message follows -----',
        RETURNED,
      ].join('\n'),
    ),
    want: [
      { address: 'bob@example.org', ...UNKNOWN, reply: /User unknown/ },
      { address: 'carol@example.org', ...FULL, reply: /Mailbox full/ },
    ],
  },
  {
    name: 'Sendmail: the addresses listed alone, each reason only in the transcript',
    raw: plain(
      daemon('Returned mail: see transcript for details', 'Mail Delivery Subsystem <MAILER-DAEMON@mx.example.net>'),
      [
        '   ----- The following addresses had permanent fatal errors -----',
        '<bob@example.org>',
        '<carol@example.org>',
        '<dave@example.org>',
        '',
        '   ----- Transcript of session follows -----',
        '... while talking to mx.example.org.:',
        '>>> RCPT To:<bob@example.org>',
        '<<< 550 5.1.1 <bob@example.org>... User unknown',
        '550 5.1.1 <bob@example.org>... User unknown',
        '>>> RCPT To:<carol@example.org>',
        '<<< 552 5.2.2 <carol@example.org>... Mailbox full',
        '552 5.2.2 <carol@example.org>... Mailbox full',
        '>>> RCPT To:<dave@example.org>',
        '<<< 550 5.1.1 <dave@example.org>... User unknown',
        '550 5.1.1 <dave@example.org>... User unknown',
        '',
        '   ----- Original message follows -----',
        RETURNED,
      ].join('\n'),
    ),
    want: [
      { address: 'bob@example.org', ...UNKNOWN, reply: /User unknown/ },
      { address: 'carol@example.org', ...FULL, reply: /Mailbox full/ },
      { address: 'dave@example.org', ...UNKNOWN, reply: /User unknown/ },
    ],
  },
  {
    name: 'A list of addresses, one of them with its own reason further down: the others share the rest',
    raw: plain(
      daemon('Undeliverable Mail: "hello"', 'postmaster@relay.example.org'),
      [
        'Could not be delivered because of',
        '',
        '550 5.1.1 User unknown',
        '',
        'The following recipients were affected:',
        '    bob@example.org',
        '    carol@example.org',
        '',
        'Details:',
        'carol@example.org: 552 5.2.2 Mailbox full',
      ].join('\n'),
    ),
    want: [
      { address: 'bob@example.org', ...UNKNOWN, reply: /User unknown/ },
      { address: 'carol@example.org', ...FULL, reply: /Mailbox full/ },
    ],
  },
  {
    name: 'Exchange 2003: "did not reach the following recipient(s)", "<a> on <date>" blocks',
    raw: plain(
      daemon('Undeliverable: hello', 'System Administrator <postmaster@example.org>'),
      [
        'Your message',
        '',
        '  To:      bob@example.org; carol@example.org',
        '  Subject: hello',
        '  Sent:    Thu, 29 Apr 2021 23:34:45 +0900',
        '',
        'did not reach the following recipient(s):',
        '',
        'bob@example.org on Thu, 29 Apr 2021 23:34:46 +0900',
        '    The e-mail account does not exist at the organization this message was sent to.  Check the e-mail address, or contact the recipient directly to find out the correct address.',
        '    <mx.example.org #5.1.1>',
        '',
        'carol@example.org on Thu, 29 Apr 2021 23:34:46 +0900',
        "    The recipient's mailbox is full and can't accept messages now.",
        '    <mx.example.org #5.2.2 smtp;552 5.2.2 Mailbox full>',
      ].join('\n'),
    ),
    want: [
      { address: 'bob@example.org', ...UNKNOWN, reply: /account does not exist/ },
      { address: 'carol@example.org', ...FULL, reply: /mailbox is full/ },
    ],
  },
  {
    name: 'Exchange 2003: X.400 addresses carrying the SMTP one ("…;cat:SMTP=a@b; on <date>")',
    raw: plain(
      [...daemon('Undeliverable: hello', 'System Administrator <postmaster@example.org>'), 'X-MS-Embedded-Report: '],
      [
        'Your message',
        '',
        '  To:      bob@example.org',
        '  Subject: hello',
        '  Sent:    Fri, 4 Oct 2002 10:00:00 +0900',
        '',
        'did not reach the following recipient(s):',
        '',
        'c=US;a= ;p=example;o=site;cat:SMTP=BOB@EXAMPLE.ORG; on Fri, 4 Oct 2002 10:00:01 +0900',
        '    The recipient name is not recognized',
        '    MSEXCH:IMS:EXAMPLE:SITE:EXCHANGE 0 (000C05A6) Unknown Recipient',
        'c=US;a= ;p=example;o=site;cat:SMTP=CAROL@EXAMPLE.ORG; on Fri, 4 Oct 2002 10:00:01 +0900',
        "    The recipient's mailbox is full",
        '    MSEXCH:IMS:EXAMPLE:SITE:EXCHANGE 0 (000B09B6) 552 5.2.2 Mailbox full',
      ].join('\n'),
    ),
    want: [
      { address: 'bob@example.org', ...UNKNOWN, reply: /Unknown Recipient|not recognized/ },
      { address: 'carol@example.org', ...FULL, reply: /mailbox is full|Mailbox full/ },
    ],
  },
  {
    name: 'Exchange 2007: the recipients, then "Diagnostic information for administrators" per recipient',
    raw: plain(
      daemon('Undeliverable: hello', 'Microsoft Exchange <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@example.org>'),
      [
        'Delivery has failed to these recipients or distribution lists:',
        '',
        'bob@example.org',
        "The e-mail address you entered couldn't be found. Please check the recipient's e-mail address and try to resend the message.",
        '',
        'carol@example.org',
        "The recipient's mailbox is full and can't accept messages now. Please try resending your message later, or contact the recipient directly.",
        '',
        '',
        'Diagnostic information for administrators:',
        '',
        'Generating server: mail.example.org',
        '',
        'bob@example.org',
        '#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##',
        '',
        'carol@example.org',
        '#552 5.2.2 STOREDRV.Deliver; mailbox full ##',
        '',
        'Original message headers:',
        '',
        RETURNED,
      ].join('\n'),
    ),
    want: [
      { address: 'bob@example.org', ...UNKNOWN, reply: /RecipNotFound|couldn't be found/ },
      { address: 'carol@example.org', ...FULL, reply: /mailbox (?:is )?full/ },
    ],
  },
  {
    name: 'Office 365: an HTML-only notice, "Remote Server returned" per recipient',
    raw: plain(
      daemon('Undeliverable: hello', 'Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@example.onmicrosoft.com>'),
      [
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=us-ascii"></head><body>',
        '<p><b><font color="#000066" size="3">Your message to bob@example.org couldn\'t be delivered.</font></b></p>',
        '<p><b>Diagnostic information for administrators:</b></p>',
        '<p>Generating server: AM0PR01MB1234.eurprd01.prod.exchangelabs.com<br>',
        '<br>',
        'bob@example.org<br>',
        "Remote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup'<br>",
        '<br>',
        'carol@example.net<br>',
        `Remote Server returned '550 5.7.1 Service unavailable, Client host [${IP}] blocked using Spamhaus. To request removal from this list see https://www.spamhaus.org/query/ip/${IP} (AS3130). [BN1NAM02FT012.eop-nam02.prod.protection.outlook.com]'<br>`,
        '</p></body></html>',
      ].join('\n'),
      'text/html; charset=us-ascii',
    ),
    want: [
      { address: 'bob@example.org', ...UNKNOWN, reply: /RecipientNotFound/ },
      { address: 'carol@example.net', ...BLOCKED, reply: /blocked using Spamhaus/, ip: IP },
    ],
  },
  {
    name: 'Office 365: HTML notice and a delivery report, the reply in quoted-printable HTML',
    raw: multipart(daemon('Undeliverable: hello', 'postmaster@example.onmicrosoft.com'), 'multipart/report; report-type=delivery-status', [
      {
        headers: ['Content-Type: multipart/alternative; boundary="alt"'],
        body: [
          '--alt',
          'Content-Type: text/html; charset=us-ascii',
          'Content-Transfer-Encoding: quoted-printable',
          '',
          '<p>Your message to <a href=3D"mailto:bob@example.org">bob@example.org</a> couldn\'t be delivered.</p><p>bob wasn\'t found at example.org.</p>',
          '--alt--',
        ].join('\n'),
      },
      {
        headers: ['Content-Type: message/delivery-status'],
        body: 'Reporting-MTA: dns;AM0PR01MB1234.eurprd01.prod.exchangelabs.com\n\nFinal-Recipient: rfc822;bob@example.org\nAction: failed\nStatus: 5.1.10\nDiagnostic-Code: smtp;550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup',
      },
    ]),
    want: [{ address: 'bob@example.org', ...UNKNOWN, reply: /RecipientNotFound/ }],
  },
  {
    name: 'Amazon SES: its delivery report, two recipients',
    raw: report({
      headers: daemon('Delivery Status Notification (Failure)', 'MAILER-DAEMON@amazonses.com'),
      text: 'An error occurred while trying to deliver the mail to the following recipients:\nbob@example.org\ncarol@example.net',
      perMessage: ['Reporting-MTA: dns; a27-30.smtp-out.us-west-2.amazonses.com'],
      recipients: [
        ['Action: failed', 'Final-Recipient: rfc822; bob@example.org', 'Diagnostic-Code: smtp; 550 5.1.1 user unknown', 'Status: 5.1.1'],
        ['Action: failed', 'Final-Recipient: rfc822; carol@example.net', `Diagnostic-Code: smtp; 554 5.7.1 Service unavailable; Client host [${IP}] blocked using b.barracudacentral.org`, 'Status: 5.7.1'],
      ],
    }),
    want: [
      { address: 'bob@example.org', ...UNKNOWN, reply: /user unknown/ },
      { address: 'carol@example.net', ...BLOCKED, reply: /barracudacentral/, ip: IP },
    ],
  },
  {
    name: 'Amazon SES: a bounce notification (SNS JSON), two bounced recipients',
    raw: plain(
      ['From: AWS Notifications <no-reply@sns.amazonaws.com>', 'To: alice@example.com', 'Subject: AWS Notification Message'],
      JSON.stringify({
        notificationType: 'Bounce',
        bounce: {
          bounceType: 'Permanent',
          bounceSubType: 'General',
          bouncedRecipients: [
            { emailAddress: 'bob@example.org', action: 'failed', status: '5.1.1', diagnosticCode: 'smtp; 550 5.1.1 user unknown' },
            { emailAddress: 'carol@example.net', action: 'failed', status: '5.7.1', diagnosticCode: `smtp; 550 5.7.1 Client host [${IP}] blocked using zen.spamhaus.org` },
          ],
          timestamp: '2021-04-29T14:34:45.000Z',
          feedbackId: '0100000000000000-00000000-0000-0000-0000-000000000000-000000',
          reportingMTA: 'dsn; a27-30.smtp-out.us-west-2.amazonses.com',
        },
        mail: { timestamp: '2021-04-29T14:34:44.000Z', source: 'alice@example.com', destination: ['bob@example.org', 'carol@example.net'] },
      }),
    ),
    want: [
      { address: 'bob@example.org', ...UNKNOWN, reply: /user unknown/ },
      { address: 'carol@example.net', ...BLOCKED, reply: /zen\.spamhaus/, ip: IP },
    ],
  },
  {
    name: 'SendGrid: its delivery report (Diagnostic-Code without a type)',
    raw: report({
      headers: daemon('Undelivered Mail Returned to Sender', 'MAILER-DAEMON@mx.sendgrid.net'),
      text: "This is an automatically generated message from SendGrid.\n\nI'm sorry to have to tell you that your message was not able to be\ndelivered to one of its intended recipients.",
      perMessage: ['Reporting-MTA: dns; mx.sendgrid.net'],
      recipients: [
        ['Final-Recipient: rfc822; bob@example.org', 'Original-Recipient: rfc822; bob@example.org', 'Action: failed', 'Status: 5.1.1', 'Diagnostic-Code: 550 5.1.1 <bob@example.org>... User Unknown'],
        ['Final-Recipient: rfc822; carol@example.net', 'Original-Recipient: rfc822; carol@example.net', 'Action: failed', 'Status: 5.7.1', `Diagnostic-Code: 554 5.7.1 Service unavailable; Client host [${IP}] blocked using zen.spamhaus.org`],
      ],
    }),
    want: [
      { address: 'bob@example.org', ...UNKNOWN, reply: /User Unknown/ },
      { address: 'carol@example.net', ...BLOCKED, reply: /zen\.spamhaus/, ip: IP },
    ],
  },
  {
    name: 'SendGrid: its event webhook (JSON), two bounces',
    raw: JSON.stringify([
      { email: 'bob@example.org', event: 'bounce', type: 'bounce', status: '5.1.1', reason: '550 5.1.1 The email account that you tried to reach does not exist.', timestamp: 1619706885 },
      { email: 'carol@example.net', event: 'bounce', type: 'blocked', status: '5.7.1', reason: `554 5.7.1 Service unavailable; Client host [${IP}] blocked using zen.spamhaus.org`, timestamp: 1619706885 },
    ]),
    want: [
      { address: 'bob@example.org', ...UNKNOWN, reply: /does not exist/ },
      { address: 'carol@example.net', ...BLOCKED, reply: /zen\.spamhaus/, ip: IP },
    ],
  },
  {
    name: 'Mailgun: a "failed" event (JSON) with its delivery-status',
    raw: JSON.stringify({
      signature: { timestamp: '1619706885', token: 'x', signature: 'y' },
      'event-data': {
        event: 'failed',
        severity: 'permanent',
        reason: 'bounce',
        recipient: 'bob@example.org',
        'delivery-status': { 'attempt-no': 1, code: 550, 'enhanced-code': '5.1.1', message: '5.1.1 The email account that you tried to reach does not exist.', description: '', 'mx-host': 'mx.example.org' },
        envelope: { sender: 'alice@example.com', targets: 'bob@example.org' },
      },
    }),
    want: [{ address: 'bob@example.org', ...UNKNOWN, reply: /does not exist/ }],
  },
  {
    name: 'Postmark: a bounce webhook (JSON)',
    raw: JSON.stringify({
      RecordType: 'Bounce',
      Type: 'HardBounce',
      TypeCode: 1,
      Name: 'Hard bounce',
      Description: 'The server was unable to deliver your message (ex: unknown user, mailbox not found).',
      Details: `smtp;550 5.7.1 Client host [${IP}] blocked using zen.spamhaus.org`,
      Email: 'carol@example.net',
      From: 'alice@example.com',
      BouncedAt: '2021-04-29T14:34:45Z',
      Inactive: true,
    }),
    want: [{ address: 'carol@example.net', ...BLOCKED, reply: /zen\.spamhaus/, ip: IP }],
  },
  {
    name: 'Mimecast: "[Postmaster] Email Delivery Failure", "-- " before each address and each reason',
    raw: plain(
      ['From: Postmaster <postmaster@mimecast.example.org>', 'To: alice@example.com', 'Subject: [Postmaster] Email Delivery Failure', 'Message-Id: <0123456789-1102117314000@us-mta-25.us.mimecast.lan>'],
      [
        'An email that you attempted to send to the following address could not be delivered:',
        '-- bob@example.org',
        '',
        'The problem appears to be :',
        '-- Recipient email address is possibly incorrect',
        '',
        'Additional information follows :',
        '-- 5.4.1 Recipient address rejected: Access denied.',
      ].join('\n'),
    ),
    want: [{ address: 'bob@example.org', ...UNKNOWN, reply: /Access denied/ }],
  },
  {
    name: 'InterScan: "(and other recipients in the same domain)" after the closing line',
    raw: plain(
      daemon('Mail could not be delivered', '"InterScan MSS for SMTP" <postmaster@relay.example.org>'),
      ['Sent <<< RCPT TO:<bob@example.org>', 'Received >>> 550 5.1.1 unknown user.', '', 'Unable to deliver message to <bob@example.org> (and other recipients in the same domain).'].join('\n'),
    ),
    want: [{ address: 'bob@example.org', ...UNKNOWN, reply: /unknown user/ }],
  },
  {
    name: 'InterScan (Japanese, ISO-2022-JP): 送信 <<< / 受信 >>> lines, two recipients, no closing line',
    raw: localized(
      'iso-2022-jp',
      'メッセージを配信できません。',
      ['送信 <<< RCPT TO:<taro@rei.jp>', '受信 >>> 550 5.1.1 <taro@rei.jp>... User unknown', '', '送信 <<< RCPT TO:<hanako@rei.jp>', '受信 >>> 552 5.2.2 <hanako@rei.jp>... Mailbox full'].join('\n'),
      '"InterScan MSS for SMTP" <postmaster@relay.example.jp>',
    ),
    want: [
      { address: 'taro@rei.jp', ...UNKNOWN, reply: /User unknown/ },
      { address: 'hanako@rei.jp', ...FULL, reply: /Mailbox full/ },
    ],
  },
  {
    name: 'EZweb: "Recipient: <a>" blocks with the >>> / <<< exchange, two recipients',
    raw: plain(
      daemon('Mail System Error - Returned Mail', '<Postmaster@ezweb.ne.jp>'),
      [
        'Each of the following recipients was rejected by a remote',
        'mail server.',
        '',
        '    Recipient: <bob@ezweb.ne.jp>',
        '    >>> RCPT TO:<bob@ezweb.ne.jp>',
        '    <<< 550 <bob@ezweb.ne.jp>: User unknown',
        '',
        '    Recipient: <carol@ezweb.ne.jp>',
        '    >>> RCPT TO:<carol@ezweb.ne.jp>',
        '    <<< 552 <carol@ezweb.ne.jp>: Mailbox full',
        '',
        '--------------------------------------------------',
        RETURNED,
      ].join('\n'),
    ),
    want: [
      { address: 'bob@ezweb.ne.jp', ...UNKNOWN, reply: /User unknown/ },
      { address: 'carol@ezweb.ne.jp', ...FULL, reply: /Mailbox full/ },
    ],
  },
  {
    name: 'KDDI: "As the remote domain doesnt exist."',
    raw: plain(daemon('Mail System Error - Returned Mail', 'no-reply@app.auone-net.jp'), ['Your mail sent on: Thu, 29 Apr 2021 23:34:45 +0900', '', '    Could not be delivered to: <bob@nowhere.example>', '    As the remote domain doesnt exist.'].join('\n')),
    want: [{ address: 'bob@nowhere.example', category: 'recipient-domain', side: 'recipient', reply: /domain doesnt exist/ }],
  },
  {
    name: 'Lotus Domino in French, its accented letters lost (an 8-bit Latin-1 part read as UTF-8)',
    raw: plain(
      daemon('DELIVERY FAILURE: User bob (bob@example.org) not listed', 'Postmaster@example.org'),
      ['Your message', '', '  Subject: hello', '', 'was not delivered to:', '', '  bob@example.org', '', 'because:', '', "  Utilisateur bob (bob@example.org) non r\uFFFDpertori\uFFFD dans l'annuaire Domino"].join('\n'),
    ),
    want: [{ address: 'bob@example.org', ...UNKNOWN, reply: /annuaire Domino/ }],
  },
  {
    name: 'Lotus Notes in Japanese (ISO-2022-JP): "ディレクトリのリストにありません"',
    raw: localized('iso-2022-jp', 'Undeliverable message', ['------- Failure Reasons  --------', '', 'ユーザーはディレクトリのリストにありません', 'bob@example.org', '', '------- Returned Message --------'].join('\n'), 'Postmaster@notes.example.jp'),
    want: [{ address: 'bob@example.org', ...UNKNOWN, reply: /ディレクトリのリストにありません/ }],
  },
  {
    name: 'MailMarshal: the notice ends at its "+++" rule line, two recipients share the reason',
    raw: plain(
      daemon('Undeliverable Mail: "hello"', 'postmaster@relay.example.org'),
      [
        'Your message:',
        '   From:    alice@example.com',
        '   Subject: hello',
        '',
        'Could not be delivered because of',
        '',
        '552 5.2.2 Mailbox full',
        '',
        'The following recipients were affected: ',
        '    bob@example.org',
        '    carol@example.org',
        '',
        '+++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++',
        RETURNED,
      ].join('\n'),
    ),
    want: [
      { address: 'bob@example.org', ...FULL, reply: /Mailbox full/ },
      { address: 'carol@example.org', ...FULL, reply: /Mailbox full/ },
    ],
  },
];

// --- other languages ------------------------------------------------------------------------------------------

/** A Postfix-like notice in one language: the lead, then "<address>: reason" (or a label line) per recipient. */
function notice(charset: string, subject: string, lines: string[]): string {
  return localized(charset, subject, lines.join('\n'));
}

const LANGUAGES: Case[] = [
  {
    name: 'German: unknown recipient',
    raw: notice('iso-8859-1', 'Unzustellbar: hello', ['Ihre Nachricht konnte nicht zugestellt werden.', '', 'Empfänger: <max@beispiel.de>', 'Grund: Die E-Mail-Adresse des Empfängers existiert nicht.']),
    want: [{ address: 'max@beispiel.de', ...UNKNOWN, reply: /existiert nicht/ }],
  },
  {
    name: 'German: sending IP blocked',
    raw: notice('iso-8859-1', 'Unzustellbar: hello', ['Ihre Nachricht konnte nicht zugestellt werden.', '', `<max@beispiel.de>: Annahme verweigert. Die IP-Adresse ${IP} ist gesperrt.`]),
    want: [{ address: 'max@beispiel.de', ...BLOCKED, reply: /ist gesperrt/, ip: IP }],
  },
  {
    name: 'French: unknown recipient',
    raw: notice('iso-8859-1', 'Message non remis', ["Votre message n'a pas pu être remis au destinataire suivant :", '', 'Destinataire : marie@exemple.fr', "Raison : cette adresse n'existe pas (destinataire inconnu)."]),
    want: [{ address: 'marie@exemple.fr', ...UNKNOWN, reply: /destinataire inconnu|n'existe pas/ }],
  },
  {
    name: 'French: sending IP blocked',
    raw: notice('iso-8859-1', 'Message non remis', ["Votre message n'a pas pu être remis.", '', `<marie@exemple.fr> : message refusé, l'adresse IP ${IP} est bloquée (liste noire).`]),
    want: [{ address: 'marie@exemple.fr', ...BLOCKED, reply: /bloquée/, ip: IP }],
  },
  {
    name: 'Spanish: unknown recipient',
    raw: notice('iso-8859-1', 'Mensaje no entregado', ['No se ha podido entregar su mensaje a los siguientes destinatarios:', '', 'juan@ejemplo.es: Usuario desconocido. La cuenta de correo no existe.']),
    want: [{ address: 'juan@ejemplo.es', ...UNKNOWN, reply: /Usuario desconocido/ }],
  },
  {
    name: 'Spanish: sending IP blocked',
    raw: notice('iso-8859-1', 'Mensaje no entregado', ['No se ha podido entregar su mensaje a los siguientes destinatarios:', '', `juan@ejemplo.es: Mensaje rechazado: la dirección IP ${IP} está bloqueada.`]),
    want: [{ address: 'juan@ejemplo.es', ...BLOCKED, reply: /está bloqueada/, ip: IP }],
  },
  {
    name: 'Italian: unknown recipient',
    raw: notice('iso-8859-1', 'Messaggio non recapitato', ['Il messaggio non è stato recapitato ai seguenti destinatari:', '', 'mario@esempio.it: Utente sconosciuto, la casella di posta non esiste.']),
    want: [{ address: 'mario@esempio.it', ...UNKNOWN, reply: /Utente sconosciuto/ }],
  },
  {
    name: 'Italian: sending IP blocked',
    raw: notice('iso-8859-1', 'Messaggio non recapitato', ['Il messaggio non è stato recapitato ai seguenti destinatari:', '', `mario@esempio.it: Messaggio rifiutato: l'indirizzo IP ${IP} è stato bloccato.`]),
    want: [{ address: 'mario@esempio.it', ...BLOCKED, reply: /bloccato/, ip: IP }],
  },
  {
    name: 'Portuguese: unknown recipient',
    raw: notice('iso-8859-1', 'Mensagem não entregue', ['Não foi possível entregar a sua mensagem aos seguintes destinatários:', '', 'joao@exemplo.com.br: Usuário desconhecido. O endereço de e-mail não existe.']),
    want: [{ address: 'joao@exemplo.com.br', ...UNKNOWN, reply: /Usuário desconhecido/ }],
  },
  {
    name: 'Portuguese: sending IP blocked',
    raw: notice('iso-8859-1', 'Mensagem não entregue', ['Não foi possível entregar a sua mensagem aos seguintes destinatários:', '', `joao@exemplo.com.br: Mensagem recusada: o endereço IP ${IP} está bloqueado.`]),
    want: [{ address: 'joao@exemplo.com.br', ...BLOCKED, reply: /bloqueado/, ip: IP }],
  },
  {
    name: 'Dutch: unknown recipient',
    raw: notice('iso-8859-1', 'Onbestelbaar: hello', ['Uw bericht kon niet worden afgeleverd bij de volgende ontvangers:', '', 'jan@voorbeeld.nl: Onbekende gebruiker, dit e-mailadres bestaat niet.']),
    want: [{ address: 'jan@voorbeeld.nl', ...UNKNOWN, reply: /Onbekende gebruiker/ }],
  },
  {
    name: 'Dutch: sending IP blocked',
    raw: notice('iso-8859-1', 'Onbestelbaar: hello', ['Uw bericht kon niet worden afgeleverd bij de volgende ontvangers:', '', `jan@voorbeeld.nl: Bericht geweigerd: het IP-adres ${IP} is geblokkeerd.`]),
    want: [{ address: 'jan@voorbeeld.nl', ...BLOCKED, reply: /geblokkeerd/, ip: IP }],
  },
  {
    name: 'Russian (KOI8-R): unknown recipient',
    raw: notice('koi8-r', 'Сообщение не доставлено', ['Ваше сообщение не может быть доставлено следующим получателям:', '', 'ivan@primer.ru: Пользователь не найден.']),
    want: [{ address: 'ivan@primer.ru', ...UNKNOWN, reply: /Пользователь не найден/ }],
  },
  {
    name: 'Russian (windows-1251): sending IP blocked',
    raw: notice('windows-1251', 'Сообщение не доставлено', ['Ваше сообщение не может быть доставлено следующим получателям:', '', `ivan@primer.ru: Сообщение отклонено: IP-адрес ${IP} заблокирован.`]),
    want: [{ address: 'ivan@primer.ru', ...BLOCKED, reply: /заблокирован/, ip: IP }],
  },
  {
    name: 'Japanese (ISO-2022-JP): unknown recipient',
    raw: notice('iso-2022-jp', 'メール配信に失敗しました', ['以下の宛先へのメール配信に失敗しました。', '', 'taro@rei.jp: 宛先のユーザが存在しません。']),
    want: [{ address: 'taro@rei.jp', ...UNKNOWN, reply: /ユーザが存在しません/ }],
  },
  {
    name: 'Japanese (ISO-2022-JP): sending IP blocked',
    raw: notice('iso-2022-jp', 'メール配信に失敗しました', ['以下の宛先へのメール配信に失敗しました。', '', `taro@rei.jp: 送信元IPアドレス ${IP} からの受信は拒否されました。`]),
    want: [{ address: 'taro@rei.jp', ...BLOCKED, reply: /拒否されました/, ip: IP }],
  },
  {
    name: 'Japanese (Shift_JIS): unknown recipient',
    raw: notice('shift_jis', 'メッセージを配信できません', ['次の宛先にメッセージを配信できませんでした。', '', '宛先: taro@rei.jp', '理由: 該当するユーザーが見つかりません。']),
    want: [{ address: 'taro@rei.jp', ...UNKNOWN, reply: /ユーザーが見つかりません/ }],
  },
  {
    name: 'Japanese (Shift_JIS): sending IP blocked',
    raw: notice('shift_jis', 'メッセージを配信できません', ['次の宛先にメッセージを配信できませんでした。', '', '宛先: taro@rei.jp', `理由: 送信元のIPアドレス(${IP})はブロックされています。`]),
    want: [{ address: 'taro@rei.jp', ...BLOCKED, reply: /ブロックされています/, ip: IP }],
  },
  {
    name: 'Chinese (GB2312): unknown recipient',
    raw: notice('gb2312', '退信通知', ['很抱歉，您的邮件无法投递到以下收件人：', '', '收件人：wang@lizi.cn', '原因：收件人不存在。']),
    want: [{ address: 'wang@lizi.cn', ...UNKNOWN, reply: /收件人不存在/ }],
  },
  {
    name: 'Chinese (GB2312): sending IP blocked',
    raw: notice('gb2312', '退信通知', ['很抱歉，您的邮件无法投递到以下收件人：', '', `wang@lizi.cn: 发信IP ${IP} 已被列入黑名单，邮件被拒绝。`]),
    want: [{ address: 'wang@lizi.cn', ...BLOCKED, reply: /黑名单/, ip: IP }],
  },
  {
    name: 'Chinese (Big5): unknown recipient',
    raw: notice('big5', '無法傳遞的郵件', ['您的郵件無法傳遞給以下收件者：', '', '收件者：chen@lizi.tw', '原因：使用者不存在。']),
    want: [{ address: 'chen@lizi.tw', ...UNKNOWN, reply: /使用者不存在/ }],
  },
  {
    name: 'Chinese (Big5): sending IP blocked',
    raw: notice('big5', '無法傳遞的郵件', ['您的郵件無法傳遞給以下收件者：', '', `chen@lizi.tw: 寄件IP位址 ${IP} 已被封鎖。`]),
    want: [{ address: 'chen@lizi.tw', ...BLOCKED, reply: /封鎖/, ip: IP }],
  },
  {
    name: 'Korean (EUC-KR): unknown recipient',
    raw: notice('euc-kr', '메일 전송 실패', ['다음 수신자에게 메일을 전송하지 못했습니다.', '', '수신자: kim@yeje.kr', '사유: 존재하지 않는 사용자입니다.']),
    want: [{ address: 'kim@yeje.kr', ...UNKNOWN, reply: /존재하지 않는 사용자/ }],
  },
  {
    name: 'Korean (EUC-KR): sending IP blocked',
    raw: notice('euc-kr', '메일 전송 실패', ['다음 수신자에게 메일을 전송하지 못했습니다.', '', `kim@yeje.kr: 발신 IP ${IP} 주소가 차단되었습니다.`]),
    want: [{ address: 'kim@yeje.kr', ...BLOCKED, reply: /차단되었습니다/, ip: IP }],
  },
  {
    name: 'German: no reverse DNS for the sending IP',
    raw: notice('iso-8859-1', 'Unzustellbar: hello', ['Ihre Nachricht konnte nicht zugestellt werden.', '', `<max@beispiel.de>: Annahme verweigert: kein gültiger Reverse-DNS-Eintrag für ${IP}.`]),
    want: [{ address: 'max@beispiel.de', category: 'rdns', side: 'sender-dns', reply: /Reverse-DNS/, ip: IP }],
  },
  {
    name: 'Japanese (ISO-2022-JP): reverse lookup of the sending IP fails',
    raw: notice('iso-2022-jp', 'メール配信に失敗しました', ['以下の宛先へのメール配信に失敗しました。', '', `taro@rei.jp: 送信元 ${IP} は逆引きできません。`]),
    want: [{ address: 'taro@rei.jp', category: 'rdns', side: 'sender-dns', reply: /逆引きできません/, ip: IP }],
  },
  {
    name: 'Chinese (GB2312): no PTR record',
    raw: notice('gb2312', '退信通知', ['很抱歉，您的邮件无法投递到以下收件人：', '', `wang@lizi.cn: 发信服务器 ${IP} 的PTR记录不存在，邮件被拒绝。`]),
    want: [{ address: 'wang@lizi.cn', category: 'rdns', side: 'sender-dns', reply: /PTR记录不存在/, ip: IP }],
  },
  {
    name: 'French: SPF check failed',
    raw: notice('iso-8859-1', 'Message non remis', ["Votre message n'a pas pu être remis.", '', '<marie@exemple.fr> : message refusé, échec de la vérification SPF pour le domaine example.com.']),
    want: [{ address: 'marie@exemple.fr', category: 'spf', side: 'sender-dns', reply: /vérification SPF/ }],
  },
  {
    name: 'Spanish: SPF check failed',
    raw: notice('iso-8859-1', 'Mensaje no entregado', ['No se ha podido entregar su mensaje a los siguientes destinatarios:', '', 'juan@ejemplo.es: Mensaje rechazado: falló la verificación SPF del remitente.']),
    want: [{ address: 'juan@ejemplo.es', category: 'spf', side: 'sender-dns', reply: /verificación SPF/ }],
  },
  {
    name: 'Korean (EUC-KR): SPF authentication failed',
    raw: notice('euc-kr', '메일 전송 실패', ['다음 수신자에게 메일을 전송하지 못했습니다.', '', 'kim@yeje.kr: SPF 인증 실패로 수신이 거부되었습니다.']),
    want: [{ address: 'kim@yeje.kr', category: 'spf', side: 'sender-dns', reply: /SPF 인증 실패/ }],
  },
  {
    name: 'Italian: DMARC check failed',
    raw: notice('iso-8859-1', 'Messaggio non recapitato', ['Il messaggio non è stato recapitato ai seguenti destinatari:', '', 'mario@esempio.it: Messaggio rifiutato: verifica DMARC fallita per example.com.']),
    want: [{ address: 'mario@esempio.it', category: 'dmarc', side: 'sender-dns', reply: /verifica DMARC fallita/ }],
  },
  {
    name: 'Portuguese: DMARC policy failure',
    raw: notice('iso-8859-1', 'Mensagem não entregue', ['Não foi possível entregar a sua mensagem aos seguintes destinatários:', '', 'joao@exemplo.com.br: Mensagem recusada: falha na verificação DMARC do domínio remetente.']),
    want: [{ address: 'joao@exemplo.com.br', category: 'dmarc', side: 'sender-dns', reply: /verificação DMARC/ }],
  },
  {
    name: 'Dutch: the recipient domain does not exist',
    raw: notice('iso-8859-1', 'Onbestelbaar: hello', ['Uw bericht kon niet worden afgeleverd bij de volgende ontvangers:', '', 'jan@voorbeeld.invalid: het domein bestaat niet.']),
    want: [{ address: 'jan@voorbeeld.invalid', category: 'recipient-domain', side: 'recipient', reply: /domein bestaat niet/ }],
  },
  {
    name: 'Russian (KOI8-R): the recipient domain does not exist',
    raw: notice('koi8-r', 'Сообщение не доставлено', ['Ваше сообщение не может быть доставлено следующим получателям:', '', 'ivan@primer.invalid: домен не существует.']),
    want: [{ address: 'ivan@primer.invalid', category: 'recipient-domain', side: 'recipient', reply: /домен не существует/ }],
  },
  {
    name: 'German: refused as spam',
    raw: notice('iso-8859-1', 'Unzustellbar: hello', ['Ihre Nachricht konnte nicht zugestellt werden.', '', '<max@beispiel.de>: Die Nachricht wurde als Spam eingestuft und abgelehnt.']),
    want: [{ address: 'max@beispiel.de', category: 'spam', side: 'content', reply: /als Spam eingestuft/ }],
  },
  {
    name: 'Chinese (Big5): refused as spam',
    raw: notice('big5', '無法傳遞的郵件', ['您的郵件無法傳遞給以下收件者：', '', 'chen@lizi.tw: 郵件被判定為垃圾郵件，已被拒絕。']),
    want: [{ address: 'chen@lizi.tw', category: 'spam', side: 'content', reply: /垃圾郵件/ }],
  },
  {
    name: 'German and English in one notice, two recipients (T-Online style)',
    raw: notice('iso-8859-1', 'Unzustellbar / Undeliverable', [
      'Ihre Nachricht konnte nicht an alle Empfänger zugestellt werden.',
      'Your message could not be delivered to all recipients.',
      '',
      'max@beispiel.de',
      '    Benutzer unbekannt / user unknown',
      '',
      'erika@beispiel.de',
      `    Die IP-Adresse ${IP} ist gesperrt / the IP address ${IP} is blocked`,
    ]),
    want: [
      { address: 'max@beispiel.de', ...UNKNOWN, reply: /Benutzer unbekannt/ },
      { address: 'erika@beispiel.de', ...BLOCKED, reply: /gesperrt/, ip: IP },
    ],
  },
];

// --- charsets a label got wrong, several recipients, events -------------------------------------------------------

const MORE: Case[] = [
  {
    name: 'ISO-2022-JP with no MIME header at all (old carrier notices): the escapes are decoded',
    raw: [
      'From: MAILER-DAEMON@mx.example.jp',
      'To: alice@example.com',
      'Subject: Returned mail',
      '',
      Buffer.from(encode('iso-2022-jp', '以下の宛先へのメール配信に失敗しました。\n\n宛先: taro@rei.jp\n理由: 宛先のユーザが存在しません。\n')).toString('latin1'),
    ].join('\n'),
    want: [{ address: 'taro@rei.jp', ...UNKNOWN, reply: /ユーザが存在しません/ }],
  },
  {
    name: 'ISO-2022-JP labelled us-ascii',
    raw: plain(daemon('Returned mail'), Buffer.from(encode('iso-2022-jp', `taro@rei.jp: 送信元IPアドレス ${IP} からの受信は拒否されました。`)).toString('latin1')),
    want: [{ address: 'taro@rei.jp', ...BLOCKED, reply: /拒否されました/, ip: IP }],
  },
  {
    name: 'UTF-8 labelled us-ascii (8bit): read as UTF-8, not one character per byte',
    raw: mail([...daemon('Сообщение не доставлено'), 'Content-Type: text/plain; charset=us-ascii', 'Content-Transfer-Encoding: 8bit'], 'ivan@primer.ru: Пользователь не найден.'),
    want: [{ address: 'ivan@primer.ru', ...UNKNOWN, reply: /Пользователь не найден/ }],
  },
  {
    name: 'UTF-8 labelled ISO-8859-1 in base64',
    raw: mail([...daemon('Unzustellbar'), 'Content-Type: text/plain; charset=iso-8859-1', 'Content-Transfer-Encoding: base64'], b64(new TextEncoder().encode('max@beispiel.de: Empfänger unbekannt, das Postfach existiert nicht.'))),
    want: [{ address: 'max@beispiel.de', ...UNKNOWN, reply: /Empfänger unbekannt/ }],
  },
  {
    name: 'French delay notice from a sender that is no daemon: a delay, the mailbox full',
    raw: localized('iso-8859-1', 'Remise retardée: hello', "Votre message n'a pas encore pu être remis. Nouvel essai dans 4 heures.\n\n<marie@exemple.fr> : 452 4.2.2 boîte aux lettres pleine", 'Serveur de messagerie <notifications@exemple.fr>'),
    kind: 'delay',
    want: [{ address: 'marie@exemple.fr', ...FULL, reply: /boîte aux lettres pleine/ }],
  },
  {
    name: 'Exim: three recipients, a remote refusal, a routing failure and a full mailbox',
    raw: plain(
      daemon('Mail delivery failed: returning message to sender'),
      [
        'This message was created automatically by mail delivery software.',
        '',
        'A message that you sent could not be delivered to one or more of its',
        'recipients. This is a permanent error. The following address(es) failed:',
        '',
        '  bob@example.org',
        '    host mx.example.org [198.51.100.5]',
        `    SMTP error from remote mail server after initial connection:`,
        `    554 5.7.1 mx.example.org: the IP address ${IP} is blocked`,
        '  carol@nowhere.example',
        '    Unrouteable address',
        '  dave@example.net',
        '    host mx.example.net [198.51.100.6]',
        '    SMTP error from remote mail server after RCPT TO:<dave@example.net>:',
        '    552 5.2.2 <dave@example.net>: mailbox is full',
        '',
        '------ This is a copy of the message, including all the headers. ------',
        RETURNED,
      ].join('\n'),
    ),
    want: [
      { address: 'bob@example.org', ...BLOCKED, reply: /is blocked/, ip: IP },
      { address: 'carol@nowhere.example', category: 'recipient-domain', side: 'recipient', reply: /Unrouteable address/ },
      { address: 'dave@example.net', ...FULL, reply: /mailbox is full/ },
    ],
  },
  {
    name: 'Amazon SES: a notification inside its SNS envelope (the JSON quoted as a string)',
    raw: plain(
      ['From: AWS Notifications <no-reply@sns.amazonaws.com>', 'To: alice@example.com', 'Subject: AWS Notification Message'],
      JSON.stringify({
        Type: 'Notification',
        MessageId: '00000000-0000-0000-0000-000000000000',
        TopicArn: 'arn:aws:sns:us-west-2:000000000000:bounces',
        Message: JSON.stringify({
          notificationType: 'Bounce',
          bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: 'bob@example.org', action: 'failed', status: '5.1.1', diagnosticCode: 'smtp; 550 5.1.1 user unknown' }] },
          mail: { source: 'alice@example.com' },
        }),
      }),
    ),
    want: [{ address: 'bob@example.org', ...UNKNOWN, reply: /user unknown/ }],
  },
  {
    name: 'Postmark: a soft bounce is a delay; Mailgun: a temporary failure is a delay',
    raw: JSON.stringify([
      { RecordType: 'Bounce', Type: 'SoftBounce', Email: 'bob@example.org', Details: 'smtp;452 4.2.2 The email account that you tried to reach is over quota.', Inactive: false },
      { 'event-data': { event: 'failed', severity: 'temporary', recipient: 'carol@example.net', 'delivery-status': { code: 452, message: '4.2.2 Mailbox full' } } },
    ]),
    kind: 'delay',
    want: [
      { address: 'bob@example.org', ...FULL, reply: /over quota/ },
      { address: 'carol@example.net', ...FULL, reply: /Mailbox full/ },
    ],
  },
  {
    name: 'Exchange 2007 in French: per-recipient diagnostics, the returned header after "En-têtes de message d\'origine"',
    raw: localized(
      'iso-8859-1',
      'Non remis : hello',
      [
        'Échec de la remise à ces destinataires ou groupes :',
        '',
        'bob@example.org',
        "L'adresse de messagerie que vous avez entrée est introuvable.",
        '',
        'Informations de diagnostic pour les administrateurs :',
        '',
        'Serveur de génération : mail.example.org',
        '',
        'bob@example.org',
        '#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##',
        '',
        'carol@example.org',
        '#552 5.2.2 STOREDRV.Deliver; mailbox full ##',
        '',
        "En-têtes de message d'origine :",
        '',
        'Received: from mail.example.com (192.0.2.1) by mail.example.org',
        'From: Alice <alice@example.com>',
        'To: bob@example.org, carol@example.org, dave@example.org',
        'Subject: hello',
      ].join('\n'),
      'postmaster@example.org',
    ),
    want: [
      { address: 'bob@example.org', ...UNKNOWN, reply: /RecipNotFound/ },
      { address: 'carol@example.org', ...FULL, reply: /mailbox full/ },
    ],
  },
  {
    name: 'Exchange Online "Original Message Details": the recipient after "Recipient Address:"',
    raw: plain(
      daemon('Undeliverable: hello', 'postmaster@example.onmicrosoft.com'),
      [
        'Delivery has failed to these recipients or groups:',
        '',
        'Your message wasn\'t delivered because the recipient\'s email provider rejected it.',
        '',
        'Diagnostic information for administrators:',
        '',
        'Generating server: BN1PR01MB1234.prod.exchangelabs.com',
        'Remote Server returned \'550 5.7.1 Service unavailable; Client host [' + IP + '] blocked using Spamhaus\'',
        '',
        'Original Message Details',
        'Created Date:   4/29/2021 11:23:34 PM',
        'Sender Address: alice@example.com',
        'Recipient Address:      bob@example.org',
        'Subject:        hello',
      ].join('\n'),
    ),
    want: [{ address: 'bob@example.org', ...BLOCKED, reply: /blocked using Spamhaus/, ip: IP }],
  },
  {
    name: 'SendGrid: delivered events only are a success notice',
    raw: JSON.stringify([
      { email: 'bob@example.org', event: 'delivered', response: '250 2.0.0 OK queued as 1234', timestamp: 1619706885 },
      { email: 'carol@example.net', event: 'delivered', response: '250 2.0.0 Ok', timestamp: 1619706885 },
    ]),
    kind: 'delivered',
    want: [
      { address: 'bob@example.org', category: 'other', side: 'none' },
      { address: 'carol@example.net', category: 'other', side: 'none' },
    ],
  },
];

describe('bounce formats outside the development corpus', () => {
  for (const c of SYSTEMS) it(c.name, async () => check(await explainBounce(c.raw), c));
});

describe('mailer-daemon notices in other languages and charsets', () => {
  for (const c of [...LANGUAGES, ...MORE]) it(c.name, async () => check(await explainBounce(c.raw), c));

  it('a bare ISO-2022-JP subject (no RFC 2047 encoded word) is decoded too', async () => {
    const jis = (t: string) => Buffer.from(encode('iso-2022-jp', t)).toString('latin1');
    const r = await explainBounce(['From: MAILER-DAEMON@mx.example.jp', 'To: alice@example.com', `Subject: ${jis('メール配信に失敗しました')}`, '', jis('taro@rei.jp: 宛先のユーザが存在しません。'), ''].join('\n'));
    assert.equal(r.subject, 'メール配信に失敗しました');
    assert.equal(r.recipients[0]?.category, 'recipient');
  });

  it('the charset tables round-trip (the messages above say what they show)', () => {
    const samples: Record<string, string> = { shift_jis: '宛先 ユーザー', 'iso-2022-jp': 'a宛先b', gb2312: '收件人 黑名单', big5: '收件者 封鎖', 'euc-kr': '수신자 차단', 'koi8-r': 'Пользователь', 'windows-1251': 'заблокирован', 'iso-8859-1': 'Empfänger é' };
    for (const [cs, text] of Object.entries(samples)) assert.equal(new TextDecoder(cs).decode(encode(cs, text)), text, cs);
  });

});

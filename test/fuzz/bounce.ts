// Target `bounce`: explainBounce on real and synthetic bounces, spliced and mutated, then every
// renderer of the explanation.
import * as fc from 'fast-check';
import type { CliIoWithInput } from '../../src/cli/commands/explain';
import { runCli } from '../../src/cli/main';
import { explainBounce, MAX_INPUT } from '../../src/core/bounce/explain';
import { bounceTexts } from './corpus';
import type { Target } from './harness';
import { mutated } from './mutate';
import { renderAll, unsafeAt } from './render';

const IPS = ['203.0.113.244', '192.0.2.1', '10.0.0.1', '2001:db8::25', 'IPv6:2001:db8::1', '999.1.1.1', '1.2.3', '::', '::ffff:192.0.2.1', '[203.0.113.5]'];
const NAMES = ['DYNA-WEB', 'mail.example.net', 'dyna_web', 'localhost', 'x', 'a b c d e', '[192.0.2.1]', 'ex\u202emple.com', 'mail.\u0000evil', 'a'.repeat(300)];
const ZONES = ['zen.spamhaus.org', 'bl.spamcop.net', 'Spamhaus', 'b.barracudacentral.org', 'dnsbl.example', '.', 'x'];

// Rejection texts receivers send (the shapes patterns.ts looks for), with holes for values.
const REPLIES = [
  '{code} {enh} <{name}>: Helo command rejected: need fully-qualified hostname',
  '{code} {enh} <{name}>: Helo command rejected: Invalid name',
  '{code} {enh} <{name}>: Helo command rejected: Host not found',
  '{code} {enh} Client host rejected: cannot find your hostname, [{ip}]',
  '{code} {enh} Client host rejected: cannot find your reverse hostname, [{ip}]',
  '{code} {enh} Service unavailable; Client host [{ip}] blocked using {zone}; https://www.spamhaus.org/query/ip/{ip}',
  '{code} {enh} [{ip}] The IP you\'re using to send mail is not authorized to send email directly to our servers. Please use the SMTP relay at your service provider instead. Learn more at https://support.google.com/mail/?p=NotAuthorizedError',
  '{code}-{enh} [{ip}] Our system has detected that this message does not meet IPv6 sending guidelines regarding PTR records and authentication.',
  '{code}-{enh} The IP address sending this message does not have a PTR record setup, or the corresponding forward DNS entry does not point to the sending IP.',
  '{code}-{enh} Unauthenticated email from {domain} is not accepted due to domain\'s DMARC policy.',
  '{code} {enh} Message rejected due to: SPF fail - not authorized. Please see http://www.openspf.net/Why?s=mfrom;id={sender};ip={ip};r={name}',
  '{code} {enh} <{sender}>: Sender address rejected: Domain not found',
  '{code} {enh} <{sender}>: Recipient address rejected: User unknown in local recipient table',
  'rejected because {ip} is in a black list at {zone}',
  '{code} Syntactically invalid EHLO argument(s)',
  '{code} {enh} BOGUS HELO {name}',
  '{code} {enh} Unfortunately, messages from [{ip}] weren\'t sent. Please contact your Internet service provider since part of their network is on our block list (S3150).',
  '{code} {enh} {ip} Sender Policy Framework violation',
  'Reporting-MTA: dns; {name}',
  'Remote-MTA: dns; {name}',
  'Final-Recipient: rfc822; {sender}',
  'Status: {enh}',
  'Diagnostic-Code: smtp; {code} {enh} {text}',
  'host {name}[{ip}] said: {code}-{enh} {text} (in reply to RCPT TO command)',
  '<<< 250 {name} Hello {name} [{ip}], pleased to meet you',
  '>>> HELO {name}',
  'Received-SPF: fail (domain of {sender} does not designate {ip} as permitted sender) client-ip={ip}; helo={name};',
  // A Sendmail transcript's lines (one block per recipient line, ended by the next host's) and refusals at the greeting.
  '{code} {name} (smtp)... {code} Host unknown',
  '{code} {enh} <{sender}>... {text}',
  'While talking to {name}:',
  'SMTP error from remote mail server after initial connection:\n    host {name} [{ip}]: {code} {text} - {ip}',
  '<{sender}>: host {name}[{ip}] refused to talk to me: {code} {text}',
  '{code} {enh} Access from ip address {ip} blocked. {text}',
  '{code} {enh} Your server IP {ip} is blocked by {text}',
  '{code} {enh} too many spams from your IP {ip}',
];

const fill = (template: string, v: Record<string, string>) => template.replace(/\{(\w+)\}/g, (_, k: string) => v[k] ?? k);

const valuesArb = fc.record({
  code: fc.constantFrom('550', '554', '450', '451', '504', '501', '421', '250', '999', '55', ''),
  enh: fc.constantFrom('5.7.1', '5.7.25', '5.7.26', '5.7.23', '4.7.1', '4.7.25', '5.5.2', '5.1.1', '5.1.8', '9.9.9', '5.999.999', ''),
  ip: fc.oneof(fc.constantFrom(...IPS), fc.ipV4(), fc.ipV6()),
  name: fc.oneof(fc.constantFrom(...NAMES), fc.domain()),
  zone: fc.constantFrom(...ZONES),
  domain: fc.oneof(fc.constantFrom('dynatron.example', 'newco.example', 'example.com'), fc.domain()),
  sender: fc.oneof(fc.constantFrom('alice@dynatron.example', 'MAILER-DAEMON@x', '<>', 'a@b@c'), fc.emailAddress()),
  text: fc.string({ maxLength: 60 }),
});

/** A reply as a receiver's MTA wraps it: long lines broken, multi-line prefixes repeated. */
function wrap(text: string, width: number, prefix: string): string {
  if (width <= 0 || text.length <= width) return text;
  const out: string[] = [];
  for (let i = 0; i < text.length; i += width) out.push((i === 0 ? '' : prefix) + text.slice(i, i + width));
  return out.join('\n');
}

const syntheticBounce = fc
  .tuple(fc.array(fc.tuple(fc.constantFrom(...REPLIES), valuesArb), { minLength: 1, maxLength: 6 }), fc.integer({ min: 0, max: 100 }), fc.constantFrom('', '    ', '550-5.7.25 ', '550 5.7.1 '), fc.constantFrom('\n', '\r\n', '\n\n', ' '))
  .map(([parts, width, prefix, sep]) => parts.map(([t, v]) => wrap(fill(t, v), width, prefix)).join(sep));

/** quoted-printable (RFC 2045 §6.7), soft line breaks at 76. */
function qp(text: string): string {
  const enc = Buffer.from(text, 'utf8')
    .toString('latin1')
    .replace(/[=\x00-\x08\x0b-\x1f\x7f-\xff]/g, (c) => `=${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
  return enc.replace(/[^\n]{75}/g, '$&=\n');
}

/**
 * Bounces as MIME messages: a multipart/report with the reply in the notification (7bit,
 * quoted-printable or base64, a charset), a delivery-status part with one or more recipients, a
 * returned message or its headers (with a Received-SPF that must never be read as the rejection),
 * nested or broken boundaries, encoded-word subjects, success and feedback reports.
 */
const mimeBounce = fc
  .record({
    reply: fc.oneof(syntheticBounce, fc.string({ maxLength: 200 })),
    cte: fc.constantFrom('7bit', 'quoted-printable', 'base64', '8bit', 'x-unknown'),
    charset: fc.constantFrom('us-ascii', 'utf-8', 'iso-8859-1', 'iso-2022-jp', 'x-nonsense', ''),
    reportType: fc.constantFrom('delivery-status', 'feedback-report', '', 'delivery-status; boundary=""'),
    actions: fc.array(fc.constantFrom('failed', 'delayed', 'delivered', 'relayed', 'expanded', 'bogus', ''), { minLength: 0, maxLength: 5 }),
    returned: fc.constantFrom('message/rfc822', 'text/rfc822-headers', 'message/global', 'text/plain', ''),
    boundary: fc.constantFrom('B', '=_x', 'a b', '', '--', 'B"; x="y'),
    nest: fc.integer({ min: 0, max: 40 }),
    subject: fc.oneof(fc.constantFrom('=?UTF-8?B?w7xiZXI=?=', '=?iso-2022-jp?B?GyRCJUYbKEI=?=', '=?x?Q?a=ZZ?=', 'Undelivered Mail'), fc.string({ maxLength: 40 })),
    sep: fc.constantFrom('\n', '\r\n', '\r'),
  })
  .map((m) => {
    const body = m.cte === 'base64' ? Buffer.from(m.reply).toString('base64').replace(/.{76}/g, '$&\n') : m.cte === 'quoted-printable' ? qp(m.reply) : m.reply;
    const b = m.boundary;
    const status = m.actions.map((a, i) => `Final-Recipient: rfc822; r${i}@example.org\nAction: ${a}\nStatus: 5.7.${i}\nDiagnostic-Code: smtp; ${m.reply.slice(0, 200)}`).reduce((all, g, i) => (i === 0 ? g : `${all}${i % 2 ? '\n' : '\n\n'}${g}`), ''); // every other recipient without the empty line between groups
    const open = Array.from({ length: m.nest }, (_, i) => `Content-Type: multipart/mixed; boundary="n${i}"\n\n--n${i}`).join('\n');
    const text = [
      'From: MAILER-DAEMON@mx.example.net',
      'To: alice@example.com',
      `Subject: ${m.subject}`,
      'MIME-Version: 1.0',
      `Content-Type: multipart/report; report-type=${m.reportType}; boundary="${b}"`,
      '',
      `--${b}`,
      open,
      `Content-Type: text/plain; charset=${m.charset}`,
      `Content-Transfer-Encoding: ${m.cte}`,
      '',
      body,
      `--${b}`,
      `Content-Type: message/${m.reportType.startsWith('feedback') ? 'feedback-report' : 'delivery-status'}`,
      '',
      'Reporting-MTA: dns; mx.example.net',
      'Feedback-Type: abuse',
      '',
      status,
      `--${b}`,
      `Content-Type: ${m.returned}`,
      '',
      'Received-SPF: fail (example.org: domain of alice@example.com does not designate 192.0.2.1 as permitted sender) client-ip=192.0.2.1; helo=mail.example.com;',
      'DKIM-Signature: v=1; d=example.com; s=sel; b=x',
      'From: alice@example.com',
      '',
      'body',
      `--${b}--`,
    ].join('\n');
    return m.sep === '\n' ? text : text.replace(/\n/g, m.sep);
  });

function bounceArb(): fc.Arbitrary<string> {
  const corpus = bounceTexts();
  const pieces = fc.oneof(fc.constantFrom(...REPLIES), syntheticBounce);
  const base = corpus.length > 0 ? fc.oneof({ weight: 2, arbitrary: fc.constantFrom(...corpus) }, { weight: 2, arbitrary: syntheticBounce }) : syntheticBounce;
  // Spliced: a corpus bounce with a synthetic reply put in the middle, as MTAs quote each other.
  const spliced = fc.tuple(base, pieces, fc.nat()).map(([b, p, at]) => {
    const i = b.length === 0 ? 0 : at % b.length;
    return b.slice(0, i) + '\n' + p + '\n' + b.slice(i);
  });
  // A flood: one reply or phrase repeated up to the 512 KiB the explainer reads (rare: each is slow).
  const flood = fc
    .tuple(fc.oneof(pieces, fc.constantFrom('blocked using ', '550-5.7.1 ', '<a ', 'host a[', 'said: ', '1.2.3.4 ', '@a.')), fc.integer({ min: 1000, max: MAX_INPUT }), fc.constantFrom(' ', '\n', ''))
    .map(([p, size, sep]) => (p + sep).repeat(Math.ceil(size / (p.length + sep.length))).slice(0, size));
  return fc.oneof(
    { weight: 45, arbitrary: mutated(fc.oneof(base, spliced), { pool: pieces, maxRepeat: 3000, maxOps: 6 }) },
    { weight: 15, arbitrary: fc.oneof(mimeBounce, mutated(mimeBounce, { pool: pieces, maxRepeat: 300, maxOps: 4 })) },
    { weight: 1, arbitrary: flood },
  );
}

export const bounceTarget: Target<string> = {
  name: 'bounce',
  what: 'explainBounce on corpus and synthetic bounces (spliced, mutated, floods to the 512 KiB cap) and MIME reports (QP/base64, charsets, several recipients, nested and broken boundaries, returned messages, ARF, success notices) → report, Markdown, text, tree, JSON, and the `maildns explain` command',
  arbitrary: bounceArb,
  weight: 30,
  slice: 300,
  async run(text, ctx) {
    const r = await explainBounce(text);
    const read = Math.min(text.length, MAX_INPUT);
    ctx.check('bounce-offsets', () => {
      // Offsets are into the recipient's evidence (decoded text), at most the input read twice (Diagnostic-Code and text).
      for (const m of r.matches) {
        if (!(m.start >= 0 && m.start <= m.end && m.end <= 2 * read + 64)) return `match ${m.id} at ${m.start}-${m.end} outside 0-${2 * read}`;
      }
      return r.length === read ? undefined : `length ${r.length}, read ${read}`;
    });
    ctx.check('bounce-sides', () => {
      // Nothing failed in a success notice, an auto-reply or a feedback report: no one is blamed, no check suggested.
      if (['delivered', 'auto-reply', 'feedback-report'].includes(r.messageKind) && (r.recipients.some((x) => x.side.startsWith('sender-')) || r.suggestions.length > 0)) return `${r.messageKind} blames the sender`;
      for (const x of r.recipients) if (x.side === 'content' && x.suggestions.length > 0) return `content rejection ${x.cause?.id} suggests ${x.suggestions[0].cli}`;
      return r.recipients.length <= 100 ? undefined : `${r.recipients.length} recipients`;
    });
    ctx.check('bounce-escaped', () => {
      for (const m of r.matches) {
        const p = unsafeAt(m.text, true);
        if (p) return `match ${m.id} text: ${p}`;
      }
      return undefined;
    });
    renderAll(r, ctx);
    // One input in eight also through `maildns explain` as the program runs it (runCli: options,
    // the terminal escape), its standard input given as the command's tests give it.
    if (text.length % 8 === 0) {
      let out = '';
      const io: CliIoWithInput = { out: (t) => void (out += t), err: (t) => void (out += t), readInput: async () => text };
      const code = await runCli(['explain', ...(text.length % 16 === 0 ? ['--json'] : [])], io);
      ctx.check('cli-exit', () => ([0, 2].includes(code) ? undefined : `exit status ${code}`));
      ctx.check('cli-controls', () => unsafeAt(out));
    }
  },
};

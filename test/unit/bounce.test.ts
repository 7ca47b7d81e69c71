// The bounce explainer on bounce texts in the formats real systems send (test/fixtures/bounces), and
// on messages built here to pin each rule: the MIME reader (transfer encodings, charsets), the
// delivery status per recipient, the returned message read as context only, success notices,
// auto-replies and feedback reports said to be what they are, line ends, bounds.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { type CliIoWithInput, explainCommand } from '../../src/cli/commands/explain';
import { runCli } from '../../src/cli/main';
import { UsageError } from '../../src/cli/shared';
import { enhancedCodeMeaning } from '../../src/core/bounce/codes';
import { explainBounce, explainBounceText, flatten, MAX_INPUT } from '../../src/core/bounce/explain';
import type { BounceExplanation } from '../../src/core/bounce/types';
import { readFieldGroups, readHeaderBlock, readMessage } from '../../src/core/mail/message';
import { REPO_ROOT } from '../paths';
import { dsn, rcpt } from './bounceBuild';

const DIR = path.join(REPO_ROOT, 'test', 'fixtures', 'bounces');
const read = (f: string) => fs.readFileSync(path.join(DIR, f), 'utf8');

interface Expect {
  id: string;
  side: string;
  ip?: string;
  helo?: string;
  domain?: string;
  zone?: string;
  cli: string[];
  kind?: string;
}

const EXPECTED: Record<string, Expect> = {
  'postfix-helo-fqdn.txt': { id: 'postfix-helo-non-fqdn', side: 'sender-dns', helo: 'DYNA-WEB', domain: 'dynatron.example', cli: ['maildns helo DYNA-WEB --ip <sending IP>'] },
  'postfix-delayed-hostname.txt': { id: 'postfix-hostname', side: 'sender-dns', ip: '203.0.113.100', cli: ['maildns rdns 203.0.113.100'], kind: 'delay' },
  'postfix-rbl.txt': { id: 'postfix-rbl', side: 'sender-reputation', ip: '203.0.113.244', zone: 'zen.spamhaus.org', cli: ['maildns dnsbl 203.0.113.244 --zone zen.spamhaus.org'] },
  'postfix-policyd-spf.txt': { id: 'policyd-spf', side: 'sender-dns', ip: '203.0.113.60', domain: 'newco.example', cli: ['maildns spf 203.0.113.60 newco.example'] },
  'postfix-user-unknown.txt': { id: 'recipient-unknown', side: 'recipient', cli: [] },
  'gmail-5.7.25.txt': { id: 'gmail-5.7.25', side: 'sender-dns', ip: '203.0.113.100', cli: ['maildns rdns 203.0.113.100'] },
  'gmail-5.7.26.txt': { id: 'gmail-5.7.26-dmarc', side: 'sender-dns', domain: 'dynatron.example', cli: ['maildns dmarc dynatron.example', 'maildns spf <sending IP> dynatron.example'] },
  'gmail-5.7.1.txt': { id: 'gmail-unsolicited', side: 'content', cli: [] },
  'exim-dnsbl.txt': { id: 'exim-rbl', side: 'sender-reputation', ip: '203.0.113.100', zone: 'bl.spamcop.net', domain: 'dynatron.example', cli: ['maildns dnsbl 203.0.113.100 --zone bl.spamcop.net'] },
  'exim-helo.txt': { id: 'exim-helo-syntax', side: 'sender-dns', helo: 'dyna_web', cli: ['maildns helo dyna_web --ip <sending IP>'] },
  'exchange-spamhaus.txt': { id: 'microsoft-rbl', side: 'sender-reputation', ip: '203.0.113.244', zone: 'zen.spamhaus.org', domain: 'dynatron.example', cli: ['maildns dnsbl 203.0.113.244 --zone zen.spamhaus.org'] },
  'outlook-s3150.txt': { id: 'outlook-blocklist', side: 'sender-reputation', ip: '203.0.113.60', cli: ['maildns dnsbl 203.0.113.60'] },
  'office365-spf-5.7.23.txt': {
    id: 'microsoft-5.7.23',
    side: 'sender-dns',
    ip: '203.0.113.60',
    helo: 'web6.dynatron.example',
    domain: 'newco.example',
    cli: ['maildns spf 203.0.113.60 newco.example', 'maildns check 203.0.113.60 --helo web6.dynatron.example --from newco.example'],
  },
  'sendmail-bogus-helo.txt': {
    id: 'bogus-helo',
    side: 'sender-dns',
    ip: '203.0.113.244',
    helo: 'dynatron.example',
    domain: 'dynatron.example',
    cli: ['maildns helo dynatron.example --ip 203.0.113.244', 'maildns check 203.0.113.244 --helo dynatron.example --from dynatron.example'],
  },
};

describe('bounce explainer on real-format bounces', () => {
  it('has an expectation for every fixture', () => {
    const files = fs.readdirSync(DIR).filter((f) => f.endsWith('.txt')).sort();
    assert.deepEqual(files, Object.keys(EXPECTED).sort());
  });
  for (const [file, x] of Object.entries(EXPECTED)) {
    it(file, async () => {
      const r = await explainBounce(read(file));
      const first = r.recipients[0];
      assert.equal(first.cause?.id, x.id, JSON.stringify(r.recipients.map((v) => [v.cause?.id, v.reply])));
      assert.equal(first.side, x.side);
      assert.equal(r.messageKind, x.kind ?? 'bounce');
      if (x.ip) assert.equal(first.values.ip, x.ip);
      if (x.helo) assert.equal(first.values.helo, x.helo);
      if (x.domain) assert.equal(first.values.domain, x.domain);
      if (x.zone) assert.equal(first.values.zone, x.zone);
      const clis = first.suggestions.map((s) => s.cli);
      for (const cli of x.cli) assert.ok(clis.includes(cli), `${cli} in ${JSON.stringify(clis)}`);
      if (x.cli.length === 0) assert.deepEqual(clis, []);
      assert.ok(first.explanation.length > 40 && (first.cause?.checked.length ?? 0) > 20);
      assert.ok(r.summary.length > 0);
    });
  }

  it("the seed's HELO bounce: plain words, the receiver's host, the records behind the advice", async () => {
    const r = await explainBounce(read('postfix-helo-fqdn.txt'));
    const m = r.recipients[0].cause!;
    assert.equal(m.values.helo, 'DYNA-WEB');
    assert.equal(m.values.code, '504');
    assert.equal(m.values.enhanced, '5.5.2');
    assert.equal(m.text, '504 5.5.2 <DYNA-WEB>: Helo command rejected: need fully-qualified hostname');
    assert.match(r.summary, /^The receiving server \(mx1\.spsdfw\.example\) refused the mail — HELO name is not fully qualified\./);
    assert.match(m.explanation, /one-word name/);
    assert.deepEqual(r.extracted.receiverIps, ['198.51.100.25']);
    assert.equal(r.extracted.reportingMta, 'dyna-web4.dynatron.example');
    assert.deepEqual(r.extracted.recipientDomains, ['spsdfw.example']);
    assert.equal(r.format, 'dsn');
    assert.deepEqual(r.extracted.enhancedCodes, [{ code: '5.5.2', meaning: enhancedCodeMeaning('5.5.2') }]);
  });

  it("Gmail's multi-line reply reads as one sentence", async () => {
    const r = await explainBounce(read('gmail-5.7.25.txt'));
    assert.match(r.recipients[0].cause!.text, /^550-5\.7\.25 \[203\.0\.113\.100\] The IP address sending this message does not have a PTR record setup, or the corresponding forward DNS entry does not point to the sending IP\./);
    assert.deepEqual(r.extracted.receiverIps, ['192.0.2.27']);
    assert.ok(!r.extracted.senderIps.includes('192.0.2.27'), 'the receiver\'s address is not the sender\'s');
  });

  it("a recipient's problem is not the sender's", async () => {
    const r = await explainBounce(read('postfix-user-unknown.txt'));
    assert.equal(r.recipients[0].cause?.senderSide, false);
    assert.deepEqual(r.suggestions, []);
    assert.match(r.summary, /because of the recipient/);
  });

  it('a DMARC rejection suggests the DMARC check by command id with {domain}, and DKIM with {selector, domain}', async () => {
    const r = await explainBounce(read('gmail-5.7.26.txt'));
    const dmarc = r.suggestions.find((s) => s.check === 'dmarc');
    assert.deepEqual([dmarc?.command, dmarc?.args, dmarc?.complete], ['mailDns.checkDmarc', { domain: 'dynatron.example' }, true]);
    const dkim = r.suggestions.find((s) => s.check === 'dkim');
    assert.equal(dkim?.command, 'mailDns.checkDkim');
    assert.equal(dkim?.args.domain, 'dynatron.example');
  });

  it('folds white space and drops repeated reply prefixes and transcript marks, keeping offsets', () => {
    const f = flatten('550-5.7.1 one\n    550-5.7.1 two\n  550 5.7.1 three');
    assert.equal(f.text, '550-5.7.1 one two three');
    assert.equal(f.map[f.text.indexOf('two')], 'x550-5.7.1 one\n    550-5.7.1 '.length - 1);
    assert.equal(flatten('<<< 550-Your mail\n<<< 550-was refused\n<<< 550 here').text, '550-Your mail was refused here');
  });

  it('says so when nothing is recognised, and explains a bare status code', async () => {
    assert.match((await explainBounce('hello there')).summary, /No known rejection text/);
    const r = explainBounceText('Final-Recipient: rfc822; a@example.org\nStatus: 5.1.10\nAction: failed');
    assert.equal(r.recipients[0].category, 'recipient-domain');
  });

  it('bounds its input and escapes control characters', async () => {
    const big = 'x'.repeat(MAX_INPUT + 10) + ' 504 5.5.2 <A>: Helo command rejected: need fully-qualified hostname';
    const r = await explainBounce(big);
    assert.equal(r.truncated, true);
    assert.equal(r.matches.length, 0);
    const evil = await explainBounce('504 5.5.2 <EVIL\x1b[2J>: Helo command rejected: need fully-qualified hostname');
    assert.ok(!JSON.stringify(evil).includes('\x1b'));
    assert.match(evil.recipients[0].cause!.text, /\\x1b\[2J/);
  });

  it('decodes enhanced status codes (RFC 3463, 7372, 7505)', () => {
    assert.match(enhancedCodeMeaning('5.7.25')!, /reverse DNS validation failed/);
    assert.match(enhancedCodeMeaning('4.7.1')!, /^temporary failure/);
    assert.match(enhancedCodeMeaning('5.7.27')!, /null MX/);
    assert.equal(enhancedCodeMeaning('not a code'), undefined);
  });
});

// --- messages built here: one rule each --------------------------------------------------------------------

describe('the MIME reader and the delivery status', () => {
  it('reads quoted-printable and base64 parts and their charsets (RFC 2045, 2046, 2047)', async () => {
    const qp = dsn({
      notificationHeaders: 'Content-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: quoted-printable',
      notification: 'Votre message n=27a pas =E9t=E9 remis: 550 5.7.1 Client host [203.0.113.9] blo=\ncked using zen.spamhaus.org',
      recipients: [rcpt('bob@example.org', 'failed', '5.7.1', '550 5.7.1 see the text')],
    });
    const r = await explainBounce(qp);
    assert.equal(r.recipients[0].cause?.id, 'postfix-rbl');
    assert.equal(r.recipients[0].values.ip, '203.0.113.9');
    const msg = await readMessage(qp);
    assert.match(msg.text, /n'a pas été remis/);

    const text = 'Delivery to the following recipient failed: 550 5.7.25 [198.51.100.7] The IP address sending this message does not have a PTR record setup.';
    const b64 = `From: mailer-daemon@googlemail.com\nTo: alice@example.com\nSubject: =?UTF-8?B?${Buffer.from('Zustellung fehlgeschlagen ✉').toString('base64')}?=\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n${Buffer.from(text).toString('base64').replace(/(.{76})/g, '$1\n')}\n`;
    const g = await explainBounce(b64);
    assert.equal(g.subject, 'Zustellung fehlgeschlagen ✉');
    assert.equal(g.recipients[0].category, 'rdns');
    assert.deepEqual(g.recipients[0].suggestions[0].args, { ip: '198.51.100.7' });
  });

  it('one verdict per recipient, each with its own cause, side and checks', async () => {
    const r = await explainBounce(
      dsn({
        notification: 'I could not deliver your message to some recipients.',
        recipients: [
          rcpt('bob@example.org', 'failed', '5.1.1', '550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown in local recipient table'),
          rcpt('carol@example.net', 'failed', '5.7.1', '554 5.7.1 Service unavailable; Client host [203.0.113.5] blocked using bl.spamcop.net', 'mx.example.net'),
          rcpt('dave@example.info', 'delayed', '4.4.1', 'connect to mx.example.info[198.51.100.1]:25: Connection timed out'),
        ],
      }),
    );
    assert.equal(r.format, 'dsn');
    assert.deepEqual(
      r.recipients.map((x) => [x.address, x.category, x.side, x.remoteMta]),
      [
        ['bob@example.org', 'recipient', 'recipient', 'mx.example.org'],
        ['carol@example.net', 'dnsbl', 'sender-reputation', 'mx.example.net'],
        ['dave@example.info', 'expired', 'delivery', 'mx.example.org'],
      ],
    );
    assert.deepEqual(r.recipients[0].suggestions, []);
    assert.deepEqual(r.recipients[1].suggestions[0].args, { ip: '203.0.113.5', zone: 'bl.spamcop.net' });
    assert.deepEqual(r.recipients[2].suggestions, []);
  });

  it('a refusal at the greeting is about the connecting IP, even where its words blame no one (RFC 5321 §3.1)', async () => {
    // The Diagnostic-Code alone reads as the receiver's trouble; the notification says it came at the greeting.
    const postfix = await explainBounce(
      dsn({
        notification: '<bob@example.org>: host mx.example.org[198.51.100.1] refused to talk to me:\n    421 mx1 Service refused, please try later. [999]',
        recipients: [rcpt('bob@example.org', 'failed', '4.0.0', '421 mx1 Service refused, please try later. [999]')],
      }),
    );
    const p = postfix.recipients[0];
    assert.deepEqual([p.cause?.id, p.category, p.side], ['refused-at-greeting', 'blocked', 'sender-reputation']);
    assert.ok(p.suggestions.some((s) => s.check === 'dnsbl') && p.suggestions.some((s) => s.check === 'rdns'), JSON.stringify(p.suggestions));
    // A permanent refusal at the greeting that speaks of a quota: the IP is refused, and the IP it names is checked (not the receiver's).
    const exim = await explainBounce(
      'From: Mail Delivery System <Mailer-Daemon@mx.example.com>\nTo: alice@example.com\nSubject: Mail delivery failed: returning message to sender\n\nThe following address(es) failed:\n  bob@example.org\n    SMTP error from remote mail server after initial connection:\n    host mx.example.org [198.51.100.1]:\n    554 mx.example.org : You have reached your daily relay quota - 203.0.113.7\n',
    );
    const e = exim.recipients[0];
    assert.deepEqual([e.category, e.side, e.values.ip, e.remoteIp], ['blocked', 'sender-reputation', '203.0.113.7', '198.51.100.1']);
    assert.ok(e.suggestions.some((s) => s.cli === 'maildns dnsbl 203.0.113.7'), JSON.stringify(e.suggestions.map((s) => s.cli)));
    // A temporary (4xx) limit at the greeting is a rate limit: send more slowly.
    const rate = await explainBounce(
      dsn({
        notification: '<bob@example.org>: host mx.example.org[198.51.100.1] refused to talk to me:\n    421 4.7.0 Too many connections from your IP, rate limited',
        recipients: [rcpt('bob@example.org', 'delayed', '4.7.0', '421 4.7.0 Too many connections from your IP, rate limited')],
      }),
    );
    assert.equal(rate.recipients[0].category, 'rate');
  });

  it('a Sendmail transcript: one verdict per recipient line, each with its own reply', async () => {
    const text = [
      'From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.com>',
      'To: alice@example.com',
      'Subject: Returned mail: User unknown',
      '',
      '   ----- Transcript of session follows -----',
      '550 example.net (smtp)... 550 Host unknown',
      '554 <bob@example.net>... 550 Host unknown (Authoritative answer from name server)',
      'While talking to mx.example.org:',
      '>>> RCPT To:<carol@example.org>',
      '<<< 550 5.7.1 Client host [203.0.113.5] blocked using bl.spamcop.net',
      '554 5.7.1 <carol@example.org>... Client host [203.0.113.5] blocked using bl.spamcop.net',
      '550 <dave@example.info>... User unknown',
      '   ----- Unsent message follows -----',
      'From: alice@example.com',
      '',
      'hi',
    ].join('\n');
    const r = await explainBounce(text);
    assert.deepEqual(
      r.recipients.map((x) => [x.address, x.category, x.side]),
      [
        ['bob@example.net', 'recipient-domain', 'recipient'],
        ['carol@example.org', 'dnsbl', 'sender-reputation'],
        ['dave@example.info', 'recipient', 'recipient'],
      ],
    );
    assert.doesNotMatch(r.recipients[0].reply, /example\.org|spamcop/, 'the next host\'s lines are not the first recipient\'s');
    assert.deepEqual(r.recipients[1].suggestions[0].args, { ip: '203.0.113.5', zone: 'bl.spamcop.net' });
  });

  it("a Sendmail transcript: a recipient line sums up the reply to the command above it, not the connection's end", async () => {
    // Sendmail (V5 and 8) writes the server's reply after "<<<" and its own summary per recipient after it;
    // a peer that resets the connection after refusing DATA leaves "Connection reset by peer" in the summary.
    const text = [
      'From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.com>',
      'To: alice@example.com',
      'Subject: Returned mail: Service unavailable',
      '',
      '   ----- Transcript of session follows -----',
      'While talking to mx.example.net:',
      '>>> DATA',
      '<<< 554 5.7.1 Client host [198.51.100.7] blocked using zen.spamhaus.org',
      '421 mx.example.net (smtp)... Deferred: Connection reset by peer during result wait with mx.example.net',
      '554 <bob@example.net>... Remote protocol error: Connection reset by peer during result wait with mx.example.net',
      '554 <carol@example.net>... Remote protocol error: Connection reset by peer during result wait with mx.example.net',
      '550 example.org (smtp)... 550 Host unknown',
      '554 <dave@example.org>... 550 Host unknown (Authoritative answer from name server)',
      'While talking to mx.example.info:',
      '>>> RCPT To:<erin@example.info>',
      '<<< 550 5.1.1 No such user here',
      '550 <erin@example.info>... User unknown',
      '>>> RCPT To:<frank@example.info>',
      '<<< 552 5.2.2 Mailbox full',
      '552 <frank@example.info>... Mailbox full',
      '   ----- Unsent message follows -----',
      'From: alice@example.com',
      '',
      'hi',
    ].join('\n');
    const r = await explainBounce(text);
    assert.deepEqual(
      r.recipients.map((x) => [x.address, x.category]),
      [
        ['bob@example.net', 'dnsbl'],
        ['carol@example.net', 'dnsbl'],
        ['dave@example.org', 'recipient-domain'],
        ['erin@example.info', 'recipient'],
        ['frank@example.info', 'mailbox-full'],
      ],
    );
    assert.deepEqual(r.recipients[0].suggestions[0].args, { ip: '198.51.100.7', zone: 'zen.spamhaus.org' });
    assert.doesNotMatch(r.recipients[2].reply, /spamhaus|reset/, "another host's conversation is not this recipient's");
    // The connection dropped with no reply before it: a delivery matter, not the sender's.
    const dropped = await explainBounce(text.replace('<<< 554 5.7.1 Client host [198.51.100.7] blocked using zen.spamhaus.org\n', ''));
    assert.equal(dropped.recipients[0].category, 'network');
    assert.equal(dropped.recipients[0].suggestions.length, 0);
  });

  it("Sendmail's opening line \"The original message was received at …\" is no separator: the notification after it is read", async () => {
    // A Sendmail notice pasted without its MIME header: the text, the transcript and the delivery-status fields are all in the body.
    const text = [
      'From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.com>',
      'To: <alice@example.com>',
      'Subject: Returned mail: see transcript for details',
      '',
      'The original message was received at Mon, 1 Jun 2026 10:00:00 +0000',
      'from localhost [127.0.0.1]',
      '',
      '   ----- The following addresses had permanent fatal errors -----',
      '<bob@example.net>',
      '    (reason: 530 5.7.0 Authentication required)',
      '',
      '   ----- Transcript of session follows -----',
      '... while talking to smtp.example.net.:',
      '>>> MAIL From:<alice@example.com> SIZE=300',
      '<<< 530 5.7.0 Authentication required',
      '554 5.0.0 Service unavailable',
      '',
      'Final-Recipient: RFC822; bob@example.net',
      'Action: failed',
      'Status: 5.0.0',
      'Diagnostic-Code: SMTP; 530 5.7.0 Authentication required',
    ].join('\n');
    const r = await explainBounce(text);
    assert.equal(r.format, 'dsn');
    assert.deepEqual(r.recipients.map((x) => [x.address, x.category, x.side]), [['bob@example.net', 'smtp-auth', 'sender-setup']]);
    // The separators that do start the returned message still do.
    const sep = await explainBounce(['From: MAILER-DAEMON@mx.example.com', 'Subject: failure notice', '', '<bob@example.net>:', '550 5.1.1 User unknown', '', '----- Original message follows -----', 'Received-SPF: fail (example.com: 203.0.113.9 is not permitted)', 'From: alice@example.com', '', 'hi'].join('\n'));
    assert.equal(sep.recipients[0].category, 'recipient');
    assert.match(sep.returned?.receivedSpf ?? '', /fail/);
  });

  it('the returned message is context: its Received-SPF fail is never the rejection', async () => {
    const returned = 'Received-SPF: fail (example.org: domain of alice@example.com does not designate 192.0.2.1 as permitted sender) client-ip=192.0.2.1; helo=mail.example.com;\nAuthentication-Results: example.org; spf=softfail smtp.mailfrom=example.com\nDKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=sel2024; h=from; bh=x; b=y\nFrom: Alice <alice@example.com>\nTo: bob@example.org\nSubject: offer\n\nbuy now';
    for (const returnedType of ['message/rfc822', 'text/rfc822-headers']) {
      const r = await explainBounce(dsn({ notification: 'Your message was refused.', recipients: [rcpt('bob@example.org', 'failed', '5.7.1', '550 5.7.1 Message content rejected, spam detected')], returned, returnedType }));
      assert.equal(r.recipients[0].category, 'spam', returnedType);
      assert.equal(r.recipients[0].side, 'content');
      assert.deepEqual(r.suggestions, [], 'a content rejection suggests no DNS check');
      assert.ok(!r.matches.some((m) => m.category === 'spf'), 'the returned Received-SPF is not read as a rejection');
      assert.match(r.returned?.receivedSpf ?? '', /^fail/);
      assert.deepEqual(r.returned?.dkim, [{ domain: 'example.com', selector: 'sel2024' }]);
    }
  });

  it('a success notice, an auto-reply and an ARF report are said to be what they are, and blame no one', async () => {
    const success = await explainBounce(
      dsn({ notification: 'Your message was delivered.', recipients: [rcpt('bob@example.org', 'delivered', '2.0.0', '250 2.0.0 Ok: queued')], returned: 'Received-SPF: softfail (x) client-ip=192.0.2.1;\nFrom: a@example.com\n\nx' }),
    );
    assert.equal(success.messageKind, 'delivered');
    assert.deepEqual([success.recipients[0].side, success.suggestions.length], ['none', 0]);

    const auto = await explainBounce('From: Bob <bob@example.org>\nTo: alice@example.com\nSubject: Out of office: hello\nAuto-Submitted: auto-replied\n\nI am away until Monday.\n');
    assert.equal(auto.messageKind, 'auto-reply');
    assert.equal(auto.recipients[0].side, 'none');

    const b = 'ARF';
    const arf = await explainBounce(
      `From: abuse@example.net\nTo: abuse@example.com\nSubject: Abuse report\nMIME-Version: 1.0\nContent-Type: multipart/report; report-type=feedback-report; boundary="${b}"\n\n--${b}\nContent-Type: text/plain\n\nThis is an abuse report: Received-SPF fail, user complaint, SPF fail.\n\n--${b}\nContent-Type: message/feedback-report\n\nFeedback-Type: abuse\nUser-Agent: Example/1.0\nVersion: 1\nSource-IP: 192.0.2.1\nReported-Domain: example.com\n\n--${b}\nContent-Type: message/rfc822\n\nFrom: a@example.com\nSubject: x\n\nbody\n--${b}--\n`,
    );
    assert.equal(arf.messageKind, 'feedback-report');
    assert.equal(arf.format, 'arf');
    assert.equal(arf.feedback?.['feedback-type'], 'abuse');
    assert.ok(arf.recipients.every((x) => !x.side.startsWith('sender-')));
    assert.deepEqual(arf.suggestions, []);
  });

  it('notices without a delivery status: a relay notice, auto-replies in several languages; quoted header fields are not the rejection', async () => {
    const relay = await explainBounce('From: postmaster@example.net\nTo: alice@example.com\nSubject: Delivery Status Notification (Relay)\n\nYour message has been successfully relayed to the following recipients, but the requested delivery status notifications may not be generated by the destination.\n\n   bob@example.org\n');
    assert.deepEqual([relay.messageKind, relay.suggestions.length], ['delivered', 0]);
    for (const subject of ['Automatische Antwort: Angebot', '[Auto-Reply] Offer', 'Risposta automatica: offerta', '自動返信: お問い合わせ']) {
      const r = await explainBounce(`From: Bob <bob@example.org>\nTo: alice@example.com\nSubject: ${subject}\n\nThanks, I will answer next week.\n`);
      assert.equal(r.messageKind, 'auto-reply', subject);
      assert.ok(r.recipients.every((x) => !x.side.startsWith('sender-')), subject);
    }
    // The returned message's Received-SPF pasted into the text with no separator line: still context.
    const quoted = await explainBounce(
      'From: Mail Delivery System <MAILER-DAEMON@mx.example.net>\nTo: alice@example.com\nSubject: Undelivered Mail Returned to Sender\n\n<bob@example.org>: host mx.example.org[198.51.100.1] said: 552 5.2.2 <bob@example.org>: Recipient address rejected: Mailbox quota exceeded (in reply to RCPT TO command)\n\nReceived-SPF: fail (example.org: domain of alice@example.com does not designate 192.0.2.1 as permitted sender)\n    client-ip=192.0.2.1\nAuthentication-Results: mx.example.org; spf=fail smtp.mailfrom=example.com; dmarc=fail header.from=example.com\n',
    );
    assert.deepEqual([quoted.recipients[0].category, quoted.recipients[0].side, quoted.suggestions.length], ['mailbox-full', 'recipient', 0]);
  });

  it('reads header blocks and DSN field groups (RFC 5322 folding, RFC 3464 groups)', () => {
    const h = readHeaderBlock('Subject: a\n  folded\nX-A: 1\n\nbody');
    assert.deepEqual(h.headers, [
      { name: 'subject', value: 'a folded' },
      { name: 'x-a', value: '1' },
    ]);
    assert.equal(h.end, 'Subject: a\n  folded\nX-A: 1\n\n'.length);
    const g = readFieldGroups('Reporting-MTA: dns; a\n\nFinal-Recipient: rfc822; b@c.d\nAction: failed\n\nFinal-Recipient: rfc822; e@f.g\nAction: delayed\n');
    assert.deepEqual(g.map((x) => x.map((f) => f.name)), [['reporting-mta'], ['final-recipient', 'action'], ['final-recipient', 'action']]);
  });

  it('CR, CRLF and LF line ends read the same', async () => {
    const lf = dsn({ notification: 'refused', recipients: [rcpt('bob@example.org', 'failed', '5.7.25', '550 5.7.25 [203.0.113.9] no PTR record')] });
    const strip = (r: BounceExplanation) => JSON.stringify({ ...r, length: 0 });
    const a = strip(await explainBounce(lf));
    assert.equal(strip(await explainBounce(lf.replace(/\n/g, '\r\n'))), a);
    assert.equal(strip(await explainBounce(lf.replace(/\n/g, '\r'))), a);
  });

  it('doubling the input roughly doubles the work (readers and patterns are linear)', async () => {
    const unit = 'Final-Recipient: rfc822; bob@example.org\nAction: failed\nStatus: 5.7.1\nDiagnostic-Code: smtp; 550 5.7.1 Client host [203.0.113.9] blocked using bl.example.net; see 5.7.25 reverse DNS missing\n\n';
    const work = async (n: number) => {
      const counter = { comparisons: 0, steps: 0 };
      await explainBounce(dsn({ notification: 'refused', recipients: [unit.repeat(n)] }), { work: counter });
      return counter;
    };
    const one = await work(40);
    const two = await work(80);
    assert.ok(two.steps >= one.steps * 1.6 && two.steps <= one.steps * 2.4, `steps ${one.steps} → ${two.steps}`);
    assert.ok(two.comparisons <= one.comparisons * 2.4 + 100, `comparisons ${one.comparisons} → ${two.comparisons}`);
    // A text bounce (a Sendmail transcript, one block per recipient): each block is judged once.
    const transcript = async (n: number) => {
      const counter = { comparisons: 0, steps: 0 };
      const lines = Array.from({ length: n }, (_, i) => `550 host${i}.example.net (smtp)... 550 Host unknown\n554 5.7.1 <u${i}@example.org>... Client host [203.0.113.${i % 250}] blocked using bl.example.net`);
      const r = await explainBounce(`From: MAILER-DAEMON@mx.example.com\nSubject: Returned mail\n\n${lines.join('\n')}\n`, { work: counter });
      assert.equal(r.recipients.length, n);
      return counter.comparisons;
    };
    const [t1, t2] = [await transcript(30), await transcript(60)];
    assert.ok(t2 >= t1 * 1.6 && t2 <= t1 * 2.4, `transcript comparisons ${t1} → ${t2}`);
    // Recipient lines judged with the exchange above them: one DATA shared by n recipients, and one exchange each.
    const exchanges = async (n: number, shared: boolean) => {
      const counter = { comparisons: 0, steps: 0 };
      const block = (i: number) => `554 5.0.0 <u${i}@example.org>... Remote protocol error: Connection reset by peer during result wait with mx.example.org`;
      const lines = shared
        ? ['While talking to mx.example.org:', '>>> DATA', '<<< 554 5.7.1 Client host [203.0.113.9] blocked using bl.example.net', ...Array.from({ length: n }, (_, i) => block(i))]
        : Array.from({ length: n }, (_, i) => `While talking to mx${i}.example.org:\n>>> RCPT To:<u${i}@example.org>\n<<< 554 5.7.1 Client host [203.0.113.${i % 250}] blocked using bl.example.net\n${block(i)}`);
      const r = await explainBounce(`From: MAILER-DAEMON@mx.example.com\nSubject: Returned mail\n\n${lines.join('\n')}\n`, { work: counter });
      assert.equal(r.recipients.length, n);
      assert.equal(r.recipients[n - 1].category, 'dnsbl');
      return counter.comparisons;
    };
    for (const shared of [true, false]) {
      const [e1, e2] = [await exchanges(30, shared), await exchanges(60, shared)];
      assert.ok(e2 >= e1 * 1.6 && e2 <= e1 * 2.4, `exchange comparisons (${shared ? 'one DATA' : 'one RCPT each'}) ${e1} → ${e2}`);
    }
  });
});

describe('wording families: the ways receivers say one thing', () => {
  const cases: [string, string, Record<string, string>][] = [
    ['554 5.7.1 [C14] Missing reverse DNS for 203.0.113.2', 'rdns', { ip: '203.0.113.2' }],
    ['550 Reverse DNS lookup for host 203.0.113.22 failed permanently', 'rdns', { ip: '203.0.113.22' }],
    ['571 No PTR Record found. Reverse DNS required: 203.0.113.22', 'rdns', { ip: '203.0.113.22' }],
    ['550 5.7.1 Connecting hosts must have a PTR record (198.51.100.8)', 'rdns', { ip: '198.51.100.8' }],
    ['550-Reason: This system will not accept messages from servers/devices with no reverse DNS. IP=[203.0.113.2]', 'rdns', { ip: '203.0.113.2' }],
    ['551 Server access forbidden by invalid RDNS record of your mail server (203.0.113.2).', 'rdns', { ip: '203.0.113.2' }],
    ['550 Bad DNS PTR resource record', 'rdns', {}],
    ['550 5.7.1 IP name lookup failed [192.0.2.222]', 'rdns', { ip: '192.0.2.222' }],
    ['550 5.7.1 Email rejected per DMARC policy for example.org', 'dmarc', { domain: 'example.org' }],
    ["554 5.7.1 Your message was rejected due to example.org's DMARC policy.", 'dmarc', { domain: 'example.org' }],
    ['550 5.7.1 This message was not accepted due to domain (example.org) owner DMARC policy', 'dmarc', { domain: 'example.org' }],
    ["550 5.7.1 Unauthenticated email from example.org is not accepted due to domain's DMARC policy.", 'dmarc', { domain: 'example.org' }],
    ['550 Mail rejected by DMARC of the sender domain', 'dmarc', {}],
    ['550 5.7.1 Bad SPF records for [example.org:192.0.2.2]', 'spf', { domain: 'example.org', ip: '192.0.2.2' }],
    ['554 INVALID IP FOR SENDING MAIL OF DOMAIN example.org', 'spf', { domain: 'example.org' }],
    ['501 5.0.0 Invalid domain name', 'helo', {}],
    ['553 5.1.8 <a@nx.example>... Domain of sender address a@nx.example does not exist', 'sender-domain', { domain: 'nx.example' }],
    ['550 Unroutable sender address', 'sender-domain', {}],
    ['550 5.7.1 Service unavailable, Client host [203.0.113.5] blocked using Spamhaus', 'dnsbl', { ip: '203.0.113.5', zone: 'zen.spamhaus.org' }],
    ['550 Sender blacklisted by recipient', 'recipient-filter', {}],
    ['550 kijitora@example.org is not listed in Domino Directory', 'recipient', {}],
    ['554 5.7.9 Message not accepted for policy reasons. See https://postmaster.yahooinc.com/error-codes', 'policy', {}],
    ['550 5.7.26 This mail is unauthenticated, which poses a security risk', 'auth', {}],
    // The sending IP refused, in the ways receivers word it (an IP is no mailbox: "address 192.0.2.3 blocked").
    ['554 Access from ip address 198.51.100.3 blocked.', 'blocked', { ip: '198.51.100.3' }],
    ['550 Bad sender IP address 198.51.100.3', 'blocked', { ip: '198.51.100.3' }],
    ['553 sorry, your remotehost looks suspiciously like spammer (#5.7.1)', 'blocked', {}],
    ['554 5.7.1 Server access forbidden by your IP 198.51.100.3', 'blocked', { ip: '198.51.100.3' }],
    ['550 5.7.1 Connection refused, IP 198.51.100.3 is blacklisted', 'blocked', { ip: '198.51.100.3' }],
    ['550 5.7.1 Your server IP 198.51.100.3 is blocked by our anti-spam system', 'blocked', { ip: '198.51.100.3' }],
    ['550 Rejecting open proxy 198.51.100.3', 'blocked', { ip: '198.51.100.3' }],
    ['550 5.7.1 Your access to submit messages to this e-mail system has been rejected.', 'blocked', {}],
    ['550 too many spams from your IP', 'reputation', {}],
    ['550 5.7.1 [IRR] Our system has detected an unusual amount of unsolicited mail originating from your IP address 198.51.100.3', 'reputation', { ip: '198.51.100.3' }],
    ['550 5.2.1 Mailbox address bob@example.org has been suspended', 'mailbox-disabled', {}],
    // rDNS, SPF, DMARC, the sender and reputation in more wordings; a value named by another wording of the same cause is used.
    ['550 Please get a custom reverse DNS name from your ISP for your host 198.51.100.3', 'rdns', { ip: '198.51.100.3' }],
    ['550 Sender IP reverse lookup rejected [198.51.100.3]', 'rdns', { ip: '198.51.100.3' }],
    ['550 We do not accept mail from hosts with dynamic IP or generic DNS PTR-records (198.51.100.3)', 'rdns', { ip: '198.51.100.3' }],
    ['550 5.7.1 SPF check: fail, 198.51.100.3 is not allowed to send for example.org', 'spf', { ip: '198.51.100.3', domain: 'example.org' }],
    ['550 5.7.1 [SPF] 198.51.100.3 is not allowed to send mail from example.org.', 'spf', { ip: '198.51.100.3', domain: 'example.org' }],
    ['550 5.7.1 Sender failed SPF check', 'spf', {}],
    ['550 5.7.1 DMARC verification failed for example.org', 'dmarc', { domain: 'example.org' }],
    ['550 5.7.1 Mail rejected by DMARC policy of example.org', 'dmarc', { domain: 'example.org' }],
    ['550 5.7.1 Sender domain must exist: nx.example', 'sender-domain', { domain: 'nx.example' }],
    ['550 5.7.1 Sender verify failed', 'sender', {}],
    ['553 sorry, your envelope sender is in my badmailfrom list (#5.7.1)', 'sender', {}],
    ['554 5.7.1 Your IP has a poor email reputation', 'reputation', {}],
    ['421 4.7.0 [GL01] Message from (198.51.100.3) temporarily deferred', 'reputation', { ip: '198.51.100.3' }],
    // Content, not the sender's server: a listed link, a spam profile.
    ['550 5.7.1 Message rejected: contains a blacklisted URL', 'spam', {}],
    ['554 5.7.1 Rejected: message content is blacklisted', 'spam', {}],
    ['554 5.7.1 The message matches a profile the Internet community may consider spam. Please revise your message before resending.', 'spam', {}],
    ['550 High probability of spam', 'spam', {}],
    // Big receivers' own codes.
    ['554 mx.example.net 198.51.100.3 found on one or more DNSBLs, see http://postmaster.example.net/error-codes#BL000001', 'dnsbl', { ip: '198.51.100.3' }],
    ['554 IP=198.51.100.3 - A problem occurred. (Ask your postmaster for help or to contact postmaster@example.net to clarify.) (BL)', 'dnsbl', { ip: '198.51.100.3' }],
    ['421 4.7.1 : (DYN:T1) http://postmaster.info.aol.com/errors/421dynt1.html', 'blocked', {}],
    ['554 RLY:B1 http://postmaster.info.aol.com/errors/554rlyb1.html', 'blocked', {}],
    ['451 4.7.500 Server busy. Please try again later from [198.51.100.3]. (AS750)', 'rate', { ip: '198.51.100.3' }],
    // Spectrum's documented AUP code ranges decide over the generic words around them.
    ['550 5.1.0 <bounce@example.org> sender rejected. Please see the error codes page. AUP#In-1320', 'rate', {}],
    ['554 5.7.1 Connection refused. AUP#I-1120', 'rdns', {}],
    ['554 5.7.1 Connection refused. AUP#I-1230', 'dnsbl', {}],
    ['550 5.1.0 Message rejected. AUP#O-1500', 'sender', {}],
    // Orange's and La Poste's documented OFR/LPN codes (their last three digits), in any case.
    ['550 5.2.0 Mail rejete. Mail rejected. OFR_506 [506]', 'spam', {}],
    ['550 mwinf5c04 ME Adresse IP source bloquee pour incident de spam. Client host blocked for spamming issues. OFR006_102 [102]', 'dnsbl', {}],
    ['421 mwinf5c79 ME Trop de connexions, veuillez verifier votre configuration. Too many connections, slow down. OFR005_104 [104]', 'rate', {}],
    ['571 5.7.1 Message refused, DMARC verification Failed. LPN007_517', 'dmarc', {}],
    ['550 5.2.0 mail rejete. ofr_506 [506]', 'spam', {}],
    // A connection closed with no reply: a delivery matter, no verdict on the sender.
    ['421 mx.example.net (smtp)... Deferred: Connection reset by peer during greeting wait with mx.example.net', 'network', {}],
    ['lost connection with mx.example.net[198.51.100.25] while receiving the initial server greeting', 'network', {}],
    // A give-up notice that quotes the last error: the error is the cause, the queue lifetime only why retries stopped.
    ["<bob@example.net>:\nUnable to contact LDAP server. (#4.4.3)I'm not going to try again; this message has been in the queue too long.", 'recipient-server', {}],
    ["<bob@example.net>:\nSorry, I wasn't able to establish an SMTP connection. (#4.4.1)\nI'm not going to try again; this message has been in the queue too long.", 'network', {}],
    ["<bob@example.net>:\nI'm not going to try again; this message has been in the queue too long.", 'expired', {}],
    // RFC 3463 X.1.3: the recipient's address is malformed: the recipient's side, not the sending server's.
    ['501 5.1.3 <bob@@example.org>: Recipient address rejected: Bad destination mailbox address syntax', 'recipient', {}],
    // Exchange Online's directory-based edge blocking: the recipient is not in the directory.
    ['550 5.4.1 All recipient addresses rejected : Access denied [AM0EUR01FT001.eop-eur01.prod.protection.outlook.com]', 'recipient', {}],
    ['550 5.4.1 Recipient address rejected: Access denied. AS(201806281)', 'recipient', {}],
    // "Self-sent" mail (the recipient's own address as sender, from outside): the receiver's policy; the SPF/DKIM/DMARC checks below.
    ['550 You cannot send e-mail to yourself (bob@example.org).', 'not-permitted', {}],
    ['554 5.7.1 Rejected: sender address is the same as recipient', 'not-permitted', {}],
  ];
  it('"self-sent" mail: the sender\'s policy, with the checks that let some receivers accept it (SPF, DKIM, DMARC of the sender domain)', () => {
    const r = explainBounceText('<bob@example.org>: host mx.example.org[198.51.100.25] said: 550 You cannot send e-mail to yourself (bob@example.org). Client 203.0.113.9 (in reply to end of DATA command)');
    const first = r.recipients[0];
    assert.equal(first.cause?.id, 'self-sent');
    assert.equal(first.side, 'sender-policy');
    assert.deepEqual(
      first.suggestions.map((s) => s.cli),
      ['maildns spf 203.0.113.9 example.org', 'maildns dkim example.org', 'maildns dmarc example.org'],
    );
    assert.ok(!first.suggestions.some((s) => s.check === 'check' || s.check === 'rdns' || s.check === 'dnsbl'), 'no check of the sending server\'s own DNS or listings');
    assert.match(first.explanation, /SPF/);
  });
  it('a section number after an RFC\'s name is no IP address', () => {
    const r = explainBounceText('550 Access denied - Invalid HELO name (See RFC2821 4.1.1.1)');
    assert.equal(r.recipients[0].category, 'helo');
    assert.equal(r.recipients[0].values.ip, undefined);
    assert.deepEqual(r.extracted.otherIps, []);
  });
  for (const [reply, category, values] of cases) {
    it(`${category}: ${reply}`, () => {
      const r = explainBounceText(reply);
      const first = r.recipients[0];
      assert.equal(first.category, category, first.cause?.id);
      for (const [k, v] of Object.entries(values)) assert.equal(first.values[k as keyof typeof first.values], v, k);
      if (first.cause?.receiver === 'Gmail') assert.match(reply, /gsmtp|google/i, 'a Gmail explanation only for a Gmail reply');
    });
  }
});

describe('maildns explain', () => {
  async function cli(args: string[], input?: string) {
    let out = '';
    const io = { out: (t: string) => (out += t), err: () => undefined, ...(input !== undefined ? { readInput: async () => input } : {}) };
    try {
      return { code: await explainCommand.run(args, io), out, err: '' };
    } catch (e) {
      if (e instanceof UsageError) return { code: 2, out, err: e.message };
      throw e;
    }
  }
  it('runCli hands the caller\'s standard input to the command (it read the real stdin: found by the fuzz suite)', async () => {
    let out = '';
    const code = await runCli(['explain'], { out: (t) => (out += t), err: () => undefined, readInput: async () => read('sendmail-bogus-helo.txt') } as CliIoWithInput);
    assert.equal(code, 0);
    assert.match(out, /BOGUS HELO/);
  });
  it('reads standard input and prints what to run', async () => {
    const r = await cli([], read('sendmail-bogus-helo.txt'));
    assert.equal(r.code, 0);
    assert.match(r.out, /BOGUS HELO/);
    assert.match(r.out, /whose side: the sender's DNS/);
    assert.match(r.out, /Run:\n {2}maildns helo dynatron\.example --ip 203\.0\.113\.244/);
  });
  it('reads a file, prints JSON', async () => {
    const r = await cli([path.join(DIR, 'gmail-5.7.26.txt'), '--json']);
    assert.equal(r.code, 0);
    const j = JSON.parse(r.out);
    assert.equal(j.kind, 'bounce');
    assert.equal(j.recipients[0].cause.id, 'gmail-5.7.26-dmarc');
  });
  it('a file and standard input give the same output', async () => {
    const file = path.join(DIR, 'postfix-rbl.txt');
    assert.equal((await cli([file])).out, (await cli([], read('postfix-rbl.txt'))).out);
  });
  it('a reader that closes the pipe early (| head) ends it quietly, with the command\'s exit code', async () => {
    // 100 recipients with long replies: the JSON (~230 KB) is several times a pipe's buffer, so the writer is still writing when the reader goes.
    const recipients = Array.from({ length: 100 }, (_, i) => rcpt(`u${i}@example.org`, 'failed', '5.1.1', `550 5.1.1 <u${i}@example.org>: Recipient address rejected: User unknown ${'in the local recipient table '.repeat(30)}`));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'maildns-epipe-'));
    const file = path.join(dir, 'bounce.eml');
    fs.writeFileSync(file, dsn({ notification: 'Some recipients failed.', recipients }));
    try {
      const child = spawn(process.execPath, [path.join(REPO_ROOT, 'dist', 'cli.js'), 'explain', '--json', file], { stdio: ['ignore', 'pipe', 'pipe'] });
      let err = '';
      let first = 0;
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.stdout.once('data', (d: Buffer) => {
        first = d.length;
        child.stdout.destroy();
      });
      const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
      assert.ok(first > 0, 'the reader saw the start of the output');
      assert.equal(err, '', 'no EPIPE trace on standard error');
      assert.equal(code, 0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
  it('exits 2 for empty input, unreadable files, and unrecognised text', async () => {
    assert.equal((await cli([], '  \n')).code, 2);
    const missing = await cli(['/nonexistent/bounce.txt']);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /cannot read "\/nonexistent\/bounce\.txt": ENOENT/);
    const nothing = await cli([], 'Dear customer, your parcel is on its way.');
    assert.equal(nothing.code, 2);
    assert.match(nothing.out, /No known rejection text/);
  });
});

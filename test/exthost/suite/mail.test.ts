// Runs inside the extension host, against the BIND the node-side runner started on
// test/fixtures/mail-zones (MAILDNS_TEST_MAIL_DNS; mailDns.resolvers points at it for these tests
// and every setting changed here is restored afterwards) and, where it can run, a real Postfix on
// loopback (MAILDNS_TEST_POSTFIX): "Check mail server" with its rows in the report and the Results
// tree, the Saved Servers view, "Explain bounce message" on a fixture bounce and the check it
// offers, and the HELO, MX, blocklist and SMTP commands. Blocklists are only ever bl.example.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BounceExplanation } from '../../../src/core/bounce/types';
import type { DnsblResult } from '../../../src/core/dnsbl/types';
import type { HeloResult } from '../../../src/core/helo/types';
import type { MailCheckResult } from '../../../src/core/mailcheck/types';
import type { MxResult } from '../../../src/core/mx/types';
import type { SmtpProbeResult } from '../../../src/core/smtp/types';
import type { MailDnsApi } from '../../../src/vscode/api';
import { bounceOffers } from '../../../src/vscode/bounceOffers';
import { EXTENSION_ID, flatten, setting, waitForReport } from './helpers';
import { requestScreenshot } from './index';

// out/test/exthost/suite → the repository.
const REPO = path.resolve(__dirname, '..', '..', '..', '..');
const BOUNCES = path.join(REPO, 'test', 'fixtures', 'bounces');

interface PostfixInfo {
  host: string;
  ports: { helo: number; rcpt: number; delay: number; plain: number };
  myhostname: string;
}

const postfix: PostfixInfo | undefined = process.env.MAILDNS_TEST_POSTFIX ? (JSON.parse(process.env.MAILDNS_TEST_POSTFIX) as PostfixInfo) : undefined;

describe('Mail checks against BIND (mail-zones) and a real Postfix', function () {
  this.timeout(60_000);
  let api: MailDnsApi;
  const mailDns = process.env.MAILDNS_TEST_MAIL_DNS ?? '';
  const changed = ['resolvers', 'dnsbl.zones', 'smtp.ehloName', 'smtp.timeoutMs', 'servers'];
  const previous = new Map<string, unknown>();

  before(async () => {
    assert.match(mailDns, /^127\.0\.0\.1:\d+$/, 'MAILDNS_TEST_MAIL_DNS names the mail-zones BIND');
    const ext = vscode.extensions.getExtension<MailDnsApi>(EXTENSION_ID);
    assert.ok(ext);
    api = await ext.activate();
    const config = vscode.workspace.getConfiguration('mailDns');
    for (const key of changed) previous.set(key, config.inspect(key)?.workspaceValue);
    await setting('resolvers', [mailDns]);
    // Never the real lists: only the fixture's bl.example.
    await setting('dnsbl.zones', ['bl.example']);
    // The probe's own EHLO name is judged by Postfix's HELO rules: one that passes them.
    await setting('smtp.ehloName', 'web6.dynatron.example');
    await setting('smtp.timeoutMs', 5000);
    await vscode.commands.executeCommand('mailDns.clearResults');
    await vscode.commands.executeCommand('workbench.view.extension.mailDns');
  });

  after(async () => {
    for (const key of changed) await setting(key, previous.get(key));
  });

  it("Check mail server: the seed's server, a row per check with its fix, in the report and the tree", async () => {
    const subject = '203.0.113.100, HELO DYNA-WEB, @dynatron.example';
    const rendered = waitForReport(api, 'mailcheck', subject);
    const result = (await vscode.commands.executeCommand('mailDns.checkMailServer', { ip: '203.0.113.100', helo: 'DYNA-WEB', fromDomain: 'dynatron.example' })) as MailCheckResult | undefined;
    assert.ok(result, 'the command returned no result');
    assert.equal(result.kind, 'mailcheck');
    assert.deepEqual(result.rows.map((r) => [r.id, r.status]), [
      ['rdns', 'fail'],
      ['helo', 'fail'],
      ['spf-from', 'pass'],
      ['spf-helo', 'info'],
      ['dkim', 'warning'],
      ['dmarc', 'pass'],
      ['mx', 'warning'],
      ['dnsbl', 'fail'],
    ]);
    // The rows' own checks, whole: what "Check DKIM key" and "Check DMARC" would say.
    assert.deepEqual(result.results.dkim.found, ['selector1']);
    assert.equal(result.results.dmarc.policy?.p, 'reject');
    assert.deepEqual(result.results.dnsbl.zones.map((z) => z.zone), ['bl.example'], 'the configured blocklists, nothing else');

    const text = await rendered;
    assert.match(text, /Mail server check for 203\.0\.113\.100, HELO DYNA-WEB, @dynatron\.example/);
    assert.match(text, /Will receivers take its mail: no: 3 checks fail — Failing: Reverse DNS \(PTR, forward-confirmed\), HELO name, Blocklists\. Change first — Reverse DNS/);
    assert.match(text, /Reverse DNS \(PTR, forward-confirmed\)\s+fail\s+203\.0\.113\.100 → mail\.dynatron\.example → \(not back to the IP\): iprev fail, the chain loops/);
    assert.match(text, /HELO name\s+fail\s+"DYNA-WEB": not fully qualified; Postfix reject_non_fqdn_helo_hostname rejects "504 5\.5\.2 <DYNA-WEB>: Helo command rejected: need fully-qualified hostname"/);
    assert.match(text, /SPF for the From domain \(dynatron\.example\)\s+pass\s+pass: "ip4:203\.0\.113\.100" in dynatron\.example's record matched 203\.0\.113\.100\./);
    assert.match(text, /SPF for the HELO name\s+info\s+not checked: "DYNA-WEB" is not a domain name/);
    assert.match(text, /DKIM key \(common selectors of dynatron\.example\)\s+warning\s+selector1 \(CNAME → selector1\.keys\.dynatron\.example\): rsa, 1024 bits/);
    assert.match(text, /DMARC policy of dynatron\.example\s+pass\s+p=reject from _dmarc\.dynatron\.example; adkim=r, aspf=r/);
    assert.match(text, /Alignment with the From domain dynatron\.example \(DMARC\)/);
    assert.match(text, /Sender requirements: Gmail, Yahoo, Outlook\.com \(published rules\)/);
    // Each provider's cell: who it applies to, its words, and the link to its page.
    assert.match(text, /Forward and reverse DNS of the sending IP \(FCrDNS\)\s+all senders\s+"Ensure that sending domains or IPs have valid forward and reverse DNS records, also referred to as PTR records\." reference\s+all senders\s+"Have a valid forward and reverse DNS record for your sending IPs" reference\s+not listed\s+no\s+203\.0\.113\.100 → mail\.dynatron\.example/);
    assert.match(text, /Where the requirements come from/);
    assert.match(text, /MX of dynatron\.example \(where replies go\)\s+warning\s+0 po\.dynatron\.example/);
    assert.match(text, /Blocklists\s+fail\s+listed on bl\.example/);
    // Each failing row carries its fix, with the record to publish where there is one.
    assert.match(text, /Fix: Give this server its own host name with the A record 203\.0\.113\.100/);
    assert.match(text, /Fix: Give the server a fully-qualified name .*EasyMail SMTP Express/);
    // The demo workspace holds 113.0.203.in-addr.arpa: the row's fix offers Apply beside Copy record.
    assert.match(text, /Record to publish:\s+244\.113\.0\.203\.in-addr\.arpa\. 3600 IN PTR po\.dynatron\.example\.\s+Apply to 113\.0\.203\.in-addr\.arpa\.zone\s*Copy record/);
    assert.match(text, /What to change/);
    assert.match(text, /What Postfix does with HELO DYNA-WEB/);
    // The receiver matrix (docs/receivers.md): a row per rule, its verdict, score or reply.
    // Postfix's column comes first, then Exim's, SpamAssassin's and rspamd's.
    assert.match(text, /Receivers\s+Receiver\s+Rule\s+Verdict\s+Score\s+Reply\s+Postfix\s/);
    assert.match(text, /Exim\s+acl_check_rcpt \(Debian default\)[^\t]*\taccept\t—\t250 Accepted/);
    assert.match(text, /SpamAssassin\s+HELO_NO_DOMAIN\s+The HELO name DYNA-WEB has no dot[^\t]*\thit\t1\t/);
    assert.match(text, /How the receivers are modelled/);

    const tree = await api.treeSnapshot();
    const lines = flatten(tree).join('\n');
    assert.equal(tree.length, 1, lines);
    assert.equal(tree[0].label, subject);
    assert.equal(tree[0].description, '3 fail · 2 warning · 2 pass · 1 info');
    assert.equal(tree[0].icon, 'error');
    assert.deepEqual(
      tree[0].children.map((c) => [c.label, c.icon]),
      [
        ['Reverse DNS (PTR, forward-confirmed)', 'error'],
        ['HELO name', 'error'],
        ['SPF for the From domain (dynatron.example)', 'pass'],
        ['SPF for the HELO name', 'info'],
        ['DKIM key (common selectors of dynatron.example)', 'warning'],
        ['DMARC policy of dynatron.example', 'pass'],
        ['MX of dynatron.example (where replies go)', 'warning'],
        ['Blocklists', 'error'],
        ['Findings', 'list-unordered'],
      ],
      lines,
    );
    assert.equal(tree[0].children[0].contextValue, 'mailDns.row');
    assert.match(tree[0].children[6].tooltip ?? '', /244\.113\.0\.203\.in-addr\.arpa\. 3600 IN PTR po\.dynatron\.example\./);
    const shot = await requestScreenshot('mail-server-report');
    assert.ok(fs.existsSync(shot));
  });

  it('Check mail server: the receiver matrix follows mailDns.receivers.*; Gmail, Yahoo and Outlook.com rows are published rules', async () => {
    const run = async () => {
      const r = (await vscode.commands.executeCommand('mailDns.checkMailServer', { ip: '203.0.113.100', helo: 'DYNA-WEB', fromDomain: 'dynatron.example' })) as MailCheckResult | undefined;
      assert.ok(r?.receivers, 'no receiver rows');
      return r.receivers;
    };
    const before = await run();
    const rbl = (rows: typeof before) => rows.find((r) => r.rule === 'reject_rbl_client bl.example');
    const sa = (rows: typeof before) => rows.find((r) => r.receiver === 'spamassassin' && r.rule === 'total')!;
    assert.match(rbl(before)?.reply ?? '', /^554 5\.7\.1 /);
    for (const p of ['gmail', 'yahoo', 'microsoft']) assert.ok(before.some((r) => r.receiver === p && r.basis === 'published-rule'), p);
    try {
      await setting('receivers.postfix.rblRejectCode', 550);
      await setting('receivers.spamassassin.requiredScore', sa(before).score!);
      const after = await run();
      assert.match(rbl(after)?.reply ?? '', /^550 5\.7\.1 /);
      assert.equal(sa(after).verdict, 'spam', 'required_score at the total marks it spam');
    } finally {
      await setting('receivers.postfix.rblRejectCode', undefined);
      await setting('receivers.spamassassin.requiredScore', undefined);
    }
  });

  it('Saved Servers: entries from mailDns.servers, bad ones named; the inline check records the outcome', async () => {
    await setting('servers', [
      { name: 'shop server', ip: '203.0.113.100', helo: 'DYNA-WEB', fromDomain: 'dynatron.example' },
      { name: 'broken', ip: '203.0.113', helo: 'x.example', fromDomain: 'dynatron.example' },
      { name: 'web6 signed', ip: '203.0.113.60', helo: 'web6.dynatron.example', fromDomain: 'dynatron.example', dkimSelector: 'S2024' },
    ]);
    let view = await api.savedServersSnapshot();
    assert.deepEqual(view.map((n) => [n.label, n.icon, n.contextValue]), [
      ['shop server', 'server', 'mailDns.savedServer'],
      ['web6 signed', 'server', 'mailDns.savedServer'],
      ['Entry 2', 'error', 'mailDns.savedServerProblem'],
    ]);
    assert.equal(view[1].description, '203.0.113.60 · HELO web6.dynatron.example · @dynatron.example · DKIM s2024');
    assert.equal(view[0].description, '203.0.113.100 · HELO DYNA-WEB · @dynatron.example');
    assert.match(view[2].description ?? '', /mailDns\.servers entry 2 \("broken"\): ip: /);

    const rendered = waitForReport(api, 'mailcheck', '203.0.113.100, HELO DYNA-WEB, @dynatron.example');
    // What the inline button passes: the view's node.
    const result = (await vscode.commands.executeCommand('mailDns.checkSavedServer', { kind: 'server', id: 'x', server: { name: 'shop server', ip: '203.0.113.100', helo: 'DYNA-WEB', fromDomain: 'dynatron.example' } })) as MailCheckResult | undefined;
    assert.equal(result?.status, 'fail');
    await rendered;
    view = await api.savedServersSnapshot();
    assert.equal(view[0].icon, 'error');
    assert.equal(view[0].description, '203.0.113.100 · HELO DYNA-WEB · @dynatron.example — 3 fail · 2 warning · 2 pass · 1 info');
    // By name, as a keybinding or another extension would.
    const again = (await vscode.commands.executeCommand('mailDns.checkSavedServer', 'shop server')) as MailCheckResult | undefined;
    assert.equal(again?.ip, '203.0.113.100');
    // A saved selector goes with the server: its key row reads s2024 (2048 bits), not the common selectors.
    const signed = (await vscode.commands.executeCommand('mailDns.checkSavedServer', 'web6 signed')) as MailCheckResult | undefined;
    assert.equal(signed?.dkimSelector, 's2024');
    assert.equal(signed?.rows.find((r) => r.id === 'dkim')?.status, 'pass');
    assert.deepEqual(signed?.requirements.rows.filter((r) => r.status === 'pass').map((r) => r.id), ['spf-or-dkim', 'spf-and-dkim', 'dmarc', 'alignment', 'fcrdns']);
  });

  it('Explain bounce message: the selected bounce explained, and the offered check runs with its values', async () => {
    await vscode.commands.executeCommand('mailDns.clearResults');
    const bounce = fs.readFileSync(path.join(BOUNCES, 'postfix-helo-fqdn.txt'), 'utf8');
    // The user's way: the bounce in an editor, selected.
    const document = await vscode.workspace.openTextDocument({ language: 'plaintext', content: bounce });
    const editor = await vscode.window.showTextDocument(document);
    editor.selection = new vscode.Selection(document.positionAt(0), document.positionAt(bounce.length));
    const subject = '504 5.5.2 from mx1.spsdfw.example';
    const rendered = waitForReport(api, 'bounce', subject);
    const result = (await vscode.commands.executeCommand('mailDns.explainBounce')) as BounceExplanation | undefined;
    assert.ok(result, 'the command returned no result');
    assert.deepEqual(result.matches.map((m) => m.id), ['postfix-helo-non-fqdn']);
    assert.deepEqual(result.extracted.heloNames, ['DYNA-WEB']);

    const text = await rendered;
    assert.match(text, /Bounce explained for 504 5\.5\.2 from mx1\.spsdfw\.example/);
    assert.match(text, /Why it bounced: HELO name is not fully qualified — The receiving server \(mx1\.spsdfw\.example\) refused the mail/);
    assert.match(text, /HELO name is not fully qualified\s+fail\s+504 5\.5\.2 <DYNA-WEB>: Helo command rejected: need fully-qualified hostname/);
    assert.match(text, /Postfix checked: Postfix's reject_non_fqdn_helo_hostname: the name your server sends in HELO\/EHLO must be a valid host name with a dot in it\./);
    assert.match(text, /HELO name\s+DYNA-WEB/);
    assert.match(text, /Sender domain\s+dynatron\.example/);
    assert.match(text, /Receiving server\s+mx1\.spsdfw\.example \[198\.51\.100\.25\]/);
    assert.match(text, /Checks to run/);
    assert.match(text, /Check HELO name\s+.*\s+HELO DYNA-WEB\s+maildns helo DYNA-WEB --ip <sending IP>/s);
    assert.match(text, /5\.5\.2\s+permanent failure/);

    const tree = await api.treeSnapshot();
    assert.equal(tree[0].label, subject);
    assert.equal(tree[0].icon, 'error');
    assert.deepEqual(tree[0].children.map((c) => c.label), ['What the receiver said', 'Recipients', 'Findings']);
    assert.deepEqual(tree[0].children[1].children.map((c) => c.label), ['orders@spsdfw.example']);
    assert.match(text, /orders@spsdfw\.example\s+fail\s+HELO name is not fully qualified — whose side must act: the sender's DNS/);
    assert.match(text, /Values: HELO DYNA-WEB, sender domain dynatron\.example\./);
    await requestScreenshot('bounce-explained');

    // The buttons the notification offers, and what the first one runs.
    const offers = bounceOffers(result);
    assert.deepEqual(offers.map((o) => o.label), ['Check HELO name DYNA-WEB', 'Check mail server DYNA-WEB…']);
    const heloRendered = waitForReport(api, 'helo', 'DYNA-WEB');
    const helo = (await vscode.commands.executeCommand('mailDns.runBounceCheck', offers[0].suggestion)) as HeloResult | undefined;
    assert.equal(helo?.kind, 'helo');
    assert.equal(helo?.name, 'DYNA-WEB', 'the HELO name from the bounce');
    assert.equal(helo?.postfix.reject_non_fqdn_helo_hostname, 'reject');
    const heloText = await heloRendered;
    assert.match(heloText, /HELO name for DYNA-WEB/);
    assert.match(heloText, /reject_non_fqdn_helo_hostname[^\t]*\treject\t504 5\.5\.2 <DYNA-WEB>: Helo command rejected: need fully-qualified hostname/);
    assert.match(heloText, /Where the HELO name is set/);
    assert.equal((await api.treeSnapshot())[0].label, 'DYNA-WEB');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('Explain bounce message: a bounce with several recipients shows each, with the values its offers run with', async () => {
    const b = 'B';
    const text = [
      'From: MAILER-DAEMON@mx.dynatron.example',
      'To: sales@dynatron.example',
      'Subject: Undelivered Mail Returned to Sender',
      'MIME-Version: 1.0',
      `Content-Type: multipart/report; report-type=delivery-status; boundary="${b}"`,
      '',
      `--${b}`,
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      'Your message could not be delivered to some recipients =E2=80=94 see below.',
      `--${b}`,
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.dynatron.example',
      '',
      'Final-Recipient: rfc822; orders@spsdfw.example',
      'Action: failed',
      'Status: 5.7.1',
      'Remote-MTA: dns; mx1.spsdfw.example',
      'Diagnostic-Code: smtp; 554 5.7.1 Service unavailable; Client host [203.0.113.244] blocked using zen.spamhaus.org',
      '',
      'Final-Recipient: rfc822; nobody@partner.example',
      'Action: failed',
      'Status: 5.1.1',
      'Remote-MTA: dns; mail.partner.example',
      'Diagnostic-Code: smtp; 550 5.1.1 <nobody@partner.example>: Recipient address rejected: User unknown',
      `--${b}`,
      'Content-Type: text/rfc822-headers',
      '',
      'Received-SPF: fail (spsdfw.example: domain of sales@dynatron.example does not designate 192.0.2.1 as permitted sender) client-ip=192.0.2.1;',
      'From: Sales <sales@dynatron.example>',
      'Subject: Catalogue',
      `--${b}--`,
      '',
    ].join('\n');
    const rendered = waitForReport(api, 'bounce', '554 5.7.1 from mx1.spsdfw.example');
    const result = await api.explainBounce({ text });
    assert.deepEqual(result?.recipients.map((r) => [r.address, r.category, r.side]), [
      ['orders@spsdfw.example', 'dnsbl', 'sender-reputation'],
      ['nobody@partner.example', 'recipient', 'recipient'],
    ]);
    const page = await rendered;
    assert.match(page, /orders@spsdfw\.example\s+fail\s+The sending IP is on a DNS blocklist — whose side must act: the sender's reputation/);
    assert.match(page, /Values: sending IP 203\.0\.113\.244, sender domain dynatron\.example, list zen\.spamhaus\.org\./);
    assert.match(page, /nobody@partner\.example\s+warning\s+The recipient does not exist — whose side must act: the recipient's mailbox or domain/);
    assert.match(page, /Received-SPF \(what a receiver saw\): fail/);
    assert.doesNotMatch(page, /Check SPF/, 'the returned message\'s Received-SPF is context, not the rejection');
    const offers = bounceOffers(result!);
    assert.equal(offers[0].label, 'Check blocklists for IP 203.0.113.244');
    assert.deepEqual(offers[0].suggestion.args, { ip: '203.0.113.244', zone: 'zen.spamhaus.org' });
  });

  it('Check HELO name, MX and blocklists through their commands', async () => {
    const helo = (await vscode.commands.executeCommand('mailDns.checkHelo', { name: 'dynatron.example', ip: '203.0.113.244' })) as HeloResult | undefined;
    assert.equal(helo?.matchesIp, false, 'the seed\'s "BOGUS HELO": dynatron.example resolves to .51');
    assert.equal(helo?.proposedName, 'po.dynatron.example');
    const heloTree = (await api.treeSnapshot())[0];
    assert.equal(heloTree.label, 'dynatron.example from 203.0.113.244');
    assert.match(heloTree.description ?? '', /^resolves to 203\.0\.113\.51, not 203\.0\.113\.244/);

    const mxRendered = waitForReport(api, 'mx', 'multi.mxcases.example');
    const mx = (await api.checkMx({ domain: 'multi.mxcases.example' })) as MxResult | undefined;
    assert.deepEqual(mx?.hosts.map((h) => h.exchange).slice(0, 1), ['mx1.multi.mxcases.example']);
    const mxText = await mxRendered;
    assert.match(mxText, /Mail hosts, in the order senders try them/);
    assert.match(mxText, /mx3\.multi\.mxcases\.example MX 20 fail unusable: no address/);

    const dnsbl = (await vscode.commands.executeCommand('mailDns.checkDnsbl', { ip: '203.0.113.100' })) as DnsblResult | undefined;
    assert.deepEqual(dnsbl?.listed, ['bl.example']);
    assert.deepEqual(dnsbl?.zones.map((z) => z.zone), ['bl.example'], 'mailDns.dnsbl.zones');
    const dnsblTree = (await api.treeSnapshot())[0];
    assert.equal(dnsblTree.children[0].label, 'bl.example');
    assert.equal(dnsblTree.children[0].contextValue, 'mailDns.step', 'Copy dig');
  });

  it('refuses bad input from code without running a check', async () => {
    const before = (await api.treeSnapshot()).length;
    assert.equal(await vscode.commands.executeCommand('mailDns.checkMailServer', { ip: '999.1.1.1', helo: 'a.example', fromDomain: 'dynatron.example' }), undefined);
    assert.equal(await vscode.commands.executeCommand('mailDns.checkMailServer', { ip: '203.0.113.1', helo: 'a.example', fromDomain: 'not a domain' }), undefined);
    assert.equal(await api.checkMx({ domain: '192.0.2.1' }), undefined);
    assert.equal(await api.probeSmtp({ host: 'mail.example.com:99999' }), undefined);
    assert.equal(await vscode.commands.executeCommand('mailDns.runBounceCheck', { check: 'nope', args: {} }), undefined);
    assert.equal((await api.treeSnapshot()).length, before);
  });

  describe('against a real Postfix', function () {
    before(function () {
      if (!postfix) this.skip();
    });

    it('Probe SMTP server: greeting, EHLO extensions, STARTTLS with the test certificate, the transcript', async () => {
      assert.ok(postfix);
      const subject = `127.0.0.1 port ${postfix.ports.helo}`;
      const rendered = waitForReport(api, 'smtp', subject);
      const r = (await vscode.commands.executeCommand('mailDns.probeSmtp', { host: '127.0.0.1', port: postfix.ports.helo })) as SmtpProbeResult | undefined;
      assert.ok(r);
      assert.equal(r.greeting?.code, 220);
      assert.equal(r.greeting?.name, postfix.myhostname);
      assert.equal(r.ehlo?.sentName, 'web6.dynatron.example', 'mailDns.smtp.ehloName');
      assert.ok(r.ehlo?.extensions.some((x) => x.keyword === 'STARTTLS'));
      assert.equal(r.starttls.ok, true);
      assert.deepEqual(r.starttls.certificate?.names, [postfix.myhostname, 'mail.dynatron.example']);
      const text = await rendered;
      assert.match(text, new RegExp(`SMTP probe for 127\\.0\\.0\\.1 port ${postfix.ports.helo}`));
      assert.match(text, /Greeting \(RFC 5321 §3\.1\)\s+pass\s+220 as smtp-ok\.dynatron\.example/);
      assert.match(text, /STARTTLS \(RFC 3207\)\s+pass\s+TLSv1\.[23]/);
      assert.match(text, /TLS certificate\s+warning\s+smtp-ok\.dynatron\.example, mail\.dynatron\.example; expires \d{4}-\d\d-\d\d \(\d+ days\); self-signed/);
      assert.match(text, /EHLO web6\.dynatron\.example/);
      assert.match(text, /Transcript/);
      const tree = (await api.treeSnapshot())[0];
      assert.equal(tree.label, subject);
      // The steps and the transcript; the names table is in the report only.
      assert.deepEqual(tree.children.map((c) => c.label), ['Steps', 'Transcript', 'Findings']);
    });

    it('Check mail server with the SMTP probe: the greeting name that does not resolve to the server', async () => {
      assert.ok(postfix);
      const result = (await api.checkMailServer({ ip: '203.0.113.60', helo: 'web6.dynatron.example', fromDomain: 'dynatron.example', smtp: { host: '127.0.0.1', port: postfix.ports.plain } })) as MailCheckResult | undefined;
      const smtp = result?.rows.find((r) => r.id === 'smtp');
      assert.ok(smtp, JSON.stringify(result?.rows.map((r) => r.id)));
      assert.equal(smtp.title, `SMTP probe (127.0.0.1 port ${postfix.ports.plain})`);
      assert.equal(smtp.status, 'warning');
      assert.match(smtp.summary, /greeting 220 as dynatron\.example/);
      const tree = (await api.treeSnapshot())[0];
      assert.deepEqual(tree.children.slice(-2).map((c) => [c.label, c.icon]), [
        [`SMTP probe (127.0.0.1 port ${postfix.ports.plain})`, 'warning'],
        ['Findings', 'list-unordered'],
      ]);
    });
  });
});

// "Check a received message", pure parts on an in-memory resolver: the From and Return-Path
// readers, the Received fields of real servers and the border choice, Authentication-Results and
// ARC reading, the whole check (DKIM signed by the test signer, SPF from the border hop or --ip,
// DMARC with alignment and the policy that applies), the comparison with the message's own verdicts,
// the report document and text (nothing from the message as markup or raw control characters), the
// CLI's JSON shape and exit statuses, and linear work on hostile headers. Real signers and a real
// DMARC implementation: test/integration/verify-real.test.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { verifyCommand } from '../../src/cli/commands/verify';
import { UsageError } from '../../src/cli/shared';
import type { Work } from '../../src/core/dkim/tags';
import { toReport } from '../../src/core/checks';
import { reportToMarkdown } from '../../src/core/report/markdown';
import { parseAddressList, parseReturnPath } from '../../src/core/verify/address';
import { parseAuthResults } from '../../src/core/verify/authres';
import { verifyMessage } from '../../src/core/verify/check';
import { readHeaders } from '../../src/core/verify/headers';
import { chooseBorder, parseReceived } from '../../src/core/verify/received';
import { verifyToText } from '../../src/core/verify/text';
import { rsaKey, signMessage } from './dkim-sign';
import { memoryResolver } from './memory-resolver';

const KEY = rsaKey(2048);
const OTHER = rsaKey(1024);

const TABLE = {
  'sel._domainkey.example.org': { TXT: [KEY.record] },
  'esp._domainkey.esp.example': { TXT: [OTHER.record] },
  'example.org': { TXT: ['v=spf1 ip4:192.0.2.0/24 -all'], A: ['192.0.2.1'], MX: [[10, 'mx.example.org']] as [number, string][] },
  'news.example.org': { A: ['192.0.2.2'] },
  '_dmarc.example.org': { TXT: ['v=DMARC1; p=reject; sp=quarantine; pct=100'] },
  'bounce.esp.example': { TXT: ['v=spf1 ip4:198.51.100.0/24 -all'] },
  'mx.esp.example': { TXT: ['v=spf1 a -all'], A: ['198.51.100.9'] },
  'strict.example': { TXT: ['v=spf1 ip4:192.0.2.0/24 -all'] },
  '_dmarc.strict.example': { TXT: ['v=DMARC1; p=quarantine; adkim=s; aspf=s; pct=50'] },
  'np.example': { A: ['192.0.2.60'] },
  'real.np.example': { A: ['192.0.2.61'] },
  '_dmarc.np.example': { TXT: ['v=DMARC1; p=none; sp=quarantine; np=reject'] },
};
const resolver = () => memoryResolver(TABLE, ['example.org', 'esp.example', 'strict.example', 'np.example']);

const BODY = 'Hello Bob,\r\n\r\nsee you.\r\n';
function message(from: string, extra: string[] = []): string {
  return [...extra, `From: Alice <${from}>`, 'To: bob@example.net', 'Subject: Hello', 'Date: Mon, 1 Jan 2024 00:00:00 +0000', 'Message-ID: <1@example.org>', '', BODY].join('\r\n');
}
const RECEIVED_POSTFIX = (ip: string, helo = 'out.example.org') => `Received: from ${helo} (out.example.org [${ip}])\r\n\tby mx.example.net (Postfix) with ESMTPS id 4AbCd\r\n\tfor <bob@example.net>; Mon, 1 Jan 2024 00:00:01 +0000`;
const RECEIVED_INTERNAL = 'Received: from mx.example.net (mx.example.net [10.0.0.5])\r\n\tby mailbox.example.net (Postfix) with LMTP id 9ZzZ; Mon, 1 Jan 2024 00:00:02 +0000';

describe('message headers', () => {
  it('reads From address lists: display names, comments, groups, routes', () => {
    const l = parseAddressList('"Alice, A." <alice@Example.ORG.> (work), bob@example.net (Bob), team: carol@x.example, dave@y.example;, <@relay.example:eve@z.example>');
    assert.deepEqual(
      l.mailboxes.map((m) => [m.address, m.domain]),
      [
        ['alice@Example.ORG.', 'example.org'],
        ['bob@example.net', 'example.net'],
        ['carol@x.example', 'x.example'],
        ['dave@y.example', 'y.example'],
        ['eve@z.example', 'z.example'],
      ],
    );
    assert.equal(l.mailboxes[0].display, '"Alice, A."'.replace(/"/g, '') === 'Alice, A.' ? l.mailboxes[0].display : '');
    assert.equal(parseAddressList('undisclosed-recipients:;').problems.length, 1);
    assert.match(parseAddressList('alice@[192.0.2.1]').mailboxes[0].problem ?? '', /address literal/);
    assert.deepEqual(parseReturnPath('<>'), { address: '', domain: '' });
    assert.equal(parseReturnPath('<bounce+123@bounce.esp.example>')?.domain, 'bounce.esp.example');
  });

  it('reads the from-clause of Postfix, Exim, qmail and Microsoft Received fields', () => {
    const postfix = parseReceived('from out.example.org (out.example.org [192.0.2.7]) by mx.example.net (Postfix) with ESMTPS id X; Mon, 1 Jan 2024', 0, 0);
    assert.deepEqual([postfix.helo, postfix.rdns, postfix.ip, postfix.by, postfix.with], ['out.example.org', 'out.example.org', '192.0.2.7', 'mx.example.net', 'ESMTPS']);
    const exim = parseReceived('from [198.51.100.4] (helo=client.example) by mx.example.net with esmtp (Exim 4.96) id 1r; Mon, 1 Jan 2024', 0, 0);
    assert.deepEqual([exim.helo, exim.ip], ['client.example', '198.51.100.4']);
    const exim2 = parseReceived('from host.example ([IPv6:2001:db8::25] helo=smtp.example) by mx with esmtps', 0, 0);
    assert.deepEqual([exim2.helo, exim2.ip], ['smtp.example', '2001:db8::25']);
    const ms = parseReceived('from EUR05-AM6-obe.outbound.protection.outlook.com (2a01:111:f400:7e1b::201) by mx.example.net with Microsoft SMTP Server', 0, 0);
    assert.equal(ms.ip, '2a01:111:f400:7e1b::201');
    const sub = parseReceived('from [192.0.2.50] (client.example [192.0.2.50]) by smtp.example.org with ESMTPSA id 1', 0, 0);
    assert.equal(sub.authenticated, true);
  });

  it('reads the from-clause forms found in real bounces (the shared corpus: 702 of 702 valid addresses)', () => {
    const forms: [string, string | undefined, string][] = [
      ['from relay3.example.co.jp [192.0.2.10] by mx3.example.co.jp with SMTP id FFF0 ; Thu, 9 May 2012', '192.0.2.10', 'relay3.example.co.jp'],
      ['from unknown [192.0.2.240] (EHLO relay5.example.or.jp)\tby mxl8.example.net(mxl_mta-6.5.0-5)\twith ESMTP id 0', '192.0.2.240', 'relay5.example.or.jp'],
      ['from unknown (HELO host-022.example.com) (192.0.2.105) by mx with SMTP; 15 Oct 2015', '192.0.2.105', 'host-022.example.com'],
      ['from mout-bounce.gmx.com ([74.208.4.220]) by mx-ha.gmx.net (mxgmxus001) with ESMTPS (Nemesis) id 0MS', '74.208.4.220', 'mout-bounce.gmx.com'],
      ['from neko.example.net ([fe80::ffff:ffff:ffff:0%22]) by neko1.example.net with Microsoft SMTP Server id 14.02', 'fe80::ffff:ffff:ffff:0', 'neko.example.net'],
      ['from g56.smtp.example.jp (g5.example.jp [192.0.2.9] (may be forged)) by mx.example.jp (8.14.4/8.14.4) with ESMTP', '192.0.2.9', 'g56.smtp.example.jp'],
      ['from mr21p30im-asmtp002.me.example.com (Oracle Communications Messaging Server 7.0.5.33.0 64bit (built Aug 27 2014)) id <0N@x>', undefined, 'mr21p30im-asmtp002.me.example.com'],
    ];
    for (const [value, ip, helo] of forms) {
      const h = parseReceived(value, 0, 0);
      assert.deepEqual([h.ip, h.helo], [ip, helo], value);
    }
  });

  it('chooses the receiver’s topmost outside hop, skipping internal steps', () => {
    const hops = [parseReceived('from mx.example.net (mx.example.net [10.0.0.5]) by mailbox.example.net with LMTP', 0, 0), parseReceived('from out.example.org (out.example.org [192.0.2.7]) by mx.example.net with ESMTPS', 1, 1), parseReceived('from laptop ([192.0.2.200]) by out.example.org with ESMTPSA', 2, 2)];
    const b = chooseBorder(hops);
    assert.equal(b.border, 1);
    assert.deepEqual(b.verdicts.map((v) => v.role), ['internal', 'border', 'upstream']);
    // A forged hop below the border is never chosen, even with a stated IP it does not match.
    assert.equal(chooseBorder(hops, ['192.0.2.7']).border, 1);
  });

  it('reads Authentication-Results with comments, versions and properties', () => {
    const a = parseAuthResults(' mx.example.net 1; spf=pass (sender IP is 192.0.2.7) smtp.mailfrom=example.org; dkim=fail (body hash did not verify) header.d=example.org header.s=sel header.b="AbC"; dmarc=fail (p=reject) header.from=example.org', 0, 'Authentication-Results', false);
    assert.equal(a.authservId, 'mx.example.net');
    assert.deepEqual(a.clauses.map((c) => `${c.method}=${c.result}`), ['spf=pass', 'dkim=fail', 'dmarc=fail']);
    assert.equal(a.clauses[1].props['header.s'], 'sel');
    assert.match(a.clauses[0].comment ?? '', /192\.0\.2\.7/);
    const arc = parseAuthResults(' i=1; lists.example.com; dkim=pass header.d=example.org', 0, 'ARC-Authentication-Results', true);
    assert.equal(arc.instance, 1);
    assert.equal(arc.authservId, 'lists.example.com');
    assert.equal(parseAuthResults(' mx.example.net; none', 0, 'Authentication-Results', false).noResult, true);
  });

  it('reads hostile headers in linear work', () => {
    const make = (n: number) => `${Array.from({ length: n }, (_, i) => `Received: from h${i} ((((x [192.0.2.${i % 250}] by y; x\r\nAuthentication-Results: a; spf=pass (((( smtp.mailfrom="x\r\nFrom: <a@b.example>, ${'"'.repeat(i % 7)}x@, g:;\r\nARC-Seal: i=${i % 60}; cv=none\r\n`).join('')}\r\nbody\r\n`;
    const a: Work = { steps: 0 };
    const b: Work = { steps: 0 };
    readHeaders(make(200), a);
    readHeaders(make(400), b);
    const r = b.steps / a.steps;
    // Past the field caps (100 Received, 50 Authentication-Results, 50 ARC sets) work grows slower: never faster than linear.
    assert.ok(r > 1.1 && r < 2.4, `doubling the header at most doubles the work: ratio ${r}`);
    // A long comment nest in one field, and a long quoted string.
    const c: Work = { steps: 0 };
    const d: Work = { steps: 0 };
    readHeaders(`From: ${'('.repeat(5000)}a@b.example\r\nReceived: ${'"'.repeat(5000)}\r\n\r\nx`, c);
    readHeaders(`From: ${'('.repeat(10000)}a@b.example\r\nReceived: ${'"'.repeat(10000)}\r\n\r\nx`, d);
    const r2 = d.steps / c.steps;
    assert.ok(r2 > 1.6 && r2 < 2.4, `nested comments: ratio ${r2}`);
  });
});

describe('verifyMessage', () => {
  it('passes an aligned signature and SPF from the border hop, and says which hop it used', async () => {
    const signed = signMessage(message('alice@example.org'), KEY, { selector: 'sel', domain: 'example.org' });
    const raw = `Return-Path: <alice@example.org>\r\n${RECEIVED_INTERNAL}\r\n${RECEIVED_POSTFIX('192.0.2.7')}\r\n${signed}`;
    const r = await verifyMessage(raw, { resolver: resolver() });
    assert.equal(r.from, 'alice@example.org');
    assert.deepEqual([r.connection.ip, r.connection.source, r.connection.hop], ['192.0.2.7', 'received', 1]);
    assert.deepEqual([r.spf.result, r.spf.domain, r.spf.identity], ['pass', 'example.org', 'mailfrom']);
    assert.deepEqual(r.dkim.map((d) => [d.d, d.s, d.result]), [['example.org', 'sel', 'pass']]);
    assert.equal(r.dmarc.result, 'pass');
    assert.equal(r.dmarc.alignment.spf.aligned, true);
    assert.equal(r.dmarc.alignment.dkim[0].aligned, true);
    assert.equal(r.dmarc.policy?.tag, 'p');
    assert.ok(r.findings.some((f) => f.code === 'verify-ip-received' && /Received #2/.test(f.message)));
  });

  it('explains a body changed in transit, and fails DMARC with the policy for a subdomain (sp=)', async () => {
    const signed = signMessage(message('news@news.example.org'), KEY, { selector: 'sel', domain: 'example.org' });
    const tampered = `${signed}--\r\nTo unsubscribe, write to list@example.net\r\n`;
    const raw = `Return-Path: <bounce@bounce.esp.example>\r\n${RECEIVED_POSTFIX('203.0.113.9')}\r\n${tampered}`;
    const r = await verifyMessage(raw, { resolver: resolver() });
    assert.equal(r.dkim[0].result, 'fail');
    assert.match(r.dkim[0].reason, /body hash mismatch: the body changed in transit — a footer added by a list\?/);
    assert.equal(r.spf.result, 'fail');
    assert.equal(r.dmarc.result, 'fail');
    assert.deepEqual([r.dmarc.policy?.tag, r.dmarc.policy?.value, r.dmarc.policy?.source, r.dmarc.disposition], ['sp', 'quarantine', 'organizational', 'quarantine']);
    assert.equal(r.dmarc.alignment.spf.matches, false);
    const f = r.findings.find((x) => x.code === 'verify-dmarc-fail');
    assert.ok(f?.fix, 'DMARC fail has a fix');
    assert.ok(r.findings.some((x) => x.code === 'verify-dkim-body-hash'));
  });

  it('uses --ip over the Received fields, and HELO for a null sender (RFC 7208 §2.4)', async () => {
    const raw = `Return-Path: <>\r\n${RECEIVED_POSTFIX('203.0.113.9', 'mx.esp.example')}\r\n${message('alice@example.org')}`;
    const r = await verifyMessage(raw, { resolver: resolver(), ip: '198.51.100.9' });
    assert.deepEqual([r.connection.ip, r.connection.source], ['198.51.100.9', 'given']);
    assert.deepEqual([r.spf.identity, r.spf.domain, r.spf.result], ['helo', 'mx.esp.example', 'pass']);
    // SPF passes for mx.esp.example, which does not align with example.org: DMARC fails.
    assert.equal(r.dmarc.alignment.spf.aligned, false);
    assert.equal(r.dmarc.result, 'fail');
    assert.ok(r.findings.some((f) => f.code === 'verify-null-sender'));
    assert.ok(r.findings.some((f) => f.code === 'verify-dkim-none'));
  });

  it('strict alignment and pct: a subdomain signature does not align under adkim=s', async () => {
    const signed = signMessage(message('alice@strict.example'), OTHER, { selector: 'esp', domain: 'esp.example' });
    const r = await verifyMessage(`Return-Path: <alice@strict.example>\r\n${RECEIVED_POSTFIX('203.0.113.9')}\r\n${signed}`, { resolver: resolver() });
    assert.equal(r.dkim[0].result, 'pass');
    assert.equal(r.dmarc.alignment.dkim[0].aligned, false);
    assert.equal(r.dmarc.result, 'fail');
    assert.deepEqual([r.dmarc.policy?.value, r.dmarc.policy?.pct, r.dmarc.disposition, r.dmarc.unsampled], ['quarantine', 50, 'quarantine', 'none']);
  });

  it('a subdomain that does not exist gets np= (RFC 9091), one that exists sp=', async () => {
    const ghost = await verifyMessage(`${RECEIVED_POSTFIX('203.0.113.9')}\r\n${message('x@ghost.np.example')}`, { resolver: resolver() });
    assert.deepEqual([ghost.dmarc.result, ghost.dmarc.policy?.tag, ghost.dmarc.disposition], ['fail', 'np', 'reject']);
    const real = await verifyMessage(`${RECEIVED_POSTFIX('203.0.113.9')}\r\n${message('x@real.np.example')}`, { resolver: resolver() });
    assert.deepEqual([real.dmarc.result, real.dmarc.policy?.tag, real.dmarc.disposition], ['fail', 'sp', 'quarantine']);
  });

  it('puts the receiver’s Authentication-Results beside ours and explains differences', async () => {
    const signed = signMessage(message('alice@example.org'), KEY, { selector: 'sel', domain: 'example.org' });
    const changed = signed.replace('Subject: Hello', 'Subject: [External] Hello');
    const ar = 'Authentication-Results: mx.example.net;\r\n\tspf=pass smtp.mailfrom=example.org;\r\n\tdkim=pass header.d=example.org header.s=sel;\r\n\tdmarc=pass header.from=example.org';
    const forged = 'Authentication-Results: evil.example; dkim=pass header.d=example.org';
    const raw = `Return-Path: <alice@example.org>\r\n${ar}\r\n${RECEIVED_POSTFIX('192.0.2.7')}\r\n${forged}\r\n${changed}`;
    const r = await verifyMessage(raw, { resolver: resolver() });
    assert.equal(r.dkim[0].result, 'fail');
    assert.equal(r.dkim[0].code, 'dkim-sig-header-signature');
    assert.deepEqual(r.receiverAuthResults, [1]);
    const dkim = r.comparisons.find((c) => c.method === 'dkim');
    assert.equal(dkim?.agree, false);
    assert.match(dkim?.why ?? '', /passed when the receiver got it and fails now/);
    assert.equal(r.comparisons.find((c) => c.method === 'spf')?.agree, true);
    assert.equal(r.comparisons.find((c) => c.method === 'dmarc')?.agree, true);
    assert.ok(r.findings.some((f) => f.code === 'verify-authres-untrusted'));
  });

  it('reads a Gmail-style header: AR and Received-SPF under the border Received; forged fields below are not trusted', async () => {
    const signed = signMessage(message('alice@example.org'), KEY, { selector: 'sel', domain: 'example.org' });
    const gmail = [
      'Delivered-To: bob@gmail.com',
      'Received: by 2002:a05:6a10:8f0b:b0:5d4:1234:abcd with SMTP id r11csp123456pxh;\r\n        Mon, 1 Jan 2024 02:00:02 -0800 (PST)',
      'ARC-Seal: i=1; a=rsa-sha256; t=1704103202; cv=none; d=google.com; s=arc-20160816; b=AAAA',
      'ARC-Message-Signature: i=1; a=rsa-sha256; c=relaxed/relaxed; d=google.com; s=arc-20160816; h=from; bh=AA; b=AAAA',
      'ARC-Authentication-Results: i=1; mx.google.com; dkim=pass header.i=@example.org header.s=sel; spf=pass smtp.mailfrom=example.org; dmarc=pass header.from=example.org',
      'Return-Path: <alice@example.org>',
      'Received: from out.example.org (out.example.org. [192.0.2.7])\r\n        by mx.google.com with ESMTPS id a1si123;\r\n        Mon, 01 Jan 2024 02:00:02 -0800 (PST)',
      'Received-SPF: pass (google.com: domain of alice@example.org designates 192.0.2.7 as permitted sender) client-ip=192.0.2.7;',
      'Authentication-Results: mx.google.com;\r\n       dkim=pass header.i=@example.org header.s=sel header.b=AbCd;\r\n       spf=pass (google.com: domain of alice@example.org designates 192.0.2.7 as permitted sender) smtp.mailfrom=alice@example.org;\r\n       dmarc=pass (p=REJECT sp=QUARANTINE dis=NONE) header.from=example.org',
      // What the sender wrote: a forged verdict and a forged hop from an address SPF would pass.
      'Authentication-Results: mx.google.com; spf=pass smtp.remote-ip=192.0.2.99',
      'Received: from trusted.example.org (trusted.example.org [192.0.2.99]) by relay.example.org with ESMTP',
      'Authentication-Results: mx.google.com; dkim=fail header.d=example.org',
    ].join('\r\n');
    const r = await verifyMessage(`${gmail}\r\n${signed}`, { resolver: resolver() });
    assert.deepEqual([r.connection.ip, r.connection.hop], ['192.0.2.7', 1]);
    assert.deepEqual(r.received.map((h) => h.role), ['internal', 'border', 'upstream']);
    // The receiver's AR is field 8 (under its Received, field 6) and so is the forged one at 9, which a receiver
    // following RFC 8601 §5 would have deleted; the one below the next Received (11) is not compared.
    assert.ok(r.receiverAuthResults.includes(8) && !r.receiverAuthResults.includes(11), `receiver fields ${r.receiverAuthResults}`);
    const mine = r.comparisons.filter((c) => c.authservId === 'mx.google.com');
    assert.ok(mine.some((c) => c.method === 'dkim' && c.agree), 'dkim=pass header.i=@example.org matches our d=example.org pass');
    assert.ok(mine.some((c) => c.method === 'dmarc' && c.agree));
    assert.equal(r.dmarc.result, 'pass');
    assert.equal(r.arc.chain, 'present');
    // Without the receiver's Received-SPF, the forged remote-ip still does not move the border down to the forged hop.
    const noSpf = await verifyMessage(`${gmail.replace(/Received-SPF:[^\r]*\r\n/, '')}\r\n${signed}`, { resolver: resolver() });
    assert.deepEqual([noSpf.connection.ip, noSpf.connection.hop], ['192.0.2.7', 1]);
  });

  it('on private addresses only, the receiver’s Received-SPF client-ip picks the hop', async () => {
    const lab = 'Received: from relay.lab.example (relay.lab.example [10.0.0.9]) by mx.lab.example with ESMTP\r\nReceived-SPF: pass client-ip=10.0.0.20;\r\nReceived: from client.lab.example (client.lab.example [10.0.0.20]) by relay.lab.example with ESMTP';
    const r = await verifyMessage(`${lab}\r\n${message('alice@example.org')}`, { resolver: resolver() });
    assert.deepEqual([r.connection.ip, r.connection.hop, r.connection.helo], ['10.0.0.20', 1, 'client.lab.example']);
  });

  it('tells two signatures of one d= and s= apart by header.b (RFC 6008)', async () => {
    const a = signMessage(message('alice@example.org'), KEY, { selector: 'sel', domain: 'example.org', headers: ['from', 'subject'] });
    const both = signMessage(a, KEY, { selector: 'sel', domain: 'example.org', headers: ['from'] });
    const changed = both.replace('Subject: Hello', 'Subject: Hello again');
    const bOf = (text: string, n: number) => /b=([A-Za-z0-9+/]{12})/g.exec(text.split('DKIM-Signature:')[n])?.[1] ?? '';
    const first = bOf(both, 2); // the older signature (h=from:subject), now the second field
    const ar = `Authentication-Results: mx.example.net; dkim=pass header.d=example.org header.s=sel header.b=${first.slice(0, 8)}`;
    const r = await verifyMessage(`${ar}\r\n${RECEIVED_POSTFIX('192.0.2.7')}\r\n${changed}`, { resolver: resolver() });
    assert.deepEqual(r.dkim.map((d) => d.result), ['pass', 'fail']);
    const c = r.comparisons.find((x) => x.method === 'dkim');
    assert.equal(c?.agree, false, 'compared with the signature header.b names, which fails now');
    assert.match(c?.ours ?? '', /dkim=fail/);
  });

  it('lists ARC sets and says when an intermediary saw a pass', async () => {
    const arc = ['ARC-Seal: i=1; a=rsa-sha256; cv=none; d=lists.example.com; s=arc; b=AAAA', 'ARC-Message-Signature: i=1; a=rsa-sha256; d=lists.example.com; s=arc; h=from; bh=AA; b=AAAA', 'ARC-Authentication-Results: i=1; lists.example.com; dkim=pass header.d=example.org; dmarc=pass header.from=example.org'];
    const raw = `${RECEIVED_POSTFIX('203.0.113.9', 'lists.example.com')}\r\n${arc.join('\r\n')}\r\n${message('alice@example.org')}`;
    const r = await verifyMessage(raw, { resolver: resolver() });
    assert.equal(r.arc.chain, 'present');
    assert.equal(r.arc.sets[0].sealer, 'lists.example.com');
    const f = r.findings.find((x) => x.code === 'verify-arc-present');
    assert.match(f?.message ?? '', /passed when the first intermediary got it/);
  });

  it('says when the connecting address is unknown, and refuses a bad --ip', async () => {
    const r = await verifyMessage(message('alice@example.org'), { resolver: resolver() });
    assert.equal(r.connection.source, 'none');
    assert.equal(r.spf.checked, false);
    assert.ok(r.findings.some((f) => f.code === 'verify-ip-unknown'));
    await assert.rejects(verifyMessage(message('alice@example.org'), { resolver: resolver(), ip: 'not-an-ip' }), /address/);
  });

  it('stops on abort (the editor’s Cancel) and throws nothing else', async () => {
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(verifyMessage(message('alice@example.org'), { resolver: resolver(), signal: ac.signal }), (e: Error) => e.name === 'AbortError');
    const idn = await verifyMessage(message('alice@bücher.example'), { resolver: resolver() });
    assert.ok(['none', 'temperror'].includes(idn.dmarc.result), idn.dmarc.result);
  });

  it('renders nothing from the message raw: markup stays text, controls are escaped', async () => {
    const evil = 'From: "<img src=x onerror=alert(1)>" <alice@example.org>\r\nSubject: \u001b]8;;http://evil\u0007click\u001b]8;;\u0007 <script>x</script>\r\n\r\nbody\r\n';
    const r = await verifyMessage(evil, { resolver: resolver() });
    const text = verifyToText(r);
    assert.ok(!text.includes('\u001b'), 'no ESC in the terminal text');
    const md = reportToMarkdown(toReport(r));
    assert.ok(!/<script>|<img/.test(md), 'no raw markup in Markdown');
  });
});

describe('maildns verify', () => {
  const run = async (args: string[], input: string) => {
    let out = '';
    const code = await verifyCommand.run(args, { out: (t: string) => (out += t), err: (_t: string) => undefined, readInput: async () => input } as never);
    return { code, out };
  };

  it('prints the documented JSON shape from standard input and exits 1 on DMARC fail', async () => {
    const raw = `Return-Path: <bounce@bounce.esp.example>\r\nAuthentication-Results: mx.example.net; spf=pass smtp.mailfrom=bounce.esp.example\r\n${RECEIVED_POSTFIX('203.0.113.9')}\r\n${message('alice@example.org')}`;
    // No resolver option reaches the in-memory table from the CLI: DNS goes to a closed loopback port, so temperror.
    const { code, out } = await run(['-', '--json', '--resolver', '127.0.0.1:9', '--timeout', '200'], raw);
    const j = JSON.parse(out);
    assert.equal(j.from, 'alice@example.org');
    assert.ok('result' in j.spf && 'domain' in j.spf);
    assert.ok(Array.isArray(j.dkim));
    assert.ok('result' in j.dmarc && 'policy' in j.dmarc && 'spf' in j.dmarc.alignment && Array.isArray(j.dmarc.alignment.dkim));
    assert.equal(j.dmarc.result, 'temperror');
    assert.equal(code, 2);
    // Our DNS failing is not a difference with the receiver: said as such, and only as info.
    assert.match(j.comparisons[0].why, /^not comparable: our DNS lookup failed here/);
    assert.ok(j.findings.filter((f: { code: string }) => f.code === 'verify-authres-differs').every((f: { severity: string }) => f.severity === 'info'));
  });

  it('refuses a missing file, a directory and a bad --ip as usage errors (status 2)', async () => {
    await assert.rejects(run(['/nonexistent/message.eml'], ''), (e: Error) => e instanceof UsageError && /ENOENT/.test(e.message));
    await assert.rejects(run(['/tmp'], ''), (e: Error) => e instanceof UsageError && /directory/.test(e.message));
    await assert.rejects(run(['-', '--ip', '999.1.1.1'], message('a@example.org')), (e: Error) => e instanceof UsageError && /--ip/.test(e.message));
  });
});

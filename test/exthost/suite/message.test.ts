// Runs inside the extension host, against the BIND the node-side runner started on
// test/fixtures/dmarc-zones (MAILDNS_TEST_DMARC_DNS; mailDns.resolvers points at it for these tests
// and is restored afterwards): "Check a received message" with the message as the command's
// argument and from the active editor, the report on screen (DMARC's verdict, the policy that
// applies, the connecting address from the Received field), and a hostile message whose markup
// stays text in the report.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { VerifyResult } from '../../../src/core/verify/types';
import type { MailDnsApi } from '../../../src/vscode/api';
import { EXTENSION_ID, flatten, waitForReport } from './helpers';
import { requestScreenshot } from './index';

async function setResolvers(value: unknown): Promise<void> {
  const config = vscode.workspace.getConfiguration('mailDns');
  const seen = new Promise<void>((resolve) => {
    const sub = vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('mailDns.resolvers')) {
        sub.dispose();
        resolve();
      }
    });
  });
  await config.update('resolvers', value, vscode.ConfigurationTarget.Workspace);
  await seen;
}

const MESSAGE = (from: string, subject: string) =>
  [
    'Return-Path: <alice@mail.example.org>',
    'Authentication-Results: mx.example.com; spf=pass smtp.mailfrom=mail.example.org; dmarc=pass header.from=mail.example.org',
    'Received: from out.mail.example.org (out.mail.example.org [203.0.113.99])',
    '\tby mx.example.com (Postfix) with ESMTPS id 4AbCd; Mon, 01 Jan 2024 10:00:02 +0000',
    `From: ${from}`,
    'To: bob@example.com',
    `Subject: ${subject}`,
    '',
    'Hello.',
    '',
  ].join('\n');

describe('Check a received message against BIND (dmarc-zones)', function () {
  this.timeout(60_000);
  let api: MailDnsApi;
  let previous: unknown;
  const dns = process.env.MAILDNS_TEST_DMARC_DNS ?? '';

  before(async () => {
    assert.match(dns, /^127\.0\.0\.1:\d+$/, 'MAILDNS_TEST_DMARC_DNS names the dmarc-zones BIND');
    const ext = vscode.extensions.getExtension<MailDnsApi>(EXTENSION_ID);
    assert.ok(ext);
    api = await ext.activate();
    previous = vscode.workspace.getConfiguration('mailDns').inspect('resolvers')?.workspaceValue;
    await setResolvers([dns]);
    await vscode.commands.executeCommand('mailDns.clearResults');
    await vscode.commands.executeCommand('workbench.view.extension.mailDns');
  });

  after(async () => {
    await setResolvers(previous);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('mailDns.checkMessage with { text } returns the result and shows DMARC, the policy and the connecting address', async () => {
    const shown = waitForReport(api, 'verify', 'alice@mail.example.org');
    const r = await vscode.commands.executeCommand<VerifyResult | undefined>('mailDns.checkMessage', { text: MESSAGE('Alice <alice@mail.example.org>', 'Quarterly report') });
    assert.ok(r);
    // No SPF record for mail.example.org and no signature: DMARC fails; example.org's sp=quarantine applies.
    assert.deepEqual([r.kind, r.from, r.connection.ip, r.connection.source, r.spf.result, r.dmarc.result, r.dmarc.policy?.tag, r.dmarc.policy?.value, r.dmarc.disposition], ['verify', 'alice@mail.example.org', '203.0.113.99', 'received', 'none', 'fail', 'sp', 'quarantine', 'quarantine']);
    const text = await shown;
    for (const want of ['DMARC', 'fail', 'sp=quarantine', '_dmarc.example.org', '203.0.113.99', 'Received #1', "The message's own Authentication-Results beside ours", 'mx.example.com', 'different', 'verify-dmarc-fail', 'verify-dkim-none']) {
      assert.ok(text.includes(want), `the report shows ${JSON.stringify(want)}`);
    }
    const tree = flatten(await api.treeSnapshot()).join('\n');
    assert.match(tree, /alice@mail\.example\.org — dmarc=fail/);
    await requestScreenshot('exthost-message-report');
  });

  it('without an argument, checks the active editor’s text; markup from the message stays text', async () => {
    const evil = '<img src=x onerror="document.title=1"> <b>bold</b>';
    const doc = await vscode.workspace.openTextDocument({ content: MESSAGE(`"${evil}" <alice@mail.example.org>`, `<script>alert(1)</script> ${evil}`) });
    await vscode.window.showTextDocument(doc);
    const shown = waitForReport(api, 'verify', 'alice@mail.example.org');
    const r = await vscode.commands.executeCommand<VerifyResult | undefined>('mailDns.checkMessage');
    assert.ok(r);
    assert.equal(r.subject, `<script>alert(1)</script> ${evil}`);
    const text = await shown;
    // The page's text holds the tags as characters: had they been rendered as markup, they would not be text.
    assert.ok(text.includes('<script>alert(1)</script>'), 'the Subject is shown as text, tags and all');
    assert.ok(text.includes('<b>bold</b>'), 'no bold element made from the message');
  });

  it('a bad --ip argument is refused without a check', async () => {
    const before = (await api.treeSnapshot()).length;
    const r = await vscode.commands.executeCommand<VerifyResult | undefined>('mailDns.checkMessage', { text: MESSAGE('a@example.org', 'x'), ip: '999.1.1.1' });
    assert.equal(r, undefined);
    assert.equal((await api.treeSnapshot()).length, before);
  });
});

// Runs inside the extension host, against the BIND the node-side runner started on
// test/fixtures/mail-zones (MAILDNS_TEST_MAIL_DNS; mailDns.resolvers points at it for these tests
// and is restored afterwards): "Check DKIM key" through executeCommand with its argument and through
// the API — a key with its tags in the report, the common selectors tried (a CNAME-delegated one
// found), a revoked key, and bad input refused.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { DkimKeyResult } from '../../../src/core/dkim/types';
import type { MailDnsApi } from '../../../src/vscode/api';
import { EXTENSION_ID, flatten, waitForReport } from './helpers';
import { requestScreenshot } from './index';

async function setResolvers(value: unknown): Promise<void> {
  const config = vscode.workspace.getConfiguration('mailDns');
  if (JSON.stringify(config.inspect('resolvers')?.workspaceValue) === JSON.stringify(value)) return;
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

describe('Check DKIM key against BIND (mail-zones)', function () {
  this.timeout(60_000);
  let api: MailDnsApi;
  let previous: unknown;
  const dns = process.env.MAILDNS_TEST_MAIL_DNS ?? '';

  before(async () => {
    assert.match(dns, /^127\.0\.0\.1:\d+$/, 'MAILDNS_TEST_MAIL_DNS names the mail-zones BIND');
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
  });

  it('mailDns.checkDkim with { selector, domain } returns the key and shows every tag in the report', async () => {
    const shown = waitForReport(api, 'dkim', 's2024._domainkey.dynatron.example');
    const r = await vscode.commands.executeCommand<DkimKeyResult | undefined>('mailDns.checkDkim', { selector: 's2024', domain: 'dynatron.example' });
    assert.ok(r);
    assert.deepEqual([r.kind, r.name, r.key, r.testing, r.revoked], ['dkim', 's2024._domainkey.dynatron.example', { type: 'rsa', bits: 2048 }, false, false]);
    const text = await shown;
    for (const want of ['rsa, 2048 bits', 'Tags', 'sha256', 'the public key, base64', 'RFC 6376 §3.6.1']) {
      assert.ok(text.includes(want), `the report shows ${JSON.stringify(want)}`);
    }
    const tree = flatten(await api.treeSnapshot()).join('\n');
    assert.match(tree, /^s2024\._domainkey\.dynatron\.example — rsa, 2048 bits/m);
    await requestScreenshot('exthost-dkim-report');
  });

  it('no selector: the common selectors are tried, the CNAME-delegated selector1 is found, and the report says why they are guessed', async () => {
    const shown = waitForReport(api, 'dkim', 'dynatron.example (common selectors)');
    const r = await api.checkDkim({ domain: 'alice@dynatron.example' });
    assert.ok(r);
    assert.equal(r.selector, null);
    assert.deepEqual(r.found, ['selector1']);
    assert.deepEqual(r.cnames, [{ name: 'selector1._domainkey.dynatron.example', target: 'selector1.keys.dynatron.example' }]);
    assert.deepEqual(r.key, { type: 'rsa', bits: 1024 });
    const text = await shown;
    for (const want of ['Selectors tried', 'google', 'Microsoft 365', 'no way to list the names under _domainkey', 'selector1.keys.dynatron.example', 'dkim-key-weak']) {
      assert.ok(text.includes(want), `the report shows ${JSON.stringify(want)}`);
    }
  });

  it('a revoked key is a failed check; bad input is refused without one', async () => {
    const r = await api.checkDkim({ selector: 'old', domain: 'dynatron.example' });
    assert.ok(r);
    assert.equal(r.revoked, true);
    assert.ok(r.findings.some((f) => f.code === 'dkim-key-revoked'));
    const count = (await api.treeSnapshot()).length;
    assert.equal(await vscode.commands.executeCommand('mailDns.checkDkim', { selector: 'bad selector', domain: 'dynatron.example' }), undefined);
    assert.equal(await vscode.commands.executeCommand('mailDns.checkDkim', { domain: '192.0.2.1' }), undefined);
    assert.equal((await api.treeSnapshot()).length, count);
  });
});

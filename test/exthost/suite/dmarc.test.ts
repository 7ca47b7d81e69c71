// Runs inside the extension host, against the BIND the node-side runner started on
// test/fixtures/dmarc-zones (MAILDNS_TEST_DMARC_DNS; mailDns.resolvers points at it for these tests
// and is restored afterwards): "Check DMARC" through executeCommand with its argument, the report on
// screen with every tag explained, the Results tree, and the record to publish when there is none.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { DmarcResult } from '../../../src/core/dmarc/types';
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

describe('Check DMARC against BIND (dmarc-zones)', function () {
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
  });

  it('mailDns.checkDmarc with { domain: a From address } returns the result and shows the report with every tag explained', async () => {
    const shown = waitForReport(api, 'dmarc', 'mail.example.org');
    const r = await vscode.commands.executeCommand<DmarcResult | undefined>('mailDns.checkDmarc', { domain: 'Alice <alice@mail.example.org>' });
    assert.ok(r);
    assert.deepEqual([r.kind, r.domain, r.orgDomain, r.source, r.recordDomain, r.applied?.tag, r.applied?.value], ['dmarc', 'mail.example.org', 'example.org', 'organizational', 'example.org', 'sp', 'quarantine']);
    const text = await shown;
    for (const want of ['sp=quarantine', '_dmarc.example.org', 'Tags, in plain words', 'RFC 7489 §6.3', 'RFC 9091 §4.1', 'DKIM alignment: strict', 'Public Suffix List', r.pslDate, 'not authorized: no reports', 'dmarc-report-unauthorized',
      // The receivers' rows (docs/receivers.md): what SpamAssassin and rspamd do with passing and failing mail.
      'Other receivers: the rules this check decides', 'DMARC_QUAR', 'DMARC_POLICY_QUARANTINE', 'fails DMARC (sp=quarantine)']) {
      assert.ok(text.includes(want), `the report shows ${JSON.stringify(want)}`);
    }
    const tree = flatten(await api.treeSnapshot()).join('\n');
    assert.match(tree, /^mail\.example\.org — sp=quarantine via example\.org \[/m);
    await requestScreenshot('exthost-dmarc-report');
  });

  it('no record: the report gives the record to publish, and the API returns the same result', async () => {
    const shown = waitForReport(api, 'dmarc', 'www.example.com');
    const r = await api.checkDmarc({ domain: 'www.example.com' });
    assert.ok(r);
    assert.equal(r.verdict, 'none');
    const text = await shown;
    assert.ok(text.includes('_dmarc.example.com. 3600 IN TXT "v=DMARC1; p=none; rua=mailto:dmarc-reports@example.com"'));
    assert.ok(text.includes('change p=none to p=quarantine'));
  });

  it('bad input is refused without a check', async () => {
    const before = (await api.treeSnapshot()).length;
    const r = await vscode.commands.executeCommand<DmarcResult | undefined>('mailDns.checkDmarc', { domain: '192.0.2.1' });
    assert.equal(r, undefined);
    assert.equal((await api.treeSnapshot()).length, before);
  });
});

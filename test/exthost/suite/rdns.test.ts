// Runs inside the extension host, against the real BIND the node-side runner started
// (mailDns.resolvers points at it): "Check rDNS for IP" through the command and the API,
// asserting what the Results tree and the report webview show.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { MailDnsApi } from '../../../src/vscode/api';
import { EXTENSION_ID, flatten, waitForReport } from './helpers';
import { requestScreenshot } from './index';

describe('Check rDNS for IP against BIND', function () {
  this.timeout(60_000);
  let api: MailDnsApi;

  before(async () => {
    const ext = vscode.extensions.getExtension<MailDnsApi>(EXTENSION_ID);
    assert.ok(ext);
    api = await ext.activate();
    // The extension measures itself (bundle load to activate() returning), whenever VS Code
    // activated it; recorded for `npm run bench` (docs/benchmarks.md).
    const activateMs = api.activationMs;
    assert.ok(activateMs > 0, `activationMs ${activateMs}`);
    const out = process.env.MAILDNS_RESULTS_DIR;
    if (out) {
      fs.mkdirSync(out, { recursive: true });
      fs.writeFileSync(path.join(out, 'activation.json'), JSON.stringify({ activateMs, vscode: vscode.version, at: new Date().toISOString() }));
    }
    const resolvers = vscode.workspace.getConfiguration('mailDns').get<string[]>('resolvers');
    assert.equal(resolvers?.[0], process.env.MAILDNS_TEST_DNS, 'the workspace points the extension at the test BIND');
  });

  it('checks the seed loop through the command: tree and report agree with the core', async () => {
    await vscode.commands.executeCommand('mailDns.clearResults');
    // Open the Results view first, so the screenshot below shows the tree beside the report.
    await vscode.commands.executeCommand('workbench.view.extension.mailDns');
    const rendered = waitForReport(api, 'rdns', '203.0.113.100');
    const result = (await vscode.commands.executeCommand('mailDns.checkRdns', '203.0.113.100')) as { fcrdns: string; loop: boolean } | undefined;
    assert.ok(result, 'the command returned no result');
    assert.equal(result.fcrdns, 'fail');
    assert.equal(result.loop, true);

    const text = await rendered;
    assert.match(text, /203\.0\.113\.100/);
    assert.match(text, /iprev: fail/i);
    assert.match(text, /reject_unknown_client_hostname/);
    assert.match(text, /450 4\.7\.25 Client host rejected: cannot find your hostname, \[203\.0\.113\.100\]/);
    assert.match(text, /550-5\.7\.25/);
    assert.match(text, new RegExp(`dig @127\\.0\\.0\\.1 -p ${process.env.MAILDNS_TEST_DNS!.split(':')[1]} mail\\.example\\.net A`));
    assert.match(text, /244\.113\.0\.203\.in-addr\.arpa\. 3600 IN PTR mail\.example\.net\./);

    const tree = await api.treeSnapshot();
    const lines = flatten(tree);
    assert.equal(tree.length, 1, lines.join('\n'));
    assert.equal(tree[0].label, '203.0.113.100');
    assert.match(tree[0].description ?? '', /fail/);
    const joined = lines.join('\n');
    assert.match(joined, /mail\.example\.net — .*PTR.*3600/);
    assert.match(joined, /goes wrong/);
    assert.match(joined, /example\.net/);
    assert.match(joined, /already seen|loop/i);
    await requestScreenshot('rdns-loop-report');
  });

  it('keeps earlier checks, newest first, and passes a healthy IPv6 sender', async () => {
    const rendered = waitForReport(api, 'rdns', '2001:db8::25');
    const result = await api.checkRdns('2001:DB8:0::25');
    assert.equal(result?.fcrdns, 'pass');
    await rendered;
    const tree = await api.treeSnapshot();
    assert.deepEqual(tree.map((n) => n.label), ['2001:db8::25', '203.0.113.100']);
    // iprev passes; the icon warns because 2001:db8::/32 is a documentation prefix (ip-special-purpose).
    assert.match(tree[0].description ?? '', /pass/);
    assert.equal(tree[0].icon, 'warning');
  });

  it('shows DNS trouble as temperror, not an error dialog', async () => {
    const config = vscode.workspace.getConfiguration('mailDns');
    const previous = config.get<string[]>('resolvers');
    // A loopback port where nothing listens: connection refused, decided at once.
    await config.update('resolvers', ['127.0.0.1:9'], vscode.ConfigurationTarget.Workspace);
    try {
      const result = await api.checkRdns('192.0.2.10');
      assert.equal(result?.fcrdns, 'temperror');
      assert.ok(result?.findings.some((f) => f.code.startsWith('dns-')));
    } finally {
      await config.update('resolvers', previous, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('shows a finished result through the generic API, and refuses an unknown kind', async () => {
    const before = await api.treeSnapshot();
    const result = await api.checkRdns('203.0.113.100');
    assert.ok(result);
    // The page may render before showResult resolves (it also reveals the tree item): listen first.
    const seen: { id: string; text: string }[] = [];
    let wanted = '';
    let found: (text: string) => void = () => undefined;
    const rendered = new Promise<string>((resolve) => (found = resolve));
    const sub = api.onDidRenderReport((e) => {
      seen.push(e);
      if (e.id === wanted) found(e.text);
    });
    try {
      const doc = await api.showResult(result);
      assert.equal(doc.kind, 'rdns');
      assert.equal(doc.subject, '203.0.113.100');
      assert.match(doc.id ?? '', /^check-\d+$/);
      wanted = doc.id!;
      const early = seen.find((e) => e.id === wanted);
      const text = early ? early.text : await rendered;
      assert.match(text, /Reverse DNS for 203\.0\.113\.100/);
      const tree = await api.treeSnapshot();
      assert.equal(tree.length, before.length + 2);
      assert.equal(tree[0].label, '203.0.113.100');
      assert.equal(tree[0].description, doc.summary);
    } finally {
      sub.dispose();
    }
    const count = (await api.treeSnapshot()).length;
    await assert.rejects(api.showResult({ kind: 'nope' } as never), /cannot show a result of kind "nope"/);
    assert.equal((await api.treeSnapshot()).length, count);
  });

  it('copies the report as Markdown', async () => {
    await vscode.env.clipboard.writeText('');
    await vscode.commands.executeCommand('mailDns.copyMarkdown');
    const md = await vscode.env.clipboard.readText();
    assert.match(md, /^#+ .*(rDNS|Reverse DNS)/m);
  });
});

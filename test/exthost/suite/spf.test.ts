// Runs inside the extension host, against the second BIND the node-side runner started on
// test/fixtures/spf-zones (MAILDNS_TEST_SPF_DNS; mailDns.resolvers points at it for these tests
// and is restored afterwards): "Check SPF" and "Can this server send for a domain?" through their
// commands with arguments, asserting what the Results tree and the report webview show.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { checkHost } from '../../../src/core/spf/check';
import type { SpfPairResult } from '../../../src/core/spf/pair';
import type { SendAsResult, SpfResult } from '../../../src/core/spf/types';
import type { MailDnsApi, TreeSnapshotNode } from '../../../src/vscode/api';
import { memoryResolver } from '../../unit/memory-resolver';
import { EXTENSION_ID, flatten, waitForReport } from './helpers';
import { requestScreenshot } from './index';

function find(nodes: TreeSnapshotNode[], label: string): TreeSnapshotNode | undefined {
  for (const n of nodes) {
    if (n.label === label) return n;
    const below = find(n.children, label);
    if (below) return below;
  }
  return undefined;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('Check SPF and "Can this server send for a domain?" against BIND', function () {
  this.timeout(60_000);
  let api: MailDnsApi;
  let previous: string[] | undefined;
  const spfDns = process.env.MAILDNS_TEST_SPF_DNS ?? '';
  const dig = (name: string, type: string) => new RegExp(escape(`dig @127.0.0.1 -p ${spfDns.split(':')[1]} ${name} ${type}`));

  before(async () => {
    assert.match(spfDns, /^127\.0\.0\.1:\d+$/, 'MAILDNS_TEST_SPF_DNS names the SPF test BIND');
    const ext = vscode.extensions.getExtension<MailDnsApi>(EXTENSION_ID);
    assert.ok(ext);
    api = await ext.activate();
    const config = vscode.workspace.getConfiguration('mailDns');
    previous = config.get<string[]>('resolvers');
    await config.update('resolvers', [spfDns], vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('mailDns.clearResults');
    // The Results view open, so the screenshots show the tree beside the report.
    await vscode.commands.executeCommand('workbench.view.extension.mailDns');
  });

  after(async () => {
    await vscode.workspace.getConfiguration('mailDns').update('resolvers', previous, vscode.ConfigurationTarget.Workspace);
  });

  it('checks SPF through the command: exp= explanation, Received-SPF, every term with its queries', async () => {
    const subject = 'explained.example.com from 192.0.2.99';
    const rendered = waitForReport(api, 'spf', subject);
    const result = (await vscode.commands.executeCommand('mailDns.checkSpf', { ip: '192.0.2.99', domain: 'explained.example.com' })) as SpfResult | undefined;
    assert.ok(result, 'the command returned no result');
    assert.equal(result.kind, 'spf');
    assert.equal(result.result, 'fail');
    assert.equal(result.explanationSource, 'exp');

    const text = await rendered;
    assert.match(text, /SPF for explained\.example\.com from 192\.0\.2\.99/);
    assert.match(text, /SPF: fail — The domain says this address may not send its mail/);
    assert.match(text, /192\.0\.2\.99 is not one of explained\.example\.com's designated mail servers\./);
    assert.match(text, /Received-SPF: fail \(maildns: domain of postmaster@explained\.example\.com does not designate 192\.0\.2\.99 as permitted sender\)/);
    assert.match(text, /DNS lookups\s+1 of 10/);
    assert.match(text, /Void lookups\s+0 of 2/);
    // Each term: its section, what it does in plain words, how it came out, the queries and their dig commands.
    assert.match(text, /mx §5\.4 · lookup 1\/10 info Matches if the address belongs to one of explained\.example\.com's MX hosts/);
    assert.match(text, /-all §5\.1 · ◀ decided fail .*match → fail/);
    assert.match(text, /MX hosts of explained\.example\.com: explained\.example\.com MX → 10 mail\.redir\.example\.com/);
    assert.match(text, dig('explained.example.com', 'MX'));
    assert.match(text, dig('why.explained.example.com', 'TXT'));
    assert.match(text, /Copy dig/);
    assert.match(text, /Reading the evaluation/);

    const tree = await api.treeSnapshot();
    const lines = flatten(tree).join('\n');
    assert.equal(tree.length, 1, lines);
    assert.equal(tree[0].label, subject);
    assert.equal(tree[0].description, 'fail · -all · 1/10 lookups');
    assert.equal(tree[0].icon, 'error');
    const record = tree[0].children[0];
    assert.equal(record.label, 'explained.example.com');
    assert.match(record.description ?? '', /^SPF record · gives fail/);
    assert.deepEqual(record.children.map((c) => c.label), ['mx', '-all', 'exp=why.%{d}']);
    assert.match(record.children[1].description ?? '', /^§5\.1 · ◀ decided · match → fail/);
    assert.equal(record.children[0].contextValue, 'mailDns.step', 'a term with queries offers Copy dig');
    assert.match(record.children[0].tooltip ?? '', /dig @127\.0\.0\.1 -p \d+ explained\.example\.com MX/);
    assert.equal(tree[0].children[1].label, 'Findings');
  });

  it('shows an IPv4 and an IPv6 address side by side in one check', async () => {
    const subject = 'chain.example.com from 192.0.2.10 and 2001:db8::10';
    const rendered = waitForReport(api, 'spf-pair', subject);
    const result = (await vscode.commands.executeCommand('mailDns.checkSpf', { ip: '192.0.2.10, 2001:db8::10', domain: 'chain.example.com' })) as SpfPairResult | undefined;
    assert.ok(result);
    assert.equal(result.kind, 'spf-pair');
    assert.deepEqual(result.results.map((r) => r.result), ['pass', 'fail']);

    const text = await rendered;
    assert.match(text, /SPF: pass \/ fail/);
    assert.match(text, /Side by side/);
    assert.match(text, /192\.0\.2\.10 \(IPv4\)\s+2001:db8::10 \(IPv6\)/);
    assert.match(text, /Decided by\s+include:_a\.chain\.example\.com → include:_b\.chain\.example\.com → include:_c\.chain\.example\.com → ip4:192\.0\.2\.10\s+-all/);
    assert.match(text, /_c\.chain\.example\.com included record pass/);
    assert.match(text, /decided this record: match → softfail/);

    const tree = await api.treeSnapshot();
    assert.equal(tree[0].label, subject);
    assert.equal(tree[0].description, '192.0.2.10 pass · 2001:db8::10 fail');
    assert.deepEqual(
      tree[0].children.map((c) => [c.label, c.icon]),
      [
        ['192.0.2.10', 'pass'],
        ['2001:db8::10', 'error'],
        ['Findings', 'list-unordered'],
      ],
    );
    assert.equal(tree[0].children[0].children[0].label, 'chain.example.com');
    assert.ok(find(tree[0].children[0].children, 'ip4:192.0.2.10'), 'the include chain is followed down to the term that passes');
    await requestScreenshot('spf-report');
  });

  it('says at which term the lookup limit was exceeded, and shows the rest as diagnostic', async () => {
    const subject = 'eleven.example.com from 192.0.2.41';
    const rendered = waitForReport(api, 'spf', subject);
    const result = await api.checkSpf({ ip: '192.0.2.41', domain: 'eleven.example.com' });
    assert.equal(result?.kind === 'spf' && result.result, 'permerror');
    const text = await rendered;
    assert.match(text, /DNS lookups\s+11 of 10 — over the limit/);
    assert.match(text, /Limit exceeded\s+more than 10 DNS-querying terms, at "a:h11\.limit\.example\.com" \(term 11 of eleven\.example\.com's record\)/);
    assert.match(text, /a:h11\.limit\.example\.com §5\.3 · lookup 11\/10 · ◀ decided fail .*permerror · over the limit of 10 DNS-querying terms.*✗ goes wrong here/);
    assert.match(text, /ip4:192\.0\.2\.41 §5\.6 info .*would match → pass · diagnostic only/);
    const tree = await api.treeSnapshot();
    const limit = find(tree[0].children, 'a:h11.limit.example.com');
    assert.equal(limit?.icon, 'circle-slash');
  });

  it('names an include loop', async () => {
    const subject = 'loopa.example.com from 192.0.2.1';
    const rendered = waitForReport(api, 'spf', subject);
    await api.checkSpf({ ip: '192.0.2.1', domain: 'loopa.example.com' });
    const text = await rendered;
    assert.match(text, /Include loop: loopa\.example\.com → loopb\.example\.com → loopa\.example\.com\./);
    assert.match(text, /include loop: loopa\.example\.com → loopb\.example\.com → loopa\.example\.com/);
  });

  it('answers "Can this server send for a domain?" with the TXT record to publish in that domain', async () => {
    const subject = '@example.org from 203.0.113.60';
    const rendered = waitForReport(api, 'send-as', subject);
    const result = (await vscode.commands.executeCommand('mailDns.sendAs', { ip: '203.0.113.60', domain: 'example.org' })) as SendAsResult | undefined;
    assert.ok(result);
    assert.equal(result.authorized, false);
    assert.equal(result.rdns.fcrdns, 'pass');
    assert.equal(result.fix?.record, 'example.org. 3600 IN TXT "v=spf1 mx ip4:203.0.113.60 -all"');

    const text = await rendered;
    assert.match(text, /Send-as check for @example\.org from 203\.0\.113\.60/);
    assert.match(text, /May 203\.0\.113\.60 send as @example\.org: no/);
    assert.match(text, /TXT record to publish\s+example\.org\. 3600 IN TXT "v=spf1 mx ip4:203\.0\.113\.60 -all"/);
    assert.match(text, /Publish in\s+the DNS of example\.org \(zone example\.org\)/);
    assert.match(text, /Record to publish:\s+example\.org\. 3600 IN TXT "v=spf1 mx ip4:203\.0\.113\.60 -all"\s+Copy record/);
    assert.match(text, /The PTR stays on example\.net/);
    assert.match(text, /may stay on the server's own domain as long as forward-confirmed reverse DNS holds/);
    assert.match(text, /Replies go to\s+10 mail\.example\.org/);
    assert.match(text, /iprev pass/);

    const tree = await api.treeSnapshot();
    assert.equal(tree[0].label, subject);
    assert.equal(tree[0].icon, 'error');
    assert.deepEqual(tree[0].children.map((c) => c.label), ['The three questions', 'SPF evaluation of example.org', 'Reverse DNS of 203.0.113.60', 'Findings']);
    assert.deepEqual(
      tree[0].children[0].children.map((c) => [c.label, c.icon]),
      [
        ['SPF: may it send as @example.org?', 'error'],
        ['Reverse DNS: its PTR', 'pass'],
        ['Replies: where they go', 'pass'],
      ],
    );
    assert.match(tree[0].children[0].children[0].tooltip ?? '', /example\.org\. 3600 IN TXT "v=spf1 mx ip4:203\.0\.113\.60 -all"/);
    await requestScreenshot('send-as-report');
  });

  it('refuses bad input from code without running a check', async () => {
    const before = (await api.treeSnapshot()).length;
    assert.equal(await vscode.commands.executeCommand('mailDns.checkSpf', { ip: '999.1.1.1', domain: 'example.com' }), undefined);
    assert.equal(await vscode.commands.executeCommand('mailDns.checkSpf', { ip: '192.0.2.1', domain: '<>' }), undefined, 'the null sender needs a HELO name');
    assert.equal(await api.sendAs({ ip: '192.0.2.1', domain: 'localhost' }), undefined);
    assert.equal((await api.treeSnapshot()).length, before);
  });

  it('checks the null sender through the HELO name (RFC 7208 §2.4)', async () => {
    const result = await api.checkSpf({ ip: '192.0.2.20', domain: '<>', helo: 'redir.example.com' });
    assert.equal(result?.kind, 'spf');
    const r = result as SpfResult;
    assert.equal(r.domain, 'redir.example.com');
    assert.equal(r.sender, 'postmaster@redir.example.com');
    assert.equal(r.result, 'pass');
    assert.match(r.receivedSpf, /envelope-from=""/);
  });

  it('shows DNS trouble as temperror, not an error dialog', async () => {
    const config = vscode.workspace.getConfiguration('mailDns');
    await config.update('resolvers', ['127.0.0.1:9'], vscode.ConfigurationTarget.Workspace);
    try {
      const result = (await api.checkSpf({ ip: '192.0.2.1', domain: 'chain.example.com' })) as SpfResult | undefined;
      assert.equal(result?.result, 'temperror');
      assert.equal((await api.treeSnapshot())[0].icon, 'warning');
    } finally {
      await config.update('resolvers', [spfDns], vscode.ConfigurationTarget.Workspace);
    }
  });

  it('shows TXT data full of markup as text in the report', async () => {
    const hostile = '<script>alert(1)</script> [x](command:workbench.action.quit) <img src=x onerror=alert(2)>';
    const resolver = memoryResolver({
      'hostile.example.com': { TXT: ['v=spf1 -all exp=why.hostile.example.com'] },
      'why.hostile.example.com': { TXT: [hostile] },
    });
    const result = await checkHost({ ip: '192.0.2.1', domain: 'hostile.example.com' }, { resolver });
    assert.equal(result.explanation, hostile);
    const rendered = waitForReport(api, 'spf', 'hostile.example.com from 192.0.2.1');
    await api.showResult(result);
    const text = await rendered;
    // Had the page parsed it as HTML, its text would not hold the tags.
    assert.ok(text.includes(hostile), 'the explanation shows as the text it is');
  });

  it('copies the SPF report as Markdown', async () => {
    await vscode.env.clipboard.writeText('');
    await vscode.commands.executeCommand('mailDns.copyMarkdown');
    const md = await vscode.env.clipboard.readText();
    assert.match(md, /^# SPF report: hostile\.example\.com from 192\.0\.2\.1/m);
    assert.match(md, /\\<script\\>/);
  });
});

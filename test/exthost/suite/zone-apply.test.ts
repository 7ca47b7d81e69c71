// Runs inside the extension host on the copy of demo/: the seed's loop fixed from the rDNS report.
// The report's PTR fix names web6.example.net (from the workspace's example.net.zone) and offers
// "Apply to 113.0.203.in-addr.arpa.zone"; the edit touches exactly the PTR line and the serial,
// and the re-check against the edited zones passes and is shown in the report.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { MailDnsApi } from '../../../src/vscode/api';
import type { ApplyFixOutcome } from '../../../src/vscode/applyFix';
import { EXTENSION_ID, waitForReport } from './helpers';
import { requestScreenshot } from './index';

interface Finding {
  code: string;
  fix?: { applyTo?: string; proposed?: string; proposedFrom?: string; record?: string };
}

describe('Apply a report\'s fix to the zone file (the seed\'s loop)', function () {
  this.timeout(90_000);
  let api: MailDnsApi;
  let reverse: vscode.Uri;

  before(async () => {
    const ext = vscode.extensions.getExtension<MailDnsApi>(EXTENSION_ID);
    assert.ok(ext);
    api = await ext.activate();
    reverse = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, 'zones', '113.0.203.in-addr.arpa.zone');
  });

  after(async () => {
    // Put the files back as they were for the other tests: revert the unsaved edits.
    for (const uri of [reverse, ...['example.net.zone', 'example.org.zone'].map((f) => vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, 'zones', f))]) {
      const doc = await vscode.workspace.openTextDocument(uri);
      if (!doc.isDirty) continue;
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('workbench.action.files.revert');
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    }
  });

  it('offers Apply on the PTR fix, with the name from the workspace; the diff is the PTR line and the serial; the re-check passes', async () => {
    const onDisk = fs.readFileSync(reverse.fsPath, 'utf8');
    const rendered = waitForReport(api, 'rdns', '203.0.113.100');
    const result = (await vscode.commands.executeCommand('mailDns.checkRdns', '203.0.113.100')) as { findings: Finding[] } | undefined;
    assert.ok(result);
    const index = result.findings.findIndex((f) => f.code === 'ptr-name-mismatch');
    assert.ok(index >= 0, result.findings.map((f) => f.code).join(', '));
    const fix = result.findings[index].fix!;
    assert.equal(fix.proposed, 'web6.example.net');
    assert.equal(fix.record, '100.113.0.203.in-addr.arpa. 3600 IN PTR web6.example.net.');
    assert.equal(fix.applyTo, '113.0.203.in-addr.arpa.zone');
    assert.match(fix.proposedFrom ?? '', /^example\.net\.zone:\d+ \(web6\.example\.net A 203\.0\.113\.100\)$/);
    const text = await rendered;
    assert.match(text, /Apply to 113\.0\.203\.in-addr\.arpa\.zone/);

    const recheckShown = waitForReport(api, 'rdns', '203.0.113.100 (edited zones)');
    // The preview's own clicks are the UI test's (test/exthost/ui-apply.test.ts); here the same
    // edit is applied as the API does without it.
    const outcome = await vscode.commands.executeCommand<ApplyFixOutcome>('mailDns.applyFix', { finding: index, preview: false });
    assert.equal(outcome.applied, true, outcome.reason);
    assert.equal(outcome.recheck?.fixed, true, outcome.recheck?.summary);

    const doc = await vscode.workspace.openTextDocument(reverse);
    assert.ok(doc.isDirty, 'the edit is in the editor, not saved or published');
    const before = onDisk.split('\n');
    const after = doc.getText().split('\n');
    assert.equal(after.length, before.length);
    const changed = before.flatMap((l, i) => (l === after[i] ? [] : [[l, after[i]]]));
    assert.equal(changed.length, 2, JSON.stringify(changed));
    assert.match(changed[0][0], /^\s+2026030401 7200 3600 1209600 300 \)$/);
    assert.match(changed[0][1], /^\s+20\d{8} 7200 3600 1209600 300 \)$/);
    assert.deepEqual(changed[1], ['100             IN PTR  mail.example.net.', '100             IN PTR  web6.example.net.']);

    const recheckText = await recheckShown;
    assert.match(recheckText, /Fixed in the edited zones: 203\.0\.113\.100 → web6\.example\.net → 203\.0\.113\.100 \(iprev pass\)/);
    assert.match(recheckText, /rndc reload 113\.0\.203\.in-addr\.arpa/);
    await requestScreenshot('apply-fix-recheck');
  });

  it('offers Apply on the DMARC report\'s starter record: one _dmarc line and the serial in example.org.zone', async () => {
    // example.org: in the workspace, and without a DMARC record there or in DNS (example.net publishes one).
    const org = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, 'zones', 'example.org.zone');
    const onDisk = fs.readFileSync(org.fsPath, 'utf8');
    const rendered = waitForReport(api, 'dmarc', 'example.org');
    await vscode.commands.executeCommand('mailDns.checkDmarc', { domain: 'example.org' });
    assert.match(await rendered, /Apply to example\.org\.zone/);
    const outcome = await vscode.commands.executeCommand<ApplyFixOutcome>('mailDns.applyFix', { code: 'dmarc-none', preview: false });
    assert.equal(outcome.applied, true, outcome.reason);
    const after = (await vscode.workspace.openTextDocument(org)).getText().split('\n');
    const before = onDisk.split('\n');
    assert.equal(after.length, before.length + 1);
    const added = after.filter((l) => !before.includes(l));
    assert.equal(added.length, 2, added.join('\n'));
    // The serial (2026112901 in the file, in the SOA's parentheses) moved on; the record follows the file's columns.
    assert.match(added[0], /^\s+20\d{8} 7200 3600 1209600 300 \)$/);
    assert.notEqual(added[0], before.find((l) => l.includes('2026112901')));
    // Most records of this file are written without the class (its lists), in columns of 16 and 8.
    assert.equal(added[1], '_dmarc          TXT     "v=DMARC1; p=none; rua=mailto:dmarc-reports@example.org"');
    assert.ok(after.indexOf(added[1]) > after.findIndex((l) => /IN SOA/.test(l)), 'after the SOA');
  });
});

// Runs inside the extension host on the copy of demo/: the zone-file language features as VS Code
// asks for them — diagnostics (the seed's PTR loop, caught in the files before it reaches DNS),
// SPF hover, the lookup-count lens, outline, folding, quick fixes (with the zone's serial bump, in the
// main file for an $INCLUDEd one) and "fix all in file". Static
// assertions run with live lookups off; the live hover asks a loopback DNS server started here.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { MailDnsApi } from '../../../src/vscode/api';
import { startFaultDns, type FaultDnsServer } from '../../harness/fault-dns';
import { requestScreenshot } from './index';

const EXTENSION_ID = 'maildns.mail-dns-doctor';
const SOURCE = 'Mail DNS';

function codeOf(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' ? String(d.code.value) : String(d.code);
}

function show(ds: readonly vscode.Diagnostic[]): string {
  return ds.map((d) => `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${codeOf(d)} ${d.message}`).join('\n') || '(none)';
}

/**
 * Resolves with the extension's diagnostics of `uri` once `ready` holds for them: at once if it
 * already does, else on the onDidChangeDiagnostics event that makes it so.
 */
function waitForDiagnostics(uri: vscode.Uri, ready: (ds: vscode.Diagnostic[]) => boolean, what: string, timeoutMs = 20_000): Promise<vscode.Diagnostic[]> {
  const ours = () => vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);
  return new Promise((resolve, reject) => {
    let sub: vscode.Disposable | undefined;
    const timer = setTimeout(() => {
      sub?.dispose();
      reject(new Error(`no diagnostics with ${what} for ${vscode.workspace.asRelativePath(uri)} within ${timeoutMs} ms; now:\n${show(ours())}`));
    }, timeoutMs);
    const check = (): boolean => {
      const ds = ours();
      if (!ready(ds)) return false;
      clearTimeout(timer);
      sub?.dispose();
      resolve(ds);
      return true;
    };
    if (check()) return;
    sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString())) check();
    });
  });
}

/** The hovers' Markdown with backslash escapes taken out: the text as a reader sees it. */
function hoverText(hovers: vscode.Hover[]): string {
  const md = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
  return md.replace(/\\([!-/:-@[-`{-~])/g, '$1');
}

async function hoverAt(doc: vscode.TextDocument, needle: string, skip = 1): Promise<string> {
  const offset = doc.getText().indexOf(needle);
  assert.ok(offset >= 0, `${needle} is not in ${doc.uri.path}`);
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, doc.positionAt(offset + skip));
  return hoverText(hovers);
}

/** A YYYYMMDDnn serial for the UTC date of `d`. */
function dateSerial(d: Date, nn: number): string {
  return `${d.toISOString().slice(0, 10).replace(/-/g, '')}${String(nn).padStart(2, '0')}`;
}

/** The file's lines as they are on disk (the fixture copy), to compare the edited document with. */
function fixtureLines(uri: vscode.Uri): string[] {
  return fs.readFileSync(uri.fsPath, 'utf8').split('\n');
}

function lineOf(ds: vscode.Diagnostic[], code: string): number[] {
  return ds.filter((d) => codeOf(d) === code).map((d) => d.range.start.line);
}

describe('Zone files: diagnostics, hover, lens, outline and fixes', function () {
  this.timeout(60_000);
  let extension: vscode.Extension<MailDnsApi>;
  let folder: vscode.Uri;
  let reverseUri: vscode.Uri;
  let netUri: vscode.Uri;
  let liveBefore: boolean | undefined;

  before(async () => {
    const found = vscode.extensions.getExtension<MailDnsApi>(EXTENSION_ID);
    assert.ok(found);
    extension = found;
    await extension.activate();
    folder = vscode.workspace.workspaceFolders![0].uri;
    reverseUri = vscode.Uri.joinPath(folder, 'zones', '113.0.203.in-addr.arpa.zone');
    netUri = vscode.Uri.joinPath(folder, 'zones', 'example.net.zone');
    // The suite points mailDns.resolvers at a BIND serving other zones: check from the files alone.
    const config = vscode.workspace.getConfiguration('mailDns');
    liveBefore = config.inspect<boolean>('zone.liveLookups')?.workspaceValue;
    await config.update('zone.liveLookups', false, vscode.ConfigurationTarget.Workspace);
  });

  after(async () => {
    await vscode.workspace.getConfiguration('mailDns').update('zone.liveLookups', liveBefore, vscode.ConfigurationTarget.Workspace);
  });

  it('shows the seed loop in the reverse zone, with codes, exact ranges and related records', async () => {
    const doc = await vscode.workspace.openTextDocument(reverseUri);
    await vscode.window.showTextDocument(doc);
    assert.equal(doc.languageId, 'dns-zone');
    const ds = await waitForDiagnostics(reverseUri, (x) => lineOf(x, 'ptr-loop').length === 3, 'three ptr-loop findings');
    ds.sort((a, b) => a.range.start.line - b.range.start.line);
    assert.equal(ds.length, 3, show(ds));
    // 100 PTR mail.example.net. / 244 PTR example.net. / 51 PTR mail.example.net.: the PTR targets.
    assert.deepEqual(
      ds.map((d) => [d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character]),
      [
        [15, 24, 15, 41],
        [16, 24, 16, 36],
        [17, 24, 17, 41],
      ],
    );
    assert.equal(doc.getText(ds[0].range), 'mail.example.net.');
    assert.equal(doc.getText(ds[1].range), 'example.net.');
    for (const d of ds) {
      assert.equal(d.source, SOURCE);
      assert.equal(codeOf(d), 'ptr-loop');
      // Issue 12: errors are what BIND refuses; a PTR loop is a mail finding, a warning.
      assert.equal(d.severity, vscode.DiagnosticSeverity.Warning);
    }
    assert.match(ds[0].message, /^203\.0\.113\.100 PTR mail\.example\.net, but mail\.example\.net has A 203\.0\.113\.244/);
    assert.match(ds[0].message, /loops: 203\.0\.113\.100 → mail\.example\.net → 203\.0\.113\.244 → example\.net → 203\.0\.113\.51 → mail\.example\.net \(again\)/);
    assert.match(ds[0].message, /web6\.example\.net has A 203\.0\.113\.100/);
    assert.match(ds[1].message, /^203\.0\.113\.244 PTR example\.net, but example\.net has A 203\.0\.113\.51/);

    // The code links to its row in docs/zone-lint.md, shipped with the extension.
    const code = ds[0].code as { value: string; target: vscode.Uri };
    assert.equal(code.target.scheme, 'file');
    assert.equal(code.target.fsPath, vscode.Uri.joinPath(extension.extensionUri, 'docs', 'zone-lint.md').fsPath);
    const row = /^L(\d+)$/.exec(code.target.fragment);
    assert.ok(row, `fragment ${code.target.fragment}`);
    const docsLine = fs.readFileSync(code.target.fsPath, 'utf8').split('\n')[Number(row[1]) - 1];
    assert.match(docsLine, /^\| `ptr-loop` \|/);

    // The forward record that does not point back, in the other file.
    const related = ds[0].relatedInformation ?? [];
    assert.equal(related.length, 1);
    assert.equal(related[0].location.uri.toString(), netUri.toString());
    assert.equal(related[0].location.range.start.line, 24);
    assert.equal(related[0].message, 'mail.example.net A 203.0.113.244');

    // The same loop seen from the forward zone (not even open): its mail hosts fail iprev.
    const net = await waitForDiagnostics(netUri, (x) => lineOf(x, 'mailhost-ptr-mismatch').length === 3, 'three mailhost-ptr-mismatch findings');
    assert.deepEqual(net.map(codeOf), ['mailhost-ptr-mismatch', 'mailhost-ptr-mismatch', 'mailhost-ptr-mismatch'], show(net));

    await vscode.commands.executeCommand('workbench.panel.markers.view.focus');
    await vscode.window.showTextDocument(doc, { preserveFocus: false });
    const shot = await requestScreenshot('zone-diagnostics');
    assert.ok(fs.statSync(shot).size > 0);
  });

  it('issue 12: finds a zone\'s origin as maildns lint does: from named.conf, else the file\'s own SOA/$ORIGIN, never a misleading file name', async () => {
    // db.quickship.com holds quickshipcellular.com (its $ORIGIN); db.shop is named.conf's shop.example.
    // Each zone has one MX without an address: the warning that names its target proves the origin.
    const dir = vscode.Uri.joinPath(folder, 'origins');
    const write = (name: string, text: string) => vscode.workspace.fs.writeFile(vscode.Uri.joinPath(dir, name), Buffer.from(text));
    await write('db.quickship.com', '$TTL 300\n$ORIGIN quickshipcellular.com.\n@ IN SOA ns1 hostmaster 1 7200 3600 1209600 300\n  IN NS ns1\n  IN MX 10 nowhere\nns1 IN A 192.0.2.53\n');
    await write('db.shop', '$TTL 300\n@ IN SOA ns1 hostmaster 1 7200 3600 1209600 300\n  IN NS ns1\n  IN MX 10 nowhere\nns1 IN A 192.0.2.53\n');
    await write('named.conf', 'options { directory "/etc/bind"; };\nzone "shop.example" { type primary; file "/etc/bind/db.shop"; };\n');
    try {
      for (const [name, origin] of [
        ['db.quickship.com', 'quickshipcellular.com'],
        ['db.shop', 'shop.example'],
      ]) {
        const uri = vscode.Uri.joinPath(dir, name);
        await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
        const ds = await waitForDiagnostics(uri, (x) => x.some((d) => codeOf(d) === 'zone-target-no-address' && d.message.includes(`nowhere.${origin}`)), `the MX warning under ${origin}`);
        assert.deepEqual(ds.filter((d) => d.severity === vscode.DiagnosticSeverity.Error).map(codeOf), [], show(ds));
        assert.deepEqual(lineOf(ds, 'zone-target-no-address'), [name === 'db.shop' ? 3 : 4], show(ds));
      }
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.workspace.fs.delete(dir, { recursive: true });
    }
  });

  it('explains SPF terms on hover, in plain words with their RFC 7208 section', async () => {
    const doc = await vscode.workspace.openTextDocument(netUri);
    await vscode.window.showTextDocument(doc);
    const all = await hoverAt(doc, '~all"');
    assert.match(all, /`~all` — mechanism "all", qualifier "~": softfail when it matches/);
    assert.match(all, /Matches every address: gives softfail for anything not matched before it\./);
    assert.match(all, /\[RFC 7208 §5\.1\]\(https:\/\/www\.rfc-editor\.org\/rfc\/rfc7208#section-5\.1\)/);
    const ip4 = await hoverAt(doc, 'ip4:203.0.113.100', 5);
    assert.match(ip4, /`ip4:203\.0\.113\.100`/);
    assert.match(ip4, /Matches IPv4 addresses in the network; gives pass\./);
    assert.match(ip4, /RFC 7208 §5\.6/);
    const version = await hoverAt(doc, 'v=spf1');
    assert.match(version, /0 of the 10 DNS-querying terms/);
    // Outside the TXT text: no SPF hover.
    assert.equal(await hoverAt(doc, 'IN A    203.0.113.244'), '');
  });

  it('puts the lookup count over each SPF record, and a summary over the DKIM key and the DMARC record', async () => {
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', netUri);
    assert.deepEqual(
      lenses.map((l) => [l.range.start.line, l.command?.title]),
      [
        [14, 'SPF: 0/10 DNS lookups'],
        [48, 'DKIM key mail2024: rsa, 2048 bits'],
        [51, 'DMARC: p=quarantine · SPF ✓ DKIM ✓ in the zones'],
      ],
    );
  });

  it('outlines one symbol per owner name with its records, and folds the SOA', async () => {
    const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', netUri);
    const byName = new Map(symbols.map((s) => [s.name, s]));
    assert.deepEqual(symbols.map((s) => s.name).slice(0, 4), ['example.net', 'www.example.net', 'ns1.example.net', 'ns2.example.net']);
    assert.deepEqual(byName.get('example.net')?.children.map((c) => c.name), ['SOA', 'NS', 'NS', 'MX', 'MX', 'TXT', 'A']);
    assert.deepEqual(byName.get('smtp.example.net')?.children.map((c) => `${c.name} ${c.detail}`), ['A 203.0.113.25', 'AAAA 2001:db8:113::25']);
    const mail = byName.get('mail.example.net');
    assert.equal(mail?.selectionRange.start.line, 24);
    assert.equal(mail?.children[0].detail, '203.0.113.244');

    const folds = await vscode.commands.executeCommand<vscode.FoldingRange[]>('vscode.executeFoldingRangeProvider', netUri);
    assert.ok(folds.some((f) => f.start === 3 && f.end === 8), `no fold for the SOA in ${JSON.stringify(folds)}`);
  });

  it('applies the quick fix for the loop, and the findings in both zones follow the unsaved text', async () => {
    const doc = await vscode.workspace.openTextDocument(reverseUri);
    await vscode.window.showTextDocument(doc);
    const ds = await waitForDiagnostics(reverseUri, (x) => lineOf(x, 'ptr-loop').includes(15), 'a ptr-loop on line 16');
    const loop = ds.find((d) => d.range.start.line === 15)!;

    // The serial the fix writes: 2026030401 (YYYYMMDDnn) → today's date, nn 00, the day the fix was made.
    const days = [new Date()];
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', reverseUri, loop.range);
    const fix = actions.find((a) => a.title.startsWith('Change the PTR of 203.0.113.100 to web6.example.net (it has A 203.0.113.100); serial 2026030401 → '));
    assert.ok(fix, `quick fixes: ${actions.map((a) => a.title).join(' | ')}`);
    assert.equal(fix.kind?.value, 'quickfix');
    assert.equal(fix.isPreferred, true);
    assert.ok(fix.edit);
    // context.only: asking for quick fixes gives no source action, and the other way round.
    assert.ok(!actions.some((a) => a.kind?.value === 'source.fixAll.mailDns'));
    const sourceOnly = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', reverseUri, loop.range, 'source.fixAll');
    assert.ok(sourceOnly.every((a) => a.kind?.value !== 'quickfix'));

    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    days.push(new Date());
    assert.equal(doc.lineAt(15).text, '100             IN PTR  web6.example.net.');
    // The SOA's parenthesised serial line keeps its columns; only the number changes, the file's way.
    assert.ok(days.map((d) => `                        ${dateSerial(d, 0)} 7200 3600 1209600 300 )`).includes(doc.lineAt(4).text), doc.lineAt(4).text);
    assert.equal(doc.getText().split('\n').filter((l, i) => l !== fixtureLines(reverseUri)[i]).length, 2, 'the diff is the PTR line and the serial line');
    assert.equal(doc.isDirty, true);
    const after = await waitForDiagnostics(reverseUri, (x) => !lineOf(x, 'ptr-loop').includes(15) && lineOf(x, 'ptr-loop').length === 2, 'the loop of 203.0.113.100 gone');
    assert.deepEqual(lineOf(after, 'ptr-loop'), [16, 17]);
    // Nothing saved the edit (the browser's default auto-save is off in the test profile): the revert
    // below must find the file on disk as the fixture has it.
    assert.equal(doc.isDirty, true);
    // Re-linted across files: 203.0.113.100 in example.net's SPF now has a PTR that points back.
    const net = await waitForDiagnostics(netUri, (x) => !x.some((d) => d.message.startsWith('203.0.113.100 ')), 'no finding about 203.0.113.100');
    assert.equal(lineOf(net, 'mailhost-ptr-mismatch').length, 2, show(net));
  });

  it('fixes everything in the file with the source.fixAll.mailDns action', async () => {
    const doc = await vscode.workspace.openTextDocument(reverseUri);
    await waitForDiagnostics(reverseUri, (x) => lineOf(x, 'ptr-loop').length === 2, 'the two loops left');
    const whole = new vscode.Range(0, 0, doc.lineCount, 0);
    const serialBefore = /^ +(\d{10}) /.exec(doc.lineAt(4).text)![1];
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', reverseUri, whole, 'source.fixAll.mailDns');
    // Two fixes and one serial bump for both.
    assert.deepEqual(
      actions.map((a) => [a.kind?.value, a.title]),
      [['source.fixAll.mailDns', 'Fix all Mail DNS problems in this file (3 edits)']],
    );
    assert.ok(await vscode.workspace.applyEdit(actions[0].edit!));
    assert.equal(doc.lineAt(16).text, '244             IN PTR  mail.example.net.');
    assert.equal(doc.lineAt(17).text, '51              IN PTR  example.net.');
    // The serial the quick fix above wrote was today's with nn 00: one more, once.
    assert.equal(doc.lineAt(4).text, `                        ${Number(serialBefore) + 1} 7200 3600 1209600 300 )`);
    await waitForDiagnostics(reverseUri, (x) => x.length === 0, 'no findings left');
    await waitForDiagnostics(netUri, (x) => x.length === 0, 'no findings left in example.net');

    // Back to the file on disk: the loop is there again.
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await waitForDiagnostics(reverseUri, (x) => lineOf(x, 'ptr-loop').length === 3, 'the loop back after revert');
  });

  it('picks up zone files created on disk, and points into the files they $INCLUDE', async () => {
    const zoneUri = vscode.Uri.joinPath(folder, 'zones', 'example.com.zone');
    const spfUri = vscode.Uri.joinPath(folder, 'zones', 'example.com.spf');
    const spfText = '; SPF for example.com, kept in a file of its own\n@ IN TXT "v=spf1 ip4:192.0.2.0/24 +all"\n';
    const write = (uri: vscode.Uri, text: string) => vscode.workspace.fs.writeFile(uri, Buffer.from(text, 'utf8'));
    await write(spfUri, spfText);
    await write(zoneUri, '$TTL 3600\n@ IN SOA ns1 hostmaster 1 7200 3600 1209600 300\n  IN NS ns1\nns1 IN A 192.0.2.53\n$INCLUDE example.com.spf\n');
    try {
      // Neither file is open: the watcher saw example.com.zone, which reads example.com.spf.
      const ds = await waitForDiagnostics(spfUri, (x) => x.some((d) => codeOf(d) === 'spf-pass-all'), 'spf-pass-all');
      const d = ds.find((x) => codeOf(x) === 'spf-pass-all')!;
      const col = spfText.split('\n')[1].indexOf('+all');
      assert.deepEqual([d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character], [1, col, 1, col + 4]);
      assert.match(d.message, /anyone can send as example\.com/);
    } finally {
      await vscode.workspace.fs.delete(zoneUri);
      await vscode.workspace.fs.delete(spfUri);
    }
    await waitForDiagnostics(spfUri, (x) => x.length === 0, 'none once the files are gone');
  });

  it('a quick fix in an $INCLUDEd file bumps the serial in the zone\'s main file, the counter way', async () => {
    const zoneUri = vscode.Uri.joinPath(folder, 'zones', 'example.org.zone');
    // A .zone name: quick fixes are offered in dns-zone documents (an include named .spf shows its
    // diagnostics but is a plain-text document).
    const spfUri = vscode.Uri.joinPath(folder, 'zones', 'example.org-spf.zone');
    const write = (uri: vscode.Uri, text: string) => vscode.workspace.fs.writeFile(uri, Buffer.from(text, 'utf8'));
    await write(spfUri, '@\tIN\tTXT\t"v=spf1 ip4:192.0.2.0/24 +all"\n');
    await write(zoneUri, '$TTL 3600\n@\tIN\tSOA\tns1 hostmaster 41 7200 3600 1209600 300\n\tIN\tNS\tns1\nns1\tIN\tA\t192.0.2.53\n$INCLUDE example.org-spf.zone\n');
    try {
      const spfDoc = await vscode.workspace.openTextDocument(spfUri);
      await vscode.window.showTextDocument(spfDoc);
      // Quick fixes are offered for the text that was linted only. An edit of the open document
      // makes the lint that puts the finding on line 2 one of this very text.
      const edit = new vscode.WorkspaceEdit();
      edit.insert(spfUri, new vscode.Position(0, 0), '; SPF, kept apart\n');
      assert.ok(await vscode.workspace.applyEdit(edit));
      const ds = await waitForDiagnostics(spfUri, (x) => x.some((d) => codeOf(d) === 'spf-pass-all' && d.range.start.line === 1), 'spf-pass-all on line 2');
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', spfUri, ds.find((x) => codeOf(x) === 'spf-pass-all')!.range);
      const fix = actions.find((a) => a.title === 'Change +all to ~all (soft fail: mark, do not reject); serial 41 → 42');
      assert.ok(fix?.edit, `quick fixes: ${actions.map((a) => a.title).join(' | ')}`);
      assert.ok(await vscode.workspace.applyEdit(fix.edit));
      assert.equal(spfDoc.getText(), '; SPF, kept apart\n@\tIN\tTXT\t"v=spf1 ip4:192.0.2.0/24 ~all"\n');
      const zoneDoc = await vscode.workspace.openTextDocument(zoneUri);
      assert.equal(zoneDoc.lineAt(1).text, '@\tIN\tSOA\tns1 hostmaster 42 7200 3600 1209600 300');
      assert.equal(zoneDoc.isDirty, true);
      for (const doc of [zoneDoc, spfDoc]) {
        await vscode.window.showTextDocument(doc);
        await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      }
    } finally {
      await vscode.workspace.fs.delete(zoneUri);
      await vscode.workspace.fs.delete(spfUri);
    }
    await waitForDiagnostics(spfUri, (x) => x.length === 0, 'none once the files are gone');
  });

  describe('with live lookups on', () => {
    let dns: FaultDnsServer;
    let resolversBefore: string[] | undefined;

    before(async () => {
      // A loopback DNS server in this process, answering for one name outside the workspace.
      dns = await startFaultDns({
        records: {
          'spf.mail-provider.example': { TXT: ['v=spf1 a mx include:relays.mail-provider.example ~all'] },
          'relays.mail-provider.example': { TXT: ['v=spf1 ip4:192.0.2.0/24 a:out.mail-provider.example -all'] },
        },
      });
      const config = vscode.workspace.getConfiguration('mailDns');
      resolversBefore = config.inspect<string[]>('resolvers')?.workspaceValue;
      await config.update('resolvers', [dns.server], vscode.ConfigurationTarget.Workspace);
      await config.update('zone.liveLookups', true, vscode.ConfigurationTarget.Workspace);
    });

    after(async () => {
      const config = vscode.workspace.getConfiguration('mailDns');
      await config.update('zone.liveLookups', false, vscode.ConfigurationTarget.Workspace);
      await config.update('resolvers', resolversBefore, vscode.ConfigurationTarget.Workspace);
      await dns?.stop();
    });

    it('shows an include target as DNS has it, with the lookups of its branch', async () => {
      assert.equal(vscode.workspace.isTrusted, true);
      const doc = await vscode.workspace.openTextDocument({
        language: 'dns-zone',
        content: '$ORIGIN example.com.\n$TTL 3600\n@ IN SOA ns1 hostmaster 1 7200 3600 1209600 300\n  IN NS ns1\n  IN TXT "v=spf1 mx include:spf.mail-provider.example -all"\nns1 IN A 192.0.2.53\n',
      });
      await vscode.window.showTextDocument(doc);
      try {
        const text = await hoverAt(doc, 'include:spf', 3);
        assert.match(text, /`include:spf\.mail-provider\.example` — mechanism "include"/);
        assert.match(text, /Runs spf\.mail-provider\.example's SPF record/);
        assert.match(text, /\[RFC 7208 §5\.2\]/);
        assert.ok(text.includes(`DNS (\`${dns.server}\`): \`v=spf1 a mx include:relays.mail-provider.example ~all\``), text);
        // include itself, then a, mx, include inside, and the a: in relays: 1 + 4.
        assert.match(text, /This branch: 5 DNS lookups \(1 for the term, 4 inside\)/);
        assert.ok(dns.queries.some((q) => q.name === 'relays.mail-provider.example' && q.type === 'TXT'));
      } finally {
        await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      }
    });
  });
});

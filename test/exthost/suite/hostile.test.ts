// Runs inside the extension host on the hostile folder test/exthost/hostile.test.ts makes (only
// there: MAILDNS_TEST_HOSTILE): a symlink loop, a link to /, FIFOs, a 17 MiB file, and a zone that $INCLUDEs
// /dev/zero, a FIFO, ../../etc/passwd, /proc/self/environ and a symlink to /etc/hosts.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { MailDnsApi } from '../../../src/vscode/api';
import { EXTENSION_ID } from './helpers';

const SOURCE = 'Mail DNS';

function codeOf(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' ? String(d.code.value) : String(d.code);
}

function show(ds: readonly vscode.Diagnostic[]): string {
  return ds.map((d) => `${d.range.start.line}:${d.range.start.character} ${codeOf(d)} ${d.message}`).join('\n') || '(none)';
}

/** Resolves with the extension's diagnostics of `uri` once `ready` holds for them (now, or on the event that makes it so). */
function diagnosticsOf(uri: vscode.Uri, ready: (ds: vscode.Diagnostic[]) => boolean): Promise<vscode.Diagnostic[]> {
  const ours = () => vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);
  return new Promise((resolve) => {
    const check = (): boolean => {
      const ds = ours();
      if (!ready(ds)) return false;
      sub?.dispose();
      resolve(ds);
      return true;
    };
    let sub: vscode.Disposable | undefined;
    if (check()) return;
    sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString())) check();
    });
  });
}

describe('Hostile workspace: zone files (issue 9)', function () {
  this.timeout(60_000);
  let folder: vscode.Uri;

  before(() => {
    folder = vscode.workspace.workspaceFolders![0].uri;
  });

  it('issue 9 #1: activates in a folder with a symlink loop and a link to /', async () => {
    const ext = vscode.extensions.getExtension<MailDnsApi>(EXTENSION_ID);
    assert.ok(ext);
    // Before the fix this never settled: activate() searched the loop synchronously.
    const api = await ext.activate();
    assert.equal(typeof api.checkRdns, 'function');
  });

  it('issue 9 #3, #14: the zone that $INCLUDEs /dev/zero, a FIFO, /etc/passwd and /proc/self/environ gets its findings, nothing read', async () => {
    const uri = vscode.Uri.joinPath(folder, 'db.example.com');
    const want = ['4 zone-include-outside', '5 zone-file-not-regular', '6 zone-include-outside', '7 zone-include-outside', '8 zone-include-outside'];
    const got = (ds: vscode.Diagnostic[]) => ds.map((d) => `${d.range.start.line} ${codeOf(d)}`).sort();
    const ds = await diagnosticsOf(uri, (d) => want.every((w) => got(d).includes(w)));
    assert.deepEqual(got(ds), want, show(ds));
    const message = (line: number) => ds.find((d) => d.range.start.line === line)!.message;
    assert.equal(message(4), 'not read: /dev/zero is outside the workspace folders (in the editor a zone may $INCLUDE only files inside them)');
    assert.match(message(5), /fifo\.inc is a FIFO, not a regular file$/);
    assert.match(message(8), /hosts\.inc \(a symlink to \/etc\/hosts\) is outside the workspace folders/);
    // Nothing outside the folder was read: no diagnostic anywhere is about a file outside it.
    const elsewhere = vscode.languages.getDiagnostics().filter(([u, d]) => d.some((x) => x.source === SOURCE) && !u.fsPath.startsWith(folder.fsPath + '/'));
    assert.deepEqual(elsewhere.map(([u]) => u.toString()), []);
  });

  it('issue 9 #1: the search found the closed zone file once, not through the loop or the link to /', async () => {
    const uri = vscode.Uri.joinPath(folder, 'example.net.zone');
    const ds = await diagnosticsOf(uri, (d) => d.some((x) => codeOf(x) === 'zone-missing-final-dot'));
    assert.deepEqual(ds.map((d) => `${d.range.start.line} ${codeOf(d)}`).sort(), ['5 zone-missing-final-dot', '5 zone-target-no-address'], show(ds));
    const viaLinks = vscode.languages.getDiagnostics().filter(([u]) => /\/(a|b|root)\//.test(u.fsPath.slice(folder.fsPath.length)));
    assert.deepEqual(viaLinks.map(([u]) => u.toString()), []);
  });

  it('issue 9 #3: a zone file over 16 MiB is one finding, not read', async () => {
    const uri = vscode.Uri.joinPath(folder, 'db.huge.example');
    const ds = await diagnosticsOf(uri, (d) => d.length > 0);
    assert.deepEqual(
      ds.map((d) => `${d.range.start.line}:${d.range.start.character} ${codeOf(d)} ${d.message}`),
      [`0:0 zone-file-too-big not read: ${uri.fsPath} is 17 MiB, more than the 16 MiB one zone file may have (docs/security.md)`],
    );
  });

  it('issue 9: the editor answers: a command round trip through the extension host completes', async () => {
    const uri = vscode.Uri.joinPath(folder, 'db.example.com');
    const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', uri);
    assert.deepEqual(
      symbols.map((s) => s.name),
      ['example.com', 'ns1.example.com', 'www.example.com'],
    );
  });
});

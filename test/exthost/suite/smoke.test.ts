// Runs inside the extension host: the extension is there, activates, hands out its API and
// registers every command its manifest contributes.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { MailDnsApi } from '../../../src/vscode/api';

const EXTENSION_ID = 'maildns.mail-dns-doctor';

describe('smoke: Mail DNS Doctor in the extension host', () => {
  let extension: vscode.Extension<MailDnsApi>;

  before(() => {
    const found = vscode.extensions.getExtension<MailDnsApi>(EXTENSION_ID);
    assert.ok(found, `extension ${EXTENSION_ID} is not loaded; loaded: ${vscode.extensions.all.map((e) => e.id).filter((id) => !id.startsWith('vscode.')).join(', ')}`);
    extension = found;
  });

  it('runs in a workspace with a folder open', () => {
    assert.ok(vscode.workspace.workspaceFolders?.length, 'no workspace folder is open');
  });

  it('activates and returns its API', async () => {
    const api = await extension.activate();
    assert.equal(extension.isActive, true);
    assert.ok(api, 'activate() returned nothing');
    assert.equal(typeof api.checkRdns, 'function');
    assert.equal(typeof api.treeSnapshot, 'function');
    assert.equal(typeof api.onDidRenderReport, 'function');
  });

  it('registers every command it contributes', async () => {
    await extension.activate();
    const contributed = (extension.packageJSON.contributes?.commands ?? []) as { command: string }[];
    const ids = contributed.map((c) => c.command);
    assert.ok(ids.includes('mailDns.checkRdns'), `mailDns.checkRdns is not in package.json: ${ids.join(', ')}`);
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = ids.filter((id) => !registered.has(id));
    assert.deepEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
  });
});

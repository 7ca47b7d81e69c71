// Runs inside the extension host on the copy of demo/, against the mail-zones BIND
// (MAILDNS_TEST_MAIL_DNS) and, for the classless case, the fixture-zones BIND: Apply on the fixes
// of the send-as, SPF, combined mail-server, DKIM, HELO and MX reports, and on a PTR in an RFC 2317
// classless delegation. The workspace gets copies of the zones those checks find wrong (written
// under apply-tests/ and removed afterwards); each Apply is asserted line by line (the record and
// the serial, in two files where the record is in an $INCLUDEd one) with the verdict of the check
// run again against the edited zones; then Check Live Again on each kind.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { MailDnsApi } from '../../../src/vscode/api';
import type { ApplyFixOutcome } from '../../../src/vscode/applyFix';
import type { LiveAgainOutcome } from '../../../src/vscode/liveAgain';
import { EXTENSION_ID, setting, waitForReport } from './helpers';
import { changedLines } from '../../harness/lineDiff';

// out/test/exthost/suite → the repository.
const REPO = path.resolve(__dirname, '..', '..', '..', '..');
const MAIL_ZONES = path.join(REPO, 'test', 'fixtures', 'mail-zones');

interface Fix {
  owner?: string;
  type?: string;
  proposed?: string;
  record?: string;
  applyTo?: string;
}
interface Finding {
  code: string;
  fix?: Fix;
}

const SERIAL = /^\s+20\d{8} 7200 3600 1209600 300 \)$/;

describe('Apply on the send-as, SPF, mail-server, DKIM, HELO and MX reports (mail-zones BIND)', function () {
  this.timeout(120_000);
  let api: MailDnsApi;
  const mailDns = process.env.MAILDNS_TEST_MAIL_DNS ?? '';
  const changed = ['resolvers', 'dnsbl.zones'];
  const previous = new Map<string, unknown>();
  let dir: string;
  const file = (name: string) => path.join(dir, name);
  const uri = (name: string) => vscode.Uri.file(file(name));
  // The workspace's copies of the zones the checks find wrong. newco.example keeps its mail records
  // in an $INCLUDEd file, so the SPF fix touches two files: the record there, the serial here.
  const NEWCO = `$ORIGIN newco.example.
$TTL 3600
@               IN SOA  ns1.newco.example. hostmaster.newco.example. (
                        2026010101 7200 3600 1209600 300 )
                IN NS   ns1.newco.example.
                IN MX   10 mail.newco.example.
$INCLUDE newco-mail.inc
ns1             IN A    203.0.113.53
mail            IN A    203.0.113.200
`;
  const NEWCO_MAIL = `; newco.example's mail records, kept apart (the same as the test BIND serves).
@               IN TXT  "v=spf1 ip4:203.0.113.200 -all"
`;
  let dynatron: string;
  let mxcases: string;

  /** Each test starts from the files as on disk; the documents stay open (the editor's zones). */
  async function revertAll(): Promise<void> {
    for (const name of ['newco.example.zone', 'newco-mail.inc', 'dynatron.example.zone', 'mxcases.example.zone']) {
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === file(name));
      if (!doc?.isDirty) continue;
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
  }

  before(async () => {
    assert.match(mailDns, /^127\.0\.0\.1:\d+$/, 'MAILDNS_TEST_MAIL_DNS names the mail-zones BIND');
    const ext = vscode.extensions.getExtension<MailDnsApi>(EXTENSION_ID);
    assert.ok(ext);
    api = await ext.activate();
    const config = vscode.workspace.getConfiguration('mailDns');
    for (const key of changed) previous.set(key, config.inspect(key)?.workspaceValue);
    await setting('resolvers', [mailDns]);
    await setting('dnsbl.zones', ['bl.example']);
    dir = path.join(vscode.workspace.workspaceFolders![0].uri.fsPath, 'apply-tests');
    fs.mkdirSync(dir, { recursive: true });
    dynatron = `$ORIGIN dynatron.example.\n${fs.readFileSync(path.join(MAIL_ZONES, 'dynatron.example.zone'), 'utf8')}`;
    fs.writeFileSync(file('newco.example.zone'), NEWCO);
    fs.writeFileSync(file('newco-mail.inc'), NEWCO_MAIL);
    fs.writeFileSync(file('dynatron.example.zone'), dynatron);
    mxcases = `$ORIGIN mxcases.example.\n${fs.readFileSync(path.join(MAIL_ZONES, 'mxcases.example.zone'), 'utf8')}`;
    fs.writeFileSync(file('mxcases.example.zone'), mxcases);
    // Open as documents, the zones are the editor's at once (no wait for the file watcher).
    for (const name of ['newco.example.zone', 'dynatron.example.zone', 'mxcases.example.zone']) await vscode.workspace.openTextDocument(uri(name));
  });

  afterEach(revertAll);

  after(async () => {
    await revertAll();
    for (const d of vscode.workspace.textDocuments.filter((x) => x.uri.fsPath.startsWith(dir + path.sep))) {
      await vscode.window.showTextDocument(d);
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    }
    fs.rmSync(dir, { recursive: true, force: true });
    for (const key of changed) await setting(key, previous.get(key));
  });

  /** The SPF fix's edit of newco.example: the record in newco-mail.inc, the serial in newco.example.zone. */
  async function assertSpfEdit(): Promise<void> {
    const incDoc = await vscode.workspace.openTextDocument(uri('newco-mail.inc'));
    // In the editor, unsaved: the $INCLUDEd file no editor showed is not saved behind the user's back.
    assert.equal(incDoc.isDirty, true);
    assert.equal(fs.readFileSync(file('newco-mail.inc'), 'utf8'), NEWCO_MAIL);
    const inc = changedLines(NEWCO_MAIL, incDoc.getText());
    assert.deepEqual(inc, [['@               IN TXT  "v=spf1 ip4:203.0.113.200 -all"', '@               IN TXT  "v=spf1 ip4:203.0.113.200 ip4:203.0.113.60 -all"']]);
    const parent = changedLines(NEWCO, (await vscode.workspace.openTextDocument(uri('newco.example.zone'))).getText());
    assert.equal(parent.length, 1, JSON.stringify(parent));
    assert.equal(parent[0][0], '                        2026010101 7200 3600 1209600 300 )');
    assert.match(parent[0][1] ?? '', SERIAL);
  }

  it('send-as: the SPF fix is applied in the $INCLUDEd file, the serial in the parent; the re-check authorizes the IP', async () => {
    const result = (await vscode.commands.executeCommand('mailDns.sendAs', { ip: '203.0.113.60', domain: 'newco.example' })) as { findings: Finding[] } | undefined;
    assert.ok(result);
    const fix = result.findings.find((f) => f.code === 'send-as-not-authorized')?.fix;
    assert.equal(fix?.applyTo, 'newco-mail.inc');
    assert.equal(fix?.proposed, 'v=spf1 ip4:203.0.113.200 ip4:203.0.113.60 -all');
    const outcome = await vscode.commands.executeCommand<ApplyFixOutcome>('mailDns.applyFix', { code: 'send-as-not-authorized', preview: false });
    assert.equal(outcome.applied, true, outcome.reason);
    assert.match(outcome.description ?? '', /in newco-mail\.inc; serial 2026010101 → 20\d{8} in newco\.example\.zone\.$/);
    await assertSpfEdit();
    assert.equal(outcome.recheck?.fixed, true, outcome.recheck?.summary);
    assert.match(outcome.recheck?.summary ?? '', /^Fixed in the edited zones: newco\.example's SPF gives pass for 203\.0\.113\.60/);
    assert.match(outcome.recheck?.remaining[1] ?? '', /up to 3600 seconds more \(its TTL\)/);
  });

  it('Check SPF: a:<address> (a permerror) becomes ip4:<address> in the record where it lives, one line and the serial; the re-check passes', async () => {
    const result = (await vscode.commands.executeCommand('mailDns.checkSpf', { ip: '203.0.113.60', domain: 'shop.dynatron.example' })) as { result: string; findings: Finding[] } | undefined;
    assert.equal(result?.result, 'permerror');
    const fix = result!.findings.find((f) => f.code === 'spf-address-as-domain')?.fix;
    assert.deepEqual([fix?.proposed, fix?.applyTo], ['v=spf1 ip4:203.0.113.60 -all', 'dynatron.example.zone']);
    const outcome = await vscode.commands.executeCommand<ApplyFixOutcome>('mailDns.applyFix', { code: 'spf-address-as-domain', preview: false });
    assert.equal(outcome.applied, true, outcome.reason);
    const lines = changedLines(dynatron, (await vscode.workspace.openTextDocument(uri('dynatron.example.zone'))).getText());
    assert.equal(lines.length, 2, JSON.stringify(lines));
    assert.match(lines[0][1] ?? '', SERIAL);
    assert.deepEqual(lines[1], ['shop            IN TXT  "v=spf1 a:203.0.113.60 -all"', 'shop            IN TXT  "v=spf1 ip4:203.0.113.60 -all"']);
    assert.equal(outcome.recheck?.fixed, true, outcome.recheck?.summary);
    assert.match(outcome.recheck?.summary ?? '', /^Fixed in the edited zones: SPF of shop\.dynatron\.example gives pass for 203\.0\.113\.60/);
  });

  it('Check mail server: the SPF row offers Apply to newco-mail.inc in the report; applied from the row, the re-check passes that row', async () => {
    const subject = '203.0.113.60, HELO web6.dynatron.example, @newco.example';
    const rendered = waitForReport(api, 'mailcheck', subject);
    const result = (await vscode.commands.executeCommand('mailDns.checkMailServer', { ip: '203.0.113.60', helo: 'web6.dynatron.example', fromDomain: 'newco.example' })) as
      | { rows: { id: string; status: string; fix?: Fix }[] }
      | undefined;
    assert.ok(result);
    const spf = result.rows.find((r) => r.id === 'spf-from');
    assert.equal(spf?.status, 'fail');
    assert.equal(spf?.fix?.applyTo, 'newco-mail.inc', JSON.stringify(result.rows.map((r) => [r.id, r.status, r.fix])));
    // The DMARC row's starter record goes beside the other TXT record at the apex, in the same file.
    assert.equal(result.rows.find((r) => r.id === 'dmarc')?.fix?.applyTo, 'newco-mail.inc');
    const text = await rendered;
    assert.match(text, /Apply to newco-mail\.inc/);
    assert.match(text, /Check live again/);
    const recheck = waitForReport(api, 'mailcheck', `${subject} (edited zones)`);
    const outcome = await vscode.commands.executeCommand<ApplyFixOutcome>('mailDns.applyFix', { row: 'spf-from', preview: false });
    assert.equal(outcome.applied, true, outcome.reason);
    await assertSpfEdit();
    assert.equal(outcome.recheck?.fixed, true, outcome.recheck?.summary);
    assert.match(outcome.recheck?.summary ?? '', /^Fixed in the edited zones: SPF for the From domain \(newco\.example\): pass/);
    assert.match(await recheck, /Re-check against the edited zones/);
  });

  it('Check mail server: the DKIM row (selector given) and the HELO row (a name without an address) apply in dynatron.example.zone; each re-check clears that row\'s finding', async () => {
    const dkimCheck = (await vscode.commands.executeCommand('mailDns.checkMailServer', { ip: '203.0.113.60', helo: 'web6.dynatron.example', fromDomain: 'dynatron.example', dkimSelector: 'legacy' })) as
      | { rows: { id: string; status: string; fix?: Fix }[] }
      | undefined;
    assert.equal(dkimCheck?.rows.find((r) => r.id === 'dkim')?.fix?.applyTo, 'dynatron.example.zone');
    const dkim = await vscode.commands.executeCommand<ApplyFixOutcome>('mailDns.applyFix', { row: 'dkim', preview: false });
    assert.equal(dkim.applied, true, dkim.reason);
    const dkimLines = changedLines(dynatron, (await vscode.workspace.openTextDocument(uri('dynatron.example.zone'))).getText());
    assert.deepEqual(dkimLines.slice(1), [['legacy._domainkey\tIN\tTXT\t( "v=DKIM1; h=sha1; k=rsa; "', 'legacy._domainkey\tIN\tTXT\t( "v=DKIM1; h=sha256; k=rsa; "']]);
    assert.equal(dkim.recheck?.fixed, true, dkim.recheck?.summary);
    assert.match(dkim.recheck?.summary ?? '', /^Fixed in the edited zones: DKIM key \(legacy\._domainkey\.dynatron\.example\): pass .*\(dkim-key-no-sha256 is gone\)/);
    await revertAll();

    const heloCheck = (await vscode.commands.executeCommand('mailDns.checkMailServer', { ip: '203.0.113.60', helo: 'nodata.dynatron.example', fromDomain: 'dynatron.example' })) as
      | { rows: { id: string; status: string; fix?: Fix }[] }
      | undefined;
    const heloFix = heloCheck?.rows.find((r) => r.id === 'helo')?.fix;
    assert.deepEqual([heloFix?.owner, heloFix?.type, heloFix?.proposed, heloFix?.applyTo], ['nodata.dynatron.example', 'A', '203.0.113.60', 'dynatron.example.zone']);
    const helo = await vscode.commands.executeCommand<ApplyFixOutcome>('mailDns.applyFix', { row: 'helo', preview: false });
    assert.equal(helo.applied, true, helo.reason);
    const heloLines = changedLines(dynatron, (await vscode.workspace.openTextDocument(uri('dynatron.example.zone'))).getText());
    assert.deepEqual(heloLines.slice(1), [[undefined, '                IN A    203.0.113.60']]);
    assert.equal(helo.recheck?.fixed, true, helo.recheck?.summary);
    assert.match(helo.recheck?.summary ?? '', /\(helo-no-address is gone\)/);
  });

  it('Check DKIM key: h=sha1 becomes h=sha256 in the key\'s own string (one line) and the serial; the re-check finds no dkim-key-no-sha256', async () => {
    const result = (await vscode.commands.executeCommand('mailDns.checkDkim', { selector: 'legacy', domain: 'dynatron.example' })) as { findings: Finding[] } | undefined;
    const fix = result?.findings.find((f) => f.code === 'dkim-key-no-sha256')?.fix;
    assert.equal(fix?.applyTo, 'dynatron.example.zone');
    const outcome = await vscode.commands.executeCommand<ApplyFixOutcome>('mailDns.applyFix', { code: 'dkim-key-no-sha256', preview: false });
    assert.equal(outcome.applied, true, outcome.reason);
    const lines = changedLines(dynatron, (await vscode.workspace.openTextDocument(uri('dynatron.example.zone'))).getText());
    assert.equal(lines.length, 2, JSON.stringify(lines));
    assert.match(lines[0][1] ?? '', SERIAL);
    assert.deepEqual(lines[1], ['legacy._domainkey\tIN\tTXT\t( "v=DKIM1; h=sha1; k=rsa; "', 'legacy._domainkey\tIN\tTXT\t( "v=DKIM1; h=sha256; k=rsa; "']);
    assert.equal(outcome.recheck?.fixed, true, outcome.recheck?.summary);
    assert.match(outcome.recheck?.summary ?? '', /^Fixed in the edited zones: DKIM key legacy\._domainkey\.dynatron\.example: pass \(dkim-key-no-sha256 is gone\)/);
  });

  it('Check HELO name: a name without an address, its zone in the workspace: the fix is its A record; the re-check finds no helo-no-address', async () => {
    const result = (await vscode.commands.executeCommand('mailDns.checkHelo', { name: 'nodata.dynatron.example', ip: '203.0.113.60' })) as { findings: Finding[] } | undefined;
    const fix = result?.findings.find((f) => f.code === 'helo-no-address')?.fix;
    assert.deepEqual([fix?.owner, fix?.type, fix?.proposed, fix?.applyTo], ['nodata.dynatron.example', 'A', '203.0.113.60', 'dynatron.example.zone']);
    const outcome = await vscode.commands.executeCommand<ApplyFixOutcome>('mailDns.applyFix', { code: 'helo-no-address', preview: false });
    assert.equal(outcome.applied, true, outcome.reason);
    const lines = changedLines(dynatron, (await vscode.workspace.openTextDocument(uri('dynatron.example.zone'))).getText());
    assert.equal(lines.length, 2, JSON.stringify(lines));
    assert.match(lines[0][1] ?? '', SERIAL);
    // After nodata's TXT, the owner left blank as the file writes repeated owners.
    assert.deepEqual(lines[1], [undefined, '                IN A    203.0.113.60']);
    assert.equal(outcome.recheck?.fixed, true, outcome.recheck?.summary);
    assert.match(outcome.recheck?.remaining[1] ?? '', /negative-caching TTL, RFC 2308 §5/);
  });

  it('Check MX: an MX naming an alias points at the canonical name instead (one line and the serial); the re-check finds no mx-target-cname', async () => {
    const result = (await vscode.commands.executeCommand('mailDns.checkMx', { domain: 'cname.mxcases.example' })) as { findings: Finding[] } | undefined;
    const fix = result?.findings.find((f) => f.code === 'mx-target-cname')?.fix;
    assert.deepEqual([fix?.proposed, fix?.applyTo], ['10 mx1.multi.mxcases.example', 'mxcases.example.zone']);
    const outcome = await vscode.commands.executeCommand<ApplyFixOutcome>('mailDns.applyFix', { code: 'mx-target-cname', preview: false });
    assert.equal(outcome.applied, true, outcome.reason);
    const lines = changedLines(mxcases, (await vscode.workspace.openTextDocument(uri('mxcases.example.zone'))).getText());
    assert.equal(lines.length, 2, JSON.stringify(lines));
    assert.match(lines[0][1] ?? '', SERIAL);
    assert.deepEqual(lines[1], ['cname           IN MX   10 alias.cname.mxcases.example.', 'cname           IN MX   10 mx1.multi.mxcases.example.']);
    assert.equal(outcome.recheck?.fixed, true, outcome.recheck?.summary);
    assert.equal(outcome.recheck?.summary, 'Fixed in the edited zones: MX of cname.mxcases.example: pass (mx-target-cname is gone), before anything is published.');
  });

  it('Check Live Again on every kind with Apply: each re-runs against the resolvers and compares with its own first run', async () => {
    const runs: [string, unknown][] = [
      ['mailDns.sendAs', { ip: '203.0.113.60', domain: 'newco.example' }],
      ['mailDns.checkSpf', { ip: '203.0.113.60', domain: 'shop.dynatron.example' }],
      ['mailDns.checkHelo', { name: 'nodata.dynatron.example', ip: '203.0.113.60' }],
      ['mailDns.checkMx', { domain: 'cname.mxcases.example' }],
      ['mailDns.checkDmarc', { domain: 'newco.example' }],
      ['mailDns.checkDkim', { selector: 'legacy', domain: 'dynatron.example' }],
      ['mailDns.checkMailServer', { ip: '203.0.113.60', helo: 'web6.dynatron.example', fromDomain: 'newco.example' }],
      ['mailDns.checkRdns', '203.0.113.60'],
    ];
    for (const [command, arg] of runs) {
      await vscode.commands.executeCommand(command, arg);
      const outcome = await vscode.commands.executeCommand<LiveAgainOutcome>('mailDns.checkLiveAgain');
      assert.equal(outcome.reason, undefined, command);
      assert.equal(outcome.baseline, undefined, `${command} records its answers`);
      assert.deepEqual(outcome.diff?.changes, [], command);
      assert.ok((outcome.diff?.unchanged ?? 0) >= 1, `${command}: ${JSON.stringify(outcome.diff)}`);
    }
  });
});

describe('Apply on a PTR in an RFC 2317 classless delegation (fixture-zones BIND)', function () {
  this.timeout(90_000);
  let dir: string;
  const child = () => vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, 'zones', '64-26.100.51.198.in-addr.arpa.zone');

  before(async () => {
    const ext = vscode.extensions.getExtension<MailDnsApi>(EXTENSION_ID);
    assert.ok(ext);
    await ext.activate();
    // A host the workspace names at 198.51.100.71: the name the PTR fix proposes.
    dir = path.join(vscode.workspace.workspaceFolders![0].uri.fsPath, 'apply-tests-classless');
    fs.mkdirSync(dir, { recursive: true });
    const zone = path.join(dir, 'office.example.zone');
    fs.writeFileSync(zone, `$ORIGIN office.example.\n$TTL 3600\n@ IN SOA ns1.office.example. hostmaster.office.example. 7 7200 3600 1209600 300\n  IN NS ns1.office.example.\nns1 IN A 198.51.100.53\nrelay2 IN A 198.51.100.71\n`);
    await vscode.workspace.openTextDocument(vscode.Uri.file(zone));
  });

  after(async () => {
    for (const d of vscode.workspace.textDocuments.filter((x) => x.uri.fsPath.startsWith(dir + path.sep) || x.uri.toString() === child().toString())) {
      await vscode.window.showTextDocument(d);
      if (d.isDirty) await vscode.commands.executeCommand('workbench.action.files.revert');
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('198.51.100.71: the PTR lands under the CNAME\'d name in the customer\'s zone file (the record and its serial); the re-check passes', async () => {
    const onDisk = fs.readFileSync(child().fsPath, 'utf8');
    const result = (await vscode.commands.executeCommand('mailDns.checkRdns', '198.51.100.71')) as { findings: Finding[] } | undefined;
    assert.ok(result);
    const index = result.findings.findIndex((f) => f.fix?.applyTo !== undefined);
    assert.ok(index >= 0, JSON.stringify(result.findings.map((f) => [f.code, f.fix?.record])));
    const fix = result.findings[index].fix!;
    assert.equal(fix.proposed, 'relay2.office.example');
    assert.equal(fix.applyTo, '64-26.100.51.198.in-addr.arpa.zone');
    const outcome = await vscode.commands.executeCommand<ApplyFixOutcome>('mailDns.applyFix', { finding: index, preview: false });
    assert.equal(outcome.applied, true, outcome.reason);
    // The check followed the parent's CNAME (RFC 2317): the fix names the record in the child zone.
    assert.equal(fix.record, '71.64/26.100.51.198.in-addr.arpa. 3600 IN PTR relay2.office.example.');
    assert.match(outcome.description ?? '', /^Add 71\.64\/26\.100\.51\.198\.in-addr\.arpa PTR relay2\.office\.example in 64-26\.100\.51\.198\.in-addr\.arpa\.zone; serial 2026030401 → 20\d{8}\.$/);
    const lines = changedLines(onDisk, (await vscode.workspace.openTextDocument(child())).getText());
    assert.equal(lines.length, 2, JSON.stringify(lines));
    assert.deepEqual(lines[0], ['                        2026030401 7200 3600 1209600 300 )', lines[0][1]]);
    assert.match(lines[0][1] ?? '', SERIAL);
    assert.deepEqual(lines[1], [undefined, '71              IN PTR  relay2.office.example.']);
    assert.equal(outcome.recheck?.fixed, true, outcome.recheck?.summary);
    assert.match(outcome.recheck?.summary ?? '', /Fixed in the edited zones: 198\.51\.100\.71 → relay2\.office\.example → 198\.51\.100\.71 \(iprev pass\)/);
  });
});

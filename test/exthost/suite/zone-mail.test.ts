// Runs inside the extension host: DMARC and DKIM records in a zone file as VS Code asks for them —
// diagnostics with codes linked to docs/zone-lint.md and ranges inside the quoted strings, hovers
// on the tags, the lenses over the records, and the quick fixes of a `_dmarc` and a `_domainkey`
// record applied until the zone lints clean. From the text alone (live lookups off).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { requestScreenshot } from './index';

const SOURCE = 'Mail DNS';

function codeOf(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' ? String(d.code.value) : String(d.code);
}

function show(ds: readonly vscode.Diagnostic[]): string {
  return ds.map((d) => `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${codeOf(d)} ${d.message}`).join('\n') || '(none)';
}

/** The extension's diagnostics of `uri` once `ready` holds for them (at once, or on the event that makes it so). */
function waitForDiagnostics(uri: vscode.Uri, ready: (ds: vscode.Diagnostic[]) => boolean, what: string, timeoutMs = 20_000): Promise<vscode.Diagnostic[]> {
  const ours = () => vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);
  return new Promise((resolve, reject) => {
    let sub: vscode.Disposable | undefined;
    const timer = setTimeout(() => {
      sub?.dispose();
      reject(new Error(`no diagnostics with ${what} within ${timeoutMs} ms; now:\n${show(ours())}`));
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

async function hoverAt(doc: vscode.TextDocument, needle: string, skip = 1): Promise<string> {
  const offset = doc.getText().indexOf(needle);
  assert.ok(offset >= 0, `${needle} is not in the document`);
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, doc.positionAt(offset + skip));
  return hovers
    .flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value)))
    .join('\n')
    .replace(/\\([!-/:-@[-`{-~])/g, '$1');
}

/** Where `needle` is in line `line` of the document: [line, start, line, end]. */
function place(doc: vscode.TextDocument, line: number, needle: string): number[] {
  const col = doc.lineAt(line).text.indexOf(needle);
  assert.ok(col >= 0, `${needle} is not on line ${line}: ${doc.lineAt(line).text}`);
  return [line, col, line, col + needle.length];
}

const range = (d: vscode.Diagnostic) => [d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character];

async function applyQuickFix(doc: vscode.TextDocument, d: vscode.Diagnostic, title: string): Promise<void> {
  const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, d.range);
  // Each fix also bumps the zone's serial, and says so after its own description.
  const fix = actions.find((a) => a.title === title || a.title.startsWith(`${title}; serial `));
  assert.ok(fix, `quick fixes: ${actions.map((a) => a.title).join(' | ')}`);
  assert.equal(fix.kind?.value, 'quickfix');
  assert.equal(fix.isPreferred, true);
  assert.ok(fix.edit && (await vscode.workspace.applyEdit(fix.edit)));
}

describe('Zone files: DMARC and DKIM records', function () {
  this.timeout(60_000);
  let liveBefore: boolean | undefined;

  before(async () => {
    const found = vscode.extensions.getExtension('maildns.mail-dns-doctor');
    assert.ok(found);
    await found.activate();
    const config = vscode.workspace.getConfiguration('mailDns');
    liveBefore = config.inspect<boolean>('zone.liveLookups')?.workspaceValue;
    await config.update('zone.liveLookups', false, vscode.ConfigurationTarget.Workspace);
  });

  after(async () => {
    await vscode.workspace.getConfiguration('mailDns').update('zone.liveLookups', liveBefore, vscode.ConfigurationTarget.Workspace);
  });

  it('diagnoses a _dmarc and a _domainkey record, explains their tags, shows their lenses, and fixes both', async () => {
    // A 2048-bit RSA key (from a generated key pair), split into strings of at most 255 characters as signers print it.
    const key =
      'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA4w2yxhAymFAlRdQ63zVCrpoAsMKEHKgkLprWqIr7udGhbMOmn6v+0ebhGYdGu20jJiWkdm6JahPqgRKzbESb0rZRjirESVrr4ulgw8wDfRFomYGZPAwdEBVTTnmTgwaY9CY/LY9sbKYZcTsdxP9LsnPN62xxArpbnsLn/jtPlZ9HrUrvv0MXFBKpYle3UySzIx/xyj/FA+yueupSDTgABTUzbqVR2N+G43pwW12N2G0rU+kfuabxXoYS5u0RUmew1iaCG9EMgPpXqAvDOkrJ/NDelNjyH12o+kFeZHJa9SskBQ+JB1o9no21FVJPgOmBeAsByqAAziZpRiGNqWimJQIDAQAB';
    const content = [
      '$ORIGIN example.com.',
      '$TTL 3600',
      '@ IN SOA ns1 hostmaster 1 7200 3600 1209600 300',
      '  IN NS ns1',
      '  IN MX 10 mail',
      '  IN TXT "v=spf1 mx -all"',
      'ns1 IN A 192.0.2.53',
      'mail IN A 192.0.2.25',
      `s1._domainkey IN TXT ( "v=DKIM1; h=sha1; k=rsa; "`,
      `    "p=${key.slice(0, 200)}"`,
      `    "${key.slice(200)}" )`,
      '_dmarc IN TXT ( "v=DMARC1; p=rejct; "',
      '    "sp=quarantine; rua=dmarc@example.com" )',
      '',
    ].join('\n');
    const doc = await vscode.workspace.openTextDocument({ language: 'dns-zone', content });
    await vscode.window.showTextDocument(doc);
    try {
      const ds = await waitForDiagnostics(doc.uri, (x) => ['dmarc-invalid-value', 'dmarc-uri-no-scheme', 'dkim-key-no-sha256'].every((c) => x.some((d) => codeOf(d) === c)), 'the DMARC and DKIM findings');
      const byCode = (c: string) => ds.find((d) => codeOf(d) === c)!;
      // Ranges inside the strings, the second string of each record included; mail findings are warnings.
      assert.deepEqual(range(byCode('dmarc-invalid-value')), place(doc, 11, 'rejct'));
      assert.deepEqual(range(byCode('dmarc-uri-no-scheme')), place(doc, 12, 'dmarc@example.com'));
      assert.deepEqual(range(byCode('dkim-key-no-sha256')), place(doc, 8, 'sha1'));
      assert.ok(ds.every((d) => d.severity !== vscode.DiagnosticSeverity.Error), show(ds));
      assert.match(byCode('dmarc-invalid-value').message, /did you mean reject\?/);
      // The code links to its row in docs/zone-lint.md.
      const code = byCode('dkim-key-no-sha256').code as { value: string; target: vscode.Uri };
      const row = /^L(\d+)$/.exec(code.target.fragment);
      assert.ok(row, code.target.toString());
      assert.match(fs.readFileSync(code.target.fsPath, 'utf8').split('\n')[Number(row[1]) - 1], /^\| `dkim-key-no-sha256` \| warning \|/);

      const sp = await hoverAt(doc, 'sp=quarantine');
      assert.match(sp, /`sp=quarantine` — DMARC tag "sp": Policy for subdomains/);
      assert.match(sp, /Mail From its subdomains that fails DMARC: treat it as suspicious/);
      assert.match(sp, /\[RFC 7489 §6\.3\]\(https:\/\/www\.rfc-editor\.org\/rfc\/rfc7489#section-6\.3\)/);
      const p = await hoverAt(doc, `p=${key.slice(0, 10)}`);
      assert.match(p, /DKIM key tag "p"/);
      assert.match(p, /The public key: rsa, 2048 bits \(good\)\./);
      assert.match(p, /\[RFC 6376 §3\.6\.1\]/);
      const h = await hoverAt(doc, 'h=sha1');
      assert.match(h, /`h=sha1` — DKIM key tag "h"/);
      assert.match(h, /does not allow sha256/);

      const lensTitles = async () =>
        (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri)).map((l) => [l.range.start.line, l.command?.title]).sort((a, b) => Number(a[0]) - Number(b[0]));
      assert.deepEqual(
        (await lensTitles()).filter(([, t]) => String(t).startsWith('D')),
        [
          [8, 'DKIM key s1: rsa, 2048 bits'],
          [11, 'DMARC: unusable, receivers apply no policy'],
        ],
      );
      await requestScreenshot('exthost-zone-dmarc-dkim');

      await applyQuickFix(doc, byCode('dmarc-invalid-value'), 'Replace with reject');
      assert.equal(doc.lineAt(11).text, '_dmarc IN TXT ( "v=DMARC1; p=reject; "');
      const next = await waitForDiagnostics(doc.uri, (x) => !x.some((d) => codeOf(d) === 'dmarc-invalid-value') && x.some((d) => codeOf(d) === 'dmarc-uri-no-scheme'), 'the p= finding gone');
      await applyQuickFix(doc, next.find((d) => codeOf(d) === 'dmarc-uri-no-scheme')!, 'Replace with mailto:dmarc@example.com');
      const last = await waitForDiagnostics(doc.uri, (x) => x.length === 1 && codeOf(x[0]) === 'dkim-key-no-sha256', 'only the DKIM finding left');
      await applyQuickFix(doc, last[0], 'Replace with sha256');
      assert.equal(doc.lineAt(8).text, 's1._domainkey IN TXT ( "v=DKIM1; h=sha256; k=rsa; "');
      await waitForDiagnostics(doc.uri, (x) => x.length === 0, 'no findings left');
      assert.deepEqual(
        (await lensTitles()).filter(([, t]) => String(t).startsWith('D')),
        [
          [8, 'DKIM key s1: rsa, 2048 bits'],
          [11, 'DMARC: p=reject, sp=quarantine · SPF ✓ DKIM ✓ in the zones'],
        ],
      );
    } finally {
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  });
});

// What users install is what is tested: `npm run package` builds the production .vsix, code-server
// installs it with --install-extension (as `code --install-extension` does), and a command from the
// installed package runs against a real BIND.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { startBind, type BindServer } from '../harness/bind';
import { buildVsix, type BuiltVsix } from '../harness/vsix';
import { FIXTURE_ZONES, REPO_ROOT } from '../paths';
import { openWorkbench, type Workbench } from './ui';

const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { name: string; publisher: string; version: string };
let outDir: string;
let vsix: BuiltVsix;
let bind: BindServer | undefined;
let wb: Workbench | undefined;

before(async () => {
  outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'maildns-vsix-out-'));
  vsix = await buildVsix(path.join(outDir, `${pkg.name}-${pkg.version}.vsix`));
  bind = await startBind({ zoneDir: FIXTURE_ZONES });
  wb = await openWorkbench({ vsix: vsix.file, settings: { 'mailDns.resolvers': [bind.server] }, viewport: { width: 1400, height: 900 } });
});
after(async () => {
  await wb?.close();
  await bind?.stop();
  if (outDir) fs.rmSync(outDir, { recursive: true, force: true });
});

test('the .vsix holds the production build and only the allow-listed files', { timeout: 5 * 60_000 }, () => {
  assert.ok(wb);
  const installed = path.join(wb.extensionsDir, `${pkg.publisher}.${pkg.name}-${pkg.version}`);
  const files: string[] = [];
  (function walk(dir: string, rel: string) {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(path.join(dir, e.name), r);
      else files.push(r);
    }
  })(installed, '');
  // The bundles (with those the extension loads at first use), their licence notices, media, and the one
  // doc diagnostics link to; no maps, sources or tests.
  for (const f of ['dist/extension.js', 'dist/mail-reader.js', 'dist/tldts.js', 'dist/webview.js', 'dist/cli.js', 'dist/THIRD-PARTY-NOTICES.txt', 'media/icon.png', 'docs/zone-lint.md', 'package.json']) {
    assert.ok(files.includes(f), `${f} is not in the installed extension: ${files.join(', ')}`);
  }
  const unexpected = files.filter((f) => !/^(dist\/|media\/|docs\/zone-lint\.md$|package\.json$|readme\.md$|changelog\.md$|LICENSE(\.txt)?$|\.vsixmanifest$)/i.test(f));
  assert.deepEqual(unexpected, [], 'files outside the allow-list were packed');
  for (const f of files.filter((x) => x.endsWith('.js'))) {
    const text = fs.readFileSync(path.join(installed, f), 'utf8');
    assert.doesNotMatch(text, /sourceMappingURL/, `${f} points at a source map the package does not ship`);
    // Minified: a development bundle names each source file in a comment and has a line per statement.
    assert.doesNotMatch(text, /^\/\/ (src|node_modules)\//m, `${f} is a development build`);
    assert.ok(text.length / text.split('\n').length > 1000, `${f} is not minified`);
  }
  assert.match(fs.readFileSync(path.join(installed, 'dist/THIRD-PARTY-NOTICES.txt'), 'utf8'), /dns-packet .*\(MIT\)/);
  // README links work on the Marketplace page: made absolute from the repository field.
  const readme = fs.readFileSync(path.join(installed, files.find((f) => /^readme\.md$/i.test(f))!), 'utf8');
  assert.doesNotMatch(readme, /\]\((?!https?:|#|mailto:)[^)]+\)/, 'a relative link is left in the packaged README');
  assert.ok(vsix.bytes > 50_000 && vsix.bytes < 2_000_000, `unexpected .vsix size ${vsix.bytes}`);
});

test('a command from the installed .vsix runs: Check rDNS for IP against BIND', { timeout: 5 * 60_000 }, async () => {
  assert.ok(wb);
  const { page } = wb;
  await wb.runCommand('Mail DNS: Check rDNS for IP');
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible' });
  await input.fill('203.0.113.100');
  await page.keyboard.press('Enter');
  await page.locator('.tab', { hasText: 'rDNS 203.0.113.100' }).waitFor({ timeout: 60_000 });
  const report = page.frameLocator('iframe.webview').frameLocator('iframe#active-frame');
  await report.getByText('iprev: fail').waitFor({ timeout: 60_000 });
  await wb.screenshot('ui-vsix-installed-rdns');
});

// Four bundles: the extension host (node, cjs, vscode external), the CLI (node, cjs) and the
// webview scripts (browser, iife): the report's and the audit table's. Type-checking is a separate
// step (`npm run typecheck`).
//   node esbuild.mjs               development: source maps beside the bundles
//   node esbuild.mjs --production  what ships (vscode:prepublish, npm pack): minified, no source
//                                  maps, dist/ emptied first so no stale map or file is packed, and
//                                  dist/THIRD-PARTY-NOTICES.txt with the licences of the bundled packages
//   node esbuild.mjs --watch
import * as esbuild from 'esbuild';
import { chmod, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const common = {
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: 'info',
  // Bundled packages' licences go to THIRD-PARTY-NOTICES.txt (below), not into comments.
  legalComments: production ? 'none' : 'linked',
  metafile: production,
};

const builds = [
  {
    ...common,
    entryPoints: ['src/vscode/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    // The first statement of the bundle: activation time counts from here (src/vscode/extension.ts).
    banner: { js: 'var __mailDnsLoadStarted = performance.now();' },
  },
  { ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', platform: 'node', format: 'cjs', target: 'node20', banner: { js: '#!/usr/bin/env node' } },
  { ...common, entryPoints: ['src/webview/main.ts'], outfile: 'dist/webview.js', platform: 'browser', format: 'iife', target: 'es2022' },
  { ...common, entryPoints: ['src/webview/audit.ts'], outfile: 'dist/audit.js', platform: 'browser', format: 'iife', target: 'es2022' },
];

/** The npm packages whose code is in the bundles, with their licence texts. */
async function thirdPartyNotices(metafiles) {
  const packages = new Map();
  for (const meta of metafiles) {
    for (const input of Object.keys(meta.inputs)) {
      const m = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
      if (m) packages.set(m[1], path.join('node_modules', m[1]));
    }
  }
  const parts = ['Mail DNS Doctor bundles the following packages. Their licences follow.', ''];
  for (const [name, dir] of [...packages].sort(([a], [b]) => a.localeCompare(b))) {
    const pkg = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8'));
    let licence = '';
    for (const f of ['LICENSE', 'LICENSE.md', 'LICENSE.txt', 'license', 'LICENCE']) {
      licence = await readFile(path.join(dir, f), 'utf8').catch(() => '');
      if (licence) break;
    }
    if (!licence) throw new Error(`${name} is bundled but has no LICENSE file: its notice cannot be shipped`);
    parts.push(`${'-'.repeat(78)}`, `${name} ${pkg.version} (${pkg.license})`, '', licence.trim(), '');
  }
  return parts.join('\n');
}

if (watch) {
  for (const b of builds) (await esbuild.context(b)).watch();
} else {
  if (production) await rm('dist', { recursive: true, force: true });
  const results = await Promise.all(builds.map((b) => esbuild.build(b)));
  await chmod('dist/cli.js', 0o755);
  if (production) await writeFile('dist/THIRD-PARTY-NOTICES.txt', await thirdPartyNotices(results.map((r) => r.metafile)));
}

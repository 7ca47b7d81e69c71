// Bundles: the extension host's (node, cjs, vscode external) with the parts it loads at first use, the
// CLI (node, cjs, one self-contained file) and the webview scripts (browser, iife): the report's and the
// audit table's. Type-checking is a separate step (`npm run typecheck`).
//   node esbuild.mjs               development: source maps beside the bundles
//   node esbuild.mjs --production  what ships (vscode:prepublish, npm pack): minified, no source
//                                  maps, dist/ emptied first so no stale map or file is packed, and
//                                  dist/THIRD-PARTY-NOTICES.txt with the licences of the bundled packages
//   node esbuild.mjs --analyze     also prints what is in each node bundle, largest first (esbuild's
//                                  analyzeMetafile; with --production: the sizes that ship)
//   node esbuild.mjs --watch
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';
import { chmod, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
const analyze = process.argv.includes('--analyze');

const common = {
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: 'info',
  // Bundled packages' licences go to THIRD-PARTY-NOTICES.txt (below), not into comments.
  legalComments: production ? 'none' : 'linked',
  metafile: production || analyze,
};

/**
 * What the extension host loads at first use, each from its own bundle dist/<name>.js: activation
 * parses and runs only dist/extension.js. CommonJS has no code splitting (esbuild splits only ESM,
 * and an ESM extension would make these loads asynchronous: the zone lint asks tldts synchronously),
 * so a `require()` of one of these modules, in any extension-host bundle, becomes
 * `require("./<name>.js")` (lazyBundles below), and the module's code is in that file only. An
 * `import` of one still copies it in: the lazy ones are required in src/vscode/lazy.ts and
 * src/core/dmarc/psl.ts only. The CLI stays one file (npm pack ships dist/cli.js alone). Each name
 * is in .vscodeignore's allow-list; test/integration/bundles.test.ts holds both to it.
 */
const LAZY_BUNDLES = [
  // The bounce explainer and the received-message check, with postal-mime and its HTML entities.
  { name: 'mail-reader', entry: 'src/vscode/mailReader.ts' },
  // The Public Suffix List (DMARC's organizational domains): asked by the zone lint's DMARC and DKIM
  // rules and the message check, never on activation.
  { name: 'tldts', entry: 'tldts' },
];

/** The esbuild plugin that turns a require() of a LAZY_BUNDLES module into a require of its bundle. */
function lazyBundles() {
  return {
    name: 'lazy-bundles',
    setup(build) {
      let entries;
      const skip = { lazyBundles: 'resolving' };
      build.onResolve({ filter: /.*/ }, async (args) => {
        if (args.kind !== 'require-call' || args.pluginData === skip) return undefined;
        entries ??= await Promise.all(
          LAZY_BUNDLES.map(async ({ name, entry }) => {
            // A file, or a package as a require() of it would find it.
            const r = await build.resolve(existsSync(entry) ? `./${entry}` : entry, { kind: 'require-call', resolveDir: process.cwd(), pluginData: skip });
            if (r.errors.length > 0) throw new Error(`LAZY_BUNDLES: ${entry}: ${r.errors[0].text}`);
            return { name, path: r.path };
          }),
        );
        const resolved = await build.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: skip });
        if (resolved.errors.length > 0) return undefined;
        const lazy = entries.find((e) => e.path === resolved.path);
        // Anything else: esbuild's own resolution, as without this plugin.
        return lazy ? { path: `./${lazy.name}.js`, external: true } : undefined;
      });
    },
  };
}

const extensionHost = { platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'], plugins: [lazyBundles()] };

const builds = [
  {
    ...common,
    ...extensionHost,
    entryPoints: ['src/vscode/extension.ts'],
    outfile: 'dist/extension.js',
    // The first statement of the bundle: activation time counts from here (src/vscode/extension.ts).
    banner: { js: 'var __mailDnsLoadStarted = performance.now();' },
  },
  ...LAZY_BUNDLES.map(({ name, entry }) => ({ ...common, ...extensionHost, entryPoints: [entry], outfile: `dist/${name}.js` })),
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
  if (analyze) {
    for (const [i, b] of builds.entries()) if (b.platform === 'node') console.log(await esbuild.analyzeMetafile(results[i].metafile));
  }
}

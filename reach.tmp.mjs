import * as esbuild from 'esbuild';
const r = await esbuild.build({ bundle: true, minify: true, metafile: true, write: false, logLevel: 'error', entryPoints: ['src/vscode/extension.ts'], outfile: 'x.js', platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'] });
const meta = r.metafile;
const out = Object.values(meta.outputs)[0];
const size = (m) => out.inputs[m]?.bytesInOutput ?? 0;
const cuts = process.argv.slice(2); // module paths (prefix) never reached eagerly
const seen = new Set();
const stack = ['src/vscode/extension.ts'];
while (stack.length) {
  const m = stack.pop();
  if (seen.has(m)) continue;
  seen.add(m);
  for (const i of meta.inputs[m]?.imports ?? []) {
    if (i.external || i.kind === 'import-statement' && false) {}
    if (!meta.inputs[i.path]) continue;
    if (cuts.some((c) => i.path.startsWith(c))) continue;
    stack.push(i.path);
  }
}
let eager = 0; for (const m of seen) eager += size(m);
let lazy = 0; const lazyList = [];
for (const m of Object.keys(out.inputs)) if (!seen.has(m)) { lazy += size(m); lazyList.push([m, size(m)]); }
console.log(`eager ${(eager/1024).toFixed(1)} KiB, not reached ${(lazy/1024).toFixed(1)} KiB`);
if (process.env.LIST) console.log(lazyList.sort((a,b)=>b[1]-a[1]).map(([m,s])=>`${(s/1024).toFixed(1)} ${m}`).join('\n'));

#!/usr/bin/env node
// Runs every compiled test file (out/test/**/*.test.js) under `node --test`, unit tests first, then
// integration, then the extension-host tier. Files under out/test/exthost/suite/ run inside VS Code
// (through out/test/exthost/run.test.js), never here. Extra arguments go to node --test
// (e.g. --test-name-pattern). Node's own summary closes the output.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', 'out', 'test');
const skip = path.join(root, 'exthost', 'suite');
const files = [];
(function walk(dir) {
  for (const name of readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    if (p === skip) continue;
    if (statSync(p).isDirectory()) walk(p);
    else if (name.endsWith('.test.js')) files.push(p);
  }
})(root);
const tier = (f) => (f.includes(`${path.sep}unit${path.sep}`) ? 0 : f.includes(`${path.sep}exthost${path.sep}`) ? 2 : 1);
files.sort((a, b) => tier(a) - tier(b) || a.localeCompare(b));
if (files.length === 0) {
  console.error('run-tests: no compiled tests under out/test (run `npm run compile-tests`)');
  process.exit(1);
}
const r = spawnSync(process.execPath, ['--test', '--test-reporter=spec', ...process.argv.slice(2), ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);

// What the .vsix ships as code: dist/extension.js, which activation loads, well under vsce's 1 MB, and
// the parts it loads at first use (esbuild.mjs LAZY_BUNDLES) as bundles of their own that the package
// holds and that work from there; every bundled package's licence in THIRD-PARTY-NOTICES.txt. The
// .vsix is built as `npm run package` builds it, in a staging copy (test/harness/vsix.ts).
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import type * as MailReader from '../../src/vscode/mailReader';
import { buildVsix, type BuiltVsix } from '../harness/vsix';
import { memoryResolver } from '../unit/memory-resolver';

const run = promisify(execFile);
const out = fs.mkdtempSync(path.join(tmpdir(), 'maildns-bundles-'));
let vsix: BuiltVsix;
let dist: string;
/** The files under dist/ that vsce packed, from its listing ("├─ extension.js [693.9 KB]" under "dist/"). */
let packed: Set<string>;

before(async () => {
  vsix = await buildVsix(path.join(out, 'bundles.vsix'), { keepStage: true });
  dist = path.join(vsix.stage!, 'dist');
  const listing = vsix.log.slice(vsix.log.indexOf('dist/'));
  packed = new Set([...listing.slice(0, listing.search(/\n\s*[├└]─ \w+\/\n/)).matchAll(/[├└]─ (\S+) \[/g)].map((m) => m[1]));
});
after(() => {
  if (vsix?.stage) fs.rmSync(vsix.stage, { recursive: true, force: true });
  fs.rmSync(out, { recursive: true, force: true });
});

/** The `./x.js` files a bundle requires: the bundles it loads at first use. */
function lazyRequires(file: string): string[] {
  return [...fs.readFileSync(path.join(dist, file), 'utf8').matchAll(/require\("\.\/([\w.-]+)"\)/g)].map((m) => m[1]);
}

describe('the bundles in the .vsix', () => {
  it('extension.js is well under 1 MB: the HTML entity table, the bounce patterns and the Public Suffix List load at first use, from bundles the .vsix holds', () => {
    assert.ok(packed.has('extension.js'), [...packed].join(', '));
    const size = fs.statSync(path.join(dist, 'extension.js')).size;
    assert.ok(size < 800 * 1024, `dist/extension.js is ${(size / 1024).toFixed(1)} KiB`);
    const text = fs.readFileSync(path.join(dist, 'extension.js'), 'utf8');
    // One marker of each heavy part: postal-mime's entity table, a bounce pattern's id, a PSL entry.
    for (const marker of ['CounterClockwiseContourIntegral', 'blocklist-generic', 'blogspot']) assert.ok(!text.includes(marker), `${marker} is in extension.js`);
    const lazy = lazyRequires('extension.js');
    assert.deepEqual([...lazy].sort(), ['mail-reader.js', 'tldts.js']);
    // Every bundle any packed bundle loads is packed too (.vscodeignore's allow-list names it).
    for (const file of packed) if (file.endsWith('.js')) for (const r of lazyRequires(file)) assert.ok(packed.has(r), `${file} loads ${r}, which the .vsix does not hold`);
    const reader = fs.readFileSync(path.join(dist, 'mail-reader.js'), 'utf8');
    assert.ok(reader.includes('CounterClockwiseContourIntegral') && reader.includes('blocklist-generic'));
    assert.ok(fs.readFileSync(path.join(dist, 'tldts.js'), 'utf8').includes('blogspot'));
  });

  it('the lazily loaded bundles work from dist/: a bounce is explained, and a message check finds the organizational domain through tldts.js', async () => {
    const reader = require(path.join(dist, 'mail-reader.js')) as typeof MailReader;
    assert.equal(reader.bounceInputHint('504 5.5.2 <web6>: Helo command rejected: need fully-qualified hostname')?.severity, 'info');
    const bounce = await reader.explainBounce('550 5.7.1 Client host [203.0.113.100] rejected: cannot find your hostname');
    assert.ok(reader.recognised(bounce));
    const message = 'From: a@mail.shop.example.co.uk\r\nTo: b@example.org\r\nSubject: hi\r\n\r\nhello\r\n';
    const r = await reader.verifyMessage(message, { resolver: memoryResolver({}) });
    assert.equal(r.dmarc.orgDomain, 'example.co.uk');
  });

  it('THIRD-PARTY-NOTICES.txt names every package whose code is in a packed bundle (esbuild.mjs --analyze)', async () => {
    assert.ok(packed.has('THIRD-PARTY-NOTICES.txt'));
    const notices = fs.readFileSync(path.join(dist, 'THIRD-PARTY-NOTICES.txt'), 'utf8');
    // The same production build again, with esbuild's analysis of each node bundle.
    const { stdout } = await run(process.execPath, ['esbuild.mjs', '--production', '--analyze'], { cwd: vsix.stage!, maxBuffer: 16 << 20 });
    const blocks = stdout.split(/\n(?=\s*dist\/\S+\s+[\d.]+[kmg]?b\s+100\.0%)/);
    const seen = new Set<string>();
    for (const block of blocks) {
      const file = /dist\/(\S+)/.exec(block)?.[1];
      if (!file || !packed.has(file)) continue;
      seen.add(file);
      for (const m of block.matchAll(/node_modules\/((?:@[^/\s]+\/)?[^/\s]+)\//g)) assert.match(notices, new RegExp(`^${m[1].replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} \\S+ \\(`, 'm'), `${m[1]} is in dist/${file} but not in THIRD-PARTY-NOTICES.txt`);
    }
    assert.deepEqual([...seen].sort(), ['cli.js', 'extension.js', 'mail-reader.js', 'tldts.js']);
    for (const name of ['dns-packet', 'postal-mime', 'tldts']) assert.match(notices, new RegExp(`^${name} `, 'm'));
  });
});

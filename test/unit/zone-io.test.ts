// Issue 9: how zone files are found and read (src/core/zone/workspace.ts, fsReader.ts, limits.ts).
// The search never leaves its roots or goes round a symlink loop, counted by the work it reports;
// the reader takes only regular files, within a per-file cap and a per-run budget, and with roots
// only files inside them. Hostile files are made here in a temp dir. Where a regression would hang
// (a FIFO opened without O_NONBLOCK), test/unit/zone-io-cli.test.ts runs the CLI as a child instead.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Confinement, fsReader, isWithin, ReadBudget, readRegularFile, readRegularFileSync } from '../../src/core/zone/fsReader';
import { CLI_READ_LIMITS, EDITOR_READ_LIMITS, WALK_MAX_DEPTH } from '../../src/core/zone/limits';
import { parseZone } from '../../src/core/zone/parser';
import { findZoneFiles, findZoneFilesAsync, parseWorkspace } from '../../src/core/zone/workspace';
import { REPO_ROOT } from '../paths';

const ZONE = ['$TTL 3600', '@ IN SOA ns1 hostmaster 1 7200 3600 1209600 300', '  IN NS ns1', 'ns1 IN A 192.0.2.53', ''].join('\n');
/** A regression that loops would run on: stop it and fail instead (a bound, not a wait). */
const LOOP_GUARD_MS = 30_000;

let tmp: string;
before(() => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'maildns-zone-io-')));
});
after(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

function dir(name: string): string {
  const d = path.join(tmp, name);
  fs.mkdirSync(d, { recursive: true });
  return d;
}

describe('finding zone files (issue 9 #1)', () => {
  it('issue 9 #1: a symlink loop (ln -s . a; ln -s . b) costs one directory listing, not 2^40', async () => {
    const d = dir('loop');
    fs.writeFileSync(path.join(d, 'db.example.com'), ZONE);
    fs.symlinkSync('.', path.join(d, 'a'));
    fs.symlinkSync('.', path.join(d, 'b'));
    const r = await findZoneFilesAsync([d], { signal: AbortSignal.timeout(LOOP_GUARD_MS) });
    // Issue 12: no origin is given by the search; the file's own text gives it when parsed.
    assert.deepEqual(r.files, [{ file: path.join(d, 'db.example.com') }]);
    assert.equal(r.searched.directories, 1);
    assert.equal(r.searched.entries, 3);
    assert.deepEqual(r.skipped, [`${d}/a is a symlink to a directory already searched (a loop?): not followed again`, `${d}/b is a symlink to a directory already searched (a loop?): not followed again`]);
    // The sync search (the CLI's) is the same search.
    assert.deepEqual(findZoneFiles([d]), r);
  });

  it('issue 9 #1: loops further down and two ways to one directory: each directory searched once', async () => {
    const d = dir('deeper');
    fs.mkdirSync(path.join(d, 'x', 'y'), { recursive: true });
    fs.writeFileSync(path.join(d, 'x', 'y', 'db.example.net'), ZONE);
    fs.symlinkSync('../..', path.join(d, 'x', 'y', 'up'));
    fs.symlinkSync('x/y', path.join(d, 'shortcut'));
    const r = await findZoneFilesAsync([d], { signal: AbortSignal.timeout(LOOP_GUARD_MS) });
    assert.equal(r.searched.directories, 3);
    // Found once, by the first way there (names sort: `shortcut` before `x`).
    assert.deepEqual(
      r.files.map((f) => path.relative(d, f.file)),
      ['shortcut/db.example.net'],
    );
    assert.deepEqual(r.skipped, [`${d}/shortcut/up is a symlink to a directory already searched (a loop?): not followed again`]);
  });

  it('issue 9 #1: a symlink out of the folder is reported and not followed; one into another folder given is', async () => {
    const outside = dir('elsewhere');
    fs.writeFileSync(path.join(outside, 'db.evil.example'), ZONE);
    const d = dir('confined');
    fs.writeFileSync(path.join(d, 'db.example.org'), ZONE);
    fs.symlinkSync(outside, path.join(d, 'out'));
    fs.symlinkSync('/', path.join(d, 'root'));
    const r = findZoneFiles([d]);
    assert.deepEqual(r.files.map((f) => path.basename(f.file)), ['db.example.org']);
    assert.deepEqual(r.skipped, [`${d}/out is a symlink to ${outside}, outside ${d}: not followed`, `${d}/root is a symlink to /, outside ${d}: not followed`]);
    // Both given: the link stays inside what the user asked for (and the folder is searched once).
    const both = findZoneFiles([d, outside]);
    assert.deepEqual(both.files.map((f) => path.basename(f.file)).sort(), ['db.evil.example', 'db.example.org']);
    assert.deepEqual(both.skipped, [`${d}/root is a symlink to /, outside the paths given: not followed`]);
    assert.equal(both.searched.directories, 2);
  });

  it('issue 9 #1: /proc/self is searched without following its root symlink to /', async () => {
    const r = await findZoneFilesAsync(['/proc/self'], { signal: AbortSignal.timeout(LOOP_GUARD_MS) });
    assert.deepEqual(r.files, []);
    assert.ok(r.skipped.includes('/proc/self/root is a symlink to /, outside /proc/self: not followed'), r.skipped.join('\n'));
  });

  it(`issue 9 #1: goes at most ${WALK_MAX_DEPTH} directories deep`, () => {
    let d = dir('deep');
    const top = d;
    for (let i = 0; i <= WALK_MAX_DEPTH + 2; i++) d = path.join(d, `d${i}`);
    fs.mkdirSync(d, { recursive: true });
    fs.writeFileSync(path.join(d, 'db.example.com'), ZONE);
    fs.writeFileSync(path.join(top, 'd0', 'db.example.com'), ZONE);
    const r = findZoneFiles([top]);
    assert.deepEqual(r.files.map((f) => path.relative(top, f.file)), ['d0/db.example.com']);
    assert.equal(r.searched.directories, WALK_MAX_DEPTH + 1);
    assert.equal(r.skipped.length, 1);
    assert.match(r.skipped[0], new RegExp(`d${WALK_MAX_DEPTH}: more than ${WALK_MAX_DEPTH} directories deep, not searched$`));
  });

  it('issue 9 #1: stops after its number of directory entries, and says so', () => {
    const d = dir('many');
    for (let i = 0; i < 10; i++) fs.writeFileSync(path.join(d, `db.z${i}.example`), ZONE);
    const r = findZoneFiles([d], { maxEntries: 4 });
    assert.equal(r.searched.entries, 4);
    assert.equal(r.files.length, 4);
    assert.deepEqual(r.skipped, [`stopped looking for zone files after 4 directory entries (in ${d})`]);
  });

  it('issue 9 #1: the async search stops when its signal is aborted', async () => {
    const abort = new AbortController();
    abort.abort();
    await assert.rejects(findZoneFilesAsync(['/proc/self'], { signal: abort.signal }), { name: 'AbortError' });
  });

  it('issue 9 #3: FIFOs, even named like zone files or listed in zones.json, are skipped without being opened', () => {
    const d = dir('fifos');
    execFileSync('mkfifo', [path.join(d, 'db.fifo.example'), path.join(d, 'nameless'), path.join(d, 'listed')]);
    fs.writeFileSync(path.join(d, 'zones.json'), JSON.stringify([{ name: 'listed.example', file: 'listed' }]));
    fs.writeFileSync(path.join(d, 'plain'), ZONE);
    const r = findZoneFiles([d]);
    assert.deepEqual(r.files.map((f) => path.basename(f.file)), ['plain']);
    assert.deepEqual(r.skipped, [`${d}/db.fifo.example is a FIFO, not a regular file: not read`, `${d}/listed is a FIFO, not a regular file: not read`]);
  });
});

describe('reading zone files (issue 9 #3, #14)', () => {
  it('issue 9 #3: only regular files are read: /dev/zero and a directory are refused by kind', () => {
    assert.deepEqual(readRegularFileSync('/dev/zero', 1024), { ok: false, why: 'not-regular', kind: 'character device' });
    assert.deepEqual(readRegularFileSync(tmp, 1024), { ok: false, why: 'not-regular', kind: 'directory' });
    const z = parseZone(ZONE + '$INCLUDE /dev/zero\n', { file: path.join(tmp, 'z.zone'), origin: 'example.com', reader: fsReader() });
    assert.deepEqual(
      z.diagnostics.map((f) => `${f.code} ${f.message}`),
      ['zone-file-not-regular not read: /dev/zero is a character device, not a regular file'],
    );
  });

  it('issue 9 #3: sizes that lie are not trusted: a /proc file (size 0) is read only up to the cap', async () => {
    assert.equal(fs.statSync('/proc/self/maps').size, 0);
    assert.deepEqual(readRegularFileSync('/proc/self/maps', 64), { ok: false, why: 'too-big', size: 65, atLeast: true });
    assert.deepEqual(await readRegularFile('/proc/self/maps', 64), { ok: false, why: 'too-big', size: 65, atLeast: true });
    const whole = readRegularFileSync('/proc/self/maps', 1024 * 1024);
    assert.ok(whole.ok && whole.bytes > 64);
  });

  it('issue 9 #3: a file over the per-file cap is refused by its size, before it is read', () => {
    const d = dir('big');
    const big = path.join(d, 'big.inc');
    fs.writeFileSync(big, '');
    fs.truncateSync(big, EDITOR_READ_LIMITS.maxFileBytes + 1);
    assert.deepEqual(readRegularFileSync(big, EDITOR_READ_LIMITS.maxFileBytes), { ok: false, why: 'too-big', size: EDITOR_READ_LIMITS.maxFileBytes + 1, atLeast: false });
    const z = parseZone(ZONE + '$INCLUDE big.inc\n', { file: path.join(d, 'z.zone'), origin: 'example.com', reader: fsReader({ limits: EDITOR_READ_LIMITS }) });
    assert.deepEqual(z.diagnostics.map((f) => `${f.code} ${f.message}`), [`zone-file-too-big not read: ${big} is 16.0 MiB, more than the 16 MiB one zone file may have (docs/security.md)`]);
    // Exactly at the cap is read.
    const atCap = readRegularFileSync(big, EDITOR_READ_LIMITS.maxFileBytes + 1);
    assert.ok(atCap.ok && atCap.bytes === EDITOR_READ_LIMITS.maxFileBytes + 1);
  });

  it('issue 9 #3: one run reads at most its budget in all; the files past it are findings naming the file and the budget', () => {
    const d = dir('budget');
    const files = ['a', 'b', 'c'].map((n) => {
      const f = path.join(d, `db.${n}.example`);
      // 600 bytes each: the third goes past a 1,500-byte budget.
      fs.writeFileSync(f, (ZONE + ';'.repeat(600)).slice(0, 599) + '\n');
      return f;
    });
    const reader = fsReader({ limits: { maxFileBytes: 1000, maxTotalBytes: 1500 } });
    const zones = parseWorkspace(findZoneFiles([d]).files, reader);
    assert.equal(reader.bytesRead, 1200);
    const refused = zones.flatMap((z) => z.diagnostics).filter((f) => f.code === 'zone-read-budget');
    assert.deepEqual(refused.map((f) => [f.file, f.message]), [[files[2], `not read: ${files[2]} (600 bytes) would go past the 1.5 KiB one lint run may read in all; 1.2 KiB read already (docs/security.md)`]]);
    // Read again through the same reader: still refused, nothing more read.
    assert.equal(typeof reader.read(files[2]), 'object');
    assert.equal(reader.bytesRead, 1200);
  });

  it('issue 9 #3: an $INCLUDEd file is charged once per run however often it is included', () => {
    const d = dir('shared');
    fs.writeFileSync(path.join(d, 'common.inc'), 'www IN A 192.0.2.80\n');
    fs.writeFileSync(path.join(d, 'db.one.example'), ZONE + '$INCLUDE common.inc\n');
    fs.writeFileSync(path.join(d, 'db.two.example'), ZONE + '$INCLUDE common.inc\n');
    const reader = fsReader();
    parseWorkspace(findZoneFiles([d]).files, reader);
    const size = (f: string) => fs.statSync(path.join(d, f)).size;
    assert.equal(reader.bytesRead, size('common.inc') + size('db.one.example') + size('db.two.example'));
  });

  it('issue 9 #3: the budget names the limit that stopped a read: the per-file cap or what is left of the run', () => {
    const budget = new ReadBudget({ maxFileBytes: 100, maxTotalBytes: 150 });
    assert.equal(budget.charge('/a', 90), undefined);
    assert.equal(budget.allowance(), 60);
    assert.equal((budget.settle('/b', { ok: false, why: 'too-big', size: 80, atLeast: false }) as { code: string }).code, 'zone-read-budget');
    assert.equal((budget.settle('/c', { ok: false, why: 'too-big', size: 120, atLeast: false }) as { code: string }).code, 'zone-file-too-big');
    assert.equal((budget.settle('/d', { ok: false, why: 'too-big', size: 61, atLeast: true }) as { code: string }).code, 'zone-read-budget');
    assert.equal(budget.settle('/e', { ok: true, text: 'x', bytes: 60 }), 'x');
    assert.equal(budget.allowance(), 0);
  });

  it('issue 9 #14: with roots, ../../etc/passwd, /etc/shadow, /proc/self/environ and a symlink out are refused', () => {
    const d = dir('roots/zones');
    fs.symlinkSync('/etc/passwd', path.join(d, 'passwd.inc'));
    const up = path.relative(d, '/etc/passwd');
    const text = ZONE + `$INCLUDE ${up}\n$INCLUDE /etc/shadow\n$INCLUDE /proc/self/environ\n$INCLUDE passwd.inc\n`;
    const reader = fsReader({ roots: [d], rootsName: 'the test folder' });
    const z = parseZone(text, { file: path.join(d, 'db.example.com'), origin: 'example.com', reader });
    assert.deepEqual(z.diagnostics.map((f) => `${f.code} ${f.message}`), [
      'zone-include-outside not read: /etc/passwd is outside the test folder',
      'zone-include-outside not read: /etc/shadow is outside the test folder',
      'zone-include-outside not read: /proc/self/environ is outside the test folder',
      `zone-include-outside not read: ${d}/passwd.inc (a symlink to /etc/passwd) is outside the test folder`,
    ]);
    assert.deepEqual([...z.sources.keys()], [path.join(d, 'db.example.com')]);
    assert.equal(reader.bytesRead, 0);
  });

  it('issue 9 #14: outside is decided by name first, also for Windows paths: //host/share is never touched', () => {
    const win = new Confinement(['C:\\work\\zones'], path.win32);
    assert.equal(win.lexicallyInside('C:\\work\\zones\\db.example.com'), true);
    assert.equal(win.lexicallyInside('c:\\WORK\\Zones\\sub\\x.inc'), true);
    assert.equal(win.lexicallyInside('\\\\host\\share\\x'), false);
    assert.equal(win.lexicallyInside('//host/share/x'), false);
    assert.equal(win.lexicallyInside('D:\\work\\zones\\x'), false);
    assert.equal(win.lexicallyInside('C:\\work\\zones\\..\\x'), false);
    // A UNC path is refused by place() before any file system call (realpath would open the share).
    assert.deepEqual(win.place('\\\\host\\share\\x'), { inside: false });
    assert.equal(isWithin('/w', '/w/..x/db'), true);
    assert.equal(isWithin('/w', '/w/../x'), false);
    assert.equal(isWithin('/w', '/wx/db'), false);
  });

  it('issue 9: the limits are the documented ones', () => {
    const docs = fs.readFileSync(path.join(REPO_ROOT, 'docs', 'security.md'), 'utf8');
    const mib = (n: number) => `${n / (1024 * 1024)} MiB`;
    for (const n of [CLI_READ_LIMITS.maxFileBytes, CLI_READ_LIMITS.maxTotalBytes, EDITOR_READ_LIMITS.maxFileBytes, EDITOR_READ_LIMITS.maxTotalBytes]) assert.match(docs, new RegExp(mib(n)));
  });
});

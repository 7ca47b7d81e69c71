// Issue 9: `maildns lint` and `maildns explain` on hostile input — symlink loops, /proc/self,
// /dev/zero, FIFOs, files far too big, `$INCLUDE` of files outside the paths given. Each case runs
// the CLI as a child process, because before the fix these hung or ate memory: a child can be
// stopped (execFile's timeout) and the test then fails on `signal`, where an in-process call would
// hang the test runner. The hostile files are made here, in a temp dir (FIFOs and symlinks are not
// committed).
import { strict as assert } from 'node:assert';
import { execFile, execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { REPO_ROOT } from '../paths';

// The CLI as `npm run compile-tests` emits it (test/unit/cli.test.ts imports src/cli/main).
const CLI = path.join(REPO_ROOT, 'out', 'src', 'cli', 'main.js');
/** Far longer than any of these takes when it works (well under a second); only a hang reaches it. */
const HANG_MS = 30_000;

interface Run {
  code: number | null;
  signal: string | null;
  out: string;
  err: string;
}

function cli(args: string[], cwd: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [CLI, ...args], { cwd, timeout: HANG_MS, maxBuffer: 64 * 1024 * 1024, killSignal: 'SIGKILL' }, (err, stdout, stderr) => {
      resolve({ code: child.exitCode, signal: child.signalCode ?? (err as { signal?: string } | null)?.signal ?? null, out: stdout, err: stderr });
    });
    child.stdin?.end();
  });
}

/** Asserts the run ended by itself (not killed as hung) with `code`. */
function ended(r: Run, code: number): void {
  assert.equal(r.signal, null, `killed after ${HANG_MS} ms: it hung\nstdout: ${r.out.slice(0, 2000)}\nstderr: ${r.err.slice(0, 2000)}`);
  assert.equal(r.code, code, `exit ${r.code}\nstdout: ${r.out.slice(0, 4000)}\nstderr: ${r.err.slice(0, 4000)}`);
}

const ZONE = ['$TTL 3600', '@ IN SOA ns1 hostmaster 1 7200 3600 1209600 300', '  IN NS ns1', 'ns1 IN A 192.0.2.53', ''].join('\n');

let tmp: string;
before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'maildns-zone-io-cli-'));
});
after(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

function dir(name: string): string {
  const d = path.join(tmp, name);
  fs.mkdirSync(d, { recursive: true });
  return d;
}

describe('maildns lint on hostile folders (issue 9)', () => {
  it('issue 9 #1: a folder with a symlink loop (ln -s . a; ln -s . b) is searched once and linted', async () => {
    const d = dir('loop');
    fs.writeFileSync(path.join(d, 'db.example.com'), ZONE);
    fs.symlinkSync('.', path.join(d, 'a'));
    fs.symlinkSync('.', path.join(d, 'b'));
    fs.mkdirSync(path.join(d, 'sub'));
    fs.symlinkSync('..', path.join(d, 'sub', 'up'));
    const r = await cli(['lint', 'loop'], tmp);
    ended(r, 0);
    assert.match(r.err, /^1 zone file: 0 errors/m);
    assert.match(r.err, /loop\/a is a symlink to a directory already searched/);
    assert.match(r.err, /loop\/sub\/up is a symlink to a directory already searched/);
  });

  it('issue 9 #1: maildns lint /proc/self stays inside it (its root symlink is not followed to /)', async () => {
    const r = await cli(['lint', '/proc/self', '--json'], tmp);
    ended(r, 0);
    const j = JSON.parse(r.out) as { files: unknown[]; skipped: string[] };
    assert.deepEqual(j.files, []);
    assert.ok(
      j.skipped.some((s) => /^\/proc\/self\/root is a symlink to \/, outside \/proc\/self: not followed$/.test(s)),
      j.skipped.slice(0, 30).join('\n'),
    );
  });

  it('issue 9 #3: maildns lint /dev/zero and maildns lint <fifo> end at once: not regular files', async () => {
    const fifo = path.join(dir('fifo-arg'), 'db.example.com');
    execFileSync('mkfifo', [fifo]);
    const zero = await cli(['lint', '/dev/zero'], tmp);
    ended(zero, 2);
    assert.match(zero.err, /\/dev\/zero is a character device, not a regular file: not read/);
    const r = await cli(['lint', fifo], tmp);
    ended(r, 2);
    assert.match(r.err, /db\.example\.com is a FIFO, not a regular file: not read/);
  });

  it('issue 9 #3: $INCLUDE of a FIFO or a 65 MiB file: each refused, a finding naming the file and the rule', async () => {
    const d = dir('includes');
    execFileSync('mkfifo', [path.join(d, 'fifo.inc')]);
    // Sparse: 65 MiB by its size, no disk used; refused by fstat before a byte is read.
    fs.writeFileSync(path.join(d, 'big.inc'), '');
    fs.truncateSync(path.join(d, 'big.inc'), 65 * 1024 * 1024);
    // A zone-file name that is a FIFO: the search must not open it.
    execFileSync('mkfifo', [path.join(d, 'db.fifo.example')]);
    fs.writeFileSync(path.join(d, 'db.example.com'), ZONE + '$INCLUDE fifo.inc\n$INCLUDE big.inc\n');
    const r = await cli(['lint', 'includes'], tmp);
    ended(r, 1);
    assert.match(r.out, /db\.example\.com:5:10: error zone-file-not-regular not read: \S+fifo\.inc is a FIFO, not a regular file/);
    assert.match(r.out, /db\.example\.com:6:10: error zone-file-too-big not read: \S+big\.inc is 65 MiB, more than the 64 MiB one zone file may have/);
    assert.match(r.err, /db\.fifo\.example is a FIFO, not a regular file: not read/);
  });

  it('issue 9 #3: $INCLUDE /dev/zero is refused, outside the paths given and, where allowed, as a device', async () => {
    const d = dir('zero');
    fs.writeFileSync(path.join(d, 'db.example.com'), ZONE + '$INCLUDE /dev/zero\n');
    const r = await cli(['lint', 'zero'], tmp);
    ended(r, 1);
    assert.match(r.out, /db\.example\.com:5:10: error zone-include-outside not read: \/dev\/zero is outside/);
    const allowed = await cli(['lint', 'zero', '--include-root', '/dev'], tmp);
    ended(allowed, 1);
    assert.match(allowed.out, /db\.example\.com:5:10: error zone-file-not-regular not read: \/dev\/zero is a character device, not a regular file/);
  });

  it('issue 9 #14: $INCLUDE of ../../etc/passwd, /etc/shadow, /proc/self/environ or a symlink out is refused, and nothing of them printed', async () => {
    const d = dir('outside/zones');
    fs.symlinkSync('/etc/passwd', path.join(d, 'passwd.inc'));
    fs.writeFileSync(path.join(tmp, 'outside', 'sibling.inc'), 'www IN A 192.0.2.80\n');
    const up = path.relative(d, '/etc/passwd');
    fs.writeFileSync(path.join(d, 'db.example.com'), ZONE + `$INCLUDE ${up}\n$INCLUDE /etc/shadow\n$INCLUDE /proc/self/environ\n$INCLUDE passwd.inc\n$INCLUDE ../sibling.inc\n`);
    const r = await cli(['lint', 'outside/zones', '--json'], tmp);
    ended(r, 1);
    const j = JSON.parse(r.out) as { files: unknown[]; findings: { file: string; line: number; code: string; message: string }[] };
    assert.deepEqual(
      j.findings.map((f) => `${f.line} ${f.code}`),
      ['5 zone-include-outside', '6 zone-include-outside', '7 zone-include-outside', '8 zone-include-outside', '9 zone-include-outside'],
    );
    assert.match(j.findings[0].message, /^not read: \/etc\/passwd is outside the files and directories given to maildns lint \(--include-root DIR reads there too\)$/);
    assert.match(j.findings[3].message, /passwd\.inc \(a symlink to \/etc\/passwd\) is outside/);
    // Nothing read from them shows: no finding is in another file, no token of theirs is quoted.
    assert.ok(j.findings.every((f) => f.file.endsWith('db.example.com')));
    assert.doesNotMatch(r.out, /root:|SHELL=|PATH=/);

    // Asked for, it reads there: --include-root is the way to include from elsewhere.
    const allowed = await cli(['lint', 'outside/zones', '--include-root', '/etc', '--json'], tmp);
    ended(allowed, 1);
    const files = (JSON.parse(allowed.out) as { findings: { file: string; code: string }[] }).findings.filter((f) => f.code !== 'zone-include-outside').map((f) => f.file);
    assert.ok(files.includes('/etc/passwd'), files.join('\n'));
  });

  it('issue 9 #14: a file named directly may $INCLUDE beside it, not above it', async () => {
    const d = dir('named/zones');
    fs.writeFileSync(path.join(d, 'keys.inc'), 'www IN A 192.0.2.80\n');
    fs.writeFileSync(path.join(tmp, 'named', 'above.inc'), 'ftp IN A 192.0.2.21\n');
    fs.writeFileSync(path.join(d, 'db.example.com'), ZONE + '$INCLUDE keys.inc\n$INCLUDE ../above.inc\n');
    const r = await cli(['lint', 'named/zones/db.example.com'], tmp);
    ended(r, 1);
    assert.deepEqual(r.out.trim().split('\n'), [
      // Issue 12: BIND reads a relative $INCLUDE from its working directory (here where maildns runs);
      // with no configuration saying where that is, the file beside is read, with a warning.
      `named/zones/db.example.com:5:10: warning zone-include-relative keys.inc is not in ${tmp} but beside the including file: BIND reads a relative $INCLUDE from its working directory (the directory option of named.conf, or where named-checkzone runs), so this works only when named runs in ${path.join(tmp, 'named', 'zones')}`,
      `named/zones/db.example.com:6:10: error zone-include-outside not read: ${path.join(tmp, 'named', 'above.inc')} is outside the files and directories given to maildns lint (--include-root DIR reads there too)`,
    ]);
  });
});

describe('maildns lint into a pipe its reader closes (issue 12)', () => {
  it('issue 12: `maildns lint big.zone | head -1` ends quietly: no EPIPE stack trace, its own exit status', async () => {
    const big = path.join(tmp, 'big.zone');
    // 200,000 warnings: far more than a pipe buffer holds, so writes go on after the reader is gone.
    fs.writeFileSync(big, ZONE + Array.from({ length: 200_000 }, (_, i) => `h${i} IN MX 10 nowhere${i}`).join('\n') + '\n');
    const child = spawn(process.execPath, [CLI, 'lint', '--origin', 'example.com', big], { cwd: tmp, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    // Like head -1: read the first chunk, then close the pipe.
    child.stdout.once('data', () => child.stdout.destroy());
    const killer = setTimeout(() => child.kill('SIGKILL'), HANG_MS);
    const [code, signal] = await new Promise<[number | null, string | null]>((resolve) => child.on('close', (c, s) => resolve([c, s])));
    clearTimeout(killer);
    assert.equal(signal, null, `killed: it hung or died\n${err}`);
    assert.doesNotMatch(err, /EPIPE|internal error|\n\s+at /, err);
    // The lint itself finished: its summary, and the status its findings give (warnings only: 0).
    assert.match(err, /1 zone file: 0 errors, 200000 warnings/);
    assert.equal(code, 0);
  });

  it('issue 12: standard output that fails otherwise (a full disk: /dev/full) ends with one line saying so and status 2, no stack trace', async () => {
    const big = path.join(tmp, 'full.zone');
    fs.writeFileSync(big, ZONE + Array.from({ length: 20_000 }, (_, i) => `h${i} IN MX 10 nowhere${i}`).join('\n') + '\n');
    const full = fs.openSync('/dev/full', 'w');
    const child = spawn(process.execPath, [CLI, 'lint', '--origin', 'example.com', big], { cwd: tmp, stdio: ['ignore', full, 'pipe'] });
    fs.closeSync(full);
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const killer = setTimeout(() => child.kill('SIGKILL'), HANG_MS);
    const [code, signal] = await new Promise<[number | null, string | null]>((resolve) => child.on('close', (c, s) => resolve([c, s])));
    clearTimeout(killer);
    assert.equal(signal, null, `killed: it hung or died\n${err}`);
    assert.doesNotMatch(err, /internal error|\n\s+at /, err);
    assert.equal(err.match(/could not write standard output \(ENOSPC\)/g)?.length, 1, err);
    assert.equal(code, 2);
  });
});

describe('maildns explain on a FIFO or a device (issue 9)', () => {
  it('issue 9 #3: maildns explain <fifo> with no writer ends at once with a clear error', async () => {
    const fifo = path.join(dir('explain'), 'bounce.fifo');
    execFileSync('mkfifo', [fifo]);
    const r = await cli(['explain', fifo], tmp);
    ended(r, 2);
    assert.match(r.err, /bounce\.fifo" is a FIFO with nothing written to it/);
  });

  it('issue 9 #3: maildns explain <fifo> reads what a writer sends, until it closes', async () => {
    const fifo = path.join(dir('explain-writer'), 'bounce.fifo');
    execFileSync('mkfifo', [fifo]);
    // The writer's open waits for a reader (in libuv's thread pool); the CLI's open is that reader.
    const writer = fs.promises.open(fifo, 'w');
    const run = cli(['explain', fifo], tmp);
    const w = await writer;
    await w.write('<dyna-web@example.net>: host mx.example.org said: 504 5.5.2 <DYNA-WEB>: Helo command rejected: need fully-qualified hostname\n');
    await w.close();
    const r = await run;
    ended(r, 0);
    assert.match(r.out, /DYNA-WEB/);
  });

  it('issue 9 #3: maildns explain /dev/zero is refused: a device is not a bounce', async () => {
    const r = await cli(['explain', '/dev/zero'], tmp);
    ended(r, 2);
    assert.match(r.err, /"\/dev\/zero" is a character device: explain reads a file, a pipe or standard input/);
  });
});

// Issue 9: a real VS Code opens a hostile folder — a symlink loop (`ln -s . a; ln -s . b`), a link
// to `/`, FIFOs (one named like a zone file, one `$INCLUDE`d), a 17 MiB zone file and a zone that `$INCLUDE`s
// /dev/zero, /proc/self/environ and ../../etc/passwd — and the suite's "Hostile workspace" tests
// (test/exthost/suite/hostile.test.ts) check that the extension activates, its diagnostics arrive
// and the editor answers. Before the fix, activate() never returned (the search of the loop ran
// synchronously in it). The folder is made here, in the run's workspace copy: FIFOs and symlinks
// are not committed, and a copy would not carry them.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { runExtensionTests } from './harness';

const ZONE = ['$TTL 3600', '@ IN SOA ns1 hostmaster 1 7200 3600 1209600 300', '  IN NS ns1', 'ns1 IN A 192.0.2.53'];

export function makeHostileFolder(dir: string): void {
  const up = path.relative(dir, '/etc/passwd');
  fs.writeFileSync(
    path.join(dir, 'db.example.com'),
    [...ZONE, '$INCLUDE /dev/zero', '$INCLUDE fifo.inc', `$INCLUDE ${up}`, '$INCLUDE /proc/self/environ', '$INCLUDE hosts.inc', 'www IN A 192.0.2.80', ''].join('\n'),
  );
  // A closed zone file with a warning of its own: its diagnostics show the search found it.
  fs.writeFileSync(path.join(dir, 'example.net.zone'), ['$ORIGIN example.net.', ...ZONE, '@ IN MX 10 mail.example.net', 'mail IN A 192.0.2.25', ''].join('\n'));
  // A zone by its beginning (the search reads a file's first 64 KiB to tell a zone from hints, dig output
  // or an empty file: issue 12), then sparse to 17 MiB: over the editor's 16 MiB per file, never read whole.
  fs.writeFileSync(path.join(dir, 'db.huge.example'), [...ZONE, ''].join('\n'));
  fs.truncateSync(path.join(dir, 'db.huge.example'), 17 * 1024 * 1024);
  execFileSync('mkfifo', [path.join(dir, 'fifo.inc'), path.join(dir, 'db.fifo.example')]);
  fs.symlinkSync('.', path.join(dir, 'a'));
  fs.symlinkSync('.', path.join(dir, 'b'));
  fs.symlinkSync('/', path.join(dir, 'root'));
  fs.symlinkSync('/etc/hosts', path.join(dir, 'hosts.inc'));
}

test('a hostile folder: the extension activates, lints and answers (issue 9)', { timeout: 10 * 60_000 }, async () => {
  const r = await runExtensionTests({
    workspace: null,
    prepare: makeHostileFolder,
    settings: { 'mailDns.zone.liveLookups': false },
    env: { MAILDNS_TEST_HOSTILE: '1' },
    grep: 'Hostile workspace',
  });
  assert.equal(r.exitCode, 0, `the extension-host tests exited with ${r.exitCode}; logs kept in ${r.logDir}`);
  assert.match(r.output, /exthost: [1-9]\d* passed, 0 failed/, 'the suite did not report its tests');
});

import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { lintCommand } from '../../src/cli/commands/lint';
import { UsageError } from '../../src/cli/shared';
import { REPO_ROOT } from '../paths';

async function lint(args: string[], now?: Date) {
  let out = '';
  let err = '';
  const code = await lintCommand.run(args, { out: (t) => (out += t), err: (t) => (err += t), ...(now ? { now: () => now } : {}) });
  return { code, out, err };
}

const DEMO = path.join(REPO_ROOT, 'demo', 'zones');
const ZL = path.join(REPO_ROOT, 'test', 'fixtures', 'zone-lint');

describe('maildns lint', () => {
  it('prints file:line:col: severity code message; the seed\'s loop is a warning (named loads the zones), an error with --fail-on warning', async () => {
    const r = await lint([DEMO]);
    // Issue 12: the exit status gates a deploy as named-checkzone does; mail findings teach, as warnings.
    assert.equal(r.code, 0);
    const lines = r.out.trim().split('\n');
    assert.ok(lines.every((l) => /^.+:\d+:\d+: (error|warning|info) [a-z0-9-]+ .+$/.test(l)), r.out);
    assert.ok(lines.some((l) => /113\.0\.203\.in-addr\.arpa\.zone:16:25: warning ptr-loop 203\.0\.113\.100 PTR mail\.example\.net/.test(l)), r.out);
    assert.match(r.err, /6 zone files: 0 errors, 6 warnings, 0 info/);
    assert.equal((await lint([DEMO, '--fail-on', 'warning'])).code, 1);
  });

  it('gives JSON with 1-based positions and fixes', async () => {
    const r = await lint([DEMO, '--json']);
    assert.equal(r.code, 0);
    const j = JSON.parse(r.out);
    assert.equal(j.files.length, 6);
    assert.deepEqual(j.summary, { error: 0, warning: 6, info: 0 });
    const loop = j.findings.find((f: { code: string; message: string }) => f.code === 'ptr-loop' && f.message.startsWith('203.0.113.100'));
    assert.equal(loop.line, 16);
    assert.equal(loop.column, 25);
    assert.equal(loop.endColumn, 42);
    assert.equal(loop.fix.proposed, 'web6.example.net');
  });

  it('--json fixes bump the SOA serial to the clock\'s day, as the editor\'s quick fixes do', async () => {
    const r = await lint([DEMO, '--json'], new Date('2026-12-02T10:00:00Z'));
    const j = JSON.parse(r.out);
    const loop = j.findings.find((f: { code: string; message: string }) => f.code === 'ptr-loop' && f.message.startsWith('203.0.113.100'));
    // 113.0.203.in-addr.arpa.zone numbers its serials YYYYMMDDnn: 2026030401 → that day's 00.
    assert.match(loop.fix.description, /; serial 2026030401 → 2026120200$/);
    const bumps = loop.fix.edits.filter((e: { serial?: boolean }) => e.serial);
    assert.equal(bumps.length, 1, JSON.stringify(loop.fix.edits));
    assert.equal(bumps[0].newText, '2026120200');
    assert.equal(bumps[0].file, path.relative(process.cwd(), path.join(DEMO, '113.0.203.in-addr.arpa.zone')));
  });

  it('exits 0 when there are only warnings, with the origin given for one file', async () => {
    const r = await lint([path.join(ZL, 'reverse-dots.zone'), '--origin', '113.0.203.in-addr.arpa']);
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, /reverse-dots\.zone:5:\d+: warning zone-missing-final-dot/);
  });

  it('exits 1 on parse errors', async () => {
    const r = await lint([path.join(ZL, 'parse-errors.zone'), '--origin', 'example.com']);
    assert.equal(r.code, 1);
    assert.match(r.out, /parse-errors\.zone:8:11: error zone-bad-ttl /);
  });

  it('refuses to run without files, or with --origin for several', async () => {
    await assert.rejects(lint([]), UsageError);
    await assert.rejects(lint([DEMO, ZL, '--origin', 'x.example']), UsageError);
    await assert.rejects(lint([path.join(ZL, 'no-such-file.zone')]), /no such file or directory/);
  });
});

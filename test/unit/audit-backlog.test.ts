// The audit waits for a slow reader of its output: with standard output behind (CliIo.backlog), no
// new checks start and no rows pile up in memory; the run goes on once the reader catches up.
import { strict as assert } from 'node:assert';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { backlogOf, runCli } from '../../src/cli/main';
import { startFaultDns, type FaultDnsServer } from '../harness/fault-dns';

describe('audit output backlog', () => {
  let dns: FaultDnsServer;
  before(async () => {
    // No records: every address is one PTR question, answered NXDOMAIN.
    dns = await startFaultDns({});
  });
  after(() => dns.stop());

  it('backlogOf: one promise while the stream needs draining, settled on drain, then none', async () => {
    const held: (() => void)[] = [];
    const stream = new Writable({ highWaterMark: 4, write: (_chunk, _enc, done) => void held.push(done) });
    const backlog = backlogOf(stream);
    assert.equal(backlog(), undefined);
    stream.write('more than four bytes');
    const p = backlog();
    assert.ok(p instanceof Promise);
    assert.equal(backlog(), p);
    held.shift()!();
    await p;
    assert.equal(backlog(), undefined);
  });

  it('starts no new checks while its reader is behind, and finishes once it catches up', { timeout: 30_000 }, async () => {
    let rows = 0;
    let release: (() => void) | undefined;
    let blocked: Promise<void> | undefined;
    const io = {
      out: (t: string) => void (rows += t.split('\n').length - 1),
      err: () => undefined,
      backlog: () => {
        // Behind after the header and 10 rows, until released.
        if (rows < 11 || release === null) return undefined;
        return (blocked ??= new Promise<void>((r) => (release = r)));
      },
    };
    const run = runCli(['audit', '10.9.0.0/24', '--resolver', dns.server, '--csv', '--rate', '0', '--concurrency', '4'], io);
    const before = dns.queries.length;
    // The checks already started when the reader fell behind are answered: the 10 written, and 3
    // more (the window of 4 was full when the 10th row was taken from it)…
    await dns.waitForQueries(before + 10 + 3);
    while (!release) await new Promise((r) => setImmediate(r));
    // …and nothing more is written while it is behind.
    assert.equal(rows, 11);
    assert.equal(dns.queries.length - before, 13);
    const r = release as () => void;
    release = null as unknown as undefined;
    r();
    assert.equal(await run, 1); // permerror everywhere: exit 1
    assert.equal(rows, 257);
    assert.equal(dns.queries.length - before, 256);
  });
});

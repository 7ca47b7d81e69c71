// "Check live again" against a real BIND: the send-as and DMARC checks of example.com run on zone
// v1, BIND is restarted on zone v2 (the fix published: SPF gains the IP, _dmarc appears), the
// checks run again, and the diff of the answers names each changed record with how long caches may
// still give the old one (the old TXT's TTL; the NXDOMAIN's negative TTL, RFC 2308 §5).
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { checkDmarc } from '../../src/core/dmarc/check';
import { createResolver } from '../../src/core/dns/resolver';
import { diffAnswers, liveDiffSection, recordingResolver, type RecordedAnswer } from '../../src/core/live/diff';
import { sendAs } from '../../src/core/spf/sendas';
import { startBind, type BindServer } from '../harness/bind';

const zone = (serial: number, spf: string, extra: string) => `$TTL 3600
@ 3600 IN SOA ns1 hostmaster ${serial} 7200 3600 1209600 300
  IN NS ns1
ns1 IN A 127.0.0.1
@ 1800 IN TXT "${spf}"
@ IN MX 10 mail
mail IN A 192.0.2.25
${extra}`;

const V1 = zone(1, 'v=spf1 ip4:192.0.2.25 -all', '');
const V2 = zone(2, 'v=spf1 ip4:192.0.2.25 ip4:192.0.2.77 -all', '_dmarc 600 IN TXT "v=DMARC1; p=none"\n');

async function run(server: string): Promise<{ answers: RecordedAnswer[]; authorized: boolean | null; dmarc: string }> {
  const rec = recordingResolver(createResolver({ servers: [server], timeoutMs: 3000 }));
  const s = await sendAs('192.0.2.77', 'example.com', { resolver: rec.resolver });
  const d = await checkDmarc('example.com', { resolver: rec.resolver, checkReports: false });
  return { answers: rec.answers(), authorized: s.authorized, dmarc: d.verdict };
}

describe('Check live again: what changed in real DNS between two runs', () => {
  let dir: string;
  let bind: BindServer | undefined;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'maildns-live-'));
  });
  after(async () => {
    await bind?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('zone v1, then v2 published: the SPF TXT changed (old one cached up to 1800 s), _dmarc appeared (NXDOMAIN cached up to 300 s), the SOA serial', { timeout: 60_000 }, async () => {
    fs.writeFileSync(path.join(dir, 'example.com.zone'), V1);
    bind = await startBind({ zoneDir: dir, zones: [{ name: 'example.com', file: 'example.com.zone' }] });
    const first = await run(bind.server);
    assert.equal(first.authorized, false);
    assert.equal(first.dmarc, 'none');
    await bind.stop();
    fs.writeFileSync(path.join(dir, 'example.com.zone'), V2);
    bind = await startBind({ zoneDir: dir, zones: [{ name: 'example.com', file: 'example.com.zone' }] });
    const second = await run(bind.server);
    assert.equal(second.authorized, true);
    assert.equal(second.dmarc, 'monitoring');

    const diff = diffAnswers(first.answers, second.answers);
    const show = JSON.stringify(diff.changes, null, 1);
    assert.deepEqual(
      diff.changes.find((c) => c.change === 'removed' && c.type === 'TXT' && c.name === 'example.com'),
      { name: 'example.com', type: 'TXT', change: 'removed', text: 'example.com. TXT "v=spf1 ip4:192.0.2.25 -all"', staleFor: 1800 },
      show,
    );
    assert.ok(diff.changes.some((c) => c.change === 'added' && c.text === 'example.com. TXT "v=spf1 ip4:192.0.2.25 ip4:192.0.2.77 -all"'), show);
    assert.deepEqual(
      diff.changes.find((c) => c.name === '_dmarc.example.com' && c.change === 'added'),
      { name: '_dmarc.example.com', type: 'TXT', change: 'added', text: '_dmarc.example.com. TXT "v=DMARC1; p=none"', staleFor: 300 },
      show,
    );
    assert.ok(diff.changes.some((c) => c.name === '_dmarc.example.com' && c.change === 'rcode' && c.text === 'NXDOMAIN → NOERROR'), show);
    // Records that did not change are not listed (the MX, mail's A).
    assert.ok(!diff.changes.some((c) => c.type === 'MX' || c.type === 'A'), show);
    assert.ok(diff.unchanged > 0);
    // The SOA (the send-as check asks for the zone) changed with the serial: its TTL is the longest.
    assert.ok(diff.changes.some((c) => c.type === 'SOA' && c.change === 'removed' && / 1 …$/.test(c.text) && c.staleFor === 3600), show);
    assert.equal(diff.staleFor, 3600);
    const section = liveDiffSection(diff, 'the first run');
    assert.equal(section.type, 'table');
    assert.ok(section.type === 'table' && section.rows.some((r) => r[4] === '1800 s'));

    // Nothing published in between: no change.
    const third = await run(bind.server);
    const same = diffAnswers(second.answers, third.answers);
    assert.deepEqual(same.changes, []);
    assert.equal(same.staleFor, 0);
  });
});

// "Check MX for domain" against a real BIND serving test/fixtures/mail-zones (see its CASES.md).
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { mxCommand } from '../../src/cli/commands/mx';
import { UsageError } from '../../src/cli/shared';
import { createResolver } from '../../src/core/dns/resolver';
import type { Resolver } from '../../src/core/dns/types';
import { checkMx } from '../../src/core/mx/check';
import type { MxResult } from '../../src/core/mx/types';
import { startBind, type BindServer } from '../harness/bind';
import { REPO_ROOT } from '../paths';

const MAIL_ZONES = path.join(REPO_ROOT, 'test', 'fixtures', 'mail-zones');
const codes = (r: MxResult) => r.findings.map((f) => f.code);

describe('MX check against BIND', () => {
  let bind: BindServer;
  let resolver: Resolver;
  before(async () => {
    bind = await startBind({ zoneDir: MAIL_ZONES });
    resolver = createResolver({ servers: [bind.server], timeoutMs: 1000 });
  });
  after(() => bind.stop());

  it('lists hosts in preference order with addresses and FCrDNS', async () => {
    const r = await checkMx('multi.mxcases.example', { resolver });
    // Lowest preference first; equal preferences in the order DNS gave (BIND rotates them).
    assert.deepEqual(r.hosts.map((h) => h.preference), [10, 20, 20]);
    assert.equal(r.hosts[0].exchange, 'mx1.multi.mxcases.example');
    assert.deepEqual(r.hosts.slice(1).map((h) => h.exchange).sort(), ['mx2.multi.mxcases.example', 'mx3.multi.mxcases.example']);
    const host = (n: string) => r.hosts.find((h) => h.exchange === `${n}.multi.mxcases.example`)!;
    assert.deepEqual(host('mx1').addresses.map((a) => [a.ip, a.fcrdns, a.ptrIsHost]), [['203.0.113.25', 'pass', true]]);
    assert.deepEqual(host('mx2').addresses.map((a) => [a.ip, a.fcrdns]), [['203.0.113.26', 'permerror']]);
    assert.equal(host('mx3').usable, false);
    assert.equal(r.receivesMail, true);
    const noAddr = r.findings.find((f) => f.code === 'mx-host-no-address');
    assert.match(noAddr?.message ?? '', /mx3\.multi\.mxcases\.example \(preference 20\) has no A or AAAA record \(no data\)/);
    const ptr = r.findings.find((f) => f.code === 'mx-host-fcrdns');
    assert.match(ptr?.message ?? '', /mx2\.multi\.mxcases\.example \(203\.0\.113\.26\) has no PTR record/);
    assert.equal(ptr?.fix?.zone, '113.0.203.in-addr.arpa');
  });

  it("flags the seed's MX whose PTR points elsewhere", async () => {
    const r = await checkMx('dynatron.example', { resolver });
    assert.deepEqual(r.hosts.map((h) => h.exchange), ['po.dynatron.example']);
    const f = r.findings.find((x) => x.code === 'mx-host-fcrdns');
    assert.match(f?.message ?? '', /has the PTR dynatron\.example, which does not resolve back to it/);
    // The seed's own fix: the PTR of the MX's address names the MX host.
    assert.equal(f?.fix?.record, '244.113.0.203.in-addr.arpa. 3600 IN PTR po.dynatron.example.');
    assert.equal(f?.fix?.zone, '113.0.203.in-addr.arpa');
  });

  it('recognises a null MX (RFC 7505) and a null MX mixed with others', async () => {
    const n = await checkMx('null.mxcases.example', { resolver });
    assert.equal(n.nullMx, true);
    assert.equal(n.receivesMail, false);
    assert.deepEqual(n.hosts.map((h) => h.kind), ['null']);
    assert.ok(codes(n).includes('mx-null'));
    const mixed = await checkMx('nullmixed.mxcases.example', { resolver });
    assert.ok(codes(mixed).includes('mx-null-mixed'));
    assert.equal(mixed.hosts[0].kind, 'null');
  });

  it('falls back to the implicit MX, or says the domain takes no mail', async () => {
    const i = await checkMx('implicit.mxcases.example', { resolver });
    assert.equal(i.implicit, true);
    assert.deepEqual(i.hosts.map((h) => [h.kind, h.exchange, h.addresses[0]?.ip]), [['implicit', 'implicit.mxcases.example', '203.0.113.70']]);
    assert.equal(i.receivesMail, true);
    assert.equal(i.findings.find((f) => f.code === 'mx-implicit')?.fix?.record, 'implicit.mxcases.example. 3600 IN MX 10 implicit.mxcases.example.');
    const none = await checkMx('none.mxcases.example', { resolver });
    assert.equal(none.receivesMail, false);
    assert.ok(codes(none).includes('mx-none'));
    const nx = await checkMx('nx.mxcases.example', { resolver });
    assert.ok(codes(nx).includes('mx-domain-nxdomain'));
  });

  it('flags CNAME and IP-address targets, and targets that do not exist', async () => {
    const c = await checkMx('cname.mxcases.example', { resolver });
    assert.deepEqual(c.hosts[0].cnames.map((x) => x.target), ['mx1.multi.mxcases.example']);
    assert.equal(c.hosts[0].usable, true);
    assert.equal(c.findings.find((f) => f.code === 'mx-target-cname')?.fix?.proposed, '10 mx1.multi.mxcases.example');
    const ip = await checkMx('iplit.mxcases.example', { resolver });
    assert.equal(ip.hosts[0].kind, 'ip-literal');
    assert.equal(ip.receivesMail, false);
    assert.match(ip.findings.find((f) => f.code === 'mx-target-ip')?.message ?? '', /names an IP address where a host name belongs/);
    const d = await checkMx('dangling.mxcases.example', { resolver });
    assert.match(d.findings.find((f) => f.code === 'mx-host-no-address')?.message ?? '', /NXDOMAIN.*there is no other host/);
  });

  it('maildns mx exits 0 / 1 and prints the hosts', async () => {
    const run = async (args: string[]) => {
      let out = '';
      try {
        return { code: await mxCommand.run([...args, '--resolver', bind.server], { out: (t) => (out += t), err: () => undefined }), out };
      } catch (e) {
        if (e instanceof UsageError) return { code: 2, out: e.message };
        throw e;
      }
    };
    const ok = await run(['mx1.multi.mxcases.example.', '--json']);
    assert.equal(ok.code, 0, ok.out);
    assert.equal(JSON.parse(ok.out).implicit, true);
    const multi = await run(['multi.mxcases.example']);
    assert.equal(multi.code, 1);
    assert.match(multi.out, /✓ {4}10 mx1\.multi\.mxcases\.example\n {10}203\.0\.113\.25 {2}PTR mx1\.multi\.mxcases\.example {2}iprev pass/);
    const email = await run(['someone@null.mxcases.example']);
    assert.equal(email.code, 1);
    assert.match(email.out, /receives mail: no \(null MX, RFC 7505\)/);
    const bad = await run(['192.0.2.1']);
    assert.equal(bad.code, 2);
    assert.match(bad.out, /IP address, not a domain/);
  });
});

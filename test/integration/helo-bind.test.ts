// "Check HELO name" against a real BIND serving test/fixtures/mail-zones: the seed's names.
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { heloCommand } from '../../src/cli/commands/helo';
import { UsageError } from '../../src/cli/shared';
import { createResolver } from '../../src/core/dns/resolver';
import type { Resolver } from '../../src/core/dns/types';
import { checkHelo } from '../../src/core/helo/check';
import type { HeloResult } from '../../src/core/helo/types';
import { startBind, type BindServer } from '../harness/bind';
import { REPO_ROOT } from '../paths';

const MAIL_ZONES = path.join(REPO_ROOT, 'test', 'fixtures', 'mail-zones');
const codes = (r: HeloResult) => r.findings.map((f) => f.code);

describe('HELO check against BIND', () => {
  let bind: BindServer;
  let resolver: Resolver;
  before(async () => {
    bind = await startBind({ zoneDir: MAIL_ZONES });
    resolver = createResolver({ servers: [bind.server], timeoutMs: 1000 });
  });
  after(() => bind.stop());

  it('passes a name that resolves to the IP, is its PTR, and has HELO SPF', async () => {
    const r = await checkHelo('web6.dynatron.example', { ip: '203.0.113.60', resolver });
    assert.equal(r.fqdn, true);
    assert.equal(r.resolves, true);
    assert.equal(r.matchesIp, true);
    assert.equal(r.matchesPtr, true);
    assert.deepEqual(r.confirmedPtr, ['web6.dynatron.example']);
    assert.equal(r.spf?.result, 'pass');
    assert.equal(r.spf?.record, 'v=spf1 a -all');
    assert.deepEqual(r.postfix, { reject_invalid_helo_hostname: 'accept', reject_non_fqdn_helo_hostname: 'accept', reject_unknown_helo_hostname: 'accept' });
    assert.ok(codes(r).includes('helo-ok'));
    assert.ok(r.findings.every((f) => f.severity === 'info'));
  });

  it("the seed's DYNA-WEB: not fully qualified, with Postfix's exact reply and where to set the name", async () => {
    const r = await checkHelo('DYNA-WEB', { ip: '203.0.113.100', resolver });
    assert.equal(r.fqdn, false);
    assert.equal(r.postfix.reject_non_fqdn_helo_hostname, 'reject');
    assert.equal(r.receivers[1].reply, '504 5.5.2 <DYNA-WEB>: Helo command rejected: need fully-qualified hostname');
    const f = r.findings.find((x) => x.code === 'helo-not-fqdn');
    assert.equal(f?.severity, 'error');
    assert.match(f?.fix?.description ?? '', /EasyMail SMTP Express: the registry value HKLM\\SOFTWARE\\Quiksoft\\EasyMail SMTP Express\\HostName/);
    assert.match(f?.fix?.description ?? '', /Postfix smtp_helo_name/);
    assert.match(f?.fix?.description ?? '', /Set-SendConnector -Fqdn/);
    assert.ok(r.nameSettings.some((s) => s.mta === 'EasyMail SMTP Express' && /HostName/.test(s.setting)));
    // 203.0.113.100's PTR (mail.dynatron.example) does not resolve back: no name to propose.
    assert.deepEqual(r.ptr, ['mail.dynatron.example']);
    assert.deepEqual(r.confirmedPtr, []);
    assert.equal(r.proposedName, undefined);
    assert.ok(!codes(r).some((c) => c.startsWith('dns-')), 'no DNS noise for a one-word name');
    assert.equal(r.spf, undefined, 'no HELO SPF for a name that is not a domain');
  });

  it("the seed's bogus HELO: dynatron.example from 203.0.113.244 proposes the MX host po.dynatron.example", async () => {
    const r = await checkHelo('dynatron.example', { ip: '203.0.113.244', resolver });
    assert.equal(r.matchesIp, false);
    assert.deepEqual(r.addresses, ['203.0.113.51']);
    assert.equal(r.matchesPtr, true, 'the PTR of .244 is (wrongly) dynatron.example');
    assert.equal(r.proposedName, 'po.dynatron.example');
    const f = r.findings.find((x) => x.code === 'helo-ip-mismatch');
    assert.match(f?.message ?? '', /resolves to 203\.0\.113\.51, not to the sending IP 203\.0\.113\.244.*BOGUS HELO/);
    assert.equal(f?.fix?.proposed, 'po.dynatron.example');
    assert.match(f?.fix?.description ?? '', /also set the PTR of 203\.0\.113\.244 to po\.dynatron\.example/);
  });

  it('names that do not exist, exist without addresses, or have only an MX', async () => {
    const nx = await checkHelo('nx.dynatron.example', { ip: '203.0.113.60', resolver });
    assert.equal(nx.resolves, false);
    assert.equal(nx.postfix.reject_unknown_helo_hostname, 'reject');
    const f = nx.findings.find((x) => x.code === 'helo-nxdomain');
    assert.match(f?.message ?? '', /450 4\.7\.1 <nx\.dynatron\.example>: Helo command rejected: Host not found/);
    assert.equal(f?.fix?.proposed, 'web6.dynatron.example', 'the PTR name of .60, which resolves back');
    const nodata = await checkHelo('nodata.dynatron.example', { resolver });
    assert.equal(nodata.findings.find((x) => x.code === 'helo-no-address')?.severity, 'error');
    const mxonly = await checkHelo('mxonly.dynatron.example', { resolver });
    assert.equal(mxonly.postfix.reject_unknown_helo_hostname, 'accept');
    assert.equal(mxonly.findings.find((x) => x.code === 'helo-no-address')?.severity, 'warning');
    assert.deepEqual(mxonly.mx, ['10 po.dynatron.example']);
  });

  it('address literals: matching, not matching, malformed', async () => {
    const ok = await checkHelo('[203.0.113.60]', { ip: '203.0.113.60', resolver });
    assert.equal(ok.literalMatchesIp, true);
    assert.equal(ok.resolves, null);
    assert.ok(codes(ok).includes('helo-address-literal'));
    assert.equal(ok.proposedName, 'web6.dynatron.example');
    const other = await checkHelo('[IPv6:2001:db8::1]', { ip: '203.0.113.60', resolver });
    assert.equal(other.literalMatchesIp, false);
    assert.ok(codes(other).includes('helo-literal-mismatch'));
    const bad = await checkHelo('[2001:db8::1]', { resolver });
    assert.equal(bad.postfix.reject_invalid_helo_hostname, 'reject');
    assert.ok(codes(bad).includes('helo-invalid'));
  });

  it('HELO SPF fail comes with the record that fixes it', async () => {
    const r = await checkHelo('dynatron.example', { ip: '203.0.113.61', resolver });
    assert.equal(r.spf?.result, 'fail');
    const f = r.findings.find((x) => x.code === 'helo-spf-fail');
    assert.equal(f?.fix?.proposed, 'v=spf1 ip4:203.0.113.60 ip4:203.0.113.100 ip4:203.0.113.244 ip4:203.0.113.61 -all');
  });

  it('maildns helo --json has name, fqdn, resolves, postfix verdicts and findings; exit 1 / 0', async () => {
    const run = async (args: string[]) => {
      let out = '';
      try {
        return { code: await heloCommand.run([...args, '--resolver', bind.server], { out: (t) => (out += t), err: () => undefined }), out };
      } catch (e) {
        if (e instanceof UsageError) return { code: 2, out: e.message };
        throw e;
      }
    };
    const seed = await run(['DYNA-WEB', '--ip', '203.0.113.100', '--json']);
    assert.equal(seed.code, 1);
    const j = JSON.parse(seed.out);
    assert.equal(j.name, 'DYNA-WEB');
    assert.equal(j.fqdn, false);
    assert.ok('resolves' in j);
    assert.deepEqual(Object.keys(j.postfix).sort(), ['reject_invalid_helo_hostname', 'reject_non_fqdn_helo_hostname', 'reject_unknown_helo_hostname']);
    for (const v of Object.values(j.postfix)) assert.ok(['accept', 'reject', 'defer'].includes(v as string));
    for (const f of j.findings) for (const k of ['code', 'severity', 'message']) assert.ok(k in f, k);
    const good = await run(['web6.dynatron.example', '--ip', '203.0.113.60']);
    assert.equal(good.code, 0);
    assert.match(good.out, /reject_non_fqdn_helo_hostname: accept/);
    const text = await run(['DYNA-WEB']);
    assert.match(text.out, /reject_non_fqdn_helo_hostname: reject {2}"504 5\.5\.2 <DYNA-WEB>: Helo command rejected: need fully-qualified hostname"/);
    assert.match(text.out, /EasyMail SMTP Express: registry string value HostName/);
    const badIp = await run(['web6.dynatron.example', '--ip', '203.0.113']);
    assert.equal(badIp.code, 2);
    assert.match(badIp.out, /--ip: "203\.0\.113" is not an IPv4 address/);
  });
});

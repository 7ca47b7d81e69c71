// The SMTP probe against a real Postfix on loopback (test/harness/postfix.ts): greeting, EHLO and its
// extensions, STARTTLS with the harness's self-signed test certificate, a delayed multi-line greeting
// (postscreen), a server greeting with a name that does not resolve to it (the seed's Exchange), and
// the probe's own EHLO name judged by Postfix's HELO rules.
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { smtpCommand } from '../../src/cli/commands/smtp';
import { UsageError } from '../../src/cli/shared';
import { createResolver } from '../../src/core/dns/resolver';
import type { Resolver } from '../../src/core/dns/types';
import { probeSmtp } from '../../src/core/smtp/probe';
import { startBind, type BindServer } from '../harness/bind';
import { postfixSuiteOptions, postfixUnavailable, startPostfix, type PostfixServer } from '../harness/postfix';
import { REPO_ROOT } from '../paths';

const MAIL_ZONES = path.join(REPO_ROOT, 'test', 'fixtures', 'mail-zones');
const unavailable = postfixUnavailable();

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  try {
    const code = await smtpCommand.run(args, { out: (t) => (out += t), err: (t) => (err += t) });
    return { code, out, err };
  } catch (e) {
    if (e instanceof UsageError) return { code: 2, out, err: `maildns: ${e.message}\n` };
    throw e;
  }
}

describe('SMTP probe against a real Postfix', postfixSuiteOptions(unavailable), () => {
  let bind: BindServer;
  let pf: PostfixServer;
  let resolver: Resolver;
  before(async () => {
    bind = await startBind({ zoneDir: MAIL_ZONES });
    pf = await startPostfix({ dns: bind.server, certNames: ['mail.dynatron.example'] });
    resolver = createResolver({ servers: [bind.server], timeoutMs: 1000 });
  });
  after(async () => {
    await pf?.stop();
    await bind?.stop();
  });

  it('reads the greeting, EHLO extensions, STARTTLS certificate, and QUIT', async () => {
    const r = await probeSmtp('127.0.0.1', pf.ports.helo, { resolver, ehloName: 'web6.dynatron.example', timeoutMs: 5000 });
    assert.equal(r.connected, true);
    assert.equal(r.greeting?.code, 220);
    assert.equal(r.greeting?.name, 'smtp-ok.dynatron.example');
    assert.equal(r.ehlo?.command, 'EHLO');
    assert.equal(r.ehlo?.name, 'smtp-ok.dynatron.example');
    const kw = r.ehlo!.extensions.map((x) => x.keyword);
    for (const k of ['PIPELINING', 'SIZE', 'STARTTLS', 'ENHANCEDSTATUSCODES', '8BITMIME']) assert.ok(kw.includes(k), k);
    assert.equal(r.ehlo!.extensions.find((x) => x.keyword === 'SIZE')?.params, '10240000');
    // STARTTLS with the harness's self-signed certificate: reported, not a failure.
    assert.equal(r.starttls.offered, true);
    assert.equal(r.starttls.ok, true);
    assert.match(r.starttls.protocol ?? '', /^TLSv1\.[23]$/);
    const c = r.starttls.certificate!;
    assert.deepEqual(c.names, ['smtp-ok.dynatron.example', 'mail.dynatron.example']);
    assert.equal(c.selfSigned, true);
    assert.equal(c.authorized, false);
    assert.equal(c.validTo.slice(0, 10), pf.certificate.notAfter.toISOString().slice(0, 10));
    assert.ok(c.daysLeft !== null && c.daysLeft >= 28 && c.daysLeft <= 30, String(c.daysLeft));
    assert.ok(c.matches.find((m) => m.role === 'greeting')?.ok);
    // RFC 3207 §4.2: EHLO again inside TLS; STARTTLS is no longer offered.
    assert.ok(r.starttls.extensionsAfter && !r.starttls.extensionsAfter.some((x) => x.keyword === 'STARTTLS'));
    assert.ok(r.transcript.some((l) => l.tls && l.dir === 'C' && l.text === 'EHLO web6.dynatron.example'));
    assert.equal(r.quit?.code, 221);
    // The greeting name resolves to the server and is its PTR name.
    assert.deepEqual(r.serverPtr, ['smtp-ok.dynatron.example']);
    assert.equal(r.names[0].resolvesToServer, true);
    assert.equal(r.names[0].isPtr, true);
    const codes = r.findings.map((f) => f.code);
    assert.ok(codes.includes('smtp-cert-self-signed'));
    assert.ok(!r.findings.some((f) => f.severity === 'error'), JSON.stringify(r.findings));
  });

  it('checks the certificate against the host name it connected to', async () => {
    const r = await probeSmtp('smtp-ok.dynatron.example', pf.ports.helo, { resolver, ehloName: 'web6.dynatron.example', timeoutMs: 5000 });
    assert.equal(r.hostIsName, true);
    assert.deepEqual(r.addresses, ['127.0.0.1']);
    assert.deepEqual(r.starttls.certificate?.matches.find((m) => m.role === 'host'), { name: 'smtp-ok.dynatron.example', role: 'host', ok: true });
  });

  it('waits for a delayed, multi-line greeting (postscreen)', async () => {
    const r = await probeSmtp('127.0.0.1', pf.ports.delay, { resolver, ehloName: 'web6.dynatron.example', timeoutMs: 5000 });
    assert.equal(r.greeting?.code, 220);
    assert.equal(r.greeting?.lines.length, 2, 'postscreen\'s "220-" line, then smtpd\'s "220 " line');
    assert.ok(r.greeting!.ms >= pf.greetDelaySeconds * 1000 - 100, `greeting after ${r.greeting!.ms} ms`);
    assert.ok(r.greeting!.firstByteMs! < r.greeting!.ms - 500, 'the first line came at once');
    const first = r.transcript.findIndex((l) => l.text.startsWith('220-'));
    const last = r.transcript.findIndex((l) => l.text.startsWith('220 '));
    assert.ok(first >= 0 && last > first && r.transcript[last].ms - r.transcript[first].ms >= 800);
    assert.equal(r.starttls.ok, true);
    assert.ok(!r.findings.some((f) => f.severity === 'error'), JSON.stringify(r.findings));
  });

  it('reports a greeting that does not come within the timeout, with what did come', async () => {
    const r = await probeSmtp('127.0.0.1', pf.ports.delay, { resolver, ehloName: 'web6.dynatron.example', timeoutMs: 300 });
    const f = r.findings.find((x) => x.code === 'smtp-greeting-timeout');
    assert.ok(f, JSON.stringify(r.findings));
    assert.match(f.message, /no complete reply within 300 ms/);
    assert.match(f.message, /220-smtp-ok\.dynatron\.example/);
    assert.equal(r.ehlo, undefined);
  });

  it("reports a greeting name that does not resolve to the server (the seed's Exchange) and no STARTTLS", async () => {
    const r = await probeSmtp('127.0.0.1', pf.ports.plain, { resolver, ehloName: 'web6.dynatron.example', timeoutMs: 5000 });
    assert.equal(r.greeting?.name, 'dynatron.example');
    assert.equal(r.ehlo?.name, 'dynatron.example');
    assert.equal(r.starttls.offered, false);
    const codes = r.findings.map((f) => f.code);
    assert.ok(codes.includes('smtp-no-starttls'));
    const m = r.findings.find((f) => f.code === 'smtp-greeting-name-mismatch');
    assert.match(m?.message ?? '', /dynatron\.example resolves to 203\.0\.113\.51, not to 127\.0\.0\.1/);
    assert.equal(m?.fix?.proposed, 'smtp-ok.dynatron.example', 'the PTR name of the server');
    assert.match(m?.fix?.description ?? '', /Set-ReceiveConnector -Fqdn smtp-ok\.dynatron\.example/);
  });

  it("is judged by Postfix's HELO rules itself: a one-word EHLO name is refused", async () => {
    const r = await probeSmtp('127.0.0.1', pf.ports.helo, { resolver, ehloName: 'DYNA-WEB', timeoutMs: 5000 });
    assert.equal(r.ehlo?.reply.code, 504);
    assert.equal(r.ehlo?.reply.lines[0], '5.5.2 <DYNA-WEB>: Helo command rejected: need fully-qualified hostname');
    assert.ok(r.findings.some((f) => f.code === 'smtp-ehlo-rejected'));
  });

  it('maildns smtp prints JSON and exits 0; 1 when the greeting times out', async () => {
    const ok = await cli([`127.0.0.1:${pf.ports.helo}`, '--ehlo', 'web6.dynatron.example', '--resolver', bind.server, '--json']);
    assert.equal(ok.code, 0, ok.err + ok.out.slice(0, 500));
    const j = JSON.parse(ok.out);
    assert.equal(j.kind, 'smtp');
    assert.equal(j.greeting.code, 220);
    assert.ok(j.starttls.certificate.names.includes('smtp-ok.dynatron.example'));
    const text = await cli([`127.0.0.1:${pf.ports.helo}`, '--ehlo', 'web6.dynatron.example', '--resolver', bind.server]);
    assert.match(text.out, /STARTTLS: yes, TLSv1\.[23]/);
    assert.match(text.out, /certificate: smtp-ok\.dynatron\.example, mail\.dynatron\.example; expires \d{4}-\d\d-\d\d \(\d+ days\); self-signed/);
    const slow = await cli([`127.0.0.1:${pf.ports.delay}`, '--smtp-timeout', '200', '--resolver', bind.server]);
    assert.equal(slow.code, 1);
    assert.match(slow.out, /smtp-greeting-timeout/);
  });
});

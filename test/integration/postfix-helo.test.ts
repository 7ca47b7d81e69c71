// The HELO verdict emulation against the real thing: a Postfix 3.x (Debian package) with
// smtpd_helo_restrictions = reject_invalid_helo_hostname, reject_non_fqdn_helo_hostname,
// reject_unknown_helo_hostname, resolving through the BIND fixture (test/fixtures/mail-zones) or a
// fault DNS server. For each HELO name, what checkHelo() says Postfix replies must be what it replies:
// at HELO time (smtpd_delay_reject = no) and at RCPT TO (the default). Two more listeners set the three
// reply codes to non-default values (mailDns.receivers.postfix.*RejectCode), and the emulation given the
// same codes must predict those replies too.
import { strict as assert } from 'node:assert';
import * as net from 'node:net';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createResolver } from '../../src/core/dns/resolver';
import type { Resolver } from '../../src/core/dns/types';
import { checkHelo } from '../../src/core/helo/check';
import type { HeloRejectCodes, PostfixHeloRule } from '../../src/core/helo/postfix';
import { checkReceiverKnobs, heloRejectCodes } from '../../src/core/receivers/knobs';
import { ReplyReader } from '../../src/core/smtp/reply';
import { startBind, type BindServer } from '../harness/bind';
import { startFaultDns, type FaultDnsServer } from '../harness/fault-dns';
import { postfixSuiteOptions, postfixUnavailable, startPostfix, type PostfixServer } from '../harness/postfix';
import { REPO_ROOT } from '../paths';

const MAIL_ZONES = path.join(REPO_ROOT, 'test', 'fixtures', 'mail-zones');

/** A minimal SMTP client: each command's whole reply, as `code text` of its last line. */
async function session(port: number): Promise<{ cmd(line: string): Promise<string>; close(): void }> {
  const socket = net.connect(port, '127.0.0.1');
  const reader = new ReplyReader();
  const replies: string[] = [];
  let waiter: (() => void) | undefined;
  let closed = false;
  socket.on('data', (d: Buffer) => {
    for (const ev of reader.feed(d)) if (ev.kind === 'reply') replies.push(`${ev.reply.code} ${ev.reply.lines[ev.reply.lines.length - 1]}`);
    waiter?.();
  });
  socket.on('close', () => {
    closed = true;
    waiter?.();
  });
  socket.on('error', () => undefined);
  const next = () =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const r = replies.shift();
        if (r !== undefined) {
          waiter = undefined;
          resolve(r);
        } else if (closed) {
          waiter = undefined;
          reject(new Error('connection closed'));
        }
      };
      waiter = check;
      check();
    });
  const greeting = await next();
  assert.match(greeting, /^220 /);
  return {
    cmd(line) {
      socket.write(line + '\r\n');
      return next();
    },
    close() {
      socket.end('QUIT\r\n');
    },
  };
}

/** What Postfix sends for this name: at HELO (delay_reject = no) and at RCPT TO (default). */
async function realReplies(pf: PostfixServer, name: string, ports: { helo: number; rcpt: number } = pf.ports): Promise<{ atHelo: string; atRcpt: string; delayed: string }> {
  const s1 = await session(ports.helo);
  const atHelo = await s1.cmd(`HELO ${name}`);
  let atRcpt = '';
  if (atHelo.startsWith('250')) {
    assert.match(await s1.cmd('MAIL FROM:<probe@dynatron.example>'), /^250 /);
    atRcpt = await s1.cmd('RCPT TO:<someone@newco.example>');
  }
  s1.close();
  const s2 = await session(ports.rcpt);
  assert.match(await s2.cmd(`HELO ${name}`), /^250 /, 'with smtpd_delay_reject = yes HELO itself is accepted');
  assert.match(await s2.cmd('MAIL FROM:<probe@dynatron.example>'), /^250 /);
  const delayed = await s2.cmd('RCPT TO:<someone@newco.example>');
  s2.close();
  return { atHelo, atRcpt, delayed };
}

/** The replies the emulation predicts for the restriction list in that order. */
function predicted(rules: PostfixHeloRule[]): { atHelo: string; atRcpt: string; delayed: string } {
  const reject = rules.find((r) => r.verdict === 'reject');
  const defer = rules.find((r) => r.verdict === 'defer');
  if (reject) return { atHelo: reject.replyAtHelo!, atRcpt: '', delayed: reject.reply! };
  if (defer) return { atHelo: '250 smtp-ok.dynatron.example', atRcpt: defer.replyAtHelo!, delayed: defer.reply! };
  return { atHelo: '250 smtp-ok.dynatron.example', atRcpt: '250 2.1.5 Ok', delayed: '250 2.1.5 Ok' };
}

const unavailable = postfixUnavailable();

// Non-default codes, each different from the others and from the defaults (450, 501, 504), set as the
// settings would set them; 4xx for the syntax rules and 5xx for the DNS rule, so the enhanced status
// code's class must follow the reply code both ways.
const CODE_KNOBS = { postfix: { unknownHostnameRejectCode: 550, invalidHostnameRejectCode: 451, nonFqdnRejectCode: 452 } };
const CODE_SETTINGS = { unknown_hostname_reject_code: '550', invalid_hostname_reject_code: '451', non_fqdn_reject_code: '452' };

describe('HELO verdicts: emulation vs. a real Postfix', postfixSuiteOptions(unavailable), () => {
  let bind: BindServer;
  let fault: FaultDnsServer;
  let pf: PostfixServer;
  let bindResolver: Resolver;
  let faultResolver: Resolver;
  before(async () => {
    [bind, fault] = await Promise.all([
      startBind({ zoneDir: MAIL_ZONES }),
      startFaultDns({
        records: { 'ok.faults.example': { A: ['192.0.2.1'] } },
        behaviours: {
          'servfail.faults.example': { kind: 'rcode', rcode: 'SERVFAIL' },
          'refused.faults.example': { kind: 'rcode', rcode: 'REFUSED' },
          'notimp.faults.example': { kind: 'rcode', rcode: 'NOTIMP' },
          'formerr.faults.example': { kind: 'rcode', rcode: 'FORMERR' },
          'silent.faults.example': { kind: 'silent' },
        },
      }),
    ]);
    pf = await startPostfix({
      dns: bind.server,
      extraServices: { heloCodes: { smtpd_delay_reject: 'no', ...CODE_SETTINGS }, rcptCodes: CODE_SETTINGS },
    });
    bindResolver = createResolver({ servers: [bind.server], timeoutMs: 1000 });
    faultResolver = createResolver({ servers: [fault.server], timeoutMs: 300, retries: 0 });
  });
  after(async () => {
    await pf?.stop();
    await Promise.all([bind?.stop(), fault?.stop()]);
  });

  it('runs Postfix in a private mount namespace that resolves through the BIND fixture', async () => {
    assert.equal(pf.dnsIsolated, true, 'unshare --mount with a private /etc/resolv.conf');
    const before = pf.relay!.queries.length;
    const r = await realReplies(pf, 'mxonly.dynatron.example');
    assert.equal(r.atHelo, '250 smtp-ok.dynatron.example');
    assert.ok(pf.relay!.queries.slice(before).some((q) => q.name === 'mxonly.dynatron.example' && q.type === 'MX'), 'Postfix asked the fixture for the MX');
  });

  const names = [
    'web6.dynatron.example', // A
    'mxonly.dynatron.example', // MX only: accepted
    'nodata.dynatron.example', // exists, no A/AAAA/MX
    'nx.dynatron.example', // NXDOMAIN
    'web6.dynatron.example.', // trailing dot: not looked up, "Host not found"
    'DYNA-WEB', // the seed's
    'DYNA WEB', // a space: invalid, neutered to DYNA?WEB at RCPT TO
    'dyna_web.dynatron.example', // Postfix allows '_'; no such name
    '-bad.dynatron.example',
    'localhost',
    '192.0.2.1', // bare IPv4
    '2001:db8::1', // bare IPv6
    '[192.0.2.1]',
    '[IPv6:2001:db8::1]',
    '[2001:db8::1]', // IPv6 without the tag
    '[192.0.2]',
    'outside.invalid', // not in the fixture: BIND answers REFUSED
  ];
  for (const name of names) {
    it(`${JSON.stringify(name)}: the emulated replies are Postfix's`, async () => {
      const emu = await checkHelo(name, { resolver: bindResolver, spf: false });
      const expected = predicted(emu.receivers);
      const real = await realReplies(pf, name);
      assert.deepEqual(real, expected, `Postfix: ${JSON.stringify(real)}\nemulation: ${JSON.stringify(emu.receivers, null, 1)}`);
    });
  }

  describe('with non-default reply codes (unknown_hostname_reject_code, invalid_hostname_reject_code, non_fqdn_reject_code)', () => {
    let codes: HeloRejectCodes;
    before(() => {
      const checked = checkReceiverKnobs(CODE_KNOBS);
      assert.deepEqual(checked.problems, []);
      codes = heloRejectCodes(checked.knobs);
      assert.deepEqual(codes, { unknownHostname: 550, invalidHostname: 451, nonFqdn: 452 });
    });
    // One name per rule that rejects, plus a literal, a trailing dot and one that passes.
    const cases: [string, string][] = [
      ['nx.dynatron.example', '550 5.7.1'],
      ['nodata.dynatron.example', '550 5.7.1'],
      ['web6.dynatron.example.', '550 5.7.1'],
      ['DYNA-WEB', '452 4.5.2'],
      ['DYNA WEB', '451 4.5.2'],
      ['-bad.dynatron.example', '451 4.5.2'],
      ['[192.0.2]', '451 4.5.2'],
      ['web6.dynatron.example', '250'],
    ];
    for (const [name, prefix] of cases) {
      it(`${JSON.stringify(name)}: the emulated replies are Postfix's (${prefix})`, async () => {
        const emu = await checkHelo(name, { resolver: bindResolver, spf: false, postfixCodes: codes });
        const expected = predicted(emu.receivers);
        const real = await realReplies(pf, name, { helo: pf.extraPorts.heloCodes, rcpt: pf.extraPorts.rcptCodes });
        assert.deepEqual(real, expected, `Postfix: ${JSON.stringify(real)}\nemulation: ${JSON.stringify(emu.receivers, null, 1)}`);
        assert.ok(real.delayed.startsWith(prefix) || (prefix === '250' && real.delayed.startsWith('250 2.1.5')), `reply ${real.delayed} starts with ${prefix}`);
      });
    }
  });

  describe('through a fault DNS server', () => {
    before(() => pf.relay!.setUpstream(fault.server));
    after(() => pf.relay!.setUpstream(bind.server));
    for (const label of ['ok', 'servfail', 'refused', 'notimp', 'formerr', 'silent']) {
      it(`${label}: the emulated verdict and reply are Postfix's`, async () => {
        const name = `${label}.faults.example`;
        const emu = await checkHelo(name, { resolver: faultResolver, spf: false });
        const real = await realReplies(pf, name);
        assert.deepEqual(real, predicted(emu.receivers));
        const expectedVerdict = label === 'ok' ? 'accept' : label === 'formerr' ? 'reject' : 'defer';
        assert.equal(emu.postfix.reject_unknown_helo_hostname, expectedVerdict);
      });
    }
  });
});

// The client hostname verdict emulation of the rDNS check against the real thing: a Postfix 3.x
// (Debian package) with smtpd_client_restrictions = reject_unknown_reverse_client_hostname on one
// listener and reject_unknown_client_hostname on another (smtpd_delay_reject = no, so the rule
// answers the connection), resolving through the BIND fixture (test/fixtures/mail-zones:
// 1.0.127.in-addr.arpa and client.example) or a fault DNS server. Postfix judges the address it sees
// the client at, so each case connects from its own loopback address 127.0.1.N. For each address,
// what checkRdns() says Postfix replies must be what it replies; a second pair of listeners with
// unknown_client_reject_code = 550 tells a permanent "unknown" (reject: 550) from a temporary one
// (defer: always 450), which the default 450 does not.
import { strict as assert } from 'node:assert';
import * as net from 'node:net';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createResolver } from '../../src/core/dns/resolver';
import type { Resolver } from '../../src/core/dns/types';
import type { Verdict } from '../../src/core/model';
import { checkRdns } from '../../src/core/rdns/check';
import type { RdnsResult } from '../../src/core/rdns/types';
import { ReplyReader } from '../../src/core/smtp/reply';
import { startBind, type BindServer } from '../harness/bind';
import { startFaultDns, type FaultDnsServer } from '../harness/fault-dns';
import { postfixSuiteOptions, postfixUnavailable, startPostfix, type PostfixServer } from '../harness/postfix';
import { REPO_ROOT } from '../paths';

const MAIL_ZONES = path.join(REPO_ROOT, 'test', 'fixtures', 'mail-zones');
const ACCEPT = '250 2.1.5 Ok';
type Rule = 'reject_unknown_reverse_client_hostname' | 'reject_unknown_client_hostname';
const RULES: Rule[] = ['reject_unknown_reverse_client_hostname', 'reject_unknown_client_hostname'];

interface Dialogue {
  /** Each reply as `code text` of its last line, in order, starting with the greeting. */
  replies: string[];
  /** The first reply that is not 2xx, or ACCEPT when RCPT TO was accepted. */
  outcome: string;
  /** Where the outcome came: 'connect' (the greeting), 'HELO', 'MAIL', 'RCPT'. */
  stage: string;
}

/**
 * Connects to Postfix from `localAddress` and goes as far as RCPT TO, stopping at the first reply
 * that is not 2xx. Waits on the replies themselves (and the connection closing), never on time.
 */
function dialogue(port: number, localAddress: string): Promise<Dialogue> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port, localAddress });
    const reader = new ReplyReader();
    const replies: string[] = [];
    const steps: [string, string | undefined][] = [
      ['connect', undefined],
      ['HELO', 'HELO smtp-ok.dynatron.example'],
      ['MAIL', 'MAIL FROM:<probe@dynatron.example>'],
      ['RCPT', 'RCPT TO:<someone@newco.example>'],
    ];
    let step = 0;
    let done = false;
    const finish = (err: Error | undefined, outcome?: string) => {
      if (done) return;
      done = true;
      socket.end('QUIT\r\n');
      if (err) reject(err);
      else resolve({ replies, outcome: outcome!, stage: steps[step][0] });
    };
    socket.on('data', (d: Buffer) => {
      for (const ev of reader.feed(d)) {
        if (done) return;
        if (ev.kind !== 'reply') return finish(new Error(`bad reply from Postfix: ${ev.message}`));
        const r = `${ev.reply.code} ${ev.reply.lines[ev.reply.lines.length - 1]}`;
        replies.push(r);
        if (!r.startsWith('2')) return finish(undefined, r);
        if (step === steps.length - 1) return finish(undefined, r);
        step++;
        socket.write(steps[step][1] + '\r\n');
      }
    });
    socket.on('error', (e) => finish(e));
    socket.on('close', () => finish(new Error(`Postfix closed the connection from ${localAddress}; replies: ${JSON.stringify(replies)}`)));
  });
}

/** What the emulation says the listener for `rule` answers (checkRdns with that listener's unknown_client_reject_code). */
function predicted(emu: RdnsResult, rule: Rule): string {
  const r = emu.receivers.find((x) => x.receiver === 'postfix' && x.rule === rule);
  assert.ok(r, `no emulated verdict for ${rule}`);
  if (r.verdict === 'accept') return ACCEPT;
  assert.ok(r.reply, `${rule}: ${r.verdict} without a reply`);
  return r.reply;
}

/** The verdict the two listeners of one rule show: accept, reject (the code follows the setting) or defer (450 at both). */
function verdictOf(at450: string, at550: string): Verdict | 'inconsistent' {
  if (at450 === ACCEPT && at550 === ACCEPT) return 'accept';
  if (at450.startsWith('450 ') && at550.startsWith('550 ')) return 'reject';
  if (at450.startsWith('450 ') && at550.startsWith('450 ')) return 'defer';
  return 'inconsistent';
}

interface Real {
  reverse: { at450: string; at550: string; verdict: string };
  client: { at450: string; at550: string; verdict: string };
}

async function realReplies(pf: PostfixServer, ip: string): Promise<Real> {
  const [rev, rev550, name, name550] = await Promise.all([
    dialogue(pf.ports.clientReverse, ip),
    dialogue(pf.ports.clientReverse550, ip),
    dialogue(pf.ports.clientName, ip),
    dialogue(pf.ports.clientName550, ip),
  ]);
  for (const d of [rev, rev550, name, name550]) {
    // With smtpd_delay_reject = no the client rules answer the connection itself: the rejection is
    // the greeting.
    if (d.outcome !== ACCEPT) assert.ok(d.stage === 'connect', `rejected at ${d.stage}: ${JSON.stringify(d.replies)}`);
  }
  return {
    reverse: { at450: strip(rev.outcome, ip), at550: strip(rev550.outcome, ip), verdict: verdictOf(rev.outcome, rev550.outcome) },
    client: { at450: strip(name.outcome, ip), at550: strip(name550.outcome, ip), verdict: verdictOf(name.outcome, name550.outcome) },
  };
}

/** The reply with the client's address as [IP], so replies compare "modulo the IP". */
function strip(reply: string, ip: string): string {
  return reply.split(`[${ip}]`).join('[IP]');
}

/** `emu550`: the same check with unknown_client_reject_code = 550 (the knob mailDns.receivers.postfix.unknownClientRejectCode). */
function expectedOf(emu: RdnsResult, emu550: RdnsResult): Real {
  const side = (rule: Rule) => ({
    at450: strip(predicted(emu, rule), emu.ip),
    at550: strip(predicted(emu550, rule), emu.ip),
    verdict: emu.postfix[rule],
  });
  return { reverse: side(RULES[0]), client: side(RULES[1]) };
}

/**
 * The client names Postfix may log: the PTR name once it is forward-confirmed, else "unknown". With
 * several PTR names BIND rotates them, so it is any of the confirmed ones.
 */
function expectedLogNames(emu: RdnsResult): string[] {
  return emu.postfix.reject_unknown_client_hostname === 'accept' ? emu.confirmed : ['unknown'];
}

/** The name Postfix logged for the client's (first) connection from `ip`: `connect from NAME[IP]`. */
async function loggedName(pf: PostfixServer, ip: string): Promise<string> {
  const line = await pf.waitForLog(new RegExp(`connect from [^\\s\\[]+\\[${ip.replace(/\./g, '\\.')}\\]`));
  return /connect from ([^\s[]+)\[/.exec(line)![1];
}

/** Postfix logged the client under the name the emulation says it knows it by. */
async function assertLogged(pf: PostfixServer, emu: RdnsResult): Promise<void> {
  const logged = await loggedName(pf, emu.ip);
  assert.ok(expectedLogNames(emu).includes(logged), `Postfix logs the client as ${logged}; the emulation says ${expectedLogNames(emu).join(' or ')}`);
}

interface Case {
  ip: string;
  what: string;
  /** Expected verdicts (reverse, client): the fixture's intent, so a broken fixture cannot pass silently. */
  verdicts: [Verdict, Verdict];
}

const unavailable = postfixUnavailable();

describe('Client hostname verdicts (rDNS check): emulation vs. a real Postfix', postfixSuiteOptions(unavailable), () => {
  let bind: BindServer;
  let fault: FaultDnsServer;
  let pf: PostfixServer;
  let bindResolver: Resolver;
  let faultResolver: Resolver;
  before(async () => {
    // Each assigned as soon as it runs, so that after() stops whichever started when the other failed.
    await Promise.all([
      startBind({ zoneDir: MAIL_ZONES }).then((b) => (bind = b)),
      startFaultDns({
        records: {
          // The HELO name the dialogue uses, so that the HELO rules pass here too.
          'smtp-ok.dynatron.example': { A: ['127.0.0.1'] },
          '34.1.0.127.in-addr.arpa': { PTR: ['under_score.faults.example'] },
          'under_score.faults.example': { A: ['127.0.1.34'] },
          '35.1.0.127.in-addr.arpa': { PTR: ['-dash.faults.example'] },
          '-dash.faults.example': { A: ['127.0.1.35'] },
          '36.1.0.127.in-addr.arpa': { PTR: ['bad name.faults.example'] },
          'bad name.faults.example': { A: ['127.0.1.36'] },
          '37.1.0.127.in-addr.arpa': { PTR: ['ok37.faults.example'] },
          'ok37.faults.example': { A: ['127.0.1.37'] },
          '38.1.0.127.in-addr.arpa': { PTR: ['bad name.faults.example', 'ok38.faults.example'] },
          'ok38.faults.example': { A: ['127.0.1.38'] },
          '41.1.0.127.in-addr.arpa': { PTR: ['tempfwd.faults.example'] },
          '42.1.0.127.in-addr.arpa': { PTR: ['formerrfwd.faults.example'] },
        },
        behaviours: {
          '30.1.0.127.in-addr.arpa': { kind: 'rcode', rcode: 'SERVFAIL' },
          '31.1.0.127.in-addr.arpa': { kind: 'rcode', rcode: 'REFUSED' },
          '32.1.0.127.in-addr.arpa': { kind: 'rcode', rcode: 'NOTIMP' },
          '33.1.0.127.in-addr.arpa': { kind: 'rcode', rcode: 'FORMERR' },
          '39.1.0.127.in-addr.arpa': { kind: 'silent' },
          'tempfwd.faults.example': { kind: 'rcode', rcode: 'SERVFAIL' },
          'formerrfwd.faults.example': { kind: 'rcode', rcode: 'FORMERR' },
        },
      }).then((f) => (fault = f)),
    ]);
    pf = await startPostfix({ dns: bind.server });
    bindResolver = createResolver({ servers: [bind.server], timeoutMs: 1000 });
    faultResolver = createResolver({ servers: [fault.server], timeoutMs: 300, retries: 0 });
  });
  after(async () => {
    await pf?.stop();
    await Promise.all([bind?.stop(), fault?.stop()]);
  });

  it('runs Postfix in a private mount namespace that resolves the client through the BIND fixture', async () => {
    assert.equal(pf.dnsIsolated, true, 'unshare --mount with a private /etc/resolv.conf');
    const before = pf.relay!.queries.length;
    const d = await dialogue(pf.ports.clientName, '127.0.1.10');
    assert.deepEqual(d.replies, ['220 smtp-ok.dynatron.example ESMTP Postfix (test)', '250 smtp-ok.dynatron.example', '250 2.1.0 Ok', ACCEPT]);
    const asked = pf.relay!.queries.slice(before);
    assert.ok(asked.some((q) => q.name === '10.1.0.127.in-addr.arpa' && q.type === 'PTR'), `Postfix asked the fixture for the PTR: ${JSON.stringify(asked)}`);
    assert.ok(asked.some((q) => q.name === 'good.client.example' && q.type === 'A'), 'and for the name’s A record');
    assert.equal(await loggedName(pf, '127.0.1.10'), 'good.client.example');
  });

  const cases: Case[] = [
    { ip: '127.0.1.10', what: 'PTR good.client.example, which resolves back', verdicts: ['accept', 'accept'] },
    { ip: '127.0.1.11', what: 'no PTR (NXDOMAIN)', verdicts: ['reject', 'reject'] },
    { ip: '127.0.1.12', what: 'PTR elsewhere.client.example, which resolves to 127.0.1.99', verdicts: ['accept', 'reject'] },
    { ip: '127.0.1.13', what: 'PTR noaddr.client.example, which exists without an A record', verdicts: ['accept', 'reject'] },
    { ip: '127.0.1.14', what: 'PTR nx.client.example, which does not exist', verdicts: ['accept', 'reject'] },
    { ip: '127.0.1.15', what: 'two PTR names, both resolving back', verdicts: ['accept', 'accept'] },
    { ip: '127.0.1.16', what: 'PTR 127.0.1.16. (numeric)', verdicts: ['reject', 'reject'] },
    { ip: '127.0.1.20', what: 'PTR v6only.client.example, which has only AAAA', verdicts: ['accept', 'reject'] },
    { ip: '127.0.1.21', what: 'PTR 123.456. (all numeric, not an address)', verdicts: ['reject', 'reject'] },
  ];
  for (const c of cases) {
    it(`${c.ip}, ${c.what}: the emulated verdicts and replies are Postfix's`, async () => {
      const [emu, emu550] = await Promise.all([checkRdns(c.ip, { resolver: bindResolver }), checkRdns(c.ip, { resolver: bindResolver, unknownClientRejectCode: 550 })]);
      const real = await realReplies(pf, c.ip);
      assert.deepEqual(real, expectedOf(emu, emu550), `Postfix: ${JSON.stringify(real)}\nemulation: ${JSON.stringify(emu.receivers, null, 1)}`);
      assert.deepEqual([emu.postfix.reject_unknown_reverse_client_hostname, emu.postfix.reject_unknown_client_hostname], c.verdicts, 'the fixture case');
      await assertLogged(pf, emu);
    });
  }

  it('127.0.1.22, two PTR names, one resolving elsewhere: Postfix judges whichever name comes first; the emulation the worse', async (t) => {
    const ip = '127.0.1.22';
    const [emu, emu550] = await Promise.all([checkRdns(ip, { resolver: bindResolver }), checkRdns(ip, { resolver: bindResolver, unknownClientRejectCode: 550 })]);
    assert.equal(emu.postfix.reject_unknown_reverse_client_hostname, 'accept');
    assert.equal(emu.postfix.reject_unknown_client_hostname, 'reject');
    const real = await realReplies(pf, ip);
    assert.deepEqual(real.reverse, expectedOf(emu, emu550).reverse);
    // BIND rotates the two PTR names; Postfix takes the first. One connection at a time, so that each
    // gets the next order: forward-confirmed (good22.client.example) and accepted, or not (elsewhere),
    // and then the reply is exactly the emulated one.
    const seen: string[] = [];
    for (let i = 0; i < 12; i++) {
      const d = await dialogue(pf.ports.clientName, ip);
      if (d.outcome === ACCEPT) seen.push('accept');
      else {
        assert.equal(strip(d.outcome, ip), expectedOf(emu, emu550).client.at450);
        seen.push('reject');
      }
    }
    assert.ok(seen.includes('reject'), `the emulated verdict is what Postfix does when elsewhere.client.example comes first: ${seen.join(', ')}`);
    t.diagnostic(`Postfix's verdicts over 12 connections: ${seen.join(', ')}`);
  });

  describe('through a fault DNS server', () => {
    before(() => pf.relay!.setUpstream(fault.server));
    after(() => pf.relay!.setUpstream(bind.server));
    const faultCases: Case[] = [
      { ip: '127.0.1.30', what: 'PTR lookup SERVFAIL', verdicts: ['defer', 'defer'] },
      { ip: '127.0.1.31', what: 'PTR lookup REFUSED', verdicts: ['defer', 'defer'] },
      { ip: '127.0.1.32', what: 'PTR lookup NOTIMP', verdicts: ['defer', 'defer'] },
      { ip: '127.0.1.33', what: 'PTR lookup FORMERR (the C library: NO_RECOVERY, permanent)', verdicts: ['reject', 'reject'] },
      { ip: '127.0.1.39', what: 'PTR lookup unanswered', verdicts: ['defer', 'defer'] },
      { ip: '127.0.1.34', what: 'PTR under_score.faults.example, which resolves back', verdicts: ['accept', 'accept'] },
      { ip: '127.0.1.35', what: 'PTR -dash.faults.example, which resolves back', verdicts: ['reject', 'reject'] },
      { ip: '127.0.1.36', what: 'PTR "bad name.faults.example", which resolves back', verdicts: ['reject', 'reject'] },
      { ip: '127.0.1.37', what: 'PTR ok37.faults.example, which resolves back', verdicts: ['accept', 'accept'] },
      { ip: '127.0.1.38', what: 'PTR "bad name.faults.example" first, then ok38.faults.example, which resolves back', verdicts: ['reject', 'reject'] },
      { ip: '127.0.1.41', what: 'PTR name whose A lookup SERVFAILs', verdicts: ['accept', 'defer'] },
      { ip: '127.0.1.42', what: 'PTR name whose A lookup gets FORMERR (permanent)', verdicts: ['accept', 'reject'] },
    ];
    for (const c of faultCases) {
      it(`${c.ip}, ${c.what}: the emulated verdicts and replies are Postfix's`, async () => {
        const [emu, emu550] = await Promise.all([checkRdns(c.ip, { resolver: faultResolver }), checkRdns(c.ip, { resolver: faultResolver, unknownClientRejectCode: 550 })]);
        const real = await realReplies(pf, c.ip);
        assert.deepEqual(real, expectedOf(emu, emu550), `Postfix: ${JSON.stringify(real)}\nemulation: ${JSON.stringify(emu.receivers, null, 1)}`);
        assert.deepEqual([emu.postfix.reject_unknown_reverse_client_hostname, emu.postfix.reject_unknown_client_hostname], c.verdicts, 'the fixture case');
        await assertLogged(pf, emu);
      });
    }
  });
});

// The receiver matrix's Postfix rows against the real Postfix (test/harness/postfix.ts, resolving
// through the test BIND with test/fixtures/receiver-zones): one listener per restriction
// (reject_unknown_sender_domain; reject_rbl_client <zone> for each DNSBL zone the check asked),
// smtpd_delay_reject = yes as by default, so every restriction answers RCPT TO. The client connects
// from 127.0.0.1 and presents each scenario's client (198.51.100.N, its verified name, its HELO)
// with XCLIENT, which Postfix evaluates every restriction against as if it were the connection.
import { strict as assert } from 'node:assert';
import * as net from 'node:net';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createResolver } from '../../src/core/dns/resolver';
import { checkDnsbl } from '../../src/core/dnsbl/check';
import { checkHelo } from '../../src/core/helo/check';
import { checkMx } from '../../src/core/mx/check';
import { checkHost } from '../../src/core/spf/check';
import { checkRdns } from '../../src/core/rdns/check';
import { connectionOf, domainExistsOf } from '../../src/core/receivers/connection';
import { POLICYD_SPF_RULE, postfixRows } from '../../src/core/receivers/postfix';
import type { ReceiverInput } from '../../src/core/receivers/types';
import { ReplyReader } from '../../src/core/smtp/reply';
import { startBind, type BindServer } from '../harness/bind';
import { postfixSuiteOptions, postfixUnavailable, startPostfix, type PostfixServer } from '../harness/postfix';
import { REPO_ROOT } from '../paths';
import { DNSBL_ZONES, SCENARIOS } from './receiver-scenarios';

const ZONES = path.join(REPO_ROOT, 'test', 'fixtures', 'receiver-zones');
const ACCEPT = '250 2.1.5 Ok';
// Only the restriction under test: no HELO rules, the scenarios' clients may relay.
const common = { smtpd_helo_restrictions: '', mynetworks: '127.0.0.0/8 198.51.100.0/24' };
const SERVICES: Record<string, Record<string, string>> = {
  reject_unknown_sender_domain: { ...common, smtpd_sender_restrictions: 'reject_unknown_sender_domain' },
  ...Object.fromEntries(DNSBL_ZONES.map((z) => [`reject_rbl_client ${z}`, { ...common, smtpd_client_restrictions: `reject_rbl_client ${z}` }])),
  // Debian's postfix-policyd-spf-python with its shipped configuration (HELO_reject = Fail, Mail_From_reject = Fail).
  [POLICYD_SPF_RULE]: { ...common, smtpd_recipient_restrictions: 'check_policy_service unix:private/policyd-spf' },
};
// The same restrictions with non-default reply codes (mailDns.receivers.postfix): the model gets the same knobs.
const KNOBS = { unknownAddressRejectCode: 550, rblRejectCode: 550 };
const KNOB_SERVICES: Record<string, Record<string, string>> = Object.fromEntries(
  Object.entries(SERVICES).filter(([rule]) => rule !== POLICYD_SPF_RULE).map(([rule, o]) => [`${rule} (550)`, { ...o, unknown_address_reject_code: '550', maps_rbl_reject_code: '550' }]),
);
// master.cf: the policy service as its README sets it up (spawn, user nobody, the package's configuration).
const POLICYD_SPF = ['policyd-spf unix - n n - 0 spawn user=nobody argv=/usr/bin/policyd-spf /etc/postfix-policyd-spf-python/policyd-spf.conf'];

/** EHLO, XCLIENT as the scenario's client, EHLO again, MAIL, RCPT: the RCPT reply (its last line). Waits on replies only. */
function rcptReply(port: number, x: { addr: string; name: string; helo: string; from: string }): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const reader = new ReplyReader();
    const steps = ['EHLO tester.rcv.example.net', `XCLIENT ADDR=${x.addr} NAME=${x.name} HELO=${x.helo}`, `EHLO ${x.helo}`, `MAIL FROM:<${x.from}>`, 'RCPT TO:<user@receiver.test>'];
    const replies: string[] = [];
    let step = -1;
    let done = false;
    const finish = (err: Error | undefined, r?: string) => {
      if (done) return;
      done = true;
      socket.end('QUIT\r\n');
      if (err) reject(err);
      else resolve(r!);
    };
    socket.on('data', (d: Buffer) => {
      for (const ev of reader.feed(d)) {
        if (done) return;
        if (ev.kind !== 'reply') return finish(new Error(`bad reply from Postfix: ${ev.message}`));
        const r = `${ev.reply.code} ${ev.reply.lines[ev.reply.lines.length - 1]}`;
        replies.push(r);
        if (step === steps.length - 1) return finish(undefined, r);
        if (!r.startsWith('2')) return finish(new Error(`Postfix refused before RCPT: ${JSON.stringify(replies)}`));
        socket.write(`${steps[++step]}\r\n`);
      }
    });
    socket.on('error', (e) => finish(e));
    socket.on('close', () => finish(new Error(`Postfix closed the connection; replies: ${JSON.stringify(replies)}`)));
  });
}

describe('receiver matrix: the Postfix rows against a real Postfix', postfixSuiteOptions(postfixUnavailable()), () => {
  let bind: BindServer;
  let pf: PostfixServer;
  before(async () => {
    bind = await startBind({ zoneDir: ZONES });
    pf = await startPostfix({ dns: bind.server, extraServices: { ...SERVICES, ...KNOB_SERVICES }, extraMaster: POLICYD_SPF });
    assert.ok(pf.dnsIsolated, 'Postfix must resolve through the test BIND');
  });
  after(async () => {
    await pf?.stop();
    await bind?.stop();
  });

  for (const s of SCENARIOS) {
    it(`scenario ${s.n} (${s.what}): each restriction's answer to RCPT TO is the model's`, async () => {
      const resolver = createResolver({ servers: [bind.server], timeoutMs: 1000 });
      const ip = `198.51.100.${s.n}`;
      const domain = s.from.slice(s.from.indexOf('@') + 1);
      const [rdns, mx, dnsbl, heloCheck, spf] = await Promise.all([
        checkRdns(ip, { resolver }), checkMx(domain, { resolver }), checkDnsbl(ip, { resolver, zones: DNSBL_ZONES }),
        checkHelo(s.helo, { ip, resolver }), checkHost({ ip, domain, sender: s.from, helo: s.helo }, { resolver }),
      ]);
      const input: ReceiverInput = { ip, helo: s.helo, rdns, heloCheck, spf, fromDomain: domain, mailFrom: s.from, rcptTo: 'user@receiver.test', fromDomainExists: domainExistsOf(mx), dnsbl };
      const rows = postfixRows(input);
      assert.deepEqual(rows.map((r) => r.rule).sort(), Object.keys(SERVICES).sort(), 'a row for every restriction');
      const name = connectionOf(input).clientName || '[UNAVAILABLE]';
      for (const row of rows) {
        const real = await rcptReply(pf.extraPorts[row.rule], { addr: ip, name, helo: s.helo, from: s.from });
        assert.equal(real, row.verdict === 'accept' ? ACCEPT : row.reply, `${row.rule}: Postfix said ${real}; the model ${row.verdict} (${row.why})`);
      }
      for (const row of postfixRows({ ...input, knobs: { postfix: KNOBS } }).filter((r) => KNOB_SERVICES[`${r.rule} (550)`])) {
        const real = await rcptReply(pf.extraPorts[`${row.rule} (550)`], { addr: ip, name, helo: s.helo, from: s.from });
        assert.equal(real, row.verdict === 'accept' ? ACCEPT : row.reply, `${row.rule} with reply code 550: Postfix said ${real}; the model ${row.verdict} (${row.why})`);
      }
    });
  }
});

// The receiver matrix's postscreen rows against a real postscreen (test/harness/postfix.ts: Debian's
// Postfix, resolving through the test BIND with test/fixtures/receiver-zones). postscreen reads the real
// peer address (it takes no XCLIENT), so each scenario's client connects from its own loopback address
// 127.0.2.N, which the stand-in lists list as they list 198.51.100.N (docs/receivers.md). One postscreen
// listener per configuration, each written from the same knobs the model gets:
//   default  the zones of the DNSBL check, weight 1 each, threshold 1, enforce (the model's default)
//   weights  zen.spamhaus.org=127.0.0.[2..11]*3, bl.spamcop.net*2, list.dnswl.org=127.0.[0..255].[1..3]*-4; threshold 3
//   drop     zen.spamhaus.org*2, bl.spamcop.net; threshold 2; drop
//   ignore   the default sites; ignore
// The real answer is the greeting (drop: 521 instead of 220) or the reply to RCPT TO (enforce: 550 from
// postscreen; passed clients get smtpd's 250), and the score is postscreen's "DNSBL rank N" log line.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../../src/cli/main';
import { createResolver } from '../../src/core/dns/resolver';
import { checkDnsbl } from '../../src/core/dnsbl/check';
import type { DnsblResult } from '../../src/core/dnsbl/types';
import type { RdnsResult } from '../../src/core/rdns/types';
import type { ReceiverKnobs } from '../../src/core/receivers/knobs';
import { postscreenRows, postscreenScore } from '../../src/core/receivers/postscreen';
import type { ReceiverInput, ReceiverRow } from '../../src/core/receivers/types';
import { startBind, type BindServer } from '../harness/bind';
import { freeUdpTcpPort } from '../harness/ports';
import { postfixSuiteOptions, postfixUnavailable, startPostfix, type PostfixServer } from '../harness/postfix';
import { REPO_ROOT } from '../paths';
import { DNSBL_ZONES } from './receiver-scenarios';

const ZONES = path.join(REPO_ROOT, 'test', 'fixtures', 'receiver-zones');
const DNSWL = 'list.dnswl.org';
/** The postscreen scenarios: 127.0.2.N is listed as 198.51.100.N of scenario N. */
const CLIENTS = [1, 10, 11, 12, 14, 15, 16, 17, 18];

const CONFIGS: Record<string, ReceiverKnobs['postscreen'] & object> = {
  default: {},
  weights: { sites: ['zen.spamhaus.org=127.0.0.[2..11]*3', 'bl.spamcop.net*2', `${DNSWL}=127.0.[0..255].[1..3]*-4`], threshold: 3 },
  drop: { sites: ['zen.spamhaus.org*2', 'bl.spamcop.net'], threshold: 2, action: 'drop' },
  ignore: { action: 'ignore' },
};

/** The master.cf line of a postscreen listener with these knobs (defaults as the model's). */
function listener(port: number, k: ReceiverKnobs['postscreen'] & object): string {
  const o = {
    postscreen_dnsbl_sites: (k.sites ?? DNSBL_ZONES).join(', '),
    postscreen_dnsbl_threshold: String(k.threshold ?? 1),
    postscreen_dnsbl_action: k.action ?? 'enforce',
    // postscreen counts only the lists that answered before the greeting wait ends: long enough that a
    // loaded machine's DNS relay is never the reason a listing is missed. The wait is not cut short when
    // every list has answered, so the clients run at once and it is paid once.
    postscreen_greet_wait: '6s',
  };
  return `127.0.0.1:${port} inet n - n - 1 postscreen ${Object.entries(o).map(([n, v]) => `-o { ${n} = ${v} }`).join(' ')}`;
}

interface Session { greeting: string; rcpt?: string; localPort: number }

/** Connects from `from`, waits for the whole greeting, then EHLO, MAIL, RCPT. Waits on replies only. */
function session(port: number, from: string): Promise<Session> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port, localAddress: from });
    const steps = ['EHLO client.rcv.example.net', 'MAIL FROM:<a@good.rcv.example.net>', 'RCPT TO:<user@receiver.test>'];
    let step = -1;
    let buf = '';
    let greeting = '';
    let done = false;
    const finish = (err: Error | undefined, s?: Session) => {
      if (done) return;
      done = true;
      socket.end('QUIT\r\n');
      if (err) reject(err);
      else resolve(s!);
    };
    socket.on('data', (d: Buffer) => {
      buf += d.toString('latin1');
      let i: number;
      while ((i = buf.indexOf('\r\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 2);
        if (!/^\d{3} /.test(line)) continue; // a continuation line ("220-…")
        if (step === -1) {
          greeting = line;
          if (!line.startsWith('220 ')) return finish(undefined, { greeting, localPort: socket.localPort! });
        } else if (step === steps.length - 1) return finish(undefined, { greeting, rcpt: line, localPort: socket.localPort! });
        else if (!line.startsWith('2')) return finish(new Error(`refused before RCPT: ${line}`));
        socket.write(`${steps[++step]}\r\n`);
      }
    });
    socket.on('error', (e) => finish(e));
    socket.on('close', () => finish(undefined, { greeting, localPort: socket.localPort ?? 0 }));
  });
}

describe('receiver matrix: postscreen DNSBL weighting against a real postscreen', { ...postfixSuiteOptions(postfixUnavailable()), concurrency: true }, () => {
  let bind: BindServer;
  let pf: PostfixServer;
  const ports: Record<string, number> = {};
  before(async () => {
    bind = await startBind({ zoneDir: ZONES });
    for (const name of Object.keys(CONFIGS)) ports[name] = await freeUdpTcpPort();
    // No HELO rules: a client postscreen passes gets smtpd's 250 for RCPT.
    pf = await startPostfix({ dns: bind.server, heloRestrictions: '', extraMaster: Object.entries(CONFIGS).map(([name, k]) => listener(ports[name], k)) });
    assert.ok(pf.dnsIsolated, 'Postfix must resolve through the test BIND');
  });
  after(async () => {
    await pf?.stop();
    await bind?.stop();
  });

  for (const n of CLIENTS) {
    it(`client 127.0.2.${n} (listed as scenario ${n}): every configuration's verdict, reply and score are the model's`, async () => {
      const resolver = createResolver({ servers: [bind.server], timeoutMs: 1000 });
      const ip = `127.0.2.${n}`;
      const all = await checkDnsbl(ip, { resolver, zones: [...DNSBL_ZONES, DNSWL] });
      // The default sites are the zones of mailDns.dnsbl.zones: the check's own zones (DNSWL not among them).
      const asked: DnsblResult = { ...all, zones: all.zones.filter((z) => DNSBL_ZONES.includes(z.zone)) };
      await Promise.all(Object.entries(CONFIGS).map(async ([name, k]) => {
        const input: ReceiverInput = { ip, helo: 'client.rcv.example.net', rdns: { ip, ptr: [], confirmed: [] } as unknown as RdnsResult, dnsbl: k.sites ? all : asked, knobs: { postscreen: k } };
        const rows = postscreenRows(input);
        const score = postscreenScore(input)!;
        const verdict = rows.at(-1)!;
        assert.equal(verdict.score, score.total);
        assert.deepEqual(score.unknownZones, [], `${name}: every configured zone was asked`);
        const real = await session(ports[name], ip);
        const said = real.rcpt ?? real.greeting;
        const where = `${name}, ${ip}: postscreen said ${JSON.stringify(said)}; the model ${verdict.verdict} ${verdict.score} (${verdict.why}); its log:\n${pf.logs().split('\n').filter((l) => l.includes(`${ip}]`) || l.includes(`${ip} `)).join('\n')}`;
        if (verdict.verdict === 'accept') assert.equal(real.rcpt, '250 2.1.5 Ok', where);
        else {
          // On a tie of weights postscreen names whichever list answered first: the model names the tied ones.
          const m = /^(.* blocked using )(\S+)$/.exec(said);
          assert.ok(m && score.names.includes(m[2]), where);
          assert.equal(`${m[1]}${score.names[0]}`, verdict.reply, where);
          assert.equal(score.action === 'drop' ? real.rcpt : real.greeting.slice(0, 4), score.action === 'drop' ? undefined : '220 ', where);
        }
        // postscreen logs the score when it reaches the threshold (whatever the action).
        if (score.total >= score.threshold) {
          const line = await pf.waitForLog(new RegExp(`DNSBL rank \\d+ for \\[${ip.replace(/\./g, '\\.')}\\]:${real.localPort}\\b`)).catch((e: Error) => assert.fail(`${where}\n${e.message.slice(0, 200)}`));
          assert.equal(Number(/DNSBL rank (\d+)/.exec(line)![1]), score.total, `${name}: ${line}`);
        }
      }));
    });
  }

  it('maildns check and rdns --json --receivers <file>: the knobs change the receivers array; Gmail, Yahoo and Outlook.com rows are marked as published rules', async () => {
    const check = async (extra: string[]) => {
      let out = '';
      const code = await runCli(['check', '198.51.100.10', '--helo', 'mail.listed.rcv.example.net', '--from', 'listed.rcv.example.net', '--resolver', bind.server, ...DNSBL_ZONES.flatMap((z) => ['--zone', z]), '--json', ...extra], { out: (t) => (out += t), err: () => undefined });
      assert.ok(code === 0 || code === 1, `exit ${code}`);
      return (JSON.parse(out) as { receivers: ReceiverRow[] }).receivers;
    };
    const pick = (rows: ReceiverRow[], receiver: string, rule: RegExp) => rows.find((r) => r.receiver === receiver && rule.test(r.rule))!;
    const file = path.join(await fs.promises.mkdtemp(path.join(os.tmpdir(), 'maildns-knobs-')), 'receivers.json');
    await fs.promises.writeFile(file, JSON.stringify({ postfix: { rblRejectCode: 550, unknownClientRejectCode: 550 }, postscreen: { sites: ['zen.spamhaus.org*2', 'bl.spamcop.net'], threshold: 3, action: 'drop' }, rspamd: { reject: 6 }, spamassassin: { requiredScore: 9 } }));
    try {
      const [plain, knobbed] = await Promise.all([check([]), check(['--receivers', file])]);
      assert.match(pick(plain, 'postfix', /^reject_rbl_client zen/).reply!, /^554 5\.7\.1 /);
      assert.match(pick(knobbed, 'postfix', /^reject_rbl_client zen/).reply!, /^550 5\.7\.1 /);
      assert.match(pick(plain, 'postfix', /^postscreen_dnsbl_threshold/).reply!, /^550 5\.7\.1 Service unavailable; client \[198\.51\.100\.10\] blocked using /);
      assert.equal(pick(knobbed, 'postfix', /^postscreen_dnsbl_threshold 3, postscreen_dnsbl_action drop$/).reply, '521 5.7.1 Service unavailable; client [198.51.100.10] blocked using zen.spamhaus.org');
      assert.equal(pick(plain, 'rspamd', /^action$/).verdict, 'add header');
      assert.equal(pick(knobbed, 'rspamd', /^action$/).verdict, 'reject');
      assert.equal(pick(plain, 'spamassassin', /^total$/).verdict, 'spam');
      assert.equal(pick(knobbed, 'spamassassin', /^total$/).verdict, 'ham');
      for (const p of ['gmail', 'yahoo', 'microsoft']) {
        const rows = plain.filter((r) => r.receiver === p);
        assert.ok(rows.length > 0 && rows.every((r) => r.basis === 'published-rule' && ['met', 'not met', 'cannot tell'].includes(r.verdict)), p);
      }
      assert.ok(plain.filter((r) => !r.basis).every((r) => ['postfix', 'exim', 'spamassassin', 'rspamd'].includes(r.receiver)));
      // maildns rdns --receivers: unknown_client_reject_code for the client rules (198.51.100.2 has no PTR).
      const rdns = async (extra: string[]) => {
        let out = '';
        await runCli(['rdns', '198.51.100.2', '--resolver', bind.server, '--json', ...extra], { out: (t) => (out += t), err: () => undefined });
        return (JSON.parse(out) as { receivers: { rule: string; reply?: string }[] }).receivers.find((r) => r.rule === 'reject_unknown_client_hostname')?.reply;
      };
      assert.equal(await rdns([]), '450 4.7.25 Client host rejected: cannot find your hostname, [198.51.100.2]');
      assert.equal(await rdns(['--receivers', file]), '550 5.7.25 Client host rejected: cannot find your hostname, [198.51.100.2]');
    } finally {
      await fs.promises.rm(path.dirname(file), { recursive: true, force: true });
    }
  });
});

// The receiver matrix's DKIM and DMARC rows against the real spamassassin 4.0.1 and rspamd 3.4, on
// messages really signed: keys made at test time with opendkim-genkey and published in the test BIND
// (copies of test/fixtures/receiver-dkim-zones with the key records appended), messages signed by
// dkimpy (test/harness/dkimpy.py, as test/integration/dkim-real.test.ts does). Each scenario (the
// "DKIM and DMARC" table of docs/receivers.md) is a client at 203.0.113.N (an RFC 5737 documentation
// address: no packet goes there) set up right — PTR that resolves back, HELO = that name, SPF pass
// for it — so that only the signature, the sender's SPF and DMARC vary (and, in D8, whether the
// HELO name aligns with the From domain).
// The model's input is what the project's own checks found (checkRdns, checkHelo, checkHost,
// checkDmarc + evaluateDmarc with our DKIM results, checkMx, checkDnsbl, verifyDkimSignatures on the
// message as the receiver gets it). Its rules and scores must be the real ones, rule by rule, and the
// rows the DMARC and DKIM key reports show must be the full matrix's rows.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { checkDkimKey } from '../../src/core/dkim/check';
import { verifyDkimSignatures } from '../../src/core/dkim/verify';
import { checkDmarc } from '../../src/core/dmarc/check';
import { evaluateDmarc } from '../../src/core/dmarc/evaluate';
import type { DmarcResult } from '../../src/core/dmarc/types';
import { createResolver } from '../../src/core/dns/resolver';
import type { Resolver } from '../../src/core/dns/types';
import { checkDnsbl } from '../../src/core/dnsbl/check';
import { checkHelo } from '../../src/core/helo/check';
import { checkMx } from '../../src/core/mx/check';
import { checkRdns } from '../../src/core/rdns/check';
import { receiverRowsOfDkimKey, receiverRowsOfDmarc } from '../../src/core/receivers/dkimDmarcPartial';
import { connectionOf, domainExistsOf, postfixReceived } from '../../src/core/receivers/connection';
import { spamassassinDmarc } from '../../src/core/receivers/dkimRows';
import { RSPAMD_MODELLED, rspamdAction, rspamdRows } from '../../src/core/receivers/rspamd';
import { SA_MODELLED, spamassassinRows } from '../../src/core/receivers/spamassassin';
import { receiverMatrix } from '../../src/core/receivers';
import type { ReceiverInput, ReceiverRow } from '../../src/core/receivers/types';
import { checkHost } from '../../src/core/spf/check';
import { startBind, type BindServer } from '../harness/bind';
import { filtersUnavailable, type Rspamd, rspamc, runSpamAssassin, setUpSpamAssassin, startRspamd } from '../harness/filters';
import { type DnsRelay, startDnsRelay } from '../harness/postfix';
import { REPO_ROOT } from '../paths';
import { DNSBL_ZONES } from './receiver-scenarios';

const ZONES = path.join(REPO_ROOT, 'test', 'fixtures', 'receiver-dkim-zones');
const DNSBL_ZONE_DIR = path.join(REPO_ROOT, 'test', 'fixtures', 'receiver-zones');
const PYTHON = '/usr/bin/python3';
const DKIMPY = path.join(REPO_ROOT, 'test', 'harness', 'dkimpy.py');
const GENKEY = '/usr/sbin/opendkim-genkey';

export interface DkimScenario {
  id: string;
  n: number;
  /** The client's name: its PTR name (resolving back), its HELO name, with SPF pass. */
  helo: string;
  /** The RFC 5322 From address. */
  from: string;
  /** MAIL FROM. */
  mailFrom: string;
  /** dkimpy signs with sel (or the selector given) under this domain. */
  sign?: { domain: string; selector: string };
  /** A second signature on top of the first, by the same domain with this selector. */
  signAgain?: string;
  /** The body is changed after signing. */
  tamper?: boolean;
  /** The signature's x= is this many seconds in the past (t= twice that). */
  expired?: number;
  /** The connection uses no TLS (default: it does). */
  noTls?: boolean;
  what: string;
}

/** The "DKIM and DMARC" scenario table of docs/receivers.md. */
export const DKIM_SCENARIOS: DkimScenario[] = [
  { id: 'D1', n: 21, helo: 'mail21.out.example.org', from: 'a@aligned.dk.example.com', mailFrom: 'a@aligned.dk.example.com', sign: { domain: 'aligned.dk.example.com', selector: 'sel' }, what: 'valid signature by the From domain (aligned); SPF pass; DMARC p=reject passes' },
  { id: 'D2', n: 22, helo: 'mail22.out.example.org', from: 'a@thirdparty.dk.example.com', mailFrom: 'bounce@esp.example.org', sign: { domain: 'esp.example.org', selector: 'sel' }, what: "valid signature by the mail provider's domain, not aligned; SPF pass for the provider's bounce domain, not aligned; DMARC p=quarantine fails" },
  { id: 'D3', n: 23, helo: 'mail23.out.example.org', from: 'a@tampered.dk.example.com', mailFrom: 'a@tampered.dk.example.com', sign: { domain: 'tampered.dk.example.com', selector: 'sel' }, tamper: true, what: 'signature by the From domain, body changed after signing; SPF pass; DMARC p=reject passes on SPF' },
  { id: 'D4', n: 24, helo: 'mail24.out.example.org', from: 'a@nokey.dk.example.com', mailFrom: 'a@nokey.dk.example.com', sign: { domain: 'nokey.dk.example.com', selector: 'gone' }, what: 'signature whose key does not exist; SPF fail; DMARC p=reject fails' },
  { id: 'D5', n: 25, helo: 'mail25.out.example.org', from: 'a@unsigned.dk.example.com', mailFrom: 'a@unsigned.dk.example.com', what: 'no signature; SPF softfail; DMARC p=none fails' },
  { id: 'D6', n: 26, helo: 'mail26.out.example.org', from: 'a@rescued.dk.example.com', mailFrom: 'a@rescued.dk.example.com', sign: { domain: 'rescued.dk.example.com', selector: 'sel' }, what: 'valid aligned signature, SPF fail: DMARC p=reject passes on DKIM alone' },
  { id: 'D7', n: 27, helo: 'mail27.out.example.org', from: 'a@news.relaxed.dk.example.com', mailFrom: 'a@news.relaxed.dk.example.com', sign: { domain: 'relaxed.dk.example.com', selector: 'sel' }, what: "valid signature by the parent domain (relaxed alignment); no SPF record; the organizational domain's p=quarantine; DMARC passes" },
  { id: 'D8', n: 28, helo: 'mail28.dk.example.com', from: 'a@heloquirk.dk.example.com', mailFrom: 'a@heloquirk.dk.example.com', what: "no signature; SPF fail; DMARC p=reject fails — but the HELO name passes SPF and shares the From domain's organizational domain" },
  { id: 'D9', n: 29, helo: 'mail29.out.example.org', from: 'a@rescued.dk.example.com', mailFrom: 'a@rescued.dk.example.com', sign: { domain: 'rescued.dk.example.com', selector: 'sel' }, noTls: true, what: 'as D6, but without TLS' },
  { id: 'D10', n: 30, helo: 'mail30.out.example.org', from: 'a@revoked.dk.example.com', mailFrom: 'a@revoked.dk.example.com', sign: { domain: 'revoked.dk.example.com', selector: 'gone' }, what: 'signature whose key is revoked (empty p=); SPF pass; DMARC p=reject passes on SPF' },
  { id: 'D11', n: 31, helo: 'mail31.out.example.org', from: 'a@expired.dk.example.com', mailFrom: 'a@expired.dk.example.com', sign: { domain: 'expired.dk.example.com', selector: 'sel' }, expired: 2 * 86400, what: 'signature by the From domain that expired two days ago (x=); SPF pass; DMARC p=reject passes on SPF' },
  { id: 'D12', n: 32, helo: 'mail32.out.example.org', from: 'a@mixed.dk.example.com', mailFrom: 'a@mixed.dk.example.com', sign: { domain: 'mixed.dk.example.com', selector: 'sel' }, signAgain: 'gone', what: 'two signatures by the From domain: one verifies, the other\'s key does not exist; SPF pass; DMARC p=reject passes' },
];

const KEY_DOMAINS = ['aligned.dk.example.com', 'tampered.dk.example.com', 'rescued.dk.example.com', 'relaxed.dk.example.com', 'expired.dk.example.com', 'mixed.dk.example.com', 'esp.example.org'];

function unavailable(): string | undefined {
  for (const f of [PYTHON, GENKEY, '/usr/lib/python3/dist-packages/dkim/__init__.py']) if (!fs.existsSync(f)) return `${f} is missing (scripts/ensure-test-deps.mjs installs it)`;
  return filtersUnavailable();
}
const SKIP = unavailable();
const suiteOptions = SKIP && process.env.MAILDNS_ALLOW_SKIP === '1' ? { skip: SKIP } : {};

const domainOf = (a: string) => a.slice(a.indexOf('@') + 1);
const scoreMap = (rows: ReceiverRow[], skip: string) => new Map(rows.filter((r) => r.rule !== skip).map((r) => [r.rule, r.score ?? 0]));
const sorted = (m: Map<string, number>) => [...m.entries()].sort(([a], [b]) => a.localeCompare(b));
const key = (r: ReceiverRow) => `${r.receiver} ${r.rule} ${r.verdict} ${r.score ?? ''}`;
/** A scenario's cell of the docs table: the rules with their scores, then the total (and the action). */
function cell(rows: ReceiverRow[], totalRule: string): string {
  const total = rows.find((r) => r.rule === totalRule)!;
  const hits = rows.filter((r) => r.rule !== totalRule).map((r) => `${r.rule} ${r.score}`).join(', ');
  return `${hits || '—'} — **${total.score}${totalRule === 'action' ? `, ${total.verdict}` : ''}**`;
}

describe('receiver matrix, DKIM and DMARC rows, against the real SpamAssassin and rspamd on signed messages', suiteOptions, () => {
  let bind: BindServer;
  let relay: DnsRelay;
  let resolver: Resolver;
  let dir: string;
  let rspamd: Rspamd | undefined;
  const inputs = new Map<string, ReceiverInput>();
  const messages = new Map<string, string>();
  const dmarcResults = new Map<string, DmarcResult>();

  before(async () => {
    if (SKIP) throw new Error(`the receivers cannot run: ${SKIP}`);
    dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'maildns-receivers-dkim-'));
    // One key, published under every signing domain.
    const g = spawnSync(GENKEY, ['-b', '2048', '-d', 'example.com', '-s', 'sel', '-D', dir]);
    assert.equal(g.status, 0, `opendkim-genkey: ${g.stderr}`);
    const record = fs.readFileSync(path.join(dir, 'sel.txt'), 'utf8').replace(/;\s*-----.*$/m, '').replace(/^sel\._domainkey\s+/, '');
    const zones = path.join(dir, 'zones');
    await fs.promises.mkdir(zones);
    for (const [zone, file] of [['example.com', 'example.com.zone'], ['example.org', 'example.org.zone'], ['113.0.203.in-addr.arpa', '113.0.203.in-addr.arpa.zone']]) {
      const keys = KEY_DOMAINS.filter((d) => d.endsWith(`.${zone}`)).map((d) => `sel._domainkey.${d}. ${record}`);
      await fs.promises.writeFile(path.join(zones, file), `${await fs.promises.readFile(path.join(ZONES, file), 'utf8')}\n${keys.join('\n')}\n`);
    }
    bind = await startBind({
      zoneDir: zones,
      zones: [
        { name: 'example.com', file: 'example.com.zone' },
        { name: 'example.org', file: 'example.org.zone' },
        { name: '113.0.203.in-addr.arpa', file: '113.0.203.in-addr.arpa.zone' },
        // The DNSBL stand-ins (these clients are on neither list).
        ...DNSBL_ZONES.map((z) => ({ name: z, file: path.join(DNSBL_ZONE_DIR, `${z}.zone`) })),
      ],
    });
    relay = await startDnsRelay(bind.server);
    resolver = createResolver({ servers: [bind.server], timeoutMs: 1000 });
    await setUpSpamAssassin(dir, bind.server, relay.address);
    const started = startRspamd(path.join(dir, 'rspamd'), bind.server);
    for (const s of DKIM_SCENARIOS) {
      const ip = `203.0.113.${s.n}`;
      const helo = s.helo;
      const fromDomain = domainOf(s.from);
      const envelope = domainOf(s.mailFrom);
      // The sender's own MTA adds its Received field before signing (rspamd scores a message without one: RCVD_COUNT_ZERO).
      let body = [
        `Received: by sender.example.com (Postfix, from userid 1000)\r\n\tid 7DEF4${s.n}; Wed, 2 Dec 2026 06:59:00 +0000 (UTC)`,
        `From: Sender <${s.from}>`,
        'To: user@receiver.test',
        `Subject: scenario ${s.id} of the receiver matrix`,
        'Date: Wed, 2 Dec 2026 06:59:00 +0000',
        `Message-ID: <scenario-${s.id}.20261202065900@receiver-matrix.example.com>`,
        'MIME-Version: 1.0',
        'Content-Type: text/plain; charset=utf-8',
        '',
        `Hello, this is scenario ${s.id}.`,
        '',
      ].join('\r\n');
      if (s.sign) {
        const r = spawnSync(PYTHON, [DKIMPY, 'sign', '--key', path.join(dir, 'sel.private'), '--selector', s.sign.selector, '--domain', s.sign.domain, '--algo', 'rsa-sha256', '--hcanon', 'relaxed', '--bcanon', 'relaxed', ...(s.expired ? ['--expired', String(s.expired)] : [])], { input: body });
        assert.equal(r.status, 0, `dkimpy sign: ${r.stderr}`);
        body = r.stdout.toString('latin1');
        if (s.signAgain) {
          const again = spawnSync(PYTHON, [DKIMPY, 'sign', '--key', path.join(dir, 'sel.private'), '--selector', s.signAgain, '--domain', s.sign.domain, '--algo', 'rsa-sha256', '--hcanon', 'relaxed', '--bcanon', 'relaxed'], { input: body });
          assert.equal(again.status, 0, `dkimpy sign: ${again.stderr}`);
          body = again.stdout.toString('latin1');
        }
      }
      if (s.tamper) body = `${body}--\r\nTo unsubscribe, write to list@example.net\r\n`;
      const [rdns, heloCheck, spf, dmarc, mx, dnsbl, dkim] = await Promise.all([
        checkRdns(ip, { resolver }),
        checkHelo(helo, { ip, resolver }),
        checkHost({ ip, domain: envelope, sender: s.mailFrom, helo }, { resolver }),
        checkDmarc(fromDomain, { resolver }),
        checkMx(envelope, { resolver }),
        checkDnsbl(ip, { resolver, zones: DNSBL_ZONES }),
        verifyDkimSignatures(Buffer.from(body, 'latin1'), { resolver }),
      ]);
      dmarcResults.set(s.id, dmarc);
      const evaluation = evaluateDmarc({ fromDomain, spf: { result: spf.result, domain: envelope }, dkim: dkim.map((d) => ({ result: d.result, d: d.d })) }, dmarc);
      const input: ReceiverInput = { ip, helo, rdns, heloCheck, spf, dmarc: evaluation, fromDomain: envelope, mailFrom: s.mailFrom, authorDomain: fromDomain, fromDomainExists: domainExistsOf(mx), tls: !s.noTls, dnsbl, dkim };
      inputs.set(s.id, input);
      messages.set(s.id, body);
    }
    rspamd = await started;
  });
  after(async () => {
    await rspamd?.stop();
    await relay?.stop();
    await bind?.stop();
    if (dir) await fs.promises.rm(dir, { recursive: true, force: true });
  });

  const envelope = (s: DkimScenario) => `Return-Path: <${s.mailFrom}>\r\n`;

  for (const s of DKIM_SCENARIOS) {
    it(`SpamAssassin, ${s.id} (${s.what}): the model's rules and scores are the real ones`, async () => {
      const input = inputs.get(s.id)!;
      const rows = spamassassinRows(input);
      const received = postfixReceived(connectionOf(input), { by: 'mx.receiver.test', id: `4ABC${s.n}`, to: 'user@receiver.test', date: 'Wed, 2 Dec 2026 07:00:00 +0000 (UTC)', tls: !s.noTls });
      const { tests: real, result } = await runSpamAssassin(dir, s.id, `${envelope(s)}${received}\r\n${messages.get(s.id)!}`);
      assert.equal(result.code, 0, result.err.slice(-2000));
      assert.ok(real.size > 0, `no X-Spam-Tests header in SpamAssassin's output:\n${result.out.slice(0, 2000)}`);
      const realModelled = new Map([...real].filter(([rule]) => SA_MODELLED.has(rule)));
      assert.deepEqual(sorted(scoreMap(rows, 'total')), sorted(realModelled), `all real hits: ${JSON.stringify(sorted(real))}`);
      const total = rows.find((x) => x.rule === 'total')!;
      assert.equal(total.score, Math.round([...realModelled.values()].reduce((a, b) => a + b * 1000, 0)) / 1000);
    });

    it(`rspamd, ${s.id} (${s.what}): the model's symbols, weights and action are the real ones`, async () => {
      const input = inputs.get(s.id)!;
      const rows = rspamdRows(input);
      const c = connectionOf(input);
      const { reply, result } = await rspamc(rspamd!, dir, { ip: input.ip, helo: input.helo, hostname: c.clientName || undefined, from: s.mailFrom, rcpt: 'user@receiver.test', tls: !s.noTls }, `${envelope(s)}${messages.get(s.id)!}`);
      assert.equal(result.code, 0, result.err + result.out.slice(0, 2000));
      const real = new Map(Object.entries(reply.symbols).map(([k, v]) => [k, Math.round(v.score * 100) / 100]));
      const realModelled = new Map([...real].filter(([sym]) => RSPAMD_MODELLED.has(sym)));
      assert.deepEqual(sorted(scoreMap(rows, 'action')), sorted(realModelled), `all real symbols: ${JSON.stringify(sorted(real))}`);
      assert.equal(rows.find((x) => x.rule === 'action')!.verdict, reply.action);
      assert.equal(rspamdAction(reply.score), reply.action);
    });
  }

  it('the scenario table of docs/receivers.md ("DKIM and DMARC") says what the model says (and so what the real software did, above)', () => {
    const doc = fs.readFileSync(path.join(REPO_ROOT, 'docs', 'receivers.md'), 'utf8').split('\n');
    const wrong: string[] = [];
    for (const s of DKIM_SCENARIOS) {
      const input = inputs.get(s.id)!;
      const want = [cell(spamassassinRows(input), 'total'), cell(rspamdRows(input), 'action')];
      const line = doc.find((l) => l.startsWith(`| ${s.id} |`));
      const cells = line?.split(' | ').map((c) => c.replace(/^\| |\s*\|$/g, '')).slice(2);
      if (JSON.stringify(cells) !== JSON.stringify(want)) wrong.push(`| ${s.id} | ${s.what} | ${want.join(' | ')} |`);
    }
    assert.deepEqual(wrong, [], `rows of docs/receivers.md that differ from what the model (and the real software) say; they should read:\n${wrong.join('\n')}`);
  });

  it("the DMARC report's and the DKIM key report's receiver rows are the full matrix's rows (checked above) for every scenario", async () => {
    for (const s of DKIM_SCENARIOS) {
      const input = inputs.get(s.id)!;
      const full = new Set(receiverMatrix(input).map(key));
      // The DMARC report shows what passing and failing mail get; the scenario's outcome is one of them.
      const dmarcRows = receiverRowsOfDmarc(dmarcResults.get(s.id)!);
      // SpamAssassin's own DMARC result may differ from RFC 7489's (D8: the HELO name's SPF).
      const outcomeOf = (r: ReceiverRow) => (r.receiver === 'spamassassin' ? spamassassinDmarc(input, input.dmarc!).result : input.dmarc!.result);
      const applicable = dmarcRows.filter((r) => (outcomeOf(r) === 'pass' ? /passes DMARC/ : outcomeOf(r) === 'fail' ? /fails DMARC/ : /./).test(r.why));
      assert.ok(applicable.length > 0, `${s.id}: the DMARC report has no row for ${input.dmarc!.result}`);
      const relevant = applicable.filter((r) => !/^DMARC_POLICY_ALLOW$/.test(r.rule) || !receiverMatrix(input).some((x) => x.rule === 'DMARC_POLICY_ALLOW_WITH_FAILURES'));
      for (const r of relevant) assert.ok(full.has(key(r)), `${s.id}: DMARC report row ${key(r)} is not in the full matrix`);
      if (s.sign) {
        const keyResult = await checkDkimKey(s.sign.selector, s.sign.domain, { resolver });
        const dkimRows = receiverRowsOfDkimKey(keyResult, { authorDomain: domainOf(s.from), envelopeDomain: domainOf(s.mailFrom) });
        assert.ok(dkimRows.length > 0, `${s.id}: the DKIM key report has no rows`);
        // The rows of a signature with that key (not D3's, whose body changed, nor D11's, which expired).
        if (!s.tamper && !s.expired) for (const r of dkimRows) assert.ok(full.has(key(r)), `${s.id}: DKIM key report row ${key(r)} is not in the full matrix`);
      }
    }
  });
});

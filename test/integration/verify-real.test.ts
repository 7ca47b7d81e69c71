// "Check a received message" against real parts, on keys and policies in a real BIND:
//   - messages signed by dkimpy (python3-dkim, test/harness/dkimpy.py) with keys from
//     opendkim-genkey (RSA) and dknewkey (ed25519), then tampered in transit (a list footer, a
//     changed Subject), with Received fields as Postfix writes them;
//   - every DKIM verdict equals dkimpy's dkimverify on the same message and DNS;
//   - every DMARC verdict equals Mail::DMARC's (libmail-dmarc-perl, test/harness/maildmarc.pl) on
//     the same DNS, given dkimpy's DKIM verdicts and the SPF result for the same envelope sender:
//     the result, what a receiver does, which identifier aligned (strict or relaxed), and the
//     record the policy came from — own domain, organizational-domain fallback (example.org, and
//     example.co.uk under a two-label public suffix), the subdomain policy sp=, strict alignment.
// OpenDMARC is installed too, but its only offline tool (opendmarc-check) looks up a record and
// evaluates no message; Mail::DMARC's validate() is the implementation driven here.
// A missing tool fails these tests (npm test installs them); MAILDNS_ALLOW_SKIP=1 skips instead.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { verifyCommand } from '../../src/cli/commands/verify';
import { createResolver } from '../../src/core/dns/resolver';
import type { Resolver } from '../../src/core/dns/types';
import { verifyMessage } from '../../src/core/verify/check';
import type { VerifyResult } from '../../src/core/verify/types';
import { startBind, type BindServer } from '../harness/bind';
import { REPO_ROOT } from '../paths';

const PYTHON = '/usr/bin/python3';
const PERL = '/usr/bin/perl';
const DKIMPY = path.join(REPO_ROOT, 'test', 'harness', 'dkimpy.py');
const MAILDMARC = path.join(REPO_ROOT, 'test', 'harness', 'maildmarc.pl');
const TOOLS = ['/usr/sbin/opendkim-genkey', '/usr/bin/dknewkey', '/usr/bin/dkimverify', PYTHON, PERL, '/usr/share/perl5/Mail/DMARC/PurePerl.pm'];
const missing = TOOLS.filter((t) => !fs.existsSync(t));
const suiteOptions = missing.length > 0 && process.env.MAILDNS_ALLOW_SKIP === '1' ? { skip: `tools missing: ${missing.join(', ')}` } : {};

function run(cmd: string, args: string[], input?: Buffer | string): { code: number; out: Buffer; err: string } {
  const r = spawnSync(cmd, args, { input, maxBuffer: 16 * 1024 * 1024 });
  if (r.error) throw new Error(`${cmd}: ${r.error.message} (npm test installs it: scripts/ensure-test-deps.mjs)`);
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr.toString() };
}

function body(from: string, subject = 'Quarterly report'): string {
  return [`From: Alice Example <${from}>`, 'To: bob@example.com', `Subject: ${subject}`, 'Date: Mon, 01 Jan 2024 10:00:00 +0000', `Message-ID: <r1@${from.replace(/^.*@/, '')}>`, 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', '', 'Hello Bob,', '', 'the figures are attached.', '', ''].join('\r\n');
}

const received = (ip: string, helo: string) =>
  `Received: from mailbox-in.example.com (mailbox-in.example.com [10.1.2.3])\r\n\tby imap.example.com (Postfix) with LMTP id 11AA; Mon, 01 Jan 2024 10:00:03 +0000\r\n` +
  `Received: from ${helo} (${helo} [${ip}])\r\n\tby mx.example.com (Postfix) with ESMTPS id 4AbCd\r\n\tfor <bob@example.com>; Mon, 01 Jan 2024 10:00:02 +0000\r\n`;
const footer = (m: string) => `${m}--\r\nTo unsubscribe, write to list@lists.example.net\r\n`;

interface Sig {
  selector: string;
  key: string;
  domain: string;
  algo?: string;
}

interface Case {
  name: string;
  from: string;
  returnPath: string;
  ip: string;
  helo?: string;
  sigs: Sig[];
  tamper?: (m: string) => string;
  /** Our expectations, besides agreeing with Mail::DMARC. */
  expect: { dmarc: VerifyResult['dmarc']['result']; tag?: 'p' | 'sp'; source?: 'domain' | 'organizational'; disposition: string };
}

describe('Check a received message: dkimpy signatures, Mail::DMARC verdicts, BIND', suiteOptions, () => {
  let dir: string;
  let bind: BindServer;
  let resolver: () => Resolver;
  const rows: string[] = [];

  before(async () => {
    if (missing.length > 0) throw new Error(`tools missing: ${missing.join(', ')} (npm test installs them: scripts/ensure-test-deps.mjs)`);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'maildns-verify-'));
    for (const [domain, selector] of [['example.org', 's2048'], ['esp.example.net', 'esp']] as const) {
      const g = run('/usr/sbin/opendkim-genkey', ['-b', '2048', '-d', domain, '-s', selector, '-D', dir]);
      assert.equal(g.code, 0, `opendkim-genkey ${selector}: ${g.err}`);
    }
    assert.equal(run('/usr/bin/dknewkey', ['--ktype', 'ed25519', path.join(dir, 'ed')]).code, 0, 'dknewkey');
    const keyRr = (s: string) => fs.readFileSync(path.join(dir, `${s}.txt`), 'utf8').replace(/;\s*-----.*$/m, '');
    const soa = (origin: string) => [`$ORIGIN ${origin}.`, '$TTL 300', `@ IN SOA ns.${origin}. hostmaster.${origin}. 1 3600 600 86400 300`, `@ IN NS ns`, 'ns IN A 127.0.0.1'];
    const zones: Record<string, string[]> = {
      'example.org': [
        ...soa('example.org'),
        '@ IN A 192.0.2.1',
        '@ IN MX 10 mail',
        'mail IN A 192.0.2.7',
        '@ IN TXT "v=spf1 ip4:192.0.2.0/24 -all"',
        '_dmarc IN TXT "v=DMARC1; p=reject; sp=quarantine; rua=mailto:dmarc@example.org"',
        'news IN A 192.0.2.20',
        'news IN TXT "v=spf1 ip4:192.0.2.20 -all"',
        'strict IN A 192.0.2.30',
        'strict IN TXT "v=spf1 ip4:192.0.2.30 -all"',
        '_dmarc.strict IN TXT "v=DMARC1; p=quarantine; adkim=s; aspf=s"',
        keyRr('s2048'),
        `ed._domainkey IN TXT "${fs.readFileSync(path.join(dir, 'ed.dns'), 'utf8').trim()}"`,
      ],
      'example.co.uk': [...soa('example.co.uk'), '@ IN A 192.0.2.40', 'shop IN A 192.0.2.41', 'shop IN TXT "v=spf1 ip4:192.0.2.41 -all"', '_dmarc IN TXT "v=DMARC1; p=reject; sp=none"', keyRr('s2048')],
      'example.net': [
        ...soa('example.net'),
        '@ IN A 192.0.2.50',
        '@ IN TXT "v=spf1 ip4:192.0.2.50 -all"',
        'esp IN A 198.51.100.1',
        'bounce.esp IN TXT "v=spf1 ip4:198.51.100.0/24 -all"',
        keyRr('esp').replace(/^esp\._domainkey/, 'esp._domainkey.esp'),
      ],
    };
    for (const [name, lines] of Object.entries(zones)) fs.writeFileSync(path.join(dir, `${name}.zone`), `${lines.join('\n')}\n`);
    bind = await startBind({ zoneDir: dir, zones: Object.keys(zones).map((name) => ({ name, file: `${name}.zone` })) });
    resolver = () => createResolver({ servers: [bind.server], timeoutMs: 2000 });
  });

  after(async () => {
    await bind?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    if (rows.length > 0) process.stdout.write(`\n# message cases (ours | Mail::DMARC | dkimpy)\n${rows.map((r) => `# ${r}`).join('\n')}\n`);
  });

  function sign(s: Sig, message: string): string {
    const args = [DKIMPY, 'sign', '--key', path.join(dir, s.key), '--selector', s.selector, '--domain', s.domain, '--algo', s.algo ?? 'rsa-sha256'];
    const r = run(PYTHON, args, message);
    assert.equal(r.code, 0, `dkimpy sign: ${r.err}`);
    return r.out.toString('latin1');
  }

  function dkimpy(message: string): { ok: boolean; reason: string }[] {
    const r = run(PYTHON, [DKIMPY, 'verify', '--port', String(bind.port)], Buffer.from(message, 'latin1'));
    assert.equal(r.code, 0, `dkimpy verify: ${r.err}`);
    return r.out
      .toString('utf8')
      .trim()
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as { ok: boolean; reason: string });
  }

  interface MailDmarc {
    result: string;
    disposition: string;
    dkim: string;
    spf: string;
    dkim_align: string;
    spf_align: string;
    reason: string;
    policy: { domain: string; p: string; sp?: string } | null;
  }
  function mailDmarc(input: unknown): MailDmarc {
    const r = run(PERL, [MAILDMARC, String(bind.port)], JSON.stringify(input));
    assert.equal(r.code, 0, `Mail::DMARC: ${r.err}`);
    return JSON.parse(r.out.toString('utf8')) as MailDmarc;
  }

  const org = { selector: 's2048', key: 's2048.private', domain: 'example.org' };
  const cases: Case[] = [
    { name: 'aligned DKIM and SPF', from: 'alice@example.org', returnPath: 'alice@example.org', ip: '192.0.2.7', sigs: [org], expect: { dmarc: 'pass', tag: 'p', source: 'domain', disposition: 'none' } },
    {
      name: 'list footer breaks DKIM, ESP return path: fail under p=reject',
      from: 'alice@example.org',
      returnPath: 'b+1@bounce.esp.example.net',
      ip: '198.51.100.9',
      sigs: [org],
      tamper: footer,
      expect: { dmarc: 'fail', tag: 'p', source: 'domain', disposition: 'reject' },
    },
    {
      name: 'subdomain From, parent signature: relaxed pass via the organizational record',
      from: 'news@news.example.org',
      returnPath: 'b+2@bounce.esp.example.net',
      ip: '198.51.100.9',
      sigs: [org],
      expect: { dmarc: 'pass', tag: 'sp', source: 'organizational', disposition: 'none' },
    },
    {
      name: 'subdomain From, changed Subject, SPF fail: sp=quarantine',
      from: 'news@news.example.org',
      returnPath: 'news@news.example.org',
      ip: '203.0.113.5',
      sigs: [org],
      tamper: (m) => m.replace('Quarterly report', 'Quarterly report [EXT]'),
      expect: { dmarc: 'fail', tag: 'sp', source: 'organizational', disposition: 'quarantine' },
    },
    {
      name: 'strict alignment: d=example.org does not align with strict.example.org',
      from: 'alice@strict.example.org',
      returnPath: 'alice@example.org',
      ip: '192.0.2.7',
      sigs: [org],
      expect: { dmarc: 'fail', tag: 'p', source: 'domain', disposition: 'quarantine' },
    },
    {
      name: 'ed25519 signature broken, SPF aligned: pass through SPF',
      from: 'alice@example.org',
      returnPath: 'alice@example.org',
      ip: '192.0.2.7',
      sigs: [{ selector: 'ed', key: 'ed.key', domain: 'example.org', algo: 'ed25519-sha256' }],
      tamper: footer,
      expect: { dmarc: 'pass', tag: 'p', source: 'domain', disposition: 'none' },
    },
    {
      name: 'two-label public suffix (co.uk): d=example.co.uk aligns with shop.example.co.uk',
      from: 'shop@shop.example.co.uk',
      returnPath: 'b+3@bounce.esp.example.net',
      ip: '198.51.100.9',
      sigs: [{ ...org, domain: 'example.co.uk' }],
      expect: { dmarc: 'pass', tag: 'sp', source: 'organizational', disposition: 'none' },
    },
    {
      name: 'co.uk subdomain unsigned, SPF unaligned: fail, sp=none',
      from: 'shop@shop.example.co.uk',
      returnPath: 'b+4@bounce.esp.example.net',
      ip: '198.51.100.9',
      sigs: [],
      expect: { dmarc: 'fail', tag: 'sp', source: 'organizational', disposition: 'none' },
    },
    {
      name: 'ESP signs with its own domain only: DKIM and SPF pass, neither aligned',
      from: 'alice@example.org',
      returnPath: 'b+5@bounce.esp.example.net',
      ip: '198.51.100.9',
      sigs: [{ selector: 'esp', key: 'esp.private', domain: 'esp.example.net' }],
      expect: { dmarc: 'fail', tag: 'p', source: 'domain', disposition: 'reject' },
    },
    { name: 'no DMARC record', from: 'carol@example.net', returnPath: 'carol@example.net', ip: '192.0.2.50', sigs: [], expect: { dmarc: 'none', disposition: 'none' } },
  ];

  for (const c of cases) {
    it(`${c.name}: dmarc=${c.expect.dmarc}, as Mail::DMARC says`, async () => {
      let m = body(c.from);
      for (const s of c.sigs) m = sign(s, m);
      if (c.tamper) m = c.tamper(m);
      const raw = `Return-Path: <${c.returnPath}>\r\n${received(c.ip, c.helo ?? 'out.sender.example')}${m}`;
      const r = await verifyMessage(Buffer.from(raw, 'latin1'), { resolver: resolver() });
      // The connecting address came from the receiver's border Received field (the second; the first is internal).
      assert.deepEqual([r.connection.ip, r.connection.source, r.connection.hop], [c.ip, 'received', 1]);
      // DKIM: each signature as dkimpy's dkimverify says.
      const theirs = dkimpy(raw);
      assert.deepEqual(r.dkim.map((d) => d.result === 'pass'), theirs.map((t) => t.ok), `DKIM: ours ${r.dkim.map((d) => d.reason).join('; ')} | dkimpy ${theirs.map((t) => t.reason).join('; ')}`);
      // DMARC: Mail::DMARC given dkimpy's verdicts and the same SPF result, on the same DNS.
      const md = mailDmarc({
        from: c.from.replace(/^.*@/, ''),
        ip: c.ip,
        envelope_from: c.returnPath.replace(/^.*@/, ''),
        spf: [{ domain: r.spf.domain, scope: 'mfrom', result: r.spf.result }],
        dkim: r.dkim.map((d, i) => ({ domain: d.d, selector: d.s, result: theirs[i].ok ? 'pass' : 'fail' })),
      });
      rows.push(`${c.name} | dmarc=${r.dmarc.result} ${r.dmarc.policy?.tag ?? '-'}=${r.dmarc.policy?.value ?? '-'} act=${r.dmarc.disposition} | dmarc=${md.result} act=${md.disposition} dkim=${md.dkim}/${md.dkim_align} spf=${md.spf}/${md.spf_align} policy@${md.policy?.domain ?? '-'} | dkim ${theirs.map((t) => (t.ok ? 'pass' : 'fail')).join(',') || '-'}`);
      assert.equal(r.dmarc.result, md.result, `DMARC result: ours ${r.dmarc.why} | Mail::DMARC ${md.reason}`);
      assert.equal(r.dmarc.disposition, md.disposition, 'what a receiver does');
      assert.equal(r.dmarc.alignment.dkim.some((d) => d.aligned) ? 'pass' : 'fail', md.result === 'none' ? r.dmarc.alignment.dkim.some((d) => d.aligned) ? 'pass' : 'fail' : md.dkim, 'DKIM alignment');
      if (md.result !== 'none') assert.equal(r.dmarc.alignment.spf.aligned ? 'pass' : 'fail', md.spf, 'SPF alignment');
      assert.equal(r.dmarc.policy?.recordDomain ?? null, md.policy?.domain ?? null, 'where the policy was found');
      // And what we expect on our own.
      assert.equal(r.dmarc.result, c.expect.dmarc);
      assert.equal(r.dmarc.disposition, c.expect.disposition);
      if (c.expect.tag) assert.deepEqual([r.dmarc.policy?.tag, r.dmarc.policy?.source], [c.expect.tag, c.expect.source]);
      if (c.tamper === footer && c.sigs.length > 0) assert.match(r.dkim[0].reason, /^body hash mismatch: the body changed in transit — a footer added by a list\?/);
    });
  }

  it('maildns verify reads the file, prints the JSON shape and exits 1 on a DMARC fail, 0 on a pass', async () => {
    const file = path.join(dir, 'message.eml');
    const run1 = async (m: string) => {
      fs.writeFileSync(file, m.replace(/\r\n/g, '\n'));
      let out = '';
      const code = await verifyCommand.run([file, '--json', '--resolver', bind.server], { out: (t: string) => (out += t), err: () => undefined });
      return { code, j: JSON.parse(out) as VerifyResult };
    };
    const good = await run1(`Return-Path: <alice@example.org>\r\n${received('192.0.2.7', 'mail.example.org')}${sign(org, body('alice@example.org'))}`);
    assert.equal(good.code, 0);
    assert.deepEqual([good.j.from, good.j.spf.result, good.j.spf.domain, good.j.dkim[0].d, good.j.dkim[0].s, good.j.dkim[0].result, good.j.dmarc.result], ['alice@example.org', 'pass', 'example.org', 'example.org', 's2048', 'pass', 'pass']);
    assert.equal(good.j.dmarc.alignment.spf.aligned, true);
    const bad = await run1(`Return-Path: <alice@example.org>\r\n${received('203.0.113.5', 'evil.example')}${footer(sign(org, body('alice@example.org')))}`);
    assert.equal(bad.code, 1);
    assert.deepEqual([bad.j.spf.result, bad.j.dkim[0].result, bad.j.dmarc.result, bad.j.dmarc.policy?.value], ['fail', 'fail', 'fail', 'reject']);
  });
});

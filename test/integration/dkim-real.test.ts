// DKIM against real signers and verifiers, on keys made at test time and published in a real BIND:
//   - keys: opendkim-genkey (RSA 768, 1024, 2048, a testing key) and dkimpy's dknewkey (ed25519);
//   - signatures: dkimpy (python3-dkim) through test/harness/dkimpy.py — both canonicalizations,
//     l=, over-signed headers, rsa-sha1, ed25519-sha256, an expired x=;
//   - verdicts: dkimpy's dkimverify (its main(), per signature index, DNS pointed at this BIND) and
//     opendkim-testkey for the keys (libopendkim's resolver pointed at this BIND through an
//     unbound configuration).
// opendkim cannot sign or verify messages offline here: opendkim-testmsg (Debian's 2.11.0~beta2)
// answers "dkim_chunk(): Syntax error" to every message, LF or CRLF, signing or verifying.
// A missing tool fails these tests (npm test installs them); MAILDNS_ALLOW_SKIP=1 skips instead.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { dkimCommand } from '../../src/cli/commands/dkim';
import { checkDkimKey } from '../../src/core/dkim/check';
import type { DkimSignatureResult } from '../../src/core/dkim/types';
import { verifyDkimSignatures } from '../../src/core/dkim/verify';
import { createResolver } from '../../src/core/dns/resolver';
import type { Resolver } from '../../src/core/dns/types';
import { startBind, type BindServer } from '../harness/bind';
import { REPO_ROOT } from '../paths';

const PYTHON = '/usr/bin/python3';
const HARNESS = path.join(REPO_ROOT, 'test', 'harness', 'dkimpy.py');
const TOOLS = ['/usr/sbin/opendkim-genkey', '/usr/sbin/opendkim-testkey', '/usr/bin/dknewkey', '/usr/bin/dkimverify', PYTHON];
const missing = TOOLS.filter((t) => !fs.existsSync(t));
const suiteOptions = missing.length > 0 && process.env.MAILDNS_ALLOW_SKIP === '1' ? { skip: `DKIM tools missing: ${missing.join(', ')}` } : {};

function run(cmd: string, args: string[], input?: Buffer | string, cwd?: string): { code: number; out: Buffer; err: string } {
  const r = spawnSync(cmd, args, { input, cwd, maxBuffer: 16 * 1024 * 1024 });
  if (r.error) throw new Error(`${cmd}: ${r.error.message} (npm test installs it: scripts/ensure-test-deps.mjs)`);
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr.toString() };
}

const MESSAGE = [
  'From: Alice Example <alice@example.org>',
  'To: bob@example.net',
  'Subject: Quarterly report',
  'Date: Mon, 01 Jan 2024 10:00:00 +0000',
  'Message-ID: <report-1@example.org>',
  'MIME-Version: 1.0',
  'Content-Type: text/plain; charset=utf-8',
  '',
  'Hello Bob,',
  '',
  'the  figures are   attached.  ',
  '\tRegards,',
  'Alice',
  '',
  '',
].join('\r\n');

interface Case {
  name: string;
  selector: string;
  key: string;
  algo?: 'rsa-sha256' | 'rsa-sha1' | 'ed25519-sha256';
  canon?: [string, string];
  headers?: string;
  length?: boolean;
  expired?: number;
  tamper?: (signed: string) => string;
  /** Our result and code. */
  expect: [DkimSignatureResult['result'], string];
}

/** What dkimpy's yes/no stands for: our pass, and our policy for rsa-sha1 (dkimpy 1.1 still accepts SHA-1; RFC 8301 says not to). */
function asDkimpy(r: DkimSignatureResult): boolean {
  return r.result === 'pass' || r.code === 'dkim-sig-sha1';
}

const addFooter = (m: string): string => `${m}--\r\nTo unsubscribe, write to list@example.net\r\n`;

describe('DKIM against opendkim and dkimpy, keys in BIND', suiteOptions, () => {
  let dir: string;
  let bind: BindServer;
  let resolver: () => Resolver;
  const rows: string[] = [];

  before(async () => {
    if (missing.length > 0) throw new Error(`DKIM tools missing: ${missing.join(', ')} (npm test installs them: scripts/ensure-test-deps.mjs)`);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'maildns-dkim-'));
    for (const [selector, bits, extra] of [['s2048', 2048, []], ['s1024', 1024, []], ['s768', 768, []], ['testing', 2048, ['--testmode']], ['esp', 2048, []]] as const) {
      const g = run('/usr/sbin/opendkim-genkey', ['-b', String(bits), '-d', 'example.org', '-s', selector, '-D', dir, ...extra]);
      assert.equal(g.code, 0, `opendkim-genkey ${selector}: ${g.err}`);
    }
    const ed = run('/usr/bin/dknewkey', ['--ktype', 'ed25519', path.join(dir, 'ed')]);
    assert.equal(ed.code, 0, `dknewkey: ${ed.err}`);
    const zoneOf = (s: string) => fs.readFileSync(path.join(dir, `${s}.txt`), 'utf8').replace(/;\s*-----.*$/m, '');
    const p2048 = /p=([A-Za-z0-9+/=]+)"\s*"([A-Za-z0-9+/=]+)/.exec(fs.readFileSync(path.join(dir, 's2048.txt'), 'utf8'));
    assert.ok(p2048, 'the 2048-bit key is in s2048.txt');
    const pub = p2048[1] + p2048[2];
    // The mail provider's key, which the CNAME delegates to (in this zone: an authoritative server
    // follows a CNAME only within its zone, and dkimpy's stub resolver expects the answer chased).
    const espRecord = zoneOf('esp').replace(/^esp\._domainkey/, 's1.domainkey.esp-mail');
    fs.writeFileSync(
      path.join(dir, 'example.org.zone'),
      [
        '$ORIGIN example.org.',
        '$TTL 300',
        '@ IN SOA ns.example.org. hostmaster.example.org. 1 3600 600 86400 300',
        '@ IN NS ns',
        'ns IN A 127.0.0.1',
        zoneOf('s2048'),
        zoneOf('s1024'),
        zoneOf('s768'),
        zoneOf('testing'),
        `ed._domainkey IN TXT "${fs.readFileSync(path.join(dir, 'ed.dns'), 'utf8').trim()}"`,
        // The 2048-bit key without h=sha256, for the rsa-sha1 signature.
        `legacy._domainkey IN TXT "v=DKIM1; k=rsa; " "p=${pub.slice(0, 200)}" "${pub.slice(200)}"`,
        'revoked._domainkey IN TXT "v=DKIM1; k=rsa; p="',
        'esp._domainkey IN CNAME s1.domainkey.esp-mail.example.org.',
        espRecord,
        // A CNAME to a key the provider removed.
        'old._domainkey IN CNAME s9.domainkey.esp-mail.example.org.',
        '',
      ].join('\n'),
    );
    bind = await startBind({ zoneDir: dir, zones: [{ name: 'example.org', file: 'example.org.zone' }] });
    resolver = () => createResolver({ servers: [bind.server], timeoutMs: 2000 });
  });

  after(async () => {
    await bind?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    if (rows.length > 0) process.stdout.write(`\n# DKIM cases (ours | dkimpy)\n${rows.map((r) => `# ${r}`).join('\n')}\n`);
  });

  function sign(c: Pick<Case, 'selector' | 'key' | 'algo' | 'canon' | 'headers' | 'length' | 'expired'>, message: string, domain = 'example.org'): string {
    const keyFile = path.join(dir, c.key);
    const args = [HARNESS, 'sign', '--key', keyFile, '--selector', c.selector, '--domain', domain, '--algo', c.algo ?? 'rsa-sha256', '--hcanon', c.canon?.[0] ?? 'relaxed', '--bcanon', c.canon?.[1] ?? 'relaxed'];
    if (c.headers) args.push('--headers', c.headers);
    if (c.length) args.push('--length');
    if (c.expired !== undefined) args.push('--expired', String(c.expired));
    const r = run(PYTHON, args, message);
    assert.equal(r.code, 0, `dkimpy sign: ${r.err}`);
    return r.out.toString('latin1');
  }

  function dkimpyVerify(message: string): { index: number; cli: string; exit: number; ok: boolean; reason: string }[] {
    const r = run(PYTHON, [HARNESS, 'verify', '--port', String(bind.port)], Buffer.from(message, 'latin1'));
    assert.equal(r.code, 0, `dkimpy verify: ${r.err}`);
    return r.out
      .toString('utf8')
      .trim()
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as { index: number; cli: string; exit: number; ok: boolean; reason: string });
  }

  const cases: Case[] = [
    { name: 'rsa-sha256 2048, relaxed/relaxed', selector: 's2048', key: 's2048.private', expect: ['pass', 'dkim-sig-pass'] },
    { name: 'rsa-sha256 2048, simple/simple', selector: 's2048', key: 's2048.private', canon: ['simple', 'simple'], expect: ['pass', 'dkim-sig-pass'] },
    { name: 'rsa-sha256 2048, relaxed/simple', selector: 's2048', key: 's2048.private', canon: ['relaxed', 'simple'], expect: ['pass', 'dkim-sig-pass'] },
    { name: 'rsa-sha256 2048, simple/relaxed', selector: 's2048', key: 's2048.private', canon: ['simple', 'relaxed'], expect: ['pass', 'dkim-sig-pass'] },
    { name: 'rsa-sha256 1024', selector: 's1024', key: 's1024.private', expect: ['pass', 'dkim-sig-pass'] },
    { name: 'ed25519-sha256, relaxed/relaxed', selector: 'ed', key: 'ed.key', algo: 'ed25519-sha256', expect: ['pass', 'dkim-sig-pass'] },
    { name: 'ed25519-sha256, simple/simple', selector: 'ed', key: 'ed.key', algo: 'ed25519-sha256', canon: ['simple', 'simple'], expect: ['pass', 'dkim-sig-pass'] },
    { name: 'CNAME-delegated selector (ESP)', selector: 'esp', key: 'esp.private', expect: ['pass', 'dkim-sig-pass'] },
    { name: 'testing key (t=y)', selector: 'testing', key: 'testing.private', expect: ['pass', 'dkim-sig-pass'] },
    { name: 'LF line ends (a saved .eml)', selector: 's2048', key: 's2048.private', tamper: (m) => m.replace(/\r\n/g, '\n'), expect: ['pass', 'dkim-sig-pass'] },
    { name: 'l= with a footer added after signing', selector: 's2048', key: 's2048.private', length: true, tamper: addFooter, expect: ['pass', 'dkim-sig-pass'] },
    { name: 'over-signed From/Subject, absent Cc: unchanged', selector: 's2048', key: 's2048.private', headers: 'from,to,subject,date,cc,from,subject', expect: ['pass', 'dkim-sig-pass'] },
    {
      name: 'over-signed, then a Cc added',
      selector: 's2048',
      key: 's2048.private',
      headers: 'from,to,subject,date,cc,from,subject',
      tamper: (m) => m.replace('\r\nTo: ', '\r\nCc: mallory@example.com\r\nTo: '),
      expect: ['fail', 'dkim-sig-header-signature'],
    },
    { name: 'relaxed header: Subject refolded', selector: 's2048', key: 's2048.private', tamper: (m) => m.replace('Subject: Quarterly report', 'Subject: Quarterly\r\n   report'), expect: ['pass', 'dkim-sig-pass'] },
    { name: 'simple header: Subject refolded', selector: 's2048', key: 's2048.private', canon: ['simple', 'simple'], tamper: (m) => m.replace('Subject: Quarterly report', 'Subject: Quarterly\r\n   report'), expect: ['fail', 'dkim-sig-header-signature'] },
    { name: 'header changed (Subject)', selector: 's2048', key: 's2048.private', tamper: (m) => m.replace('Quarterly report', 'Quarterly report [SPAM]'), expect: ['fail', 'dkim-sig-header-signature'] },
    { name: 'body changed (list footer)', selector: 's2048', key: 's2048.private', tamper: addFooter, expect: ['fail', 'dkim-sig-body-hash'] },
    { name: 'ed25519, body changed', selector: 'ed', key: 'ed.key', algo: 'ed25519-sha256', tamper: addFooter, expect: ['fail', 'dkim-sig-body-hash'] },
    { name: 'relaxed body: trailing spaces changed', selector: 's2048', key: 's2048.private', tamper: (m) => m.replace('attached.  \r\n', 'attached.\r\n'), expect: ['pass', 'dkim-sig-pass'] },
    { name: 'simple body: trailing spaces changed', selector: 's2048', key: 's2048.private', canon: ['relaxed', 'simple'], tamper: (m) => m.replace('attached.  \r\n', 'attached.\r\n'), expect: ['fail', 'dkim-sig-body-hash'] },
    { name: 'key revoked (empty p=)', selector: 'revoked', key: 's2048.private', expect: ['permerror', 'dkim-sig-key-revoked'] },
    { name: 'key missing', selector: 'gone', key: 's2048.private', expect: ['permerror', 'dkim-sig-key-missing'] },
    { name: 'expired x=', selector: 's2048', key: 's2048.private', expired: 2 * 86400, expect: ['permerror', 'dkim-sig-expired'] },
    { name: 'rsa-sha1 (verifies; RFC 8301 says not to accept it)', selector: 'legacy', key: 's2048.private', algo: 'rsa-sha1', expect: ['policy', 'dkim-sig-sha1'] },
    { name: 'RSA 768 (verifies; RFC 8301: under 1024 bits is not accepted)', selector: 's768', key: 's768.private', expect: ['policy', 'dkim-sig-key-too-small'] },
  ];

  for (const c of cases) {
    it(`${c.name}: ${c.expect[0]} (${c.expect[1]}), as dkimpy's dkimverify says`, async () => {
      const signed = sign(c, MESSAGE);
      const message = c.tamper ? c.tamper(signed) : signed;
      if (c.tamper) assert.notEqual(message, signed, 'the tampering changed the message');
      const ours = await verifyDkimSignatures(Buffer.from(message, 'latin1'), { resolver: resolver() });
      const theirs = dkimpyVerify(message);
      assert.equal(ours.length, 1, 'one signature');
      assert.equal(theirs.length, 1, 'dkimpy sees one signature');
      const [r] = ours;
      rows.push(`${c.name} | ${r.result} ${r.code}: ${r.reason} | dkimpy ${theirs[0].cli || `exit ${theirs[0].exit}`}${theirs[0].reason ? ` (${theirs[0].reason.split('\n')[0]})` : ''}`);
      assert.deepEqual([r.result, r.code], c.expect, r.reason);
      assert.equal(asDkimpy(r), theirs[0].ok, `dkimpy: ${theirs[0].reason}`);
      assert.equal(theirs[0].exit === 0, theirs[0].ok, 'dkimverify exits 0 exactly when dkimpy verifies');
    });
  }

  it('the reasons are in plain words', async () => {
    const body = await verifyDkimSignatures(addFooter(sign({ selector: 's2048', key: 's2048.private' }, MESSAGE)), { resolver: resolver() });
    assert.match(body[0].reason, /^body hash mismatch: the body changed in transit — a footer added by a list\?/);
    const header = await verifyDkimSignatures(sign({ selector: 's2048', key: 's2048.private' }, MESSAGE).replace('Quarterly', 'Yearly'), { resolver: resolver() });
    assert.match(header[0].reason, /^signature over headers does not verify: a signed header was changed \(Subject\?\)/);
    const gone = await verifyDkimSignatures(sign({ selector: 'gone', key: 's2048.private' }, MESSAGE), { resolver: resolver() });
    assert.match(gone[0].reason, /^no key at gone\._domainkey\.example\.org/);
    const revoked = await verifyDkimSignatures(sign({ selector: 'revoked', key: 's2048.private' }, MESSAGE), { resolver: resolver() });
    assert.match(revoked[0].reason, /^key revoked/);
    const expired = await verifyDkimSignatures(sign({ selector: 's2048', key: 's2048.private', expired: 86400 }, MESSAGE), { resolver: resolver() });
    assert.match(expired[0].reason, /^signature expired on \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
  });

  it('two signatures (rsa then ed25519), each verified on its own, as dkimpy does', async () => {
    const once = sign({ selector: 's2048', key: 's2048.private' }, MESSAGE);
    const twice = sign({ selector: 'ed', key: 'ed.key', algo: 'ed25519-sha256' }, once);
    const ours = await verifyDkimSignatures(addFooter(twice), { resolver: resolver() });
    const theirs = dkimpyVerify(addFooter(twice));
    assert.deepEqual(ours.map((r) => [r.index, r.s, r.result]), [[0, 'ed', 'fail'], [1, 's2048', 'fail']]);
    assert.deepEqual(theirs.map((t) => t.ok), [false, false]);
    const clean = await verifyDkimSignatures(twice, { resolver: resolver() });
    assert.deepEqual(clean.map((r) => r.result), ['pass', 'pass']);
    assert.deepEqual(dkimpyVerify(twice).map((t) => t.ok), [true, true]);
  });

  it('l= and over-signing are reported: what is signed and what is not', async () => {
    const r = (await verifyDkimSignatures(addFooter(sign({ selector: 's2048', key: 's2048.private', length: true, headers: 'from,to,subject,cc,from' }, MESSAGE)), { resolver: resolver() }))[0];
    assert.equal(r.result, 'pass');
    assert.ok(r.bodyLength !== undefined && r.unsignedBodyOctets !== undefined && r.unsignedBodyOctets > 0, 'the unsigned footer is counted');
    assert.deepEqual(r.headerFieldsSigned, ['from', 'to', 'subject', 'cc', 'from']);
    assert.deepEqual(r.overSigned.sort(), ['cc', 'from']);
    assert.ok(r.notes.some((n) => /anyone could have added them/.test(n)));
  });

  // opendkim-testkey: the key records as libopendkim reads them, through its resolver (unbound, pointed at this BIND).
  function testkey(selector: string, domain: string, privateKey?: string): { code: number; text: string } {
    const unbound = path.join(dir, 'unbound.conf');
    fs.writeFileSync(unbound, `server:\n  do-not-query-localhost: no\n  module-config: "iterator"\nforward-zone:\n  name: "."\n  forward-addr: 127.0.0.1@${bind.port}\n`);
    const conf = path.join(dir, 'opendkim.conf');
    fs.writeFileSync(conf, `ResolverConfiguration ${unbound}\n`);
    if (privateKey) fs.chmodSync(path.join(dir, privateKey), 0o600);
    const r = run('/usr/sbin/opendkim-testkey', ['-d', domain, '-s', selector, '-x', conf, '-vvv', ...(privateKey ? ['-k', path.join(dir, privateKey)] : [])]);
    return { code: r.code, text: `${r.out.toString()}${r.err}`.trim() };
  }

  const keyCases: { selector: string; domain?: string; privateKey?: string; ours: 'usable' | 'unusable' | 'missing'; testkey: 0 | 'error' }[] = [
    { selector: 's2048', privateKey: 's2048.private', ours: 'usable', testkey: 0 },
    { selector: 's1024', privateKey: 's1024.private', ours: 'usable', testkey: 0 },
    { selector: 'testing', privateKey: 'testing.private', ours: 'usable', testkey: 0 },
    { selector: 'esp', privateKey: 'esp.private', ours: 'usable', testkey: 0 },
    { selector: 'legacy', ours: 'usable', testkey: 0 },
    { selector: 'revoked', ours: 'unusable', testkey: 'error' },
    { selector: 'gone', ours: 'missing', testkey: 'error' },
    { selector: 's2048', privateKey: 's1024.private', ours: 'usable', testkey: 'error' },
  ];
  for (const k of keyCases) {
    it(`key ${k.selector}._domainkey${k.privateKey ? ` with ${k.privateKey}` : ''}: ours ${k.ours}, opendkim-testkey ${k.testkey === 0 ? 'OK' : 'refuses'}`, async () => {
      const ours = await checkDkimKey(k.selector, k.domain ?? 'example.org', { resolver: resolver() });
      const t = testkey(k.selector, k.domain ?? 'example.org', k.privateKey);
      const lookup = ours.lookups[0];
      const state = lookup.records.length === 0 ? 'missing' : lookup.parsed?.usable && !lookup.parsed.revoked ? 'usable' : 'unusable';
      rows.push(`key ${k.selector}${k.privateKey ? ` (private ${k.privateKey})` : ''} | ${state} ${ours.key.type ?? ''} ${ours.key.bits ?? ''} | opendkim-testkey exit ${t.code}: ${t.text.split('\n').pop()}`);
      assert.equal(state, k.ours);
      if (k.testkey === 0) assert.equal(t.code, 0, t.text);
      else assert.notEqual(t.code, 0, t.text);
      // Both agree the public key is there and usable, whenever testkey checks only the record.
      if (!k.privateKey || k.privateKey.startsWith(k.selector)) assert.equal(state === 'usable', t.code === 0, t.text);
    });
  }

  it('checkDkimKey reads what opendkim-genkey published: sizes, testing, the CNAME to the ESP, revoked', async () => {
    const r2048 = await checkDkimKey('s2048', 'example.org', { resolver: resolver() });
    assert.deepEqual([r2048.key, r2048.testing, r2048.findings.filter((f) => f.severity !== 'info').map((f) => f.code)], [{ type: 'rsa', bits: 2048 }, false, []]);
    const r1024 = await checkDkimKey('s1024', 'example.org', { resolver: resolver() });
    assert.deepEqual(r1024.findings.map((f) => [f.code, f.severity]), [['dkim-key-weak', 'warning']]);
    const r768 = await checkDkimKey('s768', 'example.org', { resolver: resolver() });
    assert.deepEqual(r768.findings.map((f) => [f.code, f.severity]), [['dkim-key-too-small', 'error']]);
    const ed = await checkDkimKey('ed', 'example.org', { resolver: resolver() });
    assert.deepEqual(ed.key, { type: 'ed25519', bits: 256 });
    const testing = await checkDkimKey('testing', 'example.org', { resolver: resolver() });
    assert.equal(testing.testing, true);
    assert.ok(testing.findings.some((f) => f.code === 'dkim-key-testing'));
    const esp = await checkDkimKey('esp', 'example.org', { resolver: resolver() });
    assert.deepEqual(esp.cnames, [{ name: 'esp._domainkey.example.org', target: 's1.domainkey.esp-mail.example.org' }]);
    assert.equal(esp.key.bits, 2048);
    assert.ok(esp.findings.some((f) => f.code === 'dkim-key-cname' && f.message.includes('s1.domainkey.esp-mail.example.org')));
    const revoked = await checkDkimKey('revoked', 'example.org', { resolver: resolver() });
    assert.equal(revoked.revoked, true);
    assert.ok(revoked.findings.some((f) => f.code === 'dkim-key-revoked' && f.severity === 'error'));
    const gone = await checkDkimKey('gone', 'example.org', { resolver: resolver() });
    assert.deepEqual(gone.findings.map((f) => f.code), ['dkim-key-missing']);
    const old = await checkDkimKey('old', 'example.org', { resolver: resolver() });
    assert.deepEqual(old.findings.map((f) => f.code), ['dkim-key-cname', 'dkim-key-cname-dangling']);
  });

  it('without a selector: the common ones are tried, the ones found named, and it says selectors cannot be listed', async () => {
    const r = await checkDkimKey(undefined, 'example.org', { resolver: resolver(), commonSelectors: ['google', 'selector1', 's1024', 'default', 'ed'] });
    assert.deepEqual(r.found, ['s1024', 'ed']);
    assert.equal(r.name, 's1024._domainkey.example.org');
    assert.equal(r.lookups.length, 5);
    const tried = r.findings.find((f) => f.code === 'dkim-selectors-tried');
    assert.ok(tried && /cannot be listed from DNS/.test(tried.message) && tried.message.includes('google, selector1, s1024, default, ed'));
    const none = await checkDkimKey(undefined, 'example.org', { resolver: resolver(), commonSelectors: ['google', 'selector1'] });
    assert.deepEqual(none.found, []);
    assert.ok(none.findings.some((f) => f.code === 'dkim-no-selector-found'));
  });

  it('maildns dkim: --json has name, record, key {type, bits}, testing, findings; exit statuses', async () => {
    const cli = async (args: string[]) => {
      let out = '';
      const code = await dkimCommand.run([...args, '--resolver', bind.server], { out: (t) => (out += t), err: (t) => (out += t) });
      return { code, out };
    };
    const ok = await cli(['s2048', 'example.org', '--json']);
    assert.equal(ok.code, 0, ok.out);
    const json = JSON.parse(ok.out) as { name: string; record: string; key: { type: string; bits: number }; testing: boolean; findings: unknown[] };
    assert.equal(json.name, 's2048._domainkey.example.org');
    assert.match(json.record, /^v=DKIM1; h=sha256; k=rsa; p=MIIB/);
    assert.deepEqual(json.key, { type: 'rsa', bits: 2048 });
    assert.equal(json.testing, false);
    assert.ok(Array.isArray(json.findings));
    assert.equal((await cli(['s2048._domainkey.example.org'])).code, 0);
    assert.equal((await cli(['revoked', 'example.org'])).code, 1);
    assert.equal((await cli(['gone', 'example.org'])).code, 1);
    assert.equal((await cli(['s768', 'example.org'])).code, 1);
    const text = await cli(['esp', 'example.org']);
    assert.equal(text.code, 0);
    assert.match(text.out, /CNAME → s1\.domainkey\.esp-mail\.example\.org/);
    assert.match(text.out, /key: {5}rsa, 2048 bits/);
  });
});

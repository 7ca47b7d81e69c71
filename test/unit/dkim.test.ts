// DKIM core, pure parts: the key record parser (offsets, every tag, sizes, revoked, testing, strings
// over 255 octets), the tag list, RFC 6376's canonicalization example, the message reader (CRLF and
// LF), header selection with over-signing, every verifier outcome that needs no real signer (the
// real signers are in test/integration/dkim-real.test.ts), the key check's findings and fixes on an
// in-memory resolver, the report document and the CLI's usage errors. Linearity by work counters.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { dkimCommand } from '../../src/cli/commands/dkim';
import { canonBody, canonHeader } from '../../src/core/dkim/canon';
import { checkDkimKey, parseDkimInput } from '../../src/core/dkim/check';
import { dkimDomainInputProblem, dkimFromText, dkimSelectorInputProblem } from '../../src/core/dkim/input';
import { parseDkimKey } from '../../src/core/dkim/key';
import { DKIM_LIMITS } from '../../src/core/dkim/limits';
import { readMessage } from '../../src/core/dkim/message';
import { parseSignature } from '../../src/core/dkim/signature';
import { parseTagList, type Work } from '../../src/core/dkim/tags';
import { dkimToText } from '../../src/core/dkim/text';
import { selectFields, verifyDkimSignatures } from '../../src/core/dkim/verify';
import type { DnsResponse, LookupResult, Resolver } from '../../src/core/dns/types';
import { dkimToReport } from '../../src/core/report/dkimDoc';
import { reportToMarkdown } from '../../src/core/report/markdown';
import { checkToTreeNode, type ResultTreeNode } from '../../src/vscode/treeModel';
import { REPO_ROOT } from '../paths';
import { ed25519Key, rsaKey, signMessage } from './dkim-sign';
import { memoryResolver } from './memory-resolver';

const RSA = rsaKey(2048);
const ED = ed25519Key();
const P2048 = RSA.record.replace(/^.*p=/, '');

const MESSAGE = 'From: Alice <alice@example.org>\r\nTo: bob@example.net\r\nSubject: Hello\r\nDate: Mon, 1 Jan 2024 00:00:00 +0000\r\n\r\nHi Bob.\r\n';

function resolverWith(records: Record<string, (string | string[])[]>): Resolver {
  return memoryResolver(Object.fromEntries(Object.entries(records).map(([name, txt]) => [name, { TXT: txt }])), ['example.org']);
}

/** A resolver whose every answer is one rcode (DNS trouble). */
function failingResolver(rcode: string): Resolver {
  const answer = async (name: string, type: string): Promise<LookupResult> => {
    const r: DnsResponse = { question: { name, type }, rcode, answers: [], authorities: [], server: '127.0.0.1:5300', transport: 'udp', authoritative: false, error: 'no reply in time', elapsedMs: 0 };
    return { ...r, records: [], cnames: [], ttl: null };
  };
  return { query: answer, lookup: answer, servers: () => ['127.0.0.1:5300'], dig: (n, t) => `dig @127.0.0.1 -p 5300 ${n} ${t}` };
}

function ratio(make: (n: number) => string, run: (text: string, work: Work) => void, n = 2000): number {
  const a: Work = { steps: 0 };
  const b: Work = { steps: 0 };
  run(make(n), a);
  run(make(2 * n), b);
  return b.steps / a.steps;
}

describe('DKIM key record parser', () => {
  it('reads every tag with offsets into the joined strings', () => {
    const strings = ['v=DKIM1; h=sha256; k=rsa; t=y:s; ', `p=${P2048.slice(0, 200)}`, `${P2048.slice(200)}; n=rotated 2024`];
    const k = parseDkimKey(strings);
    assert.equal(k.text, strings.join(''));
    assert.deepEqual(k.tags.map((t) => t.name), ['v', 'h', 'k', 't', 'p', 'n']);
    for (const t of k.tags) {
      assert.equal(k.text.slice(t.nameStart, t.nameEnd), t.name);
      assert.equal(k.text.slice(t.valueStart, t.valueEnd), t.value);
    }
    assert.deepEqual(k.strings.map((s) => [s.start, s.end]), [[0, strings[0].length], [strings[0].length, strings[0].length + strings[1].length], [strings[0].length + strings[1].length, k.text.length]]);
    assert.deepEqual([k.version, k.keyType, k.key, k.testing, k.strictSubdomains, k.hashes, k.notes, k.usable], ['DKIM1', 'rsa', { type: 'rsa', bits: 2048 }, true, true, ['sha256'], 'rotated 2024', true]);
    assert.deepEqual(k.problems.map((p) => p.code), ['dkim-key-testing', 'dkim-key-strict']);
  });

  it('RSA sizes: under 1024 fails, 1024 warns, 2048 is good; ed25519 is 256 bits; PKCS#1 keys are read too', () => {
    const small = parseDkimKey(rsaKey(512).record);
    assert.deepEqual([small.key.bits, small.problems.map((p) => [p.code, p.severity]), small.usable], [512, [['dkim-key-too-small', 'error']], true]);
    const weak = parseDkimKey(rsaKey(1024).record);
    assert.deepEqual(weak.problems.map((p) => [p.code, p.severity]), [['dkim-key-weak', 'warning']]);
    assert.deepEqual(parseDkimKey(RSA.record).problems, []);
    assert.deepEqual(parseDkimKey(ED.record).key, { type: 'ed25519', bits: 256 });
    const pkcs1 = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'pkcs1', format: 'der' }).toString('base64');
    assert.deepEqual(parseDkimKey(`v=DKIM1; p=${pkcs1}`).key, { type: 'rsa', bits: 2048 });
  });

  it('revoked, broken and foreign records, each with its code', () => {
    const cases: [string, string[]][] = [
      ['v=DKIM1; k=rsa; p=', ['dkim-key-revoked']],
      ['v=DKIM1; k=dsa; p=AAAA', ['dkim-key-unknown-type']],
      ['v=DKIM1; p=-----BEGIN PUBLIC KEY-----', ['dkim-key-bad-base64']],
      ['v=DKIM1; p=AAAA', ['dkim-key-undecodable']],
      ['v=DKIM2; p=' + P2048, ['dkim-key-version']],
      ['k=rsa; v=DKIM1; p=' + P2048, ['dkim-key-version-order']],
      ['v=DKIM1; p=' + P2048 + '; p=' + P2048, ['dkim-key-duplicate-tag']],
      ['v=DKIM1; h=sha1; p=' + P2048, ['dkim-key-no-sha256']],
      ['v=DKIM1; s=tlsrpt; p=' + P2048, ['dkim-key-not-email']],
      ['v=DKIM1; g=; p=' + P2048, ['dkim-key-granularity']],
      ['v=DKIM1; x=1; p=' + P2048, ['dkim-key-unknown-tag']],
      ['v=spf1 -all', ['dkim-key-version', 'dkim-key-no-p']],
      ['v=DKIM1;; p=' + P2048, ['dkim-key-syntax']],
      ['v=DKIM1; 1x=2; p=' + P2048, ['dkim-key-syntax']],
      ['', ['dkim-key-empty', 'dkim-key-no-p']],
    ];
    for (const [record, codes] of cases) {
      const k = parseDkimKey(record);
      assert.deepEqual(k.problems.map((p) => p.code).sort(), [...codes].sort(), record);
      for (const p of k.problems) assert.ok(p.start >= 0 && p.start <= p.end && p.end <= record.length, `${p.code} at ${p.start}-${p.end}`);
    }
    assert.match(parseDkimKey('v=spf1 -all').problems.find((p) => p.code === 'dkim-key-no-p')!.message, /an SPF record, not a DKIM key/);
    assert.match(parseDkimKey('v=DKIM1; p=-----BEGIN PUBLIC KEY-----').problems[0].message, /only the base64 between the BEGIN and END lines/);
    assert.equal(parseDkimKey('v=DKIM1; k=rsa; p=').usable, false);
    assert.equal(parseDkimKey('v=DKIM1;; p=' + P2048).usable, true, 'an empty tag between two ";" is only a warning');
  });

  it('a character-string over 255 octets is named, with its range (UTF-8 octets, not characters)', () => {
    const long = `v=DKIM1; k=rsa; p=${P2048}`;
    const k = parseDkimKey([long]);
    const p = k.problems.find((x) => x.code === 'dkim-key-string-too-long')!;
    assert.deepEqual([p.start, p.end, p.severity], [0, long.length, 'error']);
    assert.match(p.message, new RegExp(`is ${Buffer.byteLength(long)} octets; one string holds at most 255`));
    assert.equal(parseDkimKey(['n=' + 'é'.repeat(127) + ';', 'p=']).problems.filter((x) => x.code === 'dkim-key-string-too-long').length, 1, '2 + 254 + 1 octets');
    assert.equal(parseDkimKey(['n=' + 'é'.repeat(126) + ';', 'p=']).problems.filter((x) => x.code === 'dkim-key-string-too-long').length, 0, '255 octets');
  });

  it('never throws, and its work grows linearly (doubling the record at most ~doubles it)', () => {
    const shapes: ((n: number) => string)[] = [
      (n) => 'a;'.repeat(n) + '=',
      (n) => ';'.repeat(n),
      (n) => 'v=DKIM1; ' + 'x=y z '.repeat(n),
      (n) => ' '.repeat(n) + 'p',
      (n) => 'p=' + 'A'.repeat(4 * n),
      (n) => 'a=b;'.repeat(n),
      (n) => '=;'.repeat(n),
    ];
    for (const make of shapes) {
      const r = ratio(make, (text, work) => void parseDkimKey(text, work));
      assert.ok(r > 1.5 && r < 2.5, `${JSON.stringify(make(3))}…: doubling gave ×${r.toFixed(2)} work`);
    }
    const r = ratio((n) => 'h=' + 'from:'.repeat(n) + ';', (text, work) => void parseTagList(text, 'x', work));
    assert.ok(r > 1.5 && r < 2.5, `tag list: ×${r.toFixed(2)}`);
  });
});

describe('DKIM canonicalization (RFC 6376 §3.4.5 example)', () => {
  const raw = 'A: X\r\nB : Y\t\r\n\tZ  \r\n\r\n C \r\nD \t E\r\n\r\n\r\n';
  const m = readMessage(raw);

  it('relaxed headers: "a:X", "b:Y Z"', () => {
    assert.deepEqual(m.fields.map((f) => canonHeader(f, 'relaxed')), ['a:X\r\n', 'b:Y Z\r\n']);
  });
  it('simple headers: unchanged', () => {
    assert.deepEqual(m.fields.map((f) => canonHeader(f, 'simple')), ['A: X\r\n', 'B : Y\t\r\n\tZ  \r\n']);
  });
  it('relaxed body: " C", "D E"; simple body: trailing empty lines only', () => {
    assert.equal(canonBody(m.body, 'relaxed').toString('latin1'), ' C\r\nD E\r\n');
    assert.equal(canonBody(m.body, 'simple').toString('latin1'), ' C \r\nD \t E\r\n');
  });
  it('empty bodies: simple is CRLF, relaxed is empty; a last line without CRLF gets one', () => {
    assert.equal(canonBody(Buffer.alloc(0), 'simple').toString('latin1'), '\r\n');
    assert.equal(canonBody(Buffer.alloc(0), 'relaxed').toString('latin1'), '');
    assert.equal(canonBody(Buffer.from('\r\n\r\n'), 'relaxed').toString('latin1'), '');
    assert.equal(canonBody(Buffer.from('x  '), 'relaxed').toString('latin1'), 'x\r\n');
    assert.equal(canonBody(Buffer.from('x'), 'simple').toString('latin1'), 'x\r\n');
  });
});

describe('DKIM message reader', () => {
  it('LF-only input is read as CRLF; the mbox "From " line is not a field; folding is kept', () => {
    const m = readMessage('From alice@example.org Mon Jan  1 00:00:00 2024\nFrom: a@example.org\nSubject: one\n two\n\nbody\n');
    assert.deepEqual(m.fields.map((f) => f.raw), ['From: a@example.org', 'Subject: one\r\n two']);
    assert.equal(m.body.toString('latin1'), 'body\r\n');
    assert.equal(m.lineEndings, 'lf');
    assert.equal(readMessage('A: b\r\n\r\nx\r\n').lineEndings, 'crlf');
  });
  it('"From : x" on the first line is a field (obsolete syntax), not an mbox separator (found by fuzz target dkim-message, seed 1)', () => {
    assert.deepEqual(readMessage('From : a@example.org\r\nTo: b\r\n\r\n').fields.map((f) => f.key), ['from', 'to']);
    assert.deepEqual(readMessage('From a@example.org Mon Jan  1 00:00:00 2024\r\nTo: b\r\n\r\n').fields.map((f) => f.key), ['to']);
  });

  it('a line without a colon is kept but never signed; no blank line means no body', () => {
    const m = readMessage('From: a@example.org\r\nnot a header\r\n');
    assert.deepEqual(m.fields.map((f) => [f.key, f.colon]), [['from', 4], ['', -1]]);
    assert.deepEqual(m.problems.map((p) => p.code), ['dkim-message-malformed', 'dkim-message-malformed']);
  });
  it('budgets: fields, field size, header section, message size', () => {
    assert.match(readMessage('A: b\r\n'.repeat(30), { headerFields: 20 }).tooLarge ?? '', /more than 20 header fields/);
    assert.match(readMessage(`A: ${'b'.repeat(100)}\r\n`, { fieldOctets: 50 }).tooLarge ?? '', /longer than 50 octets/);
    assert.match(readMessage(`A: b\r\n ${'c '.repeat(100)}\r\n`, { fieldOctets: 50 }).tooLarge ?? '', /longer than 50 octets/);
    assert.match(readMessage('A: b\r\n'.repeat(30), { headerOctets: 40 }).tooLarge ?? '', /header section is \d+ octets/);
    assert.match(readMessage('A: b\r\n\r\n' + 'x'.repeat(100), { messageOctets: 50 }).tooLarge ?? '', /message is 108 octets/);
  });
  it('reads in linear work', () => {
    for (const make of [(n: number) => 'A: b\r\n'.repeat(n), (n: number) => 'A: b\n \n'.repeat(n), (n: number) => 'x\n'.repeat(n), (n: number) => `A:${' '.repeat(n)}\r\n`]) {
      const r = ratio(make, (text, work) => void readMessage(text, { headerFields: 1e9 }, work));
      assert.ok(r > 1.5 && r < 2.5, `${JSON.stringify(make(2))}: ×${r.toFixed(2)}`);
    }
    const s = ratio((n) => ' v=1; a=rsa-sha256; h=' + 'from:'.repeat(n % DKIM_LIMITS.signedFields) + 'to; b=' + 'A'.repeat(n) + '; bh=AAAA', (text, work) => void parseSignature(text, work));
    assert.ok(s > 1.5 && s < 2.5, `signature ×${s.toFixed(2)}`);
  });
});

describe('DKIM header selection', () => {
  it('takes fields bottom-up per name; names listed more often than present are over-signed', () => {
    const m = readMessage('Received: 1\r\nFrom: a\r\nReceived: 2\r\nSubject: s\r\n\r\n');
    const { selected, overSigned } = selectFields(m.fields, ['received', 'received', 'received', 'from', 'cc', 'subject']);
    assert.deepEqual(selected.map((f) => f.raw), ['Received: 2', 'Received: 1', 'From: a', 'Subject: s']);
    assert.deepEqual(overSigned.sort(), ['cc', 'received']);
  });
});

describe('DKIM signature verification (in-memory DNS)', () => {
  const keys = resolverWith({ 'test._domainkey.example.org': [RSA.record], 'ed._domainkey.example.org': [ED.record] });
  const one = async (message: string, resolver: Resolver = keys, now?: number) => (await verifyDkimSignatures(message, { resolver, ...(now !== undefined ? { now } : {}) }))[0];

  it('passes what the test signer signed (rsa, ed25519, both canonicalizations), CRLF or LF', async () => {
    for (const canon of [['simple', 'simple'], ['relaxed', 'relaxed'], ['relaxed', 'simple'], ['simple', 'relaxed']] as const) {
      const signed = signMessage(MESSAGE, RSA, { canon: [canon[0], canon[1]] });
      assert.equal((await one(signed)).result, 'pass', canon.join('/'));
      assert.equal((await one(signed.replace(/\r\n/g, '\n'))).result, 'pass', `${canon.join('/')} LF`);
    }
    const ed = await one(signMessage(MESSAGE, ED, { selector: 'ed' }));
    assert.deepEqual([ed.result, ed.key?.type, ed.key?.bits], ['pass', 'ed25519', 256]);
    assert.deepEqual(await verifyDkimSignatures(MESSAGE, { resolver: keys }), [], 'an unsigned message has no results');
  });

  it('signatures verifiers must ignore are neutral, each with its code', async () => {
    const base = signMessage(MESSAGE, RSA);
    const edit = (from: RegExp, to: string) => base.replace(from, to);
    const cases: [string, string][] = [
      [edit(/ v=1;/, ' v=2;'), 'dkim-sig-version'],
      [edit(/ a=rsa-sha256;/, ' a=rsa-md5;'), 'dkim-sig-algorithm'],
      [edit(/ c=relaxed\/relaxed;/, ' c=fancy;'), 'dkim-sig-canonicalization'],
      [edit(/ d=example\.org;/, ' d=example.org; i=@example.net;'), 'dkim-sig-identity'],
      [edit(/ h=from:/, ' h='), 'dkim-sig-from-not-signed'],
      [edit(/ bh=[^;]+;/, ''), 'dkim-sig-missing-tag'],
      [edit(/ d=example\.org;/, ' d=example.org; d=example.org;'), 'dkim-sig-syntax'],
      [edit(/ d=example\.org;/, ' d=example.org; q=http;'), 'dkim-sig-query-method'],
      [edit(/ d=example\.org;/, ' d=example.org; l=x;'), 'dkim-sig-syntax'],
      [edit(/ b=[^\r]+/, ' b=!!!'), 'dkim-sig-syntax'],
    ];
    for (const [message, code] of cases) {
      const r = await one(message);
      assert.deepEqual([r.result, r.code], ['neutral', code], r.reason);
    }
  });

  it('key trouble: permerror (missing, revoked, unusable, mismatched), DNS trouble: temperror', async () => {
    const signed = signMessage(MESSAGE, RSA);
    const with_ = (record: string) => resolverWith({ 'test._domainkey.example.org': [record] });
    const cases: [Resolver, string, string][] = [
      [resolverWith({}), 'permerror', 'dkim-sig-key-missing'],
      [with_('v=DKIM1; k=rsa; p='), 'permerror', 'dkim-sig-key-revoked'],
      [with_('v=DKIM1; k=rsa; p=AAAA'), 'permerror', 'dkim-sig-key-invalid'],
      [with_(ED.record), 'permerror', 'dkim-sig-key-mismatch'],
      [with_(`${RSA.record}; h=sha1`), 'permerror', 'dkim-sig-key-mismatch'],
      [with_(`${RSA.record}; s=tlsrpt`), 'permerror', 'dkim-sig-key-invalid'],
      [with_(`${RSA.record.replace('v=DKIM1; ', 'v=DKIM1; t=s; ')}`), 'pass', 'dkim-sig-pass'],
      [failingResolver('TIMEOUT'), 'temperror', 'dkim-sig-key-dns'],
      [failingResolver('SERVFAIL'), 'temperror', 'dkim-sig-key-dns'],
    ];
    for (const [resolver, result, code] of cases) {
      const r = await one(signed, resolver);
      assert.deepEqual([r.result, r.code], [result, code], r.reason);
    }
    const strict = await one(signMessage(MESSAGE, RSA, { extraTags: ' i=@mail.example.org;' }), with_(RSA.record.replace('v=DKIM1; ', 'v=DKIM1; t=s; ')));
    assert.deepEqual([strict.result, strict.code], ['permerror', 'dkim-sig-key-mismatch']);
  });

  it('expiry and timestamps against the given clock', async () => {
    const t = 1_700_000_000;
    const signed = signMessage(MESSAGE, RSA, { extraTags: ` t=${t}; x=${t + 3600};` });
    assert.equal((await one(signed, keys, (t + 60) * 1000)).result, 'pass');
    const late = await one(signed, keys, (t + 3600 + 301) * 1000);
    assert.deepEqual([late.result, late.code], ['permerror', 'dkim-sig-expired']);
    assert.match(late.reason, /^signature expired on 2023-11-14 23:13:20 UTC \(x=1700003600\)/);
    const early = await one(signed, keys, (t - 86400) * 1000);
    assert.equal(early.result, 'pass');
    assert.ok(early.notes.some((n) => /in the future/.test(n)));
  });

  it('l= longer than the body fails; l= shorter leaves the rest unsigned', async () => {
    const signed = signMessage(MESSAGE, RSA, { length: true });
    const cut = await one(signed.replace('Hi Bob.\r\n', 'Hi\r\n'));
    assert.deepEqual([cut.result, cut.code], ['fail', 'dkim-sig-body-length']);
    const more = await one(`${signed}P.S. buy now\r\n`);
    assert.deepEqual([more.result, more.unsignedBodyOctets], ['pass', 14]);
  });

  it('rsa-sha1 and keys under 1024 bits verify but are policy; a testing key passes with a note', async () => {
    const sha1 = await one(signMessage(MESSAGE, RSA, { sha1: true }));
    assert.deepEqual([sha1.result, sha1.code, sha1.weak], ['policy', 'dkim-sig-sha1', 'rsa-sha1']);
    const small = rsaKey(512);
    const r = await one(signMessage(MESSAGE, small), resolverWith({ 'test._domainkey.example.org': [small.record] }));
    assert.deepEqual([r.result, r.code, r.weak], ['policy', 'dkim-sig-key-too-small', 'rsa-512']);
    const testing = await one(signMessage(MESSAGE, RSA), resolverWith({ 'test._domainkey.example.org': [RSA.record.replace('v=DKIM1; ', 'v=DKIM1; t=y; ')] }));
    assert.deepEqual([testing.result, testing.key?.testing], ['pass', true]);
    assert.ok(testing.notes.some((n) => /t=y/.test(n)));
  });

  it('bounds: more than 10 signatures, a message over its budget', async () => {
    let message = MESSAGE;
    for (let i = 0; i < 12; i++) message = signMessage(message, RSA);
    const results = await verifyDkimSignatures(message, { resolver: keys });
    assert.equal(results.length, 12);
    assert.deepEqual(results.slice(10).map((r) => r.code), ['dkim-sig-budget', 'dkim-sig-budget']);
    assert.ok(results.slice(0, 10).every((r) => r.result === 'fail' || r.result === 'pass'));
    const fields = `${'X-Filler: x\r\n'.repeat(DKIM_LIMITS.headerFields + 1)}`;
    const big = await one(signMessage(MESSAGE, RSA).replace('From:', `${fields}From:`));
    assert.deepEqual([big.result, big.code], ['neutral', 'dkim-message-too-large']);
  });
});

describe('DKIM key check (in-memory DNS)', () => {
  it('one selector: the key, its tags and findings; a string over 255 octets gets the record split as its fix', async () => {
    const long = `v=DKIM1; k=rsa; p=${P2048}`;
    const r = await checkDkimKey('s1', 'example.org', { resolver: resolverWith({ 's1._domainkey.example.org': [[long]] }) });
    assert.deepEqual([r.name, r.record, r.key, r.testing, r.revoked, r.found], ['s1._domainkey.example.org', long, { type: 'rsa', bits: 2048 }, false, false, ['s1']]);
    const f = r.findings.find((x) => x.code === 'dkim-key-string-too-long')!;
    assert.ok(f.fix?.record);
    const strings = [...f.fix.record.matchAll(/"([^"]*)"/g)].map((m) => m[1]);
    assert.ok(strings.length >= 2 && strings.every((s) => Buffer.byteLength(s) <= 255), f.fix.record);
    assert.equal(strings.join(''), long);
  });

  it('fixes with a certain replacement propose the changed record', async () => {
    const r = await checkDkimKey('s1', 'example.org', { resolver: resolverWith({ 's1._domainkey.example.org': [`v=DKIM1; h=sha1; p=${P2048}`] }) });
    const f = r.findings.find((x) => x.code === 'dkim-key-no-sha256')!;
    assert.equal(f.fix?.proposed, `v=DKIM1; h=sha256; p=${P2048}`);
    assert.match(f.fix?.record ?? '', /^s1\._domainkey\.example\.org\. 3600 IN TXT "v=DKIM1; h=sha256; p=/);
  });

  it('several TXT records at the name: a warning, the key record read', async () => {
    const r = await checkDkimKey('s1', 'example.org', { resolver: resolverWith({ 's1._domainkey.example.org': ['some other text', [RSA.record.slice(0, 200), RSA.record.slice(200)]] }) });
    assert.deepEqual([r.key.bits, r.findings.map((f) => f.code)], [2048, ['dkim-key-multiple']]);
  });

  it('DNS trouble is a finding, not an exception', async () => {
    const r = await checkDkimKey('s1', 'example.org', { resolver: failingResolver('TIMEOUT') });
    assert.deepEqual([r.record, r.findings.map((f) => [f.code, f.severity])], [null, [['dns-timeout', 'error']]]);
  });

  it('input: a selector and a domain, the whole key name, an address, or a domain alone', () => {
    assert.deepEqual(parseDkimInput('S1', 'Example.ORG.'), { selector: 's1', domain: 'example.org' });
    assert.deepEqual(parseDkimInput('s1._domainkey.example.org', undefined), { selector: 's1', domain: 'example.org' });
    assert.deepEqual(parseDkimInput(undefined, 's1._domainkey.example.org'), { selector: 's1', domain: 'example.org' });
    assert.deepEqual(parseDkimInput(undefined, 'alice@example.org'), { selector: null, domain: 'example.org' });
    assert.throws(() => parseDkimInput('bad selector', 'example.org'), /is not a selector/);
    assert.throws(() => parseDkimInput('s1', '192.0.2.1'), /is an IP address/);
  });

  it('report and text: hostile record text stays text', async () => {
    const hostile = 'v=DKIM1; n=<script>alert(1)</script>\u202e [x](command:workbench.action.quit); p=' + P2048;
    const r = await checkDkimKey('s1', 'example.org', { resolver: resolverWith({ 's1._domainkey.example.org': [[hostile.slice(0, 200), hostile.slice(200)]] }) });
    const doc = dkimToReport(r);
    assert.equal(doc.status, 'fail', 'U+202E is no character a tag value may hold');
    assert.ok(doc.facts.some((f) => f.value === hostile), 'the record is in the document verbatim');
    const md = reportToMarkdown(doc);
    const outsideCode = md.replace(/^(`{3,})[^\n]*\n[\s\S]*?\n\1$/gm, '').replace(/(`+)[^`]*?\1/g, '');
    assert.doesNotMatch(outsideCode, /(?<!\\)<script|(?<!\\)\]\(command:/);
    const labels = (n: ResultTreeNode): string[] => [n.label, n.description ?? '', ...n.children.flatMap(labels)];
    for (const s of labels(checkToTreeNode(doc, 'check-1'))) assert.doesNotMatch(s, /[\n\u202e]/);
    assert.doesNotMatch(dkimToText(r), /\u202e/);
  });
});

describe('Check DKIM key: the input boxes', () => {
  it('prefill from a DKIM-Signature, a key name, an address or a domain', () => {
    assert.deepEqual(dkimFromText('DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.org;\r\n s=s2024; h=from:to; bh=x; b=y'), { selector: 's2024', domain: 'example.org' });
    assert.deepEqual(dkimFromText('dig s1._domainkey.example.org TXT'), { selector: 's1', domain: 'example.org' });
    assert.deepEqual(dkimFromText('From: Alice <alice@example.org>'), { domain: 'example.org' });
    assert.deepEqual(dkimFromText('example.org'), { domain: 'example.org' });
    assert.deepEqual(dkimFromText('hello'), {});
  });
  it('hints: an empty selector is fine (common ones), a bad one is named; a domain must be one', () => {
    assert.equal(dkimSelectorInputProblem(''), undefined);
    assert.equal(dkimSelectorInputProblem('selector1'), undefined);
    assert.equal(dkimSelectorInputProblem('s1._domainkey.example.org'), undefined);
    assert.match(dkimSelectorInputProblem('s 1') ?? '', /is not a selector/);
    assert.match(dkimSelectorInputProblem('s1._domainkey.192.0.2.1') ?? '', /is an IP address/);
    assert.equal(dkimDomainInputProblem('example.org'), undefined);
    assert.match(dkimDomainInputProblem('') ?? '', /no domain/);
  });
});

describe('maildns dkim: arguments', () => {
  async function cli(args: string[]): Promise<{ code: number; err: string }> {
    let err = '';
    try {
      const code = await dkimCommand.run(args, { out: () => undefined, err: (t) => (err += t) });
      return { code, err };
    } catch (e) {
      return { code: 2, err: (e as Error).message };
    }
  }
  it('refuses what is not a selector and a domain, before asking DNS', async () => {
    assert.match((await cli([])).err, /dkim needs a domain/);
    assert.match((await cli(['a', 'b', 'c'])).err, /takes a selector and a domain, got 3 arguments/);
    assert.match((await cli(['bad/sel', 'example.org'])).err, /is not a selector/);
    assert.match((await cli(['s1', 'not a domain'])).err, /not a valid domain name/);
  });
  it('--help lists the common selectors and the exit statuses', async () => {
    let out = '';
    await dkimCommand.run(['--help'], { out: (t) => (out += t), err: () => undefined });
    assert.match(out, /google,\s+selector1,\s+selector2,\s+default/);
    assert.match(out, /Exit status: 0 a usable key/);
  });
});

describe('DKIM codes are documented', () => {
  it('every dkim-* code in src/core/dkim is a row of the DKIM table in docs/dmarc-dkim.md, and every row is a code', () => {
    const dir = path.join(REPO_ROOT, 'src', 'core', 'dkim');
    const used = new Set<string>();
    for (const f of fs.readdirSync(dir)) for (const m of fs.readFileSync(path.join(dir, f), 'utf8').matchAll(/'(dkim-(?:key|sig|message|selectors|no-selector)(?:-[a-z0-9-]+)?)'/g)) used.add(m[1]);
    const doc = fs.readFileSync(path.join(REPO_ROOT, 'docs', 'dmarc-dkim.md'), 'utf8');
    const section = doc.slice(doc.indexOf('## DKIM'));
    const rows = new Set([...section.matchAll(/^\| `(dkim-[a-z0-9-]+)` \|/gm)].map((m) => m[1]));
    assert.deepEqual([...used].filter((c) => !rows.has(c)), [], 'codes without a row');
    assert.deepEqual([...rows].filter((c) => !used.has(c)), [], 'rows without a code');
  });
});

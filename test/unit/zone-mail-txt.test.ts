// DMARC and DKIM records in zone files (issue 10): findings with exact ranges inside the quoted
// strings (a record split over several strings included), every quick fix applied to the text and
// the zones linted again clean, DMARC alignment against the SPF, DKIM and MX records of the
// workspace, the hover text and the lens. Every code of MAIL_TXT_CODES is seen here and documented.
import { strict as assert } from 'node:assert';
import { createPublicKey, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { applyEdits } from '../../src/core/zone/edits';
import { dkimLensText, dmarcLensText, mailTxtInfoAt } from '../../src/core/zone/mailTxtInfo';
import { dkimSourcesIn } from '../../src/core/zone/dkimLint';
import { dmarcSourcesIn } from '../../src/core/zone/dmarcLint';
import { lintZonesStatic } from '../../src/core/zone/lint';
import { MAIL_TXT_CODES } from '../../src/core/zone/mailCodes';
import { parseZone } from '../../src/core/zone/parser';
import type { ZoneFinding, ZoneFix } from '../../src/core/zone/types';
import { ZoneIndex } from '../../src/core/zone/zoneIndex';
import { REPO_ROOT } from '../paths';

/** An RSA public key of `bits` (a random odd modulus: parsers read its size, nothing is verified with it). */
function rsaPub(bits: number): string {
  const n = randomBytes(bits / 8);
  n[0] |= 0x80;
  n[n.length - 1] |= 1;
  return createPublicKey({ key: { kty: 'RSA', n: n.toString('base64url'), e: 'AQAB' }, format: 'jwk' }).export({ type: 'spki', format: 'der' }).toString('base64');
}

const K2048 = rsaPub(2048);
const K1024 = rsaPub(1024);

/** Text as quoted strings of at most 255 characters. */
function q(text: string): string {
  const parts: string[] = [];
  for (let i = 0; i < text.length || i === 0; i += 255) parts.push(`"${text.slice(i, i + 255)}"`);
  return parts.join(' ');
}

const HEAD = ['$TTL 3600', '@ IN SOA ns1 hostmaster 1 7200 3600 1209600 300', '  IN NS ns1', '  IN MX 10 mail', 'ns1 IN A 192.0.2.53', 'mail IN A 192.0.2.25'];
const SPF = '@ IN TXT "v=spf1 mx -all"';
const DKIM = `s1._domainkey IN TXT ( ${q(`v=DKIM1; k=rsa; p=${K2048}`)} )`;
const DMARC = '_dmarc IN TXT "v=DMARC1; p=reject; rua=mailto:dmarc@example.com"';
const BASE = [SPF, DKIM, DMARC];

interface File {
  file: string;
  text: string;
  origin: string;
}

const com = (lines: string[]): File => ({ file: '/z/example.com.zone', origin: 'example.com', text: [...HEAD, ...lines, ''].join('\n') });
const net = (lines: string[]): File => ({ file: '/z/example.net.zone', origin: 'example.net', text: [...HEAD, ...lines, ''].join('\n') });

function lint(files: File[]): ZoneFinding[] {
  return lintZonesStatic(files.map((f) => parseZone(f.text, { file: f.file, origin: f.origin })));
}

function index(files: File[]): ZoneIndex {
  return new ZoneIndex(files.map((f) => parseZone(f.text, { file: f.file, origin: f.origin })));
}

const seen = new Set<string>();

/** The findings with the text each underlines. */
function found(files: File[]): { f: ZoneFinding; text: string }[] {
  const fs = lint(files);
  for (const f of fs) seen.add(f.code);
  return fs.map((f) => ({ f, text: files.find((x) => x.file === f.file)!.text.slice(f.start, f.end) }));
}

function applyFix(files: File[], fix: ZoneFix): File[] {
  return files.map((f) => ({ ...f, text: applyEdits(f.text, fix.edits.filter((e) => e.file === f.file)) }));
}

const codes = (fs: ZoneFinding[]) => fs.map((f) => f.code).sort();

interface Case {
  name: string;
  files: File[];
  code: string;
  /** The exact text underlined. */
  text: string;
  /** The fix's description; undefined: no fix. */
  fix?: RegExp;
  /** Codes left after the fix (default: none at all). */
  after?: string[];
}

const CASES: Case[] = [
  { name: 'a bad p= value in the first of two strings', files: [com([SPF, DKIM, '_dmarc IN TXT "v=DMARC1; p=rejct; " "rua=mailto:dmarc@example.com"'])], code: 'dmarc-invalid-value', text: 'rejct', fix: /^Replace with reject$/ },
  { name: 'an address as rua= in the second string', files: [com([SPF, DKIM, '_dmarc IN TXT ( "v=DMARC1; p=reject; rua="\n    "dmarc@example.com" )'])], code: 'dmarc-uri-no-scheme', text: 'dmarc@example.com', fix: /^Replace with mailto:dmarc@example\.com$/ },
  { name: 'no v=DMARC1', files: [com([SPF, DKIM, '_dmarc IN TXT "p=reject; rua=mailto:dmarc@example.com"'])], code: 'dmarc-not-dmarc', text: 'p=reject', fix: /^Add v=DMARC1 first$/ },
  { name: 'v=DMARC1 after p=', files: [com([SPF, DKIM, '_dmarc IN TXT "p=reject; v=DMARC1; rua=mailto:dmarc@example.com"'])], code: 'dmarc-not-dmarc', text: 'p=reject', fix: /^Move v=DMARC1 to the start$/ },
  { name: 'a tag typo', files: [com([SPF, DKIM, '_dmarc IN TXT "v=DMARC1; p=reject; rua=mailto:dmarc@example.com; aspff=s"'])], code: 'dmarc-unknown-tag', text: 'aspff', fix: /^Rename it to aspf=$/ },
  { name: 'a tag typo whose fix would make a duplicate', files: [com([SPF, DKIM, '_dmarc IN TXT "v=DMARC1; p=reject; rua=mailto:dmarc@example.com; ruaa=mailto:d@example.com"'])], code: 'dmarc-unknown-tag', text: 'ruaa' },
  { name: 'no p=', files: [com([SPF, DKIM, '_dmarc IN TXT "v=DMARC1; rua=mailto:dmarc@example.com"'])], code: 'dmarc-missing-p', text: '"v=DMARC1; rua=mailto:dmarc@example.com"', fix: /^Add p=none after v=DMARC1$/, after: ['dmarc-p-none'] },
  { name: 'v=DMARC1 without ";"', files: [com([SPF, DKIM, '_dmarc IN TXT "v=DMARC1 p=reject; rua=mailto:dmarc@example.com"'])], code: 'dmarc-missing-semicolon', text: ' ', fix: /^Replace with ;$/ },
  { name: 'an unquoted DMARC record', files: [com([SPF, DKIM, '_dmarc IN TXT v=DMARC1; p=reject; rua=mailto:dmarc@example.com'])], code: 'txt-unquoted-semicolon', text: 'v=DMARC1', fix: /^Quote the whole text/ },
  { name: 'two DMARC records', files: [com([...BASE, '_dmarc IN TXT "v=DMARC1; p=none; rua=mailto:dmarc@example.com"'])], code: 'dmarc-multiple', text: '"v=DMARC1; p=none; rua=mailto:dmarc@example.com"', fix: /^Delete this record \(keep "v=DMARC1; p=reject/ },
  { name: 'a DMARC record at the apex', files: [com([SPF, DKIM, '@ IN TXT "v=DMARC1; p=reject; rua=mailto:dmarc@example.com"'])], code: 'dmarc-wrong-owner', text: '@', fix: /^Move it to _dmarc\.example\.com$/ },
  { name: 'a DMARC record at the apex whose owner the next record inherits', files: [com([SPF, DKIM, '@ IN TXT "v=DMARC1; p=reject; rua=mailto:dmarc@example.com"', '  IN A 192.0.2.80'])], code: 'dmarc-wrong-owner', text: '@' },
  { name: 'a key without _domainkey whose owner the next record inherits', files: [com([SPF, DMARC, `s1 IN TXT ${q(`v=DKIM1; k=rsa; p=${K2048}`)}`, '   IN A 192.0.2.80'])], code: 'dkim-key-wrong-owner', text: 's1' },
  { name: 'p=reject with neither SPF nor DKIM', files: [com([DMARC])], code: 'dmarc-no-aligned-auth', text: 'p=reject' },
  { name: 'p=reject with SPF only', files: [com([SPF, DMARC])], code: 'dmarc-spf-only', text: 'p=reject' },
  { name: 'aspf=s with SPF only at a bounce subdomain', files: [com(['bounce IN TXT "v=spf1 mx -all"', 'bounce IN MX 10 mail', '_dmarc IN TXT "v=DMARC1; p=reject; aspf=s; rua=mailto:dmarc@example.com"'])], code: 'dmarc-no-aligned-auth', text: 'p=reject' },
  { name: 'sp= in a subdomain\'s record', files: [com([...BASE, '_dmarc.news IN TXT "v=DMARC1; p=reject; sp=none; rua=mailto:dmarc@example.com"'])], code: 'dmarc-sp-ignored', text: 'sp=none' },
  { name: 'an SPF record at _dmarc', files: [com([...BASE, '_dmarc IN TXT "v=spf1 -all"'])], code: 'dmarc-other-txt', text: '"v=spf1 -all"' },
  {
    name: 'reports to a zone in the workspace without the authorization',
    files: [com([SPF, DKIM, '_dmarc IN TXT "v=DMARC1; p=reject; rua=mailto:dmarc@example.com,mailto:d@reports.example.net"']), net(['reports IN MX 10 mail'])],
    code: 'dmarc-report-unauthorized',
    text: 'mailto:d@reports.example.net',
    fix: /^Add example\.com\._report\._dmarc\.reports\.example\.net\. TXT "v=DMARC1" to reports\.example\.net's zone$/,
  },
  { name: 'reports to a zone outside the workspace', files: [com([SPF, DKIM, '_dmarc IN TXT "v=DMARC1; p=reject; rua=mailto:d@reports.example.org"'])], code: 'dmarc-report-external', text: 'mailto:d@reports.example.org' },
  { name: 'reports to a domain with a null MX', files: [com([SPF, DKIM, '_dmarc IN TXT "v=DMARC1; p=reject; rua=mailto:d@nomail.example.com"', 'nomail IN MX 0 .'])], code: 'dmarc-report-no-mx', text: 'mailto:d@nomail.example.com' },
  { name: 'reports to a name with no MX and no address', files: [com([SPF, DKIM, '_dmarc IN TXT "v=DMARC1; p=reject; rua=mailto:d@gone.example.com"'])], code: 'dmarc-report-no-mx', text: 'mailto:d@gone.example.com' },
  { name: 'a wrong key version', files: [com([SPF, DMARC, `s1._domainkey IN TXT ${q(`v=DKIM2; k=rsa; p=${K2048}`)}`])], code: 'dkim-key-version', text: 'DKIM2', fix: /^Replace with DKIM1$/ },
  { name: 'a key for SHA-1 only', files: [com([SPF, DMARC, `s1._domainkey IN TXT ( "v=DKIM1; h=sha1; k=rsa; " ${q(`p=${K2048}`)} )`])], code: 'dkim-key-no-sha256', text: 'sha1', fix: /^Replace with sha256$/ },
  { name: 'an empty tag in a key', files: [com([SPF, DMARC, `s1._domainkey IN TXT ${q(`v=DKIM1; ; k=rsa; p=${K2048}`)}`])], code: 'dkim-key-syntax', text: ' ;', fix: /^Remove the empty tag$/ },
  { name: 'a 1024-bit key', files: [com([SPF, DMARC, `s1._domainkey IN TXT ${q(`v=DKIM1; k=rsa; p=${K1024}`)}`])], code: 'dkim-key-weak', text: K1024 },
  { name: 'a key record beside another TXT record', files: [com([...BASE, 's1._domainkey IN TXT "google-site-verification=abc"'])], code: 'dkim-key-multiple', text: '"google-site-verification=abc"', fix: /^Delete this record \(the key record stays\)$/ },
  { name: 'a key without _domainkey', files: [com([SPF, DMARC, `s1 IN TXT ${q(`v=DKIM1; k=rsa; p=${K2048}`)}`])], code: 'dkim-key-wrong-owner', text: 's1', fix: /^Move it to s1\._domainkey$/ },
  { name: 'an unquoted key record (too long for one string)', files: [com([SPF, DMARC, `s1._domainkey IN TXT v=DKIM1; k=rsa; p=${K2048}`])], code: 'txt-unquoted-semicolon', text: 'v=DKIM1', fix: /^Quote the whole text/ },
  { name: 'a key in one string over 255 octets (BIND refuses it)', files: [com([SPF, DMARC, `s1._domainkey IN TXT "v=DKIM1; k=rsa; p=${K2048}"`])], code: 'zone-string-too-long', text: `"v=DKIM1; k=rsa; p=${K2048}"`, fix: /^Split the string into 2 strings of at most 255 bytes/ },
  { name: 'an ADSP record', files: [com([...BASE, '_adsp._domainkey IN TXT "dkim=all"'])], code: 'dkim-adsp', text: '"dkim=all"' },
];

describe('zone DMARC and DKIM: findings, exact ranges, fixes that lint clean', () => {
  it('the base zone (SPF, a DKIM key in three strings, p=reject) has no finding', () => {
    assert.deepEqual(codes(lint([com(BASE)])), []);
  });
  for (const c of CASES) {
    it(c.name, () => {
      const all = found(c.files);
      const hit = all.find((x) => x.f.code === c.code);
      assert.ok(hit, `${c.code} not found; found: ${all.map((x) => `${x.f.code} ${JSON.stringify(x.text)}`).join(', ')}`);
      assert.equal(hit.text, c.text);
      assert.notEqual(hit.f.severity, c.code.startsWith('zone-') ? undefined : 'error', 'mail findings are never errors');
      if (!c.fix) {
        assert.equal(hit.f.fix, undefined, `unexpected fix ${hit.f.fix?.description}`);
        return;
      }
      assert.ok(hit.f.fix, 'no fix');
      assert.match(hit.f.fix.description, c.fix);
      const fixed = applyFix(c.files, hit.f.fix);
      assert.deepEqual(codes(lint(fixed)), c.after ?? [], `after the fix:\n${fixed.map((f) => f.text).join('\n')}`);
    });
  }

  it('a parked domain (v=spf1 -all, p=reject, no DKIM) is fine', () => {
    assert.deepEqual(codes(lint([com(['@ IN TXT "v=spf1 -all"', DMARC])])), []);
  });

  it('a wildcard _report._dmarc record authorizes reports for every domain (RFC 7489 §7.1)', () => {
    const files = [com([SPF, DKIM, '_dmarc IN TXT "v=DMARC1; p=reject; rua=mailto:d@reports.example.net"']), net(['reports IN MX 10 mail', '*._report._dmarc.reports IN TXT "v=DMARC1"'])];
    assert.deepEqual(codes(lint(files)), []);
  });

  it('a selector delegated by CNAME counts as a DKIM key', () => {
    assert.deepEqual(codes(lint([com([SPF, DMARC, 'selector1._domainkey IN CNAME selector1-example-com._domainkey.tenant.example.net.'])])), []);
  });

  it('a DMARC record or a key at the target of a _dmarc or selector CNAME is read there, not misplaced', () => {
    const files = [
      com([SPF, DMARC, 's2._domainkey IN CNAME s2.keys.example.net.', '_dmarc.shop IN CNAME policy.dmarc.example.net.', 'shop IN A 192.0.2.80']),
      net([`s2.keys IN TXT ${q(`v=DKIM1; h=sha1; p=${K2048}`)}`, 'policy.dmarc IN TXT "v=DMARC1; p=rejct; rua=mailto:d@example.net"']),
    ];
    const fs = found(files);
    assert.deepEqual(
      fs.map((x) => `${x.f.code} ${x.text}`).sort(),
      ['dkim-key-no-sha256 sha1', 'dmarc-invalid-value rejct'],
    );
    const ix = index(files);
    assert.equal(dmarcLensText(dmarcSourcesIn(ix, '/z/example.net.zone')[0], ix).title, 'DMARC for shop.example.com, through the CNAME at _dmarc.shop.example.com: p=none');
    assert.equal(dkimLensText(dkimSourcesIn(ix, '/z/example.net.zone')[0]).title, 'DKIM key s2: rsa, 2048 bits');
  });

  it('a stricter policy (pct=100, sp= as p) is offered, never a preferred fix that "fix all" applies', () => {
    const files = [com([SPF, DKIM, '_dmarc IN TXT "v=DMARC1; p=reject; sp=none; pct=25; rua=mailto:dmarc@example.com"'])];
    for (const code of ['dmarc-pct', 'dmarc-sp-none']) {
      const f = lint(files).find((x) => x.code === code)!;
      assert.equal(f.fix, undefined, code);
      assert.match(f.alternatives![0].description, /^Replace with (100|reject)$/);
      assert.ok(!codes(lint(applyFix(files, f.alternatives![0]))).includes(code));
    }
  });

  it('a revoked key is information, not a warning', () => {
    const hit = found([com([...BASE, 'old._domainkey IN TXT "v=DKIM1; p="'])]).find((x) => x.f.code === 'dkim-key-revoked');
    assert.equal(hit?.f.severity, 'info');
    assert.equal(hit?.text, 'p=');
  });

  it('says which policy a sending subdomain gets: np when it has no A, AAAA or MX (RFC 9091), else sp', () => {
    const dmarc = '_dmarc IN TXT "v=DMARC1; p=reject; sp=quarantine; np=reject; rua=mailto:dmarc@example.com"';
    const none = found([com([SPF, DKIM, dmarc, 'news IN TXT "v=spf1 ip4:192.0.2.9 -all"'])]).filter((x) => x.f.code === 'dmarc-subdomain-policy');
    assert.equal(none.length, 1);
    assert.equal(none[0].text, 'v=spf1');
    assert.match(none[0].f.message, /^mail From news\.example\.com gets np=reject from _dmarc\.example\.com: .* news\.example\.com has no A, AAAA or MX record, so DMARC counts it as non-existent \(RFC 9091 §2\.1\)\.$/);
    assert.equal(none[0].f.related?.[0].message, 'the DMARC record of example.com');
    const withA = found([com([SPF, DKIM, dmarc, 'news IN TXT "v=spf1 ip4:192.0.2.9 -all"', 'news IN A 192.0.2.9'])]).filter((x) => x.f.code === 'dmarc-subdomain-policy');
    assert.match(withA[0].f.message, /gets sp=quarantine from _dmarc\.example\.com/);
    // With a record of its own, or SPF that authorizes nobody, nothing to say.
    assert.deepEqual(codes(lint([com([...BASE, 'news IN TXT "v=spf1 -all"'])])), []);
    assert.ok(!codes(lint([com([...BASE, 'news IN TXT "v=spf1 ip4:192.0.2.9 -all"', '_dmarc.news IN TXT "v=DMARC1; p=reject; rua=mailto:dmarc@example.com"'])])).includes('dmarc-subdomain-policy'));
  });

  it('the report authorization fix is an edit in the report host\'s zone file', () => {
    const c = CASES.find((x) => x.code === 'dmarc-report-unauthorized')!;
    const fix = lint(c.files).find((f) => f.code === c.code)!.fix!;
    assert.deepEqual(
      fix.edits.map((e) => [e.file, e.newText]),
      // Written as the zone writes its records (`reports IN MX 10 mail`): relative owner, no TTL column.
      [['/z/example.net.zone', 'example.com._report._dmarc.reports IN TXT "v=DMARC1"\n']],
    );
  });
});

/** One record per parser code: each reaches the zone file as a warning or information, never an error. */
const PARSER_CODES: [string, string][] = [
  ['dmarc-empty-part', 'v=DMARC1; p=reject;; rua=mailto:d@example.com'],
  ['dmarc-tag-syntax', 'v=DMARC1; p=reject; rua=mailto:d@example.com; foo'],
  ['dmarc-version-case', 'v=dmarc1; p=reject; rua=mailto:d@example.com'],
  ['dmarc-version-not-first', 'p=reject; v=DMARC1'],
  ['dmarc-duplicate-tag', 'v=DMARC1; p=reject; p=none; rua=mailto:d@example.com'],
  ['dmarc-invalid-uri', 'v=DMARC1; p=reject; rua=mailto:d'],
  ['dmarc-uri-not-mailto', 'v=DMARC1; p=reject; rua=https://example.com/r'],
  ['dmarc-p-none', 'v=DMARC1; p=none; rua=mailto:d@example.com'],
  ['dmarc-pct', 'v=DMARC1; p=reject; pct=50; rua=mailto:d@example.com'],
  ['dmarc-sp-none', 'v=DMARC1; p=reject; sp=none; rua=mailto:d@example.com'],
  ['dmarc-no-rua', 'v=DMARC1; p=reject'],
  ['dmarc-p-not-second', 'v=DMARC1; rua=mailto:d@example.com; p=reject'],
  ['dmarc-testing', 'v=DMARC1; p=reject; t=y; rua=mailto:d@example.com'],
  ['dmarc-unknown-format', 'v=DMARC1; p=reject; rf=iodef; rua=mailto:d@example.com'],
  ['dmarc-dmarcbis-tag', 'v=DMARC1; p=reject; psd=n; rua=mailto:d@example.com'],
  ['dmarc-fo-without-ruf', 'v=DMARC1; p=reject; fo=1; rua=mailto:d@example.com'],
  ['dmarc-many-uris', 'v=DMARC1; p=reject; rua=mailto:a@example.com,mailto:b@example.com,mailto:c@example.com'],
];
const KEY_CODES: [string, string][] = [
  ['dkim-key-empty', ''],
  ['dkim-key-duplicate-tag', `v=DKIM1; k=rsa; k=rsa; p=${K2048}`],
  ['dkim-key-version-order', `k=rsa; v=DKIM1; p=${K2048}`],
  ['dkim-key-unknown-type', `v=DKIM1; k=dsa; p=${K2048}`],
  ['dkim-key-no-p', 'v=DKIM1; k=rsa'],
  ['dkim-key-bad-base64', 'v=DKIM1; p=abc'],
  ['dkim-key-undecodable', 'v=DKIM1; p=AAAA'],
  ['dkim-key-too-small', `v=DKIM1; p=${rsaPub(512)}`],
  ['dkim-key-too-large', `v=DKIM1; p=${rsaPub(8192)}`],
  ['dkim-key-unknown-hash', `v=DKIM1; h=sha256:md5; p=${K2048}`],
  ['dkim-key-not-email', `v=DKIM1; s=tlsrpt; p=${K2048}`],
  ['dkim-key-testing', `v=DKIM1; t=y; p=${K2048}`],
  ['dkim-key-strict', `v=DKIM1; t=s; p=${K2048}`],
  ['dkim-key-unknown-flag', `v=DKIM1; t=x; p=${K2048}`],
  ['dkim-key-granularity', `v=DKIM1; g=*; p=${K2048}`],
  ['dkim-key-unknown-tag', `v=DKIM1; foo=bar; p=${K2048}`],
];

describe('zone DMARC and DKIM: the parsers\' codes as zone findings', () => {
  for (const [code, record] of PARSER_CODES) {
    it(code, () => {
      const hit = found([com([SPF, DKIM, `_dmarc IN TXT ${q(record)}`])]).find((x) => x.f.code === code);
      assert.ok(hit, code);
      assert.notEqual(hit.f.severity, 'error');
      assert.equal(hit.f.severity, MAIL_TXT_CODES[code].severity === 'info' ? 'info' : hit.f.severity);
    });
  }
  for (const [code, record] of KEY_CODES) {
    it(code, () => {
      const hit = found([com([SPF, DMARC, `s1._domainkey IN TXT ${q(record)}`])]).find((x) => x.f.code === code);
      assert.ok(hit, code);
      assert.notEqual(hit.f.severity, 'error');
    });
  }
});

describe('zone DMARC and DKIM: hover and lens', () => {
  const files = [com([SPF, 'selector1._domainkey IN CNAME s1.keys.example.net.', DKIM, '_dmarc IN TXT ( "v=DMARC1; p=reject; "', '   "sp=quarantine; rua=mailto:dmarc@example.com" )'])];
  const ix = index(files);
  const text = files[0].text;
  const at = (needle: string, skip = 1) => mailTxtInfoAt(ix, files[0].file, text.indexOf(needle) + skip);

  it('explains each DMARC tag, in the string it is in, with its section', () => {
    const sp = at('sp=quarantine')!;
    assert.equal(text.slice(sp.start, sp.end), 'sp=quarantine');
    assert.equal(sp.info.what, 'DMARC tag "sp": Policy for subdomains');
    assert.match(sp.info.meaning, /^Mail From its subdomains that fails DMARC: treat it as suspicious/);
    assert.equal(sp.info.section, 'RFC 7489 §6.3');
    assert.equal(sp.info.link, 'https://www.rfc-editor.org/rfc/rfc7489#section-6.3');
    assert.ok(sp.info.notes.includes('Default when not written: p.'));
    const p = at('p=reject')!;
    assert.ok(p.info.notes.some((n) => /DKIM keys that can align \(adkim=r\): selector1\._domainkey\.example\.com \(CNAME\), s1\._domainkey\.example\.com/.test(n)), p.info.notes.join('\n'));
    assert.equal(at('IN TXT ( "v=DMARC1', -3), undefined);
  });

  it('explains each DKIM key tag: the key\'s type and size on p=', () => {
    const p = at('p=MII')!;
    assert.equal(p.kind, 'dkim');
    assert.equal(p.info.what, 'DKIM key tag "p": the public key, base64; empty means the key is revoked');
    assert.equal(p.info.meaning, 'The public key: rsa, 2048 bits (good).');
    assert.equal(p.info.link, 'https://www.rfc-editor.org/rfc/rfc6376#section-3.6.1');
    assert.ok(p.info.notes.includes('Verifiers find this key for signatures with d=example.com; s=s1 (RFC 6376 §3.6.2.1).'));
    // The range runs over the strings the key is split into.
    assert.equal(text.slice(p.start, p.end).replace(/" "/g, ''), `p=${K2048}`);
    assert.equal(at('k=rsa')!.info.meaning, 'An RSA key.');
  });

  it('puts the policy and what aligns over the DMARC record, the key size over the key', () => {
    const d = dmarcSourcesIn(ix, files[0].file)[0];
    const lens = dmarcLensText(d, ix);
    assert.equal(lens.title, 'DMARC: p=reject, sp=quarantine · SPF ✓ DKIM ✓ in the zones');
    assert.match(lens.tooltip, /^Policy of example\.com: p=reject, sp=quarantine; subdomains without their own record get quarantine\.\nSPF that can align \(aspf=r\): example\.com\./);
    assert.deepEqual(
      dkimSourcesIn(ix, files[0].file).map((s) => dkimLensText(s).title),
      ['DKIM key s1: rsa, 2048 bits'],
    );
    const none = index([com([DMARC])]);
    assert.equal(dmarcLensText(dmarcSourcesIn(none, '/z/example.com.zone')[0], none).title, 'DMARC: p=reject · SPF ✗ DKIM ✗ in the zones');
  });
});

describe('zone DMARC and DKIM: codes', () => {
  const docs = readFileSync(path.join(REPO_ROOT, 'docs', 'zone-lint.md'), 'utf8');
  it('documents every code in one table line', () => {
    for (const code of Object.keys(MAIL_TXT_CODES)) assert.match(docs, new RegExp(`^\\| \`${code}\` \\|`, 'm'), code);
  });
  it('the tests above see every code', () => {
    assert.deepEqual(Object.keys(MAIL_TXT_CODES).filter((c) => !seen.has(c)), []);
  });
});

/** Twice the input, about twice the work: reads of the records' fields, counted through proxies (as zone-linear.test.ts). */
describe('zone DMARC and DKIM: linear work', () => {
  function reads(n: number): number {
    const lines: string[] = [SPF, DKIM, '_dmarc IN TXT "v=DMARC1; p=reject; sp=quarantine; rua=mailto:dmarc@example.com"'];
    for (let i = 0; i < n; i++) {
      // Strict alignment everywhere, with the SPF at a bounce name: each record's question must not look at every SPF record.
      lines.push(`b${i} IN TXT "v=spf1 ip4:192.0.2.${i % 250} -all"`, `_dmarc.h${i} IN TXT "v=DMARC1; p=reject; aspf=s; adkim=s; rua=mailto:d@example.com"`);
      lines.push(`s${i}._domainkey.h${i} IN TXT "v=DKIM1; p="`, `_dmarc.u${i} IN TXT v=DMARC1; p=reject`);
    }
    const counter = { reads: 0 };
    const wrap = <T extends object>(o: T): T =>
      new Proxy(o, {
        get(target, key) {
          counter.reads++;
          // The record itself as `this` for its getters: the parser's records make tokens from private fields.
          return Reflect.get(target, key);
        },
      });
    const z = parseZone(com(lines).text, { file: '/z/example.com.zone', origin: 'example.com' });
    const findings = lintZonesStatic([{ ...z, records: wrap(z.records.map(wrap)) }]);
    assert.ok(findings.filter((f) => f.code === 'dmarc-no-aligned-auth').length >= n);
    return counter.reads;
  }
  it('n subdomains with SPF, a revoked key and a strict DMARC record each: twice n, about twice the reads', () => {
    const small = reads(400);
    const big = reads(800);
    const ratio = big / small;
    assert.ok(ratio >= 1.6 && ratio <= 2.3, `work ${small} → ${big} (×${ratio.toFixed(2)})`);
  });
});

// DMARC: the record parser (every tag, offsets, problems, linear work), the organizational domain
// (Public Suffix List), policy discovery over an in-memory resolver and a scripted fault server, the
// evaluation a receiver computes (tables), the report document and `maildns dmarc`.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { dmarcCommand } from '../../src/cli/commands/dmarc';
import { type CliCommand, UsageError } from '../../src/cli/shared';
import { statusOf, toReport } from '../../src/core/checks';
import { checkDmarc, InputError } from '../../src/core/dmarc/check';
import { alignmentOf, type DmarcAuthInput, evaluateDmarc } from '../../src/core/dmarc/evaluate';
import { dmarcInputProblem, dmarcTarget, dmarcTargetInText } from '../../src/core/dmarc/input';
import { applyReplacement, isDmarcRecord, parseDmarc, tagAt } from '../../src/core/dmarc/parse';
import { appliedPolicy, policyFromRecord, starterRecord } from '../../src/core/dmarc/policy';
import { organizationalDomain, PSL } from '../../src/core/dmarc/psl';
import { describeTag, TAGS } from '../../src/core/dmarc/tags';
import { dmarcToText } from '../../src/core/dmarc/text';
import type { DiscoveredPolicy, DmarcResult } from '../../src/core/dmarc/types';
import { reportToMarkdown } from '../../src/core/report/markdown';
import { startFaultDns } from '../harness/fault-dns';
import { REPO_ROOT } from '../paths';
import { memoryResolver } from './memory-resolver';

const codes = (text: string) => parseDmarc(text).problems.map((p) => p.code);

describe('DMARC parser: every tag', () => {
  it('reads a record with every RFC 7489 tag, np, t and psd, with offsets of each tag, name and value', () => {
    const text = 'v=DMARC1; p=reject; sp=quarantine; np=reject; pct=50; adkim=s; aspf=r; rua=mailto:a@example.org,mailto:b@reports.example.net!10m; ruf=mailto:f@example.org; fo=1:d; rf=afrf; ri=3600; t=n; psd=n';
    const p = parseDmarc(text);
    assert.equal(p.isDmarc, true);
    assert.equal(p.usable, true);
    assert.deepEqual(p.tags.map((t) => t.name), ['v', 'p', 'sp', 'np', 'pct', 'adkim', 'aspf', 'rua', 'ruf', 'fo', 'rf', 'ri', 't', 'psd']);
    for (const t of p.tags) {
      assert.equal(text.slice(t.start, t.end), t.text, t.name);
      assert.equal(text.slice(t.nameStart, t.nameEnd), t.name);
      assert.equal(text.slice(t.valueStart, t.valueEnd), t.value);
    }
    assert.deepEqual(p.policy, {
      p: 'reject', sp: 'quarantine', np: 'reject', pct: 50, adkim: 's', aspf: 'r',
      rua: ['mailto:a@example.org', 'mailto:b@reports.example.net!10m'], ruf: ['mailto:f@example.org'],
      fo: ['1', 'd'], rf: ['afrf'], ri: 3600, t: 'n', psd: 'n',
    });
    const rua = p.tags.find((t) => t.name === 'rua')!.uris!;
    assert.deepEqual(rua.map((u) => [u.host, u.address, u.size, text.slice(u.start, u.end)]), [
      ['example.org', 'a@example.org', undefined, 'mailto:a@example.org'],
      ['reports.example.net', 'b@reports.example.net', '10m', 'mailto:b@reports.example.net!10m'],
    ]);
    // Only the pct warning and the DMARCbis notes: nothing else is wrong.
    assert.deepEqual(p.problems.map((x) => x.code), ['dmarc-pct', 'dmarc-dmarcbis-tag', 'dmarc-dmarcbis-tag']);
  });

  it('applies the defaults of RFC 7489 §6.3 to tags not given', () => {
    const p = parseDmarc('v=DMARC1; p=none; rua=mailto:d@example.com');
    assert.deepEqual(p.policy, { p: 'none', sp: null, np: null, pct: 100, adkim: 'r', aspf: 'r', rua: ['mailto:d@example.com'], ruf: [], fo: ['0'], rf: ['afrf'], ri: 86400, t: null, psd: null });
  });

  it('takes spaces and tabs around "=", ";" and ",", keyword values and tag names in any case, and a trailing ";"', () => {
    const p = parseDmarc('v = DMARC1 ;\tP = Reject ; RUA = mailto:a@example.com , mailto:b@example.com ;');
    assert.equal(p.usable, true);
    assert.equal(p.policy.p, 'reject');
    assert.deepEqual(p.policy.rua, ['mailto:a@example.com', 'mailto:b@example.com']);
    assert.deepEqual(p.problems, []);
  });

  it('isDmarcRecord is RFC 7489 §6.6.3 step 2: the first tag is v=DMARC1', () => {
    // `v=DMARC1 p=none` starts with v=DMARC1 too: a broken DMARC record, as OpenDMARC and Mail::DMARC read it.
    for (const yes of ['v=DMARC1; p=none', 'v=DMARC1', ' v = dmarc1 ;p=none', 'v=DMARC1;', 'v=DMARC1 p=none']) assert.equal(isDmarcRecord(yes), true, yes);
    for (const no of ['p=none; v=DMARC1', 'v=spf1 -all', 'v=DMARC2; p=none', 'v=DMARC10; p=none', '', 'DMARC1']) assert.equal(isDmarcRecord(no), false, no);
  });
});

describe('DMARC parser: problems, with codes, offsets and fixes', () => {
  const table: [string, string, string | undefined, string | undefined][] = [
    // record, code, the text the problem covers, the record after its fix
    ['v=DMARC1; p=rejected; rua=mailto:d@example.com', 'dmarc-invalid-value', 'rejected', 'v=DMARC1; p=reject; rua=mailto:d@example.com'],
    ['v=DMARC1; p=quarantaine; rua=mailto:d@example.com', 'dmarc-invalid-value', 'quarantaine', 'v=DMARC1; p=quarantine; rua=mailto:d@example.com'],
    ['v=DMARC1; rua=mailto:d@example.com', 'dmarc-missing-p', '', 'v=DMARC1; p=none; rua=mailto:d@example.com'],
    ['v=DMARC1; p=reject; rua=d@example.com', 'dmarc-uri-no-scheme', 'd@example.com', 'v=DMARC1; p=reject; rua=mailto:d@example.com'],
    ['v=DMARC1; p=reject; rua=mailto:nobody', 'dmarc-invalid-uri', 'mailto:nobody', undefined],
    ['v=DMARC1; p=reject; rua=mailto:a@example.com,', 'dmarc-invalid-uri', '', undefined],
    ['v=DMARC1; p=reject; rua=https://reports.example.com/dmarc', 'dmarc-uri-not-mailto', 'https://reports.example.com/dmarc', undefined],
    ['v=DMARC1; p=reject; pct=150; rua=mailto:d@example.com', 'dmarc-invalid-value', '150', 'v=DMARC1; p=reject; pct=100; rua=mailto:d@example.com'],
    ['v=DMARC1; p=reject; adkim=strict; rua=mailto:d@example.com', 'dmarc-invalid-value', 'strict', 'v=DMARC1; p=reject; adkim=s; rua=mailto:d@example.com'],
    ['v=DMARC1; p=reject; fo=2; rua=mailto:d@example.com', 'dmarc-invalid-value', '2', undefined],
    ['v=DMARC1; p=reject; ri=soon; rua=mailto:d@example.com', 'dmarc-invalid-value', 'soon', 'v=DMARC1; p=reject; ri=86400; rua=mailto:d@example.com'],
    ['v=DMARC1; p=reject; rf=iodef; rua=mailto:d@example.com', 'dmarc-unknown-format', 'iodef', 'v=DMARC1; p=reject; rf=afrf; rua=mailto:d@example.com'],
    ['v=dmarc1; p=reject; rua=mailto:d@example.com', 'dmarc-version-case', 'dmarc1', 'v=DMARC1; p=reject; rua=mailto:d@example.com'],
    ['v=DMARC1 p=reject', 'dmarc-missing-semicolon', ' ', 'v=DMARC1; p=reject'],
    ['p=reject; v=DMARC1', 'dmarc-not-dmarc', 'p=reject', undefined],
    ['v=DMARC1; p=reject; v=DMARC1; rua=mailto:d@example.com', 'dmarc-version-not-first', 'v=DMARC1', undefined],
    ['v=DMARC1; p=reject; p=none; rua=mailto:d@example.com', 'dmarc-duplicate-tag', 'p=none', undefined],
    ['v=DMARC1; p=reject; rue=mailto:d@example.com', 'dmarc-unknown-tag', 'rue', 'v=DMARC1; p=reject; rua=mailto:d@example.com'],
    ['v=DMARC1; p=reject; aspf=r; adkm=s; rua=mailto:d@example.com', 'dmarc-unknown-tag', 'adkm', 'v=DMARC1; p=reject; aspf=r; adkim=s; rua=mailto:d@example.com'],
    ['v=DMARC1; p=reject; reject; rua=mailto:d@example.com', 'dmarc-tag-syntax', 'reject', undefined],
    ['v=DMARC1; p=reject; 1x=y; rua=mailto:d@example.com', 'dmarc-tag-syntax', '1x', undefined],
    ['v=DMARC1; p=none; rua=mailto:d@example.com', 'dmarc-p-none', 'none', undefined],
    ['v=DMARC1; p=quarantine; pct=20; rua=mailto:d@example.com', 'dmarc-pct', '20', 'v=DMARC1; p=quarantine; pct=100; rua=mailto:d@example.com'],
    ['v=DMARC1; p=reject', 'dmarc-no-rua', '', undefined],
    ['v=DMARC1; p=reject; fo=1; rua=mailto:d@example.com', 'dmarc-fo-without-ruf', 'fo=1', undefined],
    ['v=DMARC1; p=reject; sp=none; rua=mailto:d@example.com', 'dmarc-sp-none', 'none', 'v=DMARC1; p=reject; sp=reject; rua=mailto:d@example.com'],
    ['v=DMARC1; rua=mailto:d@example.com; p=reject', 'dmarc-p-not-second', 'p=reject', undefined],
    ['v=DMARC1; p=reject; t=y; rua=mailto:d@example.com', 'dmarc-testing', 't=y', undefined],
    ['v=DMARC1; p=reject; psd=maybe; rua=mailto:d@example.com', 'dmarc-invalid-value', 'maybe', undefined],
    ['v=DMARC1; p=reject; rua=mailto:a@example.com,mailto:b@example.com,mailto:c@example.com', 'dmarc-many-uris', 'mailto:c@example.com', undefined],
    ['v=DMARC1;; p=reject; rua=mailto:d@example.com', 'dmarc-empty-part', '', undefined],
  ];
  for (const [text, code, covers, fixed] of table) {
    it(`${code}: ${text}`, () => {
      const p = parseDmarc(text).problems.find((x) => x.code === code);
      assert.ok(p, `${code} in ${JSON.stringify(codes(text))}`);
      assert.equal(text.slice(p.start, p.end), covers);
      assert.equal(applyReplacement(text, p), fixed);
      if (fixed) assert.ok(!parseDmarc(fixed).problems.some((x) => x.code === code && x.start === p.start), `the fix removes ${code}`);
    });
  }

  it('a record receivers cannot use: no valid p and no valid rua; with a valid rua it counts as p=none (RFC 7489 §6.6.3 step 6)', () => {
    const a = parseDmarc('v=DMARC1; p=rejected');
    assert.deepEqual([a.usable, a.pNoneFallback], [false, false]);
    const b = parseDmarc('v=DMARC1; p=rejected; rua=mailto:d@example.com');
    assert.deepEqual([b.usable, b.pNoneFallback], [false, true]);
    const c = parseDmarc('v=DMARC1; p=reject; sp=nothing; rua=mailto:d@example.com');
    assert.deepEqual([c.usable, c.pNoneFallback], [false, true]);
  });

  it('never throws and keeps every offset inside the text, whatever it is given', () => {
    for (const text of ['', ';', '=', 'v=', '==;;==', 'v=DMARC1;p', ';v=DMARC1', 'v=DMARC1; rua=,,,', 'v=DMARC1; rua=mailto:@', 'v=DMARC1; rua=mailto:a@b!', '\u202e v=DMARC1', 'x'.repeat(5000)]) {
      const p = parseDmarc(text);
      for (const x of p.problems) assert.ok(x.start >= 0 && x.start <= x.end && x.end <= text.length, `${x.code} ${x.start}-${x.end} in ${JSON.stringify(text.slice(0, 30))}`);
    }
  });

  it('tagAt finds the tag under an offset, for hovers', () => {
    const text = 'v=DMARC1; p=reject; rua=mailto:d@example.com';
    assert.equal(tagAt(parseDmarc(text), text.indexOf('reject'))?.name, 'p');
    assert.equal(tagAt(parseDmarc(text), text.indexOf('example'))?.name, 'rua');
  });

  it('parses in linear work: twice the record, about twice the work', () => {
    const work = (n: number, part: string) => {
      const stats = { work: 0 };
      parseDmarc(`v=DMARC1; p=reject; ${Array.from({ length: n }, () => part).join('; ')}`, stats);
      return stats.work;
    };
    for (const part of ['rua=mailto:a@example.com,mailto:b@example.com', 'x=y', 'fo=1:d:s:0', ';;;', 'rua=' + ',mailto:a@example.org'.repeat(20), 'p=reject']) {
      const small = work(2000, part);
      const big = work(4000, part);
      assert.ok(small > 0);
      const ratio = big / small;
      assert.ok(ratio > 1.6 && ratio < 2.3, `${part}: ${small} → ${big} (×${ratio.toFixed(2)})`);
    }
  });
});

describe('DMARC tags explained', () => {
  it('every tag has a meaning and the section that defines it', () => {
    for (const name of ['v', 'p', 'sp', 'np', 'pct', 'adkim', 'aspf', 'rua', 'ruf', 'fo', 'rf', 'ri', 't', 'psd']) {
      const info = TAGS[name];
      assert.ok(info && info.meaning.length > 40 && /^https:\/\//.test(info.href), name);
    }
    assert.equal(TAGS.np.spec, 'RFC 9091');
    assert.equal(TAGS.t.spec, 'DMARCbis');
  });

  it('describes the value a tag has in plain words', () => {
    const p = parseDmarc('v=DMARC1; p=reject; pct=30; adkim=s; fo=1:d; rua=mailto:d@example.com');
    const d = (name: string) => describeTag(p.tags.find((t) => t.name === name)!, p.policy);
    assert.match(d('p'), /refuse it during SMTP/);
    assert.match(d('pct'), /30% of failing mail; the other 70% gets "quarantine"/);
    assert.match(d('adkim'), /strict \(exactly the same domain\)/);
    assert.match(d('fo'), /either fails, or when DKIM fails/);
    assert.match(describeTag({ name: 'foo', value: 'x' }), /not a DMARC tag/);
  });
});

describe('organizational domain (Public Suffix List, RFC 7489 §3.2)', () => {
  for (const [domain, org] of [
    ['mail.example.org', 'example.org'],
    ['example.org', 'example.org'],
    ['a.b.example.co.uk', 'example.co.uk'],
    ['shop.example.com.au', 'example.com.au'],
    ['Mail.Example.ORG.', 'example.org'],
    ['alice.github.io', 'alice.github.io'], // the PSL's private section counts, as in OpenDMARC and Mail::DMARC
    ['foo.bar.example', 'bar.example'], // a TLD not in the list is a public suffix of one label (PSL "*" rule)
    ['co.uk', 'co.uk'], // a public suffix is its own organizational domain
  ] as const) {
    it(`${domain} → ${org}`, () => assert.equal(organizationalDomain(domain), org));
  }

  it('PSL names the installed tldts, so bumping it means updating the list date too', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'node_modules', 'tldts', 'package.json'), 'utf8')) as { version: string };
    assert.equal(PSL.version, pkg.version);
    const declared = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> }).devDependencies.tldts;
    assert.equal(declared, PSL.version, 'package.json pins the exact version');
    assert.match(PSL.date, /^\d{4}-\d{2}-\d{2}$/);
  });
});

describe('DMARC input', () => {
  it('takes a domain, an address or a From header', () => {
    assert.deepEqual(dmarcTarget('Example.COM.'), { ok: true, domain: 'example.com' });
    assert.deepEqual(dmarcTarget('alice@mail.example.com'), { ok: true, domain: 'mail.example.com', address: 'alice@mail.example.com' });
    assert.deepEqual(dmarcTarget('From: Alice Example <alice@example.org>'), { ok: true, domain: 'example.org', address: 'alice@example.org' });
    assert.equal(dmarcTarget('192.0.2.1').ok, false);
    assert.match(dmarcInputProblem('not a domain!') ?? '', /not a valid domain name/);
    assert.equal(dmarcInputProblem(''), undefined);
    assert.equal(dmarcTargetInText('Subject: hi\nFrom: "Bob" <bob@example.net>\nTo: x@example.com'), 'bob@example.net');
    assert.equal(dmarcTargetInText('example.org'), 'example.org');
  });
});

// ---- discovery over an in-memory resolver ----------------------------------------------------------

const ORG = 'v=DMARC1; p=reject; sp=quarantine; np=reject; rua=mailto:dmarc@example.org,mailto:agg@reports.example.net';
const world = memoryResolver(
  {
    '_dmarc.example.org': { TXT: [ORG, 'some other text'] },
    'mail.example.org': { A: ['192.0.2.25'] },
    'own.example.org': { A: ['192.0.2.26'] },
    '_dmarc.own.example.org': { TXT: ['v=DMARC1; p=none; rua=mailto:dmarc@example.org'] },
    'multi.example.org': { A: ['192.0.2.27'] },
    '_dmarc.multi.example.org': { TXT: ['v=DMARC1; p=reject', 'v=DMARC1; p=none'] },
    'split.example.org': { A: ['192.0.2.28'] },
    '_dmarc.split.example.org': { TXT: [['v=DMARC1; p=quar', 'antine; rua=mailto:dmarc@example.org']] },
    'example.org._report._dmarc.reports.example.net': { TXT: ['v=DMARC1; rua=mailto:inbox@reports.example.net'] },
    'nothing.example.com': { A: ['192.0.2.29'] },
    'example.com': { A: ['192.0.2.30'] },
  },
  ['example.org', 'example.com', 'example.net'],
);

describe('DMARC policy discovery (RFC 7489 §6.6.3), in memory', () => {
  it('the organizational domain\'s record for an existing subdomain: sp applies; other TXT records are ignored', async () => {
    const r = await checkDmarc('mail.example.org', { resolver: world });
    assert.deepEqual([r.source, r.recordDomain, r.orgDomain, r.record, r.verdict, r.outcome], ['organizational', 'example.org', 'example.org', ORG, 'enforcing', 'found']);
    assert.deepEqual(r.applied && [r.applied.tag, r.applied.value], ['sp', 'quarantine']);
    assert.equal(r.domainExists, true);
    assert.deepEqual(r.lookups.filter((l) => l.role !== 'exists').map((l) => [l.role, l.name, l.rcode]), [
      ['policy', '_dmarc.mail.example.org', 'NXDOMAIN'],
      ['organizational', '_dmarc.example.org', 'NOERROR'],
      ['report', 'example.org._report._dmarc.reports.example.net', 'NOERROR'],
    ]);
    assert.ok(r.findings.some((f) => f.code === 'dmarc-other-txt'));
    const rep = r.reports.find((a) => a.host === 'reports.example.net')!;
    assert.deepEqual([rep.external, rep.status, rep.override], [true, 'authorized', { rua: ['mailto:inbox@reports.example.net'] }]);
    assert.equal(r.reports.find((a) => a.host === 'example.org')?.status, 'internal');
    assert.ok(r.findings.some((f) => f.code === 'dmarc-report-redirected'));
    assert.equal(r.pslDate, PSL.date);
  });

  it('a subdomain that does not exist gets np (RFC 9091)', async () => {
    const r = await checkDmarc('ghost.example.org', { resolver: world });
    assert.equal(r.domainExists, false);
    assert.deepEqual(r.applied && [r.applied.tag, r.applied.value], ['np', 'reject']);
  });

  it('a subdomain with its own record: p of that record, and p=none is a warning that says what to move to', async () => {
    const r = await checkDmarc('bob@own.example.org', { resolver: world });
    assert.deepEqual([r.source, r.recordDomain, r.verdict, r.input], ['domain', 'own.example.org', 'monitoring', 'bob@own.example.org']);
    const f = r.findings.find((x) => x.code === 'dmarc-p-none')!;
    assert.match(f.message, /move to p=quarantine, and a few weeks later to p=reject/);
    assert.equal(statusOf(r), 'warning');
    // Only the subdomain's record was asked for: it exists, so no fallback.
    assert.deepEqual(r.lookups.map((l) => l.name), ['_dmarc.own.example.org']);
  });

  it('several records: no policy at all, and no fallback to the organizational domain (step 5)', async () => {
    const r = await checkDmarc('multi.example.org', { resolver: world });
    assert.deepEqual([r.verdict, r.outcome, r.record, r.policy], ['broken', 'none', null, null]);
    assert.equal(r.findings[0].code, 'dmarc-multiple');
    assert.equal(r.lookups.length, 1);
    assert.equal(statusOf(r), 'fail');
  });

  it('TXT strings are joined with no separator before parsing', async () => {
    const r = await checkDmarc('split.example.org', { resolver: world });
    assert.equal(r.record, 'v=DMARC1; p=quarantine; rua=mailto:dmarc@example.org');
    assert.equal(r.applied?.value, 'quarantine');
  });

  it('no record anywhere: dmarc-none with the record to publish at the organizational domain', async () => {
    const r = await checkDmarc('nothing.example.com', { resolver: world });
    assert.deepEqual([r.verdict, r.outcome, r.source], ['none', 'none', null]);
    const f = r.findings.find((x) => x.code === 'dmarc-none')!;
    assert.equal(f.severity, 'error');
    assert.equal(f.fix?.record, '_dmarc.example.com. 3600 IN TXT "v=DMARC1; p=none; rua=mailto:dmarc-reports@example.com"');
    assert.equal(f.fix?.zone, 'example.com');
    assert.match(f.fix?.description ?? '', /change p=none to p=quarantine; after a few more weeks of clean reports, to p=reject/);
    assert.deepEqual(starterRecord('example.com').text, 'v=DMARC1; p=none; rua=mailto:dmarc-reports@example.com');
  });

  it('bad input is an InputError; DNS trouble is temperror data', async () => {
    await assert.rejects(checkDmarc('not a domain', { resolver: world }), InputError);
    const dns = await startFaultDns({ behaviours: { '_dmarc.broken.example': { kind: 'rcode', rcode: 'SERVFAIL' } } });
    try {
      const { createResolver } = await import('../../src/core/dns/resolver');
      const r = await checkDmarc('broken.example', { resolver: createResolver({ servers: [dns.server], timeoutMs: 500 }) });
      assert.deepEqual([r.verdict, r.outcome], ['temperror', 'temperror']);
      assert.equal(r.findings[0].code, 'dns-servfail');
      assert.equal(statusOf(r), 'warning');
    } finally {
      await dns.stop();
    }
  });

  it('appliedPolicy: p for the record\'s own domain, sp for subdomains, np for ones that do not exist', () => {
    const pol = parseDmarc('v=DMARC1; p=reject; sp=none; np=quarantine').policy;
    assert.equal(appliedPolicy(pol, 'example.org', 'example.org', null)?.tag, 'p');
    assert.equal(appliedPolicy(pol, 'a.example.org', 'example.org', true)?.tag, 'sp');
    assert.equal(appliedPolicy(pol, 'a.example.org', 'example.org', null)?.tag, 'sp');
    assert.equal(appliedPolicy(pol, 'a.example.org', 'example.org', false)?.tag, 'np');
    const noSp = parseDmarc('v=DMARC1; p=quarantine').policy;
    assert.deepEqual([appliedPolicy(noSp, 'a.example.org', 'example.org', false)?.tag, appliedPolicy(noSp, 'a.example.org', 'example.org', false)?.value], ['p', 'quarantine']);
  });
});

// ---- evaluation -------------------------------------------------------------------------------------

const found = (record: string, recordDomain: string, domain: string, exists: boolean | null = true): DiscoveredPolicy => policyFromRecord(domain, record, recordDomain, exists);

describe('DMARC evaluation (RFC 7489 §6.6.2, §3.1)', () => {
  it('alignment: relaxed is the same organizational domain, strict the same name', () => {
    const table: [string, string, 'r' | 's', boolean][] = [
      ['example.com', 'example.com', 'r', true],
      ['example.com', 'example.com', 's', true],
      ['example.com', 'bounces.example.com', 'r', true],
      ['example.com', 'bounces.example.com', 's', false],
      ['news.example.com', 'mail.example.com', 'r', true],
      ['news.example.com', 'mail.example.com', 's', false],
      ['EXAMPLE.com.', 'example.COM', 's', true],
      ['example.com', 'example.net', 'r', false],
      ['example.co.uk', 'other.co.uk', 'r', false], // co.uk is a public suffix
      ['a.example.co.uk', 'b.example.co.uk', 'r', true],
      ['alice.github.io', 'bob.github.io', 'r', false], // private PSL section
      ['example.com', '', 'r', false],
    ];
    for (const [from, auth, mode, want] of table) assert.equal(alignmentOf(from, auth, mode).matches, want, `${from} / ${auth} ${mode}`);
  });

  const rec = 'v=DMARC1; p=reject; sp=quarantine; np=reject; rua=mailto:d@example.com';
  const table: { name: string; input: DmarcAuthInput; policy: DiscoveredPolicy; result: string; disposition: string; tag?: string; unsampled?: string; why?: RegExp }[] = [
    { name: 'SPF pass, relaxed aligned', input: { fromDomain: 'example.com', spf: { result: 'pass', domain: 'bounces.example.com' }, dkim: [] }, policy: found(rec, 'example.com', 'example.com'), result: 'pass', disposition: 'none', why: /aligned SPF/ },
    { name: 'SPF pass, strict not aligned, DKIM aligned', input: { fromDomain: 'example.com', spf: { result: 'pass', domain: 'bounces.example.com' }, dkim: [{ result: 'pass', d: 'example.com' }] }, policy: found('v=DMARC1; p=reject; aspf=s; adkim=s', 'example.com', 'example.com'), result: 'pass', disposition: 'none', why: /aligned DKIM d=example\.com/ },
    { name: 'SPF pass for another domain, DKIM for another domain', input: { fromDomain: 'example.com', spf: { result: 'pass', domain: 'esp.example.net' }, dkim: [{ result: 'pass', d: 'esp.example.net' }] }, policy: found(rec, 'example.com', 'example.com'), result: 'fail', disposition: 'reject', tag: 'p', why: /not aligned/ },
    { name: 'SPF softfail aligned: only pass aligns', input: { fromDomain: 'example.com', spf: { result: 'softfail', domain: 'example.com' }, dkim: [] }, policy: found(rec, 'example.com', 'example.com'), result: 'fail', disposition: 'reject', why: /only a pass can align/ },
    { name: 'DKIM fail aligned, DKIM pass unaligned', input: { fromDomain: 'example.com', spf: { result: 'none', domain: 'example.com' }, dkim: [{ result: 'fail', d: 'example.com' }, { result: 'pass', d: 'list.example.net' }] }, policy: found(rec, 'example.com', 'example.com'), result: 'fail', disposition: 'reject' },
    { name: 'subdomain From, organizational record: sp', input: { fromDomain: 'news.example.com', spf: { result: 'fail', domain: 'news.example.com' }, dkim: [] }, policy: found(rec, 'example.com', 'news.example.com'), result: 'fail', disposition: 'quarantine', tag: 'sp' },
    { name: 'non-existent subdomain: np', input: { fromDomain: 'ghost.example.com', spf: { result: 'none', domain: 'ghost.example.com' }, dkim: [] }, policy: found(rec, 'example.com', 'ghost.example.com', false), result: 'fail', disposition: 'reject', tag: 'np' },
    { name: 'p=none: fail, delivered', input: { fromDomain: 'example.com', spf: { result: 'fail', domain: 'example.com' }, dkim: [] }, policy: found('v=DMARC1; p=none; rua=mailto:d@example.com', 'example.com', 'example.com'), result: 'fail', disposition: 'none' },
    { name: 'pct=25 reject: the rest gets quarantine', input: { fromDomain: 'example.com', spf: { result: 'fail', domain: 'example.com' }, dkim: [] }, policy: found('v=DMARC1; p=reject; pct=25', 'example.com', 'example.com'), result: 'fail', disposition: 'reject', unsampled: 'quarantine', why: /25% of such mail gets reject, the rest quarantine/ },
    { name: 'pct=50 quarantine: the rest gets none', input: { fromDomain: 'example.com', spf: { result: 'fail', domain: 'example.com' }, dkim: [] }, policy: found('v=DMARC1; p=quarantine; pct=50', 'example.com', 'example.com'), result: 'fail', disposition: 'quarantine', unsampled: 'none' },
    { name: 't=y: the next weaker policy', input: { fromDomain: 'example.com', spf: { result: 'fail', domain: 'example.com' }, dkim: [] }, policy: found('v=DMARC1; p=reject; t=y', 'example.com', 'example.com'), result: 'fail', disposition: 'quarantine', why: /t=y/ },
    { name: 'no p, valid rua: p=none (step 6)', input: { fromDomain: 'example.com', spf: { result: 'fail', domain: 'example.com' }, dkim: [] }, policy: found('v=DMARC1; rua=mailto:d@example.com', 'example.com', 'example.com'), result: 'fail', disposition: 'none', tag: 'p' },
    { name: 'unusable record: permerror', input: { fromDomain: 'example.com', spf: { result: 'pass', domain: 'example.com' }, dkim: [] }, policy: found('v=DMARC1; p=bogus', 'example.com', 'example.com'), result: 'permerror', disposition: 'none' },
    { name: 'no record: none', input: { fromDomain: 'example.com', spf: { result: 'pass', domain: 'example.com' }, dkim: [] }, policy: found('v=spf1 -all', 'example.com', 'example.com'), result: 'none', disposition: 'none' },
    { name: 'DNS trouble: temperror', input: { fromDomain: 'example.com', spf: { result: 'pass', domain: 'example.com' }, dkim: [] }, policy: { outcome: 'temperror', domain: 'example.com', orgDomain: 'example.com', recordDomain: null, source: null, record: null, policy: null, domainExists: null }, result: 'temperror', disposition: 'none' },
    { name: 'strict DKIM, subdomain signer', input: { fromDomain: 'example.com', spf: { result: 'none', domain: '' }, dkim: [{ result: 'pass', d: 'mail.example.com' }] }, policy: found('v=DMARC1; p=quarantine; adkim=s', 'example.com', 'example.com'), result: 'fail', disposition: 'quarantine', why: /strict alignment needs exactly example\.com/ },
  ];
  for (const c of table) {
    it(c.name, () => {
      const e = evaluateDmarc(c.input, c.policy);
      assert.equal(e.result, c.result);
      assert.equal(e.disposition, c.disposition);
      if (c.tag) assert.equal(e.policy?.tag, c.tag);
      assert.equal(e.unsampled, c.unsampled);
      if (c.why) assert.match(e.why, c.why);
      assert.equal(e.alignment.dkim.length, c.input.dkim.length);
    });
  }
});

// ---- report and CLI ------------------------------------------------------------------------------

describe('DMARC report document', () => {
  it('explains every tag with its section, the discovery steps and report authorizations; text stays text', async () => {
    const r = await checkDmarc('mail.example.org', { resolver: world });
    const doc = toReport(r);
    assert.equal(doc.kind, 'dmarc');
    assert.equal(doc.status, 'pass');
    assert.deepEqual([doc.verdict.label, doc.verdict.value], ['DMARC', 'sp=quarantine']);
    const tree = doc.sections.find((s) => s.type === 'tree')!;
    assert.equal(tree.type === 'tree' && tree.nodes.map((n) => n.label).join(' '), '_dmarc.mail.example.org _dmarc.example.org');
    const tags = doc.sections.find((s) => s.title.startsWith('Tags'))!;
    assert.ok(tags.type === 'table');
    const rows = tags.rows.map((row) => (typeof row[0] === 'string' ? row[0] : row[0].text));
    for (const t of ['v', 'p', 'sp', 'np', 'rua', 'pct', 'adkim', 'aspf', 'fo', 'rf', 'ri']) assert.ok(rows.includes(t), t);
    const md = reportToMarkdown(doc);
    assert.match(md, /RFC 7489 §6\.3/);
    assert.match(md, /RFC 9091 §4\.1/);
    assert.match(md, /example\.org\._report\._dmarc\.reports\.example\.net/);
    assert.match(doc.facts.find((f) => f.label === 'Organizational domain')!.value, new RegExp(PSL.date));
    assert.doesNotThrow(() => JSON.parse(JSON.stringify(doc)));
  });

  it('no record: the report gives the record to publish and what to do next', async () => {
    const r = await checkDmarc('nothing.example.com', { resolver: world });
    const doc = toReport(r);
    assert.equal(doc.status, 'fail');
    const next = doc.sections.find((s) => s.title === 'What to do next');
    assert.ok(next && next.type === 'text' && next.paragraphs.some((p) => p.includes('_dmarc.example.com. 3600 IN TXT "v=DMARC1; p=none; rua=mailto:dmarc-reports@example.com"')));
    assert.match(dmarcToText(r), /error dmarc-none/);
  });
});

async function run(cmd: CliCommand, args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await cmd.run(args, { out: (t) => (out += t), err: () => undefined });
  return { code, out };
}

describe('maildns dmarc', () => {
  it('--json has domain, record, orgDomain, source, policy, findings and pslDate; exit 0/1/2', async () => {
    const dns = await startFaultDns({
      records: {
        '_dmarc.example.org': { TXT: ['v=DMARC1; p=reject; rua=mailto:d@example.org'] },
        'www.example.org': { A: ['192.0.2.1'] },
      },
      behaviours: { '_dmarc.broken.example': { kind: 'rcode', rcode: 'SERVFAIL' } },
    });
    try {
      const at = ['--resolver', dns.server, '--timeout', '1000'];
      const ok = await run(dmarcCommand, ['alice@www.example.org', ...at, '--json']);
      assert.equal(ok.code, 0);
      const j = JSON.parse(ok.out) as DmarcResult;
      assert.deepEqual([j.domain, j.record, j.orgDomain, j.source], ['www.example.org', 'v=DMARC1; p=reject; rua=mailto:d@example.org', 'example.org', 'organizational']);
      assert.deepEqual([j.policy?.p, j.policy?.sp, j.policy?.np, j.policy?.pct, j.policy?.adkim, j.policy?.aspf, j.policy?.rua, j.policy?.ruf, j.policy?.fo], ['reject', null, null, 100, 'r', 'r', ['mailto:d@example.org'], [], ['0']]);
      assert.equal(j.pslDate, PSL.date);
      assert.ok(Array.isArray(j.findings));
      const none = await run(dmarcCommand, ['nothing.example.net', ...at]);
      assert.equal(none.code, 1);
      assert.match(none.out, /dmarc-none/);
      const temp = await run(dmarcCommand, ['broken.example', ...at]);
      assert.equal(temp.code, 2);
      await assert.rejects(run(dmarcCommand, []), UsageError);
      await assert.rejects(run(dmarcCommand, ['exa mple', ...at]), UsageError);
    } finally {
      await dns.stop();
    }
  });
});

describe('DMARC codes are documented', () => {
  it('every dmarc-* code the sources can produce has a row in docs/dmarc-dkim.md', () => {
    const dir = path.join(REPO_ROOT, 'src', 'core', 'dmarc');
    const sources = [...fs.readdirSync(dir).map((f) => path.join(dir, f)), path.join(REPO_ROOT, 'src', 'core', 'report', 'dmarcDoc.ts')].map((f) => fs.readFileSync(f, 'utf8')).join('\n');
    const used = new Set([...sources.matchAll(/'(dmarc-[a-z-]+)'/g)].map((m) => m[1]));
    assert.ok(used.size > 30, `found ${used.size} codes`);
    const doc = fs.readFileSync(path.join(REPO_ROOT, 'docs', 'dmarc-dkim.md'), 'utf8');
    const rows = new Set([...doc.matchAll(/^\| `(dmarc-[a-z-]+)` \|/gm)].map((m) => m[1]));
    assert.deepEqual([...used].filter((c) => !rows.has(c)), [], 'codes without a row');
    assert.deepEqual([...rows].filter((c) => !used.has(c)), [], 'rows of codes nothing produces');
  });
});

describe('DMARC report: text from DNS stays text', () => {
  it('markup, command links and bidi controls in a record are escaped in the Markdown and the tree', async () => {
    const hostile = 'v=DMARC1; p=reject; rua=mailto:<script>alert(1)</script>@evil.example; x=[y](command:workbench.action.quit) **b** \u202eevil';
    const resolver = memoryResolver({ '_dmarc.hostile.example': { TXT: [hostile] } }, ['hostile.example']);
    const r = await checkDmarc('hostile.example', { resolver });
    const md = reportToMarkdown(toReport(r));
    const outside = md.replace(/^(`{3,})[^\n]*\n[\s\S]*?\n\1$/gm, '').replace(/(`+)[^`]*?\1/g, '');
    assert.ok(!outside.includes('<script>'), 'no raw markup outside code');
    assert.ok(!outside.includes('](command:'), 'no command link outside code');
    assert.ok(!md.includes('\u202e'), 'bidi override made visible');
    assert.ok(!dmarcToText(r).includes('\u202e'));
    const { checkToTreeNode } = await import('../../src/vscode/treeModel');
    const node = checkToTreeNode(toReport(r), 'k');
    const labels: string[] = [];
    const walk = (n: { label: string; description?: string; children: unknown[] }) => {
      labels.push(n.label, n.description ?? '');
      for (const c of n.children) walk(c as typeof n);
    };
    walk(node as never);
    assert.ok(labels.every((l) => !l.includes('\u202e') && !l.includes('\n')));
  });
});

// "Check mail server"'s DKIM and DMARC rows, its alignment note and the sender requirements table of
// Gmail, Yahoo and Outlook.com: the table as plain data (every rule sourced), where a server stands
// on each requirement (senderRequirements, pure), and the rows read from the core DKIM and DMARC
// checks (never re-derived) as they reach the result, the report document and its Markdown, with
// hostile record text staying text.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { checkDkimKey } from '../../src/core/dkim/check';
import { DKIM_LIMITS } from '../../src/core/dkim/limits';
import { checkDmarc } from '../../src/core/dmarc/check';
import { LIMITS } from '../../src/core/dns/budget';
import { checkMailServer } from '../../src/core/mailcheck/check';
import { mailSelectorProblem } from '../../src/core/mailcheck/input';
import { PROVIDERS, type ProviderRule, type RequirementFacts, type RequirementId, REQUIREMENTS_BASIS, SENDER_REQUIREMENTS, senderRequirements, SOURCES } from '../../src/core/mailcheck/requirements';
import { mailCheckToText } from '../../src/core/mailcheck/text';
import type { MailCheckResult } from '../../src/core/mailcheck/types';
import { copyableTexts } from '../../src/core/report/copyable';
import type { ReportDoc, Section } from '../../src/core/report/doc';
import { mailCheckToReport } from '../../src/core/report/mailcheckDoc';
import { reportToMarkdown } from '../../src/core/report/markdown';
import { memoryResolver } from './memory-resolver';

const FACTS: RequirementFacts = {
  fromDomain: 'shop.example',
  spf: { result: 'pass', summary: 'pass' },
  dkim: { usableSelectors: ['s1'], selectorGiven: true, undecided: false, summary: 's1: rsa, 2048 bits' },
  dmarc: { outcome: 'found', summary: 'p=none from _dmarc.shop.example' },
  alignment: { spf: true, dkim: true, summary: 'both align' },
  fcrdns: { result: 'pass', summary: 'iprev pass' },
  tls: { probed: false },
};
const standing = (facts: Partial<RequirementFacts>) => new Map(senderRequirements({ ...FACTS, ...facts }).rows.map((r) => [r.id, r.status]));

describe('sender requirements: the table as data', () => {
  it('every provider has a rule on every requirement; every rule that applies quotes its source page', () => {
    assert.deepEqual(PROVIDERS, ['gmail', 'yahoo', 'microsoft']);
    for (const p of PROVIDERS) assert.match(SOURCES[p].url, /^https:\/\/[^\s<>"]+$/, p);
    assert.equal(SOURCES.gmail.url, 'https://support.google.com/a/answer/81126');
    assert.equal(SOURCES.yahoo.url, 'https://senders.yahooinc.com/best-practices/');
    assert.match(SOURCES.microsoft.url, /^https:\/\/techcommunity\.microsoft\.com\/blog\/microsoftdefenderforoffice365blog\/.*\/4399730$/);
    assert.deepEqual(
      SENDER_REQUIREMENTS.map((r) => r.id),
      ['spf-or-dkim', 'spf-and-dkim', 'dmarc', 'alignment', 'fcrdns', 'tls', 'unsubscribe', 'spam-rate'],
    );
    for (const req of SENDER_REQUIREMENTS) {
      for (const provider of PROVIDERS) {
        const rule: ProviderRule = req.rules[provider];
        const p: string = provider;
        assert.ok(rule, `${req.id}: ${p}`);
        if (rule.applies === 'not-listed') assert.equal(rule.wording, undefined, `${req.id}/${p}: nothing quoted for a rule the page does not name`);
        else assert.ok((rule.wording ?? '').length > 10, `${req.id}/${p}: the provider's words`);
      }
    }
    // The rules the pages say, not what anyone observed; Microsoft's page is about high-volume senders only.
    assert.equal(SENDER_REQUIREMENTS.find((r) => r.id === 'dmarc')?.rules.microsoft.applies, 'bulk');
    assert.equal(SENDER_REQUIREMENTS.find((r) => r.id === 'tls')?.rules.gmail.applies, 'all');
    assert.equal(SENDER_REQUIREMENTS.find((r) => r.id === 'unsubscribe')?.rules.microsoft.applies, 'recommended');
    const table = senderRequirements(FACTS);
    assert.equal(table.basis, 'published-rules');
    assert.equal(table.basisNote, REQUIREMENTS_BASIS);
    assert.match(table.basisNote, /not what its servers were seen doing/);
    // Plain JSON: what another report (issue 14) reads back is what was written.
    assert.deepEqual(JSON.parse(JSON.stringify(table)), table);
  });
});

describe('sender requirements: where a server stands', () => {
  it('all set: every DNS-checkable requirement is met; TLS and the mail-stream ones are not checked', () => {
    const s = standing({});
    for (const id of ['spf-or-dkim', 'spf-and-dkim', 'dmarc', 'alignment', 'fcrdns'] as const) assert.equal(s.get(id), 'pass', id);
    assert.equal(s.get('tls'), 'info');
    assert.equal(s.get('unsubscribe'), 'info');
    assert.equal(s.get('spam-rate'), 'info');
    const rows = senderRequirements(FACTS).rows;
    assert.equal(rows.find((r) => r.id === 'unsubscribe')?.checked, false);
    assert.match(rows.find((r) => r.id === 'tls')?.standing ?? '', /SMTP probe/);
  });
  it('SPF passes, no DKIM key: SPF or DKIM is met, both is not', () => {
    const s = standing({ dkim: { usableSelectors: [], selectorGiven: true, undecided: false, summary: 'no key at s1._domainkey.shop.example' } });
    assert.equal(s.get('spf-or-dkim'), 'pass');
    assert.equal(s.get('spf-and-dkim'), 'fail');
  });
  it('no selector given and none of the common ones found: cannot tell, never "no"', () => {
    const s = standing({ spf: { result: 'fail', summary: 'fail' }, dkim: { usableSelectors: [], selectorGiven: false, undecided: true, summary: 'none' }, alignment: { spf: false, dkim: null, summary: '' } });
    assert.equal(s.get('spf-or-dkim'), 'warning');
    assert.equal(s.get('spf-and-dkim'), 'fail', 'SPF fails: both cannot hold whatever DKIM does');
    assert.equal(s.get('alignment'), 'warning');
  });
  it('DMARC: none or broken fails, DNS trouble cannot tell', () => {
    assert.equal(standing({ dmarc: { outcome: 'none', summary: '' } }).get('dmarc'), 'fail');
    assert.equal(standing({ dmarc: { outcome: 'broken', summary: '' } }).get('dmarc'), 'fail');
    assert.equal(standing({ dmarc: { outcome: 'temperror', summary: '' } }).get('dmarc'), 'warning');
  });
  it('FCrDNS and TLS from the rDNS check and the SMTP probe', () => {
    assert.equal(standing({ fcrdns: { result: 'fail', summary: '' } }).get('fcrdns'), 'fail');
    assert.equal(standing({ fcrdns: { result: 'temperror', summary: '' } }).get('fcrdns'), 'warning');
    assert.equal(standing({ tls: { probed: true, connected: true, offered: true, ok: true, target: 'h port 25' } }).get('tls'), 'pass');
    assert.equal(standing({ tls: { probed: true, connected: true, offered: false, ok: false, target: 'h port 25' } }).get('tls'), 'warning');
    assert.equal(standing({ tls: { probed: true, connected: false, offered: false, ok: false, target: 'h port 25' } }).get('tls'), 'info');
  });
});

describe('mailSelectorProblem (the optional DKIM selector box)', () => {
  it('empty is fine (the common selectors), a whole key name asks for the selector alone', () => {
    assert.equal(mailSelectorProblem(''), undefined);
    assert.equal(mailSelectorProblem('  s2024 '), undefined);
    assert.match(mailSelectorProblem('s1._domainkey.shop.example') ?? '', /give the selector alone/);
    assert.ok(mailSelectorProblem('a b'));
  });
});

// A server done right, with a 2048-bit key at s1 and DMARC p=none whose record carries hostile text.
const KEY = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
const HOSTILE = '<script>alert(1)</script>';
const SHOP = memoryResolver(
  {
    '10.113.0.203.in-addr.arpa': { PTR: ['mail.shop.example'] },
    'mail.shop.example': { A: ['203.0.113.10'], TXT: ['v=spf1 a -all'] },
    'shop.example': { MX: [[10, 'mail.shop.example']], TXT: ['v=spf1 ip4:203.0.113.10 -all'] },
    's1._domainkey.shop.example': { TXT: [['v=DKIM1; k=rsa; p=', KEY.slice(0, 200), KEY.slice(200)]] },
    '_dmarc.shop.example': { TXT: [`v=DMARC1; p=none; rua=mailto:dmarc@shop.example; x=${HOSTILE}`] },
    'mail.other.example': { A: ['203.0.113.11'] },
    '11.113.0.203.in-addr.arpa': { PTR: ['mail.other.example'] },
    '2.0.0.127.bl.example': { A: ['127.0.0.2'] },
    'other.example': { MX: [[10, 'mail.other.example']], TXT: ['v=spf1 ip4:203.0.113.11 -all'] },
  },
  ['shop.example', 'other.example', '113.0.203.in-addr.arpa', 'bl.example'],
);
const row = (r: MailCheckResult, id: string) => r.rows.find((x) => x.id === id)!;

function section<T extends Section['type']>(doc: ReportDoc, type: T, title: string): Extract<Section, { type: T }> {
  const found = doc.sections.find((s) => s.type === type && s.title === title);
  assert.ok(found, `a ${type} section "${title}": ${doc.sections.map((s) => s.title).join(', ')}`);
  return found as Extract<Section, { type: T }>;
}

describe('Check mail server: the DKIM and DMARC rows, alignment, the requirements table', () => {
  it('reads the rows from the DKIM and DMARC checks; p=none gets the next record to publish', async () => {
    const r = await checkMailServer({ ip: '203.0.113.10', helo: 'mail.shop.example', fromDomain: 'shop.example', dkimSelector: 'S1' }, { resolver: SHOP, dnsblZones: ['bl.example'] });
    assert.deepEqual(r.rows.map((x) => x.id), ['rdns', 'helo', 'spf-from', 'spf-helo', 'dkim', 'dmarc', 'mx', 'dnsbl']);
    assert.equal(r.dkimSelector, 's1');
    // The core results, whole, beside the rows.
    assert.equal(r.results.dkim.kind, 'dkim');
    assert.equal(r.results.dkim.key.bits, 2048);
    assert.equal(r.results.dmarc.kind, 'dmarc');
    assert.equal(r.results.dmarc.policy?.p, 'none');
    const dkim = row(r, 'dkim');
    assert.equal(dkim.title, 'DKIM key (s1._domainkey.shop.example)');
    assert.equal(dkim.status, 'pass');
    assert.equal(dkim.summary, 's1._domainkey.shop.example: rsa, 2048 bits');
    const dmarc = row(r, 'dmarc');
    assert.equal(dmarc.title, 'DMARC policy of shop.example');
    assert.match(dmarc.summary, /^p=none from _dmarc\.shop\.example; adkim=r, aspf=r: monitoring only$/);
    assert.ok(dmarc.fix, 'p=none has its next step');
    assert.ok(r.answer.some((a) => a.includes('DMARC policy of shop.example')), r.answer.join('\n'));

    assert.equal(r.alignment.spf.aligned, true);
    assert.equal(r.alignment.dkim.aligned, true);
    assert.deepEqual(r.alignment.dkim.selectors, ['s1']);
    const req = new Map(r.requirements.rows.map((x) => [x.id, x.status]));
    for (const id of ['spf-or-dkim', 'spf-and-dkim', 'dmarc', 'alignment', 'fcrdns'] as RequirementId[]) assert.equal(req.get(id), 'pass', id);

    // The report: the rows, the alignment table, the requirements table with each provider's words and page.
    const doc = mailCheckToReport(r);
    const rows = section(doc, 'rows', 'Checks').rows;
    assert.deepEqual(rows.slice(4, 6).map((x) => [x.label, x.status]), [['DKIM key (s1._domainkey.shop.example)', 'pass'], ['DMARC policy of shop.example', 'warning']]);
    const align = section(doc, 'table', 'Alignment with the From domain shop.example (DMARC)');
    assert.equal(align.rows.length, 2);
    const table = section(doc, 'table', 'Sender requirements: Gmail, Yahoo, Outlook.com (published rules)');
    assert.deepEqual(table.columns, ['Requirement', 'Gmail', 'Yahoo', 'Outlook.com', 'This server']);
    assert.equal(table.rows.length, SENDER_REQUIREMENTS.length);
    const dmarcCells = table.rows[2];
    assert.equal(dmarcCells[0], 'A DMARC record (p=none is enough)');
    assert.deepEqual(dmarcCells[1], { text: '5,000+ a day', detail: '"Set up DMARC email authentication for your sending domain. Your DMARC enforcement policy can be set to none."', href: SOURCES.gmail.url });
    assert.equal((dmarcCells[4] as { status?: string }).status, 'pass');
    const sources = section(doc, 'text', 'Where the requirements come from');
    assert.ok(sources.paragraphs.includes(REQUIREMENTS_BASIS));

    // Markdown: the links to the pages, and the record's hostile text escaped.
    const md = reportToMarkdown(doc);
    for (const p of PROVIDERS) assert.ok(md.includes(SOURCES[p].url), p);
    assert.match(md, /Sender requirements: Gmail, Yahoo, Outlook\.com \\\(published rules\\\)/);
    assert.ok(JSON.stringify(doc).includes(HOSTILE), 'the record is in the document as it is');
    assert.doesNotMatch(md.replace(/(`+)[^`]*?\1/g, ''), /(?<!\\)<script/, 'no raw markup in the Markdown');

    // The terminal text shows the same.
    const text = mailCheckToText(r);
    assert.match(text, /✓ DKIM key \(s1\._domainkey\.shop\.example\)\n {4}s1\._domainkey\.shop\.example: rsa, 2048 bits/);
    assert.match(text, /Sender requirements \(Gmail, Yahoo, Outlook\.com; wording as of \d{4}-\d\d-\d\d\):\n {2}Published rules/);
    assert.ok(text.includes(`Gmail: ${SOURCES.gmail.url}`));
  });

  it('no DMARC record and no key under the selector given: the records to publish, in the rows and the answer', async () => {
    const r = await checkMailServer({ ip: '203.0.113.11', helo: 'mail.other.example', fromDomain: 'other.example', dkimSelector: 'mail' }, { resolver: SHOP, dnsblZones: ['bl.example'] });
    const dmarc = row(r, 'dmarc');
    assert.equal(dmarc.status, 'fail');
    assert.equal(dmarc.summary, 'no DMARC record at _dmarc.other.example');
    assert.equal(dmarc.fix?.record, '_dmarc.other.example. 3600 IN TXT "v=DMARC1; p=none; rua=mailto:dmarc-reports@other.example"');
    assert.ok(r.answer.some((a) => a.startsWith('✗ DMARC policy of other.example') && a.endsWith(`Record: ${dmarc.fix?.record}`)), r.answer.join('\n'));
    // The report's "Copy record" may copy it.
    assert.ok(copyableTexts(mailCheckToReport(r)).record.has(dmarc.fix?.record ?? '?'));
    const dkim = row(r, 'dkim');
    assert.notEqual(dkim.status, 'pass');
    assert.match(dkim.summary, /^no key at mail\._domainkey\.other\.example \(no such name\)$/);
    assert.ok(dkim.fix?.description, 'a fix for the missing key');
    // A selector was given: no key there means no aligned signature can verify.
    assert.equal(r.alignment.dkim.aligned, false);
    const req = new Map(r.requirements.rows.map((x) => [x.id, x.status]));
    assert.equal(req.get('spf-or-dkim'), 'pass', 'SPF passes');
    assert.equal(req.get('spf-and-dkim'), 'fail');
    assert.equal(req.get('dmarc'), 'fail');
    assert.equal(req.get('alignment'), 'pass', 'SPF aligns');
  });

  it('no selector: the common ones are tried, and finding none leaves DKIM alignment undecided', async () => {
    const r = await checkMailServer({ ip: '203.0.113.11', helo: 'mail.other.example', fromDomain: 'other.example' }, { resolver: SHOP, dnsblZones: ['bl.example'] });
    assert.equal(r.dkimSelector, null);
    const dkim = row(r, 'dkim');
    assert.equal(dkim.title, 'DKIM key (common selectors of other.example)');
    assert.match(dkim.summary, /^no key under the \d+ common selectors tried; DKIM selectors cannot be listed from DNS/);
    assert.equal(r.results.dkim.lookups.length > 5, true);
    assert.equal(r.alignment.dkim.aligned, null);
    assert.match(r.alignment.dkim.why, /the selector in use may be another/);
    assert.equal(r.requirements.rows.find((x) => x.id === 'spf-and-dkim')?.status, 'warning');
    await assert.rejects(checkMailServer({ ip: '203.0.113.11', helo: 'mail.other.example', fromDomain: 'other.example', dkimSelector: 'a b' }, { resolver: SHOP, dnsblZones: ['bl.example'] }), /--dkim-selector/);
  });
});

describe('a flood of TXT records at a key name or a _dmarc name: a few kept, the rest counted', () => {
  const FLOOD = memoryResolver(
    {
      's1._domainkey.flood.example': { TXT: [...Array.from({ length: 20 }, (_, i) => `v=spf1 ip4:192.0.2.${i} -all`), ['v=DKIM1; k=rsa; p=', KEY]] },
      '_dmarc.flood.example': { TXT: Array.from({ length: 20 }, (_, i) => `site-verification=${i}`) },
    },
    ['flood.example'],
  );
  it('DKIM keeps DKIM_LIMITS.keyRecordsKept records, the key record among them, and says how many there were', async () => {
    const r = await checkDkimKey('s1', 'flood.example', { resolver: FLOOD });
    const l = r.lookups[0];
    assert.equal(l.records.length, DKIM_LIMITS.keyRecordsKept);
    assert.equal(l.recordsOmitted, 21 - DKIM_LIMITS.keyRecordsKept);
    assert.equal(r.key.bits, 2048, 'the key record past the kept ones is still the one read');
    assert.match(r.findings.find((f) => f.code === 'dkim-key-multiple')?.message ?? '', /has 21 TXT records \(8 kept in this report\)/);
  });
  it('DMARC names LIMITS.dmarcOtherTxtListed of the other TXT records and counts the rest in one finding', async () => {
    const r = await checkDmarc('flood.example', { resolver: FLOOD });
    const other = r.findings.filter((f) => f.code === 'dmarc-other-txt');
    assert.equal(other.length, LIMITS.dmarcOtherTxtListed + 1);
    assert.match(other[other.length - 1].message, /^15 more TXT records at _dmarc\.flood\.example \(not listed here\) are not DMARC records either/);
  });
});

// Gmail's, Yahoo's and Outlook.com's published rules in the rDNS, HELO and SPF reports: the rows come
// from the sender-requirements table (providers.ts over mailcheck/requirements.ts), with the facts that
// one check has, and the report documents show them as published rules. Real check results over an
// in-memory resolver.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Resolver } from '../../src/core/dns/types';
import { checkHelo } from '../../src/core/helo/check';
import { senderRequirements } from '../../src/core/mailcheck/requirements';
import { checkRdns } from '../../src/core/rdns/check';
import { publishedRowsOfHelo, publishedRowsOfRdns, publishedRowsOfSpf, publishedRuleRows } from '../../src/core/receivers/providers';
import type { ReportDoc, Section } from '../../src/core/report/doc';
import { heloToReport } from '../../src/core/report/heloDoc';
import { reportToMarkdown } from '../../src/core/report/markdown';
import { rdnsToReport } from '../../src/core/report/rdnsDoc';
import { PARTIAL_RECEIVERS_TITLE } from '../../src/core/report/receiversDoc';
import { spfToReport } from '../../src/core/report/spfDoc';
import { checkHost } from '../../src/core/spf/check';
import { type MemoryEntry, memoryResolver } from './memory-resolver';

const TABLE: Record<string, MemoryEntry> = {
  'mail.example.net': { A: ['203.0.113.60'] },
  '60.113.0.203.in-addr.arpa': { PTR: ['mail.example.net'] },
  // A PTR name that does not resolve back.
  '61.113.0.203.in-addr.arpa': { PTR: ['elsewhere.example.net'] },
  'elsewhere.example.net': { A: ['198.51.100.9'] },
  'example.org': { TXT: ['v=spf1 ip4:203.0.113.60 -all'] },
};
const ZONES = ['example.net', 'example.org', '113.0.203.in-addr.arpa'];
const resolver = () => memoryResolver(TABLE, ZONES);

/** The same table, with every PTR query failing (SERVFAIL). */
function ptrServfail(): Resolver {
  const r = resolver();
  const lookup: Resolver['lookup'] = async (name, type, ...rest) => {
    const res = await r.lookup(name, type, ...rest);
    return type === 'PTR' ? { ...res, rcode: 'SERVFAIL', answers: [], records: [], ttl: null } : res;
  };
  return { ...r, lookup, query: lookup };
}

/** The "Other receivers" table's rows, as [receiver, rule, verdict]. */
function publishedCells(doc: ReportDoc): [string, string, string][] {
  const t = doc.sections.find((s) => s.type === 'table' && s.title === PARTIAL_RECEIVERS_TITLE) as Extract<Section, { type: 'table' }> | undefined;
  assert.ok(t, `the ${doc.kind} report has the "${PARTIAL_RECEIVERS_TITLE}" table`);
  const text = (c: unknown) => (typeof c === 'string' ? c : (c as { text: string }).text);
  return t.rows.map((r) => [text(r[0]), text(r[1]), text(r[2])] as [string, string, string]).filter(([who]) => who.endsWith('(published rule)'));
}

describe('published rules in the rDNS report', () => {
  it('FCrDNS met: Gmail and Yahoo (Outlook.com names no such rule), marked as published rules', async () => {
    const r = await checkRdns('203.0.113.60', { resolver: resolver() });
    assert.equal(r.fcrdns, 'pass');
    const rows = publishedRowsOfRdns(r);
    assert.deepEqual(rows.map((x) => [x.receiver, x.basis, x.verdict]), [
      ['gmail', 'published-rule', 'met'],
      ['yahoo', 'published-rule', 'met'],
    ]);
    // Gmail's rule is already a row of "What receivers will do" (rdns/receivers.ts): only Yahoo's is added.
    const doc = rdnsToReport(r);
    assert.deepEqual(publishedCells(doc), [['Yahoo (published rule)', 'Forward and reverse DNS of the sending IP (FCrDNS) (all senders)', 'met']]);
    const above = doc.sections.find((s) => s.type === 'table' && s.title === 'What receivers will do') as Extract<Section, { type: 'table' }>;
    assert.equal(above.rows.filter((row) => JSON.stringify(row[0]).includes('Gmail')).length, 1);
  });

  it('not met: the reply is the one Gmail publishes; the rows are the combined check\'s for the same fact', async () => {
    const r = await checkRdns('203.0.113.61', { resolver: resolver() });
    assert.equal(r.fcrdns, 'fail');
    const rows = publishedRowsOfRdns(r);
    assert.deepEqual(rows.map((x) => x.verdict), ['not met', 'not met']);
    assert.match(rows[0].reply!, /^550-5\.7\.25 /);
    assert.equal(rows[1].reply, undefined, 'Yahoo publishes no reply text');
    assert.match(rows[0].why, /elsewhere\.example\.net/);
    // The same model the combined check uses: its fcrdns row, given the same iprev result, gives the same verdicts.
    const req = senderRequirements({
      fromDomain: 'example.org', spf: null, dkim: { usableSelectors: [], selectorGiven: false, undecided: true, summary: '' },
      dmarc: { outcome: 'none', summary: '' }, alignment: { spf: null, dkim: null, summary: '' }, fcrdns: { result: 'fail', summary: '' }, tls: { probed: false },
    });
    const combined = publishedRuleRows(req, '203.0.113.61', 'example.org').filter((x) => x.rule.startsWith('Forward and reverse'));
    assert.deepEqual(combined.map((x) => [x.receiver, x.rule, x.verdict, x.reply]), rows.map((x) => [x.receiver, x.rule, x.verdict, x.reply]));
    const md = reportToMarkdown(rdnsToReport(r));
    assert.match(md, /^\| Yahoo \\\(published rule\\\) \| .*FCrDNS.* \| not met \|/m);
    assert.doesNotMatch(md, /Gmail \\\(published rule\\\)/, 'Gmail once, in "What receivers will do"');
  });
});

describe('published rules in the HELO report', () => {
  it('from the HELO check\'s own PTR lookup: met when a PTR name resolves back', async () => {
    const h = await checkHelo('mail.example.net', { ip: '203.0.113.60', resolver: resolver(), spf: false });
    assert.deepEqual(publishedCells(heloToReport(h)).map(([who, , v]) => [who, v]), [
      ['Gmail (published rule)', 'met'],
      ['Yahoo (published rule)', 'met'],
    ]);
  });
  it('not met when none resolves back; cannot tell when the PTR lookup failed; none without an IP', async () => {
    const bad = await checkHelo('mail.example.net', { ip: '203.0.113.61', resolver: resolver(), spf: false });
    assert.deepEqual(publishedRowsOfHelo(bad).map((x) => x.verdict), ['not met', 'not met']);
    const failed = await checkHelo('mail.example.net', { ip: '203.0.113.60', resolver: ptrServfail(), spf: false });
    assert.equal(failed.matchesPtr, null);
    assert.deepEqual(publishedRowsOfHelo(failed).map((x) => x.verdict), ['cannot tell', 'cannot tell']);
    const noIp = await checkHelo('mail.example.net', { resolver: resolver(), spf: false });
    assert.deepEqual(publishedRowsOfHelo(noIp), []);
    assert.ok(!JSON.stringify(heloToReport(noIp)).includes('(published rule)'));
  });
});

describe('published rules in the SPF report', () => {
  it('SPF passes: "SPF or DKIM" is met; "SPF and DKIM" (bulk) cannot be told without DKIM', async () => {
    const s = await checkHost({ ip: '203.0.113.60', domain: 'example.org' }, { resolver: resolver() });
    assert.equal(s.result, 'pass');
    const cells = publishedCells(spfToReport(s));
    assert.deepEqual(cells, [
      ['Gmail (published rule)', 'SPF or DKIM (all senders)', 'met'],
      ['Gmail (published rule)', 'SPF and DKIM, both (5,000+ a day)', 'cannot tell'],
      ['Yahoo (published rule)', 'SPF or DKIM (all senders)', 'met'],
      ['Yahoo (published rule)', 'SPF and DKIM, both (bulk senders)', 'cannot tell'],
      ['Outlook.com (published rule)', 'SPF and DKIM, both (5,000+ a day)', 'cannot tell'],
    ]);
    const rows = publishedRowsOfSpf(s);
    assert.ok(rows.every((x) => x.basis === 'published-rule'));
    assert.ok(rows.filter((x) => x.verdict === 'cannot tell').every((x) => x.why.includes('DKIM is not part of this check')), 'says why it cannot tell');
    assert.ok(rows.filter((x) => x.verdict === 'met').every((x) => x.why.startsWith('SPF passes for example.org.')));
  });
  it('SPF fails: "SPF and DKIM" is not met (Outlook.com\'s published 5.7.515 reply); "SPF or DKIM" cannot be told', async () => {
    const s = await checkHost({ ip: '192.0.2.1', domain: 'example.org' }, { resolver: resolver() });
    assert.equal(s.result, 'fail');
    const rows = publishedRowsOfSpf(s);
    assert.deepEqual(rows.map((x) => `${x.receiver} ${x.rule.split(' (')[0]} ${x.verdict}`), [
      'gmail SPF or DKIM cannot tell',
      'gmail SPF and DKIM, both not met',
      'yahoo SPF or DKIM cannot tell',
      'yahoo SPF and DKIM, both not met',
      'microsoft SPF and DKIM, both not met',
    ]);
    assert.match(rows.at(-1)!.reply!, /^550; 5\.7\.515 Access denied, sending domain example\.org /);
    assert.deepEqual(publishedRowsOfSpf({ ...s, identity: 'helo' }), [], 'the HELO identity\'s SPF is no provider\'s rule');
  });
});

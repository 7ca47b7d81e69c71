// The receiver matrix's pure parts: thresholds, the rows' shape, what is said when a part is not
// modelled. The verdicts themselves are checked against the real software in
// test/integration/receivers-real.test.ts.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { DmarcEvaluation } from '../../src/core/dmarc/evaluate';
import type { DnsblResult, DnsblZoneResult } from '../../src/core/dnsbl/types';
import type { HeloResult } from '../../src/core/helo/types';
import type { RdnsResult } from '../../src/core/rdns/types';
import { receiverMatrix } from '../../src/core/receivers';
import { connectionOf } from '../../src/core/receivers/connection';
import { eximRows } from '../../src/core/receivers/exim';
import { receiversOfMailCheck } from '../../src/core/receivers/fromChecks';
import { policyFromRecord } from '../../src/core/dmarc/policy';
import type { MxResult } from '../../src/core/mx/types';
import { rspamdAction, rspamdRows } from '../../src/core/receivers/rspamd';
import { spamassassinRows } from '../../src/core/receivers/spamassassin';
import type { ReceiverInput } from '../../src/core/receivers/types';
import type { ReportDoc } from '../../src/core/report/doc';
import { reportToMarkdown } from '../../src/core/report/markdown';
import { receiverSections } from '../../src/core/report/receiversDoc';
import { receiverLines } from '../../src/core/receivers/text';
import { receiverRowsOfHelo, receiverRowsOfRdns, receiverRowsOfSpf } from '../../src/core/receivers/partial';
import { terminalLines } from '../../src/core/escape';
import type { SpfResult } from '../../src/core/spf/types';

function rdns(ptr: string[], confirmed: string[], fcrdns: RdnsResult['fcrdns'] = confirmed.length ? 'pass' : 'fail'): RdnsResult {
  return {
    ip: '1.2.3.4', ptr, confirmed, fcrdns, chain: [{ rcode: fcrdns === 'temperror' ? 'SERVFAIL' : ptr.length ? 'NOERROR' : 'NXDOMAIN' }],
    postfix: { reject_unknown_reverse_client_hostname: ptr.length ? 'accept' : 'reject', reject_unknown_client_hostname: confirmed.length ? 'accept' : fcrdns === 'temperror' ? 'defer' : 'reject' },
  } as unknown as RdnsResult;
}
const helo = (name: string, o: Partial<HeloResult>): HeloResult => ({ name, fqdn: name.includes('.'), resolves: true, mx: [], matchesIp: true, literalMatchesIp: null, ...o }) as unknown as HeloResult;
const spf = (result: SpfResult['result'], domain = 'example.net'): SpfResult => ({ result, domain, identity: 'mailfrom', reason: `${result} for the test` }) as unknown as SpfResult;
const dmarc = (result: DmarcEvaluation['result'], p: 'none' | 'quarantine' | 'reject' | null): DmarcEvaluation =>
  ({ result, fromDomain: 'example.net', policy: p ? { value: p } : null, disposition: result === 'fail' && p ? p : 'none' }) as unknown as DmarcEvaluation;

const base = (o: Partial<ReceiverInput> = {}): ReceiverInput => ({
  ip: '1.2.3.4', helo: 'mail.example.net', rdns: rdns(['mail.example.net'], ['mail.example.net']), heloCheck: helo('mail.example.net', {}), spf: spf('pass'), dmarc: dmarc('pass', 'reject'), fromDomainExists: true, tls: true, ...o,
});

describe('receiver matrix', () => {
  it('the receiving MTA records the verified name, or none', () => {
    assert.equal(connectionOf(base()).clientName, 'mail.example.net');
    assert.equal(connectionOf(base({ rdns: rdns(['forged.example.net'], []) })).clientName, '');
  });

  it('rows name their receiver, the modelled version and a documentation link; one total per scoring receiver', () => {
    const rows = receiverMatrix(base());
    assert.deepEqual([...new Set(rows.map((r) => r.receiver))], ['postfix', 'exim', 'spamassassin', 'rspamd']);
    for (const r of rows) {
      assert.match(r.version, /^(Postfix 3\.7|Exim 4\.96|SpamAssassin 4\.0\.1|rspamd 3\.4) /);
      assert.match(r.docUrl, /^https:\/\//);
    }
    assert.equal(rows.filter((r) => r.rule === 'total').length, 1);
    assert.equal(rows.filter((r) => r.rule === 'action').length, 1);
  });

  it("SpamAssassin's total adds the rules' scores in thousandths and compares with 5.0", () => {
    const rows = spamassassinRows(base({ rdns: rdns([], []), helo: 'localhost', heloCheck: helo('localhost', { fqdn: false }), spf: spf('softfail'), dmarc: dmarc('fail', 'reject') }));
    const hits = rows.filter((r) => r.rule !== 'total').map((r) => r.rule);
    assert.deepEqual(hits, ['RDNS_NONE', 'HELO_LOCALHOST', 'FSL_HELO_NON_FQDN_1', 'SPF_SOFTFAIL', 'DMARC_REJECT']);
    const total = rows.find((r) => r.rule === 'total')!;
    assert.equal(total.score, 7.647); // 1.274 + 3.603 + 0.001 + 0.972 + 1.797
    assert.equal(total.verdict, 'spam');
  });

  it("rspamd's actions start at 4, 6 and 15 (actions.conf)", () => {
    assert.equal(rspamdAction(3.99), 'no action');
    assert.equal(rspamdAction(4), 'greylist');
    assert.equal(rspamdAction(6), 'add header');
    assert.equal(rspamdAction(15), 'reject');
  });

  it('rspamd: VIOLATED_DIRECT_SPF only without TLS; unknown TLS is assumed and said', () => {
    const noTls = rspamdRows(base({ spf: spf('fail'), tls: false }));
    assert.ok(noTls.some((r) => r.rule === 'VIOLATED_DIRECT_SPF' && r.score === 3.5));
    const unknown = rspamdRows(base({ spf: spf('fail'), tls: undefined }));
    assert.ok(!unknown.some((r) => r.rule === 'VIOLATED_DIRECT_SPF'));
    assert.match(unknown.find((r) => r.rule === 'action')!.why, /Assumes the connection used TLS/);
  });

  it("rspamd: an SPF permerror leaves rspamd's SPF and DMARC out, and says so", () => {
    const rows = rspamdRows(base({ spf: spf('permerror'), dmarc: dmarc('fail', 'reject') }));
    assert.ok(!rows.some((r) => /^(R_SPF_|DMARC_)/.test(r.rule)));
    assert.match(rows.find((r) => r.rule === 'action')!.why, /not modelled/);
  });

  it('Exim: a temporary reverse-lookup failure defers, a missing PTR rejects with the deny reply', () => {
    const temp = eximRows(base({ rdns: rdns([], [], 'temperror') })).find((r) => r.rule === 'deny !verify = reverse_host_lookup')!;
    assert.equal(temp.verdict, 'defer');
    const none = eximRows(base({ rdns: rdns([], []) })).find((r) => r.rule === 'deny !verify = reverse_host_lookup')!;
    assert.deepEqual([none.verdict, none.reply], ['reject', '550 Administrative prohibition']);
  });

  it('hostile names of the longest length DNS and SMTP allow never throw', () => {
    const label = (u: string) => u.repeat(64).slice(0, 63);
    for (const u of ['1a', '1-', 'a1', '0x', 'dyn1', '[', ']', ' rdns=', '\u202e']) {
      const name = [label(u), label(u), label(u), label(u).slice(0, 61)].join('.');
      const heloName = `${u.repeat(510)}`.slice(0, 510);
      const rows = receiverMatrix(base({ rdns: rdns([name], [name]), helo: heloName, heloCheck: helo(heloName, { matchesIp: false }) }));
      assert.ok(rows.length > 0);
    }
  });

  it('the Receivers section: one table row per rule, explanation and link under the rule; hostile names escaped in Markdown', () => {
    const evil = 'evil|`x`\u202e\x1b[31m.example';
    const rows = receiverMatrix(base({ helo: evil, heloCheck: helo(evil, { matchesIp: false }) }));
    const sections = receiverSections(rows);
    assert.deepEqual(sections.map((x) => [x.type, x.title]), [['table', 'Receivers'], ['text', 'How the receivers are modelled']]);
    const table = sections[0];
    assert.ok(table.type === 'table');
    assert.equal(table.rows.length, rows.length);
    const doc = { kind: 'mailcheck', title: 'Mail server', shortTitle: 'Mail', subject: 's', status: 'warning', summary: '', verdict: { label: 'v', value: 'v', explanation: '' }, facts: [], sections, findings: [], footer: '' } as unknown as ReportDoc;
    const md = reportToMarkdown(doc);
    assert.match(md, /Receivers/);
    assert.ok(!/[\u202e\x1b]/.test(md), 'no raw bidi or escape character');
    for (const line of md.split('\n').filter((l) => l.startsWith('| Exim') || l.startsWith('| SpamAssassin') || l.startsWith('| rspamd')))
      assert.equal(line.replace(/\\\|/g, '').split('|').length, 7, `a table row keeps its 5 cells: ${line}`);
    assert.deepEqual(receiverSections(undefined), []);
  });

  it('Check mail server: DMARC rows when SPF decides DMARC (pass, no record), or a fail no DKIM key can rescue; none otherwise', () => {
    const mx = { rcode: 'NOERROR', implicit: false, nullMx: false, hosts: [{}] } as unknown as MxResult;
    const parts = (result: SpfResult['result'], record: string | null, dkimCanAlign: boolean | null) => ({
      ip: '1.2.3.4', heloName: 'mail.example.net', fromDomain: 'example.net', dkimCanAlign,
      results: { rdns: rdns(['mail.example.net'], ['mail.example.net']), helo: helo('mail.example.net', {}), spf: spf(result), mx,
        dmarc: record ? policyFromRecord('example.net', record, 'example.net') : { outcome: 'none', domain: 'example.net', orgDomain: 'example.net', recordDomain: null, source: null, record: null, policy: null, domainExists: null } as never },
    });
    const dmarcRules = (p: ReturnType<typeof parts>) => receiversOfMailCheck(p).filter((r) => /DMARC/.test(r.rule)).map((r) => r.rule);
    assert.deepEqual(dmarcRules(parts('pass', 'v=DMARC1; p=reject', null)), ['DMARC_PASS', 'DMARC_POLICY_ALLOW']);
    assert.deepEqual(dmarcRules(parts('fail', null, null)), ['DMARC_MISSING', 'DMARC_NA']);
    assert.deepEqual(dmarcRules(parts('fail', 'v=DMARC1; p=reject', null)), []);
    assert.deepEqual(dmarcRules(parts('fail', 'v=DMARC1; p=reject', false)), ['DMARC_REJECT', 'DMARC_POLICY_REJECT']);
  });

  it('DNSBL rows: only for the zones the DNSBL check asked; errors, refusals and answers outside 127/8 list nobody', () => {
    const zone = (z: string, status: DnsblZoneResult['status'], rcode: DnsblZoneResult['rcode'], codes: string[], txt?: string): DnsblZoneResult =>
      ({ zone: z, query: `4.3.2.1.${z}`, status, rcode, codes: codes.map((address) => ({ address, meaning: '', kind: 'listed' })), dig: '', ...(txt ? { txt } : {}) }) as DnsblZoneResult;
    const list = (...zones: DnsblZoneResult[]) => ({ kind: 'dnsbl', ip: '1.2.3.4', family: 4, zones, listed: [], findings: [], resolvers: [], startedAt: '', elapsedMs: 0 }) as DnsblResult;
    const rules = (d: DnsblResult) => receiverMatrix(base({ dnsbl: d })).filter((r) => /dnslists|RCVD_IN|SPAMHAUS|BAD_REP/.test(r.rule)).map((r) => `${r.rule}:${r.verdict}`);
    // No DNSBL result: no DNSBL rows at all.
    assert.deepEqual(rules(list()), []);
    // Listed on ZEN's SBL and on SpamCop (TXT naming SpamCop).
    assert.deepEqual(rules(list(zone('zen.spamhaus.org', 'listed', 'NOERROR', ['127.0.0.2']), zone('bl.spamcop.net', 'listed', 'NOERROR', ['127.0.0.2'], 'Blocked - see https://www.spamcop.net/bl.shtml?1.2.3.4'))), [
      'deny dnslists = zen.spamhaus.org:reject', 'deny dnslists = bl.spamcop.net:reject', 'RCVD_IN_SBL:hit', 'RCVD_IN_BL_SPAMCOP_NET:hit', 'RBL_SPAMHAUS_SBL:hit', 'BAD_REP_POLICIES:hit',
    ]);
    // A timeout, REFUSED, and a rewriting resolver's answer outside 127/8: Exim accepts, no rule hits.
    assert.deepEqual(rules(list(zone('zen.spamhaus.org', 'error', 'SERVFAIL', []), zone('bl.spamcop.net', 'bogus', 'NOERROR', ['192.0.2.80']), zone('x.example', 'refused', 'REFUSED', []))), [
      'deny dnslists = zen.spamhaus.org:accept', 'deny dnslists = bl.spamcop.net:accept', 'deny dnslists = x.example:accept',
    ]);
    // Spamhaus refusing an open resolver: Exim denies (the answer is in 127/8), SpamAssassin and rspamd name the refusal.
    assert.deepEqual(rules(list(zone('zen.spamhaus.org', 'refused', 'NOERROR', ['127.255.255.254']))), [
      'deny dnslists = zen.spamhaus.org:reject', 'RCVD_IN_ZEN_BLOCKED_OPENDNS:hit', 'RBL_SPAMHAUS_BLOCKED_OPENRESOLVER:hit',
    ]);
    // rspamd: the good policies lose their weight only next to a positive RBL symbol.
    const rs = rspamdRows(base({ dnsbl: list(zone('zen.spamhaus.org', 'listed', 'NOERROR', ['127.0.0.4'])) }));
    assert.equal(rs.find((r) => r.rule === 'R_SPF_ALLOW')!.score, 0);
    assert.equal(rs.find((r) => r.rule === 'action')!.score, 4.1);
  });

  it('plain text: one block per receiver with its version, each rule with verdict, score, reply and why; control characters escaped', () => {
    const evil = 'mail\u001b[31m.example.net';
    const lines = receiverLines(receiverMatrix(base({ rdns: rdns([evil], []) })));
    assert.match(lines[0], /^Receivers \(/);
    for (const name of ['Exim', 'SpamAssassin', 'rspamd']) assert.equal(lines.filter((l) => l.startsWith(`  ${name} — `)).length, 1);
    assert.ok(lines.includes('    ✗ deny !verify = reverse_host_lookup: reject (550 Administrative prohibition)'));
    assert.ok(lines.some((l) => /^    ! RDNS_NONE: hit 1\.274$/.test(l)));
    const text = terminalLines(lines);
    assert.ok(!text.includes('\u001b'), 'no raw escape reaches the terminal');
    assert.deepEqual(receiverLines([]), []);
  });

  it('the rDNS, HELO and SPF reports get the rows their check decides alone, no totals', () => {
    const noPtr = { ...rdns([], []), ip: '1.2.3.4' } as RdnsResult;
    assert.deepEqual(receiverRowsOfRdns(noPtr).map((r) => `${r.receiver} ${r.rule} ${r.verdict}`), [
      'exim deny !verify = reverse_host_lookup reject', 'spamassassin RDNS_NONE hit', 'rspamd HFILTER_HOSTNAME_UNKNOWN hit', 'rspamd RDNS_NONE hit',
    ]);
    const h = { ...helo('myhost', { fqdn: false, resolves: false, matchesIp: false }), ip: '1.2.3.4' } as HeloResult;
    const heloRules = receiverRowsOfHelo(h).map((r) => r.rule);
    assert.deepEqual(heloRules, ['deny !verify = helo', 'HELO_NO_DOMAIN', 'FSL_HELO_NON_FQDN_1']);
    assert.deepEqual(receiverRowsOfHelo({ ...h, ip: undefined } as HeloResult), []);
    const fail = { ...spf('fail'), ip: '1.2.3.4', identity: 'mailfrom' } as SpfResult;
    assert.deepEqual(receiverRowsOfSpf(fail).map((r) => r.rule), ['SPF_FAIL', 'R_SPF_FAIL']);
    for (const rows of [receiverRowsOfRdns(noPtr), receiverRowsOfHelo(h), receiverRowsOfSpf(fail)]) assert.ok(!rows.some((r) => r.rule === 'total' || r.rule === 'action'));
  });
});

// The receiver matrix's DKIM and DMARC rows, their pure parts: which outcomes are modelled, what is
// said when one is not, the composites, and where the rows show (DMARC, DKIM key, message and mail
// check reports). The verdicts themselves are checked against the real SpamAssassin and rspamd in
// test/integration/receivers-dkim.test.ts.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { DkimKeyResult } from '../../src/core/dkim/types';
import type { DmarcEvaluation } from '../../src/core/dmarc/evaluate';
import { policyFromRecord } from '../../src/core/dmarc/policy';
import type { DmarcResult } from '../../src/core/dmarc/types';
import type { RdnsResult } from '../../src/core/rdns/types';
import { receiverRowsOfDkimKey, receiverRowsOfDmarc, receiverRowsOfMessage } from '../../src/core/receivers/dkimDmarcPartial';
import type { VerifyResult } from '../../src/core/verify/types';
import { receiversOfMailCheck } from '../../src/core/receivers/fromChecks';
import type { MxResult } from '../../src/core/mx/types';
import type { HeloResult } from '../../src/core/helo/types';
import type { DkimSignatureInput } from '../../src/core/receivers/dkimRows';
import { rspamdRows } from '../../src/core/receivers/rspamd';
import { spamassassinRows } from '../../src/core/receivers/spamassassin';
import type { ReceiverInput, ReceiverRow } from '../../src/core/receivers/types';
import { dkimToReport } from '../../src/core/report/dkimDoc';
import { dmarcToReport } from '../../src/core/report/dmarcDoc';
import { reportToMarkdown } from '../../src/core/report/markdown';
import { PARTIAL_RECEIVERS_TITLE } from '../../src/core/report/receiversDoc';
import type { SpfResult } from '../../src/core/spf/types';

const rdns = { ip: '1.2.3.4', ptr: ['mail.example.net'], confirmed: ['mail.example.net'], fcrdns: 'pass', chain: [{ rcode: 'NOERROR' }], postfix: { reject_unknown_reverse_client_hostname: 'accept', reject_unknown_client_hostname: 'accept' } } as unknown as RdnsResult;
const spf = (result: SpfResult['result'], domain = 'example.net'): SpfResult => ({ result, domain, identity: 'mailfrom', reason: `${result} for the test` }) as unknown as SpfResult;
const dmarc = (result: DmarcEvaluation['result'], p: 'none' | 'quarantine' | 'reject' | null): DmarcEvaluation =>
  ({ result, fromDomain: 'example.net', policy: p ? { value: p, tag: 'p' } : null, disposition: result === 'fail' && p ? p : 'none' }) as unknown as DmarcEvaluation;
const sig = (result: DkimSignatureInput['result'], code: string, d = 'example.net', o: Partial<DkimSignatureInput> = {}): DkimSignatureInput => ({ result, code, d, s: 'sel', ...o });
const base = (o: Partial<ReceiverInput> = {}): ReceiverInput => ({
  ip: '1.2.3.4', helo: 'mail.example.net', rdns, spf: spf('pass'), dmarc: dmarc('pass', 'reject'), fromDomain: 'example.net', fromDomainExists: true, tls: true, ...o,
});
const rules = (rows: ReceiverRow[]) => rows.map((r) => `${r.rule} ${r.score}`);

function keyResult(o: Partial<DkimKeyResult>): DkimKeyResult {
  return {
    kind: 'dkim', domain: 'example.net', selector: 'sel', name: 'sel._domainkey.example.net', record: 'v=DKIM1; k=rsa; p=AAAA', key: { type: 'rsa', bits: 2048 }, testing: false, revoked: false, cnames: [],
    lookups: [{ selector: 'sel', name: 'sel._domainkey.example.net', rcode: 'NOERROR', cnames: [], records: [['v=DKIM1; k=rsa; p=AAAA']], dig: 'dig', findings: [] }],
    found: ['sel'], findings: [], resolvers: ['127.0.0.1'], startedAt: '2026-12-02T00:00:00.000Z', elapsedMs: 1, ...o,
  } as DkimKeyResult;
}

describe('receiver matrix: DKIM and DMARC rows', () => {
  it('no message known: no DKIM rows at all; an unsigned message: rspamd R_DKIM_NA, SpamAssassin nothing', () => {
    assert.ok(!rspamdRows(base()).some((r) => /DKIM/.test(r.rule)));
    assert.ok(!spamassassinRows(base()).some((r) => /DKIM/.test(r.rule)));
    assert.deepEqual(rules(rspamdRows(base({ dkim: [] })).filter((r) => /DKIM/.test(r.rule))), ['R_DKIM_NA 0']);
    assert.ok(!spamassassinRows(base({ dkim: [] })).some((r) => /DKIM/.test(r.rule)));
  });

  it('a valid signature by the From and envelope domain: DKIM_SIGNED, DKIM_VALID, DKIM_VALID_AU, DKIM_VALID_EF; R_DKIM_ALLOW', () => {
    const input = base({ dkim: [sig('pass', 'dkim-sig-pass')] });
    assert.deepEqual(rules(spamassassinRows(input).filter((r) => /^DKIM/.test(r.rule))), ['DKIM_SIGNED 0.1', 'DKIM_VALID -0.1', 'DKIM_VALID_AU -0.1', 'DKIM_VALID_EF -0.1']);
    assert.deepEqual(rules(rspamdRows(input).filter((r) => /DKIM/.test(r.rule))), ['R_DKIM_ALLOW -0.2']);
  });

  it("SpamAssassin's author and envelope domains are exact, and i= names the signing domain", () => {
    const parent = spamassassinRows(base({ authorDomain: 'news.example.net', fromDomain: 'bounce.example.net', dkim: [sig('pass', 'dkim-sig-pass')] }));
    assert.deepEqual(parent.filter((r) => /^DKIM/.test(r.rule)).map((r) => r.rule), ['DKIM_SIGNED', 'DKIM_VALID']);
    const viaI = spamassassinRows(base({ authorDomain: 'news.example.net', dkim: [sig('pass', 'dkim-sig-pass', 'example.net', { i: 'a@news.example.net' })] }));
    assert.deepEqual(viaI.filter((r) => /^DKIM/.test(r.rule)).map((r) => r.rule), ['DKIM_SIGNED', 'DKIM_VALID', 'DKIM_VALID_AU']);
  });

  it('a signature that does not verify: DKIM_SIGNED + DKIM_INVALID; R_DKIM_REJECT; DMARC passing on SPF makes DMARC_POLICY_ALLOW_WITH_FAILURES', () => {
    const input = base({ dkim: [sig('fail', 'dkim-sig-body-hash')] });
    assert.deepEqual(spamassassinRows(input).filter((r) => /^DKIM/.test(r.rule)).map((r) => r.rule), ['DKIM_SIGNED', 'DKIM_INVALID']);
    const rows = rspamdRows(input);
    assert.ok(rows.some((r) => r.rule === 'DMARC_POLICY_ALLOW_WITH_FAILURES' && r.score === -0.5));
    assert.equal(rows.find((r) => r.rule === 'action')!.score, Math.round(rows.filter((r) => r.rule !== 'action').reduce((s, r) => s + (r.score ?? 0), 0) * 100) / 100);
  });

  it('an expired signature: SpamAssassin DKIM_SIGNED + DKIM_INVALID, rspamd no DKIM symbol at all', () => {
    const input = base({ dkim: [sig('permerror', 'dkim-sig-expired')] });
    assert.deepEqual(spamassassinRows(input).filter((r) => /^DKIM/.test(r.rule)).map((r) => r.rule), ['DKIM_SIGNED', 'DKIM_INVALID']);
    assert.ok(!rspamdRows(input).some((r) => /DKIM/.test(r.rule)));
    assert.ok(rspamdRows(input).some((r) => r.rule === 'DMARC_POLICY_ALLOW'));
  });

  it('an outcome not modelled (malformed, rsa-sha1, unusable key, DNS trouble) leaves that receiver\'s DKIM and DMARC rows out and says so', () => {
    for (const s of [sig('neutral', 'dkim-sig-syntax'), sig('policy', 'dkim-sig-sha1'), sig('temperror', 'dkim-sig-key-dns'), sig('permerror', 'dkim-sig-key-invalid')]) {
      const input = base({ dkim: [s] });
      const sa = spamassassinRows(input);
      const rs = rspamdRows(input);
      assert.ok(!sa.some((r) => /^(DKIM|DMARC)_/.test(r.rule)), s.code);
      assert.ok(!rs.some((r) => /^(R_DKIM|DMARC)_/.test(r.rule)), s.code);
      assert.match(sa.find((r) => r.rule === 'total')!.why, /not modelled/);
      assert.match(rs.find((r) => r.rule === 'action')!.why, /not modelled/);
    }
  });

  it('rspamd: no SPF record, no DMARC record, a signature without a key: AUTH_NA_OR_FAIL, not AUTH_NA', () => {
    const input = base({ spf: spf('none'), dmarc: dmarc('none', null), dkim: [sig('permerror', 'dkim-sig-key-missing')] });
    const names = rspamdRows(input).map((r) => r.rule);
    assert.ok(names.includes('AUTH_NA_OR_FAIL'));
    assert.ok(!names.includes('AUTH_NA'));
    assert.ok(rspamdRows(base({ spf: spf('none'), dmarc: dmarc('none', null), dkim: [] })).some((r) => r.rule === 'AUTH_NA'));
  });

  it('the DMARC report: what passing and failing mail get, from the record; nothing for a record receivers cannot use', () => {
    const rows = receiverRowsOfDmarc(policyFromRecord('example.net', 'v=DMARC1; p=quarantine', 'example.net'));
    assert.deepEqual(rows.map((r) => `${r.receiver} ${r.rule} ${r.score}`), ['spamassassin DMARC_PASS -0.001', 'spamassassin DMARC_QUAR 1.198', 'rspamd DMARC_POLICY_ALLOW -0.5', 'rspamd DMARC_POLICY_QUARANTINE 1.5']);
    assert.ok(rows.every((r) => /passes DMARC|fails DMARC/.test(r.why)));
    assert.deepEqual(receiverRowsOfDmarc(policyFromRecord('example.net', 'v=DMARC1; p=bogus', 'example.net')), []);
    const none = receiverRowsOfDmarc({ ...policyFromRecord('example.net', 'not dmarc', 'example.net'), outcome: 'none' });
    assert.deepEqual(none.map((r) => r.rule), ['DMARC_MISSING', 'DMARC_NA']);
  });

  it('the DKIM key report: a usable key gives the rows of a signature that verifies; a missing one (NXDOMAIN) the no-key rows; others none', () => {
    const ok = receiverRowsOfDkimKey(keyResult({}));
    assert.deepEqual(ok.map((r) => r.rule), ['DKIM_SIGNED', 'DKIM_VALID', 'DKIM_VALID_AU', 'R_DKIM_ALLOW']);
    assert.ok(ok.every((r) => r.why.startsWith('A signature with s=sel d=example.net that verifies')));
    const missing = receiverRowsOfDkimKey(keyResult({ record: null, key: { type: null, bits: null }, found: [], lookups: [{ selector: 'sel', name: 'sel._domainkey.example.net', rcode: 'NXDOMAIN', cnames: [], records: [], dig: 'dig', findings: [] }] }));
    assert.ok(missing.some((r) => r.rule === 'DKIM_INVALID'));
    assert.ok(missing.some((r) => /^R_DKIM_(TEMPFAIL|PERMFAIL)$/.test(r.rule)));
    assert.deepEqual(receiverRowsOfDkimKey(keyResult({ revoked: true })).map((r) => r.rule), ['DKIM_SIGNED', 'DKIM_INVALID', 'R_DKIM_PERMFAIL']);
    assert.deepEqual(receiverRowsOfDkimKey(keyResult({ key: { type: 'rsa', bits: 768 } })), []);
    assert.deepEqual(receiverRowsOfDkimKey(keyResult({ selector: null, found: [] })), []);
  });

  it("the mail check: the DKIM key's rows sit before each receiver's total and are not counted in it", () => {
    const mx = { rcode: 'NOERROR', implicit: false, hosts: [{ name: 'mx.example.net' }], nullMx: false } as unknown as MxResult;
    const heloCheck = { name: 'mail.example.net', fqdn: true, resolves: true, mx: [], matchesIp: true, literalMatchesIp: null } as unknown as HeloResult;
    const parts = (dkim?: DkimKeyResult) => ({ ip: '1.2.3.4', heloName: 'mail.example.net', fromDomain: 'example.net', tls: true, results: { rdns, helo: heloCheck, spf: spf('pass'), mx, ...(dkim ? { dkim } : {}) } });
    const without = receiversOfMailCheck(parts());
    const withKey = receiversOfMailCheck(parts(keyResult({})));
    assert.deepEqual(withKey.filter((r) => /DKIM/.test(r.rule)).map((r) => r.rule), ['DKIM_SIGNED', 'DKIM_VALID', 'DKIM_VALID_AU', 'DKIM_VALID_EF', 'R_DKIM_ALLOW']);
    for (const [receiver, total] of [['spamassassin', 'total'], ['rspamd', 'action']] as const) {
      const mine = withKey.filter((r) => r.receiver === receiver);
      assert.equal(mine[mine.length - 1].rule, total, `${receiver}'s total stays last`);
      assert.equal(mine.find((r) => r.rule === total)!.score, without.find((r) => r.receiver === receiver && r.rule === total)!.score);
    }
    assert.ok(withKey.filter((r) => /DKIM/.test(r.rule)).every((r) => /Not in the total/.test(r.why)));
  });

  it("the message check: its signatures' and DMARC's rows, DMARC passing on DKIM while SPF fails", () => {
    const v = {
      fromDomain: 'example.net', returnPath: 'a@example.net', connection: { ip: '1.2.3.4', helo: 'mail.example.net', source: 'received', why: '' },
      spf: { result: 'fail', domain: 'example.net', checked: true, identity: 'mailfrom', sender: 'a@example.net', ip: '1.2.3.4', helo: null, reason: 'fail' },
      dkim: [{ ...sig('pass', 'dkim-sig-pass'), index: 0 }],
      dmarc: { result: 'pass', fromDomain: 'example.net', policy: { tag: 'p', value: 'reject', recordDomain: 'example.net', source: 'domain', record: 'v=DMARC1; p=reject', pct: 100, adkim: 'r', aspf: 'r', why: '' }, disposition: 'none', alignment: { spf: { mode: 'r' }, dkim: [] }, orgDomain: 'example.net', why: '' },
    } as unknown as VerifyResult;
    assert.deepEqual(receiverRowsOfMessage(v).map((r) => `${r.rule} ${r.score}`), [
      'DKIM_SIGNED 0.1', 'DKIM_VALID -0.1', 'DKIM_VALID_AU -0.1', 'DKIM_VALID_EF -0.1', 'DMARC_PASS -0.001',
      'R_DKIM_ALLOW -0.2', 'DMARC_POLICY_ALLOW 0', 'DMARC_POLICY_ALLOW_WITH_FAILURES -0.5',
    ]);
    assert.deepEqual(receiverRowsOfMessage({ ...v, fromDomain: '' }), []);
  });

  it('the DMARC and DKIM key reports show the rows under the partial title, and the Markdown keeps them', () => {
    const d = dmarcToReport({ ...policyFromRecord('example.net', 'v=DMARC1; p=reject', 'example.net'), kind: 'dmarc', lookups: [], reports: [], findings: [], resolvers: [], startedAt: '', elapsedMs: 0, applied: { tag: 'p', value: 'reject', why: 'p' }, verdict: 'enforced', psl: { package: 'psl', version: '1' }, pslDate: '' } as unknown as DmarcResult);
    const t = d.sections.find((s) => s.title === PARTIAL_RECEIVERS_TITLE);
    assert.ok(t && t.type === 'table' && t.rows.length === 4);
    assert.match(reportToMarkdown(d), /DMARC\\?_POLICY\\?_REJECT/);
    const k = dkimToReport(keyResult({}));
    assert.ok(k.sections.some((s) => s.title === PARTIAL_RECEIVERS_TITLE));
  });
});

// The receiver matrix's knobs (mailDns.receivers.*), postscreen's DNSBL weighting and the published-rule
// rows of Gmail, Yahoo and Microsoft: the pure parts. The verdicts are checked against the real
// software in test/integration/receivers-postscreen.test.ts, receivers-postfix.test.ts and receivers-real.test.ts.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { DnsblResult, DnsblZoneResult } from '../../src/core/dnsbl/types';
import type { HeloResult } from '../../src/core/helo/types';
import { senderRequirements } from '../../src/core/mailcheck/requirements';
import type { RdnsResult } from '../../src/core/rdns/types';
import { receiverMatrix } from '../../src/core/receivers';
import { checkMailServer } from '../../src/core/mailcheck/check';
import { memoryResolver } from './memory-resolver';
import { invalidHeloRule, nonFqdnHeloRule, unknownHeloRule } from '../../src/core/helo/postfix';
import { checkReceiverKnobs, heloRejectCodes, KNOB_DEFAULTS, parseDnsblSite, siteMatches } from '../../src/core/receivers/knobs';
import { postfixRows } from '../../src/core/receivers/postfix';
import { postscreenRows, postscreenScore } from '../../src/core/receivers/postscreen';
import { publishedRuleRows } from '../../src/core/receivers/providers';
import { rspamdRows } from '../../src/core/receivers/rspamd';
import { spamassassinRows } from '../../src/core/receivers/spamassassin';
import { receiverLines } from '../../src/core/receivers/text';
import type { ReceiverInput } from '../../src/core/receivers/types';
import type { ReportDoc } from '../../src/core/report/doc';
import { reportToMarkdown } from '../../src/core/report/markdown';
import { receiverSections } from '../../src/core/report/receiversDoc';
import type { SpfResult } from '../../src/core/spf/types';
import { REPO_ROOT } from '../paths';
import { runCli } from '../../src/cli/main';
import * as os from 'node:os';

const zone = (z: string, rcode: DnsblZoneResult['rcode'], codes: string[]): DnsblZoneResult =>
  ({ zone: z, query: `4.3.2.1.${z}`, status: codes.length ? 'listed' : 'not-listed', rcode, codes: codes.map((address) => ({ address, meaning: '', kind: 'listed' })), dig: '' }) as DnsblZoneResult;
const list = (...zones: DnsblZoneResult[]) => ({ kind: 'dnsbl', ip: '1.2.3.4', family: 4, zones, listed: [], findings: [], resolvers: [], startedAt: '', elapsedMs: 0 }) as DnsblResult;
const base = (o: Partial<ReceiverInput> = {}): ReceiverInput => ({
  ip: '1.2.3.4', helo: 'mail.example.net',
  rdns: { ip: '1.2.3.4', ptr: ['mail.example.net'], confirmed: ['mail.example.net'], fcrdns: 'pass', chain: [{ rcode: 'NOERROR' }], postfix: { reject_unknown_reverse_client_hostname: 'accept', reject_unknown_client_hostname: 'accept' } } as unknown as RdnsResult,
  heloCheck: { name: 'mail.example.net', fqdn: true, resolves: true, mx: [], matchesIp: true, literalMatchesIp: null } as unknown as HeloResult,
  spf: { result: 'pass', domain: 'example.net', identity: 'mailfrom', reason: '' } as unknown as SpfResult,
  fromDomainExists: true, tls: true, ...o,
});
const ZEN_SBL_PBL = list(zone('zen.spamhaus.org', 'NOERROR', ['127.0.0.2', '127.0.0.11']), zone('bl.spamcop.net', 'NXDOMAIN', []));

describe('postscreen_dnsbl_sites entries', () => {
  it('parses weights and filters as postconf(5) writes them', () => {
    assert.deepEqual(parseDnsblSite('zen.spamhaus.org'), { zone: 'zen.spamhaus.org', weight: 1, text: 'zen.spamhaus.org' });
    const s = parseDnsblSite('zen.spamhaus.org=127.0.0.[2..4;11]*3');
    assert.ok(!('error' in s));
    assert.equal(s.weight, 3);
    assert.equal(s.filter, '127.0.0.[2..4;11]');
    assert.ok(siteMatches(s, '127.0.0.3') && siteMatches(s, '127.0.0.11'));
    assert.ok(!siteMatches(s, '127.0.0.10') && !siteMatches(s, '127.255.255.254'));
    const allow = parseDnsblSite('list.dnswl.org=127.0.[0..255].[1..3]*-4');
    assert.ok(!('error' in allow) && allow.weight === -4);
    for (const bad of ['nodot', 'zen.spamhaus.org=127.0.0*2', 'zen.spamhaus.org=127.0.0.[300]', 'zen.spamhaus.org*x']) assert.ok('error' in parseDnsblSite(bad), bad);
  });
});

describe('postscreen DNSBL weighting', () => {
  it('default: each zone of the DNSBL check with weight 1, threshold 1, enforce; the reply names a highest-weight site', () => {
    const rows = postscreenRows(base({ dnsbl: ZEN_SBL_PBL }));
    assert.deepEqual(rows.map((r) => `${r.rule}:${r.verdict}:${r.score}`), ['postscreen_dnsbl_sites zen.spamhaus.org:hit:1', 'postscreen_dnsbl_threshold 1, postscreen_dnsbl_action enforce:reject:1']);
    assert.equal(rows[1].reply, '550 5.7.1 Service unavailable; client [1.2.3.4] blocked using zen.spamhaus.org');
  });
  it('weights add up; below the threshold accepts; at it, drop answers 521; ignore accepts', () => {
    const dnsbl = list(zone('zen.spamhaus.org', 'NOERROR', ['127.0.0.4']), zone('bl.spamcop.net', 'NOERROR', ['127.0.0.2']));
    const at = (knobs: ReceiverInput['knobs']) => postscreenRows(base({ dnsbl, knobs })).at(-1)!;
    const sites = ['zen.spamhaus.org*2', 'bl.spamcop.net'];
    assert.equal(at({ postscreen: { sites, threshold: 3 } }).verdict, 'reject');
    assert.equal(at({ postscreen: { sites, threshold: 3 } }).score, 3);
    assert.equal(at({ postscreen: { sites, threshold: 4 } }).verdict, 'accept');
    assert.equal(at({ postscreen: { sites, threshold: 3, action: 'drop' } }).reply, '521 5.7.1 Service unavailable; client [1.2.3.4] blocked using zen.spamhaus.org');
    assert.equal(at({ postscreen: { sites, threshold: 3, action: 'ignore' } }).verdict, 'accept');
    // A filter that does not match adds nothing; a negative (allowlist) weight takes off.
    assert.equal(at({ postscreen: { sites: ['zen.spamhaus.org=127.0.0.[10..11]*3', 'bl.spamcop.net'] } }).score, 1);
    assert.equal(at({ postscreen: { sites: ['zen.spamhaus.org*2', 'bl.spamcop.net*-2'] } }).verdict, 'accept');
  });
  it('every A record counts, even outside 127/8; a failed lookup counts nothing; a site the check did not ask is said', () => {
    assert.equal(postscreenScore(base({ dnsbl: list(zone('zen.spamhaus.org', 'NOERROR', ['192.0.2.1'])) }))!.total, 1);
    assert.equal(postscreenScore(base({ dnsbl: list(zone('zen.spamhaus.org', 'SERVFAIL', [])) }))!.total, 0);
    const r = postscreenRows(base({ dnsbl: ZEN_SBL_PBL, knobs: { postscreen: { sites: ['zen.spamhaus.org', 'list.dnswl.org*-5'] } } })).at(-1)!;
    assert.match(r.why, /Not asked by the DNSBL check, so not counted: list\.dnswl\.org/);
  });
  it('a tie of weights: either name, said in the row', () => {
    const dnsbl = list(zone('zen.spamhaus.org', 'NOERROR', ['127.0.0.2']), zone('bl.spamcop.net', 'NOERROR', ['127.0.0.2']));
    assert.deepEqual(postscreenScore(base({ dnsbl }))!.names, ['zen.spamhaus.org', 'bl.spamcop.net']);
    assert.match(postscreenRows(base({ dnsbl })).at(-1)!.why, /answered first/);
  });
});

describe('knobs change the verdicts', () => {
  it('Postfix reply codes', () => {
    const rows = postfixRows(base({ dnsbl: ZEN_SBL_PBL, fromDomain: 'example.net', fromDomainExists: false, knobs: { postfix: { unknownAddressRejectCode: 550, rblRejectCode: 550 } } }));
    assert.match(rows.find((r) => r.rule === 'reject_unknown_sender_domain')!.reply!, /^550 5\.1\.8 /);
    assert.match(rows.find((r) => r.rule === 'reject_rbl_client zen.spamhaus.org')!.reply!, /^550 5\.7\.1 Service unavailable/);
    const def = postfixRows(base({ dnsbl: ZEN_SBL_PBL, fromDomain: 'example.net', fromDomainExists: false }));
    assert.match(def.find((r) => r.rule === 'reject_unknown_sender_domain')!.reply!, /^450 4\.1\.8 /);
    assert.match(def.find((r) => r.rule === 'reject_rbl_client zen.spamhaus.org')!.reply!, /^554 5\.7\.1 /);
  });
  it('Postfix HELO reply codes: the knobs reach the HELO rules, the DSN class follows the code; the tempfail deferral stays 450', () => {
    const { knobs, problems } = checkReceiverKnobs({ postfix: { unknownHostnameRejectCode: 550, invalidHostnameRejectCode: 451, nonFqdnRejectCode: 554 } });
    assert.deepEqual(problems, []);
    const codes = heloRejectCodes(knobs);
    assert.deepEqual(codes, { unknownHostname: 550, invalidHostname: 451, nonFqdn: 554 });
    assert.deepEqual(heloRejectCodes(undefined), {});
    assert.equal(unknownHeloRule('nx.example', 'notfound', codes).reply, '550 5.7.1 <nx.example>: Helo command rejected: Host not found');
    assert.match(unknownHeloRule('nx.example', 'notfound', codes).explanation, /here 550 .*unknownHostnameRejectCode.*bounces at once/);
    assert.match(unknownHeloRule('slow.example', 'retry', codes).reply!, /^450 4\.7\.1 /);
    assert.equal(invalidHeloRule('DYNA WEB', codes).replyAtHelo, '451 4.5.2 <DYNA WEB>: Helo command rejected: Invalid name');
    assert.match(invalidHeloRule('[192.0.2]', codes).reply!, /^451 4\.5\.2 .*invalid ip address/);
    assert.equal(nonFqdnHeloRule('DYNA-WEB', codes).reply, '554 5.5.2 <DYNA-WEB>: Helo command rejected: need fully-qualified hostname');
    // Defaults unchanged.
    assert.match(unknownHeloRule('nx.example', 'notfound').reply!, /^450 4\.7\.1 /);
    assert.match(invalidHeloRule('DYNA WEB').reply!, /^501 5\.5\.2 /);
    assert.match(nonFqdnHeloRule('DYNA-WEB').reply!, /^504 5\.5\.2 /);
    assert.ok(!checkReceiverKnobs({ postfix: { nonFqdnRejectCode: 250 } }).knobs.postfix);
  });
  it('Check mail server hands the HELO codes to its HELO check', async () => {
    const resolver = memoryResolver({ 'example.org': { TXT: ['v=spf1 -all'] } }, ['example.org']);
    const r = await checkMailServer({ ip: '192.0.2.1', helo: 'DYNA-WEB', fromDomain: 'example.org' }, { resolver, dnsblZones: [], receivers: { postfix: { nonFqdnRejectCode: 550 } } });
    assert.match(r.results.helo.receivers.find((x) => x.rule === 'reject_non_fqdn_helo_hostname')!.reply!, /^550 5\.5\.2 <DYNA-WEB>/);
  });
  it('rspamd thresholds and SpamAssassin required_score', () => {
    const input = base({ dnsbl: ZEN_SBL_PBL });
    assert.equal(rspamdRows(input).at(-1)!.verdict, 'add header'); // 6.1
    assert.equal(rspamdRows({ ...input, knobs: { rspamd: { reject: 6 } } }).at(-1)!.verdict, 'reject');
    assert.equal(rspamdRows({ ...input, knobs: { rspamd: { greylist: 1, addHeader: 7, reject: 8 } } }).at(-1)!.verdict, 'greylist');
    const sa = spamassassinRows(input).at(-1)!;
    assert.equal(sa.verdict, 'spam');
    assert.equal(spamassassinRows({ ...input, knobs: { spamassassin: { requiredScore: sa.score! + 0.001 } } }).at(-1)!.verdict, 'ham');
  });
  it('checkReceiverKnobs keeps what it can use and names every problem', () => {
    const ok = checkReceiverKnobs({ postfix: { unknownAddressRejectCode: 550 }, postscreen: { sites: ['zen.spamhaus.org*2'], threshold: 2, action: 'drop' }, rspamd: { reject: 10 }, spamassassin: { requiredScore: 3 } });
    assert.deepEqual(ok.problems, []);
    assert.deepEqual(ok.knobs.postscreen, { sites: ['zen.spamhaus.org*2'], threshold: 2, action: 'drop' });
    const bad = checkReceiverKnobs({ postfix: { unknownAddressRejectCode: 250, typo: 1 }, postscreen: { action: 'block', sites: ['x'] }, rspamd: { greylist: 20 }, exim: {} });
    assert.deepEqual(bad.problems.map((p) => p.setting), ['receivers.postfix.unknownAddressRejectCode', 'receivers.postfix.typo', 'receivers.postscreen.action', 'receivers.postscreen.sites', 'receivers.exim', 'receivers.rspamd']);
    assert.deepEqual(checkReceiverKnobs('x').problems.map((p) => p.setting), ['receivers']);
  });
});

describe('Gmail, Yahoo and Microsoft: published rules from the sender-requirements table', () => {
  const req = senderRequirements({
    fromDomain: 'example.net', spf: { result: 'pass', summary: 'pass' },
    dkim: { usableSelectors: [], selectorGiven: true, undecided: false, summary: 'no key' },
    dmarc: { outcome: 'none', summary: 'no DMARC record' }, alignment: { spf: true, dkim: false, summary: 'SPF aligns' },
    fcrdns: { result: 'fail', summary: 'no PTR' }, tls: { probed: false },
  });
  const rows = publishedRuleRows(req, '192.0.2.1', 'example.net');
  it('one row per stated, checkable rule, each marked as a published rule, verdicts from the table', () => {
    assert.ok(rows.length > 0 && rows.every((r) => r.basis === 'published-rule'));
    assert.deepEqual([...new Set(rows.map((r) => r.receiver))], ['gmail', 'yahoo', 'microsoft']);
    for (const r of rows) {
      const standing = req.rows.find((x) => r.rule.startsWith(x.title))!;
      assert.equal(r.verdict, { pass: 'met', fail: 'not met', warning: 'cannot tell', info: 'cannot tell' }[standing.status]);
    }
    assert.ok(!rows.some((r) => r.receiver === 'microsoft' && r.rule.startsWith('Forward and reverse')), 'Microsoft does not list FCrDNS');
    assert.match(rows.find((r) => r.receiver === 'gmail' && r.rule.startsWith('Forward and reverse'))!.reply!, /^550-5\.7\.25 /);
    assert.match(rows.find((r) => r.receiver === 'microsoft' && r.verdict === 'not met')!.reply!, /5\.7\.515 Access denied, sending domain example\.net/);
  });
  it('the report, the text and the JSON say so', () => {
    const all = [...receiverMatrix(base()), ...rows];
    const table = receiverSections(all)[0];
    assert.ok(table.type === 'table' && table.rows.some((r) => r[0] === 'Gmail (published rule)'));
    assert.ok(receiverLines(all).some((l) => /^  Outlook\.com \(published rule\) — /.test(l)));
    const doc = { kind: 'mailcheck', title: 'Mail server', shortTitle: 'Mail', subject: 's', status: 'warning', summary: '', verdict: { label: 'v', value: 'v', explanation: '' }, facts: [], sections: receiverSections(all), findings: [], footer: '' } as unknown as ReportDoc;
    const md = reportToMarkdown(doc);
    assert.match(md, /^\| Yahoo \\\(published rule\\\) \| .*\| (met|not met|cannot tell) \|/m);
    assert.match(md, /Gmail, Yahoo and Outlook\.com rows are their published rules/);
    assert.ok(JSON.parse(JSON.stringify(rows)).every((r: { basis: string }) => r.basis === 'published-rule'));
  });
});

describe('the settings mailDns.receivers.*', () => {
  it('package.json contributes every knob, with the core\'s default, a scope and a Markdown description; each default passes checkReceiverKnobs', () => {
    const props = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, { default: unknown; scope?: string; markdownDescription?: string }> } } }).contributes.configuration.properties;
    const raw: Record<string, Record<string, unknown>> = {};
    for (const [receiver, knobs] of Object.entries(KNOB_DEFAULTS)) {
      for (const [key, value] of Object.entries(knobs)) {
        const p = props[`mailDns.receivers.${receiver}.${key}`];
        assert.ok(p?.scope && p.markdownDescription, `mailDns.receivers.${receiver}.${key}`);
        assert.deepEqual(p.default, value, `mailDns.receivers.${receiver}.${key}`);
        (raw[receiver] ??= {})[key] = p.default;
      }
    }
    assert.deepEqual(props['mailDns.receivers.postscreen.sites'].default, []);
    assert.deepEqual(checkReceiverKnobs(raw).problems, []);
  });
});

describe('maildns check --receivers <file>', () => {
  it('a file it cannot read or use is a one-line usage error naming the problem (exit 2), before any DNS', async () => {
    const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'maildns-knobs-'));
    try {
      const bad = path.join(dir, 'bad.json');
      await fs.promises.writeFile(bad, JSON.stringify({ rspamd: { reject: 'high' } }));
      const notJson = path.join(dir, 'x.json');
      await fs.promises.writeFile(notJson, '{');
      for (const [file, pattern] of [[bad, /--receivers: receivers\.rspamd\.reject must be a number; it is "high"\./], [notJson, /is not JSON/], [path.join(dir, 'missing.json'), /cannot read/]] as const) {
        let err = '';
        const code = await runCli(['check', '192.0.2.1', '--helo', 'a.example', '--from', 'b.example', '--resolver', '127.0.0.1:9', '--receivers', file], { out: () => undefined, err: (t) => (err += t) });
        assert.equal(code, 2);
        assert.match(err, pattern);
        assert.equal(err.trim().split('\n').length, 1);
      }
    } finally {
      await fs.promises.rm(dir, { recursive: true, force: true });
    }
  });
});

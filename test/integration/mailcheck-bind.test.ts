// "Check mail server" end to end against BIND (test/fixtures/mail-zones) and, for the SMTP row, a
// scripted SMTP peer: the seed admin's question — why do my mails bounce, and what do I change?
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { checkCommand } from '../../src/cli/commands/check';
import { UsageError } from '../../src/cli/shared';
import { createResolver } from '../../src/core/dns/resolver';
import type { Resolver } from '../../src/core/dns/types';
import { checkMailServer } from '../../src/core/mailcheck/check';
import type { MailCheckResult } from '../../src/core/mailcheck/types';
import { startBind, type BindServer } from '../harness/bind';
import { startSmtpPeer, type SmtpPeer } from '../harness/smtp-peer';
import { REPO_ROOT } from '../paths';

const MAIL_ZONES = path.join(REPO_ROOT, 'test', 'fixtures', 'mail-zones');
const row = (r: MailCheckResult, id: string) => r.rows.find((x) => x.id === id)!;

describe('Combined mail server check against BIND', () => {
  let bind: BindServer;
  let resolver: Resolver;
  let peer: SmtpPeer;
  before(async () => {
    bind = await startBind({ zoneDir: MAIL_ZONES });
    resolver = createResolver({ servers: [bind.server], timeoutMs: 1000 });
    peer = await startSmtpPeer([
      { send: '220 dynatron.example Microsoft ESMTP MAIL Service ready' },
      { expect: /^EHLO / },
      { send: '250-dynatron.example Hello [203.0.113.9]\r\n250 SIZE 10485760' },
      { expect: /^QUIT$/ },
      { send: '221 2.0.0 closing' },
      { close: true },
    ]);
  });
  after(async () => {
    await peer.stop();
    await bind.stop();
  });

  it("the seed's failing server: every row says what is wrong and what to change", async () => {
    const r = await checkMailServer({ ip: '203.0.113.100', helo: 'DYNA-WEB', fromDomain: 'dynatron.example' }, { resolver, dnsblZones: ['bl.example'] });
    assert.deepEqual(r.rows.map((x) => x.id), ['rdns', 'helo', 'spf-from', 'spf-helo', 'dkim', 'dmarc', 'mx', 'dnsbl']);
    assert.equal(r.status, 'fail');
    assert.equal(row(r, 'rdns').status, 'fail');
    assert.match(row(r, 'rdns').summary, /203\.0\.113\.100 → mail\.dynatron\.example → \(not back to the IP\): iprev fail, the chain loops/);
    assert.equal(row(r, 'rdns').fix?.record, '100.113.0.203.in-addr.arpa. 3600 IN PTR <this server’s host name>.');
    assert.equal(row(r, 'helo').status, 'fail');
    assert.match(row(r, 'helo').summary, /"DYNA-WEB": not fully qualified; Postfix reject_non_fqdn_helo_hostname rejects "504 5\.5\.2 <DYNA-WEB>: Helo command rejected: need fully-qualified hostname"/);
    assert.match(row(r, 'helo').fix?.description ?? '', /HostName/);
    assert.equal(row(r, 'spf-from').status, 'pass');
    assert.equal(row(r, 'spf-helo').status, 'info');
    assert.equal(row(r, 'mx').status, 'warning', "po.dynatron.example's PTR is wrong");
    assert.equal(row(r, 'dnsbl').status, 'fail');
    assert.match(row(r, 'dnsbl').summary, /listed on bl\.example/);
    assert.match(r.answer[0], /^✗ Reverse DNS/);
    assert.ok(r.answer.some((a) => a.startsWith('✗ HELO name')));
    assert.ok(r.answer.some((a) => a.startsWith('! MX of dynatron.example')));
    // The sub-results are there in full for the tree and the report.
    assert.equal(r.results.rdns.fcrdns, 'fail');
    assert.equal(r.results.spf?.result, 'pass');
    // DKIM without a selector: the common ones tried, selector1 found through its CNAME (1024 bits: a warning).
    assert.equal(row(r, 'dkim').status, 'warning');
    assert.match(row(r, 'dkim').summary, /^selector1 \(CNAME → selector1\.keys\.dynatron\.example\): rsa, 1024 bits \(\d+ common selectors tried; DKIM selectors cannot be listed from DNS\)$/);
    assert.match(row(r, 'dkim').fix?.description ?? '', /2048-bit key/);
    assert.deepEqual(r.results.dkim.found, ['selector1']);
    assert.equal(row(r, 'dmarc').status, 'pass');
    assert.equal(row(r, 'dmarc').summary, 'p=reject from _dmarc.dynatron.example; adkim=r, aspf=r');
    assert.equal(r.results.dmarc.record, 'v=DMARC1; p=reject; rua=mailto:dmarc-reports@dynatron.example');
    // FCrDNS fails, so one requirement every provider of the table names is not met.
    const req = new Map(r.requirements.rows.map((x) => [x.id, x.status]));
    assert.equal(req.get('fcrdns'), 'fail');
    assert.equal(req.get('dmarc'), 'pass');
    assert.equal(req.get('alignment'), 'pass');
  });

  it('with the selector the server signs with: its key row passes (2048 bits), and a revoked selector fails', async () => {
    const r = await checkMailServer({ ip: '203.0.113.60', helo: 'web6.dynatron.example', fromDomain: 'dynatron.example', dkimSelector: 's2024' }, { resolver, dnsblZones: ['bl.example'] });
    assert.equal(row(r, 'dkim').title, 'DKIM key (s2024._domainkey.dynatron.example)');
    assert.equal(row(r, 'dkim').status, 'pass');
    assert.equal(row(r, 'dkim').summary, 's2024._domainkey.dynatron.example: rsa, 2048 bits');
    assert.deepEqual(r.alignment.dkim.selectors, ['s2024']);
    assert.equal(r.alignment.dkim.aligned, true);
    for (const id of ['spf-or-dkim', 'spf-and-dkim', 'dmarc', 'alignment', 'fcrdns']) assert.equal(r.requirements.rows.find((x) => x.id === id)?.status, 'pass', id);
    const old = await checkMailServer({ ip: '203.0.113.60', helo: 'web6.dynatron.example', fromDomain: 'dynatron.example', dkimSelector: 'old' }, { resolver, dnsblZones: ['bl.example'] });
    assert.equal(row(old, 'dkim').status, 'fail');
    assert.match(row(old, 'dkim').summary, /revoked/);
    assert.ok(row(old, 'dkim').findings.some((f) => f.code === 'dkim-key-revoked'));
    assert.equal(old.alignment.dkim.aligned, false);
  });

  it('a server done right passes (the MX warning is about another host)', async () => {
    const r = await checkMailServer({ ip: '203.0.113.60', helo: 'web6.dynatron.example', fromDomain: 'dynatron.example' }, { resolver, dnsblZones: ['bl.example'] });
    for (const id of ['rdns', 'helo', 'spf-from', 'spf-helo', 'dmarc', 'dnsbl']) assert.equal(row(r, id).status, 'pass', `${id}: ${row(r, id).summary}`);
    assert.equal(row(r, 'dkim').status, 'warning', 'selector1 is a 1024-bit key');
    assert.equal(row(r, 'mx').status, 'warning');
    assert.equal(r.status, 'warning');
  });

  it("sending as another domain (the seed's new.com): SPF fails, with the record to publish", async () => {
    const r = await checkMailServer({ ip: '203.0.113.60', helo: 'web6.dynatron.example', fromDomain: 'newco.example' }, { resolver, dnsblZones: ['bl.example'] });
    const spf = row(r, 'spf-from');
    assert.equal(spf.status, 'fail');
    assert.equal(spf.fix?.current, 'v=spf1 ip4:203.0.113.200 -all');
    assert.equal(spf.fix?.proposed, 'v=spf1 ip4:203.0.113.200 ip4:203.0.113.60 -all');
    assert.equal(spf.fix?.record, 'newco.example. 3600 IN TXT "v=spf1 ip4:203.0.113.200 ip4:203.0.113.60 -all"');
    assert.equal(row(r, 'mx').status, 'pass');
    assert.equal(row(r, 'rdns').status, 'pass', 'no PTR change is needed (the seed: "I don\'t need to change any PTR stuff")');
    // newco.example has no DMARC record: the record to publish, in the row and in the answer.
    const dmarc = row(r, 'dmarc');
    assert.equal(dmarc.status, 'fail');
    assert.equal(dmarc.fix?.record, '_dmarc.newco.example. 3600 IN TXT "v=DMARC1; p=none; rua=mailto:dmarc-reports@newco.example"');
    assert.ok(r.answer.some((a) => a.startsWith('✗ DMARC policy of newco.example') && a.includes(dmarc.fix?.record ?? '?')));
    assert.equal(row(r, 'dkim').status, 'warning');
    assert.match(row(r, 'dkim').fix?.description ?? '', /DKIM selectors cannot be listed from DNS/);
    assert.equal(r.requirements.rows.find((x) => x.id === 'dmarc')?.status, 'fail');
    assert.equal(r.requirements.rows.find((x) => x.id === 'spf-or-dkim')?.status, 'warning', 'SPF fails, DKIM unknown without the selector');
  });

  it('adds the SMTP probe row: the greeting name does not resolve to the server', async () => {
    const r = await checkMailServer(
      { ip: '203.0.113.244', helo: 'dynatron.example', fromDomain: 'dynatron.example', smtp: { host: '127.0.0.1', port: peer.port, ehloName: 'web6.dynatron.example' } },
      { resolver, dnsblZones: ['bl.example'], smtpTimeoutMs: 2000 },
    );
    const smtp = row(r, 'smtp');
    assert.equal(smtp.status, 'warning');
    assert.match(smtp.summary, /greeting 220 as dynatron\.example; EHLO 250 as dynatron\.example; STARTTLS not offered/);
    assert.ok(smtp.findings.some((f) => f.code === 'smtp-greeting-name-mismatch'));
    assert.equal(row(r, 'helo').fix?.proposed, 'po.dynatron.example');
  });

  it('maildns check: exit 1 on failure, 0 on warnings only, 2 on bad input', async () => {
    const run = async (args: string[]) => {
      let out = '';
      try {
        return { code: await checkCommand.run([...args, '--resolver', bind.server, '--zone', 'bl.example'], { out: (t) => (out += t), err: () => undefined }), out };
      } catch (e) {
        if (e instanceof UsageError) return { code: 2, out: e.message };
        throw e;
      }
    };
    const seed = await run(['203.0.113.100', '--helo', 'DYNA-WEB', '--from', 'dynatron.example', '--json']);
    assert.equal(seed.code, 1);
    const j = JSON.parse(seed.out);
    assert.equal(j.kind, 'mailcheck');
    for (const x of j.rows) for (const k of ['id', 'title', 'status', 'summary', 'findings']) assert.ok(k in x, k);
    // The DKIM and DMARC checks' own results, the alignment note and the requirements table, in the JSON.
    assert.equal(j.results.dkim.kind, 'dkim');
    assert.equal(j.results.dmarc.kind, 'dmarc');
    assert.equal(j.results.dmarc.policy.p, 'reject');
    assert.equal(j.alignment.fromDomain, 'dynatron.example');
    assert.equal(j.requirements.basis, 'published-rules');
    assert.deepEqual(j.requirements.sources.map((x: { name: string }) => x.name), ['Gmail', 'Yahoo', 'Outlook.com']);
    assert.equal(j.requirements.rows.find((x: { id: string }) => x.id === 'fcrdns').status, 'fail');
    const signed = await run(['203.0.113.60', '--helo', 'web6.dynatron.example', '--from', 'dynatron.example', '--dkim-selector', 's2024', '--json']);
    assert.equal(signed.code, 0);
    const js = JSON.parse(signed.out);
    assert.equal(js.dkimSelector, 's2024');
    assert.equal(js.rows.find((x: { id: string }) => x.id === 'dkim').status, 'pass');
    const badSelector = await run(['203.0.113.60', '--helo', 'web6.dynatron.example', '--from', 'dynatron.example', '--dkim-selector', 'a b']);
    assert.equal(badSelector.code, 2);
    assert.match(badSelector.out, /--dkim-selector/);
    const good = await run(['203.0.113.60', '--helo', 'web6.dynatron.example', '--from', 'dynatron.example']);
    assert.equal(good.code, 0);
    assert.match(good.out, /✓ HELO name\n {4}"web6\.dynatron\.example": resolves to 203\.0\.113\.60 and is its PTR name/);
    assert.match(good.out, /What to change:\n {2}! DKIM key \(common selectors of dynatron\.example\): Make a new 2048-bit key.*\n {2}! MX of dynatron\.example/);
    assert.match(good.out, /Sender requirements \(Gmail, Yahoo, Outlook\.com; wording as of [\d-]+\):\n {2}Published rules/);
    assert.match(good.out, /✓ A DMARC record \(p=none is enough\): yes/);
    const noHelo = await run(['203.0.113.60', '--from', 'dynatron.example']);
    assert.equal(noHelo.code, 2);
    assert.match(noHelo.out, /check needs --helo <name>/);
    const badFrom = await run(['203.0.113.60', '--helo', 'a.example', '--from', 'not a domain']);
    assert.equal(badFrom.code, 2);
    assert.match(badFrom.out, /--from: "not a domain" is not a valid domain name/);
  });
});

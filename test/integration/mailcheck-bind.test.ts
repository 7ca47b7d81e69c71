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
    assert.deepEqual(r.rows.map((x) => x.id), ['rdns', 'helo', 'spf-from', 'spf-helo', 'mx', 'dnsbl']);
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
  });

  it('a server done right passes (the MX warning is about another host)', async () => {
    const r = await checkMailServer({ ip: '203.0.113.60', helo: 'web6.dynatron.example', fromDomain: 'dynatron.example' }, { resolver, dnsblZones: ['bl.example'] });
    for (const id of ['rdns', 'helo', 'spf-from', 'spf-helo', 'dnsbl']) assert.equal(row(r, id).status, 'pass', `${id}: ${row(r, id).summary}`);
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
    const good = await run(['203.0.113.60', '--helo', 'web6.dynatron.example', '--from', 'dynatron.example']);
    assert.equal(good.code, 0);
    assert.match(good.out, /✓ HELO name\n {4}"web6\.dynatron\.example": resolves to 203\.0\.113\.60 and is its PTR name/);
    assert.match(good.out, /What to change:\n {2}! MX of dynatron\.example/);
    const noHelo = await run(['203.0.113.60', '--from', 'dynatron.example']);
    assert.equal(noHelo.code, 2);
    assert.match(noHelo.out, /check needs --helo <name>/);
    const badFrom = await run(['203.0.113.60', '--helo', 'a.example', '--from', 'not a domain']);
    assert.equal(badFrom.code, 2);
    assert.match(badFrom.out, /--from: "not a domain" is not a valid domain name/);
  });
});

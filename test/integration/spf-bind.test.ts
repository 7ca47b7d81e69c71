// SPF end to end against a real BIND serving test/fixtures/spf-zones (see CASES.md there).
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sendAsCommand } from '../../src/cli/commands/send-as';
import { spfCommand } from '../../src/cli/commands/spf';
import type { CliCommand } from '../../src/cli/shared';
import { createResolver } from '../../src/core/dns/resolver';
import type { Resolver } from '../../src/core/dns/types';
import { checkHost } from '../../src/core/spf/check';
import { sendAs } from '../../src/core/spf/sendas';
import type { SpfRecordNode, SpfResult, SpfTermNode } from '../../src/core/spf/types';
import { startBind, type BindServer } from '../harness/bind';
import { REPO_ROOT } from '../paths';

const ZONES = path.join(REPO_ROOT, 'test', 'fixtures', 'spf-zones');

function terms(node: SpfRecordNode): SpfTermNode[] {
  const out: SpfTermNode[] = [];
  for (const t of node.terms) {
    out.push(t);
    if (t.record) out.push(...terms(t.record));
  }
  return out;
}

async function run(cmd: CliCommand, args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await cmd.run(args, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

describe('SPF against BIND', () => {
  let bind: BindServer;
  let resolver: () => Resolver;
  let spf: (ip: string, domain: string, sender?: string) => Promise<SpfResult>;
  before(async () => {
    bind = await startBind({ zoneDir: ZONES });
    resolver = () => createResolver({ servers: [bind.server], timeoutMs: 2000 });
    spf = (ip, domain, sender) => checkHost({ ip, domain, ...(sender ? { sender } : {}), helo: 'mail.example.net' }, { resolver: resolver() });
  });
  after(() => bind.stop());

  it('follows an include chain down to the term that passes', async () => {
    const r = await spf('192.0.2.10', 'chain.example.com');
    assert.equal(r.result, 'pass');
    assert.deepEqual(
      r.decision.map((d) => `${d.domain}: ${d.text}`),
      ['chain.example.com: include:_a.chain.example.com', '_a.chain.example.com: include:_b.chain.example.com', '_b.chain.example.com: include:_c.chain.example.com', '_c.chain.example.com: ip4:192.0.2.10'],
    );
    assert.equal(r.lookups, 3);
    assert.equal(r.voidLookups, 0);
    const inc = r.tree.terms[0];
    assert.equal(inc.section, 'RFC 7208 §5.2');
    assert.equal(inc.link, 'https://www.rfc-editor.org/rfc/rfc7208#section-5.2');
    assert.equal(inc.queries[0].type, 'TXT');
    assert.equal(inc.queries[0].name, '_a.chain.example.com');
    assert.match(r.receivedSpf, /^Received-SPF: pass \(maildns: domain of postmaster@chain\.example\.com designates 192\.0\.2\.10 as permitted sender\) client-ip=192\.0\.2\.10;/);
  });

  it('turns fail, softfail and neutral below into "no match" above (RFC 7208 §5.2)', async () => {
    const r = await spf('192.0.2.99', 'chain.example.com');
    assert.equal(r.result, 'fail');
    assert.equal(r.explanationSource, 'default');
    const [a, b, c] = [r.tree.terms[0].record!, r.tree.terms[0].record!.terms[1].record!, r.tree.terms[0].record!.terms[1].record!.terms[0].record!];
    assert.deepEqual([a.result, b.result, c.result], ['softfail', 'neutral', 'fail']);
    assert.equal(r.tree.terms[0].outcome, 'no-match');
    assert.equal(r.tree.terms[1].outcome, 'match');
    assert.equal(r.tree.terms[1].decided, true);
  });

  it('follows a redirect, and only when no mechanism matched', async () => {
    const viaRedirect = await spf('192.0.2.20', 'redir.example.com');
    assert.equal(viaRedirect.result, 'pass');
    assert.equal(viaRedirect.tree.how, 'redirect');
    assert.equal(viaRedirect.tree.terms[1].record?.domain, '_spf.redir.example.com');
    const direct = await spf('198.51.100.7', 'redir.example.com');
    assert.equal(direct.result, 'pass');
    assert.equal(direct.tree.terms[1].outcome, 'not-evaluated');
    assert.equal((await spf('192.0.2.21', 'redir.example.com')).result, 'fail');
  });

  it('explains a fail with the exp= text, macros expanded', async () => {
    const r = await spf('192.0.2.99', 'explained.example.com');
    assert.equal(r.result, 'fail');
    assert.equal(r.explanation, "192.0.2.99 is not one of explained.example.com's designated mail servers.");
    assert.equal(r.explanationSource, 'exp');
    assert.equal(r.tree.terms[2].outcome, 'applied');
    assert.equal(r.tree.terms[2].target, 'why.explained.example.com');
  });

  it('expands macros for exists', async () => {
    const r = await spf('192.0.2.30', 'macro.example.com', 'alice-smith@macro.example.com');
    assert.equal(r.result, 'pass');
    assert.equal(r.tree.terms[0].target, '30.2.0.192.alice.u.macro.example.com');
    assert.deepEqual(r.tree.terms[0].queries.map((q) => `${q.type} ${q.name}`), ['A 30.2.0.192.alice.u.macro.example.com']);
    const other = await spf('192.0.2.31', 'macro.example.com', 'alice-smith@macro.example.com');
    assert.equal(other.result, 'fail');
    assert.equal(other.voidLookups, 1);
  });

  it('stops at the 11th DNS-querying term with permerror, and shows the rest for diagnosis', async () => {
    const r = await spf('192.0.2.41', 'eleven.example.com');
    assert.equal(r.result, 'permerror');
    assert.equal(r.lookups, 11);
    assert.deepEqual(r.limitExceeded, { kind: 'dns-terms', domain: 'eleven.example.com', term: 10, text: 'a:h11.limit.example.com' });
    assert.equal(r.resultWithoutLimits, 'pass');
    const t = r.tree.terms;
    assert.equal(t[10].limit, 'dns-terms');
    assert.equal(t[10].decided, true);
    assert.equal(t[10].outcome, 'error');
    assert.equal(t[9].diagnosticOnly, false);
    assert.equal(t[11].diagnosticOnly, true);
    assert.equal(t[11].outcome, 'match', 'the ip4 after the limit is shown as it would evaluate');
    assert.ok(r.findings.some((f) => f.code === 'spf-too-many-lookups' && f.start === t[10].start));
    // The two TXT strings were joined without a separator (RFC 7208 §3.3).
    assert.match(r.tree.record!, /a:h6\.limit\.example\.com a:h7\.limit/);
  });

  it('counts includes and their terms together: 10 passes, 11 is permerror inside the include', async () => {
    const ten = await spf('192.0.2.41', 'deep.example.com');
    assert.equal(ten.result, 'pass');
    assert.equal(ten.lookups, 10);
    const eleven = await spf('192.0.2.41', 'deeper.example.com');
    assert.equal(eleven.result, 'permerror');
    assert.equal(eleven.lookups, 11);
    assert.deepEqual(eleven.limitExceeded, { kind: 'dns-terms', domain: 'i4.deep.example.com', term: 1, text: 'a:h8.limit.example.com' });
    assert.equal(eleven.resultWithoutLimits, 'pass');
    assert.equal(eleven.tree.result, 'permerror');
    assert.equal(eleven.tree.resultWithoutLimits, 'pass');
    assert.deepEqual(
      eleven.decision.map((d) => d.text),
      ['include:i4.deep.example.com', 'a:h8.limit.example.com'],
    );
  });

  it('stops at the third void lookup', async () => {
    const r = await spf('192.0.2.50', 'voids.example.com');
    assert.equal(r.result, 'permerror');
    assert.equal(r.voidLookups, 3);
    assert.equal(r.limitExceeded?.kind, 'void-lookups');
    assert.equal(r.limitExceeded?.text, 'a:nx3.example.com');
    assert.equal(r.resultWithoutLimits, 'pass');
  });

  it('gives permerror for an mx with more than 10 MX records', async () => {
    const r = await spf('192.0.2.99', 'mxmany.example.com');
    assert.equal(r.result, 'permerror');
    assert.equal(r.limitExceeded?.kind, 'mx-records');
  });

  it('names an include loop as a loop', async () => {
    const r = await spf('192.0.2.99', 'loopa.example.com');
    assert.equal(r.result, 'permerror');
    const loop = r.findings.find((f) => f.code === 'spf-include-loop');
    assert.match(loop?.message ?? '', /loopa\.example\.com → loopb\.example\.com → loopa\.example\.com/);
    assert.ok(terms(r.tree).some((t) => t.loop?.join(' ') === 'loopa.example.com loopb.example.com loopa.example.com'));
    assert.match(r.reason, /loop/);
  });

  it('reads a TXT answer too big for UDP over TCP', async () => {
    const r = await spf('192.0.2.60', 'big.example.com');
    assert.equal(r.result, 'pass');
    assert.equal(r.tree.query?.transport, 'tcp');
    assert.ok(r.tree.record!.length > 1232);
    assert.ok(r.findings.some((f) => f.code === 'spf-record-large'));
  });

  describe("the seed's send-as case", () => {
    it('says the From domain must authorize the IP, in its own DNS, and gives the record', async () => {
      const r = await sendAs('203.0.113.60', 'example.org', { resolver: resolver() });
      assert.equal(r.authorized, false);
      assert.equal(r.spf.result, 'fail');
      assert.equal(r.rdns.fcrdns, 'pass');
      assert.deepEqual(r.rdns.ptr, ['mail.example.net']);
      assert.deepEqual(r.mx.hosts, [{ preference: 10, exchange: 'mail.example.org' }]);
      assert.equal(r.fix?.proposed, 'v=spf1 mx ip4:203.0.113.60 -all');
      assert.equal(r.fix?.record, 'example.org. 3600 IN TXT "v=spf1 mx ip4:203.0.113.60 -all"');
      assert.equal(r.fix?.zone, 'example.org');
      assert.equal(r.fix?.current, 'v=spf1 mx -all');
      assert.equal(r.fix?.withinLimit, true);
      assert.match(r.fix!.description, /in the DNS of example\.org .*not in example\.net's/);
      assert.ok(r.findings.some((f) => f.code === 'send-as-rdns-ok' && /PTR stays on example\.net/.test(f.message)));
      assert.ok(r.summary.some((l) => /Replies: to example\.org's MX \(mail\.example\.org\)/.test(l)));

      // Published, the proposed record authorizes the IP.
      const real = resolver();
      const patched: Resolver = {
        ...real,
        servers: () => real.servers(),
        dig: (n, t) => real.dig(n, t),
        query: (n, t, o) => real.query(n, t, o),
        lookup: async (n, t, o) => {
          const res = await real.lookup(n, t, o);
          if (n !== 'example.org' || t !== 'TXT') return res;
          const rec = { name: 'example.org', type: 'TXT' as const, ttl: 3600, data: [r.fix!.proposed!] };
          return { ...res, answers: [rec], records: [rec] };
        },
      };
      const after = await checkHost({ ip: '203.0.113.60', domain: 'example.org' }, { resolver: patched });
      assert.equal(after.result, 'pass');
    });

    it('says reverse DNS needs fixing when the PTR does not resolve back', async () => {
      const r = await sendAs('203.0.113.61', 'example.org', { resolver: resolver() });
      assert.equal(r.rdns.fcrdns, 'fail');
      assert.ok(r.findings.some((f) => f.code === 'send-as-rdns-broken'));
      assert.equal(r.fix?.proposed, 'v=spf1 mx ip4:203.0.113.61 -all');
    });

    it('proposes a new record for a domain without SPF, and puts the address before a redirect', async () => {
      const none = await sendAs('203.0.113.60', 'nospf.example.org', { resolver: resolver() });
      assert.equal(none.spf.result, 'none');
      assert.equal(none.fix?.proposed, 'v=spf1 mx ip4:203.0.113.60 ~all');
      assert.equal(none.fix?.current, undefined);
      const redir = await sendAs('203.0.113.60', 'redir.example.org', { resolver: resolver() });
      assert.equal(redir.fix?.proposed, 'v=spf1 ip4:203.0.113.60 redirect=_spf.example.org');
    });

    it('needs no fix for an IP the domain already authorizes', async () => {
      const r = await sendAs('203.0.113.200', 'example.org', { resolver: resolver() });
      assert.equal(r.authorized, true);
      assert.equal(r.fix, undefined);
    });
  });

  describe('maildns spf / send-as', () => {
    it('prints the tree and exits 0 on pass', async () => {
      const r = await run(spfCommand, ['192.0.2.10', 'chain.example.com', '--resolver', bind.server]);
      assert.equal(r.code, 0);
      assert.match(r.out, /PASS/);
      assert.match(r.out, /^ {3}1 {2}include:_a\.chain\.example\.com +match → pass +RFC 7208 §5\.2 +\[lookup 1\/10\] +◀ decided$/m);
      assert.match(r.out, /^ {8}_a\.chain\.example\.com {2}TXT "v=spf1 ip4:198\.51\.100\.0\/24 include:_b\.chain\.example\.com ~all" {2}→ pass$/m);
      assert.match(r.out, /§5\.2 +https:\/\/www\.rfc-editor\.org\/rfc\/rfc7208#section-5\.2/);
    });

    it('prints JSON with the result model and exits 1 on fail', async () => {
      const r = await run(spfCommand, ['192.0.2.99', 'postmaster@explained.example.com', '--resolver', bind.server, '--json']);
      assert.equal(r.code, 1);
      const j = JSON.parse(r.out) as SpfResult;
      for (const k of ['result', 'explanation', 'lookups', 'voidLookups', 'tree', 'findings', 'receivedSpf']) assert.ok(k in j, k);
      assert.equal(j.result, 'fail');
      assert.match(j.explanation, /designated mail servers/);
    });

    it('send-as exits 1 and prints the record to publish', async () => {
      const r = await run(sendAsCommand, ['203.0.113.60', 'example.org', '--resolver', bind.server]);
      assert.equal(r.code, 1);
      assert.match(r.out, /Publish this in the DNS of example\.org \(zone example\.org\):\n {2}example\.org\. 3600 IN TXT "v=spf1 mx ip4:203\.0\.113\.60 -all"/);
      const ok = await run(sendAsCommand, ['203.0.113.200', 'example.org', '--resolver', bind.server, '--json']);
      assert.equal(JSON.parse(ok.out).authorized, true);
    });
  });
});

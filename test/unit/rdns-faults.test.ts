// Every DNS fault ends as a temperror finding within the deadline, never as an exception or a hang.
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { createResolver } from '../../src/core/dns/resolver';
import { checkRdns, InputError } from '../../src/core/rdns/check';
import { startFaultDns, type Behaviour, type FaultDnsServer } from '../harness/fault-dns';

const TIMEOUT = 150;
const RETRIES = 1;

describe('rDNS check on DNS faults', () => {
  let dns: FaultDnsServer;
  before(async () => {
    dns = await startFaultDns({
      records: {
        '10.2.0.192.in-addr.arpa': { PTR: ['mail.example.com'] },
        'mail.example.com': { A: ['192.0.2.10'] },
        '11.2.0.192.in-addr.arpa': { PTR: ['flaky.example.com'] },
        '12.2.0.192.in-addr.arpa': { PTR: ['<script>alert(1)</script>.example.com'] },
        '13.2.0.192.in-addr.arpa': { PTR: ['198-51-100-13.example.net', '192.0.2.13'] },
      },
      behaviours: { 'flaky.example.com': { kind: 'rcode', rcode: 'SERVFAIL' } },
    });
  });
  after(() => dns.stop());

  const run = (ip: string, signal?: AbortSignal) =>
    checkRdns(ip, { resolver: createResolver({ servers: [dns.server], timeoutMs: TIMEOUT, retries: RETRIES }), signal });

  const faults: [string, Behaviour, string][] = [
    ['no reply', { kind: 'silent' }, 'dns-timeout'],
    ['wrong ID', { kind: 'wrong-id' }, 'dns-timeout'],
    ['wrong question', { kind: 'wrong-question' }, 'dns-timeout'],
    ['garbage', { kind: 'garbage' }, 'dns-timeout'],
    ['SERVFAIL', { kind: 'rcode', rcode: 'SERVFAIL' }, 'dns-servfail'],
    ['REFUSED', { kind: 'rcode', rcode: 'REFUSED' }, 'dns-refused'],
  ];
  for (const [what, behaviour, code] of faults) {
    it(`${what} on the PTR query → temperror, ${code}`, async () => {
      dns.setBehaviour('10.2.0.192.in-addr.arpa', behaviour);
      try {
        const started = Date.now();
        const r = await run('192.0.2.10');
        assert.equal(r.fcrdns, 'temperror');
        const f = r.findings.find((x) => x.code === code);
        assert.ok(f, `finding ${code} in ${r.findings.map((x) => x.code).join(',')}`);
        assert.match(f.message, /PTR query for 10\.2\.0\.192\.in-addr\.arpa/);
        assert.match(f.message, new RegExp(dns.server.replace(/\./g, '\\.')));
        assert.equal(r.postfix.reject_unknown_reverse_client_hostname, 'defer');
        assert.ok(Date.now() - started < TIMEOUT * (RETRIES + 1) + 2000);
      } finally {
        dns.setBehaviour('10.2.0.192.in-addr.arpa', null);
      }
    });
  }

  it('truncation is retried over TCP and the check passes', async () => {
    dns.setBehaviour('10.2.0.192.in-addr.arpa', { kind: 'truncate' });
    try {
      const r = await run('192.0.2.10');
      assert.equal(r.fcrdns, 'pass');
    } finally {
      dns.setBehaviour('10.2.0.192.in-addr.arpa', null);
    }
  });

  it('a failing forward lookup makes iprev temperror and defers in Postfix', async () => {
    const r = await run('192.0.2.11');
    assert.equal(r.fcrdns, 'temperror');
    assert.equal(r.postfix.reject_unknown_reverse_client_hostname, 'accept');
    assert.equal(r.postfix.reject_unknown_client_hostname, 'defer');
    assert.ok(r.findings.some((f) => f.code === 'dns-servfail' && /flaky\.example\.com/.test(f.message)));
  });

  it('keeps hostile PTR data as data', async () => {
    const r = await run('192.0.2.12');
    assert.equal(r.ptr[0], '<script>alert(1)</script>.example.com');
    assert.ok(r.findings.some((f) => f.code === 'ptr-invalid-name'));
    assert.equal(r.postfix.reject_unknown_reverse_client_hostname, 'reject');
  });

  it('flags numeric and generic PTR names', async () => {
    const r = await run('192.0.2.13');
    const c = r.findings.map((f) => f.code);
    assert.ok(c.includes('ptr-numeric'), c.join(','));
    assert.ok(c.includes('ptr-multiple'));
  });

  it('rejects bad input with an InputError naming it, and honours abort', async () => {
    await assert.rejects(run('300.1.1.1'), (e: Error) => e instanceof InputError && /300 is larger than 255/.test(e.message));
    dns.setBehaviour('10.2.0.192.in-addr.arpa', { kind: 'silent' });
    try {
      const controller = new AbortController();
      const p = run('192.0.2.10', controller.signal);
      await dns.waitForQueries(dns.queries.length + 1);
      controller.abort();
      await assert.rejects(p, (e: Error) => e.name === 'AbortError');
    } finally {
      dns.setBehaviour('10.2.0.192.in-addr.arpa', null);
    }
  });
});

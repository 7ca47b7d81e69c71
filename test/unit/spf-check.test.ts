// check_host() against the scripted fault DNS server: limits, DNS trouble, deadlines, prefetching.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { createResolver } from '../../src/core/dns/resolver';
import { checkHost, spfIdentity, type SpfOptions } from '../../src/core/spf/check';
import { receivedSpfHeader } from '../../src/core/spf/received';
import { startFaultDns, type Behaviour, type RecordMap } from '../harness/fault-dns';

async function withDns<T>(records: RecordMap, behaviours: Record<string, Behaviour>, fn: (server: Awaited<ReturnType<typeof startFaultDns>>) => Promise<T>): Promise<T> {
  const dns = await startFaultDns({ records, behaviours });
  try {
    return await fn(dns);
  } finally {
    await dns.stop();
  }
}

function opts(server: string, extra: Partial<SpfOptions> = {}): SpfOptions {
  return { resolver: createResolver({ servers: [server], timeoutMs: 1000, retries: 0 }), ...extra };
}

describe('check_host() with DNS trouble', () => {
  it('gives temperror when an a: lookup fails, and names the query', async () => {
    await withDns({ 'example.com': { TXT: ['v=spf1 a:broken.example.com -all'] } }, { 'broken.example.com': { kind: 'rcode', rcode: 'SERVFAIL' } }, async (dns) => {
      const r = await checkHost({ ip: '192.0.2.1', domain: 'example.com' }, opts(dns.server));
      assert.equal(r.result, 'temperror');
      const f = r.findings.find((x) => x.code === 'spf-dns-error');
      assert.match(f?.message ?? '', /A lookup for broken\.example\.com failed/);
      assert.equal(f?.start, 7);
      assert.match(r.receivedSpf, /^Received-SPF: temperror /);
    });
  });

  it('lets a failed PTR lookup make ptr not match, instead of temperror (RFC 7208 §5.5)', async () => {
    await withDns({ 'example.com': { TXT: ['v=spf1 ptr ?all'] } }, { '1.2.0.192.in-addr.arpa': { kind: 'rcode', rcode: 'SERVFAIL' } }, async (dns) => {
      const r = await checkHost({ ip: '192.0.2.1', domain: 'example.com' }, opts(dns.server));
      assert.equal(r.result, 'neutral');
      assert.equal(r.tree.terms[0].outcome, 'no-match');
    });
  });

  it('gives temperror at the overall deadline, with the tree so far', async () => {
    await withDns({ 'example.com': { TXT: ['v=spf1 include:slow.example.com -all'] } }, { 'slow.example.com': { kind: 'silent' } }, async (dns) => {
      const r = await checkHost({ ip: '192.0.2.1', domain: 'example.com' }, opts(dns.server, { deadlineMs: 150 }));
      assert.equal(r.result, 'temperror');
      assert.ok(r.findings.some((f) => f.code === 'spf-deadline'));
      assert.equal(r.tree.record, 'v=spf1 include:slow.example.com -all');
      assert.equal(r.tree.terms[0].target, 'slow.example.com');
    });
  });

  it("rejects with AbortError when the caller's signal aborts", async () => {
    await withDns({ 'example.com': { TXT: ['v=spf1 include:slow.example.com -all'] } }, { 'slow.example.com': { kind: 'silent' } }, async (dns) => {
      const controller = new AbortController();
      const p = checkHost({ ip: '192.0.2.1', domain: 'example.com' }, opts(dns.server, { signal: controller.signal }));
      await dns.waitForQueries(2);
      controller.abort();
      await assert.rejects(p, (e: Error) => e.name === 'AbortError');
    });
  });

  it('ignores an exp= whose TXT lookup fails and says so', async () => {
    await withDns({ 'example.com': { TXT: ['v=spf1 -all exp=why.example.com'] } }, { 'why.example.com': { kind: 'rcode', rcode: 'SERVFAIL' } }, async (dns) => {
      const r = await checkHost({ ip: '192.0.2.1', domain: 'example.com' }, opts(dns.server));
      assert.equal(r.result, 'fail');
      assert.equal(r.explanationSource, 'default');
      assert.equal(r.explanation, 'example.com does not designate 192.0.2.1 as a permitted sender');
      assert.ok(r.findings.some((f) => f.code === 'spf-exp-ignored'));
    });
  });
});

describe('check_host() records and identities', () => {
  const records: RecordMap = {
    'two.example.com': { TXT: ['v=spf1 -all', 'v=spf1 +all', 'google-site-verification=x'] },
    'inc.example.com': { TXT: ['v=spf1 include:nothing.example.com -all'] },
    'helo.example.net': { TXT: ['v=spf1 a -all'], A: ['192.0.2.5'] },
    'v4.example.com': { TXT: ['v=spf1 ip4:192.0.2.0/24 -all'] },
  };

  it('is permerror with several SPF records, and lists them', async () => {
    await withDns(records, {}, async (dns) => {
      const r = await checkHost({ ip: '192.0.2.1', domain: 'two.example.com' }, opts(dns.server));
      assert.equal(r.result, 'permerror');
      assert.deepEqual(r.tree.candidates, ['v=spf1 -all', 'v=spf1 +all']);
      assert.equal(r.tree.otherTxt, 1);
      assert.ok(r.findings.some((f) => f.code === 'spf-multiple-records'));
    });
  });

  it('is permerror for an include of a domain without SPF', async () => {
    await withDns(records, {}, async (dns) => {
      const r = await checkHost({ ip: '192.0.2.1', domain: 'inc.example.com' }, opts(dns.server));
      assert.equal(r.result, 'permerror');
      assert.ok(r.findings.some((f) => f.code === 'spf-include-none'));
      assert.match(r.reason, /include:nothing\.example\.com/);
      assert.equal(r.voidLookups, 1);
    });
  });

  it('is none for a malformed domain, without any DNS query', async () => {
    await withDns(records, {}, async (dns) => {
      for (const d of ['localhost', '[192.0.2.1]', 'a..example.com', `${'x'.repeat(64)}.example.com`, '192.0.2.1']) {
        const r = await checkHost({ ip: '192.0.2.1', domain: d }, opts(dns.server));
        assert.equal(r.result, 'none', d);
        assert.ok(r.findings.some((f) => f.code === 'spf-domain-invalid'), d);
      }
      assert.equal(dns.queries.length, 0);
    });
  });

  it('checks the HELO identity and the null sender as postmaster@helo (RFC 7208 §2.3, §2.4)', async () => {
    assert.deepEqual(spfIdentity('', 'helo.example.net'), { domain: 'helo.example.net', sender: 'postmaster@helo.example.net', identity: 'mailfrom', envelopeFrom: '' });
    assert.deepEqual(spfIdentity('<>', 'helo.example.net').sender, 'postmaster@helo.example.net');
    assert.deepEqual(spfIdentity('Bob@Example.org', 'x').domain, 'Example.org');
    await withDns(records, {}, async (dns) => {
      const r = await checkHost({ ip: '192.0.2.5', domain: 'helo.example.net', sender: 'postmaster@helo.example.net', helo: 'helo.example.net', identity: 'helo' }, opts(dns.server));
      assert.equal(r.result, 'pass');
      assert.equal(r.authResults, 'spf=pass smtp.helo=helo.example.net');
      assert.match(r.receivedSpf, /identity=helo;/);
    });
  });

  it('evaluates an IPv4-mapped IPv6 address as IPv4 (RFC 7208 §5)', async () => {
    await withDns(records, {}, async (dns) => {
      const r = await checkHost({ ip: '::ffff:192.0.2.9', domain: 'v4.example.com' }, opts(dns.server));
      assert.equal(r.result, 'pass');
      assert.equal(r.evaluatedIp, '192.0.2.9');
      assert.equal(r.family, 6);
    });
  });

  it('returns plain data: JSON round-trips unchanged', async () => {
    await withDns(records, {}, async (dns) => {
      const r = await checkHost({ ip: '192.0.2.1', domain: 'inc.example.com' }, opts(dns.server));
      assert.deepEqual(JSON.parse(JSON.stringify(r)), r);
    });
  });

  it('throws InputError for an IP that is not one', async () => {
    await assert.rejects(checkHost({ ip: '999.1.1.1', domain: 'example.com' }, { resolver: createResolver({ servers: ['127.0.0.1:9'] }) }), (e: Error) => e.name === 'InputError');
  });
});

describe('check_host() limits', () => {
  const hosts: RecordMap = {};
  for (let n = 1; n <= 12; n++) hosts[`h${n}.example.com`] = { A: [`198.51.100.${n}`] };

  it('counts 10 DNS terms across includes; the 11th is permerror, the rest diagnostic only', async () => {
    const records: RecordMap = {
      ...hosts,
      'top.example.com': { TXT: ['v=spf1 include:i1.example.com include:i2.example.com ip4:192.0.2.1 -all'] },
      'i1.example.com': { TXT: ['v=spf1 a:h1.example.com a:h2.example.com a:h3.example.com a:h4.example.com ?all'] },
      'i2.example.com': { TXT: ['v=spf1 a:h5.example.com a:h6.example.com a:h7.example.com a:h8.example.com a:h9.example.com ?all'] },
    };
    await withDns(records, {}, async (dns) => {
      const r = await checkHost({ ip: '192.0.2.1', domain: 'top.example.com' }, opts(dns.server));
      assert.equal(r.result, 'permerror');
      assert.equal(r.lookups, 11);
      assert.equal(r.totalLookups, 11);
      assert.deepEqual(r.limitExceeded, { kind: 'dns-terms', domain: 'i2.example.com', term: 4, text: 'a:h9.example.com' });
      assert.equal(r.resultWithoutLimits, 'pass');
      const i2 = r.tree.terms[1];
      assert.equal(i2.outcome, 'error');
      assert.equal(i2.decided, true);
      assert.equal(i2.record?.result, 'permerror');
      assert.equal(i2.record?.resultWithoutLimits, 'neutral');
      assert.equal(r.tree.terms[2].diagnosticOnly, true);
      assert.equal(r.tree.terms[2].outcome, 'match');
      assert.ok(r.findings.some((f) => f.code === 'spf-lookup-total'));
    });
  });

  it('warns at 9 and 10 lookups', async () => {
    const text = `v=spf1 ${Array.from({ length: 9 }, (_, i) => `a:h${i + 1}.example.com`).join(' ')} -all`;
    await withDns({ ...hosts, 'nine.example.com': { TXT: [text] } }, {}, async (dns) => {
      const r = await checkHost({ ip: '192.0.2.1', domain: 'nine.example.com' }, opts(dns.server));
      assert.equal(r.result, 'fail');
      assert.equal(r.lookups, 9);
      assert.ok(r.findings.some((f) => f.code === 'spf-lookups-near-limit'));
    });
  });

  it('considers only the first 10 PTR names', async () => {
    const ptr = Array.from({ length: 11 }, (_, i) => `n${i}.example.com`);
    const records: RecordMap = { 'p.example.com': { TXT: ['v=spf1 ptr:n10.example.com -all'] }, '1.2.0.192.in-addr.arpa': { PTR: ptr }, 'n10.example.com': { A: ['192.0.2.1'] } };
    await withDns(records, {}, async (dns) => {
      const r = await checkHost({ ip: '192.0.2.1', domain: 'p.example.com' }, opts(dns.server));
      assert.equal(r.result, 'fail');
      assert.ok(r.findings.some((f) => f.code === 'spf-ptr-truncated'));
    });
  });
});

describe('check_host() prefetching', () => {
  const records: RecordMap = {
    'top.example.com': { TXT: ['v=spf1 include:a.example.com include:b.example.com mx:m.example.com -all'] },
    'b.example.com': { TXT: ['v=spf1 ip4:192.0.2.1 -all'] },
    'm.example.com': { MX: [{ preference: 10, exchange: 'mx.example.com' }] },
  };

  it('asks for independent lookups at once, before the strict walk reaches them', async () => {
    await withDns(records, { 'a.example.com': { kind: 'silent' } }, async (dns) => {
      const controller = new AbortController();
      const p = checkHost({ ip: '192.0.2.1', domain: 'top.example.com' }, opts(dns.server, { signal: controller.signal }));
      // The walk is stuck on a.example.com (never answers); b's TXT and m's MX are asked anyway.
      await dns.waitForQueries(4);
      const asked = dns.queries.map((q) => `${q.name} ${q.type}`);
      assert.ok(asked.includes('b.example.com TXT'));
      assert.ok(asked.includes('m.example.com MX'));
      controller.abort();
      await assert.rejects(p, (e: Error) => e.name === 'AbortError');
    });
  });

  it('asks nothing ahead when prefetching is off', async () => {
    await withDns(records, { 'a.example.com': { kind: 'silent' } }, async (dns) => {
      const controller = new AbortController();
      const p = checkHost({ ip: '192.0.2.1', domain: 'top.example.com' }, opts(dns.server, { signal: controller.signal, prefetch: false }));
      await dns.waitForQueries(2);
      assert.deepEqual(dns.queries.map((q) => `${q.name} ${q.type}`), ['top.example.com TXT', 'a.example.com TXT']);
      controller.abort();
      await assert.rejects(p, (e: Error) => e.name === 'AbortError');
    });
  });
});

describe('Received-SPF (RFC 7208 §9.1)', () => {
  it('writes the header with the RFC wording and quoted values', () => {
    assert.equal(
      receivedSpfHeader({ result: 'pass', ip: '192.0.2.1', sender: 'myname@example.com', envelopeFrom: 'myname@example.com', helo: 'foo.example.com', identity: 'mailfrom', receiver: 'mybox.example.org', mechanism: 'ip4:192.0.2.0/24' }),
      'Received-SPF: pass (mybox.example.org: domain of myname@example.com designates 192.0.2.1 as permitted sender) receiver=mybox.example.org; client-ip=192.0.2.1; envelope-from="myname@example.com"; helo=foo.example.com; identity=mailfrom; mechanism="ip4:192.0.2.0/24";',
    );
  });
});

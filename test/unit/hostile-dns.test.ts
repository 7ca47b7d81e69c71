// The checks against hostile DNS servers (test/harness/fault-dns.ts), item by item of issue 9:
// #5 a resolver whose UDP connect() fails, #10 budgets checked before each query (MX hosts ×
// addresses, the rDNS walk's lookups, every query of a check), #11 records whose RDATA does not
// fit their type. Work is counted (queries the server saw, lookups the check made), never timed.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../../src/cli/main';
import { createBudget, LIMITS, withBudget } from '../../src/core/dns/budget';
import { createResolver } from '../../src/core/dns/resolver';
import { udpExchange } from '../../src/core/dns/transport';
import { checkHelo } from '../../src/core/helo/check';
import { heloToText } from '../../src/core/helo/text';
import { checkMailServer } from '../../src/core/mailcheck/check';
import { checkMx } from '../../src/core/mx/check';
import { mxToText } from '../../src/core/mx/text';
import { checkRdns } from '../../src/core/rdns/check';
import { startFaultDns, type FaultDnsServer } from '../harness/fault-dns';
import { REPO_ROOT } from '../paths';

async function cli(args: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(args, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

/** Questions the server was asked: each starts over UDP (a TCP retry after TC=1 is the same question). */
const questions = (dns: FaultDnsServer, from = 0) => dns.queries.slice(from).filter((q) => q.transport === 'udp').length;

describe('issue 9 #5: a resolver whose UDP connect() fails', () => {
  // connect() to the broadcast address fails in the kernel (EACCES without SO_BROADCAST): no packet
  // leaves the machine. Before, send() went out on the unconnected socket and threw in a callback.
  it('the exchange rejects with a TransportError instead of throwing from a callback', async () => {
    await assert.rejects(udpExchange({ host: '255.255.255.255', port: 53 }, Buffer.alloc(12), 0, 'example.org', 'A', 2000), (e: Error) => e.name === 'TransportError' && /UDP 255\.255\.255\.255:53/.test(e.message));
  });
  it('the query is UNREACHABLE, a finding, and the CLI exits 2 without a stack trace', async () => {
    const r = await createResolver({ servers: ['255.255.255.255'], timeoutMs: 2000, retries: 0 }).query('example.org', 'A');
    assert.equal(r.rcode, 'UNREACHABLE');
    const run = await cli(['rdns', '192.0.2.1', '--resolver', '255.255.255.255', '--timeout', '2000', '--json']);
    assert.equal(run.code, 2);
    assert.equal(JSON.parse(run.out).fcrdns, 'temperror');
    assert.ok(JSON.parse(run.out).findings.some((f: { code: string }) => f.code === 'dns-unreachable'));
  });
  it('the built CLI as a process: exit 2, one result, nothing on stderr', { timeout: 20_000 }, async () => {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'dist', 'cli.js'), 'rdns', '192.0.2.1', '--resolver', '255.255.255.255', '--timeout', '2000'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.stderr.on('data', (d: Buffer) => (err += d));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(err, '');
    assert.equal(code, 2);
    assert.match(out, /temperror/);
  });
});

describe('issue 9 #10: budgets, checked before each query', () => {
  let flood: FaultDnsServer;
  let big: FaultDnsServer;
  before(async () => {
    flood = await startFaultDns({ behaviours: { '*': { kind: 'flood' } } });
    // 10 MX hosts, each answering with some 4,000 addresses; everything else NXDOMAIN.
    const mx = Array.from({ length: 10 }, (_, i) => ({ preference: i, exchange: `mx${i}.big.example` }));
    big = await startFaultDns({
      records: { 'big.example': { MX: mx } },
      behaviours: Object.fromEntries(mx.map((m) => [m.exchange, { kind: 'flood' as const }])),
    });
  });
  after(async () => {
    await flood.stop();
    await big.stop();
  });

  it('a query budget lets exactly its limit through, and answers the rest BUDGET without asking', async () => {
    const budget = createBudget('test check', 3);
    const res = withBudget(createResolver({ servers: [big.server], timeoutMs: 2000 }), budget);
    const from = big.queries.length;
    const rcodes = [];
    for (const n of ['a', 'b', 'c', 'd', 'e']) rcodes.push((await res.query(`${n}.nowhere.example`, 'A')).rcode);
    assert.deepEqual(rcodes, ['NXDOMAIN', 'NXDOMAIN', 'NXDOMAIN', 'BUDGET', 'BUDGET']);
    assert.equal(questions(big, from), 3);
    assert.deepEqual([budget.used, budget.refused], [3, 2]);
  });

  it('10 MX hosts × 4,000 addresses: hosts, addresses and queries within their budgets, each named in a finding', { timeout: 60_000 }, async () => {
    const from = big.queries.length;
    const r = await checkMx('big.example', { resolver: createResolver({ servers: [big.server], timeoutMs: 3000 }) });
    const asked = questions(big, from);
    // Before: every address of every host got an rDNS check (26,284 queries for this zone).
    assert.ok(asked <= LIMITS.mxQueries, `${asked} queries`);
    const checked = r.hosts.flatMap((h) => h.addresses).filter((a) => !a.rdnsSkipped);
    assert.ok(new Set(checked.map((a) => a.ip)).size <= LIMITS.mxRdnsAddresses);
    assert.ok(r.hosts.every((h) => h.addresses.length <= LIMITS.mxAddressesPerHost && (h.addressesOmitted ?? 0) > 3000));
    // Every host's first address is checked before any host's second.
    assert.ok(r.hosts.every((h) => !h.addresses[0].rdnsSkipped));
    const codes = r.findings.map((f) => f.code);
    assert.ok(codes.includes('mx-rdns-budget') && codes.includes('mx-address-budget'), codes.join(','));
    assert.match(r.findings.find((f) => f.code === 'mx-rdns-budget')!.message, /at most 20 addresses over all hosts \(its budget of MX hosts × addresses\)/);
    assert.ok(JSON.stringify(r).length < 200_000, `${JSON.stringify(r).length} bytes`);
    assert.ok(mxToText(r).length < 50_000);
  });

  it("the rDNS walk's lookup budget is checked before each lookup, not between levels", { timeout: 60_000 }, async () => {
    const res = createResolver({ servers: [flood.server], timeoutMs: 3000 });
    // PTR → 10 names (20 lookups) → 100 addresses: before, the whole third level (100 PTR lookups) went out.
    const r = await checkRdns('198.51.100.7', { resolver: res, maxLookups: 64 });
    assert.ok(r.chain.length <= 64, `${r.chain.length} lookups`);
    assert.ok(r.findings.some((f) => f.code === 'chain-lookup-budget'));
    // Thousands of answers per lookup are counted, not carried.
    assert.ok(r.chain.every((s) => s.answers.length <= LIMITS.rdnsAnswersPerStep));
    assert.ok((r.chain[0].answersOmitted ?? 0) > 3000, String(r.chain[0].answersOmitted));
  });

  it('a PTR name the lookup budget left unlooked makes iprev undecided, not fail', { timeout: 30_000 }, async () => {
    const r = await checkRdns('198.51.100.7', { resolver: createResolver({ servers: [flood.server], timeoutMs: 3000 }), maxLookups: 5 });
    assert.equal(r.chain.length, 5); // the PTR, and A + AAAA of two names
    assert.equal(r.fcrdns, 'temperror');
    const f = r.findings.find((x) => x.code === 'chain-lookup-budget');
    assert.equal(f?.severity, 'warning');
    assert.match(f?.message ?? '', /PTR names receivers would check/);
  });

  it("the rDNS check's query budget bounds CNAME chasing too", { timeout: 30_000 }, async () => {
    const chain = await startFaultDns({ behaviours: { '*': { kind: 'cname-chain' } } });
    try {
      const from = chain.queries.length;
      const r = await checkRdns('198.51.100.7', { resolver: createResolver({ servers: [chain.server], timeoutMs: 2000 }), maxQueries: 4 });
      assert.ok(questions(chain, from) <= 4);
      assert.equal(r.fcrdns, 'temperror');
      assert.match(r.findings.find((f) => f.code === 'dns-query-budget')?.message ?? '', /The rDNS check stopped asking DNS after 4 queries/);
    } finally {
      await chain.stop();
    }
  });

  it("the combined check's query budget: a finding and a line in the answer", { timeout: 30_000 }, async () => {
    const r = await checkMailServer({ ip: '198.51.100.7', helo: 'mail.example.org', fromDomain: 'example.org' }, { resolver: createResolver({ servers: [big.server], timeoutMs: 2000 }), dnsblZones: ['bl.example.org'], maxQueries: 5 });
    assert.equal(r.findings[0]?.code, 'dns-query-budget');
    assert.ok(r.answer.some((l) => /The combined check stopped asking DNS after 5 queries/.test(l)));
    assert.ok(r.rows.some((x) => !x.decided));
  });
});

describe('issue 9 #11: records whose RDATA does not fit their type', () => {
  let dns: FaultDnsServer;
  before(async () => {
    dns = await startFaultDns({
      records: { 'example.org': { MX: [{ preference: 10, exchange: 'mx.example.org' }] } },
      behaviours: { 'mx.example.org': { kind: 'bad-rdata' }, 'mail.example.org': { kind: 'bad-rdata' } },
    });
  });
  after(() => dns.stop());
  const resolver = () => createResolver({ servers: [dns.server], timeoutMs: 500, retries: 0 });

  it('the MX host\'s A record of 3 octets: DNS trouble (BADREPLY), never an address "192.0.2.undefined" nor the user\'s fault', async () => {
    const r = await checkMx('example.org', { resolver: resolver() });
    assert.doesNotMatch(JSON.stringify(r), /undefined/);
    assert.equal(r.hosts[0].addresses.length, 0);
    const f = r.findings.find((x) => x.code === 'dns-badreply');
    assert.match(f?.message ?? '', /The A query for the MX host mx\.example\.org failed: .*malformed reply: answer 1 \(A record for mx\.example\.org\): RDATA is 3 octets; an A record holds 4/);
    const run = await cli(['mx', 'example.org', '--resolver', dns.server, '--timeout', '500']);
    assert.equal(run.code, 2);
    assert.doesNotMatch(run.out, /undefined/);
  });

  it('helo no longer says "resolves: yes (192.0.2.undefined)"', async () => {
    const r = await checkHelo('mail.example.org', { resolver: resolver(), spf: false });
    assert.equal(r.resolves, null);
    assert.deepEqual(r.addresses, []);
    const text = heloToText(r);
    assert.doesNotMatch(text, /undefined|resolves: yes/);
    assert.ok(r.findings.some((f) => f.code === 'dns-badreply'));
  });
});

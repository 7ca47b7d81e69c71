// `maildns audit` and auditRange against a real BIND serving generated reverse zones (pass, generic,
// NXDOMAIN, mismatch, and an RFC 2317 classless delegation inside the range), against a scripted
// server for SERVFAILing and timing-out names, and offline against the same zone files.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../../src/cli/main';
import { auditRange, type AuditRow } from '../../src/core/audit/audit';
import { parseRange, rangeAddresses } from '../../src/core/audit/range';
import { createResolver } from '../../src/core/dns/resolver';
import { startBind, type BindServer } from '../harness/bind';
import { type AuditZones, writeAuditZones } from '../harness/audit-zones';
import { startFaultDns, type FaultDnsServer } from '../harness/fault-dns';
import { REPO_ROOT } from '../paths';

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

function block(cidr: string) {
  const r = parseRange(cidr);
  assert.ok(r.ok);
  return rangeAddresses(r.range);
}

const EXPECTED = {
  pass: { iprev: 'pass', finding: 'fcrdns-pass' },
  generic: { iprev: 'pass', finding: 'ptr-generic' },
  nxdomain: { iprev: 'permerror', finding: 'ptr-missing' },
  mismatch: { iprev: 'fail', finding: 'ptr-name-mismatch' },
} as const;

describe('audit against BIND with generated reverse zones', () => {
  let bind: BindServer;
  let dir: string;
  let gen: AuditZones;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'maildns-audit-'));
    gen = writeAuditZones(dir, { prefix: '10.20', thirds: [0, 1], classless: true });
    bind = await startBind({ zoneDir: dir });
  });
  after(async () => {
    await bind.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('gives every address of a /23 spanning a classless delegation its verdict, with the cache bounded', async () => {
    const resolver = createResolver({ servers: [bind.server], udpSockets: 2, maxCacheEntries: 64, timeoutMs: 3000 });
    const rows = new Map<string, AuditRow>();
    let peakCache = 0;
    for await (const row of auditRange(block('10.20.0.0/23'), { resolver, concurrency: 48 })) {
      rows.set(row.ip, row);
      peakCache = Math.max(peakCache, resolver.stats().cacheEntries);
    }
    assert.equal(rows.size, 512);
    for (const [ip, kind] of gen.kinds) {
      const row = rows.get(ip)!;
      const host = Number(ip.split('.')[3]);
      const delegated = ip.startsWith('10.20.0.') && host >= 64 && host < 128;
      assert.equal(row.iprev, EXPECTED[kind].iprev, `${ip} (${kind})`);
      // Through the delegation the PTR step also says where the record lives (ptr-via-cname, info).
      if (delegated && kind === 'pass') assert.equal(row.finding.code, 'ptr-via-cname', ip);
      else if (delegated && kind === 'nxdomain') assert.equal(row.finding.code, 'ptr-missing', ip);
      else assert.equal(row.finding.code, EXPECTED[kind].finding, `${ip} (${kind})`);
      if (delegated && kind !== 'nxdomain') assert.ok(row.codes.includes('ptr-via-cname'), ip);
      assert.equal(Boolean(row.generic), kind === 'generic', ip);
      if (kind === 'pass' || kind === 'generic') assert.equal(row.confirmed, row.ptr[0]);
    }
    // Memory stays flat by count: 512 addresses, 800+ answers, never more than 64 cached.
    const s = resolver.stats();
    assert.ok(peakCache <= 64, `peak ${peakCache}`);
    assert.ok(s.stored > 800 && s.evicted >= s.stored - 64, `stored ${s.stored}, evicted ${s.evicted}`);
    assert.equal(s.pending, 0);
    assert.equal(s.inflight, 0);
    assert.ok(s.sockets <= 2);
    resolver.close();
  });

  it('maildns audit --csv streams a header and one row an address, the summary on stderr', async () => {
    const r = await cli(['audit', '10.20.1.0/24', '--resolver', bind.server, '--csv', '--rate', '0', '--concurrency', '64']);
    assert.equal(r.code, 1);
    const lines = r.out.trim().split('\n');
    assert.equal(lines[0], 'ip,iprev,ptr,confirmed,generic,rcode,finding,severity,message');
    assert.equal(lines.length, 257);
    const ips = new Set(lines.slice(1).map((l) => l.split(',')[0]));
    assert.equal(ips.size, 256);
    const counts = { pass: 0, fail: 0, permerror: 0 };
    for (const [ip, kind] of gen.kinds) if (ip.startsWith('10.20.1.')) counts[EXPECTED[kind].iprev]++;
    assert.match(r.err, new RegExp(`iprev: ${counts.pass} pass, ${counts.fail} fail, ${counts.permerror} permerror, 0 temperror`));
    assert.match(r.err, /worst finding: \d+ \S+/);
  });

  it('--resume skips the addresses of a partial --json output, a row cut short included again', async () => {
    const first = await cli(['audit', '10.20.1.0/26', '--resolver', bind.server, '--json', '--rate', '0']);
    const rows = first.out.trim().split('\n');
    assert.equal(rows.length, 64);
    const partial = path.join(dir, 'partial.ndjson');
    // 20 whole rows, then half of the 21st: the interruption.
    fs.writeFileSync(partial, rows.slice(0, 20).join('\n') + '\n' + rows[20].slice(0, 15));
    const second = await cli(['audit', '10.20.1.0/26', '--resolver', bind.server, '--json', '--rate', '0', '--resume', partial]);
    const again = second.out.trim().split('\n').map((l) => (JSON.parse(l) as AuditRow).ip);
    assert.equal(again.length, 44);
    const before = new Set(rows.slice(0, 20).map((l) => (JSON.parse(l) as AuditRow).ip));
    assert.ok(again.every((ip) => !before.has(ip)));
    assert.ok(again.includes((JSON.parse(rows[20]) as AuditRow).ip));
    assert.match(second.err, /resuming: 20 addresses/);
  });

  it('audits a file of addresses, skipping lines that are not addresses', async () => {
    const list = path.join(dir, 'ips.txt');
    fs.writeFileSync(list, '# our mail servers\n10.20.1.10\n10.20.1.11  # second\n\nnot-an-ip\n10.20.0.70\n');
    const r = await cli(['audit', list, '--resolver', bind.server, '--json']);
    const ips = r.out.trim().split('\n').map((l) => (JSON.parse(l) as AuditRow).ip).sort();
    assert.deepEqual(ips, ['10.20.0.70', '10.20.1.10', '10.20.1.11']);
    assert.match(r.err, /skipped "not-an-ip"/);
  });

  it('offline (--zones) gives the same verdicts as BIND for every PTR of the zone files', async () => {
    const live = await cli(['audit', '10.20.0.0/24', '--resolver', bind.server, '--json', '--rate', '0']);
    const liveRows = new Map(live.out.trim().split('\n').map((l) => JSON.parse(l) as AuditRow).map((r) => [r.ip, r]));
    const off = await cli(['audit', '--zones', dir, '--json']);
    const offRows = off.out.trim().split('\n').map((l) => JSON.parse(l) as AuditRow);
    const withPtr = [...gen.kinds].filter(([, k]) => k !== 'nxdomain').map(([ip]) => ip);
    assert.equal(offRows.length, withPtr.length);
    for (const row of offRows) {
      if (!row.ip.startsWith('10.20.0.')) continue;
      const l = liveRows.get(row.ip)!;
      assert.equal(row.iprev, l.iprev, row.ip);
      assert.equal(row.finding.code, l.finding.code, row.ip);
    }
    assert.equal(off.code, 1);
  });

  it('offline, the seed’s loop in the demo zones is a red row', async () => {
    const r = await cli(['audit', '--zones', path.join(REPO_ROOT, 'demo', 'zones'), '--json']);
    const row = r.out.trim().split('\n').map((l) => JSON.parse(l) as AuditRow).find((x) => x.ip === '203.0.113.100');
    assert.ok(row);
    assert.equal(row.iprev, 'fail');
    assert.equal(row.finding.code, 'ptr-name-mismatch');
    assert.deepEqual(row.ptr, ['mail.example.net']);
  });

  it('the built CLI stops quietly when its reader goes away (| head)', { timeout: 30_000 }, async () => {
    // Slow enough (--rate) that the run is far from done when the pipe closes.
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'dist', 'cli.js'), 'audit', '10.20.0.0/23', '--resolver', bind.server, '--json', '--rate', '100'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 0);
    assert.doesNotMatch(err, /error|Error|interrupted/);
    assert.doesNotMatch(err, /audit of/, 'it stopped instead of auditing the whole block');
  });

  it('interrupted (Ctrl-C), it says how far it got and how to go on, and exits 2', async () => {
    const c = new AbortController();
    let out = '';
    let err = '';
    const code = await runCli(['audit', '10.20.0.0/23', '--resolver', bind.server, '--json', '--rate', '0', '--concurrency', '4'], {
      out: (t) => {
        out += t;
        // After the third row: as a person pressing Ctrl-C mid-run.
        if (out.split('\n').length > 3) c.abort();
      },
      err: (t) => (err += t),
    }, c.signal);
    assert.equal(code, 2);
    assert.match(err, /interrupted after \d+ addresses \(run again with --resume <this output> to go on\)/);
    assert.ok(out.trim().split('\n').length < 512);
  });

  it('refuses a block wider than a /16 and a block with host bits, as usage errors', async () => {
    const wide = await cli(['audit', '10.0.0.0/8', '--resolver', bind.server]);
    assert.equal(wide.code, 2);
    assert.match(wide.err, /at most a \/16/);
    const host = await cli(['audit', '10.20.1.5/24', '--resolver', bind.server]);
    assert.equal(host.code, 2);
    assert.match(host.err, /10\.20\.1\.0\/24/);
  });
});

describe('audit of a range with SERVFAILing and timing-out names', () => {
  let dns: FaultDnsServer;
  before(async () => {
    const records: Record<string, { PTR?: string[]; A?: string[] }> = {};
    for (let h = 0; h < 16; h++) {
      records[`${h}.0.30.10.in-addr.arpa`] = { PTR: [`host${h}.fault.example`] };
      records[`host${h}.fault.example`] = { A: [`10.30.0.${h}`] };
    }
    dns = await startFaultDns({
      records,
      behaviours: {
        '3.0.30.10.in-addr.arpa': { kind: 'rcode', rcode: 'SERVFAIL' },
        '4.0.30.10.in-addr.arpa': { kind: 'silent' },
        'host5.fault.example': { kind: 'rcode', rcode: 'SERVFAIL' },
        'host6.fault.example': { kind: 'silent' },
      },
    });
  });
  after(() => dns.stop());

  it('gives temperror rows naming the DNS trouble and sound rows for the rest', async () => {
    const resolver = createResolver({ servers: [dns.server], udpSockets: 2, timeoutMs: 150, retries: 0 });
    const rows = new Map<string, AuditRow>();
    for await (const row of auditRange(block('10.30.0.0/28'), { resolver, concurrency: 16 })) rows.set(row.ip, row);
    assert.equal(rows.size, 16);
    assert.deepEqual([rows.get('10.30.0.3')!.iprev, rows.get('10.30.0.3')!.rcode, rows.get('10.30.0.3')!.finding.code], ['temperror', 'SERVFAIL', 'dns-servfail']);
    assert.deepEqual([rows.get('10.30.0.4')!.iprev, rows.get('10.30.0.4')!.rcode, rows.get('10.30.0.4')!.finding.code], ['temperror', 'TIMEOUT', 'dns-timeout']);
    assert.deepEqual([rows.get('10.30.0.5')!.iprev, rows.get('10.30.0.5')!.finding.code], ['temperror', 'dns-servfail']);
    assert.deepEqual([rows.get('10.30.0.6')!.iprev, rows.get('10.30.0.6')!.finding.code], ['temperror', 'dns-timeout']);
    for (const h of [0, 1, 2, 7, 8, 15]) assert.equal(rows.get(`10.30.0.${h}`)!.iprev, 'pass', `10.30.0.${h}`);
    assert.equal(resolver.stats().pending, 0);
    resolver.close();
  });

  it('reads addresses from standard input (-), in chunks that split lines', async () => {
    let out = '';
    let err = '';
    async function* input() {
      yield '10.30.0.1\n10.30';
      yield '.0.2\r\n# a comment\n';
      yield `${'x'.repeat(5000)}\n10.30.0.7`;
    }
    const code = await runCli(['audit', '-', '--resolver', dns.server, '--timeout', '150', '--json'], { out: (t) => (out += t), err: (t) => (err += t), input: input() } as Parameters<typeof runCli>[1]);
    assert.equal(code, 0);
    assert.deepEqual(out.trim().split('\n').map((l) => (JSON.parse(l) as AuditRow).ip).sort(), ['10.30.0.1', '10.30.0.2', '10.30.0.7']);
    assert.match(err, /skipped "x{10}/);
  });

  it('maildns audit exits 2 when DNS trouble is all that kept addresses from passing', async () => {
    const r = await cli(['audit', '10.30.0.0/30', '--resolver', dns.server, '--timeout', '150', '--json']);
    // .3 SERVFAILs; .0-.2 pass.
    assert.equal(r.code, 2);
    assert.match(r.err, /3 pass, 0 fail, 0 permerror, 1 temperror/);
  });
});

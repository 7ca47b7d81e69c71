// SPF benchmark: a record whose includes form a tree of 10 DNS-querying terms, served by the fault
// DNS server with every reply delayed by 50 ms. check_host() fetches independent lookups in
// parallel, so its wall time should sit near (dependency depth) × 50 ms; a strictly sequential
// evaluator pays one delay per query. pyspf (Debian python3-spf, over py3dns) runs against the same
// server and records for comparison. Returns markdown lines; bench/run.ts puts them in
// docs/benchmarks.md.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createResolver } from '../src/core/dns/resolver';
import { checkHost } from '../src/core/spf/check';
import type { SpfRecordNode, SpfResult } from '../src/core/spf/types';
import { startFaultDns, type FaultDnsServer, type RecordMap } from '../test/harness/fault-dns';

const DELAY = 50;
const RUNS = 7;
const IP = '192.0.2.1';
const DOMAIN = 'top.bench.example';
const PYTHON = '/usr/bin/python3';

// top → a, b, c; a → a1 → a11, a2; b → b1 (a: lookup), b2; c → c1 (which passes 192.0.2.1).
// DNS-querying terms: a, a1, a11, a2, b, b1, a:hb1, b2, c, c1 = 10, the most RFC 7208 allows.
const RECORDS: RecordMap = {
  'top.bench.example': { TXT: ['v=spf1 include:a.bench.example include:b.bench.example include:c.bench.example -all'] },
  'a.bench.example': { TXT: ['v=spf1 include:a1.bench.example include:a2.bench.example -all'] },
  'a1.bench.example': { TXT: ['v=spf1 include:a11.bench.example -all'] },
  'a11.bench.example': { TXT: ['v=spf1 ip4:198.51.100.11 -all'] },
  'a2.bench.example': { TXT: ['v=spf1 ip4:198.51.100.12 -all'] },
  'b.bench.example': { TXT: ['v=spf1 include:b1.bench.example include:b2.bench.example -all'] },
  'b1.bench.example': { TXT: ['v=spf1 a:hb1.bench.example -all'] },
  'hb1.bench.example': { A: ['198.51.100.21'] },
  'b2.bench.example': { TXT: ['v=spf1 ip4:198.51.100.22 -all'] },
  'c.bench.example': { TXT: ['v=spf1 include:c1.bench.example -all'] },
  'c1.bench.example': { TXT: [`v=spf1 ip4:${IP} -all`] },
};

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Round trips that must follow one another: a record's TXT, then the longest chain below it. */
function depth(node: SpfRecordNode): number {
  let below = 0;
  for (const t of node.terms) {
    if (t.outcome === 'not-evaluated') continue;
    if (t.record) below = Math.max(below, depth(t.record));
    else if (t.name === 'mx' || t.name === 'ptr') below = Math.max(below, 2);
    else if (t.lookup !== undefined) below = Math.max(below, 1);
  }
  return 1 + below;
}

async function ours(dns: FaultDnsServer, prefetch: boolean): Promise<{ wall: number; result: SpfResult; queries: number }> {
  const times: number[] = [];
  let result: SpfResult | undefined;
  let queries = 0;
  for (let i = 0; i < RUNS; i++) {
    // A new resolver each run: no answers cached from the run before.
    const resolver = createResolver({ servers: [dns.server], timeoutMs: 2000 });
    const before = dns.queries.length;
    const started = process.hrtime.bigint();
    result = await checkHost({ ip: IP, domain: DOMAIN, helo: 'mail.bench.example' }, { resolver, prefetch });
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
    queries = dns.queries.length - before;
  }
  return { wall: median(times), result: result!, queries };
}

const PYSPF = `
import json, sys, time
import DNS, spf
port, runs, ip, sender, helo = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
# py3dns reads /etc/resolv.conf at import; point it at the bench server only, before any query.
DNS.defaults['server'] = ['127.0.0.1']
DNS.defaults['port'] = port
times, result = [], None
for _ in range(runs):
    q = spf.query(i=ip, s=sender, h=helo, timeout=20)
    t = time.perf_counter()
    result = q.check()
    times.append((time.perf_counter() - t) * 1000)
print(json.dumps({'result': result[0], 'times': times, 'version': spf.__version__}))
`;

function pyspf(dns: FaultDnsServer): Promise<{ wall: number; result: string; queries: number; version: string } | string> {
  if (!existsSync(PYTHON)) return Promise.resolve(`${PYTHON} not found`);
  const before = dns.queries.length;
  return new Promise((resolve) => {
    execFile(PYTHON, ['-c', PYSPF, String(dns.port), String(RUNS), IP, `postmaster@${DOMAIN}`, 'mail.bench.example'], { timeout: 60_000 }, (err, stdout, stderr) => {
      if (err) return resolve(`pyspf did not run: ${(stderr || err.message).trim().split('\n').pop()}`);
      try {
        const j = JSON.parse(stdout) as { result: string; times: number[]; version: string };
        resolve({ wall: median(j.times), result: j.result, queries: (dns.queries.length - before) / RUNS, version: j.version });
      } catch {
        resolve(`pyspf printed no result: ${stdout.slice(0, 200)}`);
      }
    });
  });
}

export async function spfBench(): Promise<string[]> {
  const dns = await startFaultDns({ records: RECORDS, delayMs: DELAY });
  try {
    const fast = await ours(dns, true);
    const strict = await ours(dns, false);
    const py = await pyspf(dns);
    const levels = depth(fast.result.tree);
    const floor = levels * DELAY;
    const row = (who: string, result: string, queries: number, wall: number) =>
      `| ${who} | ${result} | ${Number.isInteger(queries) ? queries : queries.toFixed(1)} | ${floor} | ${wall.toFixed(0)} | ${(wall / floor).toFixed(2)} |`;
    const lines = [
      `\`${DOMAIN}\` includes records that include others: ${fast.result.lookups} DNS-querying terms (the RFC 7208 limit), ${levels} round trips deep`,
      `(the record's TXT, then each level of includes). A scripted DNS server on loopback delays every reply by ${DELAY} ms, so the floor`,
      `is ${levels} × ${DELAY} ms = ${floor} ms; one query after another costs ${DELAY} ms each. Median of ${RUNS} runs, each with an empty cache.`,
      '',
      '| evaluator | result | queries | floor (ms) | wall (ms) | wall / floor |',
      '|---|---|---|---|---|---|',
      row('maildns check_host(), independent lookups prefetched in parallel', fast.result.result, fast.queries, fast.wall),
      row('maildns check_host(), strictly sequential (prefetch off)', strict.result.result, strict.queries, strict.wall),
    ];
    if (typeof py === 'string') lines.push('', `pyspf: not measured (${py}).`);
    else lines.push(row(`pyspf ${py.version} (python3-spf, py3dns, same server and port)`, py.result, py.queries, py.wall));
    const same = typeof py === 'string' || (py.result === fast.result.result && fast.result.result === strict.result.result);
    lines.push('', `Same result from all: ${same ? 'yes' : 'NO'}; lookups counted ${fast.result.lookups} with and ${strict.result.lookups} without prefetching.`);
    return lines;
  } finally {
    await dns.stop();
  }
}

if (require.main === module) {
  spfBench().then(
    (lines) => process.stdout.write(lines.join('\n') + '\n'),
    (e: unknown) => {
      process.stderr.write(`bench/spf: ${e instanceof Error ? e.stack : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}

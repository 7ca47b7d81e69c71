// `npm run bench`: speed goals live here, never in timed tests. Writes docs/benchmarks.md.
//   - bundle sizes (as built, and minified the way a release would ship them)
//   - the rDNS chain walk's wall time against a DNS server that delays every reply by 50 ms,
//     next to its floor: (round trips that must happen one after another) × 50 ms
//   - the address-range audit (bench/audit.ts): a /16 against BIND, next to dig -f and the sequential loop
//   - CLI start (bench/cli.ts)
//   - extension activation time, when the extension-host tier has recorded one (see bench/activation)
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createResolver } from '../src/core/dns/resolver';
import { checkRdns } from '../src/core/rdns/check';
import { startFaultDns, type RecordMap } from '../test/harness/fault-dns';
import { buildVsix } from '../test/harness/vsix';
import { REPO_ROOT } from '../test/paths';
import { auditBench } from './audit';
import { cliStartBench } from './cli';
import { spfBench } from './spf';
import { zoneBench } from './zone';

const DELAY = 50;
const RUNS = 7;

// The seed's loop plus a healthy host and a long chain, served with a delay on every reply.
const RECORDS: RecordMap = {
  '100.113.0.203.in-addr.arpa': { PTR: ['mail.example.net'] },
  'mail.example.net': { A: ['203.0.113.244'] },
  '244.113.0.203.in-addr.arpa': { PTR: ['example.net'] },
  'example.net': { A: ['203.0.113.51'] },
  '51.113.0.203.in-addr.arpa': { PTR: ['mail.example.net'] },
  '10.2.0.192.in-addr.arpa': { PTR: ['mail.example.com'] },
  'mail.example.com': { A: ['192.0.2.10'] },
};
for (let n = 1; n <= 12; n++) {
  RECORDS[`${100 + n}.2.0.192.in-addr.arpa`] = { PTR: [`h${n}.chain.example.com`] };
  RECORDS[`h${n}.chain.example.com`] = { A: [`192.0.2.${101 + n}`] };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function walkBench(): Promise<string[]> {
  const dns = await startFaultDns({ records: RECORDS, delayMs: DELAY });
  const rows: string[] = [];
  try {
    for (const [ip, label] of [
      ['192.0.2.10', 'pass (IP → name → IP)'],
      ['203.0.113.100', "the seed's loop"],
      ['192.0.2.101', 'long chain, stopped at 8 hops'],
    ] as const) {
      const times: number[] = [];
      let levels = 0;
      let lookups = 0;
      for (let i = 0; i < RUNS; i++) {
        // A new resolver each run: no answers cached from the run before.
        const resolver = createResolver({ servers: [dns.server], timeoutMs: 2000 });
        const before = dns.queries.length;
        const started = process.hrtime.bigint();
        const r = await checkRdns(ip, { resolver });
        times.push(Number(process.hrtime.bigint() - started) / 1e6);
        levels = Math.max(...r.chain.map((s) => s.depth));
        lookups = dns.queries.length - before;
        // Failing checks look up the zones their fixes name: one more round trip, all in parallel.
        if (r.fcrdns !== 'pass') levels += 1;
      }
      const floor = levels * DELAY;
      const t = median(times);
      rows.push(`| ${ip} | ${label} | ${lookups} | ${levels} | ${floor} | ${t.toFixed(0)} | ${(t / floor).toFixed(2)} |`);
    }
  } finally {
    await dns.stop();
  }
  return rows;
}

/** What ships: the production .vsix as `npm run package` builds it, and each bundle in it. */
async function packageSizes(): Promise<string[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'maildns-bench-vsix-'));
  try {
    const vsix = await buildVsix(path.join(dir, 'bench.vsix'));
    // vsce lists every packed file with its size in binary units: "├─ cli.js [912.83 KB]", "├─ extension.js [1.02 MB]"
    // (a bundle past 1 MiB is listed in MB: reading only "KB" once reported it missing).
    const unit: Record<string, number> = { B: 1 / 1024, KB: 1, MB: 1024 };
    const packed = [...vsix.log.matchAll(/[─]\s+(\S+)\s+\[([\d.]+) (B|KB|MB)\]/g)].map((m) => ({ file: m[1], kib: Number(m[2]) * unit[m[3]] }));
    const rows = ['| file | in the .vsix (production: minified, no source maps) | development build (`npm run build`, with source maps) |', '|---|---|---|'];
    // extension.js is what activation loads; mail-reader.js and tldts.js it loads at first use (esbuild.mjs LAZY_BUNDLES).
    for (const bundle of ['extension.js', 'mail-reader.js', 'tldts.js', 'cli.js', 'webview.js']) {
      const shipped = packed.find((p) => p.file === bundle);
      const dev = path.join(REPO_ROOT, 'dist', bundle);
      const devKiB = existsSync(dev) ? `${(statSync(dev).size / 1024).toFixed(1)} KiB` : 'not built';
      rows.push(`| dist/${bundle} | ${shipped ? `${shipped.kib.toFixed(1)} KiB` : 'missing'} | ${devKiB} |`);
    }
    rows.push('', `The whole \`.vsix\` (\`npm run package\`, ${packed.length} files, zip-compressed): **${(vsix.bytes / 1024).toFixed(1)} KiB**.`);
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Sections other tools write into docs/benchmarks.md between `<!-- name:start -->` and `<!-- name:end -->` (npm run fuzz). */
function keptSections(file: string): string[] {
  if (!existsSync(file)) return [];
  return [...readFileSync(file, 'utf8').matchAll(/<!-- ([\w-]+):start -->[\s\S]*?<!-- \1:end -->/g)].map((m) => m[0]);
}

function activation(): string[] {
  const file = path.join(REPO_ROOT, 'test-results', 'activation.json');
  if (!existsSync(file)) return ['Not measured in this run: run `npm test` (the extension-host tier records it) and then `npm run bench`.'];
  const a = JSON.parse(readFileSync(file, 'utf8')) as { activateMs: number; vscode: string; at: string };
  return [
    `From the bundle starting to load to \`activate()\` returning, in VS Code ${a.vscode} (code-server, real extension host): **${a.activateMs.toFixed(1)} ms** (recorded by the extension-host tests, ${a.at}).`,
  ];
}

async function main(): Promise<void> {
  const walk = await walkBench();
  const spf = await spfBench();
  const zone = await zoneBench();
  const audit = await auditBench();
  const sizes = await packageSizes();
  const cli = await cliStartBench();
  const file = path.join(REPO_ROOT, 'docs', 'benchmarks.md');
  const md = [
    '# Benchmarks',
    '',
    `Written by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)} (Node ${process.version}, ${require('node:os').cpus().length} cores). Numbers from one machine: compare runs, not machines.`,
    '',
    '## rDNS chain walk',
    '',
    `A scripted DNS server on loopback delays every reply by ${DELAY} ms. The walk asks every lookup of one hop at once, so its floor is`,
    `(round trips that must follow one another) × ${DELAY} ms: one per hop of the chain, plus one for the zones a failing check's fixes name.`,
    `Median of ${RUNS} runs, each with an empty cache.`,
    '',
    '| IP | case | lookups | sequential round trips | floor (ms) | wall (ms) | wall / floor |',
    '|---|---|---|---|---|---|---|',
    ...walk,
    '',
    ...spf,
    '',
    ...zone,
    '',
    '## Package size',
    '',
    ...sizes,
    '',
    ...cli,
    '',
    '## Extension activation',
    '',
    ...activation(),
    '',
    ...audit,
    '',
    // The audit's section is written above, fresh: an older copy is not kept.
    ...keptSections(file)
      .filter((section) => !section.startsWith('<!-- audit:start -->'))
      .flatMap((section) => [section, '']),
  ].join('\n');
  writeFileSync(file, md);
  process.stdout.write(md);
}

main().catch((e) => {
  process.stderr.write(`bench: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exitCode = 1;
});

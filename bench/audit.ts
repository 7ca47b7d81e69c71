// The address-range audit (issue 15): a /16 of realistic reverse zones (test/harness/audit-zones.ts:
// pass, generic, NXDOMAIN, mismatch) served by a local BIND, audited by `maildns audit` as a user
// runs it, next to `dig -f` over the same reverse names (a C anchor doing only the PTR step) and the
// sequential in-process loop (checkRdns after checkRdns); then against a server that delays every
// reply by 50 ms, where the floor is set by the concurrency, not the CPU. Each run is its own process
// under GNU time: wall seconds and peak RSS. Writes its section between <!-- audit:start --> and
// <!-- audit:end --> (bench/run.ts puts it in docs/benchmarks.md); `node out/bench/audit.js` alone
// prints it.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startBind } from '../test/harness/bind';
import { writeAuditZones } from '../test/harness/audit-zones';
import { startFaultDns, type RecordMap } from '../test/harness/fault-dns';
import { REPO_ROOT } from '../test/paths';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');
const LOOP = path.join(REPO_ROOT, 'out', 'bench', 'audit-loop.js');
const BLOCK = '10.20.0.0/16';
const DELAY = 50;
const DELAYED_BLOCK = '10.21.0.0/20';

interface Measured {
  wallS: number;
  /** User + system CPU seconds: what the run costs whatever else the machine is doing. */
  cpuS: number;
  rssMiB: number;
  out: string;
}

/** Runs a command under GNU time, its standard output to `outFile` (or kept), and reads wall time and peak RSS. */
function timed(cmd: string, args: string[], dir: string, outFile?: string): Promise<Measured> {
  const tfile = path.join(dir, `time-${Date.now()}.txt`);
  const shell = `/usr/bin/time -f '%e %M %U %S' -o ${tfile} ${[cmd, ...args].map((a) => `'${a}'`).join(' ')}${outFile ? ` > '${outFile}'` : ''}`;
  return new Promise((resolve, reject) => {
    execFile('/bin/sh', ['-c', shell], { maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      let t: string[];
      try {
        t = readFileSync(tfile, 'utf8').trim().split('\n').pop()!.split(' ');
      } catch {
        return reject(err ?? new Error(`no timing: ${stderr}`));
      }
      // maildns exits 1 when some addresses fail: that is the audit's answer, not an error here.
      if (err && (err as { code?: number }).code !== 1) return reject(new Error(`${cmd} failed: ${stderr.slice(0, 500)}`));
      resolve({ wallS: Number(t[0]), rssMiB: Number(t[1]) / 1024, cpuS: Number(t[2]) + Number(t[3]), out: stdout + stderr });
    });
  });
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

export async function auditBench(): Promise<string[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'maildns-bench-audit-'));
  const thirds = Array.from({ length: 256 }, (_, i) => i);
  const gen = writeAuditZones(dir, { prefix: '10.20', thirds, classless: true });
  const bind = await startBind({ zoneDir: dir, startTimeoutMs: 120_000 });
  const rows: string[] = [];
  const count = gen.kinds.size;
  const mix = { pass: 0, generic: 0, nxdomain: 0, mismatch: 0 };
  for (const k of gen.kinds.values()) mix[k]++;
  try {
    const names = path.join(dir, 'names.txt');
    writeFileSync(names, [...gen.kinds.keys()].map((ip) => `-x ${ip}`).join('\n') + '\n');
    const dig = await timed('dig', [`@${bind.host}`, '-p', String(bind.port), '+tries=1', '+time=3', '+noall', '+answer', '-f', names], dir, '/dev/null');
    rows.push(`| \`dig -f\` (C, sequential): the PTR step only | ${fmt(count / dig.wallS)} | ${dig.wallS.toFixed(1)} | 1.0 | ${dig.cpuS.toFixed(1)} | ${dig.rssMiB.toFixed(0)} |`);
    const vsDig = (m: Measured) => (m.wallS / dig.wallS).toFixed(1);
    for (const c of [64, 256]) {
      const out = path.join(dir, `audit-${c}.csv`);
      const m = await timed('node', [CLI, 'audit', BLOCK, '--resolver', bind.server, '--csv', '--rate', '0', '--concurrency', String(c)], dir, out);
      const lines = readFileSync(out, 'utf8').trim().split('\n').length - 1;
      if (lines !== count) throw new Error(`audit --concurrency ${c}: ${lines} rows, expected ${count}`);
      rows.push(`| \`maildns audit ${BLOCK} --csv --rate 0 --concurrency ${c}\`: PTR, then A (or AAAA) of each name, verdict, findings | ${fmt(count / m.wallS)} | ${m.wallS.toFixed(1)} | ${vsDig(m)} | ${m.cpuS.toFixed(1)} | ${m.rssMiB.toFixed(0)} |`);
    }
    const loop = await timed('node', [LOOP, bind.server, BLOCK], dir, '/dev/null');
    rows.push(`| sequential in-process loop (\`checkRdns\` per address, one resolver, the whole check) | ${fmt(count / loop.wallS)} | ${loop.wallS.toFixed(1)} | ${vsDig(loop)} | ${loop.cpuS.toFixed(1)} | ${loop.rssMiB.toFixed(0)} |`);
  } finally {
    await bind.stop();
  }

  // Against a server that delays every reply by 50 ms: each address takes two round trips one
  // after the other (PTR, then A and AAAA at once), so the floor is concurrency / (2 × 50 ms).
  const delayedRows: string[] = [];
  const records: RecordMap = {};
  for (let t = 0; t < 16; t++) {
    for (let h = 0; h < 256; h++) {
      records[`${h}.${t}.21.10.in-addr.arpa`] = { PTR: [`h${t * 256 + h}.slow.example`] };
      records[`h${t * 256 + h}.slow.example`] = { A: [`10.21.${t}.${h}`] };
    }
  }
  const slow = await startFaultDns({ records, delayMs: DELAY });
  try {
    for (const c of [64, 256]) {
      const m = await timed('node', [CLI, 'audit', DELAYED_BLOCK, '--resolver', slow.server, '--csv', '--rate', '0', '--concurrency', String(c)], dir, '/dev/null');
      const floor = c / ((2 * DELAY) / 1000);
      delayedRows.push(`| ${c} | ${fmt(floor)} | ${fmt(4096 / m.wallS)} | ${m.wallS.toFixed(1)} | ${m.rssMiB.toFixed(0)} |`);
    }
  } finally {
    await slow.stop();
    rmSync(dir, { recursive: true, force: true });
  }

  return [
    '<!-- audit:start -->',
    '## Address-range audit',
    '',
    `A /16 (${fmt(count)} addresses) of generated reverse zones (one per /24, the first with a /26 delegated the RFC 2317 way) served by a local BIND: ` +
      `${fmt(mix.pass)} forward-confirmed, ${fmt(mix.generic)} generic names (confirmed), ${fmt(mix.nxdomain)} without a PTR (NXDOMAIN), ${fmt(mix.mismatch)} whose name points elsewhere. ` +
      'Each run is its own process under GNU time (wall time, CPU time and peak RSS), with the machine shared with other work: compare the rows, not runs; CPU time says what a run costs when the machine is busy.',
    '',
    '| run | addresses/s | wall (s) | wall ÷ dig | CPU (s, user + system) | peak RSS (MiB) |',
    '|---|---|---|---|---|---|',
    ...rows,
    '',
    `The same audit against a scripted server that delays every reply by ${DELAY} ms (a /20, ${fmt(4096)} addresses, one name each): each address needs two round trips one after the other, so the floor is concurrency ÷ ${2 * DELAY} ms.`,
    '',
    '| concurrency | floor (addresses/s) | measured (addresses/s) | wall (s) | peak RSS (MiB) |',
    '|---|---|---|---|---|',
    ...delayedRows,
    '<!-- audit:end -->',
  ];
}

if (require.main === module) {
  auditBench().then(
    (lines) => process.stdout.write(lines.join('\n') + '\n'),
    (e) => {
      process.stderr.write(`bench: ${e instanceof Error ? e.stack : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}

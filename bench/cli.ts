// CLI start: what a `maildns` run costs before it does any work. Node's own start is the anchor
// (`node -e 0`); every command's module is loaded only when that command runs (src/cli/main.ts), and
// `maildns --help` loads them all, so it shows what every run would cost if they were loaded eagerly.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from '../test/paths';

const RUNS = 21;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export async function cliStartBench(): Promise<string[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'maildns-bench-cli-'));
  try {
    // A preload that reports the process's own CPU time (user + system, bootstrap included) as it exits:
    // wall time on a shared machine says more about the other processes than about us.
    const preload = path.join(dir, 'cpu.js');
    writeFileSync(preload, `process.on('exit', () => { const u = process.cpuUsage(); require('fs').writeFileSync(process.env.MAILDNS_BENCH_CPU, String((u.user + u.system) / 1000)); });\n`);
    // What ships: the production bundle, built into a copy of dist/ of its own.
    const out = path.join(dir, 'cli.js');
    const built = spawnSync(process.execPath, ['-e', `require('esbuild').buildSync({entryPoints:['src/cli/main.ts'],outfile:${JSON.stringify(out)},bundle:true,minify:true,platform:'node',format:'cjs',target:'node20'})`], { cwd: REPO_ROOT, encoding: 'utf8' });
    if (built.status !== 0) throw new Error(`esbuild failed: ${built.stderr}`);
    const cases: [string, string[]][] = [
      ['`node -e 0` (Node alone, the anchor)', ['-e', '0']],
      ['`maildns --version`', [out, '--version']],
      ['`maildns rdns --help` (loads rdns only)', [out, 'rdns', '--help']],
      ['`maildns lint --help` (loads the zone linter)', [out, 'lint', '--help']],
      ['`maildns --help` (loads every command: what each run cost before)', [out, '--help']],
    ];
    const cpuFile = path.join(dir, 'cpu.txt');
    const rows = ['| run | CPU (ms, median) | wall (ms, median) |', '|---|---|---|'];
    for (const [label, args] of cases) {
      const cpu: number[] = [];
      const wall: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const started = process.hrtime.bigint();
        const r = spawnSync(process.execPath, ['--require', preload, ...args], { env: { ...process.env, MAILDNS_BENCH_CPU: cpuFile }, encoding: 'utf8' });
        wall.push(Number(process.hrtime.bigint() - started) / 1e6);
        if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
        cpu.push(Number(readFileSync(cpuFile, 'utf8')));
      }
      rows.push(`| ${label} | ${median(cpu).toFixed(0)} | ${median(wall).toFixed(0)} |`);
    }
    return [
      '## CLI start',
      '',
      `The production bundle (minified, ${(readFileSync(out).length / 1024).toFixed(0)} KiB), ${RUNS} runs each; CPU is the process's own user + system time up to exit, Node's bootstrap included.`,
      '',
      ...rows,
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

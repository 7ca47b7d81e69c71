// The zone linter against BIND: every file of the shared zone corpus (BIND 9.18's own checkzone
// zones, Knot's semantic-check zones; /work/shared/corpora/zones, read at run time, never copied)
// and of test/fixtures/zone-conformance goes through `named-checkzone` (default options but
// `-i local`, in the folder the source's tests run it from) and through the linter with the same
// origin and working directory. They agree when the linter has an error exactly where BIND refuses
// to load, on a line BIND names when it names one.
//
// Used by test/integration/zone-conformance.test.ts, and run alone
// (`node out/test/harness/zone-conformance.js [--write]`, or `npm run bench:zones`) it prints the
// table, or writes it into docs/benchmarks.md between `<!-- zones:start -->` and `<!-- zones:end -->`.
import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fsReader } from '../../src/core/zone/fsReader';
import { lintZones } from '../../src/core/zone/lint';
import { parseZone, type ParsedZone } from '../../src/core/zone/parser';
import type { ZoneFinding } from '../../src/core/zone/types';
import { chooseOrigin } from '../../src/core/zone/workspace';
import { corporaDir } from '../fuzz/corpus';
import { withSection } from '../fuzz/sections';
import { REPO_ROOT } from '../paths';

export const CHECKZONE = ['/usr/bin/named-checkzone', '/usr/sbin/named-checkzone', '/usr/local/bin/named-checkzone'].find((p) => {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
});

export const OWN_DIR = path.join(REPO_ROOT, 'test', 'fixtures', 'zone-conformance');

export interface Case {
  source: 'bind9' | 'knot' | 'own';
  /** Absolute path of the zone file. */
  file: string;
  origin: string;
  /** Where named-checkzone runs (its `$INCLUDE`s are read from here). */
  cwd: string;
  /** The verdict the source's own tests assert, with the named-checkzone options they use. */
  gold?: 'accept' | 'reject';
  goldOpts?: string[];
  /** Own cases: the verdict BIND is expected to give (a check of the fixture), and what it shows. */
  expect?: 'accept' | 'reject';
  what?: string;
  /** Own cases: where the file's own text says its origin is (linted then without an origin given). */
  originFrom?: string;
  /** Own cases: codes that must not be reported at all (noise). */
  noWarnings?: string[];
}

export interface Verdict {
  ok: boolean;
  output: string;
}

/** The shared corpus' zones, by its manifest; [] when this machine does not have it. */
export function corpusCases(): Case[] {
  const dir = corporaDir();
  const manifest = dir && path.join(dir, 'zones', 'manifest.json');
  if (!manifest || !existsSync(manifest)) return [];
  const root = path.dirname(manifest);
  const entries = JSON.parse(readFileSync(manifest, 'utf8')) as { relpath: string; origin: string; gold?: 'accept' | 'reject'; gold_opts?: string[]; bind_cwd: string }[];
  return entries.map((e) => ({
    source: e.relpath.startsWith('bind9/') ? 'bind9' : 'knot',
    file: path.join(root, e.relpath),
    origin: e.origin,
    cwd: path.join(root, e.bind_cwd),
    ...(e.gold ? { gold: e.gold } : {}),
    ...(e.gold_opts ? { goldOpts: e.gold_opts } : {}),
  }));
}

export function ownCases(): Case[] {
  const list = JSON.parse(readFileSync(path.join(OWN_DIR, 'cases.json'), 'utf8')) as { file: string; origin: string; bind: 'accept' | 'reject'; class: string; cwd?: string; originFrom?: string; noWarnings?: string[] }[];
  return list.map((c) => {
    const file = path.join(OWN_DIR, c.file);
    return {
      source: 'own' as const,
      file,
      origin: c.origin,
      cwd: c.cwd ? path.join(OWN_DIR, c.cwd) : path.dirname(file),
      expect: c.bind,
      what: c.class,
      ...(c.originFrom ? { originFrom: c.originFrom } : {}),
      ...(c.noWarnings ? { noWarnings: c.noWarnings } : {}),
    };
  });
}

/**
 * named-checkzone on the case, from its folder, with `options` (default: BIND's defaults) and
 * `-i local` unless they name an integrity mode. Its default `-i full` asks the machine's resolver
 * (getaddrinfo) about NS/MX/SRV targets outside the zone, which named does not do when it loads a
 * zone: the verdict would depend on the network, and tests send nothing off loopback. BIND's own
 * checkzone tests use `-i local` too (the corpus manifest's gold_opts).
 */
export function checkzone(c: Case, options: string[] = []): Promise<Verdict> {
  if (!CHECKZONE) throw new Error('named-checkzone is not installed (Debian bind9-utils; scripts/ensure-test-deps.mjs installs it)');
  const rel = path.relative(c.cwd, c.file);
  const integrity = options.includes('-i') ? [] : ['-i', 'local'];
  return new Promise((resolve) => {
    execFile(CHECKZONE, [...integrity, ...options, c.origin, rel], { cwd: c.cwd, timeout: 30_000, maxBuffer: 16 * 1024 * 1024, encoding: 'latin1' }, (err, stdout, stderr) => {
      resolve({ ok: !err, output: `${stdout}${stderr}` });
    });
  });
}

/** The linter on the case: origin given (or chosen from the text when `ownOrigin`), named's working directory as BIND's run has it. */
export async function lint(c: Case, options: { checkNames?: 'warn' | 'fail' | 'ignore'; ownOrigin?: boolean } = {}): Promise<{ zone: ParsedZone; findings: ZoneFinding[] }> {
  const reader = fsReader();
  const read = reader.read(c.file);
  const origin = options.ownOrigin ? chooseOrigin({ file: c.file }, typeof read === 'string' ? read : undefined) : { origin: c.origin, originSource: 'the manifest' };
  const zone = parseZone(undefined, { file: c.file, origin: origin.origin, reader, directory: c.cwd });
  if (origin.originSource !== undefined) zone.originSource = origin.originSource;
  const findings = await lintZones([zone], { checkNames: options.checkNames ?? 'warn' });
  return { zone, findings };
}

// What named-checkzone prints about a line that does not stop the load.
const BIND_WARNINGS = /ignoring out-of-zone data|using SOA MINTTL|RFC1035 TTL semantics|TTL set to prior TTL|signature has expired|appears to be an address|MX is an address|^warning:|\bwarning:|> MAXTTL|file does not end with newline|bad owner name \(check-names\)$/;

/**
 * The lines of the file BIND names for the error that made it refuse the zone: the messages that
 * carry the failure's text ("loading from master file … failed: syntax error"), else any of its
 * line-numbered messages but the warnings. Empty when the refusal names no line (a check after
 * loading: no SOA, an NS without address, CDS/CDNSKEY).
 */
export function bindErrorLines(c: Case, output: string): { file: string; line: number }[] {
  const failed = /loading from master file \S+ failed: (.+)$/m.exec(output)?.[1]?.trim().toLowerCase();
  const named: { file: string; line: number; text: string }[] = [];
  for (const l of output.split('\n')) {
    const m = /(?:^|\s)(\S+?):(\d+): (.*)$/.exec(l);
    if (!m) continue;
    named.push({ file: path.basename(m[1]), line: Number(m[2]), text: m[3] });
  }
  if (!failed) return [];
  const carrying = named.filter((n) => n.text.toLowerCase().includes(failed) || (failed === 'no ttl' && /no ttl specified/i.test(n.text)));
  const chosen = carrying.length > 0 ? carrying : named.filter((n) => !BIND_WARNINGS.test(n.text));
  return chosen.map(({ file, line }) => ({ file, line }));
}

export interface CaseResult {
  c: Case;
  bind: Verdict;
  /** Our errors: file name and 1-based line. */
  errors: { file: string; line: number; code: string; message: string; offset: number; path: string }[];
  warnings: string[];
  agree: boolean;
  /** BIND names lines for its refusal, and one of our errors is on one of them (undefined: BIND names none). */
  lineAgrees?: boolean;
}

function located(zone: ParsedZone, f: ZoneFinding): CaseResult['errors'][number] {
  const src = zone.sources.get(f.file);
  return { file: path.basename(f.file), line: (src?.lines.position(f.start).line ?? 0) + 1, code: f.code, message: f.message, offset: f.start, path: f.file };
}

/**
 * Whether our error is on the line BIND names: the same line; or BIND names where a record starts
 * and ours is a later line of the same parenthesised entry; or BIND names the last record of the
 * owner's run of records (it adds them to the zone when the owner changes) and ours is earlier in
 * that run (the lines between continue the owner: blank-owner lines, comments, parentheses).
 */
function onLine(zone: ParsedZone, e: CaseResult['errors'][number], line: number): boolean {
  if (e.line === line) return true;
  const text = zone.sources.get(e.path)?.text;
  if (text === undefined) return false;
  if (line > e.line) {
    const rows = text.split('\n').slice(e.line, line);
    let depth = 0;
    for (const row of rows) {
      const bare = row.replace(/"(?:[^"\\]|\\.)*"|;.*$/g, '');
      const continues = depth > 0 || bare.trim() === '' || /^[ \t]/.test(row);
      depth = Math.max(0, depth + (bare.match(/\(/g) ?? []).length - (bare.match(/\)/g) ?? []).length);
      if (!continues) return false;
    }
    return true;
  }
  let at = 0;
  for (let l = 1; l < line; l++) at = text.indexOf('\n', at) + 1;
  const between = text.slice(at, e.offset).replace(/"(?:[^"\\\n]|\\.)*"|;[^\n]*/g, '');
  return (between.match(/\(/g) ?? []).length > (between.match(/\)/g) ?? []).length;
}

/** One case through both, default options (and `-i local`, see checkzone). */
export async function runCase(c: Case, ownOrigin = false): Promise<CaseResult> {
  const [bind, ours] = await Promise.all([checkzone(c), lint(c, { ownOrigin })]);
  const errors = ours.findings.filter((f) => f.severity === 'error').map((f) => located(ours.zone, f));
  const warnings = ours.findings.filter((f) => f.severity !== 'error').map((f) => f.code);
  const agree = bind.ok === (errors.length === 0);
  // Only lines of files we read (BIND also names a directory it was told to $INCLUDE, line 1).
  const read = new Set([...ours.zone.sources.keys()].map((f) => path.basename(f)));
  const lines = bind.ok ? [] : bindErrorLines(c, bind.output).filter((l) => read.has(l.file));
  const lineAgrees = lines.length === 0 || errors.length === 0 ? undefined : errors.some((e) => lines.some((l) => l.file === e.file && onLine(ours.zone, e, l.line)));
  return { c, bind, errors, warnings, agree, ...(lineAgrees !== undefined ? { lineAgrees } : {}) };
}

/** Runs cases `parallel` at a time, in order. */
export async function runAll(cases: Case[], run: (c: Case) => Promise<CaseResult>, parallel = 4): Promise<CaseResult[]> {
  const out: CaseResult[] = new Array(cases.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < cases.length) {
        const i = next++;
        out[i] = await run(cases[i]);
      }
    }),
  );
  return out;
}

/**
 * Files BIND refuses that the linter may not flag, each with the reason it is out of scope. Empty:
 * every refusal of the development corpus and the own cases is matched. (A held-out corpus may
 * add DNSSEC key consistency BIND checks later versions of, zones BIND rejects for a resource
 * limit, or a file whose `$INCLUDE` names a file only the server has.)
 */
export const OUT_OF_SCOPE: Record<string, string> = {};

/** The table for docs/benchmarks.md: agree / false alarm / missed per source. */
export function table(results: CaseResult[], gold: { total: number; agree: number }): string[] {
  const sources: [Case['source'], string][] = [
    ['bind9', "BIND 9.18's checkzone test zones"],
    ['knot', "Knot DNS's semantic-check zones"],
    ['own', 'own cases (test/fixtures/zone-conformance)'],
  ];
  const rows = ['| source | files | BIND loads | BIND refuses | agree | false alarms (an error where BIND loads) | missed (no error where BIND refuses) | error on a line BIND names |', '|---|---|---|---|---|---|---|---|'];
  const sum = { files: 0, loads: 0, refuses: 0, agree: 0, fa: 0, missed: 0, lineHit: 0, lineOf: 0 };
  for (const [source, label] of sources) {
    const rs = results.filter((r) => r.c.source === source);
    if (rs.length === 0) continue;
    const s = {
      files: rs.length,
      loads: rs.filter((r) => r.bind.ok).length,
      refuses: rs.filter((r) => !r.bind.ok).length,
      agree: rs.filter((r) => r.agree).length,
      fa: rs.filter((r) => r.bind.ok && r.errors.length > 0).length,
      missed: rs.filter((r) => !r.bind.ok && r.errors.length === 0).length,
      lineHit: rs.filter((r) => r.lineAgrees === true).length,
      lineOf: rs.filter((r) => r.lineAgrees !== undefined).length,
    };
    for (const k of Object.keys(sum) as (keyof typeof sum)[]) sum[k] += s[k];
    rows.push(`| ${label} | ${s.files} | ${s.loads} | ${s.refuses} | ${s.agree} | ${s.fa} | ${s.missed} | ${s.lineHit} of ${s.lineOf} |`);
  }
  rows.push(`| **all** | ${sum.files} | ${sum.loads} | ${sum.refuses} | **${sum.agree}** | **${sum.fa}** | **${sum.missed}** | ${sum.lineHit} of ${sum.lineOf} |`);
  return [
    '## Zone files against BIND',
    '',
    `Written by \`npm run bench:zones\` on ${new Date().toISOString().slice(0, 10)} (named-checkzone ${bindVersion()}). Every file goes through \`named-checkzone\` with its default options but \`-i local\` (as BIND's own checkzone tests run it: the default \`-i full\` asks the machine's resolver about names outside the zone, which named does not do when it loads one), in the folder the source's own tests run it from, and through \`maildns lint\`'s core with the same origin and working directory (test/integration/zone-conformance.test.ts asserts what this table shows). An error of ours is meant to be exactly "BIND will not load this".`,
    '',
    ...rows,
    '',
    `BIND's own verdicts (the checkzone gold set, with the options its tests use: \`-k fail\` is \`--check-names fail\`): **${gold.agree} of ${gold.total}** agree.`,
    `Out of scope (refused by BIND, not flagged here): ${Object.keys(OUT_OF_SCOPE).length === 0 ? 'none.' : Object.entries(OUT_OF_SCOPE).map(([f, why]) => `${f} (${why})`).join('; ')}`,
  ];
}

function bindVersion(): string {
  return CHECKZONE ? require('node:child_process').execFileSync(CHECKZONE, ['-v'], { encoding: 'utf8' }).trim() : 'not installed';
}

/** The gold set: each BIND case with a verdict, with its test's options on both sides. */
export async function goldResults(cases: Case[]): Promise<{ c: Case; bindOk: boolean; ours: boolean }[]> {
  const gold = cases.filter((c) => c.source === 'bind9' && c.gold);
  const out: { c: Case; bindOk: boolean; ours: boolean }[] = [];
  for (const c of gold) {
    const opts = c.goldOpts ?? [];
    const k = opts.indexOf('-k');
    const checkNames = k >= 0 ? (opts[k + 1] as 'warn' | 'fail' | 'ignore') : 'warn';
    const [bind, mine] = await Promise.all([checkzone(c, opts), lint(c, { checkNames })]);
    out.push({ c, bindOk: bind.ok, ours: !mine.findings.some((f) => f.severity === 'error') });
  }
  return out;
}

async function main(): Promise<void> {
  const cases = [...corpusCases(), ...ownCases()];
  const results = await runAll(cases, (c) => runCase(c));
  const gold = await goldResults(cases);
  const lines = table(results, { total: gold.length, agree: gold.filter((g) => g.ours === (g.c.gold === 'accept')).length });
  for (const r of results.filter((x) => !x.agree)) lines.push('', `- disagreement: ${path.relative(REPO_ROOT, r.c.file)}: BIND ${r.bind.ok ? 'loads' : 'refuses'}, we ${r.errors.length > 0 ? `say ${r.errors[0].code}` : 'find no error'}`);
  if (process.argv.includes('--write')) {
    const file = path.join(REPO_ROOT, 'docs', 'benchmarks.md');
    writeFileSync(file, withSection(readFileSync(file, 'utf8'), 'zones', lines.join('\n')));
    process.stdout.write(`written to ${file}\n`);
  } else process.stdout.write(lines.join('\n') + '\n');
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  });
}

import { statSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { fsReader } from '../../core/zone/fsReader';
import { CLI_READ_LIMITS } from '../../core/zone/limits';
import { lintZones } from '../../core/zone/lint';
import type { ParsedZone } from '../../core/zone/parser';
import type { ZoneFinding } from '../../core/zone/types';
import { findZoneFiles, parseWorkspace } from '../../core/zone/workspace';
import { type CliCommand, DNS_OPTIONS, resolverFrom, UsageError } from '../shared';

/** Lines of "skipped …" printed before the rest is only counted (a walk of /proc finds hundreds). */
const MAX_SKIPPED_SHOWN = 20;

export const lintCommand: CliCommand = {
  name: 'lint',
  summary: 'check zone files: syntax, common mistakes, SPF in TXT, PTR ↔ A consistency across them',
  usage: 'maildns lint <file-or-dir>... [--origin zone] [--include-root dir]... [--live] [--resolver host[:port]]... [--timeout ms] [--json]',
  async run(args, io, signal) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { ...DNS_OPTIONS, live: { type: 'boolean', default: false }, origin: { type: 'string' }, 'include-root': { type: 'string', multiple: true } },
    });
    if (positionals.length === 0) throw new UsageError('lint needs zone files or directories: maildns lint <file-or-dir>...');
    if (values.origin !== undefined && positionals.length !== 1) throw new UsageError('--origin names the zone of one file: give exactly one file with it');
    // Live lookups only when asked for: --live, or a --resolver to ask.
    const live = values.live || (values.resolver?.length ?? 0) > 0;
    const resolver = live ? resolverFrom(values) : undefined;

    const { files, errors, skipped } = findZoneFiles(positionals, { origin: values.origin });
    if (errors.length > 0 && files.length === 0) throw new UsageError(errors[0]);
    // Files are read only from the paths given (a named file's directory too, for its $INCLUDEs)
    // and --include-root: a zone repository's CI must not print /etc/shadow or /proc/self/environ
    // because a pull request wrote `$INCLUDE` of them. docs/security-zone-io.md.
    const roots = [...positionals.flatMap((p) => (isDirectory(p) ? [p] : [p, path.dirname(p)])), ...(values['include-root'] ?? [])];
    const reader = fsReader({ roots, rootsName: 'the files and directories given to maildns lint (--include-root DIR reads there too)', limits: CLI_READ_LIMITS });
    const zones = parseWorkspace(files, reader);
    const findings = await lintZones(zones, { resolver, signal });
    const counts = { error: 0, warning: 0, info: 0 };
    for (const f of findings) counts[f.severity]++;

    if (values.json) {
      io.out(JSON.stringify({ files: zones.map((z) => ({ file: display(z.file), origin: z.origin ?? null })), errors, skipped, findings: findings.map((f) => located(f, zones)), summary: counts }, null, 2) + '\n');
    } else {
      for (const e of errors) io.err(`maildns: ${e}\n`);
      for (const s of skipped.slice(0, MAX_SKIPPED_SHOWN)) io.err(`maildns: skipped ${s}\n`);
      if (skipped.length > MAX_SKIPPED_SHOWN) io.err(`maildns: skipped ${skipped.length - MAX_SKIPPED_SHOWN} more (--json lists them all)\n`);
      for (const f of findings) {
        const p = located(f, zones);
        io.out(`${p.file}:${p.line}:${p.column}: ${f.severity} ${f.code} ${f.message}\n`);
      }
      const summary = `${zones.length} zone file${zones.length === 1 ? '' : 's'}: ${counts.error} error${counts.error === 1 ? '' : 's'}, ${counts.warning} warning${counts.warning === 1 ? '' : 's'}, ${counts.info} info`;
      io.err(summary + (live ? '' : ' (no live lookups: --live to ask DNS about names outside these files)') + '\n');
    }
    return counts.error > 0 ? 1 : 0;
  },
};

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function display(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

/** A finding with 1-based line and column (start and end), as compilers print them. */
function located(f: ZoneFinding, zones: ParsedZone[]) {
  const src = zones.find((z) => z.sources.has(f.file))?.sources.get(f.file);
  const start = src?.lines.position(f.start) ?? { line: 0, column: 0 };
  const end = src?.lines.position(f.end) ?? start;
  const fileOf = (x: string) => display(x);
  return {
    ...f,
    file: fileOf(f.file),
    line: start.line + 1,
    column: start.column + 1,
    endLine: end.line + 1,
    endColumn: end.column + 1,
    ...(f.fix ? { fix: { ...f.fix, edits: f.fix.edits.map((e) => ({ ...e, file: fileOf(e.file) })) } } : {}),
  };
}

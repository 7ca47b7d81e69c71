import { statSync } from 'node:fs';
import * as path from 'node:path';
import { jsonText, terminalLine } from '../../core/escape';
import { fsReader } from '../../core/zone/fsReader';
import { CLI_READ_LIMITS } from '../../core/zone/limits';
import { lintWorkspace } from '../../core/zone/lint';
import type { ParsedZone, SourceFile } from '../../core/zone/parser';
import type { ZoneFinding } from '../../core/zone/types';
import { findZoneFiles, parseWorkspace } from '../../core/zone/workspace';
import { defineCommand, DNS_OPTIONS, resolverFrom, UsageError } from '../shared';

/** Lines of "skipped …" printed before the rest is only counted (a walk of /proc finds hundreds). */
const MAX_SKIPPED_SHOWN = 20;

export const lintCommand = defineCommand({
  name: 'lint',
  summary: 'Check zone files as BIND loads them (errors: what named refuses), plus SPF in TXT and PTR ↔ A consistency (warnings)',
  args: '<file-or-dir>...',
  about: [
    'Lints the zone files given, and those found in the directories given, together: PTR ↔ A consistency is checked across them. Prints one finding a line, file:line:col: severity code message, and a summary on standard error. An error is something BIND (named-checkzone with its default options) refuses to load; mail and policy findings (SPF, PTR ↔ A, a missing final dot) are warnings, so the exit status gates a deploy as named-checkzone does.',
    'Which files are zones, and their origins, come as the server sees them: a named.conf (or nsd.conf, knot.conf) in a directory given says which files it loads, with which origin and working directory; files it does not load (backups, old copies) are not linted. Without one, every file that is a zone by its content (not root hints, dig output or a fragment with no SOA) is linted, with the origin its SOA record or $ORIGIN gives, its file name as a last resort. --origin and a zones.json manifest beside the file override. What was skipped and why goes to standard error, one line each.',
    'A relative $INCLUDE is read from named\'s working directory: the configuration\'s directory option, else --directory (as named-checkzone -w), else the current directory (then, as a guess, also from beside the including file, with a warning).',
    'Files are read only inside the paths given (and a named file\'s own directory): a symlink that leaves them, or a $INCLUDE of a file outside them, is refused and reported, so a zone repository\'s CI never prints /etc/shadow because a change asked for it. --include-root allows more. Only regular files are read, within per-file and per-run size budgets (docs/security.md).',
    'Without --live or --resolver nothing is asked of DNS. Finding codes: docs/zone-lint.md.',
  ],
  options: [
    { name: 'origin', kind: 'string', value: 'zone', description: 'the zone of the one file given' },
    { name: 'include-root', kind: 'string', value: 'dir', multiple: true, description: 'also read files under this directory ($INCLUDE targets, symlink targets); repeatable' },
    { name: 'directory', kind: 'string', value: 'dir', description: "named's working directory for zones no configuration places: relative $INCLUDEs are read from here (named-checkzone -w); read as an --include-root too" },
    { name: 'check-names', kind: 'string', value: 'warn|fail|ignore', description: 'host names that are none (RFC 952): warnings (default, as named-checkzone), errors (named-checkzone -k fail; named itself fails primary zones so), or not checked' },
    { name: 'fail-on', kind: 'string', value: 'error|warning', description: 'exit 1 on errors (default: what BIND refuses), or on warnings too' },
    { name: 'live', kind: 'flag', description: 'ask DNS about names and addresses no zone given answers for (also on with any --resolver)' },
    ...DNS_OPTIONS,
  ],
  examples: ['maildns lint zones/', 'maildns lint db.example.com --origin example.com', 'maildns lint zones/ --include-root /etc/bind/includes', 'maildns lint zones/ --live --resolver 127.0.0.1:5353 --json'],
  exit: '0 no errors (warnings allowed), 1 an error found (or a warning, with --fail-on warning), 2 bad arguments or no zone file could be read.',
  async main({ values, positionals }, io, signal) {
    if (positionals.length === 0) throw new UsageError('lint needs zone files or directories: maildns lint <file-or-dir>...');
    if (values.origin !== undefined && positionals.length !== 1) throw new UsageError('--origin names the zone of one file: give exactly one file with it');
    // Live lookups only when asked for: --live, or a --resolver to ask.
    const live = values.live || values.resolver.length > 0;
    const resolver = live ? resolverFrom(values) : undefined;

    const failOn = values['fail-on'] ?? 'error';
    if (failOn !== 'error' && failOn !== 'warning') throw new UsageError(`--fail-on is error or warning, not ${JSON.stringify(failOn)}`);
    const checkNames = values['check-names'] ?? 'warn';
    if (checkNames !== 'warn' && checkNames !== 'fail' && checkNames !== 'ignore') throw new UsageError(`--check-names is warn, fail or ignore, not ${JSON.stringify(checkNames)}`);
    const directory = values.directory === undefined ? process.cwd() : path.resolve(values.directory);
    const { files, errors, skipped, notes, configs } = findZoneFiles(positionals, { origin: values.origin, directory, directoryGuessed: values.directory === undefined });
    if (errors.length > 0 && files.length === 0) throw new UsageError(errors[0]);
    // Files are read only from the paths given (a named file's directory too, for its $INCLUDEs)
    // and --include-root: a zone repository's CI must not print /etc/shadow or /proc/self/environ
    // because a pull request wrote `$INCLUDE` of them. docs/security.md.
    const roots = [...positionals.flatMap((p) => (isDirectory(p) ? [p] : [p, path.dirname(p)])), ...values['include-root'], ...(values.directory !== undefined ? [values.directory] : [])];
    const reader = fsReader({ roots, rootsName: 'the files and directories given to maildns lint (--include-root DIR reads there too)', limits: CLI_READ_LIMITS });
    const zones = parseWorkspace(files, reader);
    // Two copies of one zone (views, a backup when no configuration tells) are linted apart.
    // The clock, as the editor passes it: each fix also bumps its zone's SOA serial (docs/zone-lint.md).
    const findings = await lintWorkspace(zones, { resolver, signal, checkNames, now: io.now?.() ?? new Date() });
    const sources = sourcesOf(zones);
    const counts = { error: 0, warning: 0, info: 0 };
    for (const f of findings) counts[f.severity]++;

    if (values.json) {
      io.out(
        jsonText({
          files: zones.map((z) => ({ file: display(z.file), origin: z.origin ?? null, originSource: z.originSource ?? null })),
          configs: configs.map(display),
          errors,
          skipped,
          notes,
          findings: findings.map((f) => located(f, sources)),
          summary: counts,
        }) + '\n',
      );
    } else {
      // File names and messages may hold anything a file name or zone data can: one line each, escaped.
      for (const e of errors) io.err(`maildns: ${terminalLine(e)}\n`);
      for (const s of skipped.slice(0, MAX_SKIPPED_SHOWN)) io.err(`maildns: skipped ${terminalLine(s)}\n`);
      if (skipped.length > MAX_SKIPPED_SHOWN) io.err(`maildns: skipped ${skipped.length - MAX_SKIPPED_SHOWN} more (--json lists them all)\n`);
      for (const n of notes.slice(0, MAX_SKIPPED_SHOWN)) io.err(`maildns: info: ${terminalLine(n)}\n`);
      if (notes.length > MAX_SKIPPED_SHOWN) io.err(`maildns: info: ${notes.length - MAX_SKIPPED_SHOWN} more files not linted (--json lists them all)\n`);
      for (const f of findings) {
        const p = located(f, sources);
        io.out(terminalLine(`${p.file}:${p.line}:${p.column}: ${f.severity} ${f.code} ${f.message}`) + '\n');
      }
      const summary = `${zones.length} zone file${zones.length === 1 ? '' : 's'}: ${counts.error} error${counts.error === 1 ? '' : 's'}, ${counts.warning} warning${counts.warning === 1 ? '' : 's'}, ${counts.info} info`;
      io.err(summary + (live ? '' : ' (no live lookups: --live to ask DNS about names outside these files)') + '\n');
    }
    return counts.error > 0 || (failOn === 'warning' && counts.warning > 0) ? 1 : 0;
  },
});

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

/** Each file's source, from whichever zone read it: looked up once per run, not once per finding. */
function sourcesOf(zones: ParsedZone[]): Map<string, SourceFile> {
  const sources = new Map<string, SourceFile>();
  for (const z of zones) for (const [file, src] of z.sources) if (!sources.has(file)) sources.set(file, src);
  return sources;
}

/** A finding with 1-based line and column (start and end), as compilers print them. */
function located(f: ZoneFinding, sources: Map<string, SourceFile>) {
  const src = sources.get(f.file);
  const start = src?.lines.position(f.start) ?? { line: 0, column: 0 };
  const end = src?.lines.position(f.end) ?? start;
  return {
    ...f,
    file: display(f.file),
    line: start.line + 1,
    column: start.column + 1,
    endLine: end.line + 1,
    endColumn: end.column + 1,
    ...(f.fix ? { fix: { ...f.fix, edits: f.fix.edits.map((e) => ({ ...e, file: display(e.file) })) } } : {}),
  };
}

// Which files are zone files, and which origin each has when no server configuration says:
// a `zones.json` manifest beside them (`[{ "name": "example.com", "file": "example.com.zone" }]`,
// the format test/harness/bind.ts serves), else the file name (`db.example.com`,
// `example.com.zone`), else the file's own `$ORIGIN` or SOA owner.
import { type BigIntStats, lstatSync, readdirSync, realpathSync, statSync } from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { type FileKind, formatBytes, isWithin, kindOf, type RawRead, readRegularFile, readRegularFileSync } from './fsReader';
import { MANIFEST_MAX_BYTES, SNIFF_BYTES, WALK_MAX_DEPTH, WALK_MAX_ENTRIES, ZoneBudget } from './limits';
import { scanName } from './names';
import { parseZone, type ParsedZone } from './parser';
import type { ZoneReader } from './types';

/** `*.zone`, `db.*`, `*.db`: names editors and BIND setups use for zone files. */
export function isZoneFileName(file: string): boolean {
  const base = path.basename(file).toLowerCase();
  return base.endsWith('.zone') || base.startsWith('db.') || base.endsWith('.db');
}

/** Text that starts like a zone file: `$ORIGIN`, `$TTL` or an SOA record before other data. */
export function looksLikeZone(text: string): boolean {
  const head = text.slice(0, 4096);
  for (const raw of head.split('\n').slice(0, 40)) {
    const line = raw.replace(/;.*$/, '').trim();
    if (line === '') continue;
    if (/^\$(ORIGIN|TTL|INCLUDE)\b/i.test(line)) return true;
    if (/(^|\s)SOA(\s|$)/i.test(line)) return true;
    return false;
  }
  return false;
}

/** The zone name a file name suggests (`db.example.com` → `example.com`), when it looks like a domain. */
export function originFromFileName(file: string): string | undefined {
  let base = path.basename(file);
  if (/\.zone$/i.test(base)) base = base.slice(0, -5);
  else if (/\.db$/i.test(base)) base = base.slice(0, -3);
  else if (/^db\./i.test(base)) base = base.slice(3);
  if (!base.includes('.') || base.startsWith('.')) return undefined;
  // Must end in a letter label (a TLD or arpa), not a file extension that looks like one.
  if (!/\.[a-z][a-z0-9-]*\.?$/i.test(base) || /\.(txt|conf|json|md|bak|orig|old|tmp|swp)$/i.test(base)) return undefined;
  const name = base.endsWith('.') ? base : base + '.';
  return scanName(name).error ? undefined : base.replace(/\.$/, '');
}

interface ManifestEntry {
  name: string;
  file: string;
}

function parseManifest(text: string): ManifestEntry[] | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed)) return undefined;
  return parsed.filter((e): e is ManifestEntry => typeof e?.name === 'string' && typeof e?.file === 'string');
}

export interface WorkspaceFile {
  file: string;
  origin?: string;
}

export interface FoundZoneFiles {
  files: WorkspaceFile[];
  /** Paths given that cannot be searched: missing, unreadable, neither a directory nor a regular file. */
  errors: string[];
  /** What the search did not follow or read, and why: symlinks out of the paths given or in a loop, FIFOs and devices, a limit reached. */
  skipped: string[];
  /** The work done: directory entries looked at, directories listed. */
  searched: { entries: number; directories: number };
}

export interface FindOptions {
  /** The origin of the one file given (`maildns lint --origin`). */
  origin?: string;
  /** Directory entries to look at in all before stopping (default WALK_MAX_ENTRIES). */
  maxEntries?: number;
}

const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', 'out', 'dist']);
const NOT_ZONE_EXTENSIONS = /\.(md|json|js|ts|txt|conf|yml|yaml|sh|py|html|css|png|jpg|gz|zip)$/i;

// The search is written once, as a generator that yields each file system call it needs; a sync
// driver (the CLI, tests) and an async one (the editor: never blocks, can be cancelled) run it.
interface Stat {
  kind: FileKind;
  size: number;
  /** Device and inode: the same directory reached twice (a symlink loop, a bind mount) has one id. */
  id: string;
}
interface FsFailure {
  failed: string;
}
type FsOp =
  | { op: 'stat' | 'lstat' | 'realpath' | 'readdir'; path: string }
  | { op: 'read'; path: string; max: number; head: boolean };
type Search<T> = Generator<FsOp, T, unknown>;

function isFailure(x: unknown): x is FsFailure {
  return typeof x === 'object' && x !== null && 'failed' in x;
}

function failure(e: unknown): FsFailure {
  return { failed: (e as NodeJS.ErrnoException).code ?? (e as Error).message };
}

function toStat(st: BigIntStats): Stat {
  return { kind: kindOf(st), size: Number(st.size), id: `${st.dev}:${st.ino}` };
}

function* call<T>(op: FsOp): Search<T | FsFailure> {
  return (yield op) as T | FsFailure;
}

function runSync(op: FsOp): unknown {
  try {
    switch (op.op) {
      case 'stat':
        return toStat(statSync(op.path, { bigint: true }));
      case 'lstat':
        return toStat(lstatSync(op.path, { bigint: true }));
      case 'realpath':
        return realpathSync(op.path);
      case 'readdir':
        return readdirSync(op.path);
      case 'read':
        return readRegularFileSync(op.path, op.max, op.head);
    }
  } catch (e) {
    return failure(e);
  }
}

async function runAsync(op: FsOp): Promise<unknown> {
  try {
    switch (op.op) {
      case 'stat':
        return toStat(await fsp.stat(op.path, { bigint: true }));
      case 'lstat':
        return toStat(await fsp.lstat(op.path, { bigint: true }));
      case 'realpath':
        return await fsp.realpath(op.path);
      case 'readdir':
        return await fsp.readdir(op.path);
      case 'read':
        return await readRegularFile(op.path, op.max, op.head);
    }
  } catch (e) {
    return failure(e);
  }
}

function describeFailure(f: FsFailure): string {
  return f.failed === 'ENOENT' ? 'no such file or directory' : f.failed === 'ELOOP' ? 'a symlink loop' : f.failed;
}

/**
 * The search: every path given is a root. Directories are walked without leaving the roots (a
 * symlink whose real path is outside every root is reported and not followed), each directory
 * once (by device and inode, so symlink loops end), at most WALK_MAX_DEPTH deep and
 * WALK_MAX_ENTRIES entries in all; only regular files are taken. A file named directly is taken
 * even when it is a symlink to elsewhere: the user chose it.
 */
function* search(paths: readonly string[], options: FindOptions): Search<FoundZoneFiles> {
  const files = new Map<string, WorkspaceFile>();
  const errors: string[] = [];
  const skipped: string[] = [];
  const searched = { entries: 0, directories: 0 };
  const visited = new Set<string>();
  const manifests = new Map<string, Map<string, string>>();
  const rootReals: string[] = [];
  const maxEntries = options.maxEntries ?? WALK_MAX_ENTRIES;
  let stopped = false;

  function* manifestOf(dir: string): Search<Map<string, string>> {
    let m = manifests.get(dir);
    if (!m) {
      const file = path.join(dir, 'zones.json');
      const r = yield* call<RawRead>({ op: 'read', path: file, max: MANIFEST_MAX_BYTES, head: false });
      let entries: ManifestEntry[] = [];
      if (!isFailure(r) && r.ok) entries = parseManifest(r.text) ?? [];
      else if (!isFailure(r) && r.why !== 'unreadable') skipped.push(`${file}: ${r.why === 'too-big' ? `over ${formatBytes(MANIFEST_MAX_BYTES)}` : `a ${r.kind}, not a regular file`}: not read`);
      m = new Map(entries.map((e) => [path.resolve(dir, e.file), e.name]));
      manifests.set(dir, m);
    }
    return m;
  }

  function* add(file: string, explicit: boolean): Search<void> {
    const resolved = path.resolve(file);
    if (files.has(resolved)) return;
    const origin = (explicit ? options.origin : undefined) ?? (yield* manifestOf(path.dirname(file))).get(resolved) ?? originFromFileName(file);
    files.set(resolved, { file, ...(origin ? { origin } : {}) });
  }

  function* walk(dir: string, depth: number): Search<void> {
    const entries = yield* call<string[]>({ op: 'readdir', path: dir });
    if (isFailure(entries)) {
      (depth === 0 ? errors : skipped).push(`cannot read directory ${dir}: ${describeFailure(entries)}`);
      return;
    }
    searched.directories++;
    entries.sort();
    const manifest = yield* manifestOf(dir);
    for (const name of entries) {
      if (stopped) return;
      if (++searched.entries > maxEntries) {
        searched.entries--;
        stopped = true;
        skipped.push(`stopped looking for zone files after ${maxEntries.toLocaleString('en')} directory entries (in ${dir})`);
        return;
      }
      const full = path.join(dir, name);
      let st = yield* call<Stat>({ op: 'lstat', path: full });
      if (isFailure(st)) continue;
      const link = st.kind === 'symbolic link';
      if (link) {
        const real = yield* call<string>({ op: 'realpath', path: full });
        if (isFailure(real)) {
          // A dangling link is common and harmless; a loop is worth a word.
          if (real.failed === 'ELOOP') skipped.push(`${full}: a symlink loop, not followed`);
          continue;
        }
        if (!rootReals.some((r) => isWithin(r, real))) {
          skipped.push(`${full} is a symlink to ${real}, outside ${paths.length === 1 ? paths[0] : 'the paths given'}: not followed`);
          continue;
        }
        st = yield* call<Stat>({ op: 'stat', path: full });
        if (isFailure(st)) continue;
      }
      if (st.kind === 'directory') {
        if (SKIP_DIRS.has(name) || name.startsWith('.')) continue;
        // Already searched: a loop back up, or a second way to the same directory.
        if (visited.has(st.id)) {
          if (link) skipped.push(`${full} is a symlink to a directory already searched (a loop?): not followed again`);
          continue;
        }
        if (depth >= WALK_MAX_DEPTH) {
          skipped.push(`${full}: more than ${WALK_MAX_DEPTH} directories deep, not searched`);
          continue;
        }
        visited.add(st.id);
        yield* walk(full, depth + 1);
        continue;
      }
      if (name === 'zones.json') continue;
      const listed = manifest.has(path.resolve(full));
      if (st.kind !== 'regular file') {
        if (listed || isZoneFileName(name)) skipped.push(`${full} is a ${st.kind}, not a regular file: not read`);
        continue;
      }
      if (listed || isZoneFileName(name)) {
        yield* add(full, false);
        continue;
      }
      // Files with no telling name: look at how they start.
      if (st.size > 0 && !NOT_ZONE_EXTENSIONS.test(name)) {
        const head = yield* call<RawRead>({ op: 'read', path: full, max: SNIFF_BYTES, head: true });
        if (!isFailure(head) && head.ok && looksLikeZone(head.text)) yield* add(full, false);
      }
    }
  }

  // Every root's real path first: a symlink from one root into another stays inside.
  const roots: { p: string; st: Stat }[] = [];
  for (const p of paths) {
    const st = yield* call<Stat>({ op: 'stat', path: p });
    if (isFailure(st)) {
      errors.push(`cannot read ${p}: ${describeFailure(st)}`);
      continue;
    }
    if (st.kind === 'directory') {
      const real = yield* call<string>({ op: 'realpath', path: p });
      rootReals.push(isFailure(real) ? path.resolve(p) : real);
    }
    roots.push({ p, st });
  }
  for (const { p, st } of roots) {
    if (st.kind === 'directory') {
      if (visited.has(st.id)) continue;
      visited.add(st.id);
      yield* walk(p, 0);
    } else if (st.kind === 'regular file') {
      yield* add(p, true);
    } else {
      errors.push(`${p} is a ${st.kind}, not a regular file: not read`);
    }
  }
  return { files: [...files.values()], errors, skipped, searched };
}

/** Zone files under the given files and directories, each with the origin it will be parsed with. */
export function findZoneFiles(paths: readonly string[], options: FindOptions = {}): FoundZoneFiles {
  const g = search(paths, options);
  let r = g.next();
  while (!r.done) r = g.next(runSync(r.value));
  return r.value;
}

/** findZoneFiles without blocking: every file system call is awaited; `signal` stops it (AbortError). */
export async function findZoneFilesAsync(paths: readonly string[], options: FindOptions & { signal?: AbortSignal } = {}): Promise<FoundZoneFiles> {
  const g = search(paths, options);
  let r = g.next();
  while (!r.done) {
    options.signal?.throwIfAborted();
    r = g.next(await runAsync(r.value));
  }
  return r.value;
}

/**
 * Parses the files as zones, in order, all charged to one budget (the lint run's, limits.ts). A
 * file another one `$INCLUDE`s is read as part of that zone, not on its own (its findings come
 * with the including zone).
 */
export function parseWorkspace(files: WorkspaceFile[], reader: ZoneReader, budget: ZoneBudget = new ZoneBudget()): ParsedZone[] {
  const zones = files.map((f) => parseZone(undefined, { file: f.file, origin: f.origin, reader, budget }));
  return zonesToLint(zones, budget);
}

/**
 * The zones a run lints out of every file it parsed: those no other zone `$INCLUDE`s. When a
 * budget ran out in the parse of a file left out that way, the finding that says so is carried
 * over to a zone that is linted (one that reads that file, else the first), so it is never lost.
 */
export function zonesToLint(zones: ParsedZone[], budget?: ZoneBudget): ParsedZone[] {
  const included = new Set<string>();
  for (const z of zones) for (const inc of z.includes) included.add(path.resolve(inc.file));
  const kept = zones.filter((z) => !included.has(path.resolve(z.file)));
  const stop = budget?.stop;
  if (!stop || kept.some((z) => z.file === stop.zoneFile)) return kept;
  const holder = zones.find((z) => z.file === stop.zoneFile);
  if (!holder) return kept;
  let k = kept.findIndex((z) => z.sources.has(stop.finding.file));
  if (k < 0) k = kept.length > 0 ? 0 : -1;
  if (k < 0) return [holder];
  // A copy: the zone may be an editor document's last parse, reused by the next run.
  const out = kept.slice();
  out[k] = { ...kept[k], diagnostics: [...kept[k].diagnostics, stop.finding], truncated: true };
  return out;
}

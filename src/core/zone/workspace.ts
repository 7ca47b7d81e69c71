// Which files are zones, and with which origin and working directory each is read — the way the
// server sees them:
//
//   1. `--origin` for the one file given, or a `zones.json` manifest beside the file
//      (`[{ "name": "example.com", "file": "example.com.zone" }]`, the format test/harness/bind.ts
//      serves): an explicit override;
//   2. the server's configuration when the folder has one (BIND's named.conf and the files it
//      includes, NSD's nsd.conf, Knot's knot.conf, serverConfig.ts): its primary zones are the
//      zones, with the origin and file it gives and its `directory` as the folder `$INCLUDE`s are
//      read from; other zone-like files under it are not loaded by the server and are skipped
//      (backups, old copies), secondaries and hints too;
//   3. without one, each file that is a zone by its content (an SOA, records; not root hints nor
//      dig output): its origin from its own text (the SOA owner, else its first `$ORIGIN`), the
//      file name (`db.example.com`, `example.com.zone`) only as a last resort — chosen when it is
//      parsed (`originFromText`), so that the editor, which re-reads text as it is typed, and the
//      CLI choose alike.
//
// Everything is read through the walk's own file-system calls, only inside the paths given (a
// configuration's absolute paths are mapped onto the folder it is in, never read where they point).
import { type BigIntStats, lstatSync, readdirSync, realpathSync, statSync } from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { type FileKind, formatBytes, isWithin, kindOf, type RawRead, readRegularFile, readRegularFileSync } from './fsReader';
import { MANIFEST_MAX_BYTES, SNIFF_BYTES, WALK_MAX_DEPTH, WALK_MAX_ENTRIES, ZoneBudget } from './limits';
import { scanName } from './names';
import { parseZone, type ParsedZone } from './parser';
import { completeName } from './rdataTypes';
import { CONFIG_LIMITS, configKind, type ConfigZone, type ParsedConfig, parseConfig, type ServerKind } from './serverConfig';
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

// Extensions that mark a copy or a template of a zone file, never the zone itself.
const NOT_A_NAME = /\.(txt|conf|json|md|bak|orig|old|tmp|swp|save|in|sample|example|dist|tpl|template|j2|erb|rej|jnl|signed|keys?|private|gz|bz2|xz|zip)$/i;

/**
 * The zone name a file name suggests (`db.example.com`, `example.com.zone`, `.db`, `.hosts`, `.dns`
 * → `example.com`), when it looks like a
 * domain of at least two labels; the last resort for a file whose text gives no origin.
 */
export function originFromFileName(file: string): string | undefined {
  let base = path.basename(file);
  if (NOT_A_NAME.test(base)) return undefined;
  if (/\.zone$/i.test(base)) base = base.slice(0, -5);
  else if (/\.db$/i.test(base)) base = base.slice(0, -3);
  // Webmin/Virtualmin write `example.com.hosts`, Windows DNS Server `example.com.dns`.
  else if (/\.(hosts|dns)$/i.test(base)) base = base.replace(/\.(hosts|dns)$/i, '');
  else if (/^db\./i.test(base)) base = base.slice(3);
  if (!base.includes('.') || base.startsWith('.')) return undefined;
  if (NOT_A_NAME.test(base)) return undefined;
  // Must end in a letter label (a TLD or arpa), not a file extension that looks like one.
  if (!/\.[a-z][a-z0-9-]*\.?$/i.test(base)) return undefined;
  const name = base.endsWith('.') ? base : base + '.';
  return scanName(name).error ? undefined : base.replace(/\.$/, '');
}

/**
 * The origin a zone file gives itself, read from its beginning: the owner of its SOA record
 * (absolute, or relative to an `$ORIGIN` before it), else its first `$ORIGIN`. Undefined when
 * it gives none (an SOA owner relative to nothing, no `$ORIGIN`).
 */
export function originFromText(text: string): { origin: string; source: 'the SOA record' | '$ORIGIN' } | undefined {
  const head = text.length > 65536 ? text.slice(0, 65536) : text;
  let origin: string | undefined;
  let first: string | undefined;
  let lastOwner: string | undefined;
  let depth = 0;
  let lines = 0;
  for (const raw of head.split('\n')) {
    if (++lines > 4000) break;
    const line = stripComment(raw);
    const opens = (line.match(/\(/g) ?? []).length;
    const closes = (line.match(/\)/g) ?? []).length;
    const inside = depth > 0;
    depth = Math.max(0, depth + opens - closes);
    if (inside || line.trim() === '') continue;
    const blank = line[0] === ' ' || line[0] === '\t';
    const toks = line.replace(/[()]/g, ' ').trim().split(/[ \t]+/);
    if (!blank && toks[0].startsWith('$')) {
      const d = toks[0].toUpperCase();
      if (d === '$ORIGIN' && toks[1] !== undefined) {
        const o = completeName(toks[1], origin ?? '.');
        if (o === undefined || (origin === undefined && !toks[1].endsWith('.'))) return first ? { origin: first, source: '$ORIGIN' } : undefined;
        origin = o;
        first ??= o;
      } else if (d === '$INCLUDE') break;
      continue;
    }
    const owner = blank ? lastOwner : toks[0];
    if (!blank) lastOwner = toks[0];
    let i = blank ? 0 : 1;
    for (let k = 0; k < 2 && i < toks.length; k++) {
      if (/^\d/.test(toks[i]) || /^(IN|CH|HS|CS|CLASS\d+)$/i.test(toks[i])) i++;
    }
    if (toks[i]?.toUpperCase() !== 'SOA' || owner === undefined) continue;
    if (owner === '@') return origin ? { origin, source: 'the SOA record' } : undefined;
    if (owner.endsWith('.') && !owner.endsWith('\\.')) {
      const o = completeName(owner, '.');
      return o ? { origin: o, source: 'the SOA record' } : undefined;
    }
    const o = origin ? completeName(owner, origin) : undefined;
    return o ? { origin: o, source: 'the SOA record' } : first ? { origin: first, source: '$ORIGIN' } : undefined;
  }
  return first ? { origin: first, source: '$ORIGIN' } : undefined;
}

function stripComment(line: string): string {
  if (line.indexOf(';') < 0) return line.replace(/\r$/, '');
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '\\') i++;
    else if (c === '"') quoted = !quoted;
    else if (c === ';' && !quoted) return line.slice(0, i);
  }
  return line.replace(/\r$/, '');
}

/** The names root hints files go by (named.root from InterNIC, named.ca, db.root …). */
const HINTS_NAME = /^(named\.(root|ca|cache)|root\.(hints|cache)|db\.(root|cache))$/i;

/** Why a file found in a folder is not a zone, from its beginning; undefined when it is one. */
export function notAZone(file: string, head: string): string | undefined {
  const base = path.basename(file).toLowerCase();
  const lines = head.split('\n');
  let sawRecord = false;
  let sawSoa = false;
  let sawInclude = false;
  let rootNs = 0;
  for (const raw of lines.slice(0, 400)) {
    const t = raw.trim();
    // dig(1) output: its banner and ";;" sections.
    if (/^; <<>> DiG /.test(t) || /^;; (->>HEADER<<-|global options:|Got answer:|QUESTION SECTION:|ANSWER SECTION:)/.test(t)) return 'dig output, not a zone file';
    const line = stripComment(raw).trim();
    if (line === '') continue;
    if (/^\$INCLUDE\b/i.test(line)) sawInclude = true;
    if (line.startsWith('$')) continue;
    sawRecord = true;
    if (/(^|\s)SOA(\s|$)/i.test(line)) sawSoa = true;
    if (/^\.\s+(\d+\s+)?(IN\s+)?NS\s/i.test(line)) rootNs++;
  }
  if (sawSoa || sawInclude) return undefined;
  if (rootNs > 0 || HINTS_NAME.test(base)) return 'root hints (the root servers), not a zone';
  if (!sawRecord) return head.trim() === '' ? 'empty' : 'no records';
  return 'no SOA record: not a zone of its own (an $INCLUDE fragment nothing includes, or a list of records)';
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
  /** The origin given for the file (argument, manifest, server configuration); else chosen from its text when parsed. */
  origin?: string;
  /** Where `origin` comes from, for messages: `the --origin argument`, `zones.json`, `named.conf:12`. */
  originSource?: string;
  /** The folder relative `$INCLUDE`s are read from (named's working directory); default: the including file's folder. */
  directory?: string;
  /** `directory` is a guess (no configuration or --directory said it). */
  directoryGuessed?: boolean;
}

export interface FoundZoneFiles {
  files: WorkspaceFile[];
  /** Paths given that cannot be searched: missing, unreadable, neither a directory nor a regular file. */
  errors: string[];
  /** What the search did not follow or read, and why: symlinks out of the paths given or in a loop, FIFOs and devices, a limit reached. */
  skipped: string[];
  /** Files seen and deliberately not linted as zones, one line each: not a zone, not loaded by the server's configuration. */
  notes: string[];
  /** The server configurations read. */
  configs: string[];
  /** The work done: directory entries looked at, directories listed. */
  searched: { entries: number; directories: number };
}

export interface FindOptions {
  /** The origin of the one file given (`maildns lint --origin`). */
  origin?: string;
  /** Directory entries to look at in all before stopping (default WALK_MAX_ENTRIES). */
  maxEntries?: number;
  /** named's working directory for zones no configuration places (`maildns lint --directory`, named-checkzone -w). */
  directory?: string;
  /** `directory` is a guess (the current directory), not the user's word: see ParseOptions.directoryGuessed. */
  directoryGuessed?: boolean;
}

const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', 'out', 'dist']);
const NOT_ZONE_EXTENSIONS = /\.(md|json|js|ts|txt|conf|yml|yaml|sh|py|html|css|png|jpg|gz|zip)$/i;
/** How much of a zone-like file the search reads to tell a zone from hints, dig output or a fragment. */
const CLASSIFY_BYTES = 64 * 1024;

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

/** A zone a configuration declares, with its file found in the folder. */
interface Declared {
  zone: ConfigZone;
  /** The file in the folder; undefined when not found there. */
  file?: string;
  /** A zone the server does not load from text (hint, secondary, …): its file in the folder, said once in the zone's line. */
  skippedFile?: string;
  /** Where it is declared: `named.conf:12` (relative to the search's first root when inside it). */
  where: string;
  directory: string;
}

/**
 * The search: every path given is a root. Directories are walked without leaving the roots (a
 * symlink whose real path is outside every root is reported and not followed), each directory
 * once (by device and inode, so symlink loops end), at most WALK_MAX_DEPTH deep and
 * WALK_MAX_ENTRIES entries in all; only regular files are taken. A file named directly is taken
 * even when it is a symlink to elsewhere: the user chose it.
 */
function* search(paths: readonly string[], options: FindOptions): Search<FoundZoneFiles> {
  const errors: string[] = [];
  const skipped: string[] = [];
  const notes: string[] = [];
  const searched = { entries: 0, directories: 0 };
  const visited = new Set<string>();
  const manifests = new Map<string, Map<string, string>>();
  const rootReals: string[] = [];
  const rootPaths: string[] = [];
  const maxEntries = options.maxEntries ?? WALK_MAX_ENTRIES;
  let stopped = false;
  /** Files named on the command line: always linted. */
  const explicit: string[] = [];
  /** Zone-like files the walk found: linted unless a configuration governs their folder or they are no zones. */
  const found: { file: string; listed: boolean }[] = [];
  const configFiles: string[] = [];

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

  const inside = (p: string) => rootPaths.some((r) => isWithin(r, path.resolve(p)));

  /** A regular file inside the roots (by name and by real path), or undefined. */
  function* regular(p: string): Search<string | undefined> {
    if (!inside(p)) return undefined;
    const real = yield* call<string>({ op: 'realpath', path: p });
    if (isFailure(real) || !rootReals.some((r) => isWithin(r, real))) return undefined;
    const st = yield* call<Stat>({ op: 'stat', path: p });
    return !isFailure(st) && st.kind === 'regular file' ? path.resolve(p) : undefined;
  }

  function* directoryInside(p: string): Search<string | undefined> {
    if (!inside(p)) return undefined;
    const real = yield* call<string>({ op: 'realpath', path: p });
    if (isFailure(real) || !rootReals.some((r) => isWithin(r, real))) return undefined;
    const st = yield* call<Stat>({ op: 'stat', path: p });
    return !isFailure(st) && st.kind === 'directory' ? path.resolve(p) : undefined;
  }

  /**
   * Where a path a configuration names is in this folder. The configuration is written for the
   * server (`/etc/bind/zones/db.example.com`); the folder holds a copy of its files: the path
   * as it is when that is inside the folder, else relative to the server's directory mapped onto
   * the folder, else its last components below the configuration's folder or a root.
   */
  function* mapPath(p: string, base: string, serverDir: string | undefined, confDir: string, want: 'file' | 'dir'): Search<string | undefined> {
    const check = want === 'file' ? regular : directoryInside;
    const candidates: string[] = [];
    if (path.isAbsolute(p)) {
      candidates.push(p);
      if (serverDir && path.isAbsolute(serverDir) && isWithin(serverDir, p) && p !== serverDir) candidates.push(path.join(base, path.relative(serverDir, p)));
    } else {
      candidates.push(path.resolve(base, p), path.resolve(confDir, p));
    }
    const parts = p.split(/[\\/]+/).filter((x) => x !== '' && x !== '.' && x !== '..');
    for (let k = Math.min(parts.length, 8); k >= 1; k--) {
      const tail = parts.slice(parts.length - k).join(path.sep);
      candidates.push(path.join(confDir, tail));
      for (const r of rootPaths) candidates.push(path.join(r, tail));
    }
    const tried = new Set<string>();
    for (const c of candidates) {
      const abs = path.resolve(c);
      if (tried.has(abs)) continue;
      tried.add(abs);
      if (tried.size > 24) break;
      const hit = yield* check(abs);
      if (hit) return hit;
    }
    return undefined;
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
      if (configKind(name) && st.kind === 'regular file') {
        configFiles.push(full);
        continue;
      }
      const listed = manifest.has(path.resolve(full));
      if (st.kind !== 'regular file') {
        if (listed || isZoneFileName(name)) skipped.push(`${full} is a ${st.kind}, not a regular file: not read`);
        continue;
      }
      // Root hints by their usual names are looked at too, to say in one line why they are left out.
      if (listed || isZoneFileName(name) || HINTS_NAME.test(name)) {
        found.push({ file: full, listed });
        continue;
      }
      // Files with no telling name: look at how they start.
      if (st.size > 0 && !NOT_ZONE_EXTENSIONS.test(name)) {
        const head = yield* call<RawRead>({ op: 'read', path: full, max: SNIFF_BYTES, head: true });
        if (!isFailure(head) && head.ok && looksLikeZone(head.text)) found.push({ file: full, listed: false });
      }
    }
  }

  /** A configuration and the files it includes: the zones they declare. */
  function* readConfig(file: string, kind: ServerKind, seen: Set<string>): Search<{ declared: Declared[]; directory: string } | undefined> {
    const confDir = path.dirname(path.resolve(file));
    const declared: Declared[] = [];
    let serverDir: string | undefined;
    let directory = confDir;
    let includes = 0;
    const display = (f: string) => {
      const r = rootPaths.find((root) => isWithin(root, f));
      return r ? path.relative(r === f ? path.dirname(r) : r, f) || path.basename(f) : f;
    };
    const one = function* (f: string, depth: number): Search<ParsedConfig | undefined> {
      const abs = path.resolve(f);
      if (seen.has(abs)) return undefined;
      seen.add(abs);
      const r = yield* call<RawRead>({ op: 'read', path: abs, max: MANIFEST_MAX_BYTES, head: false });
      if (isFailure(r) || !r.ok) {
        skipped.push(`${abs}: ${isFailure(r) ? describeFailure(r) : r.why === 'too-big' ? `over ${formatBytes(MANIFEST_MAX_BYTES)}` : r.why === 'not-regular' ? `a ${r.kind}, not a regular file` : r.error}: not read`);
        return undefined;
      }
      const parsed = parseConfig(kind, r.text);
      for (const p of parsed.problems.slice(0, 5)) notes.push(`${display(abs)}: ${p}`);
      if (parsed.directory !== undefined && serverDir === undefined) {
        serverDir = parsed.directory;
        directory = (yield* mapPath(parsed.directory, confDir, undefined, confDir, 'dir')) ?? confDir;
      }
      for (const z of parsed.zones) declared.push({ zone: z, where: `${display(abs)}:${z.line}`, directory: '' });
      for (const inc of parsed.includes) {
        if (++includes > CONFIG_LIMITS.includes || depth >= CONFIG_LIMITS.includeDepth) {
          notes.push(`${display(abs)}: more includes than ${CONFIG_LIMITS.includes} (or nested deeper than ${CONFIG_LIMITS.includeDepth}): ${inc} not read`);
          continue;
        }
        // NSD allows a glob; the folder's copy is looked for by name only.
        if (/[*?[]/.test(inc)) continue;
        const target = yield* mapPath(inc, path.dirname(abs), serverDir, confDir, 'file');
        if (!target) {
          notes.push(`${display(abs)}: include ${inc} is not in the folder: not read`);
          continue;
        }
        yield* one(target, depth + 1);
      }
      return parsed;
    };
    const parsed = yield* one(file, 0);
    if (!parsed) return undefined;
    for (const d of declared) {
      d.directory = directory;
      if (d.zone.file === undefined) continue;
      const mapped = yield* mapPath(d.zone.file, directory, serverDir, confDir, 'file');
      if (d.zone.skip) d.skippedFile = mapped;
      else d.file = mapped;
    }
    return { declared, directory };
  }

  // Every root's real path first: a symlink from one root into another stays inside.
  const roots: { p: string; st: Stat }[] = [];
  for (const p of paths) {
    const st = yield* call<Stat>({ op: 'stat', path: p });
    if (isFailure(st)) {
      errors.push(`cannot read ${p}: ${describeFailure(st)}`);
      continue;
    }
    const asRoot = st.kind === 'directory' ? p : path.dirname(p);
    const real = yield* call<string>({ op: 'realpath', path: asRoot });
    rootReals.push(isFailure(real) ? path.resolve(asRoot) : real);
    rootPaths.push(path.resolve(asRoot));
    roots.push({ p, st });
  }
  for (const { p, st } of roots) {
    if (st.kind === 'directory') {
      if (visited.has(st.id)) continue;
      visited.add(st.id);
      yield* walk(p, 0);
    } else if (st.kind === 'regular file') {
      explicit.push(p);
      // A configuration beside a file named alone says which zone it is.
      const dir = path.dirname(p);
      const entries = yield* call<string[]>({ op: 'readdir', path: dir });
      if (!isFailure(entries)) for (const name of entries.sort()) if (configKind(name)) configFiles.push(path.join(dir, name));
    } else {
      errors.push(`${p} is a ${st.kind}, not a regular file: not read`);
    }
  }

  // The configurations: the main ones first (named.conf before the files it includes).
  const configs: string[] = [];
  const declared: Declared[] = [];
  /** Folders a configuration speaks for, with its name (`named.conf`): files there it does not load are no zones of the server. */
  const governed: { dir: string; name: string }[] = [];
  const seenConfigs = new Set<string>();
  const uniqueConfigs = [...new Set(configFiles.map((f) => path.resolve(f)))].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  for (const f of uniqueConfigs) {
    if (seenConfigs.has(f)) continue;
    const kind = configKind(f)!;
    const r = yield* readConfig(f, kind, seenConfigs);
    if (!r) continue;
    configs.push(f);
    if (r.declared.length === 0) continue;
    governed.push({ dir: path.dirname(f), name: path.basename(f) });
    for (const d of r.declared) declared.push(d);
  }

  const files = new Map<string, WorkspaceFile>();
  const byFile = new Map<string, Declared>();
  for (const d of declared) if (d.file && !byFile.has(d.file)) byFile.set(d.file, d);
  const fromConfig = (d: Declared): WorkspaceFile => ({ file: d.file!, origin: d.zone.name, originSource: d.where, directory: d.directory });
  const defaults = (f: WorkspaceFile): WorkspaceFile =>
    options.directory !== undefined && f.directory === undefined ? { ...f, directory: options.directory, ...(options.directoryGuessed ? { directoryGuessed: true } : {}) } : f;

  for (const p of explicit) {
    const resolved = path.resolve(p);
    const manifestOrigin = (yield* manifestOf(path.dirname(p))).get(resolved);
    const d = byFile.get(resolved);
    let f: WorkspaceFile = { file: p };
    if (options.origin !== undefined) f = { file: p, origin: options.origin, originSource: 'the --origin argument', ...(d ? { directory: d.directory } : {}) };
    else if (manifestOrigin !== undefined) f = { file: p, origin: manifestOrigin, originSource: 'zones.json', ...(d ? { directory: d.directory } : {}) };
    else if (d) f = { ...fromConfig(d), file: p };
    files.set(resolved, defaults(f));
  }
  // Zones the configurations load, in their order (when a folder was given: a file named alone is
  // only placed by the configuration beside it).
  const walking = roots.some((r) => r.st.kind === 'directory');
  for (const d of walking ? declared : []) {
    if (d.zone.skip) {
      notes.push(`zone ${d.zone.name}${d.zone.view !== undefined ? ` (view ${d.zone.view})` : ''} (${d.where}): ${d.zone.skip}, not linted${d.skippedFile ? ` (${found.find((f) => path.resolve(f.file) === d.skippedFile)?.file ?? d.skippedFile})` : ''}`);
      continue;
    }
    if (!d.file) {
      notes.push(`zone ${d.zone.name} (${d.where}): its file ${d.zone.file ?? '(none given)'} is not in the folder, not linted`);
      continue;
    }
    const key = `${d.file}\0${d.zone.name}`;
    if (files.has(d.file) || files.has(key)) continue;
    // The same file for the same zone in two views is read once; a different zone from the same file is its own.
    const earlier = [...files.values()].find((f) => path.resolve(f.file) === d.file);
    files.set(earlier ? key : d.file, defaults(fromConfig(d)));
  }
  // Zone-like files the walk found that no configuration governs.
  for (const { file, listed } of found) {
    const resolved = path.resolve(file);
    if (files.has(resolved)) continue;
    const config = governed.find((g) => isWithin(g.dir, resolved));
    if (config !== undefined && !byFile.has(resolved)) {
      // The file of a hint or secondary zone: that zone's own line has said why it is not linted.
      if (declared.some((d) => d.skippedFile === resolved)) continue;
      notes.push(`${file}: ${config.name} does not load it (a backup, an old copy, a secondary's file?): not linted`);
      continue;
    }
    const head = yield* call<RawRead>({ op: 'read', path: file, max: CLASSIFY_BYTES, head: true });
    if (!isFailure(head) && head.ok) {
      const why = notAZone(file, head.text);
      if (why !== undefined && !listed) {
        notes.push(`${file}: ${why}: not linted as a zone`);
        continue;
      }
    }
    const manifestOrigin = (yield* manifestOf(path.dirname(file))).get(resolved);
    files.set(resolved, defaults(manifestOrigin !== undefined ? { file, origin: manifestOrigin, originSource: 'zones.json' } : { file }));
  }
  return { files: [...files.values()], errors, skipped, notes, configs, searched };
}

/** named.conf before the files named like it (they are usually included by it); then NSD, Knot. */
function rank(file: string): number {
  const base = path.basename(file).toLowerCase();
  return base === 'named.conf' ? 0 : base.startsWith('named.conf') ? 1 : 2;
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
 * The origin a file is parsed with: the one given (argument, manifest, configuration), else the
 * one its text gives (SOA owner, `$ORIGIN`), else its file name; with where it came from.
 */
export function chooseOrigin(f: WorkspaceFile, text: string | undefined): { origin?: string; originSource?: string } {
  if (f.origin !== undefined) return { origin: f.origin, originSource: f.originSource ?? 'given' };
  const own = text === undefined ? undefined : originFromText(text);
  if (own) return { origin: own.origin, originSource: own.source };
  const byName = originFromFileName(f.file);
  return byName ? { origin: byName, originSource: 'the file name' } : {};
}

/**
 * Parses the files as zones, in order, all charged to one budget (the lint run's, limits.ts). A
 * file another one `$INCLUDE`s is read as part of that zone, not on its own (its findings come
 * with the including zone).
 */
export function parseWorkspace(files: WorkspaceFile[], reader: ZoneReader, budget: ZoneBudget = new ZoneBudget()): ParsedZone[] {
  const zones = files.map((f) => {
    const read = reader.read(f.file);
    const { origin, originSource } = chooseOrigin(f, typeof read === 'string' ? read : undefined);
    const zone = parseZone(typeof read === 'string' ? read : undefined, { file: f.file, origin, reader: typeof read === 'string' ? reader : { read: () => read }, budget, ...(f.directory !== undefined ? { directory: f.directory } : {}), ...(f.directoryGuessed ? { directoryGuessed: true } : {}) });
    if (originSource !== undefined) zone.originSource = originSource;
    return zone;
  });
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

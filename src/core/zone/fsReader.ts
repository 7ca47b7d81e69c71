// Reading zone files from disk without letting a hostile folder hang or exhaust the reader
// (docs/security.md):
//   - only regular files: opened with O_NONBLOCK, so a FIFO never blocks the open, then refused
//     after fstat, as are devices (/dev/zero) and sockets;
//   - at most a file's cap, counted while reading (sizes lie: /proc files say 0, files grow);
//   - at most a run's budget in all, charged by the reader instance of one lint run;
//   - with roots given, only files inside them, checked first by name (no file system access for
//     `/etc/shadow` or a Windows `//host/share`) and then by real path (a symlink out is refused).
// `fsReader` is the CLI's and the tests' ZoneReader; the editor uses the same pieces with its
// documents in front (src/vscode/zoneWorkspace.ts).
import { closeSync, constants, fstatSync, openSync, readSync, realpathSync } from 'node:fs';
import { open as openAsync, realpath as realpathAsync } from 'node:fs/promises';
import * as path from 'node:path';
import { CLI_READ_LIMITS, MiB, type ReadLimits } from './limits';
import type { ZoneReader, ZoneReadError } from './types';

// Windows has neither flag (and no FIFOs to block on): 0 there.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);

export type FileKind = 'regular file' | 'directory' | 'FIFO' | 'socket' | 'character device' | 'block device' | 'symbolic link' | 'special file';

interface StatLike {
  isFile(): boolean;
  isDirectory(): boolean;
  isFIFO(): boolean;
  isSocket(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
  isSymbolicLink(): boolean;
}

export function kindOf(st: StatLike): FileKind {
  if (st.isFile()) return 'regular file';
  if (st.isDirectory()) return 'directory';
  if (st.isFIFO()) return 'FIFO';
  if (st.isSocket()) return 'socket';
  if (st.isCharacterDevice()) return 'character device';
  if (st.isBlockDevice()) return 'block device';
  if (st.isSymbolicLink()) return 'symbolic link';
  return 'special file';
}

/** What reading one file gave: its text, or why not. */
export type RawRead =
  | { ok: true; text: string; bytes: number }
  /** It could not be opened or read (ENOENT, EACCES, ELOOP, EIO): `error` is the system's word. */
  | { ok: false; why: 'unreadable'; error: string }
  | { ok: false; why: 'not-regular'; kind: FileKind }
  /** Over the cap: `size` is what fstat said, or the bytes seen before stopping (`atLeast`). */
  | { ok: false; why: 'too-big'; size: number; atLeast: boolean };

function unreadable(e: unknown): RawRead {
  return { ok: false, why: 'unreadable', error: (e as NodeJS.ErrnoException).code ?? (e as Error).message };
}

const FIRST_CHUNK = 64 * 1024;

/** A buffer for the next read: the file's size if it says one, growing to at most `maxBytes + 1`. */
function grow(buf: Buffer | undefined, used: number, size: number, maxBytes: number): Buffer {
  if (!buf) return Buffer.allocUnsafe(Math.min(maxBytes + 1, Math.max(size + 1, FIRST_CHUNK)));
  const bigger = Buffer.allocUnsafe(Math.min(maxBytes + 1, buf.length * 2));
  buf.copy(bigger, 0, 0, used);
  return bigger;
}

/**
 * Reads `file` if it is a regular file of at most `maxBytes`: never blocks on a FIFO, never reads
 * past `maxBytes + 1`. With `head`, a longer file gives its first `maxBytes` bytes instead.
 */
export function readRegularFileSync(file: string, maxBytes: number, head = false): RawRead {
  let fd: number;
  try {
    fd = openSync(file, OPEN_FLAGS);
  } catch (e) {
    return unreadable(e);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return { ok: false, why: 'not-regular', kind: kindOf(st) };
    if (st.size > maxBytes && !head) return { ok: false, why: 'too-big', size: st.size, atLeast: false };
    let buf = grow(undefined, 0, st.size, maxBytes);
    let total = 0;
    for (;;) {
      if (total === buf.length) {
        if (total > maxBytes) return head ? { ok: true, text: buf.toString('utf8', 0, maxBytes), bytes: maxBytes } : { ok: false, why: 'too-big', size: total, atLeast: true };
        buf = grow(buf, total, st.size, maxBytes);
      }
      const n = readSync(fd, buf, total, buf.length - total, null);
      if (n === 0) break;
      total += n;
    }
    return { ok: true, text: buf.toString('utf8', 0, total), bytes: total };
  } catch (e) {
    return unreadable(e);
  } finally {
    closeSync(fd);
  }
}

/** readRegularFileSync without blocking the event loop (the editor's workspace load). */
export async function readRegularFile(file: string, maxBytes: number, head = false): Promise<RawRead> {
  let fh;
  try {
    fh = await openAsync(file, OPEN_FLAGS);
  } catch (e) {
    return unreadable(e);
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) return { ok: false, why: 'not-regular', kind: kindOf(st) };
    if (st.size > maxBytes && !head) return { ok: false, why: 'too-big', size: st.size, atLeast: false };
    let buf = grow(undefined, 0, st.size, maxBytes);
    let total = 0;
    for (;;) {
      if (total === buf.length) {
        if (total > maxBytes) return head ? { ok: true, text: buf.toString('utf8', 0, maxBytes), bytes: maxBytes } : { ok: false, why: 'too-big', size: total, atLeast: true };
        buf = grow(buf, total, st.size, maxBytes);
      }
      const { bytesRead } = await fh.read(buf, total, buf.length - total, null);
      if (bytesRead === 0) break;
      total += bytesRead;
    }
    return { ok: true, text: buf.toString('utf8', 0, total), bytes: total };
  } catch (e) {
    return unreadable(e);
  } finally {
    await fh.close();
  }
}

/** `64 MiB`, `70.2 MiB`, `812 bytes`. */
export function formatBytes(n: number): string {
  if (n >= MiB) return n % MiB === 0 ? `${n / MiB} MiB` : `${(n / MiB).toFixed(1)} MiB`;
  return n >= 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${n} bytes`;
}

const DOCS = 'docs/security.md';

/** The finding for a file that was there but not read; undefined when it could not be read at all. */
export function readRefusal(file: string, r: RawRead, limits: ReadLimits): ZoneReadError | undefined {
  if (r.ok || r.why === 'unreadable') return undefined;
  if (r.why === 'not-regular') return { code: 'zone-file-not-regular', message: `not read: ${file} is a ${r.kind}, not a regular file` };
  return { code: 'zone-file-too-big', message: `not read: ${file} is ${r.atLeast ? 'over ' : ''}${formatBytes(r.size)}, more than the ${formatBytes(limits.maxFileBytes)} one zone file may have (${DOCS})` };
}

/** Whether `file` is `root` or below it, by the names alone: no file system access. */
export function isWithin(root: string, file: string, p: path.PlatformPath = path): boolean {
  const rel = p.relative(root, file);
  // Another drive or a UNC path gives an absolute `rel` on Windows.
  return rel === '' || (!p.isAbsolute(rel) && rel !== '..' && !rel.startsWith('..' + p.sep));
}

/** What `file` resolves to against `roots`: inside, or outside with its real path when a symlink took it out. */
export type Placement = { inside: true } | { inside: false; real?: string };

/**
 * The directories (or single files) a run may read from. A file is inside when its path is below
 * a root by name and its real path (symlinks resolved) is below a root's real path.
 */
export class Confinement {
  private readonly roots: string[];
  private realRoots: string[] | undefined;

  /** `p`: the path flavour (tests give path.win32 to check Windows names on any system). */
  constructor(
    roots: readonly string[],
    private readonly p: path.PlatformPath = path,
  ) {
    this.roots = roots.map((r) => p.resolve(r));
  }

  get paths(): readonly string[] {
    return this.roots;
  }

  /** By name only: for paths no file system call may touch before they are known to be inside. */
  lexicallyInside(file: string): boolean {
    const f = this.p.resolve(file);
    return this.roots.some((r) => isWithin(r, f, this.p));
  }

  private real(): string[] {
    if (!this.realRoots) {
      this.realRoots = this.roots.map((r) => {
        try {
          return realpathSync(r);
        } catch {
          return r;
        }
      });
    }
    return this.realRoots;
  }

  /** Whether a real path (symlinks resolved) is below a root's real path. */
  realInside(real: string): boolean {
    return this.real().some((r) => isWithin(r, real, this.p));
  }

  place(file: string): Placement {
    if (!this.lexicallyInside(file)) return { inside: false };
    let real: string;
    try {
      real = realpathSync(this.p.resolve(file));
    } catch {
      // Not there (or a loop): reading it fails the same way, with the parser's own message.
      return { inside: true };
    }
    return this.realInside(real) ? { inside: true } : { inside: false, real };
  }

  async placeAsync(file: string): Promise<Placement> {
    if (!this.lexicallyInside(file)) return { inside: false };
    let real: string;
    try {
      real = await realpathAsync(this.p.resolve(file));
    } catch {
      return { inside: true };
    }
    return this.realInside(real) ? { inside: true } : { inside: false, real };
  }
}

/** The finding for a file outside the roots; `where` names them (`the workspace folder`). */
export function outsideRefusal(file: string, placement: Placement, where: string): ZoneReadError | undefined {
  if (placement.inside) return undefined;
  const via = placement.real ? ` (a symlink to ${placement.real})` : '';
  return { code: 'zone-include-outside', message: `not read: ${file}${via} is outside ${where}` };
}

/**
 * The bytes one lint run may read in all. Each file is charged once per run, by the reader that
 * hands its text to the parser; a file that does not fit is refused, and so is everything after
 * the budget is spent.
 */
export class ReadBudget {
  private used = 0;
  private readonly charged = new Map<string, number>();

  constructor(readonly limits: ReadLimits) {}

  get bytesRead(): number {
    return this.used;
  }

  /** What a file may still have: the per-file cap, or less when the run's budget is nearly spent. */
  allowance(): number {
    return Math.max(0, Math.min(this.limits.maxFileBytes, this.limits.maxTotalBytes - this.used));
  }

  /** Charges `bytes` for `file` (once per run); the refusal when they do not fit. */
  charge(file: string, bytes: number): ZoneReadError | undefined {
    if (this.charged.has(file)) return undefined;
    if (this.used + bytes > this.limits.maxTotalBytes) return this.refusal(file, { bytes, atLeast: false });
    this.charged.set(file, bytes);
    this.used += bytes;
    return undefined;
  }

  /** The finding for a file the budget has no room for; `size` when known (`atLeast`: only a lower bound). */
  refusal(file: string, size?: { bytes: number; atLeast: boolean }): ZoneReadError {
    const of = size ? ` (${size.atLeast ? 'over ' : ''}${formatBytes(size.bytes)})` : '';
    return {
      code: 'zone-read-budget',
      message: `not read: ${file}${of} would go past the ${formatBytes(this.limits.maxTotalBytes)} one lint run may read in all; ${formatBytes(this.used)} read already (${DOCS})`,
    };
  }

  /** Turns a read made with `allowance()` as its cap into text, or the refusal that names the right limit. */
  settle(file: string, r: RawRead): string | ZoneReadError | undefined {
    if (r.ok) return this.charge(file, r.bytes) ?? r.text;
    if (r.why === 'too-big') {
      const overFileCap = !r.atLeast && r.size > this.limits.maxFileBytes;
      // Stopped by what is left of the run's budget, not by the per-file cap.
      if (!overFileCap && this.allowance() < this.limits.maxFileBytes) return this.refusal(file, { bytes: r.size, atLeast: r.atLeast });
    }
    return readRefusal(file, r, this.limits);
  }
}

export interface FsReaderOptions {
  /** Texts to use instead of the files' (tests; unsaved edits). Not charged, never refused. */
  overrides?: Map<string, string>;
  /** Only files inside these directories (or files) are read. Default: anywhere. */
  roots?: readonly string[];
  /** How findings name the roots: `the files and directories given`. */
  rootsName?: string;
  /** Default: CLI_READ_LIMITS. */
  limits?: ReadLimits;
}

/** A ZoneReader for one lint run: it holds the run's budget. */
export interface FsReader extends ZoneReader {
  readonly bytesRead: number;
  readonly limits: ReadLimits;
}

/**
 * The file system as a ZoneReader, for the CLI, tests and benchmarks: one instance per lint run.
 * Each file is read once (later reads of it give the same text) and charged to the run's budget.
 */
export function fsReader(options: FsReaderOptions | Map<string, string> = {}): FsReader {
  const opts: FsReaderOptions = options instanceof Map ? { overrides: options } : options;
  const limits = opts.limits ?? CLI_READ_LIMITS;
  const budget = new ReadBudget(limits);
  const confinement = opts.roots ? new Confinement(opts.roots) : undefined;
  const where = opts.rootsName ?? 'the directories this run may read';
  const seen = new Map<string, string | ZoneReadError | undefined>();
  return {
    limits,
    get bytesRead() {
      return budget.bytesRead;
    },
    read(file: string): string | ZoneReadError | undefined {
      const o = opts.overrides?.get(file);
      if (o !== undefined) return o;
      if (seen.has(file)) return seen.get(file);
      let result: string | ZoneReadError | undefined;
      const outside = confinement && outsideRefusal(file, confinement.place(file), where);
      if (outside) result = outside;
      else if (budget.allowance() === 0) result = budget.refusal(file);
      else result = budget.settle(file, readRegularFileSync(file, budget.allowance()));
      seen.set(file, result);
      return result;
    },
  };
}

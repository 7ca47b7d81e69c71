// The zone files the editor lints together: every zone file in the workspace folders (found by
// the core's findZoneFilesAsync, off the activation path: the zones a named.conf, nsd.conf or
// knot.conf there loads, with their origins and working directory; else the files that are zones
// by their content, each with the origin its own text gives — core chooseOrigin, as `maildns lint`)
// plus any open `dns-zone` document, each read through one ZoneReader that prefers an open
// document's unsaved text to the file on disk. A snapshot (parsed zones, their index and sources)
// is built on demand and kept until a document or a file on disk changes; parsing is incremental
// per file (ZoneDocument).
//
// A folder is opened by the user but written by anyone (Restricted Mode too), so reading is bounded
// (docs/security.md): only regular files, at most EDITOR_READ_LIMITS per file and per
// build, and never a file outside the workspace folders (`$INCLUDE /etc/passwd`, a symlink out).
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  chooseOrigin,
  configKind,
  Confinement,
  EDITOR_READ_LIMITS,
  findZoneFiles,
  findZoneFilesAsync,
  isZoneFileName,
  parseZone,
  ReadBudget,
  readRegularFile,
  readRegularFileSync,
  ZoneBudget,
  ZoneDocument,
  ZoneIndex,
  zonesToLint,
  type ParsedZone,
  type RawRead,
  type SourceFile,
  type WorkspaceFile,
  type ZoneReader,
  type ZoneReadError,
} from '../core/zone';
import { readRefusal, outsideRefusal } from '../core/zone/fsReader';
import { errorMessage, type Logger } from './logger';

export const ZONE_LANGUAGE = 'dns-zone';

/** Zone documents the language features serve: files and unsaved editors, not diff or git views. */
export const ZONE_SELECTOR: vscode.DocumentSelector = [
  { language: ZONE_LANGUAGE, scheme: 'file' },
  { language: ZONE_LANGUAGE, scheme: 'untitled' },
];

export interface ZoneSnapshot {
  /** Identifies the inputs: the disk epoch and every open zone document's version. */
  readonly key: string;
  /** The zones linted together (files another zone `$INCLUDE`s are inside the zone that includes them). */
  readonly zones: ParsedZone[];
  readonly index: ZoneIndex;
  /** Every file read, main files and includes, with the exact text the parser saw. */
  readonly sources: ReadonlyMap<string, SourceFile>;
  /** Open documents' versions when this was built, by file key. */
  readonly versions: ReadonlyMap<string, number>;
}

/** The key the core knows a document or file by: its path for files, the URI otherwise. */
export function fileKey(uri: vscode.Uri): string {
  return uri.scheme === 'file' ? uri.fsPath : uri.toString();
}

function isServedScheme(uri: vscode.Uri): boolean {
  return uri.scheme === 'file' || uri.scheme === 'untitled';
}

/** What reading a file from disk gave, kept until the watcher says it changed (budget refusals never are). */
type DiskEntry = { text: string; bytes: number } | ZoneReadError | undefined;

/** One snapshot build: the documents' texts it reads, and its share of the read budget. */
interface BuildContext {
  readonly openTexts: Map<string, string>;
  readonly budget: ReadBudget;
  /** Files read from disk: the cache keeps only these afterwards. */
  readonly touched: Set<string>;
}

const OUTSIDE = 'the workspace folders (in the editor a zone may $INCLUDE only files inside them)';
/** The scan shows a spinner in the status bar only when it takes longer than this. */
const PROGRESS_AFTER_MS = 500;
/** Lines of "skipped …" the log gets from one scan. */
const MAX_SKIPPED_LOGGED = 50;

function diskEntry(file: string, r: RawRead): DiskEntry {
  return r.ok ? { text: r.text, bytes: r.bytes } : readRefusal(file, r, EDITOR_READ_LIMITS);
}

export class ZoneWorkspace implements vscode.Disposable {
  private scanned: WorkspaceFile[] = [];
  /** The server configurations the last search read (named.conf and what it includes, …). */
  private configs = new Set<string>();
  private scannedKeys = new Set<string>();
  /** Origins for open documents outside the scanned folders (zones.json beside them, or the file name). */
  private readonly extraOrigins = new Map<string, string | undefined>();
  private readonly parsers = new Map<string, ZoneDocument>();
  private readonly disk = new Map<string, DiskEntry>();
  private readonly uris = new Map<string, vscode.Uri>();
  /** Bumped whenever something on disk that the snapshot may have read changes. */
  private epoch = 0;
  private snapshot: ZoneSnapshot | undefined;
  /** The workspace folders: no file outside them is read from disk. */
  private confinement = new Confinement([]);
  /** The build whose slice of work is running now; the parsers' reader reads through it. */
  private build: BuildContext | undefined;
  private readonly reader: ZoneReader = { read: (file) => this.readInclude(file) };
  private scanAbort: AbortController | undefined;
  private scanDone: Promise<void> = Promise.resolve();
  private readonly changed = new vscode.EventEmitter<{ typing: boolean }>();
  private readonly disposables: vscode.Disposable[] = [this.changed];

  /** Something the snapshot depends on changed; `typing` when it is an edit in an open document. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly logger: Logger) {
    // Not awaited: activation never waits for the folders to be searched.
    this.rescan();
    const watcher = vscode.workspace.createFileSystemWatcher('**/*');
    this.disposables.push(
      watcher,
      watcher.onDidChange((uri) => this.diskChanged(uri, false)),
      watcher.onDidCreate((uri) => this.diskChanged(uri, true)),
      watcher.onDidDelete((uri) => this.diskChanged(uri, true)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length > 0 && this.serves(e.document)) this.changed.fire({ typing: true });
      }),
      vscode.workspace.onDidOpenTextDocument((d) => {
        if (this.serves(d)) this.changed.fire({ typing: false });
      }),
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (!this.serves(d)) return;
        // Its text is the one on disk again (or gone, for an untitled document).
        this.extraOrigins.delete(fileKey(d.uri));
        this.changed.fire({ typing: false });
      }),
      vscode.workspace.onDidSaveTextDocument((d) => {
        // Saved text is what disk has now, even for files the watcher does not report.
        if (this.disk.delete(fileKey(d.uri))) this.epoch++;
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.rescan()),
    );
  }

  dispose(): void {
    this.scanAbort?.abort();
    for (const d of this.disposables) d.dispose();
  }

  /** Settles when the search of the workspace folders started last has ended (found, failed or cancelled). */
  whenScanned(): Promise<void> {
    return this.scanDone;
  }

  /** A document whose text the zones are read from: a `dns-zone` document, or a file some zone reads. */
  serves(doc: vscode.TextDocument): boolean {
    if (!isServedScheme(doc.uri)) return false;
    if (doc.languageId === ZONE_LANGUAGE) return true;
    const key = fileKey(doc.uri);
    return this.scannedKeys.has(key) || (this.snapshot?.sources.has(key) ?? false);
  }

  uriOf(file: string): vscode.Uri {
    return this.uris.get(file) ?? (file.includes('://') || file.startsWith('untitled:') ? vscode.Uri.parse(file) : vscode.Uri.file(file));
  }

  /** The snapshot for the documents as they are now, built only when something changed. */
  current(): ZoneSnapshot {
    // Twice at most: a build can make an open document part of the set (a file a zone now
    // $INCLUDEs), and then its text must be read from the editor, not the disk.
    for (let pass = 0; pass < 2; pass++) {
      const docs = vscode.workspace.textDocuments.filter((d) => this.serves(d));
      const key = this.keyFor(docs);
      if (this.snapshot?.key === key) return this.snapshot;
      const ctx = this.context(docs);
      const steps = this.buildSteps(docs, key, ctx);
      let r = this.step(steps, ctx);
      while (!r.done) r = this.step(steps, ctx);
      this.keep(r.value, ctx);
    }
    return this.snapshot!;
  }

  /**
   * current() for a whole-workspace lint, without holding the extension host: files are read from
   * disk asynchronously, and the event loop gets a turn after each file is parsed. `signal` (a
   * newer edit, dispose) stops it with an AbortError.
   */
  async currentAsync(signal: AbortSignal): Promise<ZoneSnapshot> {
    let built: ZoneSnapshot | undefined;
    for (let pass = 0; pass < 2; pass++) {
      const docs = vscode.workspace.textDocuments.filter((d) => this.serves(d));
      const key = this.keyFor(docs);
      if (this.snapshot?.key === key) return this.snapshot;
      await this.prefetch(signal);
      const ctx = this.context(docs);
      const steps = this.buildSteps(docs, key, ctx);
      for (let r = this.step(steps, ctx); ; r = this.step(steps, ctx)) {
        if (r.done) {
          built = r.value;
          break;
        }
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (signal.aborted) {
          steps.return(undefined as never);
          signal.throwIfAborted();
        }
      }
      // A document changed while this was built: the snapshot is for the texts it read (its key
      // says which), but must not replace a newer one.
      if (this.currentKey() !== key) return built;
      this.keep(built, ctx);
    }
    return built!;
  }

  /** The key current() would have now, without building anything: to tell whether a result is stale. */
  currentKey(): string {
    return this.keyFor(vscode.workspace.textDocuments.filter((d) => this.serves(d)));
  }

  private keyFor(docs: readonly vscode.TextDocument[]): string {
    return `${this.epoch}|${docs
      .map((d) => `${fileKey(d.uri)}@${d.version}`)
      .sort()
      .join('|')}`;
  }

  private context(docs: readonly vscode.TextDocument[]): BuildContext {
    const openTexts = new Map<string, string>();
    for (const d of docs) {
      const k = fileKey(d.uri);
      openTexts.set(k, d.getText());
      this.uris.set(k, d.uri);
    }
    return { openTexts, budget: new ReadBudget(EDITOR_READ_LIMITS), touched: new Set() };
  }

  /** One slice of a build, with the reader reading through that build (builds may interleave). */
  private step(steps: Generator<void, ZoneSnapshot, void>, ctx: BuildContext): IteratorResult<void, ZoneSnapshot> {
    const outer = this.build;
    this.build = ctx;
    try {
      return steps.next();
    } finally {
      this.build = outer;
    }
  }

  private keep(snapshot: ZoneSnapshot, ctx: BuildContext): void {
    this.snapshot = snapshot;
    // The cache holds what the last build read, no more: files no zone reads any longer go.
    for (const file of [...this.disk.keys()]) if (!ctx.touched.has(file)) this.disk.delete(file);
  }

  /** Builds a snapshot, yielding after each file parsed. */
  private *buildSteps(docs: readonly vscode.TextDocument[], key: string, ctx: BuildContext): Generator<void, ZoneSnapshot, void> {
    const started = performance.now();
    const versions = new Map<string, number>();
    for (const d of docs) versions.set(fileKey(d.uri), d.version);
    const files = [...this.scanned];
    for (const d of docs) {
      const k = fileKey(d.uri);
      if (d.languageId === ZONE_LANGUAGE && !this.scannedKeys.has(k)) files.push({ file: k, ...this.originOf(d.uri), ...this.folderOf(k) });
    }
    const zones: ParsedZone[] = [];
    const used = new Set<string>();
    // One budget for the whole build, charged by every file in order, as the CLI's parseWorkspace.
    const budget = new ZoneBudget();
    for (const f of files) {
      const text = ctx.openTexts.get(f.file) ?? this.readDisk(f.file, ctx);
      // Deleted since the last scan: the watcher's rescan takes it out.
      if (text === undefined) continue;
      if (typeof text !== 'string') {
        // Refused (too big, the budget spent): the zone is its one finding.
        zones.push(parseZone(undefined, { file: f.file, origin: f.origin, reader: { read: () => text } }));
        continue;
      }
      // The origin as `maildns lint` chooses it: given (configuration, zones.json), else from the
      // text as it is now (its SOA owner, its $ORIGIN), else the file name.
      const { origin, originSource } = chooseOrigin(f, text);
      const where = { ...(f.directory !== undefined ? { directory: f.directory } : {}), ...(f.directoryGuessed ? { directoryGuessed: true } : {}) };
      const pk = `${f.file}\0${origin ?? ''}\0${f.directory ?? ''}`;
      used.add(pk);
      let parser = this.parsers.get(pk);
      if (!parser) this.parsers.set(pk, (parser = new ZoneDocument({ file: f.file, origin, reader: this.reader, ...where })));
      const mark = budget.mark();
      let zone: ParsedZone;
      try {
        zone = parser.update(text, budget);
      } catch (err) {
        // The parser recovers from every error in the text; this would be a bug: say so, parse afresh.
        this.logger.error(`Parsing ${f.file} failed`, err);
        this.parsers.delete(pk);
        budget.reset(mark);
        zone = parseZone(text, { file: f.file, origin, reader: this.reader, budget, ...where });
      }
      if (originSource !== undefined) zone.originSource = originSource;
      zones.push(zone);
      yield;
    }
    for (const pk of [...this.parsers.keys()]) if (!used.has(pk)) this.parsers.delete(pk);
    // As the CLI does (parseWorkspace): a file another zone $INCLUDEs belongs to that zone.
    const linted = zonesToLint(zones, budget);
    const sources = new Map<string, SourceFile>();
    for (const z of linted) for (const [file, src] of z.sources) if (!sources.has(file)) sources.set(file, src);
    // The index is made when first asked for (hovers, lenses, fixes): the diagnostics' lint keeps its own (IncrementalWorkspaceLint).
    let index: ZoneIndex | undefined;
    const snapshot: ZoneSnapshot = {
      key,
      zones: linted,
      get index() {
        return (index ??= new ZoneIndex(linted));
      },
      sources,
      versions,
    };
    const ms = performance.now() - started;
    if (ms > 500) this.logger.info(`Zone files: read ${linted.length} zones (${Math.round(ctx.budget.bytesRead / 1024)} KiB from disk) in ${Math.round(ms)} ms`);
    return snapshot;
  }

  /**
   * named's working directory for a file no configuration places: a guess, the workspace folder
   * it is in (a relative `$INCLUDE` found only beside the file is read, with a warning).
   */
  private folderOf(file: string): { directory?: string; directoryGuessed?: true } {
    const folder = this.confinement.paths.find((r) => path.isAbsolute(file) && (file === r || file.startsWith(r + path.sep)));
    return folder ? { directory: folder, directoryGuessed: true } : {};
  }

  private originOf(uri: vscode.Uri): { origin?: string } {
    const k = fileKey(uri);
    if (!this.extraOrigins.has(k)) {
      let origin: string | undefined;
      if (uri.scheme === 'file') {
        // zones.json beside a file outside the folders is read only in a trusted workspace.
        // zones.json or a server configuration beside it; else chosen from the text when parsed.
        origin = vscode.workspace.isTrusted || this.confinement.lexicallyInside(uri.fsPath) ? findZoneFiles([uri.fsPath]).files[0]?.origin : undefined;
      }
      this.extraOrigins.set(k, origin);
    }
    const origin = this.extraOrigins.get(k);
    return origin ? { origin } : {};
  }

  /** What the parser asks for: `$INCLUDE`d files, and includes again to see whether they changed. */
  private readInclude(file: string): string | ZoneReadError | undefined {
    // A build is always running when the parser reads; a fresh budget covers a stray read.
    const ctx = this.build ?? { openTexts: new Map(), budget: new ReadBudget(EDITOR_READ_LIMITS), touched: new Set<string>() };
    // Only inside the workspace folders, even for a document open in the editor: a folder's zone
    // must not show /etc/passwd or /proc/self/environ, or reach out to //host/share, by $INCLUDE.
    const outside = outsideRefusal(file, path.isAbsolute(file) ? this.confinement.place(file) : { inside: false }, OUTSIDE);
    if (outside) return outside;
    return ctx.openTexts.get(file) ?? this.readDisk(file, ctx);
  }

  /** A file's text from disk (cached), charged to the build's budget; only regular files, only inside the folders. */
  private readDisk(file: string, ctx: BuildContext): string | ZoneReadError | undefined {
    // Untitled documents and other schemes have no file behind them.
    if (!path.isAbsolute(file)) return undefined;
    ctx.touched.add(file);
    let entry = this.disk.get(file);
    if (!this.disk.has(file)) {
      const outside = outsideRefusal(file, this.confinement.place(file), OUTSIDE);
      if (outside) return outside;
      // Spent: refuse before reading anything.
      if (ctx.budget.allowance() === 0) return ctx.budget.refusal(file);
      entry = diskEntry(file, readRegularFileSync(file, EDITOR_READ_LIMITS.maxFileBytes));
      this.disk.set(file, entry);
    }
    if (entry === undefined || !('text' in entry)) return entry;
    const over = ctx.budget.charge(file, entry.bytes);
    if (over) {
      // Refused for this build: the text is not worth keeping.
      this.disk.delete(file);
      return over;
    }
    return entry.text;
  }

  /** Reads the scanned files not cached yet, asynchronously, as far as one build's budget goes. */
  private async prefetch(signal: AbortSignal): Promise<void> {
    const budget = new ReadBudget(EDITOR_READ_LIMITS);
    for (const { file } of this.scanned) {
      signal.throwIfAborted();
      const cached = this.disk.get(file);
      if (cached !== undefined && 'text' in cached) {
        if (budget.charge(file, cached.bytes)) return;
        continue;
      }
      if (this.disk.has(file)) continue;
      if (budget.allowance() === 0) return;
      if (!(await this.confinement.placeAsync(file)).inside) continue;
      const entry = diskEntry(file, await readRegularFile(file, EDITOR_READ_LIMITS.maxFileBytes));
      // Changed on disk meanwhile (the watcher dropped it): leave it for the build to read.
      this.disk.set(file, entry);
      if (entry !== undefined && 'text' in entry && budget.charge(file, entry.bytes)) return;
    }
  }

  private rescan(): void {
    this.scanAbort?.abort();
    const abort = new AbortController();
    this.scanAbort = abort;
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
    this.confinement = new Confinement(folders);
    this.scanDone = this.scan(folders, abort.signal).catch((err: unknown) => {
      if (!abort.signal.aborted) this.logger.warn(`Zone files: could not look for zone files: ${errorMessage(err)}`);
    });
  }

  /** Searches the folders off the activation path; a newer scan or dispose cancels it. */
  private async scan(folders: string[], signal: AbortSignal): Promise<void> {
    let files: WorkspaceFile[] = [];
    let configs: string[] = [];
    if (folders.length > 0) {
      const started = performance.now();
      const work = findZoneFilesAsync(folders, { signal });
      // A spinner in the status bar when a big folder takes a while; never a dialog.
      const timer = setTimeout(() => {
        void vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Mail DNS: looking for zone files' }, () => work.catch(() => undefined));
      }, PROGRESS_AFTER_MS);
      let found;
      try {
        found = await work;
      } finally {
        clearTimeout(timer);
      }
      for (const e of found.errors) this.logger.warn(`Zone files: ${e}`);
      for (const s of found.skipped.slice(0, MAX_SKIPPED_LOGGED)) this.logger.warn(`Zone files: skipped ${s}`);
      if (found.skipped.length > MAX_SKIPPED_LOGGED) this.logger.warn(`Zone files: skipped ${found.skipped.length - MAX_SKIPPED_LOGGED} more`);
      configs = found.configs;
      for (const c of found.configs) this.logger.info(`Zone files: zones, origins and directories from ${c}`);
      for (const n of found.notes.slice(0, MAX_SKIPPED_LOGGED)) this.logger.info(`Zone files: ${n}`);
      if (found.notes.length > MAX_SKIPPED_LOGGED) this.logger.info(`Zone files: ${found.notes.length - MAX_SKIPPED_LOGGED} more files not linted`);
      this.logger.info(`Zone files: ${found.files.length} in the workspace (${found.searched.entries} entries looked at, ${Math.round(performance.now() - started)} ms)`);
      files = found.files.map((f) => (f.directory === undefined ? { ...f, ...this.folderOf(path.resolve(f.file)) } : f));
    }
    if (signal.aborted) return;
    this.scanned = files;
    this.scannedKeys = new Set(files.map((f) => f.file));
    this.configs = new Set(configs);
    this.epoch++;
    this.changed.fire({ typing: false });
  }

  private diskChanged(uri: vscode.Uri, createdOrDeleted: boolean): void {
    if (uri.scheme !== 'file') return;
    const file = uri.fsPath;
    const base = path.basename(file);
    const known = this.disk.has(file) || this.scannedKeys.has(file) || (this.snapshot?.sources.has(file) ?? false);
    const config = base === 'zones.json' || configKind(base) !== undefined || this.configs.has(file);
    const relevant = known || isZoneFileName(file) || config;
    if (!relevant) return;
    this.disk.delete(file);
    // A server configuration changes which files are zones and their origins: search again.
    if ((createdOrDeleted && (isZoneFileName(file) || this.scannedKeys.has(file))) || config) this.rescan();
    this.epoch++;
    this.changed.fire({ typing: false });
  }
}

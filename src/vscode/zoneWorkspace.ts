// The zone files the editor lints together: every zone file in the workspace folders (found by
// the core's findZoneFiles, origins from zones.json or the file name) plus any open `dns-zone`
// document, each read through one ZoneReader that prefers an open document's unsaved text to the
// file on disk. A snapshot (parsed zones, their index and sources) is built on demand and kept
// until a document or a file on disk changes; parsing is incremental per file (ZoneDocument).
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { findZoneFiles, isZoneFileName, parseZone, ZoneBudget, ZoneDocument, ZoneIndex, zonesToLint, type ParsedZone, type SourceFile, type WorkspaceFile, type ZoneReader } from '../core/zone';
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

export class ZoneWorkspace implements vscode.Disposable {
  private scanned: WorkspaceFile[] = [];
  private scannedKeys = new Set<string>();
  /** Origins for open documents outside the scanned folders (zones.json beside them, or the file name). */
  private readonly extraOrigins = new Map<string, string | undefined>();
  private readonly parsers = new Map<string, ZoneDocument>();
  private readonly disk = new Map<string, string | undefined>();
  private readonly uris = new Map<string, vscode.Uri>();
  /** Bumped whenever something on disk that the snapshot may have read changes. */
  private epoch = 0;
  private snapshot: ZoneSnapshot | undefined;
  /** The texts of open documents for the build in progress; the parsers' reader looks here first. */
  private openTexts = new Map<string, string>();
  private readonly reader: ZoneReader = { read: (file) => this.openTexts.get(file) ?? this.readDisk(file) };
  private readonly changed = new vscode.EventEmitter<{ typing: boolean }>();
  private readonly disposables: vscode.Disposable[] = [this.changed];

  /** Something the snapshot depends on changed; `typing` when it is an edit in an open document. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly logger: Logger) {
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
      vscode.workspace.onDidChangeWorkspaceFolders(() => {
        this.rescan();
        this.changed.fire({ typing: false });
      }),
    );
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
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
      this.snapshot = this.build(docs, key);
    }
    return this.snapshot!;
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

  private build(docs: readonly vscode.TextDocument[], key: string): ZoneSnapshot {
    const started = performance.now();
    const versions = new Map<string, number>();
    this.openTexts = new Map();
    for (const d of docs) {
      const k = fileKey(d.uri);
      versions.set(k, d.version);
      this.openTexts.set(k, d.getText());
      this.uris.set(k, d.uri);
    }
    const files = [...this.scanned];
    for (const d of docs) {
      const k = fileKey(d.uri);
      if (d.languageId === ZONE_LANGUAGE && !this.scannedKeys.has(k)) files.push({ file: k, ...this.originOf(d.uri) });
    }
    const zones: ParsedZone[] = [];
    const used = new Set<string>();
    // One budget for the whole build, charged by every file in order, as the CLI's parseWorkspace.
    const budget = new ZoneBudget();
    for (const f of files) {
      const text = this.reader.read(f.file);
      // Deleted since the last scan: the watcher's rescan takes it out.
      if (text === undefined) continue;
      const pk = `${f.file}\0${f.origin ?? ''}`;
      used.add(pk);
      let parser = this.parsers.get(pk);
      if (!parser) this.parsers.set(pk, (parser = new ZoneDocument({ file: f.file, origin: f.origin, reader: this.reader })));
      const mark = budget.mark();
      try {
        zones.push(parser.update(text, budget));
      } catch (err) {
        // The parser recovers from every error in the text; this would be a bug: say so, parse afresh.
        this.logger.error(`Parsing ${f.file} failed`, err);
        this.parsers.delete(pk);
        budget.reset(mark);
        zones.push(parseZone(text, { file: f.file, origin: f.origin, reader: this.reader, budget }));
      }
    }
    for (const pk of [...this.parsers.keys()]) if (!used.has(pk)) this.parsers.delete(pk);
    // As the CLI does (parseWorkspace): a file another zone $INCLUDEs belongs to that zone.
    const linted = zonesToLint(zones, budget);
    const sources = new Map<string, SourceFile>();
    for (const z of linted) for (const [file, src] of z.sources) if (!sources.has(file)) sources.set(file, src);
    const snapshot: ZoneSnapshot = { key, zones: linted, index: new ZoneIndex(linted), sources, versions };
    this.openTexts = new Map();
    const ms = performance.now() - started;
    if (ms > 500) this.logger.info(`Zone files: read ${linted.length} zones in ${Math.round(ms)} ms`);
    return snapshot;
  }

  private originOf(uri: vscode.Uri): { origin?: string } {
    const k = fileKey(uri);
    if (!this.extraOrigins.has(k)) {
      const found = uri.scheme === 'file' ? findZoneFiles([uri.fsPath]).files[0] : undefined;
      this.extraOrigins.set(k, found?.origin);
    }
    const origin = this.extraOrigins.get(k);
    return origin ? { origin } : {};
  }

  private readDisk(file: string): string | undefined {
    if (this.disk.has(file)) return this.disk.get(file);
    let text: string | undefined;
    // Untitled documents and other schemes have no file behind them.
    if (path.isAbsolute(file)) {
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        text = undefined;
      }
    }
    this.disk.set(file, text);
    return text;
  }

  private rescan(): void {
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
    if (folders.length === 0) {
      this.scanned = [];
    } else {
      const started = performance.now();
      const { files, errors } = findZoneFiles(folders);
      for (const e of errors) this.logger.warn(`Zone files: ${e}`);
      this.scanned = files;
      this.logger.info(`Zone files: ${files.length} in the workspace (${Math.round(performance.now() - started)} ms)`);
    }
    this.scannedKeys = new Set(this.scanned.map((f) => f.file));
    this.epoch++;
  }

  private diskChanged(uri: vscode.Uri, createdOrDeleted: boolean): void {
    if (uri.scheme !== 'file') return;
    const file = uri.fsPath;
    const base = path.basename(file);
    const known = this.disk.has(file) || this.scannedKeys.has(file) || (this.snapshot?.sources.has(file) ?? false);
    const relevant = known || isZoneFileName(file) || base === 'zones.json';
    if (!relevant) return;
    this.disk.delete(file);
    if ((createdOrDeleted && (isZoneFileName(file) || this.scannedKeys.has(file))) || base === 'zones.json') {
      try {
        this.rescan();
      } catch (err) {
        this.logger.warn(`Zone files: could not look for zone files: ${errorMessage(err)}`);
      }
    }
    this.epoch++;
    this.changed.fire({ typing: false });
  }
}

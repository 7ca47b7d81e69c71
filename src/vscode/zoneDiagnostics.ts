// Zone-file diagnostics: the core's findings for every zone file of the workspace, as you type.
// Edits are debounced; each run lints the whole set of zones together (the PTR ↔ A checks cross
// files, so an edit in one zone re-lints those that depend on it), first from the files alone,
// then — with live lookups on — again with DNS. A result whose inputs have changed meanwhile
// (a document's version, a file on disk) is dropped, never shown.
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { lintWorkspace, type ZoneFinding } from '../core/zone';
import { errorMessage, type Logger } from './logger';
import { fileKey, type ZoneSnapshot, type ZoneWorkspace } from './zoneWorkspace';
import type { LiveLookups } from './zoneLive';

export const DIAGNOSTIC_SOURCE = 'Mail DNS';
const DEBOUNCE_MS = 300;

export interface ZoneLint {
  snapshot: ZoneSnapshot;
  findings: ZoneFinding[];
  byFile: Map<string, ZoneFinding[]>;
  live: boolean;
}

const SEVERITY: Record<ZoneFinding['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

// Shown faded (never evaluated) or struck through (deprecated), as editors show dead code.
const TAGS: Record<string, vscode.DiagnosticTag[]> = {
  'spf-after-all': [vscode.DiagnosticTag.Unnecessary],
  'spf-redirect-ignored': [vscode.DiagnosticTag.Unnecessary],
  'spf-ptr-discouraged': [vscode.DiagnosticTag.Deprecated],
};

/** The range of offsets `start`–`end` of `file` as the snapshot read it. */
export function zoneRange(snapshot: ZoneSnapshot, file: string, start: number, end: number): vscode.Range {
  const lines = snapshot.sources.get(file)?.lines;
  if (!lines) return new vscode.Range(0, 0, 0, 0);
  const a = lines.position(start);
  const b = lines.position(end);
  return new vscode.Range(a.line, a.column, b.line, b.column);
}

/**
 * Where each code is documented: docs/zone-lint.md as shipped with the extension (a file URI),
 * at the line of the code's row in the table (`#L42`, which VS Code opens as that line).
 */
export function createDocsLinks(extensionUri: vscode.Uri): (code: string) => vscode.Uri {
  const doc = vscode.Uri.joinPath(extensionUri, 'docs', 'zone-lint.md');
  let rows: Map<string, number> | undefined;
  return (code) => {
    if (!rows) {
      rows = new Map();
      try {
        readFileSync(doc.fsPath, 'utf8')
          .split('\n')
          .forEach((line, i) => {
            const m = /^\| `([a-z0-9-]+)` \|/.exec(line);
            if (m && !rows!.has(m[1])) rows!.set(m[1], i + 1);
          });
      } catch {
        // Not shipped: link to the file without a line.
      }
    }
    const line = rows.get(code);
    return line ? doc.with({ fragment: `L${line}` }) : doc;
  };
}

export class ZoneDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('mailDns.zone');
  private readonly linted = new vscode.EventEmitter<ZoneLint>();
  private readonly disposables: vscode.Disposable[] = [this.collection, this.linted];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private generation = 0;
  private liveAbort: AbortController | undefined;
  /** The running build of a snapshot (files read, parsed): a newer run or dispose stops it. */
  private buildAbort: AbortController | undefined;
  private published = new Set<string>();
  private last: ZoneLint | undefined;

  /** A lint's findings were published (static first, then live). */
  readonly onDidLint = this.linted.event;

  constructor(
    private readonly workspace: ZoneWorkspace,
    private readonly live: LiveLookups,
    private readonly logger: Logger,
    private readonly docsLink: (code: string) => vscode.Uri,
  ) {
    this.disposables.push(
      workspace.onDidChange((e) => this.schedule(e.typing ? DEBOUNCE_MS : 0)),
      live.onDidChange(() => this.schedule(0)),
    );
    this.schedule(0);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.liveAbort?.abort();
    this.buildAbort?.abort();
    this.generation++;
    for (const d of this.disposables) d.dispose();
  }

  /**
   * The last published lint, when it was made from exactly the text of `doc` and of every file in
   * `files` that is open now: its offsets and fixes apply to the documents as they are.
   */
  freshFor(doc: vscode.TextDocument, files: Iterable<string> = []): ZoneLint | undefined {
    const last = this.last;
    if (!last) return undefined;
    const versions = last.snapshot.versions;
    if (versions.get(fileKey(doc.uri)) !== doc.version) return undefined;
    const open = new Map(vscode.workspace.textDocuments.map((d) => [fileKey(d.uri), d.version]));
    for (const f of files) if (open.get(f) !== versions.get(f)) return undefined;
    return last;
  }

  /** Diagnostics from the core's findings, offsets mapped through the text each file had. */
  toDiagnostic(snapshot: ZoneSnapshot, f: ZoneFinding): vscode.Diagnostic {
    const d = new vscode.Diagnostic(zoneRange(snapshot, f.file, f.start, f.end), f.message, SEVERITY[f.severity]);
    d.source = DIAGNOSTIC_SOURCE;
    d.code = { value: f.code, target: this.docsLink(f.code) };
    if (TAGS[f.code]) d.tags = TAGS[f.code];
    if (f.related?.length) {
      d.relatedInformation = f.related.map((r) => new vscode.DiagnosticRelatedInformation(new vscode.Location(this.workspace.uriOf(r.file), zoneRange(snapshot, r.file, r.start, r.end)), r.message));
    }
    return d;
  }

  private schedule(delay: number): void {
    if (this.timer) clearTimeout(this.timer);
    // Whatever is still running was for older inputs.
    this.liveAbort?.abort();
    this.buildAbort?.abort();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.run().catch((err: unknown) => this.logger.error('Zone files: lint failed', err));
    }, delay);
  }

  private async run(): Promise<void> {
    const generation = ++this.generation;
    // Off the caller's turn: disk reads are awaited and the event loop runs between files.
    const building = new AbortController();
    this.buildAbort = building;
    let snapshot: ZoneSnapshot;
    try {
      snapshot = await this.workspace.currentAsync(building.signal);
    } catch (err) {
      if (building.signal.aborted) return;
      throw err;
    }
    const stale = () => generation !== this.generation || this.workspace.currentKey() !== snapshot.key;
    const findings = await lintWorkspace(snapshot.zones, { now: new Date() });
    if (stale()) return;
    this.publish(snapshot, findings, false);

    const resolver = this.live.resolver();
    if (!resolver) return;
    const abort = new AbortController();
    this.liveAbort = abort;
    const onLiveReset = () => abort.abort();
    this.live.signal.addEventListener('abort', onLiveReset, { once: true });
    try {
      const started = performance.now();
      const liveFindings = await lintWorkspace(snapshot.zones, { resolver, signal: abort.signal, now: new Date() });
      if (stale() || abort.signal.aborted) return;
      this.logger.info(`Zone files: live lookups through ${resolver.servers().join(', ') || 'the system resolvers'} in ${Math.round(performance.now() - started)} ms`);
      this.publish(snapshot, liveFindings, true);
    } catch (err) {
      if (abort.signal.aborted) return;
      this.logger.warn(`Zone files: live lookups failed: ${errorMessage(err)}`);
    } finally {
      this.live.signal.removeEventListener('abort', onLiveReset);
    }
  }

  private publish(snapshot: ZoneSnapshot, findings: ZoneFinding[], live: boolean): void {
    const byFile = new Map<string, ZoneFinding[]>();
    for (const f of findings) {
      const list = byFile.get(f.file);
      if (list) list.push(f);
      else byFile.set(f.file, [f]);
    }
    // Every file read gets its list, an empty one clearing what an earlier run said.
    const files = new Set<string>([...snapshot.sources.keys(), ...byFile.keys()]);
    const entries: [vscode.Uri, vscode.Diagnostic[]][] = [];
    for (const file of files) entries.push([this.workspace.uriOf(file), (byFile.get(file) ?? []).map((f) => this.toDiagnostic(snapshot, f))]);
    for (const file of this.published) if (!files.has(file)) this.collection.delete(this.workspace.uriOf(file));
    this.published = files;
    this.collection.set(entries);
    this.last = { snapshot, findings, byFile, live };
    this.linted.fire(this.last);
  }
}

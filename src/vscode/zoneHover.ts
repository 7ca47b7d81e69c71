// SPF inside zone files: a hover on each term (what it means, in plain words, with its RFC 7208
// section; for include:/redirect= the target's record and what its branch costs, from the
// workspace and — live lookups on — from DNS), and a lens over each record: "SPF: N/10 DNS
// lookups", counted without DNS first, then with DNS for the includes outside the workspace.
import * as vscode from 'vscode';
import { liveLookupCount, lookupLensText, LOOKUP_LIMIT, spfBranch, spfSourcesIn, spfTermAt, spfTermInfo, staticLookupCount, type LiveLookupCount, type SpfSource, type ZoneIndex } from '../core/zone';
import { errorMessage, type Logger } from './logger';
import type { ZoneDiagnostics } from './zoneDiagnostics';
import type { LiveLookups } from './zoneLive';
import { fileKey, type ZoneWorkspace } from './zoneWorkspace';

/** Inline code for any text: a fence longer than the longest run of backticks in it. */
export function code(text: string): string {
  // A loop, not Math.max(...runs): a record of 200,000 backticks would overflow the call stack.
  let longest = 0;
  for (const r of text.match(/`+/g) ?? []) longest = Math.max(longest, r.length);
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text.replace(/[\r\n]+/g, ' ')}${pad}${fence}`;
}

/**
 * Text as Markdown that shows exactly that text. (MarkdownString.appendText also turns every space
 * into &nbsp;, so a hover could not wrap its sentences.)
 */
export function text(value: string): string {
  return value.replace(/[\\`*_{}[\]()#+\-.!|<>~&]/g, '\\$&').replace(/\s+/g, ' ');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** An AbortSignal for a request: aborted on cancellation, or when live settings change. */
function requestSignal(token: vscode.CancellationToken, live: AbortSignal): { signal: AbortSignal; dispose(): void } {
  const abort = new AbortController();
  const sub = token.onCancellationRequested(() => abort.abort());
  const onLive = () => abort.abort();
  live.addEventListener('abort', onLive, { once: true });
  return { signal: abort.signal, dispose: () => (sub.dispose(), live.removeEventListener('abort', onLive)) };
}

export class ZoneSpfHover implements vscode.HoverProvider {
  constructor(
    private readonly workspace: ZoneWorkspace,
    private readonly live: LiveLookups,
    private readonly logger: Logger,
  ) {}

  async provideHover(document: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    const snapshot = this.workspace.current();
    const file = fileKey(document.uri);
    const hit = spfTermAt(spfSourcesIn(snapshot.index, file), file, document.offsetAt(position));
    if (!hit) return undefined;
    const info = spfTermInfo(hit.source, hit.term, snapshot.index);
    const md = new vscode.MarkdownString();
    md.appendMarkdown(`${code(info.text)} — ${text(info.what)}`);
    md.appendMarkdown(`\n\n${text(info.meaning)}`);
    for (const note of info.notes) md.appendMarkdown(`\n\n${text(note)}`);
    md.appendMarkdown(`\n\n[${info.section}](${info.link})`);
    if (info.workspace) {
      const w = info.workspace;
      md.appendMarkdown(`\n\n---\n\nIn the workspace (${code(vscode.workspace.asRelativePath(this.workspace.uriOf(w.file)))}): ${code(w.record)}  \n`);
      md.appendMarkdown(text(`This branch: ${plural(1 + w.lookups.total, 'DNS lookup')} (1 for the term, ${w.lookups.total} inside)${w.lookups.unknown.length > 0 ? `, not counting inside ${[...new Set(w.lookups.unknown)].join(', ')}` : ''}.`));
    }
    const resolver = info.target ? this.live.resolver() : undefined;
    if (info.target && resolver) {
      const request = requestSignal(token, this.live.signal);
      try {
        const b = await spfBranch(info.target, { resolver, signal: request.signal });
        if (token.isCancellationRequested) return undefined;
        md.appendMarkdown(`\n\n---\n\nDNS (${code(resolver.servers().join(', ') || 'system resolvers')}): `);
        if (b.record !== undefined) {
          md.appendMarkdown(`${code(b.record)}  \n`);
          md.appendMarkdown(text(`This branch: ${plural(1 + b.lookups, 'DNS lookup')} (1 for the term, ${b.lookups} inside)${b.complete ? '' : `, at least: ${b.note ?? 'a lookup failed'}`}; the limit for the whole check is ${LOOKUP_LIMIT}.`));
        } else {
          md.appendMarkdown(text(b.note ?? `no SPF record at ${b.domain}`));
        }
      } catch (err) {
        if (request.signal.aborted) return undefined;
        this.logger.warn(`Zone files: live lookup for ${info.target} failed: ${errorMessage(err)}`);
      } finally {
        request.dispose();
      }
    }
    return new vscode.Hover(md, new vscode.Range(document.positionAt(hit.start), document.positionAt(hit.end)));
  }
}

// DNS answers change slowly; a lens is re-counted live after this long.
const LIVE_COUNT_TTL_MS = 5 * 60_000;

export class ZoneSpfLens implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly liveCounts = new Map<string, { at: number; value?: LiveLookupCount }>();
  private readonly disposables: vscode.Disposable[] = [this.changed];

  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(
    private readonly workspace: ZoneWorkspace,
    private readonly live: LiveLookups,
    diagnostics: ZoneDiagnostics,
    private readonly logger: Logger,
  ) {
    this.disposables.push(
      // Another file's SPF record (an include target) may have changed the count.
      diagnostics.onDidLint((lint) => {
        if (!lint.live) this.changed.fire();
      }),
      live.onDidChange(() => {
        this.liveCounts.clear();
        this.changed.fire();
      }),
    );
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const snapshot = this.workspace.current();
    const file = fileKey(document.uri);
    const lenses: vscode.CodeLens[] = [];
    // The records of this file only; each count is the one the lint made (kept with the index).
    for (const s of spfSourcesIn(snapshot.index, file)) {
      if (s.record.generated) continue;
      const count = staticLookupCount(s, snapshot.index);
      const live = count.unknown.length > 0 ? this.liveCount(s, snapshot.index) : undefined;
      const text = lookupLensText(count, live);
      const line = document.positionAt(s.record.start).line;
      lenses.push(new vscode.CodeLens(new vscode.Range(line, 0, line, 0), { title: text.title, tooltip: text.tooltip, command: '' }));
    }
    return lenses;
  }

  /** The live count when DNS has answered; otherwise starts asking and says so when done. */
  private liveCount(source: SpfSource, index: ZoneIndex): LiveLookupCount | undefined {
    const resolver = this.live.resolver();
    if (!resolver) return undefined;
    const key = `${source.record.owner}\n${source.text}`;
    const entry = this.liveCounts.get(key);
    if (entry && Date.now() - entry.at < LIVE_COUNT_TTL_MS) return entry.value;
    const pending = { at: Date.now(), value: entry?.value };
    this.liveCounts.set(key, pending);
    const signal = this.live.signal;
    liveLookupCount(source, index, { resolver, signal })
      .then((value) => {
        if (signal.aborted || this.liveCounts.get(key) !== pending) return;
        pending.value = value;
        this.changed.fire();
      })
      .catch((err: unknown) => {
        if (!signal.aborted) this.logger.warn(`Zone files: live lookup count for ${source.record.owner} failed: ${errorMessage(err)}`);
      });
    return entry?.value;
  }
}

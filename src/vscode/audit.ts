// "Mail DNS: Audit address range": asks for a CIDR block (or takes `{ range }` as the argument),
// audits it with the core's auditRange under a cancellable progress notification, and shows the
// rows in one webview table as they come (sortable, filterable; a row opens as the full rDNS
// report; Export CSV writes what `maildns audit --csv` writes). Trusted workspaces only.
import * as vscode from 'vscode';
import { AUDIT_RESOLVER_OPTIONS, auditRange, type AuditRow, CSV_COLUMNS, csvOf } from '../core/audit/audit';
import { parseRange, rangeAddresses } from '../core/audit/range';
import { createResolver } from '../core/dns/resolver';
import { parseIp } from '../core/ip';
import { visible } from '../core/report/labels';
import { type AuditHostMessage, type AuditPageMessage, type AuditSummary, isAuditPageMessage } from '../webview/auditProtocol';
import { COMMANDS, configOrExplain, plain, refuse, trusted } from './commands';
import { webviewShellHtml } from './report';
import type { Services } from './services';

export const AUDIT_COMMANDS = { auditRange: 'mailDns.auditRange' } as const;
export const AUDIT_VIEW_TYPE = 'mailDns.audit';

/** `mailDns.auditRange`'s argument (and the API's auditRange): skips the input box. */
export interface AuditArgs {
  range: string;
  /** Addresses checked at once (default 32) and DNS lookups a second (default 500; 0 no limit). */
  concurrency?: number;
  rate?: number;
}

export interface AuditOutcome {
  subject: string;
  rows: AuditRow[];
  cancelled: boolean;
}

/** What the page drew, for tests (the API's onDidRenderAudit). */
export interface RenderedAudit {
  shown: number;
  matched: number;
  text: string;
}

const POST_EVERY_MS = 500;

function shellHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  return webviewShellHtml(webview, extensionUri, { script: 'audit.js', styles: ['report.css', 'audit.css'], title: 'Mail DNS audit', mainId: 'audit', loading: 'Starting the audit…' });
}

/** One audit's table: a webview panel fed the rows as they come. */
class AuditPanel {
  private readonly panel: vscode.WebviewPanel;
  private ready = false;
  private sent = 0;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly services: Services,
    private readonly rows: AuditRow[],
    private readonly summary: AuditSummary,
    private readonly onCancel: () => void,
    private readonly rendered: vscode.EventEmitter<RenderedAudit>,
  ) {
    this.panel = vscode.window.createWebviewPanel(AUDIT_VIEW_TYPE, visible(`Audit ${summary.subject}`), { viewColumn: vscode.ViewColumn.Active, preserveFocus: true }, {
      enableScripts: true,
      retainContextWhenHidden: false,
      localResourceRoots: [vscode.Uri.joinPath(services.extensionUri, 'dist'), vscode.Uri.joinPath(services.extensionUri, 'media')],
    });
    this.panel.iconPath = vscode.Uri.joinPath(services.extensionUri, 'media', 'mail-dns.svg');
    this.disposables.push(
      this.panel.webview.onDidReceiveMessage((m: unknown) => this.receive(m)),
      this.panel.onDidChangeViewState(({ webviewPanel }) => {
        if (!webviewPanel.visible) this.ready = false;
      }),
      this.panel.onDidDispose(() => {
        // Closing the table stops the audit: nobody is looking at it.
        this.onCancel();
        for (const d of this.disposables) d.dispose();
      }),
    );
    this.panel.webview.html = shellHtml(this.panel.webview, services.extensionUri);
  }

  /** Sends the rows the page has not seen yet, and the summary. */
  flush(): void {
    if (!this.ready) return;
    const reset = this.sent === 0;
    const message: AuditHostMessage = { type: 'rows', reset, rows: this.rows.slice(this.sent), summary: { ...this.summary } };
    this.sent = this.rows.length;
    void this.panel.webview.postMessage(message);
  }

  private receive(m: unknown): void {
    if (!isAuditPageMessage(m)) return;
    this.handle(m).catch((err: unknown) => this.services.logger.error(`Audit table action "${m.type}" failed`, err));
  }

  private async handle(m: AuditPageMessage): Promise<void> {
    switch (m.type) {
      case 'ready':
        this.ready = true;
        this.sent = 0;
        this.flush();
        return;
      case 'rendered':
        this.rendered.fire({ shown: m.shown, matched: m.matched, text: m.text });
        return;
      case 'cancel':
        this.onCancel();
        return;
      case 'exportCsv':
        await exportCsv(this.summary.subject, this.rows);
        return;
      case 'openRow': {
        // Only an address the table holds: the page cannot choose what is checked.
        const p = parseIp(m.ip);
        if (!p.ok || !this.rows.some((r) => r.ip === p.ip)) return;
        await vscode.commands.executeCommand(COMMANDS.checkRdns, p.ip);
        return;
      }
    }
  }
}

async function exportCsv(subject: string, rows: readonly AuditRow[]): Promise<void> {
  const name = subject.replace(/[^0-9A-Za-z.:-]+/g, '_');
  const uri = await vscode.window.showSaveDialog({ title: 'Export the audit as CSV', filters: { CSV: ['csv'] }, saveLabel: 'Export', defaultUri: vscode.Uri.file(`audit-${name}.csv`) });
  if (!uri) return;
  const text = [CSV_COLUMNS.join(','), ...rows.map(csvOf)].join('\n') + '\n';
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  void vscode.window.showInformationMessage(`Mail DNS: exported ${rows.length.toLocaleString('en-US')} rows to ${plain(uri.fsPath)}`);
}

function validateRange(text: string): string | undefined {
  if (text.trim() === '') return undefined;
  const r = parseRange(text);
  return r.ok ? undefined : r.error;
}

async function askRange(): Promise<string | undefined> {
  const input = await vscode.window.showInputBox({
    title: 'Mail DNS: Audit address range',
    prompt: 'A CIDR block: every address gets its PTR and forward confirmation checked (IPv4 /16 to /32, IPv6 /112 to /128)',
    placeHolder: '198.51.100.0/24',
    ignoreFocusOut: true,
    validateInput: validateRange,
  });
  const t = input?.trim();
  return t ? t : undefined;
}

function auditArgs(arg: unknown): AuditArgs | undefined {
  if (typeof arg !== 'object' || arg === null || typeof (arg as { range?: unknown }).range !== 'string') return undefined;
  const a = arg as { range: string; concurrency?: unknown; rate?: unknown };
  return {
    range: a.range,
    ...(typeof a.concurrency === 'number' ? { concurrency: a.concurrency } : {}),
    ...(typeof a.rate === 'number' ? { rate: a.rate } : {}),
  };
}

async function runAudit(services: Services, rendered: vscode.EventEmitter<RenderedAudit>, arg: unknown): Promise<AuditOutcome | undefined> {
  if (!trusted()) return undefined;
  const args: AuditArgs | undefined = auditArgs(arg) ?? (await askRange().then((range) => (range ? { range } : undefined)));
  if (!args) return undefined;
  const parsed = parseRange(args.range);
  if (!parsed.ok) return refuse('audit the range', parsed.error);
  const config = configOrExplain(services);
  if (!config) return undefined;
  const range = parsed.range;
  // Its own resolver: one socket pool and a small cache for this run, closed at its end.
  const resolver = createResolver({ servers: config.resolvers, timeoutMs: config.timeoutMs, ...AUDIT_RESOLVER_OPTIONS });
  const rows: AuditRow[] = [];
  const summary: AuditSummary = { subject: range.cidr, done: 0, total: range.count, running: true, cancelled: false };
  const abort = new AbortController();
  const panel = new AuditPanel(services, rows, summary, () => abort.abort(), rendered);
  services.logger.info(`Auditing ${range.cidr} (${range.count} addresses) with ${resolver.servers().join(', ') || 'system resolvers'}`);
  try {
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Mail DNS: auditing ${range.cidr}`, cancellable: true },
      async (progress, token) => {
        const onCancel = token.onCancellationRequested(() => abort.abort());
        let last = 0;
        let reported = 0;
        try {
          for await (const row of auditRange(rangeAddresses(range), { resolver, concurrency: args.concurrency ?? 32, rate: args.rate ?? 500, signal: abort.signal })) {
            rows.push(row);
            summary.done = rows.length;
            const now = Date.now();
            if (now - last >= POST_EVERY_MS) {
              last = now;
              const pct = (rows.length / range.count) * 100;
              progress.report({ message: `${rows.length.toLocaleString('en-US')} of ${range.count.toLocaleString('en-US')}`, increment: pct - reported });
              reported = pct;
              panel.flush();
            }
          }
        } finally {
          onCancel.dispose();
        }
      },
    );
  } catch (err) {
    if (!abort.signal.aborted) {
      services.logger.error(`Audit of ${range.cidr} failed`, err);
      void vscode.window.showErrorMessage(`Mail DNS: the audit of ${range.cidr} failed: ${plain(err instanceof Error ? err.message : String(err))}`);
    }
  } finally {
    resolver.close();
  }
  summary.running = false;
  summary.cancelled = abort.signal.aborted;
  summary.done = rows.length;
  panel.flush();
  services.logger.info(`Audited ${rows.length} of ${range.count} addresses of ${range.cidr}${summary.cancelled ? ' (cancelled)' : ''}`);
  return { subject: range.cidr, rows, cancelled: summary.cancelled };
}

export interface AuditCommands {
  auditRange(args?: AuditArgs): Promise<AuditOutcome | undefined>;
  readonly onDidRenderAudit: vscode.Event<RenderedAudit>;
}

export function registerAuditCommands(services: Services): AuditCommands {
  const rendered = new vscode.EventEmitter<RenderedAudit>();
  services.subscriptions.push(rendered, vscode.commands.registerCommand(AUDIT_COMMANDS.auditRange, (arg?: unknown) => runAudit(services, rendered, arg)));
  return { auditRange: (args) => runAudit(services, rendered, args), onDidRenderAudit: rendered.event };
}

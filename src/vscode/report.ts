// The report webview: one panel, reused, for checks of every kind. The HTML is a static shell; the
// report document reaches the page only as a message, and the page builds its DOM from text nodes
// (src/webview/main.ts).
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { clipboardText, copyableTexts } from '../core/report/copyable';
import { fixAt, type FixRef, type ReportDoc } from '../core/report/doc';
import { visible } from '../core/report/labels';
import { type HostMessage, isWebviewMessage, type WebviewMessage } from '../webview/protocol';
import type { RenderedReport } from './api';
import type { Logger } from './logger';

export const REPORT_VIEW_TYPE = 'mailDns.report';

export interface ReportActions {
  copyMarkdown(doc: ReportDoc): Thenable<void>;
  copyDig(dig: string): Thenable<void>;
  /** A record to publish, from a fix. */
  copyRecord(record: string): Thenable<void>;
  /** "Apply to <file>" on a finding's fix, or on a row's (applyFix.ts). */
  applyFix(doc: ReportDoc, ref: number | FixRef): Thenable<unknown>;
  /** "Check live again" on the shown report's check (liveAgain.ts). */
  liveAgain(doc: ReportDoc): Thenable<unknown>;
}

/** What a page of ours loads and says while its script starts. */
export interface WebviewShell {
  /** The bundle in dist/, e.g. `webview.js`. */
  script: string;
  /** Style sheets in media/, in order. */
  styles: readonly string[];
  title: string;
  mainId: string;
  loading: string;
}

/**
 * The static HTML every webview of ours starts from: one CSP (nothing but our styles and the one
 * script carrying this page's nonce), and a page that builds its DOM from text nodes.
 */
export function webviewShellHtml(webview: vscode.Webview, extensionUri: vscode.Uri, shell: WebviewShell): string {
  const nonce = randomBytes(16).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', shell.script));
  const styles = shell.styles.map((f) => `<link rel="stylesheet" href="${webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', f))}">`);
  const csp = `default-src 'none'; style-src ${webview.cspSource}; script-src 'nonce-${nonce}';`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${styles.join('\n')}
<title>${shell.title}</title>
</head>
<body>
<main id="${shell.mainId}" aria-live="polite"><p class="loading">${shell.loading}</p></main>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}

function shellHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  return webviewShellHtml(webview, extensionUri, { script: 'webview.js', styles: ['report.css'], title: 'Mail DNS report', mainId: 'report', loading: 'Loading report…' });
}

export class ReportPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private panelSubscriptions: vscode.Disposable[] = [];
  private current: ReportDoc | undefined;
  /** The page has said `ready` and is live; without retainContextWhenHidden it reloads when shown again. */
  private ready = false;
  private readonly rendered = new vscode.EventEmitter<RenderedReport>();
  readonly onDidRender = this.rendered.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly logger: Logger,
    private readonly actions: ReportActions,
  ) {}

  show(doc: ReportDoc): void {
    this.current = doc;
    if (this.panel) {
      this.panel.reveal(undefined, true);
    } else {
      this.panel = this.createPanel();
    }
    this.panel.title = visible(`${doc.shortTitle} ${doc.subject}`);
    if (this.ready) this.post({ type: 'show', doc });
  }

  private createPanel(): vscode.WebviewPanel {
    const panel = vscode.window.createWebviewPanel(
      REPORT_VIEW_TYPE,
      'Mail DNS report',
      // A tab of its own in the editor the user is in: a split beside it leaves too little width
      // for the tables (rule names wrapped mid-word).
      { viewColumn: vscode.ViewColumn.Active, preserveFocus: true },
      {
        enableScripts: true,
        localResourceRoots: [
          vscode.Uri.joinPath(this.extensionUri, 'dist'),
          vscode.Uri.joinPath(this.extensionUri, 'media'),
        ],
      },
    );
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'mail-dns.svg');
    this.ready = false;
    this.panelSubscriptions.push(
      panel.webview.onDidReceiveMessage((message: unknown) => this.receive(message)),
      panel.onDidChangeViewState(({ webviewPanel }) => {
        // A hidden page is torn down and says `ready` again when it comes back.
        if (!webviewPanel.visible) this.ready = false;
      }),
      panel.onDidDispose(() => this.forgetPanel()),
    );
    panel.webview.html = shellHtml(panel.webview, this.extensionUri);
    return panel;
  }

  private forgetPanel(): void {
    this.panel = undefined;
    this.ready = false;
    for (const d of this.panelSubscriptions) d.dispose();
    this.panelSubscriptions = [];
  }

  private post(message: HostMessage): void {
    void this.panel?.webview.postMessage(message).then(
      (delivered) => {
        if (!delivered) this.logger.warn(`Report for ${visible(message.doc.subject)} was not delivered to the webview`);
      },
      (err: unknown) => this.logger.error('Posting to the report webview failed', err),
    );
  }

  private receive(message: unknown): void {
    if (!isWebviewMessage(message)) {
      this.logger.warn(`Ignored an unknown message from the report webview: ${String(JSON.stringify(message)).slice(0, 200)}`);
      return;
    }
    this.handle(message).catch((err: unknown) => {
      this.logger.error(`Report action "${message.type}" failed`, err);
      void vscode.window.showErrorMessage(`Mail DNS: ${message.type} failed: ${err instanceof Error ? err.message : String(err)}`);
    });
  }

  private async handle(message: WebviewMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.ready = true;
        if (this.current) this.post({ type: 'show', doc: this.current });
        return;
      case 'rendered':
        this.rendered.fire({ id: message.id, kind: message.kind, subject: message.subject, text: message.text });
        return;
      case 'copyMarkdown':
        if (this.current) await this.actions.copyMarkdown(this.current);
        return;
      case 'copyDig': {
        const dig = this.current?.findings[message.finding]?.dig;
        if (dig) await this.actions.copyDig(dig);
        return;
      }
      case 'applyFix': {
        // Only a fix the shown report offers to apply.
        const ref: FixRef = message.section !== undefined && message.row !== undefined ? { section: message.section, row: message.row } : { finding: message.finding ?? -1 };
        if (this.current && fixAt(this.current, ref)?.fix.applyTo) await this.actions.applyFix(this.current, 'finding' in ref ? ref.finding : ref);
        return;
      }
      case 'liveAgain':
        if (this.current?.liveAgain && this.current.id) await this.actions.liveAgain(this.current);
        return;
      case 'copy': {
        // Only text the shown report holds: the page cannot choose what lands on the clipboard.
        const text = clipboardText(message.text);
        if (!this.current || !copyableTexts(this.current)[message.what].has(text)) {
          this.logger.warn(`Ignored a request from the report webview to copy a ${message.what} the report does not show`);
          return;
        }
        await (message.what === 'dig' ? this.actions.copyDig(text) : this.actions.copyRecord(text));
        return;
      }
    }
  }

  dispose(): void {
    this.panel?.dispose();
    this.forgetPanel();
    this.rendered.dispose();
  }
}

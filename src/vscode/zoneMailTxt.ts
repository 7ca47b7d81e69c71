// DMARC and DKIM records inside zone files: a hover on every tag (what it means with the value it
// has, the section that defines it, the record's problems there) and a lens over each record — the
// policy with whether the zones hold aligned SPF and DKIM, or the key's type and size. The text is
// the core's (src/core/zone/mailTxtInfo.ts); this only places it. No DNS is asked.
import * as vscode from 'vscode';
import { dkimLensText, dkimSourcesIn, dmarcLensText, dmarcSourcesIn, mailTxtInfoAt } from '../core/zone';
import type { ZoneDiagnostics } from './zoneDiagnostics';
import { code, text } from './zoneHover';
import { fileKey, type ZoneWorkspace } from './zoneWorkspace';

export class ZoneMailTxtHover implements vscode.HoverProvider {
  constructor(private readonly workspace: ZoneWorkspace) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const snapshot = this.workspace.current();
    const hit = mailTxtInfoAt(snapshot.index, fileKey(document.uri), document.offsetAt(position));
    if (!hit) return undefined;
    const { info } = hit;
    const md = new vscode.MarkdownString();
    md.appendMarkdown(`${code(info.text)} — ${text(info.what)}`);
    md.appendMarkdown(`\n\n${text(info.meaning)}`);
    for (const note of info.notes) for (const line of note.split('\n')) md.appendMarkdown(`\n\n${text(line)}`);
    md.appendMarkdown(`\n\n[${text(info.section)}](${info.link})`);
    return new vscode.Hover(md, new vscode.Range(document.positionAt(hit.start), document.positionAt(hit.end)));
  }
}

export class ZoneMailTxtLens implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [this.changed];

  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(
    private readonly workspace: ZoneWorkspace,
    diagnostics: ZoneDiagnostics,
  ) {
    // Another file's SPF record or DKIM key may have changed what a DMARC record's lens says.
    this.disposables.push(diagnostics.onDidLint((lint) => (lint.live ? undefined : this.changed.fire())));
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const snapshot = this.workspace.current();
    const file = fileKey(document.uri);
    const lenses: vscode.CodeLens[] = [];
    const add = (start: number, lens: { title: string; tooltip: string }) => {
      const line = document.positionAt(start).line;
      lenses.push(new vscode.CodeLens(new vscode.Range(line, 0, line, 0), { title: lens.title, tooltip: lens.tooltip, command: '' }));
    };
    for (const s of dmarcSourcesIn(snapshot.index, file)) if (!s.record.generated) add(s.record.start, dmarcLensText(s, snapshot.index));
    for (const s of dkimSourcesIn(snapshot.index, file)) if (!s.record.generated) add(s.record.start, dkimLensText(s));
    return lenses;
  }
}

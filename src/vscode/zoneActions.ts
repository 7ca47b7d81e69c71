// Quick fixes and "fix all in file" for zone files. The edits are the core's (`finding.fix`,
// `finding.alternatives`, `fixAllEdits`, each with the zone's SOA serial bump); this only finds the finding behind a diagnostic (by its
// code and range) and turns offsets into a WorkspaceEdit, which may touch other files (the PTR in a
// reverse zone for a finding on an A record).
import * as vscode from 'vscode';
import { fixAllEdits, type TextEdit, type ZoneFix } from '../core/zone';
import { DIAGNOSTIC_SOURCE, zoneRange, type ZoneDiagnostics, type ZoneLint } from './zoneDiagnostics';
import { fileKey, type ZoneWorkspace } from './zoneWorkspace';

/** `source.fixAll.mailDns`: for "Source Action…" and `editor.codeActionsOnSave`. */
export const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append('mailDns');

export const ZONE_ACTIONS_METADATA: vscode.CodeActionProviderMetadata = {
  providedCodeActionKinds: [vscode.CodeActionKind.QuickFix, FIX_ALL_KIND],
};

function codeOf(d: vscode.Diagnostic): string | undefined {
  const c = d.code;
  if (typeof c === 'string') return c;
  if (typeof c === 'object' && c !== null && typeof c.value === 'string') return c.value;
  return undefined;
}

export class ZoneCodeActions implements vscode.CodeActionProvider {
  constructor(
    private readonly workspace: ZoneWorkspace,
    private readonly diagnostics: ZoneDiagnostics,
  ) {}

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const only = context.only;
    const wantQuickFixes = !only || only.contains(vscode.CodeActionKind.QuickFix);
    // Source actions only when asked for (Source Action…, code actions on save).
    const wantFixAll = only !== undefined && only.contains(FIX_ALL_KIND);
    if (!wantQuickFixes && !wantFixAll) return [];
    const lint = this.diagnostics.freshFor(document);
    // Diagnostics from text that has changed since: the next lint brings fixes that fit.
    if (!lint) return [];
    const file = fileKey(document.uri);
    const actions: vscode.CodeAction[] = [];
    if (wantQuickFixes) {
      for (const d of context.diagnostics) {
        if (d.source !== DIAGNOSTIC_SOURCE) continue;
        actions.push(...this.quickFixes(document, lint, file, d));
      }
    }
    if (wantFixAll) {
      const fixAll = this.fixAll(document, lint, file);
      if (fixAll) actions.push(fixAll);
    }
    return actions;
  }

  private quickFixes(document: vscode.TextDocument, lint: ZoneLint, file: string, d: vscode.Diagnostic): vscode.CodeAction[] {
    const code = codeOf(d);
    const finding = lint.byFile.get(file)?.find((f) => f.code === code && zoneRange(lint.snapshot, f.file, f.start, f.end).isEqual(d.range));
    if (!finding) return [];
    const fixes: [ZoneFix, boolean][] = [...(finding.fix ? [[finding.fix, true] as [ZoneFix, boolean]] : []), ...(finding.alternatives ?? []).map((a) => [a, false] as [ZoneFix, boolean])];
    return fixes.map(([fix, preferred]) => {
      const action = new vscode.CodeAction(fix.description, vscode.CodeActionKind.QuickFix);
      action.diagnostics = [d];
      action.isPreferred = preferred;
      const files = new Set(fix.edits.map((e) => e.file));
      // An edit in another open file is only safe on the text it was computed from.
      if (this.diagnostics.freshFor(document, files)) action.edit = this.workspaceEdit(lint, fix.edits, fix.description);
      else action.disabled = { reason: 'A file this fix changes was edited since it was checked; try again in a moment.' };
      return action;
    });
  }

  private fixAll(document: vscode.TextDocument, lint: ZoneLint, file: string): vscode.CodeAction | undefined {
    const edits = fixAllEdits(lint.byFile.get(file) ?? [], file);
    if (edits.length === 0) return undefined;
    // The serial bump of a fix in an `$INCLUDE`d file is in the zone's main file: fresh text only.
    if (!this.diagnostics.freshFor(document, new Set(edits.map((e) => e.file)))) return undefined;
    const action = new vscode.CodeAction(`Fix all Mail DNS problems in this file (${edits.length} edit${edits.length === 1 ? '' : 's'})`, FIX_ALL_KIND);
    action.edit = this.workspaceEdit(lint, edits, 'Fix all Mail DNS problems in this file');
    return action;
  }

  /**
   * The edits, labelled for the refactoring preview (a quick fix's "Preview" in its menu): the
   * fix's own edits under its description, the serial bump on its own line. Applied without asking.
   */
  private workspaceEdit(lint: ZoneLint, edits: TextEdit[], label: string): vscode.WorkspaceEdit {
    const edit = new vscode.WorkspaceEdit();
    const own: vscode.WorkspaceEditEntryMetadata = { label, needsConfirmation: false };
    const serial: vscode.WorkspaceEditEntryMetadata = { label: 'Bump the SOA serial', description: 'the zone changed: secondaries transfer it only for a higher serial', needsConfirmation: false };
    for (const e of edits) edit.replace(this.workspace.uriOf(e.file), zoneRange(lint.snapshot, e.file, e.start, e.end), e.newText, e.serial ? serial : own);
    return edit;
  }
}

// "Apply to <file>" for a report's fix: the core plans the record edit where the record lives
// (src/core/zone/recordEdit.ts); this shows the change as a diff of the file against the proposed
// text (a read-only document) with one modal "Apply" — two clicks in all, where the refactoring
// preview lists needsConfirmation edits unticked and takes three — applies it as a WorkspaceEdit,
// then runs the same check against the edited zones (nothing published) and shows that re-check.
import * as vscode from 'vscode';
import { toReport } from '../core/checks';
import type { CheckResult } from '../core/checks';
import type { Fix } from '../core/model';
import type { KnownName } from '../core/rdns/hostName';
import { fixAt, type FixRef, type ReportDoc } from '../core/report/doc';
import type { Resolver } from '../core/dns/types';
import type { RdnsResult } from '../core/rdns/types';
import { planFix, recheckAgainstZones, withPtrRequests, type Recheck } from '../core/zone/recheck';
import { workspaceNamesFor } from '../core/zone/hostNames';
import { applyEdits } from '../core/zone/edits';
import { hasUnofferedFixes, offerFixes } from '../core/zone/offers';
import type { RecordEditPlan } from '../core/zone/recordEdit';
import { configOrExplain, plain, underProgress } from './commands';
import { errorMessage } from './logger';
import type { Services } from './services';
import { zoneRange } from './zoneDiagnostics';
import type { ZoneSnapshot, ZoneWorkspace } from './zoneWorkspace';

export const APPLY_FIX_COMMAND = 'mailDns.applyFix';
/** The proposed texts the preview's diff shows on its right side (read-only: a content provider). */
export const FIX_PREVIEW_SCHEME = 'maildns-fix';

/** What Apply did: whether the edit was made (the user may discard the preview) and the re-check. */
export interface ApplyFixOutcome {
  applied: boolean;
  /** Why nothing was offered or applied. */
  reason?: string;
  description?: string;
  recheck?: { fixed: boolean; summary: string; remaining: string[] };
}

function baseName(file: string): string {
  return file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
}

/** The zones as the editor holds them now, once the search of the workspace folders has ended. */
async function zoneSnapshot(services: Services): Promise<ZoneSnapshot | undefined> {
  try {
    await services.zones.whenScanned();
    // Built without holding the extension host (the lint's way); kept until a document or file changes.
    return await services.zones.currentAsync(new AbortController().signal);
  } catch (err) {
    services.logger.warn(`The workspace's zones could not be read for a fix: ${errorMessage(err)}`);
    return undefined;
  }
}

/**
 * A check's result with `applyTo` set on every fix that the workspace's zone files can take (the
 * findings of every kind, the combined check's rows; HELO fixes as records where the HELO name's
 * zone is here): src/core/zone/offers.ts decides, this only hands it the zones.
 */
export async function withFixOffers<T extends CheckResult>(services: Services, result: T): Promise<T> {
  // Offered already (the rDNS command offers before it shows), or nothing to offer: no zones read.
  if (!hasUnofferedFixes(result)) return result;
  const snap = await zoneSnapshot(services);
  if (!snap || snap.zones.length === 0) return result;
  return offerFixes(result, snap.index, new Date());
}

/** PTR fixes whose record lives outside the workspace's zones get whom to ask and the request. */
export async function withRequests(services: Services, result: RdnsResult, resolver: Resolver, signal?: AbortSignal): Promise<RdnsResult> {
  const snap = await zoneSnapshot(services);
  if (!snap || snap.zones.length === 0) return result;
  return withPtrRequests(result, snap.index, new Date(), resolver, signal);
}

/** The texts of the open previews, by URI; each is forgotten when its preview closes. */
class ProposedTexts implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private next = 0;

  add(file: string, text: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: FIX_PREVIEW_SCHEME, path: `/${baseName(file)}`, query: `n=${++this.next}` });
    this.texts.set(uri.toString(), text);
    return uri;
  }

  forget(uri: vscode.Uri): void {
    this.texts.delete(uri.toString());
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }
}

export class FixApplier {
  private readonly zones: ZoneWorkspace;
  readonly proposed = new ProposedTexts();

  constructor(private readonly services: Services) {
    this.zones = services.zones;
  }

  private snapshot(): Promise<ZoneSnapshot | undefined> {
    return zoneSnapshot(this.services);
  }

  /** Names the workspace's zones give `ip` (for the check's PTR fixes). */
  async knownNames(ip: string): Promise<KnownName[]> {
    const snap = await this.snapshot();
    return snap ? workspaceNamesFor(snap.index, ip) : [];
  }

  /**
   * Applies the fix `ref` points at (a finding's, or a row's of the combined check) as the report
   * of the stored check `key` shows it (the newest check when absent), then runs the same check
   * against the edited zones.
   */
  async apply(key: string | undefined, ref: number | FixRef, preview = true): Promise<ApplyFixOutcome> {
    const entry = key ? this.services.results.get(key) : this.services.results.newest();
    if (!entry) return { applied: false, reason: 'No check to apply a fix from.' };
    const where: FixRef = typeof ref === 'number' ? { finding: ref } : ref;
    const target = fixAt(entry.doc, where);
    const fix: Fix | undefined = target?.fix;
    if (!fix) return { applied: false, reason: 'finding' in where ? `Finding ${where.finding} has no fix.` : `Row ${where.row} of section ${where.section} has no fix.` };
    const snap = await this.snapshot();
    if (!snap) return { applied: false, reason: 'The workspace has no zone files.' };
    const planned = planFix(snap.index, fix, new Date());
    if (!planned) return { applied: false, reason: 'This fix does not name a record to change.' };
    if (!planned.ok) {
      void vscode.window.showWarningMessage(`Mail DNS: cannot apply the fix: ${plain(planned.reason)}`);
      return { applied: false, reason: planned.reason };
    }
    const plan = planned.plan;
    if (preview && !(await this.confirmInDiff(snap, plan))) {
      return { applied: false, reason: 'The edit was not applied (cancelled in the preview).', description: plan.description };
    }
    // Not marked as a refactoring: VS Code saves the files of a refactoring that no editor shows
    // (files.refactoring.autoSave), and the fix must stay in the editor, unsaved, until the user saves.
    const applied = await vscode.workspace.applyEdit(this.workspaceEdit(snap, plan));
    if (!applied) return { applied: false, reason: 'The edit could not be applied.', description: plan.description };
    const recheck = await this.recheck(entry.result, target?.code ?? '', target?.row, plan, fix.type ?? '', snap, key ?? entry.key);
    return { applied: true, description: plan.description, ...(recheck ? { recheck: { fixed: recheck.fixed, summary: recheck.summary, remaining: recheck.remaining } } : {}) };
  }

  /**
   * The preview: each file the plan touches, as a diff against its text with the fix (one diff
   * editor, or VS Code's multi-file diff when a serial and an `$INCLUDE`d record are in two files),
   * and a modal "Apply". True when the user applies. The diff closes either way.
   */
  private async confirmInDiff(snap: ZoneSnapshot, plan: RecordEditPlan): Promise<boolean> {
    const files = [...new Set(plan.edits.map((e) => e.file))];
    const pairs = files.map((file) => {
      const text = snap.sources.get(file)?.text ?? '';
      return { file, original: this.zones.uriOf(file), modified: this.proposed.add(file, applyEdits(text, plan.edits.filter((e) => e.file === file))) };
    });
    const names = files.map(baseName).join(' and ');
    const title = pairs.length === 1 ? `${names} ↔ with the fix` : `${names} with the fix`;
    try {
      if (pairs.length === 1) {
        await vscode.commands.executeCommand('vscode.diff', pairs[0].original, pairs[0].modified, title, { preview: true });
      } else {
        await vscode.commands.executeCommand('vscode.changes', title, pairs.map((p) => [p.original, p.original, p.modified]));
      }
      const detail = [plan.description, 'The file is edited in the editor, not saved or published.'];
      // A workbench that refuses dialogs (extension tests) rejects: nothing is applied.
      const choice = await Promise.resolve(vscode.window.showInformationMessage(`Apply the fix to ${names}?`, { modal: true, detail: detail.join('\n') }, 'Apply')).catch(
        (err: unknown) => {
          this.services.logger.warn(`The fix's preview could not ask to apply: ${errorMessage(err)}`);
          return undefined;
        },
      );
      return choice === 'Apply';
    } finally {
      await this.closePreviews(title, pairs.map((p) => p.modified));
    }
  }

  private async closePreviews(title: string, modified: vscode.Uri[]): Promise<void> {
    const keys = new Set(modified.map((u) => u.toString()));
    // A diff tab shows one of our proposed texts; the multi-file diff is known by its title (to which
    // VS Code adds the count: "… with the fix (2 files)").
    const shows = (t: vscode.Tab): boolean =>
      t.input instanceof vscode.TabInputTextDiff ? keys.has(t.input.modified.toString()) : modified.length > 1 && (t.label === title || t.label.startsWith(`${title} (`));
    const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter(shows);
    if (tabs.length > 0) await vscode.window.tabGroups.close(tabs);
    for (const u of modified) this.proposed.forget(u);
  }

  /** The plan as a WorkspaceEdit, applied at once (the preview, when wanted, came before). */
  private workspaceEdit(snap: ZoneSnapshot, plan: RecordEditPlan): vscode.WorkspaceEdit {
    const edit = new vscode.WorkspaceEdit();
    const serialEdit = plan.serial ? plan.edits.find((e) => e.file === plan.serial!.file && e.newText === String(plan.serial!.to)) : undefined;
    for (const e of plan.edits) {
      const metadata: vscode.WorkspaceEditEntryMetadata = {
        needsConfirmation: false,
        label: e === serialEdit ? `SOA serial ${plan.serial!.from} → ${plan.serial!.to} (${plan.serial!.style})` : plan.description,
      };
      edit.replace(this.zones.uriOf(e.file), zoneRange(snap, e.file, e.start, e.end), e.newText, metadata);
    }
    return edit;
  }

  /** The same check against the zones as the editor now holds them; shown in the report. */
  private async recheck(before: CheckResult, code: string, row: string | undefined, plan: RecordEditPlan, type: string, old: ZoneSnapshot, key: string): Promise<Recheck | undefined> {
    const snap = await this.snapshot();
    if (!snap) return undefined;
    const config = configOrExplain(this.services);
    const outside = config && vscode.workspace.isTrusted ? this.services.createResolver(config) : undefined;
    const subject = this.services.results.get(key)?.doc.subject ?? before.kind;
    // The snapshot holds the edit now (the editor's text); the plan's edits are not applied again.
    const recheck = await underProgress(this.services, `checking ${subject} against the edited zones`, (signal) =>
      recheckAgainstZones(before, code, { ...plan, edits: [] }, type, snap.zones, { ...(outside ? { outside } : {}), ...(row !== undefined ? { row } : {}), signal, before: old.zones }),
    );
    if (!recheck) return undefined;
    this.services.logger.info(`Re-checked ${subject} against the edited zones: ${recheck.summary}`);
    this.services.report.show(recheckDoc(recheck, key));
    return recheck;
  }
}

/** The re-check's report: the report of the check against the edited zones, led by what it means. */
export function recheckDoc(recheck: Recheck, key: string): ReportDoc {
  const doc = toReport(recheck.result);
  return {
    ...doc,
    id: `${key}#edited-zones`,
    subject: `${doc.subject} (edited zones)`,
    summary: recheck.summary,
    sections: [{ type: 'text', title: 'Re-check against the edited zones', paragraphs: [recheck.summary, ...recheck.remaining] }, ...doc.sections],
  };
}

export function registerApplyFix(services: Services): FixApplier {
  const applier = new FixApplier(services);
  services.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(FIX_PREVIEW_SCHEME, applier.proposed),
    vscode.commands.registerCommand(APPLY_FIX_COMMAND, (arg?: unknown) => {
      const a = (typeof arg === 'object' && arg !== null ? arg : {}) as { key?: unknown; finding?: unknown; code?: unknown; section?: unknown; row?: unknown; preview?: unknown };
      const index = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
      const key = typeof a.key === 'string' ? a.key : undefined;
      let ref: FixRef = { finding: index(a.finding) ? a.finding : 0 };
      const entry = key ? services.results.get(key) : services.results.newest();
      // `code`: the first finding with that code in the report (for callers that know codes, not indexes).
      if (typeof a.code === 'string') {
        const finding = entry?.doc.findings.findIndex((f) => f.code === a.code) ?? -1;
        if (finding < 0) return Promise.resolve<ApplyFixOutcome>({ applied: false, reason: `No finding ${a.code} in the report.` });
        ref = { finding };
      }
      // A row of a combined check: by position, or by its id (`spf-from`) in the report's rows section.
      if (index(a.section) && index(a.row)) ref = { section: a.section, row: a.row };
      else if (typeof a.row === 'string') {
        const sections = entry?.doc.sections ?? [];
        const section = sections.findIndex((s) => s.type === 'rows' && s.rows.some((r) => r.id === a.row));
        const rows = section >= 0 ? sections[section] : undefined;
        if (!rows || rows.type !== 'rows') return Promise.resolve<ApplyFixOutcome>({ applied: false, reason: `No row ${a.row} in the report.` });
        ref = { section, row: rows.rows.findIndex((r) => r.id === a.row) };
      }
      return applier.apply(key, ref, a.preview !== false);
    }),
  );
  return applier;
}

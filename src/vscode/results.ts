import * as vscode from 'vscode';
import { type CheckResult, toReport } from '../core/checks';
import type { ReportDoc } from '../core/report/doc';
import type { RecordedAnswer } from '../core/live/diff';

export interface CheckEntry {
  /** Unique for the session; tree node ids and commands refer to a check by it. */
  key: string;
  result: CheckResult;
  /** The result's report, made once when it is stored; its `id` is `key`. */
  doc: ReportDoc;
  /** The DNS answers the check got, when recorded ("Check live again" compares with them). */
  answers?: RecordedAnswer[];
}

/** The checks run this session, of any kind, newest first. */
export class ResultsStore implements vscode.Disposable {
  private entries: CheckEntry[] = [];
  private nextKey = 1;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  add(result: CheckResult, answers?: RecordedAnswer[]): CheckEntry {
    const key = `check-${this.nextKey++}`;
    const entry: CheckEntry = { key, result, doc: { ...toReport(result), id: key }, ...(answers ? { answers } : {}) };
    this.entries = [entry, ...this.entries];
    this.changed.fire();
    return entry;
  }

  clear(): void {
    this.entries = [];
    this.changed.fire();
  }

  list(): readonly CheckEntry[] {
    return this.entries;
  }

  get(key: string): CheckEntry | undefined {
    return this.entries.find((e) => e.key === key);
  }

  newest(): CheckEntry | undefined {
    return this.entries[0];
  }

  dispose(): void {
    this.changed.dispose();
  }
}

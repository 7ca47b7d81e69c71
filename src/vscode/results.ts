import * as vscode from 'vscode';
import type { RdnsResult } from '../core/rdns/types';

export interface CheckEntry {
  /** Unique for the session; tree node ids and commands refer to a check by it. */
  key: string;
  result: RdnsResult;
}

/** The checks run this session, newest first. */
export class ResultsStore implements vscode.Disposable {
  private entries: CheckEntry[] = [];
  private nextKey = 1;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  add(result: RdnsResult): CheckEntry {
    const entry = { key: `check-${this.nextKey++}`, result };
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

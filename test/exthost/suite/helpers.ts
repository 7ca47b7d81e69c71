// What the extension-host tests share (not a test file: the suite runs *.test.js only).
import * as vscode from 'vscode';
import type { MailDnsApi, TreeSnapshotNode } from '../../../src/vscode/api';

export const EXTENSION_ID = 'maildns.mail-dns-doctor';

/** Resolves with the page text once the report of `subject` is on screen; listen before acting. */
export function waitForReport(api: MailDnsApi, kind: string, subject: string): Promise<string> {
  return new Promise((resolve) => {
    const sub = api.onDidRenderReport((e) => {
      if (e.kind === kind && e.subject === subject) {
        sub.dispose();
        resolve(e.text);
      }
    });
  });
}

/** The Results tree as indented lines: label — description [icon]. */
export function flatten(nodes: TreeSnapshotNode[], depth = 0, out: string[] = []): string[] {
  for (const n of nodes) {
    out.push(`${'  '.repeat(depth)}${n.label}${n.description ? ` — ${n.description}` : ''} [${n.icon ?? ''}]`);
    flatten(n.children, depth + 1, out);
  }
  return out;
}

/** Changes a workspace setting and resolves once the extension has seen the change. */
export async function setting(key: string, value: unknown): Promise<void> {
  const config = vscode.workspace.getConfiguration('mailDns');
  if (JSON.stringify(config.get(key)) === JSON.stringify(value ?? config.inspect(key)?.defaultValue)) {
    await config.update(key, value, vscode.ConfigurationTarget.Workspace);
    return;
  }
  // The extension's own listeners were registered first, so they have run when this one does.
  const seen = new Promise<void>((resolve) => {
    const sub = vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`mailDns.${key}`)) {
        sub.dispose();
        resolve();
      }
    });
  });
  await config.update(key, value, vscode.ConfigurationTarget.Workspace);
  await seen;
}

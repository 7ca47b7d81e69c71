// What the extension-host tests share (not a test file: the suite runs *.test.js only).
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

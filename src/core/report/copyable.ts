// What a report lets its reader copy: the dig commands and the records to publish it shows. The
// report webview asks the host to copy a text; the host copies it only when the document holds it,
// so a page can never put text of its own choosing on the clipboard.
import { zoneText } from '../escape';
import type { Fix } from '../model';
import type { DocNode, ReportDoc } from './doc';

export interface CopyableTexts {
  dig: Set<string>;
  record: Set<string>;
}

function addFix(fix: Fix | undefined, into: CopyableTexts): void {
  if (fix?.record) into.record.add(clipboardText(fix.record));
}

function addNode(node: DocNode, into: CopyableTexts): void {
  if (node.dig) into.dig.add(clipboardText(node.dig));
  for (const q of node.queries ?? []) into.dig.add(clipboardText(q.dig));
  for (const child of node.children) addNode(child, into);
}

/** Every dig command and record the document shows, as they go on the clipboard (clipboardText). */
export function copyableTexts(doc: ReportDoc): CopyableTexts {
  const into: CopyableTexts = { dig: new Set(), record: new Set() };
  for (const section of doc.sections) {
    if (section.type === 'tree') for (const node of section.nodes) addNode(node, into);
    if (section.type === 'rows') for (const row of section.rows) addFix(row.fix, into);
  }
  for (const f of doc.findings) {
    if (f.dig) into.dig.add(clipboardText(f.dig));
    addFix(f.fix, into);
  }
  return into;
}

/**
 * A dig command or a record as it goes on the clipboard: names and TXT text from DNS may hold
 * control, bidi or line-separator characters, which are written as dig and zone files write them
 * (`\DDD`, RFC 1035 §5.1). The pasted line means the same to dig or a name server, and carries no
 * hidden second command or terminal escape.
 */
export function clipboardText(text: string): string {
  return zoneText(text);
}

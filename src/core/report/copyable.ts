// What a report lets its reader copy: the dig commands and the records to publish it shows. The
// report webview asks the host to copy a text; the host copies it only when the document holds it,
// so a page can never put text of its own choosing on the clipboard.
import type { Fix } from '../model';
import type { DocNode, ReportDoc } from './doc';

export interface CopyableTexts {
  dig: Set<string>;
  record: Set<string>;
}

function addFix(fix: Fix | undefined, into: CopyableTexts): void {
  if (fix?.record) into.record.add(fix.record);
}

function addNode(node: DocNode, into: CopyableTexts): void {
  if (node.dig) into.dig.add(node.dig);
  for (const q of node.queries ?? []) into.dig.add(q.dig);
  for (const child of node.children) addNode(child, into);
}

export function copyableTexts(doc: ReportDoc): CopyableTexts {
  const into: CopyableTexts = { dig: new Set(), record: new Set() };
  for (const section of doc.sections) {
    if (section.type === 'tree') for (const node of section.nodes) addNode(node, into);
    if (section.type === 'rows') for (const row of section.rows) addFix(row.fix, into);
  }
  for (const f of doc.findings) {
    if (f.dig) into.dig.add(f.dig);
    addFix(f.fix, into);
  }
  return into;
}

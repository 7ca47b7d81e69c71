// Text edits: applying them, picking every fix of a file that can be applied together, and the
// edit that deletes a record's lines.
import type { ParsedZone } from './parser';
import type { TextEdit, ZoneFinding, ZoneFix, ZoneRecord } from './types';

/** Applies edits to one file's text; edits must not overlap (later ones are applied first). */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

/**
 * "Fix all in file": the preferred fix of every finding in `file` whose edits touch only that file
 * and do not overlap an edit already taken, in file order.
 */
export function fixAllEdits(findings: ZoneFinding[], file: string): TextEdit[] {
  const taken: TextEdit[] = [];
  const overlaps = (e: TextEdit) => taken.some((t) => (e.start < t.end && t.start < e.end) || (e.start === t.start && e.end === t.end));
  for (const f of findings) {
    if (f.file !== file || !f.fix) continue;
    const edits = f.fix.edits;
    if (edits.some((e) => e.file !== file) || edits.some(overlaps)) continue;
    taken.push(...edits);
  }
  return taken.sort((a, b) => a.start - b.start);
}

/** Deletes a record's lines, unless it shares them with other text, or a record after it inherits its owner. */
export function deleteRecordFix(r: ZoneRecord, zone: ParsedZone, description: string): ZoneFix | undefined {
  if (r.generated) return undefined;
  const src = zone.sources.get(r.file);
  if (!src) return undefined;
  const text = src.text;
  const lineStart = text.lastIndexOf('\n', r.start - 1) + 1;
  if (text.slice(lineStart, r.start).trim() !== '') return undefined;
  let lineEnd = text.indexOf('\n', r.end);
  lineEnd = lineEnd < 0 ? text.length : lineEnd + 1;
  const tail = text.slice(r.end, lineEnd).trim();
  if (tail !== '' && !tail.startsWith(';')) return undefined;
  const i = zone.records.indexOf(r);
  const next = zone.records[i + 1];
  if (r.ownerToken && next && next.file === r.file && !next.ownerToken && next.owner === r.owner) return undefined;
  return { description, edits: [{ file: r.file, start: lineStart, end: lineEnd, newText: '' }] };
}

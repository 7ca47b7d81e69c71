// Text edits: applying them, picking every fix of a file that can be applied together, and the
// edit that deletes a record's lines. Each is O(n log n) in the edits or linear in the records:
// "fix all" over 32,000 duplicate records must not compare every edit with every other.
import type { ParsedZone } from './parser';
import type { TextEdit, ZoneFinding, ZoneFix, ZoneRecord } from './types';

/** Applies edits to one file's text; edits must not overlap. One pass over the text. */
export function applyEdits(text: string, edits: TextEdit[]): string {
  // Sorted by position; of two at one offset, the one given later goes first (as when applied from the end).
  const sorted = edits.map((e, i) => ({ e, i })).sort((a, b) => a.e.start - b.e.start || a.e.end - b.e.end || b.i - a.i);
  const parts: string[] = [];
  let at = 0;
  for (const { e } of sorted) {
    parts.push(text.slice(at, e.start), e.newText);
    at = Math.max(at, e.end);
  }
  parts.push(text.slice(at));
  return parts.join('');
}

/** Do two edits touch the same text (or insert at the same place)? */
function overlap(a: TextEdit, b: TextEdit): boolean {
  return (a.start < b.end && b.start < a.end) || (a.start === b.start && a.end === b.end);
}

/**
 * "Fix all in file": the preferred fix of every finding in `file` whose edits touch only that file
 * and do not overlap an edit already taken, in file order. A SOA serial bump (an edit marked
 * `serial`, which every fix of a zone carries alike) is taken once, wherever the SOA is (the
 * zone's main file, for a fix in an `$INCLUDE`d one).
 *
 * The edits taken never overlap, so sorted by (start, end) their ends go up too: an edit overlaps
 * one of them exactly when the last one taken that starts before it ends inside it (or, for an
 * insertion, one taken at the same place is the same). A Fenwick tree over the sorted edits finds
 * that one in O(log n).
 */
export function fixAllEdits(findings: ZoneFinding[], file: string): TextEdit[] {
  const groups: TextEdit[][] = [];
  for (const f of findings) {
    if (f.file !== file || !f.fix) continue;
    const edits = f.fix.edits;
    if (edits.some((e) => e.file !== file && !e.serial)) continue;
    // A fix whose own edits overlap cannot be applied at all.
    const own = edits.length > 1 ? edits.filter((e) => e.file === file).sort((a, b) => a.start - b.start || a.end - b.end) : edits;
    let ok = true;
    for (let k = 1; k < own.length && ok; k++) ok = !overlap(own[k - 1], own[k]) && own[k - 1].end <= own[k].start;
    if (ok) groups.push(edits);
  }
  // Distinct (start, end) keys, sorted; each edit's rank is its key's place.
  const all: TextEdit[] = [];
  for (const g of groups) for (const e of g) if (e.file === file) all.push(e);
  all.sort((a, b) => a.start - b.start || a.end - b.end);
  const starts: number[] = [];
  const ends: number[] = [];
  for (const e of all) {
    const n = starts.length;
    if (n === 0 || starts[n - 1] !== e.start || ends[n - 1] !== e.end) {
      starts.push(e.start);
      ends.push(e.end);
    }
  }
  const n = starts.length;
  const tree = new Int32Array(n + 1);
  const taken = new Uint8Array(n);
  let highBit = 1;
  while (highBit * 2 <= n) highBit *= 2;
  /** First key whose (start, end) is at least (s, e). */
  const lowerBound = (s: number, e: number): number => {
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid] < s || (starts[mid] === s && ends[mid] < e)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  /** The last taken key below rank `r`, or -1. */
  const lastTakenBelow = (r: number): number => {
    let count = 0;
    for (let i = r; i > 0; i -= i & -i) count += tree[i];
    if (count === 0) return -1;
    // The count-th taken key: walk down the tree.
    let pos = 0;
    for (let step = highBit; step > 0; step >>= 1) {
      if (pos + step <= n && tree[pos + step] < count) {
        pos += step;
        count -= tree[pos];
      }
    }
    return pos;
  };
  const conflicts = (e: TextEdit): boolean => {
    // Keys that start before the edit ends (before its position, for an insertion).
    const t = lastTakenBelow(lowerBound(e.end, -Infinity));
    if (t >= 0 && ends[t] > e.start && (e.start < e.end || starts[t] < e.start)) return true;
    if (e.start === e.end) {
      const k = lowerBound(e.start, e.end);
      if (k < n && taken[k] && starts[k] === e.start && ends[k] === e.end) return true;
    }
    return false;
  };
  const out: TextEdit[] = [];
  const serials = new Set<string>();
  const serialKey = (e: TextEdit) => `${e.file}\0${e.start}\0${e.end}\0${e.newText}`;
  for (const all of groups) {
    // The bump another fix has taken already is this fix's too.
    const g = all.some((e) => e.serial) ? all.filter((e) => !e.serial || !serials.has(serialKey(e))) : all;
    if (g.some((e) => e.file === file && conflicts(e))) continue;
    for (const e of g) {
      if (e.serial) serials.add(serialKey(e));
      if (e.file !== file) {
        out.push(e);
        continue;
      }
      const k = lowerBound(e.start, e.end);
      taken[k] = 1;
      for (let i = k + 1; i <= n; i += i & -i) tree[i]++;
      out.push(e);
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

/** Visual column after `text` (tabs to the next multiple of 8, as editors show master files). */
export function columnAfter(text: string, from = 0): number {
  let col = from;
  for (const ch of text) col = ch === '\t' ? col + 8 - (col % 8) : col + 1;
  return col;
}

/** Whitespace taking `text` (at column `col`) to column `target`: at least one character. */
export function padTo(col: number, target: number, tabs: boolean): string {
  if (tabs) {
    let out = '';
    let c = col;
    while (c < target || out === '') {
      out += '\t';
      c = c + 8 - (c % 8);
    }
    return out;
  }
  return ' '.repeat(Math.max(1, target - col));
}

/**
 * Deleting records' lines, for the records of one zone: what quick fixes and report fixes
 * (recordEdit.ts) both delete with. The records whose next record inherits their owner (a blank
 * owner field) are worked out once, on the first record asked for, instead of looking each
 * record up in the zone.
 */
export class RecordDeleter {
  /** Record → the record after it, which inherits its owner. */
  private heirs: Map<ZoneRecord, ZoneRecord> | undefined;

  constructor(private readonly zone: ParsedZone) {}

  /** The delete as a fix; undefined when it cannot be made (see edits). */
  fix(r: ZoneRecord, description: string): ZoneFix | undefined {
    const edits = this.edits(r);
    return typeof edits === 'string' ? undefined : { description, edits };
  }

  /**
   * The edits deleting a record's lines, or why there are none: `shared` when the record shares
   * its lines with other text (or comes from `$GENERATE`), `inherited` when the record after it
   * inherits its owner but is not on the next line. When the next line's record inherits the
   * owner, that line gets the owner written into its blank field, in the field's column, so it
   * keeps its name.
   */
  edits(r: ZoneRecord): TextEdit[] | 'shared' | 'inherited' {
    if (r.generated) return 'shared';
    const src = this.zone.sources.get(r.file);
    if (!src) return 'shared';
    const text = src.text;
    const lineStart = text.lastIndexOf('\n', r.start - 1) + 1;
    if (text.slice(lineStart, r.start).trim() !== '') return 'shared';
    let lineEnd = text.indexOf('\n', r.end);
    lineEnd = lineEnd < 0 ? text.length : lineEnd + 1;
    const tail = text.slice(r.end, lineEnd).trim();
    if (tail !== '' && !tail.startsWith(';')) return 'shared';
    const next = r.ownerToken ? this.ownerHeirs().get(r) : undefined;
    if (!next || !r.ownerToken) return [{ file: r.file, start: lineStart, end: lineEnd, newText: '' }];
    const nextLineStart = text.lastIndexOf('\n', next.start - 1) + 1;
    if (nextLineStart !== lineEnd) return 'inherited';
    const indent = text.slice(nextLineStart, next.start);
    const ownerText = r.ownerToken.text;
    const newText = ownerText + padTo(ownerText.length, columnAfter(indent), indent.includes('\t'));
    return [{ file: r.file, start: lineStart, end: next.start, newText }];
  }

  /** Records whose next record (in the order read) is in the same file and inherits their owner. */
  private ownerHeirs(): Map<ZoneRecord, ZoneRecord> {
    if (this.heirs) return this.heirs;
    const map = new Map<ZoneRecord, ZoneRecord>();
    const recs = this.zone.records;
    for (let i = 0; i + 1 < recs.length; i++) {
      const r = recs[i];
      const next = recs[i + 1];
      if (next.file === r.file && !next.ownerToken && !next.generated && next.owner === r.owner) map.set(r, next);
    }
    this.heirs = map;
    return map;
  }
}

/** Deletes a record's lines (see RecordDeleter; for many records of one zone, use one RecordDeleter). */
export function deleteRecordFix(r: ZoneRecord, zone: ParsedZone, description: string): ZoneFix | undefined {
  return new RecordDeleter(zone).fix(r, description);
}

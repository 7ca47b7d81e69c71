// What an editor shows of a zone file besides its text: the outline (one entry per owner name with
// its records, plus the `$INCLUDE` and `$GENERATE` lines) and the multi-line entries it can fold.
// Plain data with offsets into the file, from the parser's ranges.
import { bare } from './names';
import type { ParsedZone } from './parser';
import type { ZoneRecord } from './types';

export interface OutlineNode {
  kind: 'owner' | 'record' | 'include' | 'generate';
  name: string;
  detail: string;
  /** Records: the type mnemonic. */
  type?: string;
  /** Offsets of the whole entry (an owner: from its first record to its last). */
  start: number;
  end: number;
  /** What to select when the entry is picked: the owner as written, a record's type. */
  selectionStart: number;
  selectionEnd: number;
  children: OutlineNode[];
}

const DETAIL_MAX = 80;

function shorten(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > DETAIL_MAX ? one.slice(0, DETAIL_MAX - 1) + '…' : one;
}

/** A record's RDATA as written, strings in quotes, on one line. */
export function rdataText(r: ZoneRecord): string {
  return r.rdata.map((t) => (t.quoted ? `"${t.text}"` : t.text)).join(' ');
}

function recordNode(r: ZoneRecord): OutlineNode {
  return {
    kind: 'record',
    name: r.type,
    detail: shorten(rdataText(r)),
    type: r.type,
    start: r.start,
    end: r.end,
    selectionStart: r.typeToken.start,
    selectionEnd: r.typeToken.end,
    children: [],
  };
}

/** "SOA, NS ×2, MX ×2, TXT, A": the types at an owner, in file order. */
function typeSummary(records: ZoneRecord[]): string {
  const counts = new Map<string, number>();
  for (const r of records) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  return [...counts].map(([type, n]) => (n > 1 ? `${type} ×${n}` : type)).join(', ');
}

/**
 * The outline of `file` (the zone's main file or one it `$INCLUDE`s), in file order: one node per
 * owner name with its records as children; each `$GENERATE` line and `$INCLUDE` line as one node.
 */
export function zoneOutline(zone: ParsedZone, file: string): OutlineNode[] {
  const src = zone.sources.get(file);
  if (!src) return [];
  const owners = new Map<string, ZoneRecord[]>();
  const generated = new Map<number, ZoneRecord[]>();
  const add = <K>(map: Map<K, ZoneRecord[]>, key: K, r: ZoneRecord) => {
    const list = map.get(key);
    if (list) list.push(r);
    else map.set(key, [r]);
  };
  for (const r of zone.records) {
    if (r.file !== file) continue;
    // Every record of one `$GENERATE` line starts at the same offset.
    if (r.generated) add(generated, r.start, r);
    else add(owners, r.owner, r);
  }
  const out: OutlineNode[] = [];
  for (const [owner, records] of owners) {
    const named = records.find((r) => r.ownerToken);
    const sel = named?.ownerToken ?? records[0].typeToken;
    // A loop, not Math.min(...starts): an owner with 150,000 records would overflow the call stack.
    let start = records[0].start;
    let end = records[0].end;
    for (const r of records) {
      if (r.start < start) start = r.start;
      if (r.end > end) end = r.end;
    }
    out.push({
      kind: 'owner',
      name: bare(owner),
      detail: typeSummary(records),
      start,
      end,
      selectionStart: sel.start,
      selectionEnd: sel.end,
      children: records.map(recordNode),
    });
  }
  for (const [, records] of generated) {
    const r = records[0];
    const lineStart = src.lines.lineStart(src.lines.position(r.start).line);
    out.push({
      kind: 'generate',
      name: shorten(src.text.slice(lineStart, r.end)),
      detail: `${records.length} ${r.type} record${records.length === 1 ? '' : 's'}`,
      type: r.type,
      start: lineStart,
      end: r.end,
      selectionStart: lineStart,
      selectionEnd: r.end,
      children: [],
    });
  }
  for (const inc of zone.includes) {
    if (inc.from !== file) continue;
    out.push({
      kind: 'include',
      name: shorten(src.text.slice(inc.start, inc.end)),
      detail: inc.file,
      start: inc.start,
      end: inc.end,
      selectionStart: inc.start,
      selectionEnd: inc.end,
      children: [],
    });
  }
  return out.sort((a, b) => a.start - b.start || a.end - b.end);
}

export interface FoldingLines {
  /** 0-based lines. */
  startLine: number;
  endLine: number;
  kind: 'record' | 'comment';
}

/**
 * What an editor can fold in `file`: each entry that spans lines (a `( … )` record) and each run of
 * two or more comment lines. An editor that asks a language for folding stops folding by
 * indentation, so comment blocks are given too.
 */
export function foldingLines(zone: ParsedZone, file: string): FoldingLines[] {
  const src = zone.sources.get(file);
  if (!src) return [];
  const out: FoldingLines[] = [];
  let lastStart = -1;
  for (const r of zone.records) {
    // Records of one `$GENERATE` line share their range: one fold at most.
    if (r.file !== file || r.start === lastStart) continue;
    lastStart = r.start;
    const startLine = src.lines.position(r.start).line;
    const endLine = src.lines.position(r.end).line;
    if (endLine > startLine) out.push({ startLine, endLine, kind: 'record' });
  }
  const lines = src.text.split(/\r\n|\r|\n/);
  let run = -1;
  for (let i = 0; i <= lines.length; i++) {
    const comment = i < lines.length && /^\s*;/.test(lines[i]);
    if (comment && run < 0) run = i;
    if (!comment && run >= 0) {
      if (i - 1 > run) out.push({ startLine: run, endLine: i - 1, kind: 'comment' });
      run = -1;
    }
  }
  return out.sort((a, b) => a.startLine - b.startLine);
}

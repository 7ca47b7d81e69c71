// What the DMARC and DKIM rules of the zone linter share: a TXT record's strings joined (RFC 7208
// §3.3, RFC 6376 §3.6.2.2, RFC 7489 §6.3: without separator) with the map back to the file — the
// same map SPF findings use (spfLint.ts) —, ranges and text edits inside the quoted strings, the
// mail severities (errors are for what BIND refuses, issue 12), and the unquoted-";" trap.
import type { Severity } from '../model';
import { ZONE_CODES } from './codes';
import { RecordDeleter } from './edits';
import { quoteTxt } from './recordEdit';
import type { ParsedZone } from './parser';
import { charStringBytes } from './rdata';
import { joined } from './spfLint';
import type { ZoneFinding, ZoneFix, ZoneRecord } from './types';
import type { ZoneIndex } from './zoneIndex';

/** A TXT record's text joined from its strings, with the source offset of each character. */
export interface TxtSource {
  record: ZoneRecord;
  text: string;
  starts: number[];
  ends: number[];
  /** Which rdata string each character of `text` came from. */
  strings: number[];
}

export function txtSource(record: ZoneRecord): TxtSource {
  return joined(record);
}

/** The record's RDATA, from its first string to its last. */
export function rdataRange(r: ZoneRecord): [number, number] {
  return r.rdata.length > 0 ? [r.rdata[0].start, r.rdata[r.rdata.length - 1].end] : [r.typeToken.start, r.typeToken.end];
}

/** The file offset of a place between characters of the joined text (an insertion point). */
export function pointAt(s: TxtSource, offset: number): number {
  if (s.text.length === 0) return rdataRange(s.record)[0];
  return offset < s.text.length ? s.starts[offset] : s.ends[s.text.length - 1];
}

/** The file range of `text.slice(start, end)`; a place (start = end) widens to the whole record text. */
export function rangeOf(s: TxtSource, start: number, end: number): [number, number] {
  if (end <= start || s.text.length === 0) return rdataRange(s.record);
  const a = Math.min(start, s.text.length - 1);
  const b = Math.min(end, s.text.length) - 1;
  return [s.starts[a], s.ends[Math.max(a, b)]];
}

/** Mail findings are advice: a parser's `error` (receivers ignore the record) is a warning in a zone file. */
export function mailSeverity(severity: Severity): Severity {
  return severity === 'error' ? 'warning' : severity;
}

/** Zone-file text for a character-string's content: `"` and `\` escaped. */
export function escapeTxt(text: string): string {
  return text.replace(/[\\"]/g, (c) => '\\' + c);
}

/**
 * An edit replacing `text.slice(start, end)` (or inserting at `start` when they are equal) with
 * `newText`, when it can be written in the file as it is: the record not from `$GENERATE`, the
 * range inside one quoted string and written there without escapes, and the string still at most
 * 255 bytes after it (else the fix would make a record BIND refuses).
 */
export function textFix(s: TxtSource, start: number, end: number, newText: string, description: string): ZoneFix | undefined {
  const r = s.record;
  if (r.generated || s.text.length === 0) return undefined;
  const at = Math.min(start, s.text.length - 1);
  // An insertion at the very end goes into the last string.
  const string = start < s.text.length ? s.strings[at] : s.strings[s.text.length - 1];
  const tok = r.rdata[string];
  if (!tok || !tok.quoted) return undefined;
  if (end > start) {
    if (s.strings[end - 1] !== string || s.ends[end - 1] - s.starts[start] !== end - start) return undefined;
  }
  const from = end > start ? s.starts[start] : pointAt(s, start);
  const to = end > start ? s.ends[end - 1] : from;
  const escaped = escapeTxt(newText);
  const inner = tok.start + 1;
  const raw = tok.text;
  const edited = raw.slice(0, from - inner) + escaped + raw.slice(to - inner);
  if (charStringBytes(edited) > 255) return undefined;
  return { description, edits: [{ file: r.file, start: from, end: to, newText: escaped }] };
}

export function mailFinding(code: string, severity: Severity | undefined, message: string, file: string, range: [number, number], extra: Partial<ZoneFinding> = {}): ZoneFinding {
  return { code, severity: severity ?? ZONE_CODES[code]?.severity ?? 'warning', message, file, start: range[0], end: range[1], ...extra };
}

/** The zone that read each file, and one RecordDeleter per zone (record deletion fixes). */
export function deleters(index: ZoneIndex): (r: ZoneRecord) => RecordDeleter | undefined {
  const byFile = new Map<string, ParsedZone>();
  for (const z of index.zones) for (const file of z.zone.sources.keys()) if (!byFile.has(file)) byFile.set(file, z.zone);
  const made = new Map<ParsedZone, RecordDeleter>();
  return (r) => {
    const zone = byFile.get(r.file);
    if (!zone) return undefined;
    let d = made.get(zone);
    if (!d) made.set(zone, (d = new RecordDeleter(zone)));
    return d;
  };
}

/** Each file's text, gathered once per index. */
function textsOf(index: ZoneIndex): Map<string, string> {
  const m = new Map<string, string>();
  for (const z of index.zones) for (const [file, src] of z.zone.sources) if (!m.has(file)) m.set(file, src.text);
  return m;
}

/** Records whose next record (in the order read, same file) has a blank owner and so inherits theirs. */
function ownerHoldersOf(index: ZoneIndex): Set<ZoneRecord> {
  const set = new Set<ZoneRecord>();
  for (const z of index.zones) {
    const recs = z.zone.records;
    for (let i = 0; i + 1 < recs.length; i++) if (recs[i + 1].file === recs[i].file && !recs[i + 1].ownerToken && recs[i + 1].owner === recs[i].owner) set.add(recs[i]);
  }
  return set;
}

/** Changing this record's owner token would move the records after it that inherit it (a blank owner field). */
export function holdsOwner(index: ZoneIndex, r: ZoneRecord): boolean {
  return index.derive(ownerHoldersOf).has(r);
}

/** The text of the file a record was read from. */
export function sourceText(index: ZoneIndex, r: ZoneRecord): string | undefined {
  return index.derive(textsOf).get(r.file);
}

/**
 * RFC 1035 §5.1: ";" starts a comment outside quotes. `TXT v=DMARC1; p=reject` publishes the one
 * string "v=DMARC1" and leaves the rest as a comment. When the record is unquoted and the comment
 * right after it reads like more tags, the fix quotes the whole text (split at 255 bytes).
 */
export function unquotedSemicolon(index: ZoneIndex, s: TxtSource): ZoneFinding | undefined {
  const r = s.record;
  if (r.generated || r.rdata.length === 0 || r.rdata.some((t) => t.quoted)) return undefined;
  const text = sourceText(index, r);
  if (text === undefined) return undefined;
  let lineEnd = text.indexOf('\n', r.end);
  if (lineEnd < 0) lineEnd = text.length;
  const after = text.slice(r.end, lineEnd);
  const m = /^[ \t]*;(.*)$/.exec(after);
  // Only tags after it: `TXT v=DKIM1 ; the key for s1` is a comment as meant.
  if (!m || !/^\s*[A-Za-z][A-Za-z0-9_]*\s*=/.test(m[1])) return undefined;
  const rest = m[1].replace(/\r$/, '').trimEnd();
  const whole = `${text.slice(r.rdata[0].start, r.end)};${rest}`;
  // Escapes in unquoted text would need reading first: no fix for those rare records.
  if (/[\\"]/.test(whole)) return mailFinding('txt-unquoted-semicolon', undefined, trapMessage(s, rest), r.file, rdataRange(r));
  const fix: ZoneFix = { description: 'Quote the whole text, so the ";" and what follows are part of the record', edits: [{ file: r.file, start: r.rdata[0].start, end: r.end + after.replace(/\r$/, '').trimEnd().length, newText: quoteTxt(whole) }] };
  return mailFinding('txt-unquoted-semicolon', undefined, trapMessage(s, rest), r.file, rdataRange(r), { fix });
}

function trapMessage(s: TxtSource, rest: string): string {
  const cut = rest.trim();
  return `this TXT record is not quoted, so ";" starts a comment (RFC 1035 §5.1): the record holds only ${JSON.stringify(s.text)}, and "${cut.length > 40 ? cut.slice(0, 40) + '…' : cut}" is not published. Quote the whole text`;
}

/** The first label of a name (`_dmarc` of `_dmarc.example.com.`), lower case. */
export function firstLabel(name: string): string {
  const dot = name.indexOf('.');
  return (dot < 0 ? name : name.slice(0, dot)).toLowerCase();
}

/** `name` without its first label: `example.com.` of `_dmarc.example.com.`. */
export function withoutFirstLabel(name: string): string {
  const dot = name.indexOf('.');
  return dot < 0 || dot === name.length - 1 ? '.' : name.slice(dot + 1);
}

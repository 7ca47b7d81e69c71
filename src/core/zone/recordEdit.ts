// Putting a report's fix into the zone file that holds the record: add, change or remove one
// record where it lives (after CNAMEs inside the workspace, so an RFC 2317 classless PTR lands
// under the CNAME'd name; in the `$INCLUDE`d file that holds it), written the way the file writes
// its records, with the SOA serial bumped the way the file bumps it. Pure: the date is injected.
// The edits are TextEdits like every zone quick fix (edits.ts), so one engine serves both.
import { canonicalIp } from '../ip';
import { columnAfter, padTo, RecordDeleter } from './edits';
import { bare, isAtOrBelow, relativeTo } from './names';
import { decodeCharString, quotedStrings } from './rdata';
import type { ParsedZone } from './parser';
import type { TextEdit, ZoneFinding, ZoneFix, ZoneRecord } from './types';
import type { IndexedZone, ZoneIndex } from './zoneIndex';

export interface RecordChange {
  /**
   * `set`: the RRset of `type` at `owner` becomes exactly `data` (a record already holding it is
   * kept, else the first is changed; the others go). `add`: one more record. `remove`: the records
   * holding `data` (all of the type when no data is given).
   */
  op: 'add' | 'set' | 'remove';
  /** Owner name, absolute (a trailing dot optional), any case. */
  owner: string;
  /** Type mnemonic (`PTR`, `A`, `TXT` …). */
  type: string;
  /** RDATA in master-file form, names absolute (`web6.example.net.`); written relative where the file does. */
  data?: string;
  /** TTL for a new record, used only where the file writes a TTL column. */
  ttl?: number;
  /**
   * `set` only: the record to change is the one holding this value (an SPF or DMARC TXT among
   * other TXT records, one MX of several); the others of the type stay. Master-file form, or
   * for TXT the text of the strings joined.
   */
  current?: string;
}

export interface EditOptions {
  /**
   * Today, for YYYYMMDDnn serials (UTC date) and time-based ones. Without it the plan bumps no
   * serial: a quick fix's caller (SerialBumper) adds one bump per zone instead.
   */
  now?: Date;
}

export interface SerialBump {
  file: string;
  from: number;
  to: number;
  /** How the file numbers its serials. */
  style: 'date' | 'unixtime' | 'counter';
}

/** A change planned against the workspace's files: the edits and what they do. */
export interface RecordEditPlan extends ZoneFix {
  /** The zone's origin, absolute. */
  zone: string;
  /** The file that holds (or will hold) the record. */
  file: string;
  /** Where the record lives, absolute: the asked owner, or where CNAMEs inside the workspace lead (RFC 2317). */
  owner: string;
  /** The CNAMEs followed to get there. */
  via: string[];
  serial?: SerialBump;
}

export type PlanOutcome =
  | { ok: true; plan: RecordEditPlan }
  /** `outside`: no zone of the workspace holds the name; the record must be changed elsewhere. */
  | { ok: false; reason: string; outside?: true; owner: string };

const NAME_TYPES = new Set(['PTR', 'CNAME', 'NS', 'DNAME']);
const abs = (name: string) => (name.endsWith('.') ? name.toLowerCase() : `${name.toLowerCase()}.`);

/** Plans `change` against the workspace's zones; nothing is applied (applyEdits does that). */
export function planRecordEdit(index: ZoneIndex, change: RecordChange, options: EditOptions): PlanOutcome {
  const type = change.type.toUpperCase();
  const asked = abs(change.owner);
  // RFC 1034 §3.6.2 / RFC 2317 §4: a CNAME at the name means the record lives at its target.
  const found = index.lookup(asked, type === 'CNAME' ? 'CNAME' : type);
  const via = found.cnames.map((c) => bare(c.owner));
  if (found.status === 'outside') {
    const where = found.cnames.length > 0 ? `${bare(found.name)} (where the CNAME at ${bare(asked)} leads)` : bare(asked);
    return { ok: false, outside: true, owner: found.name, reason: `No zone in the workspace holds ${where}.` };
  }
  const iz = found.zone;
  const owner = found.name;
  const existing = index.recordsOfTypeIn(iz, owner, type);
  const wanted = change.data === undefined ? undefined : valueOf(type, change.data);
  const edits: TextEdit[] = [];
  let what: string;
  let file: string;
  const generated = existing.find((r) => r.generated);
  if (generated && change.op !== 'add') return { ok: false, owner, reason: `${bare(owner)} ${type} is made by a $GENERATE line (${fileLine(iz.zone, generated)}): change that line by hand.` };

  if (change.op === 'remove' || (change.op === 'set' && existing.length > 0)) {
    let keep: ZoneRecord | undefined;
    let change1: ZoneRecord | undefined;
    // With `current`, only the records holding it are this change's; the rest of the RRset stays.
    const mine = change.current === undefined ? existing : existing.filter((r) => recordValue(r) === valueOf(type, change.current!));
    if (change.op === 'set') {
      if (wanted === undefined) return { ok: false, owner, reason: 'Nothing to set: no data given.' };
      if (mine.length === 0) return { ok: false, owner, reason: `${bare(owner)} has no ${type} record holding ${change.current}: the zone differs from what was checked.` };
      keep = existing.find((r) => recordValue(r) === wanted);
      if (!keep) change1 = mine[0];
    }
    const going = (change.op === 'set' ? mine : existing).filter((r) => r !== keep && r !== change1 && (change.op !== 'remove' || wanted === undefined || recordValue(r) === wanted));
    if (change.op === 'remove' && going.length === 0) return { ok: false, owner, reason: `${bare(owner)} has no ${type} record${wanted ? ` holding ${change.data}` : ''} to remove.` };
    if (change1) {
      const first = change1.rdata[0];
      const last = change1.rdata[change1.rdata.length - 1];
      if (!first) return { ok: false, owner, reason: `The ${type} record at ${bare(owner)} has no data to change.` };
      // TXT: where the change falls inside one of the record's strings, only that string changes
      // (a DKIM key split over lines keeps its layout); otherwise the whole RDATA is rewritten.
      const inString = type === 'TXT' ? txtStringEdit(change1, valueOf(type, change.data!)) : undefined;
      const newText = formatData(type, change.data!, change1, relativeStyle(iz.zone, change1.file, type));
      edits.push(inString ?? { file: change1.file, start: first.start, end: last.end, newText });
    }
    const deleter = new RecordDeleter(iz.zone);
    for (const r of going) {
      const del = deleteRecord(iz.zone, deleter, r);
      if (typeof del === 'string') return { ok: false, owner, reason: del };
      edits.push(...del);
    }
    const old = (change1 ? [change1] : existing).map(recordValueText).join(', ');
    file = (change1 ?? going[0] ?? keep)!.file;
    what =
      change.op === 'remove'
        ? `Remove ${bare(owner)} ${type} ${going.map(recordValueText).join(', ')}`
        : change1
          ? `Change ${bare(owner)} ${type} from ${old} to ${bare(change.data!)}`
          : `Keep ${bare(owner)} ${type} ${bare(change.data!)}, remove ${going.map(recordValueText).join(', ')}`;
    if (edits.length === 0) return { ok: false, owner, reason: `${bare(owner)} ${type} already holds ${change.data}.` };
  } else {
    if (change.data === undefined) return { ok: false, owner, reason: 'Nothing to add: no data given.' };
    if (wanted !== undefined && existing.some((r) => recordValue(r) === wanted)) return { ok: false, owner, reason: `${bare(owner)} ${type} already holds ${change.data}.` };
    // One SPF (RFC 7208 §4.5) or DMARC (RFC 7489 §6.6.3) record per name: a fix made from live DNS
    // that had none must not add a second one to a zone file that has one (not published yet?).
    const version = type === 'TXT' && wanted !== undefined ? /^v=[a-z0-9]+(?=[;\s]|$)/i.exec(wanted)?.[0].toLowerCase() : undefined;
    const same = version ? existing.find((r) => recordValue(r).toLowerCase().startsWith(version)) : undefined;
    if (same) return { ok: false, owner, reason: `${fileLine(iz.zone, same)} already has a ${version} record at ${bare(owner)}, unlike DNS when it was checked: publish the zone, or change that record.` };
    const add = insertRecord(iz, owner, type, change, index);
    if (typeof add === 'string') return { ok: false, owner, reason: add };
    edits.push(add);
    file = add.file;
    what = `Add ${bare(owner)} ${type} ${bare(change.data)}`;
  }

  const serial = options.now ? bumpSerial(iz, options.now) : undefined;
  if (typeof serial === 'string') return { ok: false, owner, reason: serial };
  if (serial) edits.push(serial.edit);
  const description =
    `${what} in ${baseName(file)}${via.length > 0 ? ` (the CNAME at ${via[0]} leads there, RFC 2317)` : ''}` +
    (serial ? `; serial ${serial.bump.from} → ${serial.bump.to}${serial.bump.file !== file ? ` in ${baseName(serial.bump.file)}` : ''}.` : '.');
  return {
    ok: true,
    plan: {
      description,
      edits,
      zone: iz.origin,
      file,
      owner,
      via,
      ...(serial ? { serial: serial.bump } : {}),
    },
  };
}

function baseName(file: string): string {
  const i = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  return file.slice(i + 1);
}

function fileLine(zone: ParsedZone, r: ZoneRecord): string {
  const src = zone.sources.get(r.file);
  const line = src ? src.lines.position(r.start).line + 1 : 0;
  return `${baseName(r.file)}:${line}`;
}

/** The value a record holds, comparable with valueOf(): a name, an address, MX `pref name`, TXT text, or the RDATA text. */
function recordValue(r: ZoneRecord): string {
  if (r.address !== undefined) return canonicalIp(r.address);
  if (NAME_TYPES.has(r.type) && r.target) return r.target;
  if (r.type === 'MX' && r.target) return `${r.preference ?? 0} ${r.target}`;
  // RFC 7208 §3.3: a TXT record's strings are read joined, without a separator.
  if (r.type === 'TXT') return r.rdata.map((t) => decodeCharString(t.text)).join('');
  return r.rdata.map((t) => t.text).join(' ');
}

function recordValueText(r: ZoneRecord): string {
  if (r.type === 'MX' && r.target) return `${r.preference ?? 0} ${bare(r.target)}`;
  if (r.type === 'TXT') return `"${recordValue(r)}"`;
  return r.address ?? (r.target ? bare(r.target) : r.rdata.map((t) => (t.quoted ? `"${t.text}"` : t.text)).join(' '));
}

function valueOf(type: string, data: string): string {
  const d = data.trim();
  if (type === 'A' || type === 'AAAA') return canonicalIp(d);
  if (NAME_TYPES.has(type)) return abs(d);
  if (type === 'MX') {
    const [pref, name] = d.split(/\s+/);
    return `${Number(pref)} ${abs(name ?? '')}`;
  }
  if (type === 'TXT') return txtText(d);
  return d;
}

/**
 * The edit of one quoted string of a TXT record that turns its joined text into `text`, when the
 * difference lies inside one string and the result still fits it (255 octets, RFC 1035 §3.3.14).
 */
function txtStringEdit(r: ZoneRecord, text: string): TextEdit | undefined {
  if (r.rdata.length === 0 || r.rdata.some((t) => !t.quoted)) return undefined;
  const strings = r.rdata.map((t) => decodeCharString(t.text));
  const old = strings.join('');
  let p = 0;
  while (p < old.length && p < text.length && old[p] === text[p]) p++;
  let q = 0;
  while (q < old.length - p && q < text.length - p && old[old.length - 1 - q] === text[text.length - 1 - q]) q++;
  const end = old.length - q;
  let offset = 0;
  for (let i = 0; i < strings.length; i++) {
    const len = strings[i].length;
    if (p >= offset && end <= offset + len && (p < offset + len || i === strings.length - 1 || p === end)) {
      const next = strings[i].slice(0, p - offset) + text.slice(p, text.length - q) + strings[i].slice(end - offset);
      if (Buffer.byteLength(next, 'utf8') > 255) return undefined;
      return { file: r.file, start: r.rdata[i].start, end: r.rdata[i].end, newText: quoteTxt(next) };
    }
    offset += len;
  }
  return undefined;
}

/** TXT data as given: quoted master-file strings (joined) or, unquoted, the text itself. */
function txtText(d: string): string {
  if (!d.startsWith('"')) return d;
  let out = '';
  for (const m of d.matchAll(/"((?:[^"\\]|\\.)*)"/g)) out += decodeCharString(m[1]);
  return out;
}

/**
 * TXT text as master-file strings: quoted, `"` and `\` escaped, at most 255 octets each (RFC 1035
 * §3.3.14), cut after a space where one is near (rdata.ts splitCharString).
 */
export function quoteTxt(text: string): string {
  return quotedStrings(text.replace(/(["\\])/g, '\\$1')).text;
}

/** Does the file write this type's target names relative to the origin (`mail`) rather than absolute? */
function relativeStyle(zone: ParsedZone, file: string, type: string): boolean {
  let rel = 0;
  let absolute = 0;
  for (const r of zone.records) {
    if (r.file !== file || r.generated || r.targetIndex === undefined) continue;
    if (r.type !== type && !NAME_TYPES.has(r.type) && r.type !== 'MX') continue;
    const t = r.rdata[r.targetIndex];
    if (!t || t.text === '@') continue;
    if (t.text.endsWith('.')) absolute++;
    else rel++;
  }
  return rel > absolute;
}

/** RDATA text for the file: a target name written as the record (or the file) writes names. */
function formatData(type: string, data: string, like: ZoneRecord | undefined, relativeFile: boolean): string {
  const d = data.trim();
  if (type === 'TXT') return d.startsWith('"') ? d : quoteTxt(d);
  if (type === 'MX') {
    const [pref, name] = d.split(/\s+/);
    return `${Number(pref)} ${formatData('CNAME', name ?? '', like, relativeFile)}`;
  }
  if (!NAME_TYPES.has(type)) return d;
  const name = abs(d);
  const origin = like?.origin;
  const likeToken = like?.targetIndex !== undefined ? like.rdata[like.targetIndex] : undefined;
  const relative = likeToken ? !likeToken.text.endsWith('.') : relativeFile;
  if (relative && origin && origin !== '.' && isAtOrBelow(name, origin)) return relativeTo(name, origin);
  return name;
}

interface Layout {
  /** Column where each field starts on the neighbour's line; absent when the line has no such field. */
  owner?: number;
  ttl?: number;
  class?: number;
  type: number;
  rdata: number;
  tabs: boolean;
  /** Fields padded to columns (two spaces or a tab somewhere between them), not single-spaced. */
  aligned: boolean;
  ownerRelative: boolean;
  /** The text before the first field when the owner is blank. */
  indent: string;
}

function layoutOf(zone: ParsedZone, r: ZoneRecord): Layout | undefined {
  const src = zone.sources.get(r.file);
  if (!src) return undefined;
  const text = src.text;
  const lineStart = text.lastIndexOf('\n', r.start - 1) + 1;
  const colOf = (offset: number) => columnAfter(text.slice(lineStart, offset));
  const firstRdata = r.rdata[0];
  const between = text.slice(lineStart, firstRdata ? firstRdata.start : r.typeToken.end);
  return {
    ...(r.ownerToken ? { owner: colOf(r.ownerToken.start) } : {}),
    ...(r.ttlToken ? { ttl: colOf(r.ttlToken.start) } : {}),
    ...(r.classToken ? { class: colOf(r.classToken.start) } : {}),
    type: colOf(r.typeToken.start),
    rdata: firstRdata ? colOf(firstRdata.start) : colOf(r.typeToken.end) + 1,
    tabs: between.includes('\t'),
    aligned: /\S(?: {2,}|\t)/.test(between),
    ownerRelative: r.ownerToken ? !r.ownerToken.text.endsWith('.') : true,
    indent: r.ownerToken ? '' : text.slice(lineStart, r.start),
  };
}

/** Where a new record goes and its line, following the neighbour record's layout. */
function insertRecord(iz: IndexedZone, owner: string, type: string, change: RecordChange, index: ZoneIndex): TextEdit | string {
  const zone = iz.zone;
  const inZone = zone.records.filter((r) => !r.generated && iz.owners.has(r.owner));
  // 1. The owner has records: after the last of them, so no blank-owner line changes what it inherits.
  const same = inZone.filter((r) => r.owner === owner);
  let anchor: ZoneRecord | undefined = same[same.length - 1];
  let before = false;
  let blankOwner = false;
  if (anchor) {
    blankOwner = usesInheritance(zone, anchor.file);
  } else {
    // 2. After the nearest owner before it (canonical order, numeric labels as numbers) among
    // the records of the type; else before the first of them; else at the end of the zone's records.
    const ofType = inZone.filter((r) => r.type === type);
    const pool = ofType.length > 0 ? ofType : [];
    let best: ZoneRecord | undefined;
    for (const r of pool) if (compareNames(r.owner, owner) < 0 && (!best || compareNames(r.owner, best.owner) >= 0)) best = r;
    if (best) {
      // The last record of that owner's group in the file.
      const group = inZone.filter((r) => r.owner === best!.owner && r.file === best!.file);
      anchor = group[group.length - 1];
    } else if (pool.length > 0) {
      let first = pool[0];
      for (const r of pool) if (compareNames(r.owner, first.owner) < 0) first = r;
      // Before the first record of that owner (the one that writes the owner).
      anchor = inZone.find((r) => r.owner === first.owner && r.file === first.file && r.ownerToken) ?? first;
      before = true;
    } else {
      const soa = zone.records.find((r) => r.type === 'SOA');
      const inFile = inZone.filter((r) => r.file === (soa?.file ?? zone.file));
      anchor = inFile[inFile.length - 1];
    }
  }
  if (!anchor) return `The zone ${bare(iz.origin)} has no record to put ${bare(owner)} ${type} beside.`;
  // The neighbour's layout: for a blank owner, a record of the type that writes its owner shows the columns.
  const layoutRecord = anchor;
  const layout = layoutOf(zone, layoutRecord);
  const src = zone.sources.get(anchor.file);
  if (!layout || !src) return `${anchor.file} was not read.`;
  const text = src.text;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const origin = anchor.origin;

  let line = '';
  let col = 0;
  // After a blank owner's indent, the next field may start right there.
  let indentOnly = false;
  const put = (field: string, at: number | undefined) => {
    if (indentOnly && (at === undefined || col >= at)) {
      line += field;
      indentOnly = false;
    } else {
      indentOnly = false;
      const pad = layout.aligned ? padTo(col, at ?? col + 1, layout.tabs) : layout.tabs ? '\t' : ' ';
      line += pad + field;
      col = columnAfter(pad, col);
    }
    col = columnAfter(field, col);
  };
  if (blankOwner) {
    line = layout.indent || (layout.tabs ? '\t' : ' ');
    col = columnAfter(line);
    indentOnly = true;
  } else {
    const ownerText = layout.ownerRelative && origin && isAtOrBelow(owner, origin) ? relativeTo(owner, origin) : owner;
    line = ownerText;
    col = columnAfter(ownerText);
  }
  const defaultTtl = anchor.ttl;
  if (layout.ttl !== undefined) put(String(change.ttl ?? defaultTtl), layout.ttl);
  if (layout.class !== undefined) put(anchor.class, layout.class);
  put(type, layout.type);
  const likeType = index.recordsOfTypeIn(iz, anchor.owner, type)[0] ?? (anchor.type === type ? anchor : undefined);
  put(formatData(type, change.data!, likeType, relativeStyle(zone, anchor.file, type)), layout.rdata);

  if (before) {
    const lineStart = text.lastIndexOf('\n', anchor.start - 1) + 1;
    return { file: anchor.file, start: lineStart, end: lineStart, newText: line + eol };
  }
  let lineEnd = text.indexOf('\n', anchor.end);
  if (lineEnd < 0) return { file: anchor.file, start: text.length, end: text.length, newText: eol + line + eol };
  lineEnd += 1;
  return { file: anchor.file, start: lineEnd, end: lineEnd, newText: line + eol };
}

/** The file writes a repeated owner as a blank field (RFC 1035 §5.1) somewhere. */
function usesInheritance(zone: ParsedZone, file: string): boolean {
  const recs = zone.records;
  for (let i = 1; i < recs.length; i++) {
    const r = recs[i];
    if (r.file === file && !r.ownerToken && !r.generated && r.type !== 'SOA' && recs[i - 1].owner === r.owner) return true;
  }
  return false;
}

/** RFC 4034 §6.1 canonical order, labels compared right to left; all-digit labels as numbers. */
function compareNames(a: string, b: string): number {
  const la = a.split('.').filter(Boolean).reverse();
  const lb = b.split('.').filter(Boolean).reverse();
  for (let i = 0; i < Math.min(la.length, lb.length); i++) {
    const x = la[i];
    const y = lb[i];
    if (x === y) continue;
    if (/^\d+$/.test(x) && /^\d+$/.test(y)) return Number(x) - Number(y);
    return x < y ? -1 : 1;
  }
  return la.length - lb.length;
}

/** Deletes a record's lines (RecordDeleter: the next record keeps an owner it inherits). */
function deleteRecord(zone: ParsedZone, deleter: RecordDeleter, r: ZoneRecord): TextEdit[] | string {
  const edits = deleter.edits(r);
  if (edits === 'inherited') return `${fileLine(zone, r)}: the record after it inherits its owner; change them by hand.`;
  return edits === 'shared' ? `${fileLine(zone, r)} shares its line with other text: change it by hand.` : edits;
}

// --- The SOA serial -------------------------------------------------------------------------

const TWO32 = 2 ** 32;
const HALF = 2 ** 31;

/** RFC 1982 §3.2: is serial `a` greater than `b`? */
export function serialGreater(a: number, b: number): boolean {
  return (a < b && b - a > HALF) || (a > b && a - b < HALF);
}

/** How the file numbers its serials, judged from the serial itself. */
export function serialStyle(serial: number, now: Date): SerialBump['style'] {
  const s = String(serial);
  if (/^\d{10}$/.test(s)) {
    const y = Number(s.slice(0, 4));
    const m = Number(s.slice(4, 6));
    const d = Number(s.slice(6, 8));
    if (y >= 1980 && y <= 2200 && m >= 1 && m <= 12 && d >= 1 && d <= 31) return 'date';
    // Seconds since 1970 within ten years of now (BIND's `serial-update-method unixtime`).
    const secs = Math.floor(now.getTime() / 1000);
    if (Math.abs(serial - secs) < 10 * 366 * 86400) return 'unixtime';
  }
  return 'counter';
}

/**
 * The next serial, the way the file numbers them: YYYYMMDDnn → today with nn 00, or nn+1 when the
 * serial is already today's (RFC 1912 §2.2); seconds since 1970 → now; a counter → +1. Never
 * backwards: RFC 1982 §3.1 addition, and when the style's answer is not greater, +1.
 */
export function nextSerial(serial: number, now: Date): { to: number; style: SerialBump['style'] } {
  const style = serialStyle(serial, now);
  const plusOne = (serial + 1) % TWO32;
  let to = plusOne;
  if (style === 'date') {
    const today = now.getUTCFullYear() * 10000 + (now.getUTCMonth() + 1) * 100 + now.getUTCDate();
    const day = Math.floor(serial / 100);
    to = day < today ? today * 100 : plusOne;
  } else if (style === 'unixtime') {
    to = Math.floor(now.getTime() / 1000) % TWO32;
  }
  if (!serialGreater(to, serial)) to = plusOne;
  return { to, style };
}

function bumpSerial(iz: IndexedZone, now: Date): { edit: TextEdit; bump: SerialBump } | undefined | string {
  const soa = iz.zone.records.find((r) => r.type === 'SOA' && r.owner === iz.origin);
  if (!soa) return undefined;
  const token = soa.rdata[2];
  if (!token || !/^\d+$/.test(token.text) || soa.generated || soa.generic) return `The SOA serial of ${bare(iz.origin)} (${fileLine(iz.zone, soa)}) is not a plain number: bump it by hand.`;
  const from = Number(token.text);
  if (from >= TWO32) return `The SOA serial of ${bare(iz.origin)} is out of range.`;
  const { to, style } = nextSerial(from, now);
  return { edit: { file: soa.file, start: token.start, end: token.end, newText: String(to), serial: true }, bump: { file: soa.file, from, to, style } };
}

// --- Quick fixes on the same engine ---------------------------------------------------------
// The zone-file quick fixes (lint.ts and its rules) write names with formatData as report fixes
// do, add records with planRecordEdit (no `now`: no bump of its own) and get their serial bump
// here, the file's way, once per zone (fixAllEdits keeps one).

/**
 * The edit that points `r`'s target name (a PTR, NS, CNAME, MX … target) at `name` (absolute),
 * written as the record writes it: relative to its `$ORIGIN` when its target is relative and the
 * name is inside the origin, else absolute. Undefined for `$GENERATE` records.
 */
export function targetEdit(r: ZoneRecord, name: string): TextEdit | undefined {
  if (r.generated || r.targetIndex === undefined) return undefined;
  const t = r.rdata[r.targetIndex];
  if (!t) return undefined;
  // The record's own target token decides relative or absolute: the file's habit (relativeStyle,
  // a pass over its records) is not needed, so a fix per record stays linear in the records.
  return { file: r.file, start: t.start, end: t.end, newText: formatData('CNAME', name, r, false) };
}

/** A record added the way the file writes its records (planRecordEdit), as a quick fix; undefined when it cannot be planned. */
export function addRecordFix(index: ZoneIndex, change: Omit<RecordChange, 'op'>, description: string, extra: Partial<ZoneFix> = {}): ZoneFix | undefined {
  const planned = planRecordEdit(index, { ...change, op: 'add' }, {});
  return planned.ok ? { description, ...extra, edits: planned.plan.edits } : undefined;
}

/**
 * Adds to quick fixes the SOA serial bump of every zone their edits change, the way the zone
 * numbers its serials (nextSerial): each fix carries it, so a fix applied alone never leaves a
 * changed zone with its old serial. Each zone's bump is worked out once.
 */
export class SerialBumper {
  private readonly zonesOfFile = new Map<string, IndexedZone[]>();
  private readonly bumps = new Map<IndexedZone, ReturnType<typeof bumpSerial>>();

  constructor(
    index: ZoneIndex,
    private readonly now: Date,
  ) {
    for (const iz of index.zones) {
      for (const file of iz.zone.sources.keys()) {
        const list = this.zonesOfFile.get(file);
        if (list) list.push(iz);
        else this.zonesOfFile.set(file, [iz]);
      }
    }
  }

  /** The fix with its bumps (a copy), or the fix itself when it needs none. */
  fix<T extends ZoneFix>(fix: T): T {
    if (fix.edits.some((e) => e.serial)) return fix;
    const zones = new Set<IndexedZone>();
    for (const e of fix.edits) for (const iz of this.zonesOfFile.get(e.file) ?? []) zones.add(iz);
    const added: TextEdit[] = [];
    const notes: string[] = [];
    for (const iz of zones) {
      let bump = this.bumps.get(iz);
      if (!this.bumps.has(iz)) this.bumps.set(iz, (bump = bumpSerial(iz, this.now)));
      if (bump === undefined) continue;
      if (typeof bump === 'string') {
        notes.push(bump);
        continue;
      }
      const b = bump;
      // A fix that edits the serial itself (or the text around it) keeps its own edit.
      if (fix.edits.some((e) => e.file === b.edit.file && e.start <= b.edit.end && b.edit.start <= e.end)) continue;
      added.push(b.edit);
      notes.push(`serial ${b.bump.from} → ${b.bump.to}`);
    }
    if (notes.length === 0) return fix;
    return { ...fix, description: `${fix.description}; ${notes.join('; ')}`, edits: [...fix.edits, ...added] };
  }

  /** Every finding's fixes with their bumps; findings without a fix are kept as they are (never changed in place). */
  findings(findings: ZoneFinding[]): ZoneFinding[] {
    return findings.map((f) => {
      if (!f.fix && !f.alternatives) return f;
      const copy: ZoneFinding = { ...f };
      if (f.fix) copy.fix = this.fix(f.fix);
      if (f.alternatives) copy.alternatives = f.alternatives.map((a) => this.fix(a));
      return copy;
    });
  }
}

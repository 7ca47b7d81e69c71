// Re-lint after an edit, checking again only what the edit can change. The findings are exactly
// lintZones' (the property test test/unit/zone-relint.test.ts holds every edit to that):
//
// - The checks of one owner name (a "unit": each record alone, BIND's load rules for it, its NS,
//   MX and SRV targets, the records of the name together) are kept per name, with the names they
//   asked the index about (ZoneIndex.observe). An edit re-runs the units of the names it changes,
//   of the records beside it (a record's delete fix looks at the next record), and of every name
//   whose checks asked about a changed name — or about a name below one where a delegation or
//   DNAME appeared or went, or whose existence flipped.
// - The zone's own checks (SOA, apex NS, CDS) are worked out from its apex each time.
// - The mail rules (SPF, DMARC, DKIM, PTR ↔ A; RECORD_RULES and lintConsistency) run as one
//   block; it runs again only when an edit changes a record of a type they collect (TXT, MX, PTR,
//   a CNAME at a `_dmarc`, `_domainkey` or reverse name), a name or address they asked about, or
//   an address below an SPF `ptr` domain. Otherwise its findings are kept.
// - The index is kept and follows the edit (ZoneIndex.setOwner) instead of being built again.
//   Findings kept move with the text after the edit.
//
// Everything else (several files changed at once in one zone, `$INCLUDE`, an origin that changed,
// a budget that ran out) lints from scratch, as lintZones does.
import { canonicalIp } from '../ip';
import { finish, lintRecordAlone, lintSets, type LintOptions, ORIGIN_CODES, RECORD_RULES, withSerials } from './lint';
import { bare, isAtOrBelow, parentName } from './names';
import type { ParsedZone } from './parser';
import { lintConsistency } from './ptr';
import { ptrReplacements } from './ptrFix';
import { RecordDeleter } from './edits';
import { commonEnds } from './textChange';
import { dnameOwners, ownerGroup, structureOfRecord, structureOfZone, type StructureOptions } from './structure';
import type { ZoneFinding, ZoneRecord } from './types';
import { effectiveOrigin, type IndexedZone, isReverseName, slotRecords, ZoneIndex } from './zoneIndex';

/** What the last lint did. */
export interface RelintStats {
  /** `full`: from scratch (first time, or `reason`); `unchanged`: no zone changed. */
  mode: 'full' | 'incremental' | 'unchanged';
  reason?: string;
  /** Files whose zone changed since the last lint. */
  files: string[];
  /** Records removed plus records added by the edit. */
  changed: number;
  /** Owner names whose checks ran again (all of them when `full`). */
  owners: number;
  /** The mail rules (SPF, DMARC, DKIM, PTR ↔ A) ran again. */
  mailRules: boolean;
}

/** Past this many changed records a lint from scratch is as quick. */
const MAX_CHANGED = 20_000;

type Slot = ZoneRecord | ZoneRecord[];

interface ZoneState {
  zone: ParsedZone;
  iz: IndexedZone | undefined;
  /** Records the index leaves out (out of the zone), by owner. */
  outside: Map<string, Slot>;
  dnames: Set<string>;
  /** Each unit's findings (units with none are left out). */
  findings: Map<string, ZoneFinding[]>;
  /** Each unit's names asked about (units that asked none are left out). */
  deps: Map<string, string[]>;
  /** For each name asked about, the units that asked. */
  dependents: Map<string, Set<string>>;
  structure: StructureOptions;
}

interface MailState {
  findings: ZoneFinding[];
  names: Set<string>;
  /** Every name above a name asked about. */
  above: Set<string>;
  addresses: Set<string>;
  /** An SPF `ptr` term: every address record below its domain counts. */
  addressScan: boolean;
}

interface State {
  zones: ParsedZone[];
  index: ZoneIndex;
  perZone: ZoneState[];
  mail: MailState;
}

/** One zone's edit, worked out from its records before and after. */
interface ZoneEdit {
  st: ZoneState;
  prev: ParsedZone;
  next: ParsedZone;
  file: string;
  /** Old offsets to new ones; NaN inside the changed text. */
  map: (pos: number) => number;
  removed: ZoneRecord[];
  added: ZoneRecord[];
  /** Records kept whose object changed (moved with the text): old, new, old, new, … */
  moved: ZoneRecord[];
  /** Unchanged records on the changed lines or just before the change. */
  beside: ZoneRecord[];
}

/**
 * lintZones, again after each edit, re-checking only what the edit can change. One instance per
 * set of zones linted together (the editor keeps one per lint set: IncrementalWorkspaceLint).
 * Calls are run one after the other.
 */
export class IncrementalLint {
  private state: State | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  lastStats: RelintStats = { mode: 'full', files: [], changed: 0, owners: 0, mailRules: true };

  constructor(private readonly options: LintOptions = {}) {}

  /**
   * The findings of `zones`, as lintZones(zones, {...options, now}) gives them. With `now` (or
   * `options.now`), every fix carries its zone's serial bump: worked out on each call from the
   * cached findings, so a reused finding's bump follows the serial the zone has now.
   */
  lint(zones: ParsedZone[], now?: Date): Promise<ZoneFinding[]> {
    const at = now ?? this.options.now;
    const run = this.queue.then(async () => {
      const findings = await this.run(zones);
      return at && this.state ? withSerials(findings, this.state.index, { now: at }) : findings;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async run(zones: ParsedZone[]): Promise<ZoneFinding[]> {
    const s = this.state;
    if (!s) return this.full(zones, 'first lint');
    if (zones.some((z) => z.truncated)) return this.full(zones, 'a budget ran out');
    if (zones.length !== s.zones.length) return this.full(zones, 'zones added or removed');
    const edits: ZoneEdit[] = [];
    for (let i = 0; i < zones.length; i++) {
      const prev = s.zones[i];
      const next = zones[i];
      if (prev === next) continue;
      const why = editable(prev, next, s.perZone[i]);
      if (why) return this.full(zones, why);
      const edit = diffZone(s.perZone[i], prev, next);
      if (edit.removed.length + edit.added.length > MAX_CHANGED) return this.full(zones, 'a large edit');
      edits.push(edit);
    }
    if (edits.length === 0) {
      this.lastStats = { mode: 'unchanged', files: [], changed: 0, owners: 0, mailRules: false };
      return this.assemble(s);
    }
    try {
      return await this.incremental(s, zones, edits);
    } catch (err) {
      // The kept state may be half way through the edit: never reuse it.
      this.state = undefined;
      if (this.options.signal?.aborted) throw err;
      return this.full(zones, `re-lint failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private async full(zones: ParsedZone[], reason: string): Promise<ZoneFinding[]> {
    this.state = undefined;
    const index = new ZoneIndex(zones);
    index.exists('\0');
    const complete = !zones.some((z) => z.truncated);
    const perZone = zones.map((zone) => newZoneState(zone, index, this.options, complete));
    let owners = 0;
    for (const st of perZone) {
      if (!st.iz) continue;
      const names = new Set<string>(st.iz.owners.keys());
      for (const o of st.outside.keys()) names.add(o);
      owners += names.size;
      recheckUnits(st, index, names);
    }
    const mail = await runMail(index, zones, this.options, complete);
    const state: State = { zones, index, perZone, mail };
    const out = this.assemble(state);
    // Zones not read to their end are linted again from scratch next time.
    if (complete) this.state = state;
    this.lastStats = { mode: 'full', reason, files: zones.map((z) => z.file), changed: 0, owners, mailRules: true };
    return out;
  }

  private async incremental(s: State, zones: ParsedZone[], edits: ZoneEdit[]): Promise<ZoneFinding[]> {
    const index = s.index;
    // Names whose records changed, and whether a delegation or DNAME appeared or went there.
    const changed = new Map<string, boolean>();
    for (const e of edits) {
      for (const r of e.removed) changed.set(r.owner, (changed.get(r.owner) ?? false) || r.type === 'NS' || r.type === 'DNAME');
      for (const r of e.added) changed.set(r.owner, (changed.get(r.owner) ?? false) || r.type === 'NS' || r.type === 'DNAME');
    }
    const existed = existence(index, changed.keys());
    for (const e of edits) applyEdit(index, e);
    index.changed();
    // Names that came to exist or stopped existing (an owner, or the empty non-terminals above it).
    const flipped = new Set<string>();
    for (const [name, was] of existed) if (index.exists(name) !== was) flipped.add(name);

    let owners = 0;
    for (const st of s.perZone) {
      const dirty = new Set<string>();
      for (const c of changed.keys()) dirty.add(c);
      for (const e of edits) for (const r of e.beside) if (e.st === st) dirty.add(r.owner);
      dependentsOf(st, changed, flipped, dirty);
      // Findings kept move with the text; one that points into the changed text is made again.
      for (const e of edits) {
        for (const [owner, list] of st.findings) {
          if (dirty.has(owner)) continue;
          const moved = moveAll(list, e);
          if (moved === undefined) dirty.add(owner);
          else if (moved !== list) st.findings.set(owner, moved);
        }
      }
      owners += dirty.size;
      recheckUnits(st, index, dirty);
    }

    // The mail rules: again, or their findings moved.
    const mail = s.mail;
    // A fix that adds a record (a missing PTR, a `_report._dmarc` authorization) goes beside its
    // neighbours in the file's layout (recordEdit.ts): any edit of that file can move it.
    let mailAgain = edits.some((e) => touchesMail(e, mail) || addsInto(mail.findings, e.file)) || namesTouchMail(changed, flipped, mail);
    if (!mailAgain) {
      let list = mail.findings;
      for (const e of edits) {
        const moved = list && moveAll(list, e);
        if (moved === undefined) {
          mailAgain = true;
          break;
        }
        list = moved;
      }
      if (!mailAgain) mail.findings = list;
    }
    s.zones = zones;
    if (mailAgain) s.mail = await runMail(index, zones, this.options, true);
    let changedCount = 0;
    for (const e of edits) changedCount += e.removed.length + e.added.length;
    this.lastStats = { mode: 'incremental', files: edits.map((e) => e.file), changed: changedCount, owners, mailRules: mailAgain };
    return this.assemble(s);
  }

  /** Every finding, in lintZones' order: each zone's parse errors, units and own checks, then the mail rules. */
  private assemble(s: State): ZoneFinding[] {
    const out: ZoneFinding[] = [];
    for (const st of s.perZone) {
      for (const d of st.zone.diagnostics) out.push(d);
      if (!st.iz) continue;
      for (const list of st.findings.values()) for (const f of list) out.push(f);
      const from = out.length;
      structureOfZone(st.iz, out, st.structure);
      originNote(st, out, from);
    }
    for (const f of s.mail.findings) out.push(f);
    return finish(out);
  }
}

/**
 * lintWorkspace, again after each edit: one IncrementalLint per lint set (lintSets), so an edit
 * re-checks only its own set, and there only what it can change.
 */
export class IncrementalWorkspaceLint {
  private readonly sets = new Map<string, IncrementalLint>();
  private queue: Promise<unknown> = Promise.resolve();
  /** What each lint set's last lint did, by the set's files. */
  lastStats: RelintStats[] = [];

  constructor(private readonly options: LintOptions = {}) {}

  /** The findings of `zones`, as lintWorkspace(zones, {...options, now}) gives them (IncrementalLint.lint). */
  lint(zones: ParsedZone[], now?: Date): Promise<ZoneFinding[]> {
    const run = this.queue.then(() => this.run(zones, now));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async run(zones: ParsedZone[], now: Date | undefined): Promise<ZoneFinding[]> {
    const sets = lintSets(zones);
    const seen = new Set<string>();
    const out: ZoneFinding[] = [];
    const stats: RelintStats[] = [];
    for (const set of sets) {
      const key = set.map((z) => z.file).join('\0');
      seen.add(key);
      let linter = this.sets.get(key);
      if (!linter) this.sets.set(key, (linter = new IncrementalLint(this.options)));
      for (const f of await linter.lint(set, now)) out.push(f);
      stats.push(linter.lastStats);
    }
    for (const key of [...this.sets.keys()]) if (!seen.has(key)) this.sets.delete(key);
    this.lastStats = stats;
    return out;
  }
}

// --- zones and their edits -----------------------------------------------------------------------

/** Whether the index keeps this record (as ZoneIndex's constructor decides: at or below the origin). */
function inIndex(owner: string, origin: string): boolean {
  const n = origin.length;
  return owner === origin || (owner.length > n && owner.endsWith(origin) && (origin === '.' || owner.charCodeAt(owner.length - n - 1) === 46));
}

function newZoneState(zone: ParsedZone, index: ZoneIndex, options: LintOptions, complete: boolean): ZoneState {
  const iz = index.indexed(zone);
  const outside = new Map<string, Slot>();
  if (iz) for (const r of zone.records) if (!inIndex(r.owner, iz.origin)) addToSlot(outside, r);
  return {
    zone,
    iz,
    outside,
    dnames: iz ? dnameOwners(iz) : new Set(),
    findings: new Map(),
    deps: new Map(),
    dependents: new Map(),
    structure: { fragment: (options.fragments?.has(zone.file) ?? false) || zone.truncated === true, complete, checkNames: options.checkNames ?? 'warn' },
  };
}

function addToSlot(m: Map<string, Slot>, r: ZoneRecord): void {
  const slot = m.get(r.owner);
  if (slot === undefined) m.set(r.owner, r);
  else if (Array.isArray(slot)) slot.push(r);
  else m.set(r.owner, [slot, r]);
}

/** Why `next` cannot be taken as an edit of `prev` (undefined: it can). */
function editable(prev: ParsedZone, next: ParsedZone, st: ZoneState): string | undefined {
  if (prev.file !== next.file) return 'zones added or removed';
  if (prev.sources.size !== 1 || next.sources.size !== 1 || !next.sources.has(next.file)) return 'a zone with $INCLUDE';
  if (prev.origin !== next.origin || prev.originSource !== next.originSource) return 'the origin changed';
  const origin = effectiveOrigin(next);
  if (st.iz ? origin !== st.iz.origin : origin !== undefined) return 'the origin changed';
  if (next.truncated || prev.truncated) return 'a budget ran out';
  return undefined;
}

/** Where two texts differ: before `p` and from `oldEnd` on they are the same; `delta`: how much longer the new one is. */
function textChange(a: string, b: string): { p: number; oldEnd: number; delta: number } {
  const { prefix, suffix } = commonEnds(a, b);
  return { p: prefix, oldEnd: a.length - suffix, delta: b.length - a.length };
}

/**
 * `b` is `a` after the edit: the same record, moved with the text. The parser hands back a record
 * it kept as the same object (and keeps none across a change of length after the edit). Else both
 * must lie wholly outside the changed text, so their text is the same, and what else decides a
 * record, the parser's state there, shows in the owner (a blank owner field), origin, TTL and class.
 */
function sameRecord(a: ZoneRecord, b: ZoneRecord, e: { p: number; oldEnd: number; delta: number }): boolean {
  if (a === b) return true;
  const by = a.end <= e.p ? 0 : a.start >= e.oldEnd ? e.delta : NaN;
  return a.start + by === b.start && a.end + by === b.end && a.owner === b.owner && a.origin === b.origin && a.ttl === b.ttl && a.class === b.class;
}

function diffZone(st: ZoneState, prev: ParsedZone, next: ParsedZone): ZoneEdit {
  const file = next.file;
  const oldText = prev.sources.get(file)!.text;
  const newText = next.sources.get(file)!.text;
  const change = textChange(oldText, newText);
  const { p, oldEnd, delta } = change;
  // The end of the file is a place too (a fix that appends a record): it moves only when the edit was before it.
  const oldLength = oldText.length;
  const map = (n: number) => (n < p ? n : n >= oldEnd && !(n === oldLength && oldEnd === oldLength) ? n + delta : NaN);
  const old = prev.records;
  const cur = next.records;
  const lim = Math.min(old.length, cur.length);
  let h = 0;
  while (h < lim && sameRecord(old[h], cur[h], change)) h++;
  let t = 0;
  while (t < lim - h && sameRecord(old[old.length - 1 - t], cur[cur.length - 1 - t], change)) t++;
  const moved: ZoneRecord[] = [];
  for (let k = 0; k < h; k++) if (old[k] !== cur[k]) moved.push(old[k], cur[k]);
  for (let k = 0; k < t; k++) {
    const a = old[old.length - t + k];
    const b = cur[cur.length - t + k];
    if (a !== b) moved.push(a, b);
  }
  // The lines the change touches, in the new text: records there may read text beside them.
  const newEnd = oldEnd + delta;
  const lineStart = newText.lastIndexOf('\n', p - 1) + 1;
  let lineEnd = newText.indexOf('\n', newEnd);
  if (lineEnd < 0) lineEnd = newText.length;
  const beside: ZoneRecord[] = [];
  if (h > 0) beside.push(cur[h - 1]);
  // Records of one file are in file order, their ends too: the first that ends on the changed lines.
  let lo = 0;
  let hi = cur.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cur[mid].end < lineStart) lo = mid + 1;
    else hi = mid;
  }
  // And the record just before those lines: deleting it reads the line after it (does that line
  // inherit its owner?), which may be the changed one even where no record changed (a comment typed).
  if (lo > 0 && cur[lo - 1] !== cur[h - 1]) beside.push(cur[lo - 1]);
  for (let k = lo; k < cur.length && cur[k].start <= lineEnd; k++) beside.push(cur[k]);
  return { st, prev, next, file, map, removed: old.slice(h, old.length - t), added: cur.slice(h, cur.length - t), moved, beside };
}

/** Whether a fix among `findings` inserts a record into `file`. */
function addsInto(findings: ZoneFinding[], file: string): boolean {
  return findings.some((f) => f.fix?.edits.some((x) => x.file === file && x.start === x.end && !x.serial) ?? false);
}

/** Whether each name (and every name above it) exists, before the edit. */
function existence(index: ZoneIndex, names: Iterable<string>): Map<string, boolean> {
  const m = new Map<string, boolean>();
  for (const n of names) for (let x: string | undefined = n; x !== undefined && !m.has(x); x = parentName(x)) m.set(x, index.exists(x));
  return m;
}

/** Puts the edit's records in the index and the zone's other maps. */
function applyEdit(index: ZoneIndex, e: ZoneEdit): void {
  const st = e.st;
  const iz = index.replaceZone(e.prev, e.next);
  st.zone = e.next;
  if (!iz) return;
  const origin = iz.origin;
  const set = (owner: string, records: ZoneRecord[]) => {
    if (inIndex(owner, origin)) index.setOwner(iz, owner, records);
    else if (records.length === 0) st.outside.delete(owner);
    else st.outside.set(owner, records.length === 1 ? records[0] : records);
  };
  const slotOf = (owner: string) => (inIndex(owner, origin) ? iz.owners.get(owner) : st.outside.get(owner));
  // Names with records removed or added: their records, in file order.
  const touched = new Map<string, { removed: number; added: ZoneRecord[] }>();
  for (const r of e.removed) {
    let t = touched.get(r.owner);
    if (!t) touched.set(r.owner, (t = { removed: 0, added: [] }));
    t.removed++;
  }
  for (const r of e.added) {
    let t = touched.get(r.owner);
    if (!t) touched.set(r.owner, (t = { removed: 0, added: [] }));
    t.added.push(r);
  }
  const scan = new Map<string, ZoneRecord[]>();
  for (const [owner, t] of touched) {
    const kept = slotRecords(slotOf(owner)).length - t.removed;
    // Only the edit's records: they are the name's records. Else the name also has records elsewhere: read them in order.
    if (kept === 0) set(owner, t.added);
    else scan.set(owner, []);
  }
  if (scan.size > 0) {
    for (const r of e.next.records) scan.get(r.owner)?.push(r);
    for (const [owner, records] of scan) set(owner, records);
  }
  // Records that moved: the index holds the new objects.
  const pending = new Map<string, { list: ZoneRecord[]; at: number }>();
  for (let k = 0; k < e.moved.length; k += 2) {
    const a = e.moved[k];
    const b = e.moved[k + 1];
    if (touched.has(a.owner)) continue;
    if (index.moveRecord(iz, a, b)) continue;
    const slot = slotOf(a.owner);
    if (slot === a) {
      set(a.owner, [b]);
      continue;
    }
    if (!Array.isArray(slot)) continue;
    let p = pending.get(a.owner);
    if (!p) pending.set(a.owner, (p = { list: slot.slice(), at: 0 }));
    // Moved records come in file order, as the slot holds them.
    while (p.at < p.list.length && p.list[p.at] !== a) p.at++;
    if (p.at < p.list.length) p.list[p.at] = b;
  }
  for (const [owner, p] of pending) set(owner, p.list);
  for (const owner of touched.keys()) {
    if (slotRecords(slotOf(owner)).some((r) => r.type === 'DNAME') && inIndex(owner, origin)) st.dnames.add(owner);
    else st.dnames.delete(owner);
  }
}

// --- units ---------------------------------------------------------------------------------------

function isBelow(name: string, above: string): boolean {
  return above === '.' ? name !== '.' : name.length > above.length && name.endsWith(above) && name.charCodeAt(name.length - above.length - 1) === 46;
}

/** Units whose checks asked about a name the edit changed (`dirty` gets them). */
function dependentsOf(st: ZoneState, changed: Map<string, boolean>, flipped: Set<string>, dirty: Set<string>): void {
  const add = (name: string) => {
    const s = st.dependents.get(name);
    if (s) for (const o of s) dirty.add(o);
  };
  const below: string[] = [];
  for (const [name, cutOrDname] of changed) {
    add(name);
    // A delegation or DNAME changes the answer for every name below it.
    if (cutOrDname) below.push(name);
    // A wildcard answers for the names below its parent that do not exist.
    if (name.startsWith('*.')) below.push(name.slice(2));
  }
  for (const name of flipped) add(name);
  if (below.length === 0) return;
  for (const [name, owners] of st.dependents) if (below.some((b) => isBelow(name, b))) for (const o of owners) dirty.add(o);
}

/** Runs the units of `owners` again (for the ones with records; the others go). */
function recheckUnits(st: ZoneState, index: ZoneIndex, owners: Iterable<string>): void {
  const iz = st.iz;
  if (!iz) return;
  const deleter = new RecordDeleter(st.zone);
  let asked: string[] = [];
  index.observe({ name: (n) => asked.push(n), address: () => undefined });
  try {
    for (const owner of owners) {
      asked = [];
      const out: ZoneFinding[] = [];
      const inside = inIndex(owner, iz.origin);
      const slot = inside ? iz.owners.get(owner) : st.outside.get(owner);
      for (const r of slotRecords(slot)) {
        lintRecordAlone(r, st.zone, iz.origin, out);
        if (!inside || !isAtOrBelow(r.owner, iz.origin)) continue;
        // A target is looked at even where the index is not asked (below a DNAME).
        if (r.target !== undefined && (r.type === 'NS' || r.type === 'MX' || r.type === 'SRV')) asked.push(r.target);
        structureOfRecord(r, iz, index, st.dnames, out, st.structure);
      }
      if (inside && Array.isArray(slot)) ownerGroup(owner, slot, iz.origin, deleter, out);
      originNote(st, out, 0);
      if (out.length > 0) st.findings.set(owner, out);
      else st.findings.delete(owner);
      setDeps(st, owner, asked);
    }
  } finally {
    index.observe(undefined);
  }
}

function setDeps(st: ZoneState, owner: string, asked: string[]): void {
  const old = st.deps.get(owner);
  if (old) for (const n of old) st.dependents.get(n)?.delete(owner);
  if (asked.length === 0) {
    st.deps.delete(owner);
    return;
  }
  const names = [...new Set(asked)];
  st.deps.set(owner, names);
  for (const n of names) {
    let s = st.dependents.get(n);
    if (!s) st.dependents.set(n, (s = new Set()));
    s.add(owner);
  }
}

/** lintZones' note on findings whose meaning depends on where the origin came from. */
function originNote(st: ZoneState, out: ZoneFinding[], from: number): void {
  if (st.zone.originSource === undefined || !st.iz) return;
  const note = ` [origin ${bare(st.iz.origin)} from ${st.zone.originSource}]`;
  for (let k = from; k < out.length; k++) if (ORIGIN_CODES.has(out[k].code)) out[k] = { ...out[k], message: out[k].message + note };
}

// --- moving findings with the text -----------------------------------------------------------------

/** The findings after the edit (the same list when none moved); undefined when one points into the changed text. */
function moveAll(list: ZoneFinding[], e: ZoneEdit): ZoneFinding[] | undefined {
  let out: ZoneFinding[] | undefined;
  for (let i = 0; i < list.length; i++) {
    const f = list[i];
    const m = move(f, e);
    if (m === undefined) return undefined;
    if (m !== f && !out) out = list.slice(0, i);
    if (out) out.push(m);
  }
  return out ?? list;
}

function move(f: ZoneFinding, e: ZoneEdit): ZoneFinding | undefined {
  const file = e.file;
  const map = e.map;
  let changed = false;
  let bad = false;
  const at = (fl: string, n: number): number => {
    if (fl !== file) return n;
    const m = map(n);
    if (Number.isNaN(m)) bad = true;
    else if (m !== n) changed = true;
    return m;
  };
  const start = at(f.file, f.start);
  const end = at(f.file, f.end);
  const moveFix = <F extends { edits: { file: string; start: number; end: number; newText: string }[] }>(x: F): F => ({ ...x, edits: x.edits.map((ed) => ({ ...ed, start: at(ed.file, ed.start), end: at(ed.file, ed.end) })) });
  const fix = f.fix ? moveFix(f.fix) : undefined;
  const alternatives = f.alternatives?.map(moveFix);
  const related = f.related?.map((r) => ({ ...r, start: at(r.file, r.start), end: at(r.file, r.end) }));
  if (bad) return undefined;
  if (!changed) return f;
  return { ...f, start, end, ...(fix ? { fix } : {}), ...(alternatives ? { alternatives } : {}), ...(related ? { related } : {}) };
}

// --- the mail rules ----------------------------------------------------------------------------------

async function runMail(index: ZoneIndex, zones: ParsedZone[], options: LintOptions, complete: boolean): Promise<MailState> {
  const names = new Set<string>();
  const addresses = new Set<string>();
  const out: ZoneFinding[] = [];
  index.observe({ name: (n) => names.add(n), address: (a) => addresses.add(a) });
  try {
    for (const rule of RECORD_RULES) for (const f of rule(index)) out.push(f);
    // As lintZones: no cross-zone checks over zones not read to their end.
    if (complete && !zones.some((z) => z.truncated)) for (const f of await lintConsistency(index, options)) out.push(f);
    if (out.some((f) => f.code === 'spf-ptr-discouraged' && !f.fix)) {
      const fixes = await ptrReplacements(index, options);
      for (let k = 0; k < out.length; k++) {
        const f = out[k];
        const fix = f.code === 'spf-ptr-discouraged' && !f.fix ? fixes.get(`${f.file}:${f.start}`) : undefined;
        if (fix) out[k] = { ...f, fix };
      }
    }
  } finally {
    index.observe(undefined);
  }
  const above = new Set<string>();
  for (const n of names) for (let p = parentName(n); p !== undefined && !above.has(p); p = parentName(p)) above.add(p);
  return { findings: out, names, above, addresses, addressScan: out.some((f) => f.code === 'spf-ptr-discouraged') };
}

/** Records the mail rules collect by type (SPF, DMARC and DKIM in TXT, MX hosts, PTR, the aliases of `_dmarc`, selectors and reverse names). */
function collectedByMail(r: ZoneRecord, mail: MailState): boolean {
  switch (r.type) {
    case 'TXT':
    case 'SPF':
    case 'MX':
    case 'PTR':
      return true;
    case 'CNAME':
      return r.owner.includes('_dmarc') || r.owner.includes('_domainkey') || isReverseName(r.owner);
  }
  if (r.address !== undefined) return mail.addressScan || mail.addresses.has(r.address) || mail.addresses.has(canonicalIp(r.address));
  return false;
}

function touchesMail(e: ZoneEdit, mail: MailState): boolean {
  for (const list of [e.removed, e.added, e.beside]) for (const r of list) if (collectedByMail(r, mail)) return true;
  return false;
}

function namesTouchMail(changed: Map<string, boolean>, flipped: Set<string>, mail: MailState): boolean {
  for (const [name, cutOrDname] of changed) {
    if (mail.names.has(name)) return true;
    if (cutOrDname && mail.above.has(name)) return true;
    if (name.startsWith('*.')) {
      const p = name.slice(2);
      if (mail.names.has(p) || mail.above.has(p)) return true;
    }
  }
  for (const name of flipped) if (mail.names.has(name) || mail.above.has(name)) return true;
  return false;
}

// The records of a set of zones (a workspace), indexed for the questions the linter asks: what is
// at a name, which zone is authoritative for it, what a name's addresses and an address's PTR
// names are — answered from the files as a server loading them would answer. Every question is
// answered in time independent of the number of zones and records (maps, each built once), so the
// linter that asks one per record stays linear.
import { formatIpv6, parseIpv6 } from '../ip';
import { isAtOrBelow, parentName } from './names';
import type { ParsedZone } from './parser';
import { parseIpv4 } from './rdata';
import type { ZoneRecord } from './types';

/** A zone with the origin the linter uses (the given one, else its SOA owner). */
export interface IndexedZone {
  zone: ParsedZone;
  origin: string;
  /** Owners of NS records below the apex: where the zone delegates away. */
  cuts: Set<string>;
  /** The zone's records by owner (out-of-zone data left out): one record, or several. */
  owners: Map<string, ZoneRecord | ZoneRecord[]>;
}

export type Found<T> =
  /** The workspace holds the zone for this name and answers from it. */
  | { status: 'found'; values: T[]; records: ZoneRecord[]; cnames: ZoneRecord[]; zone: IndexedZone; name: string }
  /** The name exists but has no records of the type. */
  | { status: 'nodata'; values: []; records: []; cnames: ZoneRecord[]; zone: IndexedZone; name: string }
  | { status: 'nxdomain'; values: []; records: []; cnames: ZoneRecord[]; zone: IndexedZone; name: string }
  /** No zone in the workspace is authoritative for the name (or a CNAME leads out of them). */
  | { status: 'outside'; name: string; cnames: ZoneRecord[] };

/** The zone's origin: the one it was parsed with, else the owner of its SOA record. */
export function effectiveOrigin(zone: ParsedZone): string | undefined {
  if (zone.origin) return zone.origin;
  return zone.records.find((r) => r.type === 'SOA')?.owner;
}

/** The records in a slot of `IndexedZone.owners`, as a list. */
export function slotRecords(slot: ZoneRecord | ZoneRecord[] | undefined): ZoneRecord[] {
  return slot === undefined ? [] : Array.isArray(slot) ? slot : [slot];
}

export class ZoneIndex {
  readonly zones: IndexedZone[] = [];
  private readonly indexedOf = new Map<ParsedZone, IndexedZone>();
  /** The zone for each origin (the first given, when two have the same). */
  private readonly byOrigin = new Map<string, IndexedZone>();
  private byAddress: Map<string, ZoneRecord[]> | undefined;
  /** Names that exist because something is below them (empty non-terminals): how many owners are below each. */
  private nonTerminals: Map<string, number> | undefined;
  /** The records of an owner with several, by type: made on first use. */
  private readonly groups = new Map<ZoneRecord[], Map<string, ZoneRecord[]>>();
  private readonly found = new Map<string, Found<string>>();
  private readonly derived = new Map<(index: ZoneIndex) => unknown, unknown>();
  private all: ZoneRecord[] | undefined;
  /** The last zoneFor question and its answer: the rules ask about one name several times in a row. */
  private last: { name: string; zone: IndexedZone | undefined } | undefined;
  /** Told every name and address asked about (incremental.ts: what a rule's findings depend on). */
  private observer: IndexObserver | undefined;

  constructor(zones: ParsedZone[]) {
    for (const zone of zones) {
      const origin = effectiveOrigin(zone);
      if (!origin) continue;
      const owners = new Map<string, ZoneRecord | ZoneRecord[]>();
      const iz: IndexedZone = { zone, origin, cuts: new Set(), owners };
      this.zones.push(iz);
      this.indexedOf.set(zone, iz);
      const originLength = origin.length;
      for (const r of zone.records) {
        const o = r.owner;
        // Out-of-zone data is ignored by servers (the linter reports it); leave it out here too.
        if (o !== origin && !(o.length > originLength && o.endsWith(origin) && (origin === '.' || o.charCodeAt(o.length - originLength - 1) === 46))) continue;
        const slot = owners.get(o);
        if (slot === undefined) owners.set(o, r);
        else if (Array.isArray(slot)) slot.push(r);
        else owners.set(o, [slot, r]);
        if (r.type === 'NS' && o !== origin) iz.cuts.add(o);
      }
    }
    // Longest origin first, so the first match is the most specific zone.
    this.zones.sort((a, b) => b.origin.length - a.origin.length);
    for (const z of this.zones) if (!this.byOrigin.has(z.origin)) this.byOrigin.set(z.origin, z);
  }

  /** A value worked out from this index once, by `make` (the SPF records in it, …), then kept with it. */
  derive<T>(make: (index: ZoneIndex) => T): T {
    if (this.derived.has(make)) return this.derived.get(make) as T;
    const value = make(this);
    this.derived.set(make, value);
    return value;
  }

  indexed(zone: ParsedZone): IndexedZone | undefined {
    return this.indexedOf.get(zone);
  }

  /** The zone that answers for `name`, unless the name sits at or below a delegation out of it. */
  zoneFor(name: string): IndexedZone | undefined {
    this.observer?.name(name);
    if (this.last?.name === name) return this.last.zone;
    const zone = this.answerZone(name);
    this.last = { name, zone };
    return zone;
  }

  private answerZone(name: string): IndexedZone | undefined {
    let z: IndexedZone | undefined;
    if (this.zones.length <= 8) {
      // A few zones: look at each (longest origin first).
      for (const c of this.zones) {
        if (isAtOrBelow(name, c.origin)) {
          z = c;
          break;
        }
      }
    } else {
      // Many: the nearest enclosing origin, by walking up the name's labels instead of through the zones.
      z = this.byOrigin.get(name);
      for (let p = name.indexOf('.'); !z && p >= 0 && p < name.length - 1; p = name.indexOf('.', p + 1)) z = this.byOrigin.get(name.slice(p + 1));
      z ??= this.byOrigin.get('.');
    }
    if (!z) return undefined;
    if (z.cuts.size > 0) {
      for (let n: string | undefined = name; n && n !== z.origin; n = parentName(n)) {
        // RFC 1034 §4.2.1: data at or below a zone cut belongs to the child zone.
        if (z.cuts.has(n)) return undefined;
      }
    }
    return z;
  }

  /** The records the zone that answers for `name` has there. */
  recordsAt(name: string): ZoneRecord[] {
    return slotRecords(this.zoneFor(name)?.owners.get(name));
  }

  /** The records of `type` the zone that answers for `name` has there. */
  recordsOfType(name: string, type: string): ZoneRecord[] {
    return this.ofType(this.zoneFor(name)?.owners.get(name), type);
  }

  /** The records of `type` this zone holds at `name`, glue below its delegations included. */
  recordsOfTypeIn(zone: IndexedZone, name: string, type: string): ZoneRecord[] {
    this.observer?.name(name);
    return this.ofType(zone.owners.get(name), type);
  }

  private ofType(slot: ZoneRecord | ZoneRecord[] | undefined, type: string): ZoneRecord[] {
    if (slot === undefined) return [];
    if (!Array.isArray(slot)) return slot.type === type ? [slot] : [];
    let g = this.groups.get(slot);
    if (!g) {
      g = new Map();
      for (const r of slot) {
        const l = g.get(r.type);
        if (l) l.push(r);
        else g.set(r.type, [r]);
      }
      this.groups.set(slot, g);
    }
    return g.get(type) ?? [];
  }

  /** The name exists: it has records, or names below it do (RFC 4592 §2.2.2 empty non-terminals). */
  exists(name: string): boolean {
    if (this.zoneFor(name)?.owners.has(name)) return true;
    return (this.belowCounts().get(name) ?? 0) > 0;
  }

  private belowCounts(): Map<string, number> {
    if (!this.nonTerminals) {
      const m = new Map<string, number>();
      for (const z of this.zones) for (const owner of z.owners.keys()) countBelow(m, owner, 1);
      this.nonTerminals = m;
    }
    return this.nonTerminals;
  }

  /** Records of `type` at `name`, following CNAMEs inside the workspace (RFC 1034 §3.6.2). */
  lookup(name: string, type: string): Found<string> {
    // Asked once per question: the answer (never changed by its users) is kept.
    const key = `${type} ${name}`;
    let f = this.found.get(key);
    if (!f) this.found.set(key, (f = this.answer(name, type)));
    else if (this.observer) {
      // The names the answer was worked out from, as the first asker's answer() told them.
      this.observer.name(name);
      for (const c of f.cnames) if (c.target) this.observer.name(c.target);
      this.observer.name(f.name);
    }
    return f;
  }

  private answer(name: string, type: string): Found<string> {
    const cnames: ZoneRecord[] = [];
    let current = name;
    for (let hops = 0; hops <= 8; hops++) {
      const zone = this.zoneFor(current);
      if (!zone) return { status: 'outside', name: current, cnames };
      const slot = zone.owners.get(current);
      const cname = type === 'CNAME' ? undefined : this.ofType(slot, 'CNAME')[0];
      if (cname && cname.target) {
        if (cnames.includes(cname)) break;
        cnames.push(cname);
        current = cname.target;
        continue;
      }
      const records = this.ofType(slot, type);
      if (records.length > 0) {
        const values = records.map((r) => r.address ?? r.target ?? r.rdata.map((t) => t.text).join(' '));
        return { status: 'found', values, records, cnames, zone, name: current };
      }
      return { status: this.exists(current) ? 'nodata' : 'nxdomain', values: [], records: [], cnames, zone, name: current };
    }
    // A CNAME loop or a chain too long: answer as a server would, with nothing.
    const zone = this.zoneFor(current);
    return zone ? { status: 'nodata', values: [], records: [], cnames, zone, name: current } : { status: 'outside', name: current, cnames };
  }

  /** A and AAAA records anywhere in the workspace that hold this address. */
  recordsWithAddress(ip: string): ZoneRecord[] {
    this.observer?.address(ip);
    if (!this.byAddress) {
      const m = new Map<string, ZoneRecord[]>();
      for (const z of this.zones) {
        for (const slot of z.owners.values()) {
          for (const r of slotRecords(slot)) {
            if (r.address === undefined) continue;
            const l = m.get(r.address);
            if (l) l.push(r);
            else m.set(r.address, [r]);
          }
        }
      }
      this.byAddress = m;
    }
    return this.byAddress.get(ip) ?? [];
  }

  // --- Edits (incremental.ts): the index follows a zone's records as they change, instead of being made again.

  /** Tells `observer` every name and address asked about from now on (undefined: stop). */
  observe(observer: IndexObserver | undefined): void {
    this.observer = observer;
  }

  /** `next` (the same file, parsed again after an edit) takes `prev`'s place; its records follow through setOwner. */
  replaceZone(prev: ParsedZone, next: ParsedZone): IndexedZone | undefined {
    const iz = this.indexedOf.get(prev);
    if (!iz) return undefined;
    this.indexedOf.delete(prev);
    this.indexedOf.set(next, iz);
    iz.zone = next;
    return iz;
  }

  /** The in-zone records of `owner` in `iz` are now `records` (in file order; none: the name is gone). */
  setOwner(iz: IndexedZone, owner: string, records: ZoneRecord[]): void {
    this.all = undefined;
    const old = iz.owners.get(owner);
    if (Array.isArray(old)) this.groups.delete(old);
    if (records.length === 0) {
      if (old === undefined) return;
      iz.owners.delete(owner);
      if (this.nonTerminals) countBelow(this.nonTerminals, owner, -1);
    } else {
      iz.owners.set(owner, records.length === 1 ? records[0] : records);
      if (old === undefined && this.nonTerminals) countBelow(this.nonTerminals, owner, 1);
    }
    if (owner !== iz.origin) {
      if (records.some((r) => r.type === 'NS')) iz.cuts.add(owner);
      else iz.cuts.delete(owner);
    }
  }

  /** `next` takes the place of `old`, the only record of its owner (the same record, moved with the text); false when it is not that. */
  moveRecord(iz: IndexedZone, old: ZoneRecord, next: ZoneRecord): boolean {
    if (iz.owners.get(old.owner) !== old) return false;
    iz.owners.set(old.owner, next);
    this.all = undefined;
    return true;
  }

  /** After setOwner: answers worked out from the records before (lookups, derived views) are dropped. */
  changed(): void {
    this.found.clear();
    this.derived.clear();
    this.all = undefined;
    this.byAddress = undefined;
    this.last = undefined;
  }

  /** Every in-zone record of every zone (one list, made on first use: the record rules walk it several times). */
  records(): readonly ZoneRecord[] {
    if (!this.all) {
      const all: ZoneRecord[] = [];
      for (const z of this.zones) for (const slot of z.owners.values()) for (const r of slotRecords(slot)) all.push(r);
      this.all = all;
    }
    return this.all;
  }
}

/** What the index is asked: names (any question about a name) and addresses (recordsWithAddress). */
export interface IndexObserver {
  name(name: string): void;
  address(ip: string): void;
}

/** Counts an owner (`by` 1) or takes it away (-1) at every name above it. */
function countBelow(m: Map<string, number>, owner: string, by: number): void {
  for (let p = parentName(owner); p; p = parentName(p)) {
    const n = (m.get(p) ?? 0) + by;
    if (n === 0) m.delete(p);
    else m.set(p, n);
  }
}

/**
 * The address a reverse name stands for (RFC 1035 §3.5, RFC 3596 §2.5), also for RFC 2317 names
 * with a classless label (`70.64/26.100.51.198.in-addr.arpa.` → 198.51.100.70).
 */
export function ipFromReverseName(name: string): string | undefined {
  const lower = name.endsWith('.') ? name.slice(0, -1) : name;
  if (lower.endsWith('.in-addr.arpa')) {
    let labels = lower.slice(0, -'.in-addr.arpa'.length).split('.');
    if (labels.length === 5 && /^\d+[-/]\d+$/.test(labels[1])) labels = [labels[0], ...labels.slice(2)];
    if (labels.length !== 4) return undefined;
    return parseIpv4(labels.reverse().join('.'));
  }
  if (lower.endsWith('.ip6.arpa')) {
    const labels = lower.slice(0, -'.ip6.arpa'.length).split('.');
    if (labels.length !== 32 || !labels.every((l) => /^[0-9a-f]$/.test(l))) return undefined;
    const hex = labels.reverse().join('');
    const groups: string[] = [];
    for (let i = 0; i < 32; i += 4) groups.push(hex.slice(i, i + 4));
    const bytes = parseIpv6(groups.join(':'));
    if (!bytes) return undefined;
    return formatIpv6(bytes);
  }
  return undefined;
}

export function isReverseName(name: string): boolean {
  return name.endsWith('.in-addr.arpa.') || name.endsWith('.ip6.arpa.') || name === 'in-addr.arpa.' || name === 'ip6.arpa.';
}

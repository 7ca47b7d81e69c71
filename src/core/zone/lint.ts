// The zone linter: parse errors, zone structure, common mistakes, SPF in TXT records, and PTR ↔ A
// consistency across every zone of a workspace. Pure over parsed zones; DNS is asked only through
// an injected Resolver, and only for names no zone in the workspace answers for.
import type { Resolver } from '../dns/types';
import { severityOf } from './codes';
import { bare, isAtOrBelow } from './names';
import { SerialBumper } from './recordEdit';
import { lintStructure } from './structure';
import type { ParsedZone } from './parser';
import { lintConsistency } from './ptr';
import { ptrReplacements } from './ptrFix';
import { lintSpfRecords } from './spfLint';
import { lintDkimRecords } from './dkimLint';
import { lintDmarcRecords } from './dmarcLint';
import type { Token, ZoneFinding, ZoneFix, ZoneRecord } from './types';
import { type IndexedZone, ZoneIndex } from './zoneIndex';

export interface LintOptions {
  /** Ask DNS (through this resolver) about names and addresses the workspace has no zone for. */
  resolver?: Resolver;
  signal?: AbortSignal;
  /** Files that are `$INCLUDE` fragments of a zone kept elsewhere: no SOA/NS checks for them. */
  fragments?: Set<string>;
  /** BIND's check-names mode (named-checkzone -k): `warn` (the default), `fail` (errors) or `ignore`. */
  checkNames?: 'warn' | 'fail' | 'ignore';
  /**
   * Today: every fix also bumps the SOA serial of each zone it changes, the zone's way (YYYYMMDDnn
   * or a counter; recordEdit.ts SerialBumper). Without it fixes change only the records.
   */
  now?: Date;
}

/**
 * A rule over the records of every zone linted together (their index): SPF in TXT records is one.
 * Rules over other record kinds (DMARC, DKIM in TXT) are added to RECORD_RULES the same way: pure,
 * given the index, giving findings with codes from ZONE_CODES.
 */
export type RecordRule = (index: ZoneIndex) => Iterable<ZoneFinding>;

/** The record rules every lint runs, in order, after the zones' own checks. */
export const RECORD_RULES: readonly RecordRule[] = [lintSpfRecords, lintDmarcRecords, lintDkimRecords];

/** Findings whose meaning depends on the zone's origin: they say where the origin came from. */
export const ORIGIN_CODES = new Set(['zone-out-of-zone', 'zone-soa-not-at-apex', 'zone-no-soa', 'zone-no-ns', 'zone-ds-at-apex', 'zone-cname-at-apex']);

/** Every finding for a set of zones: static rules, then the PTR ↔ A checks (live when a resolver is given). */
export async function lintZones(zones: ParsedZone[], options: LintOptions = {}): Promise<ZoneFinding[]> {
  const index = new ZoneIndex(zones);
  const out = lintStatic(zones, index, options);
  // With records left unread (a budget ran out) a name may look like it has no address or PTR when
  // its records were just not read: the cross-zone checks would say wrong things.
  if (!zones.some((z) => z.truncated)) for (const f of await lintConsistency(index, options)) out.push(f);
  // `ptr` gets its fix here: what it stands for comes from the reverse zones, and DNS when live.
  if (out.some((f) => f.code === 'spf-ptr-discouraged' && !f.fix)) {
    const fixes = await ptrReplacements(index, options);
    for (const f of out) {
      const fix = f.code === 'spf-ptr-discouraged' && !f.fix ? fixes.get(`${f.file}:${f.start}`) : undefined;
      if (fix) f.fix = fix;
    }
  }
  return withSerials(finish(out), index, options);
}

/**
 * Zones that can be linted together: each origin once. A second zone with an origin already
 * there (a view's other copy, a backup when no configuration tells) goes to a set of its own, so
 * two copies of one zone are never merged into one (`2 v=spf1 records` from a backup and the zone).
 */
export function lintSets(zones: ParsedZone[]): ParsedZone[][] {
  const sets: { zones: ParsedZone[]; origins: Set<string> }[] = [];
  for (const z of zones) {
    const key = z.origin ?? `\0${z.file}`;
    let set = sets.find((s) => !s.origins.has(key));
    if (!set) sets.push((set = { zones: [], origins: new Set() }));
    set.zones.push(z);
    set.origins.add(key);
  }
  return sets.map((s) => s.zones);
}

/** lintZones over every lint set of a workspace (lintSets): what `maildns lint` and the editor report. */
export async function lintWorkspace(zones: ParsedZone[], options: LintOptions = {}): Promise<ZoneFinding[]> {
  const sets = lintSets(zones);
  if (sets.length === 1) return lintZones(sets[0], options);
  const out: ZoneFinding[] = [];
  for (const set of sets) for (const f of await lintZones(set, options)) out.push(f);
  return out;
}

/** The rules that need no DNS: parse errors, zone structure, common mistakes, SPF. */
export function lintZonesStatic(zones: ParsedZone[], options: LintOptions = {}): ZoneFinding[] {
  const index = new ZoneIndex(zones);
  return withSerials(finish(lintStatic(zones, index, options)), index, options);
}

/** Each fix with its zone's SOA serial bump (recordEdit.ts SerialBumper) when `options.now` is given. */
export function withSerials(findings: ZoneFinding[], index: ZoneIndex, options: LintOptions): ZoneFinding[] {
  return options.now ? new SerialBumper(index, options.now).findings(findings) : findings;
}

function lintStatic(zones: ParsedZone[], index: ZoneIndex, options: LintOptions): ZoneFinding[] {
  const out: ZoneFinding[] = [];
  const complete = !zones.some((z) => z.truncated);
  // Loops, not push(...list): a list of 200,000 findings would overflow the call stack.
  for (const zone of zones) {
    for (const d of zone.diagnostics) out.push(d);
    const iz = index.indexed(zone);
    if (!iz) continue;
    const from = out.length;
    lintZone(iz, index, out, (options.fragments?.has(zone.file) ?? false) || zone.truncated === true, complete, options);
    if (zone.originSource !== undefined) {
      const note = ` [origin ${bare(iz.origin)} from ${zone.originSource}]`;
      for (let k = from; k < out.length; k++) if (ORIGIN_CODES.has(out[k].code)) out[k] = { ...out[k], message: out[k].message + note };
    }
  }
  for (const rule of RECORD_RULES) for (const f of rule(index)) out.push(f);
  return out;
}

/** Sorted by file and offset; many same findings from one `$GENERATE` line become one. */
export function finish(findings: ZoneFinding[]): ZoneFinding[] {
  const sorted = findings.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.start - b.start || a.end - b.end || (a.code < b.code ? -1 : a.code > b.code ? 1 : a.message < b.message ? -1 : a.message > b.message ? 1 : 0)));
  const out: ZoneFinding[] = [];
  let last: ZoneFinding | undefined;
  let more = 0;
  const flush = () => {
    // A copy: the finding may be one of a ParsedZone's own diagnostics.
    if (last && more > 0) out[out.length - 1] = { ...last, message: `${last.message} (and ${more} more like it from this line)` };
    more = 0;
  };
  for (const f of sorted) {
    if (last && f.code === last.code && f.file === last.file && f.start === last.start && f.end === last.end) {
      if (f.message !== last.message) more++;
      continue;
    }
    flush();
    out.push(f);
    last = f;
  }
  flush();
  return out;
}

export function finding(code: string, message: string, file: string, start: number, end: number, extra: Partial<ZoneFinding> = {}): ZoneFinding {
  return { code, severity: severityOf(code), message, file, start, end, ...extra };
}

/** The part of a record to underline: its type, or its owner when that is what is wrong. */
function at(r: ZoneRecord, t?: Token): [number, number] {
  const tok = t ?? r.typeToken;
  return [tok.start, tok.end];
}

// Generic TLDs that are never zone-relative labels in practice: `mail.example.com` without the final
// dot inside some other zone almost certainly meant the absolute name.
const GENERIC_TLDS = new Set(['com', 'net', 'org', 'edu', 'gov', 'mil', 'int', 'arpa', 'info', 'biz']);

/** `fragment`: no SOA/NS checks (an include fragment, or a zone not read to its end); `complete`: every record of the workspace was read. */
function lintZone(iz: IndexedZone, index: ZoneIndex, out: ZoneFinding[], fragment: boolean, complete: boolean, options: LintOptions): void {
  for (const r of iz.zone.records) lintRecordAlone(r, iz.zone, iz.origin, out);
  lintStructure(iz, index, out, { fragment, complete, checkNames: options.checkNames ?? 'warn' });
}

/** What one record says alone: out of the zone, or a name that lacks its final dot. */
export function lintRecordAlone(r: ZoneRecord, zone: ParsedZone, origin: string, out: ZoneFinding[]): void {
  if (!isAtOrBelow(r.owner, origin)) {
    const [s, e] = at(r, r.ownerToken);
    const what = r.type === 'SOA' ? `the SOA of another zone, ${bare(r.owner)}, is not part of ${bare(origin)}` : `${bare(r.owner)} is not in the zone ${bare(origin)}`;
    out.push(finding('zone-out-of-zone', `${what}: servers ignore this record (RFC 1034 §4.2)`, r.file, s, e));
    return;
  }
  finalDots(r, zone, out);
}

/** RFC 1035 §5.1: a name without the final dot is relative and gets the origin appended. */
function finalDots(r: ZoneRecord, zone: ParsedZone, out: ZoneFinding[]): void {
  // Each token asked for once: the parser's records make them from the text on every ask.
  const ownerToken = r.ownerToken;
  const fields = r.generic ? undefined : (r.names ?? (r.targetIndex !== undefined ? [r.targetIndex] : undefined));
  const rdata = fields ? r.rdata : undefined;
  // In a $GENERATE line the token is a template: an edit at its end adds the dot only when the
  // template is unquoted and the name is the last thing in it.
  const text = r.generated ? zone.sources.get(r.file)?.text : undefined;
  const editable = (t: Token) => !r.generated || (text !== undefined && text.charCodeAt(t.end - 1) !== 34 && (t === ownerToken || (rdata !== undefined && t === rdata[rdata.length - 1])));
  if (ownerToken) finalDot(r, ownerToken, r.owner, r.origin, false, editable(ownerToken), out);
  if (!fields || !rdata) return;
  for (const i of fields) {
    const t = rdata[i];
    if (t) finalDot(r, t, i === r.targetIndex ? r.target : undefined, r.origin, r.type === 'PTR', editable(t), out);
  }
}

function finalDot(r: ZoneRecord, t: Token, completed: string | undefined, origin: string, ptrTarget: boolean, editable: boolean, out: ZoneFinding[]): void {
  const raw = t.text;
  if (t.quoted || raw === '@' || raw.charCodeAt(raw.length - 1) === 46 || origin === '.') return;
  // Most relative names are one label: nothing to suspect unless a PTR target in a reverse zone.
  if (raw.indexOf('.') < 0 && !ptrTarget) return;
  const lower = raw.toLowerCase();
  const o = bare(origin);
  const full = completed ?? `${lower}.${origin}`;
  let why: string | undefined;
  if (lower === o || lower.endsWith('.' + o)) {
    why = `${raw} has no final dot, so the origin is appended: it means ${full}`;
  } else {
    const dot = lower.lastIndexOf('.');
    if (dot > 0 && GENERIC_TLDS.has(lower.slice(dot + 1))) {
      why = `${raw} looks like a full name but has no final dot, so the origin is appended: it means ${full}`;
    } else if (ptrTarget && (origin.endsWith('in-addr.arpa.') || origin.endsWith('ip6.arpa.'))) {
      why = `the PTR target ${raw} has no final dot, so the reverse zone's origin is appended: it means ${full}`;
      if (dot < 0) {
        out.push(finding('zone-missing-final-dot', why + '; write the host\'s full name with a final dot', r.file, t.start, t.end));
        return;
      }
    }
  }
  if (!why) return;
  const fix: ZoneFix | undefined = editable ? { description: `Add the final dot: ${raw}.`, edits: [{ file: r.file, start: t.end, end: t.end, newText: '.' }] } : undefined;
  out.push(finding('zone-missing-final-dot', why, r.file, t.start, t.end, fix ? { fix } : {}));
}

// SPF in zone files: TXT records that start with `v=spf1`, read with the SPF parser of
// src/core/spf (RFC 7208), every range mapped back from the joined record text to the quoted
// strings it came from — a record split over several strings included (RFC 7208 §3.3: the strings
// are joined with nothing between them). What is asked per record (the record at an include's
// target, its lookup count) comes from maps made once per index, so the linter, the hover and the
// lens stay linear in the number of SPF records.
import { countLookups, lintSpf, parseSpf } from '../spf/parse';
import type { ParsedSpf, SpfTerm } from '../spf/types';
import { canonicalIp, formatIpv6, ipBytes } from '../ip';
import { severityOf } from './codes';
import { RecordDeleter } from './edits';
import { quoteTxt } from './recordEdit';
import { SPF_COUNT_CAP } from './limits';
import { bare, canonicalName, scanName, wireLength } from './names';
import type { ParsedZone } from './parser';
import { charStringBytes, decodeWithOffsets } from './rdata';
import type { ZoneFinding, ZoneFix, ZoneRecord } from './types';
import type { ZoneIndex } from './zoneIndex';

/** One SPF record of a zone file, with the map from record text back to the file. */
export interface SpfSource {
  record: ZoneRecord;
  /** The strings joined (RFC 7208 §3.3). */
  text: string;
  parsed: ParsedSpf;
  /** Source offset of each character of `text`, and just past it. */
  starts: number[];
  ends: number[];
  /** Which rdata string each character of `text` came from. */
  strings: number[];
}

/** The file range of `text.slice(start, end)`. */
export function sourceRange(s: SpfSource, start: number, end: number): [number, number] {
  if (s.text.length === 0) return [s.record.typeToken.start, s.record.typeToken.end];
  const a = Math.min(start, s.text.length - 1);
  const b = Math.max(a, Math.min(end, s.text.length) - 1);
  return [s.starts[a], end > start ? s.ends[b] : s.starts[a]];
}

/** The range lies in one string and maps one-to-one (no escapes): a text edit can replace it. */
export function editable(s: SpfSource, start: number, end: number): boolean {
  if (s.record.generated || end <= start) return false;
  return s.strings[start] === s.strings[end - 1] && s.ends[end - 1] - s.starts[start] === end - start;
}

/** A TXT record's strings joined, with the map back to the file (DMARC and DKIM records use it too). */
export function joined(record: ZoneRecord): Omit<SpfSource, 'parsed'> {
  let text = '';
  const starts: number[] = [];
  const ends: number[] = [];
  const strings: number[] = [];
  record.rdata.forEach((tok, i) => {
    const d = decodeWithOffsets(tok);
    text += d.text;
    for (let k = 0; k < d.text.length; k++) {
      starts.push(record.generated ? tok.start : d.offsets[k]);
      ends.push(record.generated ? tok.end : d.offsets[k + 1]);
      strings.push(i);
    }
  });
  return { record, text, starts, ends, strings };
}

/** Starts with `v=spf1`, looking past the first string only when it is shorter than that. */
function looksLikeSpf(r: ZoneRecord): boolean {
  let head = '';
  for (const t of r.rdata) {
    head += t.text.length > 12 ? t.text.slice(0, 12) : t.text;
    if (head.length >= 6) break;
  }
  return head.length >= 6 && head.slice(0, 6).toLowerCase() === 'v=spf1';
}

/** The SPF records of an index and what is asked about them, each worked out once per index. */
interface SpfView {
  sources: SpfSource[];
  /** The records at each owner, in order; the first is the one an include of the owner is counted through. */
  byOwner: Map<string, SpfSource[]>;
  byFile: Map<string, SpfSource[]>;
  /** Each record's own DNS-querying terms and its include/redirect targets. */
  nodes: Map<SpfSource, { dnsTerms: number; targets: { spec: string; name: string | undefined }[] }>;
  counts: Map<SpfSource, LookupCount>;
}

function makeSpfView(index: ZoneIndex): SpfView {
  const view: SpfView = { sources: [], byOwner: new Map(), byFile: new Map(), nodes: new Map(), counts: new Map() };
  const add = <K>(m: Map<K, SpfSource[]>, k: K, s: SpfSource) => {
    const l = m.get(k);
    if (l) l.push(s);
    else m.set(k, [s]);
  };
  for (const r of index.records()) {
    if (r.type !== 'TXT' || r.generic || !looksLikeSpf(r)) continue;
    const j = joined(r);
    const parsed = parseSpf(j.text);
    if (!parsed.isSpf) continue;
    const s: SpfSource = { ...j, parsed };
    view.sources.push(s);
    add(view.byOwner, r.owner, s);
    add(view.byFile, r.file, s);
  }
  return view;
}

function spfView(index: ZoneIndex): SpfView {
  return index.derive(makeSpfView);
}

/** Every TXT record in the index that is an SPF record (RFC 7208 §4.5). */
export function spfSources(index: ZoneIndex): SpfSource[] {
  return spfView(index).sources;
}

/** The SPF records read from `file`. */
export function spfSourcesIn(index: ZoneIndex, file: string): SpfSource[] {
  return spfView(index).byFile.get(file) ?? [];
}

/** The SPF record of `name` (absolute, with the trailing dot) in the workspace's zones: the first, when there are several. */
export function spfRecordAt(index: ZoneIndex, name: string): SpfSource | undefined {
  return spfView(index).byOwner.get(name)?.[0];
}

/** The SPF record and term at an offset of a file (for hovers), with the term's range in the file. */
export function spfTermAt(sources: SpfSource[], file: string, offset: number): { source: SpfSource; term?: SpfTerm; start: number; end: number } | undefined {
  for (const s of sources) {
    const r = s.record;
    if (r.file !== file || r.generated || offset < r.rdata[0].start || offset > r.rdata[r.rdata.length - 1].end) continue;
    for (const term of s.parsed.terms) {
      const [start, end] = sourceRange(s, term.start, term.end);
      if (offset >= start && offset <= end) return { source: s, term, start, end };
    }
    const [start, end] = rdataRange(r);
    return { source: s, start, end };
  }
  return undefined;
}

/** A domain-spec without macros as an absolute name (`example.com.`), or undefined. */
function specName(term: SpfTerm): string | undefined {
  const spec = term.domainSpec;
  if (spec === undefined || term.hasMacros || spec === '') return undefined;
  const abs = spec.endsWith('.') ? spec : spec + '.';
  const s = scanName(abs);
  if (s.error) return undefined;
  return s.complex ? canonicalName(abs) : abs.toLowerCase();
}

/** The name a term looks up: its domain-spec, or for `a`/`mx` without one, the record's owner. */
export function termTarget(term: SpfTerm, owner: string): string | undefined {
  if (term.domainSpec === undefined) return term.kind === 'mechanism' && (term.name === 'a' || term.name === 'mx') ? owner : undefined;
  return specName(term);
}

export interface LookupCount {
  /** DNS-querying terms, includes and redirects in the workspace followed. */
  total: number;
  /** Targets followed into other SPF records of the workspace. */
  followed: string[];
  /** Include/redirect targets with no SPF record in the workspace (counted as one term each). */
  unknown: string[];
  /** Counting stopped past SPF_COUNT_CAP terms: the total is a lower bound. */
  partial?: true;
}

function nodeOf(view: SpfView, s: SpfSource): { dnsTerms: number; targets: { spec: string; name: string | undefined }[] } {
  let node = view.nodes.get(s);
  if (node) return node;
  const count = countLookups(s.parsed);
  // The first term with each domain-spec names the target, as the terms are written.
  const firstWith = new Map<string, SpfTerm>();
  for (const t of s.parsed.terms) if (t.domainSpec !== undefined && !firstWith.has(t.domainSpec)) firstWith.set(t.domainSpec, t);
  const specs = count.redirect !== undefined ? [...count.includes, count.redirect] : count.includes;
  const targets = specs.map((spec) => {
    const term = firstWith.get(spec);
    return { spec, name: term ? specName(term) : undefined };
  });
  node = { dnsTerms: count.dnsTerms, targets };
  view.nodes.set(s, node);
  return node;
}

/**
 * RFC 7208 §4.6.4: the DNS-querying terms a check of this record makes at most, counted without
 * DNS: its own terms, plus those of every include/redirect target found in the workspace (each
 * time it is included). Counted once per record and index. Past SPF_COUNT_CAP terms the record is
 * over the limit of 10 whatever follows, and counting stops there (`partial`): includes that fan
 * out (each record including the next two) would otherwise take exponential time.
 */
export function staticLookupCount(source: SpfSource, index: ZoneIndex): LookupCount {
  const view = spfView(index);
  const known = view.counts.get(source);
  if (known) return known;
  const result: LookupCount = { total: 0, followed: [], unknown: [] };
  const stack = new Set<string>([source.record.owner]);
  // Every target looked at is a term its record counted: at most SPF_COUNT_CAP of them before the total passes the cap.
  const visit = (s: SpfSource): void => {
    const node = nodeOf(view, s);
    result.total += node.dnsTerms;
    for (const { spec, name } of node.targets) {
      if (result.total > SPF_COUNT_CAP) {
        result.partial = true;
        return;
      }
      const next = name ? view.byOwner.get(name)?.[0] : undefined;
      if (!next || !name) {
        result.unknown.push(spec);
        continue;
      }
      // A loop of includes is a permerror of its own; count each record once.
      if (stack.has(name)) continue;
      result.followed.push(bare(name));
      stack.add(name);
      visit(next);
      stack.delete(name);
    }
  };
  visit(source);
  view.counts.set(source, result);
  return result;
}

function f(code: string, message: string, file: string, range: [number, number], extra: Partial<ZoneFinding> = {}): ZoneFinding {
  return { code, severity: severityOf(code), message, file, start: range[0], end: range[1], ...extra };
}

/** The zone that read each file (the first, in the index's order), and one RecordDeleter per zone. */
function zonesOfFiles(index: ZoneIndex): { zoneOf(r: ZoneRecord): ParsedZone | undefined; deleter(zone: ParsedZone): RecordDeleter } {
  const byFile = new Map<string, ParsedZone>();
  for (const z of index.zones) for (const file of z.zone.sources.keys()) if (!byFile.has(file)) byFile.set(file, z.zone);
  const deleters = new Map<ParsedZone, RecordDeleter>();
  return {
    zoneOf: (r) => byFile.get(r.file),
    deleter: (zone) => {
      let d = deleters.get(zone);
      if (!d) deleters.set(zone, (d = new RecordDeleter(zone)));
      return d;
    },
  };
}

/** The TXT answer size at `owner`: header, question, and every TXT record there (RFC 1035 §4.1). */
function answerSize(owner: string, txts: ZoneRecord[]): number {
  const qname = wireLength(owner);
  let size = 12 + qname + 4;
  for (const r of txts) {
    let rdlength = 0;
    for (const t of r.rdata) rdlength += 1 + charStringBytes(t.text);
    size += 2 + 10 + rdlength; // compressed owner, type, class, TTL, rdlength
  }
  return size;
}

function rdataRange(r: ZoneRecord): [number, number] {
  return [r.rdata[0].start, r.rdata[r.rdata.length - 1].end];
}

/** Every SPF finding of the zones in the index. */
export function lintSpfRecords(index: ZoneIndex): ZoneFinding[] {
  const out: ZoneFinding[] = [];
  const view = spfView(index);
  const files = zonesOfFiles(index);
  for (const s of view.sources) termFindings(s, index, out);
  for (const [owner, list] of view.byOwner) {
    if (list.length > 1) multiple(owner, list, files, out);
    const txts = index.recordsOfType(owner, 'TXT');
    const size = answerSize(owner, txts);
    if (size > 512) {
      const r = list[0].record;
      out.push(
        f('spf-record-too-big', `the TXT answer for ${bare(owner)} is ${size} bytes (all ${txts.length} TXT records there); over 512 bytes it needs EDNS or TCP, and some receivers then fail the SPF check (RFC 7208 §3.4)`, r.file, rdataRange(r)),
      );
    }
  }
  // RFC 7208 §3.1: SPF records are published as TXT only; type 99 is obsolete (§14.1).
  const txtTexts = new Map<string, Set<string>>();
  const rdataText = (x: ZoneRecord) => x.rdata.map((t) => t.text).join('');
  for (const iz of index.zones) {
    for (const r of iz.zone.records) {
      if (r.type !== 'SPF') continue;
      // The TXT texts at an owner, gathered once for all the type 99 records there.
      let texts = txtTexts.get(r.owner);
      if (!texts) txtTexts.set(r.owner, (texts = new Set(index.recordsOfType(r.owner, 'TXT').map(rdataText))));
      const twin = texts.has(rdataText(r));
      const zone = files.zoneOf(r);
      let fix: ZoneFix | undefined;
      if (twin && zone) fix = files.deleter(zone).fix(r, 'Delete the type 99 SPF record (the same TXT record exists)');
      else if (!twin && !r.generated) fix = { description: 'Publish it as a TXT record', edits: [{ file: r.file, start: r.typeToken.start, end: r.typeToken.end, newText: 'TXT' }] };
      out.push(
        f('spf-type-99', `type 99 SPF records are obsolete: receivers look only at TXT (RFC 7208 §3.1, §14.1)${twin ? '; the same TXT record is there, so this one can go' : ''}`, r.file, [r.typeToken.start, r.typeToken.end], fix ? { fix } : {}),
      );
    }
  }
  return out;
}

function termFindings(s: SpfSource, index: ZoneIndex, out: ZoneFinding[]): void {
  const r = s.record;
  const file = r.file;
  const parsed = s.parsed;
  const crossesStrings = (start: number, end: number) => end > start && s.strings[start] !== s.strings[Math.min(end, s.text.length) - 1];
  const joinedNote = ' (this term runs across two strings, and strings are joined with nothing between them, RFC 7208 §3.3: put a space at the end of the first string)';

  for (const p of parsed.problems) {
    const term = termAt(parsed.terms, p.start);
    // A one-label target is most often written as if $ORIGIN applied inside the TXT text.
    if (p.code === 'spf-invalid-domain-spec' && term?.domainSpec && !term.hasMacros && !term.domainSpec.includes('.') && /^[A-Za-z0-9_-]+$/.test(term.domainSpec)) {
      relativeTarget(s, term, out);
      continue;
    }
    const range = sourceRange(s, p.start, p.end);
    const spans = term ? crossesStrings(term.start, term.end) : crossesStrings(p.start, p.end);
    const extra: Partial<ZoneFinding> = {};
    if (p.replacement !== undefined && editable(s, p.start, p.end)) {
      extra.fix = { description: `Replace with ${p.replacement}`, edits: [{ file, start: range[0], end: range[1], newText: p.replacement }] };
    }
    out.push(f(p.code, p.message + (spans ? joinedNote : ''), file, range, extra));
  }

  for (const l of lintSpf(parsed)) {
    // This linter counts lookups through the workspace's includes, and words `all` its own way.
    if (l.code === 'spf-too-many-lookups' || l.code === 'spf-pass-all') continue;
    out.push({ code: l.code, severity: l.severity, message: l.message, file, start: sourceRange(s, l.start, l.end)[0], end: sourceRange(s, l.start, l.end)[1] });
  }

  let all: SpfTerm | undefined;
  for (const t of parsed.terms) {
    if (t.kind === 'mechanism' && t.name === 'all' && !t.problem && !all) all = t;
    if (t.kind === 'mechanism' && (t.name === 'ip4' || t.name === 'ip6') && !t.problem && t.network) hostBits(s, t, out);
  }
  if (all && (all.qualifier === '+' || all.qualifier === '?')) {
    const range = sourceRange(s, all.start, all.end);
    const can = editable(s, all.start, all.end);
    const fixTo = (q: string, why: string): ZoneFix => ({ description: `Change ${all.text} to ${q}all (${why})`, edits: [{ file, start: range[0], end: range[1], newText: `${q}all` }] });
    const message =
      all.qualifier === '+'
        ? `"${all.text}" passes every address on the Internet: anyone can send as ${bare(r.owner)} (RFC 7208 §5.1). End the record with ~all or -all`
        : `"?all" gives a neutral result for addresses not listed: receivers treat unlisted senders like having no SPF at all (RFC 7208 §8.2). End the record with ~all or -all`;
    out.push(f(all.qualifier === '+' ? 'spf-pass-all' : 'spf-neutral-all', message, file, range, can ? { fix: fixTo('~', 'soft fail: mark, do not reject'), alternatives: [fixTo('-', 'fail: reject')] } : {}));
  }
  if (!parsed.hasAll && parsed.redirect === undefined && parsed.problems.length === 0) {
    const range = sourceRange(s, 0, Math.min(6, s.text.length));
    const fix: ZoneFix | undefined = editable(s, s.text.length - 1, s.text.length)
      ? { description: 'End the record with ~all', edits: [{ file, start: s.ends[s.text.length - 1], end: s.ends[s.text.length - 1], newText: s.text.endsWith(' ') ? '~all' : ' ~all' }] }
      : undefined;
    out.push(f('spf-no-all', 'the record has no "all" and no "redirect=": addresses not listed get "neutral", as if there were no SPF record (RFC 7208 §4.7)', file, range, fix ? { fix } : {}));
  }

  const count = staticLookupCount(s, index);
  if (count.total > 10) {
    const via = count.followed.length > 0 ? `, following ${count.followed.join(', ')} in the workspace` : '';
    out.push(
      f('spf-too-many-lookups', `${count.total}${count.partial ? ' or more' : ''} DNS-querying terms${via}${count.unknown.length > 0 ? ` (not counting inside ${count.unknown.join(', ')})` : ''}; a check may make at most 10, after that receivers return permerror (RFC 7208 §4.6.4)`, file, rdataRange(r)),
    );
  }
}

/** The term whose text holds `offset` (terms are in order and do not overlap): a binary search. */
function termAt(terms: SpfTerm[], offset: number): SpfTerm | undefined {
  let lo = 0;
  let hi = terms.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const t = terms[mid];
    if (offset < t.start) hi = mid - 1;
    else if (offset >= t.end) lo = mid + 1;
    else return t;
  }
  return undefined;
}

function relativeTarget(s: SpfSource, term: SpfTerm, out: ZoneFinding[]): void {
  const r = s.record;
  const spec = term.domainSpec!;
  const start = term.domainSpecStart ?? term.start;
  const range = sourceRange(s, start, start + spec.length);
  const origin = bare(r.origin);
  const qualified = origin === '.' ? spec : `${spec}.${origin}`;
  const fix: ZoneFix | undefined =
    origin !== '.' && editable(s, start, start + spec.length) ? { description: `Qualify it: ${qualified}`, edits: [{ file: r.file, start: range[0], end: range[1], newText: qualified }] } : undefined;
  out.push(
    f('spf-relative-target', `${JSON.stringify(spec)} is not a full domain name: $ORIGIN does not apply inside TXT text, so receivers look up ${spec} itself. Write ${qualified}`, r.file, range, fix ? { fix } : {}),
  );
}

function hostBits(s: SpfSource, t: SpfTerm, out: ZoneFinding[]): void {
  const len = t.name === 'ip4' ? t.cidr4 : t.cidr6;
  if (len === undefined) return;
  let bytes: Uint8Array;
  try {
    bytes = ipBytes(t.network!);
  } catch {
    return;
  }
  const masked = Uint8Array.from(bytes);
  for (let i = 0; i < masked.length; i++) {
    const keep = Math.max(0, Math.min(8, len - i * 8));
    masked[i] &= keep === 0 ? 0 : (0xff << (8 - keep)) & 0xff;
  }
  if (masked.every((b, i) => b === bytes[i])) return;
  const network = t.name === 'ip4' ? [...masked].join('.') : formatIpv6(masked);
  const netStart = t.start + t.text.indexOf(t.network!);
  const range = sourceRange(s, netStart, netStart + t.network!.length);
  const fix: ZoneFix | undefined = editable(s, netStart, netStart + t.network!.length)
    ? { description: `Write the network as ${network}/${len}`, edits: [{ file: s.record.file, start: range[0], end: range[1], newText: network }] }
    : undefined;
  out.push(
    f('spf-network-host-bits', `${t.network}/${len} has bits set past the prefix length: it means the network ${network}/${len}. If one host was meant, drop /${len}`, s.record.file, range, fix ? { fix } : {}),
  );
}

/** RFC 7208 §4.5: more than one v=spf1 record at a name is a permerror. The fix merges them. */
function multiple(owner: string, list: SpfSource[], files: ReturnType<typeof zonesOfFiles>, out: ZoneFinding[]): void {
  const first = list[0];
  const zone = files.zoneOf(first.record);
  let fix: ZoneFix | undefined;
  if (zone && list.every((s) => s.record.file === first.record.file && !s.record.generated && s.parsed.problems.length === 0)) {
    const deleter = files.deleter(zone);
    const deletes = list.slice(1).map((s) => deleter.fix(s.record, ''));
    if (deletes.every((d) => d !== undefined)) {
      const terms: string[] = [];
      const seen = new Set<string>();
      let ending: string | undefined;
      for (const s of list) {
        for (const t of s.parsed.terms) {
          const isEnd = (t.kind === 'mechanism' && t.name === 'all') || (t.kind === 'modifier' && t.name === 'redirect');
          if (isEnd) {
            ending ??= t.text;
            continue;
          }
          const key = t.text.toLowerCase();
          if (!seen.has(key)) {
            seen.add(key);
            terms.push(t.text);
          }
        }
      }
      const merged = ['v=spf1', ...terms, ...(ending ? [ending] : [])].join(' ');
      const edits = [{ file: first.record.file, start: first.record.rdata[0].start, end: first.record.rdata[first.record.rdata.length - 1].end, newText: quoteTxt(merged) }];
      for (const d of deletes) for (const e of d!.edits) edits.push(e);
      fix = { description: `Merge the ${list.length} records into one: ${merged.length > 80 ? merged.slice(0, 77) + '…' : merged}`, edits };
    }
  }
  // The other records, at most RELATED of them: every record naming all the others would be quadratic.
  const RELATED = 10;
  for (const s of list.slice(1)) {
    const related: NonNullable<ZoneFinding['related']> = [];
    for (const x of list) {
      if (related.length >= RELATED) break;
      if (x !== s) related.push({ file: x.record.file, start: x.record.start, end: x.record.end, message: 'another v=spf1 record' });
    }
    out.push(
      f('spf-multiple-records', `${bare(owner)} has ${list.length} v=spf1 records; with more than one, receivers return permerror and SPF fails for all mail (RFC 7208 §4.5)`, s.record.file, [s.record.typeToken.start, s.record.typeToken.end], {
        ...(fix ? { fix } : {}),
        related,
      }),
    );
  }
}

/** Names and addresses SPF says send mail: `a`/`a:` hosts, `mx`/`mx:` domains, single `ip4:`/`ip6:` hosts. */
export interface SpfSenders {
  hosts: { name: string; why: string; file: string; start: number; end: number }[];
  mxDomains: { name: string; why: string }[];
  addresses: { ip: string; why: string; file: string; start: number; end: number }[];
}

export function spfSenders(index: ZoneIndex): SpfSenders {
  const out: SpfSenders = { hosts: [], mxDomains: [], addresses: [] };
  for (const s of spfSources(index)) {
    const owner = s.record.owner;
    for (const t of s.parsed.terms) {
      if (t.kind !== 'mechanism' || t.problem || t.qualifier === '-') continue;
      const range = sourceRange(s, t.start, t.end);
      const why = `"${t.text}" in the SPF record of ${bare(owner)}`;
      if (t.name === 'a') {
        const name = termTarget(t, owner);
        if (name) out.hosts.push({ name, why, file: s.record.file, start: range[0], end: range[1] });
      } else if (t.name === 'mx') {
        const name = termTarget(t, owner);
        if (name) out.mxDomains.push({ name, why });
      } else if ((t.name === 'ip4' && (t.cidr4 === undefined || t.cidr4 === 32)) || (t.name === 'ip6' && (t.cidr6 === undefined || t.cidr6 === 128))) {
        out.addresses.push({ ip: canonicalIp(t.network!), why, file: s.record.file, start: range[0], end: range[1] });
      }
    }
  }
  return out;
}


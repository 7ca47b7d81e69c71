// SPF in zone files: TXT records that start with `v=spf1`, read with the SPF parser of
// src/core/spf (RFC 7208), every range mapped back from the joined record text to the quoted
// strings it came from — a record split over several strings included (RFC 7208 §3.3: the strings
// are joined with nothing between them).
import { countLookups, lintSpf, parseSpf } from '../spf/parse';
import type { ParsedSpf, SpfTerm } from '../spf/types';
import { canonicalIp, formatIpv6, ipBytes } from '../ip';
import { severityOf } from './codes';
import { deleteRecordFix } from './edits';
import { bare, canonicalName, scanName, wireLength } from './names';
import type { ParsedZone } from './parser';
import { charStringBytes, decodeWithOffsets, splitCharString } from './rdata';
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

function joined(record: ZoneRecord): Omit<SpfSource, 'parsed'> {
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

const cache = new WeakMap<ZoneIndex, SpfSource[]>();

/** Every TXT record in the index that is an SPF record (RFC 7208 §4.5). */
export function spfSources(index: ZoneIndex): SpfSource[] {
  let list = cache.get(index);
  if (list) return list;
  list = [];
  for (const r of index.records()) {
    if (r.type !== 'TXT' || r.generic || !looksLikeSpf(r)) continue;
    const j = joined(r);
    const parsed = parseSpf(j.text);
    if (parsed.isSpf) list.push({ ...j, parsed });
  }
  cache.set(index, list);
  return list;
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
}

/**
 * RFC 7208 §4.6.4: the DNS-querying terms a check of this record makes at most, counted without
 * DNS: its own terms, plus those of every include/redirect target found in the workspace.
 */
export function staticLookupCount(source: SpfSource, index: ZoneIndex): LookupCount {
  const byOwner = new Map<string, SpfSource>();
  for (const s of spfSources(index)) if (!byOwner.has(s.record.owner)) byOwner.set(s.record.owner, s);
  const result: LookupCount = { total: 0, followed: [], unknown: [] };
  const visit = (s: SpfSource, stack: string[]) => {
    const count = countLookups(s.parsed);
    result.total += count.dnsTerms;
    const targets = [...count.includes, ...(count.redirect !== undefined ? [count.redirect] : [])];
    for (const spec of targets) {
      const term = s.parsed.terms.find((t) => t.domainSpec === spec);
      const name = term ? specName(term) : undefined;
      const next = name ? byOwner.get(name) : undefined;
      if (!next || !name) {
        result.unknown.push(spec);
        continue;
      }
      // A loop of includes is a permerror of its own; count each record once.
      if (stack.includes(name)) continue;
      result.followed.push(bare(name));
      visit(next, [...stack, name]);
    }
  };
  visit(source, [source.record.owner]);
  return result;
}

function f(code: string, message: string, file: string, range: [number, number], extra: Partial<ZoneFinding> = {}): ZoneFinding {
  return { code, severity: severityOf(code), message, file, start: range[0], end: range[1], ...extra };
}

function zoneOfRecord(index: ZoneIndex, r: ZoneRecord): ParsedZone | undefined {
  return index.zones.find((z) => z.zone.sources.has(r.file))?.zone;
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

/** The RDATA of a record as quoted strings of at most 255 bytes each. */
function quoted(text: string): string {
  const escaped = text.replace(/[\\"]/g, (c) => '\\' + c);
  return splitCharString(escaped).map((p) => `"${p}"`).join(' ');
}

function rdataRange(r: ZoneRecord): [number, number] {
  return [r.rdata[0].start, r.rdata[r.rdata.length - 1].end];
}

/** Every SPF finding of the zones in the index. */
export function lintSpfRecords(index: ZoneIndex): ZoneFinding[] {
  const out: ZoneFinding[] = [];
  const sources = spfSources(index);
  const byOwner = new Map<string, SpfSource[]>();
  for (const s of sources) {
    let l = byOwner.get(s.record.owner);
    if (!l) byOwner.set(s.record.owner, (l = []));
    l.push(s);
  }
  for (const s of sources) termFindings(s, index, out);
  for (const [owner, list] of byOwner) {
    if (list.length > 1) out.push(...multiple(owner, list, index));
    const txts = index.recordsAt(owner).filter((r) => r.type === 'TXT');
    const size = answerSize(owner, txts);
    if (size > 512) {
      const r = list[0].record;
      out.push(
        f('spf-record-too-big', `the TXT answer for ${bare(owner)} is ${size} bytes (all ${txts.length} TXT records there); over 512 bytes it needs EDNS or TCP, and some receivers then fail the SPF check (RFC 7208 §3.4)`, r.file, rdataRange(r)),
      );
    }
  }
  // RFC 7208 §3.1: SPF records are published as TXT only; type 99 is obsolete (§14.1).
  for (const iz of index.zones) {
    for (const r of iz.zone.records) {
      if (r.type !== 'SPF') continue;
      const records = index.recordsAt(r.owner);
      const text = r.rdata.map((t) => t.text).join('');
      const twin = records.find((x) => x.type === 'TXT' && x.rdata.map((t) => t.text).join('') === text);
      const zone = zoneOfRecord(index, r);
      let fix: ZoneFix | undefined;
      if (twin && zone) fix = deleteRecordFix(r, zone, 'Delete the type 99 SPF record (the same TXT record exists)');
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
    const term = parsed.terms.find((t) => p.start >= t.start && p.start < t.end);
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
      f('spf-too-many-lookups', `${count.total} DNS-querying terms${via}${count.unknown.length > 0 ? ` (not counting inside ${count.unknown.join(', ')})` : ''}; a check may make at most 10, after that receivers return permerror (RFC 7208 §4.6.4)`, file, rdataRange(r)),
    );
  }
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
function multiple(owner: string, list: SpfSource[], index: ZoneIndex): ZoneFinding[] {
  const first = list[0];
  const zone = zoneOfRecord(index, first.record);
  let fix: ZoneFix | undefined;
  if (zone && list.every((s) => s.record.file === first.record.file && !s.record.generated && s.parsed.problems.length === 0)) {
    const deletes = list.slice(1).map((s) => deleteRecordFix(s.record, zone, ''));
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
      fix = {
        description: `Merge the ${list.length} records into one: ${merged.length > 80 ? merged.slice(0, 77) + '…' : merged}`,
        edits: [{ file: first.record.file, start: first.record.rdata[0].start, end: first.record.rdata[first.record.rdata.length - 1].end, newText: quoted(merged) }, ...deletes.flatMap((d) => d!.edits)],
      };
    }
  }
  return list.slice(1).map((s) =>
    f('spf-multiple-records', `${bare(owner)} has ${list.length} v=spf1 records; with more than one, receivers return permerror and SPF fails for all mail (RFC 7208 §4.5)`, s.record.file, [s.record.typeToken.start, s.record.typeToken.end], {
      ...(fix ? { fix } : {}),
      related: list.filter((x) => x !== s).map((x) => ({ file: x.record.file, start: x.record.start, end: x.record.end, message: 'another v=spf1 record' })),
    }),
  );
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


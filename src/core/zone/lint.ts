// The zone linter: parse errors, zone structure, common mistakes, SPF in TXT records, and PTR ↔ A
// consistency across every zone of a workspace. Pure over parsed zones; DNS is asked only through
// an injected Resolver, and only for names no zone in the workspace answers for.
import type { Resolver } from '../dns/types';
import { severityOf } from './codes';
import { RecordDeleter } from './edits';
import { bare, isAtOrBelow } from './names';
import type { ParsedZone } from './parser';
import { lintConsistency } from './ptr';
import { ptrReplacements } from './ptrFix';
import { NAME_FIELDS, parseIpv4, parseIpv6Text } from './rdata';
import { lintSpfRecords } from './spfLint';
import type { Token, ZoneFinding, ZoneFix, ZoneRecord } from './types';
import { type IndexedZone, ZoneIndex } from './zoneIndex';

export interface LintOptions {
  /** Ask DNS (through this resolver) about names and addresses the workspace has no zone for. */
  resolver?: Resolver;
  signal?: AbortSignal;
  /** Files that are `$INCLUDE` fragments of a zone kept elsewhere: no SOA/NS checks for them. */
  fragments?: Set<string>;
}

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
  return finish(out);
}

/** The rules that need no DNS: parse errors, zone structure, common mistakes, SPF. */
export function lintZonesStatic(zones: ParsedZone[], options: LintOptions = {}): ZoneFinding[] {
  return finish(lintStatic(zones, new ZoneIndex(zones), options));
}

function lintStatic(zones: ParsedZone[], index: ZoneIndex, options: LintOptions): ZoneFinding[] {
  const out: ZoneFinding[] = [];
  const complete = !zones.some((z) => z.truncated);
  // Loops, not push(...list): a list of 200,000 findings would overflow the call stack.
  for (const zone of zones) {
    for (const d of zone.diagnostics) out.push(d);
    const iz = index.indexed(zone);
    if (!iz) continue;
    lintZone(iz, index, out, (options.fragments?.has(zone.file) ?? false) || zone.truncated === true, complete);
  }
  for (const f of lintSpfRecords(index)) out.push(f);
  return out;
}

/** Sorted by file and offset; many same findings from one `$GENERATE` line become one. */
function finish(findings: ZoneFinding[]): ZoneFinding[] {
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
const CNAME_COMPANIONS = new Set(['RRSIG', 'NSEC', 'NSEC3', 'KEY']);

/** `fragment`: no SOA/NS checks (an include fragment, or a zone not read to its end); `complete`: every record of the workspace was read. */
function lintZone(iz: IndexedZone, index: ZoneIndex, out: ZoneFinding[], fragment: boolean, complete: boolean): void {
  const { zone, origin } = iz;
  const recs = zone.records;
  let soa: ZoneRecord[] = [];
  let apexNs = 0;
  for (const r of recs) {
    if (r.type === 'SOA') soa.push(r);
    if (r.type === 'NS' && r.owner === origin) apexNs++;
    if (!isAtOrBelow(r.owner, origin)) {
      const [s, e] = at(r, r.ownerToken);
      out.push(finding('zone-out-of-zone', `${bare(r.owner)} is not in the zone ${bare(origin)}: servers ignore this record (RFC 1034 §4.2)`, r.file, s, e));
      continue;
    }
    finalDots(r, zone, out);
    if (r.type === 'MX' || r.type === 'NS' || r.type === 'SRV') targetChecks(r, index, out, complete);
  }

  // RFC 1035 §5.2: exactly one SOA, at the top of the zone; NS records there too.
  if (!fragment) {
    const main = zone.sources.get(zone.file);
    if (soa.length === 0 && recs.length > 0) {
      const text = main?.text ?? '';
      const nl = text.indexOf('\n');
      out.push(finding('zone-no-soa', `the zone ${bare(origin)} has no SOA record: servers will not load it`, zone.file, 0, Math.min(nl < 0 ? text.length : nl, 200)));
    }
    const below = soa.filter((r) => r.owner !== origin);
    for (const r of below) {
      const [s, e] = at(r, r.ownerToken);
      out.push(finding('zone-soa-not-at-apex', `SOA at ${bare(r.owner)}, but the zone's apex is ${bare(origin)}: the SOA belongs at the top of the zone (RFC 1035 §5.2)`, r.file, s, e));
    }
    soa = soa.filter((r) => r.owner === origin);
    for (const r of soa.slice(1)) {
      out.push(finding('zone-multiple-soa', 'a zone has exactly one SOA record; this is a second one (RFC 1035 §5.2)', r.file, ...at(r)));
    }
    if (soa.length > 0 && apexNs === 0) {
      out.push(finding('zone-no-ns', `the zone ${bare(origin)} has no NS records at its apex: servers will not load it (RFC 1035 §5.2)`, soa[0].file, ...at(soa[0])));
    }
  }

  const deleter = new RecordDeleter(zone);
  for (const [owner, slot] of iz.owners) {
    if (Array.isArray(slot)) ownerGroup(owner, slot, origin, deleter, out);
    else if (slot.type === 'CNAME') ownerGroup(owner, [slot], origin, deleter, out);
  }
}

function ownerGroup(owner: string, list: ZoneRecord[], origin: string, deleter: RecordDeleter, out: ZoneFinding[]): void {
  const cnames = list.filter((r) => r.type === 'CNAME');
  if (cnames.length > 0) {
    const others = list.filter((r) => r.type !== 'CNAME' && !CNAME_COMPANIONS.has(r.type));
    if (owner === origin) {
      for (const c of cnames) {
        out.push(finding('zone-cname-at-apex', `a CNAME at the zone apex ${bare(origin)}: the apex must hold SOA and NS records, and a CNAME may have nothing beside it (RFC 1912 §2.4)`, c.file, ...at(c)));
      }
    } else if (others.length > 0) {
      const types = [...new Set(others.map((r) => r.type))].join(', ');
      for (const c of cnames) {
        out.push(
          finding('zone-cname-and-other-data', `${bare(owner)} has a CNAME and also ${types} records: a name with a CNAME can have no other data (RFC 1034 §3.6.2), servers refuse the zone`, c.file, ...at(c), {
            related: others.slice(0, 10).map((r) => ({ file: r.file, start: r.typeToken.start, end: r.typeToken.end, message: `${r.type} record at ${bare(owner)}` })),
          }),
        );
      }
    }
    for (const c of cnames.slice(1)) {
      out.push(finding('zone-multiple-cname', `${bare(owner)} has more than one CNAME: a name is an alias of one name only (RFC 2181 §10.1)`, c.file, ...at(c)));
    }
  }
  if (list.length < 2) return;
  const byType = new Map<string, ZoneRecord[]>();
  for (const r of list) {
    let l = byType.get(r.type);
    if (!l) byType.set(r.type, (l = []));
    l.push(r);
  }
  for (const [type, rrset] of byType) {
    if (rrset.length < 2) continue;
    // RFC 2181 §5.2: the records of an RRset have one TTL.
    const ttl = rrset[0].ttl;
    for (const r of rrset) {
      if (r.ttl !== ttl) {
        const [s, e] = at(r, r.ttlToken);
        out.push(finding('zone-ttl-mismatch', `${type} records at ${bare(owner)} have different TTLs (${ttl} and ${r.ttl}); servers use one TTL for the whole set (RFC 2181 §5.2)`, r.file, s, e));
      }
    }
    const seen = new Map<string, ZoneRecord>();
    for (const r of rrset) {
      const key = rdataKey(r);
      const first = seen.get(key);
      if (!first) {
        seen.set(key, r);
        continue;
      }
      const fix = deleter.fix(r, 'Delete the duplicate record');
      out.push(
        finding('zone-duplicate-record', `the same ${type} record at ${bare(owner)} is already on ${first.file === r.file ? 'an earlier line' : first.file}: servers keep one copy (RFC 2181 §5)`, r.file, ...at(r, r.ownerToken ?? r.typeToken), {
          ...(fix ? { fix } : {}),
          related: [{ file: first.file, start: first.start, end: first.end, message: 'first copy' }],
        }),
      );
    }
  }
}

function rdataKey(r: ZoneRecord): string {
  if (r.address !== undefined) return r.address;
  let key = '';
  for (let i = 0; i < r.rdata.length; i++) {
    const t = r.rdata[i];
    key += (i === r.targetIndex ? r.target : t.quoted ? `"${t.text}"` : t.text) + ' ';
  }
  return key;
}

/** RFC 1035 §5.1: a name without the final dot is relative and gets the origin appended. */
function finalDots(r: ZoneRecord, zone: ParsedZone, out: ZoneFinding[]): void {
  // In a $GENERATE line the token is a template: an edit at its end adds the dot only when the
  // template is unquoted and the name is the last thing in it.
  const text = r.generated ? zone.sources.get(r.file)?.text : undefined;
  const editable = (t: Token) => !r.generated || (text !== undefined && text.charCodeAt(t.end - 1) !== 34 && (t === r.ownerToken || t === r.rdata[r.rdata.length - 1]));
  if (r.ownerToken) finalDot(r, r.ownerToken, r.owner, r.origin, false, editable(r.ownerToken), out);
  if (r.generic) return;
  const fields = NAME_FIELDS[r.type];
  if (!fields) return;
  for (const i of fields) {
    const t = r.rdata[i];
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

function targetChecks(r: ZoneRecord, index: ZoneIndex, out: ZoneFinding[], complete: boolean): void {
  if (r.target === undefined || r.targetIndex === undefined) return;
  const tok = r.rdata[r.targetIndex];
  // RFC 7505 null MX and RFC 2782 "." SRV target: no service, nothing to check.
  if (r.target === '.') return;
  const rawBare = tok.text.endsWith('.') ? tok.text.slice(0, -1) : tok.text;
  const kind = r.type === 'MX' ? 'mx' : r.type === 'NS' ? 'ns' : undefined;
  if (kind && (parseIpv4(rawBare) !== undefined || (rawBare.includes(':') && parseIpv6Text(rawBare) !== undefined))) {
    out.push(
      finding(`zone-${kind}-target-ip`, `an ${r.type} record names a host, not an address: ${rawBare} is read as the host name "${r.target}"; point it at a name that has an A record (RFC ${r.type === 'MX' ? '5321 §5.1' : '1035 §3.3.11'})`, r.file, tok.start, tok.end),
    );
    return;
  }
  const zone = index.zoneFor(r.target);
  if (!zone) return;
  const cname = index.recordsOfType(r.target, 'CNAME')[0];
  if (cname && kind) {
    const chain = index.lookup(r.target, 'A');
    const final = chain.cnames.length > 0 ? chain.cnames[chain.cnames.length - 1].target : cname.target;
    const fix: ZoneFix | undefined =
      final && !r.generated ? { description: `Point the ${r.type} record at ${bare(final)}`, edits: [{ file: r.file, start: tok.start, end: tok.end, newText: final }] } : undefined;
    out.push(
      finding(`zone-${kind}-target-cname`, `the ${r.type} target ${bare(r.target)} is an alias (CNAME to ${bare(cname.target ?? '?')}); ${r.type} targets must be canonical names (RFC 2181 §10.3)`, r.file, tok.start, tok.end, {
        ...(fix ? { fix } : {}),
        related: [{ file: cname.file, start: cname.start, end: cname.end, message: `${bare(r.target)} is a CNAME` }],
      }),
    );
    return;
  }
  if (cname || !complete) return;
  const hasAddress = index.recordsOfType(r.target, 'A').length > 0 || index.recordsOfType(r.target, 'AAAA').length > 0;
  if (!hasAddress) {
    out.push(
      finding('zone-target-no-address', `the ${r.type} target ${bare(r.target)} has no A or AAAA record in ${bare(zone.origin)}${!index.exists(r.target) ? ' (the name does not exist)' : ''}`, r.file, tok.start, tok.end),
    );
  }
}

// The checks `named` makes when it loads a zone, after each record's syntax: one SOA at the apex,
// NS records there, single-valued types, CNAME beside other data, DS and NS where they may not be,
// and the zone's own name servers resolvable inside it. Each is an `error` exactly when BIND 9.18
// refuses the zone for it (named-checkzone with default options), a `warning` when BIND only logs
// it; the conformance test (test/integration/zone-conformance.test.ts) compares the two.
//
// Records of one owner are looked at in file order, as BIND adds them: of two records that cannot
// stand together, the later one is the one refused, and the finding points at it.
import { bare, isAtOrBelow, parentName } from './names';
import { rdataKey as canonicalRdata } from './rdata';
import { completeName } from './rdataTypes';
import { parseIpv4, parseIpv6Text } from './rdata';
import type { ZoneFinding, ZoneFix, ZoneRecord } from './types';
import { type IndexedZone, slotRecords, type ZoneIndex } from './zoneIndex';
import { RecordDeleter } from './edits';
import { targetEdit } from './recordEdit';
import { severityOf } from './codes';
import { lintCdsConsistency } from './dnssec';

function finding(code: string, message: string, file: string, start: number, end: number, extra: Partial<ZoneFinding> = {}): ZoneFinding {
  return { code, severity: severityOf(code), message, file, start, end, ...extra };
}

/** The part of a record to underline: its type, or the token given. */
function at(r: ZoneRecord, t?: { start: number; end: number }): [number, number] {
  const tok = t ?? r.typeToken;
  return [tok.start, tok.end];
}

function ownerAt(r: ZoneRecord): [number, number] {
  return at(r, r.ownerToken ?? r.typeToken);
}

/** RFC 2181 §10.1, RFC 6672 §2.4: types a name holds at most one record of (BIND's "singleton" types). */
const SINGLETONS = new Set(['SOA', 'CNAME', 'DNAME']);
/** Types BIND lets stand beside a CNAME (RFC 2181 §10.1, RFC 4035 §2.5: DNSSEC's own records; KEY per RFC 2535). */
const CNAME_COMPANIONS = new Set(['RRSIG', 'NSEC', 'KEY', 'SIG', 'NXT']);

export interface StructureOptions {
  /** No SOA/NS checks (an `$INCLUDE` fragment, or a zone not read to its end). */
  fragment: boolean;
  /** Every record of the workspace was read: checks that conclude from an absence may run. */
  complete: boolean;
  /** BIND's check-names mode: host names that are none as warnings, errors, or not looked at. */
  checkNames: 'warn' | 'fail' | 'ignore';
}

/** The structural checks of one zone: BIND's load-time rules, and the warnings beside them. */
export function lintStructure(iz: IndexedZone, index: ZoneIndex, out: ZoneFinding[], options: StructureOptions): void {
  const dnames = dnameOwners(iz);
  for (const r of iz.zone.records) if (isAtOrBelow(r.owner, iz.origin)) structureOfRecord(r, iz, index, dnames, out, options);
  structureOfZone(iz, out, options);
  const deleter = new RecordDeleter(iz.zone);
  for (const [owner, slot] of iz.owners) {
    if (Array.isArray(slot)) ownerGroup(owner, slot, iz.origin, deleter, out);
  }
}

/** The owners of DNAME records in the zone. */
export function dnameOwners(iz: IndexedZone): Set<string> {
  const dnames = new Set<string>();
  for (const [owner, slot] of iz.owners) for (const r of slotRecords(slot)) if (r.type === 'DNAME') dnames.add(owner);
  return dnames;
}

/**
 * The checks of one in-zone record alone (given the index): host names, SOA/NS/DS placement, NS,
 * MX and SRV targets. The incremental re-lint (incremental.ts) runs it for the records an edit can
 * change; the targets it looks at are what it depends on.
 */
export function structureOfRecord(r: ZoneRecord, iz: IndexedZone, index: ZoneIndex, dnames: Set<string>, out: ZoneFinding[], options: StructureOptions): void {
  const origin = iz.origin;
  if (options.checkNames !== 'ignore') checkNames(r, options.checkNames, out);
  if (r.type === 'SOA') {
    if (r.owner !== origin) out.push(finding('zone-soa-not-at-apex', `SOA at ${bare(r.owner)}, but the zone's apex is ${bare(origin)}: BIND refuses an SOA record below the top of the zone (RFC 1035 §5.2)`, r.file, ...ownerAt(r)));
  } else if (r.type === 'NS') {
    // RFC 4592 §4.2: a wildcard cannot delegate; BIND refuses NS records at a wildcard owner.
    if (r.owner.startsWith('*.') || r.owner === '*') out.push(finding('zone-ns-at-wildcard', `NS records at the wildcard ${bare(r.owner)}: a wildcard cannot be a delegation, BIND refuses the zone (RFC 4592 §4.2)`, r.file, ...ownerAt(r)));
    nsTarget(r, iz, index, dnames, out, options.complete);
  } else if (r.type === 'DS' && r.owner === origin) {
    // RFC 4035 §2.4: DS records belong in the parent zone, at the delegation.
    out.push(finding('zone-ds-at-apex', `a DS record at the apex of ${bare(origin)}: DS records belong in the parent zone (RFC 4035 §2.4); BIND refuses the zone`, r.file, ...at(r)));
  } else if (r.type === 'MX' || r.type === 'SRV') {
    mailTarget(r, iz, index, dnames, out, options.complete);
  }
}

/** The checks of the zone as a whole, from the records at its apex: one SOA, NS records, CDS/CDNSKEY. */
export function structureOfZone(iz: IndexedZone, out: ZoneFinding[], options: StructureOptions): void {
  const { zone, origin } = iz;
  const apex = slotRecords(iz.owners.get(origin));
  let apexSoa = 0;
  let apexNs = 0;
  let firstSoa: ZoneRecord | undefined;
  for (const r of apex) {
    if (r.type === 'SOA') {
      apexSoa++;
      firstSoa ??= r;
    } else if (r.type === 'NS') apexNs++;
  }
  if (!options.fragment && zone.unread !== true) {
    const main = zone.sources.get(zone.file);
    if (apexSoa === 0) {
      const text = main?.text ?? '';
      const nl = text.indexOf('\n');
      out.push(finding('zone-no-soa', `the zone ${bare(origin)} has no SOA record at its apex: BIND will not load it (RFC 1035 §5.2)`, zone.file, 0, Math.min(nl < 0 ? text.length : nl, 200)));
    }
    if (apexNs === 0) {
      const [s, e] = firstSoa ? at(firstSoa) : [0, 0];
      out.push(finding('zone-no-ns', `the zone ${bare(origin)} has no NS records at its apex: BIND will not load it (RFC 1035 §5.2)`, firstSoa?.file ?? zone.file, s, e));
    }
  }
  lintCdsConsistency(origin, apex, out);
}

/** The records of one name, in file order: what cannot stand together, duplicates, TTLs. */
export function ownerGroup(owner: string, list: ZoneRecord[], origin: string, deleter: RecordDeleter, out: ZoneFinding[]): void {
  // RFC 1034 §3.6.2, RFC 2181 §10.1: a CNAME and other data cannot share a name. BIND keeps
  // whichever came first and refuses each record of the other kind after it.
  let cname: ZoneRecord | undefined;
  let other: ZoneRecord | undefined;
  for (const r of list) {
    if (r.type === 'CNAME') {
      if (other) cnameConflict(owner, origin, r, other, out);
      cname ??= r;
    } else if (!CNAME_COMPANIONS.has(r.type)) {
      if (cname) cnameConflict(owner, origin, r, cname, out);
      other ??= r;
    }
  }

  const byType = new Map<string, ZoneRecord[]>();
  for (const r of list) {
    let l = byType.get(r.type);
    if (!l) byType.set(r.type, (l = []));
    l.push(r);
  }
  for (const [type, rrset] of byType) {
    if (rrset.length < 2) continue;
    // RFC 2181 §5.2: one TTL per RRset. RRSIG records cover different RRsets and may differ
    // (RFC 4034 §3: each carries the TTL of the set it signs).
    if (type !== 'RRSIG') {
      const ttl = rrset[0].ttl;
      for (const r of rrset) {
        if (r.ttl !== ttl) {
          const [s, e] = at(r, r.ttlToken);
          out.push(finding('zone-ttl-mismatch', `${type} records at ${bare(owner)} have different TTLs (${ttl} and ${r.ttl}); servers use one TTL for the whole set, BIND uses ${ttl} (RFC 2181 §5.2)`, r.file, s, e));
        }
      }
    }
    const seen = new Map<string, ZoneRecord>();
    let first: ZoneRecord | undefined;
    for (const r of rrset) {
      const key = rdataKey(r);
      const copy = seen.get(key);
      if (copy) {
        const fix = deleter.fix(r, 'Delete the duplicate record');
        out.push(
          finding('zone-duplicate-record', `the same ${type} record at ${bare(owner)} is already on ${copy.file === r.file ? 'an earlier line' : copy.file}: servers keep one copy (RFC 2181 §5)`, r.file, ...ownerAt(r), {
            ...(fix ? { fix } : {}),
            related: [{ file: copy.file, start: copy.start, end: copy.end, message: 'first copy' }],
          }),
        );
        continue;
      }
      seen.set(key, r);
      if (!first) {
        first = r;
        continue;
      }
      if (SINGLETONS.has(type) && (type !== 'SOA' || owner === origin)) {
        const code = type === 'SOA' ? 'zone-multiple-soa' : type === 'CNAME' ? 'zone-multiple-cname' : 'zone-multiple-dname';
        const what = type === 'SOA' ? 'a zone has exactly one SOA record (RFC 1035 §5.2)' : type === 'CNAME' ? 'a name is an alias of one name only (RFC 2181 §10.1)' : 'a name redirects to one name only (RFC 6672 §2.4)';
        out.push(
          finding(code, `a second, different ${type} record at ${bare(owner)}: ${what}; BIND refuses the zone (an identical copy would be merged)`, r.file, ...at(r), {
            related: [{ file: first.file, start: first.start, end: first.end, message: `the first ${type} record` }],
          }),
        );
      }
    }
  }
}

function cnameConflict(owner: string, origin: string, later: ZoneRecord, earlier: ZoneRecord, out: ZoneFinding[]): void {
  const apex = owner === origin;
  const code = apex ? 'zone-cname-at-apex' : 'zone-cname-and-other-data';
  const message = apex
    ? `a CNAME at the zone apex ${bare(origin)} beside its ${later.type === 'CNAME' ? earlier.type : later.type} records: the apex holds SOA and NS, and a name with a CNAME can have no other data (RFC 1912 §2.4); BIND refuses the zone`
    : `${bare(owner)} has a CNAME and also ${later.type === 'CNAME' ? earlier.type : later.type} records: a name with a CNAME can have no other data (RFC 1034 §3.6.2); BIND refuses the zone`;
  out.push(
    finding(code, message, later.file, ...at(later), {
      related: [{ file: earlier.file, start: earlier.typeToken.start, end: earlier.typeToken.end, message: `${earlier.type} record at ${bare(owner)}` }],
    }),
  );
}

/** The RDATA as BIND compares it: wire octets, names case-folded (RFC 4343); the text when it does not parse. */
function rdataKey(r: ZoneRecord): string {
  if (r.address !== undefined) return r.address;
  const key = canonicalRdata(r);
  if (key !== undefined) return key;
  return r.rdata.map((t) => (t.quoted ? `"${t.text}"` : t.text)).join(' ');
}

// --- check-names -------------------------------------------------------------------------------

/** RFC 952, RFC 1123 §2.1: letters, digits and hyphens, a letter or digit at each end of a label. */
function isHostname(name: string, wildcard: boolean): boolean {
  if (name === '.') return true;
  // Every label (the name without its last character, split at dots) is /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
  // a first label `*` passes when `wildcard`. One pass over the characters: this runs for every record.
  const end = name.length - 1;
  let i = wildcard && name.charCodeAt(0) === 42 && (end === 1 || name.charCodeAt(1) === 46) ? 2 : 0;
  if (i === 2 && end === 1) return true;
  for (;;) {
    const from = i;
    while (i < end && name.charCodeAt(i) !== 46) i++;
    if (i === from) return false;
    for (let k = from; k < i; k++) {
      const c = name.charCodeAt(k);
      const alnum = (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
      if (!alnum && (c !== 45 || k === from || k === i - 1)) return false;
    }
    if (i >= end) return true;
    i++;
  }
}

/** RFC 1035 §8 mailbox: any first label (the local part), a host name after it. */
function isMailbox(name: string): boolean {
  const dot = name.indexOf('.');
  if (dot < 0 || dot === name.length - 1) return true;
  return isHostname(name.slice(dot + 1), false);
}

/** Owners BIND wants to be host names (the address and mail-exchanger owners). */
const HOST_OWNERS = new Set(['A', 'AAAA', 'A6', 'MX', 'WKS']);
const ADDRESS = new Set(['A', 'AAAA']);

/**
 * Address owners BIND lets through although they are no host names: Active Directory's
 * `gc._msdcs.<forest>`, and names below an `_spf`, `_spf_verify` or `_spf_rate` label (RFC 7208
 * §5.7 `exists:` targets, Appendix D.1).
 */
function addressOwnerException(owner: string): boolean {
  const labels = owner.slice(0, -1).split('.');
  if (labels.length > 2 && labels[0] === 'gc' && labels[1] === '_msdcs' && isHostname(labels.slice(2).join('.') + '.', false)) return true;
  return labels.slice(0, -1).some((l) => l === '_spf' || l === '_spf_verify' || l === '_spf_rate');
}

/** RFC 6763 §11: the DNS-SD browsing names whose PTRs name services, not hosts. */
const DNS_SD = /^(b|db|r|dr|lb)\._dns-sd\._udp\./;

/**
 * BIND's check-names (named-checkzone -k, named.conf `check-names`): host names that are not
 * (RFC 952) — owners of address and MX records, the hosts NS, MX, SRV, AFSDB, RT, SVCB and reverse
 * PTR records name, the SOA's MNAME (and its RNAME as a mailbox).
 */
function checkNames(r: ZoneRecord, mode: 'warn' | 'fail', out: ZoneFinding[]): void {
  const severity = mode === 'fail' ? 'error' : 'warning';
  const say = (what: string, name: string, t: { start: number; end: number }) =>
    out.push({ ...finding('zone-check-names', `${what} ${bare(name)} is not a host name (letters, digits and hyphens, RFC 952, RFC 1123 §2.1); BIND ${mode === 'fail' ? 'refuses the zone (check-names fail)' : 'warns (check-names warn)'}`, r.file, t.start, t.end), severity });
  if (HOST_OWNERS.has(r.type) && !isHostname(r.owner, true) && !(ADDRESS.has(r.type) && addressOwnerException(r.owner))) say(`the owner of this ${r.type} record,`, r.owner, r.ownerToken ?? r.typeToken);
  if (r.target === undefined || r.targetIndex === undefined) return;
  const tok = r.rdata[r.targetIndex];
  let host = false;
  switch (r.type) {
    case 'NS':
    case 'MX':
    case 'SRV':
    case 'AFSDB':
    case 'RT':
    case 'SOA':
      host = true;
      break;
    case 'SVCB':
    case 'HTTPS':
      host = r.rdata[0]?.text !== '0';
      break;
    case 'PTR':
      host = (r.owner.endsWith('.in-addr.arpa.') || r.owner.endsWith('.ip6.arpa.') || r.owner.endsWith('.ip6.int.')) && !DNS_SD.test(r.owner);
      break;
  }
  if (host && !isHostname(r.target, false)) say(`the ${r.type} ${r.type === 'SOA' ? 'MNAME' : 'target'}`, r.target, tok);
  if (r.type === 'SOA' && r.names && r.names.length > 1) {
    const t = r.rdata[r.names[1]];
    const rname = completeName(t.text, r.origin);
    if (rname !== undefined && !isMailbox(rname)) say('the SOA RNAME', rname, t);
  }
}

// --- targets -----------------------------------------------------------------------------------

/** The DNAME owner `name` sits below (RFC 6672 §2.3: names below a DNAME are not served), if any. */
function belowDname(name: string, origin: string, dnames: Set<string>): string | undefined {
  if (dnames.size === 0) return undefined;
  for (let p = parentName(name); p && isAtOrBelow(p, origin); p = parentName(p)) {
    if (dnames.has(p)) return p;
    if (p === origin) break;
  }
  return undefined;
}

/** The delegation (zone cut) `name` sits at or below in this zone, if any (RFC 1034 §4.2.1). */
function cutOf(name: string, iz: IndexedZone): string | undefined {
  if (iz.cuts.size === 0) return undefined;
  for (let n: string | undefined = name; n && n !== iz.origin; n = parentName(n)) if (iz.cuts.has(n)) return n;
  return undefined;
}

/** Whether `name` has A or AAAA records in the zone, a matching wildcard's included (RFC 4592 §3.3.1). */
function hasAddress(name: string, iz: IndexedZone, index: ZoneIndex): boolean {
  // By type through the index (grouped once per owner): an owner with n records costs O(1) here.
  // This zone's own records, glue below its delegations included.
  const address = (n: string) => index.recordsOfTypeIn(iz, n, 'A').length > 0 || index.recordsOfTypeIn(iz, n, 'AAAA').length > 0;
  if (iz.owners.has(name)) return address(name);
  if (index.exists(name)) return false;
  // The closest encloser's wildcard answers for a name that does not exist.
  for (let p = parentName(name); p && isAtOrBelow(p, iz.origin); p = parentName(p)) {
    if (iz.owners.has(p) || index.exists(p)) return address(`*.${p}`);
    if (p === iz.origin) break;
  }
  return false;
}

function looksLikeAddress(raw: string): boolean {
  const b = raw.endsWith('.') ? raw.slice(0, -1) : raw;
  return parseIpv4(b) !== undefined || (b.includes(':') && parseIpv6Text(b) !== undefined);
}

/**
 * NS targets. The zone's own name servers (NS at the apex) with names inside the zone must resolve
 * there: BIND refuses the zone when one has no A/AAAA, is a CNAME, or is below a DNAME. For a
 * delegation BIND only warns, and so do we, and only where the answer is in this zone's data:
 * a target inside the delegated child needs glue, one elsewhere in this zone must be an address
 * name. Targets in other delegations or outside the zone are the business of other zones.
 */
function nsTarget(r: ZoneRecord, iz: IndexedZone, index: ZoneIndex, dnames: Set<string>, out: ZoneFinding[], complete: boolean): void {
  if (r.target === undefined || r.targetIndex === undefined) return;
  const tok = r.rdata[r.targetIndex];
  const target = r.target;
  const origin = iz.origin;
  const apex = r.owner === origin;
  if (looksLikeAddress(tok.text)) {
    const dotted = tok.text.endsWith('.');
    out.push(
      finding('zone-ns-target-ip', `an NS record names a host, not an address: ${tok.text} is read as the host name ${bare(target)}${dotted ? '' : ' (the origin is appended)'}; point it at a name that has an A record (RFC 1035 §3.3.11)`, r.file, tok.start, tok.end),
    );
  }
  if (!isAtOrBelow(target, origin)) return;
  const dname = belowDname(target, origin, dnames);
  if (dname) {
    out.push(
      finding(apex ? 'zone-apex-ns-below-dname' : 'zone-target-below-dname', `the name server ${bare(target)} is below the DNAME at ${bare(dname)}, so it cannot be resolved in this zone (RFC 6672 §2.3)${apex ? '; BIND refuses the zone' : ''}`, r.file, tok.start, tok.end),
    );
    return;
  }
  const cut = cutOf(target, iz);
  if (cut !== undefined) {
    // Below a delegation: glue. BIND wants it only for the delegation the target is inside.
    if (!apex && isAtOrBelow(target, r.owner) && complete && !hasAddress(target, iz, index)) {
      out.push(finding('zone-ns-no-glue', `the name server ${bare(target)} is inside the zone it serves (${bare(r.owner)}), so this zone must give its address: add A/AAAA glue for ${bare(target)} (RFC 1034 §4.2.1)`, r.file, tok.start, tok.end));
    }
    return;
  }
  const cname = index.recordsOfTypeIn(iz, target, 'CNAME')[0];
  if (cname) {
    const edit = cname.target ? targetEdit(r, cname.target) : undefined;
    const fix: ZoneFix | undefined = edit ? { description: `Point the NS record at ${bare(cname.target!)}`, edits: [edit] } : undefined;
    out.push(
      finding(apex ? 'zone-apex-ns-cname' : 'zone-ns-target-cname', `the name server ${bare(target)} is an alias (CNAME to ${bare(cname.target ?? '?')}); NS targets must be canonical names (RFC 2181 §10.3)${apex ? '; BIND refuses the zone' : ''}`, r.file, tok.start, tok.end, {
        ...(fix ? { fix } : {}),
        related: [{ file: cname.file, start: cname.start, end: cname.end, message: `${bare(target)} is a CNAME` }],
      }),
    );
    return;
  }
  if (!complete || hasAddress(target, iz, index)) return;
  if (apex) {
    out.push(
      finding('zone-apex-ns-no-address', `the name server ${bare(target)} of ${bare(origin)} is inside the zone but has no A or AAAA record${!index.exists(target) ? ' (the name does not exist)' : ''}: nobody could reach it; BIND refuses the zone`, r.file, tok.start, tok.end),
    );
  } else if (index.exists(target)) {
    // A name this zone holds but gives no address. A name it does not hold at all is left alone:
    // in a parent zone (or an excerpt of one) it is most often inside a child not in this file.
    out.push(finding('zone-target-no-address', `the NS target ${bare(target)} has no A or AAAA record in ${bare(origin)}`, r.file, tok.start, tok.end));
  }
}

/** MX and SRV targets: an address written as a name, a CNAME, no address (BIND warns about each). */
function mailTarget(r: ZoneRecord, iz: IndexedZone, index: ZoneIndex, dnames: Set<string>, out: ZoneFinding[], complete: boolean): void {
  if (r.target === undefined || r.targetIndex === undefined) return;
  const tok = r.rdata[r.targetIndex];
  // RFC 7505 null MX and RFC 2782 "." SRV target: no service, nothing to check.
  if (r.target === '.') return;
  if (r.type === 'MX' && looksLikeAddress(tok.text)) {
    const raw = tok.text.endsWith('.') ? tok.text.slice(0, -1) : tok.text;
    out.push(finding('zone-mx-target-ip', `an MX record names a host, not an address: ${raw} is read as the host name "${r.target}"; point it at a name that has an A record (RFC 5321 §5.1)`, r.file, tok.start, tok.end));
    return;
  }
  // The zone that answers for the target: this one, or another zone of the workspace.
  const zone = index.zoneFor(r.target);
  if (!zone) return;
  const dname = belowDname(r.target, zone.origin, zone === iz ? dnames : new Set());
  if (dname) {
    out.push(finding('zone-target-below-dname', `the ${r.type} target ${bare(r.target)} is below the DNAME at ${bare(dname)}: it is rewritten, never answered with an address (RFC 6672 §2.3)`, r.file, tok.start, tok.end));
    return;
  }
  const cname = index.recordsOfType(r.target, 'CNAME')[0];
  if (cname) {
    const chain = index.lookup(r.target, 'A');
    const final = chain.cnames.length > 0 ? chain.cnames[chain.cnames.length - 1].target : cname.target;
    const edit = final ? targetEdit(r, final) : undefined;
    const fix: ZoneFix | undefined = edit ? { description: `Point the ${r.type} record at ${bare(final!)}`, edits: [edit] } : undefined;
    out.push(
      finding(r.type === 'MX' ? 'zone-mx-target-cname' : 'zone-srv-target-cname', `the ${r.type} target ${bare(r.target)} is an alias (CNAME to ${bare(cname.target ?? '?')}); ${r.type} targets must be canonical names (${r.type === 'MX' ? 'RFC 2181 §10.3' : 'RFC 2782'})`, r.file, tok.start, tok.end, {
        ...(fix ? { fix } : {}),
        related: [{ file: cname.file, start: cname.start, end: cname.end, message: `${bare(r.target)} is a CNAME` }],
      }),
    );
    return;
  }
  if (!complete || hasAddress(r.target, zone, index)) return;
  out.push(finding('zone-target-no-address', `the ${r.type} target ${bare(r.target)} has no A or AAAA record in ${bare(zone.origin)}${!index.exists(r.target) ? ' (the name does not exist)' : ''}`, r.file, tok.start, tok.end));
}

// DKIM key records in zone files: TXT at `<selector>._domainkey.<domain>` (RFC 6376 §3.6.2.1),
// read with the key parser of src/core/dkim (parseDkimKey, on the record's strings), every range
// mapped back into the quoted strings. The records of an index are gathered once (index.derive), so
// the linter, the hover, the lens and the DMARC alignment rules share one reading.
import { parseDkimKey, type ParsedDkimKey } from '../dkim/key';
import { organizationalDomain } from '../dmarc/psl';
import { MAIL_SEVERITY_OVERRIDES } from './mailCodes';
import { deleters, holdsOwner, mailFinding, mailSeverity, rangeOf, rdataRange, textFix, type TxtSource, txtSource, unquotedSemicolon } from './mailTxt';
import { bare } from './names';
import { decodeCharString } from './rdata';
import type { ZoneFinding, ZoneFix, ZoneRecord } from './types';
import type { ZoneIndex } from './zoneIndex';

/** One TXT record at a selector's name, with its key record read. */
export interface DkimSource extends TxtSource {
  parsed: ParsedDkimKey;
  /** `s1` of `s1._domainkey.example.com.` (may have dots, RFC 6376 §3.1). */
  selector: string;
  /** The signing domain (d=), absolute: `example.com.`. */
  domain: string;
}

/** A key a signature of `domain` can be verified with: a key record, or a selector delegated by CNAME. */
export interface DkimKeyRef {
  domain: string;
  selector: string;
  record: ZoneRecord;
  /** A usable key record (not revoked, decodes), or a CNAME whose target the zone cannot see. */
  usable: boolean;
}

interface DkimView {
  sources: DkimSource[];
  byOwner: Map<string, DkimSource[]>;
  byFile: Map<string, DkimSource[]>;
  /** ADSP records (historic). */
  adsp: ZoneRecord[];
  /** Keys and CNAME-delegated selectors by the organizational domain of their d= (bare). */
  byOrg: Map<string, DkimKeyRef[]>;
  /** TXT records that read as a key record but are not at a selector's name. */
  misplaced: TxtSource[];
  /** Domains (absolute) and organizational domains (bare) with a usable key or a delegated selector. */
  usableDomains: Set<string>;
  usableOrgs: Set<string>;
}

/** `[selector, domain]` of a name with a `_domainkey` label below its first label, else undefined. */
export function selectorName(owner: string): [string, string] | undefined {
  const at = owner.indexOf('._domainkey.');
  if (at <= 0) return undefined;
  return [owner.slice(0, at), owner.slice(at + '._domainkey.'.length) || '.'];
}

const KEY_START = /^\s*v\s*=\s*DKIM1\s*(;|$)/i;

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const l = m.get(k);
  if (l) l.push(v);
  else m.set(k, [v]);
}

function makeView(index: ZoneIndex): DkimView {
  const view: DkimView = { sources: [], byOwner: new Map(), byFile: new Map(), adsp: [], byOrg: new Map(), misplaced: [], usableDomains: new Set(), usableOrgs: new Set() };
  // RFC 6376 §3.6.2.1 lets a selector be a CNAME (a mail provider's key): the record at its target is the key.
  const aliasOf = new Map<string, [string, string]>();
  for (const r of index.records()) {
    if (r.type !== 'CNAME' || !r.target || aliasOf.has(r.target)) continue;
    const names = selectorName(r.owner);
    if (names) aliasOf.set(r.target, names);
  }
  for (const r of index.records()) {
    if (r.generic || (r.type !== 'TXT' && r.type !== 'CNAME')) continue;
    const alias = r.type === 'TXT' ? aliasOf.get(r.owner) : undefined;
    if (alias) {
      // The provider's record: read as a key; the CNAME already counts as the domain's key.
      const s: DkimSource = { ...txtSource(r), parsed: parseDkimKey(r.rdata.map((t) => decodeCharString(t.text))), selector: alias[0], domain: alias[1] };
      view.sources.push(s);
      push(view.byOwner, r.owner, s);
      push(view.byFile, r.file, s);
      continue;
    }
    const names = selectorName(r.owner);
    if (!names) {
      // Only the start of the first string is looked at for records elsewhere: most TXT are not keys.
      if (r.type === 'TXT' && r.rdata.length > 0 && KEY_START.test(r.rdata[0].text.slice(0, 24))) view.misplaced.push(txtSource(r));
      continue;
    }
    const [selector, domain] = names;
    if (selector === '_adsp') {
      if (r.type === 'TXT') view.adsp.push(r);
      continue;
    }
    const org = organizationalDomain(bare(domain));
    if (r.type === 'CNAME') {
      push(view.byOrg, org, { domain, selector, record: r, usable: true });
      view.usableDomains.add(domain);
      view.usableOrgs.add(org);
      continue;
    }
    const j = txtSource(r);
    const parsed = parseDkimKey(r.rdata.map((t) => decodeCharString(t.text)));
    const s: DkimSource = { ...j, parsed, selector, domain };
    view.sources.push(s);
    push(view.byOwner, r.owner, s);
    push(view.byFile, r.file, s);
    const usable = parsed.usable && !parsed.revoked;
    push(view.byOrg, org, { domain, selector, record: r, usable });
    if (usable) {
      view.usableDomains.add(domain);
      view.usableOrgs.add(org);
    }
  }
  return view;
}

function dkimView(index: ZoneIndex): DkimView {
  return index.derive(makeView);
}

/** The key records (TXT at selector names) read from `file`. */
export function dkimSourcesIn(index: ZoneIndex, file: string): DkimSource[] {
  return dkimView(index).byFile.get(file) ?? [];
}

/** Keys and delegated selectors whose d= has this organizational domain (bare, lower case). */
export function dkimKeysOfOrg(index: ZoneIndex, org: string): DkimKeyRef[] {
  return dkimView(index).byOrg.get(org) ?? [];
}

/** A usable key (or a delegated selector) with d= exactly `domain` (absolute). */
export function hasUsableKey(index: ZoneIndex, domain: string): boolean {
  return dkimView(index).usableDomains.has(domain);
}

/** A usable key (or a delegated selector) with d= in this organizational domain (bare). */
export function hasUsableKeyInOrg(index: ZoneIndex, org: string): boolean {
  return dkimView(index).usableOrgs.has(org);
}

/** The parser's codes the zone linter leaves to others: a string over 255 octets is `zone-string-too-long` (BIND refuses it). */
const LEFT_OUT = new Set(['dkim-key-string-too-long']);

/** Every finding about DKIM key records of the zones in the index. */
export function lintDkimRecords(index: ZoneIndex): ZoneFinding[] {
  const out: ZoneFinding[] = [];
  const view = dkimView(index);
  const deleterOf = deleters(index);
  for (const s of view.sources) {
    const trap = unquotedSemicolon(index, s);
    if (trap) {
      out.push(trap);
      continue;
    }
    for (const p of s.parsed.problems) {
      if (LEFT_OUT.has(p.code)) continue;
      const fix = p.replacement !== undefined ? textFix(s, p.start, p.end, p.replacement, p.replacement === '' ? 'Remove the empty tag' : `Replace with ${p.replacement}`) : undefined;
      out.push(mailFinding(p.code, MAIL_SEVERITY_OVERRIDES[p.code] ?? mailSeverity(p.severity), p.message, s.record.file, rangeOf(s, p.start, p.end), fix ? { fix } : {}));
    }
  }
  for (const [owner, list] of view.byOwner) if (list.length > 1) multiple(owner, list, deleterOf, out);
  for (const r of view.adsp) {
    out.push(mailFinding('dkim-adsp', undefined, `${bare(r.owner)} is an ADSP record (RFC 5617): ADSP was moved to Historic in 2013 and receivers ignore it; DMARC (_dmarc) took its place. It can go`, r.file, rdataRange(r)));
  }
  for (const s of view.misplaced) misplaced(s, holdsOwner(index, s.record), out);
  return out;
}

/** RFC 6376 §3.6.2.2: with several TXT records at a selector, verifiers may use any one of them. */
function multiple(owner: string, list: DkimSource[], deleterOf: ReturnType<typeof deleters>, out: ZoneFinding[]): void {
  // Records with the same strings are one record to a server (it loads one copy): zone-duplicate-record says so.
  const distinct: DkimSource[] = [];
  const seen = new Set<string>();
  for (const s of list) {
    const key = s.record.rdata.map((t) => t.text).join('\0');
    if (!seen.has(key)) {
      seen.add(key);
      distinct.push(s);
    }
  }
  if (distinct.length < 2) return;
  const keeper = distinct.find((s) => s.parsed.usable && !s.parsed.revoked) ?? distinct[0];
  for (const s of distinct) {
    if (s === keeper) continue;
    const bothKeys = s.parsed.usable && !s.parsed.revoked;
    const fix: ZoneFix | undefined = bothKeys ? undefined : deleterOf(s.record)?.fix(s.record, 'Delete this record (the key record stays)');
    const why = bothKeys
      ? 'both are keys, so a signature made with one fails whenever a verifier picks the other: keep one key per selector (a new key goes under a new selector)'
      : 'this one is not a usable key, so a verifier that picks it fails every signature';
    out.push(
      mailFinding('dkim-key-multiple', undefined, `${bare(owner)} has ${distinct.length} different TXT records; verifiers may use any of them (RFC 6376 §3.6.2.2): ${why}`, s.record.file, rdataRange(s.record), {
        ...(fix ? { fix } : {}),
        related: [{ file: keeper.record.file, start: keeper.record.start, end: keeper.record.end, message: 'the key record at the same selector' }],
      }),
    );
  }
}

/** RFC 6376 §3.6.2.1: verifiers ask for `<selector>._domainkey.<domain>`, nothing else. */
function misplaced(s: TxtSource, held: boolean, out: ZoneFinding[]): void {
  const r = s.record;
  const t = r.ownerToken;
  let fix: ZoneFix | undefined;
  // The first label of the owner as written is the selector: `s1` → `s1._domainkey`. Not at the apex (no selector there).
  // Records after it that inherit its owner would move too: no fix then.
  if (t && !r.generated && !t.quoted && !held && r.owner !== r.origin && t.text !== '@' && !t.text.includes('\\')) {
    const dot = t.text.indexOf('.');
    const at = dot < 0 ? t.end : t.start + dot;
    const label = dot < 0 ? t.text : t.text.slice(0, dot);
    if (dot !== 0 && label.toLowerCase() !== '_domainkey') fix = { description: `Move it to ${t.text.slice(0, dot < 0 ? undefined : dot)}._domainkey${dot < 0 ? '' : t.text.slice(dot)}`, edits: [{ file: r.file, start: at, end: at, newText: '._domainkey' }] };
  }
  const name = bare(r.owner);
  out.push(
    mailFinding(
      'dkim-key-wrong-owner',
      undefined,
      `a DKIM key record at ${name}: verifiers look keys up at <selector>._domainkey.<domain> only (RFC 6376 §3.6.2.1), so none finds this one${r.owner === r.origin ? '. Publish it at <selector>._domainkey with the s= your signer uses' : ''}`,
      r.file,
      r.ownerToken ? [r.ownerToken.start, r.ownerToken.end] : rdataRange(r),
      fix ? { fix } : {},
    ),
  );
}

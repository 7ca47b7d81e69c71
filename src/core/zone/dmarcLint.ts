// DMARC records in zone files: TXT at `_dmarc.<domain>` (RFC 7489 §6.1), read with the DMARC parser
// of src/core/dmarc (parseDmarc, offsets mapped back into the quoted strings), and checked against
// the rest of the workspace's zones: can any mail From the domain pass (an SPF record or a DKIM key
// that aligns, §3.1), may the report addresses receive reports (§7.1, the `_report._dmarc` record in
// the report host's zone when the workspace holds it), and which policy a sending subdomain gets
// (sp, or np when it has no A, AAAA or MX, RFC 9091). The records are gathered once per index.
import { isDmarcRecord, parseDmarc } from '../dmarc/parse';
import { appliedPolicy, effectivePolicy } from '../dmarc/policy';
import { organizationalDomain, sameOrganization } from '../dmarc/psl';
import type { DmarcPolicy, DmarcUri, ParsedDmarc } from '../dmarc/types';
import type { ParsedSpf } from '../spf/types';
import { dkimKeysOfOrg, type DkimKeyRef, hasUsableKey, hasUsableKeyInOrg } from './dkimLint';
import { MAIL_SEVERITY_OVERRIDES } from './mailCodes';
import { deleters, firstLabel, holdsOwner, mailFinding, mailSeverity, rangeOf, rdataRange, textFix, type TxtSource, txtSource, unquotedSemicolon, withoutFirstLabel } from './mailTxt';
import { bare } from './names';
import { addRecordFix } from './recordEdit';
import { type SpfSource, spfSources } from './spfLint';
import type { ZoneFinding, ZoneFix, ZoneRecord } from './types';
import type { ZoneIndex } from './zoneIndex';

/** One TXT record at a `_dmarc` name that is, or tries to be, a DMARC record. */
export interface DmarcSource extends TxtSource {
  parsed: ParsedDmarc;
  /** The domain the policy is for, absolute: `example.com.` of `_dmarc.example.com.`. */
  domain: string;
  /** A record receivers reach through a CNAME at this `_dmarc` name (a DMARC service's record): its owner. */
  via?: string;
}

interface DmarcView {
  sources: DmarcSource[];
  /** DMARC records (v=DMARC1 first) by the domain they are for. */
  byDomain: Map<string, DmarcSource[]>;
  byFile: Map<string, DmarcSource[]>;
  /** TXT records at `_dmarc` names that are not DMARC at all (an SPF record put there). */
  others: TxtSource[];
  /** v=DMARC1 records that are not at a `_dmarc` name (nor a `_report._dmarc` authorization). */
  misplaced: TxtSource[];
  /** SPF records that authorize senders, by the organizational domain of their owner, and by owner. */
  sendersByOrg: Map<string, SpfSource[]>;
  sendersByOwner: Map<string, SpfSource[]>;
  /** Owners of any SPF record (`v=spf1 -all` included). */
  spfOwners: Set<string>;
}

/** Tags only DMARC has: a record at `_dmarc` with one of them is a DMARC record gone wrong. */
const DMARC_LIKE = /(^|;)\s*(v\s*=\s*dmarc|p|sp|np|rua|ruf|adkim|aspf|pct|fo)\s*=/i;

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const l = m.get(k);
  if (l) l.push(v);
  else m.set(k, [v]);
}

/** The `_report._dmarc` authorization records (RFC 7489 §7.1) are v=DMARC1 too, at `<domain>._report._dmarc.<host>`. */
function isAuthorizationName(owner: string): boolean {
  return owner.includes('._report._dmarc.');
}

/** SPF that lets some host pass: any mechanism but `all` that does not fail, `+all`, or a redirect. */
export function authorizesSenders(spf: ParsedSpf): boolean {
  return spf.terms.some((t) => (t.kind === 'mechanism' && !t.problem && (t.qualifier ?? '+') !== '-' && (t.name !== 'all' || (t.qualifier ?? '+') === '+')) || (t.kind === 'modifier' && t.name === 'redirect'));
}

function makeView(index: ZoneIndex): DmarcView {
  const view: DmarcView = { sources: [], byDomain: new Map(), byFile: new Map(), others: [], misplaced: [], sendersByOrg: new Map(), sendersByOwner: new Map(), spfOwners: new Set() };
  // RFC 7489 §6.6.3: a `_dmarc` name may be a CNAME; the record at its target is the policy (a DMARC service's).
  const aliasOf = new Map<string, string>();
  for (const r of index.records()) if (r.type === 'CNAME' && r.target && firstLabel(r.owner) === '_dmarc' && !aliasOf.has(r.target)) aliasOf.set(r.target, r.owner);
  for (const r of index.records()) {
    if (r.type !== 'TXT' || r.generic) continue;
    const via = aliasOf.get(r.owner);
    if (firstLabel(r.owner) !== '_dmarc' && via === undefined) {
      if (r.rdata.length > 0 && !isAuthorizationName(r.owner) && /^\s*v\s*=\s*dmarc1/i.test(r.rdata[0].text.slice(0, 24))) view.misplaced.push(txtSource(r));
      continue;
    }
    const j = txtSource(r);
    const parsed = parseDmarc(j.text);
    if (!parsed.isDmarc && (!DMARC_LIKE.test(j.text) || /^\s*v\s*=\s*(spf1|dkim1)/i.test(j.text))) {
      view.others.push(j);
      continue;
    }
    const s: DmarcSource = { ...j, parsed, domain: withoutFirstLabel(via ?? r.owner), ...(via !== undefined ? { via } : {}) };
    view.sources.push(s);
    push(view.byFile, r.file, s);
    // A service's record may stand for many domains: read and explained here, checked against none of them.
    if (parsed.isDmarc && via === undefined) push(view.byDomain, s.domain, s);
  }
  for (const s of spfSources(index)) {
    view.spfOwners.add(s.record.owner);
    if (!authorizesSenders(s.parsed)) continue;
    push(view.sendersByOrg, organizationalDomain(bare(s.record.owner)), s);
    push(view.sendersByOwner, s.record.owner, s);
  }
  return view;
}

function dmarcView(index: ZoneIndex): DmarcView {
  return index.derive(makeView);
}

/** The DMARC records (and records at `_dmarc` trying to be) read from `file`. */
export function dmarcSourcesIn(index: ZoneIndex, file: string): DmarcSource[] {
  return dmarcView(index).byFile.get(file) ?? [];
}

/** The one DMARC record receivers find at `_dmarc.<domain>` in the workspace; undefined with none or several. */
export function dmarcRecordOf(index: ZoneIndex, domain: string): DmarcSource | undefined {
  const list = distinct(dmarcView(index).byDomain.get(domain) ?? []);
  return list.length === 1 ? list[0] : undefined;
}

/** Records with the same strings are one record to a server (it loads one copy). */
function distinct<T extends TxtSource>(list: T[]): T[] {
  if (list.length < 2) return list;
  const seen = new Set<string>();
  return list.filter((s) => {
    const key = s.record.rdata.map((t) => t.text).join('\0');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** What the workspace says about mail From a DMARC record's domain passing: aligned SPF and DKIM (RFC 7489 §3.1). */
export interface AlignmentFacts {
  /** SPF records that authorize senders and align under aspf; null when the domain's zone is not in the workspace. */
  spf: SpfSource[] | null;
  /** SPF records that authorize senders but do not align under aspf=s (a bounce subdomain's). */
  spfUnaligned: SpfSource[];
  /** Keys (and CNAME-delegated selectors) that align under adkim; null when `_domainkey.<domain>` is not in the workspace. */
  dkim: DkimKeyRef[] | null;
}

export function alignmentFacts(s: DmarcSource, policy: DmarcPolicy, index: ZoneIndex): AlignmentFacts {
  const view = dmarcView(index);
  const d = bare(s.domain);
  const org = organizationalDomain(d);
  const senders = view.sendersByOrg.get(org) ?? [];
  const aligns = (name: string, mode: 'r' | 's') => (mode === 's' ? bare(name) === d : sameOrganization(bare(name), d));
  const spfIn = index.zoneFor(s.domain) !== undefined;
  const dkimIn = index.zoneFor(`_domainkey.${s.domain}`) !== undefined;
  return {
    spf: spfIn ? senders.filter((x) => aligns(x.record.owner, policy.aspf)) : null,
    spfUnaligned: senders.filter((x) => !aligns(x.record.owner, policy.aspf)),
    dkim: dkimIn ? dkimKeysOfOrg(index, org).filter((k) => k.usable && aligns(k.domain, policy.adkim)) : null,
  };
}

/** Every finding about DMARC records of the zones in the index. */
export function lintDmarcRecords(index: ZoneIndex): ZoneFinding[] {
  const out: ZoneFinding[] = [];
  const view = dmarcView(index);
  const deleterOf = deleters(index);
  for (const s of view.sources) {
    const trap = unquotedSemicolon(index, s);
    if (trap) {
      out.push(trap);
      continue;
    }
    problems(s, out);
  }
  for (const [domain, all] of view.byDomain) {
    const list = distinct(all);
    if (list.length > 1) {
      multiple(domain, list, deleterOf, out);
      continue;
    }
    const s = list[0];
    const policy = effectivePolicy(s.parsed);
    if (!policy) continue;
    subdomainSp(s, out);
    alignment(s, policy, index, out);
    for (const tag of s.parsed.tags) if ((tag.name === 'rua' || tag.name === 'ruf') && tag.uris) for (const u of tag.uris) if (u.valid && u.host) reportHost(s, u, index, out);
  }
  for (const j of view.others) {
    out.push(mailFinding('dmarc-other-txt', undefined, `this TXT record at ${bare(j.record.owner)} is not a DMARC record (it does not start with v=DMARC1): receivers discard it (RFC 7489 §6.6.3 step 2)`, j.record.file, rdataRange(j.record)));
  }
  for (const j of view.misplaced) misplaced(j, view, holdsOwner(index, j.record), out);
  subdomainPolicies(index, view, out);
  return out;
}

function problems(s: DmarcSource, out: ZoneFinding[]): void {
  const file = s.record.file;
  const tags = s.parsed.tags;
  const laterV = tags.find((t, i) => i > 0 && t.name === 'v');
  for (const p of s.parsed.problems) {
    let fix: ZoneFix | undefined;
    // A typo's fix only when unambiguous: renaming `ruee` to `rua` beside a `rua` would make a duplicate.
    const clash = p.code === 'dmarc-unknown-tag' && p.replacement !== undefined && tags.some((t) => t.name === p.replacement);
    if (p.replacement !== undefined && !clash) {
      fix = textFix(s, p.start, p.end, p.replacement, p.code === 'dmarc-missing-p' ? 'Add p=none after v=DMARC1' : p.code === 'dmarc-unknown-tag' ? `Rename it to ${p.replacement}=` : `Replace with ${p.replacement.trim() || JSON.stringify(p.replacement)}`);
    } else if (p.code === 'dmarc-not-dmarc' && tags.length > 0 && tags[0].name !== 'v') {
      fix = versionFirst(s, laterV);
    }
    // A stronger policy is the owner's decision: offered, never applied by "fix all" (or on save).
    const extra = !fix ? {} : POLICY_CHANGES.has(p.code) ? { alternatives: [fix] } : { fix };
    out.push(mailFinding(p.code, MAIL_SEVERITY_OVERRIDES[p.code] ?? mailSeverity(p.severity), p.message, file, rangeOf(s, p.start, p.end), extra));
  }
}

/** Fixes that make the policy stricter (pct=100, sp= as p): they can stop legitimate mail that still fails. */
const POLICY_CHANGES = new Set(['dmarc-pct', 'dmarc-sp-none']);

/** RFC 7489 §6.3: v=DMARC1 first. Inserted at the start; a v= written later moves there. */
function versionFirst(s: DmarcSource, laterV: ParsedDmarc['tags'][number] | undefined): ZoneFix | undefined {
  const first = s.parsed.tags[0];
  const insert = textFix(s, first.start, first.start, 'v=DMARC1; ', '');
  if (!insert) return undefined;
  if (!laterV) return { description: 'Add v=DMARC1 first', edits: insert.edits };
  // Delete `; v=DMARC1` from where it was: from the end of the tag before it.
  const before = s.parsed.tags[laterV.index - 1];
  const remove = textFix(s, before.end, laterV.end, '', '');
  if (!remove) return undefined;
  return { description: 'Move v=DMARC1 to the start', edits: [...insert.edits, ...remove.edits] };
}

/** RFC 7489 §6.6.3 step 5: with more than one DMARC record at the name, receivers apply none. */
function multiple(domain: string, list: DmarcSource[], deleterOf: ReturnType<typeof deleters>, out: ZoneFinding[]): void {
  const keeper = list.find((s) => s.parsed.usable) ?? list[0];
  for (const s of list) {
    if (s === keeper) continue;
    const fix = deleterOf(s.record)?.fix(s.record, `Delete this record (keep "${keeper.text.length > 60 ? keeper.text.slice(0, 57) + '…' : keeper.text}")`);
    out.push(
      mailFinding('dmarc-multiple', undefined, `_dmarc.${bare(domain)} has ${list.length} different DMARC records: receivers then apply no DMARC policy at all (RFC 7489 §6.6.3 step 5). Keep one`, s.record.file, rdataRange(s.record), {
        ...(fix ? { fix } : {}),
        related: [{ file: keeper.record.file, start: keeper.record.start, end: keeper.record.end, message: 'the other DMARC record' }],
      }),
    );
  }
}

/** `sp=` counts only in an organizational domain's record: receivers look up no other for a subdomain (RFC 7489 §6.6.3). */
function subdomainSp(s: DmarcSource, out: ZoneFinding[]): void {
  const d = bare(s.domain);
  const org = organizationalDomain(d);
  const sp = s.parsed.tags.find((t) => t.name === 'sp');
  if (!sp || org === d) return;
  out.push(mailFinding('dmarc-sp-ignored', undefined, `sp= in the record of ${d} does nothing: receivers look for a subdomain's policy at its own _dmarc name and then at the organizational domain's (_dmarc.${org}), never here (RFC 7489 §6.6.3)`, s.record.file, rangeOf(s, sp.start, sp.end)));
}

/** RFC 7489 §3.1, §6.6.2: DMARC passes only with SPF or DKIM aligned with the From domain. */
function alignment(s: DmarcSource, policy: DmarcPolicy, index: ZoneIndex, out: ZoneFinding[]): void {
  if ((policy.p !== 'quarantine' && policy.p !== 'reject') || policy.pct === 0) return;
  // A domain's zone (or its _domainkey part) elsewhere: nothing can be said from these files.
  if (index.zoneFor(s.domain) === undefined || index.zoneFor(`_domainkey.${s.domain}`) === undefined) return;
  const view = dmarcView(index);
  const d = bare(s.domain);
  const org = organizationalDomain(d);
  // Each question answered from maps made once: one per DMARC record, whatever the number of SPF records and keys.
  const spfSeen = (policy.aspf === 's' ? view.sendersByOwner.get(s.domain) : view.sendersByOrg.get(org))?.length ?? 0;
  const dkimSeen = policy.adkim === 's' ? hasUsableKey(index, s.domain) : hasUsableKeyInOrg(index, org);
  const p = s.parsed.tags.find((t) => t.name === 'p');
  const range = p ? rangeOf(s, p.start, p.end) : rdataRange(s.record);
  if (spfSeen === 0 && !dkimSeen) {
    // `v=spf1 -all` with p=reject: a domain that sends no mail, set up right.
    if (view.spfOwners.has(s.domain)) return;
    const others = policy.aspf === 's' ? (view.sendersByOrg.get(org) ?? []).slice(0, 3).map((x) => bare(x.record.owner)) : [];
    const unaligned = others.length > 0 ? ` (aspf=s: the SPF of ${[...new Set(others)].join(', ')} does not align)` : '';
    out.push(
      mailFinding(
        'dmarc-no-aligned-auth',
        undefined,
        `p=${policy.p}, but the zones here publish no SPF record that authorizes senders for ${d}${unaligned} and no DKIM key under _domainkey.${d}${policy.adkim === 'r' ? ' or a name of its organization' : ''}: no mail From ${d} can pass DMARC, so receivers ${policy.p === 'reject' ? 'reject' : 'quarantine'} all of it (RFC 7489 §6.6.2). Publish SPF for your servers and your signer's DKIM key, or use p=none until they are in place`,
        s.record.file,
        range,
      ),
    );
  } else if (!dkimSeen) {
    out.push(
      mailFinding(
        'dmarc-spf-only',
        undefined,
        `p=${policy.p} rests on SPF alone: no DKIM key for ${d} is in the zones here. Forwarded mail and mailing lists break SPF (the forwarder's address is checked), and without an aligned DKIM signature that mail fails DMARC (RFC 7489 §4.2). Sign with DKIM and publish the key at <selector>._domainkey.${d}`,
        s.record.file,
        range,
      ),
    );
  }
}

/** RFC 7489 §7.1: reports to another organization need its `<domain>._report._dmarc.<host>` consent; §6.2: and a mailbox that can receive. */
function reportHost(s: DmarcSource, u: DmarcUri, index: ZoneIndex, out: ZoneFinding[]): void {
  const d = bare(s.domain);
  const host = u.host!;
  const range = rangeOf(s, u.start, u.end);
  const file = s.record.file;
  if (u.scheme === 'mailto') deliverable(host, range, file, index, out);
  if (sameOrganization(host, d)) return;
  const name = `${d}._report._dmarc.${host}.`;
  const zone = index.zoneFor(name);
  if (!zone) {
    out.push(mailFinding('dmarc-report-external', undefined, `reports to ${u.address ?? host} go to another organization: receivers send them only when ${host} publishes ${name} TXT "v=DMARC1" (RFC 7489 §7.1). ${host}'s zone is not in the workspace; Check DMARC looks the record up`, file, range));
    return;
  }
  const found = index.lookup(name, 'TXT');
  let records: ZoneRecord[] = found.status === 'found' ? found.records : [];
  // RFC 7489 §7.1: a report receiver may consent for every domain with a wildcard.
  if (found.status === 'nxdomain') records = index.recordsOfType(`*._report._dmarc.${host}.`, 'TXT');
  if (found.status === 'outside') return;
  if (records.some((r) => isDmarcRecord(txtSource(r).text))) return;
  // Written as the zone writes its records, beside its neighbours (recordEdit.ts).
  const fix = addRecordFix(index, { owner: name, type: 'TXT', data: '"v=DMARC1"' }, `Add ${name} TXT "v=DMARC1" to ${host}'s zone`);
  out.push(
    mailFinding('dmarc-report-unauthorized', undefined, `reports to ${u.address ?? host} go to another organization, and its zone (${bare(zone.origin)}, in the workspace) has no ${name} TXT "v=DMARC1": receivers send these reports nowhere (RFC 7489 §7.1)`, file, range, fix ? { fix } : {}),
  );
}

/** RFC 5321 §5.1: mail goes to the MX, else the address; RFC 7505: a null MX takes none. */
function deliverable(host: string, range: [number, number], file: string, index: ZoneIndex, out: ZoneFinding[]): void {
  const name = `${host}.`;
  const mx = index.lookup(name, 'MX');
  if (mx.status === 'outside') return;
  if (mx.status === 'found') {
    if (mx.records.length === 1 && mx.records[0].target === '.') {
      out.push(mailFinding('dmarc-report-no-mx', undefined, `${host} has a null MX (RFC 7505): it takes no mail, so reports to it bounce`, file, range, { related: [{ file: mx.records[0].file, start: mx.records[0].start, end: mx.records[0].end, message: 'the null MX' }] }));
    }
    return;
  }
  if (index.lookup(name, 'A').status === 'found' || index.lookup(name, 'AAAA').status === 'found') return;
  out.push(mailFinding('dmarc-report-no-mx', undefined, `${host} has no MX and no A or AAAA record in its zone: reports to it cannot be delivered (RFC 5321 §5.1)`, file, range));
}

/** RFC 7489 §6.1: the policy is at `_dmarc.<domain>`; a v=DMARC1 record anywhere else is never found. */
function misplaced(j: TxtSource, view: DmarcView, held: boolean, out: ZoneFinding[]): void {
  const r = j.record;
  const t = r.ownerToken;
  const target = `_dmarc.${r.owner}`;
  let fix: ZoneFix | undefined;
  // With a record already at the right name, moving this one there would make two; with records after it
  // that inherit its owner, they would move too.
  if (t && !r.generated && !t.quoted && !held && !view.byDomain.has(r.owner)) {
    const newText = t.text === '@' ? '_dmarc' : `_dmarc.${t.text}`;
    fix = { description: `Move it to ${bare(target)}`, edits: [{ file: r.file, start: t.start, end: t.end, newText }] };
  }
  out.push(mailFinding('dmarc-wrong-owner', undefined, `a DMARC record at ${bare(r.owner)}: receivers look for the policy of ${bare(r.owner)} at ${bare(target)} only (RFC 7489 §6.1), so this one is never found`, r.file, t ? [t.start, t.end] : rdataRange(r), fix ? { fix } : {}));
}

/**
 * RFC 7489 §6.6.3, RFC 9091 §4: a subdomain without its own DMARC record gets the organizational
 * domain's sp (else p), or np when it does not exist for DMARC (no A, AAAA or MX). Said at each
 * subdomain whose SPF authorizes senders, when the organizational domain's record is in the workspace.
 */
function subdomainPolicies(index: ZoneIndex, view: DmarcView, out: ZoneFinding[]): void {
  for (const [org, senders] of view.sendersByOrg) {
    const orgRecord = dmarcRecordOf(index, `${org}.`);
    const policy = orgRecord ? effectivePolicy(orgRecord.parsed) : null;
    if (!orgRecord || !policy) continue;
    const said = new Set<string>();
    for (const spf of senders) {
      const owner = spf.record.owner;
      const sub = bare(owner);
      if (sub === org || said.has(owner) || view.byDomain.has(owner)) continue;
      said.add(owner);
      const exists = ['A', 'AAAA', 'MX'].some((type) => index.lookup(owner, type).status === 'found');
      const applied = appliedPolicy(policy, sub, org, exists);
      if (!applied) continue;
      const missing = !exists ? ` ${sub} has no A, AAAA or MX record, so DMARC counts it as non-existent (RFC 9091 §2.1).` : '';
      const spNote = applied.tag === 'p' && exists ? ` Add sp= to _dmarc.${org} to give subdomains a policy of their own.` : '';
      const r = spf.record;
      out.push(
        mailFinding('dmarc-subdomain-policy', undefined, `mail From ${sub} gets ${applied.tag}=${applied.value} from _dmarc.${org}: ${applied.why}.${missing}${spNote}`, r.file, rangeOf(spf, 0, Math.min(6, spf.text.length)), {
          related: [{ file: orgRecord.record.file, start: orgRecord.record.start, end: orgRecord.record.end, message: `the DMARC record of ${org}` }],
        }),
      );
    }
  }
}

// After a fix is put into the zone files: the zones as they would load with the edits, and the
// same check run against them (zoneIndexResolver) before anything is published; then what is left
// to do outside the workspace — publishing the zone, or asking whoever holds the record's zone.
import { statusOf, type CheckResult } from '../checks';
import { checkDkimKey } from '../dkim/check';
import { checkDmarc } from '../dmarc/check';
import { checkMailServer } from '../mailcheck/check';
import { checkHelo } from '../helo/check';
import { checkMx } from '../mx/check';
import { checkRdns } from '../rdns/check';
import { checkHost } from '../spf/check';
import { sendAs } from '../spf/sendas';
import type { RdnsResult } from '../rdns/types';
import type { Resolver } from '../dns/types';
import type { Fix } from '../model';
import { applyEdits } from './edits';
import { zoneIndexResolver } from './indexResolver';
import { bare } from './names';
import { parseZone, type ParsedZone } from './parser';
import { planRecordEdit, type PlanOutcome, type RecordChange, type RecordEditPlan } from './recordEdit';
import type { TextEdit } from './types';
import { ZoneIndex } from './zoneIndex';

/** The record change a report's fix asks for, when it names one completely (no placeholder). */
export function changeForFix(fix: Fix): RecordChange | undefined {
  if (!fix.owner || !fix.type || !fix.proposed || fix.proposed.includes('<')) return undefined;
  const type = fix.type.toUpperCase();
  // With `current` (the name has other addresses of the family): the RRset becomes the one address.
  if (type === 'A' || type === 'AAAA') return { op: fix.current === undefined ? 'add' : 'set', owner: fix.owner, type, data: fix.proposed };
  if (type === 'PTR' || type === 'CNAME') return { op: 'set', owner: fix.owner, type, data: `${bare(fix.proposed)}.` };
  // TXT and MX: the one record the fix names changes (others at the name stay); none named, one more.
  if (type === 'TXT' || type === 'MX') {
    const data = type === 'MX' ? withDot(fix.proposed) : fix.proposed;
    if (fix.current === undefined) return { op: 'add', owner: fix.owner, type, data };
    if (type === 'MX' && fix.current.includes(',')) return undefined;
    return { op: 'set', owner: fix.owner, type, data, current: type === 'MX' ? withDot(fix.current) : fix.current };
  }
  return undefined;
}

/** `10 mail.example.net` → `10 mail.example.net.` */
function withDot(mx: string): string {
  const [pref, name] = mx.trim().split(/\s+/);
  return `${pref} ${bare(name ?? '')}.`;
}

/** Plans a report's fix against the workspace's zones. */
export function planFix(index: ZoneIndex, fix: Fix, now: Date): PlanOutcome | undefined {
  const change = changeForFix(fix);
  return change ? planRecordEdit(index, change, { now }) : undefined;
}

/** The zones as the server would load them with `edits` applied (the files themselves untouched). */
export function zonesWithEdits(zones: readonly ParsedZone[], edits: readonly TextEdit[]): ParsedZone[] {
  const byFile = new Map<string, TextEdit[]>();
  for (const e of edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
  return zones.map((z) => {
    if (![...byFile.keys()].some((f) => z.sources.has(f))) return z;
    const text = (f: string) => {
      const src = z.sources.get(f)?.text;
      const own = byFile.get(f);
      return src !== undefined && own ? applyEdits(src, own) : src;
    };
    const reparsed = parseZone(text(z.file), {
      file: z.file,
      ...(z.origin ? { origin: z.origin } : {}),
      reader: {
        read: (f) => text(f),
        // The file each `$INCLUDE` line read before: the same line reads the same file now.
        resolve: (from, target) => {
          const src = z.sources.get(from)?.text ?? '';
          return z.includes.find((inc) => inc.from === from && src.slice(inc.start, inc.end).includes(target))?.file ?? target;
        },
      },
    });
    if (z.originSource !== undefined) reparsed.originSource = z.originSource;
    return reparsed;
  });
}

export interface RdnsRecheck {
  /** The rDNS check of the same address against the edited zones (live DNS for names outside them). */
  result: RdnsResult;
  /** iprev passes against the edited zones. */
  fixed: boolean;
  /** One sentence: how the re-check came out. */
  summary: string;
  /** What is left to do outside the workspace, in order. */
  remaining: string[];
}

export interface RecheckOptions {
  /** Live DNS, for names no zone of the workspace holds. Without one those are REFUSED. */
  outside?: Resolver;
  signal?: AbortSignal;
  /** The zones before the edit (for how long caches keep the old answer); default: `zones`. */
  before?: readonly ParsedZone[];
  /** A combined check's row the fix was for (`spf-from`, `helo` …): fixed when that row passes again. */
  row?: string;
}

/** Runs the rDNS check of `ip` against the zones with the plan's edits applied. */
export async function recheckRdns(ip: string, zones: readonly ParsedZone[], edits: readonly TextEdit[], options: RecheckOptions = {}): Promise<RdnsRecheck> {
  const after = zonesWithEdits(zones, edits);
  const index = new ZoneIndex(after);
  const result = await checkRdns(ip, { resolver: zoneIndexResolver(index, options.outside), ...(options.signal ? { signal: options.signal } : {}) });
  const fixed = result.fcrdns === 'pass';
  const owner = result.chain[0] ? `${result.reverseName}` : result.reverseName;
  const ptrZone = index.zoneFor(`${bare(ptrOwnerOf(result))}.`);
  const summary = fixed
    ? `Fixed in the edited zones: ${ip} → ${result.confirmed[0]} → ${ip} (iprev pass), before anything is published.`
    : `Not fixed yet in the edited zones: iprev ${result.fcrdns}. ${result.findings.find((f) => f.severity === 'error')?.message ?? ''}`.trim();
  const ttl = result.chain[0]?.ttl;
  const remaining = ptrZone ? publishSteps(bare(ptrZone.origin), owner, ttl === undefined ? 'its TTL in' : `${ttl}`, ttl === undefined ? '' : ' (its TTL)') : [];
  return { result, fixed, summary, remaining };
}

/** Publishing the edited zone, and how long caches may still give the old answer. */
function publishSteps(zone: string, owner: string, seconds: string, why: string): string[] {
  return [
    `Publish the zone ${zone}: save the file, deploy it to the zone's primary server and reload it (BIND: rndc reload ${zone}); secondaries follow the new serial.`,
    `Resolvers that cached the old answer for ${owner} may give it for up to ${seconds} seconds more${why}; then run the check live again.`,
  ];
}

/** A check of any kind run again against the edited zones. */
export interface Recheck {
  result: CheckResult;
  /** The problem the applied fix was for is gone there. */
  fixed: boolean;
  summary: string;
  remaining: string[];
}

/**
 * How long resolvers may still serve the old answer at `owner`/`type`: the TTL of the records the
 * zone had there, or, when it had none, the negative-caching TTL (RFC 2308 §5: the SOA's TTL or
 * its MINIMUM field, whichever is less).
 */
export function oldAnswerTtl(index: ZoneIndex, owner: string, type: string): { seconds: number; why: string } | undefined {
  const old = index.recordsOfType(owner, type);
  if (old.length > 0) return { seconds: Math.max(...old.map((r) => r.ttl)), why: ' (its TTL)' };
  const zone = index.zoneFor(owner);
  const soa = zone ? index.recordsOfType(zone.origin, 'SOA')[0] : undefined;
  const minimum = soa ? Number(soa.rdata[6]?.text) : NaN;
  if (!soa || !Number.isFinite(minimum)) return undefined;
  return { seconds: Math.min(soa.ttl, minimum), why: ' (no record there before: the zone\'s negative-caching TTL, RFC 2308 §5)' };
}

/**
 * Runs `before`'s check again against `zones` with `plan` applied (the in-editor zones; live DNS
 * through `outside` for names they do not hold) and says whether the finding `code` the fix was
 * for is gone (for a combined check's row, `options.row`: that the row passes). rDNS, send-as, SPF,
 * DMARC, MX, HELO, DKIM and the combined mail-server check; undefined for other kinds.
 */
export async function recheckAgainstZones(
  before: CheckResult,
  code: string,
  plan: RecordEditPlan,
  type: string,
  zones: readonly ParsedZone[],
  options: RecheckOptions = {},
): Promise<Recheck | undefined> {
  if (before.kind === 'rdns') return recheckRdns(before.ip, zones, plan.edits, options);
  const index = new ZoneIndex(zonesWithEdits(zones, plan.edits));
  const resolver = zoneIndexResolver(index, options.outside);
  const result = await rerunCheck(before, resolver, options.signal);
  if (!result) return undefined;
  let fixed: boolean;
  let what: string;
  switch (result.kind) {
    case 'send-as':
      fixed = result.authorized === true;
      what = `${result.fromDomain}'s SPF gives ${result.spf.result} for ${result.ip}`;
      break;
    case 'spf':
      fixed = result.result === 'pass';
      what = `SPF of ${result.domain} gives ${result.result} for ${result.ip}`;
      break;
    case 'dmarc':
      fixed = !result.findings.some((f) => f.code === code);
      what = `DMARC of ${result.domain}: ${result.verdict}`;
      break;
    case 'mx':
      fixed = !result.findings.some((f) => f.code === code);
      what = `MX of ${result.domain}: ${statusOf(result)}`;
      break;
    case 'helo':
      fixed = !result.findings.some((f) => f.code === code);
      what = `HELO ${result.name}: ${statusOf(result)}`;
      break;
    case 'dkim':
      fixed = !result.findings.some((f) => f.code === code);
      what = `DKIM key ${result.name}: ${statusOf(result)}`;
      break;
    case 'mailcheck': {
      // A row's fix: that row passes now. A finding's: no row has that finding any more.
      const row = options.row === undefined ? undefined : result.rows.find((r) => r.id === options.row);
      if (options.row !== undefined) {
        // The row's fix came from one of its findings: that finding is gone. Else: the row passes.
        fixed = row !== undefined && (code !== '' ? !row.findings.some((f) => f.code === code) : row.status === 'pass' || row.status === 'info');
        what = row ? `${row.title}: ${row.status} (${row.summary})` : `the ${options.row} row is gone`;
      } else {
        fixed = !result.rows.some((r) => r.findings.some((f) => f.code === code));
        what = `mail server check: ${result.rows.map((r) => `${r.id} ${r.status}`).join(', ')}`;
      }
      break;
    }
    default:
      return undefined;
  }
  const findings = result.kind === 'mailcheck' ? result.rows.flatMap((r) => (options.row === undefined || r.id === options.row ? r.findings : [])) : result.findings;
  const left = code === '' ? undefined : findings.find((f) => f.code === code);
  const summary = fixed
    ? `Fixed in the edited zones: ${what}${code ? ` (${code} is gone)` : ''}, before anything is published.`
    : `Not fixed yet in the edited zones: ${what}.${left ? ` ${left.message}` : ''}`;
  const old = oldAnswerTtl(new ZoneIndex([...(options.before ?? zones)]), plan.owner, type);
  const remaining = publishSteps(bare(plan.zone), bare(plan.owner), old ? `${old.seconds}` : 'its TTL in', old?.why ?? '');
  return { result, fixed, summary, remaining };
}

/**
 * The same check as `before`, with the same inputs, asked of `resolver` (the edited zones, or live
 * DNS for "Check live again"). The kinds of RERUN_KINDS (checks.ts); undefined for other kinds. The
 * combined check runs its DNS checks again; its SMTP probe (a connection, not DNS) is not repeated.
 */
export async function rerunCheck(before: CheckResult, resolver: Resolver, signal?: AbortSignal): Promise<CheckResult | undefined> {
  const s = signal ? { signal } : {};
  switch (before.kind) {
    case 'rdns':
      return checkRdns(before.ip, { resolver, ...s });
    case 'send-as':
      return sendAs(before.ip, before.fromDomain, { resolver, ...s });
    case 'spf':
      return checkHost({ ip: before.ip, domain: before.domain, sender: before.sender, identity: before.identity, ...(before.helo ? { helo: before.helo } : {}) }, { resolver, ...s });
    case 'dmarc':
      return checkDmarc(before.domain, { resolver, ...s });
    case 'mx':
      return checkMx(before.domain, { resolver, ...s });
    case 'helo':
      return checkHelo(before.name, { resolver, ...(before.ip ? { ip: before.ip } : {}), ...s });
    case 'dkim':
      return checkDkimKey(before.selector, before.domain, { resolver, ...s });
    case 'mailcheck':
      return checkMailServer(
        { ip: before.ip, helo: before.heloName, fromDomain: before.fromDomain, ...(before.dkimSelector ? { dkimSelector: before.dkimSelector } : {}) },
        { resolver, dnsblZones: before.results.dnsbl.zones.map((z) => z.zone), ...(before.results.spf ? {} : { spf: false }), ...s },
      );
    default:
      return undefined;
  }
}

function ptrOwnerOf(r: RdnsResult): string {
  const s = r.chain[0];
  if (!s) return r.reverseName;
  return s.cnames.length > 0 ? s.cnames[s.cnames.length - 1].target : s.query;
}

/**
 * The result with a request on each PTR fix whose record lives outside the workspace's zones
 * (planFix says `outside`): whom to ask — the RNAME of the zone's SOA, from `resolver` — and what
 * to write. A fix without a concrete name gets none (there is nothing to ask for yet).
 */
export async function withPtrRequests(result: RdnsResult, index: ZoneIndex, now: Date, resolver?: Resolver, signal?: AbortSignal): Promise<RdnsResult> {
  let changed = false;
  const findings = await Promise.all(
    result.findings.map(async (f) => {
      const fix = f.fix;
      if (!fix || fix.type !== 'PTR' || !fix.owner || !fix.proposed || fix.applyTo) return f;
      const planned = planFix(index, fix, now);
      if (!planned || planned.ok || !planned.outside) return f;
      let rname: string | undefined;
      if (resolver && fix.zone) {
        const r = await resolver.query(fix.zone, 'SOA', signal ? { signal } : {});
        const soa = r.answers.find((a) => a.type === 'SOA');
        rname = soa && typeof soa.data === 'object' && soa.data !== null ? (soa.data as { rname?: string }).rname : undefined;
      }
      changed = true;
      return { ...f, fix: { ...fix, request: ptrRequest(result.ip, fix.owner, fix.proposed, fix.proposedFrom, fix.zone, rname) } };
    }),
  );
  return changed ? { ...result, findings } : result;
}

/**
 * When the PTR lives in a zone the workspace does not hold (the ISP's): whom to ask (the zone's
 * SOA RNAME as an address, RFC 1035 §3.3.13) and the text of the request.
 */
export function ptrRequest(ip: string, ptrOwner: string, name: string, nameSource: string | undefined, zone: string | undefined, rname: string | undefined): { to: string; text: string } {
  const to = rname ? rnameToAddress(rname) : `the holder of ${zone ? `the zone ${bare(zone)}` : `the address block of ${ip}`} (your ISP or hosting provider: their support or "reverse DNS" setting)`;
  const text =
    `Hello,\n\nplease set the reverse DNS (PTR) of ${ip} to ${bare(name)}:\n\n` +
    `    ${bare(ptrOwner)}. IN PTR ${bare(name)}.\n\n` +
    `${bare(name)} already resolves to ${ip}${nameSource ? ` (${nameSource})` : ''}, so the PTR will be forward-confirmed (FCrDNS, RFC 8601 §3 iprev), ` +
    `which receiving mail servers check.\n\nThank you.`;
  return { to, text };
}

/** `hostmaster.example.net` → `hostmaster@example.net` (an escaped dot stays in the local part). */
export function rnameToAddress(rname: string): string {
  const n = bare(rname);
  for (let i = 0; i < n.length; i++) {
    if (n[i] === '\\') {
      i++;
      continue;
    }
    if (n[i] === '.') return `${n.slice(0, i).replace(/\\\./g, '.')}@${n.slice(i + 1)}`;
  }
  return n;
}

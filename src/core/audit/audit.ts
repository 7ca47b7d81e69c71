// Auditing an address range: the PTR and forward confirmation (RFC 8601 §3 iprev) of every address
// of a block, as a stream of plain rows, for the admin who holds a /24 or a /16 and must know which
// addresses have no PTR, a generic one, or one that does not resolve back.
//
// Each address is checked by checkRdns itself, cut to what receivers look at (two hops: the PTR
// and the addresses of its names in the address's own family) and without the zone lookups behind fixes; its verdict, generic-
// name detection and findings are the rDNS check's own. Rows come out as their checks finish (not
// in address order), never more than `concurrency` checks at once, and nothing of a finished row
// is kept: memory is the window in flight plus the resolver's bounded cache, however long the run.
import { setMaxListeners } from 'node:events';
import { withRate } from '../dns/rate';
import type { Resolver } from '../dns/types';
import { abortError } from '../dns/types';
import { csvRow } from '../escape';
import { parseIp } from '../ip';
import type { Finding, IprevResult, Rcode, Severity } from '../model';
import { checkRdns } from '../rdns/check';
import { genericNameReason } from '../rdns/names';
import type { RdnsResult } from '../rdns/types';

export interface AuditRow {
  ip: string;
  /** PTR names, lower case, no trailing dot (at most LIMITS.rdnsAnswersPerStep). */
  ptr: string[];
  /** RFC 8601 iprev. */
  iprev: IprevResult;
  /** The first PTR name that resolves back to the address; '' when none does. */
  confirmed: string;
  /** Why the first generic-looking PTR name looks generic (genericNameReason); '' when none does. */
  generic: string;
  /** The PTR lookup's rcode (NOERROR, NXDOMAIN, SERVFAIL, TIMEOUT, …). */
  rcode: Rcode;
  /** The worst of the rDNS check's findings for the receivers' step (errors first, then warnings). */
  finding: { code: string; severity: Severity; message: string };
  /** Every finding code, worst first. */
  codes: string[];
}

/**
 * The resolver options of an audit (the CLI's and the editor's): one pool of pipelined UDP sockets,
 * and a small cache bounded by size. An audit asks each address's names once (the benchmark's /16:
 * not one cache hit in 7,376 questions of a /20), so the cache only serves names many addresses
 * share (one mail host behind a whole block), which stay in it because they are used; 1 MiB keeps
 * the last ~1,200 answers. A bigger cache holds nothing more of use, and costs more than its size:
 * its answers live long enough for V8 to move them to the old generation, which grows to a few
 * times what is live there before it is collected (docs/benchmarks.md, the audit's memory).
 */
export const AUDIT_RESOLVER_OPTIONS = { udpSockets: 4, maxCacheBytes: 1024 * 1024 } as const;

export interface AuditOptions {
  resolver: Resolver;
  /** Addresses checked at once (default 32). */
  concurrency?: number;
  /** DNS lookups a second at most; 0 or absent: no limit (the CLI has a polite default). */
  rate?: number;
  signal?: AbortSignal;
  /** After each row: rows done, and checks still in flight. */
  onProgress?: (p: { done: number; inFlight: number; ip: string }) => void;
  /** An input line that is not an address: skipped, reported here. */
  onInvalid?: (text: string, error: string) => void;
}

/**
 * Left out of rows: findings about the chain past the receivers' step (an audit walks two hops, so
 * these say nothing), and the special-purpose note, the same for a whole block (said once instead).
 */
const BEYOND_RECEIVERS = new Set(['ip-special-purpose', 'chain-bound', 'chain-loop', 'chain-hop-mismatch', 'chain-fanout', 'chain-lookup-budget']);
const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** The row of one address from its rDNS check. */
export function auditRowOf(r: RdnsResult): AuditRow {
  const findings: Finding[] = r.findings.filter((f) => !BEYOND_RECEIVERS.has(f.code));
  // Stable: among equals, the check's own order (the PTR step's findings before the names').
  const ordered = findings.map((f, i) => ({ f, i })).sort((a, b) => RANK[a.f.severity] - RANK[b.f.severity] || a.i - b.i).map((x) => x.f);
  const worst = ordered[0] ?? { code: `iprev-${r.fcrdns}`, severity: r.fcrdns === 'pass' ? 'info' : 'error', message: `iprev ${r.fcrdns}` };
  let generic = '';
  for (const n of r.ptr) {
    const reason = genericNameReason(n, r.ip);
    if (reason) {
      generic = `${n}: ${reason}`;
      break;
    }
  }
  return {
    ip: r.ip,
    ptr: r.ptr,
    iprev: r.fcrdns,
    confirmed: r.confirmed[0] ?? '',
    generic,
    rcode: r.chain[0]?.rcode ?? 'NOERROR',
    finding: { code: worst.code, severity: worst.severity, message: worst.message },
    codes: ordered.map((f) => f.code),
  };
}

/** Checks one address as the audit does: the receivers' two hops, no zone lookups. */
export async function auditOne(ip: string, resolver: Resolver, signal?: AbortSignal): Promise<AuditRow> {
  return auditRowOf(await checkRdns(ip, { resolver, maxSteps: 2, zoneLookups: false, sameFamilyOnly: true, signal }));
}

/**
 * Every address of `source` (addresses as text: a block's `rangeAddresses`, a file's lines),
 * audited with at most `concurrency` at once; rows as they finish. Breaking out of the loop, or
 * the signal, stops the checks in flight. Throws only AbortError (and on a bug).
 */
export async function* auditRange(source: Iterable<string> | AsyncIterable<string>, options: AuditOptions): AsyncGenerator<AuditRow> {
  const concurrency = Math.max(1, options.concurrency ?? 32);
  const resolver = withRate(options.resolver, options.rate ?? 0);
  const controller = new AbortController();
  const outer = options.signal;
  const onOuterAbort = () => controller.abort(outer?.reason);
  outer?.addEventListener('abort', onOuterAbort, { once: true });
  if (outer?.aborted) controller.abort(outer.reason);
  const signal = controller.signal;
  // Every check in flight waits on this signal (each DNS wait adds a listener): up to `concurrency`
  // times a few, by design, so Node's leak warning at 10 does not apply.
  setMaxListeners(0, signal);

  const it = Symbol.asyncIterator in source ? (source as AsyncIterable<string>)[Symbol.asyncIterator]() : (source as Iterable<string>)[Symbol.iterator]();
  const ready: AuditRow[] = [];
  let inFlight = 0;
  let done = 0;
  let failure: unknown;
  let exhausted = false;
  let wake: (() => void) | undefined;
  const poke = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const settle = () => {
    inFlight--;
    poke();
  };
  // One listener for the whole run: an abort wakes the loop, which then throws.
  signal.addEventListener('abort', poke, { once: true });
  try {
    for (;;) {
      if (signal.aborted) throw abortError(signal);
      // Start checks while the window has room; finished rows waiting to be taken count against it,
      // so a slow reader slows the audit instead of piling rows up.
      while (!exhausted && inFlight + ready.length < concurrency) {
        const n = await it.next();
        if (n.done) {
          exhausted = true;
          break;
        }
        const parsed = parseIp(n.value);
        if (!parsed.ok) {
          options.onInvalid?.(n.value, parsed.error);
          continue;
        }
        inFlight++;
        auditOne(parsed.ip, resolver, signal).then(
          (row) => {
            ready.push(row);
            settle();
          },
          (e: unknown) => {
            if (!(e instanceof Error && e.name === 'AbortError')) failure ??= e;
            settle();
          },
        );
      }
      if (failure !== undefined) throw failure;
      const row = ready.shift();
      if (row) {
        done++;
        options.onProgress?.({ done, inFlight, ip: row.ip });
        yield row;
        continue;
      }
      if (exhausted && inFlight === 0) return;
      await new Promise<void>((resolve) => {
        wake = resolve;
        if (signal.aborted) resolve();
      });
    }
  } finally {
    controller.abort();
    outer?.removeEventListener('abort', onOuterAbort);
    await it.return?.();
  }
}

/** The audit's tally: rows by verdict and by worst finding, for the summary line. */
export class AuditTally {
  total = 0;
  readonly byVerdict: Record<IprevResult, number> = { pass: 0, fail: 0, permerror: 0, temperror: 0 };
  readonly byFinding = new Map<string, number>();
  generic = 0;

  add(row: AuditRow): void {
    this.total++;
    this.byVerdict[row.iprev]++;
    this.byFinding.set(row.finding.code, (this.byFinding.get(row.finding.code) ?? 0) + 1);
    if (row.generic) this.generic++;
  }

  /** Findings most frequent first. */
  findings(): [string, number][] {
    return [...this.byFinding].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  }
}

/** The CSV of an audit (the CLI's --csv and the editor's export): the header, then csvOf per row. */
export const CSV_COLUMNS = ['ip', 'iprev', 'ptr', 'confirmed', 'generic', 'rcode', 'finding', 'severity', 'message'] as const;

export function csvOf(row: AuditRow): string {
  return csvRow([row.ip, row.iprev, row.ptr.join(' '), row.confirmed, row.generic, row.rcode, row.finding.code, row.finding.severity, row.finding.message]);
}

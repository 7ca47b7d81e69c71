// "Check live again": the DNS answers a check saw, recorded by a resolver decorator, and what
// changed between two runs, record by record, with how long caches may still serve the old answer
// (RFC 1035 §3.2.1 TTL for records that went away; RFC 2308 §5 negative TTL where there was none).
import type { Rcode } from '../model';
import type { Section } from '../report/doc';
import type { DnsRecord, DnsResponse, LookupResult, QueryOptions, RecordType, Resolver } from '../dns/types';
import { normalizeName } from '../dns/types';

/** One question a check asked and the answer it got. */
export interface RecordedAnswer {
  name: string;
  type: string;
  rcode: Rcode;
  /** The answer's records, as `name TYPE data` lines, each with its TTL. */
  records: { text: string; ttl: number }[];
  /** NXDOMAIN or no data: how long resolvers may cache that (RFC 2308 §5: min(SOA TTL, MINIMUM)). */
  negativeTtl?: number;
}

function dataText(r: DnsRecord): string {
  const d = r.data as unknown;
  if (r.type === 'TXT' || r.type === 'SPF') return (d as string[]).map((s) => JSON.stringify(s)).join(' ');
  if (r.type === 'MX') {
    const mx = d as { preference: number; exchange: string };
    return `${mx.preference} ${mx.exchange}.`;
  }
  if (r.type === 'SOA') {
    const s = d as { mname: string; rname: string; serial: number };
    return `${s.mname}. ${s.rname}. ${s.serial} …`;
  }
  if (typeof d === 'string') return ['PTR', 'CNAME', 'NS', 'DNAME'].includes(r.type) ? `${normalizeName(d)}.` : d;
  return JSON.stringify(d);
}

/** What a reply says, kept for the diff. */
export function recordAnswer(response: DnsResponse): RecordedAnswer {
  const records = response.answers.map((r) => ({ text: `${normalizeName(r.name)}. ${r.type} ${dataText(r)}`, ttl: r.ttl }));
  const soa = response.authorities.find((r) => r.type === 'SOA');
  const minimum = soa ? (soa.data as { minimum?: number }).minimum : undefined;
  const empty = response.rcode === 'NXDOMAIN' || (response.rcode === 'NOERROR' && !response.answers.some((r) => r.type === response.question.type));
  return {
    name: normalizeName(response.question.name),
    type: response.question.type,
    rcode: response.rcode,
    records,
    ...(empty && soa && typeof minimum === 'number' ? { negativeTtl: Math.min(soa.ttl, minimum) } : {}),
  };
}

/** A resolver that keeps every answer it gives (per instance: one per run). */
export function recordingResolver(inner: Resolver): { resolver: Resolver; answers(): RecordedAnswer[] } {
  const seen = new Map<string, RecordedAnswer>();
  const keep = <T extends DnsResponse>(r: T): T => {
    const a = recordAnswer(r);
    seen.set(`${a.name}|${a.type}`, a);
    return r;
  };
  return {
    resolver: {
      query: async (name: string, type: RecordType, options?: QueryOptions) => keep(await inner.query(name, type, options)),
      lookup: async (name: string, type: RecordType, options?: QueryOptions): Promise<LookupResult> => keep(await inner.lookup(name, type, options)),
      servers: () => inner.servers(),
      dig: (name, type) => inner.dig(name, type),
    },
    answers: () => [...seen.values()],
  };
}

export interface AnswerChange {
  name: string;
  type: string;
  /** added/removed: a record; rcode: the reply's rcode changed (e.g. NXDOMAIN → NOERROR). */
  change: 'added' | 'removed' | 'rcode' | 'ttl';
  text: string;
  /** Seconds resolvers may still give the old answer: the old record's TTL, or the old negative TTL. */
  staleFor?: number;
}

export interface LiveDiff {
  changes: AnswerChange[];
  /** Questions asked in both runs with the same answer. */
  unchanged: number;
  /** Questions asked in one run only (the check took another path). */
  onlyBefore: string[];
  onlyAfter: string[];
  /** The longest time any old answer may still be served. */
  staleFor: number;
}

/** What changed between two runs' answers (maps by question and by record text: no pairwise comparison). */
export function diffAnswers(before: readonly RecordedAnswer[], after: readonly RecordedAnswer[]): LiveDiff {
  const key = (a: RecordedAnswer) => `${a.name}|${a.type}`;
  const old = new Map(before.map((a) => [key(a), a]));
  const now = new Map(after.map((a) => [key(a), a]));
  const changes: AnswerChange[] = [];
  let unchanged = 0;
  for (const [k, b] of old) {
    const a = now.get(k);
    if (!a) continue;
    const here: AnswerChange[] = [];
    if (a.rcode !== b.rcode) here.push({ name: b.name, type: b.type, change: 'rcode', text: `${b.rcode} → ${a.rcode}`, ...(b.negativeTtl !== undefined ? { staleFor: b.negativeTtl } : {}) });
    const oldTexts = new Map(b.records.map((r) => [r.text, r.ttl]));
    const newTexts = new Map(a.records.map((r) => [r.text, r.ttl]));
    for (const [text, ttl] of oldTexts) {
      if (!newTexts.has(text)) here.push({ name: b.name, type: b.type, change: 'removed', text, staleFor: ttl });
      else if (newTexts.get(text) !== ttl) here.push({ name: b.name, type: b.type, change: 'ttl', text: `${text} (TTL ${ttl} → ${newTexts.get(text)})`, staleFor: ttl });
    }
    // A record where there was none: caches may keep the "no record" answer for the negative TTL.
    const hadNone = b.records.length === 0;
    for (const text of newTexts.keys()) {
      if (!oldTexts.has(text)) here.push({ name: b.name, type: b.type, change: 'added', text, ...(hadNone && b.negativeTtl !== undefined ? { staleFor: b.negativeTtl } : {}) });
    }
    if (here.length === 0) unchanged++;
    changes.push(...here);
  }
  const onlyBefore = [...old.keys()].filter((k) => !now.has(k)).map((k) => k.replace('|', ' '));
  const onlyAfter = [...now.keys()].filter((k) => !old.has(k)).map((k) => k.replace('|', ' '));
  const staleFor = changes.reduce((m, c) => Math.max(m, c.staleFor ?? 0), 0);
  return { changes, unchanged, onlyBefore, onlyAfter, staleFor };
}

/** The report's section: each change, and until when caches may give the old answer. */
export function liveDiffSection(diff: LiveDiff, since: string): Section {
  return {
    type: 'table',
    title: `What changed in live DNS since ${since}`,
    columns: ['Name', 'Type', 'Change', 'Record', 'Old answer cached up to'],
    rows: diff.changes.map((c) => [
      { text: c.name, mono: true },
      c.type,
      c.change,
      { text: c.text, mono: true },
      c.staleFor === undefined ? '' : `${c.staleFor} s`,
    ]),
    empty: `No answer changed since ${since} (${diff.unchanged} questions asked again with the same answers).`,
  };
}

// RFC 7208 check_host(): the SPF evaluator.
//
// - Results are data. A DNS failure, a syntax error or a processing limit is a result
//   (temperror/permerror) with the tree and findings that explain it; nothing is thrown but
//   AbortError for the caller's own signal, and InputError for an IP that is not one.
// - Strict left-to-right evaluation decides the result and every count. Lookups that do not depend
//   on one another are fetched ahead, in parallel (`prefetch`), through a per-check memo, so the
//   strict walk finds them answered: the same answers, fewer round trips on the critical path.
// - When a processing limit is exceeded (RFC 7208 §4.6.4), the result is permerror at that term,
//   and evaluation goes on with the limits off so the whole tree is visible; everything after is
//   marked `diagnosticOnly`. Include/redirect loops are followed (the limit ends them, as in strict
//   evaluation) and named as loops.
import { canonicalIp, parseIp, parseIpv6, reverseName } from '../ip';
import { isTemporary, type LookupResult, type RecordType, type Resolver } from '../dns/types';
import { InputError } from '../rdns/check';
import { expandTokens, dottedNibbles, parseMacroString, toQueryName, unqueryable, usesLetter, type MacroToken, type MacroValues } from './macro';
import { lintSpf, parseSpf, isSpfRecord } from './parse';
import { authResultsClause, receivedSpfHeader } from './received';
import { describeTerm, rfcRef, sectionOf, SECTION } from './sections';
import type {
  ParsedSpf,
  Qualifier,
  SpfDecisionStep,
  SpfFinding,
  SpfQuery,
  SpfRecordNode,
  SpfResult,
  SpfResultCode,
  SpfTerm,
  SpfTermNode,
} from './types';

export { InputError };

export interface SpfCheckInput {
  /** The connecting client's address. */
  ip: string;
  /** check_host()'s <domain>: the MAIL FROM domain, or the HELO name. */
  domain: string;
  /** check_host()'s <sender>; default `postmaster@<domain>`. */
  sender?: string;
  /** The HELO/EHLO name (for %{h} and the Received-SPF header). */
  helo?: string;
  /** RFC 7208 §2.3/§2.4: which identity this checks (default mailfrom). */
  identity?: 'mailfrom' | 'helo';
  /** The MAIL FROM as the client gave it ('' for the null sender), for the Received-SPF header. */
  envelopeFrom?: string;
}

export interface SpfOptions {
  resolver: Resolver;
  signal?: AbortSignal;
  /** RFC 7208 §4.6.4: overall time for one check_host(), after which the result is temperror (default 20000 ms). */
  deadlineMs?: number;
  /** RFC 7208 §4.6.4: DNS-querying terms (default 10). */
  maxDnsTerms?: number;
  /** RFC 7208 §4.6.4: void lookups (default 2). */
  maxVoidLookups?: number;
  /** The explanation for fail when no exp= gives one (RFC 7208 §6.2). */
  defaultExplanation?: string;
  /** The receiving host's name: %{r} and the Received-SPF receiver (RFC 7208 §7.3: "unknown" when absent). */
  receiver?: string;
  /** Fetch independent lookups ahead of the strict walk (default true). */
  prefetch?: boolean;
  /** Clock for %{t}, in ms. */
  now?: () => number;
  /** DNS-querying terms evaluated for diagnosis after a limit (default 40). */
  maxDiagnosticTerms?: number;
}

/**
 * RFC 7208 §2.3, §2.4: the check_host() arguments for a MAIL FROM and a HELO name. A null
 * reverse-path (`''` or `<>`) checks postmaster@<helo>.
 */
export function spfIdentity(mailFrom: string | undefined, helo: string | undefined): { domain: string; sender: string; identity: 'mailfrom' | 'helo'; envelopeFrom: string } {
  const from = (mailFrom ?? '').trim().replace(/^<(.*)>$/, '$1');
  if (from === '') {
    const h = helo ?? '';
    return { domain: h, sender: `postmaster@${h}`, identity: 'mailfrom', envelopeFrom: '' };
  }
  const at = from.lastIndexOf('@');
  return { domain: at < 0 ? from : from.slice(at + 1), sender: from, identity: 'mailfrom', envelopeFrom: from };
}

/** RFC 7208 §4.3: why <domain> is not a usable domain (then the result is none), or undefined. */
export function domainProblem(domain: string): string | undefined {
  const d = domain.endsWith('.') ? domain.slice(0, -1) : domain;
  if (d === '') return 'no domain was given';
  // Control characters first: ESC [ … is a terminal escape sequence, not an address literal.
  if (/[\u0000-\u001f\u007f-\u009f]/.test(d)) return `${JSON.stringify(domain)} holds characters a domain name cannot (control characters)`;
  if (/^\[[^\]]*\]$/.test(d)) return `${JSON.stringify(domain)} is an address literal, not a domain name`;
  const odd = /[\s@[\]]/.exec(d);
  if (odd) return `${JSON.stringify(domain)} holds characters a domain name cannot (${JSON.stringify(odd[0])})`;
  if (/[\u0080-\uffff]/.test(d)) return `${JSON.stringify(domain)} holds characters a domain name cannot (internationalized names must be given as A-labels, xn--…)`;
  const bad = unqueryable(d);
  if (bad) return `${JSON.stringify(domain)} is malformed: ${bad}`;
  if (!d.includes('.')) return `${JSON.stringify(domain)} is not a fully qualified domain name (it has one label)`;
  if (d.split('.').every((l) => /^\d+$/.test(l))) return `${JSON.stringify(domain)} is an IP address, not a domain name`;
  return undefined;
}

interface ClientIp {
  /** As given, canonical. */
  text: string;
  family: 4 | 6;
  /** What mechanisms compare against: IPv4-mapped IPv6 becomes IPv4 (RFC 7208 §5). */
  evalText: string;
  evalFamily: 4 | 6;
  bytes: Uint8Array;
}

function clientIp(text: string): ClientIp {
  const p = parseIp(text);
  if (!p.ok) throw new InputError(p.error);
  if (p.family === 4) return { text: p.ip, family: 4, evalText: p.ip, evalFamily: 4, bytes: Uint8Array.from(p.ip.split('.').map(Number)) };
  const b = parseIpv6(p.ip)!;
  const mapped = b.slice(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff;
  if (mapped) {
    const v4 = b.slice(12);
    return { text: p.ip, family: 6, evalText: [...v4].join('.'), evalFamily: 4, bytes: v4 };
  }
  return { text: p.ip, family: 6, evalText: p.ip, evalFamily: 6, bytes: b };
}

function addressBytes(text: string): Uint8Array | undefined {
  const p = parseIp(text);
  if (!p.ok) return undefined;
  if (p.family === 4) return Uint8Array.from(p.ip.split('.').map(Number));
  return parseIpv6(p.ip);
}

function inPrefix(addr: Uint8Array, net: Uint8Array, bits: number): boolean {
  if (addr.length !== net.length) return false;
  for (let i = 0; i < addr.length && bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((addr[i] & mask) !== (net[i] & mask)) return false;
  }
  return true;
}

const QUALIFIER_RESULT: Record<Qualifier, SpfResultCode> = { '+': 'pass', '-': 'fail', '~': 'softfail', '?': 'neutral' };

type Flow = { kind: 'match'; result: SpfResultCode } | { kind: 'no-match' } | { kind: 'error'; result: 'permerror' | 'temperror' };

interface ExpContext {
  domain: string;
  term: SpfTerm;
  node: SpfTermNode;
}

interface RecordEval {
  node: SpfRecordNode;
  /** The result evaluation continues with (with the limits off, once one was exceeded). */
  flow: SpfResultCode;
  exp?: ExpContext;
}

type LimitKind = 'dns-terms' | 'void-lookups' | 'mx-records';

const MAX_MX = 10;
const MAX_PTR = 10;
const PREFETCH_BUDGET = 40;

class Evaluation {
  lookups = 0;
  voids = 0;
  strictLookups = 0;
  strictVoids = 0;
  diagnostic = false;
  diagnosticTerms = 0;
  limit?: SpfResult['limitExceeded'];
  queryCount = 0;
  readonly findings: SpfFinding[] = [];
  private readonly memo = new Map<string, Promise<LookupResult>>();
  private prefetchBudget = PREFETCH_BUDGET;
  private readonly prefetchedRecords = new Set<string>();
  /** Records and the term of each being evaluated right now, outermost first. */
  private readonly open: { node: SpfRecordNode; term?: SpfTermNode }[] = [];
  private readonly limitRecords = new Set<SpfRecordNode>();
  private readonly limitTerms = new Set<SpfTermNode>();
  private readonly loopsReported = new Set<string>();
  readonly maxDnsTerms: number;
  readonly maxVoid: number;
  readonly values: Omit<MacroValues, 'd' | 'p'>;

  constructor(
    readonly input: { domain: string; sender: string; helo?: string },
    readonly ip: ClientIp,
    readonly options: SpfOptions,
    readonly signal: AbortSignal,
  ) {
    this.maxDnsTerms = options.maxDnsTerms ?? 10;
    this.maxVoid = options.maxVoidLookups ?? 2;
    const at = input.sender.lastIndexOf('@');
    // RFC 7208 §4.3: a sender without a local-part is postmaster@domain.
    const local = at <= 0 ? 'postmaster' : input.sender.slice(0, at);
    const o = at < 0 ? input.sender : input.sender.slice(at + 1);
    this.values = {
      s: at === 0 ? `postmaster${input.sender}` : input.sender,
      l: local,
      o,
      i: ip.evalFamily === 4 ? ip.evalText : dottedNibbles(ip.bytes),
      v: ip.evalFamily === 4 ? 'in-addr' : 'ip6',
      h: input.helo ?? 'unknown',
      c: ip.evalText,
      r: options.receiver ?? 'unknown',
      t: String(Math.floor((options.now ?? Date.now)() / 1000)),
    };
  }

  finding(f: SpfFinding): void {
    if (this.findings.some((x) => x.code === f.code && x.domain === f.domain && x.start === f.start && x.message === f.message)) return;
    this.findings.push(f);
  }

  // --- DNS ---------------------------------------------------------------------------------------

  /** One lookup, shared by the prefetcher and the strict walk, so both see the same answer. */
  lookup(name: string, type: RecordType): Promise<LookupResult> {
    const key = `${name.toLowerCase()}|${type}`;
    let p = this.memo.get(key);
    if (!p) {
      this.queryCount++;
      p = this.options.resolver.lookup(name, type, { signal: this.signal }).catch((e: unknown) => {
        if (e instanceof Error && e.name === 'AbortError') throw e;
        // A resolver is not meant to throw; if one does, it is DNS trouble for this query, not a crash.
        const error = e instanceof Error ? e.message : String(e);
        return { question: { name, type }, rcode: 'SERVFAIL', answers: [], authorities: [], server: '-', transport: 'udp', authoritative: false, error, elapsedMs: 0, records: [], cnames: [], ttl: null } satisfies LookupResult;
      });
      p.catch(() => undefined); // a prefetch nobody awaits must not be an unhandled rejection
      this.memo.set(key, p);
    }
    return p;
  }

  async query(name: string, type: SpfQuery['type'], purpose: string): Promise<{ q: SpfQuery; r: LookupResult }> {
    const r = await this.lookup(name, type);
    const answers = r.records.map((x) => {
      if (x.type === 'A' || x.type === 'AAAA') return canonicalIp(String(x.data));
      if (x.type === 'MX') {
        const mx = x.data as { preference: number; exchange: string };
        return `${mx.preference} ${mx.exchange}`;
      }
      if (x.type === 'TXT') return (x.data as string[]).join('');
      return String(x.data);
    });
    const q: SpfQuery = {
      name,
      type,
      rcode: r.rcode,
      answers,
      ttl: r.ttl,
      cnames: r.cnames.map((c) => ({ name: c.name, target: c.target })),
      server: r.server,
      transport: r.transport,
      elapsedMs: r.elapsedMs,
      dig: this.options.resolver.dig(name, type),
      ...(r.error && isTemporary(r.rcode) ? { error: r.error } : {}),
      purpose,
      empty: r.rcode === 'NXDOMAIN' || (r.rcode === 'NOERROR' && r.records.length === 0),
    };
    return { q, r };
  }

  // --- macros ------------------------------------------------------------------------------------

  tokens(spec: string, place: 'domain' | 'exp-text'): MacroToken[] | undefined {
    const p = parseMacroString(spec, place);
    return p.ok ? p.tokens : undefined;
  }

  /** RFC 7208 §7.3 %{p}: a validated name of the client IP, preferring <domain> and its subdomains. */
  async pValue(domain: string, out: SpfQuery[]): Promise<string> {
    const { q, r } = await this.query(reverseName(this.ip.evalText), 'PTR', 'PTR for %{p}');
    out.push(q);
    if (isTemporary(r.rcode) || q.answers.length === 0) return 'unknown';
    const names = q.answers.slice(0, MAX_PTR);
    const fam = this.ip.evalFamily === 4 ? 'A' : 'AAAA';
    const checks = await Promise.all(names.map((n) => (unqueryable(n) ? undefined : this.query(n, fam, `validate ${n} for %{p}`))));
    const validated: string[] = [];
    checks.forEach((c, i) => {
      if (!c) return;
      out.push(c.q);
      if (!isTemporary(c.r.rcode) && c.q.answers.some((a) => this.sameIp(a))) validated.push(names[i]);
    });
    const d = domain.toLowerCase();
    return validated.find((n) => n === d) ?? validated.find((n) => n.endsWith(`.${d}`)) ?? validated[0] ?? 'unknown';
  }

  /** Expands a domain-spec (or returns <domain> when there is none) to the name to query. */
  async target(spec: string | undefined, domain: string, out: SpfQuery[]): Promise<string> {
    if (spec === undefined) return domain;
    const tokens = this.tokens(spec, 'domain') ?? [];
    const p = usesLetter(tokens, 'p') ? await this.pValue(domain, out) : undefined;
    return toQueryName(expandTokens(tokens, { ...this.values, d: domain, ...(p !== undefined ? { p } : {}) }));
  }

  sameIp(text: string): boolean {
    const b = addressBytes(text);
    return !!b && b.length === this.ip.bytes.length && b.every((x, i) => x === this.ip.bytes[i]);
  }

  matchesAddress(text: string, cidr4?: number, cidr6?: number): boolean {
    const b = addressBytes(text);
    if (!b) return false;
    const bits = this.ip.evalFamily === 4 ? (cidr4 ?? 32) : (cidr6 ?? 128);
    return inPrefix(this.ip.bytes, b, bits);
  }

  // --- limits ------------------------------------------------------------------------------------

  private exceed(kind: LimitKind, node: SpfTermNode, domain: string, message: string): void {
    if (this.diagnostic) return;
    this.diagnostic = true;
    this.strictLookups = this.lookups;
    this.strictVoids = this.voids;
    this.limit = { kind, domain, term: node.index, text: node.text };
    node.limit = kind;
    this.limitTerms.add(node);
    for (const o of this.open) {
      this.limitRecords.add(o.node);
      if (o.term) this.limitTerms.add(o.term);
    }
    this.finding({
      code: kind === 'dns-terms' ? 'spf-too-many-lookups' : kind === 'void-lookups' ? 'spf-too-many-void-lookups' : 'spf-mx-too-many',
      severity: 'error',
      message,
      domain,
      term: node.index,
      start: node.start,
      end: node.end,
    });
  }

  /** Counts a DNS-querying term (RFC 7208 §4.6.4); false when diagnosis has gone far enough. */
  private countTerm(node: SpfTermNode, domain: string): boolean {
    if (this.diagnostic && this.diagnosticTerms >= (this.options.maxDiagnosticTerms ?? 40)) {
      node.note = 'Not evaluated: the diagnosis stops here (too many lookups to follow).';
      return false;
    }
    if (this.diagnostic) this.diagnosticTerms++;
    this.lookups++;
    node.lookup = this.lookups;
    if (this.lookups > this.maxDnsTerms) {
      this.exceed(
        'dns-terms',
        node,
        domain,
        `"${node.text}" in ${domain}'s record is DNS-querying term number ${this.lookups}: over the limit of ${this.maxDnsTerms} (RFC 7208 §4.6.4), so the result is permerror. Receivers stop here; the rest of the tree is evaluated for diagnosis only.`,
      );
    }
    return true;
  }

  private noteVoid(node: SpfTermNode, domain: string, q: SpfQuery): void {
    node.voidLookup = true;
    this.voids++;
    node.voidNumber = this.voids;
    if (this.voids > this.maxVoid) {
      this.exceed(
        'void-lookups',
        node,
        domain,
        `"${node.text}" in ${domain}'s record is void lookup number ${this.voids} (${q.name} ${q.type}: ${q.rcode === 'NXDOMAIN' ? 'NXDOMAIN' : 'no records'}): over the limit of ${this.maxVoid} (RFC 7208 §4.6.4), so the result is permerror.`,
      );
    }
  }

  // --- records -----------------------------------------------------------------------------------

  newRecord(domain: string, via: SpfRecordNode['via'], depth: number): SpfRecordNode {
    return { domain, via, depth, otherTxt: 0, result: 'none', decidedBy: null, how: 'no-record', diagnosticOnly: this.diagnostic, problems: [], terms: [] };
  }

  async evalRecord(node: SpfRecordNode, stack: string[]): Promise<RecordEval> {
    const entry: { node: SpfRecordNode; term?: SpfTermNode } = { node };
    this.open.push(entry);
    let ev: RecordEval;
    try {
      ev = await this.evalRecordInner(node, stack, entry);
    } finally {
      this.open.pop();
    }
    node.result = ev.flow;
    if (this.limitRecords.has(node)) {
      // Strictly, the limit's permerror went up through this record.
      node.resultWithoutLimits = ev.flow;
      node.decidedWithoutLimits = node.decidedBy;
      const would = node.decidedBy === null ? undefined : node.terms[node.decidedBy];
      if (would && !this.limitTerms.has(would)) would.decided = false;
      node.result = 'permerror';
      node.how = 'limit';
      const path = node.terms.find((t) => this.limitTerms.has(t));
      node.decidedBy = path ? path.index : null;
    }
    return ev;
  }

  private async evalRecordInner(node: SpfRecordNode, stack: string[], entry: { term?: SpfTermNode }): Promise<RecordEval> {
    const domain = node.domain;
    const bad = unqueryable(domain);
    if (bad) {
      node.how = 'invalid-domain';
      node.note = `${domain} cannot be looked up: ${bad}.`;
      return { node, flow: 'none' };
    }
    const { q, r } = await this.query(domain, 'TXT', 'SPF record');
    node.query = q;
    // RFC 7208 §4.4: a DNS error other than NXDOMAIN is temperror.
    if (isTemporary(r.rcode)) {
      node.how = 'dns-error';
      node.note = `The TXT lookup for ${domain} failed: ${q.error ?? q.rcode}.`;
      this.finding({ code: 'spf-dns-error', severity: 'error', message: `${node.note} The result is temperror: receivers defer the message (4xx) and retry.`, dig: q.dig, domain });
      return { node, flow: 'temperror' };
    }
    // RFC 7208 §4.5: only TXT; strings joined without separator (§3.3); v=spf1 then space or end.
    const spf = q.answers.filter(isSpfRecord);
    node.otherTxt = q.answers.length - spf.length;
    if (spf.length === 0) {
      node.how = 'no-record';
      node.note = r.rcode === 'NXDOMAIN' ? `${domain} does not exist (NXDOMAIN).` : q.answers.length === 0 ? `${domain} has no TXT records.` : `${domain} has TXT records, but none starts with "v=spf1".`;
      return { node, flow: 'none' };
    }
    if (spf.length > 1) {
      node.how = 'multiple-records';
      node.candidates = spf;
      node.note = `${domain} has ${spf.length} SPF records; there must be exactly one (RFC 7208 §4.5).`;
      this.finding({
        code: 'spf-multiple-records',
        severity: 'error',
        message: `${node.note} Receivers return permerror. Merge them into one record and delete the others.`,
        dig: q.dig,
        domain,
      });
      return { node, flow: 'permerror' };
    }
    const text = spf[0];
    node.record = text;
    const parsed = parseSpf(text);
    node.problems = parsed.problems;
    node.terms = parsed.terms.map((t) => this.termNode(t));
    if (q.transport === 'tcp' || Buffer.byteLength(text) > 450) {
      this.finding({
        code: 'spf-record-large',
        severity: 'warning',
        message:
          `${domain}'s SPF record is ${Buffer.byteLength(text)} bytes${q.transport === 'tcp' ? ' and its TXT answer did not fit in a UDP reply (it came over TCP)' : ''}. ` +
          'RFC 7208 §3.4 asks to keep answers small: receivers behind resolvers or firewalls that mishandle TCP or large UDP get temperror.',
        dig: q.dig,
        domain,
      });
    }
    // RFC 7208 §4.6: a syntax error anywhere is permerror, before anything is evaluated.
    if (parsed.problems.length > 0) {
      node.how = 'syntax';
      for (const p of parsed.problems) {
        const t = parsed.terms.find((x) => p.start >= x.start && p.start <= x.end);
        const tn = t ? node.terms[t.index] : undefined;
        if (tn) {
          tn.outcome = 'error';
          tn.result = 'permerror';
          tn.note = p.message;
        }
        this.finding({
          code: p.code,
          severity: 'error',
          message: `${domain}: ${p.message}. The whole record is a permerror.`,
          domain,
          ...(t ? { term: t.index } : {}),
          start: p.start,
          end: p.end,
          ...(p.replacement !== undefined && t
            ? { fix: { description: `Replace "${text.slice(p.start, p.end)}" with "${p.replacement}".`, owner: domain, type: 'TXT', current: text, proposed: text.slice(0, p.start) + p.replacement + text.slice(p.end) } }
            : {}),
        });
      }
      const first = parsed.terms.find((t) => t.problem);
      node.decidedBy = first ? first.index : null;
      if (first) node.terms[first.index].decided = true;
      return { node, flow: 'permerror' };
    }
    for (const l of lintSpf(parsed)) {
      if (l.code === 'spf-too-many-lookups') continue; // the evaluation counts the real tree
      this.finding({ code: l.code, severity: l.severity, message: `${domain}: ${l.message}`, domain, start: l.start, end: l.end, ...(l.term !== undefined ? { term: l.term } : {}) });
    }
    this.prefetchRecord(parsed, domain, node.depth);

    for (const t of parsed.terms) {
      if (t.kind !== 'mechanism') continue;
      const tn = node.terms[t.index];
      tn.diagnosticOnly = this.diagnostic;
      entry.term = tn;
      const flow = await this.evalMechanism(t, tn, node, stack);
      entry.term = undefined;
      this.settle(tn, flow);
      if (flow.kind === 'no-match') continue;
      node.decidedBy = t.index;
      tn.decided = true;
      if (flow.kind === 'error') {
        node.how = 'error';
        return { node, flow: flow.result };
      }
      node.how = 'match';
      this.settleModifiers(parsed, node, false);
      return { node, flow: flow.result, ...(flow.result === 'fail' && parsed.exp !== undefined ? { exp: { domain, term: parsed.terms[parsed.exp], node: node.terms[parsed.exp] } } : {}) };
    }

    // RFC 7208 §6.1: redirect applies when no mechanism matched, unless there is an "all".
    if (parsed.redirect !== undefined && !parsed.hasAll) {
      const t = parsed.terms[parsed.redirect];
      const tn = node.terms[t.index];
      tn.diagnosticOnly = this.diagnostic;
      entry.term = tn;
      const ev = await this.followTarget(t, tn, node, stack, 'redirect');
      entry.term = undefined;
      node.decidedBy = t.index;
      tn.decided = true;
      node.how = 'redirect';
      this.settleModifiers(parsed, node, true);
      if (ev.kind === 'error') {
        this.settle(tn, ev);
        return { node, flow: ev.result };
      }
      if (ev.kind === 'no-match') return { node, flow: 'neutral' }; // the diagnosis stopped before it
      const result = ev.sub.flow === 'none' ? 'permerror' : ev.sub.flow;
      tn.outcome = 'applied';
      tn.result = result;
      if (ev.sub.flow === 'none') {
        tn.note = `${tn.target} has no SPF record: a redirect to it is a permerror (RFC 7208 §6.1).`;
        this.finding({ code: 'spf-redirect-none', severity: 'error', message: `${domain}: ${tn.note}`, domain, term: t.index, start: t.start, end: t.end });
      } else {
        tn.note = `The result is ${tn.target}'s: ${result}.`;
      }
      if (this.limitTerms.has(tn)) this.settleLimit(tn, `would have given ${result}`);
      return { node, flow: result, ...(ev.sub.exp ? { exp: ev.sub.exp } : {}) };
    }
    // RFC 7208 §4.7: nothing matched and no redirect: neutral.
    node.how = 'default';
    this.settleModifiers(parsed, node, false);
    return { node, flow: 'neutral' };
  }

  private termNode(t: SpfTerm): SpfTermNode {
    const { section, link } = rfcRef(sectionOf(t.kind, t.name));
    return {
      index: t.index,
      text: t.text,
      start: t.start,
      end: t.end,
      kind: t.kind,
      name: t.name,
      ...(t.qualifier && t.kind === 'mechanism' ? { qualifier: t.qualifier } : {}),
      section,
      link,
      description: describeTerm(t.kind, t.name, t.qualifier, t.domainSpec),
      outcome: 'not-evaluated',
      decided: false,
      diagnosticOnly: false,
      queries: [],
    };
  }

  /** Marks a term a limit went through (the limit's own term, or an include/redirect above it). */
  private settleLimit(tn: SpfTermNode, would: string): void {
    const limitNote = tn.limit
      ? `Over the ${tn.limit === 'dns-terms' ? `limit of ${this.maxDnsTerms} DNS-querying terms` : tn.limit === 'void-lookups' ? `limit of ${this.maxVoid} void lookups` : `limit of ${MAX_MX} MX records`} (RFC 7208 §4.6.4): permerror here.`
      : 'A processing limit was exceeded inside it: permerror.';
    tn.outcome = 'error';
    tn.result = 'permerror';
    tn.decided = true;
    tn.note = `${limitNote} Without the limit it ${would}.${tn.note ? ' ' + tn.note : ''}`;
  }

  /** Puts a term's flow into its node; terms a limit passed through keep permerror. */
  private settle(tn: SpfTermNode, flow: Flow): void {
    if (this.limitTerms.has(tn)) {
      this.settleLimit(tn, flow.kind === 'match' ? `would have matched (${flow.result})` : flow.kind === 'error' ? `would have given ${flow.result}` : 'would not have matched');
      return;
    }
    if (flow.kind === 'match') {
      tn.outcome = 'match';
      tn.result = flow.result;
    } else if (flow.kind === 'error') {
      tn.outcome = 'error';
      tn.result = flow.result;
    } else if (tn.outcome === 'not-evaluated' && tn.note?.startsWith('Not evaluated')) {
      // the diagnosis stopped before this term
    } else {
      tn.outcome = 'no-match';
    }
  }

  /** Modifier outcomes once the record is decided. */
  private settleModifiers(parsed: ParsedSpf, node: SpfRecordNode, redirected: boolean): void {
    for (const t of parsed.terms) {
      if (t.kind !== 'modifier') continue;
      const tn = node.terms[t.index];
      tn.diagnosticOnly = tn.diagnosticOnly || this.diagnostic;
      if (t.name === 'redirect') {
        if (parsed.hasAll) {
          tn.outcome = 'ignored';
          tn.note = 'Ignored: the record has an "all" mechanism (RFC 7208 §6.1).';
        } else if (!redirected) {
          tn.note = 'Not used: a mechanism matched first.';
        }
      } else if (t.name === 'exp') {
        if (redirected) {
          tn.outcome = 'ignored';
          tn.note = 'Not used: after a redirect, the explanation comes from the target record (RFC 7208 §6.2).';
        }
      } else {
        tn.outcome = 'ignored';
        tn.note = 'Unknown modifier: ignored (RFC 7208 §6).';
      }
    }
  }

  private async evalMechanism(t: SpfTerm, tn: SpfTermNode, record: SpfRecordNode, stack: string[]): Promise<Flow> {
    const domain = record.domain;
    const qualifier = t.qualifier ?? '+';
    const hit = (): Flow => ({ kind: 'match', result: QUALIFIER_RESULT[qualifier] });
    const fam = this.ip.evalFamily === 4 ? 'A' : 'AAAA';
    switch (t.name) {
      case 'all':
        tn.note = `Matches every address: ${QUALIFIER_RESULT[qualifier]}.`;
        return hit();
      case 'ip4':
      case 'ip6': {
        const family = t.name === 'ip4' ? 4 : 6;
        if (this.ip.evalFamily !== family) {
          tn.note = `${this.ip.evalText} is an IPv${this.ip.evalFamily} address; ${t.name} lists IPv${family} networks only.`;
          return { kind: 'no-match' };
        }
        const m = this.matchesAddress(t.network!, t.cidr4, t.cidr6);
        const len = family === 4 ? (t.cidr4 ?? 32) : (t.cidr6 ?? 128);
        tn.note = `${this.ip.evalText} is ${m ? '' : 'not '}in ${t.network}/${len}.`;
        return m ? hit() : { kind: 'no-match' };
      }
      case 'include':
        return this.evalInclude(t, tn, record, stack);
    }
    if (!this.countTerm(tn, domain)) return { kind: 'no-match' };
    const target = await this.target(t.domainSpec, domain, tn.queries);
    tn.target = target;
    tn.description = describeTerm(t.kind, t.name, t.qualifier, target);
    const unusable = t.name === 'ptr' ? undefined : unqueryable(target);
    if (unusable) {
      // RFC 7208 leaves this undefined (errata, the suite accepts either): treated as a name with no records.
      tn.note = `${target} cannot be looked up (${unusable}); treated as a name with no records.`;
      this.finding({ code: 'spf-target-unusable', severity: 'warning', message: `${domain}: "${t.text}" expands to ${JSON.stringify(target)}, which ${unusable.replace(/^the name/, 'is not a valid DNS name:')}; it never matches.`, domain, term: t.index, start: t.start, end: t.end });
      return { kind: 'no-match' };
    }
    switch (t.name) {
      case 'a': {
        const { q, r } = await this.query(target, fam, `addresses of ${target}`);
        tn.queries.push(q);
        if (isTemporary(r.rcode)) return this.dnsError(tn, domain, q);
        if (q.empty) this.noteVoid(tn, domain, q);
        const m = q.answers.some((a) => this.matchesAddress(a, t.cidr4, t.cidr6));
        tn.note = q.answers.length === 0 ? `${target} has no ${fam} records.` : `${target} → ${q.answers.join(', ')}: ${this.ip.evalText} is ${m ? '' : 'not '}${this.cidrWords(t)}.`;
        return m ? hit() : { kind: 'no-match' };
      }
      case 'exists': {
        // RFC 7208 §5.7: always an A query, whatever the client's address family.
        const { q, r } = await this.query(target, 'A', `does ${target} exist?`);
        tn.queries.push(q);
        if (isTemporary(r.rcode)) return this.dnsError(tn, domain, q);
        if (q.empty) this.noteVoid(tn, domain, q);
        tn.note = q.answers.length > 0 ? `${target} has an A record (${q.answers[0]}).` : `${target} has no A record.`;
        return q.answers.length > 0 ? hit() : { kind: 'no-match' };
      }
      case 'mx':
        return this.evalMx(t, tn, domain, target, hit);
      case 'ptr':
        return this.evalPtr(t, tn, domain, target, hit);
    }
    return { kind: 'no-match' };
  }

  private cidrWords(t: SpfTerm): string {
    const len = this.ip.evalFamily === 4 ? t.cidr4 : t.cidr6;
    return len === undefined ? 'among them' : `within /${len} of any of them`;
  }

  private dnsError(tn: SpfTermNode, domain: string, q: SpfQuery): Flow {
    tn.note = `The ${q.type} lookup for ${q.name} failed: ${q.error ?? q.rcode}. The result is temperror (RFC 7208 §5).`;
    this.finding({ code: 'spf-dns-error', severity: 'error', message: `${domain}: "${tn.text}": ${tn.note} Receivers defer the message (4xx) and retry.`, dig: q.dig, domain, term: tn.index, start: tn.start, end: tn.end });
    return { kind: 'error', result: 'temperror' };
  }

  private async evalMx(t: SpfTerm, tn: SpfTermNode, domain: string, target: string, hit: () => Flow): Promise<Flow> {
    const fam = this.ip.evalFamily === 4 ? 'A' : 'AAAA';
    const { q, r } = await this.query(target, 'MX', `MX hosts of ${target}`);
    tn.queries.push(q);
    if (isTemporary(r.rcode)) return this.dnsError(tn, domain, q);
    if (q.empty) this.noteVoid(tn, domain, q);
    const hosts = r.records
      .map((x) => x.data as { preference: number; exchange: string })
      .sort((a, b) => a.preference - b.preference)
      .map((x) => x.exchange)
      // RFC 7505 null MX ("."): no host to look up.
      .filter((h) => h !== '' && h !== '.');
    if (hosts.length > MAX_MX) {
      this.exceed(
        'mx-records',
        tn,
        domain,
        `"${t.text}" in ${domain}'s record: ${target} has ${hosts.length} MX records; looking up more than ${MAX_MX} of them is a permerror (RFC 7208 §4.6.4).`,
      );
    }
    const checked = hosts.slice(0, this.diagnostic ? 30 : MAX_MX);
    const results = await Promise.all(checked.map((h) => (unqueryable(h) ? undefined : this.query(h, fam, `address of MX host ${h}`))));
    let matched: string | undefined;
    for (let i = 0; i < checked.length; i++) {
      const res = results[i];
      if (!res) continue;
      tn.queries.push(res.q);
      if (matched) continue;
      // Strict order: the first host that errs before any match makes the term temperror (RFC 7208 §5).
      if (isTemporary(res.r.rcode)) return this.dnsError(tn, domain, res.q);
      if (res.q.answers.some((a) => this.matchesAddress(a, t.cidr4, t.cidr6))) matched = checked[i];
    }
    tn.note =
      hosts.length === 0
        ? `${target} has no MX hosts${r.records.length > 0 ? ' (null MX)' : ''}: no match (there is no fallback to its A record, RFC 7208 §5.4).`
        : matched
          ? `${this.ip.evalText} is ${this.cidrWords(t).replace('any of them', 'an address')} of MX host ${matched}.`
          : `${this.ip.evalText} is not an address of ${target}'s MX hosts (${checked.join(', ')}).`;
    return matched ? hit() : { kind: 'no-match' };
  }

  private async evalPtr(t: SpfTerm, tn: SpfTermNode, domain: string, target: string, hit: () => Flow): Promise<Flow> {
    const fam = this.ip.evalFamily === 4 ? 'A' : 'AAAA';
    const { q, r } = await this.query(reverseName(this.ip.evalText), 'PTR', `reverse names of ${this.ip.evalText}`);
    tn.queries.push(q);
    if (isTemporary(r.rcode)) {
      // RFC 7208 §5.5: a DNS error on the PTR lookup makes the mechanism not match (not temperror).
      tn.note = `The PTR lookup failed (${q.error ?? q.rcode}): ptr does not match (RFC 7208 §5.5).`;
      return { kind: 'no-match' };
    }
    if (q.empty) this.noteVoid(tn, domain, q);
    const names = q.answers.slice(0, MAX_PTR);
    if (q.answers.length > MAX_PTR) {
      this.finding({ code: 'spf-ptr-truncated', severity: 'info', message: `${this.ip.evalText} has ${q.answers.length} PTR names; only the first ${MAX_PTR} are considered (RFC 7208 §4.6.4).`, dig: q.dig, domain, term: t.index, start: t.start, end: t.end });
    }
    const want = target.toLowerCase();
    const candidates = names.filter((n) => n === want || n.endsWith(`.${want}`));
    const checks = await Promise.all(candidates.map((n) => (unqueryable(n) ? undefined : this.query(n, fam, `does ${n} point back to ${this.ip.evalText}?`))));
    let validated: string | undefined;
    checks.forEach((c) => {
      if (!c) return;
      tn.queries.push(c.q);
      // RFC 7208 §5.5: an error on a forward lookup skips that name.
      if (!validated && !isTemporary(c.r.rcode) && c.q.answers.some((a) => this.sameIp(a))) validated = c.q.name;
    });
    tn.note =
      names.length === 0
        ? `${this.ip.evalText} has no PTR names.`
        : validated
          ? `${this.ip.evalText} → ${validated} → ${this.ip.evalText}: validated, and under ${target}.`
          : candidates.length === 0
            ? `None of ${this.ip.evalText}'s PTR names (${names.join(', ')}) is ${target} or under it.`
            : `${candidates.join(', ')} ${candidates.length === 1 ? 'does' : 'do'} not resolve back to ${this.ip.evalText}.`;
    return validated ? hit() : { kind: 'no-match' };
  }

  private async evalInclude(t: SpfTerm, tn: SpfTermNode, record: SpfRecordNode, stack: string[]): Promise<Flow> {
    const ev = await this.followTarget(t, tn, record, stack, 'include');
    if (ev.kind === 'error') return ev;
    if (ev.kind === 'no-match') return ev;
    const sub = ev.sub.flow;
    // RFC 7208 §5.2: pass matches; fail, softfail, neutral do not; temperror and permerror pass up; none is permerror.
    switch (sub) {
      case 'pass':
        tn.note = `${tn.target} gives pass: the include matches.`;
        return { kind: 'match', result: QUALIFIER_RESULT[t.qualifier ?? '+'] };
      case 'fail':
      case 'softfail':
      case 'neutral':
        tn.note = `${tn.target} gives ${sub}: the include does not match (RFC 7208 §5.2).`;
        return { kind: 'no-match' };
      case 'temperror':
      case 'permerror':
        tn.note = tn.note ?? `${tn.target} gives ${sub}, and so does the include (RFC 7208 §5.2).`;
        return { kind: 'error', result: sub };
      case 'none':
        tn.note = `${tn.target} has no SPF record: an include of it is a permerror (RFC 7208 §5.2).`;
        this.finding({
          code: 'spf-include-none',
          severity: 'error',
          message: `${record.domain}: "${t.text}" includes ${tn.target}, which has no SPF record, so the result is permerror (RFC 7208 §5.2). Fix the name or remove the include.`,
          domain: record.domain,
          term: t.index,
          start: t.start,
          end: t.end,
        });
        return { kind: 'error', result: 'permerror' };
    }
  }

  /** include: and redirect=: count, expand, check for loops, evaluate the target's record. */
  private async followTarget(
    t: SpfTerm,
    tn: SpfTermNode,
    record: SpfRecordNode,
    stack: string[],
    via: 'include' | 'redirect',
  ): Promise<{ kind: 'followed'; sub: RecordEval } | { kind: 'no-match' } | { kind: 'error'; result: 'permerror' | 'temperror' }> {
    const domain = record.domain;
    if (!this.countTerm(tn, domain)) return { kind: 'no-match' };
    const target = await this.target(t.domainSpec, domain, tn.queries);
    tn.target = target;
    tn.description = describeTerm(t.kind, t.name, t.qualifier, target);
    const key = target.toLowerCase();
    const at = stack.indexOf(key);
    if (at >= 0) {
      tn.loop = [...stack.slice(at), key];
      const path = tn.loop.join(' → ');
      if (!this.loopsReported.has(path)) {
        this.loopsReported.add(path);
        this.finding({
          code: 'spf-include-loop',
          severity: 'error',
          message: `${via === 'include' ? 'Include' : 'Redirect'} loop: ${path}. Evaluation can only end at the lookup limit, so the result is permerror. Remove the ${via} that points back.`,
          domain,
          term: t.index,
          start: t.start,
          end: t.end,
        });
      }
      // Strict evaluation follows the loop until the lookup limit ends it; the diagnosis does not.
      if (this.diagnostic || stack.length > 30) {
        tn.note = `Loop: ${path}. Not followed again.`;
        const sub = this.newRecord(target, via, record.depth + 1);
        sub.how = 'loop';
        sub.result = 'permerror';
        sub.note = `Already being evaluated (${path}).`;
        tn.record = sub;
        return { kind: 'error', result: 'permerror' };
      }
      tn.note = `Loop: ${path}. Followed, as receivers do, until the lookup limit ends it.`;
    }
    const sub = this.newRecord(target, via, record.depth + 1);
    tn.record = sub;
    const ev = await this.evalRecord(sub, [...stack, key]);
    if (sub.query) {
      tn.queries.push(sub.query);
      if (sub.query.empty) this.noteVoid(tn, domain, sub.query);
    }
    return { kind: 'followed', sub: ev };
  }

  // --- prefetch ----------------------------------------------------------------------------------

  /**
   * Starts, in parallel, every lookup this record's terms will need that does not depend on an
   * earlier answer, and the records of its includes as they arrive. The strict walk then finds
   * them in the memo. Only warms answers: results and counts come from the walk alone.
   */
  private prefetchRecord(parsed: ParsedSpf, domain: string, depth: number): void {
    if (this.options.prefetch === false || depth > 10) return;
    for (const t of parsed.terms) {
      if (t.kind !== 'mechanism') continue;
      if (t.name === 'all') return; // nothing after it runs, and a redirect beside it is ignored
      if ((t.name === 'ip4' || t.name === 'ip6') && this.ip.evalFamily === (t.name === 'ip4' ? 4 : 6) && this.matchesAddress(t.network!, t.cidr4, t.cidr6)) return;
      if (t.dnsTerm) this.prefetchTerm(t, domain, depth);
    }
    if (parsed.redirect !== undefined) this.prefetchTerm(parsed.terms[parsed.redirect], domain, depth);
  }

  private prefetchTerm(t: SpfTerm, domain: string, depth: number): void {
    if (this.prefetchBudget <= 0 || t.macroLetters.includes('p')) return;
    const fam = this.ip.evalFamily === 4 ? 'A' : 'AAAA';
    let target = domain;
    if (t.domainSpec !== undefined) {
      const tokens = this.tokens(t.domainSpec, 'domain');
      if (!tokens) return;
      target = toQueryName(expandTokens(tokens, { ...this.values, d: domain }));
    }
    if (t.name !== 'ptr' && unqueryable(target)) return;
    this.prefetchBudget--;
    const ok = (r: LookupResult) => !isTemporary(r.rcode);
    const swallow = () => undefined;
    switch (t.name) {
      case 'a':
        this.lookup(target, fam);
        return;
      case 'exists':
        this.lookup(target, 'A');
        return;
      case 'mx':
        this.lookup(target, 'MX').then((r) => {
          if (!ok(r)) return;
          const hosts = r.records.map((x) => (x.data as { exchange: string }).exchange).filter((h) => h !== '' && h !== '.' && !unqueryable(h));
          for (const h of hosts.slice(0, MAX_MX)) this.lookup(h, fam);
        }, swallow);
        return;
      case 'ptr':
        this.lookup(reverseName(this.ip.evalText), 'PTR').then((r) => {
          if (!ok(r)) return;
          const want = target.toLowerCase();
          const names = r.records.map((x) => String(x.data)).slice(0, MAX_PTR);
          for (const n of names) if ((n === want || n.endsWith(`.${want}`)) && !unqueryable(n)) this.lookup(n, fam);
        }, swallow);
        return;
      case 'include':
      case 'redirect': {
        const key = target.toLowerCase();
        if (this.prefetchedRecords.has(key)) return;
        this.prefetchedRecords.add(key);
        this.lookup(target, 'TXT').then((r) => {
          if (!ok(r)) return;
          const spf = r.records.map((x) => (x.data as string[]).join('')).filter(isSpfRecord);
          if (spf.length !== 1) return;
          const parsed = parseSpf(spf[0]);
          if (parsed.problems.length === 0) this.prefetchRecord(parsed, target, depth + 1);
        }, swallow);
        return;
      }
    }
  }

  // --- explanation -------------------------------------------------------------------------------

  /** RFC 7208 §6.2: the exp= text for a fail, or undefined (then the default explanation is used). */
  async explanation(ctx: ExpContext): Promise<string | undefined> {
    const { term, node, domain } = ctx;
    const ignore = (why: string): undefined => {
      node.outcome = 'ignored';
      node.note = `Not used: ${why}; the default explanation applies (RFC 7208 §6.2).`;
      this.finding({ code: 'spf-exp-ignored', severity: 'info', message: `${domain}: "${term.text}": ${why}, so receivers use their default explanation.`, domain, term: term.index, start: term.start, end: term.end });
      return undefined;
    };
    const target = await this.target(term.domainSpec, domain, node.queries);
    node.target = target;
    const bad = unqueryable(target);
    if (bad) return ignore(`${target} cannot be looked up (${bad})`);
    const { q, r } = await this.query(target, 'TXT', 'explanation text');
    node.queries.push(q);
    if (isTemporary(r.rcode)) return ignore(`the TXT lookup for ${target} failed (${q.error ?? q.rcode})`);
    if (q.answers.length === 0) return ignore(`${target} has no TXT record`);
    if (q.answers.length > 1) return ignore(`${target} has ${q.answers.length} TXT records; there must be exactly one`);
    const parsed = parseMacroString(q.answers[0], 'exp-text');
    if (!parsed.ok) return ignore(`the text at ${target} is not a valid explanation: ${parsed.problem.message}`);
    const p = usesLetter(parsed.tokens, 'p') ? await this.pValue(domain, node.queries) : undefined;
    const text = expandTokens(parsed.tokens, { ...this.values, d: domain, ...(p !== undefined ? { p } : {}) });
    node.outcome = 'applied';
    node.note = `Explanation: ${JSON.stringify(text)}`;
    return text;
  }
}

function decisionPath(root: SpfRecordNode): SpfDecisionStep[] {
  const out: SpfDecisionStep[] = [];
  let node: SpfRecordNode | undefined = root;
  for (let i = 0; node && i < 64; i++) {
    const idx: number | null = node.decidedBy;
    const term: SpfTermNode | undefined = idx === null ? undefined : node.terms[idx];
    out.push({ domain: node.domain, term: idx, ...(term ? { text: term.text } : {}) });
    node = term && (term.name === 'include' || term.name === 'redirect') && term.decided && term.record && term.record.how !== 'loop' && !term.limit ? term.record : undefined;
    // An include that did not match leaves the decision in this record.
    if (term?.name === 'include' && term.outcome !== 'match' && term.outcome !== 'error') node = undefined;
  }
  return out;
}

function reasonFor(result: SpfResultCode, root: SpfRecordNode, path: SpfDecisionStep[], ev: Evaluation, ip: string): string {
  const last = path[path.length - 1];
  const lastRecord = findRecord(root, path);
  const term = lastRecord && last.term !== null ? lastRecord.terms[last.term] : undefined;
  if (ev.limit) {
    const kind = ev.limit.kind === 'dns-terms' ? `more than ${ev.maxDnsTerms} DNS-querying terms` : ev.limit.kind === 'void-lookups' ? `more than ${ev.maxVoid} void lookups` : `more than ${MAX_MX} MX records`;
    const loop = ev.findings.find((f) => f.code === 'spf-include-loop');
    return `permerror: ${kind} (RFC 7208 §4.6.4), at "${ev.limit.text}" in ${ev.limit.domain}'s record.${loop ? ` ${loop.message.split('. ')[0]}.` : ''}`;
  }
  const where = last.domain === root.domain ? `${root.domain}'s record` : `${last.domain}'s record (reached from ${root.domain})`;
  if (path.length >= 2 && result !== 'none' && (lastRecord?.how === 'no-record' || lastRecord?.how === 'invalid-domain')) {
    const parent = findRecord(root, path.slice(0, -1));
    const prev = path[path.length - 2];
    const pt = parent && prev.term !== null ? parent.terms[prev.term] : undefined;
    return `${result}: "${pt?.text}" in ${prev.domain}'s record: ${pt?.note ?? ''}`;
  }
  switch (lastRecord?.how) {
    case 'match':
      return `${result}: "${term?.text}" in ${where} matched ${ip}.`;
    case 'default':
      return `neutral: nothing in ${where} matched ${ip} and there is no redirect= (RFC 7208 §4.7).`;
    case 'no-record':
      return `none: ${lastRecord.note ?? `${last.domain} has no SPF record.`}`;
    case 'invalid-domain':
      return `none: ${lastRecord.note ?? ''}`;
    case 'multiple-records':
    case 'dns-error':
      return `${result}: ${lastRecord.note ?? ''}`;
    case 'syntax':
      return `permerror: ${where} has a syntax error: ${term?.note ?? lastRecord.problems[0]?.message ?? ''}`;
    case 'redirect':
      return `${result}: from ${where}'s redirect to ${term?.target}.`;
    case 'error':
    case 'loop':
      return `${result}: "${term?.text}" in ${where}: ${term?.note ?? ''}`;
  }
  return result;
}

function findRecord(root: SpfRecordNode, path: SpfDecisionStep[]): SpfRecordNode | undefined {
  let node: SpfRecordNode | undefined = root;
  for (let i = 1; i < path.length && node; i++) {
    const prev = path[i - 1];
    node = prev.term === null ? undefined : node.terms[prev.term]?.record;
  }
  return node;
}

/**
 * RFC 7208 §4 check_host(<ip>, <domain>, <sender>). Never throws to report a result; throws
 * InputError when `ip` is not an IP address and AbortError when `options.signal` aborts.
 */
export async function checkHost(input: SpfCheckInput, options: SpfOptions): Promise<SpfResult> {
  const ip = clientIp(input.ip);
  options.signal?.throwIfAborted();
  const started = Date.now();
  const domain = input.domain.endsWith('.') && input.domain.length > 1 ? input.domain.slice(0, -1) : input.domain;
  const sender = input.sender ?? `postmaster@${domain}`;
  const identity = input.identity ?? 'mailfrom';

  // The overall deadline (RFC 7208 §4.6.4) and the caller's signal, as one signal for the lookups.
  const controller = new AbortController();
  let deadlineHit = false;
  const timer = setTimeout(() => {
    deadlineHit = true;
    controller.abort();
  }, options.deadlineMs ?? 20_000);
  const onAbort = () => controller.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onAbort, { once: true });

  const ev = new Evaluation({ domain, sender, helo: input.helo }, ip, options, controller.signal);
  const root = ev.newRecord(domain, 'check', 0);
  let flow: SpfResultCode = 'none';
  let exp: ExpContext | undefined;
  let deadline = false;
  try {
    const bad = domainProblem(domain);
    if (bad) {
      // RFC 7208 §4.3: a malformed <domain> gives none at once.
      root.how = 'invalid-domain';
      root.note = `${bad}: check_host() returns none (RFC 7208 §4.3).`;
      ev.finding({ code: 'spf-domain-invalid', severity: 'warning', message: root.note });
    } else {
      const r = await ev.evalRecord(root, [domain.toLowerCase()]);
      flow = r.flow;
      exp = r.exp;
    }
  } catch (e) {
    if (!(e instanceof Error && e.name === 'AbortError') || !deadlineHit || options.signal?.aborted) {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      throw e;
    }
    deadline = true;
  }

  let result: SpfResultCode = ev.limit ? 'permerror' : flow;
  if (deadline) {
    result = 'temperror';
    root.how = 'error';
    root.note = `The check took longer than ${options.deadlineMs ?? 20_000} ms (RFC 7208 §4.6.4): temperror.`;
    ev.finding({ code: 'spf-deadline', severity: 'error', message: `${root.note} Some DNS servers answered too slowly or not at all; see the queries in the tree.` });
  }
  if (flow === 'none' && result === 'none' && root.how === 'no-record') {
    ev.finding({
      code: 'spf-none',
      severity: 'warning',
      message: `${domain} publishes no SPF record: receivers get "none" and decide by their own rules; many treat such mail as suspicious.`,
      ...(root.query ? { dig: root.query.dig } : {}),
      domain,
    });
  }

  // RFC 7208 §6.2: only a fail carries an explanation; exp is looked up after the result, uncounted.
  let explanation: string | undefined;
  let explanationSource: SpfResult['explanationSource'] = 'reason';
  if (result === 'fail' && !deadline) {
    try {
      explanation = exp ? await ev.explanation(exp) : undefined;
    } catch (e) {
      if (!(e instanceof Error && e.name === 'AbortError') || !deadlineHit || options.signal?.aborted) {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        throw e;
      }
    }
    explanationSource = explanation !== undefined ? 'exp' : 'default';
    explanation ??= options.defaultExplanation ?? `${domain} does not designate ${ip.text} as a permitted sender`;
  }
  clearTimeout(timer);
  options.signal?.removeEventListener('abort', onAbort);
  // Prefetches the strict walk never needed are still in flight: stop them (their sockets close).
  controller.abort();

  const decision = deadline ? [{ domain, term: null }] : decisionPath(root);
  const reason = deadline ? `temperror: ${root.note}` : reasonFor(result, root, decision, ev, ip.evalText);
  explanation ??= reason;

  if (!ev.limit && ev.lookups >= ev.maxDnsTerms - 1 && ev.lookups <= ev.maxDnsTerms) {
    ev.finding({
      code: 'spf-lookups-near-limit',
      severity: 'warning',
      message: `This check used ${ev.lookups} of the ${ev.maxDnsTerms} DNS-querying terms allowed (RFC 7208 §4.6.4). One more include, a, mx, ptr or exists anywhere in the tree — or a change in an included record you do not control — makes it a permerror.`,
      domain,
    });
  }
  if (ev.limit && ev.limit.kind === 'dns-terms') {
    ev.finding({
      code: 'spf-lookup-total',
      severity: 'info',
      message: `The whole tree needs ${ev.lookups} DNS-querying terms${ev.diagnosticTerms >= (options.maxDiagnosticTerms ?? 40) ? ' or more (the diagnosis stopped following it)' : ''}; the limit is ${ev.maxDnsTerms}. Replace includes with the ip4:/ip6: ranges they stand for, or drop senders you no longer use.`,
      domain,
    });
  }

  const decidedTerm = (() => {
    const rec = findRecord(root, decision);
    const last = decision[decision.length - 1];
    return rec && last.term !== null ? rec.terms[last.term] : undefined;
  })();
  const problem = result === 'permerror' || result === 'temperror' ? reason.replace(/^(permerror|temperror): /, '').replace(/ \(RFC 7208 §[\d.]+\)/g, '') : undefined;
  const receivedSpf = receivedSpfHeader({
    result,
    ip: ip.text,
    sender,
    envelopeFrom: input.envelopeFrom ?? sender,
    ...(input.helo ? { helo: input.helo } : {}),
    identity,
    ...(options.receiver ? { receiver: options.receiver } : {}),
    ...(decidedTerm && decidedTerm.outcome === 'match' ? { mechanism: decidedTerm.text } : {}),
    ...(problem ? { problem } : {}),
  });

  return {
    kind: 'spf',
    ip: ip.text,
    family: ip.family,
    evaluatedIp: ip.evalText,
    domain,
    sender,
    ...(input.helo ? { helo: input.helo } : {}),
    identity,
    result,
    explanation,
    explanationSource,
    reason,
    decision,
    lookups: ev.limit ? ev.strictLookups : ev.lookups,
    lookupLimit: ev.maxDnsTerms,
    voidLookups: ev.limit ? ev.strictVoids : ev.voids,
    voidLimit: ev.maxVoid,
    totalLookups: ev.lookups,
    totalVoidLookups: ev.voids,
    ...(ev.limit ? { limitExceeded: ev.limit, resultWithoutLimits: flow } : {}),
    tree: root,
    findings: ev.findings,
    receivedSpf,
    authResults: authResultsClause(result, identity, domain),
    queries: ev.queryCount,
    resolvers: options.resolver.servers(),
    startedAt: new Date(started).toISOString(),
    elapsedMs: Date.now() - started,
  };
}

/** Which section each part of a result comes from, for readers of the tree. */
export const SPF_SECTIONS = SECTION;

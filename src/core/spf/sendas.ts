// "Can this server send for a domain?" — the seed's "send mail as a different domain" case. A
// server that sends as @from-domain needs that domain's SPF to authorize its IP (published in the
// From domain's DNS); its PTR may stay on its own domain as long as forward-confirmed reverse DNS
// holds; replies go to the From domain's MX, not to the sender.
import { findZone } from '../dns/zone';
import { firstAnswers, LIMITS } from '../dns/budget';
import { isTemporary, type Resolver } from '../dns/types';
import { parseIp } from '../ip';
import { checkRdns, InputError } from '../rdns/check';
import { checkHost, domainProblem, type SpfOptions } from './check';
import { authorizeIp, txtRecordLine } from './fix';
import type { SendAsMx, SendAsResult, SpfFinding, SpfResult } from './types';

export interface SendAsOptions {
  resolver: Resolver;
  signal?: AbortSignal;
  /** Passed on to check_host(). */
  spf?: Omit<SpfOptions, 'resolver' | 'signal'>;
  /** TTL of the proposed TXT record (default 3600). */
  ttl?: number;
}

async function mxOf(resolver: Resolver, domain: string, signal?: AbortSignal): Promise<SendAsMx> {
  const r = await resolver.lookup(domain, 'MX', { signal });
  const hosts = r.records
    .map((x) => x.data as { preference: number; exchange: string })
    .sort((a, b) => a.preference - b.preference)
    .map((x) => ({ preference: x.preference, exchange: x.exchange }));
  const nullMx = hosts.length === 1 && (hosts[0].exchange === '.' || hosts[0].exchange === '');
  const base = { rcode: r.rcode, dig: resolver.dig(domain, 'MX'), ...(r.error && isTemporary(r.rcode) ? { error: r.error } : {}) };
  // The answer budget: where replies go needs a few hosts, not a hostile zone's thousands.
  const cap = LIMITS.answersListed;
  if (hosts.length > 0 || isTemporary(r.rcode)) return { hosts: nullMx ? [] : hosts.slice(0, cap), ...(hosts.length > cap ? { omitted: hosts.length - cap } : {}), implicit: false, nullMx, addresses: [], ...base };
  // RFC 5321 §5.1: no MX records → the domain itself is the mail host.
  const [a, aaaa] = await Promise.all([resolver.lookup(domain, 'A', { signal }), resolver.lookup(domain, 'AAAA', { signal })]);
  const { answers: addresses, omitted } = firstAnswers([...a.records, ...aaaa.records].map((x) => String(x.data)));
  return { hosts: [], implicit: true, nullMx: false, addresses, ...(omitted > 0 ? { omitted } : {}), ...base };
}

/** The registered-looking parent of a host name (`mail.example.net` → `example.net`), for wording. */
function ownDomain(host: string | undefined): string | undefined {
  if (!host) return undefined;
  const labels = host.split('.');
  return labels.length > 2 ? labels.slice(1).join('.') : host;
}

/** Where a new ip4:/ip6: must go in the From domain's top record, from how SPF decided. */
function insertBefore(spf: SpfResult): number | null {
  const root = spf.tree;
  if (root.decidedBy === null) return null;
  const t = root.terms[root.decidedBy];
  if (!t) return null;
  // A term that decided anything but pass, a redirect, or an include that erred (or hid a limit):
  // the address must match before it.
  if (t.kind === 'modifier' && t.name === 'redirect') return t.index;
  if (t.kind === 'mechanism' && t.result !== 'pass') return t.index;
  return null;
}

/**
 * Whether `fromDomain`'s SPF authorizes `ip`, the IP's reverse DNS, where replies go, and the TXT
 * record to publish when SPF does not authorize it. Throws InputError for a bad IP or domain.
 */
export async function sendAs(ipText: string, fromDomainText: string, options: SendAsOptions): Promise<SendAsResult> {
  const parsed = parseIp(ipText);
  if (!parsed.ok) throw new InputError(parsed.error);
  const fromDomain = fromDomainText.trim().replace(/\.$/, '').replace(/^.*@/, '').toLowerCase();
  const bad = domainProblem(fromDomain);
  if (bad) throw new InputError(`from-domain: ${bad}`);
  const { resolver, signal } = options;
  const started = Date.now();
  const ip = parsed.ip;

  const [spf, rdns, mx, zone] = await Promise.all([
    checkHost({ ip, domain: fromDomain, sender: `postmaster@${fromDomain}` }, { ...options.spf, resolver, ...(signal ? { signal } : {}) }),
    checkRdns(ip, { resolver, signal }),
    mxOf(resolver, fromDomain, signal),
    findZone(resolver, fromDomain, signal),
  ]);

  const authorized = spf.result === 'pass' ? true : spf.result === 'temperror' ? null : false;
  const findings: SpfFinding[] = [];
  const summary: string[] = [];
  const ptrName = rdns.confirmed[0] ?? rdns.ptr[0];
  const own = ownDomain(ptrName);
  const why = spf.reason.replace(/^[a-z]+: /, '');
  const ttl = options.ttl ?? 3600;
  let fix: SendAsResult['fix'];

  if (authorized === true) {
    const by = spf.decision.map((d) => d.text).filter(Boolean).join(' → ');
    summary.push(`SPF: yes. ${fromDomain}'s SPF record authorizes ${ip} (pass${by ? ` via ${by}` : ''}).`);
    findings.push({ code: 'send-as-authorized', severity: 'info', message: `${fromDomain}'s SPF gives pass for ${ip}: ${spf.reason}`, domain: fromDomain });
  } else if (authorized === null) {
    summary.push(`SPF: cannot tell. The SPF check of ${fromDomain} ended in temperror: ${why}`);
    findings.push({ code: 'send-as-spf-temperror', severity: 'warning', message: `SPF of ${fromDomain} could not be evaluated (temperror): ${spf.reason} Receivers defer such mail; check again when DNS answers.`, domain: fromDomain });
  } else {
    const current = spf.tree.how === 'multiple-records' ? spf.tree.candidates?.[0] : spf.tree.record;
    const edit = authorizeIp(current, ip, { before: insertBefore(spf), hasMx: mx.hosts.length > 0 });
    const withinLimit = !spf.limitExceeded && spf.totalLookups + (current === undefined ? edit.dnsTerms : 0) <= spf.lookupLimit;
    const lookups = spf.limitExceeded ? spf.totalLookups : spf.totalLookups + (current === undefined ? edit.dnsTerms : 0);
    const where = `in the DNS of ${fromDomain}${zone ? ` (zone ${zone})` : ''}${own && own !== fromDomain ? `, not in ${own}'s: receivers look up SPF in the DNS of the domain in the sender address (MAIL FROM)` : ''}`;
    const extra: string[] = [];
    if (spf.tree.how === 'multiple-records') extra.push(`${fromDomain} has ${spf.tree.candidates?.length} SPF records: replace all of them with this one.`);
    if (spf.tree.how === 'syntax') extra.push(`The current record also has a syntax error that makes it a permerror for everyone; fix that too: ${spf.tree.problems[0]?.message ?? ''}`);
    if (!withinLimit) extra.push(`The record needs ${spf.totalLookups} DNS lookups in all, over the limit of ${spf.lookupLimit}: adding ${edit.added} costs none, but the record stays a permerror for other senders until includes are replaced with the ip4:/ip6: ranges they stand for.`);
    const description =
      (current === undefined
        ? `${fromDomain} has no SPF record. Publish this TXT record ${where}.`
        : `Add ${edit.added} to ${fromDomain}'s SPF record${edit.before ? `, before "${edit.before}"` : ''}, ${where}.`) + (extra.length ? ' ' + extra.join(' ') : '');
    fix = {
      description,
      ...(zone ? { zone } : {}),
      owner: fromDomain,
      type: 'TXT',
      ...(current !== undefined ? { current } : {}),
      proposed: edit.record,
      record: txtRecordLine(fromDomain, edit.record, ttl),
      lookups,
      withinLimit,
    };
    summary.push(spf.result === 'none' ? `SPF: no. ${fromDomain} has no SPF record (result none): ${why}` : `SPF: no. ${fromDomain}'s SPF gives ${spf.result} for ${ip}: ${why}`);
    summary.push(`Fix: ${description}`);
    findings.push({ code: 'send-as-not-authorized', severity: 'error', message: `${fromDomain}'s SPF does not authorize ${ip} (${spf.result}): receivers ${spf.result === 'fail' ? 'reject or junk' : 'distrust'} mail from it with a From/envelope of @${fromDomain}.`, domain: fromDomain, fix });
  }

  if (rdns.fcrdns === 'pass') {
    const line = `Reverse DNS: fine as it is. ${ip} → ${rdns.confirmed[0]} → ${ip} is forward-confirmed. The PTR stays on ${own ?? 'your own domain'}: receivers check that the PTR name resolves back to the IP, not that it names the From domain, and an IP has only one PTR.`;
    summary.push(line);
    findings.push({ code: 'send-as-rdns-ok', severity: 'info', message: line });
  } else {
    const first = rdns.findings.find((f) => f.severity === 'error');
    const line = `Reverse DNS: needs fixing, whatever the From domain (iprev ${rdns.fcrdns}). ${first ? first.message : ''}`.trim();
    summary.push(line);
    findings.push({ code: 'send-as-rdns-broken', severity: 'error', message: `${line} Do not add a PTR for ${fromDomain}: fix ${ip}'s own PTR so that it resolves back (see maildns rdns ${ip}).`, ...(first?.fix ? { fix: first.fix } : {}) });
  }

  if (mx.nullMx) {
    summary.push(`Replies: ${fromDomain} has a null MX (RFC 7505): it accepts no mail, so replies bounce.`);
    findings.push({ code: 'send-as-no-replies', severity: 'warning', message: `${fromDomain} publishes a null MX: replies to its addresses bounce.`, dig: mx.dig, domain: fromDomain });
  } else if (isTemporary(mx.rcode)) {
    summary.push(`Replies: unknown; the MX lookup of ${fromDomain} failed (${mx.rcode}).`);
  } else if (mx.implicit) {
    summary.push(
      mx.addresses.length > 0
        ? `Replies: ${fromDomain} has no MX records, so replies go to its own address (${mx.addresses.join(', ')}${mx.omitted ? ` and ${mx.omitted} more` : ''}).`
        : `Replies: ${fromDomain} has no MX and no address: replies cannot be delivered.`,
    );
    if (mx.addresses.length === 0) findings.push({ code: 'send-as-no-replies', severity: 'warning', message: `${fromDomain} has neither MX nor address records: replies cannot be delivered.`, dig: mx.dig, domain: fromDomain });
  } else {
    const hosts = mx.hosts.map((h) => h.exchange).join(', ') + (mx.omitted ? ` and ${mx.omitted} more` : '');
    summary.push(`Replies: to ${fromDomain}'s MX (${hosts}), not to this server.`);
    findings.push({ code: 'send-as-replies', severity: 'info', message: `Replies to @${fromDomain} go to its MX hosts: ${hosts}.`, dig: mx.dig, domain: fromDomain });
  }

  return {
    kind: 'send-as',
    ip,
    fromDomain,
    authorized,
    spf,
    rdns,
    mx,
    ...(fix ? { fix } : {}),
    findings,
    summary,
    startedAt: new Date(started).toISOString(),
    elapsedMs: Date.now() - started,
  };
}

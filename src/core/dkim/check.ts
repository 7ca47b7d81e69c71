// "Check DKIM key": the key record at <selector>._domainkey.<domain> (RFC 6376 §3.6.2.1), read
// with the key parser (./key.ts), CNAME-delegated selectors followed and shown. Without a selector
// the common ones (./selectors.ts) are looked up in parallel, within one query budget: DKIM
// selectors cannot be listed from DNS, so the check says which it tried.
import { budgetFinding, createBudget, withBudget } from '../dns/budget';
import { isTemporary, type LookupResult, type Resolver } from '../dns/types';
import type { Finding, Fix } from '../model';
import { parseDomain } from '../mx/check';
import { InputError } from '../rdns/check';
import { txtRecordLine } from '../spf/fix';
import { type DkimProblem, parseDkimKey, type ParsedDkimKey } from './key';
import { DKIM_LIMITS } from './limits';
import { COMMON_SELECTORS, selectorProblem } from './selectors';
import type { DkimKeyResult, DkimSelectorLookup } from './types';

export { InputError };

export interface DkimCheckOptions {
  resolver: Resolver;
  signal?: AbortSignal;
  /** Selectors tried when none is given (default: COMMON_SELECTORS). */
  commonSelectors?: readonly string[];
}

/** `s1._domainkey.example.com` */
export function keyName(selector: string, domain: string): string {
  return `${selector}._domainkey.${domain}`.toLowerCase();
}

/**
 * The selector and domain from what a user typed: `(s1, example.com)`, or the whole key name
 * `s1._domainkey.example.com` as one argument, or a domain alone (selector null). Throws InputError.
 */
export function parseDkimInput(selectorText: string | undefined, domainText: string | undefined): { selector: string | null; domain: string } {
  let sel = selectorText?.trim() ?? '';
  let dom = domainText?.trim() ?? '';
  if (dom === '') [sel, dom] = ['', sel];
  const at = dom.toLowerCase().indexOf('._domainkey.');
  if (sel === '' && at > 0) {
    // The whole key name, as dig and DNS consoles show it.
    sel = dom.slice(0, at);
    dom = dom.slice(at + '._domainkey.'.length);
  }
  const d = parseDomain(dom);
  if (!d.ok) throw new InputError(d.error);
  if (sel === '') return { selector: null, domain: d.domain };
  const problem = selectorProblem(sel);
  if (problem) throw new InputError(problem);
  return { selector: sel.toLowerCase(), domain: d.domain };
}

function dnsCode(rcode: string): string {
  return rcode === 'TIMEOUT' ? 'dns-timeout' : rcode === 'SERVFAIL' ? 'dns-servfail' : rcode === 'REFUSED' ? 'dns-refused' : `dns-${rcode.toLowerCase()}`;
}

/** The record with `problem` applied, when the problem has a certain replacement. */
function fixedText(text: string, p: DkimProblem): string | undefined {
  return p.replacement === undefined ? undefined : text.slice(0, p.start) + p.replacement + text.slice(p.end);
}

const NEW_KEY = (name: string, domain: string): string =>
  `Make a new 2048-bit key under a new selector (e.g. \`opendkim-genkey -b 2048 -d ${domain} -s <new selector>\`), publish its TXT record at <new selector>._domainkey.${domain}, switch the signer to it, and remove ${name} only when no mail signed with it is still on its way`;

function problemFix(p: DkimProblem, parsed: ParsedDkimKey, name: string, domain: string): Fix | undefined {
  const base = { owner: name, type: 'TXT', current: parsed.text };
  if (p.code === 'dkim-key-string-too-long') {
    return { ...base, description: `Publish the same record split into character-strings of at most 255 octets (DNS joins them again)`, proposed: parsed.text, record: txtRecordLine(name, parsed.text) };
  }
  if (p.code === 'dkim-key-too-small' || p.code === 'dkim-key-weak') return { description: NEW_KEY(name, domain), owner: name, type: 'TXT' };
  if (p.code === 'dkim-key-revoked') {
    return { ...base, description: `If ${name} was revoked on purpose, make sure nothing signs with selector ${name.split('._domainkey.')[0]} any more; otherwise publish its public key in p= again` };
  }
  const fixed = fixedText(parsed.text, p);
  if (fixed === undefined) return undefined;
  return { ...base, description: `Change the record to: ${fixed}`, proposed: fixed, record: txtRecordLine(name, fixed) };
}

function keyFindings(parsed: ParsedDkimKey, name: string, domain: string, prefix: string): Finding[] {
  return parsed.problems.map((p) => {
    const fix = problemFix(p, parsed, name, domain);
    return { code: p.code, severity: p.severity, message: `${prefix}${p.message}`, start: p.start, end: p.end, ...(fix ? { fix } : {}) };
  });
}

/** The record a verifier reads: the first TXT record with a p= tag, else the first one. */
function keyRecord(records: string[][]): string[] | undefined {
  return records.find((r) => /(^|;)\s*p\s*=/.test(r.join(''))) ?? records[0];
}

async function lookupSelector(selector: string, domain: string, resolver: Resolver, signal: AbortSignal | undefined, alone: boolean): Promise<DkimSelectorLookup> {
  const name = keyName(selector, domain);
  const dig = resolver.dig(name, 'TXT');
  const r: LookupResult = await resolver.lookup(name, 'TXT', { signal });
  const all = r.records.filter((x) => x.type === 'TXT').map((x) => x.data as string[]);
  // A flood of TXT records at one key name is kept to a few (the one a verifier reads first), the rest counted.
  const chosenAll = keyRecord(all);
  const kept = all.slice(0, DKIM_LIMITS.keyRecordsKept);
  const records = chosenAll && !kept.includes(chosenAll) ? [chosenAll, ...kept.slice(0, -1)] : kept;
  const cnames = r.cnames.map((c) => ({ name: c.name, target: c.target }));
  const findings: Finding[] = [];
  const prefix = alone ? '' : `selector ${selector}: `;
  const base: Omit<DkimSelectorLookup, 'findings'> = {
    selector,
    name,
    rcode: r.rcode,
    ...(r.error ? { error: r.error } : {}),
    cnames,
    records,
    ...(all.length > records.length ? { recordsOmitted: all.length - records.length } : {}),
    dig,
  };
  if (isTemporary(r.rcode)) {
    findings.push({ code: dnsCode(r.rcode), severity: alone ? 'error' : 'warning', message: `${prefix}the TXT query for ${name} failed: ${r.error ?? r.rcode}. Receivers retry later (temperror); the key could not be checked.`, dig });
    return { ...base, findings };
  }
  const target = cnames.length > 0 ? cnames[cnames.length - 1].target : undefined;
  if (target) {
    findings.push({
      code: 'dkim-key-cname',
      severity: 'info',
      message: `${prefix}${name} is a CNAME to ${cnames.map((c) => c.target).join(' → ')}: the selector is delegated (as mail providers ask), so the key is theirs to publish and rotate.`,
      dig,
    });
  }
  if (records.length === 0) {
    if (alone || target) {
      const dangling = target !== undefined;
      findings.push({
        code: dangling ? 'dkim-key-cname-dangling' : 'dkim-key-missing',
        severity: 'error',
        message: dangling
          ? `${prefix}${name} points to ${target}, which has no TXT record${r.rcode === 'NXDOMAIN' ? ' (it does not exist)' : ''}: the provider removed the key, or the CNAME has a typo. Mail signed with selector ${selector} fails DKIM (permerror: no key).`
          : `${prefix}there is no key at ${name} (${r.rcode === 'NXDOMAIN' ? 'the name does not exist' : 'the name has no TXT record'}): mail signed with selector ${selector} fails DKIM (permerror: no key).`,
        dig,
        fix: {
          description: dangling
            ? `Ask the mail provider for the current CNAME target of selector ${selector} (their DNS settings page), and point ${name} there`
            : `Publish the public key your signer gives you as a TXT record at ${name}: "v=DKIM1; k=rsa; p=<the base64 public key>" (opendkim-genkey writes it to <selector>.txt). Check the selector in the s= tag of a DKIM-Signature of a message you sent`,
          owner: name,
          type: dangling ? 'CNAME' : 'TXT',
        },
      });
    }
    return { ...base, findings };
  }
  const chosen = keyRecord(records)!;
  const parsed = parseDkimKey(chosen);
  if (all.length > 1) {
    findings.push({
      code: 'dkim-key-multiple',
      severity: 'warning',
      message: `${prefix}${name} has ${all.length} TXT records${all.length > records.length ? ` (${records.length} kept in this report)` : ''}: verifiers may use any one of them (RFC 6376 §3.6.2.2), so results vary. Keep only the key record.`,
      dig,
    });
  }
  findings.push(...keyFindings(parsed, target ?? name, domain, prefix));
  return { ...base, parsed, findings };
}

function keySummary(l: DkimSelectorLookup): Pick<DkimKeyResult, 'record' | 'key' | 'testing' | 'revoked' | 'cnames'> {
  const p = l.parsed;
  return {
    record: p ? p.text : null,
    key: p ? { type: p.key.type ?? (p.revoked ? null : p.keyType), bits: p.key.bits } : { type: null, bits: null },
    testing: p?.testing ?? false,
    revoked: p?.revoked ?? false,
    cnames: l.cnames,
  };
}

/**
 * Checks the DKIM key of `selector` at `domain`, or (selector null or empty) looks for keys under
 * the common selectors. DNS trouble is a finding, never an exception; bad input throws InputError.
 */
export async function checkDkimKey(selectorText: string | null | undefined, domainText: string, options: DkimCheckOptions): Promise<DkimKeyResult> {
  const { selector, domain } = parseDkimInput(selectorText ?? undefined, domainText);
  const { signal } = options;
  signal?.throwIfAborted();
  const started = Date.now();
  const budget = createBudget('DKIM key check', DKIM_LIMITS.keyQueries);
  const resolver = withBudget(options.resolver, budget);
  const findings: Finding[] = [];
  let lookups: DkimSelectorLookup[];
  if (selector !== null) {
    lookups = [await lookupSelector(selector, domain, resolver, signal, true)];
    findings.push(...lookups[0].findings);
  } else {
    const tried = options.commonSelectors ?? COMMON_SELECTORS.map((c) => c.selector);
    lookups = await Promise.all(tried.map((s) => lookupSelector(s, domain, resolver, signal, false)));
    const found = lookups.filter((l) => l.records.length > 0).map((l) => l.selector);
    const trouble = lookups.filter((l) => isTemporary(l.rcode));
    findings.push({
      code: 'dkim-selectors-tried',
      severity: 'info',
      message:
        `No selector given, so ${tried.length} common selectors were tried: ${tried.join(', ')}. ` +
        `DKIM selectors cannot be listed from DNS: the s= tag of a DKIM-Signature in a message the domain sent names the one it uses. ` +
        (found.length > 0 ? `Found a key record under: ${found.join(', ')}.` : 'None of them has a key record.'),
    });
    if (found.length === 0) {
      findings.push({
        code: 'dkim-no-selector-found',
        severity: 'warning',
        message:
          `No key under any common selector of ${domain}${trouble.length > 0 ? ` (${trouble.length} lookups failed, so some could not be checked)` : ''}. ` +
          'That does not mean the domain has no DKIM key: look up the s= of a DKIM-Signature of a message from it (or the signer\'s settings) and check that selector.',
      });
    }
    for (const l of lookups) findings.push(...l.findings.filter((f) => f.code !== 'dkim-key-missing'));
  }
  const over = budgetFinding(budget, 'Selectors not looked up are shown with rcode BUDGET.');
  if (over) findings.push(over);
  const reported = selector !== null ? lookups[0] : (lookups.find((l) => l.records.length > 0) ?? lookups[0]);
  return {
    kind: 'dkim',
    domain,
    selector,
    name: reported.name,
    ...keySummary(reported),
    lookups,
    found: lookups.filter((l) => l.records.length > 0).map((l) => l.selector),
    findings,
    resolvers: options.resolver.servers(),
    startedAt: new Date(started).toISOString(),
    elapsedMs: Date.now() - started,
  };
}

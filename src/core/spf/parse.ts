// A pure SPF record parser (RFC 7208 §4.5, §4.6.1, §5, §6, §7, Appendix A) with exact offsets for
// every term and problem, so the evaluator, the zone-file linter and code actions share one reading.
import type { Severity } from '../model';
import { parseIpv6 } from '../ip';
import { parseMacroString, type MacroToken } from './macro';
import type { MechanismName, ParsedSpf, Qualifier, SpfProblem, SpfTerm, StaticLookupCount } from './types';

const MECHANISMS: readonly MechanismName[] = ['all', 'include', 'a', 'mx', 'ptr', 'ip4', 'ip6', 'exists'];
const DNS_MECHANISMS = new Set(['include', 'a', 'mx', 'ptr', 'exists']);
const VERSION = /^v=spf1(?= |$)/i;
const IP4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const TOPLABEL = /^(?:[A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*|[A-Za-z0-9]+-[A-Za-z0-9-]*[A-Za-z0-9])$/;
const MODIFIER = /^([A-Za-z][A-Za-z0-9\-_.]*)=/;
const NAME = /^[A-Za-z][A-Za-z0-9\-_.]*/;

/** RFC 7208 §4.5: a record is an SPF record when it starts with "v=spf1" (any case) then a space or its end. */
export function isSpfRecord(text: string): boolean {
  return VERSION.test(text);
}

export function isIp4Network(text: string): boolean {
  return IP4.test(text);
}

interface DomainSpecCheck {
  problem?: SpfProblem;
  tokens: MacroToken[];
}

/** RFC 7208 §7.1: domain-spec = macro-string domain-end; domain-end = ( "." toplabel [ "." ] ) / macro-expand. */
export function checkDomainSpec(spec: string, start: number, what: string): DomainSpecCheck {
  if (spec === '') {
    return { tokens: [], problem: { code: 'spf-invalid-domain-spec', message: `${what} needs a domain name here, and it is empty (RFC 7208 §7.1)`, start, end: start } };
  }
  const parsed = parseMacroString(spec, 'domain', start);
  if (!parsed.ok) return { tokens: parsed.tokens, problem: parsed.problem };
  const tokens = parsed.tokens;
  const last = tokens[tokens.length - 1];
  if (last.kind !== 'literal') return { tokens };
  const m = /\.([^.]+)\.?$/.exec(last.text);
  if (m && TOPLABEL.test(m[1])) return { tokens };
  const end = start + spec.length;
  if (!m) {
    return {
      tokens,
      problem: {
        code: 'spf-invalid-domain-spec',
        message: `${JSON.stringify(spec)} is not a domain name with at least two labels, like example.com (RFC 7208 §7.1)`,
        start,
        end,
      },
    };
  }
  const label = m[1];
  const why = /^\d+$/.test(label)
    ? 'it is all digits'
    : /^-|-$/.test(label)
      ? 'it starts or ends with a hyphen'
      : 'it may hold only letters, digits and hyphens';
  return {
    tokens,
    problem: {
      code: 'spf-invalid-domain-spec',
      message: `${JSON.stringify(spec)} is not a valid domain: its last label ${JSON.stringify(label)} is not a top-level label (${why}) (RFC 7208 §7.1)`,
      start,
      end,
    },
  };
}

function letters(tokens: MacroToken[]): string[] {
  const out = new Set<string>();
  for (const t of tokens) if (t.kind === 'macro') out.add(t.letter);
  return [...out];
}

function cidrValue(text: string, max: number, family: 'IPv4' | 'IPv6'): number | string {
  // RFC 7208 §5.6: ip4-cidr-length = "/" ("0" / %x31-39 0*1DIGIT); ip6 likewise up to 128. No leading zeros.
  if (!/^(0|[1-9]\d*)$/.test(text)) return `"/${text}" is not a valid ${family} prefix length (a number without leading zeros)`;
  const n = Number(text);
  if (n > max) return `/${text} is longer than an ${family} address: the prefix length must be 0 to ${max}`;
  return n;
}

function parseTerm(text: string, start: number, index: number): SpfTerm {
  const base = { index, text, start, end: start + text.length, hasMacros: false, macroLetters: [] as string[] };
  const problemAll = (code: string, message: string, replacement?: string): SpfProblem => ({
    code,
    message,
    start,
    end: start + text.length,
    ...(replacement !== undefined ? { replacement } : {}),
  });

  const mod = MODIFIER.exec(text);
  if (mod) {
    const name = mod[1].toLowerCase();
    const value = text.slice(mod[0].length);
    const valueStart = start + mod[0].length;
    if (name === 'redirect' || name === 'exp') {
      const check = checkDomainSpec(value, valueStart, `${name}=`);
      return {
        ...base,
        kind: 'modifier',
        name,
        value,
        domainSpec: value,
        domainSpecStart: valueStart,
        dnsTerm: name === 'redirect',
        hasMacros: check.tokens.some((t) => t.kind === 'macro'),
        macroLetters: letters(check.tokens),
        ...(check.problem ? { problem: check.problem } : {}),
      };
    }
    // RFC 7208 §6 / Appendix A: unknown-modifier = name "=" macro-string; ignored, but must parse.
    const parsed = parseMacroString(value, 'unknown-modifier', valueStart);
    return {
      ...base,
      kind: 'modifier',
      name,
      value,
      dnsTerm: false,
      hasMacros: parsed.tokens.some((t) => t.kind === 'macro'),
      macroLetters: letters(parsed.tokens),
      ...(parsed.ok ? {} : { problem: parsed.problem }),
    };
  }

  let rest = text;
  let qualifier: Qualifier = '+';
  let qualifierExplicit = false;
  if ('+-~?'.includes(rest[0])) {
    qualifier = rest[0] as Qualifier;
    qualifierExplicit = true;
    rest = rest.slice(1);
  }
  const q = qualifierExplicit ? 1 : 0;
  const nameMatch = NAME.exec(rest);
  const written = nameMatch ? nameMatch[0] : '';
  const name = written.toLowerCase();
  const invalid = (code: string, message: string, replacement?: string): SpfTerm => ({
    ...base,
    kind: 'invalid',
    name,
    qualifier,
    qualifierExplicit,
    dnsTerm: false,
    problem: problemAll(code, message, replacement),
  });

  if (!(MECHANISMS as readonly string[]).includes(name)) {
    if (text.includes('=') && !mod) {
      return invalid('spf-invalid-modifier', `${JSON.stringify(text)} is not a valid modifier: a modifier name starts with a letter and holds only letters, digits, "-", "_" and "." before the "=" (RFC 7208 §6)`);
    }
    if ((name === 'redirect' || name === 'exp') && rest[written.length] === ':') {
      const fixed = `${name}=${rest.slice(written.length + 1)}`;
      return invalid('spf-modifier-as-mechanism', `${name} is a modifier and takes "=", not ":": write ${fixed} (RFC 7208 §6)`, fixed);
    }
    const nonAscii = [...text].find((c) => (c.codePointAt(0) ?? 0) > 0x7e || (c.codePointAt(0) ?? 0) < 0x21);
    if (nonAscii) {
      return invalid(
        (nonAscii.codePointAt(0) ?? 0) > 0x7e ? 'spf-non-ascii' : 'spf-invalid-character',
        `${JSON.stringify(text)} holds a character SPF does not allow (U+${(nonAscii.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}): records are visible ASCII only (RFC 7208 §3.1)`,
      );
    }
    return invalid(
      'spf-unknown-mechanism',
      written === ''
        ? `${JSON.stringify(text)} is not a mechanism or modifier (RFC 7208 §4.6.1)`
        : `${JSON.stringify(written)} is not an SPF mechanism: the mechanisms are all, include, a, mx, ptr, ip4, ip6 and exists (RFC 7208 §5)`,
    );
  }

  const mech = name as MechanismName;
  const argText = rest.slice(written.length);
  const argStart = start + q + written.length;
  const term: SpfTerm = { ...base, kind: 'mechanism', name: mech, qualifier, qualifierExplicit, dnsTerm: DNS_MECHANISMS.has(mech) };
  const withProblem = (code: string, message: string, replacement?: string): SpfTerm => ({ ...term, problem: problemAll(code, message, replacement) });
  // The helpers below fill in `term` and return a problem, or undefined.
  const setDomain = (spec: string, specStart: number, cidrText = ''): SpfProblem | undefined => {
    term.domainSpec = spec;
    term.domainSpecStart = specStart;
    const check = checkDomainSpec(spec, specStart, `${mech}:`);
    term.hasMacros = check.tokens.some((t) => t.kind === 'macro');
    term.macroLetters = letters(check.tokens);
    if (!check.problem) return undefined;
    if ((mech === 'a' || mech === 'mx') && IP4.test(spec)) {
      const fixed = `${qualifierExplicit && qualifier !== '+' ? qualifier : ''}ip4:${spec}`;
      return {
        code: 'spf-address-as-domain',
        message: `${mech}:${spec} names an address, not a domain: use ${fixed} to list the address (RFC 7208 §5.6)`,
        start,
        end: start + text.length,
        replacement: fixed + cidrText.replace(/\/\/\d+$/, ''),
      };
    }
    return check.problem;
  };
  const setCidr = (cidr: string, cidrStart: number): SpfProblem | undefined => {
    // dual-cidr-length = [ ip4-cidr-length ] [ "/" ip6-cidr-length ]
    const m = /^(?:\/(\d+))?(?:\/\/(\d+))?$/.exec(cidr);
    if (!m) {
      return { code: 'spf-invalid-cidr', message: `${JSON.stringify(cidr)} is not a prefix length: write /24 for IPv4, //64 for IPv6, or /24//64 for both (RFC 7208 §5.3)`, start: cidrStart, end: cidrStart + cidr.length };
    }
    for (const [i, family, max] of [[1, 'IPv4', 32], [2, 'IPv6', 128]] as const) {
      if (m[i] === undefined) continue;
      const v = cidrValue(m[i], max, family);
      if (typeof v === 'string') return { code: 'spf-invalid-cidr', message: `${v} (RFC 7208 §5.6)`, start: cidrStart, end: cidrStart + cidr.length };
      if (i === 1) term.cidr4 = v;
      else term.cidr6 = v;
    }
    return undefined;
  };
  const done = (problem: SpfProblem | undefined): SpfTerm => (problem ? { ...term, problem } : term);

  switch (mech) {
    case 'all':
      if (argText !== '') return withProblem('spf-mechanism-syntax', `"all" takes nothing after it, but has ${JSON.stringify(argText)} (RFC 7208 §5.1)`, `${qualifierExplicit ? qualifier : ''}all`);
      return term;
    case 'include':
    case 'exists':
      if (!argText.startsWith(':')) {
        return withProblem('spf-mechanism-syntax', `"${mech}" needs a domain: ${mech}:example.com (RFC 7208 §${mech === 'include' ? '5.2' : '5.7'})`);
      }
      return done(setDomain(argText.slice(1), argStart + 1));
    case 'ptr':
      if (argText === '') return term;
      if (!argText.startsWith(':')) return withProblem('spf-mechanism-syntax', `"ptr" takes only an optional ":domain", not ${JSON.stringify(argText)} (RFC 7208 §5.5)`);
      return done(setDomain(argText.slice(1), argStart + 1));
    case 'a':
    case 'mx': {
      if (argText === '') return term;
      if (argText.startsWith('/')) return done(setCidr(argText, argStart));
      if (!argText.startsWith(':')) return withProblem('spf-mechanism-syntax', `"${mech}" takes ":domain" and/or a prefix length, not ${JSON.stringify(argText)} (RFC 7208 §5.${mech === 'a' ? 3 : 4})`);
      const body = argText.slice(1);
      // The dual-cidr-length is the longest tail of "/digits" and "//digits" (a domain may hold "/").
      const m = /^(.*?)((?:\/\d+)?(?:\/\/\d+)?)$/s.exec(body)!;
      const cidrProblem = m[2] ? setCidr(m[2], argStart + 1 + m[1].length) : undefined;
      return done(setDomain(m[1], argStart + 1, m[2]) ?? cidrProblem);
    }
    case 'ip4':
    case 'ip6': {
      const section = 'RFC 7208 §5.6';
      if (!argText.startsWith(':') || argText.length === 1) {
        return withProblem('spf-mechanism-syntax', `"${mech}" needs a network: ${mech === 'ip4' ? 'ip4:192.0.2.0/24' : 'ip6:2001:db8::/32'} (${section})`);
      }
      const body = argText.slice(1);
      const slash = body.indexOf('/');
      const network = slash < 0 ? body : body.slice(0, slash);
      term.network = network;
      const netStart = argStart + 1;
      if (mech === 'ip4' && !IP4.test(network)) {
        const v6 = parseIpv6(network) !== undefined;
        return {
          ...term,
          problem: {
            code: 'spf-invalid-ip',
            message: v6
              ? `${network} is an IPv6 address: list it with ip6:${network} (${section})`
              : `${JSON.stringify(network)} is not an IPv4 address (four numbers 0-255, no leading zeros, nothing left out) (${section})`,
            start: netStart,
            end: netStart + network.length,
            ...(v6 ? { replacement: `ip6:${network}` } : {}),
          },
        };
      }
      if (mech === 'ip6' && (parseIpv6(network) === undefined || network.includes('%'))) {
        const v4 = IP4.test(network);
        return {
          ...term,
          problem: {
            code: 'spf-invalid-ip',
            message: v4 ? `${network} is an IPv4 address: list it with ip4:${network} (${section})` : `${JSON.stringify(network)} is not an IPv6 address (${section})`,
            start: netStart,
            end: netStart + network.length,
          },
        };
      }
      if (slash >= 0) {
        const cidrText = body.slice(slash + 1);
        const v = cidrValue(cidrText, mech === 'ip4' ? 32 : 128, mech === 'ip4' ? 'IPv4' : 'IPv6');
        if (typeof v === 'string') {
          return { ...term, problem: { code: 'spf-invalid-cidr', message: `${v} (${section})`, start: netStart + slash, end: start + text.length } };
        }
        if (mech === 'ip4') term.cidr4 = v;
        else term.cidr6 = v;
      }
      return term;
    }
  }
}

/** Parses a record. Never throws; every problem has offsets into `text`. */
export function parseSpf(text: string): ParsedSpf {
  const version = VERSION.exec(text);
  if (!version) {
    return {
      text,
      isSpf: false,
      terms: [],
      hasAll: false,
      problems: [{ code: 'spf-not-spf', message: 'An SPF record starts with "v=spf1" followed by a space or the end of the record (RFC 7208 §4.5)', start: 0, end: Math.min(text.length, 6) }],
    };
  }
  const terms: SpfTerm[] = [];
  // RFC 7208 §4.6.1: terms are separated by one or more spaces (SP only, not other whitespace).
  const re = /[^ ]+/g;
  re.lastIndex = version[0].length;
  for (let m = re.exec(text); m; m = re.exec(text)) terms.push(parseTerm(m[0], m.index, terms.length));

  const problems: SpfProblem[] = [];
  let redirect: number | undefined;
  let exp: number | undefined;
  for (const t of terms) {
    if (t.problem) problems.push(t.problem);
    if (t.kind !== 'modifier' || (t.name !== 'redirect' && t.name !== 'exp')) continue;
    const first = t.name === 'redirect' ? redirect : exp;
    if (first === undefined) {
      if (t.name === 'redirect') redirect = t.index;
      else exp = t.index;
      continue;
    }
    // RFC 7208 §6: redirect and exp MUST NOT appear more than once each.
    const p: SpfProblem = {
      code: 'spf-duplicate-modifier',
      message: `"${t.name}=" appears more than once (also ${JSON.stringify(terms[first].text)}): a record may have only one (RFC 7208 §6)`,
      start: t.start,
      end: t.end,
    };
    if (!t.problem) t.problem = p;
    problems.push(p);
  }
  problems.sort((a, b) => a.start - b.start);
  return {
    text,
    isSpf: true,
    terms,
    problems,
    ...(redirect !== undefined ? { redirect } : {}),
    ...(exp !== undefined ? { exp } : {}),
    hasAll: terms.some((t) => t.kind === 'mechanism' && t.name === 'all'),
  };
}

/**
 * The static lookup counter: DNS-querying terms (RFC 7208 §4.6.4) this record evaluates at most,
 * without following includes. Terms after "all" are never reached; a redirect beside "all" is
 * ignored (RFC 7208 §6.1).
 */
export function countLookups(parsed: ParsedSpf): StaticLookupCount {
  const out: StaticLookupCount = { dnsTerms: 0, terms: [], includes: [], deadTerms: [] };
  let afterAll = false;
  for (const t of parsed.terms) {
    if (t.kind !== 'mechanism') continue;
    if (afterAll) {
      out.deadTerms.push(t.index);
      continue;
    }
    if (t.dnsTerm) {
      out.dnsTerms++;
      out.terms.push(t.index);
      if (t.name === 'include' && t.domainSpec !== undefined) out.includes.push(t.domainSpec);
    }
    if (t.name === 'all') afterAll = true;
  }
  if (parsed.redirect !== undefined && !parsed.hasAll) {
    const r = parsed.terms[parsed.redirect];
    out.dnsTerms++;
    out.terms.push(r.index);
    if (r.domainSpec !== undefined) out.redirect = r.domainSpec;
  }
  return out;
}

export interface SpfLint {
  code: string;
  severity: Severity;
  message: string;
  start: number;
  end: number;
  term?: number;
  replacement?: string;
}

/** Advice about a record that parses: what is legal but risky or dead. Pure, for the linter too. */
export function lintSpf(parsed: ParsedSpf): SpfLint[] {
  const out: SpfLint[] = [];
  if (!parsed.isSpf) return out;
  const count = countLookups(parsed);
  for (const t of parsed.terms) {
    if (t.problem) continue;
    if (t.kind === 'mechanism' && t.name === 'ptr') {
      out.push({
        code: 'spf-ptr-discouraged',
        severity: 'warning',
        message: '"ptr" SHOULD NOT be used (RFC 7208 §5.5): it is slow, puts load on the reverse DNS of every sender, and some receivers skip it. List the addresses with ip4:/ip6: or use a/mx instead.',
        start: t.start,
        end: t.end,
        term: t.index,
      });
    }
    if (t.kind === 'mechanism' && t.name === 'all' && (t.qualifier === '+' || t.qualifier === undefined)) {
      out.push({
        code: 'spf-pass-all',
        severity: 'warning',
        message: `"${t.text}" authorizes every address on the Internet to send for this domain. Use "~all" or "-all" as the last term.`,
        start: t.start,
        end: t.end,
        term: t.index,
        replacement: '-all',
      });
    }
    if (t.macroLetters.includes('p')) {
      out.push({
        code: 'spf-p-macro-discouraged',
        severity: 'warning',
        message: `"${t.text}": %{p} SHOULD NOT be used (RFC 7208 §7.3): it needs reverse lookups and is unreliable.`,
        start: t.start,
        end: t.end,
        term: t.index,
      });
    }
  }
  for (const i of count.deadTerms) {
    const t = parsed.terms[i];
    out.push({ code: 'spf-after-all', severity: 'warning', message: `"${t.text}" comes after "all" and is never evaluated.`, start: t.start, end: t.end, term: i });
  }
  if (parsed.redirect !== undefined && parsed.hasAll) {
    const t = parsed.terms[parsed.redirect];
    out.push({ code: 'spf-redirect-ignored', severity: 'warning', message: `"${t.text}" is ignored because the record has an "all" mechanism (RFC 7208 §6.1).`, start: t.start, end: t.end, term: t.index });
  }
  for (const t of parsed.terms) {
    if (t.kind === 'modifier' && t.name !== 'redirect' && t.name !== 'exp' && !t.problem) {
      out.push({ code: 'spf-unknown-modifier', severity: 'info', message: `"${t.name}=" is not a modifier receivers know; they ignore it (RFC 7208 §6).`, start: t.start, end: t.end, term: t.index });
    }
  }
  if (count.dnsTerms > 10) {
    out.push({
      code: 'spf-too-many-lookups',
      severity: 'error',
      message: `This record alone has ${count.dnsTerms} DNS-querying terms; the limit for a whole check, includes counted, is 10 (RFC 7208 §4.6.4).`,
      start: 0,
      end: parsed.text.length,
    });
  }
  return out;
}

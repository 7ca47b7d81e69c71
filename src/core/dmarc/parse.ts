// A pure DMARC record parser (RFC 7489 §6.3 and §6.4, RFC 9091's np, DMARCbis' t and psd) with exact
// offsets for every tag, value, URI and problem, so the check, the zone-file linter, hovers and quick
// fixes share one reading. Never throws; one pass over the text (`stats.work` counts it).
import type { Severity } from '../model';
import { KNOWN_TAGS, TAGS } from './tags';
import type { DmarcItem, DmarcPolicy, DmarcProblem, DmarcTag, DmarcUri, ParsedDmarc, PolicyValue } from './types';

export interface DmarcParseStats {
  /** Characters and items looked at: grows with the input, for the linear-work tests. */
  work: number;
}

const POLICIES: readonly PolicyValue[] = ['none', 'quarantine', 'reject'];
const WSP = /[ \t\r\n]/;
// RFC 6376 §3.2 (the tag-list syntax RFC 7489 §6.3 uses): tag-name = ALPHA *ALNUMPUNC.
const TAG_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):/;
// RFC 7489 §6.4: dmarc-uri = URI [ "!" 1*DIGIT [ "k" / "m" / "g" / "t" ] ].
const SIZE = /!(\d+[kmgtKMGT]?)$/;
const HOST = /^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)+\.?$/;

/**
 * RFC 7489 §6.6.3 step 2: a TXT record is a DMARC record when it starts with v=DMARC1. `v=DMARC1 p=reject`
 * (no ";") starts with it too: OpenDMARC and Mail::DMARC take it as a broken DMARC record (no
 * policy, and no fallback to the organizational domain), and so does this check.
 */
export function isDmarcRecord(text: string): boolean {
  return /^[ \t\r\n]*v[ \t\r\n]*=[ \t\r\n]*DMARC1(?=[ \t\r\n;]|$)/i.test(text);
}

export function defaultPolicy(): DmarcPolicy {
  return { p: null, sp: null, np: null, pct: 100, adkim: 'r', aspf: 'r', rua: [], ruf: [], fo: ['0'], rf: ['afrf'], ri: 86400, t: null, psd: null };
}

/** Edit distance up to 2 (else 3): for "did you mean" on short tag names and values. */
function near(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2 || a.length > 16) return 3;
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return Math.min(prev[b.length], 3);
}

/** The closest of `options` to `text` (case-insensitive), within `max` edits; or one `text` is the start of. */
function closest(text: string, options: readonly string[], max = 2): string | undefined {
  const t = text.toLowerCase();
  if (t === '') return undefined;
  const prefix = options.filter((o) => o.startsWith(t) && t.length >= 1);
  if (prefix.length === 1) return prefix[0];
  let best: string | undefined;
  let bestD = max + 1;
  for (const o of options) {
    const d = near(t, o);
    if (d < bestD) {
      best = o;
      bestD = d;
    }
  }
  return best;
}

/** Splits `text[start, end)` at `sep`, each piece trimmed of whitespace, with offsets. */
function split(text: string, start: number, end: number, sep: string, stats: DmarcParseStats): DmarcItem[] {
  const out: DmarcItem[] = [];
  let s = start;
  for (let i = start; i <= end; i++) {
    if (i < end && text[i] !== sep) continue;
    let a = s;
    let b = i;
    while (a < b && WSP.test(text[a])) a++;
    while (b > a && WSP.test(text[b - 1])) b--;
    out.push({ text: text.slice(a, b), start: a, end: b });
    stats.work += i - s + 1;
    s = i + 1;
  }
  return out;
}

function parseUri(item: DmarcItem): DmarcUri {
  const uri: DmarcUri = { ...item, valid: false };
  let body = item.text;
  const size = SIZE.exec(body);
  if (size) {
    uri.size = size[1];
    body = body.slice(0, size.index);
  }
  const scheme = SCHEME.exec(body);
  if (!scheme) return uri;
  uri.scheme = scheme[1].toLowerCase();
  const rest = body.slice(scheme[0].length);
  if (uri.scheme === 'mailto') {
    // RFC 6068: mailto:addr-spec, optional ?headers (receivers ignore them).
    const addr = rest.split('?')[0];
    const at = addr.lastIndexOf('@');
    if (at > 0) {
      uri.address = addr;
      const host = addr.slice(at + 1).replace(/\.$/, '').toLowerCase();
      if (HOST.test(host)) {
        uri.host = host;
        uri.valid = true;
      }
    }
    return uri;
  }
  const m = /^\/\/(?:[^@/?#]*@)?([^:/?#]+)/.exec(rest);
  if (m && HOST.test(m[1])) {
    uri.host = m[1].replace(/\.$/, '').toLowerCase();
    uri.valid = true;
  }
  return uri;
}

interface Ctx {
  text: string;
  problems: DmarcProblem[];
  stats: DmarcParseStats;
}

function problem(ctx: Ctx, code: string, severity: Severity, message: string, start: number, end: number, extra: { replacement?: string; tag?: string } = {}): void {
  ctx.problems.push({ code, severity, message, start, end, ...(extra.replacement !== undefined ? { replacement: extra.replacement } : {}), ...(extra.tag ? { tag: extra.tag } : {}) });
}

function invalidValue(ctx: Ctx, tag: DmarcTag, message: string, replacement?: string): void {
  tag.invalid = true;
  const end = tag.valueEnd > tag.valueStart ? tag.valueEnd : tag.valueStart;
  problem(ctx, 'dmarc-invalid-value', 'error', message, tag.valueStart, end, { tag: tag.name, ...(replacement !== undefined ? { replacement } : {}) });
}

function policyValue(ctx: Ctx, tag: DmarcTag): PolicyValue | null {
  const v = tag.value.toLowerCase();
  if ((POLICIES as readonly string[]).includes(v)) return v as PolicyValue;
  const guess = closest(v, POLICIES);
  const why = tag.value === '' ? 'is empty' : `is "${tag.value}"`;
  invalidValue(ctx, tag, `${tag.name}= must be none, quarantine or reject, but ${why}${guess ? `: did you mean ${guess}?` : ''} (${tag.name === 'np' ? 'RFC 9091 §4.1' : 'RFC 7489 §6.3'})`, guess);
  return null;
}

function parseTagValue(ctx: Ctx, tag: DmarcTag, policy: DmarcPolicy): void {
  const { text } = ctx;
  const v = tag.value;
  const lower = v.toLowerCase();
  switch (tag.name) {
    case 'v':
      return;
    case 'p':
      policy.p = policyValue(ctx, tag);
      return;
    case 'sp':
      policy.sp = policyValue(ctx, tag);
      return;
    case 'np':
      policy.np = policyValue(ctx, tag);
      return;
    case 'adkim':
    case 'aspf': {
      if (lower === 'r' || lower === 's') {
        policy[tag.name] = lower;
        return;
      }
      const guess = lower.startsWith('r') ? 'r' : lower.startsWith('s') ? 's' : undefined;
      invalidValue(ctx, tag, `${tag.name}= must be r (relaxed) or s (strict), but is "${v}"${guess ? `: write ${tag.name}=${guess}` : ''}; receivers use the default, r (RFC 7489 §6.3)`, guess);
      return;
    }
    case 'pct': {
      // RFC 7489 §6.3: an integer from 0 to 100; §6.4: 1*3DIGIT.
      if (/^\d{1,3}$/.test(v) && Number(v) <= 100) {
        policy.pct = Number(v);
        return;
      }
      invalidValue(ctx, tag, `pct= must be a whole number from 0 to 100, but is "${v}"; receivers apply the policy to all failing mail (pct=100) (RFC 7489 §6.3)`, /^\d+$/.test(v) ? '100' : undefined);
      return;
    }
    case 'ri': {
      // RFC 7489 §6.3: a 32-bit unsigned integer.
      if (/^\d{1,10}$/.test(v) && Number(v) <= 0xffffffff) {
        policy.ri = Number(v);
        return;
      }
      invalidValue(ctx, tag, `ri= must be a number of seconds (a 32-bit unsigned integer), but is "${v}" (RFC 7489 §6.3)`, '86400');
      return;
    }
    case 'fo': {
      const items = split(text, tag.valueStart, tag.valueEnd, ':', ctx.stats);
      tag.items = items;
      const bad = items.find((i) => !['0', '1', 'd', 's'].includes(i.text.toLowerCase()));
      if (bad) {
        invalidValue(ctx, tag, `fo= is a colon-separated list of 0, 1, d and s, but has "${bad.text}" (RFC 7489 §6.3)`);
        return;
      }
      policy.fo = items.map((i) => i.text.toLowerCase());
      return;
    }
    case 'rf': {
      const items = split(text, tag.valueStart, tag.valueEnd, ':', ctx.stats);
      tag.items = items;
      const empty = items.find((i) => i.text === '');
      if (empty || !items.every((i) => /^[A-Za-z0-9-]+$/.test(i.text))) {
        invalidValue(ctx, tag, `rf= is a colon-separated list of report formats (afrf), but is "${v}" (RFC 7489 §6.3)`, 'afrf');
        return;
      }
      policy.rf = items.map((i) => i.text.toLowerCase());
      const unknown = items.find((i) => i.text.toLowerCase() !== 'afrf');
      if (unknown) problem(ctx, 'dmarc-unknown-format', 'warning', `rf=${unknown.text}: the only registered failure report format is afrf (RFC 6591); receivers send afrf or nothing (RFC 7489 §6.3)`, unknown.start, unknown.end, { tag: 'rf', replacement: 'afrf' });
      return;
    }
    case 't':
    case 'psd': {
      const allowed = tag.name === 't' ? ['y', 'n'] : ['y', 'n', 'u'];
      if (allowed.includes(lower)) {
        if (tag.name === 't') policy.t = lower as 'y' | 'n';
        else policy.psd = lower as 'y' | 'n' | 'u';
        return;
      }
      invalidValue(ctx, tag, `${tag.name}= must be ${allowed.join(', ')} (DMARCbis), but is "${v}"`);
      return;
    }
    case 'rua':
    case 'ruf': {
      const items = split(text, tag.valueStart, tag.valueEnd, ',', ctx.stats);
      const uris = items.map(parseUri);
      tag.uris = uris;
      for (const u of uris) {
        ctx.stats.work += u.text.length;
        if (u.text === '') {
          problem(ctx, 'dmarc-invalid-uri', 'error', `${tag.name}= has an empty entry (a stray comma?): each entry is a URI such as mailto:dmarc@example.com (RFC 7489 §6.4)`, u.start, u.end, { tag: tag.name });
        } else if (!u.scheme && u.text.includes('@')) {
          problem(ctx, 'dmarc-uri-no-scheme', 'error', `"${u.text}" is an address, not a URI: write mailto:${u.text} (RFC 7489 §6.2); receivers send no reports to it as it is`, u.start, u.end, { tag: tag.name, replacement: `mailto:${u.text}` });
        } else if (!u.scheme) {
          problem(ctx, 'dmarc-invalid-uri', 'error', `"${u.text}" is not a report URI: write mailto:dmarc@example.com (RFC 7489 §6.2)`, u.start, u.end, { tag: tag.name });
        } else if (u.scheme === 'mailto' && !u.valid) {
          problem(ctx, 'dmarc-invalid-uri', 'error', `"${u.text}" is not a usable mailto: URI: it needs a mailbox with a domain, mailto:dmarc@example.com (RFC 7489 §6.2)`, u.start, u.end, { tag: tag.name });
        } else if (u.scheme !== 'mailto') {
          problem(ctx, 'dmarc-uri-not-mailto', 'warning', `"${u.text}": receivers send reports by mail only; RFC 7489 §6.2 requires mailto: and other schemes are rarely or never used`, u.start, u.end, { tag: tag.name });
        } else if (u.size === undefined && /![^!]*$/.test(u.text)) {
          problem(ctx, 'dmarc-invalid-uri', 'error', `"${u.text}": after "!" comes a size limit, digits with an optional k, m, g or t (RFC 7489 §6.4)`, u.start, u.end, { tag: tag.name });
        }
      }
      const list = uris.filter((u) => u.valid).map((u) => u.text);
      if (tag.name === 'rua') policy.rua = list;
      else policy.ruf = list;
      const listed = uris.filter((u) => u.text !== '');
      if (listed.length > 2) {
        problem(ctx, 'dmarc-many-uris', 'info', `${tag.name}= lists ${listed.length} addresses; receivers must send to two at least and may stop there (RFC 7489 §6.2)`, listed[2].start, listed[listed.length - 1].end, { tag: tag.name });
      }
      return;
    }
  }
}

/** Parses a DMARC record (TXT strings already joined). Never throws; every problem has offsets into `text`. */
export function parseDmarc(text: string, stats: DmarcParseStats = { work: 0 }): ParsedDmarc {
  const ctx: Ctx = { text, problems: [], stats };
  const policy = defaultPolicy();
  const tags: DmarcTag[] = [];
  const parts = split(text, 0, text.length, ';', stats);
  const seen = new Map<string, DmarcTag>();
  let isDmarc = false;

  parts.forEach((part, i) => {
    if (part.text === '') {
      // A trailing ";" is allowed (RFC 7489 §6.4); an empty part between two is not.
      if (i < parts.length - 1 && i > 0) problem(ctx, 'dmarc-empty-part', 'info', 'Two ";" in a row: the empty part between them is ignored (RFC 7489 §6.4)', part.start, part.start);
      else if (i === 0 && parts.length > 1) problem(ctx, 'dmarc-empty-part', 'info', 'The record starts with ";": receivers may not see v=DMARC1 as its first tag', part.start, part.start);
      return;
    }
    const eq = part.text.indexOf('=');
    if (eq < 0) {
      problem(ctx, 'dmarc-tag-syntax', 'error', `"${part.text}" is not tag=value: every part of a DMARC record between ";" is a tag, a "=" and its value (RFC 7489 §6.4)`, part.start, part.end);
      if (i === 0) problem(ctx, 'dmarc-not-dmarc', 'error', 'A DMARC record starts with v=DMARC1 (RFC 7489 §6.3)', part.start, part.end);
      return;
    }
    let ne = part.start + eq;
    while (ne > part.start && WSP.test(text[ne - 1])) ne--;
    let vs = part.start + eq + 1;
    while (vs < part.end && WSP.test(text[vs])) vs++;
    const nameText = text.slice(part.start, ne);
    const tag: DmarcTag = {
      index: tags.length,
      name: nameText.toLowerCase(),
      text: part.text,
      start: part.start,
      end: part.end,
      nameStart: part.start,
      nameEnd: ne,
      value: text.slice(vs, part.end),
      valueStart: vs,
      valueEnd: part.end,
      known: KNOWN_TAGS.includes(nameText.toLowerCase()),
    };
    tags.push(tag);
    if (!TAG_NAME.test(nameText)) {
      problem(ctx, 'dmarc-tag-syntax', 'error', `"${nameText}" is not a tag name: a letter, then letters, digits and "_" (RFC 7489 §6.4, RFC 6376 §3.2)`, tag.nameStart, tag.nameEnd);
      return;
    }
    if (tag.index === 0) {
      if (tag.name === 'v' && tag.value.toLowerCase() === 'dmarc1') {
        isDmarc = true;
        if (tag.value !== 'DMARC1') {
          problem(ctx, 'dmarc-version-case', 'error', `v=${tag.value}: the version is DMARC1 in capitals, exactly (RFC 7489 §6.3: "MUST match precisely"); strict receivers ignore this record`, tag.valueStart, tag.valueEnd, { tag: 'v', replacement: 'DMARC1' });
        }
      } else if (tag.name === 'v' && /^DMARC1[ \t\r\n]+\S/i.test(tag.value)) {
        // `v=DMARC1 p=reject`: tags are separated by ";", not by spaces. A DMARC record (it starts with
        // v=DMARC1), but nothing after the version is read: no p.
        isDmarc = true;
        const gap = /^DMARC1([ \t\r\n]+)/i.exec(tag.value)!;
        const at = tag.valueStart + 6;
        problem(ctx, 'dmarc-missing-semicolon', 'error', `A ";" is missing after v=DMARC1: tags are separated by ";" (RFC 7489 §6.4), so receivers read "${tag.value.slice(6).trim()}" as part of the version, not as tags`, at, at + gap[1].length, { tag: 'v', replacement: '; ' });
      } else if (tag.name === 'v') {
        problem(ctx, 'dmarc-not-dmarc', 'error', `v=${tag.value} is not DMARC1: receivers ignore this record (RFC 7489 §6.3)`, tag.valueStart, tag.valueEnd, { tag: 'v', ...(/^dmarc\d*$/i.test(tag.value) ? { replacement: 'DMARC1' } : {}) });
      } else {
        problem(ctx, 'dmarc-not-dmarc', 'error', 'A DMARC record starts with v=DMARC1; receivers ignore a record whose first tag is anything else (RFC 7489 §6.3)', tag.start, tag.end);
      }
    } else if (tag.name === 'v') {
      problem(ctx, 'dmarc-version-not-first', 'error', 'v=DMARC1 must be the first tag; receivers ignore a record where it is not (RFC 7489 §6.3)', tag.start, tag.end, { tag: 'v' });
    }
    const first = seen.get(tag.name);
    if (first) {
      // RFC 7489 §6.3 uses the DKIM tag-list syntax, where a repeated tag makes the whole list invalid (RFC 6376 §3.2).
      problem(ctx, 'dmarc-duplicate-tag', 'error', `${tag.name}= appears twice (also "${first.text}"): a tag may appear once, and receivers may reject the whole record (RFC 6376 §3.2, used by RFC 7489 §6.3); the first one counts here`, tag.start, tag.end, { tag: tag.name });
      return;
    }
    seen.set(tag.name, tag);
    if (!tag.known) {
      // Suggest only a near miss of a tag of two letters or more: one-letter names are too close to everything.
      const guess = tag.name.length >= 2 && tag.name.length <= 8 ? closest(tag.name, KNOWN_TAGS.filter((k) => k.length >= 2), tag.name.length >= 3 ? 2 : 1) : undefined;
      problem(
        ctx,
        'dmarc-unknown-tag',
        'warning',
        `"${nameText}" is not a DMARC tag; receivers ignore it (RFC 7489 §6.3)${guess ? `. Did you mean ${guess}= (${TAGS[guess].title.toLowerCase()})?` : ''}`,
        tag.nameStart,
        tag.nameEnd,
        { tag: tag.name, ...(guess ? { replacement: guess } : {}) },
      );
      return;
    }
    parseTagValue(ctx, tag, policy);
  });

  if (isDmarc) lint(ctx, tags, policy, seen);
  ctx.problems.sort((a, b) => a.start - b.start || a.end - b.end);
  const pValid = policy.p !== null;
  const spValid = !seen.has('sp') || policy.sp !== null;
  const usable = isDmarc && pValid && spValid;
  return { text, isDmarc, tags, problems: ctx.problems, policy, usable, pNoneFallback: isDmarc && !usable && policy.rua.length > 0 };
}

/** Advice about a DMARC record that parses: legal but weak, pointless or for other versions. */
function lint(ctx: Ctx, tags: DmarcTag[], policy: DmarcPolicy, seen: Map<string, DmarcTag>): void {
  const v = tags[0];
  const p = seen.get('p');
  if (!p) {
    const fallback = policy.rua.length > 0 ? ' Receivers that follow RFC 7489 §6.6.3 act as if it said p=none (it has a valid rua); others ignore it.' : ' With no valid rua either, receivers apply no DMARC at all (RFC 7489 §6.6.3).';
    // After `v=DMARC1 p=…` the fix is the missing ";", not another p.
    const semicolon = ctx.problems.some((x) => x.code === 'dmarc-missing-semicolon');
    problem(ctx, 'dmarc-missing-p', 'error', `The record has no p= tag, which is required (RFC 7489 §6.3).${fallback}${semicolon ? '' : ' Add p=none to start with.'}`, v.end, v.end, { tag: 'p', ...(semicolon ? {} : { replacement: '; p=none' }) });
  } else if (p.index !== 1 && p.index > 0) {
    problem(ctx, 'dmarc-p-not-second', 'warning', 'p= should come right after v=DMARC1 (RFC 7489 §6.4); most receivers accept it anywhere, strict parsers do not', p.start, p.end, { tag: 'p' });
  }
  if (policy.p === 'none') {
    problem(ctx, 'dmarc-p-none', 'warning', 'p=none only monitors: mail that fails DMARC, spoofed mail included, is delivered as usual. Once the aggregate reports show every service that sends as this domain passing with aligned SPF or DKIM (after 2–4 weeks of reports), move to p=quarantine, and a few weeks later to p=reject.', p!.valueStart, p!.valueEnd, { tag: 'p' });
  }
  if (seen.has('pct') && policy.pct < 100 && !seen.get('pct')!.invalid) {
    const t = seen.get('pct')!;
    const lower = policy.p ? `"${policy.p === 'reject' ? 'quarantine' : 'none'}"` : 'the next weaker policy';
    problem(ctx, 'dmarc-pct', 'warning', `pct=${policy.pct}: only ${policy.pct}% of failing mail gets the policy; the rest gets ${lower} (RFC 7489 §6.6.4). Meant as a short step: raise it to 100 (or drop it) once reports look clean. DMARCbis drops pct; t=y replaces it.`, t.valueStart, t.valueEnd, { tag: 'pct', replacement: '100' });
  }
  if (policy.rua.length === 0 && !(seen.get('rua')?.uris ?? []).some((u) => u.text !== '')) {
    problem(ctx, 'dmarc-no-rua', 'warning', 'No rua=: no receiver sends you aggregate reports, so you cannot see who sends mail as this domain, or whether it passes. Add rua=mailto:dmarc-reports@<your domain> (a mailbox that exists).', tags[tags.length - 1].end, tags[tags.length - 1].end, { tag: 'rua' });
  }
  if (seen.has('fo') && !seen.has('ruf')) {
    const fo = seen.get('fo')!;
    problem(ctx, 'dmarc-fo-without-ruf', 'info', 'fo= says when to send failure reports, but there is no ruf= to send them to: it does nothing', fo.start, fo.end, { tag: 'fo' });
  }
  if (policy.sp === 'none' && (policy.p === 'quarantine' || policy.p === 'reject')) {
    const sp = seen.get('sp')!;
    problem(ctx, 'dmarc-sp-none', 'warning', `sp=none: subdomains without their own record are not protected while the domain itself has p=${policy.p}; spoofers use any.subdomain.of.it. Use sp=${policy.p} unless a subdomain's senders still fail.`, sp.valueStart, sp.valueEnd, { tag: 'sp', replacement: policy.p });
  }
  for (const name of ['t', 'psd'] as const) {
    const t = seen.get(name);
    if (t && !t.invalid) problem(ctx, 'dmarc-dmarcbis-tag', 'info', `${name}= is a DMARCbis tag. ${TAGS[name].meaning}`, t.start, t.end, { tag: name });
  }
  if (policy.t === 'y' && policy.p && policy.p !== 'none') {
    const t = seen.get('t')!;
    problem(ctx, 'dmarc-testing', 'warning', `t=y: DMARCbis receivers apply "${policy.p === 'reject' ? 'quarantine' : 'none'}" instead of p=${policy.p} while testing. Remove it when the reports look clean.`, t.start, t.end, { tag: 't' });
  }
}

/** The record with `problem`'s replacement applied: what a quick fix writes. */
export function applyReplacement(text: string, p: Pick<DmarcProblem, 'start' | 'end' | 'replacement'>): string | undefined {
  return p.replacement === undefined ? undefined : text.slice(0, p.start) + p.replacement + text.slice(p.end);
}

/** The tag at an offset of the record (hover), or undefined. */
export function tagAt(parsed: ParsedDmarc, offset: number): DmarcTag | undefined {
  return parsed.tags.find((t) => offset >= t.start && offset <= t.end);
}

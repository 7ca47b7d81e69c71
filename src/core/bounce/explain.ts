// "Explain bounce message": recognise the rejection in a bounce, say in plain words what the
// receiver checked, pull out the IP, HELO name and domains it mentions, and name the check to run
// with those values. Pure text processing: no DNS, no network.
//
// Bounces come wrapped: RFC 3464 delivery-status fields folded over lines, Postfix's "said:" text
// wrapped at 80 columns with the remote server's multi-line reply prefixes (`550-5.7.25`) left in
// the middle of sentences, Sendmail transcripts, Exchange NDRs. The text is folded into one line
// (keeping a map back to the input's offsets) before the patterns run.
import { shellQuote } from '../dns/resolver';
import { parseIp, specialPurpose } from '../ip';
import { enhancedCodeMeaning } from './codes';
import { PATTERNS, type Values } from './patterns';
import type { BounceCategory, BounceExplanation, BounceMatch, SuggestedCheck } from './types';

/** Longest input read: bounces carry the returned message, which can be large. */
export const MAX_INPUT = 512 * 1024;
const MAX_MATCH_TEXT = 400;
/**
 * Places one pattern is looked at. A bounce quotes a rejection a few times; a text that repeats one
 * thousands of times is a flood, and checking every place against every other is quadratic (a
 * 512 KiB repetition of "blocked using " took seconds).
 */
const MAX_HITS = 64;

interface Flat {
  text: string;
  /** Offset in the input of each character of `text`. */
  map: number[];
}

/** Folds white space to single spaces and drops repeated `NNN-X.Y.Z ` continuation prefixes. */
export function flatten(input: string): Flat {
  const chars: string[] = [];
  const map: number[] = [];
  let space = false;
  for (let i = 0; i < input.length; i++) {
    const c = input[i];
    if (/\s/.test(c)) {
      if (!space && chars.length > 0) {
        chars.push(' ');
        map.push(i);
      }
      space = true;
    } else {
      chars.push(c);
      map.push(i);
      space = false;
    }
  }
  const folded = chars.join('');
  // A multi-line reply (RFC 5321 §4.2) repeats its code on every line; once a reply has shown
  // `550-5.7.25`, later `550-5.7.25 ` / `550 5.7.25 ` within the same stretch of text are line prefixes.
  const drop = new Set<number>();
  const seen = new Map<string, number>();
  const prefix = /(?<=^| )([245]\d\d)([- ])([245]\.\d{1,3}\.\d{1,3}) /g;
  for (const m of folded.matchAll(prefix)) {
    const key = `${m[1]} ${m[3]}`;
    const at = m.index ?? 0;
    const prev = seen.get(key);
    if (prev !== undefined && at - prev < 600) {
      for (let k = at; k < at + m[0].length; k++) drop.add(k);
    }
    if (m[2] === '-' || prev !== undefined) seen.set(key, at);
  }
  if (drop.size === 0) return { text: folded, map };
  const out: string[] = [];
  const outMap: number[] = [];
  for (let k = 0; k < folded.length; k++) {
    if (drop.has(k)) continue;
    out.push(folded[k]);
    outMap.push(map[k]);
  }
  return { text: out.join(''), map: outMap };
}

function escape(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

function canonIp(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const p = parseIp(text.replace(/^IPv6:/i, ''));
  return p.ok ? p.ip : undefined;
}

function push<T>(list: T[], v: T | undefined): void {
  if (v !== undefined && v !== '' && !list.includes(v)) list.push(v);
}

const DAEMONS = /^(mailer-daemon|postmaster|microsoftexchange[0-9a-f]*|mail delivery (sub)?system)$/i;
const ZONE_ALIASES: Record<string, string> = { spamhaus: 'zen.spamhaus.org', spamcop: 'bl.spamcop.net', barracuda: 'b.barracudacentral.org' };

export interface ExplainOptions {
  /** Counts the places compared with those already explained: a work counter for tests of the bound. */
  work?: { comparisons: number };
}

export function explainBounce(inputText: string, options: ExplainOptions = {}): BounceExplanation {
  const truncated = inputText.length > MAX_INPUT;
  const input = truncated ? inputText.slice(0, MAX_INPUT) : inputText;
  const flat = flatten(input);
  const text = flat.text;

  // --- patterns ------------------------------------------------------------------------------------------
  const matches: BounceMatch[] = [];
  const keys = new Set<string>();
  const claimed: [number, number][] = [];
  // Values from generic matches that were left out because a specific one explained the same thing.
  const extra: Values[] = [];
  // Receiver-specific texts first: a generic pattern then only adds what they did not explain.
  const ordered = [...PATTERNS.filter((p) => p.receiver !== 'any'), ...PATTERNS.filter((p) => p.receiver === 'any')];
  const claimedBy: { start: number; end: number; category: string }[] = [];
  for (const p of ordered) {
    p.re.lastIndex = 0;
    let hits = 0;
    for (const m of text.matchAll(p.re)) {
      if (++hits > MAX_HITS) break;
      if (options.work) options.work.comparisons += claimed.length + claimedBy.length;
      const at = m.index ?? 0;
      const len = m[0].length;
      if (len === 0) continue;
      // A generic pattern does not repeat what a specific one already explained at the same place.
      if (p.receiver === 'any' && p.id !== 'bogus-helo' && claimed.some(([s, e]) => at < e && at + len > s)) continue;
      // Two patterns of one category over the same words are one finding (the first, more specific).
      if (claimedBy.some((c) => c.category === p.category && at < c.end && at + len > c.start)) continue;
      const g = m.groups ?? {};
      const values: Values = {};
      const ip = canonIp(g.ip);
      if (ip) values.ip = ip;
      if (g.helo) values.helo = g.helo.trim();
      if (g.zone) {
        const z = g.zone.replace(/\.$/, '').toLowerCase();
        values.zone = ZONE_ALIASES[z] ?? z;
      }
      if (g.code) values.code = g.code;
      if (g.enh) values.enhanced = g.enh;
      if (g.sender) {
        values.sender = g.sender.includes('@') ? g.sender.toLowerCase() : g.sender;
        if (g.scope?.toLowerCase() === 'helo') values.helo = g.sender;
        else if (g.sender.includes('@')) values.domain = g.sender.slice(g.sender.lastIndexOf('@') + 1).toLowerCase();
      }
      if (g.domain) values.domain = g.domain.replace(/\.$/, '').toLowerCase();
      const key = `${p.id}|${JSON.stringify(values)}`;
      claimed.push([at, at + len]);
      claimedBy.push({ start: at, end: at + len, category: p.category });
      // A generic text adds nothing when a receiver-specific pattern already explained this category.
      if (p.receiver === 'any' && p.id !== 'bogus-helo' && matches.some((x) => x.receiver !== 'any' && x.category === p.category)) {
        extra.push(values);
        continue;
      }
      if (keys.has(key)) continue;
      keys.add(key);
      const matched = m[0].length > MAX_MATCH_TEXT ? m[0].slice(0, MAX_MATCH_TEXT) + '…' : m[0];
      matches.push({
        id: p.id,
        receiver: p.receiver,
        category: p.category,
        title: p.title,
        explanation: p.explain(values),
        checked: p.checked,
        senderSide: p.senderSide !== false,
        text: escape(matched),
        start: flat.map[at] ?? 0,
        end: (flat.map[at + len - 1] ?? 0) + 1,
        values,
      });
    }
  }
  matches.sort((a, b) => a.start - b.start);

  // --- values the text names --------------------------------------------------------------------------------
  const receiverIps: string[] = [];
  const remoteHosts: string[] = [];
  for (const m of text.matchAll(/\bhost ([A-Za-z0-9][A-Za-z0-9.-]{0,252}) ?\[((?:IPv6:)?[0-9A-Fa-f.:]{3,45})\]/g)) {
    push(remoteHosts, m[1].toLowerCase().replace(/\.$/, ''));
    push(receiverIps, canonIp(m[2]));
  }
  for (const m of text.matchAll(/Remote-MTA: ?dns; ?([A-Za-z0-9.-]{1,253})/gi)) push(remoteHosts, m[1].toLowerCase().replace(/\.$/, ''));
  for (const m of text.matchAll(/while talking to ([A-Za-z0-9.-]{1,253})\.?:/gi)) push(remoteHosts, m[1].toLowerCase().replace(/\.$/, ''));
  const reportingMta = /Reporting-MTA: ?dns; ?([A-Za-z0-9.-]{1,253})/i.exec(text)?.[1] ?? /Generating server: ([A-Za-z0-9.-]{1,253})/i.exec(text)?.[1];

  const senderIps: string[] = [];
  for (const m of matches) if (m.senderSide && m.values.ip) push(senderIps, m.values.ip);
  for (const v of extra) push(senderIps, v.ip);
  for (const m of text.matchAll(/client-ip=([0-9A-Fa-f.:]{3,45})/gi)) push(senderIps, canonIp(m[1]));
  // Sendmail transcripts: "<<< 250 mx.example Hello [203.0.113.244], pleased to meet you".
  for (const m of text.matchAll(/<<< 250[ -]\S+ Hello (?:\S+ )?\[((?:IPv6:)?[0-9A-Fa-f.:]{3,45})\]/gi)) push(senderIps, canonIp(m[1]));

  const otherIps: string[] = [];
  for (const m of text.matchAll(/(?<![\w.:])((?:\d{1,3}\.){3}\d{1,3})(?![\w.]*\d)/g)) {
    const ip = canonIp(m[1]);
    if (ip && !senderIps.includes(ip) && !receiverIps.includes(ip)) push(otherIps, ip);
  }
  // Internal hops (private addresses) are never the address a receiver on the Internet saw.
  for (const ip of [...senderIps]) {
    const sp = specialPurpose(ip);
    if (sp && /Private|Loopback|Link|Shared|Unique-Local/.test(sp.name)) {
      senderIps.splice(senderIps.indexOf(ip), 1);
      push(otherIps, ip);
    }
  }

  const heloNames: string[] = [];
  for (const m of matches) push(heloNames, m.values.helo);
  for (const v of extra) push(heloNames, v.helo);
  for (const m of text.matchAll(/(?:>>> (?:HELO|EHLO) |after (?:EHLO|HELO) |\bhelo=<?)([A-Za-z0-9_.\-[\]:]{1,255}?)(?=[>;:,)\s]|$)/gi)) push(heloNames, m[1]);

  const senderDomains: string[] = [];
  const recipientDomains: string[] = [];
  const domainOf = (addr: string) => {
    const a = addr.trim().replace(/^<|>$/g, '');
    const at = a.lastIndexOf('@');
    if (at <= 0) return undefined;
    if (DAEMONS.test(a.slice(0, at))) return undefined;
    const d = a.slice(at + 1).toLowerCase().replace(/[.>]+$/, '');
    return /^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(d) ? d : undefined;
  };
  for (const m of matches) if (m.senderSide) push(senderDomains, m.values.domain);
  for (const v of extra) push(senderDomains, v.domain);
  const header = /^(X-Postfix-Sender|Return-Path|From|To|Final-Recipient|Original-Recipient):[ \t]*(.*)$/gim;
  let sawTo = false;
  for (const m of input.matchAll(header)) {
    const field = m[1].toLowerCase();
    const addr = /[^\s<>;"()]+@[^\s<>;"()]+/.exec(m[2])?.[0];
    if (!addr) continue;
    const d = domainOf(addr);
    if (field === 'final-recipient' || field === 'original-recipient') push(recipientDomains, d);
    else if (field === 'to') {
      // The bounce's own To: is the original sender; later To: lines are the returned message's.
      if (!sawTo) push(senderDomains, d);
      else push(recipientDomains, d);
      sawTo = true;
    } else push(senderDomains, d);
  }
  for (const m of text.matchAll(/(?:MAIL From:|domain of )<?(?:[^\s<>@]{1,64}@)?([A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,63})>?/gi)) push(senderDomains, m[1].toLowerCase());
  for (const m of text.matchAll(/(?:^|\s)<([^<>\s@]{1,64}@[^<>\s]{1,253})>: host /g)) push(recipientDomains, domainOf(m[1]));
  for (const m of text.matchAll(/RCPT TO:<([^<>\s@]{1,64}@[^<>\s]{1,253})>/gi)) push(recipientDomains, domainOf(m[1]));

  const dnsblZones: string[] = [];
  for (const m of [...matches.map((x) => x.values), ...extra]) if (m.zone && m.zone.includes('.')) push(dnsblZones, m.zone);

  const smtpCodes: string[] = [];
  const enhanced: string[] = [];
  for (const m of text.matchAll(/(?<![\w.])([245]\d\d)[ -]([245]\.\d{1,3}\.\d{1,3})(?![\w.]*\d)/g)) {
    push(smtpCodes, m[1]);
    push(enhanced, m[2]);
  }
  for (const m of text.matchAll(/Status: ?([245]\.\d{1,3}\.\d{1,3})/gi)) push(enhanced, m[1]);

  const extracted: BounceExplanation['extracted'] = {
    senderIps,
    receiverIps,
    otherIps: otherIps.filter((ip) => !senderIps.includes(ip) && !receiverIps.includes(ip)),
    heloNames: heloNames.map(escape),
    senderDomains,
    recipientDomains,
    remoteHosts,
    ...(reportingMta ? { reportingMta: reportingMta.toLowerCase() } : {}),
    dnsblZones,
    smtpCodes,
    enhancedCodes: enhanced.map((code) => ({ code, meaning: enhancedCodeMeaning(code) ?? 'unknown' })),
  };

  const suggestions = suggest(matches, extracted);
  return {
    kind: 'bounce',
    matches,
    extracted,
    summary: summarize(matches, extracted, suggestions),
    suggestions,
    length: input.length,
    truncated,
  };
}

function suggest(matches: BounceMatch[], x: BounceExplanation['extracted']): SuggestedCheck[] {
  const ip = x.senderIps[0];
  const helo = x.heloNames[0];
  const domain = x.senderDomains[0];
  const q = (v: string | undefined, placeholder: string) => (v !== undefined ? shellQuote(v) : placeholder);
  const out: SuggestedCheck[] = [];
  const add = (s: Omit<SuggestedCheck, 'complete'>, needed: (string | undefined)[]) => {
    if (out.some((o) => o.cli === s.cli)) return;
    out.push({ ...s, complete: needed.every((v) => v !== undefined) });
  };
  const args = (o: Record<string, string | undefined>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Record<string, string>;
  const seen = new Set<BounceCategory>();
  for (const m of matches) {
    if (seen.has(m.category)) continue;
    seen.add(m.category);
    const mip = m.values.ip ?? ip;
    switch (m.category) {
      case 'helo': {
        const h = m.values.helo ?? helo;
        add({ check: 'helo', args: args({ helo: h, ip: mip }), cli: `maildns helo ${q(h, '<HELO name>')} --ip ${q(mip, '<sending IP>')}`, why: 'what receivers make of the HELO name, and where to set it' }, [h, mip]);
        break;
      }
      case 'rdns':
        add({ check: 'rdns', args: args({ ip: mip }), cli: `maildns rdns ${q(mip, '<sending IP>')}`, why: 'the PTR chain of the sending IP and the record to change' }, [mip]);
        break;
      case 'spf':
      case 'auth': {
        const d = m.values.domain ?? domain;
        add({ check: 'spf', args: args({ ip: mip, domain: d }), cli: `maildns spf ${q(mip, '<sending IP>')} ${q(d, '<From domain>')}`, why: m.category === 'auth' ? 'whether SPF passes for the From domain (DKIM is not checked here)' : 'which term of the SPF record decides, and the record that authorizes the IP' }, [mip, d]);
        break;
      }
      case 'dnsbl':
      case 'reputation': {
        const z = m.values.zone?.includes('.') ? m.values.zone : undefined;
        add({ check: 'dnsbl', args: args({ ip: mip, zone: z }), cli: `maildns dnsbl ${q(mip, '<sending IP>')}${z ? ` --zone ${shellQuote(z)}` : ''}`, why: 'which lists name the IP, and whether the lists answered at all' }, [mip]);
        break;
      }
      case 'sender-domain': {
        const d = m.values.domain ?? domain;
        add({ check: 'mx', args: args({ domain: d }), cli: `maildns mx ${q(d, '<sender domain>')}`, why: 'whether the sender\'s domain can receive replies' }, [d]);
        break;
      }
      case 'relay': {
        const d = x.recipientDomains[0];
        add({ check: 'mx', args: args({ domain: d }), cli: `maildns mx ${q(d, '<recipient domain>')}`, why: 'whether the server that refused is the recipient domain\'s MX' }, [d]);
        break;
      }
      default:
        break;
    }
  }
  if (matches.some((m) => m.senderSide && m.category !== 'relay' && m.category !== 'tls')) {
    add(
      { check: 'check', args: args({ ip, helo, domain }), cli: `maildns check ${q(ip, '<sending IP>')} --helo ${q(helo, '<HELO name>')} --from ${q(domain, '<From domain>')}`, why: 'everything receivers check about the sending server at once' },
      [ip, helo, domain],
    );
  }
  return out;
}

function summarize(matches: BounceMatch[], x: BounceExplanation['extracted'], s: SuggestedCheck[]): string {
  const where = x.remoteHosts[0] ? ` (${x.remoteHosts[0]})` : '';
  const ours = matches.filter((m) => m.senderSide);
  if (ours.length > 0) {
    const first = ours.find((m) => m.receiver !== 'any') ?? ours[0];
    const others = [...new Set(ours.filter((m) => m !== first).map((m) => m.title))];
    return (
      `The receiving server${where} refused the mail — ${first.title}. ${first.explanation}` +
      (others.length ? ` The bounce also says: ${others.join('; ')}.` : '') +
      (s[0] ? ` Next: ${s[0].cli}` : '')
    );
  }
  if (matches.length > 0) {
    return `The mail was refused because of the recipient${where}, not your server: ${matches[0].explanation}`;
  }
  const code = x.enhancedCodes.find((c) => c.code.startsWith('5') || c.code.startsWith('4'));
  return code
    ? `No known rejection text found. The status code ${code.code} means: ${code.meaning}.`
    : 'No known rejection text found in this text. Paste the whole bounce, including the lines after "said:" or "Remote Server returned".';
}

// The DKIM key check as a plain-text report for the terminal, its one status, and the words shared
// with the report document.
import { terminalLines } from '../escape';
import { findingLines } from '../helo/text';
import type { Status } from '../model';
import { DKIM_KEY_TAGS } from './key';
import type { Tag } from './tags';
import { COMMON_SELECTORS } from './selectors';
import type { DkimKeyResult, DkimSelectorLookup } from './types';

const isDns = (code: string): boolean => code.startsWith('dns-');

/** fail: no usable key, or an error; warning: DNS trouble, no common selector found, or warnings; pass otherwise. */
export function dkimStatus(r: DkimKeyResult): Status {
  if (r.findings.some((f) => f.severity === 'error' && !isDns(f.code))) return 'fail';
  if (r.record === null || r.findings.some((f) => f.severity === 'warning' || isDns(f.code))) return 'warning';
  return 'pass';
}

/** `rsa, 2048 bits` / `revoked` / `no key` */
export function keyLabel(r: Pick<DkimKeyResult, 'record' | 'revoked' | 'key'>): string {
  if (r.record === null) return 'no key';
  if (r.revoked) return 'revoked (empty p=)';
  if (r.key.type === null) return 'unusable';
  return `${r.key.type}${r.key.bits !== null ? `, ${r.key.bits} bits` : ''}`;
}

/** A tag value as reports show it: a long p= cut to its start and its length. */
export function tagValueShown(t: Tag): string {
  return t.name === 'p' && t.value.length > 48 ? `${t.value.slice(0, 40)}… (${t.value.length} characters)` : t.value;
}

export function tagMeaning(name: string): string {
  const known = DKIM_KEY_TAGS[name];
  return known ? `${known.title} (${known.section})` : 'not a key tag: ignored (RFC 6376 §3.6.1)';
}

/** What one tried selector came to, in a few words. */
export function lookupOutcome(l: DkimSelectorLookup): string {
  if (l.records.length > 0) {
    const p = l.parsed;
    const key = p ? (p.revoked ? 'revoked key' : p.key.type ? `${p.key.type} key, ${p.key.bits} bits` : 'unusable key record') : 'key record';
    return `${key}${l.cnames.length > 0 ? ` (CNAME → ${l.cnames[l.cnames.length - 1].target})` : ''}`;
  }
  if (l.rcode === 'NXDOMAIN') return l.cnames.length > 0 ? `CNAME → ${l.cnames[l.cnames.length - 1].target}, which does not exist` : 'no such name';
  if (l.rcode === 'NOERROR') return 'no TXT record';
  return `${l.rcode}${l.error ? `: ${l.error}` : ''}`;
}

export function selectorUsers(selector: string): string {
  return COMMON_SELECTORS.find((c) => c.selector === selector)?.by ?? '';
}

export function dkimToText(r: DkimKeyResult): string {
  const out: string[] = [];
  out.push(r.selector !== null ? `DKIM key check for ${r.name}` : `DKIM key check for ${r.domain} (no selector given: common selectors tried)`);
  if (r.selector === null) {
    out.push('');
    out.push(`Selectors tried (${r.lookups.length}; DKIM selectors cannot be listed from DNS — the s= of a DKIM-Signature names the one in use):`);
    const width = Math.max(...r.lookups.map((l) => l.selector.length));
    for (const l of r.lookups) out.push(`  ${l.records.length > 0 ? '✓' : '·'} ${l.selector.padEnd(width)}  ${lookupOutcome(l)}`);
    if (r.found.length === 0) {
      out.push('');
      out.push('  No key under any of them.');
    }
  }
  const shown = r.lookups.find((l) => l.name === r.name);
  if (r.record !== null || r.selector !== null) {
    out.push('');
    out.push(`  name:    ${r.name}${r.cnames.length > 0 ? ` (CNAME → ${r.cnames.map((c) => c.target).join(' → ')})` : ''}`);
    out.push(`  record:  ${r.record ?? `none (${shown?.rcode ?? ''})`}`);
    out.push(`  key:     ${keyLabel(r)}`);
    out.push(`  testing: ${r.testing ? 'yes (t=y)' : 'no'}`);
    const tags = shown?.parsed?.tags ?? [];
    if (tags.length > 0) {
      out.push('');
      out.push('Tags:');
      const width = Math.max(...tags.map((t) => t.name.length + 1 + tagValueShown(t).length));
      for (const t of tags) out.push(`  ${`${t.name}=${tagValueShown(t)}`.padEnd(Math.min(width, 40))}  ${tagMeaning(t.name)}`);
    }
  }
  if (r.findings.length > 0) {
    out.push('');
    out.push('Findings:');
    findingLines(r.findings, out);
  }
  out.push('');
  out.push(`Asked ${r.resolvers.join(', ') || 'the system resolver'} in ${r.elapsedMs} ms.${shown ? `  Reproduce: ${shown.dig}` : ''}`);
  return terminalLines(out);
}

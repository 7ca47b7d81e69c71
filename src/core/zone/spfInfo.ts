// What an editor says about SPF inside a zone file, as plain text: the meaning of the term under
// the cursor with its RFC 7208 section (for hovers), and the lookup count of a record (for the
// "SPF: N/10 DNS lookups" lens). The live half (DNS) is in spfLive.ts.
import { describeTerm, rfcLink, sectionOf, SECTION } from '../spf/sections';
import type { SpfTerm } from '../spf/types';
import { bare } from './names';
import { type LookupCount, type SpfSource, spfRecordAt, staticLookupCount, termTarget } from './spfLint';
import type { LiveLookupCount } from './spfLive';
import type { ZoneIndex } from './zoneIndex';

/** RFC 7208 §4.6.4: at most 10 DNS-querying terms per check. */
export const LOOKUP_LIMIT = 10;

const RESULT_OF: Record<string, string> = { '+': 'pass', '-': 'fail', '~': 'softfail', '?': 'neutral' };

export interface SpfTermInfo {
  /** The term as written (`~all`), or `v=spf1`. */
  text: string;
  /** What kind of term it is: `mechanism "all", qualifier "~" (softfail)`. */
  what: string;
  /** What it does, in plain words. */
  meaning: string;
  /** `RFC 7208 §5.1` and its link. */
  section: string;
  link: string;
  /** More sentences worth saying (lookup cost, the problem with it). */
  notes: string[];
  /** `include:`/`redirect=`: the domain whose record it runs (no trailing dot); absent with macros. */
  target?: string;
  /** That domain's SPF record in the workspace, when a zone there has it. */
  workspace?: { record: string; file: string; start: number; end: number; lookups: LookupCount };
}

function ref(section: string): { section: string; link: string } {
  return { section: `RFC 7208 §${section}`, link: rfcLink(section) };
}

/** The SPF record of `name` (absolute, with the trailing dot) in the workspace's zones. */
export function workspaceSpf(index: ZoneIndex, name: string): SpfSource | undefined {
  return spfRecordAt(index, name);
}

/**
 * The hover text of a term of an SPF record in a zone file; `term` undefined means the record as
 * a whole (the cursor on `v=spf1` or between terms).
 */
export function spfTermInfo(source: SpfSource, term: SpfTerm | undefined, index: ZoneIndex): SpfTermInfo {
  const owner = source.record.owner;
  if (!term) {
    const count = staticLookupCount(source, index);
    return {
      text: 'v=spf1',
      what: `the SPF record of ${bare(owner)}`,
      meaning: 'A TXT record that starts with "v=spf1" is an SPF record (version 1): it lists who may send mail as this domain. Receivers use the one such record at the name.',
      ...ref(SECTION.recordSelection),
      notes: [lookupSentence(count)],
    };
  }
  const targetName = termTarget(term, owner);
  const target = targetName ? bare(targetName) : undefined;
  const info: SpfTermInfo = {
    text: term.text,
    what: whatOf(term),
    meaning: describeTerm(term.kind, term.name, term.qualifier, term.domainSpec === undefined ? target : term.domainSpec),
    ...ref(sectionOf(term.kind, term.name)),
    notes: [],
  };
  if (term.problem) info.notes.push(term.problem.message);
  if (term.dnsTerm) info.notes.push(`Costs 1 of the ${LOOKUP_LIMIT} DNS-querying terms a check may use (RFC 7208 §4.6.4).`);
  if (term.hasMacros) info.notes.push('Its domain is built from macros when a message is checked (RFC 7208 §7), so it cannot be followed here.');
  const follows = (term.kind === 'mechanism' && term.name === 'include') || (term.kind === 'modifier' && term.name === 'redirect');
  if (follows && targetName && !term.hasMacros) {
    info.target = target;
    const there = workspaceSpf(index, targetName);
    if (there) {
      const r = there.record;
      info.workspace = { record: there.text, file: r.file, start: r.start, end: r.end, lookups: staticLookupCount(there, index) };
    }
  }
  return info;
}

function whatOf(term: SpfTerm): string {
  if (term.kind === 'invalid') return 'not a valid term';
  if (term.kind === 'modifier') return term.name === 'redirect' || term.name === 'exp' ? `modifier "${term.name}"` : `unknown modifier "${term.name}"`;
  const q = term.qualifier ?? '+';
  return `mechanism "${term.name}", qualifier "${q}"${term.qualifierExplicit ? '' : ' (the default)'}: ${RESULT_OF[q] ?? 'pass'} when it matches`;
}

function lookupSentence(count: LookupCount): string {
  const via = count.followed.length > 0 ? `, following ${count.followed.join(', ')} in the workspace` : '';
  const outside = count.unknown.length > 0 ? `; not counting what happens inside ${[...new Set(count.unknown)].join(', ')}` : '';
  const stopped = count.partial ? '; counting stopped there, far over the limit' : '';
  return `${count.total}${count.partial ? ' or more' : ''} of the ${LOOKUP_LIMIT} DNS-querying terms a check may use (RFC 7208 §4.6.4)${via}${outside}${stopped}.`;
}

/**
 * "SPF: N/10 DNS lookups" for the lens over a record: counted without DNS (workspace includes
 * followed), or with the live count once DNS has answered for the includes outside the workspace.
 */
export function lookupLensText(count: LookupCount, live?: LiveLookupCount): { title: string; tooltip: string } {
  const total = live ? live.total : count.total;
  const open = live ? live.uncounted.length + live.branches.filter((b) => !b.complete).length : new Set(count.unknown).size;
  let title = `SPF: ${total}${count.partial ? '+' : ''}/${LOOKUP_LIMIT} DNS lookups`;
  if (total > LOOKUP_LIMIT) title += ', over the limit';
  if (open > 0) title += live ? ' (some not counted)' : ` (+ inside ${open === 1 ? [...new Set(count.unknown)][0] : `${open} includes`})`;
  else if (live && live.branches.length > 0) title += ' (live)';
  const lines = [`Counted without DNS: ${lookupSentence(count)}`];
  if (live) {
    for (const b of live.branches) {
      if (b.record !== undefined) lines.push(`${b.domain}: ${b.lookups} more lookup${b.lookups === 1 ? '' : 's'} inside (${b.record})${b.complete ? '' : `, at least: ${b.note ?? 'a lookup failed'}`}`);
      else lines.push(`${b.domain}: ${b.note ?? 'no SPF record'}`);
    }
    for (const u of live.uncounted) lines.push(`${u}: built from macros, not counted`);
  } else if (count.unknown.length > 0) {
    lines.push('Includes outside the workspace are counted with live lookups on (mailDns.zone.liveLookups, trusted workspaces).');
  }
  return { title, tooltip: lines.join('\n') };
}

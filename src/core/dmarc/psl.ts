// The organizational domain (RFC 7489 §3.2): the registered domain under the longest public suffix
// of the Public Suffix List, its private section included (as OpenDMARC and Mail::DMARC read the
// whole file). The list is the one bundled in tldts (docs/modules.md says why and how old);
// nothing is downloaded at run time.
import type * as Tldts from 'tldts';
import type { PslInfo } from './types';

// The list is most of tldts (~140 KB): it loads at the first question, not with the code that may ask
// one. In the editor it is a bundle of its own beside dist/extension.js (esbuild.mjs LAZY_BUNDLES),
// so opening the extension does not pay for it.
// The one module-level binding here: a handle on the module Node already keeps, set once; asking
// require() each time costs ~1 µs a call, and the zone lint asks once per owner that sends mail.
let tldts: typeof Tldts | undefined;
function getDomain(domain: string, options: Parameters<typeof Tldts.getDomain>[1]): string | null {
  tldts ??= require('tldts') as typeof Tldts;
  return tldts.getDomain(domain, options);
}

/**
 * The list's source. `date` is when this tldts version was published: its list is as of then at the
 * latest. test/unit/dmarc-psl.test.ts fails when the installed tldts is another version, so a bump
 * updates the date too.
 */
export const PSL: PslInfo = { package: 'tldts', version: '7.6.0', date: '2026-11-25' };

const OPTIONS = { allowPrivateDomains: true, extractHostname: false, validateHostname: false, detectIp: false } as const;

/**
 * RFC 7489 §3.2: the organizational domain of `domain` (lower case, no trailing dot). A name that is
 * itself a public suffix (or not a valid domain) is its own organizational domain.
 */
export function organizationalDomain(domain: string): string {
  const d = domain.toLowerCase().replace(/\.$/, '');
  return getDomain(d, OPTIONS) ?? d;
}

/** RFC 7489 §3.1: relaxed alignment, the same organizational domain. */
export function sameOrganization(a: string, b: string): boolean {
  return organizationalDomain(a) === organizationalDomain(b);
}

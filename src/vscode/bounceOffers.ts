// The checks "Explain bounce message" offers to run, as plain data: one per suggestion of the
// explainer, with the values the bounce named and the ones still to ask for. No vscode import, so
// the wording is unit-tested; mailCommands.ts shows them as buttons and runs the chosen one.
import type { BounceExplanation, SuggestedCheck } from '../core/bounce/types';
import { SUGGESTED_CHECK_LABEL } from '../core/report/bounceDoc';

export type OfferValue = 'ip' | 'helo' | 'domain';

export interface BounceOffer {
  /** Button text: `Check HELO name DYNA-WEB`; a trailing `…` when it will ask for a value. */
  label: string;
  suggestion: SuggestedCheck;
  /** Values the check needs that the bounce did not name: asked for in input boxes first. */
  missing: OfferValue[];
}

/** What each check cannot run without. (The HELO check's IP is optional: without it, it checks the name alone.) */
export const REQUIRED: Record<SuggestedCheck['check'], OfferValue[]> = {
  helo: ['helo'],
  rdns: ['ip'],
  spf: ['ip', 'domain'],
  dnsbl: ['ip'],
  mx: ['domain'],
  check: ['ip', 'helo', 'domain'],
  // The DKIM check tries the common selectors when it is given none.
  dmarc: ['domain'],
  dkim: ['domain'],
};

/** The value a button names: the one the check is about. */
function headline(s: SuggestedCheck): string | undefined {
  switch (s.check) {
    case 'helo':
      return s.args.helo;
    case 'rdns':
    case 'dnsbl':
      return s.args.ip;
    case 'spf':
    case 'mx':
    case 'dmarc':
    case 'dkim':
      return s.args.domain;
    case 'check':
      return s.args.ip ?? s.args.helo;
  }
}

const MAX_LABEL_VALUE = 40;

export function bounceOffer(s: SuggestedCheck): BounceOffer {
  const missing = REQUIRED[s.check].filter((k) => !s.args[k]);
  const value = headline(s);
  const shown = value && value.length > MAX_LABEL_VALUE ? `${value.slice(0, MAX_LABEL_VALUE)}…` : value;
  return { label: `${SUGGESTED_CHECK_LABEL[s.check]}${shown ? ` ${shown}` : ''}${missing.length > 0 ? '…' : ''}`, suggestion: s, missing };
}

export function bounceOffers(r: BounceExplanation): BounceOffer[] {
  return r.suggestions.map(bounceOffer);
}

/** A suggestion from outside the type system (a command argument), or undefined. */
export function asSuggestion(value: unknown): SuggestedCheck | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.check !== 'string' || !Object.prototype.hasOwnProperty.call(REQUIRED, v.check)) return undefined;
  if (typeof v.args !== 'object' || v.args === null) return undefined;
  const args: Record<string, string> = {};
  for (const [k, x] of Object.entries(v.args as Record<string, unknown>)) if (typeof x === 'string' && x.trim() !== '') args[k] = x.trim();
  const command = v.check === 'dmarc' ? 'mailDns.checkDmarc' : v.check === 'dkim' ? 'mailDns.checkDkim' : undefined;
  return { check: v.check as SuggestedCheck['check'], args, cli: typeof v.cli === 'string' ? v.cli : '', complete: v.complete === true, why: typeof v.why === 'string' ? v.why : '', ...(command ? { command } : {}) };
}

// Where each rule comes from in RFC 7208, so every node of the evaluation tree can link to it.

const BASE = 'https://www.rfc-editor.org/rfc/rfc7208';

export function rfcLink(section: string): string {
  return `${BASE}#section-${section}`;
}

export function rfcRef(section: string): { section: string; link: string } {
  return { section: `RFC 7208 §${section}`, link: rfcLink(section) };
}

/** The section that defines a mechanism or modifier. */
export function sectionOf(kind: 'mechanism' | 'modifier' | 'invalid', name: string): string {
  if (kind === 'mechanism') {
    switch (name) {
      case 'all':
        return '5.1';
      case 'include':
        return '5.2';
      case 'a':
        return '5.3';
      case 'mx':
        return '5.4';
      case 'ptr':
        return '5.5';
      case 'ip4':
      case 'ip6':
        return '5.6';
      case 'exists':
        return '5.7';
    }
  }
  if (kind === 'modifier') {
    if (name === 'redirect') return '6.1';
    if (name === 'exp') return '6.2';
    return '6';
  }
  return '4.6.1';
}

export const SECTION = {
  resultCodes: '2.6',
  validity: '4.3',
  recordLookup: '4.4',
  recordSelection: '4.5',
  termParsing: '4.6.1',
  qualifiers: '4.6.2',
  limits: '4.6.4',
  defaultResult: '4.7',
  include: '5.2',
  macros: '7',
  receivedSpf: '9.1',
} as const;

const QUALIFIER_RESULT: Record<string, string> = { '+': 'pass', '-': 'fail', '~': 'softfail', '?': 'neutral' };

/** What a term does, in words. */
export function describeTerm(kind: 'mechanism' | 'modifier' | 'invalid', name: string, qualifier: string | undefined, target: string | undefined): string {
  const gives = `gives ${QUALIFIER_RESULT[qualifier ?? '+'] ?? 'pass'}`;
  if (kind === 'invalid') return 'Not a valid mechanism or modifier: the whole record is a permerror.';
  if (kind === 'modifier') {
    if (name === 'redirect') return `When no mechanism matches (and there is no "all"), the result is that of ${target ?? 'the target'}'s own SPF record.`;
    if (name === 'exp') return `Where to find the explanation text for a fail result (a TXT record at ${target ?? 'the target'}).`;
    return 'An unknown modifier: ignored by receivers.';
  }
  switch (name) {
    case 'all':
      return `Matches every address: ${gives} for anything not matched before it.`;
    case 'include':
      return `Runs ${target ?? 'the target'}'s SPF record; matches only if that record gives pass, then ${gives}.`;
    case 'a':
      return `Matches if the address is one of ${target ?? 'the domain'}'s A/AAAA addresses; ${gives}.`;
    case 'mx':
      return `Matches if the address belongs to one of ${target ?? 'the domain'}'s MX hosts; ${gives}.`;
    case 'ptr':
      return `Matches if the address's reverse DNS name, confirmed forward, is ${target ?? 'the domain'} or under it; ${gives}. Slow and discouraged.`;
    case 'ip4':
      return `Matches IPv4 addresses in the network; ${gives}.`;
    case 'ip6':
      return `Matches IPv6 addresses in the network; ${gives}.`;
    case 'exists':
      return `Matches if ${target ?? 'the name'} has an A record (whatever its address); ${gives}.`;
  }
  return 'Unknown mechanism.';
}

// The "Check DKIM key" input boxes, as pure functions: what to prefill from a selection (a
// DKIM-Signature's s= and d=, a key name, an address) and what to say about what is typed.
import { parseDomain } from '../mx/check';
import { selectorProblem } from './selectors';

/** Selector and domain found in text: `s=`/`d=` of a DKIM-Signature, `<s>._domainkey.<d>`, or an address's domain. */
export function dkimFromText(text: string): { selector?: string; domain?: string } {
  const t = text.slice(0, 10_000);
  const name = /([A-Za-z0-9_.-]+)\._domainkey\.([A-Za-z0-9_.-]+[A-Za-z0-9])/i.exec(t);
  if (name) return { selector: name[1], domain: name[2] };
  const s = /(?:^|[;\s])s\s*=\s*([A-Za-z0-9_.-]+)/.exec(t);
  const d = /(?:^|[;\s])d\s*=\s*([A-Za-z0-9_.-]+)/.exec(t);
  if (s || d) return { ...(s ? { selector: s[1] } : {}), ...(d ? { domain: d[1] } : {}) };
  const address = /[^\s<>@"]+@([A-Za-z0-9.-]+\.[A-Za-z]{2,})/.exec(t);
  if (address) return { domain: address[1] };
  const domain = parseDomain(t.trim());
  return domain.ok && t.trim().includes('.') ? { domain: domain.domain } : {};
}

/** The selector box: empty is fine (the common selectors are tried); a whole key name is fine too. */
export function dkimSelectorInputProblem(text: string): string | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  if (/\._domainkey\./i.test(t)) {
    const d = parseDomain(t.slice(t.toLowerCase().indexOf('._domainkey.') + '._domainkey.'.length));
    return d.ok ? selectorProblem(t.slice(0, t.toLowerCase().indexOf('._domainkey.'))) : d.error;
  }
  return selectorProblem(t);
}

export function dkimDomainInputProblem(text: string): string | undefined {
  const d = parseDomain(text);
  return d.ok ? undefined : d.error;
}

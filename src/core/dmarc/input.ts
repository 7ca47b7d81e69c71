// What "Check DMARC" takes: a domain, an address, or a From header (`From: Alice <alice@example.com>`):
// DMARC is about the domain of the From address (RFC 7489 §6.6.1). Pure, for the input box (hints as
// you type, prefill from a selection) and the CLI.
import { parseDomain } from '../mx/check';

export type DmarcTarget = { ok: true; domain: string; address?: string } | { ok: false; error: string };

/** The address in a From header or a bare address: `Alice <a@x>`, `From: a@x`, `<a@x>`. */
function addressIn(text: string): string | undefined {
  const t = text.replace(/^\s*from\s*:\s*/i, '').trim();
  const angle = /<([^<>\s]+@[^<>\s]+)>/.exec(t);
  if (angle) return angle[1];
  return /^[^\s@<>]+@[^\s@<>]+$/.test(t) ? t : undefined;
}

/** The domain to check: the text's From address's domain, or the text as a domain. */
export function dmarcTarget(text: string): DmarcTarget {
  const t = text.trim();
  if (t.length > 1000) return { ok: false, error: `${t.length} characters: give a domain or a From address` };
  const address = addressIn(t);
  const d = parseDomain(address ?? t);
  if (!d.ok) return d;
  return address ? { ok: true, domain: d.domain, address } : { ok: true, domain: d.domain };
}

/** The input box's message while typing: undefined when the text is fine (or empty). */
export function dmarcInputProblem(text: string): string | undefined {
  if (text.trim() === '') return undefined;
  const t = dmarcTarget(text);
  return t.ok ? undefined : t.error;
}

/** A domain or From address in selected text (a From: header line, an address, a domain), else ''. */
export function dmarcTargetInText(text: string): string {
  const lines = text.split(/\r?\n/);
  const from = lines.find((l) => /^\s*from\s*:/i.test(l));
  for (const candidate of [from, text.trim()]) {
    if (candidate === undefined || candidate.length > 300) continue;
    const t = dmarcTarget(candidate);
    if (t.ok) return t.address ?? t.domain;
  }
  const any = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/.exec(text);
  return any ? any[0] : '';
}

// Every DMARC tag in plain words, with the section that defines it: for the report, the CLI and
// (later) hovers in zone files. Pure data and small functions.
import type { DmarcPolicy, DmarcTag, PolicyValue } from './types';

export type DmarcSpec = 'RFC 7489' | 'RFC 9091' | 'DMARCbis';

export interface TagInfo {
  name: string;
  /** A few words: "Policy for the domain". */
  title: string;
  /** What it does, in plain words. */
  meaning: string;
  spec: DmarcSpec;
  /** `6.3`, as cited after the spec (`RFC 7489 §6.3`); empty for the DMARCbis draft, whose sections still move. */
  section: string;
  href: string;
  /** The value receivers assume without it; undefined when there is none. */
  default?: string;
}

const RFC7489 = 'https://www.rfc-editor.org/rfc/rfc7489';
const RFC9091 = 'https://www.rfc-editor.org/rfc/rfc9091';
const DMARCBIS = 'https://datatracker.ietf.org/doc/draft-ietf-dmarc-dmarcbis/';

export function rfc7489Link(section: string): string {
  return `${RFC7489}#section-${section}`;
}

/** `RFC 7489 §6.3` with its link. */
export function dmarcRef(section: string): { text: string; href: string } {
  return { text: `RFC 7489 §${section}`, href: rfc7489Link(section) };
}

export const TAGS: Record<string, TagInfo> = {
  v: { name: 'v', title: 'Version', meaning: 'Marks the TXT record as a DMARC record. It must be the first tag and read exactly DMARC1; a record without it is not a DMARC record.', spec: 'RFC 7489', section: '6.3', href: rfc7489Link('6.3') },
  p: { name: 'p', title: 'Policy for the domain', meaning: 'What receivers should do with mail From this domain that fails DMARC: none (deliver it, only report), quarantine (treat it as suspicious, usually the spam folder) or reject (refuse it during SMTP).', spec: 'RFC 7489', section: '6.3', href: rfc7489Link('6.3') },
  sp: { name: 'sp', title: 'Policy for subdomains', meaning: 'The policy for subdomains that have no DMARC record of their own. Without it, subdomains get p. Only an organizational domain\'s record sets it: receivers never look up a subdomain\'s record for a subdomain of it.', spec: 'RFC 7489', section: '6.3', href: rfc7489Link('6.3'), default: 'p' },
  np: { name: 'np', title: 'Policy for non-existent subdomains', meaning: 'The policy for subdomains that do not exist at all (no A, AAAA or MX record): the names spammers make up. Without it they get sp, then p. Receivers that do not know np (RFC 9091, DMARCbis) use sp or p.', spec: 'RFC 9091', section: '4.1', href: `${RFC9091}#section-4.1`, default: 'sp, else p' },
  pct: { name: 'pct', title: 'Percentage of failing mail the policy applies to', meaning: 'The share of failing mail that gets the policy; the rest gets the next weaker one (reject → quarantine, quarantine → none). Meant for a gradual start; DMARCbis drops it (t=y instead).', spec: 'RFC 7489', section: '6.3', href: rfc7489Link('6.3'), default: '100' },
  adkim: { name: 'adkim', title: 'DKIM alignment mode', meaning: 'How closely a DKIM signature\'s domain (d=) must match the From domain: r (relaxed) the same organizational domain, so mail.example.com aligns with example.com; s (strict) exactly the same name.', spec: 'RFC 7489', section: '3.1.1', href: rfc7489Link('3.1.1'), default: 'r' },
  aspf: { name: 'aspf', title: 'SPF alignment mode', meaning: 'How closely the domain SPF authorized (the envelope sender, MAIL FROM) must match the From domain: r (relaxed) the same organizational domain; s (strict) exactly the same name.', spec: 'RFC 7489', section: '3.1.2', href: rfc7489Link('3.1.2'), default: 'r' },
  rua: { name: 'rua', title: 'Where aggregate reports go', meaning: 'Addresses (mailto: URIs, comma-separated) that receivers send daily aggregate reports to: which servers sent mail as this domain and whether it passed. The reports are how you find every legitimate sender before tightening p. Addresses in another organization\'s domain receive reports only if that domain agrees (RFC 7489 §7.1).', spec: 'RFC 7489', section: '6.3', href: rfc7489Link('6.3') },
  ruf: { name: 'ruf', title: 'Where failure reports go', meaning: 'Addresses for per-message failure (forensic) reports. Few receivers send them (they may contain personal data); the same external-domain consent applies as for rua.', spec: 'RFC 7489', section: '6.3', href: rfc7489Link('6.3') },
  fo: { name: 'fo', title: 'When to send failure reports', meaning: 'Colon-separated: 0 when SPF and DKIM both fail to give an aligned pass, 1 when either fails, d when DKIM fails, s when SPF fails. Only matters with ruf.', spec: 'RFC 7489', section: '6.3', href: rfc7489Link('6.3'), default: '0' },
  rf: { name: 'rf', title: 'Failure report format', meaning: 'The format of failure reports; afrf (RFC 6591) is the only one registered. DMARCbis drops it.', spec: 'RFC 7489', section: '6.3', href: rfc7489Link('6.3'), default: 'afrf' },
  ri: { name: 'ri', title: 'Aggregate report interval', meaning: 'Seconds between aggregate reports the domain asks for; receivers send at least daily whatever it says. DMARCbis drops it.', spec: 'RFC 7489', section: '6.3', href: rfc7489Link('6.3'), default: '86400' },
  t: { name: 't', title: 'Testing mode (DMARCbis)', meaning: 'DMARCbis: t=y asks receivers to apply the next weaker policy (reject → quarantine, quarantine → none) while you test; it replaces pct. Receivers that only know RFC 7489 ignore it.', spec: 'DMARCbis', section: '', href: DMARCBIS, default: 'n' },
  psd: { name: 'psd', title: 'Public suffix domain flag (DMARCbis)', meaning: 'DMARCbis: psd=y marks the record of a public suffix domain (a registry), n an organizational domain, u unknown. Receivers use it in their DNS tree walk; RFC 7489 receivers ignore it.', spec: 'DMARCbis', section: '', href: DMARCBIS, default: 'u' },
};

export const KNOWN_TAGS: readonly string[] = Object.keys(TAGS);

export const POLICY_MEANING: Record<PolicyValue, string> = {
  none: 'deliver it as usual and only send reports (monitoring: no protection against spoofing)',
  quarantine: 'treat it as suspicious: most receivers put it in the spam folder',
  reject: 'refuse it during SMTP (Gmail: 550-5.7.26 "Unauthenticated email … is not accepted due to domain\'s DMARC policy")',
};

/** The next weaker policy: what mail gets when pct sampling or t=y spares it (RFC 7489 §6.6.4). */
export function weaker(p: PolicyValue): PolicyValue {
  return p === 'reject' ? 'quarantine' : 'none';
}

const MODE_WORDS = { r: 'relaxed (same organizational domain)', s: 'strict (exactly the same domain)' };

/** What this tag, with the value it has, does: one sentence for the report and hovers. */
export function describeTag(tag: Pick<DmarcTag, 'name' | 'value' | 'invalid'>, policy?: DmarcPolicy): string {
  const info = TAGS[tag.name];
  if (!info) return `"${tag.name}" is not a DMARC tag: receivers ignore it (RFC 7489 §6.3: unknown tags MUST be ignored).`;
  if (tag.invalid) return `${info.title}: "${tag.value}" is not a value this tag allows. ${info.meaning}`;
  const v = tag.value.trim().toLowerCase();
  switch (tag.name) {
    case 'v':
      return 'This is a DMARC record (version DMARC1).';
    case 'p':
    case 'sp':
    case 'np': {
      const whose = tag.name === 'p' ? 'this domain' : tag.name === 'sp' ? 'its subdomains' : 'its non-existent subdomains';
      return `Mail From ${whose} that fails DMARC: ${POLICY_MEANING[v as PolicyValue] ?? v}.`;
    }
    case 'pct': {
      const n = policy?.pct ?? Number(v);
      if (n >= 100) return 'The policy applies to all failing mail.';
      const p = policy?.p;
      return `The policy applies to ${n}% of failing mail; the other ${100 - n}% gets ${p ? `"${weaker(p)}"` : 'the next weaker policy'} (RFC 7489 §6.6.4).`;
    }
    case 'adkim':
    case 'aspf':
      return `${tag.name === 'adkim' ? 'DKIM' : 'SPF'} alignment: ${MODE_WORDS[v as 'r' | 's'] ?? v}.`;
    case 'rua':
      return `Aggregate reports go to ${tag.value.trim()}.`;
    case 'ruf':
      return `Failure reports go to ${tag.value.trim()} (few receivers send them).`;
    case 'fo': {
      const words: Record<string, string> = { '0': 'both SPF and DKIM fail to align', '1': 'either fails', d: 'DKIM fails', s: 'SPF fails' };
      const opts = v.split(':').map((o) => words[o.trim()] ?? o.trim());
      return `Failure reports are asked for when ${opts.join(', or when ')}.`;
    }
    case 'rf':
      return `Failure reports in ${v} format.`;
    case 'ri':
      return `Aggregate reports every ${v} seconds${Number(v) === 86400 ? ' (daily)' : ''}, as far as receivers honour it.`;
    case 't':
      return v === 'y' ? 'Testing (DMARCbis): receivers apply the next weaker policy.' : 'Not testing (DMARCbis): the policy applies as written.';
    case 'psd':
      return v === 'y' ? 'A public suffix domain\'s record (DMARCbis).' : v === 'n' ? 'An organizational domain\'s record (DMARCbis).' : 'Unknown whether this is a public suffix domain (DMARCbis).';
  }
  return info.meaning;
}

/** `RFC 7489 §6.3`, `RFC 9091 §4.1`, `DMARCbis`: where a tag is defined, as the report cites it. */
export function tagSource(info: TagInfo): string {
  return info.section ? `${info.spec} §${info.section}` : info.spec;
}

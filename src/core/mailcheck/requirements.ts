// What Gmail, Yahoo and Microsoft (Outlook.com) require of senders since 2024, as one typed table,
// and where one server stands on each requirement. The wording is the providers' own, quoted from
// their pages (SOURCES), so that a reader can check it; updating the table is editing this file:
// the wording, the URL, and REQUIREMENTS_CHECKED. Nothing here is invented: a requirement a provider
// does not name is `not-listed`, one it only recommends is `recommended`. These are published rules,
// not observed behaviour: what a provider's servers really do with a message shows only in its reply.
// SENDER_REQUIREMENTS and SOURCES are plain data, for any report that needs the table (issue 14).
import type { Status } from '../model';

export type ProviderId = 'gmail' | 'yahoo' | 'microsoft';

/** Who asks: `all` senders, `bulk` senders only (each provider says what bulk is), `recommended` only, or not named. */
export type Applies = 'all' | 'bulk' | 'recommended' | 'not-listed';

export interface RequirementSource {
  provider: ProviderId;
  /** The mailbox provider, as the table's column says it. */
  name: string;
  /** The page's title. */
  title: string;
  url: string;
  /** When the page was published or last changed, as the page says. */
  date: string;
  /** Since when the requirements apply, as the page says. */
  inForce: string;
  /** Who the bulk requirements are for, in the page's terms. */
  bulk: string;
  /** Short form of `bulk` for table cells. */
  bulkShort: string;
}

export interface ProviderRule {
  applies: Applies;
  /** The provider's words (absent when not listed). */
  wording?: string;
}

export type RequirementId = 'spf-or-dkim' | 'spf-and-dkim' | 'dmarc' | 'alignment' | 'fcrdns' | 'tls' | 'unsubscribe' | 'spam-rate';

export interface SenderRequirement {
  id: RequirementId;
  title: string;
  /** Whether DNS (and the optional SMTP probe) can tell where a server stands; the others are properties of the mail stream. */
  checkable: boolean;
  rules: Record<ProviderId, ProviderRule>;
}

/**
 * When the wording and URLs below were last compared with the providers' pages: on 2026-12-02, with
 * the newest dated copies kept by the public page-history repository azumakuniyuki/feb-2024-no-auth-no-entry
 * (Google 81126 of 2026-03-11, Yahoo best-practices of 2025-04-10, Microsoft's post of 2025-08-02).
 */
export const REQUIREMENTS_CHECKED = '2026-12-02';

export const PROVIDERS: readonly ProviderId[] = ['gmail', 'yahoo', 'microsoft'];

export const SOURCES: Record<ProviderId, RequirementSource> = {
  gmail: {
    provider: 'gmail',
    name: 'Gmail',
    title: 'Email sender guidelines (Google Workspace Admin Help)',
    url: 'https://support.google.com/a/answer/81126',
    date: 'TLS requirement added Dec. 2023',
    inForce: 'February 1, 2024',
    bulk: 'senders of more than 5,000 messages a day to personal Gmail accounts',
    bulkShort: '5,000+ a day',
  },
  yahoo: {
    provider: 'yahoo',
    name: 'Yahoo',
    title: 'Sender Requirements & Recommendations (Yahoo Sender Hub; earlier "Sender Best Practices")',
    url: 'https://senders.yahooinc.com/best-practices/',
    date: 'enforcement "beginning in February 2024", rolled out through the first half of 2024',
    inForce: 'February 2024',
    bulk: 'bulk senders (the page names no volume)',
    bulkShort: 'bulk senders',
  },
  microsoft: {
    provider: 'microsoft',
    name: 'Outlook.com',
    title: "Strengthening Email Ecosystem: Outlook's New Requirements for High-Volume Senders (Microsoft Tech Community)",
    url: 'https://techcommunity.microsoft.com/blog/microsoftdefenderforoffice365blog/strengthening-email-ecosystem-outlook%E2%80%99s-new-requirements-for-high%E2%80%90volume-senders/4399730',
    date: 'April 2, 2025, with an "April 29th Update" (non-compliant mail rejected with "550; 5.7.515 Access denied, sending domain [SendingDomain] does not meet the required authentication level.")',
    inForce: 'May 5, 2025',
    bulk: 'domains sending more than 5,000 messages a day to Outlook.com, Hotmail.com and Live.com addresses',
    bulkShort: '5,000+ a day',
  },
};

const NOT_LISTED: ProviderRule = { applies: 'not-listed' };

/** The requirements, in the order the report lists them; each provider's own words. */
export const SENDER_REQUIREMENTS: readonly SenderRequirement[] = [
  {
    id: 'spf-or-dkim',
    title: 'SPF or DKIM',
    checkable: true,
    rules: {
      gmail: { applies: 'all', wording: 'Set up SPF or DKIM email authentication for your sending domains.' },
      yahoo: { applies: 'all', wording: 'Authenticate your mail: Implement SPF or DKIM at a minimum' },
      // Its page is about high-volume senders only; they need both (next row).
      microsoft: NOT_LISTED,
    },
  },
  {
    id: 'spf-and-dkim',
    title: 'SPF and DKIM, both',
    checkable: true,
    rules: {
      gmail: { applies: 'bulk', wording: 'Set up SPF and DKIM email authentication for your domain.' },
      yahoo: { applies: 'bulk', wording: 'Implement both SPF & DKIM' },
      microsoft: { applies: 'bulk', wording: 'SPF: Must Pass for the sending domain. DKIM: Must Pass to validate email integrity and authenticity.' },
    },
  },
  {
    id: 'dmarc',
    title: 'A DMARC record (p=none is enough)',
    checkable: true,
    rules: {
      gmail: { applies: 'bulk', wording: 'Set up DMARC email authentication for your sending domain. Your DMARC enforcement policy can be set to none.' },
      yahoo: { applies: 'bulk', wording: 'Publish a valid DMARC policy with at least p=none - DMARC must pass' },
      microsoft: { applies: 'bulk', wording: 'DMARC: At least p=none and align with either SPF or DKIM (preferably both).' },
    },
  },
  {
    id: 'alignment',
    title: 'From domain aligned with SPF or DKIM',
    checkable: true,
    rules: {
      gmail: { applies: 'bulk', wording: "For direct email, the domain in the sender's From: header must be aligned with either the SPF domain or the DKIM domain. This is required to pass DMARC alignment." },
      yahoo: { applies: 'bulk', wording: 'Relaxed alignment is acceptable. Ensure the domain in the From: header is aligned with either the SPF domain or the DKIM domain. This is required for DMARC alignment.' },
      microsoft: { applies: 'bulk', wording: 'At least p=none and align with either SPF or DKIM (preferably both).' },
    },
  },
  {
    id: 'fcrdns',
    title: 'Forward and reverse DNS of the sending IP (FCrDNS)',
    checkable: true,
    rules: {
      gmail: { applies: 'all', wording: 'Ensure that sending domains or IPs have valid forward and reverse DNS records, also referred to as PTR records.' },
      yahoo: { applies: 'all', wording: 'Have a valid forward and reverse DNS record for your sending IPs' },
      microsoft: NOT_LISTED,
    },
  },
  {
    id: 'tls',
    title: 'TLS for transmission',
    checkable: true,
    rules: {
      gmail: { applies: 'all', wording: 'Use a TLS connection for transmitting email.' },
      yahoo: NOT_LISTED,
      microsoft: NOT_LISTED,
    },
  },
  {
    id: 'unsubscribe',
    title: 'One-click unsubscribe',
    checkable: false,
    rules: {
      gmail: { applies: 'bulk', wording: 'Marketing messages and subscribed messages must support one-click unsubscribe, and include a clearly visible unsubscribe link in the message body.' },
      yahoo: { applies: 'bulk', wording: 'Implement a functioning list-unsubscribe header, which supports one-click unsubscribe for marketing and subscribed messages' },
      microsoft: { applies: 'recommended', wording: 'Functional Unsubscribe Links: Provide an easy, clearly visible way for recipients to opt out of further messages, particularly for marketing or bulk mail.' },
    },
  },
  {
    id: 'spam-rate',
    title: 'Low spam complaint rate',
    checkable: false,
    rules: {
      gmail: { applies: 'all', wording: 'Keep spam rates reported in Postmaster Tools below 0.3%.' },
      yahoo: { applies: 'all', wording: 'Keep your spam rate below 0.3%' },
      microsoft: NOT_LISTED,
    },
  },
];

/** A rule as a table cell says it: `all senders`, `5,000+ a day`, `recommended`, `not listed`. */
export function appliesLabel(provider: ProviderId, applies: Applies): string {
  return applies === 'all' ? 'all senders' : applies === 'bulk' ? SOURCES[provider].bulkShort : applies === 'recommended' ? 'recommended' : 'not listed';
}

/** Where the server stands on one requirement. */
export interface RequirementStanding {
  id: RequirementId;
  title: string;
  /** pass: met; fail: not met; warning: could not tell (DNS trouble, a selector not given); info: not checked here. */
  status: Status;
  /** Whether this check looked (false for requirements DNS cannot show). */
  checked: boolean;
  /** One sentence: where the server stands and why. */
  standing: string;
  rules: Record<ProviderId, ProviderRule>;
}

/** What the table is: the providers' published rules, never what their servers were seen to do. */
export const REQUIREMENTS_BASIS =
  "Published rules, quoted from each provider's page: what it says it requires, not what its servers were seen doing. Its reply to a message (a bounce) shows what it did: Mail DNS: Explain bounce message.";

/** The sender requirements as the combined check reports them: the table, the standing on each, and its sources. */
export interface SenderRequirements {
  /** Always `published-rules`: the providers' own pages, not observed behaviour. */
  basis: 'published-rules';
  /** REQUIREMENTS_BASIS, for readers of the JSON. */
  basisNote: string;
  checked: string;
  sources: RequirementSource[];
  rows: RequirementStanding[];
}

/** What the combined check found, as the requirements read it; each `null` means "could not tell". */
export interface RequirementFacts {
  fromDomain: string;
  /** SPF for the From domain: pass/fail…; null when not evaluated. */
  spf: { result: string; summary: string } | null;
  /** DKIM: usable keys found under the From domain; `undecided` when DNS trouble or an unguessed selector leaves it open. */
  dkim: { usableSelectors: string[]; selectorGiven: boolean; undecided: boolean; summary: string };
  /** DMARC discovery: found (a policy applies, p=none included), none, broken, temperror. */
  dmarc: { outcome: 'found' | 'none' | 'broken' | 'temperror'; summary: string };
  /** Alignment: true could align, false cannot, null cannot tell. */
  alignment: { spf: boolean | null; dkim: boolean | null; summary: string };
  fcrdns: { result: string; summary: string };
  /** The SMTP probe's STARTTLS, when it ran. */
  tls: { probed: false } | { probed: true; connected: boolean; offered: boolean; ok: boolean; target: string };
}

function standing(req: SenderRequirement, status: Status, text: string): RequirementStanding {
  return { id: req.id, title: req.title, status, checked: req.checkable, standing: text, rules: req.rules };
}

function judge(req: SenderRequirement, f: RequirementFacts): RequirementStanding {
  const spfPass = f.spf?.result === 'pass';
  const spfOpen = f.spf === null || f.spf.result === 'temperror';
  const dkimOk = f.dkim.usableSelectors.length > 0;
  const dkimWords = dkimOk ? `a usable DKIM key is published (selector ${f.dkim.usableSelectors.join(', ')})` : f.dkim.summary;
  const spfWords = f.spf ? `SPF ${f.spf.result} for ${f.fromDomain}` : 'SPF not evaluated';
  switch (req.id) {
    case 'spf-or-dkim':
      if (spfPass || dkimOk) return standing(req, 'pass', `${spfPass ? `SPF passes for ${f.fromDomain}` : dkimWords}${spfPass && dkimOk ? `; ${dkimWords}` : ''}.`);
      return standing(req, spfOpen || f.dkim.undecided ? 'warning' : 'fail', `${spfWords}; ${dkimWords}.`);
    case 'spf-and-dkim':
      if (spfPass && dkimOk) return standing(req, 'pass', `SPF passes for ${f.fromDomain} and ${dkimWords}; whether the server signs with it shows only in a message.`);
      return standing(req, (!spfPass && !spfOpen) || (!dkimOk && !f.dkim.undecided) ? 'fail' : 'warning', `${spfWords}; ${dkimWords}.`);
    case 'dmarc':
      return standing(req, f.dmarc.outcome === 'found' ? 'pass' : f.dmarc.outcome === 'temperror' ? 'warning' : 'fail', f.dmarc.summary);
    case 'alignment': {
      const a = f.alignment;
      return standing(req, a.spf === true || a.dkim === true ? 'pass' : a.spf === null || a.dkim === null ? 'warning' : 'fail', a.summary);
    }
    case 'fcrdns':
      return standing(req, f.fcrdns.result === 'pass' ? 'pass' : f.fcrdns.result === 'temperror' ? 'warning' : 'fail', f.fcrdns.summary);
    case 'tls': {
      const t = f.tls;
      // The probe talks to the server's receiving side; whether it uses TLS when it sends is its client setting.
      const client = 'Sending with TLS is a setting of its SMTP client (Postfix smtp_tls_security_level = may), which no outside check can see.';
      if (!t.probed) return standing(req, 'info', `Not checked: run the check with the SMTP probe to see whether the server offers STARTTLS. ${client}`);
      if (!t.connected) return standing(req, 'info', `Not checked: the SMTP probe of ${t.target} did not connect. ${client}`);
      if (t.ok) return standing(req, 'pass', `${t.target} offers STARTTLS and the handshake works: TLS is set up on the server. ${client}`);
      return standing(req, 'warning', `${t.target} ${t.offered ? 'offers STARTTLS, but the handshake failed' : 'offers no STARTTLS'}: TLS does not look set up on the server. ${client}`);
    }
    case 'unsubscribe':
      return standing(req, 'info', 'Not checked here: a property of each message (the List-Unsubscribe and List-Unsubscribe-Post headers, RFC 8058), not of DNS.');
    case 'spam-rate':
      return standing(req, 'info', "Not checked here: receivers measure it (Gmail's Postmaster Tools, Yahoo's Complaint Feedback Loop report it to you).");
  }
}

/** The standing in a word or two, as the table's last column says it. */
export function standingLabel(row: Pick<RequirementStanding, 'checked' | 'status'>): string {
  if (!row.checked) return 'not checked here';
  return row.status === 'pass' ? 'yes' : row.status === 'fail' ? 'no' : row.status === 'warning' ? 'cannot tell' : 'not checked';
}

/** The requirements table with this server's standing on each. Pure. */
export function senderRequirements(facts: RequirementFacts): SenderRequirements {
  return { basis: 'published-rules', basisNote: REQUIREMENTS_BASIS, checked: REQUIREMENTS_CHECKED, sources: PROVIDERS.map((p) => SOURCES[p]), rows: SENDER_REQUIREMENTS.map((r) => judge(r, facts)) };
}

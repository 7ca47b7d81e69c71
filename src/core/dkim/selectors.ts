// The selectors tried when none is given. DKIM keys live at <selector>._domainkey.<domain>, and DNS
// has no way to list the names under _domainkey (zone transfers are refused, NSEC walking works only
// on some signed zones): a selector can only be guessed, or read from the s= of a DKIM-Signature of a
// message the domain sent. These are the ones mail services and signing software use by default.

export interface CommonSelector {
  selector: string;
  /** Who uses it by default. */
  by: string;
}

export const COMMON_SELECTORS: readonly CommonSelector[] = [
  { selector: 'google', by: 'Google Workspace' },
  { selector: 'selector1', by: 'Microsoft 365' },
  { selector: 'selector2', by: 'Microsoft 365' },
  { selector: 'default', by: 'cPanel, Plesk, rspamd and many others' },
  { selector: 'dkim', by: 'many signers' },
  { selector: 'mail', by: 'many signers (opendkim-genkey examples)' },
  { selector: 'k1', by: 'Mailchimp, Mailgun' },
  { selector: 'k2', by: 'Mailchimp' },
  { selector: 'k3', by: 'Mailchimp' },
  { selector: 's1', by: 'SendGrid' },
  { selector: 's2', by: 'SendGrid' },
  { selector: 'mandrill', by: 'Mandrill' },
  { selector: 'smtp', by: 'Mailgun' },
  { selector: 'mx', by: 'Mailgun' },
  { selector: 'email', by: 'many signers' },
  { selector: 'key1', by: 'many signers' },
  { selector: 'fm1', by: 'Fastmail' },
  { selector: 'fm2', by: 'Fastmail' },
  { selector: 'fm3', by: 'Fastmail' },
  { selector: 'protonmail', by: 'Proton Mail' },
  { selector: 'protonmail2', by: 'Proton Mail' },
  { selector: 'protonmail3', by: 'Proton Mail' },
  { selector: 'zmail', by: 'Zoho Mail' },
  { selector: 'sig1', by: 'iCloud Mail custom domains' },
];

/** RFC 6376 §3.1: selector = sub-domain *( "." sub-domain ). Underscores are accepted, as DNS does. */
export function selectorProblem(text: string): string | undefined {
  const s = text.trim();
  if (s === '') return 'no selector given';
  const shown = JSON.stringify(s.length > 80 ? `${s.slice(0, 80)}…` : s);
  if (s.length > 200) return `${shown} is too long for a selector`;
  const labels = s.split('.');
  if (labels.some((l) => l === '' || l.length > 63 || !/^[A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?$/.test(l))) {
    return `${shown} is not a selector: labels of letters, digits and "-" separated by dots, as in s= of a DKIM-Signature (RFC 6376 §3.1)`;
  }
  return undefined;
}

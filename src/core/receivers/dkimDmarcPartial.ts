// The receiver rows the DMARC and DKIM key reports can tell without a message, the way
// ./partial.ts does for the rDNS, HELO and SPF reports: the full matrix computed for the message
// the check describes, keeping only that check's rules (no totals). Each row says which message it
// is about: the DMARC report shows what mail that passes and mail that fails gets; the DKIM key
// report what a signature with that key gets. test/integration/receivers-dkim.test.ts checks every
// row against the full matrix of its scenarios (which the real software checked).
import type { DkimKeyResult } from '../dkim/types';
import { type DmarcEvaluation, evaluateDmarc } from '../dmarc/evaluate';
import type { DiscoveredPolicy } from '../dmarc/types';
import type { RdnsResult } from '../rdns/types';
import type { SpfResult } from '../spf/types';
import type { VerifyResult } from '../verify/types';
import type { DkimSignatureInput } from './dkimRows';
import { receiverMatrix } from './index';
import type { ReceiverInput, ReceiverRow } from './types';

// The rows below read no connection: an address and an rDNS result that say nothing.
const IP = '192.0.2.1';
const NO_RDNS = { ip: IP, ptr: [], confirmed: [], chain: [], fcrdns: 'none', postfix: { reject_unknown_reverse_client_hostname: 'accept', reject_unknown_client_hostname: 'accept' } } as unknown as RdnsResult;

const DMARC_RULES = /^(DMARC_(PASS|REJECT|QUAR|NONE|MISSING)|DMARC_POLICY_(ALLOW|REJECT|QUARANTINE|SOFTFAIL)|DMARC_NA)$/;
const DKIM_RULES = /^(DKIM_(SIGNED|VALID|INVALID|VALID_AU|VALID_EF)|R_DKIM_(ALLOW|REJECT|PERMFAIL|TEMPFAIL|NA))$/;

const rowsOf = (input: ReceiverInput, re: RegExp, lead: string): ReceiverRow[] =>
  receiverMatrix(input)
    .filter((r) => re.test(r.rule))
    .map((r) => ({ ...r, why: `${lead} ${r.why}` }));

/**
 * The DMARC report's rows: with a policy, what SpamAssassin and rspamd do with mail From the domain
 * that passes DMARC and with mail that fails it; without a record, what they do then. None for DNS
 * trouble or a record receivers cannot use (not modelled).
 */
export function receiverRowsOfDmarc(r: DiscoveredPolicy): ReceiverRow[] {
  const domain = r.domain;
  const input = (spf: string): ReceiverInput => ({
    ip: IP, helo: '', rdns: NO_RDNS, dkim: undefined,
    dmarc: evaluateDmarc({ fromDomain: domain, spf: { result: spf, domain }, dkim: [] }, r),
  });
  if (r.outcome === 'none') return rowsOf(input('pass'), DMARC_RULES, `Mail From ${domain}:`);
  if (r.outcome !== 'found' || !r.policy) return [];
  const pass = input('pass');
  const fail = input('fail');
  if (pass.dmarc?.result !== 'pass' || fail.dmarc?.result !== 'fail') return [];
  // SpamAssassin's DMARC plugin may pass mail RFC 7489 fails (./dkimRows.ts spamassassinDmarc): said in its fail rows.
  const saNote = ' (SpamAssassin passes it anyway when the HELO name passes SPF and aligns with the From domain.)';
  const rows = [
    ...rowsOf(pass, DMARC_RULES, `When mail From ${domain} passes DMARC (aligned SPF or DKIM):`),
    ...rowsOf(fail, DMARC_RULES, `When mail From ${domain} fails DMARC (${fail.dmarc.policy?.tag}=${fail.dmarc.policy?.value}${fail.dmarc.disposition !== fail.dmarc.policy?.value ? `, acted on as ${fail.dmarc.disposition}` : ''}):`).map((r) => (r.receiver === 'spamassassin' ? { ...r, why: r.why + saNote } : r)),
  ];
  // One receiver's rows together, in the matrix's order of receivers.
  const order = [...new Set(rows.map((r) => r.receiver))];
  return order.flatMap((receiver) => rows.filter((r) => r.receiver === receiver));
}

/**
 * The DKIM key report's rows: what a signature made with this key gets — one that verifies when
 * the key is usable, "no key" when there is none. `authorDomain` (the From domain; default the key's
 * domain) and `envelopeDomain` (default none) decide SpamAssassin's DKIM_VALID_AU and DKIM_VALID_EF.
 * A revoked key gives the no-key rows too. None when no selector is known, or for an outcome the
 * matrix does not model (DNS trouble, an unusable or short key).
 */
export function receiverRowsOfDkimKey(r: DkimKeyResult, o: { authorDomain?: string; envelopeDomain?: string } = {}): ReceiverRow[] {
  const selector = r.selector ?? r.found[0];
  if (!selector) return [];
  const lookup = r.lookups.find((l) => l.selector === selector);
  if (!lookup) return [];
  let sig: DkimSignatureInput;
  let lead: string;
  if (r.record === null) {
    if (lookup.rcode !== 'NXDOMAIN' && lookup.rcode !== 'NOERROR') return [];
    // rspamd 3.4 tells a missing name (NXDOMAIN) apart only as a failed lookup: modelled for NXDOMAIN alone.
    if (lookup.rcode !== 'NXDOMAIN') return [];
    sig = { result: 'permerror', code: 'dkim-sig-key-missing', d: r.domain, s: selector };
    lead = `A signature with s=${selector} d=${r.domain} (no key at ${lookup.name}):`;
  } else if (r.revoked) {
    sig = { result: 'permerror', code: 'dkim-sig-key-revoked', d: r.domain, s: selector };
    lead = `A signature with s=${selector} d=${r.domain} (the key is revoked: empty p=):`;
  } else {
    if (r.key.type === null || r.findings.some((f) => f.severity === 'error' && !f.code.startsWith('dns-')) || (r.key.type === 'rsa' && (r.key.bits ?? 0) < 1024)) return [];
    sig = { result: 'pass', code: 'dkim-sig-pass', d: r.domain, s: selector, key: { type: r.key.type, bits: r.key.bits, testing: r.testing, cnames: r.cnames } };
    lead = `A signature with s=${selector} d=${r.domain} that verifies (the body and signed headers unchanged):`;
  }
  const author = o.authorDomain ?? r.domain;
  const input: ReceiverInput = { ip: IP, helo: '', rdns: NO_RDNS, dkim: [sig], authorDomain: author, ...(o.envelopeDomain ? { fromDomain: o.envelopeDomain } : {}) };
  return rowsOf(input, DKIM_RULES, lead);
}

/**
 * The message check's rows: SpamAssassin's and rspamd's DKIM and DMARC rules for this message, from
 * its verified signatures, SPF and DMARC results (the connection's rules are in the rDNS and HELO
 * reports; no totals: the message's content is not scored here).
 */
export function receiverRowsOfMessage(v: VerifyResult): ReceiverRow[] {
  if (v.fromDomain === '') return [];
  const spf = v.spf.checked ? ({ result: v.spf.result, domain: v.spf.domain, identity: v.spf.identity, reason: v.spf.reason } as unknown as SpfResult) : undefined;
  const dmarc = { ...v.dmarc, pct: v.dmarc.policy?.pct ?? 100 } as unknown as DmarcEvaluation;
  const envelope = v.spf.identity === 'mailfrom' && v.returnPath ? v.returnPath : undefined;
  const input: ReceiverInput = { ip: v.connection.ip ?? IP, helo: '', rdns: NO_RDNS, dkim: v.dkim, authorDomain: v.fromDomain, dmarc, ...(spf ? { spf } : {}), ...(envelope ? { mailFrom: envelope } : {}) };
  return receiverMatrix(input).filter((r) => DKIM_RULES.test(r.rule) || DMARC_RULES.test(r.rule) || r.rule === 'DMARC_POLICY_ALLOW_WITH_FAILURES');
}

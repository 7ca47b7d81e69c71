// The receiver matrix of the combined mail check, from the sub-checks' results (nothing is asked again).
import { evaluateDmarc } from '../dmarc/evaluate';
import type { DiscoveredPolicy } from '../dmarc/types';
import type { DkimKeyResult } from '../dkim/types';
import type { SenderRequirements } from '../mailcheck/requirements';
import type { DnsblResult } from '../dnsbl/types';
import type { HeloResult } from '../helo/types';
import type { MxResult } from '../mx/types';
import type { RdnsResult } from '../rdns/types';
import type { SpfResult } from '../spf/types';
import { domainExistsOf } from './connection';
import { receiverRowsOfDkimKey } from './dkimDmarcPartial';
import { receiverMatrix } from './index';
import type { ReceiverKnobs } from './knobs';
import { publishedRuleRows } from './providers';
import type { ReceiverRow } from './types';

export interface MailCheckParts {
  ip: string;
  heloName: string;
  fromDomain: string;
  results: { rdns: RdnsResult; helo: HeloResult; spf?: SpfResult; mx: MxResult; dmarc?: DiscoveredPolicy; dnsbl?: DnsblResult; dkim?: DkimKeyResult };
  /** Whether a DKIM signature could align with the From domain (the combined check's alignment note). */
  dkimCanAlign?: boolean | null;
  /** Whether the connection uses TLS, when known. */
  tls?: boolean;
  /** The receivers' settings (mailDns.receivers.*, maildns check --receivers). */
  knobs?: ReceiverKnobs;
  /** The sender-requirements table: Gmail's, Yahoo's and Microsoft's rows come from it (published rules). */
  requirements?: SenderRequirements;
}

export function receiversOfMailCheck(p: MailCheckParts): ReceiverRow[] {
  const { rdns, helo, spf, mx, dmarc, dnsbl } = p.results;
  // The DMARC result of a message sent this way, from SPF and the discovered policy. The check has no
  // message, so no DKIM result: a fail stands only when no DKIM key could align; otherwise DKIM may
  // still pass DMARC and the receivers' DMARC rows are left out.
  let evaluation = spf && dmarc ? evaluateDmarc({ fromDomain: p.fromDomain, spf: { result: spf.result, domain: spf.domain }, dkim: [] }, dmarc) : undefined;
  if (evaluation && evaluation.result !== 'pass' && evaluation.result !== 'none' && !(evaluation.result === 'fail' && p.dkimCanAlign === false)) evaluation = undefined;
  const rows = receiverMatrix({ ip: p.ip, helo: p.heloName, fromDomain: p.fromDomain, rdns, heloCheck: helo, spf, dmarc: evaluation, fromDomainExists: domainExistsOf(mx), tls: p.tls, ...(dnsbl ? { dnsbl } : {}), ...(p.knobs ? { knobs: p.knobs } : {}) });
  return [...withDkimKeyRows(rows, p), ...(p.requirements ? publishedRuleRows(p.requirements, p.ip, p.fromDomain) : [])];
}

/**
 * The DKIM key check's rows (what a signature with the key found gets, ./dkimDmarcPartial.ts), each
 * before its receiver's total: the connection check has no message, so they are not in the total.
 */
function withDkimKeyRows(rows: ReceiverRow[], p: MailCheckParts): ReceiverRow[] {
  const dkim = p.results.dkim;
  if (!dkim) return rows;
  const extra = receiverRowsOfDkimKey(dkim, { authorDomain: p.fromDomain, envelopeDomain: p.fromDomain }).map((r) => ({ ...r, why: `${r.why} (Not in the total: it depends on the message.)` }));
  const out: ReceiverRow[] = [];
  for (const r of rows) {
    if (r.rule === 'total' || r.rule === 'action') out.push(...extra.filter((x) => x.receiver === r.receiver));
    out.push(r);
  }
  return out;
}

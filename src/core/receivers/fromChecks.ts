// The receiver matrix of the combined mail check, from the sub-checks' results (nothing is asked again).
import type { DmarcEvaluation } from '../dmarc/evaluate';
import type { HeloResult } from '../helo/types';
import type { MxResult } from '../mx/types';
import type { RdnsResult } from '../rdns/types';
import type { SpfResult } from '../spf/types';
import { domainExistsOf } from './connection';
import { receiverMatrix } from './index';
import type { ReceiverRow } from './types';

export interface MailCheckParts {
  ip: string;
  heloName: string;
  results: { rdns: RdnsResult; helo: HeloResult; spf?: SpfResult; mx: MxResult };
  /** The DMARC evaluation for the From domain, when the check made one. */
  dmarc?: DmarcEvaluation;
  /** Whether the connection uses TLS, when known. */
  tls?: boolean;
}

export function receiversOfMailCheck(p: MailCheckParts): ReceiverRow[] {
  const { rdns, helo, spf, mx } = p.results;
  return receiverMatrix({ ip: p.ip, helo: p.heloName, rdns, heloCheck: helo, spf, dmarc: p.dmarc, fromDomainExists: domainExistsOf(mx), tls: p.tls });
}

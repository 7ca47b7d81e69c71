// The receiver matrix (docs/receivers.md): every modelled receiver's rows for one connection.
import { rspamdRows } from './rspamd';
import { spamassassinRows } from './spamassassin';
import type { ReceiverInput, ReceiverRow } from './types';

export type * from './types';
export { RSPAMD_VERSION } from './rspamd';
export { SPAMASSASSIN_VERSION } from './spamassassin';

/** Rows for SpamAssassin, then rspamd: the receivers whose verdicts the tests check against the real software. */
export function receiverMatrix(input: ReceiverInput): ReceiverRow[] {
  return [...spamassassinRows(input), ...rspamdRows(input)];
}

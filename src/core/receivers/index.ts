// The receiver matrix (docs/receivers.md): every modelled receiver's rows for one connection.
import { eximRows } from './exim';
import { postfixRows } from './postfix';
import { postscreenRows } from './postscreen';
import { rspamdRows } from './rspamd';
import { spamassassinRows } from './spamassassin';
import type { ReceiverInput, ReceiverRow } from './types';

export type * from './types';
export { EXIM_VERSION } from './exim';
export { POSTFIX_VERSION } from './postfix';
export { POSTSCREEN_VERSION } from './postscreen';
export type { ReceiverKnobs } from './knobs';
export { RSPAMD_VERSION } from './rspamd';
export { SPAMASSASSIN_VERSION } from './spamassassin';

/** Rows for Postfix, Exim, SpamAssassin and rspamd: the receivers whose verdicts the tests check against the real software. */
export function receiverMatrix(input: ReceiverInput): ReceiverRow[] {
  return [...postfixRows(input), ...postscreenRows(input), ...eximRows(input), ...spamassassinRows(input), ...rspamdRows(input)];
}

// The DKIM API other parts use (docs/modules.md, DKIM): the key record parser, the key check,
// signature verification and the message reader it works on.
export { checkDkimKey, keyName, parseDkimInput } from './check';
export { BLOCKING, DKIM_KEY_TAGS, parseDkimKey, type DkimProblem, type ParsedDkimKey } from './key';
export { DKIM_LIMITS } from './limits';
export { readMessage, unfoldedValue, type HeaderField, type RawMessage } from './message';
export { COMMON_SELECTORS } from './selectors';
export type { DkimKeyResult, DkimResultCode, DkimSelectorLookup, DkimSignatureResult } from './types';
export { verifyDkimSignatures, type VerifyOptions } from './verify';

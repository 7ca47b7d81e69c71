// Parts that activation does not need and few sessions use, loaded at first use from bundles of their
// own beside dist/extension.js (esbuild.mjs LAZY_BUNDLES): a CommonJS bundle cannot share split-off
// chunks, and a synchronous require keeps these functions' callers as they were. Compiled by tsc
// (the tests), the same require loads the module itself.
import type * as MailReaderModule from './mailReader';

type MailReader = typeof MailReaderModule;

/** No module-level cache: Node's require keeps the loaded module. */
function loadMailReader(): MailReader {
  return require('./mailReader') as MailReader;
}

/** src/core/bounce/explain.ts explainBounce, from dist/mail-reader.js. */
export function explainBounce(...args: Parameters<MailReader['explainBounce']>): ReturnType<MailReader['explainBounce']> {
  return loadMailReader().explainBounce(...args);
}

/** src/core/bounce/explain.ts recognised, from dist/mail-reader.js. */
export function recognised(...args: Parameters<MailReader['recognised']>): ReturnType<MailReader['recognised']> {
  return loadMailReader().recognised(...args);
}

/** src/core/bounce/input.ts bounceInputHint (the bounce box's hint as you type), from dist/mail-reader.js. */
export function bounceInputHint(...args: Parameters<MailReader['bounceInputHint']>): ReturnType<MailReader['bounceInputHint']> {
  return loadMailReader().bounceInputHint(...args);
}

/** src/core/verify/check.ts verifyMessage, from dist/mail-reader.js. */
export function verifyMessage(...args: Parameters<MailReader['verifyMessage']>): ReturnType<MailReader['verifyMessage']> {
  return loadMailReader().verifyMessage(...args);
}

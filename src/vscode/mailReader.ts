// What reads whole messages: the bounce explainer and the received-message check, with postal-mime
// and its HTML entity table. Few sessions use either, so it is a bundle of its own
// (dist/mail-reader.js, esbuild.mjs LAZY_BUNDLES) that src/vscode/lazy.ts loads at first use.
export { explainBounce, recognised } from '../core/bounce/explain';
export { bounceInputHint } from '../core/bounce/input';
export { verifyMessage } from '../core/verify/check';

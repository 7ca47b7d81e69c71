// Words for a bounce's parts, for the renderers: apart from explain.ts, so a report of an explanation
// (report/bounceDoc.ts) does not load the explainer (in the editor that is dist/mail-reader.js).
import type { BounceSide } from './types';

/** Whose side must act, in words. */
export const SIDE_LABEL: Record<BounceSide, string> = {
  'sender-dns': "the sender's DNS",
  'sender-reputation': "the sender's reputation",
  'sender-policy': "the receiver's policy on this sender",
  'sender-setup': "the sending server's setup",
  recipient: "the recipient's mailbox or domain",
  content: 'the content',
  delivery: 'the delivery (network, a server on the way)',
  none: 'nothing failed',
  unknown: 'not said',
};

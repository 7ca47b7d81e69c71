// The bounce box's hint as you type. Apart from mailcheck/input.ts: it needs the whole explainer, which
// the editor loads only when a bounce is read (dist/mail-reader.js, src/vscode/lazy.ts).
import type { InputHint } from '../mailcheck/input';
import { explainBounceText } from './explain';

/** The bounce box: what the explainer recognises in the text so far. */
export function bounceInputHint(text: string): InputHint | undefined {
  if (text.trim() === '') return undefined;
  // The input box holds a reply line, not a message: the text is read without MIME (synchronously, as you type).
  const r = explainBounceText(text);
  const m = r.recipients.find((x) => x.cause?.senderSide)?.cause ?? r.recipients.find((x) => x.cause)?.cause;
  if (!m) return { severity: 'warning', message: 'no known rejection text yet: paste the receiver\'s reply (the line with the 5xx or 4xx code)' };
  const more = r.matches.filter((x) => x !== m).length;
  return { severity: 'info', message: `recognised: ${m.title}${m.receiver === 'any' ? '' : ` (${m.receiver})`}${more > 0 ? ` and ${more} more` : ''}` };
}

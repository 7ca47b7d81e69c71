// Every renderer a check result goes through, with the properties each medium needs: the report
// document (toReport), its Markdown (Copy as Markdown), the CLI's text, the Results tree, the texts a
// report lets its reader copy, and JSON (`--json`). Results here come from hostile DNS data, server
// replies and bounce texts, so any string in them may hold any character.
import { bounceToText } from '../../src/core/bounce/text';
import { type CheckResult, statusOf, toReport } from '../../src/core/checks';
import { dmarcToText } from '../../src/core/dmarc/text';
import { dnsblToText } from '../../src/core/dnsbl/text';
import { heloToText } from '../../src/core/helo/text';
import { mailCheckToText } from '../../src/core/mailcheck/text';
import { dkimToText } from '../../src/core/dkim/text';
import { mxToText } from '../../src/core/mx/text';
import { copyableTexts } from '../../src/core/report/copyable';
import { reportToMarkdown } from '../../src/core/report/markdown';
import { rdnsToText } from '../../src/core/report/text';
import { smtpToText } from '../../src/core/smtp/text';
import { sendAsToText, spfToText } from '../../src/core/spf/text';
import { checkToTreeNode, type ResultTreeNode } from '../../src/vscode/treeModel';
import type { FuzzContext } from './harness';

/** The text renderer the CLI uses for each kind (spf-pair: both results, as two reports). */
export function textOf(r: CheckResult): string {
  switch (r.kind) {
    case 'rdns':
      return rdnsToText(r);
    case 'spf':
      return spfToText(r);
    case 'spf-pair':
      return r.results.map(spfToText).join('\n');
    case 'send-as':
      return sendAsToText(r);
    case 'helo':
      return heloToText(r);
    case 'smtp':
      return smtpToText(r);
    case 'mx':
      return mxToText(r);
    case 'dnsbl':
      return dnsblToText(r);
    case 'mailcheck':
      return mailCheckToText(r);
    case 'bounce':
      return bounceToText(r);
    case 'dkim':
      return dkimToText(r);
    case 'dmarc':
      return dmarcToText(r);
  }
}

// C0 controls but the line feed, DEL, C1 controls, and the bidi embeddings, overrides and isolates
// (CVE-2021-42574: text that reads differently from what it is).
const UNSAFE_MULTILINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
// The same and the line feed, for one-line media (tree labels, a dig command on the clipboard).
const UNSAFE_ONE_LINE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** Where the first unsafe character is, for a property message; undefined when there is none. */
export function unsafeAt(text: string, oneLine = false): string | undefined {
  const m = (oneLine ? UNSAFE_ONE_LINE : UNSAFE_MULTILINE).exec(text);
  if (!m) return undefined;
  const code = m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
  const at = m.index;
  return `U+${code} at ${at}: ${JSON.stringify(text.slice(Math.max(0, at - 40), at + 40))}`;
}

function treeProblem(node: ResultTreeNode): string | undefined {
  const own =
    unsafeAt(node.label, true) ?? (node.description !== undefined ? unsafeAt(node.description, true) : undefined) ?? (node.tooltip !== undefined ? unsafeAt(node.tooltip) : undefined);
  if (own) return `node ${JSON.stringify(node.id)}: ${own}`;
  for (const c of node.children) {
    const p = treeProblem(c);
    if (p) return p;
  }
  return undefined;
}

/**
 * Renders `result` every way it is shown and checks each medium:
 * - `received-spf-one-line`: the Received-SPF header of an SPF result has no line break in it;
 * - `json`: `--json` output can be written and read back;
 * - `markdown-controls`: Copy as Markdown holds no raw controls or bidi overrides (newlines are its own);
 * - `text-controls`: the CLI's text holds none (a terminal would act on them);
 * - `tree-controls`: tree labels and descriptions are one line without them, tooltips without them;
 * - (the targets that run `maildns` itself check its output as `cli-controls`, and its exit status as `cli-exit`)
 * - `copy-controls`: a dig command or record to copy is one line without them (a pasted command
 *   must not carry a hidden second one).
 */
export function renderAll(result: CheckResult, ctx: FuzzContext): void {
  statusOf(result);
  // The Received-SPF header shown (and copied into mail) is one header line.
  const spfResults = result.kind === 'spf' ? [result] : result.kind === 'spf-pair' ? result.results : result.kind === 'send-as' ? [result.spf] : result.kind === 'helo' && result.spf ? [result.spf] : [];
  for (const r of spfResults) ctx.check('received-spf-one-line', () => (/[\r\n]/.test(r.receivedSpf) ? `line break in ${JSON.stringify(r.receivedSpf.slice(0, 300))}` : undefined));
  const doc = toReport(result);
  const json = JSON.stringify(result);
  ctx.check('json', () => (typeof json === 'string' && typeof JSON.parse(json) === 'object' ? undefined : 'JSON.stringify gave no object'));
  JSON.stringify(doc);
  const md = reportToMarkdown(doc);
  ctx.check('markdown-controls', () => unsafeAt(md));
  const text = textOf(result);
  ctx.check('text-controls', () => unsafeAt(text));
  const tree = checkToTreeNode(doc, 'fuzz');
  ctx.check('tree-controls', () => treeProblem(tree));
  const copy = copyableTexts(doc);
  ctx.check('copy-controls', () => {
    for (const t of [...copy.dig, ...copy.record]) {
      const p = unsafeAt(t, true);
      if (p) return p;
    }
    return undefined;
  });
}

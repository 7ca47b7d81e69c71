// Words, symbols and small lookups for showing a result, shared by the report documents
// (rdnsDoc.ts), the Markdown report, the Results tree and the report webview so they never word the
// same thing differently. Pure: no vscode, no DOM.
import { UNSAFE_CHARS } from '../escape';
import type { IprevResult, Severity, Status, Verdict } from '../model';
import type { ChainStep, HopEnd, HopNode, ReceiverVerdict } from '../rdns/types';

/** RFC 8601 §2.7.3: what each iprev result means for the sender. */
export const IPREV_EXPLANATION: Record<IprevResult, string> = {
  pass: 'A PTR name of this IP resolves back to the IP (forward-confirmed reverse DNS).',
  fail: 'No PTR name of this IP resolves back to the IP, so receivers treat the client as having no valid hostname.',
  temperror: 'A DNS error (timeout or SERVFAIL) stopped the check; receivers defer the mail and retry later.',
  permerror: 'The reverse DNS data is broken in a way that retrying will not fix.',
};

export const STATUS_LABEL: Record<Status, string> = {
  pass: 'pass',
  warning: 'warning',
  fail: 'fail',
  info: 'info',
};

/** Text symbols, for places without icons (Markdown, plain text). */
export const STATUS_SYMBOL: Record<Status, string> = {
  pass: '✓',
  warning: '⚠',
  fail: '✗',
  info: 'ℹ',
};

export const SEVERITY_LABEL: Record<Severity, string> = {
  error: 'Error',
  warning: 'Warning',
  info: 'Info',
};

export const SEVERITY_STATUS: Record<Severity, Status> = {
  error: 'fail',
  warning: 'warning',
  info: 'info',
};

export const RECEIVER_LABEL: Record<ReceiverVerdict['receiver'], string> = {
  postfix: 'Postfix',
  gmail: 'Gmail',
};

export const VERDICT_LABEL: Record<Verdict, string> = {
  accept: 'accept',
  reject: 'reject',
  defer: 'defer (4xx, retried later)',
};

export const HOP_END_LABEL: Record<HopEnd, string> = {
  closes: 'back to the IP: forward-confirmed',
  loop: 'loop: already seen',
  bound: 'stopped at the step limit',
  budget: 'not looked up: the lookup budget is used up',
  'no-data': 'no record',
  error: 'query failed',
  fanout: 'too many answers, followed the first few',
};

export const WRONG_LABEL = 'goes wrong here';

export function formatTtl(ttl: number | null | undefined): string {
  return ttl === null || ttl === undefined ? 'no TTL' : `${ttl}s`;
}

/** `PTR 3600s`, or undefined for the root of the hop tree (the IP itself). */
export function hopRecordLabel(node: HopNode): string | undefined {
  return node.type === undefined ? undefined : `${node.type} ${formatTtl(node.ttl)}`;
}

/** Why the walk stopped here or what is wrong here: the core's note, else the kind of end. */
export function hopNoteLabel(node: HopNode): string | undefined {
  return node.note || (node.end === undefined ? undefined : HOP_END_LABEL[node.end]);
}

/** The step a hop node came from, if the chain has it. */
export function stepOf(chain: readonly ChainStep[], node: HopNode): ChainStep | undefined {
  return node.step === undefined ? undefined : chain.find((s) => s.index === node.step);
}

/**
 * Makes control, bidi and zero-width characters visible (the set of escape.ts, which says why), so
 * data from DNS (names can hold any byte) shows as what it is and stays on one line: newline → ␊,
 * U+202E → ⟨U+202E⟩. The webview's text nodes, the Markdown report and the tree all use it.
 */
export function visible(text: string): string {
  return text.replace(UNSAFE_CHARS, (c) => {
    const code = c.charCodeAt(0);
    if (code < 0x20) return String.fromCharCode(0x2400 + code);
    if (code === 0x7f) return '\u2421';
    return `⟨U+${code.toString(16).toUpperCase().padStart(4, '0')}⟩`;
  });
}

/**
 * The queries made from a hop node (its PTR or A/AAAA lookups). For a node where the walk ends
 * with no data or an error, these hold the rcode and dig command that show what went wrong.
 */
export function stepsFrom(chain: readonly ChainStep[], node: HopNode): ChainStep[] {
  const parent = node.step ?? null;
  return chain.filter((s) => s.parent === parent && s.subject === node.value);
}

/**
 * The queries from a node where the walk ended for want of data or by an error: the ones a
 * reader wants to reproduce. (A name's empty AAAA answer next to a good A answer is no dead end.)
 */
export function deadEndSteps(chain: readonly ChainStep[], node: HopNode): ChainStep[] {
  if (node.end !== 'no-data' && node.end !== 'error') return [];
  return stepsFrom(chain, node).filter((s) => s.rcode !== 'NOERROR' || s.answers.length === 0);
}

/** The dig command that best shows a hop node: the dead-end query from it, else the query that found it. */
export function hopDig(chain: readonly ChainStep[], node: HopNode): string | undefined {
  return deadEndSteps(chain, node)[0]?.dig ?? stepOf(chain, node)?.dig ?? stepsFrom(chain, node)[0]?.dig;
}

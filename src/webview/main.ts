// The report page. It gets the result as a message and builds the DOM from elements and text
// nodes only: names from DNS can hold anything, and none of it is ever parsed as HTML.
import type { Finding, Fix, Status } from '../core/model';
import type { HopNode, RdnsResult, ReceiverVerdict } from '../core/rdns/types';
import {
  IPREV_EXPLANATION,
  RECEIVER_LABEL,
  SEVERITY_LABEL,
  SEVERITY_STATUS,
  STATUS_LABEL,
  STATUS_SYMBOL,
  VERDICT_LABEL,
  WRONG_LABEL,
  hopDig,
  hopNoteLabel,
  hopRecordLabel,
  visible,
} from '../core/report/labels';
import { rdnsStatus } from '../core/status';
import { isHostMessage, type WebviewMessage } from './protocol';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const host = acquireVsCodeApi();

type Child = Node | string | undefined | null | false;

interface Props {
  className?: string;
  title?: string;
  label?: string;
}

/** An element with text children; strings become text nodes with control characters made visible. */
function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (props.className) el.className = props.className;
  if (props.title) el.title = visible(props.title);
  if (props.label) el.setAttribute('aria-label', props.label);
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    el.append(typeof child === 'string' ? document.createTextNode(visible(child)) : child);
  }
  return el;
}

function statusIcon(status: Status): HTMLElement {
  return h('span', { className: `icon status-${status}`, label: STATUS_LABEL[status] }, STATUS_SYMBOL[status]);
}

function button(text: string, onClick: () => void): HTMLButtonElement {
  const b = h('button', { className: 'action' }, text);
  b.type = 'button';
  b.addEventListener('click', onClick);
  return b;
}

function fact(term: string, ...details: Child[]): DocumentFragment {
  const fragment = document.createDocumentFragment();
  fragment.append(h('dt', {}, term), h('dd', {}, ...details));
  return fragment;
}

function names(values: readonly string[]): Child {
  return values.length === 0 ? h('span', { className: 'none' }, 'none') : h('span', { className: 'mono' }, values.join(', '));
}

function verdictHeader(r: RdnsResult): HTMLElement {
  const status = rdnsStatus(r);
  return h(
    'header',
    { className: `verdict status-${status}` },
    h('h1', {}, statusIcon(status), ' Reverse DNS for ', h('span', { className: 'mono' }, r.ip)),
    h('p', { className: 'iprev' }, h('strong', {}, `iprev: ${r.fcrdns}`), ` — ${IPREV_EXPLANATION[r.fcrdns]}`),
    h(
      'dl',
      { className: 'facts' },
      fact('Reverse name', h('span', { className: 'mono' }, r.reverseName)),
      fact('PTR names', names(r.ptr)),
      fact('Forward-confirmed', names(r.confirmed)),
      r.special ? fact('Special-purpose address', `${r.special.name} (${r.special.rfc}, ${r.special.network})`) : undefined,
    ),
    h('div', { className: 'actions' }, button('Copy as Markdown', () => host.postMessage({ type: 'copyMarkdown' }))),
  );
}

function referenceLink(url: string): Child {
  // Only web links; the host opens them in the browser.
  if (!/^https?:\/\//.test(url)) return undefined;
  const a = h('a', {}, 'reference');
  a.href = url;
  return a;
}

function receiverRow(v: ReceiverVerdict): HTMLTableRowElement {
  return h(
    'tr',
    { className: `verdict-${v.verdict}` },
    h('td', {}, RECEIVER_LABEL[v.receiver]),
    h(
      'td',
      {},
      h('code', {}, v.rule),
      h('p', { className: 'explanation' }, v.explanation, ' ', referenceLink(v.reference)),
    ),
    h('td', { className: 'verdict-cell' }, VERDICT_LABEL[v.verdict]),
    h('td', {}, v.reply ? h('code', { className: 'reply' }, v.reply) : h('span', { className: 'none' }, '—')),
  );
}

function receiversSection(r: RdnsResult): HTMLElement {
  const body =
    r.receivers.length === 0
      ? h('p', { className: 'none' }, 'No receiver rules apply.')
      : h(
          'table',
          { className: 'receivers' },
          h('thead', {}, h('tr', {}, h('th', {}, 'Receiver'), h('th', {}, 'Rule'), h('th', {}, 'Verdict'), h('th', {}, 'Reply'))),
          h('tbody', {}, ...r.receivers.map(receiverRow)),
        );
  return h('section', { className: 'receivers-section' }, h('h2', {}, 'What receivers will do'), body);
}

function hopItem(r: RdnsResult, node: HopNode): HTMLLIElement {
  const note = hopNoteLabel(node);
  const parts = [
    statusIcon(node.status),
    h('span', { className: 'value mono' }, node.value),
    h('span', { className: 'badge' }, hopRecordLabel(node) ?? 'start'),
    h('span', { className: 'status-label' }, STATUS_LABEL[node.status]),
    note ? h('span', { className: 'note' }, note) : undefined,
    node.wrong ? h('strong', { className: 'wrong-label' }, `✗ ${WRONG_LABEL}`) : undefined,
  ].filter((p): p is HTMLElement => p !== undefined);
  // Spaces between the parts keep the row one line in the page's text (onDidRenderReport).
  const row = h(
    'div',
    { className: `hop status-${node.status}${node.wrong ? ' wrong' : ''}`, title: hopDig(r.chain, node) },
    ...parts.flatMap((p, i) => (i === 0 ? [p] : [' ', p])),
  );
  const children = node.children.length > 0 ? h('ul', {}, ...node.children.map((c) => hopItem(r, c))) : undefined;
  return h('li', {}, row, children);
}

function chainSection(r: RdnsResult): HTMLElement {
  return h('section', { className: 'chain-section' }, h('h2', {}, 'Chain'), h('ul', { className: 'chain' }, hopItem(r, r.tree)));
}

function fixChange(fix: Fix): Child {
  if (fix.current !== undefined && fix.proposed !== undefined) {
    return fact('Change', h('code', {}, fix.current), ' → ', h('code', {}, fix.proposed));
  }
  if (fix.current !== undefined) return fact('Current', h('code', {}, fix.current));
  if (fix.proposed !== undefined) return fact('New', h('code', {}, fix.proposed));
  return undefined;
}

function fixBlock(fix: Fix): HTMLElement {
  return h(
    'div',
    { className: 'fix' },
    h('p', {}, h('strong', {}, 'Fix: '), fix.description),
    h(
      'dl',
      { className: 'facts' },
      fix.zone ? fact('Zone', h('span', { className: 'mono' }, fix.zone)) : undefined,
      fix.owner ? fact('Owner', h('span', { className: 'mono' }, fix.owner)) : undefined,
      fix.type ? fact('Type', fix.type) : undefined,
      fixChange(fix),
    ),
    fix.record ? h('p', { className: 'caption' }, 'Record to publish:') : undefined,
    fix.record ? h('pre', { className: 'record' }, fix.record) : undefined,
  );
}

function findingItem(f: Finding, index: number): HTMLElement {
  const status = SEVERITY_STATUS[f.severity];
  return h(
    'article',
    { className: `finding severity-${f.severity}` },
    h(
      'h3',
      {},
      statusIcon(status),
      ' ',
      h('span', { className: `severity status-${status}` }, SEVERITY_LABEL[f.severity]),
      ' ',
      f.message,
    ),
    h('p', { className: 'code' }, h('code', {}, f.code), f.step !== undefined ? ` · step ${f.step + 1}` : undefined),
    f.dig
      ? h(
          'div',
          { className: 'dig' },
          h('code', {}, f.dig),
          button('Copy dig', () => host.postMessage({ type: 'copyDig', finding: index })),
        )
      : undefined,
    f.fix ? fixBlock(f.fix) : undefined,
  );
}

function findingsSection(r: RdnsResult): HTMLElement {
  const items =
    r.findings.length === 0 ? [h('p', { className: 'none' }, 'No findings.')] : r.findings.map(findingItem);
  return h('section', { className: 'findings-section' }, h('h2', {}, `Findings (${r.findings.length})`), ...items);
}

function footer(r: RdnsResult): HTMLElement {
  const resolvers = r.resolvers.length === 0 ? 'system' : r.resolvers.join(', ');
  return h(
    'footer',
    {},
    `Resolvers: ${resolvers} · Started: ${r.startedAt} · Took: ${r.elapsedMs} ms · Mail DNS Doctor`,
  );
}

function render(r: RdnsResult): void {
  const root = document.getElementById('report') ?? document.body;
  root.replaceChildren(verdictHeader(r), receiversSection(r), chainSection(r), findingsSection(r), footer(r));
  window.scrollTo(0, 0);
  host.postMessage({ type: 'rendered', ip: r.ip, text: document.body.innerText });
}

function renderFailure(err: unknown): void {
  const root = document.getElementById('report') ?? document.body;
  root.replaceChildren(h('p', { className: 'error' }, `The report could not be shown: ${err instanceof Error ? err.message : String(err)}`));
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (!isHostMessage(event.data)) return;
  try {
    render(event.data.result);
  } catch (err) {
    renderFailure(err);
  }
});
host.postMessage({ type: 'ready' });

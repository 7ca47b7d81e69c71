// The report page. It gets a report document (src/core/report/doc.ts) as a message and builds
// the DOM from elements and text nodes only: names from DNS and replies from mail servers can hold
// anything, and none of it is ever parsed as HTML. It knows no check kind: every kind's report is
// a verdict, facts, sections (table, tree, text, rows) and findings.
import type { Finding, Fix, Status } from '../core/model';
import { type Cell, cellObject, type DocNode, type DocQuery, type DocRow, isWebLink, type ReportDoc, type Section, verdictText } from '../core/report/doc';
import { SEVERITY_LABEL, SEVERITY_STATUS, STATUS_LABEL, STATUS_SYMBOL, WRONG_LABEL, visible } from '../core/report/labels';
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

function noneText(text = 'none'): HTMLElement {
  return h('span', { className: 'none' }, text);
}

function verdictHeader(doc: ReportDoc): HTMLElement {
  return h(
    'header',
    { className: `verdict status-${doc.status}` },
    h('h1', {}, statusIcon(doc.status), ` ${doc.title} for `, h('span', { className: 'mono' }, doc.subject)),
    h('p', { className: 'verdict-text' }, h('strong', {}, verdictText(doc)), ` — ${doc.verdict.explanation}`),
    doc.facts.length > 0
      ? h(
          'dl',
          { className: 'facts' },
          ...doc.facts.map((f) =>
            fact(f.label, f.value === '' ? noneText() : f.mono ? h('span', { className: 'mono' }, f.value) : f.value),
          ),
        )
      : undefined,
    h(
      'div',
      { className: 'actions' },
      button('Copy as Markdown', () => host.postMessage({ type: 'copyMarkdown' })),
      doc.liveAgain ? button('Check live again', () => host.postMessage({ type: 'liveAgain' })) : undefined,
    ),
  );
}

function referenceLink(url: string | undefined): Child {
  // Only web links; the host opens them in the browser.
  if (!isWebLink(url)) return undefined;
  const a = h('a', {}, 'reference');
  a.href = url;
  return a;
}

/** A sentence under a cell or node, with its reference link. */
function explanation(detail: string | undefined, href: string | undefined): Child {
  const link = referenceLink(href);
  if (detail === undefined && !link) return undefined;
  return h('p', { className: 'explanation' }, detail, detail !== undefined && link ? ' ' : undefined, link);
}

function tableCell(cell: Cell): HTMLTableCellElement {
  const c = cellObject(cell);
  const text = c.text === '' ? noneText('—') : c.mono ? h('code', {}, c.text) : c.text;
  return h('td', { className: c.status ? `cell-status status-${c.status}` : undefined }, text, explanation(c.detail, c.href));
}

function tableBody(section: Extract<Section, { type: 'table' }>): HTMLElement {
  if (section.rows.length === 0) return h('p', { className: 'none' }, section.empty ?? 'None.');
  return h(
    'table',
    { className: 'grid' },
    h('thead', {}, h('tr', {}, ...section.columns.map((c) => h('th', {}, c)))),
    h('tbody', {}, ...section.rows.map((row) => h('tr', {}, ...row.map(tableCell)))),
  );
}

/** The DNS queries behind a node, each with the dig command that repeats it. */
function queryList(queries: readonly DocQuery[]): HTMLElement {
  return h(
    'ul',
    { className: 'queries' },
    ...queries.map((q) =>
      h(
        'li',
        { className: 'query' },
        h('span', { className: 'role' }, `${q.role}:`),
        ' ',
        h('span', { className: 'mono' }, q.summary),
        ...(q.lines ?? []).map((line) => h('div', { className: 'mono query-line' }, line)),
        h(
          'div',
          { className: 'dig' },
          h('code', {}, q.dig),
          button('Copy dig', () => host.postMessage({ type: 'copy', what: 'dig', text: q.dig })),
        ),
      ),
    ),
  );
}

function nodeItem(node: DocNode, showQueries = false): HTMLLIElement {
  const parts = [
    statusIcon(node.status),
    h('span', { className: node.mono ? 'label mono' : 'label' }, node.label),
    node.badge ? h('span', { className: 'badge' }, node.badge) : undefined,
    h('span', { className: 'status-label' }, STATUS_LABEL[node.status]),
    node.description ? h('span', { className: 'description' }, node.description) : undefined,
    node.note ? h('span', { className: 'note' }, node.note) : undefined,
    node.wrong ? h('strong', { className: 'wrong-label' }, `✗ ${WRONG_LABEL}`) : undefined,
    referenceLink(node.href),
  ].filter((p): p is HTMLElement => p instanceof HTMLElement);
  // Spaces between the parts keep the row one line in the page's text (onDidRenderReport).
  const row = h(
    'div',
    { className: `node status-${node.status}${node.wrong ? ' wrong' : ''}`, title: node.dig },
    ...parts.flatMap((p, i) => (i === 0 ? [p] : [' ', p])),
  );
  const queries = showQueries && node.queries && node.queries.length > 0 ? queryList(node.queries) : undefined;
  const children = node.children.length > 0 ? h('ul', {}, ...node.children.map((child) => nodeItem(child, showQueries))) : undefined;
  return h('li', {}, row, queries, children);
}

function treeBody(section: Extract<Section, { type: 'tree' }>): HTMLElement {
  if (section.nodes.length === 0) return h('p', { className: 'none' }, section.empty ?? 'None.');
  return h(
    'ul',
    { className: section.sideBySide ? 'tree side-by-side' : 'tree' },
    ...section.nodes.map((node) => nodeItem(node, section.showQueries === true)),
  );
}

function rowItem(row: DocRow, section: number, index: number): HTMLTableRowElement {
  return h(
    'tr',
    {},
    h('td', {}, statusIcon(row.status), ' ', h('strong', {}, row.label)),
    h('td', { className: `cell-status status-${row.status}` }, STATUS_LABEL[row.status]),
    h('td', {}, row.summary, explanation(row.detail, undefined), row.fix ? fixBlock(row.fix, { section, row: index }) : undefined),
  );
}

function rowsBody(section: Extract<Section, { type: 'rows' }>, at: number): HTMLElement {
  if (section.rows.length === 0) return h('p', { className: 'none' }, section.empty ?? 'None.');
  return h(
    'table',
    { className: 'grid rows' },
    h('thead', {}, h('tr', {}, h('th', {}, 'Check'), h('th', {}, 'Result'), h('th', {}, 'Summary'))),
    h('tbody', {}, ...section.rows.map((row, i) => rowItem(row, at, i))),
  );
}

function sectionBody(section: Section, at: number): Node[] {
  switch (section.type) {
    case 'table':
      return [tableBody(section)];
    case 'tree':
      return [treeBody(section)];
    case 'text':
      return section.paragraphs.map((p) => h('p', {}, p));
    case 'rows':
      return [rowsBody(section, at)];
    default:
      // A newer host than this script: say so rather than drop the section silently.
      return [h('p', { className: 'none' }, `This section (${String((section as { type?: unknown }).type)}) cannot be shown.`)];
  }
}

function sectionElement(section: Section, at: number): HTMLElement {
  return h('section', { className: `section-${section.type}` }, h('h2', {}, section.title), ...sectionBody(section, at));
}

function fixChange(fix: Fix): Child {
  if (fix.current !== undefined && fix.proposed !== undefined) {
    return fact('Change', h('code', {}, fix.current), ' → ', h('code', {}, fix.proposed));
  }
  if (fix.current !== undefined) return fact('Current', h('code', {}, fix.current));
  if (fix.proposed !== undefined) return fact('New', h('code', {}, fix.proposed));
  return undefined;
}

/** A fix with its buttons; `at` says where it sits (a finding's index, or a row of a rows section) for Apply. */
function fixBlock(fix: Fix, at?: number | { section: number; row: number }): HTMLElement {
  const apply = fix.applyTo && at !== undefined ? button(`Apply to ${fix.applyTo}`, () => host.postMessage(typeof at === 'number' ? { type: 'applyFix', finding: at } : { type: 'applyFix', ...at })) : undefined;
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
      fix.proposedFrom ? fact('Name from', h('span', { className: 'mono' }, fix.proposedFrom)) : undefined,
    ),
    fix.record ? h('p', { className: 'caption' }, 'Record to publish:') : undefined,
    fix.record ? h('pre', { className: 'record' }, fix.record) : undefined,
    fix.request ? h('p', { className: 'caption' }, `The record is not in your zone files. Ask ${fix.request.to}:`) : undefined,
    fix.request ? h('pre', { className: 'record request' }, fix.request.text) : undefined,
    fix.record || apply
      ? h(
          'div',
          { className: 'actions' },
          apply,
          fix.record ? button('Copy record', () => host.postMessage({ type: 'copy', what: 'record', text: fix.record ?? '' })) : undefined,
        )
      : undefined,
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
    f.fix ? fixBlock(f.fix, index) : undefined,
  );
}

function findingsSection(findings: readonly Finding[]): HTMLElement {
  const items = findings.length === 0 ? [h('p', { className: 'none' }, 'No findings.')] : findings.map(findingItem);
  return h('section', { className: 'findings-section' }, h('h2', {}, `Findings (${findings.length})`), ...items);
}

function render(doc: ReportDoc): void {
  const root = document.getElementById('report') ?? document.body;
  root.replaceChildren(
    verdictHeader(doc),
    ...doc.sections.map((s, i) => sectionElement(s, i)),
    findingsSection(doc.findings),
    h('footer', {}, doc.footer),
  );
  window.scrollTo(0, 0);
  host.postMessage({ type: 'rendered', id: doc.id ?? '', kind: doc.kind, subject: doc.subject, text: document.body.innerText });
}

function renderFailure(err: unknown): void {
  const root = document.getElementById('report') ?? document.body;
  root.replaceChildren(h('p', { className: 'error' }, `The report could not be shown: ${err instanceof Error ? err.message : String(err)}`));
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (!isHostMessage(event.data)) return;
  try {
    render(event.data.doc);
  } catch (err) {
    renderFailure(err);
  }
});
host.postMessage({ type: 'ready' });

// The audit table page: rows arrive as messages and the DOM is built from text nodes only (names
// from DNS can hold anything; labels.ts `visible` shows control and bidi characters as symbols).
// Sorting and filtering are the pure tableView (src/core/audit/table.ts).
import type { AuditRow } from '../core/audit/audit';
import { type AuditSortKey, type AuditTableState, DEFAULT_TABLE_STATE, MAX_SHOWN_ROWS, tableView } from '../core/audit/table';
import { visible } from '../core/report/labels';
import { type AuditPageMessage, type AuditSummary, isAuditHostMessage } from './auditProtocol';

interface VsCodeApi {
  postMessage(message: AuditPageMessage): void;
}
declare function acquireVsCodeApi(): VsCodeApi;
const host = acquireVsCodeApi();

function h<K extends keyof HTMLElementTagNameMap>(tag: K, className: string | undefined, ...children: (Node | string | undefined)[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (className) el.className = className;
  for (const c of children) if (c !== undefined) el.append(typeof c === 'string' ? document.createTextNode(visible(c)) : c);
  return el;
}

const COLUMNS: { key: AuditSortKey; label: string }[] = [
  { key: 'ip', label: 'Address' },
  { key: 'iprev', label: 'iprev' },
  { key: 'ptr', label: 'PTR names' },
  { key: 'severity', label: 'Severity' },
  { key: 'finding', label: 'Worst finding' },
];

const STATUS_OF: Record<AuditRow['iprev'], string> = { pass: 'pass', fail: 'fail', permerror: 'fail', temperror: 'warning' };

let rows: AuditRow[] = [];
let summary: AuditSummary | undefined;
const state: AuditTableState = { ...DEFAULT_TABLE_STATE };
const root = document.getElementById('audit')!;

function button(text: string, title: string, onClick: () => void): HTMLButtonElement {
  const b = h('button', 'action', text);
  b.type = 'button';
  b.title = title;
  b.addEventListener('click', onClick);
  return b;
}

function controls(): HTMLElement {
  const verdict = h('select', 'verdict-filter');
  verdict.setAttribute('aria-label', 'Filter by verdict');
  for (const [value, label] of [
    ['all', 'every verdict'],
    ['fail', 'fail'],
    ['permerror', 'permerror (no PTR)'],
    ['temperror', 'temperror (DNS trouble)'],
    ['pass', 'pass'],
    ['generic', 'generic-looking names'],
  ] as const) {
    const o = h('option', undefined, label);
    o.value = value;
    o.selected = state.verdict === value;
    verdict.append(o);
  }
  verdict.addEventListener('change', () => {
    state.verdict = verdict.value as AuditTableState['verdict'];
    render();
  });
  const text = h('input', 'text-filter');
  text.type = 'search';
  text.placeholder = 'address, name or finding';
  text.setAttribute('aria-label', 'Filter by text');
  text.value = state.text;
  text.addEventListener('input', () => {
    state.text = text.value;
    render(true);
  });
  return h(
    'div',
    'actions',
    verdict,
    text,
    button('Export CSV', 'Save every row as CSV', () => host.postMessage({ type: 'exportCsv' })),
    summary?.running ? button('Cancel', 'Stop the audit', () => host.postMessage({ type: 'cancel' })) : undefined,
  );
}

function header(s: AuditSummary): HTMLElement {
  const counts = { pass: 0, fail: 0, permerror: 0, temperror: 0 };
  for (const r of rows) counts[r.iprev]++;
  const progress = s.running ? `running: ${s.done.toLocaleString('en-US')}${s.total !== null ? ` of ${s.total.toLocaleString('en-US')}` : ''}` : s.cancelled ? `cancelled after ${s.done.toLocaleString('en-US')}` : `${s.done.toLocaleString('en-US')} addresses`;
  return h(
    'header',
    'verdict',
    h('h1', undefined, 'Address-range audit of ', h('span', 'mono', s.subject)),
    h('p', 'verdict-text', `${progress} — ${counts.pass} pass, ${counts.fail} fail, ${counts.permerror} permerror, ${counts.temperror} temperror`),
  );
}

function table(shown: AuditRow[]): HTMLTableElement {
  const head = h('tr', undefined);
  for (const c of COLUMNS) {
    const th = h('th', undefined);
    const b = button(`${c.label}${state.sort === c.key ? (state.descending ? ' ▼' : ' ▲') : ''}`, `Sort by ${c.label}`, () => {
      state.descending = state.sort === c.key ? !state.descending : false;
      state.sort = c.key;
      render();
    });
    b.className = 'sort';
    th.setAttribute('aria-sort', state.sort === c.key ? (state.descending ? 'descending' : 'ascending') : 'none');
    th.append(b);
    head.append(th);
  }
  const body = h('tbody', undefined);
  for (const r of shown) {
    const tr = h(
      'tr',
      `row status-${STATUS_OF[r.iprev]}`,
      h('td', 'mono', r.ip),
      h('td', undefined, r.iprev),
      h('td', 'mono', r.ptr.length > 0 ? r.ptr.join(' ') : r.rcode === 'NXDOMAIN' || r.rcode === 'NOERROR' ? '(none)' : `(${r.rcode})`, r.generic ? h('div', 'detail', `generic: ${r.generic}`) : undefined),
      h('td', undefined, r.finding.severity),
      h('td', undefined, h('span', 'mono', r.finding.code), h('div', 'detail', r.finding.message)),
    );
    tr.tabIndex = 0;
    tr.title = `Open ${r.ip} as a full rDNS report`;
    const open = () => host.postMessage({ type: 'openRow', ip: r.ip });
    tr.addEventListener('dblclick', open);
    tr.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') open();
    });
    body.append(tr);
  }
  return h('table', 'audit-table', h('thead', undefined, head), body);
}

/** Redraws the page; `keepFocus` keeps the caret in the text filter while typing. */
function render(keepFocus = false): void {
  if (!summary) return;
  const view = tableView(rows, state);
  const caret = keepFocus ? (document.activeElement as HTMLInputElement | null)?.selectionStart ?? null : null;
  root.replaceChildren(
    header(summary),
    controls(),
    h('p', 'shown', view.matched > view.rows.length ? `Showing ${view.rows.length.toLocaleString('en-US')} of ${view.matched.toLocaleString('en-US')} matching rows (at most ${MAX_SHOWN_ROWS.toLocaleString('en-US')}): filter to narrow. Export CSV has them all.` : `${view.matched.toLocaleString('en-US')} matching rows. Double-click a row (or Enter) for its full rDNS report.`),
    table(view.rows),
  );
  if (keepFocus) {
    const input = root.querySelector<HTMLInputElement>('input.text-filter');
    input?.focus();
    if (input && caret !== null) input.setSelectionRange(caret, caret);
  }
  host.postMessage({ type: 'rendered', shown: view.rows.length, matched: view.matched, text: root.innerText });
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (!isAuditHostMessage(event.data)) return;
  if (event.data.reset) rows = event.data.rows;
  else for (const r of event.data.rows) rows.push(r);
  summary = event.data.summary;
  render();
});
host.postMessage({ type: 'ready' });

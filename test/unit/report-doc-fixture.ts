// A hand-built report document of a made-up check kind, using every section type and every
// optional field, with hostile text (markup, a newline, a command link, backticks) in every place a
// check could put data from DNS or a mail server. The renderers must show all of it as text.
import type { ReportDoc } from '../../src/core/report/doc';
import { HOSTILE_NAME } from './rdns-fixture';

export { HOSTILE_NAME };

/** `HOSTILE_NAME` escaped for Markdown prose. */
export const HOSTILE_ESCAPED =
  'evil\\<script\\>alert\\(1\\)\\</script\\>\\`\\|x␊\\# pwned \\[link\\]\\(command:foo\\) \\*b\\* \\$m\\$';

export const HOSTILE_DIG = 'dig ```\n# not a heading @evil TXT';
export const RFC_LINK = 'https://www.rfc-editor.org/rfc/rfc7208#section-5.2';

export function hostileDoc(): ReportDoc {
  return {
    kind: 'demo',
    title: `Demo ${HOSTILE_NAME}`,
    shortTitle: 'Demo',
    subject: HOSTILE_NAME,
    status: 'fail',
    summary: `fail · ${HOSTILE_NAME}`,
    verdict: { label: 'demo', value: 'fail', explanation: `Because ${HOSTILE_NAME}` },
    facts: [
      { label: 'Empty', value: '' },
      { label: `Fact ${HOSTILE_NAME}`, value: HOSTILE_NAME, mono: true },
    ],
    sections: [
      {
        type: 'table',
        title: 'A table',
        columns: ['Name', 'Pipe | column', 'Verdict', 'Reply'],
        rows: [
          [
            HOSTILE_NAME,
            { text: `rule ${HOSTILE_NAME}`, mono: true, detail: `detail ${HOSTILE_NAME}`, href: 'command:workbench.action.quit' },
            { text: 'reject', status: 'fail' },
            '',
          ],
          ['second', { text: 'linked', href: 'https://example.org/a_b' }, { text: 'accept', status: 'pass' }, { text: '250 ok', mono: true }],
        ],
      },
      { type: 'table', title: 'An empty table', columns: ['X'], rows: [], empty: 'Nothing here.' },
      {
        type: 'tree',
        title: 'Evaluation',
        nodes: [
          {
            label: `v=spf1 ${HOSTILE_NAME}`,
            mono: true,
            badge: `TXT ${HOSTILE_NAME}`,
            status: 'fail',
            description: `describes ${HOSTILE_NAME}`,
            note: `note ${HOSTILE_NAME}`,
            wrong: true,
            dig: HOSTILE_DIG,
            href: RFC_LINK,
            queries: [{ role: 'SPF record', summary: `${HOSTILE_NAME} TXT → NOERROR`, lines: [`CNAME ${HOSTILE_NAME} → x`], dig: HOSTILE_DIG }],
            children: [
              { label: 'include:_spf.example.com', mono: true, status: 'pass', href: 'javascript:alert(1)', children: [] },
              { label: '-all', status: 'info', children: [] },
            ],
          },
        ],
      },
      { type: 'text', title: 'Notes', paragraphs: [`First ${HOSTILE_NAME}`, 'Second.'] },
      {
        type: 'rows',
        title: 'Checks',
        rows: [
          { label: 'rDNS', status: 'pass', summary: 'iprev pass · mx.example.net' },
          {
            label: `HELO ${HOSTILE_NAME}`,
            status: 'fail',
            summary: `rejected: ${HOSTILE_NAME}`,
            detail: `why ${HOSTILE_NAME}`,
            fix: {
              description: `Set ${HOSTILE_NAME}`,
              current: HOSTILE_NAME,
              proposed: 'mail.example.com',
              record: `${HOSTILE_NAME}. IN A 192.0.2.1`,
            },
          },
        ],
      },
      { type: 'tree', title: 'Empty tree', nodes: [], empty: 'No nodes.' },
    ],
    findings: [{ code: 'demo-hostile', severity: 'error', message: `Finding ${HOSTILE_NAME}`, dig: HOSTILE_DIG }],
    footer: `Resolvers: ${HOSTILE_NAME} · Mail DNS Doctor`,
  };
}

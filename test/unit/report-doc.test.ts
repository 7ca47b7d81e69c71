import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CHECKS, isCheckKind, statusOf, toReport } from '../../src/core/checks';
import type { Cell, DocNode, ReportDoc, Section } from '../../src/core/report/doc';
import { rdnsToReport } from '../../src/core/report/rdnsDoc';
import { rdnsStatus } from '../../src/core/status';
import { isHostMessage, isWebviewMessage } from '../../src/webview/protocol';
import { failingResult, HOSTILE_DIG, HOSTILE_NAME, passingResult } from './rdns-fixture';
import { hostileDoc } from './report-doc-fixture';

function section<T extends Section['type']>(doc: ReportDoc, type: T): Extract<Section, { type: T }> {
  const found = doc.sections.find((s) => s.type === type);
  assert.ok(found, `the report has a ${type} section`);
  return found as Extract<Section, { type: T }>;
}

function allNodes(nodes: readonly DocNode[]): DocNode[] {
  return nodes.flatMap((n) => [n, ...allNodes(n.children)]);
}

/** Only what JSON carries: strings, finite numbers, booleans, arrays and plain objects, no undefined. */
function assertPlainData(value: unknown, path = 'doc'): void {
  if (typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    assert.ok(Number.isFinite(value), `${path} is a finite number`);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => assertPlainData(v, `${path}[${i}]`));
    return;
  }
  assert.ok(typeof value === 'object' && value !== null, `${path} is ${String(value)}`);
  assert.equal(Object.getPrototypeOf(value), Object.prototype, `${path} is a plain object`);
  for (const [k, v] of Object.entries(value)) assertPlainData(v, `${path}.${k}`);
}

describe('rdnsToReport', () => {
  const result = failingResult();
  const doc = rdnsToReport(result);

  it('names the check, what it checked, its status and a one-line summary', () => {
    assert.equal(doc.kind, 'rdns');
    assert.equal(doc.title, 'Reverse DNS');
    assert.equal(doc.shortTitle, 'rDNS');
    assert.equal(doc.subject, '203.0.113.7');
    assert.equal(doc.status, 'fail');
    assert.equal(doc.status, rdnsStatus(result));
    assert.equal(doc.summary, 'iprev fail · mail.example.com +1');
    assert.equal(doc.id, undefined, 'the core does not know where the result is stored');
    assert.equal(rdnsToReport(passingResult()).summary, 'iprev pass · mx.example.net');
    assert.equal(rdnsToReport({ ...passingResult(), ptr: [] }).summary, 'iprev pass · no PTR');
  });

  it('gives the iprev verdict with what it means, then the facts', () => {
    assert.deepEqual(doc.verdict, {
      label: 'iprev',
      value: 'fail',
      explanation: 'No PTR name of this IP resolves back to the IP, so receivers treat the client as having no valid hostname.',
    });
    assert.deepEqual(doc.facts, [
      { label: 'Reverse name', value: '7.113.0.203.in-addr.arpa', mono: true },
      { label: 'PTR names', value: `mail.example.com, ${HOSTILE_NAME}`, mono: true },
      { label: 'Forward-confirmed', value: '', mono: true },
      { label: 'Special-purpose address', value: 'Documentation (TEST-NET-3) (RFC 5737, 203.0.113.0/24)' },
    ]);
    assert.equal(rdnsToReport(passingResult()).facts.length, 3, 'no special-purpose fact for an ordinary address');
  });

  it('has the receivers table, then the chain, then the other receivers\' rules', () => {
    assert.deepEqual(
      doc.sections.map((s) => [s.type, s.title]),
      [
        ['table', 'What receivers will do'],
        ['tree', 'Chain'],
        ['table', 'Other receivers: the rules this check decides'],
      ],
    );
  });

  it('puts each receiver rule in a row: rule with explanation and reference, coloured verdict, reply as data', () => {
    const table = section(doc, 'table');
    assert.deepEqual(table.columns, ['Receiver', 'Rule', 'Verdict', 'Reply']);
    assert.equal(table.empty, 'No receiver rules apply.');
    const expected: Cell[][] = [
      [
        'Postfix',
        {
          text: 'reject_unknown_client_hostname',
          mono: true,
          detail: 'The PTR name does not resolve back to the IP.',
          href: 'https://www.postfix.org/postconf.5.html#reject_unknown_client_hostname',
        },
        { text: 'reject', status: 'fail' },
        { text: '450 4.7.25 Client host rejected: cannot find your hostname, [203.0.113.7]', mono: true },
      ],
      [
        'Gmail',
        {
          text: 'PTR with forward confirmation',
          mono: true,
          detail: 'Gmail requires a PTR record whose name resolves to the IP.',
          href: 'https://support.google.com/a/answer/81126',
        },
        { text: 'defer (4xx, retried later)', status: 'warning' },
        { text: `421 4.7.0 [203.0.113.7] ${HOSTILE_NAME}`, mono: true },
      ],
    ];
    assert.deepEqual(table.rows, expected);
    const accepting = rdnsToReport({
      ...passingResult(),
      receivers: [{ receiver: 'postfix', rule: 'r', verdict: 'accept', explanation: 'e', reference: '' }],
    });
    assert.deepEqual(section(accepting, 'table').rows, [['Postfix', { text: 'r', mono: true, detail: 'e' }, { text: 'accept', status: 'pass' }, '']]);
    assert.deepEqual(section(rdnsToReport(passingResult()), 'table').rows, []);
  });

  it('mirrors the hop tree node for node: value, record and TTL, status, note, the wrong mark', () => {
    const tree = section(doc, 'tree');
    assert.equal(tree.nodes.length, 1);
    const [root] = tree.nodes;
    const shape = (n: DocNode): unknown => [n.label, n.badge, n.status, n.note, n.wrong, n.children.map(shape)];
    assert.deepEqual(shape(root), [
      '203.0.113.7',
      'start',
      'fail',
      undefined,
      undefined,
      [
        [
          'mail.example.com',
          'PTR 3600s',
          'warning',
          undefined,
          undefined,
          [
            [
              '198.51.100.9',
              'A 300s',
              'fail',
              'mail.example.com points to 198.51.100.9, not to 203.0.113.7',
              true,
              [['mail.example.com', 'PTR 3600s', 'info', 'loop: already seen', undefined, []]],
            ],
          ],
        ],
        [HOSTILE_NAME, 'PTR 3600s', 'fail', 'the name does not exist', undefined, []],
      ],
    ]);
    assert.ok(allNodes(tree.nodes).every((n) => n.mono === true), 'names and addresses are data');
    assert.equal(allNodes(tree.nodes).filter((n) => n.wrong).length, 1);
  });

  it('gives each hop the dig command that shows it and the queries behind it', () => {
    const [root] = section(doc, 'tree').nodes;
    const wrong = root.children[0].children[0];
    const hostile = root.children[1];
    // The IP has no step of its own: its dig is the PTR query made from it.
    assert.equal(root.dig, 'dig @127.0.0.1 -p 5300 +norecurse 7.113.0.203.in-addr.arpa PTR');
    assert.equal(root.queries, undefined);
    assert.equal(wrong.dig, 'dig @127.0.0.1 -p 5300 mail.example.com A');
    assert.deepEqual(wrong.queries, [
      {
        role: 'Answer',
        summary: 'mail.example.com A → NOERROR, TTL 300s, from 127.0.0.1:5300',
        dig: 'dig @127.0.0.1 -p 5300 mail.example.com A',
      },
    ]);
    // A dead end: the query that found the name, then the one that came back empty.
    assert.equal(hostile.dig, HOSTILE_DIG);
    assert.deepEqual(
      hostile.queries?.map((q) => [q.role, q.summary, q.dig]),
      [
        ['Answer', '7.113.0.203.in-addr.arpa PTR → NOERROR, TTL 3600s, from 127.0.0.1:5300', result.chain[0].dig],
        ['Next query', `${HOSTILE_NAME} A → NXDOMAIN, from 127.0.0.1:5300`, HOSTILE_DIG],
      ],
    );
  });

  it('lists CNAMEs followed and transport errors in the queries', () => {
    const r = failingResult();
    r.chain[1] = {
      ...r.chain[1],
      rcode: 'TIMEOUT',
      ttl: null,
      error: 'no reply in 1000 ms',
      cnames: [{ name: 'mail.example.com', target: 'mail.example.net', ttl: 60 }],
    };
    const wrong = section(rdnsToReport(r), 'tree').nodes[0].children[0].children[0];
    assert.deepEqual(wrong.queries, [
      {
        role: 'Answer',
        summary: 'mail.example.com A → TIMEOUT (no reply in 1000 ms), from 127.0.0.1:5300',
        lines: ['CNAME mail.example.com → mail.example.net'],
        dig: 'dig @127.0.0.1 -p 5300 mail.example.com A',
      },
    ]);
  });

  it('carries the findings with their dig commands and fixes unchanged, as copies', () => {
    assert.deepEqual(doc.findings, result.findings);
    assert.notEqual(doc.findings[0], result.findings[0]);
    assert.notEqual(doc.findings[0].fix, result.findings[0].fix);
    doc.findings[0].fix!.description = 'changed';
    assert.equal(result.findings[0].fix?.description, 'Add an A record for mail.example.com pointing to 203.0.113.7.');
  });

  it('ends with the resolvers, start time and duration', () => {
    assert.equal(doc.footer, 'Resolvers: 127.0.0.1:5300 · Started: 2025-01-02T03:04:05.000Z · Took: 42 ms · Mail DNS Doctor');
    assert.match(rdnsToReport(passingResult()).footer, /^Resolvers: system · /);
  });

  it("keeps data from DNS as it is: escaping is each renderer's job", () => {
    const json = JSON.stringify(doc);
    // PTR names, Gmail reply, hop label, its dead-end query, finding message, fix current and record, the other receivers' row,
    // the published FCrDNS rule's standing (Yahoo's row; Gmail's is the Gmail verdict above).
    assert.equal(json.split(JSON.stringify(HOSTILE_NAME).slice(1, -1)).length - 1, 9);
  });

  it('is plain data that survives JSON unchanged', () => {
    for (const r of [failingResult(), passingResult()]) {
      const d = rdnsToReport(r);
      assertPlainData(d);
      assert.deepEqual(JSON.parse(JSON.stringify(d)), d);
    }
  });
});

describe('check registry', () => {
  it('maps a result to its report and status by kind', () => {
    for (const r of [failingResult(), passingResult()]) {
      assert.deepEqual(toReport(r), { ...rdnsToReport(r), liveAgain: true });
      assert.equal(statusOf(r), rdnsStatus(r));
      assert.equal(statusOf(r), toReport(r).status);
    }
    assert.equal(statusOf(passingResult()), 'pass');
  });

  it('knows its kinds and nothing else', () => {
    assert.ok(Object.keys(CHECKS).includes('rdns'));
    assert.ok(isCheckKind('rdns'));
    for (const kind of ['nope', 'toString', '__proto__', 'constructor', '', undefined, 7]) assert.ok(!isCheckKind(kind), String(kind));
  });

});

describe('webview protocol', () => {
  it('sends any report document to the page, after a JSON round trip', () => {
    for (const doc of [rdnsToReport(failingResult()), hostileDoc()]) {
      assert.ok(isHostMessage(JSON.parse(JSON.stringify({ type: 'show', doc }))));
    }
  });

  it('refuses what is not a report document', () => {
    assert.ok(!isHostMessage({ type: 'show', doc: failingResult() }), 'a raw result is not a document');
    assert.ok(!isHostMessage({ type: 'show', result: rdnsToReport(failingResult()) }));
    assert.ok(!isHostMessage({ type: 'show', doc: { ...rdnsToReport(failingResult()), sections: 'x' } }));
    assert.ok(!isHostMessage(null));
  });

  it('checks the page\'s messages', () => {
    assert.ok(isWebviewMessage({ type: 'rendered', id: 'check-1', kind: 'rdns', subject: '203.0.113.7', text: 'x' }));
    assert.ok(!isWebviewMessage({ type: 'rendered', ip: '203.0.113.7', text: 'x' }));
    assert.ok(isWebviewMessage({ type: 'copyDig', finding: 0 }));
    assert.ok(!isWebviewMessage({ type: 'copyDig', finding: -1 }));
    assert.ok(!isWebviewMessage({ type: 'copyDig', finding: 1.5 }));
    assert.ok(!isWebviewMessage({ type: 'run', command: 'x' }));
  });
});

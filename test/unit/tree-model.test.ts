import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RdnsResult } from '../../src/core/rdns/types';
import { rdnsToReport } from '../../src/core/report/rdnsDoc';
import { checkToTreeNode as docToTreeNode, CONTEXT, parentIndex, type ResultTreeNode, toSnapshot } from '../../src/vscode/treeModel';
import { failingResult, HOSTILE_DIG, passingResult } from './rdns-fixture';
import { HOSTILE_DIG as DOC_DIG, HOSTILE_NAME, hostileDoc, RFC_LINK } from './report-doc-fixture';

/** An rDNS check as the Results view gets it: its report document. */
function checkToTreeNode(r: RdnsResult, checkKey: string): ResultTreeNode {
  return docToTreeNode(rdnsToReport(r), checkKey);
}

function allNodes(node: ResultTreeNode): ResultTreeNode[] {
  return [node, ...node.children.flatMap(allNodes)];
}

describe('checkToTreeNode', () => {
  const root = checkToTreeNode(failingResult(), 'check-1');
  const [hopRoot, findings] = root.children;
  const mail = hopRoot.children[0];
  const wrong = mail.children[0];
  const hostile = hopRoot.children[1];

  it('shows a check as its IP, iprev verdict and first PTR name', () => {
    assert.equal(root.label, '203.0.113.7');
    assert.equal(root.description, 'iprev fail · mail.example.com +1');
    assert.deepEqual(root.icon, { id: 'error', color: 'testing.iconFailed' });
    assert.equal(root.contextValue, CONTEXT.check);
    assert.equal(root.kind, 'check');
    assert.match(root.tooltip ?? '', /^✗ \*\*iprev: fail\*\* — /);
    assert.equal(root.children.length, 2);
  });

  it('gives a passing check a pass icon and a check without PTR "no PTR"', () => {
    const pass = checkToTreeNode(passingResult(), 'check-2');
    assert.equal(pass.description, 'iprev pass · mx.example.net');
    assert.equal(pass.icon.id, 'pass');
    const none = checkToTreeNode({ ...passingResult(), ptr: [], fcrdns: 'fail' }, 'check-3');
    assert.equal(none.description, 'iprev fail · no PTR');
  });

  it('maps the hop tree node for node, with record type, TTL and end', () => {
    assert.equal(hopRoot.label, '203.0.113.7');
    assert.equal(hopRoot.description, 'start');
    // The IP node has no step of its own; its dig command is the PTR query made from it.
    assert.equal(hopRoot.contextValue, CONTEXT.step);
    assert.equal(hopRoot.dig, 'dig @127.0.0.1 -p 5300 +norecurse 7.113.0.203.in-addr.arpa PTR');
    assert.equal(mail.label, 'mail.example.com');
    assert.equal(mail.description, 'PTR 3600s');
    assert.deepEqual(mail.icon, { id: 'warning', color: 'problemsWarningIcon.foreground' });
    assert.equal(mail.contextValue, CONTEXT.step);
    assert.equal(mail.dig, 'dig @127.0.0.1 -p 5300 +norecurse 7.113.0.203.in-addr.arpa PTR');
    assert.equal(wrong.children[0].description, 'PTR 3600s · loop: already seen');
    assert.equal(wrong.children[0].icon.id, 'info');
  });

  it('marks the node where the chain goes wrong', () => {
    assert.equal(
      wrong.description,
      '✗ goes wrong here · A 300s · mail.example.com points to 198.51.100.9, not to 203.0.113.7',
    );
    assert.equal(wrong.icon.id, 'circle-slash');
    const marked = allNodes(root).filter((n) => n.description?.startsWith('✗ goes wrong here'));
    assert.deepEqual(marked, [wrong]);
  });

  it('puts the step rcode, server and dig command in the tooltip', () => {
    const tip = wrong.tooltip ?? '';
    assert.match(tip, /\*\*Answer:\*\* mail\.example\.com A → NOERROR, TTL 300s, from 127\.0\.0\.1:5300/);
    assert.match(tip, /```sh\ndig @127\.0\.0\.1 -p 5300 mail\.example\.com A\n```/);
    assert.match(tip, /\*\*✗ It goes wrong here\.\*\*/);
  });

  it('copies the failed query for a dead end, and shows hostile names inert', () => {
    assert.equal(hostile.dig, HOSTILE_DIG);
    assert.equal(hostile.description, 'PTR 3600s · the name does not exist');
    assert.doesNotMatch(hostile.label, /\n/);
    assert.ok(hostile.label.startsWith('evil<script>'), 'labels are plain text, shown as they are');
    const tip = hostile.tooltip ?? '';
    assert.match(tip, /\*\*Next query:\*\* .* A → NXDOMAIN/);
    assert.doesNotMatch(tip, /(?<!\\)<script>/);
    assert.doesNotMatch(tip, /(?<!\\)\]\(command:/);
    assert.match(tip, /\n````sh\ndig @127\.0\.0\.1 -p 5300 ```␊rm -rf ~ PTR\n````/);
  });

  it('groups the findings with their fix in the tooltip', () => {
    assert.equal(findings.label, 'Findings');
    assert.equal(findings.description, '2');
    assert.equal(findings.contextValue, CONTEXT.findings);
    assert.deepEqual(
      findings.children.map((f) => [f.description, f.icon.id, f.contextValue]),
      [
        ['Error · fcrdns-mismatch', 'error', CONTEXT.finding],
        ['Warning · ptr-name-missing', 'warning', CONTEXT.finding],
      ],
    );
    const first = findings.children[0];
    assert.equal(first.dig, 'dig @127.0.0.1 -p 5300 mail.example.com A');
    assert.match(first.tooltip ?? '', /\*\*Fix:\*\* Add an A record/);
    assert.match(first.tooltip ?? '', /```zone\nmail\.example\.com\. 3600 IN A 203\.0\.113\.7\n```/);
    assert.equal(checkToTreeNode(passingResult(), 'c').children[1].description, 'none');
  });

  it('gives every node a unique id under the check and its key', () => {
    const nodes = allNodes(root);
    const ids = nodes.map((n) => n.id);
    assert.equal(new Set(ids).size, ids.length);
    assert.ok(ids.every((id) => id.startsWith('check-1')));
    assert.ok(nodes.every((n) => n.checkKey === 'check-1'));
  });
});

/** Tooltips are untrusted Markdown: nothing in them may become HTML or a link to a command. */
function assertInert(markdown: string | undefined): void {
  // Code blocks show data as it is; everything else must be escaped.
  const text = (markdown ?? '').replace(/^(`{3,})[^\n]*\n[^\n]*\n\1$/gm, '');
  assert.doesNotMatch(text, /^`{3}/m, 'every code block is one line of data');
  assert.doesNotMatch(text, /(?<!\\)<script/);
  assert.doesNotMatch(text, /(?<!\\)\]\(command:/);
  assert.doesNotMatch(text, /<(command|javascript):/);
}

describe('checkToTreeNode (any check kind)', () => {
  const root = docToTreeNode(hostileDoc(), 'check-9');
  const [evaluation, checks, emptyTree, findings] = root.children;

  it('labels the check by its subject and summary, with an icon for its status', () => {
    assert.equal(root.label, HOSTILE_NAME.replace('\n', '␊'));
    assert.equal(root.description, `fail · ${root.label}`);
    assert.equal(root.icon.id, 'error');
    assert.match(root.tooltip ?? '', /^✗ \*\*demo: fail\*\* — Because evil\\<script/);
    assert.match(root.tooltip ?? '', /\nEmpty: _none_ {2}\n/);
  });

  it('shows tree and rows sections, one group each when there are several; tables and text stay in the report', () => {
    assert.equal(root.children.length, 4);
    assert.deepEqual(
      [evaluation, checks, emptyTree].map((g) => [g.kind, g.label, g.description, g.contextValue]),
      [
        ['group', 'Evaluation', undefined, CONTEXT.group],
        ['group', 'Checks', undefined, CONTEXT.group],
        ['group', 'Empty tree', 'none', CONTEXT.group],
      ],
    );
    assert.equal(findings.kind, 'findings');
  });

  it('maps tree nodes with their mark, badge, note, queries, reference and dig', () => {
    const [node] = evaluation.children;
    assert.equal(node.kind, 'node');
    assert.doesNotMatch(node.label, /\n/);
    assert.equal(node.description, `✗ goes wrong here · TXT ${HOSTILE_NAME.replace('\n', '␊')} · note ${HOSTILE_NAME.replace('\n', '␊')}`);
    assert.equal(node.icon.id, 'circle-slash');
    assert.equal(node.contextValue, CONTEXT.step);
    assert.equal(node.dig, DOC_DIG);
    const tip = node.tooltip ?? '';
    assert.match(tip, /\n\ndescribes evil\\<script/);
    assert.match(tip, /\*\*SPF record:\*\* evil\\<script.* TXT → NOERROR\n\nCNAME evil\\<script/);
    assert.ok(tip.includes('\n````sh\ndig ```␊# not a heading @evil TXT\n````'), tip);
    assert.ok(tip.endsWith(`Reference: <${RFC_LINK}>`));
    const [include, all] = node.children;
    assert.equal(include.contextValue, CONTEXT.hop);
    assert.ok(include.tooltip?.endsWith('Reference: javascript:alert\\(1\\)'), 'only web links become links');
    assert.equal(all.description, undefined);
  });

  it('makes one node per row of a combined check, with its fix in the tooltip', () => {
    assert.deepEqual(
      checks.children.map((r) => [r.kind, r.label, r.icon.id, r.contextValue]),
      [
        ['row', 'rDNS', 'pass', CONTEXT.row],
        ['row', `HELO ${HOSTILE_NAME.replace('\n', '␊')}`, 'error', CONTEXT.row],
      ],
    );
    assert.equal(checks.children[0].description, 'iprev pass · mx.example.net');
    const tip = checks.children[1].tooltip ?? '';
    assert.match(tip, /^✗ \*\*HELO evil\\<script.*\*\* — fail: rejected: /);
    assert.match(tip, /\*\*Fix:\*\* Set evil\\<script/);
    assert.match(tip, /\n```zone\nevil<script>alert\(1\)<\/script>`\|x␊# pwned .*\. IN A 192\.0\.2\.1\n```/);
  });

  it('keeps every tooltip inert and every label on one line', () => {
    for (const node of allNodes(root)) {
      assertInert(node.tooltip);
      assert.doesNotMatch(node.label, /\n/);
      assert.doesNotMatch(node.description ?? '', /\n/);
    }
  });

  it("puts one section's nodes straight under the check", () => {
    const doc = hostileDoc();
    doc.sections = doc.sections.filter((s) => s.title === 'Evaluation');
    const single = docToTreeNode(doc, 'check-10');
    assert.deepEqual(
      single.children.map((c) => c.kind),
      ['node', 'findings'],
    );
    assert.equal(single.children[0].id, 'check-10/s0/0');
  });

  it('gives every node a unique id under the check', () => {
    const ids = allNodes(root).map((n) => n.id);
    assert.equal(new Set(ids).size, ids.length);
    assert.ok(ids.every((id) => id.startsWith('check-9')));
  });
});

describe('parentIndex', () => {
  it('finds the parent of every node, and none for the check', () => {
    const root = checkToTreeNode(failingResult(), 'check-1');
    const parents = parentIndex(root);
    assert.equal(parents.get(root), undefined);
    for (const node of allNodes(root)) {
      for (const child of node.children) assert.equal(parents.get(child), node);
    }
    assert.equal(parents.size, allNodes(root).length - 1);
  });
});

describe('toSnapshot', () => {
  it('keeps what the view shows and nothing else', () => {
    const root = checkToTreeNode(passingResult(), 'check-1');
    const snap = toSnapshot(root);
    assert.deepEqual(Object.keys(snap).sort(), ['children', 'contextValue', 'description', 'icon', 'label', 'tooltip']);
    assert.equal(snap.icon, 'pass');
    assert.deepEqual(
      snap.children[0].children[0].children.map((c) => [c.label, c.description, c.icon]),
      [['2001:db8::25', 'AAAA no TTL · back to the IP: forward-confirmed', 'pass']],
    );
    assert.deepEqual(snap.children[1], {
      label: 'Findings',
      description: 'none',
      tooltip: undefined,
      icon: 'list-unordered',
      contextValue: CONTEXT.findings,
      children: [],
    });
  });
});

// spfToReport, spfPairToReport, sendAsToReport: real check_host()/sendAs() results (over an
// in-memory resolver) turned into report documents, and what the renderers make of them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CHECKS, isCheckKind, statusOf, toReport } from '../../src/core/checks';
import type { Finding } from '../../src/core/model';
import { copyableTexts } from '../../src/core/report/copyable';
import type { DocNode, ReportDoc, Section } from '../../src/core/report/doc';
import { reportToMarkdown } from '../../src/core/report/markdown';
import { sendAsStatus, sendAsToReport, spfPairStatus, spfPairToReport, spfStatus, spfToReport } from '../../src/core/report/spfDoc';
import { checkHost } from '../../src/core/spf/check';
import { checkHostPair } from '../../src/core/spf/pair';
import { sendAs } from '../../src/core/spf/sendas';
import type { SpfResult } from '../../src/core/spf/types';
import { checkToTreeNode, type ResultTreeNode } from '../../src/vscode/treeModel';
import { isWebviewMessage } from '../../src/webview/protocol';
import { type MemoryEntry, memoryResolver } from './memory-resolver';

const HOSTILE_TXT = 'v=spf1 ip4:192.0.2.1 <img src=x onerror=alert(1)>\n# [x](command:workbench.action.quit) \u202eevil -all';
// An explanation is visible ASCII (RFC 7208 §6.2); markup and link syntax are enough to hurt.
const HOSTILE_EXP = '<script>alert(1)</script> [click](command:workbench.action.quit) `tick` <img src=x onerror=alert(2)>';

const TABLE: Record<string, MemoryEntry> = {
  'explained.example.com': { TXT: ['v=spf1 mx -all exp=why.%{d}'], MX: [[10, 'mail.explained.example.com']] },
  'mail.explained.example.com': { A: ['192.0.2.20'] },
  'why.explained.example.com': { TXT: ['%{i} is not one of %{d}\'s mail servers.'] },
  'chain.example.com': { TXT: ['v=spf1 include:_a.chain.example.com -all'] },
  '_a.chain.example.com': { TXT: ['v=spf1 ip4:192.0.2.10 ip6:2001:db8::10 ~all'] },
  'v6.example.com': { TXT: ['v=spf1 ip4:192.0.2.10 ~all'] },
  'eleven.example.com': {
    TXT: [[`v=spf1 ${Array.from({ length: 11 }, (_, i) => `a:h${i + 1}.example.com`).join(' ')} `, 'ip4:192.0.2.41 -all']],
  },
  ...Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`h${i + 1}.example.com`, { A: [`192.0.2.${201 + i}`] }])),
  'loopa.example.com': { TXT: ['v=spf1 include:loopb.example.com -all'] },
  'loopb.example.com': { TXT: ['v=spf1 include:loopa.example.com -all'] },
  'hostile.example.com': { TXT: [HOSTILE_TXT] },
  'hostile2.example.com': { TXT: ['v=spf1 -all exp=why.hostile2.example.com'] },
  'why.hostile2.example.com': { TXT: [HOSTILE_EXP] },
  // The seed's send-as case.
  'example.org': { TXT: ['v=spf1 mx -all'], MX: [[10, 'mail.example.org']] },
  'mail.example.org': { A: ['203.0.113.200'] },
  'mail.example.net': { A: ['203.0.113.60'] },
  '60.113.0.203.in-addr.arpa': { PTR: ['mail.example.net'] },
  'nospf.example.org': { MX: [[10, 'mail.example.org']] },
};

const resolver = () => memoryResolver(TABLE, ['example.org', 'example.net', 'example.com', '113.0.203.in-addr.arpa']);

function spf(ip: string, domain: string): Promise<SpfResult> {
  return checkHost({ ip, domain }, { resolver: resolver() });
}

function section<T extends Section['type']>(doc: ReportDoc, type: T, index = 0): Extract<Section, { type: T }> {
  const found = doc.sections.filter((s) => s.type === type)[index];
  assert.ok(found, `the report has a ${type} section`);
  return found as Extract<Section, { type: T }>;
}

function allNodes(nodes: readonly DocNode[]): DocNode[] {
  return nodes.flatMap((n) => [n, ...allNodes(n.children)]);
}

function fact(doc: ReportDoc, label: string): string | undefined {
  return doc.facts.find((f) => f.label === label)?.value;
}

function allTreeNodes(node: ResultTreeNode): ResultTreeNode[] {
  return [node, ...node.children.flatMap(allTreeNodes)];
}

/** Every string anywhere in a value. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(strings);
  return [];
}

describe('spfToReport', () => {
  it('gives the result, the exp= explanation, the header, the counts', async () => {
    const r = await spf('192.0.2.99', 'explained.example.com');
    const doc = spfToReport(r);
    assert.equal(doc.kind, 'spf');
    assert.equal(doc.title, 'SPF');
    assert.equal(doc.subject, 'explained.example.com from 192.0.2.99');
    assert.equal(doc.status, 'fail');
    assert.equal(doc.summary, 'fail · -all · 1/10 lookups');
    assert.equal(doc.verdict.label, 'SPF');
    assert.equal(doc.verdict.value, 'fail');
    assert.match(doc.verdict.explanation, /may not send its mail.*Why: "-all" in explained\.example\.com's record matched 192\.0\.2\.99/);
    assert.equal(fact(doc, "Explanation (the domain's exp= text)"), "192.0.2.99 is not one of explained.example.com's mail servers.");
    assert.equal(fact(doc, 'DNS lookups'), '1 of 10');
    assert.equal(fact(doc, 'Void lookups'), '0 of 2');
    assert.equal(fact(doc, 'Decided by'), '-all');
    assert.match(fact(doc, 'Received-SPF header') ?? '', /^Received-SPF: fail \(maildns: domain of postmaster@explained\.example\.com does not designate 192\.0\.2\.99/);
    assert.equal(fact(doc, 'Authentication-Results'), 'spf=fail smtp.mailfrom=explained.example.com');
    assert.deepEqual(JSON.parse(JSON.stringify(doc)), doc, 'plain data');
  });

  it('shows every term in order with its section, plain words, outcome and queries; marks the deciding term', async () => {
    const doc = spfToReport(await spf('192.0.2.99', 'explained.example.com'));
    const tree = section(doc, 'tree');
    assert.equal(tree.title, 'Evaluation');
    assert.equal(tree.showQueries, true);
    const [record] = tree.nodes;
    assert.equal(record.label, 'explained.example.com');
    assert.equal(record.badge, 'SPF record');
    assert.equal(record.description, '"v=spf1 mx -all exp=why.%{d}"');
    assert.match(record.note ?? '', /^gives fail: "-all" matched/);
    assert.equal(record.queries?.[0].dig, 'dig @127.0.0.1 -p 5300 explained.example.com TXT');
    assert.deepEqual(record.children.map((t) => t.label), ['mx', '-all', 'exp=why.%{d}']);
    const [mx, all, exp] = record.children;
    assert.equal(mx.badge, '§5.4 · lookup 1/10');
    assert.equal(mx.href, 'https://www.rfc-editor.org/rfc/rfc7208#section-5.4');
    assert.match(mx.description ?? '', /MX hosts/);
    assert.match(mx.note ?? '', /^no match — 192\.0\.2\.99 is not an address/);
    assert.deepEqual(
      mx.queries?.map((q) => [q.role, q.summary, q.dig]),
      [
        ['MX hosts of explained.example.com', 'explained.example.com MX → 10 mail.explained.example.com, TTL 300s, from 127.0.0.1:5300', 'dig @127.0.0.1 -p 5300 explained.example.com MX'],
        ['Address of MX host mail.explained.example.com', 'mail.explained.example.com A → 192.0.2.20, TTL 300s, from 127.0.0.1:5300', 'dig @127.0.0.1 -p 5300 mail.explained.example.com A'],
      ],
    );
    assert.equal(mx.status, 'info');
    assert.equal(all.badge, '§5.1 · ◀ decided');
    assert.match(all.note ?? '', /^match → fail — Matches every address: fail\./);
    assert.equal(all.status, 'fail');
    assert.equal(all.wrong, undefined, 'a policy that says fail is not a mistake');
    assert.equal(all.href, 'https://www.rfc-editor.org/rfc/rfc7208#section-5.1');
    assert.match(exp.note ?? '', /^used — Explanation: "192\.0\.2\.99 is not one/);
    assert.equal(exp.queries?.[0].role, 'Explanation text');
    assert.deepEqual(
      doc.sections.map((s) => [s.type, s.title]),
      [
        ['tree', 'Evaluation'],
        ['text', 'Reading the evaluation'],
        ['table', 'Other receivers: the rules this check decides'],
      ],
    );
  });

  it('follows includes, and tells the term that decided the result from one that decided an included record', async () => {
    const doc = spfToReport(await spf('192.0.2.11', 'chain.example.com'));
    const [record] = section(doc, 'tree').nodes;
    const include = record.children[0];
    assert.equal(include.label, 'include:_a.chain.example.com');
    assert.match(include.note ?? '', /^no match — _a\.chain\.example\.com gives softfail/);
    // The include's TXT query shows on the record it found, not twice.
    assert.equal(include.queries, undefined);
    const sub = include.children[0];
    assert.equal(sub.label, '_a.chain.example.com');
    assert.equal(sub.badge, 'included record');
    assert.equal(sub.status, 'warning');
    assert.match(sub.children[2].note ?? '', /^decided this record: match → softfail/);
    assert.equal(record.children[1].badge, '§5.1 · ◀ decided');

    const pass = spfToReport(await spf('192.0.2.10', 'chain.example.com'));
    assert.equal(pass.status, 'pass');
    assert.equal(fact(pass, 'Decided by'), 'include:_a.chain.example.com → ip4:192.0.2.10');
    const passNodes = allNodes(section(pass, 'tree').nodes).filter((n) => n.badge?.endsWith('◀ decided'));
    assert.deepEqual(passNodes.map((n) => n.label), ['include:_a.chain.example.com', 'ip4:192.0.2.10']);
  });

  it('names the term where the lookup limit was exceeded and shows the rest as diagnostic', async () => {
    const r = await spf('192.0.2.41', 'eleven.example.com');
    assert.equal(r.result, 'permerror');
    const doc = spfToReport(r);
    assert.equal(doc.status, 'fail');
    assert.equal(doc.summary, 'permerror · limit at a:h11.example.com · 11/10 lookups');
    assert.equal(fact(doc, 'DNS lookups'), '11 of 10 — over the limit');
    assert.match(fact(doc, 'Limit exceeded') ?? '', /^more than 10 DNS-querying terms, at "a:h11\.example\.com" \(term 11 of eleven\.example\.com's record\).*Without the limits the result would be pass\.$/);
    const terms = section(doc, 'tree').nodes[0].children;
    assert.equal(terms.length, 13);
    const eleventh = terms[10];
    assert.equal(eleventh.wrong, true);
    assert.equal(eleventh.badge, '§5.3 · lookup 11/10 · ◀ decided');
    assert.match(eleventh.note ?? '', /^permerror · over the limit of 10 DNS-querying terms — /);
    assert.match(terms[11].note ?? '', /^would match → pass · diagnostic only: receivers stop before this/);
    assert.equal(terms[11].status, 'info');
    assert.deepEqual(terms.filter((t) => t.wrong).map((t) => t.label), ['a:h11.example.com']);
    assert.match(section(doc, 'tree').nodes[0].note ?? '', /^gives permerror \(without the limits: pass\)/);
  });

  it('names an include loop once, and marks where it closes', async () => {
    const doc = spfToReport(await spf('192.0.2.1', 'loopa.example.com'));
    const loops = doc.findings.filter((f) => f.code === 'spf-include-loop');
    assert.equal(loops.length, 1, loops.map((f) => f.message).join('\n'));
    assert.match(loops[0].message, /^Include loop: loopa\.example\.com → loopb\.example\.com → loopa\.example\.com\./);
    const wrong = allNodes(section(doc, 'tree').nodes).filter((n) => n.wrong);
    assert.equal(wrong[0].label, 'include:loopa.example.com');
    assert.match(wrong[0].note ?? '', /include loop: loopa\.example\.com → loopb\.example\.com → loopa\.example\.com/);
    assert.ok(wrong.length <= 2, 'the repeats of the loop are not each marked; the limit term is');
  });

  it('keeps findings as plain findings, without the record offsets', async () => {
    const doc = spfToReport(await spf('192.0.2.41', 'eleven.example.com'));
    const f = doc.findings.find((x) => x.code === 'spf-too-many-lookups') as Finding & { domain?: string };
    assert.ok(f);
    assert.equal(f.start, undefined);
    assert.equal(f.domain, undefined);
  });
});

describe('spfPairToReport', () => {
  it('shows an IPv4 and an IPv6 result side by side in one check', async () => {
    const p = await checkHostPair(['192.0.2.10', '2001:db8::11'], { domain: 'chain.example.com' }, { resolver: resolver() });
    const doc = spfPairToReport(p);
    assert.equal(doc.kind, 'spf-pair');
    assert.equal(doc.subject, 'chain.example.com from 192.0.2.10 and 2001:db8::11');
    assert.equal(doc.summary, '192.0.2.10 pass · 2001:db8::11 fail');
    assert.equal(doc.status, 'fail');
    assert.equal(doc.verdict.value, 'pass / fail');
    const table = section(doc, 'table');
    assert.equal(table.title, 'Side by side');
    assert.deepEqual(table.columns, ['', '192.0.2.10 (IPv4)', '2001:db8::11 (IPv6)']);
    assert.deepEqual(
      table.rows.map((row) => (typeof row[0] === 'string' ? row[0] : row[0].text)),
      ['Result', 'Why', 'Explanation', 'Decided by', 'DNS lookups', 'Void lookups', 'Received-SPF', 'Authentication-Results'],
    );
    assert.deepEqual(table.rows[0].slice(1).map((c) => (typeof c === 'string' ? c : [c.text, c.status])), [
      ['pass', 'pass'],
      ['fail', 'fail'],
    ]);
    const tree = section(doc, 'tree');
    assert.equal(tree.sideBySide, true);
    assert.deepEqual(tree.nodes.map((n) => [n.label, n.badge, n.status]), [
      ['192.0.2.10', 'IPv4', 'pass'],
      ['2001:db8::11', 'IPv6', 'fail'],
    ]);
    assert.equal(tree.nodes[1].children[0].label, 'chain.example.com');
    // In the Results tree the two addresses sit right under the check.
    const root = checkToTreeNode(doc, 'check-1');
    assert.deepEqual(root.children.map((c) => c.label), ['192.0.2.10', '2001:db8::11', 'Findings']);
  });

  it('gives findings of one address only with that address in front', async () => {
    const p = await checkHostPair(['192.0.2.41', '2001:db8::1'], { domain: 'eleven.example.com' }, { resolver: resolver() });
    const doc = spfPairToReport(p);
    // The h*.example.com hosts have no AAAA records: IPv6 runs out of void lookups first.
    assert.deepEqual(
      doc.findings.map((f) => [f.code, f.message.split(':')[0]]),
      [
        ['spf-too-many-lookups', '192.0.2.41'],
        ['spf-lookup-total', '192.0.2.41'],
        ['spf-too-many-void-lookups', '2001'],
      ],
    );
    assert.match(doc.findings[2].message, /^2001:db8::1: "a:h3\.example\.com"/);
    assert.equal(spfPairStatus(p), 'fail');
  });
});

describe('sendAsToReport', () => {
  it('answers the seed case: not authorized, PTR fine where it is, replies to the MX, the TXT record to publish', async () => {
    const r = await sendAs('203.0.113.60', 'example.org', { resolver: resolver() });
    const doc = sendAsToReport(r);
    assert.equal(doc.kind, 'send-as');
    assert.equal(doc.subject, '@example.org from 203.0.113.60');
    assert.equal(doc.status, 'fail');
    assert.equal(doc.verdict.label, 'May 203.0.113.60 send as @example.org');
    assert.equal(doc.verdict.value, 'no');
    assert.match(doc.verdict.explanation, /Publish the TXT record below in example\.org's DNS/);
    assert.equal(fact(doc, 'TXT record to publish'), 'example.org. 3600 IN TXT "v=spf1 mx ip4:203.0.113.60 -all"');
    assert.equal(fact(doc, 'Publish in'), 'the DNS of example.org (zone example.org)');
    assert.equal(fact(doc, 'Replies go to'), '10 mail.example.org');
    assert.equal(fact(doc, 'Reverse DNS'), 'PTR mail.example.net; forward-confirmed: iprev pass');
    const rows = section(doc, 'rows').rows;
    assert.deepEqual(rows.map((row) => [row.label, row.status]), [
      ['SPF: may it send as @example.org?', 'fail'],
      ['Reverse DNS: its PTR', 'pass'],
      ['Replies: where they go', 'pass'],
    ]);
    assert.equal(rows[0].fix?.record, 'example.org. 3600 IN TXT "v=spf1 mx ip4:203.0.113.60 -all"');
    assert.equal(rows[0].fix?.zone, 'example.org');
    assert.match(rows[1].detail ?? '', /may stay on the server's own domain as long as forward-confirmed reverse DNS holds/);
    assert.match(rows[1].summary, /PTR stays on example\.net/);
    assert.deepEqual(doc.sections.map((s) => [s.type, s.title]), [
      ['rows', 'The three questions'],
      ['tree', 'SPF evaluation of example.org'],
      ['tree', 'Reverse DNS of 203.0.113.60'],
      ['table', 'Where replies to @example.org go'],
    ]);
    assert.equal(section(doc, 'tree', 1).nodes[0].label, '203.0.113.60', 'the rDNS chain, as the rDNS check shows it');
    assert.deepEqual(section(doc, 'table').rows, [['10', { text: 'mail.example.org', mono: true }]]);
    assert.ok(copyableTexts(doc).record.has('example.org. 3600 IN TXT "v=spf1 mx ip4:203.0.113.60 -all"'));
    assert.ok(copyableTexts(doc).dig.has('dig @127.0.0.1 -p 5300 example.org MX'));
    assert.equal(sendAsStatus(r), 'fail');
  });

  it('proposes a whole new record for a domain without SPF', async () => {
    const doc = sendAsToReport(await sendAs('203.0.113.60', 'nospf.example.org', { resolver: resolver() }));
    assert.equal(fact(doc, 'TXT record to publish'), 'nospf.example.org. 3600 IN TXT "v=spf1 mx ip4:203.0.113.60 ~all"');
    assert.match(fact(doc, 'SPF of nospf.example.org') ?? '', /^none/);
  });

  it('says yes when SPF passes and FCrDNS holds', async () => {
    const table = { ...TABLE, 'example.org': { TXT: ['v=spf1 mx ip4:203.0.113.60 -all'], MX: [[10, 'mail.example.org']] as [number, string][] } };
    const r = await sendAs('203.0.113.60', 'example.org', { resolver: memoryResolver(table, ['example.org']) });
    const doc = sendAsToReport(r);
    assert.equal(doc.verdict.value, 'yes');
    assert.equal(doc.status, 'pass');
    assert.equal(fact(doc, 'TXT record to publish'), undefined);
  });
});

describe('SPF documents: hostile TXT data stays text', () => {
  it('keeps markup, newlines, command links and bidi characters from DNS as data in the document', async () => {
    const doc = spfToReport(await spf('192.0.2.1', 'hostile.example.com'));
    assert.equal(doc.verdict.value, 'permerror');
    const record = section(doc, 'tree').nodes[0];
    assert.equal(record.description, JSON.stringify(HOSTILE_TXT));
    assert.ok(strings(doc).some((s) => s.includes('<img')), 'the data is in the document as it is');
    assert.deepEqual(JSON.parse(JSON.stringify(doc)), doc);
  });

  it('renders an exp= text full of markup as text: Markdown escapes it, the tree keeps it on one line', async () => {
    const r = await spf('192.0.2.1', 'hostile2.example.com');
    assert.equal(r.explanation, HOSTILE_EXP);
    const doc = spfToReport(r);
    assert.equal(fact(doc, "Explanation (the domain's exp= text)"), HOSTILE_EXP);
    const md = reportToMarkdown(doc);
    // Markdown shows `\<script\>`: escaped, not a tag.
    assert.doesNotMatch(md, /(?<!\\)<(script|\/script|img)/);
    assert.doesNotMatch(md, /\]\(command:/);
    assert.doesNotMatch(md, /\u202e/);
    assert.match(md, /\\<script\\>alert\\\(1\\\)\\<\/script\\> \\\[click\\\]\\\(command:workbench\.action\.quit\\\) \\`tick\\`/);
    for (const mdDoc of [reportToMarkdown(spfToReport(await spf('192.0.2.1', 'hostile.example.com')))]) {
      assert.doesNotMatch(mdDoc, /(?<!\\)<img/);
      assert.doesNotMatch(mdDoc, /\]\(command:/);
    }
    const nodes = allTreeNodes(checkToTreeNode(spfToReport(await spf('192.0.2.1', 'hostile.example.com')), 'check-1'));
    for (const n of nodes) {
      for (const text of [n.label, n.description ?? '']) {
        assert.doesNotMatch(text, /[\n\r\u202e]/, `tree text on one line, bidi visible: ${text}`);
      }
      assert.doesNotMatch(n.tooltip ?? '', /(?<!\\)<img|\]\(command:/);
    }
  });
});

describe('the SPF kinds in the registry', () => {
  it('registers spf, spf-pair and send-as with their status and report', async () => {
    for (const kind of ['spf', 'spf-pair', 'send-as']) assert.ok(isCheckKind(kind) && CHECKS[kind]);
    const r = await spf('192.0.2.10', 'chain.example.com');
    assert.equal(statusOf(r), spfStatus(r));
    // The registry adds only what the views offer on any kind that can run again (Check live again).
    assert.deepEqual(toReport(r), { ...spfToReport(r), liveAgain: true });
  });

  it('warns about a pass that comes with warnings', async () => {
    const table = { 'ptr.example.com': { TXT: ['v=spf1 ptr -all'] }, '1.2.0.192.in-addr.arpa': { PTR: ['mail.ptr.example.com'] }, 'mail.ptr.example.com': { A: ['192.0.2.1'] } };
    const r = await checkHost({ ip: '192.0.2.1', domain: 'ptr.example.com' }, { resolver: memoryResolver(table) });
    assert.equal(r.result, 'pass');
    assert.ok(r.findings.some((f) => f.code === 'spf-ptr-discouraged'));
    assert.equal(spfStatus(r), 'warning');
  });
});

describe('reportToMarkdown with queries', () => {
  it('lists each term\'s DNS queries with their dig commands under it', async () => {
    const md = reportToMarkdown(spfToReport(await spf('192.0.2.99', 'explained.example.com')));
    assert.match(md, /\n    - MX hosts of explained\.example\.com: explained\.example\.com MX → 10 mail\.explained\.example\.com, TTL 300s, from 127\.0\.0\.1:5300 — `dig @127\.0\.0\.1 -p 5300 explained\.example\.com MX`\n/);
  });
});

describe('copying from the report', () => {
  it('accepts only dig commands and records as copy requests from the page', () => {
    assert.equal(isWebviewMessage({ type: 'copy', what: 'record', text: 'example.org. 3600 IN TXT "v=spf1 -all"' }), true);
    assert.equal(isWebviewMessage({ type: 'copy', what: 'dig', text: 'dig example.org TXT' }), true);
    assert.equal(isWebviewMessage({ type: 'copy', what: 'file', text: 'x' }), false);
    assert.equal(isWebviewMessage({ type: 'copy', what: 'dig', text: '' }), false);
    assert.equal(isWebviewMessage({ type: 'copy', what: 'dig' }), false);
  });

  it('lets the host copy only what the shown document holds', async () => {
    const doc = spfToReport(await spf('192.0.2.99', 'explained.example.com'));
    const texts = copyableTexts(doc);
    assert.ok(texts.dig.has('dig @127.0.0.1 -p 5300 explained.example.com TXT'), 'the record query');
    assert.ok(texts.dig.has('dig @127.0.0.1 -p 5300 mail.explained.example.com A'), 'a query behind a term');
    assert.ok(!texts.dig.has('rm -rf ~'));
    assert.equal(texts.record.size, 0);
  });
});

// The mail checks' report documents (heloDoc, smtpDoc, mxDoc, dnsblDoc, mailcheckDoc, bounceDoc):
// real results from an in-memory resolver (and a hand-made SMTP probe), checked for what each
// report says, that the combined check's rows carry their fixes, and that hostile text from DNS, a
// mail server or a pasted bounce stays text in the document, the Markdown and the Results tree.
// Also the pure parts of the VS Code side: the bounce's offered checks, the input hints, the
// saved-servers setting, and the settings' manifest entries.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { explainBounce } from '../../src/core/bounce/explain';
import { CHECKS, isCheckKind, statusOf, toReport } from '../../src/core/checks';
import { checkDnsbl, DEFAULT_ZONES } from '../../src/core/dnsbl/check';
import { checkHelo } from '../../src/core/helo/check';
import { checkMailServer } from '../../src/core/mailcheck/check';
import { hasPort, heloInputHint, hostPortProblem, portProblem } from '../../src/core/mailcheck/input';
import { bounceInputHint } from '../../src/core/bounce/input';
import { checkMx } from '../../src/core/mx/check';
import { bounceToReport } from '../../src/core/report/bounceDoc';
import { copyableTexts } from '../../src/core/report/copyable';
import { dnsblToReport } from '../../src/core/report/dnsblDoc';
import type { DocRow, ReportDoc, Section } from '../../src/core/report/doc';
import { heloToReport } from '../../src/core/report/heloDoc';
import { mailCheckToReport } from '../../src/core/report/mailcheckDoc';
import { reportToMarkdown } from '../../src/core/report/markdown';
import { mxToReport } from '../../src/core/report/mxDoc';
import { MAX_TRANSCRIPT_NODES, smtpToReport } from '../../src/core/report/smtpDoc';
import type { SmtpProbeResult } from '../../src/core/smtp/types';
import { bounceOffers } from '../../src/vscode/bounceOffers';
import { parseSavedServers, savedServerEntry, savedServerKey } from '../../src/vscode/savedServersModel';
import { checkToTreeNode, type ResultTreeNode } from '../../src/vscode/treeModel';
import { REPO_ROOT } from '../paths';
import { memoryResolver } from './memory-resolver';

/** Markup, a command link, backticks, Markdown emphasis, a newline and a bidi override. */
const HOSTILE = '<script>alert(1)</script> [x](command:workbench.action.quit) `tick` **b**\n# h \u202eevil';
const HOSTILE_PTR = 'evil<img src=x onerror=alert(1)>.example';

function section<T extends Section['type']>(doc: ReportDoc, type: T, title?: string): Extract<Section, { type: T }> {
  const found = doc.sections.find((s) => s.type === type && (title === undefined || s.title === title));
  assert.ok(found, `the report has a ${type} section${title ? ` "${title}"` : ''}: ${doc.sections.map((s) => `${s.type} ${s.title}`).join(', ')}`);
  return found as Extract<Section, { type: T }>;
}

function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) strings(v, out);
  else if (typeof value === 'object' && value !== null) for (const v of Object.values(value)) strings(v, out);
  return out;
}

function treeStrings(node: ResultTreeNode, out: string[] = []): string[] {
  out.push(node.label, node.description ?? '');
  for (const c of node.children) treeStrings(c, out);
  return out;
}

/** Markdown outside code: what a Markdown renderer would parse (code spans and blocks show their text as is). */
function outsideCode(md: string): string {
  return md.replace(/^(`{3,})[^\n]*\n[\s\S]*?\n\1$/gm, '').replace(/(`+)[^`]*?\1/g, '');
}

function tooltips(node: ResultTreeNode, out: string[] = []): string[] {
  if (node.tooltip) out.push(node.tooltip);
  for (const c of node.children) tooltips(c, out);
  return out;
}

/** The text is in the document as the text it is, and every renderer shows it as text. */
function assertStaysText(doc: ReportDoc, raw: string): void {
  assert.ok(strings(doc).some((s) => s.includes(raw)), `the document holds ${JSON.stringify(raw)} verbatim`);
  const md = outsideCode(reportToMarkdown(doc));
  assert.ok(md.includes('\\<'), 'the Markdown escapes the markup');
  assert.doesNotMatch(md, /(?<!\\)<(script|img)/, 'no raw markup in the Markdown');
  assert.doesNotMatch(md, /(?<!\\)\]\(command:/, 'no command link in the Markdown');
  const tree = checkToTreeNode(doc, 'check-1');
  // Labels and descriptions are plain text in VS Code: one line, invisible characters shown.
  for (const s of treeStrings(tree)) assert.doesNotMatch(s, /[\n\u202e]/, `tree labels stay on one line, bidi shown: ${JSON.stringify(s)}`);
  // Tooltips are Markdown: escaped like the report.
  for (const t of tooltips(tree)) assert.doesNotMatch(outsideCode(t), /(?<!\\)<(script|img)|(?<!\\)\]\(command:/, `tooltip escapes markup and links: ${t.slice(0, 200)}`);
}

// The seed's world, in memory: 203.0.113.100 says HELO DYNA-WEB, its PTR mail.dynatron.example points
// elsewhere, it is listed on bl.example (with a hostile reason), its domain's MX host's PTR is wrong.
const SEED = memoryResolver(
  {
    '100.113.0.203.in-addr.arpa': { PTR: ['mail.dynatron.example'] },
    'mail.dynatron.example': { A: ['203.0.113.244'] },
    '244.113.0.203.in-addr.arpa': { PTR: ['dynatron.example'] },
    'dynatron.example': { A: ['203.0.113.51'], MX: [[0, 'po.dynatron.example']], TXT: ['v=spf1 ip4:203.0.113.60 ip4:203.0.113.100 -all'] },
    '_dmarc.dynatron.example': { TXT: ['v=DMARC1; p=reject; rua=mailto:dmarc-reports@dynatron.example'] },
    'po.dynatron.example': { A: ['203.0.113.244'] },
    '60.113.0.203.in-addr.arpa': { PTR: ['web6.dynatron.example', HOSTILE_PTR] },
    'web6.dynatron.example': { A: ['203.0.113.60'], TXT: ['v=spf1 a -all'] },
    '100.113.0.203.bl.example': { A: ['127.0.0.2'], TXT: [HOSTILE] },
    '2.0.0.127.bl.example': { A: ['127.0.0.2'] },
    'null.mxcases.example': { MX: [[0, '']] },
    'multi.mxcases.example': { MX: [[20, 'mx2.multi.mxcases.example'], [10, 'mx1.multi.mxcases.example'], [30, 'gone.multi.mxcases.example']] },
    'mx1.multi.mxcases.example': { A: ['203.0.113.25'] },
    '25.113.0.203.in-addr.arpa': { PTR: ['mx1.multi.mxcases.example'] },
    'mx2.multi.mxcases.example': { A: ['203.0.113.26'] },
  },
  ['dynatron.example', '113.0.203.in-addr.arpa', 'bl.example', 'mxcases.example'],
);

describe('the registry knows every mail check', () => {
  it('has a status and a report for helo, smtp, mx, dnsbl, mailcheck and bounce', () => {
    for (const kind of ['helo', 'smtp', 'mx', 'dnsbl', 'mailcheck', 'bounce']) {
      assert.ok(isCheckKind(kind), kind);
      assert.equal(typeof CHECKS[kind as keyof typeof CHECKS].report, 'function');
    }
  });
});

describe('heloToReport', () => {
  it("the seed's DYNA-WEB: rejected, a row per thing receivers check with its fix, Postfix's replies, where to set the name", async () => {
    const r = await checkHelo('DYNA-WEB', { ip: '203.0.113.100', resolver: SEED });
    const doc = heloToReport(r);
    assert.equal(doc.kind, 'helo');
    assert.equal(doc.subject, 'DYNA-WEB from 203.0.113.100');
    assert.equal(doc.status, 'fail');
    assert.equal(statusOf(r), 'fail');
    assert.deepEqual(toReport(r), { ...doc, liveAgain: true });
    assert.equal(doc.summary, 'not fully qualified · Postfix rejects (504, 450)');
    assert.equal(doc.verdict.value, 'rejected');
    assert.match(doc.verdict.explanation, /not fully qualified/);

    const rows = section(doc, 'rows', 'What receivers check').rows;
    assert.deepEqual(
      rows.map((x) => [x.label, x.status]),
      [
        ['Syntax (RFC 5321 §4.1.1.1)', 'pass'],
        ['Fully qualified (RFC 5321 §2.3.5)', 'fail'],
        ['Exists in DNS (A, AAAA or MX)', 'fail'],
        ['Resolves to 203.0.113.100', 'fail'],
        ['Is the PTR name of 203.0.113.100', 'warning'],
      ],
    );
    assert.equal(rows[3].summary, 'no: the name has no address');
    const fqdn = rows[1];
    assert.match(fqdn.fix?.description ?? '', /fully-qualified name.*HostName/s);
    assert.equal(fqdn.fix?.current, 'DYNA-WEB');

    const postfix = section(doc, 'table', 'What Postfix does');
    assert.deepEqual(postfix.rows[1][1], { text: 'reject', status: 'fail' });
    assert.deepEqual((postfix.rows[1][2] as { text: string }).text, '504 5.5.2 <DYNA-WEB>: Helo command rejected: need fully-qualified hostname');
    assert.ok(section(doc, 'table', 'Where the HELO name is set').rows.some((row) => row[0] === 'EasyMail SMTP Express'));

    const lookups = section(doc, 'tree', 'DNS lookups');
    assert.equal(lookups.showQueries, true);
    assert.ok(lookups.nodes.every((n) => n.dig && n.queries?.[0].dig === n.dig), 'every lookup can be repeated');
    assert.ok(copyableTexts(doc).dig.has('dig @127.0.0.1 -p 5300 100.113.0.203.in-addr.arpa PTR'));
  });

  it('a name done right passes; a hostile PTR name stays text', async () => {
    const r = await checkHelo('web6.dynatron.example', { ip: '203.0.113.60', resolver: SEED });
    const doc = heloToReport(r);
    assert.equal(doc.status, 'pass');
    assert.equal(doc.verdict.value, 'ok');
    assert.equal(doc.summary, 'resolves to 203.0.113.60, its PTR name · Postfix accepts');
    assert.ok(section(doc, 'rows').rows.every((x: DocRow) => x.status === 'pass'), JSON.stringify(section(doc, 'rows').rows));
    assert.ok(!doc.sections.some((s) => s.title.startsWith('Where the HELO name is set')), 'no settings table when the name is right');
    assert.ok(doc.facts.some((f) => f.label === 'SPF (HELO identity)' && f.value.startsWith('pass')));
    assertStaysText(doc, HOSTILE_PTR);
  });
});

function smtpResult(over: Partial<SmtpProbeResult> = {}): SmtpProbeResult {
  const banner = `mail.example.net ESMTP ${HOSTILE}`.replace(/\n/g, '\\x0a');
  return {
    kind: 'smtp',
    host: '127.0.0.1',
    port: 2525,
    hostIsName: false,
    addresses: ['127.0.0.1'],
    address: '127.0.0.1',
    connected: true,
    connectMs: 1,
    greeting: { code: 220, lines: [banner], ms: 12, name: 'mail.example.net', firstByteMs: 12 },
    ehlo: {
      command: 'EHLO',
      sentName: 'probe.example.org',
      reply: { code: 250, lines: ['mail.example.net Hello [127.0.0.1]', 'PIPELINING', 'SIZE 10240000'], ms: 2 },
      name: 'mail.example.net',
      extensions: [
        { keyword: 'PIPELINING', params: '' },
        { keyword: 'SIZE', params: '10240000' },
      ],
      clientAddress: '127.0.0.1',
    },
    starttls: { offered: false, attempted: false },
    quit: { code: 221, lines: ['2.0.0 Bye'], ms: 1 },
    serverPtr: [],
    names: [{ role: 'greeting', name: 'mail.example.net', fqdn: true, addresses: ['192.0.2.25'], rcode: 'NOERROR', resolvesToServer: false, isPtr: false, dig: 'dig mail.example.net A' }],
    transcript: [
      { dir: 'S', text: `220 ${banner}`, ms: 12, tls: false },
      { dir: 'C', text: 'EHLO probe.example.org', ms: 13, tls: false },
      { dir: 'S', text: '250-mail.example.net Hello [127.0.0.1]', ms: 15, tls: false },
      { dir: 'S', text: '250 SIZE 10240000', ms: 15, tls: false },
    ],
    bytesRead: 200,
    findings: [
      { code: 'smtp-no-starttls', severity: 'warning', message: 'The server does not offer STARTTLS.', fix: { description: 'Turn on STARTTLS (Postfix: smtpd_tls_security_level = may).' } },
      { code: 'smtp-greeting-name-mismatch', severity: 'warning', message: 'The greeting name mail.example.net does not resolve to 127.0.0.1.', dig: 'dig mail.example.net A', fix: { description: 'Set myhostname.' } },
    ],
    resolvers: ['127.0.0.1:5300'],
    startedAt: '2026-03-04T10:00:00.000Z',
    elapsedMs: 30,
    ...over,
  };
}

describe('smtpToReport', () => {
  it('a row per step with its fix, the names against DNS, the transcript; the banner stays text', () => {
    const doc = smtpToReport(smtpResult());
    assert.equal(doc.subject, '127.0.0.1 port 2525');
    assert.equal(doc.status, 'warning');
    assert.equal(doc.verdict.value, 'works, with warnings');
    assert.equal(doc.summary, '220 mail.example.net · STARTTLS not offered');
    const rows = section(doc, 'rows', 'Steps').rows;
    assert.deepEqual(
      rows.map((x) => [x.label, x.status]),
      [
        ['Connection to port 2525', 'pass'],
        ['Greeting (RFC 5321 §3.1)', 'pass'],
        ['EHLO and extensions', 'pass'],
        ['STARTTLS (RFC 3207)', 'warning'],
        ['TLS certificate', 'info'],
        ['Server names against DNS', 'warning'],
      ],
    );
    assert.equal(rows[3].fix?.description, 'Turn on STARTTLS (Postfix: smtpd_tls_security_level = may).');
    assert.equal(rows[5].fix?.description, 'Set myhostname.');
    assert.match(rows[2].summary, /EHLO probe\.example\.org → 250 as mail\.example\.net, sees us as 127\.0\.0\.1; PIPELINING, SIZE/);
    const transcript = section(doc, 'tree', 'Transcript');
    assert.deepEqual(transcript.nodes.map((n) => [n.badge, n.status]), [
      ['server · 12 ms', 'pass'],
      ['us · 13 ms', 'info'],
      ['server · 15 ms', 'pass'],
      ['server · 15 ms', 'pass'],
    ]);
    assertStaysText(doc, '<script>alert(1)</script> [x](command:workbench.action.quit)');
  });

  it('a port that does not answer: no connection, the later steps not reached', () => {
    const doc = smtpToReport(
      smtpResult({
        connected: false,
        greeting: undefined,
        ehlo: undefined,
        quit: undefined,
        names: [],
        transcript: [],
        findings: [{ code: 'smtp-connect-timeout', severity: 'error', message: 'No answer from 127.0.0.1 port 2525 within 2000 ms. Port 25 blocked? Many ISPs block it.' }],
      }),
    );
    assert.equal(doc.status, 'fail');
    assert.equal(doc.verdict.value, 'no connection');
    const rows = section(doc, 'rows').rows;
    assert.deepEqual(rows.map((x) => x.status), ['fail', 'info', 'info', 'info', 'info', 'info']);
    assert.equal(rows[0].summary, 'No answer from 127.0.0.1 port 2525 within 2000 ms');
    assert.equal(section(doc, 'tree', 'Transcript').empty, 'Nothing was said: no connection.');
  });

  it('bounds the transcript shown', () => {
    const transcript = Array.from({ length: 500 }, (_, i) => ({ dir: 'S' as const, text: `250-line ${i}`, ms: i, tls: false }));
    const nodes = section(smtpToReport(smtpResult({ transcript })), 'tree', 'Transcript').nodes;
    assert.equal(nodes.length, MAX_TRANSCRIPT_NODES + 1);
    assert.equal(nodes[nodes.length - 1].label, `… ${500 - MAX_TRANSCRIPT_NODES} more lines`);
  });
});

describe('mxToReport', () => {
  it('hosts in the order senders try them, each with its addresses, queries and reverse DNS', async () => {
    const doc = mxToReport(await checkMx('multi.mxcases.example', { resolver: SEED }));
    assert.equal(doc.subject, 'multi.mxcases.example');
    assert.equal(doc.status, 'fail', 'a host without an address is an error');
    assert.equal(doc.verdict.value, 'goes to mx1.multi.mxcases.example');
    const hosts = section(doc, 'tree').nodes;
    assert.deepEqual(hosts.map((h) => [h.label, h.badge, h.status, h.wrong]), [
      ['mx1.multi.mxcases.example', 'MX 10', 'pass', undefined],
      ['mx2.multi.mxcases.example', 'MX 20', 'warning', undefined],
      ['gone.multi.mxcases.example', 'MX 30', 'fail', true],
    ]);
    assert.deepEqual(hosts[0].children.map((a) => [a.label, a.note]), [['203.0.113.25', 'PTR mx1.multi.mxcases.example · iprev pass']]);
    assert.equal(hosts[1].children[0].note, 'no PTR · iprev permerror');
    assert.ok(copyableTexts(doc).dig.has('dig @127.0.0.1 -p 5300 gone.multi.mxcases.example A'));
    assert.ok(doc.findings.some((f) => f.code === 'mx-host-no-address' && f.fix));
  });

  it('a null MX: the domain takes no mail', async () => {
    const doc = mxToReport(await checkMx('null.mxcases.example', { resolver: SEED }));
    assert.equal(doc.verdict.value, 'goes nowhere');
    assert.equal(doc.summary, 'null MX: no mail');
    assert.equal(section(doc, 'tree').nodes[0].badge, 'MX 0 · null MX (RFC 7505)');
  });
});

describe('dnsblToReport', () => {
  it('listed: the list, its code and its reason as text, the lookup repeated with dig', async () => {
    const doc = dnsblToReport(await checkDnsbl('203.0.113.100', { resolver: SEED, zones: ['bl.example'] }));
    assert.equal(doc.subject, '203.0.113.100');
    assert.equal(doc.status, 'fail');
    assert.equal(doc.verdict.value, 'yes, on 1 of 1');
    const [node] = section(doc, 'tree', 'Lists').nodes;
    assert.equal(node.label, 'bl.example');
    assert.equal(node.status, 'fail');
    assert.match(node.note ?? '', /^listed — 127\.0\.0\.2: /);
    assert.equal(node.queries?.[0].summary, '100.113.0.203.bl.example A → 127.0.0.2');
    assert.deepEqual(node.queries?.[0].lines, ['test points as they should be (127.0.0.2 listed, 127.0.0.1 not): the list answers this asker']);
    // The check escapes control characters (\x0a); the rest of the list's text is kept, as text.
    assertStaysText(doc, '<script>alert(1)</script> [x](command:workbench.action.quit)');
  });

  it('a list that does not answer says nothing about the address', async () => {
    const doc = dnsblToReport(await checkDnsbl('203.0.113.60', { resolver: SEED, zones: ['bl.example', 'nx.example'] }));
    assert.equal(doc.status, 'warning', 'the test points of nx.example do not answer');
    const nodes = section(doc, 'tree').nodes;
    assert.deepEqual(nodes.map((n) => [n.label, n.status]), [
      ['bl.example', 'pass'],
      ['nx.example', 'warning'],
    ]);
    assert.match(nodes[1].queries?.[0].lines?.[0] ?? '', /^test points wrong/);
  });
});

describe('mailCheckToReport', () => {
  it("the seed's server: a pass/warning/fail row per check, each failing one with its fix, and the same rows in the tree", async () => {
    const r = await checkMailServer({ ip: '203.0.113.100', helo: 'DYNA-WEB', fromDomain: 'dynatron.example' }, { resolver: SEED, dnsblZones: ['bl.example'] });
    const doc = mailCheckToReport(r);
    assert.equal(doc.kind, 'mailcheck');
    assert.equal(doc.subject, '203.0.113.100, HELO DYNA-WEB, @dynatron.example');
    assert.equal(doc.status, 'fail');
    assert.equal(doc.summary, '3 fail · 2 warning · 2 pass · 1 info');
    assert.equal(doc.verdict.value, 'no: 3 checks fail');
    assert.equal(
      doc.verdict.explanation,
      'Failing: Reverse DNS (PTR, forward-confirmed), HELO name, Blocklists. Change first — Reverse DNS (PTR, forward-confirmed): Give this server its own host name with the A record 203.0.113.100 and set the PTR of 203.0.113.100 to it. Each row below has its fix; "What to change" lists them in order.',
    );

    const rows = section(doc, 'rows', 'Checks').rows;
    assert.deepEqual(
      rows.map((x) => [x.label, x.status]),
      [
        ['Reverse DNS (PTR, forward-confirmed)', 'fail'],
        ['HELO name', 'fail'],
        ['SPF for the From domain (dynatron.example)', 'pass'],
        ['SPF for the HELO name', 'info'],
        ['DKIM key (common selectors of dynatron.example)', 'warning'],
        ['DMARC policy of dynatron.example', 'pass'],
        ['MX of dynatron.example (where replies go)', 'warning'],
        ['Blocklists', 'fail'],
      ],
    );
    for (const row of rows.filter((x) => x.status === 'fail' || x.status === 'warning')) assert.ok(row.fix?.description, `${row.label} has a fix`);
    assert.match(rows[0].fix?.record ?? '', /^100\.113\.0\.203\.in-addr\.arpa\. \d+ IN PTR /);
    assert.match(rows[1].fix?.description ?? '', /HostName/);
    assert.match(rows[6].fix?.record ?? '', /^244\.113\.0\.203\.in-addr\.arpa\. \d+ IN PTR po\.dynatron\.example\.$/);
    assert.match(rows[0].detail ?? '', /resolves to 203\.0\.113\.244, not to 203\.0\.113\.100/);
    // The records of the rows' fixes are what "Copy record" may copy.
    assert.ok(copyableTexts(doc).record.has(rows[6].fix?.record ?? ''));

    assert.deepEqual(section(doc, 'text', 'What to change').paragraphs, r.answer);
    assert.ok(doc.sections.some((s) => s.title === 'What Postfix does with HELO DYNA-WEB'));
    assert.ok(doc.findings.some((f) => f.code === 'helo-not-fqdn'));
    assert.equal(new Set(doc.findings.map((f) => `${f.code} ${f.message}`)).size, doc.findings.length, 'each finding once');

    // The Results tree: the rows right under the check (one rows section), each with its fix in the tooltip.
    const tree = checkToTreeNode(doc, 'check-7');
    assert.deepEqual(tree.children.map((c) => c.label), [...rows.map((x) => x.label), 'Findings']);
    assert.equal(tree.children[0].icon.id, 'error');
    assert.match(tree.children[6].tooltip ?? '', /244\.113\.0\.203\.in-addr\.arpa\. \d+ IN PTR po\.dynatron\.example\./);
    assertStaysText(doc, '<script>alert(1)</script> [x](command:workbench.action.quit)');
  });
});

describe('bounceToReport', () => {
  const fixture = (name: string) => fs.readFileSync(path.join(REPO_ROOT, 'test', 'fixtures', 'bounces', name), 'utf8');

  it("the seed's 504 5.5.2 <DYNA-WEB>: what the receiver said and checked, the values, the checks to run", async () => {
    const r = await explainBounce(fixture('postfix-helo-fqdn.txt'));
    const doc = bounceToReport(r);
    assert.equal(doc.kind, 'bounce');
    assert.equal(doc.subject, '504 5.5.2 from mx1.spsdfw.example');
    assert.equal(doc.status, 'fail');
    assert.equal(doc.verdict.value, 'HELO name is not fully qualified');
    const [row] = section(doc, 'rows', 'What the receiver said').rows;
    assert.equal(row.summary, '504 5.5.2 <DYNA-WEB>: Helo command rejected: need fully-qualified hostname');
    assert.match(row.detail ?? '', /^Postfix checked: Postfix's reject_non_fqdn_helo_hostname/);
    assert.deepEqual(doc.facts.find((f) => f.label === 'HELO name'), { label: 'HELO name', value: 'DYNA-WEB', mono: true });
    const checks = section(doc, 'table', 'Checks to run').rows;
    assert.deepEqual(checks.map((c) => [(c[0] as { text: string }).text, c[1]]), [
      ['Check HELO name', 'HELO DYNA-WEB'],
      ['Check mail server', 'HELO DYNA-WEB, domain dynatron.example'],
    ]);
    // The buttons: the HELO check runs at once (its IP is optional); the mail server check asks for the IP.
    assert.deepEqual(bounceOffers(r).map((o) => [o.label, o.missing]), [
      ['Check HELO name DYNA-WEB', []],
      ['Check mail server DYNA-WEB…', ['ip']],
    ]);
  });

  it('a blocklist bounce offers the list the receiver named', async () => {
    const offers = bounceOffers(await explainBounce(fixture('postfix-rbl.txt')));
    assert.deepEqual(offers[0].label, 'Check blocklists for IP 203.0.113.244');
    assert.deepEqual(offers[0].suggestion.args, { ip: '203.0.113.244', zone: 'zen.spamhaus.org' });
  });

  it('a bounce with several recipients shows each, with its values and checks; DMARC offers name the domain', async () => {
    const b = 'B';
    const text = [
      'From: MAILER-DAEMON@mx.example.net',
      'To: alice@example.com',
      'Subject: Undelivered Mail Returned to Sender',
      `Content-Type: multipart/report; report-type=delivery-status; boundary="${b}"`,
      '',
      `--${b}`,
      'Content-Type: text/plain',
      '',
      'Some recipients were refused.',
      `--${b}`,
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.example.net',
      '',
      'Final-Recipient: rfc822; bob@example.org',
      'Action: failed',
      'Status: 5.7.1',
      'Diagnostic-Code: smtp; 550 5.7.1 Email rejected per DMARC policy for example.com',
      '',
      'Final-Recipient: rfc822; carol@example.net',
      'Action: failed',
      'Status: 5.7.1',
      'Diagnostic-Code: smtp; 554 5.7.1 [C14] Missing reverse DNS for 203.0.113.2',
      `--${b}--`,
      '',
    ].join('\n');
    const r = await explainBounce(text);
    const doc = bounceToReport(r);
    const rows = section(doc, 'rows', 'Recipients').rows;
    assert.deepEqual(rows.map((x) => [x.label, x.status]), [
      ['bob@example.org', 'fail'],
      ['carol@example.net', 'fail'],
    ]);
    assert.match(rows[0].summary, /DMARC/);
    assert.match(rows[0].detail ?? '', /sender domain example\.com/);
    assert.match(rows[1].detail ?? '', /sending IP 203\.0\.113\.2/);
    assert.deepEqual(bounceOffers(r).map((o) => [o.label, o.missing]).slice(0, 3), [
      ['Check DMARC example.com', []],
      ['Check SPF example.com…', ['ip']],
      ['Check DKIM key example.com', []],
    ]);
    assert.ok(bounceOffers(r).some((o) => o.label === 'Check rDNS for IP 203.0.113.2'));
    assert.match(reportToMarkdown(doc), /carol\\?@example\.net/);
  });

  it('pasted markup stays text; nothing recognised is said so', async () => {
    const r = await explainBounce(`550 5.7.1 Service unavailable; Client host [203.0.113.9] blocked using ${HOSTILE}`);
    const doc = bounceToReport(r);
    assert.doesNotMatch(reportToMarkdown(doc), /<script>|\]\(command:/);
    const none = bounceToReport(await explainBounce('Hello, lunch at noon?'));
    assert.equal(none.status, 'info');
    assert.equal(none.verdict.value, 'not recognised');
    assert.match(section(none, 'rows').empty ?? '', /No known rejection text found/);
  });
});

describe('input boxes', () => {
  it('HELO name: a name receivers refuse is a warning saying why, never a refusal', () => {
    assert.equal(heloInputHint(''), undefined);
    assert.equal(heloInputHint('mail.example.com'), undefined);
    assert.equal(heloInputHint('DYNA-WEB')?.severity, 'warning');
    assert.match(heloInputHint('DYNA-WEB')?.message ?? '', /504 "need fully-qualified hostname"/);
    assert.equal(heloInputHint('dyna_web.example')?.severity, 'warning');
    assert.equal(heloInputHint('[192.0.2.1]')?.severity, 'info');
    assert.equal(heloInputHint('a\u0007b')?.severity, 'error');
    assert.equal(heloInputHint('x'.repeat(600))?.severity, 'error');
  });

  it('SMTP host and port', () => {
    assert.equal(hostPortProblem('mail.example.com'), undefined);
    assert.equal(hostPortProblem('[2001:db8::25]:587'), undefined);
    assert.match(hostPortProblem('mail.example.com:99999') ?? '', /port/);
    assert.ok(hasPort('mail.example.com:587') && hasPort('[2001:db8::25]:587'));
    assert.ok(!hasPort('2001:db8::25') && !hasPort('mail.example.com'));
    assert.equal(portProblem('25'), undefined);
    assert.match(portProblem('0') ?? '', /1 to 65535/);
  });

  it('bounce: says what it recognises as you paste', () => {
    assert.deepEqual(bounceInputHint('504 5.5.2 <DYNA-WEB>: Helo command rejected: need fully-qualified hostname'), {
      severity: 'info',
      message: 'recognised: HELO name is not fully qualified (Postfix)',
    });
    assert.equal(bounceInputHint('thanks!')?.severity, 'warning');
  });
});

describe('mailDns.servers', () => {
  it('keeps good entries, normalised, and names each bad one', () => {
    const { servers, problems } = parseSavedServers([
      { name: 'shop', ip: '203.0.113.100', helo: 'web6.example.net', fromDomain: 'Example.NET.' },
      { ip: '2001:DB8::25', helo: 'smtp.example.net', fromDomain: 'example.net', smtp: 'smtp.example.net:587' },
      { name: 'bad ip', ip: '203.0.113', helo: 'x.example', fromDomain: 'example.net' },
      { name: 'no helo', ip: '203.0.113.1', fromDomain: 'example.net' },
      'not an object',
    ]);
    assert.deepEqual(servers, [
      { name: 'shop', ip: '203.0.113.100', helo: 'web6.example.net', fromDomain: 'example.net' },
      { name: 'smtp.example.net (2001:db8::25)', ip: '2001:db8::25', helo: 'smtp.example.net', fromDomain: 'example.net', smtp: { host: 'smtp.example.net', port: 587 } },
    ]);
    assert.deepEqual(problems.map((p) => p.index), [2, 3, 4]);
    assert.match(problems[0].message, /^mailDns\.servers entry 3 \("bad ip"\): ip: /);
    assert.match(problems[1].message, /"helo" .* is missing/);
    assert.deepEqual(parseSavedServers('x').problems.map((p) => p.index), [-1]);
    assert.deepEqual(savedServerEntry(servers[1]), { name: servers[1].name, ip: '2001:db8::25', helo: 'smtp.example.net', fromDomain: 'example.net', smtp: 'smtp.example.net:587' });
  });
  it('keeps a DKIM selector (lower case), names a bad one, and a selector makes another saved check', () => {
    const { servers, problems } = parseSavedServers([
      { name: 'signed', ip: '203.0.113.25', helo: 'smtp.example.net', fromDomain: 'example.net', dkimSelector: ' Mail2024 ' },
      { name: 'empty selector', ip: '203.0.113.25', helo: 'smtp.example.net', fromDomain: 'example.net', dkimSelector: '' },
      { name: 'bad selector', ip: '203.0.113.25', helo: 'smtp.example.net', fromDomain: 'example.net', dkimSelector: 'a b' },
      { name: 'not text', ip: '203.0.113.25', helo: 'smtp.example.net', fromDomain: 'example.net', dkimSelector: 7 },
    ]);
    assert.deepEqual(servers.map((x) => x.dkimSelector), ['mail2024', undefined]);
    assert.deepEqual(problems.map((p) => p.index), [2, 3]);
    assert.match(problems[0].message, /dkimSelector: /);
    assert.match(problems[1].message, /"dkimSelector" must be text/);
    assert.equal(savedServerEntry(servers[0]).dkimSelector, 'mail2024');
    assert.equal('dkimSelector' in savedServerEntry(servers[1]), false);
    assert.notEqual(savedServerKey(servers[0]), savedServerKey(servers[1]), 'the same server checked with and without its selector');
  });
});

describe('package.json', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
    contributes: { configuration: { properties: Record<string, { scope?: string; markdownDescription?: string; default?: unknown }> }; commands: { command: string; category?: string }[] };
  };

  it('every setting has a scope and a Markdown description; the blocklist default is the core\'s', () => {
    for (const [id, p] of Object.entries(manifest.contributes.configuration.properties)) {
      assert.ok(p.scope, `${id} has a scope`);
      assert.ok(p.markdownDescription, `${id} has a markdownDescription`);
    }
    assert.deepEqual(manifest.contributes.configuration.properties['mailDns.dnsbl.zones'].default, DEFAULT_ZONES);
  });

  it('contributes the mail commands in the Mail DNS category', () => {
    const ids = ['mailDns.checkHelo', 'mailDns.probeSmtp', 'mailDns.checkMx', 'mailDns.checkDnsbl', 'mailDns.checkMailServer', 'mailDns.explainBounce'];
    for (const id of ids) assert.equal(manifest.contributes.commands.find((c) => c.command === id)?.category, 'Mail DNS', id);
  });
});

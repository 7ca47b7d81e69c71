import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { codeBlock, escapeMarkdown, inlineCode, rdnsToMarkdown, reportToMarkdown } from '../../src/core/report/markdown';
import { rdnsToReport } from '../../src/core/report/rdnsDoc';
import { failingResult, HOSTILE_NAME, passingResult } from './rdns-fixture';
import { HOSTILE_DIG, HOSTILE_ESCAPED, hostileDoc, RFC_LINK } from './report-doc-fixture';

/** Pipes that end or start a table cell (not preceded by a backslash). */
function cellPipes(line: string): number {
  return (line.match(/(?<!\\)\|/g) ?? []).length;
}

/** The fenced code blocks of a document: fence, info string and body lines. */
function codeBlocks(md: string): { fence: string; info: string; body: string[] }[] {
  const blocks: { fence: string; info: string; body: string[] }[] = [];
  const lines = md.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^(`{3,})(.*)$/.exec(lines[i]);
    if (!open) continue;
    const end = lines.findIndex((l, j) => j > i && l === open[1]);
    assert.ok(end > i, `code block at line ${i + 1} is closed`);
    blocks.push({ fence: open[1], info: open[2], body: lines.slice(i + 1, end) });
    i = end;
  }
  return blocks;
}

describe('rdnsToMarkdown', () => {
  const md = rdnsToMarkdown(failingResult());
  const lines = md.split('\n');

  it('has the sections in order', () => {
    const headings = lines.filter((l) => /^#{1,3} /.test(l));
    assert.deepEqual(headings.slice(0, 5), [
      '# Reverse DNS report: 203.0.113.7',
      '## What receivers will do',
      '## Chain',
      '## Other receivers: the rules this check decides',
      '## Findings',
    ]);
    assert.equal(headings.filter((h) => h.startsWith('### ')).length, 2);
    assert.match(headings[5], /^### 1\. ✗ Error: mail\.example\.com does not resolve back/);
    assert.match(headings[6], /^### 2\. ⚠ Warning: PTR name /);
  });

  it('opens with the iprev verdict and what it means', () => {
    assert.match(md, /\n✗ \*\*iprev: fail\*\* — No PTR name of this IP resolves back/);
    assert.match(md, /\n- Forward-confirmed: _none_\n/);
    assert.match(md, /\n- Special-purpose address: Documentation \\\(TEST-NET-3\\\) \\\(RFC 5737, 203\.0\.113\.0\/24\\\)\n/);
  });

  it('puts the receivers in a table with one row each and the same number of cells', () => {
    const start = lines.indexOf('| Receiver | Rule | Verdict | Reply |');
    assert.ok(start > 0);
    assert.equal(lines[start + 1], '| --- | --- | --- | --- |');
    const rows = lines.slice(start + 2, lines.indexOf('', start));
    assert.equal(rows.length, 2);
    for (const row of [lines[start], ...rows]) assert.equal(cellPipes(row), 5, row);
    assert.match(rows[0], /^\| Postfix \| reject\\_unknown\\_client\\_hostname \| reject \| 450 4\.7\.25 .*\\\[203\.0\.113\.7\\\] \|$/);
    assert.match(rows[1], /^\| Gmail \| .* \| defer/);
  });

  it('explains each rule below the table, with its reference as a link', () => {
    assert.ok(
      lines.includes(
        '- Postfix, reject\\_unknown\\_client\\_hostname: The PTR name does not resolve back to the IP. See <https://www.postfix.org/postconf.5.html#reject_unknown_client_hostname>',
      ),
    );
    assert.ok(lines.includes('- Gmail, PTR with forward confirmation: Gmail requires a PTR record whose name resolves to the IP. See <https://support.google.com/a/answer/81126>'));
  });

  it('is the generic renderer over the rDNS report document', () => {
    assert.equal(md, reportToMarkdown(rdnsToReport(failingResult())));
  });

  it('nests the chain by hop and marks where it goes wrong', () => {
    const start = lines.indexOf('## Chain');
    const chain = lines.slice(start + 2, lines.indexOf('', start + 2));
    assert.deepEqual(
      chain.map((l) => /^( *)- /.exec(l)?.[1].length),
      [0, 2, 4, 6, 2],
    );
    assert.equal(chain[0], '- ✗ **203.0.113.7** · start · fail');
    assert.equal(chain[1], '  - ⚠ **mail.example.com** · PTR 3600s · warning');
    assert.match(chain[2], /^ {4}- ✗ \*\*198\.51\.100\.9\*\* · A 300s · fail · .* · \*\*✗ goes wrong here\*\*$/);
    assert.match(chain[3], /loop: already seen$/);
    assert.match(chain[4], / · PTR 3600s · fail · the name does not exist$/);
    assert.equal(chain.filter((l) => l.includes('goes wrong here')).length, 1);
  });

  it('gives each finding its dig command and fix in code blocks', () => {
    const blocks = codeBlocks(md);
    assert.deepEqual(
      blocks.map((b) => b.info),
      ['sh', 'zone', 'sh', 'zone'],
    );
    assert.deepEqual(blocks[0].body, ['dig @127.0.0.1 -p 5300 mail.example.com A']);
    assert.deepEqual(blocks[1].body, ['mail.example.com. 3600 IN A 203.0.113.7']);
    assert.match(md, /\n\*\*Fix:\*\* Add an A record for mail\.example\.com pointing to 203\.0\.113\.7\.\n/);
    assert.match(md, /\n- Zone: example\.com\n- Owner: mail\.example\.com\n- Type: A\n- Change: 198\.51\.100\.9 → 203\.0\.113\.7\n/);
    assert.match(md, /\nCode: `fcrdns-mismatch` · step 2\n/);
  });

  it('ends with the resolvers and the time', () => {
    assert.equal(lines.at(-1), '');
    assert.equal(
      lines.at(-2),
      'Resolvers: 127.0.0.1:5300 · Started: 2025-01-02T03:04:05.000Z · Took: 42 ms · Mail DNS Doctor',
    );
    assert.equal(lines.at(-4), '---');
  });

  it('escapes hostile names from DNS wherever they appear outside code blocks', () => {
    const escaped =
      'evil\\<script\\>alert\\(1\\)\\</script\\>\\`\\|x␊\\# pwned \\[link\\]\\(command:foo\\) \\*b\\* \\$m\\$';
    // PTR names, the Gmail reply, the chain, the finding heading, the fix's current value, the other receivers' row
    // and the published FCrDNS rule's standing (Yahoo's row; Gmail's rule is the Gmail row above).
    assert.match(md, /\n- Current: evil\\<script/);
    assert.equal(md.split(escaped).length - 1, 7);
    const prose = codeBlocks(md).reduce((text, b) => text.replace(b.body.join('\n'), ''), md);
    assert.doesNotMatch(prose, /(?<!\\)<script/);
    assert.doesNotMatch(prose, /(?<!\\)\]\(command:/);
    assert.doesNotMatch(md, /^#+ pwned/m);
    assert.doesNotMatch(md, /^\\?# pwned/m);
  });

  it('keeps hostile data inside code blocks on one line and unable to close the fence', () => {
    const blocks = codeBlocks(md);
    assert.equal(blocks[2].fence, '````');
    assert.deepEqual(blocks[2].body, ['dig @127.0.0.1 -p 5300 ```␊rm -rf ~ PTR']);
    assert.equal(blocks[3].body.length, 1);
    assert.ok(blocks[3].body[0].includes('<script>'), 'code blocks show data as it is');
    assert.ok(!md.includes(HOSTILE_NAME), 'the raw newline never reaches the output');
  });

  it('says so when there are no findings or receiver rules', () => {
    const clean = rdnsToMarkdown(passingResult());
    assert.match(clean, /\n## Findings\n\nNo findings\.\n/);
    assert.match(clean, /\n_No receiver rules apply\._\n/);
    assert.match(clean, /\nResolvers: system · /);
    assert.match(clean, /\n {4}- ✓ \*\*2001:db8::25\*\* · AAAA no TTL · pass · back to the IP: forward-confirmed\n/);
  });
});

/** The document without its fenced code blocks: what renders as Markdown rather than as code. */
function prose(md: string): string {
  return codeBlocks(md).reduce((text, b) => text.replace(b.body.join('\n'), ''), md);
}

describe('reportToMarkdown (any check kind)', () => {
  const doc = hostileDoc();
  const md = reportToMarkdown(doc);
  const lines = md.split('\n');

  it('has a heading for the report, each section and the findings, and no other', () => {
    assert.deepEqual(
      lines.filter((l) => l.startsWith('#')),
      [
        `# Demo ${HOSTILE_ESCAPED} report: ${HOSTILE_ESCAPED}`,
        '## A table',
        '## An empty table',
        '## Evaluation',
        '## Notes',
        '## Checks',
        '## Empty tree',
        '## Findings',
        `### 1. ✗ Error: Finding ${HOSTILE_ESCAPED}`,
      ],
    );
  });

  it('shows the verdict, then the facts, an empty one as none', () => {
    assert.equal(lines[2], `✗ **demo: fail** — Because ${HOSTILE_ESCAPED}`);
    assert.deepEqual(lines.slice(4, 6), ['- Empty: _none_', `- Fact ${HOSTILE_ESCAPED}: ${HOSTILE_ESCAPED}`]);
  });

  it('keeps every table row to its columns, with details and web links as notes', () => {
    const start = lines.indexOf('| Name | Pipe \\| column | Verdict | Reply |');
    assert.ok(start > 0, 'the column names are escaped like cells');
    const table = lines.slice(start, lines.indexOf('', start));
    assert.equal(table.length, 4);
    for (const row of table) assert.equal(cellPipes(row), 5, row);
    assert.equal(table[2], `| ${HOSTILE_ESCAPED} | rule ${HOSTILE_ESCAPED} | reject | — |`);
    assert.equal(table[3], '| second | linked | accept | 250 ok |');
    const notes = lines.slice(start + table.length + 1, lines.indexOf('', start + table.length + 1));
    assert.deepEqual(notes, [
      // A command: link is shown as escaped text, never as a link.
      `- ${HOSTILE_ESCAPED}, rule ${HOSTILE_ESCAPED}: detail ${HOSTILE_ESCAPED} See command:workbench.action.quit`,
      '- second, linked: See <https://example.org/a_b>',
    ]);
    assert.match(md, /\n## An empty table\n\n_Nothing here\._\n/);
  });

  it('nests tree nodes with badge, status, description, note, mark and reference', () => {
    const start = lines.indexOf('## Evaluation') + 2;
    const tree = lines.slice(start, lines.indexOf('', start));
    assert.deepEqual(tree, [
      `- ✗ **v=spf1 ${HOSTILE_ESCAPED}** · TXT ${HOSTILE_ESCAPED} · fail · describes ${HOSTILE_ESCAPED} · note ${HOSTILE_ESCAPED} · **✗ goes wrong here** · <${RFC_LINK}>`,
      '  - ✓ **include:\\_spf.example.com** · pass · javascript:alert\\(1\\)',
      '  - ℹ **-all** · info',
    ]);
    assert.match(md, /\n## Empty tree\n\n_No nodes\._\n/);
  });

  it('writes text sections as paragraphs', () => {
    const start = lines.indexOf('## Notes');
    assert.deepEqual(lines.slice(start + 1, start + 6), ['', `First ${HOSTILE_ESCAPED}`, '', 'Second.', '']);
  });

  it("puts a combined check in a table of rows, then each row's detail and fix", () => {
    const start = lines.indexOf('| Check | Result | Summary |');
    assert.ok(start > 0);
    assert.deepEqual(lines.slice(start + 1, start + 4), [
      '| --- | --- | --- |',
      '| ✓ rDNS | pass | iprev pass · mx.example.net |',
      `| ✗ HELO ${HOSTILE_ESCAPED} | fail | rejected: ${HOSTILE_ESCAPED} |`,
    ]);
    for (const row of lines.slice(start, start + 4)) assert.equal(cellPipes(row), 4, row);
    assert.equal(lines[start + 5], `**✗ HELO ${HOSTILE_ESCAPED}:** why ${HOSTILE_ESCAPED}`);
    assert.equal(lines[start + 7], `**Fix:** Set ${HOSTILE_ESCAPED}`);
    assert.ok(lines.includes(`- Change: ${HOSTILE_ESCAPED} → mail.example.com`));
  });

  it('lets no hostile text become markup, a link or a line of its own', () => {
    const text = prose(md);
    assert.doesNotMatch(text, /(?<!\\)<script/);
    assert.doesNotMatch(text, /(?<!\\)\]\(command:/);
    assert.doesNotMatch(text, /<(command|javascript):/);
    assert.doesNotMatch(md, /^\\?#+ (pwned|not a heading)/m);
    assert.ok(!md.includes(HOSTILE_NAME), 'the raw newline never reaches the output');
    // Title, subject, verdict, facts (2), cells (2), notes (3), tree (4), text, rows (4), fix (2), finding, footer.
    assert.equal(md.split(HOSTILE_ESCAPED).length - 1, 23);
    assert.equal(lines.at(-2), `Resolvers: ${HOSTILE_ESCAPED} · Mail DNS Doctor`);
  });

  it('fences dig commands and records so they cannot close their block', () => {
    const blocks = codeBlocks(md);
    assert.deepEqual(
      blocks.map((b) => [b.fence, b.info, b.body.length]),
      [
        ['```', 'zone', 1],
        ['````', 'sh', 1],
      ],
    );
    assert.deepEqual(blocks[1].body, [HOSTILE_DIG.replace('\n', '␊')]);
  });
});

describe('Markdown escaping', () => {
  it('escapes every character that could become markup', () => {
    assert.equal(escapeMarkdown('a*b_c`d[e](f)<g>|h#i!j~k&l\\m{n}$o'), 'a\\*b\\_c\\`d\\[e\\]\\(f\\)\\<g\\>\\|h\\#i\\!j\\~k\\&l\\\\m\\{n\\}\\$o');
  });

  it('leaves names and addresses readable', () => {
    assert.equal(escapeMarkdown('mail-1.example.com'), 'mail-1.example.com');
    assert.equal(escapeMarkdown('2001:db8::25'), '2001:db8::25');
  });

  it('shows control and bidi characters instead of passing them on', () => {
    assert.equal(escapeMarkdown('a\r\nb\tc\u0000'), 'a␍␊b␉c␀');
    assert.equal(escapeMarkdown('x\u202Ey'), 'x⟨U+202E⟩y');
  });

  it('fences inline code longer than any backtick run inside it', () => {
    assert.equal(inlineCode('ptr-missing'), '`ptr-missing`');
    assert.equal(inlineCode('a``b'), '```a``b```');
    assert.equal(inlineCode('`x'), '`` `x ``');
  });

  it('fences code blocks longer than any backtick run inside them', () => {
    assert.equal(codeBlock('dig x PTR', 'sh'), '```sh\ndig x PTR\n```');
    assert.equal(codeBlock('a ````` b'), '``````\na ````` b\n``````');
  });
});

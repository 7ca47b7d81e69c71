// Every byte from the network reaches a medium escaped for it: the terminal (every maildns command,
// text and --json), the clipboard (dig commands and records), JSON, Markdown. Hostile data comes from
// a scripted DNS server and a scripted SMTP peer on 127.0.0.1, and from file names.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../../src/cli/main';
import { createResolver } from '../../src/core/dns/resolver';
import { jsonText, terminalLine, terminalText, UNSAFE_CHARS, zoneText } from '../../src/core/escape';
import { clipboardText, copyableTexts } from '../../src/core/report/copyable';
import type { ReportDoc } from '../../src/core/report/doc';
import { escapeMarkdown, reportToMarkdown } from '../../src/core/report/markdown';
import { domainProblem } from '../../src/core/spf/check';
import { startFaultDns, type FaultDnsServer } from '../harness/fault-dns';
import { startSmtpPeer, type PeerStep, type SmtpPeer } from '../harness/smtp-peer';

// What a terminal obeys or hides: ESC sequences (clear screen, OSC 8 link, window title), BEL, CR,
// bidi override, line and paragraph separators, a C1 control (NEL), RLM; and a newline that would
// start a forged line of its own.
const ESCAPES = '\x1b[2J\x07\r\x1b]8;;https://evil.example/\x07click\x1b]8;;\x07 \x1b]0;title\x07 \u202eevil\u2028\u2029\u0085\u200f';
const FORGED = '\nFORGED line';
const EVIL_PTR = 'evil\x1b[31m\u202e.example';

/** Any character that must not reach a terminal raw; the newline is allowed (line breaks are the renderer's). */
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]/;

function assertTerminalSafe(text: string, what: string): void {
  const m = RAW.exec(text);
  assert.equal(m, null, `${what}: raw U+${m?.[0].charCodeAt(0).toString(16).padStart(4, '0')} at ${m?.index} in\n${text}`);
  assert.ok(!text.split('\n').some((l) => l.startsWith('FORGED')), `${what}: a line forged by data:\n${text}`);
}

/** Every `dig` string anywhere in a JSON value. */
function digs(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) digs(v, out);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'dig' && typeof v === 'string') out.push(v);
      else digs(v, out);
    }
  }
  return out;
}

async function cli(args: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(args, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

let dns: FaultDnsServer;
const peers: SmtpPeer[] = [];

before(async () => {
  dns = await startFaultDns({
    records: {
      'evil.example': { TXT: ['v=spf1 -all exp=exp.evil.example'], MX: [{ preference: 10, exchange: 'mx\x1b]0;t\x07.evil.example' }], A: ['192.0.2.1'] },
      'exp.evil.example': { TXT: [ESCAPES + FORGED] },
      'bad.example': { TXT: [`v=spf1 ${ESCAPES}${FORGED} -all`] },
      '1.2.0.192.in-addr.arpa': { PTR: [EVIL_PTR] },
      '1.2.0.192.bl.evil.example': { A: ['127.0.0.2'], TXT: [ESCAPES + FORGED] },
    },
  });
});
after(async () => {
  await Promise.all(peers.map((p) => p.stop()));
  await dns.stop();
});

describe('issue 9 #13: every maildns command escapes network data for the terminal', () => {
  const commands = [
    ['spf', '192.0.2.1', 'evil.example'],
    ['spf', '192.0.2.1', 'bad.example'],
    ['send-as', '192.0.2.1', 'evil.example'],
    ['send-as', '192.0.2.1', 'bad.example'],
    ['rdns', '192.0.2.1'],
    ['mx', 'evil.example'],
    ['helo', 'evil.example', '--ip', '192.0.2.1'],
    ['dnsbl', '192.0.2.1', '--zone', 'bl.evil.example', '--no-test-points'],
    ['check', '192.0.2.1', '--helo', 'evil.example', '--from', 'evil.example', '--zone', 'bl.evil.example'],
  ];
  for (const args of commands) {
    it(`issue 9 #13: maildns ${args.join(' ')}: no ESC, BEL, CR, OSC 8, C1 or bidi control raw, no forged line`, async () => {
      const r = await cli([...args, '--resolver', dns.server, '--timeout', '500']);
      assert.ok(r.out.length > 0, r.err);
      assertTerminalSafe(r.out + r.err, args.join(' '));
    });
    it(`issue 9 #16: maildns ${args.join(' ')} --json: U+2028/2029, C1 and bidi as \\u escapes, the same data`, async () => {
      const r = await cli([...args, '--resolver', dns.server, '--timeout', '500', '--json']);
      assertTerminalSafe(r.out, `${args.join(' ')} --json`);
      const value: unknown = JSON.parse(r.out);
      // issue 9 #13: a dig command from the JSON pastes into a shell without a control character.
      for (const d of digs(value)) assert.doesNotMatch(d, UNSAFE_CHARS, d);
      assert.equal(jsonText(value), r.out.trimEnd(), 'the JSON holds the data unchanged');
    });
  }

  it('issue 9 #13: the text keeps the data readable, escaped on its own line', async () => {
    const r = await cli(['spf', '192.0.2.1', 'evil.example', '--resolver', dns.server, '--timeout', '500']);
    assert.equal(r.code, 1);
    // The TXT answer is quoted as JSON (C0 as \u00NN); what JSON leaves raw is escaped for the terminal.
    assert.ok(r.out.includes('\\u001b]8;;https://evil.example/\\u0007click\\u001b]8;;\\u0007'), r.out);
    assert.ok(r.out.includes('\\u202eevil\\u2028\\u2029\\x85\\u200f\\nFORGED line'), r.out);
  });

  it('issue 9 #13: maildns lint escapes file names', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'maildns-escape-'));
    try {
      const file = path.join(dir, 'db.evil\x1b]0;owned\x07\u202e\nFORGED.example');
      writeFileSync(file, '$ORIGIN evil.example.\n$TTL 3600\n@ IN SOA ns.evil.example. hostmaster.evil.example. 1 7200 3600 1209600 3600\n@ IN NS ns.evil.example.\nns abc IN A 192.0.2.1\n');
      const r = await cli(['lint', file, '--origin', 'evil.example']);
      assert.equal(r.code, 1, r.out + r.err);
      assertTerminalSafe(r.out + r.err, 'lint');
      assert.match(r.out, /db\.evil\\x1b\]0;owned\\x07\\u202e\\x0aFORGED\.example:5:\d+: error /);
      const j = await cli(['lint', file, '--origin', 'evil.example', '--json']);
      assertTerminalSafe(j.out, 'lint --json');
      assert.ok((JSON.parse(j.out) as { files: { file: string }[] }).files[0].file.endsWith('db.evil\x1b]0;owned\x07\u202e\nFORGED.example'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('issue 9 #13: usage errors quoting the input are escaped too', async () => {
    const r = await cli(['rdns', '192.0.2.1\x1b]0;x\x07\u202e']);
    assert.equal(r.code, 2);
    assertTerminalSafe(r.err, 'usage error');
  });
});

describe('issue 9 #16: SMTP replies in text and JSON', () => {
  async function peer(script: PeerStep[]): Promise<SmtpPeer> {
    const p = await startSmtpPeer(script);
    peers.push(p);
    return p;
  }

  it('issue 9 #16: U+2028/2029, C1 and bidi characters a server sends are escaped in text and JSON', async () => {
    const script: PeerStep[] = [{ send: '220 mail.example ESMTP \u2028FORGED \u2029 \u202eevil \u0085 \u200f \u061c' }, { expect: /^EHLO / }, { send: '250 mail.example' }, { expect: /^QUIT/ }, { send: '221 bye' }];
    const p = await peer(script);
    for (const json of [false, true]) {
      const r = await cli(['smtp', `127.0.0.1:${p.port}`, '--ehlo', 'probe.example', '--no-starttls', '--smtp-timeout', '2000', '--resolver', dns.server, '--timeout', '500', ...(json ? ['--json'] : [])]);
      assertTerminalSafe(r.out + r.err, json ? 'smtp --json' : 'smtp');
      if (json) assert.match(JSON.stringify(JSON.parse(r.out)), /\\u2028FORGED|\u2028FORGED/);
      // (The probe stores bidi controls it reads as \x202e already; the rest the terminal escape catches.)
      else assert.match(r.out, /\\u2028FORGED \\u2029 \\(u|x)202eevil \\x85 \\u200f \\u061c/);
    }
  });

  it('issue 9 #16: a server that connects but never greets exits 2, as docs/mail-checks.md says', async () => {
    const p = await peer([{ silence: true }]);
    const r = await cli(['smtp', `127.0.0.1:${p.port}`, '--smtp-timeout', '200', '--resolver', dns.server, '--timeout', '500', '--json']);
    assert.equal(r.code, 2);
    assert.ok((JSON.parse(r.out) as { findings: { code: string }[] }).findings.some((f) => f.code === 'smtp-greeting-timeout'));
  });

  it('issue 9 #16: a server that starts a greeting and stops is broken, not silent: exit 1', async () => {
    const p = await peer([{ raw: '220-mail.example half a greeting\r\n' }, { silence: true }]);
    const r = await cli(['smtp', `127.0.0.1:${p.port}`, '--smtp-timeout', '200', '--resolver', dns.server, '--timeout', '500']);
    assert.equal(r.code, 1, r.out);
  });
});

describe('issue 9 #13: dig commands and records for the clipboard', () => {
  it('issue 9 #13: a hostile name is written in a dig command as dig writes it, \\DDD', () => {
    const resolver = createResolver({ servers: ['127.0.0.1:5300'] });
    assert.equal(resolver.dig('evil\x1b[31m\u202e\u2028.example', 'A'), "dig @127.0.0.1 -p 5300 'evil\\027[31m\\226\\128\\174\\226\\128\\168.example' A");
    assert.equal(resolver.dig('1.2.0.192.in-addr.arpa', 'PTR'), 'dig @127.0.0.1 -p 5300 -x 192.0.2.1');
    assert.equal(resolver.dig('mail.example.com', 'MX'), 'dig @127.0.0.1 -p 5300 mail.example.com MX');
  });

  it('issue 9 #13: Copy dig and Copy record never carry C0, C1 or bidi controls', () => {
    const record = '1.2.0.192.in-addr.arpa. 3600 IN PTR evil\x1b[31m\u202e.example.';
    const doc: ReportDoc = {
      kind: 'rdns',
      title: 'Reverse DNS',
      shortTitle: 'rDNS',
      subject: '192.0.2.1',
      status: 'fail',
      summary: 'fail',
      verdict: { label: 'iprev', value: 'fail', explanation: '' },
      facts: [],
      sections: [
        { type: 'tree', title: 'Chain', nodes: [{ label: EVIL_PTR, status: 'fail', dig: `dig 'a\x07.example' A`, queries: [{ role: 'Answer', summary: '', dig: `dig 'b\u2029.example' A` }], children: [] }] },
        { type: 'rows', title: 'Checks', rows: [{ label: 'PTR', status: 'fail', summary: '', fix: { description: 'change it', record: `evil.example. 3600 IN TXT "v=spf1 \x1b[2J\u202e -all"` } }] },
      ],
      findings: [{ code: 'ptr-name-mismatch', severity: 'error', message: '', dig: `dig 'c\r.example' A`, fix: { description: 'change the PTR', record } }],
      footer: '',
    };
    const texts = copyableTexts(doc);
    assert.equal(texts.dig.size, 3);
    assert.equal(texts.record.size, 2);
    for (const t of [...texts.dig, ...texts.record]) assert.doesNotMatch(t, UNSAFE_CHARS, JSON.stringify(t));
    assert.ok(texts.record.has('1.2.0.192.in-addr.arpa. 3600 IN PTR evil\\027[31m\\226\\128\\174.example.'));
    assert.ok(texts.record.has('evil.example. 3600 IN TXT "v=spf1 \\027[2J\\226\\128\\174 -all"'));
    assert.ok(texts.dig.has("dig 'c\\013.example' A"));
    // What the report shows maps to what the host copies, and copying twice changes nothing.
    assert.equal(clipboardText(record), '1.2.0.192.in-addr.arpa. 3600 IN PTR evil\\027[31m\\226\\128\\174.example.');
    assert.equal(clipboardText(clipboardText(record)), clipboardText(record));
  });
});

describe('issue 9 #16: JSON, Markdown and domain messages', () => {
  it('issue 9 #16: jsonText escapes what JSON.stringify leaves raw and keeps the value', () => {
    const value = { text: 'a\u2028b\u2029c\u0085d\u202ee\u200ff\u061cg\x7fh\x1bi\ufeffj', n: 1 };
    const text = jsonText(value);
    assert.doesNotMatch(text, /[\u007f-\u009f\u2028\u2029\u202e\u200f\u061c\ufeff\u001b]/);
    assert.match(text, /a\\u2028b\\u2029c\\u0085d\\u202ee\\u200ff\\u061cg\\u007fh\\u001bi\\ufeffj/);
    assert.deepEqual(JSON.parse(text), value);
  });

  it('issue 9 #16: terminal escapes: one line, or whole text with its own line breaks', () => {
    assert.equal(terminalLine('a\nb\r\x1b\u202e\u2028'), 'a\\x0ab\\x0d\\x1b\\u202e\\u2028');
    assert.equal(terminalText('a\nb\r\x1b\u202e\u2028\n'), 'a\nb\\x0d\\x1b\\u202e\\u2028\n');
    assert.equal(zoneText('a\x1b\u202e b'), 'a\\027\\226\\128\\174 b');
  });

  it('issue 9 #16: bare URLs, www. names and addresses from DNS text do not become links in Markdown', () => {
    const txt = 'Listed: see https://evil.example/x or HTTP://EVIL.EXAMPLE, www.evil.example, WWW.Evil.example, mailto:a@evil.example and b@evil.example ftp://evil.example';
    const escaped = escapeMarkdown(txt);
    // GFM autolinks (GFM spec §6.9) start at `scheme://`, at `www.`, and around an `@`.
    assert.doesNotMatch(escaped, /(?<!\\):\/\//);
    assert.doesNotMatch(escaped, /\bwww\.(?!\\)/i);
    assert.doesNotMatch(escaped, /(?<!\\)@/);
    // Still the same text once a renderer takes the backslash escapes away.
    assert.equal(escaped.replace(/\\(.)/g, '$1'), txt);
    const md = reportToMarkdown({
      kind: 'dnsbl',
      title: 'Blocklists',
      shortTitle: 'DNSBL',
      subject: '192.0.2.1',
      status: 'fail',
      summary: '',
      verdict: { label: 'listed', value: 'yes', explanation: txt },
      facts: [{ label: 'TXT', value: txt }],
      sections: [{ type: 'text', title: 'Reason', paragraphs: [txt] }],
      findings: [],
      footer: '',
    });
    assert.doesNotMatch(md, /(?<![\\<]|\\:)https?:\/\/|(?<!\\)@|\bwww\.(?!\\)/i);
  });

  it('issue 9 #16: a domain holding an escape sequence is not called an address literal', () => {
    const problem = domainProblem('ev\x1b[31mil.example') ?? '';
    assert.doesNotMatch(problem, /address literal/);
    assert.match(problem, /control characters/);
    assert.match(domainProblem('[192.0.2.1]') ?? '', /is an address literal/);
    assert.match(domainProblem('a[b.example') ?? '', /characters a domain name cannot \("\["\)/);
  });

  it('issue 9 #16: maildns spf and send-as say so about such a domain, escaped', async () => {
    for (const command of ['spf', 'send-as']) {
      const r = await cli([command, '192.0.2.1', 'ev\x1b[31mil.example', '--resolver', dns.server]);
      assert.equal(r.code, 2);
      assert.doesNotMatch(r.err, /address literal/);
      assert.match(r.err, /control characters/);
      assertTerminalSafe(r.err, command);
    }
  });
});

// Target `verify`: received messages as strangers and real servers write them — Received fields in
// the forms of Postfix, Exim, qmail and Microsoft (IPv4, IPv6, literals, comments, authenticated
// submissions; and every Received field of the shared bounce corpus), From address lists (groups, routes, quoted names, literals), Return-Path (null
// sender), Authentication-Results, ARC sets with odd instances — then mutated, through the message
// check (readHeaders, verifyMessage on an in-memory DNS) and every renderer. Properties: the results
// are from their sets, the border hop names an address, and linear work (the reader's own counter)
// when one hostile field or the number of fields doubles.
import * as fc from 'fast-check';
import type { Work } from '../../src/core/dkim/tags';
import { readHeaders } from '../../src/core/verify/headers';
import { verifyMessage } from '../../src/core/verify/check';
import { memoryResolver } from '../unit/memory-resolver';
import { bounceTexts } from './corpus';
import type { Target } from './harness';
import { joined, mutated } from './mutate';
import { renderAll } from './render';

const RESOLVER = memoryResolver(
  {
    'example.org': { TXT: ['v=spf1 ip4:192.0.2.0/24 ~all'], A: ['192.0.2.1'] },
    '_dmarc.example.org': { TXT: ['v=DMARC1; p=reject; sp=quarantine; pct=50'] },
    'example.net': { TXT: ['v=spf1 include:example.org -all'] },
  },
  ['example.org', 'example.net'],
);

const host = fc.constantFrom('out.example.org', 'mx.example.net', 'unknown', 'localhost', 'a.b.c.example.co.uk', '[192.0.2.9]', 'x', '', 'EXAMPLE.ORG.', 'ex ample');
const ip = fc.oneof(fc.ipV4(), fc.ipV6(), fc.constantFrom('10.0.0.1', '127.0.0.1', '::1', 'IPv6:2001:db8::1', '192.0.2.7', '999.1.1.1', ''));
const receivedArb = fc.oneof(
  fc.tuple(host, host, ip, host).map(([h, r, i, b]) => `Received: from ${h} (${r} [${i}])\r\n\tby ${b} (Postfix) with ESMTPS id X; Mon, 1 Jan 2024 00:00:00 +0000`),
  fc.tuple(host, ip, host).map(([h, i, b]) => `Received: from [${i}] (helo=${h})\r\n\tby ${b} with esmtp (Exim 4.96) id 1r-0; Mon, 1 Jan 2024`),
  fc.tuple(host, host, ip).map(([r, h, i]) => `Received: from ${r} (HELO ${h}) (${i}) by mail.example.net with SMTP; 1 Jan 2024`),
  fc.tuple(host, ip).map(([h, i]) => `Received: from ${h} (${i}) by mx.example.net with Microsoft SMTP Server (version=TLS1_2)`),
  fc.tuple(ip, host).map(([i, b]) => `Received: from [${i}] by ${b} with ESMTPSA id 2`),
  fc.constantFrom('Received: by mailbox.example.net with LMTP', 'Received: from ((((((((( [', 'Received: ;;;;', 'Received:'),
);
const addr = fc.constantFrom('alice@example.org', 'b@news.example.org', '"a b"@example.net', 'x@[192.0.2.1]', 'nodomain', '<>', '@', 'a@b@c', 'ü@例え.jp', 'a@example.org.');
const fromArb = fc.oneof(
  fc.tuple(fc.constantFrom('', 'Alice', '"Alice, A."', '=?utf-8?q?A?=', '(c) x', '<b>x</b>'), addr).map(([n, a]) => `From: ${n} <${a}>`),
  joined(fc.array(addr, { minLength: 1, maxLength: 3 }), fc.constantFrom(', ', ',')).map((l) => `From: ${l}`),
  fc.constantFrom('From: team: a@example.org, b@example.net;', 'From: undisclosed-recipients:;', 'From: <@relay.example:alice@example.org>', 'From:', 'From: (((('),
);
const clause = fc.tuple(fc.constantFrom('spf', 'dkim', 'dmarc', 'arc', 'iprev', 'x'), fc.constantFrom('pass', 'fail', 'none', 'softfail', 'temperror', ''), fc.constantFrom('smtp.mailfrom=example.org', 'header.d=example.org header.s=s1', 'header.from=example.org', '(comment 192.0.2.7)', 'policy.iprev=192.0.2.7', 'reason="x"', '')).map(([m, r, p]) => `${m}=${r} ${p}`);
const authArb = fc.tuple(fc.constantFrom('mx.example.net', 'evil.example', '', 'mx.example.net 1'), fc.array(clause, { maxLength: 4 })).map(([id, cs]) => `Authentication-Results: ${[id, ...cs].join(';\r\n\t')}`);
const arcArb = fc.tuple(fc.constantFrom('1', '2', '0', '51', 'x', ''), fc.constantFrom('ARC-Seal', 'ARC-Message-Signature', 'ARC-Authentication-Results'), fc.constantFrom('none', 'pass', 'fail', '')).map(([i, n, cv]) => (n === 'ARC-Authentication-Results' ? `${n}: i=${i}; lists.example.com; dkim=pass header.d=example.org` : `${n}: i=${i}; a=rsa-sha256; cv=${cv}; d=lists.example.com; s=arc; b=AA`));
// Received fields of real servers, from the shared bounce corpus when it is there (read at run time).
const CORPUS_RECEIVED = bounceTexts()
  .flatMap((t) => t.replace(/\r\n/g, '\n').match(/^Received:[^\n]*(?:\n[ \t][^\n]*)*/gim) ?? [])
  .map((f) => f.replace(/\n/g, '\r\n'))
  .slice(0, 2000);
const corpusReceived = CORPUS_RECEIVED.length > 0 ? fc.constantFrom(...CORPUS_RECEIVED) : receivedArb;
const fieldArb = fc.oneof(
  { weight: 4, arbitrary: receivedArb },
  { weight: 2, arbitrary: corpusReceived },
  { weight: 2, arbitrary: fromArb },
  { weight: 2, arbitrary: authArb },
  { weight: 2, arbitrary: arcArb },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('<>', '<alice@example.org>', 'alice@example.org', '<bounce@example.net>', '<', '')).map(([v]) => `Return-Path: ${v}`) },
  { weight: 1, arbitrary: fc.constantFrom('Received-SPF: pass client-ip=192.0.2.7; envelope-from=a@example.org', 'Subject: hello', 'Subject: \u001b[31mred <script>', 'Message-ID: <1@x>', 'X-Other: y') },
);

const messageArb: fc.Arbitrary<string> = fc
  .tuple(fc.array(fieldArb, { minLength: 1, maxLength: 14 }), fc.constantFrom('\r\n', '\n'), fc.constantFrom('Hello.\r\n', '', '\r\n\r\n'))
  .map(([fields, nl, body]) => `${fields.join(nl)}${nl}${nl}${body}`);

export interface VerifyInput {
  message: string;
  ip?: string;
  /** A field repeated for the linear-work check, and the hostile run repeated in one field. */
  repeatField: string;
  run: string;
}

export const verifyTarget: Target<VerifyInput> = {
  name: 'verify',
  what: 'received messages (Received of Postfix/Exim/qmail/Microsoft, From lists, Return-Path, Authentication-Results, ARC) mutated → readHeaders, verifyMessage on memory DNS, every renderer; linear work',
  arbitrary: () =>
    fc.record({
      message: mutated(messageArb, { maxOps: 4 }),
      ip: fc.option(fc.constantFrom('192.0.2.7', '203.0.113.1', '2001:db8::1'), { nil: undefined }),
      repeatField: fieldArb,
      run: fc.constantFrom('(', '"', '[', '<', ',', ';', ':', '\\', '((a)', 'a@', '= ', ' '),
    }),
  weight: 30,
  slice: 120,
  async run({ message, ip, repeatField, run }, ctx) {
    const r = await verifyMessage(message, { resolver: RESOLVER, now: 1_700_000_000_000, ...(ip ? { ip } : {}) });
    ctx.check('verify-results', () => {
      if (!['pass', 'fail', 'none', 'temperror', 'permerror'].includes(r.dmarc.result)) return `dmarc ${r.dmarc.result}`;
      if (!['pass', 'fail', 'softfail', 'neutral', 'none', 'temperror', 'permerror'].includes(r.spf.result)) return `spf ${r.spf.result}`;
      if (r.connection.source === 'received' && !r.connection.ip) return 'a border hop without an address';
      if (r.received.filter((h) => h.role === 'border').length > 1) return 'two border hops';
      for (const f of r.findings) if (!/^(verify|dns|budget)-[a-z0-9-]+$/.test(f.code) && !/^[a-z]+-[a-z0-9-]+$/.test(f.code)) return `code ${f.code}`;
      return undefined;
    });
    renderAll(r, ctx);
    // Linear: twice the fields, and one field with twice the hostile run.
    const count = (text: string): number => {
      const w: Work = { steps: 0 };
      readHeaders(text, w);
      return w.steps;
    };
    const fields = (n: number) => `${Array.from({ length: n }, () => repeatField).join('\r\n')}\r\n\r\nx`;
    const a = count(fields(40));
    const b = count(fields(80));
    ctx.check('verify-linear-fields', () => (b <= 2.4 * a ? undefined : `work ${a} → ${b} for twice the fields`));
    const one = (n: number) => `Received: from ${run.repeat(n)} by x\r\nFrom: ${run.repeat(n)}a@example.org\r\nAuthentication-Results: x; ${run.repeat(n)}\r\n\r\nx`;
    const c = count(one(1500));
    const d = count(one(3000));
    ctx.check('verify-linear-field', () => (d <= 2.4 * c && d >= 1.5 * c ? undefined : `work ${c} → ${d} for twice the run ${JSON.stringify(run)}`));
  },
};

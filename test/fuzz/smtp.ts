// Targets `smtp-reply` and `smtp-probe`: what an SMTP server sends, from RFC 5321 §4.2's reply
// grammar (single and multi-line replies, enhanced codes) bent every way a server or a middlebox
// bends it (bad and mixed codes, bare LF and bare CR, no line end, lines far over 512 octets, NULs,
// escape sequences, floods), through the ReplyReader in chunks split anywhere; and as a whole
// dialogue through the real probe against a scripted peer on 127.0.0.1, then every renderer.
import * as fc from 'fast-check';
import * as net from 'node:net';
import type { Resolver } from '../../src/core/dns/types';
import { runCli } from '../../src/cli/main';
import { probeSmtp } from '../../src/core/smtp/probe';
import { DEFAULT_LIMITS, type ReaderEvent, ReplyReader } from '../../src/core/smtp/reply';
import type { Target } from './harness';
import { INTERESTING } from './mutate';
import { renderAll, unsafeAt } from './render';
import { worldResolver } from './world';

const codeArb = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom('220', '250', '354', '421', '450', '451', '452', '500', '501', '502', '504', '530', '550', '554') },
  { weight: 1, arbitrary: fc.constantFrom('600', '199', '55', '2500', 'abc', '', '25O', '\u0662\u0665\u0660', '099') },
);
const textArb = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('mail.example.test ESMTP Postfix', 'PIPELINING', 'SIZE 10240000', 'STARTTLS', '8BITMIME', 'ENHANCEDSTATUSCODES', 'AUTH PLAIN LOGIN', '2.0.0 Ok', '5.7.1 Service unavailable; client [192.0.2.1] blocked using zen.spamhaus.org', 'Hello [192.0.2.1]', 'mx.example.test Hello helo.example.test [203.0.113.5], pleased to meet you', 'Bye', '4.7.1 <DYNA-WEB>: Helo command rejected: need fully-qualified hostname') },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 20, unit: 'binary' }) },
  { weight: 1, arbitrary: fc.constantFrom(...INTERESTING) },
  { weight: 1, arbitrary: fc.integer({ min: 500, max: 5000 }).map((n) => 'x'.repeat(n)) },
);
const lineEnd = fc.oneof({ weight: 8, arbitrary: fc.constant('\r\n') }, { weight: 1, arbitrary: fc.constantFrom('\n', '\r', '', '\r\r\n', '\n\r') });

/** One reply: NNN-text lines then NNN text, sometimes with a different code or separator on a line. */
const replyArb = fc
  .tuple(codeArb, fc.array(fc.tuple(fc.option(codeArb, { nil: undefined, freq: 10 }), fc.constantFrom('-', '-', '-', ' ', '', '\t'), textArb, lineEnd), { maxLength: 6 }), fc.constantFrom(' ', ' ', '', '-'), textArb, lineEnd)
  .map(([code, middle, sep, last, end]) => middle.map(([c, s, t, e]) => `${c ?? code}${s}${t}${e}`).join('') + `${code}${sep}${last}${end}`);

export interface ReplyInput {
  replies: string[];
  /** Where to cut the byte stream into chunks (fractions). */
  cuts: number[];
  /** A flood: one reply repeated this many times (0: none). */
  flood: number;
  limits: { maxLine: number; maxTotal: number; maxLines: number };
}

function streamOf(input: ReplyInput): Buffer {
  const text = input.replies.join('') + (input.flood > 0 ? (input.replies[0] ?? '250-x\r\n').repeat(input.flood) : '');
  return Buffer.from(text, 'utf8');
}

function feedAll(reader: ReplyReader, chunks: Buffer[]): ReaderEvent[] {
  const out: ReaderEvent[] = [];
  for (const c of chunks) {
    const ev = reader.feed(c);
    out.push(...ev);
    if (ev.some((e) => e.kind === 'error')) break;
  }
  return out;
}

export const smtpReplyTarget: Target<ReplyInput> = {
  name: 'smtp-reply',
  what: 'SMTP replies from RFC 5321 §4.2 (multi-line, bad and mixed codes, bare LF/CR, no line end, huge lines, floods) in chunks split anywhere → ReplyReader',
  arbitrary: () =>
    fc.record({
      replies: fc.array(replyArb, { minLength: 1, maxLength: 8 }),
      cuts: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 12 }),
      flood: fc.oneof({ weight: 120, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 10, max: 600 }) }),
      limits: fc.oneof(fc.constant(DEFAULT_LIMITS), fc.record({ maxLine: fc.integer({ min: 1, max: 4096 }), maxTotal: fc.integer({ min: 1, max: 100_000 }), maxLines: fc.integer({ min: 1, max: 200 }) })),
    }),
  weight: 120,
  slice: 1000,
  run(input, ctx) {
    const bytes = streamOf(input);
    const whole = new ReplyReader(input.limits);
    const eventsWhole = feedAll(whole, [bytes]);
    const offsets = [...new Set(input.cuts.map((c) => Math.floor(c * bytes.length)))].sort((a, b) => a - b);
    const chunks: Buffer[] = [];
    let prev = 0;
    for (const o of [...offsets, bytes.length]) {
      if (o > prev) chunks.push(bytes.subarray(prev, o));
      prev = Math.max(prev, o);
    }
    const lines: string[] = [];
    const split = new ReplyReader(input.limits, (l) => lines.push(l));
    const eventsSplit = feedAll(split, chunks);
    ctx.check('smtp-escaped', () => {
      for (const l of lines) {
        const p = unsafeAt(l, true);
        if (p) return `transcript line: ${p}`;
      }
      for (const e of eventsSplit) {
        for (const t of e.kind === 'reply' ? [...e.reply.lines, ...e.reply.raw] : [e.message, ...e.partial]) {
          const p = unsafeAt(t, true);
          if (p) return `${e.kind}: ${p}`;
        }
      }
      return undefined;
    });
    // Bounded: what is held back is never more than a line and the lines of one reply.
    ctx.check('smtp-bounded', () =>
      eventsSplit.some((e) => e.kind === 'error') || split.pendingBytes() <= input.limits.maxLine + 2 + input.limits.maxLines * (input.limits.maxLine + 2)
        ? undefined
        : `${split.pendingBytes()} octets pending`,
    );
    // How the bytes are cut into chunks does not change the replies (below the session limit, which
    // is checked per chunk by design).
    if (bytes.length <= input.limits.maxTotal) {
      ctx.check('smtp-chunking', () => {
        // The wording of a line-too-long error says what was seen when it was seen; the rest must match.
        const same = (evs: ReaderEvent[]) => JSON.stringify(evs.map((e) => (e.kind === 'error' ? { error: e.error, partial: e.partial } : e)));
        const a = same(eventsWhole);
        const b = same(eventsSplit);
        return a === b ? undefined : `whole: ${a.slice(0, 300)} … split: ${b.slice(0, 300)}`;
      });
    }
  },
};

// --- the whole probe against a scripted peer ----------------------------------------------------------

export interface ProbeInput {
  /** Replies to the greeting, EHLO (or HELO), STARTTLS, QUIT, … in order. */
  replies: string[];
  /** After the scripted replies: close, reset, or fall silent (the probe's timeout then ends it). */
  end: 'close' | 'reset';
  starttls: boolean;
  ehloName: string | undefined;
  viaCli: boolean;
}

interface Peer {
  port: number;
  server: net.Server;
  script: ProbeInput | undefined;
}

let peer: Peer | undefined;

function startPeer(): Promise<Peer> {
  const p: Peer = { port: 0, server: net.createServer(), script: undefined };
  p.server.on('connection', (socket) => {
    const script = p.script;
    socket.on('error', () => {});
    if (!script) {
      socket.destroy();
      return;
    }
    const replies = [...script.replies];
    // A reply without its line end leaves the probe waiting for the rest and the peer for a
    // command: when the client says nothing for a moment, the script goes on by itself.
    let idle: NodeJS.Timeout | undefined;
    socket.on('close', () => clearTimeout(idle));
    const next = () => {
      clearTimeout(idle);
      const r = replies.shift();
      if (r === undefined) {
        if (script.end === 'reset') socket.resetAndDestroy();
        else socket.end();
        return;
      }
      socket.write(r);
      idle = setTimeout(next, 40);
    };
    next();
    let pending = '';
    socket.on('data', (d) => {
      pending += d.toString('latin1');
      // One reply per command line the client sends (after the TLS attempt the bytes are binary).
      while (pending.includes('\n')) {
        pending = pending.slice(pending.indexOf('\n') + 1);
        next();
      }
      if (pending.length > 0 && /^\x16\x03/.test(pending)) {
        pending = '';
        next();
      }
    });
  });
  return new Promise((resolve) => p.server.listen(0, '127.0.0.1', () => {
    p.port = (p.server.address() as net.AddressInfo).port;
    resolve(p);
  }));
}

const NO_DNS: Resolver = worldResolver({ records: [], faults: {}, zones: [] });

export const smtpProbeTarget: Target<ProbeInput> = {
  name: 'smtp-probe',
  what: 'a scripted SMTP peer on 127.0.0.1 sending generated replies (then closing or resetting) → probeSmtp and `maildns smtp` → every renderer',
  arbitrary: () =>
    fc.record({
      replies: fc.array(fc.oneof({ weight: 5, arbitrary: replyArb }, { weight: 1, arbitrary: fc.array(replyArb, { maxLength: 3 }).map((r) => r.join('')) }), { minLength: 0, maxLength: 6 }),
      end: fc.constantFrom('close' as const, 'reset' as const),
      starttls: fc.boolean(),
      ehloName: fc.option(fc.constantFrom('probe.example.test', '[127.0.0.1]', 'x y', '', 'a\u0000b'), { nil: undefined }),
      viaCli: fc.integer({ min: 0, max: 3 }).map((n) => n === 0),
    }),
  weight: 5,
  slice: 80,
  expected: (e) => e instanceof Error && e.name === 'InputError',
  async setup() {
    peer = await startPeer();
  },
  async teardown() {
    const p = peer;
    peer = undefined;
    if (p) await new Promise<void>((resolve) => p.server.close(() => resolve()));
  },
  async run(input, ctx) {
    if (!peer) peer = await startPeer();
    peer.script = input;
    // Every script ends in a close or a reset, so no step waits out this timeout.
    if (input.viaCli) {
      // `maildns smtp`, which makes its own resolver: no name is looked up for an address, and the
      // PTR lookup of 127.0.0.1 goes to a closed loopback port (refused at once).
      let out = '';
      const code = await runCli(['smtp', `127.0.0.1:${peer.port}`, '--resolver', '127.0.0.1:9', '--timeout', '1500', ...(input.ehloName !== undefined ? ['--ehlo', input.ehloName] : [])], { out: (t) => void (out += t), err: (t) => void (out += t) });
      ctx.check('cli-exit', () => ([0, 1, 2].includes(code) ? undefined : `exit status ${code}`));
      ctx.check('cli-controls', () => unsafeAt(out));
      return;
    }
    const r = await probeSmtp('127.0.0.1', peer.port, { resolver: NO_DNS, timeoutMs: 1500, starttls: input.starttls, ...(input.ehloName !== undefined ? { ehloName: input.ehloName } : {}) });
    renderAll(r, ctx);
  },
};

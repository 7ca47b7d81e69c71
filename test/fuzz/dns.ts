// Target `dns`: DNS reply packets through the real resolver's decode path, then every check and
// renderer. The world of ./world.ts is encoded with dns-packet as the replies a server would send
// (every record type the checks read, CNAMEs, SOA in the authority section), then byte-mutated:
// truncation, flipped and set bytes, wrong section counts, RDLENGTH lies, compression pointers that
// loop or point past the end, bad label lengths, TC/QR/opcode/rcode bits, garbage, trailing data,
// a wrong ID or question (dropped by the resolver, which then gets the clean reply), and sockets that
// fail. TC=1 replies go on over "TCP", with a length prefix that may lie and chunks split anywhere.
//
// No packet leaves the process: `dgram.createSocket` and `net.connect` are replaced, while this
// target runs (in its own worker thread), by in-memory sockets that answer from the world. The
// resolver's code (src/core/dns/resolver.ts, transport.ts) runs unchanged.
import dgram = require('node:dgram');
import { EventEmitter } from 'node:events';
import net = require('node:net');
import * as fc from 'fast-check';
import * as packet from 'dns-packet';
import { runCli } from '../../src/cli/main';
import { createResolver } from '../../src/core/dns/resolver';
import type { DnsRecord } from '../../src/core/dns/types';
import { type CheckCall, checkCallArb, isInputError, runCheck } from './checks';
import type { FuzzContext, Target } from './harness';
import { hash32, prng } from './mutate';
import { renderAll, unsafeAt } from './render';
import { parseIp } from '../../src/core/ip';
import { answersFor, type World, WORLD_NAMES, worldArb } from './world';

export interface DnsInput {
  world: World;
  call: CheckCall;
  /** Through `maildns` (src/cli/main.ts) instead of the core function: argument parsing, output, exit status. */
  viaCli?: boolean;
  json?: boolean;
  /** Keys the mutations of every reply (with the question and the attempt number). */
  mutationSeed: number;
  /** Share of replies mutated, in percent. */
  mutationRate: number;
  /** Most mutations on one reply. */
  maxMutations: number;
}

// --- encoding the world as replies -------------------------------------------------------------------

function toAnswer(r: DnsRecord): packet.Answer {
  // A copy: dns-packet's encoder turns TXT strings into Buffers in place, and the world is the input.
  // TXT strings go out as character-strings of at most 255 octets (RFC 1035 §3.3), as a server splits them.
  const data = Array.isArray(r.data)
    ? (r.data as unknown[]).flatMap((s) => {
        const b = Buffer.from(String(s));
        const parts: Buffer[] = [];
        for (let o = 0; o < b.length; o += 255) parts.push(b.subarray(o, o + 255));
        return parts.length > 0 ? parts : [b];
      })
    : r.data && typeof r.data === 'object'
      ? { ...(r.data as object) }
      : r.data;
  return { name: r.name, type: r.type as packet.RecordType, class: 'IN', ttl: r.ttl, data } as packet.Answer;
}

/** The reply a recursive server would send: the records at the name (following one CNAME), SOA when empty. */
function cleanReply(world: World, id: number, name: string, type: string): Buffer {
  const q = { name, type: type as packet.RecordType, class: 'IN' as const };
  const fault = world.faults[`${name}|${type}`];
  const rcodeOf = (r: string) => (['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED'].includes(r) ? r : 'SERVFAIL');
  const { records, exists, soa } = answersFor(world, name);
  let answers = records.filter((r) => r.type === type || r.type === 'CNAME');
  const cname = answers.find((r) => r.type === 'CNAME');
  if (cname && type !== 'CNAME') answers = [...answers, ...answersFor(world, String(cname.data)).records.filter((r) => r.type === type)];
  const rcode = fault !== undefined ? rcodeOf(fault) : exists ? 'NOERROR' : 'NXDOMAIN';
  const base = { type: 'response' as const, id, flags: packet.AUTHORITATIVE_ANSWER | packet.RECURSION_DESIRED | packet.RECURSION_AVAILABLE, questions: [q] };
  try {
    const buf = packet.encode({ ...base, rcode, answers: fault !== undefined ? [] : answers.map(toAnswer), authorities: soa && answers.length === 0 ? [toAnswer(soa)] : [] } as packet.Packet);
    // dns-packet writes a label over 63 octets without complaint, and the result does not decode:
    // a server would not send that, so it fails instead (mutations make the broken packets).
    packet.decode(buf);
    return buf;
  } catch {
    // A record dns-packet cannot encode (a label over 63 octets, a name over 255): the server fails.
    return packet.encode({ ...base, rcode: 'SERVFAIL' } as packet.Packet);
  }
}

/** Offsets of the name fields in a packet (question, owners, and the names inside PTR/CNAME/NS/MX RDATA). */
function nameOffsets(buf: Buffer): { names: number[]; rdlengths: number[] } {
  const names: number[] = [];
  const rdlengths: number[] = [];
  const skipName = (o: number): number => {
    for (let guard = 0; o < buf.length && guard < 128; guard++) {
      const len = buf[o];
      if (len === 0) return o + 1;
      if ((len & 0xc0) === 0xc0) return o + 2;
      o += len + 1;
    }
    return buf.length;
  };
  if (buf.length < 12) return { names, rdlengths };
  let o = 12;
  const qd = buf.readUInt16BE(4);
  for (let i = 0; i < qd && o < buf.length; i++) {
    names.push(o);
    o = skipName(o) + 4;
  }
  const rrs = buf.readUInt16BE(6) + buf.readUInt16BE(8) + buf.readUInt16BE(10);
  for (let i = 0; i < rrs && o + 10 <= buf.length; i++) {
    names.push(o);
    o = skipName(o);
    if (o + 10 > buf.length) break;
    const type = buf.readUInt16BE(o);
    rdlengths.push(o + 8);
    const rdlen = buf.readUInt16BE(o + 8);
    const rdata = o + 10;
    // PTR, CNAME, NS, DNAME hold a name; MX a name after the preference.
    if (type === 12 || type === 5 || type === 2 || type === 39) names.push(rdata);
    if (type === 15) names.push(rdata + 2);
    o = rdata + rdlen;
  }
  return { names, rdlengths };
}

/** Bends a reply: each mutation picked by the seeded generator. */
export function mutateReply(clean: Buffer, rand: () => number, max: number): { buf: Buffer; ops: string[] } {
  let buf = Buffer.from(clean);
  const ops: string[] = [];
  const n = 1 + Math.floor(rand() * max);
  const at = (len: number) => Math.floor(rand() * Math.max(1, len));
  for (let k = 0; k < n; k++) {
    const { names, rdlengths } = nameOffsets(buf);
    const op = Math.floor(rand() * 13);
    switch (op) {
      case 0:
        if (buf.length > 0) buf[at(buf.length)] ^= 1 << at(8);
        ops.push('flip');
        break;
      case 1:
        if (buf.length > 0) buf[at(buf.length)] = at(256);
        ops.push('byte');
        break;
      case 2:
        buf = buf.subarray(0, at(buf.length + 1));
        ops.push('truncate');
        break;
      case 3:
        if (buf.length >= 12) buf.writeUInt16BE(rand() < 0.5 ? at(6) : [0, 0xffff, 0x8000, 200][at(4)], 4 + 2 * at(4));
        ops.push('count');
        break;
      case 4:
        if (rdlengths.length > 0) {
          const o = rdlengths[at(rdlengths.length)];
          const cur = buf.readUInt16BE(o);
          buf.writeUInt16BE(rand() < 0.5 ? Math.max(0, Math.min(0xffff, cur + at(41) - 20)) : [0, 0xffff, 1, 255][at(4)], o);
        }
        ops.push('rdlength');
        break;
      case 5:
        if (names.length > 0) {
          // A compression pointer (RFC 1035 §4.1.4): to itself, to the question, anywhere, past the end.
          const o = names[at(names.length)];
          if (o + 1 < buf.length) {
            const target = [o, 12, at(buf.length), buf.length + at(300), 0x3fff][at(5)];
            buf[o] = 0xc0 | ((target >> 8) & 0x3f);
            buf[o + 1] = target & 0xff;
          }
        }
        ops.push('pointer');
        break;
      case 6:
        if (names.length > 0) {
          const o = names[at(names.length)];
          if (o < buf.length) buf[o] = [63, 64, 0x40, 0x80, 0xbf, 255, 1][at(7)];
        }
        ops.push('label');
        break;
      case 7:
        if (buf.length >= 4) {
          // TC, QR, opcode, AA, rcode (0-15: the unassigned ones too).
          const which = at(4);
          if (which === 0) buf[2] |= 0x02;
          else if (which === 1) buf[2] &= 0x7f;
          else if (which === 2) buf[2] = (buf[2] & 0x87) | (at(16) << 3);
          else buf[3] = (buf[3] & 0xf0) | at(16);
        }
        ops.push('flags');
        break;
      case 8:
        buf = Buffer.from(Array.from({ length: at(80) }, () => at(256)));
        ops.push('garbage');
        break;
      case 9:
        buf = Buffer.concat([buf, rand() < 0.5 ? buf.subarray(12) : Buffer.from(Array.from({ length: at(40) }, () => at(256)))]);
        ops.push('append');
        break;
      case 10:
        if (buf.length >= 2) buf.writeUInt16BE(at(65536), 0);
        ops.push('id');
        break;
      case 11:
        // The question's type or a byte of its name: the resolver must drop it as not its own.
        if (buf.length > 14) buf[12 + at(Math.min(buf.length - 12, 20))] ^= 0x20 | (1 << at(5));
        ops.push('question');
        break;
      default:
        // An EDNS OPT in the answer section, or a record of another class: decoders choke on both.
        if (buf.length >= 12) {
          const opt = Buffer.from([0, 0, 41, 0x10, 0, 0, 0, 0, 0, 0, 0]);
          buf = Buffer.concat([buf, opt]);
          buf.writeUInt16BE((buf.readUInt16BE(6) + 1) & 0xffff, 6);
        }
        ops.push('opt-in-answers');
        break;
    }
  }
  return { buf, ops };
}

// --- in-memory sockets --------------------------------------------------------------------------------

/** The world the sockets answer from while an input runs (one input at a time per worker). */
interface Server {
  world: World;
  input: DnsInput;
  attempts: Map<string, number>;
}

let current: Server | undefined;

function questionOf(query: Buffer): { id: number; name: string; type: string } | undefined {
  try {
    const p = packet.decode(query);
    const q = p.questions?.[0];
    return q ? { id: p.id ?? 0, name: q.name.toLowerCase(), type: q.type } : undefined;
  } catch {
    return undefined;
  }
}

function replyFor(query: Buffer, transport: 'udp' | 'tcp'): { replies: Buffer[]; fail: boolean } {
  const s = current;
  if (process.env.FUZZ_DNS_DEBUG) process.stderr.write(`${transport} ${JSON.stringify(questionOf(query))}\n`);
  const q = questionOf(query);
  if (!s || !q) return { replies: [], fail: true };
  const key = `${q.name}|${q.type}|${transport}`;
  const attempt = (s.attempts.get(key) ?? 0) + 1;
  s.attempts.set(key, attempt);
  const rand = prng(hash32(`${key}|${attempt}`, s.input.mutationSeed >>> 0));
  const clean = cleanReply(s.world, q.id, q.name, q.type);
  // A few exchanges fail at the socket (ICMP port unreachable, a reset).
  if (rand() < 0.03) return { replies: [], fail: true };
  if (rand() * 100 >= s.input.mutationRate) return { replies: [clean], fail: false };
  const { buf } = mutateReply(clean, rand, s.input.maxMutations);
  // Then the clean reply: if the mutated one was dropped (wrong ID, question, undecodable), it answers.
  return { replies: [buf, clean], fail: false };
}

class FakeUdpSocket extends EventEmitter {
  private closed = false;
  connect(_port: number, _host: string, cb?: () => void): void {
    setImmediate(() => cb?.());
  }
  send(msg: Buffer, cb?: (err?: Error) => void): void {
    const { replies, fail } = replyFor(Buffer.from(msg), 'udp');
    setImmediate(() => {
      cb?.();
      if (this.closed) return;
      if (fail) {
        const err = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
        this.emit('error', err);
        return;
      }
      for (const r of replies) if (!this.closed) this.emit('message', r, { address: '127.0.0.1', port: 53, family: 'IPv4', size: r.length });
    });
  }
  close(): void {
    this.closed = true;
  }
  bind(): this {
    return this;
  }
  unref(): this {
    return this;
  }
  ref(): this {
    return this;
  }
}

class FakeTcpSocket extends EventEmitter {
  private destroyed = false;
  private buffered = Buffer.alloc(0);
  constructor() {
    super();
    setImmediate(() => !this.destroyed && this.emit('connect'));
  }
  write(data: Buffer): boolean {
    this.buffered = Buffer.concat([this.buffered, data]);
    if (this.buffered.length < 2) return true;
    const len = this.buffered.readUInt16BE(0);
    if (this.buffered.length < 2 + len) return true;
    const { replies, fail } = replyFor(this.buffered.subarray(2, 2 + len), 'tcp');
    const rand = prng(hash32(this.buffered.toString('latin1')));
    setImmediate(() => {
      if (this.destroyed) return;
      if (fail) {
        this.emit('error', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }));
        this.emit('close');
        return;
      }
      // Framed (RFC 1035 §4.2.2), the length sometimes lying, sent in pieces of any size.
      const framed = Buffer.concat(
        replies.map((r) => {
          const f = Buffer.alloc(2 + r.length);
          f.writeUInt16BE(rand() < 0.15 ? Math.floor(rand() * 65536) : r.length, 0);
          r.copy(f, 2);
          return f;
        }),
      );
      let o = 0;
      while (o < framed.length && !this.destroyed) {
        const n = 1 + Math.floor(rand() * Math.max(1, framed.length - o));
        this.emit('data', framed.subarray(o, o + n));
        o += n;
      }
      if (!this.destroyed) this.emit('close');
    });
    return true;
  }
  destroy(): this {
    this.destroyed = true;
    return this;
  }
  end(): this {
    return this.destroy();
  }
  setNoDelay(): this {
    return this;
  }
  setTimeout(): this {
    return this;
  }
  unref(): this {
    return this;
  }
  ref(): this {
    return this;
  }
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
const dgramModule = dgram as Mutable<typeof dgram>;
const netModule = net as Mutable<typeof net>;
let saved: { createSocket: typeof dgram.createSocket; connect: typeof net.connect } | undefined;

/** Puts the in-memory sockets in place of the real ones (this worker only), until `uninstall`. */
export function installFakeSockets(): void {
  if (saved) return;
  saved = { createSocket: dgram.createSocket, connect: net.connect };
  dgramModule.createSocket = (() => new FakeUdpSocket()) as unknown as typeof dgram.createSocket;
  netModule.connect = (() => new FakeTcpSocket()) as unknown as typeof net.connect;
}

export function uninstallFakeSockets(): void {
  if (!saved) return;
  dgramModule.createSocket = saved.createSocket;
  netModule.connect = saved.connect;
  saved = undefined;
}

export const dnsTarget: Target<DnsInput> = {
  name: 'dns',
  what: 'the world encoded as DNS replies and byte-mutated (truncation, pointers, counts, RDLENGTH, flags, TC→TCP framing) → the real resolver → every check (core and `maildns`) → every renderer',
  arbitrary: () =>
    fc.record({
      world: worldArb,
      call: checkCallArb,
      mutationSeed: fc.nat(),
      mutationRate: fc.constantFrom(0, 10, 30, 60, 100),
      maxMutations: fc.integer({ min: 1, max: 4 }),
      viaCli: fc.integer({ min: 0, max: 3 }).map((n) => n === 0),
      json: fc.boolean(),
    }),
  weight: 30,
  slice: 250,
  expected: isInputError,
  setup: installFakeSockets,
  teardown: uninstallFakeSockets,
  async run(input, ctx) {
    current = { world: input.world, input, attempts: new Map() };
    try {
      if (input.viaCli) {
        await runCliCheck(input.call, input.json, ctx);
        return;
      }
      // The 127.0.0.1:53 here is only a label: the in-memory sockets answer every question.
      const resolver = createResolver({ servers: ['127.0.0.1:53'], timeoutMs: 250, retries: 2 });
      const result = await runCheck(input.call, resolver);
      renderAll(result, ctx);
    } finally {
      current = undefined;
    }
  },
};

/** The same check as the `maildns` command line runs it, answered by the in-memory sockets. */
async function runCliCheck(call: CheckCall, json: boolean | undefined, ctx: FuzzContext): Promise<void> {
  const dns = ['--resolver', '127.0.0.1:53', '--timeout', '250', ...(json ? ['--json'] : [])];
  const argv: Record<CheckCall['kind'], string[]> = {
    rdns: ['rdns', call.ip],
    spf: ['spf', call.ip, call.domain, '--helo', call.helo, ...(call.sender !== undefined ? ['--sender', call.sender] : [])],
    'spf-pair': ['spf', `${call.ip},${call.ip2}`, call.domain],
    'send-as': ['send-as', call.ip, call.domain],
    helo: ['helo', call.helo, ...(call.ip !== '' ? ['--ip', call.ip] : [])],
    mx: ['mx', call.domain],
    dnsbl: ['dnsbl', call.ip, ...call.zones.flatMap((z) => ['--zone', z])],
    mailcheck: ['check', call.ip, '--helo', call.helo, '--from', call.domain, ...call.zones.flatMap((z) => ['--zone', z])],
    dmarc: ['dmarc', call.sender && call.sender.includes('@') ? call.sender : call.domain],
  };
  let out = '';
  let err = '';
  const code = await runCli([...argv[call.kind], ...dns], { out: (t) => void (out += t), err: (t) => void (err += t) });
  ctx.check('cli-exit', () => ([0, 1, 2].includes(code) ? undefined : `exit status ${code}`));
  ctx.check('cli-controls', () => unsafeAt(out) ?? unsafeAt(err));
  if (json && code !== 2 && out !== '') ctx.check('json', () => (typeof JSON.parse(out) === 'object' ? undefined : 'not a JSON object'));
}

// --- decode only: many more replies, each checked for the shape the checks rely on ----------------------

export interface DecodeInput extends Omit<DnsInput, 'call'> {
  name: string;
  type: 'A' | 'AAAA' | 'PTR' | 'MX' | 'TXT' | 'SOA' | 'CNAME' | 'NS';
  follow: boolean;
}

/** What is wrong with a decoded record for the type it claims, or undefined. */
export function recordShapeProblem(r: DnsRecord): string | undefined {
  const d = r.data as unknown;
  if (typeof r.name !== 'string' || typeof r.type !== 'string') return 'name or type is not a string';
  if (!Number.isFinite(r.ttl) || r.ttl < 0) return `ttl ${r.ttl}`;
  switch (r.type) {
    case 'A':
    case 'AAAA': {
      const p = parseIp(String(d));
      return p.ok && p.family === (r.type === 'A' ? 4 : 6) ? undefined : `${r.type} data ${JSON.stringify(d)}`;
    }
    case 'PTR':
    case 'CNAME':
    case 'NS':
    case 'DNAME':
      return typeof d === 'string' ? undefined : `${r.type} data is ${typeof d}`;
    case 'MX': {
      const mx = d as { preference?: unknown; exchange?: unknown };
      return typeof mx?.preference === 'number' && typeof mx.exchange === 'string' ? undefined : `MX data ${JSON.stringify(d)}`;
    }
    case 'TXT':
    case 'SPF':
      return Array.isArray(d) && d.every((s) => typeof s === 'string') ? undefined : `${r.type} data ${JSON.stringify(d)}`;
    case 'SOA': {
      const s = d as Record<string, unknown>;
      return typeof s?.mname === 'string' && typeof s.rname === 'string' && typeof s.minimum === 'number' ? undefined : `SOA data ${JSON.stringify(d)}`;
    }
    default:
      return undefined;
  }
}

export const dnsDecodeTarget: Target<DecodeInput> = {
  name: 'dns-decode',
  what: 'one question, its reply encoded from the world and byte-mutated → the real resolver (UDP, TC→TCP, retries) → every decoded record has the shape its type promises',
  arbitrary: () =>
    fc.record({
      world: worldArb,
      name: fc.constantFrom(...WORLD_NAMES),
      type: fc.constantFrom('A' as const, 'AAAA' as const, 'PTR' as const, 'MX' as const, 'TXT' as const, 'SOA' as const, 'CNAME' as const, 'NS' as const),
      follow: fc.boolean(),
      mutationSeed: fc.nat(),
      mutationRate: fc.constantFrom(30, 60, 100),
      maxMutations: fc.integer({ min: 1, max: 4 }),
    }),
  weight: 200,
  slice: 500,
  setup: installFakeSockets,
  teardown: uninstallFakeSockets,
  async run(input, ctx) {
    current = { world: input.world, input: { ...input, call: undefined as unknown as CheckCall }, attempts: new Map() };
    try {
      const resolver = createResolver({ servers: ['127.0.0.1:53'], timeoutMs: 250, retries: 2 });
      const r = input.follow ? await resolver.lookup(input.name, input.type) : await resolver.query(input.name, input.type);
      ctx.check('dns-shape', () => {
        for (const rec of [...r.answers, ...r.authorities]) {
          const p = recordShapeProblem(rec);
          if (p) return `${rec.name} ${rec.type}: ${p}`;
        }
        return typeof r.rcode === 'string' ? undefined : `rcode ${String(r.rcode)}`;
      });
      JSON.stringify(r);
    } finally {
      current = undefined;
    }
  },
};

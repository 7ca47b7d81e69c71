// A small scripted DNS server for tests: answers from a fixed record set, or misbehaves on purpose
// per query name (silence, truncation, error rcodes, wrong IDs, wrong questions, garbage, delays).
// UDP and TCP on the same 127.0.0.1 port. Built on dns-packet.
//
//   const dns = await startFaultDns({
//     records: {
//       'mail.example.com': { A: ['192.0.2.10'], TTL: 300 },
//       '10.2.0.192.in-addr.arpa': { PTR: ['mail.example.com'] },
//     },
//     behaviours: { 'slow.example.com': { kind: 'delay', ms: 500 } },
//   });
//   … query dns.server …
//   await dns.stop();
//
// Records: either the simple map above, name → { TTL?, A?, AAAA?, PTR?, CNAME?, NS?, TXT?, MX? }
// (names case-insensitive, trailing dot optional, TTL default 300), or an array of dns-packet
// answer objects ({ name, type, ttl, data }). Lookups follow CNAMEs inside the record set.
//
// Answers ('answer' behaviour): the matching RRset with AA=1; NXDOMAIN when the name has no
// records (and no records below it); NODATA (NOERROR, empty) when it has records of other types.
// Over UDP a reply larger than 512 bytes (or the query's EDNS size) goes out with TC=1 and no
// answers, as a real server does; over TCP it goes out whole.
//
// Behaviour lookup: behaviours[qname] (lower case, no trailing dot), else behaviours['*'], else
// { kind: 'answer' }.
//
// Hostile behaviours (a server that attacks its client rather than fails it) write their replies
// byte by byte, since dns-packet will not encode what is wrong on purpose: compression pointer
// loops, records whose RDATA does not fit their type, 64 KB replies of thousands of records, endless
// CNAME chains, a TCP reply dripped one byte at a time, and TCP streams of garbage. `HOSTILE_MODES`
// lists them, for tests that run every command against every one.

import type * as dgram from 'node:dgram';
import type * as net from 'node:net';
import { randomBytes } from 'node:crypto';
import * as dnsPacket from 'dns-packet';
import { LOOPBACK, bindUdpAndTcp } from './ports';

export type FaultRcode = 'SERVFAIL' | 'REFUSED' | 'NOTIMP' | 'FORMERR';

export type Behaviour =
  /** Answer from the records (default). */
  | { kind: 'answer' }
  /** Never reply. */
  | { kind: 'silent' }
  /** Over UDP reply with TC=1 and no answers; over TCP answer fully. */
  | { kind: 'truncate' }
  /** Reply with this rcode, the question echoed, no answers. */
  | { kind: 'rcode'; rcode: FaultRcode }
  /** Reply (with the right answers) under another ID; never under the right one. */
  | { kind: 'wrong-id' }
  /** Reply with the right ID but a different question name (`wrong-question.invalid`). */
  | { kind: 'wrong-question' }
  /**
   * Reply with bytes that are not a DNS message: the query's ID, then a header claiming 65535
   * questions, then random bytes. A client that matches replies by ID takes it and must fail to
   * parse it.
   */
  | { kind: 'garbage' }
  /** Wait `ms`, then behave as `then` (default: answer). Other queries are not held up. */
  | { kind: 'delay'; ms: number; then?: Behaviour }
  /**
   * The question echoed, and one answer whose owner name is a compression pointer to itself (a
   * loop) or, with `chain`, the end of a chain of that many pointers, each to the one before.
   */
  | { kind: 'pointer-loop'; chain?: number }
  /**
   * One record of the asked type whose RDATA does not fit the type: A of 3 octets, AAAA of 15, a
   * name (PTR, CNAME, NS, MX) running past its RDLENGTH, a TXT string longer than its RDATA, an SOA
   * without its numbers. Other types: an A record of 3 octets.
   */
  | { kind: 'bad-rdata' }
  /**
   * As many records of the asked type as fit in one message (`count` at most): over UDP a TC=1
   * reply, over TCP up to 65535 octets. Names in the records are `r<n>.<qname>`, so following
   * them (MX hosts, PTR names) meets another flood.
   */
  | { kind: 'flood'; count?: number }
  /** Every name is a CNAME to the next: `c<n>.<rest>` → `c<n+1>.<rest>`, any other name → `c1.<name>`. */
  | { kind: 'cname-chain' }
  /** Over UDP TC=1; over TCP the reply (as `then`, default answer) one octet every `ms` ms. */
  | { kind: 'drip'; ms: number; then?: Behaviour }
  /** Over UDP TC=1; over TCP `bytes` (default 1 MiB) of random octets, without framing, then silence. */
  | { kind: 'tcp-garbage'; bytes?: number };

/** The hostile behaviours, one of each, for tests that run everything against all of them. */
export const HOSTILE_MODES: Record<string, Behaviour> = {
  silence: { kind: 'silent' },
  garbage: { kind: 'garbage' },
  'wrong-id': { kind: 'wrong-id' },
  'wrong-question': { kind: 'wrong-question' },
  'pointer-loop': { kind: 'pointer-loop' },
  'pointer-chain': { kind: 'pointer-loop', chain: 2000 },
  'bad-rdata': { kind: 'bad-rdata' },
  'flood-64k': { kind: 'flood' },
  'cname-chain': { kind: 'cname-chain' },
  'slow-drip': { kind: 'drip', ms: 20, then: { kind: 'flood' } },
  'truncated-then-garbage': { kind: 'tcp-garbage' },
};

export interface SimpleRecords {
  TTL?: number;
  A?: string[];
  AAAA?: string[];
  PTR?: string[];
  NS?: string[];
  CNAME?: string;
  TXT?: string[];
  MX?: { preference: number; exchange: string }[];
}

export type RecordMap = Record<string, SimpleRecords>;

export interface FaultDnsOptions {
  records?: RecordMap | dnsPacket.Answer[];
  behaviours?: Record<string, Behaviour>;
  /** Extra delay before every reply, each on its own timer (replies do not queue behind it). */
  delayMs?: number;
}

export interface QueryLog {
  /** Query name, lower case, no trailing dot. */
  name: string;
  type: string;
  transport: 'udp' | 'tcp';
}

export interface FaultDnsServer {
  host: '127.0.0.1';
  port: number;
  /** `127.0.0.1:PORT` */
  server: string;
  /** Every well-formed query received, in arrival order (this array grows in place). */
  queries: QueryLog[];
  /** Set (or with null, clear) the behaviour for a name ('*' for every name without its own). */
  setBehaviour(name: string, behaviour: Behaviour | null): void;
  /** Resolves once at least `count` queries have arrived; rejects if the server stops first. */
  waitForQueries(count: number): Promise<void>;
  /** Closes both sockets and every TCP connection, cancels pending delayed replies. */
  stop(): Promise<void>;
}

const RCODES: Record<FaultRcode | 'NOERROR' | 'NXDOMAIN', number> = {
  NOERROR: 0,
  FORMERR: 1,
  SERVFAIL: 2,
  NXDOMAIN: 3,
  NOTIMP: 4,
  REFUSED: 5,
};

const QR = 0x8000;
const MAX_CNAME_HOPS = 8;

export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

function toAnswers(records: RecordMap | dnsPacket.Answer[] | undefined): dnsPacket.Answer[] {
  if (!records) return [];
  if (Array.isArray(records)) return records.map((r) => ({ ...r, name: normalizeName(r.name) }) as dnsPacket.Answer);
  const out: dnsPacket.Answer[] = [];
  for (const [rawName, set] of Object.entries(records)) {
    const name = normalizeName(rawName);
    const ttl = set.TTL ?? 300;
    for (const a of set.A ?? []) out.push({ name, type: 'A', ttl, data: a });
    for (const a of set.AAAA ?? []) out.push({ name, type: 'AAAA', ttl, data: a });
    for (const p of set.PTR ?? []) out.push({ name, type: 'PTR', ttl, data: normalizeName(p) });
    for (const n of set.NS ?? []) out.push({ name, type: 'NS', ttl, data: normalizeName(n) });
    if (set.CNAME) out.push({ name, type: 'CNAME', ttl, data: normalizeName(set.CNAME) });
    for (const t of set.TXT ?? []) out.push({ name, type: 'TXT', ttl, data: t });
    for (const m of set.MX ?? []) out.push({ name, type: 'MX', ttl, data: { ...m, exchange: normalizeName(m.exchange) } });
  }
  return out;
}

interface Reply {
  rcode: number;
  answers: dnsPacket.Answer[];
}

// --- hand-written replies (hostile behaviours) -----------------------------------------------------

const TYPE_CODES: Record<string, number> = { A: 1, NS: 2, CNAME: 5, SOA: 6, PTR: 12, MX: 15, TXT: 16, AAAA: 28 };
/** A compression pointer to the question's name, which always starts at offset 12. */
const QNAME = Buffer.from([0xc0, 0x0c]);
const MAX_MESSAGE = 65535;

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n & 0xffff, 0);
  return b;
}

function label(text: string): Buffer {
  return Buffer.concat([Buffer.from([text.length]), Buffer.from(text, 'latin1')]);
}

/** The question section of a query as it came (queries carry no compression), to echo it. */
function questionBytes(raw: Buffer): Buffer {
  let pos = 12;
  while (pos < raw.length && raw[pos] !== 0) pos += 1 + raw[pos];
  return raw.subarray(12, Math.min(raw.length, pos + 5));
}

function header(id: number, flags: number, an: number, ns = 0, ar = 0): Buffer {
  return Buffer.concat([u16(id), u16(flags), u16(1), u16(an), u16(ns), u16(ar)]);
}

function rr(owner: Buffer, type: number, rdata: Buffer, ttl = 300): Buffer {
  const fixed = Buffer.alloc(10);
  fixed.writeUInt16BE(type, 0);
  fixed.writeUInt16BE(1, 2); // IN
  fixed.writeUInt32BE(ttl, 4);
  fixed.writeUInt16BE(rdata.length, 8);
  return Buffer.concat([owner, fixed, rdata]);
}

/**
 * Sound RDATA number `i` of a type for the name `qname`; names are `r<i>.<qname>` (a label and a
 * pointer to the question), addresses differ from name to name (198.18.0.0/15, RFC 2544).
 */
function goodRdata(type: string, i: number, qname = ''): Buffer {
  switch (type) {
    case 'AAAA': {
      const b = Buffer.alloc(16);
      b.writeUInt16BE(0x2001, 0);
      b.writeUInt16BE(0x0db8, 2);
      b.writeUInt32BE(i, 12);
      return b;
    }
    case 'PTR':
    case 'CNAME':
    case 'NS':
      return Buffer.concat([label(`r${i}`), QNAME]);
    case 'MX':
      return Buffer.concat([u16(i % 100), label(`r${i}`), QNAME]);
    case 'TXT':
      return label(`v=spf1 ip4:192.0.2.${i % 256} ?all`);
    case 'SOA':
      return Buffer.concat([label('ns'), QNAME, label('hostmaster'), QNAME, Buffer.alloc(20, 1)]);
    default: {
      let h = 0;
      for (const c of qname) h = (h * 31 + c.charCodeAt(0)) >>> 0;
      return Buffer.from([198, 18 + (h & 1), ((h >> 1) & 0x0f) * 16 + ((i >> 8) & 0x0f), i & 0xff]);
    }
  }
}

/** RDATA that does not fit its type (RFC 1035 §3.3, §3.4). */
function badRdata(type: string): { type: number; rdata: Buffer } {
  switch (type) {
    case 'AAAA':
      return { type: 28, rdata: Buffer.alloc(15, 0x20) };
    case 'PTR':
    case 'CNAME':
    case 'NS':
      // A 10-octet label with 3 octets left in the RDATA.
      return { type: TYPE_CODES[type], rdata: Buffer.from([10, 0x61, 0x62, 0x63]) };
    case 'MX':
      return { type: 15, rdata: Buffer.from([0, 10, 20, 0x78]) };
    case 'TXT':
      return { type: 16, rdata: Buffer.from([10, 0x61, 0x62, 0x63]) };
    case 'SOA':
      return { type: 6, rdata: QNAME };
    default:
      // RDLENGTH 3: dns-packet reads a fourth octet past the end and says "192.0.2.undefined".
      return { type: 1, rdata: Buffer.from([192, 0, 2]) };
  }
}

/** The hand-written reply of a hostile behaviour; `udpLimit` decides when UDP gets TC=1 instead. */
function hostileReply(raw: Buffer, qname: string, qtype: string, behaviour: Behaviour, id: number, flags: number): Buffer {
  const q = questionBytes(raw);
  const start = 12 + q.length;
  const type = TYPE_CODES[qtype] ?? 1;
  switch (behaviour.kind) {
    case 'pointer-loop': {
      if (!behaviour.chain) {
        // The answer's owner name is a pointer to its own offset.
        return Buffer.concat([header(id, flags, 1), q, rr(u16(0xc000 | start), type, goodRdata(qtype, 1))]);
      }
      // A first record (a private-use type) whose RDATA is a chain of pointers, each to the one
      // before it, the first to the question; the second record's owner is the chain's last link.
      const base = start + 2 + 10;
      const links = Math.min(behaviour.chain, Math.floor((MAX_MESSAGE - base - 64) / 2));
      const chain = Buffer.alloc(2 * links);
      for (let i = 0; i < links; i++) chain.writeUInt16BE(0xc000 | (i === 0 ? 12 : base + 2 * (i - 1)), 2 * i);
      return Buffer.concat([header(id, flags, 2), q, rr(QNAME, 0xff00, chain), rr(u16(0xc000 | (base + 2 * (links - 1))), type, goodRdata(qtype, 1))]);
    }
    case 'bad-rdata': {
      const bad = badRdata(qtype);
      return Buffer.concat([header(id, flags, 1), q, rr(QNAME, bad.type, bad.rdata)]);
    }
    case 'flood': {
      // Written in place: a 64 KB reply per query must not make this server the slow part.
      const out = Buffer.alloc(MAX_MESSAGE);
      q.copy(out, 12);
      let size = start;
      let n = 0;
      for (let i = 1; i <= (behaviour.count ?? Infinity); i++) {
        const rdata = goodRdata(qtype, i, qname);
        if (size + 12 + rdata.length > MAX_MESSAGE) break;
        out.writeUInt16BE(0xc00c, size);
        out.writeUInt16BE(type, size + 2);
        out.writeUInt16BE(1, size + 4);
        out.writeUInt32BE(300, size + 6);
        out.writeUInt16BE(rdata.length, size + 10);
        rdata.copy(out, size + 12);
        size += 12 + rdata.length;
        n++;
      }
      header(id, flags, n).copy(out, 0);
      return out.subarray(0, size);
    }
    case 'cname-chain': {
      // `c<n>.<rest>` → `c<n+1>.<rest>`: the target is a new first label and a pointer to <rest>.
      const m = /^c(\d+)\.(.+)$/.exec(qname);
      const target = m ? Buffer.concat([label(`c${Number(m[1]) + 1}`), u16(0xc000 | (12 + 1 + `c${m[1]}`.length))]) : Buffer.concat([label('c1'), QNAME]);
      return Buffer.concat([header(id, flags, 1), q, rr(QNAME, 5, target)]);
    }
    default:
      throw new Error(`not a hand-written behaviour: ${behaviour.kind}`);
  }
}

function lookup(byName: Map<string, dnsPacket.Answer[]>, qname: string, qtype: string): Reply {
  const answers: dnsPacket.Answer[] = [];
  let name = qname;
  for (let hop = 0; hop <= MAX_CNAME_HOPS; hop++) {
    const here = byName.get(name) ?? [];
    const match = here.filter((r) => r.type === qtype || qtype === 'ANY');
    if (match.length > 0) return { rcode: RCODES.NOERROR, answers: [...answers, ...match] };
    const cname = here.find((r): r is dnsPacket.StringAnswer => r.type === 'CNAME');
    if (cname && qtype !== 'CNAME') {
      answers.push(cname);
      name = normalizeName(cname.data);
      continue;
    }
    if (here.length > 0) return { rcode: RCODES.NOERROR, answers };
    // An empty non-terminal (records exist below it) is NODATA, not NXDOMAIN.
    for (const key of byName.keys()) {
      if (key.endsWith('.' + name)) return { rcode: RCODES.NOERROR, answers };
    }
    return { rcode: RCODES.NXDOMAIN, answers };
  }
  return { rcode: RCODES.SERVFAIL, answers: [] };
}

export async function startFaultDns(opts: FaultDnsOptions = {}): Promise<FaultDnsServer> {
  const byName = new Map<string, dnsPacket.Answer[]>();
  for (const r of toAnswers(opts.records)) {
    const list = byName.get(r.name) ?? [];
    list.push(r);
    byName.set(r.name, list);
  }
  const behaviours = new Map<string, Behaviour>();
  for (const [name, b] of Object.entries(opts.behaviours ?? {})) {
    behaviours.set(name === '*' ? '*' : normalizeName(name), b);
  }
  const delayMs = opts.delayMs ?? 0;

  const { port, udp, tcp } = await bindUdpAndTcp();
  const queries: QueryLog[] = [];
  const waiters: { count: number; resolve: () => void; reject: (err: Error) => void }[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const sockets = new Set<net.Socket>();
  let stopped = false;

  const later = (ms: number, fn: () => void) => {
    if (ms <= 0) return fn();
    const t = setTimeout(() => {
      timers.delete(t);
      if (!stopped) fn();
    }, ms);
    timers.add(t);
  };

  const noteQuery = (q: QueryLog) => {
    queries.push(q);
    for (let i = waiters.length - 1; i >= 0; i--) {
      if (queries.length >= waiters[i].count) {
        waiters[i].resolve();
        waiters.splice(i, 1);
      }
    }
  };

  /** Sends `bytes` on a TCP stream as they are (no length prefix), honouring back-pressure. */
  const pour = (socket: net.Socket, bytes: Buffer) => {
    let at = 0;
    const pump = () => {
      while (!stopped && !socket.destroyed && at < bytes.length) {
        const chunk = bytes.subarray(at, at + 16384);
        at += chunk.length;
        if (!socket.write(chunk)) return void socket.once('drain', pump);
      }
    };
    pump();
  };

  /** Sends `bytes` on a TCP stream one octet every `ms` ms, until done or the client goes away. */
  const drip = (socket: net.Socket, bytes: Buffer, ms: number) => {
    let at = 0;
    const next = () => {
      if (stopped || socket.destroyed || at >= bytes.length) return;
      socket.write(bytes.subarray(at, at + 1));
      at++;
      later(ms, next);
    };
    next();
  };

  const frame = (buf: Buffer) => Buffer.concat([u16(buf.length), buf]);

  /** Builds the reply bytes for one query under one behaviour; null means say nothing. */
  const respond = (
    query: dnsPacket.DecodedPacket,
    raw: Buffer,
    transport: 'udp' | 'tcp',
    behaviour: Behaviour,
    send: (buf: Buffer) => void,
    socket?: net.Socket,
  ): void => {
    const question = query.questions![0];
    const qname = normalizeName(question.name);
    const id = query.id ?? 0;
    const rdFlag = query.flag_rd ? dnsPacket.RECURSION_DESIRED : 0;
    const baseFlags = QR | dnsPacket.AUTHORITATIVE_ANSWER | rdFlag | dnsPacket.RECURSION_AVAILABLE;
    const opt = query.additionals?.find((a) => a.type === 'OPT') as dnsPacket.OptAnswer | undefined;
    const additionals: dnsPacket.Answer[] = opt
      ? [{ name: '.', type: 'OPT', udpPayloadSize: 1232, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] }]
      : [];
    const udpLimit = opt ? Math.max(512, opt.udpPayloadSize || 512) : 512;
    const encode = (p: dnsPacket.Packet) => dnsPacket.encode({ type: 'response', additionals, ...p });
    const questionOut = { name: qname, type: question.type, class: question.class ?? 'IN' };

    switch (behaviour.kind) {
      case 'silent':
        return;
      case 'delay':
        later(behaviour.ms, () => respond(query, raw, transport, behaviour.then ?? { kind: 'answer' }, send, socket));
        return;
      case 'garbage': {
        const junk = randomBytes(24 + Math.floor(Math.random() * 40));
        junk.writeUInt16BE(id, 0);
        junk.writeUInt16BE(0x8180, 2); // QR, RD, RA, NOERROR
        junk.writeUInt16BE(0xffff, 4); // 65535 questions that are not there
        send(junk);
        return;
      }
      case 'rcode':
        send(encode({ id, flags: baseFlags | RCODES[behaviour.rcode], questions: [questionOut], answers: [] }));
        return;
      case 'truncate':
        if (transport === 'udp') {
          send(encode({ id, flags: baseFlags | dnsPacket.TRUNCATED_RESPONSE, questions: [questionOut], answers: [] }));
          return;
        }
        respond(query, raw, transport, { kind: 'answer' }, send, socket);
        return;
      case 'pointer-loop':
      case 'bad-rdata':
      case 'flood':
      case 'cname-chain': {
        // A flood never fits a UDP reply: say TC=1 without building it.
        const buf = behaviour.kind === 'flood' && transport === 'udp' && behaviour.count === undefined ? undefined : hostileReply(raw, qname, question.type, behaviour, id, baseFlags);
        if (!buf || (transport === 'udp' && buf.length > udpLimit)) {
          send(encode({ id, flags: baseFlags | dnsPacket.TRUNCATED_RESPONSE, questions: [questionOut], answers: [] }));
          return;
        }
        send(buf);
        return;
      }
      case 'drip':
      case 'tcp-garbage':
        if (transport === 'udp' || !socket) {
          send(encode({ id, flags: baseFlags | dnsPacket.TRUNCATED_RESPONSE, questions: [questionOut], answers: [] }));
          return;
        }
        if (behaviour.kind === 'tcp-garbage') {
          pour(socket, randomBytes(behaviour.bytes ?? 1 << 20));
          return;
        }
        respond(query, raw, 'tcp', behaviour.then ?? { kind: 'answer' }, (buf) => drip(socket, frame(buf), behaviour.ms), socket);
        return;
      case 'wrong-id':
      case 'wrong-question':
      case 'answer': {
        const reply = lookup(byName, qname, question.type);
        let outId = id;
        let outQuestion = questionOut;
        if (behaviour.kind === 'wrong-id') outId = (id + 1 + Math.floor(Math.random() * 0xfffe)) & 0xffff;
        if (behaviour.kind === 'wrong-question') outQuestion = { ...questionOut, name: 'wrong-question.invalid' };
        let buf = encode({ id: outId, flags: baseFlags | reply.rcode, questions: [outQuestion], answers: reply.answers });
        if (transport === 'udp' && buf.length > udpLimit) {
          buf = encode({
            id: outId,
            flags: baseFlags | reply.rcode | dnsPacket.TRUNCATED_RESPONSE,
            questions: [outQuestion],
            answers: [],
          });
        }
        send(buf);
        return;
      }
    }
  };

  const handle = (raw: Buffer, transport: 'udp' | 'tcp', send: (buf: Buffer) => void, socket?: net.Socket) => {
    if (stopped) return;
    let query: dnsPacket.DecodedPacket;
    try {
      query = dnsPacket.decode(raw);
    } catch {
      // Not DNS. If there is a header to answer, say FORMERR; otherwise drop it.
      if (raw.length >= 12 && (raw[2] & 0x80) === 0) {
        const header = Buffer.alloc(12);
        header.writeUInt16BE(raw.readUInt16BE(0), 0);
        header.writeUInt16BE(QR | RCODES.FORMERR, 2);
        send(header);
      }
      return;
    }
    if (query.type !== 'query') return; // never answer responses
    const question = query.questions?.[0];
    if (!question || query.questions!.length !== 1) {
      send(
        dnsPacket.encode({ type: 'response', id: query.id ?? 0, flags: QR | RCODES.FORMERR, questions: query.questions ?? [] }),
      );
      return;
    }
    const qname = normalizeName(question.name);
    noteQuery({ name: qname, type: String(question.type), transport });
    const behaviour = behaviours.get(qname) ?? behaviours.get('*') ?? { kind: 'answer' };
    const reply = (buf: Buffer) => later(delayMs, () => send(buf));
    try {
      respond(query, raw, transport, behaviour, reply, socket);
    } catch {
      // An answer that dns-packet cannot encode (bad record data): say SERVFAIL rather than crash.
      reply(dnsPacket.encode({ type: 'response', id: query.id ?? 0, flags: QR | RCODES.SERVFAIL, questions: [question] }));
    }
  };

  udp.on('message', (msg: Buffer, rinfo: dgram.RemoteInfo) => {
    handle(msg, 'udp', (buf) => {
      if (!stopped) udp.send(buf, rinfo.port, rinfo.address, () => undefined);
    });
  });
  udp.on('error', () => undefined);

  tcp.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    let pending: Buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      while (pending.length >= 2) {
        const len = pending.readUInt16BE(0);
        if (pending.length < 2 + len) break;
        const message = pending.subarray(2, 2 + len);
        pending = pending.subarray(2 + len);
        handle(
          Buffer.from(message),
          'tcp',
          (buf) => {
            if (stopped || socket.destroyed) return;
            socket.write(frame(buf));
          },
          socket,
        );
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  tcp.on('error', () => undefined);

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const s of sockets) s.destroy();
      sockets.clear();
      await Promise.all([
        new Promise<void>((resolve) => udp.close(() => resolve())),
        new Promise<void>((resolve) => tcp.close(() => resolve())),
      ]);
      for (const w of waiters.splice(0)) w.reject(new Error(`fault DNS stopped after ${queries.length} queries`));
    })();
    return stopping;
  };

  return {
    host: LOOPBACK,
    port,
    server: `${LOOPBACK}:${port}`,
    queries,
    setBehaviour(name, behaviour) {
      const key = name === '*' ? '*' : normalizeName(name);
      if (behaviour) behaviours.set(key, behaviour);
      else behaviours.delete(key);
    },
    waitForQueries(count) {
      if (queries.length >= count) return Promise.resolve();
      if (stopped) return Promise.reject(new Error(`fault DNS stopped after ${queries.length} queries`));
      return new Promise<void>((resolve, reject) => waiters.push({ count, resolve, reject }));
    },
    stop,
  };
}

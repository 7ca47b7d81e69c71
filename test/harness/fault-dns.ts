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
  | { kind: 'delay'; ms: number; then?: Behaviour };

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

  /** Builds the reply bytes for one query under one behaviour; null means say nothing. */
  const respond = (
    query: dnsPacket.DecodedPacket,
    transport: 'udp' | 'tcp',
    behaviour: Behaviour,
    send: (buf: Buffer) => void,
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
        later(behaviour.ms, () => respond(query, transport, behaviour.then ?? { kind: 'answer' }, send));
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
        respond(query, transport, { kind: 'answer' }, send);
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

  const handle = (raw: Buffer, transport: 'udp' | 'tcp', send: (buf: Buffer) => void) => {
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
      respond(query, transport, behaviour, reply);
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
        handle(Buffer.from(message), 'tcp', (buf) => {
          if (stopped || socket.destroyed) return;
          const frame = Buffer.alloc(2 + buf.length);
          frame.writeUInt16BE(buf.length, 0);
          buf.copy(frame, 2);
          socket.write(frame);
        });
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

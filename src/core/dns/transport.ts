// Transports: one DNS message exchange over UDP or TCP with one server.
// They resolve with the first reply whose ID and question match the query; replies that do not
// match (spoofing attempts, stale replies, garbage) are dropped and the wait goes on until the
// timeout. A matching reply whose records do not decode (./wire.ts) ends the exchange as
// 'malformed': the server answered, wrongly. They reject only with a TransportError (timeout,
// connection trouble, malformed reply) or an AbortError.
import * as dgram from 'node:dgram';
import * as net from 'node:net';
import { abortError, normalizeName } from './types';
import { decodeMessage, type WireMessage } from './wire';

export interface ServerAddress {
  host: string;
  port: number;
}

export class TransportError extends Error {
  constructor(
    message: string,
    readonly kind: 'timeout' | 'network' | 'malformed',
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

export interface Exchange {
  reply: WireMessage;
  /** Replies dropped because their ID or question did not match, or they did not decode. */
  dropped: number;
}

export function formatServer(s: ServerAddress): string {
  return s.host.includes(':') ? `[${s.host}]:${s.port}` : `${s.host}:${s.port}`;
}

/** Whether a decoded reply answers this query: same ID, a response, the same question (case-insensitive). */
export function matchesQuery(reply: WireMessage, id: number, name: string, type: string): boolean {
  if (reply.id !== id || !reply.response) return false;
  const q = reply.questions[0];
  if (!q || reply.questions.length !== 1) return false;
  return q.type === type && normalizeName(q.name) === normalizeName(name);
}

/**
 * What to do with one message from the server: a matching sound reply (or a truncated one, whose
 * records TCP will bring whole), a matching reply with malformed records, or nothing of ours.
 */
export function judge(msg: Buffer, id: number, name: string, type: string): { reply: WireMessage } | { malformed: string } | undefined {
  const d = decodeMessage(msg, MAX_RECORDS);
  if (!d.ok || !matchesQuery(d.message, id, name, type)) return undefined;
  if (d.message.malformed.length > 0 && !d.message.truncated) {
    const m = d.message.malformed;
    return { malformed: `malformed reply: ${m.slice(0, 3).join('; ')}${m.length > 3 ? `; and ${m.length - 3} more` : ''}` };
  }
  return { reply: d.message };
}

/**
 * The answer budget: records decoded and kept per section of one reply. A sound RRset is a few
 * dozen records; a 64 KB reply of 4,000 is an attack on the client, and each decoded record is a
 * live object held by caches and checks. The rest are counted (`WireMessage.omitted`).
 */
export const MAX_RECORDS = 256;

function describe(err: Error & { code?: string }): string {
  if (err.code === 'ECONNREFUSED') return 'connection refused (is a DNS server listening there?)';
  return err.message;
}

/** Shared timeout/abort wiring: calls `cleanup` exactly once however the exchange ends. */
export function withDeadline<T>(
  timeoutMs: number,
  signal: AbortSignal | undefined,
  what: string,
  run: (resolve: (v: T) => void, reject: (e: Error) => void) => () => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    let done = false;
    let cleanup: () => void = () => {};
    const finish = (fn: () => void) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      try {
        cleanup();
      } catch {
        // closing an already-closed socket is fine
      }
      fn();
    };
    const onAbort = () => finish(() => reject(abortError(signal)));
    const timer = setTimeout(() => finish(() => reject(new TransportError(`no reply within ${timeoutMs} ms (${what})`, 'timeout'))), timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });
    cleanup = run(
      (v) => finish(() => resolve(v)),
      (e) => finish(() => reject(e)),
    );
  });
}

export function udpExchange(
  server: ServerAddress,
  query: Buffer,
  id: number,
  name: string,
  type: string,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<Exchange> {
  return withDeadline<Exchange>(timeoutMs, signal, `UDP ${formatServer(server)}`, (resolve, reject) => {
    const socket = dgram.createSocket(net.isIPv6(server.host) ? 'udp6' : 'udp4');
    let dropped = 0;
    const fail = (err: Error) => reject(new TransportError(`UDP ${formatServer(server)}: ${describe(err)}`, 'network'));
    socket.on('message', (msg) => {
      const j = judge(msg, id, name, type);
      if (!j) {
        dropped++;
        return;
      }
      if ('malformed' in j) reject(new TransportError(`UDP ${formatServer(server)}: ${j.malformed}`, 'malformed'));
      else resolve({ reply: j.reply, dropped });
    });
    socket.on('error', fail);
    // A connected socket only receives from the server asked, and learns of ICMP port-unreachable
    // (ECONNREFUSED) at once instead of waiting out the timeout. connect() reports its own failure
    // (a broadcast address, no route, a bad scope) to this callback only, not as an 'error' event.
    try {
      socket.connect(server.port, server.host, (err?: Error) => {
        if (err) return fail(err);
        try {
          socket.send(query, (e) => {
            if (e) fail(e);
          });
        } catch (e) {
          fail(e as Error);
        }
      });
    } catch (e) {
      fail(e as Error);
    }
    return () => socket.close();
  });
}

/**
 * Most octets read on one TCP exchange: a full-size reply (the 16-bit length prefix allows 65535
 * octets) and a few stray messages before it. One query per connection, so a server that sends
 * more than this is not answering it.
 */
const MAX_TCP_READ = 4 * (65535 + 2);

export function tcpExchange(
  server: ServerAddress,
  query: Buffer,
  id: number,
  name: string,
  type: string,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<Exchange> {
  return withDeadline<Exchange>(timeoutMs, signal, `TCP ${formatServer(server)}`, (resolve, reject) => {
    const socket = net.connect({ host: server.host, port: server.port });
    let buffered = Buffer.alloc(0);
    let dropped = 0;
    let read = 0;
    socket.on('connect', () => {
      const framed = Buffer.alloc(2 + query.length);
      framed.writeUInt16BE(query.length, 0);
      query.copy(framed, 2);
      socket.write(framed);
    });
    socket.on('data', (chunk) => {
      read += chunk.length;
      buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
      while (buffered.length >= 2) {
        const len = buffered.readUInt16BE(0);
        if (buffered.length < 2 + len) break;
        const msg = buffered.subarray(2, 2 + len);
        buffered = buffered.subarray(2 + len);
        const j = judge(msg, id, name, type);
        if (j && 'malformed' in j) return reject(new TransportError(`TCP ${formatServer(server)}: ${j.malformed}`, 'malformed'));
        if (j) return resolve({ reply: j.reply, dropped });
        dropped++;
      }
      if (read > MAX_TCP_READ) reject(new TransportError(`TCP ${formatServer(server)}: ${read} octets without a matching reply (${dropped} other messages)`, 'malformed'));
    });
    socket.on('error', (err) => reject(new TransportError(`TCP ${formatServer(server)}: ${describe(err)}`, 'network')));
    socket.on('close', () => reject(new TransportError(`TCP ${formatServer(server)}: connection closed before a matching reply`, 'network')));
    return () => socket.destroy();
  });
}

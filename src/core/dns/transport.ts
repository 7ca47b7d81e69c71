// Transports: one DNS message exchange over UDP or TCP with one server.
// They resolve with the first reply whose ID and question match the query; replies that do not
// match (spoofing attempts, stale replies, garbage) are dropped and the wait goes on until the
// timeout. They reject only with a TransportError (timeout, connection trouble) or an AbortError.
import * as dgram from 'node:dgram';
import * as net from 'node:net';
import * as packet from 'dns-packet';
import { abortError, normalizeName } from './types';

export interface ServerAddress {
  host: string;
  port: number;
}

export class TransportError extends Error {
  constructor(
    message: string,
    readonly kind: 'timeout' | 'network',
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

export interface Exchange {
  reply: packet.DecodedPacket & { rcode?: string };
  /** Replies dropped because their ID or question did not match, or they did not decode. */
  dropped: number;
}

export function formatServer(s: ServerAddress): string {
  return s.host.includes(':') ? `[${s.host}]:${s.port}` : `${s.host}:${s.port}`;
}

/** Whether a decoded reply answers this query: same ID, a response, the same question (case-insensitive). */
export function matchesQuery(reply: packet.DecodedPacket, id: number, name: string, type: string): boolean {
  if (reply.id !== id || reply.type !== 'response') return false;
  const q = reply.questions?.[0];
  if (!q || (reply.questions?.length ?? 0) !== 1) return false;
  return q.type === type && normalizeName(q.name) === normalizeName(name);
}

function describe(err: Error & { code?: string }): string {
  if (err.code === 'ECONNREFUSED') return 'connection refused (is a DNS server listening there?)';
  return err.message;
}

function tryDecode(buf: Buffer): packet.DecodedPacket | undefined {
  try {
    return packet.decode(buf);
  } catch {
    return undefined;
  }
}

/** Shared timeout/abort wiring: calls `cleanup` exactly once however the exchange ends. */
function withDeadline<T>(
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
    socket.on('message', (msg) => {
      const reply = tryDecode(msg);
      if (!reply || !matchesQuery(reply, id, name, type)) {
        dropped++;
        return;
      }
      resolve({ reply, dropped });
    });
    socket.on('error', (err) => reject(new TransportError(`UDP ${formatServer(server)}: ${describe(err)}`, 'network')));
    // A connected socket only receives from the server asked, and learns of ICMP port-unreachable
    // (ECONNREFUSED) at once instead of waiting out the timeout.
    socket.connect(server.port, server.host, () => {
      socket.send(query, (err) => {
        if (err) reject(new TransportError(`UDP ${formatServer(server)}: ${describe(err)}`, 'network'));
      });
    });
    return () => socket.close();
  });
}

/** Largest TCP DNS message we accept (the 16-bit length prefix allows no more). */
const MAX_TCP_MESSAGE = 65535;

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
    socket.on('connect', () => {
      const framed = Buffer.alloc(2 + query.length);
      framed.writeUInt16BE(query.length, 0);
      query.copy(framed, 2);
      socket.write(framed);
    });
    socket.on('data', (chunk) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 2) {
        const len = buffered.readUInt16BE(0);
        if (buffered.length < 2 + len) {
          if (buffered.length > MAX_TCP_MESSAGE + 2) reject(new TransportError(`TCP ${formatServer(server)}: oversized message`, 'network'));
          return;
        }
        const msg = buffered.subarray(2, 2 + len);
        buffered = buffered.subarray(2 + len);
        const reply = tryDecode(msg);
        if (reply && matchesQuery(reply, id, name, type)) return resolve({ reply, dropped });
        dropped++;
      }
    });
    socket.on('error', (err) => reject(new TransportError(`TCP ${formatServer(server)}: ${describe(err)}`, 'network')));
    socket.on('close', () => reject(new TransportError(`TCP ${formatServer(server)}: connection closed before a matching reply`, 'network')));
    return () => socket.destroy();
  });
}

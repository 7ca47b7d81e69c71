// A pool of UDP sockets, for a client that asks many questions at once (the address-range audit):
// a few sockets per server, each carrying many queries in flight, told apart by their IDs.
//
// Why: one socket per query (transport.ts udpExchange) costs a socket, a bind, a connect and a close
// per question, and at thousands of questions a second those system calls, not the server, set the
// pace. Here each socket is connected to its server (so it only hears from that server, and learns
// of ICMP errors), queries are pipelined on it, and a reply is matched by ID, then by question
// (judge, as for one-shot exchanges); anything else is dropped and the wait goes on.
//
// Spoofing: a long-lived source port is easier to guess than a fresh one per query (the 2008
// Kaminsky attack relies on a fixed port), so each socket is retired after `maxUses` queries and a
// new one, on a new random port, takes its place; IDs are random and never reused while in flight.
import { randomInt } from 'node:crypto';
import * as dgram from 'node:dgram';
import * as net from 'node:net';
import { type Exchange, formatServer, judge, type ServerAddress, TransportError, withDeadline } from './transport';

export interface UdpPoolOptions {
  /** Sockets per server (default 4). */
  sockets?: number;
  /** Queries one socket sends before it is retired for a new port (default 1024). */
  maxUses?: number;
}

export interface UdpPoolStats {
  /** Open sockets, retired ones still draining included. */
  sockets: number;
  /** Queries waiting for a reply. */
  pending: number;
  /** Sockets opened so far (retirement makes new ones). */
  opened: number;
  /** Messages dropped: no query of that ID waiting, or not matching its question. */
  dropped: number;
}

interface Pending {
  name: string;
  type: string;
  dropped: number;
  resolve(v: Exchange): void;
  reject(e: Error): void;
}

interface PooledSocket {
  socket: dgram.Socket;
  /** Resolves once connected; rejects with the connect error. */
  ready: Promise<void>;
  pending: Map<number, Pending>;
  uses: number;
  retired: boolean;
  closed: boolean;
}

/** Most queries in flight on one socket: IDs are 16 bits, and a random free one must be easy to find. */
const MAX_PENDING_PER_SOCKET = 4096;

export class UdpPool {
  private readonly slots = new Map<string, (PooledSocket | undefined)[]>();
  private readonly next = new Map<string, number>();
  private readonly size: number;
  private readonly maxUses: number;
  private opened = 0;
  private dropped = 0;
  private live = new Set<PooledSocket>();

  constructor(options: UdpPoolOptions = {}) {
    this.size = Math.max(1, options.sockets ?? 4);
    this.maxUses = Math.max(1, options.maxUses ?? 1024);
  }

  stats(): UdpPoolStats {
    let pending = 0;
    for (const s of this.live) pending += s.pending.size;
    return { sockets: this.live.size, pending, opened: this.opened, dropped: this.dropped };
  }

  /** Closes every socket; queries still waiting fail as network errors. */
  close(): void {
    for (const s of [...this.live]) this.shut(s, new TransportError('UDP pool closed', 'network'));
    this.slots.clear();
  }

  /**
   * One exchange of `query` (whose ID the pool sets: it picks one free on the socket) with
   * `server`, as udpExchange: the first matching reply, a TransportError, or an AbortError.
   */
  exchange(server: ServerAddress, query: Buffer, name: string, type: string, timeoutMs: number, signal?: AbortSignal): Promise<Exchange> {
    const what = `UDP ${formatServer(server)}`;
    return withDeadline<Exchange>(timeoutMs, signal, what, (resolve, reject) => {
      const s = this.pick(server);
      let id = randomInt(0, 65536);
      while (s.pending.has(id)) id = randomInt(0, 65536);
      const copy = Buffer.from(query);
      copy.writeUInt16BE(id, 0);
      s.uses++;
      s.pending.set(id, { name, type, dropped: 0, resolve, reject });
      s.ready.then(
        () => {
          if (s.closed || !s.pending.has(id)) return;
          s.socket.send(copy, (e) => {
            if (e) reject(new TransportError(`${what}: ${e.message}`, 'network'));
          });
        },
        (e: Error) => reject(new TransportError(`${what}: ${e.message}`, 'network')),
      );
      return () => {
        s.pending.delete(id);
        if (s.retired && s.pending.size === 0) this.shut(s);
      };
    });
  }

  private pick(server: ServerAddress): PooledSocket {
    const key = formatServer(server);
    let slots = this.slots.get(key);
    if (!slots) this.slots.set(key, (slots = new Array<PooledSocket | undefined>(this.size).fill(undefined)));
    const i = ((this.next.get(key) ?? -1) + 1) % this.size;
    this.next.set(key, i);
    let s = slots[i];
    if (s && !s.closed && (s.uses >= this.maxUses || s.pending.size >= MAX_PENDING_PER_SOCKET)) {
      // Retire: no new queries; it closes once its last reply is in or timed out.
      s.retired = true;
      if (s.pending.size === 0) this.shut(s);
      s = undefined;
    }
    if (!s || s.closed) slots[i] = s = this.open(server);
    return s;
  }

  private open(server: ServerAddress): PooledSocket {
    const socket = dgram.createSocket(net.isIPv6(server.host) ? 'udp6' : 'udp4');
    this.opened++;
    const s: PooledSocket = { socket, ready: Promise.resolve(), pending: new Map(), uses: 0, retired: false, closed: false };
    this.live.add(s);
    s.ready = new Promise<void>((resolve, reject) => {
      try {
        socket.connect(server.port, server.host, (err?: Error) => (err ? reject(err) : resolve()));
      } catch (e) {
        reject(e as Error);
      }
    });
    // Unhandled if nobody waits; the senders handle it themselves.
    s.ready.catch(() => this.shut(s));
    // An idle pool must not keep the process alive: the queries' timers do while they wait.
    socket.unref();
    socket.on('message', (msg: Buffer) => {
      const p = msg.length >= 2 ? s.pending.get(msg.readUInt16BE(0)) : undefined;
      if (!p) {
        this.dropped++;
        return;
      }
      const j = judge(msg, msg.readUInt16BE(0), p.name, p.type);
      if (!j) {
        p.dropped++;
        this.dropped++;
        return;
      }
      if ('malformed' in j) p.reject(new TransportError(`UDP ${formatServer(server)}: ${j.malformed}`, 'malformed'));
      else p.resolve({ reply: j.reply, dropped: p.dropped });
    });
    // A connected UDP socket reports ICMP errors (port unreachable) here: every query on it fails
    // as it would have on its own socket, and the socket is replaced.
    socket.on('error', (err: Error & { code?: string }) => {
      const words = err.code === 'ECONNREFUSED' ? 'connection refused (is a DNS server listening there?)' : err.message;
      this.shut(s, new TransportError(`UDP ${formatServer(server)}: ${words}`, 'network'));
    });
    return s;
  }

  private shut(s: PooledSocket, error?: TransportError): void {
    if (s.closed) return;
    s.closed = true;
    this.live.delete(s);
    const waiting = [...s.pending.values()];
    s.pending.clear();
    try {
      s.socket.close();
    } catch {
      // already closed
    }
    if (error) for (const p of waiting) p.reject(error);
  }
}

// A scripted SMTP server on 127.0.0.1 for the faults a real server will not produce: silence, a 554
// greeting, an endless line, a reset in the middle of a reply, garbage, mixed reply codes, a reply
// dripped one octet at a time, and TLS after STARTTLS with any certificate (./certs.ts makes them:
// self-signed, expired, dates that are not dates).
//
//   const peer = await startSmtpPeer([
//     { send: '220 peer.example ESMTP' },
//     { expect: /^EHLO / },
//     { send: '250-peer.example\r\n250-PIPE' },   // no line end: the reply stops half way
//     { reset: true },
//   ]);
//   … probeSmtp('127.0.0.1', peer.port, …) …
//   await peer.stop();
//
// Every connection runs the script from the start. After the last step the connection stays open
// until the client closes it (or `close`/`reset` ends it). Client lines are recorded in `received`.
import { randomBytes } from 'node:crypto';
import * as net from 'node:net';
import * as tls from 'node:tls';

export type PeerStep =
  /** Send a line; CRLF is added. May hold several lines joined by CRLF. */
  | { send: string }
  /** Send bytes exactly as given (no CRLF added). */
  | { raw: string | Buffer }
  /** Wait until the client sends a line matching this. */
  | { expect: RegExp }
  /** Say nothing more; keep the connection open. */
  | { silence: true }
  /** Send `chunk` over and over, never a line end, until the client goes away (or `maxBytes`). */
  | { endless: { chunk?: string; maxBytes?: number } }
  /** Send `text` one octet every `ms` ms (no CRLF added), until done or the client goes away. */
  | { drip: { text: string; ms: number } }
  /** Send `bytes` random octets at once. */
  | { garbage: { bytes: number } }
  /** Become the server side of a TLS handshake with this certificate; later steps run inside TLS. */
  | { tls: { cert: string; key: string } }
  /** Reset the connection (TCP RST). */
  | { reset: true }
  /** Close the connection normally (FIN). */
  | { close: true };

export interface SmtpPeer {
  host: '127.0.0.1';
  port: number;
  /** Lines the clients sent, in order (all connections). */
  received: string[];
  /** Connections accepted so far. */
  connections: number;
  /** Bytes written by `endless` steps so far. */
  endlessBytes: number;
  /** Resolves once `count` connections have ended (the client or the script closed them). */
  waitForClosed(count: number): Promise<void>;
  /** Resolves once `count` connections have been accepted. */
  waitForConnections(count: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startSmtpPeer(script: PeerStep[]): Promise<SmtpPeer> {
  const sockets = new Set<net.Socket>();
  const received: string[] = [];
  let connections = 0;
  let closed = 0;
  let endlessBytes = 0;
  const closeWaiters: { count: number; resolve: () => void }[] = [];
  const connectWaiters: { count: number; resolve: () => void }[] = [];
  const noteClosed = () => {
    closed++;
    for (let i = closeWaiters.length - 1; i >= 0; i--) {
      if (closed >= closeWaiters[i].count) {
        closeWaiters[i].resolve();
        closeWaiters.splice(i, 1);
      }
    }
  };

  const server = net.createServer((socket) => {
    connections++;
    for (let i = connectWaiters.length - 1; i >= 0; i--) {
      if (connections >= connectWaiters[i].count) {
        connectWaiters[i].resolve();
        connectWaiters.splice(i, 1);
      }
    }
    sockets.add(socket);
    /** Where the script writes and reads: the TCP socket, or the TLS socket after a `tls` step. */
    let io: net.Socket = socket;
    let buf = '';
    const lines: string[] = [];
    let lineWaiter: (() => void) | undefined;
    let gone = false;
    const onData = (d: Buffer) => {
      buf += d.toString('latin1');
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i).replace(/\r$/, '');
        buf = buf.slice(i + 1);
        received.push(line);
        lines.push(line);
      }
      lineWaiter?.();
    };
    socket.on('data', onData);
    socket.on('error', () => undefined);
    socket.on('close', () => {
      gone = true;
      sockets.delete(socket);
      lineWaiter?.();
      noteClosed();
    });

    const nextLine = (re: RegExp) =>
      new Promise<boolean>((resolve) => {
        const check = () => {
          while (lines.length > 0) {
            const l = lines.shift()!;
            if (re.test(l)) {
              lineWaiter = undefined;
              return resolve(true);
            }
          }
          if (gone) {
            lineWaiter = undefined;
            resolve(false);
          }
        };
        lineWaiter = check;
        check();
      });

    const endless = (chunk: string, maxBytes: number) =>
      new Promise<void>((resolve) => {
        const block = Buffer.from(chunk.repeat(Math.max(1, Math.floor(16384 / chunk.length))), 'latin1');
        const pump = () => {
          while (!gone && endlessBytes < maxBytes) {
            endlessBytes += block.length;
            if (!io.write(block)) {
              io.once('drain', pump);
              return;
            }
          }
          resolve();
        };
        socket.once('close', () => resolve());
        pump();
      });

    const drip = (text: string, ms: number) =>
      new Promise<void>((resolve) => {
        let at = 0;
        const next = () => {
          if (gone || at >= text.length) return resolve();
          io.write(text.slice(at, at + 1), 'latin1');
          at++;
          setTimeout(next, ms);
        };
        next();
      });

    void (async () => {
      for (const step of script) {
        if (gone) return;
        if ('send' in step) io.write(step.send + '\r\n');
        else if ('raw' in step) io.write(step.raw);
        else if ('drip' in step) await drip(step.drip.text, step.drip.ms);
        else if ('garbage' in step) io.write(randomBytes(step.garbage.bytes));
        else if ('tls' in step) {
          // RFC 3207 §4.2: what came before the handshake is forgotten.
          socket.off('data', onData);
          buf = '';
          lines.length = 0;
          const t = new tls.TLSSocket(socket, { isServer: true, cert: step.tls.cert, key: step.tls.key });
          t.on('data', onData);
          t.on('error', () => undefined);
          io = t;
        } else if ('expect' in step) {
          if (!(await nextLine(step.expect))) return;
        } else if ('silence' in step) return;
        else if ('endless' in step) await endless(step.endless.chunk ?? 'A', step.endless.maxBytes ?? 64 * 1024 * 1024);
        else if ('reset' in step) {
          // Let what was written go out first, then RST.
          io.write('', () => socket.resetAndDestroy());
          return;
        } else if ('close' in step) {
          io.end();
          return;
        }
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;

  return {
    host: '127.0.0.1',
    port,
    received,
    get connections() {
      return connections;
    },
    get endlessBytes() {
      return endlessBytes;
    },
    waitForConnections(count) {
      if (connections >= count) return Promise.resolve();
      return new Promise((resolve) => connectWaiters.push({ count, resolve }));
    },
    waitForClosed(count) {
      if (closed >= count) return Promise.resolve();
      return new Promise((resolve) => closeWaiters.push({ count, resolve }));
    },
    async stop() {
      for (const s of sockets) s.destroy();
      sockets.clear();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      for (const w of [...closeWaiters.splice(0), ...connectWaiters.splice(0)]) w.resolve();
    },
  };
}

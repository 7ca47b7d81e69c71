// Free loopback ports for test servers. Everything binds to 127.0.0.1 only.

import * as dgram from 'node:dgram';
import * as net from 'node:net';

export const LOOPBACK = '127.0.0.1';

function listenTcp(port: number): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen({ host: LOOPBACK, port, exclusive: true }, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

function bindUdp(port: number): Promise<dgram.Socket> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket({ type: 'udp4', reuseAddr: false });
    socket.once('error', (err) => {
      socket.close();
      reject(err);
    });
    socket.bind({ address: LOOPBACK, port, exclusive: true }, () => {
      socket.removeAllListeners('error');
      resolve(socket);
    });
  });
}

function closeTcp(server: net.Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

function closeUdp(socket: dgram.Socket): Promise<void> {
  return new Promise((resolve) => socket.close(() => resolve()));
}

/**
 * A port on 127.0.0.1 that is free for both UDP and TCP at the time of the call. Another process
 * may still take it before the caller binds it, so callers retry on "address in use".
 */
export async function freeUdpTcpPort(attempts = 50): Promise<number> {
  let lastError: unknown;
  for (let i = 0; i < attempts; i++) {
    const tcp = await listenTcp(0);
    const address = tcp.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      const udp = await bindUdp(port);
      await closeUdp(udp);
      await closeTcp(tcp);
      return port;
    } catch (err) {
      lastError = err;
      await closeTcp(tcp);
    }
  }
  throw new Error(`no port free on both UDP and TCP after ${attempts} attempts: ${String(lastError)}`);
}

/**
 * Binds a UDP socket and a TCP server to the same port on 127.0.0.1 and returns both, still bound
 * (no window for another process to take the port in between).
 */
export async function bindUdpAndTcp(
  attempts = 50,
): Promise<{ port: number; udp: dgram.Socket; tcp: net.Server }> {
  let lastError: unknown;
  for (let i = 0; i < attempts; i++) {
    const udp = await bindUdp(0);
    const port = udp.address().port;
    try {
      const tcp = await listenTcp(port);
      return { port, udp, tcp };
    } catch (err) {
      lastError = err;
      await closeUdp(udp);
    }
  }
  throw new Error(`could not bind UDP and TCP on one port after ${attempts} attempts: ${String(lastError)}`);
}

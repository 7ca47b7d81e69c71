// The anchor for the delayed audit (bench/audit.ts): the least a client can do against a DNS server,
// to measure what the server and the machine allow whatever the client is. Every query is encoded
// before the clock starts, all go out on one connected UDP socket with `window` in flight, and a
// reply is matched by its ID alone: no decoding, no checks, no objects per answer. Run as its own
// process, like the audits it is the anchor for.
//
// Usage: node dns-blast.js <host:port> <window> <addresses> <block prefix, e.g. 10.21> <forward suffix, e.g. slow.example>
// Asks what an audit of the first <addresses> addresses of <prefix>.0.0 asks, in the same order of
// kinds (PTR of each address, A of h<n>.<suffix>), and prints one JSON line: queries, seconds,
// queries a second, replies lost (none expected on loopback).
import * as dgram from 'node:dgram';
import * as packet from 'dns-packet';

async function main(): Promise<void> {
  const [server, windowText, countText, prefix, suffix] = process.argv.slice(2);
  const [host, portText] = server.split(':');
  const window = Number(windowText);
  const addresses = Number(countText);
  const queries: Buffer[] = [];
  for (let n = 0; n < addresses; n++) {
    const [t, h] = [n >> 8, n & 0xff];
    queries.push(packet.encode({ type: 'query', id: queries.length, flags: packet.RECURSION_DESIRED, questions: [{ type: 'PTR', name: `${h}.${t}.${prefix.split('.').reverse().join('.')}.in-addr.arpa`, class: 'IN' }] }));
    queries.push(packet.encode({ type: 'query', id: queries.length, flags: packet.RECURSION_DESIRED, questions: [{ type: 'A', name: `h${n}.${suffix}`, class: 'IN' }] }));
  }
  if (queries.length > 65536) throw new Error('at most 32,768 addresses: IDs are 16 bits');
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve, reject) => socket.connect(Number(portText), host, (e?: Error) => (e ? reject(e) : resolve())));
  const answered = new Uint8Array(queries.length);
  let sent = 0;
  let received = 0;
  let last = 0;
  const started = performance.now();
  const cpu = process.cpuUsage();
  await new Promise<void>((resolve) => {
    // A query whose reply never comes is counted lost after 5 s of silence, and the run ends.
    // (With more in flight than the socket buffers hold, the kernel drops some: that is a limit too.)
    let idle = setTimeout(resolve, 5000);
    const send = () => {
      while (sent < queries.length && sent - received < window) socket.send(queries[sent++]);
    };
    socket.on('message', (msg: Buffer) => {
      const id = msg.readUInt16BE(0);
      if (id >= queries.length || answered[id]) return;
      answered[id] = 1;
      received++;
      last = performance.now();
      clearTimeout(idle);
      if (received === queries.length) return resolve();
      idle = setTimeout(resolve, 5000);
      send();
    });
    send();
  });
  // Up to the last reply: the wait for lost ones is not the server's time.
  const seconds = (last - started) / 1000;
  const used = process.cpuUsage(cpu);
  socket.close();
  process.stdout.write(
    JSON.stringify({ queries: received, seconds, perSecond: received / seconds, lost: queries.length - received, cpuSeconds: (used.user + used.system) / 1e6 }) + '\n',
  );
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exitCode = 1;
});

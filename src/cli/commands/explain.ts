import * as fs from 'node:fs';
import * as net from 'node:net';
import { explainBounce, MAX_INPUT, recognised } from '../../core/bounce/explain';
import { bounceToText } from '../../core/bounce/text';
import { jsonText } from '../../core/escape';
import { kindOf, readRegularFileSync } from '../../core/zone/fsReader';
import { type CliIo, defineCommand, JSON_OPTION, readStandardInput, UsageError } from '../shared';

/** A CliIo that can also give the command its standard input (tests pass text this way). */
export interface CliIoWithInput extends CliIo {
  readInput?(): Promise<string>;
}

async function readStdin(signal?: AbortSignal): Promise<string> {
  // Read a little more than we look at, then stop: a bounce can carry a huge attachment.
  const { data } = await readStandardInput(MAX_INPUT * 2, 'explain reads the bounce from standard input: maildns explain < bounce.txt (or give a file: maildns explain bounce.txt)', signal);
  return data.toString('utf8');
}

const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0) | (fs.constants.O_NOCTTY ?? 0);

/**
 * A bounce from a named file: a regular file (its first `max` bytes), or a pipe or FIFO
 * (`maildns explain <(…)`), read as a stream until its writer closes or `max` bytes came. Opened
 * with O_NONBLOCK so a FIFO with no writer never blocks the open; devices and sockets are refused
 * (`/dev/zero` would never end, a terminal would wait for typing).
 */
async function readBounceFile(file: string, max: number, signal?: AbortSignal): Promise<string> {
  let fd: number;
  let st: fs.Stats;
  try {
    fd = fs.openSync(file, OPEN_FLAGS);
  } catch (e) {
    throw new UsageError(`cannot read ${JSON.stringify(file)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    st = fs.fstatSync(fd);
  } catch (e) {
    fs.closeSync(fd);
    throw new UsageError(`cannot read ${JSON.stringify(file)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  if (st.isFIFO()) return readPipe(fd, file, max, signal);
  fs.closeSync(fd);
  if (!st.isFile()) throw new UsageError(`${JSON.stringify(file)} is a ${kindOf(st)}: explain reads a file, a pipe or standard input`);
  const r = readRegularFileSync(file, max, true);
  if (!r.ok) throw new UsageError(`cannot read ${JSON.stringify(file)}: ${r.why === 'unreadable' ? r.error : r.why === 'not-regular' ? `a ${r.kind}` : 'too big'}`);
  return r.text;
}

/** Reads a pipe or FIFO (taking over `fd`) until its writer closes it or `max` bytes came. */
function readPipe(fd: number, file: string, max: number, signal?: AbortSignal): Promise<string> {
  // One non-blocking read first: 0 means no writer (a FIFO nobody writes to: never wait for one),
  // EAGAIN a writer with nothing written yet. Then a stream, which waits without holding a thread.
  const first = Buffer.alloc(Math.min(max, 64 * 1024));
  let got = 0;
  try {
    got = fs.readSync(fd, first, 0, first.length, null);
    if (got === 0) {
      fs.closeSync(fd);
      return Promise.reject(new UsageError(`${JSON.stringify(file)} is a FIFO with nothing written to it: give the bounce as a file or on standard input`));
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') {
      fs.closeSync(fd);
      return Promise.reject(new UsageError(`cannot read ${JSON.stringify(file)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`));
    }
  }
  const chunks: Buffer[] = [first.subarray(0, got)];
  let size = got;
  if (size >= max) {
    fs.closeSync(fd);
    return Promise.resolve(Buffer.concat(chunks).toString('utf8'));
  }
  return new Promise((resolve, reject) => {
    const pipe = new net.Socket({ fd, readable: true, writable: false });
    const done = (err?: unknown) => {
      signal?.removeEventListener('abort', onAbort);
      pipe.destroy();
      if (err) reject(err);
      else resolve(Buffer.concat(chunks).toString('utf8'));
    };
    const onAbort = () => done(signal?.reason ?? new Error('aborted'));
    signal?.addEventListener('abort', onAbort, { once: true });
    pipe.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      // Read a little more than we look at, then stop: a bounce can carry a huge attachment.
      if (size >= max) done();
    });
    pipe.on('end', () => done());
    pipe.on('error', (e) => done(new UsageError(`cannot read ${JSON.stringify(file)}: ${(e as NodeJS.ErrnoException).code ?? e.message}`)));
  });
}

export const explainCommand = defineCommand({
  name: 'explain',
  summary: 'Explain a bounce: recognise the rejection, say what the receiver checked, and which check to run with which values',
  args: '[file]',
  about: [
    `Reads a bounce (the whole message, or just the receiver's reply line) from the file, or from standard input without one or with -, reads its structure (MIME, RFC 3464 delivery status, RFC 5965 feedback report, or the text of a non-MIME bounce: qmail, Exim, Sendmail, Exchange, Gmail, Yahoo, Amazon SES), says what it is (a bounce, a delay or success notice, an auto-reply, a feedback report) and, per recipient, the receiver's reply, the cause in plain words, whose side must act (the sender's DNS, its reputation, the recipient, the content), the values it names (sending IP, HELO name, sender domain, blocklist, the receiving server) and the maildns commands to run with them. The returned message is only context (its Received-SPF says what the receiver saw). A file is read if it is a regular file, a pipe or a FIFO (devices such as /dev/zero are refused; a FIFO nobody writes to ends at once). Reads at most ${MAX_INPUT * 2} bytes and looks at the first ${MAX_INPUT} characters. Asks no DNS.`,
  ],
  options: [JSON_OPTION],
  examples: ['maildns explain < bounce.txt', 'maildns explain bounce.txt --json'],
  exit: '0 a cause was recognised for a recipient (or the message is a success notice, an auto-reply or a feedback report), 2 nothing recognised, empty input or an unreadable file.',
  async main({ values, positionals }, io: CliIoWithInput, signal) {
    if (positionals.length > 1) throw new UsageError(`explain takes at most one file, got ${positionals.length}: ${positionals.join(' ')}`);
    let text: string;
    const file = positionals[0];
    if (file !== undefined && file !== '-') {
      text = await readBounceFile(file, MAX_INPUT * 2, signal);
    } else {
      text = io.readInput ? await io.readInput() : await readStdin(signal);
    }
    if (text.trim() === '') throw new UsageError('no bounce text given: paste the bounce into standard input (maildns explain < bounce.txt)');
    const result = await explainBounce(text);
    io.out(values.json ? jsonText(result) + '\n' : bounceToText(result) + '\n');
    return recognised(result) ? 0 : 2;
  },
});

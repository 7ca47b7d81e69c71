import * as fs from 'node:fs';
import { explainBounce, MAX_INPUT } from '../../core/bounce/explain';
import { bounceToText } from '../../core/bounce/text';
import { jsonText } from '../../core/escape';
import { type CliIo, defineCommand, JSON_OPTION, UsageError } from '../shared';

/** A CliIo that can also give the command its standard input (tests pass text this way). */
export interface CliIoWithInput extends CliIo {
  readInput?(): Promise<string>;
}

async function readStdin(signal?: AbortSignal): Promise<string> {
  if (process.stdin.isTTY) throw new UsageError('explain reads the bounce from standard input: maildns explain < bounce.txt (or give a file: maildns explain bounce.txt)');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    signal?.throwIfAborted();
    const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    chunks.push(b);
    size += b.length;
    // Read a little more than we look at, then stop: a bounce can carry a huge attachment.
    if (size > MAX_INPUT * 2) break;
  }
  return Buffer.concat(chunks).toString('utf8');
}

export const explainCommand = defineCommand({
  name: 'explain',
  summary: 'Explain a bounce: recognise the rejection, say what the receiver checked, and which check to run with which values',
  args: '[file]',
  about: [
    `Reads a bounce (the whole message, or just the receiver's reply line) from the file, or from standard input without one or with -, and says what the receiver checked, in plain words (Postfix, Exim, Sendmail, Microsoft, Gmail, SPF and blocklist texts), the values it names (sending IP, HELO name, domains, the receiving server) and the maildns commands to run with them. Reads at most ${MAX_INPUT * 2} bytes and looks at the first ${MAX_INPUT} characters. Asks no DNS.`,
  ],
  options: [JSON_OPTION],
  examples: ['maildns explain < bounce.txt', 'maildns explain bounce.txt --json'],
  exit: '0 a rejection text was recognised, 2 nothing recognised, empty input or an unreadable file.',
  async main({ values, positionals }, io: CliIoWithInput, signal) {
    if (positionals.length > 1) throw new UsageError(`explain takes at most one file, got ${positionals.length}: ${positionals.join(' ')}`);
    let text: string;
    const file = positionals[0];
    if (file !== undefined && file !== '-') {
      try {
        const fd = await fs.promises.open(file, 'r');
        try {
          const buf = Buffer.alloc(MAX_INPUT * 2);
          const { bytesRead } = await fd.read(buf, 0, buf.length, 0);
          text = buf.subarray(0, bytesRead).toString('utf8');
        } finally {
          await fd.close();
        }
      } catch (e) {
        throw new UsageError(`cannot read ${JSON.stringify(file)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
    } else {
      text = io.readInput ? await io.readInput() : await readStdin(signal);
    }
    if (text.trim() === '') throw new UsageError('no bounce text given: paste the bounce into standard input (maildns explain < bounce.txt)');
    const result = explainBounce(text);
    io.out(values.json ? jsonText(result) + '\n' : bounceToText(result) + '\n');
    return result.matches.length > 0 ? 0 : 2;
  },
});

import * as fs from 'node:fs';
import { DKIM_LIMITS } from '../../core/dkim/limits';
import { jsonText } from '../../core/escape';
import { VerifyInputError, verifyMessage } from '../../core/verify/check';
import { verifyToText } from '../../core/verify/text';
import { kindOf } from '../../core/zone/fsReader';
import { defineCommand, DNS_OPTIONS, readStandardInput, resolverFrom, UsageError } from '../shared';
import type { CliIoWithInput } from './explain';

const MAX = DKIM_LIMITS.messageOctets;
const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0) | (fs.constants.O_NOCTTY ?? 0);

/** A message from a regular file, as bytes (a message need not be UTF-8: DKIM signs octets). */
async function readMessageFile(file: string): Promise<Buffer> {
  let fh: fs.promises.FileHandle;
  try {
    fh = await fs.promises.open(file, OPEN_FLAGS);
  } catch (e) {
    throw new UsageError(`cannot read ${JSON.stringify(file)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw new UsageError(`${JSON.stringify(file)} is a ${kindOf(st)}, not a message file (give - to read standard input)`);
    if (st.size > MAX) throw new UsageError(`${JSON.stringify(file)} is ${st.size} bytes, more than the ${MAX} this tool checks`);
    return await fh.readFile();
  } finally {
    await fh.close();
  }
}

async function readStdin(signal?: AbortSignal): Promise<Buffer> {
  const { data, over } = await readStandardInput(MAX, 'verify reads the message from a file or standard input: maildns verify message.eml (or maildns verify - < message.eml)', signal);
  if (over) throw new UsageError(`the message on standard input is more than the ${MAX} bytes this tool checks`);
  return data;
}

export const verifyCommand = defineCommand({
  name: 'verify',
  summary: "check a received message as its receiver did: every DKIM signature, SPF for the envelope sender from the connecting address, DMARC with alignment, beside the message's own Authentication-Results",
  args: '<message.eml|->',
  about: [
    "Reads a raw message (a saved .eml, or - for standard input; LF or CRLF line ends) and verifies every DKIM-Signature (RFC 6376: key lookup, body hash, the signature over the signed headers, l=, x=, over-signing) with the reason of each failure in plain words. Checks SPF (RFC 7208) for the envelope sender — the Return-Path, or the HELO name when it is empty or missing (§2.4) — from the connecting address, taken from the receiver's topmost Received field that names an outside address (or --ip), and says which field it used. Evaluates DMARC (RFC 7489): the policy found at the From domain or its organizational domain, the relaxed or strict alignment of SPF and of each signature, the result and what a receiver does with the message (p, sp or np; pct).",
    "The message's own Authentication-Results (the receiver's, by its authserv-id) are put beside ours with the likely reason of each difference; ARC sets are listed (not verified cryptographically). Nothing is sent anywhere but DNS questions. Finding codes: docs/dmarc-dkim.md.",
  ],
  options: [{ name: 'ip', kind: 'string', value: 'IP', description: 'the connecting client address to check SPF with, instead of the one the Received fields give' }, ...DNS_OPTIONS],
  examples: ['maildns verify message.eml', 'maildns verify - --ip 192.0.2.10 --json < message.eml', 'maildns verify message.eml --resolver 127.0.0.1:5353'],
  exit: '0 DMARC passes, 1 DMARC fails, the From domain has no policy or a broken one, or there is no usable From address; 2 DNS trouble (DMARC temperror), an unreadable file or bad input.',
  async main({ values, positionals }, io: CliIoWithInput, signal) {
    if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'verify needs a message: maildns verify <message.eml> (or - for standard input)' : `verify takes one message file, got ${positionals.length}: ${positionals.join(' ')}`);
    const file = positionals[0];
    const raw = file === '-' ? (io.readInput ? await io.readInput() : await readStdin(signal)) : await readMessageFile(file);
    if (raw.length === 0 || (typeof raw === 'string' && raw.trim() === '')) throw new UsageError('the message is empty');
    const resolver = resolverFrom(values);
    let result;
    try {
      result = await verifyMessage(raw, { resolver, signal, ...(values.ip !== undefined ? { ip: values.ip } : {}) });
    } catch (e) {
      if (e instanceof VerifyInputError) throw new UsageError(`--ip: ${e.message}`);
      throw e;
    }
    io.out(values.json ? jsonText(result) + '\n' : verifyToText(result) + '\n');
    if (result.dmarc.result === 'temperror') return 2;
    return result.dmarc.result === 'pass' ? 0 : 1;
  },
});

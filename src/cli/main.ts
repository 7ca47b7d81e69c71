// `maildns`: the command-line face of the same core the extension uses.
// Exit status: 0 pass, 1 fail, 2 could not decide (bad input, DNS trouble).
import { parseArgs } from 'node:util';
import { createResolver } from '../core/dns/resolver';
import { checkRdns, InputError } from '../core/rdns/check';
import { rdnsToText } from '../core/report/text';

const USAGE = `Usage:
  maildns rdns <ip> [--resolver host[:port]]... [--timeout ms] [--max-steps n] [--json]

Commands:
  rdns    PTR lookup, forward-confirmed reverse DNS (RFC 8601 iprev) and the whole chain

Options:
  --resolver host[:port]  DNS server to ask (repeatable); default: the system's resolvers
  --timeout ms            wait for one DNS reply (default 3000)
  --max-steps n           hops the chain walk follows (default 8)
  --json                  print the result as one JSON object

Exit status: 0 pass, 1 fail, 2 could not decide (bad input or DNS trouble).`;

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

class UsageError extends Error {}

function positiveInt(value: string | undefined, option: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${option} must be a positive whole number, not ${JSON.stringify(value)}`);
  return n;
}

export async function runCli(argv: string[], io: CliIo, signal?: AbortSignal): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        resolver: { type: 'string', multiple: true },
        timeout: { type: 'string' },
        'max-steps': { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (e) {
    io.err(`maildns: ${(e as Error).message}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    (values.help ? io.out : io.err)(USAGE + '\n');
    return values.help ? 0 : 2;
  }
  try {
    if (command !== 'rdns') throw new UsageError(`unknown command ${JSON.stringify(command)}; try: maildns rdns <ip>`);
    if (rest.length !== 1) throw new UsageError(rest.length === 0 ? 'rdns needs an IP address: maildns rdns <ip>' : `rdns takes one IP address, got ${rest.length}: ${rest.join(' ')}`);
    const resolver = createResolver({ servers: values.resolver, timeoutMs: positiveInt(values.timeout, '--timeout', 3000) });
    const result = await checkRdns(rest[0], { resolver, maxSteps: positiveInt(values['max-steps'], '--max-steps', 8), signal });
    io.out(values.json ? JSON.stringify(result, null, 2) + '\n' : rdnsToText(result) + '\n');
    return result.fcrdns === 'pass' ? 0 : result.fcrdns === 'temperror' ? 2 : 1;
  } catch (e) {
    if (e instanceof UsageError || e instanceof InputError || (e instanceof Error && e.message.startsWith('resolver '))) {
      io.err(`maildns: ${e.message}\n`);
      return 2;
    }
    if (e instanceof Error && e.name === 'AbortError') {
      io.err('maildns: interrupted\n');
      return 2;
    }
    throw e;
  }
}

if (require.main === module) {
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  runCli(process.argv.slice(2), { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) }, controller.signal).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`maildns: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 2;
    },
  );
}

// `maildns`: the command-line face of the same core the extension uses.
// Exit status: 0 pass, 1 fail, 2 could not decide (bad input, DNS trouble).
// esbuild keeps only `version` of package.json in the bundle.
import { version } from '../../package.json';
import { terminalText } from '../core/escape';
import { type CliCommand, type CliIo, DNS_OPTIONS, optionLines, OUTPUT_CLOSED, UsageError } from './shared';

export type { CliIo } from './shared';

/**
 * The commands, each loaded only when it runs (or for the help that lists them all): a command's
 * module and the core it needs are evaluated on first use, so `maildns rdns` does not pay for the
 * zone parser, the MIME reader or the Public Suffix List (docs/benchmarks.md, CLI start).
 */
interface CommandEntry {
  name: string;
  load(): Promise<CliCommand>;
}

const COMMANDS: readonly CommandEntry[] = [
  { name: 'rdns', load: async () => (await import('./commands/rdns')).rdnsCommand },
  { name: 'spf', load: async () => (await import('./commands/spf')).spfCommand },
  { name: 'send-as', load: async () => (await import('./commands/send-as')).sendAsCommand },
  { name: 'helo', load: async () => (await import('./commands/helo')).heloCommand },
  { name: 'smtp', load: async () => (await import('./commands/smtp')).smtpCommand },
  { name: 'mx', load: async () => (await import('./commands/mx')).mxCommand },
  { name: 'dnsbl', load: async () => (await import('./commands/dnsbl')).dnsblCommand },
  { name: 'dmarc', load: async () => (await import('./commands/dmarc')).dmarcCommand },
  { name: 'dkim', load: async () => (await import('./commands/dkim')).dkimCommand },
  { name: 'verify', load: async () => (await import('./commands/verify')).verifyCommand },
  { name: 'check', load: async () => (await import('./commands/check')).checkCommand },
  { name: 'explain', load: async () => (await import('./commands/explain')).explainCommand },
  { name: 'lint', load: async () => (await import('./commands/lint')).lintCommand },
  { name: 'audit', load: async () => (await import('./commands/audit')).auditCommand },
];

async function usage(): Promise<string> {
  const commands = await Promise.all(COMMANDS.map((c) => c.load()));
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'Usage:',
    ...commands.map((c) => `  ${c.synopsis}`),
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Common options (every command but explain; lint asks DNS only with --live or --resolver):',
    ...optionLines(DNS_OPTIONS),
    '',
    'maildns <command> --help (or maildns help <command>) tells what a command does, with all its options',
    'and examples; maildns --version (-V) prints the version.',
    '',
    'Exit status: 0 pass, 1 fail, 2 could not decide (bad input or DNS trouble).',
  ].join('\n');
}

async function find(name: string): Promise<CliCommand> {
  const command = COMMANDS.find((c) => c.name === name);
  if (command) return command.load();
  const what = name.startsWith('-') ? `unknown option ${name}` : `unknown command ${JSON.stringify(name)}`;
  throw new UsageError(`${what}; commands: ${COMMANDS.map((c) => c.name).join(', ')} (maildns --help)`);
}

export async function runCli(argv: string[], rawIo: CliIo, signal?: AbortSignal): Promise<number> {
  // Everything maildns writes goes to a terminal or a pipe read by one: no control character from
  // DNS, a server, a file name or an argument reaches it raw, whichever renderer made the text.
  // Everything else the caller's io carries (a command's standard input, for tests) stays.
  const io: CliIo = { ...rawIo, out: (t) => rawIo.out(terminalText(t)), err: (t) => rawIo.err(terminalText(t)) };
  const [name, ...rest] = argv;
  try {
    if (name === undefined || name === '--help' || name === '-h' || (name === 'help' && rest.length === 0)) {
      (name === undefined ? io.err : io.out)((await usage()) + '\n');
      return name === undefined ? 2 : 0;
    }
    if (name === '--version' || name === '-V') {
      io.out(`maildns ${version}\n`);
      return 0;
    }
    if (name === 'help') {
      io.out((await find(rest[0])).help() + '\n');
      return 0;
    }
    return await (await find(name)).run(rest, io, signal);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`maildns${e.command ? ` ${e.command}` : ''}: ${e.message.split('\n')[0]}\n`);
      return 2;
    }
    if (e instanceof Error && e.name === 'AbortError') {
      if (signal?.reason === OUTPUT_CLOSED) return 0;
      io.err('maildns: interrupted\n');
      return 2;
    }
    throw e;
  }
}

/**
 * Writes to a stream that a reader may close early (`maildns lint big.zone | head -1`): once the
 * pipe is closed (EPIPE), later output is dropped and the command ends as it would have, with its
 * own exit status and no stack trace. Any other write failure (a full disk: ENOSPC, EIO) drops the
 * rest too, and `on.failed` hears of it once so the command can say so and fail; `on.closed` hears
 * of a closed pipe (the command can stop its work).
 */
export function pipeSafe(
  stream: NodeJS.WritableStream & { on(event: 'error', listener: (e: NodeJS.ErrnoException) => void): unknown },
  on: { closed?: () => void; failed?: (e: NodeJS.ErrnoException) => void } = {},
): (text: string) => void {
  let closed = false;
  const stop = (e: NodeJS.ErrnoException) => {
    if (closed) return;
    closed = true;
    if (e.code === 'EPIPE' || e.code === 'ERR_STREAM_DESTROYED') on.closed?.();
    else on.failed?.(e);
  };
  stream.on('error', stop);
  return (text) => {
    if (closed) return;
    try {
      stream.write(text);
    } catch (e) {
      stop(e as NodeJS.ErrnoException);
    }
  };
}

/** The backlog of a stream (CliIo.backlog): one promise while it needs draining, settled on drain or close. */
export function backlogOf(stream: NodeJS.WritableStream & { writableNeedDrain?: boolean }): () => Promise<void> | undefined {
  let waiting: Promise<void> | undefined;
  return () => {
    if (!stream.writableNeedDrain) return undefined;
    return (waiting ??= new Promise<void>((resolve) => {
      const done = () => {
        waiting = undefined;
        stream.off('drain', done);
        stream.off('close', done);
        resolve();
      };
      stream.on('drain', done);
      stream.on('close', done);
    }));
  };
}

if (require.main === module) {
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  let lost: NodeJS.ErrnoException | undefined;
  // Standard error has nowhere to report its own failure: its output is dropped, quietly.
  const err = pipeSafe(process.stderr);
  const out = pipeSafe(process.stdout, {
    // A reader that goes away (`| head`) closes the pipe: stop asking DNS and end without a word.
    closed: () => controller.abort(OUTPUT_CLOSED),
    failed: (e) => {
      lost = e;
      err(terminalText(`maildns: could not write standard output (${e.code ?? e.message}): the output is incomplete\n`));
      process.exitCode = 2;
      controller.abort(OUTPUT_CLOSED);
    },
  });
  runCli(process.argv.slice(2), { out, err, backlog: backlogOf(process.stdout) }, controller.signal).then(
    (code) => {
      process.exitCode = lost ? 2 : code;
    },
    (e: unknown) => {
      err(terminalText(`maildns: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`));
      process.exitCode = 2;
    },
  );
}

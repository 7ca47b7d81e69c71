// `maildns`: the command-line face of the same core the extension uses.
// Exit status: 0 pass, 1 fail, 2 could not decide (bad input, DNS trouble).
// esbuild keeps only `version` of package.json in the bundle.
import { version } from '../../package.json';
import { terminalText } from '../core/escape';
import { checkCommand } from './commands/check';
import { dkimCommand } from './commands/dkim';
import { dmarcCommand } from './commands/dmarc';
import { dnsblCommand } from './commands/dnsbl';
import { explainCommand } from './commands/explain';
import { heloCommand } from './commands/helo';
import { lintCommand } from './commands/lint';
import { mxCommand } from './commands/mx';
import { rdnsCommand } from './commands/rdns';
import { sendAsCommand } from './commands/send-as';
import { smtpCommand } from './commands/smtp';
import { spfCommand } from './commands/spf';
import { type CliCommand, type CliIo, DNS_OPTIONS, optionLines, UsageError } from './shared';

export type { CliIo } from './shared';

const COMMANDS: CliCommand[] = [
  rdnsCommand,
  spfCommand,
  sendAsCommand,
  heloCommand,
  smtpCommand,
  mxCommand,
  dnsblCommand,
  dmarcCommand,
  dkimCommand,
  checkCommand,
  explainCommand,
  lintCommand,
];

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'Usage:',
    ...COMMANDS.map((c) => `  ${c.synopsis}`),
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
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

function find(name: string): CliCommand {
  const command = COMMANDS.find((c) => c.name === name);
  if (command) return command;
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
      (name === undefined ? io.err : io.out)(usage() + '\n');
      return name === undefined ? 2 : 0;
    }
    if (name === '--version' || name === '-V') {
      io.out(`maildns ${version}\n`);
      return 0;
    }
    if (name === 'help') {
      io.out(find(rest[0]).help() + '\n');
      return 0;
    }
    return await find(name).run(rest, io, signal);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`maildns${e.command ? ` ${e.command}` : ''}: ${e.message.split('\n')[0]}\n`);
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
  // A reader that stops early (`maildns explain bounce.eml | head`) closes the pipe: stop writing and
  // end quietly with the command's own exit code, as cat and grep do (no EPIPE stack trace).
  let closed = false;
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    closed = true;
  });
  const out = (t: string) => {
    if (!closed) process.stdout.write(t);
  };
  runCli(process.argv.slice(2), { out, err: (t) => process.stderr.write(t) }, controller.signal).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(terminalText(`maildns: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`));
      process.exitCode = 2;
    },
  );
}

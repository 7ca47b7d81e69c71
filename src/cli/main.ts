// `maildns`: the command-line face of the same core the extension uses.
// Exit status: 0 pass, 1 fail, 2 could not decide (bad input, DNS trouble).
import { checkCommand } from './commands/check';
import { dnsblCommand } from './commands/dnsbl';
import { explainCommand } from './commands/explain';
import { heloCommand } from './commands/helo';
import { lintCommand } from './commands/lint';
import { mxCommand } from './commands/mx';
import { rdnsCommand } from './commands/rdns';
import { sendAsCommand } from './commands/send-as';
import { smtpCommand } from './commands/smtp';
import { spfCommand } from './commands/spf';
import { type CliCommand, type CliIo, UsageError } from './shared';

export type { CliIo } from './shared';

const COMMANDS: CliCommand[] = [
  rdnsCommand,
  spfCommand,
  sendAsCommand,
  heloCommand,
  smtpCommand,
  mxCommand,
  dnsblCommand,
  checkCommand,
  explainCommand,
  lintCommand,
];

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'Usage:',
    ...COMMANDS.map((c) => `  ${c.usage}`),
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Common options:',
    '  --resolver host[:port]  DNS server to ask (repeatable); default: the system\'s resolvers',
    '  --timeout ms            wait for one DNS reply (default 3000)',
    '  --json                  print the result as one JSON object',
    '',
    'Exit status: 0 pass, 1 fail, 2 could not decide (bad input or DNS trouble).',
  ].join('\n');
}

export async function runCli(argv: string[], io: CliIo, signal?: AbortSignal): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.err : io.out)(usage() + '\n');
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  try {
    if (!command) throw new UsageError(`unknown command ${JSON.stringify(name)}; commands: ${COMMANDS.map((c) => c.name).join(', ')} (maildns --help)`);
    if (rest.includes('--help') || rest.includes('-h')) {
      io.out(`Usage: ${command.usage}\n`);
      return 0;
    }
    return await command.run(rest, io, signal);
  } catch (e) {
    // parseArgs reports unknown options and missing values as TypeErrors with an ERR_PARSE_ARGS code.
    const parseError = e instanceof TypeError && String((e as { code?: string }).code).startsWith('ERR_PARSE_ARGS');
    if (e instanceof UsageError || parseError) {
      io.err(`maildns: ${(e as Error).message.split('\n')[0]}\n`);
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

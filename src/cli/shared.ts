// What every maildns command shares: output sinks, usage errors, and the one declaration of each
// command's options, from which both the argument parser's table and the help text are made.
import { parseArgs } from 'node:util';
import { createResolver } from '../core/dns/resolver';
import type { Resolver } from '../core/dns/types';
import { MAX_DNS_TIMEOUT_MS } from '../core/limits';

/**
 * Standard input as bytes, read until it ends or holds more than `limit` bytes (then `over`: reading
 * stops there, so a huge or endless input costs no more than the limit). A terminal is refused with
 * `ttyHint`: a command that reads standard input never waits on a user who did not mean to type.
 */
export async function readStandardInput(limit: number, ttyHint: string, signal?: AbortSignal): Promise<{ data: Buffer; over: boolean }> {
  if (process.stdin.isTTY) throw new UsageError(ttyHint);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    signal?.throwIfAborted();
    const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    chunks.push(b);
    size += b.length;
    if (size > limit) return { data: Buffer.concat(chunks), over: true };
  }
  return { data: Buffer.concat(chunks), over: false };
}

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /**
   * When standard output's reader is behind (a pipe to a slow reader: Node buffers what it cannot
   * write yet), a promise that resolves once it has caught up; undefined when it is not. A command
   * that writes without end (audit) waits on it, so its output never piles up in memory.
   */
  backlog?(): Promise<void> | undefined;
  /** The clock (tests set it): `maildns lint`'s fixes bump SOA serials to today. `new Date()` when absent. */
  now?(): Date;
}

/** Bad arguments: printed as one line, exit status 2. `command` names the command they were for. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly command?: string,
  ) {
    super(message);
  }
}

/** The abort reason when standard output was closed (`maildns audit … | head`): the run ends quietly. */
export const OUTPUT_CLOSED: Error = Object.assign(new Error('standard output was closed'), { name: 'AbortError' });

/** One option, declared once: the parser, the synopsis and the help all read this. */
export type OptionSpec =
  | { name: string; kind: 'flag'; description: string }
  | { name: string; kind: 'string'; value: string; description: string; multiple?: boolean; required?: boolean }
  | { name: string; kind: 'int'; value: string; description: string; default: number; min: number; max: number };

type ValueOf<O extends OptionSpec> = O extends { kind: 'flag' }
  ? boolean
  : O extends { kind: 'int' }
    ? number
    : O extends { multiple: true }
      ? string[]
      : O extends { required: true }
        ? string
        : string | undefined;

/** The parsed options of a command: flags as booleans, numbers checked and defaulted, lists never undefined. */
export type OptionValues<Os extends readonly OptionSpec[]> = { [O in Os[number] as O['name']]: ValueOf<O> };

/** Every command's `--json`. */
export const JSON_OPTION = { name: 'json', kind: 'flag', description: 'print the result as one JSON object instead of the report' } as const satisfies OptionSpec;

/** The options every DNS-using command takes. */
export const DNS_OPTIONS = [
  { name: 'resolver', kind: 'string', value: 'host[:port]', multiple: true, description: "DNS server to ask, an IP address (IPv6 as [addr]:port); repeatable. Default: the system's resolvers" },
  { name: 'timeout', kind: 'int', value: 'ms', default: 3000, min: 1, max: MAX_DNS_TIMEOUT_MS, description: 'how long to wait for one DNS reply; each query is tried 3 times' },
  JSON_OPTION,
] as const satisfies readonly OptionSpec[];

const HELP: OptionSpec = { name: 'help', kind: 'flag', description: 'print this help' };

export interface CommandSpec<Os extends readonly OptionSpec[]> {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** The positional arguments, as the synopsis shows them: `<ip> <domain>`. */
  args: string;
  /** What the command does, in paragraphs. */
  about: string[];
  options: Os;
  /** Command lines, each optionally followed by `  # what it shows`. */
  examples: string[];
  /** What each exit status means. */
  exit: string;
  /** Runs with the parsed arguments; returns the exit status. */
  main(input: { values: OptionValues<Os>; positionals: string[] }, io: CliIo, signal?: AbortSignal): Promise<number>;
}

export interface CliCommand {
  name: string;
  summary: string;
  /** One usage line, made from the options. */
  synopsis: string;
  /** The whole help: synopsis, what it does, every option, examples, exit status. */
  help(): string;
  /** Runs with the arguments after the command name; returns the exit status. */
  run(args: string[], io: CliIo, signal?: AbortSignal): Promise<number>;
}

function optionWord(o: OptionSpec): string {
  return o.kind === 'flag' ? `--${o.name}` : `--${o.name} ${o.value}`;
}

function synopsisOf(name: string, args: string, options: readonly OptionSpec[]): string {
  const words = options.map((o) => {
    if (o.kind === 'string' && o.required) return optionWord(o);
    return `[${optionWord(o)}]${o.kind === 'string' && o.multiple ? '...' : ''}`;
  });
  return ['maildns', name, args, ...words].filter((w) => w !== '').join(' ');
}

const WIDTH = 80;

/** Words of `text` in lines of at most `width` characters (a longer word stands alone). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  return [...lines, line];
}

/** Options as help shows them: the option, padded, then what it does with its default and range. */
export function optionLines(options: readonly OptionSpec[]): string[] {
  const words = options.map((o) => (o.name === 'help' ? '-h, --help' : optionWord(o)));
  const width = Math.max(...words.map((w) => w.length));
  return options.flatMap((o, i) => {
    const extra = o.kind === 'int' ? ` (default ${o.default}; ${o.min} to ${o.max})` : o.kind === 'string' && o.required ? ' (required)' : '';
    const text = wrap(`${o.description}${extra}`, Math.max(40, WIDTH - width - 4));
    return text.map((t, j) => `  ${(j === 0 ? words[i] : '').padEnd(width)}  ${t}`);
  });
}

function helpText(spec: CommandSpec<readonly OptionSpec[]>, synopsis: string): string {
  return [
    `Usage: ${synopsis}`,
    '',
    ...wrap(`${spec.summary}.`, WIDTH),
    ...spec.about.flatMap((p) => ['', ...wrap(p, WIDTH)]),
    '',
    'Options:',
    ...optionLines([...spec.options, HELP]),
    '',
    'Examples:',
    ...spec.examples.map((e) => `  ${e}`),
    '',
    ...wrap(`Exit status: ${spec.exit}`, WIDTH),
  ].join('\n');
}

function intValue(command: string, o: Extract<OptionSpec, { kind: 'int' }>, text: string): number {
  // Plain decimal digits only: Number() would also take '0x10', '1e3', ' 5 ' and '+5'.
  const n = /^\d{1,16}$/.test(text) ? Number(text) : NaN;
  if (!(n >= o.min && n <= o.max)) {
    const range = o.min === 1 ? `a positive whole number up to ${o.max}` : `a whole number from ${o.min} to ${o.max}`;
    throw new UsageError(`--${o.name} must be ${range} (${o.value}), not ${JSON.stringify(text)}`, command);
  }
  return n;
}

type Parsed = { help: true } | { help: false; values: Record<string, unknown>; positionals: string[] };

/** Parses a command's arguments by its declared options: unknown options and missing values are usage errors. */
function parse(command: string, options: readonly OptionSpec[], args: string[]): Parsed {
  const byName = new Map([...options, HELP].map((o) => [o.name, o]));
  const table = Object.fromEntries(
    [...options, HELP].map((o) => [o.name, o.kind === 'flag' ? { type: 'boolean' as const, ...(o.name === 'help' ? { short: 'h' } : {}) } : { type: 'string' as const, multiple: o.kind === 'string' && o.multiple === true }]),
  );
  // Not strict: parseArgs' own messages are multi-line and do not say which command; we word them.
  const { tokens } = parseArgs({ args, options: table, allowPositionals: true, strict: false, tokens: true });
  const listed = `(maildns ${command} --help lists its options)`;
  if (tokens.some((t) => t.kind === 'option' && t.name === 'help')) return { help: true };
  const values: Record<string, unknown> = {};
  const positionals: string[] = [];
  for (const t of tokens) {
    if (t.kind === 'positional') positionals.push(t.value);
    if (t.kind !== 'option') continue;
    const o = byName.get(t.name);
    if (!o) throw new UsageError(`unknown option ${t.rawName} ${listed}`, command);
    if (o.kind === 'flag') {
      if (t.value !== undefined) throw new UsageError(`${t.rawName} takes no value ${listed}`, command);
      values[o.name] = true;
      continue;
    }
    // `--timeout --json`: parseArgs takes the next word as the value; an option word is no value.
    const value = t.value;
    if (value === undefined || (!t.inlineValue && value.startsWith('-') && byName.has(value.replace(/^--?/, '').replace(/=.*$/, '')))) {
      throw new UsageError(`${t.rawName} needs a value: --${o.name} <${o.value}> ${listed}`, command);
    }
    if (o.kind === 'int') values[o.name] = intValue(command, o, value);
    else if (o.multiple) values[o.name] = [...((values[o.name] as string[] | undefined) ?? []), value];
    else values[o.name] = value;
  }
  for (const o of options) {
    if (values[o.name] !== undefined) continue;
    if (o.kind === 'flag') values[o.name] = false;
    else if (o.kind === 'int') values[o.name] = o.default;
    else if (o.multiple) values[o.name] = [];
    else if (o.required) throw new UsageError(`${command} needs --${o.name} <${o.value}>: ${o.description} ${listed}`);
  }
  return { help: false, values, positionals };
}

/** A command from its one declaration: `run` parses by the declared options, `help` prints them. */
export function defineCommand<const Os extends readonly OptionSpec[]>(spec: CommandSpec<Os>): CliCommand {
  const synopsis = synopsisOf(spec.name, spec.args, spec.options);
  const help = () => helpText(spec, synopsis);
  return {
    name: spec.name,
    summary: spec.summary,
    synopsis,
    help,
    async run(args, io, signal) {
      const parsed = parse(spec.name, spec.options, args);
      if (parsed.help) {
        io.out(help() + '\n');
        return 0;
      }
      return spec.main({ values: parsed.values as OptionValues<Os>, positionals: parsed.positionals }, io, signal);
    },
  };
}

/** The resolver the DNS options ask for; a bad --resolver is a usage error naming it. */
export function resolverFrom(values: { resolver: readonly string[]; timeout: number }): Resolver {
  try {
    return createResolver({ servers: [...values.resolver], timeoutMs: values.timeout });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

import { createReadStream } from 'node:fs';
import { statSync } from 'node:fs';
import * as path from 'node:path';
import { AUDIT_RESOLVER_OPTIONS, auditRange, AuditTally, type AuditRow, CSV_COLUMNS, csvOf } from '../../core/audit/audit';
import { parseRange, rangeAddresses } from '../../core/audit/range';
import { reverseZoneAddresses, zoneResolver } from '../../core/audit/zones';
import { createResolver, type PooledResolver } from '../../core/dns/resolver';
import type { Resolver } from '../../core/dns/types';
import { jsonText, terminalLine } from '../../core/escape';
import { parseIp, specialPurpose } from '../../core/ip';
import { fsReader } from '../../core/zone/fsReader';
import { CLI_READ_LIMITS } from '../../core/zone/limits';
import { findZoneFiles, parseWorkspace } from '../../core/zone/workspace';
import { ZoneIndex } from '../../core/zone/zoneIndex';
import { type CliIo, defineCommand, DNS_OPTIONS, OUTPUT_CLOSED, UsageError } from '../shared';

/** Standard input for `-`, given by tests; the process's own otherwise. */
export interface AuditIo extends CliIo {
  input?: AsyncIterable<string | Buffer>;
}

/** The polite defaults, stated in the help: an audit is a flood unless bounded. */
export const AUDIT_DEFAULTS = { concurrency: 32, rate: 500 } as const;

/** A line of an address file longer than this is not an address: skipped whole, never buffered. */
const MAX_LINE = 1024;
/** Addresses a --resume file may list (a /16 is 65,536). */
const MAX_RESUME = 1 << 20;
const PROGRESS_EVERY_MS = 1000;

export const auditCommand = defineCommand({
  name: 'audit',
  summary: 'PTR and forward confirmation (iprev) of every address of a block, a list, or the workspace’s reverse zones',
  args: '<cidr|file|->',
  about: [
    'For every address of a CIDR block (IPv4 /16 to /32, IPv6 /112 to /128), of a file of addresses (one a line, # comments), or of standard input (-): its PTR names, RFC 8601 iprev (pass, fail, permerror, temperror), whether a PTR name looks generic, the name that resolves back, and the worst finding of the rDNS check for the step receivers check. Rows are printed as each address is done (not in address order): text, NDJSON (--json) or CSV (--csv). Progress and the summary by verdict and finding go to standard error.',
    `Be polite: an audit asks 2 or more DNS questions per address, of your resolver and, behind it, of the authoritative servers. By default at most ${AUDIT_DEFAULTS.concurrency} addresses are checked at once and at most ${AUDIT_DEFAULTS.rate} lookups are made a second; raise them only against a resolver you run (--rate 0 lifts the limit).`,
    'A run cut short can go on: --resume FILE skips the addresses already in FILE (its earlier --json or --csv output), so `maildns audit 10.1.0.0/16 --csv --resume out.csv >> out.csv` completes it. With --zones DIR nothing is asked of DNS: every PTR in the zone files under DIR is checked against the forward zones there (names outside them are asked of --resolver when one is given).',
  ],
  options: [
    { name: 'concurrency', kind: 'int', value: 'n', default: AUDIT_DEFAULTS.concurrency, min: 1, max: 1024, description: 'addresses checked at once' },
    { name: 'rate', kind: 'int', value: 'lookups/s', default: AUDIT_DEFAULTS.rate, min: 0, max: 1_000_000, description: 'DNS lookups a second at most; 0: no limit' },
    { name: 'csv', kind: 'flag', description: 'print CSV (a header, then one row an address) instead of text' },
    { name: 'resume', kind: 'string', value: 'file', description: 'skip the addresses listed in this earlier --json or --csv output' },
    { name: 'zones', kind: 'string', value: 'dir', description: 'audit the PTRs of the zone files under this directory against its forward zones, offline' },
    ...DNS_OPTIONS,
  ],
  examples: [
    'maildns audit 198.51.100.0/24 --resolver 127.0.0.1:5353',
    'maildns audit 10.1.0.0/16 --csv > audit.csv                   # progress and summary on stderr',
    'maildns audit 10.1.0.0/16 --csv --resume audit.csv >> audit.csv  # go on after an interruption',
    'maildns audit ips.txt --json --concurrency 64 --rate 2000',
    'maildns audit --zones zones/                                    # offline: the workspace’s reverse zones',
  ],
  exit: '0 every address passes, 1 some fail (fail or permerror), 2 only DNS trouble kept some from a verdict (temperror), or bad input.',
  async main({ values, positionals }, rawIo, signal) {
    const io = rawIo as AuditIo;
    if (values.json && values.csv) throw new UsageError('--json and --csv: choose one');
    let source: Iterable<string> | AsyncIterable<string>;
    let total: number | undefined;
    let label: string;
    let resolver: Resolver;
    let pooled: PooledResolver | undefined;
    const dns = () => {
      try {
        // One socket pool, a bounded cache: memory stays flat however long the run (docs/security.md).
        return (pooled = createResolver({ servers: [...values.resolver], timeoutMs: values.timeout, ...AUDIT_RESOLVER_OPTIONS }));
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
    };
    if (values.zones !== undefined) {
      if (positionals.length > 0) throw new UsageError('--zones audits the zone files under a directory: give no block or file with it');
      const { files, errors } = findZoneFiles([values.zones]);
      if (files.length === 0) throw new UsageError(errors[0] ?? `no zone files under ${values.zones}`);
      for (const e of errors) io.err(`maildns: ${terminalLine(e)}\n`);
      const root = isDirectory(values.zones) ? values.zones : path.dirname(values.zones);
      const reader = fsReader({ roots: [root], rootsName: 'the directory given to maildns audit --zones', limits: CLI_READ_LIMITS });
      const index = new ZoneIndex(parseWorkspace(files, reader));
      resolver = zoneResolver(index, values.resolver.length > 0 ? dns() : undefined);
      source = reverseZoneAddresses(index);
      label = `the reverse zones under ${values.zones}`;
    } else {
      if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'audit needs a CIDR block, a file of addresses, or - for standard input: maildns audit <cidr|file|->' : `audit takes one block or file, got ${positionals.length}: ${positionals.join(' ')}`);
      const what = positionals[0];
      const range = parseRange(what);
      if (range.ok) {
        source = rangeAddresses(range.range);
        total = range.range.count;
        label = range.range.cidr;
        const special = specialPurpose(range.range.family === 4 ? Array.from(range.range.base).join('.') : what.split('/')[0]);
        if (special) io.err(`maildns: note: ${range.range.cidr} is in ${special.network}, ${special.name} (${special.rfc}): receivers on the Internet never see mail from it\n`);
      } else if (what === '-') {
        source = addressLines(io.input ?? process.stdin);
        label = 'standard input';
      } else if (/^[0-9a-fA-F:.]+(\/\d+)?$/.test(what) && !isFile(what)) {
        throw new UsageError(range.error);
      } else {
        if (!isFile(what)) throw new UsageError(`${what}: not a CIDR block and no such file`);
        source = addressLines(createReadStream(what));
        label = what;
      }
      resolver = dns();
    }

    if (values.resume !== undefined) {
      const done = await resumeSet(values.resume);
      if (done.size > 0) io.err(`maildns: resuming: ${done.size.toLocaleString('en-US')} addresses already in ${terminalLine(values.resume)} are skipped\n`);
      source = skipping(source, done);
      if (total !== undefined) total = Math.max(0, total - done.size);
    }

    const tally = new AuditTally();
    const started = performance.now();
    let lastProgress = started;
    let invalid = 0;
    const format = values.json ? 'json' : values.csv ? 'csv' : 'text';
    if (format === 'csv' && values.resume === undefined) io.out(CSV_COLUMNS.join(',') + '\n');
    try {
      for await (const row of auditRange(source, {
        resolver,
        concurrency: values.concurrency,
        // Offline, the zone files answer: no one to be polite to.
        rate: values.zones !== undefined && values.resolver.length === 0 ? 0 : values.rate,
        signal,
        onInvalid: (text, error) => {
          invalid++;
          if (invalid <= 20) io.err(`maildns: skipped ${terminalLine(JSON.stringify(text.slice(0, 80)))}: ${terminalLine(error)}\n`);
        },
        onProgress: (p) => {
          const now = performance.now();
          if (now - lastProgress < PROGRESS_EVERY_MS) return;
          lastProgress = now;
          const rate = Math.round((p.done * 1000) / (now - started));
          io.err(`maildns audit: ${p.done.toLocaleString('en-US')}${total !== undefined ? ` of ${total.toLocaleString('en-US')}` : ''} addresses, ${rate.toLocaleString('en-US')}/s, ${p.inFlight} in flight\n`);
        },
      })) {
        tally.add(row);
        io.out((format === 'json' ? jsonText(row, 0) : format === 'csv' ? csvOf(row) : textOf(row)) + '\n');
        // A slow reader slows the audit (its window fills, no new checks start) instead of rows piling up.
        const behind = io.backlog?.();
        if (behind) await behind;
      }
    } catch (e) {
      // Interrupted (Ctrl-C): say how far it got and how to go on; a closed pipe ends without a word.
      if (e instanceof Error && e.name === 'AbortError' && signal?.reason !== OUTPUT_CLOSED) {
        io.err(`maildns audit: interrupted after ${tally.total.toLocaleString('en-US')} addresses${format === 'text' ? '' : ` (run again with --resume <this output> to go on)`}\n`);
      }
      throw e;
    } finally {
      pooled?.close();
    }
    const secs = (performance.now() - started) / 1000;
    const v = tally.byVerdict;
    const summary = [
      `audit of ${label}: ${tally.total.toLocaleString('en-US')} addresses in ${secs.toFixed(1)} s (${Math.round(tally.total / Math.max(secs, 0.001)).toLocaleString('en-US')}/s)${invalid > 0 ? `; ${invalid} lines skipped (not addresses)` : ''}`,
      `iprev: ${v.pass} pass, ${v.fail} fail, ${v.permerror} permerror, ${v.temperror} temperror; ${tally.generic} with a generic-looking PTR name`,
      `worst finding: ${tally.findings().map(([code, n]) => `${n} ${code}`).join(', ') || 'none'}`,
    ];
    io.err(summary.map(terminalLine).join('\n') + '\n');
    if (tally.total === 0 && invalid > 0) return 2;
    return v.fail + v.permerror > 0 ? 1 : v.temperror > 0 || (tally.total === 0 && values.zones !== undefined) ? 2 : 0;
  },
});

function textOf(row: AuditRow): string {
  const names = row.ptr.length > 0 ? row.ptr.join(' ') : row.rcode === 'NXDOMAIN' ? '(no PTR)' : row.rcode === 'NOERROR' ? '(no PTR data)' : `(${row.rcode})`;
  return terminalLine(`${row.ip.padEnd(15)} ${row.iprev.padEnd(9)} ${names}  ${row.finding.code}${row.generic ? ' (generic)' : ''}`);
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** Lines of a stream, none longer than MAX_LINE kept (a longer one comes out cut, and is no address). */
export async function* lines(stream: AsyncIterable<string | Buffer> | Iterable<string | Buffer>, unterminated = true): AsyncGenerator<string> {
  let partial = '';
  let overlong = false;
  for await (const chunk of stream) {
    const text = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      const line = overlong ? partial : partial + text.slice(start, nl);
      partial = '';
      overlong = false;
      start = nl + 1;
      yield line.slice(0, MAX_LINE);
    }
    if (!overlong) {
      partial += text.slice(start);
      if (partial.length > MAX_LINE) {
        partial = partial.slice(0, MAX_LINE + 1);
        overlong = true;
      }
    }
  }
  if (partial !== '' && unterminated) yield partial.slice(0, MAX_LINE);
}

/** Addresses of a file: one a line, the first word of it; blank lines and # comments left out. */
async function* addressLines(stream: AsyncIterable<string | Buffer>): AsyncGenerator<string> {
  for await (const line of lines(stream)) {
    const t = line.replace(/#.*$/, '').trim();
    if (t !== '') yield t.split(/[\s,;]+/)[0];
  }
}

/** The addresses an earlier output lists: NDJSON rows' `ip`, CSV rows' first field, text rows' first word. */
async function resumeSet(file: string): Promise<Set<string>> {
  if (!isFile(file)) return new Set(); // a first run with --resume: nothing to skip
  const done = new Set<string>();
  // Only whole lines count: the last, cut short by the interruption, is left out (done again).
  for await (const line of lines(createReadStream(file), false)) {
    let ip: string | undefined;
    if (line.startsWith('{')) {
      try {
        const v = JSON.parse(line) as { ip?: unknown };
        if (typeof v.ip === 'string') ip = v.ip;
      } catch {
        // a row cut short by the interruption: its address is done again
      }
    } else ip = line.split(/[,\s]/)[0];
    const p = ip !== undefined ? parseIp(ip) : undefined;
    if (p?.ok) {
      done.add(p.ip);
      if (done.size > MAX_RESUME) throw new UsageError(`${file}: more than ${MAX_RESUME.toLocaleString('en-US')} addresses; an audit covers at most a /16 at a time`);
    }
  }
  return done;
}

async function* skipping(source: Iterable<string> | AsyncIterable<string>, done: Set<string>): AsyncGenerator<string> {
  for await (const text of source) {
    const p = parseIp(text);
    if (!p.ok || !done.has(p.ip)) yield text;
  }
}

// What every maildns command shares: output sinks, usage errors, option parsing helpers.
import { createResolver } from '../core/dns/resolver';
import type { Resolver } from '../core/dns/types';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

/** Bad arguments: printed as one line, exit status 2. */
export class UsageError extends Error {}

export function positiveInt(value: string | undefined, option: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${option} must be a positive whole number, not ${JSON.stringify(value)}`);
  return n;
}

/** Options every DNS-using command takes. */
export const DNS_OPTIONS = {
  resolver: { type: 'string', multiple: true },
  timeout: { type: 'string' },
  json: { type: 'boolean', default: false },
} as const;

export function resolverFrom(values: { resolver?: string[]; timeout?: string }): Resolver {
  try {
    return createResolver({ servers: values.resolver, timeoutMs: positiveInt(values.timeout, '--timeout', 3000) });
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError((e as Error).message);
  }
}

export interface CliCommand {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** Usage lines for this command. */
  usage: string;
  /** Runs with the arguments after the command name; returns the exit status. */
  run(args: string[], io: CliIo, signal?: AbortSignal): Promise<number>;
}

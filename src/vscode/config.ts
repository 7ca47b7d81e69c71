// The extension's settings, read and checked in one place. Each setting's scope and description
// are in package.json.
import * as vscode from 'vscode';
import { parseServer } from '../core/dns/resolver';

export interface MailDnsConfig {
  /** `host`, `host:port` or `[v6]:port`; empty means the system's resolvers. */
  resolvers: string[];
  timeoutMs: number;
  maxChainSteps: number;
  /** `mailDns.zone.liveLookups`: zone-file checks may ask DNS (only ever in trusted workspaces). */
  zoneLiveLookups: boolean;
}

export const CONFIG_SECTION = 'mailDns';

/** A setting holds a value we cannot use; `setting` is its full id, for "Open Settings". */
export class ConfigError extends Error {
  constructor(
    message: string,
    readonly setting: string,
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

function checkResolvers(value: unknown): { resolvers: string[]; problems: string[] } {
  if (!Array.isArray(value)) {
    return { resolvers: [], problems: ['mailDns.resolvers must be a list of servers such as "9.9.9.9" or "[2620:fe::fe]:53".'] };
  }
  const problems: string[] = [];
  const resolvers: string[] = [];
  value.forEach((entry: unknown, i) => {
    if (typeof entry !== 'string') {
      problems.push(`mailDns.resolvers entry ${i + 1} (${JSON.stringify(entry)}) is not a string.`);
      return;
    }
    const parsed = parseServer(entry.trim());
    if (parsed.ok) resolvers.push(entry.trim());
    // parseServer's error quotes the entry.
    else problems.push(`mailDns.resolvers: ${parsed.error}.`);
  });
  return { resolvers, problems };
}

function checkNumber(
  name: string,
  value: unknown,
  { min, max, integer }: { min: number; max?: number; integer?: boolean },
): string | undefined {
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    value >= min &&
    (max === undefined || value <= max) &&
    (!integer || Number.isInteger(value));
  if (ok) return undefined;
  const range = max === undefined ? `at least ${min}` : `from ${min} to ${max}`;
  return `mailDns.${name} must be ${integer ? 'a whole number' : 'a number'} ${range}; it is ${JSON.stringify(value)}.`;
}

/** Reads the settings; throws a ConfigError naming every value it cannot use. */
export function readConfig(scope?: vscode.ConfigurationScope): MailDnsConfig {
  const section = vscode.workspace.getConfiguration(CONFIG_SECTION, scope);
  const { resolvers, problems: resolverProblems } = checkResolvers(section.get<unknown>('resolvers', []));
  const timeoutMs = section.get<unknown>('timeoutMs', 3000);
  const maxChainSteps = section.get<unknown>('maxChainSteps', 8);
  const problems: { setting: string; message: string }[] = [
    ...resolverProblems.map((message) => ({ setting: 'mailDns.resolvers', message })),
  ];
  const timeoutProblem = checkNumber('timeoutMs', timeoutMs, { min: 100 });
  if (timeoutProblem) problems.push({ setting: 'mailDns.timeoutMs', message: timeoutProblem });
  const stepsProblem = checkNumber('maxChainSteps', maxChainSteps, { min: 1, max: 32, integer: true });
  if (stepsProblem) problems.push({ setting: 'mailDns.maxChainSteps', message: stepsProblem });
  const zoneLiveLookups = section.get<unknown>('zone.liveLookups', true);
  if (typeof zoneLiveLookups !== 'boolean') problems.push({ setting: 'mailDns.zone.liveLookups', message: `mailDns.zone.liveLookups must be true or false; it is ${JSON.stringify(zoneLiveLookups)}.` });
  if (problems.length > 0) {
    throw new ConfigError(problems.map((p) => p.message).join(' '), problems[0].setting);
  }
  return { resolvers, timeoutMs: timeoutMs as number, maxChainSteps: maxChainSteps as number, zoneLiveLookups: zoneLiveLookups as boolean };
}

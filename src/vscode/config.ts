// The extension's settings, read and checked in one place. Each setting's scope and description
// are in package.json.
import * as vscode from 'vscode';
import { parseServer } from '../core/dns/resolver';
import { DEFAULT_ZONES } from '../core/dnsbl/lists';
import { MAX_DNS_TIMEOUT_MS, MAX_SMTP_TIMEOUT_MS } from '../core/limits';
import { parseDomain } from '../core/mx/check';
import { checkReceiverKnobs, type ReceiverKnobs } from '../core/receivers/knobs';
import { parseSavedServers, type SavedServers } from './savedServersModel';

export interface MailDnsConfig {
  /** `host`, `host:port` or `[v6]:port`; empty means the system's resolvers. */
  resolvers: string[];
  timeoutMs: number;
  maxChainSteps: number;
  /** `mailDns.zone.liveLookups`: zone-file checks may ask DNS (only ever in trusted workspaces). */
  zoneLiveLookups: boolean;
  /** `mailDns.dnsbl.zones`: the blocklists to ask (empty setting: the core's well-known defaults). */
  dnsblZones: string[];
  /** `mailDns.smtp.ehloName`: the name the SMTP probe says in EHLO; undefined: the core's default. */
  smtpEhloName: string | undefined;
  /** `mailDns.smtp.timeoutMs`: the SMTP probe's wait for the connection, the greeting and each reply. */
  smtpTimeoutMs: number;
  /** `mailDns.receivers.*`: the receivers' settings that change the receiver matrix's verdicts. */
  receivers: ReceiverKnobs;
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
  const timeoutProblem = checkNumber('timeoutMs', timeoutMs, { min: 100, max: MAX_DNS_TIMEOUT_MS });
  if (timeoutProblem) problems.push({ setting: 'mailDns.timeoutMs', message: timeoutProblem });
  const stepsProblem = checkNumber('maxChainSteps', maxChainSteps, { min: 1, max: 32, integer: true });
  if (stepsProblem) problems.push({ setting: 'mailDns.maxChainSteps', message: stepsProblem });
  const zoneLiveLookups = section.get<unknown>('zone.liveLookups', true);
  if (typeof zoneLiveLookups !== 'boolean') problems.push({ setting: 'mailDns.zone.liveLookups', message: `mailDns.zone.liveLookups must be true or false; it is ${JSON.stringify(zoneLiveLookups)}.` });
  const dnsbl = checkZones(section.get<unknown>('dnsbl.zones', DEFAULT_ZONES));
  problems.push(...dnsbl.problems.map((message) => ({ setting: 'mailDns.dnsbl.zones', message })));
  const ehloName = section.get<unknown>('smtp.ehloName', '');
  const ehloOk = typeof ehloName === 'string' && (ehloName.trim() === '' || !/[\s\u0000-\u001f\u007f]/.test(ehloName.trim()));
  if (!ehloOk) problems.push({ setting: 'mailDns.smtp.ehloName', message: `mailDns.smtp.ehloName must be one word (a host name or an address literal such as [192.0.2.1]), or empty; it is ${JSON.stringify(ehloName)}.` });
  const smtpTimeoutMs = section.get<unknown>('smtp.timeoutMs', 30_000);
  const smtpTimeoutProblem = checkNumber('smtp.timeoutMs', smtpTimeoutMs, { min: 500, max: MAX_SMTP_TIMEOUT_MS });
  if (smtpTimeoutProblem) problems.push({ setting: 'mailDns.smtp.timeoutMs', message: smtpTimeoutProblem });
  const receivers = readReceiverKnobs(section);
  problems.push(...receivers.problems);
  if (problems.length > 0) {
    throw new ConfigError(problems.map((p) => p.message).join(' '), problems[0].setting);
  }
  return {
    resolvers,
    timeoutMs: timeoutMs as number,
    maxChainSteps: maxChainSteps as number,
    zoneLiveLookups: zoneLiveLookups as boolean,
    dnsblZones: dnsbl.zones,
    smtpEhloName: typeof ehloName === 'string' && ehloName.trim() !== '' ? ehloName.trim() : undefined,
    smtpTimeoutMs: smtpTimeoutMs as number,
    receivers: receivers.knobs,
  };
}

/** The settings under mailDns.receivers, each only when the user set it (else the receiver's default). */
const RECEIVER_SETTINGS: Record<string, string[]> = {
  postfix: ['unknownClientRejectCode', 'unknownAddressRejectCode', 'rblRejectCode', 'unknownHostnameRejectCode', 'invalidHostnameRejectCode', 'nonFqdnRejectCode'],
  postscreen: ['sites', 'threshold', 'action'],
  rspamd: ['greylist', 'addHeader', 'reject'],
  spamassassin: ['requiredScore'],
};

function readReceiverKnobs(section: vscode.WorkspaceConfiguration): { knobs: ReceiverKnobs; problems: { setting: string; message: string }[] } {
  const raw: Record<string, Record<string, unknown>> = {};
  for (const [receiver, keys] of Object.entries(RECEIVER_SETTINGS)) {
    for (const key of keys) {
      const v = section.get<unknown>(`receivers.${receiver}.${key}`);
      // null (the contributed default of the optional ones) and [] mean "not set".
      if (v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0)) (raw[receiver] ??= {})[key] = v;
    }
  }
  const r = checkReceiverKnobs(raw, 'mailDns.receivers');
  return { knobs: r.knobs, problems: r.problems };
}

function checkZones(value: unknown): { zones: string[]; problems: string[] } {
  if (!Array.isArray(value)) return { zones: [], problems: ['mailDns.dnsbl.zones must be a list of blocklist zones such as "zen.spamhaus.org".'] };
  const zones: string[] = [];
  const problems: string[] = [];
  for (const entry of value as unknown[]) {
    const d = typeof entry === 'string' && !entry.includes('@') ? parseDomain(entry) : undefined;
    if (d?.ok) {
      if (!zones.includes(d.domain)) zones.push(d.domain);
    } else {
      problems.push(`mailDns.dnsbl.zones: ${d && !d.ok ? d.error : `${JSON.stringify(entry)} is not a zone name`}.`);
    }
  }
  // An empty list means the defaults: a check with no list to ask would say nothing.
  return { zones: zones.length > 0 || problems.length > 0 ? zones : [...DEFAULT_ZONES], problems };
}

/** `mailDns.servers`: the saved servers, and the entries that cannot be used (shown in the view, never thrown). */
export function readSavedServers(scope?: vscode.ConfigurationScope): SavedServers {
  return parseSavedServers(vscode.workspace.getConfiguration(CONFIG_SECTION, scope).get<unknown>('servers', []));
}

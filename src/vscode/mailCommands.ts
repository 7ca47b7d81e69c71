// The mail-server commands: Check HELO name, Probe SMTP server, Check MX for domain, Check
// blocklists for IP, Check mail server (also from the Saved Servers view) and Explain bounce
// message. Small named handlers wired once in registerMailCommands(); each asks for its input (or
// takes it as the command's argument, and then returns the result), runs the core check under a
// cancellable progress notification and hands the result to showCheck(), like Check rDNS and SPF.
import * as vscode from 'vscode';
import type { CheckResult } from '../core/checks';
import { bounceInputHint, explainBounce, recognised } from './lazy';
import type { BounceExplanation, SuggestedCheck } from '../core/bounce/types';
import { checkDnsbl } from '../core/dnsbl/check';
import type { DnsblResult } from '../core/dnsbl/types';
import { checkHelo } from '../core/helo/check';
import type { HeloResult } from '../core/helo/types';
import { parseIp } from '../core/ip';
import { checkMailServer } from '../core/mailcheck/check';
import {
  domainInputProblem,
  hasPort,
  heloInputHint,
  hostPortProblem,
  type InputHint,
  mailSelectorProblem,
  optionalIpProblem,
  portProblem,
} from '../core/mailcheck/input';
import type { MailCheckResult } from '../core/mailcheck/types';
import { checkMx, parseDomain } from '../core/mx/check';
import type { MxResult } from '../core/mx/types';
import { parseHostPort, probeSmtp } from '../core/smtp/probe';
import type { SmtpProbeResult } from '../core/smtp/types';
import { findHeloInText } from '../core/spf/input';
import { dkimFromText } from '../core/dkim/input';
import { COMMON_SELECTORS } from '../core/dkim/selectors';
import { asSuggestion, type BounceOffer, bounceOffer, bounceOffers, type OfferValue } from './bounceOffers';
import { recordingResolver } from '../core/live/diff';
import { COMMANDS, configOrExplain, ipFromEditor, plain, refuse, showCheck, shownResult, trusted, underProgress, validateIp } from './commands';
import type { MailDnsConfig } from './config';
import { CONFIG_SECTION } from './config';
import { heloRejectCodes } from '../core/receivers/knobs';
import { type SavedServer, savedServerEntry, parseSavedServers } from './savedServersModel';
import type { SavedServerNode, SavedServersView } from './savedServers';
import type { Services } from './services';
import { ask, nameUnderCursor, selectedText, senderFromEditor, SPF_COMMANDS, whenNotEmpty } from './spfCommands';
import type { ResultsTree } from './tree';

export const MAIL_COMMANDS = {
  checkHelo: 'mailDns.checkHelo',
  probeSmtp: 'mailDns.probeSmtp',
  checkMx: 'mailDns.checkMx',
  checkDnsbl: 'mailDns.checkDnsbl',
  checkMailServer: 'mailDns.checkMailServer',
  explainBounce: 'mailDns.explainBounce',
  /** Runs one of the checks a bounce explanation suggests (the notification's buttons). */
  runBounceCheck: 'mailDns.runBounceCheck',
  checkSavedServer: 'mailDns.checkSavedServer',
  addSavedServer: 'mailDns.addSavedServer',
  editSavedServers: 'mailDns.editSavedServers',
} as const;

/** `mailDns.checkHelo`'s argument: skips the input boxes. */
export interface HeloCheckArgs {
  /** The name the server sends in HELO/EHLO. */
  name: string;
  /** The sending IP: adds name → IP, PTR and the HELO identity's SPF. */
  ip?: string;
}

export interface SmtpProbeArgs {
  /** Host name or IP, optionally with `:port` (`[v6]:port`). */
  host: string;
  /** Default 25 (or the port in `host`). */
  port?: number;
  /** Default: the `mailDns.smtp.ehloName` setting. */
  ehloName?: string;
}

export interface MxCheckArgs {
  /** A domain, or an address whose domain is meant. */
  domain: string;
}

export interface DnsblCheckArgs {
  ip: string;
  /** Default: the `mailDns.dnsbl.zones` setting. */
  zones?: string[];
}

export interface MailServerArgs {
  ip: string;
  helo: string;
  fromDomain: string;
  /** The DKIM selector it signs with; absent or empty: the common selectors are tried. */
  dkimSelector?: string;
  /** Probe SMTP too: `true` the IP itself on port 25, or another host and port. */
  smtp?: boolean | { host?: string; port?: number };
}

export interface BounceArgs {
  /** The bounce, or the rejection line from it. */
  text: string;
}

export interface MailChecks {
  checkHelo(args?: HeloCheckArgs): Promise<HeloResult | undefined>;
  probeSmtp(args?: SmtpProbeArgs): Promise<SmtpProbeResult | undefined>;
  checkMx(args?: MxCheckArgs): Promise<MxResult | undefined>;
  checkDnsbl(args?: DnsblCheckArgs): Promise<DnsblResult | undefined>;
  checkMailServer(args?: MailServerArgs): Promise<MailCheckResult | undefined>;
  explainBounce(args?: BounceArgs): Promise<BounceExplanation | undefined>;
  /** Runs a check a bounce suggested, asking only for the values the bounce did not name. */
  runBounceCheck(suggestion: SuggestedCheck): Promise<CheckResult | undefined>;
}

interface Context {
  services: Services;
  tree: ResultsTree;
  saved: SavedServersView;
}

// ---- arguments from code ------------------------------------------------------------------------

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function heloArgs(arg: unknown): HeloCheckArgs | undefined {
  if (!isObject(arg) || typeof arg.name !== 'string') return undefined;
  return { name: arg.name, ...(str(arg.ip) ? { ip: str(arg.ip) } : {}) };
}

function smtpArgs(arg: unknown): SmtpProbeArgs | undefined {
  if (!isObject(arg) || typeof arg.host !== 'string') return undefined;
  return { host: arg.host, ...(typeof arg.port === 'number' ? { port: arg.port } : {}), ...(str(arg.ehloName) ? { ehloName: str(arg.ehloName) } : {}) };
}

function mxArgs(arg: unknown): MxCheckArgs | undefined {
  return isObject(arg) && typeof arg.domain === 'string' ? { domain: arg.domain } : undefined;
}

function dnsblArgs(arg: unknown): DnsblCheckArgs | undefined {
  if (!isObject(arg) || typeof arg.ip !== 'string') return undefined;
  const zones = Array.isArray(arg.zones) && arg.zones.every((z) => typeof z === 'string') ? (arg.zones as string[]) : undefined;
  return { ip: arg.ip, ...(zones ? { zones } : {}) };
}

function mailServerArgs(arg: unknown): MailServerArgs | undefined {
  if (!isObject(arg) || typeof arg.ip !== 'string' || typeof arg.helo !== 'string' || typeof arg.fromDomain !== 'string') return undefined;
  let smtp: MailServerArgs['smtp'];
  if (typeof arg.smtp === 'boolean') smtp = arg.smtp;
  else if (isObject(arg.smtp)) smtp = { ...(str(arg.smtp.host) ? { host: str(arg.smtp.host) } : {}), ...(typeof arg.smtp.port === 'number' ? { port: arg.smtp.port } : {}) };
  return { ip: arg.ip, helo: arg.helo, fromDomain: arg.fromDomain, ...(str(arg.dkimSelector) ? { dkimSelector: str(arg.dkimSelector) } : {}), ...(smtp !== undefined ? { smtp } : {}) };
}

function bounceArgs(arg: unknown): BounceArgs | undefined {
  return isObject(arg) && typeof arg.text === 'string' ? { text: arg.text } : undefined;
}

// ---- input boxes ---------------------------------------------------------------------------------

const SEVERITY: Record<InputHint['severity'], vscode.InputBoxValidationSeverity> = {
  error: vscode.InputBoxValidationSeverity.Error,
  warning: vscode.InputBoxValidationSeverity.Warning,
  info: vscode.InputBoxValidationSeverity.Info,
};

/** A hint as the box shows it: only errors keep Enter from accepting. */
function hintMessage(hint: InputHint | undefined): vscode.InputBoxValidationMessage | undefined {
  return hint ? { message: plain(hint.message), severity: SEVERITY[hint.severity] } : undefined;
}

/** The HELO name in the selection or on the cursor's line (`EHLO name`, `helo=name`), or a selected word. */
function heloFromEditor(): string {
  const selected = selectedText().trim();
  if (selected !== '') return findHeloInText(selected) ?? (/^\S{1,255}$/.test(selected) ? selected : '');
  const editor = vscode.window.activeTextEditor;
  if (!editor) return '';
  return findHeloInText(editor.document.lineAt(editor.selection.active.line).text) ?? '';
}

function domainFromEditor(): string {
  const sender = senderFromEditor();
  const d = sender ? parseDomain(sender) : undefined;
  return d?.ok ? d.domain : '';
}

/** A host name or address in the selection or under the cursor. */
function hostFromEditor(): string {
  const ip = ipFromEditor();
  if (ip) return ip;
  const word = (selectedText() || nameUnderCursor()).trim();
  return word !== '' && hostPortProblem(word) === undefined && word.includes('.') ? word : '';
}

async function askHelo(title = 'Mail DNS: Check HELO name', prefill: Partial<HeloCheckArgs> = {}): Promise<HeloCheckArgs | undefined> {
  const name = await ask({
    title: `${title} (1/2): HELO name`,
    prompt: 'The name the server sends in HELO/EHLO (Postfix smtp_helo_name, Exchange\'s connector FQDN, …), or an address literal such as [192.0.2.1]',
    placeHolder: 'mail.example.com',
    value: prefill.name ?? heloFromEditor(),
    validateInput: (text) => hintMessage(heloInputHint(text)),
  });
  if (!name) return undefined;
  const ip = await ask({
    title: `${title} (2/2): sending IP (optional)`,
    prompt: 'The IP address the server sends from: adds whether the name resolves to it, its PTR and the HELO identity\'s SPF. Leave empty to check the name alone.',
    placeHolder: '203.0.113.60',
    value: prefill.ip ?? ipFromEditor() ?? '',
    validateInput: optionalIpProblem,
  });
  if (ip === undefined) return undefined;
  return { name, ...(ip !== '' ? { ip } : {}) };
}

async function askSmtp(): Promise<SmtpProbeArgs | undefined> {
  const title = 'Mail DNS: Probe SMTP server';
  const host = await ask({
    title: `${title} (1/2): host or IP`,
    prompt: 'The mail server to connect to: a host name or an IP address, with :port if not 25 (IPv6 as [2001:db8::25]:587)',
    placeHolder: 'mail.example.com  or  203.0.113.25  or  mail.example.com:587',
    value: hostFromEditor(),
    validateInput: hostPortProblem,
  });
  if (!host) return undefined;
  if (hasPort(host)) return { host };
  const port = await ask({
    title: `${title} (2/2): port`,
    prompt: '25 is where servers take mail from other servers; 587 (submission) and 465 (submissions) are for clients',
    value: '25',
    validateInput: portProblem,
  });
  if (!port) return undefined;
  return { host, port: Number(port) };
}

async function askDomain(title: string, prompt: string, value = domainFromEditor()): Promise<string | undefined> {
  const domain = await ask({ title, prompt, placeHolder: 'example.com', value, validateInput: domainInputProblem });
  return domain || undefined;
}

async function askIp(title: string, prompt: string, value = ipFromEditor() ?? ''): Promise<string | undefined> {
  const ip = await ask({ title, prompt, placeHolder: '203.0.113.60  or  2001:db8::25', value, validateInput: validateIp });
  return ip || undefined;
}

type SmtpChoice = vscode.QuickPickItem & { choice: 'none' | 'ip' | 'other' };

async function askSmtpChoice(title: string, ip: string): Promise<MailServerArgs['smtp'] | null> {
  const items: SmtpChoice[] = [
    { label: '$(circle-slash) No SMTP probe', description: 'DNS checks only', choice: 'none' },
    { label: `$(plug) Probe ${ip} port 25`, description: 'connect to the sending server itself: greeting, EHLO, STARTTLS', choice: 'ip' },
    { label: '$(edit) Probe another host…', description: 'e.g. the server that receives mail, or another port', choice: 'other' },
  ];
  const picked = await vscode.window.showQuickPick(items, { title, placeHolder: 'Also probe an SMTP server? (port 25 is often blocked on home and office lines)', ignoreFocusOut: true });
  if (!picked) return null;
  if (picked.choice === 'none') return false;
  if (picked.choice === 'ip') return true;
  const host = await ask({ title, prompt: 'The host to probe, with :port if not 25', placeHolder: 'mail.example.com:25', validateInput: hostPortProblem });
  if (!host) return null;
  const hp = parseHostPort(host);
  return 'error' in hp ? null : { host: hp.host, port: hp.port };
}

async function askMailServer(title = 'Mail DNS: Check mail server', prefill: Partial<MailServerArgs> = {}): Promise<MailServerArgs | undefined> {
  const ip = await askIp(`${title} (1/5): sending IP`, 'The public IP address the server sends mail from', prefill.ip ?? ipFromEditor() ?? '');
  if (!ip) return undefined;
  const helo = await ask({
    title: `${title} (2/5): HELO name`,
    prompt: 'The name the server says in HELO/EHLO (in a bounce: "HELO …", "<NAME>: Helo command rejected")',
    placeHolder: 'mail.example.com',
    value: prefill.helo ?? heloFromEditor(),
    validateInput: (text) => hintMessage(heloInputHint(text)),
  });
  if (!helo) return undefined;
  const fromDomain = await askDomain(`${title} (3/5): From domain`, 'The domain of the From (and envelope sender) address of its mail', prefill.fromDomain ?? domainFromEditor());
  if (!fromDomain) return undefined;
  // Empty is an answer here (try the common selectors); only Escape stops.
  const dkimSelector = await ask({
    title: `${title} (4/5): DKIM selector (optional)`,
    prompt: `The selector the server signs with: s= in the DKIM-Signature of a message it sent. Leave empty to try the common ones (${COMMON_SELECTORS.slice(0, 6).map((c) => c.selector).join(', ')}, …): DKIM selectors cannot be listed from DNS.`,
    placeHolder: 'selector1  or  s2024  (empty: the common selectors)',
    value: prefill.dkimSelector ?? dkimFromText(selectedText()).selector ?? '',
    validateInput: mailSelectorProblem,
  });
  if (dkimSelector === undefined) return undefined;
  const parsed = parseIp(ip);
  const smtp = await askSmtpChoice(`${title} (5/5): SMTP probe`, parsed.ok ? parsed.ip : ip);
  if (smtp === null) return undefined;
  return { ip, helo, fromDomain, ...(dkimSelector !== '' ? { dkimSelector } : {}), smtp };
}

// ---- the checks ----------------------------------------------------------------------------------

async function runHelo(ctx: Context, arg: unknown): Promise<HeloResult | undefined> {
  if (!trusted()) return undefined;
  const args = heloArgs(arg) ?? (await askHelo());
  if (!args) return undefined;
  const name = args.name.trim();
  const hint = name === '' ? { severity: 'error' as const, message: 'no HELO name given' } : heloInputHint(name);
  if (hint?.severity === 'error') return refuse('check the HELO name', hint.message);
  const ipProblem = args.ip === undefined ? undefined : optionalIpProblem(args.ip);
  if (ipProblem) return refuse('check the HELO name', ipProblem);
  const config = configOrExplain(ctx.services);
  if (!config) return undefined;
  const ip = args.ip?.trim() ? args.ip.trim() : undefined;
  // Every answer kept for "Check live again" (liveAgain.ts).
  const recording = recordingResolver(ctx.services.createResolver(config));
  const resolver = recording.resolver;
  ctx.services.logger.info(`Checking HELO name ${JSON.stringify(name)}${ip ? ` from ${ip}` : ''} with ${resolver.servers().join(', ') || 'system resolvers'}`);
  const result = await underProgress(ctx.services, `checking HELO name ${name}${ip ? ` from ${ip}` : ''}`, (signal, report) => {
    report('A, AAAA and MX of the name, PTR of the IP, SPF of the HELO identity…');
    return checkHelo(name, { ...(ip ? { ip } : {}), resolver, signal, postfixCodes: heloRejectCodes(config.receivers) });
  });
  if (!result) return undefined;
  ctx.services.logger.info(`Checked HELO ${JSON.stringify(result.name)}: ${JSON.stringify(result.postfix)}, ${result.findings.length} finding(s)`);
  return shownResult(ctx.services, await showCheck(ctx.services, ctx.tree, result, recording.answers()), result);
}

async function runSmtp(ctx: Context, arg: unknown): Promise<SmtpProbeResult | undefined> {
  if (!trusted()) return undefined;
  const args = smtpArgs(arg) ?? (await askSmtp());
  if (!args) return undefined;
  const hp = parseHostPort(args.host, args.port ?? 25);
  if ('error' in hp) return refuse('probe the SMTP server', hp.error);
  const port = args.port ?? hp.port;
  const config = configOrExplain(ctx.services);
  if (!config) return undefined;
  const ehloName = args.ehloName ?? config.smtpEhloName;
  const resolver = ctx.services.createResolver(config);
  ctx.services.logger.info(`Probing SMTP on ${hp.host} port ${port}${ehloName ? ` as ${ehloName}` : ''}, waiting up to ${config.smtpTimeoutMs} ms per step`);
  const result = await underProgress(ctx.services, `probing SMTP on ${hp.host} port ${port}`, (signal, report) => {
    report('connecting, waiting for the greeting (servers may delay it on purpose)…');
    return probeSmtp(hp.host, port, { resolver, signal, timeoutMs: config.smtpTimeoutMs, ...(ehloName ? { ehloName } : {}) });
  });
  if (!result) return undefined;
  ctx.services.logger.info(`Probed ${result.host} port ${result.port}: connected ${result.connected}, greeting ${result.greeting?.code ?? '—'}, ${result.findings.length} finding(s), ${result.elapsedMs} ms`);
  await showCheck(ctx.services, ctx.tree, result);
  return result;
}

async function runMx(ctx: Context, arg: unknown): Promise<MxResult | undefined> {
  if (!trusted()) return undefined;
  const args = mxArgs(arg) ?? (await (async () => {
    const domain = await askDomain('Mail DNS: Check MX for domain', 'The domain whose mail hosts to check (or an address: its domain)');
    return domain ? { domain } : undefined;
  })());
  if (!args) return undefined;
  const parsed = parseDomain(args.domain);
  if (!parsed.ok) return refuse('check MX', parsed.error);
  const config = configOrExplain(ctx.services);
  if (!config) return undefined;
  const recording = recordingResolver(ctx.services.createResolver(config));
  const resolver = recording.resolver;
  ctx.services.logger.info(`Checking MX of ${parsed.domain} with ${resolver.servers().join(', ') || 'system resolvers'}`);
  const result = await underProgress(ctx.services, `checking MX of ${parsed.domain}`, (signal, report) => {
    report('MX records, each host\'s addresses and their reverse DNS…');
    return checkMx(parsed.domain, { resolver, signal });
  });
  if (!result) return undefined;
  ctx.services.logger.info(`Checked MX of ${result.domain}: ${result.hosts.map((h) => `${h.preference} ${h.exchange}`).join(', ') || 'none'}`);
  return shownResult(ctx.services, await showCheck(ctx.services, ctx.tree, result, recording.answers()), result);
}

async function runDnsbl(ctx: Context, arg: unknown): Promise<DnsblResult | undefined> {
  if (!trusted()) return undefined;
  const args: DnsblCheckArgs | undefined = dnsblArgs(arg) ?? (await (async () => {
    const ip = await askIp('Mail DNS: Check blocklists for IP', 'The IPv4 or IPv6 address your mail server sends from (the lists in mailDns.dnsbl.zones are asked)');
    return ip ? { ip } : undefined;
  })());
  if (!args) return undefined;
  const ip = parseIp(args.ip.trim());
  if (!ip.ok) return refuse('check blocklists', ip.error);
  const config = configOrExplain(ctx.services);
  if (!config) return undefined;
  const zones = args.zones && args.zones.length > 0 ? args.zones : config.dnsblZones;
  const resolver = ctx.services.createResolver(config);
  ctx.services.logger.info(`Checking ${ip.ip} on ${zones.join(', ')} with ${resolver.servers().join(', ') || 'system resolvers'}`);
  const result = await underProgress(ctx.services, `checking ${ip.ip} on ${zones.length} blocklist${zones.length === 1 ? '' : 's'}`, (signal, report) => {
    report(zones.join(', '));
    return checkDnsbl(ip.ip, { resolver, signal, zones });
  });
  if (!result) return undefined;
  ctx.services.logger.info(`Checked ${result.ip} on blocklists: listed on ${result.listed.join(', ') || 'none'}`);
  await showCheck(ctx.services, ctx.tree, result);
  return result;
}

function smtpTarget(args: MailServerArgs, ip: string, config: MailDnsConfig): { host: string; port: number; ehloName?: string } | undefined {
  if (!args.smtp) return undefined;
  const target = args.smtp === true ? { host: ip, port: 25 } : { host: args.smtp.host ?? ip, port: args.smtp.port ?? 25 };
  return { ...target, ...(config.smtpEhloName ? { ehloName: config.smtpEhloName } : {}) };
}

async function runMailServer(ctx: Context, arg: unknown): Promise<MailCheckResult | undefined> {
  if (!trusted()) return undefined;
  const args = mailServerArgs(arg) ?? (await askMailServer());
  if (!args) return undefined;
  const ip = parseIp(args.ip.trim());
  if (!ip.ok) return refuse('check the mail server', ip.error);
  const hint = args.helo.trim() === '' ? { severity: 'error' as const, message: 'no HELO name given' } : heloInputHint(args.helo);
  if (hint?.severity === 'error') return refuse('check the mail server', `HELO name: ${hint.message}`);
  const from = parseDomain(args.fromDomain);
  if (!from.ok) return refuse('check the mail server', `From domain: ${from.error}`);
  if (typeof args.smtp === 'object' && args.smtp.host !== undefined) {
    const hp = hostPortProblem(args.smtp.host);
    if (hp) return refuse('check the mail server', `SMTP host: ${hp}`);
  }
  const selectorError = args.dkimSelector === undefined ? undefined : mailSelectorProblem(args.dkimSelector);
  if (selectorError) return refuse('check the mail server', `DKIM selector: ${selectorError}`);
  const dkimSelector = args.dkimSelector?.trim() || undefined;
  const config = configOrExplain(ctx.services);
  if (!config) return undefined;
  const smtp = smtpTarget(args, ip.ip, config);
  const recording = recordingResolver(ctx.services.createResolver(config));
  const resolver = recording.resolver;
  const helo = args.helo.trim();
  ctx.services.logger.info(`Checking mail server ${ip.ip} (HELO ${helo}, From @${from.domain}, DKIM selector ${dkimSelector ?? 'none: the common ones'})${smtp ? `, probing ${smtp.host} port ${smtp.port}` : ''} with ${resolver.servers().join(', ') || 'system resolvers'}`);
  const result = await underProgress(ctx.services, `checking mail server ${ip.ip} as ${helo} for @${from.domain}`, (signal, report) => {
    report(`rDNS, HELO, SPF, DKIM, DMARC, MX, ${config.dnsblZones.length} blocklists${smtp ? ', SMTP' : ''} at once…`);
    return checkMailServer(
      { ip: ip.ip, helo, fromDomain: from.domain, ...(dkimSelector ? { dkimSelector } : {}), ...(smtp ? { smtp } : {}) },
      { resolver, signal, dnsblZones: config.dnsblZones, smtpTimeoutMs: config.smtpTimeoutMs, receivers: config.receivers },
    );
  });
  if (!result) return undefined;
  ctx.services.logger.info(`Checked mail server ${result.ip}: ${result.rows.map((r) => `${r.id} ${r.status}`).join(', ')}`);
  const doc = await showCheck(ctx.services, ctx.tree, result, recording.answers());
  ctx.saved.provider.record(result, doc);
  return shownResult(ctx.services, doc, result);
}

// ---- saved servers -------------------------------------------------------------------------------

function savedServerFrom(ctx: Context, arg: unknown): SavedServer | undefined {
  if (isObject(arg) && arg.kind === 'server' && isObject(arg.server)) return (arg as Extract<SavedServerNode, { kind: 'server' }>).server;
  const name = typeof arg === 'string' ? arg : isObject(arg) && typeof arg.name === 'string' ? arg.name : undefined;
  return name === undefined ? undefined : ctx.saved.provider.servers().find((s) => s.name === name);
}

async function checkSavedServer(ctx: Context, arg: unknown): Promise<MailCheckResult | undefined> {
  let server = savedServerFrom(ctx, arg);
  if (!server) {
    const servers = ctx.saved.provider.servers();
    if (servers.length === 0) {
      void vscode.window.showInformationMessage('Mail DNS: no saved servers yet. Add one with "Mail DNS: Add Saved Server…", or in the setting mailDns.servers.');
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(
      servers.map((s) => ({ label: plain(s.name), description: plain(`${s.ip} · HELO ${s.helo} · @${s.fromDomain}`), server: s })),
      { title: 'Mail DNS: Check saved server', placeHolder: 'The server to check' },
    );
    if (!picked) return undefined;
    server = picked.server;
  }
  return runMailServer(ctx, { ip: server.ip, helo: server.helo, fromDomain: server.fromDomain, ...(server.dkimSelector ? { dkimSelector: server.dkimSelector } : {}), ...(server.smtp ? { smtp: server.smtp } : {}) });
}

async function addSavedServer(ctx: Context): Promise<SavedServer | undefined> {
  const args = await askMailServer('Mail DNS: Add saved server');
  if (!args) return undefined;
  const name = await ask({ title: 'Mail DNS: Add saved server: its name', prompt: 'What the Saved Servers view calls it', value: args.helo, validateInput: (t) => (t.trim() === '' ? 'give it a name' : undefined) });
  if (!name) return undefined;
  const config = vscode.workspace.getConfiguration(CONFIG_SECTION);
  const inspected = config.inspect<unknown[]>('servers');
  // Where the list already lives; a new list goes to the user's settings, which every workspace sees.
  const target = inspected?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  const current = (target === vscode.ConfigurationTarget.Workspace ? inspected?.workspaceValue : inspected?.globalValue) ?? [];
  const ip = parseIp(args.ip);
  const from = parseDomain(args.fromDomain);
  const server: SavedServer = {
    name,
    ip: ip.ok ? ip.ip : args.ip,
    helo: args.helo,
    fromDomain: from.ok ? from.domain : args.fromDomain,
    ...(args.dkimSelector ? { dkimSelector: args.dkimSelector.toLowerCase() } : {}),
    ...(args.smtp === true ? { smtp: true } : typeof args.smtp === 'object' ? { smtp: { host: args.smtp.host ?? args.ip, port: args.smtp.port ?? 25 } } : {}),
  };
  const entry = savedServerEntry(server);
  const problem = parseSavedServers([entry]).problems[0];
  if (problem) return refuse('save the server', problem.message);
  await config.update('servers', [...(Array.isArray(current) ? current : []), entry], target);
  ctx.services.logger.info(`Saved server ${JSON.stringify(name)} in the ${target === vscode.ConfigurationTarget.Workspace ? 'workspace' : 'user'} settings`);
  return server;
}

// ---- explain bounce message -----------------------------------------------------------------------

const PASTE_HINT = 'Mail DNS: paste the bounce into this editor; it is explained as soon as the explainer recognises it. (Or select a bounce in any editor and run "Mail DNS: Explain bounce message".)';

/** Documents that may be a bounce as a whole: pasted text, saved messages. Not Markdown, code or zone files. */
const BOUNCE_LANGUAGES = new Set(['plaintext', 'email', 'eml', 'log']);

/** The bounce to explain: the selection; else the active plain-text document when it reads as a bounce; else ask. */
async function bounceFromUser(ctx: Context): Promise<string | undefined> {
  const selected = selectedText();
  if (selected.trim() !== '') return selected;
  const editor = vscode.window.activeTextEditor;
  if (editor && BOUNCE_LANGUAGES.has(editor.document.languageId)) {
    const all = editor.document.getText();
    if (all.trim() !== '' && recognised(await explainBounce(all))) return all;
  }
  const text = await vscode.window.showInputBox({
    title: 'Mail DNS: Explain bounce message',
    prompt: 'Paste the receiver\'s reply from the bounce (the line with the 5xx/4xx code is enough). For a whole bounce, leave this empty and press Enter: an editor opens to paste it into.',
    placeHolder: '550 5.7.1 … or 504 5.5.2 <NAME>: Helo command rejected: need fully-qualified hostname',
    ignoreFocusOut: true,
    validateInput: (t) => hintMessage(bounceInputHint(t)),
  });
  if (text === undefined) return undefined;
  if (text.trim() !== '') return text;
  await openPasteEditor(ctx);
  return undefined;
}

/** An untitled editor to paste a whole bounce into; explained once the text reads as a bounce. */
async function openPasteEditor(ctx: Context): Promise<void> {
  const document = await vscode.workspace.openTextDocument({ language: 'plaintext', content: '' });
  await vscode.window.showTextDocument(document);
  void vscode.window.showInformationMessage(PASTE_HINT);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stop = (): void => {
    if (timer) clearTimeout(timer);
    changes.dispose();
    closed.dispose();
  };
  const changes = vscode.workspace.onDidChangeTextDocument((e) => {
    if (e.document !== document) return;
    if (timer) clearTimeout(timer);
    // A paste arrives in one change; typing in many. Wait for the text to settle.
    timer = setTimeout(() => {
      const text = document.getText();
      void explainBounce(text)
        .then((r) => {
          if (!recognised(r) || document.getText() !== text) return;
          stop();
          return runExplain(ctx, { text });
        })
        .then(undefined, (err: unknown) => ctx.services.logger.error('Explaining the pasted bounce failed', err));
    }, 300);
  });
  const closed = vscode.workspace.onDidCloseTextDocument((d) => {
    if (d === document) stop();
  });
  ctx.services.subscriptions.push({ dispose: stop });
}

/** Offers the checks the bounce suggests, as buttons; the chosen one runs with the bounce's values. */
function offerChecks(ctx: Context, r: BounceExplanation): void {
  const offers = bounceOffers(r);
  if (offers.length === 0) return;
  const main = r.recipients.find((x) => x.cause?.senderSide)?.cause ?? r.recipients.find((x) => x.cause)?.cause;
  const shown = offers.length > 3 ? offers.slice(0, 2) : offers;
  const more = offers.length > 3 ? 'More…' : undefined;
  const message = `Mail DNS: ${main ? `${main.title}. ` : ''}Run the matching check with the values from the bounce?`;
  void vscode.window
    .showInformationMessage(plain(message), ...shown.map((o) => plain(o.label)), ...(more ? [more] : []))
    .then(async (choice) => {
      if (choice === undefined) return;
      let offer: BounceOffer | undefined = shown.find((o) => plain(o.label) === choice);
      if (choice === more) {
        const picked = await vscode.window.showQuickPick(
          offers.map((o) => ({ label: plain(o.label), description: plain(o.suggestion.why), offer: o })),
          { title: 'Mail DNS: run a check with the values from the bounce' },
        );
        offer = picked?.offer;
      }
      if (offer) await runOffer(ctx, offer);
    })
    .then(undefined, (err: unknown) => ctx.services.logger.error('Running the check the bounce suggested failed', err));
}

const VALUE_BOX: Record<OfferValue, { prompt: string; validate: (text: string) => string | vscode.InputBoxValidationMessage | undefined }> = {
  ip: { prompt: 'The sending server\'s IP address (the bounce does not say it; the server\'s public address, or the one in "Client host [IP]")', validate: validateIp },
  helo: { prompt: 'The name the server says in HELO/EHLO (the bounce does not say it)', validate: (t) => hintMessage(heloInputHint(t)) },
  domain: { prompt: 'The domain of the From address (the bounce does not say it)', validate: whenNotEmpty((t) => domainInputProblem(t)) },
};

async function runOffer(ctx: Context, offer: BounceOffer): Promise<CheckResult | undefined> {
  const args = { ...offer.suggestion.args };
  let step = 0;
  for (const value of offer.missing) {
    step++;
    const answer = await ask({
      title: `Mail DNS: ${offer.label.replace(/…$/, '')} (${step}/${offer.missing.length}): ${value === 'ip' ? 'sending IP' : value === 'helo' ? 'HELO name' : 'domain'}`,
      prompt: VALUE_BOX[value].prompt,
      value: value === 'ip' ? (ipFromEditor() ?? '') : '',
      validateInput: VALUE_BOX[value].validate,
    });
    if (!answer) return undefined;
    args[value] = answer;
  }
  const s = offer.suggestion;
  switch (s.check) {
    case 'helo':
      return runHelo(ctx, { name: args.helo, ...(args.ip ? { ip: args.ip } : {}) });
    case 'rdns':
      return vscode.commands.executeCommand<CheckResult | undefined>(COMMANDS.checkRdns, args.ip);
    case 'spf':
      return vscode.commands.executeCommand<CheckResult | undefined>(SPF_COMMANDS.checkSpf, { ip: args.ip, domain: args.domain });
    case 'dnsbl': {
      // The list the receiver named, with the configured ones (it may be on others too).
      const configured = configOrExplain(ctx.services)?.dnsblZones ?? [];
      const zones = args.zone ? [args.zone, ...configured.filter((z) => z !== args.zone)] : undefined;
      return runDnsbl(ctx, { ip: args.ip, ...(zones ? { zones } : {}) });
    }
    case 'mx':
      return runMx(ctx, { domain: args.domain });
    case 'check':
      return runMailServer(ctx, { ip: args.ip, helo: args.helo, fromDomain: args.domain });
    case 'dmarc':
    case 'dkim': {
      // These checks are commands of their own (mailDns.checkDmarc {domain}, mailDns.checkDkim {selector, domain}).
      const command = s.command ?? (s.check === 'dmarc' ? 'mailDns.checkDmarc' : 'mailDns.checkDkim');
      if (!(await vscode.commands.getCommands(true)).includes(command)) {
        return refuse(offer.label.replace(/…$/, ''), `this version has no ${command} command yet: run ${s.cli} instead`);
      }
      return vscode.commands.executeCommand<CheckResult | undefined>(command, s.check === 'dmarc' ? { domain: args.domain } : { domain: args.domain, ...(args.selector ? { selector: args.selector } : {}) });
    }
  }
}

async function runExplain(ctx: Context, arg: unknown): Promise<BounceExplanation | undefined> {
  // No network: explaining text is allowed in untrusted workspaces too (the checks it offers are not).
  const text = bounceArgs(arg)?.text ?? (await bounceFromUser(ctx));
  if (text === undefined) return undefined;
  if (text.trim() === '') return refuse('explain the bounce', 'the text is empty: paste the bounce, or the receiver\'s reply from it');
  const result = await explainBounce(text);
  ctx.services.logger.info(
    `Explained a ${result.messageKind} of ${result.length} characters (${result.format}): ${result.recipients.map((x) => `${x.address ?? '?'} ${x.cause?.id ?? 'not recognised'}`).join(', ')}`,
  );
  await showCheck(ctx.services, ctx.tree, result);
  offerChecks(ctx, result);
  return result;
}

async function runBounceCheck(ctx: Context, arg: unknown): Promise<CheckResult | undefined> {
  const suggestion = asSuggestion(arg);
  if (!suggestion) return refuse('run the suggested check', 'the argument is not a check suggested by "Explain bounce message"');
  return runOffer(ctx, bounceOffer(suggestion));
}

export function registerMailCommands(services: Services, tree: ResultsTree, saved: SavedServersView): MailChecks {
  const ctx: Context = { services, tree, saved };
  services.subscriptions.push(
    vscode.commands.registerCommand(MAIL_COMMANDS.checkHelo, (arg?: unknown) => runHelo(ctx, arg)),
    vscode.commands.registerCommand(MAIL_COMMANDS.probeSmtp, (arg?: unknown) => runSmtp(ctx, arg)),
    vscode.commands.registerCommand(MAIL_COMMANDS.checkMx, (arg?: unknown) => runMx(ctx, arg)),
    vscode.commands.registerCommand(MAIL_COMMANDS.checkDnsbl, (arg?: unknown) => runDnsbl(ctx, arg)),
    vscode.commands.registerCommand(MAIL_COMMANDS.checkMailServer, (arg?: unknown) => runMailServer(ctx, arg)),
    vscode.commands.registerCommand(MAIL_COMMANDS.explainBounce, (arg?: unknown) => runExplain(ctx, arg)),
    vscode.commands.registerCommand(MAIL_COMMANDS.runBounceCheck, (arg?: unknown) => runBounceCheck(ctx, arg)),
    vscode.commands.registerCommand(MAIL_COMMANDS.checkSavedServer, (arg?: unknown) => checkSavedServer(ctx, arg)),
    vscode.commands.registerCommand(MAIL_COMMANDS.addSavedServer, () => addSavedServer(ctx)),
    vscode.commands.registerCommand(MAIL_COMMANDS.editSavedServers, () => vscode.commands.executeCommand('workbench.action.openSettings', 'mailDns.servers')),
  );
  return {
    checkHelo: (args) => runHelo(ctx, args),
    probeSmtp: (args) => runSmtp(ctx, args),
    checkMx: (args) => runMx(ctx, args),
    checkDnsbl: (args) => runDnsbl(ctx, args),
    checkMailServer: (args) => runMailServer(ctx, args),
    explainBounce: (args) => runExplain(ctx, args),
    runBounceCheck: (suggestion) => runBounceCheck(ctx, suggestion),
  };
}

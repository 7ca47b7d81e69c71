// "Mail DNS: Check SPF" and "Mail DNS: Can this server send for a domain?": small named handlers
// wired once in registerSpfCommands(). Each asks for its input (or takes it as the command's
// argument), runs the core check under a cancellable progress notification and hands the result
// to showCheck(), like Check rDNS.
import * as vscode from 'vscode';
import { recordingResolver } from '../core/live/diff';
import type { SpfCheckInput } from '../core/spf/check';
import {
  findHeloInText,
  findIpsInText,
  findSenderInText,
  fromDomainProblem,
  heloProblem,
  isNullSender,
  parseIpList,
  parseSpfTarget,
  targetProblem,
} from '../core/spf/input';
import { checkHostPair, type SpfPairResult } from '../core/spf/pair';
import { checkHost } from '../core/spf/check';
import { sendAs } from '../core/spf/sendas';
import type { SendAsResult, SpfResult } from '../core/spf/types';
import { parseIp } from '../core/ip';
import { configOrExplain, ipFromEditor, plain, refuse, showCheck, shownResult, trusted, underProgress, validateIp } from './commands';
import { copyRecord, type Services } from './services';
import type { ResultsTree } from './tree';

export const SPF_COMMANDS = {
  checkSpf: 'mailDns.checkSpf',
  sendAs: 'mailDns.sendAs',
} as const;

/** The argument of `mailDns.checkSpf` (and the API's checkSpf): skips the input boxes. */
export interface SpfCheckArgs {
  /** One address, or two to compare side by side: `'192.0.2.1, 2001:db8::1'` or `['192.0.2.1', '2001:db8::1']`. */
  ip: string | string[];
  /** The domain to check, a sender address (its domain is checked), or `<>` for the null sender. */
  domain: string;
  /** The HELO/EHLO name; required with the null sender. */
  helo?: string;
}

/** The argument of `mailDns.sendAs` (and the API's sendAs). */
export interface SendAsArgs {
  /** The sending server's address. */
  ip: string;
  /** The domain of the From address (or the address itself). */
  domain: string;
}

export interface SpfChecks {
  /** Resolves the result (two addresses: an `spf-pair`), or undefined when nothing was checked. */
  checkSpf(args?: SpfCheckArgs): Promise<SpfResult | SpfPairResult | undefined>;
  sendAs(args?: SendAsArgs): Promise<SendAsResult | undefined>;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isIpArg(value: unknown): value is string | string[] {
  return typeof value === 'string' || (Array.isArray(value) && value.every((v) => typeof v === 'string'));
}

/** A command argument with the inputs (from code); a tree node or nothing means: ask. */
function spfArgs(arg: unknown): SpfCheckArgs | undefined {
  if (!isObject(arg) || !isIpArg(arg.ip) || typeof arg.domain !== 'string') return undefined;
  return { ip: arg.ip, domain: arg.domain, ...(typeof arg.helo === 'string' ? { helo: arg.helo } : {}) };
}

function sendAsArgs(arg: unknown): SendAsArgs | undefined {
  if (!isObject(arg) || typeof arg.ip !== 'string' || typeof arg.domain !== 'string') return undefined;
  return { ip: arg.ip, domain: arg.domain };
}

// ---- input boxes -----------------------------------------------------------------------------------

/** The selected text, or '' without a selection. */
export function selectedText(): string {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.selection.isEmpty) return '';
  return editor.document.getText(editor.selection);
}

/** The address or domain under the cursor (an address's `@` and a domain's dots included). */
export function nameUnderCursor(): string {
  const editor = vscode.window.activeTextEditor;
  if (!editor || !editor.selection.isEmpty) return '';
  const range = editor.document.getWordRangeAtPosition(editor.selection.active, /[A-Za-z0-9._%+-]+(?:@[A-Za-z0-9.-]+)?/);
  return range ? editor.document.getText(range).replace(/\.+$/, '') : '';
}

function ipsFromEditor(): string {
  const selected = selectedText();
  if (selected !== '') return findIpsInText(selected).join(', ');
  return ipFromEditor() ?? '';
}

export function senderFromEditor(): string {
  const text = selectedText() || nameUnderCursor();
  return text === '' ? '' : (findSenderInText(text) ?? '');
}

/** An input box; undefined when dismissed. Whitespace around the answer is dropped. */
export async function ask(options: vscode.InputBoxOptions): Promise<string | undefined> {
  const input = await vscode.window.showInputBox({ ignoreFocusOut: true, ...options });
  return input?.trim();
}

/** Nothing while empty, else what is wrong. */
export function whenNotEmpty(check: (text: string) => string | undefined): (text: string) => string | undefined {
  return (text) => (text.trim() === '' ? undefined : check(text));
}

function ipListProblem(text: string): string | undefined {
  const parsed = parseIpList(text);
  return parsed.ok ? undefined : parsed.error;
}

async function askSpf(): Promise<SpfCheckArgs | undefined> {
  const title = 'Mail DNS: Check SPF';
  const ip = await ask({
    title: `${title} (1/3): sending IP`,
    prompt: 'The IP address the mail comes from; give its IPv4 and IPv6 address, separated by a comma, to see both results side by side',
    placeHolder: '192.0.2.1  or  192.0.2.1, 2001:db8::1',
    value: ipsFromEditor(),
    validateInput: whenNotEmpty(ipListProblem),
  });
  if (!ip) return undefined;
  const domain = await ask({
    title: `${title} (2/3): domain or sender`,
    prompt: 'The domain whose SPF record to check (the envelope sender\'s, MAIL FROM), or the whole sender address; <> for a bounce (the null sender)',
    placeHolder: 'example.com  or  alice@example.com',
    value: senderFromEditor(),
    validateInput: whenNotEmpty(targetProblem),
  });
  if (!domain) return undefined;
  const nullSender = isNullSender(domain);
  const helo = await ask({
    title: `${title} (3/3): HELO name${nullSender ? '' : ' (optional)'}`,
    prompt: nullSender
      ? 'The HELO/EHLO name the server gives: a bounce is checked as postmaster@<HELO name> (RFC 7208 §2.4)'
      : 'The HELO/EHLO name the server gives, for %{h} macros and the Received-SPF header; leave empty to skip. The domain itself here checks the HELO identity.',
    placeHolder: 'mail.example.com',
    value: findHeloInText(selectedText()) ?? '',
    validateInput: (text) => {
      if (nullSender && text.trim() === '') return 'A bounce (null sender) is checked through the HELO name: give it';
      return heloProblem(text);
    },
  });
  if (helo === undefined) return undefined;
  return { ip, domain, ...(helo !== '' ? { helo } : {}) };
}

async function askSendAs(): Promise<SendAsArgs | undefined> {
  const title = 'Mail DNS: Can this server send for a domain?';
  const ip = await ask({
    title: `${title} (1/2): the server's IP`,
    prompt: 'The IPv4 or IPv6 address of the server that will send the mail',
    placeHolder: '203.0.113.60  or  2001:db8::25',
    value: ipFromEditor() ?? '',
    validateInput: validateIp,
  });
  if (!ip) return undefined;
  const domain = await ask({
    title: `${title} (2/2): the From domain`,
    prompt: 'The domain the mail will be from (the From and envelope sender address), e.g. a customer\'s or a new brand\'s',
    placeHolder: 'example.org  or  sales@example.org',
    value: senderFromEditor(),
    validateInput: whenNotEmpty(fromDomainProblem),
  });
  if (!domain) return undefined;
  return { ip, domain };
}

// ---- running a check ---------------------------------------------------------------------------------

async function runSpf(services: Services, tree: ResultsTree, arg: unknown): Promise<SpfResult | SpfPairResult | undefined> {
  if (!trusted()) return undefined;
  const args = spfArgs(arg) ?? (await askSpf());
  if (!args) return undefined;
  const ips = parseIpList(Array.isArray(args.ip) ? args.ip.join(', ') : args.ip);
  if (!ips.ok) return refuse('check SPF', ips.error);
  const target = parseSpfTarget(args.domain, args.helo ?? '');
  if (!target.ok) return refuse('check SPF', target.error);
  const config = configOrExplain(services);
  if (!config) return undefined;

  const { domain, sender, envelopeFrom, identity } = target.target;
  const helo = args.helo?.trim() || undefined;
  const input: Omit<SpfCheckInput, 'ip'> = { domain, sender, envelopeFrom, identity, ...(helo ? { helo } : {}) };
  const ipText = ips.ips.join(' and ');
  // Every answer kept for "Check live again" (liveAgain.ts).
  const recording = recordingResolver(services.createResolver(config));
  const resolver = recording.resolver;
  services.logger.info(`Checking SPF of ${domain} (sender ${sender}) for ${ipText} with ${resolver.servers().join(', ') || 'system resolvers'}`);
  const result = await underProgress<SpfResult | SpfPairResult>(services, `checking SPF of ${domain} for ${ipText}`, (signal, report) => {
    report(`evaluating ${domain}'s SPF record…`);
    const [first, second] = ips.ips;
    return second === undefined
      ? checkHost({ ...input, ip: first }, { resolver, signal })
      : checkHostPair([first, second], input, { resolver, signal });
  });
  if (!result) return undefined;
  const results = result.kind === 'spf-pair' ? result.results : [result];
  services.logger.info(`Checked SPF of ${domain}: ${results.map((r) => `${r.ip} ${r.result} (${r.lookups} lookups)`).join(', ')}`);
  return shownResult(services, await showCheck(services, tree, result, recording.answers()), result);
}

/** When SPF does not authorize the server, offer the record to publish, naming where it goes. */
function offerRecord(services: Services, r: SendAsResult): void {
  const record = r.fix?.record;
  if (!record) return;
  const copy = 'Copy TXT Record';
  void vscode.window
    .showInformationMessage(
      plain(`Mail DNS: ${r.fromDomain}'s SPF does not authorize ${r.ip}. The TXT record to publish in ${r.fromDomain}'s DNS is in the report.`),
      copy,
    )
    .then(async (choice) => {
      if (choice === copy) await copyRecord(record);
    })
    .then(undefined, (err: unknown) => services.logger.error('Copying the record failed', err));
}

async function runSendAs(services: Services, tree: ResultsTree, arg: unknown): Promise<SendAsResult | undefined> {
  if (!trusted()) return undefined;
  const args = sendAsArgs(arg) ?? (await askSendAs());
  if (!args) return undefined;
  const ip = parseIp(args.ip);
  if (!ip.ok) return refuse('check sending as a domain', ip.error);
  const problem = fromDomainProblem(args.domain);
  if (problem) return refuse('check sending as a domain', problem);
  const config = configOrExplain(services);
  if (!config) return undefined;

  const domain = args.domain.trim().replace(/^.*@/, '').replace(/\.$/, '');
  const recording = recordingResolver(services.createResolver(config));
  const resolver = recording.resolver;
  services.logger.info(`Checking whether ${ip.ip} may send as ${domain} with ${resolver.servers().join(', ') || 'system resolvers'}`);
  const result = await underProgress(services, `can ${ip.ip} send as ${domain}?`, (signal, report) => {
    report(`SPF, reverse DNS and MX of ${domain}…`);
    return sendAs(ip.ip, domain, { resolver, signal });
  });
  if (!result) return undefined;
  services.logger.info(`Checked ${result.ip} as @${result.fromDomain}: SPF ${result.spf.result}, iprev ${result.rdns.fcrdns}${result.fix ? ', TXT record to publish' : ''}`);
  const doc = await showCheck(services, tree, result, recording.answers());
  offerRecord(services, result);
  return shownResult(services, doc, result);
}

export function registerSpfCommands(services: Services, tree: ResultsTree): SpfChecks {
  services.subscriptions.push(
    vscode.commands.registerCommand(SPF_COMMANDS.checkSpf, (arg?: unknown) => runSpf(services, tree, arg)),
    vscode.commands.registerCommand(SPF_COMMANDS.sendAs, (arg?: unknown) => runSendAs(services, tree, arg)),
  );
  return {
    checkSpf: (args) => runSpf(services, tree, args),
    sendAs: (args) => runSendAs(services, tree, args),
  };
}

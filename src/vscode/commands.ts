// The commands, each a small named handler wired once in registerCommands().
import * as vscode from 'vscode';
import type { CheckResult } from '../core/checks';
import { findIpInText, parseIp } from '../core/ip';
import { checkRdns } from '../core/rdns/check';
import type { KnownName } from '../core/rdns/hostName';
import { withFixOffers, withRequests } from './applyFix';
import { recordingResolver, type RecordedAnswer } from '../core/live/diff';
import type { RdnsResult } from '../core/rdns/types';
import type { ReportDoc } from '../core/report/doc';
import { visible } from '../core/report/labels';
import { ConfigError, type MailDnsConfig } from './config';
import { errorMessage } from './logger';
import type { CheckEntry } from './results';
import { copyDig, copyReportMarkdown, type Services } from './services';
import type { ResultsTree } from './tree';
import type { ResultTreeNode } from './treeModel';

export const COMMANDS = {
  checkRdns: 'mailDns.checkRdns',
  clearResults: 'mailDns.clearResults',
  showReport: 'mailDns.showReport',
  copyMarkdown: 'mailDns.copyMarkdown',
  copyDig: 'mailDns.copyDig',
} as const;

export interface Checks {
  /** The command's body: `ip` skips the input box. Resolves undefined when nothing was checked. */
  checkRdns(ip?: string): Promise<RdnsResult | undefined>;
  /** Stores a finished check of any kind, shows its report and selects it in the Results view. */
  showResult(result: CheckResult): Promise<ReportDoc>;
}

/**
 * Notifications turn `[text](target)` into links, command links included. Text that may carry
 * DNS data is shown with the link syntax broken and control characters made visible.
 */
export function plain(text: string): string {
  return visible(text).replace(/\]\(/g, '] (');
}

/** `validateInput` for the IP box: nothing while empty, else what parseIp says is wrong. */
export function validateIp(text: string): string | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const parsed = parseIp(trimmed);
  return parsed.ok ? undefined : parsed.error;
}

/** The selection, or the word under the cursor, when it holds an IP address. */
export function ipFromEditor(): string | undefined {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return undefined;
  const { document, selection } = editor;
  if (!selection.isEmpty) return findIpInText(document.getText(selection));
  // Editors' word patterns split at `:` and `.`; an address is hex digits, dots and colons.
  const word = document.getWordRangeAtPosition(selection.active, /[0-9A-Fa-f:.]+/);
  // A sentence's full stop is not part of the address.
  return word ? findIpInText(document.getText(word).replace(/\.+$/, '')) : undefined;
}

async function askForIp(): Promise<string | undefined> {
  const input = await vscode.window.showInputBox({
    title: 'Mail DNS: Check rDNS for IP',
    prompt: 'The IPv4 or IPv6 address your mail server sends from',
    placeHolder: '203.0.113.7 or 2001:db8::25',
    value: ipFromEditor() ?? '',
    ignoreFocusOut: true,
    validateInput: validateIp,
  });
  const trimmed = input?.trim();
  return trimmed === '' ? undefined : trimmed;
}

async function explainUntrusted(): Promise<void> {
  const manage = 'Manage Workspace Trust';
  const choice = await vscode.window.showWarningMessage(
    'Mail DNS Doctor runs checks only in trusted workspaces: a check sends DNS queries, and this workspace could set the servers they go to. Trust the workspace to run checks.',
    manage,
  );
  if (choice === manage) await vscode.commands.executeCommand('workbench.trust.manage');
}

async function showConfigError(services: Services, err: ConfigError): Promise<void> {
  // A wrong setting is the user's to fix, not a bug: no stack.
  services.logger.warn(err.message);
  const open = 'Open Settings';
  const choice = await vscode.window.showErrorMessage(`Mail DNS: ${plain(err.message)}`, open);
  if (choice === open) await vscode.commands.executeCommand('workbench.action.openSettings', err.setting);
}

/** The settings, or undefined after telling the user which one is wrong. */
export function configOrExplain(services: Services): MailDnsConfig | undefined {
  try {
    return services.config();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    void showConfigError(services, err);
    return undefined;
  }
}

function isAbort(err: unknown, signal: AbortSignal): boolean {
  return signal.aborted || (typeof err === 'object' && err !== null && (err as { name?: unknown }).name === 'AbortError');
}

async function revealCheck(services: Services, tree: ResultsTree, key: string): Promise<void> {
  const node = tree.provider.root(key);
  // reveal() would open the view; only move the selection when the user is looking at it.
  if (!node || !tree.view.visible) return;
  await tree.view.reveal(node, { select: true, focus: false, expand: true }).then(undefined, (err: unknown) => {
    services.logger.warn(`Could not reveal the check in the Results view: ${errorMessage(err)}`);
  });
}

/**
 * Runs `check` under a cancellable notification: Cancel aborts the signal every DNS wait honours.
 * Undefined when cancelled, or when it failed (and the user was told).
 */
export async function underProgress<T>(
  services: Services,
  title: string,
  check: (signal: AbortSignal, report: (message: string) => void) => Promise<T>,
): Promise<T | undefined> {
  const abort = new AbortController();
  try {
    return await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Mail DNS: ${plain(title)}`, cancellable: true },
      async (progress, token) => {
        const onCancel = token.onCancellationRequested(() => abort.abort());
        try {
          return await check(abort.signal, (message) => progress.report({ message: plain(message) }));
        } finally {
          onCancel.dispose();
        }
      },
    );
  } catch (err) {
    if (isAbort(err, abort.signal)) {
      services.logger.info(`${title}: cancelled`);
      return undefined;
    }
    services.logger.error(`${title} failed`, err);
    void vscode.window.showErrorMessage(`Mail DNS: ${plain(title)} failed: ${plain(errorMessage(err))}`);
    return undefined;
  }
}

export function refuse(what: string, problem: string): undefined {
  // The problem quotes the input and says what is wrong with it.
  void vscode.window.showErrorMessage(`Mail DNS: cannot ${what}: ${plain(problem)}`);
  return undefined;
}

/** Checks send DNS queries, which a workspace's settings direct: only in trusted workspaces. */
export function trusted(): boolean {
  if (vscode.workspace.isTrusted) return true;
  void explainUntrusted();
  return false;
}

/** What the rDNS command takes from the workspace's zones (applyFix.ts). */
export interface WorkspaceFixes {
  knownNames(ip: string): Promise<KnownName[]>;
}

async function runCheck(services: Services, tree: ResultsTree, arg: unknown, fixes?: WorkspaceFixes): Promise<RdnsResult | undefined> {
  if (!trusted()) return undefined;
  // From a menu the argument may be a tree node; only a string is an address to check.
  const text = typeof arg === 'string' ? arg.trim() : await askForIp();
  if (text === undefined) return undefined;
  const parsed = parseIp(text);
  if (!parsed.ok) return refuse('check rDNS', parsed.error);
  const config = configOrExplain(services);
  if (!config) return undefined;

  const ip = parsed.ip;
  // Every answer kept for "Check live again" (liveAgain.ts).
  const recording = recordingResolver(services.createResolver(config));
  const resolver = recording.resolver;
  services.logger.info(`Checking rDNS for ${ip} with ${resolver.servers().join(', ') || 'system resolvers'}`);
  const knownNames = (await fixes?.knownNames(ip)) ?? [];
  const checked = await underProgress(services, `checking rDNS for ${ip}`, (signal, report) =>
    checkRdns(ip, { resolver, maxSteps: config.maxChainSteps, signal, onProgress: (p) => report(p.message), knownNames, ...(config.receivers.postfix?.unknownClientRejectCode ? { unknownClientRejectCode: config.receivers.postfix.unknownClientRejectCode } : {}) }),
  );
  if (!checked) return undefined;
  // Fixes the workspace's zone files can take get "Apply to <file>".
  const result = await withRequests(services, await withFixOffers(services, checked), resolver);
  services.logger.info(
    `Checked ${result.ip}: iprev ${result.fcrdns}, ${result.findings.length} finding(s), ${result.elapsedMs} ms`,
  );
  await showCheck(services, tree, result, recording.answers());
  return result;
}

/** The result as stored and shown (with the workspace's fix offers, `applyTo`): what a command returns. */
export function shownResult<T extends CheckResult>(services: Services, doc: ReportDoc, result: T): T {
  const stored = doc.id ? services.results.get(doc.id)?.result : undefined;
  return (stored?.kind === result.kind ? stored : result) as T;
}

/**
 * What every check command does with its result: store it (top of the Results tree), show its
 * report, select it in the tree. The views read only the stored report document.
 */
export async function showCheck(services: Services, tree: ResultsTree, result: CheckResult, answers?: RecordedAnswer[]): Promise<ReportDoc> {
  // Every kind: fixes the workspace's zone files can take get "Apply to <file>" (applyFix.ts).
  const entry = services.results.add(await withFixOffers(services, result), answers);
  services.report.show(entry.doc);
  await revealCheck(services, tree, entry.key);
  return entry.doc;
}

function isTreeNode(arg: unknown): arg is ResultTreeNode {
  return typeof arg === 'object' && arg !== null && typeof (arg as { checkKey?: unknown }).checkKey === 'string';
}

/** The check a tree node belongs to; without a node (keybinding, palette), the newest check. */
function entryFor(services: Services, arg: unknown): CheckEntry | undefined {
  const entry = isTreeNode(arg) ? services.results.get(arg.checkKey) : services.results.newest();
  if (!entry) void vscode.window.showInformationMessage('Mail DNS: no check to show yet. Run a check first, such as "Mail DNS: Check rDNS for IP".');
  return entry;
}

function showReport(services: Services, arg: unknown): void {
  const entry = entryFor(services, arg);
  if (entry) services.report.show(entry.doc);
}

async function copyMarkdown(services: Services, arg: unknown): Promise<void> {
  const entry = entryFor(services, arg);
  if (entry) await copyReportMarkdown(entry.doc);
}

async function copyNodeDig(arg: unknown): Promise<void> {
  if (isTreeNode(arg) && arg.dig) await copyDig(arg.dig);
  else void vscode.window.showInformationMessage('Mail DNS: this item has no dig command.');
}

export function registerCommands(services: Services, tree: ResultsTree, fixes?: WorkspaceFixes): Checks {
  const checks: Checks = {
    checkRdns: (ip) => runCheck(services, tree, ip, fixes),
    showResult: (result) => showCheck(services, tree, result),
  };
  services.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.checkRdns, (arg?: unknown) => runCheck(services, tree, arg, fixes)),
    vscode.commands.registerCommand(COMMANDS.clearResults, () => services.results.clear()),
    vscode.commands.registerCommand(COMMANDS.showReport, (arg?: unknown) => showReport(services, arg)),
    vscode.commands.registerCommand(COMMANDS.copyMarkdown, (arg?: unknown) => copyMarkdown(services, arg)),
    vscode.commands.registerCommand(COMMANDS.copyDig, (arg?: unknown) => copyNodeDig(arg)),
  );
  return checks;
}

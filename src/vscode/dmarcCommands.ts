// "Mail DNS: Check DMARC": a small named handler wired once in registerDmarcCommands(). It asks for a
// domain or a From address (checked as you type, prefilled from the selection or the word under the
// cursor), or takes `{ domain }` as the command's argument and then returns the result; runs the core
// check under a cancellable progress notification and hands the result to showCheck().
import * as vscode from 'vscode';
import { checkDmarc } from '../core/dmarc/check';
import { recordingResolver } from '../core/live/diff';
import { dmarcInputProblem, dmarcTarget, dmarcTargetInText } from '../core/dmarc/input';
import type { DmarcResult } from '../core/dmarc/types';
import { configOrExplain, refuse, showCheck, shownResult, trusted, underProgress } from './commands';
import type { Services } from './services';
import { ask, nameUnderCursor, selectedText } from './spfCommands';
import type { ResultsTree } from './tree';

export const DMARC_COMMANDS = {
  checkDmarc: 'mailDns.checkDmarc',
} as const;

/** `mailDns.checkDmarc`'s argument (and the API's checkDmarc): skips the input box. */
export interface DmarcCheckArgs {
  /** A domain, an address (its domain is checked) or a From header. */
  domain: string;
}

export interface DmarcChecks {
  /** Resolves the result, or undefined when nothing was checked (bad input, cancel, untrusted). */
  checkDmarc(args?: DmarcCheckArgs): Promise<DmarcResult | undefined>;
}

function dmarcArgs(arg: unknown): DmarcCheckArgs | undefined {
  return typeof arg === 'object' && arg !== null && typeof (arg as { domain?: unknown }).domain === 'string' ? { domain: (arg as { domain: string }).domain } : undefined;
}

function prefill(): string {
  const text = selectedText() || nameUnderCursor();
  return text === '' ? '' : dmarcTargetInText(text);
}

async function askDmarc(): Promise<DmarcCheckArgs | undefined> {
  const domain = await ask({
    title: 'Mail DNS: Check DMARC',
    prompt: 'The domain of the From address, or the address itself (a From: header line works too)',
    placeHolder: 'example.com  or  alice@example.com',
    value: prefill(),
    validateInput: dmarcInputProblem,
  });
  return domain ? { domain } : undefined;
}

async function runDmarc(services: Services, tree: ResultsTree, arg: unknown): Promise<DmarcResult | undefined> {
  if (!trusted()) return undefined;
  const args = dmarcArgs(arg) ?? (await askDmarc());
  if (!args) return undefined;
  const target = dmarcTarget(args.domain);
  if (!target.ok) return refuse('check DMARC', target.error);
  const config = configOrExplain(services);
  if (!config) return undefined;
  const recording = recordingResolver(services.createResolver(config));
  const resolver = recording.resolver;
  services.logger.info(`Checking DMARC of ${target.domain} with ${resolver.servers().join(', ') || 'system resolvers'}`);
  const result = await underProgress(services, `checking DMARC of ${target.domain}`, (signal, report) => {
    report('the _dmarc record, the organizational domain\'s, report authorizations…');
    return checkDmarc(args.domain, { resolver, signal });
  });
  if (!result) return undefined;
  services.logger.info(`Checked DMARC of ${result.domain}: ${result.verdict}${result.applied ? ` (${result.applied.tag}=${result.applied.value} from _dmarc.${result.recordDomain})` : ''}, ${result.findings.length} finding(s)`);
  return shownResult(services, await showCheck(services, tree, result, recording.answers()), result);
}

export function registerDmarcCommands(services: Services, tree: ResultsTree): DmarcChecks {
  services.subscriptions.push(vscode.commands.registerCommand(DMARC_COMMANDS.checkDmarc, (arg?: unknown) => runDmarc(services, tree, arg)));
  return { checkDmarc: (args) => runDmarc(services, tree, args) };
}

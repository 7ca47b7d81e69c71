// "Mail DNS: Check DKIM key": a small named handler wired once in registerDkimCommands(). It asks for
// a selector (optional: empty tries the common ones) and a domain, both checked as you type and
// prefilled from the selection (a DKIM-Signature's s= and d=, a key name, an address), or takes
// `{ selector?, domain }` as the command's argument and then returns the result; runs the core check
// under a cancellable progress notification and hands the result to showCheck().
import * as vscode from 'vscode';
import { checkDkimKey, parseDkimInput } from '../core/dkim/check';
import { dkimDomainInputProblem, dkimFromText, dkimSelectorInputProblem } from '../core/dkim/input';
import { COMMON_SELECTORS } from '../core/dkim/selectors';
import type { DkimKeyResult } from '../core/dkim/types';
import { recordingResolver } from '../core/live/diff';
import { configOrExplain, refuse, showCheck, shownResult, trusted, underProgress } from './commands';
import type { Services } from './services';
import { ask, nameUnderCursor, selectedText, senderFromEditor } from './spfCommands';
import type { ResultsTree } from './tree';

export const DKIM_COMMANDS = {
  checkDkim: 'mailDns.checkDkim',
} as const;

/** `mailDns.checkDkim`'s argument (and the API's checkDkim): skips the input boxes. */
export interface DkimCheckArgs {
  /** The selector (s= of a DKIM-Signature); empty or absent: the common selectors are tried. */
  selector?: string;
  /** The signing domain (d=), an address whose domain is meant, or the whole `<selector>._domainkey.<domain>`. */
  domain: string;
}

export interface DkimChecks {
  /** Resolves the result, or undefined when nothing was checked (bad input, cancel, untrusted). */
  checkDkim(args?: DkimCheckArgs): Promise<DkimKeyResult | undefined>;
}

function dkimArgs(arg: unknown): DkimCheckArgs | undefined {
  if (typeof arg !== 'object' || arg === null) return undefined;
  const a = arg as { selector?: unknown; domain?: unknown };
  if (typeof a.domain !== 'string') return undefined;
  return { domain: a.domain, ...(typeof a.selector === 'string' ? { selector: a.selector } : {}) };
}

function prefill(): { selector?: string; domain?: string } {
  const text = selectedText() || nameUnderCursor();
  const found = text === '' ? {} : dkimFromText(text);
  if (found.domain) return found;
  const sender = senderFromEditor();
  return sender ? { ...found, ...dkimFromText(sender) } : found;
}

async function askDkim(): Promise<DkimCheckArgs | undefined> {
  const title = 'Mail DNS: Check DKIM key';
  const pre = prefill();
  const selector = await ask({
    title: `${title} (1/2): selector (optional)`,
    prompt: `The selector: s= in a DKIM-Signature header of a message you sent. Leave empty to try the common ones (${COMMON_SELECTORS.slice(0, 6).map((c) => c.selector).join(', ')}, …): DKIM selectors cannot be listed from DNS.`,
    placeHolder: 'selector1  or  s1._domainkey.example.com',
    value: pre.selector ?? '',
    validateInput: dkimSelectorInputProblem,
  });
  if (selector === undefined) return undefined;
  if (/\._domainkey\./i.test(selector)) return { selector, domain: '' };
  const domain = await ask({
    title: `${title} (2/2): domain`,
    prompt: 'The signing domain: d= in the DKIM-Signature (or an address: its domain)',
    placeHolder: 'example.com',
    value: pre.domain ?? '',
    validateInput: dkimDomainInputProblem,
  });
  if (!domain) return undefined;
  return { selector, domain };
}

async function runDkim(services: Services, tree: ResultsTree, arg: unknown): Promise<DkimKeyResult | undefined> {
  if (!trusted()) return undefined;
  const args = dkimArgs(arg) ?? (await askDkim());
  if (!args) return undefined;
  let input: { selector: string | null; domain: string };
  try {
    input = parseDkimInput(args.selector, args.domain);
  } catch (e) {
    return refuse('check the DKIM key', (e as Error).message);
  }
  const config = configOrExplain(services);
  if (!config) return undefined;
  // Every answer kept for "Check live again" (liveAgain.ts).
  const recording = recordingResolver(services.createResolver(config));
  const resolver = recording.resolver;
  const what = input.selector !== null ? `${input.selector}._domainkey.${input.domain}` : `${input.domain} (common selectors)`;
  services.logger.info(`Checking the DKIM key of ${what} with ${resolver.servers().join(', ') || 'system resolvers'}`);
  const result = await underProgress(services, `checking the DKIM key of ${what}`, (signal, report) => {
    report(input.selector !== null ? 'the key record, and a CNAME to a mail provider…' : `${COMMON_SELECTORS.length} common selectors at once…`);
    return checkDkimKey(input.selector, input.domain, { resolver, signal });
  });
  if (!result) return undefined;
  services.logger.info(`Checked DKIM ${result.name}: ${result.record === null ? 'no key' : `${result.key.type ?? 'unusable'} ${result.key.bits ?? ''}`}${result.selector === null ? `; found under ${result.found.join(', ') || 'no common selector'}` : ''}, ${result.findings.length} finding(s)`);
  return shownResult(services, await showCheck(services, tree, result, recording.answers()), result);
}

export function registerDkimCommands(services: Services, tree: ResultsTree): DkimChecks {
  services.subscriptions.push(vscode.commands.registerCommand(DKIM_COMMANDS.checkDkim, (arg?: unknown) => runDkim(services, tree, arg)));
  return { checkDkim: (args) => runDkim(services, tree, args) };
}

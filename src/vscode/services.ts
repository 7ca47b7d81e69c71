// What the parts of the extension share, built once in activate() and passed down: no
// module-level state, and everything disposable ends up in the extension's subscriptions.
import * as vscode from 'vscode';
import { createResolver } from '../core/dns/resolver';
import type { Resolver } from '../core/dns/types';
import { clipboardText } from '../core/report/copyable';
import type { ReportDoc } from '../core/report/doc';
import { reportToMarkdown } from '../core/report/markdown';
import { copyText } from './clipboard';
import { type MailDnsConfig, readConfig } from './config';
import type { Logger } from './logger';
import { ReportPanel } from './report';
import { ResultsStore } from './results';
import { ZoneWorkspace } from './zoneWorkspace';

export interface Services {
  readonly extensionUri: vscode.Uri;
  readonly subscriptions: { push(...items: vscode.Disposable[]): unknown };
  readonly logger: Logger;
  /** The settings as they are now; throws a ConfigError naming a value it cannot use. */
  readonly config: () => MailDnsConfig;
  readonly createResolver: (config: MailDnsConfig) => Resolver;
  readonly results: ResultsStore;
  readonly report: ReportPanel;
  /** The workspace's zone files (the zone language features and "Apply to <file>" read them). */
  readonly zones: ZoneWorkspace;
}

export function copyReportMarkdown(doc: ReportDoc): Promise<void> {
  return copyText(reportToMarkdown(doc), `${doc.shortTitle} report for ${doc.subject} as Markdown`);
}

export function copyDig(dig: string): Promise<void> {
  return copyText(clipboardText(dig), 'dig command');
}

export function copyRecord(record: string): Promise<void> {
  return copyText(clipboardText(record), 'record to publish');
}

export function createServices(context: vscode.ExtensionContext, logger: Logger): Services {
  const results = new ResultsStore();
  const report = new ReportPanel(context.extensionUri, logger, {
    copyMarkdown: copyReportMarkdown,
    copyDig,
    copyRecord,
    // Through the command, which applyFix.ts registers once the zone workspace exists.
    applyFix: (doc, ref) => vscode.commands.executeCommand('mailDns.applyFix', { key: doc.id, ...(typeof ref === 'number' ? { finding: ref } : ref) }),
    // The stored check behind the shown report (a re-check's or a live run's id is `<key>#…`).
    liveAgain: (doc) => vscode.commands.executeCommand('mailDns.checkLiveAgain', { key: doc.id?.split('#')[0] }),
  });
  const zones = new ZoneWorkspace(logger);
  context.subscriptions.push(results, report, zones);
  return {
    extensionUri: context.extensionUri,
    subscriptions: context.subscriptions,
    logger,
    config: () => readConfig(),
    createResolver: (config) => createResolver({ servers: config.resolvers, timeoutMs: config.timeoutMs }),
    results,
    report,
    zones,
  };
}

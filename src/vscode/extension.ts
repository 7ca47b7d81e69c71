// Entry point: builds the shared services, then wires each part once. Everything disposable is in
// context.subscriptions; a failure here is logged with its stack and shown, then rethrown so VS
// Code marks the activation as failed.
import * as vscode from 'vscode';
import { isCheckKind } from '../core/checks';
import type { MailDnsApi } from './api';
import { type AuditCommands, registerAuditCommands } from './audit';
import { type Checks, registerCommands } from './commands';
import { type DkimChecks, registerDkimCommands } from './dkimCommands';
import { type DmarcChecks, registerDmarcCommands } from './dmarcCommands';
import { registerMessageCommands } from './messageCommands';
import { createLogger, errorMessage, type Logger } from './logger';
import { type MailChecks, registerMailCommands } from './mailCommands';
import { registerSavedServers, type SavedServersView } from './savedServers';
import { createServices, type Services } from './services';
import { registerSpfCommands, type SpfChecks } from './spfCommands';
import { registerResultsTree, type ResultsTree } from './tree';
import { registerZoneLanguage } from './zoneLanguage';
import { registerApplyFix } from './applyFix';
import { registerLiveAgain } from './liveAgain';

/** Set by the bundle's first statement (esbuild.mjs banner), before any module initialises. */
declare const __mailDnsLoadStarted: number | undefined;
/** When this bundle started loading: activation time counts from here (npm run bench reports it). */
const loadStarted = typeof __mailDnsLoadStarted === 'number' ? __mailDnsLoadStarted : performance.now();

function createApi(
  services: Services,
  tree: ResultsTree,
  checks: Checks,
  spf: SpfChecks,
  mail: MailChecks,
  saved: SavedServersView,
  dkim: DkimChecks,
  dmarc: DmarcChecks,
  audit: AuditCommands,
): Omit<MailDnsApi, 'activationMs'> {
  return {
    auditRange: (args) => audit.auditRange(args),
    onDidRenderAudit: audit.onDidRenderAudit,
    checkRdns: (ip) => checks.checkRdns(ip),
    checkSpf: (args) => spf.checkSpf(args),
    sendAs: (args) => spf.sendAs(args),
    checkHelo: (args) => mail.checkHelo(args),
    probeSmtp: (args) => mail.probeSmtp(args),
    checkMx: (args) => mail.checkMx(args),
    checkDnsbl: (args) => mail.checkDnsbl(args),
    checkDmarc: (args) => dmarc.checkDmarc(args),
    checkMailServer: (args) => mail.checkMailServer(args),
    explainBounce: (args) => mail.explainBounce(args),
    runBounceCheck: (suggestion) => mail.runBounceCheck(suggestion),
    checkDkim: (args) => dkim.checkDkim(args),
    savedServersSnapshot: async () => saved.provider.snapshot(),
    showResult: async (result) => {
      // Other extensions are outside the type system: refuse what no view knows how to show.
      const kind: unknown = typeof result === 'object' && result !== null ? (result as { kind?: unknown }).kind : undefined;
      if (!isCheckKind(kind)) throw new TypeError(`Mail DNS: cannot show a result of kind ${JSON.stringify(kind)}`);
      return checks.showResult(result);
    },
    treeSnapshot: async () => tree.provider.snapshot(),
    onDidRenderReport: services.report.onDidRender,
  };
}

function reportActivationFailure(logger: Logger, err: unknown): void {
  logger.error('Activation failed', err);
  const showLog = 'Show Log';
  void vscode.window
    .showErrorMessage(`Mail DNS Doctor could not start: ${errorMessage(err)}`, showLog)
    .then((choice) => {
      if (choice === showLog) logger.show();
    });
}

export function activate(context: vscode.ExtensionContext): MailDnsApi {
  const logger = createLogger('Mail DNS Doctor');
  context.subscriptions.push(logger);
  try {
    const services = createServices(context, logger);
    const tree = registerResultsTree(services);
    registerZoneLanguage(services);
    const applier = registerApplyFix(services);
    registerLiveAgain(services);
    const checks = registerCommands(services, tree, applier);
    const spf = registerSpfCommands(services, tree);
    const saved = registerSavedServers(services);
    const mail = registerMailCommands(services, tree, saved);
    const dkim = registerDkimCommands(services, tree);
    const dmarc = registerDmarcCommands(services, tree);
    registerMessageCommands(services, tree);
    const audit = registerAuditCommands(services);
    const activationMs = performance.now() - loadStarted;
    logger.info(`Activated ${context.extension.id} ${String(context.extension.packageJSON.version)} in ${activationMs.toFixed(1)} ms`);
    return { ...createApi(services, tree, checks, spf, mail, saved, dkim, dmarc, audit), activationMs };
  } catch (err) {
    reportActivationFailure(logger, err);
    throw err;
  }
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}

// "Check live again": the stored check run again, same inputs, against real DNS (the configured
// resolvers), and what changed since the first run record by record, with how long caches may
// still give the old answer (src/core/live/diff.ts). The report leads with that table.
import * as vscode from 'vscode';
import { toReport } from '../core/checks';
import { diffAnswers, liveDiffSection, recordingResolver, type LiveDiff } from '../core/live/diff';
import { rerunCheck } from '../core/zone/recheck';
import { configOrExplain, trusted, underProgress } from './commands';
import type { Services } from './services';

export const LIVE_AGAIN_COMMAND = 'mailDns.checkLiveAgain';

export interface LiveAgainOutcome {
  /** Why nothing was run. */
  reason?: string;
  diff?: LiveDiff;
  /** The first run's answers were not recorded: this run's answers become the baseline. */
  baseline?: boolean;
}

async function checkLiveAgain(services: Services, key: string | undefined): Promise<LiveAgainOutcome> {
  if (!trusted()) return { reason: 'The workspace is not trusted.' };
  const entry = key ? services.results.get(key) : services.results.newest();
  if (!entry) return { reason: 'No check to run again.' };
  const config = configOrExplain(services);
  if (!config) return { reason: 'No resolvers configured.' };
  const recording = recordingResolver(services.createResolver(config));
  const result = await underProgress(services, `checking ${entry.doc.subject} live again`, (signal) => rerunCheck(entry.result, recording.resolver, signal));
  if (!result) return { reason: `A ${entry.result.kind} check cannot be run again here.` };
  const answers = recording.answers();
  const doc = toReport(result);
  const started = (entry.result as { startedAt?: unknown }).startedAt;
  const since = typeof started === 'string' ? `the first run (${started})` : 'the first run';
  if (!entry.answers) {
    // Kinds whose command does not record yet: this run is what the next one is compared with.
    entry.answers = answers;
    services.report.show({ ...doc, id: `${entry.key}#live`, subject: `${doc.subject} (live again)`, sections: [{ type: 'text', title: 'Check live again', paragraphs: ['The first run\'s answers were not recorded; this run\'s are kept, and the next "Check live again" shows what changed since now.'] }, ...doc.sections] });
    return { baseline: true };
  }
  const diff = diffAnswers(entry.answers, answers);
  const wait = diff.staleFor > 0 ? ` Resolvers may still give old answers for up to ${diff.staleFor} seconds.` : '';
  const summary = diff.changes.length === 0 ? `No DNS answer changed since the first run.` : `${diff.changes.length} change(s) in DNS answers since the first run.${wait}`;
  services.logger.info(`Checked ${entry.doc.subject} live again: ${summary}`);
  services.report.show({ ...doc, id: `${entry.key}#live`, subject: `${doc.subject} (live again)`, summary, sections: [liveDiffSection(diff, since), ...doc.sections] });
  return { diff };
}

export function registerLiveAgain(services: Services): void {
  services.subscriptions.push(
    vscode.commands.registerCommand(LIVE_AGAIN_COMMAND, (arg?: unknown) => {
      const a = (typeof arg === 'object' && arg !== null ? arg : {}) as { key?: unknown; checkKey?: unknown };
      const key = typeof a.key === 'string' ? a.key : typeof a.checkKey === 'string' ? a.checkKey : undefined;
      return checkLiveAgain(services, key);
    }),
  );
}

// Whether zone-file features may ask DNS, and the resolver they ask: `mailDns.zone.liveLookups`
// (default on) in a trusted workspace only — an untrusted folder could name the servers queries
// go to — through the configured `mailDns.resolvers`. One resolver (with its cache) per setting.
import * as vscode from 'vscode';
import type { Resolver } from '../core/dns/types';
import { ConfigError } from './config';
import type { Services } from './services';

export class LiveLookups implements vscode.Disposable {
  private cached: { key: string; resolver: Resolver } | undefined;
  private warned: string | undefined;
  private abort = new AbortController();
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [this.changed];

  /** The answer of resolver() may have changed: settings or workspace trust. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly services: Services) {
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('mailDns')) this.reset();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.reset()),
    );
  }

  dispose(): void {
    this.abort.abort();
    for (const d of this.disposables) d.dispose();
  }

  /** Aborted when the settings change or the extension stops: live work started before is moot. */
  get signal(): AbortSignal {
    return this.abort.signal;
  }

  /** The resolver to ask, or undefined when live lookups are off (setting, untrusted workspace, bad settings). */
  resolver(): Resolver | undefined {
    if (!vscode.workspace.isTrusted) return undefined;
    let config;
    try {
      config = this.services.config();
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      // Static checks go on; say once per bad value why live ones do not.
      if (this.warned !== err.message) this.services.logger.warn(`Zone files: no live lookups: ${err.message}`);
      this.warned = err.message;
      return undefined;
    }
    if (!config.zoneLiveLookups) return undefined;
    const key = JSON.stringify([config.resolvers, config.timeoutMs]);
    if (this.cached?.key !== key) this.cached = { key, resolver: this.services.createResolver(config) };
    return this.cached.resolver;
  }

  private reset(): void {
    this.abort.abort();
    this.abort = new AbortController();
    this.cached = undefined;
    this.changed.fire();
  }
}

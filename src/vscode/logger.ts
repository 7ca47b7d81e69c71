import * as vscode from 'vscode';

/** A thin wrapper over a LogOutputChannel that prints error stacks. */
export interface Logger extends vscode.Disposable {
  info(message: string): void;
  warn(message: string): void;
  error(message: string, err?: unknown): void;
  show(): void;
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function errorDetail(err: unknown): string {
  return err instanceof Error ? (err.stack ?? `${err.name}: ${err.message}`) : String(err);
}

export function createLogger(name: string): Logger {
  const channel = vscode.window.createOutputChannel(name, { log: true });
  return {
    info: (message) => channel.info(message),
    warn: (message) => channel.warn(message),
    error: (message, err) => channel.error(err === undefined ? message : `${message}\n${errorDetail(err)}`),
    show: () => channel.show(true),
    dispose: () => channel.dispose(),
  };
}

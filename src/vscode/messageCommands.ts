// "Mail DNS: Check a received message": a small named handler wired once in
// registerMessageCommands(). It takes the message from the command's argument (`{ text }` or
// `{ file }`, with an optional `ip`), else from the active editor (an open .eml as its bytes on
// disk when unchanged, or pasted text), else from a file the user picks; runs the core check under
// a cancellable progress notification and hands the result to showCheck(). The report renders the
// result through the report model, which escapes everything (the message is a stranger's text).
import * as vscode from 'vscode';
import { DKIM_LIMITS } from '../core/dkim/limits';
import { parseIp } from '../core/ip';
import { verifyMessage } from './lazy';
import type { VerifyResult } from '../core/verify/types';
import { configOrExplain, refuse, showCheck, trusted, underProgress } from './commands';
import type { Services } from './services';
import type { ResultsTree } from './tree';

export const MESSAGE_COMMANDS = {
  checkMessage: 'mailDns.checkMessage',
} as const;

/** `mailDns.checkMessage`'s argument: the message as text or a file path, and the connecting IP if known. */
export interface MessageCheckArgs {
  text?: string;
  file?: string;
  ip?: string;
}

const MAX = DKIM_LIMITS.messageOctets;

function messageArgs(arg: unknown): MessageCheckArgs | undefined {
  if (typeof arg !== 'object' || arg === null) return undefined;
  const a = arg as Record<string, unknown>;
  const out: MessageCheckArgs = {};
  if (typeof a.text === 'string') out.text = a.text;
  if (typeof a.file === 'string') out.file = a.file;
  if (typeof a.ip === 'string') out.ip = a.ip;
  return out.text !== undefined || out.file !== undefined ? out : undefined;
}

/** A message file's bytes (a message need not be UTF-8: DKIM signs octets), refused over the size cap. */
async function readFile(uri: vscode.Uri): Promise<Uint8Array | string> {
  const st = await vscode.workspace.fs.stat(uri);
  if (st.type & vscode.FileType.Directory) return `${uri.fsPath} is a folder, not a message`;
  if (st.size > MAX) return `${uri.fsPath} is ${st.size} bytes, more than the ${MAX} this check reads`;
  return vscode.workspace.fs.readFile(uri);
}

/** A header line first: what a raw message starts with (or an mbox "From " line). */
function looksLikeMessage(text: string): boolean {
  return /^(From |[!-9;-~]+[ \t]*:)/.test(text.trimStart().slice(0, 1000));
}

async function fromEditorOrPick(): Promise<Uint8Array | string | undefined> {
  const editor = vscode.window.activeTextEditor;
  if (editor && looksLikeMessage(editor.document.getText())) {
    const doc = editor.document;
    // An unchanged file on disk: its bytes, as they were received (the editor may have decoded them otherwise).
    if (doc.uri.scheme === 'file' && !doc.isDirty && !doc.isUntitled) return readFile(doc.uri);
    return new TextEncoder().encode(doc.getText());
  }
  const picked = await vscode.window.showOpenDialog({
    title: 'Mail DNS: Check a received message — pick the raw message (.eml)',
    canSelectMany: false,
    filters: { 'Messages (.eml, .msg.txt)': ['eml', 'txt', 'msg'], 'All files': ['*'] },
  });
  return picked?.[0] ? readFile(picked[0]) : undefined;
}

async function runCheckMessage(services: Services, tree: ResultsTree, arg: unknown): Promise<VerifyResult | undefined> {
  if (!trusted()) return undefined;
  const args = messageArgs(arg);
  let raw: Uint8Array | string | undefined;
  try {
    raw = args?.text !== undefined ? new TextEncoder().encode(args.text) : args?.file !== undefined ? await readFile(vscode.Uri.file(args.file)) : await fromEditorOrPick();
  } catch (err) {
    return refuse('check the message', `it could not be read: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (raw === undefined) return undefined;
  if (typeof raw === 'string') return refuse('check the message', raw);
  if (raw.length === 0) return refuse('check the message', 'the message is empty');
  if (raw.length > MAX) return refuse('check the message', `it is ${raw.length} bytes, more than the ${MAX} this check reads`);
  if (args?.ip !== undefined) {
    const p = parseIp(args.ip);
    if (!p.ok) return refuse('check the message', p.error);
  }
  const config = configOrExplain(services);
  if (!config) return undefined;
  const resolver = services.createResolver(config);
  const message = raw;
  services.logger.info(`Checking a message of ${message.length} bytes with ${resolver.servers().join(', ') || 'system resolvers'}`);
  const result = await underProgress(services, 'checking the message', (signal, report) => {
    report('DKIM keys, SPF of the envelope sender, the DMARC policy…');
    return verifyMessage(message, { resolver, signal, ...(args?.ip !== undefined ? { ip: args.ip } : {}) });
  });
  if (!result) return undefined;
  services.logger.info(`Checked the message: dmarc=${result.dmarc.result}, spf=${result.spf.result}, ${result.dkim.length} DKIM signature(s), ${result.findings.length} finding(s)`);
  await showCheck(services, tree, result);
  return result;
}

export function registerMessageCommands(services: Services, tree: ResultsTree): void {
  services.subscriptions.push(vscode.commands.registerCommand(MESSAGE_COMMANDS.checkMessage, (arg?: unknown) => runCheckMessage(services, tree, arg)));
}

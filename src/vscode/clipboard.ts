import * as vscode from 'vscode';

/** Copies `text` and says so in the status bar; `what` names it (`dig command`). */
export async function copyText(text: string, what: string): Promise<void> {
  await vscode.env.clipboard.writeText(text);
  vscode.window.setStatusBarMessage(`$(copy) Copied ${what}`, 3000);
}

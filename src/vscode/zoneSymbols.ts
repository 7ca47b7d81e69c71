// Outline and folding for zone files, mapped from the core's zoneOutline() and foldingLines():
// one symbol per owner name with its records as children, and a fold for each `( … )` record.
import * as vscode from 'vscode';
import { foldingLines, zoneOutline, type OutlineNode, type ParsedZone } from '../core/zone';
import { fileKey, type ZoneSnapshot, type ZoneWorkspace } from './zoneWorkspace';

const RECORD_KINDS: Record<string, vscode.SymbolKind> = {
  SOA: vscode.SymbolKind.Struct,
  TXT: vscode.SymbolKind.String,
  SPF: vscode.SymbolKind.String,
};

function kindOf(node: OutlineNode): vscode.SymbolKind {
  switch (node.kind) {
    case 'owner':
      return vscode.SymbolKind.Namespace;
    case 'include':
      return vscode.SymbolKind.File;
    case 'generate':
      return vscode.SymbolKind.Operator;
    default:
      return RECORD_KINDS[node.type ?? ''] ?? vscode.SymbolKind.Field;
  }
}

/** The zone that read `file`: the file's own zone, or the one that `$INCLUDE`s it. */
function zoneOf(snapshot: ZoneSnapshot, file: string): ParsedZone | undefined {
  return snapshot.zones.find((z) => z.file === file) ?? snapshot.zones.find((z) => z.sources.has(file));
}

export class ZoneSymbols implements vscode.DocumentSymbolProvider, vscode.FoldingRangeProvider {
  constructor(private readonly workspace: ZoneWorkspace) {}

  provideDocumentSymbols(document: vscode.TextDocument): vscode.DocumentSymbol[] {
    const file = fileKey(document.uri);
    const zone = zoneOf(this.workspace.current(), file);
    if (!zone) return [];
    const symbol = (n: OutlineNode): vscode.DocumentSymbol => {
      const range = new vscode.Range(document.positionAt(n.start), document.positionAt(n.end));
      const selection = new vscode.Range(document.positionAt(n.selectionStart), document.positionAt(n.selectionEnd));
      const s = new vscode.DocumentSymbol(n.name, n.detail, kindOf(n), range, range.contains(selection) ? selection : range);
      s.children = n.children.map(symbol);
      return s;
    };
    return zoneOutline(zone, file).map(symbol);
  }

  provideFoldingRanges(document: vscode.TextDocument): vscode.FoldingRange[] {
    const file = fileKey(document.uri);
    const zone = zoneOf(this.workspace.current(), file);
    if (!zone) return [];
    return foldingLines(zone, file).map((f) => new vscode.FoldingRange(f.startLine, f.endLine, f.kind === 'comment' ? vscode.FoldingRangeKind.Comment : undefined));
  }
}

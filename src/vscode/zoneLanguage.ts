// The `dns-zone` language features, wired once: diagnostics (zoneDiagnostics.ts), SPF hover and
// lookup-count lens (zoneHover.ts), quick fixes and fix-all (zoneActions.ts), outline and folding
// (zoneSymbols.ts), over one ZoneWorkspace (which zone files there are, and their text) and one
// LiveLookups (whether and how to ask DNS). Everything they compute comes from src/core/zone.
import * as vscode from 'vscode';
import type { Services } from './services';
import { ZONE_ACTIONS_METADATA, ZoneCodeActions } from './zoneActions';
import { createDocsLinks, ZoneDiagnostics } from './zoneDiagnostics';
import { ZoneSpfHover, ZoneSpfLens } from './zoneHover';
import { LiveLookups } from './zoneLive';
import { ZoneMailTxtHover, ZoneMailTxtLens } from './zoneMailTxt';
import { ZoneSymbols } from './zoneSymbols';
import { ZONE_SELECTOR } from './zoneWorkspace';

export function registerZoneLanguage(services: Services): void {
  const { logger } = services;
  const workspace = services.zones;
  const live = new LiveLookups(services);
  const diagnostics = new ZoneDiagnostics(workspace, live, logger, createDocsLinks(services.extensionUri));
  const lens = new ZoneSpfLens(workspace, live, diagnostics, logger);
  const mailLens = new ZoneMailTxtLens(workspace, diagnostics);
  const symbols = new ZoneSymbols(workspace);
  services.subscriptions.push(
    live,
    diagnostics,
    lens,
    mailLens,
    vscode.languages.registerHoverProvider(ZONE_SELECTOR, new ZoneMailTxtHover(workspace)),
    vscode.languages.registerCodeLensProvider(ZONE_SELECTOR, mailLens),
    vscode.languages.registerHoverProvider(ZONE_SELECTOR, new ZoneSpfHover(workspace, live, logger)),
    vscode.languages.registerCodeLensProvider(ZONE_SELECTOR, lens),
    vscode.languages.registerCodeActionsProvider(ZONE_SELECTOR, new ZoneCodeActions(workspace, diagnostics), ZONE_ACTIONS_METADATA),
    vscode.languages.registerDocumentSymbolProvider(ZONE_SELECTOR, symbols, { label: 'Zone' }),
    vscode.languages.registerFoldingRangeProvider(ZONE_SELECTOR, symbols),
  );
}

// The zone-file core in one import: parse, lint, fix. See docs/zone-lint.md.
export { ZONE_CODES, type CodeInfo } from './codes';
export { applyEdits, deleteRecordFix, fixAllEdits, RecordDeleter } from './edits';
export { Confinement, fsReader, isWithin, ReadBudget, readRegularFile, readRegularFileSync, type FsReader, type FsReaderOptions, type RawRead } from './fsReader';
export { BUDGET_CODES, CLI_READ_LIMITS, EDITOR_READ_LIMITS, MAX_INCLUDE_DEPTH, SPF_COUNT_CAP, ZONE_LIMITS, ZoneBudget, type ReadLimits, type ZoneLimits } from './limits';
export { LineIndex, type Position } from './lineIndex';
export { finding, lintSets, lintWorkspace, lintZones, lintZonesStatic, RECORD_RULES, type LintOptions, type RecordRule } from './lint';
export { bare, canonicalName, isAtOrBelow, relativeTo } from './names';
export { foldingLines, rdataText, zoneOutline, type FoldingLines, type OutlineNode } from './outline';
export { parseZone, ZoneDocument, type IncludeRef, type ParsedZone, type ParseOptions, type SourceFile, type UpdateStats, type WorkStats } from './parser';
export { charStringOctets, decodeCharString, decodeWithOffsets, lookupType, parseTtl } from './rdata';
export { sourceRange, spfRecordAt, spfSenders, spfSources, spfSourcesIn, spfTermAt, staticLookupCount, termTarget, type LookupCount, type SpfSource } from './spfLint';
export { LOOKUP_LIMIT, lookupLensText, spfTermInfo, workspaceSpf, type SpfTermInfo } from './spfInfo';
export { liveLookupCount, spfBranch, type LiveLookupCount, type LiveOptions, type SpfBranch } from './spfLive';
export type { TextEdit, Token, ZoneFinding, ZoneFix, ZoneReader, ZoneReadError, ZoneRecord } from './types';
export { chooseOrigin, findZoneFiles, findZoneFilesAsync, isZoneFileName, looksLikeZone, notAZone, originFromFileName, originFromText, parseWorkspace, zonesToLint, type FoundZoneFiles, type WorkspaceFile } from './workspace';
export { configKind, parseConfig, parseKnotConf, parseNamedConf, parseNsdConf, type ParsedConfig, type ServerKind } from './serverConfig';
export { effectiveOrigin, ipFromReverseName, isReverseName, ZoneIndex, type IndexedZone } from './zoneIndex';
export { nextSerial, planRecordEdit, serialGreater, serialStyle, type EditOptions, type PlanOutcome, type RecordChange, type RecordEditPlan, type SerialBump } from './recordEdit';

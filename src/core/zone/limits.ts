import type { ZoneFinding } from './types';

// Budgets that bound what one lint run may cost, whatever the workspace holds: a zone linter runs by
// itself when a folder is opened (Restricted Mode too), so a hostile folder — symlink loops,
// `$INCLUDE /dev/zero`, FIFOs, a 10 GB file — must cost bounded time and memory, and every limit
// hit is a finding or a message naming the file and the limit, never a crash or a hang.
// docs/security.md says why each number is what it is.

export const MiB = 1024 * 1024;

/** What one lint run may read: each file, and all files together (main files and `$INCLUDE`s). */
export interface ReadLimits {
  /** Largest file read; a bigger one is refused whole (`zone-file-too-big`). */
  maxFileBytes: number;
  /** Bytes all files of one run may have together; past it files are refused (`zone-read-budget`). */
  maxTotalBytes: number;
}

/**
 * The CLI: a process of its own, run on purpose. Parsing holds about 18 bytes of JS heap per byte of
 * zone text (1,000,000 records, 34 MB → 660 MB heap), so 128 MiB in all stays near 2.3 GB, well under
 * Node's default 4 GB heap; 64 MiB per file lets through a zone of about two million records.
 */
export const CLI_READ_LIMITS: ReadLimits = { maxFileBytes: 64 * MiB, maxTotalBytes: 128 * MiB };

/**
 * The editor: the extension host is shared with every other extension and must stay responsive.
 * 16 MiB per file (~500,000 records, about 1 s to parse, ~300 MB heap) is below where VS Code itself
 * stops tokenizing (20 MB) and syncing (50 MB) a document; 64 MiB in all keeps the heap near 1.1 GB.
 */
export const EDITOR_READ_LIMITS: ReadLimits = { maxFileBytes: 16 * MiB, maxTotalBytes: 64 * MiB };

/** Directory entries the zone-file search looks at in one run (files and directories, every root together). */
export const WALK_MAX_ENTRIES = 200_000;

/** Directories deep the search goes below a root. */
export const WALK_MAX_DEPTH = 32;

/** A `zones.json` manifest bigger than this is not read: a list of zones is a few kilobytes. */
export const MANIFEST_MAX_BYTES = MiB;

/** How much of a file with no telling name is read to see whether it starts like a zone. */
export const SNIFF_BYTES = 4096;

// The budgets of one lint run over zone files: how much the parser may make out of the text it
// reads, whatever that text says (`$GENERATE 0-4294967295`, `$INCLUDE`s that include each other a
// hundred times each). One ZoneBudget is shared by every file's parse in a run — the CLI's
// parseWorkspace and the editor's snapshot alike — so a run's limits hold for the workspace, not
// per file. docs/security.md, "Zone parser and linter budgets", says why each value is what it is.

export interface ZoneLimits {
  /** Records made in one run: read, `$INCLUDE`d and `$GENERATE`d. */
  records: number;
  /** `$INCLUDE` lines followed in one run (each time a file is included, it is read again). */
  includes: number;
  /** Characters of `$INCLUDE`d text parsed in one run, counted each time a file is included. */
  includeChars: number;
  /** Parse errors and warnings in one run. */
  diagnostics: number;
}

export const ZONE_LIMITS: Readonly<ZoneLimits> = Object.freeze({
  records: 2_000_000,
  includes: 10_000,
  includeChars: 128 * 1024 * 1024,
  diagnostics: 100_000,
});

/** Deepest `$INCLUDE` nesting (a file including itself is a loop, reported as one). */
export const MAX_INCLUDE_DEPTH = 16;

/**
 * RFC 7208 §4.6.4 stops a check at 10 DNS-querying terms; the static count of a record in a zone
 * file follows includes through the workspace only until it has counted more than this many (then
 * the record is over the limit whatever comes after, and the count says "or more").
 */
export const SPF_COUNT_CAP = 100;

/**
 * The `ptr` quick fix lists the addresses `ptr:<domain>` stands for: offered only when at most this
 * many addresses sit below the domain (a longer record is too big to publish, RFC 7208 §3.4, and
 * with live lookups each address may cost a DNS question).
 */
export const PTR_FIX_MAX_ADDRESSES = 32;

/** The finding code for each budget. */
export const BUDGET_CODES = Object.freeze({
  records: 'zone-budget-records',
  includes: 'zone-budget-includes',
  includeChars: 'zone-budget-includes',
  diagnostics: 'zone-budget-diagnostics',
} as const);

export type BudgetKind = keyof ZoneLimits;

/** What a parse charged to a budget. */
export interface BudgetUse {
  records: number;
  includes: number;
  includeChars: number;
  diagnostics: number;
}

export interface BudgetMark {
  used: BudgetUse;
  stop: ZoneBudget['stop'];
}

export function noUse(): BudgetUse {
  return { records: 0, includes: 0, includeChars: 0, diagnostics: 0 };
}

/**
 * The budget of one lint run. Parses charge it as they make records, follow `$INCLUDE`s and
 * report problems; the first charge that does not fit stops that parse there (with a
 * `zone-budget-*` finding at the place), and every parse after it in the run reads nothing.
 */
export class ZoneBudget {
  readonly limits: Readonly<ZoneLimits>;
  readonly used: BudgetUse = noUse();
  /** Set when a limit was reached: the finding that says so, and the main file whose parse it was in. */
  stop: { finding: ZoneFinding; zoneFile: string } | undefined;

  constructor(limits: Partial<ZoneLimits> = {}) {
    this.limits = Object.freeze({ ...ZONE_LIMITS, ...limits });
  }

  /** Takes `n` of `kind`; false (and nothing taken) when that would go over the limit. */
  take(kind: BudgetKind, n: number): boolean {
    if (this.used[kind] + n > this.limits[kind]) return false;
    this.used[kind] += n;
    return true;
  }

  /** Takes all of `use` when every part fits; otherwise takes nothing and returns false. */
  takeAll(use: BudgetUse): boolean {
    const u = this.used;
    const l = this.limits;
    if (u.records + use.records > l.records || u.includes + use.includes > l.includes || u.includeChars + use.includeChars > l.includeChars || u.diagnostics + use.diagnostics > l.diagnostics) return false;
    u.records += use.records;
    u.includes += use.includes;
    u.includeChars += use.includeChars;
    u.diagnostics += use.diagnostics;
    return true;
  }

  /** The state now, to go back to with `reset` (a parse that is thrown away gives back what it took). */
  mark(): BudgetMark {
    return { used: { ...this.used }, stop: this.stop };
  }

  reset(mark: BudgetMark): void {
    Object.assign(this.used, mark.used);
    this.stop = mark.stop;
  }
}

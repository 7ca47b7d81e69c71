// The budgets of one lint run over zone files: how much the parser may make out of the text it
// reads, whatever that text says (`$GENERATE 0-4294967295`, `$INCLUDE`s that include each other a
// hundred times each). One ZoneBudget is shared by every file's parse in a run — the CLI's
// parseWorkspace and the editor's snapshot alike — so a run's limits hold for the workspace, not
// per file. docs/security.md, "Zone parser and linter budgets", says why each value is what it is.
import type { ZoneFinding } from './types';

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

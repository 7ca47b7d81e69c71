// The fuzz harness: a target is a fast-check arbitrary (grammar-aware generator plus mutations)
// and a function that feeds one input through the code under test and checks properties on what
// comes out. `fuzzTarget` runs many inputs and counts crashes, property violations and hangs
// without stopping; `sliceProperty` is the same target as one fast-check property, for the seeded
// slice in `npm test` (fast-check shrinks a failure and prints its seed and counterexample).
import * as fc from 'fast-check';
import { performance } from 'node:perf_hooks';

/** A property a target checks on its output, other than "does not throw". Named, so a slice can leave one out. */
export class PropertyViolation extends Error {
  constructor(
    readonly property: string,
    message: string,
  ) {
    super(`${property}: ${message}`);
    this.name = 'PropertyViolation';
  }
}

export interface FuzzContext {
  /** Properties not to check (known failures handed to another branch). */
  readonly skip: ReadonlySet<string>;
  /** Checks `property` unless it is skipped: `problem` returns undefined when it holds, else what is wrong. */
  check(property: string, problem: () => string | undefined): void;
}

export function makeContext(skip: Iterable<string> = []): FuzzContext {
  const s = new Set(skip);
  return {
    skip: s,
    check(property, problem) {
      if (s.has(property)) return;
      const p = problem();
      if (p !== undefined) throw new PropertyViolation(property, p);
    },
  };
}

export interface Target<T> {
  name: string;
  /** One line: what goes in and what is checked. */
  what: string;
  arbitrary: () => fc.Arbitrary<T>;
  run(input: T, ctx: FuzzContext): void | Promise<void>;
  /** Errors that are the documented answer to bad user input (InputError), not crashes. */
  expected?: (e: unknown) => boolean;
  /** Properties known to fail on the current code (fixed on another branch): left out of the npm test slice. */
  knownFailing?: string[];
  /** Inputs this target gets per thousand of `--inputs` (`npm run fuzz`: per 1,000,000, in thousands). */
  weight: number;
  /** Inputs in the npm test slice (0: not in it, `sliceNote` says why). */
  slice: number;
  sliceNote?: string;
  /** Called once before the first input / after the last (servers, patched sockets). */
  setup?: () => Promise<void> | void;
  teardown?: () => Promise<void> | void;
}

/** An input whose processing takes longer than this is reported as a hang. */
export const HANG_MS = 2000;

export interface Failure {
  kind: 'crash' | 'property' | 'hang';
  /** Index of the input in the run (replay it with `--replay <index>`). */
  index: number;
  signature: string;
  message: string;
  stack: string;
  input: string;
  ms?: number;
}

export interface TargetReport {
  target: string;
  inputs: number;
  crashes: number;
  properties: number;
  hangs: number;
  ms: number;
  slowestMs: number;
  /** First failure of each distinct signature. */
  failures: Failure[];
  /** Failures by signature. */
  counts: Record<string, number>;
}

/** Stack frames in the project (not node:internal, not fast-check), for a crash's signature. */
function projectFrames(stack: string): string[] {
  return stack
    .split('\n')
    .filter((l) => /^\s+at /.test(l) && !/node:internal|node_modules|test\/fuzz\/harness/.test(l))
    .map((l) => l.trim().replace(/^at /, '').replace(/\(.*\/(?:out\/)?/, '(').replace(/:\d+\)$/, ')'));
}

function signatureOf(kind: Failure['kind'], e: unknown): string {
  if (e instanceof PropertyViolation) return `property ${e.property}`;
  const err = e instanceof Error ? e : new Error(String(e));
  const top = projectFrames(err.stack ?? '')[0] ?? '?';
  return `${kind} ${err.name}: ${err.message.replace(/\d+/g, 'N').replace(/"[^"]*"/g, '"…"').slice(0, 80)} @ ${top}`;
}

export function show(input: unknown, max = 2000): string {
  let s: string;
  try {
    s = fc.stringify(input);
  } catch {
    s = String(input);
  }
  return s.length > max ? `${s.slice(0, max)}… (${s.length} characters)` : s;
}

/** Progress beat for the runner's watchdog: the index of the input being processed. */
export type Beat = (index: number) => void;

/**
 * Runs `inputs` inputs of `target` from `seed`. Never stops at a failure: each is counted, the
 * first of each signature kept with its input and index (fast-check's seed + path replays it).
 */
export async function fuzzTarget<T>(target: Target<T>, inputs: number, seed: number, beat: Beat = () => {}, skip: string[] = []): Promise<TargetReport> {
  const report: TargetReport = { target: target.name, inputs: 0, crashes: 0, properties: 0, hangs: 0, ms: 0, slowestMs: 0, failures: [], counts: {} };
  const ctx = makeContext(skip);
  const record = (kind: Failure['kind'], index: number, input: T, e: unknown, ms?: number) => {
    const signature = kind === 'hang' ? `hang in ${target.name}` : signatureOf(kind, e);
    report.counts[signature] = (report.counts[signature] ?? 0) + 1;
    if (kind === 'crash') report.crashes++;
    else if (kind === 'property') report.properties++;
    else report.hangs++;
    if (report.counts[signature] > 1) return;
    const err = e instanceof Error ? e : new Error(String(e));
    report.failures.push({ kind, index, signature, message: err.message.slice(0, 2000), stack: (err.stack ?? '').split('\n').slice(0, 14).join('\n'), input: show(input), ...(ms !== undefined ? { ms } : {}) });
  };
  await target.setup?.();
  const started = performance.now();
  let index = 0;
  const one = async (input: T) => {
    const i = index++;
    beat(i);
    const t0 = performance.now();
    try {
      await target.run(input, ctx);
    } catch (e) {
      if (!target.expected?.(e)) record(e instanceof PropertyViolation ? 'property' : 'crash', i, input, e);
    }
    const ms = performance.now() - t0;
    if (ms > report.slowestMs) report.slowestMs = ms;
    if (ms > HANG_MS) record('hang', i, input, new Error(`took ${ms.toFixed(0)} ms (bound ${HANG_MS} ms)`), ms);
    report.inputs++;
    return true;
  };
  try {
    await fc.check(fc.asyncProperty(target.arbitrary(), one), { numRuns: inputs, seed, endOnFailure: true });
  } finally {
    report.ms = performance.now() - started;
    await target.teardown?.();
  }
  return report;
}

/** Replays input `index` of a run from `seed` and shrinks it if it fails: fast-check prints the counterexample. */
export async function replay<T>(target: Target<T>, seed: number, index: number, skip: string[] = []): Promise<string | undefined> {
  const ctx = makeContext(skip);
  await target.setup?.();
  try {
    const details = await fc.check(
      fc.asyncProperty(target.arbitrary(), async (input: T) => {
        try {
          await target.run(input, ctx);
        } catch (e) {
          if (!target.expected?.(e)) throw e;
        }
      }),
      { seed, path: String(index), numRuns: 1 },
    );
    return details.failed ? fc.defaultReportMessage(details) : undefined;
  } finally {
    await target.teardown?.();
  }
}

/** The target as one fast-check property, for `fc.assert` in the npm test slice. */
export function sliceProperty<T>(target: Target<T>): fc.IAsyncPropertyWithHooks<[T]> {
  const ctx = makeContext(target.knownFailing ?? []);
  return fc.asyncProperty(target.arbitrary(), async (input: T) => {
    try {
      await target.run(input, ctx);
    } catch (e) {
      if (!target.expected?.(e)) throw e;
    }
  });
}

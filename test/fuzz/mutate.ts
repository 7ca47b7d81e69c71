// Mutations shared by the generators: a near-valid text (or packet) is built from the format's own
// grammar, then bent a little, the way a typo, a hostile server or a broken tool bends it. Random
// bytes alone never get past the first check of a parser; mutated valid inputs reach deep code.
import * as fc from 'fast-check';

/** Characters that tend to matter: controls, line ends, bidi and zero-width, surrogates, quoting. */
export const NASTY_CHARS = [
  '\0', '\t', '\n', '\r', '\r\n', '\x0b', '\x0c', '\x1b', '\x1b[2J', '\x7f', '\x80', '\x85', '\x9b', '\u00a0', '\u00ad',
  '\u200b', '\u200e', '\u200f', '\u202a', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\u2028', '\u2029',
  '\ufeff', '\ufffd', '\ud800', '\udfff', '\ud83d\ude00', 'é', 'İ', 'ß', 'ǅ', '\u0130', 'ﬀ', '�',
];

/** Characters and short strings with meaning in the formats fuzzed here. */
export const SYNTAX_BITS = [
  '\\', '\\\\', '"', "'", '(', ')', ';', '$', '@', '.', '..', ' ', '  ', '%', '%%', '%{', '}', '{', '-', '+', '~', '?',
  '=', ':', '/', '//', '<', '>', '[', ']', '|', '`', '*', '#', '!', '&', ',', '0', '9', '255', '256', '65535', '4294967296',
  '-1', '\\000', '\\255', '\\999', '\\.', '\\"', '\\(', '\\#', '1e3', 'NaN', '0x10', '::', ':::', '0.0.0.0',
];

export const INTERESTING = [...NASTY_CHARS, ...SYNTAX_BITS];

export type StringOp =
  | { op: 'insert'; at: number; text: string }
  | { op: 'delete'; at: number; len: number }
  | { op: 'replace'; at: number; len: number; text: string }
  | { op: 'duplicate'; at: number; len: number; to: number }
  | { op: 'repeat'; at: number; len: number; times: number }
  | { op: 'truncate'; at: number }
  | { op: 'case'; at: number; len: number; upper: boolean }
  | { op: 'splice'; at: number; from: string };

const pos = fc.nat({ max: 1 << 20 });

function stringOpArb(pool: fc.Arbitrary<string>, maxRepeat: number): fc.Arbitrary<StringOp> {
  const piece = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...INTERESTING) },
    { weight: 1, arbitrary: fc.string({ maxLength: 8, unit: 'binary' }) },
    { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
    { weight: 2, arbitrary: pool },
  );
  return fc.oneof(
    { weight: 4, arbitrary: fc.record({ op: fc.constant('insert' as const), at: pos, text: piece }) },
    { weight: 3, arbitrary: fc.record({ op: fc.constant('delete' as const), at: pos, len: fc.integer({ min: 1, max: 16 }) }) },
    { weight: 3, arbitrary: fc.record({ op: fc.constant('replace' as const), at: pos, len: fc.integer({ min: 1, max: 4 }), text: piece }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('duplicate' as const), at: pos, len: fc.integer({ min: 1, max: 200 }), to: pos }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('repeat' as const), at: pos, len: fc.integer({ min: 1, max: 12 }), times: fc.integer({ min: 2, max: maxRepeat }) }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('truncate' as const), at: pos }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('case' as const), at: pos, len: fc.integer({ min: 1, max: 40 }), upper: fc.boolean() }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('splice' as const), at: pos, from: pool }) },
  );
}

export function applyStringOps(text: string, ops: readonly StringOp[]): string {
  let s = text;
  for (const o of ops) {
    const at = s.length === 0 ? 0 : o.at % (s.length + 1);
    switch (o.op) {
      case 'insert':
        s = s.slice(0, at) + o.text + s.slice(at);
        break;
      case 'delete':
        s = s.slice(0, at) + s.slice(at + o.len);
        break;
      case 'replace':
        s = s.slice(0, at) + o.text + s.slice(at + o.len);
        break;
      case 'duplicate': {
        const part = s.slice(at, at + o.len);
        const to = s.length === 0 ? 0 : o.to % (s.length + 1);
        s = s.slice(0, to) + part + s.slice(to);
        break;
      }
      case 'repeat': {
        const part = s.slice(at, at + o.len);
        s = s.slice(0, at) + part.repeat(o.times) + s.slice(at + o.len);
        break;
      }
      case 'truncate':
        s = s.slice(0, at);
        break;
      case 'case': {
        const part = s.slice(at, at + o.len);
        s = s.slice(0, at) + (o.upper ? part.toUpperCase() : part.toLowerCase()) + s.slice(at + o.len);
        break;
      }
      case 'splice': {
        // Half of one text, half of another: where two formats meet.
        const cut = o.from.length === 0 ? 0 : o.at % o.from.length;
        s = s.slice(0, at) + o.from.slice(cut);
        break;
      }
    }
  }
  return s;
}

export interface MutateOptions {
  /** Texts to splice in and insert pieces of (other valid inputs). */
  pool?: fc.Arbitrary<string>;
  /** Most operations on one input. */
  maxOps?: number;
  /** Longest run `repeat` makes, as a count. */
  maxRepeat?: number;
  /** Share of inputs left as generated (valid ones must be exercised too). */
  cleanWeight?: number;
}

/** `base` as generated, or bent by a few operations. */
export function mutated(base: fc.Arbitrary<string>, options: MutateOptions = {}): fc.Arbitrary<string> {
  const pool = options.pool ?? base;
  const ops = fc.array(stringOpArb(pool, options.maxRepeat ?? 64), { minLength: 1, maxLength: options.maxOps ?? 5 });
  return fc.oneof(
    { weight: options.cleanWeight ?? 1, arbitrary: base },
    { weight: 3, arbitrary: fc.tuple(base, ops).map(([s, o]) => applyStringOps(s, o)) },
  );
}

/** Joins a list of parts with separators drawn from `seps`. */
export function joined(parts: fc.Arbitrary<string[]>, seps: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return parts.chain((ps) => fc.array(seps, { minLength: ps.length, maxLength: ps.length }).map((ss) => ps.map((p, i) => (i === 0 ? p : ss[i] + p)).join('')));
}

/** A small seeded PRNG (mulberry32) for mutations derived from one number of the input. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 32-bit hash of a string (FNV-1a), to key mutations on a question rather than on query order. */
export function hash32(s: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

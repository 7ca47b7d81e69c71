// Master-file parser (RFC 1035 §5) with the extensions zone files use in practice: `$TTL`
// (RFC 2308 §4), generic types and RDATA (RFC 3597 §5), TTL units and `$GENERATE` (BIND).
//
// - One hand-written pass over the text: no regular expression runs per character, tokens are
//   slices of the text with their offsets, so every part of a record can be pointed at.
// - An error skips the one entry it is in and parsing goes on with the next, so one mistake does
//   not hide the rest. A `(` that is never closed ends its entry at the end of its own line.
// - `ZoneDocument` re-parses after an edit from the nearest checkpoint before the change and
//   stops as soon as it is back in step with the previous parse (same offset, same state).
// - Every parse charges a ZoneBudget (limits.ts) for what it makes; one budget is shared by all
//   the files of a lint run, and a re-parse charges exactly what a parse from scratch would.
// - Linear in the text: no character is read more than a fixed number of times (a `(` that is
//   never closed is found with one look to the end of the file, however many there are).
import * as path from 'node:path';
import type { Severity } from '../model';
import { applyTemplate, fitsRange, parseRange, parseTemplate } from './generate';
import { BUDGET_CODES, type BudgetKind, type BudgetUse, MAX_INCLUDE_DEPTH, ZoneBudget } from './limits';
import { LineIndex } from './lineIndex';
import { canonicalName, scanName, wireLength } from './names';
import { checkRdata, looksLikeTtl, lookupClass, lookupType, MAX_TTL, parseTtl, type RdataSink } from './rdata';
import type { Token, ZoneFinding, ZoneFix, ZoneReader, ZoneRecord } from './types';
import { commonEnds } from './textChange';

export interface ParseOptions {
  /** Path (or any stable id) of the main file; records and findings carry it. */
  file: string;
  /** The zone's origin as the server configuration gives it (`example.com` or `example.com.`). */
  origin?: string;
  /** Reads `$INCLUDE`d files. Without one, `$INCLUDE` is reported as not readable. */
  reader?: ZoneReader;
  /**
   * The lint run's budget, shared by every file parsed in the run (limits.ts). Without one, this
   * parse gets a budget of its own with the default limits.
   */
  budget?: ZoneBudget;
  /**
   * named's working directory (the `directory` option; where named-checkzone runs): relative
   * `$INCLUDE` paths are read from here. Without one, from the including file's folder.
   */
  directory?: string;
  /**
   * `directory` is a guess (where maildns runs, the workspace folder), not the server's: a file
   * missing there but found beside the including file is read, with a warning.
   */
  directoryGuessed?: boolean;
  /** Deepest `$INCLUDE` nesting (default 16). */
  maxIncludeDepth?: number;
  /** Counts the parser's work, for tests that check it grows linearly with the input. */
  stats?: WorkStats;
}

/** Work done, in elementary steps: characters read (each time they are read) and records made. */
export interface WorkStats {
  work: number;
}

export interface SourceFile {
  file: string;
  text: string;
  lines: LineIndex;
}

export interface IncludeRef {
  /** The included file, resolved. */
  file: string;
  /** Where the `$INCLUDE` line is. */
  from: string;
  start: number;
  end: number;
}

export interface ParsedZone {
  file: string;
  /** The origin given in the options, absolute and canonical; undefined when none was given. */
  origin: string | undefined;
  records: ZoneRecord[];
  /** Parse errors and warnings, in file order. */
  diagnostics: ZoneFinding[];
  /** Every file read: the main one and each `$INCLUDE`d one. */
  sources: Map<string, SourceFile>;
  includes: IncludeRef[];
  /** A budget ran out during or before this parse: records after that point were not read. */
  truncated?: true;
  /** The main file could not be read at all (missing, refused by a limit): no zone checks apply. */
  unread?: true;
  /** Where the origin came from, for messages: `named.conf:12`, `the SOA record`, `the file name`. */
  originSource?: string;
}

interface State {
  origin: string | undefined;
  originWire: number;
  lastOwner: string | undefined;
  /** The last owner could not be read: blank-owner lines after it are skipped without a message. */
  lastOwnerBad: boolean;
  /** `$ORIGIN` came after the last record: a blank owner now is probably a mistake. */
  originJustSet: boolean;
  ttlDefault: number | undefined;
  lastTtl: number | undefined;
  soaMinimum: number | undefined;
  zoneClass: string | undefined;
  warnedNoTtl: boolean;
  /** "No origin" is said once per file: every relative name after it has the same cause. */
  saidNoOrigin: boolean;
}

// Short tokens repeat on every line (IN, A, MX, 3600, 10): one string each instead of one per line
// keeps a million-record zone smaller and the garbage collector quieter.
const INTERN: (string | undefined)[] = new Array(4096);

function intern(text: string, start: number, end: number): string {
  let h = end - start;
  for (let k = start; k < end; k++) h = (h * 31 + text.charCodeAt(k)) | 0;
  const slot = h & 4095;
  const c = INTERN[slot];
  if (c !== undefined && c.length === end - start) {
    let k = 0;
    while (k < c.length && c.charCodeAt(k) === text.charCodeAt(start + k)) k++;
    if (k === c.length) return c;
  }
  const s = text.slice(start, end);
  INTERN[slot] = s;
  return s;
}

/**
 * Where an unquoted token that starts at `start` ends (RFC 1035 §5.1): at whitespace, `;`, `(`,
 * `)`, `"` or the end of the line; a backslash makes the next character part of it. The scanner
 * and the records' lazy tokens both use it, so a token read again is the token read first.
 */
function unquotedEnd(text: string, start: number, len: number): number {
  let pos = start + 1;
  if (text.charCodeAt(start) === 92 && pos < len) {
    const n = text.charCodeAt(pos);
    if (n !== 10 && n !== 13) pos++;
  }
  while (pos < len) {
    const t = text.charCodeAt(pos);
    if (t === 32 || t === 9 || t === 10 || t === 13 || t === 59 || t === 40 || t === 41 || t === 34) break;
    if (t === 92) {
      const n = text.charCodeAt(pos + 1);
      pos += n === 10 || n === 13 || pos + 1 >= len ? 1 : 2;
      continue;
    }
    pos++;
  }
  return pos;
}

/** The character-string whose opening `"` is at `start`: its end is past the closing `"`, or where it stops unclosed. */
function quotedToken(text: string, start: number, len: number): Token {
  const pos = quotedEnd(text, start + 1, len);
  const closed = pos < len && text.charCodeAt(pos) === 34;
  return { text: text.slice(start + 1, pos), start, end: closed ? pos + 1 : pos, quoted: true };
}

/** The unquoted token at `start` of `text`, as the scanner made it. */
function unquotedToken(text: string, start: number): Token {
  const end = unquotedEnd(text, start, text.length);
  return { text: end - start <= 8 ? intern(text, start, end) : text.slice(start, end), start, end, quoted: false };
}

/**
 * The tokens of `text` from `from` to `end` (an entry's RDATA), as the scanner (nextEntry) made
 * them: inside one entry a line end is inside parentheses, so it is only a space here.
 */
function tokensIn(text: string, from: number, end: number): Token[] {
  const out: Token[] = [];
  const len = text.length;
  let pos = from;
  while (pos < end) {
    const c = text.charCodeAt(pos);
    if (c === 32 || c === 9 || c === 10 || c === 13 || c === 40 || c === 41) {
      pos++;
      continue;
    }
    if (c === 59) {
      const nl = text.indexOf('\n', pos);
      pos = nl < 0 ? len : nl;
      continue;
    }
    const tok = c === 34 ? quotedToken(text, pos, len) : unquotedToken(text, pos);
    out.push(tok);
    pos = tok.end;
  }
  return out;
}

/**
 * A record as the parser makes it. One shape for every record (all fields set in the constructor,
 * in one order), so the linter's loops over a million of them stay monomorphic.
 *
 * The owner, TTL, class and type tokens are never quoted, so a parse from scratch keeps only where
 * each starts (`-1`: not written) and the file's text: the Token is made again from the text when
 * asked for (the linter asks for few). That is four objects and their strings less per record.
 * `ZoneDocument` keeps the tokens themselves (`toks`): its records live across edits, and a record
 * taken over from an older parse must not keep that parse's whole text alive.
 */
class ParsedRecord implements ZoneRecord {
  file: string;
  owner: string;
  ttl: number;
  class: string;
  type: string;
  origin: string;
  start: number;
  end: number;
  generic: boolean | undefined;
  generated: boolean | undefined;
  /** The address; null: an A record's, as written in the text (its first RDATA token). */
  #address: string | undefined | null;
  target: string | undefined;
  targetIndex: number | undefined;
  names: number[] | undefined;
  preference: number | undefined;
  /** The file's text, for the lazy tokens; undefined when `toks` holds them. */
  readonly #src: string | undefined;
  /** Offsets where the owner, TTL, class and type tokens start (-1: not written). */
  readonly #ownerAt: number;
  readonly #ttlAt: number;
  readonly #classAt: number;
  readonly #typeAt: number;
  /** The owner, TTL, class and type tokens themselves (ZoneDocument, $GENERATE). */
  readonly #toks: (Token | undefined)[] | undefined;
  /** Where the RDATA starts (-1: none), when its tokens are made again from the text. */
  readonly #rdataAt: number;
  /** The RDATA tokens themselves (ZoneDocument, $GENERATE; and every record until its RDATA is checked). */
  #rdata: Token[] | undefined;

  constructor(
    file: string,
    owner: string,
    ttl: number,
    cls: string,
    type: string,
    rdata: Token[] | undefined,
    rdataAt: number,
    origin: string,
    start: number,
    end: number,
    src: string | undefined,
    ownerAt: number,
    ttlAt: number,
    classAt: number,
    typeAt: number,
    toks: (Token | undefined)[] | undefined,
  ) {
    this.file = file;
    this.owner = owner;
    this.ttl = ttl;
    this.class = cls;
    this.type = type;
    this.#rdata = rdata;
    this.#rdataAt = rdataAt;
    this.origin = origin;
    this.start = start;
    this.end = end;
    this.generic = undefined;
    this.generated = undefined;
    this.#address = undefined;
    this.target = undefined;
    this.targetIndex = undefined;
    this.names = undefined;
    this.preference = undefined;
    this.#src = src;
    this.#ownerAt = ownerAt;
    this.#ttlAt = ttlAt;
    this.#classAt = classAt;
    this.#typeAt = typeAt;
    this.#toks = toks;
  }

  private tok(k: number, o: number): Token | undefined {
    if (this.#toks) return this.#toks[k];
    return o < 0 ? undefined : unquotedToken(this.#src!, o);
  }

  get ownerToken(): Token | undefined {
    return this.tok(0, this.#ownerAt);
  }

  get ttlToken(): Token | undefined {
    return this.tok(1, this.#ttlAt);
  }

  get classToken(): Token | undefined {
    return this.tok(2, this.#classAt);
  }

  /** Once the parser has checked the RDATA: forget its tokens when they can be made again from the text. */
  checked(): void {
    if (this.#rdataAt < 0 || this.#src === undefined) return;
    const first = this.#rdata?.[0];
    // An A record's address is its token as written (checkRdata): read again from the text too.
    if (this.type === 'A' && !this.generic && first && !first.quoted && first.start === this.#rdataAt && this.#address === first.text) this.#address = null;
    this.#rdata = undefined;
  }

  get address(): string | undefined {
    const a = this.#address;
    return a === null ? unquotedToken(this.#src!, this.#rdataAt).text : a;
  }

  set address(value: string | undefined) {
    this.#address = value;
  }

  /** The RDATA tokens: a new list each time when made from the text (callers keep it when they ask often). */
  get rdata(): Token[] {
    if (this.#rdata) return this.#rdata;
    return this.#rdataAt < 0 ? [] : tokensIn(this.#src!, this.#rdataAt, this.end);
  }

  get typeToken(): Token {
    return this.tok(3, this.#typeAt)!;
  }

  /** The same record `delta` characters later in its file (an edit before it), tokens kept. */
  shifted(delta: number): ParsedRecord {
    const sh = (t: Token | undefined) => t && { text: t.text, start: t.start + delta, end: t.end + delta, quoted: t.quoted };
    const toks = this.#toks ? this.#toks.map(sh) : [this.ownerToken, this.ttlToken, this.classToken, this.typeToken].map(sh);
    const r = new ParsedRecord(this.file, this.owner, this.ttl, this.class, this.type, this.rdata.map((t) => sh(t)!), -1, this.origin, this.start + delta, this.end + delta, undefined, -1, -1, -1, -1, toks);
    r.generic = this.generic;
    r.generated = this.generated;
    r.address = this.address;
    r.target = this.target;
    r.targetIndex = this.targetIndex;
    r.names = this.names;
    r.preference = this.preference;
    return r;
  }
}

function sameState(a: State, b: State): boolean {
  return (
    a.origin === b.origin &&
    a.lastOwner === b.lastOwner &&
    a.lastOwnerBad === b.lastOwnerBad &&
    a.originJustSet === b.originJustSet &&
    a.ttlDefault === b.ttlDefault &&
    a.lastTtl === b.lastTtl &&
    a.soaMinimum === b.soaMinimum &&
    a.zoneClass === b.zoneClass &&
    a.warnedNoTtl === b.warnedNoTtl &&
    a.saidNoOrigin === b.saidNoOrigin
  );
}

interface Checkpoint {
  offset: number;
  state: State;
  records: number;
  diagnostics: number;
  includes: number;
  /** Characters of included text charged to the budget before this point. */
  includeChars: number;
}

/** Everything one parse of a zone (main file plus includes) collects. */
interface Run {
  options: ParseOptions;
  records: ZoneRecord[];
  diagnostics: ZoneFinding[];
  sources: Map<string, SourceFile>;
  includes: IncludeRef[];
  checkpoints: Checkpoint[];
  budget: ZoneBudget;
  /** Characters of included text charged to the budget by this run. */
  includeChars: number;
  /** A budget ran out: nothing more is read in this run (nor in any other run on the budget). */
  stopped: boolean;
  /** An unclosed `(` made the parser cut an entry short; incremental re-parse is not safe then. */
  recovered: boolean;
  /** Called at each entry start of the main file; returning true stops the parse there. */
  resync?: (offset: number, state: State) => boolean;
  /** Records keep their tokens (ZoneDocument) instead of remaking them from the text (ParsedRecord). */
  eagerTokens: boolean;
}

const CHECKPOINT_EVERY = 64;

function newRun(options: ParseOptions, budget: ZoneBudget, eagerTokens = false): Run {
  return { options, records: [], diagnostics: [], sources: new Map(), includes: [], checkpoints: [], budget, includeChars: 0, stopped: false, recovered: false, eagerTokens };
}

/** What a run (or its part before a checkpoint) charged to the budget. */
function useOf(c: { records: ZoneRecord[] | number; diagnostics: ZoneFinding[] | number; includes: IncludeRef[] | number; includeChars: number }): BudgetUse {
  const n = (x: unknown[] | number) => (typeof x === 'number' ? x : x.length);
  return { records: n(c.records), diagnostics: n(c.diagnostics), includes: n(c.includes), includeChars: c.includeChars };
}

function absoluteOrigin(origin: string | undefined): string | undefined {
  if (origin === undefined || origin === '') return undefined;
  const o = origin.endsWith('.') ? origin : origin + '.';
  const s = scanName(o);
  if (s.error) return undefined;
  return s.complex ? canonicalName(o) : s.upper ? o.toLowerCase() : o;
}

function initialState(origin: string | undefined): State {
  return {
    origin,
    originWire: origin ? wireLength(origin) : 0,
    lastOwner: undefined,
    lastOwnerBad: false,
    originJustSet: false,
    ttlDefault: undefined,
    lastTtl: undefined,
    soaMinimum: undefined,
    zoneClass: undefined,
    warnedNoTtl: false,
    saidNoOrigin: false,
  };
}

function defaultResolve(from: string, target: string): string {
  return path.resolve(path.dirname(from), target);
}

/** The main file as `$INCLUDE` paths are resolved, so a file including itself is seen as a loop. */
function mainKey(options: ParseOptions): string {
  return options.reader?.resolve ? options.file : path.resolve(options.file);
}

/** Parses a zone: `text` is the main file's content (read through `options.reader` when absent). */
export function parseZone(text: string | undefined, options: ParseOptions): ParsedZone {
  return runFull(text, options).zone;
}

function runFull(text: string | undefined, options: ParseOptions, budget: ZoneBudget = options.budget ?? new ZoneBudget(), eagerTokens = false): { zone: ParsedZone; run: Run } {
  const run = newRun(options, budget, eagerTokens);
  const origin = absoluteOrigin(options.origin);
  const read = text ?? options.reader?.read(options.file);
  const main = typeof read === 'string' ? read : undefined;
  if (main === undefined) {
    // Not charged: the editor does not parse a file it cannot read at all, and both must agree.
    run.sources.set(options.file, { file: options.file, text: '', lines: new LineIndex('') });
    // A reader that refused the file (a limit, not a regular file) says why.
    const refused = typeof read === 'object' ? read : undefined;
    run.diagnostics.push({ code: refused?.code ?? 'zone-include-missing', severity: 'error', message: refused?.message ?? `cannot read ${options.file}`, file: options.file, start: 0, end: 0 });
  } else {
    run.sources.set(options.file, { file: options.file, text: main, lines: new LineIndex(main) });
    if (budget.stop) {
      // A budget ran out in an earlier file of this run: this one is not read.
      run.stopped = true;
    } else {
      const state = initialState(origin);
      const parser = new FileParser(run, options.file, main, state, [mainKey(options)], true);
      if (options.origin !== undefined && origin === undefined) {
        parser.error('zone-bad-name', `the zone name ${JSON.stringify(options.origin)} is not a valid domain name`, 0, 0);
      }
      parser.parse(0);
    }
  }
  const zone = zoneOf(run, origin);
  if (main === undefined) zone.unread = true;
  return { zone, run };
}

function zoneOf(run: Run, origin: string | undefined): ParsedZone {
  const zone: ParsedZone = { file: run.options.file, origin, records: run.records, diagnostics: run.diagnostics, sources: run.sources, includes: run.includes };
  if (run.stopped) zone.truncated = true;
  return zone;
}

class FileParser implements RdataSink {
  private pos = 0;
  private readonly len: number;
  private toks: Token[] = [];
  private blank = false;
  private entryStart = 0;
  private entryEnd = 0;
  /** Diagnostics raised while reading the current entry's tokens (dropped if the entry is cut short). */
  private lexDiags: ZoneFinding[] = [];
  /**
   * Offsets of the `(` that are never closed, each at or after `unclosedFrom`: found the first time
   * an entry runs to the end of the text, so that later ones are cut at their line without reading
   * to the end again (which made a file of unclosed lines quadratic).
   */
  private unclosed: Set<number> | undefined;
  private unclosedFrom = 0;
  synthetic = false;

  constructor(
    private readonly run: Run,
    readonly file: string,
    private readonly text: string,
    private state: State,
    private readonly stack: string[],
    private readonly isMain: boolean,
  ) {
    this.len = text.length;
  }

  parse(from: number): void {
    this.pos = from;
    // named does not skip a UTF-8 byte order mark: its bytes start the first word (a $TTL there is
    // no directive, a name gets \239\187\191 in front). So neither do we; we say why.
    if (from === 0 && this.text.charCodeAt(0) === 0xfeff) {
      this.report(
        this.diag('zone-byte-order-mark', 'warning', 'the file starts with a byte order mark (bytes EF BB BF): BIND reads them as the start of the first word, so a directive there is not one and a name there gets \\239\\187\\191 in front. Save the file as UTF-8 without a BOM', 0, 1, {
          description: 'Remove the byte order mark',
          edits: [{ file: this.file, start: 0, end: 1, newText: '' }],
        }),
      );
    }
    let entries = 0;
    const run = this.run;
    while (!run.stopped && this.nextEntry()) {
      if (this.isMain) {
        if (run.resync && run.resync(this.entryStart, this.state)) return;
        if (entries % CHECKPOINT_EVERY === 0) {
          run.checkpoints.push({
            offset: this.entryStart,
            state: { ...this.state },
            records: run.records.length,
            diagnostics: run.diagnostics.length,
            includes: run.includes.length,
            includeChars: run.includeChars,
          });
        }
        entries++;
      }
      this.flushLexDiags();
      if (this.toks.length > 0 && !run.stopped) this.entry();
    }
    this.flushLexDiags();
  }

  private flushLexDiags(): void {
    for (const d of this.lexDiags) this.report(d);
    this.lexDiags.length = 0;
  }

  // --- tokens -------------------------------------------------------------------------------

  /** Reads the next entry's tokens (RFC 1035 §5.1: one line, or several inside parentheses). */
  private nextEntry(): boolean {
    const text = this.text;
    const len = this.len;
    let pos = this.pos;
    // Skip empty and comment-only lines quickly.
    for (;;) {
      if (pos >= len) {
        this.pos = pos;
        return false;
      }
      const c = text.charCodeAt(pos);
      if (c === 10) pos++;
      else if (c === 13) pos++;
      else if (c === 59) {
        const nl = text.indexOf('\n', pos);
        pos = nl < 0 ? len : nl + 1;
      } else break;
    }
    const c0 = text.charCodeAt(pos);
    this.blank = c0 === 32 || c0 === 9;
    this.entryStart = pos;
    const toks: Token[] = [];
    this.toks = toks;
    let depth = 0;
    let parenAt = -1;
    let lastEnd = pos;
    // Where this entry's reading ends: the end of the text, or the end of the line of a `(`
    // already known never to be closed.
    let end = len;
    // Offsets of `(` (positive) and `)` (as -1 - offset) from the first `(` on, kept in case this
    // entry runs to the end of the text: then they tell which `(` are never closed.
    let parens: number[] | undefined;
    for (;;) {
      if (pos >= end) {
        if (end === len && depth > 0 && !this.unclosed) this.findUnclosed(parens ?? []);
        if (depth > 0) {
          // RFC 1035 §5.1: parentheses must balance. End the entry at the end of the line the
          // `(` is on and read on from the next line, so the rest of the file is still checked.
          const nl = text.indexOf('\n', parenAt);
          const cut = nl < 0 ? len : nl;
          this.lexDiags = this.lexDiags.filter((d) => d.start < cut);
          this.lexDiags.push(this.diag('zone-unbalanced-parens', 'error', '"(" is never closed: the record runs to the end of the file', parenAt, parenAt + 1));
          let k = toks.length;
          while (k > 0 && toks[k - 1].start >= cut) k--;
          toks.length = k;
          lastEnd = k > 0 ? toks[k - 1].end : parenAt + 1;
          if (this.run.options.stats) this.run.options.stats.work += pos - this.entryStart;
          pos = nl < 0 ? len : nl + 1;
          this.run.recovered = true;
          this.entryEnd = lastEnd;
          this.pos = pos;
          return true;
        }
        break;
      }
      const c = text.charCodeAt(pos);
      if (c === 32 || c === 9) {
        pos++;
        continue;
      }
      if (c === 10 || c === 13) {
        if (c === 13 && text.charCodeAt(pos + 1) === 10) {
          pos++;
          continue;
        }
        pos++;
        if (depth === 0) break;
        continue;
      }
      if (c === 59) {
        const nl = text.indexOf('\n', pos);
        pos = nl < 0 ? len : nl;
        if (pos > 0 && text.charCodeAt(pos - 1) === 13) pos--;
        continue;
      }
      if (c === 40) {
        if (depth === 0) {
          parenAt = pos;
          if (this.unclosed && pos >= this.unclosedFrom && this.unclosed.has(pos)) {
            // Never closed (found before): read to the end of its line only, and cut there.
            const nl = text.indexOf('\n', pos);
            end = nl < 0 ? len : nl;
          }
        }
        if (!this.unclosed) (parens ??= []).push(pos);
        depth++;
        pos++;
        lastEnd = pos;
        continue;
      }
      if (c === 41) {
        if (depth === 0) {
          this.lexDiags.push(this.diag('zone-unbalanced-parens', 'error', '")" without a "(" before it', pos, pos + 1));
        } else depth--;
        if (!this.unclosed && parens) parens.push(-1 - pos);
        pos++;
        lastEnd = pos;
        continue;
      }
      if (c === 34) {
        // A character-string (RFC 1035 §5.1): `\"` and `\DDD` inside; it may not span lines.
        const tok = quotedToken(text, pos, len);
        if (tok.end - tok.start !== tok.text.length + 2) {
          // Unclosed: no closing quote after the text.
          this.lexDiags.push(this.diag('zone-unterminated-string', 'error', 'the quoted string is not closed on this line (a character-string cannot span lines)', tok.start, tok.end));
        }
        pos = tok.end;
        toks.push(tok);
        lastEnd = tok.end;
        continue;
      }
      // An unquoted token runs to whitespace, `;`, `(`, `)`, `"` or the end of the line; a
      // backslash makes the next character part of it.
      const tok = unquotedToken(text, pos);
      toks.push(tok);
      pos = lastEnd = tok.end;
    }
    if (this.run.options.stats) this.run.options.stats.work += pos - this.entryStart;
    this.entryEnd = lastEnd;
    this.pos = pos;
    return true;
  }

  /**
   * Which `(` of `parens` (an entry's parentheses, read to the end of the text) are never closed.
   * A `(` is closed by the first `)` after it that the `(`s in between do not take, whatever came
   * before it, so one pass from the end finds them for every entry that starts after the first.
   */
  private findUnclosed(parens: number[]): void {
    const unclosed = new Set<number>();
    let closers = 0;
    for (let k = parens.length - 1; k >= 0; k--) {
      if (parens[k] < 0) closers++;
      else if (closers > 0) closers--;
      else unclosed.add(parens[k]);
    }
    this.unclosed = unclosed;
    this.unclosedFrom = parens.length > 0 ? parens[0] : this.len;
  }

  // --- diagnostics --------------------------------------------------------------------------

  private diag(code: string, severity: Severity, message: string, start: number, end: number, fix?: ZoneFix): ZoneFinding {
    const d: ZoneFinding = { code, severity, message, file: this.file, start, end };
    if (fix) d.fix = fix;
    return d;
  }

  error(code: string, message: string, start: number, end: number, fix?: ZoneFix): void {
    this.report(this.diag(code, 'error', message, start, end, fix));
  }

  warning(code: string, message: string, start: number, end: number, fix?: ZoneFix): void {
    this.report(this.diag(code, 'warning', message, start, end, fix));
  }

  /** Every parse diagnostic goes through here, charged to the budget. */
  private report(d: ZoneFinding): void {
    const run = this.run;
    if (run.stopped) return;
    if (!run.budget.take('diagnostics', 1)) {
      this.stop('diagnostics', d.start, d.end);
      return;
    }
    run.diagnostics.push(d);
  }

  /**
   * Charges the budget; when it does not fit, stops the run at start–end with a zone-budget-*
   * finding (`target`: the file an `$INCLUDE` names). Called for every record: nothing is built
   * unless the budget runs out.
   */
  private charge(kind: BudgetKind, n: number, start: number, end: number, target?: string): boolean {
    const run = this.run;
    if (run.stopped) return false;
    if (run.budget.take(kind, n)) return true;
    this.stop(kind, start, end, target);
    return false;
  }

  private stop(kind: BudgetKind, start: number, end: number, target?: string): void {
    const run = this.run;
    run.stopped = true;
    const limit = count(run.budget.limits[kind]);
    const what = {
      records: `more than ${limit} records in the zone files of this lint run (the records budget, $INCLUDEd and $GENERATEd ones counted): reading stops at this record`,
      includes: `more than ${limit} $INCLUDEs followed in this lint run (the includes budget): this one is not read`,
      includeChars: `more than ${limit} characters of $INCLUDEd text in this lint run (the includes budget): ${target ?? 'this file'} is not read`,
      diagnostics: `more than ${limit} problems in the zone files of this lint run (the diagnostics budget): reading stops here`,
    }[kind];
    const f = this.diag(BUDGET_CODES[kind], 'error', `${what}; the rest of this file and the zone files after it are not checked, and findings that need their records may be missing`, start, end);
    // Not charged: it is the one finding that says the budget ran out.
    run.diagnostics.push(f);
    run.budget.stop = { finding: f, zoneFile: run.options.file };
  }

  // --- names --------------------------------------------------------------------------------

  /** A name token made absolute with the current origin; undefined (reported) when malformed. */
  name(tok: Token): string | undefined {
    const raw = tok.text;
    const origin = this.state.origin;
    if (tok.quoted) {
      this.error('zone-bad-name', 'a domain name cannot be a quoted string', tok.start, tok.end);
      return undefined;
    }
    if (raw === '@') {
      if (origin === undefined) this.noOrigin('"@" stands for the origin, but no origin is known here', tok);
      return origin;
    }
    const s = scanName(raw);
    if (s.error) {
      const e = s.error;
      if (this.synthetic) this.error(e.code, e.message, tok.start, tok.end);
      else this.error(e.code, e.message, tok.start + e.from, tok.start + Math.max(e.to, e.from + 1));
      return undefined;
    }
    const spelled = s.complex ? canonicalName(raw) : s.upper ? raw.toLowerCase() : raw;
    if (s.absolute) {
      if (s.wire + 1 > 255) {
        this.error('zone-name-too-long', `name is ${s.wire + 1} octets long; a name holds at most 255 (RFC 1035 §2.3.4)`, tok.start, tok.end);
        return undefined;
      }
      return spelled;
    }
    if (origin === undefined) {
      this.noOrigin(`${JSON.stringify(raw)} is relative (no final dot), but no origin is known here`, tok);
      return undefined;
    }
    const wire = s.wire + this.state.originWire;
    if (wire > 255) {
      this.error('zone-name-too-long', `${raw} completed with the origin ${origin} is ${wire} octets long; a name holds at most 255 (RFC 1035 §2.3.4)`, tok.start, tok.end);
      return undefined;
    }
    // joined, not `+`: one flat string, not a rope the index's Map would flatten into a second copy.
    return origin === '.' ? spelled + '.' : [spelled, origin].join('.');
  }

  private noOrigin(what: string, tok: Token): void {
    if (this.state.saidNoOrigin) return;
    this.state.saidNoOrigin = true;
    this.error('zone-no-origin', `${what}: add a $ORIGIN line at the top or give the zone name (records with relative names in this file are skipped)`, tok.start, tok.end);
  }

  // --- entries ------------------------------------------------------------------------------

  private entry(): void {
    const toks = this.toks;
    const first = toks[0];
    if (!this.blank && !first.quoted && first.text.charCodeAt(0) === 36) {
      this.directive();
      return;
    }
    let owner: string | undefined;
    let ownerToken: Token | undefined;
    let i = 0;
    if (this.blank) {
      owner = this.state.lastOwner;
      if (owner === undefined) {
        if (!this.state.lastOwnerBad) {
          this.error('zone-no-owner', 'this line starts with a blank, so it belongs to the owner of the record before it, and there is none', first.start, first.end);
        }
        return;
      }
      if (this.state.originJustSet) {
        this.warning('zone-inherited-owner', `this record has no owner, so it belongs to ${owner} from before the $ORIGIN line, not to the new origin`, first.start, first.end);
      }
    } else {
      ownerToken = first;
      owner = this.name(first);
      i = 1;
      if (owner === undefined) {
        this.state.lastOwner = undefined;
        this.state.lastOwnerBad = true;
        return;
      }
    }
    this.state.originJustSet = false;
    this.record(toks, i, owner, ownerToken, false);
  }

  /** Reads `[ttl] [class] type rdata` from toks[i] on; returns the record, or undefined after an error. */
  private record(toks: Token[], i: number, owner: string, ownerToken: Token | undefined, generated: boolean): ZoneRecord | undefined {
    let ttlToken: Token | undefined;
    let classToken: Token | undefined;
    let ttl = -1;
    let cls: string | undefined;
    // RFC 1035 §5.1: TTL and class may come in either order, each at most once.
    for (let k = 0; k < 2 && i < toks.length; k++) {
      const t = toks[i];
      if (t.quoted) break;
      if (looksLikeTtl(t.text)) {
        if (ttlToken) break;
        ttl = parseTtl(t.text);
        if (ttl < 0) {
          this.error('zone-bad-ttl', `${JSON.stringify(t.text)} is not a TTL: seconds, or units like 1h30m (w, d, h, m, s after every number)`, t.start, t.end);
          return undefined;
        }
        ttlToken = t;
        i++;
        continue;
      }
      const c = lookupClass(t.text);
      if (c === undefined || classToken) break;
      cls = c;
      classToken = t;
      i++;
    }
    const typeToken = toks[i];
    if (typeToken === undefined) {
      const last = toks[toks.length - 1] ?? ownerToken;
      this.error('zone-missing-type', 'expected a record type here', last ? last.end : this.entryStart, last ? last.end : this.entryStart);
      return undefined;
    }
    let type: string;
    {
      const t = typeToken.quoted ? undefined : lookupType(typeToken.text);
      if (!t || !t.ok) {
        const msg = t ? t.message : 'expected a record type, found a quoted string';
        const code = t && /unknown record type/.test(t.message) ? 'zone-unknown-type' : 'zone-bad-type';
        // A word in the TTL/class position that is not a type is most often a misspelled class.
        this.error(code, msg, typeToken.start, typeToken.end);
        return undefined;
      }
      type = t.type;
    }
    const st = this.state;
    if (cls === undefined) cls = st.zoneClass ?? 'IN';
    else if (st.zoneClass !== undefined && cls !== st.zoneClass && classToken) {
      this.error('zone-bad-class', `class ${cls} differs from the zone's class ${st.zoneClass}: a zone holds one class (RFC 1035 §5.2)`, classToken.start, classToken.end);
      return undefined;
    }
    const rdata = i + 1 === toks.length ? [] : toks.slice(i + 1);
    if (ttlToken) {
      if (ttl > MAX_TTL) {
        this.warning('zone-ttl-range', `TTL ${ttl} is more than 2147483647 (2^31-1) and is read as 0 (RFC 2181 §8)`, ttlToken.start, ttlToken.end);
        ttl = 0;
      }
      st.lastTtl = ttl;
    } else if (st.ttlDefault !== undefined) ttl = st.ttlDefault;
    else if (st.lastTtl !== undefined) ttl = st.lastTtl;
    else if (type === 'SOA' || st.soaMinimum !== undefined) {
      // RFC 2308 §4: with no $TTL, the SOA MINIMUM used to serve as the default TTL; BIND still does so.
      const min = type === 'SOA' && rdata.length === 7 ? parseTtl(rdata[6].text) : st.soaMinimum;
      ttl = min !== undefined && min >= 0 ? min : 0;
      if (!st.warnedNoTtl) {
        st.warnedNoTtl = true;
        this.warning('zone-ttl-from-soa', `no TTL: this record has none, and there is no $TTL line before it (RFC 2308 §4); the SOA minimum ${ttl} is used. Add "$TTL 3600" at the top`, typeToken.start, typeToken.end);
      }
    } else if (st.saidNoOrigin) {
      // An earlier entry was skipped for want of an origin (zone-no-origin): it may have been the SOA
      // or carried a TTL, so "no TTL before it" would be a guess on top of that error.
      ttl = 0;
    } else {
      // No TTL from anywhere yet (no $TTL, no TTL on an earlier record, no SOA): BIND refuses the zone.
      ttl = 0;
      if (!st.warnedNoTtl) {
        st.warnedNoTtl = true;
        this.error('zone-no-ttl', `no TTL: this record has none, and there is no $TTL line, no earlier TTL and no SOA before it, so BIND refuses the zone (RFC 2308 §4). Add "$TTL 3600" at the top`, typeToken.start, typeToken.end);
      }
    }
    const start = ownerToken ? ownerToken.start : toks[0].start;
    const origin = st.origin ?? '.';
    const rec =
      generated || this.run.eagerTokens
        ? new ParsedRecord(this.file, owner, ttl, cls, type, rdata, -1, origin, start, generated ? typeToken.end : this.entryEnd, undefined, -1, -1, -1, -1, [ownerToken, ttlToken, classToken, typeToken])
        : new ParsedRecord(this.file, owner, ttl, cls, type, rdata, rdata.length > 0 ? rdata[0].start : -1, origin, start, this.entryEnd, this.text, ownerToken ? ownerToken.start : -1, ttlToken ? ttlToken.start : -1, classToken ? classToken.start : -1, typeToken.start, undefined);
    if (generated) {
      rec.generated = true;
      rec.end = rdata.length > 0 ? Math.max(rdata[rdata.length - 1].end, typeToken.end) : typeToken.end;
    }
    if (!checkRdata(rec, this)) return undefined;
    rec.checked();
    if (!this.charge('records', 1, rec.start, rec.end)) return undefined;
    if (this.run.options.stats) this.run.options.stats.work++;
    if (type === 'SOA' && !rec.generic) st.soaMinimum = parseTtl(rdata[6].text);
    if (st.zoneClass === undefined) st.zoneClass = cls;
    if (!generated) {
      st.lastOwner = owner;
      st.lastOwnerBad = false;
    }
    this.run.records.push(rec);
    return rec;
  }

  // --- directives ---------------------------------------------------------------------------

  private directive(): void {
    const toks = this.toks;
    const d = toks[0];
    const name = d.text.toUpperCase();
    switch (name) {
      case '$ORIGIN': {
        // RFC 1035 §5.1: `$ORIGIN <domain-name>`; a relative name is completed with the old origin.
        const arg = toks[1];
        if (!arg) {
          this.error('zone-bad-directive', '$ORIGIN needs a domain name', d.start, d.end);
          return;
        }
        this.extra(toks, 2, '$ORIGIN');
        const o = this.name(arg);
        if (o === undefined) return;
        this.state.origin = o;
        this.state.originWire = wireLength(o);
        this.state.originJustSet = true;
        return;
      }
      case '$TTL': {
        // RFC 2308 §4: `$TTL <TTL>` is the TTL of records that give none.
        const arg = toks[1];
        if (!arg) {
          this.error('zone-bad-directive', '$TTL needs a TTL', d.start, d.end);
          return;
        }
        this.extra(toks, 2, '$TTL');
        let v = arg.quoted ? -1 : parseTtl(arg.text);
        if (v < 0) {
          this.error('zone-bad-ttl', `${JSON.stringify(arg.text)} is not a TTL: seconds, or units like 1h30m`, arg.start, arg.end);
          return;
        }
        if (v > MAX_TTL) {
          this.warning('zone-ttl-range', `TTL ${v} is more than 2147483647 (2^31-1) and is read as 0 (RFC 2181 §8)`, arg.start, arg.end);
          v = 0;
        }
        this.state.ttlDefault = v;
        return;
      }
      case '$INCLUDE':
        this.include();
        return;
      case '$GENERATE':
        this.generate();
        return;
      default:
        this.error('zone-bad-directive', `unknown directive ${d.text}: expected $ORIGIN, $TTL, $INCLUDE or $GENERATE`, d.start, d.end);
    }
  }

  private extra(toks: Token[], from: number, what: string): void {
    if (toks.length > from) {
      this.error('zone-bad-directive', `unexpected ${JSON.stringify(toks[from].text)} after ${what}`, toks[from].start, toks[toks.length - 1].end);
    }
  }

  private include(): void {
    // RFC 1035 §5.1: `$INCLUDE <file-name> [<domain-name>]`. The origin given applies to the
    // included file only; afterwards the origin and the current owner are what they were before.
    const toks = this.toks;
    const d = toks[0];
    const arg = toks[1];
    if (!arg) {
      this.error('zone-bad-directive', '$INCLUDE needs a file name', d.start, d.end);
      return;
    }
    this.extra(toks, 3, '$INCLUDE');
    let origin = this.state.origin;
    if (toks[2]) {
      const o = this.name(toks[2]);
      if (o === undefined) return;
      origin = o;
    }
    const { reader, directory } = this.run.options;
    const target = arg.text;
    // BIND reads a relative $INCLUDE from its working directory, not the including file's folder.
    const resolved = reader?.resolve ? reader.resolve(this.file, target) : directory !== undefined ? path.resolve(directory, target) : defaultResolve(this.file, target);
    if (this.stack.includes(resolved)) {
      this.error('zone-include-cycle', `${target} is already being read (${[...this.stack.slice(this.stack.indexOf(resolved)), resolved].map((f) => path.basename(f)).join(' → ')}): $INCLUDE loop`, arg.start, arg.end);
      return;
    }
    const maxDepth = this.run.options.maxIncludeDepth ?? MAX_INCLUDE_DEPTH;
    if (this.stack.length > maxDepth) {
      this.error('zone-include-cycle', `$INCLUDE nested more than ${maxDepth} deep`, arg.start, arg.end);
      return;
    }
    let text = reader?.read(resolved);
    let from = resolved;
    if (typeof text !== 'string' && directory !== undefined && !path.isAbsolute(target) && (text === undefined || (this.run.options.directoryGuessed && text.code === 'zone-include-outside'))) {
      const beside = defaultResolve(this.file, target);
      const alt = beside !== resolved ? reader?.read(beside) : undefined;
      if (this.run.options.directoryGuessed && alt !== undefined) {
        // named's working directory is not known here (a guess): the file beside the including one
        // is what was meant. Read it (or say why not), and say that BIND would look elsewhere.
        if (this.stack.includes(beside)) {
          this.error('zone-include-cycle', `${target} is already being read (${[...this.stack.slice(this.stack.indexOf(beside)), beside].map((f) => path.basename(f)).join(' → ')}): $INCLUDE loop`, arg.start, arg.end);
          return;
        }
        if (typeof alt === 'string') this.warning('zone-include-relative', `${target} is not in ${directory} but beside the including file: BIND reads a relative $INCLUDE from its working directory (the directory option of named.conf, or where named-checkzone runs), so this works only when named runs in ${path.dirname(beside)}`, arg.start, arg.end);
        text = alt;
        from = beside;
      } else if (typeof alt === 'string') {
        this.error('zone-include-missing', `cannot read ${target} (looked for ${resolved}): ${beside} is beside the including file, but BIND reads a relative $INCLUDE from its working directory (${directory})`, arg.start, arg.end);
        return;
      }
    }
    if (typeof text !== 'string') {
      // A reader that refused the file (outside the workspace, a limit, a FIFO) says why.
      if (text) this.error(text.code, text.message, arg.start, arg.end);
      else this.error('zone-include-missing', `cannot read ${target} (looked for ${resolved})`, arg.start, arg.end);
      return;
    }
    // Each $INCLUDE reads its file again: a few files that include each other a hundred times
    // each would make millions of records out of a few kilobytes. The run's budget counts them.
    if (!this.charge('includes', 1, d.start, this.entryEnd)) return;
    if (!this.charge('includeChars', text.length, d.start, this.entryEnd, target)) return;
    this.run.includeChars += text.length;
    if (this.run.options.stats) this.run.options.stats.work++;
    this.run.includes.push({ file: from, from: this.file, start: d.start, end: this.entryEnd });
    if (!this.run.sources.has(from)) this.run.sources.set(from, { file: from, text, lines: new LineIndex(text) });
    const saved = this.state;
    const inner: State = { ...saved, origin, originWire: origin ? wireLength(origin) : 0, originJustSet: false, saidNoOrigin: false };
    new FileParser(this.run, from, text, inner, [...this.stack, from], false).parse(0);
    // BIND keeps a $TTL set inside the included file; the origin and the owner come back.
    this.state = { ...inner, origin: saved.origin, originWire: saved.originWire, lastOwner: saved.lastOwner, lastOwnerBad: saved.lastOwnerBad, originJustSet: saved.originJustSet, saidNoOrigin: saved.saidNoOrigin };
  }

  private generate(): void {
    const toks = this.toks;
    const d = toks[0];
    if (toks.length < 5) {
      this.error('zone-bad-generate', '$GENERATE needs a range, an owner template, a type and an RDATA template: $GENERATE 1-10 host$ A 192.0.2.$', d.start, toks[toks.length - 1].end);
      return;
    }
    const rangeTok = toks[1];
    const range = parseRange(rangeTok.text);
    if (!range.ok) {
      this.error('zone-bad-generate', range.message, rangeTok.start, rangeTok.end);
      return;
    }
    const lhsTok = toks[2];
    const lhs = parseTemplate(lhsTok.text);
    if (!lhs.ok) {
      this.error('zone-bad-generate', lhs.message, lhsTok.start + lhs.from, lhsTok.start + lhs.to);
      return;
    }
    // [ttl] [class] type: find the type, then exactly one RDATA template after it.
    let k = 3;
    while (k < toks.length - 1 && k < 5 && !toks[k].quoted && (looksLikeTtl(toks[k].text) || lookupClass(toks[k].text) !== undefined)) k++;
    const rhsTok = toks[k + 1];
    if (rhsTok === undefined) {
      this.error('zone-bad-generate', '$GENERATE needs an RDATA template after the type', toks[k].start, toks[k].end);
      return;
    }
    if (toks.length > k + 2) {
      this.error('zone-bad-generate', `unexpected ${JSON.stringify(toks[k + 2].text)}: the RDATA template is one token; quote it if it has spaces`, toks[k + 2].start, toks[toks.length - 1].end);
      return;
    }
    // Inside a quoted template `\"` stands for a quote (named reads the string, then the RDATA).
    const rhsText = rhsTok.quoted ? rhsTok.text.replace(/\\"/g, '"') : rhsTok.text;
    const rhs = parseTemplate(rhsText);
    if (!rhs.ok) {
      this.error('zone-bad-generate', rhs.message, rhsTok.start, rhsTok.end);
      return;
    }
    if (!fitsRange(lhs.template, range.stop) || !fitsRange(rhs.template, range.stop)) {
      this.error('zone-bad-generate', `an offset takes the iterator past 2147483647, out of the range named can count in`, (fitsRange(lhs.template, range.stop) ? rhsTok : lhsTok).start, (fitsRange(lhs.template, range.stop) ? rhsTok : lhsTok).end);
      return;
    }
    const middle = toks.slice(3, k + 1);
    // A line that alone makes more records than a whole run may is refused as it is; otherwise the
    // records are made one by one, each charged to the run's records budget like any other.
    const max = this.run.budget.limits.records;
    const made = Math.floor((range.stop - range.start) / range.step) + 1;
    if (made > max) {
      this.error('zone-bad-generate', `$GENERATE would make ${count(made)} records; a lint run reads at most ${count(max)}, so this line is not expanded`, rangeTok.start, rangeTok.end);
      return;
    }
    const saved = this.synthetic;
    this.synthetic = true;
    try {
      for (let v = range.start; v <= range.stop; v += range.step) {
        const ownerTok: Token = { text: applyTemplate(lhs.template, v), start: lhsTok.start, end: lhsTok.end, quoted: false };
        const owner = this.name(ownerTok);
        if (owner === undefined) return;
        const rd = splitFragment(applyTemplate(rhs.template, v), rhsTok.start, rhsTok.end);
        const before = this.run.diagnostics.length;
        const rec = this.record([ownerTok, ...middle, ...rd], 1, owner, ownerTok, true);
        // One message per line, not one per generated record.
        if (this.run.stopped || (!rec && this.run.diagnostics.length > before)) return;
      }
    } finally {
      this.synthetic = saved;
    }
  }
}

/** 2000000 → "2,000,000". */
function count(n: number): string {
  return n.toLocaleString('en');
}

/** Tokens of generated RDATA text; all of them point at the template they came from. */
function splitFragment(text: string, start: number, end: number): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out.push({ text: text.slice(i + 1, Math.min(j, text.length)), start, end, quoted: true });
      i = j + 1;
      continue;
    }
    let j = i;
    while (j < text.length && text[j] !== ' ' && text[j] !== '\t' && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
    out.push({ text: text.slice(i, j), start, end, quoted: false });
    i = j;
  }
  return out;
}

// --- incremental re-parse ----------------------------------------------------------------------

function shiftRecord(r: ZoneRecord, delta: number): ZoneRecord {
  return (r as ParsedRecord).shifted(delta);
}

function shiftFinding(f: ZoneFinding, file: string, delta: number): ZoneFinding {
  if (f.file !== file) return f;
  const copy: ZoneFinding = { ...f, start: f.start + delta, end: f.end + delta };
  if (f.fix) copy.fix = { ...f.fix, edits: f.fix.edits.map((e) => (e.file === file ? { ...e, start: e.start + delta, end: e.end + delta } : e)) };
  return copy;
}

const STRUCTURAL = /[()";\\\n\r]/;

/** How the last `update` went, for tests and the benchmark. */
export interface UpdateStats {
  mode: 'full' | 'unchanged' | 'incremental';
  /** Characters of the main file read again. */
  reparsed: number;
}

/**
 * One zone file open in an editor: `update(text)` after every change gives the new parse, reading
 * again only from the checkpoint before the first changed character until the parse is back in
 * step with the old one. The ParsedZone returned before is left as it was.
 */
export class ZoneDocument {
  private prev: { text: string; zone: ParsedZone; run: Run; includeTexts: Map<string, string> } | undefined;
  lastUpdate: UpdateStats = { mode: 'full', reparsed: 0 };

  constructor(private readonly options: ParseOptions) {}

  get zone(): ParsedZone | undefined {
    return this.prev?.zone;
  }

  /**
   * The parse of `text`, charged to `budget` (the lint run's, shared with the other files; a budget
   * of its own when none is given) exactly as a parse from scratch would charge it: the part taken
   * over from the last parse is charged as a whole, and where it does not fit, or the last parse
   * was cut short by a budget, the file is parsed from scratch.
   */
  update(text: string, budget: ZoneBudget = new ZoneBudget()): ParsedZone {
    const prev = this.prev;
    if (!prev || prev.run.stopped || budget.stop || !this.includesUnchanged(prev.includeTexts)) return this.full(text, budget);
    if (prev.text === text) {
      if (!budget.takeAll(useOf(prev.run))) return this.full(text, budget);
      this.lastUpdate = { mode: 'unchanged', reparsed: 0 };
      return prev.zone;
    }
    const old = prev.text;
    const { prefix: p, suffix: s } = commonEnds(old, text);
    // After an unclosed `(` the parser read to the end of the file looking for its `)`: an edit
    // may change where it closes unless it leaves every character that decides that alone.
    if (prev.run.recovered && (STRUCTURAL.test(old.slice(p, old.length - s)) || STRUCTURAL.test(text.slice(p, text.length - s)))) return this.full(text, budget);
    const delta = text.length - old.length;
    const changeEndNew = text.length - s;
    const cps = prev.run.checkpoints;
    // The last checkpoint at or before the first changed character.
    let lo = 0;
    let hi = cps.length - 1;
    if (cps.length === 0 || cps[0].offset > p) return this.full(text, budget);
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (cps[mid].offset <= p) lo = mid;
      else hi = mid - 1;
    }
    const start = cps[lo];
    const file = this.options.file;
    const mark = budget.mark();
    // The part before the checkpoint is taken over: charge it as the parse from scratch would have.
    if (!budget.takeAll(useOf(start))) return this.full(text, budget);
    const run: Run = {
      ...newRun(this.options, budget, true),
      records: prev.run.records.slice(0, start.records),
      // From the top, the parse says again what it says before the first entry (a byte order mark):
      // the old parse's word on the old first character is not kept.
      diagnostics: prev.run.diagnostics.slice(0, start.offset === 0 ? 0 : start.diagnostics),
      sources: new Map(prev.run.sources),
      includes: prev.run.includes.slice(0, start.includes),
      checkpoints: cps.slice(0, lo),
      includeChars: start.includeChars,
      // An unclosed `(` before the restart point is still unclosed: keep saying so.
      recovered: prev.run.recovered,
    };
    run.sources.set(file, { file, text, lines: new LineIndex(text) });
    let j = lo + 1;
    let resynced: Checkpoint | undefined;
    let resyncedAt = text.length;
    run.resync = (offset, state) => {
      if (offset < changeEndNew || offset <= p) return false;
      const oldOffset = offset - delta;
      while (j < cps.length && cps[j].offset < oldOffset) j++;
      if (j < cps.length && cps[j].offset === oldOffset && sameState(cps[j].state, state)) {
        resynced = cps[j];
        resyncedAt = offset;
        return true;
      }
      return false;
    };
    new FileParser(run, file, text, { ...start.state }, [mainKey(this.options)], true).parse(start.offset);
    run.resync = undefined;
    if (resynced) {
      const r = resynced;
      const tail: BudgetUse = {
        records: prev.run.records.length - r.records,
        diagnostics: prev.run.diagnostics.length - r.diagnostics,
        includes: prev.run.includes.length - r.includes,
        includeChars: prev.run.includeChars - r.includeChars,
      };
      // The rest is the old parse's: when it no longer fits, the budget runs out somewhere in it.
      if (!budget.takeAll(tail)) {
        budget.reset(mark);
        return this.full(text, budget);
      }
      run.includeChars += tail.includeChars;
      const recOffset = run.records.length - r.records;
      const diagOffset = run.diagnostics.length - r.diagnostics;
      const incOffset = run.includes.length - r.includes;
      for (let k = r.records; k < prev.run.records.length; k++) {
        const rec = prev.run.records[k];
        run.records.push(rec.file === file && delta !== 0 ? shiftRecord(rec, delta) : rec);
      }
      for (let k = r.diagnostics; k < prev.run.diagnostics.length; k++) run.diagnostics.push(delta !== 0 ? shiftFinding(prev.run.diagnostics[k], file, delta) : prev.run.diagnostics[k]);
      for (let k = r.includes; k < prev.run.includes.length; k++) {
        const inc = prev.run.includes[k];
        run.includes.push(inc.from === file ? { ...inc, start: inc.start + delta, end: inc.end + delta } : inc);
      }
      for (let k = cps.indexOf(r); k < cps.length; k++) {
        const c = cps[k];
        run.checkpoints.push({ offset: c.offset + delta, state: c.state, records: c.records + recOffset, diagnostics: c.diagnostics + diagOffset, includes: c.includes + incOffset, includeChars: c.includeChars - r.includeChars + (run.includeChars - tail.includeChars) });
      }
    }
    const zone = zoneOf(run, prev.zone.origin);
    this.prev = { text, zone, run, includeTexts: this.includeTexts(run) };
    this.lastUpdate = { mode: 'incremental', reparsed: resyncedAt - start.offset };
    return zone;
  }

  private full(text: string, budget: ZoneBudget): ParsedZone {
    const { zone, run } = runFull(text, this.options, budget, true);
    this.prev = { text, zone, run, includeTexts: this.includeTexts(run) };
    this.lastUpdate = { mode: 'full', reparsed: text.length };
    return zone;
  }

  private includeTexts(run: Run): Map<string, string> {
    const m = new Map<string, string>();
    for (const [f, s] of run.sources) if (f !== this.options.file) m.set(f, s.text);
    return m;
  }

  private includesUnchanged(texts: Map<string, string>): boolean {
    for (const [f, t] of texts) if (this.options.reader?.read(f) !== t) return false;
    return true;
  }
}

/**
 * Where a character-string that opened before `pos` ends (RFC 1035 §5.1): at its closing `"`, or
 * where it stops unclosed (end of line or text). `\"` and `\DDD` are inside it.
 */
function quotedEnd(text: string, pos: number, len: number): number {
  while (pos < len) {
    const q = text.charCodeAt(pos);
    if (q === 34 || q === 10 || q === 13) return pos;
    if (q === 92) {
      const n = text.charCodeAt(pos + 1);
      if (n === 10 || n === 13 || pos + 1 >= len) return pos + 1;
      pos += 2;
      continue;
    }
    pos++;
  }
  return pos;
}

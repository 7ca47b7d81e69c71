// Plain data shared by the zone parser, the linter, the CLI and the editor side. Offsets are
// UTF-16 code-unit offsets into a file's text (the same units as `TextDocument.offsetAt`);
// `LineIndex` turns them into 0-based lines and columns.
import type { Finding, Fix } from '../model';

/** One token of a master file (RFC 1035 §5.1). */
export interface Token {
  /** Source text without the surrounding quotes; escapes (`\DDD`, `\X`) are kept as written. */
  text: string;
  /** Offset of the first character (the opening quote of a quoted string). */
  start: number;
  /** Offset just past the last character (past the closing quote). */
  end: number;
  /** A `"…"` character-string. */
  quoted: boolean;
}

/** One resource record as read from a master file, with where each part came from. */
export interface ZoneRecord {
  /** The file the record was read from (the main file or an `$INCLUDE`d one). */
  file: string;
  /** Absolute owner name, lower case, escapes canonical, with the trailing dot (`mail.example.com.`). */
  owner: string;
  /** The owner as written; absent when inherited from the record before (blank owner field). */
  ownerToken?: Token;
  ttl: number;
  ttlToken?: Token;
  /** Class mnemonic, `IN` unless written otherwise. */
  class: string;
  classToken?: Token;
  /** Type mnemonic in upper case (`TYPE65534` for types without one; `TYPE1` is read as `A`). */
  type: string;
  typeToken: Token;
  /** The RDATA fields as written: each token, each character-string its own token. */
  rdata: Token[];
  /** `$ORIGIN` in effect, which relative names in this record were completed with. */
  origin: string;
  /** Offsets of the whole entry, from the first token to the last (parentheses included). */
  start: number;
  end: number;
  /** Written in RFC 3597 generic form (`\# len hex`). */
  generic?: boolean;
  /** Made by a `$GENERATE` line: every position points into that line. */
  generated?: boolean;
  /** A and AAAA: the address, canonical text. */
  address?: string;
  /** NS, CNAME, PTR, DNAME, MX, SRV, …: the target name, absolute, lower case, with the trailing dot. */
  target?: string;
  /** Index in `rdata` of the token the target came from. */
  targetIndex?: number;
  /** Indexes in `rdata` of every name field, when there is more than the target (SOA, RP, RRSIG …). */
  names?: number[];
  /** MX preference. */
  preference?: number;
}

/** A text change, in the same offsets as findings. */
export interface TextEdit {
  file: string;
  start: number;
  end: number;
  newText: string;
  /**
   * The edit bumps a zone's SOA serial (recordEdit.ts). Every fix of a zone carries the same one;
   * "fix all" (fixAllEdits) keeps it once.
   */
  serial?: true;
}

/** A fix that can be applied to the files as they are. */
export interface ZoneFix extends Fix {
  edits: TextEdit[];
}

/** A finding about a place in a file. */
export interface ZoneFinding extends Finding {
  file: string;
  start: number;
  end: number;
  /** The preferred fix. */
  fix?: ZoneFix;
  /** Other fixes, least invasive first (`~all` is preferred; `-all` comes here). */
  alternatives?: ZoneFix[];
  /** Other places that explain this finding (the CNAME an MX points at, the records of a loop). */
  related?: { file: string; start: number; end: number; message: string }[];
}

/**
 * Why a reader gave no text although the file may be there: refused by a limit or a rule
 * (docs/security.md). The parser reports `code` with `message` where the file was named.
 */
export interface ZoneReadError {
  /** A code from ZONE_CODES: `zone-include-outside`, `zone-file-not-regular`, `zone-file-too-big`, `zone-read-budget`. */
  code: string;
  /** Names the file and the rule or limit. */
  message: string;
}

/** How the parser reads files: `$INCLUDE`d ones, and the main file when no text is given. */
export interface ZoneReader {
  /** The file's text; a ZoneReadError when refused; undefined when it does not exist or cannot be read. */
  read(file: string): string | ZoneReadError | undefined;
  /** The path `$INCLUDE target` names when written in `from`. Default: relative to `from`'s directory. */
  resolve?(from: string, target: string): string;
}

// The DKIM tag=value list (RFC 6376 §3.2), shared by key records (§3.6.1) and DKIM-Signature
// header fields (§3.5): one left-to-right pass with offsets for every tag name and value, so the
// key check, the signature verifier and the zone-file linter read a list the same way.
//
//   tag-list  =  tag-spec *( ";" tag-spec ) [ ";" ]
//   tag-spec  =  [FWS] tag-name [FWS] "=" [FWS] tag-value [FWS]
//   tag-name  =  ALPHA *ALNUMPUNC              ; ALNUMPUNC = ALPHA / DIGIT / "_"
//   tag-value =  [ tval *( 1*(WSP / FWS) tval ) ]
//   tval      =  1*VALCHAR                     ; VALCHAR = %x21-3A / %x3C-7E
//
// Never throws; each character is looked at a bounded number of times (`work.steps` counts them).

/** One `name=value` of a tag list. Offsets are into the text given to `parseTagList`. */
export interface Tag {
  /** The name as written (tag names are case-sensitive, RFC 6376 §3.2). */
  name: string;
  /** The value with leading and trailing whitespace removed; inner folding whitespace kept. */
  value: string;
  nameStart: number;
  nameEnd: number;
  valueStart: number;
  valueEnd: number;
  /** Where the tag-spec starts (after the previous `;`) and ends (before its `;` or the end). */
  specStart: number;
  specEnd: number;
}

/** A syntax problem of a tag list, with offsets. */
export interface TagProblem {
  kind: 'no-equals' | 'bad-name' | 'bad-value-char' | 'duplicate' | 'empty-spec';
  message: string;
  start: number;
  end: number;
  /** The tag it concerns, when there is one. */
  tag?: string;
}

export interface TagList {
  tags: Tag[];
  problems: TagProblem[];
  /** First tag of each name (a duplicate makes the whole list invalid, RFC 6376 §3.2). */
  byName: Map<string, Tag>;
}

/** A work counter: characters looked at. Tests double the input and check the work roughly doubles. */
export interface Work {
  steps: number;
}

const WSP = (c: number): boolean => c === 0x20 || c === 0x09;
const FWS_CHAR = (c: number): boolean => WSP(c) || c === 0x0d || c === 0x0a;
const ALPHA = (c: number): boolean => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
const ALNUMPUNC = (c: number): boolean => ALPHA(c) || (c >= 0x30 && c <= 0x39) || c === 0x5f;
/** RFC 6376 §3.2 VALCHAR: visible ASCII but ";". */
const VALCHAR = (c: number): boolean => c >= 0x21 && c <= 0x7e && c !== 0x3b;

function shown(ch: string): string {
  const c = ch.codePointAt(0) ?? 0;
  return c >= 0x21 && c <= 0x7e ? JSON.stringify(ch) : `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Parses `text` as a tag list. `what` names the list in messages ("key record", "DKIM-Signature"). */
export function parseTagList(text: string, what: string, work?: Work): TagList {
  const tags: Tag[] = [];
  const problems: TagProblem[] = [];
  const byName = new Map<string, Tag>();
  const n = text.length;
  let i = 0;
  while (i <= n) {
    const specStart = i;
    // The spec runs to the next ";" (or the end): one scan finds it.
    let specEnd = text.indexOf(';', i);
    if (specEnd < 0) specEnd = n;
    if (work) work.steps += specEnd - i + 1;
    let p = specStart;
    while (p < specEnd && FWS_CHAR(text.charCodeAt(p))) p++;
    if (p === specEnd) {
      // Only the last spec may be empty (a trailing ";"), and an empty list is no list at all.
      if (specEnd < n) {
        problems.push({ kind: 'empty-spec', message: `an empty tag between two ";" in the ${what} (RFC 6376 §3.2)`, start: specStart, end: specEnd + 1 });
      }
      if (specEnd >= n) break;
      i = specEnd + 1;
      continue;
    }
    const nameStart = p;
    // Within the spec only: a search past it would make "a;a;a;…" quadratic.
    let eq = p;
    while (eq < specEnd && text.charCodeAt(eq) !== 0x3d) eq++;
    if (eq === specEnd) {
      const end = specEnd;
      problems.push({ kind: 'no-equals', message: `${JSON.stringify(text.slice(nameStart, Math.min(end, nameStart + 40)))} in the ${what} has no "=": every tag is name=value (RFC 6376 §3.2)`, start: nameStart, end });
      i = specEnd + 1;
      continue;
    }
    let nameEnd = eq;
    while (nameEnd > nameStart && FWS_CHAR(text.charCodeAt(nameEnd - 1))) nameEnd--;
    const name = text.slice(nameStart, nameEnd);
    let badName = name.length === 0 || !ALPHA(name.charCodeAt(0));
    for (let k = 1; !badName && k < name.length; k++) if (!ALNUMPUNC(name.charCodeAt(k))) badName = true;
    let valueStart = eq + 1;
    while (valueStart < specEnd && FWS_CHAR(text.charCodeAt(valueStart))) valueStart++;
    let valueEnd = specEnd;
    while (valueEnd > valueStart && FWS_CHAR(text.charCodeAt(valueEnd - 1))) valueEnd--;
    const value = text.slice(valueStart, valueEnd);
    if (badName) {
      problems.push({
        kind: 'bad-name',
        message: name.length === 0 ? `a tag in the ${what} has no name before "=" (RFC 6376 §3.2)` : `${JSON.stringify(name.slice(0, 40))} is not a tag name: a letter, then letters, digits or "_" (RFC 6376 §3.2)`,
        start: nameStart,
        end: Math.max(nameEnd, nameStart + 1),
        tag: name,
      });
      i = specEnd + 1;
      continue;
    }
    // Inside the value only VALCHARs and folding whitespace between them.
    for (let k = valueStart; k < valueEnd; k++) {
      const c = text.charCodeAt(k);
      if (VALCHAR(c) || FWS_CHAR(c)) continue;
      problems.push({ kind: 'bad-value-char', message: `the ${name}= value in the ${what} holds ${shown(String.fromCodePoint(text.codePointAt(k) ?? c))}, which a tag value may not (visible ASCII and folding whitespace only, RFC 6376 §3.2)`, start: k, end: k + 1, tag: name });
      break;
    }
    const tag: Tag = { name, value, nameStart, nameEnd, valueStart, valueEnd, specStart, specEnd };
    if (byName.has(name)) {
      problems.push({ kind: 'duplicate', message: `${name}= appears twice in the ${what}: a tag list with a repeated tag is invalid as a whole (RFC 6376 §3.2)`, start: nameStart, end: valueEnd, tag: name });
    } else {
      byName.set(name, tag);
    }
    tags.push(tag);
    if (specEnd >= n) break;
    i = specEnd + 1;
  }
  return { tags, problems, byName };
}

/** The value with all folding whitespace removed (base64 values, RFC 6376 §3.5 b=, bh=, §3.6.1 p=). */
export function withoutFws(value: string): string {
  return value.replace(/[ \t\r\n]+/g, '');
}

/** Strict base64 (RFC 4648 §4) after removing whitespace: the octets, or undefined. */
export function decodeBase64(value: string): Buffer | undefined {
  const b = withoutFws(value);
  if (b.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(b)) return undefined;
  return Buffer.from(b, 'base64');
}

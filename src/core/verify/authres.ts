// Authentication-Results (RFC 8601 §2.2) and ARC-Authentication-Results (RFC 8617 §4.1.1): what a
// receiver wrote about the checks it ran. Read so the report can put the receiver's verdicts beside
// ours; never trusted for our own verdicts. Lexed once (./lex.ts), bounded by VERIFY_LIMITS.
import type { Work } from '../dkim/tags';
import { lex, shortText, type Token } from './lex';
import { VERIFY_LIMITS } from './limits';

export interface AuthResultClause {
  /** spf, dkim, dmarc, arc, iprev, auth, … (lower case). */
  method: string;
  /** pass, fail, none, … (lower case). */
  result: string;
  /** reason="…" when given. */
  reason?: string;
  /** ptype.property=value pairs (smtp.mailfrom, header.d, header.from, header.b, smtp.helo …), keys lower case. */
  props: Record<string, string>;
  /** The comments of the clause, joined (receivers put the client IP and explanations there). */
  comment?: string;
}

export interface AuthResults {
  /** Position among all header fields (0 = topmost). */
  field: number;
  /** The header field's name: Authentication-Results or ARC-Authentication-Results. */
  name: string;
  /** ARC-Authentication-Results: the i= instance. */
  instance?: number;
  /** The authserv-id: the host or domain that ran the checks. */
  authservId: string;
  clauses: AuthResultClause[];
  /** `none`: the receiver ran no checks (RFC 8601 §2.2 no-result). */
  noResult: boolean;
  /** The value, unfolded and shortened, for the report. */
  text: string;
}

function word(t: Token | undefined): string | undefined {
  return t && (t.type === 'word' || t.type === 'quoted') ? t.text : undefined;
}

/**
 * Reads one Authentication-Results value (unfolded). `arc`: the value starts with `i=N;` (RFC 8617
 * §4.1.1). Never throws; clauses past VERIFY_LIMITS.resinfo are not read.
 */
export function parseAuthResults(value: string, field: number, name: string, arc: boolean, work?: Work): AuthResults {
  const tokens = lex(value, ';=', work);
  // Split into ";"-separated statements first: one pass.
  const statements: Token[][] = [[]];
  for (const t of tokens) {
    if (work) work.steps++;
    if (t.type === 'special' && t.text === ';') {
      if (statements.length > VERIFY_LIMITS.resinfo + 2) break;
      statements.push([]);
    } else statements[statements.length - 1].push(t);
  }
  let k = 0;
  let instance: number | undefined;
  if (arc) {
    const s = statements[0].filter((t) => t.type !== 'comment');
    if (word(s[0])?.toLowerCase() === 'i' && s[1]?.text === '=' && /^\d{1,3}$/.test(word(s[2]) ?? '')) instance = Number(s[2].text);
    k = 1;
  }
  const head = (statements[k] ?? []).filter((t) => t.type !== 'comment');
  const authservId = (word(head[0]) ?? '').toLowerCase();
  const clauses: AuthResultClause[] = [];
  let noResult = false;
  // RFC 8601 §2.2: the authserv-id's statement may also hold the first resinfo (no ";" between).
  const rest: Token[][] = [head.slice(/^\d+$/.test(word(head[1]) ?? '') ? 2 : 1), ...statements.slice(k + 1)];
  for (const s of rest) {
    if (clauses.length >= VERIFY_LIMITS.resinfo) break;
    const visible = s.filter((t) => t.type !== 'comment');
    if (visible.length === 1 && word(visible[0])?.toLowerCase() === 'none') {
      noResult = true;
      continue;
    }
    // method[/version] = result, then reason=… and ptype.property=value, in any number.
    let clause: AuthResultClause | undefined;
    const comments = s.filter((t) => t.type === 'comment').map((t) => t.text.trim());
    for (let i = 0; i + 2 < visible.length + 1; i++) {
      if (work) work.steps++;
      const key = word(visible[i]);
      if (key === undefined || visible[i + 1]?.text !== '=' || visible[i + 1]?.type !== 'special') continue;
      const val = word(visible[i + 2]) ?? '';
      const lower = key.toLowerCase();
      if (!clause) {
        clause = { method: lower.replace(/\/.*$/, ''), result: val.toLowerCase(), props: {} };
      } else if (lower === 'reason') clause.reason = shortText(val, 200);
      else if (Object.keys(clause.props).length < 20) clause.props[lower] = shortText(val, 200);
      i += 2;
    }
    if (clause) {
      if (comments.length > 0) clause.comment = shortText(comments.join(' '), 300);
      clauses.push(clause);
    }
  }
  return { field, name, ...(instance !== undefined ? { instance } : {}), authservId, clauses, noResult, text: shortText(value, VERIFY_LIMITS.shownChars) };
}

/** One ARC set (RFC 8617 §4.1): the three fields of one instance, as far as they are present. */
export interface ArcSet {
  instance: number;
  /** ARC-Seal cv=: none (first set), pass, fail. */
  cv?: string;
  /** The sealer's d= and s=. */
  sealer?: string;
  selector?: string;
  /** The ARC-Authentication-Results of this instance: what that intermediary saw when it received the message. */
  results?: AuthResults;
  /** Fields of this instance: which of seal, message signature and results are present (each once). */
  parts: { seal: number; signature: number; results: number };
}

/** A tag's value in an ARC-Seal (a tag list like DKIM's). Small: only cv=, d=, s= and i= are read. */
export function sealTag(value: string, tag: string): string | undefined {
  const m = new RegExp(`(?:^|;)\\s*${tag}\\s*=\\s*([^;]*)`, 'i').exec(value.length > 4096 ? value.slice(0, 4096) : value);
  return m ? m[1].replace(/\s+/g, '').slice(0, 253) : undefined;
}

// What a name server's configuration says about its zones: which files are primary zones, the
// origin of each, and the folder relative file names (and `$INCLUDE`s) are read from. Three
// formats: BIND's named.conf (ISC config grammar: `options { directory …; }`, `zone "name" { type
// primary; file "…"; }`, `view`, `include`), NSD's nsd.conf and Knot's knot.conf (both YAML-like:
// `zone:` clauses or lists, `zonesdir`/`storage`, file name patterns with %s).
//
// Pure text to data: reading the files (and the files they include) is the caller's, through the
// same confined reader as zone files (docs/security.md). Each parser reads its text once, left to
// right, and stops at CONFIG_LIMITS: a hostile configuration costs time linear in its size.

export const CONFIG_LIMITS = Object.freeze({
  /** Zones one configuration (with its includes) may declare. */
  zones: 100_000,
  /** Blocks nested in named.conf (`view { zone { … } }` is 2). */
  depth: 32,
  /** Files included, in all, from one configuration. */
  includes: 64,
  /** Include nesting. */
  includeDepth: 8,
});

export type ServerKind = 'named.conf' | 'nsd.conf' | 'knot.conf';

export interface ConfigZone {
  /** The zone's name as written (`example.com` or `example.com.`). */
  name: string;
  /** The zone file as written (relative to `directory`, or absolute); undefined: none given. */
  file?: string;
  /** Why the server does not load this file as a primary zone: `secondary`, `hint`, `raw format`, … */
  skip?: string;
  /** The view it is in (named.conf), for messages. */
  view?: string;
  /** 1-based line of the zone statement in its file. */
  line: number;
}

export interface ParsedConfig {
  kind: ServerKind;
  zones: ConfigZone[];
  /** The server's working directory as written (named `directory`, NSD `zonesdir`, Knot `storage` of the default template). */
  directory?: string;
  /** Files this one includes, as written (named `include`, NSD/Knot `include:`), in order. */
  includes: string[];
  /** Problems reading the text (one line each), and limits reached. */
  problems: string[];
  /** Characters looked at (each once): for tests that check the parser is linear. */
  work: number;
}

// --- named.conf -------------------------------------------------------------------------------

interface Tok {
  /** A word or a quoted string's content; `{`, `}`, `;` as themselves. */
  text: string;
  quoted: boolean;
  line: number;
}

/** ISC config tokens: words, "strings", { } ; — comments (`//`, `#`, C-style blocks) dropped. */
function namedTokens(text: string, problems: string[]): { toks: Tok[]; work: number } {
  const toks: Tok[] = [];
  let i = 0;
  let line = 1;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      line++;
      i++;
      continue;
    }
    if (c === 32 || c === 9 || c === 13 || c === 12 || c === 11) {
      i++;
      continue;
    }
    if (c === 35 || (c === 47 && text.charCodeAt(i + 1) === 47)) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? n : nl;
      continue;
    }
    if (c === 47 && text.charCodeAt(i + 1) === 42) {
      const close = text.indexOf('*/', i + 2);
      const end = close < 0 ? n : close + 2;
      for (let k = i; k < end; k++) if (text.charCodeAt(k) === 10) line++;
      if (close < 0) problems.push(`line ${line}: a block comment is never closed`);
      i = end;
      continue;
    }
    if (c === 123 || c === 125 || c === 59) {
      toks.push({ text: text[i], quoted: false, line });
      i++;
      continue;
    }
    if (c === 34) {
      let j = i + 1;
      let s = '';
      while (j < n && text.charCodeAt(j) !== 34) {
        if (text.charCodeAt(j) === 92 && j + 1 < n) {
          s += text[j + 1];
          j += 2;
          continue;
        }
        if (text.charCodeAt(j) === 10) line++;
        s += text[j];
        j++;
      }
      if (j >= n) problems.push(`line ${line}: a quoted string is never closed`);
      toks.push({ text: s, quoted: true, line });
      i = j + 1;
      continue;
    }
    let j = i;
    while (j < n) {
      const d = text.charCodeAt(j);
      if (d === 32 || d === 9 || d === 10 || d === 13 || d === 123 || d === 125 || d === 59 || d === 34 || d === 35) break;
      if (d === 47 && (text.charCodeAt(j + 1) === 47 || text.charCodeAt(j + 1) === 42)) break;
      j++;
    }
    toks.push({ text: text.slice(i, j), quoted: false, line });
    i = j;
  }
  return { toks, work: n };
}

// named.conf zone types whose file the server writes (or has none): not a zone to lint.
const NAMED_PRIMARY = new Set(['master', 'primary']);

/** BIND's named.conf: zones with their files, `options { directory }`, `include`s. */
export function parseNamedConf(text: string): ParsedConfig {
  const problems: string[] = [];
  const { toks, work } = namedTokens(text, problems);
  const out: ParsedConfig = { kind: 'named.conf', zones: [], includes: [], problems, work: work + toks.length };
  let i = 0;
  // Statements: words up to `{` or `;`; a `{` opens a block of statements closed by `};`.
  // `stack` holds what each open block is: options, view "x", zone …, or anything else.
  type Block = { kind: 'options' | 'view' | 'zone' | 'other'; zone?: ConfigZone; view?: string; format?: string };
  const stack: Block[] = [];
  let stmt: Tok[] = [];
  let globalFormat: string | undefined;
  const closeZone = (b: Block) => {
    const z = b.zone!;
    if (!z.skip && b.format && b.format !== 'text') z.skip = `masterfile-format ${b.format}`;
    if (!z.skip && !b.format && globalFormat && globalFormat !== 'text') z.skip = `masterfile-format ${globalFormat}`;
    if (out.zones.length < CONFIG_LIMITS.zones) out.zones.push(z);
    else if (out.zones.length === CONFIG_LIMITS.zones) problems.push(`more than ${CONFIG_LIMITS.zones} zones: the rest are not read`);
  };
  while (i < toks.length) {
    const t = toks[i++];
    if (!t.quoted && t.text === '{') {
      if (stack.length >= CONFIG_LIMITS.depth) {
        problems.push(`line ${t.line}: blocks nested more than ${CONFIG_LIMITS.depth} deep: the rest is not read`);
        break;
      }
      const head = stmt[0]?.quoted ? '' : (stmt[0]?.text.toLowerCase() ?? '');
      let b: Block = { kind: 'other' };
      const inZoneOrOther = stack.some((s) => s.kind === 'zone' || s.kind === 'other' || s.kind === 'options');
      if (head === 'options' && stack.length === 0) b = { kind: 'options' };
      else if (head === 'view' && stack.length === 0) b = { kind: 'view', view: stmt[1]?.text };
      else if (head === 'zone' && !inZoneOrOther && stmt[1]) {
        const view = stack.find((s) => s.kind === 'view')?.view;
        b = { kind: 'zone', zone: { name: stmt[1].text, line: stmt[0].line, ...(view !== undefined ? { view } : {}) } };
      }
      stack.push(b);
      stmt = [];
      continue;
    }
    if (!t.quoted && t.text === '}') {
      const b = stack.pop();
      if (!b) {
        problems.push(`line ${t.line}: "}" without a "{" before it`);
        continue;
      }
      if (b.kind === 'zone') closeZone(b);
      stmt = [];
      continue;
    }
    if (!t.quoted && t.text === ';') {
      const top = stack[stack.length - 1];
      const key = stmt[0] && !stmt[0].quoted ? stmt[0].text.toLowerCase() : '';
      const arg = stmt[1];
      if (key === 'include' && arg) {
        if (out.includes.length < CONFIG_LIMITS.includes) out.includes.push(arg.text);
      } else if (top?.kind === 'options' && key === 'directory' && arg) out.directory = arg.text;
      else if (top?.kind === 'options' && key === 'masterfile-format' && arg) globalFormat = arg.text.toLowerCase();
      else if (top?.kind === 'zone' && arg) {
        const z = top.zone!;
        if (key === 'file') z.file = arg.text;
        else if (key === 'type') {
          const type = arg.text.toLowerCase();
          if (!NAMED_PRIMARY.has(type)) z.skip = `type ${type}`;
        } else if (key === 'in-view') z.skip = `in-view ${arg.text}`;
        else if (key === 'masterfile-format') top.format = arg.text.toLowerCase();
      }
      stmt = [];
      continue;
    }
    stmt.push(t);
  }
  if (stack.length > 0) problems.push(`${stack.length} block${stack.length === 1 ? '' : 's'} never closed`);
  return out;
}

// --- nsd.conf and knot.conf: the YAML-like subset they use ----------------------------------------

interface YamlLine {
  indent: number;
  /** After a leading `- `: the start of a list item. */
  item: boolean;
  key: string;
  value: string;
  line: number;
}

/** Lines of `key: value` (a `- ` before starts a list item); comments and blank lines dropped. */
function yamlLines(text: string, problems: string[]): YamlLine[] {
  const out: YamlLine[] = [];
  const lines = text.split('\n');
  for (let k = 0; k < lines.length; k++) {
    let raw = lines[k].replace(/\r$/, '');
    const hash = commentStart(raw);
    if (hash >= 0) raw = raw.slice(0, hash);
    if (raw.trim() === '') continue;
    let indent = 0;
    while (indent < raw.length && (raw[indent] === ' ' || raw[indent] === '\t')) indent++;
    let rest = raw.slice(indent);
    let item = false;
    if (rest.startsWith('- ') || rest === '-') {
      item = true;
      rest = rest.slice(1).trimStart();
      indent += 2;
    }
    const colon = rest.indexOf(':');
    if (colon < 0) {
      if (rest.trim() !== '') problems.push(`line ${k + 1}: expected "name: value"`);
      continue;
    }
    out.push({ indent, item, key: rest.slice(0, colon).trim().toLowerCase(), value: unquote(rest.slice(colon + 1).trim()), line: k + 1 });
  }
  return out;
}

/** Where a `#` comment starts outside quotes, or -1. */
function commentStart(s: string): number {
  let quote = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#') return i;
  }
  return -1;
}

function unquote(v: string): string {
  if (v.length >= 2 && ((v[0] === '"' && v.endsWith('"')) || (v[0] === "'" && v.endsWith("'")))) return v.slice(1, -1);
  return v;
}

/** NSD's and Knot's file name patterns (nsd.conf(5) `zonefile`, knot.conf(5) `file`): %s and friends. */
export function expandPattern(pattern: string, zone: string, kind: 'nsd' | 'knot'): string {
  const name = zone.endsWith('.') && zone.length > 1 ? zone.slice(0, -1) : zone;
  const labels = name.split('.');
  return pattern.replace(/%(%|s|[123]|z|y|x)/g, (_, c: string) => {
    if (c === '%') return '%';
    if (c === 's') return kind === 'knot' && name === '.' ? '' : name;
    // NSD: %1 %2 %3 the first characters of the name; %z %y %x the last labels.
    if (c >= '1' && c <= '3') return name[Number(c) - 1] ?? '.';
    const idx = c === 'z' ? 1 : c === 'y' ? 2 : 3;
    return labels[labels.length - idx] ?? '.';
  });
}

/** NSD's nsd.conf: `zone:` clauses (name, zonefile, include-pattern), `pattern:`s, `server: zonesdir`. */
export function parseNsdConf(text: string): ParsedConfig {
  const problems: string[] = [];
  const out: ParsedConfig = { kind: 'nsd.conf', zones: [], includes: [], problems, work: text.length };
  // Each line once; each zone's attribute lookups are counted by `attr`.
  type Clause = { kind: string; attrs: Map<string, string[]>; line: number };
  const clauses: Clause[] = [];
  let cur: Clause | undefined;
  for (const l of yamlLines(text, problems)) {
    if (l.indent === 0 && l.value === '') {
      cur = { kind: l.key, attrs: new Map(), line: l.line };
      clauses.push(cur);
      continue;
    }
    if (l.indent === 0 && l.key === 'include') {
      if (out.includes.length < CONFIG_LIMITS.includes) out.includes.push(l.value);
      continue;
    }
    if (!cur) continue;
    const list = cur.attrs.get(l.key);
    if (list) list.push(l.value);
    else cur.attrs.set(l.key, [l.value]);
  }
  const patterns = new Map<string, Clause>();
  for (const c of clauses) {
    if (c.kind === 'server') {
      const dir = c.attrs.get('zonesdir')?.[0];
      if (dir !== undefined) out.directory = dir;
    } else if (c.kind === 'pattern') {
      const name = c.attrs.get('name')?.[0];
      if (name !== undefined) patterns.set(name, c);
    }
  }
  // An attribute of a zone, or of the patterns it includes (depth-first, in order). Each pattern's
  // answer is kept, so that many zones naming long chains of patterns cost each pattern once.
  const memo = new Map<Clause, Map<string, string | null>>();
  const attr = (c: Clause, key: string, visiting = new Set<Clause>()): string | undefined => {
    out.work++;
    const own = c.attrs.get(key)?.[0];
    if (own !== undefined) return own;
    let m = memo.get(c);
    if (m?.has(key)) return m.get(key) ?? undefined;
    if (visiting.has(c)) return undefined;
    visiting.add(c);
    let found: string | undefined;
    for (const p of c.attrs.get('include-pattern') ?? []) {
      const pc = patterns.get(p);
      if (pc) found = attr(pc, key, visiting);
      if (found !== undefined) break;
    }
    visiting.delete(c);
    if (c.kind === 'pattern') {
      if (!m) memo.set(c, (m = new Map()));
      m.set(key, found ?? null);
    }
    return found;
  };
  for (const c of clauses) {
    if (c.kind !== 'zone') continue;
    const name = c.attrs.get('name')?.[0];
    if (name === undefined) {
      problems.push(`line ${c.line}: a zone without a name`);
      continue;
    }
    const pattern = attr(c, 'zonefile');
    const z: ConfigZone = { name, line: c.line };
    if (pattern !== undefined) z.file = expandPattern(pattern, name, 'nsd');
    // A zone NSD transfers in (request-xfr) has its file written by NSD: a secondary.
    if (attr(c, 'request-xfr') !== undefined) z.skip = 'secondary (request-xfr)';
    else if (pattern === undefined) z.skip = 'no zonefile';
    if (out.zones.length < CONFIG_LIMITS.zones) out.zones.push(z);
  }
  return out;
}

/** Knot's knot.conf: `zone:` list (domain, file, template, master), `template:` list (id, storage, file). */
export function parseKnotConf(text: string): ParsedConfig {
  const problems: string[] = [];
  const out: ParsedConfig = { kind: 'knot.conf', zones: [], includes: [], problems, work: text.length };
  type Item = { section: string; attrs: Map<string, string>; line: number };
  const items: Item[] = [];
  let section = '';
  let cur: Item | undefined;
  let itemIndent = -1;
  for (const l of yamlLines(text, problems)) {
    if (l.indent === 0 && !l.item) {
      section = l.key;
      cur = undefined;
      if (l.key === 'include' && l.value !== '' && out.includes.length < CONFIG_LIMITS.includes) out.includes.push(l.value);
      continue;
    }
    if (l.item) {
      cur = { section, attrs: new Map([[l.key, l.value]]), line: l.line };
      itemIndent = l.indent;
      items.push(cur);
      continue;
    }
    if (cur && l.indent >= itemIndent && !cur.attrs.has(l.key)) cur.attrs.set(l.key, l.value);
  }
  const templates = new Map<string, Item>();
  for (const it of items) if (it.section === 'template' && it.attrs.has('id')) templates.set(it.attrs.get('id')!, it);
  const def = templates.get('default');
  // knot.conf(5): storage defaults to /var/lib/knot, file to "%s.zone" relative to storage.
  const storageOf = (t?: Item) => t?.attrs.get('storage') ?? def?.attrs.get('storage') ?? '/var/lib/knot';
  out.directory = storageOf(def);
  for (const it of items) {
    if (it.section !== 'zone') continue;
    const name = it.attrs.get('domain');
    if (name === undefined) {
      problems.push(`line ${it.line}: a zone without a domain`);
      continue;
    }
    const t = templates.get(it.attrs.get('template') ?? 'default');
    const pattern = it.attrs.get('file') ?? t?.attrs.get('file') ?? def?.attrs.get('file') ?? '%s.zone';
    let file = expandPattern(pattern, name, 'knot');
    const storage = it.attrs.get('storage') ?? storageOf(t);
    if (!file.startsWith('/') && storage !== out.directory) file = `${storage.replace(/\/+$/, '')}/${file}`;
    const z: ConfigZone = { name, file, line: it.line };
    if (it.attrs.has('master') || it.attrs.has('primary') || t?.attrs.has('master') || t?.attrs.has('primary')) z.skip = 'secondary (master)';
    if (out.zones.length < CONFIG_LIMITS.zones) out.zones.push(z);
  }
  return out;
}

/** The parser for a configuration file, by its name; undefined when it is none of the three. */
export function configKind(file: string): ServerKind | undefined {
  const base = file.replace(/^.*[\\/]/, '').toLowerCase();
  if (base === 'nsd.conf') return 'nsd.conf';
  if (base === 'knot.conf') return 'knot.conf';
  if (base === 'named.conf' || (base.startsWith('named.conf') && !/\.(bak|orig|old|dist|sample|example|save|swp|rpmnew|rpmsave|dpkg-\w+)$/.test(base))) return 'named.conf';
  return undefined;
}

export function parseConfig(kind: ServerKind, text: string): ParsedConfig {
  return kind === 'named.conf' ? parseNamedConf(text) : kind === 'nsd.conf' ? parseNsdConf(text) : parseKnotConf(text);
}

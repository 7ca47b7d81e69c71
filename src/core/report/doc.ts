// The report document: what every view shows of one check, as plain JSON-serialisable data. Each
// check kind has one pure `xToReport(result): ReportDoc` (rdnsDoc.ts, …, registered in
// ../checks.ts); the report webview, the Markdown export and the Results tree render any ReportDoc
// and never look at the result itself. All text is text, never markup: every renderer escapes it.
import type { Finding, Fix, Status } from '../model';

/** A table cell: text, or text with how to show it. */
export type Cell =
  | string
  | {
      text: string;
      /** Data (a name, a rule, an SMTP reply), shown as code. */
      mono?: boolean;
      /** Colours the text as this status (e.g. a receiver's verdict). */
      status?: Status;
      /** A sentence shown under the text (in Markdown: a note below the table). */
      detail?: string;
      /** A web reference (`https://…`), shown as a link after the detail. */
      href?: string;
    };

/** One DNS query behind a tree node, so a reader can see and reproduce it. */
export interface DocQuery {
  /** What the query is to the node: `Answer` (the query that found it), `Next query`, `SPF record`. */
  role: string;
  /** One line: `mail.example.com A → NOERROR, TTL 300s, from 127.0.0.1:5300`. */
  summary: string;
  /** More lines, e.g. the CNAMEs followed. */
  lines?: string[];
  dig: string;
}

/** A node of a tree section: a hop of the rDNS chain, a record or term of an SPF evaluation, … */
export interface DocNode {
  label: string;
  /** The label is data (a name, an address, a record): shown in a fixed-width font. */
  mono?: boolean;
  /** A short tag beside the label: `PTR 3600s`, `start`, `include`. */
  badge?: string;
  status: Status;
  /** A sentence on what this node is or does (tooltips, the report). */
  description?: string;
  /** One line on why it ended here or what is wrong here. */
  note?: string;
  /** This is where things go wrong: marked apart from a plain fail. */
  wrong?: boolean;
  /** The dig command that best shows this node (copied from the tree). */
  dig?: string;
  /** Where the rule behind this node is documented (`https://…`). */
  href?: string;
  /** The queries behind this node. */
  queries?: DocQuery[];
  children: DocNode[];
}

/** One line of a combined check: a sub-check with its verdict and fix. */
export interface DocRow {
  label: string;
  status: Status;
  /** One line: the sub-check's verdict. */
  summary: string;
  detail?: string;
  fix?: Fix;
  /** The sub-check the row is (a combined check's row id, e.g. `spf-from`): what a re-check after Apply looks at. */
  id?: string;
  /** The code of the row's finding whose fix `fix` is, when it is one (a re-check looks for it). */
  code?: string;
}

export type Section =
  | {
      type: 'table';
      title: string;
      columns: string[];
      rows: Cell[][];
      /** Shown instead of the table when there are no rows. */
      empty?: string;
    }
  | {
      type: 'tree';
      title: string;
      nodes: DocNode[];
      empty?: string;
      /** The report lists each node's `queries` (with their dig commands) under it, not only in tooltips. */
      showQueries?: boolean;
      /** The root nodes are alternatives to compare (an IPv4 and an IPv6 result): side by side where there is room. */
      sideBySide?: boolean;
    }
  | { type: 'text'; title: string; paragraphs: string[] }
  | { type: 'rows'; title: string; rows: DocRow[]; empty?: string };

export type SectionType = Section['type'];

export interface ReportDoc {
  /** The check kind (`rdns`, `spf`, …), as in the result's `kind`. */
  kind: string;
  /** Set by whoever stores the result (the extension: the check's key), so views can refer to it. */
  id?: string;
  /** The check's name: `Reverse DNS`. Headings read `Reverse DNS for <subject>`. */
  title: string;
  /** Short name for tabs: `rDNS`. */
  shortTitle: string;
  /** What was checked: `203.0.113.7`. */
  subject: string;
  status: Status;
  /** One line for lists and the Results tree: `iprev fail · mail.example.com +1`. */
  summary: string;
  /** The answer first: `iprev: fail — <what that means>`. */
  verdict: { label: string; value: string; explanation: string };
  /** Key facts under the verdict. An empty value shows as "none". */
  facts: { label: string; value: string; mono?: boolean }[];
  sections: Section[];
  findings: Finding[];
  /** Resolvers, time, duration: one line. */
  footer: string;
  /** The check can be run again with the same inputs ("Check live again"): the report offers it. */
  liveAgain?: boolean;
}

/** Where a fix sits in a document: a finding's, or a row's of a `rows` section (a combined check's). */
export type FixRef = { finding: number } | { section: number; row: number };

/** The fix `ref` points at in `doc`, with the finding code or the row id behind it. */
export function fixAt(doc: ReportDoc, ref: FixRef): { fix: Fix; code?: string; row?: string } | undefined {
  if ('finding' in ref) {
    const f = doc.findings[ref.finding];
    return f?.fix ? { fix: f.fix, code: f.code } : undefined;
  }
  const section = doc.sections[ref.section];
  const row = section?.type === 'rows' ? section.rows[ref.row] : undefined;
  return row?.fix ? { fix: row.fix, ...(row.code !== undefined ? { code: row.code } : {}), ...(row.id !== undefined ? { row: row.id } : {}) } : undefined;
}

/** The text of a cell, whichever form it has. */
export function cellText(cell: Cell): string {
  return typeof cell === 'string' ? cell : cell.text;
}

/** A cell in its object form. */
export function cellObject(cell: Cell): Exclude<Cell, string> {
  return typeof cell === 'string' ? { text: cell } : cell;
}

/** `iprev: fail` */
export function verdictText(doc: ReportDoc): string {
  return `${doc.verdict.label}: ${doc.verdict.value}`;
}

/** Web links only: a report never links to `command:`, `file:` or script URLs. */
export function isWebLink(href: string | undefined): href is string {
  return href !== undefined && /^https?:\/\/[^\s<>\\`]+$/.test(href);
}

/** A copy without the `undefined` properties, so a document survives JSON unchanged. */
export function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

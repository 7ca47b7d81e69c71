// The one result model. Every check returns plain data of these shapes; the tree, the webview,
// the CLI (--json prints it as it is) and the tests all read it, none re-derives it.

export type Severity = 'error' | 'warning' | 'info';

/**
 * A problem in a record's text (a DMARC record, a DKIM key): a stable code, offsets into the text, and the
 * replacement that fixes it when one is certain. A zone-file diagnostic and its quick fix are made from it.
 */
export interface RecordProblem {
  code: string;
  severity: Severity;
  message: string;
  start: number;
  end: number;
  /** Replace `text.slice(start, end)` with this to fix it. */
  replacement?: string;
}

/** The state of one node or one check, as shown by icons. */
export type Status = 'pass' | 'warning' | 'fail' | 'info';

/** A change to DNS data that fixes a finding. */
export interface Fix {
  /** One sentence: what to do. */
  description: string;
  /** The zone that holds the record (e.g. `113.0.203.in-addr.arpa`), when known. */
  zone?: string;
  /** Owner name of the record to change or add (no trailing dot, lower case). */
  owner?: string;
  /** Record type of the record to change or add. */
  type?: string;
  /** Current data of the record, when one exists. */
  current?: string;
  /** Data it should have. */
  proposed?: string;
  /** Where `proposed` comes from, when it is a name chosen for the fix (`example.net.zone:35 (web6.example.net A 203.0.113.100)`). */
  proposedFrom?: string;
  /** The workspace zone file this fix can be applied to (set by the editor, which offers "Apply to <file>"). */
  applyTo?: string;
  /** The record lives in a zone the workspace does not hold (the ISP's): whom to ask, and the text of the request. */
  request?: { to: string; text: string };
  /** The record to publish, in master-file form, e.g. `7.113.0.203.in-addr.arpa. 3600 IN PTR mail.example.com.` */
  record?: string;
}

export interface Finding {
  /** Stable kebab-case code, documented in docs/findings.md. */
  code: string;
  severity: Severity;
  message: string;
  /** A `dig` command that shows the same answer, so the finding can be reproduced. */
  dig?: string;
  fix?: Fix;
  /** Index into `chain` of the step this finding is about. */
  step?: number;
  /** Source offsets, for findings about text (zone files, SPF strings). */
  start?: number;
  end?: number;
}

/** RFC 8601 §2.7.3 iprev results. */
export type IprevResult = 'pass' | 'fail' | 'temperror' | 'permerror';

/** What a receiver's rule does with the connection. */
export type Verdict = 'accept' | 'reject' | 'defer';

/** Response codes as dig prints them, plus our own for transport failures. */
export type Rcode =
  | 'NOERROR'
  | 'FORMERR'
  | 'SERVFAIL'
  | 'NXDOMAIN'
  | 'NOTIMP'
  | 'REFUSED'
  | 'TIMEOUT'
  | 'UNREACHABLE'
  | 'BADREPLY'
  | string;

import type { Finding, IprevResult, Rcode, Status, Verdict } from '../model';

/** One DNS query made by the chain walk, in the order the walk made them. */
export interface ChainStep {
  index: number;
  /** The name queried: for PTR the reverse name (`7.113.0.203.in-addr.arpa`). Lower case, no trailing dot. */
  query: string;
  type: 'PTR' | 'A' | 'AAAA';
  /** What the step asks about: the IP for a PTR step, the host name for an A/AAAA step. */
  subject: string;
  /**
   * Names (PTR) or addresses (A/AAAA), lower case, no trailing dot, in answer order. At most
   * LIMITS.rdnsAnswersPerStep: past that, the checked IP and the address the name came from go
   * first, and the rest are counted in `answersOmitted`.
   */
  answers: string[];
  /** Answers the step had beyond those listed (a bound for hostile zones). */
  answersOmitted?: number;
  /** Smallest TTL of the answer RRset; null when there is no answer. */
  ttl: number | null;
  rcode: Rcode;
  /** CNAMEs followed to reach the answer (RFC 2317 classless delegation). */
  cnames: { name: string; target: string; ttl: number }[];
  /** The server that answered (`127.0.0.1:5300`). */
  server: string;
  /** The dig command that shows the same answer. */
  dig: string;
  /** Transport trouble, in words, when rcode is TIMEOUT/BADREPLY. */
  error?: string;
  /** The step whose answer produced this query; null for the first PTR lookup. */
  parent: number | null;
  /** Hop number, 1 for the first PTR lookup. */
  depth: number;
}

export type HopEnd =
  /** The chain came back to the IP being checked: forward-confirmed. */
  | 'closes'
  /** The chain came back to a name or address already seen, other than the start. */
  | 'loop'
  /** The walk stopped at the step bound. */
  | 'bound'
  /** The walk's lookup budget was used up before this node was looked up. */
  | 'budget'
  /** The query answered with no data (NXDOMAIN or NODATA). */
  | 'no-data'
  /** The query failed (timeout, SERVFAIL, REFUSED, bad reply). */
  | 'error'
  /** Too many answers: the walk followed only the first few. */
  | 'fanout';

/** A node of the hop tree: the chain as an admin would walk it by hand. */
export interface HopNode {
  kind: 'ip' | 'name';
  /** Address (canonical text) or host name (lower case, no trailing dot). */
  value: string;
  /** The step whose answer this node came from; absent for the root. */
  step?: number;
  /** Record type that led here (PTR for names, A/AAAA for addresses) and its TTL. */
  type?: 'PTR' | 'A' | 'AAAA';
  ttl?: number | null;
  status: Status;
  end?: HopEnd;
  /** One line on why the walk stopped here or what is wrong here. */
  note?: string;
  /** This is where the chain goes wrong. */
  wrong?: boolean;
  children: HopNode[];
}

export interface ReceiverVerdict {
  receiver: 'postfix' | 'gmail';
  /** The rule, e.g. `reject_unknown_client_hostname`. */
  rule: string;
  verdict: Verdict;
  /** The SMTP reply the receiver sends when it does not accept. */
  reply?: string;
  explanation: string;
  /** Where the rule is documented. */
  reference: string;
}

export interface SpecialPurpose {
  /** Registry name, e.g. `Documentation (TEST-NET-3)`. */
  name: string;
  /** Defining RFC, e.g. `RFC 5737`. */
  rfc: string;
  network: string;
}

export interface RdnsResult {
  kind: 'rdns';
  /** The address checked, canonical text (IPv6 compressed, lower case). */
  ip: string;
  family: 4 | 6;
  /** The PTR owner name (`7.113.0.203.in-addr.arpa`). */
  reverseName: string;
  special?: SpecialPurpose;
  /** The IP's PTR names, lower case, no trailing dot. */
  ptr: string[];
  /** PTR names whose A/AAAA records include the IP (forward-confirmed). */
  confirmed: string[];
  /** RFC 8601 iprev result. */
  fcrdns: IprevResult;
  chain: ChainStep[];
  tree: HopNode;
  /** The walk met a name or address it had already seen that is not the IP itself. */
  loop: boolean;
  postfix: {
    reject_unknown_reverse_client_hostname: Verdict;
    reject_unknown_client_hostname: Verdict;
  };
  receivers: ReceiverVerdict[];
  findings: Finding[];
  /** Servers asked, as `host:port`, or `system` entries resolved at start. */
  resolvers: string[];
  /** ISO time the check started, and how long it took. */
  startedAt: string;
  elapsedMs: number;
}

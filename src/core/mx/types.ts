import type { Finding, IprevResult, Rcode } from '../model';

/** One address of an MX host, with its forward-confirmed reverse DNS. */
export interface MxAddress {
  ip: string;
  family: 4 | 6;
  /** PTR names of the address. */
  ptr: string[];
  /** RFC 8601 iprev of the address (from the rDNS check). */
  fcrdns: IprevResult;
  /** A PTR name of the address is the MX host name itself. */
  ptrIsHost: boolean;
  /** Why the address got no rDNS check (a budget); `fcrdns` is then temperror. */
  rdnsSkipped?: string;
}

export interface MxHost {
  preference: number;
  /** The MX target, lower case, no trailing dot; `.` for a null MX. */
  exchange: string;
  /** `name`; `null` (RFC 7505 `0 .`); `ip-literal` (an address written where a name belongs); `implicit` (no MX: the domain itself, RFC 5321 §5.1). */
  kind: 'name' | 'null' | 'ip-literal' | 'implicit';
  /** CNAMEs the target's address lookups went through (RFC 2181 §10.3: an MX must not name an alias). */
  cnames: { name: string; target: string }[];
  addresses: MxAddress[];
  /** Addresses beyond those listed (the MX check lists a bounded number per host). */
  addressesOmitted?: number;
  /** A and AAAA lookups of the target (answers bounded like `addresses`, the rest counted). */
  lookups: { type: 'A' | 'AAAA'; rcode: Rcode; answers: string[]; answersOmitted?: number; dig: string; error?: string }[];
  /** Whether a sender can deliver to this host at all. */
  usable: boolean;
  /** Why the host was not looked up (beyond the MX check's host budget). */
  skipped?: string;
}

export interface MxResult {
  kind: 'mx';
  domain: string;
  /** Rcode of the MX query. */
  rcode: Rcode;
  /** CNAMEs followed for the MX query itself. */
  cnames: { name: string; target: string }[];
  /** RFC 7505: the domain publishes a null MX (accepts no mail). */
  nullMx: boolean;
  /** No MX records: mail goes to the domain's own A/AAAA (RFC 5321 §5.1). */
  implicit: boolean;
  /** Hosts in the order senders try them (lowest preference first; equal ones in any order). */
  hosts: MxHost[];
  /** Senders can deliver mail for the domain to some host. */
  receivesMail: boolean;
  dig: string;
  findings: Finding[];
  resolvers: string[];
  startedAt: string;
  elapsedMs: number;
}

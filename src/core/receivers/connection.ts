// The connection as a receiving MTA records it and a content filter reads it back: the client's
// address, the name the MTA logged for it and the HELO name. Derived only from the checks' results.
import type { MxResult } from '../mx/types';
import type { ReceiverInput } from './types';

export interface Connection {
  ip: string;
  /**
   * The client name the receiving MTA writes into its Received header: Postfix's "verified" name —
   * the first PTR name when it resolves back to the address — else none (Postfix writes `unknown`).
   * rspamd and SpamAssassin take the name from the MTA and do not look it up again.
   */
  clientName: string;
  helo: string;
}

export function connectionOf(input: ReceiverInput): Connection {
  const verified = input.rdns.postfix.reject_unknown_client_hostname === 'accept';
  return { ip: input.ip, clientName: verified ? (input.rdns.ptr[0] ?? '') : '', helo: input.helo.trim() };
}

/** The Received header Postfix would add for this connection (the form the scenario tests feed). */
export function postfixReceived(c: Connection, o: { by: string; id: string; to: string; date: string; tls: boolean }): string {
  const literal = c.ip.includes(':') ? `IPv6:${c.ip}` : c.ip;
  const tls = o.tls ? '\r\n\t(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits))' : '';
  return `Received: from ${c.helo} (${c.clientName || 'unknown'} [${literal}])${tls}\r\n\tby ${o.by} (Postfix) with ESMTP${o.tls ? 'S' : ''} id ${o.id}\r\n\tfor <${o.to}>; ${o.date}`;
}

/**
 * Whether a domain has an A, AAAA or MX record, from its MX check: an MX (or null MX), or the
 * implicit MX's addresses. null when DNS trouble kept the check from telling.
 */
export function domainExistsOf(mx: MxResult): boolean | null {
  if (mx.rcode !== 'NOERROR' && mx.rcode !== 'NXDOMAIN') return null;
  if (!mx.implicit) return mx.hosts.length > 0 || mx.nullMx;
  const host = mx.hosts[0];
  if (!host) return false;
  if (host.addresses.length > 0) return true;
  return host.lookups.every((l) => l.rcode === 'NOERROR' || l.rcode === 'NXDOMAIN') ? false : null;
}

// SPF for two addresses of one sender at once — typically a server's IPv4 and IPv6 address, which
// receivers check separately (whichever the connection came from) — so their results can be read
// side by side. Each is an ordinary check_host() result; this only holds them together.
import { checkHost, type SpfCheckInput, type SpfOptions } from './check';
import type { SpfResult } from './types';

export interface SpfPairResult {
  kind: 'spf-pair';
  /** check_host()'s <domain>, the same for both. */
  domain: string;
  sender: string;
  helo?: string;
  identity: 'mailfrom' | 'helo';
  /** One result per address, in the order given. */
  results: [SpfResult, SpfResult];
  startedAt: string;
  elapsedMs: number;
}

/**
 * check_host() for each address with the same domain, sender and HELO name, in parallel through one
 * resolver (so the records both need are fetched once). Throws as checkHost does: InputError for an
 * address that is not one, AbortError when `options.signal` aborts.
 */
export async function checkHostPair(ips: readonly [string, string], input: Omit<SpfCheckInput, 'ip'>, options: SpfOptions): Promise<SpfPairResult> {
  const started = Date.now();
  const results = (await Promise.all(ips.map((ip) => checkHost({ ...input, ip }, options)))) as [SpfResult, SpfResult];
  const first = results[0];
  return {
    kind: 'spf-pair',
    domain: first.domain,
    sender: first.sender,
    ...(first.helo !== undefined ? { helo: first.helo } : {}),
    identity: first.identity,
    results,
    startedAt: new Date(started).toISOString(),
    elapsedMs: Date.now() - started,
  };
}

import type { Resolver } from './types';

/**
 * The zone that holds `name`: the owner of the SOA record a server returns for it, in the answer
 * (at a zone apex) or the authority section (below one, RFC 2308 §3). Undefined when DNS does not say.
 */
export async function findZone(resolver: Resolver, name: string, signal?: AbortSignal): Promise<string | undefined> {
  const r = await resolver.query(name, 'SOA', { signal });
  const soa = r.answers.find((a) => a.type === 'SOA') ?? r.authorities.find((a) => a.type === 'SOA');
  return soa?.name;
}

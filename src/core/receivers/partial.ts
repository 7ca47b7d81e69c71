// The receiver rows one check decides alone, for the rDNS, HELO and SPF reports: the matrix is
// computed with what that check knows and only the rules that depend on nothing else are kept (no
// totals or actions: those need the whole connection, see Check mail server).
import type { HeloResult } from '../helo/types';
import type { RdnsResult } from '../rdns/types';
import type { SpfResult } from '../spf/types';
import { receiverMatrix } from './index';
import type { ReceiverInput, ReceiverRow } from './types';

/** An rDNS result that says nothing (for inputs whose rows never read it). */
function noRdns(ip: string): RdnsResult {
  return { ip, ptr: [], confirmed: [], chain: [], fcrdns: 'none', postfix: { reject_unknown_reverse_client_hostname: 'accept', reject_unknown_client_hostname: 'accept' } } as unknown as RdnsResult;
}

const RDNS_RULES = /^(deny !verify = reverse_host_lookup|RDNS_NONE|RDNS_DYNAMIC|RDNS_DNSFAIL|HFILTER_HOSTNAME_UNKNOWN)$/;
const HELO_RULES = /^(deny !verify = helo|HELO_NO_DOMAIN|HELO_LOCALHOST|FSL_HELO_NON_FQDN_1|(T_)?SPF_HELO_[A-Z]+|HFILTER_HELO_(BADIP|BAREIP|NOT_FQDN|IP_A|NORES_A_OR_MX))$/;
const SPF_RULES = /^((T_)?SPF_(PASS|FAIL|SOFTFAIL|NEUTRAL|NONE|PERMERROR|TEMPERROR)|R_SPF_[A-Z]+)$/;
const SPF_HELO_RULES = /^(T_)?SPF_HELO_[A-Z]+$/;

const keep = (rows: ReceiverRow[], re: RegExp) => rows.filter((r) => re.test(r.rule));

export function receiverRowsOfRdns(r: RdnsResult): ReceiverRow[] {
  // helo '' and no SPF: the rDNS rows read only the client name and the PTR lookup.
  return keep(receiverMatrix({ ip: r.ip, helo: '', rdns: r }), RDNS_RULES);
}

export function receiverRowsOfHelo(h: HeloResult): ReceiverRow[] {
  if (!h.ip) return [];
  return keep(receiverMatrix({ ip: h.ip, helo: h.name, rdns: noRdns(h.ip), heloCheck: h }), HELO_RULES);
}

export function receiverRowsOfSpf(s: SpfResult): ReceiverRow[] {
  if (s.identity === 'helo') {
    const input: ReceiverInput = { ip: s.ip, helo: s.domain, rdns: noRdns(s.ip), heloCheck: { spf: s } as unknown as HeloResult };
    return keep(receiverMatrix(input), SPF_HELO_RULES);
  }
  return keep(receiverMatrix({ ip: s.ip, helo: '', rdns: noRdns(s.ip), spf: s }), SPF_RULES).map((r) =>
    r.rule === 'R_SPF_ALLOW' ? { ...r, why: `${r.why} (Weight 0 when the address is on a blocklist: composite BAD_REP_POLICIES.)` } : r,
  );
}

import type { Status } from './model';
import type { RdnsResult } from './rdns/types';

/** The one status of a whole rDNS check, as icons and exit codes show it. */
export function rdnsStatus(r: RdnsResult): Status {
  if (r.fcrdns === 'pass') return r.findings.some((f) => f.severity === 'warning' || f.severity === 'error') ? 'warning' : 'pass';
  return r.fcrdns === 'temperror' ? 'warning' : 'fail';
}

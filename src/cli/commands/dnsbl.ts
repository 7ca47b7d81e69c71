import { parseArgs } from 'node:util';
import { checkDnsbl, DEFAULT_ZONES, InputError } from '../../core/dnsbl/check';
import { dnsblDecided, dnsblToText } from '../../core/dnsbl/text';
import { type CliCommand, DNS_OPTIONS, resolverFrom, UsageError } from '../shared';

export const dnsblCommand: CliCommand = {
  name: 'dnsbl',
  summary: `DNS blocklists (RFC 5782): listed, not listed, or the list refused to answer (default: ${DEFAULT_ZONES.join(', ')})`,
  usage: 'maildns dnsbl <ip> [--zone zone]... [--no-test-points] [--resolver host[:port]]... [--timeout ms] [--json]',
  async run(args, io, signal) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { ...DNS_OPTIONS, zone: { type: 'string', multiple: true }, 'no-test-points': { type: 'boolean', default: false } },
    });
    if (positionals.length !== 1) {
      throw new UsageError(positionals.length === 0 ? 'dnsbl needs an IP address: maildns dnsbl <ip> [--zone zone]...' : `dnsbl takes one IP address, got ${positionals.length} arguments: ${positionals.join(' ')}`);
    }
    const resolver = resolverFrom(values);
    let result;
    try {
      result = await checkDnsbl(positionals[0], { resolver, signal, testPoints: !values['no-test-points'], ...(values.zone ? { zones: values.zone } : {}) });
    } catch (e) {
      if (e instanceof InputError) throw new UsageError(e.message);
      throw e;
    }
    io.out(values.json ? JSON.stringify(result, null, 2) + '\n' : dnsblToText(result) + '\n');
    if (result.listed.length > 0) return 1;
    return dnsblDecided(result) ? 0 : 2;
  },
};

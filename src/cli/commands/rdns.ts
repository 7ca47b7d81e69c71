import { parseArgs } from 'node:util';
import { checkRdns, InputError } from '../../core/rdns/check';
import { rdnsToText } from '../../core/report/text';
import { type CliCommand, DNS_OPTIONS, positiveInt, resolverFrom, UsageError } from '../shared';

export const rdnsCommand: CliCommand = {
  name: 'rdns',
  summary: 'PTR lookup, forward-confirmed reverse DNS (RFC 8601 iprev) and the whole chain',
  usage: 'maildns rdns <ip> [--resolver host[:port]]... [--timeout ms] [--max-steps n] [--json]',
  async run(args, io, signal) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { ...DNS_OPTIONS, 'max-steps': { type: 'string' } },
    });
    if (positionals.length !== 1) {
      throw new UsageError(positionals.length === 0 ? 'rdns needs an IP address: maildns rdns <ip>' : `rdns takes one IP address, got ${positionals.length}: ${positionals.join(' ')}`);
    }
    const resolver = resolverFrom(values);
    let result;
    try {
      result = await checkRdns(positionals[0], { resolver, maxSteps: positiveInt(values['max-steps'], '--max-steps', 8), signal });
    } catch (e) {
      if (e instanceof InputError) throw new UsageError(e.message);
      throw e;
    }
    io.out(values.json ? JSON.stringify(result, null, 2) + '\n' : rdnsToText(result) + '\n');
    return result.fcrdns === 'pass' ? 0 : result.fcrdns === 'temperror' ? 2 : 1;
  },
};

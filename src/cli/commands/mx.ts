import { parseArgs } from 'node:util';
import { checkMx, InputError } from '../../core/mx/check';
import { mxToText } from '../../core/mx/text';
import { type CliCommand, DNS_OPTIONS, resolverFrom, UsageError } from '../shared';

export const mxCommand: CliCommand = {
  name: 'mx',
  summary: 'MX of a domain in order: null MX (RFC 7505), implicit MX, CNAME or address targets, each host\'s addresses and FCrDNS',
  usage: 'maildns mx <domain> [--resolver host[:port]]... [--timeout ms] [--json]',
  async run(args, io, signal) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { ...DNS_OPTIONS } });
    if (positionals.length !== 1) {
      throw new UsageError(positionals.length === 0 ? 'mx needs a domain: maildns mx <domain>' : `mx takes one domain, got ${positionals.length} arguments: ${positionals.join(' ')}`);
    }
    const resolver = resolverFrom(values);
    let result;
    try {
      result = await checkMx(positionals[0], { resolver, signal });
    } catch (e) {
      if (e instanceof InputError) throw new UsageError(e.message);
      throw e;
    }
    io.out(values.json ? JSON.stringify(result, null, 2) + '\n' : mxToText(result) + '\n');
    if (!result.receivesMail && result.findings.some((f) => f.code.startsWith('dns-'))) return 2;
    if (!result.receivesMail || result.findings.some((f) => f.severity === 'error')) return 1;
    return 0;
  },
};

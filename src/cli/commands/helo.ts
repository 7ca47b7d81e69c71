import { parseArgs } from 'node:util';
import { checkHelo, InputError } from '../../core/helo/check';
import { heloStatus, heloToText } from '../../core/helo/text';
import { type CliCommand, DNS_OPTIONS, resolverFrom, UsageError } from '../shared';

export const heloCommand: CliCommand = {
  name: 'helo',
  summary: 'HELO/EHLO name: syntax, FQDN, DNS, match with the IP and its PTR, HELO SPF, Postfix verdicts with their replies',
  usage: 'maildns helo <name> [--ip ip] [--resolver host[:port]]... [--timeout ms] [--json]',
  async run(args, io, signal) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { ...DNS_OPTIONS, ip: { type: 'string' } } });
    if (positionals.length !== 1) {
      throw new UsageError(
        positionals.length === 0
          ? 'helo needs the name the server sends in HELO/EHLO: maildns helo <name> [--ip ip]'
          : `helo takes one name, got ${positionals.length} arguments: ${positionals.join(' ')} (quote a name with spaces)`,
      );
    }
    const resolver = resolverFrom(values);
    let result;
    try {
      result = await checkHelo(positionals[0], { ...(values.ip !== undefined ? { ip: values.ip } : {}), resolver, signal });
    } catch (e) {
      if (e instanceof InputError) throw new UsageError(e.message);
      throw e;
    }
    io.out(values.json ? JSON.stringify(result, null, 2) + '\n' : heloToText(result) + '\n');
    const status = heloStatus(result);
    if (status === 'fail') return 1;
    // DNS trouble kept a verdict open.
    if (result.findings.some((f) => f.code.startsWith('dns-')) || Object.values(result.postfix).includes('defer')) return 2;
    return 0;
  },
};

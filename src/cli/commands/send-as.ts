import { parseArgs } from 'node:util';
import { InputError } from '../../core/rdns/check';
import { sendAs } from '../../core/spf/sendas';
import { sendAsToText } from '../../core/spf/text';
import { type CliCommand, DNS_OPTIONS, resolverFrom, UsageError } from '../shared';

export const sendAsCommand: CliCommand = {
  name: 'send-as',
  summary: "Can this server send as @domain? That domain's SPF for the IP, the IP's reverse DNS, where replies go, and the TXT record to publish",
  usage: 'maildns send-as <ip> <from-domain> [--resolver host[:port]]... [--timeout ms] [--json]',
  async run(args, io, signal) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { ...DNS_OPTIONS } });
    if (positionals.length !== 2) {
      throw new UsageError(
        positionals.length < 2
          ? `send-as needs the sending server's IP address and the From domain: maildns send-as <ip> <from-domain>`
          : `send-as takes an IP address and a domain, got ${positionals.length} arguments: ${positionals.join(' ')}`,
      );
    }
    const resolver = resolverFrom(values);
    let result;
    try {
      result = await sendAs(positionals[0], positionals[1], { resolver, signal });
    } catch (e) {
      if (e instanceof InputError) throw new UsageError(e.message);
      throw e;
    }
    io.out(values.json ? JSON.stringify(result, null, 2) + '\n' : sendAsToText(result) + '\n');
    // 0: SPF authorizes the IP and its reverse DNS is forward-confirmed; 2: DNS trouble; 1: otherwise.
    if (result.authorized === null || result.rdns.fcrdns === 'temperror') return 2;
    return result.authorized && result.rdns.fcrdns === 'pass' ? 0 : 1;
  },
};

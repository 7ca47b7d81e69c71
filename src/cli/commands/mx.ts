import { jsonText } from '../../core/escape';
import { checkMx, InputError } from '../../core/mx/check';
import { mxToText } from '../../core/mx/text';
import { defineCommand, DNS_OPTIONS, resolverFrom, UsageError } from '../shared';

export const mxCommand = defineCommand({
  name: 'mx',
  summary: "MX of a domain in order: null MX (RFC 7505), implicit MX, CNAME or address targets, each host's addresses and FCrDNS",
  args: '<domain>',
  about: [
    "Lists the domain's MX hosts in the order senders try them, each with its addresses and their forward-confirmed reverse DNS, and says whether the domain receives mail at all: a null MX (RFC 7505) accepts none; without MX records mail goes to the domain's own address (RFC 5321 §5.1). MX targets that are aliases (CNAME) or IP addresses are findings.",
    'Finding codes: docs/mail-checks.md.',
  ],
  options: DNS_OPTIONS,
  examples: ['maildns mx example.net', 'maildns mx example.net --resolver 127.0.0.1:5353 --json'],
  exit: '0 the domain receives mail and nothing is wrong, 1 it cannot receive mail or an error finding, 2 DNS trouble or bad input.',
  async main({ values, positionals }, io, signal) {
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
    io.out(values.json ? jsonText(result) + '\n' : mxToText(result) + '\n');
    if (!result.receivesMail && result.findings.some((f) => f.code.startsWith('dns-'))) return 2;
    if (!result.receivesMail || result.findings.some((f) => f.severity === 'error')) return 1;
    return 0;
  },
});

import { jsonText } from '../../core/escape';
import { checkRdns, InputError } from '../../core/rdns/check';
import { rdnsToText } from '../../core/report/text';
import { readReceiverKnobsFile, RECEIVERS_OPTION } from '../receiversOption';
import { defineCommand, DNS_OPTIONS, resolverFrom, UsageError } from '../shared';

export const rdnsCommand = defineCommand({
  name: 'rdns',
  summary: 'PTR lookup, forward-confirmed reverse DNS (RFC 8601 iprev) and the whole chain',
  args: '<ip>',
  about: [
    'Looks up the PTR of the IP, the addresses of each PTR name, and their PTRs in turn, as an admin does by hand with dig -x and dig A. The verdict is what receivers check: one step, IP → PTR name → the same IP (iprev). The report shows the chain as a tree, what Postfix and Gmail do with such a client, every finding with the dig command that reproduces it, and the record to publish, in which zone.',
    'Finding codes: docs/findings.md. --json prints the result object: ip, ptr, fcrdns, chain, loop, postfix, receivers, findings, tree.',
  ],
  options: [{ name: 'max-steps', kind: 'int', value: 'n', default: 8, min: 1, max: 32, description: 'how many hops the chain walk follows (IP → name → address → …)' }, RECEIVERS_OPTION, ...DNS_OPTIONS],
  examples: ['maildns rdns 203.0.113.100', 'maildns rdns 2001:db8::25 --resolver 127.0.0.1:5353 --json', 'maildns rdns 203.0.113.100 --resolver 192.0.2.53 --resolver 192.0.2.54 --timeout 2000 --max-steps 12'],
  exit: '0 iprev pass, 1 fail or permerror, 2 temperror (DNS trouble) or bad input.',
  async main({ values, positionals }, io, signal) {
    if (positionals.length !== 1) {
      throw new UsageError(positionals.length === 0 ? 'rdns needs an IP address: maildns rdns <ip>' : `rdns takes one IP address, got ${positionals.length}: ${positionals.join(' ')}`);
    }
    // Only Postfix's unknown_client_reject_code changes this report.
    const code = values.receivers === undefined ? undefined : (await readReceiverKnobsFile(values.receivers)).postfix?.unknownClientRejectCode;
    const resolver = resolverFrom(values);
    let result;
    try {
      result = await checkRdns(positionals[0], { resolver, maxSteps: values['max-steps'], signal, ...(code ? { unknownClientRejectCode: code } : {}) });
    } catch (e) {
      if (e instanceof InputError) throw new UsageError(e.message);
      throw e;
    }
    io.out(values.json ? jsonText(result) + '\n' : rdnsToText(result) + '\n');
    return result.fcrdns === 'pass' ? 0 : result.fcrdns === 'temperror' ? 2 : 1;
  },
});

import { checkDnsbl, DEFAULT_ZONES, InputError } from '../../core/dnsbl/check';
import { dnsblDecided, dnsblToText } from '../../core/dnsbl/text';
import { jsonText } from '../../core/escape';
import { defineCommand, DNS_OPTIONS, resolverFrom, UsageError } from '../shared';

export const dnsblCommand = defineCommand({
  name: 'dnsbl',
  summary: 'DNS blocklists (RFC 5782): listed, not listed, or the list refused to answer',
  args: '<ip>',
  about: [
    `Asks each blocklist whether it lists the IP, decodes its answer (the return codes and the TXT reason), and checks the list's test points (127.0.0.2 listed, 127.0.0.1 not, RFC 5782 §5) so that a list that refuses to answer is never read as "not listed". Several lists refuse public resolvers (Spamhaus answers 127.255.255.254): ask through your own resolver. Default lists: ${DEFAULT_ZONES.join(', ')}.`,
    'Finding codes: docs/mail-checks.md.',
  ],
  options: [
    { name: 'zone', kind: 'string', value: 'zone', multiple: true, description: 'a blocklist to ask instead of the default lists; repeatable' },
    { name: 'no-test-points', kind: 'flag', description: "do not ask the lists' test points" },
    ...DNS_OPTIONS,
  ],
  examples: ['maildns dnsbl 203.0.113.100', 'maildns dnsbl 203.0.113.100 --zone bl.example.org --resolver 127.0.0.1:5353 --json'],
  exit: '0 not listed where the lists answered, 1 listed somewhere, 2 no list gave a usable answer, or bad input.',
  async main({ values, positionals }, io, signal) {
    if (positionals.length !== 1) {
      throw new UsageError(positionals.length === 0 ? 'dnsbl needs an IP address: maildns dnsbl <ip> [--zone zone]...' : `dnsbl takes one IP address, got ${positionals.length} arguments: ${positionals.join(' ')}`);
    }
    const resolver = resolverFrom(values);
    let result;
    try {
      result = await checkDnsbl(positionals[0], { resolver, signal, testPoints: !values['no-test-points'], ...(values.zone.length > 0 ? { zones: values.zone } : {}) });
    } catch (e) {
      if (e instanceof InputError) throw new UsageError(e.message);
      throw e;
    }
    io.out(values.json ? jsonText(result) + '\n' : dnsblToText(result) + '\n');
    if (result.listed.length > 0) return 1;
    return dnsblDecided(result) ? 0 : 2;
  },
});

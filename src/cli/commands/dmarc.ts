import { checkDmarc, InputError } from '../../core/dmarc/check';
import { dmarcToText } from '../../core/dmarc/text';
import { jsonText } from '../../core/escape';
import { defineCommand, DNS_OPTIONS, resolverFrom, UsageError } from '../shared';

export const dmarcCommand = defineCommand({
  name: 'dmarc',
  summary: "a domain's DMARC policy as receivers find it: its own or its organizational domain's record, every tag explained, report authorization",
  args: '<domain|address>',
  about: [
    "Looks up the DMARC record at _dmarc.<domain> and, when there is none, at _dmarc.<organizational domain> (RFC 7489 §6.6.3; the organizational domain comes from the Public Suffix List bundled with maildns, whose date the report shows). Explains every tag, says which policy (p, sp or np) applies to the domain, and checks that report addresses in other domains have agreed to receive reports (the <domain>._report._dmarc.<host> record, RFC 7489 §7.1).",
    'An address (alice@example.com) or a From header (From: Alice <alice@example.com>) checks the domain of the address. Without a record, the report gives the record to publish and when to tighten it. Finding codes: docs/dmarc-dkim.md.',
  ],
  options: DNS_OPTIONS,
  examples: ['maildns dmarc example.com', 'maildns dmarc alice@mail.example.com --resolver 127.0.0.1:5353 --json'],
  exit: '0 a policy receivers apply (p=none included, with its warnings), 1 no record or a record receivers cannot use (or an error finding), 2 DNS trouble or bad input.',
  async main({ values, positionals }, io, signal) {
    if (positionals.length !== 1) {
      throw new UsageError(positionals.length === 0 ? 'dmarc needs a domain: maildns dmarc <domain|address>' : `dmarc takes one domain or address, got ${positionals.length} arguments: ${positionals.join(' ')}`);
    }
    const resolver = resolverFrom(values);
    let result;
    try {
      result = await checkDmarc(positionals[0], { resolver, signal });
    } catch (e) {
      if (e instanceof InputError) throw new UsageError(e.message);
      throw e;
    }
    io.out(values.json ? jsonText(result) + '\n' : dmarcToText(result) + '\n');
    if (result.verdict === 'temperror') return 2;
    if (result.verdict === 'none' || result.verdict === 'broken' || result.findings.some((f) => f.severity === 'error' && !f.code.startsWith('dns-'))) return 1;
    return 0;
  },
});

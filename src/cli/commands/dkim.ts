import { checkDkimKey, InputError } from '../../core/dkim/check';
import { COMMON_SELECTORS } from '../../core/dkim/selectors';
import { dkimToText } from '../../core/dkim/text';
import { jsonText } from '../../core/escape';
import { defineCommand, DNS_OPTIONS, resolverFrom, UsageError } from '../shared';

export const dkimCommand = defineCommand({
  name: 'dkim',
  summary: 'the DKIM key at <selector>._domainkey.<domain>: every tag, the key type and size, revoked and testing keys, CNAME-delegated selectors',
  args: '[<selector>] <domain>',
  about: [
    "Looks up the TXT record at <selector>._domainkey.<domain> (RFC 6376 §3.6.2), follows a CNAME to a mail provider's key, and reads every tag (v, k, p, t, h, s, n): the RSA key's size (under 1024 bits fails, 1024 warns, 2048 or more is good) or an ed25519 key (RFC 8463), a revoked key (empty p=), testing mode (t=y), and records verifiers refuse.",
    `Without a selector, the common ones are tried in parallel (${COMMON_SELECTORS.map((c) => c.selector).join(', ')}): DKIM selectors cannot be listed from DNS. The s= tag of a DKIM-Signature in a message the domain sent names the one it uses. The key name may also be given whole: maildns dkim s1._domainkey.example.com.`,
    'Finding codes: docs/dmarc-dkim.md (DKIM).',
  ],
  options: DNS_OPTIONS,
  examples: [
    'maildns dkim s1 example.com',
    'maildns dkim s1._domainkey.example.com --json',
    'maildns dkim example.com  # tries the common selectors',
  ],
  exit: '0 a usable key was found, 1 no key at the selector or the key is unusable (revoked, too small, a syntax error), 2 DNS trouble, bad input, or no selector given and none of the common ones has a key.',
  async main({ values, positionals }, io, signal) {
    if (positionals.length === 0 || positionals.length > 2) {
      throw new UsageError(positionals.length === 0 ? 'dkim needs a domain: maildns dkim [<selector>] <domain>' : `dkim takes a selector and a domain, got ${positionals.length} arguments: ${positionals.join(' ')}`);
    }
    const [selector, domain] = positionals.length === 2 ? positionals : [positionals[0], undefined];
    const resolver = resolverFrom(values);
    let result;
    try {
      result = positionals.length === 2 ? await checkDkimKey(selector, domain!, { resolver, signal }) : await checkDkimKey(undefined, selector, { resolver, signal });
    } catch (e) {
      if (e instanceof InputError) throw new UsageError(e.message);
      throw e;
    }
    io.out(values.json ? jsonText(result) + '\n' : dkimToText(result) + '\n');
    const usable = result.lookups.some((l) => l.parsed?.usable && !l.parsed.revoked);
    const errors = result.findings.some((f) => f.severity === 'error' && !f.code.startsWith('dns-'));
    if (usable && !errors) return 0;
    if (result.selector === null && result.found.length === 0) return 2;
    if (result.record === null && result.findings.some((f) => f.code.startsWith('dns-'))) return 2;
    return 1;
  },
});

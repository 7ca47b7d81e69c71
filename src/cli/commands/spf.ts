import { jsonText } from '../../core/escape';
import { checkHost, domainProblem, InputError } from '../../core/spf/check';
import { spfToText } from '../../core/spf/text';
import { parseIp } from '../../core/ip';
import { defineCommand, DNS_OPTIONS, resolverFrom, UsageError } from '../shared';

export const spfCommand = defineCommand({
  name: 'spf',
  summary: 'SPF check_host() (RFC 7208): result, explanation, Received-SPF header and the whole evaluation tree',
  args: '<ip> <domain|sender>',
  about: [
    'Evaluates the domain\'s SPF record for the IP exactly as a receiver does: every record and term in order, includes and redirects followed, each term with its RFC 7208 section and the DNS queries it made (with the dig command that repeats each), DNS lookups against the limit of 10 and void lookups against 2, the explanation a receiver gives for a fail, and the Received-SPF header it would add.',
    'The sender is postmaster@<domain> unless an address is given as <domain> or with --sender; <domain> equal to --helo checks the HELO identity (RFC 7208 §2.3). Finding codes: docs/spf.md.',
  ],
  options: [
    { name: 'sender', kind: 'string', value: 'addr|<>', description: 'the envelope sender (MAIL FROM) for %{l} and %{s} macros; <> is the null sender, checked as postmaster@<domain> with <domain> the HELO name (RFC 7208 §2.4)' },
    { name: 'helo', kind: 'string', value: 'name', description: 'the HELO/EHLO name, for %{h} macros and the Received-SPF header' },
    ...DNS_OPTIONS,
  ],
  examples: ['maildns spf 203.0.113.100 example.net', 'maildns spf 203.0.113.100 alice@example.net --helo mail.example.net', 'maildns spf 2001:db8::25 example.net --resolver 127.0.0.1:5353 --json'],
  exit: '0 pass, 1 any other definite result (fail, softfail, neutral, none, permerror), 2 temperror (DNS trouble) or bad input.',
  async main({ values, positionals }, io, signal) {
    if (positionals.length !== 2) {
      throw new UsageError(
        positionals.length < 2
          ? `spf needs an IP address and a domain: maildns spf <ip> <domain> (got ${positionals.length === 0 ? 'neither' : 'only ' + JSON.stringify(positionals[0])})`
          : `spf takes an IP address and a domain, got ${positionals.length} arguments: ${positionals.join(' ')}`,
      );
    }
    const [ipText, target] = positionals;
    const ip = parseIp(ipText);
    if (!ip.ok) throw new UsageError(`ip: ${ip.error}`);
    // <domain> may be given as an address: then it is also the sender.
    const at = target.lastIndexOf('@');
    const domain = (at >= 0 ? target.slice(at + 1) : target).replace(/\.$/, '');
    const bad = domainProblem(domain);
    if (bad) throw new UsageError(`domain: ${bad}`);
    let sender = at >= 0 ? target : `postmaster@${domain}`;
    let envelopeFrom = sender;
    if (values.sender !== undefined) {
      const s = values.sender.trim();
      if (s === '' || s === '<>') {
        // RFC 7208 §2.4: the null sender is checked as postmaster@<HELO name>; give that name as <domain>.
        sender = `postmaster@${domain}`;
        envelopeFrom = '';
      } else if (!s.includes('@')) {
        throw new UsageError(`--sender ${JSON.stringify(s)} is not an address: expected local-part@domain, or <> for the null sender`);
      } else {
        sender = s.replace(/^<(.*)>$/, '$1');
        envelopeFrom = sender;
      }
    }
    // RFC 7208 §2.3: <domain> equal to the HELO name (and no sender given) checks the HELO identity.
    const identity = values.helo !== undefined && values.sender === undefined && at < 0 && values.helo.replace(/\.$/, '').toLowerCase() === domain.toLowerCase() ? 'helo' : 'mailfrom';
    const resolver = resolverFrom(values);
    let result;
    try {
      result = await checkHost(
        { ip: ip.ip, domain, sender, envelopeFrom, identity, ...(values.helo !== undefined ? { helo: values.helo } : {}) },
        { resolver, signal },
      );
    } catch (e) {
      if (e instanceof InputError) throw new UsageError(e.message);
      throw e;
    }
    io.out(values.json ? jsonText(result) + '\n' : spfToText(result) + '\n');
    return result.result === 'pass' ? 0 : result.result === 'temperror' ? 2 : 1;
  },
});

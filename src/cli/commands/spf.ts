import { parseArgs } from 'node:util';
import { checkHost, domainProblem, InputError } from '../../core/spf/check';
import { spfToText } from '../../core/spf/text';
import { parseIp } from '../../core/ip';
import { type CliCommand, DNS_OPTIONS, resolverFrom, UsageError } from '../shared';

export const spfCommand: CliCommand = {
  name: 'spf',
  summary: 'SPF check_host() (RFC 7208): result, explanation, Received-SPF header and the whole evaluation tree',
  usage: 'maildns spf <ip> <domain|sender> [--sender addr|<>] [--helo name] [--resolver host[:port]]... [--timeout ms] [--json]',
  async run(args, io, signal) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { ...DNS_OPTIONS, sender: { type: 'string' }, helo: { type: 'string' } },
    });
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
    io.out(values.json ? JSON.stringify(result, null, 2) + '\n' : spfToText(result) + '\n');
    return result.result === 'pass' ? 0 : result.result === 'temperror' ? 2 : 1;
  },
};

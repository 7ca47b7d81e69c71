import { jsonText } from '../../core/escape';
import { InputError } from '../../core/rdns/check';
import { sendAs } from '../../core/spf/sendas';
import { sendAsToText } from '../../core/spf/text';
import { defineCommand, DNS_OPTIONS, resolverFrom, UsageError } from '../shared';

export const sendAsCommand = defineCommand({
  name: 'send-as',
  summary: "Can this server send as @domain? That domain's SPF for the IP, the IP's reverse DNS, where replies go, and the TXT record to publish",
  args: '<ip> <from-domain>',
  about: [
    "The \"send mail as a different domain\" question: a server is to send mail From: …@<from-domain>. Receivers look SPF up under the envelope sender's domain, so the answer is <from-domain>'s SPF for the IP (the whole evaluation, as maildns spf shows it), and when it does not authorize the IP, the exact TXT record to publish in <from-domain>'s DNS: the address added before the term that would otherwise decide, costing no DNS lookup.",
    "Also shown: the IP's reverse DNS (the PTR may stay on the server's own domain as long as it resolves back) and where replies to @<from-domain> go (its MX).",
  ],
  options: DNS_OPTIONS,
  examples: ['maildns send-as 203.0.113.25 example.org', 'maildns send-as 203.0.113.25 example.org --resolver 127.0.0.1:5353 --json'],
  exit: "0 SPF authorizes the IP and its reverse DNS is forward-confirmed, 1 otherwise, 2 DNS trouble or bad input.",
  async main({ values, positionals }, io, signal) {
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
    io.out(values.json ? jsonText(result) + '\n' : sendAsToText(result) + '\n');
    // 0: SPF authorizes the IP and its reverse DNS is forward-confirmed; 2: DNS trouble; 1: otherwise.
    if (result.authorized === null || result.rdns.fcrdns === 'temperror') return 2;
    return result.authorized && result.rdns.fcrdns === 'pass' ? 0 : 1;
  },
});

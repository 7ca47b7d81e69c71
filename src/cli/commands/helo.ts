import { jsonText } from '../../core/escape';
import { checkHelo, InputError } from '../../core/helo/check';
import { heloStatus, heloToText } from '../../core/helo/text';
import { heloRejectCodes } from '../../core/receivers/knobs';
import { readReceiverKnobsFile, RECEIVERS_OPTION } from '../receiversOption';
import { defineCommand, DNS_OPTIONS, resolverFrom, UsageError } from '../shared';

export const heloCommand = defineCommand({
  name: 'helo',
  summary: 'HELO/EHLO name: syntax, FQDN, DNS, match with the IP and its PTR, HELO SPF, Postfix verdicts with their replies',
  args: '<name>',
  about: [
    "Checks the name a server says in HELO/EHLO as receivers do: RFC 5321 syntax (address literals included), fully qualified, its A/AAAA/MX records, whether it resolves to the sending IP and is that IP's PTR name, and the HELO identity's SPF. Says what Postfix's reject_invalid_helo_hostname, reject_non_fqdn_helo_hostname and reject_unknown_helo_hostname reply, and where the name is set in Postfix, Exchange, Sendmail, Exim and others.",
    'Finding codes: docs/mail-checks.md.',
  ],
  options: [{ name: 'ip', kind: 'string', value: 'ip', description: 'the sending IP: checks that the name resolves to it and is its PTR name' }, RECEIVERS_OPTION, ...DNS_OPTIONS],
  examples: ['maildns helo dyna-web --ip 203.0.113.100', 'maildns helo mail.example.net --ip 203.0.113.25 --json'],
  exit: '0 no error findings and no Postfix reject, 1 an error finding or a Postfix reject, 2 DNS trouble left a verdict open, or bad input.',
  async main({ values, positionals }, io, signal) {
    if (positionals.length !== 1) {
      throw new UsageError(
        positionals.length === 0
          ? 'helo needs the name the server sends in HELO/EHLO: maildns helo <name> [--ip ip]'
          : `helo takes one name, got ${positionals.length} arguments: ${positionals.join(' ')} (quote a name with spaces)`,
      );
    }
    const resolver = resolverFrom(values);
    const knobs = values.receivers === undefined ? undefined : await readReceiverKnobsFile(values.receivers);
    let result;
    try {
      result = await checkHelo(positionals[0], { ...(values.ip !== undefined ? { ip: values.ip } : {}), resolver, signal, postfixCodes: heloRejectCodes(knobs) });
    } catch (e) {
      if (e instanceof InputError) throw new UsageError(e.message);
      throw e;
    }
    io.out(values.json ? jsonText(result) + '\n' : heloToText(result) + '\n');
    const status = heloStatus(result);
    if (status === 'fail') return 1;
    // DNS trouble kept a verdict open.
    if (result.findings.some((f) => f.code.startsWith('dns-')) || Object.values(result.postfix).includes('defer')) return 2;
    return 0;
  },
});

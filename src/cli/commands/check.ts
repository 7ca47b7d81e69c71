import { jsonText } from '../../core/escape';
import { MAX_SMTP_TIMEOUT_MS } from '../../core/limits';
import { checkMailServer, InputError, mailCheckExit } from '../../core/mailcheck/check';
import { mailCheckToText } from '../../core/mailcheck/text';
import { parseHostPort } from '../../core/smtp/probe';
import { defineCommand, DNS_OPTIONS, resolverFrom, UsageError } from '../shared';
import { readReceiverKnobsFile, RECEIVERS_OPTION } from '../receiversOption';

export const checkCommand = defineCommand({
  name: 'check',
  summary: 'The whole mail-server checklist: rDNS, HELO, SPF (From domain and HELO), DKIM, DMARC, MX, blocklists, optionally an SMTP probe; alignment and what Gmail, Yahoo and Outlook.com require',
  args: '<ip>',
  about: [
    "Runs every check a receiver runs on a sending server at once and answers \"why do my mails bounce, and what exactly do I change?\": a row per check (reverse DNS, the HELO name, SPF for the From domain and for the HELO name, the From domain's DKIM key and DMARC policy, its MX, the blocklists and, with --smtp, an SMTP probe), each with pass / warning / fail, what it found and its fix; then what to change, most important first.",
    "Then whether SPF and DKIM could align with the From domain under its DMARC record (a signature itself can only be verified in a message: maildns verify), and what Gmail, Yahoo and Outlook.com require of senders, with where this server stands on each and the provider's page.",
    'Without --dkim-selector the common DKIM selectors are tried: selectors cannot be listed from DNS, so give the s= of a DKIM-Signature of a message the server sent.',
    'The rows are the commands maildns rdns, helo, spf, dkim, dmarc, mx, dnsbl and smtp; run those for every detail. Codes and exit statuses: docs/mail-checks.md.',
  ],
  options: [
    { name: 'helo', kind: 'string', value: 'name', required: true, description: 'the name the server sends in HELO/EHLO' },
    { name: 'from', kind: 'string', value: 'domain', required: true, description: 'the domain of its From (and envelope sender) addresses' },
    { name: 'dkim-selector', kind: 'string', value: 'selector', description: 'the DKIM selector the server signs with (s= of its DKIM-Signature); default: the common selectors are tried' },
    { name: 'smtp', kind: 'flag', description: 'also probe SMTP on the IP, port 25' },
    { name: 'smtp-host', kind: 'string', value: 'host[:port]', description: 'probe SMTP on this host and port instead of the IP' },
    { name: 'smtp-timeout', kind: 'int', value: 'ms', default: 30_000, min: 1, max: MAX_SMTP_TIMEOUT_MS, description: "the SMTP probe's wait for the connection, the greeting and each reply" },
    { name: 'zone', kind: 'string', value: 'zone', multiple: true, description: 'a blocklist to ask instead of the default lists; repeatable' },
    RECEIVERS_OPTION,
    ...DNS_OPTIONS,
  ],
  examples: [
    'maildns check 203.0.113.100 --helo web6.example.net --from example.net',
    'maildns check 203.0.113.25 --helo smtp.example.net --from example.net --dkim-selector s1',
    'maildns check 203.0.113.100 --helo web6.example.net --from example.net --smtp --json',
  ],
  exit: '0 no row fails, 1 a row fails, 2 nothing fails but some row could not decide (DNS trouble, a silent SMTP port), or bad input.',
  async main({ values, positionals }, io, signal) {
    if (positionals.length !== 1) {
      throw new UsageError(positionals.length === 0 ? 'check needs the sending IP: maildns check <ip> --helo <name> --from <domain>' : `check takes one IP address, got ${positionals.length} arguments: ${positionals.join(' ')}`);
    }
    let smtp: boolean | { host: string; port: number } = values.smtp;
    if (values['smtp-host'] !== undefined) {
      const hp = parseHostPort(values['smtp-host']);
      if ('error' in hp) throw new UsageError(`--smtp-host: ${hp.error}`);
      smtp = hp;
    }
    const receivers = values.receivers === undefined ? undefined : await readReceiverKnobsFile(values.receivers);
    const resolver = resolverFrom(values);
    let result;
    try {
      result = await checkMailServer(
        { ip: positionals[0], helo: values.helo, fromDomain: values.from, smtp, ...(values['dkim-selector'] !== undefined ? { dkimSelector: values['dkim-selector'] } : {}) },
        { resolver, signal, smtpTimeoutMs: values['smtp-timeout'], ...(values.zone.length > 0 ? { dnsblZones: values.zone } : {}), ...(receivers ? { receivers } : {}) },
      );
    } catch (e) {
      if (e instanceof InputError) throw new UsageError(e.message);
      throw e;
    }
    io.out(values.json ? jsonText(result) + '\n' : mailCheckToText(result) + '\n');
    return mailCheckExit(result);
  },
});

import { parseArgs } from 'node:util';
import { checkMailServer, InputError, mailCheckExit } from '../../core/mailcheck/check';
import { mailCheckToText } from '../../core/mailcheck/text';
import { parseHostPort } from '../../core/smtp/probe';
import { type CliCommand, DNS_OPTIONS, positiveInt, resolverFrom, UsageError } from '../shared';

export const checkCommand: CliCommand = {
  name: 'check',
  summary: 'The whole mail-server checklist: rDNS, HELO, SPF (From domain and HELO), MX, blocklists, optionally an SMTP probe',
  usage: 'maildns check <ip> --helo <name> --from <domain> [--smtp] [--smtp-host host[:port]] [--zone zone]... [--resolver host[:port]]... [--timeout ms] [--json]',
  async run(args, io, signal) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        ...DNS_OPTIONS,
        helo: { type: 'string' },
        from: { type: 'string' },
        smtp: { type: 'boolean', default: false },
        'smtp-host': { type: 'string' },
        'smtp-timeout': { type: 'string' },
        zone: { type: 'string', multiple: true },
      },
    });
    if (positionals.length !== 1) {
      throw new UsageError(positionals.length === 0 ? 'check needs the sending IP: maildns check <ip> --helo <name> --from <domain>' : `check takes one IP address, got ${positionals.length} arguments: ${positionals.join(' ')}`);
    }
    if (values.helo === undefined) throw new UsageError('check needs --helo <name>: the name the server sends in HELO/EHLO');
    if (values.from === undefined) throw new UsageError('check needs --from <domain>: the domain of the From address');
    let smtp: boolean | { host: string; port: number } = values.smtp;
    if (values['smtp-host'] !== undefined) {
      const hp = parseHostPort(values['smtp-host']);
      if ('error' in hp) throw new UsageError(`--smtp-host: ${hp.error}`);
      smtp = hp;
    }
    const resolver = resolverFrom(values);
    let result;
    try {
      result = await checkMailServer(
        { ip: positionals[0], helo: values.helo, fromDomain: values.from, smtp },
        { resolver, signal, smtpTimeoutMs: positiveInt(values['smtp-timeout'], '--smtp-timeout', 30_000), ...(values.zone ? { dnsblZones: values.zone } : {}) },
      );
    } catch (e) {
      if (e instanceof InputError) throw new UsageError(e.message);
      throw e;
    }
    io.out(values.json ? JSON.stringify(result, null, 2) + '\n' : mailCheckToText(result) + '\n');
    return mailCheckExit(result);
  },
};

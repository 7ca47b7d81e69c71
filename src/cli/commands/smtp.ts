import { parseArgs } from 'node:util';
import { parseHostPort, probeSmtp, InputError } from '../../core/smtp/probe';
import { smtpToText } from '../../core/smtp/text';
import { type CliCommand, DNS_OPTIONS, positiveInt, resolverFrom, UsageError } from '../shared';

export const smtpCommand: CliCommand = {
  name: 'smtp',
  summary: 'SMTP probe: greeting, EHLO, extensions, STARTTLS certificate, and the names the server gives itself against its DNS',
  usage: 'maildns smtp <host>[:port] [--ehlo name] [--smtp-timeout ms] [--no-starttls] [--resolver host[:port]]... [--timeout ms] [--json]',
  async run(args, io, signal) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { ...DNS_OPTIONS, ehlo: { type: 'string' }, 'smtp-timeout': { type: 'string' }, 'no-starttls': { type: 'boolean', default: false } },
    });
    if (positionals.length !== 1) {
      throw new UsageError(positionals.length === 0 ? 'smtp needs a host: maildns smtp <host>[:port]' : `smtp takes one host, got ${positionals.length} arguments: ${positionals.join(' ')}`);
    }
    const hp = parseHostPort(positionals[0]);
    if ('error' in hp) throw new UsageError(`host: ${hp.error}`);
    const resolver = resolverFrom(values);
    let result;
    try {
      result = await probeSmtp(hp.host, hp.port, {
        resolver,
        signal,
        timeoutMs: positiveInt(values['smtp-timeout'], '--smtp-timeout', 30_000),
        starttls: !values['no-starttls'],
        ...(values.ehlo !== undefined ? { ehloName: values.ehlo } : {}),
      });
    } catch (e) {
      if (e instanceof InputError) throw new UsageError(e.message);
      throw e;
    }
    io.out(values.json ? JSON.stringify(result, null, 2) + '\n' : smtpToText(result) + '\n');
    // A silent port or a failed lookup cannot tell a broken server from a blocked network: undecided.
    if (result.findings.some((f) => f.code === 'smtp-connect-timeout' || f.code.startsWith('dns-'))) return 2;
    return result.findings.some((f) => f.severity === 'error') ? 1 : 0;
  },
};

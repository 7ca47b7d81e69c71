import { jsonText } from '../../core/escape';
import { MAX_SMTP_TIMEOUT_MS } from '../../core/limits';
import { parseHostPort, probeSmtp, InputError } from '../../core/smtp/probe';
import { smtpDecided, smtpToText } from '../../core/smtp/text';
import { defineCommand, DNS_OPTIONS, resolverFrom, UsageError } from '../shared';

export const smtpCommand = defineCommand({
  name: 'smtp',
  summary: 'SMTP probe: greeting, EHLO, extensions, STARTTLS certificate, and the names the server gives itself against its DNS',
  args: '<host>[:port]',
  about: [
    "Connects to the server (port 25 unless given; IPv6 as [addr]:port), waits for the greeting (through greeting delays up to --smtp-timeout), says EHLO, lists the extensions, tries STARTTLS and reads the certificate's names and expiry, then QUITs. The names in the greeting and the EHLO reply are checked against the server's PTR and A records. Everything the server sends is shown as text, bounded, and the transcript line by line.",
    'Finding codes: docs/mail-checks.md.',
  ],
  options: [
    { name: 'ehlo', kind: 'string', value: 'name', description: "the name to say in EHLO (default: this machine's name if fully qualified, else an address literal)" },
    { name: 'smtp-timeout', kind: 'int', value: 'ms', default: 30_000, min: 1, max: MAX_SMTP_TIMEOUT_MS, description: 'how long to wait for the connection, the greeting and each reply' },
    { name: 'no-starttls', kind: 'flag', description: 'do not try STARTTLS' },
    ...DNS_OPTIONS,
  ],
  examples: ['maildns smtp mail.example.net', 'maildns smtp mail.example.net:587 --ehlo probe.example.net', 'maildns smtp [2001:db8::25]:25 --smtp-timeout 60000 --json'],
  exit: '0 the dialogue worked (warnings allowed), 1 an error finding (refused, 554, bad reply, TLS failure, …), 2 a silent port (no connection, or a connection that never greets) or a failed lookup: a broken server cannot be told from a blocked network; or bad input.',
  async main({ values, positionals }, io, signal) {
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
        timeoutMs: values['smtp-timeout'],
        starttls: !values['no-starttls'],
        ...(values.ehlo !== undefined ? { ehloName: values.ehlo } : {}),
      });
    } catch (e) {
      if (e instanceof InputError) throw new UsageError(e.message);
      throw e;
    }
    io.out(values.json ? jsonText(result) + '\n' : smtpToText(result) + '\n');
    if (!smtpDecided(result)) return 2;
    return result.findings.some((f) => f.severity === 'error') ? 1 : 0;
  },
});

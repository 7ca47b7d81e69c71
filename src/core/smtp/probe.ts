// "Probe SMTP server": connect, read the greeting, EHLO, STARTTLS, QUIT — and compare the names the
// server gives itself with its DNS, as the seed admin did with telnet.
//
// RFC 5321 §3.1 (greeting; 554 means "no SMTP service here"), §3.2 (EHLO, falling back to HELO),
// §4.2 (reply format), §4.5.3.2 (timeouts: servers may delay the greeting; clients wait minutes),
// RFC 3207 (STARTTLS: 220, then the TLS handshake, then EHLO again, forgetting what was said before).
//
// Everything the server sends is a stranger's data: lines and the session's total are bounded
// (./reply.ts), text is kept with control characters escaped, and the certificate is read, never
// trusted: a self-signed or expired certificate is reported, the probe goes on.
import * as net from 'node:net';
import * as os from 'node:os';
import * as tls from 'node:tls';
import { isTemporary, abortError, type Resolver } from '../dns/types';
import { canonicalIp, decimalPort, parseIp, reverseName, specialPurpose } from '../ip';
import type { Finding } from '../model';
import { InputError } from '../rdns/check';
import { DEFAULT_LIMITS, escapeText, ReplyReader, type ParsedReply, type ReaderLimits } from './reply';
import type { CertificateInfo, EhloExtension, ServerNameCheck, SmtpProbeResult, SmtpReplyData, TranscriptLine } from './types';

export { InputError };

export interface SmtpProbeOptions {
  resolver: Resolver;
  /** The name to send in EHLO (default: this machine's name if fully qualified, else an address literal). */
  ehloName?: string;
  /** Wait for the connection, the greeting, and each reply, in ms (default 30000). */
  timeoutMs?: number;
  /** Try STARTTLS when offered (default true). */
  starttls?: boolean;
  signal?: AbortSignal;
  limits?: Partial<ReaderLimits>;
  /** The clock, for certificate expiry (tests). */
  now?: () => number;
}

type ReadOutcome =
  | { ok: true; reply: ParsedReply; ms: number }
  | { ok: false; kind: 'timeout' | 'closed' | 'reset' | 'line-too-long' | 'too-much-data' | 'malformed' | 'too-many-lines'; message: string; partial: string[]; ms: number };

/** One TCP (later TLS) connection and the dialogue on it. */
class Session {
  readonly transcript: TranscriptLine[] = [];
  private reader: ReplyReader;
  private replies: ParsedReply[] = [];
  private failure: Exclude<ReadOutcome, { ok: true }> | undefined;
  private waiter: (() => void) | undefined;
  private socket: net.Socket;
  private tlsActive = false;
  private readonly opened = Date.now();
  firstByteMs: number | undefined;
  /** Bytes that arrived after a reply when none was expected (pipelining violations, injected data). */
  private onData = (chunk: Buffer) => {
    this.firstByteMs ??= Date.now() - this.opened;
    if (this.failure) return;
    for (const ev of this.reader.feed(chunk)) {
      if (ev.kind === 'reply') {
        this.replies.push(ev.reply);
      } else {
        this.failure = { ok: false, kind: ev.error, message: ev.message, partial: ev.partial, ms: 0 };
        this.socket.destroy();
        break;
      }
    }
    this.waiter?.();
  };
  private onEnd = (err?: Error) => {
    if (!this.failure) {
      const code = (err as NodeJS.ErrnoException | undefined)?.code;
      this.failure = {
        ok: false,
        kind: code === 'ECONNRESET' || code === 'EPIPE' ? 'reset' : 'closed',
        message: code === 'ECONNRESET' ? 'the server reset the connection' : err ? `connection error: ${err.message}` : 'the server closed the connection',
        partial: this.reader.partial(),
        ms: 0,
      };
    }
    this.waiter?.();
  };

  constructor(
    socket: net.Socket,
    private readonly limits: ReaderLimits,
  ) {
    this.socket = socket;
    this.reader = new ReplyReader(limits, (line) => this.log('S', line));
    this.attach(socket);
  }

  private readBefore = 0;
  get bytesRead(): number {
    return this.readBefore + this.reader.total;
  }

  private readonly errorHandler = (e: Error) => this.onEnd(e);
  private readonly closeHandler = () => this.onEnd();

  private attach(s: net.Socket): void {
    s.on('data', this.onData);
    s.on('error', this.errorHandler);
    s.on('close', this.closeHandler);
  }

  private detach(s: net.Socket): void {
    s.off('data', this.onData);
    s.off('error', this.errorHandler);
    s.off('close', this.closeHandler);
  }

  log(dir: 'S' | 'C', text: string): void {
    if (this.transcript.length < 500) this.transcript.push({ dir, text: text.slice(0, this.limits.maxLine), ms: Date.now() - this.opened, tls: this.tlsActive });
  }

  /** The next complete reply, or why there is none within `timeoutMs`. */
  readReply(timeoutMs: number, signal?: AbortSignal): Promise<ReadOutcome> {
    const started = Date.now();
    return new Promise<ReadOutcome>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const finish = (o: ReadOutcome | Error) => {
        clearTimeout(timer);
        this.waiter = undefined;
        signal?.removeEventListener('abort', onAbort);
        if (o instanceof Error) reject(o);
        else resolve(o);
      };
      const check = () => {
        const r = this.replies.shift();
        if (r) return finish({ ok: true, reply: r, ms: Date.now() - started });
        if (this.failure) return finish({ ...this.failure, ms: Date.now() - started });
      };
      const onAbort = () => {
        this.socket.destroy();
        finish(abortError(signal));
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiter = check;
      timer = setTimeout(() => finish({ ok: false, kind: 'timeout', message: `no complete reply within ${timeoutMs} ms`, partial: this.reader.partial(), ms: Date.now() - started }), timeoutMs);
      check();
    });
  }

  send(line: string): void {
    this.log('C', line);
    if (!this.socket.destroyed) this.socket.write(line + '\r\n');
  }

  /** Data already received that belongs to no reply read yet (a reply, a partial line, or garbage). */
  leftover(): boolean {
    return this.reader.pendingBytes() > 0 || this.replies.length > 0 || (this.failure !== undefined && this.failure.kind !== 'closed' && this.failure.kind !== 'reset');
  }

  /** Why the connection cannot go on, if it cannot. */
  broken(): string | undefined {
    if (this.failure) return this.failure.message;
    if (this.socket.destroyed) return 'the connection is closed';
    return undefined;
  }

  /** RFC 3207 §4: hand the socket to TLS. Data received before the handshake is discarded. */
  async startTls(servername: string | undefined, timeoutMs: number, signal?: AbortSignal): Promise<{ ok: true; socket: tls.TLSSocket } | { ok: false; error: string }> {
    const broken = this.broken();
    if (broken) return { ok: false, error: broken };
    this.detach(this.socket);
    const used = this.reader.total;
    this.reader = new ReplyReader({ ...this.limits, maxTotal: Math.max(0, this.limits.maxTotal - used) }, (line) => this.log('S', line));
    this.readBefore = used;
    this.replies = [];
    const raw = this.socket;
    return new Promise((resolve, reject) => {
      const t = tls.connect({ socket: raw, ...(servername ? { servername } : {}), rejectUnauthorized: false });
      let timer: NodeJS.Timeout | undefined = setTimeout(() => done({ ok: false, error: `no TLS handshake within ${timeoutMs} ms` }), timeoutMs);
      const onAbort = () => {
        t.destroy();
        clearTimeout(timer);
        reject(abortError(signal));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = (r: { ok: true; socket: tls.TLSSocket } | { ok: false; error: string }) => {
        if (!timer) return;
        clearTimeout(timer);
        timer = undefined;
        signal?.removeEventListener('abort', onAbort);
        t.off('error', onError);
        if (r.ok) {
          this.socket = t;
          this.tlsActive = true;
          this.attach(t);
        } else {
          t.destroy();
        }
        resolve(r);
      };
      const onError = (e: Error) => done({ ok: false, error: e.message });
      t.once('secureConnect', () => done({ ok: true, socket: t }));
      t.on('error', onError);
      t.once('close', () => done({ ok: false, error: 'the server closed the connection during the TLS handshake' }));
    });
  }

  close(): void {
    this.socket.destroy();
  }
}

function toData(r: ParsedReply, ms: number): SmtpReplyData {
  return { code: r.code, ...(r.enhanced ? { enhanced: r.enhanced } : {}), lines: r.lines, ms };
}

/** The first word of a reply's text: the server's name in a greeting or EHLO reply. */
function firstWord(line: string | undefined): string | undefined {
  const w = (line ?? '').trim().split(/\s+/)[0];
  return w ? w : undefined;
}

function parseExtensions(lines: string[]): EhloExtension[] {
  return lines.slice(1).map((l) => {
    const [kw, ...rest] = l.trim().split(/\s+/);
    return { keyword: (kw ?? '').toUpperCase(), params: rest.join(' ') };
  });
}

function connect(host: string, port: number, timeoutMs: number, signal?: AbortSignal): Promise<{ ok: true; socket: net.Socket; ms: number } | { ok: false; code: string; message: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const s = net.connect({ host, port });
    const timer = setTimeout(() => {
      s.destroy();
      finish();
      resolve({ ok: false, code: 'TIMEOUT', message: `no answer to the connection attempt within ${timeoutMs} ms`, ms: Date.now() - started });
    }, timeoutMs);
    const onAbort = () => {
      s.destroy();
      finish();
      reject(abortError(signal));
    };
    const finish = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      s.removeAllListeners('connect');
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    s.once('connect', () => {
      finish();
      s.removeAllListeners('error');
      resolve({ ok: true, socket: s, ms: Date.now() - started });
    });
    s.once('error', (e: NodeJS.ErrnoException) => {
      finish();
      resolve({ ok: false, code: e.code ?? 'ERROR', message: e.message, ms: Date.now() - started });
    });
  });
}

function certInfo(t: tls.TLSSocket, now: number, names: { name: string; role: 'host' | 'greeting' | 'ehlo' }[]): CertificateInfo | undefined {
  const c = t.getPeerCertificate(false);
  if (!c || Object.keys(c).length === 0) return undefined;
  const fmt = (o: object | undefined) =>
    o ? Object.entries(o).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : String(v)}`).join(', ') : '';
  const san = (c.subjectaltname ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x.startsWith('DNS:'))
    .map((x) => x.slice(4).toLowerCase());
  const cn = typeof c.subject?.CN === 'string' ? c.subject.CN : undefined;
  // The dates are the server's: OpenSSL prints an unreadable one as "Bad time value", which is no
  // date at all. Such a certificate is reported (smtp-cert-bad-date), never trusted for expiry.
  const validTo = certDate(c.valid_to);
  const validFrom = certDate(c.valid_from);
  const unreadable = [
    ...(validFrom ? [] : [`notBefore ${JSON.stringify(escapeText(String(c.valid_from ?? '')).slice(0, 60))}`]),
    ...(validTo ? [] : [`notAfter ${JSON.stringify(escapeText(String(c.valid_to ?? '')).slice(0, 60))}`]),
  ];
  const err = t.authorizationError ? String(t.authorizationError) : undefined;
  const selfSigned = err === 'DEPTH_ZERO_SELF_SIGNED_CERT' || err === 'SELF_SIGNED_CERT_IN_CHAIN' || fmt(c.subject) === fmt(c.issuer);
  const matches = names.map((n) => ({ ...n, ok: tls.checkServerIdentity(n.name, c) === undefined }));
  return {
    subject: escapeText(fmt(c.subject)),
    issuer: escapeText(fmt(c.issuer)),
    names: (san.length > 0 ? san : cn ? [cn.toLowerCase()] : []).map(escapeText),
    validFrom: validFrom?.toISOString() ?? '',
    validTo: validTo?.toISOString() ?? '',
    daysLeft: validTo ? Math.floor((validTo.getTime() - now) / 86_400_000) : null,
    expired: validTo ? validTo.getTime() < now : false,
    notYetValid: validFrom ? validFrom.getTime() > now : false,
    ...(unreadable.length > 0 ? { unreadableDates: unreadable.join(', ') } : {}),
    selfSigned,
    authorized: t.authorized,
    ...(err ? { authorizationError: err } : {}),
    fingerprint256: c.fingerprint256 ?? '',
    matches,
  };
}

/** A certificate date as Node gives it ("Mar  2 03:56:57 2027 GMT"), or undefined when it is none. */
function certDate(text: string | undefined): Date | undefined {
  if (typeof text !== 'string') return undefined;
  const d = new Date(text);
  return Number.isFinite(d.getTime()) ? d : undefined;
}

/** `host`, `host:port`, `[v6]:port`, `v4:port` or a bare IPv6 address. */
export function parseHostPort(text: string, defaultPort = 25): { host: string; port: number } | { error: string } {
  const t = text.trim();
  let host = t;
  let portText: string | undefined;
  const br = /^\[([^\]]+)\](?::(\d+))?$/.exec(t);
  if (br) {
    host = br[1];
    portText = br[2];
  } else if ((t.match(/:/g) ?? []).length === 1) {
    [host, portText] = t.split(':');
  }
  if (host === '') return { error: `no host in ${JSON.stringify(text)}` };
  const port = portText === undefined ? defaultPort : decimalPort(portText);
  if (port === undefined) return { error: `port ${JSON.stringify(portText)} must be a number from 1 to 65535` };
  if (!parseIp(host).ok && !/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*\.?$/.test(host)) return { error: `${JSON.stringify(host)} is neither an IP address nor a host name` };
  return { host, port };
}

function defaultEhloName(localAddress: string | undefined): string {
  const h = os.hostname();
  if (h.includes('.') && /^[A-Za-z0-9.-]+$/.test(h) && !h.endsWith('.local')) return h.toLowerCase();
  const ip = localAddress ? parseIp(localAddress) : undefined;
  // RFC 5321 §4.1.4: without a name, an address literal.
  if (ip && ip.ok) return ip.family === 4 ? `[${ip.ip}]` : `[IPv6:${ip.ip}]`;
  return '[127.0.0.1]';
}

const dnsCode = (rcode: string) => (rcode === 'TIMEOUT' ? 'dns-timeout' : rcode === 'SERVFAIL' ? 'dns-servfail' : rcode === 'REFUSED' ? 'dns-refused' : `dns-${rcode.toLowerCase()}`);

export async function probeSmtp(hostText: string, port: number, options: SmtpProbeOptions): Promise<SmtpProbeResult> {
  const { resolver, signal } = options;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const limits: ReaderLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const now = options.now ?? Date.now;
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new InputError(`port ${port} must be a number from 1 to 65535`);
  const hp = parseHostPort(hostText, port);
  if ('error' in hp) throw new InputError(hp.error);
  if (options.ehloName !== undefined && (options.ehloName.trim() === '' || /[\s\u0000-\u001f\u007f]/.test(options.ehloName.trim()))) {
    throw new InputError(`--ehlo ${JSON.stringify(options.ehloName)}: the EHLO name must be one word without control characters`);
  }
  signal?.throwIfAborted();
  const started = Date.now();
  const ipOf = parseIp(hp.host);
  const hostIsName = !ipOf.ok;
  const hostName = hostIsName ? hp.host.replace(/\.$/, '').toLowerCase() : undefined;
  const findings: Finding[] = [];
  const result: SmtpProbeResult = {
    kind: 'smtp',
    host: hostName ?? (ipOf.ok ? ipOf.ip : hp.host),
    port,
    hostIsName,
    addresses: [],
    connected: false,
    starttls: { offered: false, attempted: false },
    serverPtr: [],
    names: [],
    transcript: [],
    bytesRead: 0,
    findings,
    resolvers: resolver.servers(),
    startedAt: new Date(started).toISOString(),
    elapsedMs: 0,
  };
  const finish = () => {
    result.elapsedMs = Date.now() - started;
    return result;
  };

  // --- where to connect --------------------------------------------------------------------------
  if (hostName) {
    const [a, aaaa] = await Promise.all([resolver.lookup(hostName, 'A', { signal }), resolver.lookup(hostName, 'AAAA', { signal })]);
    result.addresses = [...a.records, ...aaaa.records].map((r) => canonicalIp(String(r.data)));
    if (result.addresses.length === 0) {
      const bad = [a, aaaa].find((r) => isTemporary(r.rcode));
      findings.push(
        bad
          ? { code: dnsCode(bad.rcode), severity: 'error', message: `Looking up ${hostName} failed (${bad.error ?? bad.rcode}); there is no address to connect to.`, dig: resolver.dig(hostName, 'A') }
          : {
              code: 'smtp-host-no-address',
              severity: 'error',
              message: `${hostName} has no A or AAAA record (${a.rcode === 'NXDOMAIN' ? 'NXDOMAIN' : 'no data'}): there is nothing to connect to.`,
              dig: resolver.dig(hostName, 'A'),
            },
      );
      return finish();
    }
  } else if (ipOf.ok) {
    result.addresses = [ipOf.ip];
  }
  const address = result.addresses[0];
  result.address = address;
  const ptrLookup = resolver.lookup(reverseName(address), 'PTR', { signal });
  ptrLookup.catch(() => undefined); // awaited later; an abort before then must not go unhandled

  // --- connect and greeting ----------------------------------------------------------------------------
  const conn = await connect(address, port, timeoutMs, signal);
  if (!conn.ok) {
    const where = `${address} port ${port}${hostName ? ` (${hostName})` : ''}`;
    if (conn.code === 'ECONNREFUSED') {
      findings.push({ code: 'smtp-connect-refused', severity: 'error', message: `Connection to ${where} refused: nothing listens there, or a firewall rejects it.` });
    } else if (conn.code === 'TIMEOUT') {
      findings.push({
        code: 'smtp-connect-timeout',
        severity: 'error',
        message: `No answer from ${where} within ${timeoutMs} ms: a firewall drops the connection. Port ${port} blocked? Many ISPs and cloud providers block outgoing port 25 from customer networks; try from another network, or ask the provider.`,
      });
    } else {
      findings.push({ code: 'smtp-connect-error', severity: 'error', message: `Cannot connect to ${where}: ${conn.message} (${conn.code}).` });
    }
    await ptrLookup;
    return finish();
  }
  result.connected = true;
  result.connectMs = conn.ms;
  const session = new Session(conn.socket, limits);
  const local = conn.socket.localAddress;
  const ehloName = options.ehloName?.trim() ?? defaultEhloName(local);

  const fail = (o: Exclude<ReadOutcome, { ok: true }>, stage: string) => {
    const code =
      o.kind === 'timeout'
        ? stage === 'greeting'
          ? 'smtp-greeting-timeout'
          : 'smtp-reply-timeout'
        : o.kind === 'reset'
          ? 'smtp-connection-reset'
          : o.kind === 'closed'
            ? 'smtp-connection-closed'
            : o.kind === 'line-too-long'
              ? 'smtp-line-too-long'
              : o.kind === 'too-much-data' || o.kind === 'too-many-lines'
                ? 'smtp-reply-too-large'
                : 'smtp-bad-reply';
    const partial = o.partial.length > 0 ? ` It had sent: ${o.partial.slice(0, 3).map((l) => JSON.stringify(l.slice(0, 100))).join(' ')}${o.partial.length > 3 ? ' …' : ''}.` : '';
    const hint =
      o.kind === 'timeout' && stage === 'greeting'
        ? ` Servers may delay the greeting (tarpits, postscreen), but receivers' clients give up after minutes (RFC 5321 §4.5.3.2); a silent port can also be a firewall or proxy that accepts connections and never forwards them.`
        : '';
    findings.push({ code, severity: 'error', message: `${stage === 'greeting' ? 'Greeting' : `Reply to ${stage}`}: ${o.message}.${partial}${hint}` });
  };

  try {
    const g = await session.readReply(timeoutMs, signal);
    if (!g.ok) {
      fail(g, 'greeting');
      return finish();
    }
    result.greeting = { ...toData(g.reply, g.ms), ...(firstWord(g.reply.lines[0]) ? { name: firstWord(g.reply.lines[0]) } : {}), ...(session.firstByteMs !== undefined ? { firstByteMs: session.firstByteMs } : {}) };
    if (g.reply.bareLf) findings.push({ code: 'smtp-bare-lf', severity: 'warning', message: 'The server ends lines with a bare LF instead of CRLF (RFC 5321 §2.3.8).' });
    if (g.reply.code === 554 || g.reply.code === 421 || g.reply.code !== 220) {
      const text = g.reply.lines.join(' ');
      findings.push(
        g.reply.code === 554
          ? { code: 'smtp-greeting-refused', severity: 'error', message: `The server greets with 554: it refuses SMTP service to this client (RFC 5321 §3.1) — "${text.slice(0, 200)}". Often a blocklist or a policy against the connecting address.` }
          : g.reply.code === 421
            ? { code: 'smtp-greeting-unavailable', severity: 'error', message: `The server greets with 421: service not available for now, try later — "${text.slice(0, 200)}".` }
            : { code: 'smtp-greeting-unexpected', severity: 'error', message: `The greeting is ${g.reply.code}, not 220 — "${text.slice(0, 200)}".` },
      );
      session.send('QUIT');
      const q = await session.readReply(Math.min(timeoutMs, 5000), signal);
      if (q.ok) result.quit = toData(q.reply, q.ms);
      return finish();
    }
    if (g.ms > 2000) {
      findings.push({
        code: 'smtp-greeting-delayed',
        severity: 'info',
        message: `The greeting took ${g.ms} ms${session.firstByteMs !== undefined && session.firstByteMs < g.ms - 500 ? ` (its first line came after ${session.firstByteMs} ms: a multi-line greeting, as postscreen sends)` : ''}. Servers delay it on purpose to catch clients that talk too early; senders wait up to 5 minutes (RFC 5321 §4.5.3.2).`,
      });
    }

    // --- EHLO, or HELO when EHLO is refused (RFC 5321 §3.2) --------------------------------------------
    session.send(`EHLO ${ehloName}`);
    let e = await session.readReply(timeoutMs, signal);
    let command: 'EHLO' | 'HELO' = 'EHLO';
    if (!e.ok) {
      fail(e, 'EHLO');
      return finish();
    }
    if (e.reply.code >= 500 && e.reply.code <= 502) {
      findings.push({ code: 'smtp-ehlo-unsupported', severity: 'warning', message: `The server answers EHLO with ${e.reply.code}; falling back to HELO (RFC 5321 §3.2). Without EHLO there are no extensions, no STARTTLS.` });
      session.send(`HELO ${ehloName}`);
      e = await session.readReply(timeoutMs, signal);
      command = 'HELO';
      if (!e.ok) {
        fail(e, 'HELO');
        return finish();
      }
    }
    const first = e.reply.lines[0] ?? '';
    const clientSeen = /\[(?:IPv6:)?([0-9a-fA-F:.]+)\]/.exec(first)?.[1];
    const clientAddress = clientSeen && parseIp(clientSeen).ok ? canonicalIp(clientSeen) : undefined;
    result.ehlo = {
      command,
      sentName: ehloName,
      reply: toData(e.reply, e.ms),
      ...(e.reply.code === 250 && firstWord(first) ? { name: firstWord(first) } : {}),
      extensions: e.reply.code === 250 && command === 'EHLO' ? parseExtensions(e.reply.lines) : [],
      ...(clientAddress ? { clientAddress } : {}),
    };
    if (e.reply.code !== 250) {
      findings.push({
        code: 'smtp-ehlo-rejected',
        severity: 'error',
        message: `The server rejects ${command} ${ehloName}: ${e.reply.code} "${e.reply.lines.join(' ').slice(0, 200)}".${e.reply.code >= 500 ? ' Check the name this probe sends (--ehlo).' : ''}`,
      });
    }
    if (clientAddress) {
      findings.push({ code: 'smtp-client-address', severity: 'info', message: `The server says it sees this client at ${clientAddress}${local && canonicalIp(local) !== clientAddress ? ` (the connection leaves here from ${canonicalIp(local)}: NAT in between)` : ''}.` });
    }

    // --- STARTTLS (RFC 3207) -----------------------------------------------------------------------------
    const offered = result.ehlo.extensions.some((x) => x.keyword === 'STARTTLS');
    result.starttls.offered = offered;
    if (e.reply.code === 250 && command === 'EHLO' && !offered) {
      findings.push({
        code: 'smtp-no-starttls',
        severity: 'warning',
        message: 'The server does not offer STARTTLS: mail to it travels unencrypted, and some senders (MTA-STS, DANE, Gmail\'s reports) flag it.',
        fix: { description: 'Enable STARTTLS with a certificate for the server\'s name (Postfix: smtpd_tls_cert_file, smtpd_tls_key_file, smtpd_tls_security_level = may; Exchange: assign a certificate to the SMTP service with Enable-ExchangeCertificate -Services SMTP).' },
      });
    }
    if (offered && options.starttls !== false) {
      result.starttls.attempted = true;
      session.send('STARTTLS');
      const s = await session.readReply(timeoutMs, signal);
      if (!s.ok) {
        fail(s, 'STARTTLS');
        return finish();
      }
      result.starttls.reply = toData(s.reply, s.ms);
      if (s.reply.code !== 220) {
        result.starttls.ok = false;
        findings.push({ code: 'smtp-starttls-refused', severity: 'error', message: `The server offers STARTTLS but answers it with ${s.reply.code} "${s.reply.lines.join(' ').slice(0, 200)}".` });
      } else {
        if (session.leftover()) {
          findings.push({
            code: 'smtp-starttls-extra-data',
            severity: 'warning',
            message: 'Data arrived after the 220 reply to STARTTLS and before the TLS handshake; it was discarded (RFC 3207 §4.2). A server or middlebox that does this may be open to plaintext injection.',
          });
        }
        const tlsResult = await session.startTls(hostName, timeoutMs, signal);
        if (!tlsResult.ok) {
          result.starttls.ok = false;
          result.starttls.error = escapeText(tlsResult.error).slice(0, 300);
          findings.push({ code: 'smtp-starttls-failed', severity: 'error', message: `The TLS handshake after STARTTLS failed: ${result.starttls.error}. Senders that require TLS cannot deliver; others fall back to plain text or give up, depending on their policy.` });
          return finish();
        }
        const t = tlsResult.socket;
        result.starttls.ok = true;
        result.starttls.protocol = t.getProtocol() ?? undefined;
        result.starttls.cipher = t.getCipher()?.name;
        const candidates: { name: string; role: 'host' | 'greeting' | 'ehlo' }[] = [];
        if (hostName) candidates.push({ name: hostName, role: 'host' });
        const gn = result.greeting.name?.toLowerCase();
        if (gn && !candidates.some((c) => c.name === gn)) candidates.push({ name: gn, role: 'greeting' });
        const en = result.ehlo.name?.toLowerCase();
        if (en && !candidates.some((c) => c.name === en)) candidates.push({ name: en, role: 'ehlo' });
        const cert = certInfo(t, now(), candidates);
        if (cert) {
          result.starttls.certificate = cert;
          certFindings(cert, findings);
        }
        // RFC 3207 §4.2: forget everything learned before TLS and say EHLO again.
        session.send(`EHLO ${ehloName}`);
        const e2 = await session.readReply(timeoutMs, signal);
        if (!e2.ok) {
          fail(e2, 'EHLO after STARTTLS');
          return finish();
        }
        if (e2.reply.code === 250) result.starttls.extensionsAfter = parseExtensions(e2.reply.lines);
      }
    }

    session.send('QUIT');
    const q = await session.readReply(Math.min(timeoutMs, 10_000), signal);
    if (q.ok) result.quit = toData(q.reply, q.ms);
  } finally {
    result.transcript = session.transcript;
    result.bytesRead = session.bytesRead;
    session.close();
    await nameChecks();
  }
  return finish();

  /** The greeting and EHLO names against the server's PTR and their own A/AAAA records. */
  async function nameChecks(): Promise<void> {
    const ptr = await ptrLookup;
    result.serverPtr = ptr.records.map((r) => String(r.data));
    const fam = address.includes(':') ? 'AAAA' : 'A';
    const wanted: { role: 'greeting' | 'ehlo'; name: string }[] = [];
    const gName = result.greeting?.name;
    const eName = result.ehlo?.name;
    if (gName) wanted.push({ role: 'greeting', name: gName });
    if (eName && eName.toLowerCase() !== gName?.toLowerCase()) wanted.push({ role: 'ehlo', name: eName });
    const checks = await Promise.all(
      wanted.map(async (w): Promise<ServerNameCheck> => {
        const n = w.name.replace(/\.$/, '').toLowerCase();
        const fqdn = /^[a-z0-9_-]+(\.[a-z0-9_-]+)+$/.test(n) && !parseIp(n).ok;
        const r = fqdn ? await resolver.lookup(n, fam, { signal }) : undefined;
        const addresses = r ? r.records.map((x) => canonicalIp(String(x.data))) : [];
        return {
          role: w.role,
          name: w.name,
          fqdn,
          addresses,
          rcode: r?.rcode ?? 'NOT-ASKED',
          resolvesToServer: !r ? (fqdn ? null : false) : addresses.includes(address) ? true : isTemporary(r.rcode) ? null : false,
          isPtr: isTemporary(ptr.rcode) ? null : result.serverPtr.includes(n),
          dig: resolver.dig(n, fam),
        };
      }),
    );
    result.names = checks;
    const ptrDig = resolver.dig(reverseName(address), 'PTR');
    if (result.connected && !isTemporary(ptr.rcode) && result.serverPtr.length === 0) {
      findings.push({
        code: 'smtp-server-no-ptr',
        severity: 'warning',
        message: `${address} has no PTR record. If this server also sends mail, receivers reject or score it (run maildns rdns ${address}).`,
        dig: ptrDig,
      });
    }
    if (specialPurpose(address) && !/Loopback/.test(specialPurpose(address)!.name)) {
      findings.push({ code: 'ip-special-purpose', severity: 'info', message: `${address} is in ${specialPurpose(address)!.network} (${specialPurpose(address)!.name}): only reachable from inside that network.` });
    }
    for (const c of checks) {
      const what = c.role === 'greeting' ? 'greeting (220)' : 'EHLO reply';
      const seed = c.role === 'ehlo' ? ` (the seed's "250 dynatronsoftware.com Hello [216.x]")` : '';
      if (!c.fqdn) {
        findings.push({
          code: `smtp-${c.role}-name-not-fqdn`,
          severity: 'warning',
          message: `The server calls itself ${JSON.stringify(c.name)} in its ${what}, which is not a fully-qualified name. If it sends mail too, it probably says the same in its own HELO, and receivers reject that ("need fully-qualified hostname").`,
          fix: serverNameFix(result.serverPtr[0]),
        });
      } else if (c.resolvesToServer === false) {
        findings.push({
          code: `smtp-${c.role}-name-mismatch`,
          severity: 'warning',
          message:
            (c.addresses.length > 0
              ? `The server calls itself ${c.name} in its ${what}${seed}, but ${c.name} resolves to ${c.addresses.join(', ')}, not to ${address}.`
              : `The server calls itself ${c.name} in its ${what}${seed}, but ${c.name} has no ${fam} record.`) +
            ` If this server also sends mail, it says the same name in HELO, and receivers that check see a name that does not match the address ("BOGUS HELO").`,
          dig: c.dig,
          fix: serverNameFix(result.serverPtr.find((p) => checks.every((x) => x.name.toLowerCase() !== p)) ?? result.serverPtr[0]),
        });
      } else if (c.resolvesToServer && c.isPtr === false && result.serverPtr.length > 0) {
        findings.push({
          code: `smtp-${c.role}-name-not-ptr`,
          severity: 'info',
          message: `The server calls itself ${c.name} in its ${what}; that name resolves to ${address}, but the PTR of ${address} is ${result.serverPtr.join(', ')}. Consistent is name = PTR = A.`,
          dig: ptrDig,
        });
      }
    }
    if (result.quit && findings.every((f) => f.severity === 'info')) {
      findings.push({ code: 'smtp-ok', severity: 'info', message: `${result.host} port ${port} speaks SMTP: greeting${result.greeting?.name ? ` as ${result.greeting.name}` : ''}, ${result.ehlo?.command ?? 'EHLO'}${result.starttls.ok ? ', STARTTLS' : ''} and QUIT all worked.` });
    }
  }

  function serverNameFix(ptrName: string | undefined) {
    const n = ptrName ?? 'a name whose A record is the server\'s address';
    return {
      description:
        `Make the server call itself ${n}: Exchange: Set-ReceiveConnector -Fqdn ${n} (and the Send connector's FQDN; Exchange 2003: SMTP virtual server → Delivery → Advanced → Fully-qualified domain name); ` +
        `Postfix: myhostname = ${n} (smtpd_banner starts with $myhostname). The name needs an A record with the server's address, and the address's PTR should be the same name.`,
      ...(ptrName ? { proposed: ptrName } : {}),
    };
  }
}

function certFindings(c: CertificateInfo, out: Finding[]): void {
  if (c.unreadableDates) {
    out.push({
      code: 'smtp-cert-bad-date',
      severity: 'error',
      message: `The STARTTLS certificate's validity is not a date (${c.unreadableDates}; RFC 5280 §4.1.2.5). Senders that verify certificates (MTA-STS, DANE) refuse it, and when it expires cannot be told.`,
    });
  }
  if (c.expired) {
    out.push({ code: 'smtp-cert-expired', severity: 'error', message: `The STARTTLS certificate expired on ${c.validTo.slice(0, 10)} (${-(c.daysLeft ?? 0)} days ago). Senders that verify certificates (MTA-STS, DANE) refuse to deliver.` });
  } else if (c.notYetValid) {
    out.push({ code: 'smtp-cert-not-yet-valid', severity: 'error', message: `The STARTTLS certificate is valid only from ${c.validFrom.slice(0, 10)}: check the server's clock or the certificate.` });
  } else if (c.daysLeft !== null && c.daysLeft < 14) {
    out.push({ code: 'smtp-cert-expiring', severity: 'warning', message: `The STARTTLS certificate expires on ${c.validTo.slice(0, 10)}, in ${c.daysLeft} day${c.daysLeft === 1 ? '' : 's'}.` });
  }
  if (c.selfSigned) {
    out.push({
      code: 'smtp-cert-self-signed',
      severity: 'warning',
      message: `The STARTTLS certificate is self-signed (${c.subject}). Most senders encrypt anyway (opportunistic TLS, RFC 7435), but senders that verify (MTA-STS, DANE without a TLSA record for it) will not deliver.`,
    });
  } else if (!c.authorized && c.authorizationError) {
    out.push({ code: 'smtp-cert-untrusted', severity: 'warning', message: `The STARTTLS certificate does not verify against the system's CAs: ${c.authorizationError}.` });
  }
  const bad = c.matches.filter((m) => !m.ok);
  if (bad.length > 0 && bad.length === c.matches.length) {
    out.push({
      code: 'smtp-cert-name-mismatch',
      severity: 'warning',
      message: `The STARTTLS certificate names ${c.names.join(', ') || '(no names)'}, which cover none of the server's names (${bad.map((m) => `${m.name} [${m.role}]`).join(', ')}).`,
    });
  }
}

import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from '../../src/cli/main';
import { parseServer } from '../../src/core/dns/resolver';
import { parseHostPort } from '../../src/core/smtp/probe';
import { startFaultDns } from '../harness/fault-dns';
import { REPO_ROOT } from '../paths';

async function cli(args: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(args, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

describe('maildns input errors', () => {
  for (const [args, pattern] of [
    [['rdns', '999.1.1.1', '--resolver', '127.0.0.1:9'], /999 is larger than 255/],
    [['rdns', 'mail.example.com', '--resolver', '127.0.0.1:9'], /host name, not an IP address/],
    [['rdns'], /needs an IP address/],
    [['rdns', '192.0.2.1', '--resolver', 'dns.example'], /resolver "dns\.example"/],
    [['rdns', '192.0.2.1', '--timeout', 'soon'], /--timeout must be a positive whole number/],
    [['frobnicate'], /unknown command "frobnicate"/],
    [['rdns', '192.0.2.1', '--bogus'], /^maildns rdns: unknown option --bogus \(maildns rdns --help lists its options\)$/m],
  ] as const) {
    it(`maildns ${args.join(' ')} → one-line error, exit 2`, async () => {
      const r = await cli([...args]);
      assert.equal(r.code, 2);
      assert.equal(r.out, '');
      assert.match(r.err, pattern);
      assert.equal(r.err.trim().split('\n').length, 1);
    });
  }
  it('--help prints usage and exits 0', async () => {
    const r = await cli(['--help']);
    assert.equal(r.code, 0);
    assert.match(r.out, /maildns rdns <ip>/);
  });
});

describe('maildns rdns on DNS trouble', () => {
  it('exits 2 with a temperror naming the server and the query', async () => {
    const dns = await startFaultDns({ behaviours: { '*': { kind: 'rcode', rcode: 'SERVFAIL' } } });
    try {
      const r = await cli(['rdns', '192.0.2.10', '--resolver', dns.server, '--json', '--timeout', '300']);
      assert.equal(r.code, 2);
      const j = JSON.parse(r.out);
      assert.equal(j.fcrdns, 'temperror');
      assert.equal(j.postfix.reject_unknown_client_hostname, 'defer');
      const f = j.findings.find((x: { code: string }) => x.code === 'dns-servfail');
      assert.match(f.message, new RegExp(`PTR query for 10\\.2\\.0\\.192\\.in-addr\\.arpa to ${dns.server.replace(/\./g, '\\.')}`));
    } finally {
      await dns.stop();
    }
  });
});

describe('issue 8: maildns help, --version and option errors', () => {
  const commands = ['rdns', 'spf', 'send-as', 'helo', 'smtp', 'mx', 'dnsbl', 'dmarc', 'dkim', 'verify', 'check', 'explain', 'lint', 'audit'];

  it('issue 15: every command the usage lists is one this test checks, and each loads the module its name says', async () => {
    // The command table loads each command's module on first use (src/cli/main.ts): a name pointing at
    // the wrong module would show another command's help under "Usage: maildns <name>" below.
    const top = await cli(['--help']);
    const listed = top.out.split('\nCommands:\n')[1].split('\n\n')[0].split('\n').map((l) => l.trim().split(/\s+/)[0]);
    assert.deepEqual(listed, commands);
  });

  for (const name of commands) {
    it(`issue 8: maildns ${name} --help prints the whole help, the same as maildns help ${name}`, async () => {
      const r = await cli([name, '--help']);
      assert.equal(r.code, 0);
      assert.equal(r.err, '');
      const lines = r.out.split('\n');
      assert.match(lines[0], new RegExp(`^Usage: maildns ${name} `));
      for (const heading of ['Options:', 'Examples:']) assert.ok(lines.includes(heading), `${heading} in\n${r.out}`);
      assert.match(r.out, /\nExit status: 0 /);
      // Every option of the synopsis is explained under Options, -h/--help too.
      const declared = [...lines[0].matchAll(/--([a-z-]+)/g)].map((m) => m[1]);
      for (const option of [...declared, 'help']) assert.match(r.out, new RegExp(`\\n  (-h, )?--${option}\\b.*\\S`), `--${option} explained`);
      assert.match(r.out, new RegExp(`\\n  maildns ${name} `), 'an example');
      assert.equal((await cli(['help', name])).out, r.out);
      assert.equal((await cli([name, '-h'])).out, r.out);
    });
  }

  it('issue 8: the common options and the defaults in the help come from the one declaration', async () => {
    const r = await cli(['rdns', '--help']);
    assert.match(r.out, /--max-steps n +how many hops [\s\S]*?\(default 8; 1 to 32\)/);
    assert.match(r.out, /--timeout ms +how long to wait for one DNS reply[\s\S]*\(default 3000; 1 to 60000\)/);
    assert.match(r.out, /--resolver host\[:port\]/);
    const top = await cli(['--help']);
    assert.match(top.out, /maildns rdns <ip> \[--max-steps n\] \[--receivers file\.json\] \[--resolver host\[:port\]\]\.\.\. \[--timeout ms\] \[--json\]/);
    assert.match(top.out, /maildns --version/);
  });

  it('issue 8: maildns --version and -V print the package version', async () => {
    const { version } = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const r = await cli([flag]);
      assert.equal(r.code, 0);
      assert.equal(r.out, `maildns ${version}\n`);
    }
  });

  for (const [args, line] of [
    [['rdns', '192.0.2.1', '--foo'], 'maildns rdns: unknown option --foo (maildns rdns --help lists its options)'],
    [['spf', '192.0.2.1', 'example.com', '--foo=1'], 'maildns spf: unknown option --foo (maildns spf --help lists its options)'],
    [['mx', 'example.com', '-x'], 'maildns mx: unknown option -x (maildns mx --help lists its options)'],
    [['rdns', '192.0.2.1', '--timeout'], 'maildns rdns: --timeout needs a value: --timeout <ms> (maildns rdns --help lists its options)'],
    [['rdns', '192.0.2.1', '--timeout', '--json'], 'maildns rdns: --timeout needs a value: --timeout <ms> (maildns rdns --help lists its options)'],
    [['helo', 'mail.example.com', '--ip'], 'maildns helo: --ip needs a value: --ip <ip> (maildns helo --help lists its options)'],
    [['rdns', '192.0.2.1', '--json=yes'], 'maildns rdns: --json takes no value (maildns rdns --help lists its options)'],
    [['check', '192.0.2.1', '--from', 'example.com'], 'maildns: check needs --helo <name>: the name the server sends in HELO/EHLO (maildns check --help lists its options)'],
    [['--foo'], 'maildns: unknown option --foo; commands: rdns, spf, send-as, helo, smtp, mx, dnsbl, dmarc, dkim, verify, check, explain, lint, audit (maildns --help)'],
  ] as const) {
    it(`issue 8: maildns ${args.join(' ')} → "${line}", exit 2`, async () => {
      const r = await cli([...args]);
      assert.equal(r.code, 2);
      assert.equal(r.out, '');
      assert.equal(r.err, line + '\n');
    });
  }
});

describe('issue 9 #16: waits and ports are plain, bounded numbers', () => {
  for (const [args, pattern] of [
    [['rdns', '192.0.2.1', '--timeout', '2147483648'], /^maildns rdns: --timeout must be a positive whole number up to 60000 \(ms\), not "2147483648"$/],
    [['rdns', '192.0.2.1', '--timeout', '60001'], /not "60001"/],
    [['rdns', '192.0.2.1', '--timeout', '1e3'], /not "1e3"/],
    [['rdns', '192.0.2.1', '--max-steps', '0x10'], /--max-steps must be a positive whole number up to 32 \(n\), not "0x10"/],
    [['smtp', '127.0.0.1', '--smtp-timeout', '2147483648'], /--smtp-timeout must be a positive whole number up to 600000 \(ms\), not "2147483648"/],
    [['check', '192.0.2.1', '--helo', 'a.example', '--from', 'b.example', '--smtp-timeout', '4294967296'], /not "4294967296"/],
  ] as const) {
    it(`issue 9 #16: maildns ${args.join(' ')} is refused, naming the input`, async () => {
      // Before: the wait overflowed Node's timer to 1 ms and the check ran (and timed out at once).
      const r = await cli([...args, '--resolver', '127.0.0.1:9']);
      assert.equal(r.code, 2);
      assert.equal(r.out, '');
      assert.match(r.err.trim(), pattern);
    });
  }

  for (const server of ['127.0.0.1:+53', '127.0.0.1:0x35', '127.0.0.1: 53 ', '127.0.0.1:53.0', '127.0.0.1:1e1', '[::1]:0x35', '127.0.0.1:']) {
    it(`issue 9 #16: resolver ${JSON.stringify(server)} is refused`, async () => {
      const parsed = parseServer(server);
      assert.equal(parsed.ok, false, JSON.stringify(parsed));
      const r = await cli(['rdns', '192.0.2.1', '--resolver', server]);
      assert.equal(r.code, 2);
      assert.equal(r.out, '');
      assert.match(r.err, /resolver ".*"/);
    });
  }

  it('issue 9 #16: plain decimal ports 1–65535 are taken, for resolvers and SMTP hosts alike', () => {
    assert.deepEqual(parseServer('127.0.0.1:5353'), { ok: true, host: '127.0.0.1', port: 5353 });
    assert.deepEqual(parseServer('[::1]:53'), { ok: true, host: '::1', port: 53 });
    assert.deepEqual(parseServer(' 192.0.2.53 '), { ok: true, host: '192.0.2.53', port: 53 });
    assert.equal(parseServer('127.0.0.1:65536').ok, false);
    assert.equal(parseServer('127.0.0.1:0').ok, false);
    assert.deepEqual(parseHostPort('mail.example.com:587'), { host: 'mail.example.com', port: 587 });
    for (const bad of ['mail.example.com:+25', 'mail.example.com:0x19', 'mail.example.com: 25']) assert.ok('error' in parseHostPort(bad), bad);
  });
});

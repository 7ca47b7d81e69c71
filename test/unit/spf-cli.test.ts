import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { sendAsCommand } from '../../src/cli/commands/send-as';
import { spfCommand } from '../../src/cli/commands/spf';
import { type CliCommand, UsageError } from '../../src/cli/shared';
import { startFaultDns } from '../harness/fault-dns';

async function run(cmd: CliCommand, args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await cmd.run(args, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

describe('maildns spf: input errors', () => {
  for (const [args, pattern] of [
    [[], /needs an IP address and a domain/],
    [['192.0.2.1'], /needs an IP address and a domain.*only "192\.0\.2\.1"/],
    [['192.0.2.1', 'a.example', 'b.example'], /got 3 arguments/],
    [['999.1.1.1', 'example.com'], /^ip: "999\.1\.1\.1" is not an IPv4 address: 999 is larger than 255$/],
    [['mail.example.com', 'example.com'], /^ip: .*host name, not an IP address/],
    [['192.0.2.1', 'localhost'], /^domain: "localhost" is not a fully qualified domain name/],
    [['192.0.2.1', 'exa mple.com'], /^domain: .*characters a domain name cannot/],
    [['192.0.2.1', 'example.com', '--sender', 'bob'], /^--sender "bob" is not an address/],
    [['192.0.2.1', 'example.com', '--resolver', 'dns.example'], /resolver "dns\.example"/],
  ] as const) {
    it(`spf ${args.join(' ')} → UsageError naming the input`, async () => {
      await assert.rejects(run(spfCommand, [...args]), (e: Error) => e instanceof UsageError && pattern.test(e.message) && !e.message.includes('\n'));
    });
  }

  it('send-as rejects a bad domain and a bad IP', async () => {
    await assert.rejects(run(sendAsCommand, ['192.0.2.1', 'nodots']), (e: Error) => e instanceof UsageError && /from-domain: "nodots"/.test(e.message));
    await assert.rejects(run(sendAsCommand, ['192.0.2.300', 'example.com', '--resolver', '127.0.0.1:9']), (e: Error) => e instanceof UsageError && /300 is larger than 255/.test(e.message));
    await assert.rejects(run(sendAsCommand, ['192.0.2.1']), (e: Error) => e instanceof UsageError && /needs the sending server's IP address and the From domain/.test(e.message));
  });
});

describe('maildns spf: exit status', () => {
  it('0 for pass, 1 for fail/none, 2 for temperror', async () => {
    const dns = await startFaultDns({
      records: {
        'ok.example.com': { TXT: ['v=spf1 ip4:192.0.2.0/24 -all exp=why.ok.example.com'] },
        'why.ok.example.com': { TXT: ['%{i} is not allowed to send for %{d}'] },
      },
      behaviours: { 'broken.example.com': { kind: 'rcode', rcode: 'SERVFAIL' } },
    });
    try {
      const at = ['--resolver', dns.server, '--timeout', '1000'];
      const pass = await run(spfCommand, ['192.0.2.7', 'ok.example.com', ...at]);
      assert.equal(pass.code, 0);
      assert.match(pass.out, /: PASS\n/);
      const fail = await run(spfCommand, ['198.51.100.7', 'bob@ok.example.com', '--helo', 'mx.example.net', ...at, '--json']);
      assert.equal(fail.code, 1);
      const j = JSON.parse(fail.out);
      assert.equal(j.result, 'fail');
      assert.equal(j.sender, 'bob@ok.example.com');
      assert.equal(j.explanation, '198.51.100.7 is not allowed to send for ok.example.com');
      assert.match(j.receivedSpf, /helo=mx\.example\.net;/);
      const none = await run(spfCommand, ['192.0.2.7', 'nothing.example.com', ...at]);
      assert.equal(none.code, 1);
      assert.match(none.out, /: NONE\n/);
      const temp = await run(spfCommand, ['192.0.2.7', 'broken.example.com', ...at]);
      assert.equal(temp.code, 2);
      assert.match(temp.out, /TEMPERROR[\s\S]*TXT broken\.example\.com → SERVFAIL/);
      const nullSender = await run(spfCommand, ['192.0.2.7', 'ok.example.com', '--sender', '<>', ...at, '--json']);
      assert.match(JSON.parse(nullSender.out).receivedSpf, /envelope-from="";/);
    } finally {
      await dns.stop();
    }
  });
});

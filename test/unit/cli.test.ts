import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { runCli } from '../../src/cli/main';
import { startFaultDns } from '../harness/fault-dns';

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
    [['rdns', '192.0.2.1', '--bogus'], /Unknown option '--bogus'/],
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

// The bounce explainer on bounce texts in the formats real systems send (test/fixtures/bounces).
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { type CliIoWithInput, explainCommand } from '../../src/cli/commands/explain';
import { runCli } from '../../src/cli/main';
import { UsageError } from '../../src/cli/shared';
import { enhancedCodeMeaning } from '../../src/core/bounce/codes';
import { explainBounce, flatten, MAX_INPUT } from '../../src/core/bounce/explain';
import { REPO_ROOT } from '../paths';

const DIR = path.join(REPO_ROOT, 'test', 'fixtures', 'bounces');
const read = (f: string) => fs.readFileSync(path.join(DIR, f), 'utf8');

interface Expect {
  ids: string[];
  senderIps?: string[];
  helo?: string[];
  senderDomain?: string;
  zones?: string[];
  cli: string[];
}

const EXPECTED: Record<string, Expect> = {
  'postfix-helo-fqdn.txt': { ids: ['postfix-helo-non-fqdn'], senderIps: [], helo: ['DYNA-WEB'], senderDomain: 'dynatron.example', cli: ['maildns helo DYNA-WEB --ip <sending IP>'] },
  'postfix-delayed-hostname.txt': { ids: ['postfix-hostname'], senderIps: ['203.0.113.100'], cli: ['maildns rdns 203.0.113.100'] },
  'postfix-rbl.txt': { ids: ['postfix-rbl'], senderIps: ['203.0.113.244'], zones: ['zen.spamhaus.org'], cli: ['maildns dnsbl 203.0.113.244 --zone zen.spamhaus.org'] },
  'postfix-policyd-spf.txt': { ids: ['policyd-spf'], senderIps: ['203.0.113.60'], senderDomain: 'newco.example', cli: ['maildns spf 203.0.113.60 newco.example'] },
  'postfix-user-unknown.txt': { ids: ['recipient-unknown'], cli: [] },
  'gmail-5.7.25.txt': { ids: ['gmail-5.7.25'], senderIps: ['203.0.113.100'], cli: ['maildns rdns 203.0.113.100'] },
  'gmail-5.7.26.txt': { ids: ['gmail-5.7.26-dmarc'], senderDomain: 'dynatron.example', cli: ['maildns spf <sending IP> dynatron.example'] },
  'gmail-5.7.1.txt': { ids: ['gmail-unsolicited'], senderIps: ['203.0.113.100'], cli: ['maildns dnsbl 203.0.113.100'] },
  'exim-dnsbl.txt': { ids: ['exim-rbl'], senderIps: ['203.0.113.100'], zones: ['bl.spamcop.net'], senderDomain: 'dynatron.example', cli: ['maildns dnsbl 203.0.113.100 --zone bl.spamcop.net'] },
  'exim-helo.txt': { ids: ['exim-helo-syntax'], helo: ['dyna_web'], cli: ['maildns helo dyna_web --ip <sending IP>'] },
  'exchange-spamhaus.txt': { ids: ['microsoft-rbl'], senderIps: ['203.0.113.244'], zones: ['zen.spamhaus.org'], senderDomain: 'dynatron.example', cli: ['maildns dnsbl 203.0.113.244 --zone zen.spamhaus.org'] },
  'outlook-s3150.txt': { ids: ['outlook-blocklist'], senderIps: ['203.0.113.60'], cli: ['maildns dnsbl 203.0.113.60'] },
  'office365-spf-5.7.23.txt': {
    ids: ['microsoft-5.7.23'],
    senderIps: ['203.0.113.60'],
    helo: ['web6.dynatron.example'],
    senderDomain: 'newco.example',
    cli: ['maildns spf 203.0.113.60 newco.example', 'maildns check 203.0.113.60 --helo web6.dynatron.example --from newco.example'],
  },
  'sendmail-bogus-helo.txt': {
    ids: ['bogus-helo'],
    senderIps: ['203.0.113.244'],
    helo: ['dynatron.example'],
    senderDomain: 'dynatron.example',
    cli: ['maildns helo dynatron.example --ip 203.0.113.244', 'maildns check 203.0.113.244 --helo dynatron.example --from dynatron.example'],
  },
};

describe('bounce explainer on real-format bounces', () => {
  it('has an expectation for every fixture', () => {
    const files = fs.readdirSync(DIR).filter((f) => f.endsWith('.txt')).sort();
    assert.deepEqual(files, Object.keys(EXPECTED).sort());
  });
  for (const [file, x] of Object.entries(EXPECTED)) {
    it(file, () => {
      const text = read(file);
      const r = explainBounce(text);
      assert.deepEqual(r.matches.map((m) => m.id), x.ids, JSON.stringify(r.matches.map((m) => [m.id, m.text])));
      if (x.senderIps) assert.deepEqual(r.extracted.senderIps, x.senderIps);
      if (x.helo) assert.deepEqual(r.extracted.heloNames, x.helo);
      if (x.senderDomain) assert.equal(r.extracted.senderDomains[0], x.senderDomain);
      if (x.zones) assert.deepEqual(r.extracted.dnsblZones, x.zones);
      for (const cli of x.cli) assert.ok(r.suggestions.some((s) => s.cli === cli), `${cli} in ${JSON.stringify(r.suggestions.map((s) => s.cli))}`);
      for (const m of r.matches) {
        // Offsets point into the input at the start of the matched text.
        assert.equal(text.slice(m.start, m.start + 3).replace(/\s/g, ' '), m.text.slice(0, 3));
        assert.ok(m.explanation.length > 40 && m.checked.length > 20);
      }
      assert.ok(r.summary.length > 0);
    });
  }

  it("the seed's HELO bounce: plain words, the receiver's host, the records behind the advice", () => {
    const r = explainBounce(read('postfix-helo-fqdn.txt'));
    const m = r.matches[0];
    assert.equal(m.values.helo, 'DYNA-WEB');
    assert.equal(m.values.code, '504');
    assert.equal(m.values.enhanced, '5.5.2');
    assert.equal(m.text, '504 5.5.2 <DYNA-WEB>: Helo command rejected: need fully-qualified hostname');
    assert.match(r.summary, /^The receiving server \(mx1\.spsdfw\.example\) refused the mail — HELO name is not fully qualified\./);
    assert.match(m.explanation, /one-word name/);
    assert.deepEqual(r.extracted.receiverIps, ['198.51.100.25']);
    assert.equal(r.extracted.reportingMta, 'dyna-web4.dynatron.example');
    assert.deepEqual(r.extracted.recipientDomains, ['spsdfw.example']);
    assert.ok(r.extracted.otherIps.includes('10.0.0.15'), 'the internal hop is not the sending IP');
    assert.deepEqual(r.extracted.enhancedCodes, [{ code: '5.5.2', meaning: enhancedCodeMeaning('5.5.2') }]);
  });

  it("Gmail's multi-line reply reads as one sentence", () => {
    const r = explainBounce(read('gmail-5.7.25.txt'));
    assert.match(r.matches[0].text, /^550-5\.7\.25 \[203\.0\.113\.100\] The IP address sending this message does not have a PTR record setup, or the corresponding forward DNS entry does not point to the sending IP\./);
    assert.deepEqual(r.extracted.receiverIps, ['192.0.2.27']);
    assert.ok(!r.extracted.senderIps.includes('192.0.2.27'), 'the receiver\'s address is not the sender\'s');
  });

  it("a recipient's problem is not the sender's", () => {
    const r = explainBounce(read('postfix-user-unknown.txt'));
    assert.equal(r.matches[0].senderSide, false);
    assert.deepEqual(r.suggestions, []);
    assert.match(r.summary, /because of the recipient/);
  });

  it('folds white space and drops repeated reply prefixes, keeping offsets', () => {
    const f = flatten('550-5.7.1 one\n    550-5.7.1 two\n  550 5.7.1 three');
    assert.equal(f.text, '550-5.7.1 one two three');
    assert.equal(f.map[f.text.indexOf('two')], 'x550-5.7.1 one\n    550-5.7.1 '.length - 1);
  });

  it('says so when nothing is recognised, and explains a bare status code', () => {
    assert.match(explainBounce('hello there').summary, /No known rejection text/);
    const r = explainBounce('Status: 5.1.10\nAction: failed');
    assert.match(r.summary, /5\.1\.10 means: permanent failure: the message bounces; recipient address has a null MX/);
  });

  it('bounds its input and escapes control characters', () => {
    const big = 'x'.repeat(MAX_INPUT + 10) + ' 504 5.5.2 <A>: Helo command rejected: need fully-qualified hostname';
    const r = explainBounce(big);
    assert.equal(r.truncated, true);
    assert.equal(r.matches.length, 0);
    const evil = explainBounce('504 5.5.2 <EVIL\x1b[2J>: Helo command rejected: need fully-qualified hostname');
    assert.ok(!JSON.stringify(evil).includes('\x1b'));
    assert.match(evil.matches[0].text, /\\x1b\[2J/);
  });

  it('decodes enhanced status codes (RFC 3463, 7372, 7505)', () => {
    assert.match(enhancedCodeMeaning('5.7.25')!, /reverse DNS validation failed/);
    assert.match(enhancedCodeMeaning('4.7.1')!, /^temporary failure/);
    assert.match(enhancedCodeMeaning('5.7.27')!, /null MX/);
    assert.equal(enhancedCodeMeaning('not a code'), undefined);
  });
});

describe('maildns explain', () => {
  async function cli(args: string[], input?: string) {
    let out = '';
    const io = { out: (t: string) => (out += t), err: () => undefined, ...(input !== undefined ? { readInput: async () => input } : {}) };
    try {
      return { code: await explainCommand.run(args, io), out, err: '' };
    } catch (e) {
      if (e instanceof UsageError) return { code: 2, out, err: e.message };
      throw e;
    }
  }
  it('runCli hands the caller\'s standard input to the command (it read the real stdin: found by the fuzz suite)', async () => {
    let out = '';
    const code = await runCli(['explain'], { out: (t) => (out += t), err: () => undefined, readInput: async () => read('sendmail-bogus-helo.txt') } as CliIoWithInput);
    assert.equal(code, 0);
    assert.match(out, /BOGUS HELO/);
  });
  it('reads standard input and prints what to run', async () => {
    const r = await cli([], read('sendmail-bogus-helo.txt'));
    assert.equal(r.code, 0);
    assert.match(r.out, /BOGUS HELO/);
    assert.match(r.out, /Run:\n {2}maildns helo dynatron\.example --ip 203\.0\.113\.244/);
  });
  it('reads a file, prints JSON', async () => {
    const r = await cli([path.join(DIR, 'gmail-5.7.26.txt'), '--json']);
    assert.equal(r.code, 0);
    const j = JSON.parse(r.out);
    assert.equal(j.kind, 'bounce');
    assert.equal(j.matches[0].id, 'gmail-5.7.26-dmarc');
  });
  it('exits 2 for empty input, unreadable files, and unrecognised text', async () => {
    assert.equal((await cli([], '  \n')).code, 2);
    const missing = await cli(['/nonexistent/bounce.txt']);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /cannot read "\/nonexistent\/bounce\.txt": ENOENT/);
    const nothing = await cli([], 'Dear customer, your parcel is on its way.');
    assert.equal(nothing.code, 2);
    assert.match(nothing.out, /No known rejection text/);
  });
});

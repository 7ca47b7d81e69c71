// HELO name syntax (RFC 5321) and the emulation of Postfix's own rules, without DNS.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import {
  dropTrailingDot,
  invalidHeloRule,
  nonFqdnHeloRule,
  postfixDnsStatus,
  postfixStoredHeloName,
  postfixValidHostaddr,
  postfixValidHostname,
  postfixValidIpv6,
  postfixValidMailhostAddr,
  unknownHeloRule,
} from '../../src/core/helo/postfix';
import { parseHeloName } from '../../src/core/helo/syntax';

describe('RFC 5321 HELO argument syntax', () => {
  it('accepts fully-qualified domains', () => {
    const s = parseHeloName('mail.example.com');
    assert.equal(s.form, 'domain');
    assert.equal(s.valid, true);
    assert.equal(s.fqdn, true);
    assert.deepEqual(s.problems, []);
  });

  it('calls a one-label name valid but not fully qualified (the seed\'s DYNA-WEB)', () => {
    const s = parseHeloName('DYNA-WEB');
    assert.equal(s.form, 'domain');
    assert.equal(s.valid, true);
    assert.equal(s.fqdn, false);
  });

  it('parses IPv4 and IPv6 address literals, including the IPv6: tag', () => {
    assert.deepEqual(parseHeloName('[192.0.2.1]').literal, { tag: 'IPv4', address: '192.0.2.1', family: 4 });
    const v6 = parseHeloName('[IPv6:2001:DB8::0:1]');
    assert.equal(v6.form, 'address-literal');
    assert.deepEqual(v6.literal, { tag: 'IPv6', address: '2001:db8::1', family: 6 });
    const lower = parseHeloName('[ipv6:2001:db8::1]');
    assert.equal(lower.valid, true);
    assert.match(lower.problems[0], /spells it "IPv6:"/);
  });

  it('refuses malformed literals and names each problem', () => {
    assert.match(parseHeloName('[2001:db8::1]').problems[0], /needs the tag "IPv6:"/);
    assert.match(parseHeloName('[192.0.2]').problems[0], /not an IPv4 address/);
    assert.match(parseHeloName('[192.0.2.1').problems[0], /not a complete address literal/);
    assert.equal(parseHeloName('[IPv6:zz::1]').valid, false);
  });

  it('flags bare addresses, underscores, spaces, bad hyphens, empty labels and long labels', () => {
    const bare = parseHeloName('192.0.2.1');
    assert.equal(bare.bareAddress, true);
    assert.match(bare.problems[0], /\[192\.0\.2\.1\]/);
    assert.equal(parseHeloName('2001:db8::1').bareAddress, true);
    assert.match(parseHeloName('dyna_web.example.com').problems.join(), /underscore/);
    assert.match(parseHeloName('DYNA WEB').problems.join(), /white space/);
    assert.match(parseHeloName('-mail.example.com').problems.join(), /starts or ends with "-"/);
    assert.match(parseHeloName('mail..example.com').problems.join(), /empty label/);
    assert.match(parseHeloName(`${'a'.repeat(64)}.example.com`).problems.join(), /longer than 63/);
    assert.match(parseHeloName('mail.exämple.com').problems.join(), /A-label/);
  });

  it('notes a trailing dot but keeps the name valid', () => {
    const s = parseHeloName('mail.example.com.');
    assert.equal(s.valid, true);
    assert.equal(s.trailingDot, true);
    assert.match(s.problems[0], /ends with a dot/);
  });
});

describe('Postfix valid_hostname / valid_hostaddr emulation', () => {
  for (const [name, ok] of [
    ['mail.example.com', true],
    ['dyna_web.example.com', true], // Postfix allows '_' ("grr..")
    ['DYNA-WEB', true],
    ['a-.example.com', false],
    ['-a.example.com', false],
    ['mail.example.com.', false], // the dot is dropped by the rules first, not by valid_hostname
    ['1.2.3.4', false], // numeric hostname
    ['DYNA WEB', false],
    ['', false],
    [`${'a'.repeat(63)}.com`, true],
    [`${'a'.repeat(64)}.com`, false],
  ] as const) {
    it(`valid_hostname(${JSON.stringify(name.length > 20 ? name.slice(0, 20) + '…' : name)}) is ${ok}`, () => {
      assert.equal(postfixValidHostname(name) === undefined, ok);
    });
  }
  it('checks addresses as Postfix does', () => {
    assert.equal(postfixValidHostaddr('192.0.2.1'), true);
    assert.equal(postfixValidHostaddr('0.1.2.3'), false);
    assert.equal(postfixValidHostaddr('256.1.1.1'), false);
    assert.equal(postfixValidIpv6('2001:db8::1'), true);
    assert.equal(postfixValidIpv6('::ffff:192.0.2.1'), true);
    assert.equal(postfixValidIpv6('2001:db8:::1'), false);
    assert.equal(postfixValidIpv6('12345::1'), false);
    assert.equal(postfixValidMailhostAddr('IPv6:2001:db8::1'), true);
    assert.equal(postfixValidMailhostAddr('ipv6:2001:db8::1'), true);
    assert.equal(postfixValidMailhostAddr('2001:db8::1'), false);
  });
  it('drops one trailing dot, and neuters the stored name', () => {
    assert.equal(dropTrailingDot('a.example.'), 'a.example');
    assert.equal(dropTrailingDot('a.example..'), 'a.example..');
    assert.equal(postfixStoredHeloName('DYNA WEB'), 'DYNA?WEB');
    assert.equal(postfixStoredHeloName('a<b>@c;d"e\x01'), 'a?b??c?d?e?');
  });
});

describe('Postfix HELO restriction verdicts and replies', () => {
  it("gives the seed's reply for a one-word name", () => {
    const r = nonFqdnHeloRule('DYNA-WEB');
    assert.equal(r.verdict, 'reject');
    assert.equal(r.reply, '504 5.5.2 <DYNA-WEB>: Helo command rejected: need fully-qualified hostname');
    assert.equal(invalidHeloRule('DYNA-WEB').verdict, 'accept');
  });
  it('replies with the neutered name at RCPT TO and the raw one at HELO', () => {
    const r = invalidHeloRule('DYNA WEB');
    assert.equal(r.reply, '501 5.5.2 <DYNA?WEB>: Helo command rejected: Invalid name');
    assert.equal(r.replyAtHelo, '501 5.5.2 <DYNA WEB>: Helo command rejected: Invalid name');
  });
  it('lets a bare IPv4 pass reject_invalid_helo_hostname but not reject_non_fqdn_helo_hostname', () => {
    assert.equal(invalidHeloRule('192.0.2.1').verdict, 'accept');
    assert.equal(nonFqdnHeloRule('192.0.2.1').reply, '504 5.5.2 <192.0.2.1>: Helo command rejected: need fully-qualified hostname');
  });
  it('checks bracketed names as address literals in all three rules', () => {
    for (const rule of [invalidHeloRule, nonFqdnHeloRule, (n: string) => unknownHeloRule(n, 'notfound')]) {
      assert.equal(rule('[192.0.2.1]').verdict, 'accept');
      assert.equal(rule('[IPv6:2001:db8::1]').verdict, 'accept');
      assert.equal(rule('[2001:db8::1]').reply, '501 5.5.2 <[2001:db8::1]>: Helo command rejected: invalid ip address');
    }
  });
  it('maps DNS outcomes as dns_lookup_l does: first OK wins, RETRY outranks NOTFOUND', () => {
    const o = (type: 'A' | 'AAAA' | 'MX', rcode: string, records = 0) => ({ type, rcode, records });
    assert.equal(postfixDnsStatus('a.example', [o('A', 'NOERROR'), o('AAAA', 'NOERROR'), o('MX', 'NOERROR', 1)]), 'ok');
    assert.equal(postfixDnsStatus('a.example', [o('A', 'NXDOMAIN'), o('AAAA', 'NXDOMAIN'), o('MX', 'NXDOMAIN')]), 'notfound');
    assert.equal(postfixDnsStatus('a.example', [o('A', 'SERVFAIL'), o('AAAA', 'NXDOMAIN'), o('MX', 'NXDOMAIN')]), 'retry');
    assert.equal(postfixDnsStatus('a.example', [o('A', 'REFUSED'), o('AAAA', 'REFUSED'), o('MX', 'REFUSED')]), 'retry');
    assert.equal(postfixDnsStatus('a.example', [o('A', 'FORMERR'), o('AAAA', 'FORMERR'), o('MX', 'FORMERR')]), 'fail');
    assert.equal(postfixDnsStatus('a.example', [o('A', 'NOERROR'), o('AAAA', 'NOERROR'), { type: 'MX', rcode: 'NOERROR', records: 1, nullMx: true }]), 'nullmx');
    // Not looked up at all: an address, a name with a trailing dot or a bad character.
    assert.equal(postfixDnsStatus('192.0.2.1', [o('A', 'NOERROR', 1)]), 'notfound');
    assert.equal(postfixDnsStatus('a.example.', [o('A', 'NOERROR', 1)]), 'notfound');
  });
  it('turns those outcomes into verdicts with unknown_hostname_reject_code', () => {
    assert.equal(unknownHeloRule('a.example', 'ok').verdict, 'accept');
    assert.equal(unknownHeloRule('a.example', 'nullmx').verdict, 'accept');
    const nf = unknownHeloRule('a.example', 'notfound');
    assert.equal(nf.verdict, 'reject');
    assert.equal(nf.reply, '450 4.7.1 <a.example>: Helo command rejected: Host not found');
    const retry = unknownHeloRule('a.example', 'retry');
    assert.equal(retry.verdict, 'defer');
    assert.equal(retry.reply, '450 4.7.1 <a.example>: Helo command rejected: Host not found');
    assert.equal(unknownHeloRule('a.example', 'inval').reply, '450 4.7.1 <a.example>: Helo command rejected: Malformed DNS server reply');
  });
});

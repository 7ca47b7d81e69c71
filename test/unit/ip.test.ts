import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { findIpInText, formatIpv6, inNetwork, parseIp, parseIpv6, reverseName, specialPurpose } from '../../src/core/ip';

describe('parseIp', () => {
  it('accepts IPv4 and canonicalises IPv6 (RFC 5952)', () => {
    assert.deepEqual(parseIp(' 203.0.113.7 '), { ok: true, ip: '203.0.113.7', family: 4 });
    assert.deepEqual(parseIp('2001:0DB8:0000:0000:0000:0000:0000:0025'), { ok: true, ip: '2001:db8::25', family: 6 });
    assert.deepEqual(parseIp('[2001:db8::1]'), { ok: true, ip: '2001:db8::1', family: 6 });
    assert.deepEqual(parseIp('::ffff:192.0.2.1'), { ok: true, ip: '::ffff:c000:201', family: 6 });
    assert.equal((parseIp('2001:db8:0:1:1:1:1:1') as { ip: string }).ip, '2001:db8:0:1:1:1:1:1');
    assert.equal((parseIp('2001:0:0:1:0:0:0:1') as { ip: string }).ip, '2001:0:0:1::1');
  });
  it('names what is wrong with bad input', () => {
    const bad = (t: string) => {
      const p = parseIp(t);
      assert.equal(p.ok, false, t);
      return (p as { error: string }).error;
    };
    assert.match(bad('999.1.1.1'), /999 is larger than 255/);
    assert.match(bad('1.2.3'), /four numbers/);
    assert.match(bad('01.2.3.4'), /leading zero/);
    assert.match(bad('mail.example.com'), /host name, not an IP address/);
    assert.match(bad(''), /no address/);
    assert.match(bad('2001:db8::1::2'), /not a valid IPv6/);
    assert.match(bad('1:2:3:4:5:6:7:8:9'), /not a valid IPv6/);
    assert.match(bad('<script>'), /not an IP address/);
  });
});

describe('reverse names and networks', () => {
  it('builds in-addr.arpa and nibble ip6.arpa names', () => {
    assert.equal(reverseName('203.0.113.7'), '7.113.0.203.in-addr.arpa');
    assert.equal(reverseName('2001:db8::25'), '5.2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa');
  });
  it('matches networks and the special-purpose registry', () => {
    assert.ok(inNetwork('198.51.100.70', '198.51.100.64/26'));
    assert.ok(!inNetwork('198.51.100.130', '198.51.100.64/26'));
    assert.equal(specialPurpose('10.1.2.3')?.name, 'Private-Use');
    assert.equal(specialPurpose('127.0.0.1')?.name, 'Loopback');
    assert.equal(specialPurpose('203.0.113.9')?.rfc, 'RFC 5737');
    assert.equal(specialPurpose('2001:db8::1')?.rfc, 'RFC 3849');
    assert.equal(specialPurpose('8.8.8.8'), undefined);
    assert.equal(specialPurpose('2a00:1450::1'), undefined);
  });
  it('round-trips IPv6 text', () => {
    assert.equal(formatIpv6(parseIpv6('fe80::1:0:0:0:1')!), 'fe80:0:0:1::1');
  });
});

describe('findIpInText', () => {
  it('finds the first address in a bounce line', () => {
    assert.equal(findIpInText('550 5.7.25 Client host rejected: cannot find your hostname, [203.0.113.7]'), '203.0.113.7');
    assert.equal(findIpInText('from mail.example.com ([2001:db8::25]) by mx'), '2001:db8::25');
    assert.equal(findIpInText('version 1.2.3.4.5 and 999.1.1.1'), undefined);
    assert.equal(findIpInText('nothing here'), undefined);
    assert.equal(findIpInText('mail from 203.0.113.7.'), '203.0.113.7');
  });
});

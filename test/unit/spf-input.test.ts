// The input boxes of Check SPF and "Can this server send for a domain?": what they accept, what
// they say about the rest, and what they prefill from a selection.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  findHeloInText,
  findIpsInText,
  findSenderInText,
  fromDomainProblem,
  heloProblem,
  parseIpList,
  parseSpfTarget,
  targetProblem,
} from '../../src/core/spf/input';

describe('parseIpList', () => {
  it('takes one address, or an IPv4 and an IPv6 address separated by a comma or spaces', () => {
    assert.deepEqual(parseIpList('192.0.2.1'), { ok: true, ips: ['192.0.2.1'] });
    assert.deepEqual(parseIpList(' 192.0.2.1, 2001:DB8:0::1 '), { ok: true, ips: ['192.0.2.1', '2001:db8::1'] });
    assert.deepEqual(parseIpList('2001:db8::1 192.0.2.1'), { ok: true, ips: ['2001:db8::1', '192.0.2.1'] });
    assert.deepEqual(parseIpList('192.0.2.1;192.0.2.2'), { ok: true, ips: ['192.0.2.1', '192.0.2.2'] });
  });

  it('says what is wrong', () => {
    const error = (text: string) => {
      const r = parseIpList(text);
      assert.equal(r.ok, false);
      return (r as { error: string }).error;
    };
    assert.match(error(''), /no address given/);
    assert.match(error(' , '), /no address given/);
    assert.match(error('192.0.2.1, 192.0.2.2, 192.0.2.3'), /3 addresses given: give one, or two/);
    assert.match(error('192.0.2.1, 999.1.1.1'), /999 is larger than 255/);
    assert.match(error('192.0.2.1, mail.example.com'), /is a host name, not an IP address/);
    assert.match(error('2001:db8::1, 2001:DB8::1'), /2001:db8::1 is given twice/);
  });
});

describe('the domain and HELO boxes', () => {
  it('accepts a domain, a sender address or <>; says what is wrong with anything else', () => {
    assert.equal(targetProblem('example.com'), undefined);
    assert.equal(targetProblem('alice@example.com'), undefined);
    assert.equal(targetProblem('<>'), undefined);
    assert.match(targetProblem('') ?? '', /no domain given/);
    assert.match(targetProblem('@example.com') ?? '', /has no local part/);
    assert.match(targetProblem('localhost') ?? '', /not a fully qualified domain name/);
    assert.match(targetProblem('alice@192.0.2.1') ?? '', /the domain of "alice@192\.0\.2\.1": .*IP address/);
    assert.match(targetProblem('exa mple.com') ?? '', /holds characters/);
    assert.match(targetProblem('a..example.com') ?? '', /empty label/);
    assert.equal(heloProblem(''), undefined);
    assert.equal(heloProblem('mail.example.net'), undefined);
    assert.equal(heloProblem('[192.0.2.1]'), undefined);
    assert.match(heloProblem('mail') ?? '', /^HELO name: .*one label/);
    assert.match(fromDomainProblem('<>') ?? '', /null sender has no domain/);
    assert.equal(fromDomainProblem('sales@example.org'), undefined);
  });

  it('makes the check_host() arguments as the command line does', () => {
    assert.deepEqual(parseSpfTarget('Example.COM.'), {
      ok: true,
      target: { domain: 'Example.COM', sender: 'postmaster@Example.COM', envelopeFrom: 'postmaster@Example.COM', identity: 'mailfrom' },
    });
    assert.deepEqual(parseSpfTarget('alice@example.com', 'mail.example.net'), {
      ok: true,
      target: { domain: 'example.com', sender: 'alice@example.com', envelopeFrom: 'alice@example.com', identity: 'mailfrom' },
    });
    // RFC 7208 §2.3: the domain being the HELO name checks the HELO identity.
    assert.equal((parseSpfTarget('mail.example.net', 'MAIL.example.net') as { target: { identity: string } }).target.identity, 'helo');
    // RFC 7208 §2.4: the null sender is postmaster@<HELO name>.
    assert.deepEqual(parseSpfTarget('<>', 'mail.example.net'), {
      ok: true,
      target: { domain: 'mail.example.net', sender: 'postmaster@mail.example.net', envelopeFrom: '', identity: 'mailfrom' },
    });
    assert.deepEqual(parseSpfTarget('<>'), { ok: false, error: 'the null sender <> is checked as postmaster@<HELO name> (RFC 7208 §2.4): give the HELO name the client used' });
    assert.equal(parseSpfTarget('example.com', 'bad name').ok, false);
  });
});

describe('prefilling from a selection', () => {
  const received =
    'Received-SPF: softfail (mx.example.org: domain of transitioning alice@example.com does not designate 2001:db8::25 as permitted sender) client-ip=2001:db8::25; envelope-from="alice@example.com"; helo=mail.example.com;';

  it('finds up to two addresses in order', () => {
    assert.deepEqual(findIpsInText('from mail.example.net (mail.example.net [203.0.113.60]) and [2001:db8::25].'), ['203.0.113.60', '2001:db8::25']);
    assert.deepEqual(findIpsInText('192.0.2.1 192.0.2.1 192.0.2.2 192.0.2.3'), ['192.0.2.1', '192.0.2.2']);
    assert.deepEqual(findIpsInText(received), ['2001:db8::25']);
    assert.deepEqual(findIpsInText('no address here'), []);
  });

  it('finds the sender: the envelope-from first, else an address, else a domain', () => {
    assert.equal(findSenderInText(received), 'alice@example.com');
    assert.equal(findSenderInText('Authentication-Results: mx; spf=pass smtp.mailfrom=bounces.example.org'), 'bounces.example.org');
    assert.equal(findSenderInText('From: Bob <bob@example.net>'), 'bob@example.net');
    assert.equal(findSenderInText('the record of example.com.'), 'example.com');
    assert.equal(findSenderInText('version 1.2.3 and nothing else'), undefined);
  });

  it('finds the HELO name of a Received-SPF or SMTP line', () => {
    assert.equal(findHeloInText(received), 'mail.example.com');
    assert.equal(findHeloInText('EHLO relay.example.net'), 'relay.example.net');
    assert.equal(findHeloInText('nothing'), undefined);
  });
});

describe('issue 9 #15: finding the sender in a selection is linear', () => {
  // Shapes that made the old regular expressions retry from every position: long runs without an
  // `@`, runs of dots, many `@`, keys without values. Work must double when the input doubles.
  const shapes: Record<string, (n: number) => string> = {
    'letters, no @': (n) => 'a'.repeat(n),
    'digits and dots': (n) => '1.'.repeat(n / 2),
    'labels, no final letter': (n) => 'a.'.repeat(n / 2) + '1',
    'hyphens': (n) => 'a-'.repeat(n / 2),
    'an @ every other character': (n) => 'a@'.repeat(n / 2),
    'one @, then a long name': (n) => 'x@' + 'a'.repeat(n),
    'envelope-from= without values': (n) => 'envelope-from=;'.repeat(n / 15),
    'envelope-from= then quotes': (n) => 'envelope-from=' + '"'.repeat(n),
    'names touching underscores': (n) => 'a.b_'.repeat(n / 4),
  };
  for (const [name, make] of Object.entries(shapes)) {
    it(`issue 9 #15: ${name}: 80,000 characters take twice the work of 40,000`, () => {
      const work = (n: number) => {
        const w = { steps: 0 };
        findSenderInText(make(n), w);
        return w.steps;
      };
      const small = work(40_000);
      const large = work(80_000);
      assert.ok(small > 0);
      assert.ok(large / small < 2.2, `${small} → ${large}`);
      assert.ok(large < 10 * 80_000, `${large} steps for 80,000 characters`);
    });
  }

  it('issue 9 #15: still finds what it found', () => {
    assert.equal(findSenderInText('x'.repeat(80_000) + ' envelope-from=<bob@example.org>'), 'bob@example.org');
    assert.equal(findSenderInText('a'.repeat(80_000) + ' from carol@example.net'), 'carol@example.net');
    assert.equal(findSenderInText('envelope-from=; smtp.mailfrom=dave@example.com'), 'dave@example.com');
    assert.equal(findSenderInText('ENVELOPE-FROM=<erin@example.com>'), 'erin@example.com');
    assert.equal(findSenderInText('a@b@c.example.com'), 'b@c.example.com');
    assert.equal(findSenderInText('mail_host.example.com and relay.example.net.'), 'relay.example.net');
    assert.equal(findSenderInText('see example.com.4 and nothing'), undefined);
  });
});

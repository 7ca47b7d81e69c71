import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { genericNameReason, looksLikeAddress, postfixHostnameProblem } from '../../src/core/rdns/names';

describe('generic PTR names', () => {
  it('recognises names built from the address', () => {
    assert.match(genericNameReason('203-0-113-7.dyn.isp.example', '203.0.113.7') ?? '', /contains the address/);
    assert.match(genericNameReason('7.113.0.203.static.example.net', '203.0.113.7') ?? '', /contains the address/);
    assert.match(genericNameReason('cb007107.cable.example', '203.0.113.7') ?? '', /hexadecimal/);
    assert.match(genericNameReason('host-113-7.example.net', '203.0.113.7') ?? '', /last octets/);
    assert.match(genericNameReason('pool-71-4.dsl.example.net', '198.51.100.7') ?? '', /usual shape/);
  });
  it('leaves server names alone', () => {
    assert.equal(genericNameReason('mail.example.com', '203.0.113.7'), undefined);
    assert.equal(genericNameReason('mx1.dslreports-example.com', '203.0.113.7'), undefined);
    assert.equal(genericNameReason('smtp7.example.org', '203.0.113.7'), undefined);
    assert.equal(genericNameReason('mail.dsl.example', '203.0.113.7'), undefined);
  });
});

describe('Postfix hostname rules', () => {
  it('accepts ordinary and underscore names, refuses malformed ones', () => {
    assert.equal(postfixHostnameProblem('mail.example.com'), undefined);
    assert.equal(postfixHostnameProblem('mail_1.example.com'), undefined);
    assert.match(postfixHostnameProblem('-bad.example.com') ?? '', /starts or ends/);
    assert.match(postfixHostnameProblem('a..b') ?? '', /empty label/);
    assert.match(postfixHostnameProblem('x'.repeat(64) + '.com') ?? '', /longer than 63/);
    assert.match(postfixHostnameProblem('mail example.com') ?? '', /characters other than/);
    assert.match(postfixHostnameProblem('192.0.2.1') ?? '', /all numeric/);
    assert.ok(looksLikeAddress('192.0.2.1'));
    assert.ok(!looksLikeAddress('mail.example.com'));
  });
});

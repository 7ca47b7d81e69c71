import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ipBytes } from '../../src/core/ip';
import { DYNAMIC_WORDS, genericNameReason, looksLikeAddress, postfixHostnameProblem } from '../../src/core/rdns/names';

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

// genericNameReason before its substring prefilters (the audit asks it of every address): the
// faster version must say exactly what this one says, for names made of the address's own parts.
const REFERENCE_WORDS = DYNAMIC_WORDS;

function referenceGenericNameReason(name: string, ip: string): string | undefined {
  const lower = name.toLowerCase();
  const bytes = ipBytes(ip);
  if (bytes.length === 4) {
    const o = Array.from(bytes).map(String);
    const forms = [o.join('[-._]?'), [...o].reverse().join('[-._]?')];
    for (const f of forms) {
      if (new RegExp(`(^|[^0-9])${f}([^0-9]|$)`).test(lower)) return `it contains the address ${ip}`;
    }
    const hex = Array.from(bytes)
      .map((b) => b.toString(16).padStart(2, '0'))
      .join('');
    if (lower.includes(hex)) return `it contains the address ${ip} in hexadecimal (${hex})`;
    // The last two octets in the first label are a common generic pattern too (host-113-7.example).
    const first = lower.split('.')[0];
    if (new RegExp(`(^|[^0-9])${o[2]}[-_]${o[3]}([^0-9]|$)`).test(first)) return `its first label contains the address's last octets (${o[2]}-${o[3]})`;
  } else {
    const groups: string[] = [];
    for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] << 8) | bytes[i + 1]).toString(16));
    const tail = groups.slice(4).join('[-._]?');
    if (new RegExp(tail).test(lower)) return `it contains the address ${ip}`;
  }
  const labels = lower.split('.');
  // The registered domain (last two labels) does not count: "dsl.example" as a company name is fine.
  const hostPart = labels.slice(0, Math.max(1, labels.length - 2));
  for (const label of hostPart) {
    for (const token of label.split(/[-_0-9]+/)) {
      if (token && REFERENCE_WORDS.includes(token) && /\d/.test(hostPart.join('.'))) {
        return `it has the word "${token}" and numbers, the usual shape of an ISP's name for a customer line`;
      }
    }
    if (['dyn', 'dynamic', 'dhcp', 'pool', 'dialup', 'ppp', 'pppoe', 'dsl', 'adsl', 'cable', 'broadband', 'residential'].includes(label)) {
      return `it has the label "${label}", the usual shape of an ISP's name for a customer line`;
    }
  }
  return undefined;
}

describe('generic PTR names: the prefiltered test says what the plain one said', () => {
  it('on names built from the address, its octets reversed, hex, dynamic words and digits', () => {
    const octet = fc.integer({ min: 0, max: 255 });
    const arb = fc.tuple(octet, octet, octet, octet).chain(([a, b, c, d]) => {
      const parts = [String(a), String(b), String(c), String(d), a.toString(16).padStart(2, '0') + b.toString(16).padStart(2, '0'), 'dyn', 'pool', 'mail', 'smtp', 'x', '1', '22', 'dsl', 'static'];
      const label = fc.array(fc.constantFrom(...parts), { minLength: 1, maxLength: 5 }).chain((ps) => fc.constantFrom('-', '.', '_', '').map((sep) => ps.join(sep)));
      return fc.tuple(fc.constant(`${a}.${b}.${c}.${d}`), fc.array(label, { minLength: 1, maxLength: 4 }).map((ls) => `${ls.join('.')}.isp.example`));
    });
    fc.assert(
      fc.property(arb, ([ip, name]) => {
        assert.equal(genericNameReason(name, ip), referenceGenericNameReason(name, ip));
      }),
      { numRuns: 3000, seed: 15 },
    );
  });
});

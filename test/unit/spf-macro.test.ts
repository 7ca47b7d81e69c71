import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { parseIpv6 } from '../../src/core/ip';
import { dottedNibbles, expandTokens, parseMacroString, toQueryName, transform, unqueryable, urlEscape, type MacroValues } from '../../src/core/spf/macro';

// RFC 7208 §7.4: sender strong-bad@email.example.com, client 192.0.2.3, PTR mx.example.org.
const V4: MacroValues = {
  s: 'strong-bad@email.example.com',
  l: 'strong-bad',
  o: 'email.example.com',
  d: 'email.example.com',
  i: '192.0.2.3',
  p: 'mx.example.org',
  v: 'in-addr',
  h: 'mx.example.org',
  c: '192.0.2.3',
  r: 'example.net',
  t: '1700000000',
};

function expand(text: string, values = V4, place: 'domain' | 'exp-text' = 'domain'): string {
  const p = parseMacroString(text, place);
  assert.ok(p.ok, `${text}: ${p.ok ? '' : p.problem.message}`);
  return expandTokens(p.tokens, values);
}

describe('macro expansion: the RFC 7208 §7.4 examples', () => {
  for (const [macro, expected] of [
    ['%{s}', 'strong-bad@email.example.com'],
    ['%{o}', 'email.example.com'],
    ['%{d}', 'email.example.com'],
    ['%{d4}', 'email.example.com'],
    ['%{d3}', 'email.example.com'],
    ['%{d2}', 'example.com'],
    ['%{d1}', 'com'],
    ['%{dr}', 'com.example.email'],
    ['%{d2r}', 'example.email'],
    ['%{l}', 'strong-bad'],
    ['%{l-}', 'strong.bad'],
    ['%{lr}', 'strong-bad'],
    ['%{lr-}', 'bad.strong'],
    ['%{l1r-}', 'strong'],
    ['%{ir}.%{v}._spf.%{d2}', '3.2.0.192.in-addr._spf.example.com'],
    ['%{lr-}.lp._spf.%{d2}', 'bad.strong.lp._spf.example.com'],
    ['%{lr-}.lp.%{ir}.%{v}._spf.%{d2}', 'bad.strong.lp.3.2.0.192.in-addr._spf.example.com'],
    ['%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}', '3.2.0.192.in-addr.strong.lp._spf.example.com'],
    ['%{d2}.trusted-domains.example.net', 'example.com.trusted-domains.example.net'],
    ['%{p2}.trusted-domains.example.net', 'example.org.trusted-domains.example.net'],
  ] as const) {
    it(`${macro} → ${expected}`, () => assert.equal(expand(macro), expected));
  }

  it('%{ir}.%{v}._spf.%{d2} for 2001:db8::cb01 (nibbles; upper case, which DNS ignores)', () => {
    const i = dottedNibbles(parseIpv6('2001:db8::cb01')!);
    const got = expand('%{ir}.%{v}._spf.%{d2}', { ...V4, i, v: 'ip6' });
    assert.equal(got.toLowerCase(), '1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6._spf.example.com');
  });
});

describe('macro details', () => {
  it('expands %% %_ %- and URL-escapes upper-case macros (RFC 7208 §7.3)', () => {
    assert.equal(expand('macro%%percent%_%_space%-url-space.example.com'), 'macro%percent  space%20url-space.example.com');
    assert.equal(expand('%{L}', { ...V4, l: '~jack&jill=up-a_b3.c' }), '~jack%26jill%3Dup-a_b3.c');
    assert.equal(urlEscape("JUMPIN' JUPITER"), 'JUMPIN%27%20JUPITER');
  });

  it('splits on several delimiters, reverses, keeps the right-hand parts', () => {
    assert.equal(transform('foo-bar+zip+quux', '+-', true, 2), 'bar.foo');
    assert.equal(transform('philip-gladstone-test', '-', true, 2), 'gladstone.philip');
    assert.equal(transform('a.b.c', '', false, 99), 'a.b.c');
  });

  it('allows c, r and t in explanation text only', () => {
    assert.equal(expand('%{c} from %{r} at %{t}', V4, 'exp-text'), '192.0.2.3 from example.net at 1700000000');
    const p = parseMacroString('%{c}.example.com', 'domain');
    assert.ok(!p.ok && p.problem.code === 'spf-macro-exp-only');
  });

  it('reports bad macros with offsets', () => {
    for (const [text, span] of [
      ['foo%.sbl', '%.'],
      ['%{x}', '%{x}'],
      ['a%{d', '%{d'],
      ['%{d0}', '%{d0}'],
    ] as const) {
      const p = parseMacroString(text, 'domain', 100);
      assert.ok(!p.ok, text);
      if (!p.ok) assert.equal(text.slice(p.problem.start - 100, p.problem.end - 100), span);
    }
  });

  it('cuts names over 253 characters from the left and drops a trailing dot (RFC 7208 §7.3)', () => {
    const o = 'somewhat.long.exp.example.com';
    const long = `foobar.${Array(8).fill(o).join('.')}.example.com`;
    assert.equal(long.length, 258);
    assert.equal(toQueryName(long), `${Array(8).fill(o).join('.')}.example.com`);
    assert.equal(toQueryName('example.com.'), 'example.com');
    assert.match(unqueryable(`${'a'.repeat(64)}.example.com`) ?? '', /longer than 63/);
    assert.match(unqueryable('mail.example...com') ?? '', /empty label/);
    assert.equal(unqueryable('foo:bar/baz.example.com'), undefined);
  });
});

import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { authorizeIp, ipMechanism, txtRecordLine } from '../../src/core/spf/fix';
import { countLookups, isSpfRecord, lintSpf, parseSpf } from '../../src/core/spf/parse';

function problem(text: string) {
  const p = parseSpf(text);
  assert.ok(p.problems.length > 0, `expected a problem in ${JSON.stringify(text)}`);
  const first = p.problems[0];
  return { ...first, span: text.slice(first.start, first.end) };
}

describe('SPF record selection (RFC 7208 §4.5)', () => {
  for (const [text, spf] of [
    ['v=spf1', true],
    ['v=spf1 -all', true],
    ['V=SpF1 ~all', true],
    ['v=spf10', false],
    ['v=spf1mx', false],
    [' v=spf1 -all', false],
    ['spf2.0/pra -all', false],
  ] as const) {
    it(`${JSON.stringify(text)} is ${spf ? '' : 'not '}an SPF record`, () => assert.equal(isSpfRecord(text), spf));
  }
});

describe('parseSpf: terms and offsets', () => {
  it('gives every term with exact offsets, qualifier, target and dual CIDR', () => {
    const text = 'v=spf1  a mx:mx.example.org/24//64 -ip4:192.0.2.0/24 ~ip6:2001:db8::/32 ?include:_spf.example.net ptr exists:%{i}.x.example.com redirect=_r.example.com exp=why.example.com foo=bar ';
    const p = parseSpf(text);
    assert.deepEqual(p.problems, []);
    for (const t of p.terms) assert.equal(text.slice(t.start, t.end), t.text);
    assert.deepEqual(
      p.terms.map((t) => [t.kind, t.name, t.qualifier ?? null, t.domainSpec ?? t.network ?? null, t.cidr4 ?? null, t.cidr6 ?? null, t.dnsTerm]),
      [
        ['mechanism', 'a', '+', null, null, null, true],
        ['mechanism', 'mx', '+', 'mx.example.org', 24, 64, true],
        ['mechanism', 'ip4', '-', '192.0.2.0', 24, null, false],
        ['mechanism', 'ip6', '~', '2001:db8::', null, 32, false],
        ['mechanism', 'include', '?', '_spf.example.net', null, null, true],
        ['mechanism', 'ptr', '+', null, null, null, true],
        ['mechanism', 'exists', '+', '%{i}.x.example.com', null, null, true],
        ['modifier', 'redirect', null, '_r.example.com', null, null, true],
        ['modifier', 'exp', null, 'why.example.com', null, null, false],
        ['modifier', 'foo', null, null, null, null, false],
      ],
    );
    const mx = p.terms[1];
    assert.equal(text.slice(mx.domainSpecStart!, mx.domainSpecStart! + mx.domainSpec!.length), 'mx.example.org');
    assert.deepEqual(p.terms[6].macroLetters, ['i']);
    assert.equal(p.redirect, 7);
    assert.equal(p.exp, 8);
    assert.equal(p.hasAll, false);
  });

  it('lets a domain hold ":" and "/" and takes only a trailing prefix length as CIDR', () => {
    const p = parseSpf('v=spf1 a:foo:bar/baz.example.com a:foo.example.com/24');
    assert.deepEqual(p.problems, []);
    assert.equal(p.terms[0].domainSpec, 'foo:bar/baz.example.com');
    assert.equal(p.terms[0].cidr4, undefined);
    assert.equal(p.terms[1].domainSpec, 'foo.example.com');
    assert.equal(p.terms[1].cidr4, 24);
  });

  for (const [text, code, span] of [
    ['v=spf1 -all moo', 'spf-unknown-mechanism', 'moo'],
    ['v=spf1 -all.', 'spf-unknown-mechanism', '-all.'],
    ['v=spf1 -all:foobar', 'spf-mechanism-syntax', '-all:foobar'],
    ['v=spf1 ptr/0 -all', 'spf-mechanism-syntax', 'ptr/0'],
    ['v=spf1 include', 'spf-mechanism-syntax', 'include'],
    ['v=spf1 include: -all', 'spf-invalid-domain-spec', ''],
    ['v=spf1 exists:mail.example.com/24', 'spf-invalid-domain-spec', 'mail.example.com/24'],
    ['v=spf1 a:museum', 'spf-invalid-domain-spec', 'museum'],
    ['v=spf1 a:museum.', 'spf-invalid-domain-spec', 'museum.'],
    ['v=spf1 a:example.-com', 'spf-invalid-domain-spec', 'example.-com'],
    ['v=spf1 a:abc.123', 'spf-invalid-domain-spec', 'abc.123'],
    ['v=spf1 a:111.222.33.44', 'spf-address-as-domain', 'a:111.222.33.44'],
    ['v=spf1 a/33 -all', 'spf-invalid-cidr', '/33'],
    ['v=spf1 a//129 -all', 'spf-invalid-cidr', '//129'],
    ['v=spf1 a/24/64 -all', 'spf-invalid-cidr', '/24/64'],
    ['v=spf1 ip4:1.2.3.4/032 -all', 'spf-invalid-cidr', '/032'],
    ['v=spf1 ip4:1.2.3.4//32', 'spf-invalid-cidr', '//32'],
    ['v=spf1 ip4:1.2.3', 'spf-invalid-ip', '1.2.3'],
    ['v=spf1 ip4:1.2.3.4:8080', 'spf-invalid-ip', '1.2.3.4:8080'],
    ['v=spf1 ip4:2001:db8::1', 'spf-invalid-ip', '2001:db8::1'],
    ['v=spf1 ip6::CAFE::BABE', 'spf-invalid-ip', ':CAFE::BABE'],
    ['v=spf1 ip4', 'spf-mechanism-syntax', 'ip4'],
    ['v=spf1 redirect:example.com', 'spf-modifier-as-mechanism', 'redirect:example.com'],
    ['v=spf1 1up=foo', 'spf-invalid-modifier', '1up=foo'],
    ['v=spf1 =all', 'spf-invalid-modifier', '=all'],
    ['v=spf1 -all foo=%abc', 'spf-invalid-macro', '%a'],
    ['v=spf1 exists:%(ir).sbl.example.com', 'spf-invalid-macro', '%('],
    ['v=spf1 a:%{a}.example.com', 'spf-invalid-macro', '%{a}'],
    ['v=spf1 -all exp=%{r}.example.com', 'spf-macro-exp-only', '%{r}'],
    ['v=spf1 exists:%{l0}.example.com', 'spf-invalid-macro', '%{l0}'],
    ['v=spf1 exp= -all', 'spf-invalid-domain-spec', ''],
    ['v=spf1 redirect=-all', 'spf-invalid-domain-spec', '-all'],
    ['v=spf1 exp=a.example.com -all exp=b.example.com', 'spf-duplicate-modifier', 'exp=b.example.com'],
    ['v=spf1 a:\u00efgarbage.example.net -all', 'spf-non-ascii', '\u00ef'],
    ['v=spf1 a:ctrl.example.com\rptr -all', 'spf-invalid-character', '\r'],
    ['v=spf1 a:foo.example.com\u0000', 'spf-invalid-character', '\u0000'],
  ] as const) {
    it(`${JSON.stringify(text)} → ${code} at ${JSON.stringify(span)}`, () => {
      const p = problem(text);
      assert.equal(p.code, code);
      assert.equal(p.span, span);
      assert.match(p.message, /RFC 7208 §/);
    });
  }

  it('proposes ip4: for an address written as a:, keeping the qualifier and prefix', () => {
    assert.equal(problem('v=spf1 -a:192.0.2.1/24 ~all').replacement, '-ip4:192.0.2.1/24');
    assert.equal(problem('v=spf1 mx:192.0.2.1').replacement, 'ip4:192.0.2.1');
  });

  it('accepts a dash in the top label and modifier names with . - _', () => {
    assert.deepEqual(parseSpf('v=spf1 a:foo.example.xn--zckzah moo.cow-far_out=man:dog/cat -all').problems, []);
  });

  it('says what is not SPF at all', () => {
    const p = parseSpf('spf2.0/pra -all');
    assert.equal(p.isSpf, false);
    assert.equal(p.problems[0].code, 'spf-not-spf');
  });
});

describe('countLookups: the static lookup counter', () => {
  it('counts DNS-querying terms, not after "all", and a redirect only without "all"', () => {
    const c = countLookups(parseSpf('v=spf1 a mx ip4:192.0.2.1 include:_a.example.com include:_b.example.com ptr exists:x.example.com -all a redirect=r.example.com'));
    assert.equal(c.dnsTerms, 6);
    assert.deepEqual(c.includes, ['_a.example.com', '_b.example.com']);
    assert.deepEqual(c.deadTerms, [8]);
    assert.equal(c.redirect, undefined);
    const r = countLookups(parseSpf('v=spf1 ip4:192.0.2.0/24 redirect=_spf.example.com'));
    assert.equal(r.dnsTerms, 1);
    assert.equal(r.redirect, '_spf.example.com');
  });
});

describe('lintSpf', () => {
  it('flags ptr, +all, dead terms, an ignored redirect, unknown modifiers and more than 10 lookups, with offsets', () => {
    const text = 'v=spf1 ptr +all mx redirect=x.example.com foo=1';
    const codes = lintSpf(parseSpf(text)).map((l) => [l.code, text.slice(l.start, l.end)]);
    assert.deepEqual(codes, [
      ['spf-ptr-discouraged', 'ptr'],
      ['spf-pass-all', '+all'],
      ['spf-after-all', 'mx'],
      ['spf-redirect-ignored', 'redirect=x.example.com'],
      ['spf-unknown-modifier', 'foo=1'],
    ]);
    const many = lintSpf(parseSpf(`v=spf1 ${Array.from({ length: 11 }, (_, i) => `a:h${i}.example.com`).join(' ')} -all`));
    assert.ok(many.some((l) => l.code === 'spf-too-many-lookups'));
  });
});

describe('authorizeIp and txtRecordLine', () => {
  it('puts the address before the term that decided, else before all, else before redirect, else at the end', () => {
    assert.equal(authorizeIp('v=spf1 mx -all', '203.0.113.60').record, 'v=spf1 mx ip4:203.0.113.60 -all');
    assert.equal(authorizeIp('v=spf1 -ip4:203.0.113.0/24 mx ~all', '203.0.113.60', { before: 0 }).record, 'v=spf1 ip4:203.0.113.60 -ip4:203.0.113.0/24 mx ~all');
    assert.equal(authorizeIp('v=spf1 redirect=_spf.example.org', '2001:db8::5').record, 'v=spf1 ip6:2001:db8::5 redirect=_spf.example.org');
    assert.equal(authorizeIp('v=spf1 mx ', '192.0.2.1').record, 'v=spf1 mx ip4:192.0.2.1');
    assert.equal(authorizeIp(undefined, '192.0.2.1', { hasMx: true }).record, 'v=spf1 mx ip4:192.0.2.1 ~all');
    assert.equal(authorizeIp('v=spf1 include:a.example.com -all', '192.0.2.1').dnsTerms, 1);
    assert.equal(ipMechanism('::ffff:192.0.2.1'), 'ip4:192.0.2.1');
  });

  it('splits long TXT data into 255-byte strings and escapes quotes', () => {
    const long = 'v=spf1 ' + 'ip4:198.51.100.1 '.repeat(20) + '-all';
    const line = txtRecordLine('example.org.', long);
    const strings = [...line.matchAll(/"([^"]*)"/g)].map((m) => m[1]);
    assert.ok(strings.length === 2 && strings.every((s) => s.length <= 255));
    assert.equal(strings.join(''), long);
    assert.ok(line.startsWith('example.org. 3600 IN TXT "v=spf1'));
    assert.equal(txtRecordLine('x.example', 'a"b'), 'x.example. 3600 IN TXT "a\\"b"');
  });
});

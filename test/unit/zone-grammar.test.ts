// The zone-file grammar, tokenised by the same engine VS Code uses (vscode-textmate + oniguruma).
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import * as oniguruma from 'vscode-oniguruma';
import * as textmate from 'vscode-textmate';
import { REPO_ROOT } from '../paths';

let grammar: textmate.IGrammar;

function tokens(lines: string[]): { text: string; scopes: string }[][] {
  let state = textmate.INITIAL;
  return lines.map((line) => {
    const r = grammar.tokenizeLine(line, state);
    state = r.ruleStack;
    return r.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes.join(' ') }));
  });
}

function scopeOf(lineTokens: { text: string; scopes: string }[], text: string): string {
  const t = lineTokens.find((x) => x.text === text);
  assert.ok(t, `no token ${JSON.stringify(text)} in ${JSON.stringify(lineTokens.map((x) => x.text))}`);
  return t.scopes;
}

describe('DNS zone grammar', () => {
  before(async () => {
    const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
    const registry = new textmate.Registry({
      onigLib: Promise.resolve({ createOnigScanner: (p) => new oniguruma.OnigScanner(p), createOnigString: (s) => new oniguruma.OnigString(s) }),
      loadGrammar: async () => textmate.parseRawGrammar(fs.readFileSync(path.join(REPO_ROOT, 'media', 'zone.tmLanguage.json'), 'utf8'), 'zone.tmLanguage.json'),
    });
    const g = await registry.loadGrammar('source.dns-zone');
    assert.ok(g);
    grammar = g;
  });

  it('keeps a ; inside a quoted string out of the comment', () => {
    const [line] = tokens(['@ 3600 IN TXT "v=spf1 ip4:192.0.2.1 ; still text" ; a comment']);
    assert.match(scopeOf(line, ":192.0.2.1 ; still text"), /string\.quoted/);
    assert.doesNotMatch(scopeOf(line, ":192.0.2.1 ; still text"), /comment/);
    assert.match(scopeOf(line, '; a comment'), /comment\.line/);
    assert.match(scopeOf(line, 'v=spf1'), /keyword\.other\.spf/);
  });

  it('handles escaped quotes and decimal escapes inside strings', () => {
    const [line] = tokens(['txt IN TXT "say \\"hi\\" \\059 not a comment" ; real']);
    assert.match(scopeOf(line, '\\"'), /constant\.character\.escape/);
    assert.match(scopeOf(line, '\\059'), /escape\.decimal/);
    assert.match(scopeOf(line, '; real'), /comment/);
  });

  it('marks directives, owners, classes, types, TTLs and addresses', () => {
    const [origin, ttl, rec, gen] = tokens(['$ORIGIN example.com.', '$TTL 1h30m', 'mail 300 IN A 192.0.2.10', '$GENERATE 64-127 $ CNAME $.64/26']);
    assert.match(scopeOf(origin, '$ORIGIN'), /keyword\.control\.directive/);
    assert.match(scopeOf(ttl, '1h30m'), /constant\.numeric/);
    assert.match(scopeOf(rec, 'mail'), /entity\.name\.tag\.owner/);
    assert.match(scopeOf(rec, 'IN'), /storage\.modifier\.class/);
    assert.match(scopeOf(rec, 'A'), /support\.type\.rrtype/);
    assert.match(scopeOf(rec, '192.0.2.10'), /constant\.numeric\.address/);
    assert.match(scopeOf(gen, '$GENERATE'), /directive/);
  });

  it('stays right across a multi-line ( … ) record with comments inside', () => {
    const lines = tokens(['@ IN SOA ns1 hostmaster ( ; start', '   2026112901 ; serial', '   3600 )', 'www IN A 192.0.2.80']);
    assert.match(scopeOf(lines[0], '('), /punctuation\.section\.parens/);
    assert.match(scopeOf(lines[1], '; serial'), /comment/);
    assert.match(scopeOf(lines[2], ')'), /parens/);
    assert.match(scopeOf(lines[3], 'www'), /owner/);
  });

  it('knows RFC 3597 unknown types and rdata', () => {
    const [line] = tokens(['x IN TYPE65534 \\# 3 abcdef']);
    assert.match(scopeOf(line, 'TYPE65534'), /rrtype/);
    assert.match(scopeOf(line, '\\#'), /unknown-rdata/);
  });
});

// Issue 12: `maildns lint` errors are exactly what BIND refuses to load. Every zone of the shared
// corpus (BIND 9.18's checkzone zones and Knot's semantic-check zones, read from
// /work/shared/corpora/zones at run time) and every own case (test/fixtures/zone-conformance, one
// file per kind of disagreement the issue found) goes through the real named-checkzone and the
// linter; the harness (test/harness/zone-conformance.ts) is the same code that writes the table in
// docs/benchmarks.md.
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { CHECKZONE, type CaseResult, corpusCases, goldResults, OUT_OF_SCOPE, ownCases, runAll, runCase } from '../harness/zone-conformance';
import { originFromText } from '../../src/core/zone/workspace';
import { readFileSync } from 'node:fs';
import { REPO_ROOT } from '../paths';

const ALLOW_SKIP = process.env.MAILDNS_ALLOW_SKIP === '1';

function show(r: CaseResult): string {
  const bind = r.bind.output.split('\n').filter((l) => l.trim() !== '' && !/loaded serial|^OK$/.test(l)).slice(0, 4).join('\n      ');
  const ours = r.errors.slice(0, 3).map((e) => `${e.file}:${e.line} ${e.code} ${e.message}`).join('\n      ');
  return `${path.relative(REPO_ROOT, r.c.file)} (${r.c.origin}): BIND ${r.bind.ok ? 'loads it' : 'refuses it'}\n      ${bind}\n    ours: ${ours || 'no error'}`;
}

/** The checks every group of results must pass. */
function assertAgreement(results: CaseResult[], what: string): void {
  const falseAlarms = results.filter((r) => r.bind.ok && r.errors.length > 0);
  assert.deepEqual(falseAlarms.map(show), [], `${what}: errors where BIND loads the zone`);
  const refused = results.filter((r) => !r.bind.ok);
  const missed = refused.filter((r) => r.errors.length === 0 && !OUT_OF_SCOPE[path.relative(REPO_ROOT, r.c.file)]);
  assert.ok(missed.length <= 0.02 * refused.length, `${what}: ${missed.length} of ${refused.length} refused files get no error:\n${missed.map(show).join('\n')}`);
  assert.deepEqual(missed.map(show), [], `${what}: every miss is listed in OUT_OF_SCOPE with its reason`);
  // Where BIND names the line it refused, one of our errors is on it.
  const offLine = results.filter((r) => r.lineAgrees === false);
  assert.deepEqual(offLine.map(show), [], `${what}: BIND names a line none of our errors is on`);
}

describe('issue 12: zone files, linted as BIND loads them (named-checkzone, default options, -i local)', { timeout: 300_000 }, () => {
  before(() => {
    assert.ok(CHECKZONE, 'named-checkzone is not installed: scripts/ensure-test-deps.mjs installs bind9-utils');
  });

  it('own cases: each kind of false alarm and miss the issue found, BIND\'s verdict as the fixture says', async () => {
    const cases = ownCases();
    const results = await runAll(cases, (c) => runCase(c));
    // The fixtures are what they claim: BIND loads the "loads" ones and refuses the "refused" ones.
    assert.deepEqual(
      results.filter((r) => r.bind.ok !== (r.c.expect === 'accept')).map(show),
      [],
      'a fixture BIND does not judge as cases.json says',
    );
    assertAgreement(results, 'own cases');
    // Noise the issue names: none of these codes on the cases that list them.
    for (const r of results) for (const code of r.c.noWarnings ?? []) assert.ok(!r.warnings.includes(code), `${r.c.what}: ${code}`);
    // RFC 4034 §3: RRSIG TTLs differ by design.
    const rrsig = results.find((r) => r.c.file.endsWith('rrsig-ttls.zone'))!;
    assert.ok(!rrsig.warnings.includes('zone-ttl-mismatch'), rrsig.warnings.join(', '));
  });

  it('own cases whose text gives their origin: linted without one, that origin is chosen and BIND agrees', async () => {
    const cases = ownCases().filter((c) => c.originFrom);
    assert.ok(cases.length >= 3);
    for (const c of cases) {
      const own = originFromText(readFileSync(c.file, 'utf8'));
      assert.equal(own?.origin, `${c.origin}.`, c.file);
      assert.equal(own?.source, c.originFrom, c.file);
    }
    const results = await runAll(cases, (c) => runCase(c, true));
    assertAgreement(results, 'origin from the file');
  });

  it('the shared corpus (BIND 9.18 checkzone zones, Knot semantic-check zones): no false alarm, ≥ 98% of refusals caught, on BIND\'s line', async (t) => {
    const cases = corpusCases();
    if (cases.length === 0) {
      if (ALLOW_SKIP) return t.skip('no shared corpus at /work/shared/corpora/zones (MAILDNS_ALLOW_SKIP=1)');
      assert.fail('the shared zone corpus is not on this machine (/work/shared/corpora/zones or $MAILDNS_CORPORA/zones); MAILDNS_ALLOW_SKIP=1 skips this test');
    }
    const results = await runAll(cases, (c) => runCase(c));
    for (const source of ['bind9', 'knot'] as const) assertAgreement(results.filter((r) => r.c.source === source), source);
    // Files whose own text gives an origin are linted with it when none is given, and that is the corpus' origin.
    const own = await runAll(
      cases.filter((c) => originFromText(readFileSync(c.file, 'latin1')) !== undefined),
      (c) => runCase(c, true),
    );
    assert.ok(own.length > 50, String(own.length));
    for (const r of own) assert.equal(originFromText(readFileSync(r.c.file, 'latin1'))?.origin, `${r.c.origin}.`, r.c.file);
    assertAgreement(own, 'origin from the file');
  });

  it('BIND\'s checkzone gold set: 100%, with the options its tests use (-k fail: --check-names fail)', async (t) => {
    const cases = corpusCases();
    if (cases.length === 0) {
      if (ALLOW_SKIP) return t.skip('no shared corpus (MAILDNS_ALLOW_SKIP=1)');
      assert.fail('the shared zone corpus is not on this machine; MAILDNS_ALLOW_SKIP=1 skips this test');
    }
    const gold = await goldResults(cases);
    assert.ok(gold.length >= 100, String(gold.length));
    // named-checkzone itself gives the verdicts its test suite asserts.
    assert.deepEqual(gold.filter((g) => g.bindOk !== (g.c.gold === 'accept')).map((g) => g.c.file), []);
    assert.deepEqual(gold.filter((g) => g.ours !== (g.c.gold === 'accept')).map((g) => `${path.basename(g.c.file)}: gold ${g.c.gold}`), []);
  });
});

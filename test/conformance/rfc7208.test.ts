// The openspf RFC 7208 test suite (rfc7208-tests.yml, vendored beside this file with its licence),
// every case through the real DNS client against test/harness/fault-dns.ts serving the scenario's
// zone data.
//
// Zone data follows the suite's own driver conventions:
// - "SPF" entries are served as TXT too when the name has no TXT entry ("auto-magic duplication");
//   type SPF itself is never asked for (RFC 7208 §3.1), which this runner checks.
// - "TXT: NONE" means no TXT records (it still stops the duplication).
// - "TIMEOUT": a question about that name never gets an answer, unless records of the asked type
//   come before the TIMEOUT entry (then those are the answer). fault-dns is silent per name, not per
//   type, so each name is silent when its TXT question must time out; after every case the runner
//   checks that each question actually asked got the behaviour the suite wants.
//
// Two passes: over UDP with prefetching, and over TCP (every UDP reply truncated) with strict
// sequential lookups. Both must pass every case, and their results and counts must be equal.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type * as dnsPacket from 'dns-packet';
import { parseAllDocuments } from 'yaml';
import { createResolver } from '../../src/core/dns/resolver';
import { checkHost, spfIdentity } from '../../src/core/spf/check';
import { startFaultDns, type Behaviour, type FaultDnsServer } from '../harness/fault-dns';
import { REPO_ROOT } from '../paths';

const SUITE = path.join(REPO_ROOT, 'test', 'conformance', 'rfc7208-tests.yml');
const EXPECTED_CASES = 203;

interface Case {
  name: string;
  spec?: string;
  description?: string;
  helo: string;
  host: string;
  mailfrom: string;
  result: string | string[];
  explanation?: string;
}

interface Scenario {
  description: string;
  cases: Case[];
  zonedata: Record<string, unknown[]>;
}

function loadSuite(): Scenario[] {
  const docs = parseAllDocuments(readFileSync(SUITE, 'utf8'));
  return docs.map((d) => {
    if (d.errors.length > 0) throw new Error(`${SUITE}: ${d.errors[0].message}`);
    const js = d.toJS() as { description: string; tests: Record<string, Omit<Case, 'name'>>; zonedata?: Record<string, unknown[]> };
    return {
      description: js.description,
      cases: Object.entries(js.tests).map(([name, c]) => ({ name, ...c, helo: String(c.helo), host: String(c.host), mailfrom: String(c.mailfrom ?? '') })),
      zonedata: js.zonedata ?? {},
    };
  });
}

interface Zone {
  answers: dnsPacket.Answer[];
  /** Names whose questions go unanswered. */
  silent: Set<string>;
  /** Names with a TIMEOUT entry → types answered before it (all other types must time out). */
  timeouts: Map<string, Set<string>>;
}

function strip(name: string): string {
  return name.replace(/\.$/, '');
}

function buildZone(zonedata: Record<string, unknown[]>): Zone {
  const answers: dnsPacket.Answer[] = [];
  const silent = new Set<string>();
  const timeouts = new Map<string, Set<string>>();
  for (const [raw, entries] of Object.entries(zonedata)) {
    const name = strip(raw).toLowerCase();
    const hasTxt = entries.some((e) => typeof e === 'object' && e !== null && 'TXT' in e);
    const items: ({ type: string; value: unknown } | 'TIMEOUT')[] = [];
    for (const e of entries) {
      if (e === 'TIMEOUT') {
        items.push('TIMEOUT');
        continue;
      }
      const [type, value] = Object.entries(e as Record<string, unknown>)[0];
      if (value === 'NONE') continue;
      if (type === 'SPF') {
        if (!hasTxt) items.push({ type: 'TXT', value });
        continue; // type SPF (99) is obsolete; RFC 7208 clients never ask for it
      }
      items.push({ type, value });
    }
    const cut = items.indexOf('TIMEOUT');
    const served = (cut < 0 ? items : items.slice(0, cut)) as { type: string; value: unknown }[];
    if (cut >= 0) {
      const answered = new Set(served.map((i) => i.type));
      timeouts.set(name, answered);
      if (!answered.has('TXT')) silent.add(name);
    }
    for (const { type, value } of served) {
      switch (type) {
        case 'TXT':
          answers.push({ name, type: 'TXT', ttl: 300, data: Array.isArray(value) ? value.map(String) : [String(value)] } as dnsPacket.Answer);
          break;
        case 'A':
        case 'AAAA':
          answers.push({ name, type, ttl: 300, data: String(value) } as dnsPacket.Answer);
          break;
        case 'PTR':
        case 'CNAME':
          answers.push({ name, type, ttl: 300, data: strip(String(value)) } as dnsPacket.Answer);
          break;
        case 'MX': {
          const [preference, exchange] = value as [number, string];
          answers.push({ name, type: 'MX', ttl: 300, data: { preference: Number(preference), exchange: strip(String(exchange)) } } as dnsPacket.Answer);
          break;
        }
        default:
          throw new Error(`zone data for ${name}: record type ${type} is not handled by this runner`);
      }
    }
  }
  return { answers, silent, timeouts };
}

interface Outcome {
  result: string;
  lookups: number;
  voidLookups: number;
}

const scenarios = loadSuite();
const MODES = [
  { key: 'udp', label: 'over UDP, lookups prefetched in parallel', truncate: false, prefetch: true },
  { key: 'tcp', label: 'over TCP (every UDP reply truncated), strictly sequential lookups', truncate: true, prefetch: false },
] as const;
const outcomes = new Map<string, Map<string, Outcome>>(MODES.map((m) => [m.key, new Map()]));
const tally = new Map<string, { passed: number; failed: number }>(MODES.map((m) => [m.key, { passed: 0, failed: 0 }]));

describe('RFC 7208 test suite (openspf, rfc7208-tests.yml)', () => {
  it(`has ${EXPECTED_CASES} cases in ${scenarios.length} scenarios`, () => {
    assert.equal(
      scenarios.reduce((n, s) => n + s.cases.length, 0),
      EXPECTED_CASES,
    );
  });

  for (const mode of MODES) {
    describe(mode.label, () => {
      for (const scenario of scenarios) {
        describe(scenario.description, () => {
          const zone = buildZone(scenario.zonedata);
          let dns: FaultDnsServer;
          before(async () => {
            const behaviours: Record<string, Behaviour> = {};
            for (const n of zone.silent) behaviours[n] = { kind: 'silent' };
            if (mode.truncate) behaviours['*'] = { kind: 'truncate' };
            dns = await startFaultDns({ records: zone.answers, behaviours });
          });
          after(() => dns.stop());

          for (const c of scenario.cases) {
            it(`${c.name} (RFC 7208 ${c.spec ?? ''}) → ${[c.result].flat().join(' or ')}`, async () => {
              const t = tally.get(mode.key)!;
              try {
                const seen = dns.queries.length;
                const resolver = createResolver({ servers: [dns.server], timeoutMs: 200, retries: 0 });
                const id = spfIdentity(c.mailfrom, c.helo);
                const r = await checkHost(
                  { ip: c.host, domain: id.domain, sender: id.sender, helo: c.helo, envelopeFrom: id.envelopeFrom },
                  { resolver, defaultExplanation: 'DEFAULT', prefetch: mode.prefetch },
                );
                const accepted = [c.result].flat();
                assert.ok(accepted.includes(r.result), `${c.name}: got ${r.result} (${r.reason}), expected ${accepted.join(' or ')}`);
                if (c.explanation !== undefined) assert.equal(r.explanation, c.explanation, `${c.name}: explanation`);
                // Exactly the behaviour the suite asks for, for every question this case asked.
                for (const q of dns.queries.slice(seen)) {
                  assert.notEqual(q.type, 'SPF', `${c.name}: asked for type SPF (99), which RFC 7208 §3.1 retired`);
                  const answered = zone.timeouts.get(q.name);
                  if (!answered) continue;
                  const mustTimeOut = !answered.has(q.type);
                  assert.equal(zone.silent.has(q.name), mustTimeOut, `${c.name}: ${q.name} ${q.type} must ${mustTimeOut ? '' : 'not '}time out, and fault-dns did otherwise`);
                }
                outcomes.get(mode.key)!.set(`${scenario.description}/${c.name}`, { result: r.result, lookups: r.lookups, voidLookups: r.voidLookups });
                if (mode.truncate) {
                  // Every question that got an answer got it over TCP.
                  const asked = dns.queries.slice(seen);
                  for (const q of asked) {
                    if (q.transport === 'udp' && !zone.silent.has(q.name)) {
                      assert.ok(asked.some((x) => x.transport === 'tcp' && x.name === q.name && x.type === q.type), `${c.name}: ${q.name} ${q.type} was not asked again over TCP`);
                    }
                  }
                }
                t.passed++;
              } catch (e) {
                t.failed++;
                throw e;
              }
            });
          }
        });
      }
      after(() => {
        const t = tally.get(mode.key)!;
        console.log(`RFC 7208 suite ${mode.label}: ${t.passed}/${EXPECTED_CASES} cases pass, ${t.failed} fail, none skipped`);
      });
    });
  }

  it('gives the same results and counts with and without prefetching', () => {
    const a = outcomes.get('udp')!;
    const b = outcomes.get('tcp')!;
    assert.equal(a.size, EXPECTED_CASES);
    assert.equal(b.size, EXPECTED_CASES);
    for (const [k, v] of a) assert.deepEqual(b.get(k), v, k);
  });
});

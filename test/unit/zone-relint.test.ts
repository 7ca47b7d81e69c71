// The incremental re-lint (src/core/zone/incremental.ts) re-checks only what an edit can change:
// after every edit of a random sequence, over random zones and workspaces of several zones, its
// findings must be deep-equal to a lint from scratch (lintWorkspace) of the same parses.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { IncrementalLint, IncrementalWorkspaceLint } from '../../src/core/zone/incremental';
import { lintWorkspace, lintZones } from '../../src/core/zone/lint';
import { ZoneDocument, type ParsedZone } from '../../src/core/zone/parser';

// Owners from a small pool, so records meet: duplicates, CNAME beside data, TTLs, targets, glue.
const OWNERS = ['@', 'www', 'mail', 'mx2', 'ns1', 'ns2', 'a', 'b', 'x.sub', 'sub', '*.w', 'w', 'deep.x.sub', '_dmarc', 's1._domainkey', 'spf', 'alias', 'dn', 'y.dn', 'child', 'ns.child', ''];
const TARGETS = ['mail', 'mx2', 'www', 'alias', 'nowhere', 'ns.child', 'z.child', 'ns1', 'y.dn', 'q.w', 'sub', 'x.sub', 'deep.x.sub', 'mail.other.test.', 'host.other.test.', '.'];
const ADDRS = ['192.0.2.1', '192.0.2.2', '192.0.2.25', '198.51.100.7', '10.0.0.1'];

function line(kind: number, o: number, t: number, a: number, n: number): string {
  const owner = OWNERS[o % OWNERS.length];
  const target = TARGETS[t % TARGETS.length];
  const addr = ADDRS[a % ADDRS.length];
  const ttl = n % 3 === 0 ? '300 ' : '';
  switch (kind % 22) {
    case 0:
    case 1:
      return `${owner} ${ttl}IN A ${addr}`;
    case 2:
      return `${owner} IN AAAA 2001:db8::${n % 5}`;
    case 3:
      return `${owner} IN MX ${n % 20} ${target}`;
    case 4:
      return `${owner} IN CNAME ${target}`;
    case 5:
      return `${owner} IN NS ${target}`;
    case 6:
      return `${owner} IN TXT "v=spf1 ${['a', 'mx', 'ptr', 'include:spf.example.com', 'redirect=spf.example.com', 'ip4:' + addr, 'a:mail.example.com', 'exists:%{i}.w.example.com'][n % 8]} ${['-all', '~all', ''][n % 3]}"`;
    case 7:
      return `_dmarc IN TXT "v=DMARC1; p=${['none', 'reject', 'quarantine'][n % 3]}; rua=mailto:r@${['example.com', 'mail.example.com', 'other.test'][t % 3]}"`;
    case 8:
      return `s1._domainkey IN TXT "v=DKIM1; k=rsa; p=${['', 'MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC', 'x'][n % 3]}"`;
    case 9:
      return `${owner} IN SRV 0 5 5060 ${target}`;
    case 10:
      return `${owner} IN DNAME ${target}`;
    case 11:
      return `@ IN SOA ns1 hostmaster ( ${n} 7200 3600 1209600 300 )`;
    case 12:
      return `${owner} IN TXT "plain ${n}" ; comment`;
    case 13:
      return `   IN A ${addr}`;
    case 14:
      return `${owner} IN DS 12345 8 2 ${'ab'.repeat(32)}`;
    case 15:
      return `${owner} IN SPF "v=spf1 -all"`;
    case 16:
      return `${owner} IN PTR ${target}`;
    case 17:
      return '; just a comment';
    case 18:
      return `$TTL ${100 + n}`;
    case 19:
      return `${owner} IN TXT ( "split"\n   "${n}" )`;
    case 20:
      return `$GENERATE 1-3 g$ A 192.0.2.$`;
    default:
      return `${owner} IN A 999.1.1.1`;
  }
}

const lineArb = fc.tuple(fc.nat(), fc.nat(), fc.nat(), fc.nat(), fc.nat(100)).map(([k, o, t, a, n]) => line(k, o, t, a, n));

const HEAD = ['$TTL 3600', '@ IN SOA ns1 hostmaster ( 1 7200 3600 1209600 300 )', '  IN NS ns1', '  IN NS ns2', 'ns1 IN A 192.0.2.53', 'ns2 IN A 192.0.2.54'];

/** A reverse zone whose PTRs point at names of the forward zone (and elsewhere). */
function reverseLine(n: number, t: number): string {
  // RFC 2317: the PTR of .7 kept at a classless name the CNAME points at.
  if (n % 7 === 5) return '7 IN CNAME 7.0/26';
  if (n % 7 === 6) return `7.0/26 IN PTR ${['mail.example.com.', 'www.example.com.'][t % 2]}`;
  const host = ['mail.example.com.', 'www.example.com.', 'a.example.com.', 'nowhere.example.com.', 'host.other.test.', 'mail'][t % 6];
  return `${[1, 2, 25, 7][n % 4]} IN PTR ${host}`;
}
const reverseArb = fc.tuple(fc.nat(), fc.nat()).map(([n, t]) => reverseLine(n, t));
const REVERSE_HEAD = ['$TTL 3600', '@ IN SOA ns1.example.com. hostmaster.example.com. ( 1 7200 3600 1209600 300 )', '  IN NS ns1.example.com.'];

type Edit = { file: number; kind: number; at: number; text: string; ch: number };

const editArb = (lines: fc.Arbitrary<string>): fc.Arbitrary<Edit> => fc.record({ file: fc.nat(), kind: fc.nat(5), at: fc.nat(), text: lines, ch: fc.nat(11) });

function applyEdit(text: string, e: Edit): string {
  const lines = text.split('\n');
  const i = e.at % lines.length;
  switch (e.kind) {
    case 0:
      lines[i] = e.text;
      break;
    case 1:
      lines.splice(i, 0, e.text);
      break;
    case 2:
      lines.splice(i, 1);
      break;
    case 3: {
      // One character typed somewhere.
      const o = e.at % (text.length + 1);
      return text.slice(0, o) + ['x', ' ', '\n', '.', ';', '(', ')', '"', '1', '*', '@', '\t'][e.ch] + text.slice(o);
    }
    case 4: {
      const o = e.at % Math.max(1, text.length);
      return text.slice(0, o) + text.slice(o + 1);
    }
    default: {
      // A character changed in place (an address digit, a name letter).
      const o = e.at % Math.max(1, text.length);
      return text.slice(0, o) + ['1', '2', 'a', 'b', '.'][e.ch % 5] + text.slice(o + 1);
    }
  }
  return lines.join('\n');
}

interface FileSpec {
  file: string;
  origin: string;
}

const FILES: FileSpec[] = [
  { file: '/w/example.com.zone', origin: 'example.com' },
  { file: '/w/2.0.192.in-addr.arpa.zone', origin: '2.0.192.in-addr.arpa' },
  { file: '/w/other.test.zone', origin: 'other.test' },
];

/** How often each mode ran, over a whole property: the incremental path must be the one tested. */
const modes = new Map<string, number>();

/** How many fixes carried a serial bump, over a property run with a clock. */
let bumped = 0;

async function check(texts: string[], edits: Edit[], now?: Date): Promise<void> {
  const docs = texts.map((_, i) => new ZoneDocument({ file: FILES[i].file, origin: FILES[i].origin }));
  const current = texts.slice();
  let zones: ParsedZone[] = docs.map((d, i) => d.update(current[i]));
  const inc = new IncrementalWorkspaceLint();
  assert.deepEqual(await inc.lint(zones, now), await lintWorkspace(zones, { now }), 'first lint');
  for (let k = 0; k < edits.length; k++) {
    const e = edits[k];
    const f = e.file % texts.length;
    current[f] = applyEdit(current[f], e);
    zones = zones.slice();
    zones[f] = docs[f].update(current[f]);
    const got = await inc.lint(zones, now);
    const want = await lintWorkspace(zones, { now });
    for (const f of got) if (f.fix?.edits.some((e) => e.serial)) bumped++;
    assert.deepEqual(got, want, `after edit ${k + 1} (${JSON.stringify(e)}) of ${FILES[f].file}:\n${current[f]}`);
    for (const s of inc.lastStats) modes.set(s.mode + (s.mailRules ? '' : ' (mail rules kept)'), (modes.get(s.mode + (s.mailRules ? '' : ' (mail rules kept)')) ?? 0) + 1);
  }
}

function assertMostlyIncremental(): void {
  const total = [...modes.values()].reduce((a, b) => a + b, 0);
  const incremental = (modes.get('incremental') ?? 0) + (modes.get('incremental (mail rules kept)') ?? 0);
  const kept = modes.get('incremental (mail rules kept)') ?? 0;
  assert.ok(incremental > total / 2, `incremental in ${incremental} of ${total} lints: ${JSON.stringify([...modes])}`);
  assert.ok(kept > 0, `mail rules never kept: ${JSON.stringify([...modes])}`);
  modes.clear();
}

describe('zone lint: incremental re-lint equals a lint from scratch', () => {
  it('one zone, random edits', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(lineArb, { minLength: 0, maxLength: 30 }), fc.array(editArb(lineArb), { minLength: 1, maxLength: 25 }), async (lines, edits) => {
        await check([[...HEAD, ...lines].join('\n') + '\n'], edits);
      }),
      { numRuns: 150, seed: 15 },
    );
    assertMostlyIncremental();
  });

  it('a workspace of a forward, a reverse and another zone, random edits in any of them', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(lineArb, { maxLength: 20 }),
        fc.array(reverseArb, { maxLength: 8 }),
        fc.array(lineArb, { maxLength: 8 }),
        fc.array(fc.oneof(editArb(lineArb), editArb(reverseArb)), { minLength: 1, maxLength: 20 }),
        async (fwd, rev, other, edits) => {
          // With a clock, as the editor lints: every fix carries its zone's serial bump, worked out
          // again on each lint from the serial the zone has then.
          await check([[...HEAD, ...fwd].join('\n') + '\n', [...REVERSE_HEAD, ...rev].join('\n') + '\n', [...HEAD, ...other].join('\n') + '\n'], edits, new Date('2026-12-02T12:00:00Z'));
        },
      ),
      { numRuns: 100, seed: 16 },
    );
    assertMostlyIncremental();
    assert.ok(bumped > 0, 'no fix carried a serial bump');
  });

  it('re-checks only the names an edit can change', async () => {
    const lines = [...HEAD, 'mail IN A 192.0.2.25', '@ IN MX 10 mail', 'www IN CNAME mail'];
    for (let i = 0; i < 200; i++) lines.push(`h${i} IN A 10.0.0.${i % 250}`, `_sip._udp.m${i} IN SRV 0 5 5060 h${i}`);
    const doc = new ZoneDocument({ file: FILES[0].file, origin: FILES[0].origin });
    const lint = new IncrementalLint();
    let text = lines.join('\n') + '\n';
    await lint.lint([doc.update(text)]);
    assert.equal(lint.lastStats.mode, 'full');
    // h7's address: h7 itself and the SRV record that points at it; the mail rules never asked about h7.
    text = text.replace('h7 IN A 10.0.0.7\n', 'h7 IN A 10.0.0.77\n');
    let zone = doc.update(text);
    const got = await lint.lint([zone]);
    assert.deepEqual(got, await lintZones([zone]));
    assert.equal(lint.lastStats.mode, 'incremental');
    assert.equal(lint.lastStats.mailRules, false);
    assert.ok(lint.lastStats.owners <= 4, `re-checked ${lint.lastStats.owners} names`);
    // The mail host's address: the PTR ↔ A and SPF checks asked about it, so they run again.
    text = text.replace('mail IN A 192.0.2.25', 'mail IN A 192.0.2.26');
    zone = doc.update(text);
    assert.deepEqual(await lint.lint([zone]), await lintZones([zone]));
    assert.equal(lint.lastStats.mailRules, true);
    // Nothing changed: nothing re-checked.
    await lint.lint([zone]);
    assert.equal(lint.lastStats.mode, 'unchanged');
  });

  // Edits whose effect reaches names other than the one edited: each step must equal a lint from
  // scratch, and the finding named must come and go as the step says.
  const scenarios: { name: string; texts: string[]; steps: { file: number; from: string; to: string; code: string; text?: string; present: boolean }[] }[] = [
    {
      name: 'a delegation above an SRV target appears and goes',
      texts: [[...HEAD, '_x._tcp IN SRV 0 0 1 z.child', 'z.child IN TXT "x"'].join('\n') + '\n'],
      steps: [
        { file: 0, from: 'z.child IN TXT "x"\n', to: 'z.child IN TXT "x"\nchild IN NS ns1.other.test.\n', code: 'zone-target-no-address', present: false },
        { file: 0, from: 'child IN NS ns1.other.test.\n', to: '', code: 'zone-target-no-address', present: true },
      ],
    },
    {
      name: 'a DNAME above an SRV target appears and goes',
      texts: [[...HEAD, '_y._tcp IN SRV 0 0 1 y.dn', 'y.dn IN A 192.0.2.9'].join('\n') + '\n'],
      steps: [
        { file: 0, from: 'y.dn IN A 192.0.2.9\n', to: 'y.dn IN A 192.0.2.9\ndn IN DNAME other.test.\n', code: 'zone-target-below-dname', present: true },
        { file: 0, from: 'dn IN DNAME other.test.\n', to: '', code: 'zone-target-below-dname', present: false },
      ],
    },
    {
      name: 'an empty non-terminal above a target comes to exist',
      texts: [[...HEAD, '_z._tcp IN SRV 0 0 1 sub'].join('\n') + '\n'],
      steps: [
        { file: 0, from: '_z._tcp IN SRV 0 0 1 sub\n', to: '_z._tcp IN SRV 0 0 1 sub\nx.sub IN A 192.0.2.8\n', code: 'zone-target-no-address', text: 'does not exist', present: false },
        { file: 0, from: 'x.sub IN A 192.0.2.8\n', to: '', code: 'zone-target-no-address', text: 'does not exist', present: true },
      ],
    },
    {
      name: "a mail host's address changed in place (same length) no longer matches its PTR",
      texts: [[...HEAD, '@ IN MX 10 mail', 'mail IN A 192.0.2.25'].join('\n') + '\n', [...REVERSE_HEAD, '25 IN PTR mail.example.com.'].join('\n') + '\n', [...HEAD].join('\n') + '\n'],
      steps: [
        { file: 0, from: 'mail IN A 192.0.2.25', to: 'mail IN A 192.0.2.26', code: 'ptr-forward-mismatch', present: true },
        { file: 0, from: 'mail IN A 192.0.2.26', to: 'mail IN A 192.0.2.25', code: 'ptr-forward-mismatch', present: false },
      ],
    },
  ];
  for (const sc of scenarios) {
    it(sc.name, async () => {
      const docs = sc.texts.map((_, i) => new ZoneDocument({ file: FILES[i].file, origin: FILES[i].origin }));
      const texts = sc.texts.slice();
      let zones = docs.map((d, i) => d.update(texts[i]));
      const inc = new IncrementalWorkspaceLint();
      assert.deepEqual(await inc.lint(zones), await lintWorkspace(zones));
      for (const step of sc.steps) {
        assert.ok(texts[step.file].includes(step.from), step.from);
        texts[step.file] = texts[step.file].replace(step.from, step.to);
        zones = zones.slice();
        zones[step.file] = docs[step.file].update(texts[step.file]);
        const got = await inc.lint(zones);
        assert.deepEqual(got, await lintWorkspace(zones), `${step.from} → ${step.to}`);
        assert.ok(inc.lastStats.every((s) => s.mode !== 'full'), JSON.stringify(inc.lastStats));
        assert.equal(got.some((f) => f.code === step.code && (step.text === undefined || f.message.includes(step.text))), step.present, `${step.code} after ${step.from} → ${step.to}: ${got.map((f) => f.code).join(', ')}`);
      }
    });
  }
});

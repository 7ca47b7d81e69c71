// Every lint rule on hand-written zones. The fixture files in test/fixtures/zone-lint mark each
// line with the codes expected there (`;! code code`); a line without a mark must get none.
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createResolver } from '../../src/core/dns/resolver';
import { ZONE_CODES } from '../../src/core/zone/codes';
import { fsReader } from '../../src/core/zone/fsReader';
import { lintZones, lintZonesStatic } from '../../src/core/zone/lint';
import { ZoneBudget, type ZoneLimits } from '../../src/core/zone/limits';
import { parseZone, type ParsedZone } from '../../src/core/zone/parser';
import type { ZoneFinding, ZoneReader } from '../../src/core/zone/types';
import { spfSources, spfTermAt, staticLookupCount } from '../../src/core/zone/spfLint';
import { findZoneFiles, parseWorkspace } from '../../src/core/zone/workspace';
import { ZoneIndex } from '../../src/core/zone/zoneIndex';
import { startFaultDns, type FaultDnsServer } from '../harness/fault-dns';
import { REPO_ROOT } from '../paths';

const DIR = path.join(REPO_ROOT, 'test', 'fixtures', 'zone-lint');
const seen = new Set<string>();

function load(file: string, origin: string): ParsedZone {
  return parseZone(undefined, { file: path.join(DIR, file), origin, reader: fsReader() });
}

/** `file:line` → codes, from the `;!` marks of every file the zones read. */
function marks(zones: ParsedZone[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const z of zones) {
    for (const [file, src] of z.sources) {
      src.text.split('\n').forEach((line, i) => {
        const m = /;!((?:\s+[a-z0-9]+(?:-[a-z0-9]+)+)+)\s*$/.exec(line);
        if (m) out.set(`${path.relative(DIR, file)}:${i + 1}`, m[1].trim().split(/\s+/).sort());
      });
    }
  }
  return out;
}

function actual(zones: ParsedZone[], findings: ZoneFinding[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const f of findings) {
    seen.add(f.code);
    const src = zones.find((z) => z.sources.has(f.file))!.sources.get(f.file)!;
    const key = `${path.relative(DIR, f.file)}:${src.lines.position(f.start).line + 1}`;
    out.set(key, [...(out.get(key) ?? []), f.code].sort());
  }
  return out;
}

function sameMarks(zones: ParsedZone[], findings: ZoneFinding[]): void {
  const want = marks(zones);
  const got = actual(zones, findings);
  const dedupe = (m: Map<string, string[]>) => new Map([...m].map(([k, v]) => [k, [...new Set(v)]]));
  const explain = findings.map((f) => `${path.relative(DIR, f.file)}:${zones.find((z) => z.sources.has(f.file))!.sources.get(f.file)!.lines.position(f.start).line + 1} ${f.code}: ${f.message}`).join('\n');
  assert.deepEqual(Object.fromEntries([...dedupe(got)].sort()), Object.fromEntries([...want].sort()), explain);
}

describe('zone lint: marked fixtures', () => {
  it('parse errors: each kind on its line, and parsing goes on after each', async () => {
    const zones = [load('parse-errors.zone', 'example.com')];
    sameMarks(zones, await lintZones(zones));
    const owners = new Set(zones[0].records.map((r) => r.owner));
    for (const o of ['units', 'order', 'okgeneric', 'oktype1', 'escapes', 'multi', 'gen1', 'gen3', 'after', 'recovered']) assert.ok(owners.has(`${o}.example.com.`), o);
  });

  it('common mistakes: final dot, MX/NS targets, CNAME rules, duplicates, TTLs, out-of-zone data', async () => {
    const zones = [load('mistakes.zone', 'example.com')];
    sameMarks(zones, await lintZones(zones));
  });

  it('issue 12: what BIND refuses at load (apex NS without address, below a DNAME, DS at the apex, NS at a wildcard, two DNAMEs) are errors; what it only warns about are warnings', async () => {
    const zones = [load('bind-rules.zone', 'example.com')];
    const findings = await lintZones(zones);
    sameMarks(zones, findings);
    const severity = (code: string) => findings.find((f) => f.code === code)?.severity;
    for (const code of ['zone-apex-ns-no-address', 'zone-apex-ns-below-dname', 'zone-ds-at-apex', 'zone-ns-at-wildcard', 'zone-multiple-dname', 'zone-soa-not-at-apex']) assert.equal(severity(code), 'error', code);
    for (const code of ['zone-ns-no-glue', 'zone-ns-target-cname', 'zone-srv-target-cname', 'zone-target-below-dname', 'zone-check-names', 'zone-duplicate-record', 'zone-out-of-zone']) assert.equal(severity(code), 'warning', code);
  });

  it('issue 12: CDS and CDNSKEY against the DNSKEYs: an algorithm no key has is an error (BIND refuses), a digest that matches no key a warning', async () => {
    const zones = [load('cds.zone', 'example.com')];
    sameMarks(zones, await lintZones(zones));
  });

  it('issue 12: check-names fail makes a host name that is none an error, as named-checkzone -k fail; ignore leaves it out', () => {
    const zones = [load('bind-rules.zone', 'example.com')];
    const of = (mode: 'warn' | 'fail' | 'ignore') => lintZonesStatic(zones, { checkNames: mode }).filter((f) => f.code === 'zone-check-names');
    assert.deepEqual(of('fail').map((f) => f.severity), ['error']);
    assert.deepEqual(of('warn').map((f) => f.severity), ['warning']);
    assert.deepEqual(of('ignore'), []);
  });

  it('PTR targets without the final dot in a reverse zone', async () => {
    const zones = [load('reverse-dots.zone', '113.0.203.in-addr.arpa')];
    sameMarks(zones, lintZonesStatic(zones));
  });

  it('CNAME at the apex, SOA below it', async () => {
    const zones = [load('apex-cname.zone', 'example.net')];
    sameMarks(zones, lintZonesStatic(zones));
  });

  it('SPF in TXT: every rule, with ranges inside the quoted text', async () => {
    const zones = [load('spf.zone', 'example.org')];
    sameMarks(zones, await lintZones(zones));
  });

  it('PTR ↔ A across a workspace: forward and reverse zones, an $INCLUDE, $GENERATE, IPv6', async () => {
    const { files } = findZoneFiles([path.join(DIR, 'workspace')]);
    const zones = parseWorkspace(files, fsReader());
    assert.deepEqual(zones.map((z) => z.origin).sort(), ['2.0.192.in-addr.arpa.', '8.b.d.0.1.0.0.2.ip6.arpa.', 'example.com.']);
    sameMarks(zones, await lintZones(zones));
  });

  it('$INCLUDE: relative paths, origins, the owner after an include, loops', async () => {
    const zones = [load('include/main.zone', 'example.com')];
    sameMarks(zones, await lintZones(zones));
    const rows = zones[0].records.map((r) => `${r.owner} ${r.ttl} ${r.type}`);
    assert.ok(rows.includes('mail.example.com. 300 A'), 'a $TTL inside the include applies after it too');
    assert.ok(rows.includes('ns1.example.com. 300 TXT'), 'the blank owner after the include is the owner before it');
    assert.ok(rows.includes('host.sub.example.com. 300 A'));
    assert.ok(rows.includes('c2.example.com. 300 A'));
  });

  it("issue 12: a relative $INCLUDE is read from named's working directory, as BIND does, not from beside the including file", () => {
    const file = path.join(DIR, 'include', 'main.zone');
    const codesWith = (directory: string, directoryGuessed: boolean) =>
      parseZone(undefined, { file, origin: 'example.com', reader: fsReader(), directory, directoryGuessed }).diagnostics.filter((d) => d.code.startsWith('zone-include')).map((d) => (seen.add(d.code), `${d.code} ${d.severity}`));
    // The working directory is the zone's folder: found there, but inc/cycle1.inc's own
    // `$INCLUDE cycle2.inc` is read from that folder too, where there is none.
    assert.deepEqual(codesWith(path.join(DIR, 'include'), false), ['zone-include-missing error']);
    // The server's directory is elsewhere (named.conf said so): BIND would not find them.
    const strict = parseZone(undefined, { file, origin: 'example.com', reader: fsReader(), directory: DIR }).diagnostics.filter((d) => d.code === 'zone-include-missing');
    assert.equal(strict.length, 3);
    assert.match(strict[0].message, /beside the including file, but BIND reads a relative \$INCLUDE from its working directory/);
    // Only a guess (where maildns runs): read from beside the file, with a warning each.
    assert.deepEqual(codesWith(DIR, true), ['zone-include-relative warning', 'zone-include-relative warning', 'zone-include-relative warning', 'zone-include-relative warning', 'zone-include-cycle error']);
  });
});

describe('zone lint: ranges and messages', () => {
  it('underlines the SPF term inside the quotes, even across strings', async () => {
    const z = load('spf.zone', 'example.org');
    const text = z.sources.get(z.file)!.text;
    const findings = lintZonesStatic([z]);
    const pass = findings.find((f) => f.code === 'spf-pass-all')!;
    assert.equal(text.slice(pass.start, pass.end), '+all');
    const joined = findings.find((f) => f.code === 'spf-invalid-ip')!;
    assert.equal(text.slice(joined.start, joined.end), '198.51.100.300');
    const split = findings.find((f) => f.code === 'spf-invalid-ip' && f.message.includes('joined'))!;
    assert.match(split.message, /RFC 7208 §3\.3/);
    assert.equal(text.slice(split.start, split.end), '198.51.100.1" "include:_spf.example.org');
    const rel = findings.find((f) => f.code === 'spf-relative-target')!;
    assert.equal(text.slice(rel.start, rel.end), '_spf');
    assert.equal(rel.fix?.edits[0].newText, '_spf.example.org');
  });

  it('finds the SPF term under an offset and counts lookups through the workspace (for hovers and lenses)', () => {
    const z = load('spf.zone', 'example.org');
    const text = z.sources.get(z.file)!.text;
    const index = new ZoneIndex([z]);
    const sources = spfSources(index);
    const at = text.indexOf('include:six.example.org') + 3;
    const hit = spfTermAt(sources, z.file, at)!;
    assert.equal(hit.term?.name, 'include');
    assert.equal(text.slice(hit.start, hit.end), 'include:six.example.org');
    const deep = sources.find((s) => s.record.owner === 'deep.example.org.')!;
    assert.deepEqual(staticLookupCount(deep, index), { total: 15, followed: ['six.example.org', 'six.example.org'], unknown: [] });
    const split = sources.find((s) => s.record.owner === 'split.example.org.')!;
    assert.deepEqual(staticLookupCount(split, index), { total: 1, followed: ['_spf.example.org'], unknown: [] });
  });

  it('says what the missing final dot turns a name into', () => {
    const z = load('mistakes.zone', 'example.com');
    const f = lintZonesStatic([z]).filter((x) => x.code === 'zone-missing-final-dot');
    assert.match(f[0].message, /mail\.example\.com\.example\.com\./);
    assert.ok(f.every((x) => x.fix?.edits[0].newText === '.'));
  });

  it('catches the seed\'s loop in demo/zones: every PTR in it, and the mail host and SPF addresses caught in it', async () => {
    const { files } = findZoneFiles([path.join(REPO_ROOT, 'demo', 'zones')]);
    const zones = parseWorkspace(files, fsReader());
    const findings = await lintZones(zones);
    const loops = findings.filter((f) => f.code === 'ptr-loop');
    assert.deepEqual(loops.map((f) => f.message.split(' ')[0]).sort(), ['203.0.113.100', '203.0.113.244', '203.0.113.51']);
    const seed = loops.find((f) => f.message.startsWith('203.0.113.100 '))!;
    assert.match(seed.message, /203\.0\.113\.100 → mail\.example\.net → 203\.0\.113\.244 → example\.net → 203\.0\.113\.51 → mail\.example\.net \(again\)/);
    // Issue 12: a mail finding is a warning (named loads the zone); errors are what BIND refuses.
    assert.equal(seed.severity, 'warning');
    assert.equal(seed.fix?.proposed, 'web6.example.net');
    assert.equal(seed.fix?.edits[0].newText, 'web6.example.net.');
    const mail = findings.filter((f) => f.code === 'mailhost-ptr-mismatch');
    assert.ok(mail.some((f) => f.message.startsWith('mail.example.net is a mail host (MX 10 of example.net)')));
    assert.ok(mail.some((f) => f.message.startsWith('203.0.113.100 sends mail ("ip4:203.0.113.100"')));
    // The healthy hosts stay quiet: smtp over IPv4 and IPv6, and relay through RFC 2317 delegation.
    assert.ok(!findings.some((f) => /smtp\.example\.net|relay\.example\.net|203\.0\.113\.25\b|198\.51\.100\.70/.test(f.message)), findings.map((f) => f.message).join('\n'));
  });

  it('catches the same loop in test/fixtures/zones, and nothing about the names that confirm', async () => {
    const { files } = findZoneFiles([path.join(REPO_ROOT, 'test', 'fixtures', 'zones')]);
    const zones = parseWorkspace(files, fsReader());
    const findings = await lintZones(zones);
    assert.equal(findings.filter((f) => f.code === 'ptr-loop').length, 3);
    for (const ok of ['192.0.2.10 ', '192.0.2.12 ', '198.51.100.70 ', '198.51.100.7 ', '192.0.2.60 ']) {
      assert.ok(!findings.some((f) => f.message.startsWith(ok)), ok);
    }
    const b = findings.find((f) => f.message.startsWith('192.0.2.50 PTR b.example.com'))!;
    assert.match(b.message, /still passes iprev through its other PTR a\.example\.com/);
  });
});

describe('zone lint: zone structure', () => {
  const lint = (text: string, origin = 'example.com', fragments?: Set<string>) => lintZonesStatic([parseZone(text, { file: '/z/test.zone', origin })], { fragments }).map((f) => (seen.add(f.code), f.code));
  it('wants one SOA at the apex and NS records there', () => {
    assert.deepEqual(lint('$TTL 60\nwww A 192.0.2.1\n'), ['zone-no-ns', 'zone-no-soa']);
    assert.deepEqual(lint('$TTL 60\n@ SOA ns1 h 1 2 3 4 5\nns1 A 192.0.2.1\n'), ['zone-no-ns']);
    assert.deepEqual(lint('$TTL 60\n@ SOA ns1 h 1 2 3 4 5\n  SOA ns1 h 2 2 3 4 5\n  NS ns1\nns1 A 192.0.2.1\n'), ['zone-multiple-soa']);
  });
  it('passes on what the parser says about TTLs, origins and owners', () => {
    assert.deepEqual(lint('@ SOA ns1 h 1 2 3 4 5\n  NS ns1\nns1 A 192.0.2.1\n'), ['zone-ttl-from-soa']);
    assert.deepEqual(lint('www A 192.0.2.9\n@ SOA ns1 h 1 2 3 4 5\n  NS ns1\nns1 A 192.0.2.1\n'), ['zone-no-ttl']);
    assert.deepEqual(lint('$TTL 60\n  A 192.0.2.1\n@ SOA ns1 h 1 2 3 4 5\n  NS ns1\nns1 A 192.0.2.1\n'), ['zone-no-owner']);
    const noOrigin = lintZonesStatic([parseZone('$TTL 60\nwww A 192.0.2.1\nmail A 192.0.2.2\n', { file: '/z/x' })]);
    assert.deepEqual(noOrigin.map((f) => (seen.add(f.code), f.code)), ['zone-no-origin']);
    // Issue 12: the SOA skipped for want of an origin leaves no "no TTL" error behind it on absolute names.
    const soaSkipped = lintZonesStatic([parseZone('@ IN SOA ns.example.com. h.example.com. 1 2 3 4 5\nexample.com. NS ns.example.com.\nns.example.com. A 192.0.2.1\n', { file: '/z/x' })]);
    assert.deepEqual(soaSkipped.filter((f) => f.severity === 'error').map((f) => f.code), ['zone-no-origin']);
  });
  it('issue 12: a byte order mark is read as BIND reads it (part of the first word), with a warning saying so', () => {
    const rest = '@ SOA ns1 h 1 2 3 4 5\n  NS ns1\nns1 A 192.0.2.1\n';
    // "$TTL 60" is no directive behind a BOM: an owner "\uFEFF$TTL" with a TTL and no type (BIND: unexpected end of line).
    assert.deepEqual(lint(`\uFEFF$TTL 60\n${rest}`), ['zone-byte-order-mark', 'zone-missing-type', 'zone-ttl-from-soa']);
    // A name first: BIND loads it, as \239\187\191www (check-names warns).
    const z = parseZone(`\uFEFFwww 60 A 192.0.2.9\n${rest}`, { file: '/z/test.zone', origin: 'example.com' });
    assert.equal(z.records[0].owner, '\\239\\187\\191www.example.com.');
    const f = lintZonesStatic([z]).find((x) => x.code === 'zone-byte-order-mark')!;
    assert.deepEqual([f.severity, f.start, f.end, f.fix?.edits[0].newText], ['warning', 0, 1, '']);
  });
  it('leaves $INCLUDE fragments alone', () => {
    assert.deepEqual(lint('$TTL 60\nwww A 192.0.2.1\n', 'example.com', new Set(['/z/test.zone'])), []);
  });
  it('says where a budget of the run ran out, and leaves out the checks that need the records not read', () => {
    const soa = '$TTL 60\n@ SOA ns1 h 1 2 3 4 5\nmx MX 10 mail\n';
    const run = (text: string, limits: Partial<ZoneLimits>, reader?: ZoneReader) => lintZonesStatic([parseZone(text, { file: '/z/test.zone', origin: 'example.com', reader, budget: new ZoneBudget(limits) })]).map((f) => (seen.add(f.code), f.code));
    // Cut before the NS and the MX target's address: no zone-no-ns, no zone-target-no-address.
    assert.deepEqual(run(`${soa}  NS ns1\nns1 A 192.0.2.1\nmail A 192.0.2.2\n`, { records: 2 }), ['zone-budget-records']);
    assert.deepEqual(run(`${soa}x\ny\n`, { diagnostics: 1 }), ['zone-missing-type', 'zone-budget-diagnostics']);
    const reader: ZoneReader = { read: () => 'ns1 A 192.0.2.1\n' };
    assert.deepEqual(run(`${soa}$INCLUDE a.inc\n$INCLUDE a.inc\n`, { includes: 1 }, reader), ['zone-budget-includes']);
    assert.deepEqual(run(`${soa}$INCLUDE a.inc\n`, { includeChars: 10 }, reader), ['zone-budget-includes']);
  });
});

describe('zone lint: live lookups for names outside the workspace', () => {
  let dns: FaultDnsServer;
  before(async () => {
    dns = await startFaultDns({
      records: {
        'sender.example.net': { A: ['198.51.100.99'] },
        'mx.example.org': { A: ['198.51.100.25'] },
        '25.100.51.198.in-addr.arpa': { PTR: ['mx.example.org'] },
        'relay.example.org': { A: ['198.51.100.26'] },
        '26.100.51.198.in-addr.arpa': { PTR: ['somewhere-else.example.org'] },
        'somewhere-else.example.org': { A: ['198.51.100.27'] },
      },
      behaviours: { 'broken.example.net': { kind: 'rcode', rcode: 'SERVFAIL' } },
    });
  });
  after(() => dns.stop());

  const zones = () => [
    parseZone(
      '$TTL 60\n@ SOA ns1 h 1 2 3 4 5\n  NS ns1\n  MX 10 mx.example.org.\n  MX 20 relay.example.org.\nns1 A 192.0.2.53\n',
      { file: '/live/example.com.zone', origin: 'example.com' },
    ),
    parseZone('$TTL 60\n@ SOA ns1.example.com. h 1 2 3 4 5\n  NS ns1.example.com.\n40 PTR sender.example.net.\n41 PTR broken.example.net.\n53 PTR ns1.example.com.\n', {
      file: '/live/2.0.192.in-addr.arpa.zone',
      origin: '2.0.192.in-addr.arpa',
    }),
  ];

  it('asks nothing without a resolver', async () => {
    const before = dns.queries.length;
    const findings = await lintZones(zones());
    assert.deepEqual(findings, []);
    assert.equal(dns.queries.length, before);
  });

  it('asks DNS, says so in the message, and reports failed lookups as info', async () => {
    const resolver = createResolver({ servers: [dns.server], timeoutMs: 500, retries: 0 });
    const findings = await lintZones(zones(), { resolver });
    for (const f of findings) seen.add(f.code);
    const byCode = (c: string) => findings.filter((f) => f.code === c);
    assert.equal(byCode('ptr-forward-mismatch').length, 1);
    assert.match(byCode('ptr-forward-mismatch')[0].message, /sender\.example\.net has A 198\.51\.100\.99 \(from DNS\), not 192\.0\.2\.40/);
    assert.equal(byCode('live-lookup-failed').length, 1);
    assert.match(byCode('live-lookup-failed')[0].message, /broken\.example\.net.*SERVFAIL/);
    // mx.example.org confirms (PTR back to itself); relay.example.org does not.
    const mail = byCode('mailhost-ptr-mismatch');
    assert.equal(mail.length, 1);
    assert.match(mail[0].message, /^relay\.example\.org is a mail host \(MX 20 of example\.com\), and its address 198\.51\.100\.26 has PTR somewhere-else\.example\.org/);
    assert.ok(dns.queries.every((q) => q.name !== 'ns1.example.com'), 'names the workspace answers for are not asked');
  });
});

describe('zone lint: files refused by the reader (docs/security.md)', () => {
  it('gives each refusal its code, on the $INCLUDE line', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'maildns-zone-rules-'));
    try {
      writeFileSync(path.join(dir, 'small.inc'), 'www IN A 192.0.2.80\n');
      writeFileSync(path.join(dir, 'large.inc'), `; ${'x'.repeat(200)}\n`);
      const text = ['$TTL 3600', '@ IN SOA ns1 hostmaster 1 2 3 4 5', '  IN NS ns1', 'ns1 IN A 192.0.2.53', '$INCLUDE /etc/hostname', '$INCLUDE /dev/null', '$INCLUDE large.inc', '$INCLUDE small.inc', ''].join('\n');
      // A budget small.inc does not fit in; /dev/null may be read (a root), /etc/hostname not.
      const reader = fsReader({ roots: [dir, '/dev/null'], rootsName: 'the test folder', limits: { maxFileBytes: 100, maxTotalBytes: 10 } });
      const z = parseZone(text, { file: path.join(dir, 'db.example.com'), origin: 'example.com', reader });
      const codes = z.diagnostics.map((f) => `${z.sources.get(f.file)!.lines.position(f.start).line + 1} ${f.code}`);
      assert.deepEqual(codes, ['5 zone-include-outside', '6 zone-file-not-regular', '7 zone-file-too-big', '8 zone-read-budget']);
      for (const f of z.diagnostics) seen.add(f.code);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('zone lint: codes', () => {
  const docs = readFileSync(path.join(REPO_ROOT, 'docs', 'zone-lint.md'), 'utf8');
  it('documents every code in one table line', () => {
    for (const code of Object.keys(ZONE_CODES)) assert.match(docs, new RegExp(`^\\| \`${code}\` \\|`, 'm'), code);
  });
  it('gives only codes from the table, and the tests above see every one of them', () => {
    for (const c of seen) assert.ok(ZONE_CODES[c], `${c} is not in ZONE_CODES`);
    const missing = Object.keys(ZONE_CODES).filter((c) => !seen.has(c));
    assert.deepEqual(missing, []);
  });
});

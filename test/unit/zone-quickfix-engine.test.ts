// Zone-file quick fixes on the report fixes' engine (recordEdit.ts): the text a fix writes follows
// the file's own style (tabs or spaces, columns, relative or absolute names, $ORIGIN, a TTL column
// or $TTL), and every fix bumps the zone's SOA serial the zone's way (YYYYMMDDnn or a counter), in
// the main file when the fix lands in an $INCLUDEd one. Expected texts are byte-exact.
import { strict as assert } from 'node:assert';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { applyEdits, fixAllEdits } from '../../src/core/zone/edits';
import { lintZones } from '../../src/core/zone/lint';
import { parseZone } from '../../src/core/zone/parser';
import type { TextEdit, ZoneFinding, ZoneFix } from '../../src/core/zone/types';
import { CHECKZONE, checkzone } from '../harness/zone-conformance';

const NOW = new Date('2026-12-02T07:00:00Z');

type Files = Record<string, string>;

async function lint(files: Files, zones: { file: string; origin: string }[], now: Date | null = NOW): Promise<ZoneFinding[]> {
  const reader = { read: (f: string) => files[f], resolve: (_from: string, target: string) => target };
  const parsed = zones.map((z) => parseZone(files[z.file], { file: z.file, origin: z.origin, reader }));
  return lintZones(parsed, now ? { now } : {});
}

/** Every file's text after `edits`. */
function apply(files: Files, edits: TextEdit[]): Files {
  const out: Files = { ...files };
  for (const f of new Set(edits.map((e) => e.file))) out[f] = applyEdits(files[f], edits.filter((e) => e.file === f));
  return out;
}

function only(findings: ZoneFinding[], code: string, pick: (f: ZoneFinding) => boolean = () => true): ZoneFinding {
  const list = findings.filter((f) => f.code === code && pick(f));
  assert.equal(list.length, 1, `one ${code} in ${findings.map((f) => `${f.code}: ${f.message}`).join('\n')}`);
  return list[0];
}

function fixOf(f: ZoneFinding): ZoneFix {
  assert.ok(f.fix, `${f.code} has a fix`);
  return f.fix;
}

/** One file's text after the preferred fix of its one `code` finding (the zone has that file alone). */
async function fixedText(text: string, origin: string, code: string, pick?: (f: ZoneFinding) => boolean): Promise<string> {
  const files = { 'one.zone': text };
  return apply(files, fixOf(only(await lint(files, [{ file: 'one.zone', origin }]), code, pick)).edits)['one.zone'];
}

function key2048(): string {
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
}

// Spaces, columns, relative owners, $TTL, a parenthesised SOA with a date serial and a comment.
const SPACES = `$TTL 3600
@       IN SOA  ns1.example.com. hostmaster.example.com. (
                2026010101 ; serial
                7200 3600 1209600 300 )
        IN NS   ns1
ns1     IN A    192.0.2.53
mail    IN A    192.0.2.25
www     IN A    192.0.2.80
www     IN A    192.0.2.80
@       IN MX   10 mail
@       IN TXT  "v=spf1 mx"
_dmarc  IN TXT  "v=DMARC1; p=rejct"
`;

// Tabs, absolute owners, a TTL on every record, a one-line SOA with a plain counter serial.
const TABS = `example.org.\t3600\tIN\tSOA\tns1.example.org. hostmaster.example.org. 42 7200 3600 1209600 300
example.org.\t3600\tIN\tNS\tns1.example.org.
ns1.example.org.\t3600\tIN\tA\t192.0.2.54
example.org.\t300\tIN\tTXT\t"v=spf1 +all"
example.org.\t300\tIN\tTXT\t"v=spf1 ip4:192.0.2.54 -all"
`;

describe('zone quick fixes: the text follows the file, the serial is bumped the file\'s way', () => {
  it('SPF: ends the record with ~all (spaces, $TTL, parenthesised date serial → today 00)', async () => {
    const files = { 'com.zone': SPACES };
    const fix = fixOf(only(await lint(files, [{ file: 'com.zone', origin: 'example.com.' }]), 'spf-no-all'));
    assert.equal(fix.description, 'End the record with ~all; serial 2026010101 → 2026120200');
    const after = apply(files, fix.edits)['com.zone'];
    assert.equal(after, SPACES.replace('2026010101 ; serial', '2026120200 ; serial').replace('"v=spf1 mx"', '"v=spf1 mx ~all"'));
  });

  it('delete duplicate: the line goes, the serial goes up once', async () => {
    const files = { 'com.zone': SPACES };
    const fix = fixOf(only(await lint(files, [{ file: 'com.zone', origin: 'example.com.' }]), 'zone-duplicate-record'));
    assert.equal(apply(files, fix.edits)['com.zone'], SPACES.replace('2026010101', '2026120200').replace('www     IN A    192.0.2.80\n', ''));
    assert.equal(fix.edits.filter((e) => e.serial).length, 1);
  });

  it('delete duplicate when the next line inherits its owner: the owner is written into that line\'s blank field, in its column', async () => {
    const text = SPACES.replace('www     IN A    192.0.2.80\n@', 'www     IN A    192.0.2.80\n        IN AAAA 2001:db8::80\n@');
    assert.equal(await fixedText(text, 'example.com.', 'zone-duplicate-record'), text.replace('2026010101', '2026120200').replace('www     IN A    192.0.2.80\n        IN AAAA', 'www     IN AAAA'));
  });

  it('DMARC: replaces the typo inside the quoted string, with the bump', async () => {
    assert.equal(await fixedText(SPACES, 'example.com.', 'dmarc-invalid-value'), SPACES.replace('2026010101', '2026120200').replace('p=rejct', 'p=reject'));
  });

  it('SPF: +all → ~all (preferred) and -all (alternative) in a tab file with a counter serial 42 → 43', async () => {
    const files = { 'org.zone': TABS };
    const findings = await lint(files, [{ file: 'org.zone', origin: 'example.org.' }]);
    const f = only(findings, 'spf-pass-all');
    assert.equal(apply(files, fixOf(f).edits)['org.zone'], TABS.replace(' 42 ', ' 43 ').replace('"v=spf1 +all"', '"v=spf1 ~all"'));
    assert.equal(apply(files, f.alternatives![0].edits)['org.zone'], TABS.replace(' 42 ', ' 43 ').replace('"v=spf1 +all"', '"v=spf1 -all"'));
  });

  it('SPF: merging two records keeps the first line\'s columns and deletes the other line', async () => {
    assert.equal(
      await fixedText(TABS, 'example.org.', 'spf-multiple-records', (f) => f.fix !== undefined),
      TABS.replace(' 42 ', ' 43 ').replace('"v=spf1 +all"\n', '"v=spf1 ip4:192.0.2.54 +all"\n').replace('example.org.\t300\tIN\tTXT\t"v=spf1 ip4:192.0.2.54 -all"\n', ''),
    );
  });

  it('a target name is written as the record writes it: relative stays relative (MX at a CNAME)', async () => {
    const text = SPACES.replace('@       IN MX   10 mail', '@       IN MX   10 smtp\nsmtp    IN CNAME mail');
    assert.equal(await fixedText(text, 'example.com.', 'zone-mx-target-cname'), text.replace('2026010101', '2026120200').replace('IN MX   10 smtp', 'IN MX   10 mail'));
  });

  it('without a clock, lint adds no serial bump (the CLI\'s output stays as it was)', async () => {
    const fix = fixOf(only(await lint({ 'org.zone': TABS }, [{ file: 'org.zone', origin: 'example.org.' }], null), 'spf-pass-all'));
    assert.deepEqual(fix.edits.map((e) => e.newText), ['~all']);
  });
});

// A reverse zone with $ORIGIN changes and columns; the forward zone gives the names.
const FWD = `$TTL 1h
@ IN SOA ns1 hostmaster 7 1h 15m 1w 5m
  IN NS ns1
ns1 IN A 192.0.2.53
mail IN A 192.0.2.25
relay IN A 192.0.2.26
www IN A 192.0.2.80
@ IN MX 10 mail
@ IN MX 20 relay
`;
const REV = `$TTL 1h
$ORIGIN 0.192.in-addr.arpa.
@               IN SOA  ns1.example.com. hostmaster.example.com. (
                        2026120205 1h 15m 1w 5m )
                IN NS   ns1.example.com.
$ORIGIN 2.0.192.in-addr.arpa.
25              IN PTR  www.example.com.
53              IN PTR  ns1.example.com.
`;
// The same reverse zone written with tabs, absolute owners and relative targets (origin example.com.-free).
const REV_TABS = `$ORIGIN 2.0.192.in-addr.arpa.
@\t3600\tIN\tSOA\tns1.example.com. hostmaster.example.com. 2025063009 7200 3600 1209600 300
@\t3600\tIN\tNS\tns1.example.com.
25.2.0.192.in-addr.arpa.\t3600\tIN\tPTR\twww.example.com.
53.2.0.192.in-addr.arpa.\t3600\tIN\tPTR\tns1.example.com.
`;

describe('zone quick fixes: PTR records', () => {
  const zones = [
    { file: 'example.com.zone', origin: 'example.com.' },
    { file: 'rev.zone', origin: '0.192.in-addr.arpa.' },
  ];

  it('points the wrong PTR at the mail host (the serial already today\'s: nn + 1)', async () => {
    const files = { 'example.com.zone': FWD, 'rev.zone': REV };
    const findings = await lint(files, zones);
    const f = findings.find((x) => x.fix && x.fix.type === 'PTR' && x.fix.current === 'www.example.com');
    assert.ok(f, findings.map((x) => `${x.code} ${x.message}`).join('\n'));
    assert.match(fixOf(f).description, /^Change the PTR of 192\.0\.2\.25 to mail\.example\.com.*; serial 2026120205 → 2026120206$/);
    const after = apply(files, fixOf(f).edits);
    assert.equal(after['example.com.zone'], FWD);
    assert.equal(after['rev.zone'], REV.replace('2026120205', '2026120206').replace('25              IN PTR  www.example.com.', '25              IN PTR  mail.example.com.'));
  });

  it('adds the missing PTR beside its neighbours, relative to the $ORIGIN in effect there, in the file\'s columns', async () => {
    const files = { 'example.com.zone': FWD, 'rev.zone': REV };
    const fix = fixOf(only(await lint(files, zones), 'mailhost-no-ptr', (f) => f.message.includes('192.0.2.26')));
    const after = apply(files, fix.edits)['rev.zone'];
    assert.equal(after, REV.replace('2026120205', '2026120206').replace('53              IN PTR', '26              IN PTR  relay.example.com.\n53              IN PTR'));
  });

  it('adds it in a tab file with absolute owners and a TTL column: written the same way; an old date serial → today 00', async () => {
    const files = { 'example.com.zone': FWD, 'rev.zone': REV_TABS };
    const fix = fixOf(only(await lint(files, [zones[0], { file: 'rev.zone', origin: '2.0.192.in-addr.arpa.' }]), 'mailhost-no-ptr', (f) => f.message.includes('192.0.2.26')));
    assert.equal(
      apply(files, fix.edits)['rev.zone'],
      REV_TABS.replace('2025063009', '2026120200').replace('53.2.0.192', '26.2.0.192.in-addr.arpa.\t3600\tIN\tPTR\trelay.example.com.\n53.2.0.192'),
    );
  });
});

// The mail records in a file of their own, $INCLUDEd by the zone: the fix edits that file, the
// serial bump is in the main file.
const MAIN = `$TTL 300
@\tIN\tSOA\tns1.example.net. hostmaster.example.net. 2026113000 7200 3600 1209600 300
\tIN\tNS\tns1.example.net.
$INCLUDE mail.inc
`;

describe('zone quick fixes: an $INCLUDEd file, DKIM, and fix all', () => {
  const K = key2048();
  const INC = `@\tIN\tTXT\t"v=spf1 mx"
@\tIN\tTXT\t"v=spf1 mx"
s1._domainkey\tIN\tTXT\t( "v=DKIM2; k=rsa; " "p=${K.slice(0, 200)}" "${K.slice(200)}" )
`;
  const files = { 'net.zone': MAIN, 'mail.inc': INC };
  const zones = [{ file: 'net.zone', origin: 'example.net.' }];

  it('DKIM: the version fix edits the included file and bumps the serial in the main file', async () => {
    const fix = fixOf(only(await lint(files, zones), 'dkim-key-version'));
    const after = apply(files, fix.edits);
    assert.equal(after['mail.inc'], INC.replace('v=DKIM2', 'v=DKIM1'));
    assert.equal(after['net.zone'], MAIN.replace('2026113000', '2026120200'));
  });

  it('fix all in the included file: non-overlapping edits and one serial bump, in the main file', async () => {
    const findings = await lint(files, zones);
    const edits = fixAllEdits(findings.filter((f) => f.file === 'mail.inc'), 'mail.inc');
    assert.equal(edits.filter((e) => e.serial).length, 1);
    assert.deepEqual(new Set(edits.map((e) => e.file)), new Set(['mail.inc', 'net.zone']));
    const own = edits.filter((e) => e.file === 'mail.inc').sort((a, b) => a.start - b.start);
    for (let i = 1; i < own.length; i++) assert.ok(own[i - 1].end <= own[i].start, 'no overlap');
    const after = apply(files, edits);
    assert.equal(after['net.zone'], MAIN.replace('2026113000', '2026120200'));
    // One of the two SPF records gone (the duplicate's delete and the merge overlap: one taken), ~all
    // added to the other, the key's version fixed.
    assert.equal(after['mail.inc'], INC.replace('@\tIN\tTXT\t"v=spf1 mx"\n', '').replace('"v=spf1 mx"', '"v=spf1 mx ~all"').replace('v=DKIM2', 'v=DKIM1'));
  });

  it('fix all in one file with several fixes: one bump per file', async () => {
    const spaces = { 'com.zone': SPACES };
    const findings = await lint(spaces, [{ file: 'com.zone', origin: 'example.com.' }]);
    const edits = fixAllEdits(findings, 'com.zone');
    assert.equal(edits.filter((e) => e.serial).length, 1);
    assert.equal(
      apply(spaces, edits)['com.zone'],
      SPACES.replace('2026010101', '2026120200').replace('www     IN A    192.0.2.80\n', '').replace('"v=spf1 mx"', '"v=spf1 mx ~all"').replace('p=rejct', 'p=reject'),
    );
  });
});

describe('zone quick fixes: BIND loads what they write', { skip: CHECKZONE ? false : 'named-checkzone is not installed' }, () => {
  /** named-checkzone -D on `files` written to a folder of their own: whether it loads, and its dump. */
  async function bindLoads(files: Files, main: string, origin: string): Promise<string> {
    const dir = mkdtempSync(path.join(tmpdir(), 'maildns-quickfix-'));
    try {
      for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
      const v = await checkzone({ source: 'own', file: path.join(dir, main), origin, cwd: dir }, ['-D', '-o', '-']);
      assert.ok(v.ok, v.output);
      return v.output;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('fix all in the spaces zone: loads, with the bumped serial and the fixed records', async () => {
    const files = { 'com.zone': SPACES };
    const out = await bindLoads(apply(files, fixAllEdits(await lint(files, [{ file: 'com.zone', origin: 'example.com.' }]), 'com.zone')), 'com.zone', 'example.com');
    assert.match(out, /loaded serial 2026120200/);
    assert.match(out, /^example\.com\.\s+3600\s+IN\s+TXT\s+"v=spf1 mx ~all"$/m);
    assert.equal(out.match(/^www\.example\.com\.\s+3600\s+IN\s+A\s+192\.0\.2\.80$/gm)?.length, 1);
  });

  it('the PTR added under a second $ORIGIN: loads, at the right name', async () => {
    const files = { 'example.com.zone': FWD, 'rev.zone': REV };
    const zones = [{ file: 'example.com.zone', origin: 'example.com.' }, { file: 'rev.zone', origin: '0.192.in-addr.arpa.' }];
    const fix = fixOf(only(await lint(files, zones), 'mailhost-no-ptr', (f) => f.message.includes('192.0.2.26')));
    const out = await bindLoads({ 'rev.zone': apply(files, fix.edits)['rev.zone'] }, 'rev.zone', '0.192.in-addr.arpa');
    assert.match(out, /loaded serial 2026120206/);
    assert.match(out, /^26\.2\.0\.192\.in-addr\.arpa\.\s+3600\s+IN\s+PTR\s+relay\.example\.com\.$/m);
  });
});

// Fixes are text edits computed in the core: each one applied to the files must remove the finding
// it is for and break nothing else.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { applyEdits, fixAllEdits } from '../../src/core/zone/edits';
import { fsReader } from '../../src/core/zone/fsReader';
import { lintZones } from '../../src/core/zone/lint';
import type { ZoneFinding, ZoneFix } from '../../src/core/zone/types';
import { findZoneFiles, parseWorkspace } from '../../src/core/zone/workspace';
import { REPO_ROOT } from '../paths';

const DIR = path.join(REPO_ROOT, 'test', 'fixtures', 'zone-lint');

interface Group {
  name: string;
  paths: string[];
  origin?: string;
}

const GROUPS: Group[] = [
  { name: 'parse errors', paths: ['parse-errors.zone'], origin: 'example.com' },
  { name: 'mistakes', paths: ['mistakes.zone'], origin: 'example.com' },
  { name: 'reverse dots', paths: ['reverse-dots.zone'], origin: '113.0.203.in-addr.arpa' },
  { name: 'SPF', paths: ['spf.zone'], origin: 'example.org' },
  { name: 'workspace', paths: ['workspace'] },
  { name: 'demo', paths: [path.join(REPO_ROOT, 'demo', 'zones')] },
];

/** Lints a group with some files' texts replaced. */
async function lintWith(group: Group, overrides = new Map<string, string>()) {
  const { files } = findZoneFiles(group.paths.map((p) => path.resolve(DIR, p)), { origin: group.origin });
  const zones = parseWorkspace(files, fsReader(overrides));
  return { zones, findings: await lintZones(zones) };
}

function applyFix(fix: ZoneFix): Map<string, string> {
  const byFile = new Map<string, string>();
  for (const e of fix.edits) if (!byFile.has(e.file)) byFile.set(e.file, readFileSync(e.file, 'utf8'));
  for (const [file, text] of byFile) byFile.set(file, applyEdits(text, fix.edits.filter((e) => e.file === file)));
  return byFile;
}

const count = (fs: ZoneFinding[], code: string) => fs.filter((f) => f.code === code).length;
const parseErrors = (fs: ZoneFinding[]) => fs.filter((f) => f.code.startsWith('zone-') && f.severity === 'error').length;

describe('zone fixes: each one removes its finding and adds no error', () => {
  for (const group of GROUPS) {
    it(group.name, async () => {
      const { findings } = await lintWith(group);
      const fixes = findings.flatMap((f) => [...(f.fix ? [{ f, fix: f.fix }] : []), ...(f.alternatives ?? []).map((fix) => ({ f, fix }))]);
      assert.ok(fixes.length > 0);
      for (const { f, fix } of fixes) {
        const after = (await lintWith(group, applyFix(fix))).findings;
        const what = `${f.code} "${fix.description}"`;
        assert.ok(count(after, f.code) < count(findings, f.code), `${what} did not remove the finding`);
        assert.ok(parseErrors(after) <= parseErrors(findings), `${what} added a parse error`);
      }
    });
  }
});

describe('zone fixes: the edits themselves', () => {
  const fixOf = async (group: Group, code: string, pick: (f: ZoneFinding) => boolean = () => true) => {
    const { findings } = await lintWith(group);
    const f = findings.find((x) => x.code === code && pick(x));
    assert.ok(f?.fix, `no fix for ${code}`);
    return { f, text: (file: string) => applyFix(f.fix!).get(file)! };
  };
  const spf = GROUPS[3];
  const spfFile = path.join(DIR, 'spf.zone');
  const line = (text: string, start: string) => text.split('\n').find((l) => l.startsWith(start));

  it('+all → ~all, with -all as the other choice', async () => {
    const { f, text } = await fixOf(spf, 'spf-pass-all');
    assert.match(line(text(spfFile), 'passall')!, /"v=spf1 mx ~all"/);
    assert.equal(f.alternatives?.[0].edits[0].newText, '-all');
  });

  it('merges two v=spf1 records into the first and deletes the second', async () => {
    const { text } = await fixOf(spf, 'spf-multiple-records');
    const after = text(spfFile);
    assert.deepEqual(after.split('\n').filter((l) => l.startsWith('twice')), ['twice     IN TXT  "v=spf1 mx a ip4:198.51.100.64/26 -all"']);
  });

  it('qualifies a zone-relative include, and writes the network of a host-bits prefix', async () => {
    assert.match(line((await fixOf(spf, 'spf-relative-target')).text(spfFile), 'relative')!, /include:_spf\.example\.org -all/);
    assert.match(line((await fixOf(spf, 'spf-network-host-bits')).text(spfFile), 'hostbits')!, /ip4:198\.51\.100\.0\/24 -all/);
  });

  it('publishes a lone type 99 record as TXT, and deletes one with a TXT twin', async () => {
    assert.match(line((await fixOf(spf, 'spf-type-99', (f) => f.message.includes('obsolete: receivers look only at TXT (RFC 7208 §3.1, §14.1)') && !f.message.includes('twin') && !f.message.includes('can go'))).text(spfFile), 'new')!, /new\s+IN TXT/);
    const twin = await fixOf(spf, 'spf-type-99', (f) => f.message.includes('can go'));
    assert.equal(twin.text(spfFile).split('\n').filter((l) => l.startsWith('old')).length, 1);
  });

  it('adds the final dot', async () => {
    const file = path.join(DIR, 'mistakes.zone');
    const { text } = await fixOf(GROUPS[1], 'zone-missing-final-dot');
    assert.match(text(file), /IN MX {3}10 mail\.example\.com\. /);
  });

  it('points the seed\'s PTR at the name that has its address, in the reverse zone file', async () => {
    const demo = path.join(REPO_ROOT, 'demo', 'zones');
    const { f, text } = await fixOf(GROUPS[5], 'ptr-loop', (x) => x.message.startsWith('203.0.113.100 '));
    assert.equal(f.fix?.record, '100.113.0.203.in-addr.arpa. 3600 IN PTR web6.example.net.');
    assert.match(text(path.join(demo, '113.0.203.in-addr.arpa.zone')), /^100 +IN PTR +web6\.example\.net\.$/m);
  });

  it('adds a missing PTR beside its neighbours in the reverse zone file, written as they are', async () => {
    const file = path.join(DIR, 'workspace', '2.0.192.in-addr.arpa.zone');
    const { f, text } = await fixOf(GROUPS[4], 'mailhost-no-ptr', (x) => x.message.startsWith('mx3.'));
    assert.equal(f.fix?.edits[0].file, file);
    // After 53 (owners in canonical order, numeric labels as numbers), relative, in the file's columns.
    assert.match(text(file), /^53 {8}IN PTR {2}ns1\.example\.com\.\n99 {8}IN PTR {2}mx3\.example\.com\.\n\$GENERATE /m);
  });

  it('fixes all in one file at once, without overlapping edits', async () => {
    for (const group of [GROUPS[1], GROUPS[3]]) {
      const { zones, findings } = await lintWith(group);
      const file = zones[0].file;
      const edits = fixAllEdits(findings, file);
      assert.ok(edits.length > 3);
      const fixed = applyEdits(readFileSync(file, 'utf8'), edits);
      const after = (await lintWith(group, new Map([[file, fixed]]))).findings;
      assert.ok(after.filter((f) => f.fix).length < findings.filter((f) => f.fix).length);
      assert.ok(parseErrors(after) <= parseErrors(findings));
    }
  });
});

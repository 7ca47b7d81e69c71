// Issue 12: `maildns lint <dir>` on a zone repository as operators lay one out (test/fixtures/zone-repo):
// the zones its named.conf loads, with the origins and working directory it gives, and nothing
// else (backups, old copies, a secondary's file, root hints, dig output, fragments: one info line
// each); the same findings as linting each configured zone by itself.
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { lintCommand } from '../../src/cli/commands/lint';
import { chooseOrigin, originFromFileName } from '../../src/core/zone/workspace';
import { REPO_ROOT } from '../paths';

const REPO = path.join(REPO_ROOT, 'test', 'fixtures', 'zone-repo');

interface Json {
  files: { file: string; origin: string | null; originSource: string | null }[];
  notes: string[];
  findings: { file: string; line: number; column: number; code: string; severity: string; message: string }[];
  summary: { error: number; warning: number; info: number };
}

async function lint(args: string[]): Promise<{ code: number; json: Json }> {
  let out = '';
  const code = await lintCommand.run([...args, '--json'], { out: (t) => (out += t), err: () => undefined });
  return { code, json: JSON.parse(out) as Json };
}

/** Findings as rows to compare: the origin's source said in a message differs by how it was given. */
const rows = (j: Json) => j.findings.map((f) => `${path.resolve(f.file)}:${f.line}:${f.column} ${f.severity} ${f.code} ${f.message.replace(/ \[origin [^\]]+\]$/, '')}`).sort();

async function oneByOne(dir: string, files: Json['files']): Promise<string[]> {
  const all: string[] = [];
  for (const f of files) all.push(...rows((await lint([f.file, '--origin', f.origin!, '--directory', dir])).json));
  return all.sort();
}

describe('issue 12: a zone repository linted as the server loads it', () => {
  it('with a named.conf: its primary zones, its origins and directory; backups, secondaries and hints left out with one line each', async () => {
    const dir = path.join(REPO, 'configured');
    const { code, json } = await lint([dir]);
    assert.equal(code, 0);
    assert.deepEqual(
      json.files.map((f) => [path.relative(dir, f.file), f.origin, f.originSource]),
      [
        ['zones/db.example.com', 'example.com.', 'named.conf.local:4'],
        ['zones/db.192.0.2', '2.0.192.in-addr.arpa.', 'named.conf.local:9'],
      ],
    );
    const notes = json.notes.join('\n');
    // The secondary's file is named in its zone's line, once; a dig AXFR capture and a key file are no zones named.conf loads.
    for (const n of [/zone \. \(named\.conf:8\): type hint, not linted$/m, /zone example\.net \(named\.conf\.local:14\): type slave, not linted \(\S*configured\/slaves\/db\.example\.net\)/, /db\.root: named\.conf does not load it/, /previous_records\/db\.example\.com: named\.conf does not load it/, /zones\/db\.example\.com\.bak: named\.conf does not load it/, /zones\/example\.com\.axfr: named\.conf does not load it/]) assert.match(notes, n);
    assert.equal(json.notes.length, 6, notes);
    assert.doesNotMatch(notes, /rndc\.key|slaves\/db\.example\.net: named\.conf/);
    // $INCLUDE "zones/common.inc" is read from named's directory (/etc/bind: this folder), and the
    // backup's SPF record is not merged into the zone's (no spf-multiple-records).
    assert.deepEqual(json.findings.map((f) => f.code).sort(), ['spf-pass-all', 'zone-missing-final-dot']);
    assert.deepEqual(rows(json), await oneByOne(dir, json.files));
  });

  it('without one: every file that is a zone by its content, two copies of a zone never merged; dig output, an empty file and a fragment left out', async () => {
    const dir = path.join(REPO, 'unconfigured');
    const { code, json } = await lint([dir]);
    assert.equal(code, 0);
    assert.deepEqual(
      json.files.map((f) => [path.relative(dir, f.file), f.origin, f.originSource]),
      [
        ['db.example.org', 'example.org.', 'the SOA record'],
        ['previous_records/db.example.org', 'example.org.', 'the SOA record'],
      ],
    );
    assert.deepEqual(
      json.notes.map((n) => n.replace(`${dir}/`, '')),
      [
        'captures/example.org.zone: dig output, not a zone file: not linted as a zone',
        'db.hosts: no SOA record: not a zone of its own (an $INCLUDE fragment nothing includes, or a list of records): not linted as a zone',
        'empty.zone: empty: not linted as a zone',
        'named.root: root hints (the root servers), not a zone: not linted as a zone',
      ],
    );
    assert.deepEqual(json.findings, []);
    assert.deepEqual(rows(json), await oneByOne(dir, json.files));
  });

  it('the file name is the last resort, read as operators name zone files (db.X, X.zone, X.db, X.hosts, X.dns); a dotted name that is no zone is none', () => {
    const names = ['db.example.com', 'example.com.zone', 'example.com.db', 'example.com.hosts', 'example.com.dns', 'example.com', '2.0.192.in-addr.arpa', 'bar.db.in', 'named.conf', 'db.192.0.2', 'example.com.zone.bak', 'zone.txt'];
    assert.deepEqual(
      names.map((n) => originFromFileName(`/z/${n}`)),
      ['example.com', 'example.com', 'example.com', 'example.com', 'example.com', 'example.com', '2.0.192.in-addr.arpa', undefined, undefined, undefined, undefined, undefined],
    );
    // The file's own text comes first: a $ORIGIN unlike the file name, an absolute SOA owner.
    assert.deepEqual(chooseOrigin({ file: '/z/db.quickship.com' }, '$TTL 1h\n$ORIGIN quickshipcellular.com.\n@ SOA ns h 1 2 3 4 5\n'), { origin: 'quickshipcellular.com.', originSource: 'the SOA record' });
    assert.deepEqual(chooseOrigin({ file: '/z/x.hosts' }, 'example.net. 3600 IN SOA ns h 1 2 3 4 5\n'), { origin: 'example.net.', originSource: 'the SOA record' });
    assert.deepEqual(chooseOrigin({ file: '/z/example.org.hosts' }, '$TTL 1h\n@ SOA ns h 1 2 3 4 5\n'), { origin: 'example.org', originSource: 'the file name' });
  });
});

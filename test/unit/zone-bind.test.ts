// The parser against BIND: every fixture zone named-checkzone accepts must parse here without an
// error and give the same records as named's own dump (`named-checkzone -D`); every one it refuses
// must get an error here too.
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { fsReader } from '../../src/core/zone/fsReader';
import { lintZonesStatic } from '../../src/core/zone/lint';
import { isAtOrBelow } from '../../src/core/zone/names';
import { parseZone, type ParsedZone } from '../../src/core/zone/parser';
import { charStringOctets } from '../../src/core/zone/rdata';
import { REPO_ROOT } from '../paths';

const CHECKZONE = ['/usr/bin/named-checkzone', '/usr/sbin/named-checkzone', '/usr/local/bin/named-checkzone'].find((p) => {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
});

interface Case {
  name: string;
  file: string;
}

function manifest(dir: string): Case[] {
  return (JSON.parse(readFileSync(path.join(dir, 'zones.json'), 'utf8')) as Case[]).map((z) => ({ name: z.name, file: path.join(dir, z.file) }));
}

const ZL = path.join(REPO_ROOT, 'test', 'fixtures', 'zone-lint');
const CASES: Case[] = [
  ...manifest(path.join(REPO_ROOT, 'test', 'fixtures', 'zones')),
  ...manifest(path.join(REPO_ROOT, 'demo', 'zones')),
  ...manifest(path.join(ZL, 'workspace')),
  { name: 'example.com', file: path.join(ZL, 'parse-errors.zone') },
  { name: 'example.com', file: path.join(ZL, 'mistakes.zone') },
  { name: '113.0.203.in-addr.arpa', file: path.join(ZL, 'reverse-dots.zone') },
  { name: 'example.net', file: path.join(ZL, 'apex-cname.zone') },
  { name: 'example.org', file: path.join(ZL, 'spf.zone') },
  { name: 'example.com', file: path.join(ZL, 'include', 'main.zone') },
];

/** named-checkzone in the zone file's directory (named reads $INCLUDE relative to its working directory). */
function checkzone(c: Case): Promise<{ ok: boolean; dump: string; output: string }> {
  return new Promise((resolve) => {
    execFile(CHECKZONE!, ['-D', '-o', '-', c.name, path.basename(c.file)], { cwd: path.dirname(c.file), timeout: 20_000, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      resolve({ ok: !err, dump: stdout, output: `${stdout}${stderr}` });
    });
  });
}

/** One line per record: owner, TTL, type and the data that matters, comparable between the two. */
function canonical(z: ParsedZone, origin: string): string[] {
  return z.records
    .filter((r) => isAtOrBelow(r.owner, origin))
    .map((r) => {
      let data: string;
      if (r.address !== undefined || r.target !== undefined) data = `${r.preference ?? ''} ${r.address ?? r.target}`;
      else if (r.type === 'TXT' || r.type === 'SPF') data = r.rdata.map((t) => charStringOctets(t.text).toString('hex')).join(' ');
      else if (r.type === 'SOA') data = r.rdata.slice(2).join(' ');
      else data = r.rdata.map((t) => t.text.toLowerCase()).join(' ');
      return `${r.owner} ${r.ttl} ${r.type} ${data}`;
    })
    .sort();
}

describe('zone parser against named-checkzone', { skip: CHECKZONE ? false : 'named-checkzone is not installed' }, () => {
  for (const c of CASES) {
    it(`${path.relative(REPO_ROOT, c.file)} (${c.name})`, async () => {
      const bind = await checkzone(c);
      const ours = parseZone(undefined, { file: c.file, origin: c.name, reader: fsReader() });
      const errors = lintZonesStatic([ours]).filter((f) => f.severity === 'error');
      if (!bind.ok) {
        assert.ok(errors.length > 0, `named-checkzone refuses it, we found no error:\n${bind.output}`);
        return;
      }
      const parseErrors = ours.diagnostics.filter((d) => d.severity === 'error');
      assert.deepEqual(parseErrors.map((d) => `${d.code}: ${d.message}`), []);
      const origin = c.name.toLowerCase() + '.';
      const dumped = parseZone(bind.dump, { file: 'named-checkzone -D', origin: c.name });
      assert.deepEqual(dumped.diagnostics.filter((d) => d.severity === 'error'), [], 'our parser reads named\'s own dump');
      // named keeps one copy of a duplicate record.
      assert.deepEqual([...new Set(canonical(ours, origin))], canonical(dumped, origin));
    });
  }
});

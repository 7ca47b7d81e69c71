// The budgets of one lint run (src/core/zone/limits.ts): records, $INCLUDEs and parse problems are
// counted over the whole workspace, the CLI's parseWorkspace and the editor's incremental parses
// charge the same, and when one runs out the run says where and stops there, never crashes.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { lintZonesStatic } from '../../src/core/zone/lint';
import { ZONE_LIMITS, ZoneBudget } from '../../src/core/zone/limits';
import { parseZone, ZoneDocument, type ParsedZone } from '../../src/core/zone/parser';
import type { ZoneFinding, ZoneReader } from '../../src/core/zone/types';
import { parseWorkspace, zonesToLint, type WorkspaceFile } from '../../src/core/zone/workspace';

const HEAD = '$TTL 60\n@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n  NS ns1\nns1 A 192.0.2.1\n';

function mapReader(files: Map<string, string>): ZoneReader {
  return { read: (f) => files.get(f) };
}

function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}

/** What a lint run says, made comparable: every zone's records, diagnostics and includes, and the findings. */
function outcome(zones: ParsedZone[]) {
  const findings = lintZonesStatic(zones).map((f: ZoneFinding) => `${f.file}:${f.start}-${f.end} ${f.code} ${f.message}`);
  return {
    zones: zones.map((z) => ({ file: z.file, truncated: z.truncated ?? false, records: z.records, diagnostics: z.diagnostics, includes: z.includes })),
    findings,
  };
}

/** The editor's side (src/vscode/zoneWorkspace.ts build()): one ZoneDocument per file, updated in order on one budget. */
class EditorWorkspace {
  private readonly docs = new Map<string, ZoneDocument>();
  constructor(
    private readonly files: WorkspaceFile[],
    private readonly reader: ZoneReader,
    private readonly limits: Partial<typeof ZONE_LIMITS>,
  ) {}

  build(texts: Map<string, string>): { zones: ParsedZone[]; modes: string[] } {
    const budget = new ZoneBudget(this.limits);
    const zones: ParsedZone[] = [];
    const modes: string[] = [];
    for (const f of this.files) {
      let doc = this.docs.get(f.file);
      if (!doc) this.docs.set(f.file, (doc = new ZoneDocument({ file: f.file, origin: f.origin, reader: this.reader })));
      zones.push(doc.update(texts.get(f.file)!, budget));
      modes.push(doc.lastUpdate.mode);
    }
    return { zones: zonesToLint(zones, budget), modes };
  }
}

describe('zone budgets: one per lint run', () => {
  it('issue 9 #2: $INCLUDE fan-out (files that include each other 100 × 100 × 100 times) stops at the includes budget', () => {
    // 4 small files that would make 10 million records; each include is counted, where it is.
    const files = new Map<string, string>([
      ['/w/a.zone', HEAD + '$INCLUDE b.inc\n'.repeat(100)],
      ['/w/b.inc', '$INCLUDE c.inc\n'.repeat(100)],
      ['/w/c.inc', '$INCLUDE d.inc\n'.repeat(100)],
      ['/w/d.inc', Array.from({ length: 10 }, (_, i) => `h${i} A 192.0.2.${i}\n`).join('')],
    ]);
    const zones = parseWorkspace([{ file: '/w/a.zone', origin: 'example.com' }], mapReader(files));
    assert.equal(zones.length, 1);
    const z = zones[0];
    // b (1) then 99 whole c.inc (1 + 100 d.inc each) is 10,000 includes: the 100th c.inc is the one that does not fit.
    assert.equal(z.includes.length, ZONE_LIMITS.includes);
    assert.equal(z.records.length, 3 + 99 * 100 * 10);
    const stop = z.diagnostics.filter((d) => d.code.startsWith('zone-budget-'));
    assert.equal(stop.length, 1);
    assert.equal(stop[0].code, 'zone-budget-includes');
    assert.equal(stop[0].file, '/w/b.inc');
    assert.equal(lineOf(files.get('/w/b.inc')!, stop[0].start), 100);
    assert.equal(z.truncated, true);
    const findings = lintZonesStatic(zones);
    assert.ok(findings.some((f) => f.code === 'zone-budget-includes'));
  });

  it('issue 9 #2: the records budget counts $INCLUDEd records, and the zone files after the stop are not read', () => {
    const files = new Map<string, string>([
      ['/w/a.zone', HEAD + '$INCLUDE h.inc\n'.repeat(30)],
      ['/w/h.inc', Array.from({ length: 100 }, (_, i) => `h${i} A 192.0.2.${i}\n`).join('')],
      ['/w/b.zone', HEAD],
    ]);
    const budget = new ZoneBudget({ records: 1000 });
    const zones = parseWorkspace(
      [
        { file: '/w/a.zone', origin: 'a.example' },
        { file: '/w/b.zone', origin: 'b.example' },
      ],
      mapReader(files),
      budget,
    );
    assert.deepEqual(
      zones.map((z) => [z.file, z.records.length, z.truncated]),
      [
        ['/w/a.zone', 1000, true],
        ['/w/b.zone', 0, true],
      ],
    );
    const stop = zones[0].diagnostics.find((d) => d.code === 'zone-budget-records')!;
    // 3 records of a.zone's head, then 9 whole includes and 97 records of the 10th.
    assert.equal(stop.file, '/w/h.inc');
    assert.equal(lineOf(files.get('/w/h.inc')!, stop.start), 98);
    assert.deepEqual(budget.used.records, 1000);
    assert.deepEqual(zones[1].diagnostics, []);
  });

  it('issue 9 #4: $GENERATE counts against the workspace, not each file (six small files)', () => {
    // Six 30-byte files of 1,000,000 records each: the second one runs out, the rest are not read.
    const files = new Map<string, string>();
    const list: WorkspaceFile[] = [];
    for (let i = 0; i < 6; i++) {
      const file = `/w/z${i}.zone`;
      files.set(file, `$GENERATE 1-1000000 h$ A 192.0.2.1\n`);
      list.push({ file, origin: `z${i}.example` });
    }
    // Scaled down 1,000 times: the same files against a budget of 2,000 records.
    const scaled = new Map([...files].map(([f, t]) => [f, t.replace('1-1000000', '1-1000')]));
    const zones = parseWorkspace(list, mapReader(scaled), new ZoneBudget({ records: 2000 }));
    assert.deepEqual(
      zones.map((z) => z.records.length),
      [1000, 1000, 0, 0, 0, 0],
    );
    const stop = lintZonesStatic(zones).filter((f) => f.code.startsWith('zone-budget-'));
    assert.equal(stop.length, 1);
    assert.equal(stop[0].code, 'zone-budget-records');
    assert.equal(stop[0].file, '/w/z2.zone');
    // A line that alone makes more records than a run may read is refused on its own.
    const huge = parseZone('$TTL 60\n$GENERATE 0-2147483647 h$ A 192.0.2.1\nx A 192.0.2.2\n', { file: '/w/h.zone', origin: 'example.com' });
    assert.deepEqual(huge.diagnostics.map((d) => d.code), ['zone-bad-generate']);
    assert.equal(huge.records.length, 1);
  });

  it('issue 9 #4: the editor\'s incremental parse charges what the CLI does (a one-line edit past the budget)', () => {
    const limits = { records: 3000 };
    const main = '/w/main.zone';
    const other = '/w/other.zone';
    const body = Array.from({ length: 400 }, (_, i) => `h${i} A 192.0.2.${i % 256}`).join('\n');
    let texts = new Map([
      [main, `${HEAD}$GENERATE 1-1500 g$ A 192.0.2.1\n${body}\n`],
      [other, `${HEAD}$GENERATE 1-500 o$ A 192.0.2.2\n`],
    ]);
    const files: WorkspaceFile[] = [
      { file: main, origin: 'example.com' },
      { file: other, origin: 'example.net' },
    ];
    const reader: ZoneReader = { read: (f) => texts.get(f) };
    const editor = new EditorWorkspace(files, reader, limits);
    const cli = () => outcome(parseWorkspace(files, reader, new ZoneBudget(limits)));
    assert.deepEqual(outcome(editor.build(texts).zones), cli());

    // The edit near the end, after the restart checkpoint: the $GENERATE above it still counts.
    texts = new Map(texts);
    texts.set(main, texts.get(main)!.replace('h390 A', '$GENERATE 1-1500 x$ A 192.0.2.3\nh390 A'));
    const edited = editor.build(texts);
    assert.equal(edited.modes[0], 'incremental');
    const expected = cli();
    assert.deepEqual(outcome(edited.zones), expected);
    assert.ok(expected.findings.some((f) => / zone-budget-records /.test(f)), 'the budget ran out');
    assert.equal(edited.zones[0].records.length, 3000);
    assert.equal(edited.zones[1].records.length, 0);

    // Taken back: the same again, and the other file is read again.
    texts = new Map(texts);
    texts.set(main, texts.get(main)!.replace('$GENERATE 1-1500 x$ A 192.0.2.3\n', ''));
    const back = editor.build(texts);
    assert.deepEqual(outcome(back.zones), cli());
    assert.equal(back.zones[1].records.length, 503);
  });

  it('the editor and the CLI agree after random edits near the budget, file after file', () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const files: WorkspaceFile[] = [0, 1, 2].map((i) => ({ file: `/w/f${i}.zone`, origin: `f${i}.example` }));
    const lines = (n: number) => Array.from({ length: n }, (_, i) => (i % 50 === 7 ? `$GENERATE 1-40 g${i}-$ A 192.0.2.$` : i % 40 === 3 ? '$INCLUDE inc.txt' : `h${i} A 192.0.2.${i % 256}`)).join('\n');
    let texts = new Map<string, string>(files.map((f) => [f.file, `${HEAD}${lines(300)}\n`]));
    texts.set('/w/inc.txt', 'i1 A 192.0.2.1\ni2 A 192.0.2.2\n');
    const reader: ZoneReader = { read: (f) => texts.get(f) };
    // Near what the three files make (about 1,000 records each), so edits move where it runs out.
    const limits = { records: 2400, includes: 25, diagnostics: 40 };
    const editor = new EditorWorkspace(files, reader, limits);
    const modes = new Set<string>();
    for (let n = 0; n < 80; n++) {
      const f = files[Math.floor(rand() * files.length)].file;
      const ls = texts.get(f)!.split('\n');
      const i = 4 + Math.floor(rand() * (ls.length - 5));
      const r = rand();
      ls.splice(i, r < 0.4 ? 1 : 0, r < 0.2 ? '$GENERATE 1-200 e$ A 192.0.2.9' : r < 0.5 ? `x${n} A 192.0.2.1` : r < 0.6 ? 'bad line' : r < 0.7 ? '$INCLUDE inc.txt' : '');
      texts = new Map(texts);
      texts.set(f, ls.join('\n'));
      const got = editor.build(texts);
      for (const m of got.modes) modes.add(m);
      assert.deepEqual(outcome(got.zones), outcome(parseWorkspace(files, reader, new ZoneBudget(limits))), `edit ${n}`);
    }
    assert.ok(modes.has('incremental') && modes.has('unchanged'), [...modes].join(', '));
  });

  it('issue 9 #9: 200,000 stray ")" on one line stop at the diagnostics budget, and the lint does not crash', () => {
    const text = `${HEAD}x A 192.0.2.1 ${')'.repeat(200_000)}\ny A 192.0.2.2\n`;
    const z = parseZone(text, { file: '/w/p.zone', origin: 'example.com' });
    assert.equal(z.diagnostics.length, ZONE_LIMITS.diagnostics + 1);
    assert.equal(z.diagnostics[z.diagnostics.length - 1].code, 'zone-budget-diagnostics');
    const findings = lintZonesStatic([z]);
    assert.equal(findings.filter((f) => f.code === 'zone-unbalanced-parens').length, ZONE_LIMITS.diagnostics);
    // Below the budget every one of them is a finding.
    const fewer = parseZone(`${HEAD}x A 192.0.2.1 ${')'.repeat(90_000)}\n`, { file: '/w/p.zone', origin: 'example.com' });
    assert.equal(lintZonesStatic([fewer]).filter((f) => f.code === 'zone-unbalanced-parens').length, 90_000);
  });
});

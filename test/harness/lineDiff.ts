// The lines that differ between a zone file and its edited text, for the tests of Apply and the quick
// fixes (test/unit/zone-apply-reports.test.ts, test/exthost/suite/apply-reports.test.ts). Edits there
// replace lines or add them, so a line-by-line walk with one step of look-ahead for an added line is enough.

/** [before, after] for each changed line: `[undefined, line]` a line added, `[line, undefined]` one gone at the end. */
export function changedLines(before: string, after: string): [string | undefined, string | undefined][] {
  const a = before.split('\n');
  const b = after.split('\n');
  const out: [string | undefined, string | undefined][] = [];
  for (let i = 0, j = 0; i < a.length || j < b.length; ) {
    if (a[i] === b[j]) {
      i++;
      j++;
    } else if (b.length > a.length && a[i] === b[j + 1]) {
      out.push([undefined, b[j++]]);
    } else {
      out.push([a[i++], b[j++]]);
    }
  }
  return out;
}

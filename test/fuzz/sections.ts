// docs/benchmarks.md has parts written by different commands: `npm run bench` writes the file, and
// `npm run fuzz` owns the part between `<!-- fuzz:start -->` and `<!-- fuzz:end -->`. Each keeps
// the other's part as it was.

export function markers(name: string): { start: string; end: string } {
  return { start: `<!-- ${name}:start -->`, end: `<!-- ${name}:end -->` };
}

/** The marked section `name` of `text`, markers included; undefined when there is none. */
export function sectionOf(text: string, name: string): string | undefined {
  const { start, end } = markers(name);
  const a = text.indexOf(start);
  const b = text.indexOf(end, a);
  return a >= 0 && b > a ? text.slice(a, b + end.length) : undefined;
}

/** `text` with section `name` holding `body` (markers added): in place when there is one, else at the end. */
export function withSection(text: string, name: string, body: string): string {
  const { start, end } = markers(name);
  const section = `${start}\n${body.trim()}\n${end}`;
  const old = sectionOf(text, name);
  if (old !== undefined) return text.replace(old, () => section);
  return `${text.replace(/\n*$/, '')}\n\n${section}\n`;
}

// Where two versions of a text differ: the length of their common prefix and suffix. Whole chunks
// are compared first (natively, as strings), then characters: a 3 MB zone file in under a
// millisecond instead of the ~13 ms a character loop takes.

/** `prefix`: characters the same from the start; `suffix`: from the end (never overlapping the prefix). */
export function commonEnds(a: string, b: string): { prefix: number; suffix: number } {
  const min = Math.min(a.length, b.length);
  let p = 0;
  for (let step = 65536; step >= 16; step >>= 4) while (p + step <= min && a.slice(p, p + step) === b.slice(p, p + step)) p += step;
  while (p < min && a.charCodeAt(p) === b.charCodeAt(p)) p++;
  let s = 0;
  for (let step = 65536; step >= 16; step >>= 4) while (s + step <= min - p && a.slice(a.length - s - step, a.length - s) === b.slice(b.length - s - step, b.length - s)) s += step;
  while (s < min - p && a.charCodeAt(a.length - 1 - s) === b.charCodeAt(b.length - 1 - s)) s++;
  return { prefix: p, suffix: s };
}

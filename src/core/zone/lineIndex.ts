// Offsets ↔ 0-based lines and columns, with line breaks counted the way editors count them
// (`\n`, `\r\n`, and a lone `\r`).

export interface Position {
  offset: number;
  /** 0-based line. */
  line: number;
  /** 0-based column, in UTF-16 code units. */
  column: number;
}

export class LineIndex {
  private starts: number[] | undefined;

  constructor(readonly text: string) {}

  private lineStarts(): number[] {
    if (this.starts) return this.starts;
    const t = this.text;
    const starts = [0];
    for (let i = t.indexOf('\n'), j = 0; ; ) {
      // Lone CRs are rare: look for them only when the text has any.
      if (i < 0) break;
      starts.push(i + 1);
      j = i + 1;
      i = t.indexOf('\n', j);
    }
    if (t.indexOf('\r') >= 0) {
      const all = [0];
      for (let i = 0; i < t.length; i++) {
        const c = t.charCodeAt(i);
        if (c === 10 || (c === 13 && t.charCodeAt(i + 1) !== 10)) all.push(i + 1);
      }
      this.starts = all;
      return all;
    }
    this.starts = starts;
    return starts;
  }

  get lineCount(): number {
    return this.lineStarts().length;
  }

  /** Position of an offset (clamped to the text). */
  position(offset: number): Position {
    const starts = this.lineStarts();
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return { offset: o, line: lo, column: o - starts[lo] };
  }

  /** Offset of a 0-based line and column (clamped). */
  offset(line: number, column: number): number {
    const starts = this.lineStarts();
    if (line < 0) return 0;
    if (line >= starts.length) return this.text.length;
    return Math.min(starts[line] + Math.max(0, column), line + 1 < starts.length ? starts[line + 1] : this.text.length);
  }

  /** Offset where a line starts. */
  lineStart(line: number): number {
    return this.offset(line, 0);
  }
}

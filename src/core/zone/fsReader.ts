// A ZoneReader over the file system, for the CLI, tests and benchmarks. The editor gives its own
// (open documents first, then the workspace file system).
import { readFileSync } from 'node:fs';
import type { ZoneReader } from './types';

export function fsReader(overrides?: Map<string, string>): ZoneReader {
  return {
    read(file: string): string | undefined {
      const o = overrides?.get(file);
      if (o !== undefined) return o;
      try {
        return readFileSync(file, 'utf8');
      } catch {
        return undefined;
      }
    },
  };
}

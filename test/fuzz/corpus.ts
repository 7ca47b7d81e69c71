// Seed texts read at run time: the project's own fixtures, and the shared corpora of real bounces and
// zone files when this machine has them (never copied into the project). Without the shared
// corpora the generators still work, from the fixtures and the grammars alone.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '../paths';

/** The shared corpora: $MAILDNS_CORPORA, /work/shared/corpora, or shared/corpora beside the checkout. */
export function corporaDir(): string | undefined {
  const candidates = [process.env.MAILDNS_CORPORA, '/work/shared/corpora', path.join(REPO_ROOT, '..', 'shared', 'corpora')];
  return candidates.find((c): c is string => c !== undefined && c !== '' && existsSync(c));
}

function filesUnder(dir: string, keep: (f: string) => boolean, max = 2000): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      if (out.length >= max) return;
      const p = path.join(d, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else if (st.isFile() && keep(name)) out.push(p);
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}

function read(files: string[], maxBytes: number): string[] {
  return files.map((f) => readFileSync(f)).filter((b) => b.length <= maxBytes).map((b) => b.toString('utf8'));
}

let bounces: string[] | undefined;
/** Bounce messages: test/fixtures/bounces and the shared real bounces (dev half). */
export function bounceTexts(): string[] {
  if (!bounces) {
    const own = filesUnder(path.join(REPO_ROOT, 'test', 'fixtures', 'bounces'), (f) => f.endsWith('.txt'));
    const shared = corporaDir();
    const real = shared ? filesUnder(path.join(shared, 'bounces', 'dev'), (f) => f.endsWith('.eml')) : [];
    bounces = read([...own, ...real], 256 * 1024);
  }
  return bounces;
}

let zones: string[] | undefined;
/** Zone files: the project's fixtures and the shared BIND/Knot test zones. */
export function zoneTexts(): string[] {
  if (!zones) {
    const isZone = (f: string) => /\.(zone|db|inc)$|^db\.|^example/.test(f) && !f.endsWith('.md') && !f.endsWith('.json');
    const own = filesUnder(path.join(REPO_ROOT, 'test', 'fixtures'), (f) => f.endsWith('.zone'));
    const shared = corporaDir();
    const real = shared ? filesUnder(path.join(shared, 'zones'), isZone) : [];
    zones = read([...own, ...real], 64 * 1024);
  }
  return zones;
}

/** Whether the shared corpora were found (the report says which seeds a run had). */
export function corpusSummary(): string {
  const dir = corporaDir();
  return `${bounceTexts().length} bounce texts, ${zoneTexts().length} zone files${dir ? ` (shared corpora: ${dir})` : ' (fixtures only: no shared corpora on this machine)'}`;
}

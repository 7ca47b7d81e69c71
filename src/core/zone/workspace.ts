// Which files are zone files, and which origin each has when no server configuration says:
// a `zones.json` manifest beside them (`[{ "name": "example.com", "file": "example.com.zone" }]`,
// the format test/harness/bind.ts serves), else the file name (`db.example.com`,
// `example.com.zone`), else the file's own `$ORIGIN` or SOA owner.
import { closeSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { ZoneBudget } from './limits';
import { scanName } from './names';
import { parseZone, type ParsedZone } from './parser';
import type { ZoneReader } from './types';

/** `*.zone`, `db.*`, `*.db`: names editors and BIND setups use for zone files. */
export function isZoneFileName(file: string): boolean {
  const base = path.basename(file).toLowerCase();
  return base.endsWith('.zone') || base.startsWith('db.') || base.endsWith('.db');
}

/** Text that starts like a zone file: `$ORIGIN`, `$TTL` or an SOA record before other data. */
export function looksLikeZone(text: string): boolean {
  const head = text.slice(0, 4096);
  for (const raw of head.split('\n').slice(0, 40)) {
    const line = raw.replace(/;.*$/, '').trim();
    if (line === '') continue;
    if (/^\$(ORIGIN|TTL|INCLUDE)\b/i.test(line)) return true;
    if (/(^|\s)SOA(\s|$)/i.test(line)) return true;
    return false;
  }
  return false;
}

/** The zone name a file name suggests (`db.example.com` → `example.com`), when it looks like a domain. */
export function originFromFileName(file: string): string | undefined {
  let base = path.basename(file);
  if (/\.zone$/i.test(base)) base = base.slice(0, -5);
  else if (/\.db$/i.test(base)) base = base.slice(0, -3);
  else if (/^db\./i.test(base)) base = base.slice(3);
  if (!base.includes('.') || base.startsWith('.')) return undefined;
  // Must end in a letter label (a TLD or arpa), not a file extension that looks like one.
  if (!/\.[a-z][a-z0-9-]*\.?$/i.test(base) || /\.(txt|conf|json|md|bak|orig|old|tmp|swp)$/i.test(base)) return undefined;
  const name = base.endsWith('.') ? base : base + '.';
  return scanName(name).error ? undefined : base.replace(/\.$/, '');
}

interface ManifestEntry {
  name: string;
  file: string;
}

function readManifest(dir: string): ManifestEntry[] | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path.join(dir, 'zones.json'), 'utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed)) return undefined;
  return parsed.filter((e): e is ManifestEntry => typeof e?.name === 'string' && typeof e?.file === 'string');
}

export interface WorkspaceFile {
  file: string;
  origin?: string;
}

const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', 'out', 'dist']);

/** Zone files under the given files and directories, each with the origin it will be parsed with. */
export function findZoneFiles(paths: string[], options: { origin?: string } = {}): { files: WorkspaceFile[]; errors: string[] } {
  const files = new Map<string, WorkspaceFile>();
  const errors: string[] = [];
  const manifests = new Map<string, Map<string, string>>();
  const manifestOrigin = (file: string): string | undefined => {
    const dir = path.dirname(file);
    let m = manifests.get(dir);
    if (!m) {
      m = new Map((readManifest(dir) ?? []).map((e) => [path.resolve(dir, e.file), e.name]));
      manifests.set(dir, m);
    }
    return m.get(path.resolve(file));
  };
  const add = (file: string, explicit: boolean) => {
    const resolved = path.resolve(file);
    if (files.has(resolved)) return;
    const origin = (explicit ? options.origin : undefined) ?? manifestOrigin(file) ?? originFromFileName(file);
    files.set(resolved, { file, ...(origin ? { origin } : {}) });
  };
  const walk = (dir: string) => {
    let entries: string[];
    try {
      entries = readdirSync(dir).sort();
    } catch (e) {
      errors.push(`cannot read directory ${dir}: ${(e as Error).message}`);
      return;
    }
    const manifest = readManifest(dir);
    for (const name of entries) {
      const full = path.join(dir, name);
      let st;
      try {
        st = statSync(full);
      } catch {
        continue;
      }
      if (st.isDirectory()) {
        if (!SKIP_DIRS.has(name) && !name.startsWith('.')) walk(full);
        continue;
      }
      if (!st.isFile() || name === 'zones.json') continue;
      const listed = manifest?.some((e) => path.resolve(dir, e.file) === path.resolve(full));
      if (listed || isZoneFileName(name)) {
        add(full, false);
        continue;
      }
      // Files with no telling name: look at how they start.
      if (st.size > 0 && st.size < 256 * 1024 * 1024 && !/\.(md|json|js|ts|txt|conf|yml|yaml|sh|py|html|css|png|jpg|gz|zip)$/i.test(name)) {
        try {
          if (looksLikeZone(readHead(full))) add(full, false);
        } catch {
          // unreadable: not ours
        }
      }
    }
  };
  for (const p of paths) {
    let st;
    try {
      st = statSync(p);
    } catch (e) {
      errors.push(`cannot read ${p}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (e as Error).message}`);
      continue;
    }
    if (st.isDirectory()) walk(p);
    else add(p, true);
  }
  return { files: [...files.values()], errors };
}

function readHead(file: string): string {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(4096);
    const n = readSync(fd, buf, 0, 4096, 0);
    return buf.subarray(0, n).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/**
 * Parses the files as zones, in order, all charged to one budget (the lint run's, limits.ts). A
 * file another one `$INCLUDE`s is read as part of that zone, not on its own (its findings come
 * with the including zone).
 */
export function parseWorkspace(files: WorkspaceFile[], reader: ZoneReader, budget: ZoneBudget = new ZoneBudget()): ParsedZone[] {
  const zones = files.map((f) => parseZone(undefined, { file: f.file, origin: f.origin, reader, budget }));
  return zonesToLint(zones, budget);
}

/**
 * The zones a run lints out of every file it parsed: those no other zone `$INCLUDE`s. When a
 * budget ran out in the parse of a file left out that way, the finding that says so is carried
 * over to a zone that is linted (one that reads that file, else the first), so it is never lost.
 */
export function zonesToLint(zones: ParsedZone[], budget?: ZoneBudget): ParsedZone[] {
  const included = new Set<string>();
  for (const z of zones) for (const inc of z.includes) included.add(path.resolve(inc.file));
  const kept = zones.filter((z) => !included.has(path.resolve(z.file)));
  const stop = budget?.stop;
  if (!stop || kept.some((z) => z.file === stop.zoneFile)) return kept;
  const holder = zones.find((z) => z.file === stop.zoneFile);
  if (!holder) return kept;
  let k = kept.findIndex((z) => z.sources.has(stop.finding.file));
  if (k < 0) k = kept.length > 0 ? 0 : -1;
  if (k < 0) return [holder];
  // A copy: the zone may be an editor document's last parse, reused by the next run.
  const out = kept.slice();
  out[k] = { ...kept[k], diagnostics: [...kept[k].diagnostics, stop.finding], truncated: true };
  return out;
}

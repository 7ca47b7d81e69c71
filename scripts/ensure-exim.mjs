#!/usr/bin/env node
// Unpacks Debian's Exim (exim4-daemon-light, exim4-base, exim4-config, and libidn12, which the
// binary links) into a cache folder outside the repo, for the receiver-matrix tests
// (test/integration/receivers-real.test.ts). Installing exim4 with apt would remove postfix (both
// are "mail-transport-agent"), which the Postfix tests need, so the packages are only downloaded
// (`apt-get download`) and unpacked (`dpkg-deb -x`); the tests run the unpacked binary with their
// own configuration. Fast when the folder is there.
//   MAILDNS_EXIM_CACHE  folder to use instead of ${XDG_CACHE_HOME:-~/.cache}/mail-dns-doctor/exim-4.96
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

export const EXIM_PACKAGES = ['exim4-daemon-light', 'exim4-base', 'exim4-config', 'libidn12'];

export function eximCacheDir() {
  if (process.env.MAILDNS_EXIM_CACHE) return path.resolve(process.env.MAILDNS_EXIM_CACHE);
  return path.join(process.env.XDG_CACHE_HOME || path.join(homedir(), '.cache'), 'mail-dns-doctor', 'exim-4.96');
}

/** Where the unpacked tree's pieces are. */
export function eximPaths(dir = eximCacheDir()) {
  const root = path.join(dir, 'root');
  return { root, exim: path.join(root, 'usr', 'sbin', 'exim4'), libDir: path.join(root, 'usr', 'lib', 'x86_64-linux-gnu'), confD: path.join(root, 'etc', 'exim4', 'conf.d') };
}

export function ensureExim() {
  const dir = eximCacheDir();
  const p = eximPaths(dir);
  if (existsSync(p.exim) && existsSync(path.join(p.confD, 'acl', '30_exim4-config_check_rcpt'))) return p;
  const work = `${dir}.partial`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const run = (cmd, args) => {
    process.stderr.write(`ensure-exim: ${cmd} ${args.join(' ')}\n`);
    const r = spawnSync(cmd, args, { cwd: work, stdio: ['ignore', 'inherit', 'inherit'] });
    if (r.status !== 0) throw new Error(`ensure-exim: "${cmd} ${args.join(' ')}" failed (exit ${r.status ?? r.signal})`);
  };
  run('apt-get', ['download', ...EXIM_PACKAGES]);
  for (const deb of readdirSync(work).filter((f) => f.endsWith('.deb'))) run('dpkg-deb', ['-x', deb, 'root']);
  rmSync(dir, { recursive: true, force: true });
  renameSync(work, dir);
  return eximPaths(dir);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    console.log(ensureExim().exim);
  } catch (e) {
    process.stderr.write(`${e.message}\n`);
    process.exit(1);
  }
}

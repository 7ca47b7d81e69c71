// Builds the .vsix exactly as `npm run package` does (vscode:prepublish's production build, then
// vsce with the .vscodeignore allow-list), in a staging copy of the repository so the working
// tree's dist/ (the development build the other tests load) is never touched.
import { execFile } from 'node:child_process';
import * as fsp from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../paths';

const run = promisify(execFile);

/** What the staging copy needs: copied files, and folders linked (read only by the build). */
const COPY = ['package.json', 'package-lock.json', 'README.md', 'LICENSE', 'CHANGELOG.md', '.vscodeignore', 'esbuild.mjs', 'tsconfig.json', 'media', 'docs'];
const LINK = ['src', 'node_modules'];

export interface BuiltVsix {
  file: string;
  bytes: number;
  /** vsce's listing of what it packed. */
  log: string;
  /** With `keepStage`: the staging copy, its dist/ the production build that was packed. The caller removes it. */
  stage?: string;
}

export async function buildVsix(outFile: string, options: { keepStage?: boolean } = {}): Promise<BuiltVsix> {
  const stage = await fsp.mkdtemp(path.join(os.tmpdir(), 'maildns-vsix-'));
  let keep = false;
  try {
    for (const name of COPY) await fsp.cp(path.join(REPO_ROOT, name), path.join(stage, name), { recursive: true });
    for (const name of LINK) await fsp.symlink(path.join(REPO_ROOT, name), path.join(stage, name));
    const env: NodeJS.ProcessEnv = {};
    // A clean npm: nothing of an outer `npm test` (its npm_* variables) leaks into the package step.
    for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k) && k !== 'INIT_CWD') env[k] = v;
    const { stdout, stderr } = await run('npm', ['run', '--silent', 'package', '--', '--out', outFile], { cwd: stage, env, maxBuffer: 16 << 20 });
    const stat = await fsp.stat(outFile);
    keep = options.keepStage === true;
    return { file: outFile, bytes: stat.size, log: stdout + stderr, ...(keep ? { stage } : {}) };
  } finally {
    if (!keep) await fsp.rm(stage, { recursive: true, force: true });
  }
}

// Runs the extension-host suite (out/test/exthost/suite/index.js, or another extensionTestsPath)
// in code-server's real Node extension host, through @vscode/test-electron's runTests() with
// test/exthost/code-launcher standing in for VS Code's executable. Nothing is downloaded.
//
//   const r = await runExtensionTests({
//     settings: { 'mailDns.resolvers': ['127.0.0.1:5353'] },  // -> <workspace copy>/.vscode/settings.json
//     env: { MY_VAR: '1' },                                    // -> the extension host's environment
//   });
//   assert.equal(r.exitCode, 0);
//
// Every run gets its own temporary folder (workspace copy, user-data-dir, extensions-dir, logs),
// deleted after a passing run and kept after a failing one (or always, with MAILDNS_EXTHOST_KEEP=1).
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { runTests } from '@vscode/test-electron';

/** The repository root, from compiled tests (out/test/exthost) or sources (test/exthost). */
export const REPO_ROOT = (() => {
  let dir = __dirname;
  while (path.basename(dir) === 'out' || !fs.existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${__dirname}`);
    dir = up;
  }
  return dir;
})();

/** vscodeExecutablePath for runTests(): a shell wrapper around test/exthost/launcher.mjs. */
export const LAUNCHER = path.join(REPO_ROOT, 'test', 'exthost', 'code-launcher');
export const DEFAULT_TESTS_PATH = path.join(REPO_ROOT, 'out', 'test', 'exthost', 'suite', 'index.js');
export const DEFAULT_WORKSPACE = path.join(REPO_ROOT, 'demo');

// tsc turns import() into require() for CommonJS; these helpers are ESM, so keep a real import().
const importEsm = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<any>;

/** Loads one of the tier's plain-ESM helpers by its path from the repository root. */
export function importRepoModule<T = any>(relativePath: string): Promise<T> {
  return importEsm(pathToFileURL(path.join(REPO_ROOT, relativePath)).href) as Promise<T>;
}

export interface CodeServerInstall {
  cacheDir: string;
  nodeDir: string;
  nodeBinDir: string;
  nodeBin: string;
  entry: string;
  codeServerVersion: string;
  vscodeVersion: string;
  nodeVersion: string;
  installed: boolean;
  installSeconds?: number;
}

/** scripts/ensure-code-server.mjs: installs Node 24 + code-server into the cache once (~2 min). */
export async function ensureCodeServer(progress?: (line: string) => void): Promise<CodeServerInstall> {
  const m = await importRepoModule('scripts/ensure-code-server.mjs');
  return m.ensureCodeServer(progress ? { progress } : {});
}

export interface PreparedWorkspace {
  /** The folder to open (a copy), or undefined for a window without a folder. */
  folder: string | undefined;
}

/**
 * Copies `source` (default: demo/ if it exists, else nothing) to `dest` and merges `settings`
 * into `<dest>/.vscode/settings.json`. `source: null` means an empty folder.
 */
export async function prepareWorkspace(dest: string, source?: string | null, settings?: Record<string, unknown>): Promise<string> {
  const from = source === undefined ? (fs.existsSync(DEFAULT_WORKSPACE) ? DEFAULT_WORKSPACE : null) : source;
  await fsp.mkdir(dest, { recursive: true });
  if (from) {
    if (!fs.statSync(from).isDirectory()) throw new Error(`workspace ${from} is not a folder`);
    await fsp.cp(from, dest, { recursive: true });
  }
  if (settings && Object.keys(settings).length) {
    const file = path.join(dest, '.vscode', 'settings.json');
    let existing: Record<string, unknown> = {};
    if (fs.existsSync(file)) {
      const text = await fsp.readFile(file, 'utf8');
      try {
        existing = JSON.parse(text) as Record<string, unknown>;
      } catch {
        throw new Error(`${file} (copied from the workspace) is not plain JSON, so settings cannot be merged into it`);
      }
    }
    await fsp.mkdir(path.dirname(file), { recursive: true });
    await fsp.writeFile(file, JSON.stringify({ ...existing, ...settings }, null, 2) + '\n');
  }
  return dest;
}

export interface RunExtensionTestsOptions {
  /** Folder to copy and open: default demo/ (if it exists, else an empty folder); null = empty folder. */
  workspace?: string | null;
  /** Workspace settings, merged into `<workspace copy>/.vscode/settings.json`. */
  settings?: Record<string, unknown>;
  /** Called with the workspace copy before VS Code starts: for files no copy can carry (FIFOs, symlink loops). */
  prepare?: (workspace: string) => Promise<void> | void;
  /** User settings (on top of the tier's quiet defaults), in `<user-data-dir>/User/settings.json`. */
  userSettings?: Record<string, unknown>;
  /** Environment for the extension host (and code-server, whose child it is). */
  env?: Record<string, string>;
  /** Default: out/test/exthost/suite/index.js. */
  extensionTestsPath?: string;
  /** Default: the repository root (the extension under development). */
  extensionDevelopmentPath?: string;
  /** Only mocha tests whose full title matches this regular expression (MAILDNS_EXTHOST_GREP). */
  grep?: string;
  /** Overall limit for the launcher (default MAILDNS_EXTHOST_TIMEOUT_MS or 300000). */
  timeoutMs?: number;
  /** Pass --disable-extensions (default true: only built-ins and the extension under test). */
  disableExtensions?: boolean;
  /** Keep the run folder even when the tests pass (also MAILDNS_EXTHOST_KEEP=1). */
  keep?: boolean;
}

export interface RunExtensionTestsResult {
  /** The extension tests' exit code (0: all passed). */
  exitCode: number;
  /** Everything the launcher printed: the extension host's console and the launcher's lines. */
  output: string;
  /** The run's temporary folder (gone after a passing run unless kept). */
  runDir: string;
  /** The workspace copy that was open. */
  workspace: string;
  /** code-server's log, the page console and the workbench's logs. */
  logDir: string;
  kept: boolean;
  durationMs: number;
}

/** Runs extension tests in code-server's extension host and reports their exit code. */
export async function runExtensionTests(opts: RunExtensionTestsOptions = {}): Promise<RunExtensionTestsResult> {
  const started = Date.now();
  const extensionDevelopmentPath = path.resolve(opts.extensionDevelopmentPath ?? REPO_ROOT);
  const extensionTestsPath = path.resolve(opts.extensionTestsPath ?? DEFAULT_TESTS_PATH);

  const pkg = JSON.parse(fs.readFileSync(path.join(extensionDevelopmentPath, 'package.json'), 'utf8')) as { main?: string };
  if (pkg.main) {
    const main = path.resolve(extensionDevelopmentPath, pkg.main.endsWith('.js') ? pkg.main : `${pkg.main}.js`);
    if (!fs.existsSync(main)) throw new Error(`the extension is not built: ${main} is missing (npm run build)`);
  }
  if (!fs.existsSync(extensionTestsPath)) {
    throw new Error(`${extensionTestsPath} is missing (npm run compile-tests)`);
  }
  if (!fs.existsSync(LAUNCHER)) throw new Error(`${LAUNCHER} is missing`);
  if ((fs.statSync(LAUNCHER).mode & 0o111) === 0) fs.chmodSync(LAUNCHER, 0o755);

  // Install (once) before the run, so its progress shows and the launcher starts at once.
  await ensureCodeServer((line) => process.stderr.write(`[ensure-code-server] ${line}\n`));

  const runDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'maildns-exthost-'));
  const workspace = await prepareWorkspace(path.join(runDir, 'workspace'), opts.workspace, opts.settings);
  await opts.prepare?.(workspace);
  const userDataDir = path.join(runDir, 'user-data');
  const extensionsDir = path.join(runDir, 'extensions');
  const logDir = path.join(runDir, 'logs');
  await fsp.mkdir(extensionsDir, { recursive: true });
  const wb = await importRepoModule('test/exthost/workbench.mjs');
  await wb.writeUserSettings(userDataDir, opts.userSettings ?? {});

  const extensionTestsEnv: Record<string, string> = {
    ...(opts.env ?? {}),
    MAILDNS_LAUNCHER_NODE: process.execPath,
    MAILDNS_EXTHOST_LOG_DIR: logDir,
  };
  if (opts.timeoutMs) extensionTestsEnv.MAILDNS_EXTHOST_TIMEOUT_MS = String(opts.timeoutMs);
  if (opts.grep) extensionTestsEnv.MAILDNS_EXTHOST_GREP = opts.grep;

  let exitCode: number;
  try {
    // runTests() forwards the launcher's stdout and stderr to this process; the launcher also
    // copies them to <logDir>/output.log, read back below.
    exitCode = await runTests({
      vscodeExecutablePath: LAUNCHER,
      extensionDevelopmentPath,
      extensionTestsPath,
      launchArgs: [
        workspace,
        `--user-data-dir=${userDataDir}`,
        `--extensions-dir=${extensionsDir}`,
        ...(opts.disableExtensions === false ? [] : ['--disable-extensions']),
      ],
      extensionTestsEnv,
    });
  } catch (err) {
    const e = err as { code?: number; signal?: string; name?: string };
    if (e?.name !== 'TestRunFailedError' && typeof e?.code !== 'number' && !e?.signal) throw err;
    exitCode = typeof e.code === 'number' ? e.code : 1;
  }
  let output = '';
  try {
    output = await fsp.readFile(path.join(logDir, 'output.log'), 'utf8');
  } catch {
    output = '';
  }

  const keep = opts.keep || process.env.MAILDNS_EXTHOST_KEEP === '1' || exitCode !== 0;
  if (keep) {
    process.stderr.write(`[exthost] run folder kept: ${runDir} (logs: ${logDir})\n`);
  } else {
    await fsp.rm(runDir, { recursive: true, force: true });
  }
  return { exitCode, output, runDir, workspace, logDir, kept: keep, durationMs: Date.now() - started };
}

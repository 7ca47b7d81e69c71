// `npm pack` makes a tarball that puts a working `maildns` on the PATH when installed globally, with
// nothing from the registry: dist/cli.js is one esbuild bundle, so the package has no runtime
// dependency. npm pack runs in a staging copy of the repository (its prepack script makes the
// production build there, as test/harness/vsix.ts does for the .vsix), so the working tree's dist/
// is never touched; the install goes into a prefix of its own.
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../paths';

const run = promisify(execFile);
const tmp = fs.mkdtempSync(path.join(tmpdir(), 'maildns-pack-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

// An outer `npm test` leaves npm_* variables (prefix, cache, lifecycle) that would steer the inner
// npm: it runs without them, with its cache in the temporary folder and no registry to reach.
const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k) && k !== 'INIT_CWD'));
env.npm_config_cache = path.join(tmp, 'cache');
env.npm_config_update_notifier = 'false';
env.npm_config_registry = 'http://127.0.0.1:9/';

/** What npm pack and the prepack build read: copied files, and folders linked. */
const COPY = ['package.json', 'package-lock.json', 'README.md', 'LICENSE', 'CHANGELOG.md', '.npmignore', 'esbuild.mjs', 'tsconfig.json'];
const LINK = ['src', 'node_modules'];

describe('issue 8: npm pack and a global install', () => {
  it('issue 8: the tarball holds dist/cli.js and no tests, sources or node_modules, and installs a maildns that runs', async () => {
    const stage = path.join(tmp, 'stage');
    fs.mkdirSync(stage);
    for (const name of COPY) fs.cpSync(path.join(REPO_ROOT, name), path.join(stage, name));
    for (const name of LINK) fs.symlinkSync(path.join(REPO_ROOT, name), path.join(stage, name));
    const packed = await run('npm', ['pack', '--json', '--pack-destination', tmp], { cwd: stage, env, maxBuffer: 16 << 20 });
    const [info] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
    const files = info.files.map((f) => f.path).sort();
    assert.deepEqual(files, ['CHANGELOG.md', 'LICENSE', 'README.md', 'dist/THIRD-PARTY-NOTICES.txt', 'dist/cli.js', 'package.json']);

    const prefix = path.join(tmp, 'prefix');
    await run('npm', ['install', '--global', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', path.join(tmp, info.filename)], { cwd: tmp, env });
    const installed = path.join(prefix, 'lib', 'node_modules', 'mail-dns-doctor');
    assert.ok(fs.existsSync(path.join(installed, 'dist', 'cli.js')));
    assert.ok(!fs.existsSync(path.join(installed, 'node_modules')), 'no runtime dependency was installed');

    const maildns = path.join(prefix, 'bin', 'maildns');
    const { version } = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    assert.equal((await run(maildns, ['--version'], { env })).stdout, `maildns ${version}\n`);
    const help = await run(maildns, ['rdns', '--help'], { env });
    assert.match(help.stdout, /^Usage: maildns rdns <ip> /);
    assert.match(help.stdout, /--max-steps n/);
    // The bundle carries package.json's version and nothing else of it.
    assert.ok(!fs.readFileSync(path.join(installed, 'dist', 'cli.js'), 'utf8').includes('untrustedWorkspaces'));
  });
});

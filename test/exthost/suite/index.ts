// The extensionTestsPath module: runs inside VS Code's extension host (code-server's, here) and
// runs every `*.test.js` next to it (out/test/exthost/suite/) with mocha, BDD style.
//
// Environment (set through runExtensionTests({ env }) in test/exthost/harness.ts):
//   MAILDNS_EXTHOST_GREP         only tests whose full title matches this regular expression
//   MAILDNS_EXTHOST_TEST_TIMEOUT mocha's per-test timeout in ms (default 60000)
//   MAILDNS_TEST_RESULTS_DIR     where requestScreenshot() waits for the PNG (the launcher sets it)
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

/** The line the launcher watches for: it saves a screenshot of the workbench page. */
export const SCREENSHOT_MARKER = '@@maildns:screenshot';

function resultsDir(): string {
  // out/test/exthost/suite -> repository root -> test-results
  return process.env.MAILDNS_TEST_RESULTS_DIR ?? path.resolve(__dirname, '..', '..', '..', '..', 'test-results');
}

/**
 * Asks the launcher for a screenshot of the whole workbench and resolves with the PNG's path once
 * it exists (the launcher writes it under a temporary name and renames it, so it is complete).
 * `name` becomes `<test-results>/<name>.png`; use [A-Za-z0-9._-].
 */
export function requestScreenshot(name: string, timeoutMs = Number(process.env.MAILDNS_SCREENSHOT_TIMEOUT_MS ?? 30_000)): Promise<string> {
  if (!/^[A-Za-z0-9._-]+$/.test(name) || name.startsWith('.')) {
    return Promise.reject(new Error(`screenshot name "${name}" must match [A-Za-z0-9._-]+ and not start with a dot`));
  }
  const dir = resultsDir();
  const file = `${name}.png`;
  const target = path.join(dir, file);
  fs.mkdirSync(dir, { recursive: true });
  fs.rmSync(target, { force: true }); // an old one must not answer for the new one
  return new Promise<string>((resolve, reject) => {
    let settled = false;
    const done = (err?: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      watcher.close();
      if (err) reject(err);
      else resolve(target);
    };
    const watcher = fs.watch(dir, (_event, filename) => {
      if (filename?.toString() === file && fs.existsSync(target)) done();
    });
    watcher.on('error', (err) => done(err));
    const timer = setTimeout(
      () => done(new Error(`no screenshot ${target} within ${timeoutMs} ms: is this running under test/exthost/launcher.mjs?`)),
      timeoutMs,
    );
    console.log(`${SCREENSHOT_MARKER} ${name}`);
  });
}

export function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'bdd',
    reporter: 'spec',
    color: false,
    timeout: Number(process.env.MAILDNS_EXTHOST_TEST_TIMEOUT ?? 60_000),
  });
  if (process.env.MAILDNS_EXTHOST_GREP) mocha.grep(new RegExp(process.env.MAILDNS_EXTHOST_GREP));

  // hostile.test.js needs the hostile workspace test/exthost/hostile.test.ts builds: it runs there
  // (MAILDNS_TEST_HOSTILE=1) and only there, the other files everywhere else.
  const hostile = process.env.MAILDNS_TEST_HOSTILE === '1';
  const files = fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.test.js') && f.startsWith('hostile.') === hostile)
    .sort();
  for (const f of files) mocha.addFile(path.join(__dirname, f));
  console.log(`exthost: running ${files.length} test file(s) from ${__dirname}: ${files.join(', ')}`);

  return new Promise<void>((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        const s = runner.stats;
        const passed = s?.passes ?? 0;
        const skipped = s?.pending ?? 0;
        console.log(`exthost: ${passed} passed, ${failures} failed${skipped ? `, ${skipped} skipped` : ''}`);
        if (failures > 0) reject(new Error(`${failures} extension-host test(s) failed`));
        else if (passed === 0) reject(new Error('no extension-host test ran'));
        else resolve();
      });
    } catch (err) {
      reject(err);
    }
  });
}

import * as path from 'node:path';

/** Repository root, from compiled tests in out/test/... or sources in test/... */
export const REPO_ROOT = (() => {
  let dir = __dirname;
  while (!require('node:fs').existsSync(path.join(dir, 'package.json')) || path.basename(dir) === 'out') dir = path.dirname(dir);
  return dir;
})();

export const FIXTURE_ZONES = path.join(REPO_ROOT, 'test', 'fixtures', 'zones');

// The extension-host tier, run by `npm test`: installs code-server once (cached,
// scripts/ensure-code-server.mjs), starts a real BIND on the fixture zones (and a second one on
// the SPF fixture zones, whose example.com/net/org differ: MAILDNS_TEST_SPF_DNS), then runs
// out/test/exthost/suite/*.test.js inside code-server's real Node extension host, on a copy of
// demo/ whose settings point the extension at that BIND, and expects exit code 0.
// A third BIND serves test/fixtures/mail-zones (MAILDNS_TEST_MAIL_DNS) for the mail checks, and a
// real Postfix on loopback resolving through it (test/harness/postfix.ts) is the SMTP server they
// probe (MAILDNS_TEST_POSTFIX: JSON {host, ports}; MAILDNS_TEST_POSTFIX_SKIP: why it cannot run here).
// A fourth serves test/fixtures/dmarc-zones for Check DMARC (MAILDNS_TEST_DMARC_DNS).
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { startBind, type BindServer } from '../harness/bind';
import { postfixUnavailable, startPostfix, type PostfixServer } from '../harness/postfix';
import { FIXTURE_ZONES, REPO_ROOT } from '../paths';
import { runExtensionTests } from './harness';

const SPF_ZONES = path.join(REPO_ROOT, 'test', 'fixtures', 'spf-zones');
const MAIL_ZONES = path.join(REPO_ROOT, 'test', 'fixtures', 'mail-zones');
const DMARC_ZONES = path.join(REPO_ROOT, 'test', 'fixtures', 'dmarc-zones');
const POSTFIX_SKIP = postfixUnavailable();

let bind: BindServer | undefined;
let spfBind: BindServer | undefined;
let mailBind: BindServer | undefined;
let dmarcBind: BindServer | undefined;
let postfix: PostfixServer | undefined;
before(async () => {
  mailBind = await startBind({ zoneDir: MAIL_ZONES });
  // npm test installs Postfix; only MAILDNS_ALLOW_SKIP=1 lets its two extension-host tests skip.
  if (POSTFIX_SKIP && process.env.MAILDNS_ALLOW_SKIP !== '1') throw new Error(`real Postfix not available: ${POSTFIX_SKIP}`);
  if (!POSTFIX_SKIP) postfix = await startPostfix({ dns: mailBind.server, certNames: ['mail.dynatron.example'] });
  const [main, spf, dmarc] = await Promise.allSettled([startBind({ zoneDir: FIXTURE_ZONES }), startBind({ zoneDir: SPF_ZONES }), startBind({ zoneDir: DMARC_ZONES })]);
  if (main.status === 'fulfilled') bind = main.value;
  if (spf.status === 'fulfilled') spfBind = spf.value;
  if (dmarc.status === 'fulfilled') dmarcBind = dmarc.value;
  if (main.status === 'rejected') throw main.reason;
  if (spf.status === 'rejected') throw spf.reason;
  if (dmarc.status === 'rejected') throw dmarc.reason;
});
after(async () => {
  await postfix?.stop();
  await Promise.all([bind?.stop(), spfBind?.stop(), mailBind?.stop(), dmarcBind?.stop()]);
});

test('extension-host suite passes in code-server', { timeout: 15 * 60_000 }, async () => {
  assert.ok(bind && spfBind && mailBind && dmarcBind);
  const mailEnv: Record<string, string> = postfix
    ? { MAILDNS_TEST_POSTFIX: JSON.stringify({ host: postfix.host, ports: postfix.ports, myhostname: postfix.myhostname }) }
    : { MAILDNS_TEST_POSTFIX_SKIP: POSTFIX_SKIP ?? 'not started' };
  const r = await runExtensionTests({
    settings: { 'mailDns.resolvers': [bind.server], 'mailDns.timeoutMs': 1000 },
    env: {
      MAILDNS_TEST_DNS: bind.server,
      MAILDNS_TEST_SPF_DNS: spfBind.server,
      MAILDNS_TEST_MAIL_DNS: mailBind.server,
      MAILDNS_TEST_DMARC_DNS: dmarcBind.server,
      ...mailEnv,
      MAILDNS_RESULTS_DIR: path.join(REPO_ROOT, 'test-results'),
    },
  });
  assert.equal(r.exitCode, 0, `the extension-host tests exited with ${r.exitCode}; logs kept in ${r.logDir}`);
  assert.match(r.output, /exthost: [1-9]\d* passed, 0 failed/, 'the suite did not report its tests');
});

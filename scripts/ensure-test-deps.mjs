#!/usr/bin/env node
// Installs what the test tiers need and a fresh machine of this kind lacks, then returns.
// Fast when everything is there (a few file checks). Run by `npm test` (pretest), `npm start` and
// `npm run bench` (with --bench).
//   - Debian packages, without Recommends (only what is named here is wanted): bind9 (named),
//     bind9-utils (named-checkzone), bind9-dnsutils (dig), postfix (a real SMTP server for the probe
//     and HELO tests; never started as the system's mail service), chromium and fonts-liberation
//     (the headless browser of the extension-host tier and the fonts its screenshots are read in),
//     libkrb5-dev (code-server's native modules build on it), opendkim-tools (opendkim-genkey,
//     opendkim-testkey) and python3-dkim (dkimpy: dkimsign, dkimverify), the real DKIM signers and
//     verifiers the DKIM tests compare with, opendmarc and libmail-dmarc-perl (the DMARC
//     implementations the DMARC tests compare with), spamassassin, libmail-spf-perl and rspamd (the
//     receivers the receiver-matrix tests compare with; their services are stopped and disabled).
//     With --bench also python3-spf (pyspf, the
//     reference the SPF benchmark compares with).
//   - Debian's Exim 4.96, downloaded and unpacked into a cache folder (scripts/ensure-exim.mjs).
//   - Node 24 and code-server, into a cache outside the repo (scripts/ensure-code-server.mjs).
// Set MAILDNS_SKIP_EXTHOST=1 to leave out the extension-host tier's pieces (its tests then fail,
// they do not skip: a missing tier must be seen).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const NEEDS = [
  { pkg: 'bind9', test: () => existsSync('/usr/sbin/named') },
  { pkg: 'bind9-utils', test: () => existsSync('/usr/bin/named-checkzone') || existsSync('/usr/sbin/named-checkzone') },
  { pkg: 'bind9-dnsutils', test: () => existsSync('/usr/bin/dig') },
  // A real Postfix for the SMTP probe and HELO-verdict tests (run with its own config directory).
  { pkg: 'postfix', test: () => existsSync('/usr/lib/postfix/sbin/master') },
  { pkg: 'chromium', test: () => existsSync('/usr/bin/chromium'), exthost: true },
  { pkg: 'fonts-liberation', test: () => existsSync('/usr/share/fonts/truetype/liberation'), exthost: true },
  // The two DMARC implementations test/integration/dmarc-bind.test.ts compares policy discovery with:
  // OpenDMARC's opendmarc-check, and Mail::DMARC (with Debian's public suffix list).
  // Mail::DMARC is also the reference evaluator of test/integration/verify-real.test.ts (message verdicts).
  { pkg: 'opendmarc', test: () => existsSync('/usr/sbin/opendmarc-check') },
  { pkg: 'libmail-dmarc-perl', test: () => existsSync('/usr/share/perl5/Mail/DMARC/PurePerl.pm') },
  // pyspf, the reference the SPF benchmark compares with (npm run bench).
  { pkg: 'python3-spf', test: () => existsSync('/usr/lib/python3/dist-packages/spf.py'), bench: true },
  // The real DKIM signers and verifiers test/integration/dkim-real.test.ts compares our verdicts with.
  { pkg: 'opendkim-tools', test: () => existsSync('/usr/sbin/opendkim-testkey') || existsSync('/usr/bin/opendkim-testkey') },
  { pkg: 'python3-dkim', test: () => existsSync('/usr/lib/python3/dist-packages/dkim/__init__.py') },
  // The receivers test/integration/receivers-real.test.ts checks the receiver matrix against: SpamAssassin
  // (with Mail::SPF, which Debian installs as a Recommends; Mail::DKIM and Mail::DMARC come with the
  // packages above) and rspamd. Both run there with private configurations; their services stay off.
  { pkg: 'spamassassin', test: () => existsSync('/usr/bin/spamassassin'), service: true },
  { pkg: 'libmail-spf-perl', test: () => existsSync('/usr/share/perl5/Mail/SPF.pm') },
  { pkg: 'rspamd', test: () => existsSync('/usr/bin/rspamd') && existsSync('/usr/bin/rspamc'), service: true },
  // Debian's SPF policy service for Postfix, run by test/integration/receivers-postfix.test.ts with its shipped
  // configuration (the receiver matrix's check_policy_service row).
  { pkg: 'postfix-policyd-spf-python', test: () => existsSync('/usr/bin/policyd-spf') },
  { pkg: 'libkrb5-dev', test: () => existsSync('/usr/include/krb5.h') || existsSync('/usr/include/krb5/krb5.h'), exthost: true },
];

const skipExthost = process.env.MAILDNS_SKIP_EXTHOST === '1';
const bench = process.argv.includes('--bench');
const missing = NEEDS.filter((n) => !(skipExthost && n.exthost) && !(n.bench && !bench) && !n.test()).map((n) => n.pkg);

function run(cmd, args) {
  process.stderr.write(`ensure-test-deps: ${cmd} ${args.join(' ')}\n`);
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (r.status !== 0) {
    process.stderr.write(`ensure-test-deps: "${cmd} ${args.join(' ')}" failed (exit ${r.status ?? r.signal})\n`);
    process.exit(1);
  }
}

if (missing.length > 0) {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !existsSync('/usr/bin/apt-get')) {
    process.stderr.write(`ensure-test-deps: missing Debian packages: ${missing.join(' ')}\nInstall them as root: apt-get install -y --no-install-recommends ${missing.join(' ')}\n`);
    process.exit(1);
  }
  if (missing.includes('postfix')) {
    // The tests run their own Postfix with its own configuration: leave the system's unconfigured.
    const r = spawnSync('debconf-set-selections', { input: 'postfix postfix/main_mailer_type select No configuration\n' });
    if (r.status !== 0) process.stderr.write('ensure-test-deps: could not preseed postfix (debconf-set-selections); continuing\n');
  }
  run('apt-get', ['update', '-q']);
  run('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...missing]);
  stopServices(NEEDS.filter((n) => n.service && missing.includes(n.pkg)).map((n) => n.pkg));
}

// Installing a package may start its daemon and enable it at boot (rspamd), or leave a helper running
// (spamassassin's postinst starts a gpg-agent for sa-update's keyring). The tests start their own
// instances: stop and disable the system's, by its own service script, never by process name.
function stopServices(pkgs) {
  const quiet = (cmd, args) => spawnSync(cmd, args, { stdio: 'ignore' });
  for (const pkg of pkgs) {
    if (pkg === 'spamassassin' && existsSync('/var/lib/spamassassin/sa-update-keys'))
      quiet('gpgconf', ['--homedir', '/var/lib/spamassassin/sa-update-keys', '--kill', 'gpg-agent']);
    if (existsSync(`/etc/init.d/${pkg}`)) {
      quiet('invoke-rc.d', [pkg, 'stop']);
      quiet('update-rc.d', [pkg, 'disable']);
    }
    if (existsSync('/run/systemd/system')) quiet('systemctl', ['disable', '--now', `${pkg}.service`]);
  }
}

// Debian's Exim, unpacked into a cache folder (not installed: it would remove postfix).
{
  const { ensureExim } = await import('./ensure-exim.mjs');
  try {
    ensureExim();
  } catch (e) {
    process.stderr.write(`${e.message}\n`);
    process.exit(1);
  }
}

if (!skipExthost) {
  const { ensureCodeServer } = await import('./ensure-code-server.mjs');
  await ensureCodeServer();
}

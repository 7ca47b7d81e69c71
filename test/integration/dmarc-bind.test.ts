// "Check DMARC" against a real BIND serving test/fixtures/dmarc-zones (see its CASES.md), and policy
// discovery compared with two real implementations asking the same BIND: OpenDMARC's opendmarc-check
// (Debian opendmarc) and Mail::DMARC (Debian libmail-dmarc-perl). Both resolve through the C library
// or Net::DNS, which read /etc/resolv.conf and ask port 53 only: they run under `unshare --mount`
// with a private resolv.conf naming the DNS relay of test/harness/postfix.ts (127.x.y.z:53), which
// forwards to the BIND fixture. Root is needed for that; MAILDNS_ALLOW_SKIP=1 is the escape.
//
// What the tools offer, verified on this machine: opendmarc-check <domain> prints the policy of
// _dmarc.<domain> only — it initialises libopendmarc without a public suffix list, so it never
// falls back to the organizational domain ("Looked up domain lacked a DMARC record"). Mail::DMARC's
// discover_policy does the whole RFC 7489 §6.6.3 discovery with Debian's public suffix list, and
// has_valid_reporting_uri checks the §7.1 authorization of external report addresses.
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createResolver } from '../../src/core/dns/resolver';
import type { Resolver } from '../../src/core/dns/types';
import { checkDmarc } from '../../src/core/dmarc/check';
import type { DmarcResult } from '../../src/core/dmarc/types';
import { startBind, type BindServer } from '../harness/bind';
import { type DnsRelay, startDnsRelay } from '../harness/postfix';
import { REPO_ROOT } from '../paths';

const ZONES = path.join(REPO_ROOT, 'test', 'fixtures', 'dmarc-zones');
const codes = (r: DmarcResult) => r.findings.map((f) => f.code);

describe('DMARC check against BIND', () => {
  let bind: BindServer;
  let resolver: Resolver;
  before(async () => {
    bind = await startBind({ zoneDir: ZONES });
    resolver = createResolver({ servers: [bind.server], timeoutMs: 1000 });
  });
  after(() => bind.stop());

  it('falls back to the organizational domain: sp for an existing subdomain, np for a made-up one (RFC 9091)', async () => {
    const mail = await checkDmarc('alice@deep.mail.example.org', { resolver });
    assert.deepEqual([mail.domain, mail.orgDomain, mail.source, mail.recordDomain, mail.verdict], ['deep.mail.example.org', 'example.org', 'organizational', 'example.org', 'enforcing']);
    assert.deepEqual([mail.applied?.tag, mail.applied?.value, mail.domainExists], ['sp', 'quarantine', true]);
    const ghost = await checkDmarc('ghost.example.org', { resolver });
    assert.deepEqual([ghost.applied?.tag, ghost.applied?.value, ghost.domainExists], ['np', 'reject', false]);
    assert.deepEqual(ghost.lookups.filter((l) => l.role === 'exists').map((l) => [l.type, l.rcode]), [['A', 'NXDOMAIN'], ['AAAA', 'NXDOMAIN'], ['MX', 'NXDOMAIN']]);
    const apex = await checkDmarc('example.org', { resolver });
    assert.deepEqual([apex.source, apex.applied?.tag, apex.applied?.value], ['domain', 'p', 'reject']);
  });

  it('checks the _report._dmarc authorization of report addresses in other domains, live (RFC 7489 §7.1)', async () => {
    const r = await checkDmarc('example.org', { resolver });
    const by = Object.fromEntries(r.reports.map((a) => [a.host, a]));
    assert.equal(by['example.org'].status, 'internal');
    assert.deepEqual([by['reports.example.net'].status, by['reports.example.net'].name, by['reports.example.net'].record], ['authorized', 'example.org._report._dmarc.reports.example.net', 'v=DMARC1']);
    assert.deepEqual([by['unauth.example.com'].status, by['unauth.example.com'].tags], ['not-authorized', ['ruf']]);
    const f = r.findings.find((x) => x.code === 'dmarc-report-unauthorized')!;
    assert.equal(f.fix?.record, 'example.org._report._dmarc.unauth.example.com. 3600 IN TXT "v=DMARC1"');
    // The authorization is asked of the domain the policy came from: a subdomain using the
    // organizational record is authorized by example.org's entry.
    const sub = await checkDmarc('mail.example.org', { resolver });
    assert.equal(sub.reports.find((a) => a.host === 'reports.example.net')?.status, 'authorized');
  });

  it('a subdomain with its own record, p=none: monitoring, and sp= there does nothing', async () => {
    const r = await checkDmarc('own.example.org', { resolver });
    assert.deepEqual([r.source, r.verdict, r.applied?.value], ['domain', 'monitoring', 'none']);
    assert.ok(codes(r).includes('dmarc-p-none'));
    assert.ok(codes(r).includes('dmarc-sp-ignored'));
  });

  it('two records: broken, no policy, no fallback', async () => {
    const r = await checkDmarc('multi.example.org', { resolver });
    assert.deepEqual([r.verdict, r.policy, r.lookups.length], ['broken', null, 1]);
    assert.equal(r.findings[0].code, 'dmarc-multiple');
  });

  it('follows a CNAME at _dmarc to the policy it names (another zone, or the same), and flags one that points nowhere', async () => {
    const alias = await checkDmarc('alias.example.org', { resolver });
    assert.deepEqual([alias.source, alias.recordDomain, alias.applied?.value], ['domain', 'alias.example.org', 'quarantine']);
    assert.deepEqual(alias.lookups[0].cnames, [{ name: '_dmarc.alias.example.org', target: 'policy.dmarc-service.example.net' }]);
    assert.equal(alias.findings.find((f) => f.code === 'dmarc-cname')?.severity, 'info');
    const dangling = await checkDmarc('dangling.example.org', { resolver });
    assert.deepEqual([dangling.source, dangling.recordDomain], ['organizational', 'example.org']);
    assert.equal(dangling.findings.find((f) => f.code === 'dmarc-cname')?.severity, 'warning');
  });

  it('records receivers cannot use: broken (no valid p, no valid rua), p=none fallback (valid rua), a missing ";"', async () => {
    const broken = await checkDmarc('broken.example.org', { resolver });
    assert.deepEqual([broken.verdict, broken.outcome], ['broken', 'permerror']);
    assert.ok(codes(broken).includes('dmarc-unusable') && codes(broken).includes('dmarc-uri-no-scheme'));
    const nop = await checkDmarc('nop.example.org', { resolver });
    assert.deepEqual([nop.verdict, nop.applied?.value, nop.outcome], ['monitoring', 'none', 'found']);
    assert.ok(codes(nop).includes('dmarc-p-none-fallback'));
    const nosemi = await checkDmarc('nosemi.example.org', { resolver });
    assert.deepEqual([nosemi.verdict, nosemi.source, nosemi.recordDomain], ['broken', 'domain', 'nosemi.example.org']);
    assert.equal(nosemi.findings.find((f) => f.code === 'dmarc-missing-semicolon')?.fix?.proposed, 'v=DMARC1; p=reject');
  });

  it('pct, a record split into strings, unknown and DMARCbis tags, an SPF record at _dmarc, no record', async () => {
    const pct = await checkDmarc('pct.example.org', { resolver });
    assert.equal(pct.policy?.pct, 25);
    assert.ok(codes(pct).includes('dmarc-pct'));
    const split = await checkDmarc('split.example.org', { resolver });
    assert.equal(split.record, 'v=DMARC1; p=reject; adkim=s; aspf=s; rua=mailto:dmarc@example.org');
    assert.deepEqual(codes(split), ['dmarc-ok']);
    const unknown = await checkDmarc('unknown.example.org', { resolver });
    assert.deepEqual(unknown.findings.filter((f) => f.code === 'dmarc-unknown-tag').map((f) => unknown.record!.slice(f.start, f.end)), ['rue', 'foo']);
    assert.equal(unknown.findings.filter((f) => f.code === 'dmarc-dmarcbis-tag').length, 2);
    const spf = await checkDmarc('spfhere.example.org', { resolver });
    assert.deepEqual([spf.source, codes(spf).includes('dmarc-other-txt')], ['organizational', true]);
    const none = await checkDmarc('www.example.com', { resolver });
    assert.equal(none.verdict, 'none');
    assert.equal(none.findings[0].fix?.zone, 'example.com');
  });
});

// ---- the same BIND, asked by OpenDMARC and Mail::DMARC ------------------------------------------------

function unavailable(): string | undefined {
  if (process.platform !== 'linux') return 'not Linux';
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return 'not root (the tools need a private /etc/resolv.conf: unshare --mount)';
  for (const f of ['/usr/sbin/opendmarc-check', '/usr/share/perl5/Mail/DMARC/PurePerl.pm', '/usr/bin/unshare']) if (!fs.existsSync(f)) return `${f} is missing (scripts/ensure-test-deps.mjs installs it)`;
  return undefined;
}
const SKIP = unavailable();
const suiteOptions = SKIP && process.env.MAILDNS_ALLOW_SKIP === '1' ? { skip: SKIP } : {};

// Mail::DMARC's discovery, one line per domain: found/none, the record's domain and tags as written.
const PERL = `
use strict; use warnings; use Mail::DMARC::PurePerl;
for my $dom (@ARGV) {
  my $d = Mail::DMARC::PurePerl->new; $d->header_from($dom);
  my $p = eval { $d->discover_policy };
  if (!$p) { print "$dom\\tnone\\n"; next; }
  my $valid = $p->rua ? $d->has_valid_reporting_uri($p->rua) : 0;
  print join("\\t", $dom, 'found', map({ "$_=" . ($p->{$_} // '') } qw(domain p sp pct adkim aspf rua)), "rua_valid=$valid"), "\\n";
}`;

interface Ref {
  found: boolean;
  domain?: string;
  p?: string;
  sp?: string;
  pct?: string;
  adkim?: string;
  aspf?: string;
  rua?: string[];
  ruaValid?: number;
}

describe('DMARC policy discovery compared with OpenDMARC and Mail::DMARC on the same BIND', suiteOptions, () => {
  let bind: BindServer;
  let relay: DnsRelay;
  let resolver: Resolver;
  let dir: string;
  before(async () => {
    if (SKIP) throw new Error(`the reference implementations cannot run: ${SKIP}`);
    bind = await startBind({ zoneDir: ZONES });
    relay = await startDnsRelay(bind.server);
    resolver = createResolver({ servers: [bind.server], timeoutMs: 1000 });
    dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'maildns-dmarc-ref-'));
    await fs.promises.writeFile(path.join(dir, 'resolv.conf'), `nameserver ${relay.address}\noptions timeout:1 attempts:2\n`);
    await fs.promises.writeFile(path.join(dir, 'discover.pl'), PERL);
  });
  after(async () => {
    await relay?.stop();
    await bind?.stop();
    if (dir) await fs.promises.rm(dir, { recursive: true, force: true });
  });

  /** Runs a command that sees only our resolv.conf (and a HOME without Net::DNS's ~/.resolv.conf). */
  const isolated = (cmd: string, args: string[]): Promise<{ code: number; out: string; err: string }> =>
    new Promise((resolve) => {
      execFile(
        'unshare',
        ['--mount', '--propagation', 'private', '--', '/bin/sh', '-c', 'mount --bind "$1" /etc/resolv.conf && shift && exec "$@"', 'sh', path.join(dir, 'resolv.conf'), cmd, ...args],
        { cwd: dir, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir }, timeout: 60_000 },
        (e, out, err) => resolve({ code: e ? (typeof e.code === 'number' ? e.code : 1) : 0, out: String(out), err: String(err) }),
      );
    });

  const mailDmarc = async (domains: string[]): Promise<Map<string, Ref>> => {
    const r = await isolated('perl', [path.join(dir, 'discover.pl'), ...domains]);
    assert.equal(r.code, 0, r.err);
    const out = new Map<string, Ref>();
    for (const line of r.out.trim().split('\n')) {
      const [dom, state, ...kv] = line.split('\t');
      if (state !== 'found') {
        out.set(dom, { found: false });
        continue;
      }
      const f = Object.fromEntries(kv.map((x) => [x.slice(0, x.indexOf('=')), x.slice(x.indexOf('=') + 1)]));
      out.set(dom, { found: true, domain: f.domain, p: f.p, sp: f.sp, pct: f.pct, adkim: f.adkim, aspf: f.aspf, rua: f.rua ? f.rua.split(',').map((u: string) => u.trim()) : [], ruaValid: Number(f.rua_valid) });
    }
    return out;
  };

  const opendmarc = async (domain: string): Promise<Ref & { error?: string; ruf?: string[] }> => {
    const r = await isolated('/usr/sbin/opendmarc-check', [domain]);
    if (r.code !== 0) return { found: false, error: r.err.trim() };
    const field = (label: string) => new RegExp(`${label}: (.*)`).exec(r.out)?.[1].trim();
    const uris = (label: string) => {
      const m = new RegExp(`${label}:\\n((?:\\t\\t.*\\n)*)`).exec(r.out);
      return (m?.[1] ?? '').split('\n').map((l) => l.trim()).filter((l) => l !== '' && l !== '(none)');
    };
    return { found: true, p: field('Domain policy'), sp: field('Subdomain policy'), pct: field('Sample percentage'), adkim: field('DKIM alignment'), aspf: field('SPF alignment'), rua: uris('Aggregate report URIs'), ruf: uris('(?:Failure|Forensic) report URIs') };
  };

  const ALL = ['example.org', 'mail.example.org', 'deep.mail.example.org', 'ghost.example.org', 'own.example.org', 'multi.example.org', 'inzone.example.org', 'dangling.example.org', 'broken.example.org', 'nop.example.org', 'nosemi.example.org', 'pct.example.org', 'split.example.org', 'unknown.example.org', 'spfhere.example.org', 'example.com', 'www.example.com', 'example.net'];

  it('Mail::DMARC finds the same record, at the same domain (organizational fallback included), with the same tags', async () => {
    const refs = await mailDmarc(ALL);
    assert.equal(refs.size, ALL.length);
    for (const domain of ALL) {
      const ours = await checkDmarc(domain, { resolver });
      const ref = refs.get(domain)!;
      const applies = ours.policy !== null;
      assert.equal(applies, ref.found, `${domain}: ours ${ours.verdict}, Mail::DMARC ${ref.found ? `found at ${ref.domain}` : 'none'}`);
      if (!ref.found) continue;
      const p = ours.policy!;
      assert.equal(ours.recordDomain, ref.domain, `${domain}: record domain`);
      assert.deepEqual(
        [p.p, p.sp ?? '', String(p.pct), p.adkim, p.aspf, p.rua],
        [ref.p, ref.sp, ref.pct || '100', ref.adkim || 'r', ref.aspf || 'r', ref.rua],
        `${domain}: tags`,
      );
      // RFC 7489 §7.1: the rua addresses that may receive reports (in the domain, or authorized).
      const usable = ours.reports.filter((a) => a.tags.includes('rua') && (a.status === 'internal' || a.status === 'authorized')).reduce((n, a) => n + a.uris.filter((u) => p.rua.includes(u)).length, 0);
      assert.equal(usable, ref.ruaValid, `${domain}: valid report URIs`);
    }
  });

  it('opendmarc-check reads the same policy at every domain that has its own record, and none where it has none', async () => {
    for (const domain of ['example.org', 'own.example.org', 'inzone.example.org', 'pct.example.org', 'split.example.org', 'unknown.example.org', 'example.net', 'mail.example.org', 'ghost.example.org', 'example.com', 'broken.example.org', 'nosemi.example.org']) {
      const ours = await checkDmarc(domain, { resolver, checkReports: false });
      const ref = await opendmarc(domain);
      const own = ours.source === 'domain' && ours.policy !== null;
      assert.equal(own, ref.found, `${domain}: ours ${ours.verdict} from ${ours.recordDomain}, opendmarc-check ${ref.found ? 'found' : ref.error}`);
      if (!ref.found) continue;
      const p = ours.policy!;
      const mode = (m: string) => (m === 's' ? 'strict' : 'relaxed');
      assert.deepEqual(
        [p.p, p.sp ?? 'unspecified', String(p.pct), mode(p.adkim), mode(p.aspf), p.rua, p.ruf],
        [ref.p, ref.sp, ref.pct, ref.adkim, ref.aspf, ref.rua, ref.ruf],
        `${domain}: tags`,
      );
    }
  });

  it('where they differ, RFC 7489 §6.6.3 decides: several records (step 5) and no p with a valid rua (step 6)', async () => {
    // Two records: RFC 7489 §6.6.3 step 5 says no DMARC. Mail::DMARC agrees; opendmarc-check 1.4.2 takes one of them.
    const multi = await checkDmarc('multi.example.org', { resolver, checkReports: false });
    assert.equal(multi.policy, null);
    assert.equal((await mailDmarc(['multi.example.org'])).get('multi.example.org')!.found, false);
    assert.equal((await opendmarc('multi.example.org')).found, true);
    // No p= but a valid rua=: step 6 says act as p=none. Mail::DMARC agrees; opendmarc-check refuses the record.
    const nop = await checkDmarc('nop.example.org', { resolver, checkReports: false });
    assert.equal(nop.policy?.p, 'none');
    assert.equal((await mailDmarc(['nop.example.org'])).get('nop.example.org')!.p, 'none');
    assert.match((await opendmarc('nop.example.org')).error ?? '', /lacked a required p= entry/);
  });
});

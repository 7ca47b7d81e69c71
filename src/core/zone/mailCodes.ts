// The codes of DMARC and DKIM records in zone files (dmarcLint.ts, dkimLint.ts), joined into
// ZONE_CODES. Codes of the DMARC and DKIM parsers keep their names (docs/dmarc-dkim.md says more
// about each); in a zone file they are warnings at most: receivers ignore a broken record, but BIND
// loads it (errors are for what BIND refuses, issue 12).
import type { CodeInfo } from './codes';

const w = (summary: string, ref: string): CodeInfo => ({ severity: 'warning', summary, ref });
const i = (summary: string, ref: string): CodeInfo => ({ severity: 'info', summary, ref });

export const MAIL_TXT_CODES: Record<string, CodeInfo> = {
  'txt-unquoted-semicolon': w('An unquoted DMARC or DKIM TXT record followed by `; tag=…`: the `;` starts a comment, so only the text before it is published.', 'RFC 1035 §5.1'),
  // DMARC records at _dmarc names: the zone linter's own
  'dmarc-multiple': w('Several different DMARC records at one `_dmarc` name: receivers apply none of them.', 'RFC 7489 §6.6.3'),
  'dmarc-other-txt': i('A TXT record at a `_dmarc` name that is not DMARC (an SPF record put there): ignored.', 'RFC 7489 §6.6.3'),
  'dmarc-wrong-owner': w('A `v=DMARC1` record that is not at a `_dmarc` name: receivers never look there.', 'RFC 7489 §6.1'),
  'dmarc-sp-ignored': i('`sp=` in the record of a domain that is not an organizational domain: receivers never use it.', 'RFC 7489 §6.3'),
  'dmarc-no-aligned-auth': w('`p=quarantine`/`reject`, and the zones hold no SPF record and no DKIM key that could align with the domain: no mail From it can pass DMARC.', 'RFC 7489 §3.1, §6.6.2'),
  'dmarc-spf-only': i('`p=quarantine`/`reject` with SPF but no DKIM key in the zones: forwarded mail (lists, forwarding) fails SPF and then DMARC.', 'RFC 7489 §4.2, §10.1'),
  'dmarc-report-unauthorized': w('A report address in another organization\'s domain whose zone (in the workspace) has no `<domain>._report._dmarc.<host>` TXT `v=DMARC1`: receivers send those reports nowhere.', 'RFC 7489 §7.1'),
  'dmarc-report-external': i('A report address in another organization\'s domain whose zone is not in the workspace: it must publish `<domain>._report._dmarc.<host>` (Check DMARC looks it up).', 'RFC 7489 §7.1'),
  'dmarc-report-no-mx': w('A report address whose domain (in the workspace) has no MX and no address, or a null MX: reports cannot be delivered.', 'RFC 5321 §5.1, RFC 7505'),
  'dmarc-subdomain-policy': i('A subdomain that sends mail (its SPF authorizes senders) and has no DMARC record of its own: which policy of the organizational domain\'s record it gets, `sp`, `np` (no A, AAAA or MX) or `p`.', 'RFC 7489 §6.6.3, RFC 9091 §4'),
  // DMARC parser codes (src/core/dmarc/parse.ts), as the zone linter reports them
  'dmarc-not-dmarc': w('A TXT record at `_dmarc` that looks like DMARC but does not start with `v=DMARC1` (or names another version): ignored.', 'RFC 7489 §6.3'),
  'dmarc-missing-semicolon': w('`v=DMARC1 p=reject`: no `;` after the version, so no tag is read.', 'RFC 7489 §6.4'),
  'dmarc-version-case': w('`v=dmarc1`: the version must be `DMARC1` exactly.', 'RFC 7489 §6.3'),
  'dmarc-version-not-first': w('`v=` is not the first tag.', 'RFC 7489 §6.3'),
  'dmarc-tag-syntax': w('A part that is not `tag=value`, or a tag name that is not one.', 'RFC 7489 §6.4'),
  'dmarc-duplicate-tag': w('A tag appears twice; receivers may reject the record.', 'RFC 6376 §3.2'),
  'dmarc-invalid-value': w('A value the tag does not allow (`p=rejected`, `pct=150`, `adkim=strict`, …).', 'RFC 7489 §6.3'),
  'dmarc-missing-p': w('No `p=`, which is required.', 'RFC 7489 §6.3'),
  'dmarc-uri-no-scheme': w('`rua=dmarc@example.com`: an address, not a URI.', 'RFC 7489 §6.2'),
  'dmarc-invalid-uri': w('An empty report URI, a `mailto:` without a mailbox domain, a bad `!size`.', 'RFC 7489 §6.2, §6.4'),
  'dmarc-uri-not-mailto': w('A report URI that is not `mailto:`.', 'RFC 7489 §6.2'),
  'dmarc-p-none': w('`p=none` only monitors.', 'RFC 7489 §6.3'),
  'dmarc-pct': w('`pct` below 100: the rest of failing mail gets the next weaker policy.', 'RFC 7489 §6.6.4'),
  'dmarc-sp-none': w('`sp=none` under a `p` that protects.', 'RFC 7489 §6.3'),
  'dmarc-no-rua': w('No `rua`: nobody sends aggregate reports.', 'RFC 7489 §6.3'),
  'dmarc-p-not-second': w('`p` is not right after `v`.', 'RFC 7489 §6.4'),
  'dmarc-testing': w('`t=y` (DMARCbis): receivers that know it apply the next weaker policy.', 'DMARCbis'),
  'dmarc-unknown-tag': w('Not a DMARC tag: ignored (a near miss of a real one says which).', 'RFC 7489 §6.3'),
  'dmarc-unknown-format': w('`rf=` other than `afrf`.', 'RFC 7489 §6.3'),
  'dmarc-dmarcbis-tag': i('`t=` or `psd=`: DMARCbis tags, ignored by RFC 7489 receivers.', 'DMARCbis'),
  'dmarc-fo-without-ruf': i('`fo=` without `ruf=` does nothing.', 'RFC 7489 §6.3'),
  'dmarc-many-uris': i('More than two report URIs: receivers need send to two only.', 'RFC 7489 §6.2'),
  'dmarc-empty-part': i('`;;`, or a record starting with `;`.', 'RFC 7489 §6.4'),
  // DKIM key records at <selector>._domainkey names: the zone linter's own
  'dkim-key-multiple': w('Several different TXT records at one selector: verifiers may use any of them.', 'RFC 6376 §3.6.2.2'),
  'dkim-key-wrong-owner': w('A `v=DKIM1` key record that is not at a `<selector>._domainkey` name: verifiers never look there.', 'RFC 6376 §3.6.2.1'),
  'dkim-adsp': i('An ADSP record (`_adsp._domainkey`): ADSP is historic and receivers ignore it.', 'RFC 5617, moved to Historic 2013'),
  // DKIM key parser codes (src/core/dkim/key.ts), as the zone linter reports them
  'dkim-key-empty': w('The TXT record is empty.', 'RFC 6376 §3.6.1'),
  'dkim-key-syntax': w('Not a tag list: a tag without `=`, a bad tag name, a character a value may not hold, an empty tag.', 'RFC 6376 §3.2'),
  'dkim-key-duplicate-tag': w('A tag appears twice: the whole record is invalid.', 'RFC 6376 §3.2'),
  'dkim-key-version': w('`v=` is not `DKIM1`.', 'RFC 6376 §3.6.1'),
  'dkim-key-version-order': w('`v=DKIM1` is not the first tag.', 'RFC 6376 §3.6.1'),
  'dkim-key-unknown-type': w('`k=` is neither `rsa` nor `ed25519`.', 'RFC 6376 §3.6.1, RFC 8463'),
  'dkim-key-no-p': w('No `p=` tag.', 'RFC 6376 §3.6.1'),
  'dkim-key-revoked': i('`p=` is empty: the key is revoked (on purpose when the selector was retired).', 'RFC 6376 §3.6.1'),
  'dkim-key-bad-base64': w('`p=` is not base64.', 'RFC 6376 §3.6.1'),
  'dkim-key-undecodable': w('`p=` is base64 but no key of its type.', 'RFC 6376 §3.6.1, RFC 8463 §4.2'),
  'dkim-key-too-small': w('An RSA key under 1024 bits: verifiers refuse it.', 'RFC 8301 §3.2'),
  'dkim-key-weak': w('A 1024-bit RSA key: it verifies; signers should use 2048.', 'RFC 8301 §3.2'),
  'dkim-key-too-large': w('An RSA key over 4096 bits: some verifiers may not handle it.', 'RFC 8301 §3.2'),
  'dkim-key-no-sha256': w('`h=` does not allow sha256.', 'RFC 8301 §3.1'),
  'dkim-key-unknown-hash': i('`h=` lists algorithms verifiers ignore.', 'RFC 6376 §3.6.1'),
  'dkim-key-not-email': w('`s=` has neither `*` nor `email`.', 'RFC 6376 §3.6.1'),
  'dkim-key-testing': w('`t=y`: testing mode.', 'RFC 6376 §3.6.1'),
  'dkim-key-strict': i('`t=s`: `i=` must be in the domain itself.', 'RFC 6376 §3.6.1'),
  'dkim-key-unknown-flag': i('`t=` flags other than `y` and `s`: ignored.', 'RFC 6376 §3.6.1'),
  'dkim-key-granularity': w('`g=` (RFC 4871, removed in RFC 6376); an empty `g=` still makes old verifiers refuse every address.', 'RFC 6376 §3.6.1'),
  'dkim-key-unknown-tag': i('A tag that is not a key tag: ignored.', 'RFC 6376 §3.6.1'),
};

/** Zone severities that differ from the parser's mapped one: a revoked key in a zone file is most often deliberate. */
export const MAIL_SEVERITY_OVERRIDES: Readonly<Record<string, 'info'>> = { 'dkim-key-revoked': 'info' };

// Every finding code the zone linter gives, with its default severity and one line for the docs.
// Codes are stable: the editor links each to docs/zone-lint.md#<code>. SPF term codes come from
// the SPF parser in src/core/spf and are listed here as the zone linter reports them.
import type { Severity } from '../model';

export interface CodeInfo {
  severity: Severity;
  summary: string;
  /** Where the rule comes from. */
  ref: string;
}

export const ZONE_CODES: Record<string, CodeInfo> = {
  // Parse errors
  'zone-unbalanced-parens': { severity: 'error', summary: 'A `(` that is never closed or a `)` without a `(`.', ref: 'RFC 1035 §5.1' },
  'zone-unterminated-string': { severity: 'error', summary: 'A quoted string not closed on its line.', ref: 'RFC 1035 §5.1' },
  'zone-bad-ttl': { severity: 'error', summary: 'A TTL that is not a number or BIND units (`1h30m`).', ref: 'RFC 1035 §5.1, RFC 2308 §4' },
  'zone-ttl-range': { severity: 'warning', summary: 'A TTL above 2^31-1, read as 0.', ref: 'RFC 2181 §8' },
  'zone-ttl-from-soa': { severity: 'warning', summary: 'A record with no TTL and no `$TTL` after the SOA: the SOA minimum is used.', ref: 'RFC 2308 §4' },
  'zone-no-ttl': { severity: 'error', summary: 'A record with no TTL before any `$TTL`, explicit TTL or SOA: BIND refuses the zone.', ref: 'RFC 2308 §4' },
  'zone-bad-class': { severity: 'error', summary: 'A class different from the zone\'s class.', ref: 'RFC 1035 §5.2' },
  'zone-unknown-type': { severity: 'error', summary: 'A record type that is neither a known mnemonic nor `TYPEnnn`.', ref: 'RFC 3597 §5' },
  'zone-bad-type': { severity: 'error', summary: 'A query-only type (ANY, AXFR, OPT, …) in zone data, or a quoted type.', ref: 'RFC 6895 §3.1' },
  'zone-byte-order-mark': { severity: 'warning', summary: 'A UTF-8 byte order mark at the start of the file: BIND reads its bytes as part of the first word.', ref: 'RFC 1035 §5.1' },
  'zone-missing-type': { severity: 'error', summary: 'An owner, TTL or class with no record type after it.', ref: 'RFC 1035 §5.1' },
  'zone-bad-rdata': { severity: 'error', summary: 'RDATA that does not fit the type (address, number, name, field count, `\\#` length).', ref: 'RFC 1035 §3.3, RFC 3597 §5' },
  'zone-string-too-long': { severity: 'error', summary: 'A character-string over 255 bytes.', ref: 'RFC 1035 §3.3' },
  'zone-name-too-long': { severity: 'error', summary: 'A name over 255 octets once completed with the origin.', ref: 'RFC 1035 §2.3.4' },
  'zone-label-too-long': { severity: 'error', summary: 'A label over 63 octets.', ref: 'RFC 1035 §2.3.4' },
  'zone-bad-name': { severity: 'error', summary: 'An empty label (`a..b`), or a quoted name.', ref: 'RFC 1035 §5.1' },
  'zone-bad-escape': { severity: 'error', summary: 'A `\\DDD` escape above 255 or a backslash at the end.', ref: 'RFC 1035 §5.1' },
  'zone-no-origin': { severity: 'error', summary: 'A relative name or `@` with no origin known.', ref: 'RFC 1035 §5.1' },
  'zone-no-owner': { severity: 'error', summary: 'A line with a blank owner and no record before it.', ref: 'RFC 1035 §5.1' },
  'zone-inherited-owner': { severity: 'warning', summary: 'A blank owner right after `$ORIGIN`: it keeps the owner from before.', ref: 'RFC 1035 §5.1' },
  'zone-bad-directive': { severity: 'error', summary: 'An unknown `$` directive or bad arguments.', ref: 'RFC 1035 §5.1' },
  'zone-include-missing': { severity: 'error', summary: 'An `$INCLUDE`d file that cannot be read.', ref: 'RFC 1035 §5.1' },
  'zone-include-relative': { severity: 'warning', summary: 'An `$INCLUDE` found beside the including file, not in named\'s working directory: BIND reads relative paths from its working directory.', ref: 'BIND 9 ARM, $INCLUDE' },
  'zone-include-cycle': { severity: 'error', summary: 'An `$INCLUDE` loop, or nesting too deep.', ref: 'RFC 1035 §5.1' },
  'zone-bad-generate': { severity: 'error', summary: 'A `$GENERATE` line that cannot be expanded.', ref: 'BIND 9 ARM, $GENERATE' },
  // Reading files: the rules and budgets of docs/security.md
  'zone-include-outside': { severity: 'error', summary: 'An `$INCLUDE` of a file outside the workspace folder (the editor) or the directories given (`maildns lint`), also through a symlink: not read.', ref: 'docs/security.md' },
  'zone-file-not-regular': { severity: 'error', summary: 'A FIFO, device, socket or directory where a zone file is read: not read.', ref: 'docs/security.md' },
  'zone-file-too-big': { severity: 'error', summary: 'A file over the size one zone file may have (16 MiB in the editor, 64 MiB for `maildns lint`): not read.', ref: 'docs/security.md' },
  'zone-read-budget': { severity: 'error', summary: 'The bytes one lint run may read in all (64 MiB in the editor, 128 MiB for `maildns lint`) are used up: this file is not read.', ref: 'docs/security.md' },
  // Budgets of one lint run (limits.ts): when one runs out, reading stops there
  'zone-budget-records': { severity: 'error', summary: 'The zone files make more than 2,000,000 records in all (`$INCLUDE` and `$GENERATE` counted): reading stops at this record.', ref: 'docs/security.md' },
  'zone-budget-includes': { severity: 'error', summary: 'More than 10,000 `$INCLUDE`s followed, or more than 128 Mi characters of included text, in all: reading stops at this `$INCLUDE`.', ref: 'docs/security.md' },
  'zone-budget-diagnostics': { severity: 'error', summary: 'More than 100,000 parse problems in all: reading stops at this one.', ref: 'docs/security.md' },
  // Zone structure
  'zone-no-soa': { severity: 'error', summary: 'No SOA record at the zone apex.', ref: 'RFC 1035 §5.2' },
  'zone-multiple-soa': { severity: 'error', summary: 'A second SOA record at the apex with different data (an identical copy is `zone-duplicate-record`).', ref: 'RFC 1035 §5.2' },
  'zone-soa-not-at-apex': { severity: 'error', summary: 'An SOA record below the apex (an SOA of another zone is `zone-out-of-zone`).', ref: 'RFC 1035 §5.2' },
  'zone-no-ns': { severity: 'error', summary: 'No NS records at the zone apex.', ref: 'RFC 1035 §5.2' },
  'zone-ds-at-apex': { severity: 'error', summary: 'A DS record at the zone apex: DS belongs in the parent zone.', ref: 'RFC 4035 §2.4' },
  'zone-ns-at-wildcard': { severity: 'error', summary: 'NS records at a wildcard owner (`*.example.com`).', ref: 'RFC 4592 §4.2' },
  'zone-multiple-dname': { severity: 'error', summary: 'A second DNAME at one name with a different target.', ref: 'RFC 6672 §2.4' },
  'zone-apex-ns-no-address': { severity: 'error', summary: 'One of the zone\'s own name servers is named inside the zone but has no A/AAAA there.', ref: 'RFC 1034 §4.2.1, RFC 1912 §2.3' },
  'zone-apex-ns-cname': { severity: 'error', summary: 'One of the zone\'s own name servers is a CNAME.', ref: 'RFC 2181 §10.3' },
  'zone-apex-ns-below-dname': { severity: 'error', summary: 'One of the zone\'s own name servers is below a DNAME of the zone.', ref: 'RFC 6672 §2.3' },
  'zone-cds-mismatch': { severity: 'error', summary: 'A CDS at the apex for an algorithm no DNSKEY of the zone has, or beside the delete record `CDS 0 0 0 00`.', ref: 'RFC 7344 §4.1, RFC 8078 §4' },
  'zone-cdnskey-mismatch': { severity: 'error', summary: 'A CDNSKEY at the apex for an algorithm no DNSKEY of the zone has, or beside the delete record `CDNSKEY 0 3 0 AA==`.', ref: 'RFC 7344 §4.1, RFC 8078 §4' },
  'zone-cds-no-match': { severity: 'warning', summary: 'A CDS whose key tag and digest match none of the zone\'s DNSKEYs of its algorithm.', ref: 'RFC 7344 §4.1, RFC 4034 §5.1.4' },
  'zone-cdnskey-no-match': { severity: 'warning', summary: 'A CDNSKEY that is none of the zone\'s DNSKEY records.', ref: 'RFC 7344 §4.1' },
  'zone-out-of-zone': { severity: 'warning', summary: 'A record whose owner is outside the zone (servers ignore it).', ref: 'RFC 1034 §4.2' },
  // Common mistakes
  'zone-missing-final-dot': { severity: 'warning', summary: 'A name written without the final dot gets the origin appended (`mail.example.com.example.com.`).', ref: 'RFC 1035 §5.1' },
  'zone-cname-and-other-data': { severity: 'error', summary: 'A CNAME beside other records at the same name.', ref: 'RFC 1034 §3.6.2, RFC 2181 §10.1' },
  'zone-cname-at-apex': { severity: 'error', summary: 'A CNAME at the zone apex (where SOA and NS must be).', ref: 'RFC 1912 §2.4, RFC 2181 §10.1' },
  'zone-multiple-cname': { severity: 'error', summary: 'A second CNAME at one name with a different target (an identical copy is `zone-duplicate-record`).', ref: 'RFC 2181 §10.1' },
  'zone-mx-target-cname': { severity: 'warning', summary: 'An MX target that is a CNAME.', ref: 'RFC 2181 §10.3, RFC 5321 §5.1' },
  'zone-ns-target-cname': { severity: 'warning', summary: 'A delegation\'s NS target that is a CNAME (for the zone\'s own NS: `zone-apex-ns-cname`).', ref: 'RFC 2181 §10.3' },
  'zone-mx-target-ip': { severity: 'warning', summary: 'An MX target written as an IP address.', ref: 'RFC 5321 §5.1, RFC 1035 §3.3.9' },
  'zone-ns-target-ip': { severity: 'warning', summary: 'An NS target written as an IP address.', ref: 'RFC 1035 §3.3.11' },
  'zone-srv-target-cname': { severity: 'warning', summary: 'An SRV target that is a CNAME.', ref: 'RFC 2782' },
  'zone-ns-no-glue': { severity: 'warning', summary: 'A delegation whose name server is inside the delegated zone, with no glue address here.', ref: 'RFC 1034 §4.2.1' },
  'zone-target-below-dname': { severity: 'warning', summary: 'An MX, SRV or delegation NS target below a DNAME: it is never answered with an address.', ref: 'RFC 6672 §2.3' },
  'zone-check-names': { severity: 'warning', summary: 'A host name that is not one (RFC 952 letters, digits, hyphens): BIND warns (`check-names warn`) or refuses (`check-names fail`).', ref: 'RFC 952, RFC 1123 §2.1' },
  'zone-target-no-address': { severity: 'warning', summary: 'An MX or SRV target, or a delegation\'s NS target this zone holds, with no A/AAAA (wildcards count).', ref: 'RFC 5321 §5.1' },
  'zone-duplicate-record': { severity: 'warning', summary: 'The same record twice.', ref: 'RFC 2181 §5' },
  'zone-ttl-mismatch': { severity: 'warning', summary: 'Records of one RRset with different TTLs.', ref: 'RFC 2181 §5.2' },
  // SPF in TXT (the zone linter's own; term syntax codes come from the SPF parser, listed below)
  'spf-multiple-records': { severity: 'warning', summary: 'More than one `v=spf1` TXT record at one name.', ref: 'RFC 7208 §4.5' },
  'spf-type-99': { severity: 'warning', summary: 'A type 99 `SPF` record: receivers read only TXT.', ref: 'RFC 7208 §3.1, §14.1' },
  'spf-pass-all': { severity: 'warning', summary: '`+all` (or a bare `all`): every address on the Internet passes.', ref: 'RFC 7208 §5.1' },
  'spf-neutral-all': { severity: 'warning', summary: '`?all`: addresses not listed get neutral, as with no SPF at all.', ref: 'RFC 7208 §5.1, §8.2' },
  'spf-no-all': { severity: 'warning', summary: 'No `all` and no `redirect=`: the default result is neutral.', ref: 'RFC 7208 §4.7' },
  'spf-relative-target': { severity: 'warning', summary: 'A target that looks zone-relative (`include:_spf`): `$ORIGIN` does not apply inside TXT text.', ref: 'RFC 7208 §7.1' },
  'spf-too-many-lookups': { severity: 'warning', summary: 'More than 10 DNS-querying terms, includes in the workspace followed.', ref: 'RFC 7208 §4.6.4' },
  'spf-record-too-big': { severity: 'warning', summary: 'The TXT answer at this name does not fit in 512 bytes.', ref: 'RFC 7208 §3.4' },
  'spf-network-host-bits': { severity: 'warning', summary: 'An `ip4:`/`ip6:` network with bits set past its prefix length.', ref: 'RFC 7208 §5.6' },
  // SPF term codes from src/core/spf (RFC 7208 §4.6.1, §5, §6, §7)
  'spf-unknown-mechanism': { severity: 'warning', summary: 'A term that is no mechanism or modifier.', ref: 'RFC 7208 §5' },
  'spf-mechanism-syntax': { severity: 'warning', summary: 'A mechanism without or with a malformed argument.', ref: 'RFC 7208 §5' },
  'spf-invalid-ip': { severity: 'warning', summary: 'A bad address in `ip4:`/`ip6:`.', ref: 'RFC 7208 §5.6' },
  'spf-invalid-cidr': { severity: 'warning', summary: 'A bad prefix length.', ref: 'RFC 7208 §5.6' },
  'spf-invalid-domain-spec': { severity: 'warning', summary: 'A bad domain-spec.', ref: 'RFC 7208 §7.1' },
  'spf-invalid-macro': { severity: 'warning', summary: 'A bad macro.', ref: 'RFC 7208 §7.1' },
  'spf-macro-exp-only': { severity: 'warning', summary: 'A `c`, `r` or `t` macro outside explanation text.', ref: 'RFC 7208 §7.1' },
  'spf-invalid-modifier': { severity: 'warning', summary: 'A malformed modifier.', ref: 'RFC 7208 §6' },
  'spf-modifier-as-mechanism': { severity: 'warning', summary: '`redirect:`/`exp:` written with a colon.', ref: 'RFC 7208 §6' },
  'spf-address-as-domain': { severity: 'warning', summary: '`a:`/`mx:` given an address.', ref: 'RFC 7208 §5.6' },
  'spf-invalid-character': { severity: 'warning', summary: 'A control character or space where none is allowed.', ref: 'RFC 7208 §3.1' },
  'spf-non-ascii': { severity: 'warning', summary: 'A non-ASCII character.', ref: 'RFC 7208 §3.1' },
  'spf-duplicate-modifier': { severity: 'warning', summary: '`redirect=` or `exp=` more than once.', ref: 'RFC 7208 §6' },
  'spf-ptr-discouraged': { severity: 'warning', summary: 'The `ptr` mechanism (deprecated).', ref: 'RFC 7208 §5.5' },
  'spf-p-macro-discouraged': { severity: 'warning', summary: 'The `%{p}` macro.', ref: 'RFC 7208 §7.3' },
  'spf-after-all': { severity: 'warning', summary: 'Terms after `all`: never evaluated.', ref: 'RFC 7208 §5.1' },
  'spf-redirect-ignored': { severity: 'warning', summary: '`redirect=` beside `all`: ignored.', ref: 'RFC 7208 §6.1' },
  'spf-unknown-modifier': { severity: 'info', summary: 'A modifier receivers ignore.', ref: 'RFC 7208 §6' },
  // PTR ↔ A consistency
  'ptr-forward-mismatch': { severity: 'warning', summary: 'A PTR whose target has A/AAAA records, none of them the address.', ref: 'RFC 8601 §3, RFC 1912 §2.1' },
  'ptr-target-no-address': { severity: 'warning', summary: 'A PTR whose target has no A/AAAA record at all.', ref: 'RFC 8601 §3, RFC 1912 §2.1' },
  'ptr-loop': { severity: 'warning', summary: 'IP → PTR → A → PTR … comes back to a name or address already seen without confirming.', ref: 'RFC 8601 §3' },
  'mailhost-ptr-mismatch': { severity: 'warning', summary: 'A mail host\'s address (MX target, SPF `a:`/`ip4:`) whose PTR does not point back.', ref: 'RFC 8601 §3, RFC 5321 §4.1.4' },
  'mailhost-no-ptr': { severity: 'warning', summary: 'A mail host\'s address with no PTR in the workspace\'s reverse zones or DNS.', ref: 'RFC 8601 §3' },
  'live-lookup-failed': { severity: 'info', summary: 'A live lookup for a consistency check failed (timeout, SERVFAIL).', ref: 'RFC 8601 §2.7.3' },
};

export function severityOf(code: string): Severity {
  return ZONE_CODES[code]?.severity ?? 'warning';
}

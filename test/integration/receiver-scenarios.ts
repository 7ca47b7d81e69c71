// The scenarios of test/integration/receivers-real.test.ts and docs/receivers.md: one client
// 198.51.100.N per scenario, its DNS in test/fixtures/receiver-zones.

/** The DNSBL zones the DNSBL check asks (stand-ins served by the test BIND): mailDns.dnsbl.zones in the tests. */
export const DNSBL_ZONES = ['zen.spamhaus.org', 'bl.spamcop.net'];

export interface Scenario {
  n: number;
  helo: string;
  from: string;
  tls: boolean;
  what: string;
}

/** The scenario table of docs/receivers.md. */
export const SCENARIOS: Scenario[] = [
  { n: 1, helo: 'mail.good.rcv.example.net', from: 'a@good.rcv.example.net', tls: true, what: 'everything right: PTR resolves back, HELO = PTR name, SPF pass (both identities), DMARC p=reject passes' },
  { n: 2, helo: 'mail.noptr.rcv.example.net', from: 'a@noptr.rcv.example.net', tls: true, what: 'no PTR record; SPF pass; no DMARC record' },
  { n: 3, helo: 'myhost', from: 'a@dyn.rcv.example.net', tls: false, what: 'dynamic-looking PTR (198-51-100-3.dyn…); HELO without a dot; SPF softfail; DMARC p=quarantine fails; no TLS' },
  { n: 4, helo: 'mail.fail.rcv.example.net', from: 'a@fail.rcv.example.net', tls: true, what: 'SPF fail; HELO name without SPF; DMARC p=reject fails' },
  { n: 5, helo: 'forged.rcv.example.net', from: 'a@nospf.rcv.example.net', tls: true, what: 'PTR name does not resolve back; no SPF; no DMARC' },
  { n: 6, helo: '[198.51.100.6]', from: 'a@neutral.rcv.example.net', tls: true, what: 'HELO is an address literal; SPF neutral; DMARC p=none fails' },
  { n: 7, helo: 'mail.perm.rcv.example.net', from: 'a@perm.rcv.example.net', tls: true, what: 'two SPF records (permerror); DMARC p=none; MAIL FROM domain without A, AAAA or MX' },
  { n: 8, helo: 'nohost.rcv.example.net', from: 'a@eight.rcv.example.net', tls: true, what: 'pool-like PTR (host-198-51-100-8.pool…); HELO name without address or MX; SPF pass; no DMARC' },
  { n: 9, helo: 'mail.unknown.rcv.example.net', from: 'a@unknown.rcv.example.net', tls: true, what: 'SPF record with an unknown mechanism (permerror); DMARC p=reject' },
  { n: 10, helo: 'mail.listed.rcv.example.net', from: 'a@listed.rcv.example.net', tls: true, what: 'as 1, but listed on Spamhaus ZEN (SBL 127.0.0.2 and PBL 127.0.0.11) and SpamCop' },
  { n: 11, helo: 'mail.xbl.rcv.example.net', from: 'a@listed.rcv.example.net', tls: true, what: 'as 1, but listed on Spamhaus ZEN as XBL (127.0.0.4); not on SpamCop' },
  { n: 12, helo: 'mail.open.rcv.example.net', from: 'a@listed.rcv.example.net', tls: true, what: 'as 1, but Spamhaus ZEN answers 127.255.255.254 (the query came through an open resolver)' },
  { n: 13, helo: 'mail.helofail.rcv.example.net', from: 'a@helofail.rcv.example.net', tls: true, what: "HELO name's SPF fails the client; MAIL FROM SPF pass; no DMARC" },
  { n: 14, helo: 'mail.css.rcv.example.net', from: 'a@listed.rcv.example.net', tls: true, what: 'as 1, but Spamhaus ZEN answers CSS (127.0.0.3)' },
  { n: 15, helo: 'mail.drop.rcv.example.net', from: 'a@listed.rcv.example.net', tls: true, what: 'as 1, but Spamhaus ZEN answers DROP (127.0.0.9)' },
  { n: 16, helo: 'mail.unk.rcv.example.net', from: 'a@listed.rcv.example.net', tls: true, what: 'as 1, but Spamhaus ZEN answers a code it does not define (127.0.0.8)' },
  { n: 17, helo: 'mail.blocked.rcv.example.net', from: 'a@listed.rcv.example.net', tls: true, what: 'as 1, but Spamhaus ZEN answers 127.255.255.255 (blocked: over the query limit)' },
  { n: 18, helo: 'mail.wild.rcv.example.net', from: 'a@listed.rcv.example.net', tls: true, what: 'as 1, but Spamhaus ZEN answers outside 127/8 (192.0.2.18)' },
];

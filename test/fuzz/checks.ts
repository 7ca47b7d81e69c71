// Target `checks`: every DNS check (rdns, spf, spf-pair, send-as, helo, mx, dnsbl, mailcheck, dmarc) over a
// generated world served as decoded data (./world.ts), then every renderer of the result. The
// inputs the user types are generated too, valid or not: bad ones must be an InputError.
import * as fc from 'fast-check';
import type { CheckResult } from '../../src/core/checks';
import type { Resolver } from '../../src/core/dns/types';
import { checkDmarc } from '../../src/core/dmarc/check';
import { checkDnsbl } from '../../src/core/dnsbl/check';
import { checkHelo } from '../../src/core/helo/check';
import { checkMailServer } from '../../src/core/mailcheck/check';
import { checkMx } from '../../src/core/mx/check';
import { checkRdns } from '../../src/core/rdns/check';
import { checkHost } from '../../src/core/spf/check';
import { checkHostPair } from '../../src/core/spf/pair';
import { sendAs } from '../../src/core/spf/sendas';
import type { Target } from './harness';
import { renderAll } from './render';
import { type World, WORLD_DOMAINS, WORLD_IPS, WORLD_NAMES, WORLD_ZONES, worldArb, worldResolver } from './world';

export type CheckKindFuzzed = 'rdns' | 'spf' | 'spf-pair' | 'send-as' | 'helo' | 'mx' | 'dnsbl' | 'mailcheck' | 'dmarc';
export const CHECK_KINDS: CheckKindFuzzed[] = ['rdns', 'spf', 'spf-pair', 'send-as', 'helo', 'mx', 'dnsbl', 'mailcheck', 'dmarc'];

export interface CheckCall {
  kind: CheckKindFuzzed;
  ip: string;
  ip2: string;
  domain: string;
  sender: string | undefined;
  helo: string;
  zones: string[];
}

const typedIp = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...WORLD_IPS) },
  { weight: 1, arbitrary: fc.constantFrom('', ' 192.0.2.1 ', '1.2.3', '::ffff:192.0.2.1', '192.0.2.1%eth0', '[2001:db8::1]', '2001:DB8::1', '0.0.0.0', '255.255.255.255', 'x', '192.0.2.01') },
);
const typedName = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...WORLD_DOMAINS, ...WORLD_NAMES.slice(0, 10)) },
  { weight: 1, arbitrary: fc.constantFrom('', 'dyna-web', 'DYNA-WEB', '[192.0.2.1]', '[IPv6:2001:db8::1]', 'localhost', 'a..b', 'user@example.test', '<>', 'mail.example.test.', 'x'.repeat(600), 'a b', 'ex\u202eample.test', '.', '-', 'host.local') },
);

export const checkCallArb: fc.Arbitrary<CheckCall> = fc.record({
  kind: fc.constantFrom(...CHECK_KINDS),
  ip: typedIp,
  ip2: typedIp,
  domain: typedName,
  sender: fc.option(fc.constantFrom('alice@example.test', '', '<>', 'a@b@c', '%{d}@example.test', 'üser@example.test'), { nil: undefined }),
  helo: typedName,
  zones: fc.subarray([...WORLD_ZONES, 'bad..zone', 'a@b']),
});

/** Runs one check; InputError for bad typed input propagates (it is the documented answer). */
export async function runCheck(call: CheckCall, resolver: Resolver): Promise<CheckResult> {
  switch (call.kind) {
    case 'rdns':
      return checkRdns(call.ip, { resolver });
    case 'spf':
      return checkHost({ ip: call.ip, domain: call.domain, helo: call.helo, ...(call.sender !== undefined ? { sender: call.sender } : {}) }, { resolver, now: () => 1_700_000_000_000 });
    case 'spf-pair':
      return checkHostPair([call.ip, call.ip2], { domain: call.domain, helo: call.helo }, { resolver, now: () => 1_700_000_000_000 });
    case 'send-as':
      return sendAs(call.ip, call.domain, { resolver });
    case 'helo':
      return checkHelo(call.helo, { resolver, ...(call.ip !== '' ? { ip: call.ip } : {}) });
    case 'mx':
      return checkMx(call.domain, { resolver });
    case 'dnsbl':
      return checkDnsbl(call.ip, { resolver, zones: call.zones });
    case 'mailcheck':
      return checkMailServer({ ip: call.ip, helo: call.helo, fromDomain: call.domain, smtp: false }, { resolver, dnsblZones: call.zones });
    case 'dmarc':
      return checkDmarc(call.sender && call.sender.includes('@') ? call.sender : call.domain, { resolver });
  }
}

export const isInputError = (e: unknown): boolean => e instanceof Error && e.name === 'InputError';

export const checksTarget: Target<{ world: World; call: CheckCall }> = {
  name: 'checks',
  what: 'a generated DNS world (every record type the checks read, hostile names and TXT, CNAME loops, rcodes) as decoded data → rdns, spf, spf-pair, send-as, helo, mx, dnsbl, mailcheck, dmarc → every renderer',
  arbitrary: () => fc.record({ world: worldArb, call: checkCallArb }),
  weight: 40,
  slice: 300,
  expected: isInputError,
  async run({ world, call }, ctx) {
    const result = await runCheck(call, worldResolver(world));
    renderAll(result, ctx);
  },
};

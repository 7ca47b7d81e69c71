// Target `inputs`: what users type and paste (addresses, names, host:port, sender addresses, a
// Received-SPF header, saved-server settings, a bounce's suggested check) through every parser of
// typed input, and the records the fixes write: the TXT record line of a fix must read back, through
// the zone parser, as the very text it was made from.
import * as fc from 'fast-check';
import { canonicalIp, findIpInText, formatIpv6, ipBytes, parseIp, parseIpv6, reverseName, specialPurpose } from '../../src/core/ip';
import { parseRange, rangeAddresses } from '../../src/core/audit/range';
import { parseHeloName } from '../../src/core/helo/syntax';
import { domainInputProblem, heloInputHint, hostPortProblem, mailSelectorProblem, optionalIpProblem, portProblem } from '../../src/core/mailcheck/input';
import { bounceInputHint } from '../../src/core/bounce/input';
import { parseDomain } from '../../src/core/mx/check';
import { genericNameReason, postfixHostnameProblem } from '../../src/core/rdns/names';
import { parseHostPort } from '../../src/core/smtp/probe';
import { domainProblem, spfIdentity } from '../../src/core/spf/check';
import { authorizeIp, txtRecordLine } from '../../src/core/spf/fix';
import { findHeloInText, findIpsInText, findSenderInText, fromDomainProblem, heloProblem, parseIpList, parseSpfTarget, targetProblem } from '../../src/core/spf/input';
import { parseSpf } from '../../src/core/spf/parse';
import { receivedSpfHeader } from '../../src/core/spf/received';
import { parseZone } from '../../src/core/zone/parser';
import { charStringOctets } from '../../src/core/zone/rdata';
import { asSuggestion, bounceOffer } from '../../src/vscode/bounceOffers';
import { parseSavedServers } from '../../src/vscode/savedServersModel';
import type { Target } from './harness';
import { mutated } from './mutate';
import { unsafeAt } from './render';
import { mutatedSpfArb, spfRecordArb } from './spf';

const seeds = fc.oneof(
  fc.ipV4(),
  fc.ipV6(),
  fc.ipV4Extended(),
  fc.domain(),
  fc.emailAddress(),
  fc.constantFrom(
    '192.0.2.1, 2001:db8::1', '[2001:db8::1]:25', 'mail.example.net:587', '::ffff:192.0.2.1', '2001:db8::1%eth0', '<>', 'postmaster@example.net',
    'Received-SPF: fail (mx.example: domain of alice@example.net does not designate 203.0.113.5 as permitted sender) client-ip=203.0.113.5; envelope-from="alice@example.net"; helo=web6.example.net;',
    '[IPv6:2001:db8::1]', '[192.0.2.1]', 'DYNA-WEB', 'localhost.localdomain', 'host.local', '1.2.3.4.example.com', 'static-203-0-113-5.isp.example', '0x7f.1', '0177.0.0.1',
  ),
);
const typed = mutated(seeds, { maxOps: 3, cleanWeight: 2 });

export interface InputsInput {
  text: string;
  other: string;
  record: string;
  txt: string;
  settings: unknown;
  suggestion: unknown;
}

const SPF_RESULTS = ['pass', 'fail', 'softfail', 'neutral', 'none', 'permerror', 'temperror'] as const;

export const inputsTarget: Target<InputsInput> = {
  name: 'inputs',
  what: 'typed and pasted input (addresses, names, host:port, senders, Received-SPF, settings) → every input parser; fix records → zone parser round trip',
  arbitrary: () =>
    fc.record({
      text: typed,
      other: typed,
      record: mutatedSpfArb,
      // SPF records, and any text a TXT record from DNS may hold (controls, non-ASCII, lone surrogates).
      txt: fc.oneof(spfRecordArb, fc.string({ maxLength: 600 }), fc.string({ maxLength: 300, unit: 'binary' }), fc.tuple(fc.nat({ max: 260 }), fc.constantFrom('\u{1F600}', 'é', '\n', '\u202e', '"', '\\')).map(([n, c]) => `v=spf1 ${'a'.repeat(n)}${c.repeat(3)}`)),
      settings: fc.oneof(fc.jsonValue(), fc.array(fc.record({ name: fc.option(typed), ip: typed, helo: typed, fromDomain: typed, smtp: fc.oneof(fc.boolean(), typed, fc.integer()) }, { requiredKeys: [] }), { maxLength: 3 })),
      suggestion: fc.oneof(fc.jsonValue(), fc.record({ check: fc.constantFrom('helo', 'rdns', 'spf', 'dnsbl', 'mx', 'check', 'x'), args: fc.dictionary(fc.constantFrom('ip', 'helo', 'domain', 'zone', '__proto__'), typed), cli: typed, complete: fc.boolean(), why: typed })),
    }),
  weight: 120,
  slice: 800,
  run(input, ctx) {
    const { text, other } = input;
    const ip = parseIp(text);
    if (ip.ok) {
      // The canonical form is a fixed point, and the other forms follow from it.
      ctx.check('ip-canonical', () => {
        const again = parseIp(ip.ip);
        return again.ok && again.ip === ip.ip && canonicalIp(ip.ip) === ip.ip ? undefined : `${JSON.stringify(text)} → ${ip.ip} → ${JSON.stringify(again)}`;
      });
      ctx.check('ip-canonical', () => (ipBytes(ip.ip).length === (ip.family === 4 ? 4 : 16) ? undefined : `bytes of ${ip.ip}`));
      reverseName(ip.ip);
      specialPurpose(ip.ip);
    }
    const v6 = parseIpv6(text);
    if (v6) ctx.check('ip-canonical', () => (parseIpv6(formatIpv6(v6))?.join() === v6.join() ? undefined : `${formatIpv6(v6)} does not read back`));
    findIpInText(text);
    parseHeloName(text);
    heloInputHint(text);
    optionalIpProblem(text);
    hostPortProblem(text);
    portProblem(text);
    mailSelectorProblem(text);
    domainInputProblem(text);
    bounceInputHint(text);
    parseDomain(text);
    postfixHostnameProblem(text);
    if (ip.ok) genericNameReason(other, ip.ip);
    parseHostPort(text);
    domainProblem(text);
    spfIdentity(text, other);
    parseIpList(text);
    heloProblem(text);
    targetProblem(text);
    parseSpfTarget(text, other);
    fromDomainProblem(text);
    findIpsInText(text);
    findSenderInText(text);
    findHeloInText(text);

    // Received-SPF is one header line: nothing typed or received may start another.
    for (const result of SPF_RESULTS) {
      const h = receivedSpfHeader({ result, ip: ip.ok ? ip.ip : '192.0.2.1', sender: text, envelopeFrom: other, helo: other, identity: 'mailfrom', receiver: text, mechanism: other, problem: text });
      ctx.check('received-spf-one-line', () => (/[\r\n]/.test(h) ? `line break in ${JSON.stringify(h.slice(0, 200))}` : undefined));
    }

    // The record a fix proposes, as the zone file line it is copied as, reads back as the same text.
    const target = parseIp(other);
    const edit = authorizeIp(input.record, target.ok ? target.ip : '203.0.113.60', { before: null });
    parseSpf(edit.record);
    for (const t of [input.txt, edit.record]) {
      const line = txtRecordLine('example.org', t);
      ctx.check('fix-record-roundtrip', () => unsafeAt(line, true));
      const z = parseZone(`${line}\n`, { file: 'fix.zone', origin: 'example.org' });
      ctx.check('fix-record-roundtrip', () => {
        const errors = z.diagnostics.filter((d) => d.severity === 'error');
        if (errors.length > 0) return `${JSON.stringify(line.slice(0, 200))}: ${errors[0].code} ${errors[0].message}`;
        const rec = z.records.find((r) => r.type === 'TXT');
        // The octets a name server would serve are the text's own.
        const back = rec ? Buffer.concat(rec.rdata.map((tok) => charStringOctets(tok.text))) : undefined;
        return back?.equals(Buffer.from(t, 'utf8')) ? undefined : `${JSON.stringify(t.slice(0, 120))} reads back as ${JSON.stringify(back?.toString('utf8').slice(0, 120))}`;
      });
    }

    parseSavedServers(input.settings);
    const s = asSuggestion(input.suggestion);
    if (s) bounceOffer(s);

    // The audit's block parser: never throws; a block it takes reads back as itself, its first
    // address is the block's, and it is no wider than the cap.
    for (const t of [text, `${text}/${other.length % 130}`]) {
      const r = parseRange(t);
      if (!r.ok) continue;
      ctx.check('range-canonical', () => {
        const again = parseRange(r.range.cidr);
        return again.ok && again.range.cidr === r.range.cidr && again.range.count === r.range.count ? undefined : `${JSON.stringify(t)} → ${r.range.cidr} → ${JSON.stringify(again)}`;
      });
      ctx.check('range-capped', () => (r.range.count <= 65536 ? undefined : `${r.range.cidr}: ${r.range.count} addresses`));
      ctx.check('range-first', () => {
        const first = rangeAddresses(r.range).next().value;
        return first !== undefined && r.range.cidr.startsWith(`${first}/`) ? undefined : `${r.range.cidr} starts at ${first}`;
      });
    }
  },
};

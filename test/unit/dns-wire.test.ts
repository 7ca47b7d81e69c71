// The strict reply decoder (src/core/dns/wire.ts): sound replies decode as dns-packet encodes them;
// a record whose RDATA does not fit its type, a compression pointer loop or an overlong pointer
// chain is named as malformed and never handed on (issue 9 #11); thousands of records are counted,
// not kept.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import * as packet from 'dns-packet';
import { decodeMessage, type WireMessage } from '../../src/core/dns/wire';

const QUESTION = Buffer.from([7, ...Buffer.from('example'), 3, ...Buffer.from('org'), 0, 0, 1, 0, 1]); // example.org A IN

/** A reply to `example.org A` with the given answer records written as raw octets. */
function reply(answers: Buffer[], flags = 0x8180): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(0x1234, 0);
  header.writeUInt16BE(flags, 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(answers.length, 6);
  return Buffer.concat([header, QUESTION, ...answers]);
}

/** One record: owner (raw name octets), type, class IN, TTL 300, RDATA as given. */
function rr(owner: Buffer, type: number, rdata: Buffer): Buffer {
  const fixed = Buffer.alloc(10);
  fixed.writeUInt16BE(type, 0);
  fixed.writeUInt16BE(1, 2);
  fixed.writeUInt32BE(300, 4);
  fixed.writeUInt16BE(rdata.length, 8);
  return Buffer.concat([owner, fixed, rdata]);
}

const QNAME = Buffer.from([0xc0, 12]);

function decoded(buf: Buffer, max?: number): WireMessage {
  const d = decodeMessage(buf, max);
  assert.ok(d.ok, d.ok ? '' : d.error);
  return d.message;
}

describe('DNS reply decoder', () => {
  it('decodes a sound reply as dns-packet encoded it: every type a check reads', () => {
    const buf = packet.encode({
      type: 'response',
      id: 7,
      flags: packet.AUTHORITATIVE_ANSWER | packet.RECURSION_DESIRED | packet.RECURSION_AVAILABLE,
      questions: [{ type: 'A', name: 'mail.example.org', class: 'IN' }],
      answers: [
        { type: 'CNAME', name: 'mail.example.org', ttl: 60, data: 'host.example.org' },
        { type: 'A', name: 'host.example.org', ttl: 300, data: '192.0.2.25' },
        { type: 'AAAA', name: 'host.example.org', ttl: 300, data: '2001:db8::25' },
        { type: 'MX', name: 'example.org', ttl: 300, data: { preference: 10, exchange: 'host.example.org' } },
        { type: 'TXT', name: 'example.org', ttl: 300, data: ['v=spf1 ', 'mx -all'] },
        { type: 'PTR', name: '25.2.0.192.in-addr.arpa', ttl: 300, data: 'host.example.org' },
      ],
      authorities: [{ type: 'SOA', name: 'example.org', ttl: 300, data: { mname: 'ns.example.org', rname: 'hostmaster.example.org', serial: 2024010101, refresh: 7200, retry: 900, expire: 1209600, minimum: 300 } }],
    });
    const m = decoded(buf);
    assert.equal(m.id, 7);
    assert.equal(m.response, true);
    assert.equal(m.authoritative, true);
    assert.equal(m.rcode, 'NOERROR');
    assert.deepEqual(m.questions, [{ name: 'mail.example.org', type: 'A', class: 'IN' }]);
    assert.deepEqual(
      m.answers.map((a) => [a.type, a.name, a.ttl]),
      [
        ['CNAME', 'mail.example.org', 60],
        ['A', 'host.example.org', 300],
        ['AAAA', 'host.example.org', 300],
        ['MX', 'example.org', 300],
        ['TXT', 'example.org', 300],
        ['PTR', '25.2.0.192.in-addr.arpa', 300],
      ],
    );
    assert.deepEqual(m.answers.map((a) => (Array.isArray(a.data) ? a.data.map(String) : a.data)), [
      'host.example.org',
      '192.0.2.25',
      '2001:db8::25',
      { preference: 10, exchange: 'host.example.org' },
      ['v=spf1 ', 'mx -all'],
      'host.example.org',
    ]);
    assert.deepEqual(m.authorities[0].data, { mname: 'ns.example.org', rname: 'hostmaster.example.org', serial: 2024010101, refresh: 7200, retry: 900, expire: 1209600, minimum: 300 });
    assert.deepEqual(m.malformed, []);
  });

  it('issue 9 #11: an A record with RDLENGTH 3 is malformed and dropped, never "192.0.2.undefined"', () => {
    const buf = reply([rr(QNAME, 1, Buffer.from([192, 0, 2]))]);
    // What the old decoder made of it.
    assert.equal((packet.decode(buf).answers?.[0] as { data: string }).data, '192.0.2.undefined');
    const m = decoded(buf);
    assert.deepEqual(m.answers, []);
    assert.deepEqual(m.malformed, ['answer 1 (A record for example.org): RDATA is 3 octets; an A record holds 4']);
  });

  it('issue 9 #11: every type a check reads is validated against its RDLENGTH, and one bad record does not shift the next', () => {
    const cases: [number, Buffer, RegExp][] = [
      [28, Buffer.alloc(15), /AAAA record .*15 octets; an AAAA record holds 16/],
      [12, Buffer.from([10, 0x61, 0x62, 0x63]), /PTR record .*a label runs past the end of its record/],
      [5, Buffer.concat([Buffer.from([1, 0x61]), QNAME, Buffer.from([0])]), /CNAME record .*the name leaves 1 of its 5 octets unused/],
      [15, Buffer.from([0, 10]), /MX record .*RDATA is 2 octets/],
      [16, Buffer.from([10, 0x61]), /TXT record .*a string of 10 octets runs past the RDATA/],
      [6, QNAME, /SOA record .*a name runs past the end of its record|SOA's five numbers/],
    ];
    for (const [type, rdata, why] of cases) {
      const m = decoded(reply([rr(QNAME, type, rdata), rr(QNAME, 1, Buffer.from([192, 0, 2, 1]))]));
      assert.equal(m.malformed.length, 1, String(type));
      assert.match(m.malformed[0], why);
      // Framed by RDLENGTH, the record after the bad one still reads right.
      assert.deepEqual(m.answers.map((a) => a.data), ['192.0.2.1'], String(type));
    }
  });

  it('stops at a record whose RDLENGTH runs past the message, or a header that promises more', () => {
    const bad = rr(QNAME, 1, Buffer.from([192, 0, 2, 1]));
    bad.writeUInt16BE(400, 10);
    assert.match(decoded(reply([bad])).malformed[0], /RDLENGTH 400 runs past the end of the message/);
    const short = reply([rr(QNAME, 1, Buffer.from([192, 0, 2, 1]))]);
    short.writeUInt16BE(3, 6);
    const m = decoded(short);
    assert.equal(m.answers.length, 1);
    assert.match(m.malformed[0], /answer 2: the owner name: a name runs past/);
  });

  it('a compression pointer loop, a forward pointer and a chain of 2000 pointers end as malformed, at once', () => {
    // The answer's owner is a pointer to itself (offset 12 + question).
    const self = 12 + QUESTION.length;
    const loop = decoded(reply([rr(Buffer.from([0xc0, self]), 1, Buffer.from([192, 0, 2, 1]))]));
    assert.match(loop.malformed[0], /points forward or at itself \(a loop\)/);
    const forward = decoded(reply([rr(Buffer.from([0xc0, 0xff]), 1, Buffer.from([192, 0, 2, 1]))]));
    assert.match(forward.malformed[0], /points forward/);
    // A chain: record 1's RDATA holds 2000 pointers, each to the one before; record 2's owner is the last.
    const base = self + 2 + 10;
    const chain = Buffer.alloc(4000);
    for (let i = 0; i < 2000; i++) chain.writeUInt16BE(0xc000 | (i === 0 ? 12 : base + 2 * (i - 1)), 2 * i);
    const owner = Buffer.alloc(2);
    owner.writeUInt16BE(0xc000 | (base + 2 * 1999), 0);
    const started = process.hrtime.bigint();
    const m = decoded(reply([rr(QNAME, 0xff00, chain), rr(owner, 1, Buffer.from([192, 0, 2, 1]))]));
    assert.match(m.malformed[0], /more than 127 compression pointers/);
    assert.ok(process.hrtime.bigint() - started < 1_000_000_000n);
    assert.equal(m.answers.length, 1, 'the chain-holding record itself is sound (an unknown type, kept as octets)');
  });

  it('the question itself undecodable: not a reply to anything', () => {
    const buf = reply([]);
    buf[12] = 0xc0;
    buf[13] = 0x20; // a pointer forward in the question
    const d = decodeMessage(buf);
    assert.equal(d.ok, false);
    assert.equal(decodeMessage(Buffer.alloc(5)).ok, false);
  });

  it('writes a dot inside a label as \\., so one label cannot pass for two; other octets as queries write them', () => {
    const owner = Buffer.from([3, 0x61, 0x2e, 0x62, 4, 0x68, 0x00, 0x20, 0x5c, 0]); // "a.b" and "h\0 \\"
    const m = decoded(reply([rr(owner, 1, Buffer.from([192, 0, 2, 1]))]));
    assert.equal(m.answers[0].name, 'a\\.b.h\u0000 \\');
  });

  it('a TXT record without strings (RFC 7208 suite: null-text) is read as none, not as malformed', () => {
    const m = decoded(reply([rr(QNAME, 16, Buffer.alloc(0)), rr(QNAME, 16, Buffer.from([2, 0x68, 0x69]))]));
    assert.deepEqual(m.malformed, []);
    assert.deepEqual(m.answers.map((a) => (a.data as Buffer[]).map(String)), [[], ['hi']]);
  });

  it('answer budget: of 4,000 records the first 256 are decoded and kept, the rest counted', () => {
    const records: Buffer[] = [];
    for (let i = 0; i < 4000; i++) records.push(rr(QNAME, 1, Buffer.from([198, 18, i >> 8, i & 255])));
    const m = decoded(reply(records), 256);
    assert.equal(m.answers.length, 256);
    assert.equal(m.omitted, 4000 - 256);
    assert.equal(m.answers[255].data, '198.18.0.255');
  });

  it('reads the rcode with its EDNS extended bits', () => {
    const buf = packet.encode({ type: 'response', id: 1, flags: 2, questions: [{ type: 'A', name: 'example.org', class: 'IN' }], additionals: [{ type: 'OPT', name: '.', udpPayloadSize: 1232, extendedRcode: 1, flags: 0 } as unknown as packet.Answer] });
    assert.equal(decoded(buf).rcode, 'RCODE18');
    assert.equal(decoded(reply([], 0x8183)).rcode, 'NXDOMAIN');
  });
});

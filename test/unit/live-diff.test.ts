// The pure part of "Check live again": answers recorded from replies, and the record-by-record diff
// of two runs with how long caches may still serve the old answer.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { DnsResponse } from '../../src/core/dns/types';
import { diffAnswers, liveDiffSection, recordAnswer, type RecordedAnswer } from '../../src/core/live/diff';

const reply = (name: string, type: string, rcode: 'NOERROR' | 'NXDOMAIN', answers: DnsResponse['answers'], soaMinimum?: number): DnsResponse => ({
  question: { name, type },
  rcode,
  answers,
  authorities: soaMinimum === undefined ? [] : [{ name: 'example.com', type: 'SOA', ttl: 3600, data: { mname: 'ns1.example.com', rname: 'h.example.com', serial: 1, refresh: 1, retry: 1, expire: 1, minimum: soaMinimum } }],
  server: '127.0.0.1:53',
  transport: 'udp',
  authoritative: true,
  elapsedMs: 1,
});

describe('Check live again: the diff of two runs', () => {
  it('records a reply: records as lines with TTLs; NXDOMAIN and no data with the negative TTL min(SOA TTL, MINIMUM)', () => {
    const txt = recordAnswer(reply('Example.com.', 'TXT', 'NOERROR', [{ name: 'example.com', type: 'TXT', ttl: 1800, data: ['v=spf1 ', '-all'] }]));
    assert.deepEqual(txt, { name: 'example.com', type: 'TXT', rcode: 'NOERROR', records: [{ text: 'example.com. TXT "v=spf1 " "-all"', ttl: 1800 }] });
    assert.equal(recordAnswer(reply('_dmarc.example.com', 'TXT', 'NXDOMAIN', [], 300)).negativeTtl, 300);
    assert.equal(recordAnswer(reply('_dmarc.example.com', 'TXT', 'NOERROR', [], 7200)).negativeTtl, 3600);
    const mx = recordAnswer(reply('example.com', 'MX', 'NOERROR', [{ name: 'example.com', type: 'MX', ttl: 60, data: { preference: 10, exchange: 'Mail.example.com' } }]));
    assert.equal(mx.records[0].text, 'example.com. MX 10 Mail.example.com.');
  });

  it('a changed record: removed (cached up to its TTL) and added; a new record where there was none: cached "no record" up to the negative TTL; a TTL change', () => {
    const before: RecordedAnswer[] = [
      { name: 'example.com', type: 'TXT', rcode: 'NOERROR', records: [{ text: 'example.com. TXT "v=spf1 -all"', ttl: 1800 }] },
      { name: '_dmarc.example.com', type: 'TXT', rcode: 'NXDOMAIN', records: [], negativeTtl: 300 },
      { name: 'mail.example.com', type: 'A', rcode: 'NOERROR', records: [{ text: 'mail.example.com. A 192.0.2.25', ttl: 3600 }] },
      { name: 'old.example.com', type: 'A', rcode: 'NOERROR', records: [] },
    ];
    const after: RecordedAnswer[] = [
      { name: 'example.com', type: 'TXT', rcode: 'NOERROR', records: [{ text: 'example.com. TXT "v=spf1 a -all"', ttl: 1800 }] },
      { name: '_dmarc.example.com', type: 'TXT', rcode: 'NOERROR', records: [{ text: '_dmarc.example.com. TXT "v=DMARC1; p=none"', ttl: 600 }] },
      { name: 'mail.example.com', type: 'A', rcode: 'NOERROR', records: [{ text: 'mail.example.com. A 192.0.2.25', ttl: 300 }] },
      { name: 'new.example.com', type: 'A', rcode: 'NOERROR', records: [] },
    ];
    const diff = diffAnswers(before, after);
    assert.deepEqual(diff.changes, [
      { name: 'example.com', type: 'TXT', change: 'removed', text: 'example.com. TXT "v=spf1 -all"', staleFor: 1800 },
      { name: 'example.com', type: 'TXT', change: 'added', text: 'example.com. TXT "v=spf1 a -all"' },
      { name: '_dmarc.example.com', type: 'TXT', change: 'rcode', text: 'NXDOMAIN → NOERROR', staleFor: 300 },
      { name: '_dmarc.example.com', type: 'TXT', change: 'added', text: '_dmarc.example.com. TXT "v=DMARC1; p=none"', staleFor: 300 },
      { name: 'mail.example.com', type: 'A', change: 'ttl', text: 'mail.example.com. A 192.0.2.25 (TTL 3600 → 300)', staleFor: 3600 },
    ]);
    assert.equal(diff.unchanged, 0);
    assert.deepEqual(diff.onlyBefore, ['old.example.com A']);
    assert.deepEqual(diff.onlyAfter, ['new.example.com A']);
    assert.equal(diff.staleFor, 3600);
    // The same answers again: nothing changed, and the section says so.
    const same = diffAnswers(after, after);
    assert.deepEqual(same.changes, []);
    assert.equal(same.unchanged, 4);
    const section = liveDiffSection(same, 'the first run');
    assert.ok(section.type === 'table' && section.rows.length === 0 && /No answer changed since the first run \(4 questions/.test(section.empty ?? ''));
  });
});

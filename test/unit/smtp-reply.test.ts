// Reading SMTP replies with bounds (RFC 5321 §4.2, §4.5.3.1.5).
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { escapeText, ReplyReader } from '../../src/core/smtp/reply';

const feed = (r: ReplyReader, s: string) => r.feed(Buffer.from(s, 'latin1'));

describe('SMTP reply reader', () => {
  it('a line of exactly maxLine octets whose CR ends one read and LF starts the next is a reply, as in one read (found by fuzz target smtp-reply)', () => {
    const line = '250 ' + 'x'.repeat(2044);
    const split = new ReplyReader();
    const events = [...split.feed(Buffer.from(line + '\r')), ...split.feed(Buffer.from('\n'))];
    const whole = new ReplyReader().feed(Buffer.from(line + '\r\n'));
    assert.deepEqual(events, whole);
    assert.equal(events[0]?.kind, 'reply');
    // One octet more is too long either way.
    const over = new ReplyReader();
    const e2 = over.feed(Buffer.from(line + 'x\r'));
    assert.equal(e2[0]?.kind, 'error');
  });

  it('assembles multi-line replies, even split across chunks', () => {
    const r = new ReplyReader();
    assert.deepEqual(feed(r, '250-mail.example.com\r\n250-PIPE'), []);
    const ev = feed(r, 'LINING\r\n250 8BITMIME\r\n');
    assert.equal(ev.length, 1);
    assert.equal(ev[0].kind, 'reply');
    if (ev[0].kind !== 'reply') return;
    assert.equal(ev[0].reply.code, 250);
    assert.deepEqual(ev[0].reply.lines, ['mail.example.com', 'PIPELINING', '8BITMIME']);
    assert.equal(ev[0].reply.bareLf, false);
  });
  it('reads the enhanced status code and a bare code line', () => {
    const r = new ReplyReader();
    const [a, b] = feed(r, '504 5.5.2 <DYNA-WEB>: Helo command rejected: need fully-qualified hostname\r\n221\r\n');
    assert.ok(a.kind === 'reply' && a.reply.enhanced === '5.5.2');
    assert.ok(b.kind === 'reply' && b.reply.code === 221 && b.reply.lines[0] === '');
  });
  it('accepts bare LF but says so, and flags lines over 512 octets', () => {
    const r = new ReplyReader();
    const [ev] = feed(r, `220 ${'x'.repeat(600)}\n`);
    assert.ok(ev.kind === 'reply' && ev.reply.bareLf && ev.reply.overlong);
  });
  it('gives up on a line longer than the bound, before its end arrives', () => {
    const r = new ReplyReader({ maxLine: 100, maxTotal: 10_000, maxLines: 10 });
    const ev = feed(r, '220 ' + 'A'.repeat(200));
    assert.equal(ev[0].kind, 'error');
    assert.ok(ev[0].kind === 'error' && ev[0].error === 'line-too-long');
  });
  it('stops at the total bound and the line-count bound', () => {
    const r = new ReplyReader({ maxLine: 1000, maxTotal: 50, maxLines: 10 });
    const ev = feed(r, '220-' + 'a'.repeat(60) + '\r\n');
    assert.ok(ev[0].kind === 'error' && ev[0].error === 'too-much-data');
    const r2 = new ReplyReader({ maxLine: 1000, maxTotal: 100_000, maxLines: 3 });
    const ev2 = feed(r2, '220-a\r\n220-b\r\n220-c\r\n220-d\r\n');
    assert.ok(ev2[0].kind === 'error' && ev2[0].error === 'too-many-lines');
  });
  it('refuses lines that are not replies, and codes that change mid-reply', () => {
    const ev = feed(new ReplyReader(), 'HTTP/1.1 400 Bad Request\r\n');
    assert.ok(ev[0].kind === 'error' && ev[0].error === 'malformed');
    const ev2 = feed(new ReplyReader(), '220-first\r\n250 second\r\n');
    assert.ok(ev2[0].kind === 'error' && ev2[0].error === 'malformed' && /different codes/.test(ev2[0].message));
  });
  it('escapes control characters and bidi overrides', () => {
    assert.equal(escapeText('a\x1b[31mb\x07\u202e'), 'a\\x1b[31mb\\x07\\x202e');
    const [ev] = feed(new ReplyReader(), '220 evil\x1b]0;title\x07 server\r\n');
    assert.ok(ev.kind === 'reply' && ev.reply.lines[0] === 'evil\\x1b]0;title\\x07 server');
  });
});

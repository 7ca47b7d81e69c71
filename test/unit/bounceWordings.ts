// The check behind the wording tables (bounce-wordings-providers.test.ts, bounce-wordings-software.test.ts):
// one documented reply, read by the explainer as bare text and as the Diagnostic-Code of a minimal
// RFC 3464 report, must be the expected cause on the expected side, with the cause's checks run with
// the values the text names; recipient and content causes get no check on the sender's DNS.
import { strict as assert } from 'node:assert';
import { SIDE_OF } from '../../src/core/bounce/explain';
import type { BounceCategory, BounceExplanation, RecipientVerdict, SuggestedCheck } from '../../src/core/bounce/types';
import { dsn, rcpt } from './bounceBuild';

export interface WordingRow {
  /** The reply as the receiver sends it (lines of a multi-line reply separated by \n). */
  text: string;
  category: BounceCategory;
  ip?: string;
  domain?: string;
  helo?: string;
  zone?: string;
  /** A name (the sender's domain, the HELO name) is on the list, not the IP: the IP check must not ask that zone. */
  nameListed?: true;
}

/** Checks on the sender's DNS or reputation: never for a recipient's or the content's cause. */
const SENDER_CHECKS = new Set<SuggestedCheck['check']>(['helo', 'rdns', 'spf', 'dnsbl', 'check', 'dmarc', 'dkim']);

/** The checks each sender cause must suggest (explain.ts suggestFor). */
const CHECKS: Partial<Record<BounceCategory, SuggestedCheck['check'][]>> = {
  rdns: ['rdns'],
  helo: ['helo'],
  spf: ['spf'],
  dkim: ['dkim', 'dmarc'],
  dmarc: ['dmarc', 'spf', 'dkim'],
  auth: ['spf', 'dkim', 'dmarc'],
  'sender-domain': ['mx'],
  sender: ['mx'],
  dnsbl: ['dnsbl'],
  reputation: ['dnsbl'],
  blocked: ['dnsbl', 'rdns'],
  relay: ['mx'],
};

/** Asserts the first recipient's verdict against the row; `how` and `label` go into the failure message. */
export function judgeWording(r: BounceExplanation, row: WordingRow, how: string, label = ''): void {
  const v: RecipientVerdict | undefined = r.recipients[0];
  const where = `${how}: ${label}${row.text}\n→ ${v?.cause?.id ?? 'nothing'} ${v?.category} ${JSON.stringify(v?.values)} ${JSON.stringify(v?.suggestions.map((s) => s.cli))}`;
  assert.ok(v, where);
  assert.equal(v.category, row.category, where);
  const side = SIDE_OF[row.category];
  assert.equal(v.side, side, where);
  assert.equal(v.cause?.senderSide, side.startsWith('sender-'), where);
  for (const k of ['ip', 'domain', 'helo', 'zone'] as const) if (row[k] !== undefined) assert.equal(v.values[k], row[k], `${k} of ${where}`);
  const kinds = v.suggestions.map((s) => s.check);
  if (!side.startsWith('sender-')) {
    assert.deepEqual(kinds.filter((k) => SENDER_CHECKS.has(k)), [], `no check on the sender for ${where}`);
    if (side === 'content') assert.deepEqual(kinds, [], `no DNS check for content: ${where}`);
    return;
  }
  for (const k of CHECKS[row.category] ?? []) assert.ok(kinds.includes(k), `${k} check for ${where}`);
  // Every suggested check runs with the values the text names.
  for (const s of v.suggestions) {
    if (row.ip && (s.check === 'rdns' || s.check === 'dnsbl' || s.check === 'spf')) assert.equal(s.args.ip, row.ip, `${s.cli}: ${where}`);
    if (row.zone && s.check === 'dnsbl') assert.equal(s.args.zone, row.nameListed ? undefined : row.zone, `${s.cli}: ${where}`);
    if (row.domain && (s.check === 'spf' || s.check === 'dmarc' || s.check === 'dkim')) assert.equal(s.args.domain, row.domain, `${s.cli}: ${where}`);
    if (row.helo && s.check === 'helo') assert.equal(s.args.helo, row.helo, `${s.cli}: ${where}`);
    if (row.domain && s.check === 'mx' && (row.category === 'sender-domain' || row.category === 'sender')) assert.equal(s.args.domain, row.domain, `${s.cli}: ${where}`);
  }
}

/** The reply as a Diagnostic-Code (continuation lines indented, RFC 3464 §2.1.2), with the Status it names. */
export function wordingDsn(text: string): string {
  const status = /(?<![\w.])([245])\.(\d{1,3})\.(\d{1,3})(?![\w.]*\d)/.exec(text)?.slice(1, 4).join('.') ?? (/^4/.test(text) ? '4.0.0' : '5.0.0');
  const action = status.startsWith('4') ? 'delayed' : 'failed';
  return dsn({
    notification: 'Your message could not be delivered to one or more recipients.',
    recipients: [rcpt('bob@example.org', action, status, text.replace(/\n/g, '\n '))],
  });
}

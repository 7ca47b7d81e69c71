// The bounce explainer on the development half of the real-bounce corpus (shared/corpora/bounces,
// read at run time, never copied here), scored by bench/bounces.ts against the reasons Sisimai's
// tests expect. The thresholds are the issue's: recognition, never blaming the sender for what is
// not its doing, content explained as content, the right check with the values the text names.
// `npm run bench:bounces` writes the same table into docs/benchmarks.md.
import { strict as assert } from 'node:assert';
import { before, describe, it } from 'node:test';
import { bounceCorpusDir, type CorpusScore, type MessageScore, scoreCorpus, TARGET_REASONS } from '../../bench/bounces';

const NOT_SENDER = ['delivered', 'feedback', 'vacation', 'userunknown', 'mailboxfull', 'suspend', 'hasmoved', 'filtered', 'hostunknown', 'notaccept'];
const CONTENT = ['spamdetected', 'virusdetected', 'contenterror', 'notcompliantrfc', 'policyviolation', 'exceedlimit'];

const list = (ms: MessageScore[]) => ms.map((m) => `${m.file} (${m.reason} → ${m.category}/${m.side}: ${m.suggestions.join('; ') || 'no check'})`).join('\n');

describe('bounce explainer on the real-bounce corpus (development half)', () => {
  let score: CorpusScore | undefined;
  const dir = bounceCorpusDir();
  before(async () => {
    if (dir) score = await scoreCorpus(dir);
  });

  it('has the corpus (MAILDNS_ALLOW_SKIP=1 runs without it)', () => {
    if (!dir && process.env.MAILDNS_ALLOW_SKIP === '1') return;
    assert.ok(dir, 'no bounce corpus: shared/corpora/bounces beside the checkout, /work/shared/corpora, or $MAILDNS_CORPORA');
    assert.ok((score?.messages.length ?? 0) >= 250, `${score?.messages.length} scored messages`);
  });

  it('recognises at least 90% of the messages', () => {
    if (!score) return;
    const ok = score.messages.filter((m) => m.recognised).length;
    assert.ok(ok / score.messages.length >= 0.9, `${ok}/${score.messages.length} recognised:\n${list(score.messages.filter((m) => !m.recognised))}`);
  });

  it('no success notice, feedback report, auto-reply or recipient-side rejection blames the sender', () => {
    if (!score) return;
    const wrong = score.messages.filter((m) => NOT_SENDER.includes(m.reason) && (m.side.startsWith('sender-') || m.rightCheck === false));
    assert.deepEqual(wrong, [], list(wrong));
  });

  it('content rejections are explained as content, with no DNS check', () => {
    if (!score) return;
    const wrong = score.messages.filter((m) => CONTENT.includes(m.reason) && (m.side !== 'content' || m.rightCheck === false));
    assert.deepEqual(wrong, [], list(wrong));
  });

  it('blocked, rDNS, authentication, reputation, relaying and sender-domain rejections get the right check with the values the text names', () => {
    if (!score) return;
    const wrong = score.messages.filter((m) => TARGET_REASONS.includes(m.reason) && (m.rightCheck === false || m.value === false));
    assert.deepEqual(wrong, [], list(wrong));
  });
});

// The bounce explainer on the development corpus of real bounces (shared/corpora/bounces: 303
// messages from Sisimai's set-of-emails, with the reason Sisimai's tests expect for each recipient).
// `scoreCorpus` judges every message; test/unit/bounce-corpus.test.ts asserts the thresholds on it,
// and `node out/bench/bounces.js --write` (npm run bench:bounces) writes the table into
// docs/benchmarks.md between <!-- bounces:start --> and <!-- bounces:end -->.
//
// How a message is scored (first recipient against Sisimai's first reason; messages without an
// expectation are not counted):
//   recognised   the explainer's cause (or message kind) agrees with the reason (AGREE below)
//   right side   it blames the sender's side exactly when the reason is the sender's; content
//                reasons are explained as content
//   right check  the reason's check is suggested (CHECKS below); content, recipient and
//                non-bounce reasons: no DNS check at all
//   value        the right check runs with every value it needs, each written in the bounce
//                (n/a where the check needs the sending IP and the receiver's reply names none)
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { explainBounce } from '../src/core/bounce/explain';
import type { BounceCategory, BounceExplanation, RecipientVerdict, SuggestedCheck } from '../src/core/bounce/types';
import { parseIp, specialPurpose } from '../src/core/ip';
import { REPO_ROOT } from '../test/paths';

/** The shared corpora: $MAILDNS_CORPORA, /work/shared/corpora, or shared/corpora beside the checkout. */
export function bounceCorpusDir(): string | undefined {
  const candidates = [process.env.MAILDNS_CORPORA, '/work/shared/corpora', path.join(REPO_ROOT, '..', 'shared', 'corpora')];
  const dir = candidates.find((c): c is string => c !== undefined && c !== '' && existsSync(path.join(c, 'bounces', 'expected-reasons.json')));
  return dir ? path.join(dir, 'bounces') : undefined;
}

/** Which Sisimai reasons each of the explainer's causes agrees with. */
const AGREE: Record<BounceCategory | 'delivered' | 'auto-reply' | 'feedback-report', string[]> = {
  helo: ['blocked', 'requireptr'],
  rdns: ['requireptr', 'blocked'],
  spf: ['authfailure', 'blocked'],
  dkim: ['authfailure'],
  dmarc: ['authfailure'],
  auth: ['authfailure'],
  'sender-domain': ['rejected'],
  dnsbl: ['blocked'],
  blocked: ['blocked'],
  reputation: ['badreputation', 'blocked'],
  rate: ['toomanyconn', 'speeding'],
  sender: ['rejected'],
  'not-permitted': ['rejected'],
  relay: ['norelaying'],
  tls: ['securityerror', 'failedstarttls'],
  'smtp-auth': ['securityerror'],
  security: ['securityerror'],
  syntax: ['syntaxerror'],
  recipient: ['userunknown', 'filtered'],
  'mailbox-full': ['mailboxfull'],
  'mailbox-disabled': ['suspend'],
  moved: ['hasmoved'],
  'recipient-filter': ['filtered'],
  'recipient-rate': ['speeding', 'toomanyconn'],
  'recipient-domain': ['hostunknown', 'notaccept', 'networkerror'],
  'recipient-server': ['systemerror', 'systemfull', 'mailererror'],
  spam: ['spamdetected'],
  virus: ['virusdetected'],
  policy: ['policyviolation', 'contenterror', 'notcompliantrfc'],
  size: ['mesgtoobig', 'exceedlimit', 'emailtoolarge'],
  expired: ['expired'],
  network: ['networkerror'],
  other: ['onhold', 'undefined'],
  delivered: ['delivered'],
  'auto-reply': ['vacation'],
  'feedback-report': ['feedback'],
};

/** Reasons whose fix is on the sending side. */
const SENDER_REASONS = new Set(['blocked', 'requireptr', 'authfailure', 'badreputation', 'rejected', 'norelaying', 'securityerror', 'toomanyconn', 'syntaxerror', 'failedstarttls']);
/** Reasons about the message itself. */
const CONTENT_REASONS = new Set(['spamdetected', 'virusdetected', 'contenterror', 'notcompliantrfc', 'policyviolation', 'mesgtoobig', 'exceedlimit', 'emailtoolarge']);
/** Reasons the done-when thresholds name: each must get the right check with the values the text names. */
export const TARGET_REASONS = ['blocked', 'requireptr', 'authfailure', 'badreputation', 'rejected', 'norelaying'];
/** Reasons that must never blame the sender's server. */
const NEVER_SENDER = new Set(['delivered', 'feedback', 'vacation', 'userunknown', 'mailboxfull', 'suspend', 'hasmoved', 'filtered', 'hostunknown', 'notaccept', ...CONTENT_REASONS]);

/** The checks that answer each reason the tool exists for. */
const CHECKS: Record<string, SuggestedCheck['check'][]> = {
  requireptr: ['rdns'],
  blocked: ['dnsbl', 'rdns', 'helo', 'spf'],
  authfailure: ['spf', 'dmarc', 'dkim'],
  badreputation: ['dnsbl'],
  rejected: ['mx'],
  norelaying: ['mx'],
};
const DNS_CHECKS = new Set<SuggestedCheck['check']>(['helo', 'rdns', 'spf', 'dnsbl', 'mx', 'check', 'dmarc', 'dkim']);
const SENDER_CHECKS = new Set<SuggestedCheck['check']>(['helo', 'rdns', 'spf', 'dnsbl', 'check', 'dmarc', 'dkim']);
/** The value each check cannot run without. */
const NEEDS: Record<SuggestedCheck['check'], string[]> = { helo: ['helo'], rdns: ['ip'], dnsbl: ['ip'], spf: ['ip', 'domain'], mx: ['domain'], check: ['ip', 'helo', 'domain'], dmarc: ['domain'], dkim: ['domain'] };

/**
 * Development messages whose expected reason the text itself does not support, each checked against
 * the message and its sources. They stay counted as misses in the table; the notes say why the
 * explainer reads them otherwise.
 */
export const DISPUTED: Record<string, string> = {
  'lhost-v5sendmail-05.eml':
    'The receiver answered DATA with "550 … You cannot send E-Mail to yourself (<sender>)" and then closed the connection, so Sendmail\'s summary line says "Connection reset by peer during result wait"; Sisimai\'s blocked list contains the words "connection reset by peer". Nothing in the text names the client\'s IP or host name. Explained as the receiver\'s policy on this sender ("self-sent" mail); the checks it suggests are the sender domain\'s SPF (with the sending IP, which the text does not name), DKIM and DMARC, which let such mail through at receivers that accept self-sent mail when it is verified. So it counts as a right check for "blocked", not as recognised.',
  'rfc3464-35.eml':
    'RFC 3464\'s own example: "550 \'<recipient>\' is not a registered gateway user" names the recipient as unknown to the gateway. Explained as a recipient the receiver does not know.',
  'rhost-nttdocomo-02.eml':
    '"550 Unknown user <recipient>" after end of DATA: docomo once answered a recipient\'s reception filter this way; Sisimai\'s current NTTDOCOMO rule (go-sisimai issue 64: since March 2025) reads "550 Unknown user" as userunknown. Explained as an unknown recipient.',
  'lhost-mfilter-04.eml':
    '"550 5.4.1 All recipient addresses rejected : Access denied […prod.protection.outlook.com]" is Exchange Online\'s directory-based edge blocking: the recipient is not in the domain\'s directory (Microsoft: error code 5.4.1 in Exchange Online). Explained as recipient side.',
};

export interface MessageScore {
  file: string;
  reason: string;
  kind: string;
  category: string;
  side: string;
  recognised: boolean;
  rightSide: boolean;
  /** undefined: not applicable to this reason. */
  rightCheck?: boolean;
  value?: boolean;
  suggestions: string[];
  reply: string;
}

function publicIps(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?<![\w.:])((?:\d{1,3}\.){3}\d{1,3})(?![\w]|\.\d)/g)) {
    const p = parseIp(m[1]);
    if (!p.ok) continue;
    const sp = specialPurpose(p.ip);
    if (sp && /Private|Loopback|Link|Shared|Unique-Local|This host/i.test(sp.name)) continue;
    if (!out.includes(p.ip)) out.push(p.ip);
  }
  return out;
}

function score(file: string, reason: string, raw: string, r: BounceExplanation): MessageScore {
  const first: RecipientVerdict | undefined = r.recipients[0];
  const category = r.messageKind === 'delivered' || r.messageKind === 'auto-reply' || r.messageKind === 'feedback-report' ? r.messageKind : (first?.category ?? 'other');
  const side = first?.side ?? 'unknown';
  const recognised = (AGREE[category as keyof typeof AGREE] ?? []).includes(reason);
  const blames = side.startsWith('sender-');
  let rightSide = SENDER_REASONS.has(reason) ? blames : NEVER_SENDER.has(reason) || !SENDER_REASONS.has(reason) ? !blames : true;
  if (CONTENT_REASONS.has(reason)) rightSide = side === 'content';
  if (reason === 'onhold' || reason === 'undefined') rightSide = true;
  const suggestions = first?.suggestions ?? [];
  let rightCheck: boolean | undefined;
  let value: boolean | undefined;
  const lowRaw = raw.toLowerCase();
  // "rejected (sender domain)": the rejections of the sender's address; a group's posting rules are no DNS matter.
  const aboutSender = reason !== 'rejected' || /sender|mail from|domain|[45]\.1\.[78]/i.test(first?.reply ?? '');
  if (CHECKS[reason] && aboutSender) {
    const right = suggestions.find((s) => CHECKS[reason].includes(s.check));
    rightCheck = right !== undefined;
    if (right) {
      const needs = NEEDS[right.check];
      // "Wherever the text names one": a check on the sending IP where the receiver's reply names no public IP but its own is n/a.
      const replyIps = publicIps(first?.reply ?? '').filter((ip) => ip !== first?.remoteIp);
      if (needs.includes('ip') && replyIps.length === 0 && !right.args.ip) value = undefined;
      else value = needs.every((k) => right.args[k] !== undefined && lowRaw.includes(right.args[k].toLowerCase()));
    } else {
      const ipCheck = CHECKS[reason].every((c) => NEEDS[c].includes('ip'));
      const replyIps = publicIps(first?.reply ?? '').filter((ip) => ip !== first?.remoteIp);
      value = ipCheck && replyIps.length === 0 ? undefined : false;
    }
  } else if (CONTENT_REASONS.has(reason)) {
    rightCheck = !r.suggestions.some((s) => DNS_CHECKS.has(s.check));
  } else if (NEVER_SENDER.has(reason)) {
    rightCheck = !r.suggestions.some((s) => SENDER_CHECKS.has(s.check));
  }
  return {
    file,
    reason,
    kind: r.messageKind,
    category,
    side,
    recognised,
    rightSide,
    ...(rightCheck !== undefined ? { rightCheck } : {}),
    ...(value !== undefined ? { value } : {}),
    suggestions: suggestions.map((s) => s.cli),
    reply: (first?.reply ?? '').slice(0, 160),
  };
}

export interface CorpusScore {
  dir: string;
  messages: MessageScore[];
  /** Messages without an expected reason (not scored). */
  unscored: number;
}

export async function scoreCorpus(dir: string): Promise<CorpusScore> {
  const expected = JSON.parse(readFileSync(path.join(dir, 'expected-reasons.json'), 'utf8')) as Record<string, string[] | null>;
  const files = readdirSync(path.join(dir, 'dev')).filter((f) => f.endsWith('.eml')).sort();
  const messages: MessageScore[] = [];
  let unscored = 0;
  for (const file of files) {
    const reasons = expected[file];
    const raw = readFileSync(path.join(dir, 'dev', file), 'utf8');
    const r = await explainBounce(raw);
    if (!reasons || reasons.length === 0) {
      unscored++;
      continue;
    }
    messages.push(score(file, reasons[0], raw, r));
  }
  return { dir, messages, unscored };
}

const pct = (n: number, d: number) => (d === 0 ? '—' : `${n}/${d} (${Math.round((100 * n) / d)}%)`);

export function renderSection(s: CorpusScore, when = new Date().toISOString().slice(0, 10)): string[] {
  const reasons = [...new Set(s.messages.map((m) => m.reason))].sort((a, b) => {
    const ta = TARGET_REASONS.includes(a) ? 0 : 1;
    const tb = TARGET_REASONS.includes(b) ? 0 : 1;
    return ta - tb || s.messages.filter((m) => m.reason === b).length - s.messages.filter((m) => m.reason === a).length || a.localeCompare(b);
  });
  const row = (label: string, ms: MessageScore[]) => {
    const checks = ms.filter((m) => m.rightCheck !== undefined);
    const values = ms.filter((m) => m.value !== undefined);
    return `| ${label} | ${ms.length} | ${pct(ms.filter((m) => m.recognised).length, ms.length)} | ${pct(ms.filter((m) => m.rightSide).length, ms.length)} | ${pct(checks.filter((m) => m.rightCheck).length, checks.length)} | ${pct(values.filter((m) => m.value).length, values.length)} |`;
  };
  const lines = [
    '<!-- bounces:start -->',
    '## Bounce explainer on real bounces',
    '',
    `Written by \`npm run bench:bounces\` on ${when}: \`explainBounce\` over the development half of the real-bounce corpus (${s.messages.length + s.unscored} messages from Sisimai's set-of-emails; ${s.unscored} without an expected reason are not scored). The first recipient is scored against the reason Sisimai's tests expect. **recognised**: the cause agrees with the reason; **side**: the sender is blamed exactly when the reason is the sender's (content reasons: explained as content); **check**: the reason's check is suggested (content, recipient and non-bounce reasons: no DNS check at all); **value**: the check runs with every value it needs, each written in the bounce (counted where the receiver's reply names a value). The reasons the tool exists for come first.`,
    '',
    '| reason | messages | recognised | right side | right check | value extracted |',
    '|---|---|---|---|---|---|',
    ...reasons.map((reason) => row(TARGET_REASONS.includes(reason) ? `**${reason}**` : reason, s.messages.filter((m) => m.reason === reason))),
    row('**all**', s.messages),
    ...disputedNotes(s),
    '<!-- bounces:end -->',
  ];
  return lines;
}

/** The disputed expectations among the scored messages, as a list under the table. */
function disputedNotes(s: CorpusScore): string[] {
  const listed = s.messages.filter((m) => DISPUTED[m.file] !== undefined);
  if (listed.length === 0) return [];
  return ['', `Where the expected reason and the text disagree (${listed.length} messages, counted above as misses):`, '', ...listed.map((m) => `- \`${m.file}\` (expected: ${m.reason}): ${DISPUTED[m.file]}`)];
}

/** Replaces (or appends) the marked section in docs/benchmarks.md. */
export function writeSection(lines: string[], file = path.join(REPO_ROOT, 'docs', 'benchmarks.md')): void {
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  const section = lines.join('\n');
  const re = /<!-- bounces:start -->[\s\S]*?<!-- bounces:end -->/;
  writeFileSync(file, re.test(text) ? text.replace(re, section) : `${text.replace(/\n*$/, '\n\n')}${section}\n`);
}

async function main(): Promise<void> {
  const dir = bounceCorpusDir();
  if (!dir) throw new Error('no bounce corpus: set MAILDNS_CORPORA to the folder that holds bounces/expected-reasons.json');
  const s = await scoreCorpus(dir);
  const lines = renderSection(s);
  process.stdout.write(lines.join('\n') + '\n');
  if (process.argv.includes('--misses')) {
    for (const m of s.messages) {
      if (m.recognised && m.rightSide && m.rightCheck !== false && m.value !== false) continue;
      process.stdout.write(`${m.file} [${m.reason}] → ${m.kind}/${m.category}/${m.side} rec=${m.recognised} side=${m.rightSide} check=${m.rightCheck} value=${m.value} | ${m.suggestions.join(' ; ')} | ${m.reply}\n`);
    }
  }
  if (process.argv.includes('--write')) writeSection(lines);
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  });
}

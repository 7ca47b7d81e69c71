// The DMARC check as plain text for the terminal, and its one status.
import { terminalLines } from '../escape';
import { findingLines } from '../helo/text';
import type { Status } from '../model';
import { describeTag, TAGS, tagSource } from './tags';
import type { DmarcResult } from './types';

/**
 * pass: a policy that protects (quarantine/reject) and nothing to fix; warning: monitoring only, a
 * weakness, or DNS trouble (undecided); fail: no record, or records receivers cannot use.
 */
export function dmarcStatus(r: DmarcResult): Status {
  if (r.verdict === 'none' || r.verdict === 'broken' || r.findings.some((f) => f.severity === 'error' && !f.code.startsWith('dns-'))) return 'fail';
  if (r.verdict === 'temperror' || r.verdict === 'monitoring' || r.findings.some((f) => f.severity === 'warning' || f.severity === 'error')) return 'warning';
  return 'pass';
}

const VERDICT_WORDS: Record<DmarcResult['verdict'], string> = {
  enforcing: 'enforced',
  monitoring: 'monitoring only (p=none)',
  none: 'no DMARC policy',
  broken: 'broken: receivers apply no policy',
  temperror: 'could not be looked up (DNS trouble)',
};

export function dmarcVerdictWords(r: DmarcResult): string {
  return VERDICT_WORDS[r.verdict];
}

export function dmarcToText(r: DmarcResult): string {
  const out: string[] = [];
  out.push(`DMARC check for ${r.domain}${r.input ? ` (from ${r.input})` : ''}`);
  out.push(`  verdict: ${VERDICT_WORDS[r.verdict]}`);
  out.push(`  organizational domain: ${r.orgDomain} (Public Suffix List of ${r.psl.package} ${r.psl.version}, ${r.pslDate})`);
  if (r.record !== null) {
    out.push(`  record: _dmarc.${r.recordDomain} (${r.source === 'organizational' ? "the organizational domain's" : 'its own'})`);
    out.push(`    ${r.record}`);
  }
  if (r.applied) out.push(`  applies to ${r.domain}: ${r.applied.tag}=${r.applied.value} (${r.applied.why})`);
  if (r.parsed) {
    out.push('');
    out.push('Tags:');
    for (const t of r.parsed.tags) {
      const info = TAGS[t.name];
      out.push(`  ${t.text}`);
      out.push(`      ${describeTag(t, r.parsed.policy)}${info ? ` [${tagSource(info)}]` : ''}`);
    }
  }
  if (r.reports.length > 0) {
    out.push('');
    out.push('Report addresses:');
    for (const a of r.reports) {
      const how = a.status === 'internal' ? 'in the domain itself' : a.status === 'authorized' ? `external, authorized by ${a.name}` : a.status === 'not-authorized' ? `external, NOT authorized (no v=DMARC1 at ${a.name})` : a.status === 'temperror' ? `external, authorization lookup failed (${a.name})` : 'external, not checked';
      out.push(`  ${a.uris.join(', ')}  (${a.tags.join(', ')}) ${how}`);
    }
  }
  if (r.findings.length > 0) {
    out.push('');
    out.push('Findings:');
    findingLines(r.findings, out);
  }
  out.push('');
  out.push(`Asked ${r.resolvers.join(', ') || 'the system resolver'} in ${r.elapsedMs} ms.  Reproduce: ${r.lookups[0]?.dig ?? ''}`);
  return terminalLines(out);
}

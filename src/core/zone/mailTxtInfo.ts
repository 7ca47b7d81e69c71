// What an editor says about DMARC and DKIM records inside a zone file, as plain text: the tag under
// the cursor with its meaning and the section that defines it (hovers), and one line over each
// record (the lens): the policy and whether the zones hold aligned SPF and DKIM, or the key's type
// and size. The words come from the DMARC and DKIM cores (dmarc/tags.ts, dkim/key.ts).
import { DKIM_KEY_TAGS } from '../dkim/key';
import { effectivePolicy } from '../dmarc/policy';
import { describeTag, TAGS, tagSource } from '../dmarc/tags';
import type { DmarcTag } from '../dmarc/types';
import { type DkimSource, dkimSourcesIn } from './dkimLint';
import { alignmentFacts, type DmarcSource, dmarcRecordOf, dmarcSourcesIn } from './dmarcLint';
import { rangeOf, rdataRange } from './mailTxt';
import { bare } from './names';
import type { ZoneIndex } from './zoneIndex';

export interface MailTagInfo {
  /** The tag as written (`p=reject`), or the record's version tag for the record as a whole. */
  text: string;
  /** What it is: `DMARC tag "p": Policy for the domain`. */
  what: string;
  /** What it does, with the value it has, in plain words. */
  meaning: string;
  /** `RFC 7489 §6.3` and its link. */
  section: string;
  link: string;
  notes: string[];
}

export interface MailTxtHit {
  kind: 'dmarc' | 'dkim';
  start: number;
  end: number;
  info: MailTagInfo;
}

const RFC_LINK = (rfc: string, section: string) => `https://www.rfc-editor.org/rfc/rfc${rfc}${section ? `#section-${section}` : ''}`;

/** `RFC 6376 §3.6.1` → its link. */
function linkOf(ref: string): string {
  const m = /RFC (\d+)(?: §([\d.]+))?/.exec(ref);
  return m ? RFC_LINK(m[1], m[2] ?? '') : 'https://www.rfc-editor.org/rfc/rfc6376';
}

/** The DMARC or DKIM tag at an offset of a file (for hovers), with its range in the file. */
export function mailTxtInfoAt(index: ZoneIndex, file: string, offset: number): MailTxtHit | undefined {
  for (const s of dmarcSourcesIn(index, file)) {
    const [a, b] = rdataRange(s.record);
    if (s.record.generated || offset < a || offset > b) continue;
    for (const tag of s.parsed.tags) {
      const [start, end] = rangeOf(s, tag.start, tag.end);
      if (offset >= start && offset <= end) return { kind: 'dmarc', start, end, info: dmarcTagInfo(s, tag, index) };
    }
    return undefined;
  }
  for (const s of dkimSourcesIn(index, file)) {
    const [a, b] = rdataRange(s.record);
    if (s.record.generated || offset < a || offset > b) continue;
    for (const tag of s.parsed.tags) {
      const [start, end] = rangeOf(s, tag.nameStart, tag.valueEnd > tag.nameStart ? tag.valueEnd : tag.nameEnd);
      if (offset >= start && offset <= end) return { kind: 'dkim', start, end, info: dkimTagInfo(s, tag.name) };
    }
    return undefined;
  }
  return undefined;
}

export function dmarcTagInfo(s: DmarcSource, tag: DmarcTag, index: ZoneIndex): MailTagInfo {
  const known = TAGS[tag.name];
  const policy = effectivePolicy(s.parsed) ?? s.parsed.policy;
  const notes = s.parsed.problems.filter((p) => p.start >= tag.start && p.end <= tag.end && p.start < tag.end).map((p) => p.message);
  if (known?.default !== undefined) notes.push(`Default when not written: ${known.default}.`);
  if (tag.name === 'v' || tag.name === 'p') {
    const lens = dmarcLensText(s, index);
    notes.push(lens.tooltip);
  }
  return {
    text: tag.text,
    what: known ? `DMARC tag "${tag.name}": ${known.title}` : `"${tag.name}": not a DMARC tag`,
    meaning: `${describeTag(tag, policy)}${known ? ` ${known.meaning}` : ''}`,
    section: known ? tagSource(known) : 'RFC 7489 §6.3',
    link: known ? known.href : RFC_LINK('7489', '6.3'),
    notes,
  };
}

/** What a DKIM key tag says with the value it has. */
function dkimMeaning(s: DkimSource, name: string, value: string): string {
  const p = s.parsed;
  switch (name) {
    case 'v':
      return 'This is a DKIM key record (version DKIM1).';
    case 'k':
      return value === 'ed25519' ? 'An Ed25519 key (RFC 8463): 32 octets, as strong as a 3072-bit RSA key; not every verifier knows it yet, so sign with an RSA key too.' : value === 'rsa' ? 'An RSA key.' : `"${value}" is no key type verifiers know.`;
    case 'p':
      if (p.revoked) return 'Empty: the key is revoked, and every signature made with it fails.';
      if (p.key.type) return `The public key: ${p.key.type}, ${p.key.bits} bits${p.key.type === 'rsa' ? (p.key.bits! < 1024 ? ' (too small: verifiers refuse it)' : p.key.bits! < 2048 ? ' (verifies; 2048 is recommended)' : ' (good)') : ''}.`;
      return 'The public key, base64; it does not decode as a key.';
    case 't': {
      const words = p.flags.map((f) => (f === 'y' ? 'y: the domain is testing DKIM' : f === 's' ? 's: i= must be in exactly this domain' : `${f}: unknown, ignored`));
      return `Flags — ${words.join('; ') || 'none'}.`;
    }
    case 'h':
      return `Signatures may use ${p.hashes?.join(', ') || 'no hash verifiers know'}.`;
    case 's':
      return p.services.includes('*') || p.services.includes('email') ? 'The key may sign email.' : 'The key is not for email: verifiers refuse it for mail.';
    case 'n':
      return 'Notes for people reading the record; verifiers ignore them.';
  }
  return `"${name}" is not a key tag: verifiers ignore it.`;
}

export function dkimTagInfo(s: DkimSource, name: string): MailTagInfo {
  const tag = s.parsed.tags.find((t) => t.name === name);
  const known = DKIM_KEY_TAGS[name];
  const section = known?.section ?? 'RFC 6376 §3.6.1';
  const notes = tag ? s.parsed.problems.filter((p) => p.start >= tag.nameStart && p.end <= tag.specEnd).map((p) => p.message) : [];
  if (name === 'v' || name === 'p') notes.push(`Verifiers find this key for signatures with d=${bare(s.domain)}; s=${s.selector} (RFC 6376 §3.6.2.1).`);
  const shown = tag ? (name === 'p' && tag.value.length > 48 ? `p=${tag.value.slice(0, 40)}… (${tag.value.length} characters)` : `${name}=${tag.value}`) : name;
  return {
    text: shown,
    what: known ? `DKIM key tag "${name}": ${known.title}` : `"${name}": not a DKIM key tag`,
    meaning: dkimMeaning(s, name, tag?.value ?? ''),
    section,
    link: linkOf(section),
    notes,
  };
}

/** "DMARC: p=reject, sp=quarantine · SPF ✓ DKIM ✓ in the zones" over a DMARC record. */
export function dmarcLensText(s: DmarcSource, index: ZoneIndex): { title: string; tooltip: string } {
  const d = bare(s.domain);
  if (s.via !== undefined) {
    const p = effectivePolicy(s.parsed)?.p;
    return {
      title: `DMARC for ${d}, through the CNAME at ${bare(s.via)}: ${s.parsed.isDmarc && p ? `p=${p}` : 'not a usable DMARC record'}`,
      tooltip: `Receivers that look up ${bare(s.via)} follow its CNAME to this record and apply it to ${d} (RFC 7489 §6.6.3). Other names may point here too.`,
    };
  }
  if (!s.parsed.isDmarc) return { title: 'DMARC: ignored (v=DMARC1 is not the first tag)', tooltip: `Receivers discard a TXT record at _dmarc.${d} that does not start with v=DMARC1 (RFC 7489 §6.6.3).` };
  if (!dmarcRecordOf(index, s.domain)) return { title: 'DMARC: several records here, receivers apply none', tooltip: `With more than one DMARC record at _dmarc.${d}, receivers apply no policy (RFC 7489 §6.6.3 step 5).` };
  const policy = effectivePolicy(s.parsed);
  if (!policy?.p) return { title: 'DMARC: unusable, receivers apply no policy', tooltip: 'No valid p= and no valid rua= (RFC 7489 §6.6.3 step 6).' };
  const parts = [`p=${policy.p}${s.parsed.usable ? '' : ' (no valid p=; receivers act as p=none)'}`];
  if (policy.sp) parts.push(`sp=${policy.sp}`);
  if (policy.np) parts.push(`np=${policy.np}`);
  if (policy.pct < 100) parts.push(`pct=${policy.pct}`);
  const facts = alignmentFacts(s, policy, index);
  const lines = [`Policy of ${d}: ${parts.join(', ')}; subdomains without their own record get ${policy.sp ?? policy.p}${policy.np ? `, non-existent ones ${policy.np}` : ''}.`];
  let aligned = '';
  if (facts.spf !== null && facts.dkim !== null) {
    aligned = ` · SPF ${facts.spf.length > 0 ? '✓' : '✗'} DKIM ${facts.dkim.length > 0 ? '✓' : '✗'} in the zones`;
    const spfNames = [...new Set(facts.spf.map((x) => bare(x.record.owner)))];
    const keys = facts.dkim.map((k) => `${k.selector}._domainkey.${bare(k.domain)}${k.record.type === 'CNAME' ? ' (CNAME)' : ''}`);
    lines.push(`SPF that can align (aspf=${policy.aspf}): ${spfNames.length > 0 ? spfNames.join(', ') : 'none in the zones'}.`);
    lines.push(`DKIM keys that can align (adkim=${policy.adkim}): ${keys.length > 0 ? keys.join(', ') : 'none in the zones'}.`);
  } else {
    lines.push(`The zone of ${d} or of _domainkey.${d} is not in the workspace: alignment is not checked here.`);
  }
  return { title: `DMARC: ${parts.join(', ')}${aligned}`, tooltip: lines.join('\n') };
}

/** "DKIM key s1: rsa, 2048 bits" over a key record. */
export function dkimLensText(s: DkimSource): { title: string; tooltip: string } {
  const p = s.parsed;
  let what: string;
  if (p.revoked) what = 'revoked (empty p=)';
  else if (!p.usable || p.key.type === null) what = `unusable (${p.problems.find((x) => x.severity === 'error')?.code ?? 'no key'})`;
  else what = `${p.key.type}, ${p.key.bits} bits${p.testing ? ', testing (t=y)' : ''}`;
  return { title: `DKIM key ${s.selector}: ${what}`, tooltip: `Signatures with d=${bare(s.domain)}; s=${s.selector} are verified with this record (RFC 6376 §3.6.2.1).` };
}

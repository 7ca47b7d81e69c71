// "Check DKIM key" as a report document: the key record at <selector>._domainkey.<domain>, every
// tag with what it means, the key's type and size, and — without a selector — every common selector
// tried. Record text and tag values come from DNS: they stay text.
import { dkimStatus, keyLabel, lookupOutcome, selectorUsers, tagMeaning, tagValueShown } from '../dkim/text';
import type { DkimKeyResult } from '../dkim/types';
import type { Cell, ReportDoc, Section } from './doc';
import { docFindings, footerLine } from './mailParts';
import { receiverRowsOfDkimKey } from '../receivers/dkimDmarcPartial';
import { receiverSections } from './receiversDoc';

export { dkimStatus };

function verdict(r: DkimKeyResult): ReportDoc['verdict'] {
  const label = 'DKIM key';
  if (r.record === null) {
    if (r.selector === null) {
      return {
        label,
        value: 'not found under the common selectors',
        explanation: `None of the ${r.lookups.length} common selectors has a key at ${r.domain}. DKIM selectors cannot be listed from DNS: the s= tag of a DKIM-Signature in a message from ${r.domain} names the one it uses — check that one.`,
      };
    }
    const l = r.lookups[0];
    const trouble = l.rcode !== 'NOERROR' && l.rcode !== 'NXDOMAIN';
    return {
      label,
      value: trouble ? 'could not be looked up' : 'none',
      explanation: trouble ? `The TXT query for ${r.name} failed (${l.rcode}): receivers retry later.` : `There is no key at ${r.name}: every signature with selector ${r.selector} fails (permerror, no key).`,
    };
  }
  if (r.revoked) return { label, value: 'revoked', explanation: `${r.name} has an empty p=: the key is revoked, and every signature made with it fails.` };
  const errors = r.findings.filter((f) => f.severity === 'error' && !f.code.startsWith('dns-'));
  if (r.key.type === null || errors.length > 0) {
    return { label, value: r.key.type === null ? 'unusable' : `${keyLabel(r)}, with errors`, explanation: errors[0]?.message ?? 'The record does not hold a key verifiers can use.' };
  }
  return {
    label,
    value: keyLabel(r),
    explanation: `${r.name} publishes ${r.key.type === 'rsa' ? 'an RSA' : r.key.type === 'ed25519' ? 'an Ed25519' : `a ${r.key.type}`} key${r.key.bits !== null ? ` of ${r.key.bits} bits` : ''}${r.testing ? ' in testing mode (t=y)' : ''}${r.cnames.length > 0 ? `, delegated by CNAME to ${r.cnames[r.cnames.length - 1].target}` : ''}: signatures made with its private key can verify.`,
  };
}

export function dkimToReport(r: DkimKeyResult): ReportDoc {
  const shown = r.lookups.find((l) => l.name === r.name);
  const sections: Section[] = [];
  if (r.selector === null) {
    sections.push({
      type: 'table',
      title: 'Selectors tried',
      columns: ['Selector', 'Used by', 'Result'],
      rows: r.lookups.map((l): Cell[] => [
        { text: l.selector, mono: true },
        selectorUsers(l.selector),
        { text: lookupOutcome(l), status: l.records.length > 0 ? (l.parsed?.usable ? 'pass' : 'fail') : l.rcode === 'NOERROR' || l.rcode === 'NXDOMAIN' ? 'info' : 'warning' },
      ]),
    });
    sections.push({
      type: 'text',
      title: 'Why selectors are guessed',
      paragraphs: [
        'A DKIM key lives at <selector>._domainkey.<domain>, and DNS has no way to list the names under _domainkey: zone transfers are refused, and walking a DNSSEC-signed zone works only on some. So a checker can only try the selectors mail services use by default.',
        `The selector a domain really uses is in the s= tag of the DKIM-Signature header of a message it sent (with d=${r.domain}), or in the signer's settings. Check that selector by name.`,
      ],
    });
  }
  const tags = shown?.parsed?.tags ?? [];
  if (r.record !== null) {
    sections.push({
      type: 'table',
      title: 'Tags',
      columns: ['Tag', 'Value', 'Meaning'],
      rows: tags.map((t): Cell[] => [{ text: t.name, mono: true }, { text: tagValueShown(t), mono: true }, tagMeaning(t.name)]),
      empty: 'The record holds no tags.',
    });
  }
  sections.push(...receiverSections(receiverRowsOfDkimKey(r), true));
  const summary =
    r.record === null
      ? r.selector === null
        ? `no key under ${r.lookups.length} common selectors`
        : `no key (${shown?.rcode ?? ''})`
      : `${r.selector === null ? `${r.found.join(', ')} · ` : ''}${keyLabel(r)}${r.testing ? ' · testing' : ''}`;
  return {
    kind: r.kind,
    title: 'DKIM key',
    shortTitle: 'DKIM',
    subject: r.selector !== null ? r.name : `${r.domain} (common selectors)`,
    status: dkimStatus(r),
    summary,
    verdict: verdict(r),
    facts: [
      { label: 'Name', value: r.name, mono: true },
      ...(r.cnames.length > 0 ? [{ label: 'Delegated by CNAME to', value: r.cnames.map((c) => c.target).join(' → '), mono: true }] : []),
      { label: 'Record', value: r.record ?? '', mono: true },
      { label: 'Key', value: keyLabel(r) },
      { label: 'Testing (t=y)', value: r.testing ? 'yes' : 'no' },
      ...(r.selector === null ? [{ label: 'Selectors with a key', value: r.found.join(', ') }] : []),
      ...(shown ? [{ label: 'Reproduce', value: shown.dig, mono: true }] : []),
    ],
    sections,
    findings: docFindings(r.findings),
    footer: footerLine(r.resolvers, r.startedAt, r.elapsedMs),
  };
}

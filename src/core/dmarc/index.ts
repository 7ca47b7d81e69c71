// The DMARC core, for the commands and for the features built on it (the message verifier, zone-file
// DMARC, the mail-server rows): docs/modules.md "DMARC" says what each piece is for.
export { checkDmarc, type DmarcOptions, InputError } from './check';
export { alignmentOf, type AlignmentCheck, type DmarcAuthInput, type DmarcEvalResult, type DmarcEvaluation, evaluateDmarc } from './evaluate';
export { dmarcInputProblem, dmarcTarget, dmarcTargetInText } from './input';
export { applyReplacement, defaultPolicy, isDmarcRecord, parseDmarc, tagAt, type DmarcParseStats } from './parse';
export { appliedPolicy, effectivePolicy, NEXT_STEPS, policyFromRecord, starterRecord, txtRecord } from './policy';
export { organizationalDomain, PSL, sameOrganization } from './psl';
export { describeTag, dmarcRef, KNOWN_TAGS, POLICY_MEANING, TAGS, tagSource, type TagInfo, weaker } from './tags';
export type * from './types';

// Every fuzz target, in the order the runner runs them.
import { bounceTarget } from './bounce';
import { checksTarget } from './checks';
import { dkimKeyTarget, dkimMessageTarget } from './dkim';
import { dmarcTarget } from './dmarc';
import { dnsDecodeTarget, dnsTarget } from './dns';
import type { Target } from './harness';
import { inputsTarget } from './inputs';
import { smtpProbeTarget, smtpReplyTarget } from './smtp';
import { spfTarget } from './spf';
import { zoneFloodTarget, zoneIncrementalTarget, zoneTarget } from './zone';

// Each target has its own input type; the runner and the slice only pass inputs back to the target
// that made them.
export const TARGETS: Target<never>[] = [
  spfTarget,
  dmarcTarget,
  inputsTarget,
  zoneTarget,
  zoneIncrementalTarget,
  zoneFloodTarget,
  bounceTarget,
  checksTarget,
  dnsDecodeTarget,
  dnsTarget,
  smtpReplyTarget,
  smtpProbeTarget,
  dkimKeyTarget,
  dkimMessageTarget,
] as unknown as Target<never>[];

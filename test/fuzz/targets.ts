// Every fuzz target, in the order the runner runs them.
import { bounceTarget } from './bounce';
import { checksTarget } from './checks';
import { dkimKeyTarget, dkimMessageTarget } from './dkim';
import { dmarcTarget } from './dmarc';
import { dnsDecodeTarget, dnsTarget } from './dns';
import type { Target } from './harness';
import { inputsTarget } from './inputs';
import { serverConfigTarget } from './serverConfig';
import { smtpProbeTarget, smtpReplyTarget } from './smtp';
import { spfTarget } from './spf';
import { verifyTarget } from './verify';
import { zoneFloodTarget, zoneIncrementalTarget, zoneTarget } from './zone';
import { zoneMailTarget } from './zoneMail';

// Each target has its own input type; the runner and the slice only pass inputs back to the target
// that made them.
export const TARGETS: Target<never>[] = [
  spfTarget,
  dmarcTarget,
  inputsTarget,
  zoneTarget,
  zoneIncrementalTarget,
  zoneFloodTarget,
  zoneMailTarget,
  serverConfigTarget,
  bounceTarget,
  checksTarget,
  dnsDecodeTarget,
  dnsTarget,
  smtpReplyTarget,
  smtpProbeTarget,
  dkimKeyTarget,
  dkimMessageTarget,
  verifyTarget,
] as unknown as Target<never>[];

// Every fuzz target, in the order the runner runs them.
import { bounceTarget } from './bounce';
import { checksTarget } from './checks';
import { dnsDecodeTarget, dnsTarget } from './dns';
import type { Target } from './harness';
import { smtpProbeTarget, smtpReplyTarget } from './smtp';
import { inputsTarget } from './inputs';
import { spfTarget } from './spf';
import { zoneFloodTarget, zoneIncrementalTarget, zoneTarget } from './zone';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const TARGETS: Target<any>[] = [spfTarget, inputsTarget, zoneTarget, zoneIncrementalTarget, zoneFloodTarget, bounceTarget, checksTarget, dnsDecodeTarget, dnsTarget, smtpReplyTarget, smtpProbeTarget];

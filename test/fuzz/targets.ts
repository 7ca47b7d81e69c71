// Every fuzz target, in the order the runner runs them.
import { bounceTarget } from './bounce';
import type { Target } from './harness';
import { spfTarget } from './spf';
import { zoneIncrementalTarget, zoneTarget } from './zone';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const TARGETS: Target<any>[] = [spfTarget, zoneTarget, zoneIncrementalTarget, bounceTarget];

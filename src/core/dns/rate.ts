// A rate limit on the questions a client asks: a decorator around any Resolver, like withBudget.
//
// Each question takes the next free slot on a schedule of `perSecond` slots a second and waits for
// it; a short burst (`burst` slots) may go at once after an idle spell. Used by the address-range
// audit, which can ask tens of thousands of questions a minute: against a shared resolver, or the
// authoritative servers behind it, that is a flood unless the user asks for it.
import { abortError, type DnsResponse, type LookupResult, type QueryOptions, type RecordType, type Resolver } from './types';

export interface RateClock {
  now(): number;
  /** Waits `ms` (or rejects on abort). Tests pass one that records the waits and returns at once. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const SYSTEM_CLOCK: RateClock = {
  now: () => performance.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(abortError(signal));
      const onAbort = () => {
        clearTimeout(timer);
        reject(abortError(signal));
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

/** The schedule: `take()` is how long the caller must wait for its slot, in ms (0: go now). */
export class RateSchedule {
  private nextSlot = -Infinity;
  private readonly interval: number;

  constructor(
    perSecond: number,
    private readonly burst: number,
    private readonly clock: Pick<RateClock, 'now'>,
  ) {
    this.interval = 1000 / perSecond;
  }

  take(): number {
    const now = this.clock.now();
    // After an idle spell up to `burst` slots are in hand, no more: the schedule never lags far behind now.
    const earliest = now - (this.burst - 1) * this.interval;
    const slot = Math.max(this.nextSlot, earliest);
    this.nextSlot = slot + this.interval;
    return Math.max(0, slot - now);
  }
}

/**
 * The resolver with at most `perSecond` questions a second (`query` and `lookup` calls, cache hits
 * included: the limit is on what the caller asks, so it holds whatever the cache holds). 0 or less:
 * no limit.
 */
export function withRate(inner: Resolver, perSecond: number, options: { burst?: number; clock?: RateClock } = {}): Resolver {
  if (!(perSecond > 0)) return inner;
  const clock = options.clock ?? SYSTEM_CLOCK;
  const schedule = new RateSchedule(perSecond, Math.max(1, options.burst ?? Math.ceil(perSecond / 10)), clock);
  const wait = async (o: QueryOptions | undefined) => {
    const ms = schedule.take();
    if (ms > 0) await clock.sleep(ms, o?.signal);
  };
  return {
    query: async (name: string, type: RecordType, o?: QueryOptions): Promise<DnsResponse> => {
      await wait(o);
      return inner.query(name, type, o);
    },
    lookup: async (name: string, type: RecordType, o?: QueryOptions): Promise<LookupResult> => {
      await wait(o);
      return inner.lookup(name, type, o);
    },
    servers: () => inner.servers(),
    dig: (name: string, type: RecordType) => inner.dig(name, type),
  };
}

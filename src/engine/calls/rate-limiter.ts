import { sleep as defaultSleep } from '../../lib/sleep.ts'

/** Spaces a connection's calls to the provider's budget. Shared by every call of the connection. */
export interface RateLimiter {
  /** Resolves when the caller may send one request; rejects with the signal's reason on abort. */
  acquire(signal?: AbortSignal): Promise<void>
  /** Holds every caller back for `ms` (a provider answered 429). */
  pauseFor(ms: number): void
}

export interface TokenBucketOptions {
  /** Sustained calls per second; 0 = unlimited (pauses still apply). */
  readonly ratePerSec: number
  /** Calls that may go at once after an idle spell. 1 spaces every call evenly. */
  readonly burst?: number
  /** Monotonic clock in ms. */
  readonly now?: () => number
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>
}

/**
 * A token bucket kept as the generic cell rate algorithm: one number, the theoretical arrival time
 * of the next call, is advanced by one interval per call. Each caller reserves its slot when it
 * asks, then sleeps exactly until it, so back-to-back callers run at the full rate without polling.
 * With the default burst of 1 calls leave evenly spaced, so a provider-side bucket of the same
 * rate never has to answer 429.
 */
export function createTokenBucket(options: TokenBucketOptions): RateLimiter {
  const now = options.now ?? (() => performance.now())
  const sleep = options.sleep ?? defaultSleep
  const burst = Math.max(1, Math.floor(options.burst ?? 1))
  const interval = options.ratePerSec > 0 ? 1000 / options.ratePerSec : 0
  const tolerance = (burst - 1) * interval
  let nextArrival = Number.NEGATIVE_INFINITY
  let pausedUntil = Number.NEGATIVE_INFINITY

  /** Takes the earliest free slot and returns it; later callers queue behind it. */
  function reserve(at: number): number {
    const slot = Math.max(at, nextArrival - tolerance, pausedUntil)
    nextArrival = Math.max(nextArrival, slot) + interval
    return slot
  }

  return {
    async acquire(signal) {
      signal?.throwIfAborted()
      for (;;) {
        const at = now()
        const slot = reserve(at)
        if (slot > at) await sleep(slot - at, signal)
        // A 429 that arrived while we slept pauses us too: take a slot after the pause.
        if (pausedUntil <= now()) return
      }
    },
    pauseFor(ms) {
      pausedUntil = Math.max(pausedUntil, now() + Math.max(0, ms))
    },
  }
}

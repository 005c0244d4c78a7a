/**
 * Exponential backoff with full jitter (AWS architecture blog): a random delay in
 * [0, min(capMs, baseMs * 2^attempt)). `attempt` counts from 0. `random` is injectable for tests.
 */
export function fullJitterDelayMs(attempt: number, baseMs: number, capMs: number, random = Math.random): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt))
  return Math.floor(random() * ceiling)
}

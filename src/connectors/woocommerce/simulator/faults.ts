import type { WooError } from '../types.ts'
import { Rng, STREAMS } from './random.ts'

/**
 * The bad days a real store has, on demand: slow answers, 500s, requests that never answer, and
 * a host's rate limit (core WooCommerce has none, providers.md §2.3; the 429 shape is the project
 * contract). Decisions draw from a seeded stream, so a run with the same seed and the same request
 * sequence meets the same faults.
 */

export interface FaultSettings {
  latencyMs: number
  errorRate: number
  timeoutRate: number
  /** Requests per second; 0 = no limit. */
  rateLimit: number
}

export type FaultVerdict =
  | { readonly kind: 'serve' }
  | { readonly kind: 'rate_limited'; readonly retryAfterSec: number }
  | { readonly kind: 'error' }
  | { readonly kind: 'timeout' }

/** What WordPress answers a REST request that died in a fatal error. */
export const INTERNAL_ERROR: WooError & { additional_errors: [] } = {
  code: 'internal_server_error',
  message:
    '<p>There has been a critical error on this website.</p><p><a href="https://wordpress.org/documentation/article/faq-troubleshooting/">Learn more about troubleshooting WordPress.</a></p>',
  data: { status: 500 },
  additional_errors: [],
}

export function rateLimitedError(retryAfterSec: number): WooError {
  return {
    code: 'rate_limited',
    message: `Too many requests. Try again in ${retryAfterSec} second${retryAfterSec === 1 ? '' : 's'}.`,
    data: { status: 429 },
  }
}

export class Faults {
  readonly #settings: FaultSettings
  readonly #rng: Rng
  readonly #nowMs: () => number
  #tokens: number
  #refilledAtMs: number

  constructor(settings: FaultSettings, seed: number, nowMs: () => number = () => performance.now()) {
    this.#settings = { ...settings }
    this.#rng = Rng.of(seed, 0, STREAMS.faults)
    this.#nowMs = nowMs
    this.#tokens = settings.rateLimit
    this.#refilledAtMs = nowMs()
  }

  get latencyMs(): number {
    return this.#settings.latencyMs
  }

  update(changes: Partial<FaultSettings>): void {
    const rateChanged = changes.rateLimit !== undefined && changes.rateLimit !== this.#settings.rateLimit
    Object.assign(this.#settings, definedOnly(changes))
    if (rateChanged) {
      this.#tokens = this.#settings.rateLimit
      this.#refilledAtMs = this.#nowMs()
    }
  }

  /** Decides the fate of one incoming request. The rate limit comes first: a host's proxy answers it. */
  judge(): FaultVerdict {
    const { rateLimit, errorRate, timeoutRate } = this.#settings
    if (rateLimit > 0) {
      const nowMs = this.#nowMs()
      // Token bucket: capacity = rateLimit, refilled at rateLimit per second.
      this.#tokens = Math.min(rateLimit, this.#tokens + ((nowMs - this.#refilledAtMs) / 1000) * rateLimit)
      this.#refilledAtMs = nowMs
      if (this.#tokens < 1) {
        return { kind: 'rate_limited', retryAfterSec: Math.max(1, Math.ceil((1 - this.#tokens) / rateLimit)) }
      }
      this.#tokens -= 1
    }
    if (timeoutRate > 0 && this.#rng.next() < timeoutRate) return { kind: 'timeout' }
    if (errorRate > 0 && this.#rng.next() < errorRate) return { kind: 'error' }
    return { kind: 'serve' }
  }
}

function definedOnly<T extends object>(changes: T): Partial<T> {
  return Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)) as Partial<T>
}

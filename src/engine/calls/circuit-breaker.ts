import { ProviderError } from '../../domain/errors.ts'
import { formatDuration } from '../../lib/duration.ts'

export type BreakerState = 'closed' | 'open' | 'half_open'

/**
 * Stops calling a provider that keeps failing. Counts calls that gave up (after their retries) on a
 * failure another attempt might fix; a provider that answers at all, even 4xx, is reachable.
 */
export interface CircuitBreaker {
  /** closed = calls flow; open = calls fail at once until the cooldown ends; half_open = trial calls. */
  state(): BreakerState
  /** Throws a retryable ProviderError `provider_unavailable` while open. */
  beforeCall(provider?: string): void
  /** A call got an answer: closes the circuit and resets the failure count. */
  onSuccess(): void
  /** A call gave up: counts toward opening, and reopens a half-open circuit at once. */
  onFailure(): void
  /** What the status pages show. */
  snapshot(): BreakerSnapshot
}

export interface BreakerSnapshot {
  readonly state: BreakerState
  readonly consecutiveFailures: number
  /** When an open circuit lets a trial call through; null unless open. */
  readonly retryAt: string | null
}

export interface CircuitBreakerOptions {
  /** Consecutive calls that gave up before the circuit opens. */
  readonly failureThreshold?: number
  readonly cooldownMs?: number
  /** Wall clock in ms (the retry time is shown to people). */
  readonly now?: () => number
}

export function createCircuitBreaker(options: CircuitBreakerOptions = {}): CircuitBreaker {
  const threshold = Math.max(1, options.failureThreshold ?? 5)
  const cooldownMs = options.cooldownMs ?? 60_000
  const now = options.now ?? Date.now
  let failures = 0
  let openedAt: number | null = null

  const state = (): BreakerState => {
    if (openedAt === null) return 'closed'
    return now() >= openedAt + cooldownMs ? 'half_open' : 'open'
  }

  return {
    state,
    beforeCall(provider = 'the provider') {
      if (state() !== 'open') return
      const retryAt = openedAt! + cooldownMs
      const waitMs = Math.max(0, retryAt - now())
      throw new ProviderError(
        'provider_unavailable',
        `circuit open after ${failures} consecutive failures; retrying after ${new Date(retryAt).toISOString()} (in ${formatDuration(waitMs)}) — ${provider} kept failing, so calls are paused`,
        {
          provider,
          retryable: true,
          retryAfterMs: waitMs,
          details: { circuit: 'open', consecutiveFailures: failures },
        },
      )
    },
    onSuccess() {
      failures = 0
      openedAt = null
    },
    onFailure() {
      failures += 1
      // Half-open lets trial calls through; one more failure shuts the circuit for another cooldown.
      if (state() === 'half_open' || failures >= threshold) openedAt = now()
    },
    snapshot() {
      const current = state()
      return {
        state: current,
        consecutiveFailures: failures,
        retryAt: current === 'open' ? new Date(openedAt! + cooldownMs).toISOString() : null,
      }
    },
  }
}

/** One breaker per connection in this process, so a connection's state can be shown. */
const breakers = new Map<string, CircuitBreaker>()

export function breakerFor(connectionId: string, options?: CircuitBreakerOptions): CircuitBreaker {
  let breaker = breakers.get(connectionId)
  if (!breaker) {
    breaker = createCircuitBreaker(options)
    breakers.set(connectionId, breaker)
  }
  return breaker
}

export function breakerStates(): Array<BreakerSnapshot & { readonly connectionId: string }> {
  return [...breakers].map(([connectionId, breaker]) => ({ connectionId, ...breaker.snapshot() }))
}

/** Drops a deleted connection's breaker. */
export function forgetBreaker(connectionId: string): void {
  breakers.delete(connectionId)
}

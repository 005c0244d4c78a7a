import type { HttpRequest, HttpResponse, ProviderHttp } from '../../connectors/connector.ts'
import { sleep as defaultSleep } from '../../lib/sleep.ts'
import type { CircuitBreaker } from './circuit-breaker.ts'
import type { RateLimiter } from './rate-limiter.ts'
import {
  type AttemptFailure,
  delayBeforeRetryMs,
  giveUpError,
  isRetryable,
  isRetryableStatus,
  retryAfterMs,
} from './retry-policy.ts'

/** One line per attempt, for logs and metrics. */
export interface CallEvent {
  readonly provider: string
  readonly connectionId: string
  readonly operation: string
  /** HTTP status, or null when there was no answer (timeout, network error, open circuit). */
  readonly status: number | null
  readonly attempt: number
  readonly durationMs: number
  /** ok = 2xx; retry = another attempt follows after waitMs; gave_up = the call threw. */
  readonly outcome: 'ok' | 'retry' | 'gave_up'
  readonly waitMs?: number
  /** Why an attempt failed: `timeout`, `network`, `circuit_open` or the ProviderError code on giving up. */
  readonly reason?: string
}

export interface ProviderHttpOptions {
  readonly provider: string
  readonly connectionId: string
  /** Per attempt, headers and body included. */
  readonly timeoutMs?: number
  readonly maxAttempts?: number
  readonly baseDelayMs?: number
  /** Caps the jittered backoff. */
  readonly maxDelayMs?: number
  /**
   * The longest Retry-After waited out in place (default 2 min). A provider asking for more makes
   * the call give up at once with `retryAfterMs`, so the job queue waits instead of a held worker.
   */
  readonly maxRetryAfterMs?: number
  readonly rateLimiter?: RateLimiter | undefined
  readonly breaker?: CircuitBreaker | undefined
  /** The run's signal: its abort is rethrown as-is, never retried. */
  readonly signal?: AbortSignal | undefined
  readonly log?: ((event: CallEvent) => void) | undefined
  readonly random?: () => number
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>
  /**
   * Authenticates a request; applied before every attempt, so per-request signatures (OAuth 1.0a
   * nonce and timestamp) are fresh on each retry. The connector's `signRequest`.
   */
  readonly sign?: ((request: HttpRequest) => HttpRequest) | undefined
}

/**
 * The engine's ProviderHttp: every attempt waits for the rate limiter, is signed, and runs under a
 * timeout; 408/429/5xx, timeouts and network errors are retried with full-jitter backoff that
 * honours Retry-After; what still fails becomes a ProviderError a person can act on. A connector
 * sees only 2xx answers.
 */
export function createProviderHttp(options: ProviderHttpOptions): ProviderHttp {
  const { provider, connectionId, rateLimiter, breaker, log, sign } = options
  const timeoutMs = options.timeoutMs ?? 30_000
  const maxAttempts = Math.max(1, options.maxAttempts ?? 6)
  const backoff = {
    baseDelayMs: options.baseDelayMs ?? 500,
    maxDelayMs: options.maxDelayMs ?? 30_000,
    random: options.random ?? Math.random,
  }
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 120_000
  const sleep = options.sleep ?? defaultSleep

  return {
    async request(request) {
      const signals = [options.signal, request.signal].filter((s): s is AbortSignal => s !== undefined)
      const outer = signals.length === 0 ? undefined : signals.length === 1 ? signals[0] : AbortSignal.any(signals)
      const { operation } = request
      const emit = (event: Omit<CallEvent, 'provider' | 'connectionId' | 'operation'>) =>
        log?.({ provider, connectionId, operation, ...event })

      outer?.throwIfAborted()
      try {
        breaker?.beforeCall(provider)
      } catch (error) {
        emit({ status: null, attempt: 0, durationMs: 0, outcome: 'gave_up', reason: 'circuit_open' })
        throw error
      }

      for (let attempt = 1; ; attempt++) {
        await rateLimiter?.acquire(outer)
        const prepared = sign ? sign(request) : request
        const started = performance.now()
        const result = await attemptOnce(prepared, timeoutMs, outer)
        const durationMs = Math.round(performance.now() - started)

        if (result.kind === 'response') {
          const { response } = result
          if (response.status >= 200 && response.status < 300) {
            breaker?.onSuccess()
            emit({ status: response.status, attempt, durationMs, outcome: 'ok' })
            return response
          }
        }
        const failure: AttemptFailure =
          result.kind === 'response' ? { kind: 'http', ...result.response } : result.failure
        const status = failure.kind === 'http' ? failure.status : null
        const reason = failure.kind === 'http' ? undefined : failure.kind

        const asked = retryAfterMs(failure, Date.now())
        const waitTooLong = asked !== undefined && asked > maxRetryAfterMs
        if (isRetryable(failure) && attempt < maxAttempts && !waitTooLong) {
          const waitMs = delayBeforeRetryMs(attempt, asked, backoff)
          // A 429 is about the whole account, not this call: hold every caller of the connection.
          if (status === 429) rateLimiter?.pauseFor(waitMs)
          emit({ status, attempt, durationMs, outcome: 'retry', waitMs, ...(reason ? { reason } : {}) })
          await sleep(waitMs, outer)
          continue
        }

        if (status === 429 && asked !== undefined) rateLimiter?.pauseFor(asked)
        const error = giveUpError(failure, {
          provider,
          operation,
          origin: originOf(prepared.url),
          attempts: attempt,
          retryAfterMs: asked,
          waitTooLong,
        })
        // Only failures that another attempt might fix say the provider is down; a 4xx answer is an answer.
        if (status !== null && !isRetryableStatus(status)) breaker?.onSuccess()
        else breaker?.onFailure()
        emit({ status, attempt, durationMs, outcome: 'gave_up', reason: error.code })
        throw error
      }
    },
  }
}

type AttemptResult =
  | { readonly kind: 'response'; readonly response: HttpResponse }
  | { readonly kind: 'failure'; readonly failure: AttemptFailure }

/** One fetch under its own timeout. The outer signal's abort is rethrown; anything else is a result. */
async function attemptOnce(
  request: HttpRequest,
  timeoutMs: number,
  outer: AbortSignal | undefined,
): Promise<AttemptResult> {
  const timeout = AbortSignal.timeout(timeoutMs)
  const signal = outer ? AbortSignal.any([outer, timeout]) : timeout
  try {
    const response = await fetch(request.url, {
      method: request.method,
      ...(request.headers ? { headers: request.headers } : {}),
      ...(request.body !== undefined ? { body: request.body } : {}),
      signal,
    })
    // The body is read under the same timeout: a server that stalls mid-body is a timeout too.
    const body = await response.text()
    return { kind: 'response', response: { status: response.status, headers: response.headers, body } }
  } catch (error) {
    if (outer?.aborted) throw outer.reason
    if (timeout.aborted) return { kind: 'failure', failure: { kind: 'timeout', timeoutMs } }
    return { kind: 'failure', failure: { kind: 'network', cause: error } }
  }
}

function originOf(url: string): string {
  try {
    return new URL(url).origin
  } catch {
    return '(invalid URL)'
  }
}

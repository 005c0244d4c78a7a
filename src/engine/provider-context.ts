import type { ConnectorContext, ConnectorRegistry } from '../connectors/connector.ts'
import type { ConnectionWithCredentials } from '../store/store.ts'
import { breakerFor } from './calls/circuit-breaker.ts'
import { type CallEvent, createProviderHttp } from './calls/provider-http.ts'
import { createTokenBucket, type RateLimiter } from './calls/rate-limiter.ts'

export interface ProviderCallSettings {
  readonly timeoutMs: number
  readonly maxAttempts: number
  readonly log?: (event: CallEvent) => void
}

/**
 * Builds what a connector needs to talk for one connection: its credentials and a ProviderHttp
 * with the connection's rate limit (shared by every run of the connection in this process) and
 * circuit breaker.
 */
export class ProviderContexts {
  readonly #connectors: ConnectorRegistry
  readonly #settings: ProviderCallSettings
  readonly #limiters = new Map<string, { ratePerSec: number; limiter: RateLimiter }>()

  constructor(connectors: ConnectorRegistry, settings: ProviderCallSettings) {
    this.#connectors = connectors
    this.#settings = settings
  }

  contextFor(connection: ConnectionWithCredentials, signal?: AbortSignal): ConnectorContext {
    const connector = this.#connectors(connection.provider)
    const endpoint = connection.endpoint
    const credentials = connection.credentials
    const http = createProviderHttp({
      provider: connection.provider,
      connectionId: connection.id,
      timeoutMs: this.#settings.timeoutMs,
      maxAttempts: this.#settings.maxAttempts,
      rateLimiter: this.#limiterFor(connection),
      breaker: breakerFor(connection.id),
      ...(signal ? { signal } : {}),
      ...(this.#settings.log ? { log: this.#settings.log } : {}),
      ...(connector.signRequest
        ? { sign: (request) => connector.signRequest!({ endpoint, credentials }, request) }
        : {}),
    })
    return { http, endpoint, credentials }
  }

  #limiterFor(connection: ConnectionWithCredentials): RateLimiter | undefined {
    const ratePerSec = connection.settings.rateLimitPerSec
    if (!ratePerSec) return undefined
    const known = this.#limiters.get(connection.id)
    if (known && known.ratePerSec === ratePerSec) return known.limiter
    const limiter = createTokenBucket({ ratePerSec })
    this.#limiters.set(connection.id, { ratePerSec, limiter })
    return limiter
  }
}

import type { ConnectorRegistry } from '../connectors/connector.ts'
import { contentHash } from '../domain/content-hash.ts'
import type { Order } from '../domain/entities.ts'
import { AppError, coerceError, ProviderError } from '../domain/errors.ts'
import { fullJitterDelayMs } from '../lib/backoff.ts'
import type { Logger } from '../lib/logger.ts'
import type { OutboxEntry, OutboxState, Store } from '../store/store.ts'
import type { ProviderContexts } from './provider-context.ts'

export interface OutboxDispatcherSettings {
  /** How often due entries are looked for when nobody nudges. */
  readonly pollMs: number
  /** How long a claimed entry is ours; another process takes it over after that. */
  readonly leaseMs: number
  /** Deliveries before an entry ends `dead`. */
  readonly maxAttempts: number
  readonly retryBaseMs: number
  readonly retryCapMs: number
  readonly batchSize: number
}

export const DEFAULT_OUTBOX_SETTINGS: OutboxDispatcherSettings = Object.freeze({
  pollMs: 1_000,
  leaseMs: 5 * 60_000,
  maxAttempts: 8,
  retryBaseMs: 2_000,
  retryCapMs: 10 * 60_000,
  batchSize: 20,
})

export interface OutboxDispatcherDeps {
  readonly store: Store
  readonly connectors: ConnectorRegistry
  readonly contexts: ProviderContexts
  readonly log: Logger
  readonly settings?: Partial<OutboxDispatcherSettings>
  readonly now?: () => number
}

interface OrderStatusPayload {
  readonly externalId: string
  readonly status: string
}

/**
 * Delivers one claimed entry. A write the provider accepted goes back through the merge path
 * (the order it answered with) and ends `sent`; a retryable failure is retried with backoff until
 * the attempts are used up (`dead`); a rejection ends `failed` with the provider's message. Ending
 * an entry clears the order's pending status, so the order shows what the provider has.
 */
export async function deliverOutboxEntry(
  deps: OutboxDispatcherDeps,
  entry: OutboxEntry,
  signal?: AbortSignal,
): Promise<OutboxState> {
  const settings = { ...DEFAULT_OUTBOX_SETTINGS, ...deps.settings }
  const { store } = deps
  const log = deps.log.child({ outboxId: entry.id, connectionId: entry.connectionId, tenantId: entry.tenantId })
  if (entry.kind !== 'order_status') {
    await store.outbox.markFinal(entry.id, entry.tenantId, 'failed', `unknown outbox kind "${entry.kind}"`)
    return 'failed'
  }
  const payload = entry.payload as unknown as OrderStatusPayload
  const connection = await store.connections.getWithCredentials(entry.connectionId, entry.tenantId)
  if (!connection) {
    await store.outbox.markFinal(entry.id, entry.tenantId, 'failed', 'the connection was deleted')
    return 'failed'
  }
  try {
    const connector = deps.connectors(connection.provider)
    const context = deps.contexts.contextFor(connection, signal)
    const { raw } = await connector.setOrderStatus(context, payload.externalId, payload.status)
    const rawJson = JSON.stringify(raw)
    const order = connector.stream(context, 'orders').normalize(raw) as Order
    await store.transaction(async (tx) => {
      await tx.applyRecords(
        {
          tenantId: entry.tenantId,
          connectionId: entry.connectionId,
          records: [{ entity: order, rawJson, hash: contentHash(rawJson) }],
        },
        'order',
      )
      await tx.outbox.markSent(entry.id, entry.tenantId, {
        status: order.providerStatus,
        updatedAt: order.updatedAt,
      })
    })
    log.info({ status: payload.status, attempts: entry.attempts }, 'status write landed')
    return 'sent'
  } catch (caught) {
    // Shutting down mid-call: leave the entry leased; it is taken over when the lease ends.
    if (signal?.aborted) return 'sending'
    const error = coerceError(caught)
    // Unknown errors may be passing (a dropped connection); anything we raised on purpose says.
    const retryable = error instanceof ProviderError ? error.retryable : !(error instanceof AppError)
    const message = error.message
    if (!retryable) {
      await store.outbox.markFinal(entry.id, entry.tenantId, 'failed', message)
      log.warn({ err: error }, 'status write rejected')
      return 'failed'
    }
    if (entry.attempts >= settings.maxAttempts) {
      await store.outbox.markFinal(entry.id, entry.tenantId, 'dead', message)
      log.error({ err: error, attempts: entry.attempts }, 'status write gave up')
      return 'dead'
    }
    const now = (deps.now ?? Date.now)()
    const waitMs = Math.max(
      fullJitterDelayMs(entry.attempts, settings.retryBaseMs, settings.retryCapMs),
      error instanceof ProviderError ? (error.retryAfterMs ?? 0) : 0,
    )
    await store.outbox.markRetry(entry.id, entry.tenantId, message, new Date(now + waitMs).toISOString())
    log.warn({ err: error, attempts: entry.attempts, waitMs }, 'status write failed; will retry')
    return 'pending'
  }
}

/** Polls the outbox and delivers due entries, one batch at a time, in this process. */
export class OutboxDispatcher {
  readonly #deps: OutboxDispatcherDeps
  readonly #settings: OutboxDispatcherSettings
  readonly #stop = new AbortController()
  #timer: NodeJS.Timeout | undefined
  #running: Promise<void> | undefined
  #again = false

  constructor(deps: OutboxDispatcherDeps) {
    this.#deps = deps
    this.#settings = { ...DEFAULT_OUTBOX_SETTINGS, ...deps.settings }
  }

  start(): void {
    if (this.#timer) return
    this.#timer = setInterval(() => this.nudge(), this.#settings.pollMs)
    this.#timer.unref()
    this.nudge()
  }

  /** Look for due entries now (a new write was recorded). */
  nudge(): void {
    if (this.#stop.signal.aborted) return
    if (this.#running) {
      this.#again = true
      return
    }
    this.#running = this.drain()
      .then(() => undefined)
      .catch((error) => this.#deps.log.error({ err: error }, 'outbox dispatch failed'))
      .finally(() => {
        this.#running = undefined
        if (this.#again) {
          this.#again = false
          this.nudge()
        }
      })
  }

  /**
   * Delivers the entries due now, one attempt each; returns how many were attempted. A retry that
   * falls due meanwhile waits for the next pass, so one pass never spins on a failing provider.
   */
  async drain(): Promise<number> {
    let attempted = 0
    for (;;) {
      if (this.#stop.signal.aborted) return attempted
      const batch = await this.#deps.store.outbox.claimDue(this.#settings.leaseMs, this.#settings.batchSize)
      for (const entry of batch) {
        await deliverOutboxEntry(this.#deps, entry, this.#stop.signal)
        attempted++
      }
      if (batch.length < this.#settings.batchSize) return attempted
    }
  }

  /** Stops polling and waits for the delivery in flight. */
  async stop(): Promise<void> {
    clearInterval(this.#timer)
    this.#timer = undefined
    this.#stop.abort()
    await this.#running
  }
}

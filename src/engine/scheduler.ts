import type { StreamName } from '../domain/statuses.ts'
import { toIsoUtc } from '../domain/time.ts'
import type { Logger } from '../lib/logger.ts'
import type { Connection, Store } from '../store/store.ts'
import { requestSync } from './sync-requests.ts'

export interface SchedulerDeps {
  readonly store: Store
  readonly log: Logger
  readonly tickMs: number
  readonly maxAttempts: number
  readonly now?: () => number
  readonly random?: () => number
  /** Told when the scheduler queued something, so a local worker can claim it at once. */
  readonly onQueued?: () => void
}

export interface ScheduleEntry {
  readonly connectionId: string
  readonly stream: StreamName
  readonly intervalMs: number
  readonly nextDueAt: string
}

/** Spread scheduled runs a little so many connections on one interval don't fire together. */
const MAX_JITTER_MS = 60_000

/**
 * Queues an incremental run of every active connection's streams every `intervalMs` (plus up to 10%
 * jitter), and one at start for connections with `runOnStartup`. Keeps only next-due times in
 * memory; the first due time after start comes from the stream's last run in the store, so
 * restarts don't cause a burst. Scheduling twice is harmless: requestSync dedupes per stream.
 */
export class Scheduler {
  readonly #deps: SchedulerDeps
  readonly #nextDue = new Map<string, { dueAt: number; intervalMs: number }>()
  #timer: NodeJS.Timeout | undefined
  #ticking: Promise<void> | undefined

  constructor(deps: SchedulerDeps) {
    this.#deps = deps
  }

  get running(): boolean {
    return this.#timer !== undefined
  }

  async start(): Promise<void> {
    if (this.#timer) return
    await this.#runStartup()
    this.#timer = setInterval(() => void this.tick(), this.#deps.tickMs)
    this.#timer.unref()
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer)
    this.#timer = undefined
    await this.#ticking
  }

  entries(): ScheduleEntry[] {
    return [...this.#nextDue.entries()].map(([key, entry]) => {
      const [connectionId, stream] = key.split('|') as [string, StreamName]
      return { connectionId, stream, intervalMs: entry.intervalMs, nextDueAt: toIsoUtc(entry.dueAt) }
    })
  }

  /** One pass: queue every stream that is due. Exposed so tests can drive time themselves. */
  async tick(): Promise<void> {
    if (this.#ticking) return this.#ticking
    this.#ticking = this.#tick().finally(() => {
      this.#ticking = undefined
    })
    return this.#ticking
  }

  async #tick(): Promise<void> {
    const { store, log } = this.#deps
    const now = this.#now()
    let queued = 0
    try {
      for (const connection of await store.connections.list()) {
        if (connection.status !== 'active' || connection.settings.intervalMs <= 0) continue
        for (const stream of connection.settings.streams) {
          const key = `${connection.id}|${stream}`
          const entry = this.#nextDue.get(key) ?? (await this.#firstDue(connection, stream))
          if (entry.dueAt > now) {
            this.#nextDue.set(key, entry)
            continue
          }
          const { created } = await requestSync(store, {
            connection,
            stream,
            trigger: 'scheduled',
            maxAttempts: this.#deps.maxAttempts,
          })
          if (created) queued++
          this.#nextDue.set(key, {
            dueAt: now + this.#withJitter(connection.settings.intervalMs),
            intervalMs: connection.settings.intervalMs,
          })
        }
      }
    } catch (error) {
      log.error({ err: error }, 'scheduler tick failed')
    }
    if (queued > 0) this.#deps.onQueued?.()
  }

  async #runStartup(): Promise<void> {
    const { store, log } = this.#deps
    let queued = 0
    for (const connection of await store.connections.list()) {
      if (connection.status !== 'active' || !connection.settings.runOnStartup) continue
      for (const stream of connection.settings.streams) {
        const { created } = await requestSync(store, {
          connection,
          stream,
          trigger: 'startup',
          maxAttempts: this.#deps.maxAttempts,
        })
        if (created) queued++
        if (connection.settings.intervalMs > 0) {
          this.#nextDue.set(`${connection.id}|${stream}`, {
            dueAt: this.#now() + this.#withJitter(connection.settings.intervalMs),
            intervalMs: connection.settings.intervalMs,
          })
        }
      }
    }
    if (queued > 0) {
      log.info({ queued }, 'startup runs queued')
      this.#deps.onQueued?.()
    }
  }

  async #firstDue(connection: Connection, stream: StreamName) {
    const [last] = await this.#deps.store.runs.list({ connectionId: connection.id, stream, limit: 1 })
    const intervalMs = connection.settings.intervalMs
    const dueAt = last ? Date.parse(last.queuedAt) + intervalMs : this.#now()
    return { dueAt, intervalMs }
  }

  #withJitter(intervalMs: number): number {
    const random = this.#deps.random ?? Math.random
    return intervalMs + Math.floor(random() * Math.min(intervalMs * 0.1, MAX_JITTER_MS))
  }

  #now(): number {
    return (this.#deps.now ?? Date.now)()
  }
}

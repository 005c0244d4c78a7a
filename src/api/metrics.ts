import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client'
import { RUN_STATUSES } from '../domain/statuses.ts'

/**
 * The Prometheus metrics of one process. Its own registry (not prom-client's global one), so
 * several APIs in one test process do not collide. Store-derived gauges are read at scrape time.
 */
export interface ApiMetrics {
  readonly registry: Registry
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>
  readonly providerCalls: Counter<'provider' | 'operation' | 'outcome' | 'status'>
  readonly recordsSynced: Counter<'provider' | 'stream' | 'result'>
  /** Sets what the gauges read from the store at scrape time. */
  onScrape(
    collect: () => Promise<{ runsByStatus: Record<string, number>; outboxByState: Record<string, number> }>,
  ): void
}

export function createMetrics(options: { defaultMetrics?: boolean } = {}): ApiMetrics {
  const registry = new Registry()
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'tributary_' })
  let collect: Parameters<ApiMetrics['onScrape']>[0] | undefined
  let snapshot: Promise<Awaited<ReturnType<NonNullable<typeof collect>>>> | undefined
  // One store read per scrape serves both gauges.
  const read = () => {
    snapshot ??= (collect ?? (async () => ({ runsByStatus: {}, outboxByState: {} })))().finally(() => {
      setImmediate(() => {
        snapshot = undefined
      })
    })
    return snapshot
  }
  new Gauge({
    name: 'tributary_sync_runs',
    help: 'Sync runs by status',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      const { runsByStatus } = await read()
      for (const status of RUN_STATUSES) this.set({ status }, runsByStatus[status] ?? 0)
    },
  })
  new Gauge({
    name: 'tributary_outbox_entries',
    help: 'Outbox entries by state (pending + sending = depth)',
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      const { outboxByState } = await read()
      for (const state of ['pending', 'sending', 'sent', 'failed', 'dead'])
        this.set({ state }, outboxByState[state] ?? 0)
    },
  })
  return {
    registry,
    httpDuration: new Histogram({
      name: 'tributary_http_request_duration_seconds',
      help: 'HTTP request latency by route and status',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    providerCalls: new Counter({
      name: 'tributary_provider_calls_total',
      help: 'Provider calls by outcome (ok, retry, gave_up) and HTTP status (429 = provider rate limit)',
      labelNames: ['provider', 'operation', 'outcome', 'status'] as const,
      registers: [registry],
    }),
    recordsSynced: new Counter({
      name: 'tributary_records_synced_total',
      help: 'Records applied by provider, stream and result (created, updated, unchanged, failed)',
      labelNames: ['provider', 'stream', 'result'] as const,
      registers: [registry],
    }),
    onScrape(fn) {
      collect = fn
    },
  }
}

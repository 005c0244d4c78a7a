// One sync run of the orders stream in its own process, composed exactly as `tributary sync` composes it (openApp from
// src/main.ts): queue the run, claim it by id, execute it. Configuration comes from the TRIBUTARY_*
// environment the bench sets. Prints one JSON line (SyncProcessResult) and exits 0, or 1 when the run
// did not succeed.
import { parseArgs } from 'node:util'
import { executeSyncJob } from '../src/engine/sync-worker.ts'
import { openApp } from '../src/main.ts'
import type { RunCounters } from '../src/store/store.ts'
import { maxRssMbOfThisProcess } from './rss.ts'

export interface SyncProcessResult {
  readonly status: string
  readonly counters: RunCounters
  /** From queuing the run to its end (process start-up and database opening excluded). */
  readonly durationMs: number
  readonly maxRssMb: number
  readonly heapUsedMb: number
  /** Live (not deleted) orders of the connection after the run, as `tributary status` counts them. */
  readonly storedOrders: number
  readonly error: string | null
  readonly errorCode: string | null
}

const { values } = parseArgs({ options: { connection: { type: 'string' } } })
const connectionId = values.connection
if (!connectionId) throw new Error('usage: sync-process.ts --connection ID')

const app = await openApp({ logLevel: process.env['TRIBUTARY_LOG_LEVEL'] ?? 'warn', migrate: false })
try {
  const connection = await app.store.connections.get(connectionId)
  if (!connection) throw new Error(`connection ${connectionId} not found`)
  const started = performance.now()
  // No options: the first run is the backfill, the next ones are incremental from the watermark.
  const request = await app.requestSync(connection, 'orders', 'manual')
  const workerId = `bench:${process.pid}`
  const job = await app.store.jobs.claimById(request.job.id, workerId, app.config.leaseMs)
  if (!job) throw new Error(`job ${request.job.id} could not be claimed`)
  const run = await executeSyncJob(app.workerDeps(), job, workerId, new AbortController().signal)
  const durationMs = performance.now() - started
  const maxRssMb = maxRssMbOfThisProcess()
  const heapUsedMb = process.memoryUsage().heapUsed / 1024 / 1024
  const result: SyncProcessResult = {
    status: run.status,
    counters: run.counters,
    durationMs,
    maxRssMb,
    heapUsedMb,
    storedOrders: await app.store.orders.count(connection.tenantId, { connectionId: connection.id }),
    error: run.error,
    errorCode: run.errorCode,
  }
  process.stdout.write(`${JSON.stringify(result)}\n`)
  process.exitCode = run.status === 'succeeded' ? 0 : 1
} finally {
  await app.close()
}

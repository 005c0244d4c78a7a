import { connectorFor } from '../../src/connectors/registry.ts'
import type { StreamName } from '../../src/domain/statuses.ts'
import { ProviderContexts } from '../../src/engine/provider-context.ts'
import { requestSync, type SyncOptions } from '../../src/engine/sync-requests.ts'
import { executeSyncJob, type SyncWorkerDeps } from '../../src/engine/sync-worker.ts'
import { createLogger } from '../../src/lib/logger.ts'
import type { Connection, Store, SyncRun } from '../../src/store/store.ts'

/** The engine as the CLI composes it, over a test store, quiet, with short leases. */
export function testEngine(store: Store, overrides: Partial<SyncWorkerDeps> = {}) {
  const contexts = new ProviderContexts(connectorFor, { timeoutMs: 5_000, maxAttempts: 8 })
  const deps: SyncWorkerDeps = {
    store,
    connectors: connectorFor,
    contexts,
    log: createLogger('silent'),
    settings: {
      leaseMs: 5_000,
      heartbeatMs: 500,
      pollMs: 50,
      safetyMarginMs: 60_000,
      concurrency: 1,
      retryBaseMs: 10,
      retryCapMs: 50,
    },
    ...overrides,
  }
  let worker = 0
  return {
    deps,
    /** Queues a run like any trigger, claims it and executes it here; returns the finished run. */
    async syncNow(connection: Connection, stream: StreamName, options: SyncOptions = {}): Promise<SyncRun> {
      const request = await requestSync(store, { connection, stream, trigger: 'manual', options, maxAttempts: 3 })
      const workerId = `test-worker-${++worker}`
      const job = await store.jobs.claimById(request.job.id, workerId, deps.settings.leaseMs)
      if (!job) throw new Error(`job ${request.job.id} could not be claimed (state ${request.job.state})`)
      return executeSyncJob(deps, job, workerId, new AbortController().signal)
    },
  }
}

/** Polls until check() returns a value (not undefined), or fails after timeoutMs with what it waited for. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

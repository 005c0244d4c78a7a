import { hostname } from 'node:os'
import type { ConnectorRegistry } from '../connectors/connector.ts'
import { AppError, ProviderError } from '../domain/errors.ts'
import { isTerminalRunStatus, type RunTrigger, type StreamName } from '../domain/statuses.ts'
import { toIsoUtc } from '../domain/time.ts'
import { fullJitterDelayMs } from '../lib/backoff.ts'
import { newId } from '../lib/ids.ts'
import type { Logger } from '../lib/logger.ts'
import { sleep } from '../lib/sleep.ts'
import type { Job } from '../queue/queue.ts'
import type { Store, SyncRun } from '../store/store.ts'
import type { ProviderContexts } from './provider-context.ts'
import { SYNC_JOB_KIND, type SyncOptions } from './sync-requests.ts'
import { type RunProgress, runSync } from './sync-runner.ts'

export interface SyncWorkerSettings {
  readonly leaseMs: number
  readonly heartbeatMs: number
  readonly pollMs: number
  readonly safetyMarginMs: number
  readonly concurrency: number
  /** Delay before a failed run's next attempt: full jitter over base·2^attempt, capped. */
  readonly retryBaseMs?: number
  readonly retryCapMs?: number
}

export interface SyncWorkerDeps {
  readonly store: Store
  readonly connectors: ConnectorRegistry
  readonly contexts: ProviderContexts
  readonly settings: SyncWorkerSettings
  readonly log: Logger
  readonly now?: () => number
  readonly workerId?: string
  /** Live progress of every run this worker executes (metrics, SSE, progress bars). */
  readonly onProgress?: (run: SyncRun, progress: RunProgress) => void
  readonly onFinished?: (run: SyncRun) => void
}

interface SyncPayload {
  readonly connectionId: string
  readonly stream: StreamName
  readonly trigger: RunTrigger
  readonly options?: SyncOptions
}

class StopReason extends Error {
  readonly kind: 'shutdown' | 'lease_lost' | 'cancelled'
  constructor(kind: StopReason['kind'], message: string) {
    super(message)
    this.kind = kind
  }
}

/**
 * Executes one claimed sync job: picks up (or starts) its run, heartbeats the lease while the run
 * pulls, and settles job and run together: success completes the job; failure retries it with
 * backoff, or ends it `failed` (nothing another attempt could fix) or `dead` (attempts used up).
 */
export async function executeSyncJob(
  deps: SyncWorkerDeps,
  job: Job,
  workerId: string,
  shutdown: AbortSignal,
): Promise<SyncRun> {
  const { store, settings, log } = deps
  const now = deps.now ?? Date.now
  const payload = job.payload as unknown as SyncPayload
  let run = await store.runs.latestForJob(job.id)
  if (!run || isTerminalRunStatus(run.status)) {
    run = await store.runs.create({
      tenantId: job.tenantId ?? '',
      connectionId: payload.connectionId,
      stream: payload.stream,
      jobId: job.id,
      trigger: payload.trigger,
      attempt: job.attempts,
      options: payload.options ?? {},
    })
  }
  const runLog = log.child({ runId: run.id, connectionId: payload.connectionId, stream: payload.stream })
  const connection = await store.connections.getWithCredentials(payload.connectionId)
  if (!connection) {
    await store.jobs.fail(job.id, workerId, 'connection was deleted', { retryable: false, retryDelayMs: 0 })
    await store.runs.finish(run.id, 'failed', toIsoUtc(now()), {
      code: 'connection_deleted',
      message: 'the connection was deleted before the run started',
    })
    return (await store.runs.get(run.id))!
  }

  await store.runs.markRunning(run.id, toIsoUtc(now()))
  runLog.info({ attempt: job.attempts, trigger: run.trigger }, 'run started')
  const controller = new AbortController()
  const onShutdown = () => controller.abort(new StopReason('shutdown', 'the process is shutting down'))
  shutdown.addEventListener('abort', onShutdown, { once: true })
  if (shutdown.aborted) onShutdown()
  const heartbeat = setInterval(() => {
    void beat().catch((error) => runLog.warn({ err: error }, 'heartbeat failed'))
  }, settings.heartbeatMs)
  const runId = run.id
  async function beat() {
    const held = await store.jobs.heartbeat(job.id, workerId, settings.leaseMs)
    if (!held) return controller.abort(new StopReason('lease_lost', 'another worker took over this run'))
    await store.runs.heartbeat(runId, toIsoUtc(now()))
    const current = await store.runs.get(runId)
    if (current?.status === 'cancelled') controller.abort(new StopReason('cancelled', 'the run was cancelled'))
  }

  try {
    const connector = deps.connectors(connection.provider)
    const context = deps.contexts.contextFor(connection, controller.signal)
    const startedRun = run
    const outcome = await runSync({
      store,
      stream: connector.stream(context, payload.stream),
      context,
      connection,
      run,
      signal: controller.signal,
      now,
      safetyMarginMs: settings.safetyMarginMs,
      onProgress: (progress) => deps.onProgress?.(startedRun, progress),
    })
    if (outcome.status === 'succeeded') {
      await store.jobs.complete(job.id, workerId)
      runLog.info({ ...outcome.counters }, 'run succeeded')
    } else {
      await settleFailure(deps, job, run, workerId, controller.signal.reason ?? outcome.error, outcome.error, runLog)
    }
  } finally {
    clearInterval(heartbeat)
    shutdown.removeEventListener('abort', onShutdown)
  }
  const finished = (await store.runs.get(run.id))!
  deps.onFinished?.(finished)
  return finished
}

async function settleFailure(
  deps: SyncWorkerDeps,
  job: Job,
  run: SyncRun,
  workerId: string,
  reason: unknown,
  error: Error,
  runLog: Logger,
): Promise<void> {
  const { store } = deps
  const at = toIsoUtc((deps.now ?? Date.now)())
  if (reason instanceof StopReason) {
    if (reason.kind === 'lease_lost') {
      runLog.warn('lease lost; leaving the run to the worker that holds it')
      return
    }
    if (reason.kind === 'cancelled') {
      await store.jobs.cancel(job.id)
      runLog.info('run cancelled')
      return
    }
    await store.jobs.fail(job.id, workerId, reason.message, { retryable: true, retryDelayMs: 0 })
    await store.runs.finish(run.id, 'failed', at, {
      code: 'interrupted',
      message: 'interrupted by shutdown; the next attempt resumes from the last committed page',
    })
    runLog.info('run interrupted by shutdown; checkpoint kept')
    return
  }
  const retryable = error instanceof ProviderError ? error.retryable : !(error instanceof AppError)
  const code = error instanceof AppError ? error.code : 'internal_error'
  const backoff = fullJitterDelayMs(
    job.attempts,
    deps.settings.retryBaseMs ?? 30_000,
    deps.settings.retryCapMs ?? 1_800_000,
  )
  const retryAfter = error instanceof ProviderError ? (error.retryAfterMs ?? 0) : 0
  const state = await store.jobs.fail(job.id, workerId, error.message, {
    retryable,
    retryDelayMs: Math.max(backoff, retryAfter),
  })
  await store.runs.finish(run.id, state === 'dead' ? 'dead' : 'failed', at, { code, message: error.message })
  const fields = { code, jobState: state, attempt: job.attempts, err: error }
  if (state === 'retry') runLog.warn(fields, 'run failed; will retry')
  else runLog.error(fields, 'run failed')
}

/**
 * Claims and executes sync jobs with `concurrency` slots until stopped. stop() stops claiming,
 * interrupts in-flight runs (their last committed page is the checkpoint) and waits for them.
 */
export class SyncWorker {
  readonly id: string
  readonly #deps: SyncWorkerDeps
  readonly #shutdown = new AbortController()
  #slots: Promise<void>[] = []
  #wake: (() => void) | undefined

  constructor(deps: SyncWorkerDeps) {
    this.#deps = deps
    this.id = deps.workerId ?? `${hostname()}:${process.pid}:${newId().slice(-8)}`
  }

  start(): void {
    if (this.#slots.length > 0) return
    for (let slot = 0; slot < this.#deps.settings.concurrency; slot++) this.#slots.push(this.#loop())
  }

  /** Claim now instead of waiting for the next poll (a run was just queued in this process). */
  nudge(): void {
    this.#wake?.()
  }

  async stop(): Promise<void> {
    this.#shutdown.abort()
    this.#wake?.()
    await Promise.allSettled(this.#slots)
    this.#slots = []
  }

  async #loop(): Promise<void> {
    const { store, settings, log } = this.#deps
    const signal = this.#shutdown.signal
    while (!signal.aborted) {
      let job: Job | undefined
      try {
        job = await store.jobs.claim([SYNC_JOB_KIND], this.id, settings.leaseMs)
      } catch (error) {
        log.error({ err: error }, 'claiming a job failed')
      }
      if (!job) {
        await new Promise<void>((resolve) => {
          this.#wake = resolve
          sleep(settings.pollMs, signal).then(resolve, resolve)
        })
        continue
      }
      try {
        await executeSyncJob(this.#deps, job, this.id, signal)
      } catch (error) {
        log.error({ err: error, jobId: job.id }, 'executing a sync job failed')
      }
    }
  }
}

import type { RunTrigger, StreamName } from '../domain/statuses.ts'
import type { Job } from '../queue/queue.ts'
import type { Connection, Store, SyncRun } from '../store/store.ts'

/** What a sync run is asked to do beyond "continue from the checkpoint". */
export type SyncOptions = {
  /** Forget the cursor and read everything again. */
  readonly full?: boolean
  /** Re-read what changed in the last N days (ignores the watermark, keeps it). */
  readonly days?: number
}

export const SYNC_JOB_KIND = 'sync'

export function syncSingletonKey(connectionId: string, stream: StreamName): string {
  return `sync:${connectionId}:${stream}`
}

export interface SyncRequest {
  readonly run: SyncRun
  readonly job: Job
  /** False when a run of this (connection, stream) was already queued or running: that one is returned. */
  readonly created: boolean
}

/**
 * Queues a sync of one stream, or returns the run already queued/running for it: at most one
 * active run per (connection, stream), whichever process asked (the job's singleton key).
 */
export async function requestSync(
  store: Store,
  input: {
    connection: Connection
    stream: StreamName
    trigger: RunTrigger
    options?: SyncOptions
    maxAttempts: number
  },
): Promise<SyncRequest> {
  const { connection, stream, trigger } = input
  const options = input.options ?? {}
  return store.transaction(async (tx) => {
    const { job, created } = await tx.jobs.enqueue({
      kind: SYNC_JOB_KIND,
      tenantId: connection.tenantId,
      singletonKey: syncSingletonKey(connection.id, stream),
      payload: { connectionId: connection.id, stream, trigger, options },
      maxAttempts: input.maxAttempts,
    })
    if (!created) {
      const existing = await tx.runs.latestForJob(job.id)
      if (existing) return { run: existing, job, created: false }
    }
    const run = await tx.runs.create({
      tenantId: connection.tenantId,
      connectionId: connection.id,
      stream,
      jobId: job.id,
      trigger,
      attempt: 1,
      options,
      status: 'queued',
    })
    return { run, job, created }
  })
}

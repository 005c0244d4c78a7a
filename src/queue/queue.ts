/** The job port: durable jobs with leases (graphile-worker / pg-boss semantics). */

export const JOB_STATES = ['queued', 'active', 'retry', 'completed', 'failed', 'dead', 'cancelled'] as const
export type JobState = (typeof JOB_STATES)[number]

/** Job states that hold a singleton key: a second enqueue with the same key returns the existing job. */
export const ACTIVE_JOB_STATES: readonly JobState[] = ['queued', 'active', 'retry']

export interface Job {
  readonly id: string
  /** What the job does, e.g. `sync` or `outbox`. */
  readonly kind: string
  readonly tenantId: string | null
  /** At most one job per key is queued/active/retry at a time (e.g. `sync:<connectionId>:orders`). */
  readonly singletonKey: string | null
  readonly payload: Readonly<Record<string, unknown>>
  readonly state: JobState
  /** Attempts started so far (a claim increments it). */
  readonly attempts: number
  readonly maxAttempts: number
  /** Not claimable before this time. */
  readonly runAfter: string
  readonly lockedBy: string | null
  readonly lockedUntil: string | null
  readonly lastError: string | null
  readonly createdAt: string
  readonly updatedAt: string
}

export interface NewJob {
  readonly kind: string
  readonly tenantId: string | null
  readonly singletonKey?: string | null
  readonly payload: Readonly<Record<string, unknown>>
  readonly runAfter?: string
  readonly maxAttempts?: number
}

export interface FailOptions {
  /** False for errors another attempt cannot fix (bad credentials): the job ends `failed`. */
  readonly retryable: boolean
  /** Delay before the next attempt when retryable and attempts remain; else the job ends `dead`. */
  readonly retryDelayMs: number
}

export interface JobRepository {
  /** Adds a job; if its singleton key is held by an active job, returns that one with created=false. */
  enqueue(input: NewJob): Promise<{ job: Job; created: boolean }>
  /**
   * Takes the oldest due job of these kinds: queued/retry with runAfter ≤ now, or active with an
   * expired lease (its worker died). Sets state active, lockedBy, lockedUntil = now + leaseMs and
   * increments attempts. Safe against concurrent claimers in any number of processes.
   */
  claim(kinds: readonly string[], workerId: string, leaseMs: number): Promise<Job | undefined>
  /** Claims one specific job if it is due or its lease expired (foreground `tributary sync`). */
  claimById(id: string, workerId: string, leaseMs: number): Promise<Job | undefined>
  /** Extends the lease; false means this worker no longer holds the job and must stop. */
  heartbeat(id: string, workerId: string, leaseMs: number): Promise<boolean>
  complete(id: string, workerId: string): Promise<void>
  /** Ends the attempt: retry after a delay, or `failed` (not retryable), or `dead` (no attempts left). */
  fail(id: string, workerId: string, error: string, options: FailOptions): Promise<JobState>
  cancel(id: string): Promise<boolean>
  get(id: string): Promise<Job | undefined>
  /** The active/queued/retry job holding a singleton key, if any. */
  getActiveBySingletonKey(key: string): Promise<Job | undefined>
  list(filter: { kinds?: readonly string[]; states?: readonly JobState[]; limit?: number }): Promise<Job[]>
}

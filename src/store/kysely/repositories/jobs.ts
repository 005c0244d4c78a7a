import { type ExpressionBuilder, type Selectable, sql } from 'kysely'
import { NotFoundError } from '../../../domain/errors.ts'
import { newId } from '../../../lib/ids.ts'
import type { FailOptions, Job, JobRepository, JobState, NewJob } from '../../../queue/queue.ts'
import type { Database, JobRow } from '../schema.ts'
import { nowIso, parseJson, type Scope } from '../scope.ts'

const DEFAULT_MAX_ATTEMPTS = 5
const DEFAULT_LIST_LIMIT = 100

/**
 * The queue's predicate, written exactly as the partial indexes' WHERE (jobs_singleton_key,
 * jobs_claim_idx) so both planners can prove those indexes usable.
 */
const LIVE_STATES = sql<boolean>`state in ('queued', 'active', 'retry')`

/**
 * The store-backed job queue (graphile-worker / pg-boss semantics) over the jobs table.
 *
 * Claiming is one UPDATE of the oldest due row, inside a transaction: on SQLite that transaction
 * is BEGIN IMMEDIATE (dialects/sqlite.ts), so claimers in any number of processes take the write
 * lock in turn; on PostgreSQL the row is picked with FOR UPDATE SKIP LOCKED, so concurrent
 * claimers skip each other's rows instead of waiting or double-claiming.
 */
export class KyselyJobRepository implements JobRepository {
  readonly #scope: Scope

  constructor(scope: Scope) {
    this.#scope = scope
  }

  async enqueue(input: NewJob): Promise<{ job: Job; created: boolean }> {
    const { db, context } = this.#scope
    const now = nowIso(context)
    const row: JobRow = {
      id: newId(context.clock()),
      kind: input.kind,
      tenant_id: input.tenantId,
      singleton_key: input.singletonKey ?? null,
      payload: JSON.stringify(input.payload),
      state: 'queued',
      attempts: 0,
      max_attempts: input.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
      run_after: input.runAfter ?? now,
      locked_by: null,
      locked_until: null,
      last_error: null,
      created_at: now,
      updated_at: now,
    }
    if (row.singleton_key === null) {
      await db.insertInto('jobs').values(row).execute()
      return { job: toJob(row), created: true }
    }
    // ON CONFLICT DO NOTHING, not a caught unique violation: on PostgreSQL a failed statement
    // would abort the caller's transaction (requestSync enqueues inside one). A concurrent
    // enqueuer's uncommitted row makes PostgreSQL wait for its commit, then report the conflict.
    // The holder may finish between our insert and our read; then the key is free: try again.
    for (let attempt = 0; attempt < 5; attempt++) {
      const inserted = await db
        .insertInto('jobs')
        .values(row)
        .onConflict((oc) => oc.column('singleton_key').where(LIVE_STATES).doNothing())
        .returningAll()
        .executeTakeFirst()
      if (inserted) return { job: toJob(inserted), created: true }
      const existing = await this.getActiveBySingletonKey(row.singleton_key)
      if (existing) return { job: existing, created: false }
    }
    throw new Error(`enqueue: singleton key ${row.singleton_key} kept changing hands; try again`)
  }

  async claim(kinds: readonly string[], workerId: string, leaseMs: number): Promise<Job | undefined> {
    if (kinds.length === 0) return undefined
    return this.#scope.transaction(async ({ db, context }) => {
      const now = nowIso(context)
      // A job whose worker died on its last attempt has nothing left to claim: it is dead.
      await db
        .updateTable('jobs')
        .set({
          state: 'dead',
          locked_by: null,
          locked_until: null,
          last_error: 'the worker stopped heartbeating during the last attempt (lease expired)',
          updated_at: now,
        })
        .where(LIVE_STATES)
        .where('kind', 'in', kinds)
        .where('state', '=', sql.lit('active'))
        .where('locked_until', '<', now)
        .where((eb) => eb('attempts', '>=', eb.ref('max_attempts')))
        .execute()
      return this.#claimWhere(db, workerId, leaseMs, now, (eb) => eb('kind', 'in', kinds))
    })
  }

  async claimById(id: string, workerId: string, leaseMs: number): Promise<Job | undefined> {
    return this.#scope.transaction(({ db, context }) =>
      this.#claimWhere(db, workerId, leaseMs, nowIso(context), (eb) => eb('id', '=', id)),
    )
  }

  async #claimWhere(
    db: Scope['db'],
    workerId: string,
    leaseMs: number,
    now: string,
    which: (eb: ExpressionBuilder<Database, 'jobs'>) => ReturnType<ExpressionBuilder<Database, 'jobs'>['and']>,
  ): Promise<Job | undefined> {
    const lockedUntil = new Date(Date.parse(now) + leaseMs).toISOString()
    const isPostgres = this.#scope.context.dialect === 'postgres'
    const row = await db
      .updateTable('jobs')
      .set((eb) => ({
        state: 'active',
        locked_by: workerId,
        locked_until: lockedUntil,
        attempts: eb('attempts', '+', 1),
        updated_at: now,
      }))
      .where('id', '=', (eb) =>
        eb
          .selectFrom('jobs')
          .select('id')
          .where(LIVE_STATES)
          .where(which)
          .where((eb) =>
            eb.or([
              eb.and([eb('state', 'in', [sql.lit('queued'), sql.lit('retry')]), eb('run_after', '<=', now)]),
              eb.and([
                eb('state', '=', sql.lit('active')),
                eb('locked_until', '<', now),
                eb('attempts', '<', eb.ref('max_attempts')),
              ]),
            ]),
          )
          .orderBy('run_after')
          .orderBy('id')
          .limit(1)
          .$if(isPostgres, (qb) => qb.forUpdate().skipLocked()),
      )
      .returningAll()
      .executeTakeFirst()
    return row && toJob(row)
  }

  async heartbeat(id: string, workerId: string, leaseMs: number): Promise<boolean> {
    const { db, context } = this.#scope
    const now = context.clock()
    const result = await db
      .updateTable('jobs')
      .set({ locked_until: new Date(now + leaseMs).toISOString(), updated_at: new Date(now).toISOString() })
      .where('id', '=', id)
      .where('state', '=', 'active')
      .where('locked_by', '=', workerId)
      .executeTakeFirst()
    return Number(result.numUpdatedRows) > 0
  }

  /** Completes the job if this worker still holds it; otherwise (lease lost) changes nothing. */
  async complete(id: string, workerId: string): Promise<void> {
    await this.#scope.db
      .updateTable('jobs')
      .set({ state: 'completed', locked_by: null, locked_until: null, updated_at: nowIso(this.#scope.context) })
      .where('id', '=', id)
      .where('state', '=', 'active')
      .where('locked_by', '=', workerId)
      .execute()
  }

  /** Ends this worker's attempt. A worker that no longer holds the job gets its state, unchanged. */
  async fail(id: string, workerId: string, error: string, options: FailOptions): Promise<JobState> {
    return this.#scope.transaction(async ({ db, context }) => {
      const job = await db
        .selectFrom('jobs')
        .select(['state', 'locked_by', 'attempts', 'max_attempts'])
        .where('id', '=', id)
        .$if(context.dialect === 'postgres', (qb) => qb.forUpdate())
        .executeTakeFirst()
      if (!job) throw new NotFoundError('job', id)
      if (job.state !== 'active' || job.locked_by !== workerId) return job.state as JobState
      const now = context.clock()
      const state: JobState = !options.retryable ? 'failed' : job.attempts < job.max_attempts ? 'retry' : 'dead'
      await db
        .updateTable('jobs')
        .set({
          state,
          locked_by: null,
          locked_until: null,
          last_error: error,
          run_after: state === 'retry' ? new Date(now + Math.max(0, options.retryDelayMs)).toISOString() : undefined,
          updated_at: new Date(now).toISOString(),
        })
        .where('id', '=', id)
        .execute()
      return state
    })
  }

  async cancel(id: string): Promise<boolean> {
    const result = await this.#scope.db
      .updateTable('jobs')
      .set({ state: 'cancelled', locked_by: null, locked_until: null, updated_at: nowIso(this.#scope.context) })
      .where('id', '=', id)
      .where(LIVE_STATES)
      .executeTakeFirst()
    return Number(result.numUpdatedRows) > 0
  }

  async get(id: string): Promise<Job | undefined> {
    const row = await this.#scope.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst()
    return row && toJob(row)
  }

  async getActiveBySingletonKey(key: string): Promise<Job | undefined> {
    const row = await this.#scope.db
      .selectFrom('jobs')
      .selectAll()
      .where('singleton_key', '=', key)
      .where(LIVE_STATES)
      .executeTakeFirst()
    return row && toJob(row)
  }

  async list(filter: { kinds?: readonly string[]; states?: readonly JobState[]; limit?: number }): Promise<Job[]> {
    let query = this.#scope.db.selectFrom('jobs').selectAll()
    if (filter.kinds !== undefined) {
      if (filter.kinds.length === 0) return []
      query = query.where('kind', 'in', filter.kinds)
    }
    if (filter.states !== undefined) {
      if (filter.states.length === 0) return []
      query = query.where('state', 'in', filter.states)
    }
    const rows = await query
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(filter.limit ?? DEFAULT_LIST_LIMIT)
      .execute()
    return rows.map(toJob)
  }
}

function toJob(row: Selectable<JobRow>): Job {
  return {
    id: row.id,
    kind: row.kind,
    tenantId: row.tenant_id,
    singletonKey: row.singleton_key,
    payload: parseJson<Record<string, unknown>>(row.payload),
    state: row.state as JobState,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    runAfter: row.run_after,
    lockedBy: row.locked_by,
    lockedUntil: row.locked_until,
    lastError: row.last_error,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

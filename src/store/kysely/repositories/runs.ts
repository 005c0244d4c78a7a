import { type Selectable, sql } from 'kysely'
import type { RunStatus, RunTrigger, StreamName } from '../../../domain/statuses.ts'
import { newId } from '../../../lib/ids.ts'
import type { NewRun, RunFilter, RunRepository, SyncRun } from '../../store.ts'
import type { SyncRunRow } from '../schema.ts'
import { nowIso, parseJson, type Scope } from '../scope.ts'

const DEFAULT_LIMIT = 100

/** Sync runs: one row per attempt of a sync job, with its counters as columns. */
export class KyselyRunRepository implements RunRepository {
  readonly #scope: Scope

  constructor(scope: Scope) {
    this.#scope = scope
  }

  async create(input: NewRun): Promise<SyncRun> {
    const { db, context } = this.#scope
    const row: SyncRunRow = {
      id: newId(context.clock()),
      tenant_id: input.tenantId,
      connection_id: input.connectionId,
      stream: input.stream,
      job_id: input.jobId,
      trigger: input.trigger,
      status: input.status ?? 'queued',
      attempt: input.attempt,
      pages: 0,
      fetched: 0,
      created: 0,
      updated: 0,
      unchanged: 0,
      failed: 0,
      total: null,
      options: JSON.stringify(input.options),
      error: null,
      error_code: null,
      queued_at: nowIso(context),
      started_at: null,
      finished_at: null,
      heartbeat_at: null,
    }
    await db.insertInto('sync_runs').values(row).execute()
    return toRun(row)
  }

  async get(id: string, tenantId?: string): Promise<SyncRun | undefined> {
    let query = this.#scope.db.selectFrom('sync_runs').selectAll().where('id', '=', id)
    if (tenantId !== undefined) query = query.where('tenant_id', '=', tenantId)
    const row = await query.executeTakeFirst()
    return row && toRun(row)
  }

  async list(filter: RunFilter): Promise<SyncRun[]> {
    const { db } = this.#scope
    let query = db.selectFrom('sync_runs').selectAll()
    if (filter.tenantId !== undefined) query = query.where('tenant_id', '=', filter.tenantId)
    if (filter.connectionId !== undefined) {
      query = query.where('connection_id', '=', filter.connectionId)
      // The engine asks by connection alone; naming its tenant lets the tenant-first index serve.
      if (filter.tenantId === undefined) {
        query = query.where('tenant_id', '=', (eb) =>
          eb
            .selectFrom('connections')
            .select('connections.tenant_id')
            .where('connections.id', '=', filter.connectionId!),
        )
      }
    }
    if (filter.stream !== undefined) query = query.where('stream', '=', filter.stream)
    if (filter.statuses !== undefined) {
      if (filter.statuses.length === 0) return []
      query = query.where('status', 'in', filter.statuses)
    }
    const rows = await query
      .orderBy('queued_at', 'desc')
      .orderBy('id', 'desc')
      .limit(filter.limit ?? DEFAULT_LIMIT)
      .execute()
    return rows.map(toRun)
  }

  async latestForJob(jobId: string): Promise<SyncRun | undefined> {
    const row = await this.#scope.db
      .selectFrom('sync_runs')
      .selectAll()
      .where('job_id', '=', jobId)
      .orderBy('attempt', 'desc')
      .orderBy('queued_at', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst()
    return row && toRun(row)
  }

  async markRunning(id: string, at: string): Promise<void> {
    await this.#scope.db
      .updateTable('sync_runs')
      .set({ status: 'running', started_at: at, heartbeat_at: at, finished_at: null })
      .where('id', '=', id)
      .execute()
  }

  async heartbeat(id: string, at: string): Promise<void> {
    await this.#scope.db.updateTable('sync_runs').set({ heartbeat_at: at }).where('id', '=', id).execute()
  }

  async finish(
    id: string,
    status: RunStatus,
    at: string,
    error?: { message: string; code: string } | null,
  ): Promise<void> {
    await this.#scope.db
      .updateTable('sync_runs')
      .set({ status, finished_at: at, error: error?.message ?? null, error_code: error?.code ?? null })
      .where('id', '=', id)
      .execute()
  }

  async countByStatus(tenantId?: string): Promise<Record<string, number>> {
    let query = this.#scope.db.selectFrom('sync_runs').select(['status', (eb) => eb.fn.countAll<number>().as('count')])
    if (tenantId !== undefined) query = query.where('tenant_id', '=', tenantId)
    const rows = await query.groupBy('status').execute()
    return Object.fromEntries(rows.map((row) => [row.status, Number(row.count)]))
  }

  async listStale(before: string): Promise<SyncRun[]> {
    const rows = await this.#scope.db
      .selectFrom('sync_runs')
      .selectAll()
      // A literal, not a parameter, so SQLite can match the partial index sync_runs_running_idx.
      .where('status', '=', sql.lit('running'))
      .where((eb) =>
        eb.or([
          eb('heartbeat_at', '<', before),
          eb.and([eb('heartbeat_at', 'is', null), eb('started_at', '<', before)]),
        ]),
      )
      .orderBy('heartbeat_at')
      .execute()
    return rows.map(toRun)
  }
}

function toRun(row: Selectable<SyncRunRow>): SyncRun {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    connectionId: row.connection_id,
    stream: row.stream as StreamName,
    jobId: row.job_id,
    trigger: row.trigger as RunTrigger,
    status: row.status as RunStatus,
    attempt: row.attempt,
    counters: {
      pages: row.pages,
      fetched: row.fetched,
      created: row.created,
      updated: row.updated,
      unchanged: row.unchanged,
      failed: row.failed,
    },
    total: row.total,
    options: parseJson<Record<string, unknown>>(row.options),
    error: row.error,
    errorCode: row.error_code,
    queuedAt: row.queued_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    heartbeatAt: row.heartbeat_at,
  }
}

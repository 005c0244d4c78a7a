import type { Selectable } from 'kysely'
import type { StreamCursor } from '../../../connectors/connector.ts'
import type { StreamName } from '../../../domain/statuses.ts'
import type { SyncState, SyncStateRepository } from '../../store.ts'
import type { SyncStateRow } from '../schema.ts'
import { nowIso, type Scope } from '../scope.ts'

/** One row per (connection, stream): the checkpoint a read resumes from. applyPage writes it too. */
export class KyselySyncStateRepository implements SyncStateRepository {
  readonly #scope: Scope

  constructor(scope: Scope) {
    this.#scope = scope
  }

  async get(connectionId: string, stream: StreamName): Promise<SyncState | undefined> {
    const row = await this.#scope.db
      .selectFrom('sync_state')
      .selectAll()
      .where('connection_id', '=', connectionId)
      .where('stream', '=', stream)
      .executeTakeFirst()
    return row && toSyncState(row)
  }

  async list(connectionId: string): Promise<SyncState[]> {
    const rows = await this.#scope.db
      .selectFrom('sync_state')
      .selectAll()
      .where('connection_id', '=', connectionId)
      .orderBy('stream')
      .execute()
    return rows.map(toSyncState)
  }

  async saveCursor(
    connectionId: string,
    stream: StreamName,
    cursor: StreamCursor,
    runId: string | null,
  ): Promise<void> {
    const now = nowIso(this.#scope.context)
    await this.#scope.db
      .insertInto('sync_state')
      .values({
        connection_id: connectionId,
        stream,
        watermark: cursor.watermark,
        resume: cursor.resume,
        last_run_id: runId,
        last_success_at: null,
        updated_at: now,
      })
      .onConflict((oc) =>
        oc.columns(['connection_id', 'stream']).doUpdateSet((eb) => ({
          watermark: eb.ref('excluded.watermark'),
          resume: eb.ref('excluded.resume'),
          last_run_id: eb.ref('excluded.last_run_id'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute()
  }

  async markSuccess(connectionId: string, stream: StreamName, runId: string, at: string): Promise<void> {
    const now = nowIso(this.#scope.context)
    await this.#scope.db
      .insertInto('sync_state')
      .values({
        connection_id: connectionId,
        stream,
        watermark: null,
        resume: null,
        last_run_id: runId,
        last_success_at: at,
        updated_at: now,
      })
      .onConflict((oc) =>
        oc.columns(['connection_id', 'stream']).doUpdateSet((eb) => ({
          last_run_id: eb.ref('excluded.last_run_id'),
          last_success_at: eb.ref('excluded.last_success_at'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute()
  }
}

function toSyncState(row: Selectable<SyncStateRow>): SyncState {
  return {
    connectionId: row.connection_id,
    stream: row.stream as StreamName,
    cursor: { watermark: row.watermark, resume: row.resume },
    lastRunId: row.last_run_id,
    lastSuccessAt: row.last_success_at,
    updatedAt: row.updated_at,
  }
}

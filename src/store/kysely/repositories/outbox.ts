import { type Selectable, sql } from 'kysely'
import { newId } from '../../../lib/ids.ts'
import type { OutboxEntry, OutboxRepository, OutboxState } from '../../store.ts'
import type { OutboxRow } from '../schema.ts'
import { nowIso, parseJson, type Scope } from '../scope.ts'

const LIVE: OutboxState[] = ['pending', 'sending']

/** Durable writes back to providers; every read and write names the tenant, except claiming. */
export class KyselyOutboxRepository implements OutboxRepository {
  readonly #scope: Scope

  constructor(scope: Scope) {
    this.#scope = scope
  }

  enqueueOrderStatus(input: { tenantId: string; orderId: string; status: string }): Promise<OutboxEntry | undefined> {
    return this.#scope.transaction(async ({ db, context }) => {
      const order = await db
        .selectFrom('orders')
        .select(['id', 'connection_id', 'external_id'])
        .where('tenant_id', '=', input.tenantId)
        .where('id', '=', input.orderId)
        .executeTakeFirst()
      if (!order) return undefined
      const at = nowIso(context)
      // A newer wish replaces an older one not yet in flight: delivering both could land them out of order.
      await db
        .updateTable('outbox')
        .set({ state: 'failed', last_error: 'superseded by a newer status change', updated_at: at })
        .where('tenant_id', '=', input.tenantId)
        .where('order_id', '=', order.id)
        .where('state', '=', 'pending')
        .execute()
      await db
        .updateTable('orders')
        .set({ pending_status: input.status })
        .where('tenant_id', '=', input.tenantId)
        .where('id', '=', order.id)
        .execute()
      const id = newId(context.clock())
      const row: OutboxRow = {
        tenant_id: input.tenantId,
        id,
        connection_id: order.connection_id,
        kind: 'order_status',
        order_id: order.id,
        payload: JSON.stringify({ externalId: order.external_id, status: input.status }),
        idempotency_key: `order_status:${id}`,
        state: 'pending',
        attempts: 0,
        next_attempt_at: at,
        last_error: null,
        response: null,
        created_at: at,
        updated_at: at,
      }
      await db.insertInto('outbox').values(row).execute()
      return toEntry(row)
    })
  }

  async claimDue(leaseMs: number, limit: number): Promise<OutboxEntry[]> {
    const { db, context } = this.#scope
    const now = nowIso(context)
    const candidates = await db
      .selectFrom('outbox')
      .selectAll()
      .where('state', 'in', [sql.lit('pending'), sql.lit('sending')])
      .where('next_attempt_at', '<=', now)
      .orderBy('next_attempt_at')
      .orderBy('id')
      .limit(limit)
      .execute()
    const leaseUntil = new Date(context.clock() + leaseMs).toISOString()
    const claimed: OutboxEntry[] = []
    for (const candidate of candidates) {
      // Conditional on the row being as read: of concurrent claimers exactly one wins each entry.
      const result = await db
        .updateTable('outbox')
        .set({ state: 'sending', attempts: candidate.attempts + 1, next_attempt_at: leaseUntil, updated_at: now })
        .where('tenant_id', '=', candidate.tenant_id)
        .where('id', '=', candidate.id)
        .where('state', '=', candidate.state)
        .where('next_attempt_at', '=', candidate.next_attempt_at)
        .executeTakeFirst()
      if (Number(result.numUpdatedRows) === 1) {
        claimed.push(
          toEntry({ ...candidate, state: 'sending', attempts: candidate.attempts + 1, next_attempt_at: leaseUntil }),
        )
      }
    }
    return claimed
  }

  markSent(id: string, tenantId: string, response: unknown): Promise<void> {
    return this.#end(id, tenantId, { state: 'sent', last_error: null, response: JSON.stringify(response ?? null) })
  }

  async markRetry(id: string, tenantId: string, error: string, nextAttemptAt: string): Promise<void> {
    await this.#scope.db
      .updateTable('outbox')
      .set({
        state: 'pending',
        last_error: error,
        next_attempt_at: nextAttemptAt,
        updated_at: nowIso(this.#scope.context),
      })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .execute()
  }

  markFinal(id: string, tenantId: string, state: 'failed' | 'dead', error: string): Promise<void> {
    return this.#end(id, tenantId, { state, last_error: error })
  }

  /** Ends an entry and clears its order's pending status unless a newer write is still on its way. */
  #end(id: string, tenantId: string, patch: Partial<Pick<OutboxRow, 'state' | 'last_error' | 'response'>>) {
    return this.#scope.transaction(async ({ db, context }) => {
      const entry = await db
        .updateTable('outbox')
        .set({ ...patch, updated_at: nowIso(context) })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .returning(['order_id'])
        .executeTakeFirst()
      if (!entry?.order_id) return
      await db
        .updateTable('orders')
        .set({ pending_status: null })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', entry.order_id)
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('outbox')
                .select('id')
                .where('tenant_id', '=', tenantId)
                .where('order_id', '=', entry.order_id)
                .where('state', 'in', LIVE),
            ),
          ),
        )
        .execute()
    })
  }

  async get(id: string, tenantId: string): Promise<OutboxEntry | undefined> {
    const row = await this.#scope.db
      .selectFrom('outbox')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst()
    return row && toEntry(row)
  }

  async list(
    tenantId: string,
    filter: { states?: readonly OutboxState[]; orderId?: string; limit?: number } = {},
  ): Promise<OutboxEntry[]> {
    if (filter.states?.length === 0) return []
    let query = this.#scope.db.selectFrom('outbox').selectAll().where('tenant_id', '=', tenantId)
    if (filter.states) query = query.where('state', 'in', filter.states)
    if (filter.orderId) query = query.where('order_id', '=', filter.orderId)
    const rows = await query
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(filter.limit ?? 100)
      .execute()
    return rows.map(toEntry)
  }

  retry(id: string, tenantId: string): Promise<OutboxEntry | undefined> {
    return this.#scope.transaction(async ({ db, context }) => {
      const at = nowIso(context)
      const row = await db
        .updateTable('outbox')
        .set({ state: 'pending', attempts: 0, next_attempt_at: at, updated_at: at })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .where('state', 'in', ['failed', 'dead'])
        .returningAll()
        .executeTakeFirst()
      if (!row) return undefined
      if (row.order_id) {
        const payload = parseJson<{ status?: string }>(row.payload)
        await db
          .updateTable('orders')
          .set({ pending_status: payload.status ?? null })
          .where('tenant_id', '=', tenantId)
          .where('id', '=', row.order_id)
          .execute()
      }
      return toEntry(row)
    })
  }

  async countByState(): Promise<Record<string, number>> {
    const rows = await this.#scope.db
      .selectFrom('outbox')
      .select(['state', (eb) => eb.fn.countAll<number>().as('count')])
      .groupBy('state')
      .execute()
    return Object.fromEntries(rows.map((row) => [row.state, Number(row.count)]))
  }
}

function toEntry(row: Selectable<OutboxRow>): OutboxEntry {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    connectionId: row.connection_id,
    kind: row.kind,
    orderId: row.order_id,
    payload: parseJson<Record<string, unknown>>(row.payload),
    idempotencyKey: row.idempotency_key,
    state: row.state as OutboxState,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error,
    response: row.response === null ? null : parseJson<unknown>(row.response),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

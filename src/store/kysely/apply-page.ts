import type { Customer, Normalized, NormalizeFailure, Order } from '../../domain/entities.ts'
import { NotFoundError } from '../../domain/errors.ts'
import { type MergeOutcome, mergeRule, type StoredVersion } from '../../domain/merge-rule.ts'
import { newId } from '../../lib/ids.ts'
import type { ApplyPageInput, PageCounts } from '../store.ts'
import { type BulkSql, chunksFor } from './bulk-sql.ts'
import { CUSTOMER_COLUMNS, type CustomerRow, ORDER_COLUMNS, type OrderColumn, type OrderRow } from './schema.ts'
import { executeBatch, executeRaw, nowIso, type RawStatement, type Scope } from './scope.ts'

/**
 * The sync hot path: one page of normalized records applied in the caller's transaction.
 *
 * Per page, whatever its size: one SELECT of the stored versions, one multi-row upsert of the
 * created and updated records, for orders one DELETE and one multi-row INSERT of their lines, one
 * INSERT of the failures, one upsert of the cursor and one UPDATE of the run's counters. Never a
 * statement per record; statements repeat page after page, so SQLite reuses them prepared. All
 * but the read go to the database as one batch: on SQLite one round trip to its thread.
 *
 * Decisions are the merge rule's (domain/merge-rule.ts), taken here from the stored
 * (hash, updated_at, deleted_at). `stale` counts as unchanged and writes nothing.
 *
 * `first_synced_at` is set when a record is created, `last_synced_at` whenever its content is
 * written (created or updated). Unchanged records are NOT touched: rewriting a ~2 KB row just to
 * move a timestamp cost as much as inserting it (PostgreSQL rewrites the tuple and every index
 * entry), and an incremental read is mostly unchanged records from the lookback overlap. When a
 * stream was last read in full is the sync state's lastSuccessAt.
 */
export async function applyPageInTransaction(
  scope: Scope,
  bulk: BulkSql,
  input: ApplyPageInput<Order> | ApplyPageInput<Customer>,
  entity: 'order' | 'customer',
): Promise<PageCounts> {
  const { context } = scope
  const { tenantId, connectionId } = input
  const now = nowIso(context)

  const { counts: merged, writes } = await planMerge(scope, bulk, input, entity)
  const counts: PageCounts = { ...merged, failed: input.failures.length }
  const statements = [
    ...writes,
    ...failureInserts(scope, bulk, input, now),
    {
      sql: bulk.plain(
        'insert into sync_state (connection_id, stream, watermark, resume, last_run_id, updated_at) values (?, ?, ?, ?, ?, ?) ' +
          'on conflict (connection_id, stream) do update set watermark = excluded.watermark, resume = excluded.resume, ' +
          'last_run_id = excluded.last_run_id, updated_at = excluded.updated_at',
      ),
      parameters: [connectionId, input.stream, input.cursor.watermark, input.cursor.resume, input.runId, now],
    },
    {
      sql: bulk.plain(
        'update sync_runs set pages = pages + 1, fetched = fetched + ?, created = created + ?, updated = updated + ?, ' +
          'unchanged = unchanged + ?, failed = failed + ?, total = coalesce(?, total), heartbeat_at = ? ' +
          'where id = ? and tenant_id = ?',
      ),
      parameters: [
        input.records.length + input.failures.length,
        counts.created,
        counts.updated,
        counts.unchanged,
        counts.failed,
        input.total ?? null,
        now,
        input.runId,
        tenantId,
      ],
    },
  ]
  const results = await executeBatch(scope, statements)
  // Without its run a page's progress would vanish: refuse (and roll back) rather than lose it.
  if (results.at(-1)!.affected === 0) throw new NotFoundError('run', input.runId)
  return counts
}

interface StoredRecord extends StoredVersion {
  readonly id: string
}

interface EntitySpec<E extends Order | Customer> {
  readonly table: 'orders' | 'customers'
  /** Insert order of pushRow's values. */
  readonly columns: readonly string[]
  /**
   * The ON CONFLICT clause that turns the insert into an update for records stored before: it
   * rewrites everything but the keys and first_synced_at (the row keeps its id).
   */
  readonly upsert: string
  pushRow(
    parameters: unknown[],
    record: Normalized<E>,
    tenantId: string,
    connectionId: string,
    id: string,
    now: string,
  ): void
}

const KEY_COLUMNS = new Set(['tenant_id', 'id', 'connection_id', 'external_id', 'first_synced_at'])

function upsertClause(columns: readonly string[]): string {
  const updates = columns.filter((column) => !KEY_COLUMNS.has(column)).map((column) => `${column} = excluded.${column}`)
  return `on conflict (tenant_id, connection_id, external_id) do update set ${updates.join(', ')}`
}

/** What a sync writes of an order: everything but the outbox's pending_status. */
const ORDER_WRITE_COLUMNS = ORDER_COLUMNS.filter(
  (column): column is Exclude<OrderColumn, 'pending_status'> => column !== 'pending_status',
)

const ORDER_SPEC: EntitySpec<Order> = {
  table: 'orders',
  columns: ORDER_WRITE_COLUMNS,
  upsert: upsertClause(ORDER_WRITE_COLUMNS),
  pushRow(parameters, { entity: o, rawJson, hash }, tenantId, connectionId, id, now) {
    // Typed as the table's row, so a column added to the schema cannot be left out here.
    const row: Omit<OrderRow, 'pending_status'> = {
      tenant_id: tenantId,
      id,
      connection_id: connectionId,
      external_id: o.externalId,
      number: o.number,
      status: o.status,
      financial_status: o.financialStatus,
      provider_status: o.providerStatus,
      currency: o.currency,
      total_minor: o.totalMinor,
      subtotal_minor: o.subtotalMinor,
      tax_minor: o.taxMinor,
      shipping_minor: o.shippingMinor,
      discount_minor: o.discountMinor,
      refunded_minor: o.refundedMinor,
      customer_external_id: o.customerExternalId,
      customer_email: o.customerEmail,
      customer_name: o.customerName,
      created_at: o.createdAt,
      updated_at: o.updatedAt,
      paid_at: o.paidAt,
      completed_at: o.completedAt,
      deleted_at: o.deletedAt,
      raw: rawJson,
      hash,
      first_synced_at: now,
      last_synced_at: now,
    }
    for (const column of ORDER_WRITE_COLUMNS) parameters.push(row[column])
  },
}

const CUSTOMER_SPEC: EntitySpec<Customer> = {
  table: 'customers',
  columns: CUSTOMER_COLUMNS,
  upsert: upsertClause(CUSTOMER_COLUMNS),
  pushRow(parameters, { entity: c, rawJson, hash }, tenantId, connectionId, id, now) {
    // Typed as the table's row, like an order's.
    const row: CustomerRow = {
      tenant_id: tenantId,
      id,
      connection_id: connectionId,
      external_id: c.externalId,
      email: c.email,
      first_name: c.firstName,
      last_name: c.lastName,
      phone: c.phone,
      created_at: c.createdAt,
      updated_at: c.updatedAt,
      deleted_at: c.deletedAt,
      raw: rawJson,
      hash,
      first_synced_at: now,
      last_synced_at: now,
    }
    for (const column of CUSTOMER_COLUMNS) parameters.push(row[column])
  },
}

const LINE_COLUMNS = [
  'tenant_id',
  'order_id',
  'position',
  'external_id',
  'product_external_id',
  'variant_external_id',
  'sku',
  'name',
  'quantity',
  'unit_price_minor',
  'total_minor',
] as const

const FAILURE_COLUMNS = [
  'id',
  'tenant_id',
  'connection_id',
  'stream',
  'run_id',
  'external_id',
  'raw',
  'error',
  'created_at',
] as const

function versionOf(record: Normalized<Order | Customer>): StoredVersion {
  return { updatedAt: record.entity.updatedAt, hash: record.hash, deletedAt: record.entity.deletedAt }
}

/**
 * A page may carry one record twice (a provider re-sorting under our feet). Keep the newest by
 * the merge rule, so the unique key holds and the later version wins; the others count unchanged.
 */
function newestPerExternalId<E extends Order | Customer>(records: readonly Normalized<E>[]) {
  const unique = new Map<string, Normalized<E>>()
  let duplicates = 0
  for (const record of records) {
    const key = record.entity.externalId
    const seen = unique.get(key)
    if (seen === undefined) {
      unique.set(key, record)
      continue
    }
    duplicates++
    if (mergeRule(versionOf(seen), versionOf(record)) === 'updated') unique.set(key, record)
  }
  return { unique, duplicates }
}

async function loadStoredVersions(
  scope: Scope,
  table: 'orders' | 'customers',
  tenantId: string,
  connectionId: string,
  externalIds: readonly string[],
): Promise<Map<string, StoredRecord>> {
  const stored = new Map<string, StoredRecord>()
  const remember = (rows: VersionRow[]) => {
    for (const row of rows) {
      stored.set(row.external_id, { id: row.id, hash: row.hash, updatedAt: row.updated_at, deletedAt: row.deleted_at })
    }
  }
  if (externalIds.length === 0) return stored
  if (scope.context.dialect === 'postgres') {
    // One unique-index lookup per id, forced by LATERAL … LIMIT 1 (the LIMIT keeps the planner
    // from flattening it into a join). Until the table is first analyzed, PostgreSQL guesses that
    // (tenant_id, connection_id) matches one row, and then filters `external_id = any($3)`, or
    // hash-joins the array, over every order of the connection: quadratic over a backfill.
    const { rows } = await executeRaw<VersionRow>(
      scope.db,
      `select t.id, t.external_id, t.hash, t.updated_at, t.deleted_at from unnest($3::text[]) as k(external_id) ` +
        `cross join lateral (select id, external_id, hash, updated_at, deleted_at from ${table} ` +
        'where tenant_id = $1 and connection_id = $2 and external_id = k.external_id limit 1) t',
      [tenantId, connectionId, externalIds],
    )
    remember(rows)
    return stored
  }
  // The ids as one JSON array: one statement (one round trip to the SQLite thread, one prepared
  // statement) whatever the page size. CROSS JOIN keeps SQLite's join order: each id, then one
  // lookup in the unique index.
  const { rows } = await executeRaw<VersionRow>(
    scope.db,
    `select t.id, t.external_id, t.hash, t.updated_at, t.deleted_at from json_each(?) as k cross join ${table} as t ` +
      'where t.tenant_id = ? and t.connection_id = ? and t.external_id = k.value',
    [JSON.stringify(externalIds), tenantId, connectionId],
  )
  remember(rows)
  return stored
}

interface VersionRow {
  id: string
  external_id: string
  hash: string
  updated_at: string | null
  deleted_at: string | null
}

function failureInserts(
  scope: Scope,
  bulk: BulkSql,
  input: ApplyPageInput<Order> | ApplyPageInput<Customer>,
  now: string,
): RawStatement[] {
  const clock = scope.context.clock
  return chunksFor(input.failures, FAILURE_COLUMNS.length, scope.context.maxParameters).map((chunk) => {
    const parameters: unknown[] = []
    for (const failure of chunk as NormalizeFailure[]) {
      parameters.push(
        newId(clock()),
        input.tenantId,
        input.connectionId,
        input.stream,
        input.runId,
        failure.externalId,
        failure.rawJson,
        failure.error,
        now,
      )
    }
    return { sql: bulk.insert('sync_failures', FAILURE_COLUMNS, chunk.length), parameters }
  })
}

/**
 * The record half of a page: merge-rule decisions and the multi-row upserts (orders with their
 * lines), without cursor or run bookkeeping. The outbox dispatcher uses it for the one order a
 * provider returns after a write.
 */
export async function mergeRecordsInTransaction(
  scope: Scope,
  bulk: BulkSql,
  input: MergeInput,
  entity: 'order' | 'customer',
): Promise<MergeCounts> {
  const { counts, writes } = await planMerge(scope, bulk, input, entity)
  await executeBatch(scope, writes)
  return counts
}

interface MergeInput {
  readonly tenantId: string
  readonly connectionId: string
  readonly records: readonly Normalized<Order | Customer>[]
}

interface MergeCounts {
  readonly created: number
  readonly updated: number
  readonly unchanged: number
}

/**
 * Reads the stored versions of a page's records, takes the merge rule's decisions and returns the
 * writes they call for, unexecuted: the caller runs them with its own bookkeeping in one batch.
 */
async function planMerge(
  scope: Scope,
  bulk: BulkSql,
  input: MergeInput,
  entity: 'order' | 'customer',
): Promise<{ counts: MergeCounts; writes: RawStatement[] }> {
  const spec = (entity === 'order' ? ORDER_SPEC : CUSTOMER_SPEC) as EntitySpec<Order | Customer>
  const { db, context } = scope
  const { tenantId, connectionId } = input
  const now = nowIso(context)
  const maxParameters = context.maxParameters

  if (context.dialect === 'postgres') {
    // Serialises writers of one connection's records (a sync run and a webhook), so the merge
    // decisions taken below from the stored versions still hold when the rows are written.
    await executeRaw(db, 'select pg_advisory_xact_lock(hashtextextended($1, 0))', [`${spec.table}:${connectionId}`])
  }

  const { unique, duplicates } = newestPerExternalId(input.records)
  const stored = await loadStoredVersions(scope, spec.table, tenantId, connectionId, [...unique.keys()])

  const upserts: { record: Normalized<Order | Customer>; id: string }[] = []
  const replacedIds: string[] = []
  let created = 0
  let updated = 0
  let unchanged = duplicates
  for (const record of unique.values()) {
    const existing = stored.get(record.entity.externalId)
    const outcome: MergeOutcome = mergeRule(existing, versionOf(record))
    if (outcome === 'created') {
      created++
      upserts.push({ record, id: newId(context.clock()) })
    } else if (outcome === 'updated') {
      updated++
      upserts.push({ record, id: existing!.id })
      replacedIds.push(existing!.id)
    } else {
      unchanged++
    }
  }

  const writes: RawStatement[] = []
  for (const chunk of chunksFor(upserts, spec.columns.length, maxParameters)) {
    const parameters: unknown[] = []
    for (const { record, id } of chunk) spec.pushRow(parameters, record, tenantId, connectionId, id, now)
    writes.push({ sql: bulk.insert(spec.table, spec.columns, chunk.length, spec.upsert), parameters })
  }
  if (entity === 'order') {
    writes.push(...lineDeletes(scope, tenantId, replacedIds), ...lineInserts(scope, bulk, tenantId, upserts))
  }
  return { counts: { created, updated, unchanged }, writes }
}

/** Removes the lines of orders about to get new ones. */
function lineDeletes(scope: Scope, tenantId: string, orderIds: readonly string[]): RawStatement[] {
  if (orderIds.length === 0) return []
  if (scope.context.dialect === 'postgres') {
    return [
      {
        sql: 'delete from order_lines where tenant_id = $1 and order_id = any($2::text[])',
        parameters: [tenantId, orderIds],
      },
    ]
  }
  return [
    {
      sql: 'delete from order_lines where tenant_id = ? and order_id in (select value from json_each(?))',
      parameters: [tenantId, JSON.stringify(orderIds)],
    },
  ]
}

/** The lines of the orders written, in their order. */
function lineInserts(
  scope: Scope,
  bulk: BulkSql,
  tenantId: string,
  upserts: readonly { record: Normalized<Order | Customer>; id: string }[],
): RawStatement[] {
  const lines: { orderId: string; position: number; line: Order['lines'][number] }[] = []
  for (const { record, id } of upserts) {
    const order = record.entity as Order
    for (let position = 0; position < order.lines.length; position++) {
      lines.push({ orderId: id, position, line: order.lines[position]! })
    }
  }
  return chunksFor(lines, LINE_COLUMNS.length, scope.context.maxParameters).map((chunk) => {
    const parameters: unknown[] = []
    for (const { orderId, position, line } of chunk) {
      parameters.push(
        tenantId,
        orderId,
        position,
        line.externalId,
        line.productExternalId,
        line.variantExternalId,
        line.sku,
        line.name,
        line.quantity,
        line.unitPriceMinor,
        line.totalMinor,
      )
    }
    return { sql: bulk.insert('order_lines', LINE_COLUMNS, chunk.length), parameters }
  })
}

import { type Expression, type ExpressionBuilder, type Selectable, type SqlBool, sql } from 'kysely'
import type { OrderLine } from '../../../domain/entities.ts'
import type { FinancialStatus, OrderStatus } from '../../../domain/statuses.ts'
import type {
  OrderFilter,
  OrderListOptions,
  OrderRepository,
  OrderStats,
  StoredOrder,
  StoredOrderWithRaw,
} from '../../store.ts'
import { chunksFor } from '../bulk-sql.ts'
import { type Database, ORDER_COLUMNS, type OrderColumn, type OrderLineRow, type OrderRow } from '../schema.ts'
import { parseJson, type Scope } from '../scope.ts'

const DEFAULT_LIMIT = 100

/** Reads of synced orders; every query is scoped by tenant_id here, whatever the caller passes. */
export class KyselyOrderRepository implements OrderRepository {
  readonly #scope: Scope

  constructor(scope: Scope) {
    this.#scope = scope
  }

  async count(tenantId: string, filter: OrderFilter = {}): Promise<number> {
    const row = await this.#scope.db
      .selectFrom('orders')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where(orderFilter(tenantId, filter))
      .executeTakeFirstOrThrow()
    return Number(row.count)
  }

  async stats(tenantId: string, filter: OrderFilter = {}): Promise<OrderStats> {
    const byStatusRows = await this.#scope.db
      .selectFrom('orders')
      .select(['status', (eb) => eb.fn.countAll<number>().as('count')])
      .where(orderFilter(tenantId, filter))
      .groupBy('status')
      .execute()
    const revenueRows = await this.#scope.db
      .selectFrom('orders')
      .select((eb) => [
        'currency',
        eb.fn.countAll<number>().as('orders'),
        eb.fn.sum<number>('total_minor').as('gross'),
        eb.fn.sum<number>('refunded_minor').as('refunded'),
      ])
      .where(orderFilter(tenantId, filter))
      .where('status', 'not in', ['cancelled', 'failed'])
      .groupBy('currency')
      .orderBy('currency')
      .execute()
    return {
      byStatus: Object.fromEntries(byStatusRows.map((row) => [row.status, Number(row.count)])),
      revenue: revenueRows.map((row) => ({
        currency: row.currency,
        orders: Number(row.orders),
        grossMinor: Number(row.gross ?? 0),
        refundedMinor: Number(row.refunded ?? 0),
      })),
    }
  }

  async list(tenantId: string, options: OrderListOptions = {}): Promise<StoredOrder[]> {
    const direction = options.order ?? 'desc'
    let query = this.#scope.db.selectFrom('orders').select(LIST_COLUMNS).where(orderFilter(tenantId, options))
    const orderBy = options.orderBy ?? 'created_at'
    const { after } = options
    if (after !== undefined && orderBy !== 'number') {
      const column = orderBy === 'total' ? 'total_minor' : orderBy
      // Row-value comparison (SQLite ≥ 3.15 and PostgreSQL): the id breaks ties exactly as the sort does.
      query = query.where((eb) =>
        eb(eb.refTuple(column, 'id'), direction === 'desc' ? '<' : '>', eb.tuple(after.value as never, after.id)),
      )
    }
    switch (orderBy) {
      case 'created_at':
        query = query.orderBy('created_at', direction)
        break
      case 'updated_at':
        query = query.orderBy('updated_at', direction)
        break
      case 'total':
        query = query.orderBy('total_minor', direction)
        break
      case 'number':
        // Numbers are text; shorter first sorts "999" before "1000". Missing numbers go last on
        // both dialects (SQLite and PostgreSQL disagree on where NULL sorts by default).
        query = query
          .orderBy(sql`case when ${sql.ref('number')} is null then 1 else 0 end`)
          .orderBy(sql`length(${sql.ref('number')})`, direction)
          .orderBy('number', direction)
        break
    }
    const rows = await query
      .orderBy('id', direction)
      .limit(options.limit ?? DEFAULT_LIMIT)
      .offset(options.offset ?? 0)
      .execute()
    const lines = await this.#linesOf(
      tenantId,
      rows.map((row) => row.id),
    )
    return rows.map((row) => toStoredOrder(row, lines.get(row.id) ?? []))
  }

  async get(tenantId: string, id: string): Promise<StoredOrderWithRaw | undefined> {
    const row = await this.#scope.db
      .selectFrom('orders')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst()
    return row && this.#withLinesAndRaw(row)
  }

  async getByExternalId(
    tenantId: string,
    connectionId: string,
    externalId: string,
  ): Promise<StoredOrderWithRaw | undefined> {
    const row = await this.#scope.db
      .selectFrom('orders')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('connection_id', '=', connectionId)
      .where('external_id', '=', externalId)
      .executeTakeFirst()
    return row && this.#withLinesAndRaw(row)
  }

  async #withLinesAndRaw(row: Selectable<OrderRow>): Promise<StoredOrderWithRaw> {
    const lines = await this.#linesOf(row.tenant_id, [row.id])
    return { ...toStoredOrder(row, lines.get(row.id) ?? []), raw: parseJson<unknown>(row.raw) }
  }

  async #linesOf(tenantId: string, orderIds: readonly string[]): Promise<Map<string, OrderLine[]>> {
    const byOrder = new Map<string, OrderLine[]>()
    for (const ids of chunksFor(orderIds, 1, this.#scope.context.maxParameters, 1)) {
      const rows = await this.#scope.db
        .selectFrom('order_lines')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('order_id', 'in', ids)
        .orderBy('order_id')
        .orderBy('position')
        .execute()
      for (const row of rows) {
        const lines = byOrder.get(row.order_id)
        if (lines) lines.push(toLine(row))
        else byOrder.set(row.order_id, [toLine(row)])
      }
    }
    return byOrder
  }
}

/** Every column but raw: lists stay light; raw comes with get(). */
const LIST_COLUMNS = ORDER_COLUMNS.filter((column): column is Exclude<OrderColumn, 'raw'> => column !== 'raw')

function orderFilter(tenantId: string, filter: OrderFilter) {
  return (eb: ExpressionBuilder<Database, 'orders'>): Expression<SqlBool> => {
    const conditions: Expression<SqlBool>[] = [eb('tenant_id', '=', tenantId)]
    if (filter.connectionId !== undefined) conditions.push(eb('connection_id', '=', filter.connectionId))
    if (filter.statuses !== undefined) conditions.push(inList(eb, 'status', filter.statuses))
    if (filter.financialStatuses !== undefined) {
      conditions.push(inList(eb, 'financial_status', filter.financialStatuses))
    }
    if (filter.createdAtMin !== undefined) conditions.push(eb('created_at', '>=', filter.createdAtMin))
    if (filter.createdAtMax !== undefined) conditions.push(eb('created_at', '<=', filter.createdAtMax))
    if (filter.updatedAtMin !== undefined) conditions.push(eb('updated_at', '>=', filter.updatedAtMin))
    if (filter.updatedAtMax !== undefined) conditions.push(eb('updated_at', '<=', filter.updatedAtMax))
    if (filter.customerEmail !== undefined) {
      conditions.push(eb(eb.fn('lower', ['customer_email']), '=', filter.customerEmail.toLowerCase()))
    }
    if (filter.customerExternalId !== undefined) {
      conditions.push(eb('customer_external_id', '=', filter.customerExternalId))
    }
    if (filter.q !== undefined && filter.q.trim() !== '') {
      const pattern = `%${escapeLike(filter.q.trim().toLowerCase())}%`
      conditions.push(
        eb.or([
          sql<SqlBool>`lower(${sql.ref('number')}) like ${pattern} escape '\\'`,
          sql<SqlBool>`lower(${sql.ref('customer_email')}) like ${pattern} escape '\\'`,
        ]),
      )
    }
    if (!filter.includeDeleted) conditions.push(eb('deleted_at', 'is', null))
    return eb.and(conditions)
  }
}

/** `column in (…)`; an empty list matches nothing (rather than being ignored). */
function inList(
  eb: ExpressionBuilder<Database, 'orders'>,
  column: 'status' | 'financial_status',
  values: readonly (OrderStatus | FinancialStatus)[],
): Expression<SqlBool> {
  return values.length === 0 ? sql<SqlBool>`1 = 0` : eb(column, 'in', values)
}

/** Makes `%`, `_` and `\` in user text literal inside a LIKE pattern (ESCAPE '\'). */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`)
}

function toStoredOrder(row: Omit<Selectable<OrderRow>, 'raw'>, lines: OrderLine[]): StoredOrder {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    connectionId: row.connection_id,
    externalId: row.external_id,
    number: row.number,
    status: row.status as OrderStatus,
    financialStatus: row.financial_status as FinancialStatus,
    providerStatus: row.provider_status,
    currency: row.currency,
    totalMinor: row.total_minor,
    subtotalMinor: row.subtotal_minor,
    taxMinor: row.tax_minor,
    shippingMinor: row.shipping_minor,
    discountMinor: row.discount_minor,
    refundedMinor: row.refunded_minor,
    customerExternalId: row.customer_external_id,
    customerEmail: row.customer_email,
    customerName: row.customer_name,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    paidAt: row.paid_at,
    completedAt: row.completed_at,
    deletedAt: row.deleted_at,
    pendingStatus: row.pending_status,
    lines,
    hash: row.hash,
    firstSyncedAt: row.first_synced_at,
    lastSyncedAt: row.last_synced_at,
  }
}

function toLine(row: Selectable<OrderLineRow>): OrderLine {
  return {
    externalId: row.external_id,
    productExternalId: row.product_external_id,
    variantExternalId: row.variant_external_id,
    sku: row.sku,
    name: row.name,
    quantity: row.quantity,
    unitPriceMinor: row.unit_price_minor,
    totalMinor: row.total_minor,
  }
}

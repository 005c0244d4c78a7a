import { z } from 'zod'
import { NotFoundError, ValidationError } from '../../domain/errors.ts'
import { FINANCIAL_STATUSES, ORDER_STATUSES } from '../../domain/statuses.ts'
import type { OrderFilter, OrderListOptions, StoredOrder } from '../../store/store.ts'
import type { RouteDeps } from '../app.ts'
import type { Router } from '../routing.ts'
import { IdParams, IsoTime, listParam, Money, money, OrderJson, presentOrder } from '../schemas.ts'

const MAX_LIMIT = 200

const OrderFilterQuery = {
  status: listParam(ORDER_STATUSES).optional().describe('order statuses, comma-separated or repeated'),
  financialStatus: listParam(FINANCIAL_STATUSES).optional(),
  connectionId: z.string().min(1).max(64).optional(),
  createdAtMin: IsoTime.optional(),
  createdAtMax: IsoTime.optional(),
  updatedAtMin: IsoTime.optional(),
  updatedAtMax: IsoTime.optional(),
  customerEmail: z.string().min(1).max(320).optional(),
  q: z.string().min(1).max(200).optional().describe('matches the order number or the customer email'),
}

const ListQuery = z.strictObject({
  ...OrderFilterQuery,
  orderBy: z.enum(['created_at', 'updated_at', 'total', 'number']).default('created_at'),
  order: z.enum(['asc', 'desc']).default('desc'),
  limit: z.coerce.number().int().min(1).max(MAX_LIMIT).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000_000).default(0),
  cursor: z.string().max(500).optional().describe('nextCursor of the previous page; replaces offset'),
})

type ListQuery = z.output<typeof ListQuery>

export function toOrderFilter(query: Partial<ListQuery>): OrderFilter {
  return {
    ...(query.status ? { statuses: query.status } : {}),
    ...(query.financialStatus ? { financialStatuses: query.financialStatus } : {}),
    ...(query.connectionId ? { connectionId: query.connectionId } : {}),
    ...(query.createdAtMin ? { createdAtMin: query.createdAtMin } : {}),
    ...(query.createdAtMax ? { createdAtMax: query.createdAtMax } : {}),
    ...(query.updatedAtMin ? { updatedAtMin: query.updatedAtMin } : {}),
    ...(query.updatedAtMax ? { updatedAtMax: query.updatedAtMax } : {}),
    ...(query.customerEmail ? { customerEmail: query.customerEmail } : {}),
    ...(query.q ? { q: query.q } : {}),
  }
}

type OrderBy = ListQuery['orderBy']

/** Where the next page starts: after a row (keyset) or, for orderBy=number, at an offset. */
type Position = { readonly after: { value: string | number; id: string } } | { readonly offset: number }

/**
 * Opaque to callers (base64url JSON). It carries the sort it belongs to, so a cursor from another
 * sort is refused instead of paging wrongly. Keyset positions make deep pages as cheap as the first;
 * `number` sorts text by length then value with missing numbers last, which a row comparison cannot
 * express, so that sort's cursor holds an offset.
 */
function encodeCursor(position: Position, orderBy: string, order: string): string {
  return Buffer.from(JSON.stringify({ ...position, b: orderBy, d: order })).toString('base64url')
}

const CursorJson = z.union([
  z.object({
    after: z.object({ value: z.union([z.string().max(64), z.number().int()]), id: z.string().max(64) }),
    b: z.string(),
    d: z.string(),
  }),
  z.object({ offset: z.number().int().min(0).max(1_000_000_000), b: z.string(), d: z.string() }),
])

function decodeCursor(cursor: string, orderBy: string, order: string): Position {
  const invalid = (message: string) =>
    new ValidationError(`cursor: ${message}`, [{ path: 'query.cursor', message }], 'invalid_query')
  let value: unknown
  try {
    const text = Buffer.from(cursor, 'base64url').toString('utf8')
    // PostgreSQL text cannot hold NUL; a forged cursor must not reach the database with one.
    if (text.includes('\\u0000') || text.includes('\u0000')) throw new Error('NUL')
    value = JSON.parse(text)
  } catch {
    throw invalid('not a cursor this API issued')
  }
  const parsed = CursorJson.safeParse(value)
  if (!parsed.success) throw invalid('not a cursor this API issued')
  if (parsed.data.b !== orderBy || parsed.data.d !== order) throw invalid('belongs to another sort order')
  const position: Position = 'after' in parsed.data ? { after: parsed.data.after } : { offset: parsed.data.offset }
  // A keyset value of the wrong type (text for total) would compare wrongly or fail on PostgreSQL.
  if ('after' in position && (typeof position.after.value === 'number') !== (orderBy === 'total')) {
    throw invalid('not a cursor this API issued')
  }
  return position
}

function positionAfter(order: StoredOrder, orderBy: OrderBy, offset: number): Position {
  if (orderBy === 'number') return { offset }
  const value = orderBy === 'total' ? order.totalMinor : orderBy === 'updated_at' ? order.updatedAt : order.createdAt
  return { after: { value, id: order.id } }
}

export function orderRoutes(router: Router, deps: RouteDeps): void {
  const { store } = deps

  router.add({
    method: 'GET',
    path: '/orders',
    operationId: 'listOrders',
    summary: 'List orders with filters, sorting and paging',
    tags: ['orders'],
    access: 'member',
    query: ListQuery,
    responses: {
      200: {
        description: 'A page of orders',
        schema: z.object({ orders: z.array(OrderJson), count: z.number(), nextCursor: z.string().nullable() }),
      },
    },
    async handler({ query, tenantId }) {
      const tenant = tenantId()
      const position: Position = query.cursor
        ? decodeCursor(query.cursor, query.orderBy, query.order)
        : { offset: query.offset }
      const filter = toOrderFilter(query)
      const options: OrderListOptions = {
        ...filter,
        orderBy: query.orderBy,
        order: query.order,
        ...('after' in position ? { after: position.after } : { offset: position.offset }),
      }
      // One more than asked tells whether a next page exists.
      const [rows, count] = await Promise.all([
        store.orders.list(tenant, { ...options, limit: query.limit + 1 }),
        store.orders.count(tenant, filter),
      ])
      const orders = rows.slice(0, query.limit)
      const last = orders.at(-1)
      const nextOffset = ('offset' in position ? position.offset : 0) + orders.length
      return {
        orders: orders.map(presentOrder),
        count,
        nextCursor:
          rows.length > query.limit && last
            ? encodeCursor(positionAfter(last, query.orderBy, nextOffset), query.orderBy, query.order)
            : null,
      }
    },
  })

  router.add({
    method: 'GET',
    path: '/orders/stats',
    operationId: 'orderStats',
    summary: 'Counts by status, revenue per currency (never summed across currencies), last sync time',
    tags: ['orders'],
    access: 'member',
    query: z.strictObject({
      createdAtMin: IsoTime.optional(),
      createdAtMax: IsoTime.optional(),
      connectionId: z.string().min(1).max(64).optional(),
    }),
    responses: {
      200: {
        description: 'Statistics',
        schema: z.object({
          total: z.number(),
          byStatus: z.record(z.string(), z.number()),
          revenue: z.array(
            z.object({ currency: z.string(), orders: z.number(), gross: Money, refunded: Money, net: Money }),
          ),
          lastSyncAt: z.string().nullable(),
        }),
      },
    },
    async handler({ query, tenantId }) {
      const tenant = tenantId()
      const stats = await store.orders.stats(tenant, toOrderFilter(query))
      let lastSyncAt: string | null = null
      for (const connection of await store.connections.list(tenant)) {
        if (query.connectionId && connection.id !== query.connectionId) continue
        for (const state of await store.syncState.list(connection.id)) {
          if (state.lastSuccessAt && (lastSyncAt === null || state.lastSuccessAt > lastSyncAt))
            lastSyncAt = state.lastSuccessAt
        }
      }
      return {
        total: Object.values(stats.byStatus).reduce((sum, n) => sum + n, 0),
        byStatus: stats.byStatus,
        revenue: stats.revenue.map((r) => ({
          currency: r.currency,
          orders: r.orders,
          gross: money(r.grossMinor, r.currency),
          refunded: money(r.refundedMinor, r.currency),
          net: money(r.grossMinor - r.refundedMinor, r.currency),
        })),
        lastSyncAt,
      }
    },
  })

  router.add({
    method: 'GET',
    path: '/orders/{id}',
    operationId: 'getOrder',
    summary: 'One order with its lines and the raw provider JSON',
    tags: ['orders'],
    access: 'member',
    params: IdParams,
    responses: { 200: { description: 'The order', schema: OrderJson.extend({ raw: z.unknown() }) } },
    async handler({ params, tenantId }) {
      const order = await store.orders.get(tenantId(), params.id)
      if (!order) throw new NotFoundError('order', params.id)
      return { ...presentOrder(order), raw: order.raw }
    },
  })
}

import { z } from 'zod'
import { ConflictError, NotFoundError, ValidationError } from '../../domain/errors.ts'
import { OUTBOX_STATES, type OutboxEntry } from '../../store/store.ts'
import type { RouteDeps } from '../app.ts'
import type { Router } from '../routing.ts'
import { IdParams, listParam } from '../schemas.ts'

export const OutboxJson = z.object({
  id: z.string(),
  connectionId: z.string(),
  kind: z.string(),
  orderId: z.string().nullable(),
  payload: z.record(z.string(), z.unknown()),
  state: z.enum(OUTBOX_STATES),
  attempts: z.number(),
  nextAttemptAt: z.string(),
  lastError: z.string().nullable().describe("the provider's message when a delivery failed"),
  response: z.unknown(),
  createdAt: z.string(),
  updatedAt: z.string(),
})

export function presentOutbox(entry: OutboxEntry) {
  return {
    id: entry.id,
    connectionId: entry.connectionId,
    kind: entry.kind,
    orderId: entry.orderId,
    payload: { ...entry.payload },
    state: entry.state,
    attempts: entry.attempts,
    nextAttemptAt: entry.nextAttemptAt,
    lastError: entry.lastError,
    response: entry.response,
    createdAt: entry.createdAt,
    updatedAt: entry.updatedAt,
  }
}

/** Write-back: order status changes through the outbox, and the outbox itself. */
export function outboxRoutes(router: Router, deps: RouteDeps): void {
  const { store } = deps

  router.add({
    method: 'PUT',
    path: '/orders/{id}/status',
    operationId: 'setOrderStatus',
    summary:
      "Change an order's status at the provider: recorded with an outbox entry, delivered with retries; the order shows pendingStatus until it lands",
    tags: ['orders'],
    access: 'member',
    params: IdParams,
    body: z.strictObject({ status: z.string().min(1).max(64).describe("the provider's status word, e.g. completed") }),
    responses: { 202: { description: 'The pending write', schema: OutboxJson } },
    async handler({ params, body, tenantId, reply }) {
      const tenant = tenantId()
      const order = await store.orders.get(tenant, params.id)
      if (!order) throw new NotFoundError('order', params.id)
      const connection = await store.connections.get(order.connectionId, tenant)
      if (!connection) throw new NotFoundError('connection', order.connectionId)
      const writable = deps.connectors(connection.provider).writableOrderStatuses
      if (!writable.includes(body.status)) {
        throw new ValidationError(
          `${connection.provider} orders cannot be set to "${body.status}"; use one of ${writable.join(', ')}`,
          [{ path: 'body.status', message: `must be one of ${writable.join(', ')}` }],
          'invalid_status',
        )
      }
      const entry = await store.transaction((tx) =>
        tx.outbox.enqueueOrderStatus({ tenantId: tenant, orderId: order.id, status: body.status }),
      )
      if (!entry) throw new NotFoundError('order', params.id)
      deps.onOutboxEntry?.()
      reply.code(202)
      return presentOutbox(entry)
    },
  })

  router.add({
    method: 'GET',
    path: '/outbox',
    operationId: 'listOutbox',
    summary: 'Writes back to providers, newest first',
    tags: ['outbox'],
    access: 'member',
    query: z.strictObject({
      state: listParam(OUTBOX_STATES).optional(),
      orderId: z.string().min(1).max(64).optional(),
      limit: z.coerce.number().int().min(1).max(200).default(50),
    }),
    responses: { 200: { description: 'Entries', schema: z.object({ entries: z.array(OutboxJson) }) } },
    async handler({ query, tenantId }) {
      const entries = await store.outbox.list(tenantId(), {
        ...(query.state ? { states: query.state } : {}),
        ...(query.orderId ? { orderId: query.orderId } : {}),
        limit: query.limit,
      })
      return { entries: entries.map(presentOutbox) }
    },
  })

  router.add({
    method: 'POST',
    path: '/outbox/{id}/retry',
    operationId: 'retryOutbox',
    summary: 'Deliver a failed or dead entry again',
    tags: ['outbox'],
    access: 'owner',
    params: IdParams,
    responses: {
      202: { description: 'The entry, pending again', schema: OutboxJson },
      409: { description: 'Not failed or dead' },
    },
    async handler({ params, tenantId, reply }) {
      const tenant = tenantId()
      const current = await store.outbox.get(params.id, tenant)
      if (!current) throw new NotFoundError('outbox entry', params.id)
      const entry = await store.outbox.retry(params.id, tenant)
      if (!entry) {
        throw new ConflictError(
          'outbox_not_retryable',
          `entry ${params.id} is ${current.state}; only failed or dead entries can be retried`,
        )
      }
      deps.onOutboxEntry?.()
      reply.code(202)
      return presentOutbox(entry)
    },
  })
}

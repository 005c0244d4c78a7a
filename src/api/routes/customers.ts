import { z } from 'zod'
import { NotFoundError } from '../../domain/errors.ts'
import type { RouteDeps } from '../app.ts'
import type { Router } from '../routing.ts'
import { CustomerJson, IdParams, OrderJson, presentCustomer, presentOrder } from '../schemas.ts'

const ORDERS_PER_CUSTOMER = 200

export function customerRoutes(router: Router, deps: RouteDeps): void {
  const { store } = deps

  router.add({
    method: 'GET',
    path: '/customers',
    operationId: 'listCustomers',
    summary: 'List customers',
    tags: ['customers'],
    access: 'member',
    query: z.strictObject({
      connectionId: z.string().min(1).max(64).optional(),
      limit: z.coerce.number().int().min(1).max(200).default(50),
      offset: z.coerce.number().int().min(0).max(1_000_000_000).default(0),
    }),
    responses: {
      200: {
        description: 'A page of customers',
        schema: z.object({ customers: z.array(CustomerJson), count: z.number() }),
      },
    },
    async handler({ query, tenantId }) {
      const tenant = tenantId()
      const filter = query.connectionId ? { connectionId: query.connectionId } : {}
      const [customers, count] = await Promise.all([
        store.customers.list(tenant, { ...filter, limit: query.limit, offset: query.offset }),
        store.customers.count(tenant, filter),
      ])
      return { customers: customers.map(presentCustomer), count }
    },
  })

  router.add({
    method: 'GET',
    path: '/customers/{id}',
    operationId: 'getCustomer',
    summary: 'One customer with their orders (newest first, up to 200)',
    tags: ['customers'],
    access: 'member',
    params: IdParams,
    responses: {
      200: {
        description: 'The customer',
        schema: CustomerJson.extend({ raw: z.unknown(), orders: z.array(OrderJson), orderCount: z.number() }),
      },
    },
    async handler({ params, tenantId }) {
      const tenant = tenantId()
      const customer = await store.customers.get(tenant, params.id)
      if (!customer) throw new NotFoundError('customer', params.id)
      const filter = { connectionId: customer.connectionId, customerExternalId: customer.externalId }
      const [orders, orderCount] = await Promise.all([
        store.orders.list(tenant, { ...filter, limit: ORDERS_PER_CUSTOMER }),
        store.orders.count(tenant, filter),
      ])
      return { ...presentCustomer(customer), raw: customer.raw, orders: orders.map(presentOrder), orderCount }
    },
  })
}

import assert from 'node:assert/strict'
import { forEachDatabase } from '../../../../test/helpers/databases.ts'
import {
  newManualRun,
  newTenant,
  newWooConnection,
  normalizedOrder,
  sampleOrder,
} from '../../../../test/helpers/factories.ts'
import type { Order } from '../../../domain/entities.ts'
import type { OrderListOptions, Store } from '../../store.ts'

const day = (d: number, h = 0) => new Date(Date.UTC(2025, 5, d, h)).toISOString()

/** Eight orders of one tenant over two connections, one deleted, plus another tenant's order. */
async function seed(store: Store) {
  const [tenant, other] = [await newTenant(store), await newTenant(store)]
  const shop = await newWooConnection(store, tenant.id, { url: 'https://a.test', key: 'k', secret: 's' })
  const outlet = await newWooConnection(store, tenant.id, { url: 'https://b.test', key: 'k', secret: 's' })
  const foreign = await newWooConnection(store, other.id, { url: 'https://c.test', key: 'k', secret: 's' })
  const o = (n: string, over: Partial<Order>) =>
    sampleOrder({ externalId: n, number: n, createdAt: day(Number(n) % 28 || 1), updatedAt: day(20), ...over })
  const byConnection = [
    [
      shop,
      [
        o('9', { status: 'processing', totalMinor: 900, customerEmail: 'Ann@Example.com', createdAt: day(1) }),
        o('10', { status: 'completed', totalMinor: 100, customerEmail: 'bob@example.com', createdAt: day(2) }),
        o('100', { status: 'completed', totalMinor: 5000, customerEmail: 'ann@example.com', createdAt: day(3) }),
        o('11', {
          status: 'cancelled',
          financialStatus: 'refunded',
          totalMinor: 300,
          createdAt: day(4),
          updatedAt: day(25),
        }),
        o('12', { status: 'processing', totalMinor: 300, customerEmail: 'x_y@example.com', createdAt: day(5) }),
        o('13', { status: 'processing', totalMinor: 700, createdAt: day(6), deletedAt: day(21) }),
      ],
    ],
    [
      outlet,
      [
        o('1', { status: 'on_hold', totalMinor: 50, createdAt: day(7), number: null }),
        o('2', { status: 'pending', totalMinor: 10, createdAt: day(7) }),
      ],
    ],
    [foreign, [o('99', { customerEmail: 'ann@example.com', createdAt: day(1) })]],
  ] as const
  for (const [connection, orders] of byConnection) {
    const run = await newManualRun(store, connection)
    await store.applyPage(
      {
        tenantId: connection.tenantId,
        connectionId: connection.id,
        stream: 'orders',
        runId: run.id,
        records: orders.map((order) => normalizedOrder(order)),
        failures: [],
        cursor: { watermark: null, resume: null },
      },
      'order',
    )
  }
  const numbers = (options: OrderListOptions = {}) =>
    store.orders.list(tenant.id, options).then((orders) => orders.map((order) => order.number))
  return { tenant, other, shop, outlet, numbers }
}

forEachDatabase('order list: default order, sorts, paging and tie-breaks', async (_t, { store }) => {
  const { tenant, numbers } = await seed(store)
  // Newest created first; deleted orders are left out; equal created_at falls back to id.
  const listed = await store.orders.list(tenant.id)
  assert.deepEqual(
    listed.map((order) => order.number),
    [listed[0]!.number, listed[1]!.number, '12', '11', '100', '10', '9'],
  )
  assert.deepEqual(new Set([listed[0]!.number, listed[1]!.number]), new Set([null, '2']))
  assert.ok(listed[0]!.id > listed[1]!.id, 'ties break by id in the same direction')
  assert.equal(listed[0]!.lines.length, 3, 'list carries the lines')
  assert.equal('raw' in listed[0]!, false, 'list leaves raw out')

  assert.deepEqual(await numbers({ order: 'asc', limit: 3 }), ['9', '10', '100'])
  assert.deepEqual(await numbers({ order: 'asc', limit: 3, offset: 3 }), ['11', '12', listed[1]!.number])
  assert.deepEqual(await numbers({ orderBy: 'total', order: 'desc', limit: 2 }), ['100', '9'])
  assert.deepEqual(await numbers({ orderBy: 'updated_at', order: 'desc', limit: 1 }), ['11'])
  // Order numbers sort as numbers would; a missing number goes last either way.
  assert.deepEqual(await numbers({ orderBy: 'number', order: 'asc' }), ['2', '9', '10', '11', '12', '100', null])
  assert.deepEqual(await numbers({ orderBy: 'number', order: 'desc' }), ['100', '12', '11', '10', '9', '2', null])
})

forEachDatabase('order list: every filter, and count agrees with list', async (_t, { store }) => {
  const { tenant, other, outlet, numbers } = await seed(store)
  const check = async (options: OrderListOptions, expected: (string | null)[]) => {
    assert.deepEqual(
      (await numbers({ ...options, order: 'asc' })).sort(),
      [...expected].sort(),
      JSON.stringify(options),
    )
    assert.equal(await store.orders.count(tenant.id, options), expected.length, `count ${JSON.stringify(options)}`)
  }
  await check({ connectionId: outlet.id }, [null, '2'])
  await check({ statuses: ['completed', 'cancelled'] }, ['10', '100', '11'])
  await check({ statuses: [] }, [])
  await check({ financialStatuses: ['refunded'] }, ['11'])
  await check({ createdAtMin: day(2), createdAtMax: day(4) }, ['10', '100', '11'])
  await check({ updatedAtMin: day(21) }, ['11'])
  await check({ updatedAtMax: day(20) }, ['9', '10', '100', '12', null, '2'])
  await check({ customerEmail: 'ANN@example.com' }, ['9', '100'])
  await check({ q: 'ann@' }, ['9', '100'])
  await check({ q: 'EXAMPLE.COM', statuses: ['completed'] }, ['10', '100'])
  await check({ q: '10' }, ['10', '100'])
  await check({ q: 'x_y' }, ['12'])
  await check({ q: '_' }, ['12'])
  await check({ q: '%' }, [])
  await check({ includeDeleted: true, statuses: ['processing'] }, ['9', '12', '13'])
  assert.equal(await store.orders.count(tenant.id), 7)
  assert.equal(await store.orders.count(other.id), 1)
  assert.deepEqual(
    (await store.orders.list(other.id, { q: 'ann' })).map((o) => o.number),
    ['99'],
    'each tenant only ever sees its own orders',
  )
})

forEachDatabase('get returns the order with lines and raw JSON, for its tenant only', async (_t, { store }) => {
  const { tenant, other, shop } = await seed(store)
  const [first] = await store.orders.list(tenant.id, { connectionId: shop.id, order: 'asc', limit: 1 })
  const order = await store.orders.get(tenant.id, first!.id)
  assert.equal(order?.number, '9')
  assert.equal((order!.raw as { externalId: string }).externalId, '9')
  assert.equal(order?.lines.length, 3)
  assert.equal(order?.connectionId, shop.id)
  assert.equal(await store.orders.get(other.id, first!.id), undefined)
  const deleted = await store.orders.getByExternalId(tenant.id, shop.id, '13')
  assert.equal(deleted?.deletedAt, day(21), 'a deleted order is still there by id')
})

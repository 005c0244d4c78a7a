import assert from 'node:assert/strict'
import { forEachDatabase } from '../helpers/databases.ts'
import { newWooConnection, sampleCustomer, sampleOrder } from '../helpers/factories.ts'
import { seedOrders, startHarness } from './harness.ts'

const day = (n: number) => `2025-06-${String(n).padStart(2, '0')}T10:00:00.000Z`
const ENDPOINT = { url: 'http://127.0.0.1:9', key: 'ck_test', secret: 'cs_test' }

forEachDatabase('API orders: filters, sorting, paging with a cursor, money, one order with raw JSON', async (t, db) => {
  const h = await startHarness(t, db)
  const shop = await newWooConnection(db.store, h.tenant.id, ENDPOINT)
  const otherShop = await newWooConnection(db.store, h.other.id, ENDPOINT)
  const orders = [1, 2, 3, 4, 5, 6, 7].map((n) =>
    sampleOrder({
      number: String(100 + n),
      createdAt: day(n),
      updatedAt: day(n + 10),
      status: n === 7 ? 'cancelled' : n % 2 ? 'completed' : 'processing',
      currency: n === 6 ? 'JPY' : 'EUR',
      totalMinor: 1000 * n,
      refundedMinor: n === 5 ? 500 : 0,
      customerEmail: n <= 2 ? 'ann@example.com' : `c${n}@example.com`,
      customerExternalId: n <= 2 ? 'ann' : `c${n}`,
    }),
  )
  await seedOrders(db.store, shop, orders, [sampleCustomer({ externalId: 'ann', email: 'ann@example.com' })])
  const foreign = sampleOrder({ number: '999' })
  await seedOrders(db.store, otherShop, [foreign])

  const all = await h.call('GET', '/api/v1/orders', { as: 'member' })
  assert.equal(all.status, 200)
  assert.equal(all.body.count, 7)
  assert.deepEqual(
    all.body.orders.map((o: { number: string }) => o.number),
    ['107', '106', '105', '104', '103', '102', '101'],
  )
  const yen = all.body.orders.find((o: { number: string }) => o.number === '106')
  assert.deepEqual(yen.total, { minor: 6000, amount: '6000', currency: 'JPY' })
  const euro = all.body.orders.find((o: { number: string }) => o.number === '105')
  assert.deepEqual(euro.total, { minor: 5000, amount: '50.00', currency: 'EUR' })
  assert.equal(euro.pendingStatus, null)
  assert.equal(euro.lines.length, 3)
  assert.equal(euro.raw, undefined, 'lists stay light')

  const numbers = async (query: string) =>
    (await h.call('GET', `/api/v1/orders?${query}`)).body.orders.map((o: { number: string }) => o.number)
  assert.deepEqual(await numbers('status=completed&orderBy=number&order=asc'), ['101', '103', '105'])
  assert.deepEqual(await numbers('status=completed,cancelled&orderBy=total&order=desc&limit=2'), ['107', '105'])
  assert.deepEqual(await numbers('status=processing&status=cancelled&orderBy=created_at&order=asc'), [
    '102',
    '104',
    '106',
    '107',
  ])
  assert.deepEqual(await numbers(`createdAtMin=${day(2)}&createdAtMax=${day(3)}&order=asc`), ['102', '103'])
  assert.deepEqual(await numbers(`updatedAtMin=${encodeURIComponent('2025-06-16T12:00:00+02:00')}&order=asc`), [
    '106',
    '107',
  ])
  assert.deepEqual(await numbers('customerEmail=ANN@example.com&order=asc'), ['101', '102'])
  assert.deepEqual(await numbers('q=10&orderBy=number&order=asc&limit=3'), ['101', '102', '103'])
  assert.deepEqual(await numbers('financialStatus=refunded'), [])
  assert.deepEqual(await numbers(`connectionId=${otherShop.id}`), [], 'another tenant’s connection shows nothing')

  // Offset and cursor walk the same pages.
  const seen: string[] = []
  let cursor: string | null = null
  do {
    const page: { body: { orders: { number: string }[]; nextCursor: string | null; count: number } } = await h.call(
      'GET',
      `/api/v1/orders?orderBy=number&order=asc&limit=3${cursor ? `&cursor=${cursor}` : ''}`,
    )
    assert.equal(page.body.count, 7)
    seen.push(...page.body.orders.map((o) => o.number))
    cursor = page.body.nextCursor
  } while (cursor)
  assert.deepEqual(seen, ['101', '102', '103', '104', '105', '106', '107'])
  // Every sort, both ways: the cursor walk (keyset, or offset for number) equals one big page.
  for (const orderBy of ['created_at', 'updated_at', 'total', 'number']) {
    for (const order of ['asc', 'desc']) {
      const sort = `orderBy=${orderBy}&order=${order}`
      const whole = await numbers(`${sort}&limit=200`)
      const walked: string[] = []
      let next: string | null = null
      do {
        const page: { body: { orders: { number: string }[]; nextCursor: string | null } } = await h.call(
          'GET',
          `/api/v1/orders?${sort}&limit=2${next ? `&cursor=${next}` : ''}`,
        )
        walked.push(...page.body.orders.map((o) => o.number))
        next = page.body.nextCursor
      } while (next)
      assert.deepEqual(walked, whole, sort)
    }
  }
  const forged = Buffer.from(JSON.stringify({ after: { value: 'x', id: 'y' }, b: 'total', d: 'desc' })).toString(
    'base64url',
  )
  assert.equal((await h.call('GET', `/api/v1/orders?orderBy=total&cursor=${forged}`)).status, 400)
  assert.deepEqual(await numbers('orderBy=number&order=asc&limit=3&offset=3'), ['104', '105', '106'])
  const firstPage = await h.call('GET', '/api/v1/orders?orderBy=number&order=asc&limit=3')
  const mismatch = await h.call('GET', `/api/v1/orders?orderBy=total&limit=3&cursor=${firstPage.body.nextCursor}`)
  assert.equal(mismatch.status, 400)
  assert.equal((await h.call('GET', '/api/v1/orders?cursor=%%%')).status, 400)
  assert.equal((await h.call('GET', '/api/v1/orders?limit=201')).status, 400)

  const one = await h.call('GET', `/api/v1/orders/${euro.id}`)
  assert.equal(one.status, 200)
  assert.equal(one.body.number, '105')
  assert.equal(one.body.raw.number, '105', 'the raw provider JSON')
  assert.equal(one.body.lines[0].unitPrice.amount, '10.00')
  // Another tenant's id is 404, never its data.
  const foreignId = (await db.store.orders.list(h.other.id))[0]!.id
  const hidden = await h.call('GET', `/api/v1/orders/${foreignId}`)
  assert.equal(hidden.status, 404)
  assert.equal(hidden.body.code, 'not_found')
  assert.equal((await h.call('GET', `/api/v1/orders/${foreignId}`, { as: 'otherOwner' })).status, 200)

  const stats = await h.call('GET', '/api/v1/orders/stats')
  assert.equal(stats.status, 200)
  assert.equal(stats.body.total, 7)
  assert.deepEqual(stats.body.byStatus, { cancelled: 1, completed: 3, processing: 3 })
  assert.deepEqual(stats.body.revenue, [
    {
      currency: 'EUR',
      orders: 5,
      gross: { minor: 15000, amount: '150.00', currency: 'EUR' },
      refunded: { minor: 500, amount: '5.00', currency: 'EUR' },
      net: { minor: 14500, amount: '145.00', currency: 'EUR' },
    },
    {
      currency: 'JPY',
      orders: 1,
      gross: { minor: 6000, amount: '6000', currency: 'JPY' },
      refunded: { minor: 0, amount: '0', currency: 'JPY' },
      net: { minor: 6000, amount: '6000', currency: 'JPY' },
    },
  ])
  const ranged = await h.call('GET', `/api/v1/orders/stats?createdAtMin=${day(1)}&createdAtMax=${day(2)}`)
  assert.equal(ranged.body.total, 2)

  const customers = await h.call('GET', '/api/v1/customers')
  assert.equal(customers.body.count, 1)
  const ann = customers.body.customers[0]
  const detail = await h.call('GET', `/api/v1/customers/${ann.id}`)
  assert.equal(detail.status, 200)
  assert.equal(detail.body.orderCount, 2)
  assert.deepEqual(
    detail.body.orders.map((o: { number: string }) => o.number),
    ['102', '101'],
  )
  assert.equal((await h.call('GET', `/api/v1/customers/${ann.id}`, { as: 'otherOwner' })).status, 404)
})

import assert from 'node:assert/strict'
import { type TestContext, test } from 'node:test'
import { AppError } from '../../domain/errors.ts'
import { createProviderHttp } from '../../engine/calls/provider-http.ts'
import { EMPTY_CURSOR, type Page, type Stream, type StreamCursor } from '../connector.ts'
import { createWooClient, signWooRequest } from './client.ts'
import { woocommerceConnector } from './index.ts'
import { readOrders } from './streams.ts'
import { type FakeWooStore, fakeCustomer, fakeOrder, startFakeWooStore } from './testing/fake-woo-store.ts'
import type { WooCustomer, WooOrder } from './types.ts'

/** `2025-03-01T00:00:00` plus n seconds, as WooCommerce writes *_gmt times. */
const sec = (n: number) => new Date(Date.parse('2025-03-01T00:00:00Z') + n * 1000).toISOString().slice(0, 19)

async function setup(t: TestContext) {
  const store = await startFakeWooStore()
  t.after(() => store.close())
  const signing = { endpoint: store.url, credentials: store.credentials }
  const http = createProviderHttp({
    provider: 'woocommerce',
    connectionId: 'streams-test',
    sign: (request) => signWooRequest(signing, request),
    sleep: async () => {},
  })
  const context = { http, endpoint: store.url, credentials: store.credentials }
  return {
    store,
    client: createWooClient(context),
    orders: woocommerceConnector.stream(context, 'orders') as Stream<WooOrder, 'order'>,
    customers: woocommerceConnector.stream(context, 'customers') as Stream<WooCustomer, 'customer'>,
  }
}

async function readAll<T>(
  stream: Stream<T>,
  options: { from?: StreamCursor; since?: string | null; stopWhen?: (page: Page<T>) => boolean } = {},
) {
  const pages: Page<T>[] = []
  const signal = new AbortController().signal
  for await (const page of stream.read(options.from ?? EMPTY_CURSOR, { since: options.since ?? null, signal })) {
    pages.push(page)
    if (options.stopWhen?.(page)) break
  }
  return { pages, records: pages.flatMap((page) => page.records) }
}

/**
 * 120 orders two per second, then 250 orders sharing one second (more than a page), then 80 more:
 * the boundary re-reads, the cluster and the plain keyset are all on the way.
 */
function seedOrders(store: FakeWooStore) {
  for (let id = 1; id <= 120; id++) store.orders.set(id, fakeOrder(id, sec(Math.ceil(id / 2))))
  for (let id = 121; id <= 370; id++) store.orders.set(id, fakeOrder(id, sec(200)))
  for (let id = 371; id <= 450; id++) store.orders.set(id, fakeOrder(id, sec(300 + id)))
}

const versionKey = (order: WooOrder) => JSON.stringify(order)

function assertEachVersionOnce(records: readonly WooOrder[]) {
  const seen = new Set<string>()
  for (const order of records) {
    const key = versionKey(order)
    assert.ok(!seen.has(key), `order ${order.id} at ${order.date_modified_gmt} was yielded twice`)
    seen.add(key)
  }
}

function assertHasCurrentState(store: FakeWooStore, records: readonly WooOrder[]) {
  const yielded = new Set(records.map(versionKey))
  for (const order of store.orders.values()) {
    if (order.status === 'checkout-draft') continue
    assert.ok(
      yielded.has(versionKey(order)),
      `the current version of order ${order.id} (${order.date_modified_gmt}) was skipped`,
    )
  }
}

test('a backfill through a 250-row same-second cluster yields every order exactly once', async (t) => {
  const { store, orders } = await setup(t)
  seedOrders(store)
  const { pages, records } = await readAll(orders)
  assert.equal(records.length, 450)
  assertEachVersionOnce(records)
  assertHasCurrentState(store, records)
  assert.ok(
    pages.every((page) => page.total === 450),
    'total is the first answer’s X-WP-Total',
  )
  assert.equal(pages.at(-1)?.cursor.watermark, `${sec(750)}.000Z`)
  const bounded = store.requests.filter((url) => url.searchParams.has('modified_before'))
  assert.ok(bounded.length >= 3, 'the cluster was paged through on its own')
  assert.ok(bounded.every((url) => url.searchParams.get('modified_before') === sec(201)))
  const first = store.requests[0]!.searchParams
  assert.deepEqual(
    [first.get('status'), first.get('orderby'), first.get('order'), first.get('per_page'), first.get('dates_are_gmt')],
    ['any', 'modified', 'asc', '100', 'true'],
  )
  assert.equal(first.get('modified_after'), null, 'a backfill has no lower bound')
})

test('orders modified mid-scan — behind, ahead and inside the cluster being paged — are never skipped', async (t) => {
  const { store, orders } = await setup(t)
  seedOrders(store)
  let clusterPages = 0
  store.beforeList = (url, n) => {
    if (n === 3) {
      for (let id = 1; id <= 10; id++) store.touch(id, sec(1000)) // already read
      for (let id = 400; id <= 405; id++) store.touch(id, sec(1001)) // not read yet
    }
    if (url.searchParams.has('modified_before') && ++clusterPages === 2) {
      // Page 1 of the cluster is read; 30 of its rows leave the second, shifting the rest up by 30,
      // and one row joins it (as if the store's clock were at that second).
      for (let id = 121; id <= 150; id++) store.touch(id, sec(1002))
      store.touch(50, sec(200))
    }
  }
  const { records } = await readAll(orders)
  assertEachVersionOnce(records)
  assertHasCurrentState(store, records)
  assert.ok(clusterPages >= 2)
})

test('a read resumes from a saved cursor, also from inside a cluster, without starting over', async (t) => {
  const { store, orders } = await setup(t)
  seedOrders(store)
  await readAll(orders)
  const fullReadRequests = store.requests.length

  const insideCluster = (page: Page<WooOrder>) => {
    const resume = JSON.parse(page.cursor.resume!) as { cluster: unknown; page: number }
    return resume.cluster !== null && resume.page >= 2
  }
  const first = await readAll(orders, { stopWhen: insideCluster })
  const saved = first.pages.at(-1)!.cursor
  assert.ok(insideCluster(first.pages.at(-1)!))
  const requestsBefore = store.requests.length

  // `since` is ignored when there is a resume point.
  const resumed = await readAll(orders, { from: saved, since: '2099-01-01T00:00:00.000Z' })
  const next = store.requests[requestsBefore]!.searchParams
  assert.deepEqual(
    [next.get('modified_before'), next.get('page')],
    [sec(201), '2'],
    'it continued with the next page of the cluster',
  )
  assert.ok(!resumed.records.some((order) => order.id === 1), 'the resumed read did not start over')
  assertHasCurrentState(store, [...first.records, ...resumed.records])
  assertEachVersionOnce(resumed.records)
  assert.ok(store.requests.length - requestsBefore < fullReadRequests)
})

test('an incremental read starts a second before since, so rows in the since second are read', async (t) => {
  const { store, orders } = await setup(t)
  for (const [id, s] of [
    [1, 10],
    [2, 11],
    [3, 12],
  ] as const) {
    store.orders.set(id, fakeOrder(id, sec(s)))
  }
  const { records } = await readAll(orders, { since: `${sec(11)}.500Z` })
  assert.deepEqual(
    records.map((order) => order.id),
    [2, 3],
  )
  assert.equal(store.requests[0]!.searchParams.get('modified_after'), sec(10))
})

test('drafts are skipped; the connector’s stream reads live orders, then the trash', async (t) => {
  const { store, orders } = await setup(t)
  store.orders.set(1, fakeOrder(1, sec(1)))
  store.orders.set(2, fakeOrder(2, sec(2), { status: 'checkout-draft' }))
  store.orders.set(3, fakeOrder(3, sec(3), { status: 'trash' }))
  const { records } = await readAll(orders)
  assert.deepEqual(
    records.map((order) => order.id),
    [1, 3],
  )
  assert.deepEqual([...new Set(store.requests.map((url) => url.searchParams.get('status')))], ['any', 'trash'])
})

test('with includeTrash, trashed orders come from the trash listing as tombstones', async (t) => {
  const { store, client, orders } = await setup(t)
  store.orders.set(1, fakeOrder(1, sec(1)))
  store.orders.set(2, fakeOrder(2, sec(2), { status: 'checkout-draft' }))
  store.orders.set(3, fakeOrder(3, sec(3), { status: 'trash' }))
  store.orders.set(4, fakeOrder(4, sec(1), { status: 'trash' }))
  const read = (from: StreamCursor) =>
    readOrders(client, from, { since: `${sec(2)}.000Z`, signal: new AbortController().signal }, { includeTrash: true })
  const pages: Page<WooOrder>[] = []
  for await (const page of read(EMPTY_CURSOR)) pages.push(page)
  assert.deepEqual(
    pages.map((page) => page.records.map((order) => order.id)),
    [[], [3]],
    'the trash listing starts where the live one did',
  )
  assert.equal(orders.normalize(pages[1]!.records[0]!).deletedAt, `${sec(3)}.000Z`)
  // A read that stopped after the live listing resumes with the trash listing.
  const resumed: WooOrder[] = []
  for await (const page of read(pages[0]!.cursor)) resumed.push(...page.records)
  assert.deepEqual(
    resumed.map((order) => order.id),
    [3],
  )
})

test('a store that ignores status=trash is not taken to have trashed its live orders', async (t) => {
  const { store, client } = await setup(t)
  store.orders.set(1, fakeOrder(1, sec(1)))
  store.quirks.ignoreTrashFilter = true
  const records: WooOrder[] = []
  const signal = new AbortController().signal
  for await (const page of readOrders(client, EMPTY_CURSOR, { since: null, signal }, { includeTrash: true })) {
    records.push(...page.records)
  }
  assert.deepEqual(
    records.map((order) => order.id),
    [1],
  )
  assert.ok(store.requests.some((url) => url.searchParams.get('status') === 'trash'))
})

test('a store that ignores modified_before still gets every order of a cluster once', async (t) => {
  const { store, orders } = await setup(t)
  seedOrders(store)
  store.quirks.ignoreModifiedBefore = true
  const { records } = await readAll(orders)
  assert.equal(records.length, 450)
  assertEachVersionOnce(records)
})

test('customers are a full scan over every role by id, resumable by page', async (t) => {
  const { store, customers } = await setup(t)
  for (let id = 1; id <= 250; id++) store.customers.set(id, fakeCustomer(id, id % 50 === 0 ? 'subscriber' : 'customer'))
  const all = await readAll(customers, { since: '2099-01-01T00:00:00.000Z' })
  assert.deepEqual(
    all.records.map((customer) => customer.id),
    [...store.customers.keys()],
  )
  assert.deepEqual(
    all.pages.map((page) => page.records.length),
    [100, 100, 50],
  )
  assert.ok(all.pages.every((page) => page.total === 250))
  assert.equal(all.pages.at(-1)!.cursor.watermark, '2025-02-01T00:00:58.000Z')
  assert.equal(store.requests[0]!.searchParams.get('role'), 'all')

  const resumed = await readAll(customers, { from: all.pages[0]!.cursor })
  assert.deepEqual(resumed.records[0]?.id, 101)
  assert.equal(resumed.records.length, 150)
})

test('a resume point the stream did not write is an invalid_cursor error', async (t) => {
  const { orders, customers } = await setup(t)
  for (const stream of [orders, customers] as Stream[]) {
    await assert.rejects(readAll(stream, { from: { watermark: null, resume: 'page=2' } }), (error: unknown) => {
      assert.ok(error instanceof AppError)
      assert.equal(error.code, 'invalid_cursor')
      assert.match(error.message, /--full/)
      return true
    })
  }
})

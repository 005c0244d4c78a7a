import assert from 'node:assert/strict'
import { type TestContext, test } from 'node:test'
import { ProviderError } from '../../domain/errors.ts'
import { createProviderHttp, type ProviderHttpOptions } from '../../engine/calls/provider-http.ts'
import { createTokenBucket } from '../../engine/calls/rate-limiter.ts'
import { type ConnectorContext, EMPTY_CURSOR, type Page, type Stream, type StreamCursor } from '../connector.ts'
import { woocommerceConnector } from './index.ts'
import { startWooSimulator, type WooSimulatorOptions } from './simulator/index.ts'
import type { WooCustomer, WooOrder } from './types.ts'

// The connector against the project's WooCommerce simulator, over the engine's ProviderHttp with
// OAuth 1.0a signing on every attempt: what a sync reads, minus the store.

async function simulator(t: TestContext, options: WooSimulatorOptions) {
  const sim = await startWooSimulator(options)
  t.after(() => sim.close())
  return sim
}

function contextFor(
  url: string,
  credentials: Record<string, string>,
  options: Partial<ProviderHttpOptions> = {},
): ConnectorContext {
  const http = createProviderHttp({
    provider: 'woocommerce',
    connectionId: `sim-${url}`,
    baseDelayMs: 5,
    maxDelayMs: 50,
    maxAttempts: 10,
    sign: (request) => woocommerceConnector.signRequest!({ endpoint: url, credentials }, request),
    ...options,
  })
  return { http, endpoint: url, credentials }
}

async function readAll<T>(
  stream: Stream<T>,
  from: StreamCursor = EMPTY_CURSOR,
  since: string | null = null,
  between?: (n: number) => void,
) {
  const pages: Page<T>[] = []
  for await (const page of stream.read(from, { since, signal: new AbortController().signal })) {
    pages.push(page)
    between?.(pages.length)
  }
  return { pages, records: pages.flatMap((page) => page.records) }
}

const orders = (context: ConnectorContext) =>
  woocommerceConnector.stream(context, 'orders') as Stream<WooOrder, 'order'>

/** What the simulator's trash holds (status=trash X-WP-Total): the stream reads it after the live orders. */
async function trashCount(url: string, credentials: { key: string; secret: string }): Promise<number> {
  const query = `status=trash&per_page=1&consumer_key=${credentials.key}&consumer_secret=${credentials.secret}`
  return Number((await fetch(`${url}/wp-json/wc/v3/orders?${query}`)).headers.get('x-wp-total'))
}

/** Every order the simulator lists, in its current version, was yielded; no version was yielded twice. */
function assertMirrors(simOrders: Iterable<WooOrder>, records: readonly WooOrder[]) {
  const versions = new Set<string>()
  for (const order of records) {
    const key = JSON.stringify(order)
    assert.ok(!versions.has(key), `order ${order.id} (${order.date_modified_gmt}) was yielded twice`)
    versions.add(key)
  }
  for (const order of simOrders) {
    assert.ok(versions.has(JSON.stringify(order)), `the current version of order ${order.id} was not read`)
  }
}

test('a backfill reads exactly the orders the simulator lists, and each normalizes', async (t) => {
  const sim = await simulator(t, { orders: 1200, seed: 7 })
  const { pages, records } = await readAll(orders(contextFor(sim.url, sim.credentials)))
  assert.equal(records.length, sim.orderCount() + (await trashCount(sim.url, sim.credentials)))
  assert.equal(records.filter((order) => order.status === 'trash').length, await trashCount(sim.url, sim.credentials))
  assertMirrors(sim.orders(), records)
  assert.equal(pages[0]?.total, sim.orderCount())
  const stream = orders(contextFor(sim.url, sim.credentials))
  for (const order of records) stream.normalize(order)
})

test('orders changed and created between pages are all read in their latest version', async (t) => {
  const sim = await simulator(t, { orders: 900, seed: 11 })
  const { records } = await readAll(orders(contextFor(sim.url, sim.credentials)), EMPTY_CURSOR, null, (n) => {
    if (n === 3) {
      sim.mutateOrders(40)
      sim.createOrders(7)
    }
  })
  assertMirrors(sim.orders(), records)
})

test('an incremental read from the watermark minus a lookback picks up the changes', async (t) => {
  const sim = await simulator(t, { orders: 500, seed: 5 })
  const context = contextFor(sim.url, sim.credentials)
  const first = await readAll(orders(context))
  const watermark = first.pages.at(-1)!.cursor.watermark!
  const changed = sim.mutateOrders(12)
  const added = sim.createOrders(3)
  const since = new Date(Date.parse(watermark) - 10 * 60_000).toISOString()
  const next = await readAll(orders(context), { watermark, resume: null }, since)
  const read = new Map(next.records.map((order) => [order.id, order]))
  for (const order of [...changed, ...added]) assert.deepEqual(read.get(order.id), JSON.parse(JSON.stringify(order)))
  assert.ok(next.records.length < 100, `read ${next.records.length} orders, not the whole store`)
})

test('with server errors, hung requests and a rate limit the read still ends complete', async (t) => {
  const sim = await simulator(t, { orders: 800, seed: 13, errorRate: 0.15, timeoutRate: 0.05, rateLimit: 8 })
  const { records } = await readAll(orders(contextFor(sim.url, sim.credentials, { timeoutMs: 1_000 })))
  assert.ok((sim.stats.byStatus[500] ?? 0) > 0, 'the simulator answered some 500s')
  assertMirrors(sim.orders(), records)
})

test('a token bucket at the store’s rate keeps the read clear of 429s', async (t) => {
  const sim = await simulator(t, { orders: 600, seed: 17, rateLimit: 20 })
  const rateLimiter = createTokenBucket({ ratePerSec: 20 })
  const { records } = await readAll(orders(contextFor(sim.url, sim.credentials, { rateLimiter })))
  assert.equal(sim.stats.rateLimited, 0)
  assert.equal(records.length, sim.orderCount() + (await trashCount(sim.url, sim.credentials)))
})

test('customers: a full scan returns every customer', async (t) => {
  const sim = await simulator(t, { orders: 300, customers: 250, seed: 3 })
  const stream = woocommerceConnector.stream(contextFor(sim.url, sim.credentials), 'customers') as Stream<
    WooCustomer,
    'customer'
  >
  const { records } = await readAll(stream)
  const expected = [...sim.customers()]
  assert.deepEqual(
    records.map((customer) => customer.id),
    expected.map((customer) => customer.id),
  )
  for (const customer of records) stream.normalize(customer)
})

test('testConnection, a status write, and a wrong secret as the store words it', async (t) => {
  const sim = await simulator(t, { orders: 50, seed: 2 })
  const context = contextFor(sim.url, sim.credentials)
  await woocommerceConnector.testConnection(context)

  const [order] = sim.orders()
  const target = order!.status === 'completed' ? 'processing' : 'completed'
  const { raw } = await woocommerceConnector.setOrderStatus(context, String(order!.id), target)
  assert.equal((raw as WooOrder).status, target)
  assert.equal(sim.getOrder(order!.id)?.status, target)

  const wrong = contextFor(sim.url, { ...sim.credentials, secret: 'cs_wrong' })
  await assert.rejects(woocommerceConnector.testConnection(wrong), (error: unknown) => {
    assert.ok(error instanceof ProviderError)
    assert.equal(error.code, 'provider_auth_failed')
    assert.match(error.message, /^woocommerce answered 401 woocommerce_rest_authentication_error: /)
    return true
  })
})

import assert from 'node:assert/strict'
import { test } from 'node:test'
import wooClient from '@woocommerce/woocommerce-rest-api'
import type { WooCustomer, WooError, WooOrder } from '../types.ts'
import { startWooSimulator, type WooSimulator, type WooSimulatorOptions } from './index.ts'

// The package is CommonJS with `exports.default`: imported from ESM, the class is one level down.
const WooCommerceRestApi = wooClient.default

async function simulator(t: { after: (fn: () => Promise<void>) => void }, options: WooSimulatorOptions = {}) {
  const sim = await startWooSimulator(options)
  t.after(() => sim.close())
  return sim
}

/** The official client exactly as a user would set it up: an http:// URL, so OAuth 1.0a. */
function officialClient(sim: WooSimulator, secret = sim.credentials.secret) {
  return new WooCommerceRestApi({
    url: sim.url,
    consumerKey: sim.credentials.key,
    consumerSecret: secret,
    version: 'wc/v3',
  })
}

/** Plain fetch with the consumer key and secret in the query (accepted on loopback). */
async function get(sim: WooSimulator, path: string, query: Record<string, string | number> = {}) {
  const params = new URLSearchParams({
    ...stringify(query),
    consumer_key: sim.credentials.key,
    consumer_secret: sim.credentials.secret,
  })
  const response = await fetch(`${sim.url}/wp-json/wc/v3/${path}?${params}`)
  return { status: response.status, headers: response.headers, body: (await response.json()) as unknown }
}

function stringify(query: Record<string, string | number>): Record<string, string> {
  return Object.fromEntries(Object.entries(query).map(([key, value]) => [key, String(value)]))
}

async function rejection(
  promise: Promise<unknown>,
): Promise<{ status: number; data: WooError; headers: Record<string, string> }> {
  try {
    await promise
  } catch (error) {
    const response = (error as { response?: { status: number; data: WooError; headers: Record<string, string> } })
      .response
    if (response) return response
    throw error
  }
  assert.fail('expected the request to fail')
}

test('the official client pages through every order with OAuth 1.0a; X-WP-Total and Link agree', async (t) => {
  const sim = await simulator(t, { orders: 230, seed: 3 })
  const api = officialClient(sim)
  const seen: WooOrder[] = []
  for (let page = 1; ; page++) {
    const response = await api.get('orders', { per_page: 50, page, orderby: 'modified', order: 'asc' })
    assert.equal(response.status, 200)
    assert.equal(response.headers['x-wp-total'], '230')
    assert.equal(response.headers['x-wp-totalpages'], '5')
    const link = String(response.headers['link'] ?? '')
    assert.equal(/rel="next"/.test(link), page < 5, `page ${page} next link`)
    assert.equal(/rel="prev"/.test(link), page > 1, `page ${page} prev link`)
    if (page < 5) assert.match(link, new RegExp(`[?&]page=${page + 1}&.*rel="next"|[?&]page=${page + 1}>; rel="next"`))
    const orders = response.data as WooOrder[]
    if (orders.length === 0) break
    seen.push(...orders)
  }
  assert.equal(seen.length, sim.orderCount())
  assert.equal(new Set(seen.map((order) => order.id)).size, 230)
  for (let i = 1; i < seen.length; i++) {
    const [a, b] = [seen[i - 1]!, seen[i]!]
    assert.ok(a.date_modified_gmt < b.date_modified_gmt || (a.date_modified_gmt === b.date_modified_gmt && a.id < b.id))
  }
  // Served JSON is the order as the simulator holds it.
  assert.deepEqual(seen[17], sim.getOrder(seen[17]!.id))
  const order = (await api.get(`orders/${seen[0]!.id}`)).data as WooOrder
  assert.deepEqual(order, seen[0])
  assert.equal(sim.stats.byStatus[200], 7)
})

test("a wrong secret is a 401 with WooCommerce's body; over Basic also WWW-Authenticate", async (t) => {
  const sim = await simulator(t, { orders: 20 })
  const oauth = await rejection(officialClient(sim, 'cs_wrong').get('orders'))
  assert.equal(oauth.status, 401)
  assert.deepEqual(oauth.data, {
    code: 'woocommerce_rest_authentication_error',
    message: 'Invalid signature - provided signature does not match.',
    data: { status: 401 },
  })
  const basic = await fetch(`${sim.url}/wp-json/wc/v3/orders`, {
    headers: { authorization: `Basic ${Buffer.from(`${sim.credentials.key}:cs_wrong`).toString('base64')}` },
  })
  assert.equal(basic.status, 401)
  assert.match(basic.headers.get('www-authenticate') ?? '', /^Basic realm=/)
  assert.deepEqual(await basic.json(), {
    code: 'woocommerce_rest_authentication_error',
    message: 'Consumer secret is invalid.',
    data: { status: 401 },
  })
  const anonymous = await fetch(`${sim.url}/wp-json/wc/v3/orders`)
  assert.equal(anonymous.status, 401)
  assert.equal(((await anonymous.json()) as WooError).code, 'woocommerce_rest_cannot_view')
})

test('per_page 0 and 101 are 400 rest_invalid_param with data.params', async (t) => {
  const sim = await simulator(t, { orders: 20 })
  for (const perPage of [0, 101]) {
    const response = await rejection(officialClient(sim).get('orders', { per_page: perPage }))
    assert.equal(response.status, 400)
    assert.equal(response.data.code, 'rest_invalid_param')
    assert.equal(response.data.message, 'Invalid parameter(s): per_page')
    assert.deepEqual(response.data.data.params, {
      per_page: 'per_page must be between 1 (inclusive) and 100 (inclusive)',
    })
  }
})

test('modified_after is strict at one second, and dates_are_gmt switches the compared column', async (t) => {
  const sim = await simulator(t, { orders: 300, seed: 9 })
  const api = officialClient(sim)
  const target = sim.getOrder(150)!
  const second = (iso: string, delta: number) =>
    new Date(Date.parse(`${iso}Z`) + delta * 1000).toISOString().slice(0, 19)
  const firstAfter = async (value: string, datesAreGmt: boolean) => {
    const query = { modified_after: value, orderby: 'modified', order: 'asc', per_page: 5, dates_are_gmt: datesAreGmt }
    return (await api.get('orders', query)).data as WooOrder[]
  }
  assert.equal((await firstAfter(second(target.date_modified_gmt, -1), true))[0]?.id, 150)
  assert.notEqual((await firstAfter(target.date_modified_gmt, true))[0]?.id, 150)
  // The same text read as site-local time (UTC+3 by default) is three hours earlier.
  assert.notEqual((await firstAfter(second(target.date_modified_gmt, -1), false))[0]?.id, 150)
  assert.equal((await firstAfter(second(target.date_modified, -1), false))[0]?.id, 150)
})

test('PUT status: completes, stamps dates, bumps date_modified and moves the order to the end', async (t) => {
  const sim = await simulator(t, { orders: 200, seed: 4 })
  const api = officialClient(sim)
  const pending = [...sim.orders()].find((order) => order.status === 'processing')!
  const before = Date.now()
  const response = await api.put(`orders/${pending.id}`, { status: 'completed' })
  assert.equal(response.status, 200)
  const updated = response.data as WooOrder
  assert.equal(updated.status, 'completed')
  assert.ok(Date.parse(`${updated.date_modified_gmt}Z`) >= Math.floor(before / 1000) * 1000)
  assert.ok(updated.date_modified_gmt > pending.date_modified_gmt)
  assert.equal(updated.date_completed_gmt, updated.date_modified_gmt)
  assert.deepEqual(sim.getOrder(pending.id), updated)
  const newest = (await api.get('orders', { orderby: 'modified', order: 'desc', per_page: 1 })).data as WooOrder[]
  assert.equal(newest[0]!.id, pending.id)

  const bad = await rejection(api.put(`orders/${pending.id}`, { status: 'shipped' }))
  assert.equal(bad.status, 400)
  assert.equal(bad.data.code, 'rest_invalid_param')
  assert.match(bad.data.data.params!['status']!, /^status is not one of pending, processing/)
  const missing = await rejection(api.get('orders/999999'))
  assert.equal(missing.status, 404)
  assert.deepEqual(missing.data, {
    code: 'woocommerce_rest_shop_order_invalid_id',
    message: 'Invalid ID.',
    data: { status: 404 },
  })
})

test('a rate limit answers 429 with Retry-After and a rate_limited body', async (t) => {
  const sim = await simulator(t, { orders: 20, rateLimit: 2 })
  const statuses: number[] = []
  let limited: Response | undefined
  for (let i = 0; i < 6; i++) {
    const response = await fetch(
      `${sim.url}/wp-json/wc/v3/orders?consumer_key=ck_tributary_demo&consumer_secret=cs_tributary_demo`,
    )
    statuses.push(response.status)
    if (response.status === 429) limited ??= response
    else await response.arrayBuffer()
  }
  assert.ok(statuses.includes(429), statuses.join())
  assert.ok(
    statuses.slice(0, 2).every((status) => status === 200),
    'the bucket starts full',
  )
  const retryAfter = Number(limited!.headers.get('retry-after'))
  assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1)
  const body = (await limited!.json()) as WooError
  assert.equal(body.code, 'rate_limited')
  assert.equal(body.data.status, 429)
  assert.equal(sim.stats.rateLimited, statuses.filter((status) => status === 429).length)
  sim.setFaults({ rateLimit: 0 })
  assert.equal((await get(sim, 'orders')).status, 200)
})

test("errorRate answers 500 with WordPress's critical error body", async (t) => {
  const sim = await simulator(t, { orders: 20, errorRate: 1 })
  const response = await get(sim, 'orders')
  assert.equal(response.status, 500)
  assert.equal((response.body as WooError).code, 'internal_server_error')
  sim.setFaults({ errorRate: 0.5 })
  const statuses = new Set<number>()
  for (let i = 0; i < 40; i++) statuses.add((await get(sim, 'orders')).status)
  assert.deepEqual([...statuses].sort(), [200, 500])
  assert.throws(() => sim.setFaults({ errorRate: 2 }), /errorRate must be between 0 and 1/)
})

test('timeoutRate holds requests unanswered until the client gives up; close() releases them', async (t) => {
  const sim = await simulator(t, { orders: 20, timeoutRate: 1 })
  const controller = new AbortController()
  const pending = fetch(`${sim.url}/wp-json/wc/v3/orders`, { signal: controller.signal })
  const outcome = pending.then(
    () => 'answered',
    () => 'gave up',
  )
  const held = fetch(`${sim.url}/wp-json/wc/v3/orders`).then(
    () => 'answered',
    () => 'dropped',
  )
  while (sim.stats.requests < 2) await new Promise((resolve) => setTimeout(resolve, 5))
  controller.abort()
  assert.equal(await outcome, 'gave up')
  await sim.close()
  assert.equal(await held, 'dropped')
  assert.deepEqual(sim.stats.byStatus, {})
})

test('mutateOrders changes distinct orders now and moves them to the end of the modified order', async (t) => {
  const sim = await simulator(t, { orders: 300, seed: 6 })
  const before = new Map([...sim.orders()].map((order) => [order.id, order]))
  const changed = sim.mutateOrders(12)
  assert.equal(changed.length, 12)
  assert.equal(new Set(changed.map((order) => order.id)).size, 12)
  for (const order of changed) {
    assert.ok(order.date_modified_gmt > before.get(order.id)!.date_modified_gmt)
    assert.notDeepEqual(order, before.get(order.id))
    assert.deepEqual(sim.getOrder(order.id), order)
  }
  const newest = (await get(sim, 'orders', { orderby: 'modified', order: 'desc', per_page: 12 })).body as WooOrder[]
  assert.deepEqual(new Set(newest.map((order) => order.id)), new Set(changed.map((order) => order.id)))
  assert.equal(sim.orderCount(), 300, 'changes keep orders listed')

  const created = sim.createOrders(3)
  assert.deepEqual(
    created.map((order) => order.id),
    [created[0]!.id, created[0]!.id + 1, created[0]!.id + 2],
  )
  const list = await get(sim, 'orders', { per_page: 3 })
  assert.equal(list.headers.get('x-wp-total'), '303')
  assert.deepEqual(
    (list.body as WooOrder[]).map((order) => order.id),
    created.map((order) => order.id).reverse(),
  )
})

test('mutatePerMin changes orders in the background', async (t) => {
  const sim = await simulator(t, { orders: 50, mutatePerMin: 6000 })
  const startedGmt = new Date().toISOString().slice(0, 19)
  const changed = () => [...sim.orders()].filter((order) => order.date_modified_gmt >= startedGmt).length
  for (let waited = 0; changed() === 0; waited += 20) {
    assert.ok(waited < 10_000, 'no order changed')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
})

test('customers, plain-permalink routes and unknown routes', async (t) => {
  const sim = await simulator(t, { orders: 200, seed: 2 })
  const api = officialClient(sim)
  const response = await api.get('customers', { per_page: 100, orderby: 'id', order: 'asc' })
  assert.equal(response.headers['x-wp-total'], '50')
  const customers = response.data as WooCustomer[]
  assert.deepEqual(customers, [...sim.customers()])
  assert.deepEqual(
    customers.map((customer) => customer.id),
    Array.from({ length: 50 }, (_, i) => i + 1),
  )
  const byName = (await api.get('customers', { per_page: 100 })).data as WooCustomer[]
  const names = byName.map((customer) => `${customer.first_name} ${customer.last_name}`.toLowerCase())
  assert.deepEqual(names, [...names].sort())
  const one = (await api.get('customers/7')).data as WooCustomer
  assert.equal(one.id, 7)
  assert.equal((await rejection(api.get('customers/51'))).data.code, 'woocommerce_rest_invalid_id')

  const plain = await fetch(
    `${sim.url}/?rest_route=/wc/v3/orders/5&consumer_key=${sim.credentials.key}&consumer_secret=${sim.credentials.secret}`,
  )
  assert.equal(plain.status, 200)
  assert.deepEqual(await plain.json(), sim.getOrder(5))
  const unknown = await get(sim, 'products')
  assert.equal(unknown.status, 404)
  assert.deepEqual(unknown.body, {
    code: 'rest_no_route',
    message: 'No route was found matching the URL and request method.',
    data: { status: 404 },
  })
})

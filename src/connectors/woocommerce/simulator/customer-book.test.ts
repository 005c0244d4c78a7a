import assert from 'node:assert/strict'
import { test } from 'node:test'
import { CustomerBook } from './customer-book.ts'
import { parseCustomerListQuery } from './list-params.ts'
import { OrderBook } from './order-book.ts'
import { parseQuery } from './query-string.ts'

const START_SEC = Date.UTC(2025, 8, 1, 12, 0, 0) / 1000
const orders = OrderBook.build({
  seed: 11,
  orders: 600,
  customers: 150,
  historyDays: 60,
  startSec: START_SEC,
  siteOffsetMinutes: 180,
})
const book = new CustomerBook({
  seed: 11,
  count: 150,
  stats: orders.customerStats,
  startSec: START_SEC,
  historyDays: 60,
  siteOffsetMinutes: 180,
})

function list(text: string) {
  const parsed = parseCustomerListQuery(parseQuery(text).params)
  assert.ok(parsed.ok, text)
  const { ids, total } = book.list(parsed.query)
  return { customers: ids.map((id) => book.customer(id)!), total }
}

test('orderby id pages through every customer; desc reverses', () => {
  const asc = list('orderby=id&order=asc&per_page=100&page=2')
  assert.equal(asc.total, 150)
  assert.deepEqual(
    asc.customers.map((c) => c.id),
    Array.from({ length: 50 }, (_, i) => 101 + i),
  )
  const desc = list('orderby=id&order=desc&per_page=3&offset=1')
  assert.deepEqual(
    desc.customers.map((c) => c.id),
    [149, 148, 147],
  )
})

test('registered_date and name orders, e-mail, search, include/exclude and roles', () => {
  const byDate = list('orderby=registered_date&order=asc&per_page=100').customers
  for (let i = 1; i < byDate.length; i++) assert.ok(byDate[i - 1]!.date_created_gmt <= byDate[i]!.date_created_gmt)
  const byName = list('per_page=100&order=desc').customers.map((c) => `${c.first_name} ${c.last_name}`.toLowerCase())
  assert.deepEqual(byName, [...byName].sort().reverse())
  const someone = book.customer(42)!
  assert.deepEqual(list(`email=${encodeURIComponent(someone.email.toUpperCase())}`).customers, [someone])
  assert.ok(list(`search=${encodeURIComponent(someone.last_name)}&per_page=100`).customers.some((c) => c.id === 42))
  assert.deepEqual(
    list('include=5,3,9&exclude=3&orderby=include').customers.map((c) => c.id),
    [5, 9],
  )
  assert.equal(list('role=all').total, 150)
  assert.equal(list('role=administrator').total, 0)
})

test('customers who bought registered before their first order and are paying when they paid', () => {
  for (const customer of [1, 2, 3].map((id) => book.customer(id)!)) {
    assert.equal(customer.role, 'customer')
    assert.match(customer.avatar_url, /^https:\/\/secure\.gravatar\.com\/avatar\/[0-9a-f]{32}\?/)
    assert.equal(customer.username, customer.email.split('@')[0])
    if (customer.date_modified_gmt !== null) assert.ok(customer.date_modified_gmt >= customer.date_created_gmt)
  }
  const paid = new Set<number>()
  for (let id = 1; id <= orders.maxId; id++) {
    const order = orders.order(id)!
    if (order.customer_id > 0 && order.date_paid_gmt !== null) paid.add(order.customer_id)
    if (order.customer_id > 0) assert.ok(book.customer(order.customer_id)!.date_created_gmt <= order.date_created_gmt)
  }
  for (let id = 1; id <= 150; id++) assert.equal(book.customer(id)!.is_paying_customer, paid.has(id), `customer ${id}`)
  assert.equal(book.customer(151), undefined)
})

import assert from 'node:assert/strict'
import { test } from 'node:test'
import { toMinorUnits } from '../../../domain/money.ts'
import type { WooOrder } from '../types.ts'
import { CustomerBook } from './customer-book.ts'
import { OrderBook } from './order-book.ts'

const START_SEC = Date.UTC(2025, 8, 1, 12, 0, 0) / 1000
const book = (seed: number, orders = 3000) =>
  OrderBook.build({
    seed,
    orders,
    customers: Math.round(orders / 4),
    historyDays: 90,
    startSec: START_SEC,
    siteOffsetMinutes: 180,
  })

function everyOrder(orderBook: OrderBook): WooOrder[] {
  const orders: WooOrder[] = []
  for (let id = 1; id <= orderBook.maxId; id++) orders.push(orderBook.order(id)!)
  return orders
}

const sample = book(7)
const sampleOrders = everyOrder(sample)
const listed = sampleOrders.filter((order) => order.status !== 'trash' && order.status !== 'checkout-draft')
const minor = (order: WooOrder, amount: string) => toMinorUnits(amount, order.currency)
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0)

test('the same seed gives the same store; another seed another one', () => {
  const again = book(7)
  assert.equal(again.maxId, sample.maxId)
  for (let id = 1; id <= sample.maxId; id += 37) assert.equal(again.json(id), sample.json(id))
  assert.notEqual(book(8).json(1), sample.json(1))
})

test('exactly the requested number of orders is listed, plus a few trash and checkout-draft ones', () => {
  assert.equal(sample.listedCount, 3000)
  assert.equal(listed.length, 3000)
  const unlisted = sample.maxId - 3000
  assert.ok(unlisted > 0 && unlisted < 100, `${unlisted} unlisted`)
})

test('every order adds up: lines, discount, shipping and tax make the total', () => {
  for (const order of sampleOrders) {
    const lineTotals = sum(order.line_items.map((line) => minor(order, line.total)))
    const lineSubtotals = sum(order.line_items.map((line) => minor(order, line.subtotal)))
    const lineTaxes = sum(order.line_items.map((line) => minor(order, line.total_tax!)))
    const context = `order ${order.id}`
    assert.equal(lineSubtotals - minor(order, order.discount_total), lineTotals, context)
    assert.equal(lineTaxes, minor(order, order.cart_tax), context)
    assert.equal(
      minor(order, order.cart_tax) + minor(order, order.shipping_tax),
      minor(order, order.total_tax),
      context,
    )
    assert.equal(
      lineTotals + minor(order, order.shipping_total) + minor(order, order.total_tax),
      minor(order, order.total),
      context,
    )
    for (const line of order.line_items) {
      assert.ok(Math.abs(line.price * line.quantity - Number(line.total)) < 1e-9, `${context}: price × quantity`)
    }
    const refunded = -sum(order.refunds.map((refund) => minor(order, refund.total)))
    assert.ok(refunded <= minor(order, order.total), context)
    if (order.status === 'refunded') assert.equal(refunded, minor(order, order.total), `${context}: fully refunded`)
  }
})

test('money is a decimal string per currency: JPY has no decimals', () => {
  const currencies = new Set(sampleOrders.map((order) => order.currency))
  assert.deepEqual([...currencies].sort(), ['EUR', 'JPY', 'USD'])
  for (const order of sampleOrders) {
    const pattern = order.currency === 'JPY' ? /^\d+$/ : /^\d+\.\d\d$/
    for (const amount of [order.total, order.total_tax, order.shipping_total, order.discount_total]) {
      assert.match(amount, pattern, `order ${order.id} (${order.currency})`)
    }
  }
  const usd = sampleOrders.filter((order) => order.currency === 'USD').length
  assert.ok(usd > sampleOrders.length * 0.6, 'mostly USD')
})

test('dates: second precision, no offset, local = UTC + 3 h, modified ≥ created, paid orders have date_paid', () => {
  const noOffset = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/
  const utc = (text: string) => Date.parse(`${text}Z`) / 1000
  for (const order of sampleOrders) {
    for (const [local, gmt] of [
      [order.date_created, order.date_created_gmt],
      [order.date_modified, order.date_modified_gmt],
      [order.date_paid, order.date_paid_gmt],
      [order.date_completed, order.date_completed_gmt],
    ] as const) {
      if (gmt === null) {
        assert.equal(local, null)
        continue
      }
      assert.match(gmt, noOffset)
      assert.equal(utc(local!) - utc(gmt), 3 * 3600)
    }
    assert.ok(order.date_modified_gmt >= order.date_created_gmt, `order ${order.id}`)
    assert.ok(utc(order.date_modified_gmt) < START_SEC, 'everything happened before the start')
    if (['processing', 'completed', 'refunded'].includes(order.status)) assert.notEqual(order.date_paid_gmt, null)
    if (order.status === 'completed') assert.notEqual(order.date_completed_gmt, null)
    if (order.date_paid_gmt === null) assert.equal(order.transaction_id, '')
  }
  for (let id = 2; id <= sample.maxId; id++)
    assert.ok(sample.createdSec(id) >= sample.createdSec(id - 1), 'ids follow creation')
})

test('a realistic mix: statuses, guests, repeat buyers, refunds, awkward values', () => {
  const count = (predicate: (order: WooOrder) => boolean) => listed.filter(predicate).length
  const share = (predicate: (order: WooOrder) => boolean) => count(predicate) / listed.length
  assert.ok(share((o) => o.status === 'completed') > 0.6)
  for (const status of ['processing', 'pending', 'cancelled', 'refunded', 'failed'] as const) {
    assert.ok(count((o) => o.status === status) > 0, status)
  }
  assert.ok(count((o) => o.status === 'completed' && o.refunds.length > 0) > 0, 'partial refunds')
  const guests = share((o) => o.customer_id === 0)
  assert.ok(guests > 0.05 && guests < 0.15, `guests ${guests}`)
  const perCustomer = new Map<number, number>()
  for (const order of listed)
    if (order.customer_id > 0) perCustomer.set(order.customer_id, (perCustomer.get(order.customer_id) ?? 0) + 1)
  const counts = [...perCustomer.values()]
  assert.ok(counts.filter((n) => n === 1).length > counts.length * 0.3, 'many one-time buyers')
  assert.ok(Math.max(...counts) >= 10, 'a long tail of loyal ones')
  const lines = listed.flatMap((o) => o.line_items)
  assert.ok(
    lines.some((line) => line.sku === ''),
    'a product without a SKU',
  )
  assert.ok(lines.some((line) => line.variation_id > 0) && lines.some((line) => line.variation_id === 0))
  assert.ok(
    listed.some((o) => /[\u0080-\uffff]/.test(o.billing.last_name + o.billing.first_name)),
    'unicode names',
  )
  for (const order of listed) assert.ok(order.line_items.length >= 1 && order.line_items.length <= 5)
})

test("a registered buyer's orders carry the customer's own billing details", () => {
  const customers = new CustomerBook({
    seed: 7,
    count: 750,
    stats: sample.customerStats,
    startSec: START_SEC,
    historyDays: 90,
    siteOffsetMinutes: 180,
  })
  for (const order of listed.slice(0, 300)) {
    if (order.customer_id === 0) continue
    const customer = customers.customer(order.customer_id)!
    assert.equal(order.billing.email, customer.email)
    assert.ok(customer.date_created_gmt <= order.date_created_gmt, 'registered before buying')
    if (order.date_paid_gmt) assert.equal(customer.is_paying_customer, true)
  }
})

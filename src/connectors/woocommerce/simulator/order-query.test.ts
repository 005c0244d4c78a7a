import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { wooDate } from './dates.ts'
import { type OrderListQuery, parseOrderListQuery } from './list-params.ts'
import { OrderBook } from './order-book.ts'
import { advanceOrder, setOrderStatus } from './order-changes.ts'
import { listOrders, scanOrders } from './order-query.ts'
import { parseQuery } from './query-string.ts'
import { Rng } from './random.ts'

const START_SEC = Date.UTC(2025, 8, 1, 12, 0, 0) / 1000
const OFFSET = 180

function store(orders = 400): OrderBook {
  return OrderBook.build({
    seed: 5,
    orders,
    customers: 100,
    historyDays: 30,
    startSec: START_SEC,
    siteOffsetMinutes: OFFSET,
  })
}

function query(text: string): OrderListQuery {
  const parsed = parseOrderListQuery(parseQuery(text).params, OFFSET)
  assert.ok(parsed.ok, text)
  return parsed.query
}

/** Changes some orders after the start (some twice, some trashed), as the API and mutateOrders do. */
function changeSome(book: OrderBook): void {
  const rng = new Rng(3)
  for (let round = 0; round < 3; round++) {
    const sec = book.changeSec(START_SEC + round * 5)
    const changed = [3, 50, 51, 120 + round, 399].map((id) => advanceOrder(book.order(id)!, rng, sec, OFFSET))
    changed.push(setOrderStatus(book.order(200 + round)!, 'trash', sec, OFFSET))
    book.save(changed)
  }
}

test('the indexes answer exactly like a full scan, for any page of any range, before and after changes', () => {
  const book = store()
  const dates = (sec: number) => wooDate(sec)
  const first = book.createdSec(1) - 10
  const span = START_SEC + 30 - first
  const scenario = fc.record({
    orderby: fc.constantFrom('date', 'id', 'modified', 'title', 'slug'),
    order: fc.constantFrom('asc', 'desc'),
    perPage: fc.integer({ min: 1, max: 100 }),
    page: fc.integer({ min: 1, max: 8 }),
    offset: fc.option(fc.nat(450), { nil: undefined }),
    lower: fc.option(fc.nat(span), { nil: undefined }),
    upper: fc.option(fc.nat(span), { nil: undefined }),
  })
  const check = () =>
    fc.assert(
      fc.property(scenario, (s) => {
        const byModified = s.orderby === 'modified'
        const [after, before] = byModified ? ['modified_after', 'modified_before'] : ['after', 'before']
        let text = `orderby=${s.orderby}&order=${s.order}&per_page=${s.perPage}&page=${s.page}&dates_are_gmt=true`
        if (s.offset !== undefined) text += `&offset=${s.offset}`
        if (s.lower !== undefined) text += `&${after}=${dates(first + s.lower)}`
        if (s.upper !== undefined) text += `&${before}=${dates(first + s.upper)}`
        const q = query(text)
        assert.deepEqual(listOrders(book, q), scanOrders(book, q), text)
      }),
      { numRuns: 300 },
    )
  check()
  changeSome(book)
  check()
})

test('paging orderby=modified ascending visits every listed order once, changed ones last', () => {
  const book = store()
  changeSome(book)
  const seen: number[] = []
  for (let page = 1; ; page++) {
    const { ids, total } = listOrders(book, query(`orderby=modified&order=asc&per_page=37&page=${page}`))
    assert.equal(total, book.listedCount)
    if (ids.length === 0) break
    seen.push(...ids)
  }
  assert.equal(seen.length, book.listedCount)
  assert.equal(new Set(seen).size, seen.length)
  for (let i = 1; i < seen.length; i++) {
    const [a, b] = [seen[i - 1]!, seen[i]!]
    assert.ok(book.modifiedSec(a) < book.modifiedSec(b) || (book.modifiedSec(a) === book.modifiedSec(b) && a < b))
  }
  assert.deepEqual(new Set(seen.slice(-7)), new Set([3, 50, 51, 120, 121, 122, 399]))
  assert.ok(!seen.includes(200) && !seen.includes(201) && !seen.includes(202), 'trashed orders leave the list')
})

test('modified_after and modified_before are strict at one-second precision', () => {
  const book = store()
  const id = 123
  const at = book.modifiedSec(id)
  // Ascending from a lower bound and descending from an upper one, the order sits on the first page.
  const ids = (text: string) => {
    const order = text.startsWith('modified_after') ? 'asc' : 'desc'
    return listOrders(book, query(`${text}&orderby=modified&order=${order}&per_page=100&dates_are_gmt=true`)).ids
  }
  assert.ok(ids(`modified_after=${wooDate(at - 1)}`).includes(id))
  assert.ok(!ids(`modified_after=${wooDate(at)}`).includes(id), 'not after itself')
  assert.ok(!ids(`modified_after=${wooDate(at)}.999`).includes(id), 'fractions are dropped, not rounded up')
  assert.ok(ids(`modified_before=${wooDate(at + 1)}`).includes(id))
  assert.ok(!ids(`modified_before=${wooDate(at)}`).includes(id))
  const exactly = ids(`modified_after=${wooDate(at - 1)}&modified_before=${wooDate(at + 1)}`)
  assert.ok(exactly.includes(id))
  for (const other of exactly) assert.equal(book.modifiedSec(other), at)
})

test('dates_are_gmt: the same value compares UTC columns when true, site-local ones when false', () => {
  const book = store()
  const at = book.modifiedSec(250)
  const value = wooDate(at - 1)
  const gmt = listOrders(book, query(`modified_after=${value}&dates_are_gmt=true&orderby=modified&order=asc`))
  const local = listOrders(book, query(`modified_after=${value}&orderby=modified&order=asc`))
  assert.ok(local.total > gmt.total, 'read as site-local (UTC+3), the bound is three hours earlier')
  assert.equal(gmt.ids[0], 250)
  assert.notEqual(local.ids[0], 250)
  const localValue = wooDate(at - 1, OFFSET)
  assert.deepEqual(listOrders(book, query(`modified_after=${localValue}&orderby=modified&order=asc`)), gmt)
})

test('status, customer, include and exclude filters and orderby=include', () => {
  const book = store()
  changeSome(book)
  const trash = listOrders(book, query('status=trash&per_page=100'))
  assert.ok(trash.total >= 3)
  for (const id of trash.ids) assert.equal(book.order(id)!.status, 'trash')
  const pairs = listOrders(book, query('status=processing,completed&per_page=100&page=2'))
  for (const id of pairs.ids) assert.ok(['processing', 'completed'].includes(book.order(id)!.status))
  const customer = book.customerId(10)
  const theirs = listOrders(book, query(`customer=${customer}&per_page=100`))
  assert.ok(theirs.ids.includes(10))
  for (const id of theirs.ids) assert.equal(book.order(id)!.customer_id, customer)
  assert.deepEqual(listOrders(book, query('include=9,4,7&orderby=include')).ids, [9, 4, 7])
  assert.deepEqual(listOrders(book, query('include=9,4,7&exclude=4')).ids, [9, 7])
  const search = book.order(42)!.billing.email
  assert.ok(listOrders(book, query(`search=${encodeURIComponent(search!)}`)).ids.includes(42))
})

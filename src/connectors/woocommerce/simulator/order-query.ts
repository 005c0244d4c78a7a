import type { OrderListQuery, Paging } from './list-params.ts'
import { idOfKey, modifiedKey } from './modified-index.ts'
import { type OrderBook, STATUS_CODE } from './order-book.ts'

/**
 * Runs `GET /orders` over the order book: the page's ids and the total the filters match.
 *
 * Order semantics (providers.md §2.2): `date` (default) and `modified` sort with an ID tie-break in
 * the same direction; ids follow creation, so `date` is id order. `title` sorts like `date` (an
 * order's title is "Order – <date>") and `slug` like `id`. Date bounds are strict at one second.
 *
 * The two scans a sync makes are served from indexes in O(log n + page): listed orders by id
 * (`orderby=date|id`, optional after/before) and by modified (`orderby=modified`, optional
 * modified_after/before). Any other combination filters the columns in one pass (a few
 * milliseconds per million orders) and sorts what matched.
 */

export interface ListResult {
  readonly ids: readonly number[]
  readonly total: number
}

export function listOrders(book: OrderBook, query: OrderListQuery): ListResult {
  const byIdOrder = query.orderby !== 'modified' && query.orderby !== 'include'
  const plain =
    query.statuses === 'any' &&
    query.include.length === 0 &&
    query.exclude.length === 0 &&
    query.customer === undefined &&
    query.product === undefined &&
    query.search === undefined
  if (plain && query.orderby === 'modified' && query.createdAfter === undefined && query.createdBefore === undefined) {
    return byModifiedIndex(book, query)
  }
  if (plain && byIdOrder && query.modifiedAfter === undefined && query.modifiedBefore === undefined) {
    return byIdIndex(book, query)
  }
  return scanOrders(book, query)
}

/** [start, end) of the requested page within `total` rows, in the requested direction. */
export function pageWindow(paging: Paging, total: number): { start: number; end: number } {
  const start = paging.offset ?? (paging.page - 1) * paging.perPage
  return { start: Math.min(start, total), end: Math.min(start + paging.perPage, total) }
}

/** Ascending positions [from, to) that hold the page, for either direction. */
function ascendingWindow(paging: Paging, total: number): { from: number; to: number; reverse: boolean } {
  const { start, end } = pageWindow(paging, total)
  return paging.order === 'asc'
    ? { from: start, to: end, reverse: false }
    : { from: total - end, to: total - start, reverse: true }
}

function byModifiedIndex(book: OrderBook, query: OrderListQuery): ListResult {
  const lowest = query.modifiedAfter === undefined ? -Infinity : modifiedKey(query.modifiedAfter + 1 - book.epochSec, 0)
  const highest = query.modifiedBefore === undefined ? Infinity : modifiedKey(query.modifiedBefore - book.epochSec, 0)
  const range = book.byModified.range(lowest, highest)
  const { from, to, reverse } = ascendingWindow(query, range.total)
  const ids = range.slice(from, to)
  return { ids: reverse ? ids.reverse() : ids, total: range.total }
}

function byIdIndex(book: OrderBook, query: OrderListQuery): ListResult {
  // Ids are in creation order, so a creation range is an id range.
  const firstId = query.createdAfter === undefined ? 1 : firstIdCreatedFrom(book, query.createdAfter + 1)
  const endId = query.createdBefore === undefined ? book.maxId + 1 : firstIdCreatedFrom(book, query.createdBefore)
  const index = book.byId
  const before = index.countBefore(firstId)
  const total = Math.max(0, index.countBefore(Math.max(firstId, endId)) - before)
  const { from, to, reverse } = ascendingWindow(query, total)
  const ids = index.collect(before + from, to - from)
  return { ids: reverse ? ids.reverse() : ids, total }
}

/** The first id created at or after `sec` (maxId + 1 when none). */
function firstIdCreatedFrom(book: OrderBook, sec: number): number {
  let lo = 1
  let hi = book.maxId + 1
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (book.createdSec(mid) < sec) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** The plain way: filter every order, sort what matched. Serves every query; the reference for the indexes. */
export function scanOrders(book: OrderBook, query: OrderListQuery): ListResult {
  const matches = matchingIds(book, query)
  if (query.orderby === 'modified') {
    const keys = new Float64Array(matches.length)
    for (let i = 0; i < matches.length; i++)
      keys[i] = modifiedKey(book.modifiedSec(matches[i]!) - book.epochSec, matches[i]!)
    keys.sort()
    for (let i = 0; i < keys.length; i++) matches[i] = idOfKey(keys[i]!)
  } else if (query.orderby === 'include' && query.include.length > 0) {
    // post__in order: as listed in `include`, whatever the direction.
    const rank = new Map(query.include.map((id, index) => [id, index]))
    matches.sort((a, b) => rank.get(a)! - rank.get(b)!)
    const { start, end } = pageWindow(query, matches.length)
    return { ids: matches.slice(start, end), total: matches.length }
  }
  const { from, to, reverse } = ascendingWindow(query, matches.length)
  const ids = matches.slice(from, to)
  return { ids: reverse ? ids.reverse() : ids, total: matches.length }
}

/** Ids matching every filter, ascending. */
function matchingIds(book: OrderBook, query: OrderListQuery): number[] {
  const statuses = query.statuses === 'any' ? undefined : new Set(query.statuses.map((status) => STATUS_CODE[status]))
  const include = query.include.length > 0 ? new Set(query.include) : undefined
  const exclude = query.exclude.length > 0 ? new Set(query.exclude) : undefined
  const createdAfter = query.createdAfter ?? -Infinity
  const createdBefore = query.createdBefore ?? Infinity
  const modifiedAfter = query.modifiedAfter ?? -Infinity
  const modifiedBefore = query.modifiedBefore ?? Infinity
  const needle = query.search?.toLowerCase()
  const ids: number[] = []
  for (let id = 1; id <= book.maxId; id++) {
    if (!book.exists(id)) continue
    if (statuses ? !statuses.has(book.statusCode(id)) : !book.isListed(id)) continue
    const created = book.createdSec(id)
    if (created <= createdAfter || created >= createdBefore) continue
    const modified = book.modifiedSec(id)
    if (modified <= modifiedAfter || modified >= modifiedBefore) continue
    if (include && !include.has(id)) continue
    if (exclude?.has(id)) continue
    if (query.customer !== undefined && book.customerId(id) !== query.customer) continue
    if (query.product !== undefined || needle !== undefined) {
      // The slow filters need the whole order; they run last, on what is left.
      const order = book.order(id)!
      if (query.product !== undefined && !order.line_items.some((line) => line.product_id === query.product)) continue
      if (needle !== undefined && !searchText(order).includes(needle)) continue
    }
    ids.push(id)
  }
  return ids
}

/** What Woo's order search looks at: the number, both addresses and the line item names. */
function searchText(order: NonNullable<ReturnType<OrderBook['order']>>): string {
  const address = (a: object) => Object.values(a).join(' ')
  return [order.number, address(order.billing), address(order.shipping), ...order.line_items.map((line) => line.name)]
    .join(' ')
    .toLowerCase()
}

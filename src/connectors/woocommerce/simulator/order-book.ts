import { WOO_ORDER_STATUSES, type WooOrder, type WooOrderStatus } from '../types.ts'
import { DAY } from './dates.ts'
import { LiveSequence } from './live-sequence.ts'
import { MAX_ORDER_ID, MAX_RELATIVE_SECONDS, ModifiedIndex, modifiedKey } from './modified-index.ts'
import { buildOrder, type FactoryOptions } from './order-factory.ts'
import { Rng, STREAMS } from './random.ts'
import { type HiddenStatus, planTimeline } from './timeline.ts'

/**
 * The simulated store's orders. A million orders do not fit in memory as objects, so the book keeps
 * a few typed columns per order (created, modified, status, buyer) and derives the rest on demand
 * from (seed, id) with the order factory; an order that changed after the start is kept whole, as
 * UTF-8 JSON bytes (off the JS heap, so ten thousands of them cost the garbage collector nothing),
 * in an overlay. Two indexes serve the list endpoint: listed orders by id (which is also
 * creation order) and by (date_modified_gmt, id).
 *
 * "Listed" = what `GET /orders` with the default `status=any` returns: everything but trash and
 * checkout-draft (providers.md §2.2).
 */

export interface OrderBookOptions {
  readonly seed: number
  /** Listed orders at the start; a few unlisted ones (trash, checkout-draft) are added on top. */
  readonly orders: number
  readonly customers: number
  readonly historyDays: number
  /** The simulator's start, Unix seconds: every startup order was created and last changed before it. */
  readonly startSec: number
  readonly siteOffsetMinutes: number
}

/** What the customer book needs to know about each customer's orders (index = customer id). */
export interface CustomerOrderStats {
  /** Unix seconds of the first and last order created, 0 when none. */
  readonly firstOrderSec: Uint32Array
  readonly lastOrderSec: Uint32Array
  /** 1 when one of the customer's orders was paid. */
  readonly paying: Uint8Array
}

export const STATUS_CODE: Readonly<Record<WooOrderStatus, number>> = Object.fromEntries(
  WOO_ORDER_STATUSES.map((status, code) => [status, code]),
) as Record<WooOrderStatus, number>
/** Status code of a force-deleted order: gone from every listing and lookup. */
export const DELETED = 255
const UNLISTED_CODES = new Set([STATUS_CODE.trash, STATUS_CODE['checkout-draft'], DELETED])

/** Share of guest checkouts, and how often a guest e-mail comes back (guest pool = guest orders × this). */
const GUEST_SHARE = 0.1
const GUEST_POOL_RATIO = 0.75
/** Pareto shape of customers' purchase propensity, and its cap (the most loyal buy ~200× the median). */
const LOYALTY_ALPHA = 1.16
const LOYALTY_CAP = 200

export class OrderBook {
  readonly factory: FactoryOptions
  readonly startSec: number
  /** Seconds of the modified index keys count from here. */
  readonly epochSec: number
  readonly customerStats: CustomerOrderStats
  #created: Uint32Array
  #modified: Uint32Array
  #status: Uint8Array
  #buyer: Int32Array
  #maxId: number
  #listedCount: number
  readonly #overlay = new Map<number, Buffer>()
  readonly #byId: LiveSequence
  readonly #byModified: ModifiedIndex

  private constructor(parts: {
    factory: FactoryOptions
    startSec: number
    epochSec: number
    created: Uint32Array
    modified: Uint32Array
    status: Uint8Array
    buyer: Int32Array
    maxId: number
    listedCount: number
    byModifiedKeys: Float64Array
    customerStats: CustomerOrderStats
  }) {
    this.factory = parts.factory
    this.startSec = parts.startSec
    this.epochSec = parts.epochSec
    this.#created = parts.created
    this.#modified = parts.modified
    this.#status = parts.status
    this.#buyer = parts.buyer
    this.#maxId = parts.maxId
    this.#listedCount = parts.listedCount
    this.customerStats = parts.customerStats
    const listed = new Uint8Array(parts.created.length)
    for (let id = 1; id <= parts.maxId; id++) listed[id] = UNLISTED_CODES.has(parts.status[id]!) ? 0 : 1
    this.#byId = new LiveSequence(listed)
    this.#byModified = new ModifiedIndex(parts.byModifiedKeys, parts.maxId)
  }

  static build(options: OrderBookOptions): OrderBook {
    const { seed, orders, customers, historyDays, startSec } = options
    const span = Math.max(1, Math.round(historyDays * DAY))
    const firstSec = startSec - span
    const cutSec = startSec - 1
    const epochSec = firstSec - DAY

    // Which ids are unlisted, and so how many ids give exactly `orders` listed ones.
    const hiddenOf = (id: number): HiddenStatus | null => {
      const roll = Rng.of(seed, id, STREAMS.orderHidden).next()
      return roll < 0.004 ? 'trash' : roll < 0.01 ? 'checkout-draft' : null
    }
    let maxId = 0
    for (let listed = 0; listed < orders; ) if (hiddenOf(++maxId) === null) listed++

    // Creation times: a Poisson process over the history, scaled to end just before the start.
    const cumulative = new Float64Array(maxId + 1)
    for (let id = 1; id <= maxId; id++) {
      cumulative[id] = cumulative[id - 1]! + Rng.of(seed, id, STREAMS.orderGap).exponential(1)
    }
    const scale = (span - 1) / (cumulative[maxId] || 1)

    const pickCustomer = loyaltyPicker(seed, customers)
    const guestPool = Math.max(1, Math.round(maxId * GUEST_SHARE * GUEST_POOL_RATIO))
    const created = new Uint32Array(maxId + 1)
    const modified = new Uint32Array(maxId + 1)
    const status = new Uint8Array(maxId + 1)
    const buyer = new Int32Array(maxId + 1)
    const stats: CustomerOrderStats = {
      firstOrderSec: new Uint32Array(customers + 1),
      lastOrderSec: new Uint32Array(customers + 1),
      paying: new Uint8Array(customers + 1),
    }
    const keys = new Float64Array(orders)
    let listedCount = 0
    for (let id = 1; id <= maxId; id++) {
      const createdSec = firstSec + Math.floor(cumulative[id]! * scale)
      const draw = Rng.of(seed, id, STREAMS.orderCustomer)
      const who = customers === 0 || draw.next() < GUEST_SHARE ? -draw.int(guestPool) : pickCustomer(draw.next())
      const hidden = hiddenOf(id)
      const timeline = planTimeline(seed, id, createdSec, cutSec, hidden)
      created[id] = createdSec
      modified[id] = timeline.modifiedSec
      status[id] = STATUS_CODE[timeline.status]
      buyer[id] = who
      if (who > 0) {
        if (stats.firstOrderSec[who] === 0) stats.firstOrderSec[who] = createdSec
        stats.lastOrderSec[who] = createdSec
        if (timeline.paidSec !== null) stats.paying[who] = 1
      }
      if (hidden === null) keys[listedCount++] = modifiedKey(timeline.modifiedSec - epochSec, id)
    }
    keys.sort()
    return new OrderBook({
      factory: { seed, siteOffsetMinutes: options.siteOffsetMinutes },
      startSec,
      epochSec,
      created,
      modified,
      status,
      buyer,
      maxId,
      listedCount,
      byModifiedKeys: keys,
      customerStats: stats,
    })
  }

  get maxId(): number {
    return this.#maxId
  }

  /** Orders a `status=any` list counts. */
  get listedCount(): number {
    return this.#listedCount
  }

  get byId(): LiveSequence {
    return this.#byId
  }

  get byModified(): ModifiedIndex {
    return this.#byModified
  }

  exists(id: number): boolean {
    return Number.isInteger(id) && id >= 1 && id <= this.#maxId && this.#status[id] !== DELETED
  }

  isListed(id: number): boolean {
    return this.exists(id) && this.#byId.isLive(id)
  }

  statusCode(id: number): number {
    return this.#status[id]!
  }

  createdSec(id: number): number {
    return this.#created[id]!
  }

  modifiedSec(id: number): number {
    return this.#modified[id]!
  }

  /** The customer id of the order, 0 for guests. */
  customerId(id: number): number {
    return Math.max(0, this.#buyer[id]!)
  }

  /** The order's current version as a fresh object the caller may change, or undefined. */
  order(id: number): WooOrder | undefined {
    if (!this.exists(id)) return undefined
    const saved = this.#overlay.get(id)
    return saved === undefined ? this.#startupVersion(id) : (JSON.parse(saved.toString('utf8')) as WooOrder)
  }

  /** The order's REST JSON, exactly as served. */
  json(id: number): string | undefined {
    return this.jsonBytes(id)?.toString('utf8')
  }

  /** The order's REST JSON as UTF-8 bytes, the form the server sends. */
  jsonBytes(id: number): Buffer | undefined {
    if (!this.exists(id)) return undefined
    return this.#overlay.get(id) ?? Buffer.from(JSON.stringify(this.#startupVersion(id)))
  }

  /** Stamps for changes: now, but never before the start, so changed orders sort after startup ones. */
  changeSec(nowSec: number): number {
    return Math.min(Math.max(nowSec, this.startSec), this.epochSec + MAX_RELATIVE_SECONDS)
  }

  /** Creation stamp for a new order: a change stamp, never before the last order's creation. */
  creationSec(nowSec: number): number {
    return Math.max(this.changeSec(nowSec), this.#created[this.#maxId] ?? 0)
  }

  /** The id the next created order gets. */
  nextId(): number {
    if (this.#maxId >= MAX_ORDER_ID) throw new RangeError(`the simulator holds at most ${MAX_ORDER_ID} orders`)
    return this.#maxId + 1
  }

  /**
   * Stores new versions of orders (existing ids, or nextId() for a new order, in id order).
   * Columns and both indexes follow; date_modified_gmt decides the order's place by modified.
   */
  save(orders: readonly WooOrder[]): void {
    const moves: { id: number; key: number | null }[] = []
    for (const order of orders) {
      const id = order.id
      if (id === this.#maxId + 1) this.#append(order)
      else if (!this.exists(id)) throw new RangeError(`order ${id} does not exist`)
      const wasListed = this.#byId.isLive(id)
      const modifiedSec = Date.parse(`${order.date_modified_gmt}Z`) / 1000
      this.#modified[id] = modifiedSec
      this.#status[id] = STATUS_CODE[order.status]
      this.#overlay.set(id, Buffer.from(JSON.stringify(order)))
      const listed = !UNLISTED_CODES.has(this.#status[id]!)
      this.#byId.set(id, listed)
      this.#listedCount += Number(listed) - Number(wasListed)
      moves.push({ id, key: listed ? modifiedKey(modifiedSec - this.epochSec, id) : null })
    }
    this.#byModified.update(moves)
  }

  /** Force delete (`DELETE /orders/{id}?force=true`): the order is gone for good. */
  delete(id: number): void {
    if (!this.exists(id)) return
    if (this.#byId.isLive(id)) this.#listedCount--
    this.#byId.set(id, false)
    this.#status[id] = DELETED
    this.#overlay.delete(id)
    this.#byModified.update([{ id, key: null }])
  }

  #append(order: WooOrder): void {
    const id = order.id
    if (id >= this.#created.length) this.#grow(Math.max(id + 1, Math.ceil(this.#created.length * 1.5)))
    // Creation order is id order (Woo assigns ids as orders come in); the id index relies on it.
    this.#created[id] = Math.max(Date.parse(`${order.date_created_gmt}Z`) / 1000, this.#created[this.#maxId]!)
    this.#buyer[id] = order.customer_id
    this.#maxId = id
  }

  #grow(capacity: number): void {
    const grow = <T extends Uint32Array | Uint8Array | Int32Array>(array: T, make: (n: number) => T): T => {
      const grown = make(capacity)
      grown.set(array)
      return grown
    }
    this.#created = grow(this.#created, (n) => new Uint32Array(n))
    this.#modified = grow(this.#modified, (n) => new Uint32Array(n))
    this.#status = grow(this.#status, (n) => new Uint8Array(n))
    this.#buyer = grow(this.#buyer, (n) => new Int32Array(n))
    this.#byId.grow(capacity)
  }

  #startupVersion(id: number): WooOrder {
    const createdSec = this.#created[id]!
    const code = this.#status[id]!
    const hidden =
      code === STATUS_CODE.trash ? 'trash' : code === STATUS_CODE['checkout-draft'] ? 'checkout-draft' : null
    const timeline = planTimeline(this.factory.seed, id, createdSec, this.startSec - 1, hidden)
    return buildOrder(this.factory, { id, createdSec, buyer: this.#buyer[id]!, timeline })
  }
}

/**
 * Picks a registered customer for an order. Each customer's propensity to buy is Pareto-distributed
 * (capped), so most buy once or never and a long tail buys again and again.
 */
function loyaltyPicker(seed: number, customers: number): (uniform: number) => number {
  const cumulative = new Float64Array(customers)
  let sum = 0
  for (let id = 1; id <= customers; id++) {
    const uniform = Rng.of(seed, id, STREAMS.customerWeight).next()
    sum += Math.min(LOYALTY_CAP, (1 - uniform) ** (-1 / LOYALTY_ALPHA))
    cumulative[id - 1] = sum
  }
  return (uniform) => {
    const target = uniform * sum
    let lo = 0
    let hi = customers - 1
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (cumulative[mid]! <= target) lo = mid + 1
      else hi = mid
    }
    return lo + 1
  }
}

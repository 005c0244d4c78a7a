import { ValidationError } from '../../../domain/errors.ts'
import type { WooCustomer, WooOrder } from '../types.ts'
import { Authenticator } from './auth.ts'
import { CustomerBook } from './customer-book.ts'
import { Faults } from './faults.ts'
import { MAX_RELATIVE_SECONDS } from './modified-index.ts'
import { OrderBook } from './order-book.ts'
import { advanceOrder } from './order-changes.ts'
import { buildOrder } from './order-factory.ts'
import { Rng, STREAMS } from './random.ts'
import { type ServerStats, startServer } from './server.ts'
import { freshTimeline } from './timeline.ts'

/**
 * A WooCommerce REST API v3 store on 127.0.0.1 that the official `@woocommerce/woocommerce-rest-api`
 * client and our connector talk to unchanged (providers.md §2). Data is deterministic from the seed
 * and derived on demand, so a million orders start in seconds in well under a gigabyte.
 */

export interface WooSimulatorOptions {
  host?: string
  port?: number
  seed?: number
  orders?: number
  customers?: number
  key?: string
  secret?: string
  historyDays?: number
  latencyMs?: number
  errorRate?: number
  timeoutRate?: number
  rateLimit?: number
  mutatePerMin?: number
  now?: () => number
  siteUtcOffsetMinutes?: number
}

export interface WooSimulator {
  readonly url: string
  readonly credentials: { key: string; secret: string }
  close(): Promise<void>
  /** Orders a `GET /orders` with status=any would count (excludes trash and checkout-draft). */
  orderCount(): number
  getOrder(id: number): WooOrder | undefined
  /** Every order a `status=any` list returns (not trash, not checkout-draft), current version. */
  orders(): Iterable<WooOrder>
  customers(): Iterable<WooCustomer>
  /** Changes n distinct existing orders now (status forward / note / refund), bumping date_modified(_gmt) to now; returns their new versions. */
  mutateOrders(n: number): WooOrder[]
  /** Adds n new orders created now. */
  createOrders(n: number): WooOrder[]
  setFaults(faults: Partial<Pick<WooSimulatorOptions, 'latencyMs' | 'errorRate' | 'timeoutRate' | 'rateLimit'>>): void
  readonly stats: { requests: number; byStatus: Record<number, number>; rateLimited: number }
}

const GUEST_SHARE_OF_NEW_ORDERS = 0.1

export async function startWooSimulator(options: WooSimulatorOptions = {}): Promise<WooSimulator> {
  const settings = resolveOptions(options)
  const { seed, now, siteUtcOffsetMinutes: offset } = settings
  const nowSec = () => Math.floor(now() / 1000)
  const book = OrderBook.build({
    seed,
    orders: settings.orders,
    customers: settings.customers,
    historyDays: settings.historyDays,
    startSec: nowSec(),
    siteOffsetMinutes: offset,
  })
  const customerBook = new CustomerBook({
    seed,
    count: settings.customers,
    stats: book.customerStats,
    startSec: book.startSec,
    historyDays: settings.historyDays,
    siteOffsetMinutes: offset,
  })
  const faults = new Faults(settings, seed)
  const stats: ServerStats = { requests: 0, byStatus: {}, rateLimited: 0 }
  const running = await startServer(
    {
      orders: book,
      customers: customerBook,
      auth: new Authenticator({ key: settings.key, secret: settings.secret }),
      faults,
      stats,
      nowSec,
      siteOffsetMinutes: offset,
    },
    settings.host,
    settings.port,
  )
  const mutationRng = Rng.of(seed, 0, STREAMS.mutations)

  const mutateOrders = (n: number): WooOrder[] => {
    const count = wholeNumber(n, 'mutateOrders(n)')
    const sec = book.changeSec(nowSec())
    const changed = pickListed(book, mutationRng, count).map((id) =>
      advanceOrder(book.order(id)!, mutationRng, sec, offset),
    )
    book.save(changed)
    return changed
  }

  const createOrders = (n: number): WooOrder[] => {
    const count = wholeNumber(n, 'createOrders(n)')
    const created: WooOrder[] = []
    for (let i = 0; i < count; i++) {
      const id = book.nextId() + i
      const createdSec = book.creationSec(nowSec())
      const rng = Rng.of(seed, id, STREAMS.mutations)
      const buyer =
        settings.customers === 0 || rng.chance(GUEST_SHARE_OF_NEW_ORDERS)
          ? -rng.int(1_000_000_000)
          : rng.between(1, settings.customers)
      created.push(buildOrder(book.factory, { id, createdSec, buyer, timeline: freshTimeline(rng, createdSec) }))
    }
    book.save(created)
    return created
  }

  const mutator = settings.mutatePerMin > 0 ? startMutator(settings.mutatePerMin, mutateOrders) : undefined
  let closing: Promise<void> | undefined
  const url = `http://${settings.host.includes(':') ? `[${settings.host}]` : settings.host}:${running.port}`

  return {
    url,
    credentials: { key: settings.key, secret: settings.secret },
    stats,
    close() {
      if (mutator) clearInterval(mutator)
      closing ??= running.close()
      return closing
    },
    orderCount: () => book.listedCount,
    getOrder: (id) => book.order(id),
    *orders() {
      for (let id = 1; id <= book.maxId; id++) if (book.isListed(id)) yield book.order(id)!
    },
    *customers() {
      for (let id = 1; id <= customerBook.count; id++) yield customerBook.customer(id)!
    },
    mutateOrders,
    createOrders,
    setFaults(changes) {
      faults.update(checkFaults(changes))
    },
  }
}

/** n distinct listed order ids, drawn at random. */
function pickListed(book: OrderBook, rng: Rng, n: number): number[] {
  const listed = book.listedCount
  if (n >= listed / 2) {
    // Dense: shuffle all listed ids and keep the first n.
    const ids = book.byId.collect(0, listed)
    const take = Math.min(n, ids.length)
    for (let i = 0; i < take; i++) {
      const j = i + rng.int(ids.length - i)
      ;[ids[i], ids[j]] = [ids[j]!, ids[i]!]
    }
    return ids.slice(0, take).sort((a, b) => a - b)
  }
  const chosen = new Set<number>()
  while (chosen.size < n) chosen.add(book.byId.findKth(rng.int(listed)))
  return [...chosen].sort((a, b) => a - b)
}

/** Applies `perMinute` changes a minute, spread in small batches over the minute. */
function startMutator(perMinute: number, mutate: (n: number) => unknown): NodeJS.Timeout {
  const tickMs = Math.max(100, Math.floor(60_000 / perMinute))
  let owed = 0
  let lastMs = performance.now()
  const timer = setInterval(() => {
    const nowMs = performance.now()
    owed += (perMinute * (nowMs - lastMs)) / 60_000
    lastMs = nowMs
    const due = Math.floor(owed)
    if (due > 0) {
      owed -= due
      mutate(due)
    }
  }, tickMs)
  timer.unref()
  return timer
}

interface ResolvedOptions {
  host: string
  port: number
  seed: number
  orders: number
  customers: number
  key: string
  secret: string
  historyDays: number
  latencyMs: number
  errorRate: number
  timeoutRate: number
  rateLimit: number
  mutatePerMin: number
  now: () => number
  siteUtcOffsetMinutes: number
}

function resolveOptions(options: WooSimulatorOptions): ResolvedOptions {
  const orders = options.orders ?? 200
  const resolved: ResolvedOptions = {
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    seed: options.seed ?? 1,
    orders,
    customers: options.customers ?? Math.max(10, Math.round(orders / 4)),
    key: options.key ?? 'ck_tributary_demo',
    secret: options.secret ?? 'cs_tributary_demo',
    historyDays: options.historyDays ?? 90,
    latencyMs: options.latencyMs ?? 0,
    errorRate: options.errorRate ?? 0,
    timeoutRate: options.timeoutRate ?? 0,
    rateLimit: options.rateLimit ?? 0,
    mutatePerMin: options.mutatePerMin ?? 0,
    now: options.now ?? Date.now,
    siteUtcOffsetMinutes: options.siteUtcOffsetMinutes ?? 180,
  }
  const problems: { path: string; message: string }[] = []
  const check = (ok: boolean, path: string, message: string) => {
    if (!ok) problems.push({ path, message: `${path} ${message}` })
  }
  const isWhole = (value: number, min: number, max = Number.MAX_SAFE_INTEGER) =>
    Number.isInteger(value) && value >= min && value <= max
  check(isWhole(resolved.port, 0, 65_535), 'port', 'must be a whole number from 0 to 65535')
  check(Number.isInteger(resolved.seed), 'seed', 'must be a whole number')
  check(isWhole(resolved.orders, 0, 50_000_000), 'orders', 'must be a whole number from 0 to 50,000,000')
  check(isWhole(resolved.customers, 0, 50_000_000), 'customers', 'must be a whole number from 0 to 50,000,000')
  check(resolved.key !== '', 'key', 'must not be empty')
  check(resolved.secret !== '', 'secret', 'must not be empty')
  // Keys of the modified index hold seconds since the history's start in 27 bits (modified-index.ts).
  const maxDays = Math.floor(MAX_RELATIVE_SECONDS / 86_400) - 400
  check(
    resolved.historyDays > 0 && resolved.historyDays <= maxDays,
    'historyDays',
    `must be more than 0 and at most ${maxDays}`,
  )
  check(
    Number.isFinite(resolved.siteUtcOffsetMinutes) && Math.abs(resolved.siteUtcOffsetMinutes) <= 14 * 60,
    'siteUtcOffsetMinutes',
    'must be within ±840',
  )
  check(resolved.mutatePerMin >= 0 && Number.isFinite(resolved.mutatePerMin), 'mutatePerMin', 'must be 0 or more')
  for (const problem of faultProblems(resolved)) problems.push(problem)
  if (problems.length > 0) {
    throw new ValidationError(
      `invalid simulator options: ${problems.map((p) => p.message).join('; ')}`,
      problems,
      'invalid_simulator_options',
    )
  }
  return resolved
}

type FaultOptions = Partial<Pick<WooSimulatorOptions, 'latencyMs' | 'errorRate' | 'timeoutRate' | 'rateLimit'>>

function faultProblems(faults: FaultOptions): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = []
  const share = (value: number | undefined, path: string) => {
    if (value !== undefined && !(value >= 0 && value <= 1))
      problems.push({ path, message: `${path} must be between 0 and 1` })
  }
  const positive = (value: number | undefined, path: string) => {
    if (value !== undefined && !(value >= 0 && Number.isFinite(value)))
      problems.push({ path, message: `${path} must be 0 or more` })
  }
  positive(faults.latencyMs, 'latencyMs')
  share(faults.errorRate, 'errorRate')
  share(faults.timeoutRate, 'timeoutRate')
  positive(faults.rateLimit, 'rateLimit')
  return problems
}

function checkFaults(faults: FaultOptions): FaultOptions {
  const problems = faultProblems(faults)
  if (problems.length > 0) {
    throw new ValidationError(
      `invalid simulator faults: ${problems.map((p) => p.message).join('; ')}`,
      problems,
      'invalid_simulator_options',
    )
  }
  return faults
}

function wholeNumber(n: number, what: string): number {
  if (!Number.isInteger(n) || n < 0)
    throw new ValidationError(`${what} expects a whole number ≥ 0, got ${n}`, [], 'invalid_simulator_options')
  return n
}

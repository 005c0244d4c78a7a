import { createHash } from 'node:crypto'
import type { WooCustomer } from '../types.ts'
import { DAY, wooDatePair } from './dates.ts'
import type { CustomerListQuery } from './list-params.ts'
import type { CustomerOrderStats } from './order-book.ts'
import type { ListResult } from './order-query.ts'
import { pageWindow } from './order-query.ts'
import { customerProfile, shippingOf } from './people.ts'
import { Rng, STREAMS } from './random.ts'

/**
 * The store's registered customers (ids 1..count, role `customer`), derived from (seed, id) like the
 * orders. Registration comes just before the first order for most buyers (an account made at
 * checkout), earlier for some; date_modified follows the last order. Customers cannot be filtered by
 * date (providers.md §2.2); listing by name, e-mail or search reads a directory built on first use.
 */
export class CustomerBook {
  readonly #seed: number
  readonly #count: number
  readonly #stats: CustomerOrderStats
  readonly #startSec: number
  readonly #historyDays: number
  readonly #siteOffsetMinutes: number
  #directory: Directory | undefined

  constructor(options: {
    seed: number
    count: number
    stats: CustomerOrderStats
    startSec: number
    historyDays: number
    siteOffsetMinutes: number
  }) {
    this.#seed = options.seed
    this.#count = options.count
    this.#stats = options.stats
    this.#startSec = options.startSec
    this.#historyDays = options.historyDays
    this.#siteOffsetMinutes = options.siteOffsetMinutes
  }

  get count(): number {
    return this.#count
  }

  customer(id: number): WooCustomer | undefined {
    if (!Number.isInteger(id) || id < 1 || id > this.#count) return undefined
    const { address } = customerProfile(this.#seed, id)
    const { registeredSec, modifiedSec } = this.#dates(id)
    const [dateCreated, dateCreatedGmt] = wooDatePair(registeredSec, this.#siteOffsetMinutes)
    const [dateModified, dateModifiedGmt] = wooDatePair(modifiedSec, this.#siteOffsetMinutes)
    const username = address.email.slice(0, address.email.indexOf('@'))
    return {
      id,
      date_created: dateCreated!,
      date_created_gmt: dateCreatedGmt!,
      date_modified: dateModified,
      date_modified_gmt: dateModifiedGmt,
      email: address.email,
      first_name: address.first_name,
      last_name: address.last_name,
      role: 'customer',
      username,
      billing: { ...address },
      shipping: shippingOf(address),
      is_paying_customer: this.#stats.paying[id] === 1,
      avatar_url: `https://secure.gravatar.com/avatar/${createHash('md5').update(address.email).digest('hex')}?s=96&d=mm&r=g`,
    }
  }

  list(query: CustomerListQuery): ListResult {
    let ids: number[]
    if (query.role !== 'all' && query.role !== 'customer') {
      ids = []
    } else if (
      query.orderby === 'id' &&
      !query.email &&
      !query.search &&
      query.include.length === 0 &&
      query.exclude.length === 0
    ) {
      // The connector's full scan (orderby=id): plain arithmetic over 1..count.
      const total = this.#count
      const { start, end } = pageWindow(query, total)
      const page: number[] = []
      if (query.order === 'asc') for (let id = start + 1; id <= end; id++) page.push(id)
      else for (let id = total - start; id > total - end; id--) page.push(id)
      return { ids: page, total }
    } else {
      ids = this.#filtered(query)
      this.#sort(ids, query)
    }
    const { start, end } = pageWindow(query, ids.length)
    return { ids: ids.slice(start, end), total: ids.length }
  }

  #filtered(query: CustomerListQuery): number[] {
    const include = query.include.length > 0 ? new Set(query.include) : undefined
    const exclude = new Set(query.exclude)
    const needsDirectory = query.email !== undefined || query.search !== undefined
    const directory = needsDirectory ? this.#directoryNow() : undefined
    const email = query.email?.toLowerCase()
    const needle = query.search?.toLowerCase()
    const ids: number[] = []
    const candidates = include
      ? [...include].filter((id) => id >= 1 && id <= this.#count).sort((a, b) => a - b)
      : undefined
    const consider = (id: number) => {
      if (exclude.has(id)) return
      if (email !== undefined && directory!.emails[id] !== email) return
      if (needle !== undefined && !directory!.searchText[id]!.includes(needle)) return
      ids.push(id)
    }
    if (candidates) for (const id of candidates) consider(id)
    else for (let id = 1; id <= this.#count; id++) consider(id)
    return ids
  }

  #sort(ids: number[], query: CustomerListQuery): void {
    const direction = query.order === 'asc' ? 1 : -1
    if (query.orderby === 'include' && query.include.length > 0) {
      const rank = new Map(query.include.map((id, index) => [id, index]))
      ids.sort((a, b) => rank.get(a)! - rank.get(b)!)
      return
    }
    if (query.orderby === 'name') {
      const names = this.#directoryNow().names
      ids.sort((a, b) => direction * (names[a]! < names[b]! ? -1 : names[a]! > names[b]! ? 1 : a - b))
      return
    }
    if (query.orderby === 'registered_date') {
      const registered = new Map(ids.map((id) => [id, this.#dates(id).registeredSec]))
      ids.sort((a, b) => direction * (registered.get(a)! - registered.get(b)! || a - b))
      return
    }
    if (direction < 0) ids.reverse()
  }

  #dates(id: number): { registeredSec: number; modifiedSec: number | null } {
    const rng = Rng.of(this.#seed, id, STREAMS.customerDates)
    const first = this.#stats.firstOrderSec[id]!
    const last = this.#stats.lastOrderSec[id]!
    const latest = this.#startSec - 1
    if (first > 0) {
      // Most accounts are made at checkout, seconds before the first order; some long before.
      const registeredSec = rng.chance(0.7) ? first - rng.between(5, 120) : first - rng.between(1, 400) * DAY
      return { registeredSec, modifiedSec: Math.min(latest, last + rng.between(0, 5)) }
    }
    const earliest = this.#startSec - (this.#historyDays + 400) * DAY
    const registeredSec = rng.between(earliest, latest)
    const modifiedSec = rng.chance(0.7) ? Math.min(latest, registeredSec + rng.between(0, 30 * DAY)) : null
    return { registeredSec, modifiedSec }
  }

  #directoryNow(): Directory {
    if (!this.#directory) {
      const names: string[] = ['']
      const emails: string[] = ['']
      const searchText: string[] = ['']
      for (let id = 1; id <= this.#count; id++) {
        const { address } = customerProfile(this.#seed, id)
        const email = address.email.toLowerCase()
        // WordPress sorts users by display_name; a customer made at checkout shows "First Last".
        names.push(`${address.first_name} ${address.last_name}`.toLowerCase())
        emails.push(email)
        searchText.push(`${email} ${address.first_name} ${address.last_name}`.toLowerCase())
      }
      this.#directory = { names, emails, searchText }
    }
    return this.#directory
  }
}

interface Directory {
  readonly names: readonly string[]
  readonly emails: readonly string[]
  readonly searchText: readonly string[]
}

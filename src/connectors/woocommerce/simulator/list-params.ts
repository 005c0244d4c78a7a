import { WOO_ORDER_STATUSES, type WooError, type WooOrderStatus } from '../types.ts'
import { parseFilterDate } from './dates.ts'
import type { ParamValue, QueryParams } from './query-string.ts'

/**
 * The collection parameters of `GET /orders` and `GET /customers` (providers.md §2.2), validated as
 * the WordPress REST server does it: every bad parameter is collected into one 400
 * `rest_invalid_param` "Invalid parameter(s): a, b" with a message per parameter in `data.params`
 * and WordPress's error code per parameter in `data.details`. Unknown parameters are ignored.
 */

export const ORDER_LIST_STATUSES = [
  'any',
  'trash',
  ...WOO_ORDER_STATUSES.filter((status) => status !== 'trash'),
] as const
export const ORDER_ORDERBY = ['date', 'id', 'include', 'title', 'slug', 'modified'] as const
export const CUSTOMER_ORDERBY = ['id', 'include', 'name', 'registered_date'] as const
export const CUSTOMER_ROLES = [
  'all',
  'administrator',
  'editor',
  'author',
  'contributor',
  'subscriber',
  'customer',
  'shop_manager',
] as const

export interface Paging {
  readonly page: number
  readonly perPage: number
  /** When given, replaces the page's start (WP_Query ignores `paged` with an offset). */
  readonly offset: number | undefined
  readonly order: 'asc' | 'desc'
}

export interface OrderListQuery extends Paging {
  readonly orderby: (typeof ORDER_ORDERBY)[number]
  /** 'any' = every listed order (not trash, not checkout-draft). */
  readonly statuses: 'any' | readonly WooOrderStatus[]
  /** Strict bounds, Unix seconds UTC (already converted from site-local when dates_are_gmt is false). */
  readonly createdAfter: number | undefined
  readonly createdBefore: number | undefined
  readonly modifiedAfter: number | undefined
  readonly modifiedBefore: number | undefined
  readonly include: readonly number[]
  readonly exclude: readonly number[]
  readonly customer: number | undefined
  readonly product: number | undefined
  readonly search: string | undefined
}

export interface CustomerListQuery extends Paging {
  readonly orderby: (typeof CUSTOMER_ORDERBY)[number]
  readonly include: readonly number[]
  readonly exclude: readonly number[]
  readonly email: string | undefined
  readonly search: string | undefined
  readonly role: (typeof CUSTOMER_ROLES)[number]
}

export type Parsed<T> = { readonly ok: true; readonly query: T } | { readonly ok: false; readonly error: WooError }

export function parseOrderListQuery(params: QueryParams, siteOffsetMinutes: number): Parsed<OrderListQuery> {
  const read = new ParamReader(params)
  const paging = readPaging(read, 'desc')
  const orderby = read.oneOf('orderby', ORDER_ORDERBY, 'date')
  const statuses = read.listOf('status', ORDER_LIST_STATUSES, ['any'])
  const datesAreGmt = read.boolean('dates_are_gmt', false)
  const date = (name: string) => read.date(name, datesAreGmt, siteOffsetMinutes)
  const query: OrderListQuery = {
    ...paging,
    orderby,
    statuses: statuses.includes('any') ? 'any' : (statuses as WooOrderStatus[]),
    createdAfter: date('after'),
    createdBefore: date('before'),
    modifiedAfter: date('modified_after'),
    modifiedBefore: date('modified_before'),
    include: read.integers('include'),
    exclude: read.integers('exclude'),
    customer: read.integer('customer', { min: 0 }),
    product: read.integer('product', { min: 0 }),
    search: read.text('search'),
  }
  read.integer('dp', { min: 0 })
  return read.result(query)
}

export function parseCustomerListQuery(params: QueryParams): Parsed<CustomerListQuery> {
  const read = new ParamReader(params)
  // Woo lists customers by name, ascending, unless told otherwise.
  const paging = readPaging(read, 'asc')
  const query: CustomerListQuery = {
    ...paging,
    orderby: read.oneOf('orderby', CUSTOMER_ORDERBY, 'name'),
    include: read.integers('include'),
    exclude: read.integers('exclude'),
    email: read.text('email'),
    search: read.text('search'),
    role: read.oneOf('role', CUSTOMER_ROLES, 'customer'),
  }
  return read.result(query)
}

function readPaging(read: ParamReader, defaultOrder: 'asc' | 'desc'): Paging {
  const page = read.integer('page', { min: 1 }) ?? 1
  const perPage = read.integer('per_page', { min: 1, max: 100 }) ?? 10
  // Woo sanitizes offset with absint().
  const offset = read.integer('offset', {})
  return {
    page,
    perPage,
    offset: offset === undefined ? undefined : Math.abs(offset),
    order: read.oneOf('order', ['asc', 'desc'], defaultOrder),
  }
}

class ParamReader {
  readonly #params: QueryParams
  readonly #messages: Record<string, string> = {}
  readonly #details: Record<string, { code: string; message: string; data: null }> = {}

  constructor(params: QueryParams) {
    this.#params = params
  }

  result<T>(query: T): Parsed<T> {
    const names = Object.keys(this.#messages)
    if (names.length === 0) return { ok: true, query }
    return {
      ok: false,
      error: {
        code: 'rest_invalid_param',
        message: `Invalid parameter(s): ${names.join(', ')}`,
        data: { status: 400, params: this.#messages, details: this.#details },
      },
    }
  }

  integer(name: string, bounds: { min?: number; max?: number }): number | undefined {
    const raw = this.#single(name)
    if (raw === undefined) return undefined
    const value = toInteger(raw)
    if (value === undefined) return this.#fail(name, 'rest_invalid_type', `${name} is not of type integer.`)
    const { min, max } = bounds
    if ((min !== undefined && value < min) || (max !== undefined && value > max)) {
      const message =
        min !== undefined && max !== undefined
          ? `${name} must be between ${min} (inclusive) and ${max} (inclusive)`
          : min !== undefined
            ? `${name} must be greater than or equal to ${min}`
            : `${name} must be less than or equal to ${max}`
      return this.#fail(name, 'rest_out_of_bounds', message)
    }
    return value
  }

  integers(name: string): number[] {
    const values: number[] = []
    for (const [index, raw] of this.#list(name).entries()) {
      const value = toInteger(raw)
      if (value === undefined) {
        this.#fail(name, 'rest_invalid_type', `${name}[${index}] is not of type integer.`)
        return []
      }
      values.push(value)
    }
    return values
  }

  oneOf<const T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const raw = this.#single(name)
    if (raw === undefined) return fallback
    if ((allowed as readonly string[]).includes(raw)) return raw as T
    return this.#fail(name, 'rest_not_in_enum', `${name} is not one of ${allowed.join(', ')}.`) ?? fallback
  }

  listOf<const T extends string>(name: string, allowed: readonly T[], fallback: T[]): T[] {
    if (!this.#params.has(name)) return fallback
    const values = this.#list(name)
    for (const [index, value] of values.entries()) {
      if (!(allowed as readonly string[]).includes(value)) {
        this.#fail(name, 'rest_not_in_enum', `${name}[${index}] is not one of ${allowed.join(', ')}.`)
        return fallback
      }
    }
    return values.length === 0 ? fallback : (values as T[])
  }

  boolean(name: string, fallback: boolean): boolean {
    const raw = this.#single(name)
    if (raw === undefined) return fallback
    const value = raw.toLowerCase()
    if (value === 'true' || value === '1') return true
    if (value === 'false' || value === '0' || value === '') return false
    return this.#fail(name, 'rest_invalid_type', `${name} is not of type boolean.`) ?? fallback
  }

  date(name: string, datesAreGmt: boolean, siteOffsetMinutes: number): number | undefined {
    const raw = this.#single(name)
    if (raw === undefined) return undefined
    const sec = parseFilterDate(raw, datesAreGmt, siteOffsetMinutes)
    return sec ?? this.#fail(name, 'rest_invalid_date', 'Invalid date.')
  }

  text(name: string): string | undefined {
    const raw = this.#single(name)
    return raw === undefined || raw === '' ? undefined : raw
  }

  #single(name: string): string | undefined {
    const value: ParamValue | undefined = this.#params.get(name)
    return Array.isArray(value) ? value[value.length - 1] : value
  }

  /** A list parameter: an array (`a[]=`), or a comma/space separated string (WordPress's wp_parse_list). */
  #list(name: string): string[] {
    const value = this.#params.get(name)
    if (value === undefined) return []
    if (Array.isArray(value)) return value
    return value.split(/[\s,]+/).filter((item) => item !== '')
  }

  #fail(name: string, code: string, message: string): undefined {
    if (!(name in this.#messages)) {
      this.#messages[name] = message
      this.#details[name] = { code, message, data: null }
    }
    return undefined
  }
}

function toInteger(raw: string): number | undefined {
  if (!/^\s*-?\d+\s*$/.test(raw)) return undefined
  const value = Number(raw)
  return Number.isSafeInteger(value) ? value : undefined
}

import { createHmac } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { WooCustomer, WooOrder } from '../types.ts'

/**
 * A small WooCommerce REST v3 stand-in for the connector's own tests: the list semantics the
 * streams depend on (providers.md §2.2: strict `>`/`<` date filters at one-second precision,
 * `orderby=modified` tie-broken on id, X-WP-Total), OAuth 1.0a checked as WC_REST_Authentication
 * does, and hooks to change data between requests. Not the product simulator (simulator/).
 */
export interface FakeWooStore {
  readonly url: string
  readonly credentials: { readonly key: string; readonly secret: string }
  readonly orders: Map<number, WooOrder>
  readonly customers: Map<number, WooCustomer>
  /** Every request's URL, in order. */
  readonly requests: URL[]
  /** Runs before each list request is answered, with the request and its 1-based number. */
  beforeList: ((url: URL, n: number) => void) | undefined
  /** Fault switches: a store that ignores a filter, or answers errors. */
  readonly quirks: { ignoreTrashFilter?: boolean; ignoreModifiedBefore?: boolean; failNext?: number }
  /** Changes an order's content and sets its modification time (UTC seconds, `YYYY-MM-DDTHH:MM:SS`). */
  touch(id: number, modifiedGmt: string, change?: Partial<WooOrder>): void
  close(): Promise<void>
}

export function fakeOrder(id: number, modifiedGmt: string, overrides: Partial<WooOrder> = {}): WooOrder {
  return {
    id,
    parent_id: 0,
    number: String(id),
    order_key: `wc_order_${id}`,
    created_via: 'checkout',
    version: '9.0.0',
    status: 'processing',
    currency: 'EUR',
    date_created: '2025-01-01T10:00:00',
    date_created_gmt: '2025-01-01T09:00:00',
    date_modified: modifiedGmt,
    date_modified_gmt: modifiedGmt,
    discount_total: '0.00',
    discount_tax: '0.00',
    shipping_total: '0.00',
    shipping_tax: '0.00',
    cart_tax: '0.00',
    total: '10.00',
    total_tax: '0.00',
    prices_include_tax: false,
    customer_id: 0,
    customer_note: '',
    billing: { first_name: 'Guest', last_name: String(id), email: `guest${id}@example.com` },
    shipping: { first_name: '', last_name: '' },
    payment_method: 'cod',
    payment_method_title: 'Cash on delivery',
    transaction_id: '',
    date_paid: null,
    date_paid_gmt: null,
    date_completed: null,
    date_completed_gmt: null,
    cart_hash: '',
    line_items: [
      {
        id: id * 10,
        name: 'Tee',
        product_id: 1,
        variation_id: 0,
        quantity: 1,
        subtotal: '10.00',
        total: '10.00',
        sku: 'TEE',
        price: 10,
      },
    ],
    refunds: [],
    meta_data: [],
    ...overrides,
  }
}

export function fakeCustomer(id: number, role = 'customer'): WooCustomer {
  return {
    id,
    date_created: '2025-01-01T10:00:00',
    date_created_gmt: '2025-01-01T09:00:00',
    date_modified: null,
    date_modified_gmt: id % 2 === 0 ? `2025-02-01T00:00:${String(id % 60).padStart(2, '0')}` : null,
    email: `c${id}@example.com`,
    first_name: 'C',
    last_name: String(id),
    role,
    username: `c${id}`,
    billing: { first_name: 'C', last_name: String(id) },
    shipping: { first_name: '', last_name: '' },
    is_paying_customer: false,
    avatar_url: '',
  }
}

export async function startFakeWooStore(): Promise<FakeWooStore> {
  const credentials = { key: 'ck_fake', secret: 'cs_fake' }
  const orders = new Map<number, WooOrder>()
  const customers = new Map<number, WooCustomer>()
  const requests: URL[] = []
  const nonces = new Set<string>()
  let lists = 0
  let version = 0

  const store: FakeWooStore = {
    url: '',
    credentials,
    orders,
    customers,
    requests,
    beforeList: undefined,
    quirks: {},
    touch(id, modifiedGmt, change = {}) {
      const order = orders.get(id)
      if (!order) throw new Error(`no order ${id}`)
      orders.set(id, {
        ...order,
        ...change,
        customer_note: `edit ${++version}`,
        date_modified: modifiedGmt,
        date_modified_gmt: modifiedGmt,
      })
    },
    close: async () => {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    },
  }

  const server = createServer((req, res) => {
    let body = ''
    req.on('data', (chunk) => (body += chunk))
    req.on('end', () => {
      try {
        handle(req, res, body)
      } catch (error) {
        send(res, 500, { code: 'internal', message: String(error) })
      }
    })
  })

  function handle(req: IncomingMessage, res: ServerResponse, body: string) {
    const url = new URL(req.url!, store.url)
    requests.push(url)
    if (store.quirks.failNext) {
      store.quirks.failNext -= 1
      return send(res, 503, { code: 'unavailable', message: 'try again' })
    }
    const authError = checkOAuth(req.method!, url)
    if (authError)
      return send(res, 401, {
        code: 'woocommerce_rest_authentication_error',
        message: authError,
        data: { status: 401 },
      })
    const path = url.pathname.replace(/^\/wp-json\/wc\/v3\//, '')
    const q = url.searchParams
    const perPage = Number(q.get('per_page') ?? 10)
    const page = Number(q.get('page') ?? 1)
    if (!(perPage >= 1 && perPage <= 100)) {
      return send(res, 400, {
        code: 'rest_invalid_param',
        message: 'Invalid parameter(s): per_page',
        data: { status: 400 },
      })
    }
    if (req.method === 'GET' && path === 'orders') {
      store.beforeList?.(url, ++lists)
      return sendPage(res, listOrders(q), page, perPage)
    }
    if (req.method === 'GET' && path === 'customers') {
      store.beforeList?.(url, ++lists)
      const role = q.get('role') ?? 'customer'
      const rows = [...customers.values()].filter((c) => role === 'all' || c.role === role).sort((a, b) => a.id - b.id)
      return sendPage(res, rows, page, perPage)
    }
    const single = /^orders\/(\d+)$/.exec(path)
    if (single && (req.method === 'PUT' || req.method === 'POST')) {
      const order = orders.get(Number(single[1]))
      if (!order)
        return send(res, 404, {
          code: 'woocommerce_rest_shop_order_invalid_id',
          message: 'Invalid ID.',
          data: { status: 404 },
        })
      const { status } = JSON.parse(body) as { status: WooOrder['status'] }
      orders.set(order.id, { ...order, status })
      return send(res, 200, orders.get(order.id))
    }
    send(res, 404, {
      code: 'rest_no_route',
      message: 'No route was found matching the URL and request method.',
      data: { status: 404 },
    })
  }

  function listOrders(q: URLSearchParams): WooOrder[] {
    const filtered = q.has('modified_after') || q.has('modified_before')
    if (filtered && q.get('dates_are_gmt') !== 'true') throw new Error('this fake only filters with dates_are_gmt=true')
    const status = q.get('status') ?? 'any'
    const after = q.get('modified_after')?.slice(0, 19)
    const before = store.quirks.ignoreModifiedBefore ? undefined : q.get('modified_before')?.slice(0, 19)
    // `any` hides the trash (providers.md §2.2); a quirky store answers `trash` as if it were `any`.
    const trashOnly = status === 'trash' && !store.quirks.ignoreTrashFilter
    const rows = [...orders.values()].filter((o) => {
      if ((o.status === 'trash') !== trashOnly) return false
      if (after !== undefined && !(o.date_modified_gmt > after)) return false
      if (before !== undefined && !(o.date_modified_gmt < before)) return false
      return true
    })
    // The default order is newest first (by date; here by id).
    if (!q.has('orderby')) return rows.sort((a, b) => b.id - a.id)
    if (q.get('orderby') !== 'modified' || q.get('order') !== 'asc')
      throw new Error('this fake only sorts by modified asc')
    return rows.sort((a, b) =>
      a.date_modified_gmt < b.date_modified_gmt ? -1 : a.date_modified_gmt > b.date_modified_gmt ? 1 : a.id - b.id,
    )
  }

  /** WC_REST_Authentication::check_oauth_signature, transcribed: plain HTTP accepts only OAuth 1.0a. */
  function checkOAuth(method: string, url: URL): string | undefined {
    const params: Record<string, string> = {}
    for (const [key, value] of url.searchParams) params[key] = value
    if (params['oauth_consumer_key'] !== credentials.key) return 'Consumer key is invalid.'
    const given = params['oauth_signature']
    delete params['oauth_signature']
    const keys = Object.keys(params).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    const raw = (s: string) =>
      encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    const query = keys.map((key) => raw(`${raw(key)}=${raw(params[key]!)}`)).join('%26')
    const base = `${method}&${raw(`${url.origin}${url.pathname}`)}&${query}`
    if (params['oauth_signature_method'] !== 'HMAC-SHA256') return 'Invalid signature - signature method is invalid.'
    const expected = createHmac('sha256', `${credentials.secret}&`).update(base).digest('base64')
    if (given !== expected) return 'Invalid signature - provided signature does not match.'
    if (Math.abs(Date.now() / 1000 - Number(params['oauth_timestamp'])) > 15 * 60) return 'Invalid timestamp.'
    const nonce = `${params['oauth_timestamp']}:${params['oauth_nonce']}`
    if (nonces.has(nonce)) return 'Invalid nonce - nonce has already been used.'
    nonces.add(nonce)
    return undefined
  }

  function sendPage(res: ServerResponse, rows: unknown[], page: number, perPage: number) {
    res.setHeader('x-wp-total', String(rows.length))
    res.setHeader('x-wp-totalpages', String(Math.ceil(rows.length / perPage)))
    send(res, 200, rows.slice((page - 1) * perPage, page * perPage))
  }

  function send(res: ServerResponse, status: number, body: unknown) {
    res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' })
    res.end(JSON.stringify(body))
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  ;(store as { url: string }).url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return store
}

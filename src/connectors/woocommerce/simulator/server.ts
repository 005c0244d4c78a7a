import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { WooError } from '../types.ts'
import type { Authenticator } from './auth.ts'
import type { CustomerBook } from './customer-book.ts'
import { type Faults, INTERNAL_ERROR, rateLimitedError } from './faults.ts'
import { type Paging, parseCustomerListQuery, parseOrderListQuery } from './list-params.ts'
import type { OrderBook } from './order-book.ts'
import { SETTABLE_STATUSES, setOrderStatus } from './order-changes.ts'
import { listOrders } from './order-query.ts'
import { type ParsedQuery, parseQuery, withPage } from './query-string.ts'

/**
 * The `/wp-json/wc/v3` subset over node:http (providers.md §2): orders (list, get, update, delete)
 * and customers (list, get), also reachable as `/?rest_route=/wc/v3/…`. Each request's faults are
 * decided on arrival (rate limit, hang, 500); every answer then waits the configured latency; what
 * is served goes through authentication, routing and the handler. Error bodies are WordPress's
 * `{"code","message","data":{"status"}}`.
 */

export interface ServerStats {
  requests: number
  byStatus: Record<number, number>
  rateLimited: number
}

export interface ServerContext {
  readonly orders: OrderBook
  readonly customers: CustomerBook
  readonly auth: Authenticator
  readonly faults: Faults
  readonly stats: ServerStats
  /** The data clock (Unix seconds) that stamps changes. */
  readonly nowSec: () => number
  readonly siteOffsetMinutes: number
}

export interface RunningServer {
  readonly server: Server
  readonly port: number
  close(): Promise<void>
}

const JSON_HEADERS = {
  'content-type': 'application/json; charset=UTF-8',
  'x-content-type-options': 'nosniff',
  'x-robots-tag': 'noindex',
  'access-control-expose-headers': 'X-WP-Total, X-WP-TotalPages, Link',
}
const API_PREFIX = '/wp-json'
const NAMESPACE = '/wc/v3'
const MAX_BODY_BYTES = 1_000_000

interface Reply {
  readonly status: number
  /** A single JSON document, or a list body as its items' JSON bytes, framed when sent. */
  readonly body: string | Buffer | { readonly items: readonly Buffer[] }
  readonly headers?: Record<string, string>
}

interface Route {
  readonly resource: 'orders' | 'customers'
  readonly id: number | undefined
}

export async function startServer(context: ServerContext, host: string, port: number): Promise<RunningServer> {
  /** Requests a timeout fault holds unanswered until the client gives up or the server closes. */
  const held = new Set<ServerResponse>()
  const server = createServer((request, response) => {
    handle(context, held, request, response).catch((error: unknown) => {
      if (!response.headersSent) send(context.stats, response, { status: 500, body: JSON.stringify(INTERNAL_ERROR) })
      else response.destroy(error as Error)
    })
  })
  server.keepAliveTimeout = 30_000
  server.headersTimeout = 35_000
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const response of held) response.destroy()
        held.clear()
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

async function handle(
  context: ServerContext,
  held: Set<ServerResponse>,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const { stats, faults } = context
  stats.requests++
  const verdict = faults.judge()
  if (verdict.kind === 'timeout') {
    held.add(response)
    response.once('close', () => held.delete(response))
    request.resume()
    return
  }
  const body = await readBody(request)
  if (faults.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, faults.latencyMs))
  if (response.destroyed) return
  if (verdict.kind === 'rate_limited') {
    stats.rateLimited++
    const error = rateLimitedError(verdict.retryAfterSec)
    return send(stats, response, {
      status: 429,
      body: JSON.stringify(error),
      headers: { 'retry-after': String(verdict.retryAfterSec) },
    })
  }
  if (verdict.kind === 'error') return send(stats, response, { status: 500, body: JSON.stringify(INTERNAL_ERROR) })
  send(stats, response, respond(context, request, body))
}

function respond(context: ServerContext, request: IncomingMessage, body: string | undefined): Reply {
  const url = request.url ?? '/'
  const questionMark = url.indexOf('?')
  const pathname = questionMark < 0 ? url : url.slice(0, questionMark)
  const query = parseQuery(questionMark < 0 ? '' : url.slice(questionMark + 1))
  const restRoute = routeText(pathname, query)
  if (restRoute === undefined || !restRoute.startsWith(`${NAMESPACE}/`)) return noRoute()
  const host = request.headers.host ?? '127.0.0.1'
  const baseUrl = `http://${host}${pathname}`
  const signedMethod = (request.method ?? 'GET').toUpperCase()
  // HEAD is GET without the body (node leaves the body out).
  const method = signedMethod === 'HEAD' ? 'GET' : signedMethod

  const outcome = context.auth.check({
    method: signedMethod,
    baseUrl,
    pairs: query.pairs,
    authorization: request.headers.authorization,
  })
  if (outcome.kind === 'rejected') {
    return {
      status: 401,
      body: JSON.stringify(outcome.error),
      ...(outcome.wwwAuthenticate ? { headers: { 'www-authenticate': outcome.wwwAuthenticate } } : {}),
    }
  }
  const route = matchRoute(restRoute.slice(NAMESPACE.length))
  if (!route || !allowed(route, method)) return noRoute()
  if (outcome.kind === 'anonymous') return forbidden(route, method)

  if (route.resource === 'customers') {
    if (route.id !== undefined) {
      const customer = context.customers.customer(route.id)
      return customer ? ok(JSON.stringify(customer)) : error(404, 'woocommerce_rest_invalid_id', 'Invalid resource ID.')
    }
    const parsed = parseCustomerListQuery(query.params)
    if (!parsed.ok) return errorReply(parsed.error)
    const { ids, total } = context.customers.list(parsed.query)
    return listReply(
      ids.map((id) => Buffer.from(JSON.stringify(context.customers.customer(id)))),
      total,
      parsed.query,
      baseUrl,
      query,
    )
  }
  if (route.id === undefined) {
    const parsed = parseOrderListQuery(query.params, context.siteOffsetMinutes)
    if (!parsed.ok) return errorReply(parsed.error)
    const { ids, total } = listOrders(context.orders, parsed.query)
    return listReply(
      ids.map((id) => context.orders.jsonBytes(id)!),
      total,
      parsed.query,
      baseUrl,
      query,
    )
  }
  if (!context.orders.exists(route.id)) return error(404, 'woocommerce_rest_shop_order_invalid_id', 'Invalid ID.')
  if (method === 'GET') return ok(context.orders.jsonBytes(route.id)!)
  if (method === 'DELETE') return deleteOrder(context, route.id, query)
  return updateOrder(context, route.id, body, query)
}

/** The REST route: the path under /wp-json, or `rest_route` on a plain-permalink request. */
function routeText(pathname: string, query: ParsedQuery): string | undefined {
  if (pathname.startsWith(`${API_PREFIX}/`)) return pathname.slice(API_PREFIX.length).replace(/\/+$/, '')
  if (pathname === '/' || pathname === '/index.php') {
    const route = query.params.get('rest_route')
    return typeof route === 'string' ? route.replace(/\/+$/, '') : undefined
  }
  return undefined
}

function matchRoute(path: string): Route | undefined {
  const match = /^\/(orders|customers)(?:\/(\d+))?$/.exec(path)
  if (!match) return undefined
  return { resource: match[1] as Route['resource'], id: match[2] === undefined ? undefined : Number(match[2]) }
}

function allowed(route: Route, method: string): boolean {
  if (method === 'GET') return true
  if (route.resource !== 'orders' || route.id === undefined) return false
  return method === 'PUT' || method === 'POST' || method === 'PATCH' || method === 'DELETE'
}

function updateOrder(context: ServerContext, id: number, body: string | undefined, query: ParsedQuery): Reply {
  let fields: Record<string, unknown> = {}
  if (body !== undefined && body.trim() !== '') {
    try {
      const parsed: unknown = JSON.parse(body)
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed))
        fields = parsed as Record<string, unknown>
    } catch {
      return errorReply({
        code: 'rest_invalid_json',
        message: 'Invalid JSON body passed.',
        data: { status: 400, details: { json_error_code: 4, json_error_message: 'Syntax error' } },
      })
    }
  }
  // WordPress merges query parameters into the request's parameters; the body wins.
  const status = fields['status'] ?? query.params.get('status')
  if (status !== undefined && !SETTABLE_STATUSES.includes(status as never)) {
    const message = `status is not one of ${SETTABLE_STATUSES.join(', ')}.`
    return errorReply({
      code: 'rest_invalid_param',
      message: 'Invalid parameter(s): status',
      data: {
        status: 400,
        params: { status: message },
        details: { status: { code: 'rest_not_in_enum', message, data: null } },
      },
    })
  }
  const order = context.orders.order(id)!
  const sec = context.orders.changeSec(context.nowSec())
  setOrderStatus(order, (status as typeof order.status | undefined) ?? order.status, sec, context.siteOffsetMinutes)
  context.orders.save([order])
  return ok(context.orders.jsonBytes(id)!)
}

function deleteOrder(context: ServerContext, id: number, query: ParsedQuery): Reply {
  const force = ['true', '1'].includes(String(query.params.get('force') ?? '').toLowerCase())
  const order = context.orders.order(id)!
  if (force) {
    context.orders.delete(id)
    return ok(JSON.stringify(order))
  }
  if (order.status === 'trash') {
    return error(410, 'woocommerce_rest_already_trashed', `The shop_order has already been deleted.`)
  }
  const sec = context.orders.changeSec(context.nowSec())
  setOrderStatus(order, 'trash', sec, context.siteOffsetMinutes)
  context.orders.save([order])
  return ok(context.orders.jsonBytes(id)!)
}

function listReply(items: Buffer[], total: number, paging: Paging, baseUrl: string, query: ParsedQuery): Reply {
  const totalPages = Math.ceil(total / paging.perPage)
  const links: string[] = []
  if (paging.page > 1) {
    const previous = Math.min(paging.page - 1, Math.max(totalPages, 1))
    links.push(`<${baseUrl}?${withPage(query.segments, previous)}>; rel="prev"`)
  }
  if (totalPages > paging.page) links.push(`<${baseUrl}?${withPage(query.segments, paging.page + 1)}>; rel="next"`)
  const headers: Record<string, string> = { 'x-wp-total': String(total), 'x-wp-totalpages': String(totalPages) }
  if (links.length > 0) headers['link'] = links.join(', ')
  return { status: 200, body: { items }, headers }
}

function forbidden(route: Route, method: string): Reply {
  if (method === 'DELETE')
    return error(401, 'woocommerce_rest_cannot_delete', 'Sorry, you are not allowed to delete this resource.')
  if (method !== 'GET')
    return error(401, 'woocommerce_rest_cannot_edit', 'Sorry, you are not allowed to edit this resource.')
  if (route.id === undefined) return error(401, 'woocommerce_rest_cannot_view', 'Sorry, you cannot list resources.')
  return error(401, 'woocommerce_rest_cannot_view', 'Sorry, you cannot view this resource.')
}

function noRoute(): Reply {
  return error(404, 'rest_no_route', 'No route was found matching the URL and request method.')
}

function ok(body: string | Buffer): Reply {
  return { status: 200, body }
}

function error(status: number, code: string, message: string): Reply {
  return errorReply({ code, message, data: { status } })
}

function errorReply(body: WooError): Reply {
  return { status: body.data.status, body: JSON.stringify(body) }
}

function send(stats: ServerStats, response: ServerResponse, reply: Reply): void {
  stats.byStatus[reply.status] = (stats.byStatus[reply.status] ?? 0) + 1
  const body =
    typeof reply.body === 'string'
      ? Buffer.from(reply.body)
      : Buffer.isBuffer(reply.body)
        ? reply.body
        : encodeList(reply.body.items)
  response.writeHead(reply.status, { ...JSON_HEADERS, ...reply.headers, 'content-length': String(body.length) })
  response.end(body)
}

const OPEN = Buffer.from('[')
const COMMA = Buffer.from(',')
const CLOSE = Buffer.from(']')

/** `[a,b,…]` from the items' bytes. */
function encodeList(items: readonly Buffer[]): Buffer {
  const parts: Buffer[] = [OPEN]
  for (let i = 0; i < items.length; i++) {
    if (i > 0) parts.push(COMMA)
    parts.push(items[i]!)
  }
  parts.push(CLOSE)
  return Buffer.concat(parts)
}

function readBody(request: IncomingMessage): Promise<string | undefined> {
  if (request.method === 'GET' || request.method === 'HEAD') {
    request.resume()
    return Promise.resolve(undefined)
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    request.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size <= MAX_BODY_BYTES) chunks.push(chunk)
    })
    request.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    request.once('error', reject)
  })
}

import { ProviderError } from '../../domain/errors.ts'
import type { ConnectorContext, HttpRequest, HttpResponse, SigningContext } from '../connector.ts'
import { rfc3986, signUrl } from './oauth1.ts'

/** `{site}/wp-json/wc/v3/…` (providers.md §2). Plain-permalink sites (`?rest_route=`) are not supported. */
export const WOO_API_PATH = '/wp-json/wc/v3'

export type WooQuery = Readonly<Record<string, string | number | boolean | null | undefined>>

export interface WooList<T> {
  readonly items: T[]
  /** X-WP-Total: rows matching the filters, across all pages; null when the header is missing. */
  readonly total: number | null
  readonly totalPages: number | null
}

/** Builds `${endpoint}/wp-json/wc/v3/<path>?<query>`, RFC 3986-encoded, skipping null/undefined values. */
export function wooUrl(endpoint: string, path: string, query: WooQuery = {}): string {
  const base = `${endpoint.replace(/\/+$/, '')}${WOO_API_PATH}/${path.replace(/^\/+/, '')}`
  const pairs = Object.entries(query)
    .filter(([, value]) => value !== null && value !== undefined)
    .map(([key, value]) => `${rfc3986(key)}=${rfc3986(String(value))}`)
  return pairs.length === 0 ? base : `${base}?${pairs.join('&')}`
}

/**
 * Authenticates a request the way the official JS client does (providers.md §2.1): an `https://`
 * store gets HTTP Basic with the consumer key and secret; a plain `http://` store only accepts
 * OAuth 1.0a, signed into the query with a fresh nonce and timestamp. The engine applies this
 * before every attempt (ProviderHttp `sign`), so a retried request is never a replayed nonce.
 * Requests to any other origin than the store are left alone, so credentials never leave for
 * somewhere else.
 */
export function signWooRequest(context: SigningContext, request: HttpRequest): HttpRequest {
  const store = new URL(context.endpoint)
  const target = new URL(request.url)
  if (target.origin !== store.origin) return request
  const key = context.credentials['key']
  const secret = context.credentials['secret']
  if (!key || !secret) {
    throw new ProviderError(
      'provider_auth_failed',
      `the WooCommerce connection has no consumer ${key ? 'secret' : 'key'} — set its key (ck_…) and secret (cs_…)`,
      { provider: 'woocommerce', retryable: false },
    )
  }
  if (target.protocol === 'https:') {
    const basic = Buffer.from(`${key}:${secret}`).toString('base64')
    return { ...request, headers: { ...request.headers, authorization: `Basic ${basic}` } }
  }
  return { ...request, url: signUrl(request.method, request.url, { key, secret }) }
}

/** The WooCommerce REST calls the connector makes, over the engine's ProviderHttp. */
export interface WooClient {
  list<T>(path: string, query: WooQuery, operation: string, signal?: AbortSignal): Promise<WooList<T>>
  get<T>(path: string, query: WooQuery, operation: string, signal?: AbortSignal): Promise<T>
  put<T>(path: string, body: unknown, operation: string, signal?: AbortSignal): Promise<T>
}

export function createWooClient(context: ConnectorContext): WooClient {
  const send = (request: HttpRequest) => context.http.request(request)
  const accept = { accept: 'application/json' }
  return {
    async list<T>(path: string, query: WooQuery, operation: string, signal?: AbortSignal) {
      const url = wooUrl(context.endpoint, path, query)
      const response = await send({ method: 'GET', url, operation, headers: accept, ...(signal ? { signal } : {}) })
      const items = parseJson(response, operation)
      if (!Array.isArray(items)) throw badResponse(response, operation, 'a JSON object where a list was expected')
      return {
        items: items as T[],
        total: intHeader(response.headers, 'x-wp-total'),
        totalPages: intHeader(response.headers, 'x-wp-totalpages'),
      }
    },
    async get<T>(path: string, query: WooQuery, operation: string, signal?: AbortSignal) {
      const url = wooUrl(context.endpoint, path, query)
      const response = await send({ method: 'GET', url, operation, headers: accept, ...(signal ? { signal } : {}) })
      return parseJson(response, operation) as T
    },
    async put<T>(path: string, body: unknown, operation: string, signal?: AbortSignal) {
      const url = wooUrl(context.endpoint, path)
      const response = await send({
        method: 'PUT',
        url,
        operation,
        headers: { ...accept, 'content-type': 'application/json' },
        body: JSON.stringify(body),
        ...(signal ? { signal } : {}),
      })
      return parseJson(response, operation) as T
    },
  }
}

function parseJson(response: HttpResponse, operation: string): unknown {
  try {
    return JSON.parse(response.body)
  } catch {
    throw badResponse(response, operation, 'a body that is not JSON')
  }
}

/** A 2xx that is not the API's JSON is nearly always a URL that is not the store's REST API (a theme page, a login wall). */
function badResponse(response: HttpResponse, operation: string, what: string): ProviderError {
  const start = response.body.trim().slice(0, 80).replace(/\s+/g, ' ')
  return new ProviderError(
    'provider_bad_response',
    `woocommerce answered ${operation} with ${what} (status ${response.status}, starts ${JSON.stringify(start)}) — check that the endpoint is the store's base URL (e.g. https://shop.example.com) and that its REST API at ${WOO_API_PATH} is reachable`,
    { provider: 'woocommerce', status: response.status, retryable: false, details: { operation } },
  )
}

function intHeader(headers: Headers, name: string): number | null {
  const value = headers.get(name)
  if (value === null || !/^\d+$/.test(value.trim())) return null
  return Number(value)
}

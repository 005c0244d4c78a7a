import { createHmac, timingSafeEqual } from 'node:crypto'
import type { WooError } from '../types.ts'
import { decode } from './query-string.ts'

/**
 * `WC_REST_Authentication` as providers.md §2.1 describes it.
 *
 * Plain HTTP: OAuth 1.0a one-legged, parameters in the query (or an `Authorization: OAuth` header),
 * HMAC-SHA1 or HMAC-SHA256 keyed by `secret&`, timestamp within ±15 minutes, nonce unused for 15
 * minutes. The signature is accepted when it matches either base string:
 *  - RFC 5849 (what the official JS client's oauth-1.0a and our connector compute: every pair
 *    encoded, sorted, joined, then the whole parameter string encoded again), over the parameters
 *    as PHP sees them (a repeated key once, last value wins) or as sent, or
 *  - WooCommerce's own (check_oauth_signature: values encoded once, joined with `%3D`/`%26`, array
 *    keys as `name%255Bi%255D`). The two agree unless a value holds a reserved character such as
 *    the `:` of a date filter, where real WooCommerce rejects RFC-correct clients.
 *
 * Documented deviation: HTTP Basic and `consumer_key`/`consumer_secret` in the query are accepted
 * too (real WooCommerce takes them over HTTPS only); the simulator serves plain HTTP on loopback.
 * An unknown key over Basic/query runs the request anonymously, as WooCommerce does.
 */

export interface Credentials {
  readonly key: string
  readonly secret: string
}

export interface AuthRequest {
  readonly method: string
  /** `http://host:port/path`, without the query: the URL the client signed. */
  readonly baseUrl: string
  /** Decoded query pairs in request order. */
  readonly pairs: ReadonlyArray<readonly [string, string]>
  readonly authorization: string | undefined
}

export type AuthOutcome =
  | { readonly kind: 'authenticated' }
  | { readonly kind: 'anonymous' }
  | { readonly kind: 'rejected'; readonly error: WooError; readonly wwwAuthenticate?: string }

export const NONCE_WINDOW_MS = 15 * 60 * 1000
/** Nonces remembered at most; beyond it the oldest are forgotten early (memory stays bounded). */
export const MAX_NONCES = 500_000

const BASIC_REALM =
  'Basic realm="WooCommerce API - Use a consumer key in the username field and a consumer secret in the password field."'
const OAUTH_REQUIRED = [
  'oauth_consumer_key',
  'oauth_timestamp',
  'oauth_nonce',
  'oauth_signature',
  'oauth_signature_method',
]

export class Authenticator {
  readonly #credentials: Credentials
  readonly #nowMs: () => number
  /** nonce → when it may be used again; insertion order is expiry order. */
  readonly #nonces = new Map<string, number>()

  constructor(credentials: Credentials, nowMs: () => number = Date.now) {
    this.#credentials = credentials
    this.#nowMs = nowMs
  }

  check(request: AuthRequest): AuthOutcome {
    const query = new Map(request.pairs)
    if (OAUTH_REQUIRED.every((name) => query.get(name))) return this.#oauth(request, request.pairs)
    const header = request.authorization ?? ''
    if (/^OAuth\s/i.test(header)) {
      const fromHeader = parseOAuthHeader(header)
      if (OAUTH_REQUIRED.every((name) => fromHeader.some(([key, value]) => key === name && value))) {
        return this.#oauth(request, [...request.pairs, ...fromHeader])
      }
    }
    const queryKey = query.get('consumer_key')
    const querySecret = query.get('consumer_secret')
    if (queryKey && querySecret) return this.#keyAndSecret(queryKey, querySecret)
    const basic = /^Basic\s+(\S+)/i.exec(header)
    if (basic) {
      const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8')
      const colon = decoded.indexOf(':')
      if (colon > 0) return this.#keyAndSecret(decoded.slice(0, colon), decoded.slice(colon + 1))
    }
    return { kind: 'anonymous' }
  }

  #keyAndSecret(key: string, secret: string): AuthOutcome {
    if (key !== this.#credentials.key) return { kind: 'anonymous' }
    if (!sameText(secret, this.#credentials.secret)) {
      return { kind: 'rejected', error: authError('Consumer secret is invalid.'), wwwAuthenticate: BASIC_REALM }
    }
    return { kind: 'authenticated' }
  }

  #oauth(request: AuthRequest, pairs: ReadonlyArray<readonly [string, string]>): AuthOutcome {
    const param = (name: string) => pairs.findLast(([key]) => key === name)?.[1] ?? ''
    if (param('oauth_consumer_key') !== this.#credentials.key) return rejected('Consumer key is invalid.')
    const method = param('oauth_signature_method')
    if (method !== 'HMAC-SHA1' && method !== 'HMAC-SHA256') {
      return rejected('Invalid signature - signature method is invalid.')
    }
    const algorithm = method === 'HMAC-SHA1' ? 'sha1' : 'sha256'
    // PHP has already turned `+` into a space; WooCommerce turns it back.
    const given = param('oauth_signature').replace(/ /g, '+')
    const signed = pairs.filter(([key]) => key !== 'oauth_signature' && key !== 'realm')
    const httpMethod = request.method.toUpperCase()
    const key = `${this.#credentials.secret}&`
    const matches = (base: string) => sameText(createHmac(algorithm, key).update(base).digest('base64'), given)
    const unique = lastOfEachKey(signed)
    const signedAsSent =
      matches(rfc5849BaseString(httpMethod, request.baseUrl, unique)) ||
      (unique.length !== signed.length && matches(rfc5849BaseString(httpMethod, request.baseUrl, signed))) ||
      matches(wooBaseString(httpMethod, request.baseUrl, signed))
    if (!signedAsSent) return rejected('Invalid signature - provided signature does not match.')
    const nowMs = this.#nowMs()
    const timestampMs = Number(param('oauth_timestamp')) * 1000
    if (!Number.isFinite(timestampMs) || Math.abs(nowMs - timestampMs) > NONCE_WINDOW_MS) {
      return rejected('Invalid timestamp.')
    }
    return this.#useNonce(param('oauth_nonce'), nowMs)
      ? { kind: 'authenticated' }
      : rejected('Invalid nonce - nonce has already been used.')
  }

  /** Records the nonce; false when it was used within the window. */
  #useNonce(nonce: string, nowMs: number): boolean {
    for (const [old, expiresMs] of this.#nonces) {
      if (expiresMs > nowMs && this.#nonces.size < MAX_NONCES) break
      this.#nonces.delete(old)
    }
    if (this.#nonces.has(nonce)) return false
    this.#nonces.set(nonce, nowMs + NONCE_WINDOW_MS)
    return true
  }
}

/**
 * The parameters as PHP keeps them: a repeated key once, with its last value (`a[]` keys all stay).
 * The official client repeats every parameter but signs each once.
 */
function lastOfEachKey(pairs: ReadonlyArray<readonly [string, string]>): Array<readonly [string, string]> {
  const last = new Map<string, readonly [string, string]>()
  const appended: Array<readonly [string, string]> = []
  for (const pair of pairs) {
    if (pair[0].endsWith('[]')) appended.push(pair)
    else last.set(pair[0], pair)
  }
  return [...last.values(), ...appended]
}

function rejected(message: string): AuthOutcome {
  return { kind: 'rejected', error: authError(message) }
}

function authError(message: string): WooError {
  return { code: 'woocommerce_rest_authentication_error', message, data: { status: 401 } }
}

/** PHP's rawurlencode: RFC 3986, everything but A-Z a-z 0-9 - . _ ~ */
export function rawUrlEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
}

export function rfc5849BaseString(
  method: string,
  baseUrl: string,
  pairs: ReadonlyArray<readonly [string, string]>,
): string {
  const encoded = pairs
    .map(([key, value]) => [rawUrlEncode(key), rawUrlEncode(value)] as const)
    .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`)
    .join('&')
  return `${method}&${rawUrlEncode(baseUrl)}&${rawUrlEncode(encoded)}`
}

/** check_oauth_signature's base string, from the request as PHP parsed it into `$_GET`. */
export function wooBaseString(
  method: string,
  baseUrl: string,
  pairs: ReadonlyArray<readonly [string, string]>,
): string {
  const scalars = new Map<string, string>()
  const arrays = new Map<string, Map<string, string>>()
  for (const [key, value] of pairs) {
    const bracket = /^([^[]+)\[([^\]]*)\]$/.exec(key)
    if (bracket) {
      const items = arrays.get(bracket[1]!) ?? new Map<string, string>()
      items.set(bracket[2] === '' ? String(items.size) : bracket[2]!, value)
      arrays.set(bracket[1]!, items)
    } else {
      scalars.set(key, value)
    }
  }
  const names = [...new Set([...scalars.keys(), ...arrays.keys()])].sort()
  const parts: string[] = []
  for (const name of names) {
    const items = arrays.get(name)
    if (items)
      for (const [inner, value] of items) parts.push(`${rawUrlEncode(name)}%255B${inner}%255D%3D${rawUrlEncode(value)}`)
    else parts.push(`${rawUrlEncode(name)}%3D${rawUrlEncode(scalars.get(name)!)}`)
  }
  return `${method}&${rawUrlEncode(baseUrl)}&${parts.join('%26')}`
}

function parseOAuthHeader(header: string): [string, string][] {
  const pairs: [string, string][] = []
  for (const match of header.slice(6).matchAll(/([A-Za-z_]+)\s*=\s*"([^"]*)"/g)) {
    if (match[1] !== 'realm') pairs.push([match[1]!, decode(match[2]!)])
  }
  return pairs
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a)
  const right = Buffer.from(b)
  return left.length === right.length && timingSafeEqual(left, right)
}

import { createHmac, randomBytes } from 'node:crypto'

/**
 * OAuth 1.0a one-legged request signing as WooCommerce checks it on plain HTTP (providers.md §2.1,
 * `WC_REST_Authentication::check_oauth_signature`) and as the official JS client sends it:
 * HMAC-SHA256, every parameter in the query.
 */

export interface OAuthConsumer {
  readonly key: string
  readonly secret: string
}

export interface OAuthStamp {
  readonly nonce: string
  /** Unix seconds; WooCommerce accepts ±15 minutes. */
  readonly timestamp: number
}

/** RFC 3986 percent-encoding (PHP's rawurlencode): everything but A-Z a-z 0-9 - . _ ~ */
export function rfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
}

/**
 * The signature base string: `METHOD&enc(url without query)&` then every parameter but the
 * signature, sorted by key, each `enc(enc(key)=enc(value))`, joined by `%26` (providers.md §2.1).
 */
export function oauthBaseString(
  method: string,
  baseUrl: string,
  params: ReadonlyArray<readonly [string, string]>,
): string {
  const pairs = params
    .filter(([key]) => key !== 'oauth_signature')
    .map(([key, value]) => [rfc3986(key), rfc3986(value)] as const)
    .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([key, value]) => rfc3986(`${key}=${value}`))
  return `${method.toUpperCase()}&${rfc3986(baseUrl)}&${pairs.join('%26')}`
}

/** base64 HMAC-SHA256 keyed by `consumer_secret&` (no token secret in one-legged OAuth). */
export function oauthSignature(baseString: string, consumerSecret: string): string {
  return createHmac('sha256', `${consumerSecret}&`).update(baseString).digest('base64')
}

export function freshStamp(now = Date.now()): OAuthStamp {
  return { nonce: randomBytes(16).toString('hex'), timestamp: Math.floor(now / 1000) }
}

/**
 * Returns `url` with the oauth_* parameters and their signature added to its query. Any oauth_*
 * already there is replaced, so signing a signed URL again yields a valid, fresh signature.
 */
export function signUrl(
  method: string,
  url: string,
  consumer: OAuthConsumer,
  stamp: OAuthStamp = freshStamp(),
): string {
  const parsed = new URL(url)
  const params: Array<[string, string]> = [...parsed.searchParams].filter(([key]) => !key.startsWith('oauth_'))
  params.push(
    ['oauth_consumer_key', consumer.key],
    ['oauth_nonce', stamp.nonce],
    ['oauth_signature_method', 'HMAC-SHA256'],
    ['oauth_timestamp', String(stamp.timestamp)],
    // Optional in WooCommerce; the official client sends it, so servers that see that client see this.
    ['oauth_version', '1.0'],
  )
  const baseUrl = `${parsed.origin}${parsed.pathname}`
  const signature = oauthSignature(oauthBaseString(method, baseUrl, params), consumer.secret)
  params.push(['oauth_signature', signature])
  return `${baseUrl}?${params.map(([key, value]) => `${rfc3986(key)}=${rfc3986(value)}`).join('&')}`
}

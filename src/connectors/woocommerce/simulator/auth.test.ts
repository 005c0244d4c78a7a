import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import { test } from 'node:test'
import OAuth from 'oauth-1.0a'
import { Authenticator, type AuthRequest, rfc5849BaseString, wooBaseString } from './auth.ts'
import { parseQuery } from './query-string.ts'

const credentials = { key: 'ck_test', secret: 'cs_secret' }
const NOW_MS = 1_700_000_000_000
const ENDPOINT = 'http://127.0.0.1:8080/wp-json/wc/v3/orders'

function request(query: string, extra: Partial<AuthRequest> = {}): AuthRequest {
  return { method: 'GET', baseUrl: ENDPOINT, pairs: parseQuery(query).pairs, authorization: undefined, ...extra }
}

/** Signs like the official client: oauth-1.0a over the URL's query, everything sent in the query. */
function officialClientQuery(
  query: string,
  method: 'HMAC-SHA1' | 'HMAC-SHA256',
  nonce: string,
  secret = credentials.secret,
) {
  const oauth = new OAuth({
    consumer: { key: credentials.key, secret },
    signature_method: method,
    hash_function: (base, key) =>
      createHmac(method === 'HMAC-SHA1' ? 'sha1' : 'sha256', key)
        .update(base)
        .digest('base64'),
  })
  oauth.getNonce = () => nonce
  oauth.getTimeStamp = () => NOW_MS / 1000
  const signed = oauth.authorize({ url: `${ENDPOINT}?${query}`, method: 'GET' })
  // The official client appends the merged parameters to a URL that already has the query: each twice.
  const appended = Object.entries(signed).map(
    ([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`,
  )
  return `${query}&${appended.join('&')}`
}

test("the base string matches the connector suite's hand-built vector", () => {
  // From oauth1.test.ts: built by hand from providers.md §2.1 and signed with openssl.
  const pairs: [string, string][] = [
    ['per_page', '100'],
    ['modified_after', '2025-06-01T10:00:00'],
    ['dates_are_gmt', 'true'],
    ['oauth_consumer_key', 'ck_test'],
    ['oauth_nonce', 'nonce123'],
    ['oauth_signature_method', 'HMAC-SHA256'],
    ['oauth_timestamp', '1700000000'],
    ['oauth_version', '1.0'],
  ]
  const base = rfc5849BaseString('GET', ENDPOINT, pairs)
  assert.equal(
    base,
    'GET&http%3A%2F%2F127.0.0.1%3A8080%2Fwp-json%2Fwc%2Fv3%2Forders&dates_are_gmt%3Dtrue' +
      '%26modified_after%3D2025-06-01T10%253A00%253A00%26oauth_consumer_key%3Dck_test%26oauth_nonce%3Dnonce123' +
      '%26oauth_signature_method%3DHMAC-SHA256%26oauth_timestamp%3D1700000000%26oauth_version%3D1.0%26per_page%3D100',
  )
  const signature = encodeURIComponent('buZRTl04beQsidHXG70gM+tK2OMlCgMLd6ebvW5Jbe8=')
  const query = `${pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')}&oauth_signature=${signature}`
  assert.deepEqual(new Authenticator(credentials, () => NOW_MS).check(request(query)), { kind: 'authenticated' })
})

test("the official client's OAuth 1.0a (SHA-256 and SHA-1, parameters sent twice) is accepted", () => {
  const auth = new Authenticator(credentials, () => NOW_MS)
  const query = 'modified_after=2025-06-01T10%3A00%3A00&per_page=100&search=caf%C3%A9%20cr%C3%A8me&status[0]=processing'
  assert.deepEqual(auth.check(request(officialClientQuery(query, 'HMAC-SHA256', 'n1'))), { kind: 'authenticated' })
  assert.deepEqual(auth.check(request(officialClientQuery(query, 'HMAC-SHA1', 'n2'))), { kind: 'authenticated' })
})

test("WooCommerce's own base string (values encoded once) is accepted too", () => {
  const pairs: [string, string][] = [
    ['after', '2025-06-01T10:00:00'],
    ['status[0]', 'completed'],
    ['oauth_consumer_key', 'ck_test'],
    ['oauth_nonce', 'n3'],
    ['oauth_signature_method', 'HMAC-SHA256'],
    ['oauth_timestamp', String(NOW_MS / 1000)],
  ]
  const base = wooBaseString('GET', ENDPOINT, pairs)
  assert.match(base, /after%3D2025-06-01T10%3A00%3A00%26oauth_consumer_key/)
  assert.match(base, /status%255B0%255D%3Dcompleted$/)
  const signature = createHmac('sha256', 'cs_secret&').update(base).digest('base64')
  const query = [...pairs, ['oauth_signature', signature]].map(([k, v]) => `${k}=${encodeURIComponent(v!)}`).join('&')
  assert.deepEqual(new Authenticator(credentials, () => NOW_MS).check(request(query)), { kind: 'authenticated' })
})

test("OAuth failures carry WooCommerce's messages", () => {
  const auth = new Authenticator(credentials, () => NOW_MS)
  const message = (query: string) => {
    const outcome = auth.check(request(query))
    assert.equal(outcome.kind, 'rejected')
    assert.equal(outcome.kind === 'rejected' && outcome.error.code, 'woocommerce_rest_authentication_error')
    assert.equal(outcome.kind === 'rejected' && outcome.error.data.status, 401)
    return outcome.kind === 'rejected' ? outcome.error.message : ''
  }
  assert.equal(
    message(officialClientQuery('page=1', 'HMAC-SHA256', 'a', 'cs_wrong')),
    'Invalid signature - provided signature does not match.',
  )
  assert.equal(
    message(
      officialClientQuery('page=1', 'HMAC-SHA256', 'b').replace(
        /oauth_consumer_key=ck_test/g,
        'oauth_consumer_key=ck_other',
      ),
    ),
    'Consumer key is invalid.',
  )
  assert.equal(
    message(officialClientQuery('page=1', 'HMAC-SHA256', 'c').replace(/HMAC-SHA256/g, 'PLAINTEXT')),
    'Invalid signature - signature method is invalid.',
  )
  const stale = new Authenticator(credentials, () => NOW_MS + 16 * 60 * 1000)
  const outcome = stale.check(request(officialClientQuery('page=1', 'HMAC-SHA256', 'd')))
  assert.equal(outcome.kind === 'rejected' && outcome.error.message, 'Invalid timestamp.')
})

test('a nonce is refused within 15 minutes and accepted again after', () => {
  let now = NOW_MS
  const auth = new Authenticator(credentials, () => now)
  const signedAt = (nonce: string, at: number) => {
    const oauth = new OAuth({
      consumer: credentials,
      signature_method: 'HMAC-SHA256',
      hash_function: (base, key) => createHmac('sha256', key).update(base).digest('base64'),
    })
    oauth.getNonce = () => nonce
    oauth.getTimeStamp = () => at / 1000
    const signed = oauth.authorize({ url: ENDPOINT, method: 'GET' })
    return request(
      Object.entries(signed)
        .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`)
        .join('&'),
    )
  }
  assert.equal(auth.check(signedAt('once', now)).kind, 'authenticated')
  const replay = auth.check(signedAt('once', now))
  assert.equal(replay.kind === 'rejected' && replay.error.message, 'Invalid nonce - nonce has already been used.')
  now += 15 * 60 * 1000 + 1000
  assert.equal(auth.check(signedAt('once', now)).kind, 'authenticated')
})

test('Basic and query keys (loopback deviation): unknown keys run anonymously, a wrong secret is a 401', () => {
  const auth = new Authenticator(credentials)
  const basic = (user: string, password: string) =>
    auth.check(request('', { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` }))
  assert.deepEqual(basic('ck_test', 'cs_secret'), { kind: 'authenticated' })
  assert.deepEqual(basic('ck_nobody', 'cs_secret'), { kind: 'anonymous' })
  const wrong = basic('ck_test', 'cs_nope')
  assert.equal(wrong.kind, 'rejected')
  assert.equal(wrong.kind === 'rejected' && wrong.error.message, 'Consumer secret is invalid.')
  assert.match(wrong.kind === 'rejected' ? wrong.wwwAuthenticate! : '', /^Basic realm="WooCommerce API/)
  assert.deepEqual(auth.check(request('consumer_key=ck_test&consumer_secret=cs_secret')), { kind: 'authenticated' })
  assert.equal(auth.check(request('consumer_key=ck_test&consumer_secret=cs_x')).kind, 'rejected')
  assert.deepEqual(auth.check(request('')), { kind: 'anonymous' })
})

test('OAuth parameters in an Authorization header are read too', () => {
  const oauth = new OAuth({
    consumer: credentials,
    signature_method: 'HMAC-SHA256',
    hash_function: (base, key) => createHmac('sha256', key).update(base).digest('base64'),
  })
  oauth.getTimeStamp = () => NOW_MS / 1000
  const url = `${ENDPOINT}?per_page=5`
  const header = oauth.toHeader(oauth.authorize({ url, method: 'GET' })).Authorization
  const outcome = new Authenticator(credentials, () => NOW_MS).check(request('per_page=5', { authorization: header }))
  assert.deepEqual(outcome, { kind: 'authenticated' })
})

import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { type TestContext, test } from 'node:test'
import { ProviderError, ValidationError } from '../../domain/errors.ts'
import { createProviderHttp } from '../../engine/calls/provider-http.ts'
import type { ConnectorContext } from '../connector.ts'
import { woocommerceConnector } from './index.ts'
import { fakeOrder, startFakeWooStore } from './testing/fake-woo-store.ts'

/** A context wired as the engine wires it: ProviderHttp with the connector's signRequest as `sign`. */
function contextFor(endpoint: string, credentials: Record<string, string>): ConnectorContext {
  const http = createProviderHttp({
    provider: 'woocommerce',
    connectionId: 'client-test',
    maxAttempts: 3,
    sleep: async () => {},
    sign: (request) => woocommerceConnector.signRequest!({ endpoint, credentials }, request),
  })
  return { http, endpoint, credentials }
}

async function fakeStore(t: TestContext) {
  const store = await startFakeWooStore()
  t.after(() => store.close())
  store.orders.set(727, fakeOrder(727, '2025-06-02T11:03:10'))
  return store
}

async function providerError(promise: Promise<unknown>): Promise<ProviderError> {
  try {
    await promise
  } catch (error) {
    assert.ok(error instanceof ProviderError, `expected a ProviderError, got ${String(error)}`)
    return error
  }
  assert.fail('expected a failure')
}

test('testConnection passes with good credentials over OAuth 1.0a on plain http', async (t) => {
  const store = await fakeStore(t)
  await woocommerceConnector.testConnection(contextFor(store.url, store.credentials))
  const query = store.requests[0]!.searchParams
  assert.equal(query.get('per_page'), '1')
  assert.equal(query.get('oauth_signature_method'), 'HMAC-SHA256')
})

test('a wrong secret fails once, not retried, with the store’s own words', async (t) => {
  const store = await fakeStore(t)
  const error = await providerError(
    woocommerceConnector.testConnection(contextFor(store.url, { ...store.credentials, secret: 'cs_wrong' })),
  )
  assert.equal(error.code, 'provider_auth_failed')
  assert.equal(error.retryable, false)
  assert.match(
    error.message,
    /^woocommerce answered 401 woocommerce_rest_authentication_error: Invalid signature - provided signature does not match\./,
  )
  assert.equal(store.requests.length, 1)
})

test('a retried request is signed again, so the store never sees a replayed nonce', async (t) => {
  const store = await fakeStore(t)
  store.quirks.failNext = 1
  await woocommerceConnector.testConnection(contextFor(store.url, store.credentials))
  const nonces = store.requests.map((url) => url.searchParams.get('oauth_nonce'))
  assert.equal(nonces.length, 2)
  assert.notEqual(nonces[0], nonces[1])
})

test('setOrderStatus writes the status and returns the store’s order', async (t) => {
  const store = await fakeStore(t)
  const context = contextFor(store.url, store.credentials)
  const { raw } = await woocommerceConnector.setOrderStatus(context, '727', 'completed')
  assert.equal((raw as { status: string }).status, 'completed')
  assert.equal(store.orders.get(727)?.status, 'completed')
  const put = store.requests.at(-1)!
  assert.equal(put.pathname, '/wp-json/wc/v3/orders/727')
})

test('setOrderStatus refuses statuses and ids WooCommerce would not take, before calling', async (t) => {
  const store = await fakeStore(t)
  const context = contextFor(store.url, store.credentials)
  for (const [id, status] of [
    ['727', 'trash'],
    ['727', 'shipped'],
    ['abc', 'completed'],
  ]) {
    await assert.rejects(woocommerceConnector.setOrderStatus(context, id!, status!), ValidationError)
  }
  assert.equal(store.requests.length, 0)
  assert.deepEqual(woocommerceConnector.writableOrderStatuses, [
    'pending',
    'processing',
    'on-hold',
    'completed',
    'cancelled',
    'refunded',
    'failed',
  ])
})

test('an unknown order is provider_rejected with the store’s message', async (t) => {
  const store = await fakeStore(t)
  const error = await providerError(
    woocommerceConnector.setOrderStatus(contextFor(store.url, store.credentials), '999', 'completed'),
  )
  assert.equal(error.code, 'provider_rejected')
  assert.equal(error.status, 404)
  assert.match(error.message, /404 woocommerce_rest_shop_order_invalid_id: Invalid ID\./)
})

test('a 200 that is not JSON (a theme page at the wrong URL) is provider_bad_response', async (t) => {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' })
    res.end('<!DOCTYPE html><html><body>Welcome to my blog</body></html>')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.after(() => new Promise((resolve) => server.close(resolve)))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const error = await providerError(woocommerceConnector.testConnection(contextFor(url, { key: 'ck', secret: 'cs' })))
  assert.equal(error.code, 'provider_bad_response')
  assert.match(error.message, /not JSON .*starts "<!DOCTYPE html>.* check that the endpoint is the store's base URL/)
})

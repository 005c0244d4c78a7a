import assert from 'node:assert/strict'
import { test } from 'node:test'
import { type AttemptFailure, giveUpError, isRetryable, providerMessage, retryAfterMs } from './retry-policy.ts'

const http = (status: number, body = '', headers: Record<string, string> = {}): AttemptFailure => ({
  kind: 'http',
  status,
  headers: new Headers(headers),
  body,
})

test('408, 429, 5xx, timeouts and network errors are retryable; other 4xx are not', () => {
  for (const status of [408, 429, 500, 502, 503, 504]) assert.equal(isRetryable(http(status)), true, String(status))
  for (const status of [400, 401, 403, 404, 409, 422]) assert.equal(isRetryable(http(status)), false, String(status))
  assert.equal(isRetryable({ kind: 'timeout', timeoutMs: 1 }), true)
  assert.equal(isRetryable({ kind: 'network', cause: new Error('x') }), true)
})

test('Retry-After is read as seconds or an HTTP date, on 429 and 503 only', () => {
  const now = Date.parse('2025-06-01T10:00:00Z')
  assert.equal(retryAfterMs(http(429, '', { 'retry-after': '12' }), now), 12_000)
  assert.equal(retryAfterMs(http(503, '', { 'retry-after': '1.5' }), now), 1_500)
  assert.equal(retryAfterMs(http(429, '', { 'retry-after': 'Sun, 01 Jun 2025 10:00:30 GMT' }), now), 30_000)
  assert.equal(retryAfterMs(http(429, '', { 'retry-after': 'Sun, 01 Jun 2025 09:00:00 GMT' }), now), 0)
  assert.equal(retryAfterMs(http(429, '', { 'retry-after': 'soon' }), now), undefined)
  assert.equal(retryAfterMs(http(500, '', { 'retry-after': '12' }), now), undefined)
  assert.equal(retryAfterMs(http(429), now), undefined)
})

test('the provider’s own message is found in each provider’s error shape', () => {
  const woo = { code: 'rest_invalid_param', message: 'Invalid parameter(s): per_page', data: { status: 400 } }
  assert.deepEqual(providerMessage(JSON.stringify(woo)), {
    code: 'rest_invalid_param',
    message: 'Invalid parameter(s): per_page',
  })
  const stripe = { error: { type: 'invalid_request_error', code: 'resource_missing', message: 'No such customer' } }
  assert.deepEqual(providerMessage(JSON.stringify(stripe)), { code: 'resource_missing', message: 'No such customer' })
  const oauth = { error: 'invalid_client', error_description: 'Client Authentication failed' }
  assert.deepEqual(providerMessage(JSON.stringify(oauth)), {
    code: 'invalid_client',
    message: 'Client Authentication failed',
  })
  assert.deepEqual(providerMessage('{"errors":"[API] Invalid API key or access token"}'), {
    message: '[API] Invalid API key or access token',
  })
  assert.deepEqual(providerMessage('{"errors":{"email":["is invalid"]}}'), { message: '{"email":["is invalid"]}' })
  assert.deepEqual(providerMessage('Service Unavailable'), { message: 'Service Unavailable' })
  const wordpress = {
    code: 'internal_server_error',
    message: '<p>There has been a critical error on this website.</p><p><a href="#">Learn more.</a></p>',
  }
  assert.deepEqual(providerMessage(JSON.stringify(wordpress)), {
    code: 'internal_server_error',
    message: 'There has been a critical error on this website. Learn more.',
  })
  assert.equal(providerMessage('x'.repeat(500))?.message.length, 201)
  assert.equal(providerMessage(''), undefined)
})

test('messages name the provider, its answer and what to do', () => {
  const context = { provider: 'woocommerce', operation: 'orders.update', origin: 'https://shop.example', attempts: 1 }
  const rejected = giveUpError(
    http(400, '{"code":"rest_invalid_param","message":"Invalid parameter(s): status"}'),
    context,
  )
  assert.equal(rejected.code, 'provider_rejected')
  assert.equal(
    rejected.message,
    'woocommerce answered 400 rest_invalid_param: Invalid parameter(s): status — woocommerce rejected orders.update; this request will not succeed by retrying',
  )
  assert.deepEqual(rejected.details, {
    operation: 'orders.update',
    attempts: 1,
    status: 400,
    providerCode: 'rest_invalid_param',
  })
  const forbidden = giveUpError(
    http(403, '{"code":"woocommerce_rest_cannot_edit","message":"Sorry, you are not allowed to edit this resource."}'),
    context,
  )
  assert.equal(forbidden.code, 'provider_auth_failed')
  assert.match(forbidden.message, /not allowed to edit this resource\. — check the connection's credentials/)
})

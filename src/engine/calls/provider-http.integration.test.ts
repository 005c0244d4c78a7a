import assert from 'node:assert/strict'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { type TestContext, test } from 'node:test'
import type { HttpRequest } from '../../connectors/connector.ts'
import { ProviderError } from '../../domain/errors.ts'
import { createCircuitBreaker } from './circuit-breaker.ts'
import { type CallEvent, createProviderHttp, type ProviderHttpOptions } from './provider-http.ts'
import type { RateLimiter } from './rate-limiter.ts'

type Reply = (req: IncomingMessage, res: ServerResponse) => void

/** A local server answering with the scripted replies in turn (the last one repeats). */
async function scriptedServer(t: TestContext, replies: Reply[]) {
  const seen: IncomingMessage[] = []
  const server = createServer((req, res) => {
    seen.push(req)
    const reply = replies[Math.min(seen.length, replies.length) - 1]!
    reply(req, res)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.after(async () => {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  })
  const { port } = server.address() as AddressInfo
  return { url: `http://127.0.0.1:${port}`, seen }
}

const json =
  (status: number, body: unknown, headers: Record<string, string> = {}): Reply =>
  (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers })
    res.end(JSON.stringify(body))
  }
const ok = json(200, { ok: true })
/** Never answers: the client's timeout has to end the attempt. */
const hang: Reply = () => {}

function harness(overrides: Partial<ProviderHttpOptions> = {}) {
  const waits: number[] = []
  const events: CallEvent[] = []
  const http = createProviderHttp({
    provider: 'woocommerce',
    connectionId: 'conn-1',
    maxAttempts: 4,
    random: () => 0.5,
    sleep: async (ms) => {
      waits.push(ms)
    },
    log: (event) => events.push(event),
    ...overrides,
  })
  return { http, waits, events }
}

const get = (url: string, extra: Partial<HttpRequest> = {}): HttpRequest => ({
  method: 'GET',
  url: `${url}/wp-json/wc/v3/orders?per_page=1`,
  operation: 'orders.list',
  ...extra,
})

async function rejection(promise: Promise<unknown>): Promise<ProviderError> {
  try {
    await promise
  } catch (error) {
    assert.ok(error instanceof ProviderError, `expected a ProviderError, got ${String(error)}`)
    return error
  }
  assert.fail('expected the call to fail')
}

test('5xx answers are retried with backoff until one succeeds', async (t) => {
  const server = await scriptedServer(t, [json(500, { message: 'boom' }), json(503, {}), ok])
  const { http, waits, events } = harness()
  const response = await http.request(get(server.url))
  assert.equal(response.status, 200)
  assert.deepEqual(JSON.parse(response.body), { ok: true })
  assert.equal(server.seen.length, 3)
  // Full jitter with random 0.5: half of 500·2^0, then half of 500·2^1.
  assert.deepEqual(waits, [250, 500])
  assert.deepEqual(
    events.map((e) => [e.attempt, e.status, e.outcome]),
    [
      [1, 500, 'retry'],
      [2, 503, 'retry'],
      [3, 200, 'ok'],
    ],
  )
  assert.ok(
    events.every((e) => e.provider === 'woocommerce' && e.connectionId === 'conn-1' && e.operation === 'orders.list'),
  )
})

test('Retry-After in seconds is honoured and pauses the whole connection', async (t) => {
  const server = await scriptedServer(t, [
    json(429, { code: 'rate_limited', message: 'slow down' }, { 'retry-after': '7' }),
    ok,
  ])
  const pauses: number[] = []
  const limiter: RateLimiter = { acquire: async () => {}, pauseFor: (ms) => pauses.push(ms) }
  const { http, waits, events } = harness({ rateLimiter: limiter, random: () => 0.99 })
  assert.equal((await http.request(get(server.url))).status, 200)
  assert.deepEqual(waits, [7000], 'the provider asked for more than the jitter')
  assert.deepEqual(pauses, [7000])
  assert.equal(events[0]?.waitMs, 7000)
})

test('Retry-After as an HTTP date is honoured; jitter wins when it is longer', async (t) => {
  const at = new Date(Date.now() + 3_000).toUTCString()
  const server = await scriptedServer(t, [
    json(503, { message: 'maintenance' }, { 'retry-after': at }),
    json(503, { message: 'maintenance' }, { 'retry-after': '0' }),
    ok,
  ])
  const { http, waits } = harness({ random: () => 0.5, baseDelayMs: 1000 })
  assert.equal((await http.request(get(server.url))).status, 200)
  assert.equal(waits.length, 2)
  assert.ok(waits[0]! > 1_000 && waits[0]! <= 3_000, `waited ${waits[0]} for a date about 3s ahead`)
  assert.equal(waits[1], 1000, 'Retry-After: 0 is below the jitter (half of 2000)')
})

test('after the last attempt a 5xx becomes a retryable provider_unavailable with the provider message', async (t) => {
  const server = await scriptedServer(t, [json(502, { code: 'bad_gateway', message: 'Upstream is down' })])
  const { http, events } = harness({ maxAttempts: 3 })
  const error = await rejection(http.request(get(server.url)))
  assert.equal(error.code, 'provider_unavailable')
  assert.equal(error.retryable, true)
  assert.equal(error.status, 502)
  assert.match(error.message, /^woocommerce answered 502 bad_gateway: Upstream is down — gave up after 3 attempts/)
  assert.equal(server.seen.length, 3)
  assert.deepEqual(
    events.map((e) => e.outcome),
    ['retry', 'retry', 'gave_up'],
  )
  assert.equal(events.at(-1)?.reason, 'provider_unavailable')
})

test('a 429 that never clears gives up as provider_rate_limited with retryAfterMs', async (t) => {
  const server = await scriptedServer(t, [
    json(429, { code: 'rate_limited', message: 'Too many requests' }, { 'retry-after': '2' }),
  ])
  const { http } = harness({ maxAttempts: 2 })
  const error = await rejection(http.request(get(server.url)))
  assert.equal(error.code, 'provider_rate_limited')
  assert.equal(error.retryable, true)
  assert.equal(error.retryAfterMs, 2000)
  assert.match(error.message, /429 rate_limited: Too many requests/)
  assert.equal(server.seen.length, 2)
})

test('a Retry-After longer than maxRetryAfterMs gives up at once for the job queue to wait', async (t) => {
  const server = await scriptedServer(t, [json(429, { message: 'come back in an hour' }, { 'retry-after': '3600' })])
  const { http, waits } = harness({ maxRetryAfterMs: 120_000 })
  const error = await rejection(http.request(get(server.url)))
  assert.equal(error.code, 'provider_rate_limited')
  assert.equal(error.retryAfterMs, 3_600_000)
  assert.equal(server.seen.length, 1)
  assert.deepEqual(waits, [])
})

test('401 is never retried and says what to check, in the provider’s own words', async (t) => {
  const body = {
    code: 'woocommerce_rest_authentication_error',
    message: 'Consumer secret is invalid.',
    data: { status: 401 },
  }
  const server = await scriptedServer(t, [json(401, body, { 'www-authenticate': 'Basic realm="WooCommerce"' })])
  const { http, waits } = harness()
  const error = await rejection(http.request(get(server.url)))
  assert.equal(error.code, 'provider_auth_failed')
  assert.equal(error.retryable, false)
  assert.equal(error.status, 401)
  assert.equal(
    error.message,
    "woocommerce answered 401 woocommerce_rest_authentication_error: Consumer secret is invalid. — check the connection's credentials and their permissions",
  )
  assert.equal(server.seen.length, 1)
  assert.deepEqual(waits, [])
})

test('other 4xx are provider_rejected and not retried; HTML error pages are reduced to their text', async (t) => {
  const server = await scriptedServer(t, [
    (_req, res) => {
      res.writeHead(404, { 'content-type': 'text/html' })
      res.end('<html><head><style>p{}</style></head><body><h1>Not Found</h1>\n<p>No route.</p></body></html>')
    },
  ])
  const { http } = harness()
  const error = await rejection(http.request(get(server.url)))
  assert.equal(error.code, 'provider_rejected')
  assert.equal(error.retryable, false)
  assert.match(error.message, /^woocommerce answered 404: Not Found No route\. — /)
  assert.equal(server.seen.length, 1)
})

test('an attempt that outlives the timeout is retried, then gives up as provider_timeout', async (t) => {
  const server = await scriptedServer(t, [hang])
  const { http, events } = harness({ timeoutMs: 50, maxAttempts: 2 })
  const error = await rejection(http.request(get(server.url)))
  assert.equal(error.code, 'provider_timeout')
  assert.equal(error.retryable, true)
  assert.match(error.message, /did not answer orders\.list within 50ms \(2 attempts\)/)
  assert.equal(server.seen.length, 2)
  assert.deepEqual(
    events.map((e) => [e.status, e.reason]),
    [
      [null, 'timeout'],
      [null, 'provider_timeout'],
    ],
  )
})

test('an unreachable endpoint is provider_unavailable naming the socket error, never the query', async () => {
  const gone = createServer()
  await new Promise<void>((resolve) => gone.listen(0, '127.0.0.1', resolve))
  const closed = `http://127.0.0.1:${(gone.address() as AddressInfo).port}`
  await new Promise((resolve) => gone.close(resolve))
  const { http } = harness({ maxAttempts: 2 })
  const error = await rejection(
    http.request(get(closed, { url: `${closed}/wp-json/wc/v3/orders?oauth_signature=SECRET` })),
  )
  assert.equal(error.code, 'provider_unavailable')
  assert.ok(
    error.message.startsWith(`could not reach woocommerce at ${closed} for orders.list: ECONNREFUSED`),
    error.message,
  )
  assert.doesNotMatch(error.message, /SECRET/)
})

test('the run’s own abort is rethrown as it is, not retried', async (t) => {
  const server = await scriptedServer(t, [hang])
  const run = new AbortController()
  const { http, waits } = harness({ signal: run.signal, timeoutMs: 60_000 })
  const reason = new Error('run cancelled')
  const call = http.request(get(server.url))
  while (server.seen.length === 0) await new Promise((resolve) => setImmediate(resolve))
  run.abort(reason)
  await assert.rejects(call, (error) => error === reason)
  assert.equal(server.seen.length, 1)
  assert.deepEqual(waits, [])
})

test('the sign hook runs before every attempt, so each retry is freshly signed', async (t) => {
  const server = await scriptedServer(t, [json(500, {}), ok])
  let signed = 0
  const { http } = harness({
    sign: (request) => ({ ...request, url: `${request.url}&oauth_nonce=n${++signed}` }),
  })
  await http.request(get(server.url))
  assert.deepEqual(
    server.seen.map((req) => new URL(req.url!, 'http://x').searchParams.get('oauth_nonce')),
    ['n1', 'n2'],
  )
})

test('every attempt waits for the rate limiter', async (t) => {
  const server = await scriptedServer(t, [json(503, {}), ok])
  let acquired = 0
  const limiter: RateLimiter = {
    acquire: async () => {
      acquired += 1
    },
    pauseFor: () => {},
  }
  const { http } = harness({ rateLimiter: limiter })
  await http.request(get(server.url))
  assert.equal(acquired, 2)
})

test('the breaker opens after consecutive calls gave up and then fails fast without calling', async (t) => {
  const server = await scriptedServer(t, [json(503, { message: 'down' })])
  const breaker = createCircuitBreaker({ failureThreshold: 2, cooldownMs: 60_000 })
  const { http, events } = harness({ breaker, maxAttempts: 1 })
  await rejection(http.request(get(server.url)))
  await rejection(http.request(get(server.url)))
  assert.equal(breaker.state(), 'open')
  const error = await rejection(http.request(get(server.url)))
  assert.equal(error.code, 'provider_unavailable')
  assert.equal(error.retryable, true)
  assert.match(error.message, /^circuit open after 2 consecutive failures; retrying after \d{4}-/)
  assert.ok(error.retryAfterMs! > 0)
  assert.equal(server.seen.length, 2, 'the open circuit did not call the provider')
  assert.equal(events.at(-1)?.reason, 'circuit_open')
})

test('a 4xx answer proves the provider is up and does not count toward the breaker', async (t) => {
  const server = await scriptedServer(t, [json(404, { message: 'Invalid ID.' })])
  const breaker = createCircuitBreaker({ failureThreshold: 1 })
  const { http } = harness({ breaker })
  await rejection(http.request(get(server.url)))
  assert.equal(breaker.state(), 'closed')
})

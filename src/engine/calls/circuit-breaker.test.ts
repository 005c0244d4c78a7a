import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ProviderError } from '../../domain/errors.ts'
import { breakerFor, breakerStates, createCircuitBreaker, forgetBreaker } from './circuit-breaker.ts'

function clock(start = Date.parse('2025-06-01T10:00:00Z')) {
  let time = start
  return {
    now: () => time,
    advance: (ms: number) => {
      time += ms
    },
  }
}

test('opens after the threshold of consecutive failures and fails fast with a retry time', () => {
  const c = clock()
  const breaker = createCircuitBreaker({ failureThreshold: 3, cooldownMs: 60_000, now: c.now })
  for (let i = 0; i < 2; i++) breaker.onFailure()
  assert.equal(breaker.state(), 'closed')
  breaker.beforeCall('woocommerce')
  breaker.onFailure()
  assert.equal(breaker.state(), 'open')
  c.advance(15_000)
  assert.throws(
    () => breaker.beforeCall('woocommerce'),
    (error: unknown) => {
      assert.ok(error instanceof ProviderError)
      assert.equal(error.code, 'provider_unavailable')
      assert.equal(error.retryable, true)
      assert.equal(error.retryAfterMs, 45_000)
      assert.match(
        error.message,
        /^circuit open after 3 consecutive failures; retrying after 2025-06-01T10:01:00\.000Z \(in 45s\)/,
      )
      return true
    },
  )
  assert.deepEqual(breaker.snapshot(), { state: 'open', consecutiveFailures: 3, retryAt: '2025-06-01T10:01:00.000Z' })
})

test('a success in between resets the count', () => {
  const breaker = createCircuitBreaker({ failureThreshold: 2 })
  breaker.onFailure()
  breaker.onSuccess()
  breaker.onFailure()
  assert.equal(breaker.state(), 'closed')
})

test('after the cooldown it half-opens: a trial success closes it, a trial failure reopens it at once', () => {
  const c = clock()
  const breaker = createCircuitBreaker({ failureThreshold: 2, cooldownMs: 1_000, now: c.now })
  breaker.onFailure()
  breaker.onFailure()
  c.advance(1_000)
  assert.equal(breaker.state(), 'half_open')
  breaker.beforeCall()
  breaker.onFailure()
  assert.equal(breaker.state(), 'open', 'one failed trial is enough')
  c.advance(1_000)
  assert.equal(breaker.state(), 'half_open')
  breaker.onSuccess()
  assert.equal(breaker.state(), 'closed')
  assert.deepEqual(breaker.snapshot(), { state: 'closed', consecutiveFailures: 0, retryAt: null })
})

test('the registry keeps one breaker per connection and reports their states', () => {
  const a = breakerFor('conn-registry-a', { failureThreshold: 1 })
  assert.equal(breakerFor('conn-registry-a'), a)
  breakerFor('conn-registry-b')
  a.onFailure()
  const states = new Map(breakerStates().map((s) => [s.connectionId, s.state]))
  assert.equal(states.get('conn-registry-a'), 'open')
  assert.equal(states.get('conn-registry-b'), 'closed')
  forgetBreaker('conn-registry-a')
  forgetBreaker('conn-registry-b')
  assert.ok(!breakerStates().some((s) => s.connectionId.startsWith('conn-registry-')))
})

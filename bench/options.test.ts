import assert from 'node:assert/strict'
import { test } from 'node:test'
import { UsageError } from '../src/cli/args.ts'
import { parseBenchOptions, planBench, SCENARIOS } from './options.ts'

test('defaults: 200,000 orders, every scenario, 3 repetitions, rate limit 5', () => {
  const options = parseBenchOptions([])
  assert.equal(options.orders, 200_000)
  assert.deepEqual(options.only, SCENARIOS)
  assert.equal(options.repeat, 3)
  assert.equal(options.rateLimit, 5)
  assert.equal(options.smoke, false)
  assert.equal(options.json, undefined)
})

test('flags are read', () => {
  const options = parseBenchOptions(['--orders', '1000000', '--only', 'memory', '--json', 'out.json', '--repeat', '2'])
  assert.equal(options.orders, 1_000_000)
  assert.deepEqual(options.only, ['memory'])
  assert.equal(options.json, 'out.json')
  assert.equal(options.repeat, 2)
})

test('--only takes a comma list and keeps the bench order', () => {
  assert.deepEqual(parseBenchOptions(['--only', 'ratelimit,backfill']).only, ['backfill', 'ratelimit'])
})

test('bad values are usage errors naming the flag', () => {
  assert.throws(
    () => parseBenchOptions(['--only', 'speed']),
    (e: Error) => e instanceof UsageError && /--only/.test(e.message),
  )
  assert.throws(
    () => parseBenchOptions(['--orders', 'many']),
    (e: Error) => e instanceof UsageError && /--orders/.test(e.message),
  )
  assert.throws(
    () => parseBenchOptions(['--repeat', '0']),
    (e: Error) => e instanceof UsageError && /--repeat/.test(e.message),
  )
  assert.throws(() => parseBenchOptions(['--frobnicate']), UsageError)
  assert.throws(() => parseBenchOptions(['extra']), UsageError)
})

test('--smoke makes everything tiny and runs each scenario once', () => {
  const options = parseBenchOptions(['--orders', '2000', '--smoke'])
  assert.equal(options.repeat, 1)
  const plan = planBench(options)
  assert.equal(plan.backfill.orders, 2000)
  assert.ok(plan.memory.largeOrders <= 2000)
  assert.equal(plan.memory.largeOrders, plan.memory.orders * 5)
  assert.ok(plan.ratelimit.orders <= 1000)
  assert.equal(plan.incremental.changed, 20)
})

test('the default plan: 5×N of the memory scenario is the backfill size, ~15 s of rate-limited reading, 1% changed', () => {
  const plan = planBench(parseBenchOptions(['--orders', '1000000']))
  assert.equal(plan.memory.orders, 200_000)
  assert.equal(plan.memory.largeOrders, 1_000_000)
  assert.equal(plan.ratelimit.orders, 5 * 100 * 15)
  assert.equal(plan.incremental.changed, 10_000)
  assert.equal(planBench(parseBenchOptions(['--memory-orders', '5000'])).memory.largeOrders, 25_000)
})

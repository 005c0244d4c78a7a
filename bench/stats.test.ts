import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ratio, round, summarize } from './stats.ts'

test('median of an odd and an even count, with min and max', () => {
  assert.deepEqual(summarize([3, 1, 2]), { median: 2, min: 1, max: 3, n: 3 })
  assert.deepEqual(summarize([4, 1, 3, 2]), { median: 2.5, min: 1, max: 4, n: 4 })
})

test('failed repetitions (NaN) are left out; none at all gives NaN', () => {
  assert.deepEqual(summarize([Number.NaN, 5]), { median: 5, min: 5, max: 5, n: 1 })
  const empty = summarize([])
  assert.ok(Number.isNaN(empty.median))
  assert.equal(empty.n, 0)
})

test('ratio is NaN rather than Infinity when the ceiling is missing or zero', () => {
  assert.equal(ratio(1, 4), 0.25)
  assert.ok(Number.isNaN(ratio(1, 0)))
  assert.ok(Number.isNaN(ratio(1, Number.NaN)))
})

test('round keeps two decimals below 100 and none above', () => {
  assert.equal(round(0.6666), 0.67)
  assert.equal(round(31234.4), 31234)
  assert.equal(round(1.23456, 3), 1.235)
  assert.ok(Number.isNaN(round(Number.NaN)))
})

import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parseFilterDate, wooDate } from './dates.ts'

test('Woo dates are ISO 8601 to the second without an offset, local ones shifted by the site offset', () => {
  const sec = Date.UTC(2025, 5, 1, 9, 15, 22) / 1000
  assert.equal(wooDate(sec), '2025-06-01T09:15:22')
  assert.equal(wooDate(sec, 180), '2025-06-01T12:15:22')
  assert.equal(wooDate(sec, -600), '2025-05-31T23:15:22')
  for (let i = 0; i < 2000; i++) {
    const any = Math.floor((i * 7919.37 + 1) * 1_000_003) % 4_000_000_000
    assert.equal(wooDate(any, 330), new Date((any + 330 * 60) * 1000).toISOString().slice(0, 19))
  }
})

test('filter dates: offset-less values are wall-clock in the compared column, offsets name instants', () => {
  const utc = Date.UTC(2025, 5, 1, 12, 0, 0) / 1000
  assert.equal(parseFilterDate('2025-06-01T12:00:00', true, 180), utc)
  assert.equal(parseFilterDate('2025-06-01T12:00:00', false, 180), utc - 3 * 3600)
  assert.equal(parseFilterDate('2025-06-01T12:00:00Z', false, 180), utc)
  assert.equal(parseFilterDate('2025-06-01T15:00:00+03:00', true, 0), utc)
  assert.equal(parseFilterDate('2025-06-01T12:00:00.999', true, 0), utc, 'fractions are dropped')
  for (const bad of ['2025-06-01', '2025-06-01 12:00:00', 'yesterday', '2025-13-01T00:00:00', '']) {
    assert.equal(parseFilterDate(bad, true, 0), undefined, bad)
  }
})

import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parseProviderTime } from './time.ts'

test('provider times become ISO 8601 UTC with milliseconds', () => {
  assert.equal(parseProviderTime('2025-06-02T11:03:10', true), '2025-06-02T11:03:10.000Z')
  assert.equal(parseProviderTime('2025-06-02T11:03:10Z', false), '2025-06-02T11:03:10.000Z')
  assert.equal(parseProviderTime('2025-06-01T09:15:22+0000', false), '2025-06-01T09:15:22.000Z')
  assert.equal(parseProviderTime('2025-06-01T12:15:22+03:00', false), '2025-06-01T09:15:22.000Z')
  assert.equal(parseProviderTime('2024-02-29T00:00:00', true), '2024-02-29T00:00:00.000Z')
  assert.equal(parseProviderTime(null, true), null)
  assert.equal(parseProviderTime('', true), null)
})

test('impossible calendar times are refused, not stored', () => {
  for (const bad of [
    '2025-13-01T00:00:00',
    '2025-02-29T00:00:00',
    '2025-06-31T10:00:00',
    '2025-06-01T24:00:00',
    'soon',
  ]) {
    assert.throws(() => parseProviderTime(bad, true), RangeError, bad)
  }
})

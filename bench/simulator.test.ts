import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parseAnnouncement, requestDelta } from './simulator.ts'

test('reads url, credentials and orders from the simulator first line', () => {
  const line = 'WooCommerce simulator listening on http://127.0.0.1:43123 key=ck_abc secret=cs_def orders=200000'
  assert.deepEqual(parseAnnouncement(line), {
    url: 'http://127.0.0.1:43123',
    key: 'ck_abc',
    secret: 'cs_def',
    orders: 200_000,
  })
  assert.throws(() => parseAnnouncement('Error: listen EADDRINUSE'), /unexpected first line/)
})

test('request counts between two snapshots: 2xx answers and 429s', () => {
  const before = { requests: 10, byStatus: { '200': 9, '429': 1 }, rateLimited: 1 }
  const after = { requests: 90, byStatus: { '200': 85, '201': 1, '429': 3, '500': 1 }, rateLimited: 3 }
  assert.deepEqual(requestDelta(before, after), { ok: 77, rateLimited: 2 })
})

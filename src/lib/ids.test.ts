import assert from 'node:assert/strict'
import { test } from 'node:test'
import { newId } from './ids.ts'

test('ids are UUID v7: version and variant bits, the time in front, unique across pool refills', () => {
  const ids = Array.from({ length: 2000 }, (_, i) => newId(1_700_000_000_000 + i))
  for (const id of ids) assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  assert.equal(new Set(ids).size, ids.length)
  assert.deepEqual([...ids].sort(), ids, 'later times sort later')
  assert.equal(ids[0]!.replace(/-/g, '').slice(0, 12), (1_700_000_000_000).toString(16).padStart(12, '0'))
  // Same millisecond: the random part differs.
  assert.notEqual(newId(5), newId(5))
})

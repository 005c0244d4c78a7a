import assert from 'node:assert/strict'
import { test } from 'node:test'
import { chunksFor } from './bulk-sql.ts'

test('chunks keep every item in order and stay under the parameter limit', () => {
  const items = Array.from({ length: 237 }, (_, i) => i)
  const chunks = chunksFor(items, 11, 32_766)
  assert.deepEqual(chunks.flat(), items)
  for (const chunk of chunks) assert.ok(chunk.length * 11 <= 32_766)
  assert.deepEqual(
    chunks.map((c) => c.length),
    [128, 64, 32, 8, 4, 1],
  )
  assert.deepEqual(chunksFor([], 11, 32_766), [])
  assert.ok(chunksFor(items, 30, 1000).every((chunk) => chunk.length <= 32 && chunk.length * 30 <= 1000))
})

test('any number of rows uses only power-of-two chunk sizes, so few statements are ever prepared', () => {
  const sizes = new Set<number>()
  for (let n = 1; n <= 600; n++) {
    for (const chunk of chunksFor(Array.from({ length: n }), 11, 32_766)) sizes.add(chunk.length)
  }
  assert.deepEqual(
    [...sizes].sort((a, b) => a - b),
    [1, 2, 4, 8, 16, 32, 64, 128, 256, 512],
  )
})

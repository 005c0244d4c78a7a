import assert from 'node:assert/strict'
import { test } from 'node:test'
import { BoundarySeen, numberedPages } from './paging.ts'

test('numbered pages stop at the first short page and skip yielding an empty one', async () => {
  const sizes = [3, 3, 0]
  const seen: number[] = []
  for await (const page of numberedPages(async (n) => ({ items: Array(sizes[n - 1]).fill(n), total: 6 }), {
    firstPage: 1,
    pageSize: 3,
  })) {
    seen.push(page.page)
  }
  assert.deepEqual(seen, [1, 2])
  const fromTwo: boolean[] = []
  for await (const page of numberedPages(async (n) => ({ items: n === 2 ? [1] : [], total: null }), {
    firstPage: 2,
    pageSize: 3,
  })) {
    fromTwo.push(page.last)
  }
  assert.deepEqual(fromTwo, [true])
})

test('the boundary set knows a version it saw, not a different payload with the same time', () => {
  const seen = new BoundarySeen()
  const row = { id: 1, date_modified_gmt: '2025-06-01T10:00:00', note: 'a' }
  seen.remember('1', 1000, row)
  assert.equal(seen.has('1', 1000, { ...row }), true)
  assert.equal(seen.has('1', 1000, { ...row, note: 'b' }), false, 'same second, different content')
  assert.equal(seen.has('2', 1000, { ...row, id: 2 }), false)
  assert.equal(seen.has('1', 2000, row), false, 'newer than anything remembered')
})

test('forgetting up to a time keeps only what a `>` filter can return again', () => {
  const seen = new BoundarySeen()
  seen.remember('1', 1000, { v: 1 })
  seen.remember('2', 2000, { v: 2 })
  seen.forgetUpTo(1000)
  assert.equal(seen.size, 1)
  assert.equal(seen.has('2', 2000, { v: 2 }), true)
})

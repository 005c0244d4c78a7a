import assert from 'node:assert/strict'
import { test } from 'node:test'
import { prefetch } from './prefetch.ts'

test('the next item is produced while the current one is consumed, in order', async () => {
  const events: string[] = []
  async function* source() {
    for (let i = 1; i <= 3; i++) {
      events.push(`produce ${i}`)
      yield i
    }
  }
  const seen: number[] = []
  for await (const item of prefetch(source())) {
    events.push(`consume ${item}`)
    seen.push(item)
  }
  assert.deepEqual(seen, [1, 2, 3])
  assert.deepEqual(events.slice(0, 3), ['produce 1', 'produce 2', 'consume 1'])
})

test('an error of the source reaches the consumer; stopping early closes the source', async () => {
  let closed = false
  async function* failing() {
    yield 1
    throw new Error('page 2 failed')
  }
  await assert.rejects(async () => {
    for await (const _ of prefetch(failing())) {
      // consume
    }
  }, /page 2 failed/)
  async function* endless() {
    try {
      for (let i = 0; ; i++) yield i
    } finally {
      closed = true
    }
  }
  for await (const item of prefetch(endless())) if (item === 2) break
  assert.equal(closed, true)
})

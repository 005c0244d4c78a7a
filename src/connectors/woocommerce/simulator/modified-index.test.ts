import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { idOfKey, ModifiedIndex, modifiedKey } from './modified-index.ts'

test('a key packs (seconds, id) so that keys sort as the pairs do', () => {
  const key = modifiedKey(7_776_000, 1_000_000)
  assert.equal(idOfKey(key), 1_000_000)
  assert.ok(modifiedKey(10, 5) < modifiedKey(10, 6))
  assert.ok(modifiedKey(10, 60_000_000) < modifiedKey(11, 1))
})

test('ranges and slices match a sorted list of (modified, id) through moves and removals', () => {
  fc.assert(
    fc.property(
      fc.array(fc.nat(50), { minLength: 1, maxLength: 40 }),
      fc.array(fc.array(fc.tuple(fc.nat(), fc.option(fc.nat(30))), { maxLength: 6 }), { maxLength: 6 }),
      fc.nat(120),
      fc.nat(120),
      (startSeconds, batches, from, span) => {
        // Startup orders are ids 1..n, modified before 100; changes are stamped from 100 on.
        const current = new Map(startSeconds.map((sec, index) => [index + 1, sec]))
        const keys = Float64Array.from([...current].map(([id, sec]) => modifiedKey(sec, id))).sort()
        const index = new ModifiedIndex(keys, startSeconds.length)
        for (const batch of batches) {
          const moves = batch.map(([at, later]) => {
            const id = (at % startSeconds.length) + 1
            if (later === null) current.delete(id)
            else current.set(id, 100 + later)
            return { id, key: later === null ? null : modifiedKey(100 + later, id) }
          })
          index.update(moves)
        }
        const expected = [...current]
          .sort(([a, asec], [b, bsec]) => asec - bsec || a - b)
          .filter(([, sec]) => sec >= from && sec < from + span)
          .map(([id]) => id)
        const range = index.range(modifiedKey(from, 0), modifiedKey(from + span, 0))
        assert.equal(range.total, expected.length)
        assert.deepEqual(range.slice(0, range.total), expected)
        assert.deepEqual(range.slice(1, 4), expected.slice(1, 4))
      },
    ),
  )
})

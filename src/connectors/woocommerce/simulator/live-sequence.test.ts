import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { LiveSequence } from './live-sequence.ts'

test('counts and k-th lookups agree with a plain array through any sequence of changes', () => {
  fc.assert(
    fc.property(
      fc.array(fc.boolean(), { minLength: 1, maxLength: 70 }),
      fc.array(fc.tuple(fc.nat(), fc.boolean()), { maxLength: 40 }),
      fc.nat(80),
      (initial, changes, grownBy) => {
        const flags = initial.map((live) => (live ? 1 : 0))
        const sequence = new LiveSequence(Uint8Array.from(flags))
        for (const [at, live] of changes) {
          sequence.set(at % flags.length, live)
          flags[at % flags.length] = live ? 1 : 0
        }
        sequence.grow(flags.length + grownBy)
        for (let i = 0; i < grownBy; i++) flags.push(0)
        const live = flags.flatMap((flag, position) => (flag ? [position] : []))
        for (let position = 0; position <= flags.length; position++) {
          assert.equal(sequence.countBefore(position), live.filter((p) => p < position).length)
        }
        for (let k = 0; k <= live.length; k++) assert.equal(sequence.findKth(k), live[k] ?? -1)
        for (let k = 0; k < live.length; k++) assert.deepEqual(sequence.collect(k, 3), live.slice(k, k + 3))
      },
    ),
  )
})

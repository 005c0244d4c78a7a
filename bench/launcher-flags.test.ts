import assert from 'node:assert/strict'
import { test } from 'node:test'
import { launcherV8Flags } from './launcher-flags.ts'

test('reads the V8 flags the launcher declares', () => {
  assert.deepEqual(launcherV8Flags(`const root = 1\nconst V8_FLAGS = ['--max-semi-space-size=4', "--foo"]\n`), [
    '--max-semi-space-size=4',
    '--foo',
  ])
  assert.deepEqual(launcherV8Flags('const V8_FLAGS = []'), [])
})

test('the real launcher declares its flags', () => {
  const flags = launcherV8Flags()
  assert.ok(flags.every((flag) => flag.startsWith('--')))
})

test('a launcher without the declaration is an error, not an unflagged measurement', () => {
  assert.throws(() => launcherV8Flags('spawn(node, [file])'), /declares no "const V8_FLAGS/)
})

import assert from 'node:assert/strict'
import { test } from 'node:test'
import { type CpuProfile, summarizeProfile } from './profile-summary.ts'

// root → main → (parse, store → parse): parse is sampled under both parents.
const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: { functionName: '(root)', url: '', lineNumber: -1 }, children: [2] },
    { id: 2, callFrame: { functionName: 'main', url: 'file:///app/main.ts', lineNumber: 0 }, children: [3, 4] },
    { id: 3, callFrame: { functionName: 'parse', url: 'file:///app/parse.ts', lineNumber: 9 } },
    { id: 4, callFrame: { functionName: 'store', url: 'file:///app/store.ts', lineNumber: 4 }, children: [5] },
    { id: 5, callFrame: { functionName: 'parse', url: 'file:///app/parse.ts', lineNumber: 9 } },
  ],
  startTime: 0,
  endTime: 10_000,
  samples: [3, 5, 5, 2],
  timeDeltas: [1000, 2000, 3000, 4000],
}

test('self and inclusive time per function, as shares of the profile', () => {
  const { totalMs, functions } = summarizeProfile(profile)
  assert.equal(totalMs, 10)
  const find = (prefix: string) => functions.find((f) => f.name.startsWith(prefix))!
  assert.equal(find('parse').selfMs, 6)
  assert.equal(find('parse').totalShare, 0.6)
  assert.equal(find('store').selfMs, 0)
  assert.equal(find('store').totalMs, 5)
  assert.equal(find('main').totalShare, 1)
  assert.equal(find('main').selfMs, 4)
  assert.match(find('parse').name, /parse\.ts:10$/)
})

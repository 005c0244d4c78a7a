import assert from 'node:assert/strict'
import { test } from 'node:test'
import { mergeRule } from './merge-rule.ts'

const t1 = '2025-06-01T10:00:00.000Z'
const t2 = '2025-06-01T10:00:01.000Z'

test('a new record is created', () => {
  assert.equal(mergeRule(undefined, { updatedAt: t1, hash: 'a', deletedAt: null }), 'created')
})

test('the same content is unchanged whatever its time', () => {
  const stored = { updatedAt: t2, hash: 'a', deletedAt: null }
  assert.equal(mergeRule(stored, { updatedAt: t2, hash: 'a', deletedAt: null }), 'unchanged')
  assert.equal(mergeRule(stored, { updatedAt: t1, hash: 'a', deletedAt: null }), 'unchanged')
})

test('newer content updates; older content is stale and never overwrites', () => {
  const stored = { updatedAt: t1, hash: 'a', deletedAt: null }
  assert.equal(mergeRule(stored, { updatedAt: t2, hash: 'b', deletedAt: null }), 'updated')
  assert.equal(mergeRule({ ...stored, updatedAt: t2 }, { updatedAt: t1, hash: 'b', deletedAt: null }), 'stale')
})

test('a different payload with an equal timestamp is an update, never dropped', () => {
  assert.equal(
    mergeRule({ updatedAt: t1, hash: 'a', deletedAt: null }, { updatedAt: t1, hash: 'b', deletedAt: null }),
    'updated',
  )
})

test('a tombstone is not resurrected by a late, older update', () => {
  const deleted = { updatedAt: t1, hash: 'a', deletedAt: t2 }
  assert.equal(mergeRule(deleted, { updatedAt: t1, hash: 'b', deletedAt: null }), 'stale')
  assert.equal(mergeRule(deleted, { updatedAt: '2025-06-01T10:00:02.000Z', hash: 'c', deletedAt: null }), 'updated')
})

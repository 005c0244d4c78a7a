import assert from 'node:assert/strict'
import { test } from 'node:test'
import { EMPTY_CURSOR } from '../connectors/connector.ts'
import { planRead } from './sync-runner.ts'

const now = Date.parse('2025-06-10T00:00:00Z')
const settings = { lookbackMs: 10 * 60_000, backfillDays: 0 }

test('the first read of an incremental stream backfills everything, or backfillDays', () => {
  assert.deepEqual(planRead(EMPTY_CURSOR, {}, settings, true, now), { from: EMPTY_CURSOR, since: null })
  assert.equal(
    planRead(EMPTY_CURSOR, {}, { ...settings, backfillDays: 3 }, true, now).since,
    '2025-06-07T00:00:00.000Z',
  )
})

test('later reads start at the watermark minus the lookback', () => {
  const stored = { watermark: '2025-06-09T12:00:00.000Z', resume: null }
  assert.equal(planRead(stored, {}, settings, true, now).since, '2025-06-09T11:50:00.000Z')
})

test('an unfinished read resumes where it stopped', () => {
  const stored = { watermark: '2025-06-09T12:00:00.000Z', resume: '{"after":"x","page":3}' }
  assert.deepEqual(planRead(stored, {}, settings, true, now), { from: stored, since: null })
})

test('--full forgets the cursor and --days re-reads a window', () => {
  const stored = { watermark: '2025-06-09T12:00:00.000Z', resume: 'r' }
  assert.deepEqual(planRead(stored, { full: true }, settings, true, now), { from: EMPTY_CURSOR, since: null })
  assert.deepEqual(planRead(stored, { days: 2 }, settings, true, now), {
    from: { watermark: stored.watermark, resume: null },
    since: '2025-06-08T00:00:00.000Z',
  })
})

test('a stream that cannot filter by time always reads everything', () => {
  const stored = { watermark: '2025-06-09T12:00:00.000Z', resume: null }
  assert.deepEqual(planRead(stored, {}, settings, false, now), { from: stored, since: null })
})

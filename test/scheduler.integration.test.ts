import assert from 'node:assert/strict'
import { Scheduler } from '../src/engine/scheduler.ts'
import { SYNC_JOB_KIND } from '../src/engine/sync-requests.ts'
import { createLogger } from '../src/lib/logger.ts'
import { forEachDatabase } from './helpers/databases.ts'
import { newTenant, newWooConnection } from './helpers/factories.ts'

forEachDatabase('the scheduler queues startup runs, then one run per stream per interval', async (t, { store }) => {
  let now = Date.parse('2025-06-01T00:00:00Z')
  const tenant = await newTenant(store)
  const connection = await newWooConnection(store, tenant.id, { url: 'http://127.0.0.1:9', key: 'ck', secret: 'cs' })
  const paused = await newWooConnection(store, tenant.id, { url: 'http://127.0.0.1:9', key: 'ck', secret: 'cs' })
  await store.connections.update(paused.id, tenant.id, { status: 'paused' })
  let nudged = 0
  const scheduler = new Scheduler({
    store,
    log: createLogger('silent'),
    tickMs: 60_000,
    maxAttempts: 3,
    now: () => now,
    random: () => 0.5,
    onQueued: () => nudged++,
  })
  t.after(() => scheduler.stop())
  await scheduler.start()

  const queued = async () => (await store.jobs.list({ kinds: [SYNC_JOB_KIND], states: ['queued'] })).length
  assert.equal(await queued(), 2, 'one startup run per stream of the active connection, none for the paused one')
  assert.equal(nudged, 1)
  const startupRuns = await store.runs.list({ connectionId: connection.id })
  assert.deepEqual(startupRuns.map((r) => r.trigger).sort(), ['startup', 'startup'])
  assert.equal((await store.runs.list({ connectionId: paused.id })).length, 0)

  await scheduler.tick()
  assert.equal(await queued(), 2, 'nothing is due yet')

  // Finish the startup runs, then let the interval (30 min + jitter below 60 s) pass.
  for (const job of await store.jobs.list({ kinds: [SYNC_JOB_KIND], states: ['queued'] })) {
    const claimed = await store.jobs.claimById(job.id, 'w', 1000)
    await store.jobs.complete(claimed!.id, 'w')
  }
  now += 30 * 60_000 + 61_000
  await scheduler.tick()
  assert.equal(await queued(), 2)
  const scheduled = (await store.runs.list({ connectionId: connection.id })).filter((r) => r.trigger === 'scheduled')
  assert.equal(scheduled.length, 2)
  assert.deepEqual(
    scheduler
      .entries()
      .map((e) => e.stream)
      .sort(),
    ['customers', 'orders'],
  )
})

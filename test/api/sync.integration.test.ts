import assert from 'node:assert/strict'
import { startWooSimulator } from '../../src/connectors/woocommerce/simulator/index.ts'
import { executeSyncJob } from '../../src/engine/sync-worker.ts'
import { forEachDatabase } from '../helpers/databases.ts'
import { testEngine, waitFor } from '../helpers/engine.ts'
import { newWooConnection } from '../helpers/factories.ts'
import { startHarness } from './harness.ts'

forEachDatabase(
  'API sync: 202 with run ids, 409 while active, per-tenant limit 429 + Retry-After, status, cancel',
  async (t, db) => {
    const simulator = await startWooSimulator({ orders: 20, seed: 5 })
    t.after(() => simulator.close())
    const h = await startHarness(t, db, { limits: { manualSyncs: 3, manualSyncWindowSec: 300 } })
    const shop = await newWooConnection(
      db.store,
      h.tenant.id,
      { url: simulator.url, ...simulator.credentials },
      { streams: ['orders'] },
    )

    const first = await h.call('POST', '/api/v1/orders/sync', {
      as: 'member',
      body: { connectionId: shop.id, daysBack: 3 },
    })
    assert.equal(first.status, 202)
    assert.equal(first.body.runs.length, 1)
    const runId = first.body.runs[0].runId
    assert.deepEqual(first.body.runs[0], {
      runId,
      connectionId: shop.id,
      stream: 'orders',
      status: 'queued',
      created: true,
    })
    const run = await db.store.runs.get(runId, h.tenant.id)
    assert.deepEqual(run?.options, { days: 3 })

    const again = await h.call('POST', '/api/v1/orders/sync', { as: 'member', body: { connectionId: shop.id } })
    assert.equal(again.status, 409)
    assert.equal(again.body.code, 'sync_already_running')
    assert.equal(again.body.activeRunId, runId)
    // No body at all syncs every active connection of the tenant.
    const all = await h.api.inject({
      method: 'POST',
      url: '/api/v1/orders/sync',
      headers: { authorization: `Bearer ${h.tokens.member}`, 'content-type': 'application/json' },
    })
    assert.equal(all.statusCode, 409)
    const limited = await h.call('POST', '/api/v1/orders/sync', { as: 'member', body: {} })
    assert.equal(limited.status, 429)
    assert.equal(limited.body.code, 'rate_limited')
    assert.ok(Number(limited.headers['retry-after']) > 0 && Number(limited.headers['retry-after']) <= 300)
    // The limit is per tenant.
    assert.equal(
      (await h.call('POST', '/api/v1/orders/sync', { as: 'otherOwner', body: {} })).body.code,
      'no_active_connections',
    )

    const status = await h.call('GET', '/api/v1/orders/sync/status', { as: 'member' })
    assert.equal(status.status, 200)
    assert.deepEqual(
      status.body.active.map((r: { id: string }) => r.id),
      [runId],
    )
    assert.equal(status.body.connections.length, 1)
    assert.equal(status.body.connections[0].configured, true)
    assert.equal(status.body.connections[0].healthy, true)
    assert.equal(status.body.connections[0].circuit.state, 'closed')
    assert.deepEqual((await h.call('GET', '/api/v1/orders/sync/status', { as: 'otherOwner' })).body.active, [])

    const runs = await h.call('GET', `/api/v1/sync/runs?status=queued&connectionId=${shop.id}`)
    assert.deepEqual(
      runs.body.runs.map((r: { id: string }) => r.id),
      [runId],
    )
    assert.equal((await h.call('GET', `/api/v1/sync/runs/${runId}`)).body.status, 'queued')
    assert.equal((await h.call('GET', `/api/v1/sync/runs/${runId}`, { as: 'otherOwner' })).status, 404)
    assert.equal((await h.call('POST', `/api/v1/sync/runs/${runId}/cancel`, { as: 'otherOwner' })).status, 404)

    const cancelled = await h.call('POST', `/api/v1/sync/runs/${runId}/cancel`, { as: 'member' })
    assert.equal(cancelled.status, 200)
    assert.equal(cancelled.body.status, 'cancelled')
    assert.equal((await db.store.jobs.get(run!.jobId!))?.state, 'cancelled')
    assert.equal((await h.call('POST', `/api/v1/sync/runs/${runId}/cancel`)).status, 409)

    assert.equal((await h.call('POST', '/api/v1/orders/sync/all', { as: 'owner', body: {} })).status, 403)
    const everyone = await h.call('POST', '/api/v1/orders/sync/all', { as: 'admin', body: {} })
    assert.equal(everyone.status, 202)
    assert.equal(everyone.body.runs.length, 1)
  },
)

forEachDatabase('API run events: Server-Sent Events with live progress until the run ends', async (t, db) => {
  const simulator = await startWooSimulator({ orders: 120, seed: 9 })
  t.after(() => simulator.close())
  const h = await startHarness(t, db)
  await h.api.listen({ host: '127.0.0.1', port: 0 })
  const address = h.api.server.address() as { port: number }
  const shop = await newWooConnection(
    db.store,
    h.tenant.id,
    { url: simulator.url, ...simulator.credentials },
    { streams: ['orders'] },
  )
  const queued = await h.call('POST', '/api/v1/orders/sync', { body: { connectionId: shop.id } })
  const runId = queued.body.runs[0].runId

  const response = await fetch(`http://127.0.0.1:${address.port}/api/v1/sync/runs/${runId}/events`, {
    headers: { authorization: `Bearer ${h.tokens.member}` },
  })
  assert.equal(response.status, 200)
  assert.match(String(response.headers.get('content-type')), /^text\/event-stream/)
  const reading = response.text()

  const engine = testEngine(db.store)
  const run = (await db.store.runs.get(runId))!
  const job = (await db.store.jobs.claimById(run.jobId!, 'test-worker', 5_000))!
  const finished = await executeSyncJob(engine.deps, job, 'test-worker', new AbortController().signal)
  assert.equal(finished.status, 'succeeded')

  const events = (await reading)
    .split('\n\n')
    .filter(Boolean)
    .map((block) => ({
      event: /^event: (.*)$/m.exec(block)?.[1],
      data: JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? 'null'),
    }))
  assert.equal(events.at(0)?.event, 'progress')
  assert.equal(events.at(0)?.data.id, runId)
  assert.deepEqual(events.at(-1), { event: 'end', data: { status: 'succeeded' } })
  assert.equal(events.at(-2)?.data.counters.fetched, 120)

  const missing = await fetch(`http://127.0.0.1:${address.port}/api/v1/sync/runs/${runId}/events`, {
    headers: { authorization: `Bearer ${h.tokens.otherOwner}` },
  })
  assert.equal(missing.status, 404)
  await missing.body?.cancel()
})

forEachDatabase('API cancel of a running run: the worker sees it at its heartbeat and stops', async (t, db) => {
  const simulator = await startWooSimulator({ orders: 1500, seed: 11, latencyMs: 150 })
  t.after(() => simulator.close())
  const h = await startHarness(t, db)
  const shop = await newWooConnection(
    db.store,
    h.tenant.id,
    { url: simulator.url, ...simulator.credentials },
    { streams: ['orders'] },
  )
  const queued = await h.call('POST', '/api/v1/orders/sync', { body: { connectionId: shop.id } })
  const runId = queued.body.runs[0].runId
  const engine = testEngine(db.store, {})
  const run = (await db.store.runs.get(runId))!
  const job = (await db.store.jobs.claimById(run.jobId!, 'test-worker', 5_000))!
  const execution = executeSyncJob(
    { ...engine.deps, settings: { ...engine.deps.settings, heartbeatMs: 100 } },
    job,
    'test-worker',
    new AbortController().signal,
  )
  await waitFor('the run to be running', async () =>
    (await db.store.runs.get(runId))?.status === 'running' ? true : undefined,
  )
  const cancelled = await h.call('POST', `/api/v1/sync/runs/${runId}/cancel`)
  assert.equal(cancelled.status, 200)
  const finished = await execution
  assert.equal(finished.status, 'cancelled')
  assert.ok(finished.counters.fetched < 1500, 'it stopped before reading everything')
})

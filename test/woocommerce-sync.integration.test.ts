import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import path from 'node:path'
import { woocommerceConnector } from '../src/connectors/woocommerce/index.ts'
import { startWooSimulator, type WooSimulator } from '../src/connectors/woocommerce/simulator/index.ts'
import { requestSync } from '../src/engine/sync-requests.ts'
import type { Store } from '../src/store/store.ts'
import { forEachDatabase } from './helpers/databases.ts'
import { testEngine, waitFor } from './helpers/engine.ts'
import { newTenant, newWooConnection } from './helpers/factories.ts'

const ROOT = path.resolve(import.meta.dirname, '..')

async function simulator(
  t: { after: (fn: () => Promise<void>) => void },
  options: Parameters<typeof startWooSimulator>[0],
) {
  const sim = await startWooSimulator(options)
  t.after(() => sim.close())
  return sim
}

/** How many orders sit in the simulator's trash (its own X-WP-Total for status=trash). */
async function trashCount(sim: WooSimulator): Promise<number> {
  const { key, secret } = sim.credentials
  const response = await fetch(
    `${sim.url}/wp-json/wc/v3/orders?status=trash&per_page=1&consumer_key=${key}&consumer_secret=${secret}`,
  )
  assert.equal(response.status, 200)
  return Number(response.headers.get('x-wp-total'))
}

/** Every simulator order is stored once, with the provider's JSON and the normalized fields it implies. */
async function assertMirrors(store: Store, tenantId: string, connectionId: string, sim: WooSimulator) {
  assert.equal(await store.orders.count(tenantId, { connectionId }), sim.orderCount())
  for (const order of sim.orders()) {
    const stored = await store.orders.getByExternalId(tenantId, connectionId, String(order.id))
    assert.ok(stored, `order ${order.id} is missing`)
    assert.deepEqual(stored.raw, JSON.parse(JSON.stringify(order)), `order ${order.id}: raw JSON differs`)
    const expected = woocommerceConnector.stream(null as never, 'orders').normalize(order)
    for (const [field, value] of Object.entries(expected)) {
      assert.deepEqual((stored as unknown as Record<string, unknown>)[field], value, `order ${order.id}: ${field}`)
    }
  }
}

forEachDatabase('backfill mirrors the simulator field by field; a second run changes nothing', async (t, { store }) => {
  const sim = await simulator(t, { orders: 450, seed: 3 })
  const [tenant, other] = [await newTenant(store), await newTenant(store)]
  const connection = await newWooConnection(store, tenant.id, { url: sim.url, ...sim.credentials })
  const engine = testEngine(store)

  const first = await engine.syncNow(connection, 'orders')
  assert.equal(first.status, 'succeeded', first.error ?? '')
  // Trashed orders come from the trash listing as tombstones: stored, but left out of counts.
  const trashed = await trashCount(sim)
  assert.ok(trashed > 0, 'the simulator has trashed orders')
  assert.equal(first.counters.created, sim.orderCount() + trashed)
  assert.equal(
    await store.orders.count(tenant.id, { connectionId: connection.id, includeDeleted: true }),
    sim.orderCount() + trashed,
  )
  assert.equal(first.counters.failed, 0)
  await assertMirrors(store, tenant.id, connection.id, sim)
  assert.equal(await store.orders.count(other.id), 0)

  const customers = await engine.syncNow(connection, 'customers')
  assert.equal(customers.status, 'succeeded', customers.error ?? '')
  assert.equal(await store.customers.count(tenant.id, { connectionId: connection.id }), [...sim.customers()].length)

  const again = await engine.syncNow(connection, 'orders', { days: 3650 })
  assert.equal(again.status, 'succeeded')
  assert.equal(again.counters.fetched, sim.orderCount() + trashed)
  assert.deepEqual(
    [again.counters.created, again.counters.updated, again.counters.unchanged],
    [0, 0, sim.orderCount() + trashed],
  )
})

forEachDatabase('an incremental run picks up exactly the modified orders', async (t, { store }) => {
  const sim = await simulator(t, { orders: 300, seed: 5 })
  const tenant = await newTenant(store)
  const connection = await newWooConnection(store, tenant.id, { url: sim.url, ...sim.credentials })
  const engine = testEngine(store)
  assert.equal((await engine.syncNow(connection, 'orders')).status, 'succeeded')

  const changed = sim.mutateOrders(12)
  const added = sim.createOrders(3)
  const run = await engine.syncNow(connection, 'orders')
  assert.equal(run.status, 'succeeded', run.error ?? '')
  assert.equal(run.counters.created, 3)
  assert.equal(run.counters.updated, 12)
  // The lookback re-reads a little (unchanged), but nowhere near the whole store.
  assert.ok(run.counters.fetched < 100, `fetched ${run.counters.fetched}`)
  for (const order of [...changed, ...added]) {
    const stored = await store.orders.getByExternalId(tenant.id, connection.id, String(order.id))
    assert.deepEqual(stored?.raw, JSON.parse(JSON.stringify(order)))
  }
  await assertMirrors(store, tenant.id, connection.id, sim)
})

forEachDatabase('orders modified while a backfill pages are neither lost nor duplicated', async (t, { store }) => {
  const sim = await simulator(t, { orders: 900, seed: 11 })
  const tenant = await newTenant(store)
  const connection = await newWooConnection(store, tenant.id, { url: sim.url, ...sim.credentials })
  let pages = 0
  const engine = testEngine(store, {
    onProgress: () => {
      // Between pages: change orders the scan has passed and orders still ahead of it.
      if (++pages === 3) {
        sim.mutateOrders(40)
        sim.createOrders(7)
      }
    },
  })
  const run = await engine.syncNow(connection, 'orders')
  assert.equal(run.status, 'succeeded', run.error ?? '')
  assert.ok(pages >= 3)
  // Nothing is duplicated: one row per order id even though mutated orders were seen twice.
  assert.equal(await store.orders.count(tenant.id, { connectionId: connection.id }), sim.orderCount())
  // The next scheduled run (watermark capped at the first run's start) converges on the store's state.
  const next = await engine.syncNow(connection, 'orders')
  assert.equal(next.status, 'succeeded')
  await assertMirrors(store, tenant.id, connection.id, sim)
})

forEachDatabase('with 10% server errors and a 429 rate limit the sync still ends complete', async (t, { store }) => {
  const sim = await simulator(t, { orders: 1500, seed: 13, errorRate: 0.1, rateLimit: 3 })
  const tenant = await newTenant(store)
  const connection = await newWooConnection(store, tenant.id, { url: sim.url, ...sim.credentials })
  const run = await testEngine(store).syncNow(connection, 'orders')
  assert.equal(run.status, 'succeeded', run.error ?? '')
  assert.ok((sim.stats.byStatus[500] ?? 0) > 0, 'the simulator answered some 500s')
  assert.ok(sim.stats.rateLimited > 0, 'the simulator answered some 429s')
  await assertMirrors(store, tenant.id, connection.id, sim)
})

forEachDatabase('wrong credentials end the run failed, with a clear message and no cursor', async (t, { store }) => {
  const sim = await simulator(t, { orders: 50, seed: 2 })
  const tenant = await newTenant(store)
  const connection = await newWooConnection(store, tenant.id, {
    url: sim.url,
    key: sim.credentials.key,
    secret: 'cs_wrong',
  })
  const run = await testEngine(store).syncNow(connection, 'orders')
  assert.equal(run.status, 'failed')
  assert.equal(run.errorCode, 'provider_auth_failed')
  assert.match(run.error ?? '', /401/)
  assert.match(run.error ?? '', /Consumer secret is invalid|invalid/i)
  const state = await store.syncState.get(connection.id, 'orders')
  assert.equal(state?.cursor.watermark ?? null, null)
  assert.equal(await store.orders.count(tenant.id), 0)
  const job = await store.jobs.get(run.jobId!)
  assert.equal(job?.state, 'failed', 'bad credentials are not retried')
})

forEachDatabase('two concurrent triggers of one connection run once', async (t, { store }) => {
  const sim = await simulator(t, { orders: 200, seed: 4, latencyMs: 20 })
  const tenant = await newTenant(store)
  const connection = await newWooConnection(store, tenant.id, { url: sim.url, ...sim.credentials })
  const ask = () => requestSync(store, { connection, stream: 'orders', trigger: 'manual', maxAttempts: 3 })
  const [a, b] = await Promise.all([ask(), ask()])
  assert.equal(a.run.id, b.run.id)
  assert.equal(a.job.id, b.job.id)
  assert.equal([a.created, b.created].filter(Boolean).length, 1)
  const [claimA, claimB] = await Promise.all([
    store.jobs.claimById(a.job.id, 'worker-a', 5_000),
    store.jobs.claimById(a.job.id, 'worker-b', 5_000),
  ])
  assert.equal([claimA, claimB].filter(Boolean).length, 1, 'exactly one worker holds the run')
  const runs = await store.runs.list({ connectionId: connection.id })
  assert.equal(runs.length, 1)
})

forEachDatabase(
  'a sync killed with SIGKILL mid-backfill resumes and ends complete without duplicates',
  async (t, db) => {
    const { store, databaseUrl, secretKey } = db
    const sim = await simulator(t, { orders: 3000, seed: 21, latencyMs: 15 })
    const tenant = await newTenant(store)
    const connection = await newWooConnection(store, tenant.id, { url: sim.url, ...sim.credentials })

    const child = spawn(
      process.execPath,
      [path.join(ROOT, 'src/main.ts'), 'sync', connection.id, '--stream', 'orders'],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          TRIBUTARY_DATABASE_URL: databaseUrl,
          TRIBUTARY_SECRET_KEY: secretKey.toString('hex'),
          TRIBUTARY_LEASE_MS: '1500',
          TRIBUTARY_HEARTBEAT_MS: '300',
          TRIBUTARY_LOG_LEVEL: 'silent',
        },
        stdio: 'ignore',
      },
    )
    const exited = new Promise((resolve) => child.once('exit', resolve))
    t.after(() => void child.kill('SIGKILL'))
    const killedRun = await waitFor('the child to commit a few pages', async () => {
      const [run] = await store.runs.list({ connectionId: connection.id, limit: 1 })
      return run && run.counters.pages >= 4 ? run : undefined
    })
    child.kill('SIGKILL')
    await exited
    const partial = await store.orders.count(tenant.id, { connectionId: connection.id })
    assert.ok(partial > 0 && partial < sim.orderCount(), `killed mid-way (${partial} of ${sim.orderCount()})`)

    // Taken over once the dead process's lease expires; resumes from the checkpoint.
    const engine = testEngine(store)
    const job = await waitFor('the dead lease to expire', () =>
      store.jobs.claimById(killedRun.jobId!, 'rescuer', 5_000),
    )
    const { executeSyncJob } = await import('../src/engine/sync-worker.ts')
    const resumed = await executeSyncJob(engine.deps, job, 'rescuer', new AbortController().signal)
    assert.equal(resumed.status, 'succeeded', resumed.error ?? '')
    assert.equal(resumed.id, killedRun.id, 'the same run continues')
    assert.ok(resumed.counters.fetched < sim.orderCount() + 200, 'it resumed rather than starting over')
    await assertMirrors(store, tenant.id, connection.id, sim)
  },
)

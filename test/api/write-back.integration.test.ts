import assert from 'node:assert/strict'
import { connectorFor } from '../../src/connectors/registry.ts'
import { startWooSimulator } from '../../src/connectors/woocommerce/simulator/index.ts'
import { OutboxDispatcher } from '../../src/engine/outbox-dispatcher.ts'
import { ProviderContexts } from '../../src/engine/provider-context.ts'
import { createLogger } from '../../src/lib/logger.ts'
import { forEachDatabase } from '../helpers/databases.ts'
import { testEngine, waitFor } from '../helpers/engine.ts'
import { newWooConnection, sampleOrder } from '../helpers/factories.ts'
import { seedOrders, startHarness } from './harness.ts'

forEachDatabase(
  'write-back: PUT /orders/{id}/status lands in WooCommerce, also when the first attempts fail; a rejection ends failed',
  async (t, db) => {
    const simulator = await startWooSimulator({ orders: 12, seed: 21 })
    t.after(() => simulator.close())
    const h = await startHarness(t, db)
    const shop = await newWooConnection(
      db.store,
      h.tenant.id,
      { url: simulator.url, ...simulator.credentials },
      { streams: ['orders'] },
    )
    assert.equal((await testEngine(db.store).syncNow(shop, 'orders')).status, 'succeeded')

    // One provider attempt per delivery, so each failure is an outbox retry of its own.
    const dispatcher = new OutboxDispatcher({
      store: db.store,
      connectors: connectorFor,
      contexts: new ProviderContexts(connectorFor, { timeoutMs: 5_000, maxAttempts: 1 }),
      log: createLogger('silent'),
      settings: { retryBaseMs: 1, retryCapMs: 5, maxAttempts: 20 },
    })
    t.after(() => dispatcher.stop())

    const [local] = (await h.call('GET', '/api/v1/orders?status=processing,pending,on_hold&limit=1')).body.orders
    assert.ok(local, 'a synced order that is not completed')
    const external = Number(local.externalId)
    assert.notEqual(simulator.getOrder(external)?.status, 'completed')

    const invalid = await h.call('PUT', `/api/v1/orders/${local.id}/status`, {
      as: 'member',
      body: { status: 'shipped' },
    })
    assert.equal(invalid.status, 400)
    assert.equal(invalid.body.code, 'invalid_status')
    assert.equal(
      (await h.call('PUT', `/api/v1/orders/${local.id}/status`, { as: 'otherOwner', body: { status: 'completed' } }))
        .status,
      404,
    )

    simulator.setFaults({ errorRate: 1 })
    const accepted = await h.call('PUT', `/api/v1/orders/${local.id}/status`, {
      as: 'member',
      body: { status: 'completed' },
    })
    assert.equal(accepted.status, 202)
    assert.equal(accepted.body.state, 'pending')
    assert.deepEqual(accepted.body.payload, { externalId: local.externalId, status: 'completed' })
    assert.equal((await h.call('GET', `/api/v1/orders/${local.id}`)).body.pendingStatus, 'completed')

    // The first two deliveries fail (the store answers 500), then the store recovers.
    const entryState = async () => (await db.store.outbox.get(accepted.body.id, h.tenant.id))!
    for (let failures = 0; failures < 2; ) {
      await dispatcher.drain()
      failures = (await entryState()).attempts
    }
    assert.equal((await entryState()).state, 'pending')
    assert.match(String((await entryState()).lastError), /500|unavailable/i)
    assert.equal(simulator.getOrder(external)?.status !== 'completed', true)
    simulator.setFaults({ errorRate: 0 })
    const sent = await waitFor('the write to land', async () => {
      await dispatcher.drain()
      const entry = await entryState()
      return entry.state === 'sent' ? entry : undefined
    })
    assert.ok(sent.attempts >= 3)
    assert.equal(simulator.getOrder(external)?.status, 'completed', 'the status landed in the store')
    const after = (await h.call('GET', `/api/v1/orders/${local.id}`)).body
    assert.equal(after.status, 'completed', 'merged from the provider’s answer')
    assert.equal(after.pendingStatus, null)
    const retrySent = await h.call('POST', `/api/v1/outbox/${sent.id}/retry`)
    assert.equal(retrySent.status, 409)

    // An order the store does not have: WooCommerce answers 404, a permanent rejection.
    await seedOrders(db.store, shop, [sampleOrder({ externalId: '987654', number: '987654', status: 'processing' })])
    const ghost = (await h.call('GET', '/api/v1/orders?q=987654')).body.orders[0]
    const rejected = await h.call('PUT', `/api/v1/orders/${ghost.id}/status`, { body: { status: 'cancelled' } })
    assert.equal(rejected.status, 202)
    const failed = await waitFor('the write to fail', async () => {
      await dispatcher.drain()
      const entry = await db.store.outbox.get(rejected.body.id, h.tenant.id)
      return entry?.state === 'failed' ? entry : undefined
    })
    assert.equal(failed.attempts, 1, 'a rejection is not retried')
    assert.match(String(failed.lastError), /404|not found|invalid/i)
    const ghostAfter = (await h.call('GET', `/api/v1/orders/${ghost.id}`)).body
    assert.equal(ghostAfter.status, 'processing', 'the order stays as the provider has it')
    assert.equal(ghostAfter.pendingStatus, null)

    const listed = await h.call('GET', '/api/v1/outbox?state=failed', { as: 'member' })
    assert.deepEqual(
      listed.body.entries.map((e: { id: string }) => e.id),
      [rejected.body.id],
    )
    assert.equal((await h.call('GET', '/api/v1/outbox', { as: 'otherOwner' })).body.entries.length, 0)
    assert.equal((await h.call('POST', `/api/v1/outbox/${rejected.body.id}/retry`, { as: 'otherOwner' })).status, 404)
    assert.equal((await h.call('POST', `/api/v1/outbox/${rejected.body.id}/retry`, { as: 'member' })).status, 403)
    const retried = await h.call('POST', `/api/v1/outbox/${rejected.body.id}/retry`)
    assert.equal(retried.status, 202)
    assert.equal(retried.body.state, 'pending')
    assert.equal((await h.call('GET', `/api/v1/orders/${ghost.id}`)).body.pendingStatus, 'cancelled')
  },
)

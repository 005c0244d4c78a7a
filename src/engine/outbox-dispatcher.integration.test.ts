import assert from 'node:assert/strict'
import { forEachDatabase } from '../../test/helpers/databases.ts'
import { testEngine } from '../../test/helpers/engine.ts'
import { newTenant, newWooConnection } from '../../test/helpers/factories.ts'
import { connectorFor } from '../connectors/registry.ts'
import { startWooSimulator } from '../connectors/woocommerce/simulator/index.ts'
import { createLogger } from '../lib/logger.ts'
import { deliverOutboxEntry, OutboxDispatcher } from './outbox-dispatcher.ts'
import { ProviderContexts } from './provider-context.ts'

forEachDatabase(
  'outbox: retries with backoff until attempts are used up (dead), clears the pending status; leases are taken over',
  async (t, db) => {
    const { store } = db
    const simulator = await startWooSimulator({ orders: 3, seed: 4, errorRate: 1 })
    t.after(() => simulator.close())
    const tenant = await newTenant(store)
    const shop = await newWooConnection(
      store,
      tenant.id,
      { url: simulator.url, ...simulator.credentials },
      { streams: ['orders'] },
    )
    simulator.setFaults({ errorRate: 0 })
    await testEngine(store).syncNow(shop, 'orders')
    simulator.setFaults({ errorRate: 1 })
    const [order] = await store.orders.list(tenant.id, { limit: 1 })
    const entry = await store.transaction((tx) =>
      tx.outbox.enqueueOrderStatus({ tenantId: tenant.id, orderId: order!.id, status: 'on-hold' }),
    )
    assert.ok(entry)
    assert.equal((await store.orders.get(tenant.id, order!.id))?.pendingStatus, 'on-hold')
    assert.equal(
      await store.outbox.enqueueOrderStatus({ tenantId: (await newTenant(store)).id, orderId: order!.id, status: 'x' }),
      undefined,
      'another tenant cannot queue a write for this order',
    )

    // A lease that ended lets another dispatcher take the entry over.
    const [leased] = await store.outbox.claimDue(0, 10)
    assert.equal(leased?.state, 'sending')
    const [takenOver] = await store.outbox.claimDue(60_000, 10)
    assert.equal(takenOver?.id, entry.id)
    assert.equal(takenOver?.attempts, 2)
    assert.deepEqual(await store.outbox.claimDue(60_000, 10), [], 'a held lease is not claimed twice')

    const deps = {
      store,
      connectors: connectorFor,
      contexts: new ProviderContexts(connectorFor, { timeoutMs: 5_000, maxAttempts: 1 }),
      log: createLogger('silent'),
      settings: { retryBaseMs: 1, retryCapMs: 2, maxAttempts: 3 },
    }
    assert.equal(await deliverOutboxEntry(deps, takenOver!), 'pending')
    const dispatcher = new OutboxDispatcher(deps)
    let state = (await store.outbox.get(entry.id, tenant.id))!.state
    while (state !== 'dead') {
      await dispatcher.drain()
      state = (await store.outbox.get(entry.id, tenant.id))!.state
    }
    await dispatcher.stop()
    const dead = (await store.outbox.get(entry.id, tenant.id))!
    assert.equal(dead.attempts, 3)
    assert.ok(dead.lastError)
    assert.equal((await store.orders.get(tenant.id, order!.id))?.pendingStatus, null)
    assert.deepEqual(await store.outbox.countByState(), { dead: 1 })
  },
)

import assert from 'node:assert/strict'
import { forEachDatabase, rawQuery } from '../../../test/helpers/databases.ts'
import {
  newManualRun,
  newTenant,
  newWooConnection,
  normalizedCustomer,
  normalizedOrder,
  sampleCustomer,
  sampleOrder,
} from '../../../test/helpers/factories.ts'
import type { StreamCursor } from '../../connectors/connector.ts'
import type { Customer, Normalized, NormalizeFailure, Order } from '../../domain/entities.ts'
import type { Store } from '../store.ts'

const T0 = '2025-06-01T10:00:00.000Z'
const T1 = '2025-06-01T11:00:00.000Z'
const T2 = '2025-06-01T12:00:00.000Z'

/** A tenant, a second tenant, a connection and a running run to apply pages to. */
async function setUp(store: Store) {
  const [tenant, other] = [await newTenant(store), await newTenant(store)]
  const connection = await newWooConnection(store, tenant.id, { url: 'https://shop.test', key: 'k', secret: 's' })
  const run = await newManualRun(store, connection)
  let page = 0
  const apply = (
    records: Normalized<Order>[],
    options: { failures?: NormalizeFailure[]; cursor?: StreamCursor; total?: number } = {},
  ) =>
    store.applyPage(
      {
        tenantId: tenant.id,
        connectionId: connection.id,
        stream: 'orders',
        runId: run.id,
        records,
        failures: options.failures ?? [],
        cursor: options.cursor ?? { watermark: T0, resume: `page-${++page}` },
        total: options.total,
      },
      'order',
    )
  return { tenant, other, connection, run, apply }
}

forEachDatabase('applyPage counts created, updated, unchanged and stale records', async (_t, { store }) => {
  const { tenant, other, connection, run, apply } = await setUp(store)
  const a = sampleOrder({ updatedAt: T1 })
  const b = sampleOrder({ updatedAt: T1 })
  const c = sampleOrder({ updatedAt: T1 })
  assert.deepEqual(await apply([a, b, c].map((o) => normalizedOrder(o))), {
    created: 3,
    updated: 0,
    unchanged: 0,
    failed: 0,
  })
  const first = await store.orders.getByExternalId(tenant.id, connection.id, a.externalId)

  const page = [
    normalizedOrder(a), // same content
    normalizedOrder({ ...b, status: 'completed', updatedAt: T2 }), // newer
    normalizedOrder({ ...c, status: 'cancelled', updatedAt: T0 }), // older: stale
    normalizedOrder(sampleOrder()), // new
  ]
  assert.deepEqual(await apply(page), { created: 1, updated: 1, unchanged: 2, failed: 0 })
  assert.equal((await store.orders.getByExternalId(tenant.id, connection.id, b.externalId))?.status, 'completed')
  assert.equal((await store.orders.getByExternalId(tenant.id, connection.id, c.externalId))?.status, 'processing')

  const again = await store.orders.getByExternalId(tenant.id, connection.id, a.externalId)
  assert.equal(again?.id, first?.id, 'an order keeps its id')
  assert.equal(again?.firstSyncedAt, first?.firstSyncedAt)
  assert.equal(await store.orders.count(tenant.id), 4)
  assert.equal(await store.orders.count(other.id), 0, 'the second tenant sees nothing')
  assert.equal(await store.orders.get(other.id, first!.id), undefined)
  assert.equal(await store.orders.getByExternalId(other.id, connection.id, a.externalId), undefined)
  assert.deepEqual(await store.orders.list(other.id), [])

  const counters = (await store.runs.get(run.id))?.counters
  assert.deepEqual(counters, { pages: 2, fetched: 7, created: 4, updated: 1, unchanged: 2, failed: 0 })
})

forEachDatabase(
  'equal timestamps with different content update; an older version never overwrites',
  async (_t, { store }) => {
    const { tenant, connection, apply } = await setUp(store)
    const order = sampleOrder({ updatedAt: T1, totalMinor: 1000 })
    await apply([normalizedOrder(order)])
    // Same second, different payload (DESIGN.md: never drop a different payload on a tie).
    assert.equal((await apply([normalizedOrder({ ...order, totalMinor: 2000 })])).updated, 1)
    assert.equal((await store.orders.getByExternalId(tenant.id, connection.id, order.externalId))?.totalMinor, 2000)
    // A late delivery of an older version.
    const counts = await apply([normalizedOrder({ ...order, totalMinor: 500, updatedAt: T0 })])
    assert.deepEqual(counts, { created: 0, updated: 0, unchanged: 1, failed: 0 })
    const stored = await store.orders.getByExternalId(tenant.id, connection.id, order.externalId)
    assert.equal(stored?.totalMinor, 2000)
    assert.equal((stored!.raw as { totalMinor: number }).totalMinor, 2000, 'raw JSON is the newest too')
  },
)

forEachDatabase('a tombstone is not resurrected by an older update, only by a newer one', async (_t, { store }) => {
  const { tenant, connection, apply } = await setUp(store)
  const order = sampleOrder({ updatedAt: T0 })
  await apply([normalizedOrder(order)])
  await apply([normalizedOrder({ ...order, updatedAt: T1, deletedAt: T1 })])
  assert.equal(await store.orders.count(tenant.id), 0, 'deleted orders are not listed')
  assert.equal(await store.orders.count(tenant.id, { includeDeleted: true }), 1)

  assert.equal((await apply([normalizedOrder({ ...order, status: 'completed', updatedAt: T0 })])).unchanged, 1)
  const tombstone = await store.orders.getByExternalId(tenant.id, connection.id, order.externalId)
  assert.equal(tombstone?.deletedAt, T1)

  assert.equal((await apply([normalizedOrder({ ...order, status: 'completed', updatedAt: T2 })])).updated, 1)
  const restored = await store.orders.getByExternalId(tenant.id, connection.id, order.externalId)
  assert.equal(restored?.deletedAt, null)
  assert.equal(restored?.status, 'completed')
})

forEachDatabase('an update replaces the order lines; money and counts come back as numbers', async (_t, db) => {
  const { store } = db
  const { tenant, connection, apply } = await setUp(store)
  const order = sampleOrder({ updatedAt: T0 })
  await apply([normalizedOrder(order)])
  const stored = await store.orders.getByExternalId(tenant.id, connection.id, order.externalId)
  assert.deepEqual(stored?.lines, order.lines)
  assert.equal(typeof stored?.totalMinor, 'number')

  const lines = [{ ...order.lines[0]!, quantity: 7, totalMinor: 7000 }]
  await apply([normalizedOrder({ ...order, lines, updatedAt: T1, totalMinor: 2 ** 40 })])
  const updated = await store.orders.get(tenant.id, stored!.id)
  assert.deepEqual(updated?.lines, lines)
  assert.equal(updated?.totalMinor, 2 ** 40, 'bigint money survives as a JS number')
  const [row] = await rawQuery(db.databaseUrl, 'select count(*) as n from order_lines where order_id = ?', [stored!.id])
  assert.equal(Number(row?.['n']), 1, 'the old lines are gone')
})

forEachDatabase('failures are kept with their raw JSON and counted; total and cursor are saved', async (_t, db) => {
  const { store } = db
  const { connection, run, apply } = await setUp(store)
  const failures = [
    { externalId: '77', rawJson: '{"id":77,"total":"abc"}', error: 'total: expected a decimal amount' },
    { externalId: null, rawJson: '{"oops":true}', error: 'id: missing' },
  ]
  const counts = await apply([normalizedOrder(sampleOrder())], {
    failures,
    cursor: { watermark: T1, resume: '{"page":2}' },
    total: 250,
  })
  assert.deepEqual(counts, { created: 1, updated: 0, unchanged: 0, failed: 2 })
  const kept = await rawQuery(
    db.databaseUrl,
    'select external_id, raw, error, run_id, stream from sync_failures where connection_id = ? order by raw',
    [connection.id],
  )
  assert.deepEqual(
    kept.map((r) => [r['external_id'], r['raw'], r['error'], r['run_id'], r['stream']]),
    [
      ['77', failures[0]!.rawJson, failures[0]!.error, run.id, 'orders'],
      [null, failures[1]!.rawJson, failures[1]!.error, run.id, 'orders'],
    ],
  )
  const state = await store.syncState.get(connection.id, 'orders')
  assert.deepEqual(state?.cursor, { watermark: T1, resume: '{"page":2}' })
  assert.equal(state?.lastRunId, run.id)
  const saved = await store.runs.get(run.id)
  assert.equal(saved?.total, 250)
  assert.deepEqual(saved?.counters, { pages: 1, fetched: 3, created: 1, updated: 0, unchanged: 0, failed: 2 })
  assert.ok(saved?.heartbeatAt, 'a page is a sign of life')
})

forEachDatabase('a page that fails mid-way moves neither records, nor cursor, nor counters', async (_t, db) => {
  const { store } = db
  const { tenant, connection, run, apply } = await setUp(store)
  await apply([normalizedOrder(sampleOrder())], { cursor: { watermark: T0, resume: 'page-1' } })
  const before = await store.runs.get(run.id)

  // The orders insert succeeds; the lines insert then violates NOT NULL, after the order rows
  // and before the failures, the cursor and the counters are written.
  const broken = sampleOrder()
  const badLines = [{ ...broken.lines[0]!, quantity: null as unknown as number }]
  const page = [normalizedOrder(sampleOrder()), normalizedOrder({ ...broken, lines: badLines })]
  await assert.rejects(
    apply(page, {
      failures: [{ externalId: '9', rawJson: '{}', error: 'bad' }],
      cursor: { watermark: T2, resume: 'page-2' },
    }),
  )

  assert.equal(await store.orders.count(tenant.id), 1)
  assert.deepEqual((await store.syncState.get(connection.id, 'orders'))?.cursor, { watermark: T0, resume: 'page-1' })
  assert.deepEqual((await store.runs.get(run.id))?.counters, before?.counters)
  const [failures] = await rawQuery(db.databaseUrl, 'select count(*) as n from sync_failures')
  assert.equal(Number(failures?.['n']), 0)
})

forEachDatabase('one external id twice in a page keeps the newest version', async (_t, { store }) => {
  const { tenant, connection, apply } = await setUp(store)
  const order = sampleOrder({ updatedAt: T0 })
  const counts = await apply([
    normalizedOrder({ ...order, status: 'completed', updatedAt: T2 }),
    normalizedOrder({ ...order, status: 'processing', updatedAt: T1 }),
  ])
  assert.deepEqual(counts, { created: 1, updated: 0, unchanged: 1, failed: 0 })
  assert.equal((await store.orders.getByExternalId(tenant.id, connection.id, order.externalId))?.status, 'completed')
})

forEachDatabase('pages larger than one statement’s parameters are chunked', async (_t, { store }) => {
  const { tenant, apply } = await setUp(store)
  // 2,500 orders × 27 columns is above SQLite's 32,766 and PostgreSQL's 65,535 parameters.
  const orders = Array.from({ length: 2500 }, () => normalizedOrder(sampleOrder()))
  assert.equal((await apply(orders)).created, 2500)
  assert.equal(await store.orders.count(tenant.id), 2500)
  assert.equal((await apply(orders)).unchanged, 2500)
})

forEachDatabase('customers go through the same merge path', async (_t, { store }) => {
  const { tenant, other, connection, run } = await setUp(store)
  const apply = (records: Normalized<Customer>[]) =>
    store.applyPage(
      {
        tenantId: tenant.id,
        connectionId: connection.id,
        stream: 'customers',
        runId: run.id,
        records,
        failures: [],
        cursor: { watermark: null, resume: null },
      },
      'customer',
    )
  const ada = sampleCustomer({ updatedAt: T1 })
  const bob = sampleCustomer({ updatedAt: null })
  assert.equal((await apply([normalizedCustomer(ada), normalizedCustomer(bob)])).created, 2)
  const counts = await apply([
    normalizedCustomer({ ...ada, phone: '+49 1' }),
    normalizedCustomer({ ...ada, phone: '+49 0', updatedAt: T0 }),
    normalizedCustomer({ ...bob, email: 'bob@new.example' }),
  ])
  assert.deepEqual(counts, { created: 0, updated: 2, unchanged: 1, failed: 0 })
  const listed = await store.customers.list(tenant.id, { connectionId: connection.id })
  assert.deepEqual(listed.map((c) => c.phone).sort(), ['+49 1', null])
  assert.equal(await store.customers.count(tenant.id), 2)
  assert.equal(await store.customers.count(other.id), 0)
  const one = await store.customers.get(tenant.id, listed[0]!.id)
  assert.equal((one!.raw as Customer).externalId, listed[0]!.externalId)
  assert.equal(await store.customers.get(other.id, listed[0]!.id), undefined)
  assert.equal(await store.syncState.get(connection.id, 'customers').then((s) => s?.cursor.watermark), null)
})

forEachDatabase('a page for a missing run is refused and leaves nothing behind', async (_t, { store }) => {
  const { tenant, connection } = await setUp(store)
  await assert.rejects(
    store.applyPage(
      {
        tenantId: tenant.id,
        connectionId: connection.id,
        stream: 'orders',
        runId: 'no-such-run',
        records: [normalizedOrder(sampleOrder())],
        failures: [],
        cursor: { watermark: T1, resume: null },
      },
      'order',
    ),
    { code: 'not_found' },
  )
  assert.equal(await store.orders.count(tenant.id), 0)
  assert.equal(await store.syncState.get(connection.id, 'orders'), undefined)
})

import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { forEachDatabase, rawQuery } from '../../../../test/helpers/databases.ts'
import {
  newManualRun,
  newTenant,
  newWooConnection,
  normalizedOrder,
  sampleOrder,
} from '../../../../test/helpers/factories.ts'
import { openStore } from '../open-store.ts'

const credentials = { url: 'https://shop.example.com', key: 'ck_live_4f3a', secret: 'cs_live_9b2e' }

forEachDatabase('credentials are encrypted at rest and decrypt only through getWithCredentials', async (_t, db) => {
  const { store, databaseUrl } = db
  const tenant = await newTenant(store)
  const connection = await newWooConnection(store, tenant.id, credentials)

  const [row] = await rawQuery(databaseUrl, 'select credentials from connections where id = ?', [connection.id])
  const stored = String(row?.['credentials'])
  assert.match(stored, /^v1:/)
  assert.doesNotMatch(stored, /ck_live_4f3a|cs_live_9b2e/)

  assert.equal('credentials' in connection, false)
  assert.equal('credentials' in (await store.connections.get(connection.id))!, false)
  assert.equal('credentials' in (await store.connections.list(tenant.id))[0]!, false)
  const full = await store.connections.getWithCredentials(connection.id, tenant.id)
  assert.deepEqual(full?.credentials, { key: 'ck_live_4f3a', secret: 'cs_live_9b2e' })

  await store.connections.update(connection.id, tenant.id, { credentials: { key: 'ck_2', secret: 'cs_2' } })
  const [rotated] = await rawQuery(databaseUrl, 'select credentials from connections where id = ?', [connection.id])
  assert.doesNotMatch(String(rotated?.['credentials']), /cs_2/)
  assert.deepEqual((await store.connections.getWithCredentials(connection.id))?.credentials, {
    key: 'ck_2',
    secret: 'cs_2',
  })
})

forEachDatabase('another secret key fails clearly, naming TRIBUTARY_SECRET_KEY', async (t, db) => {
  const tenant = await newTenant(db.store)
  const connection = await newWooConnection(db.store, tenant.id, credentials)
  const other = await openStore({ databaseUrl: db.databaseUrl, secretKey: randomBytes(32) })
  t.after(() => other.close())
  assert.equal((await other.connections.get(connection.id))?.name, connection.name, 'the rest stays readable')
  await assert.rejects(other.connections.getWithCredentials(connection.id), (error: Error & { code?: string }) => {
    assert.equal(error.code, 'secret_key_mismatch')
    assert.match(error.message, /TRIBUTARY_SECRET_KEY/)
    return true
  })
})

forEachDatabase('a second tenant sees none of the first tenant’s connections', async (_t, { store }) => {
  const [tenant, other] = [await newTenant(store), await newTenant(store)]
  const connection = await newWooConnection(store, tenant.id, credentials)
  assert.equal(await store.connections.get(connection.id, other.id), undefined)
  assert.equal(await store.connections.getWithCredentials(connection.id, other.id), undefined)
  assert.deepEqual(await store.connections.list(other.id), [])
  assert.equal(await store.connections.update(connection.id, other.id, { name: 'hijacked' }), undefined)
  assert.equal(await store.connections.delete(connection.id, other.id), false)
  assert.equal((await store.connections.get(connection.id, tenant.id))?.name, connection.name)
  assert.deepEqual(
    (await store.connections.list()).map((c) => c.id),
    [connection.id],
    'without a tenant (admin, engine) every connection is listed',
  )
})

forEachDatabase('update patches settings and status; delete removes the connection with its data', async (_t, db) => {
  const { store } = db
  const tenant = await newTenant(store)
  const connection = await newWooConnection(store, tenant.id, credentials)
  const paused = await store.connections.update(connection.id, tenant.id, {
    status: 'paused',
    settings: { ...connection.settings, intervalMs: 60_000 },
  })
  assert.equal(paused?.status, 'paused')
  assert.equal(paused?.settings.intervalMs, 60_000)
  assert.deepEqual(paused?.settings.streams, ['orders', 'customers'])

  const run = await newManualRun(store, connection)
  await store.applyPage(
    {
      tenantId: tenant.id,
      connectionId: connection.id,
      stream: 'orders',
      runId: run.id,
      records: [normalizedOrder(sampleOrder())],
      failures: [{ externalId: 'x', rawJson: '{}', error: 'bad' }],
      cursor: { watermark: null, resume: null },
    },
    'order',
  )
  assert.equal(await store.connections.delete(connection.id, tenant.id), true)
  assert.equal(await store.connections.get(connection.id), undefined)
  for (const table of ['orders', 'order_lines', 'sync_runs', 'sync_state', 'sync_failures']) {
    const [row] = await rawQuery(db.databaseUrl, `select count(*) as n from ${table}`)
    assert.equal(Number(row?.['n']), 0, `${table} is emptied with its connection`)
  }
})

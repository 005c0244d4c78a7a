import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { test } from 'node:test'
import { forEachDatabase, rawQuery } from '../../../test/helpers/databases.ts'
import { newManualRun, newTenant, newWooConnection } from '../../../test/helpers/factories.ts'
import { ConflictError } from '../../domain/errors.ts'
import { migrationNames } from './migrations/migrations.ts'
import { openStore } from './open-store.ts'

forEachDatabase('migrations apply once; a second migrate is a no-op', async (t, db) => {
  assert.equal(await db.store.isMigrated(), true)
  assert.deepEqual(await db.store.migrate(), [])
  // A database that was never migrated (migrate: false) says so, then migrates to every name.
  if (db.dialect === 'sqlite') {
    const dir = mkdtempSync(path.join(tmpdir(), 'tributary-migrate-'))
    t.after(() => rmSync(dir, { recursive: true, force: true }))
    const fresh = await openStore({ databaseUrl: `sqlite:${dir}/fresh.db`, secretKey: db.secretKey, migrate: false })
    t.after(() => fresh.close())
    assert.equal(await fresh.isMigrated(), false)
    assert.deepEqual(await fresh.migrate(), migrationNames())
    assert.equal(await fresh.isMigrated(), true)
    assert.deepEqual(await fresh.migrate(), [])
  }
  const tables = await rawQuery(
    db.databaseUrl,
    db.dialect === 'sqlite'
      ? "select name from sqlite_master where type = 'table' order by name"
      : "select tablename as name from pg_tables where schemaname = 'public' order by tablename",
  )
  for (const table of [
    'connections',
    'customers',
    'jobs',
    'order_lines',
    'orders',
    'outbox',
    'sync_failures',
    'sync_runs',
    'sync_state',
    'tenants',
  ]) {
    assert.ok(
      tables.some((row) => row['name'] === table),
      `table ${table}`,
    )
  }
  const columns = await rawQuery(db.databaseUrl, 'select pending_status from orders')
  assert.deepEqual(columns, [])
})

test('a SQLite store creates its directory, its journal is WAL and its pages are 16 KB', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tributary-dir-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  const file = path.join(dir, 'nested', 'deeper', 'tributary.db')
  const store = await openStore({ databaseUrl: `sqlite:${file}`, secretKey: randomBytes(32) })
  t.after(() => store.close())
  assert.ok(existsSync(file))
  const [mode] = await rawQuery(`sqlite:${file}`, 'pragma journal_mode')
  assert.equal(mode?.['journal_mode'], 'wal')
  const [size] = await rawQuery(`sqlite:${file}`, 'pragma page_size')
  assert.equal(size?.['page_size'], 16_384)
  assert.equal(store.dialect, 'sqlite')
})

test('an unusable key or database is refused with a clear error', async () => {
  await assert.rejects(openStore({ databaseUrl: 'sqlite::memory:', secretKey: randomBytes(16) }), {
    code: 'invalid_secret_key',
    message: /TRIBUTARY_SECRET_KEY/,
  })
  await assert.rejects(openStore({ databaseUrl: 'postgres://nobody@127.0.0.1:1/none', secretKey: randomBytes(32) }), {
    code: 'database_unavailable',
  })
  const memory = await openStore({ databaseUrl: 'sqlite::memory:', secretKey: randomBytes(32) })
  assert.equal(await memory.isMigrated(), true)
  await memory.close()
  await memory.close()
})

forEachDatabase('tenants: unique names, lookups by id and name', async (_t, { store }) => {
  const acme = await store.tenants.create('acme')
  await assert.rejects(store.tenants.create('acme'), (error) => error instanceof ConflictError)
  const globex = await store.tenants.create('globex')
  assert.deepEqual(await store.tenants.get(acme.id), acme)
  assert.deepEqual(await store.tenants.getByName('globex'), globex)
  assert.equal(await store.tenants.get('nope'), undefined)
  assert.deepEqual(
    (await store.tenants.list()).map((tenant) => tenant.name),
    ['acme', 'globex'],
  )
})

forEachDatabase('a transaction commits or rolls back as one; nested calls join it', async (_t, { store }) => {
  await assert.rejects(
    store.transaction(async (tx) => {
      await tx.tenants.create('rolled-back')
      await tx.transaction(async (inner) => {
        await inner.tenants.create('inner-rolled-back')
      })
      throw new Error('boom')
    }),
    /boom/,
  )
  assert.deepEqual(await store.tenants.list(), [])

  let outside: Promise<unknown[]> | undefined
  const created = await store.transaction(async (tx) => {
    const tenant = await tx.tenants.create('kept')
    // Another caller on the root store meanwhile: on SQLite it waits for the transaction (one
    // connection), on PostgreSQL it runs beside it. Never awaited in here: that would deadlock SQLite.
    outside = store.tenants.list()
    return tx.transaction(async (inner) => inner.tenants.get(tenant.id))
  })
  assert.ok(Array.isArray(await outside))
  assert.equal(created?.name, 'kept')
  assert.equal((await store.tenants.list()).length, 1)
})

/** Each reading is 1 ms after the last: runs created back to back get distinct queued_at, so their
 * list order is defined (UUID v7 ids made within one millisecond are not ordered). */
function steadyClock(): () => number {
  let now = Date.now()
  return () => ++now
}

forEachDatabase(
  'runs: create, progress, finish, list filters and stale detection',
  async (_t, { store }) => {
    const [tenant, other] = [await newTenant(store), await newTenant(store)]
    const connection = await newWooConnection(store, tenant.id, { url: 'https://a.test', key: 'k', secret: 's' })
    const base = {
      tenantId: tenant.id,
      connectionId: connection.id,
      jobId: 'job-1',
      trigger: 'manual' as const,
      options: { days: 3 },
    }
    const first = await store.runs.create({ ...base, stream: 'orders', attempt: 1 })
    const second = await store.runs.create({ ...base, stream: 'orders', attempt: 2, status: 'queued' })
    const customers = await store.runs.create({ ...base, stream: 'customers', jobId: 'job-2', attempt: 1 })
    assert.equal(first.status, 'queued')
    assert.deepEqual(first.counters, { pages: 0, fetched: 0, created: 0, updated: 0, unchanged: 0, failed: 0 })
    assert.deepEqual(first.options, { days: 3 })
    assert.deepEqual(await store.runs.get(first.id), first)
    assert.equal(await store.runs.get(first.id, other.id), undefined)
    assert.equal((await store.runs.latestForJob('job-1'))?.id, second.id)

    await store.runs.markRunning(second.id, '2025-06-01T10:00:00.000Z')
    await store.runs.markRunning(customers.id, '2025-06-01T10:00:00.000Z')
    await store.runs.heartbeat(customers.id, '2025-06-01T10:05:00.000Z')
    assert.deepEqual(
      (await store.runs.listStale('2025-06-01T10:01:00.000Z')).map((run) => run.id),
      [second.id],
    )
    await store.runs.finish(second.id, 'failed', '2025-06-01T10:02:00.000Z', {
      code: 'provider_timeout',
      message: 'timed out',
    })
    const failed = await store.runs.get(second.id)
    assert.equal(failed?.status, 'failed')
    assert.equal(failed?.errorCode, 'provider_timeout')
    assert.equal(failed?.finishedAt, '2025-06-01T10:02:00.000Z')
    assert.deepEqual(await store.runs.listStale('2025-06-01T10:01:00.000Z'), [])

    const ids = (runs: { id: string }[]) => runs.map((run) => run.id)
    assert.deepEqual(ids(await store.runs.list({ connectionId: connection.id })), [customers.id, second.id, first.id])
    assert.deepEqual(ids(await store.runs.list({ connectionId: connection.id, stream: 'orders', limit: 1 })), [
      second.id,
    ])
    assert.deepEqual(ids(await store.runs.list({ tenantId: tenant.id, statuses: ['running'] })), [customers.id])
    assert.deepEqual(await store.runs.list({ tenantId: other.id }), [])
    assert.deepEqual(await store.runs.list({ statuses: [] }), [])
  },
  { clock: steadyClock() },
)

forEachDatabase('sync state: cursors replace, success is recorded beside them', async (_t, { store }) => {
  const tenant = await newTenant(store)
  const connection = await newWooConnection(store, tenant.id, { url: 'https://a.test', key: 'k', secret: 's' })
  assert.equal(await store.syncState.get(connection.id, 'orders'), undefined)
  await store.syncState.saveCursor(
    connection.id,
    'orders',
    { watermark: '2025-06-01T00:00:00.000Z', resume: 'p2' },
    'r1',
  )
  await store.syncState.markSuccess(connection.id, 'orders', 'r1', '2025-06-01T01:00:00.000Z')
  await store.syncState.saveCursor(
    connection.id,
    'orders',
    { watermark: '2025-06-02T00:00:00.000Z', resume: null },
    null,
  )
  await store.syncState.markSuccess(connection.id, 'customers', 'r2', '2025-06-01T02:00:00.000Z')
  const orders = await store.syncState.get(connection.id, 'orders')
  assert.deepEqual(orders?.cursor, { watermark: '2025-06-02T00:00:00.000Z', resume: null })
  assert.equal(orders?.lastRunId, null)
  assert.equal(orders?.lastSuccessAt, '2025-06-01T01:00:00.000Z')
  const all = await store.syncState.list(connection.id)
  assert.deepEqual(
    all.map((state) => [state.stream, state.cursor.watermark, state.lastSuccessAt]),
    [
      ['customers', null, '2025-06-01T02:00:00.000Z'],
      ['orders', '2025-06-02T00:00:00.000Z', '2025-06-01T01:00:00.000Z'],
    ],
  )
})

forEachDatabase(
  'every timestamp the store writes comes from its clock',
  async (_t, { store }) => {
    const tenant = await newTenant(store)
    const connection = await newWooConnection(store, tenant.id, { url: 'https://a.test', key: 'k', secret: 's' })
    const run = await newManualRun(store, connection)
    const { job } = await store.jobs.enqueue({ kind: 'k', tenantId: null, payload: {} })
    for (const value of [
      tenant.createdAt,
      connection.createdAt,
      connection.updatedAt,
      run.queuedAt,
      job.createdAt,
      job.runAfter,
    ]) {
      assert.equal(value, '2030-01-02T03:04:05.000Z')
    }
  },
  { clock: () => Date.parse('2030-01-02T03:04:05.000Z') },
)

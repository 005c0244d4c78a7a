import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { CompiledQuery, Kysely } from 'kysely'
import { executeBatch, rootScope } from '../scope.ts'
import { NodeSqliteDialect, SQLITE_MAX_PARAMETERS } from './sqlite.ts'

function tempFile(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'tributary-sqlite-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  return path.join(dir, 'test.db')
}

function open(file: string): Kysely<any> {
  return new Kysely<any>({ dialect: new NodeSqliteDialect({ path: file }) })
}

const raw = (db: Kysely<any>, sql: string, parameters: unknown[] = []) =>
  db.executeQuery<Record<string, unknown>>(CompiledQuery.raw(sql, parameters))

test('statements run on the SQLite thread: rows, affected counts and insert ids come back', async (t) => {
  const db = open(tempFile(t))
  t.after(() => db.destroy())
  await raw(db, 'create table t (id integer primary key, name text not null unique, data blob)')
  const inserted = await raw(db, 'insert into t (name, data) values (?, ?), (?, ?)', [
    'a',
    Buffer.from([1, 2]),
    'b',
    null,
  ])
  assert.equal(inserted.numAffectedRows, 2n)
  assert.equal(inserted.insertId, 2n)
  const { rows } = await raw(db, 'select id, name, data from t order by id')
  assert.deepEqual(
    rows.map((row) => ({ ...row, data: row['data'] === null ? null : [...(row['data'] as Uint8Array)] })),
    [
      { id: 1, name: 'a', data: [1, 2] },
      { id: 2, name: 'b', data: null },
    ],
  )
  const [returned] = (await raw(db, 'update t set name = ? where id = ? returning name', ['c', 2])).rows
  assert.deepEqual({ ...returned }, { name: 'c' })
})

test("SQLite's errors arrive with node:sqlite's code, errcode and message; the connection stays usable", async (t) => {
  const db = open(tempFile(t))
  t.after(() => db.destroy())
  await raw(db, 'create table t (name text not null unique)')
  await raw(db, 'insert into t (name) values (?)', ['a'])
  await assert.rejects(raw(db, 'insert into t (name) values (?)', ['a']), (error: Error & Record<string, unknown>) => {
    assert.equal(error.code, 'ERR_SQLITE_ERROR')
    assert.equal(error.errcode, 2067) // SQLITE_CONSTRAINT_UNIQUE
    assert.match(error.message, /UNIQUE constraint failed: t\.name/)
    return true
  })
  await assert.rejects(raw(db, 'select nope from t'), /no such column: nope/)
  assert.equal((await raw(db, 'select count(*) as n from t')).rows[0]?.['n'], 1)
})

test('a batch runs in order in one round trip; a failing statement stops it and its transaction rolls back', async (t) => {
  const db = open(tempFile(t))
  t.after(() => db.destroy())
  const context = {
    dialect: 'sqlite' as const,
    secretKey: Buffer.alloc(32),
    clock: Date.now,
    maxParameters: SQLITE_MAX_PARAMETERS,
  }
  const scope = rootScope(db, context)
  await raw(db, 'create table t (name text not null unique)')

  const results = await executeBatch(scope, [
    { sql: 'insert into t (name) values (?), (?)', parameters: ['a', 'b'] },
    { sql: 'update t set name = name || ? where name = ?', parameters: ['!', 'a'] },
    { sql: 'select name from t order by name', parameters: [] },
  ])
  assert.deepEqual(
    results.map((result) => ({ affected: result.affected, rows: result.rows.map((row) => ({ ...(row as object) })) })),
    [
      { affected: 2, rows: [] },
      { affected: 1, rows: [] },
      { affected: 0, rows: [{ name: 'a!' }, { name: 'b' }] },
    ],
  )

  await assert.rejects(
    scope.transaction((tx) =>
      executeBatch(tx, [
        { sql: 'insert into t (name) values (?)', parameters: ['c'] },
        { sql: 'insert into t (name) values (?)', parameters: ['b'] },
        { sql: 'insert into t (name) values (?)', parameters: ['d'] },
      ]),
    ),
    /UNIQUE constraint failed/,
  )
  const names = (await raw(db, 'select name from t order by name')).rows.map((row) => row['name'])
  assert.deepEqual(names, ['a!', 'b'], 'nothing of the failed batch stayed')
})

test('BEGIN travels with the first statement: a failing first statement still rolls back, an empty transaction is fine', async (t) => {
  const db = open(tempFile(t))
  t.after(() => db.destroy())
  await raw(db, 'create table t (name text not null unique)')
  await raw(db, "insert into t (name) values ('a')")

  // The transaction's first statement fails after its BEGIN ran: it must be rolled back, or the
  // next transaction would fail with "cannot start a transaction within a transaction".
  await assert.rejects(
    db.transaction().execute((tx) => raw(tx, "insert into t (name) values ('a')")),
    /UNIQUE constraint failed/,
  )
  await assert.rejects(
    db.transaction().execute(async (tx) => {
      await raw(tx, "insert into t (name) values ('b')")
      await raw(tx, "insert into t (name) values ('a')")
    }),
    /UNIQUE constraint failed/,
  )
  await db.transaction().execute(async () => {})
  await db.transaction().execute((tx) => raw(tx, "insert into t (name) values ('c')"))
  const names = (await raw(db, 'select name from t order by name')).rows.map((row) => row['name'])
  assert.deepEqual(names, ['a', 'c'])
  const [state] = (await raw(db, 'select 1 as ok')).rows
  assert.equal(state?.['ok'], 1)
})

test('two stores on one file share its connection: a transaction of one makes the other wait, not fail', async (t) => {
  const file = tempFile(t)
  const first = open(file)
  const second = open(file)
  t.after(async () => {
    await first.destroy()
    await second.destroy()
  })
  await raw(first, 'create table t (n integer not null)')
  let release!: () => void
  const held = new Promise<void>((resolve) => {
    release = resolve
  })
  const transaction = first.transaction().execute(async (tx) => {
    await raw(tx, 'insert into t (n) values (1)')
    await held
    await raw(tx, 'insert into t (n) values (2)')
  })
  const waiting = raw(second, 'insert into t (n) values (3)')
  await new Promise((resolve) => setTimeout(resolve, 50))
  release()
  await Promise.all([transaction, waiting])
  const { rows } = await raw(second, 'select n from t order by rowid')
  assert.deepEqual(
    rows.map((row) => row['n']),
    [1, 2, 3],
  )
})

test('a database that cannot be opened is refused with the path and the reason', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tributary-sqlite-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  const file = path.join(dir, 'missing', 'dir', 'x.db')
  const db = open(file)
  await assert.rejects(raw(db, 'select 1'), { message: `SQLite could not open ${file}: unable to open database file` })
  await db.destroy()
})

test('a store left open does not keep its process alive, and one mid-query does', async () => {
  const dialect = new URL('./sqlite.ts', import.meta.url).href
  const child = `
    const { Kysely, CompiledQuery } = await import('kysely')
    const { NodeSqliteDialect } = await import(${JSON.stringify(dialect)})
    const db = new Kysely({ dialect: new NodeSqliteDialect({ path: ':memory:' }) })
    // With a recursive CTE this query takes a while on the thread; the process must wait for it.
    const { rows } = await db.executeQuery(CompiledQuery.raw(
      'with recursive c(n) as (select 1 union all select n + 1 from c where n < 300000) select count(*) as n from c'))
    process.stdout.write(String(rows[0].n))
  `
  const process_ = spawn(process.execPath, ['--input-type=module', '-e', child], {
    cwd: fileURLToPath(new URL('../../../..', import.meta.url)),
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  let output = ''
  process_.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk
  })
  // Generous: this detects a hang (the open store holding the process), it does not time anything.
  const timer = setTimeout(() => process_.kill(), 30_000)
  const code = await new Promise<number | null>((resolve) => process_.once('exit', resolve))
  clearTimeout(timer)
  assert.equal(code, 0)
  assert.equal(output, '300000')
})

import { createHash, randomBytes, randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { type TestContext, test } from 'node:test'
import pg from 'pg'
import { MIGRATIONS } from '../../src/store/kysely/migrations/migrations.ts'
import { openStore, parseDatabaseUrl } from '../../src/store/kysely/open-store.ts'
import type { Store } from '../../src/store/store.ts'

/**
 * Real databases for tests (STYLE.md §5): a fresh SQLite file in a fresh temp directory, and a
 * fresh PostgreSQL database cloned from a migrated template. A passing test removes its database;
 * a failing one leaves it and prints where it is.
 */
export type Dialect = 'sqlite' | 'postgres'
export const DIALECTS: readonly Dialect[] = ['sqlite', 'postgres']

export interface TestDatabase {
  readonly store: Store
  readonly dialect: Dialect
  /** For a second store or a child process on the same database. */
  readonly databaseUrl: string
  readonly secretKey: Buffer
}

export interface ForEachDatabaseOptions {
  /** The store's clock (default Date.now). */
  readonly clock?: () => number
  /** node:test timeout per dialect variant, in ms. */
  readonly timeout?: number
  /** Only these dialects (default both). */
  readonly dialects?: readonly Dialect[]
}

export function pgTestUrl(): string {
  return process.env['TRIBUTARY_TEST_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test'
}

/** CI sets TRIBUTARY_REQUIRE_PG=1: an unreachable PostgreSQL is then a failure, never a skip. */
export function isPostgresRequired(): boolean {
  return process.env['TRIBUTARY_REQUIRE_PG'] === '1'
}

/**
 * Registers `${name} [sqlite]` and `${name} [postgres]`, each running fn on a fresh, migrated
 * database. The [postgres] variant skips, saying why, when PostgreSQL is unreachable (fails
 * under TRIBUTARY_REQUIRE_PG=1).
 */
export function forEachDatabase(
  name: string,
  fn: (t: TestContext, db: TestDatabase) => Promise<void>,
  options: ForEachDatabaseOptions = {},
): void {
  for (const dialect of options.dialects ?? DIALECTS) {
    test(`${name} [${dialect}]`, { timeout: options.timeout }, async (t) => {
      if (dialect === 'postgres') {
        const unreachable = await postgresUnreachable()
        if (unreachable !== undefined) {
          const message = `PostgreSQL unreachable at ${describeUrl(pgTestUrl())}: ${unreachable}`
          if (isPostgresRequired()) throw new Error(`${message} (TRIBUTARY_REQUIRE_PG=1)`)
          t.skip(message)
          return
        }
      }
      const db = await newTestStore(dialect, options.clock ? { clock: options.clock } : {})
      let passed = false
      try {
        await fn(t, db)
        passed = true
      } finally {
        await db.dispose(passed, (message) => t.diagnostic(message))
      }
    })
  }
}

export interface TestStore extends TestDatabase {
  /** Closes the store; removes the database when `passed`, else reports where it was left. */
  dispose(passed: boolean, report?: (message: string) => void): Promise<void>
}

/** A fresh, migrated database and a store on it, outside forEachDatabase (for custom set-ups). */
export async function newTestStore(dialect: Dialect, options: { clock?: () => number } = {}): Promise<TestStore> {
  const secretKey = randomBytes(32)
  const database = dialect === 'sqlite' ? newSqliteDatabase() : await newPostgresDatabase()
  let store: Store
  try {
    store = await openStore({ databaseUrl: database.url, secretKey, ...options })
  } catch (error) {
    await database.drop()
    throw error
  }
  return {
    store,
    dialect,
    databaseUrl: database.url,
    secretKey,
    async dispose(passed, report = console.error) {
      await store.close()
      if (passed) await database.drop()
      else report(`test database kept for inspection: ${describeUrl(database.url)}`)
    },
  }
}

interface Database {
  readonly url: string
  drop(): Promise<void>
}

function newSqliteDatabase(): Database {
  const dir = mkdtempSync(path.join(tmpdir(), 'tributary-test-'))
  return {
    url: `sqlite:${path.join(dir, 'tributary.db')}`,
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  }
}

let reachability: Promise<string | undefined> | undefined

/** undefined when PostgreSQL answers, else why not. Asked once per process. */
export function postgresUnreachable(): Promise<string | undefined> {
  reachability ??= (async () => {
    const client = new pg.Client({ connectionString: pgTestUrl(), connectionTimeoutMillis: 3000 })
    try {
      await client.connect()
      await client.query('select 1')
      return undefined
    } catch (error) {
      return (error as Error).message || String(error)
    } finally {
      await client.end().catch(() => {})
    }
  })()
  return reachability
}

let template: Promise<string> | undefined

/**
 * A new database cloned from the template of the current migration set. Cloning a migrated
 * template is far faster than migrating each test's database (graphile-worker, immich).
 */
async function newPostgresDatabase(): Promise<Database> {
  template ??= ensureTemplate()
  const templateName = await template
  const name = `tributary_test_${randomUUID().replace(/-/g, '').slice(0, 16)}`
  await withAdmin(async (admin) => {
    // CREATE DATABASE refuses while anything else is connected to the template; that is brief
    // (another process creating it), so retry.
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`create database ${name} template ${templateName}`)
        return
      } catch (error) {
        if (attempt >= 50 || !/being accessed by other users/.test((error as Error).message)) throw error
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
    }
  })
  return {
    url: databaseUrlFor(name),
    drop: () => withAdmin((admin) => admin.query(`drop database if exists ${name} with (force)`)).then(() => {}),
  }
}

/**
 * Creates `tributary_tpl_<hash of the migrations>` once. The hash covers each migration's
 * source, so editing a migration (while it is unreleased) makes a new template. Test files run in parallel
 * processes, so creation is guarded by an advisory lock, and the template is migrated under a
 * temporary name and renamed at the end: a crash never leaves a half-migrated template behind.
 */
async function ensureTemplate(): Promise<string> {
  const hash = createHash('sha1')
  for (const [name, migration] of Object.entries(MIGRATIONS))
    hash.update(`${name}\n${migration.up}\n${migration.down}\n`)
  const name = `tributary_tpl_${hash.digest('hex').slice(0, 12)}`
  await withAdmin(async (admin) => {
    await admin.query('select pg_advisory_lock(hashtext($1))', [name])
    try {
      const { rowCount } = await admin.query('select 1 from pg_database where datname = $1', [name])
      if (rowCount) return
      const building = `${name}_building`
      await admin.query(`drop database if exists ${building} with (force)`)
      await admin.query(`create database ${building}`)
      const store = await openStore({ databaseUrl: databaseUrlFor(building), secretKey: randomBytes(32) })
      await store.close()
      await admin.query(`alter database ${building} rename to ${name}`)
    } finally {
      await admin.query('select pg_advisory_unlock(hashtext($1))', [name])
    }
  })
  return name
}

async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: pgTestUrl() })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

function databaseUrlFor(database: string): string {
  const url = new URL(pgTestUrl())
  url.pathname = `/${database}`
  return url.toString()
}

function describeUrl(url: string): string {
  return url.replace(/(postgres(?:ql)?:\/\/[^:/@]+):[^@]*@/, '$1:***@')
}

/**
 * Reads the database behind the store's back, for asserting what is really stored (e.g. that a
 * column holds no plaintext). `?` placeholders on both dialects.
 */
export async function rawQuery(
  databaseUrl: string,
  sqlText: string,
  parameters: unknown[] = [],
): Promise<Record<string, unknown>[]> {
  const location = parseDatabaseUrl(databaseUrl)
  if (location.dialect === 'sqlite') {
    const db = new DatabaseSync(location.path, { readOnly: true })
    try {
      return db
        .prepare(sqlText)
        .all(...(parameters as string[]))
        .map((row) => ({ ...row }))
    } finally {
      db.close()
    }
  }
  const client = new pg.Client({ connectionString: location.connectionString })
  await client.connect()
  try {
    let n = 0
    return (
      await client.query(
        sqlText.replace(/\?/g, () => `$${++n}`),
        parameters,
      )
    ).rows
  } finally {
    await client.end()
  }
}

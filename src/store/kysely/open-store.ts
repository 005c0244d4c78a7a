import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { Kysely } from 'kysely'
import { AppError, ValidationError } from '../../domain/errors.ts'
import type { Store } from '../store.ts'
import { NodeSqliteDialect, SQLITE_MAX_PARAMETERS } from './dialects/sqlite.ts'
import { KyselyStore } from './kysely-store.ts'
import type { Database } from './schema.ts'
import type { StoreContext } from './scope.ts'

export interface OpenStoreOptions {
  /** `sqlite:<path>`, `sqlite::memory:`, or `postgres://…` / `postgresql://…`. */
  readonly databaseUrl: string
  /** 32 bytes: the AES-256-GCM key that seals connection credentials. */
  readonly secretKey: Buffer
  /** Milliseconds since the epoch for every timestamp the store writes (tests inject one). */
  readonly clock?: () => number
  /** Apply pending migrations before returning (default true). */
  readonly migrate?: boolean
}

export type DatabaseLocation =
  | { readonly dialect: 'sqlite'; readonly path: string }
  | { readonly dialect: 'postgres'; readonly connectionString: string }

const EXPECTED = 'expected sqlite:<path> (or sqlite::memory:) or postgres://user@host:5432/database'

/** Reads a database URL; a bad one is a ValidationError naming TRIBUTARY_DATABASE_URL (never echoing it). */
export function parseDatabaseUrl(databaseUrl: string): DatabaseLocation {
  const fail = (why: string) =>
    new ValidationError(
      `TRIBUTARY_DATABASE_URL: ${why}; ${EXPECTED}`,
      [{ path: 'TRIBUTARY_DATABASE_URL', message: EXPECTED }],
      'invalid_database_url',
    )
  const url = databaseUrl.trim()
  if (/^sqlite:/i.test(url)) {
    let file = url.slice('sqlite:'.length)
    // sqlite:///abs/path.db and sqlite://relative.db are common spellings of the same thing.
    if (file.startsWith('//')) file = file.slice(2)
    if (file === '') throw fail('the SQLite path is empty')
    return { dialect: 'sqlite', path: file === ':memory:' ? file : path.resolve(file) }
  }
  if (/^postgres(ql)?:\/\//i.test(url)) {
    try {
      const parsed = new URL(url)
      if (!parsed.hostname) throw new Error('no host')
    } catch {
      throw fail('not a valid PostgreSQL URL')
    }
    return { dialect: 'postgres', connectionString: url }
  }
  throw fail('unsupported database URL')
}

/**
 * Opens the store the URL names: SQLite through node:sqlite (creating the file's directory) or
 * PostgreSQL through a pg pool; applies pending migrations unless `migrate: false`.
 */
export async function openStore(options: OpenStoreOptions): Promise<Store> {
  const location = parseDatabaseUrl(options.databaseUrl)
  if (options.secretKey.length !== 32) {
    throw new ValidationError(
      `TRIBUTARY_SECRET_KEY: expected 32 bytes, got ${options.secretKey.length}`,
      [{ path: 'TRIBUTARY_SECRET_KEY', message: 'expected 32 bytes' }],
      'invalid_secret_key',
    )
  }
  const base = { secretKey: options.secretKey, clock: options.clock ?? Date.now }
  let db: Kysely<Database>
  let context: StoreContext
  if (location.dialect === 'sqlite') {
    if (location.path !== ':memory:') mkdirSync(path.dirname(location.path), { recursive: true })
    db = new Kysely<Database>({ dialect: new NodeSqliteDialect({ path: location.path }) })
    context = Object.freeze({
      ...base,
      dialect: 'sqlite',
      maxParameters: SQLITE_MAX_PARAMETERS,
    })
  } else {
    // Loaded only here: an embedded (SQLite) process never pays pg's memory.
    const { createPostgresDialect, POSTGRES_MAX_PARAMETERS } = await import('./dialects/postgres.ts')
    db = new Kysely<Database>({
      dialect: createPostgresDialect({ connectionString: location.connectionString }).dialect,
    })
    context = Object.freeze({
      ...base,
      dialect: 'postgres',
      maxParameters: POSTGRES_MAX_PARAMETERS,
    })
  }
  const store = KyselyStore.open(db, context)
  try {
    if (options.migrate ?? true) await store.migrate()
  } catch (error) {
    await store.close()
    throw new AppError(
      'database_unavailable',
      `could not open or migrate the ${location.dialect} database: ${describe(error)}`,
      {
        cause: error,
      },
    )
  }
  return store
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message || error.name
  return String(error)
}

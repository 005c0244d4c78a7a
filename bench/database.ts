import { rmSync } from 'node:fs'
import path from 'node:path'
import pg from 'pg'
import { defaultSettings } from '../src/engine/connections.ts'
import { openStore } from '../src/store/kysely/open-store.ts'
import type { Workspace } from './workspace.ts'

export type DatabaseKind = 'sqlite' | 'postgres'

/** A fresh, migrated, empty database for one measured job; drop() removes it. */
export interface BenchDatabase {
  readonly kind: DatabaseKind
  readonly url: string
  drop(): Promise<void>
}

/** The dialect scenario 1 runs on: PostgreSQL when TRIBUTARY_DATABASE_URL says so, else SQLite. */
export function backfillDatabaseKind(env: NodeJS.ProcessEnv = process.env): DatabaseKind {
  return /^postgres(ql)?:\/\//.test(env['TRIBUTARY_DATABASE_URL'] ?? '') ? 'postgres' : 'sqlite'
}

export async function freshDatabase(workspace: Workspace, kind: DatabaseKind, label: string): Promise<BenchDatabase> {
  const name = workspace.nextDatabaseName(label)
  const database = kind === 'sqlite' ? freshSqlite(workspace, name) : await freshPostgres(name)
  const store = await openStore({ databaseUrl: database.url, secretKey: workspace.secretKey, migrate: true })
  await store.close()
  return database
}

function freshSqlite(workspace: Workspace, name: string): BenchDatabase {
  const file = path.join(workspace.dir, `${name}.db`)
  return {
    kind: 'sqlite',
    url: `sqlite:${file}`,
    drop: async () => {
      for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${file}${suffix}`, { force: true })
    },
  }
}

/** CREATE DATABASE next to the one TRIBUTARY_DATABASE_URL names (which is never written to). */
async function freshPostgres(name: string): Promise<BenchDatabase> {
  const base = process.env['TRIBUTARY_DATABASE_URL']!
  await adminQuery(base, `CREATE DATABASE "${name}"`)
  const url = new URL(base)
  url.pathname = `/${name}`
  return {
    kind: 'postgres',
    url: url.toString(),
    drop: () => adminQuery(base, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  }
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query(sql)
  } finally {
    await client.end()
  }
}

/** Creates the bench tenant and a WooCommerce orders connection to a simulator; returns its id. */
export async function seedConnection(
  workspace: Workspace,
  database: BenchDatabase,
  simulator: { url: string; credentials: { key: string; secret: string } },
  rateLimitPerSec: number,
): Promise<string> {
  const store = await openStore({ databaseUrl: database.url, secretKey: workspace.secretKey, migrate: false })
  try {
    const tenant = await store.tenants.create('bench')
    const connection = await store.connections.create({
      tenantId: tenant.id,
      provider: 'woocommerce',
      name: 'bench',
      endpoint: simulator.url,
      credentials: { key: simulator.credentials.key, secret: simulator.credentials.secret },
      settings: { ...defaultSettings('woocommerce', ['orders']), intervalMs: 0, runOnStartup: false, rateLimitPerSec },
    })
    return connection.id
  } finally {
    await store.close()
  }
}

import { CompiledQuery, type Kysely } from 'kysely'
import { sqliteBatch } from './dialects/sqlite.ts'
import type { Database } from './schema.ts'

/** What every repository of one store shares. Frozen at open. */
export interface StoreContext {
  readonly dialect: 'sqlite' | 'postgres'
  readonly secretKey: Buffer
  /** Milliseconds since the epoch; every timestamp the store writes comes from here. */
  readonly clock: () => number
  /** Most bind parameters one statement may carry on this dialect. */
  readonly maxParameters: number
}

/**
 * A repository's handle on the database: the root Kysely instance or one bound to a
 * transaction. `transaction` joins the current transaction or starts one.
 */
export interface Scope {
  readonly db: Kysely<Database>
  readonly context: StoreContext
  readonly inTransaction: boolean
  transaction<T>(fn: (scope: Scope) => Promise<T>): Promise<T>
}

export function rootScope(db: Kysely<Database>, context: StoreContext): Scope {
  const scope: Scope = {
    db,
    context,
    inTransaction: false,
    transaction: (fn) => db.transaction().execute((trx) => fn(transactionScope(trx, context))),
  }
  return Object.freeze(scope)
}

function transactionScope(trx: Kysely<Database>, context: StoreContext): Scope {
  const scope: Scope = { db: trx, context, inTransaction: true, transaction: (fn) => fn(scope) }
  return Object.freeze(scope)
}

/** The store's clock as an ISO 8601 UTC string. */
export function nowIso(context: StoreContext): string {
  return new Date(context.clock()).toISOString()
}

/** Runs hand-built SQL (the hot path's multi-row statements) without Kysely's compile step. */
export async function executeRaw<R = Record<string, unknown>>(
  db: Kysely<Database>,
  sqlText: string,
  parameters: readonly unknown[],
): Promise<{ rows: R[]; affected: number }> {
  const result = await db.executeQuery<R>(CompiledQuery.raw(sqlText, parameters as unknown[]))
  return { rows: result.rows, affected: Number(result.numAffectedRows ?? 0n) }
}

/** One statement of a batch, and what it gave. */
export interface RawStatement {
  readonly sql: string
  readonly parameters: readonly unknown[]
}

export interface StatementResult {
  readonly rows: unknown[]
  readonly affected: number
}

/**
 * Runs `statements` in order and returns what each gave. On SQLite that is one round trip to the
 * database thread for all of them; on PostgreSQL they go one after another on the connection.
 * Meant for a transaction's writes that do not depend on each other's results.
 */
export async function executeBatch(scope: Scope, statements: readonly RawStatement[]): Promise<StatementResult[]> {
  if (statements.length === 0) return []
  if (scope.context.dialect === 'sqlite') {
    const result = await scope.db.executeQuery<StatementResult>(sqliteBatch(statements))
    return result.rows
  }
  const results: StatementResult[] = []
  for (const { sql, parameters } of statements) results.push(await executeRaw(scope.db, sql, parameters))
  return results
}

/** Parses a JSON column that the store itself wrote. */
export function parseJson<T>(text: string): T {
  return JSON.parse(text) as T
}

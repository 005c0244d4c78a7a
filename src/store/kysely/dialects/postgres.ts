import { PostgresDialect } from 'kysely'
import pg from 'pg'

/** PostgreSQL's bound on `$n` parameters in one statement (a 16-bit count in the protocol). */
export const POSTGRES_MAX_PARAMETERS = 65_535

const INT8_OID = 20
const NUMERIC_OID = 1700

/**
 * int8 (our bigint money columns and every count(*)) and numeric (sums of them) come back as JS
 * numbers, as they do on SQLite. Values past 2^53 would lose precision; minor units and counts
 * never get there. Set per pool, not globally, so another library's pg client keeps its parsers.
 */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID || oid === NUMERIC_OID) return (value: string) => Number(value)
    return pg.types.getTypeParser(oid, format as 'text')
  },
}

export interface PostgresOptions {
  readonly connectionString: string
  readonly maxConnections?: number
}

/** Kysely's PostgresDialect over a pg Pool with our type parsers. */
export function createPostgresDialect(options: PostgresOptions): { dialect: PostgresDialect; pool: pg.Pool } {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 10,
    types: types as pg.CustomTypesConfig,
  })
  // An idle client that loses its server emits 'error' on the pool; unhandled, that would end the
  // process. The pool drops the client and the next query connects again.
  pool.on('error', () => {})
  return { dialect: new PostgresDialect({ pool }), pool }
}

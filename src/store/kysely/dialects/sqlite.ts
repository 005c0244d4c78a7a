import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite'
import { Worker } from 'node:worker_threads'
import {
  CompiledQuery,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely'

/**
 * Kysely over Node's built-in `node:sqlite` (Kysely's own SqliteDialect expects better-sqlite3,
 * a native addon). One connection per database file per process, behind a mutex, so a
 * transaction owns the connection until it ends; prepared statements are cached by SQL text, which
 * matters on the applyPage hot path where the same multi-row statements repeat every page.
 *
 * Every transaction starts with BEGIN IMMEDIATE: it takes the write lock up front, so a `serve`
 * and a foreground `sync` on the same file queue on busy_timeout instead of deadlocking on a
 * read-to-write lock upgrade (which SQLite answers with SQLITE_BUSY at once, no waiting).
 */
export interface NodeSqliteOptions {
  /** A file path, or `:memory:`. */
  readonly path: string
  readonly busyTimeoutMs?: number
}

export class NodeSqliteDialect implements Dialect {
  readonly #options: NodeSqliteOptions

  constructor(options: NodeSqliteOptions) {
    this.#options = Object.freeze({ ...options })
  }

  createDriver(): Driver {
    return new NodeSqliteDriver(this.#options)
  }

  createQueryCompiler(): QueryCompiler {
    return new SqliteQueryCompiler()
  }

  createAdapter(): DialectAdapter {
    return new SqliteAdapter()
  }

  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new SqliteIntrospector(db)
  }
}

/** SQLite's bound on `?` parameters in one statement (SQLITE_MAX_VARIABLE_NUMBER since 3.32). */
export const SQLITE_MAX_PARAMETERS = 32_766

class NodeSqliteDriver implements Driver {
  readonly #options: NodeSqliteOptions
  #handle: SharedDatabase | undefined

  constructor(options: NodeSqliteOptions) {
    this.#options = options
  }

  async init(): Promise<void> {
    this.#handle = SharedDatabase.acquire(this.#options)
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const handle = this.#requireHandle()
    await handle.mutex.lock()
    return handle.connection
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'))
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'))
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'))
  }

  async releaseConnection(): Promise<void> {
    this.#requireHandle().mutex.unlock()
  }

  async destroy(): Promise<void> {
    const handle = this.#handle
    this.#handle = undefined
    await handle?.release()
  }

  #requireHandle(): SharedDatabase {
    if (!this.#handle) throw new Error('the SQLite store is closed')
    return this.#handle
  }
}

/**
 * The process's one connection to a database file. Two stores opened on the same file in one
 * process must share it: with two connections, one waiting on busy_timeout would block the event
 * loop that the other needs to finish its transaction.
 */
class SharedDatabase {
  static readonly #open = new Map<string, SharedDatabase>()

  static acquire(options: NodeSqliteOptions): SharedDatabase {
    const key = options.path === ':memory:' ? undefined : options.path
    const existing = key === undefined ? undefined : SharedDatabase.#open.get(key)
    if (existing) {
      existing.#references++
      return existing
    }
    const handle = new SharedDatabase(options, key)
    if (key !== undefined) SharedDatabase.#open.set(key, handle)
    return handle
  }

  readonly connection: NodeSqliteConnection
  readonly mutex = new Mutex()
  readonly #db: DatabaseSync
  readonly #key: string | undefined
  #references = 1

  private constructor(options: NodeSqliteOptions, key: string | undefined) {
    this.#db = new DatabaseSync(options.path)
    this.#key = key
    this.#db.exec(`pragma busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 10_000))}`)
    this.#db.exec('pragma journal_mode = wal')
    this.#db.exec('pragma synchronous = normal')
    this.#db.exec('pragma foreign_keys = on')
    if (key !== undefined) {
      // The checkpointer thread keeps the WAL short; this is the backstop should it fall behind
      // (a long burst of writes), and the limit the WAL file is truncated to after it resets.
      this.#db.exec(`pragma wal_autocheckpoint = ${BACKSTOP_CHECKPOINT_PAGES}`)
      this.#db.exec(`pragma journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`)
      watchWal(key)
    }
    this.connection = new NodeSqliteConnection(this.#db)
  }

  async release(): Promise<void> {
    if (--this.#references > 0) return
    if (this.#key !== undefined) {
      SharedDatabase.#open.delete(this.#key)
      await unwatchWal(this.#key)
    }
    this.#db.close()
  }
}

const BACKSTOP_CHECKPOINT_PAGES = 10_000
const WAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024
const CHECKPOINT_INTERVAL_MS = 100

/**
 * One worker thread per process (sqlite-checkpointer.ts) checkpoints every open database file in
 * the background; started with the first file, ended with the last.
 */
const checkpointer: {
  worker: Worker | undefined
  watched: number
  readonly pendingCloses: Map<string, () => void>
} = { worker: undefined, watched: 0, pendingCloses: new Map() }

function watchWal(path: string): void {
  if (!checkpointer.worker) {
    const worker = new Worker(new URL('./sqlite-checkpointer.ts', import.meta.url), {
      workerData: { intervalMs: CHECKPOINT_INTERVAL_MS },
    })
    // Never what keeps a process alive; a store left open must not hang a CLI or a test run.
    worker.unref()
    worker.on('message', (message: { closed?: string }) => {
      if (message.closed !== undefined) checkpointer.pendingCloses.get(message.closed)?.()
    })
    // Losing the helper only costs speed: wal_autocheckpoint still checkpoints.
    worker.on('error', () => {})
    checkpointer.worker = worker
  }
  checkpointer.watched++
  checkpointer.worker.postMessage({ open: path })
}

/** Resolves once the worker closed its connection to the file. */
async function unwatchWal(path: string): Promise<void> {
  const worker = checkpointer.worker
  if (!worker) return
  await new Promise<void>((resolve) => {
    const timer = setTimeout(finish, 2000)
    function finish() {
      clearTimeout(timer)
      checkpointer.pendingCloses.delete(path)
      resolve()
    }
    checkpointer.pendingCloses.set(path, finish)
    worker.postMessage({ close: path })
  })
  if (--checkpointer.watched === 0 && checkpointer.worker === worker) {
    checkpointer.worker = undefined
    await worker.terminate()
  }
}

interface CachedStatement {
  readonly statement: StatementSync
  /** Returns rows (a SELECT, or a write with RETURNING): run with all(), else with run(). */
  readonly reader: boolean
}

const STATEMENT_CACHE_SIZE = 256

class NodeSqliteConnection implements DatabaseConnection {
  readonly #db: DatabaseSync
  readonly #statements = new Map<string, CachedStatement>()

  constructor(db: DatabaseSync) {
    this.#db = db
  }

  executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    try {
      const { statement, reader } = this.#prepare(compiledQuery.sql)
      const parameters = compiledQuery.parameters as SQLInputValue[]
      if (reader) return Promise.resolve({ rows: statement.all(...parameters) as R[] })
      const { changes, lastInsertRowid } = statement.run(...parameters)
      return Promise.resolve({ numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] })
    } catch (error) {
      return Promise.reject(error)
    }
  }

  async *streamQuery<R>(compiledQuery: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    const { statement } = this.#prepare(compiledQuery.sql)
    for (const row of statement.iterate(...(compiledQuery.parameters as SQLInputValue[]))) {
      yield { rows: [row as R] }
    }
  }

  #prepare(sqlText: string): CachedStatement {
    const cached = this.#statements.get(sqlText)
    if (cached) {
      // Re-insert to keep the Map in least-recently-used order.
      this.#statements.delete(sqlText)
      this.#statements.set(sqlText, cached)
      return cached
    }
    const statement = this.#db.prepare(sqlText)
    const entry = { statement, reader: statement.columns().length > 0 }
    this.#statements.set(sqlText, entry)
    if (this.#statements.size > STATEMENT_CACHE_SIZE) {
      this.#statements.delete(this.#statements.keys().next().value!)
    }
    return entry
  }
}

/** A FIFO lock: the single connection is lent to one query or transaction at a time. */
class Mutex {
  readonly #waiters: (() => void)[] = []
  #locked = false

  lock(): Promise<void> {
    if (!this.#locked) {
      this.#locked = true
      return Promise.resolve()
    }
    return new Promise((resolve) => this.#waiters.push(resolve))
  }

  unlock(): void {
    const next = this.#waiters.shift()
    if (next) next()
    else this.#locked = false
  }
}

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
import type { RawStatement, StatementResult } from '../scope.ts'

/**
 * Kysely over Node's built-in `node:sqlite` (Kysely's own SqliteDialect expects better-sqlite3,
 * a native addon). One connection per database file per process, behind a mutex, so a
 * transaction owns the connection until it ends. The connection lives on its own worker thread
 * (sqlite-thread.js): node:sqlite is synchronous, and on the event loop every write would stop
 * the sync from reading its next page and the API from answering. Prepared statements are cached
 * there by SQL text, which matters on the applyPage hot path where the same multi-row statements
 * repeat every page.
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
    this.#handle = await SharedDatabase.acquire(this.#options)
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const handle = this.#requireHandle()
    await handle.mutex.lock()
    return handle.connection
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    ;(connection as SqliteThread).beginWithNextStatement()
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as SqliteThread).endTransaction('commit')
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as SqliteThread).endTransaction('rollback')
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
 * The process's one connection to a database file, held by its own thread (sqlite-thread.js). Two
 * stores opened on the same file in one process share it: SQLite allows one writer at a time, and
 * one connection behind the mutex turns that into a queue instead of busy_timeout waits.
 */
class SharedDatabase {
  static readonly #open = new Map<string, Promise<SharedDatabase>>()

  static acquire(options: NodeSqliteOptions): Promise<SharedDatabase> {
    const key = options.path === ':memory:' ? undefined : options.path
    const existing = key === undefined ? undefined : SharedDatabase.#open.get(key)
    if (existing) {
      return existing.then((handle) => {
        handle.#references++
        return handle
      })
    }
    const opening = SqliteThread.start(options.path, pragmasFor(options, key !== undefined)).then(
      (thread) => {
        if (key !== undefined) watchWal(key)
        return new SharedDatabase(thread, key)
      },
      (error: unknown) => {
        if (key !== undefined) SharedDatabase.#open.delete(key)
        throw error
      },
    )
    if (key !== undefined) SharedDatabase.#open.set(key, opening)
    return opening
  }

  readonly connection: SqliteThread
  readonly mutex = new Mutex()
  readonly #key: string | undefined
  #references = 1

  private constructor(connection: SqliteThread, key: string | undefined) {
    this.connection = connection
    this.#key = key
  }

  async release(): Promise<void> {
    if (--this.#references > 0) return
    if (this.#key !== undefined) {
      SharedDatabase.#open.delete(this.#key)
      await unwatchWal(this.#key)
    }
    await this.connection.close()
  }
}

/** What every connection runs first. */
function pragmasFor(options: NodeSqliteOptions, isFile: boolean): string[] {
  const pragmas = [
    `pragma busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 10_000))}`,
    // Only takes effect on a new, empty file (before WAL is set). Order rows carry ~2 KB of raw
    // JSON: on 4 KB pages one row fills a page and wastes most of the rest; 16 KB pages hold
    // six, which halves the bytes a backfill writes.
    `pragma page_size = ${PAGE_SIZE_BYTES}`,
    'pragma journal_mode = wal',
    'pragma synchronous = normal',
    'pragma foreign_keys = on',
  ]
  if (isFile) {
    // The checkpointer thread keeps the WAL short; this is the backstop should it fall behind
    // (a long burst of writes), and the limit the WAL file is truncated to after it resets.
    pragmas.push(`pragma wal_autocheckpoint = ${BACKSTOP_CHECKPOINT_PAGES}`)
    pragmas.push(`pragma journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`)
  }
  return pragmas
}

const PAGE_SIZE_BYTES = 16_384

/** 40 MB of 16 KB pages. */
const BACKSTOP_CHECKPOINT_PAGES = 2_500
const WAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024
const CHECKPOINT_INTERVAL_MS = 100

/**
 * One worker thread per process (sqlite-checkpointer.js) checkpoints every open database file in
 * the background; started with the first file, ended with the last.
 */
const checkpointer: {
  worker: Worker | undefined
  watched: number
  readonly pendingCloses: Map<string, () => void>
} = { worker: undefined, watched: 0, pendingCloses: new Map() }

function watchWal(path: string): void {
  if (!checkpointer.worker) {
    const worker = new Worker(new URL('./sqlite-checkpointer.js', import.meta.url), {
      workerData: { intervalMs: CHECKPOINT_INTERVAL_MS },
      execArgv: [],
      resourceLimits: { maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 16 },
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

type StatementReply =
  | { readonly rows: unknown[] }
  | { readonly changes: number | bigint; readonly lastInsertRowid: number | bigint }

interface BatchReply {
  readonly results: StatementReply[]
}

/** failedAt: the index in the batch of the statement that failed; those before it ran. */
type ThreadReply = BatchReply | { readonly error: SqliteErrorData; readonly failedAt: number }

const BEGIN: RawStatement = { sql: 'begin immediate', parameters: [] }

/**
 * The SQL text that marks a batch: its parameters are RawStatements, which the SQLite thread runs
 * in order in one round trip and answers with one StatementResult per statement (as rows).
 */
const BATCH_SQL = '/* tributary: batch */'

export function sqliteBatch(statements: readonly RawStatement[]): CompiledQuery {
  return CompiledQuery.raw(BATCH_SQL, statements as unknown[])
}

function toStatementResult(reply: StatementReply): StatementResult {
  return 'rows' in reply ? { rows: reply.rows, affected: 0 } : { rows: [], affected: Number(reply.changes) }
}

interface SqliteErrorData {
  readonly message: string
  readonly code?: string
  readonly errcode?: number
  readonly errstr?: string
}

/**
 * A Kysely connection whose statements run on a worker thread (sqlite-thread.js). Replies come
 * back in the order statements were sent, so a FIFO of waiters matches them. The thread holds the
 * process open only while a statement is in flight: a store left open never hangs a CLI or a test.
 */
class SqliteThread implements DatabaseConnection {
  static start(path: string, pragmas: string[]): Promise<SqliteThread> {
    const worker = new Worker(new URL('./sqlite-thread.js', import.meta.url), {
      workerData: { path, pragmas },
      // The process's own flags (--input-type, --cpu-prof, heap sizes) are not the thread's.
      execArgv: [],
      // Its heap mostly holds one page of parameters or one result at a time; V8's default young
      // generation, sized by the machine's memory, would let it carry far more garbage than
      // that. The old generation gets the main thread's bound: a large result must still fit.
      resourceLimits: { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 256 },
    })
    return new Promise((resolve, reject) => {
      const failed = (error: Error) => reject(new Error(`SQLite could not open ${path}: ${error.message}`))
      worker.once('error', failed)
      worker.once('message', (message: { ready: boolean; error?: SqliteErrorData }) => {
        worker.off('error', failed)
        if (message.ready) {
          resolve(new SqliteThread(worker))
          return
        }
        void worker.terminate()
        const error = message.error!
        reject(sqliteError({ ...error, message: `SQLite could not open ${path}: ${error.message}` }))
      })
    })
  }

  readonly #worker: Worker
  #beginPending = false
  #inTransaction = false
  readonly #waiting: { resolve(reply: ThreadReply): void; reject(error: Error): void }[] = []
  #stopped: Error | undefined

  private constructor(worker: Worker) {
    this.#worker = worker
    worker.unref()
    worker.on('message', (reply: ThreadReply) => this.#settle(reply))
    worker.on('error', (error) => this.#stop(error))
    worker.on('exit', (code) => this.#stop(new Error(`the SQLite thread exited (code ${code})`)))
  }

  /**
   * BEGIN IMMEDIATE travels with the transaction's first statement, in one batch: a round trip
   * saved per transaction, which on the sync's hot path is one of four per page.
   */
  beginWithNextStatement(): void {
    this.#beginPending = true
  }

  async endTransaction(command: 'commit' | 'rollback'): Promise<void> {
    if (this.#beginPending) {
      // No statement ran, so BEGIN never did either: there is nothing to end.
      this.#beginPending = false
      return
    }
    if (!this.#inTransaction) return
    if (command === 'commit') {
      await this.executeQuery(CompiledQuery.raw('commit'))
      // Only now: a COMMIT that failed leaves the transaction open for Kysely's ROLLBACK.
      this.#inTransaction = false
      return
    }
    this.#inTransaction = false
    // Some errors (a full disk, an I/O error) make SQLite roll back by itself; then ROLLBACK fails
    // with "no transaction is active". Kysely rethrows the error that caused the rollback; that one
    // must not be replaced by this one.
    await this.executeQuery(CompiledQuery.raw('rollback')).catch(() => undefined)
  }

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const isBatch = compiledQuery.sql === BATCH_SQL
    const statements = isBatch
      ? (compiledQuery.parameters as RawStatement[])
      : [{ sql: compiledQuery.sql, parameters: compiledQuery.parameters }]
    const begin = this.#beginPending
    this.#beginPending = false
    const reply = await this.#send({ batch: begin ? [BEGIN, ...statements] : statements })
    if ('error' in reply) {
      // The transaction is open when its BEGIN ran, even if a later statement failed.
      if (begin && reply.failedAt > 0) this.#inTransaction = true
      throw sqliteError(reply.error)
    }
    if (begin) this.#inTransaction = true
    const results = reply.results.slice(begin ? 1 : 0)
    if (isBatch) return { rows: results.map(toStatementResult) as R[] }
    const result = results[0]!
    if ('rows' in result) return { rows: result.rows as R[] }
    return { numAffectedRows: BigInt(result.changes), insertId: BigInt(result.lastInsertRowid), rows: [] }
  }

  /** Reads the whole result on the thread, then yields it row by row. */
  async *streamQuery<R>(compiledQuery: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    const { rows } = await this.executeQuery<R>(compiledQuery)
    for (const row of rows) yield { rows: [row] }
  }

  async close(): Promise<void> {
    if (this.#stopped) return
    await this.#send({ close: true }).catch(() => undefined)
    this.#stop(new Error('the SQLite store is closed'))
    await this.#worker.terminate()
  }

  #send(message: object): Promise<ThreadReply> {
    if (this.#stopped) return Promise.reject(this.#stopped)
    return new Promise((resolve, reject) => {
      if (this.#waiting.length === 0) this.#worker.ref()
      this.#waiting.push({ resolve, reject })
      this.#worker.postMessage(message)
    })
  }

  #settle(reply: ThreadReply): void {
    const waiter = this.#waiting.shift()
    if (this.#waiting.length === 0) this.#worker.unref()
    waiter?.resolve(reply)
  }

  #stop(error: Error): void {
    if (this.#stopped) return
    this.#stopped = error
    for (const waiter of this.#waiting.splice(0)) waiter.reject(error)
    this.#worker.unref()
  }
}

/** node:sqlite's error, rebuilt on this side with its code, errcode and errstr. */
function sqliteError(data: SqliteErrorData): Error {
  return Object.assign(new Error(data.message), {
    code: data.code ?? 'ERR_SQLITE_ERROR',
    errcode: data.errcode,
    errstr: data.errstr,
  })
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

// @ts-check
/**
 * Worker thread: owns one node:sqlite connection and runs the statements the main thread sends,
 * one at a time, in the order they arrive. node:sqlite is synchronous; here its disk work and
 * busy_timeout waits block this thread instead of the event loop, so a sync parses its next page
 * while this one is written, and the HTTP API keeps answering during a long write.
 *
 * Plain JavaScript on purpose: a worker that loads a .ts file starts its own copy of Node's
 * TypeScript stripper, about 12 MB of resident memory per thread.
 *
 * workerData: { path, pragmas: string[] }. Posts { ready: true } or { ready: false, error } once.
 * Messages in: { batch: [{ sql, parameters }, …] } runs the statements in order and answers
 * { results: [one per statement] }: { rows } for a statement that returns rows (a SELECT, or a
 * write with RETURNING), else { changes, lastInsertRowid }. At the first statement SQLite refuses
 * it answers { error, failedAt: its index } and runs none of the rest. A page of writes costs one
 * round trip, not one per statement.
 * { close: true } closes the connection and answers { closed: true }.
 */
import { DatabaseSync } from 'node:sqlite'
import { parentPort, workerData } from 'node:worker_threads'

/** Statements kept prepared, least recently used evicted first. */
const STATEMENT_CACHE_SIZE = 256

const port = /** @type {import('node:worker_threads').MessagePort} */ (parentPort)
const { path, pragmas } = /** @type {{ path: string, pragmas: string[] }} */ (workerData)

/** @type {DatabaseSync} */
let db
try {
  db = new DatabaseSync(path)
  for (const pragma of pragmas) db.exec(pragma)
  port.postMessage({ ready: true })
} catch (error) {
  port.postMessage({ ready: false, error: describe(error) })
}

/** @type {Map<string, { statement: import('node:sqlite').StatementSync, reader: boolean }>} */
const statements = new Map()

/** @param {string} sql */
function prepare(sql) {
  const cached = statements.get(sql)
  if (cached) {
    // Re-insert to keep the Map in least-recently-used order.
    statements.delete(sql)
    statements.set(sql, cached)
    return cached
  }
  const statement = db.prepare(sql)
  const entry = { statement, reader: statement.columns().length > 0 }
  statements.set(sql, entry)
  if (statements.size > STATEMENT_CACHE_SIZE) statements.delete(/** @type {string} */ (statements.keys().next().value))
  return entry
}

port.on('message', (/** @type {{ batch?: Statement[], close?: boolean }} */ message) => {
  if (message.close) {
    statements.clear()
    try {
      db?.close()
    } catch {
      // Already closed, or never opened: either way nothing is left to release.
    }
    port.postMessage({ closed: true })
    return
  }
  const results = []
  for (const statement of message.batch ?? []) {
    try {
      results.push(execute(statement))
    } catch (error) {
      port.postMessage({ error: describe(error), failedAt: results.length })
      return
    }
  }
  port.postMessage({ results })
})

/** @typedef {{ sql: string, parameters?: any[] }} Statement */

/** @param {Statement} message */
function execute({ sql, parameters = [] }) {
  const { statement, reader } = prepare(sql)
  if (reader) return { rows: statement.all(...parameters) }
  const { changes, lastInsertRowid } = statement.run(...parameters)
  return { changes, lastInsertRowid }
}

/**
 * An error as plain data: structured cloning keeps an Error's message but drops node:sqlite's own
 * fields (code, errcode, errstr), which callers may want.
 * @param {unknown} error
 */
function describe(error) {
  const e = /** @type {{ message?: string, code?: string, errcode?: number, errstr?: string }} */ (error)
  return { message: String(e?.message ?? error), code: e?.code, errcode: e?.errcode, errstr: e?.errstr }
}

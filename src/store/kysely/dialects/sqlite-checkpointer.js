// @ts-check
/**
 * Worker thread: checkpoints the WAL of every SQLite file the process has open, off the thread
 * that writes. A checkpoint copies WAL frames into the database and fsyncs it; done inside COMMIT
 * (the default wal_autocheckpoint) it stalls the writer and cost the sync hot path half its time.
 * PASSIVE checkpoints never block the writer and give way to another process's checkpoint.
 *
 * Plain JavaScript for the reason sqlite-thread.js is: no TypeScript stripper in this thread.
 *
 * Messages: { open: path } and { close: path }. Replies { closed: path } once it let go of a file.
 */
import { DatabaseSync } from 'node:sqlite'
import { parentPort, workerData } from 'node:worker_threads'

const port = /** @type {import('node:worker_threads').MessagePort} */ (parentPort)
const { intervalMs } = /** @type {{ intervalMs: number }} */ (workerData)
/** @type {Map<string, { db: DatabaseSync, checkpoint: import('node:sqlite').StatementSync }>} */
const watched = new Map()

setInterval(() => {
  for (const { checkpoint } of watched.values()) {
    try {
      checkpoint.get()
    } catch {
      // SQLITE_BUSY (another connection is checkpointing) or a vanished file: try next tick.
    }
  }
}, intervalMs)

port.on('message', (/** @type {{ open?: string, close?: string }} */ message) => {
  if (message.open !== undefined && !watched.has(message.open)) {
    try {
      const db = new DatabaseSync(message.open)
      db.exec('pragma busy_timeout = 1000')
      watched.set(message.open, { db, checkpoint: db.prepare('pragma wal_checkpoint(passive)') })
    } catch {
      // Without the helper the writer's wal_autocheckpoint still bounds the WAL.
    }
  }
  if (message.close !== undefined) {
    watched.get(message.close)?.db.close()
    watched.delete(message.close)
    port.postMessage({ closed: message.close })
  }
})
